"""The description-mention check: prose that names another entity has a structured link, or a
reviewed exception with its reason (src/cse_graph/mentions.py, data/mention-exceptions.ttl)."""

from __future__ import annotations

import textwrap

from cse_graph import mentions
from cse_graph.build import compile_graph

from .conftest import make_data_dir

EXCEPTIONS_CAP = 30  # a list a reviewer reads in one sitting

PREFIXES = """
@prefix cse: <https://w3id.org/cse-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix conf: <https://w3id.org/cse-graph/scheme/confidence/> .
@prefix agency: <https://w3id.org/cse-graph/id/agency/> .
@prefix report: <https://w3id.org/cse-graph/id/report/> .
@prefix op: <https://w3id.org/cse-graph/id/operation/> .
@prefix place: <https://w3id.org/cse-graph/id/place/> .
"""


def _store(tmp_path, body: str):
    tmp_path.mkdir(parents=True, exist_ok=True)
    f = tmp_path / "tiny.ttl"
    f.write_text(PREFIXES + textwrap.dedent(body), encoding="utf-8")
    return compile_graph(make_data_dir(tmp_path, f, with_example=False)).store


def _pairs(store):
    return {(m.focus.rsplit("/", 1)[1], m.target.rsplit("/", 1)[1], m.name) for m in mentions.unlinked_mentions(store)}


# --- the shipped data -----------------------------------------------------------------------------

def test_shipped_descriptions_have_no_unexplained_mentions(compiled):
    found = mentions.all_mentions(compiled.store)
    assert len(found) > 500, "the check must actually see the descriptions' mentions"
    left = mentions.unlinked_mentions(compiled.store)
    assert left == [], "unexplained mentions:\n" + "\n".join(f"{m.focus} names {m.target} ({m.name!r})" for m in left)


def test_exceptions_are_few_and_each_has_a_reason(compiled):
    rows = list(compiled.store.query("""
        PREFIX cse: <https://w3id.org/cse-graph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?x ?note WHERE { ?x a cse:MentionException . OPTIONAL { ?x skos:note ?note } }"""))
    assert 0 < len(rows) <= EXCEPTIONS_CAP
    assert all(r["note"] is not None and len(r["note"].value) > 20 for r in rows)


# --- the rules, on tiny graphs ----------------------------------------------------------------------

def test_an_unlinked_name_is_reported_and_a_direct_edge_clears_it(tmp_path):
    body = """
    agency:a rdfs:label "Alpha Board" ; dct:description "Met with the Beta Unit twice." .
    agency:b rdfs:label "Beta Unit" .
    """
    assert _pairs(_store(tmp_path / "1", body)) == {("a", "b", "Beta Unit")}
    assert _pairs(_store(tmp_path / "2", body + "agency:a dct:relation agency:b .\n")) == set()
    assert _pairs(_store(tmp_path / "3", body + "agency:b dct:relation agency:a .\n")) == set()


def test_matching_is_whole_word_case_sensitive_and_leftmost_longest(tmp_path):
    store = _store(tmp_path, """
    agency:a rdfs:label "Alpha" ; dct:description "Chairs the Child Sexual Exploitation Forum; the forum of Betamax met." .
    agency:f rdfs:label "Sexual Exploitation Forum" .
    agency:c rdfs:label "Child Sexual Exploitation Forum" .
    agency:b rdfs:label "Beta" .
    agency:g rdfs:label "The Forum" .
    """)
    assert _pairs(store) == {("a", "c", "Child Sexual Exploitation Forum")}


def test_links_through_a_structural_node_count(tmp_path):
    store = _store(tmp_path, """
    op:x rdfs:label "Operation X" ; dct:description "Launched after the Gamma Report." ;
        prov:qualifiedInfluence [ a cse:Prompting ; prov:influencer report:g ; cse:confidence conf:stated ] .
    report:g rdfs:label "Gamma Report" .
    """)
    assert _pairs(store) == set()


def test_links_up_the_hierarchy_and_through_a_shared_document_count(tmp_path):
    store = _store(tmp_path, """
    agency:parent rdfs:label "Parent Force" .
    agency:unit rdfs:label "Unit One" ; org:unitOf agency:parent ; dct:description "A unit of the Parent Force." .
    agency:writer rdfs:label "Writer Body" ; dct:description "Wrote about the Subject Council." .
    report:r a cse:Report ; rdfs:label "The Report" ; dct:creator agency:writer ; dct:subject agency:council .
    agency:council rdfs:label "Subject Council" .
    """)
    assert _pairs(store) == set()


def test_evidence_is_not_a_link_and_places_are_left_out(tmp_path):
    store = _store(tmp_path, """
    agency:a rdfs:label "Alpha" ; dct:description "Works in Rotherham beside the Delta Group." ;
        cse:evidence [ <http://www.w3.org/ns/oa#hasSource> agency:d ] .
    agency:d rdfs:label "Delta Group" .
    place:rotherham a cse:Place ; rdfs:label "Rotherham" .
    """)
    assert _pairs(store) == {("a", "d", "Delta Group")}


def test_exceptions_by_pair_and_by_name(tmp_path):
    body = """
    agency:a rdfs:label "Alpha" ; dct:description "Spoke to the Council and to the Epsilon Trust." .
    agency:c rdfs:label "Zeta Council" ; skos:altLabel "the Council" .
    agency:e rdfs:label "Epsilon Trust" .
    """
    assert _pairs(_store(tmp_path / "1", body)) == {("a", "c", "the Council"), ("a", "e", "Epsilon Trust")}
    excused = body + """
    [] a cse:MentionException ; cse:mentionOf agency:c ; cse:mentionName "the Council" ; skos:note "generic phrase" .
    [] a cse:MentionException ; cse:mentionIn agency:a ; cse:mentionOf agency:e ; skos:note "context only" .
    """
    assert _pairs(_store(tmp_path / "2", excused)) == set()
