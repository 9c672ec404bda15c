"""Prints ingest time per page and per document for the shipped corpus: reading and table
understanding (no embedding) per file, then a full ingest with the configured model.

    python benchmarks/bench_ingest.py [--model hashing]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pages_of(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    return 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", help="JUESUAN_EMBED_MODEL for this run (default: the prepared e5)")
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "corpus"))
    args = parser.parse_args()
    if args.model:
        os.environ["JUESUAN_EMBED_MODEL"] = args.model

    from juesuan_qa.ingest.document import build_group, read_source
    from juesuan_qa.kb import KnowledgeBase

    rows = []
    for path in sorted(Path(args.corpus).iterdir()):
        if path.suffix.lower() not in (".pdf", ".md", ".docx", ".xlsx"):
            continue
        started = time.perf_counter()
        source = read_source(path)
        read = time.perf_counter() - started
        facts = len(build_group([source]).facts) if source.complete else 0
        total = time.perf_counter() - started
        pages = pages_of(path)
        rows.append({"file": path.name, "pages": pages, "read_s": round(read, 2), "read_and_parse_s": round(total, 2),
                     "ms_per_page": round(1000 * total / pages, 1), "facts": facts})
    with tempfile.TemporaryDirectory() as index:
        started = time.perf_counter()
        report = KnowledgeBase.ingest([args.corpus], index)
        full = time.perf_counter() - started
    pages = sum(r["pages"] for r in rows)
    figures = {
        "per_file": rows,
        "pages": pages,
        "parse_ms_per_page": round(1000 * sum(r["read_and_parse_s"] for r in rows) / pages, 1),
        "full_ingest_s": round(full, 2),
        "full_ingest_ms_per_page": round(1000 * full / pages, 1),
        "documents_ingested": len(report.ingested),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
