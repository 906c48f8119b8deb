"""The graph as nodes and evidence-carrying edges, and its networkx form.

The *projection* keeps only entities (no evidence or date nodes) and the edges a reader
follows: the five lineage relations (qualified, with their own evidence and confidence) and
the structural relations (led by, missed by, unit of, holds …), which carry the evidence of
the entity that states them.  It is built with a handful of SPARQL queries, cached beside an
embedded store's build, and turned into networkx graphs on demand (networkx is imported only
here, so commands that do not need it start faster).
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .explore.description import concept_name, describe
from .explore.evidence import evidence_of
from .explore.lineage import all_influence_edges
from .store import Store
from .vocab import GENID_PATH, ID, PREFIXES

# property → (relation name, rank: lower wins when two relations link the same pair)
STRUCTURAL: dict[str, tuple[str, int]] = {
    "cse:missedBy": ("missed by", 1), "cse:outcomeOf": ("outcome unknown of", 1), "cse:judgedBy": ("judged by", 1), "cse:ledBy": ("led by", 1),
    "cse:partner": ("partner", 1), "cse:addressedTo": ("addressed to", 1), "cse:actor": ("would act", 2),
    "cse:concerns": ("concerns", 3), "cse:madeIn": ("made in", 2), "dct:creator": ("creator", 1),
    "dct:publisher": ("publisher", 2), "dct:isPartOf": ("part of", 1), "org:unitOf": ("unit of", 1),
    "org:subOrganizationOf": ("part of", 2), "org:hasMember": ("member", 2), "org:postIn": ("post in", 1),
    "org:originalOrganization": ("changed from", 1), "org:resultingOrganization": ("changed into", 1),
    "prov:wasAssociatedWith": ("associated with", 5), "dct:relation": ("related to", 4),
}


def _expand(curie: str) -> str:
    p, local = curie.split(":", 1)
    return PREFIXES[p] + local


@dataclass
class Projection:
    nodes: dict[str, dict]
    edges: list[dict] = field(default_factory=list)

    def influence_digraph(self):
        """Cause → effect DiGraph of the lineage relations only (for rank and layouts)."""
        import networkx as nx

        from .explore.lineage import RELATIONS

        g = nx.DiGraph()
        for n, info in self.nodes.items():
            g.add_node(n)
        for e in self.edges:
            if e["relation"] in RELATIONS:
                g.add_edge(e["source"], e["target"], relation=e["relation"])
        return g


def raw_edges(store: Store) -> dict[tuple, dict]:
    """{(source, target, relation): {"qualified": [...], "confidence", "scope"}} — every edge of the
    projection before evidence is attached (shared with the compact path graph, cse_graph.compact)."""
    rows = all_influence_edges(store)
    edges: dict[tuple, dict] = {}
    for e in rows:
        key = (e["source"], e["target"], e["relation"])
        if key in edges:
            edges[key]["qualified"].append(e["qualified"])
        else:
            edges[key] = {**e, "qualified": [e["qualified"]], "scope": "edge"}

    # structural edges
    # one UNION branch per property: a VALUES list on the predicate makes pyoxigraph scan
    keep = f'FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{ID}") && !CONTAINS(STR(?o), "{GENID_PATH}") && !CONTAINS(STR(?s), "{GENID_PATH}"))'
    q = "SELECT ?s ?p ?o WHERE { " + " UNION ".join(
        f"{{ ?s {p} ?o . {keep} BIND({p} AS ?p) }}" for p in STRUCTURAL) + " }"
    from .vocab import compact

    best: dict[tuple, tuple] = {}
    for r in store.select(q):
        s, p, o = str(r["s"]), compact(str(r["p"])), str(r["o"])
        name, rank = STRUCTURAL[p]
        if p == "cse:madeIn":
            continue  # recommendations are lineage edges already
        pair = (s, o)
        if pair not in best or rank < best[pair][1]:
            best[pair] = (name, rank)
    for (s, o), (name, _) in best.items():
        if (o, s, "recommended") in edges or (o, s, "ignored in") in edges:
            continue
        edges[(s, o, name)] = {"source": s, "target": o, "relation": name, "qualified": [s],
                               "confidence": "stated", "scope": "entity"}

    # people hold posts (via memberships, which carry their own evidence)
    for r in store.select("""SELECT ?m ?person ?post WHERE { ?m a org:Membership ; org:member ?person ; cse:post ?post }"""):
        key = (str(r["person"]), str(r["post"]), "holds")
        if key in edges:
            edges[key]["qualified"].append(str(r["m"]))
        else:
            edges[key] = {"source": key[0], "target": key[1], "relation": "holds", "qualified": [str(r["m"])],
                          "confidence": "stated", "scope": "edge"}
    return edges


def build_projection(store: Store) -> Projection:
    edges = raw_edges(store)
    node_ids = {k[0] for k in edges} | {k[1] for k in edges}
    node_ids |= {str(r["s"]) for r in store.select(f"""SELECT DISTINCT ?s WHERE {{ ?s rdfs:label ?l .
        FILTER(STRSTARTS(STR(?s), "{ID}") && !CONTAINS(STR(?s), "{GENID_PATH}")) }}""")}
    info = describe(store, node_ids)
    _add_attributes(store, info)
    ev = evidence_of(store, {q for e in edges.values() for q in e["qualified"]})
    out = []
    for i, ((s, t, rel), e) in enumerate(sorted(edges.items())):
        evidence = []
        for q in dict.fromkeys(e["qualified"]):
            for item in ev.get(q, []):
                if item not in evidence:
                    evidence.append(item)
        out.append({"key": f"e{i}", "source": s, "target": t, "relation": rel, "confidence": e["confidence"],
                    "scope": e["scope"], "evidence": evidence})
    return Projection(dict(sorted(info.items())), out)


def _add_attributes(store: Store, info: dict[str, dict]) -> None:
    """District(s) and a one-line description for every node (used by filters and panels)."""
    for n in info.values():
        n.setdefault("districts", [])
        n.setdefault("description", None)
    for r in store.select(f"""SELECT ?s ?place WHERE {{ ?s dct:spatial ?place .
            FILTER(STRSTARTS(STR(?s), "{ID}")) }}"""):
        s = str(r["s"])
        if s in info:
            info[s]["districts"].append(str(r["place"]))
    for r in store.select(f"""SELECT ?s ?d WHERE {{ ?s dct:description|cse:outcome ?d .
            FILTER(STRSTARTS(STR(?s), "{ID}")) }}"""):
        s = str(r["s"])
        if s in info and info[s]["description"] is None:
            info[s]["description"] = str(r["d"])
    for r in store.select("""SELECT ?s ?c WHERE { ?s a cse:MissedOpportunity ; cse:confidence ?c }"""):
        if str(r["s"]) in info:
            info[str(r["s"])]["confidence"] = concept_name(r["c"])


def projection(store: Store) -> Projection:
    """The projection, cached beside the build for an embedded store."""
    cache_dir: Path | None = getattr(store, "cache_dir", None)
    path = cache_dir / "projection.pickle" if cache_dir else None
    if path and path.is_file():
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    proj = build_projection(store)
    if path:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                pickle.dump(proj, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass
    return proj
