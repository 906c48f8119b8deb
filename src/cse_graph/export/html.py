"""Interactive HTML graphs that work offline: one self-contained file per view.

pyvis is the graph layer (nodes, edges and their vis-network options are built on a pyvis
``Network``); the page is our own template (``templates/graph.html``) into which
vis-network's JavaScript and CSS, shipped inside the pyvis package, are inlined, so the file
makes no network request at all and opens from ``file://``.  Layouts are computed in Python
(deterministic for the same data) and physics is off, so pages are interactive at once.

Views: ``overview`` (every entity except the cells of the statistics tables), ``lineage``
(one entity's chain, laid out by time), ``missed`` (missed opportunities with what was
ignored, who missed it and who judged it), ``timeline`` (dated items by district lane).

All labels, quotes and descriptions travel as JSON (Jinja's ``tojson`` escapes ``<``, ``>``,
``&`` and quotes) and the page writes them with ``textContent`` only: a hostile label cannot
run script.  A Content-Security-Policy forbids loading anything from anywhere.
"""

from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path

from ..explore.common import confidence_ranks, describe, evidence_of, values
from ..graph import Projection, projection
from ..store import Store
from ..vocab import FAMILY, ID, compact
from .files import atomic_write, temp_dir
from .layout import COLUMN_GAP, LANES, PER_YEAR, ROW_GAP, View, _columns, _time_layout  # noqa: F401

VIEWS = ("overview", "lineage", "missed", "timeline")
TEMPLATES = Path(__file__).resolve().parent / "templates"

FAMILY_STYLE = {  # family: (colour, vis shape, legend label)
    "document": ("#4e79a7", "square", "Documents"),
    "operation": ("#e15759", "triangle", "Operations"),
    "action": ("#59a14f", "dot", "Actions"),
    "event": ("#f28e2b", "diamond", "Events"),
    "recommendation": ("#2a9d8f", "triangleDown", "Recommendations"),
    "missed": ("#b91c1c", "star", "Missed opportunities"),
    "unknown": ("#6b7280", "star", "Outcome unknown"),
    "finding": ("#9c755f", "hexagon", "Findings"),
    "ambiguity": ("#a5a5a5", "dot", "Ambiguities"),
    "agency": ("#8e6bb8", "dot", "Agencies"),
    "person": ("#d4a017", "dot", "People"),
    "post": ("#e6c86e", "dot", "Posts"),
    "place": ("#79706e", "square", "Places"),
    "statistics": ("#17becf", "square", "Statistics"),
    "concept": ("#cccccc", "dot", "Concepts"),
    "other": ("#cccccc", "dot", "Other"),
    "group": ("#9aa5b5", "dot", "Entities"),                 # a group of mixed kinds (big group pages)
    "page": ("#eef1f5", "box", "Links to other pages"),       # where a link leaves a page of a big view
}
RELATION_COLOUR = {"prompted": "#2f3b52", "informed": "#6b7a90", "commissioned": "#8e6bb8",
                   "recommended": "#2a9d8f", "ignored in": "#b91c1c", "missed by": "#b91c1c", "judged by": "#9c755f"}
LINEAGE_RELATIONS = ("prompted", "informed", "commissioned", "recommended", "ignored in")
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


def overview(store: Store, proj: Projection, limit: int | None = None) -> View:
    nodes = {n: i for n, i in proj.nodes.items() if i["type"] != "Observation"}
    edges = [e for e in proj.edges if e["source"] in nodes and e["target"] in nodes]
    pos = _spring(nodes, edges) if _fits(nodes, limit) else {}   # big views are laid out page by page
    degree: dict[str, int] = {}
    for e in edges:
        degree[e["source"]] = degree.get(e["source"], 0) + 1
        degree[e["target"]] = degree.get(e["target"], 0) + 1
    hub = max(degree, key=lambda n: (degree[n], n)) if degree else None
    return View("overview", "cse-graph — overview",
                f"{len(nodes)} entities and {len(edges)} cited links from the Drew review (2016) and SYP's FAQ (2016)",
                nodes, edges, pos, focus=hub, scale=0.8)


def _fits(nodes: dict, limit: int | None) -> bool:
    from .pages import MAX_NODES

    return len(nodes) <= (limit or MAX_NODES)


def _spring(nodes: dict, edges: list[dict]) -> dict[str, tuple[float, float]]:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_edges_from(sorted((e["source"], e["target"]) for e in edges))
    n = max(len(g), 1)
    raw = nx.spring_layout(g, seed=20160318, iterations=120, k=2.2 / math.sqrt(n))
    spread = 330 * math.sqrt(n)
    return {k: (round(float(v[0]) * spread, 1), round(float(v[1]) * spread, 1)) for k, v in raw.items()}


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
    pos, decor = _time_layout(nodes, lanes=None) if _fits(nodes, limit) else ({}, [])
    root = nodes[focus]
    return View("lineage", f"Lineage — {root['label']}",
                f"{LINEAGE_SUBTITLE[direction]} (depth {depth}), by date; {len(nodes)} entities, {len(edges)} cited links",
                nodes, edges, pos, decor, focus=focus, scale=0.9)


def missed_view(store: Store, proj: Projection, limit: int | None = None) -> View:
    mos = {n for n, i in proj.nodes.items() if i["type"] == "MissedOpportunity"}
    edges = [e for e in proj.edges if (e["source"] in mos or e["target"] in mos)
             and e["relation"] in ("ignored in", "missed by", "judged by")]
    ids = mos | {e["source"] for e in edges} | {e["target"] for e in edges}
    nodes = {i: proj.nodes[i] for i in ids}
    pos, decor = _missed_layout(nodes, edges, mos) if _fits(nodes, limit) else ({}, [])
    return View("missed", "Missed opportunities",
                f"{len(mos)} documented missed opportunities: what was ignored (above), who missed it and who judged it (below)",
                nodes, edges, pos, decor, focus=_leftmost(pos, nodes), scale=0.75)


def timeline_view(store: Store, proj: Projection, limit: int | None = None) -> View:
    keep = {"document", "operation", "action", "event", "missed", "unknown", "recommendation"}
    nodes = {n: i for n, i in proj.nodes.items() if i.get("date") and FAMILY.get(i["type"], "other") in keep
             and i["type"] != "Recommendation"}
    edges = [e for e in proj.edges if e["relation"] in LINEAGE_RELATIONS and e["source"] in nodes and e["target"] in nodes]
    pos, decor = _time_layout(nodes, lanes=_lane_of(store, nodes)) if _fits(nodes, limit) else ({}, [])
    first = min(i["date"]["earliest"][:4] for i in nodes.values()) if nodes else "?"
    last = max(i["date"]["earliest"][:4] for i in nodes.values()) if nodes else "?"
    return View("timeline", "Timeline", f"{len(nodes)} dated items {first}–{last} by district; "
                "borders show date precision (solid: day or month, dashed: year, dotted: a range)",
                nodes, edges, pos, decor, focus=_leftmost(pos, nodes), scale=0.75)


def _leftmost(pos: dict, nodes: dict) -> str | None:
    """Where a time-ordered page opens: its earliest item (readers pan right through time)."""
    dated = [n for n in pos if n in nodes and nodes[n].get("date")]
    return min(dated, key=lambda n: (pos[n][0], pos[n][1])) if dated else None


def _fallback(store: Store, i: str) -> dict:
    d = describe(store, [i])[i]
    return {**d, "districts": [], "description": None}


def _lane_of(store: Store, nodes: dict) -> dict[str, int]:
    labels = {r["p"]: str(r["l"]) for r in store.select(f"SELECT ?p ?l WHERE {{ ?p a cse:Place ; rdfs:label ?l }}")}
    lane = {}
    for n, info in nodes.items():
        names = sorted({labels.get(p, "") for p in info.get("districts", [])})
        idx = [LANES.index(x) for x in names if x in LANES]
        lane[n] = min(idx) if idx else len(LANES) - 1
    return lane


def _missed_layout(nodes: dict, edges: list[dict], mos: set[str]) -> tuple[dict, list[dict]]:
    """Missed opportunities in time columns; what each ignored sits above it; who missed it and
    who judged it sit below, at the mean x of the opportunities they link to."""
    pos, decor, _ = _columns({m: nodes[m] for m in mos})
    top = min((y for _, y in pos.values()), default=0)
    bottom = max((y for _, y in pos.values()), default=0)
    rows = {"ignored in": top - 420.0, "missed by": bottom + 260.0, "judged by": bottom + 620.0}
    anchors: dict[str, list[float]] = {}
    role: dict[str, float] = {}
    for e in edges:
        other, m = (e["source"], e["target"]) if e["relation"] == "ignored in" else (e["target"], e["source"])
        if other in mos or m not in pos:
            continue
        anchors.setdefault(other, []).append(pos[m][0])
        role.setdefault(other, rows.get(e["relation"], bottom + 900.0))
    taken: dict[float, list[float]] = {}
    for n in sorted(anchors, key=lambda n: (role[n], sum(anchors[n]) / len(anchors[n]), nodes[n]["label"])):
        x = sum(anchors[n]) / len(anchors[n])
        row = role[n]
        while any(abs(x - other) < COLUMN_GAP * 0.9 for other in taken.get(row, [])):
            row += -ROW_GAP if row < 0 else ROW_GAP
        taken.setdefault(row, []).append(x)
        pos[n] = (round(x, 1), round(row, 1))
    left = min((x for x, _ in pos.values()), default=0) - 2 * COLUMN_GAP
    decor += [{"id": "decor:row:ignored", "label": "ignored", "x": left, "y": rows["ignored in"]},
              {"id": "decor:row:missed", "label": "missed opportunity", "x": left, "y": top},
              {"id": "decor:row:by", "label": "missed by", "x": left, "y": rows["missed by"]},
              {"id": "decor:row:judged", "label": "judged by", "x": left, "y": rows["judged by"]}]
    return pos, decor


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
        label = _short(info["label"])
        if view.name == "timeline" and d:
            label = _short(f"{compact_date(d)} · {info['label']}", 48)
        extra = {}
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
    for i, e in enumerate(sorted(view.edges, key=lambda e: (e["source"], e["relation"], e["target"]))):
        bundle = {k: e[k] for k in ("count", "breakdown", "via") if k in e}
        if e.get("count", 1) > 1:
            bundle["label"] = f"{e['relation']} ×{e['count']}"
            bundle["font"] = {"size": 12, "color": "#5b6575", "strokeWidth": 3, "strokeColor": "#ffffff"}
        style = _edge_style(e["relation"], e["confidence"])
        if e.get("count", 1) > 1:
            style["width"] = style["width"] * (1 + math.log2(e["count"]) / 2)
        net.add_edge(e["source"], e["target"], id=f"e{i}", relation=e["relation"], confidence=e["confidence"],
                     scope=e.get("scope", "edge"), evidence=e["evidence"], **bundle, **style)
    return net


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
        "initial": {"focus": view.focus, "scale": view.scale},
    }
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    return env.get_template("graph.html").render(
        page={"title": view.title, "subtitle": view.subtitle}, data=data, nodes=nodes, edges=edges,
        options=NETWORK_OPTIONS, vis_js=_vendored("vis-network.min.js"), vis_css=_vendored("vis-network.css"),
        app_js=(TEMPLATES / "app.js").read_text(encoding="utf-8"), app_css=(TEMPLATES / "app.css").read_text(encoding="utf-8"),
    )


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
        from ..explore.common import resolve

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
