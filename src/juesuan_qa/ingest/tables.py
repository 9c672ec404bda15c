"""Tables → facts: one fact per figure, with its row, column, unit and source line.

Layouts are recognised from the header text, never from a table's position or its
公开NN label: two-sided totals tables (收入 | 支出, split at the second 项目 header),
multi-group tables (several 科目代码 column groups side by side, as in the basic
expenditure detail), subject-code tables (科目代码 / 科目名称 then figures), label
tables with 行次 (the statistics table), and header-only tables printed as 本表无数据.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from juesuan_qa.domain.vocabulary import COLUMN_GROUP, DEFAULT_COLUMNS, table_type
from juesuan_qa.ingest.blocks import Block, Row
from juesuan_qa.ingest.coded import has_codes, header_rows, read_coded
from juesuan_qa.ingest.pages import drop_repeated_headers, join_grids
from juesuan_qa.records import Fact, Locator
from juesuan_qa.textutil import fold, is_column_numbering, norm_label, parse_number

TABLE_CODE = re.compile(r"(公开\s*\d{1,2}\s*表|预算\s*\d{1,2}\s*表|表\s*\d{1,2})")
UNIT = re.compile(r"单位\s*[:：]\s*(万元|元|千元)")
NO_DATA = "本表无数据"
_COLUMN_NUMBER_ROW = {"栏次"}
_TOTAL_PREFERENCE = DEFAULT_COLUMNS
_MEASURES = {"预算数", "决算数", "金额", "执行数", "预算", "决算"}


@dataclass
class TableSection:
    """A table title with everything printed under it until the next heading."""

    title: str
    line: int
    page: int | None = None
    code: str = ""
    unit: str = "万元"
    rows: list[Row] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)

    @property
    def no_data(self) -> bool:
        return any(NO_DATA in text for _, text in self.notes)


_LEADING_CODE = re.compile(
    r"^((?:公开|预算|部门预算)?\d{1,2}表|表\d{1,2}|表[一二三四五六七八九十]{1,3}(?=[:：.．、])|[一二三四五六七八九十]+、|\d+[.、．])"
    r"[:：.．、]?")
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")


def collect_section(title: Block, body: list[Block]) -> TableSection:
    text = fold(title.text)
    code = _LEADING_CODE.match(text)
    section = TableSection(title=_YEAR_PREFIX.sub("", text[code.end():] if code else text), line=title.line,
                           page=title.page)
    if code and "表" in code.group(1):
        section.code = code.group(1)
    if title.code:
        section.code = title.code
    grids = [block.rows for block in body if block.kind == "table"]
    for block in body:
        if block.kind == "table":
            continue
        text = block.text
        code = TABLE_CODE.search(text)
        if code and not section.code and len(text) <= 12:
            section.code = fold(code.group(1))
        unit = UNIT.search(text)
        if unit:
            section.unit = unit.group(1)
        if text.startswith(("注", "说明")) or NO_DATA in text:
            section.notes.append((block.line, text))
    section.rows = join_grids(grids)
    return section


def read_table(section: TableSection, doc_id: str) -> list[Fact]:
    """All facts of one table section, whatever its layout."""
    rows = drop_repeated_headers([r for r in section.rows if any(r.cells)])
    if not rows:
        return []
    header_cells = [c for r in rows[:4] for c in r.cells]
    if sum(1 for c in rows_first_header(rows) if c == "项目") >= 2:
        return _two_sided(section, rows, doc_id)
    if has_codes(rows):
        return _coded(section, rows, doc_id)
    if any(r.cells and fold(r.cells[0]) == "项目" for r in rows[:4]) or "行次" in header_cells:
        return _labelled(section, rows, doc_id, part="")
    if section.no_data or _figures_below_headers(rows):
        return _column_items(section, rows, doc_id)
    if not _any_figure(rows):
        # header only: a standard table of the templates printed empty (its items are zero, as the
        # disclosure conventions read it), or one whose note says so; any other header gives no figure
        empty = bool(section.notes) or table_type(section.title) is not None
        return _column_items(section, rows, doc_id) if empty else []
    return _labelled(section, rows, doc_id, part="")


def _any_figure(rows: list[Row]) -> bool:
    return any(parse_number(c) is not None for r in rows for c in r.cells if not is_column_numbering(r.cells))


def _figures_below_headers(rows: list[Row]) -> bool:
    """Items named by the column headers, their figures in a row below (the 三公 table)."""
    numeric = [i for i, r in enumerate(rows) if any(parse_number(c) is not None for c in r.cells)
               and not is_column_numbering(r.cells)]
    return bool(numeric) and numeric == list(range(len(rows) - len(numeric), len(rows))) and len(numeric) <= 2 \
        and not any(parse_number(c) is None and c for c in rows[numeric[0]].cells)


def rows_first_header(rows: list[Row]) -> list[str]:
    """The first row that names columns (项目 …), where two-sided tables repeat 项目."""
    for row in rows[:4]:
        cells = [fold(c) for c in row.cells]
        if "项目" in cells:
            return cells
    return []


# ---- helpers shared by the layouts ----


def _fact(section: TableSection, doc_id: str, row: Row, *, part: str, label: str, code: str,
          column: str, cell: str, unit: str | None = None) -> Fact | None:
    value = parse_number(cell)
    empty = cell.strip() == ""
    if value is None and not empty:
        return None  # "——" and text mean "not applicable", not zero
    return Fact(
        table=section.code or section.title,
        title=section.title,
        part=part,
        row=label,
        code=code,
        column=column,
        value=value if value is not None else 0.0,
        unit=unit or _row_unit(label, section.unit),
        empty=empty,
        loc=Locator(doc_id, section.code or None, section.title, line=row.line, page=row.page, quote=row.raw,
                    file=row.file),
    )


def _row_unit(label: str, table_unit: str) -> str:
    """Counts printed inside an amount table carry their own unit in the label."""
    folded = fold(label)
    if "(辆)" in folded or folded.endswith("用车") or "车辆数" in folded:
        return "辆"
    if "设备" in folded and "以上" in folded:
        return "台"
    return table_unit



def _column_paths(header_rows: list[list[str]], start: int, width: int) -> dict[int, tuple[str, ...]]:
    """Column header paths from stacked header rows, a parent group forward-filled over its children.

    The lowest non-empty header names the column and the cells above it (filled across their
    span) are its parents: (本年支出, 基本支出). A leaf of 小计 stands for its parent itself.
    """
    own_cells = [[fold(cells[i]) if i < len(cells) else "" for i in range(width)] for cells in header_rows]
    filled: list[list[str]] = []
    for k, cells in enumerate(own_cells):
        row, last = [], ""
        for i in range(width):
            cell = cells[i]
            if any(own_cells[upper][i] for upper in range(k)):
                last = ""  # an upper header starts a new span here: a lower label does not carry over
            if i >= start and cell:
                last = cell
            row.append(cell or (last if i >= start else ""))
        filled.append(row)
    paths: dict[int, tuple[str, ...]] = {}
    for i in range(start, width):
        own = [fold(cells[i]) if i < len(cells) else "" for cells in header_rows]
        levels = [k for k, cell in enumerate(own) if cell]
        if not levels:
            continue
        leaf = own[levels[-1]]
        parents = [filled[k][i] for k in range(levels[-1]) if filled[k][i] and filled[k][i] != leaf]
        parents = list(dict.fromkeys(parents))
        paths[i] = tuple(parents) if leaf == "小计" and parents else (*parents, leaf)
    return paths


def _column_labels(header_rows: list[list[str]], start: int, width: int) -> dict[int, str]:
    """Column labels as "parent/leaf" (本年支出/基本支出), or the leaf alone. A column group of another
    time or measure above them (当年 | 上年 | 增减变化情况, 2025年预算数 | 2026年预算数) stays on the
    label, or the same item under 当年 and 上年 would read as one column printed twice."""
    labels = {}
    for i, path in _column_paths(header_rows, start, width).items():
        group = next((p for p in path[:-2] if COLUMN_GROUP.search(p)), "")
        labels[i] = "/".join((group, *path[-2:]) if group else path[-2:])
    return labels


def _dedupe_label(label: str, seen: set[str], parent: str) -> tuple[str, bool]:
    """A label printed twice in one table part is a sub-row: qualify it with its parent row.

    The parent is the last row above whose label was not itself a repeat
    (年初财政拨款结转和结余 → its 一般公共预算财政拨款 sub-row).
    """
    key = norm_label(label)
    if key in seen and parent:
        return f"{norm_label(parent)}/{key}", True
    seen.add(key)
    return label, False


# ---- layouts ----


def _two_sided(section: TableSection, rows: list[Row], doc_id: str) -> list[Fact]:
    """收入 | 支出 side by side: split at the second 项目 header, read each side as a label table."""
    header = rows_first_header(rows)
    split = [i for i, c in enumerate(header) if c == "项目"][1]
    side_names = ["收入", "支出"]
    for row in rows[:2]:
        names = [fold(c) for c in row.cells if c]
        if len(names) == 2 and "项目" not in names:
            side_names = names
    facts: list[Fact] = []
    for side, (lo, hi) in zip(side_names, [(0, split), (split, None)], strict=True):
        sliced = [Row(r.line, r.cells[lo:hi], r.raw, r.page, r.file) for r in rows]
        facts.extend(_labelled(section, sliced, doc_id, part=side))
    return facts


def _labelled(section: TableSection, rows: list[Row], doc_id: str, part: str) -> list[Fact]:
    """Rows of label, optional 行次, figures. A lone label row opens a new part (一、政府采购情况)."""
    facts: list[Fact] = []
    columns: dict[int, str] = {}
    seen: set[str] = set()
    parent = ""
    current_part = part
    above: list[str] = []
    leading = _leading_header(rows)
    if leading:  # headers without a 项目 cell (预算单位 | 收入总计 | 本年收入 …): the rows above the figures
        width = max(len(r.cells) for r in rows)
        columns = {i: label for i, label in _column_labels(leading, 1, width).items() if label != "行次"}
        rows = rows[len(leading):]
        # a column of words (年度: 2025年 / 2026年) names rows; it holds no figures
        wordy = {i for r in rows for i, c in enumerate(r.cells)
                 if c and parse_number(c) is None and i > 0 and c.strip("—-－/*xX ")}
        columns = {i: label for i, label in columns.items() if i not in wordy}
    for n, row in enumerate(rows):
        cells = row.cells
        first = cells[0].strip() if cells else ""
        if fold(first) == "项目":
            # header rows stacked under 项目 (预算数 / 合计 | 基本支出 (人员经费 | 公用经费) | 项目支出)
            stack = [cells, *_sub_headers(rows[n + 1:])]
            width = max(len(c) for c in stack)
            columns = {i: label for i, label in _column_labels(stack, 1, width).items() if label != "行次"}
            continue
        if fold(first) in _COLUMN_NUMBER_ROW or not any(cells[:min(columns) if columns else 1]):
            continue
        figures = [c for c in cells[1:] if c]
        if not columns or (not figures and not part and len(cells) > 1 and _is_section_title(first)):
            if not part:
                current_part = norm_label(first)
                seen, parent = set(), ""
                continue
            if not columns:
                continue
        first_value = min(columns) if columns else 1
        if first_value > 1:  # several label columns (预算单位 | 年度): name the row by all, a blank carrying down
            texts = [c.strip() if parse_number(c) is None else "" for c in cells[:first_value]]  # not 行次
            texts = [t or (above[i] if i < len(above) and i < first_value - 1 else "") for i, t in enumerate(texts)]
            above = texts
            first = " ".join(t for t in texts if t) or first
        label, repeated = _dedupe_label(first, seen, parent)
        for index, column in columns.items():
            cell = cells[index] if index < len(cells) else ""
            fact = _fact(section, doc_id, row, part=current_part, label=label, code="", column=column, cell=cell)
            if fact:
                facts.append(fact)
        parent = parent if repeated else first
    return facts


def _sub_headers(rows: list[Row]) -> list[list[str]]:
    """Header rows printed under a 项目 row: blank label cell, words and no figures."""
    out = []
    for row in rows:
        if (row.cells and row.cells[0].strip()) or any(parse_number(c) is not None for c in row.cells):
            break
        out.append(row.cells)
    return out


def _leading_header(rows: list[Row]) -> list[list[str]]:
    """Rows above the first figure, when none of them is a 项目 header or a section title."""
    header = []
    for row in rows:
        first = fold(row.cells[0]) if row.cells else ""
        if first == "项目" or _is_section_title(first):
            return []
        if any(parse_number(c) is not None for c in row.cells[1:]) and not is_column_numbering(row.cells):
            return header
        header.append(row.cells)
    return []


def _is_section_title(label: str) -> bool:
    return bool(re.match(r"^[一二三四五六七八九十]+、", label))


def _coded(section: TableSection, rows: list[Row], doc_id: str) -> list[Fact]:
    """Subject-code tables, one group or several side by side (see ingest.coded)."""

    def make(row: Row, part: str, label: str, code: str, column: str, cell: str) -> Fact | None:
        return _fact(section, doc_id, row, part=part, label=label, code=code, column=column, cell=cell)

    facts, layout, leftover = read_coded(rows, make, _column_labels)
    starts = [g.code_columns[0] if g.code_columns else g.name_column for g in layout]
    names = [g.name for g in layout]
    header, _ = header_rows(rows)
    first = layout[0].value_columns[0] if layout and layout[0].value_columns else 0
    column = _column_labels(header, first, first + 1).get(first, "金额")
    for row in leftover:
        facts.extend(_pair_labels(section, doc_id, row, starts, names, column))
    return facts


def _pair_labels(section: TableSection, doc_id: str, row: Row, starts: list[int], names: list[str],
                 column: str) -> list[Fact]:
    facts: list[Fact] = []
    cells = row.cells
    for i, cell in enumerate(cells):
        if not cell or parse_number(cell) is not None:
            continue
        figure = next((c for c in cells[i + 1:] if c), "")
        group = max((k for k, s in enumerate(starts) if s <= i), default=0)
        if parse_number(figure) is None:
            figure = ""
        fact = _fact(section, doc_id, row, part=names[group], label=cell, code="", column=column, cell=figure)
        if fact:
            facts.append(fact)
    return facts


def _column_items(section: TableSection, rows: list[Row], doc_id: str) -> list[Fact]:
    """Items named by column headers (合计, 因公出国（境）费 …) under or over 预算数/决算数.

    The figures are the row below the headers; a table printed as 本表无数据 has none, and
    every item is then zero, cited to the note.
    """
    header = [r.cells for r in rows if not any(parse_number(c) is not None for c in r.cells)
              and not is_column_numbering(r.cells)]
    values = [r for r in rows if any(parse_number(c) is not None for c in r.cells) and not is_column_numbering(r.cells)]
    width = max(len(r.cells) for r in rows)
    if values:
        source = values[0]
    else:
        note_line, note = next(((line, text) for line, text in section.notes if NO_DATA in text), (section.line, ""))
        source = Row(note_line, [], note, page=section.page)  # an empty table is cited on its own page
    facts = []
    for index, path in _column_paths(header, 0, width).items():
        measures = [p for p in path if p in _MEASURES]
        items = [p for p in path if p not in _MEASURES]
        item = items[-1] if items else path[-1]
        column = measures[-1] if measures else (path[0] if len(path) > 1 else "金额")
        cell = source.cells[index] if index < len(source.cells) else ""
        fact = _fact(section, doc_id, source, part="", label=item, code="", column=column, cell=cell)
        if fact:
            facts.append(fact)
    return facts

def default_column(columns: list[str]) -> str:
    """The column a question means when it names none: the table's total column."""
    for preferred in _TOTAL_PREFERENCE:
        for column in columns:
            if column.split("/")[-1] == preferred or column == preferred:
                return column
    for column in columns:  # 支出总计, 本年收入合计: a total named by what it totals
        if column.split("/")[-1].endswith(("总计", "合计")):
            return column
    for column in columns:
        if "合计" in column:
            return column
    for column in columns:  # a group whose parts are printed beside it (本年支出 | 本年支出/基本支出)
        if any(other.startswith(column + "/") for other in columns):
            return column
    return columns[0]
