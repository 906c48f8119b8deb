"""Figures: stats (the Data Cube tables) and rank (influence measures)."""

from __future__ import annotations

import click

from .app import cli
from .errors import Failure, Finding
from .options import open_store, store_options
from .output import format_option, render, resolve_format

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
    from ..explore.common import NotFound
    from ..explore.stats import stats as _stats, tables
    from ..vocab import compact

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
    from ..explore.rank import rank as _rank
    from ..vocab import compact

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

