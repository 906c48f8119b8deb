"""Dated events in order: documents, operations, actions, events, missed opportunities, tenures."""

from __future__ import annotations

from ..store import Store
from .common import _date_dict, describe
from .places import place_filter, within_years

_Q = """SELECT ?s ?kind ?w ?v ?e ?l ?prec WHERE {
  { ?s time:hasTime ?t BIND("at" AS ?kind) }
  UNION { ?s time:hasBeginning ?t BIND("began" AS ?kind) }
  UNION { ?s time:hasEnd ?t BIND("ended" AS ?kind) }
  FILTER(isIRI(?s) && !CONTAINS(STR(?s), "/.well-known/genid/"))
  ?t cse:earliest ?e ; cse:latest ?l .
  OPTIONAL { ?t cse:wording ?w } OPTIONAL { ?t time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?v }
  OPTIONAL { ?t cse:precision ?prec }
}"""

_TENURE = """SELECT ?person ?post ?kind ?w ?v ?e ?l ?prec WHERE {
  ?m org:member ?person ; cse:post ?post ; org:memberDuring ?i .
  { ?i time:hasBeginning ?t BIND("began" AS ?kind) } UNION { ?i time:hasEnd ?t BIND("ended" AS ?kind) }
  ?t cse:earliest ?e ; cse:latest ?l .
  OPTIONAL { ?t cse:wording ?w } OPTIONAL { ?t time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?v }
  OPTIONAL { ?t cse:precision ?prec }
}"""


def timeline(store: Store, district: str | None = None, since: int | None = None, until: int | None = None,
             exact: bool = False, tenures: bool = True) -> list[dict]:
    """Every dated thing, oldest first: ``{"id", "label", "type", "event", "date", "districts"}``.

    ``event`` is "at" (a moment), "began" or "ended" (a span). Tenures of posts appear as
    ``type: "Tenure"`` items ("David Crompton — Chief Constable …", began/ended).
    """
    items = []
    for r in store.select(_Q):
        items.append({"id": str(r["s"]), "event": str(r["kind"]), "date": _date_dict(r)})
    if tenures:
        for r in store.select(_TENURE):
            items.append({"id": str(r["person"]), "post": str(r["post"]), "event": str(r["kind"]), "date": _date_dict(r)})
    spatial: dict[str, set] = {}
    for r in store.select("SELECT ?s ?p WHERE { ?s dct:spatial ?p }"):
        spatial.setdefault(str(r["s"]), set()).add(str(r["p"]))
    info = describe(store, {i["id"] for i in items} | {i["post"] for i in items if "post" in i}
                    | {p for ps in spatial.values() for p in ps})
    keep = place_filter(store, district, exact)
    out = []
    for it in items:
        places = spatial.get(it.get("post", it["id"]), set()) | spatial.get(it["id"], set())
        if keep is not None and not (places & keep):
            continue
        if not within_years(it["date"], since, until):
            continue
        if "post" in it:
            label, typ = f"{info[it['id']]['label']} — {info[it['post']]['label']}", "Tenure"
        else:
            label, typ = info[it["id"]]["label"], info[it["id"]]["type"]
        out.append({"id": it["id"], "label": label, "type": typ, "event": it["event"], "date": it["date"],
                    "districts": sorted(info[p]["label"] for p in places if p in info)})
    order = {"began": 0, "at": 1, "ended": 2}
    out.sort(key=lambda x: (x["date"]["earliest"], x["date"]["latest"], order[x["event"]], x["label"]))
    return out
