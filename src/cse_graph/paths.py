"""Where the ontology, data, queries and cache are.

From a checkout (or an editable install) these are the top-level folders of the
repository; from a wheel they are the copies packed under ``cse_graph/_resources``.
``--data DIR`` / ``CSE_GRAPH_DATA`` point at other data; ``CSE_GRAPH_CACHE`` moves the cache.
"""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def resource_root() -> Path:
    repo = _PKG.parents[1]
    if (repo / "ontology" / "cse.ttl").is_file() and (repo / "pyproject.toml").is_file():
        return repo
    return _PKG / "_resources"


def project_root() -> Path:
    """The checkout's top level (exports/ lives here); the cwd when installed from a wheel."""
    root = resource_root()
    return root if root.name != "_resources" else Path.cwd()


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def queries_dir() -> Path:
    return resource_root() / "queries"


def default_data_dir() -> Path:
    env = os.environ.get("CSE_GRAPH_DATA")
    return Path(env) if env else resource_root() / "data"


def project_sources_dir() -> Path:
    """The project's own source registry (the two seeds, by reference)."""
    return resource_root() / "sources"


def default_sources_dir() -> Path:
    """``CSE_GRAPH_SOURCES`` or the project's own registry."""
    env = os.environ.get("CSE_GRAPH_SOURCES")
    return Path(env) if env else project_sources_dir()


def default_exports_dir() -> Path:
    return project_root() / "exports"


def cache_root() -> Path:
    env = os.environ.get("CSE_GRAPH_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "cse-graph"
