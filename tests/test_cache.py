"""The compiled-graph cache: reused while nothing changes, rebuilt when an input or the code
changes, built once when two commands start together, and never lost to a failed build."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time

import pytest

from cse_graph import cache
from cse_graph.build import DataFileError
from cse_graph.store import Lit, OxigraphStore

from .conftest import FIXTURES, ROOT, make_data_dir

TINY = FIXTURES / "tiny" / "tiny.ttl"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def triples(build) -> int:
    return int(OxigraphStore.open(build.store_dir).select(COUNT)[0]["n"].value)


def builds(data) -> list[str]:
    return sorted(p.name for p in cache.cache_dir_for(data.resolve()).glob("b-*"))


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("CSE_GRAPH_CACHE", str(tmp_path / "cache"))
    return make_data_dir(tmp_path, TINY)


def test_unchanged_inputs_reuse_the_build(data):
    first = cache.ensure_built(data, progress=None, validate=False)
    again = cache.ensure_built(data, progress=None, validate=False)
    assert again.dir == first.dir and again.meta["built_at"] == first.meta["built_at"]
    assert builds(data) == [first.dir.name]


def test_a_changed_data_file_is_rebuilt_and_seen(data):
    first = cache.ensure_built(data, progress=None, validate=False)
    extra = data / "extra.ttl"
    extra.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    second = cache.ensure_built(data, progress=None, validate=False)
    assert second.fingerprint != first.fingerprint
    assert triples(second) == triples(first) + 1
    # an edit that keeps the size still counts (mtime is part of the fingerprint)
    os.utime(extra, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    assert cache.ensure_built(data, progress=None, validate=False).fingerprint != second.fingerprint


def test_a_code_change_invalidates_the_build(data, monkeypatch):
    first = cache.ensure_built(data, progress=None, validate=False)
    monkeypatch.setattr(cache, "_code_stamp", lambda: "another version of the code")
    second = cache.ensure_built(data, progress=None, validate=False)
    assert second.fingerprint != first.fingerprint and second.dir != first.dir


def test_code_stamp_follows_every_module_including_subpackages(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.py").write_text("y = 1\n")
    (tmp_path / "notes.txt").write_text("not code\n")
    before = cache._code_stamp(str(tmp_path))
    (tmp_path / "notes.txt").write_text("still not code, but longer\n")
    assert cache._code_stamp(str(tmp_path)) == before
    (tmp_path / "sub" / "b.py").write_text("y = 22\n")
    assert cache._code_stamp(str(tmp_path)) != before


def test_a_failed_build_keeps_the_previous_one(data):
    good = cache.ensure_built(data, progress=None, validate=False)
    (data / "broken.ttl").write_text("<https://example.org/a> <https://example.org/b> .\n")
    with pytest.raises(DataFileError) as e:
        cache.ensure_built(data, progress=None, validate=False)
    assert "broken.ttl" in str(e.value)
    base = cache.cache_dir_for(data.resolve())
    assert json.loads((base / "current").read_text())["dir"] == good.dir.name
    assert good.store_dir.is_dir() and not list(base.glob("tmp-*"))
    (data / "broken.ttl").unlink()
    assert cache.ensure_built(data, progress=None, validate=False).dir == good.dir


def test_two_processes_starting_together_build_once(data, tmp_path):
    code = ("import json, sys; from pathlib import Path; from cse_graph.cache import ensure_built; "
            "b = ensure_built(Path(sys.argv[1]), progress=lambda m: print('progress', m, file=sys.stderr), "
            "validate=False); print(json.dumps({'dir': str(b.dir), 'built_at': b.meta['built_at']}))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    answers = [json.loads(o[0]) for o in outs]
    assert answers[0] == answers[1]                       # both got the same finished build
    built = sum("building the graph cache" in o[1] for o in outs)
    assert built == 1, [o[1] for o in outs]                # and only one of them compiled it
    assert len(builds(data)) == 1


def test_literals_compare_hash_and_pickle_by_value():
    a, b = Lit("2", "http://www.w3.org/2001/XMLSchema#integer"), Lit("2", "http://www.w3.org/2001/XMLSchema#integer")
    assert a == b and hash(a) == hash(b) and {a, b} == {a}
    assert a != Lit("2") and a != Lit("2", None, "en") and a != "2"
    assert pickle.loads(pickle.dumps(a)) == a and a.py() == 2 and str(a) == "2"
    assert "datatype=" in repr(a)
