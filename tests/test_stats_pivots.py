"""`cse-graph stats` against the Data Cube itself: for every table and every --by combination, the
cells printed are exactly the table's observations (read here with our own SPARQL, not through
explore/stats.py), printed totals keep their own labelled row or column and are checked in every
pivot, and --totals adds sums that are right. Tables 1 and 9 are checked by name, cell for cell."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from .conftest import run_cli

DIMS = ["category", "year", "district"]
BYS = [None] + [[a] for a in DIMS] + [[a, b] for a in DIMS for b in DIMS if a != b]
TABLES = ["table-01", "table-02", "table-03", "table-04", "table-05", "table-06", "table-07", "table-08",
          "table-08-staff", "table-09"]
DS = "https://w3id.org/cse-graph/id/dataset/"


def cube(store, slug):
    """{observation IRI: {"dims": {dim: value}, "measures": {m: Decimal}, "total": bool}} straight from SPARQL."""
    [ds] = [str(r["ds"]) for r in store.select(
        f'SELECT ?ds WHERE {{ ?ds a qb:DataSet FILTER(STRENDS(STR(?ds), "/{slug}")) }}')]
    rows = store.select(f"""SELECT ?o ?p ?v WHERE {{ ?o qb:dataSet <{ds}> ; ?p ?v .
        VALUES ?p {{ cse:category cse:refYear cse:refDistrict cse:count cse:estimate cse:percent cse:isTotal }} }}""")
    out: dict[str, dict] = {}
    names = {"category": "category", "refYear": "year", "refDistrict": "district"}
    for r in rows:
        o = out.setdefault(str(r["o"]), {"dims": {}, "measures": {}, "total": False})
        p = str(r["p"]).rsplit("#", 1)[-1]
        if p in names:
            v = str(r["v"])
            if p == "refDistrict":
                v = str(store.select(f"SELECT ?l WHERE {{ <{v}> rdfs:label ?l }}")[0]["l"])
            o["dims"][names[p]] = v
        elif p == "isTotal":
            o["total"] = str(r["v"]) in ("true", "1")
        else:
            o["measures"][p] = Decimal(str(r["v"]))
    dsd = store.select(f"SELECT ?d WHERE {{ <{ds}> qb:structure/qb:component/qb:dimension ?d }}")
    dims = {names[str(r["d"]).rsplit("#", 1)[-1]] for r in dsd}
    return out, dims


def run(*args):
    return run_cli(*args, code=None)


def where(o, dim):
    """Where an observation belongs on a dimension: its value, or its category when it has none
    (the 'Other' and 'Total' rows of Table 1 have no district)."""
    return o["dims"].get(dim) or o["dims"]["category"]


@pytest.mark.parametrize("by", BYS, ids=lambda b: ",".join(b) if b else "default")
@pytest.mark.parametrize("slug", TABLES)
def test_every_cell_is_one_observation(store, slug, by):
    obs, dims = cube(store, slug)
    args = ["stats", slug, "--format", "json"] + (["--by", ",".join(by)] if by else [])
    r = run(*args)
    if by and any(b not in dims for b in by):
        assert r.exit_code == 2 and "has no" in r.stderr and "dimension" in r.stderr, r.output
        return
    if by and len(by) == 2:
        keys = Counter((where(o, by[0]), where(o, by[1])) for o in obs.values())
        if max(keys.values()) > 1:      # that pair cannot tell two observations apart: refused, never merged
            assert r.exit_code == 2 and "would put cells" in r.stderr and "try --by" in r.stderr, r.output
            return
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    seen = Counter()
    for row in out["rows"]:
        for col, value in row["values"].items():
            o_id = row["observations"][col]
            o = obs[o_id]
            measure = col.rsplit(" ", 1)[-1] if col.rsplit(" ", 1)[-1] in o["measures"] else col
            if measure not in o["measures"]:
                [measure] = o["measures"]
            assert Decimal(str(value)) == o["measures"][measure], (o_id, col)
            assert row["label"] == where(o, out["rows_by"]), (o_id, row["label"])
            if out["columns_by"] != "measure":
                assert col.startswith(where(o, out["columns_by"])), (o_id, col)
            seen[(o_id, measure)] += 1
    expected = Counter({(o_id, m): 1 for o_id, o in obs.items() for m in o["measures"]})
    assert seen == expected, "every observation's measure printed exactly once"
    # printed totals: their own labelled row (or column), each checked
    totals = [o for o in obs.values() if o["total"]]
    total_rows = [row for row in out["rows"] if row["total"]]
    for row in total_rows:
        assert all(obs[i]["total"] for i in row["observations"].values())
        assert not row["notes"] or all(obs[i]["total"] for i in row["observations"].values())
    checked = [c for c in out["checks"] if c["printed_total"] is not None]
    assert len(checked) == len(totals), "one check per printed total"
    assert all(c["matches"] is True for c in checked)
    for c in checked:
        assert c["sum_of_cells"] == c["printed_total"]


def test_every_table_has_been_reached(store):
    listed = json.loads(run("stats", "--format", "json").stdout)
    assert sorted(t["id"].rsplit("/", 1)[-1] for t in listed) == TABLES


def test_table_1_by_district_and_year_by_name(store):
    out = json.loads(run("stats", "1", "--by", "district,year", "--format", "json").stdout)
    got = {r["label"]: r["values"] for r in out["rows"]}
    assert list(got) == ["Barnsley", "Doncaster", "Rotherham", "Sheffield", "Other", "Total"]
    assert got["Other"] == {"2013": 5, "2014": 33, "2015": 28}
    assert got["Total"] == {"2013": 437, "2014": 791, "2015": 911}
    assert [r["total"] for r in out["rows"]] == [False] * 5 + [True]
    other = next(r for r in out["rows"] if r["label"] == "Other")
    total = next(r for r in out["rows"] if r["label"] == "Total")
    assert other["notes"] and not total["notes"], "the 'Other' footnote belongs to the Other row"
    table = run("stats", "1", "--by", "district,year", "--format", "table").stdout
    assert "Other [1]" in table and "— *" not in table
    assert "check 2015: cells sum to 911; printed total 911 matches" in table
    across = json.loads(run("stats", "1", "--by", "year,district", "--format", "json").stdout)
    assert across["columns"][-1] == "Total" and across["total_columns"] == ["Total"]
    assert list(across["column_notes"]) == ["Other"] and not any(r["notes"] for r in across["rows"]), \
        "with years as rows, the 'Other' footnote marks the Other column, not every year"
    assert [c["matches"] for c in across["checks"]] == [True, True, True]


def test_table_9_default_view_by_name(store):
    out = json.loads(run("stats", "9", "--format", "json").stdout)
    assert (out["rows_by"], out["columns_by"]) == ("category", "district")
    got = {r["label"]: r["values"] for r in out["rows"]}
    assert got["Detectives"] == {"Barnsley": 4, "Doncaster": 5, "Rotherham": 5, "Sheffield": 5}
    assert sum(v for r in got.values() for v in r.values()) == 27


@pytest.mark.parametrize("slug,by", [("table-01", "district,year"), ("table-09", None), ("table-02", "year")])
def test_totals_across_rows_and_columns(store, slug, by):
    obs, _ = cube(store, slug)
    args = ["stats", slug, "--totals", "both", "--format", "json"] + (["--by", by] if by else [])
    out = json.loads(run(*args).stdout)
    body = [r for r in out["rows"] if not r["total"]]
    for c, s in out["sums"]["row"].items():
        assert Decimal(str(s)) == sum(Decimal(str(r["values"][c])) for r in body if c in r["values"])
    grand = sum(o["measures"]["count"] for o in obs.values() if not o["total"])
    assert sum(Decimal(str(v)) for v in out["sums"]["row"].values()) == grand
    for r in body:
        assert Decimal(str(out["sums"]["column"][r["label"]])) == sum(
            Decimal(str(v)) for c, v in r["values"].items() if c not in out["total_columns"])
    table = run("stats", slug, "--totals", "both", "--format", "table").stdout
    assert "Sum (computed)" in table


def test_totals_refuse_adding_different_measures(store):
    r = run("stats", "5", "--totals", "rows")
    assert r.exit_code == 2 and "different measures" in r.stderr


def test_stats_resolves_among_tables_only(store):
    out = json.loads(run("stats", "Referrals", "--format", "json").stdout)
    assert out["id"].endswith("/table-01")
    r = run("stats", "Operation Clover")
    assert r.exit_code == 1 and "table-" in r.stderr and "Operation" not in r.stderr.split("Did you mean")[-1]
