"""The W3C SPARQL 1.1 Protocol and Service Description tests (tests/w3c/, unmodified W3C data)
run over real HTTP against `cse-graph serve`.

Each protocol test is a list of HTTP requests with an expected status, and for ASK an expected
boolean, or a kind of result format. The runner sends them as written, with three adaptations,
each only where a test assumes something this endpoint is not, and applied in code below:

1. *The W3C's sample graphs.* The tests name graphs `http://kasei.us/2009/09/sparql/data/dataN.rdf`
   (which a test endpoint is expected to hold, each describing itself with `<dataN.rdf> a ?type`).
   This endpoint holds one graph. Where such an IRI names a graph (default-graph-uri,
   named-graph-uri, FROM, FROM NAMED) it becomes our graph IRI; where it is a resource in a
   pattern it becomes an entity of our graph, Operation Clover. The test's logic is unchanged:
   the same ASK must be true exactly because the protocol's dataset is the one used.
2. *Updates.* The endpoint is read-only by design. The `update_*` tests (an update, then an ASK
   that sees its effect) are run as far as the update, which must be refused with 403; the
   `bad_update_*` tests run unchanged (a 4xx is what they expect).
3. *Path and host.* `/sparql/` becomes `/sparql`, and the connection goes to the test server
   (the manifest says so: "replace this value with whatever path prefix is appropriate").

The Service Description tests have no HTTP script in the manifest; their three names define
them: a GET on the endpoint returns RDF, which has an `sd:endpoint` triple naming the endpoint,
and uses the SD vocabulary as its schema defines it.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from .servers import start_cse_graph, stop

W3C = Path(__file__).resolve().parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
GRAPH_IRI = "https://w3id.org/cse-graph/id/graph"
ENTITY = "https://w3id.org/cse-graph/id/operation/clover"
SAMPLE = re.compile(r"http://kasei\.us/2009/09/sparql/data/data\d\.rdf")
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


def manifest(name: str) -> tuple[Graph, list[URIRef]]:
    g = Graph().parse(W3C / name / "manifest.ttl", format="turtle", publicID=f"http://example/{name}/manifest.ttl")
    root = next(g.subjects(RDF.type, MF.Manifest))
    return g, list(Collection(g, g.value(root, MF.entries)))


PROTOCOL, PROTOCOL_TESTS = manifest("protocol")


def adapt_query(text: str) -> str:
    """Adaptation 1 in a query text: sample graph names → our graph, sample resources → an entity."""
    text = re.sub(r"(FROM(?:\s+NAMED)?\s*<)" + SAMPLE.pattern + ">", lambda m: m.group(1) + GRAPH_IRI + ">", text)
    return SAMPLE.sub(ENTITY, text)


def adapt_params(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for k, v in pairs:
        if k in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
            v = SAMPLE.sub(GRAPH_IRI, v)
        elif k in ("query", "update"):
            v = adapt_query(v)
        out.append((k, v))
    return out


def requests_of(test):
    g = PROTOCOL
    conn = g.value(test, MF.action)
    for req in Collection(g, g.value(conn, HT.requests)):
        path = str(g.value(req, HT.absolutePath))
        url = urllib.parse.urlsplit(path)
        query = urllib.parse.urlencode(adapt_params(urllib.parse.parse_qsl(url.query, keep_blank_values=True)))
        headers = {}
        hl = g.value(req, HT.headers)
        if hl is not None:
            for h in Collection(g, hl):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = None
        b = g.value(req, HT.body)
        if b is not None:
            chars = str(g.value(b, CNT.chars))
            ctype = headers.get("content-type", "")
            if ctype.startswith("application/x-www-form-urlencoded"):
                chars = urllib.parse.urlencode(adapt_params(urllib.parse.parse_qsl(chars, keep_blank_values=True)))
            elif ctype.startswith(("application/sparql-query", "application/sparql-update")):
                chars = adapt_query(chars)
            body = chars.encode(str(g.value(b, CNT.characterEncoding) or "UTF-8"))
        resp = g.value(req, HT.resp)
        expect = {
            "status": {str(s).rsplit("StatusCode", 1)[1] for s in g.objects(resp, MF.expectedStatus)},
            "boolean": g.value(resp, MF.expectedBoolean),
            "format": g.value(resp, MF.expectedFormat),
        }
        yield {"method": str(g.value(req, HT.methodName)), "path": "/sparql" + ("?" + query if query else ""),
               "headers": headers, "body": body, "expect": expect}


def is_update(r) -> bool:
    ctype = r["headers"].get("content-type", "")
    return ctype.startswith("application/sparql-update") or (r["body"] or b"").startswith(b"update=") \
        or "update=" in r["path"]


@pytest.fixture(scope="module")
def server(store):
    proc, base = start_cse_graph("--timeout", "10")
    yield base
    stop(proc)


def send(base: str, r) -> tuple[int, str, bytes]:
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(r["method"], r["path"], body=r["body"], headers=r["headers"])
        resp = conn.getresponse()
        return resp.status, (resp.getheader("Content-Type") or "").split(";")[0].strip(), resp.read()
    finally:
        conn.close()


def test_the_manifest_has_its_tests():
    names = [str(t).rsplit("#", 1)[1] for t in PROTOCOL_TESTS]
    assert len(names) == 34 and "query_dataset_full" in names and "bad_query_non_utf8" in names


@pytest.mark.parametrize("test", PROTOCOL_TESTS, ids=lambda t: str(t).rsplit("#", 1)[1])
def test_protocol(server, test):
    name = str(test).rsplit("#", 1)[1]
    for r in requests_of(test):
        status, ctype, body = send(server, r)
        expect = r["expect"]
        if name.startswith("update_") and is_update(r):
            assert status == 403, (name, status, body[:300])   # adaptation 2: read-only by design
            return
        assert f"{str(status)[0]}xx" in expect["status"], (name, status, body[:300])
        if expect["format"] is not None:
            assert ctype in FORMATS[str(expect["format"])], (name, ctype)
        if expect["format"] is not None and str(expect["format"]) == "RDF":
            fmt = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}[ctype]
            Graph().parse(data=body.decode(), format=fmt)
        if expect["boolean"] is not None:
            if ctype == "application/sparql-results+json":
                got = json.loads(body)["boolean"]
            else:
                got = re.search(rb"<boolean>(true|false)</boolean>", body).group(1) == b"true"
            assert got is expect["boolean"].toPython(), (name, body[:300])


# --- Service Description ------------------------------------------------------------------------

SD_GRAPH, SD_TESTS = manifest("service-description")
# The SD vocabulary (https://www.w3.org/TR/sparql11-service-description/#vocab): classes and the
# domain of each property used here.
SD_CLASSES = {"Service", "Feature", "Language", "Function", "Aggregate", "EntailmentRegime", "EntailmentProfile",
              "GraphCollection", "Dataset", "Graph", "NamedGraph"}
SD_DOMAINS = {"endpoint": "Service", "feature": "Service", "defaultEntailmentRegime": "Service",
              "supportedEntailmentProfile": "Service", "extensionFunction": "Service",
              "extensionAggregate": "Service", "languageExtension": "Service", "supportedLanguage": "Service",
              "propertyFeature": "Service", "defaultDataset": "Service", "availableGraphs": "Service",
              "resultFormat": "Service", "inputFormat": "Service", "defaultGraph": "Dataset",
              "namedGraph": "GraphCollection", "name": "NamedGraph", "graph": "NamedGraph"}
SD_SUBCLASS = {"GraphCollection": {"Dataset"}}   # a class and its subclasses
SD_LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}


@pytest.fixture(scope="module")
def description(server):
    status, ctype, body = send(server, {"method": "GET", "path": "/sparql", "headers": {}, "body": None})
    return status, ctype, body


@pytest.mark.parametrize("test", SD_TESTS, ids=lambda t: str(t).rsplit("#", 1)[1])
def test_service_description(server, description, test):
    name = str(test).rsplit("#", 1)[1]
    status, ctype, body = description
    assert status == 200
    fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
           "application/n-triples": "nt"}.get(ctype)
    assert fmt is not None, f"not an RDF media type: {ctype}"
    g = Graph().parse(data=body.decode(), format=fmt)
    endpoint = URIRef(server + "/sparql")
    if name == "returns-rdf":
        assert len(g) > 0
    elif name == "has-endpoint-triple":
        assert (None, SD.endpoint, endpoint) in g
    elif name == "conforms-to-schema":
        types = {s: {str(o).rsplit("#", 1)[1] for o in g.objects(s, RDF.type) if str(o).startswith(str(SD))}
                 for s in g.subjects()}
        for s, p, o in g:
            if str(p).startswith(str(SD)):
                local = str(p).rsplit("#", 1)[1]
                assert local in SD_DOMAINS, f"sd:{local} is not in the SD vocabulary"
                domain = SD_DOMAINS[local]
                assert types[s] & ({domain} | SD_SUBCLASS.get(domain, set())), f"sd:{local} on a non-{domain}"
            if p == RDF.type and str(o).startswith(str(SD)):
                assert str(o).rsplit("#", 1)[1] in SD_CLASSES
        assert set(g.objects(endpoint, SD.supportedLanguage)) <= SD_LANGUAGES
        assert SD.SPARQL11Update not in set(g.objects(endpoint, SD.supportedLanguage))   # read-only, and says so
    else:
        pytest.fail(f"a Service Description test this runner does not know: {name}")
