"""Prints index build time, query latency per route, retrieval quality per retriever and
peak memory on the shipped corpus. Figures, not tests: run `make bench` and read them.

    python benchmarks/bench_seed.py [--model hashing]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", help="JUESUAN_EMBED_MODEL for this run (default: the prepared e5)")
    parser.add_argument("--evals", default=str(ROOT / "evals" / "seed.jsonl"))
    args = parser.parse_args()
    if args.model:
        os.environ["JUESUAN_EMBED_MODEL"] = args.model

    from juesuan_qa.evaluate import load_cases, percentile, relevant_rank
    from juesuan_qa.kb import KnowledgeBase
    from juesuan_qa.qa.pipeline import retrieval_hits
    from juesuan_qa.qa.router import route

    with tempfile.TemporaryDirectory() as index:
        started = time.perf_counter()
        report = KnowledgeBase.ingest([ROOT / "corpus"], index)
        build = time.perf_counter() - started
        started = time.perf_counter()
        kb = KnowledgeBase.open(index)
        kb.ask("什么是基本支出？")  # load the model once: latencies below are warm
        opened = time.perf_counter() - started
        cases = load_cases(Path(args.evals))
        latency: dict[str, list[float]] = {}
        for case in cases:
            answer = kb.ask(case["question"])
            latency.setdefault(answer.route, []).append(answer.elapsed_ms)
        started = time.perf_counter()
        for case in cases:
            route(case["question"], kb.documents, kb.corpus.vocabulary)
        router_ms = (time.perf_counter() - started) * 1000 / len(cases)
        text = [c for c in cases if c["kind"] == "text"]
        quality = {}
        for mode in ("bm25", "dense", "hybrid"):
            ranks = []
            for case in text:
                slots = route(case["question"], kb.documents, kb.corpus.vocabulary)
                hits = kb.corpus.search.search(slots.content, k=10, doc_ids=slots.doc_ids, mode=mode)
                ranks.append(relevant_rank(case, [h.passage.text for h in hits]))
            quality[mode] = {
                "recall@1": sum(1 for r in ranks if r and r <= 1) / len(ranks),
                "recall@5": sum(1 for r in ranks if r and r <= 5) / len(ranks),
                "mrr": statistics.fmean(1 / r if r else 0 for r in ranks),
            }
        pipeline_ranks = [relevant_rank(c, [h.passage.text for h in retrieval_hits(kb.corpus, c["question"], 10)])
                          for c in text]
        quality["pipeline (hybrid + project focus)"] = {
            "recall@1": sum(1 for r in pipeline_ranks if r and r <= 1) / len(pipeline_ranks),
            "recall@5": sum(1 for r in pipeline_ranks if r and r <= 5) / len(pipeline_ranks),
            "mrr": statistics.fmean(1 / r if r else 0 for r in pipeline_ranks),
        }
    figures = {
        "model": kb.settings.model_name,
        "documents": len(report.ingested),
        "passages": kb.store.tables.bm25_totals()[0],
        "facts": len(kb.corpus.facts_in(set(kb.corpus.documents))),
        "index_build_s": round(build, 2),
        "open_and_warm_s": round(opened, 2),
        "router_ms_per_question": round(router_ms, 3),
        "latency_ms": {r: {"n": len(v), "p50": round(percentile(v, 50), 1), "p95": round(percentile(v, 95), 1)}
                       for r, v in latency.items()},
        "retrieval_text_cases": {k: {m: round(x, 3) for m, x in v.items()} for k, v in quality.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
