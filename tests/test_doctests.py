"""The examples in the pure helpers' docstrings run (dates, IRI compaction, bounds, normalisation, the
SPARQL-JSON term writer, exit codes): each module listed must have examples, and every one must pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "cse_graph.vocab",                    # compact / expand: IRIs ↔ prefixed names
    "cse_graph.explore.places",           # bound: years and days as ISO bounds
    "cse_graph.seeds",                    # fold / normalise: how quotes are matched
    "cse_graph.explore.resolution",       # normalise_name: how typed names are matched
    "cse_graph.explore.description",      # concept_name
    "cse_graph.cli.output",               # short_date: dates in tables
    "cse_graph.engine",                   # json_term: SPARQL 1.1 Results JSON terms
    "cse_graph.errors",                   # exit_code_of
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
