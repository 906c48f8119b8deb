"""SPARQL: queries (the competency questions) and query."""

from __future__ import annotations

from pathlib import Path

import click

from .app import cli
from .errors import EXIT_FINDING, Failure, NegativeAnswer
from .options import open_store, store_options
from .output import emit_json, format_option, render, resolve_format


@cli.command()
@format_option("table", "json", "csv")
def queries(fmt):
    """List the shipped competency questions (queries/*.rq); run one with `cse-graph query NAME`."""
    from ..queries import competency_questions

    qs = competency_questions()
    render(resolve_format(fmt), [{"name": q.name, "question": q.question, "file": str(q.path)} for q in qs],
           ["name", "question"], [[q.name, q.question] for q in qs], {"question": 90})


def undeclared_prefixes(text: str) -> list[str]:
    """Prefixed names in a query whose prefix is neither predeclared nor declared by it."""
    import re

    from ..vocab import PREFIXES

    body = re.sub(r"<[^>]*>|\"[^\"]*\"|'[^']*'|#[^\n]*", " ", text)
    declared = set(re.findall(r"(?i)PREFIX\s+([A-Za-z][\w.-]*)?:", body)) | set(PREFIXES)
    used = re.findall(r"(?<![\w?$:])([A-Za-z][\w.-]*):(?=[\w-]|\s)", body)
    return sorted({f"{u}:" for u in used if u not in declared and u.upper() != "PREFIX"})


@cli.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", help="A SPARQL query given inline instead of NAME.")
@store_options
@format_option("table", "json", "csv")
def query(name, expression, data_dir, engine, endpoint, fmt):
    """Run a competency question (NAME from `cse-graph queries`), a .rq file, or -e 'SPARQL'.

    The project's prefixes (cse:, prov:, report:, op: …) are predeclared. JSON output is
    SPARQL 1.1 Query Results JSON; CONSTRUCT and DESCRIBE print Turtle. Exit 1 when a SELECT
    returns no rows or an ASK is false; exit 2 with the parser's message on a malformed query.

    \b
    Examples:
      cse-graph query documents-that-prompted-operations
      cse-graph query -e 'SELECT ?op ?l WHERE { ?op a cse:Operation ; rdfs:label ?l }'
    """
    from .. import queries as q
    from ..store import QueryError
    from ..vocab import compact

    if bool(name) == bool(expression):
        raise click.UsageError("give a query NAME or FILE.rq, or -e 'SPARQL' (one of them)")
    if expression:
        text = expression
    else:
        looks_like_file = name.endswith(".rq") or "/" in name or "\\" in name
        p = Path(name)
        if looks_like_file and p.exists() and not p.is_file():
            raise Failure(f"{name}: is a folder, not a query file")
        try:
            text = q.find(name).text
        except UnicodeDecodeError:
            raise Failure(f"{name}: not UTF-8 text") from None
        except FileNotFoundError:
            if looks_like_file and not any(c.name == p.name.removesuffix(".rq") for c in q.competency_questions()):
                raise Failure(f"{name}: no such query file (and no shipped query of that name; "
                              "see `cse-graph queries`)") from None
            names = [c.name for c in q.competency_questions()]
            import difflib

            close = difflib.get_close_matches(name, names, n=5, cutoff=0.4)
            raise NegativeAnswer(f"no query named {name!r}" + (f". Did you mean: {', '.join(close)}?" if close else
                                                         " (see `cse-graph queries`)")) from None
    store = open_store(data_dir, engine, endpoint)
    try:
        r = q.run(store, text)
    except QueryError as e:
        msg = str(e)
        if "undeclared prefix" in msg:
            msg = msg.replace("undeclared prefix", f"undeclared prefix {', '.join(undeclared_prefixes(text)) or ''}".rstrip())
        raise Failure(f"malformed or unsupported query: {msg}") from None
    fmt = resolve_format(fmt)
    if r.kind in ("CONSTRUCT", "DESCRIBE"):
        click.echo(r.graph.decode("utf-8"), nl=False)
        return
    if r.kind == "ASK":
        if fmt == "json":
            emit_json(q.sparql_json(r))
        else:
            click.echo("true" if r.boolean else "false")
        if not r.boolean:
            raise SystemExit(EXIT_FINDING)
        return
    if fmt == "json":
        emit_json(q.sparql_json(r))
    else:
        def cell(v):
            if v is None:
                return ""
            return compact(str(v)) if getattr(v, "kind", "") == "iri" and fmt == "table" else str(v)

        render(fmt, None, r.variables, [[cell(row.get(v)) for v in r.variables] for row in r.rows])
    if not r.rows:
        raise SystemExit(EXIT_FINDING)


