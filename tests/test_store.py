"""The store's contract, on the embedded backend and on servers (PostgreSQL + Chroma) alike.

Every test runs once per backend (the `backend` fixture); the server runs skip, saying why, only
where a server cannot start on this machine.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import ROOT, SEED, hashing_settings, server_settings
from juesuan_qa.ingest.document import read_disclosure
from juesuan_qa.kb import KnowledgeBase
from juesuan_qa.qa.lexicon import StoredVocabulary
from juesuan_qa.store.backend import IndexMissing, open_store


def _revised(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    folder = tmp_path / "revised"
    folder.mkdir(exist_ok=True)
    (folder / SEED.name).write_text(SEED.read_text(encoding="utf-8").replace(old, new, count), encoding="utf-8")
    return folder / SEED.name


def test_a_document_reads_back_as_it_was_ingested(backend):
    KnowledgeBase.ingest([SEED], settings=backend)
    disclosure = read_disclosure(SEED)
    doc = disclosure.document.doc_id
    store = open_store(backend)
    try:
        tables = store.tables
        assert [d.doc_id for d in tables.documents()] == [doc]
        assert tables.facts({doc}) == [f for f in disclosure.facts]
        assert tables.figures({doc}) == disclosure.figures
        assert [p.name for p in tables.projects({doc})] == [p.name for p in disclosure.projects]
        assert [r.passage for r in tables.passages({doc})] == disclosure.passages
        assert [t.title for t in tables.tables([doc])[doc]] == [t.title for t in disclosure.tables]
        assert store.vectors.count() == len(disclosure.passages)
        assert tables.file_hashes() == {str(SEED): hashlib.sha256(SEED.read_bytes()).hexdigest()}
    finally:
        store.close()


def test_nothing_is_read_before_a_question_names_a_document(backend, monkeypatch):
    KnowledgeBase.ingest([SEED], settings=backend)
    reads: list[str] = []
    from juesuan_qa.store import sql

    for name in ("_load_facts", "_load_figures", "_load_projects", "_load_passages"):
        original = getattr(sql.SqlStore, name)
        monkeypatch.setattr(sql.SqlStore, name, lambda self, doc, _o=original, _n=name: reads.append(_n) or _o(self, doc))
    kb = KnowledgeBase.open(settings=backend)
    assert reads == []  # the catalogue only
    assert kb.ask("一般公共预算财政拨款收入是多少？").values[0].value == pytest.approx(7176.23)
    assert "_load_facts" in reads


def test_vocabulary_is_a_table_counted_per_document(backend):
    KnowledgeBase.ingest([SEED], settings=backend)
    store = open_store(backend)
    try:
        vocabulary = StoredVocabulary(store.tables)
        mentions = vocabulary.match("一般公共预算财政拨款收入是多少")
        assert any(t.kind == "row" for m in mentions for t in m.terms)
        assert vocabulary.names_subject("智慧晋城运营指挥中心")  # inside a project's name
        assert not vocabulary.names_subject("某某不存在的中心")
        counts = dict(store.tables.rows("SELECT kind, COUNT(*) FROM terms GROUP BY kind"))
        assert counts["row"] > 50 and counts["project"] == len(read_disclosure(SEED).projects)
    finally:
        store.close()


def test_replace_and_delete_keep_bm25_statistics_exact(backend, tmp_path):
    KnowledgeBase.ingest([SEED], settings=backend)
    store = open_store(backend)
    try:
        first = store.tables.bm25_totals()
        df = dict(store.tables.rows("SELECT term, df FROM term_df"))
    finally:
        store.close()
    KnowledgeBase.ingest([_revised(tmp_path, "名词解释", "术语释义", -1)], settings=backend)  # the same document, changed
    store = open_store(backend)
    try:
        assert dict(store.tables.rows("SELECT term, df FROM term_df")) != df
    finally:
        store.close()
    KnowledgeBase.ingest([SEED], settings=backend)  # and back
    store = open_store(backend)
    try:
        assert store.tables.bm25_totals() == first
        assert dict(store.tables.rows("SELECT term, df FROM term_df")) == df
        doc = store.tables.documents()[0].doc_id
        store.tables.delete_document(doc)
        store.vectors.drop_document(doc)
        assert store.tables.bm25_totals() == (0, 0)
        assert store.tables.rows("SELECT COUNT(*) FROM term_df") == [(0,)]
        assert store.tables.rows("SELECT COUNT(*) FROM terms") == [(0,)]
        assert store.vectors.count() == 0
    finally:
        store.close()


def test_an_interrupted_document_transaction_leaves_the_old_version(backend, tmp_path, monkeypatch):
    KnowledgeBase.ingest([SEED], settings=backend)
    kb = KnowledgeBase.open(settings=backend)
    before = kb.store.tables.generation()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("juesuan_qa.store.sql.SqlStore._add_vocabulary", crash)
    revised = _revised(tmp_path, "7,176.23", "7,176.24")
    with pytest.raises(KeyboardInterrupt):
        KnowledgeBase.ingest([revised], settings=backend)
    monkeypatch.undo()
    assert kb.store.tables.generation() == before
    assert kb.ask("一般公共预算财政拨款收入是多少？").values[0].value == pytest.approx(7176.23)
    KnowledgeBase.ingest([revised], settings=backend)
    assert kb.ask("一般公共预算财政拨款收入是多少？").values[0].value == pytest.approx(7176.24)


def test_rebuild_removes_documents_no_file_produced(backend, tmp_path):
    other = tmp_path / "other.md"
    other.write_text(SEED.read_text(encoding="utf-8").replace("晋城市大数据应用局", "长治市大数据应用局"), encoding="utf-8")
    KnowledgeBase.ingest([SEED, other], settings=backend)
    report = KnowledgeBase.ingest([other], settings=backend, rebuild=True)
    assert report.removed == [read_disclosure(SEED).document.doc_id]
    kb = KnowledgeBase.open(settings=backend)
    assert [d.department for d in kb.documents] == ["长治市大数据应用局"]


def test_opening_an_index_that_does_not_exist_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexMissing, match="juesuan-qa ingest"):
        KnowledgeBase.open(settings=hashing_settings(tmp_path / "none"))


def test_the_seed_eval_answers_identically_on_both_backends(servers, tmp_path):
    embedded = hashing_settings(tmp_path / "embedded")
    server = server_settings(servers, tmp_path / "server")
    for settings in (embedded, server):
        KnowledgeBase.ingest([SEED], settings=settings)
    one, two = KnowledgeBase.open(settings=embedded), KnowledgeBase.open(settings=server)
    cases = [json.loads(line) for line in (ROOT / "evals" / "seed.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    differ = []
    for case in cases:
        a, b = one.ask(case["question"]).to_dict(), two.ask(case["question"]).to_dict()
        a.pop("elapsed_ms"), b.pop("elapsed_ms")
        if a != b:
            differ.append(case["question"])
    assert len(cases) > 150 and differ == []
