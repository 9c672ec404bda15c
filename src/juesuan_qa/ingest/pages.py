"""The grids of one table printed over several pages, made one grid before it is read.

A table runs over pages: each page's rulings give a grid of its own, with its own blank columns
(a column empty on one page is not empty in the table), its own edge columns (11 rulings on the
first page, 10 on the next), the header rows printed again, and now and then a figure broken by
the page break. Every fix here is judged by the table's own identities (ingest.selfcheck) on the
development corpus; see benchmarks/bench_fidelity.py.
"""

from __future__ import annotations

import re

from juesuan_qa.ingest.blocks import Row
from juesuan_qa.textutil import fold, is_column_numbering, parse_number


def join_grids(grids: list[list[Row]]) -> list[Row]:
    """The grids of one table (a page each when it runs over pages) as one, empty columns dropped.

    A column empty in every row is a ruling artefact at a page edge — but only across the whole
    table: a continuation page whose 政府性基金 / 其他资金 columns happen to be blank there still
    has them, and dropping them page by page shifts every later figure one column left. So when
    every page's grid has the same width, columns are dropped for the table as a whole; grids of
    different widths are each cleaned alone, as their own rulings say.
    """
    grids = [grid for grid in grids if grid]
    if not grids:
        return []
    grids = _mend_split_figures([grids[0], *(_align(grid, grids[0]) for grid in grids[1:])])
    widths = {_width(grid) for grid in grids}
    if len(widths) == 1:
        return _drop_empty_columns([row for grid in grids for row in grid])
    # the first page's rulings may add an edge column the next pages lack (11 vs 10): a continuation
    # as wide as the first page once cleaned keeps every column, blank ones included
    first = _drop_empty_columns(grids[0])
    out = list(first)
    for grid in grids[1:]:
        out += grid if _width(grid) == _width(first) else _drop_empty_columns(grid)
    return out


_SAME_EDGE = 3.0  # points: rulings of one table on two pages agree closer than this


def _align(grid: list[Row], first: list[Row]) -> list[Row]:
    """A continuation page's grid laid onto the first page's columns by where they stand: a page
    whose rulings lack an edge column (10 columns under a header of 11) puts every cell under the
    header it stands under, so a blank 基本支出 cell stays blank instead of taking 项目支出's figure."""
    ref = next((r.xs for r in first if r.xs), ())
    own = next((r.xs for r in grid if r.xs), ())
    if not ref or not own or len(own) == len(ref):
        return grid
    target = [next((i for i, x in enumerate(ref) if abs(x - edge) <= _SAME_EDGE), None) for edge in own]
    if None in target or len(set(target)) != len(target):
        return grid
    if any(len(row.cells) > len(target) for row in grid):
        return grid
    out = []
    for row in grid:
        cells = [""] * len(ref)
        for j, cell in enumerate(row.cells):
            cells[target[j]] = cell
        out.append(Row(row.line, cells, row.raw, row.page, row.file, ref))
    return out


def _width(rows: list[Row]) -> int:
    return max((len(r.cells) for r in rows), default=0)


_FRAGMENT = re.compile(r"\d{1,3}")
_OPEN_FIGURE = re.compile(r"\d[\d,]*\.\d*$")


def _mend_split_figures(grids: list[list[Row]]) -> list[list[Row]]:
    """A figure broken by a page break ("12,437.3" at the foot of one page, "6" alone at the head of
    the next) is one figure: a continuation grid whose first row has no label and only short digit
    fragments, each under a figure of the row above that lacks its last decimals, is glued back."""
    out = [list(grid) for grid in grids]
    for before, after in zip(out, out[1:], strict=False):
        if not before or not after:
            continue
        last, first = before[-1], after[0]
        if last.page is not None and first.page == last.page:
            continue  # only a page break splits a figure so
        filled = [i for i, c in enumerate(first.cells) if c.strip()]
        if not filled or (first.cells and first.cells[0].strip()) or len(last.cells) != len(first.cells):
            continue
        if all(_FRAGMENT.fullmatch(first.cells[i].strip()) and _OPEN_FIGURE.search(last.cells[i].strip())
               and len(last.cells[i].split(".")[1]) + len(first.cells[i].strip()) == 2 for i in filled):
            cells = [c + first.cells[i].strip() if i in filled else c for i, c in enumerate(last.cells)]
            before[-1] = Row(last.line, cells, "\t".join(cells), last.page, last.file)
            del after[0]
    return out


def _drop_empty_columns(rows: list[Row]) -> list[Row]:
    width = max((len(r.cells) for r in rows), default=0)
    keep = [i for i in range(width) if any(i < len(r.cells) and r.cells[i] for r in rows)]
    if len(keep) == width:
        return rows
    return [Row(r.line, [r.cells[i] if i < len(r.cells) else "" for i in keep],
                "\t".join(r.cells[i] for i in keep if i < len(r.cells)) if r.line is None else r.raw, r.page, r.file)
            for r in rows]


def drop_repeated_headers(rows: list[Row]) -> list[Row]:
    """A table continued over pages prints its header rows again on every page; below the first
    figure those rows are no data (and their words would make every column look like text)."""
    first = next((i for i, r in enumerate(rows) if any(parse_number(c) is not None for c in r.cells)
                  and not is_column_numbering(r.cells)), len(rows))
    header = {tuple(fold(c) for c in r.cells) for r in rows[:first]}
    return rows[:first] + [r for r in rows[first:] if tuple(fold(c) for c in r.cells) not in header
                           and not is_column_numbering(r.cells)]
