"""What an HTML page shows (a View) and the time-column layout both the single page (html.py) and the
linked pages of a big view (pages.py) use; split out so those two modules no longer import each other.
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
    index: list[list] | None = None                    # [label, type, page, id] of every entity (first page)


COLUMN_GAP = 310      # px between time columns: a 42-character label at 14 px fits
ROW_GAP = 58          # px between nodes stacked in one column
PER_YEAR = 420        # px per year where time is sparse enough to be proportional


def _columns(nodes: dict, lane_of: dict[str, int] | None = None, undated_first: bool = False
             ) -> tuple[dict[str, tuple[float, float]], list[dict], dict[int, float]]:
    """Lay dated nodes out left to right by time with a minimum gap between columns.

    Nodes of the same month (and lane) share a column and stack downwards; the x of each month
    is the later of its proportional position and the previous column plus COLUMN_GAP, so time
    stays monotone and labels never overlap sideways. Returns positions, year ticks and the
    y offset of each lane (lanes grow to fit their tallest column).
    """
    def month(n):
        d = nodes[n].get("date")
        return d["earliest"][:7] if d else None

    months = sorted({m for m in map(month, nodes) if m})
    xs: dict[str | None, float] = {}
    x, prev = 0.0, None
    for m in months:
        y, mo = int(m[:4]), int(m[5:7])
        prop = (y + (mo - 1) / 12 - int(months[0][:4])) * PER_YEAR
        x = prop if prev is None else max(prop, xs[prev] + COLUMN_GAP)
        xs[m] = x
        prev = m
    if any(month(n) is None for n in nodes):
        xs[None] = (min(xs.values()) - 2 * COLUMN_GAP) if (undated_first and xs) else (max(xs.values(), default=0) + 2 * COLUMN_GAP)
    stacks: dict[tuple, list[str]] = {}
    for n in sorted(nodes, key=lambda n: (month(n) or "9999", nodes[n]["type"], nodes[n]["label"])):
        stacks.setdefault((month(n), lane_of.get(n, 0) if lane_of else 0), []).append(n)
    lanes = sorted({lane for _, lane in stacks} | (set(lane_of.values()) if lane_of else {0}))
    height = {lane: max((len(v) for (m, l), v in stacks.items() if l == lane), default=1) for lane in lanes}
    offset, y0 = {}, 0.0
    for lane in lanes:
        offset[lane] = y0
        y0 += height[lane] * ROW_GAP + 140
    pos = {}
    for (m, lane), members in stacks.items():
        for k, n in enumerate(members):
            pos[n] = (round(xs[m], 1), round(offset[lane] + k * ROW_GAP, 1))
    ticks = []
    for yr in sorted({m[:4] for m in months}):
        first = min(xs[m] for m in months if m.startswith(yr))
        ticks.append({"id": f"decor:year:{yr}", "label": yr, "x": round(first, 1), "y": -110.0})
    if None in xs:
        ticks.append({"id": "decor:undated", "label": "undated", "x": round(xs[None], 1), "y": -110.0})
    return pos, ticks, offset


def _time_layout(nodes: dict, lanes: dict[str, int] | None) -> tuple[dict, list[dict]]:
    pos, decor, offset = _columns(nodes, lanes, undated_first=lanes is None)
    if lanes:
        left = min((x for x, _ in pos.values()), default=0) - 2 * COLUMN_GAP
        for i, y in offset.items():
            decor.append({"id": f"decor:lane:{i}", "label": LANES[i], "x": round(left, 1), "y": round(y, 1)})
    return pos, decor
