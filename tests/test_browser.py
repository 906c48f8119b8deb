"""The exported HTML in a real headless Chromium with the network blocked: every view loads with
no request and no console error, draws exactly the graph's entities, search focuses, clicking an
edge shows its quote, and a hostile label or quote runs no script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cse_graph.explore.lineage import lineage
from cse_graph.export.html import make_view, write_html
from cse_graph.graph import projection
from cse_graph.store import open_store
from cse_graph.vocab import ID

from .browser import open_page
from .conftest import make_data_dir

CLOVER = ID + "operation/clover"
JAY = ID + "report/jay-2014"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pages(store, tmp_path_factory):
    d = tmp_path_factory.mktemp("pages")
    proj = projection(store)
    out = {}
    for name, focus in (("overview", None), ("missed", None), ("timeline", None), ("lineage", CLOVER), ("jay", JAY)):
        view = "lineage" if name == "jay" else name
        out[name] = write_html(store, make_view(store, view, focus=focus, depth=3, proj=proj), d / f"{name}.html")[0]
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
    if view == "overview":   # it opens on the documents and what they set in motion; every kind is a click away
        shown = o.page.evaluate("window.cseGraph.entityCount()")
        assert 0 < shown < o.page.evaluate("window.cseGraph.data.entityCount")
        o.page.click("#toggle-filters")
        o.page.click("#reset")
    drawn = o.page.evaluate("""() => { const g = window.cseGraph;
        if (g.timeline) return new Set(g.renderer.itemsView.get().map(i => i.entity)).size;
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
    px = o.page.evaluate("window.cseGraph.network.getScale() * window.cseGraph.network.body.nodes['%s'].options.font.size" % CLOVER)
    assert px >= 11, "focused at a scale where labels are legible"
    o.page.close()
    o = open_page(browser, pages["overview"], hash="#focus=" + CLOVER.replace(":", "%3A").replace("/", "%2F"))
    assert o.page.evaluate("window.cseGraph.network.getSelectedNodes()") == [CLOVER], "an old #focus= link still works"
    assert "sel=" in o.page.url
    o.page.close()


def test_filters_hide_and_show(browser, pages):
    o = open_page(browser, pages["overview"])
    o.page.click("#toggle-filters")   # the filters are a drawer
    o.page.click("#reset")            # every kind (the overview opens on documents and what they set in motion)
    total = o.page.evaluate("window.cseGraph.entityCount()")
    assert total == o.page.evaluate("window.cseGraph.data.entityCount")
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
    # the drawing exported as SVG keeps the label as text, not markup
    import xml.etree.ElementTree as ET

    svg = ET.fromstring(page.evaluate("() => window.cseGraph.svg()"))
    ns = "{http://www.w3.org/2000/svg}"
    assert not svg.findall(f".//{ns}img") and not svg.findall(".//img")
    assert any(HOSTILE_LABEL in (t.text or "") for t in svg.iter(f"{ns}title"))
    page.close()


# ---------------------------------------------------------------------------
# Pages a reader can follow (issue 10): readable at open, a time axis, phones, search, state
# in the address, paths, print. Figures come from the renderer itself, never from our layout.
# ---------------------------------------------------------------------------

STOVEWOOD = ID + "operation/stovewood"
JAY_STOVEWOOD_QUOTE = "to host an independent criminal investigation into outstanding offences"
LANES = ["Barnsley", "Doncaster", "Rotherham", "Sheffield", "South Yorkshire (county-wide)"]


def clean(o):
    assert o.blocked == [] and o.failed == [], "the page must make no network request"
    assert o.errors == [] and o.dialogs == []


@pytest.fixture(scope="module")
def key_lineages(store, pages, tmp_path_factory):
    """The lineage pages `export all` writes (KEY_LINEAGES in the CLI), Jay's and Clover's already made."""
    KEY_LINEAGES = [("jay", "report:jay-2014"), ("profile-2010", "report:syp-strategic-problem-profile-2010"),
                    ("central", "op:central"), ("clover", "op:clover"), ("heal-2003", "report:heal-2003")]
    d, proj, out = tmp_path_factory.mktemp("key"), projection(store), {}
    for stem, entity in KEY_LINEAGES:
        iri = ID + entity.replace("report:", "report/").replace("op:", "operation/")
        out[iri] = pages["jay"] if iri == JAY else pages["lineage"] if iri == CLOVER else \
            write_html(store, make_view(store, "lineage", focus=entity, depth=3, proj=proj), d / f"{stem}.html")[0]
    return out


def ghost_addressees(store, root):
    """Whom the overdue recommendations (gaps --overdue 12) of a lineage are addressed to."""
    from cse_graph.explore.overdue import overdue

    chain = {n["id"] for n in lineage(store, root, direction="both", depth=3)["nodes"]}
    late = {x["id"] for x in overdue(store, 12)} & chain
    return {str(r["a"]) for r in store.select("SELECT ?r ?a WHERE { ?r cse:addressedTo ?a }") if str(r["r"]) in late}


@pytest.mark.parametrize("index", range(5))
def test_key_lineages_open_with_every_entity_in_view_and_legible(browser, key_lineages, store, index):
    iri, page_file = sorted(key_lineages.items())[index]
    o = open_page(browser, page_file, viewport=(1440, 900))
    got = o.page.evaluate("""() => { const g = window.cseGraph, n = g.network, box = document.getElementById('graph').getBoundingClientRect();
        const ids = g.nodesView.getIds(), pos = n.getPositions(ids), font = n.body.nodes[ids[0]].options.font.size;
        return {inside: ids.filter(id => { const d = n.canvasToDOM(pos[id]); return d.x >= 0 && d.y >= 0 && d.x <= box.width && d.y <= box.height; }).length,
                n: ids.length, px: n.getScale() * font}; }""")
    # the chain, and the addressee of any overdue recommendation on it (drawn for its ghost link)
    assert got["n"] == len({n["id"] for n in lineage(store, iri, direction="both", depth=3)["nodes"]} | ghost_addressees(store, iri))
    assert got["inside"] == got["n"] and got["px"] >= 11, (iri, got)
    clean(o)
    o.page.close()


def test_jay_lineage_opens_with_every_entity_in_view_and_legible(browser, pages, store):
    o = open_page(browser, pages["jay"], viewport=(1440, 900))
    got = o.page.evaluate("""() => { const g = window.cseGraph, n = g.network, box = document.getElementById('graph').getBoundingClientRect();
        const ids = g.nodesView.getIds(), pos = n.getPositions(ids), font = g.network.body.nodes[ids[0]].options.font.size;
        const out = ids.map(id => { const d = n.canvasToDOM(pos[id]); return {id, x: box.left + d.x, y: box.top + d.y}; });
        return {points: out, px: n.getScale() * font, box: {l: box.left, t: box.top, r: box.right, b: box.bottom}}; }""")
    expected = {n["id"] for n in lineage(store, JAY, direction="both", depth=3)["nodes"]}
    assert {p["id"] for p in got["points"]} == expected and len(expected) >= 30
    b = got["box"]
    outside = [p["id"] for p in got["points"] if not (b["l"] <= p["x"] <= b["r"] and b["t"] <= p["y"] <= b["b"])]
    assert outside == [], f"{len(outside)} entities outside the drawing at open"
    assert 0 <= b["l"] and b["r"] <= 1440 and 0 <= b["t"] and b["b"] <= 900
    assert got["px"] >= 11, f"labels drawn at {got['px']:.1f} px on screen"
    clean(o)
    o.page.close()


def test_lineage_draws_a_time_axis_that_stays_while_panning(browser, pages):
    o = open_page(browser, pages["jay"], viewport=(1440, 900))
    page = o.page
    # the axis is drawn on the canvas: read the pixels of its band at the top of the drawing
    def band():
        return page.evaluate("""() => { const c = document.querySelector('#graph canvas'), ctx = c.getContext('2d');
            const d = ctx.getImageData(0, 0, c.width, Math.round(20 * devicePixelRatio)).data; let dark = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i] < 90 && d[i + 1] < 90 && d[i + 2] < 90) dark++; return dark; }""")
    before = band()
    assert before > 50, "year labels drawn at the top"
    page.evaluate("() => { const n = window.cseGraph.network, p = n.getViewPosition(); n.moveTo({position: {x: p.x + 150, y: p.y + 400}, animation: false}); }")
    assert band() > 50, "the year labels stay at the top after panning down"
    assert page.evaluate("window.cseGraph.data.axis.knots.length") > 5
    clean(o)
    page.close()


def test_timeline_has_year_ticks_and_every_lane_name_at_open(browser, pages):
    o = open_page(browser, pages["timeline"], viewport=(1440, 900))
    got = o.page.evaluate("""() => { const vis = el => { const r = el.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight; };
        const years = [...document.querySelectorAll('.vis-time-axis .vis-text')].filter(vis).map(e => e.textContent.trim()).filter(t => /^\\d{4}$/.test(t));
        const lanes = [...document.querySelectorAll('.vis-labelset .vis-label')].filter(vis).map(e => e.textContent.trim());
        return {years: [...new Set(years)], lanes}; }""")
    assert len(got["years"]) >= 5, got["years"]
    assert all(lane in got["lanes"] for lane in LANES), got["lanes"]
    # an item about several districts is drawn in each of their lanes
    multi = o.page.evaluate("""() => { const by = {};
        window.cseGraph.renderer.itemsView.get().forEach(i => { (by[i.entity] = by[i.entity] || new Set()).add(i.group); });
        return Object.values(by).filter(s => s.size > 1).length; }""")
    assert multi >= 1
    clean(o)
    o.page.close()


@pytest.mark.parametrize("view", ["jay", "overview", "timeline", "missed"])
def test_phone_drawing_takes_the_width_and_nothing_scrolls_sideways(browser, pages, view):
    o = open_page(browser, pages[view], viewport=(390, 844), touch=True)
    got = o.page.evaluate("""() => ({w: document.getElementById('graph').getBoundingClientRect().width,
        h: document.getElementById('graph').getBoundingClientRect().height,
        scroll: document.scrollingElement.scrollWidth, filters: getComputedStyle(document.getElementById('filters')).visibility})""")
    assert got["w"] >= 300 and got["h"] >= 300, got
    assert got["scroll"] <= 390, got
    assert got["filters"] == "hidden", "filters are a drawer, closed at open"
    o.page.click("#toggle-filters")
    o.page.wait_for_timeout(250)
    assert o.page.evaluate("document.scrollingElement.scrollWidth") <= 390
    clean(o)
    o.page.close()


def test_search_ranks_main_entities_first_and_keys_work(browser, pages):
    o = open_page(browser, pages["overview"], viewport=(1440, 900))
    page = o.page
    page.fill("#search", "Jay")
    assert page.locator("#results li[role=option]").first.inner_text().startswith("Jay report (2014)")
    page.fill("#search", "Stovewood")
    options = page.locator("#results li[role=option]")
    assert options.first.inner_text().startswith("Operation Stovewood")
    assert page.get_attribute("#results li[role=option] >> nth=0", "aria-selected") == "true"
    page.press("#search", "ArrowDown")
    assert page.get_attribute("#results li[role=option] >> nth=1", "aria-selected") == "true"
    assert page.get_attribute("#search", "aria-activedescendant") == "opt-1"
    page.press("#search", "ArrowUp")
    page.press("#search", "Enter")
    assert page.evaluate("window.cseGraph.network.getSelectedNodes()") == [STOVEWOOD]
    assert page.inner_text("#panel h2") == "Operation Stovewood"
    url = page.url
    assert "sel=" in url and "stovewood" in url, "the address follows the selection"
    page.fill("#search", "zzqxv")
    assert "No match" in page.inner_text("#search-status")
    page.reload()
    page.wait_for_selector("html[data-ready='true']", state="attached")
    assert page.evaluate("window.cseGraph.network.getSelectedNodes()") == [STOVEWOOD]
    assert page.inner_text("#panel h2") == "Operation Stovewood"
    clean(o)
    page.close()


def test_a_hidden_entity_says_which_filter_hides_it_and_lifts_just_that(browser, pages):
    o = open_page(browser, pages["overview"], viewport=(1440, 900))
    page = o.page
    page.click("#toggle-filters")
    page.uncheck("#legend input[data-family='agency']")
    page.uncheck("#legend input[data-family='document']")
    page.click("#close-filters")
    page.fill("#search", "South Yorkshire Police")
    page.press("#search", "Enter")
    assert "Hidden by “Agencies” is unticked" in page.inner_text("#panel")
    assert "off=" in page.url
    page.click("#panel .warn button")
    assert page.evaluate("window.cseGraph.network.getSelectedNodes()") == [ID + "agency/south-yorkshire-police"]
    assert page.is_checked("#legend input[data-family='agency']")
    assert not page.is_checked("#legend input[data-family='document']"), "only that filter is lifted"
    clean(o)
    page.close()


def test_path_between_two_entities_is_highlighted_with_its_quote(browser, pages):
    o = open_page(browser, pages["overview"], viewport=(1440, 900))
    page = o.page
    page.fill("#search", "Jay report")
    page.press("#search", "Enter")
    page.click("#panel button:has-text('Find a path from here')")
    page.fill("#search", "Stovewood")
    page.press("#search", "Enter")
    panel = page.inner_text("#panel")
    assert "Path: Jay report (2014) → Operation Stovewood" in panel
    assert JAY_STOVEWOOD_QUOTE in panel
    got = page.evaluate("""() => { const g = window.cseGraph, sel = g.network.getSelectedEdges().map(id => g.edges.get(id));
        return sel.map(e => [e.from, e.to, e.width]); }""")
    assert [JAY, STOVEWOOD] in [[a, b] for a, b, _ in got]
    assert all(w >= 4 for *_, w in got), "the path's links are drawn heavier"
    assert "path=" in page.url
    page.reload()
    page.wait_for_selector("html[data-ready='true']", state="attached")
    assert JAY_STOVEWOOD_QUOTE in page.inner_text("#panel"), "the path comes back from the address"
    clean(o)
    page.close()


def test_print_gives_the_chain_as_numbered_cited_sentences(browser, pages):
    o = open_page(browser, pages["jay"], viewport=(1440, 900))
    page = o.page
    page.emulate_media(media="print")
    assert not page.is_visible("#graph") and page.is_visible("#print-chain")
    text = page.inner_text("#print-chain")
    assert "1. " in text and "2. " in text and "10. " in text
    assert "Operation Stovewood was prompted by Jay report (2014)" in text
    assert JAY_STOVEWOOD_QUOTE in text and "Drew review (2016)" in text
    page.emulate_media(media="screen")
    assert not page.is_visible("#print-chain")
    clean(o)
    page.close()


def test_export_of_the_selection_as_json_and_csv(browser, pages):
    o = open_page(browser, pages["jay"], viewport=(1440, 900))
    page = o.page
    page.evaluate(f"() => window.cseGraph.select('{STOVEWOOD}', true)")
    data = page.evaluate("() => window.cseGraph.selectionData()")
    assert any(e["source"] == JAY and e["target"] == STOVEWOOD and JAY_STOVEWOOD_QUOTE in e["evidence"][0]["quote"] for e in data["edges"])
    with page.expect_download() as dl:
        page.click("#panel button:has-text('Export CSV')")
    csv = open(dl.value.path(), encoding="utf-8").read()
    assert csv.startswith("source,source_label,relation") and "Operation Stovewood" in csv
    with page.expect_download() as dl:
        page.click("#toggle-filters")
        page.click("#export-png")
    assert open(dl.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as dl:
        page.click("#export-svg")
    import xml.etree.ElementTree as ET

    svg = ET.parse(dl.value.path()).getroot()
    texts = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "Jay report (2014)" in texts and "2015" in texts, "labels and year lines"
    clean(o)
    page.close()


def _contrast(a: str, b: str = "#ffffff") -> float:
    def lum(h):
        r, g, b_ = (int(h.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
        f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4   # noqa: E731
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b_)
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_node_colours_and_axis_text_have_contrast():
    from cse_graph.export.html import FAMILY_STYLE

    for family, (colour, _, _) in FAMILY_STYLE.items():
        if family != "page":     # a page link is a light box with dark text inside
            assert _contrast(colour) >= 3.0, (family, colour)   # WCAG 1.4.11, graphical objects
    app = (ROOT / "src/cse_graph/export/templates/app.js").read_text()
    for colour in ("#1d2430", "#4a5363"):                     # axis labels drawn on the canvas
        assert colour in app and _contrast(colour) >= 4.5
    css = (ROOT / "src/cse_graph/export/templates/app.css").read_text()
    muted = re.search(r"--muted: (#[0-9a-f]{6})", css).group(1)
    assert _contrast(muted, "#f7f8fa") >= 4.5


def test_time_axis_layout_is_monotone_in_time_and_labels_never_overlap(store):
    from cse_graph.export.html import ROW_H, label_width, wrap_label

    view = make_view(store, "lineage", focus=JAY, depth=3)
    pos, nodes = view.positions, view.nodes
    dated = sorted((n for n in nodes if nodes[n].get("date")), key=lambda n: nodes[n]["date"]["earliest"])
    xs = [pos[n][0] for n in dated]
    assert xs == sorted(xs), "x follows the date"
    boxes = [(pos[n][0] - label_width(wrap_label(nodes[n]["label"])) / 2, pos[n][0] + label_width(wrap_label(nodes[n]["label"])) / 2,
              pos[n][1]) for n in nodes]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if abs(a[2] - b[2]) < ROW_H:        # same row: their labels must not overlap sideways
                assert a[1] <= b[0] or b[1] <= a[0], (a, b)
    # a long silence (2006 → 2014) is a marked break, not a decade of empty paper
    assert any(b[3] - b[2] > 5 for b in view.axis["breaks"])


def test_selecting_a_node_highlights_its_chain_and_dims_the_rest(browser, pages):
    o = open_page(browser, pages["jay"], viewport=(1440, 900))
    got = o.page.evaluate(f"""() => {{ const g = window.cseGraph; g.select('{STOVEWOOD}', true);
        const op = id => g.nodes.get(id).opacity;
        return {{root: op('{JAY}'), me: op('{STOVEWOOD}'), dimmed: g.nodes.get().filter(n => n.opacity < 1).length,
                 total: g.nodes.length, hash: location.hash}}; }}""")
    assert got["me"] == 1 and got["root"] == 1, "what led to it stays lit"
    assert 0 < got["dimmed"] < got["total"], "the rest is dimmed"
    assert "sel=" in got["hash"]
    clean(o)
    o.page.close()


def test_expand_draws_a_neighbourhood_the_filters_hide_and_collapse_takes_it_back(browser, pages):
    o = open_page(browser, pages["overview"], viewport=(1440, 900))
    page = o.page
    syp = page.evaluate(f"""() => {{ const g = window.cseGraph;   // a neighbour of the Jay report of a kind hidden at open
        const ids = g.edges.get().filter(e => e.from === '{JAY}' || e.to === '{JAY}').map(e => e.from === '{JAY}' ? e.to : e.from);
        return ids.find(id => !g.nodesView.get(id) && !g.hiders(g.nodes.get(id)).some(h => !/unticked/.test(h.label))); }}""")
    assert syp
    before = page.evaluate("window.cseGraph.entityCount()")
    page.fill("#search", "Jay report")
    page.press("#search", "Enter")
    assert page.evaluate(f"() => !window.cseGraph.nodesView.get('{syp}')"), "its kind is hidden at open"
    page.click("#panel button:has-text('Expand')")
    assert page.evaluate(f"() => !!window.cseGraph.nodesView.get('{syp}')"), "drawn once the Jay report is expanded"
    assert page.evaluate("window.cseGraph.entityCount()") > before
    assert "open=" in page.url
    page.reload()
    page.wait_for_selector("html[data-ready='true']", state="attached")
    assert page.evaluate(f"() => !!window.cseGraph.nodesView.get('{syp}')"), "the expansion comes back from the address"
    page.evaluate(f"() => window.cseGraph.select('{JAY}', true)")
    page.click("#panel button:has-text('Collapse')")
    assert page.evaluate(f"() => !window.cseGraph.nodesView.get('{syp}')")
    assert page.evaluate("window.cseGraph.entityCount()") == before
    clean(o)
    page.close()


def test_phone_touch_pinch_zooms_and_drag_pans_and_the_panel_is_a_drawer(browser, pages):
    o = open_page(browser, pages["jay"], viewport=(390, 844), touch=True)
    page = o.page
    cdp = page.context.new_cdp_session(page)
    box = page.locator("#graph").bounding_box()
    scale = page.evaluate("window.cseGraph.network.getScale()")
    cdp.send("Input.synthesizePinchGesture", {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2,
                                              "scaleFactor": 1.8, "gestureSourceType": "touch"})
    page.wait_for_timeout(200)
    assert page.evaluate("window.cseGraph.network.getScale()") > scale * 1.3, "a pinch zooms the drawing"
    view = page.evaluate("window.cseGraph.network.getViewPosition()")
    cdp.send("Input.synthesizeScrollGesture", {"x": box["x"] + 200, "y": box["y"] + 300, "xDistance": -150, "yDistance": -100,
                                               "gestureSourceType": "touch", "speed": 800})
    page.wait_for_timeout(200)
    moved = page.evaluate("window.cseGraph.network.getViewPosition()")
    assert abs(moved["x"] - view["x"]) > 20, "a one-finger drag pans the drawing"
    assert page.evaluate("window.scrollY") == 0 and page.evaluate("document.scrollingElement.scrollWidth") <= 390
    # the panel is a bottom drawer: closed at open, opened by a selection, closed by its button
    assert not page.is_visible("#panel")
    page.evaluate(f"() => window.cseGraph.select('{STOVEWOOD}', true)")
    page.wait_for_timeout(250)
    assert page.is_visible("#panel") and page.inner_text("#panel h2") == "Operation Stovewood"
    page.click("#close-panel")
    page.wait_for_timeout(250)
    assert not page.is_visible("#panel")
    clean(o)
    page.close()


def test_every_drawn_entity_is_reachable_from_the_keyboard(browser, pages):
    o = open_page(browser, pages["jay"], viewport=(1440, 900))
    page = o.page
    page.click("#toggle-filters")
    page.click("#filters summary")
    page.wait_for_selector("#drawn button")   # the list is built on the details' toggle event, a task later
    buttons = page.locator("#drawn button")
    assert buttons.count() == page.evaluate("window.cseGraph.entityCount()") == 36
    stovewood = page.locator("#drawn button", has_text="Operation Stovewood").first
    stovewood.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.cseGraph.network.getSelectedNodes()") == [STOVEWOOD]
    page.click("#legend input[data-family='recommendation']")   # the list is filtered like the drawing
    left = page.evaluate("window.cseGraph.entityCount()")
    assert left < 36 and page.locator("#drawn button").count() == left
    clean(o)
    page.close()


# ---------------------------------------------------------------------------
# As of a date (issue 13): what did not yet exist is greyed, never removed; the rule of `known`
# ---------------------------------------------------------------------------

HEALS = [ID + f"report/heal-{y}" for y in (2002, 2003, 2005, 2006)]
AS_OF_STATE = """() => { const g = window.cseGraph;
    return g.nodesView.get().filter(n => !n.decor).map(n => ({id: n.id, state: g.asofOf(n.id),
        opacity: g.nodes.get(n.id).opacity, date: n.date})); }"""


def test_as_of_date_greys_what_did_not_yet_exist_and_the_address_keeps_it(browser, pages):
    o = open_page(browser, pages["jay"])
    page = o.page
    page.click("#toggle-filters")
    page.fill("#asof", "2008-01-31")
    page.dispatch_event("#asof", "change")
    rows = {r["id"]: r for r in page.evaluate(AS_OF_STATE)}
    assert rows[JAY]["state"] == "after" and rows[JAY]["opacity"] < 1
    later = [r for r in rows.values() if r["date"] and r["date"]["earliest"] > "2008-01-31"]
    assert len(later) > 10 and all(r["state"] == "after" and r["opacity"] < 1 for r in later)
    for heal in HEALS:   # everything earlier is drawn as before
        assert rows[heal]["state"] == "before" and rows[heal]["opacity"] == 1
    undated = [r for r in rows.values() if not r["date"]]
    assert undated and all(r["state"] == "undated" and r["opacity"] == 1 for r in undated)
    assert page.evaluate("window.cseGraph.entityCount()") == len(rows) == 36   # greyed, not removed
    assert "did not yet exist" in page.inner_text("#asof-note")
    page.evaluate(f"window.cseGraph.select('{JAY}', false)")
    assert "did not yet exist" in page.inner_text("#panel")
    assert "asof=2008-01-31" in page.evaluate("window.location.hash")
    page.reload()
    page.wait_for_selector("html[data-ready='true']", state="attached", timeout=30000)
    assert page.input_value("#asof") == "2008-01-31"
    rows = {r["id"]: r for r in page.evaluate(AS_OF_STATE)}
    assert rows[JAY]["state"] == "after" and rows[JAY]["opacity"] < 1 and rows[HEALS[0]]["opacity"] == 1
    # a year-precision item asked about mid-year straddles the date: drawn, marked, and the panel says so
    page.evaluate("window.cseGraph.setAsof('2003-06-30')")
    assert page.evaluate(f"window.cseGraph.asofOf('{HEALS[1]}')") == "straddles"
    page.evaluate(f"window.cseGraph.select('{HEALS[1]}', false)")
    assert "straddles the date" in page.inner_text("#panel")
    page.click("#toggle-filters")
    page.click("#asof-clear")
    assert page.evaluate(f"window.cseGraph.asofOf('{JAY}')") is None and "asof" not in page.evaluate("window.location.hash")
    assert page.evaluate(f"window.cseGraph.nodes.get('{JAY}').opacity") == 1
    clean(o)
    o.page.close()


def test_as_of_date_on_the_timeline_greys_bars_and_draws_the_date(browser, pages):
    o = open_page(browser, pages["timeline"], hash="#asof=2008-01-31")
    page = o.page
    assert page.input_value("#asof") == "2008-01-31"
    bars = page.evaluate("""() => window.cseGraph.renderer.itemsView.get().map(i => ({entity: i.entity, cls: i.className}))""")
    jay = [b for b in bars if b["entity"] == JAY]
    assert jay and all("asof-after" in b["cls"] for b in jay)
    assert all("asof-after" not in b["cls"] for b in bars if b["entity"] == HEALS[0])
    assert page.query_selector(".vis-custom-time") is not None
    clean(o)
    o.page.close()


# ---------------------------------------------------------------------------
# Overdue expectations as ghost links (issue 13): computed, never cited, never on a path
# ---------------------------------------------------------------------------

PROFILE_2010 = ID + "report/syp-strategic-problem-profile-2010"
GHOSTS = """() => window.cseGraph.edgesView.get().filter(e => e.ghost)
    .map(e => ({id: e.id, from: e.from, to: e.to, dashes: e.dashes, label: e.ghostLabel, evidence: e.evidence.length}))"""


def overdue_pairs(store):
    from cse_graph.explore.overdue import overdue

    late = {x["id"] for x in overdue(store, 12)}
    return {(str(r["r"]), str(r["a"])) for r in store.select("SELECT ?r ?a WHERE { ?r cse:addressedTo ?a }")
            if str(r["r"]) in late}


def click_edge(page, edge_id):
    page.evaluate(f"""() => {{ const n = window.cseGraph.network; n.selectEdges(['{edge_id}']);
        n.body.emitter.emit('click', {{nodes: [], edges: ['{edge_id}'], pointer: {{DOM: {{x: 0, y: 0}}, canvas: {{x: 0, y: 0}}}}}}); }}""")


def test_overview_draws_overdue_recommendations_as_ghost_links_to_their_addressee(browser, pages, store):
    o = open_page(browser, pages["overview"])
    page = o.page
    pairs = overdue_pairs(store)
    assert len(pairs) >= 1
    # the overview opens without agencies: a ghost link is drawn when both its ends are, like any link,
    # and the recommendation's panel says which filter hides its addressee and lifts just that one
    assert page.evaluate(GHOSTS) == []
    rec = sorted(pairs)[0][0]
    page.evaluate(f"window.cseGraph.select('{rec}', false)")
    assert "is not drawn: “Agencies” is unticked" in page.inner_text("#panel")
    page.click("#panel .ghost-note .warn button")
    assert page.is_checked("#legend input[data-family='agency']")
    assert (rec, sorted(pairs)[0][1]) in {(g["from"], g["to"]) for g in page.evaluate(GHOSTS)}
    page.click("#toggle-filters")
    page.click("#reset")   # every kind: every ghost link drawn
    ghosts = page.evaluate(GHOSTS)
    assert {(g["from"], g["to"]) for g in ghosts} == pairs          # one per addressee, no other
    drawn = set(page.evaluate("window.cseGraph.network.body.edgeIndices"))
    assert all(g["id"] in drawn and g["dashes"] and g["evidence"] == 0 for g in ghosts)
    assert {g["label"] for g in ghosts} == {"no recorded response after 12 months"}
    cited = page.evaluate("() => window.cseGraph.edgesView.get().filter(e => !e.ghost).map(e => e.color.color)")
    assert "#a21caf" not in cited                                     # a colour no cited link has
    click_edge(page, ghosts[0]["id"])
    text = page.inner_text("#panel")
    assert "Computed, not a cited link" in text and "queries/analyses/overdue-recommendations.rq" in text
    assert (ROOT / "queries" / "analyses" / "overdue-recommendations.rq").is_file()
    ghost_ids = {g["id"] for g in ghosts}
    for g in ghosts:   # never a step of a path, even between the very two ends it joins
        paths = page.evaluate(f"window.cseGraph.shortestPaths('{g['from']}', '{g['to']}', 5)")
        assert all(step["edge"] not in ghost_ids for p in paths for step in p)
    page.evaluate(f"window.cseGraph.select('{ghosts[0]['from']}', false)")
    assert "Overdue — computed, not a cited link" in page.inner_text("#panel")
    assert "no recorded response after 12 months" in page.inner_text("#panel")
    clean(o)
    o.page.close()


def test_lineage_draws_ghost_links_and_their_addressee(browser, key_lineages, store):
    o = open_page(browser, key_lineages[PROFILE_2010], viewport=(1440, 900))
    page = o.page
    ghosts = page.evaluate(GHOSTS)
    expected = {p for p in overdue_pairs(store) if p[0] in {n["id"] for n in lineage(store, PROFILE_2010, direction="both", depth=3)["nodes"]}}
    assert expected and {(g["from"], g["to"]) for g in ghosts} == expected
    addressee = ghosts[0]["to"]
    page.evaluate(f"window.cseGraph.select('{addressee}', false)")
    assert "addressee of an overdue recommendation" in page.inner_text("#panel")
    # the print of the whole chain holds cited links only
    assert "no recorded response" not in page.inner_text("#print-chain")
    clean(o)
    o.page.close()


# ---------------------------------------------------------------------------
# Recurring lessons in the panel (issue 13): a member shows its group, each other member clickable
# ---------------------------------------------------------------------------

def test_selecting_a_member_of_a_recurrence_group_lists_the_others_with_their_quotes(browser, pages, store):
    from cse_graph.explore.recurrence import recurrence

    group = next(g for g in recurrence(store)["groups"] if len(g["members"]) >= 3)
    first, *others = group["members"]
    o = open_page(browser, pages["overview"])
    page = o.page
    page.evaluate(f"window.cseGraph.select('{first['id']}', true)")
    section = page.inner_text("#panel .recurrence")
    assert group["label"] in section
    for m in group["members"]:   # every member, with its document, its year and its passage
        assert m["label"] in section and m["document_label"] in section and str(m["year"]) in section
        assert m["evidence"] and m["evidence"][0]["quote"][:60] in section
    page.click(f"#panel .recurrence li >> text={others[0]['label']}")
    assert page.evaluate("window.cseGraph.selection().selected") == others[0]["id"]
    assert page.inner_text("#panel h2") == others[0]["label"]
    assert first["label"] in page.inner_text("#panel .recurrence")   # the group again, from the other side
    clean(o)
    o.page.close()
