"""A grid of cells → the blocks a table section expects, for every reader.

Office files and many PDFs print the title, 公开NN表, 部门名称 and 金额单位 lines inside
the table grid, and notes (注：…, 本表无数据) under it. collect_section reads those only
as paragraphs; left inside the grid they would become rows of empty facts. So the rows
above a grid that carry only such text are lifted out, a title among them opening the
section, and single-cell note rows below become paragraphs.
"""

from __future__ import annotations

import re

from juesuan_qa.ingest.blocks import Block, Row, heading_rank
from juesuan_qa.ingest.tables import NO_DATA, TABLE_CODE, UNIT
from juesuan_qa.textutil import fold

TITLE_MAX = 40  # a heading is short; a long bold line is emphasised prose
_TABLE_TITLE = re.compile(r"表\s*(?:[（(]\s*\d{4}\s*年度?\s*[）)])?$")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_META = re.compile(r"^(?:(?:编制|编报|预算|主管)?(?:部门|单位)(?:名称)?\s*[:：].*|(?:金额)?单位\s*[:：].*|\d{4}\s*年度?)$")


def looks_like_title(text: str) -> bool:
    """A table title (收入支出决算总表, …绩效自评表（2023年度）) or a 第X部分 / 目录 heading."""
    text = text.strip()
    if not text or len(text) > TITLE_MAX or TABLE_CODE.fullmatch(fold(text)):
        return False
    return bool(_TABLE_TITLE.search(text) or _PART.match(text) or fold(text) == "目录")


def is_meta(text: str) -> bool:
    """Lines printed above a grid: 公开01表, 部门名称：…, 金额单位：万元, 2023年度."""
    folded = fold(text)
    return bool(TABLE_CODE.fullmatch(folded) or UNIT.search(folded) or _META.match(folded))


def _is_note(text: str) -> bool:
    return text.startswith(("注", "说明")) or NO_DATA in text


def _text_block(line: int, text: str, page: int | None) -> Block:
    if looks_like_title(text):
        return Block("heading", text, line, page, rank=heading_rank(text))
    return Block("para", text, line, page)


def rows_to_blocks(rows: list[Row], page: int | None, *, lift_any: bool = True) -> list[Block]:
    """A grid → title/label paragraphs above it, table blocks, and note paragraphs.

    `lift_any=False` (PDF pages) lifts only title and label rows: there a one-cell first row
    may be the continuation of a table from the page before.
    """
    blocks: list[Block] = []
    table: Block | None = None
    top = True
    for row in rows:
        filled = [c for c in row.cells if c]
        if not filled:
            continue
        lines = [line.strip() for c in filled for line in c.split("\n") if line.strip()]
        lift = all(is_meta(c) or looks_like_title(c) for c in lines) or (lift_any and len(filled) == 1)
        if top and lift:
            blocks.extend(_text_block(row.line, c, page) for c in lines)
            continue
        if top:  # the title opens the section, so labels printed above it (公开01表) belong to it
            blocks.sort(key=lambda b: b.kind != "heading")
        top = False
        if len(filled) == 1 and _is_note(filled[0]):
            blocks.append(Block("para", filled[0].replace("\n", ""), row.line, page))
            table = None
            continue
        if table is None:
            table = Block("table", "", row.line, page)
            blocks.append(table)
        table.rows.append(row)
    return blocks
