"""Project self-evaluation sheets (项目支出绩效自评表) → a Project record, facts and narrative.

The sheets are forms with merged cells, so converted rows start at varying columns.
Fields are therefore found by their printed labels (项目名称, 资金总额, 总分) and indicator
lines by their shape: name, 年初指标值, 调整后指标值, 实际完成值, then 分值 (a number).
"""

from __future__ import annotations

import re

from juesuan_qa.ingest.blocks import Block, Row
from juesuan_qa.ingest.prose import chunk_text
from juesuan_qa.records import Fact, Indicator, Locator, Passage, Project
from juesuan_qa.textutil import fold, parse_number

SHEET_TITLE = re.compile(r"(绩效自评表|绩效目标表)")
_YEAR_SUFFIX = re.compile(r"\s*[（(]\s*\d{4}\s*年度?\s*[）)]\s*$")
_FUNDS = ("目标申报数", "预算编制数", "全年预算数", "全年执行数", "资金结(转)余", "执行率", "得分")
_FUND_UNITS = ("万元", "万元", "万元", "万元", "万元", "%", "分")
_GRADES = ("优", "良", "中", "差")
_NARRATIVE_MIN = 20  # a cell this long is prose, not a label or a target value
SHEET_TABLE = "项目支出绩效自评表"


def sheet_section(title: str) -> str:
    """The sheet's heading without its (2023年度) suffix: the section a citation names."""
    return _YEAR_SUFFIX.sub("", title).strip()


def project_name(section: str) -> str:
    return re.sub(r"(项目)?支出绩效自评表$|绩效目标表$", "", section).strip() or section


def read_project(title: Block, body: list[Block], doc_id: str,
                 heading: tuple[str, ...]) -> tuple[Project, list[Fact], list[Passage]]:
    section = sheet_section(title.text)
    rows = [row for block in body if block.kind == "table" for row in block.rows]
    name = _field_after(rows, "项目名称") or project_name(section)
    facts: list[Fact] = []

    def fact(row: Row, label: str, column: str, value: float, unit: str) -> None:
        facts.append(Fact(SHEET_TABLE, section, name, label, "", column, value, unit, False,
                          Locator(doc_id, None, section, line=row.line, page=row.page, quote=row.raw,
                                  file=row.file)))

    targets = "目标表" in section  # indicators with target values, no points
    in_indicators = False
    funds: dict[str, float] = {}
    score: float | None = None
    grade = ""
    indicators: list[Indicator] = []
    for row in rows:
        cells = [c for c in row.cells]
        stripped = [fold(c) for c in cells]
        if any(c.startswith("资金总额") for c in stripped) and not funds:
            numbers = [parse_number(c) for c in cells if parse_number(c) is not None]
            if len(numbers) == len(_FUNDS):
                for label, unit, value in zip(_FUNDS, _FUND_UNITS, numbers, strict=True):
                    funds[label] = value
                    fact(row, "资金总额", label, value, unit)
            elif len(numbers) == 1:  # a target sheet (绩效目标表) states the planned total only
                funds["全年预算数"] = numbers[0]
                fact(row, "资金总额", "全年预算数", numbers[0], "万元")
            continue
        if "总分" in stripped:
            after = stripped[stripped.index("总分") + 1:]
            numbers = [parse_number(c) for c in after if parse_number(c) is not None]
            grades = [c for c in after if c in _GRADES]
            if numbers:
                score = numbers[0]
                fact(row, "总分", "得分", score, "分")
            grade = grades[0] if grades else grade
            continue
        if "三级指标" in stripped or "指标值" in stripped:
            in_indicators = True
            continue
        indicator = _indicator(row) or (_target(row) if targets and in_indicators else None)
        if indicator:
            indicators.append(indicator)
            if indicator.weight is not None:
                fact(row, indicator.name, "分值", indicator.weight, "分")
            if indicator.score is not None:
                fact(row, indicator.name, "得分", indicator.score, "分")
    project = Project(
        name=name, section=section,
        budget=funds.get("全年预算数"), executed=funds.get("全年执行数"), rate=funds.get("执行率"),
        score=score, grade=grade, indicators=tuple(indicators),
        loc=Locator(doc_id, None, section, line=title.line, page=title.page, quote=title.text, file=title.file),
    )
    return project, facts, _narrative(rows, doc_id, (*heading, section))


def _target(row: Row) -> Indicator | None:
    """A target-sheet indicator line: …, 三级指标, 指标值 (≥95%), no points."""
    cells = [c for c in row.cells if c]
    if len(cells) < 2 or not re.match(r"^[≥≤=<>＞＜≧≦]|^\d", cells[-1]) or len(cells[-2]) > 40:
        return None
    return Indicator(name=fold(cells[-2]), target=cells[-1], actual="", weight=None, score=None, note="",
                     line=row.line or 0)


def _field_after(rows: list[Row], label: str) -> str:
    for row in rows:
        cells = [c for c in row.cells if c]
        if cells and fold(cells[0]) == label and len(cells) > 1:
            return cells[1]
    return ""


def _indicator(row: Row) -> Indicator | None:
    """An indicator line: skip leading category cells, anchor on the 分值 column (a number)."""
    cells = list(row.cells)
    while cells and not cells[0]:
        cells.pop(0)
    for j in range(4, len(cells)):
        weight = parse_number(cells[j])
        following = cells[j + 1] if j + 1 < len(cells) else ""
        if weight is None or not (following == "" or parse_number(following) is not None):
            continue
        name = cells[j - 4]
        if not name or parse_number(name) is not None or len(name) > 40:
            continue
        return Indicator(
            name=fold(name), target=cells[j - 3] or cells[j - 2], actual=cells[j - 1],
            weight=weight, score=parse_number(following),
            note=cells[j + 2] if j + 2 < len(cells) else "", line=row.line,
        )
    return None


def _narrative(rows: list[Row], doc_id: str, heading: tuple[str, ...]) -> list[Passage]:
    """Long cells (执行情况, 偏差原因, 改进措施 …) as passages labelled by the cell before them."""
    passages: list[Passage] = []
    previous: list[str] = []
    for row in rows:
        label = ""
        for index, cell in enumerate(row.cells):
            text = cell.strip()
            if not text:
                continue
            if len(text) >= _NARRATIVE_MIN and parse_number(text) is None:
                # a form cell without a label beside it is labelled by the header above it
                # (年度目标 | 实际完成情况 sit one row up, in the same columns)
                above = previous[index] if index < len(previous) else ""
                own = label or (above if len(above) < _NARRATIVE_MIN else "")
                path = (*heading, fold(own)) if own else heading
                for chunk in chunk_text(text):
                    pid = f"{doc_id}:{row.file}:{row.page}:{row.line}:{index}:{len(passages)}"
                    passages.append(Passage(pid, doc_id, path, chunk, row.line, row.line, kind="project",
                                            page=row.page, file=row.file))
            elif parse_number(text) is None:
                label = text
        previous = [c.strip() for c in row.cells]
    return passages
