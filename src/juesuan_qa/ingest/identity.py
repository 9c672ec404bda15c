"""Who published a disclosure, for which year, and of which kind — read from its text.

File names are often wrong, so identity comes from the cover and title lines, the
部门名称/单位名称/预算单位 lines printed above the tables, and — for a file whose cover is
an image — the sentence that opens its 职责 section (北京市人民政府办公厅主要职责包括…).

An agency's name nests other agency words (北京市人力资源和社会保障局 holds 社会,
中共XX区委社会工作部 holds 区委, 福州市公安局交通管理支队 holds 公安局), so a name is the
longest run of the title line that ends in an agency word, after the document words
(2026年度, 部门预算, 信息公开) are cut off — never the shortest.
"""

from __future__ import annotations

import re
from collections import Counter

from juesuan_qa.ingest.blocks import Block
from juesuan_qa.textutil import fold

_NAME_LINE = re.compile(r"(?:部门名称|单位名称|预算主管部门|主管部门|预算单位|编制单位|编报单位)\s*[:：]\s*"
                        r"([\u4e00-\u9fff（）()]{3,40}?)(?=\s|单位\s*[:：]|金额单位|[^\u4e00-\u9fff（）()]|$)")
_SUFFIX = ("委员会", "办公室", "管理局", "大学", "学院", "医院", "政协", "局", "厅", "委", "中心", "院", "所", "馆", "站", "队", "会", "部", "署", "办",
           "处", "室", "社", "团", "校", "场", "园", "台", "府")
_ORG = re.compile(r"^([\u4e00-\u9fff（）()]{2,38}(?:" + "|".join(_SUFFIX) + r"))((?:（(?:本级|汇总|本部)）)?)")
# where the agency name ends on a title line: the year, or the words naming the document
# (北京市统计局部门 2026 年度: a name never ends in 部门 or 单位)
_DOC_WORDS = re.compile(r"(?:部门|单位)(?=\d{4}|$)|\d{4}\s*年度?|[二〇零一二三四五六七八九]{4}年|(?:部门|单位)?(?:预算|决算)|信息公开|情况说明|目录")
_DUTIES = re.compile(r"^([\u4e00-\u9fff（）()]{4,38}?(?:" + "|".join(_SUFFIX) + r"))(?:的)?(?:主要职责|主要职能|职责|是)")
_LEADING_YEAR = re.compile(r"^\d{4}\s*年度?")
_LEVEL = re.compile(r"（(?:本级|汇总|本部)）")
_YEAR = re.compile(r"(20\d{2})\s*年度?")
_COVER_KIND = re.compile(r"(部门|单位)?(决算|预算)(公开)?")
_COLUMN_KIND = re.compile(r"(?<!年初)(?<!上年)(决算|预算)数")  # 年初预算数 stands in a 决算's tables too
# reviewers' stamps and notes printed on covers: never part of a title
_STAMP = re.compile(r"(?:保密审查|审核人|审查人|经办人|联系电话|签发)[^。]*")


def org_name(text: str) -> str:
    """The agency a title line names, or "" when it names none (2026年度部门预算, 目录)."""
    text = _STAMP.sub("", fold(text)).replace("(", "（").replace(")", "）")
    text = _LEADING_YEAR.sub("", text)
    head = _DOC_WORDS.split(text, maxsplit=1)[0]
    level = _LEVEL.search(head)
    if level:  # nothing follows （本级）/（汇总） in a name (深圳市审计局（本级）部 / 门预算 wraps mid-word)
        head = head[:level.end()]
    match = _ORG.match(head)
    if not match:
        return ""
    return match.group(1) + match.group(2)


def _cover(blocks: list[Block]) -> list[str]:
    """The paragraphs before the first heading."""
    lines: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            break
        if block.kind == "para" and block.text.strip():
            lines.append(fold(block.text))
    return lines


def read_identity(blocks: list[Block]) -> tuple[str, int | None, str, str]:
    """(department, year, kind, title) of a disclosure."""
    cover = _cover(blocks)
    names = Counter(m.group(1) for b in blocks if b.kind == "para" for m in [_NAME_LINE.search(fold(b.text))] if m)
    # the cover read as one line: a title wraps anywhere, even inside 部门 (北京市统计局部 / 门预算)
    found = [name for text in ["".join(cover[:4]), *cover[:4]] for name in [org_name(text)] if name]
    if names:
        department = names.most_common(1)[0][0]
        # 北京市民政局 in a name line, 北京市民政局（本级） on the cover
        level = [f for f in found if f.startswith(department) and _LEVEL.fullmatch(f[len(department):])]
        department = level[0] if level else department
    elif found:
        department = found[0]
    else:  # a cover printed as an image: the sentence that opens the 职责 section names the agency
        duties = [m.group(1) for b in blocks[:80] if b.kind == "para" for m in [_DUTIES.match(fold(b.text))] if m]
        department = duties[0] if duties else ""
    department = department.replace("(", "（").replace(")", "）")  # official names print full-width brackets
    title = re.sub(r"目录$", "", _STAMP.sub("", "".join(cover[:3]))) or department
    kinds = Counter(m.group(2) for m in _COVER_KIND.finditer(title))
    if not kinds:
        kinds = Counter(m.group(2) for b in blocks if b.kind == "heading" for m in _COVER_KIND.finditer(b.text))
    if not kinds:  # a tables-only file (公开01表 财政拨款收支总表): its columns say 预算数 or 决算数
        kinds = Counter(m.group(1) for b in blocks if b.kind == "table" for row in b.rows[:4]
                        for cell in row.cells for m in _COLUMN_KIND.finditer(fold(cell)))
    kind = kinds.most_common(1)[0][0] if kinds else ""
    return department, _fiscal_year(blocks, title, kind), kind, title


_YEAR_ALONE = re.compile(r"^\s*(20\d{2})\s*年?度?\s*$")
_YEAR_GAP = re.compile(r"^\s*年度?(?:部门|单位)?")  # 年部门收支总体情况表: a title whose year is printed apart


def _fiscal_year(blocks: list[Block], title: str, kind: str) -> int | None:
    """The year the title block gives: in the title, or printed on a line of its own just before or
    after a title line that opens with 年 (2026 / 年部门收支总体情况表); then the headings. Prose
    names other years (比2025年, 截至2025年底), so it dates a document only when nothing printed
    as a title does, and then a budget is of the latest year its prose names more than once."""
    years = Counter(int(y) for y in _YEAR.findall(title))
    if years:
        return years.most_common(1)[0][0]
    lines = [b for b in blocks[:400] if b.kind in ("heading", "para")]
    apart = Counter()
    for at, block in enumerate(lines):
        if _YEAR_GAP.match(fold(block.text)) and block.text.strip()[:1] == "年":
            for near in lines[max(0, at - 2):at] + lines[at + 1:at + 2]:
                alone = _YEAR_ALONE.match(fold(near.text))
                if alone:
                    apart[int(alone.group(1))] += 1
    if apart:
        return apart.most_common(1)[0][0]
    years = Counter(int(y) for b in blocks[:200] if b.kind == "heading" for y in _YEAR.findall(b.text))
    if years:  # headings name the document's year (第一部分2026年度部门预算情况说明)
        return years.most_common(1)[0][0]
    # the year printed apart from its words (重庆's covers: "2026" out of reading order)
    years = Counter(int(y) for b in blocks[:200] if b.kind == "para"
                    for y in re.findall(r"(?<![\d,.])(20\d{2})(?![\d,.])", b.text))
    if not years:
        return None
    repeated = [y for y, n in years.items() if n >= 2]
    if kind == "预算" and repeated:  # a budget compares with years before it, never after
        return max(repeated)
    return years.most_common(1)[0][0]
