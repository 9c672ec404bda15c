"""Word and Excel disclosures read into the same blocks (and facts) as converted markdown."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook

from juesuan_qa.ingest.document import build_disclosure
from juesuan_qa.ingest.office import plain_number, read_docx, read_xlsx

TOTALS = [  # 收入支出决算总表 data rows: 项目, 行次, 金额 on each side
    ["一、一般公共预算财政拨款收入", "1", "7,176.23", "一、一般公共服务支出", "32", "7,123.60"],
    ["二、政府性基金预算财政拨款收入", "2", "", "八、社会保障和就业支出", "39", "19.17"],
    ["本年收入合计", "27", "7,176.23", "本年支出合计", "58", "7,176.23"],
]


def centred_bold(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run(text).bold = True
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def make_docx(path: Path) -> Path:
    doc = Document()
    for text in ("晋城市某局", "2023年度部门决算公开"):  # lines 1-2: the cover
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("")  # line 3: empty, still counted
    doc.add_heading("第一部分 部门概况", level=1)  # 4
    doc.add_paragraph("本部门负责全市电子政务建设。")  # 5
    centred_bold(doc, "收入支出决算总表")  # 6
    doc.add_paragraph("公开01表")  # 7
    doc.add_paragraph("部门名称：晋城市某局")  # 8
    doc.add_paragraph("金额单位：万元")  # 9
    table = doc.add_table(rows=3 + len(TOTALS), cols=6)  # rows on lines 10-15
    table.cell(0, 0).merge(table.cell(0, 2)).text = "收入"
    table.cell(0, 3).merge(table.cell(0, 5)).text = "支出"
    rows = [["项目", "行次", "金额", "项目", "行次", "金额"], ["栏次", "", "1", "栏次", "", "2"], *TOTALS]
    for r, cells in enumerate(rows, start=1):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    doc.add_paragraph("注：本表反映部门本年度的总收支情况。")  # 16
    centred_bold(doc, "收入决算表")  # 17
    doc.add_paragraph("公开02表")  # 18
    doc.add_paragraph("金额单位：万元")  # 19
    coded = doc.add_table(rows=4, cols=4)  # rows on lines 20-23
    coded.cell(0, 0).merge(coded.cell(0, 1)).text = "项目"
    coded.cell(0, 2).merge(coded.cell(1, 2)).text = "本年收入合计"  # vertical merge
    coded.cell(0, 3).merge(coded.cell(1, 3)).text = "财政拨款收入"
    for r, cells in ((1, ["科目代码", "科目名称"]), (2, ["合计", "", "7,176.23", "7,176.23"]),
                     (3, ["201", "一般公共服务\n支出", "7,123.60", "7,123.60"])):
        for c, text in enumerate(cells):
            coded.cell(r, c).text = text
    doc.add_paragraph("三、支出决算情况说明")  # 24: numbered but plain: a paragraph
    doc.save(path)
    return path


def make_xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "收入决算表"
    sheet.append(["收入决算表"])
    sheet.merge_cells("A1:E1")
    sheet.append(["", "", "", "", "公开02表"])
    sheet.append(["部门名称：晋城市某局", "", "", "", "金额单位：万元"])
    sheet.append([])  # fully empty: skipped
    sheet.append(["项目", "", "本年收入合计", "财政拨款收入", "其他收入"])
    sheet.merge_cells("A5:B5")
    sheet.append(["科目代码", "科目名称"])
    sheet.append(["合计", None, 29569.51563, 7176.23, 0])
    sheet.append([201, "一般公共服务支出", 7176.23, 7176.23, None])
    sheet.append([2010504, "信息事务", 1.5e-07, 12.0, 0.1 + 0.2])
    sheet.append(["注：本表反映部门本年度取得的各项收入情况。"])
    hidden = book.create_sheet("草稿")
    hidden.append(["不应读取"])
    hidden.sheet_state = "hidden"
    stats = book.create_sheet("统计")  # no title row: headed by the sheet name
    stats.append(["项目", "行次", "统计数"])
    stats.append(["政府采购支出总额", 1, 207.7])
    stats.append(["执行率", 2, 0.85])
    stats["C3"].number_format = "0.00%"
    book.save(path)
    return path


def kinds(blocks):
    return [(b.kind, b.text, b.line) for b in blocks if b.kind != "table"]


def test_docx_blocks_in_body_order(tmp_path):
    blocks = read_docx(make_docx(tmp_path / "d.docx"))
    assert kinds(blocks)[:9] == [
        ("para", "晋城市某局", 1), ("para", "2023年度部门决算公开", 2),
        ("heading", "第一部分 部门概况", 4), ("para", "本部门负责全市电子政务建设。", 5),
        ("heading", "收入支出决算总表", 6), ("para", "公开01表", 7), ("para", "部门名称：晋城市某局", 8),
        ("para", "金额单位：万元", 9),
        ("para", "注：本表反映部门本年度的总收支情况。", 16),  # the table sits between 9 and 16
    ]
    assert kinds(blocks)[-1] == ("para", "三、支出决算情况说明", 24)
    heading = next(b for b in blocks if b.text == "第一部分 部门概况")
    assert heading.rank == 1 and all(b.page is None for b in blocks)
    table = blocks[8]
    assert table.kind == "table" and table.line == 10
    assert [r.line for r in table.rows] == list(range(10, 16))
    assert table.rows[0].cells == ["收入", "", "", "支出", "", ""]  # a merged label printed once
    assert table.rows[3].raw == "\t".join(TOTALS[0])


def test_docx_vertical_merge_and_wrapped_cells(tmp_path):
    blocks = read_docx(make_docx(tmp_path / "d.docx"))
    coded = [b for b in blocks if b.kind == "table"][1]
    assert [r.cells for r in coded.rows] == [
        ["项目", "", "本年收入合计", "财政拨款收入"],
        ["科目代码", "科目名称", "", ""],  # the merged header is not repeated below itself
        ["合计", "", "7,176.23", "7,176.23"],
        ["201", "一般公共服务支出", "7,123.60", "7,123.60"],  # a wrapped Chinese label joins up
    ]
    assert coded.rows[0].line == 20


def test_docx_facts_end_to_end(tmp_path):
    blocks = read_docx(make_docx(tmp_path / "d.docx"))
    result = build_disclosure(blocks, doc_id="d", source="d.docx", sha256="0")
    assert (result.document.department, result.document.year, result.document.kind) == ("晋城市某局", 2023, "决算")
    income = next(f for f in result.facts if f.row == "一、一般公共预算财政拨款收入")
    assert (income.table, income.part, income.column, income.value, income.unit) == (
        "公开01表", "收入", "金额", pytest.approx(7176.23), "万元")
    assert income.loc.line == 13 and "7,176.23" in income.loc.quote
    social = next(f for f in result.facts if f.row == "八、社会保障和就业支出")
    assert (social.part, social.value) == ("支出", pytest.approx(19.17))
    coded = next(f for f in result.facts if f.code == "201" and f.column == "财政拨款收入")
    assert (coded.table, coded.row, coded.value, coded.loc.line) == ("公开02表", "一般公共服务支出",
                                                                     pytest.approx(7123.6), 23)
    assert any("本表反映" in note for note in result.notes)
    assert any("电子政务" in p.text for p in result.passages)


def test_xlsx_blocks_rows_and_numbers(tmp_path):
    blocks = read_xlsx(make_xlsx(tmp_path / "b.xlsx"))
    assert [(b.kind, b.text, b.line, b.page) for b in blocks if b.kind != "table"] == [
        ("heading", "收入决算表", 1, 1), ("para", "公开02表", 2, 1), ("para", "部门名称：晋城市某局", 3, 1),
        ("para", "金额单位：万元", 3, 1), ("para", "注：本表反映部门本年度取得的各项收入情况。", 10, 1),
        ("heading", "统计", 1, 3),  # the hidden sheet 2 is skipped, positions are kept
    ]
    table = blocks[4]
    assert table.kind == "table" and table.page == 1
    assert [r.line for r in table.rows] == [5, 6, 7, 8, 9]  # Excel row numbers
    assert [r.cells for r in table.rows] == [
        ["项目", "", "本年收入合计", "财政拨款收入", "其他收入"],
        ["科目代码", "科目名称", "", "", ""],
        ["合计", "", "29569.51563", "7176.23", "0"],
        ["201", "一般公共服务支出", "7176.23", "7176.23", ""],
        ["2010504", "信息事务", "0.00000015", "12", "0.3"],
    ]
    assert table.rows[2].raw == "合计\t\t29569.51563\t7176.23\t0"
    stats = blocks[-1]
    assert stats.page == 3 and stats.rows[2].cells == ["执行率", "2", "85%"]


def test_xlsx_facts_end_to_end(tmp_path):
    blocks = read_xlsx(make_xlsx(tmp_path / "b.xlsx"))
    result = build_disclosure(blocks, doc_id="b", source="b.xlsx", sha256="0")
    assert result.document.department == "晋城市某局"
    total = next(f for f in result.facts if f.row == "合计" and f.column == "本年收入合计")
    assert (total.table, total.value, total.unit, total.loc.line, total.loc.page) == (
        "公开02表", pytest.approx(29569.51563), "万元", 7, 1)
    info = next(f for f in result.facts if f.code == "2010504" and f.column == "财政拨款收入")
    assert info.value == 12 and info.row == "信息事务"
    assert not any("注" in f.row for f in result.facts)


@pytest.mark.parametrize("value,text", [
    (7176.23, "7176.23"), (29569.51563, "29569.51563"), (7176.0, "7176"), (1e20, "100000000000000000000"),
    (-0.0, "0"), (0.1 + 0.2, "0.3"), (3, "3"),
])
def test_plain_number(value, text):
    assert plain_number(value) == text


@pytest.mark.parametrize("reader,suffix", [(read_docx, ".docx"), (read_xlsx, ".xlsx")])
@pytest.mark.parametrize("content,reason", [
    (b"", "empty file"),
    (b"<html>not office</html>", "not a zip"),
    (b"PK\x03\x04 truncated archive", "corrupt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old format", "legacy or password-protected"),
])
def test_unreadable_files_raise_value_error(tmp_path, reader, suffix, content, reason):
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=reason) as error:
        reader(path)
    assert "\n" not in str(error.value) and str(error.value).startswith(path.name)


def test_wrong_office_format_is_corrupt(tmp_path):
    """A workbook renamed .docx is a zip, but not a Word file."""
    path = make_xlsx(tmp_path / "b.xlsx").rename(tmp_path / "b.docx")
    with pytest.raises(ValueError, match="corrupt Word file"):
        read_docx(path)


def test_docx_without_text_is_rejected(tmp_path):
    path = tmp_path / "blank.docx"
    Document().save(path)
    with pytest.raises(ValueError, match="no text"):
        read_docx(path)
