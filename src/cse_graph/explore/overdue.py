"""What never came: recommendations with no recorded response within N months of their document.

The rule is the query file ``queries/analyses/overdue-recommendations.rq`` (the threshold and the
end of the record are its parameters); this module fills them in and describes the answer.
``gaps --overdue MONTHS`` adds the list to the stock-take as ``"overdue"``.

* lag: whole calendar months between earliest date bounds, as ``gaps`` counts it;
* with a response: the lag to the first one, overdue when it is *more than* MONTHS (a response
  exactly MONTHS later is within the threshold);
* without: the lag to the end of the record (the latest date bound of any document), so a
  recommendation made less than MONTHS before the record ends is not (yet) overdue;
* recommendations of undated documents are left out: no lag can be computed.
"""

from __future__ import annotations

from ..store import Store
from .analysis_queries import analysis_query, date_term
from .description import describe
from .lineage import months_between
from .sparql import values


def record_end(store: Store) -> str | None:
    rows = store.select(analysis_query("record-end"))
    return str(rows[0]["end"]) if rows and rows[0].get("end") is not None else None


def overdue(store: Store, months: int) -> list[dict]:
    """``[{"id", "label", "made_in", "made_in_label", "date", "lag_months", "measured_to", "first_response"}]``,
    longest lag first. ``measured_to`` is ``"first response"`` or ``"end of record (YYYY-MM-DD)"``."""
    if months < 0:
        raise ValueError("--overdue takes a number of months ≥ 0")
    end = record_end(store)
    if end is None:
        return []
    rows = store.select(analysis_query("overdue-recommendations", months=str(int(months)), recordEnd=date_term(end)))
    found = {str(r["rec"]): (str(r["doc"]), int(str(r["lag"])), str(r["responded"]) == "true") for r in rows}
    if not found:
        return []
    responded = [r for r, (_, _, yes) in found.items() if yes]
    effects: dict[str, set] = {}
    if responded:
        q = f"""SELECT ?rec ?eff WHERE {{ VALUES ?rec {{ {values(responded)} }}
            ?eff prov:qualifiedInfluence ?q . ?q prov:influencer ?rec .
            {{ ?q a cse:Prompting }} UNION {{ ?q a cse:Informing FILTER NOT EXISTS {{ ?eff a cse:Report }} }} }}"""
        for r in store.select(q):
            effects.setdefault(str(r["rec"]), set()).add(str(r["eff"]))
    info = describe(store, set(found) | {d for d, _, _ in found.values()} | {e for es in effects.values() for e in es})
    out = []
    for rec, (doc, lag, yes) in found.items():
        fr = None
        if yes:
            dated = [(months_between(info[doc]["date"], info[e]["date"]), info[e]["label"], e)
                     for e in effects.get(rec, ()) if info[e]["date"]]
            dated = [x for x in dated if x[0] is not None]
            if dated:
                _, _, e = min(dated)
                fr = {"id": e, "label": info[e]["label"], "date": info[e]["date"]}
        out.append({"id": rec, "label": info[rec]["label"], "made_in": doc, "made_in_label": info[doc]["label"],
                    "date": info[doc]["date"], "lag_months": lag,
                    "measured_to": "first response" if yes else f"end of record ({end})", "first_response": fr})
    out.sort(key=lambda x: (-x["lag_months"], x["date"]["earliest"] if x["date"] else "9999", x["label"], x["id"]))
    return out
