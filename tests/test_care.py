"""The care rule: no victim, survivor, family member, witness, pseudonymous case study or
individual suspect/defendant appears as an entity or in any literal; every person holds a post.

The names below are the ones the seed texts themselves contain (footnote 8's defendants, the
pseudonymous case studies of Chapter 7 and Appendix 5, the victim and family of footnote 41, the
survivor-author of footnote 19, the press name of a child victim). They appear here only so the
test can prove they appear nowhere else.
"""

from __future__ import annotations

import re

import pytest

from cse_graph.vocab import SPARQL_PREFIXES

FORBIDDEN = [
    r"\bMaggie\b(?! Blyth)",        # Chapter 7's pseudonymous case study (Maggie Blyth chairs Oxfordshire LSCB)
    r"\bAnna\b",                     # Appendix 5's case study
    r"\bFiona\b", r"\bIvison\b",     # footnote 41: a murdered child and her mother
    r"\bArshid\b", r"\bBasharat\b", r"\bBannaras\b", r"\bQurban\b", r"\bHussain\b",
    r"\bMacGregor\b", r"\bShelley Davies\b",   # footnote 8's defendants
    r"\bEmma Jackson\b", r"\bJackson, E\.",     # footnote 19's survivor-author
    r"\bBaby P\b",                   # the press name of a child victim
]
CARE_WORDS = re.compile(r"\b(victim|survivor|witness|suspect|offender|defendant|perpetrator|mother|daughter)\b", re.I)


@pytest.fixture(scope="module")
def literals(compiled):
    rows = compiled.store.query(SPARQL_PREFIXES + """SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o))
        FILTER(STRSTARTS(STR(?s), "https://w3id.org/cse-graph/id/")) }""")
    return [(r["s"].value, r["p"].value, r["o"].value) for r in rows]


@pytest.mark.parametrize("pattern", FORBIDDEN)
def test_no_forbidden_name_in_any_literal(literals, pattern):
    rx = re.compile(pattern)
    hits = [(s, o[:80]) for s, _, o in literals if rx.search(o)]
    assert hits == []


def test_every_person_holds_a_post(compiled):
    rows = list(compiled.store.query(SPARQL_PREFIXES + """SELECT ?p WHERE { ?p a foaf:Person
        FILTER NOT EXISTS { ?m a org:Membership ; org:member ?p ; cse:post ?post } }"""))
    assert rows == []


def test_people_are_professionals_not_subjects(compiled):
    """No person's label or post names them as a victim, survivor, witness, suspect or relative."""
    rows = compiled.store.query(SPARQL_PREFIXES + """SELECT ?p ?l ?postLabel WHERE { ?p a foaf:Person ; rdfs:label ?l ;
        org:holds ?post . ?post rdfs:label ?postLabel }""")
    bad = [(r["l"].value, r["postLabel"].value) for r in rows if CARE_WORDS.search(r["postLabel"].value) or CARE_WORDS.search(r["l"].value)]
    assert bad == []


def test_nothing_is_quoted_from_appendix_6(compiled):
    rows = list(compiled.store.query(SPARQL_PREFIXES + """SELECT ?q WHERE { ?e cse:locator ?loc ; oa:hasSelector/oa:exact ?q
        FILTER(STRSTARTS(?loc, "Appendix 6")) }"""))
    assert rows == []


def test_no_entity_is_typed_as_a_victim_or_offender(compiled):
    rows = list(compiled.store.query(SPARQL_PREFIXES + """SELECT DISTINCT ?t WHERE { ?x a ?t
        FILTER(REGEX(STR(?t), "victim|survivor|offender|suspect|defendant|witness", "i")) }"""))
    assert rows == []
