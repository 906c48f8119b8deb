"""Which lessons recur: recommendations and findings of different documents that ask or say the
same thing, how often, over how many years, and whether any occurrence got a recorded response.

A group is **data someone checked**: a ``cse:Recurrence`` in ``data/recurrence.ttl`` whose every
member (``cse:Echo``) carries its own verbatim passage. Text similarity only *proposes* groups
(:func:`suggest`, ``cse-graph recurrence --suggest``): TF-IDF over each item's label and
description with scikit-learn — a maintained, dependency-light library whose vectoriser and cosine
similarity are exactly this job, deterministic, and with no model to download (embeddings would
need one). A curator reads the proposals and writes the groups that hold up.
"""

from __future__ import annotations

from ..store import Store
from .analysis_queries import analysis_query
from .description import concept_name, describe
from .evidence import evidence_of
from .sparql import values


def _year(date: dict | None) -> int | None:
    return int(date["earliest"][:4]) if date else None


def recurrence(store: Store, min_documents: int = 2) -> dict:
    """``{"groups": [{"id", "label", "description", "members": [{"id", "label", "type", "document",
    "document_label", "year", "confidence", "evidence"}], "documents", "years", "span_years", "responses"}]}``,
    widest span of years first; only groups whose members come from at least ``min_documents`` documents."""
    rows = store.select(analysis_query("recurrence"))
    groups: dict[str, dict] = {}
    for r in rows:
        g = groups.setdefault(str(r["group"]), {"label": str(r["glabel"]),
                                                "description": str(r["gdesc"]) if r["gdesc"] is not None else None,
                                                "members": {}})
        g["members"].setdefault(str(r["member"]), {"echo": str(r["echo"]), "confidence": concept_name(r["conf"]),
                                                   "document": str(r["doc"]) if r["doc"] is not None else None})
    members = {m for g in groups.values() for m in g["members"]}
    docs = {x["document"] for g in groups.values() for x in g["members"].values() if x["document"]}
    responses: dict[str, list[dict]] = {}
    if members:
        q = f"""SELECT ?cause ?effect ?rel WHERE {{ VALUES ?cause {{ {values(members)} }}
            ?effect prov:qualifiedInfluence ?q . ?q prov:influencer ?cause .
            {{ ?q a cse:Prompting BIND("prompted" AS ?rel) }}
            UNION {{ ?q a cse:Informing FILTER NOT EXISTS {{ ?effect a cse:Report }} BIND("informed" AS ?rel) }} }}"""
        for r in store.select(q):
            responses.setdefault(str(r["cause"]), []).append({"effect": str(r["effect"]), "relation": str(r["rel"])})
    info = describe(store, members | docs | {x["effect"] for xs in responses.values() for x in xs})
    ev = evidence_of(store, {x["echo"] for g in groups.values() for x in g["members"].values()})
    out = []
    for gid, g in groups.items():
        ms = []
        for m, x in g["members"].items():
            d = x["document"]
            ms.append({"id": m, "label": info[m]["label"], "type": info[m]["type"], "document": d,
                       "document_label": info[d]["label"] if d else None,
                       "year": _year(info[d]["date"]) if d else _year(info[m]["date"]),
                       "confidence": x["confidence"], "evidence": ev.get(x["echo"], [])})
        ms.sort(key=lambda x: (x["year"] if x["year"] is not None else 9999, x["document_label"] or "", x["label"], x["id"]))
        ndocs = len({x["document"] for x in ms if x["document"]})
        if ndocs < min_documents:
            continue
        years = sorted({x["year"] for x in ms if x["year"] is not None})
        resp = []
        for x in ms:
            for y in responses.get(x["id"], []):
                e = y["effect"]
                resp.append({"id": e, "label": info[e]["label"], "type": info[e]["type"], "date": info[e]["date"],
                             "relation": y["relation"], "responds_to": x["id"]})
        resp.sort(key=lambda y: ((y["date"] or {}).get("earliest", "9999"), y["label"], y["id"], y["responds_to"]))
        out.append({"id": gid, "label": g["label"], "description": g["description"], "members": ms,
                    "documents": ndocs, "years": years, "span_years": (years[-1] - years[0]) if years else 0,
                    "responses": resp})
    out.sort(key=lambda g: (-g["span_years"], -len(g["members"]), g["label"], g["id"]))
    return {"groups": out}


_ITEMS = """SELECT ?s ?kind ?doc ?text WHERE {
  { ?s a cse:Recommendation BIND("recommendation" AS ?kind) } UNION { ?s a cse:Finding BIND("finding" AS ?kind) }
  ?s cse:madeIn ?doc .
  { ?s rdfs:label ?text } UNION { ?s dct:description ?text }
}"""


def suggest(store: Store, threshold: float = 0.3, limit: int = 30) -> dict:
    """Proposed groups by text similarity — never facts. ``{"method", "threshold", "proposals": [{"score",
    "members": [{"id", "label", "document_label", "year", "confirmed_in"}]}]}``.

    Items (recommendations and findings) are linked when the cosine similarity of their TF-IDF
    vectors (English stop words removed, unigrams and bigrams, sublinear tf) reaches ``threshold``
    and they come from different documents; a proposal is a connected set of linked items. Members
    already in a curated group name it in ``confirmed_in``.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    texts: dict[str, list[str]] = {}
    doc_of: dict[str, str] = {}
    for r in store.select(_ITEMS):
        s = str(r["s"])
        texts.setdefault(s, []).append(str(r["text"]))
        doc_of[s] = str(r["doc"])
    ids = sorted(texts)
    method = ("TF-IDF (scikit-learn TfidfVectorizer: English stop words, 1–2-grams, sublinear tf) over label and "
              "description; cosine similarity; items of different documents linked at or above the threshold; "
              "connected sets proposed")
    if len(ids) < 2:
        return {"method": method, "threshold": threshold, "proposals": []}
    vec = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    m = vec.fit_transform([" ".join(sorted(texts[i])) for i in ids])
    sim = cosine_similarity(m, dense_output=False).tocoo()
    parent = list(range(len(ids)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    best: dict[int, float] = {}
    for a, b, v in zip(sim.row, sim.col, sim.data):
        if a < b and v >= threshold and doc_of[ids[a]] != doc_of[ids[b]]:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
            best[a] = max(best.get(a, 0.0), float(v))
            best[b] = max(best.get(b, 0.0), float(v))
    sets: dict[int, list[int]] = {}
    for i in best:
        sets.setdefault(find(i), []).append(i)
    confirmed: dict[str, list[str]] = {}
    for r in store.select("SELECT ?m ?g WHERE { ?g a cse:Recurrence ; cse:hasEcho ?e . ?e cse:echoOf ?m }"):
        confirmed.setdefault(str(r["m"]), []).append(str(r["g"]))
    info = describe(store, set(ids) | set(doc_of.values()) | {g for gs in confirmed.values() for g in gs})
    proposals = []
    for members in sets.values():
        ms = [{"id": ids[i], "label": info[ids[i]]["label"], "document_label": info[doc_of[ids[i]]]["label"],
               "year": _year(info[doc_of[ids[i]]]["date"]),
               "confirmed_in": sorted(info[g]["label"] for g in confirmed.get(ids[i], []))} for i in members]
        ms.sort(key=lambda x: (x["year"] or 9999, x["label"], x["id"]))
        proposals.append({"score": round(max(best[i] for i in members), 3), "members": ms})
    proposals.sort(key=lambda p: (-len(p["members"]), -p["score"], p["members"][0]["label"]))
    return {"method": method, "threshold": threshold, "proposals": proposals[:limit] if limit else proposals}
