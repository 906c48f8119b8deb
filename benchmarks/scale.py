"""How cse-graph's cost grows from 10k to 1M triples: the fast store (pyoxigraph) against plain rdflib.

    .venv/bin/python benchmarks/scale.py                    # 10k, 100k and 1M (about 15 minutes)
    .venv/bin/python benchmarks/scale.py --quick            # 10k only, and check the stores agree (CI)
    .venv/bin/python benchmarks/scale.py --sizes 10k,100k --json scale.json

For each size it writes a synthetic corpus (benchmarks/synth.py, deterministic by --seed),
compiles it once (the graph cache every command uses), then runs the same work on three
stores, each in a fresh child process so peak memory is that store's alone:

* ``oxigraph-memory`` — pyoxigraph, the compiled graph loaded into memory;
* ``oxigraph``        — pyoxigraph's on-disk store, opened read-only (what one-shot commands use);
* ``rdflib``          — rdflib's own in-memory store and SPARQL engine.

``load`` is the time to get a queryable store from the compiled N-Triples (for the on-disk
store: open it; writing it is part of the build, shown above the table). The two in-memory
stores load the same file, so ``rdflib ÷ memory`` compares like with like. Every operation has
a time cap (--cap) enforced with SIGALRM, which interrupts rdflib (pure Python) mid-query;
a capped cell prints as ``>N s``.

Nothing here asserts a time. ``--check`` (on by default with --quick) compares every answer —
lineage, path, missed, gaps, timeline and all competency questions, in canonical form — across
the three stores and exits 1 if any differ.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
STORES = ("oxigraph-memory", "oxigraph", "rdflib")
ID = "https://w3id.org/cse-graph/id/"
AGGREGATE = "documents-per-year"           # the aggregate competency question in the table
OPS = ["load", "lineage", "path (first)", "path (cached)", "missed", "gaps", "timeline", AGGREGATE,
       "known", "known --by", "gaps --overdue", "recurrence", "breaks (first)", "breaks (warm)",
       "rank (first)", "rank (warm)", "rank, networkx route (cached projection)",
       "compact projections (build)", "compact projection (load)", "path graph (load)",
       "path, networkx route (first)", "path, networkx route (cached)", "networkx projection (load)",
       "breaks (networkx route)", "BFS floor (scipy csgraph)",
       "all questions", "slowest question"]


# ---------------------------------------------------------------------------
# Child: one store, one corpus
# ---------------------------------------------------------------------------

class Capped(BaseException):
    """Raised by the alarm. A BaseException, so a library's ``except Exception`` (rdflib's query
    wrapper turns every error into a QueryError) cannot swallow it and mistake it for a bad query."""


def _alarm(signum, frame):
    raise Capped()


def child(args) -> None:
    os.environ["CSE_GRAPH_CACHE"] = args.cache
    from cse_graph.cache import ensure_built
    from cse_graph.explore.gaps import gaps
    from cse_graph.explore.lineage import lineage
    from cse_graph.explore.missed import missed
    from cse_graph.explore.path import path
    from cse_graph.explore.timeline import timeline
    from cse_graph.queries import canonical, competency_questions, run
    from cse_graph.store import OxigraphStore, RdflibStore

    data = Path(args.data)
    build = ensure_built(data, progress=None, validate=False)
    signal.signal(signal.SIGALRM, _alarm)
    answers: dict[str, object] = {}

    def emit(**kw):
        kw["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(kw), flush=True)

    def timed(op, fn, cap=args.cap):
        signal.alarm(cap)
        t = time.perf_counter()
        try:
            out = fn()
        except Capped:
            emit(op=op, capped=cap)
            return None
        finally:
            signal.alarm(0)
        emit(op=op, seconds=time.perf_counter() - t)
        return out

    openers = {"oxigraph-memory": lambda: OxigraphStore.load(build.ntriples),
               "oxigraph": lambda: OxigraphStore.open(build.store_dir),
               "rdflib": lambda: RdflibStore.open(build.ntriples)}
    store = timed("load", openers[args.store], cap=args.load_cap)
    if store is None:
        return
    store.cache_dir, store.build = build.dir, build
    store._compact = store._path_graph = None   # "path (first)": opens the build's path graph

    clusters = json.loads(args.corpus)["clusters"]
    root, far = ID + "report/synth-review-0", ID + f"report/synth-review-{clusters - 1}"
    r = timed("lineage", lambda: lineage(store, root, direction="down", depth=4))
    if r is not None:
        answers["lineage"] = sorted((e["source"], e["relation"], e["target"], e["confidence"], e["lag_months"],
                                     sorted(x["quote"] for x in e["evidence"])) for e in r["edges"])
    r = timed("path (first)", lambda: path(store, far, root, k=3))
    r = timed("path (cached)", lambda: path(store, far, root, k=3)) if r is not None else None
    if r is not None:
        answers["path"] = [[(s["from"]["id"], s["relation"], s["to"]["id"]) for s in p["steps"]] for p in r["paths"]]
    r = timed("missed", lambda: missed(store))
    if r is not None:
        answers["missed"] = r
    r = timed("gaps", lambda: gaps(store))
    if r is not None:
        answers["gaps"] = r
    region = ID + "place/synth-region-1"
    r = timed("timeline", lambda: timeline(store, district=region, since=2005, until=2010))
    if r is not None:
        answers["timeline"] = r

    analyses(store, build, root, clusters, timed, answers)

    times, rows, capped = {}, {}, []
    started = time.perf_counter()
    for q in competency_questions():
        left = int(args.cap - (time.perf_counter() - started))   # one cap for the whole set
        if left < 1:
            capped.append(q.name)
            continue
        signal.alarm(left)
        t = time.perf_counter()
        try:
            result = run(store, q.text)   # what `cse-graph query` pays before formatting
            times[q.name] = time.perf_counter() - t
        except Capped:
            capped.append(q.name)
            continue
        finally:
            signal.alarm(0)
        rows[q.name] = len(result.rows)
        answers[f"query {q.name}"] = canonical(result)   # for --check; not timed
    if AGGREGATE in times:
        emit(op=AGGREGATE, seconds=times[AGGREGATE])
    if capped:
        emit(op="all questions", capped=args.cap, note=f"{len(capped)} not answered within the cap: {', '.join(capped)}")
    else:
        emit(op="all questions", seconds=sum(times.values()), count=len(times),
             over_100ms=sum(1 for t in times.values() if t > 0.1),
             nonempty=sum(1 for k, v in answers.items() if k.startswith("query ") and v.get("rows", [1])))
    if times:
        name = max(times, key=times.get)
        emit(op="slowest question", seconds=times[name], name=name, rows=rows[name])
        emit(op="question times", times={k: round(v, 4) for k, v in sorted(times.items())},
             rows=dict(sorted(rows.items())))
    if args.answers:
        Path(args.answers).write_text(json.dumps(answers, sort_keys=True, default=str))
    emit(op="done")


def analyses(store, build, root, clusters, timed, answers) -> None:
    """Issue 13's analyses, and the routes they are compared with: the compact CSR projection
    against today's networkx projection, and both against a breadth-first search in a compiled
    library (scipy.sparse.csgraph) over the same graph — the floor."""
    import pickle

    from cse_graph.compact import build_compact, build_path_graph, load, load_path_graph
    from cse_graph.explore.breaks import breaks
    from cse_graph.explore.known import known
    from cse_graph.explore.overdue import overdue
    from cse_graph.explore.recurrence import recurrence

    r = timed("known", lambda: known(store, "2008-06"))
    if r is not None:
        answers["known"] = r
    r = timed("known --by", lambda: known(store, "2008-06", by=ID + "agency/synth-agency-0"))
    if r is not None:
        answers["known --by"] = r
    r = timed("gaps --overdue", lambda: overdue(store, 12))
    if r is not None:
        answers["gaps --overdue"] = r
    r = timed("recurrence", lambda: recurrence(store))
    if r is not None:
        answers["recurrence"] = r
    store._compact = None
    r = timed("breaks (first)", lambda: breaks(store))          # opens the build's compact projection
    r = timed("breaks (warm)", lambda: breaks(store))           # again, in the same process
    if r is not None:
        answers["breaks"] = r
    from cse_graph.explore.rank import rank

    store._compact = None
    timed("rank (first)", lambda: rank(store, "reach"))
    r = timed("rank (warm)", lambda: rank(store, "reach"))
    if r is not None:
        answers["rank"] = r
    timed("compact projections (build)", lambda: (build_compact(store), build_path_graph(store)))   # part of the build
    g = timed("compact projection (load)", lambda: load(build.dir / "compact-v1"))
    timed("path graph (load)", lambda: load_path_graph(build.dir / "pathgraph-v1"))
    # today's networkx route, for comparison: the projection pickled beside the build
    pickled = build.dir / "projection.pickle"
    pickled.unlink(missing_ok=True)
    far = ID + f"report/synth-review-{clusters - 1}"
    r = timed("path, networkx route (first)", lambda: path_networkx(store, far, root, k=3))    # builds the pickle
    r = timed("path, networkx route (cached)", lambda: path_networkx(store, far, root, k=3))
    if r is not None:
        answers["path, networkx route (weights)"] = [p["weight"] for p in r["paths"]]
    if not pickled.is_file():
        return
    proj = timed("networkx projection (load)", lambda: pickle.loads(pickled.read_bytes()))
    if proj is not None:
        timed("breaks (networkx route)", lambda: breaks_networkx(proj))
        timed("rank, networkx route (cached projection)", lambda: rank_networkx(proj))
    if g is not None:
        from scipy.sparse.csgraph import breadth_first_order

        m = g.matrix()
        und = (m + m.T).tocsr()
        start = g.index[root]
        timed("BFS floor (scipy csgraph)", lambda: breadth_first_order(und, start, directed=False, return_predecessors=False))


def path_networkx(store, a: str, b: str, k: int = 3) -> dict:
    """`path` as it was before issue 13: networkx's shortest_simple_paths over the whole projection,
    unpickled (or built and pickled) on first use. Kept here only as the baseline to beat."""
    from itertools import islice

    import networkx as nx

    from cse_graph.compact import VAGUE, WEIGHT
    from cse_graph.graph import projection

    proj = projection(store)
    g = nx.Graph()
    for e in proj.edges:
        if not e["evidence"]:
            continue
        w = WEIGHT.get(e["scope"], 1.5) + VAGUE.get(e["relation"], 0.0)
        u, v = e["source"], e["target"]
        if g.has_edge(u, v):
            g[u][v]["weight"] = min(g[u][v]["weight"], w)
        else:
            g.add_edge(u, v, weight=w)
    if a not in g or b not in g or a == b:
        return {"paths": []}
    try:
        found = list(islice(nx.shortest_simple_paths(g, a, b, weight="weight"), k))
    except nx.NetworkXNoPath:
        return {"paths": []}
    return {"paths": [{"weight": round(sum(g[u][v]["weight"] for u, v in zip(p, p[1:])), 2)} for p in found]}


def rank_networkx(proj) -> list:
    """`rank --measure reach` as it was before issue 13: descendants of every node, in networkx."""
    import networkx as nx

    g = proj.influence_digraph()
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    return sorted(((len(nx.descendants(g, n)), n) for n in g), reverse=True)[:15]


def breaks_networkx(proj) -> int:
    """The articulation-point half of `breaks` on today's route: the networkx projection's influence
    graph, networkx's articulation points, and for each one its ancestors and descendants."""
    import networkx as nx

    g = proj.influence_digraph()
    und = g.to_undirected(as_view=True)
    n = 0
    for v in nx.articulation_points(und):
        if nx.ancestors(g, v) and nx.descendants(g, v):
            n += 1
    return n


# ---------------------------------------------------------------------------
# Parent: generate, build, run the children, print the tables
# ---------------------------------------------------------------------------

def run_child(store: str, data: Path, cache: Path, corpus: dict, cap: int, load_cap: int,
              answers: Path | None) -> dict:
    cmd = [sys.executable, __file__, "--child", "--store", store, "--data", str(data), "--cache", str(cache),
           "--corpus", json.dumps(corpus), "--cap", str(cap), "--load-cap", str(load_cap)]
    if answers:
        cmd += ["--answers", str(answers)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    results: dict[str, dict] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            results[r["op"]] = r
    if proc.returncode != 0 or "done" not in results:
        results["error"] = {"op": "error", "stderr": proc.stderr[-2000:], "returncode": proc.returncode}
    return results


def build_corpus(label: str, triples: int, work: Path, seed: int, log) -> tuple[Path, Path, dict]:
    import synth

    data = work / f"synth-{label}"
    cache = work / f"cache-{label}"
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    t = time.perf_counter()
    corpus = synth.generate(data, triples, seed)
    corpus["generate_seconds"] = time.perf_counter() - t
    log(f"{label}: generated {corpus['clusters']} review clusters in {corpus['generate_seconds']:.1f} s; building…")
    code = ("import json, os, resource, sys; os.environ['CSE_GRAPH_CACHE'] = sys.argv[2]; "
            "from pathlib import Path; from cse_graph.cache import ensure_built; "
            "b = ensure_built(Path(sys.argv[1]), progress=None, validate=False); "
            "print(json.dumps({**b.meta, 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))")
    proc = subprocess.run([sys.executable, "-c", code, str(data), str(cache)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(HERE.parent / "src")})
    if proc.returncode != 0:
        raise SystemExit(f"build of the {label} corpus failed:\n{proc.stderr[-3000:]}")
    meta = json.loads(proc.stdout.strip().splitlines()[-1])
    corpus.update(compiled_triples=meta["triples"], compile_seconds=meta["compile_seconds"],
                  store_seconds=meta["store_seconds"], build_seconds=meta["build_seconds"], build_rss_mb=meta["rss_mb"])
    return data, cache, corpus


def cell(r: dict | None) -> str:
    if r is None:
        return "—"
    if "capped" in r:
        return f">{r['capped']} s"
    s = r.get("seconds")
    if s is None:
        return "—"
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.1f} s"


def ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or b.get("seconds") in (None, 0):
        return "—"
    if "capped" in a:
        return f">{a['capped'] / b['seconds']:.0f}×"
    if a.get("seconds") is None:
        return "—"
    return f"{a['seconds'] / b['seconds']:.1f}×"


def table(label: str, corpus: dict, res: dict[str, dict]) -> str:
    lines = [f"## {label}: {corpus['compiled_triples']:,} compiled triples "
             f"({corpus['clusters']:,} review clusters; generate {corpus['generate_seconds']:.1f} s, "
             f"compile {corpus['compile_seconds']:.1f} s, write on-disk store {corpus['store_seconds']:.1f} s, "
             f"build peak memory {corpus['build_rss_mb']:.0f} MB)", ""]
    head = ["operation", "oxigraph (memory)", "oxigraph (disk)", "rdflib", "rdflib ÷ memory", "rdflib ÷ disk"]
    rows = [head, ["---"] * len(head)]
    for op in OPS:
        m, d, r = (res[s].get(op) for s in STORES)
        name = op
        if op == "slowest question" and m:
            name = f"slowest question (memory: {m.get('name')}, {m.get('rows', '?'):,} rows)"
        if op == "all questions" and m and "count" in m:
            name = f"all {m['count']} questions (sum)"
        rows.append([name, cell(m), cell(d) if op != "load" else cell(d) + " (open)", cell(r), ratio(r, m), ratio(r, d)])
    peak = [f"{res[s]['done']['rss_mb']:.0f} MB" if "done" in res[s] else
            (f"{res[s]['load']['rss_mb']:.0f} MB+" if "load" in res[s] else "—") for s in STORES]
    rows.append(["peak memory", *peak, "", ""])
    width = [max(len(r[i]) for r in rows) for i in range(len(head))]
    for r in rows:
        lines.append("| " + " | ".join(c.ljust(width[i]) for i, c in enumerate(r)) + " |")
    q = {s: res[s].get("all questions", {}) for s in STORES}
    if "over_100ms" in q["oxigraph-memory"]:
        lines.append("")
        lines.append("questions over 100 ms: " + ", ".join(
            f"{s} {q[s]['over_100ms']}" for s in STORES if "over_100ms" in q[s])
            + f"; questions with a non-empty answer on this corpus: {q['oxigraph-memory']['nonempty']}")
    for s in STORES:
        if "error" in res[s]:
            lines.append(f"\n{s} failed (exit {res[s]['error']['returncode']}):\n{res[s]['error']['stderr']}")
    return "\n".join(lines)


def growth(all_res: dict[str, dict], corpora: dict[str, dict]) -> str:
    labels = [lb for lb in SIZES if lb in all_res]
    if len(labels) < 2:
        return ""
    first, last = labels[0], labels[-1]
    n0, n1 = corpora[first]["compiled_triples"], corpora[last]["compiled_triples"]
    lines = [f"## Growth, {first} → {last} ({n1 / n0:.0f}× the triples); exponent k in time ∝ triples^k "
             "(1.0 = linear)", "", "| operation | store | " + " | ".join(labels) + " | k |", "| --- | --- |" + " --- |" * (len(labels) + 1)]
    for op in ["build"] + OPS[:-1]:
        for s in (STORES[:2] if op != "build" else ("(shared)",)):
            if op == "build":
                vals = [corpora[lb]["build_seconds"] for lb in labels]
            else:
                vals = [all_res[lb][s].get(op, {}).get("seconds") for lb in labels]
            cells = [("—" if v is None else (f"{v * 1000:.0f} ms" if v < 1 else f"{v:.1f} s")) for v in vals]
            lines.append(f"| {op} | {s} | " + " | ".join(cells) + f" | {exponent(vals, labels, corpora)} |")
    return "\n".join(lines + ["", f"† times under {NOISE * 1000:.0f} ms are within timer and scheduler noise, so "
                               "k is taken from the first size above that instead (named in brackets)."])


NOISE = 0.005


def exponent(vals: list[float | None], labels: list[str], corpora: dict[str, dict]) -> str:
    """k in time ∝ triples^k from the first size measured above the noise floor to the last size."""
    if not vals or vals[-1] is None:
        return "—"
    for i, v in enumerate(vals[:-1]):
        if v is not None and v > NOISE:
            n0, n1 = corpora[labels[i]]["compiled_triples"], corpora[labels[-1]]["compiled_triples"]
            k = f"{math.log(vals[-1] / v) / math.log(n1 / n0):.2f}"
            return k if i == 0 else f"{k} † ({labels[i]}→{labels[-1]})"
    return "—"


def compare(files: dict[str, Path]) -> list[str]:
    base_name = next(iter(files))
    if not files[base_name].is_file():
        return [f"{base_name}: no answers written"]
    base = json.loads(files[base_name].read_text())
    problems = []
    for s, f in files.items():
        if s == base_name:
            continue
        if not f.is_file():
            problems.append(f"{s}: no answers written")
            continue
        other = json.loads(f.read_text())
        for k in sorted(set(base) | set(other)):
            if base.get(k) != other.get(k):
                problems.append(f"{s} differs from {base_name} on {k}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 10k, 100k, 1M (default all)")
    ap.add_argument("--quick", action="store_true", help="10k only, with --check (the CI smoke run)")
    ap.add_argument("--check", action="store_true", help="compare every answer across the stores; exit 1 on a difference")
    ap.add_argument("--stores", default=",".join(STORES), help=f"comma-separated subset of {', '.join(STORES)} (default all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cap", type=int, default=300, help="seconds allowed per operation (default 300)")
    ap.add_argument("--load-cap", type=int, default=900, help="seconds allowed for a load (default 900)")
    ap.add_argument("--work", type=Path, help="folder for corpora and caches (default: a temporary folder)")
    ap.add_argument("--json", type=Path, help="also write every figure as JSON here")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--answers", help=argparse.SUPPRESS)
    ap.add_argument("--report", type=Path, metavar="FILE.json",
                    help="print the tables again from a run saved with --json (nothing is measured)")
    args = ap.parse_args()
    if args.child:
        child(args)
        return 0
    if args.report:
        saved = json.loads(args.report.read_text())
        for label, res in saved["results"].items():
            print(table(label, saved["corpora"][label], res) + "\n")
        print(growth(saved["results"], saved["corpora"]))
        return 0
    sizes = ["10k"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        ap.error(f"unknown size {', '.join(unknown)}: choose from {', '.join(SIZES)}")
    stores = [x.strip() for x in args.stores.split(",") if x.strip()]
    if not stores or any(x not in STORES for x in stores):
        ap.error(f"--stores takes a subset of {', '.join(STORES)}")
    check = args.check or args.quick
    work = args.work or Path(tempfile.mkdtemp(prefix="cse-graph-scale-"))
    work.mkdir(parents=True, exist_ok=True)

    def log(msg):
        print(f"scale: {msg}", file=sys.stderr, flush=True)

    all_res, corpora, problems = {}, {}, []
    print(f"# cse-graph scale benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]})\n")
    for label in sizes:
        data, cache, corpus = build_corpus(label, SIZES[label], work, args.seed, log)
        corpora[label] = corpus
        res = {}
        files = {}
        for s in STORES:
            if s not in stores:
                res[s] = {}
                continue
            log(f"{label}: running on {s}…")
            files[s] = work / f"answers-{label}-{s}.json"
            files[s].unlink(missing_ok=True)
            res[s] = run_child(s, data, cache, corpus, args.cap, args.load_cap, files[s] if check else None)
        all_res[label] = res
        print(table(label, corpus, res) + "\n", flush=True)
        if check and len(files) > 1:
            diff = compare(files)
            first = files[next(iter(files))]
            n = len(json.loads(first.read_text())) if first.is_file() else 0
            if diff:
                problems += [f"{label}: {d}" for d in diff]
                print(f"answers DIFFER across stores at {label}:\n  " + "\n  ".join(diff) + "\n")
            else:
                print(f"answers identical across the {len(files)} stores at {label}: {n} answers compared "
                      "(lineage, path, missed, gaps, timeline and every competency question)\n")
        if any("error" in r for r in res.values()):
            problems.append(f"{label}: a store failed")
    g = growth(all_res, corpora)
    if g:
        print(g)
    if args.json:
        args.json.write_text(json.dumps({"corpora": corpora, "results": all_res}, indent=1))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
