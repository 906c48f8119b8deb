"""The exported HTML in a real headless Chromium with the network blocked: every view loads with
no request and no console error, draws exactly the graph's entities, search focuses, clicking an
edge shows its quote, and a hostile label or quote runs no script."""

from __future__ import annotations

import shutil

import pytest

from cse_graph.explore.lineage import lineage
from cse_graph.export.html import make_view, write_html
from cse_graph.graph import projection
from cse_graph.store import open_store
from cse_graph.vocab import ID

from .browser import CHROMIUM_ARGS, chromium_path, open_page
from .conftest import FIXTURES, make_data_dir

CLOVER = ID + "operation/clover"
JAY = ID + "report/jay-2014"


@pytest.fixture(scope="module")
def pages(store, tmp_path_factory):
    d = tmp_path_factory.mktemp("pages")
    proj = projection(store)
    out = {}
    for name, focus in (("overview", None), ("missed", None), ("timeline", None), ("lineage", CLOVER)):
        out[name] = write_html(store, make_view(store, name, focus=focus, depth=3, proj=proj), d / f"{name}.html")[0]
    return out


def count(store, q):
    return int(str(store.select(q)[0]["n"]))


def expected_entities(store, view):
    if view == "overview":   # every labelled entity except the cells of the statistics tables
        return count(store, """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s rdfs:label ?l
            FILTER(STRSTARTS(STR(?s), "https://w3id.org/cse-graph/id/") && !CONTAINS(STR(?s), "/.well-known/genid/"))
            FILTER NOT EXISTS { ?s a qb:Observation FILTER NOT EXISTS { ?s a cse:Figure } } }""")
    if view == "missed":     # the opportunities and everything they name as ignored, missed by or judged by
        return count(store, """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
            { ?x a cse:MissedOpportunity } UNION { ?m a cse:MissedOpportunity ; cse:ignored|cse:missedBy|cse:judgedBy ?x } }""")
    if view == "timeline":   # dated documents, operations, actions, events, missed opportunities, unknown outcomes
        return count(store, """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s time:hasTime|time:hasBeginning ?t .
            FILTER(STRSTARTS(STR(?s), "https://w3id.org/cse-graph/id/") && !CONTAINS(STR(?s), "/.well-known/genid/"))
            { ?s a cse:Document } UNION { ?s a cse:Operation } UNION { ?s a cse:Action } UNION { ?s a cse:Event }
            UNION { ?s a org:ChangeEvent } UNION { ?s a cse:MissedOpportunity } UNION { ?s a cse:OutcomeUnknown } }""")
    return len(lineage(store, CLOVER, direction="both", depth=3)["nodes"])


@pytest.mark.parametrize("view", ["overview", "missed", "timeline", "lineage"])
def test_view_loads_offline_and_draws_every_entity(browser, pages, store, view):
    o = open_page(browser, pages[view])
    assert o.blocked == [] and o.failed == [], "the page must make no network request"
    assert o.errors == []
    drawn = o.page.evaluate("""() => { const g = window.cseGraph;
        return g.network.body.nodeIndices.filter(id => !g.nodes.get(id).decor).length; }""")
    assert drawn == o.page.evaluate("window.cseGraph.data.entityCount") == expected_entities(store, view)
    o.page.close()


def test_search_finds_and_focuses_a_node(browser, pages):
    o = open_page(browser, pages["overview"])
    o.page.fill("#search", "operation clover")
    assert "Operation Clover" in o.page.inner_text("#results")
    o.page.press("#search", "Enter")
    assert o.page.evaluate("window.cseGraph.network.getSelectedNodes()") == [CLOVER]
    assert o.page.inner_text("#panel h2") == "Operation Clover"
    scale = o.page.evaluate("window.cseGraph.network.getScale()")
    assert scale >= 1.0
    o.page.close()


def test_filters_hide_and_show(browser, pages):
    o = open_page(browser, pages["overview"])
    total = o.page.evaluate("window.cseGraph.entityCount()")
    o.page.uncheck("#legend input[data-family='agency']")
    fewer = o.page.evaluate("window.cseGraph.entityCount()")
    assert 0 < fewer < total
    o.page.fill("#year-from", "2014")
    o.page.fill("#year-to", "2014")
    o.page.uncheck("#undated")
    o.page.dispatch_event("#year-to", "change")
    in_2014 = o.page.evaluate("""() => window.cseGraph.nodesView.get().filter(n => !n.decor)
        .every(n => n.date && n.date.earliest <= '2014-12-31' && n.date.latest >= '2014-01-01')""")
    assert in_2014
    o.page.click("#reset")
    assert o.page.evaluate("window.cseGraph.entityCount()") == total
    o.page.close()


def test_clicking_an_edge_shows_its_quote(browser, pages):
    o = open_page(browser, pages["lineage"])
    page = o.page
    point = page.evaluate("""() => { const g = window.cseGraph, n = g.network;
        const e = g.edges.get().find(e => e.to.endsWith('/operation/clover') && e.relation === 'prompted');
        const p = n.getPositions([e.from, e.to]);
        const mid = {x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2};
        n.moveTo({position: mid, scale: 1.4, animation: false});
        return n.canvasToDOM(mid); }""")
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    panel = page.inner_text("#panel")
    assert "prompted" in panel
    assert "Operation Clover was launched in August 2013 partly in response to articles in The Times" in panel
    assert "Chapter 4 › Growing scrutiny" in panel
    page.close()


def test_clicking_a_node_shows_its_passages(browser, pages):
    o = open_page(browser, pages["lineage"])
    page = o.page
    point = page.evaluate("""() => { const n = window.cseGraph.network, p = n.getPositions([arguments[0]])[arguments[0]];
        n.moveTo({position: p, scale: 1.2, animation: false}); return n.canvasToDOM(p); }""".replace("arguments[0]", f"'{CLOVER}'"))
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.inner_text("#panel h2") == "Operation Clover"
    assert "Passages" in page.inner_text("#panel")
    page.close()


HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_QUOTE = "quote </script><script>window.__pwned = 1; alert('quote')</script> ends"


def test_hostile_label_and_quote_run_no_script(browser, tmp_path):
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(f"""@prefix cse: <https://w3id.org/cse-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix conf: <https://w3id.org/cse-graph/scheme/confidence/> .
<https://w3id.org/cse-graph/id/operation/hostile> a cse:Operation ;
    rdfs:label "{HOSTILE_LABEL}" ;
    cse:ledBy <https://w3id.org/cse-graph/id/agency/south-yorkshire-police> ;
    prov:qualifiedInfluence [ a cse:Prompting ; prov:influencer <https://w3id.org/cse-graph/id/report/norfolk-times-articles> ;
        cse:confidence conf:stated ;
        cse:evidence [ oa:hasSource <https://w3id.org/cse-graph/id/report/drew-review-2016> ; cse:locator "<b>bold</b>" ;
                       oa:hasSelector [ oa:exact "{HOSTILE_QUOTE}" ] ] ] .
""", encoding="utf-8")
    data = make_data_dir(tmp_path, hostile)
    store = open_store(data, progress=lambda m: None)
    out = write_html(store, make_view(store, "overview"), tmp_path / "hostile.html")[0]
    html = out.read_text(encoding="utf-8")
    assert HOSTILE_LABEL not in html and "</script><script>window.__pwned" not in html   # escaped in the file

    o = open_page(browser, out)
    page = o.page
    page.fill("#search", "img src")
    page.press("#search", "Enter")
    assert page.inner_text("#panel h2") == HOSTILE_LABEL                              # shown as text
    link = page.evaluate("""() => window.cseGraph.edges.get().find(e => e.to.endsWith('/operation/hostile')).id""")
    page.evaluate(f"""() => {{ const n = window.cseGraph.network; n.selectEdges(['{link}']);
        n.body.emitter.emit('click', {{nodes: [], edges: ['{link}'], pointer: {{DOM: {{x: 0, y: 0}}, canvas: {{x: 0, y: 0}}}}}}); }}""")
    assert HOSTILE_QUOTE in page.inner_text("#panel")
    assert "<b>bold</b>" in page.inner_text("#panel")
    page.mouse.move(300, 300)
    assert page.evaluate("window.__pwned") is None
    assert o.dialogs == [] and o.errors == [] and o.blocked == []
    assert page.query_selector_all("#panel img, #results img, #panel b") == []
    page.close()
