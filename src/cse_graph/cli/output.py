"""The one output layer: --format, JSON, CSV, tables that fit the terminal, progress, plurals.

Tables are drawn by ``rich`` (maintained, pure Python, ~35 ms to import): it measures every
cell and wraps long ones inside their column, so a table fits the terminal width instead of
cutting text off or running 250 columns wide. Width: the terminal's, else $COLUMNS, else 100.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys

import click

TABLE_WIDTH_DEFAULT = 100


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


def short_date(d):
    """A date for a table: the normalised date (sortable); the wording stays in JSON and CSV.

    >>> short_date({"precision": "month", "earliest": "2014-08-01", "latest": "2014-08-31"})
    '2014-08'
    >>> short_date({"precision": "range", "earliest": "2004-01-01", "latest": "2006-12-31"})
    '2004–2006'
    >>> short_date(None)
    'undated'
    """
    if not d:
        return "undated"
    prec = d.get("precision")
    e, l = d["earliest"], d["latest"]
    if prec == "day":
        return e
    if prec == "month":
        return e[:7]
    if prec == "year":
        return e[:4]
    if e[:4] == l[:4]:
        return e[:4] if (e[5:], l[5:]) == ("01-01", "12-31") else f"{e[:7]}–{l[:7]}"
    return f"{e[:4]}–{l[:4]}"


def wording(d):
    """A date as the text words it (for JSON and CSV, where the normalised bounds sit beside it)."""
    return d["text"] if d else "undated"


def terminal_width() -> int:
    if sys.stdout.isatty():
        return shutil.get_terminal_size((TABLE_WIDTH_DEFAULT, 24)).columns
    try:
        return max(40, int(os.environ.get("COLUMNS", TABLE_WIDTH_DEFAULT)))
    except ValueError:
        return TABLE_WIDTH_DEFAULT


def echo_wrapped(text: str, indent: str = "") -> None:
    """A line of prose wrapped to the terminal width (titles, notes, summaries of a table)."""
    import textwrap

    lead = text[: len(text) - len(text.lstrip())]
    click.echo(textwrap.fill(text.strip(), width=terminal_width(), initial_indent=lead,
                             subsequent_indent=indent or lead + "  ", break_long_words=False, break_on_hyphens=False))


def fit_widths(headers, natural, total, caps) -> list[int]:
    """Column widths that fit ``total``: short columns keep their natural width, long ones share
    the rest in proportion to their length (capped by ``caps``), never narrower than the longest word of their header."""
    gap = 3 * (len(headers) - 1)
    if sum(natural) + gap <= total:
        return list(natural)
    long = [i for i, n in enumerate(natural) if n > 16]
    fixed = sum(n for i, n in enumerate(natural) if i not in long)
    room = max(total - gap - fixed, 0)
    weight = {i: min(natural[i], caps.get(headers[i], 60)) for i in long}
    floor = {i: min(natural[i], max(max(map(len, headers[i].split())), 8)) for i in long}
    extra = max(room - sum(floor.values()), 0)
    out = list(natural)
    for i in long:
        out[i] = min(natural[i], floor[i] + extra * weight[i] // max(sum(weight.values()), 1))
    return out


def render_table(headers, rows, widths=None, title=None, emphasise=()):
    """An aligned table that fits the terminal: long cells wrap within their column.

    ``widths`` caps a long column's share of the width (default 40);
    ``emphasise`` holds row indexes drawn as summary rows (printed totals, computed sums),
    set off by a rule.
    """
    from rich.box import Box
    from rich.console import Console
    from rich.table import Table

    if title:
        echo_wrapped(title)
    console = Console(width=terminal_width(), highlight=False, markup=False, emoji=False, color_system=None,
                      soft_wrap=False)
    rule = Box("    \n    \n ── \n    \n ── \n ── \n    \n    \n", ascii=False)
    cells = [[("" if v is None else str(v)) for v in r] for r in rows]
    natural = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    widths = fit_widths(headers, natural, console.width, widths or {})
    t = Table(box=rule, show_edge=False, pad_edge=False, header_style=None, expand=False)
    for h, w in zip(headers, widths):
        t.add_column(h, overflow="fold", width=w, vertical="top")
    for n, r in enumerate(cells):
        t.add_row(*r, end_section=(n + 1) in emphasise and n not in emphasise)
    with console.capture() as cap:
        console.print(t)
    click.echo("\n".join(line.rstrip() for line in cap.get().splitlines()))


def render_csv(headers, rows):
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(headers)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])


def render(fmt, obj, headers, rows, widths=None, title=None):
    if fmt == "json":
        emit_json(obj)
    elif fmt == "csv":
        render_csv(headers, rows)
    else:
        render_table(headers, rows, widths, title=title)


def first_quote(evidence):
    return f"“{evidence[0]['quote']}” ({evidence[0]['locator']})" if evidence else ""


def all_quotes(evidence):
    """Every quote of a link, for CSV: 'quote (locator)' joined by ' | '."""
    return " | ".join(f"{e['quote']} ({e['locator']})" if e.get("locator") else e["quote"] for e in evidence)


def progress(message: str) -> None:
    """A progress line on stderr when stderr is a terminal (quiet when piped or captured)."""
    from ..cache import stderr_progress

    stderr_progress(message)
