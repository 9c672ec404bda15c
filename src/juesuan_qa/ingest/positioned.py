"""Tables printed without rulings: rows and columns from where the words stand.

pdfplumber finds a table by its ruling lines. Some disclosures draw none (a table set as
positioned text), or a page break leaves a row outside the ruled grid; their figures still
stand in columns. A line with a figure in it is a row. A column is an x-range the rows' words
occupy and no gap crosses (figures align on the right, labels on the left). A header word over
one column names it, lines of it wrapped in a narrow cell joined; a header word over several
columns names their group. The rows come out as a grid does, so everything after reads them alike.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from juesuan_qa.ingest.blocks import Row, Word
from juesuan_qa.textutil import parse_number

MIN_ROWS = 3  # fewer lines with figures are prose that quotes numbers, not a table
_WRAP_LINES = 2.0  # a wrapped header cell sets its lines at most this many heights apart
_WRAP = 0.8  # lines closer than this share of the rows' pitch are one cell's text wrapped


def words_of(raw: list[dict]) -> list[Word]:
    """pdfplumber's extract_words dicts → words."""
    return [Word(w["text"].strip(), w["x0"], w["x1"], w["top"], w["bottom"]) for w in raw if w["text"].strip()]


def lines_of(words: list[Word]) -> list[list[Word]]:
    """Words on one baseline (centres within half a glyph's height), top to bottom, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        centre = (word.top + word.bottom) / 2
        if lines:
            last = lines[-1]
            last_centre = statistics.fmean((w.top + w.bottom) / 2 for w in last)
            if abs(centre - last_centre) <= (word.bottom - word.top) / 2:
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def is_figure(text: str) -> bool:
    return parse_number(text) is not None


def has_figure(line: list[Word]) -> bool:
    """A row: a figure standing apart beside a label, or a line of nothing else (栏次 1 2 3 …, the
    figures of a row whose label wraps above and below them). A number
    set a space away from the words around it (总计 4,651.67 万元，) is prose in another font."""
    def apart(i: int) -> bool:
        gap = 0.8 * (line[i].bottom - line[i].top)
        return (i == 0 or line[i].x0 - line[i - 1].x1 >= gap) and \
            (i == len(line) - 1 or line[i + 1].x0 - line[i].x1 >= gap)
    figures = [i for i, w in enumerate(line) if is_figure(w.text) and apart(i)]
    return any(i > 0 for i in figures) or bool(figures) and len(figures) == len(line)


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


def _overlaps(word: Word, span: tuple[float, float]) -> bool:
    return word.x0 < span[1] and word.x1 > span[0]


@dataclass(frozen=True)
class Group:
    """A header word over several columns (本年收入 over 小计 … 其他收入): columns first..last."""

    word: Word
    first: int
    last: int


def columns_of(rows: list[list[Word]], header: list[list[Word]]) -> list[tuple[float, float]]:
    """Column x-ranges: those the rows' words occupy, widened by each header word over one of them,
    one added for a header word over none (a column blank in every row). A header word over two
    or more names a group and widens nothing; lower header words are read first (the leaves)."""
    spans = _merge([(w.x0, w.x1) for line in rows for w in line])
    for word in sorted((w for line in header for w in line), key=lambda w: -w.bottom):
        if sum(_overlaps(word, span) for span in spans) <= 1:
            spans = _merge([*spans, (word.x0, word.x1)])
    return spans


def _column(word: Word, spans: list[tuple[float, float]], anchor: float | None = None) -> int:
    x = word.middle if anchor is None else anchor
    inside = [i for i, (x0, x1) in enumerate(spans) if x0 - 0.5 <= x <= x1 + 0.5]
    if inside:  # a ruled grid's column boxes may overlap (a header cell merged over two): the narrowest
        return min(inside, key=lambda i: spans[i][1] - spans[i][0])
    return min(range(len(spans)), key=lambda i: abs(sum(spans[i]) / 2 - x))


def _data_column(word: Word, spans: list[tuple[float, float]]) -> int:
    """Figures align on the right of their column, words on the left."""
    return _column(word, spans, word.x1 - 0.5 if is_figure(word.text) else word.x0 + 0.5)


def groups_of(header: list[list[Word]], spans: list[tuple[float, float]]) -> list[Group]:
    """Header words that name a group of columns, and the columns each heads.

    A group word stands over several columns, or over one without being the first line of a
    narrow cell wrapped. It heads the widest run of
    columns it is centred over whose own headers sit in the band below it — centred there, not
    over the whole header band as a cell printed the full height is (总计 beside 本年收入)."""
    words = [w for line in header for w in line]
    band_top, band_bottom = min(w.top for w in words), max(w.bottom for w in words)

    def single(w: Word) -> bool:
        return sum(_overlaps(w, s) for s in spans) <= 1

    def under(i: int, group: Word) -> bool:
        heads = [w for w in words if w is not group and single(w) and _column(w, spans) == i]
        if not heads or min(w.top for w in heads) < group.bottom - 0.5:
            return False
        centre = (min(w.top for w in heads) + max(w.bottom for w in heads)) / 2
        return abs(centre - (group.bottom + band_bottom) / 2) < abs(centre - (band_top + band_bottom) / 2)

    groups = []
    for word in words:
        hit = [i for i, span in enumerate(spans) if _overlaps(word, span)]
        if len(hit) == 1:
            column = [w for w in words if w is not word and single(w) and _column(w, spans) == hit[0]]
            if not under(hit[0], word) or _wrapped(word, column, spans[hit[0]]):
                continue
        elif not hit:
            continue
        tolerance = lambda a, b: max(4.0, 0.03 * (spans[b][1] - spans[a][0]))  # noqa: E731
        runs = [(a, b) for a in range(hit[0] + 1) for b in range(hit[-1], len(spans)) if b > a
                and all(under(i, word) for i in range(a, b + 1) if i not in hit)
                and abs((spans[a][0] + spans[b][1]) / 2 - word.middle) <= tolerance(a, b)]
        if runs:
            a, b = max(runs, key=lambda r: r[1] - r[0])
            groups.append(Group(word, a, b))
        elif len(hit) >= 2:
            groups.append(Group(word, hit[0], hit[-1]))
    return groups


def _wrapped(word: Word, column: list[Word], span: tuple[float, float]) -> bool:
    """A narrow cell's first line: it fills its column's width, and the cell's next line stands
    close under it (a group's own columns stand a header row lower)."""
    below = [w for w in column if w.top > word.top]
    height = word.bottom - word.top
    return bool(below) and word.x1 - word.x0 >= span[1] - span[0] - height \
        and min(w.top for w in below) - word.top <= _WRAP_LINES * height


def header_rows(header: list[list[Word]], spans: list[tuple[float, float]], groups: list[Group]) -> list[list[str]]:
    """Group rows above, outermost first, each group printed over every column it heads; then
    each column's own header, its lines joined top to bottom (a narrow cell wraps), in the row
    under the groups over it."""
    grouped = {id(g.word) for g in groups}
    levels: list[list[Group]] = []
    for group in sorted(groups, key=lambda g: g.word.top):
        depth = sum(1 for o in groups if o is not group and o.word.top < group.word.top
                    and o.first <= group.first and o.last >= group.last)
        while len(levels) <= depth:
            levels.append([])
        levels[depth].append(group)
    rows = []
    for level in levels:
        cells = [""] * len(spans)
        for group in level:
            for i in range(group.first, group.last + 1):
                cells[i] = _compact(group.word.text)
        rows.append(cells)
    leaves = [""] * len(spans)
    for word in sorted((w for line in header for w in line if id(w) not in grouped), key=lambda w: (w.top, w.x0)):
        leaves[_column(word, spans)] += _compact(word.text)
    # a column under no group prints its header the full height, as a merged cell: in the top row,
    # so the group beside it does not read as its parent
    rows.append([""] * len(spans))
    for i, leaf in enumerate(leaves):
        depth = sum(1 for level in levels if any(g.first <= i <= g.last for g in level))
        rows[depth][i] = leaf
    return rows


def _compact(text: str) -> str:
    """Letter-spaced headers (收    入, 项  目) read as the word."""
    return "".join(text.split())


def _cells(lines: list[list[Word]], spans: list[tuple[float, float]]) -> list[str]:
    cells = [""] * len(spans)
    for line in lines:
        for word in line:
            i = _data_column(word, spans)
            cells[i] = f"{cells[i]} {word.text}".strip() if cells[i] and is_figure(word.text) else cells[i] + word.text
    return cells


def _row_lines(lines: list[list[Word]]) -> list[list[list[Word]]]:
    """The lines of each row. A label too long for its cell wraps onto lines closer together than
    rows stand, its figures centred among them: a run of such lines is one row, and a run holding
    several lines of figures (rows set tight) is one row per line of figures, every other line
    with the nearest of them."""
    def top(line: list[Word]) -> float:
        return statistics.fmean(w.top for w in line)

    # rows stand at least a row's pitch apart: the closest two lines of figures (most rows may be
    # blank, so no average of the gaps)
    figures = [line for line in lines if has_figure(line)]
    gaps = [top(b) - top(a) for a, b in zip(figures, figures[1:], strict=False) if top(b) - top(a) > b[0].bottom - b[0].top]
    pitch = min(gaps) if gaps else 0.0
    runs: list[list[list[Word]]] = []
    for line in lines:
        if runs and top(line) - top(runs[-1][-1]) < _WRAP * pitch:
            runs[-1].append(line)
        else:
            runs.append([line])
    rows = []
    for run in runs:
        figures = [line for line in run if has_figure(line)]
        if len(figures) <= 1:
            rows.append(run)
            continue
        parts: dict[int, list[list[Word]]] = {id(f): [] for f in figures}
        for line in run:
            nearest = min(figures, key=lambda f, line=line: abs(top(f) - top(line)))
            parts[id(nearest)].append(line)
        rows.extend(parts[id(f)] for f in figures)
    return rows


def read_rows(words: list[Word], page: int | None) -> tuple[list[Row], float]:
    """The table in these words (a region below its title) and the bottom of its last row, or
    ([], 0) when fewer than MIN_ROWS lines carry figures. Header: the lines above the first row;
    the rows end with the last that has a figure."""
    lines = lines_of(words)
    data = [i for i, line in enumerate(lines) if has_figure(line)]
    if len(data) < MIN_ROWS:
        return [], 0.0
    header = lines[:data[0]]
    grouped = _row_lines(lines[data[0]:])
    while grouped and not any(has_figure(line) for line in grouped[-1]):
        grouped.pop()
    spans = columns_of([line for row in grouped for line in row], header)
    body = [_cells(row, spans) for row in grouped]
    xs = tuple(round(x0, 1) for x0, _ in spans)
    grid = [*header_rows(header, spans, groups_of(header, spans)), *body] if header else body
    bottom = max(w.bottom for line in grouped[-1] for w in line)
    return [Row(None, cells, "\t".join(cells), page=page, xs=xs) for cells in grid if any(cells)], bottom


def stray_rows(lines: list[list[Word]], spans: list[tuple[float, float]], top: float, bottom: float,
               pitch: float) -> tuple[list[list[str]], list[list[str]], float, float]:
    """Lines with figures standing in a ruled grid's columns just above or below it, each within a
    row's pitch of the grid or of the last line taken: rows a page break left outside the rulings
    (206 科学技术支出 above a continuation page's grid), or a table ruled only under its header;
    and the top and bottom of the grid with them."""
    rows = [line for line in lines if has_figure(line) and len({_data_column(w, spans) for w in line}) >= 2]
    above: list[list[str]] = []
    edge = top
    for line in sorted(rows, key=lambda line: -min(w.top for w in line)):
        if 0 <= edge - max(w.bottom for w in line) <= pitch:
            above.insert(0, _cells([line], spans))
            edge = min(w.top for w in line)
    first = edge
    below: list[list[str]] = []
    edge = bottom
    for line in sorted(rows, key=lambda line: min(w.top for w in line)):
        if 0 <= min(w.top for w in line) - edge <= pitch:
            below.append(_cells([line], spans))
            edge = max(w.bottom for w in line)
    return above, below, first, edge
