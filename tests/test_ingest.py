"""Bad input is reported and skipped; re-ingest skips unchanged files; each document changes atomically."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SEED, hashing_settings
from juesuan_qa.kb import KnowledgeBase
from juesuan_qa.store.backend import open_store


def ingest(paths, index: Path, **kwargs):
    return KnowledgeBase.ingest(paths, index, settings=hashing_settings(index), **kwargs)


def test_broken_files_are_skipped_with_a_reason(tmp_path, corpus_copy):
    (corpus_copy / "empty.md").write_text("", encoding="utf-8")
    (corpus_copy / "latin1.md").write_bytes("名称".encode("gb18030") + b"\xff\xfe")
    (corpus_copy / "notes.md").write_text("# 会议纪要\n\n今天开会。\n", encoding="utf-8")
    (corpus_copy / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 binary word")
    report = ingest([corpus_copy], tmp_path / "index")
    assert report.ingested == [str(corpus_copy / SEED.name)]
    reasons = dict(report.skipped)
    assert "empty file" in reasons[str(corpus_copy / "empty.md")]
    assert "not UTF-8" in reasons[str(corpus_copy / "latin1.md")]
    assert "no department or year" in reasons[str(corpus_copy / "notes.md")]
    assert "unsupported format .doc" in reasons[str(corpus_copy / "old.doc")]
    assert report.ok
    kb = KnowledgeBase.open(tmp_path / "index", settings=hashing_settings(tmp_path / "index"))
    assert [d.department for d in kb.documents] == ["晋城市大数据应用局"]


def test_nothing_ingestible_is_not_ok(tmp_path):
    empty = tmp_path / "e.md"
    empty.write_text(" \n", encoding="utf-8")
    report = ingest([empty], tmp_path / "index")
    assert not report.ok and report.skipped


def _generation(index: Path) -> str:
    store = open_store(hashing_settings(index))
    try:
        return store.tables.generation()
    finally:
        store.close()


def test_unchanged_files_are_skipped_and_changes_update(tmp_path, corpus_copy):
    index = tmp_path / "index"
    ingest([corpus_copy], index)
    first = _generation(index)
    again = ingest([corpus_copy], index)
    assert again.unchanged and not again.ingested
    assert _generation(index) == first  # nothing rewritten
    seed = corpus_copy / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("7,176.23", "7,176.24", 1), encoding="utf-8")
    changed = ingest([corpus_copy], index)
    assert changed.ingested == [str(seed)]
    kb = KnowledgeBase.open(index, settings=hashing_settings(index))
    assert len(kb.documents) == 1  # updated, not duplicated
    assert kb.ask("一般公共预算财政拨款收入是多少？").values[0].value == pytest.approx(7176.24)


def _revised_copy(tmp_path: Path) -> Path:
    other = tmp_path / "more"
    other.mkdir()
    (other / SEED.name).write_text(SEED.read_text(encoding="utf-8").replace("7,176.23", "7,176.24", 1),
                                   encoding="utf-8")
    return other


@pytest.mark.parametrize("where", ["juesuan_qa.store.vectors.VectorIndex.add",
                                   "juesuan_qa.store.sql.SqlStore._add_vocabulary"])
def test_interrupted_ingest_leaves_the_old_version_serving(tmp_path, corpus_copy, monkeypatch, where):
    """Interrupted before the vectors are written, or inside the document's transaction: the old
    version answers, and the next ingest completes the new one with no stray vectors."""
    index = tmp_path / "index"
    ingest([corpus_copy / SEED.name], index)
    before = _generation(index)
    other = _revised_copy(tmp_path)
    (corpus_copy / SEED.name).unlink()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(where, crash)
    with pytest.raises(KeyboardInterrupt):
        ingest([other], index)
    assert _generation(index) == before
    kb = KnowledgeBase.open(index, settings=hashing_settings(index))
    assert kb.ask("一般公共预算财政拨款收入是多少？").values[0].value == pytest.approx(7176.23)
    monkeypatch.undo()
    ingest([other], index)
    assert kb.ask("一般公共预算财政拨款收入是多少？").values[0].value == pytest.approx(7176.24)  # seen without reopening
    store = open_store(hashing_settings(index))
    try:
        passages = {r for (r,) in store.tables.rows("SELECT vector_id FROM passages")}
        vectors = set(store.vectors.collection.get(include=[])["ids"])
    finally:
        store.close()
    assert vectors == passages  # the old version's vectors and the unfinished ones are gone


def test_a_running_knowledge_base_sees_another_process_ingest(tmp_path, corpus_copy):
    index = tmp_path / "index"
    ingest([corpus_copy / SEED.name], index)
    kb = KnowledgeBase.open(index, settings=hashing_settings(index))
    assert kb.ask("一般公共预算财政拨款收入是多少？").values[0].value == pytest.approx(7176.23)
    ingest([_revised_copy(tmp_path)], index)  # another file of the same document replaces it
    assert kb.ask("一般公共预算财政拨款收入是多少？").values[0].value == pytest.approx(7176.24)
    assert len(kb.documents) == 1


def test_remove_deletes_one_document_and_its_vectors(tmp_path):
    index = tmp_path / "index"
    ingest([SEED], index)
    kb = KnowledgeBase.open(index, settings=hashing_settings(index))
    doc_id = kb.documents[0].doc_id
    assert KnowledgeBase.remove([doc_id, "no-such-doc"], index, settings=hashing_settings(index)) == [doc_id]
    assert kb.ask("支出总计是多少？").abstained and not kb.documents
    store = open_store(hashing_settings(index))
    try:
        assert store.vectors.count() == 0
        assert not store.tables.rows("SELECT term FROM term_df") and not store.tables.rows("SELECT text FROM terms")
    finally:
        store.close()


def test_unreadable_file_is_reported_and_the_rest_ingests(tmp_path, corpus_copy, monkeypatch):
    locked = corpus_copy / "locked.md"
    locked.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    real = Path.read_bytes

    def refuse(self):
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    report = ingest([corpus_copy], tmp_path / "index")
    assert report.ingested == [str(corpus_copy / SEED.name)]
    assert dict(report.skipped)[str(locked)] == "locked.md: cannot be read (Permission denied)"


def test_index_records_its_model(tmp_path, corpus_copy):
    from juesuan_qa.config import Settings

    index = tmp_path / "index"
    ingest([corpus_copy], index)
    other = Settings(index, Path("/nonexistent"), "another-model", "", "", None, None, None)
    with pytest.raises(ValueError, match="cannot be mixed"):
        KnowledgeBase.open(index, settings=other)


BAD = Path(__file__).parent / "fixtures" / "bad"  # ../shared/samples/bad, and a password-protected and a 0-page PDF


def test_bad_pdfs_are_refused_with_one_line_each_and_the_batch_goes_on(tmp_path, corpus_copy):
    for sample in BAD.iterdir():
        shutil.copy(sample, corpus_copy / sample.name)
    report = ingest([corpus_copy], tmp_path / "index")
    assert report.ingested == [str(corpus_copy / SEED.name)]
    reasons = {Path(path).name: reason for path, reason in report.skipped}
    assert "HTML" in reasons["html-saved-as.pdf"]
    assert "empty" in reasons["empty.pdf"]
    assert "truncated" in reasons["truncated-half.pdf"] or "damaged" in reasons["truncated-half.pdf"]
    assert "no text layer" in reasons["scanned-no-text-layer.pdf"]
    assert "password-protected" in reasons["password-protected.pdf"]
    assert "no pages" in reasons["zero-pages.pdf"]
    assert all("\n" not in reason and name in reason for name, reason in reasons.items())


def test_paths_that_are_not_readable_files_are_one_line_each(tmp_path, corpus_copy, monkeypatch):
    import juesuan_qa.kb as kb

    (corpus_copy / "folder.pdf").mkdir()  # a folder named like a file
    (corpus_copy / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (corpus_copy / "huge.md").write_text(SEED.read_text(encoding="utf-8") + "。" * 400_000, encoding="utf-8")
    (tmp_path / "empty-folder").mkdir()
    monkeypatch.setattr(kb, "MAX_FILE_MB", 1.0)
    report = ingest([corpus_copy, tmp_path / "empty-folder"], tmp_path / "index")
    assert report.ingested == [str(corpus_copy / SEED.name)]
    reasons = {Path(path).name: reason for path, reason in report.skipped}
    assert "a folder, not a file" in reasons["folder.pdf"]
    assert "does not exist" in reasons["gone.pdf"]
    assert "larger than a disclosure" in reasons["huge.md"]
    assert "no files" in reasons["empty-folder"]
    assert all("\n" not in reason and name in reason for name, reason in reasons.items())


def test_byte_identical_files_are_ingested_once(tmp_path, corpus_copy):
    shutil.copy(corpus_copy / SEED.name, corpus_copy / "copy-of-seed.md")
    report = ingest([corpus_copy], tmp_path / "index")
    assert len(report.ingested) == 1
    assert any("ingested once" in reason for _, reason in report.skipped)
    again = tmp_path / "later"
    again.mkdir()
    shutil.copy(corpus_copy / SEED.name, again / "third-copy.md")
    later = ingest([again], tmp_path / "index")
    assert not later.ingested and "already in the index" in later.skipped[0][1]


def test_a_notice_is_not_a_disclosure(tmp_path):
    notice = tmp_path / "notice.md"
    notice.write_text("上海市财政局关于做好2026年度工作的通知\n\n# 一、总体要求\n\n各单位要认真做好2026年度各项工作。\n",
                      encoding="utf-8")
    report = ingest([notice], tmp_path / "index")
    assert not report.ingested
    assert "not a budget or final-account disclosure" in report.skipped[0][1]


def test_files_read_in_parallel_give_the_same_index_as_one_by_one(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for n, city in enumerate(("长治市", "大同市", "朔州市")):
        (folder / f"d{n}.md").write_text(text.replace("晋城市", city), encoding="utf-8")
    (folder / "broken.md").write_text("", encoding="utf-8")
    read = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("JUESUAN_INGEST_JOBS", jobs)
        index = tmp_path / f"index-{jobs}"
        report = ingest([folder], index)
        assert [Path(p).name for p in report.ingested] == ["d0.md", "d1.md", "d2.md"]
        assert [Path(p).name for p, _ in report.skipped] == ["broken.md"]
        kb = KnowledgeBase.open(index, settings=hashing_settings(index))
        read[jobs] = (kb.documents, kb.corpus.facts_in(set(kb.corpus.documents)))
    assert read["1"] == read["2"]


def test_a_document_the_store_refuses_is_skipped_and_its_old_version_keeps_serving(tmp_path, monkeypatch):
    from juesuan_qa.store.vectors import VectorIndex

    folder = tmp_path / "docs"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (folder / "a.md").write_text(text, encoding="utf-8")
    (folder / "b.md").write_text(text.replace("晋城市", "长治市"), encoding="utf-8")
    index = tmp_path / "index"
    ingest([folder], index)
    store = open_store(hashing_settings(index))
    try:
        before = store.vectors.count()
        documents = {d.doc_id: d.sha256 for d in store.tables.documents()}
    finally:
        store.close()
    (folder / "b.md").write_text(text.replace("晋城市", "长治市") + "\n补充说明。\n", encoding="utf-8")
    real = VectorIndex.add

    def refuse(self, ids, vectors, doc_id, version):
        if "长治" in doc_id or "b" == doc_id[:1]:
            raise RuntimeError("Expected IDs to be unique\nsecond line")
        return real(self, ids, vectors, doc_id, version)

    monkeypatch.setattr(VectorIndex, "add", refuse)
    report = ingest([folder], index)
    reasons = dict(report.skipped)
    assert "could not be stored (RuntimeError: Expected IDs to be unique)" in reasons[str(folder / "b.md")]
    assert report.unchanged == [str(folder / "a.md")]
    store = open_store(hashing_settings(index))
    try:
        assert {d.doc_id: d.sha256 for d in store.tables.documents()} == documents  # the old b serves on
        assert store.vectors.count() == before
    finally:
        store.close()


def test_printed_standard_tables_that_give_no_figure_are_named_in_the_report():
    from juesuan_qa.kb import unread_tables
    from juesuan_qa.records import Disclosure, Document, TableRecord

    doc = Document("d", "t", "示范市测试局", 2026, "预算", "d.pdf", "0")
    read = TableRecord("表1", "收支总表", "fiscal_totals", "万元", 12)
    lost = TableRecord("表5", "项目支出表", "projects", "万元", 0)
    empty = TableRecord("表7", "政府性基金预算支出表", "gov_fund", "万元", 0, note="本表无数据")
    assert unread_tables(Disclosure(doc, tables=[read, empty])) == ""
    assert unread_tables(Disclosure(doc, tables=[read, lost, empty])) == "1 of 3 printed standard tables gave no figure: 项目支出表"
