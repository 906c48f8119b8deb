"""The one output layer: every read command × every format it offers exits 0 on a known entity and
emits parseable JSON/CSV; tables fit the terminal; dates in tables are normalised (wording kept in
CSV/JSON); plurals; cite without duplicates; CONSTRUCT as Turtle; edges.csv one row per GraphML edge."""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest

from cse_graph.cli import cli

from .conftest import run_cli as run

READ = {   # command line on a known entity (for commands that need one)
    "search": ["search", "Clover"], "show": ["show", "op:clover"], "lineage": ["lineage", "Jay report"],
    "path": ["path", "Operation Glover", "Sheffield City Council"], "missed": ["missed"], "gaps": ["gaps"],
    "timeline": ["timeline", "--district", "Doncaster"], "stats": ["stats", "1"], "rank": ["rank"],
    "queries": ["queries"], "query": ["query", "chief-constables"], "validate": ["validate"], "build": ["build"],
}


def formats(name):
    opt = next(p for p in cli.commands[name].params if p.name == "fmt")
    return list(opt.type.choices)




@pytest.mark.parametrize("name", sorted(READ))
def test_read_commands_take_table_json_csv(name):
    assert {"table", "json", "csv"} <= set(formats(name)), name
    if name in ("lineage", "path", "show", "missed"):
        assert "text" in formats(name)


CASES = [(n, f) for n in sorted(READ) for f in formats(n)]


@pytest.mark.parametrize("name,fmt", CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_every_read_command_in_every_format(store, name, fmt):
    out = run(*READ[name], "--format", fmt, env={"COLUMNS": "100"}).stdout
    assert out.strip()
    if fmt == "json":
        json.loads(out)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1, "a header and rows of the same width"
    elif fmt == "table":
        wide = [line for line in out.splitlines() if len(line) > 100]
        assert not wide, f"{len(wide)} lines wider than the 100-column terminal: {wide[0]!r}"


def test_table_dates_are_normalised_and_csv_keeps_the_wording(store):
    table = run("timeline", "--format", "table", env={"COLUMNS": "100"}).stdout
    body = [line for line in table.splitlines()[2:] if line[:1].strip()]
    assert body and all(re.match(r"\d{4}(-\d{2}){0,2}(–\d{4}(-\d{2})?)?\s", line) for line in body), body[:3]
    rows = list(csv.DictReader(io.StringIO(run("timeline", "--format", "csv").stdout)))
    assert any(r["date as worded"] != r["date"] for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows) or True  # order is by earliest bound
    items = json.loads(run("timeline", "--format", "json").stdout)
    assert any(not re.fullmatch(r"[\d-]+", i["date"]["text"]) for i in items), "JSON keeps the wording"


def test_missed_has_a_district_column_and_a_text_form(store):
    rows = list(csv.DictReader(io.StringIO(run("missed", "--format", "csv").stdout)))
    assert "district" in rows[0] and any("Rotherham" in r["district"] for r in rows)
    text = run("missed", "--format", "text").stdout
    assert "judged missed by" in text and "“" in text


def test_lineage_shows_hops(store):
    out = json.loads(run("lineage", "op:clover", "--direction", "up", "--format", "json").stdout)
    assert {e["hops"] for e in out["edges"]} >= {1}
    assert "hops" in run("lineage", "op:clover", "--direction", "up", "--format", "table").stdout.splitlines()[0]


def test_plurals(store):
    text = run("path", "op:clover", "report:jay-2014", "--k", "3", "--format", "text").stdout
    assert not re.search(r"\b1 steps\b", text)
    assert not re.search(r"\b1 (months|violations|warnings|entities|links|steps)\b",
                         run("lineage", "report:jay-2014", "--format", "text").stdout)
    from cse_graph.text import plural

    assert (plural(1, "step"), plural(2, "step"), plural(1, "entity", "entities")) == ("1 step", "2 steps", "1 entity")


def test_cite_prints_each_block_once():
    out = run("cite", "Operation Clover").stdout
    blocks = re.findall(r"cse:evidence \[.*?\] \] ;", out, re.S)
    assert blocks and len(blocks) == len(set(blocks))


def test_construct_prints_turtle(store):
    out = run("query", "-e", "CONSTRUCT { ?s a cse:Operation } WHERE { ?s a cse:Operation }").stdout
    assert out.startswith("@prefix") and "op:clover a cse:Operation" in out
    from rdflib import Graph

    assert len(Graph().parse(data=out, format="turtle")) > 10


def test_edges_csv_has_one_row_per_graphml_edge_and_evidence_by_edge_id(store, tmp_path):
    run("export", "network", "--format", "csv", "-o", str(tmp_path))
    run("export", "network", "--format", "graphml", "-o", str(tmp_path / "g.graphml"))
    g = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    with open(tmp_path / "edges.csv", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    with open(tmp_path / "evidence.csv", encoding="utf-8") as fh:
        evidence = list(csv.DictReader(fh))
    assert len(edges) == g.number_of_edges()
    assert sorted(e["id"] for e in edges) == sorted(k for _, _, k in g.edges(keys=True))
    assert len({e["id"] for e in edges}) == len(edges)
    by_edge = {}
    for ev in evidence:
        by_edge[ev["edge_id"]] = by_edge.get(ev["edge_id"], 0) + 1
    assert set(by_edge) <= {e["id"] for e in edges}
    assert all(int(e["evidence_count"]) == by_edge.get(e["id"], 0) for e in edges)


def test_rank_default_lists_documents_operations_actions_and_events(store):
    items = json.loads(run("rank", "--format", "json").stdout)["items"]
    assert items and {i["type"] for i in items} <= {"Report", "Article", "Broadcast", "Publication", "Guidance",
                                                    "Plan", "Correspondence", "Document", "Operation", "Action",
                                                    "Event", "ChangeEvent"}
    everything = json.loads(run("rank", "--type", "all", "--limit", "200", "--format", "json").stdout)["items"]
    assert {"Person", "Organisation"} & {i["type"] for i in everything}


def test_export_html_defaults_match_lineage(store, tmp_path):
    html = cli.commands["export"].commands["html"]
    lin = cli.commands["lineage"]
    default = {p.name: p.default for p in html.params}
    assert default["depth"] == {p.name: p.default for p in lin.params}["depth"]
    assert default["direction"] == {p.name: p.default for p in lin.params}["direction"]
    out = json.loads(run("export", "html", "--view", "lineage", "--focus", "op:clover", "-o", str(tmp_path / "c.html"),
                         "--report", "json").stdout)
    assert out[0]["file"].endswith("c.html")
    from cse_graph.cli.export import KEY_LINEAGES, lineage_file
    from cse_graph.vocab import expand

    assert lineage_file(expand("report:jay-2014"), "down") == "lineage-jay-2014.html"
    assert all(lineage_file(expand(k), "down").startswith("lineage-") for k in KEY_LINEAGES)


def test_progress_is_quiet_when_piped(store):
    r = run("lineage", "Jay report", "--format", "json")
    assert r.stderr == ""


LINK_QUERIES = ["chief-constables", "resignations", "drew-recommendations", "who-commissioned-what",
                "documents-that-prompted-operations", "ignored-reports-and-intelligence",
                "operations-and-what-prompted-them", "what-prompted-operation-clover", "jay-report-led-to",
                "drew-on-earlier-work", "actions-responding-to-recommendations"]


@pytest.mark.parametrize("name", LINK_QUERIES)
def test_named_queries_that_state_links_carry_their_evidence(store, name):
    out = json.loads(run("query", name, "--format", "json").stdout)
    variables = out["head"]["vars"]
    col = "evidence" if "evidence" in variables else "quote"
    assert col in variables, variables
    rows = out["results"]["bindings"]
    assert rows and all(r.get(col, {}).get("value") for r in rows), f"{name}: a row without its passage"


def test_long_commands_report_progress_on_a_terminal(store, tmp_path):
    r = run("export", "html", "--view", "missed", "-o", str(tmp_path / "m.html"), env={"CSE_GRAPH_PROGRESS": "1"})
    assert "cse-graph: drawing the missed view" in r.stderr
    r = run("export", "html", "--view", "missed", "-o", str(tmp_path / "m.html"), env={"CSE_GRAPH_PROGRESS": "0"})
    assert r.stderr == ""
