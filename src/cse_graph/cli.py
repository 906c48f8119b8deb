"""The ``cse-graph`` command line: a thin click layer over the library.

Exit codes: 0 ok · 1 a finding (validation failed, nothing matched) · 2 usage or runtime error.
Every read command takes ``--format`` (table on a terminal, JSON otherwise by default).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_FINDING, EXIT_ERROR = 0, 1, 2


class Failure(click.ClickException):
    """A user-facing error (exit 2) with no traceback."""

    exit_code = EXIT_ERROR

    def show(self, file=None):
        click.echo(f"cse-graph: error: {self.format_message()}", err=True)


class Finding(click.ClickException):
    """A negative answer (exit 1): nothing matched, validation failed."""

    exit_code = EXIT_FINDING

    def show(self, file=None):
        click.echo(f"cse-graph: {self.format_message()}", err=True)


def data_option(f):
    return click.option(
        "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), envvar="CSE_GRAPH_DATA",
        help="Folder of Turtle data files to use instead of the shipped data/ (env: CSE_GRAPH_DATA).",
    )(f)


def format_option(*choices: str, default_tty: str = "table"):
    def deco(f):
        return click.option(
            "--format", "fmt", type=click.Choice(list(choices)), default=None,
            help=f"Output format: {', '.join(choices)}. Default: {default_tty} on a terminal, json when piped.",
        )(f)
    return deco


def resolve_format(fmt: str | None, default_tty: str = "table") -> str:
    if fmt:
        return fmt
    return default_tty if sys.stdout.isatty() else "json"


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="cse-graph")
def cli():
    """Explore the public record on how South Yorkshire Police responded to child sexual
    exploitation: which report prompted which action, which opportunities were missed, and the
    passage every answer rests on.

    \b
    Start here:
      cse-graph build                      compile data/ and print a summary
      cse-graph validate                   check the data (exit 1 on violations)
      cse-graph cite "a verbatim quote"    the evidence block for a quote, with its locator
    """


@cli.command()
@data_option
@click.option("--force", is_flag=True, help="Rebuild even if no input changed.")
@format_option("table", "json")
def build(data_dir, force, fmt):
    """Compile the ontology and data into the cache and print a summary.

    Read commands do this by themselves when an input changed; run it to see the figures or
    to warm the cache. The cache lives in ~/.cache/cse-graph (env: CSE_GRAPH_CACHE).
    """
    from .cache import ensure_built

    b = ensure_built(data_dir, force=force)
    fmt = resolve_format(fmt)
    if fmt == "json":
        emit_json({"cache": str(b.dir), **b.meta})
        return
    v = b.meta.get("validation") or {}
    click.echo(f"triples:     {b.meta['triples']}")
    click.echo(f"input files: {len(b.meta['files'])}")
    click.echo(f"validation:  {v.get('violations', '?')} violations, {v.get('warnings', '?')} warnings")
    click.echo(f"cache:       {b.dir}")


@cli.command()
@data_option
@click.option("--seeds", "seeds_dir", type=click.Path(file_okay=False), envvar="CSE_GRAPH_SEEDS",
              help="Folder holding the two seed texts (default ../shared/seeds beside the checkout; env: CSE_GRAPH_SEEDS).")
@click.option("--quotes/--no-quotes", default=None,
              help="Check every quote against the seeds. Default: when the seeds are found.")
@click.option("--warnings/--no-warnings", "show_warnings", default=True, help="List warnings (curation gaps) too.")
@format_option("table", "json")
def validate(data_dir, seeds_dir, quotes, show_warnings, fmt):
    """Check the data: SHACL shapes, SPARQL checks in queries/checks/, and quotes against the seeds.

    Exit 0 when nothing is broken (warnings are curation gaps and do not fail), 1 on any
    violation, 2 when a file cannot be read (the message names file and line).
    """
    from . import paths
    from .build import compile_graph
    from .validate import validate_store

    data_dir = (data_dir or paths.default_data_dir())
    compiled = compile_graph(data_dir)
    report = validate_store(compiled.store, seeds_dir=seeds_dir, quotes=quotes)
    fmt = resolve_format(fmt)
    shown = [p for p in report.problems if show_warnings or p.severity == "violation"]
    if fmt == "json":
        emit_json({"conforms": report.conforms, "violations": len(report.violations),
                   "warnings": len(report.warnings), "checked": report.checked,
                   "problems": [p.as_dict() for p in shown]})
    else:
        from .vocab import compact

        for p in shown:
            where = f"{p.label} ({compact(p.entity)})"
            path = f" [{p.path}]" if p.path else ""
            click.echo(f"{p.severity.upper():9} {p.rule}: {where}{path}\n          {p.message}"
                       + (f"\n          value: {p.value}" if p.value else ""))
        click.echo(f"{len(report.violations)} violations, {len(report.warnings)} warnings "
                   f"({compiled.triples} triples; {report.checked.get('quotes', 'no')} quotes checked)")
    if not report.conforms:
        raise SystemExit(EXIT_FINDING)


@cli.command()
@click.argument("quote")
@click.option("--seeds", "seeds_dir", type=click.Path(file_okay=False), envvar="CSE_GRAPH_SEEDS",
              help="Folder holding the two seed texts (env: CSE_GRAPH_SEEDS).")
@format_option("turtle", "json")
def cite(quote, seeds_dir, fmt):
    """Find QUOTE in the seed texts and print the evidence block to paste into data/.

    Matching ignores only whitespace and the difference between curly and straight quote
    marks. Every occurrence is listed (recommendations recur in the Summary and Chapter 10);
    exit 1 if the quote is not found or is longer than 200 characters.

    \b
    Example:
      cse-graph cite "Operation Clover was launched in August 2013 partly in response"
    """
    from .seeds import SEED_IRIS, load_seeds
    from .vocab import compact

    seeds = load_seeds(seeds_dir)
    hits = [h for s in seeds.values() for h in s.find(quote)]
    fmt = fmt or "turtle"
    if fmt == "json":
        emit_json([{"seed": h.seed, "line": h.line, "locator": h.locator, "source": SEED_IRIS[h.seed],
                    "exact": h.exact} for h in hits])
    else:
        for h in hits:
            esc = h.exact.replace("\\", "\\\\").replace('"', '\\"')
            click.echo(f"# {h.seed} line {h.line}")
            click.echo(f"cse:evidence [ oa:hasSource {compact(SEED_IRIS[h.seed])} ;\n"
                       f"    cse:locator \"{h.locator}\" ;\n"
                       f"    oa:hasSelector [ oa:exact \"{esc}\" ] ] ;")
    if not hits:
        raise Finding("quote not found in the seeds (check the wording; only whitespace and quote marks may differ)")
    if len(quote) > 200:
        raise Finding(f"quote is {len(quote)} characters; evidence quotes must be at most 200")


def main(argv=None):
    from .build import DataFileError
    from .seeds import SeedsMissing

    try:
        cli.main(args=argv, prog_name="cse-graph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("cse-graph: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except (DataFileError, SeedsMissing) as e:
        click.echo(f"cse-graph: error: {e}", err=True)
        sys.exit(EXIT_ERROR)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
