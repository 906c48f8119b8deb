"""`cse-graph serve` over real HTTP: SPARQLWrapper and rdflib's SPARQLStore as clients, every
results format, Update refused, malformed queries, the time limit and the result cap, a burst of
concurrent queries and a slow one (the workbench page is tests/test_workbench.py)."""

from __future__ import annotations

import concurrent.futures as cf
import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from cse_graph.server.app import is_loopback
from cse_graph.server.results import negotiate

from .servers import start_cse_graph, stop

OPS = "SELECT ?op ?label WHERE { ?op a cse:Operation ; rdfs:label ?label } ORDER BY ?label"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(store):
    proc, base = start_cse_graph("--timeout", "3", "--max-rows", "5000", "--workers", "2")
    yield base
    stop(proc)


def post(base, body, ctype="application/x-www-form-urlencoded", accept="application/sparql-results+json", timeout=30):
    req = urllib.request.Request(base + "/sparql", data=body.encode(), method="POST",
                                 headers={"Content-Type": ctype, "Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()


def form(query):
    return urllib.parse.urlencode({"query": query})


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_gets_every_results_format(server, fmt):
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("PREFIX cse: <https://w3id.org/cse-graph/ontology#> " + OPS)
    sw.setReturnFormat(fmt)
    res = sw.query().convert()
    if fmt == JSON:
        labels = [b["label"]["value"] for b in res["results"]["bindings"]]
    elif fmt == XML:   # SPARQLWrapper returns an xml.dom.minidom document
        labels = [b.getElementsByTagName("literal")[0].firstChild.data for b in res.getElementsByTagName("binding")
                  if b.getAttribute("name") == "label"]
    elif fmt == CSV:
        labels = [r["label"] for r in csv.DictReader(io.StringIO(res.decode()))]
    else:
        lines = res.decode().strip().split("\n")
        assert lines[0] == "?op\t?label"
        labels = [json.loads(line.split("\t")[1]) for line in lines[1:]]
    assert "Operation Clover" in labels and len(labels) == 21


def test_rdflib_sparqlstore_reads_the_endpoint(server):
    g = Graph(store=SPARQLStore(server + "/sparql"))
    rows = list(g.query("""PREFIX cse: <https://w3id.org/cse-graph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE { <https://w3id.org/cse-graph/id/operation/clover> rdfs:label ?label }"""))
    assert [str(r[0]) for r in rows] == ["Operation Clover"]


def test_get_post_and_direct_body_agree(server):
    with urllib.request.urlopen(server + "/sparql?" + form(OPS), timeout=30) as r:
        via_get = json.loads(r.read())
    _, _, via_form = post(server, form(OPS))
    _, _, via_body = post(server, OPS, ctype="application/sparql-query")
    assert via_get == json.loads(via_form) == json.loads(via_body)


@pytest.mark.parametrize("accept,parse", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                          ("application/n-triples", "nt")])
def test_construct_as_turtle_and_jsonld(server, accept, parse):
    status, ctype, text = post(server, form("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a cse:Operation ; rdfs:label ?l }"),
                               accept=accept)
    assert status == 200 and ctype == accept
    assert len(Graph().parse(data=text, format=parse)) == 21


def test_describe_works(server):
    status, _, text = post(server, form("DESCRIBE op:clover"), accept="text/turtle")
    assert status == 200 and "Operation Clover" in text


@pytest.mark.parametrize("body,ctype", [
    (urllib.parse.urlencode({"update": "INSERT DATA { op:x a cse:Operation }"}), "application/x-www-form-urlencoded"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "application/sparql-update"),
    (urllib.parse.urlencode({"query": "DELETE WHERE { ?s ?p ?o }"}), "application/x-www-form-urlencoded"),
])
def test_update_is_refused(server, body, ctype):
    status, _, text = post(server, body, ctype=ctype)
    assert status == 403 and "read-only" in text


def test_malformed_query_gets_400_with_the_parsers_message(server):
    status, _, text = post(server, form("SELECT ?x WHERE { ?x a }"))
    assert status == 400 and "error at 1:" in text and "Traceback" not in text


def test_undeclared_prefix_is_named_without_the_parsers_unicode_ranges(server):
    status, _, text = post(server, form("SELECT * WHERE { ?s nope:x ?o }"))
    assert status == 400 and "undeclared prefix" in text and "\\u{" not in text and len(text) < 400


def test_result_cap(store):
    proc, base = start_cse_graph("--max-rows", "10")
    try:
        status, _, text = post(base, form(OPS))
        assert status == 422 and "more than 10 rows" in text
        status, _, _ = post(base, form(OPS + " LIMIT 10"))
        assert status == 200
    finally:
        stop(proc)


def test_slow_query_is_cut_off_and_the_next_one_answers(server):
    t = time.perf_counter()
    status, _, text = post(server, form(SLOW))
    elapsed = time.perf_counter() - t
    assert status == 503 and "time limit" in text
    assert elapsed < 20
    status, _, text = post(server, form("ASK { op:clover a cse:Operation }"))
    assert status == 200 and json.loads(text)["boolean"] is True


def test_quick_queries_still_answer_while_a_slow_one_runs(server):
    slow = threading.Thread(target=post, args=(server, form(SLOW)))
    slow.start()
    time.sleep(0.2)
    status, _, text = post(server, form("ASK { op:glover a cse:Operation }"), timeout=10)
    assert status == 200 and slow.is_alive(), "the quick query answered while the slow one was still running"
    slow.join()


def test_burst_of_concurrent_queries(server):
    queries = [OPS, "ASK { op:clover a cse:Operation }", "SELECT (COUNT(*) AS ?n) WHERE { ?s a cse:Evidence }"] * 12
    with cf.ThreadPoolExecutor(max_workers=12) as ex:
        results = list(ex.map(lambda q: post(server, form(q), timeout=60), queries))
    assert [r[0] for r in results] == [200] * len(queries)
    assert len({r[2] for r in results[0::3]}) == 1


def test_no_stack_traces_and_clean_404s(server):
    for path in ("/nope", "/sparql?x=1"):
        try:
            urllib.request.urlopen(server + path, timeout=10)
        except urllib.error.HTTPError as e:
            body = e.read().decode()
            assert e.code in (400, 404) and "Traceback" not in body


def test_content_negotiation():
    from cse_graph.server.results import FORMATS, GRAPH_FORMATS

    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", FORMATS, "json") == "xml"
    assert negotiate("*/*", FORMATS, "json") == "json"
    assert negotiate("application/json", FORMATS, "json") == "json"
    assert negotiate("image/png", FORMATS, "json") is None
    assert negotiate(None, GRAPH_FORMATS, "turtle", override="jsonld") == "jsonld"


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("") and not is_loopback("192.168.1.10")


# --- default client settings, the graph IRI, protocol details -----------------------------------

FULL = "PREFIX cse: <https://w3id.org/cse-graph/ontology#> PREFIX op: <https://w3id.org/cse-graph/id/operation/> "


@pytest.mark.parametrize("form_,check", [
    ("SELECT ?op WHERE { ?op a cse:Operation }", lambda r: len(r.getElementsByTagName("result")) == 21),
    ("ASK { op:clover a cse:Operation }", lambda r: r.getElementsByTagName("boolean")[0].firstChild.data == "true"),
    ("CONSTRUCT { ?op a cse:Operation } WHERE { ?op a cse:Operation }", lambda g: len(g) == 21),
    ("DESCRIBE op:clover", lambda g: any("Operation Clover" in str(o) for o in g.objects())),
])
def test_sparqlwrapper_default_settings(server, form_, check):
    """SPARQLWrapper as a researcher uses it: no setReturnFormat, no method (it sends format=xml
    and an Accept header; the Accept header must win for CONSTRUCT and DESCRIBE)."""
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery(FULL + form_)
    assert check(sw.query().convert())


@pytest.mark.parametrize("form_,expect", [
    ("SELECT ?op WHERE { ?op a cse:Operation }", 21),
    ("ASK { op:clover a cse:Operation }", True),
    ("CONSTRUCT { ?op a cse:Operation } WHERE { ?op a cse:Operation }", 21),
    ("DESCRIBE op:clover", None),
])
def test_rdflib_sparqlstore_default_settings(server, form_, expect):
    g = Graph(store=SPARQLStore(server + "/sparql"))
    res = g.query(FULL + form_)
    if expect is True:
        assert res.askAnswer is True
    elif expect is None:
        assert any("Operation Clover" in str(t[2]) for t in res)
    else:
        assert len(list(res)) == expect


GRAPH_IRI = "https://w3id.org/cse-graph/id/graph"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(server, q, **params):
    status, _, text = post(server, urllib.parse.urlencode({"query": q, **params}))
    assert status == 200, text
    return int(json.loads(text)["results"]["bindings"][0]["n"]["value"])


def test_the_graph_iri_means_the_data_everywhere(server, store):
    n = store.build.meta["triples"]
    assert count(server, COUNT) == n
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_IRI}> WHERE {{ ?s ?p ?o }}") == n
    assert count(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_IRI}> {{ ?s ?p ?o }} }}") == n
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH_IRI}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == n
    assert count(server, COUNT, **{"default-graph-uri": GRAPH_IRI}) == n
    assert count(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": GRAPH_IRI}) == n


@pytest.mark.parametrize("q,params", [
    ("SELECT * FROM <http://example.org/other> WHERE { ?s ?p ?o }", {}),
    ("SELECT * FROM NAMED <http://example.org/other> WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
    ("ASK {}", {"default-graph-uri": "http://example.org/other"}),
    ("ASK {}", {"named-graph-uri": "http://example.org/other"}),
])
def test_an_unknown_graph_is_refused_not_ignored(server, q, params):
    status, _, text = post(server, urllib.parse.urlencode({"query": q, **params}))
    assert status == 400 and "holds one graph" in text


def test_service_description_on_a_bare_get(server):
    with urllib.request.urlopen(server + "/sparql", timeout=30) as r:
        assert r.headers["Content-Type"] == "text/turtle"
        g = Graph().parse(data=r.read().decode(), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    from rdflib import URIRef

    assert (URIRef(server + "/sparql"), URIRef(sd + "endpoint"), URIRef(server + "/sparql")) in g
    assert (None, URIRef(sd + "name"), URIRef(GRAPH_IRI)) in g
    req = urllib.request.Request(server + "/sparql", headers={"Accept": "application/ld+json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert len(Graph().parse(data=r.read().decode(), format="json-ld")) == len(g)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_get_405_with_allow(server, method):
    req = urllib.request.Request(server + "/sparql?query=ASK%7B%7D", method=method, data=b"")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 405 and "GET" in e.value.headers["Allow"] and "POST" in e.value.headers["Allow"]


def test_two_queries_are_refused(server):
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(server + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", timeout=10)
    assert e.value.code == 400


def test_relative_iris_resolve_against_the_endpoint(server):
    status, _, text = post(server, "CONSTRUCT { <s> <p> 1 } WHERE {}", ctype="application/sparql-query",
                           accept="application/n-triples")
    assert status == 200 and f"<{server}/s>" in text


def test_only_utf8_is_accepted(server):
    q = 'SELECT ("caf\u00e9" AS ?x) {}'
    for charset in ("", "; charset=utf-8", "; charset=UTF-8"):
        req = urllib.request.Request(server + "/sparql", data=q.encode("utf-8"), method="POST", headers={
            "Content-Type": "application/sparql-query" + charset, "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert json.loads(r.read())["results"]["bindings"][0]["x"]["value"] == "caf\u00e9"
    for body, ctype in ((q.encode("latin-1"), "application/sparql-query; charset=ISO-8859-1"),
                        (q.encode("latin-1"), "application/sparql-query"),
                        (q.encode("utf-16"), "application/sparql-query; charset=UTF-16")):
        req = urllib.request.Request(server + "/sparql", data=body, method="POST", headers={"Content-Type": ctype})
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=30)
        assert e.value.code == 400 and "UTF-8" in e.value.read().decode().upper()


def test_describe_page_escapes_and_links(server):
    with urllib.request.urlopen(server + "/describe?" + urllib.parse.urlencode(
            {"iri": "https://w3id.org/cse-graph/id/operation/clover"}), timeout=30) as r:
        html = r.read().decode()
    assert "<h1>Operation Clover</h1>" in html and "<blockquote>" in html and "/describe?iri=" in html
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(server + "/describe?iri=" + urllib.parse.quote("https://example.org/<script>"), timeout=30)
    assert e.value.code == 400 and "<script>" not in e.value.read().decode()
