"""The seed eval set with the default embedding model: the bar of issue [1/6] as a regression guard."""

from __future__ import annotations

from conftest import ROOT
from juesuan_qa.evaluate import load_cases, run_eval


def test_seed_eval_meets_the_bar(model_kb):
    report = run_eval(model_kb, load_cases(ROOT / "evals" / "seed.jsonl"))
    kinds = {kind: row["accuracy"] for kind, row in report["accuracy_per_kind"].items()}
    failures = [(f["id"], f["question"], f["answer"][:60]) for f in report["failures"]]
    assert kinds["table"] == 1.0, failures
    assert kinds["text_number"] == 1.0, failures
    assert kinds["none"] == 1.0, failures
    assert kinds["text"] >= 0.85, failures
    assert report["abstention"]["false_abstention_rate"] <= 0.02
    assert report["citation_accuracy"]["accuracy"] >= 0.95


def test_dense_retrieval_finds_meaning_not_just_words(model_kb):
    # no word of the question is in the answer's sentence except 车: only the embedding links them
    hits = model_kb.corpus.search.search("单位的公车是做什么用的", k=5, mode="dense")
    assert any("公务用车" in h.passage.text or "用车" in h.passage.text for h in hits)
