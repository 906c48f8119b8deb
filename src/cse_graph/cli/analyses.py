"""Commands for issue 13's analyses — ``known``, ``recurrence``, ``breaks`` — and the output of
``gaps --overdue``: thin click wrappers over ``cse_graph.explore.known/recurrence/breaks/overdue``.

Registered on the main group when the cli package imports this module.
"""

from __future__ import annotations

import click

from .app import cli
from .errors import Failure, NegativeAnswer
from .options import open_store, resolve_entity, store_options
from .output import emit_json, format_option, render, resolve_format, short_date


def _d(d) -> str:
    if isinstance(d, str):
        return d
    return short_date(d)


@click.command()
@click.option("--at", "at", required=True, metavar="DATE",
              help="YYYY, YYYY-MM or YYYY-MM-DD; the period's last day is the cut-off (2008-01 → 2008-01-31).")
@click.option("--by", "by", metavar="ENTITY",
              help="An agency, unit, post or person: show which documents the texts say reached it (or its units, posts, post-holders).")
@store_options
@format_option("table", "json", "csv", "text")
def known(at, by, data_dir, engine, endpoint, fmt):
    """What could have been known at a date: the documents that existed, which had reached a body,
    the recommendations still open, the responses by then and the opportunities already missed.

    Items are compared on their date bounds with the cut-off (the last day of DATE): "before"
    when wholly on or before it, "straddles" when their range spans it (listed and marked, as
    possibly existing). Undated items are left out and counted.

    \b
    Examples:  cse-graph known --at 2008-01 --by "South Yorkshire Police"
               cse-graph known --at 2010 --format text
    JSON:      {"at", "cutoff", "rule", "by", "documents", "open_recommendations",
                "responses_by_then", "missed_so_far", "undated_documents"}
    """
    from ..explore.analysis_queries import parse_as_of
    from ..explore.known import known as _known
    from ..explore.known import narrate

    try:
        parse_as_of(at)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--at") from None
    store = open_store(data_dir, engine, endpoint)
    body = resolve_entity(store, by) if by else None
    r = _known(store, at, by=body)
    fmt = resolve_format(fmt)
    if fmt == "text":
        click.echo(narrate(r))
    else:
        rows = []
        for d in r["documents"]:
            rows.append(["document", _d(d["date"]), d["timing"], d["label"],
                         "; ".join(f"{x['means'] or 'reached'} → {x['label']} ({x['timing']})" for x in d["reached"])])
        for x in r["open_recommendations"]:
            rows.append(["open recommendation", _d(x["date"]), x["timing"], x["label"], f"{x['status']}; made in {x['made_in_label']}"])
        for x in r["responses_by_then"]:
            rows.append(["response", _d(x["date"]), x["timing"], x["label"], f"{x['relation']} by {x['responds_to']['label']}"])
        for x in r["missed_so_far"]:
            rows.append(["missed", _d(x["date"]), x["timing"], x["label"], "ignored: " + "; ".join(i["label"] for i in x["ignored"])])
        render(fmt, r, ["what", "date", "timing", "item", "detail"], rows, {"item": 60, "detail": 60})
        if fmt == "table":
            click.echo(f"\nAs of {r['at']} (cut-off {r['cutoff']}). {r['rule']}")
    if not r["documents"]:
        raise NegativeAnswer(f"nothing is dated on or before {r['cutoff']}")


@click.command()
@click.option("--min-documents", type=click.IntRange(1, None), default=2, show_default=True,
              help="Only groups whose members come from at least this many documents.")
@click.option("--suggest", is_flag=True,
              help="Propose groups by text similarity (TF-IDF) instead; proposals are not facts until curated in data/recurrence.ttl.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.3, show_default=True,
              help="With --suggest: the cosine similarity at which two items are linked.")
@store_options
@format_option("table", "json", "csv")
def recurrence(min_documents, suggest, threshold, data_dir, engine, endpoint, fmt):
    """Lessons that recur: recommendations and findings of different documents grouped by what they
    ask or say, widest span of years first, with any recorded response to any member.

    Groups are curated data (data/recurrence.ttl), each member with its passage; --suggest only
    proposes candidates by TF-IDF similarity for a curator to check.

    \b
    Examples:  cse-graph recurrence
               cse-graph recurrence --suggest --threshold 0.2
    JSON:      {"groups": [{"id", "label", "description", "members": [{"id", "label", "type", "document",
                "document_label", "year", "confidence", "evidence"}], "documents", "years", "span_years", "responses"}]}
               --suggest: {"method", "threshold", "proposals": [{"score", "members": [...]}]}
    """
    store = open_store(data_dir, engine, endpoint)
    fmt = resolve_format(fmt)
    if suggest:
        from ..explore.recurrence import suggest as _suggest

        try:
            r = _suggest(store, threshold=threshold)
        except ImportError:
            raise Failure("--suggest needs scikit-learn: pip install scikit-learn") from None
        render(fmt, r, ["proposal", "score", "year", "item", "document", "already in"],
               [[n, p["score"], m["year"], m["label"], m["document_label"], "; ".join(m["confirmed_in"])]
                for n, p in enumerate(r["proposals"], 1) for m in p["members"]], {"item": 60, "already in": 40})
        if not r["proposals"]:
            raise NegativeAnswer("no proposals at this threshold")
        return
    from ..explore.recurrence import recurrence as _recurrence

    r = _recurrence(store, min_documents=min_documents)
    rows = []
    for g in r["groups"]:
        for m in g["members"]:
            ev = m["evidence"][0] if m["evidence"] else None
            rows.append([g["label"], f"{g['years'][0]}–{g['years'][-1]}" if g["years"] else "", m["year"], m["label"],
                         f"“{ev['quote']}” ({ev['locator']})" if ev else "", len(g["responses"])])
    render(fmt, r, ["lesson", "years", "year", "member", "evidence", "responses"], rows,
           {"lesson": 40, "member": 50, "evidence": 60})
    if not r["groups"]:
        raise NegativeAnswer("no recurrence groups match")


@click.command()
@click.option("--limit", type=click.IntRange(0, None), default=0, help="Most items to list (0: all).")
@store_options
@format_option("table", "json", "csv")
def breaks(limit, data_dir, engine, endpoint, fmt):
    """Where knowledge stopped turning into action: articulation points of the influence graph that
    separate reports from the actions they led to, and documents (and findings judging something
    inadequate or mixed) with no downstream action — each with what lies on either side.

    \b
    Example:  cse-graph breaks --format json
    JSON:     {"definition", "items": [{"kind", "id", "label", "type", "date", "upstream", "downstream"}]}
    """
    from ..explore.breaks import breaks as _breaks

    store = open_store(data_dir, engine, endpoint)
    r = _breaks(store, limit=limit or None)

    def names(xs):
        return "; ".join(x["label"] for x in xs)

    render(resolve_format(fmt), r, ["kind", "date", "item", "upstream", "downstream"],
           [[x["kind"], x["date"] or "undated", x["label"], names(x["upstream"]), names(x["downstream"])] for x in r["items"]],
           {"item": 50, "upstream": 50, "downstream": 50})
    if not r["items"]:
        raise NegativeAnswer("no breaks found")


def emit_overdue(store, r: dict, months: int, fmt: str) -> None:
    """``gaps --overdue MONTHS``: the stock-take with ``"overdue"`` added (JSON); table and csv list the overdue."""
    from ..explore.overdue import overdue

    items = overdue(store, months)
    out = {**r, "overdue": items}
    if fmt == "json":
        emit_json(out)
        return
    render(fmt, out, ["document date", "recommendation", "made in", "lag (months)", "measured to", "first response"],
           [[_d(x["date"]), x["label"], x["made_in_label"], x["lag_months"], x["measured_to"],
             x["first_response"]["label"] if x["first_response"] else ""] for x in items],
           {"recommendation": 60, "made in": 40})
    if fmt == "table":
        click.echo(f"\n{len(items)} recommendation(s) with no recorded response within {months} months of their document.")


for _cmd in (known, recurrence, breaks):
    cli.add_command(_cmd)
