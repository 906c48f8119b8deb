"""How is A connected to B, and on what evidence: the k shortest evidence-backed paths.

Runs on the compact path graph (``cse_graph.compact.path_graph``): every evidence-backed link of
the projection as an undirected weighted CSR, memory-mapped from the build folder, so a first call
does not unpickle the whole networkx projection. The k shortest simple paths are Yen's algorithm
over scipy's compiled Dijkstra; the evidence of the steps shown is fetched from the store.
"""

from __future__ import annotations

import heapq

import numpy as np

from ..store import Store
from .common import evidence_of

# kept here for readers of the weights; the path graph is built with the same table
from ..compact import VAGUE as _VAGUE, WEIGHT as _WEIGHT  # noqa: F401


def path(store: Store, a: str, b: str, k: int = 3) -> dict:
    """``{"source", "target", "paths": [{"length", "weight", "steps": [...]}]}``; each step is
    ``{"from", "to", "relation", "forward", "confidence", "evidence"}`` where ``forward`` says
    whether the edge runs from→to as recorded (``relation`` reads source-to-target)."""
    from ..compact import path_graph
    from .common import describe

    g = path_graph(store)
    idx = g.index
    result = {"source": None, "target": None, "paths": []}
    ends = [x for x in (a, b) if x not in idx]
    extra = describe(store, ends) if ends else {}

    def brief_id(n: str) -> dict:
        if n in idx:
            i = idx[n]
            return {"id": n, "label": g.labels[i], "type": g.types[i]}
        return {"id": n, "label": extra.get(n, {}).get("label", n), "type": extra.get(n, {}).get("type", "Thing")}

    result["source"], result["target"] = brief_id(a), brief_id(b)
    if a not in idx or b not in idx or a == b:
        return result
    found = k_shortest_paths(g, idx[a], idx[b], max(k, 1))
    links = []
    for _, nodes in found:
        links.append([_link(g, u, v) for u, v in zip(nodes, nodes[1:])])
    quals = {li: g.qualified(li) for steps in links for li, _ in steps}
    ev = evidence_of(store, {q for qs in quals.values() for q in qs})
    for (cost, nodes), steps in zip(found, links):
        out = []
        for (u, v), (li, w) in zip(zip(nodes, nodes[1:]), steps):
            evidence = []
            for q in quals[li]:
                for item in ev.get(q, []):
                    if item not in evidence:
                        evidence.append(item)
            out.append({"from": brief_id(g.ids[u]), "to": brief_id(g.ids[v]), "relation": g.names[int(g.link_rel[li])],
                        "forward": int(g.link_src[li]) == u, "confidence": g.names[int(g.link_conf[li])] or None,
                        "evidence": evidence})
        result["paths"].append({"length": len(out), "weight": round(float(cost), 2), "steps": out})
    return result


def _link(g, u: int, v: int) -> tuple[int, float]:
    lo, hi = int(g.ptr[u]), int(g.ptr[u + 1])
    j = lo + int(np.searchsorted(np.asarray(g.idx[lo:hi]), v))
    return int(g.link[j]), float(g.w[j])


def _shortest(m, row: np.ndarray, a: int, b: int, banned_nodes: set[int], banned_edges: set[tuple[int, int]]):
    """Dijkstra (scipy, compiled) from a to b on m without the banned nodes and edges; the node list or None."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    if banned_nodes or banned_edges:
        keep = np.ones(len(m.data), dtype=bool)
        if banned_nodes:
            bn = np.fromiter(banned_nodes, dtype=np.int64)
            keep &= ~np.isin(row, bn) & ~np.isin(m.indices, bn)
        for u, v in banned_edges:
            for x, y in ((u, v), (v, u)):
                lo, hi = m.indptr[x], m.indptr[x + 1]
                j = lo + np.searchsorted(m.indices[lo:hi], y)
                if j < hi and m.indices[j] == y:
                    keep[j] = False
        m = csr_matrix((m.data[keep], (row[keep], m.indices[keep])), shape=m.shape)
    dist, pred = dijkstra(m, directed=True, indices=a, return_predecessors=True)
    if not np.isfinite(dist[b]):
        return None
    out = [b]
    while out[-1] != a:
        out.append(int(pred[out[-1]]))
    return out[::-1]


def k_shortest_paths(g, a: int, b: int, k: int) -> list[tuple[float, list[int]]]:
    """Yen's k shortest loopless paths, cheapest first: [(weight, [node, …])]."""
    m = g.matrix()
    row = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))

    def cost(p):
        return sum(_link(g, u, v)[1] for u, v in zip(p, p[1:]))

    first = _shortest(m, row, a, b, set(), set())
    if first is None:
        return []
    found = [(cost(first), first)]
    candidates: list[tuple[float, list[int]]] = []
    seen = {tuple(first)}
    while len(found) < k:
        prev = found[-1][1]
        for j in range(len(prev) - 1):
            spur, root = prev[j], prev[:j + 1]
            banned_edges = {(p[j], p[j + 1]) for _, p in found if len(p) > j + 1 and p[:j + 1] == root}
            tail = _shortest(m, row, spur, b, set(root[:-1]), banned_edges)
            if tail is None:
                continue
            total = root[:-1] + tail
            if tuple(total) not in seen:
                seen.add(tuple(total))
                heapq.heappush(candidates, (cost(total), total))
        if not candidates:
            break
        found.append(heapq.heappop(candidates))
    return found
