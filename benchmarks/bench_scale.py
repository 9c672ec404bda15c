"""Prints how ingest, the index and question answering scale with the number of disclosures.

    python benchmarks/bench_scale.py [--model hashing|default] [--sizes 1,100,1000] [--seed 0]

Synthetic disclosures (benchmarks/synthetic.py) are generated once; each corpus size is then
ingested into a fresh temporary index and queried in its own child process, so peak RSS is
that size's alone. Per size: ingest time (total, per document, per 1k passages), index size
on disk, open time, query latency p50/p95 per route and per question kind over a fixed set of
60 questions (table, prose figure, narrative, abstain; every one names the first synthetic
department and year, a document every corpus size contains), router latency, how many documents the
router leaves in scope, answers that match the generator's figures, and peak RSS. A second,
profiled pass over the same questions names the functions the time goes to.

The default model is the model-free hashing embedder: 1000 disclosures are ~185k passages, and
the e5 model embeds them at tens of passages per second at best on a 2-core machine (hours for
1000 disclosures). The hashing run also measures e5 on 200 passages and prints the e5 ingest
time each size would take; `--model default` runs everything with e5. Figures, not tests.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _synthetic():
    if "synthetic" not in sys.modules:
        spec = importlib.util.spec_from_file_location("synthetic", HERE / "synthetic.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["synthetic"] = module
        spec.loader.exec_module(module)
    return sys.modules["synthetic"]


# ---- the fixed question set ----


def questions(f) -> list[dict]:
    """60 questions about one synthetic disclosure, with what a right answer holds.

    `value`: a figure the answer must state (万元, %, or a count); `text`: words it must quote;
    `abstain`: it must decline. Figures come from the generator, never from the answers.
    """
    syn = _synthetic()
    d, y = f.department, f.year

    def amount(x: int) -> float:
        return round(x / 100, 2)

    def pct(part: int, whole: int) -> float:
        return round(part * 100 / whole, 2) if whole and part else 0.0

    def verb(cur: int, prev: int) -> tuple[str, str]:
        return ("增加", "增长") if cur > prev else ("减少", "下降")

    main_class = f.agency.kuan[:3]
    main_name = syn.CLASS_NAMES[main_class]
    budget = sum(f.budgets.values())
    final3, prev3 = sum(f.sangong_final.values()), sum(f.sangong_previous.values())
    budget3 = sum(f.sangong_budget.values())
    table = [
        (f"{d}{y}年一共收了多少钱？", amount(f.total)),
        (f"{d}{y}年的支出总计是多少？", amount(f.total)),
        (f"{d}{y}年基本支出总共多少？", amount(f.basic)),
        (f"{d}{y}年项目支出一共花了多少钱？", amount(f.project)),
        (f"{d}{y}年财政拨款收入是多少？", amount(f.fiscal)),
        (f"{d}{y}年人员经费合计多少？", amount(f.personnel)),
        (f"{d}{y}年公用经费合计是多少？", amount(f.public)),
        (f"{d}{y}年办公费花了多少？", amount(f.economic.get("30201", 0))),
        (f"{d}{y}年基本工资一共发了多少？", amount(f.economic.get("30101", 0))),
        (f"{d}{y}年住房公积金缴了多少？", amount(f.economic.get("30113", 0))),
        (f"{d}{y}年三公经费花了多少？", amount(final3)),
        (f"{d}{y}年政府采购一共多少钱？", amount(f.procurement_total)),
        (f"{d}{y}年机关运行经费是多少？", amount(f.public)),
        (f"{d}{y}年一共有几辆车？", float(f.vehicle_total)),
        (f"{d}{y}年{main_name}是多少？", amount(f.subject_sum(main_class, "total"))),
    ]
    trend, rate = verb(f.total, f.previous_total)
    g_trend, _ = verb(f.fiscal, f.previous_general)
    r_trend, _ = verb(f.public, f.previous_running)
    s_trend, _ = verb(final3, prev3)
    f_trend, _ = verb(f.fiscal, f.previous_fiscal)
    prose = [
        (f"{d}{y}年收入总计比上年{trend}了多少？", amount(abs(f.total - f.previous_total))),
        (f"{d}{y}年收入总计比上年{rate}了百分之几？", pct(abs(f.total - f.previous_total), f.previous_total)),
        (f"{d}{y}年基本支出占支出合计的比例是多少？", pct(f.basic, f.total)),
        (f"{d}{y}年项目支出占总支出的比例是多少？", pct(f.project, f.total)),
        (f"{d}{y}年一般公共预算财政拨款支出的年初预算是多少？", amount(budget)),
        (f"{d}{y}年一般公共预算财政拨款支出决算完成了年初预算的百分之多少？", pct(f.fiscal, budget)),
        (
            f"{d}{y}年一般公共预算财政拨款支出比上年{g_trend}了多少钱？",
            amount(abs(f.fiscal - f.previous_general)),
        ),
        (f"{d}{y}年机关运行经费比上年{r_trend}了多少？", amount(abs(f.public - f.previous_running))),
        (f"{d}{y}年政府采购授予中小企业的合同金额是多少？", amount(f.procurement_sme)),
        (f"{d}{y}年三公经费比上年度{s_trend}了多少？", amount(abs(final3 - prev3))),
        (f"{d}{y}年项目绩效自评涉及资金多少？", amount(f.project)),
        (f"{d}{y}年二级项目绩效自评了几个项目？", 13.0),
        (
            f"{d}{y}年{main_name}占一般公共预算财政拨款支出的比重是多少？",
            pct(f.subject_sum(main_class, "fiscal"), f.fiscal),
        ),
        (f"{d}{y}年三公经费完成全年预算的百分之多少？", pct(final3, budget3)),
        (f"{d}{y}年财政拨款收入总计比上年{f_trend}了多少？", amount(abs(f.fiscal - f.previous_fiscal))),
    ]
    few = "少" if f.total < f.previous_total else "多"
    narrative = [
        (f"{d}{y}年为什么收入比上年{few}了？", ["特定目标类项目"]),
        (f"{d}{y}年管不管市长热线？", ["市长热线的运行和管理"]),
        (f"{d}{y}年在网络舆情方面有什么职责？", ["网络舆情信息"]),
        (f"{d}{y}年决算里的基本支出是什么？", ["保障机构正常运转"]),
        (f"{d}{y}年决算中项目支出指什么？", ["完成特定行政任务"]),
        (f"{d}{y}年决算里三公经费是什么意思？", ["公务接待费"]),
        (f"{d}{y}年机关运行经费为什么{r_trend}了？", ["日常公用支出"]),
        (f"{d}{y}年城市云平台运维服务费用项目具体做了什么？", ["保障云平台的正常使用"]),
        (
            f"{d}{y}年智慧晋城运营指挥中心项目执行率存在偏差的原因是什么？".replace("晋城", f.city[:-1]),
            ["延误了验收进度"],
        ),
        (f"{d}{y}年应用系统适配改造及资源租用项目为什么一分钱没花？", ["签订合同时间迟"]),
        (f"{d}{y}年电子政务外网提速扩能试点项目下一步有什么改进措施？", ["提高项目资金申请效率"]),
        (f"{d}{y}年对自评结果为中和差的项目采取了什么改进措施？", ["加强预算管理"]),
        (f"{d}{y}年热线受理中心运营管理及外包服务由哪家公司实施？", ["嘉仁劳务派遣"]),
        (f"{d}{y}年智库合作项目编制了哪两篇报告？", ["5G智能示范城市"]),
        (
            f"{d}{y}年一般公共预算财政拨款支出为什么{'增长' if g_trend == '增加' else '减少'}了？",
            ["项目支出较上年"],
        ),
    ]
    abstain = [
        f"{d}2018年的支出总计是多少？",
        f"{d}2026年三公经费是多少？",
        f"{d}2017年收入总计是多少？",
        f"{d}{y}年局长叫什么名字？",
        f"{d}{y}年有多少在编员工？",
        f"{d}{y}年末固定资产总值是多少？",
        f"{d}{y}年底银行存款还剩多少？",
        f"{d}{y}年食堂有几名厨师？",
        f"{d}{y}年办公楼面积是多少平方米？",
        f"{d}{y}年出国考察去了哪些国家？",
        f"{d}{y}年职工平均年龄是多少岁？",
        f"{d}{y}年12345热线一共接了多少个电话？",
        f"拉萨市{f.agency.name}{y}年收入总计是多少？",
        f"拉萨市{f.agency.name}{y}年三公经费是多少？",
        f"{d}{y}年所在城市的GDP是多少？",
    ]
    cases = [{"kind": "table", "question": q, "value": v} for q, v in table]
    cases += [{"kind": "prose_figure", "question": q, "value": v} for q, v in prose]
    cases += [{"kind": "narrative", "question": q, "text": t} for q, t in narrative]
    cases += [{"kind": "abstain", "question": q, "abstain": True} for q in abstain]
    return cases


def correct(case: dict, answer) -> bool:
    if case.get("abstain"):
        return answer.abstained
    if answer.abstained:
        return False
    if "value" in case:
        return any(abs(v.value - case["value"]) < 0.006 for v in answer.values)
    return all(t in answer.answer for t in case["text"])


# ---- one corpus size, in its own process ----


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def spread(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "mean": round(statistics.fmean(values), 2) if values else 0.0,
    }


def disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def profile_top(profile: cProfile.Profile, count: int = 15) -> list[dict]:
    """The functions the profiled pass spent its time in (own time), project code first."""
    stats = pstats.Stats(profile, stream=io.StringIO())
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items():
        short = filename.split("/src/")[-1] if "/src/" in filename else Path(filename).name
        rows.append(
            {
                "function": f"{short}:{line}({function})",
                "calls": calls,
                "own_s": round(own, 3),
                "cumulative_s": round(cumulative, 3),
            }
        )
    own = sorted(rows, key=lambda r: -r["own_s"])[:count]
    ours = sorted(
        (r for r in rows if r["function"].startswith("juesuan_qa/")), key=lambda r: -r["cumulative_s"]
    )[:count]
    return [{"by_own_time": own}, {"juesuan_qa_by_cumulative_time": ours}]


# (module, attribute, phase): ingest steps timed by wrapping them; a step missing after a refactor is skipped
INGEST_STEPS = (
    ("juesuan_qa.kb", "read_source", "read_and_parse_files"),
    ("juesuan_qa.kb", "build_group", "build_facts_and_passages"),
    ("juesuan_qa.kb", "tokenize", "jieba_tokenize"),
    ("juesuan_qa.store.facts", "save_disclosure", "sqlite_save"),
    ("juesuan_qa.store.passages", "delete_document", "chroma_delete"),
    ("juesuan_qa.store.passages", "add_passages", "embed_and_chroma_add"),
    ("juesuan_qa.store.layout", "publish", "publish"),
)


class IngestClock:
    """Seconds spent in each ingest step, and when each document finished (to see a slowdown)."""

    def __init__(self) -> None:
        import importlib

        from juesuan_qa.store.embedding import Embedder

        self.seconds: dict[str, float] = {}
        self.finished: list[float] = []
        for module_name, attribute, phase in INGEST_STEPS:
            module = importlib.import_module(module_name)
            if hasattr(module, attribute):
                setattr(module, attribute, self.wrap(getattr(module, attribute), phase))
        Embedder.embed_passages = self.wrap(Embedder.embed_passages, "embed")

    def wrap(self, function, phase: str):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                now = time.perf_counter()
                self.seconds[phase] = self.seconds.get(phase, 0.0) + now - started
                if phase == "embed_and_chroma_add":
                    self.finished.append(now)

        return timed

    def report(self, total: float) -> dict:
        steps = dict(self.seconds)
        if "embed" in steps and "embed_and_chroma_add" in steps:
            steps["chroma_add"] = steps.pop("embed_and_chroma_add") - steps["embed"]
        steps["other (jieba dictionary, chroma client, file hashing)"] = total - sum(steps.values())
        result = {"steps_s": {k: round(v, 2) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])}}
        done = self.finished
        if len(done) >= 20:  # seconds per document in the first and last tenth of the indexing loop
            tenth = len(done) // 10
            result["index_loop_s_per_document_first_tenth"] = round((done[tenth] - done[0]) / tenth, 4)
            result["index_loop_s_per_document_last_tenth"] = round((done[-1] - done[-1 - tenth]) / tenth, 4)
        return result


def run_size(corpus: Path, size: int, seed: int, target: int, profile: bool) -> dict:
    from juesuan_qa.config import Settings
    from juesuan_qa.kb import KnowledgeBase
    from juesuan_qa.qa.router import route

    everything = sorted(corpus.glob("*.md"))
    named = everything[target]  # every size holds the document the questions name, then the first others
    files = [named, *[p for p in everything if p != named][: size - 1]]
    if len(files) < size:
        raise SystemExit(f"{corpus} holds {len(everything)} disclosures, {size} asked for")
    cases = questions(_synthetic().figures(target, seed))
    clock = IngestClock()
    with tempfile.TemporaryDirectory(prefix=f"bench-scale-{size}-") as index:
        settings = Settings.from_env(index)
        started = time.perf_counter()
        report = KnowledgeBase.ingest(files, index, settings=settings)
        ingest_s = time.perf_counter() - started
        ingest_steps = clock.report(ingest_s)
        if len(report.ingested) != size:
            raise SystemExit(f"ingested {len(report.ingested)} of {size}: {report.skipped[:3]}")
        rss_after_ingest = rss_mb()
        size_on_disk = disk_bytes(Path(index))
        started = time.perf_counter()
        kb = KnowledgeBase.open(index, settings=settings)
        open_s = time.perf_counter() - started
        rss_after_open = rss_mb()
        kb.ask(cases[0]["question"])  # warm: the model (if any) and lazy structures load here
        passages, facts = len(kb.corpus.search.passages), len(kb.corpus.facts)
        by_route: dict[str, list[float]] = {}
        by_kind: dict[str, list[float]] = {}
        right: dict[str, list[bool]] = {}
        wrong: list[dict] = []
        for case in cases:
            answer = kb.ask(case["question"])
            by_route.setdefault(answer.route, []).append(answer.elapsed_ms)
            by_kind.setdefault(case["kind"], []).append(answer.elapsed_ms)
            ok = correct(case, answer)
            right.setdefault(case["kind"], []).append(ok)
            if not ok:
                wrong.append(
                    {
                        "question": case["question"],
                        "expected": case.get("value", case.get("text", "abstain")),
                        "got": [v.value for v in answer.values]
                        or ("abstained" if answer.abstained else answer.answer[:60]),
                    }
                )
        documents = kb.documents
        router_ms, scope = [], []
        for case in cases:
            started = time.perf_counter()
            slots = route(case["question"], documents, kb.corpus.vocabulary)
            router_ms.append((time.perf_counter() - started) * 1000)
            scope.append(len(slots.doc_ids))
        he = next((d for d in documents if "和" in d.department), None)
        probe = None
        if he is not None:  # the router cuts an organisation name at 和: how wide does such a question reach?
            slots = route(f"{he.department}{he.year}年一共收了多少钱？", documents, kb.corpus.vocabulary)
            probe = {
                "question_names": f"{he.department} {he.year}",
                "documents_in_scope": len(slots.doc_ids),
                "departments_in_scope": len({kb.corpus.documents[i].department for i in slots.doc_ids}),
            }
        profiled = None
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for case in cases:
                kb.ask(case["question"])
            profiler.disable()
            profiled = profile_top(profiler)
    return {
        "documents": size,
        "passages": passages,
        "facts": facts,
        "ingest_s": round(ingest_s, 2),
        "ingest_s_per_document": round(ingest_s / size, 3),
        "ingest_s_per_1k_passages": round(ingest_s * 1000 / passages, 2),
        "ingest_steps": ingest_steps,
        "index_mb": round(size_on_disk / 2**20, 1),
        "open_s": round(open_s, 2),
        "query_ms_by_route": {r: spread(v) for r, v in sorted(by_route.items())},
        "query_ms_by_kind": {k: spread(v) for k, v in by_kind.items()},
        "query_ms_all": spread([x for v in by_kind.values() for x in v]),
        "router_ms_per_question": spread(router_ms),
        "documents_in_scope_per_question": {"mean": round(statistics.fmean(scope), 2), "max": max(scope)},
        "correct": {k: f"{sum(v)}/{len(v)}" for k, v in right.items()},
        "wrong": wrong,
        "router_probe_he": probe,
        "rss_after_ingest_mb": rss_after_ingest,
        "rss_after_open_mb": rss_after_open,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "profile": profiled,
    }


def e5_rate(corpus: Path) -> dict:
    """Passages per second of the default e5 model (and of hashing) on 200 synthetic passages."""
    from juesuan_qa.config import Settings
    from juesuan_qa.ingest.document import read_disclosure
    from juesuan_qa.store.embedding import HashingEmbedder, make_embedder

    texts = []
    for path in sorted(corpus.glob("*.md"))[:2]:
        texts += [p.indexed_text() for p in read_disclosure(path).passages]
    texts = texts[:200]
    settings = Settings.from_env()
    if not (settings.model_dir / "modules.json").exists():
        return {"error": f"e5 model not prepared at {settings.model_dir} (juesuan-qa prepare-model)"}
    embedder = make_embedder(
        settings.model_dir, settings.model_name, settings.query_prefix, settings.passage_prefix
    )
    embedder.embed_passages(texts[:8])  # load the model outside the timing
    started = time.perf_counter()
    embedder.embed_passages(texts)
    e5 = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    HashingEmbedder().embed_passages(texts)
    hashing = len(texts) / (time.perf_counter() - started)
    return {
        "model": settings.model_name,
        "passages": len(texts),
        "e5_passages_per_s": round(e5, 1),
        "hashing_passages_per_s": round(hashing, 1),
    }


def child(args: list[str], env: dict[str, str], timeout: float) -> dict:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:] or [f"exit {result.returncode}"]}
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="hashing", help="hashing (default) or default (the prepared e5)")
    parser.add_argument("--sizes", default="1,100,1000", help="corpus sizes, comma-separated")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--target",
        type=int,
        help="the synthetic document the questions name (default: the "
        "first whose name has no 和, which the router cuts names at; see router_probe_he)",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the profiled pass")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per size")
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-e5", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_size is not None:
        json.dump(
            run_size(args.corpus, args.child_size, args.seed, args.target, not args.no_profile),
            sys.stdout,
            ensure_ascii=False,
        )
        return
    if args.child_e5:
        json.dump(e5_rate(args.corpus), sys.stdout)
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    if args.target is None:
        args.target = next(
            i for i in range(10**4) if "和" not in _synthetic().figures(i, args.seed).department
        )
    env = dict(os.environ)
    if args.model == "default":
        env.pop("JUESUAN_EMBED_MODEL", None)
    else:
        env["JUESUAN_EMBED_MODEL"] = args.model
    started_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-scale-corpus-") as folder:
        corpus = Path(folder)
        started = time.perf_counter()
        _synthetic().generate(max(*sizes, args.target + 1), corpus, seed=args.seed)
        generated_s = time.perf_counter() - started
        results = {}
        for size in sizes:
            started = time.perf_counter()
            common = ["--corpus", str(corpus), "--seed", str(args.seed), "--target", str(args.target)]
            results[str(size)] = child(
                ["--child-size", str(size), *common, *(["--no-profile"] if args.no_profile else [])],
                env,
                args.timeout,
            )
            results[str(size)]["child_wall_s"] = round(time.perf_counter() - started, 1)
            print(f"size {size}: {results[str(size)]['child_wall_s']} s", file=sys.stderr)
        e5 = None
        if args.model != "default":
            e5_env = {k: v for k, v in env.items() if k != "JUESUAN_EMBED_MODEL"}
            e5 = child(["--child-e5", "--corpus", str(corpus)], e5_env, 900)
            if "e5_passages_per_s" in e5:
                extra = 1 / e5["e5_passages_per_s"] - 1 / e5["hashing_passages_per_s"]
                e5["extrapolated_e5_ingest_s"] = {
                    s: round(r["ingest_s"] + r["passages"] * extra, 1)
                    for s, r in results.items()
                    if "ingest_s" in r
                }
    target = _synthetic().figures(args.target, args.seed)
    figures = {
        "model": args.model,
        "seed": args.seed,
        "questions_name": f"{target.department} {target.year}",
        "generate_s": round(generated_s, 2),
        "generate_ms_per_document": round(generated_s * 1000 / max(sizes), 2),
        "sizes": results,
        "growth": growth(results),
        "e5": e5,
        "total_wall_s": round(time.perf_counter() - started_all, 1),
    }
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2)
    print()


def growth(results: dict) -> dict:
    """Ratios between consecutive sizes. Per-document figures: 1.0 is linear in the corpus (more is
    worse than linear); per-question figures: 1.0 is flat, the documents ratio is linear."""
    done = sorted((int(s), r) for s, r in results.items() if "ingest_s" in r)

    def times(a: float, b: float) -> float | None:
        return round(b / a, 2) if a else None

    steps = {}
    for (n, small), (m, large) in zip(done, done[1:], strict=False):
        per_doc = {
            step: times(
                small["ingest_steps"]["steps_s"].get(step, 0) / n,
                large["ingest_steps"]["steps_s"].get(step, 0) / m,
            )
            for step in large["ingest_steps"]["steps_s"]
        }
        steps[f"{n}->{m}"] = {
            "documents_ratio": m / n,
            "per_document": {
                "ingest_s": times(small["ingest_s_per_document"], large["ingest_s_per_document"]),
                "ingest_steps_s": per_doc,
                "index_mb": times(small["index_mb"] / n, large["index_mb"] / m),
                "open_s": times(small["open_s"] / n, large["open_s"] / m),
                "rss_after_open_mb": times(small["rss_after_open_mb"] / n, large["rss_after_open_mb"] / m),
            },
            "per_question": {
                "query_p50_ms": times(small["query_ms_all"]["p50"], large["query_ms_all"]["p50"]),
                "query_p95_ms": times(small["query_ms_all"]["p95"], large["query_ms_all"]["p95"]),
                "router_p50_ms": times(
                    small["router_ms_per_question"]["p50"], large["router_ms_per_question"]["p50"]
                ),
            },
        }
    return steps


if __name__ == "__main__":
    main()
