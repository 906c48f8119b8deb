"""Shared fixtures.

Every test that builds a graph uses a private cache folder (CSE_GRAPH_CACHE) so tests never
touch the user's cache, and the shipped data is compiled once per session.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "ontology" / "examples" / "worked-example.ttl"
SEEDS = Path(os.environ.get("CSE_GRAPH_SEEDS", ROOT.parent / "shared" / "seeds"))


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    old = os.environ.get("CSE_GRAPH_CACHE")
    os.environ["CSE_GRAPH_CACHE"] = str(cache)
    os.environ.pop("CSE_GRAPH_DATA", None)
    os.environ.pop("CSE_GRAPH_ENDPOINT", None)
    yield cache
    if old is None:
        os.environ.pop("CSE_GRAPH_CACHE", None)
    else:
        os.environ["CSE_GRAPH_CACHE"] = old


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seed texts; a clear failure (never a skip) when they are missing."""
    missing = [n for n in ("000_097f522c8c510e03.txt", "003_be1dc688c2c7c598.txt") if not (SEEDS / n).is_file()]
    if missing:
        pytest.fail(f"seed texts missing from {SEEDS}: {', '.join(missing)}. They must be at ../shared/seeds beside "
                    f"the project checkout (or named by CSE_GRAPH_SEEDS).")
    return SEEDS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return ROOT / "data"


@pytest.fixture(scope="session")
def compiled(data_dir):
    """The shipped data compiled in memory (pyoxigraph store)."""
    from cse_graph.build import compile_graph

    return compile_graph(data_dir)


@pytest.fixture(scope="session")
def store(data_dir):
    """The shipped data through the cache, as read commands see it."""
    from cse_graph.store import open_store

    return open_store(data_dir, progress=lambda m: None)


def make_data_dir(tmp_path: Path, *files: Path, with_example: bool = True) -> Path:
    d = tmp_path / "data"
    d.mkdir(parents=True, exist_ok=True)
    if with_example:
        shutil.copy(EXAMPLE, d / "example.ttl")
    for f in files:
        shutil.copy(f, d / f.name)
    return d


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (tests/browser.py opens pages with the network blocked)."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


# --- Markers (registered in pyproject.toml): `make test-fast` runs what carries none of them -------------------
# browser: the test drives chromium (it asks for the `browser` fixture); server: it starts a real HTTP server
# (a module that is about servers, or a fixture that starts one); slow: marked in the test, or listed below —
# each took 2-19 s on this (shared, 2-core) machine with `--durations`: a full SHACL validation (~3.7 s each), a
# build of another corpus (import, scale), RDF isomorphism checks of the whole graph.
SERVER_MODULES = {"test_server", "test_server_safety", "test_w3c_protocol", "test_oxigraph", "test_workbench"}
SERVER_FIXTURES = {"server", "oxigraph", "endpoint", "pushed"}
SLOW_MODULES = {"test_import", "test_scale"}
SLOW_TESTS = (     # node-id prefixes (after "tests/")
    "test_cli.py::test_validate_",
    "test_output.py::test_every_read_command_in_every_format[validate-",
    "test_sources.py::test_an_installed_copy_says_where_the_seeds_must_come_from",
    "test_sources.py::test_validate_with_wrong_seeds_fails_loudly",
    "test_data.py::test_shipped_data_conforms",
    "test_export_files.py::test_rdf_exports_are_isomorphic_to_the_compiled_graph",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        mod = getattr(item, "module", None)
        module = mod.__name__.rsplit(".", 1)[-1] if mod else ""
        names = set(getattr(item, "fixturenames", ()))
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
        if module in SERVER_MODULES or names & SERVER_FIXTURES:
            item.add_marker(pytest.mark.server)
        if module in SLOW_MODULES or item.nodeid.removeprefix("tests/").startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)


def run_cli(*args, code: int | None = 0, env: dict | None = None):
    """``cse-graph ARGS`` in-process: the exit code must be ``code`` (None: any) and no traceback may show."""
    from click.testing import CliRunner

    from cse_graph.cli import cli

    r = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    if code is not None:
        assert r.exit_code == code, f"{args}: exit {r.exit_code}\n{r.stderr}\n{r.stdout[:400]}"
    assert "Traceback" not in r.output
    return r
