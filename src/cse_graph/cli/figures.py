"""Figures: stats (the Data Cube tables) and rank (influence measures)."""

from __future__ import annotations

import click

from .app import cli
from .errors import Failure, NegativeAnswer
from .options import LazyChoice, open_store, store_options
from .output import echo_wrapped, format_option, render, resolve_format

SUM = "Sum (computed)"


@cli.command()
@click.argument("table", required=False)
@click.option("--by", "by", metavar="DIMS",
              help="Row and column dimensions, e.g. 'district,year', 'year' or 'category,district'.")
@click.option("--totals", type=click.Choice(["rows", "columns", "both"]), default=None,
              help="Add computed sums across each row (rows), down each column (columns) or both, "
                   "labelled as computed beside the totals the text prints.")
@store_options
@format_option("table", "json", "csv")
def stats(table, by, totals, data_dir, engine, endpoint, fmt):
    """The statistics tables of the Drew review as pivoted tables, with printed totals checked.

    Without TABLE, lists the tables. TABLE is its number ("1"), slug ("table-08-staff"), label
    or words of its title ("referrals"); two different tables are both printed as "Table 8"
    (use table-08 / table-08-staff). Every cell is one observation of the Data Cube; the
    totals the text prints keep their own "Total" row (or column) and are checked against the
    cells in every pivot.

    \b
    Examples:
      cse-graph stats 1 --by district,year
      cse-graph stats 9 --totals both
    """
    from ..explore.resolution import NotFound
    from ..explore.stats import stats as _stats
    from ..explore.stats import tables
    from ..vocab import compact

    store = open_store(data_dir, engine, endpoint)
    fmt = resolve_format(fmt)
    if not table:
        ts = tables(store)
        render(fmt, ts, ["table", "id", "label", "period", "cells"],
               [[t["table"], compact(t["id"]), t["label"], t["period"], t["observations"]] for t in ts], {"label": 70})
        return
    try:
        r = _stats(store, table, by=by.split(",") if by else None, totals=totals)
    except NotFound as e:
        raise NegativeAnswer(str(e)) from None
    except ValueError as e:
        raise Failure(str(e)) from None
    sums = r["sums"] or {}
    columns = r["columns"] + ([SUM] if "column" in sums else [])
    notes: list[str] = []
    rows, emphasise = [], set()
    for x in r["rows"]:
        label = x["label"]
        if fmt == "table" and x["notes"]:
            marks = []
            for n in x["notes"]:
                if n not in notes:
                    notes.append(n)
                marks.append(f"[{notes.index(n) + 1}]")
            label += " " + "".join(marks)
        if x["total"]:
            emphasise.add(len(rows))
        rows.append([label] + [x["values"].get(c) for c in r["columns"]]
                    + ([sums["column"].get(x["label"])] if "column" in sums else []))
    if "row" in sums:
        emphasise.add(len(rows))
        rows.append([SUM] + [sums["row"].get(c) for c in r["columns"]] + ([""] if "column" in sums else []))
    headers = [r["rows_by"]] + columns
    if fmt == "table":
        for i, c in enumerate(columns):
            for n in r["column_notes"].get(c, []):
                if n not in notes:
                    notes.append(n)
                headers[i + 1] += f" [{notes.index(n) + 1}]"
    if fmt != "table":
        render(fmt, r, headers, rows)
        return
    from .output import echo_wrapped, render_table

    title = f"Table {r['table']}: {r['title'] or r['label']}" + (f" ({r['period']})" if r["period"] else "")
    render_table(headers, rows, title=title, emphasise=emphasise)
    for n, text in enumerate(notes, 1):
        echo_wrapped(f"  [{n}] {text}", indent="      ")
    for c in r["checks"]:
        where = c["column"] if c["direction"] == "down" else f"{c['row']} ({c['column']} column)"
        ok = ("(no printed total)" if c["matches"] is None else
              f"; printed total {c['printed_total']} {'matches' if c['matches'] else 'DOES NOT MATCH'}")
        click.echo(f"  check {where}: cells sum to {c['sum_of_cells']}" + (" " if c["matches"] is None else "") + ok)


def _measures() -> list[str]:
    from ..explore.rank import MEASURES  # numpy: imported when rank runs or asks for its choices, not at start-up

    return list(MEASURES)


@cli.command()
@click.option("--measure", type=LazyChoice(_measures), default="reach",
              show_default=True, help="How influence is measured (see the definition printed with the result).")
@click.option("--type", "kind", metavar="KIND",
              help="Only one kind: document, operation, action, event, agency, person, recommendation, missed … "
                   "(or a type such as Report), or 'all'. Default: documents, operations, actions and events.")
@click.option("--limit", type=click.IntRange(1), default=15, show_default=True, help="Most items to show.")
@store_options
@format_option("table", "json", "csv")
def rank(measure, kind, limit, data_dir, engine, endpoint, fmt):
    """The most influential documents, operations, actions and events in the influence graph, by a
    named measure (--type picks another kind, or all)."""
    from ..explore.rank import KINDS
    from ..explore.rank import rank as _rank
    from ..vocab import compact

    if kind and kind.lower() not in KINDS:
        raise click.BadParameter(f"unknown kind {kind!r}: one of {', '.join(sorted(KINDS))}", param_hint="--type")
    store = open_store(data_dir, engine, endpoint)
    try:
        r = _rank(store, measure=measure, kind=kind.lower() if kind else None, limit=limit)
    except ImportError as e:
        raise Failure(f"{measure} needs an optional package: {e}") from None
    fmt = resolve_format(fmt)
    if fmt == "table":
        echo_wrapped(f"Measure: {r['measure']} — {r['definition']}")
        click.echo("")
    render(fmt, r, ["score", "label", "type", "direct", "reach", "id"],
           [[x["score"], x["label"], x["type"], x["direct"], x["reach"], compact(x["id"])] for x in r["items"]], {"label": 60})

