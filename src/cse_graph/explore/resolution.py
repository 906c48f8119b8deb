"""Resolving what the user typed (an IRI, a prefixed name or a fuzzy label) to one entity, with suggestions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import NoAnswer
from ..store import Store
from ..vocab import BASE, FAMILY, GENID_PATH, ID, compact, expand
from .description import describe


class NotFound(NoAnswer, LookupError):
    def __init__(self, text: str, suggestions: list[dict], ambiguous: bool = False, what: str | None = None):
        self.text, self.suggestions, self.ambiguous = text, suggestions, ambiguous
        hint = "; ".join(f"{s['label']} ({compact(s['id'])})" for s in suggestions[:5])
        what = what or ("is ambiguous" if ambiguous else "matches nothing")
        super().__init__(f"{text!r} {what}" + (f". Did you mean: {hint}?" if hint else ""))


_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")
_YEAR_PAREN = re.compile(r"\s*\([^)]*\)\s*$")


def normalise_name(text: str) -> str:
    """A name folded for matching: accents and apostrophes dropped, punctuation to spaces, lower case.

    >>> normalise_name("Operation  Clover’s (2013)")
    'operation clovers 2013'
    >>> normalise_name("Sheffield-Rotherham")
    'sheffield rotherham'
    """
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    t = t.replace("'", "").replace("’", "")
    return _SPACE.sub(" ", _PUNCT.sub(" ", t)).strip()


@dataclass
class Name:
    iri: str
    text: str
    pref: bool


def all_names(store: Store) -> list[Name]:
    q = f"""SELECT ?s ?l ?p WHERE {{
        {{ ?s rdfs:label ?l BIND(true AS ?p) }} UNION {{ ?s skos:altLabel ?l BIND(false AS ?p) }}
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")
               && !CONTAINS(STR(?s), "{GENID_PATH}") && !CONTAINS(STR(?s), "/ontology"))
    }}"""
    return [Name(str(r["s"]), str(r["l"]), str(r["p"]) == "true") for r in store.select(q)]


def score(query: str, name: str, iri: str) -> float:
    """How well a typed query matches a name (1.0 exact, ~0.9 strong, <0.6 weak)."""
    q, n = normalise_name(query), normalise_name(name)
    if not q:
        return 0.0
    if q == n:
        return 1.0
    slug = iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
    if q == slug:
        return 0.99
    bare = normalise_name(_YEAR_PAREN.sub("", name))
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


def exact_name(store: Store, text: str) -> str | None:
    """The one entity whose name is ``text`` ignoring case (evaluated by the engine, no Python loop)."""
    lit = text.strip().lower().replace("\\", "\\\\").replace('"', '\\"')
    if not lit or "\n" in lit:
        return None
    rows = store.select(f"""SELECT DISTINCT ?s WHERE {{ ?s rdfs:label|skos:altLabel ?l
        FILTER(LCASE(STR(?l)) = "{lit}" && STRSTARTS(STR(?s), "{ID}")) }} LIMIT 2""")
    return str(rows[0]["s"]) if len(rows) == 1 else None


# Which kinds a name most likely means, in order: the main kinds first (documents, operations, people,
# organisations, actions, events, recommendations), then the rest; ambiguity notes, findings, figures,
# observations and concepts rank below every main kind (their score counts MINOR_PENALTY less).
KIND_ORDER = ["document", "operation", "person", "agency", "action", "event", "recommendation", "missed", "unknown",
              "recurrence", "place", "post", "ambiguity", "finding", "statistics", "concept", "other"]
MINOR_KINDS = {"ambiguity", "finding", "statistics", "concept", "other"}
MINOR_PENALTY = 0.1
KIND_NAMES = {"document": "document", "operation": "operation", "person": "person", "agency": "organisation",
              "action": "action", "event": "event", "recommendation": "recommendation",
              "missed": "missed opportunity", "unknown": "unknown outcome", "recurrence": "recurring lesson",
              "place": "place", "post": "post", "ambiguity": "ambiguity note",
              "finding": "finding", "statistics": "statistic", "concept": "concept", "other": "thing"}


def kind_of(info: dict) -> str:
    kind = FAMILY.get(info.get("type", "Thing"), "other")
    return kind if kind in KIND_NAMES else "other"


def _ordered(store: Store, ranked: list[tuple[float, str, str]]) -> list[dict]:
    """Candidates best first: by score, a minor kind counting MINOR_PENALTY less, ties by kind order."""
    info = describe(store, [i for _, i, _ in ranked])
    out = []
    for s, i, l in ranked:
        kind = kind_of(info[i])
        eff = s - (MINOR_PENALTY if kind in MINOR_KINDS else 0.0)
        out.append({"id": i, "label": l, "score": round(s, 3), "effective": round(eff, 3), "kind": kind})
    out.sort(key=lambda c: (-c["effective"], KIND_ORDER.index(c["kind"]), c["label"]))
    return out


def resolve(store: Store, text: str, kinds: set[str] | frozenset[str] | None = None) -> str:
    """An entity IRI for an IRI, a prefixed name or a (fuzzy) label; NotFound otherwise.

    ``kinds`` (families such as {"place"}) restricts the answer, and the suggestions, to those
    kinds. A unique best at a clear margin resolves; otherwise the suggestions come best first,
    main kinds before ambiguity notes, findings, figures and observations.
    """
    what = " or ".join(KIND_NAMES.get(k, k) for k in sorted(kinds)) if kinds else None

    def allowed(i: str) -> bool:
        return not kinds or kind_of(describe(store, [i])[i]) in kinds

    iri = expand(text)
    if iri and store.select(f"SELECT ?t WHERE {{ <{iri}> ?p ?o }} LIMIT 1"):
        if allowed(iri):
            return iri
        kind = KIND_NAMES.get(kind_of(describe(store, [iri])[iri]), "thing")
        article = "an" if kind[0] in "aeiou" else "a"
        raise NotFound(text, _kind_suggestions(store, kinds), what=f"is {article} {kind}, not a {what}")
    exact = exact_name(store, text)
    if exact and allowed(exact):
        return exact
    names = all_names(store)
    if kinds:
        info = describe(store, {n.iri for n in names})
        names = [n for n in names if kind_of(info[n.iri]) in kinds]
    cands = _ordered(store, rank_names(store, text, limit=40, names=names))
    sugg = [c for c in cands if c["score"] >= 0.45][:8]
    if cands:
        top = cands[0]
        second = cands[1]["effective"] if len(cands) > 1 else 0.0
        if top["score"] >= 0.96 and second < top["effective"]:
            return top["id"]                          # an exact name, slug or name without its year
        if top["effective"] >= 0.85 and top["effective"] - second >= 0.05:
            return top["id"]                          # a clear best (typos forgiven)
        words = set(normalise_name(text).split())
        holders = {n.iri for n in names if words and words <= set(normalise_name(n.text).split())}
        held = [c for c in cands if c["id"] in holders]
        held += [{"id": i, "label": compact(i), "kind": "other"} for i in sorted(holders - {c["id"] for c in held})]
        main = [c for c in held if c["kind"] not in MINOR_KINDS]
        if len(held) == 1:                            # the only entity whose name has every word typed
            return held[0]["id"]
        if len(main) == 1:                            # … or the only one of a main kind
            return main[0]["id"]
        if held:
            raise NotFound(text, held[:8], ambiguous=True)
    raise NotFound(text, sugg or (_kind_suggestions(store, kinds) if kinds else []),
                   what=f"matches no {what}" if what else None)


def _kind_suggestions(store: Store, kinds) -> list[dict]:
    """Every entity of the given kinds (for a short list such as places), best known first."""
    if not kinds:
        return []
    names = [n for n in all_names(store) if n.pref]
    info = describe(store, {n.iri for n in names})
    return sorted(({"id": n.iri, "label": n.text} for n in names if kind_of(info[n.iri]) in kinds),
                  key=lambda c: (info[c["id"]].get("type") != "District", c["label"]))[:8]
