"""Options and look-ups shared by the commands: data folder, store, entity resolution."""

from __future__ import annotations

from pathlib import Path

import click

from ..store import ENGINES
from .errors import Failure, Finding

def data_option(f):
    return click.option(
        "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), envvar="CSE_GRAPH_DATA",
        help="Folder of Turtle data files to use instead of the shipped data/ (env: CSE_GRAPH_DATA).",
    )(f)


def max_nodes_option(f):
    return click.option("--max-nodes", type=click.IntRange(50, None), default=None, metavar="N",
                        help="Most entities drawn on one HTML page; bigger views become linked pages "
                             "(default 2000, measured: see benchmarks/README.md).")(f)


def store_options(f):
    f = click.option("--endpoint", envvar="CSE_GRAPH_ENDPOINT", metavar="URL",
                     help="Query a remote SPARQL 1.1 endpoint instead of the local cache (env: CSE_GRAPH_ENDPOINT).")(f)
    f = click.option("--store", "engine", type=click.Choice(ENGINES),
                     envvar="CSE_GRAPH_STORE", default=None,
                     help="Local query engine: oxigraph (default: the on-disk store, opens at once), "
                          "oxigraph-memory (loads the graph into memory first; faster queries on big graphs) "
                          "or rdflib (plain, slow).")(f)
    return data_option(f)


def open_store(data_dir, engine, endpoint):
    from ..store import open_store as _open

    try:
        return _open(data_dir, engine=engine, endpoint=endpoint)
    except ValueError as e:
        raise Failure(str(e)) from None


def resolve_entity(store, text, kinds=None):
    """The entity TEXT names (only among ``kinds`` when given, e.g. {"place"}); exit 1 with
    suggestions, best first, when it names none or several."""
    from ..explore.common import NotFound, resolve

    try:
        return resolve(store, text, kinds=kinds)
    except NotFound as e:
        raise Finding(str(e)) from None


def place_option(f):
    f = click.option("--exact", is_flag=True, help="With --district: leave out county-wide items.")(f)
    f = click.option("--until", type=int, metavar="YEAR", help="Only items that overlap years up to YEAR.")(f)
    f = click.option("--since", type=int, metavar="YEAR", help="Only items that overlap years from YEAR.")(f)
    return click.option("--district", metavar="PLACE",
                        help="Barnsley, Doncaster, Rotherham, Sheffield (or any place); county-wide items are included unless --exact.")(f)


def resolve_place(store, district):
    if not district:
        return None
    return resolve_entity(store, district, kinds={"place"})


def exports_dir(out):
    from .. import paths

    return Path(out) if out else paths.default_exports_dir()

