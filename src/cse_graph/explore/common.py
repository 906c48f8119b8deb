"""Pieces every question shares: resolving what the user typed, describing entities, evidence."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..entities import (BULK, INDEX_FILE, INSTANT, _chunks, _date_dict, _describe,  # noqa: F401
                        _describe_bulk, _stored_index, describe, entity_index, most_specific_type, values)
from ..store import IRI, Lit, Store
from ..vocab import CSE, ENTITY_TYPES, FAMILY, ID, PREFIXES, TYPE_RANK, compact, expand

GENID = ID + ".well-known/genid/"


def family(type_name: str) -> str:
    return FAMILY.get(type_name, "other")


# ---------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------

def evidence_of(store: Store, nodes) -> dict[str, list[dict]]:
    """{node: [{"document", "document_label", "locator", "quote"}]} for entities or qualified nodes."""
    nodes = list(dict.fromkeys(nodes))
    out: dict[str, list[dict]] = {n: [] for n in nodes}
    sources: dict[str, str] = {}
    for chunk in _chunks(nodes, 500):
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
        ranks[str(r["c"]).rsplit("/", 1)[-1]] = int(str(r["r"]))
    return ranks


def short(concept) -> str | None:
    return str(concept).rsplit("/", 1)[-1] if concept is not None else None


# ---------------------------------------------------------------------------
# Resolving what the user typed
# ---------------------------------------------------------------------------

class NotFound(LookupError):
    def __init__(self, text: str, suggestions: list[dict], ambiguous: bool = False):
        self.text, self.suggestions, self.ambiguous = text, suggestions, ambiguous
        hint = "; ".join(f"{s['label']} ({compact(s['id'])})" for s in suggestions[:5])
        what = "is ambiguous" if ambiguous else "matches nothing"
        super().__init__(f"{text!r} {what}" + (f". Did you mean: {hint}?" if hint else ""))


_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")
_YEAR_PAREN = re.compile(r"\s*\([^)]*\)\s*$")


def norm(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    t = t.replace("'", "").replace("’", "")
    return _SPACE.sub(" ", _PUNCT.sub(" ", t)).strip()


@dataclass
class Name:
    iri: str
    text: str
    pref: bool


def all_names(store: Store) -> list[Name]:
    q = """SELECT ?s ?l ?p WHERE {
        { ?s rdfs:label ?l BIND(true AS ?p) } UNION { ?s skos:altLabel ?l BIND(false AS ?p) }
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/cse-graph/")
               && !CONTAINS(STR(?s), "/.well-known/genid/") && !CONTAINS(STR(?s), "/ontology"))
    }"""
    return [Name(str(r["s"]), str(r["l"]), str(r["p"]) == "true") for r in store.select(q)]


def score(query: str, name: str, iri: str) -> float:
    """How well a typed query matches a name (1.0 exact, ~0.9 strong, <0.6 weak)."""
    q, n = norm(query), norm(name)
    if not q:
        return 0.0
    if q == n:
        return 1.0
    slug = iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
    if q == slug:
        return 0.99
    bare = norm(_YEAR_PAREN.sub("", name))
    if q == bare:
        return 0.97
    if n.startswith("operation ") and q == n[len("operation "):]:
        return 0.96
    qt, nt = set(q.split()), set(n.split())
    if qt <= nt:
        return 0.75 + 0.2 * len(qt) / max(len(nt), 1)
    overlap = 0.6 * len(qt & nt) / max(len(qt), 1)
    import difflib

    sm = difflib.SequenceMatcher(None, q, n)
    # the quick ratios are upper bounds: skip the expensive one when it cannot matter
    if sm.real_quick_ratio() * 0.9 <= max(overlap, 0.45) or sm.quick_ratio() * 0.9 <= max(overlap, 0.45):
        return overlap
    return max(sm.ratio() * 0.9, overlap)


def rank_names(store: Store, text: str, limit: int = 10, names: list[Name] | None = None) -> list[tuple[float, str, str]]:
    """[(score, iri, label)] best first, one entry per entity."""
    names = names if names is not None else all_names(store)
    labels = {n.iri: n.text for n in names if n.pref}
    best: dict[str, float] = {}
    for n in names:
        s = score(text, n.text, n.iri) - (0 if n.pref else 0.01)
        if s > best.get(n.iri, 0):
            best[n.iri] = s
    ranked = sorted(((s, i, labels.get(i, compact(i))) for i, s in best.items()), key=lambda x: (-x[0], x[2]))
    return ranked[:limit]


def _exact_name(store: Store, text: str) -> str | None:
    """The one entity whose name is ``text`` ignoring case (evaluated by the engine, no Python loop)."""
    lit = text.strip().lower().replace("\\", "\\\\").replace('"', '\\"')
    if not lit or "\n" in lit:
        return None
    rows = store.select(f"""SELECT DISTINCT ?s WHERE {{ ?s rdfs:label|skos:altLabel ?l
        FILTER(LCASE(STR(?l)) = "{lit}" && STRSTARTS(STR(?s), "https://w3id.org/cse-graph/id/")) }} LIMIT 2""")
    return str(rows[0]["s"]) if len(rows) == 1 else None


def resolve(store: Store, text: str) -> str:
    """An entity IRI for an IRI, a prefixed name or a (fuzzy) label; NotFound otherwise."""
    iri = expand(text)
    if iri and store.select(f"SELECT ?t WHERE {{ <{iri}> ?p ?o }} LIMIT 1"):
        return iri
    exact = _exact_name(store, text)
    if exact:
        return exact
    names = all_names(store)
    ranked = rank_names(store, text, limit=8, names=names)
    sugg = [{"id": i, "label": l, "score": round(s, 3)} for s, i, l in ranked if s >= 0.45]
    if ranked:
        top, second = ranked[0][0], (ranked[1][0] if len(ranked) > 1 else 0.0)
        if top >= 0.96 and second < top:
            return ranked[0][1]                       # an exact name, slug or name without its year
        if top >= 0.85 and top - second >= 0.05:
            return ranked[0][1]                       # a clear best (typos forgiven)
        words = set(norm(text).split())
        holders = sorted({n.iri for n in names if words and words <= set(norm(n.text).split())})
        if len(holders) == 1:                         # the only entity whose name has every word typed
            return holders[0]
        if len(holders) > 1:
            labels = {n.iri: n.text for n in names if n.pref}
            raise NotFound(text, [{"id": i, "label": labels.get(i, compact(i))} for i in holders[:8]], ambiguous=True)
    raise NotFound(text, sugg)


def is_entity(iri: str) -> bool:
    return iri.startswith(ID) and not iri.startswith(GENID)


def label_of(store: Store, iri: str) -> str:
    r = store.select(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }} LIMIT 1")
    return str(r[0]["l"]) if r else compact(iri)


__all__ = ["IRI", "Lit", "CSE", "PREFIXES", "describe", "evidence_of", "resolve", "NotFound", "rank_names",
           "confidence_ranks", "short", "values", "is_entity", "family", "label_of"]
