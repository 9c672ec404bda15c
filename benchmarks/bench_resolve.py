"""Which document a question is about, measured without gold: every document, every name form.

    .venv/bin/python benchmarks/bench_resolve.py                    # read every corpus, then measure
    .venv/bin/python benchmarks/bench_resolve.py --catalogue benchmarks/resolve/catalogue.json
    .venv/bin/python benchmarks/bench_resolve.py --write-catalogue benchmarks/resolve/catalogue.json

The catalogue is what ingest reads of each file: (department, year, kind) and the units its tables
print. For every document and every form people type its name in — full; without the bracketed
scope; without the place; without the parent place; a level word for the place; the short place;
with and without 中共 / 市委; the short forms people type (benchmarks/resolve/short_forms.tsv, a list the
tool does not read: it derives them) and the 和 rule's abbreviations; traditional characters —
and every printed unit, three questions are asked (a figure, a why-question, a comparison of two
named departments). Each must resolve to exactly its document, or, where the form itself fits
several indexed departments (卫健委 with three cities indexed), be asked back with its document
among those offered.

Then the absent side, over the same catalogue: the department's name in a city that is not indexed,
a year and a kind that are not indexed, a department of the same city that is not indexed, and
made-up units. Each is asked of the whole pipeline over a store holding one figure per document,
and must never be answered with a figure.

Prints resolution per name form, the absent side per class and the false-answer count. Exit status
1 when resolution is under --bar (0.98) or any absent question is answered with a figure.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from juesuan_qa.domain.orgnames import parse, split_scope, surest  # noqa: E402
from juesuan_qa.domain.places import gazetteer  # noqa: E402
from juesuan_qa.qa.lexicon import Term, build_vocabulary  # noqa: E402
from juesuan_qa.qa.pipeline import Corpus, ask  # noqa: E402

try:  # the precision gate; absent before it was built, when the old code is measured
    from juesuan_qa.qa.pipeline import _which_one  # noqa: E402
except ImportError:
    _which_one = None
try:  # units asked without their city (社会经济调查中心): absent from the old code
    from juesuan_qa.qa.lexicon import unit_without_place  # noqa: E402
except ImportError:
    def unit_without_place(name: str) -> str:
        return ""


def unit_terms(unit: str) -> list[str]:
    """The texts a unit a document names is looked up by, as the store's vocabulary holds them."""
    return [t for t in (fold(unit), unit_without_place(fold(unit))) if t]
from juesuan_qa.qa.router import route  # noqa: E402
from juesuan_qa.records import Document, Fact, Locator  # noqa: E402
from juesuan_qa.textutil import fold  # noqa: E402

SHARED = ROOT.parent / "shared"
FOLDERS = [SHARED / "corpus-dev", SHARED / "corpus-more", ROOT / "corpus"]
SUFFIXES = {".pdf", ".md", ".docx", ".xlsx", ".txt"}
TEMPLATES = {
    "figure": "{name}{year}年{kind}三公经费是多少？",
    "why": "{name}{year}年{kind}为什么支出比上年减少？",
    "compare": "{name}和{other}{year}年{kind}三公经费谁多？",
}
MADE_UP = ("星际资源管理局", "未来发展促进中心", "海洋牧场服务站", "数字孪生研究院", "低空经济办公室")


# ---- the catalogue: what ingest reads of each file ----

def _read(paths: list[str]) -> list[dict]:
    from juesuan_qa.domain.vocabulary import is_unit_part
    from juesuan_qa.ingest.document import IngestError, build_group, group_sources, read_source

    sources, rows = [], []
    for path in paths:
        try:
            sources.append(read_source(Path(path)))
        except IngestError as error:
            rows.append({"files": [Path(path).name], "error": str(error)})
    for group in group_sources(sources):
        try:
            disclosure = build_group(group)
        except IngestError as error:
            rows.append({"files": [s.path.name for s in group], "error": str(error)})
            continue
        doc = disclosure.document
        units = sorted({f.part for f in disclosure.facts if f.part and is_unit_part(f.part)} | set(disclosure.units))
        rows.append({"files": [s.path.name for s in group], "doc_id": doc.doc_id, "department": doc.department,
                     "year": doc.year, "kind": doc.kind, "units": units})
    return rows


def read_catalogue(jobs: int = 2) -> list[dict]:
    folders = [[str(p) for p in sorted(f.iterdir()) if p.suffix in SUFFIXES and not p.name.startswith("README")]
               for f in FOLDERS if f.exists()]
    with ProcessPoolExecutor(jobs) as pool:
        return [row for rows in pool.map(_read, folders) for row in rows]


# ---- the name forms people type ----

def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def _short_forms() -> list[tuple[str, str]]:
    path = ROOT / "benchmarks" / "resolve" / "short_forms.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(long.strip(), short.strip()) for long, short, *_ in rows]


def abbreviation(body: str) -> str:
    """The regular short form of a body joined by 和 (人力资源和社会保障局 → 人社局): the first
    character of each joined part, and the head noun (委员会 → 委)."""
    head = next((h for h in ("委员会", "局", "厅", "委", "办公室") if body.endswith(h)), "")
    core = body[: len(body) - len(head)] if head else ""
    if not head or "和" not in core:
        return ""
    parts = [p for p in core.split("和") if p]
    short_head = {"委员会": "委", "办公室": "办"}.get(head, head)
    return "".join(p[0] for p in parts) + short_head if len(parts) >= 2 else ""


def name_forms(department: str) -> dict[str, str]:
    """form → the name written that way (only the forms that differ from those before)."""
    name, scope, _ = split_scope(department)
    full_places = surest(department)
    forms: dict[str, str] = {"full": department, "no_scope": name}
    party = re.sub(r"^(?:中国共产党|中共)", "", name)
    if party != name:
        forms["no_party_prefix"] = party
        forms["no_committee"] = re.sub(r"委(?:员会)?(?=[^委]{2,6}部$)", "", party, count=1)
    body = full_places.body
    if full_places.places:
        forms["no_place"] = body
        levels = full_places.levels
        if levels:
            forms["level_only"] = levels[-1] + ("委" if full_places.committee else "") + body
        if len(full_places.places) >= 2:
            start = name.find(full_places.places[-1])
            forms["no_parent_place"] = name[start:]
        forms["short_place"] = full_places.places[-1] + ("委" if full_places.committee else "") + body
    for long, short in _short_forms():  # the short forms people type (benchmarks/resolve/short_forms.tsv)
        if long in name and "short_form" not in forms:
            forms["short_form"] = name.replace(long, short)
    short = abbreviation(body)
    if short:
        forms["abbreviation"] = (full_places.places[-1] if full_places.places else "") + short
    if body.endswith("委员会"):
        forms["head_short"] = (full_places.places[-1] if full_places.places else "") + body[:-3] + "委"
    forms["traditional"] = _s2t().convert(name)
    seen, out = set(), {}
    for form, text in forms.items():
        if text and text not in seen and len(text) >= 2:
            seen.add(text)
            out[form] = text
    return out


# ---- the measure ----

@dataclass
class Outcome:
    kind: str  # exact | asked | wrong | unknown | missed
    doc_ids: frozenset[str] = frozenset()


class _Units:
    """The store's look-up of the units documents name (sql.documents_printing), over the catalogue."""

    def __init__(self, rows: list[dict]) -> None:
        self.printed: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            for unit in row.get("units", []):
                for text in unit_terms(unit):
                    self.printed[text].add(row["doc_id"])

    def documents_printing(self, texts, kinds) -> dict[str, set[str]]:
        return {t: self.printed[t] for t in texts if t in self.printed}


def _held(name: str, departments: list[str]) -> bool:
    """Whether a generated absent name is, by the structure of official names, an indexed one."""
    mine = {(r.places[-1:], r.body) for r in parse(name).readings}
    return any(mine & {(r.places[-1:], r.body) for r in parse(d).readings} for d in departments)


def outcome(question: str, documents: list[Document], by_id: dict[str, Document], vocabulary) -> Outcome:
    slots = route(question, documents, vocabulary)
    if slots.unknown_org or slots.unknown_year:
        return Outcome("unknown")
    if _which_one is None:  # the old code asked back only a named short form fitting several
        departments = {by_id[d].department for d in slots.doc_ids}
        if slots.named and len(departments) > 1 and not re.search("谁|哪|最|排名|分别", question):
            return Outcome("asked", frozenset(slots.doc_ids))
    elif _which_one(slots, by_id) is not None:
        return Outcome("asked", frozenset(slots.doc_ids))
    return Outcome("resolved", frozenset(slots.doc_ids))


def _fits_others(text: str, department: str, departments: list[str]) -> bool:
    from juesuan_qa.domain.orgnames import fit

    return any(fit(text, other) for other in departments if other != department)


def measure(catalogue: list[dict], *, limit: int | None = None, seed: int = 7) -> dict:
    rows = [r for r in catalogue if "doc_id" in r]
    documents = [Document(r["doc_id"], f"{r['department']}{r['year']}年度部门{r['kind']}", r["department"], r["year"],
                          r["kind"], "", "") for r in rows]
    by_id = {d.doc_id: d for d in documents}
    facts = [Fact("三公经费支出表", "三公经费支出表", "", "合计", "", "合计", 1.0 + n, "万元", False,
                  Locator(d.doc_id, "三公经费支出表", "三公经费支出表", page=1, quote="合计"), status="verified")
             for n, d in enumerate(documents)]
    facts += [Fact("收支总表", "收支总表", unit, "合计", "", "合计", 0.5, "万元", False,
                   Locator(r["doc_id"], "收支总表", "收支总表", page=1, quote="合计"), status="verified")
              for r in rows for unit in r.get("units", [])]
    vocabulary = build_vocabulary(facts)
    for row in rows:
        for unit in row.get("units", []):
            for text in unit_terms(unit):
                vocabulary.add(Term("unit", text, fold(unit)))
    units = _Units(rows)
    vocabulary.store = units
    from conftest import Rows

    corpus = Corpus(by_id, vocabulary, None, Rows(facts))
    departments = sorted({d.department for d in documents})
    rng = random.Random(seed)
    chosen = rows if limit is None else rng.sample(rows, min(limit, len(rows)))

    per_form: dict[str, Counter] = defaultdict(Counter)
    misses: list[str] = []
    for row in chosen:
        target = row["doc_id"]
        kind = row["kind"]
        others = [r for r in rows if r["department"] != row["department"] and r["year"] == row["year"]
                  and r["kind"] == row["kind"]]
        other = rng.choice(others)["department"] if others else ""
        forms = name_forms(row["department"])
        for unit in row.get("units", [])[:3]:
            forms[f"unit:{unit}"] = unit
            if unit_without_place(fold(unit)):
                forms[f"unit_no_place:{unit}"] = unit_without_place(fold(unit))
        for form, text in forms.items():
            form_class = form.split(":")[0]
            shared = _fits_others(text, row["department"], departments) or len(
                {by_id[d].department for d in units.printed.get(fold(text), ())} | {row["department"]}) > 1
            for template, pattern in TEMPLATES.items():
                if template == "compare" and (not other or ":" in form):
                    continue
                question = pattern.format(name=text, other=other, year=row["year"], kind=kind)
                got = outcome(question, documents, by_id, vocabulary)
                if template == "compare":
                    ok = got.kind == "resolved" and target in got.doc_ids and len(
                        {by_id[d].department for d in got.doc_ids}) == 2 or (shared and got.kind == "asked")
                elif shared:
                    ok = got.kind == "asked" and target in got.doc_ids or got.doc_ids == {target}
                else:
                    ok = got.kind == "resolved" and got.doc_ids == {target}
                per_form[form_class]["ok" if ok else "miss"] += 1
                per_form[form_class]["asked" if got.kind == "asked" else "direct"] += 1
                if got.kind == "resolved":  # precision: of the questions answered from documents, the right ones
                    per_form[form_class]["resolved"] += 1
                    per_form[form_class]["resolved_right"] += ok
                if not ok:
                    misses.append(f"{form_class}\t{question}\t{got.kind}\t"
                                  + "、".join(sorted({by_id[d].department for d in got.doc_ids}))[:120])

    absent: dict[str, Counter] = defaultdict(Counter)
    false_answers: list[str] = []
    held_places = {p for d in departments for p in surest(d).places}
    cities = sorted({p.short for ps in gazetteer().values() for p in ps if p.depth == 2 and len(p.short) >= 2
                     and p.name.endswith("市")} - held_places)
    years = {d.department: {x.year for x in documents if x.department == d.department} for d in documents}
    kinds = {(d.department, d.year): {x.kind for x in documents if x.department == d.department and x.year == d.year}
             for d in documents}
    for row in chosen:
        department, year = row["department"], row["year"]
        reading = surest(department)
        body = reading.body
        city = rng.choice(cities) if cities else "某某"
        cases = {"other_city": f"{city}市{body}"}
        missing_year = next(y for y in range(2016, 2031) if y not in years[department])
        cases["other_year"] = f"{department}{missing_year}年"
        missing_kind = ({"预算", "决算"} - kinds[(department, year)])
        if reading.places:
            place = reading.places[-1]
            local = reading.places
            bodies = [surest(d).body for d in departments if surest(d).places[-1:] != local[-1:]]
            held_here = {surest(d).body for d in departments if surest(d).places[-1:] == local[-1:]}
            unheld = [b for b in bodies if b not in held_here and not any(b in h or h in b for h in held_here)]
            if unheld:
                cases["same_city_not_indexed"] = f"{place}{rng.choice(unheld)}"
            cases["made_up"] = f"{place}{rng.choice(MADE_UP)}"
        for case, name in cases.items():
            if case != "other_year" and _held(name, departments):
                continue  # the generated name is an indexed department after all
            year_text = "" if case == "other_year" else f"{year}年"
            question = f"{name}{year_text}三公经费是多少？"
            answer = ask(corpus, question)
            answered = not answer.abstained and bool(answer.values)
            absent[case]["answered" if answered else "refused"] += 1
            if answered:
                false_answers.append(f"{case}\t{question}\t{answer.answer[:80]}")
        if missing_kind:
            (kind,) = missing_kind
            question = f"{department}{year}年部门{kind}三公经费是多少？"
            answer = ask(corpus, question)
            answered = not answer.abstained and bool(answer.values)
            absent["other_kind"]["answered" if answered else "refused"] += 1
            if answered:
                false_answers.append(f"other_kind\t{question}\t{answer.answer[:80]}")
    total_ok = sum(c["ok"] for c in per_form.values())
    total = sum(c["ok"] + c["miss"] for c in per_form.values())
    return {"documents": len(rows), "asked_of": len(chosen),
            "resolution": round(total_ok / total, 4) if total else None, "questions": total,
            "per_form": {k: dict(v) for k, v in sorted(per_form.items())},
            "absent": {k: dict(v) for k, v in sorted(absent.items())},
            "false_answers": false_answers, "misses": misses,
            "unreadable": [r for r in catalogue if "error" in r]}


def report(result: dict) -> str:
    lines = [f"documents: {result['documents']} (asked of {result['asked_of']}); questions: {result['questions']}",
             f"resolution: {result['resolution']:.1%}", "",
             "per name form: recall = right / questions (a form several departments fit: asked back with its "
             "own among them);", "               precision = right / answered from documents"]
    for form, counts in result["per_form"].items():
        n = counts.get("ok", 0) + counts.get("miss", 0)
        resolved = counts.get("resolved", 0)
        precision = f"{counts.get('resolved_right', 0) / resolved:7.1%}" if resolved else "      —"
        lines.append(f"  {form:22s} recall {counts.get('ok', 0):5d} / {n:<5d} {counts.get('ok', 0) / n:7.1%}  "
                     f"precision {precision}  ({counts.get('asked', 0)} asked back)")
    lines += ["", "absent names, years and kinds: refused / answered with a figure"]
    for case, counts in result["absent"].items():
        lines.append(f"  {case:22s} {counts.get('refused', 0):5d} / {counts.get('answered', 0)}")
    lines.append(f"absent questions answered with a figure: {len(result['false_answers'])}")
    lines += [f"  {line}" for line in result["false_answers"][:20]]
    if result["misses"]:
        lines += ["", f"misses ({len(result['misses'])}), first 40:"] + [f"  {m}" for m in result["misses"][:40]]
    if result["unreadable"]:
        lines += ["", "files not read: " + "; ".join(r["error"][:80] for r in result["unreadable"])]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalogue", type=Path, help="use this catalogue instead of reading the corpora")
    parser.add_argument("--write-catalogue", type=Path, help="read the corpora and save the catalogue here")
    parser.add_argument("--limit", type=int, help="ask of this many documents, chosen at random")
    parser.add_argument("--bar", type=float, default=0.98)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.catalogue:
        catalogue = json.loads(args.catalogue.read_text(encoding="utf-8"))
    else:
        catalogue = read_catalogue()
    if args.write_catalogue:
        args.write_catalogue.parent.mkdir(parents=True, exist_ok=True)
        args.write_catalogue.write_text(json.dumps(catalogue, ensure_ascii=False, indent=1), encoding="utf-8")
    result = measure(catalogue, limit=args.limit)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if result["resolution"] >= args.bar and not result["false_answers"] else 1


if __name__ == "__main__":
    sys.exit(main())
