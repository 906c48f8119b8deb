"""Worker processes that run SPARQL on a read-only pyoxigraph store, scheduled so that a fast
query never waits behind slow ones.

Each worker opens the store read-only and answers one query at a time over a pipe.  A worker
that overruns its time budget is killed and replaced, so a runaway query costs one worker for at
most the time limit and never the server.  Results are capped at ``max_rows``.

Fairness: two lanes, and the CPU.  ``workers`` *general* workers run any query for up to ``timeout`` seconds;
``fast_workers`` *fast-lane* workers (default 2) are used only when every general worker is busy,
and give a query at most ``fast_timeout`` seconds (default 1 s).  A query that overruns the fast
lane is stopped there (the worker is replaced) and goes on waiting for a general worker within
its own overall time limit, so it loses nothing but the fast-lane second.  With every general
worker held by a runaway, a trivial query therefore runs at once in the fast lane; a fast query
waits only when heavy queries the server has not seen before fill every general *and* fast
worker at once, and then for at most one ``fast_timeout`` (a warm spare takes a stopped worker's
place at once).  Two fast workers by default, so that one unseen heavy query in the fast lane
still leaves one free (measured: fast-query p99 1.7 s with one, 0.3 s with two, in the mixed
benchmark on a loaded 2-core machine).  Waiting requests hold no thread (an asyncio future each),
so a crowd of queued clients cannot starve the dispatcher.  A query still running after
``fast_timeout`` in a general worker is reniced (nice 15) so that on a small machine the runaways
do not take the CPU from the fast lane, and a killed worker's place is taken at once by a warm
spare process (a new spare starts in the background).  A query text (with its dataset) seen to outrun
the fast lane, to run over twice the fast budget in a general worker, or to hit the time limit,
is remembered (the last 4096, for ten minutes) and, sent again, waits for a general worker
instead of taking the fast lane for a second each time — clients that resend a heavy query cannot
keep the fast lane busy.  A remembered query that then runs in under half the fast budget in a
general worker is forgotten again (it had only met a busy machine).

Safety in the worker, before any query runs:
  * ``resource.setrlimit(RLIMIT_DATA)`` caps its heap (``max_memory``): an allocation beyond it
    fails, the worker dies or reports it, the client gets 507 and the worker is replaced;
  * without an operator's ``--allow-service`` list the worker moves into its own empty network
    namespace where the kernel allows it (Linux user namespaces), so even a query that slipped past
    the SERVICE check (``guard.py``) could not reach any address — belt and braces;
  * SIGINT is ignored (Ctrl-C in a terminal reaches the whole process group; the parent stops the
    workers itself) and the worker asks the kernel to kill it if the parent dies.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import multiprocessing as mp
import os
import signal
import time
from dataclasses import dataclass, field

from ..vocab import GRAPH, PREFIXES

TEXT = "text/plain; charset=utf-8"


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    rows: int | None = None
    headers: dict = field(default_factory=dict)


def text(status: int, message: str, **headers) -> Answer:
    return Answer(status, TEXT, (message.rstrip() + "\n").encode("utf-8"), headers=headers)


@dataclass
class Request:
    query: str
    accept: str | None = None
    fmt: str | None = None                  # the format= parameter
    default_graphs: list[str] | None = None  # default-graph-uri (None: not given)
    named_graphs: list[str] | None = None    # named-graph-uri (None: not given)
    base_iri: str | None = None


# ------------------------------------------------------------------------------------------------
# In the worker process
# ------------------------------------------------------------------------------------------------

def _term(t):
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    if isinstance(t, ox.Literal):
        return ("literal", t.value, t.datatype.value if t.datatype is not None else None, t.language)
    return ("literal", str(t), None, None)   # an RDF-star triple term, written as text


def too_many(cap: int) -> Answer:
    return text(422, f"The result has more than {cap} rows, the server's cap: add LIMIT (and OFFSET to page through), "
                     f"or start the server with a larger --max-rows.")


def execute(store, req: Request, max_rows: int, allow_service: tuple[str, ...] = ()) -> Answer:
    import pyoxigraph as ox

    from .guard import Refused, check, keyword_tokens
    from .results import FORMATS, GRAPH_FORMATS, WRITERS, negotiate

    try:
        checked = check(req.query, allow_service)
    except Refused as e:
        return text(e.status, str(e))
    kwargs = {"prefixes": dict(PREFIXES)}
    if req.base_iri:
        kwargs["base_iri"] = req.base_iri
    # The data is the named graph <GRAPH>, which is also the default graph unless the request
    # (default-graph-uri / named-graph-uri, which win) or the query (FROM / FROM NAMED) says otherwise.
    if req.default_graphs is not None or req.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs or []]
    elif not (checked.has_dataset or (not checked.kind and "FROM" in keyword_tokens(req.query))):
        kwargs["default_graph"] = ox.NamedNode(GRAPH)
    try:
        res = store.query(req.query, **kwargs)
        if isinstance(res, ox.QueryBoolean):
            fmt = negotiate(req.accept, FORMATS, "json", req.fmt)
            if fmt is None:
                return not_acceptable(FORMATS)
            return Answer(200, FORMATS[fmt], WRITERS[fmt]([], [], bool(res)), None)
        if isinstance(res, ox.QuerySolutions):
            fmt = negotiate(req.accept, FORMATS, "json", req.fmt)
            if fmt is None:
                return not_acceptable(FORMATS)
            names = [v.value for v in res.variables]
            rows = []
            for sol in res:
                rows.append(tuple(_term(sol[v]) for v in names))
                if len(rows) > max_rows:
                    return too_many(max_rows)
            return Answer(200, FORMATS[fmt], WRITERS[fmt](names, rows), len(rows))
        fmt = negotiate(req.accept, GRAPH_FORMATS, "turtle", req.fmt)
        if fmt is None:
            return not_acceptable(GRAPH_FORMATS)
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
    except SyntaxError as e:
        from ..queries import query_kind
        from ..store import QueryError

        try:
            query_kind(req.query)
        except QueryError as qe:
            if "Update" in str(qe):
                return text(403, "SPARQL Update is refused: this endpoint is read-only.")
        from ..engine import shorten_parser_message

        return text(400, f"Malformed query: {shorten_parser_message(str(e))}")
    except MemoryError:
        return memory_answer(None)


def not_acceptable(choices: dict) -> Answer:
    return text(406, f"Cannot answer in the requested format; available: {', '.join(choices.values())}.")


def memory_answer(limit: int | None) -> Answer:
    size = f" of {limit // (1 << 20)} MiB" if limit else ""
    return text(507, f"The query needed more memory than a worker may use (the per-worker limit{size}) and was "
                     f"stopped: narrow it (ORDER BY or GROUP BY over a large join is the usual cause), add LIMIT, "
                     f"or start the server with a larger --max-memory.")


def _no_network() -> bool:
    """Move this (still single-threaded) process into a new user + network namespace: no route to
    anywhere, not even loopback. Best effort: False where the kernel does not allow it."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(0x10000000 | 0x40000000) == 0   # CLONE_NEWUSER | CLONE_NEWNET
    except (OSError, AttributeError):
        return False


def _die_with_parent() -> None:
    import ctypes

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker(conn, store_dir: str, max_rows: int, max_memory: int | None, allow_service: tuple[str, ...]) -> None:
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    _die_with_parent()
    isolated = False if allow_service else _no_network()
    if max_memory:
        resource.setrlimit(resource.RLIMIT_DATA, (max_memory, max_memory))
    try:
        import pyoxigraph as ox

        from . import guard  # noqa: F401 — import rdflib's parser now, not on the first query

        store = ox.Store.read_only(store_dir)
        guard.check("ASK {}")
        conn.send(("ready", isolated))
    except BaseException as e:  # noqa: BLE001
        conn.send(("failed", f"{type(e).__name__}: {e}"))
        return
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            answer = execute(store, req, max_rows, allow_service)
        except MemoryError:
            answer = memory_answer(max_memory)
        except Exception as e:  # noqa: BLE001 — never a stack trace to the client
            answer = text(500, f"The query failed: {type(e).__name__}: {e}")
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return


# ------------------------------------------------------------------------------------------------
# In the server process
# ------------------------------------------------------------------------------------------------

def SHUTTING_DOWN() -> Answer:
    return text(503, "The server is shutting down.", **{"Retry-After": "5"})


class Overrun(Exception):
    pass


class Died(Exception):
    pass


class Worker:
    """One worker process. Created, called and killed from executor threads (all blocking)."""

    def __init__(self, ctx, lane: str, args: tuple):
        self.lane = lane
        # the child starts with SIGINT/SIGTERM blocked (the mask survives fork and exec) until it
        # has set its own handlers, so Ctrl-C during its start-up cannot print a traceback
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, *args), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(120):
            self.kill()
            raise RuntimeError("a query worker did not start within 120 s")
        try:
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            status, detail = "failed", f"exit code {self.proc.exitcode}"
        if status != "ready":
            self.kill()
            raise RuntimeError(f"a query worker could not open the store: {detail}")
        self.isolated = detail

    def call(self, req: Request, budget: float) -> Answer:
        try:
            self.conn.send(req)
            if not self.conn.poll(max(budget, 0.001)):
                raise Overrun()
            return self.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            self.proc.join(timeout=2)
            raise Died(self.proc.exitcode) from None

    niced = False

    def renice(self, value: int) -> bool:
        """Set the worker's CPU priority; False when not allowed (only root may lower it again)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.proc.pid, value)
        except OSError:
            return False
        self.niced = value > 0
        return True

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass
        try:
            self.conn.close()
        except OSError:
            pass


class Pool:
    def __init__(self, store_dir: str, workers: int = 2, fast_workers: int = 2, timeout: float = 10.0,
                 fast_timeout: float = 1.0, max_rows: int = 10000, max_memory: int | None = None,
                 allow_service: tuple[str, ...] = ()):
        self.size, self.fast_size = workers, fast_workers
        self.timeout, self.fast_timeout = timeout, min(fast_timeout, timeout)
        self.max_memory = max_memory
        self.args = (store_dir, max_rows, max_memory, tuple(allow_service))
        self.ctx = mp.get_context("spawn")
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=2 * (workers + fast_workers) + 4,
                                                              thread_name_prefix="sparql")
        self.idle: dict[str, collections.deque[Worker]] = {"general": collections.deque(), "fast": collections.deque()}
        self.waiters: collections.deque[tuple[tuple[str, ...], asyncio.Future]] = collections.deque()
        self.live: set[Worker] = set()
        self.spares: collections.deque[Worker] = collections.deque()   # started, idle, in no lane yet
        self.long_running: collections.OrderedDict[int, float] = collections.OrderedDict()  # query → when seen long
        self.tasks: set[asyncio.Task] = set()
        self.closed = False
        self.isolated = False

    # --- life cycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        lanes = ["general"] * self.size + ["fast"] * self.fast_size + ["spare"]
        workers = await asyncio.gather(*(self._spawn(lane) for lane in lanes))
        self.isolated = all(w.isolated for w in workers)
        for w in workers:
            if w.lane == "spare":
                self.spares.append(w)
            else:
                self._release(w)

    async def _spawn(self, lane: str) -> Worker:
        w = await self.loop.run_in_executor(self.executor, Worker, self.ctx, lane, self.args)
        self.live.add(w)
        return w

    def _replace(self, w: Worker) -> None:
        """Stop W and put a worker in its lane: the warm spare at once if there is one (starting
        a process costs a second of CPU on a busy machine), then start a new spare."""
        self.live.discard(w)
        lane = w.lane
        if self.spares and not self.closed:
            spare = self.spares.popleft()
            spare.lane, lane = lane, "spare"
            self._release(spare)

        async def go():
            await self.loop.run_in_executor(self.executor, w.kill)
            if self.closed:
                return
            try:
                new = await self._spawn(lane)
            except RuntimeError:
                return
            if self.closed:
                await self.loop.run_in_executor(self.executor, new.kill)
            elif lane == "spare":
                self.spares.append(new)
            else:
                self._release(new)

        t = self.loop.create_task(go())
        self.tasks.add(t)
        t.add_done_callback(self.tasks.discard)

    def abort(self) -> None:
        """On SIGINT/SIGTERM: answer every waiting and running request at once (503), so the
        HTTP server's graceful shutdown has nothing left to wait for."""
        self.closed = True
        for _, fut in list(self.waiters):
            if not fut.done():
                fut.set_result(None)
        self.waiters.clear()
        for w in list(self.live):
            self.loop.run_in_executor(self.executor, w.kill)

    async def close(self) -> None:
        self.closed = True
        for t in list(self.tasks):
            try:
                await asyncio.wait_for(t, 10)
            except (asyncio.TimeoutError, asyncio.CancelledError, Exception):  # noqa: BLE001
                pass
        workers = list(self.live)
        self.live.clear()
        await asyncio.gather(*(self.loop.run_in_executor(self.executor, w.kill) for w in workers))
        self.executor.shutdown(wait=False, cancel_futures=True)

    # --- scheduling ---------------------------------------------------------------------------
    def _release(self, w: Worker) -> None:
        if self.closed or w not in self.live:
            return
        for entry in list(self.waiters):
            lanes, fut = entry
            if fut.done():
                self.waiters.remove(entry)
            elif w.lane in lanes:
                self.waiters.remove(entry)
                fut.set_result(w)
                return
        self.idle[w.lane].append(w)

    async def _acquire(self, lanes: tuple[str, ...], deadline: float) -> Worker | None:
        for lane in lanes:
            if self.idle[lane]:
                return self.idle[lane].popleft()
        fut = self.loop.create_future()
        entry = (lanes, fut)
        self.waiters.append(entry)
        try:
            return await asyncio.wait_for(fut, max(deadline - time.monotonic(), 0))
        except asyncio.TimeoutError:
            return None
        finally:
            if entry in self.waiters:
                self.waiters.remove(entry)
            if fut.done() and not fut.cancelled() and asyncio.current_task().cancelling():
                self._release(fut.result())   # the client went away just as a worker was handed over

    LONG_MEMORY = 600.0   # seconds a query stays known as long-running

    def _mark_long(self, key: int) -> None:
        self.long_running[key] = time.monotonic()
        self.long_running.move_to_end(key)
        while len(self.long_running) > 4096:
            self.long_running.popitem(last=False)

    def _known_long(self, key: int) -> bool:
        seen = self.long_running.get(key)
        return seen is not None and time.monotonic() - seen < self.LONG_MEMORY

    async def run(self, req: Request) -> Answer:
        deadline = time.monotonic() + self.timeout
        key = hash((req.query, tuple(req.default_graphs or ()), tuple(req.named_graphs or ())))
        # a query already seen to outlast the fast lane goes straight to the general lane
        lanes: tuple[str, ...] = ("general",) if self._known_long(key) else ("general", "fast")
        while True:
            w = await self._acquire(lanes, deadline)
            if self.closed:
                return SHUTTING_DOWN()
            if w is None:
                return text(503, f"Every worker is busy (the server runs {self.size} queries at a time, plus "
                                 f"{self.fast_size} short ones): try again later.", **{"Retry-After": "2"})
            left = deadline - time.monotonic()
            budget = min(left, self.fast_timeout) if w.lane == "fast" else left
            started = time.monotonic()
            try:
                call = asyncio.ensure_future(self.loop.run_in_executor(self.executor, w.call, req, budget))
                if w.lane == "general" and budget > self.fast_timeout:
                    # past the fast budget a query yields the CPU to short ones (nice 15): two
                    # runaways on two cores must not slow the fast lane to a crawl
                    done, _ = await asyncio.wait({call}, timeout=self.fast_timeout)
                    if not done:
                        w.renice(15)
                        done, _ = await asyncio.wait({call}, timeout=self.fast_timeout)
                        if not done:     # over twice the fast budget in a general worker: not noise
                            self._mark_long(key)
                answer = await call
            except Overrun:
                self._replace(w)
                self._mark_long(key)
                if w.lane == "fast" and deadline - time.monotonic() > 0.05:
                    lanes = ("general",)   # too long for the fast lane: wait for a general worker
                    continue
                self._mark_long(key)
                return text(503, f"The query exceeded the time limit of {self.timeout:g} s and was stopped: "
                                 f"narrow it, add LIMIT, or start the server with a larger --timeout.")
            except Died as e:
                if self.closed:
                    return SHUTTING_DOWN()
                self._replace(w)
                if e.args and e.args[0] in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV) and self.max_memory:
                    return memory_answer(self.max_memory)
                return text(500, f"The query worker stopped unexpectedly (exit code {e.args[0] if e.args else '?'}); "
                                 f"it has been replaced.")
            except asyncio.CancelledError:
                self._replace(w)   # the client went away mid-query: the worker's answer is unwanted
                raise
            if w.lane == "general" and time.monotonic() - started < self.fast_timeout / 2:
                self.long_running.pop(key, None)   # it ran quickly after all (it had met a busy machine)
            if answer.status == 507 or (w.niced and not w.renice(0)):
                self._replace(w)   # out of memory (a bad state), or its priority cannot be restored
            else:
                self._release(w)
            return answer
