"""Evidence: the passages (document, locator, verbatim quote) a claim rests on, and how firmly it is stated."""

from __future__ import annotations

from ..store import Store
from ..vocab import compact
from .sparql import chunks, to_int, values


def evidence_of(store: Store, nodes) -> dict[str, list[dict]]:
    """{node: [{"document", "document_label", "locator", "quote"}]} for entities or qualified nodes."""
    nodes = list(dict.fromkeys(nodes))
    out: dict[str, list[dict]] = {n: [] for n in nodes}
    sources: dict[str, str] = {}
    for chunk in chunks(nodes, 500):
        q = f"""SELECT ?n ?src ?loc ?quote WHERE {{
            VALUES ?n {{ {values(chunk)} }} ?n cse:evidence ?e . ?e oa:hasSource ?src ; oa:hasSelector ?sel .
            ?sel oa:exact ?quote . OPTIONAL {{ ?e cse:locator ?loc }}
        }}"""
        for r in store.select(q):
            sources.setdefault(str(r["src"]), "")
            out[r["n"]].append({"document": str(r["src"]), "document_label": str(r["src"]),
                                "locator": str(r["loc"]) if r["loc"] is not None else None, "quote": str(r["quote"])})
    if sources:
        for r in store.select(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values(sources)} }} ?s rdfs:label ?l }}"):
            sources[str(r["s"])] = str(r["l"])
        for evs in out.values():
            for e in evs:
                e["document_label"] = sources.get(e["document"]) or compact(e["document"])
    for evs in out.values():
        evs.sort(key=lambda e: (e["document"], e["locator"] or "", e["quote"]))
    return out


def confidence_ranks(store: Store) -> dict[str, int]:
    """{"stated": 6, …} from the confidence scheme in the graph."""
    ranks = {}
    for r in store.select("""SELECT ?c ?r WHERE { ?c skos:inScheme <https://w3id.org/cse-graph/scheme/confidence> ; cse:rank ?r }"""):
        if to_int(r["r"]) is not None:
            ranks[str(r["c"]).rsplit("/", 1)[-1]] = to_int(r["r"])
    return ranks
