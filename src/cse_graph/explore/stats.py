"""The statistics tables (RDF Data Cube) as pivoted tables, with the printed totals checked."""

from __future__ import annotations

from decimal import Decimal

from ..entities import to_decimal, to_int
from ..store import Store
from .resolution import NotFound

_DIMS = {"category": "cat", "year": "year", "district": "dlabel"}
_MEASURES = ("count", "estimate", "percent")


def tables(store: Store) -> list[dict]:
    """Every table: ``{"id", "table", "label", "title", "period", "observations"}`` in printed order."""
    q = """SELECT ?ds ?n ?label ?title ?period (COUNT(?o) AS ?obs) WHERE {
        ?ds a qb:DataSet ; cse:tableNumber ?n ; rdfs:label ?label .
        OPTIONAL { ?ds dct:title ?title } OPTIONAL { ?ds dct:temporal ?period }
        OPTIONAL { ?o qb:dataSet ?ds }
    } GROUP BY ?ds ?n ?label ?title ?period"""
    out = [{"id": str(r["ds"]), "table": str(r["n"]), "label": str(r["label"]),
            "title": str(r["title"]) if r["title"] is not None else None,
            "period": str(r["period"]) if r["period"] is not None else None,
            "observations": int(str(r["obs"]))} for r in store.select(q)]
    out.sort(key=lambda t: (int(t["table"]) if t["table"].isdigit() else 99, t["id"]))
    return out


def find_table(store: Store, name: str) -> dict:
    """A table by number ("1"), slug ("table-08-staff"), IRI, label or words of its label or title
    ("referrals"); only tables are searched. NotFound lists candidates, best first."""
    ts = tables(store)
    exact = [t for t in ts if name in (t["id"], t["id"].rsplit("/", 1)[-1], "ds:" + t["id"].rsplit("/", 1)[-1])
             or t["label"].lower() == name.lower() or (t["title"] or "").lower() == name.lower()]
    if len(exact) == 1:
        return exact[0]
    key = name.strip().lower().removeprefix("table").strip(" -.")
    hits = [t for t in ts if t["table"].lstrip("0") == key.lstrip("0")] if key else []
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise NotFound(name, [{"id": t["id"], "label": t["label"]} for t in hits], ambiguous=True)
    from .resolution import normalise_name, score

    words = set(normalise_name(name).split())
    holders = [t for t in ts if words and words <= set(normalise_name(f"{t['label']} {t['title'] or ''}").split())]
    if len(holders) == 1:
        return holders[0]
    ranked = sorted(ts, key=lambda t: -max(score(name, t["label"], t["id"]), score(name, t["title"] or "", t["id"])))
    sugg = [{"id": t["id"], "label": t["label"]} for t in (holders or ranked)]
    raise NotFound(name, sugg, ambiguous=len(holders) > 1)


def observations(store: Store, ds: str) -> list[dict]:
    q = f"""SELECT ?o ?cat ?year ?dlabel ?order ?total ?count ?estimate ?percent ?note WHERE {{
        ?o qb:dataSet <{ds}> ; cse:category ?cat .
        OPTIONAL {{ ?o cse:refYear ?year }} OPTIONAL {{ ?o cse:refDistrict ?d . ?d rdfs:label ?dlabel }}
        OPTIONAL {{ ?o cse:rowOrder ?order }} OPTIONAL {{ ?o cse:isTotal ?total }}
        OPTIONAL {{ ?o cse:count ?count }} OPTIONAL {{ ?o cse:estimate ?estimate }} OPTIONAL {{ ?o cse:percent ?percent }}
        OPTIONAL {{ ?o skos:note ?note }}
    }}"""
    out = []
    for r in store.select(q):
        out.append({
            "id": str(r["o"]), "cat": str(r["cat"]), "year": str(r["year"]) if r["year"] is not None else None,
            "dlabel": str(r["dlabel"]) if r["dlabel"] is not None else None,
            "order": to_int(r["order"]) if to_int(r["order"]) is not None else 999,
            "total": r["total"] is not None and str(r["total"]) in ("true", "1"),
            **{m: to_decimal(r[m]) for m in _MEASURES if r[m] is not None and to_decimal(r[m]) is not None},
            "note": str(r["note"]) if r["note"] is not None else None,
        })
    return out


def _num(d: Decimal):
    return int(d) if d == d.to_integral_value() else float(d)


def table_dimensions(store: Store, ds: str, obs: list[dict]) -> list[str]:
    """The table's dimensions as its Data Cube structure declares them (category, year, district),
    falling back to the ones its observations use."""
    q = f"""SELECT DISTINCT ?d WHERE {{ <{ds}> qb:structure ?s . ?s qb:component ?c . ?c qb:dimension ?d }}"""
    declared = {str(r["d"]).rsplit("#", 1)[-1] for r in store.select(q)}
    names = {"category": "category", "refYear": "year", "refDistrict": "district"}
    dims = [names[d] for d in ("category", "refYear", "refDistrict") if d in declared]
    used = [d for d in _DIMS if any(_key(o, d, fallback=False) is not None for o in obs)]
    return [d for d in _DIMS if d in dims or d in used]


def _key(o: dict, dim: str, fallback: bool = True) -> str | None:
    """An observation's value on a dimension. An observation without a district (the 'Other' and
    'Total' rows of Table 1) is placed under its category, so it keeps its own labelled row."""
    v = o[_DIMS[dim]]
    if v is None and fallback and dim != "category":
        return o["cat"]
    return v


def _unique(obs: list[dict], dims: list[str]) -> bool:
    keys = [tuple(_key(o, d) for d in dims) for o in obs]
    return len(set(keys)) == len(keys)


def stats(store: Store, table: str, by: list[str] | None = None, totals: str | None = None) -> dict:
    """One table pivoted: rows × columns, the notes, and a check of every printed total.

    ``by`` names the row and column dimensions (from category, year, district). With one, the
    column dimension is the one that tells the table's cells apart (Table 1: year; Table 9:
    district); with none, rows are categories. When rows alone tell the cells apart, the
    columns are the measures (count, estimate, percent). Every observation lands in exactly one
    cell; a pair of dimensions that would put two observations in one cell is refused.
    ``totals`` ("rows", "columns" or "both") adds computed sums across rows (a column) and/or
    down columns (a row), labelled as computed, beside any totals the text prints.
    """
    t = find_table(store, table)
    obs = observations(store, t["id"])
    dims = table_dimensions(store, t["id"], obs)
    by = [b.strip() for b in by if b.strip()] if by else []
    name = f"Table {t['table']} ({t['id'].rsplit('/', 1)[-1]})"
    bad = [b for b in by if b not in _DIMS]
    if bad or len(by) > 2 or len(set(by)) != len(by):
        raise ValueError(f"--by takes one or two different dimensions of {', '.join(_DIMS)} (got {', '.join(by)})")
    missing = [b for b in by if b not in dims]
    if missing:
        raise ValueError(f"{name} has no {' or '.join(missing)} dimension; its dimensions: {', '.join(dims)}")
    if totals not in (None, "rows", "columns", "both"):
        raise ValueError(f"--totals takes rows, columns or both (got {totals})")
    row_dim = by[0] if by else "category"
    if len(by) == 2:
        col_dim = by[1]
        if not _unique(obs, [row_dim, col_dim]):
            others = [d for d in dims if d not in by]
            good = [f"{a},{b}" for a in dims for b in dims if a != b and _unique(obs, [a, b])]
            raise ValueError(f"--by {row_dim},{col_dim} would put cells of {name} that differ by "
                             f"{' or '.join(others) or 'measure'} in one place; try --by " + " or --by ".join(good))
    elif _unique(obs, [row_dim]):
        col_dim = None
    else:
        col_dim = next((d for d in ("year", "category", "district") if d != row_dim and d in dims
                        and _unique(obs, [row_dim, d])), None)
        if col_dim is None:
            raise ValueError(f"no second dimension tells the cells of {name} apart by {row_dim}")
    measures = [m for m in _MEASURES if any(m in o for o in obs)]

    rows: dict[str, dict] = {}
    columns: list[str] = []
    col_total: dict[str, bool] = {}
    noted: dict[str, set] = {}      # a footnote → the cells it is attached to
    for o in sorted(obs, key=lambda o: (o["order"], _key(o, row_dim) or "")):
        rkey = _key(o, row_dim) or "—"
        row = rows.setdefault(rkey, {"label": rkey, "total": True, "values": {}, "notes": [], "observations": {}})
        row["total"] = row["total"] and o["total"]
        present = [m for m in measures if m in o]
        for m in present:
            if col_dim:
                ckey = _key(o, col_dim) or "—"
                if len(measures) > 1:
                    ckey = f"{ckey} {m}"
            else:
                ckey = m
            row["values"][ckey] = _num(o[m])
            row["observations"][ckey] = o["id"]
            if o["note"]:
                noted.setdefault(o["note"], set()).add((rkey, ckey))
            if ckey not in columns:
                columns.append(ckey)
            col_total[ckey] = col_total.get(ckey, True) and o["total"]
    if col_dim == "year":
        columns.sort(key=lambda c: (col_total.get(c, False), c))
    elif col_dim:   # printed totals last, otherwise in printed order
        columns.sort(key=lambda c: col_total.get(c, False))
    # a footnote belongs to the row its cells share ('Other' by district), else to their column
    # ('Other' when the rows are years), so it is never shown against cells it does not concern
    column_notes: dict[str, list[str]] = {}
    for note, cells in noted.items():
        rkeys, ckeys = {r for r, _ in cells}, {c for _, c in cells}
        if len(rkeys) > 1 and len(ckeys) == 1:
            column_notes.setdefault(next(iter(ckeys)), []).append(note)
        else:
            for r in sorted(rkeys, key=list(rows).index):
                if note not in rows[r]["notes"]:
                    rows[r]["notes"].append(note)
    row_list = list(rows.values())
    # a row is a printed total only when every one of its cells is; then it is labelled so
    for r in row_list:
        r["total"] = bool(r["total"])
    total_cols = [c for c in columns if col_total.get(c) and col_dim]
    if col_dim is None:
        total_cols = []

    checks = []
    body = [r for r in row_list if not r["total"]]
    printed_rows = [r for r in row_list if r["total"]]
    for c in columns:
        if c in total_cols:
            continue
        cells = [Decimal(str(r["values"][c])) for r in body if c in r["values"]]
        if not cells:
            continue
        s = sum(cells)
        printed = next((r["values"].get(c) for r in printed_rows if c in r["values"]), None)
        if printed is not None:
            checks.append({"column": c, "row": None, "direction": "down", "printed_total": printed,
                           "sum_of_cells": _num(s), "matches": Decimal(str(printed)) == s})
        elif c == "percent" or c.endswith(" percent"):
            checks.append({"column": c, "row": None, "direction": "down", "printed_total": None,
                           "sum_of_cells": _num(s), "matches": None})
    for tc in total_cols:       # a printed total standing as a column (e.g. Table 1 by year): check across
        for r in row_list:
            if tc not in r["values"]:
                continue
            cells = [Decimal(str(v)) for c, v in r["values"].items() if c not in total_cols]
            s = sum(cells)
            checks.append({"column": tc, "row": r["label"], "direction": "across", "printed_total": r["values"][tc],
                           "sum_of_cells": _num(s), "matches": Decimal(str(r["values"][tc])) == s})

    sums = None
    if totals:
        sums = {}
        if totals in ("columns", "both"):   # down each column: a computed row
            sums["row"] = {c: _num(sum((Decimal(str(r["values"][c])) for r in body if c in r["values"]), Decimal(0)))
                           for c in columns if c not in total_cols}
        if totals in ("rows", "both"):      # across each row: a computed column
            if col_dim is None and len(measures) > 1:
                raise ValueError(f"--totals rows would add different measures ({', '.join(measures)}) of {name}; "
                                 "use --totals columns")
            sums["column"] = {r["label"]: _num(sum((Decimal(str(v)) for c, v in r["values"].items()
                                                    if c not in total_cols), Decimal(0))) for r in row_list}
    return {**t, "dimensions": dims, "measures": measures, "rows_by": row_dim, "columns_by": col_dim or "measure",
            "columns": columns, "total_columns": total_cols, "column_notes": column_notes,
            "rows": row_list, "checks": checks, "sums": sums}
