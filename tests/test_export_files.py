"""File exports: GraphML/GEXF round-trip through networkx, JSON-LD and Turtle re-parse isomorphic to
the compiled graph, CSV has every edge's quote, writes are atomic and pages deterministic."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from cse_graph.export import files
from cse_graph.export.html import make_view, render
from cse_graph.graph import projection


@pytest.fixture(scope="module")
def proj(store):
    return projection(store)


def test_graphml_round_trip(proj, tmp_path):
    out = files.write_graphml(proj, tmp_path / "g.graphml")
    g = nx.read_graphml(out)
    assert set(g.nodes) == set(proj.nodes)
    assert g.number_of_edges() == len(proj.edges)
    n = "https://w3id.org/cse-graph/id/operation/clover"
    assert g.nodes[n]["label"] == "Operation Clover" and g.nodes[n]["type"] == "Operation"
    rel = {(u, v, d["relation"], d["quote"]) for u, v, d in g.edges(data=True)}
    for e in proj.edges:
        assert (e["source"], e["target"], e["relation"], e["evidence"][0]["quote"] if e["evidence"] else "") in rel


def test_gexf_round_trip(proj, tmp_path):
    out = files.write_gexf(proj, tmp_path / "g.gexf")
    g = nx.read_gexf(out)
    assert set(g.nodes) == set(proj.nodes)
    assert g.number_of_edges() == len(proj.edges)
    labels = {d.get("label") for _, d in g.nodes(data=True)}
    assert "Jay report (2014)" in labels
    assert all("relation" in d for _, _, d in g.edges(data=True))


@pytest.mark.parametrize("fmt,parse", [("jsonld", "json-ld"), ("turtle", "turtle"), ("ntriples", "nt")])
def test_rdf_exports_are_isomorphic_to_the_compiled_graph(store, tmp_path, fmt, parse):
    source = Graph().parse(str(store.build.ntriples), format="nt")
    out = files.write_rdf(store.build.ntriples, tmp_path / f"graph.{fmt}", fmt)
    again = Graph().parse(str(out), format=parse)
    assert len(again) == len(source)
    assert isomorphic(again, source)


def test_csv_lists_every_edge_once_with_its_quote(proj, tmp_path):
    nodes_csv, edges_csv, evidence_csv = files.write_csv(proj, tmp_path / "nodes.csv", tmp_path / "edges.csv")
    with open(nodes_csv, encoding="utf-8") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == len(proj.nodes)
    with open(edges_csv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(proj.edges) and [r["id"] for r in rows] == [e["key"] for e in proj.edges]
    assert {(r["source"], r["target"], r["relation"]) for r in rows} == {(e["source"], e["target"], e["relation"]) for e in proj.edges}
    assert all(r["quote"] for r in rows if r["scope"] == "edge")
    with open(evidence_csv, encoding="utf-8") as fh:
        quotes = list(csv.DictReader(fh))
    assert len(quotes) == sum(len(e["evidence"]) for e in proj.edges)


def test_failed_write_leaves_the_previous_file_intact(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("previous export")
    with pytest.raises(RuntimeError):
        with files.atomic_write(target) as fh:
            fh.write("half a new page")
            raise RuntimeError("disk full")
    assert target.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]      # no temporary file left behind


def test_failed_html_export_leaves_the_previous_file_intact(store, tmp_path, monkeypatch):
    target = tmp_path / "overview.html"
    target.write_text("previous export")
    import cse_graph.export.html as html

    monkeypatch.setattr(html, "render", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("template broke")))
    with pytest.raises(RuntimeError):
        html.write_html(store, make_view(store, "missed"), target)
    assert target.read_text() == "previous export"


def test_pages_are_deterministic(store, proj):
    a = render(store, make_view(store, "missed", proj=proj))
    b = render(store, make_view(store, "missed", proj=proj))
    assert a == b
    import re

    assert not re.search(r"<script[^>]*\ssrc=", a), "no external scripts"
    assert re.findall(r"<link[^>]*>", a) == ['<link rel="icon" href="data:,">'], "no external stylesheets"
    assert "@import" not in a


def test_lineage_view_resolves_its_focus_like_the_cli(store, proj):
    from cse_graph.explore.common import NotFound

    jay = "https://w3id.org/cse-graph/id/report/jay-2014"
    views = [make_view(store, "lineage", focus=f, depth=2, proj=proj) for f in (jay, "report:jay-2014", "Jay report")]
    assert all(v.focus == jay for v in views)
    assert len(views[0].nodes) > 5 and [sorted(v.nodes) for v in views[1:]] == [sorted(views[0].nodes)] * 2
    with pytest.raises(NotFound):
        make_view(store, "lineage", focus="report:no-such-report", proj=proj)
