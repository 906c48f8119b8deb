"""Every statistics table, cell for cell, against the totals the text prints — and where the text's
own numbers do not add up, the test says so rather than hiding it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cse_graph.explore.stats import stats, tables

# Column sums the text prints as a "Total" row.
PRINTED_TOTALS = {
    ("1", "2013"): 437, ("1", "2014"): 791, ("1", "2015"): 911,
    ("2", "2013"): 202, ("2", "2014"): 231, ("2", "2015"): 231,
    ("3", "count"): 681, ("4", "count"): 457, ("5", "count"): 690,
}
# Percentage columns with no printed total: rounding leaves them short of 100, as printed.
PERCENT_SUMS = {"5": Decimal("100"), "6": Decimal("99.9"), "7": Decimal("99.9"), "8": Decimal("99.9")}


def test_ten_numeric_tables_are_modelled(store):
    ids = sorted(t["id"].rsplit("/", 1)[-1] for t in tables(store))
    assert ids == ["table-01", "table-02", "table-03", "table-04", "table-05", "table-06", "table-07",
                   "table-08", "table-08-staff", "table-09"]
    eights = [t for t in tables(store) if t["table"] == "8"]
    assert len(eights) == 2, "the text prints two different tables as 'Table 8'"


@pytest.mark.parametrize("table,column", sorted(PRINTED_TOTALS))
def test_printed_totals_equal_the_sum_of_cells(store, table, column):
    s = stats(store, f"table-0{table}")
    [check] = [c for c in s["checks"] if c["column"] == column]
    assert check["printed_total"] == PRINTED_TOTALS[(table, column)]
    assert check["sum_of_cells"] == PRINTED_TOTALS[(table, column)]
    assert check["matches"] is True


@pytest.mark.parametrize("table", sorted(PERCENT_SUMS))
def test_percentages_sum_as_printed(store, table):
    s = stats(store, f"table-0{table}")
    [check] = [c for c in s["checks"] if c["column"] == "percent"]
    assert Decimal(str(check["sum_of_cells"])) == PERCENT_SUMS[table]


def cells(store, table):
    return {r["label"]: r["values"] for r in stats(store, table)["rows"]}


def test_table_5_percentages_agree_with_counts(store):
    rows = {k: v for k, v in cells(store, "table-05").items() if k != "Total"}
    for label, v in rows.items():
        assert round(100 * v["count"] / 690) == v["percent"], label


def test_table_7_percentages_agree_with_counts(store):
    rows = cells(store, "table-07")
    total = sum(v["count"] for v in rows.values())
    assert total == 574          # no total printed: the cells add to 574
    for label, v in rows.items():
        assert abs(100 * v["count"] / total - v["percent"]) < 0.051, label


def test_cross_checks_with_the_running_text(store):
    # Table 4's first two rows are the "177 charged" and "22 summonsed" of Chapter 7.
    t4 = cells(store, "table-04")
    assert (t4["Charged"]["count"], t4["Summonsed"]["count"]) == (177, 22)
    # Table 9's cells are the "27 of the specialist police officers" deployed in district teams.
    t9 = stats(store, "table-09", by=["district", "category"])
    assert sum(v for r in t9["rows"] for v in r["values"].values()) == 27
    # The staff table's 2015/6 estimate is the "68 full time staff" of Chapter 6.
    assert cells(store, "table-08-staff")["2015/6"]["estimate"] == 68


def test_tables_2_and_3_cover_different_periods(store):
    """Table 3 (681 offences) exceeds Table 2's three years (664): footnote 28 says its period is longer."""
    t2 = sum(stats(store, "table-02")["rows"][-1]["values"].values())
    t3 = next(c for c in stats(store, "table-03")["checks"] if c["column"] == "count")["printed_total"]
    assert (t2, t3) == (664, 681)
