"""Pieces every question shares: resolving what the user typed, describing entities, evidence."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..store import IRI, Lit, Store
from ..vocab import CSE, ENTITY_TYPES, FAMILY, ID, PREFIXES, TYPE_RANK, compact, expand

GENID = ID + ".well-known/genid/"


def values(iris) -> str:
    """A SPARQL VALUES body for IRIs (only ever IRIs that came out of the store)."""
    return " ".join(f"<{i}>" for i in iris)


# ---------------------------------------------------------------------------
# Entity summaries
# ---------------------------------------------------------------------------

def most_specific_type(types: set[str]) -> str:
    best = min((TYPE_RANK[t] for t in types if t in TYPE_RANK), default=None)
    return ENTITY_TYPES[best][0] if best is not None else "Thing"


# The date of an instant ?t, as variables ?e ?l ?prec ?w ?vd ?vm ?vy (see describe() on query shape).
INSTANT = """?t cse:earliest ?e ; cse:latest ?l ; cse:precision ?prec .
    OPTIONAL { ?t cse:wording ?w } OPTIONAL { ?t time:inXSDDate ?vd }
    OPTIONAL { ?t time:inXSDgYearMonth ?vm } OPTIONAL { ?t time:inXSDgYear ?vy }"""


def _date_dict(row) -> dict | None:
    if row.get("e") is None:
        return None
    value = row.get("v")
    wording = row.get("w")
    prec = row.get("prec")
    return {
        "text": str(wording) if wording is not None else (str(value) if value is not None else f"{row['e']} – {row['l']}"),
        "earliest": str(row["e"]),
        "latest": str(row["l"]),
        "precision": str(prec).rsplit("/", 1)[-1] if prec is not None else "range",
    }


BULK = 3000   # beyond this many IRIs, whole-graph queries beat thousands of anchored lookups


INDEX_FILE = "entities.pickle"


def entity_index(store: Store) -> dict[str, dict]:
    """describe() for every named entity (an IRI with a label), in a few whole-graph queries.

    The build computes it while the compiled graph is still in memory and keeps it beside the
    store, so describe() needs no query at all for named entities; on the on-disk store every
    term a query returns costs a dictionary lookup, which is what makes describing tens of
    thousands of entities slow at a million triples.
    """
    q = f"""SELECT DISTINCT ?s WHERE {{ ?s rdfs:label ?l .
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}") && !CONTAINS(STR(?s), "/.well-known/genid/")) }}"""
    ids = sorted(str(r["s"]) for r in store.select(q))
    return _describe_bulk(store, {i: {"id": i, "label": compact(i), "type": "Thing", "date": None} for i in ids})


def _stored_index(store: Store) -> dict[str, dict]:
    """The build's entity index for an embedded store ({} for a remote store or an old build)."""
    idx = getattr(store, "_entity_index", None)
    if idx is None:
        idx = {}
        cache_dir = getattr(store, "cache_dir", None)
        if cache_dir is not None:
            import pickle

            try:
                with open(cache_dir / INDEX_FILE, "rb") as fh:
                    idx = pickle.load(fh)
            except (OSError, pickle.UnpicklingError, EOFError):
                idx = {}
        store._entity_index = idx
    return idx


def describe(store: Store, iris) -> dict[str, dict]:
    """{iri: {"id", "label", "type", "date"}} for each IRI (date None when undated)."""
    iris = list(dict.fromkeys(iris))
    idx = _stored_index(store)
    out: dict[str, dict] = {}
    rest = []
    for i in iris:
        known = idx.get(i)
        if known is not None:
            out[i] = {**known, "date": dict(known["date"]) if known["date"] else None}
        else:
            rest.append(i)
    if rest:
        out.update(_describe(store, rest))
    return {i: out[i] for i in iris}


def _describe(store: Store, iris: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {i: {"id": i, "label": compact(i), "type": "Thing", "date": None} for i in iris}
    if not iris:
        return out
    if len(iris) > BULK:
        return _describe_bulk(store, out)
    for chunk in _chunks(iris, 500):
        v = values(chunk)
        types: dict[str, set] = {}
        for r in store.select(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {v} }} ?s a ?t }}"):
            types.setdefault(r["s"], set()).add(str(r["t"]))
        for s, ts in types.items():
            out[s]["type"] = most_specific_type(ts)
        for r in store.select(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {v} }} ?s rdfs:label ?l }}"):
            out[r["s"]]["label"] = str(r["l"])
        # k: 0 = its own moment, 1 = the start of its span, 2 = its document's date (recommendations)
        # Explicit, anchored patterns only: on pyoxigraph a VALUES on the predicate position or an
        # OPTIONAL over a property-path alternative scans every instant in the store (seconds at 1M
        # triples); every pattern stays inside its anchored UNION branch (an outer VALUES is not
        # pushed into unions), and BIND comes last so it does not split the branch's pattern.
        q = f"""SELECT ?s ?k ?t ?e ?l ?prec ?w ?vd ?vm ?vy WHERE {{
            {{ VALUES ?s {{ {v} }} ?s time:hasTime ?t . {INSTANT} BIND(0 AS ?k) }}
            UNION {{ VALUES ?s {{ {v} }} ?s time:hasBeginning ?t . {INSTANT} BIND(1 AS ?k) }}
            UNION {{ VALUES ?s {{ {v} }} ?s cse:madeIn ?doc . ?doc time:hasTime ?t . {INSTANT} BIND(2 AS ?k) }}
        }}"""
        instants: dict[tuple, dict] = {}
        for r in store.select(q):
            instants[(r["s"], int(str(r["k"])), r["t"])] = {**r, "v": r["vd"] or r["vm"] or r["vy"]}
        best: dict[str, tuple] = {}
        for (s_, k, _), row in instants.items():
            d = _date_dict(row)
            if d and (s_ not in best or (k, d["earliest"]) < best[s_][0]):
                best[s_] = ((k, d["earliest"]), d)
        for s_, (_, d) in best.items():
            out[s_]["date"] = d
    return out


def _describe_bulk(store: Store, out: dict[str, dict]) -> dict[str, dict]:
    """describe() for large sets: one query per entity type, one for labels, one per date route."""
    for name, cls in reversed(ENTITY_TYPES):      # most specific type written last, so it wins
        for r in store.select(f"SELECT ?s WHERE {{ ?s a <{cls}> }}"):
            if r["s"] in out:
                out[r["s"]]["type"] = name
    for r in store.select(f"""SELECT ?s ?l WHERE {{ ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), "{ID}")) }}"""):
        if r["s"] in out:
            out[r["s"]]["label"] = str(r["l"])
    best: dict[str, tuple] = {}
    for k, route in enumerate(("?s time:hasTime ?t .", "?s time:hasBeginning ?t .", "?s cse:madeIn ?doc . ?doc time:hasTime ?t .")):
        for r in store.select(f"SELECT ?s ?e ?l ?prec ?w ?vd ?vm ?vy WHERE {{ {route} {INSTANT} }}"):
            if r["s"] not in out:
                continue
            d = _date_dict({**r, "v": r["vd"] or r["vm"] or r["vy"]})
            if d and (r["s"] not in best or (k, d["earliest"]) < best[r["s"]][0]):
                best[r["s"]] = ((k, d["earliest"]), d)
    for s_, (_, d) in best.items():
        out[s_]["date"] = d
    return out


def _chunks(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


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
