"""Commands for bringing in documents and sheets, and for investigators' tools:
``sources add|list``, ``import``, ``export ftm``, ``export i2``.

Registered on the main group at the end of cli.py; a thin layer over ``sources``,
``tabular`` and ``export.investigators``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from .app import cli
from .errors import CseGroup, Failure
from .export import export
from .options import data_option, exports_dir, open_store, store_options
from .output import emit_json, format_option, resolve_format


def sources_option(f):
    return click.option(
        "--sources", "sources_dir", type=click.Path(path_type=Path), envvar="CSE_GRAPH_SOURCES",
        help="Source registry folder (env: CSE_GRAPH_SOURCES; default: the project's own, which lists the two seeds).",
    )(f)


def seeds_option(f):
    return click.option("--seeds", "seeds_dir", type=click.Path(file_okay=False), envvar="CSE_GRAPH_SEEDS",
                        help="Folder holding the two seed texts (env: CSE_GRAPH_SEEDS).")(f)


@click.group(cls=CseGroup)
def sources():
    """The documents quotes may come from: the two seeds and any you add.

    \b
    Examples:
      cse-graph sources list
      cse-graph sources add minutes.pdf --id council-minutes-2015 --title "Council minutes" --date 2015-01 --sources my-sources/
    """


@sources.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--id", "sid", metavar="ID", help="Id in the registry (lowercase, digits, hyphens); default from the file name.")
@click.option("--title", metavar="T", help="Title; default the PDF's or page's own title, or the first line.")
@click.option("--date", metavar="D", help="Date of the document: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--replace", is_flag=True, help="Register FILE in place of the source already registered with this id.")
@sources_option
@seeds_option
@format_option("table", "json")
def sources_add(file, sid, title, date, replace, sources_dir, seeds_dir, fmt):
    """Register FILE (.txt/.md, .pdf or .html) so that `cite` and `validate` find quotes in it.

    The text is extracted (PDF with pypdf, page by page; HTML with BeautifulSoup) and kept in
    the registry folder with the file's SHA-256; the original stays where it is. Locators are
    headings for text and HTML and "page N › heading" for a PDF. An empty, unreadable or
    encrypted file, or an id already taken, is refused (exit 2) and nothing is written.
    """
    from .. import paths
    from ..sources import Registry

    if sources_dir is None and paths.default_sources_dir() == paths.project_sources_dir() \
            and paths.resource_root().name == "_resources":
        raise Failure("this is an installed copy of cse-graph: name a registry folder to add sources to "
                      "with --sources DIR (or CSE_GRAPH_SOURCES=DIR)")
    reg = Registry(sources_dir, seeds_dir)
    src, chars = reg.add(file, sid, title, date, replace=replace)
    n_headings = len(reg.text(src)._headings)
    if resolve_format(fmt) == "json":
        emit_json({**src.record(), "registry": str(reg.folder), "characters": chars, "locators": n_headings})
        return
    click.echo(f"registered {src.id} ({src.kind}, {chars} characters, {n_headings} locators) in {reg.folder}")
    click.echo(f"  title:  {src.title}")
    click.echo(f"  iri:    report:{src.id}   (give its document entity cse:sourceId \"{src.id}\")")
    click.echo(f"  sha256: {src.sha256}")
    click.echo(f"cite from it:  cse-graph cite \"…a sentence…\" --sources {reg.folder}")


@sources.command("list")
@sources_option
@seeds_option
@format_option("table", "json")
def sources_list(sources_dir, seeds_dir, fmt):
    """Every registered source with its kind, date, original and whether the original still
    matches what was registered (ok · changed · missing)."""
    from ..sources import Registry, list_sources

    reg = Registry(sources_dir, seeds_dir)
    items = list_sources(reg)
    if resolve_format(fmt) == "json":
        emit_json([{**i.source.record(), "status": i.status.state, "path": str(i.source.original_path(seeds_dir) or "")}
                   for i in items])
        return
    for i in items:
        s = i.source
        click.echo(f"{s.id:32} {s.kind:4} {s.date or '':10} {i.status.state:7} {s.title}")
        click.echo(f"{'':32} {s.original_path(seeds_dir) or s.original}")


@click.command("import")
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option("--mapping", "mapping", type=click.Path(path_type=Path), required=True,
              help="YAML mapping from columns to fields (see the README's worked example).")
@click.option("--dry-run", is_flag=True, help="Check the sheet and show what would be added; write nothing.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Turtle file to write (default DATA/imported/SHEET.ttl).")
@data_option
@sources_option
@seeds_option
@format_option("table", "json")
def import_(sheet, mapping, dry_run, output, data_dir, sources_dir, seeds_dir, fmt):
    """Turn the rows of SHEET (.csv or .xlsx) into entities and cited links, as Turtle in data/.

    Every row's quote must occur in its registered source (the locator is computed); links
    name what prompted, informed or commissioned the row's entity. The result is validated
    with the rest of the data before anything is written. Any problem is reported with file,
    row and column and exits 2 with nothing written. Importing the same sheet again changes
    nothing.

    \b
    Example:
      cse-graph import decisions.csv --mapping decisions.yaml --sources my-sources/ --dry-run
    """
    from .. import paths
    from ..build import compile_graph
    from ..sources import Registry
    from ..tabular import SheetError, convert, staged_data_dir, write_atomic
    from ..validate import validate_store

    data_dir = Path(data_dir or paths.default_data_dir())
    out = output or data_dir / "imported" / f"{sheet.stem}.ttl"
    reg = Registry(sources_dir, seeds_dir)
    store = open_store(data_dir, None, None)
    known = {str(r["s"]) for r in store.select("SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l }")}
    kinds = {str(r["c"]).rsplit("/", 1)[-1] for r in store.select(
        "SELECT ?c WHERE { ?c skos:inScheme <https://w3id.org/cse-graph/scheme/agency-kind> }")}
    try:
        result = convert(sheet, mapping, known, reg, kinds)
    except SheetError as e:
        for p in e.problems:
            click.echo(f"cse-graph: error: {p}", err=True)
        raise Failure(f"{len(e.problems)} problem(s) in {sheet}; nothing written") from None
    unchanged = out.is_file() and out.read_text(encoding="utf-8") == result.turtle
    problems = []
    if not unchanged:
        with tempfile.TemporaryDirectory(prefix="cse-graph-import-") as tmp:
            stage = staged_data_dir(data_dir, out, result.turtle, Path(tmp))
            compiled = compile_graph(stage)
            report = validate_store(compiled.store, seeds_dir=seeds_dir, quotes=True, sources_dir=sources_dir)
            rows = {iri: (n, label) for n, iri, _, label in result.entities}
            problems = [(rows[p.entity][0], p) for p in report.violations if p.entity in rows]
    if problems:
        for n, p in sorted(problems, key=lambda x: x[0]):
            click.echo(f"cse-graph: error: {sheet}: row {n} ({p.label}): {p.rule}: {p.message}", err=True)
        raise Failure(f"{len(problems)} validation problem(s) in {sheet}; nothing written")
    summary = {"sheet": str(sheet), "output": str(out), "written": not (dry_run or unchanged), "unchanged": unchanged,
               "entities": [{"row": n, "id": iri, "type": t, "label": label} for n, iri, t, label in result.entities],
               "links": [{"row": n, "source": s, "relation": rel, "target": t} for n, s, rel, t in result.links]}
    if not dry_run and not unchanged:
        write_atomic(out, result.turtle)
    if resolve_format(fmt) == "json":
        emit_json(summary)
        return
    from ..vocab import compact

    verb = "would add" if dry_run else "added"
    if unchanged:
        click.echo(f"{out}: unchanged (the sheet gives exactly what the file holds); nothing written")
        return
    for n, iri, t, label in result.entities:
        click.echo(f"row {n}: {verb} {t} {compact(iri)}  {label}")
    for n, s, rel, t in result.links:
        click.echo(f"row {n}: {verb} link {compact(s)} —{rel}→ {compact(t)}")
    click.echo(f"{'dry run: nothing written (would write ' + str(out) + ')' if dry_run else 'wrote ' + str(out)}"
               f"  ({len(result.entities)} entities, {len(result.links)} links; validated with the rest of the data)")


@click.command("ftm")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default exports/graph.ftm.json).")
@store_options
def export_ftm(output, data_dir, engine, endpoint):
    """FollowTheMoney entities as JSON lines, for OpenAleph/Aleph (`ftm` tools, `alephclient`).

    Documents, organisations with their parents, people with posts (Position + Occupancy),
    events and actions, operations (Project), missed opportunities (Event), and the influence
    links (UnknownLink: role = prompted/informed/commissioned/ignored in, description = the
    quotes with locators, proof = the source documents). Prints the count per schema.
    """
    from ..export.investigators import write_ftm
    from ..graph import projection

    store = open_store(data_dir, engine, endpoint)
    out = output or exports_dir(None) / "graph.ftm.json"
    counts = write_ftm(store, projection(store), out)
    click.echo(f"{out}  ({sum(counts.values())} entities: "
               + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + ")")


@click.command("i2")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default exports/graph.anx).")
@store_options
def export_i2(output, data_dir, engine, endpoint):
    """An i2 Analyst's Notebook chart (.anx, open it with File › Open): entity types, link
    labels, dates, and on every link its source reference (document › locator), the quote
    and the confidence as attributes."""
    from ..export.investigators import write_i2
    from ..graph import projection

    store = open_store(data_dir, engine, endpoint)
    out = output or exports_dir(None) / "graph.anx"
    if out.suffix != ".anx":
        raise click.UsageError("the i2 chart file must end in .anx")
    n, links, skipped = write_i2(projection(store), out)
    click.echo(f"{out}  ({n} entities, {links} links" + (f"; {skipped} links without a passage left out" if skipped else "")
               + f", {out.stat().st_size // 1024} KB)")


cli.add_command(sources)
cli.add_command(import_)
export.add_command(export_ftm)
export.add_command(export_i2)

