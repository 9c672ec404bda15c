"""Subject-code tables: 科目代码 | 科目名称 | figures…, alone or as several groups side by side.

Regions print the code in one column (2010504) or split into 类 | 款 | 项 columns
(201 | 05 | 04, Shanghai); either way the code is read as one string. Column roles come
from the header text (科目代码/科目编码/类/款/项 → code, 科目名称/项目 → name, the rest →
figures); a table with k name columns is k groups of equal width (人员经费 | 公用经费 ×3).
Rows without a code and without a figure are repeated headers or notes and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan_qa.domain.vocabulary import GRAND_ROWS
from juesuan_qa.ingest.blocks import Row
from juesuan_qa.records import Fact
from juesuan_qa.textutil import fold, is_column_numbering, is_subject_code, norm_label, parse_number

CODE_PARTS = {"类", "款", "项"}
CODE_NAME = re.compile(r"^(\d{3,7})\s*[-－—]\s*(\S.*)$")  # 2040602-一般行政管理事务 in one cell
_COLUMN_NUMBER_ROW = {"栏次", "行次"}
TOTAL_LABELS = GRAND_ROWS


def is_code_header(cell: str) -> bool:
    cell = fold(cell)
    return cell in CODE_PARTS or cell.endswith(("科目代码", "科目编码", "部门代码", "单位代码", "部门编码", "单位编码")) \
        or cell in ("编码", "代码")


def _is_subject_name_header(cell: str) -> bool:
    cell = fold(cell)
    return cell.endswith(("科目名称", "单位名称", "部门名称")) and len(cell) <= 10


def is_name_header(cell: str) -> bool:
    cell = fold(cell)
    return "科目名称" in cell or cell in ("项目", "项目名称", "部门名称", "单位名称", "科目")


@dataclass(frozen=True)
class Group:
    """One (codes…, name, figures…) column group."""

    code_columns: tuple[int, ...]
    name_column: int
    value_columns: tuple[int, ...]
    name: str  # 人员经费 / 公用经费 when the header names the group


def has_codes(rows: list[Row]) -> bool:
    """A subject table: codes, or at least a 科目名称/单位名称 column naming each row."""
    if any(is_code_header(c) or _is_subject_name_header(c) for r in rows[:6] for c in r.cells):
        return True
    return sum(1 for r in rows for c in r.cells[:1] if CODE_NAME.match(c)) >= 2


def header_rows(rows: list[Row]) -> tuple[list[list[str]], list[Row]]:
    """Rows above the first data row (the 栏次 numbering row dropped), and the rest."""
    header: list[list[str]] = []
    for index, row in enumerate(rows):
        first = next((c for c in row.cells if c), "")
        if fold(first) in _COLUMN_NUMBER_ROW or is_column_numbering(row.cells):
            continue
        if _is_data(row):
            return header, rows[index:]
        header.append(row.cells)
    return header, []


def _is_data(row: Row) -> bool:
    if not any(row.cells):
        return False
    first = row.cells[0].strip()
    if is_subject_code(first) or norm_label(first) in TOTAL_LABELS or CODE_NAME.match(first):
        return True
    if any(norm_label(c) in TOTAL_LABELS for c in row.cells[:3]) and all(
            not c or parse_number(c) is not None or norm_label(c) in TOTAL_LABELS for c in row.cells):
        return True  # 合计 under 科目名称, its cells blank: an empty table's total row is still data
    # a row with figures (a name-only table starts straight with 科学技术支出 28.00)
    return parse_number(first) is None and any(parse_number(c) is not None for c in row.cells[1:])


def groups(header: list[list[str]], width: int) -> list[Group]:
    name_counts = [sum(1 for c in cells if is_name_header(c)) for cells in header]
    count = max(name_counts, default=0)
    count = count if count > 1 and width % count == 0 else 1
    if count > 1:  # side-by-side groups repeat at equal spacing; 单位名称 | 项目名称 adjacent are one group
        row = header[name_counts.index(max(name_counts))]
        at = [i for i, c in enumerate(row) if is_name_header(c)]
        if any(b - a != width // count for a, b in zip(at, at[1:], strict=False)):
            count = 1
    size = width // count
    naming = header[0] if header else []
    raw_names = {fold(naming[k * size]) if k * size < len(naming) else "" for k in range(count)}
    if len(raw_names - {""}) < 2:
        naming = []  # the same word over every group (经济分类) is not a group name
    result: list[Group] = []
    last_name = ""
    for k in range(count):
        start, end = k * size, (k + 1) * size
        codes = [i for i in range(start, end) if any(i < len(h) and is_code_header(h[i]) for h in header)]
        names = [i for i in range(start, end) if i not in codes
                 and any(i < len(h) and is_name_header(h[i]) for h in header)]
        # the most specific name column: 项目名称 after 单位名称, 科目名称 after 预算单位
        name_column = names[-1] if names else (max(codes) + 1 if codes else start)
        codes = [i for i in codes if i < name_column]
        group_name = fold(naming[start]) if start < len(naming) and count > 1 else ""
        if group_name and (is_code_header(group_name) or is_name_header(group_name)):
            group_name = ""
        last_name = group_name or last_name
        result.append(Group(tuple(codes), name_column, tuple(range(name_column + 1, end)),
                            last_name if count > 1 else ""))
    return result


def split_code_name(cell: str) -> tuple[str, str]:
    match = CODE_NAME.match(cell.strip())
    return (match.group(1), match.group(2).strip()) if match else ("", cell.strip())


def row_code(row: Row, group: Group) -> str:
    parts = [row.cells[i].strip() for i in group.code_columns if i < len(row.cells)]
    parts = [p for p in parts if p]
    code = "".join(parts)
    return code if parts and all(p.isdigit() for p in parts) and is_subject_code(code) else ""


def read_coded(rows: list[Row], make_fact, column_labels) -> tuple[list[Fact], list[Group], list[Row]]:
    """Facts of a subject-code table, its groups, and the data rows no group could read
    (total lines such as 人员经费合计 … 公用经费合计 that span groups).

    `make_fact(row, part, label, code, column, cell)` builds one fact (None for a non-figure
    cell); `column_labels(header, start, end)` names the columns.
    """
    header, data = header_rows(rows)
    if data and any(fold(c) in CODE_PARTS for c in data[0].cells[:4]):
        # 类 | 款 | 项 printed in the 合计 row (Shanghai): they still name the code columns
        header.append([c if fold(c) in CODE_PARTS else "" for c in data[0].cells])
    width = max(len(r.cells) for r in rows)
    crossed = _code_name_columns(data, width)
    if len(crossed) >= 2:
        return _cross_tab(header, data, crossed, width, make_fact, column_labels), [], []
    facts: list[Fact] = []
    read: set[int] = set()
    layout = groups(header, width)
    blocks = unit_blocks(data, layout[0]) if len(layout) == 1 else {}
    for group in layout:
        start = group.value_columns[0] if group.value_columns else width
        end = group.value_columns[-1] + 1 if group.value_columns else width
        labels = {i: label for i, label in column_labels(header, start, end).items() if i in group.value_columns}
        if not labels and group.value_columns:
            labels = {i: "金额" for i in group.value_columns}
        for row in data:
            cells = row.cells
            code = row_code(row, group)
            if len(layout) > 1 and not any(row_code(row, g) for g in layout):
                continue  # a line across groups (人员经费合计 … 公用经费合计): left to the caller
            name = cells[group.name_column].strip() if group.name_column < len(cells) else ""
            if not code:
                code, name = split_code_name(name)
            if not name and not code:  # 合计 in the code column, or a unit's row (深圳市统计局（本级）)
                first_value = group.value_columns[0] if group.value_columns else len(cells)
                name = next((c for c in cells[:first_value] if c and parse_number(c) is None
                             and not c.isdigit() and not is_code_header(c)), "")
            if not name and not code:
                continue
            if not code and norm_label(name) not in TOTAL_LABELS and not _has_figure(cells, labels):
                continue  # a repeated header row or a note, not a data row
            read.add(id(row))
            for index, column in labels.items():
                cell = cells[index] if index < len(cells) else ""
                fact = make_fact(row, blocks.get(id(row), group.name), name or code, code, column, cell)
                if fact:
                    facts.append(fact)
    leftover = [r for r in data if id(r) not in read and any(parse_number(c) is not None for c in r.cells)]
    return facts, layout, leftover


def unit_blocks(data: list[Row], group: Group) -> dict[int, str]:
    """Rows of a table printed as one block per 预算单位 (深圳: the department's line, then each
    unit's line followed by its subjects): each row → the unit whose block it is in.

    Only when two or more unit lines open blocks of coded rows; a table of one unit (its line,
    then its subjects) is one block and keeps no part. Flattened, the blocks' 类/款/项 would be
    summed across units and no subject line would add up.
    """
    first_value = group.value_columns[0] if group.value_columns else 0
    owner: dict[int, str] = {}
    unit, opened = "", []
    for row in data:
        if row_code(row, group) or split_code_name(row.cells[group.name_column] if group.name_column < len(
                row.cells) else "")[0]:
            if unit and (not opened or opened[-1] != unit):
                opened.append(unit)
            if unit:
                owner[id(row)] = unit
            continue
        name = row.cells[group.name_column].strip() if group.name_column < len(row.cells) else ""
        label = next((c.strip() for c in row.cells[:first_value] if c.strip() and parse_number(c) is None
                      and not is_code_header(c)), "")
        if not name and label and norm_label(label) not in TOTAL_LABELS and _has_figure(
                row.cells, {i: "" for i in group.value_columns}):
            unit = label
            owner[id(row)] = unit
    if len(opened) < 2:
        return {}
    return {row: unit for row, unit in owner.items() if unit in opened}  # the department's line is the whole


def _has_figure(cells: list[str], labels: dict[int, str]) -> bool:
    return any(i < len(cells) and parse_number(cells[i]) is not None for i in labels)


def _code_name_columns(data: list[Row], width: int) -> list[int]:
    """Columns whose cells are mostly "code-name" (2040602-一般行政管理事务)."""
    columns = []
    for i in range(width):
        cells = [r.cells[i] for r in data if i < len(r.cells) and r.cells[i]]
        if cells and sum(1 for c in cells if CODE_NAME.match(c)) >= 0.6 * len(cells):
            columns.append(i)
    return columns


def _cross_tab(header: list[list[str]], data: list[Row], crossed: list[int], width: int, make_fact,
               column_labels) -> list[Fact]:
    """Rows that cross classifications (功能分类 × 政府经济分类 × 部门经济分类, Beijing 预算03表).

    The row is named by all its code-name cells as printed, a merged (blank) cell carrying
    the one above; its code is the functional one, else the most detailed economic one.
    """
    start = max(crossed) + 1
    labels = column_labels(header, start, width) or {i: "金额" for i in range(start, width)}
    functional = next((i for i in crossed if any(i < len(h) and "功能" in fold(h[i]) for h in header)), None)
    above: dict[int, str] = {}
    facts: list[Fact] = []
    for row in data:
        cells = row.cells
        parts = []
        for i in crossed:
            cell = cells[i].strip() if i < len(cells) else ""
            cell = cell or above.get(i, "")
            above[i] = cell
            parts.append(cell)
        name = " ".join(p for p in parts if p)
        if not name:
            continue
        total = next((cells[i] for i in crossed if i < len(cells) and norm_label(cells[i]) in TOTAL_LABELS), "")
        if total:  # 合 计 may sit in any of the classification columns
            name, above = norm_label(total), {}
        code_cell = parts[crossed.index(functional)] if functional is not None else parts[-1]
        code = split_code_name(code_cell)[0]
        for index, column in labels.items():
            cell = cells[index] if index < len(cells) else ""
            fact = make_fact(row, "", name, code, column, cell)
            if fact:
                facts.append(fact)
    return facts
