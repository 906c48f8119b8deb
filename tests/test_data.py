"""The shipped data: validates, every quote is verbatim, every node is typed and labelled,
every prompting edge has evidence, and the curation covers what the seeds contain."""

from __future__ import annotations

import pytest

from cse_graph.validate import Owners, check_quotes, validate_store
from cse_graph.vocab import SPARQL_PREFIXES


def rows(compiled, q):
    return list(compiled.store.query(SPARQL_PREFIXES + q))


def test_shipped_data_conforms(compiled, seeds_dir):
    """Every shape, every check in queries/checks/ (dangling IRIs among them) and every quote verbatim in its seed."""
    rep = validate_store(compiled.store, seeds_dir=str(seeds_dir), quotes=True)
    assert [(p.rule, p.label, p.message) for p in rep.violations] == []
    assert rep.checked["quotes"] > 1500


def test_quote_check_fails_loudly_without_seeds(compiled, tmp_path):
    from cse_graph.seeds import SeedsMissing, load_seeds

    load_seeds.cache_clear()
    with pytest.raises(SeedsMissing) as err:
        check_quotes(compiled.store, Owners(compiled.store), str(tmp_path))
    assert "../shared/seeds" in str(err.value)


def test_every_entity_has_a_type_and_a_label(compiled):
    assert rows(compiled, """SELECT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/cse-graph/id/")
        && !CONTAINS(STR(?s), "/.well-known/genid/")) FILTER NOT EXISTS { ?s a ?t } }""") == []
    assert rows(compiled, """SELECT ?s WHERE { ?s a ?t FILTER(STRSTARTS(STR(?s), "https://w3id.org/cse-graph/id/")
        && !CONTAINS(STR(?s), "/.well-known/genid/")) FILTER NOT EXISTS { ?s rdfs:label ?l } }""") == []


def test_every_influence_edge_has_evidence_and_confidence(compiled):
    assert rows(compiled, """SELECT ?q WHERE { ?s prov:qualifiedInfluence ?q
        FILTER NOT EXISTS { ?q cse:evidence/oa:hasSelector/oa:exact ?x ; cse:confidence ?c } }""") == []
    assert rows(compiled, """SELECT ?s WHERE { ?sc prov:qualifiedForm ?cls . ?cls rdfs:subClassOf prov:Influence .
        ?s ?sc ?o FILTER NOT EXISTS { ?s prov:qualifiedInfluence ?q . ?q a ?cls ; prov:influencer ?o } }""") == []


def test_every_missed_opportunity_is_judged_and_evidenced(compiled):
    assert rows(compiled, """SELECT ?m WHERE { ?m a cse:MissedOpportunity
        FILTER NOT EXISTS { ?m cse:judgedBy ?j ; cse:missedBy ?w ; cse:evidence ?e ; time:hasTime ?t } }""") == []


@pytest.mark.parametrize("iri", [f"op:{o}" for o in (
    "insight", "glover", "k-safe", "alphabet", "central", "czar", "chard", "clover", "thunder", "keg", "abstraction",
    "alloe", "makesafe", "a", "b", "stovewood", "mark", "monroe", "retriever", "bullfinch")])
def test_every_named_operation_is_modelled(compiled, iri):
    assert bool(compiled.store.query(SPARQL_PREFIXES + f"ASK {{ {iri} a cse:Operation ; rdfs:label ?l ; cse:evidence ?e }}"))


def test_all_eleven_drew_recommendations(compiled):
    nums = sorted(int(r["n"].value) for r in rows(compiled, """SELECT ?n WHERE { ?r a cse:Recommendation ;
        cse:madeIn report:drew-review-2016 ; cse:number ?n ; cse:addressedTo ?a ; dct:subject ?t ; cse:evidence ?e }
        GROUP BY ?n"""))
    assert nums == list(range(1, 12))


def test_appendix_4_lists_eleven_reviews(compiled):
    assert len(rows(compiled, "SELECT ?r WHERE { report:drew-review-appendix-4 dct:references ?r }")) == 11


def test_coverage_floor(compiled):
    """The brief's orders of magnitude: ~20 operations, ~50 documents, ~80 agencies."""
    def count(t):
        return int(rows(compiled, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {t} }}")[0]["n"].value)
    assert count("cse:Operation") >= 20
    assert count("cse:Document") >= 50
    assert count("org:Organization") >= 80
    assert count("cse:MissedOpportunity") >= 15
    assert count("cse:Ambiguity") >= 10
