"""Batches of public inquiries → checked, cited draft replies (Word or Excel) for agency staff.

    summary = answer_batch(kb, Path("questions.xlsx"), Path("replies.docx"))

Staff sign every reply, so each draft says where its figures come from and is flagged
【需复核】 whenever the tool abstained, found several readings or computed a figure.
A draft only re-words the Answer around it: it never writes a number of its own.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from juesuan_qa.qa.compose import place_of
from juesuan_qa.records import Answer, Citation
from juesuan_qa.textutil import format_amount, parse_number

QUESTION_HEADERS = ("问题", "提问", "咨询内容", "question", "内容")
ID_HEADERS = ("编号", "序号", "id")
ASKER_HEADERS = ("来信人", "姓名", "name")
MAX_QUOTE = 400  # a passage citation quotes its whole chunk; the docx shows its start
XLSX_COLUMNS = (("编号", 10), ("问题", 36), ("答复草稿", 80), ("数值", 30), ("出处", 60), ("需复核", 8),
                ("复核原因", 30))


class Asker(Protocol):
    def ask(self, question: str) -> Answer: ...


@dataclass(frozen=True)
class Inquiry:
    id: str
    question: str
    asker: str = ""


@dataclass
class Draft:
    inquiry: Inquiry
    answer: Answer
    reply: str  # the whole text a citizen would receive, 依据 included
    sources: list[str]  # one locator line per citation, numbered as the [n] markers in the reply
    needs_review: bool
    review_reason: str


@dataclass(frozen=True)
class BatchSummary:
    total: int
    needs_review: int
    abstained: int
    out_path: Path

    def line(self) -> str:
        return f"{self.total} inquiries, {self.needs_review} need review ({self.abstained} abstained) → {self.out_path}"


# ---- reading the inquiries ----


def read_questions(path: Path) -> list[Inquiry]:
    """The inquiries of a .csv or .xlsx sheet, blank rows skipped, in the order given."""
    path = Path(path)
    reader = {".csv": _csv_rows, ".xlsx": _xlsx_rows}.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"{path.name}: unsupported question file {path.suffix or '(none)'} (use .csv or .xlsx)")
    rows = [r for r in reader(path) if any(r)]
    if not rows:
        raise ValueError(f"{path.name}: the file has no rows")
    header = [re.sub(r"\s+", "", c).lower() for c in rows[0]]
    question = _find_column(header, QUESTION_HEADERS)
    has_header = question is not None
    if question is None:
        question = _first_text_column(rows)
        if question is None:
            raise ValueError(f"{path.name}: no question column (headed 问题/提问/咨询内容/question/内容, or any text)")
        first = _cell(rows[0], question)  # a short first cell without a question mark is a header
        has_header = not ("？" in first or "?" in first or len(first) > 10)
    id_col, asker_col = (_find_column(header, names) if has_header else None for names in (ID_HEADERS, ASKER_HEADERS))
    id_col, asker_col = (None if c == question else c for c in (id_col, asker_col))
    inquiries = []
    for number, row in enumerate(rows[1:] if has_header else rows, start=1):
        text = _cell(row, question)
        if text:
            inquiries.append(Inquiry(_cell(row, id_col) or str(number), text, _cell(row, asker_col)))
    if not inquiries:
        raise ValueError(f"{path.name}: no questions in column {question + 1}: every row is blank")
    return inquiries


def _csv_rows(path: Path) -> list[list[str]]:
    """Excel on a Chinese Windows saves GB18030 (ANSI) or UTF-8 with a BOM; both are read."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = path.read_bytes().decode("gb18030")
        except UnicodeDecodeError as error:
            raise ValueError(f"{path.name}: not UTF-8 or GB18030 text") from error
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    # not splitlines(): a quoted cell may hold a line break (Alt+Enter in Excel)
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zip or XML damage: one line for the person who chose the file
        raise ValueError(f"{path.name}: not a readable .xlsx file ({type(error).__name__})") from error
    try:
        return [[_text(v) for v in row] for row in book.active.iter_rows(values_only=True)]
    finally:
        book.close()


def _text(value: object) -> str:
    """A cell as text; Excel stores 编号 1 as 1.0, which staff expect back as 1."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _find_column(header: list[str], names: Sequence[str]) -> int | None:
    """An exact header wins over one that merely contains the name (咨询问题 still counts)."""
    exact = [header.index(name) for name in names if name in header]
    loose = [index for name in names for index, cell in enumerate(header) if name in cell]
    return (exact + loose + [None])[0]


def _cell(row: list[str], column: int | None) -> str:
    return row[column].strip() if column is not None and column < len(row) else ""


def _first_text_column(rows: list[list[str]]) -> int | None:
    """The first column mostly of words (not numbers): where an unheaded sheet keeps its questions."""
    width = max(len(r) for r in rows)
    for column in range(width):
        cells = [c for c in (_cell(r, column) for r in rows) if c]
        words = [c for c in cells if parse_number(c) is None and re.search(r"[\u4e00-\u9fffA-Za-z]", c)]
        if words and len(words) * 2 >= len(cells):
            return column
    return None


# ---- drafting ----


def draft_replies(kb: Asker, inquiries: Iterable[Inquiry],
                  progress: Callable[[int, int], None] | None = None) -> list[Draft]:
    """One kb.ask per inquiry; a failure on one question becomes a flagged draft, not a lost batch."""
    inquiries = list(inquiries)
    drafts = []
    for number, inquiry in enumerate(inquiries, start=1):
        try:
            answer = kb.ask(inquiry.question)
        except Exception as error:
            answer = Answer(inquiry.question, "none", True, f"无法回答：处理该问题时出错（{type(error).__name__}）。",
                            needs_review=True)
        drafts.append(make_draft(inquiry, answer))
        if progress:
            progress(number, len(inquiries))
    return drafts


def make_draft(inquiry: Inquiry, answer: Answer) -> Draft:
    """One reply draft from an answer already given (the web chat's 导出 uses it too)."""
    sources, reasons = [source_line(c) for c in answer.citations], review_reasons(answer)
    return Draft(inquiry, answer, reply_text(inquiry, answer, sources), sources, bool(reasons), "；".join(reasons))


def review_reasons(answer: Answer) -> list[str]:
    """Why a person must check a draft before it is sent; empty when it may go as drafted."""
    if answer.abstained:
        return ["系统未能作答（无法回答），需人工答复"]
    reasons = []
    if any(v.verified is False for v in answer.values):
        reasons.append("所引表格未通过勾稽校验，需核对原文")
    elif answer.needs_review:
        reasons.append("答案有多种读法或多个数，需确认口径")
    computed = [v.label for v in answer.values if "计算" in v.label]
    if computed:
        reasons.append(f"含计算得出的数（{'、'.join(computed)}），需核对计算")
    if not answer.citations:
        reasons.append("答案没有出处，需核对")
    return reasons


def plain(markdown: str) -> str:
    """The answer as a letter reads it: no **bold**, > quote or # heading markers."""
    text = re.sub(r"^[ \t]*(?:>[ \t]?|#{1,6}[ \t]+)", "", markdown, flags=re.M)
    return re.sub(r"\*\*|__|`", "", text).strip()


def reply_text(inquiry: Inquiry, answer: Answer, sources: list[str]) -> str:
    greeting = f"{inquiry.asker}：您好！" if inquiry.asker else "您好！"
    opening = f"{greeting}感谢您对预决算信息公开工作的关注。关于您咨询的“{inquiry.question}”，"
    if answer.abstained:
        body = plain(answer.answer).removeprefix("无法回答：").replace("索引中", "现有公开资料中")
        return f"{opening}经查：{body}\n如需进一步了解，请与相关部门联系。"
    parts = [f"{opening}现答复如下：", plain(answer.answer), "以上内容依据公开文件整理，如有疑问，欢迎再次来信。"]
    if sources:
        parts.append("依据：\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(sources, start=1)))
    return "\n".join(parts)


def source_line(citation: Citation) -> str:
    """《文件》公开01表 收入支出决算总表，“总计”行“金额”栏，第131行: enough to find the figure."""
    where = " ".join(filter(None, [citation.table, citation.section])) if citation.table \
        else f"“{citation.section}”" if citation.section else ""
    cell = "".join(filter(None, [f"“{citation.row}”行" if citation.row else "",
                                 f"“{citation.column}”栏" if citation.column else ""]))
    place = place_of({"page": citation.page, "line": citation.line, "file": citation.file}).strip()
    title = f"《{citation.title}》" if citation.title else citation.doc
    return "，".join(filter(None, [title + where, cell, place]))


def quote_text(citation: Citation, limit: int = MAX_QUOTE) -> str:
    """A table row quote reads as cells split by ｜; a long passage is cut, its locator says where."""
    text = re.sub(r"\t+", " ｜ ", citation.quote.strip("\t \n"))
    text = re.sub(r"\s*\n\s*", " ", text)
    return text if len(text) <= limit else text[:limit] + "……"


def amount(value: float, unit: str) -> str:
    """As the disclosure prints it, unless that would round away a printed decimal (317.025)."""
    text = format_amount(value, unit)
    shown = parse_number(text.removesuffix(unit)) if unit else parse_number(text)
    return text if shown is not None and abs(shown - value) < 1e-9 else f"{value:,.6f}".rstrip("0") + unit


# ---- writing ----


def summarise(drafts: Sequence[Draft], out_path: Path) -> BatchSummary:
    return BatchSummary(len(drafts), sum(d.needs_review for d in drafts),
                        sum(d.answer.abstained for d in drafts), Path(out_path))


def write_docx(drafts: Sequence[Draft], path: Path) -> None:
    """One section per inquiry; quotes in a smaller grey font under each source, for the checker."""
    from docx import Document
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as government documents are
    section.left_margin = section.right_margin = Cm(2.5)
    _font(doc.styles["Normal"], "宋体", Pt(11))
    for name in ("Title", "Heading 2"):
        _font(doc.styles[name], "黑体", None)
    doc.add_heading("预决算公开咨询答复草稿", level=0)
    summary = summarise(drafts, path)
    doc.add_paragraph(f"共{summary.total}条咨询，其中{summary.needs_review}条需复核"
                      f"（系统未能作答{summary.abstained}条）。标【需复核】的答复须经人工核对后方可发出。")
    for draft in drafts:
        doc.add_heading(f"编号 {draft.inquiry.id}", level=2)
        asked = doc.add_paragraph()
        asked.add_run("问题：").bold = True
        asked.add_run(draft.inquiry.question)
        if draft.inquiry.asker:
            asked.add_run(f"（来信人：{draft.inquiry.asker}）")
        if draft.needs_review:
            flag = doc.add_paragraph()
            marker = flag.add_run("【需复核】")
            marker.bold, marker.font.color.rgb = True, RGBColor(0xC0, 0x00, 0x00)
            flag.add_run(draft.review_reason)
        doc.add_paragraph().add_run("答复草稿：").bold = True
        for line in draft.reply.split("\n依据：\n", 1)[0].splitlines():
            doc.add_paragraph(line)
        if draft.sources:
            doc.add_paragraph().add_run("依据：").bold = True
        for number, (source, citation) in enumerate(zip(draft.sources, draft.answer.citations, strict=True), 1):
            item = doc.add_paragraph(f"{number}. {source}")
            item.paragraph_format.left_indent = Cm(0.6)
            quote = item.add_run(f"\n原文：{quote_text(citation)}")
            quote.font.size, quote.font.color.rgb = Pt(9), RGBColor(0x59, 0x59, 0x59)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def _font(style, east_asian: str, size) -> None:
    """Word picks CJK glyphs from eastAsia, which python-docx's font.name leaves unset."""
    from docx.oxml.ns import qn

    style.font.name = "Times New Roman"
    if size is not None:
        style.font.size = size
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the names set here
    fonts.set(qn("w:eastAsia"), east_asian)


def write_xlsx(drafts: Sequence[Draft], path: Path) -> None:
    """One row per inquiry for sorting and ticking off; 需复核 rows are tinted to find them."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "答复草稿"
    columns = list(XLSX_COLUMNS)
    askers = any(d.inquiry.asker for d in drafts)
    if askers:
        columns.append(("来信人", 12))
    sheet.append([name for name, _ in columns])
    for draft in drafts:
        values = "; ".join(f"{v.label}：{amount(v.value, v.unit)}" for v in draft.answer.values)
        row = [draft.inquiry.id, draft.inquiry.question, draft.reply, values,
               "\n".join(f"[{n}] {s}" for n, s in enumerate(draft.sources, start=1)),
               "是" if draft.needs_review else "否", draft.review_reason]
        sheet.append(row + ([draft.inquiry.asker] if askers else []))
    wrap = Alignment(wrap_text=True, vertical="top")
    flagged = PatternFill("solid", fgColor="FFE0E0")
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
            if cell.data_type == "f":  # a question typed as =HYPERLINK(…) is text, never a formula Excel runs
                cell.data_type = "s"
        if row[0].row > 1 and row[5].value == "是":
            row[5].fill = flagged
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))


WRITERS = {".docx": write_docx, ".xlsx": write_xlsx}


def answer_batch(kb: Asker, questions_path: Path, out_path: Path,
                 progress: Callable[[int, int], None] | None = None) -> BatchSummary:
    """Read, draft, write; the output format follows the out_path suffix, checked before any asking."""
    out_path = Path(out_path)
    writer = WRITERS.get(out_path.suffix.lower())
    if writer is None:
        raise ValueError(f"{out_path.name}: unsupported output format {out_path.suffix or '(none)'} "
                         f"(use .docx or .xlsx)")
    drafts = draft_replies(kb, read_questions(Path(questions_path)), progress)
    writer(drafts, out_path)
    return summarise(drafts, out_path)
