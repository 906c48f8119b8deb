"""Entities and their links: search, show, lineage, path."""

from __future__ import annotations

import click

from ..schemes import confidence_levels
from ..text import plural
from .app import cli
from .errors import NegativeAnswer
from .options import LazyChoice, open_store, resolve_entity, store_options
from .output import all_quotes, first_quote, format_option, render, resolve_format, short_date, wording


@cli.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Most results to show.")
@store_options
@format_option("table", "json", "csv")
def search(text, limit, data_dir, engine, endpoint, fmt):
    """Find entities whose name, other names, title or description match TEXT.

    Matching ignores case and punctuation and tolerates typos. Score 1.0 is an exact name.

    \b
    Example:  cse-graph search "heal"
    JSON:     [{"id", "label", "type", "score"}]
    """
    from ..explore.search import search as _search
    from ..vocab import compact

    store = open_store(data_dir, engine, endpoint)
    hits = _search(store, text, limit=limit)
    render(resolve_format(fmt), hits, ["id", "label", "type", "score"],
           [[compact(h["id"]), h["label"], h["type"], h["score"]] for h in hits], {"label": 70})
    if not hits:
        raise NegativeAnswer(f"nothing matches {text!r}")


SHOW_HEADERS = ["section", "relation", "value", "confidence", "date", "evidence"]


def show_rows(r: dict, fmt: str) -> list[list]:
    """One row per statement about the entity: its dates, facts, influences, posts and passages."""
    rows = []
    for k, d in r["dates"].items():
        rows.append(["date", k, short_date(d) if fmt == "table" else wording(d), "", d["earliest"] + " … " + d["latest"], ""])
    for f in r["facts"]:
        rel = f["property_label"] if f["direction"] == "out" else f"← {f['property_label']}"
        rows.append(["fact", rel, f["value_label"] or f["value"], "", "", ""])
    for i in r["influences"]:
        rel = f"{i['relation']} →" if i["role"] == "cause" else f"← {i['relation']} by"
        ev = first_quote(i["evidence"]) if fmt == "table" else all_quotes(i["evidence"])
        rows.append(["influence", rel, i["other"]["label"], i["confidence"], "", ev])
    for m in r["memberships"]:
        span = f"{short_date(m['began']) if m['began'] else '?'} – {short_date(m['ended']) if m['ended'] else ''}"
        rows.append(["post", m["post"]["label"], m["person"]["label"], "", span, m["note"] or ""])
    for ev in r["evidence"]:
        rows.append(["evidence", ev["locator"] or "", ev["document_label"], "", "", f"“{ev['quote']}”"])
    return rows


@cli.command()
@click.argument("entity")
@store_options
@format_option("text", "table", "json", "csv", default_tty="text")
def show(entity, data_dir, engine, endpoint, fmt):
    """Every fact about ENTITY, with the evidence for each.

    ENTITY is an IRI, a prefixed name (op:clover) or a label ("Operation Clover"; case,
    punctuation and small typos are forgiven). Lists its facts, what influenced it and what
    it influenced (with quotes), posts held, and the passages that introduce it. --format
    text (the default on a terminal) reads as a page; table and csv give one row per statement.
    """
    from ..explore.show import show as _show
    from ..vocab import compact

    store = open_store(data_dir, engine, endpoint)
    iri = resolve_entity(store, entity)
    r = _show(store, iri)
    fmt = resolve_format(fmt, "text")
    if fmt != "text":
        if fmt == "table":
            click.echo(f"{r['label']}  ({compact(r['id'])}, {r['type']})")
        render(fmt, r, SHOW_HEADERS, show_rows(r, fmt))
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
@click.option("--min-confidence", type=LazyChoice(confidence_levels),
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
      cse-graph lineage "Jay report"                 # what the Jay report led to
      cse-graph lineage op:clover --direction up     # what prompted Operation Clover
    JSON: {"root", "direction", "depth", "min_confidence", "nodes": [{"id","label","type","date"}],
           "edges": [{"source","target","relation","confidence","lag_months","evidence":[…]}]}
    """
    from ..explore.lineage import lineage as _lineage
    from ..explore.lineage import narrate
    from ..vocab import compact

    store = open_store(data_dir, engine, endpoint)
    iri = resolve_entity(store, entity)
    r = _lineage(store, iri, direction=direction, depth=depth, min_confidence=min_confidence)
    fmt = resolve_format(fmt, "table")
    if fmt == "text":
        click.echo(narrate(r))
    else:
        labels = {n["id"]: n for n in r["nodes"]}
        headers = ["hops", "date"] + (["date as worded"] if fmt == "csv" else []) + [
            "source", "relation", "target", "confidence", "lag (months)", "evidence"]
        rows = []
        for e in r["edges"]:
            d = labels[e["target"]]["date"]
            rows.append([e.get("hops", "")] + [short_date(d)] + ([wording(d)] if fmt == "csv" else []) + [
                labels[e["source"]]["label"], e["relation"], labels[e["target"]]["label"], e["confidence"],
                e["lag_months"], first_quote(e["evidence"]) if fmt != "csv" else all_quotes(e["evidence"])])
        render(fmt, r, headers, rows, {"evidence": 70, "source": 40, "target": 40})
    if not r["edges"]:
        raise NegativeAnswer(f"no recorded {direction}stream links from {r['root']['label']} ({compact(iri)})")


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--k", "k", type=click.IntRange(1, 50), default=3, show_default=True, help="How many paths.")
@store_options
@format_option("text", "table", "json", "csv", default_tty="text")
def path(a, b, k, data_dir, engine, endpoint, fmt):
    """The K shortest evidence-backed paths between entities A and B.

    Steps whose own passage states them are preferred to links stated only by an entity's
    description. Each step shows its relation, direction and first quote; table and csv give
    one row per step.
    """
    from ..explore.path import path as _path

    store = open_store(data_dir, engine, endpoint)
    ia, ib = resolve_entity(store, a), resolve_entity(store, b)
    if ia == ib:
        raise click.UsageError(f"A and B are the same entity ({a!r}, {b!r}): name two different ones")
    r = _path(store, ia, ib, k=k)
    fmt = resolve_format(fmt, "text")
    if fmt == "text":
        for n, p in enumerate(r["paths"], 1):
            click.echo(f"Path {n} ({plural(p['length'], 'step')})")
            for s in p["steps"]:
                arrow = f"—{s['relation']}→" if s["forward"] else f"←{s['relation']}—"
                click.echo(f"  {s['from']['label']} {arrow} {s['to']['label']}  [{s['confidence']}]")
                if s["evidence"]:
                    ev = s["evidence"][0]
                    click.echo(f"      “{ev['quote']}” — {ev['document_label']}, {ev['locator']}")
    else:
        rows = [[n, m, s["from"]["label"], s["relation"] if s["forward"] else f"← {s['relation']}", s["to"]["label"],
                 s["confidence"], first_quote(s["evidence"]) if fmt == "table" else all_quotes(s["evidence"])]
                for n, p in enumerate(r["paths"], 1) for m, s in enumerate(p["steps"], 1)]
        render(fmt, r, ["path", "step", "from", "relation", "to", "confidence", "evidence"], rows)
    if not r["paths"]:
        raise NegativeAnswer(f"no path between {r['source']['label']} and {r['target']['label']}")
