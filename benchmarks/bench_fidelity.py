"""Reading fidelity on real disclosures nobody tuned on: identity, tables, self-checks, golden facts.

    .venv/bin/python benchmarks/bench_fidelity.py                 # ../shared/corpus-dev, ../shared/corpus-more, corpus/*.pdf
    .venv/bin/python benchmarks/bench_fidelity.py --jobs 2 --json /tmp/fidelity.json
    .venv/bin/python benchmarks/bench_fidelity.py --only 苏州 --verbose

One row per document: identity (department, year, kind; ✓/✗ against the hand-checked truth in
benchmarks/fidelity/truth_*.json), the standard tables recognised against those printed, facts,
facts per table, self-check results (tables verified / failed / unchecked) and seconds per page.
Totals at the end, separately for documents marked held-out in the truth (never looked at while
tuning) and the rest. Golden facts (tests/golden/dev_facts_*.jsonl and pdf_facts.jsonl): found,
and wrong (the cell is there but holds another value). Reading only: no index, no embedder.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from golden_match import matches  # noqa: E402
from juesuan_qa.domain.vocabulary import type_key, type_name  # noqa: E402
from juesuan_qa.ingest.document import IngestError, build_group, group_sources, read_source  # noqa: E402
from juesuan_qa.textutil import fold  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus-dev"
MORE = ROOT.parent / "shared" / "corpus-more"  # two more city families and one university over five documents
TRUTH = ROOT / "benchmarks" / "fidelity"
GOLDEN = ROOT / "tests" / "golden"


def load_truth() -> dict[str, dict]:
    truth: dict[str, dict] = {}
    for path in sorted(TRUTH.glob("truth_*.json")):
        truth.update(json.loads(path.read_text(encoding="utf-8")))
    identity = GOLDEN / "pdf_identity.json"
    if identity.exists():
        for name, item in json.loads(identity.read_text(encoding="utf-8")).items():
            truth.setdefault(name, item)
    return truth


def load_golden() -> list[dict]:
    items = []
    for path in sorted(GOLDEN.glob("dev_facts_*.jsonl")) + [GOLDEN / "pdf_facts.jsonl"]:
        if path.exists():
            items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items


def read_folder(folder: Path, names: list[str]) -> list[dict]:
    """Read one folder's files (grouping decides what forms one disclosure) → one row per file."""
    sources, rows = [], []
    for name in names:
        path = folder / name
        start = time.perf_counter()
        try:
            source = read_source(path)
        except IngestError as error:
            rows.append({"file": name, "error": str(error)})
            continue
        source.seconds = time.perf_counter() - start
        sources.append(source)
    for group in group_sources(sources):
        start = time.perf_counter()
        try:
            disclosure = build_group(group)
        except IngestError as error:
            rows += [{"file": s.path.name, "error": str(error)} for s in group]
            continue
        build = time.perf_counter() - start
        doc = disclosure.document
        for source in group:
            pages = max((b.page or 0 for b in source.blocks), default=0)
            rows.append({
                "file": source.path.name, "doc_id": doc.doc_id, "merged": [s.path.name for s in group],
                "department": doc.department, "year": doc.year, "kind": doc.kind,
                "pages": pages, "seconds": source.seconds + build / len(group),
                "tables": [{"type": t.type, "title": t.title, "facts": t.facts, "status": t.status, "page": t.page,
                            "checks": t.checks, "failed": t.failed, "file": t.file} for t in disclosure.tables],
                "facts": [(f.title, f.part, f.row, f.code, f.column, f.value, f.unit, f.loc.page, f.loc.quote,
                           f.status) for f in disclosure.facts],
            })
    return rows


def _read_task(args: tuple[str, list[str]]) -> list[dict]:
    return read_folder(Path(args[0]), args[1])


def score_identity(row: dict, truth: dict) -> bool:
    return (fold(row.get("department") or "") == fold(truth["department"]) and row.get("year") == truth["year"]
            and row.get("kind") == truth["kind"])


def printed_standard(truth: dict) -> set[str]:
    return {key for t in truth.get("tables", []) if (key := type_key(t["type"]))}


class _FactView:
    """What golden_match.matches reads of a fact, rebuilt from the row's plain tuples."""

    def __init__(self, item: tuple) -> None:
        title, part, row, code, column, value, unit, page, quote, _ = item
        self.title, self.part, self.row, self.code, self.column, self.value, self.unit = (
            title, part, row, code, column, value, unit)
        self.loc = type("Loc", (), {"page": page, "quote": quote})()


def score_golden(golden: list[dict], rows: dict[str, dict]) -> tuple[int, int, list[dict], list[dict]]:
    found, wrong_items, missing = 0, [], []
    for item in golden:
        row = rows.get(item["file"])
        facts = [_FactView(f) for f in row["facts"]] if row and "facts" in row else []
        if any(matches(item, f) for f in facts):
            found += 1
            continue
        same_cell = [f for f in facts if matches({**item, "value": f.value}, f)]
        (wrong_items if same_cell else missing).append(
            {**item, "read": sorted({f.value for f in same_cell})} if same_cell else item)
    return found, len(wrong_items), wrong_items, missing


def main() -> None:
    os.environ.setdefault("JUESUAN_EMBED_MODEL", "hashing")  # reading only: no model is loaded anyway
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="read only files whose name contains this")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write every row and total as JSON")
    parser.add_argument("--rescore", type=Path, help="score the rows of an earlier --json run instead of reading")
    parser.add_argument("--verbose", action="store_true", help="list tables, failed checks and golden misses")
    args = parser.parse_args()
    folders = [(DEV, sorted(p.name for p in DEV.glob("*.pdf"))),
               (MORE, sorted(p.name for p in MORE.glob("*.pdf"))),  # read as one folder: grouping must keep 5 documents
               (ROOT / "corpus", sorted(p.name for p in (ROOT / "corpus").glob("*.pdf")))]
    tasks = []
    for folder, names in folders:
        names = [n for n in names if args.only in n]
        if folder == DEV:  # files of corpus-dev stand alone unless their content says otherwise
            tasks += [(str(folder), [n]) for n in names]
        elif names:
            tasks.append((str(folder), names))
    start = time.perf_counter()
    if args.rescore:
        results = [json.loads(args.rescore.read_text(encoding="utf-8"))["rows"]]
    elif args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(_read_task, tasks))
    else:
        results = [_read_task(t) for t in tasks]
    wall = time.perf_counter() - start
    rows = {r["file"]: r for chunk in results for r in chunk}
    truth = load_truth()
    golden = [g for g in load_golden() if g["file"] in rows]
    report(rows, truth, golden, args.verbose, wall)
    if args.json:
        args.json.write_text(json.dumps({"rows": list(rows.values())}, ensure_ascii=False, indent=1),
                             encoding="utf-8")


def report(rows: dict[str, dict], truth: dict[str, dict], golden: list[dict], verbose: bool, wall: float) -> None:
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    print(f"{'file':44} {'identity':34} {'id':2} {'tables':>7} {'facts':>6} {'f/t':>5} "
          f"{'ver/fail/unc':>12} {'s/page':>6}")
    for name, row in sorted(rows.items()):
        group = "heldout" if truth.get(name, {}).get("heldout") else "tuned"
        t = totals[group]
        t["docs"] += 1
        if "error" in row:
            print(f"{name[:44]:44} skipped: {row['error'][:80]}")
            t["skipped"] += 1
            continue
        found = {tb["type"] for tb in row["tables"] if tb["type"]}
        printed = printed_standard(truth[name]) if name in truth else set()
        ident = "?"
        if name in truth:
            ok = score_identity(row, truth[name])
            ident = "✓" if ok else "✗"
            t["identity_checked"] += 1
            t["identity_ok"] += ok
        if printed:
            t["printing"] += 1
            t["all_tables"] += printed <= found
            t["printed"] += len(printed)
            t["recognised"] += len(printed & found)
        tables = [tb for tb in row["tables"] if tb["type"]]
        ver = sum(tb["status"] == "verified" for tb in tables)
        fail = sum(tb["status"] == "failed" for tb in tables)
        unc = len(tables) - ver - fail
        if tables:
            t["with_tables"] += 1
            t["clean"] += fail == 0
        t["facts"] += len(row["facts"])
        t["pages"] += row["pages"]
        t["seconds"] += row["seconds"]
        table_text = f"{len(printed & found)}/{len(printed)}" if printed else f"{len(found)}/?"
        identity = f"{row['department']} {row['year']} {row['kind']}"
        per = len(row["facts"]) / len(row["tables"]) if row["tables"] else 0
        print(f"{name[:44]:44} {identity[:34]:34} {ident:2} {table_text:>7} {len(row['facts']):>6} {per:>5.1f} "
              f"{f'{ver}/{fail}/{unc}':>12} {row['seconds'] / max(row['pages'], 1):>6.3f}")
        if verbose:
            if name in truth and ident == "✗":
                want = truth[name]
                print(f"    identity should be {want['department']} {want['year']} {want['kind']}")
            for key in sorted(printed - found):
                print(f"    missing table: {type_name(key)}")
            for tb in row["tables"]:
                if tb["status"] == "failed":
                    print(f"    failed check: {tb['title']} p{tb['page']} ({tb['failed']}/{tb['checks']})")
    failures = reading_failures(rows, truth)
    if failures:  # never silent: a document whose printed tables were not read is named
        print(f"\nreading failures ({len(failures)} documents):")
        for name, what in failures:
            print(f"  {name}: {what}")
    found, wrong, wrong_items, missing = score_golden(golden, rows)
    print()
    for group, t in sorted(totals.items()):
        print(f"[{group}] documents {t['docs']:.0f} (skipped {t['skipped']:.0f}); "
              f"identity right {t['identity_ok']:.0f}/{t['identity_checked']:.0f}; "
              f"all printed standard tables recognised {t['all_tables']:.0f}/{t['printing']:.0f} "
              f"({_pct(t['all_tables'], t['printing'])}), tables {t['recognised']:.0f}/{t['printed']:.0f}; "
              f"no failing self-check {t['clean']:.0f}/{t['with_tables']:.0f} ({_pct(t['clean'], t['with_tables'])}); "
              f"facts {t['facts']:.0f}; {t['seconds'] / max(t['pages'], 1):.3f} s/page")
    by_held = defaultdict(lambda: [0, 0, 0])
    for item in golden:
        key = "heldout" if truth.get(item["file"], {}).get("heldout") else "tuned"
        by_held[key][0] += 1
    for item in wrong_items:
        by_held["heldout" if truth.get(item["file"], {}).get("heldout") else "tuned"][1] += 1
    for item in missing:
        by_held["heldout" if truth.get(item["file"], {}).get("heldout") else "tuned"][2] += 1
    for key, (n, w, m) in sorted(by_held.items()):
        print(f"[{key}] golden facts found {n - w - m}/{n} ({_pct(n - w - m, n)}), wrong value {w}, missing {m}")
    print(f"golden facts overall: {found}/{len(golden)} found, {wrong} wrong; wall time {wall:.0f} s")
    if verbose:
        for item in wrong_items + missing:
            print(f"  {'WRONG' if 'read' in item else 'miss '} {item['file'][:30]} p{item.get('page')} "
                  f"{item['table'][:20]} | {item['row']} | {item['column']} = {item['value']} {item.get('read', '')}")


def reading_failures(rows: dict[str, dict], truth: dict[str, dict]) -> list[tuple[str, str]]:
    """Documents that print standard tables (by the truth) of which the reading lost some or all."""
    out = []
    for name, row in sorted(rows.items()):
        printed = {key for t in truth.get(name, {}).get("tables", []) if not t.get("empty")
                   and (key := type_key(t["type"]))}  # an empty table printed as such has no figure to give
        if not printed or "error" in row:
            continue
        read = {tb["type"] for tb in row["tables"] if tb["type"] and tb["facts"]}
        lost = printed - read
        if lost:
            zero = " — no figure from any of them" if not read & printed else ""
            out.append((name, f"{len(lost)} of {len(printed)} printed standard tables gave no figure{zero}: "
                              + "、".join(sorted(type_name(k) for k in lost))))
    return out


def _pct(a: float, b: float) -> str:
    return f"{100 * a / b:.0f}%" if b else "–"


if __name__ == "__main__":
    main()
