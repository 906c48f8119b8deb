"""The stock-take Drew's first recommendation asks for: every document and recommendation, the
responses the graph records (with their lag), and those with no recorded response at all.

Three states are kept apart when nothing is recorded as a response:
* "documented as missed" — a cse:MissedOpportunity says a source judged it ignored;
* "outcome unknown" — a cse:OutcomeUnknown says the source could not establish what became of it
  ("I have not been able to find out what happened with this report");
* "no response recorded" — the graph holds nothing either way, which may only mean the sources are silent.

A *response* is anything the graph says was prompted by the document (or one of its
recommendations), and any action, plan or operation that drew on it. A later *report* that
drew on it is a citation, not a response: those are listed as ``cited_by``.
"""

from __future__ import annotations

from ..entities import to_int
from ..store import Store
from .description import concept_name, describe
from .evidence import evidence_of
from .lineage import months_between

# One branch per class, so the class comes back as a short string rather than an IRI to decode.
_RESPONSES = "SELECT ?cause ?effect ?q ?rel ?conf WHERE { " + " UNION ".join(
    f"{{ ?effect prov:qualifiedInfluence ?q . ?q a cse:{cls} ; prov:influencer ?cause ; cse:confidence ?conf . "
    f'BIND("{rel}" AS ?rel) }}' for cls, rel in (("Prompting", "prompted"), ("Informing", "informed"))) + " }"

STATUSES = ("responded", "responded and documented as missed", "documented as missed", "outcome unknown",
            "no response recorded")


def _status(responses: list, missed: list, unknown: list = ()) -> str:
    """A recorded response or a judged miss outranks an unknown outcome; silence comes last."""
    if responses and missed:
        return STATUSES[1]
    if responses:
        return STATUSES[0]
    if missed:
        return STATUSES[2]
    if unknown:
        return STATUSES[3]
    return STATUSES[4]


def _unique(items: list[dict]) -> list[dict]:
    """Drop repeats by id, keeping the first (an unknown outcome may cover a report and its recommendation)."""
    seen: set[str] = set()
    return [i for i in items if not (i["id"] in seen or seen.add(i["id"]))]


def gaps(store: Store) -> dict:
    """``{"summary", "documents": [...], "recommendations": [...]}`` — see README for the fields."""
    docs = [str(r["d"]) for r in store.select("SELECT ?d WHERE { ?d a cse:Document }")]
    stated = {str(r["d"]): to_int(r["n"]) for r in store.select("SELECT ?d ?n WHERE { ?d cse:statedRecommendationCount ?n }")
              if to_int(r["n"]) is not None}
    recs: dict[str, list[str]] = {}
    numbers = {}
    for r in store.select("SELECT ?r ?d ?n WHERE { ?r a cse:Recommendation ; cse:madeIn ?d OPTIONAL { ?r cse:number ?n } }"):
        recs.setdefault(str(r["d"]), []).append(str(r["r"]))
        if r["n"] is not None:
            numbers[str(r["r"])] = to_int(r["n"])
    responses: dict[str, list[dict]] = {}
    cited_by: dict[str, list[str]] = {}
    reports = {str(r["d"]) for r in store.select("SELECT ?d WHERE { ?d a cse:Report }")}
    for r in store.select(_RESPONSES):
        rel = str(r["rel"])
        if rel == "informed" and str(r["effect"]) in reports:   # a later report drew on it: a citation
            cited_by.setdefault(str(r["cause"]), []).append(str(r["effect"]))
            continue
        responses.setdefault(str(r["cause"]), []).append({
            "id": str(r["effect"]), "qualified": str(r["q"]), "relation": rel, "confidence": concept_name(r["conf"])})
    missed: dict[str, list[str]] = {}
    for r in store.select("SELECT ?m ?x WHERE { ?m a cse:MissedOpportunity ; cse:ignored ?x }"):
        missed.setdefault(str(r["x"]), []).append(str(r["m"]))
    unknown: dict[str, list[str]] = {}
    for r in store.select("SELECT ?u ?x WHERE { ?u a cse:OutcomeUnknown ; cse:outcomeOf ?x }"):
        unknown.setdefault(str(r["x"]), []).append(str(r["u"]))

    all_recs = [r for rs in recs.values() for r in rs]
    ids = (set(docs) | set(all_recs) | {x["id"] for xs in responses.values() for x in xs}
           | {m for ms in missed.values() for m in ms} | {u for us in unknown.values() for u in us}
           | {c for cs in cited_by.values() for c in cs})
    info = describe(store, ids)

    def by_date(x: str):
        return ((info[x]["date"] or {}).get("earliest", "9999"), info[x]["label"], x)

    docs.sort(key=by_date)   # the engine's row order is not an order: fix one, for stable output
    ev = evidence_of(store, {x["qualified"] for xs in responses.values() for x in xs})

    def resp_list(cause: str, via: str | None = None) -> list[dict]:
        out = []
        for x in responses.get(via or cause, []):
            out.append({"id": x["id"], "label": info[x["id"]]["label"], "type": info[x["id"]]["type"],
                        "date": info[x["id"]]["date"], "relation": x["relation"], "confidence": x["confidence"],
                        "via": via, "lag_months": months_between(info[cause]["date"], info[x["id"]]["date"]),
                        "evidence": ev.get(x["qualified"], [])})
        return sorted(out, key=lambda x: ((x["date"] or {}).get("earliest", "9999"), x["label"], x["id"], x["relation"]))

    def missed_list(x: str) -> list[dict]:
        return [{"id": m, "label": info[m]["label"]} for m in sorted(set(missed.get(x, [])))]

    def unknown_list(x: str) -> list[dict]:
        return [{"id": u, "label": info[u]["label"]} for u in sorted(set(unknown.get(x, [])))]

    rec_out = []
    for d in docs:
        for r in sorted(recs.get(d, []), key=lambda r: (numbers.get(r, 999), info[r]["label"], r)):
            rs = resp_list(d, via=r)
            ms = missed_list(r)
            us = unknown_list(r)
            rec_out.append({"id": r, "label": info[r]["label"], "number": numbers.get(r), "made_in": d,
                            "made_in_label": info[d]["label"], "status": _status(rs, ms, us), "responses": rs,
                            "documented_missed": ms, "outcome_unknown": us})
    rec_by_doc: dict[str, list[dict]] = {}
    for r in rec_out:
        rec_by_doc.setdefault(r["made_in"], []).append(r)

    doc_out = []
    for d in docs:
        direct = resp_list(d)
        via = [x for r in rec_by_doc.get(d, []) for x in r["responses"]]
        allr = sorted(direct + via, key=lambda x: ((x["date"] or {}).get("earliest", "9999"), x["label"], x["id"], x["relation"]))
        ms = missed_list(d) + [m for r in rec_by_doc.get(d, []) for m in r["documented_missed"]]
        us = _unique(unknown_list(d) + [u for r in rec_by_doc.get(d, []) for u in r["outcome_unknown"]])
        lags = [x["lag_months"] for x in allr if x["lag_months"] is not None]
        modelled = rec_by_doc.get(d, [])
        doc_out.append({
            "id": d, "label": info[d]["label"], "type": info[d]["type"], "date": info[d]["date"],
            "stated_recommendations": stated.get(d), "modelled_recommendations": len(modelled),
            "recommendations_with_response": sum(1 for r in modelled if r["responses"]),
            "responses": allr, "first_response_lag_months": min(lags) if lags else None,
            "documented_missed": ms, "outcome_unknown": us, "status": _status(allr, ms, us),
            "cited_by": [{"id": c, "label": info[c]["label"]} for c in sorted(set(cited_by.get(d, [])), key=lambda c: (info[c]["label"], c))],
        })
    doc_out.sort(key=lambda x: ((x["date"] or {}).get("earliest", "9999"), x["label"], x["id"]))

    def count(items, status):
        return sum(1 for i in items if i["status"] == status)

    summary = {
        "documents": len(doc_out),
        "documents_by_status": {s: count(doc_out, s) for s in STATUSES},
        "recommendations_stated": sum(stated.values()),
        "documents_stating_a_count": len(stated),
        "recommendations_modelled": len(rec_out),
        "recommendations_by_status": {s: count(rec_out, s) for s in STATUSES},
    }
    return {"summary": summary, "documents": doc_out, "recommendations": rec_out}
