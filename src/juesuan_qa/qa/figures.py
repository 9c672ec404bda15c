"""Figures stated in prose: find the sentence and the figure a question asks for.

A figure is scored by how much of the question it explains: question terms found in
the clause around the figure count most, then in its sentence, then in its heading.
Unit class filters first (a percentage question never gets an amount). The match must
explain most of the question, or the answer is an abstention, not a near miss.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from juesuan_qa.domain.units import unit_class
from juesuan_qa.domain.vocabulary import GRAND_ROWS, SIDE_TOTALS, SUBSET_WORDS, scope_named
from juesuan_qa.qa.router import Slots, dates_in
from juesuan_qa.records import TextFigure
from juesuan_qa.store.bm25 import tokenize
from juesuan_qa.textutil import fold

MIN_COVERAGE = 0.45
NEAR = 30  # characters before a figure's clause where its subject is usually named
BARE_FIGURE = 12  # a "sentence" this short is only the figure and its unit
_YEARS = re.compile(r"20\d\d年?")
_QUESTION_WORDS = {"多少", "几个", "几", "是", "了", "有", "多少钱", "百分之几", "百分之多少", "一共", "总共",
                   "比例", "比重", "占", "钱", "花", "这", "要", "个", "什么",
                   # the document itself, not what is asked of it
                   "部门预算", "单位预算", "部门决算", "单位决算", "预算公开", "决算公开"}
# What a figure does to its subject. When the question names one, the figure must do the
# same (减少 asks for the decrease, not the amount in the same sentence).
OPERATIONS = {
    "减少": ("减少", "下降", "降低"), "下降": ("下降", "减少", "降低"), "增加": ("增加", "增长", "上升"),
    "增长": ("增长", "增加", "上升"), "占比": ("占比", "占", "比重"), "比重": ("占比", "占", "比重"),
    "比例": ("占比", "占", "比例", "比重", "完成"), "完成": ("完成",), "年初预算": ("年初预算",),
    "执行率": ("执行率",), "下达": ("下达",), "实际执行": ("实际执行", "执行"), "合同": ("合同",),
    "追加": ("追加",), "批复": ("批复",), "支付": ("支付",),
}
OPERATION_BONUS = 6.0
_WHOLE_WORDS = GRAND_ROWS | SIDE_TOTALS | {"小计", "总额"}
CHANGES = ("减少", "下降", "增加", "增长")  # operations whose figure follows the word
_CHANGED = re.compile(r"(?:增加|减少|增长|下降|降低|上升|增|减)(?:了|为|约)?$")
_MEASURE = re.compile(r"(?:多少|几)(人次|批次|[个辆人台套家篇次项])")
_COUNTED = re.compile(r"^(?:多少|几)?[个辆人台套家篇次项名](?=[\u4e00-\u9fff])|^(?:多少|几)")
# Question words and the words the prose uses for the same thing.
ALTERNATIVES = {"车": ("车辆", "用车"), "收支总计": ("收入预算", "收支预算", "收支总预算"), "总支出": ("支出合计", "支出总计"), "总收入": ("收入合计", "收入总计"),
                "比重": ("占比",), "比例": ("占比", "完成"), "增长率": ("增长",), "花了": ("支出", "执行")}


@dataclass(frozen=True)
class FigureMatch:
    figure: TextFigure
    score: float
    coverage: float


def question_terms(slots: Slots) -> list[str]:
    """Content words of the question; names of the indexed departments say who, not what.
    A count asked for (多少辆车, 几个项目) is a question about the thing counted (车, 项目)."""
    terms = [t for t in tokenize(slots.content) if t not in _QUESTION_WORDS and t not in slots.names]
    terms += [m.text for m in slots.mentions if m.text not in terms]
    counted = [_COUNTED.sub("", t) for t in terms]
    return list(dict.fromkeys(t for t in counted if t and t not in _QUESTION_WORDS))


def score_figures(slots: Slots, figures: list[TextFigure], *, sections: set[str] | None = None,
                  required: list[str] = ()) -> list[FigureMatch]:
    """Figures in scope that explain the question, best first.

    `required` strings (an organisation or year outside the index) must appear in the
    sentence; they do not count as explaining the question, the other terms must.
    """
    terms = [t for t in question_terms(slots) if not any(t in r for r in required)]
    if not terms:
        return []
    scoped = [f for f in figures if f.loc.doc_id in slots.doc_ids
              and (sections is None or any(s in f.heading for s in sections))
              and all(r in fold(f.sentence) for r in required)]
    if slots.unit_class:
        scoped = [f for f in scoped if unit_class(f.unit) == slots.unit_class]
    if not scoped:
        return []
    sentences = {fold(f.sentence) for f in figures}
    weight = {t: math.log(1 + len(sentences) / (1 + sum(1 for s in sentences if t in s))) * min(len(t), 4)
              for t in terms}
    total = sum(weight.values()) or 1.0
    asked = [words for op, words in OPERATIONS.items() if op in _without_base(slots.content)]
    if asked:  # the figure must do what the question asks (减少 …), when any figure does
        doing = [f for f in scoped if all(any(w in fold(f.context) for w in words) for words in asked)]
        scoped = doing or scoped
    # an item no table prints (咨询费) is answered only by a sentence that names it
    scoped = [f for f in scoped if all(w in fold(f.sentence) for w in slots.unknown_items)]
    measure = _MEASURE.search(slots.content)
    if measure:  # 多少辆车 counts 辆, not 台（套）of equipment in the same sentence
        scoped = [f for f in scoped if f.unit == measure.group(1)] or scoped
    # a figure of one part of the money (政府采购预算总额) answers only a question naming that part
    scoped = [f for f in scoped if not any(w in fold(f.context.split("|")[0]) and w not in slots.folded
                                           for w in SUBSET_WORDS)]
    head = head_forms(slots)
    if head:
        # the figure of the item asked for, not of the whole it is part of, when one is stated
        forms = [w for form in head for w in (form, *ALTERNATIVES.get(form, ()))]
        scoped = [f for f in scoped if any(w in fold(f.context) for w in forms)] or scoped
    flow = _flow(slots.content)
    if flow:  # a 支出 figure never answers a question about 收入, nor the reverse
        other = "支出" if flow == "收入" else "收入"
        scoped = [f for f in scoped if not (other in fold(f.context) and flow not in fold(f.context))]
    if not any(words[0] in CHANGES for words in asked):  # an amount asked: never the change beside it
        scoped = [f for f in scoped if not _CHANGED.search(fold(f.context.split("|")[0]))]
    years = [f"{y}年" for y in slots.years]
    # a number the question states with its unit (7个项目) must hold in the sentence, when any does
    given = re.findall(r"\d+(?:\.\d+)?[个人项次辆台家篇]", _YEARS.sub("", slots.content))
    if given:
        scoped = [f for f in scoped if all(g in fold(f.sentence) for g in given)] or scoped
    matches: list[FigureMatch] = []
    for figure in scoped:
        context, sentence = fold(figure.context), fold(figure.sentence)
        heading = fold("".join(figure.heading))
        if len(sentence) <= BARE_FIGURE:  # a figure printed alone (795万元) is named by its headings
            context = sentence = heading
        score = explained = 0.0
        before = context.split("|")[0]
        for words in asked:
            if words[0] in CHANGES:  # a change is the figure the change word governs: 增加5478.54万元
                done = bool(re.search(f"(?:{'|'.join(words)})(?:了|为|约)?$", before.strip()))
            else:
                done = any(w in context for w in words)
            score += OPERATION_BONUS if done else -OPERATION_BONUS
        upto = sentence[:sentence.find(before) + len(before)] if before and before in sentence else sentence
        if slots.dates and slots.dates & dates_in(upto):
            score += OPERATION_BONUS  # 截至2025年12月31日…共有车辆5辆: the stock on the date asked
        if any(y in context for y in years):
            score += OPERATION_BONUS
        elif re.search(r"20\d\d年", context) and years:
            score -= OPERATION_BONUS
        lead = sentence[:sentence.find(before)] if before and before in sentence else ""
        near = lead[-NEAR:]
        for term in terms:
            forms = (term, *ALTERNATIVES.get(term, ()))
            if any(f in context for f in forms):
                score += 2 * weight[term]
                explained += weight[term]
            elif any(f in sentence for f in forms):
                # a subject named just before the figure governs it; one named after it rarely does
                score += weight[term] * (1.5 if any(f in near for f in forms)
                                         else 1.0 if any(f in lead for f in forms) else 0.5)
                explained += weight[term]
            elif term in heading:
                score += 0.5 * weight[term]
                explained += 0.5 * weight[term]
        if not any(f in context for term in terms for f in (term, *ALTERNATIVES.get(term, ()))) and not any(
                any(w in context for w in words) for words in asked):
            continue
        coverage = explained / total
        if slots.unknown_items and all(w in before for w in slots.unknown_items):
            # the clause naming the figure names the very item asked, one no table prints (老年人福利类项目
            # under 福利彩票公益金项目中，…): the whole it was asked within may be the sentence before
            coverage = max(coverage, MIN_COVERAGE)
        matches.append(FigureMatch(figure, score, coverage))
    matches.sort(key=lambda m: -m.score)
    return matches


def head_forms(slots: Slots) -> tuple[str, ...]:
    """How the item a question asks for is written: its last named row or column (a noun phrase
    ends in its head, so 基本支出中的人员经费 asks for 人员经费), with the labels it stands for."""
    items = [m for m in slots.mentions if any(t.kind in ("row", "column", "synonym") for t in m.terms)
             and not any(t.kind == "part" for t in m.terms) and m.text not in _WHOLE_WORDS
             and not scope_named(m.text)]
    if not items:
        return ()
    head = items[-1]
    forms = {head.text} | {t.target for t in head.terms if t.target and t.kind == "synonym"}
    return tuple(f for f in forms if len(f) >= 2)


def _flow(content: str) -> str:
    """收入 or 支出 when the question names exactly one of them."""
    named = [word for word in ("收入", "支出") if word in content]
    return named[0] if len(named) == 1 else ""


_COMPARISON = re.compile(r"(?<!占)比(?![重例率])(.*?)(?=增加|减少|增长|下降|降低|上升)")


def _without_base(content: str) -> str:
    """The question without its comparison base: in 比2025年年初预算增加了多少 the 年初预算 is what
    the change is measured from, not the figure asked for (the change is)."""
    return _COMPARISON.sub("比", content)


def best_figure(matches: list[FigureMatch], min_coverage: float = MIN_COVERAGE) -> FigureMatch | None:
    if matches and matches[0].coverage >= min_coverage:
        return matches[0]
    return None
