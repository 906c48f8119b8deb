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
from .store import ENGINES

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


class CseGroup(click.Group):
    """Turns the library's user-facing errors into clean messages (exit 2), however it is invoked."""

    def invoke(self, ctx):
        from .build import DataFileError
        from .seeds import SeedsMissing

        try:
            return super().invoke(ctx)
        except (DataFileError, SeedsMissing, ConnectionError) as e:
            raise Failure(str(e)) from None


@click.group(cls=CseGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    click.echo("validation:  " + (f"{v['violations']} violations, {v['warnings']} warnings" if "violations" in v
                                  else v.get("skipped", "not run")))
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



# ---------------------------------------------------------------------------
# Shared plumbing for read commands
# ---------------------------------------------------------------------------

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
    from .store import open_store as _open

    try:
        return _open(data_dir, engine=engine, endpoint=endpoint)
    except ValueError as e:
        raise Failure(str(e)) from None


def resolve_entity(store, text):
    from .explore.common import NotFound, resolve

    try:
        return resolve(store, text)
    except NotFound as e:
        raise Finding(str(e)) from None


def short_date(d):
    return d["text"] if d else "undated"


def render_table(headers, rows, widths=None):
    """Plain aligned columns; long cells are cut with an ellipsis."""
    widths = widths or {}
    cells = [[("" if v is None else str(v)) for v in r] for r in rows]
    cols = []
    for i, h in enumerate(headers):
        cap = widths.get(h, 48)
        w = max([len(h)] + [len(r[i]) for r in cells]) if cells else len(h)
        cols.append(min(w, cap))

    def fit(text, w):
        text = text.replace("\n", " ")
        return text if len(text) <= w else text[: max(w - 1, 1)] + "…"

    lines = ["  ".join(fit(h, w).ljust(w) for h, w in zip(headers, cols)).rstrip(),
             "  ".join("-" * w for w in cols)]
    for r in cells:
        lines.append("  ".join(fit(c, w).ljust(w) for c, w in zip(r, cols)).rstrip())
    click.echo("\n".join(lines))


def render_csv(headers, rows):
    import csv

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(headers)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])


def render(fmt, obj, headers, rows, widths=None):
    if fmt == "json":
        emit_json(obj)
    elif fmt == "csv":
        render_csv(headers, rows)
    else:
        render_table(headers, rows, widths)


def first_quote(evidence):
    return f"“{evidence[0]['quote']}” ({evidence[0]['locator']})" if evidence else ""


# ---------------------------------------------------------------------------
# Read commands
# ---------------------------------------------------------------------------

@cli.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, help="Most results to show.")
@store_options
@format_option("table", "json", "csv")
def search(text, limit, data_dir, engine, endpoint, fmt):
    """Find entities whose name, other names, title or description match TEXT.

    Matching ignores case and punctuation and tolerates typos. Score 1.0 is an exact name.

    \b
    Example:  cse-graph search "heal"
    JSON:     [{"id", "label", "type", "score"}]
    """
    from .explore.search import search as _search
    from .vocab import compact

    store = open_store(data_dir, engine, endpoint)
    hits = _search(store, text, limit=limit)
    render(resolve_format(fmt), hits, ["id", "label", "type", "score"],
           [[compact(h["id"]), h["label"], h["type"], h["score"]] for h in hits], {"label": 70})
    if not hits:
        raise Finding(f"nothing matches {text!r}")


@cli.command()
@click.argument("entity")
@store_options
@format_option("table", "json")
def show(entity, data_dir, engine, endpoint, fmt):
    """Every fact about ENTITY, with the evidence for each.

    ENTITY is an IRI, a prefixed name (op:clover) or a label ("Operation Clover"; case,
    punctuation and small typos are forgiven). Lists its facts, what influenced it and what
    it influenced (with quotes), posts held, and the passages that introduce it.
    """
    from .explore.show import show as _show
    from .vocab import compact

    store = open_store(data_dir, engine, endpoint)
    iri = resolve_entity(store, entity)
    r = _show(store, iri)
    if resolve_format(fmt) == "json":
        emit_json(r)
        return
    click.echo(f"{r['label']}  ({compact(r['id'])}, {r['type']})")
    for k, d in r["dates"].items():
        click.echo(f"  {k:10} {d['text']}  [{d['earliest']} … {d['latest']}, {d['precision']}]")
    if r["facts"]:
        click.echo("\nFacts")
        for f in r["facts"]:
            arrow = "→" if f["direction"] == "out" else "←"
            click.echo(f"  {arrow} {f['property_label']}: {f['value_label'] or f['value']}")
    if r["influences"]:
        click.echo("\nInfluence")
        for i in r["influences"]:
            verb = {"cause": f"{i['relation']} →", "effect": f"← {i['relation']} by"}[i["role"]]
            click.echo(f"  {verb} {i['other']['label']}  [{i['confidence']}]")
            for ev in i["evidence"]:
                click.echo(f"      “{ev['quote']}” — {ev['document_label']}, {ev['locator']}")
    if r["memberships"]:
        click.echo("\nPosts")
        for m in r["memberships"]:
            span = f"{short_date(m['began']) if m['began'] else '?'} – {short_date(m['ended']) if m['ended'] else ''}"
            click.echo(f"  {m['person']['label']}: {m['post']['label']} ({span})" + (f" [{m['note']}]" if m["note"] else ""))
    if r["evidence"]:
        click.echo("\nEvidence")
        for ev in r["evidence"]:
            click.echo(f"  “{ev['quote']}” — {ev['document_label']}, {ev['locator']}")


@cli.command()
@click.argument("entity")
@click.option("--direction", type=click.Choice(["down", "up", "both"]), default="down", show_default=True,
              help="down: what ENTITY set in motion; up: what set it in motion; both.")
@click.option("--depth", type=click.IntRange(1, 20), default=4, show_default=True, help="How many steps to follow.")
@click.option("--min-confidence", type=click.Choice(["stated", "partly", "probably", "reported", "possibly", "inferred"]),
              default=None, help="Drop links the text hedges more than this.")
@store_options
@format_option("table", "json", "csv", "text")
def lineage(entity, direction, depth, min_confidence, data_dir, engine, endpoint, fmt):
    """Trace what ENTITY set in motion (or what set it in motion), with a quote on every link.

    Follows: prompted, informed (drew on), commissioned, recommended (a report's
    recommendations) and "ignored in" (missed opportunities in which it was ignored).
    --format text tells the chain as cited sentences, oldest first.

    \b
    Examples:
      cse-graph lineage "Jay report"                 what the Jay report led to
      cse-graph lineage op:clover --direction up     what prompted Operation Clover
    JSON: {"root", "direction", "depth", "min_confidence", "nodes": [{"id","label","type","date"}],
           "edges": [{"source","target","relation","confidence","lag_months","evidence":[…]}]}
    """
    from .explore.lineage import lineage as _lineage, narrate
    from .vocab import compact

    store = open_store(data_dir, engine, endpoint)
    iri = resolve_entity(store, entity)
    r = _lineage(store, iri, direction=direction, depth=depth, min_confidence=min_confidence)
    fmt = resolve_format(fmt, "table")
    if fmt == "text":
        click.echo(narrate(r))
    else:
        labels = {n["id"]: n for n in r["nodes"]}
        render(fmt, r, ["date", "source", "relation", "target", "confidence", "lag", "evidence"],
               [[short_date(labels[e["target"]]["date"]), labels[e["source"]]["label"], e["relation"],
                 labels[e["target"]]["label"], e["confidence"], e["lag_months"],
                 first_quote(e["evidence"]) if fmt != "csv" else " | ".join(x["quote"] for x in e["evidence"])]
                for e in r["edges"]], {"evidence": 70, "source": 40, "target": 40})
    if not r["edges"]:
        raise Finding(f"no recorded {direction}stream links from {r['root']['label']} ({compact(iri)})")


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--k", "k", type=click.IntRange(1, 50), default=3, show_default=True, help="How many paths.")
@store_options
@format_option("table", "json", "text")
def path(a, b, k, data_dir, engine, endpoint, fmt):
    """The K shortest evidence-backed paths between entities A and B.

    Steps whose own passage states them are preferred to links stated only by an entity's
    description. Each step shows its relation, direction and first quote.
    """
    from .explore.path import path as _path

    store = open_store(data_dir, engine, endpoint)
    ia, ib = resolve_entity(store, a), resolve_entity(store, b)
    r = _path(store, ia, ib, k=k)
    fmt = resolve_format(fmt, "text")
    if fmt == "json":
        emit_json(r)
    else:
        for n, p in enumerate(r["paths"], 1):
            click.echo(f"Path {n} ({p['length']} steps)")
            for s in p["steps"]:
                arrow = f"—{s['relation']}→" if s["forward"] else f"←{s['relation']}—"
                click.echo(f"  {s['from']['label']} {arrow} {s['to']['label']}  [{s['confidence']}]")
                if s["evidence"]:
                    ev = s["evidence"][0]
                    click.echo(f"      “{ev['quote']}” — {ev['document_label']}, {ev['locator']}")
    if not r["paths"]:
        raise Finding(f"no path between {r['source']['label']} and {r['target']['label']}")


def place_option(f):
    f = click.option("--exact", is_flag=True, help="With --district: leave out county-wide items.")(f)
    f = click.option("--until", type=int, metavar="YEAR", help="Only items that overlap years up to YEAR.")(f)
    f = click.option("--since", type=int, metavar="YEAR", help="Only items that overlap years from YEAR.")(f)
    return click.option("--district", metavar="PLACE",
                        help="Barnsley, Doncaster, Rotherham, Sheffield (or any place); county-wide items are included unless --exact.")(f)


def resolve_place(store, district):
    if not district:
        return None
    return resolve_entity(store, district)


@cli.command()
@place_option
@store_options
@format_option("table", "json", "csv")
def missed(district, since, until, exact, data_dir, engine, endpoint, fmt):
    """Documented missed opportunities: when, where, who missed it, what was ignored, who judged it.

    These are opportunities the sources themselves judge missed. For recommendations that
    simply have no recorded response, see `cse-graph gaps`.
    """
    from .explore.missed import missed as _missed

    store = open_store(data_dir, engine, endpoint)
    items = _missed(store, district=resolve_place(store, district), since=since, until=until, exact=exact)

    def names(xs):
        return "; ".join(x["label"] for x in xs)

    render(resolve_format(fmt), items, ["date", "missed opportunity", "missed by", "ignored", "judged by", "confidence", "evidence"],
           [[short_date(i["date"]), i["label"], names(i["missed_by"]), names(i["ignored"]), names(i["judged_by"]),
             i["confidence"], first_quote(i["evidence"])] for i in items],
           {"missed opportunity": 50, "ignored": 40, "evidence": 60})
    if not items:
        raise Finding("no documented missed opportunities match")


@cli.command()
@click.option("--status", type=click.Choice(["responded", "responded and documented as missed", "documented as missed",
                                             "no response recorded"]), help="Only documents with this status.")
@click.option("--recommendations", "recs_only", is_flag=True, help="List recommendations instead of documents.")
@store_options
@format_option("table", "json", "csv")
def gaps(status, recs_only, data_dir, engine, endpoint, fmt):
    """Stock-take: for every document, recommendations stated and modelled, recorded responses
    with their lag, and what has no recorded response at all.

    "documented as missed" means a source judges it was ignored; "no response recorded" means
    the graph holds no response (the sources may simply be silent).
    """
    from .explore.gaps import gaps as _gaps

    store = open_store(data_dir, engine, endpoint)
    r = _gaps(store)
    fmt = resolve_format(fmt)
    if recs_only:
        items = [x for x in r["recommendations"] if not status or x["status"] == status]
        render(fmt, {"summary": r["summary"], "recommendations": items},
               ["recommendation", "made in", "status", "responses", "first response"],
               [[x["label"], x["made_in_label"], x["status"], len(x["responses"]),
                 x["responses"][0]["label"] if x["responses"] else ""] for x in items], {"recommendation": 60})
        return
    items = [x for x in r["documents"] if not status or x["status"] == status]
    out = {"summary": r["summary"], "documents": items, "recommendations": r["recommendations"]}
    render(fmt, out, ["date", "document", "recs stated", "recs modelled", "responses", "first lag (months)", "status"],
           [[short_date(x["date"]), x["label"], x["stated_recommendations"], x["modelled_recommendations"],
             len(x["responses"]), x["first_response_lag_months"], x["status"]] for x in items], {"document": 60})
    if fmt == "table":
        s = r["summary"]
        click.echo(f"\n{s['documents']} documents: " + ", ".join(f"{v} {k}" for k, v in s["documents_by_status"].items()))
        click.echo(f"{s['recommendations_modelled']} recommendations modelled ({s['recommendations_stated']} stated by "
                   f"{s['documents_stating_a_count']} documents): " + ", ".join(f"{v} {k}" for k, v in s["recommendations_by_status"].items()))


@cli.command()
@place_option
@click.option("--no-tenures", is_flag=True, help="Leave out when people took up and left posts.")
@store_options
@format_option("table", "json", "csv")
def timeline(district, since, until, exact, no_tenures, data_dir, engine, endpoint, fmt):
    """Dated events in order, with the precision of each date (day, month, year or range).

    Includes documents, operations (began/ended), actions, events, missed opportunities and,
    unless --no-tenures, people taking up and leaving posts.
    """
    from .explore.timeline import timeline as _timeline
    from .vocab import compact

    store = open_store(data_dir, engine, endpoint)
    items = _timeline(store, district=resolve_place(store, district), since=since, until=until, exact=exact,
                      tenures=not no_tenures)
    render(resolve_format(fmt), items, ["date", "precision", "event", "label", "type", "places", "id"],
           [[i["date"]["text"], i["date"]["precision"], i["event"], i["label"], i["type"], ", ".join(i["districts"]),
             compact(i["id"])] for i in items], {"label": 60, "date": 30})
    if not items:
        raise Finding("no dated items match")


@cli.command()
@click.argument("table", required=False)
@click.option("--by", "by", metavar="DIMS", help="Row and column dimensions, e.g. 'district,year' or 'category'.")
@store_options
@format_option("table", "json", "csv")
def stats(table, by, data_dir, engine, endpoint, fmt):
    """The statistics tables of the Drew review as pivoted tables, with printed totals checked.

    Without TABLE, lists the tables. TABLE is its number ("1"), slug ("table-08-staff") or
    label; two different tables are both printed as "Table 8" (use table-08 / table-08-staff).
    """
    from .explore.common import NotFound
    from .explore.stats import stats as _stats, tables
    from .vocab import compact

    store = open_store(data_dir, engine, endpoint)
    fmt = resolve_format(fmt)
    if not table:
        ts = tables(store)
        render(fmt, ts, ["table", "id", "label", "period", "cells"],
               [[t["table"], compact(t["id"]), t["label"], t["period"], t["observations"]] for t in ts], {"label": 70})
        return
    try:
        r = _stats(store, table, by=[b.strip() for b in by.split(",")] if by else None)
    except NotFound as e:
        raise Finding(str(e)) from None
    except ValueError as e:
        raise Failure(str(e)) from None
    headers = [r["rows_by"]] + r["columns"]
    rows = [[x["label"] + (" *" if x["notes"] else "")] + [x["values"].get(c) for c in r["columns"]] for x in r["rows"]]
    if fmt == "table":
        click.echo(f"Table {r['table']}: {r['title'] or r['label']}" + (f" ({r['period']})" if r["period"] else ""))
    render(fmt, r, headers, rows, {r["rows_by"]: 60})
    if fmt == "table":
        for x in r["rows"]:
            for n in x["notes"]:
                click.echo(f"  * {x['label']}: {n}")
        for c in r["checks"]:
            ok = {True: "matches", False: "DOES NOT MATCH", None: "(no printed total)"}[c["matches"]]
            click.echo(f"  check {c['column']}: cells sum to {c['sum_of_cells']}; printed total {c['printed_total']} {ok}")


@cli.command()
@click.option("--measure", type=click.Choice(["reach", "direct", "pagerank", "betweenness"]), default="reach",
              show_default=True, help="How influence is measured (see the definition printed with the result).")
@click.option("--type", "kind", metavar="KIND", help="Only one kind: document, operation, action, event, agency, person, recommendation …")
@click.option("--limit", default=15, show_default=True)
@store_options
@format_option("table", "json", "csv")
def rank(measure, kind, limit, data_dir, engine, endpoint, fmt):
    """The most influential reports, events and actions in the influence graph, by a named measure."""
    from .explore.rank import rank as _rank
    from .vocab import compact

    store = open_store(data_dir, engine, endpoint)
    try:
        r = _rank(store, measure=measure, kind=kind, limit=limit)
    except ImportError as e:
        raise Failure(f"{measure} needs an optional package: {e}") from None
    fmt = resolve_format(fmt)
    if fmt == "table":
        click.echo(f"Measure: {r['measure']} — {r['definition']}\n")
    render(fmt, r, ["score", "label", "type", "direct", "reach", "id"],
           [[x["score"], x["label"], x["type"], x["direct"], x["reach"], compact(x["id"])] for x in r["items"]], {"label": 60})


@cli.command()
@format_option("table", "json")
def queries(fmt):
    """List the shipped competency questions (queries/*.rq); run one with `cse-graph query NAME`."""
    from .queries import competency_questions

    qs = competency_questions()
    render(resolve_format(fmt), [{"name": q.name, "question": q.question, "file": str(q.path)} for q in qs],
           ["name", "question"], [[q.name, q.question] for q in qs], {"question": 90})


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
      cse-graph query operations-prompted-by-reports
      cse-graph query -e 'SELECT ?op ?l WHERE { ?op a cse:Operation ; rdfs:label ?l }'
    """
    from . import queries as q
    from .store import QueryError
    from .vocab import compact

    if bool(name) == bool(expression):
        raise click.UsageError("give a query NAME or FILE.rq, or -e 'SPARQL' (one of them)")
    if expression:
        text = expression
    else:
        try:
            text = q.find(name).text
        except FileNotFoundError:
            names = [c.name for c in q.competency_questions()]
            import difflib

            close = difflib.get_close_matches(name, names, n=5, cutoff=0.4)
            raise Finding(f"no query named {name!r}" + (f". Did you mean: {', '.join(close)}?" if close else
                                                         " (see `cse-graph queries`)")) from None
    store = open_store(data_dir, engine, endpoint)
    try:
        r = q.run(store, text)
    except QueryError as e:
        raise Failure(f"malformed or unsupported query: {e}") from None
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



# ---------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------

KEY_LINEAGES = [  # (file stem, entity): the lineage pages `export all` writes
    ("lineage-jay-report", "report:jay-2014"),
    ("lineage-problem-profile-2010", "report:syp-strategic-problem-profile-2010"),
    ("lineage-operation-central", "op:central"),
    ("lineage-operation-clover", "op:clover"),
    ("lineage-heal-2003", "report:heal-2003"),
]


def exports_dir(out):
    from . import paths

    return Path(out) if out else paths.default_exports_dir()


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
@click.option("--depth", type=click.IntRange(1, 10), default=3, show_default=True, help="For --view lineage: steps each way.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default exports/VIEW.html).")
@max_nodes_option
@store_options
def export_html(view, focus, depth, output, max_nodes, data_dir, engine, endpoint):
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
      cse-graph export html --data big/ --max-nodes 1000      # a big corpus, smaller pages
    """
    from .export.html import make_view, write_html

    store = open_store(data_dir, engine, endpoint)
    iri = resolve_entity(store, focus) if focus else None
    if view == "lineage" and not iri:
        raise click.UsageError("--view lineage needs --focus ENTITY")
    out = output or exports_dir(None) / (f"{view}.html" if view != "lineage" else f"lineage-{iri.rsplit('/', 1)[-1]}.html")
    v = make_view(store, view, focus=iri, depth=depth, limit=max_nodes)
    files = write_html(store, v, out, limit=max_nodes)
    click.echo(f"{out}  ({len(v.nodes)} entities, {len(v.edges)} links, {out.stat().st_size // 1024} KB)"
               + (f"; {len(files) - 1} more pages in {out.with_name(out.stem + '-pages')}" if len(files) > 1 else ""))


@export.command("rdf")
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples", "jsonld"]), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default exports/graph.EXT).")
@data_option
def export_rdf(fmt, output, data_dir):
    """The compiled graph (ontology, data and everything derived) as Turtle, N-Triples or JSON-LD."""
    from .cache import ensure_built
    from .export.files import RDF_FORMATS, write_rdf

    b = ensure_built(data_dir)
    out = output or exports_dir(None) / f"graph{RDF_FORMATS[fmt]}"
    write_rdf(b.ntriples, out, fmt)
    click.echo(f"{out}  ({b.meta['triples']} triples, {out.stat().st_size // 1024} KB)")


@export.command("network")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv"]), default="graphml", show_default=True,
              help="graphml / gexf (Gephi, yEd, Cytoscape) or csv (nodes.csv and edges.csv).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File to write (for csv: a folder for nodes.csv and edges.csv). Default: exports/.")
@store_options
def export_network(fmt, output, data_dir, engine, endpoint):
    """The entity graph with evidence on every edge, for network tools.

    Nodes carry label, type, dates and places; edges carry relation, confidence, the first
    quote with its locator and document, and all evidence as JSON.
    """
    from .export.files import write_csv, write_gexf, write_graphml
    from .graph import projection

    store = open_store(data_dir, engine, endpoint)
    proj = projection(store)
    if fmt == "csv":
        d = output or exports_dir(None)
        for f in write_csv(proj, d / "nodes.csv", d / "edges.csv"):
            click.echo(f"{f}  ({f.stat().st_size // 1024} KB)")
        return
    out = output or exports_dir(None) / f"graph.{fmt}"
    (write_graphml if fmt == "graphml" else write_gexf)(proj, out)
    click.echo(f"{out}  ({len(proj.nodes)} nodes, {len(proj.edges)} edges, {out.stat().st_size // 1024} KB)")


@export.command("all")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder (default exports/).")
@max_nodes_option
@store_options
@format_option("table", "json")
def export_all(output, max_nodes, data_dir, engine, endpoint, fmt):
    """Every export: the four HTML views (with lineage pages for key reports and operations),
    Turtle, N-Triples, JSON-LD, GraphML, GEXF and nodes/edges CSV. Prints what it wrote."""
    from .cache import ensure_built, stderr_progress
    from .export.files import write_csv, write_gexf, write_graphml, write_rdf
    from .export.html import make_view, write_html
    from .graph import projection

    d = exports_dir(output)
    store = open_store(data_dir, engine, endpoint)
    b = ensure_built(data_dir, progress=None) if not endpoint else None
    proj = projection(store)
    written = []

    def note(path, what):
        if isinstance(path, list):   # a big view: its first page, and the pages beside it
            if len(path) > 1:
                what += f"; {len(path) - 1} more pages in {path[0].with_name(path[0].stem + '-pages')}"
            path = path[0]
        written.append({"file": str(path), "bytes": path.stat().st_size, "what": what})

    for view in ("overview", "missed", "timeline"):
        stderr_progress(f"drawing the {view} view")
        v = make_view(store, view, proj=proj, limit=max_nodes)
        note(write_html(store, v, d / f"{view}.html", limit=max_nodes), f"{view}: {len(v.nodes)} entities, {len(v.edges)} links")
    for stem, entity in KEY_LINEAGES:
        iri = resolve_entity(store, entity)
        v = make_view(store, "lineage", focus=iri, depth=3, proj=proj, limit=max_nodes)
        note(write_html(store, v, d / f"{stem}.html", limit=max_nodes), f"lineage of {v.nodes[iri]['label']}: {len(v.nodes)} entities")
    if b is not None:
        for f, ext in (("turtle", "ttl"), ("ntriples", "nt"), ("jsonld", "jsonld")):
            note(write_rdf(b.ntriples, d / f"graph.{ext}", f), f"compiled graph ({f}), {b.meta['triples']} triples")
    note(write_graphml(proj, d / "graph.graphml"), f"GraphML: {len(proj.nodes)} nodes, {len(proj.edges)} edges")
    note(write_gexf(proj, d / "graph.gexf"), "GEXF for Gephi")
    for f in write_csv(proj, d / "nodes.csv", d / "edges.csv"):
        note(f, "CSV")
    if resolve_format(fmt) == "json":
        emit_json(written)
    else:
        render_table(["file", "KB", "what"], [[w["file"], w["bytes"] // 1024, w["what"]] for w in written], {"file": 60, "what": 70})



# ---------------------------------------------------------------------------
# Serving and pushing
# ---------------------------------------------------------------------------

def _size(text: str) -> int:
    """'512M', '2G', '1.5GiB', '800000000' → bytes (for --max-memory)."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", text.lower())
    if not m:
        raise click.BadParameter(f"{text!r} is not a size: write e.g. 512M or 2G")
    return int(float(m.group(1)) * 1024 ** " kmgt".index(m.group(2) or " "))


def _default_memory(workers: int) -> int:
    """A quarter of this machine's RAM shared by the workers, each between 256 MiB and 2 GiB."""
    import os

    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        total = 8 << 30
    return max(256 << 20, min(2 << 30, total // (4 * workers)))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but loopback exposes the endpoint to your network (a warning is printed).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (HTTP 503).")
@click.option("--max-rows", type=click.IntRange(1), default=10000, show_default=True,
              help="Largest result served (rows, or triples for CONSTRUCT); larger ones get HTTP 422.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries run at once (each in its own process).")
@click.option("--fast-workers", type=click.IntRange(0, 16), default=2, show_default=True,
              help="Extra workers kept for short queries when every other worker is busy.")
@click.option("--fast-timeout", type=click.FloatRange(0.05, 60), default=1.0, show_default=True,
              help="Seconds a query may use a fast worker before it must wait for a general one.")
@click.option("--max-memory", metavar="SIZE", default=None,
              help="Heap limit per worker, e.g. 512M or 2G (default: a quarter of RAM over the workers, 256M–2G); "
                   "a query over it gets HTTP 507.")
@click.option("--allow-service", "allow_service", metavar="URL_PREFIX", multiple=True,
              help="Allow SERVICE calls to endpoints under this URL (repeatable). Without it SERVICE is refused "
                   "and the server never connects out.")
@click.option("--allow-host", "allow_host", metavar="NAME", multiple=True,
              help="Also answer requests whose Host header names NAME (repeatable); others get HTTP 421.")
@click.option("--cors", "cors", metavar="ORIGIN", multiple=True,
              help="Allow browser clients on this origin, e.g. https://yasgui.example (repeatable; off by default).")
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@data_option
def serve(host, port, timeout, max_rows, workers, fast_workers, fast_timeout, max_memory, allow_service, allow_host,
          cors, quiet, data_dir):
    """A read-only SPARQL 1.1 endpoint at /sparql and an offline workbench (YASGUI) at /.

    GET or POST (query= in the URL or a form, or an application/sparql-query body). Results by
    content negotiation: SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples,
    JSON-LD or RDF/XML (an Accept header wins over ?format=). A bare GET /sparql answers the
    Service Description. The project's prefixes are predeclared; the data is the named graph
    https://w3id.org/cse-graph/id/graph, which is also the default graph. SPARQL Update gets 403,
    SERVICE and LOAD 400 (SERVICE unless --allow-service), a malformed query 400, a foreign Host 421, a
    query over the time limit 503, over the memory limit 507, a result over the cap 422.
    /describe?iri=… shows an entity's facts and quotes.

    \b
    Example:
      cse-graph serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a cse:Operation }' http://127.0.0.1:7878/sparql
    """
    from .cache import ensure_built
    from .server.app import is_loopback, serve as _serve

    limit = _size(max_memory) if max_memory else _default_memory(workers + fast_workers)
    b = ensure_built(data_dir)
    if not is_loopback(host):
        click.echo(f"cse-graph: warning: binding to {host!r} exposes the endpoint beyond this machine; "
                   "use the default 127.0.0.1 unless you mean to share it.", err=True)

    def ready(addr, pool):
        h, p = addr
        h = f"[{h}]" if ":" in h else h
        net = "" if allow_service else (" no network in workers;" if pool.isolated else "")
        click.echo(f"cse-graph: SPARQL endpoint http://{h}:{p}/sparql — workbench http://{h}:{p}/ "
                   f"(timeout {timeout:g} s, max {max_rows} rows, {workers}+{fast_workers} workers, "
                   f"{limit >> 20} MiB each;{net} Ctrl-C stops)", err=True)

    try:
        _serve(b.ntriples, b.store_dir, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers,
               fast_workers=fast_workers, fast_timeout=fast_timeout, max_memory=limit, allow_service=allow_service,
               allow_hosts=allow_host, cors=cors, quiet=quiet, ready=ready)
    except OSError as e:
        raise Failure(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    click.echo("cse-graph: stopped", err=True)


def _http(method, url, data=None, headers=None, timeout=120):
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, OSError) as e:
        raise Failure(f"cannot reach {url}: {getattr(e, 'reason', e)}") from None


@cli.command()
@click.argument("url")
@click.option("--graph", default=None, metavar="IRI", help="Named graph to replace (default https://w3id.org/cse-graph/id/graph).")
@click.option("--update-url", metavar="URL", help="SPARQL Update endpoint (default: URL with a final /store or /data replaced by /update).")
@click.option("--query-url", metavar="URL", help="SPARQL query endpoint used to count what landed (default: /store → /query).")
@data_option
def push(url, graph, update_url, query_url, data_dir):
    """Load the compiled graph into a triple store through the SPARQL 1.1 Graph Store Protocol.

    URL is the store's Graph Store endpoint (Oxigraph: http://HOST:PORT/store; Fuseki:
    http://HOST:PORT/DATASET/data). The graph is uploaded into a temporary named graph and then
    moved over the target in one SPARQL Update (MOVE), so the replacement is atomic: a failed push
    leaves what the store held before. Then read it with `--endpoint http://HOST:PORT/query`.
    """
    import re
    import urllib.parse
    import uuid

    from .cache import ensure_built
    from .vocab import GRAPH

    graph = graph or GRAPH
    update_url = update_url or re.sub(r"/(store|data)/?$", "/update", url)
    query_url = query_url or re.sub(r"/(store|data)/?$", "/query", url)
    if update_url == url:
        raise click.UsageError("cannot guess the SPARQL Update endpoint from URL: give --update-url")
    b = ensure_built(data_dir)
    tmp = f"{graph}/upload-{uuid.uuid4().hex}"
    body = b.ntriples.read_bytes()
    sep = "&" if "?" in url else "?"
    status, text = _http("PUT", f"{url}{sep}{urllib.parse.urlencode({'graph': tmp})}", body,
                         {"Content-Type": "application/n-triples"})
    if status not in (200, 201, 204):
        raise Failure(f"upload refused by {url} (HTTP {status}): {text[:300].decode('utf-8', 'replace').strip()}; "
                      f"the target graph is untouched")
    form = urllib.parse.urlencode({"update": f"MOVE <{tmp}> TO <{graph}>"}).encode()
    status, text = _http("POST", update_url, form, {"Content-Type": "application/x-www-form-urlencoded"})
    if status not in (200, 204):
        # Remove the upload through the Graph Store Protocol (the update endpoint may be the thing
        # that is wrong), then by SPARQL Update as a fallback; say so if neither worked.
        cleaned = False
        try:
            st, _ = _http("DELETE", f"{url}{sep}{urllib.parse.urlencode({'graph': tmp})}", timeout=30)
            cleaned = st in (200, 204)
            if not cleaned:
                drop = urllib.parse.urlencode({"update": f"DROP SILENT GRAPH <{tmp}>"}).encode()
                st, _ = _http("POST", update_url, drop, {"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
                cleaned = st in (200, 204)
        except Failure:
            pass
        left = "" if cleaned else f"; could not remove the uploaded copy <{tmp}>: delete it by hand"
        raise Failure(f"could not replace <{graph}> via {update_url} (HTTP {status}): "
                      f"{text[:300].decode('utf-8', 'replace').strip()}; the target graph is untouched{left}")
    count = "?"
    q = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"}).encode()
    status, text = _http("POST", query_url, q, {"Content-Type": "application/x-www-form-urlencoded",
                                                "Accept": "application/sparql-results+json"}, timeout=60)
    if status == 200:
        try:
            count = json.loads(text)["results"]["bindings"][0]["n"]["value"]
        except (ValueError, KeyError, IndexError):
            pass
    click.echo(f"pushed {b.meta['triples']} triples into <{graph}> at {url} (store now holds {count} in that graph)")


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
    except (DataFileError, SeedsMissing, ConnectionError) as e:
        click.echo(f"cse-graph: error: {e}", err=True)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # a bug, not a user mistake: one line unless debugging
        import os

        if os.environ.get("CSE_GRAPH_DEBUG"):
            raise
        click.echo(f"cse-graph: internal error: {type(e).__name__}: {e} (set CSE_GRAPH_DEBUG=1 for the traceback)", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
