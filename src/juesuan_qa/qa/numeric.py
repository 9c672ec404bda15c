"""Slots → the table facts a question asks for.

Each fact of the documents in scope is scored against the question's mentions: a
named row (or subject code) is required unless only a column or table is named, in
which case the table's total row is meant (基本支出 → 合计 × 基本支出). The best-scoring
facts win; if they disagree in value, the question is ambiguous (住房公积金 2210201 in
the functional tables vs 30113 in the economic one) and every reading is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from juesuan_qa.domain.units import unit_class
from juesuan_qa.domain.vocabulary import (
    BASIC_ONLY,
    COLUMN_ROLES,
    GRAND_ROWS,
    SCOPES,
    SIDE_TOTALS,
    SUBSET_TYPES,
    TOTAL_COLUMNS,
    column_role,
    is_unit_part,
    item_form,
    scope_named,
    scope_of_type,
    scope_row,
    table_type,
    within_scope,
)
from juesuan_qa.ingest.projects import SHEET_TABLE
from juesuan_qa.ingest.tables import default_column
from juesuan_qa.qa.router import Slots
from juesuan_qa.records import Fact
from juesuan_qa.textutil import fold, norm_label

TOTAL_ROWS = tuple(sorted(GRAND_ROWS))
ROW_SCORE = 10.0
CODE_SCORE = 12.0
IMPLICIT_TOTAL_SCORE = 6.0
COLUMN_SCORE = 5.0
DEFAULT_COLUMN_SCORE = 2.0
PART_SCORE = 3.0
COVERAGE_SCORE = 2.0
NARROW_SCORE = 0.5  # a 基本支出-only table's row, when the question does not ask for 基本支出
FLOW_SCORE = 0.5  # 花了 leans to an expenditure table when the same row is in several
_SPENDING = re.compile(r"花|支出|用于|用了|开支")
_RECEIVING = re.compile(r"收入|收了|到账")


@dataclass(frozen=True)
class Reading:
    fact: Fact
    score: float
    implicit: bool = False  # the table's total row, taken because the question named no row
    lean: float = 0.0  # orders equally good readings (花了 → an expenditure table first); never excludes


@dataclass(frozen=True)
class _Wanted:
    rows: dict[str, float]  # row label → weight of the mention
    columns: set[str]
    tables: dict[str, float]  # table word → bonus
    parts: set[str]
    codes: set[str]
    synonym_columns: set[str]


def _wanted(slots: Slots) -> _Wanted:
    rows: dict[str, float] = {}
    columns: set[str] = set()
    tables: dict[str, float] = {}
    parts: set[str] = set()
    synonym_columns: set[str] = set()
    for mention in slots.mentions:
        for term in mention.terms:
            if term.kind == "row":
                rows[term.target] = max(rows.get(term.target, 0.0), ROW_SCORE + len(term.text) / 10)
            elif term.kind == "column":
                columns.add(term.target)
            elif term.kind == "table":
                tables[term.target] = max(tables.get(term.target, 0.0), min(8.0, len(term.text) / 2))
            elif term.kind == "part":
                parts.add(term.target)
            elif term.kind == "synonym":
                if term.target:
                    rows[term.target] = max(rows.get(term.target, 0.0), ROW_SCORE + len(term.text) / 10)
                if term.table:
                    tables[term.table] = max(tables.get(term.table, 0.0), 4.0)
                if term.part:
                    parts.add(term.part)
                if term.column:
                    synonym_columns.add(term.column)
    return _Wanted(rows, columns, tables, parts, set(slots.codes), synonym_columns)


def _columns_by_table(facts: list[Fact]) -> dict[tuple[str, str, str], list[str]]:
    result: dict[tuple[str, str, str], list[str]] = {}
    for fact in facts:
        key = (fact.loc.doc_id, fact.table, fact.part)
        columns = result.setdefault(key, [])
        if fact.column not in columns:
            columns.append(fact.column)
    return result


def score_facts(slots: Slots, facts: list[Fact], *, any_scope: bool = False) -> list[Reading]:
    """All facts in scope with a positive match, best first (`any_scope`: of every funding
    scope, for offering related cells)."""
    wanted = _wanted(slots)
    if not (wanted.rows or wanted.codes or wanted.columns or wanted.tables):
        return []
    scoped = [f for f in facts if f.loc.doc_id in slots.doc_ids and f.table != SHEET_TABLE]
    scope = scope_named(slots.folded)
    if scope and not any_scope:  # a funding scope asked for is a qualifier every cited cell must satisfy
        scoped = [f for f in scoped if in_scope(f, scope)]
    columns = _columns_by_table(scoped)
    flow = "支出" if _SPENDING.search(slots.folded) else ("收入" if _RECEIVING.search(slots.folded) else "")
    # a row naming the publishing department itself (深圳市统计局（本级）) is that table's total
    own_names = {norm_label(name) for name in slots.departments}

    def hinted(fact: Fact) -> bool:
        title, part = fold(fact.title), fold(fact.part)
        return any(word in title or (part and word in part) for word in wanted.tables)

    # a row is found by its name in any of the forms its variants share (费 / 费用)
    item_rows = {item_form(row): weight for row, weight in wanted.rows.items()}
    tables_with_rows = {(f.loc.doc_id, f.table) for f in scoped if item_form(norm_label(f.row)) in item_rows}
    latest = _latest_row_years(scoped)
    mention_texts = {fold(m.text) for m in slots.mentions if len(m.text) >= 3}
    asks_basic = "基本" in slots.content
    # the tables each item is printed in, per classification: a narrower table yields to a broader
    # one printing the same item, but a functional subject of the same name (住房公积金 2210201
    # beside 30113) is a second reading, not the whole of the economic one
    printed_in: dict[tuple[str, str], set[str | None]] = {}
    for other in scoped:
        key = _item_key(other, norm_label(other.row), own_names)
        printed_in.setdefault(key, set()).add(_type_of(other.title))
    named_columns = bool(wanted.columns or wanted.synonym_columns)
    readings: list[Reading] = []
    for fact in scoped:
        label, row_year = _row_year(norm_label(fact.row))
        if row_year and row_year not in (slots.years or [latest.get((fact.loc.doc_id, fact.table))]):
            continue  # a row of another year (三公: 2025年 | 2026年 | 增减) is not the year asked
        implicit = False
        if wanted.codes:
            if fact.code not in wanted.codes:
                continue
            score = CODE_SCORE
        elif item_form(label) in item_rows:
            score = item_rows[item_form(label)]
        elif scope and not wanted.rows and flow != "支出" and scope_row(label) == scope \
                and "收入" in fold(fact.part + fact.title):
            score = ROW_SCORE  # 一般公共预算财政拨款收入: the row of that source of funds
        elif hinted(fact) and label.endswith(TOTAL_ROWS) and set(TOTAL_ROWS) & set(wanted.rows):
            # 三公经费合计 is the 合计 asked for in the 三公 table; a row ending in the very word asked
            # (收入总计 for 总计) before another whole (本年收入合计)
            # (收入总计 for 总计) before another whole; a side's whole (收入合计) before this year's part
            # of it (本年收入合计 leaves out 上年结转)
            score = ROW_SCORE + (0.5 if label.endswith(tuple(set(TOTAL_ROWS) & set(wanted.rows))) else 0.0) \
                + (0.0 if label.startswith("本年") else 0.25)
        elif (label in TOTAL_ROWS or label in own_names or label in SIDE_TOTALS and named_columns) \
                and (fact.loc.doc_id, fact.table) not in tables_with_rows:
            # a side's whole (支出总计 of a 收支总表) is the total of the columns a question names
            if not named_columns and not hinted(fact):
                continue  # only a table word was named: the totals of other tables are not meant
            score = IMPLICIT_TOTAL_SCORE
            implicit = True
        else:
            continue
        leaves = {fold(piece) for piece in fact.column.split("/")}
        mentioned = (wanted.columns | wanted.synonym_columns) & leaves
        table_columns = columns[(fact.loc.doc_id, fact.table, fact.part)]
        if mentioned and mentioned != {label}:
            # the column the question names most specifically: 人员经费 under 一般公共预算基本支出 is
            # that leaf, not its group's 合计 (a group word alone means the group's total column)
            leaf = fold(fact.column.split("/")[-1])
            score += COLUMN_SCORE + (1.0 if leaf in mentioned else 0.0) + 0.5 * (len(mentioned) - 1)
            if leaf not in mentioned and fact.column == default_column(table_columns):
                score += 0.5
        elif any(text in fold(fact.column) and text not in label for text in mention_texts):
            # the item asked heads a column group (“三公”经费预算 | 会议费 | 培训费 under 合计): that
            # group's figure, not the total of a table that covers more than the item
            score += COLUMN_SCORE
        elif fact.column == default_column(table_columns):
            score += DEFAULT_COLUMN_SCORE
        elif wanted.columns & {fold(c.split("/")[-1]) for c in table_columns}:
            continue  # the question names another column of this table
        else:
            score -= 1.0
        title = fold(fact.title)
        part = fold(fact.part)
        score += max((bonus for word, bonus in wanted.tables.items()
                      if word in title or (part and word in part)), default=0.0)
        if fact.part and fact.part in wanted.parts:
            score += PART_SCORE
        elif fact.part in ("收入", "支出") and wanted.parts and fact.part not in wanted.parts:
            score -= PART_SCORE
        # every qualifier the question names should hold for the cell: one that satisfies two of
        # them (因公出国(境)费 in its column, 财政拨款 in its title) beats one that satisfies one
        covered = sum(1 for text in mention_texts if text in label or text in fold(fact.column) or text in title)
        score += COVERAGE_SCORE * max(0, covered - 1)
        kind = _type_of(fact.title)
        elsewhere = printed_in.get(_item_key(fact, label, own_names), set())
        if not asks_basic and kind in BASIC_ONLY and elsewhere - BASIC_ONLY:
            score -= NARROW_SCORE  # 因公出国(境)费用 in the 三公 table is the whole; its 基本支出 row a part
        if _narrower(scope_of_type(kind), scope) and any(not _narrower(scope_of_type(k), scope) for k in elsewhere):
            score -= NARROW_SCORE  # 人员经费 with no funding scope named: all funds, not 一般公共预算's
        if slots.unit_class in ("count", "percent") and unit_class(fact.unit) != slots.unit_class:
            continue
        lean = FLOW_SCORE if flow and flow in title else 0.0
        readings.append(Reading(fact, score, implicit, lean))
    readings.sort(key=lambda r: (-r.score, -r.lean))
    return readings


def _item_key(fact: Fact, label: str, own_names: set[str]) -> tuple[str, str]:
    """What a cell is of, for comparing tables: its item (every table's whole is one item) and
    its classification (functional 2xx or not)."""
    whole = label in GRAND_ROWS | SIDE_TOTALS or label in own_names
    return ("" if whole else _row_year(label)[0], "functional" if fact.code.startswith("2") else "")


def _narrower(table_scope: str, asked: str) -> bool:
    """A table of a narrower funding scope than the question asks (all funds when it names none)."""
    return bool(table_scope) and table_scope != asked and (not asked or within_scope(table_scope, asked))


@lru_cache(maxsize=4096)
def _type_of(title: str) -> str | None:
    return table_type(title)


@lru_cache(maxsize=4096)
def _title_scope(title: str) -> tuple[str, str]:
    """(scope of the table's canonical type, the scope words its title prints)."""
    return scope_of_type(table_type(title)), fold(title)


def in_scope(fact: Fact, scope: str) -> bool:
    """The cell measures funds of `scope`: its table covers that scope (or a narrower one), or its
    row or column names it (收入总表 | 政府性基金预算 column, 二、政府性基金预算 row)."""
    table_scope, title = _title_scope(fact.title)
    if table_scope and within_scope(table_scope, scope):
        return True
    return scope in title or scope in fold(fact.row) or scope in fold(fact.column) or scope in fold(fact.part)


_COLUMN_YEAR = re.compile(r"(20\d{2})年")
_ROW_YEAR = re.compile(r"^(.*?)(20\d{2})年(?:预算数?|决算数?)?$")


@lru_cache(maxsize=1 << 16)
def _row_year(label: str) -> tuple[str, int | None]:
    """A row named by its year (深圳市审计局 2026年): the rest of the label, and the year."""
    match = _ROW_YEAR.match(label)
    return (match.group(1).strip(), int(match.group(2))) if match else (label, None)


def _latest_row_years(facts: list[Fact]) -> dict[tuple[str, str], int]:
    """The latest year a table's rows are named by: the document's own year, when none is asked."""
    out: dict[tuple[str, str], int] = {}
    for fact in facts:
        year = _row_year(norm_label(fact.row))[1]
        if year:
            key = (fact.loc.doc_id, fact.table)
            out[key] = max(out.get(key, 0), year)
    return out


_TOTAL_WORDS = GRAND_ROWS | SIDE_TOTALS | TOTAL_COLUMNS | {"小计", "总额", "总数", "一共", "总共"}
# roles of the plain figure of a table: a cell whose column carries no other role is what a
# question asking for a 合计 of its row means; 预算数 / 决算数 hold for any column that is not
# another time or measure (上年, 年初预算, 增减, 结转, 政府采购)
_PLAIN_ROLES = {"本年数", "合计", "决算数", ""}
_OTHER_MEASURES = {"增减", "上年结转", "年末结转", "上年数", "年初预算", "调整预算", "政府采购"}


def unmet(slots: Slots, fact: Fact, codes: dict[str, set[str]] | None = None) -> list[str]:
    """The qualifiers of the question the cell does not carry (the answer policy: every one
    must hold). A qualifier is one vocabulary mention — an item, a column, a table word, a
    funding scope — and it holds when the cell's table, part, row or column says it, when the
    cell is a whole and the mention asks for a whole, when its role is the plain figure, or when
    it names the subject the cell's row is part of (卫生健康支出里的行政事业单位医疗: `codes`, row
    label → the subject codes it is printed with)."""
    label = norm_label(fact.row)
    text = fold("|".join((fact.title, fact.part, fact.row, fact.column)))
    column_roles = set(column_role(fact.column).split("/"))
    roles = column_roles | set(column_role(fact.row).split("/"))
    whole = label in GRAND_ROWS | SIDE_TOTALS or label.endswith("合计") or label.endswith("总计")
    missing = [word for word in slots.unknown_items if word not in text]
    other_times = column_roles & _OTHER_MEASURES - asked_roles(slots.folded)
    if other_times:  # 上年 / 增减变化情况 / 年初预算 beside the figure asked: only when asked for
        missing.append("/".join(sorted(other_times)))
    column_year = _COLUMN_YEAR.search(fold(fact.column))
    if column_year and int(column_year.group(1)) not in (slots.years or [slots.doc_years.get(fact.loc.doc_id)]):
        missing.append(column_year.group())  # 2025年预算数 beside 2026年预算数: another year's column
    if "决算" in slots.folded and "预算" not in slots.folded and slots.kinds.get(fact.loc.doc_id) == "预算" \
            and "决算" not in text:
        missing.append("决算")  # a 预算 states no 决算 unless a cell says so
    kind = _type_of(fact.title)
    leaf = fold(fact.column.split("/")[-1])
    total_cell = whole and (leaf in TOTAL_COLUMNS or column_role(leaf) in ("合计", "本年数", "决算数"))
    if total_cell and kind in SUBSET_TYPES and not any(w in slots.folded for w in SUBSET_TYPES[kind]):
        missing.append(kind)  # the 政府采购 table's 总计 is no department total
    if fact.part and is_unit_part(fact.part) and not _names_unit(slots, fact.part):
        missing.append(fact.part)  # a 预算单位's block answers for that unit, not its department
    for mention in slots.mentions:
        if any(term.kind == "part" for term in mention.terms):
            continue  # 收入/支出 alone say which side, which the tables' parts already order by
        if any(_carries(term, fact, text, label) for term in mention.terms):
            continue
        if whole and any(term.kind == "synonym" and term.target in GRAND_ROWS for term in mention.terms):
            continue  # 收支预算总额: whichever whole row the table prints
        word = mention.text
        plain = not column_roles - _PLAIN_ROLES
        if word in _TOTAL_WORDS and (whole or plain or fold(fact.column.split("/")[-1]) in TOTAL_COLUMNS):
            continue
        if word in SCOPES and in_scope(fact, word):
            continue
        role = column_role(word)
        if role == "决算数" and slots.kinds.get(fact.loc.doc_id) == "预算" and "决算" not in text:
            missing.append(word)  # a 预算 holds no 决算数 unless a cell says so
            continue
        if role and (role in roles or (role in _PLAIN_ROLES and not column_roles & _OTHER_MEASURES)):
            continue
        if fact.code and any(fact.code.startswith(code) and fact.code != code
                             for term in mention.terms for code in (codes or {}).get(term.target, ())):
            continue
        missing.append(word)
    return missing


@lru_cache(maxsize=4096)
def asked_roles(folded: str) -> frozenset[str]:
    """The column roles a question names anywhere in it (比上年 → 增减 and 上年数, 年初预算 …)."""
    return frozenset(name for name, words in COLUMN_ROLES if any(w in folded for w in words))


def _names_unit(slots: Slots, part: str) -> bool:
    unit = fold(part)
    bare = re.sub(r"[（(]本级[）)]$", "", unit)
    return unit in slots.folded or (bare != unit and bare in slots.folded and "本级" in slots.folded) \
        or any(fold(d) == unit for d in slots.departments)


def subject_codes(facts: list[Fact]) -> dict[str, set[str]]:
    """Row label → the subject codes it is printed with, for naming a cell by its parent subject."""
    out: dict[str, set[str]] = {}
    for fact in facts:
        if fact.code:
            out.setdefault(norm_label(fact.row), set()).add(fact.code)
    return out


def _carries(term, fact: Fact, text: str, label: str) -> bool:
    pieces = [term.text, term.target] if term.kind != "synonym" else [term.target, term.column]
    if term.kind == "synonym" and term.table and term.table not in text:
        return False
    return any(piece and (piece in text or item_form(piece) == item_form(label)) for piece in pieces) or \
        (term.kind == "synonym" and not term.target and not term.column and term.table in text)


MAX_RELATED = 3


def related_cells(slots: Slots, facts: list[Fact]) -> list[Fact]:
    """Cells of the item asked for that fail some other qualifier (another column, scope or
    table): what the document does print about it. Only named rows or codes; a total is never
    offered in place of an item."""
    codes = subject_codes(facts)
    related: list[Fact] = []
    seen: set[tuple[float, str]] = set()
    for reading in score_facts(slots, facts, any_scope=True):
        scope = scope_named(slots.folded)
        if reading.implicit or reading.score < ROW_SCORE or not (
                unmet(slots, reading.fact, codes) or scope and not in_scope(reading.fact, scope)):
            continue
        key = (round(reading.fact.value, 6), reading.fact.unit)
        if key not in seen:
            seen.add(key)
            related.append(reading.fact)
        if len(related) == MAX_RELATED:
            break
    return related


def best_readings(readings: list[Reading], minimum: float = IMPLICIT_TOTAL_SCORE) -> list[list[Reading]]:
    """The top-scoring readings grouped by value: one group is one answer, cited to every table
    that prints it (document order first); several groups mean the question is ambiguous."""
    if not readings or readings[0].score < minimum:
        return []
    top = readings[0].score
    best = [r for r in readings if r.score >= top - 1e-9]
    if any(not r.fact.empty for r in best):
        # an empty total of a table without data (政府性基金 本表无数据) is not another reading
        best = [r for r in best if not (r.implicit and r.fact.empty)]
    by_value: dict[tuple[str, float, str], list[Reading]] = {}
    for reading in best:
        key = (reading.fact.loc.doc_id, round(reading.fact.value, 6), reading.fact.unit)
        by_value.setdefault(key, []).append(reading)
    return list(by_value.values())


def part_rows_to_sum(slots: Slots, facts: list[Fact]) -> list[Fact]:
    """The rows to add up when a question names a table part that prints no total of its own
    (机关运行经费 = 行政单位 + 参照公务员法管理事业单位); empty when that is not the case."""
    wanted = _wanted(slots)
    if wanted.rows or wanted.codes:
        return []
    words = [w for w in wanted.tables if len(w) >= 4]
    groups: dict[tuple[str, str, str], list[Fact]] = {}
    for fact in facts:
        part = fold(fact.part)
        if fact.loc.doc_id in slots.doc_ids and part and any(w in part for w in words):
            groups.setdefault((fact.loc.doc_id, fact.table, fact.part), []).append(fact)
    for rows in groups.values():
        if any(norm_label(f.row) in TOTAL_ROWS or norm_label(f.row).endswith("合计") for f in rows):
            continue
        column = default_column(list(dict.fromkeys(f.column for f in rows)))
        chosen = [f for f in rows if f.column == column]
        if len({f.unit for f in chosen}) == 1:
            return chosen
    return []
