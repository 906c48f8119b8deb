"""Where knowledge stopped turning into action.

Over the influence graph (cause → effect: prompted, informed, commissioned, recommended,
ignored in), two kinds of break:

* ``"no downstream action"`` — a document, or a finding that judged something inadequate or
  mixed, from which no action, operation or event can be reached by any chain of prompted,
  informed, commissioned or recommended links ("ignored in" leads to a missed opportunity, not an
  action, and is not followed). Each lists what it drew on (``upstream``) and what it did lead to
  (``downstream``: recommendations, later reports …), so the reader sees where the chain ends.
* ``"articulation point"`` — an entity whose removal disconnects documents from actions they led
  to: in the influence graph taken without direction, some document above it and some action
  below it end up in different pieces once it is gone, so every chain from that document to that
  action runs through it. ``upstream`` lists the documents cut off, ``downstream`` the actions.

Runs on the compact CSR projection (``cse_graph.compact``): scipy's compiled breadth-first
search for reachability, an iterative Tarjan pass for the articulation points, and per
articulation point a search limited to its own connected piece of the graph.
"""

from __future__ import annotations

import numpy as np

from ..store import Store
from ..compact import RELATIONS
from .common import family

ACTIVITY = {"action", "operation", "event"}
_FLAGGED_VERDICTS = ("inadequate", "mixed")
DEFINITION = ("'no downstream action': a document, or a finding judging something inadequate or mixed, from which no "
              "action, operation or event is reached by any chain of prompted, informed, commissioned or recommended "
              "links. 'articulation point': an entity whose removal (influence graph taken without direction) puts "
              "documents above it and actions they led to below it in different pieces; upstream lists those "
              "documents, downstream those actions.")


def _reaches_activity(g, activity: np.ndarray) -> np.ndarray:
    """Boolean per node: some activity is reachable from it (not via 'ignored in')."""
    from scipy.sparse import csr_matrix, vstack, hstack
    from scipy.sparse.csgraph import breadth_first_order

    n = len(g)
    rev = g.matrix(reverse=True, skip=("ignored in",))
    # a virtual source pointing at every activity: one compiled BFS instead of one per activity
    top = csr_matrix((np.ones(int(activity.sum()), dtype=np.int8), (np.zeros(int(activity.sum()), dtype=np.int32),
                      np.flatnonzero(activity))), shape=(1, n + 1))
    body = hstack([rev, csr_matrix((n, 1), dtype=np.int8)])
    m = vstack([body, top]).tocsr()
    order = breadth_first_order(m, n, directed=True, return_predecessors=False)
    out = np.zeros(n, dtype=bool)
    out[order[order < n]] = True
    return out


def _undirected(g):
    from scipy.sparse import csr_matrix

    m = g.matrix()
    u = (m + m.T).tocsr()
    u.data[:] = 1
    return csr_matrix(u)


def articulation_points(ptr: np.ndarray, idx: np.ndarray, n: int) -> list[int]:
    """Articulation points of an undirected CSR graph (iterative Tarjan, no recursion limit)."""
    ptr = ptr.tolist()
    idx = idx.tolist()
    disc = [-1] * n
    low = [0] * n
    out = set()
    t = 0
    for root in range(n):
        if disc[root] != -1 or ptr[root] == ptr[root + 1]:
            continue
        disc[root] = low[root] = t
        t += 1
        children = 0
        stack = [(root, -1, ptr[root])]
        while stack:
            v, parent, k = stack[-1]
            if k < ptr[v + 1]:
                stack[-1] = (v, parent, k + 1)
                w = idx[k]
                if disc[w] == -1:
                    disc[w] = low[w] = t
                    t += 1
                    if v == root:
                        children += 1
                    stack.append((w, v, ptr[w]))
                elif w != parent:
                    low[v] = min(low[v], disc[w])
            else:
                stack.pop()
                if stack:
                    u = stack[-1][0]
                    low[u] = min(low[u], low[v])
                    if u != root and low[v] >= disc[u]:
                        out.add(u)
        if children > 1:
            out.add(root)
    return sorted(out)


def _bfs(ptr, idx, start: int, skip: int = -1) -> set[int]:
    seen = {start}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in idx[ptr[v]:ptr[v + 1]]:
                if w != skip and w not in seen:
                    seen.add(w)
                    nxt.append(w)
        frontier = nxt
    return seen


def breaks(store: Store, limit: int | None = None) -> dict:
    """``{"definition", "items": [{"kind", "id", "label", "type", "date", "upstream", "downstream"}]}``:
    articulation points first (most documents × actions separated first), then documents and
    findings with no downstream action, oldest first."""
    from ..compact import compact

    g = compact(store)
    n = len(g)
    fam = np.array([family(t) for t in g.types]) if n else np.array([], dtype=str)
    activity = np.isin(fam, list(ACTIVITY)) if n else np.zeros(0, dtype=bool)
    is_doc = fam == "document" if n else np.zeros(0, dtype=bool)
    reaches = _reaches_activity(g, activity) if n and activity.any() else np.zeros(n, dtype=bool)

    flagged = set()
    for r in store.select("SELECT ?f ?v WHERE { ?f a cse:Finding ; cse:verdict ?v }"):
        if str(r["v"]).rsplit("/", 1)[-1] in _FLAGGED_VERDICTS:
            flagged.add(str(r["f"]))

    def brief(i: int) -> dict:
        return {"id": g.ids[i], "label": g.labels[i], "type": g.types[i]}

    def date(i: int):
        return g.earliest[i] or None

    items = []
    # -- articulation points separating documents from actions ------------------------------
    und = _undirected(g)
    uptr, uidx = und.indptr.tolist(), und.indices.tolist()
    optr, oidx = np.asarray(g.out_ptr).tolist(), np.asarray(g.out_idx).tolist()
    iptr, iidx = np.asarray(g.in_ptr).tolist(), np.asarray(g.in_idx).tolist()
    orel = np.asarray(g.out_rel).tolist()
    ignored_code = RELATIONS.index("ignored in")
    for v in articulation_points(und.indptr, und.indices, n):
        anc = _bfs(iptr, iidx, v) - {v}
        docs_up = [u for u in anc if is_doc[u]]
        if not docs_up:
            continue
        # descendants, not through 'ignored in'
        desc, frontier = {v}, [v]
        while frontier:
            nxt = []
            for x in frontier:
                for k in range(optr[x], optr[x + 1]):
                    w = oidx[k]
                    if orel[k] != ignored_code and w not in desc:
                        desc.add(w)
                        nxt.append(w)
            frontier = nxt
        acts_down = [a for a in desc - {v} if activity[a]]
        if not acts_down:
            continue
        # pieces of the graph once v is gone (only v's own piece is searched)
        piece: dict[int, int] = {}
        for k, w in enumerate(uidx[uptr[v]:uptr[v + 1]]):
            if w not in piece:
                for x in _bfs(uptr, uidx, w, skip=v):
                    piece[x] = k
        cut_up = {u for u in docs_up for a in acts_down if piece.get(u) != piece.get(a)}
        cut_down = {a for a in acts_down for u in docs_up if piece.get(u) != piece.get(a)}
        if not cut_up or not cut_down:
            continue
        key = lambda i: (g.earliest[i] or "9999", g.labels[i], g.ids[i])  # noqa: E731
        items.append({"kind": "articulation point", **brief(v), "date": date(v),
                      "upstream": [brief(u) for u in sorted(cut_up, key=key)],
                      "downstream": [brief(a) for a in sorted(cut_down, key=key)],
                      "_weight": len(cut_up) * len(cut_down)})
    items.sort(key=lambda x: (-x["_weight"], x["label"], x["id"]))
    for x in items:
        del x["_weight"]

    # -- documents and flagged findings with no downstream action ---------------------------
    dead = []
    for i in range(n):
        if reaches[i] or activity[i]:
            continue
        if not (is_doc[i] or g.ids[i] in flagged):
            continue
        dead.append({"kind": "no downstream action", **brief(i), "date": date(i),
                     "upstream": [brief(int(u)) for u in sorted(set(g.predecessors(i).tolist()), key=lambda u: (g.labels[u], g.ids[u]))],
                     "downstream": [brief(int(w)) for w in sorted(set(g.successors(i).tolist()), key=lambda w: (g.labels[w], g.ids[w]))]})
    dead.sort(key=lambda x: (x["date"] or "9999", x["label"], x["id"]))
    items += dead
    return {"definition": DEFINITION,
            "items": items[:limit] if limit else items}
