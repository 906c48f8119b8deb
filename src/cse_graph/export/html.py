"""Interactive HTML graphs that work offline: one self-contained file per view.

pyvis is the graph layer (nodes, edges and their vis-network options are built on a pyvis
``Network``); the page is our own template (``templates/graph.html``) into which vis-network's
JavaScript and CSS, shipped inside the pyvis package, are inlined, so the file makes no network
request at all and opens from ``file://``. The timeline view inlines vis-timeline 8.5.4 instead
(``vendor/vis-timeline/``, checked against a pinned hash). Layouts are computed in Python
(deterministic for the same data) and physics is off, so pages are interactive at once.

Views: ``overview`` (every entity except the cells of the statistics tables; opens on the
documents and what they set in motion, hubs' own links bundled), ``lineage`` (one entity's
chain), ``missed`` (missed opportunities with what was ignored, who missed it and who judged it)
— all three on a true time axis (``time_rows``: x from the date, empty stretches as marked
breaks, rows packed so labels never overlap; the page draws the ticks) — and ``timeline``
(vis-timeline lanes per district).

All labels, quotes and descriptions travel as JSON (Jinja's ``tojson`` escapes ``<``, ``>``,
``&`` and quotes) and the page writes them with ``textContent`` only (vis-timeline items are DOM
elements built that way; the SVG export escapes them): a hostile label cannot run script. A
Content-Security-Policy forbids loading anything from anywhere.
"""

from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path

from ..explore.description import describe
from ..explore.evidence import confidence_ranks, evidence_of
from ..explore.lineage import sentence
from ..explore.sparql import values
from ..graph import Projection, projection
from ..store import Store
from ..vocab import FAMILY, ID, LINEAGE_RELATIONS, compact
from .files import atomic_write, temp_dir
from .layout import (  # noqa: F401
    BREAK,
    FIT_H,
    FIT_W,
    GAP_YEARS,
    LABEL_WIDTH,
    LANES,
    ROW_H,
    WRAP,
    View,
    label_width,
    pack_lanes,
    time_knots,
    time_rows,
    wrap_label,
    x_of_time,
    year_fraction,
)

VIEWS = ("overview", "lineage", "missed", "timeline")
TEMPLATES = Path(__file__).resolve().parent / "templates"

FAMILY_STYLE = {  # family: (colour, vis shape, legend label); every colour >= 3:1 on white (tests/test_browser.py)
    "document": ("#4e79a7", "square", "Documents"),
    "operation": ("#e15759", "triangle", "Operations"),
    "action": ("#59a14f", "dot", "Actions"),
    "event": ("#d0610a", "diamond", "Events"),
    "recommendation": ("#2a9d8f", "triangleDown", "Recommendations"),
    "missed": ("#b91c1c", "star", "Missed opportunities"),
    "unknown": ("#4b5563", "star", "Outcome unknown"),
    "recurrence": ("#be185d", "hexagon", "Recurring lessons"),
    "finding": ("#9c755f", "hexagon", "Findings"),
    "ambiguity": ("#7a7a7a", "dot", "Ambiguities"),
    "agency": ("#8e6bb8", "dot", "Agencies"),
    "person": ("#a16207", "dot", "People"),
    "post": ("#8a7a2e", "dot", "Posts"),
    "place": ("#79706e", "square", "Places"),
    "statistics": ("#0e7c86", "square", "Statistics"),
    "concept": ("#767676", "dot", "Concepts"),
    "other": ("#767676", "dot", "Other"),
    "group": ("#6b7a90", "dot", "Entities"),                 # a group of mixed kinds (big group pages)
    "page": ("#eef1f5", "box", "Links to other pages"),       # where a link leaves a page of a big view
}
RELATION_COLOUR = {"prompted": "#2f3b52", "informed": "#6b7a90", "commissioned": "#8e6bb8",
                   "recommended": "#2a9d8f", "ignored in": "#b91c1c", "missed by": "#b91c1c", "judged by": "#9c755f"}

NETWORK_OPTIONS = {
    "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
              "borderWidth": 1, "size": 12},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}}, "color": {"inherit": False},
              "selectionWidth": 2.5, "hoverWidth": 1.5, "width": 1},
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "multiselect": False,
                    "keyboard": {"enabled": True, "bindToWindow": False}},
    "layout": {"improvedLayout": False},
}


# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------

def _year_fraction(d: dict | None) -> float | None:
    if not d:
        return None
    y, m, day = (int(x) for x in d["earliest"].split("-"))
    return y + (m - 1) / 12 + (day - 1) / 365


# Overdue expectations (issue 13): a recommendation that `gaps --overdue OVERDUE_MONTHS` lists gets a
# ghost link (dashed, hollow, computed: never a cited link, never on a path) to each body it is addressed to
OVERDUE_MONTHS = 12
OVERDUE_RULE = "queries/analyses/overdue-recommendations.rq"


def _overdue_ghosts(store: Store, nodes: dict, months: int = OVERDUE_MONTHS) -> tuple[dict[str, dict], list[dict]]:
    """({recommendation: what overdue() says of it}, [ghost links]) for the recommendations among
    ``nodes``. The rule is explore.overdue's (its query file), reused, not re-implemented here."""
    from ..explore.overdue import overdue

    late = {x["id"]: x for x in overdue(store, months) if x["id"] in nodes}
    if not late:
        return {}, []
    info = {r: {"months": months, "lag_months": x["lag_months"], "measured_to": x["measured_to"],
                "made_in_label": x["made_in_label"], "rule": OVERDUE_RULE,
                "first_response": (x["first_response"] or {}).get("label")} for r, x in late.items()}
    rows = store.select(f"SELECT ?r ?a WHERE {{ VALUES ?r {{ {values(late)} }} ?r cse:addressedTo ?a }}")
    ghosts = sorted(({"source": str(r["r"]), "target": str(r["a"]), **info[str(r["r"])]} for r in rows),
                    key=lambda g: (g["source"], g["target"]))
    return info, ghosts


OPEN_FAMILIES = ("document", "operation", "action", "event", "missed", "recommendation")   # what the overview opens on
HUB_DEGREE = 25       # a node with more links than this has its non-lineage links bundled until it is expanded


def overview(store: Store, proj: Projection, limit: int | None = None) -> View:
    """Every entity but the statistics cells. The page opens on the documents and what they set in
    motion (the other kinds are a tick away); a hub's own links (e.g. everything SYP 'is concerned
    by') are bundled until the reader expands it, so it neither draws a hairball nor drags the
    layout into a star."""
    nodes = {n: i for n, i in proj.nodes.items() if i["type"] != "Observation"}
    edges = [e for e in proj.edges if e["source"] in nodes and e["target"] in nodes]
    degree: dict[str, int] = {}
    for e in edges:
        degree[e["source"]] = degree.get(e["source"], 0) + 1
        degree[e["target"]] = degree.get(e["target"], 0) + 1
    hubs = {n for n, d in degree.items() if d > HUB_DEGREE}

    def hub_of(e):
        return None if e["relation"] in LINEAGE_RELATIONS else \
            next((x for x in sorted((e["source"], e["target"]), key=lambda x: -degree[x]) if x in hubs), None)

    edges = [{**e, "hub": hub_of(e)} if hub_of(e) else e for e in edges]   # copies: the projection is shared
    pos, axis = _overview_layout(nodes, degree) if _fits(nodes, limit) else ({}, {})   # big views: page by page
    view = View("overview", "cse-graph — overview",
                f"{len(nodes)} entities and {len(edges)} cited links from the Drew review (2016) and SYP's FAQ (2016); "
                "opens on the documents and what they set in motion (tick more kinds in Filters); label size follows "
                "how connected an entity is",
                nodes, edges, pos, focus=None, scale=0.8)
    view.importance = degree
    view.axis = axis
    view.overdue, view.ghosts = _overdue_ghosts(store, nodes)
    view.hubs = {h: degree[h] for h in hubs}
    view.open_families = OPEN_FAMILIES
    return view


def _overview_layout(nodes: dict, degree: dict[str, int]) -> tuple[dict, dict]:
    """What the overview opens on (documents, operations, actions, events, missed opportunities,
    recommendations) on the time axis; every other kind in blocks below it, one block per kind,
    the most connected first, so ticking a kind on adds a tidy block, not a hairball."""
    first = {n: i for n, i in nodes.items() if FAMILY.get(i["type"], "other") in OPEN_FAMILIES}
    pos, axis = time_rows(first)
    left = min((x for x, _ in pos.values()), default=0.0)
    right = max((x for x, _ in pos.values()), default=0.0)
    y = max((y for _, y in pos.values()), default=0.0) + 3 * ROW_H
    cols = max(4, int((right - left) // (LABEL_WIDTH + 24)) + 1)
    rest = [n for n in nodes if n not in first]
    for fam in FAMILY_STYLE:
        members = sorted((n for n in rest if FAMILY.get(nodes[n]["type"], "other") == fam),
                         key=lambda n: (-degree.get(n, 0), nodes[n]["label"], n))
        for k, n in enumerate(members):
            pos[n] = (round(left + (k % cols) * (LABEL_WIDTH + 24), 1), round(y + (k // cols) * ROW_H, 1))
        if members:
            y += (math.ceil(len(members) / cols) + 1) * ROW_H
    return pos, axis


def _fits(nodes: dict, limit: int | None) -> bool:
    from .pages import MAX_NODES

    return len(nodes) <= (limit or MAX_NODES)


LINEAGE_SUBTITLE = {"both": "What set it in motion and what it set in motion", "down": "What it set in motion",
                    "up": "What set it in motion"}


def lineage_view(store: Store, proj: Projection, focus: str, depth: int, limit: int | None = None,
                 direction: str = "both") -> View:
    from ..explore.lineage import lineage

    r = lineage(store, focus, direction=direction, depth=depth)
    ids = [n["id"] for n in r["nodes"]]
    nodes = {i: proj.nodes.get(i) or _fallback(store, i) for i in ids}
    edges = [{"source": e["source"], "target": e["target"], "relation": e["relation"], "confidence": e["confidence"],
              "scope": "edge", "evidence": e["evidence"]} for e in r["edges"]]
    hops = _hops(focus, edges)
    late, ghosts = _overdue_ghosts(store, nodes)
    added = sorted({g["target"] for g in ghosts} - set(nodes))   # an addressee outside the chain joins the page
    for a in added:
        nodes[a] = {**(proj.nodes.get(a) or _fallback(store, a)), "ghost_addressee": True}
    pos, axis = time_rows(nodes, hops) if _fits(nodes, limit) else ({}, {})
    root = nodes[focus]
    view = View("lineage", f"Lineage — {root['label']}",
                f"{LINEAGE_SUBTITLE[direction]} (depth {depth}), on a time axis; "
                f"{len(nodes) - len(added)} entities, {len(edges)} cited links"
                + (f"; {len(ghosts)} overdue expectation{'s' if len(ghosts) > 1 else ''} drawn as ghost links" if ghosts else ""),
                nodes, edges, pos, focus=focus, scale=0.9)
    view.axis, view.hops = axis, hops
    view.overdue, view.ghosts = late, ghosts
    return view


def _hops(root: str, edges: list[dict]) -> dict[str, int]:
    """Steps from the root: negative upstream (what set it in motion), positive downstream."""
    out: dict[str, list[str]] = {}
    inc: dict[str, list[str]] = {}
    for e in edges:
        out.setdefault(e["source"], []).append(e["target"])
        inc.setdefault(e["target"], []).append(e["source"])
    hops = {root: 0}
    for adj, sign in ((out, 1), (inc, -1)):
        frontier, k = [root], 0
        seen = {root}
        while frontier:
            k += 1
            nxt = []
            for n in frontier:
                for m in adj.get(n, []):
                    if m not in seen:
                        seen.add(m)
                        nxt.append(m)
                        if m not in hops:
                            hops[m] = sign * k
            frontier = nxt
    return hops


# A true time axis: x is proportional to the date inside each stretch of time that holds items;
def missed_view(store: Store, proj: Projection, limit: int | None = None) -> View:
    mos = {n for n, i in proj.nodes.items() if i["type"] == "MissedOpportunity"}
    edges = [e for e in proj.edges if (e["source"] in mos or e["target"] in mos)
             and e["relation"] in ("ignored in", "missed by", "judged by")]
    ids = mos | {e["source"] for e in edges} | {e["target"] for e in edges}
    nodes = {i: proj.nodes[i] for i in ids}
    pos, axis = _missed_layout(nodes, edges, mos) if _fits(nodes, limit) else ({}, {})
    view = View("missed", "Missed opportunities",
                f"{len(mos)} documented missed opportunities on a time axis: what was ignored (above), "
                "who missed it and who judged it (below)",
                nodes, edges, pos, focus=None, scale=0.75)
    view.axis = axis
    return view


def timeline_view(store: Store, proj: Projection, limit: int | None = None) -> View:
    keep = {"document", "operation", "action", "event", "missed", "unknown", "recommendation"}
    nodes = {n: i for n, i in proj.nodes.items() if i.get("date") and FAMILY.get(i["type"], "other") in keep
             and i["type"] != "Recommendation"}
    edges = [e for e in proj.edges if e["relation"] in LINEAGE_RELATIONS and e["source"] in nodes and e["target"] in nodes]
    if not _fits(nodes, limit):     # a big corpus: pages of the network renderer (pages.py)
        pos, decor = {}, []
        first = min((i["date"]["earliest"][:4] for i in nodes.values()), default="?")
        last = max((i["date"]["earliest"][:4] for i in nodes.values()), default="?")
        return View("timeline", "Timeline", f"{len(nodes)} dated items {first}–{last} by district",
                    nodes, edges, pos, decor, focus=None, scale=0.75)
    first = min(i["date"]["earliest"][:4] for i in nodes.values()) if nodes else "?"
    last = max(i["date"]["latest"][:4] for i in nodes.values()) if nodes else "?"
    view = View("timeline", "Timeline", f"{len(nodes)} dated items {first}–{last}, one lane per district; "
                "a bar spans a year or a range (dashed border: known to the year, dotted: a range); "
                "⇄ marks an item shown in several lanes", nodes, edges, focus=None)
    view.timeline = _timeline_items(store, nodes)
    return view


def _timeline_items(store: Store, nodes: dict) -> dict:
    """vis-timeline groups (one lane per district, county-wide, elsewhere) and items: an item
    about several districts is drawn in each of their lanes."""
    labels = {r["p"]: str(r["l"]) for r in store.select("SELECT ?p ?l WHERE { ?p a cse:Place ; rdfs:label ?l }")}
    items, used = [], set()
    for n in sorted(nodes, key=lambda n: (nodes[n]["date"]["earliest"], nodes[n]["label"], n)):
        info, d = nodes[n], nodes[n]["date"]
        names = sorted({labels.get(p, "") for p in info.get("districts", [])} & set(LANES)) or [LANES[-1]]
        span = d["precision"] in ("year", "range") and d["latest"] > d["earliest"]
        for lane in names:
            used.add(lane)
            items.append({"id": f"{n}|{lane}", "entity": n, "group": LANES.index(lane), "start": d["earliest"],
                          "end": _next_day(d["latest"]) if span else None, "precision": d["precision"],
                          "when": compact_date(d), "shared": len(names) > 1})
    starts = [i["start"] for i in items]
    ends = [i["end"] or i["start"] for i in items]
    lo = f"{int(min(starts)[:4]) - 1}-07-01" if starts else "2000-01-01"
    hi = f"{int(max(ends)[:4]) + 1}-07-01" if ends else "2020-01-01"
    groups = [{"id": i, "label": lane if lane != "South Yorkshire" else "South Yorkshire (county-wide)", "order": i}
              for i, lane in enumerate(LANES) if lane in used or lane != LANES[-1]]
    return {"groups": groups, "items": items, "min": lo, "max": hi}


def _next_day(date: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()


def _fallback(store: Store, i: str) -> dict:
    d = describe(store, [i])[i]
    return {**d, "districts": [], "description": None}


def _missed_layout(nodes: dict, edges: list[dict], mos: set[str]) -> tuple[dict, dict]:
    """Missed opportunities on the time axis; what each ignored sits above it; who missed it and
    who judged it sit below, at the mean x of the opportunities they link to. Row names are drawn
    at the left edge of the view (axis["rows"])."""
    pos, axis = time_rows({m: nodes[m] for m in mos})
    top = min((y for _, y in pos.values()), default=0)
    bottom = max((y for _, y in pos.values()), default=0)
    rows = {"ignored in": top - 3 * ROW_H, "missed by": bottom + 2 * ROW_H, "judged by": None}
    anchors: dict[str, list[float]] = {}
    role: dict[str, str] = {}
    for e in edges:
        other, m = (e["source"], e["target"]) if e["relation"] == "ignored in" else (e["target"], e["source"])
        if other in mos or m not in pos:
            continue
        anchors.setdefault(other, []).append(pos[m][0])
        role.setdefault(other, e["relation"])
    placed: dict[str, list[tuple[str, float]]] = {}
    for r in ("ignored in", "missed by", "judged by"):
        members = sorted((n for n in anchors if role[n] == r), key=lambda n: (sum(anchors[n]) / len(anchors[n]), nodes[n]["label"]))
        items = [(n, sum(anchors[n]) / len(anchors[n]), label_width(wrap_label(nodes[n]["label"]))) for n in members]
        packed = pack_lanes(items)
        depth = max(packed.values(), default=0) + 1
        if r == "judged by":
            rows[r] = max(y for _, y in pos.values()) + 2 * ROW_H
        for n, x, _ in items:
            k = packed[n]
            pos[n] = (round(x, 1), round(rows[r] - k * ROW_H if r == "ignored in" else rows[r] + k * ROW_H, 1))
        placed[r] = members
        if r == "ignored in":
            rows[r] = rows[r] - (depth - 1) * ROW_H   # the name sits on the top row of its band
    axis["rows"] = [{"y": rows["ignored in"], "label": "ignored"}, {"y": top, "label": "missed opportunities"},
                    {"y": rows["missed by"], "label": "missed by"}, {"y": rows["judged by"], "label": "judged by"}]
    return pos, axis


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

def compact_date(d: dict) -> str:
    """A short date for labels: 2016-02-24, 2008-12, 2013, c.2006 (a range within a year), 2011–2012."""
    if d["precision"] == "day":
        return d["earliest"]
    if d["precision"] == "month":
        return d["earliest"][:7]
    if d["precision"] == "year":
        return d["earliest"][:4]
    a, b = d["earliest"][:4], d["latest"][:4]
    return f"c.{a}" if a == b else f"{a}–{b}"


def _short(label: str, limit: int = 42) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _edge_style(relation: str, confidence: str) -> dict:
    colour = RELATION_COLOUR.get(relation, "#b8c0cc")
    width = 2.0 if relation in LINEAGE_RELATIONS else 1.0
    dashes: bool | list = False
    if confidence in ("partly", "probably"):
        width *= 0.8
    elif confidence in ("reported", "possibly"):
        dashes = [6, 5]
    elif confidence == "inferred":
        dashes = [2, 5]
    if relation == "informed" and not dashes:
        dashes = [10, 4]
    return {"color": {"color": colour, "highlight": "#1f5fa8", "hover": "#1f5fa8"}, "width": width, "dashes": dashes}


def build_network(store: Store, view: View):
    """A pyvis Network holding the view's nodes (with their evidence) and edges."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    ids = sorted(view.nodes)
    entities = [n for n in ids if "href" not in view.nodes[n]]   # not the group and page nodes of big views
    ev = evidence_of(store, entities)
    alt: dict[str, list[str]] = {}
    for chunk in (entities[i:i + 400] for i in range(0, len(entities), 400)):
        for r in store.select(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values(chunk)} }} ?s skos:altLabel ?l }}"):
            alt.setdefault(str(r["s"]), []).append(str(r["l"]))
    place_label, county_districts = _places(store)
    curves = _curves(view) if view.axis else {}   # a grid of group nodes reads better with straight links
    for n in ids:
        info = view.nodes[n]
        family = info.get("family") or FAMILY.get(info["type"], "other")
        colour, shape, _ = FAMILY_STYLE.get(family, FAMILY_STYLE["other"])
        root = view.name == "lineage" and n == view.focus
        x, y = view.positions.get(n, (0.0, 0.0))
        d = info.get("date")
        dashes = {"day": False, "month": False, "year": [4, 3], "range": [1, 3]}.get((d or {}).get("precision"), False)
        places = list(info.get("districts") or [])
        applies = sorted(set(places) | {c for p in places for c in county_districts.get(p, [])})
        label = wrap_label(info["label"]) if view.axis else _short(info["label"])
        if view.name == "timeline" and d and not view.timeline:
            label = _short(f"{compact_date(d)} · {info['label']}", 48)
        extra = {}
        if n in view.hops:
            extra["hop"] = view.hops[n]
        if view.importance:   # label size by links (log): the best-connected stay legible when zoomed out
            extra["value"] = round(math.log2(1 + view.importance.get(n, 0)), 2)
        if n in view.overdue:
            extra["overdue"] = view.overdue[n]
        if info.get("ghost_addressee"):
            extra["ghostAddressee"] = True
        if n in view.hubs:
            extra["hubLinks"] = sum(1 for e in view.edges if e.get("hub") == n)
            label = f"{label} (+{extra['hubLinks']} links)"
        if "href" in info:   # a group, or a page of a big view: sized by what it stands for, and a link
            label = _short(info["label"], 60)
            extra = {"href": _safe_href(info["href"]), "count": info["count"], "members": info.get("members", []),
                     "kinds": info.get("kinds", {})}
        net.add_node(
            n, label=label, shape=shape, color={"background": colour, "border": "#33333366",
                                                "highlight": {"background": colour, "border": "#1f5fa8"}},
            x=x, y=y, physics=False,
            size=20 if root else (12 + 5 * math.log2(info["count"]) if "count" in info and family != "page" else 12),
            borderWidth=3 if root else 1, shapeProperties={"borderDashes": dashes},
            fullLabel=info["label"], type=info["type"], family=family, idLabel=compact(n), date=d,
            districts=applies, districtLabels=sorted(place_label.get(p, compact(p)) for p in places),
            description=info.get("description"), evidence=ev.get(n, []), altLabels=sorted(alt.get(n, [])),
            confidence=info.get("confidence"), **extra,
        )
    for dnode in view.decor:
        net.add_node(dnode["id"], label=dnode["label"], shape="text", x=dnode["x"], y=dnode["y"], physics=False,
                     font={"size": 22, "color": "#8a94a6"}, decor=True, family="decor", fixed=True, chosen=False)
    labels = {n: i["label"] for n, i in view.nodes.items()}
    for i, e in enumerate(sorted(view.edges, key=lambda e: (e["source"], e["relation"], e["target"]))):
        bundle = {k: e[k] for k in ("count", "breakdown", "via") if k in e}
        if e["relation"] in LINEAGE_RELATIONS and e["source"] in labels and e["target"] in labels:
            bundle["sentence"] = sentence(e, labels)
        bundle["smooth"] = curves.get((e["source"], e["target"], e["relation"]), False)
        if e.get("count", 1) > 1:
            bundle["label"] = f"{e['relation']} ×{e['count']}"
            bundle["font"] = {"size": 12, "color": "#5b6575", "strokeWidth": 3, "strokeColor": "#ffffff"}
        style = _edge_style(e["relation"], e["confidence"])
        if e.get("count", 1) > 1:
            style["width"] = style["width"] * (1 + math.log2(e["count"]) / 2)
        if e.get("hub"):
            bundle["hub"] = e["hub"]
        net.add_edge(e["source"], e["target"], id=f"e{i}", relation=e["relation"], confidence=e["confidence"],
                     scope=e.get("scope", "edge"), evidence=e["evidence"], **bundle, **style)
    for i, g in enumerate(view.ghosts):   # computed, not cited: dashed and hollow, never on a path
        if g["source"] in view.nodes and g["target"] in view.nodes:
            net.add_edge(g["source"], g["target"], id=f"g{i}", ghost=True, relation="no recorded response",
                         confidence="computed", scope="computed", evidence=[], overdue=view.overdue[g["source"]],
                         ghostLabel=f"no recorded response after {g['months']} months", ghostColour=GHOST_COLOUR, smooth=False,
                         color={"color": GHOST_COLOUR, "highlight": GHOST_COLOUR, "hover": GHOST_COLOUR}, width=5,
                         dashes=GHOST_DASHES, arrows={"to": {"enabled": True, "type": "circle", "scaleFactor": 0.5}})
    return net


GHOST_COLOUR = "#a21caf"
GHOST_DASHES = [10, 7]   # the page hollows each dash with a white core on the same pattern and draws the label (app.js)


def _curves(view: View) -> dict[tuple, dict | bool]:
    """Edge routing: links leaving (or reaching) one node fan out on curves of distinct roundness,
    and two links between the same pair bend opposite ways, so each can be told apart and clicked."""
    out: dict[tuple, dict | bool] = {}
    by_pair: dict[frozenset, list[tuple]] = {}
    for e in view.edges:
        by_pair.setdefault(frozenset((e["source"], e["target"])), []).append((e["source"], e["target"], e["relation"]))
    fan: dict[str, list[tuple]] = {}
    for e in sorted(view.edges, key=lambda e: (e["source"], view.positions.get(e["target"], (0, 0))[1], e["target"], e["relation"])):
        fan.setdefault(e["source"], []).append((e["source"], e["target"], e["relation"]))
    for members in fan.values():
        for k, key in enumerate(members):
            if len(members) == 1 and len(by_pair[frozenset(key[:2])]) == 1:
                out[key] = False
                continue
            j = sorted(by_pair[frozenset(key[:2])]).index(key)
            roundness = round(0.08 + 0.07 * (k % 4) + 0.18 * j, 2)
            out[key] = {"enabled": True, "type": "curvedCCW" if j % 2 else "curvedCW", "roundness": min(roundness, 0.7)}
    return out


def _places(store: Store) -> tuple[dict[str, str], dict[str, list[str]]]:
    labels = {str(r["p"]): str(r["l"]) for r in store.select("SELECT ?p ?l WHERE { ?p a cse:Place ; rdfs:label ?l }")}
    within: dict[str, list[str]] = {}
    for r in store.select("SELECT ?d ?c WHERE { ?d a cse:District ; dct:isPartOf ?c }"):
        within.setdefault(str(r["c"]), []).append(str(r["d"]))
    return labels, within


def _vendored(name: str) -> str:
    import pyvis

    text = (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")
    if name.endswith(".css"):
        # 205 of its 220 KB are icons (inline PNGs) for the colour picker, navigation buttons and
        # edit toolbar, none of which these pages switch on: every page of a big view saves them
        text = _ICONS.sub("none", text)
    return text


_ICONS = re.compile(r'url\("?data:image/[^)]*\)')


def render(store: Store, view: View) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    net = build_network(store, view)
    nodes, edges, *_ = net.get_network_data()
    ranks = confidence_ranks(store)
    legend = []
    counts: dict[str, int] = {}
    for n in view.nodes.values():
        f = n.get("family") or FAMILY.get(n["type"], "other")
        counts[f] = counts.get(f, 0) + n.get("count", 1)
    for fam, (colour, shape, label) in FAMILY_STYLE.items():
        if counts.get(fam):
            legend.append({"family": fam, "label": label, "color": colour, "shape": shape, "count": counts[fam]})
    place_label, _ = _places(store)
    used_places = sorted({p for n in view.nodes.values() for p in (n.get("districts") or [])}
                         | {p for p in place_label if p.startswith(ID + "place/") and p in _district_ids(store)},
                         key=lambda p: place_label.get(p, p))
    years = sorted(n["date"]["earliest"][:4] for n in view.nodes.values() if n.get("date"))
    data = {
        "view": view.name, "title": view.title, "legend": legend,
        "entityCount": sum(n.get("count", 1) for n in view.nodes.values() if n.get("family") != "page"),
        "crumbs": [{"label": c["label"], "href": _safe_href(c["href"])} for c in view.crumbs],
        "index": [[label, typ, _safe_href(href), i] for label, typ, href, i in view.index] if view.index else None,
        "districts": [{"id": p, "label": place_label.get(p, compact(p))} for p in used_places],
        "years": [years[0], years[-1]] if years else [None, None],
        "confidences": [{"name": k, "rank": v} for k, v in sorted(ranks.items(), key=lambda kv: -kv[1])],
        "initial": {"focus": view.focus, "scale": view.scale, "families": list(view.open_families)},
    }
    if view.axis:
        data["axis"] = view.axis
    if not view.timeline:
        data["recurrence"] = _recurrence_groups(store, view, view.recurrence)
    if view.timeline:
        data["timeline"] = view.timeline
        lib_js, lib_css = _vis_timeline(), ""
    else:
        lib_js, lib_css = _vendored("vis-network.min.js"), _vendored("vis-network.css")
    options = NETWORK_OPTIONS
    if view.importance:   # labels culled by importance: size follows links, the smallest drop out when zoomed out
        options = {**NETWORK_OPTIONS, "nodes": {**NETWORK_OPTIONS["nodes"], "scaling": {
            "min": 8, "max": 30, "label": {"enabled": True, "min": 13, "max": 56, "maxVisible": 18, "drawThreshold": 8}}}}
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    return env.get_template("graph.html").render(
        page={"title": view.title, "subtitle": view.subtitle}, data=data, nodes=nodes, edges=edges,
        options=options, lib_js=lib_js, vis_css=lib_css,
        app_js=(TEMPLATES / "app.js").read_text(encoding="utf-8"), app_css=(TEMPLATES / "app.css").read_text(encoding="utf-8"),
    )


VIS_TIMELINE = Path(__file__).resolve().parent / "vendor" / "vis-timeline" / "vis-timeline-graph2d.min.js"
VIS_TIMELINE_SHA256 = "22045807e537d38d01a537e97563ad8b0269f8b827bb5da23e060f9c3f8ec13b"   # npm vis-timeline@8.5.4


def _vis_timeline() -> str:
    """vis-timeline's standalone UMD build (bundles its CSS), checked against the pinned hash;
    it keeps its own licence header (Apache-2.0 / MIT, see vendor/vis-timeline/)."""
    import hashlib

    raw = VIS_TIMELINE.read_bytes()
    if hashlib.sha256(raw).hexdigest() != VIS_TIMELINE_SHA256:
        raise RuntimeError(f"{VIS_TIMELINE} is not the pinned vis-timeline 8.5.4 build (see its README.md)")
    # inlined in a <script>: a literal "</script" inside it would end the element early
    return raw.decode("utf-8").replace("</script", "<\\/script")


def _recurrence_groups(store: Store, view: View, groups: list[dict] | None = None) -> list[dict]:
    """The confirmed recurrence groups (explore.recurrence: curated in data/recurrence.ttl, every
    member with its passage) that have a member, or the group itself, drawn on this page.
    ``groups``: recurrence()'s groups when the caller renders many pages of one store."""
    from ..explore.recurrence import recurrence

    drawn = set(view.nodes)
    out = []
    for g in groups if groups is not None else recurrence(store)["groups"]:
        if g["id"] not in drawn and not any(m["id"] in drawn for m in g["members"]):
            continue
        out.append({"id": g["id"], "label": g["label"], "years": g["years"], "documents": g["documents"],
                    "responses": len(g["responses"]),
                    "members": [{"id": m["id"], "label": m["label"], "type": m["type"], "document_label": m["document_label"],
                                 "year": m["year"], "evidence": [{"quote": e["quote"], "document_label": e["document_label"],
                                                                  "locator": e["locator"]} for e in m["evidence"]]}
                                for m in g["members"]]})
    return out


def _district_ids(store: Store) -> set[str]:
    return {str(r["d"]) for r in store.select("SELECT ?d WHERE { ?d a cse:District }")}


def _safe_href(href: str) -> str:
    """Links between the pages of a big view are relative paths we made; refuse anything else
    (a javascript: or http: URL can never reach a page, whatever the data says)."""
    if not re.fullmatch(r"(\.\./)?[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*\.html", href):
        raise ValueError(f"refusing link {href!r}")
    return href


def make_view(store: Store, name: str, focus: str | None = None, depth: int = 3, proj: Projection | None = None,
              limit: int | None = None, direction: str = "both") -> View:
    proj = proj or projection(store)
    if name == "overview":
        return overview(store, proj, limit)
    if name == "lineage":
        if not focus:
            raise ValueError("the lineage view needs --focus ENTITY")
        from ..explore.resolution import resolve

        # an IRI, prefixed name or label; an unknown one raises NotFound with suggestions
        # instead of drawing a lone node
        return lineage_view(store, proj, resolve(store, focus), depth, limit, direction=direction)
    if name == "missed":
        return missed_view(store, proj, limit)
    if name == "timeline":
        return timeline_view(store, proj, limit)
    raise ValueError(f"unknown view {name!r}: one of {', '.join(VIEWS)}")


def write_html(store: Store, view: View, out: Path, limit: int | None = None) -> list[Path]:
    """Write the view as one page, or, above ``limit`` entities, as a first page at ``out`` and
    linked pages in the folder beside it (``<name>-pages/``, see pages.py). Returns every file.

    Everything is rendered before anything is written, pages go to a temporary folder that
    replaces the old one in one rename, and the first page is written last and atomically:
    a failed export leaves the previous files intact.
    """
    from .pages import MAX_NODES, paged_views

    limit = limit or MAX_NODES
    folder = out.with_name(out.stem + "-pages")
    if len(view.nodes) <= limit:
        html = render(store, view)
        with atomic_write(out) as fh:
            fh.write(html)
        if folder.is_dir():     # pages of an earlier, bigger export of this view
            shutil.rmtree(folder, ignore_errors=True)
        return [out]
    place_label, _ = _places(store)
    views = paged_views(view, out.name, limit, place_label, FAMILY_STYLE)
    from ..explore.recurrence import recurrence

    groups = recurrence(store)["groups"]   # once for every page
    for _, v in views:
        v.recurrence = groups
    rendered = [(path, render(store, v)) for path, v in views]
    out.parent.mkdir(exist_ok=True)
    tmp = temp_dir(out.parent, f".{folder.name}.")
    try:
        for path, html in rendered[1:]:
            target = tmp / Path(path).relative_to(folder.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")   # inside tmp: ordinary open() permissions
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.with_name(f".{folder.name}.old-{os.getpid()}")
    moved = folder.exists()
    if moved:
        os.rename(folder, old)
    try:
        os.rename(tmp, folder)
        with atomic_write(out) as fh:
            fh.write(rendered[0][1])
    except BaseException:                       # put the previous pages back
        shutil.rmtree(tmp if tmp.exists() else folder, ignore_errors=True)
        if moved:
            os.rename(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return [out] + [folder / Path(path).relative_to(folder.name) for path, _ in rendered[1:]]
