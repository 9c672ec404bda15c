"""Arithmetic on cited facts: shares (A占B的比例) and differences (A比B多多少).

Each side is resolved as its own table question; the answer shows the formula with both
citations. Where the prose states the figure itself the pipeline prefers that sentence,
and where the stated and the recomputed figures disagree both are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from juesuan_qa.qa.lexicon import Vocabulary, codes_in
from juesuan_qa.qa.numeric import best_readings, score_facts
from juesuan_qa.qa.router import Slots
from juesuan_qa.records import Fact
from juesuan_qa.textutil import figure_text

_SHARE = re.compile(r"^(?P<a>.+?)占(?P<b>.+?)的?(?:比例|比重|占比|百分比|百分之几|百分之多少|多少|几成)")
_DIFFERENCE = re.compile(r"^(?P<a>.+?)比(?P<b>.+?)(?:多|少|高|低)(?:了)?多少")
_PRIOR = re.compile(r"上年|去年|上一年|20\d\d年")


@dataclass(frozen=True)
class Computation:
    kind: str  # share | difference
    left: Fact
    right: Fact
    value: float
    unit: str
    formula: str


def compute(slots: Slots, facts: list[Fact], vocabulary: Vocabulary) -> Computation | None:
    """A share or difference of two table figures the question names, or None."""
    share = _SHARE.match(slots.content)
    difference = _DIFFERENCE.match(slots.content)
    match = share or difference
    if match is None or _PRIOR.search(match.group("b")):  # 比上年: the tables hold no prior year
        return None
    left = _resolve(slots, match.group("a"), facts, vocabulary)
    right = _resolve(slots, match.group("b"), facts, vocabulary)
    if left is None or right is None or left.unit != right.unit or left is right:
        return None
    if left.loc.doc_id != right.loc.doc_id:
        return None
    if share:
        if right.value == 0:
            return None
        value = round(left.value / right.value * 100, 2)
        formula = f"{figure_text(left.value)} ÷ {figure_text(right.value)} × 100% = {value:.2f}%"
        return Computation("share", left, right, value, "%", formula)
    value = round(left.value - right.value, 6)
    formula = f"{figure_text(left.value)} − {figure_text(right.value)} = {figure_text(value)}{left.unit}"
    return Computation("difference", left, right, value, left.unit, formula)


def _resolve(slots: Slots, text: str, facts: list[Fact], vocabulary: Vocabulary) -> Fact | None:
    """One side of the operation as a table question of its own; None unless it has one reading."""
    side = replace(slots, content=text, mentions=vocabulary.match(text), codes=codes_in(text), unit_class="money")
    groups = best_readings(score_facts(side, facts))
    if len(groups) != 1:
        return None
    return groups[0][0].fact
