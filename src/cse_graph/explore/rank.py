"""Which reports and events were most influential, by a named measure on the influence graph
(cause → effect edges: prompted, informed, commissioned, recommended, ignored in).

Runs on the compact CSR projection (``cse_graph.compact``), memory-mapped from the build: reach
and direct need no graph library at all (scipy's compiled breadth-first search counts
descendants); PageRank and betweenness build a networkx graph from the integer arrays, which is
much cheaper than unpickling the whole networkx projection.
"""

from __future__ import annotations

import numpy as np

from ..store import Store
from ..vocab import FAMILY
from .description import family

# what --type accepts: a family (document, agency …), a type name (report, organisation …) or "all"
KINDS = {*FAMILY.values(), *(t.lower() for t in FAMILY), "all"}
DEFAULT_FAMILIES = ("document", "operation", "action", "event")

MEASURES = {
    "reach": "number of things set in motion, directly or through a chain (descendants in the influence graph)",
    "direct": "number of things directly prompted, informed, commissioned or recommended (out-degree)",
    "pagerank": "PageRank of the reversed influence graph: high for causes of things that are themselves influential",
    "betweenness": "betweenness centrality in the influence graph: how often a node lies on chains between others",
}


def rank(store: Store, measure: str = "reach", kind: str | None = None, limit: int = 15) -> dict:
    """``{"measure", "definition", "items": [{"id", "label", "type", "score", "direct", "reach"}]}``.

    ``kind`` keeps one family (document, operation, action, event, agency, person, recommendation …)
    or one type (report …); "all" keeps everything; the default keeps documents, operations,
    actions and events.
    """
    kind = (kind or "").lower() or None
    if kind and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(sorted(KINDS))}")
    if limit is not None and limit < 0:
        raise ValueError("limit must be positive")
    from scipy.sparse.csgraph import breadth_first_order

    from ..compact import compact

    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}: one of {', '.join(MEASURES)}")
    g = compact(store)
    m = g.matrix().copy()          # writable (the arrays are memory-mapped read-only)
    m.sum_duplicates()             # two relations between the same pair are one link here
    rm = g.matrix(reverse=True).copy()
    rm.sum_duplicates()
    out_deg = np.diff(m.indptr)
    in_deg = np.diff(rm.indptr)
    linked = np.flatnonzero((out_deg + in_deg) > 0)      # nodes with no influence link at all are left out

    def wanted(t: str) -> bool:
        if kind is None:
            return family(t) in DEFAULT_FAMILIES
        return kind == "all" or family(t) == kind or t.lower() == kind

    keep = [i for i in linked.tolist() if wanted(g.types[i])]
    reach_cache: dict[int, int] = {}

    def reach(i: int) -> int:
        if i not in reach_cache:
            reach_cache[i] = 0 if out_deg[i] == 0 else len(breadth_first_order(m, i, directed=True, return_predecessors=False)) - 1
        return reach_cache[i]

    if measure in ("pagerank", "betweenness"):
        import networkx as nx

        dg = nx.DiGraph()
        dg.add_nodes_from(linked.tolist())
        rows = np.repeat(np.arange(len(g), dtype=np.int64), out_deg)
        dg.add_edges_from(zip(rows.tolist(), m.indices.tolist()))
        # networkx's results depend on node order: add them in the projection's (id) order, as before
        order = sorted(dg.nodes, key=lambda i: g.ids[i])
        h = nx.DiGraph()
        h.add_nodes_from(order)
        h.add_edges_from(sorted(dg.edges, key=lambda e: (g.ids[e[0]], g.ids[e[1]])))
        scores = (nx.pagerank(h.reverse(copy=True)) if measure == "pagerank" else nx.betweenness_centrality(h)) if len(h) else {}
    elif measure == "direct":
        scores = {i: int(out_deg[i]) for i in keep}
    else:
        scores = {i: reach(i) for i in keep}
    items = []
    for i in keep:
        items.append({"id": g.ids[i], "label": g.labels[i], "type": g.types[i], "score": round(float(scores.get(i, 0.0)), 6),
                      "direct": int(out_deg[i]), "reach": reach(i)})
    items.sort(key=lambda x: (-x["score"], -x["reach"], x["label"]))
    return {"measure": measure, "definition": MEASURES[measure], "items": items[:limit] if limit else items}
