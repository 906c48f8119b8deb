"""Endpoint throughput and latency under concurrent load from a second process.

    .venv/bin/python benchmarks/server_load.py [--seconds 10] [--clients 8] [--no-mixed]

Starts, on free loopback ports, `cse-graph serve` (queries in pyoxigraph worker processes) and a
real Oxigraph server (`oxigraph serve-read-only` on a copy of the same store), then for each runs
a load generator in a separate process: CLIENTS threads sending a mix of competency questions
("fast mix"), twice each for SECONDS/2, alternating between the servers. Then a *mixed* run on `cse-graph serve` alone: CLIENTS-3 clients
send the fast mix while one client sends slow queries (~1 s each) and two send runaways (stopped
by the server's time limit, here 5 s). Oxigraph's server has no time limit, so a runaway there
would keep a core busy after the run: on a shared machine it is left out of the mixed run.
Prints queries per second and p50/p99 latency per class, measured in this one run. Nothing is
asserted; load only ever goes to 127.0.0.1.
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


SLOW = ["SELECT (COUNT(*) AS ?n) WHERE { ?a a cse:Evidence . ?b a cse:Evidence }",
        "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?o . ?o ?q ?r } GROUP BY ?a ORDER BY DESC(?n) LIMIT 5"]
RUNAWAY = ["SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"]


def load(url: str, plan: list[tuple[str, list[str], int]], seconds: float, out) -> None:
    """plan: (class name, queries, clients). Each client loops over its queries until time is up;
    only answers with HTTP 200 count as latencies, other statuses and failures as errors."""
    latencies = {name: [] for name, _, _ in plan}
    errors = {name: 0 for name, _, _ in plan}
    stop_at = time.time() + seconds

    def client(name, queries, i):
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
                latencies[name].append(time.perf_counter() - t)
            except Exception:  # noqa: BLE001
                errors[name] += 1

    threads = [threading.Thread(target=client, args=(name, qs, i)) for name, qs, k in plan for i in range(k)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out.send({"seconds": time.perf_counter() - t0, "latencies": latencies, "errors": errors})


def measure(name, url, plan, seconds):
    parent, child = mp.Pipe()
    p = mp.get_context("spawn").Process(target=load, args=(url, plan, seconds, child))
    p.start()
    r = parent.recv()
    p.join()
    rows = []
    for cls, _, clients in plan:
        lat = sorted(r["latencies"][cls])
        q = statistics.quantiles(lat, n=100) if len(lat) > 2 else [0] * 99
        rows.append({"server": name, "class": f"{cls} ×{clients}", "queries": len(lat), "errors": r["errors"][cls],
                     "qps": round(len(lat) / r["seconds"], 1), "p50_ms": round(q[49] * 1000, 1),
                     "p99_ms": round(q[98] * 1000, 1), "max_ms": round((lat[-1] if lat else 0) * 1000, 1)})
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--fast-workers", type=int, default=2)
    ap.add_argument("--no-mixed", action="store_true", help="Skip the mixed run (fast + slow + runaway clients).")
    args = ap.parse_args()
    from cse_graph.cache import ensure_built

    build = ensure_built(progress=None)
    texts = {c.name: c.text for c in competency_questions()}
    queries = [texts[n] for n in MIX]
    rows = []
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(build.store_dir, tmp / "store")
    port, oport = free_port(), free_port()
    ours = subprocess.Popen([str(BIN / "cse-graph"), "serve", "--port", str(port), "--quiet", "--workers", str(args.workers),
                             "--fast-workers", str(args.fast_workers), "--timeout", "5"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ox = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(tmp / "store"), "--bind",
                           f"127.0.0.1:{oport}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    name = f"cse-graph serve ({args.workers}+{args.fast_workers} workers)"
    url, oxurl = f"http://127.0.0.1:{port}/sparql", f"http://127.0.0.1:{oport}/query"
    prefixed = [SPARQL_PREFIXES + q for q in queries]   # Oxigraph's server does not predeclare prefixes
    try:
        wait_http(f"http://127.0.0.1:{port}/health", ours)
        wait_http(oxurl + "?query=ASK%7B%7D", ox)
        # alternate the two servers (A B A B, half the time each) so that a shared machine's
        # changing load falls on both alike
        for _ in range(2):
            rows += measure(name, url, [("fast mix", queries, args.clients)], args.seconds / 2)
            rows += measure("oxigraph serve-read-only", oxurl, [("fast mix", prefixed, args.clients)], args.seconds / 2)
        stop(ox)
        if not args.no_mixed:
            rows += measure(name + ", mixed", url, [("fast mix", queries, max(args.clients - 3, 1)),
                                                     ("slow ~1 s", SLOW, 1), ("runaway", RUNAWAY, 2)], args.seconds)
    finally:
        stop(ours)
        stop(ox)
        shutil.rmtree(tmp, ignore_errors=True)
    import os

    print(f"load average before the last run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{args.clients} concurrent clients, a mix of {len(MIX)} competency questions: {args.seconds / 2:g} s per "
          f"fast-mix run (two each, alternating), {args.seconds:g} s mixed")
    print("| server | clients | answered | errors | qps | p50 ms | p99 ms | max ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['server']} | {r['class']} | {r['queries']} | {r['errors']} | {r['qps']} | {r['p50_ms']} | "
              f"{r['p99_ms']} | {r['max_ms']} |")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
