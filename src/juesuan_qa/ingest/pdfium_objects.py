"""A PDF page's characters and ruling paths read by PDFium, shaped as pdfplumber's objects.

Why: pdfplumber spends nine tenths of a page in pdfminer's character parsing (43 of 47 ms a page
on the shipped PDFs); PDFium (pypdfium2) gives the same characters and paths in about 5 ms. The
table finder and text-line logic stay pdfplumber's: this module only fills `page._objects` with
what pdfminer would have produced, so everything downstream is unchanged.

The shapes follow pdfminer.six's own rules: a character's box is its font's loose box (advance ×
ascent–descent, the box pdfminer computes), PDFium's generated spaces and line breaks are not
characters, and a painted path is split at each move and classed as pdfminer's paint_path does
(a single segment is a line; four sides of an axis-aligned closed loop a rect; anything else a
curve, bezier control points omitted).
"""

from __future__ import annotations

import ctypes

_MOVE, _LINE, _BEZIER = 0, 1, 2  # our codes; PDFium's are read from pypdfium2.raw


class Unreadable(Exception):
    """A page PDFium cannot spell (a glyph it maps to no character, where pdfminer may)."""


def page_objects(pdfium_page, plumber_page) -> dict[str, list[dict]]:
    """{"char": [...], "line": [...], "rect": [...], "curve": [...]} for one page; Unreadable when
    PDFium prints a glyph it cannot spell, so the caller leaves that page to pdfminer."""
    import pypdfium2.raw as raw

    height = float(plumber_page.height)
    mb_x0, mb_top = float(plumber_page.mediabox[0]), float(plumber_page.mediabox[1])
    origin_x, origin_y = _mediabox_origin(pdfium_page)
    doctop = float(plumber_page.initial_doctop)
    number = plumber_page.page_number

    def place(x: float, y: float) -> tuple[float, float]:
        """PDFium's page space → pdfplumber's (x from the left, y from the top of the page)."""
        return x - origin_x + mb_x0, height - (y - origin_y) + mb_top

    out: dict[str, list[dict]] = {"char": [], "line": [], "rect": [], "curve": []}
    out["char"] = _chars(raw, pdfium_page, place, doctop, number)
    for obj in pdfium_page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,)):
        for kind, shape in _paths(raw, obj, place, doctop, number):
            out[kind].append(shape)
    return {kind: objs for kind, objs in out.items() if objs}


def _mediabox_origin(pdfium_page) -> tuple[float, float]:
    left, bottom, _, _ = pdfium_page.get_mediabox()
    return float(left), float(bottom)


def _chars(raw, pdfium_page, place, doctop: float, number: int) -> list[dict]:
    """pdfminer's characters: x from the advance (PDFium's loose box), y from the baseline, the
    font's descent and its size (pdfminer's box is size high from baseline + descent)."""
    textpage = pdfium_page.get_textpage()
    spaces = _printed_spaces(raw, pdfium_page, textpage)
    chars: list[dict] = []
    right = 0.0  # the previous character's right edge, in PDFium's space
    pending_space = False
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    metrics: dict[int, tuple[float, float]] = {}  # text object → (font size, descent), in text space

    try:
        for index in range(textpage.count_chars()):
            code = raw.FPDFText_GetUnicode(textpage, index)
            if raw.FPDFText_IsHyphen(textpage, index) == 1:
                code = ord("-")  # a printed hyphen PDFium took for a word broken at the line's end
            if raw.FPDFText_IsGenerated(textpage, index) == 1:
                # PDFium replaces a printed space by one it generates (at no useful place): a space
                # between two characters of a line is kept, spanning the gap between them
                pending_space = code == 32 and bool(chars)
                continue
            if code < 32 or code in (0xFFFE, 0xFFFF) or not raw.FPDFText_GetLooseCharBox(textpage, index, rect):
                pending_space = False
                continue
            size, descent = _metrics(raw, textpage, index, metrics)
            raw.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix))
            raw.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
            scale = abs(matrix.d) or 1.0
            low = y.value + descent * scale
            x0, top = place(rect.left, low + size * scale)
            x1, bottom = place(rect.right, low)
            raw.FPDFText_GetFontInfo(textpage, index, name, len(name), ctypes.byref(flags))
            char = {
                "object_type": "char", "page_number": number, "text": chr(code),
                "fontname": name.value.decode("utf-8", "replace"), "size": size * scale, "adv": x1 - x0,
                "upright": abs(matrix.b) < 1e-6 and abs(matrix.c) < 1e-6,
                "matrix": (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f),
                "x0": x0, "x1": x1, "y0": low, "y1": low + size * scale, "width": x1 - x0, "height": bottom - top,
                "top": top, "bottom": bottom, "doctop": doctop + top,
                "stroking_color": None, "non_stroking_color": None,
            }
            if pending_space:
                printed = [sp for sp in spaces if right - 1 <= sp[0] <= rect.left + 1 and abs(sp[1] - y.value) <= 6]
                for n, (at, baseline, space_descent, space_size) in enumerate(printed):
                    end = printed[n + 1][0] if n + 1 < len(printed) else rect.left
                    (sx0, stop), (sx1, sbottom) = (place(at, baseline + space_descent + space_size),
                                                   place(end, baseline + space_descent))
                    chars.append({**chars[-1], "text": " ", "x0": sx0, "x1": sx1, "width": sx1 - sx0, "adv": sx1 - sx0,
                                  "top": stop, "bottom": sbottom, "height": sbottom - stop, "size": space_size,
                                  "doctop": doctop + stop, "y0": baseline + space_descent,
                                  "y1": baseline + space_descent + space_size})
                pending_space = False
            chars.append(char)
            right = rect.right
    finally:
        textpage.close()
    return chars


def _object_text(raw, obj, textpage) -> str:
    length = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
    buffer = ctypes.create_string_buffer(max(length, 2))
    raw.FPDFTextObj_GetText(obj, textpage, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), length)
    return buffer.raw.decode("utf-16-le", "replace").rstrip("\x00")


def _printed_spaces(raw, pdfium_page, textpage) -> list[tuple[float, float, float, float]]:
    """(x, baseline, descent, size) of each space glyph printed on the page, in PDFium's space.

    PDFium marks a printed space as one it generated, like the spaces it infers from gaps; its
    text object (no text of its own, or only spaces) tells the printed ones apart, with their own
    font's metrics (a space is often set in another, smaller font than the text around it)."""
    spaces = []
    matrix = raw.FS_MATRIX()
    size, descent = ctypes.c_float(), ctypes.c_float()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj in pdfium_page.get_objects(filter=(raw.FPDF_PAGEOBJ_TEXT,)):
        if raw.FPDFTextObj_GetText(obj.raw, textpage, None, 0) > 64 or _object_text(raw, obj.raw, textpage).strip():
            continue
        raw.FPDFPageObj_GetBounds(obj.raw, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                  ctypes.byref(top))
        if right.value - left.value > 1.0 and top.value - bottom.value > 1.0:
            raise Unreadable  # no text, yet a glyph's ink: a character PDFium does not map
        raw.FPDFPageObj_GetMatrix(obj.raw, ctypes.byref(matrix))
        if not raw.FPDFTextObj_GetFontSize(obj.raw, ctypes.byref(size)):
            continue
        font = raw.FPDFTextObj_GetFont(obj.raw)
        if not font or not raw.FPDFFont_GetDescent(font, ctypes.c_float(size.value), ctypes.byref(descent)):
            descent.value = 0.0
        scale = abs(matrix.d) or 1.0
        spaces.append((matrix.e, matrix.f, descent.value * scale, size.value * scale))
    spaces.sort(key=lambda sp: (round(sp[1]), sp[0]))
    for one, two in zip(spaces, spaces[1:], strict=False):
        if abs(one[1] - two[1]) < 1 and two[0] - one[0] >= 0.6 * one[3]:
            # "spaces" a full character apart are glyphs PDFium cannot spell (北京市审计局 in a font
            # it does not map), printed without a box: pdfminer reads this page
            raise Unreadable
    return sorted(spaces)


def _metrics(raw, textpage, index: int, cache: dict[int, tuple[float, float]]) -> tuple[float, float]:
    """(font size, descent) of a character's text object, in text space."""
    obj = raw.FPDFText_GetTextObject(textpage, index)
    key = ctypes.cast(obj, ctypes.c_void_p).value or 0
    found = cache.get(key)
    if found is None:
        size = ctypes.c_float()
        descent = ctypes.c_float()
        if not obj or not raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size)):
            size.value = raw.FPDFText_GetFontSize(textpage, index)
        font = raw.FPDFTextObj_GetFont(obj) if obj else None
        if not font or not raw.FPDFFont_GetDescent(font, ctypes.c_float(size.value), ctypes.byref(descent)):
            descent.value = 0.0
        found = cache[key] = (size.value, descent.value)
    return found


def _segments(raw, obj) -> list[tuple[int, float, float, bool]]:
    """(kind, x, y, closes) of a path object's segments, in page space."""
    handle = obj.raw
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(handle, ctypes.byref(m))
    x, y = ctypes.c_float(), ctypes.c_float()
    kinds = {raw.FPDF_SEGMENT_MOVETO: _MOVE, raw.FPDF_SEGMENT_LINETO: _LINE, raw.FPDF_SEGMENT_BEZIERTO: _BEZIER}
    out = []
    for index in range(raw.FPDFPath_CountSegments(handle)):
        segment = raw.FPDFPath_GetPathSegment(handle, index)
        raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        px, py = x.value, y.value
        out.append((kinds.get(raw.FPDFPathSegment_GetType(segment), _LINE), m.a * px + m.c * py + m.e,
                    m.b * px + m.d * py + m.f, bool(raw.FPDFPathSegment_GetClose(segment))))
    return out


def _paths(raw, obj, place, doctop: float, number: int) -> list[tuple[str, dict]]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
    if not fill.value and not stroke.value:
        return []  # not painted (a clip): pdfminer paints nothing
    width = ctypes.c_float()
    raw.FPDFPageObj_GetStrokeWidth(obj.raw, ctypes.byref(width))
    style = {"linewidth": width.value, "stroke": bool(stroke.value), "fill": bool(fill.value),
             "page_number": number}
    shapes = []
    subpath: list[tuple[str, float, float]] = []
    beziers = 0

    def flush() -> None:
        if subpath:
            shapes.extend(_classify(subpath, place, doctop, style))

    for kind, x, y, closes in _segments(raw, obj):
        if kind == _MOVE:
            flush()
            subpath = [("m", x, y)]
            beziers = 0
            continue
        if not subpath:
            subpath = [("m", x, y)]
            continue
        if kind == _BEZIER:
            beziers += 1
            if beziers % 3:
                continue  # control points: pdfminer keeps only a curve's end point
            subpath.append(("c", x, y))
        else:
            subpath.append(("l", x, y))
        if closes:
            subpath.append(("h", subpath[0][1], subpath[0][2]))
    flush()
    return shapes


def _classify(subpath: list[tuple[str, float, float]], place, doctop: float, style: dict) -> list[tuple[str, dict]]:
    shape = "".join(op for op, _, _ in subpath)
    pts = [(x, y) for _, x, y in subpath]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        return [("line", _shape(pts[:2], place, doctop, style, "line"))]
    if shape in ("mlllh", "mllll") and len(pts) == 5:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            return [("rect", _shape([pts[0], pts[2]], place, doctop, style, "rect"))]
    if shape == "m":
        return []
    return [("curve", _shape(pts, place, doctop, style, "curve"))]


def _shape(pts: list[tuple[float, float]], place, doctop: float, style: dict, kind: str) -> dict:
    placed = [place(x, y) for x, y in pts]
    xs = [x for x, _ in placed]
    ys = [y for _, y in placed]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    shape = {"object_type": kind, **style, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
             "width": x1 - x0, "height": bottom - top, "doctop": doctop + top,
             "y0": min(y for _, y in pts), "y1": max(y for _, y in pts), "pts": placed}
    if kind != "curve":
        shape["pts"] = placed if kind == "line" else [(x0, top), (x1, top), (x1, bottom), (x0, bottom)]
    return shape
