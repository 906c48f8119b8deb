"""Load → compile: skolemisation, derived edges, date bounds, errors with file and line."""

from __future__ import annotations

import pytest

from cse_graph.build import DataFileError, _bounds, compile_graph, parse_file, skolemise_ntriples
from cse_graph.vocab import SPARQL_PREFIXES

from .conftest import FIXTURES, make_data_dir

TINY = FIXTURES / "tiny"


def test_skolem_iris_are_stable_across_builds():
    a = compile_graph(TINY).ntriples
    b = compile_graph(TINY).ntriples
    assert sorted(a.split(b"\n")) == sorted(b.split(b"\n"))
    assert b"_:" not in a
    assert b"/.well-known/genid/" in a


def test_skolemisation_keeps_structure_and_separates_parents():
    nt = b"""<http://e/a> <http://e/p> _:x .
_:x <http://e/q> "same" .
<http://e/b> <http://e/p> _:y .
_:y <http://e/q> "same" .
_:y <http://e/r> _:z .
_:z <http://e/q> "leaf" .
<http://e/c> <http://e/t> "has _:notabnode inside" ."""
    out = skolemise_ntriples(nt).decode()
    lines = out.split("\n")
    assert "_:x" not in out and "_:y" not in out and "_:z" not in out
    assert '"has _:notabnode inside"' in out                       # literals are left alone
    x = lines[0].split(" ")[2]
    y = lines[2].split(" ")[2]
    assert x != y, "identical content under different parents gives different IRIs"
    assert skolemise_ntriples(nt) == skolemise_ntriples(nt)


def test_shortcuts_are_derived_from_qualified_nodes():
    store = compile_graph(TINY).store
    rows = {(r["s"].value.rsplit("/", 1)[-1], r["o"].value.rsplit("/", 1)[-1])
            for r in store.query(SPARQL_PREFIXES + "SELECT ?s ?o WHERE { ?s cse:promptedBy ?o }")}
    assert rows == {("a1", "r1"), ("e1", "a1"), ("a2", "rec1")}
    assert bool(store.query(SPARQL_PREFIXES + "ASK { action:a1 prov:wasInfluencedBy report:r1 }"))
    assert bool(store.query(SPARQL_PREFIXES + "ASK { report:r1 cse:commissionedBy agency:council }"))
    assert bool(store.query(SPARQL_PREFIXES + "ASK { action:a1 a prov:Activity }"))          # type closure
    assert bool(store.query(SPARQL_PREFIXES + "ASK { person:p1 org:holds post:chief }"))     # memberships
    assert bool(store.query(SPARQL_PREFIXES + "ASK { report:r1 dct:issued \"2010-06\"^^xsd:gYearMonth }"))


@pytest.mark.parametrize("kind,value,expected", [
    ("day", "2016-02-24", ("2016-02-24", "2016-02-24")),
    ("month", "2012-02", ("2012-02-01", "2012-02-29")),      # leap year
    ("month", "2011-02", ("2011-02-01", "2011-02-28")),
    ("month", "2008-12", ("2008-12-01", "2008-12-31")),
    ("year", "2013", ("2013-01-01", "2013-12-31")),
    ("year", "13", None),
])
def test_date_bounds(kind, value, expected):
    assert _bounds(kind, value) == expected


def test_every_instant_gets_bounds_and_precision():
    store = compile_graph(TINY).store
    rows = list(store.query(SPARQL_PREFIXES + """SELECT ?t WHERE { ?t a time:Instant
        FILTER NOT EXISTS { ?t cse:earliest ?e ; cse:latest ?l ; cse:precision ?p } }"""))
    assert rows == []
    [r] = list(store.query(SPARQL_PREFIXES + """SELECT ?e ?l ?p WHERE { missed:m1 time:hasTime ?t .
        ?t cse:earliest ?e ; cse:latest ?l ; cse:precision ?p }"""))
    assert (r["e"].value, r["l"].value, r["p"].value.rsplit("/", 1)[-1]) == ("2011-01-01", "2011-12-31", "range")


def test_malformed_file_is_reported_with_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e nope:x .\n")
    with pytest.raises(DataFileError) as err:
        parse_file(bad)
    assert (err.value.line, err.value.column) == (3, 11)
    assert str(err.value).startswith(f"{bad}:3:11: ") and "nope" in str(err.value)


def test_non_utf8_file_is_reported(tmp_path):
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes('@prefix ex: <http://ex/> . ex:a ex:b "café" .'.encode("latin-1"))
    with pytest.raises(DataFileError) as err:
        compile_graph(make_data_dir(tmp_path, bad, with_example=False))
    assert "latin1.ttl" in str(err.value)


def test_missing_data_folder_is_an_error(tmp_path):
    with pytest.raises(DataFileError) as err:
        compile_graph(tmp_path / "nope")
    assert "no such folder" in str(err.value)
