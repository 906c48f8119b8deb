"""Every node typed, or checked without waiting for a type.

Named entities (IRIs under …/id/) carry a kind in the data (`queries/checks/entity-without-kind.rq`).
Structural nodes — evidence, quote selectors, dates, tenure intervals, readings — stay untyped in
`data/` (writing `a cse:Evidence` on ~2,000 blank nodes adds noise, not information); instead the
shapes target them by the property that reaches them, so they are checked as written, before
`queries/derive/10-structural-types.ru` types them. These tests run pySHACL on raw, underived
Turtle to prove it.
"""

from __future__ import annotations

import re

import pyshacl
from rdflib import Graph, URIRef

from cse_graph import paths
from cse_graph.vocab import ENTITY_TYPES, PREFIXES, SPARQL_PREFIXES, compact

PREFIX_TTL = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())


def _raw_violations(ttl: str) -> dict[str, set[str]]:
    """Shape name → focus nodes' kinds of violation, validating underived Turtle against the shapes."""
    shapes = Graph().parse(paths.ontology_dir() / "shapes.ttl")
    for extra in ("cse.ttl", "reused-terms.ttl"):
        shapes.parse(paths.ontology_dir() / extra)
    for scheme in sorted((paths.ontology_dir() / "schemes").glob("*.ttl")):
        shapes.parse(scheme)
    data = Graph().parse(data=PREFIX_TTL + ttl, format="turtle")
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=None, inference="none",
                                     allow_warnings=True, meta_shacl=False)
    sh = "http://www.w3.org/ns/shacl#"
    out: dict[str, set[str]] = {}
    for r in results.subjects(URIRef(sh + "resultSeverity"), URIRef(sh + "Violation")):
        src = results.value(r, URIRef(sh + "sourceShape"))
        # the named shape: sourceShape is either the node shape or a property shape inside it
        node = next(iter(shapes.subjects(URIRef(sh + "property"), src)), src)
        name = str(shapes.value(node, URIRef(PREFIXES["rdfs"] + "label")) or node)
        out.setdefault(name, set()).add(str(results.value(r, URIRef(sh + "focusNode"))))
    return out


def test_untyped_structural_nodes_are_checked_before_derivation():
    ttl = """
    op:fx a cse:Operation ; rdfs:label "Operation X" ; cse:ledBy agency:south-yorkshire-police ;
        time:hasBeginning [ cse:note "no value at all" ] ;
        cse:evidence [ oa:hasSource report:drew-review-2016 ; oa:hasSelector [ oa:exact "short" ] ] .
    amb:fx a cse:Ambiguity ; rdfs:label "X" ; skos:note "n" ;
        cse:reading [ rdfs:label "one" ] , [ rdfs:label "two" ] .
    [] a org:Membership ; org:member person:fx ; cse:post post:fx ; org:memberDuring [ rdfs:comment "no dates" ] .
    """
    assert "a time:Instant" not in ttl and "a cse:Evidence" not in ttl and "a cse:Reading" not in ttl
    v = _raw_violations(ttl)
    assert {"InstantShape", "EvidenceShape", "QuoteShape", "ReadingShape",
            "IntervalShape"} <= set(v)
    assert len(v["ReadingShape"]) == 2            # both untyped readings lack evidence


def test_a_well_formed_untyped_date_passes_before_derivation():
    ttl = """
    op:fx time:hasTime [ cse:wording "towards the end of 2006" ;
        cse:earliest "2006-09-01"^^xsd:date ; cse:latest "2006-12-31"^^xsd:date ] .
    """
    assert "InstantShape" not in _raw_violations(ttl)


def test_the_kind_check_lists_exactly_the_entity_types():
    text = (paths.queries_dir() / "checks" / "entity-without-kind.rq").read_text(encoding="utf-8")
    listed = set(re.search(r"VALUES \?kind \{([^}]*)\}", text).group(1).split())
    assert listed == {compact(iri) for _, iri in ENTITY_TYPES} | {"qb:DataStructureDefinition"}


def test_every_named_entity_has_a_kind(store):
    kinds = " ".join(f"<{iri}>" for _, iri in ENTITY_TYPES) + " qb:DataStructureDefinition"
    rows = store.select(SPARQL_PREFIXES + """SELECT DISTINCT ?x WHERE { ?x ?p ?o .
        FILTER(isIRI(?x) && STRSTARTS(STR(?x), "https://w3id.org/cse-graph/id/") && !CONTAINS(STR(?x), "/.well-known/genid/"))
        FILTER NOT EXISTS { VALUES ?k { %s } ?x a ?k } }""" % kinds)
    assert [str(r["x"]) for r in rows] == []


def test_the_makesafe_forces_are_an_organisation(store):
    iri = PREFIXES["agency"] + "other-police-forces-makesafe"
    types = {str(r["t"]) for r in store.select(f"SELECT ?t WHERE {{ <{iri}> a ?t }}")}
    assert PREFIXES["org"] + "Organization" in types
    kind = [str(r["k"]) for r in store.select(f"SELECT ?k WHERE {{ <{iri}> dct:type ?k }}")]
    assert kind == ["https://w3id.org/cse-graph/scheme/agency-kind/police-force"]
