"""The command line: every read command's JSON against its schema, exit codes, error messages
without tracebacks, README coverage and --help text, and one run of the installed script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import jsonschema
import pytest

from cse_graph.cli import cli

from .conftest import FIXTURES, ROOT, make_data_dir
from .conftest import run_cli as run

SCHEMAS = Path(__file__).resolve().parent / "schemas"


def schema(name):
    return json.loads((SCHEMAS / f"{name}.json").read_text())




def run_json(*args, code=0):
    return json.loads(run(*args, "--format", "json", code=code).stdout)


@pytest.mark.parametrize("args,name", [
    (("search", "heal"), "search"),
    (("lineage", "Jay report"), "lineage"),
    (("lineage", "op:clover", "--direction", "up", "--min-confidence", "partly"), "lineage"),
    (("lineage", "op:central", "--direction", "both", "--depth", "2"), "lineage"),
    (("path", "Operation Glover", "Sheffield City Council", "--k", "2"), "path"),
    (("missed",), "missed"),
    (("missed", "--district", "Sheffield", "--since", "2005", "--until", "2010"), "missed"),
    (("gaps",), "gaps"),
    (("timeline", "--district", "Doncaster"), "timeline"),
    (("stats",), "stats-tables"),
    (("stats", "1"), "stats"),
    (("stats", "table-08-staff"), "stats"),
    (("rank",), "rank"),
    (("rank", "--measure", "pagerank", "--type", "document"), "rank"),
    (("show", "Operation Clover"), "show"),
    (("show", "David Crompton"), "show"),
    (("query", "drew-recommendations"), "sparql-results"),
    (("query", "-e", "ASK { op:clover a cse:Operation }"), "sparql-results"),
    (("queries",), "queries"),
], ids=lambda x: " ".join(x) if isinstance(x, tuple) else x)
def test_json_output_matches_its_schema(store, args, name):
    out = run_json(*args)
    jsonschema.validate(out, schema(name))


def test_validate_json_matches_schema_and_passes():
    out = run_json("validate")
    jsonschema.validate(out, schema("validate"))
    assert out["passed"] is True and out["violations"] == 0


def test_validate_conforms_is_what_a_shacl_engine_says(compiled):
    """`conforms` is SHACL's verdict on the shapes (false with any result, warnings included, as
    pySHACL reports it without allow_warnings); `passed` is ours (no violations)."""
    import pyoxigraph as ox
    import pyshacl
    from rdflib import Graph

    out = run_json("validate")
    data = Graph().parse(data=compiled.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
                         .decode("utf-8"), format="nt")
    conforms, _, _ = pyshacl.validate(data, shacl_graph=Graph().parse(ROOT / "ontology" / "shapes.ttl"),
                                      inference="none", allow_warnings=False)
    assert out["conforms"] is conforms
    assert out["passed"] is (out["violations"] == 0)


def test_lineage_text_tells_a_cited_story():
    text = run("lineage", "op:clover", "--direction", "up", "--format", "text").stdout
    assert "Operation Clover was partly prompted by" in text
    assert "— Drew review (2016), Chapter 4 › Growing scrutiny: “Operation Clover was launched in August 2013" in text


def test_tables_and_csv_render(store):
    t = run("missed", "--format", "table").stdout
    assert any(line.startswith("date") for line in t.splitlines()[:2]) and "Dr Heal" in t
    c = run("lineage", "Jay report", "--format", "csv").stdout
    assert c.splitlines()[0] == "hops,date,date as worded,source,relation,target,confidence,lag (months),evidence"
    q = run("query", "chief-constables", "--format", "csv").stdout
    assert "David Crompton" in q


def test_unknown_entity_suggests_and_exits_1():
    r = run("show", "Operation Clovver", "--format", "json", code=0)  # a typo still resolves
    assert json.loads(r.stdout)["label"] == "Operation Clover"
    r = run("lineage", "Operation Zebra", code=1)
    assert "matches nothing" in r.stderr and "Did you mean" in r.stderr
    r = run("show", "Heal report", code=1)
    assert "ambiguous" in r.stderr and "Heal report (2003)" in r.stderr


def test_malformed_sparql_reports_the_parser_position():
    r = run("query", "-e", "SELECT ?x WHERE { ?x a }", code=2)
    assert "line 1, column" in r.stderr and "malformed" in r.stderr


def test_sparql_update_is_refused():
    r = run("query", "-e", "INSERT DATA { op:x a cse:Operation }", code=2)
    assert "read-only" in r.stderr


def test_empty_select_exits_1():
    run("query", "-e", "SELECT ?x WHERE { ?x a cse:Nothing }", "--format", "json", code=1)


def test_unknown_query_name_suggests():
    r = run("query", "drew-recomendations", code=1)
    assert "drew-recommendations" in r.stderr


def test_bad_table_and_bad_dimension():
    assert "ambiguous" in run("stats", "8", code=1).stderr
    assert "--by takes" in run("stats", "1", "--by", "colour", code=2).stderr


def test_no_path_exits_1():
    run("path", "place:leeds", "place:lancashire", code=1)


def test_malformed_data_file_names_file_and_line(tmp_path):
    d = make_data_dir(tmp_path, FIXTURES / "malformed" / "unterminated-string.ttl")
    r = run("validate", "--data", str(d), code=2)
    assert "unterminated-string.ttl:32" in r.stderr
    r = run("missed", "--data", str(d), code=2)
    assert "unterminated-string.ttl:32" in r.stderr


def test_validate_fails_on_invalid_data(tmp_path):
    d = make_data_dir(tmp_path, FIXTURES / "invalid" / "PersonShape--person-without-post.ttl")
    r = run("validate", "--data", str(d), "--format", "table", code=1)
    assert "PersonShape" in r.stdout and "Somebody" in r.stdout


def test_cite_prints_an_evidence_block():
    out = run("cite", "Operation Clover was launched in August 2013").stdout
    assert 'cse:locator "Chapter 4 › Growing scrutiny"' in out
    assert "not found" in run("cite", "no such words anywhere here", code=1).stderr


def test_export_commands_write_files(tmp_path):
    run("export", "html", "--view", "lineage", "--focus", "op:clover", "-o", str(tmp_path / "c.html"))
    assert (tmp_path / "c.html").stat().st_size > 100_000
    run("export", "rdf", "--format", "turtle", "-o", str(tmp_path / "g.ttl"))
    run("export", "network", "--format", "csv", "-o", str(tmp_path))
    assert (tmp_path / "edges.csv").is_file() and (tmp_path / "nodes.csv").is_file()
    assert "--focus" in run("export", "html", "--view", "lineage", code=2).stderr


def all_commands():
    out = []
    for name, cmd in sorted(cli.commands.items()):
        if isinstance(cmd, click.Group):
            out += [(f"{name} {sub}", c) for sub, c in sorted(cmd.commands.items())]
        out.append((name, cmd))
    return out


@pytest.mark.parametrize("name,cmd", all_commands(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_is_documented_and_has_help(name, cmd):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"cse-graph {name}" in readme, f"`cse-graph {name}` is not in README.md"
    assert cmd.help and len(cmd.help.strip()) > 40
    r = run(*name.split(), "--help")
    assert "Usage: " in r.output and "Options:" in r.output


def test_installed_console_script_runs_as_a_subprocess(store):
    exe = Path(sys.executable).parent / "cse-graph"
    assert exe.is_file(), "pip install -e . installs the cse-graph console script"
    p = subprocess.run([str(exe), "lineage", "op:glover", "--direction", "up", "--format", "json"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    jsonschema.validate(out, schema("lineage"))
    assert out["edges"][0]["source"].endswith("/report/ukhtc-intelligence-review-2006")
    p = subprocess.run([str(exe), "show", "Nothing Like This At All"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 1 and "Traceback" not in p.stderr
