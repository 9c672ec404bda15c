"""Prints what the store costs at scale: ingest per document, open time, RSS, index size, query p50/p95.

    python benchmarks/bench_scale.py --docs 1000 [--backend embedded|server] [--model hashing|default]
                                     [--index DIR] [--reuse]

The synthetic disclosures are built from every layout the repository ships (corpus/: nine real
PDFs from eight cities, Beijing's in two files, and the markdown seed): each document is one of
those layouts, read once, under another department, another year (every 20xx年 shifted alike)
and its table amounts scaled by a drawn factor. Reading is measured once per layout (and in
bench_fidelity.py over 101 documents); what grows with N is storing, embedding and serving.

Queries run in a child process that only opens the index, so its RSS is serving's, not ingest's:
  named  a department and year named (table figures, a prose figure, a why-question);
  none   no department named (the whole corpus in scope);
  rank   a ranking over every department of one year.
The server backend starts PostgreSQL and `chroma run` on 127.0.0.1 (tests/servers.py); the RSS
printed is this process's, the servers' own memory is printed beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # servers.py: the same server start as the tests

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?=\s*年)")
CITIES = ("太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁", "石家庄", "唐山",
          "保定", "邯郸", "郑州", "洛阳", "开封", "南阳", "武汉", "宜昌", "襄阳", "长沙", "株洲", "湘潭", "南昌",
          "九江", "赣州", "合肥", "芜湖", "蚌埠", "济南", "青岛", "烟台", "潍坊", "西安", "宝鸡", "咸阳", "兰州",
          "天水", "银川", "西宁", "成都", "绵阳", "宜宾", "贵阳", "遵义", "昆明", "曲靖", "南宁", "柳州", "桂林")
AGENCIES = ("教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
            "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局",
            "文化广电旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局",
            "统计局", "医疗保障局", "林业局", "体育局", "信访局", "城市管理局", "气象局", "档案馆", "地震局",
            "大数据应用局", "机关事务管理局", "粮食和物资储备局", "供销合作社", "公共资源交易中心")
YEARS = (2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def spread(values: list[float]) -> dict:
    if not values:
        return {}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"n": len(values), "p50": at(0.5), "p95": at(0.95), "max": round(ordered[-1], 1)}


def disk_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


# ---- the synthetic corpus ----


def layouts() -> tuple[list, dict]:
    """Every shipped disclosure, read once, and what reading them cost."""
    from juesuan_qa.ingest.document import group_sources, unique_sources
    from juesuan_qa.kb import IngestReport, _build, _read_all, expand

    files, _ = expand([ROOT / "corpus"])
    report = IngestReport()
    started = time.perf_counter()
    sources, _ = unique_sources(_read_all(files, report, None))
    built = [d for d in (_build(group, report) for group in group_sources(sources)) if d is not None]
    seconds = time.perf_counter() - started
    pages = sum(d.pages for d in built)
    return built, {"layouts": len(built), "files": len(files), "pages": pages, "read_s": round(seconds, 1),
                   "read_s_per_page": round(seconds / max(pages, 1), 3),
                   "departments": sorted({d.document.department for d in built})}


def identity(number: int) -> tuple[str, int]:
    """Document `number`'s department and year: every department has a run of years."""
    departments = [f"{city}市{agency}" for city in CITIES for agency in AGENCIES]
    department = departments[(number // len(YEARS)) % len(departments)]
    district = number // (len(YEARS) * len(departments))
    if district:
        department = f"{department[:-1]}第{district}分{department[-1]}"
    return department, YEARS[number % len(YEARS)]


def variant(base, number: int, rng: random.Random):
    """Layout `base` as another department's disclosure of another year, its amounts scaled."""
    from juesuan_qa.records import Disclosure

    doc = base.document
    department, year = identity(number)
    shift = year - (doc.year or year)
    factor = round(rng.uniform(0.3, 3.0), 3)

    def text(value: str) -> str:
        value = value.replace(doc.department, department)
        return _YEAR.sub(lambda m: str(int(m.group(1)) + shift), value) if shift else value

    def loc(locator, doc_id):
        return replace(locator, doc_id=doc_id, section=text(locator.section), quote=text(locator.quote))

    doc_id = f"syn-{number:05d}-{doc.kind}"
    new_doc = replace(doc, doc_id=doc_id, title=text(doc.title), department=department, year=year,
                      source=f"synthetic/{doc_id}", sha256=hashlib.sha256(doc_id.encode()).hexdigest())
    facts = [replace(f, title=text(f.title), value=round(f.value * factor, 2), loc=loc(f.loc, doc_id))
             for f in base.facts]
    passages = [replace(p, passage_id=p.passage_id.replace(doc.doc_id, doc_id, 1), doc_id=doc_id,
                        heading=tuple(text(h) for h in p.heading), text=text(p.text)) for p in base.passages]
    figures = [replace(f, context=text(f.context), sentence=text(f.sentence),
                       heading=tuple(text(h) for h in f.heading), loc=loc(f.loc, doc_id)) for f in base.figures]
    projects = [replace(p, loc=loc(p.loc, doc_id)) for p in base.projects]
    tables = [replace(t, title=text(t.title)) for t in base.tables]
    return Disclosure(new_doc, facts, projects, passages, figures, list(base.notes), tables, base.pages,
                      [(new_doc.source, new_doc.sha256)])


# ---- ingest ----


def ingest(settings, count: int, seed: int) -> dict:
    from juesuan_qa.kb import _domain_terms, _store, answer_items
    from juesuan_qa.store.backend import open_store
    from juesuan_qa.store.embedding import make_embedder

    bases, reading = layouts()
    _domain_terms()
    rng = random.Random(seed)
    embedder = make_embedder(settings.model_dir, settings.model_name, settings.query_prefix, settings.passage_prefix)
    store = open_store(settings, create=True)
    present = {d.doc_id for d in store.tables.documents()}
    per_document: list[float] = []
    passages = facts = 0
    started = time.perf_counter()
    try:
        for number in range(count):
            disclosure = variant(bases[number % len(bases)], number, rng)
            passages += len(disclosure.passages)
            facts += len(disclosure.facts)
            if disclosure.document.doc_id in present:
                continue
            clock = time.perf_counter()
            _store(store, embedder, disclosure, settings.model_name)
            per_document.append(time.perf_counter() - clock)
            if number and number % 500 == 0:
                print(f"  {number}/{count} stored, {statistics.fmean(per_document[-500:]):.3f} s/doc", file=sys.stderr)
        clock = time.perf_counter()
        answered = answer_items(store)
        items_s = time.perf_counter() - clock
    finally:
        store.close()
    return {"documents": count, "passages": passages, "facts": facts, "reading": reading,
            "stored_now": len(per_document), "ingest_s": round(time.perf_counter() - started, 1),
            "items_answered_for": answered,
            "items_s_per_document": round(items_s / answered, 4) if answered else None,
            "store_s_per_document": spread([s * 1000 for s in per_document]) | {"unit": "ms"},
            "ingest_peak_rss_mb": peak_mb()}


# ---- serving ----


def questions(documents: list, rng: random.Random) -> dict[str, list[str]]:
    named = []
    for doc in rng.sample(documents, min(8, len(documents))):
        who = f"{doc.department}{doc.year}年"
        named += [f"{who}支出总计是多少？", f"{who}三公经费是多少？", f"{who}基本支出中的人员经费是多少？",
                  f"{who}收入比上年增加或减少的主要原因是什么？"]
    years = sorted({d.year for d in documents})
    rank = [f"哪个部门{y}年的三公经费最多？" for y in years[-3:]] + [f"{years[-1]}年各部门基本支出排名前五的是哪些？"]
    none = ["三公经费是多少？", "为什么收入比上年少了？"]
    return {"named": named, "none": none, "rank": rank}


def serve(settings, seed: int) -> dict:
    from juesuan_qa.kb import KnowledgeBase

    started = time.perf_counter()
    kb = KnowledgeBase.open(settings=settings)
    open_s = time.perf_counter() - started
    after_open = rss_mb()
    sets = questions(kb.documents, random.Random(seed))
    clock = time.perf_counter()
    kb.store.vectors.warm()  # as `serve` does in the background at start
    warm_s = time.perf_counter() - clock
    kb.ask(sets["named"][0])  # the embedder (if any) loads here, outside the timings
    timings: dict[str, list[float]] = {}
    answered: dict[str, str] = {}
    samples = {}
    for kind, items in sets.items():
        ok = 0
        for question in items:
            clock = time.perf_counter()
            answer = kb.ask(question)
            timings.setdefault(kind, []).append((time.perf_counter() - clock) * 1000)
            ok += not answer.abstained
            samples.setdefault(kind, (question, answer.answer[:120].replace("\n", " ")))
        answered[kind] = f"{ok}/{len(items)} answered"
    return {"open_s": round(open_s, 2), "vectors_warm_s": round(warm_s, 2), "rss_after_open_mb": after_open, "query_ms": {k: spread(v) for k, v in
            timings.items()}, "answered": answered, "serving_peak_rss_mb": peak_mb(), "samples": samples}


def child(args: list[str], env: dict) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, timeout=7200)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def database_mb(url: str) -> float:
    import psycopg

    with psycopg.connect(url) as connection:
        return round(connection.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20, 1)


def server_memory_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--backend", choices=("embedded", "server"), default="embedded")
    parser.add_argument("--model", default="hashing", help="hashing (default) or default (the prepared e5)")
    parser.add_argument("--index", type=Path, help="index folder; documents already in it are not stored again")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", choices=("ingest", "serve"), help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--chroma-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model == "hashing":
        os.environ["JUESUAN_EMBED_MODEL"] = "hashing"
    if args.child:
        from juesuan_qa.config import Settings

        settings = replace(Settings.from_env(args.index), database_url=args.database_url, chroma_url=args.chroma_url)
        result = ingest(settings, args.docs, args.seed) if args.child == "ingest" else serve(settings, args.seed)
        print(json.dumps(result, ensure_ascii=False))
        return
    index = args.index or Path(tempfile.mkdtemp(prefix=f"bench-scale-{args.docs}-"))
    common = ["--docs", str(args.docs), "--index", str(index), "--model", args.model, "--seed", str(args.seed)]
    servers, server_pids = [], []
    if args.backend == "server":
        from servers import start_chroma, start_postgres

        folder = Path(tempfile.mkdtemp(prefix="bench-servers-"))
        folder.chmod(0o755)
        postgres, why = start_postgres(folder / "pg")
        chroma, why2 = start_chroma(folder) if postgres else (None, "")
        if not postgres or not chroma:
            raise SystemExit(f"servers did not start: {why or why2}")
        servers = [chroma, postgres]
        common += ["--database-url", postgres.url, "--chroma-url", chroma.url]
        server_pids = [chroma.process.pid]
    load = os.getloadavg()
    try:
        built = child([*common, "--child", "ingest"], dict(os.environ))
        served = child([*common, "--child", "serve"], dict(os.environ))
        if args.backend == "server":
            pg_pids = [int(p) for p in subprocess.run(["pgrep", "-f", "postgres"], capture_output=True,
                                                      text=True).stdout.split()]
            served["server_rss_mb"] = {"chroma": server_memory_mb(server_pids), "postgres": server_memory_mb(pg_pids)}
            served["server_index_mb"] = {"postgres": database_mb(postgres.url), "chroma": disk_mb(folder / "chroma")}
    finally:
        for server in servers:
            server.close()
    result = {"backend": args.backend, "model": args.model, "machine": {"cores": os.cpu_count(),
              "load_before": [round(x, 2) for x in load], "load_after": [round(x, 2) for x in os.getloadavg()]},
              "index_mb": disk_mb(index) if args.backend == "embedded" else None, **built, **served}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
