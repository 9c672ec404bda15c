"""Every dev PDF against facts hand-checked on the printed page (tests/golden/)."""

from __future__ import annotations

import json

import pytest

from golden_match import GOLDEN, load_golden, parse_corpus, report


@pytest.fixture(scope="module")
def parsed():
    return parse_corpus()


def test_identity_from_content(parsed):
    identities = json.loads((GOLDEN / "pdf_identity.json").read_text(encoding="utf-8"))
    for name, want in identities.items():
        doc = parsed[name].document
        assert (doc.department, doc.year, doc.kind) == (want["department"], want["year"], want["kind"]), name


def test_split_publication_is_one_disclosure(parsed):
    text, tables = parsed["beijing-sifaju-2026-yusuan-1-text.pdf"], parsed["beijing-sifaju-2026-yusuan-2-tables.pdf"]
    assert text is tables and text.document.doc_id == "beijing-sifaju-2026-yusuan"
    assert {f.loc.file for f in text.facts} == {"beijing-sifaju-2026-yusuan-2-tables.pdf"}
    assert any(p.file == "beijing-sifaju-2026-yusuan-1-text.pdf" for p in text.passages)


def test_golden_facts(parsed):
    golden = load_golden()
    found, missing = report(parsed, golden)
    assert found / len(golden) >= 0.97, [(m["file"], m["page"], m["table"], m["row"], m["column"]) for m in missing]
    for name in {g["file"] for g in golden}:
        mine = [g for g in golden if g["file"] == name]
        lost = [g for g in missing if g["file"] == name]
        assert len(lost) <= 0.2 * len(mine), (name, [(m["table"], m["row"], m["column"]) for m in lost])


def _fact(parsed, name, title, row, column=None):
    hits = [f for f in parsed[name].facts if title in f.title and row in f.row and (column is None or column in f.column)]
    assert hits, (name, title, row, column)
    return hits[0]


def test_units_per_table(parsed):
    # Putuo 司法局 prints its tables in 元 but the 三公 table in 万元
    assert _fact(parsed, "putuo-sifaju-2026-yusuan.pdf", "收入预算总表", "合计").unit == "元"
    assert {f.unit for f in parsed["putuo-sifaju-2026-yusuan.pdf"].facts if "三公" in f.title} == {"万元"}


def test_six_decimals_and_no_separators(parsed):
    beijing = _fact(parsed, "beijing-sifaju-2026-yusuan-2-tables.pdf", "收支总表", "一般公共预算拨款收入")
    assert beijing.value == pytest.approx(29569.515638, abs=1e-9)
    fuzhou = [f for f in parsed["fuzhou-yibaoju-2026-yusuan.pdf"].facts if f.value >= 1000 and "," not in f.loc.quote]
    assert fuzhou  # figures printed without thousands separators are read whole


def test_split_subject_codes_are_joined(parsed):
    fact = _fact(parsed, "putuo-caizhengju-2024-juesuan.pdf", "支出决算表", "行政运行", "基本支出")
    assert fact.code == "2010601" and fact.value == pytest.approx(1503.52)


def test_tables_continued_across_pages_are_joined(parsed):
    pages = {f.loc.page for f in parsed["putuo-caizhengju-2024-juesuan.pdf"].facts if f.title == "收入决算表"}
    assert pages == {8, 9}


def test_every_pdf_citation_has_a_page(parsed):
    for disclosure in {id(d): d for d in parsed.values()}.values():
        assert all(f.loc.page for f in disclosure.facts)
        assert all(p.page for p in disclosure.passages)


def test_prose_figures_keep_their_page(parsed):
    figures = [f for f in parsed["putuo-caizhengju-2024-juesuan.pdf"].figures if f.value == pytest.approx(56.95)]
    assert figures and figures[0].loc.page == 21 and "减少" in figures[0].context


def test_target_sheets_become_project_records(parsed):
    projects = {p.name: p for p in parsed["fuzhou-yibaoju-2026-yusuan.pdf"].projects}
    sheet = projects["外伤医疗费用结算审核服务费"]
    assert sheet.budget == pytest.approx(118.0) and sheet.loc.page == 28
    assert ("审核准确率", "≥95%") in {(i.name, i.target) for i in sheet.indicators}


@pytest.mark.parametrize("name", ["putuo-sifaju-2026-yusuan.pdf", "foshan-guidaojiaotong-2019-juesuan.pdf",
                                  "suzhou-shenjiju-2026-yusuan.pdf"])
def test_pdfium_reads_the_blocks_pdfminer_reads(name):
    """The default page source (PDFium) gives pdfplumber the characters and rulings pdfminer would:
    the same blocks, printed spaces included (a space set in a smaller font stays off the line),
    and no space PDFium only inferred from a gap. These three PDFs hold each of those cases."""
    from pathlib import Path

    from juesuan_qa.ingest.pdf import read_pdf

    path = Path(__file__).resolve().parent.parent / "corpus" / name

    def shape(blocks):
        return [(b.kind, b.text, b.page, b.line, [r.cells for r in b.rows]) for b in blocks]

    assert shape(read_pdf(path, "pdfium")) == shape(read_pdf(path, "pdfminer"))
