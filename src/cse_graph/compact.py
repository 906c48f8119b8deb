"""The influence graph in a compact form that loads in milliseconds: CSR arrays, memory-mapped.

Why not the networkx projection: it is a dict-of-dicts of Python objects with every edge's
evidence inside, unpickled whole on every first use (5.9 s at a million triples, issue 13).
Why not rustworkx or igraph: both would be a new compiled dependency for what numpy and scipy —
already required — do here: the graph is a few integer arrays (``indptr``/``indices`` of the
cause → effect and effect → cause adjacency, one relation code per edge) saved as ``.npy`` files
and opened with ``numpy.load(mmap_mode="r")`` (the OS pages in only what a query touches), and
scipy's compiled ``csgraph`` does the breadth-first searches. The node table (id, type, label,
earliest date) is one tab-separated text file: reading 100k lines is a split, not an unpickle.
Evidence is not stored here: an answer fetches the evidence of the few edges it shows from the store.

Kept beside an embedded store's build (``compact-v1/``); built in memory for a remote store.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .store import Store
from .vocab import LINEAGE_RELATIONS

RELATIONS = LINEAGE_RELATIONS
VERSION = "compact-v1"


@dataclass
class CompactGraph:
    ids: list[str]
    types: list[str]
    labels: list[str]
    earliest: list[str]          # "" when undated
    out_ptr: np.ndarray          # CSR of cause → effect
    out_idx: np.ndarray
    out_rel: np.ndarray          # index into RELATIONS, per out edge
    in_ptr: np.ndarray           # CSR of effect → cause
    in_idx: np.ndarray
    in_rel: np.ndarray
    _index: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {n: i for i, n in enumerate(self.ids)}
        return self._index

    @property
    def edge_count(self) -> int:
        return int(self.out_ptr[-1]) if len(self.out_ptr) else 0

    def successors(self, i: int) -> np.ndarray:
        return self.out_idx[self.out_ptr[i]:self.out_ptr[i + 1]]

    def predecessors(self, i: int) -> np.ndarray:
        return self.in_idx[self.in_ptr[i]:self.in_ptr[i + 1]]

    def matrix(self, reverse: bool = False, skip: tuple[str, ...] = ()):
        """The adjacency as a scipy CSR matrix (cause → effect, or reversed), leaving out relations in ``skip``."""
        from scipy.sparse import csr_matrix

        ptr, idx, rel = (self.in_ptr, self.in_idx, self.in_rel) if reverse else (self.out_ptr, self.out_idx, self.out_rel)
        n = len(self.ids)
        if skip:
            codes = [RELATIONS.index(s) for s in skip]
            keep = ~np.isin(np.asarray(rel), codes)
            rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(np.asarray(ptr)))[keep]
            cols = np.asarray(idx)[keep]
            return csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, n))
        return csr_matrix((np.ones(len(idx), dtype=np.float64), np.asarray(idx), np.asarray(ptr)), shape=(n, n))


def _csr(n: int, src: np.ndarray, dst: np.ndarray, rel: np.ndarray):
    order = np.lexsort((dst, src))
    src, dst, rel = src[order], dst[order], rel[order]
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(ptr, src + 1, 1)
    return np.cumsum(ptr), dst.astype(np.int32), rel.astype(np.int8)


def build_compact(store: Store) -> CompactGraph:
    """Every influence edge (the five lineage relations) and every named entity, in CSR form."""
    from .explore.description import describe, entity_index, stored_index
    from .explore.lineage import all_influence_edges

    edges = {(e["source"], e["target"], e["relation"]) for e in all_influence_edges(store)}
    idx = stored_index(store) or entity_index(store)
    node_ids = sorted(set(idx) | {s for s, _, _ in edges} | {t for _, t, _ in edges})
    info = describe(store, node_ids)
    pos = {n: i for i, n in enumerate(node_ids)}
    src = np.fromiter((pos[s] for s, _, _ in edges), dtype=np.int64, count=len(edges))
    dst = np.fromiter((pos[t] for _, t, _ in edges), dtype=np.int64, count=len(edges))
    rel = np.fromiter((RELATIONS.index(r) for _, _, r in edges), dtype=np.int64, count=len(edges))
    n = len(node_ids)
    out_ptr, out_idx, out_rel = _csr(n, src, dst, rel)
    in_ptr, in_idx, in_rel = _csr(n, dst, src, rel)
    return CompactGraph(node_ids, [info[x]["type"] for x in node_ids], [info[x]["label"] for x in node_ids],
                        [(info[x]["date"] or {}).get("earliest", "") for x in node_ids],
                        out_ptr, out_idx, out_rel, in_ptr, in_idx, in_rel)


_ARRAYS = ("out_ptr", "out_idx", "out_rel", "in_ptr", "in_idx", "in_rel")


def _write_folder(folder: Path, g, arrays: tuple[str, ...], columns: list[list[str]], write_more=None) -> None:
    """The arrays as .npy and the node table as nodes.tsv, written into a temporary folder and
    renamed into place, so a reader never sees half of it (another process winning the race keeps theirs)."""
    tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in arrays:
        np.save(tmp / f"{name}.npy", getattr(g, name))
    rows = ("\t".join(str(v).replace("\t", " ").replace("\n", " ") for v in row) + "\n" for row in zip(*columns))
    (tmp / "nodes.tsv").write_text("".join(rows), encoding="utf-8")
    if write_more:
        write_more(tmp)
    try:
        os.replace(tmp, folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


def save(g: CompactGraph, folder: Path) -> None:
    _write_folder(folder, g, _ARRAYS, [g.ids, g.types, g.labels, g.earliest])


def load(folder: Path) -> CompactGraph:
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
    text = (folder / "nodes.tsv").read_text(encoding="utf-8")
    cols = [line.split("\t") for line in text.split("\n") if line]
    ids = [c[0] for c in cols]
    return CompactGraph(ids, [c[1] for c in cols], [c[2] for c in cols], [c[3] for c in cols], **arrays)


def _cached(store: Store, attr: str, version: str, load_fn, build_fn, save_fn):
    """The projection held on the store as ``attr``, else loaded from the build folder, else built
    (and saved there for the next process, when the store has a build folder and it is writable)."""
    g = getattr(store, attr, None)
    if g is not None:
        return g
    cache_dir: Path | None = getattr(store, "cache_dir", None)
    folder = cache_dir / version if cache_dir else None
    if folder is not None and (folder / "nodes.tsv").is_file():
        try:
            g = load_fn(folder)
        except (OSError, ValueError):
            g = None
    if g is None:
        g = build_fn(store)
        if folder is not None:
            try:
                save_fn(g, folder)
            except OSError:
                pass
    setattr(store, attr, g)
    return g


def compact(store: Store) -> CompactGraph:
    """The compact influence graph, cached beside the build for an embedded store."""
    return _cached(store, "_compact", VERSION, load, build_compact, save)


# ---------------------------------------------------------------------------
# The path graph: every evidence-backed link of the projection, undirected and weighted
# ---------------------------------------------------------------------------

PATH_VERSION = "pathgraph-v1"
# Edges whose own evidence states them weigh least; structural links stated by an entity's
# description weigh more, and the vaguest relations most, so paths prefer cited steps.
WEIGHT = {"edge": 1.0, "entity": 1.5}
VAGUE = {"concerns": 1.0, "associated with": 1.0, "related to": 1.0, "would act": 0.5}


@dataclass
class PathGraph:
    """Undirected CSR (``ptr``/``idx``/``w``) over the nodes of ``nodes.tsv``; ``link`` gives, per CSR
    entry, the pair's best link: its recorded source and target, relation and confidence codes, and
    the line of ``qualified.txt`` (read by offset) naming the nodes whose evidence it carries."""
    ids: list[str]
    types: list[str]
    labels: list[str]
    ptr: np.ndarray
    idx: np.ndarray
    w: np.ndarray
    link: np.ndarray
    link_src: np.ndarray
    link_dst: np.ndarray
    link_rel: np.ndarray
    link_conf: np.ndarray
    q_offsets: np.ndarray
    names: list[str]             # relation names, then confidence names (codes index into it)
    qualified_file: Path | None = None
    qualified_lines: list[str] | None = None
    _index: dict[str, int] | None = None

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {n: i for i, n in enumerate(self.ids)}
        return self._index

    def qualified(self, link: int) -> list[str]:
        if self.qualified_lines is not None:
            line = self.qualified_lines[link]
        else:
            with open(self.qualified_file, "rb") as fh:
                fh.seek(int(self.q_offsets[link]))
                line = fh.readline().decode("utf-8")
        return line.split()

    def matrix(self):
        from scipy.sparse import csr_matrix

        n = len(self.ids)
        return csr_matrix((np.asarray(self.w), np.asarray(self.idx), np.asarray(self.ptr)), shape=(n, n))


def build_path_graph(store: Store) -> PathGraph:
    from .explore.description import describe
    from .graph import raw_edges

    edges = raw_edges(store)
    with_evidence = {str(r["n"]) for r in store.select("SELECT DISTINCT ?n WHERE { ?n cse:evidence ?e }")}
    pairs: dict[tuple[str, str], tuple[float, tuple]] = {}
    for key in sorted(edges):                        # the projection's edge order: first minimum wins a tie
        e = edges[key]
        if not any(q in with_evidence for q in e["qualified"]):
            continue                                 # only evidence-backed steps
        s, t, rel = key
        w = WEIGHT.get(e["scope"], 1.5) + VAGUE.get(rel, 0.0)
        pair = (s, t) if s <= t else (t, s)
        if pair not in pairs or w < pairs[pair][0]:
            pairs[pair] = (w, (s, t, rel, e["confidence"], [q for q in dict.fromkeys(e["qualified"]) if q in with_evidence]))
    node_ids = sorted({x for p in pairs for x in p})
    info = describe(store, node_ids)
    pos = {n: i for i, n in enumerate(node_ids)}
    names: list[str] = []
    code: dict[str, int] = {}

    def c(name):
        if name not in code:
            code[name] = len(names)
            names.append(name)
        return code[name]

    links = list(pairs.values())
    link_src = np.array([pos[x[1][0]] for x in links], dtype=np.int32)
    link_dst = np.array([pos[x[1][1]] for x in links], dtype=np.int32)
    link_rel = np.array([c(x[1][2]) for x in links], dtype=np.int16)
    link_conf = np.array([c(x[1][3] or "") for x in links], dtype=np.int16)
    lines = [" ".join(x[1][4]) for x in links]
    u = np.concatenate([link_src, link_dst]).astype(np.int64)
    v = np.concatenate([link_dst, link_src]).astype(np.int64)
    w = np.concatenate([[x[0] for x in links]] * 2).astype(np.float64) if links else np.zeros(0)
    li = np.concatenate([np.arange(len(links))] * 2).astype(np.int32) if links else np.zeros(0, dtype=np.int32)
    order = np.lexsort((v, u))
    u, v, w, li = u[order], v[order], w[order], li[order]
    n = len(node_ids)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(ptr, u + 1, 1)
    ptr = np.cumsum(ptr)
    offsets = np.zeros(len(lines), dtype=np.int64)
    pos_ = 0
    for i, line in enumerate(lines):
        offsets[i] = pos_
        pos_ += len(line.encode("utf-8")) + 1
    return PathGraph(node_ids, [info[x]["type"] for x in node_ids], [info[x]["label"] for x in node_ids],
                     ptr, v.astype(np.int32), w, li, link_src, link_dst, link_rel, link_conf, offsets, names,
                     qualified_lines=lines)


_PATH_ARRAYS = ("ptr", "idx", "w", "link", "link_src", "link_dst", "link_rel", "link_conf", "q_offsets")


def save_path_graph(g: PathGraph, folder: Path) -> None:
    def more(tmp: Path) -> None:
        (tmp / "names.txt").write_text("".join(f"{x}\n" for x in g.names), encoding="utf-8")
        with open(tmp / "qualified.txt", "wb") as fh:
            for line in g.qualified_lines or []:
                fh.write(line.encode("utf-8") + b"\n")

    _write_folder(folder, g, _PATH_ARRAYS, [g.ids, g.types, g.labels], more)


def load_path_graph(folder: Path) -> PathGraph:
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _PATH_ARRAYS}
    cols = [line.split("\t") for line in (folder / "nodes.tsv").read_text(encoding="utf-8").split("\n") if line]
    names = (folder / "names.txt").read_text(encoding="utf-8").split("\n")[:-1]
    return PathGraph([c[0] for c in cols], [c[1] for c in cols], [c[2] for c in cols], names=names,
                     qualified_file=folder / "qualified.txt", **arrays)


def path_graph(store: Store) -> PathGraph:
    """The path graph, cached beside the build for an embedded store."""
    return _cached(store, "_path_graph", PATH_VERSION, load_path_graph, build_path_graph, save_path_graph)
