"""What an HTML page shows (a View) and the time-axis layout that both the single page (html.py)
and the linked pages of a big view (pages.py) use; split out so those two modules never import
each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANES = ["Barnsley", "Doncaster", "Rotherham", "Sheffield", "South Yorkshire", "Elsewhere or national"]


@dataclass
class View:
    name: str
    title: str
    subtitle: str
    nodes: dict[str, dict]                 # entity id -> info (label, type, date, districts, description …)
    edges: list[dict]                      # source, target, relation, confidence, scope, evidence
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    decor: list[dict] = field(default_factory=list)   # axis ticks and lane labels (not entities)
    focus: str | None = None
    scale: float = 1.0
    crumbs: list[dict] = field(default_factory=list)  # pages above this one, for big views split into pages
    axis: dict = field(default_factory=dict)           # the time axis the page draws (knots, breaks; see time_rows)
    hops: dict[str, int] = field(default_factory=dict)  # steps from the root of a lineage (- upstream, + downstream)
    timeline: dict | None = None                       # vis-timeline lanes and items (the timeline view)
    importance: dict[str, int] = field(default_factory=dict)   # links per entity: label size (overview)
    hubs: dict[str, int] = field(default_factory=dict)          # entities whose own links are bundled until expanded
    open_families: tuple = ()                                   # kinds shown at open (others a tick away); () = all
    index: list[list] | None = None                    # [label, type, page, id] of every entity (first page)
    overdue: dict[str, dict] = field(default_factory=dict)   # recommendation -> what `gaps --overdue` says of it
    ghosts: list[dict] = field(default_factory=list)         # computed links: overdue recommendation -> addressee
    recurrence: list[dict] | None = None                     # recurrence() groups, when many pages share one computation


# an empty stretch longer than GAP_YEARS is drawn as a break BREAK px wide (marked on the axis),
# so a chain with a decade of silence in the middle is not mostly empty paper. Labels wrap at
# LABEL_WIDTH and rows are packed so no two labels overlap; the px per year is chosen so the
# whole chain fits a desktop window with labels legible (see time_rows).
LABEL_WIDTH = 180     # canvas px a label may take: WRAP characters at 14 px (DejaVu Sans, the widest usual face)
WRAP = 22             # characters per label line on a time axis; two lines at most
ROW_H = 70            # canvas px per row: a node and a two-line label
BREAK = 70            # canvas px for an empty stretch of time
GAP_YEARS = 0.75      # an empty stretch longer than this becomes a break
FIT_W, FIT_H = 1250, 900   # canvas px visible in a 1440x900 window at the scale that keeps 14 px labels >= 11 px


def year_fraction(date: str) -> float:
    y, m, d = (int(x) for x in date.split("-"))
    return y + (m - 1) / 12 + (d - 1) / 365


def time_knots(ts: list[float], per_year: float) -> list[list[float]]:
    """[(t, x)] points of a piecewise-linear time scale: per_year inside stretches, BREAK across gaps."""
    ts = sorted(set(ts))
    if not ts:
        return []
    knots, x = [[ts[0], 0.0]], 0.0
    for a, b in zip(ts, ts[1:]):
        x += BREAK if b - a > GAP_YEARS else (b - a) * per_year
        knots.append([b, round(x, 1)])
    return knots


def x_of_time(knots: list[list[float]], t: float, per_year: float) -> float:
    if t <= knots[0][0]:
        return knots[0][1] - (knots[0][0] - t) * per_year
    for (t0, x0), (t1, x1) in zip(knots, knots[1:]):
        if t <= t1:
            return x0 + (t - t0) / (t1 - t0) * (x1 - x0)
    return knots[-1][1] + (t - knots[-1][0]) * per_year


def label_width(label: str) -> float:
    return min(LABEL_WIDTH, 8.0 * max(len(line) for line in label.split("\n")) + 8)


def wrap_label(label: str, width: int = WRAP, lines: int = 2) -> str:
    """The label in at most ``lines`` lines of ``width`` characters (ellipsis if cut): vis-network
    draws "\n" as a line break, so the row packing knows each label's exact extent."""
    import textwrap

    parts = textwrap.wrap(label, width, break_long_words=True) or [label]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def pack_lanes(items: list[tuple[str, float, float]]) -> dict[str, int]:
    """Greedy rows: each (id, x, width) goes to the first row whose last label ends before it starts."""
    rows: list[float] = []
    out = {}
    for n, x, w in items:
        left = x - w / 2
        for i, right in enumerate(rows):
            if right + 14 <= left:
                rows[i] = x + w / 2
                out[n] = i
                break
        else:
            rows.append(x + w / 2)
            out[n] = len(rows) - 1
    return out


def time_rows(nodes: dict, hops: dict[str, int] | None = None) -> tuple[dict[str, tuple[float, float]], dict]:
    """Positions on a time axis (x from the date) with rows packed so labels never overlap.

    Undated entities sit in a column left of the axis. Within a date, upstream entities come
    before the root and downstream ones after it (by hop), so the chain reads top-left to
    bottom-right. The px per year is the one, among a few, that best fits FIT_W x FIT_H.
    """
    hops = hops or {}
    dated = {n: year_fraction(i["date"]["earliest"]) for n, i in nodes.items() if i.get("date")}
    undated = sorted((n for n in nodes if n not in dated), key=lambda n: (hops.get(n, 0), nodes[n]["label"]))
    best = None
    for per_year in (260, 360, 480, 640, 860, 1150):
        knots = time_knots(list(dated.values()), per_year)
        xs = {n: x_of_time(knots, t, per_year) for n, t in dated.items()}
        order = sorted(dated, key=lambda n: (xs[n], hops.get(n, 0), nodes[n]["label"], n))
        rows = pack_lanes([(n, xs[n], label_width(wrap_label(nodes[n]["label"]))) for n in order])
        # undated entities: columns left of the axis, no taller than the dated part
        per_col = max(8, max(rows.values(), default=0) + 1)
        left = min(xs.values(), default=0) - LABEL_WIDTH - BREAK
        for k, n in enumerate(undated):
            xs[n] = left - (k // per_col) * (LABEL_WIDTH + 20)
            rows[n] = k % per_col
        width = (max(xs.values()) - min(xs.values()) + LABEL_WIDTH) if xs else 1
        height = (max(rows.values(), default=0) + 1) * ROW_H + 60
        fit = min(FIT_W / width, FIT_H / height)
        if best is None or fit > best[0] + 1e-9:
            best = (fit, per_year, knots, xs, rows)
    _, per_year, knots, xs, rows = best
    pos = {n: (round(xs[n], 1), round(rows[n] * ROW_H, 1)) for n in nodes}
    breaks = [[round(x0, 1), round(x1, 1), t0, t1] for (t0, x0), (t1, x1) in zip(knots, knots[1:]) if t1 - t0 > GAP_YEARS]
    axis = {"knots": knots, "perYear": per_year, "breaks": breaks,
            "undated": round((xs[undated[0]] + xs[undated[-1]]) / 2, 1) if undated else None}
    return pos, axis
