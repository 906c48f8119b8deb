"""Views too big to draw as one page become a set of linked pages.

A browser stays responsive with a few thousand nodes on a vis-network canvas (see
benchmarks/README.md for the measurements behind MAX_NODES); a national corpus has tens of
thousands. Above the limit a view is split, like a filing cabinet:

* the first page groups the entities by **place** (their district, or "No place"), one node per
  kind of entity in each place, sized by how many it stands for, with the links between groups
  counted by relation;
* a group still too big is split again by **year**, then into numbered **parts**;
* a group small enough becomes a *member page*: the entities themselves, with every link and its
  passages, laid out by date. Links to entities on other pages end at a "→ page" node that
  opens that page.

Every page is a normal self-contained offline page (html.render); group and page nodes carry a
relative link, shown in the panel and followed on double-click. The first page also carries a
search index of every entity, so a reader can find one by name and jump to the page that shows
it (``page.html#focus=<IRI>``).
"""

from __future__ import annotations

import hashlib
import math
import posixpath
import re
from dataclasses import dataclass, field

from ..schemes import confidence_ranks
from ..vocab import FAMILY
from .layout import BREAK, LABEL_WIDTH, ROW_H, View, time_rows

MAX_NODES = 2000   # entities per page; measured in benchmarks/html_size.py (see benchmarks/README.md)
GROUP = "urn:cse-graph:group:"     # ids of group and page nodes (never an entity IRI)
PAGE = "urn:cse-graph:page:"
NO_PLACE, UNDATED = "No place", "undated"


@dataclass
class Page:
    path: str                       # relative POSIX path from the export folder
    parts: list[str]                # where it sits: e.g. ["Rotherham", "2009"]
    members: list[str]              # the entities it covers
    children: dict[str, str] = field(default_factory=dict)   # key -> child page path (a group page)
    level: str | None = None        # what its groups split by: "place", "year" or "part"

    @property
    def is_group_page(self) -> bool:
        return bool(self.children)


def _slug(parts: list[str]) -> str:
    text = "-".join(parts).lower()
    base = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "page"
    return f"{base}-{hashlib.sha1('/'.join(parts).encode()).hexdigest()[:6]}"


def place_key(info: dict, place_label: dict[str, str]) -> str:
    names = sorted(place_label.get(p, p) for p in info.get("districts") or [])
    return names[0] if names else NO_PLACE


def year_key(info: dict) -> str:
    d = info.get("date")
    return d["earliest"][:4] if d else UNDATED


def _order(keys, level: str) -> list[str]:
    last = {"place": NO_PLACE, "year": UNDATED}.get(level)
    if level == "part":
        return sorted(keys, key=lambda k: int(k.split()[1]))
    return sorted(keys, key=lambda k: (k == last, k))


def plan(nodes: dict[str, dict], main: str, limit: int, place_label: dict[str, str]) -> list[Page]:
    """Split ``nodes`` into pages of at most ``limit`` entities; the first page is ``main``."""
    folder = main[: -len(".html")] + "-pages" if main.endswith(".html") else main + "-pages"
    levels = [("place", lambda n: place_key(nodes[n], place_label)), ("year", lambda n: year_key(nodes[n]))]
    pages: list[Page] = []

    def when(n):
        d = nodes[n].get("date")
        return (d["earliest"] if d else "9999", nodes[n]["label"], n)

    def visit(ids: list[str], level: int, path: str, parts: list[str]) -> None:
        if len(ids) <= limit:
            pages.append(Page(path, parts, ids))
            return
        if level < len(levels):
            name, key = levels[level]
            groups: dict[str, list[str]] = {}
            for n in ids:
                groups.setdefault(key(n), []).append(n)
            if len(groups) == 1:           # nothing to split on at this level: go one deeper
                visit(ids, level + 1, path, parts)
                return
        else:
            name = "part"
            ordered = sorted(ids, key=when)
            size = math.ceil(len(ordered) / math.ceil(len(ordered) / limit))
            groups = {f"part {i // size + 1}": ordered[i:i + size] for i in range(0, len(ordered), size)}
        page = Page(path, parts, ids, level=name)
        pages.append(page)
        for k in _order(groups, name):
            page.children[k] = f"{folder}/{_slug(parts + [k])}.html"
            visit(groups[k], level + 1, page.children[k], parts + [k])

    visit(sorted(nodes), 0, main, [])
    return pages


def rel(target: str, page: str) -> str:
    """A link from one page to another, relative to the first one's folder."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def family_of(info: dict) -> str:
    return FAMILY.get(info["type"], "other")


# ---------------------------------------------------------------------------
# The views of a plan's pages
# ---------------------------------------------------------------------------

GRID_X, GRID_Y = 330, 150     # px between columns (places, years, parts) and rows (kinds) on a group page


def _span(infos: list[dict]) -> dict | None:
    dated = [i["date"] for i in infos if i.get("date")]
    if not dated:
        return None
    lo, hi = min(d["earliest"] for d in dated), max(d["latest"] for d in dated)
    text = lo[:4] if lo[:4] == hi[:4] else f"{lo[:4]}–{hi[:4]}"
    return {"text": text, "earliest": lo, "latest": hi, "precision": "range"}


def _strongest(confidences) -> str:
    rank = confidence_ranks()
    return max(confidences, key=lambda c: rank.get(c, 0))


def title_of(page: Page, root_title: str) -> str:
    return f"{root_title} — {' — '.join(page.parts)}" if page.parts else root_title


BY_KIND_MAX_KEYS = 20   # beyond this many places (or years) a group page shows one node per key


def group_view(base, page: Page, pages: dict[str, Page], limit: int, style: dict) -> "object":
    """A page of groups: one node per kind of entity in each place (or year, or part); with many
    places, one node per place (its kinds listed in the panel), laid out in a square grid."""
    key_of = {m: k for k, child in page.children.items() for m in pages[child].members}
    keys = _order(page.children, page.level)
    by_kind = len(keys) <= BY_KIND_MAX_KEYS and \
        len({(family_of(base.nodes[m]), key_of[m]) for m in page.members}) <= limit
    groups: dict[tuple[str, str], list[str]] = {}
    for m in page.members:
        groups.setdefault((family_of(base.nodes[m]) if by_kind else "group", key_of[m]), []).append(m)
    fams = [f for f in style if any(f == g[0] for g in groups)]
    cols = len(keys) if by_kind else max(1, math.ceil(math.sqrt(len(keys))))
    nodes, pos, gid = {}, {}, {}
    for (fam, key), ms in groups.items():
        i = GROUP + _slug(page.parts + [key, fam])
        gid.update({m: i for m in ms})
        infos = sorted((base.nodes[m] for m in ms), key=lambda x: ((x.get("date") or {}).get("earliest", "9999"), x["label"]))
        kinds: dict[str, int] = {}
        for x in infos:
            f = family_of(x)
            name = style[f][2] if f in style else f
            kinds[name] = kinds.get(name, 0) + 1
        what = style[fam][2] if by_kind else "Entities"
        nodes[i] = {"id": i, "label": f"{what} · {key} ({len(ms)})" if by_kind else f"{key} ({len(ms)})",
                    "type": "Group", "family": fam, "count": len(ms),
                    "href": rel(page.children[key], page.path), "date": _span(infos),
                    "districts": sorted({p for x in infos for p in x.get("districts") or []}),
                    "description": f"{len(ms)} {what.lower()} — {key}. Open the group to see each one with its links and passages.",
                    "members": [x["label"] for x in infos[:12]],
                    "kinds": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))}
        k = keys.index(key)
        pos[i] = (k * GRID_X, fams.index(fam) * GRID_Y) if by_kind else ((k % cols) * GRID_X, (k // cols) * GRID_Y * 1.6)
    agg: dict[tuple, list[dict]] = {}
    for e in base.edges:
        a, b = gid.get(e["source"]), gid.get(e["target"])
        if a and b and a != b:
            agg.setdefault((a, b, e["relation"]), []).append(e)
    edges = [_bundle(a, b, rel_, es) for (a, b, rel_), es in sorted(agg.items())]
    decor = [{"id": f"decor:{page.level}:{k}", "label": k, "x": keys.index(k) * GRID_X, "y": -GRID_Y} for k in keys] if by_kind else []
    return View("group", title_of(page, base.title),
                f"{len(page.members)} entities — too many to draw at once (more than {limit}), so grouped by {page.level}"
                + (" and kind" if by_kind else "") + ". Click a group to see what it holds; double-click it, "
                "or follow the link in the panel, to open it.",
                nodes, edges, pos, decor, focus=None, scale=0.6)


def _bundle(a: str, b: str, relation: str, es: list[dict]) -> dict:
    """Several links drawn as one: counted, at the strongest confidence among them."""
    counts: dict[str, int] = {}
    for e in es:
        counts[e["confidence"]] = counts.get(e["confidence"], 0) + 1
    return {"source": a, "target": b, "relation": relation, "confidence": _strongest(counts), "scope": "bundle",
            "count": len(es), "breakdown": dict(sorted(counts.items(), key=lambda kv: -confidence_ranks().get(kv[0], 0))),
            "evidence": []}


def member_view(base, page: Page, edges_of: dict[str, list[dict]], leaf_of: dict[str, str],
                titles: dict[str, str]) -> "object":
    """A page of entities with every link among them; links that leave the page end at a page node."""
    members = set(page.members)
    nodes = {m: base.nodes[m] for m in page.members}
    edges, seen, out = [], set(), {}
    for m in page.members:
        for e in edges_of.get(m, []):
            key = id(e)
            if key in seen:
                continue
            seen.add(key)
            s_in, t_in = e["source"] in members, e["target"] in members
            if s_in and t_in:
                edges.append(e)
                continue
            other = e["target"] if s_in else e["source"]
            target = leaf_of.get(other)
            if target is None:
                continue
            p = PAGE + target
            out.setdefault((e["source"] if s_in else p, p if s_in else e["target"], e["relation"]), []).append((e, other))
    pos, axis = time_rows(nodes)
    decor: list[dict] = []
    right = max((x for x, _ in pos.values()), default=0) + LABEL_WIDTH + BREAK
    portals: dict[str, dict] = {}
    for (a, b, relation), pairs in sorted(out.items()):
        p = a if a.startswith(PAGE) else b
        target = p[len(PAGE):]
        if p not in portals:
            portals[p] = {"id": p, "label": f"→ {titles[target]}", "type": "Page", "family": "page", "count": 0,
                          "href": rel(target, page.path), "date": None, "districts": [],
                          "description": f"Links to entities shown on another page: {titles[target]}. Open it to follow them.",
                          "members": []}
        portals[p]["count"] += len(pairs)
        portals[p]["members"] = sorted(set(portals[p]["members"]) | {base.nodes[o]["label"] for _, o in pairs})[:12]
        bundle = _bundle(a, b, relation, [e for e, _ in pairs])
        bundle["scope"] = "edge" if len(pairs) == 1 else "bundle"
        bundle["evidence"] = [ev for e, _ in pairs for ev in e["evidence"]][:40]
        bundle["via"] = sorted({base.nodes[o]["label"] for _, o in pairs})
        edges.append(bundle)
    for k, p in enumerate(sorted(portals, key=lambda p: portals[p]["label"])):
        pos[p] = (right, k * ROW_H)
        portals[p]["label"] = f"{portals[p]['label']} ({portals[p]['count']})"
    nodes.update(portals)
    if portals:
        axis["labels"] = [{"x": right, "label": "on other pages"}]
    dated = [m for m in page.members if nodes[m].get("date")]
    first = min(dated, key=lambda m: (pos[m][0], pos[m][1])) if dated else None
    view = View("members", title_of(page, base.title),
                f"{len(page.members)} entities and their links, on a time axis"
                + (f"; {sum(p['count'] for p in portals.values())} links lead to other pages (far right)" if portals else ""),
                nodes, edges, pos, decor, focus=first, scale=0.75)
    view.axis = axis
    return view


def _with_inherited_places(base) -> dict[str, dict]:
    """Nodes for planning: an entity with no place of its own is filed under the place of the
    document that made it (recommendations) or the place it concerns (findings). The nodes
    themselves are not changed."""
    places = {n for n, i in base.nodes.items() if i["type"] in ("District", "County", "Place")}
    inherit: dict[str, list[str]] = {}
    for e in base.edges:
        if e["relation"] == "recommended":
            inherit.setdefault(e["target"], []).extend(base.nodes.get(e["source"], {}).get("districts") or [])
        elif e["relation"] == "concerns" and e["target"] in places:
            inherit.setdefault(e["source"], []).append(e["target"])
    out = {}
    for n, info in base.nodes.items():
        if n in places and not info.get("districts"):
            info = {**info, "districts": [n]}        # a place is filed under itself
        elif not info.get("districts") and inherit.get(n):
            info = {**info, "districts": sorted(set(inherit[n]))}
        out[n] = info
    return out


def paged_views(base, main: str, limit: int, place_label: dict[str, str], style: dict) -> list[tuple[str, object]]:
    """[(relative path, View)] for every page of ``base``; the first is ``main``."""
    pages = plan(_with_inherited_places(base), main, limit, place_label)
    by_path = {p.path: p for p in pages}
    parent = {c: p for p in pages for c in p.children.values()}
    leaf_of = {m: p.path for p in pages if not p.is_group_page for m in p.members}
    titles = {p.path: " — ".join(p.parts) or base.title for p in pages}
    edges_of: dict[str, list[dict]] = {}
    for e in base.edges:
        edges_of.setdefault(e["source"], []).append(e)
        edges_of.setdefault(e["target"], []).append(e)
    out = []
    for p in pages:
        v = group_view(base, p, by_path, limit, style) if p.is_group_page else member_view(base, p, edges_of, leaf_of, titles)
        chain, q = [], p.path
        while q in parent:
            q = parent[q].path
            chain.append({"label": titles[q], "href": rel(q, p.path)})
        v.crumbs = list(reversed(chain))
        if p.path == main:
            v.index = [[base.nodes[m]["label"], base.nodes[m]["type"], rel(leaf_of[m], main), m]
                       for m in sorted(leaf_of, key=lambda m: base.nodes[m]["label"])]
        out.append((p.path, v))
    return out
