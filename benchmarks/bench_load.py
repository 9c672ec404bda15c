"""Prints how the chat holds up under concurrent visitors: p50 / p95 / errors of N questions sent
at once to the web app on loopback (the app's own API, as the browser calls it).

    python benchmarks/bench_load.py [--index index] [--questions 50] [--limit 8]

The app runs as `juesuan-qa serve` in its own process, so the visitors' clients do not share its
interpreter. `--limit` is its concurrency (JUESUAN_CONCURRENCY; `--limit 1` answers one visitor
after another, as before). Bounded: the questions are the shipped seed eval's, each sent once.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALL = "全部"  # the filters' "everything" (web.ALL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=str(ROOT / "index"))
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--limit", type=int, help="the app's concurrency (default: web.CONCURRENT_QUESTIONS)")
    args = parser.parse_args()

    from gradio_client import Client

    cases = [json.loads(line)["question"] for line in (ROOT / "evals" / "seed.jsonl").read_text(encoding="utf-8")
             .splitlines() if line.strip()][: args.questions]
    port = free_port()
    env = {**os.environ, **({"JUESUAN_CONCURRENCY": str(args.limit)} if args.limit else {})}
    server = subprocess.Popen([str(Path(sys.executable).with_name("juesuan-qa")), "serve", "--index", args.index,
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit("the app did not start") from None
            time.sleep(0.5)
    errors: list[str] = []
    with ThreadPoolExecutor(8) as pool:  # visitors who have the page open already: not timed
        clients = list(pool.map(lambda _: Client(url, verbose=False), cases))

    def one(job: tuple[Client, str]) -> float:
        client, question = job
        started = time.perf_counter()
        try:
            client.predict(question, [], ALL, ALL, ALL, api_name="/respond")
        except Exception as error:  # a failed request is counted, not fatal
            errors.append(f"{type(error).__name__}: {error}"[:200])
        return (time.perf_counter() - started) * 1000

    try:
        one((clients[0], cases[0]))  # the embedding model loads once, before the clock
        errors.clear()
        started = time.perf_counter()
        with ThreadPoolExecutor(len(cases)) as pool:
            latencies = sorted(pool.map(one, zip(clients, cases, strict=True)))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    def at(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)

    print(json.dumps({"questions": len(cases), "concurrency_limit": args.limit or "default (8)",
                      "p50_ms": at(0.5), "p95_ms": at(0.95), "max_ms": round(latencies[-1], 1),
                      "mean_ms": round(statistics.fmean(latencies), 1), "wall_s": round(wall, 2),
                      "errors": len(errors), "first_errors": errors[:3]}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
