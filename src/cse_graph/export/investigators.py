"""Exports for investigators' tools: FollowTheMoney entities (OpenAleph/Aleph) and an
i2 Analyst's Notebook chart (ANX).

Both start from the same selection of the projection: documents, agencies (with the body
each is part of), people with their posts and tenures, actions, events, operations and
missed opportunities, and the links an investigator follows between them — prompted,
informed, commissioned (each with its quotes, locators and source documents), led by,
ignored in, missed by, judged by.  Findings, statistics, ambiguities and places are not
entities in either tool's model and are left out.

FollowTheMoney (``followthemoney`` builds every entity, so an invalid one fails here):
Document (FtM requires ``fileName``: the seed's or registered file's name, else the
document's id), Organization with ``parent``, Person + Position + Occupancy (start/end from
the tenure's bounds), Event (actions, events, missed opportunities), Project (operations)
with ProjectParticipant for who led them, and UnknownLink for the influence links: subject
= the influencer, object = what it set in motion, ``role`` the relation, ``description``
the quotes with their locators, ``proof`` the source documents.

i2: the ANX chart XML (written with the ``anxwritter`` library), not CSV plus an import
specification: an .anx opens directly in Analyst's Notebook (File › Open) with entity
types, link labels, dates and — natively on every chart item — ``SourceReference`` and
``SourceType``, whereas the CSV route needs an import specification (.ximp) built in i2's
import wizard, a format IBM does not document.  Every link carries its source reference
(document › locator) and the quote as a card-free attribute.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..graph import Projection
from ..store import Store
from ..vocab import compact
from .files import atomic_write

DOCUMENT_TYPES = {"Report", "Plan", "Guidance", "Publication", "Article", "Correspondence", "Broadcast", "Document"}
AGENCY_TYPES = {"Organisation", "Unit", "Partnership"}
EVENT_TYPES = {"Action", "Event", "ChangeEvent", "MissedOpportunity"}
KEEP_TYPES = DOCUMENT_TYPES | AGENCY_TYPES | EVENT_TYPES | {"Person", "Post", "Operation"}
INFLUENCE = {"prompted", "informed", "commissioned", "ignored in"}
STRUCTURE = {"led by", "unit of", "part of", "post in", "holds", "missed by", "judged by", "partner"}

MEMBERSHIPS = """SELECT ?person ?post ?start ?end WHERE {
  ?m a org:Membership ; org:member ?person ; cse:post ?post .
  OPTIONAL { ?m org:memberDuring/time:hasBeginning/cse:earliest ?start }
  OPTIONAL { ?m org:memberDuring/time:hasEnd/cse:latest ?end }
}"""
SOURCE_FILES = """SELECT ?doc ?file WHERE { { ?doc cse:seedFile ?file } UNION { ?doc cse:sourceId ?file } }"""


def _ftm_id(iri: str) -> str:
    return "cse-" + compact(iri).replace(":", "-").replace("/", "-")


def _when(date: dict | None) -> tuple[str | None, str | None, str | None]:
    """(date, startDate, endDate) in FtM's ISO prefixes, from a projection date."""
    if not date or not date.get("earliest"):
        return None, None, None
    prec = date.get("precision")
    e, l_ = date["earliest"], date.get("latest") or date["earliest"]
    if prec == "day":
        return e, None, None
    if prec == "month":
        return e[:7], None, None
    if prec == "year":
        return e[:4], None, None
    return None, e, l_


def _quotes(evidence: list[dict]) -> str:
    return "\n".join(f"“{ev['quote']}” — {ev['document_label']}, {ev['locator']}" for ev in evidence)


def select(proj: Projection) -> tuple[dict[str, dict], list[dict]]:
    nodes = {k: n for k, n in proj.nodes.items() if n["type"] in KEEP_TYPES}
    edges = [e for e in proj.edges if e["relation"] in INFLUENCE | STRUCTURE
             and e["source"] in nodes and e["target"] in nodes]
    return nodes, edges


def ftm_entities(store: Store, proj: Projection) -> list[dict]:
    """Every entity as a FollowTheMoney dict (built and checked by followthemoney)."""
    from followthemoney import model

    nodes, edges = select(proj)
    files = {str(r["doc"]): str(r["file"]) for r in store.select(SOURCE_FILES)}
    out: dict[str, object] = {}

    def make(schema: str, iri: str, **props):
        e = model.make_entity(schema)
        e.id = _ftm_id(iri)
        for prop, value in props.items():
            if value:
                e.add(prop, value)
        out[e.id] = e
        return e

    for iri, n in nodes.items():
        t, label = n["type"], n["label"]
        date, start, end = _when(n.get("date"))
        common = {"name": label, "description": n.get("description"), "sourceUrl": None}
        if t in DOCUMENT_TYPES:
            make("Document", iri, title=label, fileName=files.get(iri) or iri.rsplit("/", 1)[-1],
                 date=date or start, keywords=t.lower(), **common)
        elif t in AGENCY_TYPES:
            make("Organization", iri, classification=t.lower(), **common)
        elif t == "Person":
            make("Person", iri, **common)
        elif t == "Post":
            make("Position", iri, **common)
        elif t == "Operation":
            make("Project", iri, startDate=date or start, endDate=end, keywords="operation", **common)
        else:
            kind = {"MissedOpportunity": "missed opportunity", "ChangeEvent": "organisational change"}.get(t, t.lower())
            make("Event", iri, date=date, startDate=start, endDate=end, keywords=kind,
                 summary=f"confidence: {n['confidence']}" if n.get("confidence") else None, **common)

    tenures = {(str(r["person"]), str(r["post"])): r for r in store.select(MEMBERSHIPS)}
    for e in edges:
        s, t, rel = e["source"], e["target"], e["relation"]
        sid, tid = _ftm_id(s), _ftm_id(t)
        src, tgt = out[sid], out[tid]
        docs = [_ftm_id(ev["document"]) for ev in e["evidence"] if _ftm_id(ev["document"]) in out]
        if rel in INFLUENCE:
            link = model.make_entity("UnknownLink")
            link.make_id("influence", s, t, rel)
            date, start, _ = _when(nodes[t].get("date"))
            link.add("subject", sid)
            link.add("object", tid)
            link.add("role", rel)
            link.add("summary", f"{nodes[s]['label']} {rel} {nodes[t]['label']} (confidence: {e['confidence']})")
            link.add("description", _quotes(e["evidence"]) or None)
            link.add("proof", docs or None)
            link.add("date", date or start)
            out[link.id] = link
        elif rel == "led by" and src.schema.name == "Event" and tgt.schema.is_a("LegalEntity"):
            src.add("organizer", tid)
        elif rel == "led by" and src.schema.name == "Project" and tgt.schema.is_a("LegalEntity"):
            pp = model.make_entity("ProjectParticipant")
            pp.make_id("participant", s, t)
            pp.add("project", sid)
            pp.add("participant", tid)
            pp.add("role", "led by")
            pp.add("proof", docs or None)
            out[pp.id] = pp
        elif rel in ("unit of", "part of") and src.schema.name == "Organization" and tgt.schema.is_a("LegalEntity"):
            src.add("parent", tid)
        elif rel == "post in" and src.schema.name == "Position" and tgt.schema.name == "Organization":
            src.add("organization", tid)
        elif rel == "holds" and src.schema.name == "Person" and tgt.schema.name == "Position":
            occ = model.make_entity("Occupancy")
            occ.make_id("occupancy", s, t)
            occ.add("holder", sid)
            occ.add("post", tid)
            r = tenures.get((s, t))
            if r is not None:
                occ.add("startDate", str(r["start"]) if r.get("start") is not None else None)
                occ.add("endDate", str(r["end"]) if r.get("end") is not None else None)
            occ.add("proof", docs or None)
            occ.add("description", _quotes(e["evidence"]) or None)
            out[occ.id] = occ
        elif rel in ("missed by", "judged by", "partner") and src.schema.name == "Event" and tgt.schema.is_a("LegalEntity"):
            src.add("involved", tid)
    return [e.to_dict() for e in out.values()]


def write_ftm(store: Store, proj: Projection, out: Path) -> Counter:
    entities = ftm_entities(store, proj)
    with atomic_write(out) as fh:
        for e in entities:
            fh.write(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n")
    return Counter(e["schema"] for e in entities)


# -- i2 Analyst's Notebook ----------------------------------------------------------------------------

I2_TYPES = {  # graph type → (i2 entity type, i2 icon)
    **{t: ("Document", "Document") for t in DOCUMENT_TYPES},
    **{t: ("Organisation", "Organisation") for t in AGENCY_TYPES},
    "Person": ("Person", "Person"), "Post": ("Post", "Position"), "Operation": ("Operation", "Police"),
    "Action": ("Action", "Event"), "Event": ("Event", "Event"), "ChangeEvent": ("Event", "Event"),
    "MissedOpportunity": ("Missed opportunity", "Warning"),
}


def _source_ref(ev: dict) -> str:
    return f"{ev['document_label']} › {ev['locator']}"


def i2_chart(proj: Projection):
    """The chart as an ``anxwritter.ANXChart`` (entities, links, types, attribute classes)."""
    from anxwritter import ANXChart

    nodes, edges = select(proj)
    chart = ANXChart()
    for name, kind in [("IRI", "text"), ("Districts", "text"), ("Confidence", "text"), ("Quote", "text"),
                       ("Document", "text"), ("Locator", "text"), ("Evidence", "text"), ("Date precision", "text")]:
        chart.add_attribute_class(name=name, type=kind)
    for et, icon in sorted(set(I2_TYPES.values())):
        chart.add_entity_type(name=et, icon_file=icon)
    for rel in sorted({e["relation"] for e in edges}):
        chart.add_link_type(name=rel)
    for iri, n in nodes.items():
        et, _ = I2_TYPES[n["type"]]
        d = n.get("date") or {}
        attrs = {"IRI": iri}
        if n.get("districts"):
            attrs["Districts"] = ", ".join(compact(p) for p in n["districts"])
        if d.get("precision"):
            attrs["Date precision"] = d["precision"]
        chart.add_icon(id=_ftm_id(iri), type=et, label=n["label"], description=(n.get("description") or "")[:2000] or None,
                       date=d.get("earliest"), datetime_description=d.get("text"), attributes=attrs)
    skipped = 0
    for e in edges:
        if not e["evidence"]:
            skipped += 1
            continue
        first = e["evidence"][0]
        d = nodes[e["target"]].get("date") or {}
        chart.add_link(from_id=_ftm_id(e["source"]), to_id=_ftm_id(e["target"]), type=e["relation"],
                       label=e["relation"], arrow="ArrowOnHead", date=d.get("earliest"),
                       description=_quotes(e["evidence"]),
                       source_ref=_source_ref(first), source_type="Document",
                       attributes={"Confidence": e["confidence"], "Quote": first["quote"],
                                   "Document": first["document_label"], "Locator": first["locator"],
                                   "Evidence": json.dumps(e["evidence"], ensure_ascii=False)})
    return chart, len(nodes), len(edges) - skipped, skipped


def write_i2(proj: Projection, out: Path) -> tuple[int, int, int]:
    chart, n_entities, n_links, skipped = i2_chart(proj)
    out.parent.mkdir(parents=True, exist_ok=True)
    chart.to_anx(out)  # atomic: a temporary file renamed into place
    return n_entities, n_links, skipped
