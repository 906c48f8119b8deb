"""A pool of worker processes that run SPARQL on the cached pyoxigraph store.

Each worker opens the on-disk store read-only and answers one query at a time over a pipe.
The HTTP front end waits for an answer up to the time limit; a worker that overruns is killed
and replaced, so a runaway query costs one worker for ``timeout`` seconds and never the server.
Results are capped at ``max_rows`` (rows for SELECT, triples for CONSTRUCT/DESCRIBE).
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass

from ..vocab import PREFIXES


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    rows: int | None = None


def _term(t):
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    return ("literal", t.value, t.datatype.value if t.datatype is not None else None, t.language)


def execute(store, query: str, kind: str, fmt: str, max_rows: int, default_graph: str | None) -> Answer:
    import pyoxigraph as ox

    from .results import FORMATS, GRAPH_FORMATS, WRITERS

    kwargs = {"prefixes": {k: v for k, v in PREFIXES.items()}}
    if default_graph:
        kwargs["default_graph"] = ox.NamedNode(default_graph)
    res = store.query(query, **kwargs)
    if isinstance(res, ox.QueryBoolean):
        return Answer(200, FORMATS[fmt], WRITERS[fmt]([], [], bool(res)), None)
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = []
        for sol in res:
            rows.append(tuple(_term(sol[v]) for v in names))
            if len(rows) > max_rows:
                return too_many(max_rows)
        return Answer(200, FORMATS[fmt], WRITERS[fmt](names, rows), len(rows))
    triples = []
    for t in res:
        triples.append(t)
        if len(triples) > max_rows:
            return too_many(max_rows)
    target = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
              "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    extra = {"prefixes": PREFIXES} if fmt in ("turtle", "jsonld") else {}
    body = ox.serialize(triples, format=target, **extra) or b""
    return Answer(200, GRAPH_FORMATS[fmt], body, len(triples))


def too_many(cap: int) -> Answer:
    return Answer(422, "text/plain; charset=utf-8",
                  f"The result has more than {cap} rows, the server's cap: add LIMIT (and OFFSET to page through), "
                  f"or start the server with a larger --max-rows.\n".encode())


def _worker(conn, store_dir: str) -> None:
    import pyoxigraph as ox

    store = ox.Store.read_only(store_dir)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = execute(store, *msg)
        except SyntaxError as e:
            answer = Answer(400, "text/plain; charset=utf-8", f"Malformed query: {e}\n".encode())
        except Exception as e:  # noqa: BLE001 — never a stack trace to the client
            answer = Answer(500, "text/plain; charset=utf-8", f"The query failed: {type(e).__name__}: {e}\n".encode())
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return


class Worker:
    def __init__(self, ctx, store_dir: str):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, store_dir), daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(timeout=5)
        except (OSError, ValueError):
            pass
        self.conn.close()


class Pool:
    def __init__(self, store_dir: str, size: int = 2, timeout: float = 10.0, max_rows: int = 10000):
        self.store_dir, self.size, self.timeout, self.max_rows = store_dir, size, timeout, max_rows
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.all: list[Worker] = []
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        w = Worker(self.ctx, self.store_dir)
        with self.lock:
            self.all.append(w)
        self.idle.put(w)

    def _retire(self, w: Worker) -> None:
        w.kill()
        with self.lock:
            if w in self.all:
                self.all.remove(w)
        self._add()

    def run(self, query: str, kind: str, fmt: str, default_graph: str | None = None) -> Answer:
        try:
            w = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            return Answer(503, "text/plain; charset=utf-8",
                          f"Every worker is busy (the server runs {self.size} queries at a time): try again.\n".encode())
        try:
            w.conn.send((query, kind, fmt, self.max_rows, default_graph))
            if w.conn.poll(self.timeout):
                answer = w.conn.recv()
                self.idle.put(w)
                return answer
            threading.Thread(target=self._retire, args=(w,), daemon=True).start()
            return Answer(503, "text/plain; charset=utf-8",
                          f"The query exceeded the time limit of {self.timeout:g} s and was stopped: "
                          f"narrow it, add LIMIT, or start the server with a larger --timeout.\n".encode())
        except (EOFError, BrokenPipeError, OSError):
            threading.Thread(target=self._retire, args=(w,), daemon=True).start()
            return Answer(500, "text/plain; charset=utf-8", b"The query worker stopped unexpectedly; it has been replaced.\n")

    def close(self) -> None:
        with self.lock:
            workers = list(self.all)
            self.all.clear()
        for w in workers:
            w.kill()
