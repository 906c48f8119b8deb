"""Endpoint throughput and latency under concurrent load from a second process.

    .venv/bin/python benchmarks/server_load.py [--seconds 10] [--clients 8]

Starts, on free loopback ports, `cse-graph serve` (queries in pyoxigraph worker processes on the
cached store) and a real Oxigraph server (`oxigraph serve-read-only` on a copy of the same
store), then for each runs a load generator in a separate process: CLIENTS threads sending a mix
of competency questions for SECONDS seconds. Prints queries per second and p50/p99 latency,
measured in this one run. Nothing is asserted; load only ever goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from cse_graph.queries import competency_questions  # noqa: E402
from cse_graph.vocab import SPARQL_PREFIXES  # noqa: E402
from tests.servers import BIN, free_port, stop, wait_http  # noqa: E402

MIX = ["missed-opportunities", "chief-constables", "jay-report-led-to", "operations-timeline", "drew-recommendations",
       "referrals-by-district-and-year", "who-commissioned-what", "hedged-links"]


def load(url: str, queries: list[str], seconds: float, clients: int, out) -> None:
    latencies, errors = [], []
    stop_at = time.time() + seconds

    def client(i):
        n = i
        while time.time() < stop_at:
            q = queries[n % len(queries)]
            n += 1
            body = urllib.parse.urlencode({"query": q}).encode()
            req = urllib.request.Request(url, data=body, method="POST", headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    r.read()
                latencies.append(time.perf_counter() - t)
            except Exception as e:  # noqa: BLE001
                errors.append(str(e))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out.send({"seconds": time.perf_counter() - t0, "latencies": latencies, "errors": len(errors)})


def measure(name, url, queries, seconds, clients):
    parent, child = mp.Pipe()
    p = mp.get_context("spawn").Process(target=load, args=(url, queries, seconds, clients, child))
    p.start()
    r = parent.recv()
    p.join()
    lat = sorted(r["latencies"])
    q = statistics.quantiles(lat, n=100) if len(lat) > 2 else [0] * 99
    return {"server": name, "queries": len(lat), "errors": r["errors"], "qps": round(len(lat) / r["seconds"], 1),
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from cse_graph.cache import ensure_built

    build = ensure_built(progress=None)
    texts = {c.name: c.text for c in competency_questions()}
    queries = [texts[n] for n in MIX]
    rows = []
    tmp = Path(tempfile.mkdtemp())
    port = free_port()
    ours = subprocess.Popen([str(BIN / "cse-graph"), "serve", "--port", str(port), "--quiet", "--workers", str(args.workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_http(f"http://127.0.0.1:{port}/health", ours)
        rows.append(measure(f"cse-graph serve ({args.workers} workers)", f"http://127.0.0.1:{port}/sparql", queries,
                            args.seconds, args.clients))
    finally:
        stop(ours)
    shutil.copytree(build.store_dir, tmp / "store")
    port = free_port()
    ox = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(tmp / "store"), "--bind",
                           f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", ox)
        prefixed = [SPARQL_PREFIXES + q for q in queries]   # Oxigraph's server does not predeclare prefixes
        rows.append(measure("oxigraph serve-read-only", f"http://127.0.0.1:{port}/query", prefixed, args.seconds, args.clients))
    finally:
        stop(ox)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.clients} concurrent clients for {args.seconds:g} s each, a mix of {len(MIX)} competency questions")
    print(f"{'server':32} {'queries':>8} {'errors':>6} {'qps':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for r in rows:
        print(f"{r['server']:32} {r['queries']:8} {r['errors']:6} {r['qps']:8} {r['p50_ms']:8} {r['p99_ms']:8}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
