"""The entity index: label, type and date of every named entity, computed by the build and kept beside
the store, so describe() needs no query for named entities.  Below the build (which writes the index)
and above only the engines and the vocabulary.
"""

from __future__ import annotations

from .engine import Store
from .vocab import ENTITY_TYPES, GENID_PATH, ID, TYPE_RANK, compact


def to_int(v) -> int | None:
    """A literal's integer value, or None when its lexical form is not an integer ("many"^^xsd:integer
    is reported by `cse-graph validate`; readers skip it instead of failing)."""
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


def to_decimal(v):
    from decimal import Decimal, InvalidOperation

    try:
        d = Decimal(str(v).strip())
    except (InvalidOperation, TypeError, ValueError):
        return None
    return d if d.is_finite() else None


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


def date_dict(row) -> dict | None:
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
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}") && !CONTAINS(STR(?s), "{GENID_PATH}")) }}"""
    ids = sorted(str(r["s"]) for r in store.select(q))
    return describe_bulk(store, {i: {"id": i, "label": compact(i), "type": "Thing", "date": None} for i in ids})


def stored_index(store: Store) -> dict[str, dict]:
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
    idx = stored_index(store)
    out: dict[str, dict] = {}
    rest = []
    for i in iris:
        known = idx.get(i)
        if known is not None:
            out[i] = {**known, "date": dict(known["date"]) if known["date"] else None}
        else:
            rest.append(i)
    if rest:
        out.update(describe_anchored(store, rest))
    return {i: out[i] for i in iris}


def describe_anchored(store: Store, iris: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {i: {"id": i, "label": compact(i), "type": "Thing", "date": None} for i in iris}
    if not iris:
        return out
    if len(iris) > BULK:
        return describe_bulk(store, out)
    for chunk in chunks(iris, 500):
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
            d = date_dict(row)
            if d and (s_ not in best or (k, d["earliest"]) < best[s_][0]):
                best[s_] = ((k, d["earliest"]), d)
        for s_, (_, d) in best.items():
            out[s_]["date"] = d
    return out


def describe_bulk(store: Store, out: dict[str, dict]) -> dict[str, dict]:
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
            d = date_dict({**r, "v": r["vd"] or r["vm"] or r["vy"]})
            if d and (r["s"] not in best or (k, d["earliest"]) < best[r["s"]][0]):
                best[r["s"]] = ((k, d["earliest"]), d)
    for s_, (_, d) in best.items():
        out[s_]["date"] = d
    return out


def chunks(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]
