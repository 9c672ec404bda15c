"""Blocks: the format-neutral shape every reader produces.

A reader turns a file into a flat list of headings, paragraphs and tables, each with
its line (and page, when the source has pages). Everything after this point —
table recognition, facts, passages — works on blocks and never on a file format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_CN_ITEM = re.compile(r"^[一二三四五六七八九十]+、")
_CN_SUB = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_NUM_ITEM = re.compile(r"^\d+[、.．]")


@dataclass(frozen=True)
class Word:
    """A word where a PDF page prints it: tables without rulings are read from these."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Row:
    line: int | None  # 1-based source line; None where the source has pages, not lines (PDF rows)
    cells: list[str]
    raw: str
    page: int | None = None
    file: str = ""
    xs: tuple[float, ...] = ()  # left edge of each cell's column on the page (PDF grids), for aligning pages


@dataclass
class Block:
    kind: str  # heading | para | table
    text: str
    line: int
    page: int | None = None
    rank: int = 0  # heading depth by its numbering, see heading_rank
    rows: list[Row] = field(default_factory=list)
    code: str = ""  # a table title's printed code (公开01表, 表5) when printed apart from the title
    file: str = ""  # set when a disclosure is read from several files
    # a PDF grid's words where they stand, to read it again by position when its cells fail the checks
    words: list[Word] = field(default_factory=list)


def heading_rank(text: str) -> int:
    """Depth of a heading by its numbering, not by its markup.

    Converted disclosures mark headings with inconsistent levels (a 三级 heading as ##,
    a 二级 one as ####), while the numbering (第一部分 > 一、 > （一） > 1、) is reliable.
    Unnumbered headings (table titles, project sheets) sit under the current part.
    """
    text = text.strip()
    if _PART.match(text):
        return 1
    if _CN_ITEM.match(text):
        return 2
    if _CN_SUB.match(text):
        return 3
    if _NUM_ITEM.match(text):
        return 4
    return 2


def heading_paths(blocks: list[Block]) -> list[tuple[str, ...]]:
    """The heading path in force at each block (for a heading: the path it opens)."""
    stack: list[tuple[int, str]] = []
    paths: list[tuple[str, ...]] = []
    for block in blocks:
        if block.kind == "heading":
            while stack and stack[-1][0] >= block.rank:
                stack.pop()
            stack.append((block.rank, block.text))
        paths.append(tuple(text for _, text in stack))
    return paths
