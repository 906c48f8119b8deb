"""The compiled-graph cache: build once, reuse until an input file changes.

Layout under ``cache_root()/<key>/`` (key = hash of the data and ontology folders' paths)::

    lock               flock held while building
    current            JSON pointer {"fingerprint", "dir"} replaced atomically
    b-<fingerprint>/   one finished build:
        store/         pyoxigraph on-disk store (opened read-only by read commands)
        graph.nt       the compiled graph as N-Triples (rdflib store, exports, push)
        entities.pickle  label, type and date of every named entity (explore.description.describe)
        projection.pickle  the networkx projection, written on first use (graph.projection)
        compact-v1/, pathgraph-v1/  the compact CSR projections (cse_graph.compact), written on first use
                           (``cse-graph build`` writes them at once, so no later command pays)
        meta.json      counts, timings, validation summary

The fingerprint is a hash of the path, size and mtime of every input file and of the
package's own modules (a build and its pickles belong to the code that made them; an upgrade or
an edit rebuilds), so checking freshness is some seventy stat calls: about 1.5 ms.  Builds
happen in a temporary folder renamed into place, under a lock, so two commands starting at once
build it only once and a failed build leaves the previous one intact.  Nothing here imports
rdflib unless a build validates.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import __version__, paths
from .text import plural

KEEP_BUILDS = 3
VALIDATE_AT_BUILD_MAX = 300_000   # pySHACL takes minutes beyond this; `cse-graph validate` still checks any size


@dataclass
class Build:
    dir: Path
    fingerprint: str
    meta: dict

    @property
    def store_dir(self) -> Path:
        return self.dir / "store"

    @property
    def ntriples(self) -> Path:
        return self.dir / "graph.nt"


def _inputs(data_dir: Path) -> list[Path]:
    from .build import input_files

    return input_files(data_dir)


def _code_stamp(folder: str = os.path.dirname(os.path.abspath(__file__))) -> str:
    """Size and mtime of the package's own modules: a build (and its pickles) belongs to the
    code that made it. os.scandir, not Path.rglob: this runs on every command's start-up."""
    parts = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            st = entry.stat()
            parts.append(f"{entry.name}\0{st.st_size}\0{st.st_mtime_ns}")
        elif entry.is_dir() and not entry.name.startswith((".", "_")):
            parts.append(f"{entry.name}/{_code_stamp(entry.path)}")
    return "\n".join(parts)


def fingerprint(data_dir: Path) -> str:
    h = hashlib.sha1(__version__.encode())
    h.update(_code_stamp().encode())
    for f in _inputs(data_dir):
        st = f.stat()
        h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def cache_dir_for(data_dir: Path) -> Path:
    key = hashlib.sha1(f"{data_dir.resolve()}\0{paths.ontology_dir().resolve()}".encode()).hexdigest()[:12]
    return paths.cache_root() / key


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_current(base: Path) -> Build | None:
    try:
        cur = json.loads((base / "current").read_text())
        d = base / cur["dir"]
        meta = json.loads((d / "meta.json").read_text())
        return Build(d, cur["fingerprint"], meta)
    except (OSError, ValueError, KeyError):
        return None


def _write_current(base: Path, build_dir: Path, fp: str) -> None:
    tmp = base / f".current.{os.getpid()}"
    tmp.write_text(json.dumps({"fingerprint": fp, "dir": build_dir.name}))
    os.replace(tmp, base / "current")


def _prune(base: Path, keep: Path) -> None:
    builds = sorted((p for p in base.glob("b-*") if p.is_dir() and p != keep), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in builds[KEEP_BUILDS - 1:]:
        shutil.rmtree(old, ignore_errors=True)
    for tmp in base.glob("tmp-*"):
        if time.time() - tmp.stat().st_mtime > 3600:
            shutil.rmtree(tmp, ignore_errors=True)


def stderr_progress(msg: str) -> None:
    """Progress for anything that takes a while, on stderr, only when stderr is a terminal:
    quiet when piped or captured (CSE_GRAPH_PROGRESS=1 forces it on, =0 off)."""
    force = os.environ.get("CSE_GRAPH_PROGRESS")
    if force == "1" or (force != "0" and sys.stderr.isatty()):
        print(f"cse-graph: {msg}", file=sys.stderr, flush=True)


def ensure_built(data_dir: Path | None = None, progress: Callable[[str], None] | None = stderr_progress,
                 force: bool = False, validate: bool = True) -> Build:
    """Return a fresh build for ``data_dir``, building it first if any input changed."""
    data_dir = (data_dir or paths.default_data_dir()).resolve()
    base = cache_dir_for(data_dir)
    fp = fingerprint(data_dir)
    cur = _read_current(base)
    if cur and cur.fingerprint == fp and not force and cur.store_dir.is_dir():
        return cur
    with _locked(base / "lock"):
        cur = _read_current(base)
        if cur and cur.fingerprint == fp and not force and cur.store_dir.is_dir():
            return cur
        return _build(data_dir, base, fp, progress, validate)


def _build(data_dir: Path, base: Path, fp: str, progress, validate: bool) -> Build:
    import pyoxigraph as ox

    from .build import compile_graph

    t0 = time.perf_counter()
    if progress:
        progress(f"building the graph cache from {data_dir} (first run, or an input changed)")
    tmp = base / f"tmp-{fp}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        compiled = compile_graph(data_dir, progress)
        t_compile = time.perf_counter() - t0
        nt = tmp / "graph.nt"
        nt.write_bytes(compiled.ntriples)
        if progress:
            progress(f"writing the store ({compiled.triples} triples)")
        t1 = time.perf_counter()
        disk = ox.Store(str(tmp / "store"))
        disk.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        disk.flush()
        del disk
        t_store = time.perf_counter() - t1
        import pickle

        from .entities import INDEX_FILE

        with open(tmp / INDEX_FILE, "wb") as fh:
            pickle.dump(compiled.entities, fh, protocol=pickle.HIGHEST_PROTOCOL)
        summary = None
        if validate and compiled.triples > VALIDATE_AT_BUILD_MAX:
            summary = {"skipped": f"over {VALIDATE_AT_BUILD_MAX} triples: run `cse-graph validate`"}
        elif validate:
            if progress:
                progress("validating against ontology/shapes.ttl and queries/checks/")
            from .validate import validate_store

            rep = validate_store(compiled.store, quotes=False)
            summary = {"conforms": rep.conforms, "violations": len(rep.violations), "warnings": len(rep.warnings)}
        meta = {
            "fingerprint": fp,
            "version": __version__,
            "data_dir": str(data_dir),
            "files": [str(f) for f in compiled.files],
            "triples": compiled.triples,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "compile_seconds": round(t_compile, 3),
            "store_seconds": round(t_store, 3),
            "build_seconds": round(time.perf_counter() - t0, 3),
            "validation": summary,
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2))
        final = base / f"b-{fp}"
        if final.exists():
            shutil.rmtree(final)
        os.rename(tmp, final)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError) and not e.filename:
            e.filename = str(tmp)           # a failed write (disk full) names the cache folder
        raise
    _write_current(base, final, fp)
    _prune(base, final)
    if progress:
        v = (f"; {plural(summary['violations'], 'violation')}, {plural(summary['warnings'], 'warning')}"
             if summary and "violations" in summary
             else (f"; validation {summary['skipped']}" if summary else ""))
        progress(f"built {meta['triples']} triples in {meta['build_seconds']} s{v}")
    return Build(final, fp, meta)
