"""Big views as linked pages (export/pages.py): the plan, the pages, and a real browser on them.

The synthetic corpus (benchmarks/synth.py) stands in for a big graph; a small --max-nodes makes
it big enough to need pages while keeping the test quick.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from cse_graph.export import pages as pg
from cse_graph.export.html import _safe_href, make_view, write_html

from .browser import open_page

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 120


def _synth():
    spec = importlib.util.spec_from_file_location("synth", ROOT / "benchmarks" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    from cse_graph.store import open_store

    d = tmp_path_factory.mktemp("synth")
    _synth().generate(d, 10_000, seed=11)
    return open_store(d, progress=lambda m: None)


@pytest.fixture(scope="module")
def overview(big_store):
    return make_view(big_store, "overview", limit=LIMIT)


@pytest.fixture(scope="module")
def exported(big_store, overview, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "overview.html"
    return write_html(big_store, overview, out, limit=LIMIT)


def place_labels(store):
    from cse_graph.export.html import _places

    return _places(store)[0]


def test_plan_puts_every_entity_on_exactly_one_page_of_at_most_the_limit(big_store, overview):
    plan = pg.plan(overview.nodes, "overview.html", LIMIT, place_labels(big_store))
    leaves = [p for p in plan if not p.is_group_page]
    seen = [m for p in leaves for m in p.members]
    assert sorted(seen) == sorted(overview.nodes) and len(seen) == len(set(seen))
    assert all(len(p.members) <= LIMIT for p in leaves)
    assert plan[0].path == "overview.html" and plan[0].is_group_page and plan[0].level == "place"
    paths = {p.path for p in plan}
    for p in plan:
        assert set(p.children.values()) <= paths
        if p.is_group_page:   # a group page's groups cover exactly its members
            assert sorted(m for c in p.children.values() for m in next(q for q in plan if q.path == c).members) == sorted(p.members)
    assert len(paths) == len(plan)
    # deeper levels happen: some place was too big and was split by year (or into parts)
    assert {p.level for p in plan if p.is_group_page} >= {"place", "year"}


def test_plan_is_deterministic(big_store, overview):
    a = pg.plan(overview.nodes, "overview.html", LIMIT, place_labels(big_store))
    b = pg.plan(dict(reversed(list(overview.nodes.items()))), "overview.html", LIMIT, place_labels(big_store))
    assert [(p.path, p.members, p.children) for p in a] == [(p.path, p.members, p.children) for p in b]


def test_small_views_stay_one_page(store, tmp_path):
    out = tmp_path / "missed.html"
    assert write_html(store, make_view(store, "missed"), out) == [out]
    assert not (tmp_path / "missed-pages").exists()


def test_links_between_pages_are_relative_and_checked():
    assert pg.rel("overview-pages/a.html", "overview.html") == "overview-pages/a.html"
    assert pg.rel("overview.html", "overview-pages/a.html") == "../overview.html"
    assert pg.rel("overview-pages/b.html", "overview-pages/a.html") == "b.html"
    for bad in ("javascript:alert(1)", "http://example.org/x.html", "../../x.html", "a.html?x=<script>", "/etc/x.html"):
        with pytest.raises(ValueError):
            _safe_href(bad)


def test_every_written_page_links_only_to_pages_that_exist(exported):
    main = exported[0]
    assert len(exported) > 5
    for f in exported:
        html = f.read_text(encoding="utf-8")
        for href in set(re.findall(r'"href": "([^"]+)"', html)):
            assert (f.parent / href).resolve().is_file(), (f.name, href)
        # no page draws more entities than the limit (groups and page links are extra, and few)
        net = json.loads(re.search(r'<script type="application/json" id="cse-network">(.*?)</script>', html, re.S).group(1))
        entities = [n for n in net["nodes"] if not n.get("decor") and "href" not in n]
        links = [n for n in net["nodes"] if "href" in n]
        assert len(entities) <= LIMIT and len(links) <= LIMIT, f.name
        assert not (entities and any(n["family"] != "page" for n in links)), "a page holds groups or entities, not both"
    assert (main.parent / "overview-pages").is_dir()


def test_rewriting_a_big_view_replaces_its_pages_and_a_failure_keeps_the_old_ones(big_store, overview, tmp_path, monkeypatch):
    import cse_graph.export.html as html

    out = tmp_path / "overview.html"
    first = write_html(big_store, overview, out, limit=LIMIT)
    before = {p: p.read_bytes() for p in first}
    (out.parent / "overview-pages" / "stale.html").write_text("from an older export")
    calls = {"n": 0}
    real = html.render

    def flaky(store, view):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("template broke on page 4")
        return real(store, view)

    monkeypatch.setattr(html, "render", flaky)
    with pytest.raises(RuntimeError):
        write_html(big_store, overview, out, limit=LIMIT)
    assert {p: p.read_bytes() for p in first} == before               # the previous export, intact
    assert (out.parent / "overview-pages" / "stale.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # no temporary folder left
    monkeypatch.setattr(html, "render", real)
    again = write_html(big_store, overview, out, limit=LIMIT)
    assert sorted(again) == sorted(first)
    assert not (out.parent / "overview-pages" / "stale.html").exists()  # pages replaced as a whole


def test_big_view_pages_work_in_a_browser(browser, exported, overview):
    main = exported[0]
    o = open_page(browser, main)
    page = o.page
    info = page.evaluate("""() => ({groups: window.cseGraph.nodes.get().filter(n => n.href && n.family !== 'page').length,
                                   total: window.cseGraph.entityCount(), crumbs: document.querySelectorAll('#crumbs a').length})""")
    assert info["groups"] > 5 and info["total"] == len(overview.nodes) and info["crumbs"] == 0
    # click the biggest group: the panel says what it holds and links to its page
    gid = page.evaluate("""() => window.cseGraph.nodes.get().filter(n => n.href && n.family !== 'page')
                                 .sort((a, b) => b.count - a.count)[0].id""")
    page.evaluate("(id) => window.cseGraph.focusNode(id)", gid)
    link = page.locator("#panel a.open")
    assert link.inner_text().startswith("Open this group")
    assert page.locator("#panel li").count() >= 1
    href = link.get_attribute("href")
    assert o.errors == [] and o.blocked == []
    # follow it (as a reader would), down to a page of entities
    with page.expect_navigation():
        link.click()
    page.wait_for_selector("html[data-ready='true']", state="attached")
    assert page.url.endswith(href.split("/")[-1])
    for _ in range(3):
        nodes = page.evaluate("() => window.cseGraph.nodes.get().filter(n => !n.decor)")
        groups = [n for n in nodes if n.get("href") and n["family"] != "page"]
        if not groups:
            break
        with page.expect_navigation():
            page.goto(page.url.rsplit("/", 1)[0] + "/" + groups[0]["href"])
        page.wait_for_selector("html[data-ready='true']", state="attached")
    assert not groups, "a member page within three clicks"
    assert page.locator("#crumbs a").first.inner_text() == overview.title
    entity = next(n for n in nodes if not n.get("href"))
    assert entity["evidence"], "entities on member pages carry their passages"
    page.evaluate("(id) => window.cseGraph.focusNode(id)", entity["id"])
    assert page.locator("#panel blockquote").count() >= 1
    portal = next((n for n in nodes if n["family"] == "page"), None)
    if portal:   # a link that leaves the page ends at a node that opens the other page
        assert (Path(page.url[len("file://"):]).parent / portal["href"]).is_file()
    assert o.errors == [] and o.blocked == []


def test_search_on_the_first_page_finds_any_entity_and_opens_its_page(browser, exported, overview):
    label = "Operation Synth-7"
    iri = next(n for n, i in overview.nodes.items() if i["label"] == label)
    o = open_page(browser, exported[0])
    page = o.page
    page.fill("#search", "operation synth-7")
    page.wait_for_selector("#results li")
    assert page.locator("#results li").first.inner_text().startswith(label)
    with page.expect_navigation():
        page.press("#search", "Enter")
    page.wait_for_selector("html[data-ready='true']", state="attached")
    assert "#sel=" in page.url   # the page state in the address (an old #focus= link still works)
    assert page.evaluate("() => window.cseGraph.network.getSelectedNodes()") == [iri]
    assert label in page.inner_text("#panel h2")
    assert o.errors == [] and o.blocked == []
