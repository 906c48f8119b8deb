"""Who could have known what, when: everything that existed on or before a date, which of it had
reached a named body, which recommendations were still open, what had been done in response and
which opportunities had already been missed.

The rule for dates (the same for every item, written into the query files in
``queries/analyses/known-*.rq``): the date asked about is a period (``2008`` is the whole year,
``2008-01`` the month) and its *last day* is the cut-off. An item is compared on its bounds:

* ``"before"``    — its latest bound is on or before the cut-off: it certainly existed by then;
* ``"straddles"`` — its earliest bound is on or before the cut-off but its latest is after it
  ("2007/8" asked about at 2008-01): it may or may not have existed yet. It is **listed, marked
  "straddles"**, never silently counted as known; the text form says "possibly";
* anything whose earliest bound is after the cut-off is left out, and undated items are left out
  (their number is given as ``undated_documents``).

A recommendation is *open* at the date when no response to it is dated wholly before the
cut-off; ``status`` is ``"possibly answered"`` when its only response by then straddles the date.
A receipt (the text says a document was sent, presented, briefed … to a body) the text does not
date counts from its document's date, with ``timing: "undated"``.
"""

from __future__ import annotations

from ..store import Store
from ..text import plural
from .analysis_queries import analysis_query, date_term, iri_term, parse_as_of
from .description import concept_name, describe
from .evidence import evidence_of
from .sparql import values

RULE = ("An item is listed when its earliest date bound is on or before the cut-off (the last day of the date asked "
        "about): 'before' when its latest bound is too (it certainly existed), 'straddles' when its range spans the "
        "cut-off (it may not have existed yet). Undated items are left out. A receipt the text does not date is "
        "'undated' and counts from its document's date.")

_TIMING_ORDER = {"before": 0, "straddles": 1, "undated": 2}


def _when(info: dict, x: str):
    return ((info[x]["date"] or {}).get("earliest", "9999"), info[x]["label"], x)


def known(store: Store, at: str, by: str | None = None) -> dict:
    """``{"at", "cutoff", "rule", "by", "documents", "open_recommendations", "responses_by_then",
    "missed_so_far", "undated_documents"}`` — see the README for every field.

    ``at``: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; ``by``: an entity IRI (an agency, unit, post or
    person) — then each document's ``reached`` lists only receipts by that body, its units, its
    posts or their holders.
    """
    period = parse_as_of(at)
    cutoff = date_term(period["latest"])
    docs: dict[str, str] = {}
    for r in store.select(analysis_query("known-documents", cutoff=cutoff)):
        if docs.get(str(r["doc"])) != "before":     # a document with two instants keeps the certain one
            docs[str(r["doc"])] = str(r["timing"])
    if by:
        receipt_rows = store.select(analysis_query("known-receipts", cutoff=cutoff, body=iri_term(by)))
    else:
        receipt_rows = store.select(analysis_query("known-receipts-all", cutoff=cutoff))
    receipts: dict[str, list[dict]] = {}
    for r in receipt_rows:
        receipts.setdefault(str(r["doc"]), []).append({
            "node": str(r["r"]), "recipient": str(r["recipient"]), "means": concept_name(r["means"]),
            "confidence": concept_name(r["conf"]), "timing": str(r["timing"])})
    missed = {str(r["m"]): str(r["timing"]) for r in store.select(analysis_query("known-missed", cutoff=cutoff))}
    responses = [{"cause": str(r["cause"]), "effect": str(r["effect"]), "q": str(r["q"]), "relation": str(r["rel"]),
                  "confidence": concept_name(r["conf"]), "timing": str(r["timing"])}
                 for r in store.select(analysis_query("known-responses", cutoff=cutoff))]
    recs: dict[str, str] = {}
    if docs:
        for r in store.select("SELECT ?r ?d WHERE { ?r a cse:Recommendation ; cse:madeIn ?d }"):
            if str(r["d"]) in docs:
                recs[str(r["r"])] = str(r["d"])
    known_causes = set(docs) | set(recs)
    responses = [x for x in responses if x["cause"] in known_causes]
    undated = store.select("""SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a cse:Document
        FILTER NOT EXISTS { ?d time:hasTime ?t } }""")
    ignored: dict[str, list[str]] = {}
    missed_by: dict[str, list[str]] = {}
    if missed:
        for r in store.select(f"""SELECT ?m ?p ?o WHERE {{ VALUES ?m {{ {values(missed)} }}
                {{ ?m cse:ignored ?o BIND("i" AS ?p) }} UNION {{ ?m cse:missedBy ?o BIND("b" AS ?p) }} }}"""):
            (ignored if str(r["p"]) == "i" else missed_by).setdefault(str(r["m"]), []).append(str(r["o"]))

    ids = (set(docs) | set(recs) | set(missed) | {x["effect"] for x in responses}
           | {x["recipient"] for xs in receipts.values() for x in xs}
           | {o for xs in list(ignored.values()) + list(missed_by.values()) for o in xs} | ({by} if by else set()))
    info = describe(store, ids)
    ev = evidence_of(store, {x["node"] for xs in receipts.values() for x in xs} | {x["q"] for x in responses}
                     | set(missed))

    def brief(x: str) -> dict:
        return {"id": x, "label": info[x]["label"], "type": info[x]["type"]}

    doc_out = []
    for d in sorted(docs, key=lambda d: _when(info, d)):
        reached = sorted(({**brief(x["recipient"]), "means": x["means"], "confidence": x["confidence"],
                           "timing": x["timing"], "evidence": ev.get(x["node"], [])} for x in receipts.get(d, [])),
                         key=lambda x: (_TIMING_ORDER[x["timing"]], x["label"], x["id"], x["means"] or ""))
        doc_out.append({**brief(d), "date": info[d]["date"], "timing": docs[d], "reached": reached})

    resp_out = []
    for x in responses:
        cause_label = info[x["cause"]]["label"] if x["cause"] in info else x["cause"]
        resp_out.append({**brief(x["effect"]), "date": info[x["effect"]]["date"], "timing": x["timing"],
                         "responds_to": {"id": x["cause"], "label": cause_label}, "relation": x["relation"],
                         "confidence": x["confidence"], "evidence": ev.get(x["q"], [])})
    resp_out.sort(key=lambda x: ((x["date"] or {}).get("earliest", "9999"), x["label"], x["id"], x["responds_to"]["id"]))
    seen = set()
    resp_out = [x for x in resp_out if not ((k := (x["id"], x["responds_to"]["id"], x["relation"])) in seen or seen.add(k))]

    by_cause: dict[str, list[dict]] = {}
    for x in resp_out:
        by_cause.setdefault(x["responds_to"]["id"], []).append(x)
    open_out = []
    for rec in sorted(recs, key=lambda r: (_when(info, recs[r]), info[r]["label"], r)):
        mine = by_cause.get(rec, [])
        if any(x["timing"] == "before" for x in mine):
            continue
        d = recs[rec]
        open_out.append({**brief(rec), "made_in": d, "made_in_label": info[d]["label"], "date": info[d]["date"],
                         "timing": docs[d], "status": "possibly answered" if mine else "open",
                         "responses_straddling": [{"id": x["id"], "label": x["label"]} for x in mine]})

    missed_out = []
    for m in sorted(missed, key=lambda m: _when(info, m)):
        missed_out.append({**brief(m), "date": info[m]["date"], "timing": missed[m],
                           "ignored": [brief(o) for o in sorted(set(ignored.get(m, [])), key=lambda o: (info[o]["label"], o))],
                           "missed_by": [brief(o) for o in sorted(set(missed_by.get(m, [])), key=lambda o: (info[o]["label"], o))],
                           "evidence": ev.get(m, [])})
    return {"at": period["text"], "cutoff": period["latest"], "rule": RULE,
            "by": brief(by) if by else None,
            "documents": doc_out, "open_recommendations": open_out, "responses_by_then": resp_out,
            "missed_so_far": missed_out, "undated_documents": int(str(undated[0]["n"])) if undated else 0}


def _cite(evidence: list[dict]) -> str:
    if not evidence:
        return ""
    e = evidence[0]
    return f" [“{e['quote']}” — {e['document_label']}, {e['locator']}]"


def _d(item: dict) -> str:
    d = item.get("date")
    return d["text"] if d else "undated"


def _named(item: dict, possibly: bool = False) -> str:
    """'Label (date)', the date left out when the label already says it ('Heal report (2003)')."""
    when = _d(item)
    extra = [] if when in item["label"] else [when]
    if possibly:
        extra.append("possibly")
    return f"{item['label']} ({', '.join(extra)})" if extra else item["label"]


# how a receipt reads after the document: "sent to the Chief Constable", "received by SYP"
_RECEIPT_VERB = {"received": "received by"}


def _receipt(r: dict, by_id: str) -> str:
    means = r["means"] or "reached"
    text = means if r["id"] == by_id else f"{_RECEIPT_VERB.get(means, means + ' to')} {r['label']}"
    return text if r["timing"] == "before" else f"{text} — {r['timing']}"


def narrate(result: dict) -> str:
    """The answer as a dated paragraph with citations (``known --format text``)."""
    at, docs = result["at"], result["documents"]
    by = result["by"]
    certain = [d for d in docs if d["timing"] == "before"]
    maybe = [d for d in docs if d["timing"] == "straddles"]
    parts = [f"As of {at} (cut-off {result['cutoff']}), {plural(len(certain), 'document')} already existed"
             + (f" and {len(maybe)} more possibly did (their dates straddle {at})" if maybe else "")
             + (": " + "; ".join(_named(d, d["timing"] == "straddles") for d in docs) if docs else "")
             + "."]
    reached = [d for d in docs if d["reached"]]
    if by:
        if reached:
            parts.append(f"Of these, the sources say {len(reached)} had reached {by['label']}: " + "; ".join(
                f"{d['label']} ({', '.join(sorted({_receipt(r, by['id']) for r in d['reached']}))})"  # noqa: E501
                + _cite(d["reached"][0]["evidence"]) for d in reached) + ".")
        else:
            parts.append(f"The sources record none of them as having reached {by['label']} by then.")
    elif reached:
        parts.append("The sources say these had reached a named body: " + "; ".join(
            f"{d['label']} → {', '.join(sorted({r['label'] for r in d['reached']}))}" + _cite(d["reached"][0]["evidence"])
            for d in reached) + ".")
    opens = result["open_recommendations"]
    if opens:
        parts.append(f"{plural(len(opens), 'recommendation')} had no response recorded by then: " + "; ".join(
            f"{r['label']} ({r['made_in_label']}, {_d(r)}{'; a response possibly by then' if r['status'] == 'possibly answered' else ''})" for r in opens) + ".")  # noqa: E501
    resp = result["responses_by_then"]
    if resp:
        parts.append("Recorded responses by then: " + "; ".join(
            f"{_named(x, x['timing'] == 'straddles')} {x['relation']} by {x['responds_to']['label']}"
            + _cite(x["evidence"]) for x in resp) + ".")
    missed = result["missed_so_far"]
    if missed:
        parts.append(f"{plural(len(missed), 'opportunity', 'opportunities')} judged missed had already passed: " + "; ".join(
            _named(m, m["timing"] == "straddles") + _cite(m["evidence"]) for m in missed) + ".")
    if result["undated_documents"]:
        n = result["undated_documents"]
        parts.append(f"({plural(n, 'undated document')} {'is' if n == 1 else 'are'} left out.)")
    return " ".join(parts)
