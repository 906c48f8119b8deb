"""The statistics tables (RDF Data Cube) as pivoted tables, with the printed totals checked."""

from __future__ import annotations

from decimal import Decimal

from ..store import Store
from .common import NotFound

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
    """A table by number ("1"), slug ("table-08-staff"), IRI or label; NotFound lists candidates."""
    ts = tables(store)
    exact = [t for t in ts if name in (t["id"], t["id"].rsplit("/", 1)[-1], "ds:" + t["id"].rsplit("/", 1)[-1])
             or t["label"].lower() == name.lower()]
    if len(exact) == 1:
        return exact[0]
    key = name.strip().lower().removeprefix("table").strip(" -")
    hits = [t for t in ts if t["table"].lstrip("0") == key.lstrip("0")]
    if len(hits) == 1:
        return hits[0]
    sugg = [{"id": t["id"], "label": t["label"]} for t in (hits or ts)]
    raise NotFound(name, sugg, ambiguous=len(hits) > 1)


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
            "order": int(str(r["order"])) if r["order"] is not None else 999,
            "total": r["total"] is not None and str(r["total"]) in ("true", "1"),
            **{m: Decimal(str(r[m])) for m in _MEASURES if r[m] is not None},
            "note": str(r["note"]) if r["note"] is not None else None,
        })
    return out


def _num(d: Decimal):
    return int(d) if d == d.to_integral_value() else float(d)


def stats(store: Store, table: str, by: list[str] | None = None) -> dict:
    """One table pivoted: rows × columns, the notes, and a check of every printed total.

    ``by`` names the row and column dimensions (from category, year, district); the default
    is category × year when the table has years, otherwise category × measure.
    """
    t = find_table(store, table)
    obs = observations(store, t["id"])
    years_per_row: dict[str, set] = {}
    for o in obs:
        if o["year"]:
            years_per_row.setdefault(o["cat"], set()).add(o["year"])
    # years are columns only when a row has more than one (Table 1), not when each row is a year (Table 8-staff)
    has_year = any(len(ys) > 1 for ys in years_per_row.values())
    if by:
        bad = [b for b in by if b not in _DIMS]
        if bad or not 1 <= len(by) <= 2:
            raise ValueError(f"--by takes one or two of {', '.join(_DIMS)} (got {', '.join(by)})")
    row_dim = by[0] if by else "category"
    col_dim = (by[1] if by and len(by) > 1 else ("year" if has_year and row_dim != "year" else None))
    measures = [m for m in _MEASURES if any(m in o for o in obs)]

    rows: dict[str, dict] = {}
    columns: list[str] = []
    for o in sorted(obs, key=lambda o: (o["order"], o[_DIMS[row_dim]] or "")):
        rkey = o[_DIMS[row_dim]] or "—"
        row = rows.setdefault(rkey, {"label": rkey, "total": o["total"], "order": o["order"], "values": {}, "notes": []})
        if o["note"] and o["note"] not in row["notes"]:
            row["notes"].append(o["note"])
        if col_dim:
            ckey = o[_DIMS[col_dim]] or "—"
            m = next((m for m in measures if m in o), None)
            if m:
                row["values"][ckey] = _num(o[m])
            if ckey not in columns:
                columns.append(ckey)
        else:
            for m in measures:
                if m in o:
                    row["values"][m] = _num(o[m])
            columns = measures
    if col_dim == "year":
        columns.sort()

    checks = []
    body = [r for r in rows.values() if not r["total"]]
    totals = [r for r in rows.values() if r["total"]]
    for c in columns:
        cells = [Decimal(str(r["values"][c])) for r in body if c in r["values"]]
        if not cells:
            continue
        s = sum(cells)
        printed = next((r["values"].get(c) for r in totals if c in r["values"]), None)
        if printed is not None:
            checks.append({"column": c, "printed_total": printed, "sum_of_cells": _num(s),
                           "matches": Decimal(str(printed)) == s})
        elif c == "percent":
            checks.append({"column": c, "printed_total": None, "sum_of_cells": _num(s), "matches": None})
    return {**t, "rows_by": row_dim, "columns_by": col_dim or "measure", "columns": columns,
            "rows": [{k: v for k, v in r.items() if k != "order"} for r in rows.values()], "checks": checks}
