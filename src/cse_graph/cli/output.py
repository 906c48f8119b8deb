"""The one output layer: --format, JSON, CSV and tables."""

from __future__ import annotations

import json
import sys

import click

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

