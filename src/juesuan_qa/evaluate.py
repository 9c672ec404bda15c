"""Eval sets → a report, scored exactly per CONTRACT.md §2.

Each metric is a small pure function over (case, answer record) pairs so it can be
tested alone; run_eval only asks the questions and collects the records.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

from juesuan_qa.domain.units import convert
from juesuan_qa.textutil import fold

KINDS = ("table", "text_number", "text", "ambiguous", "none")
TOLERANCE = 0.005
RECALL_K = (1, 5)


class EvalSetError(ValueError):
    pass


def load_cases(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise EvalSetError(f"eval set not found: {path}")
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalSetError(f"{path}:{number}: not JSON ({error.msg})") from error
        missing = [k for k in ("id", "question", "kind") if k not in case]
        if missing or case["kind"] not in KINDS:
            raise EvalSetError(f"{path}:{number}: needs id, question and kind in {KINDS}")
        case["_set"] = path.name
        cases.append(case)
    return cases


def _matches(case: dict, item: dict) -> bool:
    converted = convert(item["value"], item["unit"], case.get("expect_unit", item["unit"]))
    return converted is not None and abs(converted - float(case["expect_value"])) <= TOLERANCE


def value_correct(case: dict, record: dict, *, lenient: bool = False) -> bool:
    """Strict (CONTRACT.md §2): the first figure stated must be the expected one; any figure counts
    only for `ambiguous` cases. `lenient` is the older rule (any figure), kept for comparison."""
    values = record.get("values", [])
    if lenient or case.get("kind") == "ambiguous":
        return any(_matches(case, item) for item in values)
    return bool(values) and _matches(case, values[0])


def wrong_figure(case: dict, record: dict) -> bool | None:
    """For a figure case answered with a figure: is the first figure wrong? None when not applicable."""
    if "expect_value" not in case or case["kind"] in ("none", "ambiguous") or record.get("abstained") \
            or not record.get("values"):
        return None
    return not _matches(case, record["values"][0])


def text_correct(case: dict, record: dict) -> bool:
    haystack = fold(record.get("answer", "")) + "".join(fold(c.get("quote", "")) for c in record.get("citations", []))
    return all(fold(s) in haystack for s in case.get("expect_text", []))


def is_correct(case: dict, record: dict, *, lenient: bool = False) -> bool:
    if case["kind"] == "none":
        return bool(record.get("abstained"))
    if record.get("abstained"):
        return False
    if "expect_value" in case:
        counted = "expect_count" not in case or len(record.get("values", [])) == case["expect_count"]
        named = "expect_text" not in case or text_correct(case, record)
        return value_correct(case, record, lenient=lenient) and counted and named
    return text_correct(case, record)


def all_readings(case: dict, record: dict) -> bool:
    """Ambiguous cases: every expected reading is among the values."""
    return all(value_correct({**case, "expect_value": v}, record) for v in case.get("expect_values", []))


def citation_correct(case: dict, record: dict) -> bool | None:
    source = case.get("expect_source")
    if not source or record.get("abstained"):
        return None
    for citation in record.get("citations", []):
        if "table" in source and fold(citation.get("table") or "") == fold(source["table"]):
            return True
        if "section" in source and fold(source["section"]) in fold(citation.get("section") or ""):
            return True
    return False


def relevant_rank(case: dict, ranked_texts: list[str]) -> int | None:
    """1-based rank of the first passage holding every expected string, or None."""
    wanted = [fold(s) for s in case.get("expect_text", [])]
    for rank, text in enumerate(ranked_texts, start=1):
        if all(w in fold(text) for w in wanted):
            return rank
    return None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summarise(cases: list[dict], records: list[dict], ranks: dict[str, int | None]) -> dict[str, Any]:
    per_kind: dict[str, list[bool]] = defaultdict(list)
    per_doc: dict[str, list[bool]] = defaultdict(list)
    failures, citations = [], []
    latency: dict[str, list[float]] = defaultdict(list)
    abstained_right = abstained_total = none_total = false_abstain = answerable = 0
    readings_ok = []
    results = []
    lenient: list[bool] = []
    wrong: list[bool] = []
    per_doc_wrong: dict[str, list[bool]] = defaultdict(list)
    per_doc_abstained: dict[str, list[bool]] = defaultdict(list)
    per_band: dict[str, list[bool]] = defaultdict(list)
    for case, record in zip(cases, records, strict=True):
        ok = is_correct(case, record)
        lenient.append(is_correct(case, record, lenient=True))
        results.append({"id": case["id"], "kind": case["kind"], "correct": ok, "route": record.get("route"),
                        "confidence": record.get("confidence", ""), "elapsed_ms": record.get("elapsed_ms", 0.0)})
        per_kind[case["kind"]].append(ok)
        per_band[record.get("confidence") or "(none)"].append(ok)
        doc = case.get("doc") or (record.get("citations") or [{}])[0].get("doc") or "(none)"
        doc = Path(doc).stem
        per_doc[doc].append(ok)
        per_doc_abstained[doc].append(bool(record.get("abstained")))
        flag = wrong_figure(case, record)
        if flag is not None:
            wrong.append(flag)
            per_doc_wrong[doc].append(flag)
        cited = citation_correct(case, record)
        if cited is not None:
            citations.append(cited)
        latency[record.get("route", "none")].append(record.get("elapsed_ms", 0.0))
        latency["all"].append(record.get("elapsed_ms", 0.0))
        if record.get("abstained"):
            abstained_total += 1
        if case["kind"] == "none":
            none_total += 1
            abstained_right += bool(record.get("abstained"))
        else:
            answerable += 1
            false_abstain += bool(record.get("abstained"))
        if case["kind"] == "ambiguous" and case.get("expect_values"):
            readings_ok.append(all_readings(case, record))
        if not ok:
            failures.append({"id": case["id"], "kind": case["kind"], "question": case["question"],
                             "expected": case.get("expect_value", case.get("expect_text", "abstain")),
                             "route": record.get("route"), "answer": record.get("answer", "")[:300],
                             "values": [v["value"] for v in record.get("values", [])]})
    text_ranks = [ranks[c["id"]] for c in cases if c["kind"] == "text" and c["id"] in ranks]
    all_ok = [ok for oks in per_kind.values() for ok in oks]
    return {
        "cases": len(cases),
        "accuracy": _rate(all_ok),
        "accuracy_per_kind": {k: {"n": len(v), "accuracy": _rate(v)} for k, v in per_kind.items()},
        "accuracy_lenient": _rate(lenient),
        "wrong_figure_rate": {"n": len(wrong), "rate": _rate(wrong)},
        "abstention_rate": _rate([bool(r.get("abstained")) for r in records]),
        "accuracy_per_confidence": {k: {"n": len(v), "accuracy": _rate(v)} for k, v in per_band.items()},
        "accuracy_per_document": {k: {"n": len(v), "accuracy": _rate(v),
                                      "wrong_figure_rate": _rate(per_doc_wrong.get(k, [])),
                                      "figures_answered": len(per_doc_wrong.get(k, [])),
                                      "abstention_rate": _rate(per_doc_abstained[k])}
                                  for k, v in per_doc.items()},
        "citation_accuracy": {"n": len(citations), "accuracy": _rate(citations)},
        "abstention": {
            "precision": abstained_right / abstained_total if abstained_total else 1.0,
            "recall": abstained_right / none_total if none_total else 1.0,
            "false_abstention_rate": false_abstain / answerable if answerable else 0.0,
        },
        "ambiguous_all_readings": {"n": len(readings_ok), "accuracy": _rate(readings_ok)},
        "retrieval": {
            "n": len(text_ranks),
            **{f"recall@{k}": _rate([r is not None and r <= k for r in text_ranks]) for k in RECALL_K},
            "mrr": statistics.fmean([1 / r if r else 0.0 for r in text_ranks]) if text_ranks else 0.0,
        },
        "latency_ms": {route: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95)}
                       for route, v in latency.items()},
        "failures": failures,
        "results": results,
    }


def compare(report: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    """What improved and what regressed against an earlier report of the same sets."""
    before = {r["id"]: r["correct"] for r in baseline.get("results", [])}
    now = {r["id"]: r["correct"] for r in report.get("results", [])}
    shared = before.keys() & now.keys()
    kinds = {}
    for kind, row in report["accuracy_per_kind"].items():
        old = baseline.get("accuracy_per_kind", {}).get(kind)
        if old is not None:
            kinds[kind] = {"before": old["accuracy"], "now": row["accuracy"], "delta": row["accuracy"] - old["accuracy"]}
    return {
        "accuracy": {"before": baseline.get("accuracy", 0.0), "now": report["accuracy"],
                     "delta": report["accuracy"] - baseline.get("accuracy", 0.0)},
        "per_kind": kinds,
        "improved": sorted(i for i in shared if now[i] and not before[i]),
        "regressed": sorted(i for i in shared if before[i] and not now[i]),
        "new_cases": sorted(now.keys() - before.keys()),
        "dropped_cases": sorted(before.keys() - now.keys()),
    }


def render_comparison(diff: dict[str, Any]) -> str:
    acc = diff["accuracy"]
    lines = [f"against baseline: accuracy {acc['before']:.1%} → {acc['now']:.1%} ({acc['delta']:+.1%})"]
    for kind, row in diff["per_kind"].items():
        lines.append(f"  {kind:<12} {row['before']:.1%} → {row['now']:.1%} ({row['delta']:+.1%})")
    lines.append(f"improved ({len(diff['improved'])}): {' '.join(diff['improved'])}")
    lines.append(f"regressed ({len(diff['regressed'])}): {' '.join(diff['regressed'])}")
    if diff["new_cases"] or diff["dropped_cases"]:
        lines.append(f"new cases {len(diff['new_cases'])}, dropped cases {len(diff['dropped_cases'])}")
    return "\n".join(lines)


def _rate(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def run_eval(kb, cases: list[dict]) -> dict[str, Any]:
    from juesuan_qa.qa.pipeline import retrieval_hits

    records, ranks = [], {}
    for case in cases:
        records.append(kb.ask(case["question"]).to_dict())
        if case["kind"] == "text":
            hits = retrieval_hits(kb.corpus, case["question"], k=10)
            ranks[case["id"]] = relevant_rank(case, [h.passage.text for h in hits])
    return summarise(cases, records, ranks)


def render_text(report: dict[str, Any]) -> str:
    wrong = report.get("wrong_figure_rate", {"n": 0, "rate": 0.0})
    lines = [f"cases {report['cases']}  accuracy {report['accuracy']:.1%} (strict: first figure)  "
             f"wrong-figure rate {wrong['rate']:.1%} (of {wrong['n']} figures stated)  "
             f"abstained {report.get('abstention_rate', 0.0):.1%}  "
             f"[lenient accuracy, any figure: {report.get('accuracy_lenient', report['accuracy']):.1%}]"]
    for kind, row in report["accuracy_per_kind"].items():
        lines.append(f"  {kind:<12} {row['accuracy']:6.1%}  (n={row['n']})")
    for band, row in report.get("accuracy_per_confidence", {}).items():
        lines.append(f"  confidence {band:<7} {row['accuracy']:6.1%}  (n={row['n']})")
    cit, abst, ret = report["citation_accuracy"], report["abstention"], report["retrieval"]
    lines.append(f"citation accuracy {cit['accuracy']:.1%} (n={cit['n']})")
    lines.append(f"abstention precision {abst['precision']:.1%}  recall {abst['recall']:.1%}  "
                 f"false abstentions {abst['false_abstention_rate']:.1%}")
    amb = report["ambiguous_all_readings"]
    if amb["n"]:
        lines.append(f"ambiguous: every reading given {amb['accuracy']:.1%} (n={amb['n']})")
    lines.append(f"retrieval (text, n={ret['n']}): recall@1 {ret['recall@1']:.2f}  recall@5 {ret['recall@5']:.2f}  "
                 f"MRR {ret['mrr']:.3f}")
    for route, row in report["latency_ms"].items():
        lines.append(f"latency {route:<6} p50 {row['p50']:.1f} ms  p95 {row['p95']:.1f} ms  (n={row['n']})")
    if report["failures"]:
        lines.append(f"failures ({len(report['failures'])}):")
        for f in report["failures"]:
            lines.append(f"  {f['id']} [{f['kind']}] {f['question']} → expected {f['expected']}, "
                         f"got {f['route']} {f['values']} {f['answer'][:80]!r}")
    return "\n".join(lines)


def render_markdown(report: dict[str, Any], diff: dict[str, Any] | None = None) -> str:
    lines = ["# Eval report", "", f"Cases: {report['cases']}, accuracy **{report['accuracy']:.1%}**", "",
             "| kind | n | accuracy |", "|---|---|---|"]
    lines += [f"| {k} | {r['n']} | {r['accuracy']:.1%} |" for k, r in report["accuracy_per_kind"].items()]
    lines += ["", "| document | n | accuracy | wrong-figure rate | abstained |", "|---|---|---|---|---|"]
    lines += [f"| {k} | {r['n']} | {r['accuracy']:.1%} | {r.get('wrong_figure_rate', 0.0):.1%} "
              f"(of {r.get('figures_answered', 0)}) | {r.get('abstention_rate', 0.0):.1%} |"
              for k, r in report["accuracy_per_document"].items()]
    lines += ["", "## Failures", "", "| id | kind | question | expected | got |", "|---|---|---|---|---|"]
    lines += [f"| {f['id']} | {f['kind']} | {f['question']} | {f['expected']} | {f['route']} {f['values']} |"
              for f in report["failures"]]
    if diff:
        lines += ["", "## Against the baseline", "", "```", render_comparison(diff), "```"]
    lines += ["", "## Summary", "", "```", render_text(report), "```"]
    return "\n".join(lines)
