"""Everything the graph says about one entity, with the evidence for each statement."""

from __future__ import annotations

from ..store import Store
from ..vocab import CSE, GENID_PATH, PREFIXES, compact
from .description import describe, is_entity
from .evidence import evidence_of
from .lineage import influence_edges
from .sparql import INSTANT, date_dict
from .timeline import dated_row

RDF, RDFS, TIME = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["time"]
# Shown elsewhere in the result, or derived duplicates of what is shown.
_SKIP_OUT = {RDF + "type", RDFS + "label", CSE + "evidence", PREFIXES["prov"] + "qualifiedInfluence",
             TIME + "hasTime", TIME + "hasBeginning", TIME + "hasEnd", CSE + "promptedBy", CSE + "informedBy",
             CSE + "commissionedBy", PREFIXES["prov"] + "wasInfluencedBy", PREFIXES["dct"] + "issued"}
_SKIP_IN = {RDF + "type", PREFIXES["prov"] + "influencer", CSE + "promptedBy", CSE + "informedBy",
            CSE + "commissionedBy", PREFIXES["prov"] + "wasInfluencedBy", CSE + "madeIn", CSE + "ignored"}


def _dates(store: Store, iri: str) -> dict:
    q = "SELECT ?k ?w ?vd ?vm ?vy ?e ?l ?prec WHERE { " + " UNION ".join(
        f'{{ <{iri}> {prop} ?t . {INSTANT} BIND("{key}" AS ?k) }}'
        for prop, key in (("time:hasTime", "time"), ("time:hasBeginning", "beginning"), ("time:hasEnd", "end"))) + " }"
    return {str(r["k"]): date_dict(dated_row(r)) for r in store.select(q)}


def show(store: Store, iri: str) -> dict:
    """``{"id", "label", "type", "types", "dates", "facts", "influences", "memberships", "evidence"}``."""
    out_rows = store.select(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    in_rows = store.select(f"""SELECT ?s ?p WHERE {{ ?s ?p <{iri}> .
        FILTER(isIRI(?s) && !CONTAINS(STR(?s), "{GENID_PATH}")) }}""")
    types = sorted(compact(str(r["o"])) for r in out_rows if r["p"] == RDF + "type")
    edges = influence_edges(store, [iri], "down") + influence_edges(store, [iri], "up")

    refs = {str(r["o"]) for r in out_rows if getattr(r["o"], "kind", "") == "iri" and is_entity(str(r["o"]))}
    refs |= {str(r["s"]) for r in in_rows} | {e["source"] for e in edges} | {e["target"] for e in edges}
    props = {str(r["p"]) for r in out_rows} | {str(r["p"]) for r in in_rows}
    info = describe(store, {iri} | refs)
    plabels = {str(r["p"]): str(r["l"]) for r in store.select(
        "SELECT ?p ?l WHERE { VALUES ?p { " + " ".join(f"<{p}>" for p in props) + " } ?p rdfs:label ?l }")} if props else {}

    facts = []
    for r in out_rows:
        p, o = str(r["p"]), r["o"]
        if p in _SKIP_OUT:
            continue
        if getattr(o, "kind", "") == "iri" and GENID_PATH in str(o):
            continue
        value = str(o)
        vlabel = info[value]["label"] if value in info else (compact(value) if getattr(o, "kind", "") == "iri" else None)
        facts.append({"property": compact(p), "property_label": plabels.get(p, compact(p)), "value": value,
                      "value_label": vlabel, "direction": "out"})
    for r in in_rows:
        p, s = str(r["p"]), str(r["s"])
        if p in _SKIP_IN:
            continue
        facts.append({"property": compact(p), "property_label": plabels.get(p, compact(p)), "value": s,
                      "value_label": info[s]["label"], "direction": "in"})
    # drop derived super-property duplicates (prov:wasAssociatedWith beside cse:ledBy/cse:partner …)
    specific = {(f["direction"], f["value"]) for f in facts if f["property"] in ("cse:ledBy", "cse:partner")}
    facts = [f for f in facts if not (f["property"] == "prov:wasAssociatedWith" and (f["direction"], f["value"]) in specific)]
    facts.sort(key=lambda f: (f["direction"] != "out", f["property"], f["value_label"] or f["value"]))

    ev = evidence_of(store, [iri] + [e["qualified"] for e in edges])
    influences = []
    for e in edges:
        other = e["target"] if e["source"] == iri else e["source"]
        influences.append({"relation": e["relation"], "role": "cause" if e["source"] == iri else "effect",
                           "other": {"id": other, "label": info[other]["label"], "type": info[other]["type"]},
                           "confidence": e["confidence"], "evidence": ev.get(e["qualified"], [])})
    influences.sort(key=lambda x: (x["role"], x["relation"], x["other"]["label"]))

    memberships = []
    q = f"""SELECT ?m ?person ?post ?org ?note WHERE {{
        ?m a org:Membership ; org:member ?person ; cse:post ?post .
        OPTIONAL {{ ?post org:postIn ?org }} OPTIONAL {{ ?m skos:note ?note }}
        FILTER(?person = <{iri}> || ?post = <{iri}> || ?org = <{iri}>) }}"""
    rows = store.select(q)
    if rows:
        minfo = describe(store, {str(r[k]) for r in rows for k in ("person", "post", "org") if r[k] is not None})
        mev = evidence_of(store, [str(r["m"]) for r in rows])
        for r in rows:
            interval = store.select("SELECT ?k ?w ?vd ?vm ?vy ?e ?l ?prec WHERE { " + " UNION ".join(
                f'{{ <{r["m"]}> org:memberDuring ?i . ?i {prop} ?t . {INSTANT} BIND("{key}" AS ?k) }}'
                for prop, key in (("time:hasBeginning", "began"), ("time:hasEnd", "ended"))) + " }")
            span = {str(x["k"]): date_dict(dated_row(x)) for x in interval}
            memberships.append({
                "person": {"id": str(r["person"]), "label": minfo[str(r["person"])]["label"]},
                "post": {"id": str(r["post"]), "label": minfo[str(r["post"])]["label"]},
                "organisation": {"id": str(r["org"]), "label": minfo[str(r["org"])]["label"]} if r["org"] is not None else None,
                "began": span.get("began"), "ended": span.get("ended"),
                "note": str(r["note"]) if r["note"] is not None else None, "evidence": mev[str(r["m"])]})
        memberships.sort(key=lambda m: ((m["began"] or {}).get("earliest", "9999"), m["person"]["label"]))

    me = info[iri]
    return {"id": iri, "label": me["label"], "type": me["type"], "types": types, "dates": _dates(store, iri),
            "facts": facts, "influences": influences, "memberships": memberships, "evidence": ev[iri]}
