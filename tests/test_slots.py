"""Question → slots over the whole shipped corpus: what citizens type, what the router must read.

The cases live in tests/data/slots.jsonl, one JSON object a line:
  question, category (for counting only), and the expected slots, each asserted when present:
  department   "*" every document (the question names none), "" an organisation the index lacks,
               a name or a list of names: the departments of the documents in scope;
  year         the first year the question names (null: none);
  intent, unit (numeric|narrative|list|enumerate, money|percent|count|score); enumerate: a printed list asked for (主要职能有哪些);
  unknown_org, unknown_year;
  mentions     texts that must be among the matched mentions (folded: half-width, no spaces);
  rows         row labels the mentions must point at (a row term or a synonym's target);
  codes        the subject codes, exactly;
  prose_cue    whether the question asks what only prose states;
  xfail        a known router error: the case is expected to fail, strictly, so a fix shows up.

The router's timing is not a test: the benchmarks print it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from juesuan_qa.qa.lexicon import load_synonyms
from juesuan_qa.qa.router import route
from juesuan_qa.textutil import fold, norm_label

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
CASES_FILE = Path(__file__).resolve().parent / "data" / "slots.jsonl"


def _load_cases() -> list[dict]:
    lines = CASES_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


CASES = _load_cases()


def _params():
    for n, case in enumerate(CASES, start=1):
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
        yield pytest.param(case, id=f"{case.get('category', 'case')}-{n:03d}", marks=marks)


def test_cases_file_is_well_formed():
    assert len(CASES) >= 170
    questions = [c["question"] for c in CASES]
    assert len(questions) == len(set(questions)), "duplicate questions"
    for case in CASES:
        assert case["intent"] in ("numeric", "narrative", "list", "enumerate"), case
        assert case.get("unit", "money") in ("money", "percent", "count", "score"), case


def test_corpus_has_every_department(corpus_kb):
    departments = {d.department for d in corpus_kb.documents}
    named = set()
    for case in CASES:
        expected = case.get("department")
        if isinstance(expected, list):
            named |= set(expected)
        elif expected not in (None, "*", ""):
            named.add(expected)
    assert named <= departments


def test_lexicon_targets_are_printed_labels(corpus_kb):
    """A synonym points at a row or column some table prints: the lexicon never invents a label."""
    rows = {norm_label(f.row) for f in corpus_kb.corpus.facts_in(set(corpus_kb.corpus.documents))}
    columns = {fold(piece) for f in corpus_kb.corpus.facts_in(set(corpus_kb.corpus.documents)) for piece in f.column.split("/")}
    for term in load_synonyms():
        assert not term.target or term.target in rows, (term.text, term.target)
        assert not term.column or term.column in columns, (term.text, term.column)


@pytest.mark.parametrize("case", list(_params()))
def test_slots(corpus_kb, case):
    documents = corpus_kb.documents
    slots = route(case["question"], documents, corpus_kb.corpus.vocabulary)
    got = {}
    expected = {}

    if "department" in case:
        department = case["department"]
        if department == "*":
            got["doc_ids"], expected["doc_ids"] = slots.doc_ids, {d.doc_id for d in documents}
        elif department == "":
            got["names_unknown_org"], expected["names_unknown_org"] = bool(slots.unknown_org), True
        else:
            wanted = set(department) if isinstance(department, list) else {department}
            in_scope = {d.department for d in documents if d.doc_id in slots.doc_ids}
            got["departments"], expected["departments"] = in_scope, wanted
    if "year" in case:
        got["year"] = slots.years[0] if slots.years else None
        expected["year"] = case["year"]
    if "intent" in case:
        got["intent"], expected["intent"] = slots.intent, case["intent"]
    if "unit" in case:
        got["unit"], expected["unit"] = slots.unit_class, case["unit"]
    if "unknown_org" in case:
        got["unknown_org"], expected["unknown_org"] = slots.unknown_org, case["unknown_org"]
    if "unknown_year" in case:
        got["unknown_year"], expected["unknown_year"] = slots.unknown_year, case["unknown_year"]
    if "prose_cue" in case:
        got["prose_cue"], expected["prose_cue"] = slots.prose_cue, case["prose_cue"]
    if "codes" in case:
        got["codes"], expected["codes"] = slots.codes, case["codes"]
    texts = {m.text for m in slots.mentions}
    if "mentions" in case:
        got["mentions"] = sorted(m for m in case["mentions"] if fold(m) in texts)
        expected["mentions"] = sorted(case["mentions"])
    if "rows" in case:
        targets = {t.target for m in slots.mentions for t in m.terms if t.kind in ("row", "synonym") and t.target}
        got["rows"] = sorted(r for r in case["rows"] if norm_label(r) in targets)
        expected["rows"] = sorted(case["rows"])

    assert got == expected, f"{case['question']}: mentions {sorted(texts)}, content {slots.content!r}"
