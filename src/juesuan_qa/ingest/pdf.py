"""Reader for disclosure PDFs → blocks with page numbers.

pdfplumber, chosen by measurement on the dev PDFs: on Shanghai's 决算 tables PyMuPDF's
find_tables scrambled numbers ("2,940.05" came out as "294005\\n, .") and took 6× longer,
while pdfplumber returned the cells as printed. Tables come from pdfplumber's ruling-line
detection; the text outside them is re-flowed into paragraphs (a printed line ends
mid-sentence, so lines join until a sentence ends or a heading starts). The characters and
ruling paths pdfplumber works on are read by PDFium (ingest.pdfium_objects), in the shapes
pdfminer gives them: the same blocks at a fraction of pdfminer's parsing time.

PDFs carry no markup, so headings are recognised from the text itself: numbered
headings (第一部分, 一、, （一）) and table titles (a short line ending in 表 naming a
budget table). Everything after this point is shared with the other readers.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from juesuan_qa.ingest import positioned
from juesuan_qa.ingest.blocks import Block, Row, Word, heading_rank
from juesuan_qa.ingest.grid import is_meta, rows_to_blocks
from juesuan_qa.ingest.pdfium_objects import Unreadable, page_objects

log = logging.getLogger(__name__)

TABLE_TITLE = re.compile(
    r"^(?:(?:公开|预算|部门预算)?\s*\d{1,2}\s*表|表\s*[一二三四五六七八九十\d]+|[一二三四五六七八九十]+、|\d+[.、．]|)?\s*"
    r"(.{2,40}?(?:总表|决算表|预算表|情况表|明细表|收入表|支出表|收支表|统计表|目标表|自评表|经费表|表))\s*"
    r"(?:[(（][^)）]*[)）])?$"
)
_TITLE_WORDS = re.compile(r"收|支|预算|决算|三公|经费|拨款|采购|绩效|资产|基金|资本")
TABLE_CODE_LINE = re.compile(r"^(?:公开|预算|部门预算)?\s*\d{1,2}\s*表$|^表\s*[一二三四五六七八九十\d]+$")
_PAGE_NUMBER = re.compile(r"^[-—－\s]*\d{1,3}[-—－\s]*$|^第\s*\d+\s*页")
_NUMBERED = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])")
_SENTENCE_END = re.compile(r"[。；：:！？!?]$")
_MAX_HEADING = 40
_TITLE_YEAR = re.compile(r"^\d{4}年度?")
_TITLE_TRAILER = re.compile(r"[(（][^()（）]*[)）]$")
_WRAP_SLACK = 20.0  # points short of the right margin that still count as a full line
_WRAP_WIDTH = 0.55  # a wrapped body line spans most of the page; centred cover lines do not


class PdfError(ValueError):
    pass


def read_pdf(path: Path, engine: str | None = None) -> list[Block]:
    """`engine`: where characters and ruling paths come from, "pdfium" (the default, ten times
    faster) or "pdfminer" (pdfplumber's own); the tables and text lines are pdfplumber's either way."""
    import pdfplumber

    engine = engine or os.environ.get("JUESUAN_PDF_ENGINE") or "pdfium"
    head = path.read_bytes()[:1024]
    if not head.lstrip().startswith(b"%PDF"):
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise PdfError(f"{path.name}: {kind} saved with a .pdf name")
    blocks: list[Block] = []
    try:
        with pdfplumber.open(path) as pdf:
            if not pdf.pages:
                raise PdfError(f"{path.name}: the PDF has no pages")
            pages = _pdfium_pages(path) if engine == "pdfium" else None
            try:
                for number, page in enumerate(pdf.pages, start=1):
                    if pages is not None:  # pdfminer's objects, read by PDFium: pdfplumber parses nothing
                        try:
                            page._objects = page_objects(pages[number - 1], page)
                        except Unreadable:
                            pass  # a glyph PDFium cannot spell: pdfminer reads this page
                    blocks.extend(read_page(page, number))
            finally:
                if pages is not None:
                    pages.close()
    except PdfError:
        raise
    except Exception as error:  # pdfminer raises many types on a damaged file
        if _password_protected(error):
            raise PdfError(f"{path.name}: password-protected PDF; save an unprotected copy to ingest it") from error
        raise PdfError(f"{path.name}: damaged or truncated PDF ({type(error).__name__})") from error
    if not any(b.text or b.rows for b in blocks):
        raise PdfError(f"{path.name}: no text layer (a scanned image?); OCR it first")
    return _drop_running_heads(blocks)


def _password_protected(error: Exception) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect; PDFium says "Incorrect password"."""
    causes = [error, *getattr(error, "args", ())]
    return any(type(c).__name__ == "PDFPasswordIncorrect" or "password" in str(c).lower() for c in causes)


def _pdfium_pages(path: Path):
    import pypdfium2

    return pypdfium2.PdfDocument(str(path))


def _drop_running_heads(blocks: list[Block]) -> list[Block]:
    """Remove a header or footer line printed on many pages (苏州市审计局2026年度部门预算公开)."""
    pages: dict[str, set[int]] = {}
    for block in blocks:
        if block.kind == "para" and len(block.text) <= _MAX_HEADING:
            pages.setdefault(block.text, set()).add(block.page or 0)
    total = len({b.page for b in blocks})
    running = {text for text, seen in pages.items() if len(seen) >= max(3, total // 3)
               and not TABLE_CODE_LINE.match(text) and "单位" not in text}
    return [b for b in blocks if not (b.kind == "para" and b.text in running)]


def read_page(page, number: int) -> list[Block]:
    """One page: its tables and the text lines between them, in reading order. A table drawn
    without rulings is read from its words' positions (ingest.positioned)."""
    tables = page.find_tables()
    words = positioned.words_of(page.extract_words(keep_blank_chars=True, x_tolerance=2, y_tolerance=2))
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, Block]] = []
    grids: list[tuple[float, list[Row], list[Word]]] = []
    for table in tables:
        # cells keep their line breaks until the lines above the grid are lifted out: a title and
        # its 编制单位/单位 line printed in one merged cell are two lines, not one run of text
        grid = [[(c or "").strip() for c in cells] for cells in table.extract()]
        grid = [cells for cells in grid if any(cells)]  # empty columns go per table (tables.join_grids)
        xs = tuple(round(column.bbox[0], 1) for column in table.columns)
        rows = [Row(None, cells, "\t".join(cells), page=number, xs=xs if len(xs) == len(cells) else ())
                for cells in grid]
        rows, box = _with_strays(rows, table, words, boxes)
        inside = [w for w in words if _inside_box(w, [box]) and not (is_meta(w.text) or is_table_title(w.text))]
        grids.append((table.bbox[1], rows, inside))
    if not tables:
        for top, bottom, rows in _positioned_tables(words, number):
            grids.append((top, rows, []))
            boxes.append((0, top - 1, page.width, bottom + 1))
    for top, rows, inside in grids:
        blocks = rows_to_blocks(rows, number, lift_any=False)
        tables_read = [b for b in blocks if b.kind == "table"]
        if len(tables_read) == 1:
            tables_read[0].words = inside
        for offset, block in enumerate(blocks):
            if block.kind == "heading":
                block.text = re.sub(r"\s+", "", block.text)
            for row in block.rows:  # inside the grid a line break is only a narrow cell wrapping
                row.cells = [c.replace("\n", "") for c in row.cells]
                row.raw = "\t".join(row.cells)
            items.append((top + offset * 0.01, block))
    outside = page.filter(lambda obj: not _inside(obj, boxes)) if boxes else page
    # y_tolerance 5: figures are often set in another font a point or two off the baseline
    lines = [line for line in outside.extract_text_lines(layout=False, strip=True, y_tolerance=5)
             if line["text"].strip() and not _PAGE_NUMBER.match(line["text"].strip())]
    right = max((line["x1"] for line in lines), default=0.0)
    wrapped: set[int] = set()
    for index, line in enumerate(lines, start=1):  # line numbers count text lines on the page
        block = Block("para", line["text"].strip(), index, page=number)
        wide = line["x1"] - line["x0"] >= _WRAP_WIDTH * page.width
        if wide and line["x1"] >= right - _WRAP_SLACK and not is_table_title(block.text):
            wrapped.add(id(block))  # ran to the right margin: the sentence goes on below
        items.append((line["top"], block))
    items.sort(key=lambda item: item[0])
    return _reflow([block for _, block in items], wrapped)


def _with_strays(rows: list[Row], table, words: list[Word], boxes: list) -> tuple[list[Row], tuple]:
    """A ruled grid with the rows a page break left just outside its rulings, and its box grown
    to them; the box joins the others, so their words are not read again as text."""
    columns = [(c.bbox[0], c.bbox[2]) for c in table.columns]
    x0, top, x1, bottom = table.bbox
    if not rows or len(columns) != len(rows[0].cells):
        return rows, table.bbox
    near = [w for w in words if not _inside_box(w, boxes) and w.x0 >= x0 - 2 and w.x1 <= x1 + 2]
    pitch = (bottom - top) / max(len(table.rows), 1) * 1.5
    above, below, first, last = positioned.stray_rows(positioned.lines_of(near), columns, top, bottom, pitch)
    if above or below:
        boxes.append((x0, first, x1, last))
    xs = rows[0].xs

    def row(cells: list[str]) -> Row:
        return Row(None, cells, "\t".join(cells), page=rows[0].page, xs=xs)
    return [*map(row, above), *rows, *map(row, below)], (x0, first, x1, last)


def _inside_box(word: Word, boxes: list) -> bool:
    x, y = word.middle, (word.top + word.bottom) / 2
    return any(x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1 for x0, top, x1, bottom in boxes)


def _positioned_tables(words: list[Word], number: int) -> list[tuple[float, float, list[Row]]]:
    """Tables on a page with no ruled grid: each region below a table title (or the page, when a
    table goes on from the page before), its title and 单位 lines left to the text."""
    lines = positioned.lines_of(words)
    starts = [i for i, line in enumerate(lines) if is_table_title("".join(w.text for w in line))] or [-1]
    if starts[0] > 0 and any(positioned.has_figure(line) for line in lines[:starts[0]]):
        starts = [-1, *starts]  # a continuation above the first title
    out = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        region = lines[start + 1:end]
        while region and _is_meta_line(region[0]):
            region = region[1:]
        region = [line for line in region if not _PAGE_NUMBER.match("".join(w.text for w in line))]
        rows, bottom = positioned.read_rows([w for line in region for w in line], number)
        if rows:
            out.append((min(w.top for w in region[0]), bottom, rows))
    return out


def _is_meta_line(line: list[Word]) -> bool:
    """公开01表, 部门名称：…, 单位：万元 — printed between a title and its table."""
    return all(is_meta(w.text) for w in line)


def _inside(obj, boxes) -> bool:
    if obj.get("object_type") != "char":
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1 for x0, top, x1, bottom in boxes)


def is_table_title(text: str) -> bool:
    """A title is short, but only its name counts: the year before it and a bracketed scope after
    it (2022年…支出预算表（不含上年结转）) are not prose, however long they make the line."""
    compact = re.sub(r"\s+", "", text)
    core = _TITLE_TRAILER.sub("", _TITLE_YEAR.sub("", compact))
    return len(core) <= _MAX_HEADING and bool(TABLE_TITLE.match(compact)) and bool(_TITLE_WORDS.search(compact))


def _reflow(blocks: list[Block], wrapped: set[int]) -> list[Block]:
    """Join wrapped lines into paragraphs; promote headings and table titles.

    A line that runs to the right margin was wrapped, so the next line continues it and
    it is never a heading; a line that stops short ends its paragraph.
    """
    result: list[Block] = []
    continues = False
    for block in blocks:
        if block.kind != "para":
            result.append(block)
            continues = False
            continue
        full = id(block) in wrapped
        compact = re.sub(r"\s+", "", block.text)
        if not continues and not full and (
                is_table_title(compact)
                or (_NUMBERED.match(compact) and len(compact) <= _MAX_HEADING and not _SENTENCE_END.search(compact))):
            result.append(Block("heading", compact, block.line, page=block.page, rank=heading_rank(compact)))
            continues = False
            continue
        if continues and result and result[-1].kind == "para":
            result[-1].text += block.text
        else:
            result.append(Block("para", block.text, block.line, page=block.page))
        continues = full
    return result
