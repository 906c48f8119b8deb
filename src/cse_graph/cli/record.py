"""What the record shows over time and place: missed, gaps, timeline."""

from __future__ import annotations

import click

from ..explore.gaps import STATUSES as GAP_STATUSES
from ..text import plural
from .app import cli
from .errors import NegativeAnswer
from .options import check_range, open_store, place_option, resolve_place, store_options
from .output import all_quotes, echo_wrapped, first_quote, format_option, render, resolve_format, short_date, wording


@cli.command()
@place_option
@store_options
@format_option("table", "json", "csv", "text")
def missed(district, since, until, exact, data_dir, engine, endpoint, fmt):
    """Documented missed opportunities: when, where, who missed it, what was ignored, who judged it.

    These are opportunities the sources themselves judge missed. For recommendations that
    simply have no recorded response, see `cse-graph gaps`. --format text tells each one as
    a cited paragraph, oldest first.
    """
    from ..explore.missed import missed as _missed

    check_range(since, until)
    store = open_store(data_dir, engine, endpoint)
    items = _missed(store, district=resolve_place(store, district), since=since, until=until, exact=exact)

    def names(xs):
        return "; ".join(x["label"] for x in xs)

    fmt = resolve_format(fmt)
    if fmt == "text":
        for i in items:
            click.echo(f"{wording(i['date'])} — {i['label']}" + (f" ({names(i['districts'])})" if i["districts"] else ""))
            parts = [f"missed by {names(i['missed_by'])}" if i["missed_by"] else "",
                     f"ignored: {names(i['ignored'])}" if i["ignored"] else "",
                     f"judged missed by {names(i['judged_by'])}" if i["judged_by"] else "",
                     f"confidence: {i['confidence']}" if i["confidence"] else ""]
            click.echo("    " + "; ".join(x for x in parts if x) + ".")
            for ev in i["evidence"]:
                click.echo(f"    “{ev['quote']}” — {ev['document_label']}, {ev['locator']}")
            click.echo("")
    else:
        csv = fmt == "csv"
        render(fmt, items, ["date"] + (["date as worded"] if csv else []) + [
            "missed opportunity", "district", "missed by", "ignored", "judged by", "confidence", "evidence"],
            [[short_date(i["date"])] + ([wording(i["date"])] if csv else []) + [
                i["label"], names(i["districts"]), names(i["missed_by"]), names(i["ignored"]), names(i["judged_by"]),
                i["confidence"], all_quotes(i["evidence"]) if csv else first_quote(i["evidence"])] for i in items],
            {"missed opportunity": 50, "ignored": 40, "evidence": 60})
    if not items:
        raise NegativeAnswer("no documented missed opportunities match")


@cli.command()
@click.option("--status", type=click.Choice(GAP_STATUSES), help="Only documents with this status.")
@click.option("--recommendations", "recs_only", is_flag=True, help="List recommendations instead of documents.")
@click.option("--overdue", "overdue_months", type=click.IntRange(0, None), metavar="MONTHS",
              help="Add \"overdue\": recommendations with no recorded response within MONTHS of their document "
                   "(table and csv then list those). Rule: queries/analyses/overdue-recommendations.rq.")
@store_options
@format_option("table", "json", "csv")
def gaps(status, recs_only, overdue_months, data_dir, engine, endpoint, fmt):
    """Stock-take: for every document, recommendations stated and modelled, recorded responses
    with their lag, and what has no recorded response at all.

    "documented as missed" means a source judges it was ignored; "outcome unknown" means the
    source says it could not establish what became of it; "no response recorded" means the graph
    holds nothing either way (the sources may simply be silent).
    """
    from ..explore.gaps import gaps as _gaps

    store = open_store(data_dir, engine, endpoint)
    r = _gaps(store)
    fmt = resolve_format(fmt)
    if overdue_months is not None:   # kept apart so the stock-take itself is unchanged
        from .analyses import emit_overdue

        return emit_overdue(store, r, overdue_months, fmt)
    if recs_only:
        items = [x for x in r["recommendations"] if not status or x["status"] == status]
        render(fmt, {"summary": r["summary"], "recommendations": items},
               ["recommendation", "made in", "status", "responses", "first response"],
               [[x["label"], x["made_in_label"], x["status"], len(x["responses"]),
                 x["responses"][0]["label"] if x["responses"] else ""] for x in items], {"recommendation": 60})
        return
    items = [x for x in r["documents"] if not status or x["status"] == status]
    out = {"summary": r["summary"], "documents": items, "recommendations": r["recommendations"]}
    csv = fmt == "csv"
    render(fmt, out, ["date"] + (["date as worded"] if csv else []) + [
        "document", "recs stated", "recs modelled", "responses", "first lag (months)", "status"],
           [[short_date(x["date"])] + ([wording(x["date"])] if csv else []) + [x["label"], x["stated_recommendations"], x["modelled_recommendations"],
             len(x["responses"]), x["first_response_lag_months"], x["status"]] for x in items], {"document": 60})
    if fmt == "table":
        s = r["summary"]
        click.echo("")
        echo_wrapped(f"{plural(s['documents'], 'document')}: " + ", ".join(f"{v} {k}" for k, v in s["documents_by_status"].items()))
        echo_wrapped(f"{plural(s['recommendations_modelled'], 'recommendation')} modelled ({s['recommendations_stated']} stated by "
                   f"{plural(s['documents_stating_a_count'], 'document')}): "
                   + ", ".join(f"{v} {k}" for k, v in s["recommendations_by_status"].items()))


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
    from ..explore.timeline import timeline as _timeline
    from ..vocab import compact

    check_range(since, until)
    store = open_store(data_dir, engine, endpoint)
    items = _timeline(store, district=resolve_place(store, district), since=since, until=until, exact=exact,
                      tenures=not no_tenures)
    fmt = resolve_format(fmt)
    csv = fmt == "csv"
    render(fmt, items, ["date"] + (["date as worded"] if csv else []) + ["precision", "event", "label", "type", "places", "id"],
           [[short_date(i["date"])] + ([wording(i["date"])] if csv else []) + [
               i["date"]["precision"], i["event"], i["label"], i["type"], ", ".join(i["districts"]), compact(i["id"])]
            for i in items], {"label": 60, "date": 30})
    if not items:
        raise NegativeAnswer("no dated items match")

