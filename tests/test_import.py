"""Tabular import and the worked example (README › Bring your own documents): a FICTIONAL
document added with `sources add`, cited with `cite`, imported from a small sheet (CSV and
the same rows as XLSX), validated, and reached by `lineage` from the real Jay report; a bad
sheet names file, row and column, exits 2 and writes nothing."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT
from .conftest import run_cli as run

SHEET = FIXTURES / "import" / "fictional-exampleshire.csv"
MAPPING = FIXTURES / "import" / "fictional-exampleshire.yaml"
MINUTES = FIXTURES / "sources" / "fictional-exampleshire-minutes.txt"
ACTION = "https://w3id.org/cse-graph/id/action/fictional-exampleshire-information-sharing-review"




@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """A copy of the real data and a registry holding the fictional minutes."""
    tmp = tmp_path_factory.mktemp("worked-example")
    shutil.copytree(ROOT / "data", tmp / "data")
    reg = tmp / "sources"
    run("sources", "add", MINUTES, "--id", "fictional-exampleshire-minutes-2015", "--date", "2015-01-14",
        "--title", "Exampleshire Safeguarding Board minutes, 14 January 2015 (fictional)", "--sources", reg)
    return tmp


def test_worked_example_add_cite_import_validate_lineage(example):
    data, reg = example / "data", example / "sources"
    out = run("cite", "Following the Jay report, the Board agreed", "--sources", reg).stdout
    assert "oa:hasSource report:fictional-exampleshire-minutes-2015" in out
    assert 'cse:locator "Item 1. Response to national reviews"' in out

    dry = json.loads(run("import", SHEET, "--mapping", MAPPING, "--data", data, "--sources", reg, "--dry-run",
                         "--format", "json").stdout)
    assert not dry["written"] and not (data / "imported").exists()
    assert [(e["row"], e["type"]) for e in dry["entities"]] == [(2, "document"), (3, "agency"), (4, "action")]

    done = json.loads(run("import", SHEET, "--mapping", MAPPING, "--data", data, "--sources", reg,
                          "--format", "json").stdout)
    target = data / "imported" / "fictional-exampleshire.ttl"
    assert done["written"] and Path(done["output"]) == target
    assert done["links"] == [{"row": 4, "source": "https://w3id.org/cse-graph/id/report/jay-2014",
                              "relation": "prompted", "target": ACTION}]
    first = target.read_bytes()
    # re-importing the same sheet changes nothing
    again = json.loads(run("import", SHEET, "--mapping", MAPPING, "--data", data, "--sources", reg,
                           "--format", "json").stdout)
    assert again["unchanged"] and not again["written"] and target.read_bytes() == first

    report = json.loads(run("validate", "--data", data, "--sources", reg, "--format", "json").stdout)
    assert report["passed"]
    lineage = json.loads(run("lineage", "report:jay-2014", "--data", data, "--format", "json").stdout)
    [edge] = [e for e in lineage["edges"] if e["target"] == ACTION]
    assert edge["relation"] == "prompted" and edge["confidence"] == "stated"
    assert edge["evidence"][0]["locator"] == "Item 1. Response to national reviews"
    assert edge["evidence"][0]["document"].endswith("/report/fictional-exampleshire-minutes-2015")


def test_the_same_rows_as_xlsx_give_the_same_graph(example, tmp_path):
    from openpyxl import Workbook
    from rdflib import Graph
    from rdflib.compare import isomorphic

    wb = Workbook()
    ws = wb.active
    with open(SHEET, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    wb.save(tmp_path / "sheet.xlsx")
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    for sheet, out in [(SHEET, a), (tmp_path / "sheet.xlsx", b)]:
        run("import", sheet, "--mapping", MAPPING, "--data", example / "data", "--sources", example / "sources",
            "-o", out, "--format", "json")
    assert isomorphic(Graph().parse(a), Graph().parse(b))
    assert len(Graph().parse(a)) > 20


def bad_sheet(tmp_path, edits: dict[tuple[int, str], str]) -> Path:
    with open(SHEET, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for (row, col), value in edits.items():
        rows[row - 2][col] = value
    p = tmp_path / "bad.csv"
    with open(p, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return p


def test_a_bad_sheet_names_file_row_and_column_and_writes_nothing(example, tmp_path):
    sheet = bad_sheet(tmp_path, {(2, "quote"): "words that are nowhere in the minutes at all",
                                 (3, "agency_kind"): "secret-society",
                                 (4, "date"): "14/01/2015",
                                 (4, "influencer"): "report:jay-2041"})
    out = tmp_path / "out.ttl"
    r = run("import", sheet, "--mapping", MAPPING, "--data", example / "data", "--sources", example / "sources",
            "-o", out, code=2)
    err = r.stderr
    assert f"{sheet}: row 2, column 'quote' (H): quote not found in source 'fictional-exampleshire-minutes-2015'" in err
    assert f"{sheet}: row 3, column 'agency_kind' (F): 'secret-society' is not an agency kind" in err
    assert f"{sheet}: row 4, column 'date' (D): '14/01/2015' is not a date" in err
    assert f"{sheet}: row 4, column 'influencer' (K): no entity report:jay-2041 in the graph or in this sheet" in err
    assert "4 problem(s)" in err and "nothing written" in err
    assert not out.exists()


def test_a_sheet_that_breaks_a_shape_is_refused_by_row(example, tmp_path):
    # a report cannot commission anything (CommissioningShape): caught by validating before writing
    sheet = bad_sheet(tmp_path, {(4, "relation"): "commissioned"})
    out = tmp_path / "out.ttl"
    r = run("import", sheet, "--mapping", MAPPING, "--data", example / "data", "--sources", example / "sources",
            "-o", out, code=2)
    assert f"{sheet}: row 4 (Exampleshire Safeguarding Board commissions" in r.stderr
    assert "CommissioningShape" in r.stderr and not out.exists()


def test_a_mapping_naming_a_missing_column_is_refused(example, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace("label: label", "label: name"), encoding="utf-8")
    r = run("import", SHEET, "--mapping", mapping, "--data", example / "data", "--sources", example / "sources",
            "-o", tmp_path / "o.ttl", code=2)
    assert f"{SHEET}: row 1: no column 'name' (mapping field entity.label in {mapping})" in r.stderr
    mapping.write_text("entity: [1, 2\n", encoding="utf-8")
    r = run("import", SHEET, "--mapping", mapping, "--data", example / "data", code=2)
    assert f"{mapping}:" in r.stderr and "not valid YAML" in r.stderr
    assert not (tmp_path / "o.ttl").exists()
