"""Options and look-ups shared by the commands: data folder, store, entity resolution."""

from __future__ import annotations

from pathlib import Path

import click

from ..store import ENGINES
from .errors import Failure, NegativeAnswer


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


class LazyChoice(click.Choice):
    """A click.Choice whose choices come from the library (the ontology's schemes, a module's table), looked
    up on first use, so the command line starts without parsing them and never re-types them."""

    def __init__(self, load, case_sensitive: bool = True):
        self._load, self._choices = load, None
        self.case_sensitive = case_sensitive

    @property
    def choices(self):
        if self._choices is None:
            self._choices = tuple(self._load())
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = tuple(value)


def open_store(data_dir, engine, endpoint):
    from ..store import open_store as _open

    try:
        return _open(data_dir, engine=engine, endpoint=endpoint)
    except ValueError as e:
        raise Failure(str(e)) from None


def resolve_entity(store, text, kinds=None):
    """The entity TEXT names (only among ``kinds`` when given, e.g. {"place"}); exit 1 with
    suggestions, best first, when it names none or several."""
    from ..explore.resolution import NotFound, resolve

    try:
        return resolve(store, text, kinds=kinds)
    except NotFound as e:
        raise NegativeAnswer(str(e)) from None


class DateBound(click.ParamType):
    """A year (2012), a month (2016-07) or a day (2016-07-14); becomes the first day it covers
    (for --since) or the last (for --until), as an ISO date."""

    name = "DATE"

    def __init__(self, end: bool):
        self.end = end

    def convert(self, value, param, ctx):
        import calendar
        import datetime
        import re

        if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip()):
            parts = [int(x) for x in value.strip().split("-")]
            y, m = parts[0], (parts[1] if len(parts) > 1 else (12 if self.end else 1))
            try:
                last = calendar.monthrange(y, m)[1]
                d = parts[2] if len(parts) > 2 else (last if self.end else 1)
                return datetime.date(y, m, d).isoformat()
            except (ValueError, calendar.IllegalMonthError):
                pass
        self.fail(f"{value!r} is not a year, month or day (YYYY, YYYY-MM or YYYY-MM-DD)", param, ctx)


def check_range(since, until):
    if since and until and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}: nothing can match (swap them?)")


def place_option(f):
    f = click.option("--exact", is_flag=True, help="With --district: leave out county-wide items.")(f)
    f = click.option("--until", type=DateBound(end=True), metavar="DATE",
                     help="Only items that overlap dates up to DATE (YYYY, YYYY-MM or YYYY-MM-DD).")(f)
    f = click.option("--since", type=DateBound(end=False), metavar="DATE",
                     help="Only items that overlap dates from DATE (YYYY, YYYY-MM or YYYY-MM-DD).")(f)
    return click.option("--district", metavar="PLACE",
                        help="Barnsley, Doncaster, Rotherham, Sheffield (or any place); county-wide items are included unless --exact.")(f)


def resolve_place(store, district):
    if district is not None and not district.strip():
        raise click.UsageError("--district is empty: name a place (Barnsley, Doncaster, Rotherham, Sheffield …)")
    if not district:
        return None
    return resolve_entity(store, district, kinds={"place"})


def exports_dir(out):
    from .. import paths

    return Path(out) if out else paths.default_exports_dir()



def output_file(path: Path) -> Path:
    """Check an -o file before any work: its folder must exist (it is never created silently)
    and be a folder; the file itself must not be a folder."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise Failure(f"{path} is a folder; give a file name for -o")
    for up in [parent, *parent.parents]:
        if up.exists() and not up.is_dir():
            raise Failure(f"cannot write {path}: {up} is a file, not a folder")
    if not parent.is_dir():
        raise Failure(f"cannot write {path}: folder {parent} does not exist (create it first, or choose another -o)")
    return path


def output_folder(path: Path, create_default: bool = False) -> Path:
    """Check an -o folder: it may be created if its parent exists; never a whole missing tree."""
    path = Path(path)
    for up in [path, *path.parents]:
        if up.exists() and not up.is_dir():
            raise Failure(f"cannot write into {path}: {up} is a file, not a folder")
    if not path.exists() and not path.parent.is_dir():
        raise Failure(f"cannot write into {path}: folder {path.parent} does not exist (create it first, or choose another -o)")
    return path
