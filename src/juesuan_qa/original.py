"""The printed page a citation points at, with the cited figure marked, for a reader to check.

The index keeps where a figure was printed (file, page, the cell's text, its row and column), not
its coordinates; the page is searched for the cell's text again when it is shown. Where the
figure is printed more than once on the page, the occurrence on the line of the cited row's
label, under the cited column's header, is the one marked. Nothing is marked when the page does
not print the text (a file changed since it was ingested is refused before that).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

ORIGINAL = "/original"  # where the web server serves these pages
SCALE = 1.6  # 72 dpi × 1.6: a table's digits stay legible on a laptop screen
Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


@dataclass(frozen=True)
class Mark:
    """What to find on the page: the printed text of the cited cell or the start of the sentence,
    and for a cell its row and column labels."""

    text: str
    row: str = ""
    column: str = ""


def _occurrences(textpage, text: str) -> list[Box]:
    if not text:
        return []
    found: list[Box] = []
    searcher = textpage.search(text, match_case=False)
    while (hit := searcher.get_next()) is not None:
        start, count = hit
        boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
        found.append((min(b[0] for b in boxes), min(b[1] for b in boxes),
                      max(b[2] for b in boxes), max(b[3] for b in boxes)))
    return found


def _label_probe(label: str) -> str:
    """Enough of a label to find it where it wraps onto two lines: its last piece, first characters."""
    return label.split("/")[-1].split("·")[-1].strip()[:6]


def locate(textpage, mark: Mark) -> list[Box]:
    """The boxes to highlight: the cited occurrence of the text, or nothing."""
    hits = _occurrences(textpage, mark.text.strip())
    if len(hits) <= 1:
        return hits
    rows = _occurrences(textpage, _label_probe(mark.row)) if mark.row else []
    columns = _occurrences(textpage, _label_probe(mark.column)) if mark.column else []

    def distance(box: Box) -> tuple[float, float]:
        middle_y, middle_x = (box[1] + box[3]) / 2, (box[0] + box[2]) / 2
        dy = min((abs(middle_y - (r[1] + r[3]) / 2) for r in rows), default=0.0)
        dx = min((abs(middle_x - (c[0] + c[2]) / 2) for c in columns), default=0.0)
        return round(dy), dx  # same line first (to the point), then the nearest header

    return [min(hits, key=distance)]


def render(path: Path, page_number: int, mark: Mark | None) -> tuple[bytes, int]:
    """The page as PNG with the mark's boxes outlined, and how many were found."""
    import pypdfium2
    from PIL import ImageDraw

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        if not 1 <= page_number <= len(pdf):
            raise ValueError(f"{path.name} has {len(pdf)} pages, not {page_number}")
        page = pdf[page_number - 1]
        boxes = locate(page.get_textpage(), mark) if mark else []
        image = page.render(scale=SCALE).to_pil().convert("RGB")
        height = page.get_height()
    finally:
        pdf.close()
    draw = ImageDraw.Draw(image, "RGBA")
    for left, bottom, right, top in boxes:
        pad = 2
        draw.rectangle([(left - pad) * SCALE, (height - top - pad) * SCALE,
                        (right + pad) * SCALE, (height - bottom + pad) * SCALE],
                       fill=(255, 224, 102, 110), outline=(220, 40, 40, 255), width=3)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue(), len(boxes)


def original_link(doc_id: str, page: int, file: str, mark: Mark) -> str:
    """The web server's address of a page with its mark."""
    query = urlencode({k: v for k, v in {"file": file, "text": mark.text, "row": mark.row,
                                          "column": mark.column}.items() if v})
    return f"{ORIGINAL}/{quote(doc_id)}/page/{page}?{query}"
