"""Readers for disclosures published as Word (.docx) or Excel (.xlsx) files.

Both produce the same blocks as the markdown reader, so table recognition never
sees a file format. Office files have no lines, so the citation numbers are:

- docx: `line` counts the body's paragraphs (empty ones included) and table rows in
  document order, from 1; it depends only on the file, never on what we keep.
- xlsx: `line` is the Excel row number and `page` the 1-based sheet position in the
  workbook, so a citation reads "sheet N, row M".

Agencies rarely use Word heading styles or put titles outside the grid, so titles are
also recognised by shape (bold or centred, ends with 表), and the rows above a grid
that carry only a title, 公开NN表, 部门名称 or 金额单位 are lifted out as paragraphs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from juesuan_qa.ingest.blocks import Block, Row, heading_rank
from juesuan_qa.ingest.grid import TITLE_MAX, looks_like_title, rows_to_blocks

log = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .doc/.xls, or an encrypted Office file
_NUMBERED = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


# ---- shared ----


def _check_file(path: Path, kind: str) -> None:
    """Name the common unreadable cases up front; the zip libraries' own errors are cryptic."""
    try:
        head = path.read_bytes()[:8]
    except OSError as error:
        raise ValueError(f"{path.name}: cannot read file ({error.strerror})") from error
    if not head:
        raise ValueError(f"{path.name}: empty file")
    if head.startswith(_OLE_MAGIC):
        raise ValueError(f"{path.name}: legacy or password-protected {kind} file; save it as .{kind}")
    if not head.startswith(b"PK"):
        raise ValueError(f"{path.name}: not a .{kind} file (not a zip archive)")


def _join_lines(text: str) -> str:
    """One line per cell: wrapped Chinese joins without a space, other words with one.

    Tabs (a TOC's 一、收入支出决算总表<tab>3) become a space: they separate, never wrap.
    """
    parts = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"[\r\n\v]+", text) if p.strip()]
    out = ""
    for part in parts:
        glue = "" if not out or (_CJK.match(out[-1]) or _CJK.match(part[0])) else " "
        out += glue + part
    return out


# ---- docx ----


def read_docx(path: Path) -> list[Block]:
    """Headings, paragraphs and tables of a Word file, in body order."""
    _check_file(path, "docx")
    try:
        document = Document(str(path))
    except Exception as error:  # python-docx raises zip, XML and key errors alike for a broken file
        log.debug("cannot open %s", path, exc_info=True)
        raise ValueError(f"{path.name}: corrupt Word file ({type(error).__name__})") from error
    blocks: list[Block] = []
    line = 0
    for item in _body_items(document.element.body, document._body):
        if isinstance(item, Table):
            rows = _docx_rows(item, line + 1)
            line += len(item.rows)
            blocks.extend(rows_to_blocks(rows, None))
            continue
        line += 1
        text = _join_lines(item.text)
        if text and not _style_name(item).lower().startswith("toc"):
            kind = "heading" if _is_docx_heading(item, text) else "para"
            rank = heading_rank(text) if kind == "heading" else 0
            blocks.append(Block(kind, text, line, rank=rank))
    if not blocks:
        raise ValueError(f"{path.name}: no text found in Word file")
    log.debug("%s: %d blocks from %d lines", path.name, len(blocks), line)
    return blocks


def _body_items(element: Any, parent: Any) -> Iterator[Paragraph | Table]:
    """Body paragraphs and tables in order, including those inside content controls (covers)."""
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_items(content, parent)


def _style_name(paragraph: Paragraph) -> str:
    return (paragraph.style.name or "") if paragraph.style is not None else ""


def _is_docx_heading(paragraph: Paragraph, text: str) -> bool:
    """A Heading/Title style, or a short bold or centred line shaped like a heading."""
    name = _style_name(paragraph).lower()
    if name.startswith(("heading", "title", "标题")):
        return True
    if len(text) > TITLE_MAX or not (_is_bold(paragraph) or _is_centred(paragraph)):
        return False
    return looks_like_title(text) or bool(_NUMBERED.match(text))


def _is_bold(paragraph: Paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return bool(runs) and all(r.bold or (r.bold is None and style_bold) for r in runs)


def _is_centred(paragraph: Paragraph) -> bool:
    alignment = paragraph.paragraph_format.alignment
    if alignment is None and paragraph.style is not None:
        alignment = paragraph.style.paragraph_format.alignment
    return alignment == WD_ALIGN_PARAGRAPH.CENTER


def _docx_rows(table: Table, first_line: int) -> list[Row]:
    """Grid rows with a merged cell's text only in its first column and first row.

    python-docx repeats a merged cell for every grid position it covers (the same
    <w:tc>), so a cell already seen is printed as "" — as converted tables show it.
    """
    seen: dict[int, Any] = {}  # <w:tc> elements already printed, kept alive so their ids stay unique
    rows: list[Row] = []
    for offset, row in enumerate(table.rows):
        cells = [""] * row.grid_cols_before
        for cell in row.cells:
            if id(cell._tc) in seen:
                cells.append("")
                continue
            seen[id(cell._tc)] = cell._tc
            cells.append(_join_lines(cell.text))
        rows.append(Row(first_line + offset, cells, "\t".join(cells)))
    return rows


# ---- xlsx ----


def read_xlsx(path: Path) -> list[Block]:
    """Every visible worksheet in order: its title, label lines and one grid."""
    _check_file(path, "xlsx")
    try:
        # not read_only: merged ranges and hidden rows are only known to a full load
        workbook = load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises zip, XML and key errors alike for a broken file
        log.debug("cannot open %s", path, exc_info=True)
        raise ValueError(f"{path.name}: corrupt Excel file ({type(error).__name__})") from error
    blocks: list[Block] = []
    for index, sheet in enumerate(workbook.worksheets, start=1):
        if sheet.sheet_state != "visible":
            log.debug("%s: skipping hidden sheet %s", path.name, sheet.title)
            continue
        blocks.extend(_sheet_blocks(sheet, index))
    workbook.close()
    if not blocks:
        raise ValueError(f"{path.name}: no data found in Excel file")
    return blocks


def _sheet_blocks(sheet: Worksheet, page: int) -> list[Block]:
    """One sheet's blocks, headed by the sheet name when no title row is printed."""
    grid = [(row[0].row, [cell_text(c) for c in row]) for row in sheet.iter_rows()
            if row and not sheet.row_dimensions[row[0].row].hidden]
    grid = [(number, cells) for number, cells in grid if any(cells)]
    if not grid:
        return []
    used = [i for _, cells in grid for i, c in enumerate(cells) if c]
    lo, hi = min(used), max(used) + 1  # drop empty margins: a grid must start at its label column
    rows = [Row(n, cells[lo:hi], "\t".join(cells[lo:hi]), page) for n, cells in grid]
    blocks = rows_to_blocks(rows, page)
    if not any(b.kind == "heading" for b in blocks):  # only rows above the grid can be titles
        title = sheet.title.strip()
        blocks.insert(0, Block("heading", title, rows[0].line, page, rank=heading_rank(title)))
    return blocks


def cell_text(cell: Cell) -> str:
    """A cell as the sheet shows it, numbers as plain decimals (7176.23, not 7.17623E3)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            return plain_number(value * 100) + "%"
        return plain_number(value)
    if isinstance(value, date | datetime):
        return value.isoformat().removesuffix("T00:00:00")
    return _join_lines(str(value))


def plain_number(value: float) -> str:
    """Excel's 15 significant digits, without float noise, exponent or a trailing ".0"."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = format(Decimal(format(value, ".15g")), "f")
    return "0" if text in ("-0", "0") else text
