"""Figures stated in prose: find the sentence and the figure a question asks for.

A figure is scored by how much of the question it explains: question terms found in
the clause around the figure count most, then in its sentence, then in its heading.
Unit class filters first (a percentage question never gets an amount). The match must
explain most of the question, or the answer is an abstention, not a near miss.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from juesuan_qa.qa.router import Slots
from juesuan_qa.records import TextFigure
from juesuan_qa.store.bm25 import tokenize
from juesuan_qa.textutil import fold

COUNT_UNITS = {"个", "人次", "人", "辆", "台", "套", "批次", "次", "家", "篇", "期"}
MIN_COVERAGE = 0.6
_QUESTION_WORDS = {"多少", "几个", "几", "是", "了", "有", "多少钱", "百分之几", "百分之多少", "一共", "总共",
                   "比例", "比重", "占", "钱", "实际", "花", "这", "要", "个", "什么"}
_UNIT_CLASS = {"percent": {"%"}, "score": {"分"}, "money": {"万元", "元"}, "count": COUNT_UNITS}


@dataclass(frozen=True)
class FigureMatch:
    figure: TextFigure
    score: float
    coverage: float


def question_terms(slots: Slots) -> list[str]:
    terms = [t for t in tokenize(slots.content) if t not in _QUESTION_WORDS]
    terms += [m.text for m in slots.mentions if m.text not in terms]
    return list(dict.fromkeys(terms))


def score_figures(slots: Slots, figures: list[TextFigure], *, sections: set[str] | None = None,
                  required: list[str] = ()) -> list[FigureMatch]:
    """Figures in scope that explain the question, best first."""
    terms = question_terms(slots)
    if not terms:
        return []
    scoped = [f for f in figures if f.loc.doc_id in slots.doc_ids
              and (sections is None or any(s in f.heading for s in sections))
              and all(r in fold(f.sentence) for r in required)]
    units = _UNIT_CLASS.get(slots.unit_class)
    if units:
        scoped = [f for f in scoped if f.unit in units]
    if not scoped:
        return []
    sentences = {fold(f.sentence) for f in figures}
    weight = {t: math.log(1 + len(sentences) / (1 + sum(1 for s in sentences if t in s))) * min(len(t), 4)
              for t in terms}
    total = sum(weight.values()) or 1.0
    matches: list[FigureMatch] = []
    for figure in scoped:
        context, sentence = fold(figure.context), fold(figure.sentence)
        heading = fold("".join(figure.heading))
        score = explained = 0.0
        for term in terms:
            if term in context:
                score += 2 * weight[term]
                explained += weight[term]
            elif term in sentence:
                score += weight[term]
                explained += weight[term]
            elif term in heading:
                score += 0.5 * weight[term]
                explained += 0.5 * weight[term]
        if not any(term in context for term in terms):
            continue
        matches.append(FigureMatch(figure, score, explained / total))
    matches.sort(key=lambda m: -m.score)
    return matches


def best_figure(matches: list[FigureMatch], min_coverage: float = MIN_COVERAGE) -> FigureMatch | None:
    if matches and matches[0].coverage >= min_coverage:
        return matches[0]
    return None
