"""``cse-graph serve``: a read-only SPARQL 1.1 Protocol endpoint and an offline query page.

Routes
  GET  /                 the query page: competency questions, run them, results as a table
  GET|POST /sparql       SPARQL 1.1 Protocol (query= in the URL or a form, or an
                         application/sparql-query body); results by content negotiation
  GET  /queries.json     the competency questions (name, question, text)
  GET  /health           "ok" when the workers are up

Why this and not Oxigraph's own server or rdflib-endpoint: queries run on the same engine as
Oxigraph's server (pyoxigraph, the cached on-disk store, in worker processes), but the front end
adds what the issue asks and those servers lack — our competency questions on an offline page,
a result-size cap, the project's prefixes predeclared, and a hard time limit enforced by killing
a worker rather than trusting the engine to stop. rdflib-endpoint loads its page from a CDN and
runs on rdflib's engine (10–100× slower on our competency questions).  The standard library's
threading HTTP server is enough for a loopback service; no web framework is needed.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..queries import competency_questions, query_kind
from ..store import QueryError
from .pool import Answer, Pool
from .results import FORMATS, GRAPH_FORMATS, negotiate

PAGE = Path(__file__).resolve().parent / "page.html"
from ..vocab import GRAPH as CANONICAL_GRAPH  # noqa: E402
MAX_BODY = 1 << 20   # 1 MiB of query text is plenty


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(a[4][0]).is_loopback for a in socket.getaddrinfo(host, None))
        except OSError:
            return False


def render_page() -> bytes:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    qs = [{"name": q.name, "question": q.question, "text": q.text} for q in competency_questions()]
    env = Environment(loader=FileSystemLoader(str(PAGE.parent)), autoescape=select_autoescape(["html"]))
    return env.get_template(PAGE.name).render(questions=qs).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server_version = "cse-graph"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    # --- plumbing -------------------------------------------------------------------------
    def log_message(self, fmt, *args):  # one concise line per request, on stderr
        if self.server.quiet:
            return
        sys.stderr.write(f"{self.address_string()} {fmt % args}\n")

    def send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8", extra: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def fail(self, status: int, message: str):
        self.send(status, (message.rstrip() + "\n").encode("utf-8"))

    # --- routes -----------------------------------------------------------------------------
    def do_HEAD(self):
        self.do_GET()

    def do_OPTIONS(self):
        self.send(204, b"", extra={"Allow": "GET, POST, HEAD, OPTIONS",
                                   "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                   "Access-Control-Allow-Headers": "Content-Type, Accept"})

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/":
            self.send(200, self.server.page, "text/html; charset=utf-8", {
                "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                           "connect-src 'self'; img-src data:"})
        elif url.path == "/health":
            self.send(200, b"ok\n")
        elif url.path == "/queries.json":
            qs = [{"name": q.name, "question": q.question, "text": q.text} for q in competency_questions()]
            self.send(200, json.dumps(qs, ensure_ascii=False).encode("utf-8"), "application/json")
        elif url.path == "/sparql":
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if "update" in params:
                return self.fail(403, "SPARQL Update is refused: this endpoint is read-only.")
            if "query" not in params:
                return self.fail(400, "Missing query: send ?query=… (SPARQL 1.1 Protocol).")
            self.answer(params["query"][0], params)
        else:
            self.fail(404, f"No such page: {url.path}. Try / (the query page) or /sparql (the endpoint).")

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            return self.fail(404, f"No such endpoint: {url.path}. POST queries to /sparql.")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self.fail(413, f"Request body over {MAX_BODY} bytes.")
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self.fail(403, "SPARQL Update is refused: this endpoint is read-only.")
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self.fail(403, "SPARQL Update is refused: this endpoint is read-only.")
            params.update(form)
            if "query" not in params:
                return self.fail(400, "Missing query: send query=… in the form (SPARQL 1.1 Protocol).")
            return self.answer(params["query"][0], params)
        if ctype == "application/sparql-query":
            return self.answer(body, params)
        self.fail(415, "Send the query as application/x-www-form-urlencoded (query=…) or application/sparql-query.")

    # --- running a query ------------------------------------------------------------------
    def answer(self, query: str, params: dict):
        try:
            kind = query_kind(query)
        except QueryError as e:
            return self.fail(403 if "Update" in str(e) else 400, str(e))
        graphs = params.get("default-graph-uri", [])
        if any(g != CANONICAL_GRAPH for g in graphs):
            return self.fail(400, f"This endpoint holds one graph: {CANONICAL_GRAPH} (also its default graph).")
        choices = FORMATS if kind in ("SELECT", "ASK") else GRAPH_FORMATS
        default = "json" if kind in ("SELECT", "ASK") else "turtle"
        fmt = negotiate(self.headers.get("Accept"), choices, default, (params.get("format") or [None])[0])
        if fmt is None:
            return self.fail(406, f"Cannot answer in the requested format; available: {', '.join(choices.values())}.")
        t = time.perf_counter()
        a: Answer = self.server.pool.run(query, kind, fmt)
        headers = {"X-Query-Time-Ms": f"{(time.perf_counter() - t) * 1000:.1f}"}
        if a.rows is not None:
            headers["X-Result-Rows"] = str(a.rows)
        self.send(a.status, a.body, a.content_type, headers)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, pool: Pool, cors: bool = False, quiet: bool = False):
        self.pool, self.cors, self.quiet = pool, cors, quiet
        self.page = render_page()
        super().__init__(addr, Handler)


def serve(store_dir: Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0, max_rows: int = 10000,
          workers: int = 2, cors: bool = False, quiet: bool = False, ready=None) -> None:
    pool = Pool(str(store_dir), size=workers, timeout=timeout, max_rows=max_rows)
    try:
        httpd = Server((host, port), pool, cors=cors, quiet=quiet)
    except OSError:
        pool.close()
        raise
    if ready:
        ready(httpd)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        pool.close()
