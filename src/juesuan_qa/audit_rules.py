"""Table rules of the consistency audit (勾稽关系): totals against their parts, across tables.

Tables, rows and columns are recognised by the words printed in them (收入, 支出, 基本支出,
项目支出, 人员经费, 公用经费, 三公, 合计, 总计 …), never by a 公开NN number, because every
region numbers and titles its tables differently. Each rule yields one Finding per check,
carrying every fact it used so both sides can be cited; a check whose inputs are missing
is skipped rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import product

from juesuan_qa.domain.units import FIGURE, parse_figure
from juesuan_qa.domain.vocabulary import GRAND_ROWS, MEMO_COLUMN, SIDE_TOTALS, TOTAL_COLUMNS, column_group
from juesuan_qa.ingest.projects import SHEET_TABLE
from juesuan_qa.records import Fact, TextFigure
from juesuan_qa.textutil import fold, norm_label

OK, ROUNDING, MISMATCH = "ok", "rounding", "mismatch"
MONEY = ("万元", "元")
_TOP_NUMBER = re.compile(r"^[一二三四五六七八九十]+、")
_SUB_NUMBER = re.compile(r"^[\d(（]")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_BALANCE = re.compile(r"结转|结余|弥补")


@dataclass(frozen=True)
class Finding:
    """One check: a printed figure against what its parts (or another table) say it should be.

    `actual` is the figure as printed, `expected` what the rule computes, `difference` is
    actual − expected. `sources` holds every Fact/TextFigure used, the checked one first,
    so a report can cite both sides and a reader can redo the sum.
    """

    rule: str
    status: str  # "ok" | "rounding" | "mismatch"
    message: str
    expected: float
    actual: float
    difference: float
    sources: tuple[Fact | TextFigure, ...]


# ---- judging ----


def printed_decimals(item: Fact | TextFigure) -> int | None:
    """Decimals the figure is printed with (from its quoted row or sentence); None for zeros and blanks.

    Zeros and blank cells say nothing about the precision of a table, so they do not count.
    """
    if item.value == 0 or (isinstance(item, Fact) and item.empty):
        return None
    text = item.loc.quote if isinstance(item, Fact) else item.sentence
    for match in _NUMBER.finditer(text):
        printed = match.group().replace(",", "")
        try:
            if abs(float(printed) - item.value) < 1e-9:
                return len(printed.split(".")[1]) if "." in printed else 0
        except ValueError:
            continue
    return None


def spread(formula: Callable[..., float], inputs: Sequence[Fact | TextFigure]) -> tuple[float, float]:
    """What `formula` of printed figures can be, each figure being anything that prints as it does
    (2,906.80 is 2,906.795 … 2,906.805): a rate of two figures printed to 0.01 is known only to
    within this range, and a stated rate inside it agrees with them. Every corner is evaluated
    (the rates here are monotone in each input)."""
    places = [printed_decimals(i) for i in inputs]
    if any(p is None for p in places):  # printed otherwise (元 read in 万元) or not found: no range is known
        return (float("nan"), float("nan"))
    halves = [0.5 * 10.0 ** -p for p in places]
    values = []
    for corner in product(*[(-h, h) for h in halves]):
        try:
            values.append(formula(*(i.value + d for i, d in zip(inputs, corner, strict=True))))
        except ZeroDivisionError:
            continue
    return (min(values), max(values)) if values else (float("nan"), float("nan"))


def judge(rule: str, claim: str, basis: str, actual: float, expected: float,
          sources: Iterable[Fact | TextFigure], unit: str,
          precision: Iterable[Fact | TextFigure] | None = None, terms: int = 1,
          within: tuple[float, float] | None = None) -> Finding:
    """ok when equal at the printed precision; rounding when off by at most one unit of the
    coarsest printed decimal (0.01 at least) — or, for a sum of `terms` printed cells, by what
    rounding each cell and the total can add up to ((terms + 1) / 2 units), or, for a rate, when the
    stated figure (± its own last half digit) meets `within`, the range its inputs' printed
    precision allows (spread); mismatch beyond."""
    sources = tuple(sources)
    decimals = [d for d in map(printed_decimals, precision or sources) if d is not None] or [2]
    fine, coarse = 10.0 ** -max(decimals), 10.0 ** -min(decimals)
    difference = round(actual - expected, 8)
    low, high = within if within and within[0] == within[0] else (expected, expected)  # nan: no range
    if abs(difference) <= fine / 2 + 1e-9:
        status, verdict = OK, "一致"
    elif low - fine / 2 - 1e-9 <= actual <= high + fine / 2 + 1e-9 and within is not None:
        status, verdict = ROUNDING, (f"相差{show(difference, decimals, unit)}，在所用数字的印刷精度可容许的范围"
                                     f"（{show(low, decimals, unit)}～{show(high, decimals, unit)}）内，属尾数误差")
    elif abs(difference) <= max(coarse, 0.01) * max(1.0, (terms + 1) / 2) + 1e-9:
        status, verdict = ROUNDING, f"相差{show(difference, decimals, unit)}，属尾数误差"
    else:
        status, verdict = MISMATCH, f"相差{show(difference, decimals, unit)}，不一致"
    message = (f"{claim}为{show(actual, decimals, unit)}；{basis}为{show(expected, decimals, unit)}；{verdict}")
    return Finding(rule, status, message, round(expected, 8), actual, difference, sources)


def show(value: float, decimals: list[int], unit: str) -> str:
    places = max(decimals) if unit == "%" else max(max(decimals), 2)
    return f"{value:,.{places}f}{unit}"


_CLAUSE_END = re.compile(r"(?<!\d)[，,](?!\d)|[，；;：:。、]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def printed_at(figure: TextFigure) -> re.Match[str] | None:
    """Where in its sentence a prose figure is printed: the match of its value and unit whose
    preceding words are the figure's context."""
    before = _CJK.findall(figure.context.split("|")[0])[-3:]
    for match in FIGURE.finditer(figure.sentence):
        if parse_figure(match) == (figure.value, figure.unit) and _CJK.findall(figure.sentence[:match.start()])[-3:] == before:
            return match
    return None


def lead(figure: TextFigure) -> str:
    """The sentence up to the figure: what it says of the figure (a comparison that follows it,
    与2023年度相比…持平, is about another figure)."""
    match = printed_at(figure)
    return figure.sentence[:match.start()] if match else figure.sentence


def stated_as(figure: TextFigure) -> str:
    """The words of its sentence that state a prose figure, from a clause's start to the figure
    (“比2025年年初预算数28479.84万元增加1476.73万元”, “一般公共服务支出（类）2106.66万元，占71.73%”):
    whole clauses, never a cut fragment; a clause too short to say what it states (占71.73%) takes
    the clause before it too."""
    sentence, match = figure.sentence, printed_at(figure)
    if match is None:
        return figure.context.split("|")[0].strip()
    starts = [0, *(m.end() for m in _CLAUSE_END.finditer(sentence, 0, match.start()))]
    start = starts.pop()
    while starts and len(_CJK.findall(sentence[start:match.start()])) < 4:
        start = starts.pop()
    return sentence[start:match.end()].strip()


def name(item: Fact | TextFigure) -> str:
    """A figure named the way a reader finds it: table, row, column (or the prose section)."""
    if isinstance(item, TextFigure):
        return f"文字说明“{item.loc.section}”所述“{stated_as(item)}”"
    code = f"{item.loc.table} " if item.loc.table and item.loc.table != item.title else ""
    row = f"{item.part}·{item.row}" if item.part and item.part not in item.row else item.row
    subject = f"（{item.code}）" if item.code else ""
    return f"{code}{item.title}「{row}{subject}」行「{item.column}」列"


def check(rule: str, total: Fact, parts: list[Fact], basis: str) -> Finding | None:
    """total = Σ parts, skipped when nothing was printed at all (every cell blank)."""
    if not parts or all(f.empty for f in [total, *parts]):
        return None
    across = all(p.loc.quote == total.loc.quote and p.row == total.row for p in parts)
    terms = [segments(p.column)[-1] if across else p.code or norm_label(p.row) for p in parts]
    if len(set(terms)) < len(terms):
        terms = [p.column if across else f"{p.row}/{p.column}" for p in parts]
    labels = "＋".join(terms[:6]) + ("＋…" if len(terms) > 6 else "")
    return judge(rule, name(total), f"{basis}（{labels}）", total.value, sum(f.value for f in parts),
                 [total, *parts], total.unit, terms=sum(not f.empty and f.value != 0 for f in parts))


# ---- reading tables ----


def segments(column: str) -> list[str]:
    """Column path segments without bare 其中 groups (其中：基本支出 is still a part of the total)."""
    return [s for s in column.split("/") if fold(s).rstrip(":") != "其中"] or [column]


def label(column: str) -> str:
    return norm_label(segments(column)[-1])


def group_tables(facts: Iterable[Fact]) -> dict[tuple[str, str], list[Fact]]:
    """Money facts of the disclosure tables (project sheets excluded), by table, in document order."""
    tables: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        if fact.table != SHEET_TABLE and fact.unit in MONEY:
            tables.setdefault((fact.table, fact.title), []).append(fact)
    return tables


def by_part(facts: list[Fact]) -> dict[str, list[Fact]]:
    parts: dict[str, list[Fact]] = {}
    for fact in facts:
        parts.setdefault(fact.part, []).append(fact)
    return parts


def rows(facts: list[Fact]) -> list[dict[str, Fact]]:
    """Printed rows: the cells of one line, keyed by column."""
    out: dict[tuple, dict[str, Fact]] = {}
    for f in facts:
        key = (f.part, f.row, f.code, f.loc.page, f.loc.line, f.loc.quote, f.loc.file)
        out.setdefault(key, {}).setdefault(f.column, f)
    return list(out.values())


def columns(facts: list[Fact]) -> list[str]:
    return list(dict.fromkeys(f.column for f in facts))


def main_column(cols: list[str]) -> str | None:
    """The column holding a row's whole: 合计/小计/总计, else a group over sub-columns (本年支出), else the only one."""
    totals = sorted((c for c in cols if label(c) in TOTAL_COLUMNS), key=lambda c: len(segments(c)))
    groups = [c for c in cols if any(o.startswith(c + "/") for o in cols)]
    return totals[0] if totals else groups[0] if len(groups) == 1 else cols[0] if len(cols) == 1 else None


def side(part: str) -> str | None:
    return "收入" if "收入" in part else "支出" if "支出" in part else None


def scope(title: str) -> str:
    for word in ("一般公共预算", "政府性基金", "国有资本", "财政拨款"):
        if word in title:
            return word
    return "全部"


def kind(title: str, facts: list[Fact]) -> str:
    """What a table is, from its title and parts: totals | sangong | basic | revenue | expense | other."""
    if {side(f.part) for f in facts} >= {"收入", "支出"}:
        return "totals"
    if "三公" in title:
        return "sangong"
    if "基本支出" in title and "项目" not in title:
        return "basic"
    if "收入" in title and "支出" not in title:
        return "revenue"
    if "支出" in title and "收入" not in title and not any(w in title for w in ("项目支出", "采购", "机关运行")):
        return "expense"
    return "other"


def grand(facts: list[Fact], column: str | None = None, names: Iterable[str] = GRAND_ROWS) -> Fact | None:
    """The table's 合计/总计 row in its main (or the given) column; a coded table whose only uncoded
    row names the unit (深圳市统计局（本级）) has that row as its whole."""
    column = column or main_column(columns(facts))
    plain = [f for f in facts if f.column == column and not f.code]
    named = [f for f in plain if norm_label(f.row) in names]
    single = len({norm_label(f.row) for f in plain}) == 1 and len(plain) < len([f for f in facts if f.column == column])
    return named[0] if named else plain[0] if single else None


def first_by_code(facts: list[Fact], column: str) -> dict[str, Fact]:
    """Each subject code's row in a column (a page-repeated row counts once). A code on rows of
    different names (功能 × 经济 cross tables) is no single figure and is left out."""
    out: dict[str, Fact] = {}
    names: dict[str, set[str]] = {}
    for f in facts:
        if f.code and f.column == column:
            out.setdefault(f.code, f)
            names.setdefault(f.code, set()).add(norm_label(f.row))
    return {code: f for code, f in out.items() if len(names[code]) == 1}


# ---- rules within one table ----


def code_sums(facts: list[Fact]) -> Iterator[Finding | None]:
    """合计 = Σ 类 (3-digit codes); 类 = Σ 款 (its 5-digit codes); 款 = Σ 项 (7-digit); 3xx = Σ 3xxxx."""
    for part, part_facts in by_part(facts).items():
        for column in columns(part_facts):
            codes = first_by_code(part_facts, column)
            if not codes:
                continue
            for code, parent in codes.items():
                kids = [f for c, f in codes.items() if len(c) == len(code) + 2 and c.startswith(code)]
                if len(code) in (3, 5) and kids:
                    yield check("code_sum", parent, kids, "下级科目之和")
            totals = {norm_label(f.row): f for f in part_facts if f.column == column and not f.code}
            total = grand(part_facts, column, (*GRAND_ROWS, f"{part}合计"))
            top = [f for c, f in codes.items() if len(c) == 3]
            if total is not None and top:
                yield check("code_sum", total, top, "各类（款）科目之和")
            if not part and "人员经费合计" in totals:  # economic codes: 人员经费 = 301 + 303, 公用经费 = the rest
                people = [f for f in top if f.code in ("301", "303")]
                yield check("basic_split", totals["人员经费合计"], people, "工资福利支出与对个人和家庭的补助之和")
                if "公用经费合计" in totals:
                    yield check("basic_split", totals["公用经费合计"], [f for f in top if f not in people],
                                "其余经济分类科目之和")


def column_plans(cols: list[str]) -> list[tuple[str, list[str], str]]:
    """Which column is the sum of which columns: (total, parts, rule).

    Side-by-side groups of another time or measure (当年 | 上年 | 增减变化情况, 2025年 | 2026年)
    each add up on their own: a total is the sum of its parts within its group, never across.
    """
    grouped: dict[str, list[str]] = {}
    for column in cols:
        grouped.setdefault(column_group(column), []).append(column)
    if len(set(grouped) - {""}) < 2:
        return _group_plans(cols)
    return [plan for members in grouped.values() for plan in _group_plans(members)]


def _group_plans(cols: list[str]) -> list[tuple[str, list[str], str]]:
    """A 合计/小计/总计 column is the sum of the leaf columns beside it (a group column such as
    基本支出 over 人员经费/公用经费 is not a leaf); a group column is the sum of its children.
    Memo columns (其中 items, 政府采购 …) are subsets and never parts, so a column whose only
    children are 其中 items (一般公共预算拨款 over 其中：专项资金) is a leaf."""
    segs = {c: segments(c) for c in cols}
    excluded = {c for c in cols if any(MEMO_COLUMN.search(s) for s in segs[c])}
    kids = {c: [o for o in cols if o != c and o not in excluded and len(segs[o]) >= 2
                and norm_label(segs[o][-2]) == label(c)] for c in cols}
    groups = {c for c in cols if kids[c]}
    totals = [c for c in cols if label(c) in TOTAL_COLUMNS and c not in excluded]
    leaves = [c for c in cols if c not in groups | excluded and c not in totals]
    plans = []
    for total in totals:
        prefix = segs[total][:-1]
        if len(totals) == 1:
            plans.append((total, leaves, "row_sum"))
        elif prefix:
            plans.append((total, [c for c in leaves if segs[c][:len(prefix)] == prefix], "row_sum"))
    plans += [(group, kids[group], "column_group") for group in groups - excluded]
    return [(t, p, r) for t, p, r in plans if len(p) >= 2]


def row_sums(facts: list[Fact]) -> Iterator[Finding | None]:
    """Per printed row: 合计 = 基本支出 + 项目支出 (+ …), 本年收入合计 = Σ sources, 基本支出 = 人员 + 公用."""
    for part_facts in by_part(facts).values():
        plans = column_plans(columns(part_facts))
        for cells in rows(part_facts) if plans else []:
            for total, parts, rule in plans:
                if total in cells:
                    yield check(rule, cells[total], [cells[c] for c in parts if c in cells], "同行各栏之和")


def side_rows(facts: list[Fact]) -> dict[str, list[Fact]]:
    """The main column of each side of a 收入/支出 totals table, rows in printed order."""
    out = {}
    for part, part_facts in by_part(facts).items():
        column = main_column(columns(part_facts))
        if side(part) and column:
            out.setdefault(side(part), []).extend(f for f in part_facts if f.column == column)
    return out


def totals_table(facts: list[Fact]) -> Iterator[Finding | None]:
    """收入总计 = 支出总计; 总计 = 本年合计 + 结转结余 rows; 本年合计 = Σ numbered items (一、二、…)."""
    totals = {}
    for name_, lines in side_rows(facts).items():
        plain = [f for f in lines if "/" not in f.row]
        total = next((f for f in reversed(plain) if norm_label(f.row) in SIDE_TOTALS), None)
        year = next((f for f in plain if norm_label(f.row).startswith("本年")
                     and (norm_label(f.row).endswith("合计") or norm_label(f.row) in ("本年收入", "本年支出"))), None)
        if year is not None:
            before = plain[:plain.index(year)]
            items = [f for f in before if _TOP_NUMBER.match(fold(f.row))]
            yield check("year_items", year, items, f"{name_}各项之和")
        if total is None:
            continue
        totals[name_] = total
        end = plain.index(total)
        if year is not None and plain.index(year) < end:
            between = plain[plain.index(year) + 1:end]
            balances = [f for f in between if _BALANCE.search(f.row) and not _SUB_NUMBER.match(fold(f.row))]
            yield check("total_composition", total, [year, *balances], "本年合计与结转结余之和")
        elif year is None:
            yield check("total_composition", total, [f for f in plain[:end] if _TOP_NUMBER.match(fold(f.row))],
                        f"{name_}各项之和")
    if len(totals) == 2:
        yield check("balance", totals["收入"], [totals["支出"]], "支出总计")


SANGONG = (("total", ("合计", "总计", "总额")), ("car", ("小计",)), ("abroad", ("因公出国",)),
           ("reception", ("公务接待",)))
_OTHER_ITEMS = ("会议费", "培训费")  # printed beside the 三公 items, outside their total


def sangong_item(text: str) -> str | None:
    """因公出国（境）费 | 公务用车购置及运行（维护）费 | 购置费 | 运行（维护）费 | 公务接待费 | 合计,
    and a header that names the 三公 whole (“三公”经费预算, 三公经费合计) is its total."""
    text = norm_label(text)
    if "购置" in text and "运行" in text:
        return "car"
    if "购置" in text:
        return "car_buy"
    if "运行" in text and "机关" not in text:
        return "car_run"
    if "三公" in text:
        return "total"
    return next((item for item, words in SANGONG if any(w in text for w in words)), None)


def sangong(facts: list[Fact]) -> Iterator[Finding | None]:
    """三公 total = 出国 + 公务用车 + 接待, 公务用车 = 购置 + 运行, for each printed 预算数/决算数/…

    Where 会议费 and 培训费 are printed beside the items, a bare 合计 is the sum of all five and
    the 三公 whole is the column or row that names it."""
    def by_column(f: Fact) -> str | None:
        return next((i for s in reversed(segments(f.column)) if (i := sangong_item(s))), None)

    def rest(column: str) -> str:  # the column path without its item: the measure and time it prints
        return "/".join(s for s in segments(column)
                        if not sangong_item(s) and s != "金额" and not any(w in s for w in _OTHER_ITEMS))

    in_rows = len({sangong_item(f.row) for f in facts} - {None})
    in_cols = len({by_column(f) for f in facts} - {None})
    cells: dict[tuple, dict[str, Fact]] = {}
    others: set[tuple] = set()
    for f in facts:
        if in_rows >= in_cols:
            item = sangong_item(f.row)
            axis: tuple = (rest(f.column),)
            other = any(w in f.row for w in _OTHER_ITEMS)
        else:
            item = by_column(f)
            axis = (f.row, f.loc.page, f.loc.line, rest(f.column))
            other = any(w in f.column for w in _OTHER_ITEMS)
        if other:
            others.add(axis)
        if item:
            cells.setdefault(axis, {}).setdefault(item, f)
        if item == "total" and "三公" in (f.row if in_rows >= in_cols else f.column):
            cells[axis].setdefault("named", f)
    for axis, items in cells.items():
        total = items.get("named") or (items.get("total") if axis not in others else None)
        if total is not None:
            parts = [items[i] for i in ("abroad", "car", "reception") if i in items]
            if "car" not in items:
                parts += [items[i] for i in ("car_buy", "car_run") if i in items]
            yield check("sangong", total, parts, "三公经费各项之和")
        if "car" in items:
            yield check("sangong", items["car"], [items[i] for i in ("car_buy", "car_run") if i in items],
                        "公务用车购置费与运行维护费之和")


# ---- rules across tables ----


def same(rule: str, claim: Fact, other: Fact, basis: str) -> Finding | None:
    """The same figure printed in two tables."""
    if claim.empty and other.empty:
        return None
    return judge(rule, name(claim), f"{basis}{name(other)}", claim.value, other.value, [claim, other], claim.unit)


def cross_tables(tables: dict[tuple[str, str], list[Fact]]) -> Iterator[Finding | None]:
    kinds = {key: kind(key[1], facts) for key, facts in tables.items()}
    of = {k: [key for key, v in kinds.items() if v == k] for k in set(kinds.values())}
    for t in of.get("totals", []):
        yield from _totals_vs_tables(tables, t, of)
    for b in of.get("basic", []):
        yield from _basic_vs_expense(tables, b, of)
    for k in ("expense", "basic"):
        for a in of.get(k, []):
            for b in of.get(k, []):
                if a != b and within(scope(b[1]), scope(a[1])) and (scope(a[1]) != scope(b[1]) or a < b):
                    yield from _nested(tables, a, b)


def within(inner: str, outer: str) -> bool:
    """Fund scopes nest: 全部 ⊇ 财政拨款 ⊇ 一般公共预算 / 政府性基金 / 国有资本."""
    return inner == outer or outer == "全部" or outer == "财政拨款" and inner != "全部"


def _year_and_total(lines: list[Fact]) -> tuple[Fact | None, Fact | None]:
    plain = [f for f in lines if "/" not in f.row]
    year = next((f for f in plain if norm_label(f.row).startswith("本年") and norm_label(f.row).endswith("合计")), None)
    total = next((f for f in reversed(plain) if norm_label(f.row) in SIDE_TOTALS), None)
    return year, total


def _totals_vs_tables(tables, t, of) -> Iterator[Finding | None]:
    """The totals table against the revenue / expenditure tables of the same scope."""
    sides = side_rows(tables[t])
    for r in of.get("revenue", []):
        other = grand(tables[r])
        year, total = _year_and_total(sides.get("收入", []))
        carried = any("结转" in c or "结余" in c for c in columns(tables[r]))
        mine = total if carried else year
        if other and mine and scope(r[1]) == scope(t[1]):
            yield same("cross_table", mine, other, "应等于")
    spend = [f for f in tables[t] if side(f.part) == "支出"]
    for column in columns(spend):
        lines = [f for f in spend if f.column == column]
        fund = scope(label(column))
        mine_scope = fund if fund != "全部" else scope(t[1])
        if column != main_column(columns(spend)) and fund == "全部":
            continue
        for e in of.get("expense", []):
            if scope(e[1]) != mine_scope:
                continue
            main = main_column(columns(tables[e]))
            year, _ = _year_and_total(lines)
            other = grand(tables[e])
            if year and other:
                yield same("cross_table", year, other, "应等于")
            # the department's own 类 rows; a table printed per 预算单位 (parts) has none to compare
            whole = [f for f in tables[e] if not f.part]
            classes = {norm_label(f.row): f for f in first_by_code(whole, main).values() if len(f.code) == 3}
            for f in lines:
                if norm_label(f.row) in classes and "/" not in f.row:
                    yield same("cross_table", f, classes[norm_label(f.row)], "应等于")


def _basic_vs_expense(tables, b, of) -> Iterator[Finding | None]:
    """基本支出 in the expenditure table = 人员经费 + 公用经费 of the basic-expenditure table."""
    detail = tables[b]
    total = grand(detail)
    parts = [total] if total else [f for f in detail if not f.code and norm_label(f.row) in ("人员经费合计", "公用经费合计")]
    if not parts:
        return
    for e in of.get("expense", []):
        if scope(e[1]) != scope(b[1]):
            continue
        basic = next((c for c in columns(tables[e]) if label(c) == "基本支出"), None)
        claim = grand(tables[e], basic) if basic else None
        if claim is not None:
            yield check("basic_detail", claim, parts, "基本支出明细表合计")


def _nested(tables, a, b) -> Iterator[Finding | None]:
    """Two tables of one kind, b's scope within a's: equal grand totals mean equal rows, code by code."""
    ta, tb = tables[a], tables[b]
    ga, gb = grand(ta), grand(tb)
    if ga is None or gb is None:
        return
    verdict = same("cross_table", ga, gb, "应等于")
    if scope(a[1]) == scope(b[1]):
        yield verdict
    if verdict is None or verdict.status == MISMATCH:
        return  # a narrower scope may legitimately be smaller
    pairs = [(main_column(columns(ta)), main_column(columns(tb)))]
    for word in ("基本支出", "项目支出"):
        pairs.append(tuple(next((c for c in columns(t) if label(c) == word), None) for t in (ta, tb)))
    for ca, cb in pairs:
        codes_b = first_by_code(tb, cb) if ca and cb else {}
        for code, fact in first_by_code(ta, ca).items() if codes_b else ():
            if code in codes_b:
                yield same("cross_table", fact, codes_b[code], "应等于")


def table_findings(facts: list[Fact]) -> list[Finding]:
    """Every table rule over one document's facts."""
    tables = group_tables(facts)
    found: list[Finding | None] = []
    for (_, title), table_facts in tables.items():
        found += code_sums(table_facts)
        found += row_sums(table_facts)
        if kind(title, table_facts) == "totals":
            found += totals_table(table_facts)
        if kind(title, table_facts) == "sangong":
            found += sangong(table_facts)
    found += cross_tables(tables)
    return [f for f in found if f is not None]
