"""Tables read from where their words stand: no rulings, or a row a page break left outside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan_qa.ingest.document import build_group, read_source
from juesuan_qa.ingest.positioned import Word, read_rows, stray_rows

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
H = 8.0  # glyph height


def w(text: str, x0: float, top: float, width: float | None = None) -> Word:
    return Word(text, x0, x0 + (width if width is not None else H * len(text)), top, top + H)


def test_a_group_centred_over_its_columns_heads_them_and_a_full_height_header_does_not():
    """收入预算总表 without rulings: 本年收入 (narrower than the three columns it heads) stands a row
    higher; 总计 is printed the full height beside it; 一般公共预算 wraps in its narrow cell."""
    header = [w("本年收入", 184, 6),
              w("一般公", 190, 26), w("共预算", 190, 41.6),
              w("单位名称", 10, 33), w("总计", 90, 33), w("小计", 130, 33), w("其他收入", 230, 33)]
    rows = [[w("合计", 10, 60), w("100.00", 80, 60, 26), w("100.00", 136, 60, 26), w("90.00", 193, 60, 21),
             w("10.00", 249, 60, 21)],
            [w("甲局", 10, 80), w("60.00", 85, 80, 21), w("60.00", 141, 80, 21), w("60.00", 193, 80, 21)],
            [w("乙中心", 10, 100), w("40.00", 85, 100, 21), w("40.00", 141, 100, 21), w("30.00", 193, 100, 21),
             w("10.00", 249, 100, 21)]]
    grid, _ = read_rows(header + [x for row in rows for x in row], page=3)
    cells = [r.cells for r in grid]
    # as a ruled grid prints merged cells: a full-height header in the top row, beside the group
    assert cells[0] == ["单位名称", "总计", "本年收入", "本年收入", "本年收入"]
    assert cells[1] == ["", "", "小计", "一般公共预算", "其他收入"]
    assert cells[2] == ["合计", "100.00", "100.00", "90.00", "10.00"]
    assert cells[4] == ["乙中心", "40.00", "40.00", "30.00", "10.00"]


def test_a_label_wrapped_in_a_narrow_cell_is_one_row_with_its_centred_figures():
    lines = [w("项目", 10, 0), w("金额", 100, 0),
             w("合计", 10, 20), w("30.00", 100, 20, 21),
             w("甲局", 10, 40), w("10.00", 100, 40, 21),
             w("乙服务中心（乙", 10, 56), w("20.00", 100, 64, 21), w("预警中心）", 10, 72)]
    grid, bottom = read_rows(lines, page=1)
    assert [r.cells for r in grid][-1] == ["乙服务中心（乙预警中心）", "20.00"]
    assert bottom == 80


def test_prose_quoting_numbers_in_another_font_is_no_table():
    """苏州's 情况说明 sets each figure apart in its own font: 总计 4,651.67 万元，…"""
    lines = [[w("（1）一般公共预算拨款收入", 10, y), w("4,651.67", 10 + 13 * H + 3, y, 40),
              w("万元，与上年相比增加", 10 + 13 * H + 46, y)] for y in (0, 20, 40, 60)]
    assert read_rows([x for line in lines for x in line], page=1) == ([], 0.0)


def test_a_row_a_page_break_left_above_the_grid_joins_it_in_its_columns():
    """西南大学 2024 决算: 206 科学技术支出 printed above the ruled grid of the next page, whose first
    column box spans the code and name columns (a header cell merged over both)."""
    spans = [(45, 232), (135, 232), (232, 304), (304, 376)]
    line = [Word("206", 50, 67, 90, 100), Word("科学技术支出", 141, 207, 90, 100), Word("1,723.93", 254, 298, 90, 100),
            Word("1,723.93", 326, 370, 90, 100)]
    above, below, first, last = stray_rows([line], spans, top=102, bottom=500, pitch=20)
    assert above == [["206", "科学技术支出", "1,723.93", "1,723.93"]] and below == []
    assert (first, last) == (90, 500)


@pytest.fixture(scope="module")
def unruled(tmp_path_factory) -> tuple[Path, Path]:
    """A shipped disclosure and the same file with every ruling line removed."""
    pdfium = pytest.importorskip("pypdfium2")
    raw = pytest.importorskip("pypdfium2.raw")
    source = CORPUS / "hangzhou-qixiangju-2026-yusuan.pdf"
    pdf = pdfium.PdfDocument(str(source))
    for page in pdf:
        for obj in [o for o in page.get_objects(max_depth=1) if o.type == raw.FPDF_PAGEOBJ_PATH]:
            page.remove_obj(obj)
        page.gen_content()
    target = tmp_path_factory.mktemp("unruled") / "hangzhou-qixiangju-2026-yusuan.pdf"
    pdf.save(str(target))
    pdf.close()
    return source, target


def test_the_same_disclosure_drawn_without_rulings_reads_the_same_facts(unruled):
    ruled, bare = (build_group([read_source(p)]) for p in unruled)
    assert (bare.document.department, bare.document.year, bare.document.kind) == \
        (ruled.document.department, ruled.document.year, ruled.document.kind)
    # every standard table printed is there, and none read without figures where the ruled one had some
    assert {(t.table, t.type) for t in bare.tables} == {(t.table, t.type) for t in ruled.tables}
    with_figures = {t.table for t in ruled.tables if t.facts}
    assert with_figures - {t.table for t in bare.tables if t.facts} <= {t.table for t in ruled.tables if t.note}
    same = {(f.table, f.row, f.column, f.value) for f in ruled.facts}
    found = {(f.table, f.row, f.column, f.value) for f in bare.facts}
    assert len(same & found) >= 0.9 * len(same)
    assert not [t.table for t in bare.tables if t.status == "failed"]


def test_a_title_and_unit_line_with_no_table_read_under_them_is_reported_not_taken_for_prose():
    from juesuan_qa.ingest.blocks import Block
    from juesuan_qa.ingest.document import build_disclosure
    from juesuan_qa.kb import unread_tables

    blocks = [Block("para", "北京市甲局2026年部门预算", 1, 1), Block("heading", "表1 收支总表", 1, 2),
              Block("para", "单位：万元", 2, 2), Block("para", "一般公共预算 100.00 一般公共服务支出 100.00", 3, 2)]
    disclosure = build_disclosure(blocks, doc_id="x", source="x.pdf", sha256="0")
    assert [(t.type, t.facts) for t in disclosure.tables] == [("totals", 0)]
    assert unread_tables(disclosure) == "1 of 1 printed standard tables gave no figure: 收支总表"


def test_a_table_ruled_only_under_its_header_takes_the_rows_below_in_its_columns():
    spans = [(10, 60), (80, 120)]
    lines = [[w("合计", 10, y), w("30.00", 99, y, 21)] for y in (110, 126, 142)] + \
        [[w("注：本表数据四舍五入。", 10, 200)]]
    above, below, first, last = stray_rows(lines, spans, top=60, bottom=100, pitch=16)
    assert above == [] and below == [["合计", "30.00"]] * 3 and (first, last) == (60, 150)


def _sheet(grid: list[list[str]]) -> list:
    """支出总表 whose printed words are right; `grid` is what the ruled-grid reading made of them."""
    from juesuan_qa.ingest.blocks import Block, Row

    printed = [("项目", "合计", "基本支出", "项目支出"), ("合计", "30.00", "20.00", "10.00"),
               ("一般公共服务支出", "18.00", "12.00", "6.00"), ("教育支出", "12.00", "8.00", "4.00")]
    words = [w(text, x, 20.0 * n, 8 * len(text) if k == 0 else 26) for n, cells in enumerate(printed)
             for k, (text, x) in enumerate(zip(cells, (10, 200, 260, 320), strict=True))]
    table = Block("table", "", 3, 2, rows=[Row(None, cells, "\t".join(cells), page=2) for cells in grid],
                  words=words)
    return [Block("para", "北京市甲局2026年部门预算", 1, 1), Block("heading", "表3 支出总表", 1, 2),
            Block("para", "单位：万元", 2, 2), table]


def test_a_grid_reading_that_fails_its_checks_is_read_again_from_the_words_and_the_switch_noted():
    from juesuan_qa.ingest.document import build_disclosure

    cut = [["项目", "合计", "基本支出", "项目支出"], ["合计", "30.00", "20.00", "10.00"],
           ["一般公共服务支出", "18.00", "2.00", "6.00"], ["教育支出", "12.00", "8.00", "4.00"]]  # 1|2.00 cut
    disclosure = build_disclosure(_sheet(cut), doc_id="x", source="x.pdf", sha256="0")
    assert disclosure.tables[0].status == "verified"
    cell = next(f for f in disclosure.facts if f.row == "一般公共服务支出" and f.column == "基本支出")
    assert cell.value == 12.0 and any("按文字位置重读" in note for note in disclosure.notes)
    whole = [cut[0], cut[1], ["一般公共服务支出", "18.00", "12.00", "6.00"], cut[3]]
    assert not build_disclosure(_sheet(whole), doc_id="y", source="y.pdf", sha256="0").notes  # never read again


def test_the_document_s_own_inconsistency_keeps_its_failed_mark():
    from juesuan_qa.ingest.document import build_disclosure

    blocks = _sheet([["项目", "合计", "基本支出", "项目支出"], ["合计", "30.00", "20.00", "10.00"],
                     ["一般公共服务支出", "18.00", "12.00", "6.00"], ["教育支出", "12.00", "8.00", "4.00"]])
    blocks[-1].words = [replace_text(x, "13.00") if x.text == "12.00" and x.x0 == 260 else x for x in blocks[-1].words]
    blocks[-1].rows[2].cells[2] = "13.00"
    disclosure = build_disclosure(blocks, doc_id="x", source="x.pdf", sha256="0")
    assert disclosure.tables[0].status == "failed" and not disclosure.notes


def replace_text(word: Word, text: str) -> Word:
    return Word(text, word.x0, word.x1, word.top, word.bottom)


def test_a_heading_that_names_no_table_types_no_standard_table():
    """西安司法局: 十、“三公”经费及会议费、培训费情况说明 over a list of meetings (no figure read) is
    prose with a list, not a 三公经费表 that gave no figure."""
    from juesuan_qa.ingest.blocks import Block
    from juesuan_qa.ingest.document import _record
    from juesuan_qa.ingest.tables import collect_section

    for heading, kind in (("十、“三公”经费及会议费、培训费情况说明", None), ("表13 三公经费支出预算表", "sangong")):
        title = Block("heading", heading, 1, 2)
        assert _record(collect_section(title, [Block("para", "单位：万元", 2, 2)]), title, []).type == kind
