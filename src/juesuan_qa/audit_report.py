"""The audit as a reviewer hands it on: per document a count summary, then the findings grouped
by the section of the disclosure they are in, the most serious first, each with both sides cited
(page and quote). As markdown (the web page), Word and Excel (the libraries batch drafting uses).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from juesuan_qa.audit import RULE_NAMES, STATUS_NAMES, blanks, citations, cited_text, counts, notable, summary
from juesuan_qa.audit_rules import MISMATCH, OK, ROUNDING, Finding
from juesuan_qa.records import Citation, Document

# how serious a mismatch of a rule is: 1 a table does not add up or two tables disagree (a figure
# printed wrong), 2 the prose contradicts a figure or recomputes it otherwise, 3 wording only
SEVERITY = {"code_sum": 1, "row_sum": 1, "column_group": 1, "year_items": 1, "total_composition": 1, "balance": 1,
            "sangong": 1, "basic_detail": 1, "cross_table": 1, "basic_split": 1, "empty_table": 1,
            "prose_amount": 2, "prose_share": 2, "prose_growth": 2, "prose_completion": 2, "prose_sangong": 2,
            "prose_name": 2, "prose_direction": 2, "heading_year": 2, "wording": 3}
SEVERITY_NAMES = {1: "严重", 2: "重要", 3: "一般"}


@dataclass(frozen=True)
class Item:
    finding: Finding
    severity: int
    cited: list[Citation]

    @property
    def message(self) -> str:
        return self.finding.message + blanks(self.finding)  # blank cells are counted, not cited

    @property
    def label(self) -> str:
        if self.finding.status == ROUNDING:
            return STATUS_NAMES[ROUNDING]
        return f"{STATUS_NAMES[MISMATCH]}（{SEVERITY_NAMES[self.severity]}）"


@dataclass(frozen=True)
class Section:
    name: str
    items: list[Item]


@dataclass(frozen=True)
class DocumentReport:
    doc_id: str
    title: str
    counts: dict[str, int]
    sections: list[Section]


def _rank(item: Item) -> tuple[int, int]:
    return (0 if item.finding.status == MISMATCH else 1, item.severity)


def grouped(results: Mapping[str, list[Finding]], documents: Mapping[str, Document]) -> list[DocumentReport]:
    """Per document: its sections, each with its findings most serious first, the sections in the
    order of the most serious finding they hold."""
    out = []
    for doc_id, findings in results.items():
        by_section: dict[str, list[Item]] = {}
        for finding in notable(findings):
            cited = citations(finding, documents)
            where = cited[0].table or cited[0].section if cited else "（未定位）"
            by_section.setdefault(where, []).append(Item(finding, SEVERITY.get(finding.rule, 2), cited))
        sections = [Section(name, sorted(items, key=_rank)) for name, items in by_section.items()]
        sections.sort(key=lambda s: _rank(s.items[0]))
        doc = documents.get(doc_id)
        title = f"{doc.department} {doc.year}年度{doc.kind}" if doc else doc_id
        out.append(DocumentReport(doc_id, title, counts(findings), sections))
    return out


def to_markdown(reports: list[DocumentReport]) -> str:
    out = ["# 勾稽关系检查", "", "| 文件 | 检查 | 一致 | 尾数误差 | 不一致 |", "|---|---:|---:|---:|---:|"]
    for r in reports:
        out.append(f"| {r.title} | {r.counts['checks']} | {r.counts[OK]} | {r.counts[ROUNDING]} | {r.counts[MISMATCH]} |")
    for r in reports:
        out += ["", f"## {r.title}", "", summary(r.counts)]
        for section in r.sections:
            out += ["", f"### {section.name}"]
            for item in section.items:
                out += ["", f"- **{item.label}** · {RULE_NAMES.get(item.finding.rule, item.finding.rule)}：{item.message}"]
                out += [f"  {n}. {cited_text(c)}" for n, c in enumerate(item.cited, start=1)]
    return "\n".join(out) + "\n"


def write_docx(reports: list[DocumentReport], path: Path) -> None:
    """A4, 宋体: the count summary first, then per document its sections and findings."""
    from docx import Document as Word
    from docx.shared import Cm, Pt, RGBColor

    from juesuan_qa.batch import _font

    doc = Word()
    page = doc.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2.5)
    _font(doc.styles["Normal"], "宋体", Pt(11))
    for style in ("Title", "Heading 1", "Heading 2"):
        _font(doc.styles[style], "黑体", None)
    doc.add_heading("预决算公开勾稽关系检查报告", level=0)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("文件", "检查", "一致", "尾数误差", "不一致"), strict=True):
        cell.text = text
    for r in reports:
        row = table.add_row().cells
        for cell, text in zip(row, (r.title, r.counts["checks"], r.counts[OK], r.counts[ROUNDING], r.counts[MISMATCH]),
                              strict=True):
            cell.text = str(text)
    for r in reports:
        doc.add_heading(r.title, level=1)
        doc.add_paragraph(summary(r.counts))
        for section in r.sections:
            doc.add_heading(section.name, level=2)
            for item in section.items:
                line = doc.add_paragraph()
                mark = line.add_run(f"【{item.label}】")
                mark.bold = True
                if item.finding.status == MISMATCH:
                    mark.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
                line.add_run(f"{RULE_NAMES.get(item.finding.rule, item.finding.rule)}：{item.message}")
                for n, citation in enumerate(item.cited, start=1):
                    quote = doc.add_paragraph(f"[{n}] {cited_text(citation)}")
                    for run in quote.runs:
                        run.font.size, run.font.color.rgb = Pt(9), RGBColor(0x55, 0x55, 0x55)
    doc.save(path)


XLSX_COLUMNS = (("文件", 24), ("章节或表格", 30), ("等级", 12), ("规则", 12), ("说明", 70), ("出处", 70))


def write_xlsx(reports: list[DocumentReport], path: Path) -> None:
    """A summary sheet of counts and one row per finding, in the report's order, for sorting and
    ticking off; every cell is text (a quote opening with = stays a quote)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    summary.append(["文件", "检查", "一致", "尾数误差", "不一致"])
    for r in reports:
        summary.append([r.title, r.counts["checks"], r.counts[OK], r.counts[ROUNDING], r.counts[MISMATCH]])
    sheet = book.create_sheet("问题清单")
    sheet.append([name for name, _ in XLSX_COLUMNS])
    flagged = PatternFill("solid", fgColor="FFE0E0")
    for r in reports:
        for section in r.sections:
            for item in section.items:
                sheet.append([r.title, section.name, item.label, RULE_NAMES.get(item.finding.rule, item.finding.rule),
                              item.message,
                              "\n".join(f"[{n}] {cited_text(c)}" for n, c in enumerate(item.cited, start=1))])
                if item.finding.status == MISMATCH:
                    sheet.cell(sheet.max_row, 3).fill = flagged
    for ws in (summary, sheet):
        for row in ws.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if cell.data_type == "f":
                    cell.data_type = "s"
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    for index, (_, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    summary.column_dimensions["A"].width = 30
    book.save(path)
