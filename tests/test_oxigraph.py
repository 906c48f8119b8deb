"""The same analyses against an external triple store: a real Oxigraph server started on loopback,
`cse-graph push` loads the graph through the Graph Store Protocol, and lineage, missed and gaps
through `--endpoint` equal the embedded answers. A failed push leaves the store's graph intact."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from cse_graph.cli import cli
from cse_graph.explore.gaps import gaps
from cse_graph.explore.lineage import lineage
from cse_graph.explore.missed import missed
from cse_graph.store import RemoteStore
from cse_graph.vocab import GRAPH, ID

from .servers import start_oxigraph, stop


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory, store):
    proc, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield base
    stop(proc)


def invoke(*args, code=0):
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert r.exit_code == code, r.output
    return r


def graph_size(base):
    q = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"})
    req = urllib.request.Request(base + "/query?" + q, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return int(json.loads(r.read())["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def pushed(oxigraph, store):
    out = invoke("push", oxigraph + "/store").stdout
    assert f"into <{GRAPH}>" in out
    return oxigraph


def test_push_loads_every_triple(pushed, store):
    assert graph_size(pushed) == store.build.meta["triples"]


def norm(obj):
    return json.loads(json.dumps(obj, sort_keys=True))


@pytest.mark.parametrize("root,direction", [("report/jay-2014", "down"), ("operation/clover", "up"),
                                            ("report/syp-strategic-problem-profile-2010", "both")])
def test_lineage_against_the_endpoint_equals_embedded(pushed, store, root, direction):
    remote = RemoteStore(pushed + "/query")
    assert norm(lineage(remote, ID + root, direction, depth=3)) == norm(lineage(store, ID + root, direction, depth=3))


def test_missed_and_gaps_against_the_endpoint_equal_embedded(pushed, store):
    remote = RemoteStore(pushed + "/query")
    assert norm(missed(remote)) == norm(missed(store))
    assert norm(gaps(remote)) == norm(gaps(store))


def test_cli_reads_through_endpoint(pushed, store):
    out = json.loads(invoke("lineage", "Operation Glover", "--direction", "up", "--endpoint", pushed + "/query",
                            "--format", "json").stdout)
    assert out["edges"][0]["source"] == ID + "report/ukhtc-intelligence-review-2006"
    rows = json.loads(invoke("query", "chief-constables", "--endpoint", pushed + "/query", "--format", "json").stdout)
    assert any(b["personLabel"]["value"] == "David Crompton" for b in rows["results"]["bindings"])


def test_failed_push_leaves_the_graph_intact(pushed, store):
    before = graph_size(pushed)
    r = invoke("push", pushed + "/store", "--update-url", pushed + "/no-such-endpoint", code=2)
    assert "untouched" in r.stderr and "delete it by hand" not in r.stderr
    assert graph_size(pushed) == before
    assert [g for g in graph_names(pushed) if "upload-" in g] == [], "the uploaded copy was left in the store"


def graph_names(base):
    q = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"})
    req = urllib.request.Request(base + "/query?" + q, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return [b["g"]["value"] for b in json.loads(r.read())["results"]["bindings"]]


def test_unreachable_endpoint_is_a_clean_error():
    r = invoke("missed", "--endpoint", "http://127.0.0.1:9/query", code=2)
    assert "cannot reach" in r.stderr and "Traceback" not in r.output
