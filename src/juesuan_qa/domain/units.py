"""Figures as disclosures print them: the one pattern that finds a figure with its unit in
prose, project sheets and audit sentences, and the one table of unit conversions.

A figure keeps the unit it was printed in (1.2亿元 stays 1.2亿元); a conversion is done
only where figures of two units are compared, and shown wherever it is shown to a reader.
"""

from __future__ import annotations

import re

MONEY = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
COUNTS = ("人次", "批次", "个", "人", "辆", "台", "套", "次", "家", "篇", "项", "期")
POINTS = "个百分点"
_UNITS = (POINTS, "百分点", "万元", "亿元", "千元", "元", "%", "％", *COUNTS, "平方米", "分")
# not a figure: 第3期 (an ordinal), 2.3个百分点 read as 2.3个 (longer units are tried first),
# digits inside a longer number or a date (2025年 has no unit here, so it never matches)
FIGURE = re.compile(
    r"(?<![\d.,第])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(" + "|".join(map(re.escape, _UNITS)) + ")"
)


# 多少万元 / 单位：元 / （亿元）: the money unit a question wants its answer in, said where a unit is
# asked for (三元区, 元宝山区 name places)
_ASKED_MONEY = re.compile(r"(?:多少|几|单位[:：]?|以|按|折合|合|[（(])\s*(亿元|千元|万元|元)")


def asked_money_unit(question: str) -> str | None:
    match = _ASKED_MONEY.search(question)
    return match.group(1) if match else None


def unit_of(printed: str) -> str:
    """The canonical spelling of a printed unit (％ → %, 百分点 → 个百分点)."""
    return {"％": "%", "百分点": POINTS}.get(printed, printed)


def parse_figure(match: re.Match[str]) -> tuple[float, str]:
    return float(match.group(1).replace(",", "")), unit_of(match.group(2))


def unit_class(unit: str) -> str:
    """money | percent | points | score | count | measure."""
    if unit in MONEY:
        return "money"
    if unit == "%":
        return "percent"
    if unit == POINTS:
        return "points"
    if unit == "分":
        return "score"
    if unit in COUNTS:
        return "count"
    return "measure"


def convert(value: float, unit: str, to: str) -> float | None:
    """A money figure in another money unit (万元 ↔ 元 ×10000, 亿元 → 万元 ×10000, 千元 …);
    None when the units measure different things."""
    if unit == to:
        return value
    if unit in MONEY and to in MONEY:
        return value * MONEY[unit] / MONEY[to]
    return None
