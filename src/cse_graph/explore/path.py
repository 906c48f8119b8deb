"""How is A connected to B, and on what evidence: the k shortest evidence-backed paths.

Runs on the compact path graph (``cse_graph.compact.path_graph``): every evidence-backed link of
the projection as an undirected weighted CSR, memory-mapped from the build folder, so a first call
does not unpickle the whole networkx projection. The k shortest simple paths are Yen's algorithm
over a Dijkstra that stops at the target (plain Python: it touches only the part of the graph
nearer than the answer, and needs no compiled graph library nor its import time); the evidence
of the steps shown is fetched from the store.
"""

from __future__ import annotations

import heapq

import numpy as np

# kept here for readers of the weights; the path graph is built with the same table
from ..compact import VAGUE as _VAGUE  # noqa: F401
from ..store import Store
from .evidence import evidence_of


def path(store: Store, a: str, b: str, k: int = 3) -> dict:
    """``{"source", "target", "paths": [{"length", "weight", "steps": [...]}]}``; each step is
    ``{"from", "to", "relation", "forward", "confidence", "evidence"}`` where ``forward`` says
    whether the edge runs from→to as recorded (``relation`` reads source-to-target)."""
    from ..compact import path_graph
    from .description import describe

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


class _Adjacency:
    """Rows of the memory-mapped CSR as Python lists, read only for the nodes a search expands."""

    def __init__(self, g):
        self.g, self.rows = g, {}

    def __call__(self, u: int) -> tuple[list[int], list[float]]:
        row = self.rows.get(u)
        if row is None:
            lo, hi = int(self.g.ptr[u]), int(self.g.ptr[u + 1])
            row = self.rows[u] = (self.g.idx[lo:hi].tolist(), self.g.w[lo:hi].tolist())
        return row


def _shortest(adj: _Adjacency, a: int, b: int, banned_nodes: set[int], banned_edges: set[tuple[int, int]]):
    """Dijkstra from a, stopping at b, without the banned nodes and edges: (weight, [a, …, b]) or None.

    Plain Python over the memory-mapped CSR: it expands only the nodes nearer than b, so a query
    touches a small part of a big graph and needs no compiled graph library (nor its import time).
    Ties are broken by node number, so the answer is deterministic."""
    dist = {a: 0.0}
    pred: dict[int, int] = {}
    heap = [(0.0, a)]
    done = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        if u == b:
            out = [b]
            while out[-1] != a:
                out.append(pred[out[-1]])
            return d, out[::-1]
        done.add(u)
        nbrs, ws = adj(u)
        for v, w in zip(nbrs, ws):
            if v in banned_nodes or v in done or (u, v) in banned_edges or (v, u) in banned_edges:
                continue
            nd = d + w
            if nd < dist.get(v, float("inf")):
                dist[v] = nd
                pred[v] = u
                heapq.heappush(heap, (nd, v))
    return None


def k_shortest_paths(g, a: int, b: int, k: int) -> list[tuple[float, list[int]]]:
    """Yen's k shortest loopless paths, cheapest first: [(weight, [node, …])]."""
    adj = _Adjacency(g)

    def cost(p):
        total = 0.0
        for u, v in zip(p, p[1:]):
            nbrs, ws = adj(u)
            total += ws[nbrs.index(v)]
        return total

    first = _shortest(adj, a, b, set(), set())
    if first is None:
        return []
    found = [(first[0], first[1])]
    candidates: list[tuple[float, list[int]]] = []
    seen = {tuple(first[1])}
    while len(found) < k:
        prev = found[-1][1]
        for j in range(len(prev) - 1):
            spur, root = prev[j], prev[:j + 1]
            banned_edges = {(p[j], p[j + 1]) for _, p in found if len(p) > j + 1 and p[:j + 1] == root}
            tail = _shortest(adj, spur, b, set(root[:-1]), banned_edges)
            if tail is None:
                continue
            total = root[:-1] + tail[1]
            if tuple(total) not in seen:
                seen.add(tuple(total))
                heapq.heappush(candidates, (cost(total), total))
        if not candidates:
            break
        found.append(heapq.heappop(candidates))
    return found
