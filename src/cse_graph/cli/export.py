"""Exports: HTML pages and files for other tools."""

from __future__ import annotations

from pathlib import Path

import click

from ..text import plural
from .app import cli
from .errors import CseGroup
from .options import (
    data_option,
    exports_dir,
    max_nodes_option,
    open_store,
    output_file,
    output_folder,
    resolve_entity,
    store_options,
)
from .output import emit_json, progress, render_table, resolve_format

KEY_LINEAGES = [  # the lineage pages `export all` writes, each named like `export html --view lineage` names it
    "report:jay-2014", "report:syp-strategic-problem-profile-2010", "op:central", "op:clover", "report:heal-2003",
]
# The same defaults as `cse-graph lineage`, so a page shows what the command prints.
LINEAGE_DEPTH, LINEAGE_DIRECTION = 4, "down"
# `export all` draws its key lineages both ways (what set each in motion and what it set in motion),
# exactly as `export html --view lineage --focus X --direction both` would, under the same file name.
KEY_DIRECTION = "both"


CSV_WHAT = ("CSV: one row per node", "CSV: one row per edge (id as in GraphML)", "CSV: one row per quote, keyed by edge id")


def report_option(f):
    return click.option("--report", "report", type=click.Choice(["table", "json"]), default=None,
                        help="How to list what was written: table (default on a terminal) or json "
                             "([{\"file\", \"bytes\", \"what\"}]). In `export`, --format always names a file format.")(f)


def report_written(report: str | None, written: list[dict]) -> None:
    if resolve_format(report) == "json":
        emit_json(written)
    else:
        render_table(["file", "KB", "what"], [[w["file"], w["bytes"] // 1024, w["what"]] for w in written],
                     {"file": 60, "what": 70})


def written_entry(path, what: str) -> dict:
    return {"file": str(path), "bytes": Path(path).stat().st_size, "what": what}


def lineage_file(iri: str, direction: str) -> str:
    """lineage-SLUG.html (down, as `lineage` shows by default), lineage-SLUG-up.html, lineage-SLUG-both.html."""
    slug = iri.rstrip("/").rsplit("/", 1)[-1]
    return f"lineage-{slug}.html" if direction == "down" else f"lineage-{slug}-{direction}.html"


@cli.group(cls=CseGroup)
def export():
    """Write the graph for readers (interactive HTML) and for other tools (RDF, GraphML, GEXF, CSV).

    Files go to exports/ unless -o says otherwise. Every write is atomic: a failed export
    leaves the previous file intact.
    """


@export.command("html")
@click.option("--view", type=click.Choice(["overview", "lineage", "missed", "timeline"]), default="overview",
              show_default=True, help="Which picture to draw.")
@click.option("--focus", metavar="ENTITY", help="For --view lineage: the entity whose chain to draw.")
@click.option("--direction", type=click.Choice(["down", "up", "both"]), default=LINEAGE_DIRECTION, show_default=True,
              help="For --view lineage: down (what it set in motion), up (what set it in motion) or both, as in `lineage`.")
@click.option("--depth", type=click.IntRange(1, 10), default=LINEAGE_DEPTH, show_default=True,
              help="For --view lineage: how many steps to follow, as in `lineage`.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; its folder must exist (default exports/VIEW.html, exports/lineage-SLUG.html).")
@click.option("--format", "fmt", type=click.Choice(["html"]), default="html", show_default=True,
              help="The file format (HTML is the only one for pages; see `export rdf` and `export network`).")
@max_nodes_option
@store_options
@report_option
def export_html(view, focus, direction, depth, output, fmt, max_nodes, data_dir, engine, endpoint, report):
    """One self-contained, offline HTML page: search, filters (type, district, years, confidence),
    a legend, and a panel showing each node's or link's quotes, locator and document.

    A view with more entities than --max-nodes is written as linked pages instead: the first
    page groups entities by place and kind, groups too big are split by year, and each small
    group gets its own page (in VIEW-pages/ beside the first one). The first page can search
    every entity by name and open the page that shows it.

    \b
    Examples:
      cse-graph export html                                   # exports/overview.html
      cse-graph export html --view lineage --focus "Jay report" -o jay.html
      cse-graph export html --view lineage --focus op:clover --direction up
      cse-graph export html --data big/ --max-nodes 1000      # a big corpus, smaller pages
    """
    from ..export.html import make_view, write_html

    if view == "lineage" and not focus:
        raise click.UsageError("--view lineage needs --focus ENTITY")
    ctx = click.get_current_context()
    for opt in ("focus", "direction", "depth"):
        if view != "lineage" and ctx.get_parameter_source(opt) == click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(f"--{opt} applies only to --view lineage (the {view} view draws everything)")
    if output:
        output_file(output)
    store = open_store(data_dir, engine, endpoint)
    iri = resolve_entity(store, focus) if focus else None
    out = output or exports_dir(None) / (f"{view}.html" if view != "lineage" else lineage_file(iri, direction))
    progress(f"drawing the {view} view")
    v = make_view(store, view, focus=iri, depth=depth, limit=max_nodes, direction=direction)
    progress(f"writing {out}")
    files = write_html(store, v, out, limit=max_nodes)
    report_written(report, [written_entry(out, f"{view}: {plural(len(v.nodes), 'entity', 'entities')}, "
                                               f"{plural(len(v.edges), 'link')}"
                                               + (f"; {plural(len(files) - 1, 'more page')} in "
                                                  f"{out.with_name(out.stem + '-pages')}" if len(files) > 1 else ""))])


@export.command("rdf")
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples", "jsonld"]), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; its folder must exist (default exports/graph.EXT).")
@data_option
@report_option
def export_rdf(fmt, output, data_dir, report):
    """The compiled graph (ontology, data and everything derived) as Turtle, N-Triples or JSON-LD."""
    from ..cache import ensure_built
    from ..export.files import RDF_FORMATS, write_rdf

    if output:
        output_file(output)
    b = ensure_built(data_dir)
    out = output or exports_dir(None) / f"graph{RDF_FORMATS[fmt]}"
    write_rdf(b.ntriples, out, fmt)
    report_written(report, [written_entry(out, f"compiled graph ({fmt}), {plural(b.meta['triples'], 'triple')}")])


@export.command("network")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv"]), default="graphml", show_default=True,
              help="graphml / gexf (Gephi, yEd, Cytoscape) or csv (nodes.csv, edges.csv and evidence.csv).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File to write (for csv: the folder for nodes.csv, edges.csv and evidence.csv). Default: exports/.")
@store_options
@report_option
def export_network(fmt, output, data_dir, engine, endpoint, report):
    """The entity graph with evidence on every edge, for network tools.

    Nodes carry label, type, dates and places; edges carry an id, relation, confidence, the
    first quote with its locator and document, and all evidence as JSON (GraphML, GEXF). The
    CSV form is three files: nodes.csv, edges.csv (one row per edge, with the same id) and
    evidence.csv (one row per quote, keyed by edge id).
    """
    from ..export.files import write_csv, write_gexf, write_graphml
    from ..graph import projection

    if output and fmt == "csv":
        if output.suffix.lower() == ".csv" and not output.is_dir():
            raise click.UsageError(f"--format csv writes three files (nodes.csv, edges.csv, evidence.csv): "
                                   f"give -o a folder, not {output}")
        output_folder(output)
    elif output:
        output_file(output)
    store = open_store(data_dir, engine, endpoint)
    proj = projection(store)
    if fmt == "csv":
        d = output or exports_dir(None)
        d.mkdir(exist_ok=True)
        files = write_csv(proj, d / "nodes.csv", d / "edges.csv", d / "evidence.csv")
        report_written(report, [written_entry(f, w) for f, w in zip(files, CSV_WHAT)])
        return
    out = output or exports_dir(None) / f"graph.{fmt}"
    (write_graphml if fmt == "graphml" else write_gexf)(proj, out)
    report_written(report, [written_entry(out, f"{fmt}: {plural(len(proj.nodes), 'node')}, {plural(len(proj.edges), 'edge')}")])


@export.command("all")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder (default exports/).")
@max_nodes_option
@store_options
@report_option
def export_all(output, max_nodes, data_dir, engine, endpoint, report):
    """Every export: the four HTML views (with lineage pages for key reports and operations, named
    and drawn as `export html --view lineage` does), Turtle, N-Triples, JSON-LD, GraphML, GEXF and
    nodes/edges/evidence CSV, FollowTheMoney and i2. Prints what it wrote."""
    from ..cache import ensure_built
    from ..export.files import write_csv, write_gexf, write_graphml, write_rdf
    from ..export.html import make_view, write_html
    from ..graph import projection

    if output:
        output_folder(output)
    d = exports_dir(output)
    d.mkdir(exist_ok=True)
    store = open_store(data_dir, engine, endpoint)
    b = ensure_built(data_dir, progress=None) if not endpoint else None
    proj = projection(store)
    written = []

    def note(path, what):
        if isinstance(path, list):   # a big view: its first page, and the pages beside it
            if len(path) > 1:
                what += f"; {plural(len(path) - 1, 'more page')} in {path[0].with_name(path[0].stem + '-pages')}"
            path = path[0]
        written.append(written_entry(path, what))

    for view in ("overview", "missed", "timeline"):
        progress(f"drawing the {view} view")
        v = make_view(store, view, proj=proj, limit=max_nodes)
        note(write_html(store, v, d / f"{view}.html", limit=max_nodes),
             f"{view}: {plural(len(v.nodes), 'entity', 'entities')}, {plural(len(v.edges), 'link')}")
    for entity in KEY_LINEAGES:
        iri = resolve_entity(store, entity)
        progress(f"drawing the lineage of {entity}")
        v = make_view(store, "lineage", focus=iri, depth=LINEAGE_DEPTH, proj=proj, limit=max_nodes,
                      direction=KEY_DIRECTION)
        note(write_html(store, v, d / lineage_file(iri, KEY_DIRECTION), limit=max_nodes),
             f"lineage of {v.nodes[iri]['label']}: {plural(len(v.nodes), 'entity', 'entities')}")
    if b is not None:
        for f, ext in (("turtle", "ttl"), ("ntriples", "nt"), ("jsonld", "jsonld")):
            note(write_rdf(b.ntriples, d / f"graph.{ext}", f), f"compiled graph ({f}), {plural(b.meta['triples'], 'triple')}")
    note(write_graphml(proj, d / "graph.graphml"), f"GraphML: {plural(len(proj.nodes), 'node')}, {plural(len(proj.edges), 'edge')}")
    note(write_gexf(proj, d / "graph.gexf"), "GEXF for Gephi")
    for f, what in zip(write_csv(proj, d / "nodes.csv", d / "edges.csv", d / "evidence.csv"), CSV_WHAT):
        note(f, what)
    from ..export.investigators import write_ftm, write_i2

    progress("writing the FollowTheMoney and i2 exports")
    note(d / "graph.ftm.json", f"FollowTheMoney: {plural(sum(write_ftm(store, proj, d / 'graph.ftm.json').values()), 'entity', 'entities')}")
    n_ent, n_link = write_i2(proj, d / "graph.anx")[:2]
    note(d / "graph.anx", f"i2 Analyst's Notebook chart: {plural(n_ent, 'entity', 'entities')}, {plural(n_link, 'link')}")
    report_written(report, written)


