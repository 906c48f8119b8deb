"""The store a read command uses: the cache's compiled graph in one of three engines, or a remote endpoint.

The engines themselves live in :mod:`cse_graph.engine` (below the build, which uses them);
their names are re-exported here for the layers above.
"""

from __future__ import annotations

import os
from pathlib import Path

from .engine import IRI, BNode, Lit, OxigraphStore, QueryError, RdflibStore, RemoteStore, Store, user_positions  # noqa: F401

ENGINES = ("oxigraph", "oxigraph-memory", "rdflib")


def open_store(data_dir: Path | None = None, engine: str | None = None, endpoint: str | None = None,
               progress=None) -> Store:
    """The store a read command should use: a remote endpoint if given, else the cache."""
    endpoint = endpoint or os.environ.get("CSE_GRAPH_ENDPOINT")
    if endpoint:
        return RemoteStore(endpoint)
    from .cache import ensure_built, stderr_progress

    build = ensure_built(data_dir, progress=progress or stderr_progress)
    engine = engine or os.environ.get("CSE_GRAPH_STORE", "oxigraph")
    if engine == "rdflib":
        store = RdflibStore.open(build.ntriples)
    elif engine == "oxigraph":
        store = OxigraphStore.open(build.store_dir)
    elif engine == "oxigraph-memory":
        store = OxigraphStore.load(build.ntriples)
    else:
        raise ValueError(f"unknown store {engine!r}: use {', '.join(ENGINES)}")
    store.cache_dir = build.dir
    store.build = build
    return store
