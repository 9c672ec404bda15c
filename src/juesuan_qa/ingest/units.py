"""The units a disclosure says it covers, by name: asked by its own name, a unit is that document.

A department's budget covers its own office and the units under it (北京市民政局: 15 预算单位; 西安市统
计局（汇总）: 西安市社会经济调查中心 …). The document names them in two places: the sentence that lists
its 预算单位 (从预算单位构成看…包括：A、B、C / 下属12个二级预算单位，分别是…), which may run on over
the next lines, and a table column headed 单位名称. Every item there shaped like an organisation name
(it ends with a head noun) is a unit; the department itself (市民政局（本级）) is not.
"""

from __future__ import annotations

import re

from juesuan_qa.domain.orgnames import HEADS, fit, split_scope
from juesuan_qa.domain.places import is_place, leading_places
from juesuan_qa.ingest.blocks import Block
from juesuan_qa.textutil import fold

# the sentence that opens a list of the units a document covers
_OPENER = re.compile(r"预算单位|所属单位|下属单位|二级单位|单位构成|编制范围的单位|(?:部门|汇总)(?:预算|决算).{0,4}包括")
_LIST_START = re.compile(r"(?:分别是|分别为|包括|包含|如下|具体为|有)[:：]?")
_ITEM_SPLIT = re.compile(r"[、，,；;。：:]|(?<=[\u4e00-\u9fff）)])(?:和|及|以及)(?=[\u4e00-\u9fff])")
_NUMBERING = re.compile(r"^(?:\d{1,2}[.、．]|[（(][\d一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.])")
_TAIL = re.compile(r"(?:本级)?(?:预算|决算)$")
_GENERIC = re.compile(r"^(?:[\u4e00-\u9fff]{0,4}事业单位|行政单位|参公单位|部门本级|本级|机关|部门|单位|下属单位|所属单位)$")
_HEAD_WORDS = tuple(sorted(HEADS, key=len, reverse=True))
_ASIDE = re.compile(r"[（(][^（）()]*(?:单位|核算|本级)[^（）()]*[）)]")
_READ_ON = 6  # lines a unit list may run on over after its opening sentence


def _item(text: str) -> str:
    text = _TAIL.sub("", _NUMBERING.sub("", fold(text).strip()))
    text = _ASIDE.sub("", text)  # （参公事业单位）
    text = re.sub(r"^(?:是|为|其中|以及|和|及)", "", text)
    return text


def _is_unit(name: str, department: str) -> bool:
    """A unit's name opens with its place (内设机构 such as 综合计划处 do not, nor do clauses of prose
    that end in 局: 开好局, 治理格局) and is not the department itself (区司法局本部)."""
    bare = split_scope(name)[0]
    if not (4 <= len(bare) <= 30 and bare.endswith(_HEAD_WORDS)) or _GENERIC.match(bare) or re.search(r"\d|下设|内设", bare):
        return False
    places = leading_places(bare)
    if not places or not (places[0][2] or is_place(bare[:places[0][1]])):
        return False
    return fit(re.sub(r"(?:本部|本级|机关)$", "", bare), department) == 0


def _from_lists(blocks: list[Block], department: str) -> list[str]:
    lines = [b for b in blocks if b.kind in ("para", "heading")]
    found: list[str] = []
    for at, block in enumerate(lines):
        opener = _OPENER.search(fold(block.text))
        if not opener or block.kind != "para":
            continue
        text = fold(block.text)[opener.start():]
        for after in lines[at + 1:at + 1 + _READ_ON]:
            if after.kind == "heading":
                break
            text += fold(after.text)
        start = _LIST_START.search(text)
        if not start:
            continue
        text = _ASIDE.sub("", text)  # （事业单位，合并在市司法局本级核算）: an aside, its commas no separators
        for piece in _ITEM_SPLIT.split(text[start.end():]):
            name = _item(piece)
            if _is_unit(name, department):
                found.append(name)
    return found


def _from_tables(blocks: list[Block], department: str) -> list[str]:
    found: list[str] = []
    for block in blocks:
        if block.kind != "table" or not block.rows:
            continue
        column = None
        for row in block.rows:
            cells = [fold(c) for c in row.cells]
            if column is None:
                column = next((i for i, c in enumerate(cells) if c == "单位名称"), None)
                continue
            if column < len(cells) and _is_unit(cells[column], department):
                found.append(cells[column])
    return found


def named_units(blocks: list[Block], department: str) -> list[str]:
    """The units a disclosure names as covered, each once, in print order."""
    return list(dict.fromkeys(_from_lists(blocks, department) + _from_tables(blocks, department)))
