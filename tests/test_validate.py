"""Validation: the shipped data conforms; every invalid fixture fails with the rule it targets."""

from __future__ import annotations

import pytest

from cse_graph.build import DataFileError, compile_graph
from cse_graph.validate import validate_store

from .conftest import FIXTURES, make_data_dir

INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
WARNINGS = sorted((FIXTURES / "warnings").glob("*.ttl"))
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))


def _validate(tmp_path, fixture, seeds_dir):
    compiled = compile_graph(make_data_dir(tmp_path, fixture))
    return validate_store(compiled.store, seeds_dir=str(seeds_dir), quotes=True)


def test_the_worked_example_conforms(tmp_path, seeds_dir):
    rep = validate_store(compile_graph(make_data_dir(tmp_path)).store, seeds_dir=str(seeds_dir), quotes=True)
    assert rep.problems == []


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_with_its_rule(tmp_path, fixture, seeds_dir):
    target = fixture.stem.split("--")[0]
    rep = _validate(tmp_path, fixture, seeds_dir)
    rules = {p.rule for p in rep.violations}
    assert not rep.conforms
    assert rules == {target}, f"expected only {target}, got {sorted(rules)}"
    focus_labels = {p.label for p in rep.violations}
    assert all(label and "genid" not in label for label in focus_labels), "problems must name a labelled entity"


@pytest.mark.parametrize("fixture", WARNINGS, ids=lambda p: p.stem)
def test_warning_fixture_warns_but_conforms(tmp_path, fixture, seeds_dir):
    target = fixture.stem.split("--")[0]
    rep = _validate(tmp_path, fixture, seeds_dir)
    assert rep.conforms
    assert target in {p.rule for p in rep.warnings}


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.stem)
def test_valid_fixture_conforms(tmp_path, fixture, seeds_dir):
    rep = _validate(tmp_path, fixture, seeds_dir)
    assert rep.problems == []


def test_malformed_file_names_file_and_line(tmp_path):
    bad = FIXTURES / "malformed" / "unterminated-string.ttl"
    with pytest.raises(DataFileError) as err:
        compile_graph(make_data_dir(tmp_path, bad))
    e = err.value
    assert e.path.endswith("unterminated-string.ttl")
    assert e.line == 32
    assert "unterminated-string.ttl:32" in str(e)


# Shapes with no target of their own, reached only through sh:node from another shape: their failures are
# reported under that shape's name, so their fixture is one of that shape's (named here).
NODE_ONLY_SHAPES = {
    "ConfidenceConcept": "InfluenceShape--confidence-outside-scheme",
    "VerdictConcept": "FindingShape--verdict-outside-scheme",
    "AgencyKindConcept": "OrganizationShape--kind-outside-scheme",
}
PYTHON_RULES = {"QuoteInSeed", "LocatorMatchesSeed", "SourceRegistered", "description-mention"}   # validate.py, mentions.py


def test_every_shape_and_check_has_a_fixture_and_every_fixture_a_rule():
    import re

    from .conftest import ROOT

    shapes = set(re.findall(r"^shape:(\w+)\s+a sh:NodeShape", (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8"), re.M))
    checks = {p.stem for p in (ROOT / "queries" / "checks").glob("*.rq")}
    covered = {p.stem.split("--")[0] for p in INVALID + WARNINGS}
    assert not covered - shapes - checks - PYTHON_RULES, "fixtures named after no rule"
    assert checks <= covered, sorted(checks - covered)
    fixtures = {p.stem for p in INVALID + WARNINGS}
    assert all(NODE_ONLY_SHAPES[s] in fixtures for s in NODE_ONLY_SHAPES), "a node-only shape's fixture is missing"
    assert sorted(shapes - covered - set(NODE_ONLY_SHAPES)) == [], "every shape needs a fixture that fails it"
