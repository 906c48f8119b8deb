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
from .description import family

ACTIVITY = {"action", "operation", "event"}
_FLAGGED_VERDICTS = ("inadequate", "mixed")
DEFINITION = ("'no downstream action': a document, or a finding judging something inadequate or mixed, from which no "
              "action, operation or event is reached by any chain of prompted, informed, commissioned or recommended "
              "links. 'articulation point': an entity whose removal (influence graph taken without direction) puts "
              "documents above it and actions they led to below it in different pieces; upstream lists those "
              "documents, downstream those actions.")


def _reaches_activity(g, activity: np.ndarray) -> np.ndarray:
    """Boolean per node: some activity is reachable from it (not via 'ignored in')."""
    from scipy.sparse import csr_matrix, hstack, vstack
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


def _tarjan(ptr, idx, n: int):
    """Iterative Tarjan on an undirected CSR graph. Returns (cuts, disc, fin): ``cuts[v]`` lists, for
    each articulation point v, the preorder intervals [disc[w], fin[w]] of the DFS children w whose
    subtree is cut off from the rest when v is removed; every other node of v's component is in one
    remaining piece. disc/fin are each node's preorder number and the last preorder in its subtree."""
    ptr = ptr.tolist() if hasattr(ptr, "tolist") else ptr
    idx = idx.tolist() if hasattr(idx, "tolist") else idx
    disc = [-1] * n
    low = [0] * n
    fin = [0] * n
    cuts: dict[int, list[tuple[int, int]]] = {}
    t = 0
    for root in range(n):
        if disc[root] != -1 or ptr[root] == ptr[root + 1]:
            continue
        disc[root] = low[root] = t
        t += 1
        stack = [(root, -1, ptr[root])]
        root_children: list[int] = []
        while stack:
            v, parent, k = stack[-1]
            if k < ptr[v + 1]:
                stack[-1] = (v, parent, k + 1)
                w = idx[k]
                if disc[w] == -1:
                    disc[w] = low[w] = t
                    t += 1
                    if v == root:
                        root_children.append(w)
                    stack.append((w, v, ptr[w]))
                elif w != parent:
                    low[v] = min(low[v], disc[w])
            else:
                stack.pop()
                fin[v] = t - 1
                if stack:
                    u = stack[-1][0]
                    low[u] = min(low[u], low[v])
                    if u != root and low[v] >= disc[u]:
                        cuts.setdefault(u, []).append((disc[v], fin[v]))
        if len(root_children) > 1:
            cuts[root] = [(disc[w], fin[w]) for w in root_children]
    for v in cuts:
        cuts[v].sort()
    return cuts, disc, fin


def articulation_points(ptr, idx, n: int) -> list[int]:
    """Articulation points of an undirected CSR graph (iterative Tarjan, no recursion limit)."""
    return sorted(_tarjan(ptr, idx, n)[0])


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
    # Per articulation point: its ancestors and descendants by scipy's compiled BFS, and the piece
    # of the graph each falls in once it is removed, read from the DFS preorder intervals (no search).
    from scipy.sparse.csgraph import breadth_first_order

    und = _undirected(g)
    cuts, disc, _ = _tarjan(und.indptr, und.indices, n)
    disc = np.asarray(disc)
    fwd = g.matrix(skip=("ignored in",))
    rev = g.matrix(reverse=True)
    key = lambda i: (g.earliest[i] or "9999", g.labels[i], g.ids[i])  # noqa: E731

    def pieces(nodes: np.ndarray, intervals: np.ndarray) -> np.ndarray:
        d = disc[nodes]
        k = np.searchsorted(intervals[:, 0], d, side="right") - 1
        inside = (k >= 0) & (d <= intervals[np.maximum(k, 0), 1])
        return np.where(inside, k, -1)

    for v in sorted(cuts):
        anc = breadth_first_order(rev, v, directed=True, return_predecessors=False)
        ups = anc[is_doc[anc] & (anc != v)]
        if not len(ups):
            continue
        desc = breadth_first_order(fwd, v, directed=True, return_predecessors=False)
        downs = desc[activity[desc] & (desc != v)]
        if not len(downs):
            continue
        intervals = np.asarray(cuts[v])
        pu, pd = pieces(ups, intervals), pieces(downs, intervals)
        du, dd = np.unique(pd), np.unique(pu)
        cut_up = ups if len(du) > 1 else ups[pu != du[0]]
        cut_down = downs if len(dd) > 1 else downs[pd != dd[0]]
        if not len(cut_up) or not len(cut_down):
            continue
        items.append({"kind": "articulation point", **brief(v), "date": date(v),
                      "upstream": [brief(int(u)) for u in sorted(cut_up.tolist(), key=key)],
                      "downstream": [brief(int(a)) for a in sorted(cut_down.tolist(), key=key)],
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
