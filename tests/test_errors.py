"""One exception hierarchy (cse_graph/errors.py), mapped to exit codes in one place (cli/errors.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cse_graph import cli
from cse_graph.build import DataFileError
from cse_graph.cli.errors import Failure, NegativeAnswer, as_click_exception
from cse_graph.engine import QueryError
from cse_graph.errors import NoAnswer, UserError
from cse_graph.explore.resolution import NotFound
from cse_graph.seeds import SeedsMissing
from cse_graph.sources import SourceError
from cse_graph.tabular import SheetError


@pytest.mark.parametrize("cls", [DataFileError, SeedsMissing, SourceError, SheetError, QueryError])
def test_user_errors_are_one_family_and_exit_2(cls):
    assert issubclass(cls, UserError)
    e = cls("x", 1, 2, "bad") if cls is DataFileError else cls(["bad"]) if cls is SheetError else cls("bad")
    clean = as_click_exception(e)
    assert isinstance(clean, Failure) and clean.exit_code == 2


def test_a_negative_answer_exits_1_and_keeps_its_builtin_base():
    e = NotFound("Narnia", [])
    assert isinstance(e, NoAnswer) and isinstance(e, LookupError)
    clean = as_click_exception(e)
    assert isinstance(clean, NegativeAnswer) and clean.exit_code == 1


def test_a_bug_is_not_dressed_as_a_user_error():
    assert as_click_exception(KeyError("x")) is None
    assert as_click_exception(BrokenPipeError()) is None


def test_the_cli_exports_no_name_of_a_domain_class():
    from cse_graph.vocab import ENTITY_TYPES

    domain = {name for name, _ in ENTITY_TYPES} | {"Finding"}
    assert not set(cli.__all__) & domain


def test_an_unreachable_endpoint_is_one_line_exit_2(store):
    exe = str(Path(sys.executable).parent / "cse-graph")
    p = subprocess.run([exe, "search", "Jay", "--endpoint", "http://127.0.0.1:9/sparql"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and p.stderr.startswith("cse-graph: error:") and "Traceback" not in p.stderr, p.stderr
