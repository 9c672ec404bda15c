"""Match hand-checked golden facts (tests/golden/pdf_facts.jsonl) against parsed disclosures.

Shared by the golden test and by `python tests/golden_match.py` for a per-file report.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from juesuan_qa.ingest.document import build_group, group_sources, read_source
from juesuan_qa.textutil import fold, norm_label

GOLDEN = Path(__file__).parent / "golden"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def load_golden() -> list[dict]:
    return [json.loads(line) for line in (GOLDEN / "pdf_facts.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def parse_corpus(folder: Path = CORPUS) -> dict[str, object]:
    """file name → the Disclosure it belongs to (both Beijing files → the merged one)."""
    sources = [read_source(p) for p in sorted(folder.glob("*.pdf"))]
    result = {}
    for group in group_sources(sources):
        disclosure = build_group(group)
        for source in group:
            result[source.path.name] = disclosure
    return result


def _title(text: str) -> str:
    return re.sub(r"^\d{4}年度?", "", fold(text).replace("“", "").replace("”", ""))


def matches(golden: dict, fact) -> bool:
    if abs(fact.value - float(golden["value"])) > 1e-6 or fact.unit != golden["unit"]:
        return False
    if golden.get("page") and fact.loc.page != golden["page"]:
        return False
    if golden.get("code") and fact.code != golden["code"]:
        return False
    want = _title(golden["table"])
    have = _title(fact.title)
    if not (want in have or have in want):
        return False
    row = norm_label(golden["row"])
    label = norm_label(fact.row)
    column = fold(golden["column"]).replace("“", "").replace("”", "")
    names = {fold(p) for p in fact.column.split("/")} | {label}
    if not row:  # items printed as column headers (三公 tables): the item is the golden column
        return column in names or column in ("小计", "合计") or any(column in n or n in column for n in names)
    if not (row == label or row in label or (golden.get("code") and fact.code == golden["code"])):
        return False
    return column in fold(fact.column) or fold(fact.column).endswith(column) or column in (
        "金额", "预算数", "决算数", "小计", "合计")


def report(parsed: dict, golden: list[dict]) -> tuple[int, list[dict]]:
    missing = []
    for item in golden:
        disclosure = parsed.get(item["file"])
        if disclosure is None or not any(matches(item, f) for f in disclosure.facts):
            missing.append(item)
    return len(golden) - len(missing), missing


if __name__ == "__main__":
    parsed = parse_corpus()
    golden = load_golden()
    ok, missing = report(parsed, golden)
    print(f"{ok}/{len(golden)} golden facts found")
    by_file = defaultdict(list)
    for item in missing:
        by_file[item["file"]].append(item)
    for file, items in by_file.items():
        total = sum(1 for g in golden if g["file"] == file)
        print(f"== {file}: missing {len(items)}/{total}")
        for item in items[: int(sys.argv[1]) if len(sys.argv) > 1 else 8]:
            print("   p{} {} | {} | {} | {} | {} {}".format(item["page"], item["table"], item["row"], item["code"],
                                                     item["column"], item["value"], item["unit"]))
