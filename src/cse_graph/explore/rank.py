"""Which reports and events were most influential, by a named measure on the influence graph
(cause → effect edges: prompted, informed, commissioned, recommended, ignored in)."""

from __future__ import annotations

from ..store import Store
from ..vocab import FAMILY
from .common import family

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
    import networkx as nx

    from ..graph import projection

    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}: one of {', '.join(MEASURES)}")
    proj = projection(store)
    g = proj.influence_digraph()
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    if measure == "pagerank":
        scores = nx.pagerank(g.reverse(copy=True)) if len(g) else {}
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(g) if len(g) else {}
    elif measure == "direct":
        scores = {n: g.out_degree(n) for n in g}
    else:
        scores = {n: len(nx.descendants(g, n)) for n in g}
    items = []
    for n, s in scores.items():
        info = proj.nodes.get(n, {"label": n, "type": "Thing"})
        if kind is None and family(info["type"]) not in DEFAULT_FAMILIES:
            continue
        if kind not in (None, "all") and family(info["type"]) != kind and info["type"].lower() != kind:
            continue
        items.append({"id": n, "label": info["label"], "type": info["type"], "score": round(float(s), 6),
                      "direct": g.out_degree(n), "reach": len(nx.descendants(g, n))})
    items.sort(key=lambda x: (-x["score"], -x["reach"], x["label"]))
    return {"measure": measure, "definition": MEASURES[measure], "items": items[:limit] if limit else items}
