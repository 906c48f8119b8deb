"""Entity resolution: main kinds before ambiguity notes, findings, figures and observations; a unique
best at a clear margin resolves; suggestions best first; options that name a kind resolve only among it."""

from __future__ import annotations

import json

import pytest

from cse_graph.explore.common import NotFound, resolve

from .conftest import run_cli

ID = "https://w3id.org/cse-graph/id/"


def run(*args):
    return run_cli(*args, code=None)


@pytest.mark.parametrize("name,report,person", [
    ("Jay", "report/jay-2014", "person/alexis-jay"),
    ("Drew", "report/drew-review-2016", "person/john-drew"),
    ("Casey", "report/casey-2015", "person/louise-casey"),
])
def test_short_names_resolve_or_list_the_report_and_person_first(store, name, report, person):
    r = run("show", name, "--format", "json")
    if r.exit_code == 0:
        assert json.loads(r.stdout)["id"] in (ID + report, ID + person)
        return
    assert r.exit_code == 1 and "ambiguous" in r.stderr
    with pytest.raises(NotFound) as e:
        resolve(store, name)
    firsts = {s["id"] for s in e.value.suggestions[:2]}
    assert firsts == {ID + report, ID + person}, e.value.suggestions[:3]


def test_a_main_kind_beats_a_figure_and_an_ambiguity_note(store):
    assert resolve(store, "What does good look like") == ID + "report/what-does-good-look-like-2015"


def test_suggestions_come_best_first(store):
    with pytest.raises(NotFound) as e:
        resolve(store, "Casey")
    kinds = [s["kind"] for s in e.value.suggestions]
    minor = {"ambiguity", "finding", "statistics", "concept"}
    first_minor = next((n for n, k in enumerate(kinds) if k in minor), len(kinds))
    assert all(k not in minor for k in kinds[:first_minor])
    eff = [s["effective"] for s in e.value.suggestions]
    assert eff == sorted(eff, reverse=True)


@pytest.mark.parametrize("district", ["Narnia", "Jay report", "op:clover"])
def test_district_resolves_among_places_only(store, district):
    r = run("missed", "--district", district)
    assert r.exit_code == 1
    assert "place" in r.stderr and "Barnardo" not in r.stderr
    hint = r.stderr.split("Did you mean:")[-1]
    assert "place:" in hint and "report:" not in hint and "agency:" not in hint


def test_district_still_resolves_places(store):
    out = json.loads(run("timeline", "--district", "Rotherham", "--format", "json").stdout)
    assert out and out == json.loads(run("timeline", "--district", "place:rotherham", "--format", "json").stdout)


def test_search_breaks_ties_by_kind(store):
    hits = json.loads(run("search", "Casey", "--format", "json").stdout)
    ids = [h["id"] for h in hits]
    assert ids.index(ID + "report/casey-2015") < ids.index(ID + "agency/casey-inspection")
