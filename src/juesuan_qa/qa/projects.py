"""Questions about project self-evaluation sheets: which project, which field.

People shorten project names (提速扩能试点项目 for 晋城市电子政务外网提速扩能试点项目费用), so
a project is found by the longest run of characters it shares with the question.
Fields printed in the sheet's table are answered from it; when the sheet's own prose
states a different figure for the same thing (执行率 100 in the table, 79.26% in the
text), both are returned as two readings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan_qa.domain.units import FIGURE, parse_figure
from juesuan_qa.ingest.projects import SHEET_TABLE
from juesuan_qa.qa.router import Slots, longest_common, project_core
from juesuan_qa.records import Fact, Indicator, Project
from juesuan_qa.textutil import fold

MIN_SHARED = 4  # characters a question must share with a project name to mean it
INDICATOR_OVERLAP = 0.5

# (question pattern, fund column of the sheet, words that name it in the sheet's prose)
FUND_FIELDS: tuple[tuple[re.Pattern[str], str, re.Pattern[str]], ...] = (
    (re.compile(r"执行率"), "执行率", re.compile(r"执行率")),
    (re.compile(r"预算编制数|编制数|年初预算"), "预算编制数", re.compile(r"年初预算|预算编制")),
    (re.compile(r"目标申报数|申报数"), "目标申报数", re.compile(r"申报")),
    (re.compile(r"全年预算|预算数|预算是多少|预算多少|预算有多少|预算下达|下达|预算"), "全年预算数",
     re.compile(r"预算下达|下达|预算共计|项目预算|全年预算|批复资金|预算为|经费预算")),
    (re.compile(r"执行数|执行了|实际执行|花了|支出了|用了|实际花"), "全年执行数", re.compile(r"实际执行|执行|支付|实际支出")),
)
_GRADE = re.compile(r"等级|评级|评价结果|自评结果|档次")
_SCORE = re.compile(r"总分|得分|几分|多少分|打了|分数")


@dataclass(frozen=True)
class ProjectAnswer:
    project: Project
    facts: list[Fact]  # table readings (may be several when the prose disagrees it comes as a figure)
    field: str  # 总分 | 等级 | a fund column | an indicator name | "" (unresolved: ask the prose)
    prose: re.Pattern[str] | None = None  # how the sheet's prose names the field
    grade: bool = False


def find_project(slots: Slots, projects: list[Project]) -> Project | None:
    scored = []
    for project in projects:
        if project.loc.doc_id not in slots.doc_ids:
            continue
        shared = longest_common(slots.content, fold(project_core(project.name)))
        scored.append((shared, project))
    scored.sort(key=lambda item: -item[0])
    if not scored or scored[0][0] < MIN_SHARED:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two projects fit equally: not this module's call
    return scored[0][1]


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def find_indicator(content: str, project: Project) -> Indicator | None:
    """The indicator the question names, judged on what it says besides the project's name."""
    best, best_overlap = None, 0.0
    question = _bigrams(content) - _bigrams(fold(project.name))
    for indicator in project.indicators:
        grams = _bigrams(indicator.name)
        if not grams:
            continue
        overlap = len(grams & question) / len(grams)
        if overlap > best_overlap:
            best, best_overlap = indicator, overlap
    return best if best_overlap >= INDICATOR_OVERLAP else None


def wants_grade(content: str) -> bool:
    return bool(_GRADE.search(content))


def resolve(slots: Slots, project: Project, facts: list[Fact]) -> ProjectAnswer:
    sheet = [f for f in facts if f.table == SHEET_TABLE and f.loc.doc_id == project.loc.doc_id
             and f.title == project.section]
    content = slots.content
    if _GRADE.search(content):
        total = [f for f in sheet if f.row == "总分"]
        return ProjectAnswer(project, total, "等级", grade=True)
    for pattern, column, prose in FUND_FIELDS:
        if pattern.search(content):
            found = [f for f in sheet if f.row == "资金总额" and f.column == column]
            return ProjectAnswer(project, found, column, prose=prose)
    if "总分" in content:
        return ProjectAnswer(project, [f for f in sheet if f.row == "总分"], "总分")
    indicator = find_indicator(content, project)
    if indicator is not None:
        rows = [f for f in sheet if f.row == indicator.name]
        if _SCORE.search(content):
            return ProjectAnswer(project, [f for f in rows if f.column == "得分"], indicator.name)
        actual = indicator_actual(indicator, rows)
        return ProjectAnswer(project, [actual] if actual else [], indicator.name)
    if _SCORE.search(content):
        return ProjectAnswer(project, [f for f in sheet if f.row == "总分"], "总分")
    return ProjectAnswer(project, [], "")


def indicator_actual(indicator: Indicator, rows: list[Fact]) -> Fact | None:
    """The 实际完成值 of an indicator as a figure (=293台 → 293 台), cited to the indicator's line."""
    match = FIGURE.search(indicator.actual)
    if not match or not rows:
        return None
    base = rows[0]
    value, unit = parse_figure(match)
    return Fact(base.table, base.title, base.part, indicator.name, "", "实际完成值", value, unit, False, base.loc)
