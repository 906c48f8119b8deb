"""How fast do the HTML exports become usable, and how big can one page get? (MAX_NODES)

    .venv/bin/python benchmarks/html_size.py [--sizes 500,1000,2000,4000,8000] [--triples 300000]

First table: every view of the real graph (data/), written as `cse-graph export html` writes it,
with its file size and the time until it is interactive in headless Chromium.

Second table, the measurements behind MAX_NODES: a synthetic corpus (benchmarks/synth.py) is
written, and pages of N connected entities (breadth-first over the links: what a member page of
a big view holds) are drawn with all their links, laid out as member pages are. Each page is opened in Debian's Chromium (headless, network
blocked) and timed: render in Python, file size, time until the graph is drawn and usable
(``readyAt``: from navigation start to vis-network's first drawing), the cost of one redraw of
the whole graph (what every pan and zoom pays), and the JavaScript heap. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,1000,2000,4000,8000")
    ap.add_argument("--triples", type=int, default=300_000, help="synthetic corpus size (enough entities for the biggest page)")
    ap.add_argument("--runs", type=int, default=3, help="page loads per size (the median is reported)")
    ap.add_argument("--real-only", action="store_true", help="only the views of the real graph (no synthetic sweep)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]

    import os

    import synth

    work = Path(tempfile.mkdtemp(prefix="cse-graph-html-"))
    os.environ["CSE_GRAPH_CACHE"] = str(work / "cache")
    from cse_graph.export.html import View, _places, _time_rows, make_view, render
    from cse_graph.export.pages import place_key
    from cse_graph.store import open_store

    if args.real_only:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            real_views(browser, work, args.runs)
            browser.close()
        return 0
    synth.generate(work / "data", args.triples, seed=1)
    store = open_store(work / "data", progress=None)
    full = make_view(store, "overview", limit=1)   # nodes and links only: no layout of the whole
    labels = _places(store)[0]
    # Pages hold connected entities (a place's reports, their recommendations, the actions they
    # prompted ...), so take entities in breadth-first order over the links, starting from the
    # earliest entity of the first place, and restarting from the next unvisited one when a
    # component runs out: each page then carries a realistic share of links.
    first = sorted(full.nodes, key=lambda n: (place_key(full.nodes[n], labels),
                                              (full.nodes[n].get("date") or {}).get("earliest", "9999"), n))
    adjacent: dict[str, list[str]] = {n: [] for n in full.nodes}
    for e in full.edges:
        if e["source"] in adjacent and e["target"] in adjacent:
            adjacent[e["source"]].append(e["target"])
            adjacent[e["target"]].append(e["source"])
    order, seen = [], set()
    for start in first:
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            n = queue.popleft()
            order.append(n)
            for m in sorted(adjacent[n]):
                if m not in seen:
                    seen.add(m)
                    queue.append(m)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        real_views(browser, work, args.runs)
        print(f"\n# One page, N entities ({len(full.nodes)} available; Chromium headless, {args.runs} loads each, median)\n")
        print("| entities | links | render (Python) | file | ready (load → drawn) | one redraw | JS heap |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for n in sizes:
            if n > len(order):
                print(f"| {n} | (corpus too small: raise --triples) |||||")
                continue
            keep = set(order[:n])

            nodes = {k: full.nodes[k] for k in order[:n]}
            edges = [e for e in full.edges if e["source"] in keep and e["target"] in keep]
            pos, axis = _time_rows(nodes)
            v = View("members", f"{n} entities", "", nodes, edges, pos, axis=axis)
            t = time.perf_counter()
            html = render(store, v)
            t_render = time.perf_counter() - t
            out = work / f"page-{n}.html"
            out.write_text(html, encoding="utf-8")
            ready, redraw, heap = measure(browser, out, args.runs)
            print(f"| {n} | {len(edges)} | {t_render:.2f} s | {len(html) / 1e6:.1f} MB | {statistics.median(ready) / 1000:.2f} s "
                  f"| {statistics.median(redraw):.0f} ms | {statistics.median(heap) / 1e6:.0f} MB |", flush=True)
        browser.close()
    return 0


def measure(browser, page_file: Path, runs: int, throttle: float = 1) -> tuple[list[float], list[float], list[float]]:
    """Open the page ``runs`` times (network blocked), with Chromium's CPU slowed ``throttle`` times
    (CDP Emulation.setCPUThrottlingRate; 4 stands in for a modest laptop or phone): ready ms
    (navigation start → first drawing, with the page's opening framing done), one full redraw ms,
    JS heap bytes."""
    ready, redraw, heap = [], [], []
    for _ in range(runs):
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page = ctx.new_page()
        if throttle != 1:
            ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.goto(page_file.as_uri())
        page.wait_for_selector("html[data-ready='true']", state="attached", timeout=300_000)
        ready.append(page.evaluate("() => window.cseGraph.readyAt"))
        redraw.append(page.evaluate("""() => { const g = window.cseGraph, net = g.network || g.timeline;
            if (g.network) net.fit({animation: false});
            net.redraw(); const t = performance.now(); for (let i = 0; i < 10; i++) net.redraw();
            return (performance.now() - t) / 10; }"""))
        heap.append(page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize : 0"))
        ctx.close()
    return ready, redraw, heap


def real_views(browser, work: Path, runs: int) -> None:
    from cse_graph.export.html import make_view, write_html
    from cse_graph.store import open_store

    store = open_store(None, progress=None)
    print(f"# The real graph (data/): each view as exported (Chromium headless at 1440x900, {runs} loads each, median)\n")
    print("| view | entities | links | file | time to interactive, 1x CPU | at 4x CPU throttle | one redraw | JS heap |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, focus in (("overview", None), ("lineage", "report:jay-2014"), ("lineage", "op:clover"), ("missed", None),
                        ("timeline", None)):
        view = make_view(store, name, focus=focus)
        out = write_html(store, view, work / f"real-{name}-{(focus or '').replace(':', '-')}.html")[0]
        ready, redraw, heap = measure(browser, out, runs)
        slow, _, _ = measure(browser, out, runs, throttle=4)
        print(f"| {name}{f' ({focus})' if focus else ''} | {len(view.nodes)} "
              f"| {len(view.edges)} | {out.stat().st_size / 1e6:.2f} MB | {statistics.median(ready) / 1000:.2f} s "
              f"| {statistics.median(slow) / 1000:.2f} s "
              f"| {statistics.median(redraw):.0f} ms | {statistics.median(heap) / 1e6:.0f} MB |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
