"""Dated events in order: documents, operations, actions, events, missed opportunities, tenures."""

from __future__ import annotations

from ..store import Store
from ..vocab import GENID_PATH
from .description import describe
from .places import bound, place_filter, spatial_of, within_years
from .sparql import INSTANT, date_dict, values


# Explicit patterns inside each UNION branch (see common.describe() on query shape and speed);
# a place filter is written into every branch so the store, not Python, does the filtering.
# Years are filtered there too, on the same lexical bounds places.within_years() compares.
def _query(places: set[str] | None, since: int | None = None, until: int | None = None) -> str:
    anchor = f"VALUES ?place {{ {values(places)} }} ?s dct:spatial ?place ." if places else ""
    years = "".join([f' FILTER(STR(?l) >= "{bound(since, False)}")' if since is not None else "",
                     f' FILTER(STR(?e) <= "{bound(until, True)}")' if until is not None else ""])
    return "SELECT DISTINCT ?s ?kind ?w ?vd ?vm ?vy ?e ?l ?prec WHERE { " + " UNION ".join(
        f'{{ {anchor} ?s {prop} ?t . FILTER(!CONTAINS(STR(?s), "{GENID_PATH}")) {INSTANT}{years} BIND("{kind}" AS ?kind) }}'
        for prop, kind in (("time:hasTime", "at"), ("time:hasBeginning", "began"), ("time:hasEnd", "ended"))) + " }"

_TENURE = "SELECT ?person ?post ?kind ?w ?vd ?vm ?vy ?e ?l ?prec WHERE { " + " UNION ".join(
    f'{{ ?m org:member ?person ; cse:post ?post ; org:memberDuring ?i . ?i {prop} ?t . {INSTANT} BIND("{kind}" AS ?kind) }}'
    for prop, kind in (("time:hasBeginning", "began"), ("time:hasEnd", "ended"))) + " }"


def dated_row(row):
    return {**row, "v": row["vd"] or row["vm"] or row["vy"]}


def timeline(store: Store, district: str | None = None, since: int | None = None, until: int | None = None,
             exact: bool = False, tenures: bool = True) -> list[dict]:
    """Every dated thing, oldest first: ``{"id", "label", "type", "event", "date", "districts"}``.

    ``event`` is "at" (a moment), "began" or "ended" (a span). Tenures of posts appear as
    ``type: "Tenure"`` items ("David Crompton — Chief Constable …", began/ended).
    """
    keep = place_filter(store, district, exact)
    items = []
    for r in store.select(_query(keep, since, until)):
        items.append({"id": str(r["s"]), "event": str(r["kind"]), "date": date_dict(dated_row(r))})
    if tenures:
        for r in store.select(_TENURE):
            items.append({"id": str(r["person"]), "post": str(r["post"]), "event": str(r["kind"]), "date": date_dict(dated_row(r))})
    spatial = spatial_of(store, {i["id"] for i in items} | {i["post"] for i in items if "post" in i})
    info = describe(store, {i["id"] for i in items} | {i["post"] for i in items if "post" in i}
                    | {p for ps in spatial.values() for p in ps})
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
    out.sort(key=lambda x: (x["date"]["earliest"], x["date"]["latest"], order[x["event"]], x["label"], x["id"]))
    return out
