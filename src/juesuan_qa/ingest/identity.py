"""Who published a disclosure, for which year, and of which kind — read from its text.

File names are often wrong, so identity comes from the cover lines and the
部门名称/单位名称 lines printed above the tables.
"""

from __future__ import annotations

import re
from collections import Counter

from juesuan_qa.ingest.blocks import Block
from juesuan_qa.textutil import fold

_NAME_LINE = re.compile(r"^(?:部门|单位)名称\s*[:：]\s*(\S+)")
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
    names = Counter(m.group(1) for b in blocks if b.kind == "para" for m in [_NAME_LINE.match(b.text)] if m)
    department = names.most_common(1)[0][0] if names else (cover[0] if cover else "")
    title = fold("".join(cover[:3])) or department
    years = Counter(int(y) for text in [title] for y in _YEAR.findall(text))
    if not years:
        years = Counter(int(y) for b in blocks[:200] if b.kind in ("para", "heading") for y in _YEAR.findall(b.text))
    year = years.most_common(1)[0][0] if years else None
    kinds = Counter(m.group(2) for m in _COVER_KIND.finditer(title))
    if not kinds:
        kinds = Counter(m.group(2) for b in blocks if b.kind == "heading" for m in _COVER_KIND.finditer(b.text))
    kind = kinds.most_common(1)[0][0] if kinds else ""
    return department, year, kind, title
