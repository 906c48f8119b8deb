"""How fast do read commands start? Median wall time of each command against `python -c "import rdflib"`.

    .venv/bin/python benchmarks/cli_speed.py [--runs 15]

All timings come from one run of this script, interleaved (each round runs every command once)
so that machine load affects all of them alike. The graph cache and Python's bytecode cache are
warmed first: commands run with PYTHONDONTWRITEBYTECODE removed from their environment, as on a
normal install (pip compiles rdflib's bytecode at install time; an editable checkout compiles ours
on first use). A ratio ≤ 1.0 means the command, answer included, finishes before rdflib has even
been imported. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "baseline: python -c 'import rdflib'": [sys.executable, "-c", "import rdflib"],
    "lineage (Jay report, down)": [str(BIN / "cse-graph"), "lineage", "report:jay-2014", "--format", "json"],
    "lineage (label, up)": [str(BIN / "cse-graph"), "lineage", "Operation Clover", "--direction", "up", "--format", "json"],
    "show (Operation Central)": [str(BIN / "cse-graph"), "show", "op:central", "--format", "json"],
    "missed": [str(BIN / "cse-graph"), "missed", "--format", "json"],
    "query (missed-opportunities)": [str(BIN / "cse-graph"), "query", "missed-opportunities", "--format", "json"],
}


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    subprocess.run([str(BIN / "cse-graph"), "build"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    times: dict[str, list[float]] = {k: [] for k in COMMANDS}
    for cmd in COMMANDS.values():          # warm the OS file cache
        run(cmd)
    for _ in range(args.runs):
        for name, cmd in COMMANDS.items():
            times[name].append(run(cmd))
    base = statistics.median(times["baseline: python -c 'import rdflib'"])
    rows = [{"command": k, "median_s": round(statistics.median(v), 4), "min_s": round(min(v), 4),
             "ratio_to_import_rdflib": round(statistics.median(v) / base, 2)} for k, v in times.items()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'command':40} {'median':>8} {'min':>8} {'ratio':>6}   ({args.runs} interleaved runs each)")
    for r in rows:
        print(f"{r['command']:40} {r['median_s']:8.3f} {r['min_s']:8.3f} {r['ratio_to_import_rdflib']:6.2f}")


if __name__ == "__main__":
    main()
