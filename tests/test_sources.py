"""Sources as a registry: adding a .txt, a .pdf (generated here) and an .html file, citing a
sentence in each with its locator, the quote check failing when an original changes, bad
inputs refused with nothing written, and the seeds' own failure modes (issue 11)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, make_data_dir
from .conftest import run_cli as run

SRC = FIXTURES / "sources"
MINUTES = SRC / "fictional-exampleshire-minutes.txt"
NEWSLETTER = SRC / "fictional-exampleshire-newsletter.html"




def make_pdf(path: Path, password: str | None = None) -> Path:
    """A two-page FICTIONAL report with an outline (bookmarks), written with fpdf2."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Exampleshire review of information sharing (fictional)")
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.start_section("Summary")
    pdf.multi_cell(0, 6, "FICTIONAL DOCUMENT written for cse-graph's tests. Exampleshire does not exist.\n"
                         "The review found that agencies in Exampleshire did not share information quickly enough.")
    pdf.add_page()
    pdf.start_section("Recommendations")
    pdf.multi_cell(0, 6, "The review recommends a single information-sharing protocol for every agency in Exampleshire.")
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    pdf.output(str(path))
    return path


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} \
        if folder.exists() else {}


def cite_json(quote, reg):
    return json.loads(run("cite", quote, "--sources", reg, "--format", "json").stdout)


def test_add_txt_pdf_and_html_then_cite_a_sentence_in_each(tmp_path):
    reg = tmp_path / "registry"
    pdf = make_pdf(tmp_path / "review.pdf")
    added = json.loads(run("sources", "add", MINUTES, "--id", "minutes", "--date", "2015-01-14",
                           "--title", "Minutes (fictional)", "--sources", reg, "--format", "json").stdout)
    assert added["kind"] == "txt" and added["iri"].endswith("/report/minutes") and len(added["sha256"]) == 64
    added = json.loads(run("sources", "add", pdf, "--id", "review", "--sources", reg, "--format", "json").stdout)
    assert added["kind"] == "pdf" and added["title"] == "Exampleshire review of information sharing (fictional)"
    added = json.loads(run("sources", "add", NEWSLETTER, "--sources", reg, "--format", "json").stdout)
    assert added["id"] == "fictional-exampleshire-newsletter" and added["kind"] == "html"
    assert added["title"] == "Exampleshire Safeguarding Board newsletter, spring 2015 (fictional)"

    listed = {s["id"]: s for s in json.loads(run("sources", "list", "--sources", reg, "--format", "json").stdout)}
    assert set(listed) == {"drew-review-2016", "syp-cse-faq-2016", "minutes", "review", "fictional-exampleshire-newsletter"}
    assert {s["status"] for s in listed.values()} == {"ok"}
    assert listed["drew-review-2016"]["original"] == "seeds:000_097f522c8c510e03.txt"

    [hit] = cite_json("train all of its licensing staff to recognise the signs of exploitation", reg)
    assert (hit["source_id"], hit["locator"], hit["line"]) == ("minutes", "Item 2. Training", 11)
    [hit] = cite_json("a single information-sharing protocol for every agency", reg)
    assert (hit["source_id"], hit["locator"]) == ("review", "page 2 › Recommendations")
    [hit] = cite_json("did not share information quickly enough", reg)
    assert hit["locator"] == "page 1 › Summary"
    [hit] = cite_json("began their training in February 2015", reg)
    assert hit["locator"] == "Spring newsletter (fictional) › Training"
    # a script's contents are not text of the page
    assert json.loads(run("cite", "var ignored", "--sources", reg, "--format", "json", code=1).stdout) == []
    # the turtle block names the registered document
    out = run("cite", "began their training in February 2015", "--sources", reg).stdout
    assert "oa:hasSource report:fictional-exampleshire-newsletter" in out
    # the seeds are still searched, and held by reference only
    [hit] = cite_json("Operation Clover was launched in August 2013 partly in response", reg)
    assert hit["locator"] == "Chapter 4 › Growing scrutiny"
    assert not list(reg.rglob("000_097f522c8c510e03*")) and not list((ROOT / "sources").rglob("*.txt"))


EVIDENCE_TTL = """@prefix cse: <https://w3id.org/cse-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix report: <https://w3id.org/cse-graph/id/report/> .
report:minutes a cse:Report ; rdfs:label "Exampleshire minutes (fictional)" ; cse:sourceId "minutes" ;
    cse:evidence [ oa:hasSource report:minutes ; cse:locator "Item 2. Training" ;
        oa:hasSelector [ oa:exact "train all of its licensing staff to recognise the signs of exploitation" ] ] .
"""


def test_quote_check_fails_when_the_original_changes(tmp_path):
    original = tmp_path / "minutes.txt"
    shutil.copy(MINUTES, original)
    reg = tmp_path / "registry"
    run("sources", "add", original, "--id", "minutes", "--sources", reg)
    d = make_data_dir(tmp_path)
    (d / "minutes.ttl").write_text(EVIDENCE_TTL, encoding="utf-8")
    out = json.loads(run("validate", "--data", d, "--sources", reg, "--format", "json").stdout)
    assert out["passed"] and out["checked"]["quotes"] >= 1
    # without the registry the document's source is unknown: said so, not skipped
    out = json.loads(run("validate", "--data", d, "--format", "json", code=1).stdout)
    assert {p["rule"] for p in out["problems"] if p["severity"] == "violation"} == {"SourceRegistered"}

    original.write_text(MINUTES.read_text(encoding="utf-8").replace("April 2015", "May 2015"), encoding="utf-8")
    out = json.loads(run("validate", "--data", d, "--sources", reg, "--format", "json", code=1).stdout)
    [p] = [p for p in out["problems"] if p["severity"] == "violation"]
    assert p["rule"] == "SourceChanged" and "has changed since it was registered" in p["message"]
    assert {s["id"]: s["status"] for s in json.loads(run("sources", "list", "--sources", reg, "--format", "json").stdout)}["minutes"] == "changed"
    assert "has changed" in run("cite", "train all of its licensing staff", "--sources", reg).stderr
    # registering it again (after checking the quote) makes it whole
    run("sources", "add", original, "--id", "minutes", "--replace", "--sources", reg)
    assert json.loads(run("validate", "--data", d, "--sources", reg, "--format", "json").stdout)["passed"]
    original.unlink()
    out = json.loads(run("validate", "--data", d, "--sources", reg, "--format", "json", code=1).stdout)
    assert [p["rule"] for p in out["problems"] if p["severity"] == "violation"] == ["SourceChanged"]
    assert "is missing" in out["problems"][0]["message"]


def test_a_changed_seed_is_reported(tmp_path, seeds_dir):
    seeds = tmp_path / "seeds"
    shutil.copytree(seeds_dir, seeds)
    faq = seeds / "003_be1dc688c2c7c598.txt"
    faq.chmod(0o644)
    faq.write_text(faq.read_text(encoding="utf-8") + "\nAn added line.\n", encoding="utf-8")
    d = make_data_dir(tmp_path)
    out = json.loads(run("validate", "--data", d, "--seeds", seeds, "--format", "json", code=1).stdout)
    changed = [p for p in out["problems"] if p["rule"] == "SourceChanged"]
    assert changed and all("003_be1dc688c2c7c598.txt" in p["message"] for p in changed)


@pytest.mark.parametrize("case", ["empty", "unreadable-pdf", "encrypted-pdf", "duplicate-id", "seed-id",
                                  "bad-date", "unknown-kind", "image-only-pdf"])
def test_bad_inputs_are_refused_with_nothing_written(tmp_path, case):
    reg = tmp_path / "registry"
    run("sources", "add", MINUTES, "--id", "minutes", "--sources", reg)
    before = snapshot(reg)
    args, expect = {
        "empty": ((tmp_path / "empty.txt", "--id", "empty"), "the file is empty"),
        "unreadable-pdf": ((tmp_path / "broken.pdf",), "not a readable PDF"),
        "encrypted-pdf": ((tmp_path / "locked.pdf",), "encrypted with a password"),
        "duplicate-id": ((NEWSLETTER, "--id", "minutes"), "a source with id 'minutes' is already registered"),
        "seed-id": ((NEWSLETTER, "--id", "drew-review-2016"), "one of the project's own sources"),
        "bad-date": ((NEWSLETTER, "--date", "March 2015"), "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        "unknown-kind": ((tmp_path / "sheet.docx",), "unsupported kind '.docx'"),
        "image-only-pdf": ((tmp_path / "scan.pdf",), "no text could be extracted"),
    }[case]
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a PDF")
    make_pdf(tmp_path / "locked.pdf", password="secret")
    (tmp_path / "sheet.docx").write_bytes(b"PK\x03\x04 not really")
    from fpdf import FPDF

    scan = FPDF()
    scan.add_page()
    scan.rect(10, 10, 50, 50, style="F")  # a drawing and no text: what a scan without OCR gives
    scan.output(str(tmp_path / "scan.pdf"))
    r = run("sources", "add", *args, "--sources", reg, code=2)
    assert expect in r.stderr and r.stderr.startswith("cse-graph: error: ")
    assert str(args[0]) in r.stderr  # the message names the file
    assert snapshot(reg) == before


def test_validate_with_wrong_seeds_fails_loudly(tmp_path):
    r = run("validate", "--seeds", tmp_path / "wrong", "--no-warnings", code=2)
    assert f"seed texts not found in {tmp_path / 'wrong'}" in r.stderr and "--seeds DIR" in r.stderr
    assert "--no-quotes" in r.stderr
    r = run("cite", "Operation Clover was launched", "--seeds", tmp_path / "wrong", code=2)
    assert str(tmp_path / "wrong") in r.stderr


def test_validate_of_an_empty_data_folder_is_an_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("validate", "--data", empty, code=2)
    assert f"{empty}: no Turtle (.ttl) files" in r.stderr


@pytest.fixture(scope="module")
def installed_copy(tmp_path_factory):
    """The package built as a wheel and installed (without its dependencies, which the venv has)
    into a folder of its own: what `pip install cse-graph` gives, with no checkout around it."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp / "dist"), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    [wheel] = (tmp / "dist").glob("cse_graph-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(tmp / "site"),
                    str(wheel)], check=True, capture_output=True, timeout=600)
    return tmp


def run_installed(installed_copy, *args, code="from cse_graph.cli import main; main()"):
    env = {k: v for k, v in os.environ.items() if k not in ("CSE_GRAPH_SEEDS", "CSE_GRAPH_SOURCES", "CSE_GRAPH_DATA")}
    env["PYTHONPATH"] = str(installed_copy / "site")
    return subprocess.run([sys.executable, "-c", code, *args], cwd=installed_copy,
                          env=env, capture_output=True, text=True, timeout=300)


def test_an_installed_copy_says_where_the_seeds_must_come_from(installed_copy, seeds_dir):
    p = run_installed(installed_copy, code="import cse_graph; print(cse_graph.__file__)")
    assert p.stdout.strip().startswith(str(installed_copy / "site"))  # the installed copy, not the checkout
    p = run_installed(installed_copy, "cite", "Operation Clover was launched in August 2013")
    assert p.returncode == 2, p.stderr
    assert "installed copy" in p.stderr and "CSE_GRAPH_SEEDS" in p.stderr and "shared/seeds" not in p.stderr
    p = run_installed(installed_copy, "validate", "--no-warnings")
    assert p.returncode == 2 and "installed copy" in p.stderr and "quotes checked" not in p.stdout
    p = run_installed(installed_copy, "cite", "Operation Clover was launched in August 2013", "--seeds", str(seeds_dir),
                      "--format", "json")
    assert p.returncode == 0 and json.loads(p.stdout)[0]["locator"] == "Chapter 4 › Growing scrutiny"
    p = run_installed(installed_copy, "sources", "list", "--format", "json")
    assert p.returncode == 0 and {s["status"] for s in json.loads(p.stdout)} == {"missing"}


def test_registry_files_follow_the_umask(tmp_path):
    """A registry shared with colleagues must be readable by them: 0644 under umask 022, not tempfile's 0600."""
    original = tmp_path / "minutes.txt"
    shutil.copy(MINUTES, original)
    reg = tmp_path / "registry"
    old = os.umask(0o022)
    try:
        run("sources", "add", original, "--id", "minutes", "--sources", reg)
    finally:
        os.umask(old)
    written = [p for p in reg.rglob("*") if p.is_file()]
    assert written and all(p.stat().st_mode & 0o777 == 0o644 for p in written), \
        [(p.name, oct(p.stat().st_mode & 0o777)) for p in written]
