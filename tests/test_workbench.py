"""The workbench at / (vendored YASGUI) in Debian's Chromium with every request outside the test
server blocked: it loads with zero failed or blocked requests and no console error, runs a
competency question from its examples list and shows the rows, renders a hostile literal as
inert text, completes the project's prefixes without reaching out, and links result entities to
/describe pages (facts and quotes, escaped)."""

from __future__ import annotations

import pytest

from .servers import start_cse_graph, stop

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


@pytest.fixture(scope="module")
def server(store):
    proc, base = start_cse_graph("--timeout", "10")
    yield base
    stop(proc)


@pytest.fixture
def opened(server, browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    rec = {"blocked": [], "failed": [], "errors": [], "dialogs": [], "requests": []}

    def route(r):
        if r.request.url.startswith(server + "/"):
            rec["requests"].append(r.request.url)
            r.continue_()
        else:
            rec["blocked"].append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("requestfailed", lambda r: rec["failed"].append(r.url))
    page.on("console", lambda m: rec["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: rec["errors"].append(str(e)))
    page.on("dialog", lambda d: (rec["dialogs"].append(d.message), d.dismiss()))
    page.goto(server + "/")
    page.wait_for_selector("#yasgui .CodeMirror", timeout=30000)
    yield page, rec
    ctx.close()


def clean(rec):
    assert rec["blocked"] == [] and rec["failed"] == [], rec
    assert rec["errors"] == [] and rec["dialogs"] == [], rec


def test_loads_offline_with_zero_failed_requests(opened):
    page, rec = opened
    assert page.locator("#examples button").count() >= 40
    assert any("/static/yasgui/yasgui.min.js" in u for u in rec["requests"])
    clean(rec)


def test_runs_a_competency_question_from_the_examples(opened):
    page, rec = opened
    page.click("#examples button[data-name='chief-constables']")
    page.wait_for_selector("#yasgui .yasr table tbody tr td", timeout=30000)
    table = page.inner_text("#yasgui .yasr table")
    assert "David Crompton" in table
    assert "chief-constables" in page.inner_text("#yasgui .tabsList")
    assert "PREFIX " in page.inner_text("#yasgui .CodeMirror")   # the prefixes it uses are declared
    with page.expect_download() as dl:                            # the result table downloads as CSV
        page.click("#yasgui .yasr_downloadIcon")
    assert "David Crompton" in open(dl.value.path(), encoding="utf-8").read()
    clean(rec)


def run_typed(page, query):
    page.click("#yasgui .CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.locator("#yasgui .CodeMirror textarea").type(query, delay=0)
    page.click("#yasgui .yasqe_queryButton")
    page.wait_for_selector("#yasgui .yasr table tbody tr td", timeout=30000)


def blocked_by_csp_only(rec):
    """YASR's table builds HTML from the result in more than one place; the page's Content-
    Security-Policy (script-src 'self', no inline handlers) is what keeps a hostile value inert.
    A console report of exactly that refusal is allowed; any other error is not."""
    assert rec["blocked"] == [] and rec["failed"] == [] and rec["dialogs"] == [], rec
    others = [e for e in rec["errors"] if not ("inline event handler" in e and "Content Security Policy" in e)]
    assert others == [], others


@pytest.mark.parametrize("expr", [
    '"' + HOSTILE.replace('"', '\\"') + '"',                                        # a literal
    'IRI("http://example.org/x\'onmouseover=\'window.__pwned=3\'y=\'")',          # an IRI that breaks out of href='…'
])
def test_a_hostile_value_is_inert(opened, expr):
    page, rec = opened
    run_typed(page, "SELECT ?x WHERE { BIND(" + expr + " AS ?x) }")
    cell = page.locator("#yasgui .yasr table tbody tr td").last
    assert "onerror" in cell.inner_text() or "onmouseover" in cell.inner_text()
    cell.hover()
    cell.locator("a, span").first.hover()
    assert page.locator("#yasgui .yasr img[src='x']").count() == 0
    assert page.locator("#yasgui .yasr script").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    blocked_by_csp_only(rec)


def test_entity_links_open_the_describe_page(opened, server):
    page, rec = opened
    run_typed(page, "SELECT ?op WHERE { ?op a cse:Operation } ORDER BY ?op")
    page.wait_for_selector("#yasgui .yasr table tbody tr td a[href^='/describe?iri=']", timeout=30000)
    page.locator("#yasgui .yasr table tbody tr td a[href^='/describe?iri=']").first.click()
    page.wait_for_selector("main h1", timeout=30000)
    assert page.url.startswith(server + "/describe?iri=")
    assert page.locator("blockquote").count() >= 1
    clean(rec)


def test_completion_uses_the_projects_own_terms_offline(opened):
    page, rec = opened
    page.click("#yasgui .CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.locator("#yasgui .CodeMirror textarea").type("SELECT * WHERE { ?s a cse:Operat", delay=0)
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li", timeout=15000)
    assert "cse:Operation" in page.inner_text(".CodeMirror-hints")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+End")
    page.locator("#yasgui .CodeMirror textarea").type(" . ?s cse:le", delay=0)
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li", timeout=15000)
    assert "cse:ledBy" in page.inner_text(".CodeMirror-hints")
    clean(rec)
