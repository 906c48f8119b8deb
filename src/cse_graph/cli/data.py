"""Compile, check and cite: build, validate, cite."""

from __future__ import annotations

from pathlib import Path

import click

from ..text import plural
from .app import cli
from .errors import EXIT_FINDING, Failure, NegativeAnswer
from .options import data_option
from .output import echo_wrapped, emit_json, format_option, progress, render_csv, resolve_format


@cli.command()
@data_option
@click.option("--force", is_flag=True, help="Rebuild even if no input changed.")
@format_option("table", "json", "csv")
def build(data_dir, force, fmt):
    """Compile the ontology and data into the cache and print a summary.

    Read commands do this by themselves when an input changed; run it to see the figures or
    to warm the cache. The cache lives in ~/.cache/cse-graph (env: CSE_GRAPH_CACHE).
    """
    from ..cache import ensure_built
    from ..compact import compact, path_graph
    from .options import open_store

    b = ensure_built(data_dir, force=force, progress=progress)
    store = open_store(data_dir, None, None)
    compact(store)          # the compact projections path/rank/breaks read: written now, so no later command pays
    path_graph(store)
    fmt = resolve_format(fmt)
    if fmt == "json":
        emit_json({"cache": str(b.dir), **b.meta})
        return
    v = b.meta.get("validation") or {}
    validation = (f"{plural(v['violations'], 'violation')}, {plural(v['warnings'], 'warning')}" if "violations" in v
                  else v.get("skipped", "not run"))
    rows = [["triples", b.meta["triples"]], ["input files", len(b.meta["files"])], ["validation", validation],
            ["cache", str(b.dir)]]
    if fmt == "csv":
        render_csv(["figure", "value"], rows)
        return
    for k, val in rows:
        click.echo(f"{k + ':':12} {val}")


@cli.command()
@data_option
@click.option("--seeds", "seeds_dir", type=click.Path(file_okay=False), envvar="CSE_GRAPH_SEEDS",
              help="Folder holding the two seed texts (default ../shared/seeds beside the checkout; env: CSE_GRAPH_SEEDS).")
@click.option("--sources", "sources_dir", type=click.Path(path_type=Path), envvar="CSE_GRAPH_SOURCES",
              help="Source registry folder for documents added with `sources add` (env: CSE_GRAPH_SOURCES).")
@click.option("--quotes/--no-quotes", default=True,
              help="Check every quote against its source (default); an error (exit 2) if the seeds are not found.")
@click.option("--warnings/--no-warnings", "show_warnings", default=True, help="List warnings (curation gaps) too.")
@format_option("table", "json", "csv")
def validate(data_dir, seeds_dir, sources_dir, quotes, show_warnings, fmt):
    """Check the data: typed literals, SHACL shapes, SPARQL checks in queries/checks/, and quotes
    against the seeds.

    Exit 0 when nothing is broken (warnings are curation gaps and do not fail), 1 on any
    violation, 2 when a file cannot be read (the message names file and line). In JSON,
    "conforms" is SHACL's own verdict (false when there is any result, warnings included, as
    pySHACL and Jena report it) and "passed" is this command's: no violations.
    """
    from .. import paths
    from ..build import compile_graph, turtle_files
    from ..validate import validate_store

    data_dir = (data_dir or paths.default_data_dir())
    if not turtle_files(data_dir):
        raise Failure(f"{data_dir}: no Turtle (.ttl) files in this folder, so there is nothing to validate; "
                      f"point --data (or CSE_GRAPH_DATA) at the folder that holds the graph's data")
    compiled = compile_graph(data_dir, progress=progress)
    progress("checking literals, shapes, SPARQL checks and quotes")
    report = validate_store(compiled.store, seeds_dir=seeds_dir, quotes=quotes, sources_dir=sources_dir)
    fmt = resolve_format(fmt)
    shown = [p for p in report.problems if show_warnings or p.severity == "violation"]
    if fmt == "json":
        emit_json({"conforms": report.shacl_conforms, "passed": report.conforms,
                   "violations": len(report.violations), "warnings": len(report.warnings),
                   "checked": report.checked, "problems": [p.as_dict() for p in shown]})
    elif fmt == "csv":
        from ..vocab import compact

        render_csv(["severity", "rule", "entity", "label", "path", "message", "value"],
                   [[p.severity, p.rule, compact(p.entity), p.label, p.path, p.message, p.value] for p in shown])
    else:
        from ..vocab import compact

        for p in shown:
            where = f"{p.label} ({compact(p.entity)})"
            path = f" [{p.path}]" if p.path else ""
            echo_wrapped(f"{p.severity.upper():9} {p.rule}: {where}{path}", indent=" " * 10)
            echo_wrapped(f"          {p.message}", indent=" " * 10)
            if p.value:
                echo_wrapped(f"          value: {p.value}", indent=" " * 10)
        quotes_checked = report.checked.get("quotes")
        click.echo(f"{plural(len(report.violations), 'violation')}, {plural(len(report.warnings), 'warning')} "
                   f"({plural(compiled.triples, 'triple')}; "
                   + (f"{plural(quotes_checked, 'quote')} checked)" if quotes_checked is not None else "quotes not checked)"))
    if not report.conforms:
        raise SystemExit(EXIT_FINDING)


@cli.command()
@click.argument("quote")
@click.option("--seeds", "seeds_dir", type=click.Path(file_okay=False), envvar="CSE_GRAPH_SEEDS",
              help="Folder holding the two seed texts (env: CSE_GRAPH_SEEDS).")
@click.option("--sources", "sources_dir", type=click.Path(path_type=Path), envvar="CSE_GRAPH_SOURCES",
              help="Source registry folder for documents added with `sources add` (env: CSE_GRAPH_SOURCES).")
@click.option("--format", "fmt", type=click.Choice(["turtle", "json", "csv"]), default="turtle", show_default=True,
              help="turtle: the evidence block to paste into data/; json or csv: one record per place the quote stands.")
def cite(quote, seeds_dir, sources_dir, fmt):
    """Find QUOTE in every registered source (the seeds and any document added with
    `sources add`) and print the evidence block to paste into data/.

    Matching ignores only whitespace, footnote markers and the difference between curly and
    straight quote marks. Every place it stands is listed (recommendations recur in the Summary
    and Chapter 10), once per distinct block; exit 1 if the quote is not found or is longer than
    200 characters.

    \b
    Example:
      cse-graph cite "Operation Clover was launched in August 2013 partly in response"
    """
    from ..sources import Registry
    from ..vocab import compact

    reg = Registry(sources_dir, seeds_dir)
    hits, seeds_missing = reg.find(quote)
    if seeds_missing is not None:
        if not hits:
            raise Failure(str(seeds_missing))
        click.echo(f"cse-graph: warning: {seeds_missing}", err=True)
    records = [{"seed": src.seed_file or src.id, "source_id": src.id, "line": h.line, "locator": h.locator,
                "source": src.iri, "exact": h.exact, "source_status": reg.status(src).state} for src, h in hits]
    if fmt == "json":
        emit_json(records)
    elif fmt == "csv":
        render_csv(list(records[0]) if records else ["seed", "source_id", "line", "locator", "source", "exact",
                                                     "source_status"],
                   [list(r.values()) for r in records])
    else:
        blocks: dict[str, list] = {}        # the same block (source, locator, words) printed once, with every line
        for src, h in hits:
            esc = h.exact.replace("\\", "\\\\").replace('"', '\\"')
            block = (f"cse:evidence [ oa:hasSource {compact(src.iri)} ;\n"
                     f"    cse:locator \"{h.locator}\" ;\n"
                     f"    oa:hasSelector [ oa:exact \"{esc}\" ] ] ;")
            blocks.setdefault(block, [src.seed_file or src.id, []])[1].append(h.line)
        for block, (name, lines) in blocks.items():
            click.echo(f"# {name} {'line' if len(lines) == 1 else 'lines'} {', '.join(map(str, lines))}")
            click.echo(block)
    for sid in dict.fromkeys(src.id for src, _ in hits):
        src = reg.sources[sid]
        st = reg.status(src)
        if st.state != "ok":
            click.echo(f"cse-graph: warning: {src.id}: {st.describe(src, seeds_dir)}", err=True)
    if not hits:
        raise NegativeAnswer("quote not found in any registered source (check the wording; only whitespace, footnote "
                      "markers and quote marks may differ)")
    if len(quote) > 200:
        raise NegativeAnswer(f"quote is {len(quote)} characters; evidence quotes must be at most 200")
