"""What did X set in motion (down), what set X in motion (up), or both.

Lineage follows five relations, each an edge from cause (``source``) to effect (``target``):

========== ==========================================================
prompted   target ``prov:qualifiedInfluence [ a cse:Prompting ]`` from source
informed   target drew on source (``cse:Informing``)
commissioned  source (an agency or person) commissioned target (``cse:Commissioning``)
recommended   target is a recommendation made in source (``cse:madeIn``)
ignored in    target is a missed opportunity in which source was ignored (``cse:ignored``)
========== ==========================================================

Going down, a document's recommendations are listed for the root and for documents the
root *prompted* or *commissioned*, but not for documents that merely *drew on* something
upstream: a later review that cites a report was not set in motion by it, and listing its
recommendations would bury the chain (the Drew review draws on almost every document).

Each step is one SPARQL query over the current frontier, so lineage never pulls the whole
graph into Python and runs unchanged against a remote endpoint.
"""

from __future__ import annotations

from ..store import Store
from ..text import plural
from ..vocab import INFLUENCE_CLASSES, LINEAGE_RELATIONS
from .description import concept_name, describe
from .evidence import confidence_ranks, evidence_of
from .sparql import values

RELATIONS = LINEAGE_RELATIONS

# The anchor VALUES sits inside every UNION branch, first: pyoxigraph does not push an outer
# VALUES into union branches, and anchored this way each branch is a few index lookups
# (measured at 1M triples: 1,656 ms with the VALUES outside, 2.8 ms inside). The relation is
# read from the class in Python: joining a VALUES (?cls ?rel) table cost 1.4 s more per frontier.
_EDGE_QUERY = """SELECT ?up ?down ?cls ?rel ?q ?conf WHERE {{
  {{
    VALUES ?{anchor} {{ {frontier} }}
    {influence}
    ?q a ?cls ; cse:confidence ?conf .
    FILTER(?cls IN (cse:Prompting, cse:Informing, cse:Commissioning))
  }} UNION {{
    VALUES ?{anchor} {{ {frontier} }}
    ?down cse:madeIn ?up . ?down a cse:Recommendation . BIND("recommended" AS ?rel) BIND(?down AS ?q) BIND(conf:stated AS ?conf)
  }} UNION {{
    VALUES ?{anchor} {{ {frontier} }}
    ?down cse:ignored ?up . ?down a cse:MissedOpportunity ; cse:confidence ?conf . BIND("ignored in" AS ?rel) BIND(?down AS ?q)
  }}
}}"""
# start the influence pattern from whichever end is bound
_FROM_UP = "?q prov:influencer ?up . ?down prov:qualifiedInfluence ?q ."
_FROM_DOWN = "?down prov:qualifiedInfluence ?q . ?q prov:influencer ?up ."


def influence_edges(store: Store, nodes, direction: str) -> list[dict]:
    """Edges one step from ``nodes``: downstream ('down') or upstream ('up')."""
    anchor = "up" if direction == "down" else "down"
    out = []
    nodes = list(nodes)
    for i in range(0, len(nodes), 400):
        q = _EDGE_QUERY.format(anchor=anchor, frontier=values(nodes[i:i + 400]),
                               influence=_FROM_UP if anchor == "up" else _FROM_DOWN)
        for r in store.select(q):
            out.append(_edge(r))
    return out


_REL = {cls: name for name, cls in INFLUENCE_CLASSES.items()}


def _edge(r) -> dict:
    rel = _REL.get(str(r["cls"])) if r.get("cls") is not None else str(r["rel"])
    return {"source": str(r["up"]), "target": str(r["down"]), "relation": rel,
            "qualified": str(r["q"]), "confidence": concept_name(r["conf"])}


_ALL_EDGES = """SELECT ?up ?down ?cls ?rel ?q ?conf WHERE {
  { ?down prov:qualifiedInfluence ?q . ?q prov:influencer ?up ; a ?cls ; cse:confidence ?conf .
    FILTER(?cls IN (cse:Prompting, cse:Informing, cse:Commissioning)) }
  UNION { ?down cse:madeIn ?up ; a cse:Recommendation . BIND("recommended" AS ?rel) BIND(?down AS ?q) BIND(conf:stated AS ?conf) }
  UNION { ?down cse:ignored ?up ; a cse:MissedOpportunity ; cse:confidence ?conf . BIND("ignored in" AS ?rel) BIND(?down AS ?q) }
}"""


def all_influence_edges(store: Store) -> list[dict]:
    """Every lineage edge in the graph, in one query (for the projection)."""
    return [_edge(r) for r in store.select(_ALL_EDGES)]


def months_between(a: dict | None, b: dict | None) -> int | None:
    """Months from date ``a`` to date ``b``, on their earliest bounds.

    When ``b`` is loosely dated and its range overlaps ``a`` (it may have come after it), the lag
    is 0 rather than negative; a negative lag means ``b`` lies wholly before ``a``.
    """
    if not a or not b:
        return None
    ya, ma = int(a["earliest"][:4]), int(a["earliest"][5:7])
    yb, mb = int(b["earliest"][:4]), int(b["earliest"][5:7])
    lag = (yb - ya) * 12 + (mb - ma)
    if lag < 0 and b["latest"] >= a["earliest"]:
        return 0
    return lag


def lineage(store: Store, root: str, direction: str = "down", depth: int = 4,
            min_confidence: str | None = None) -> dict:
    """The chain of influence around ``root``, with evidence on every edge.

    Returns ``{"root", "direction", "depth", "min_confidence", "nodes", "edges"}`` where each
    edge is ``{"source", "target", "relation", "confidence", "lag_months", "hops", "evidence"}``;
    ``hops`` is how many steps from the root the link lies (1: a direct link).
    """
    if direction not in ("down", "up", "both"):
        raise ValueError("direction must be down, up or both")
    ranks = confidence_ranks(store)
    if min_confidence is not None and min_confidence not in ranks:
        raise ValueError(f"unknown confidence {min_confidence!r}: one of {', '.join(sorted(ranks, key=ranks.get, reverse=True))}")
    floor = ranks.get(min_confidence, 0) if min_confidence else 0

    edges: dict[tuple, dict] = {}
    for d in (("down", "up") if direction == "both" else (direction,)):
        seen, frontier = {root}, {root}
        set_in_motion = {root}   # nodes whose recommendations count as downstream of the root
        for step in range(max(depth, 0)):
            if not frontier:
                break
            nxt = set()
            for e in influence_edges(store, frontier, d):
                if ranks.get(e["confidence"], 0) < floor:
                    continue
                if d == "down" and e["relation"] == "recommended" and e["source"] not in set_in_motion:
                    continue
                if d == "down" and e["relation"] in ("prompted", "commissioned") and e["source"] in set_in_motion:
                    set_in_motion.add(e["target"])
                key = (e["source"], e["target"], e["relation"])
                cur = edges.get(key)
                if cur is None:
                    edges[key] = {**e, "qualified": [e["qualified"]], "hops": step + 1}
                else:
                    cur["hops"] = min(cur["hops"], step + 1)
                    cur["qualified"].append(e["qualified"])
                    if ranks.get(e["confidence"], 0) > ranks.get(cur["confidence"], 0):
                        cur["confidence"] = e["confidence"]
                other = e["target"] if d == "down" else e["source"]
                if other not in seen:
                    seen.add(other)
                    nxt.add(other)
            frontier = nxt

    node_ids = {root} | {k[0] for k in edges} | {k[1] for k in edges}
    info = describe(store, node_ids)
    ev = evidence_of(store, {q for e in edges.values() for q in e["qualified"]})
    out_edges = []
    for (s, t, rel), e in edges.items():
        evidence = []
        for q in sorted(set(e["qualified"])):
            for item in ev.get(q, []):
                if item not in evidence:
                    evidence.append(item)
        out_edges.append({
            "source": s, "target": t, "relation": rel, "confidence": e["confidence"],
            "lag_months": months_between(info[s]["date"], info[t]["date"]),
            "hops": e["hops"], "evidence": evidence,
        })

    def when(n):
        d = info[n]["date"]
        return d["earliest"] if d else "9999"

    out_edges.sort(key=lambda e: (when(e["target"]), when(e["source"]), info[e["target"]]["label"], e["relation"], e["target"], e["source"]))
    nodes = sorted(info.values(), key=lambda n: (n["date"]["earliest"] if n["date"] else "9999", n["label"], n["id"]))
    return {"root": info[root], "direction": direction, "depth": depth, "min_confidence": min_confidence,
            "nodes": nodes, "edges": out_edges}


_HEDGE = {"stated": "", "partly": "partly ", "probably": "probably ", "reported": "reportedly ",
          "possibly": "possibly ", "inferred": "(by our inference) "}


def sentence(edge: dict, labels: dict[str, str]) -> str:
    s, t = labels[edge["source"]], labels[edge["target"]]
    h = _HEDGE.get(edge["confidence"], "")
    rel = edge["relation"]
    if rel == "prompted":
        return f"{t} was {h}prompted by {s}"
    if rel == "informed":
        return f"{t} {h}drew on {s}"
    if rel == "commissioned":
        return f"{t} was {h}commissioned by {s}"
    if rel == "recommended":
        return f"{s} recommended: {t}"
    return f"{s} was {h}not acted on — missed opportunity: {t}"


def narrate(result: dict) -> str:
    """The chain told as cited sentences, oldest first."""
    info = {n["id"]: n for n in result["nodes"]}
    labels = {i: n["label"] for i, n in info.items()}
    lines = [f"Lineage of {result['root']['label']} ({result['direction']}, depth {result['depth']}"
             + (f", confidence ≥ {result['min_confidence']}" if result["min_confidence"] else "") + ")", ""]
    if not result["edges"]:
        lines.append("No recorded links.")
    for e in result["edges"]:
        d = info[e["target"]]["date"]
        when = d["text"] if d else "Undated"
        lag = (f" [{plural(e['lag_months'], 'month')} later]" if e["lag_months"] not in (None, 0)
               and e["relation"] in ("prompted", "informed") else "")
        lines.append(f"{when}: {sentence(e, labels)}.{lag}")
        for ev in e["evidence"]:
            lines.append(f"    — {ev['document_label']}, {ev['locator']}: “{ev['quote']}”")
    return "\n".join(lines)
