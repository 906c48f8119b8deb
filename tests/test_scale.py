"""The synthetic corpus (benchmarks/synth.py) and the scale benchmark's quick mode.

No timing is asserted anywhere: the benchmark's figures are reported, not tested. What is
tested is that the synthetic data is valid and shaped like the real graph, that every store
gives the same answers on it, and that the benchmark's quick mode (the CI smoke run) works and
would notice if the stores disagreed.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cse_graph.build import compile_graph
from cse_graph.queries import canonical_answer, competency_questions
from cse_graph.validate import validate_store

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"


def _module(name):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(BENCH))
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(BENCH))
    return mod


synth = _module("synth")
scale = _module("scale")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("synth-10k")
    info = synth.generate(d, 10_000, seed=7)
    return d, info


def test_generator_is_deterministic_by_seed(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    synth.generate(a, 10_000, seed=3)
    synth.generate(b, 10_000, seed=3)
    synth.generate(c, 10_000, seed=4)
    files = sorted(p.name for p in a.glob("*.ttl"))
    assert files == sorted(p.name for p in b.glob("*.ttl"))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert any((a / f).read_bytes() != (c / f).read_bytes() for f in files)


def test_synthetic_corpus_validates_and_is_the_size_asked_for(corpus):
    d, _ = corpus
    compiled = compile_graph(d)
    report = validate_store(compiled.store)
    assert report.violations == [], [p.message for p in report.violations[:5]]
    assert report.warnings == [], [p.message for p in report.warnings[:5]]
    assert 8_000 <= compiled.triples <= 12_000


def test_synthetic_corpus_is_shaped_like_the_real_graph(corpus, store):
    """Every kind of entity the real graph has a competency question about is present."""
    from cse_graph.store import OxigraphStore

    d, _ = corpus
    syn = OxigraphStore(compile_graph(d).store)
    q = next(c for c in competency_questions() if c.name == "entities-by-type")
    real = {r["type"]: int(r["entities"]) for r in canonical_answer(store, q.text)["rows"]}
    synthetic = {r["type"]: int(r["entities"]) for r in canonical_answer(syn, q.text)["rows"]}
    missing = sorted(t for t, n in real.items() if n and not synthetic.get(t))
    # the real graph's published figures (cse:Figure) come from its statistics appendix only
    assert missing == ["cse:Figure"]


def _stores(data: Path):
    from cse_graph.cache import ensure_built
    from cse_graph.store import OxigraphStore, RdflibStore

    build = ensure_built(data, progress=None, validate=False)
    out = {"oxigraph": OxigraphStore.open(build.store_dir), "oxigraph-memory": OxigraphStore.load(build.ntriples),
           "rdflib": RdflibStore.open(build.ntriples)}
    for s in out.values():
        s.cache_dir, s.build = build.dir, build
    return out


def test_every_competency_question_agrees_across_stores_on_synthetic_data(corpus):
    d, _ = corpus
    stores = _stores(d)
    nonempty = 0
    for q in competency_questions():
        answers = {name: canonical_answer(s, q.text) for name, s in stores.items()}
        assert answers["oxigraph"] == answers["rdflib"] == answers["oxigraph-memory"], q.name
        nonempty += bool(answers["oxigraph"].get("rows"))
    assert nonempty >= 30   # a comparison of empty answers would prove little


def test_explorer_answers_agree_across_stores_on_synthetic_data(corpus):
    from cse_graph.explore.gaps import gaps
    from cse_graph.explore.lineage import lineage
    from cse_graph.explore.missed import missed
    from cse_graph.explore.timeline import timeline

    d, info = corpus
    stores = _stores(d)
    root = scale.ID + "report/synth-review-0"
    results = {name: {"lineage": lineage(s, root, direction="down", depth=4), "missed": missed(s), "gaps": gaps(s),
                      "timeline": timeline(s, district=scale.ID + "place/synth-region-1")}
               for name, s in stores.items()}
    assert results["oxigraph"]["lineage"]["edges"] and results["oxigraph"]["missed"]
    assert results["oxigraph"] == results["rdflib"] == results["oxigraph-memory"]


def test_quick_benchmark_runs_and_reports_identical_answers(tmp_path):
    out = tmp_path / "scale.json"
    proc = subprocess.run([sys.executable, str(BENCH / "scale.py"), "--quick", "--work", str(tmp_path / "w"),
                           "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "answers identical across the 3 stores at 10k" in proc.stdout
    figures = json.loads(out.read_text())
    res = figures["results"]["10k"]
    for store in scale.STORES:
        for op in scale.OPS:
            assert op in res[store], (store, op)
            assert "seconds" in res[store][op], (store, op, res[store][op])
        assert res[store]["done"]["rss_mb"] > 0
    # the table has one row per operation, and a ratio column
    assert proc.stdout.count("| lineage ") == 1 and "rdflib ÷ memory" in proc.stdout


def test_benchmark_comparison_notices_a_difference(tmp_path):
    files = {s: tmp_path / f"{s}.json" for s in scale.STORES}
    same = {"query a": {"rows": [{"x": "1"}]}, "lineage": [["a", "prompted", "b"]]}
    for f in files.values():
        f.write_text(json.dumps(same))
    assert scale.compare(files) == []
    files["rdflib"].write_text(json.dumps({**same, "query a": {"rows": []}}))
    files["oxigraph"].unlink()
    assert scale.compare(files) == ["oxigraph: no answers written", "rdflib differs from oxigraph-memory on query a"]
