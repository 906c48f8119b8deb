"""One table of user inputs → exit code and message, with no traceback on stderr: inverted ranges,
unknown kinds, negative limits, partial dates, empty/looping/dangling data folders, ill-typed literals,
invalid dates, a literal too big to parse, undeclared prefixes, missing query files, -o under a file or
in a missing folder, an unwritable cache, and a write that runs out of room."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cse_graph.cli import cli

from .conftest import EXAMPLE

PREFIXES = """@prefix cse: <https://w3id.org/cse-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix report: <https://w3id.org/cse-graph/id/report/> .
"""


def data(tmp: Path, name: str, extra: str | None = None) -> Path:
    d = tmp / name
    d.mkdir()
    (d / "example.ttl").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    if extra is not None:
        (d / "extra.ttl").write_text(PREFIXES + extra, encoding="utf-8")
    return d


def fixtures(tmp: Path) -> dict[str, Path]:
    f = {"tmp": tmp}
    f["empty"] = tmp / "empty"
    f["empty"].mkdir()
    f["loop"] = data(tmp, "loop")
    os.symlink("../loop", f["loop"] / "again")
    f["fileloop"] = data(tmp, "fileloop")
    os.symlink("b.ttl", f["fileloop"] / "a.ttl")
    os.symlink("a.ttl", f["fileloop"] / "b.ttl")
    f["dangling"] = data(tmp, "dangling")
    os.symlink(str(tmp / "nowhere" / "gone.ttl"), f["dangling"] / "gone.ttl")
    f["illtyped"] = data(tmp, "illtyped", 'report:x a cse:Report ; rdfs:label "X report" ;\n'
                                           '    cse:statedRecommendationCount "many"^^xsd:integer .\n')
    f["baddate"] = data(tmp, "baddate", 'report:y a cse:Report ; rdfs:label "Y report" ;\n'
                                         '    time:hasTime [ time:inXSDDate "2014-13-45"^^xsd:date ] .\n')
    f["huge"] = data(tmp, "huge", 'report:z a cse:Report ; rdfs:label "Z" ; dct:description "'
                                   + "a" * 20_000_000 + '" .\n')
    f["afile"] = tmp / "afile"
    f["afile"].write_text("not a folder")
    return f


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    return fixtures(tmp_path_factory.mktemp("inputs"))


# (argv with {placeholders}, exit code, text expected on stderr (or stdout for a finding), env)
CASES = [
    ("missed --since 2012 --until 2010", 2, "is after --until", None),
    ("timeline --since 2012 --until 2010", 2, "is after --until", None),
    ("timeline --since 2016-07 --until 2016-12 --format json", 0, "", None),
    ("timeline --since 2016-13", 2, "not a year, month or day", None),
    ("missed --until 2010-02-30", 2, "not a year, month or day", None),
    ("rank --type Banana", 2, "unknown kind 'Banana'", None),
    ("rank --limit -3", 2, "-3 is not in the range", None),
    ("search heal --limit 0", 2, "0 is not in the range", None),
    ("stats 1 --by colour", 2, "--by takes", None),
    ("stats 9 --by year", 2, "has no year dimension", None),
    ("missed --district Narnia", 1, "matches no place", None),
    ("path op:clover Operation_Clover", 2, "the same entity", None),
    ("validate --data {empty}", 2, "no Turtle (.ttl) files", None),
    ("validate --data {loop}", 2, "symbolic link loop", None),
    ("validate --data {fileloop}", 2, "symbolic link loop", None),
    ("validate --data {dangling}", 2, "dangling symbolic link", None),
    ("missed --data {dangling}", 2, "dangling symbolic link", None),
    ("validate --data {illtyped} --no-warnings --format table", 1, "'many' is not a valid xsd:integer", None),
    ("gaps --data {illtyped} --format json", 0, "", None),
    ("validate --data {baddate} --no-warnings --format table", 1, "'2014-13-45' is not a valid xsd:date", None),
    ("build --data {baddate} --format json", 0, "", None),
    ("validate --data {huge}", 2, "too large to parse", None),
    ("export html -o {afile}/x.html", 2, "is a file, not a folder", None),
    ("export html -o {tmp}/missing/dir/x.html", 2, "does not exist", None),
    ("export rdf -o {tmp}/missing/dir/g.ttl", 2, "does not exist", None),
    ("export all -o {tmp}/missing/dir", 2, "does not exist", None),
    ("export network --format csv -o {tmp}/net.csv", 2, "give -o a folder", None),
    ("export html --view overview --focus op:clover", 2, "applies only to --view lineage", None),
    ("query -e SELECT_*_WHERE_{{_?s_foo:bar_?o_}}", 2, "undeclared prefix foo:", None),
    ("query missing.rq", 2, "missing.rq: no such query file", None),
    ("query drew-recomendations", 1, "Did you mean: drew-recommendations", None),
    ("missed", 2, "is a file, not a folder", {"CSE_GRAPH_CACHE": "{afile}/cache"}),
]


@pytest.mark.parametrize("argv,code,message,env", CASES, ids=[c[0].split(" {")[0][:60] for c in CASES])
def test_bad_input_gets_a_message_and_an_exit_code(store, fx, argv, code, message, env):
    args = [a.replace("_", " ") if a.startswith(("SELECT", "Operation_")) else a for a in argv.format(**fx).split()]
    env = {k: v.format(**fx) for k, v in env.items()} if env else None
    r = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    assert "internal error" not in r.stderr
    assert r.exit_code == code, f"{argv}: exit {r.exit_code}\n{r.stderr}\n{r.stdout[:500]}"
    if message:
        assert message in (r.stderr if code != 1 or "validate" not in argv else r.stdout), r.stderr + r.stdout[:800]
    if code == 2:
        assert r.stderr.count("\n") <= 4, "one short message, not a wall of text"


def test_an_empty_district_is_refused(store):
    r = CliRunner().invoke(cli, ["timeline", "--district", ""], catch_exceptions=False)
    assert r.exit_code == 2 and "--district is empty" in r.stderr


def test_a_missing_output_folder_is_not_created(fx):
    CliRunner().invoke(cli, ["export", "html", "-o", str(fx["tmp"] / "missing" / "dir" / "x.html")])
    assert not (fx["tmp"] / "missing").exists()


def test_a_write_that_runs_out_of_room_names_the_file(store, tmp_path):
    """A real failed write: the process may write at most 100 kB per file (RLIMIT_FSIZE), as a full
    disk would stop it; the message names the file, the exit code is 2, no partial file is left."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    exe = Path(sys.executable).parent / "cse-graph"
    target = tmp_path / "graph.ttl"
    p = subprocess.run([str(exe), "export", "rdf", "-o", str(target)], preexec_fn=limit, capture_output=True,
                       text=True, timeout=300, env={**os.environ})
    assert p.returncode == 2, p.stderr
    assert str(target) in p.stderr and "Traceback" not in p.stderr and "internal error" not in p.stderr
    assert list(tmp_path.iterdir()) == []


def test_exported_files_and_folders_have_ordinary_permissions(store, tmp_path):
    old = os.umask(0o022)
    try:
        r = CliRunner().invoke(cli, ["export", "network", "--format", "csv", "-o", str(tmp_path / "net")])
        assert r.exit_code == 0, r.output
        r = CliRunner().invoke(cli, ["export", "html", "--view", "missed", "-o", str(tmp_path / "m.html")])
        assert r.exit_code == 0, r.output
    finally:
        os.umask(old)
    for f in [tmp_path / "m.html", *(tmp_path / "net").iterdir()]:
        assert f.stat().st_mode & 0o777 == 0o644, f
    assert (tmp_path / "net").stat().st_mode & 0o777 == 0o755


def test_a_month_bound_filters_by_month(store):
    import json

    def items(*a):
        r = CliRunner().invoke(cli, ["timeline", *a, "--format", "json"], catch_exceptions=False)
        return json.loads(r.stdout)

    half = items("--since", "2016-07", "--until", "2016-12")
    year = items("--since", "2016", "--until", "2016")
    assert half and len(half) < len(year)
    assert all(i["date"]["latest"] >= "2016-07-01" and i["date"]["earliest"] <= "2016-12-31" for i in half)
