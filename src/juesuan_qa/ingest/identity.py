"""Who published a disclosure, for which year, and of which kind — read from its text.

File names are often wrong, so identity comes from the cover lines and the
部门名称/单位名称 lines printed above the tables.
"""

from __future__ import annotations

import re
from collections import Counter

from juesuan_qa.ingest.blocks import Block
from juesuan_qa.textutil import fold

_NAME_LINE = re.compile(r"(?:部门名称|单位名称|预算主管部门|主管部门|预算单位)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,30})")
_ORG = re.compile(r"([\u4e00-\u9fff]{2,20}?(?:委员会|办公室|管理局|局|厅|委|中心|院|所|馆|站|队|会)(?:（本级）|\(本级\))?)")
_YEAR_SPLIT = re.compile(r"\d{4}\s*年度?")
_YEAR = re.compile(r"(20\d{2})\s*年度?")
_COVER_KIND = re.compile(r"(部门|单位)?(决算|预算)(公开)?")


def read_identity(blocks: list[Block]) -> tuple[str, int | None, str, str]:
    """(department, year, kind, title) of a disclosure."""
    cover: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            break
        if block.kind == "para":
            cover.append(block.text)
    names = Counter(m.group(1) for b in blocks if b.kind == "para" for m in [_NAME_LINE.search(b.text)] if m)
    if names:
        department = names.most_common(1)[0][0]
    else:  # the cover names the department first (上海市普陀区财政局 / 2024年度部门决算)
        found = [m.group(1) for text in cover[:4] for piece in _YEAR_SPLIT.split(fold(text))
                 for m in _ORG.finditer(piece)]
        department = found[0] if found else (cover[0] if cover else "")
    title = re.sub(r"目录$", "", fold("".join(cover[:3]))) or department
    years = Counter(int(y) for text in [title] for y in _YEAR.findall(text))
    if not years:
        years = Counter(int(y) for b in blocks[:200] if b.kind in ("para", "heading") for y in _YEAR.findall(b.text))
    year = years.most_common(1)[0][0] if years else None
    kinds = Counter(m.group(2) for m in _COVER_KIND.finditer(title))
    if not kinds:
        kinds = Counter(m.group(2) for b in blocks if b.kind == "heading" for m in _COVER_KIND.finditer(b.text))
    kind = kinds.most_common(1)[0][0] if kinds else ""
    return department, year, kind, title
