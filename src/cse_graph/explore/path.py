"""How is A connected to B, and on what evidence: the k shortest evidence-backed paths."""

from __future__ import annotations

from itertools import islice

from ..store import Store

# Edges whose own evidence states them weigh least; structural links stated by an entity's
# description weigh more, and the vaguest relations most, so paths prefer cited steps.
_WEIGHT = {"edge": 1.0, "entity": 1.5}
_VAGUE = {"concerns": 1.0, "associated with": 1.0, "related to": 1.0, "would act": 0.5}


def path(store: Store, a: str, b: str, k: int = 3) -> dict:
    """``{"source", "target", "paths": [{"length", "weight", "steps": [...]}]}``; each step is
    ``{"from", "to", "relation", "forward", "confidence", "evidence"}`` where ``forward`` says
    whether the edge runs from→to as recorded (``relation`` reads source-to-target)."""
    import networkx as nx

    from ..graph import projection

    proj = projection(store)
    g = nx.Graph()
    for e in proj.edges:
        if not e["evidence"]:
            continue  # only evidence-backed steps
        w = _WEIGHT.get(e["scope"], 1.5) + _VAGUE.get(e["relation"], 0.0)
        u, v = e["source"], e["target"]
        if g.has_edge(u, v):
            g[u][v]["links"].append(e)
            g[u][v]["weight"] = min(g[u][v]["weight"], w)
        else:
            g.add_edge(u, v, links=[e], weight=w)
    info = proj.nodes
    result = {"source": _brief(info, a), "target": _brief(info, b), "paths": []}
    if a not in g or b not in g or a == b:
        return result
    try:
        found = list(islice(nx.shortest_simple_paths(g, a, b, weight="weight"), max(k, 1)))
    except nx.NetworkXNoPath:
        return result
    for nodes in found:
        steps, weight = [], 0.0
        for u, v in zip(nodes, nodes[1:]):
            data = g[u][v]
            weight += data["weight"]
            best = min(data["links"], key=lambda e: _WEIGHT.get(e["scope"], 1.5) + _VAGUE.get(e["relation"], 0.0))
            steps.append({"from": _brief(info, u), "to": _brief(info, v), "relation": best["relation"],
                          "forward": best["source"] == u, "confidence": best["confidence"],
                          "evidence": best["evidence"]})
        result["paths"].append({"length": len(steps), "weight": round(weight, 2), "steps": steps})
    return result


def _brief(info, n):
    i = info.get(n, {})
    return {"id": n, "label": i.get("label", n), "type": i.get("type", "Thing")}
