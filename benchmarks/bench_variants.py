"""Variants of real PDFs must read the same facts: every ruling line removed (a table drawn as
positioned text), gold-free.

    .venv/bin/python benchmarks/bench_variants.py                  # corpus/*.pdf
    .venv/bin/python benchmarks/bench_variants.py ../shared/corpus-dev/苏州-*.pdf

Per document: the facts of the ruled original found unchanged in the unruled variant, the
standard tables that gave figures in both, the variant's tables that fail their self-checks,
and whether its identity (department, year, kind) is the same. Reading only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from juesuan_qa.ingest.document import IngestError, build_group, read_source  # noqa: E402


def unruled(source: Path, target: Path) -> int:
    """Copy of a PDF with every top-level path object (rulings, boxes) removed; how many were."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(source))
    removed = 0
    for page in pdf:
        for obj in [o for o in page.get_objects(max_depth=1) if o.type == raw.FPDF_PAGEOBJ_PATH]:
            page.remove_obj(obj)
            removed += 1
        page.gen_content()
    pdf.save(str(target))
    pdf.close()
    return removed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "corpus").glob("*.pdf"))
    total_same = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in pdfs:
            target = Path(tmp) / path.name
            if not unruled(path, target):
                print(f"{path.name[:40]:42} no ruling drawn at the page's top level: skipped")
                continue
            try:
                ruled, bare = (build_group([read_source(p)]) for p in (path, target))
            except IngestError as error:
                print(f"{path.name[:40]:42} {error}")
                continue
            facts = {(f.table, f.row, f.column, f.value) for f in ruled.facts}
            same = facts & {(f.table, f.row, f.column, f.value) for f in bare.facts}
            read = {t.table for t in ruled.tables if t.facts}
            both = read & {t.table for t in bare.tables if t.facts}
            failed = sum(t.status == "failed" for t in bare.tables)
            identity = (ruled.document.department, ruled.document.year, ruled.document.kind) == \
                (bare.document.department, bare.document.year, bare.document.kind)
            total_same, total = total_same + len(same), total + len(facts)
            print(f"{path.name[:40]:42} facts {len(same):5}/{len(facts):<5} tables {len(both):2}/{len(read):<2} "
                  f"failing {failed}  identity {'✓' if identity else '✗'}")
    print(f"facts read alike: {total_same}/{total} ({total_same / max(total, 1):.0%})")


if __name__ == "__main__":
    main()
