"""Audit rules about what the prose says rather than what it sums to: a subject's name against the
table's, a direction word (增加/减少/持平, 大于/小于) against its figures, an empty table stated as
such, the year a heading or title names, and the two wording slips GovBudgetChecker lists (a word
printed twice, 完成年初预算的X% where 年初预算 is 0).

Each finding cites both sides: the sentence (its passage, page and words) and the table cell or
title it is held against. Pure functions over one document's records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from juesuan_qa.audit_rules import MISMATCH, OK, Finding, lead, name
from juesuan_qa.domain.units import FIGURE, MONEY, convert, parse_figure
from juesuan_qa.domain.vocabulary import DIRECTION_WORDS
from juesuan_qa.records import Fact, Passage, TableRecord, TextFigure
from juesuan_qa.textutil import fold, norm_label, split_sentences


@dataclass(frozen=True)
class Said:
    """A sentence of the prose, cited by its passage: the source of a finding about words."""

    passage: Passage
    sentence: str


# 卫生健康支出（类）, 公共安全支出（204类）: a functional subject named in prose, at its level
_SUBJECT = re.compile(r"([\u4e00-\u9fff“”（）()]{2,24}?支出)\s*[（(]\s*(\d{3})?\s*类\s*[）)]")
_EMPTY_TYPES = {"gov_fund": ("政府性基金",), "state_capital": ("国有资本经营",)}
_SAYS_EMPTY = re.compile(r"无数据|空表|没有|无[^，,。；]{0,14}(?:收入|支出|预算|决算|发生额)|未安排|不涉及|无此|"
                         r"(?:为|是)\s*0(?![\d.])|(?<![\d.])0(?:\.0+)?\s*(?:万元|元)")
_TITLE_YEAR = re.compile(r"(20\d{2})\s*年")
# 比2025年 / 与2023年相比 / 2025年8月 in a heading: a comparison or a date, not the year the heading is of
_NOT_OF_TITLE = re.compile(r"(?:比|较|与|同|截至|截止)\s*20\d{2}\s*年度?(?:相比)?|20\d{2}\s*年\s*\d{1,2}\s*月")
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,4})\1")  # 增加增加 (GovBudgetChecker R003)
_ZERO_BUDGET = re.compile(r"年初预算(?:数)?(?:为|是)?\s*0(?:\.0+)?\s*万?元?(?![.\d])")
_OF_INITIAL = re.compile(r"完成年初预算的\s*\d")
_LEVELS = re.compile(r"[（(][类款项\d]*[）)]")


def _plain(label: str) -> str:
    return _LEVELS.sub("", norm_label(fold(label))).strip("“”")


def subject_names(facts: list[Fact], figures: list[TextFigure]) -> Iterator[Finding]:
    """A 类 named in prose by another name than the table's row for it (医疗卫生与计划生育支出 in the
    text, 卫生健康支出 in the table): matched by its printed code, or else by its amount."""
    classes = [f for f in facts if len(f.code) == 3 and f.code.startswith("2") and not f.empty and f.value
               and f.unit in MONEY]
    for figure in figures:
        said = ([None, *_SUBJECT.finditer(lead(figure))])[-1]
        between = [parse_figure(m)[1] for m in FIGURE.finditer(lead(figure), said.end())] if said else []
        if said is None or figure.unit not in MONEY or any(u in MONEY for u in between):
            continue  # the subject named last before the figure, with no other amount between them
        named, code = _plain(said.group(1)), said.group(2)
        if code:
            rows = [f for f in classes if f.code == code]
        else:
            rows = [f for f in classes if abs(convert(f.value, f.unit, "万元") - convert(figure.value, figure.unit, "万元"))
                    < 0.006]
        names = {_plain(f.row) for f in rows}
        if not rows or len(names) != 1:
            continue
        row = rows[0]
        same = named in names or any(n in named or named in n for n in names)
        yield Finding("prose_name", OK if same else MISMATCH,
                      f"{name(figure)}称“{said.group(1)}”；表中同一科目（{row.code}）“{row.title}”称“{row.row}”"
                      + ("" if same else "；名称不一致"), 0.0, 0.0, 0.0, (figure, row))


_COMPARE = re.compile(r"(?:比|较|与)[^，,。；\d]{0,20}(?:20\d{2}\s*年[^，,。；\d]{0,12})?(?=\d)")
_DIRECTION = re.compile("(" + "|".join(sorted(DIRECTION_WORDS, key=len, reverse=True)) + ")")


def directions(figures: list[TextFigure]) -> Iterator[Finding]:
    """A comparison of two amounts stated in words (比年初预算数120.00万元增加 / 持平, 决算数大于预算数)
    whose word disagrees with the amounts: the base named right after 比/较/与, the word after it.
    A change stated with its own amount (比上年减少3万元) is recomputed by the growth rules instead."""
    by_sentence: dict[tuple, list[TextFigure]] = {}
    for figure in figures:
        by_sentence.setdefault((figure.loc.doc_id, figure.loc.line, figure.sentence), []).append(figure)
    for group in by_sentence.values():
        for statement in re.split(r"[；;]", group[0].sentence):
            found = list(FIGURE.finditer(statement))
            if len(found) != 2 or any(parse_figure(m)[1] not in ("万元", "元", "亿元") for m in found):
                continue
            first, second = found
            compare = _COMPARE.search(statement, first.end())
            if compare is None or compare.end() > second.start() or _DIRECTION.search(statement, first.end(), second.start()):
                continue  # no base after 比, or the second amount is the change (比上年减少3万元)
            clause = re.split(r"[，,。；;]|主要|原因|其中", statement[second.end():])[0]
            word = _DIRECTION.search(clause)  # the word right after the base: 比上年120万元增加, not a cause's 增加
            if word is None:
                continue
            (now, unit_now), (base, unit_base) = parse_figure(first), parse_figure(second)
            now, base = convert(now, unit_now, "万元"), convert(base, unit_base, "万元")
            said = word.group(1)
            way = DIRECTION_WORDS[said]
            holds = abs(now - base) < 0.006 if way == "平" else (now > base) == (way == "增") and abs(now - base) >= 0.006
            sources = tuple(f for f in group if f.sentence == group[0].sentence)
            yield Finding("prose_direction", OK if holds else MISMATCH,
                          f"文字说明“{group[0].loc.section}”称“{statement.strip()}”：{now:,.2f}万元与{base:,.2f}万元相比为"
                          f"“{said}”" + ("" if holds else "，与数字不符"), base, now, round(now - base, 8), sources)


def empty_tables(tables: list[TableRecord], facts: list[Fact], passages: list[Passage]) -> Iterator[Finding]:
    """A 政府性基金 / 国有资本经营 table with no figure must say it is empty (本表无数据, 无相关支出),
    under the table or in the prose (GovBudgetChecker D-008, D-009)."""
    doc_id = next((p.doc_id for p in passages), next((f.loc.doc_id for f in facts), ""))
    for record in tables:
        words = _EMPTY_TYPES.get(record.type or "")
        if not words:
            continue
        cells = [f for f in facts if f.table == record.table and f.title == record.title]
        if any(f.value and not f.empty for f in cells):
            continue
        stated = bool(record.note) or any(
            any(w in fold(s) for w in words) and _SAYS_EMPTY.search(fold(s))
            for p in passages for s in split_sentences(p.text, semicolons=False))
        yield Finding("empty_table", OK if stated else MISMATCH,
                      f"{record.title}没有数字" + ("，已说明为空表" if stated else "，但表下和文字说明均未说明为空表（如“本表无数据”）"),
                      0.0, 0.0, 0.0, (_printed(record, doc_id),))


def _printed(record: TableRecord, doc_id: str) -> Said:
    """A table with no cells, cited by its title where it is printed."""
    where = Passage(f"{doc_id}:table:{record.table}", doc_id, (record.title,), record.title, record.line, record.line,
                    page=record.page, file=record.file)
    return Said(where, record.title)


def heading_years(year: int | None, facts: list[Fact], passages: list[Passage]) -> Iterator[Finding]:
    """A table title or heading naming a year other than the disclosure's (a template of last year
    left in): the year of 上年 columns and of 比2025年 comparisons is not a title's."""
    if not year:
        return
    titles = {}
    for fact in facts:
        titles.setdefault(fact.title, fact)
    for title, fact in titles.items():
        named = {int(y) for y in _TITLE_YEAR.findall(title)}
        if named and year not in named:
            yield Finding("heading_year", MISMATCH, f"表格标题“{title}”写的是{'、'.join(map(str, sorted(named)))}年，"
                                                    f"本文件是{year}年度", float(year), float(min(named)),
                          float(min(named) - year), (fact,))
    seen = set()
    for passage in passages:
        heading = passage.heading[-1] if passage.heading else ""
        named = {int(y) for y in _TITLE_YEAR.findall(_NOT_OF_TITLE.sub("", heading))}
        if heading in seen or not named or year in named:
            continue
        seen.add(heading)
        yield Finding("heading_year", MISMATCH, f"标题“{heading}”写的是{'、'.join(map(str, sorted(named)))}年，本文件是{year}年度",
                      float(year), float(min(named)), float(min(named) - year), (Said(passage, heading),))


def wording(passages: Iterable[Passage]) -> Iterator[Finding]:
    """A word printed twice (增加增加, GovBudgetChecker R003), and 完成年初预算的X% in a sentence that
    says 年初预算 is 0 (a rate of a zero budget; R004: 完成全年预算)."""
    for passage in passages:
        for sentence in split_sentences(passage.text, semicolons=False):
            text = fold(sentence)
            doubled = _DOUBLED.search(re.sub(r"\s+", "", sentence))  # as printed: “补助业务经费”经费 is no slip
            if doubled:
                yield Finding("wording", MISMATCH, f"“{doubled.group()}”重复", 0.0, 0.0, 0.0, (Said(passage, sentence),))
            if _ZERO_BUDGET.search(text) and _OF_INITIAL.search(text):
                yield Finding("wording", MISMATCH, "年初预算为0，却写“完成年初预算的…%”（应为“完成全年预算的…%”）",
                              0.0, 0.0, 0.0, (Said(passage, sentence),))

