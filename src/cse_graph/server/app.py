"""``cse-graph serve``: a read-only SPARQL 1.1 Protocol endpoint and an offline workbench.

Routes
  GET  /                 the workbench (YASGUI, served from this package: no CDN, works offline)
  GET|POST /sparql       SPARQL 1.1 Protocol (query= in the URL or a form, or an
                         application/sparql-query body); results by content negotiation.
                         A bare GET (no parameters) answers the Service Description.
  GET  /describe?iri=…   an HTML page with what the graph says about one entity, with quotes
  GET  /queries.json     the competency questions (name, question, text)
  GET  /prefixes.json    the project's prefixes (the workbench's prefix completion)
  GET  /terms.json       classes and properties used in the graph (its class/property completion)
  GET  /health           "ok" when the workers are up
  GET  /static/…         the workbench's own files (vendored YASGUI, the page script)

Why Starlette on uvicorn: the standard library's ``http.server`` is documented as not for
production, and it showed it (``Content-Length: abc`` dropped the connection, ``-1`` hung a
thread, the unread body of a POST to another path ran as a second request).  uvicorn parses HTTP
with llhttp (Node's parser, via ``httptools``) and answers malformed requests with 400 itself;
Starlette is the small ASGI toolkit FastAPI is built on, both actively maintained, no compiler
needed.  Hypercorn was the alternative; uvicorn is the more used and its programmatic
``Server`` lets us bind a given socket and hook start-up.  Queries still run in worker processes
with a kill-on-timeout (``pool.py``); the event loop only parses requests, checks them and waits.

Safe by default, per request, before any query is looked at:
  * ``Host`` must name this server (127.0.0.1, localhost, [::1], the --host, any --allow-host),
    else 421 — a page on another site whose name is rebound to 127.0.0.1 cannot read it;
  * a POST's ``Origin``, if sent, must be one of those hosts or a --cors origin, else 403;
  * no CORS headers unless --cors ORIGIN;
  * SERVICE / LOAD / updates / unknown graphs are refused (``guard.py``, run in the worker).
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.parse
from pathlib import Path

from ..queries import competency_questions
from ..vocab import GRAPH as CANONICAL_GRAPH
from .describe import Describer
from .pool import Answer, Pool, Request, text
from .results import GRAPH_FORMATS, negotiate

HERE = Path(__file__).resolve().parent
PAGE = HERE / "page.html"
STATIC = HERE / "static"
MAX_BODY = 1 << 20   # 1 MiB of query text is plenty
ALLOW = "GET, POST, HEAD, OPTIONS"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
            "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


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


def host_name(value: str) -> str:
    """The name part of a Host header or an origin's netloc, lower-cased, IPv6 without brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostGuard:
    """ASGI middleware: 421 for a Host this server does not answer to, 403 for a foreign Origin
    on anything but GET/HEAD/OPTIONS (DNS rebinding and cross-site POSTs)."""

    def __init__(self, app, hosts: set[str], origins: set[str]):
        self.app, self.hosts, self.origins = app, hosts, origins

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = origin = None
        for k, v in scope["headers"]:
            if k == b"host":
                host = v.decode("latin-1")
            elif k == b"origin":
                origin = v.decode("latin-1")
        if host is None or host_name(host) not in self.hosts:
            return await _plain(send, 421, f"This server does not answer to the host name {host!r}: it serves "
                                           f"{', '.join(sorted(self.hosts))}. Start it with --allow-host NAME to add one.")
        if origin is not None and scope["method"] not in ("GET", "HEAD", "OPTIONS") and not self.origin_ok(origin):
            return await _plain(send, 403, f"Requests from the web origin {origin!r} are refused. Start the server "
                                           f"with --cors ORIGIN to allow a browser client on another origin.")
        return await self.app(scope, receive, send)

    def origin_ok(self, origin: str) -> bool:
        if origin in self.origins or "*" in self.origins:
            return True
        u = urllib.parse.urlsplit(origin)
        return u.scheme in ("http", "https") and host_name(u.netloc) in self.hosts


async def _plain(send, status: int, message: str) -> None:
    body = (message + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def questions() -> list[dict]:
    return [{"name": q.name, "question": q.question, "text": q.text} for q in competency_questions()]


def render_page() -> bytes:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(PAGE.parent)), autoescape=select_autoescape(["html"]))
    return env.get_template(PAGE.name).render(questions=questions()).encode("utf-8")


def service_description(endpoint: str) -> list:
    """The SPARQL 1.1 Service Description of this endpoint, as pyoxigraph triples."""
    import pyoxigraph as ox

    SD = "http://www.w3.org/ns/sparql-service-description#"
    FMT = "http://www.w3.org/ns/formats/"
    RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    n, b = ox.NamedNode, ox.BlankNode
    svc, ds, dg, ng = n(endpoint), b(), b(), b()
    out = [(svc, n(RDF), n(SD + "Service")), (svc, n(SD + "endpoint"), n(endpoint)),
           (svc, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
           (svc, n(SD + "feature"), n(SD + "UnionDefaultGraph")),
           (svc, n(SD + "defaultDataset"), ds), (ds, n(RDF), n(SD + "Dataset")),
           (ds, n(SD + "defaultGraph"), dg), (dg, n(RDF), n(SD + "Graph")),
           (ds, n(SD + "namedGraph"), ng), (ng, n(RDF), n(SD + "NamedGraph")),
           (ng, n(SD + "name"), n(CANONICAL_GRAPH)),
           (svc, n("http://www.w3.org/2000/01/rdf-schema#comment"), ox.Literal(
               "Read-only. The default graph is the named graph <" + CANONICAL_GRAPH + ">; SERVICE and LOAD are "
               "refused; prefixes cse:, report:, op: … are predeclared."))]
    for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
              "N-Triples", "JSON-LD", "RDF_XML"):
        out.append((svc, n(SD + "resultFormat"), n(FMT + f)))
    return [ox.Triple(*t) for t in out]


def build_app(pool: Pool, hosts: set[str], cors: tuple[str, ...] = (), on_start=None, describer=None):
    import contextlib

    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request as HttpRequest
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    page = render_page()

    def respond(a: Answer, extra: dict | None = None) -> Response:
        headers = {"Content-Type": a.content_type, "X-Content-Type-Options": "nosniff", **a.headers, **(extra or {})}
        return Response(a.body, a.status, headers=headers)   # the type exactly as negotiated (no added charset)

    def refuse_update(update: str) -> Response:
        from .guard import update_refusal

        r = update_refusal(update)
        return respond(text(r.status, str(r)))

    async def index(request: HttpRequest):
        return Response(page, 200, media_type="text/html; charset=utf-8", headers={
            "Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})

    async def health(request):
        return Response(b"ok\n", media_type="text/plain; charset=utf-8")

    async def queries_json(request):
        return JSONResponse(questions())

    async def prefixes_json(request):
        from ..vocab import PREFIXES

        return JSONResponse(dict(PREFIXES))   # prefix.cc's shape: {"prefix": "namespace IRI"}

    terms_cache: dict = {}

    async def terms_json(request):
        if not terms_cache and describer is not None:
            import asyncio

            terms_cache.update(await asyncio.get_running_loop().run_in_executor(None, describer.terms))
        return JSONResponse(terms_cache or {"class": [], "property": []})

    async def sparql(request: HttpRequest):
        method = request.method
        if method == "OPTIONS":
            return Response(b"", 204, headers={"Allow": ALLOW})
        if method not in ("GET", "HEAD", "POST"):
            return respond(text(405, f"{method} is not allowed on /sparql: query with GET or POST "
                                     f"(this endpoint is read-only)."), {"Allow": ALLOW})
        params = urllib.parse.parse_qs(request.url.query, keep_blank_values=True)
        if method == "POST":
            body, err = await read_body(request)
            if err:
                return respond(err)
            ctype, charset = content_type(request.headers.get("content-type"))
            if charset.lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii", "ascii"):
                return respond(text(400, f"The request declares charset={charset}: the SPARQL 1.1 Protocol "
                                         f"takes queries in UTF-8 only."))
            if ctype == "application/sparql-update":
                return refuse_update(body.decode("utf-8", "replace"))
            if ctype == "application/x-www-form-urlencoded":
                try:
                    form = form_of(body, charset)
                except (UnicodeDecodeError, LookupError):
                    return respond(text(400, f"The form is not valid {charset} (as its Content-Type declares)."))
                if "update" in form:
                    return refuse_update(" ".join(form["update"]))
                if "query" in params and "query" in form:
                    return respond(text(400, "Two queries: send query= in the form or in the URL, not both."))
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            elif ctype == "application/sparql-query":
                try:
                    q = body.decode(charset)
                except (UnicodeDecodeError, LookupError):
                    return respond(text(400, f"The query is not valid {charset} (as its Content-Type declares)."))
                if "query" in params:
                    return respond(text(400, "Two queries: send the query in the body or as query= in the URL, not both."))
                params["query"] = [q]
            else:
                return respond(text(415, "Send the query as application/x-www-form-urlencoded (query=…) or "
                                         "application/sparql-query."))
        if "update" in params:
            return refuse_update(" ".join(params["update"]))
        if "query" not in params:
            if method != "POST" and not request.url.query:
                return describe_service(request)
            return respond(text(400, "Missing query: send ?query=… (SPARQL 1.1 Protocol)."))
        if len(params["query"]) > 1:
            return respond(text(400, f"{len(params['query'])} query= parameters: send exactly one query."))
        for key in ("default-graph-uri", "named-graph-uri"):
            unknown = [g for g in params.get(key, []) if g != CANONICAL_GRAPH]
            if unknown:
                return respond(text(400, f"{key}=<{unknown[0]}>: this endpoint holds one graph, <{CANONICAL_GRAPH}> "
                                         f"(also its default graph); no other graph can be named."))
        req = Request(query=params["query"][0], accept=request.headers.get("accept"),
                      fmt=(params.get("format") or [None])[0],
                      default_graphs=params.get("default-graph-uri"), named_graphs=params.get("named-graph-uri"),
                      base_iri=str(request.url).split("?")[0])
        t = time.perf_counter()
        a = await pool.run(req)
        extra = {"X-Query-Time-Ms": f"{(time.perf_counter() - t) * 1000:.1f}"}
        if a.rows is not None:
            extra["X-Result-Rows"] = str(a.rows)
        return respond(a, extra)

    def describe_service(request) -> Response:
        import pyoxigraph as ox

        fmt = negotiate(request.headers.get("accept"), GRAPH_FORMATS, "turtle")
        if fmt is None:
            return respond(text(406, f"The Service Description is available as {', '.join(GRAPH_FORMATS.values())}."))
        target = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
                  "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
        extra = {"prefixes": {"sd": "http://www.w3.org/ns/sparql-service-description#"}} if fmt in ("turtle",) else {}
        endpoint = str(request.url).split("?")[0]
        body = ox.serialize(service_description(endpoint), format=target, **extra) or b""
        return Response(body, 200, headers={"Content-Type": GRAPH_FORMATS[fmt], "X-Content-Type-Options": "nosniff"})

    async def describe(request):
        if describer is None:
            return respond(text(404, "Entity pages are not available on this server."))
        iri = request.query_params.get("iri", "")
        status, html = await describer.page(iri, pool.timeout)
        return Response(html, status, media_type="text/html; charset=utf-8", headers={
            "Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})

    async def not_found(request, exc):
        if exc.status_code == 404:
            return respond(text(404, f"No such page: {request.url.path}. Try / (the workbench) or /sparql (the endpoint)."))
        if exc.status_code == 405:
            return respond(text(405, f"{request.method} is not allowed here."), {"Allow": "GET, HEAD"})
        return respond(text(exc.status_code, exc.detail))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        if on_start:
            on_start(pool)
        try:
            yield
        finally:
            await pool.close()

    routes = [Route("/", index, methods=["GET", "HEAD"]), Route("/health", health, methods=["GET", "HEAD"]),
              Route("/queries.json", queries_json, methods=["GET", "HEAD"]),
              Route("/prefixes.json", prefixes_json, methods=["GET", "HEAD"]),
              Route("/terms.json", terms_json, methods=["GET", "HEAD"]),
              Route("/sparql", sparql, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
              Route("/describe", describe, methods=["GET", "HEAD"])]
    if STATIC.is_dir():
        routes.append(Mount("/static", StaticFiles(directory=str(STATIC)), name="static"))
    middleware = []
    if cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors), allow_methods=["GET", "POST", "OPTIONS"],
                                     allow_headers=["Content-Type", "Accept"], max_age=600))
    middleware.insert(0, Middleware(HostGuard, hosts=hosts, origins=set(cors)))
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                     exception_handlers={HTTPException: not_found})


def content_type(value: str | None) -> tuple[str, str]:
    """(media type, charset) of a Content-Type header; charset defaults to UTF-8."""
    parts = [p.strip() for p in (value or "").split(";")]
    charset = "utf-8"
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p[8:].strip().strip('"') or "utf-8"
    return parts[0].lower(), charset


def form_of(body: bytes, charset: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(body.decode(charset), keep_blank_values=True, encoding=charset, errors="strict")


async def read_body(request) -> tuple[bytes, Answer | None]:
    length = request.headers.get("content-length")
    if length is not None:
        if not length.isdigit():
            return b"", text(400, f"Bad Content-Length: {length!r}.")
        if int(length) > MAX_BODY:
            return b"", text(413, f"Request body over {MAX_BODY} bytes.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return b"", text(413, f"Request body over {MAX_BODY} bytes.")
        chunks.append(chunk)
    return b"".join(chunks), None


def allowed_hosts(host: str, extra: tuple[str, ...] = ()) -> set[str]:
    return {host_name(h) for h in (*LOOPBACK_NAMES, host, *extra)}   # "name:port" and "[v6]" reduce to the name


def prepare_store(ntriples: Path, into: Path) -> Path:
    """A read-only copy of the compiled graph in which the data *is* the named graph <GRAPH>:
    queries see it as their default graph, and FROM <GRAPH>, FROM NAMED <GRAPH>, GRAPH <GRAPH>
    and default-graph-uri / named-graph-uri = GRAPH all mean the same data."""
    import pyoxigraph as ox

    store = ox.Store(str(into))
    store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(CANONICAL_GRAPH))
    store.flush()
    del store
    return into


def serve(ntriples: Path, store_dir: Path | None = None, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0, max_rows: int = 10000,
          workers: int = 2, fast_workers: int = 2, fast_timeout: float = 1.0, max_memory: int | None = None,
          allow_service: tuple[str, ...] = (), allow_hosts: tuple[str, ...] = (), cors: tuple[str, ...] = (),
          quiet: bool = False, ready=None) -> None:
    """Serve until SIGINT/SIGTERM; then stop the workers and return. OSError if the port is taken."""
    import logging
    import shutil
    import tempfile

    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    bound = sock.getsockname()[:2]
    tmp = Path(tempfile.mkdtemp(prefix="cse-graph-serve-"))
    try:
        serve_dir = prepare_store(ntriples, tmp / "store")
        pool = Pool(str(serve_dir), workers=workers, fast_workers=fast_workers, timeout=timeout,
                    fast_timeout=fast_timeout, max_rows=max_rows, max_memory=max_memory, allow_service=allow_service)
        app = build_app(pool, allowed_hosts(host, allow_hosts), cors,
                        on_start=(lambda p: ready(bound, p)) if ready else None,
                        describer=Describer(store_dir) if store_dir else None)
        config = uvicorn.Config(app, log_level="warning", access_log=not quiet, http="httptools",
                                timeout_graceful_shutdown=2, server_header=False, date_header=True,
                                limit_concurrency=1000, timeout_keep_alive=5)
        class Server(uvicorn.Server):
            def handle_exit(self, sig, frame):   # SIGINT/SIGTERM: end running queries first (503)
                if getattr(pool, "loop", None) is not None and not pool.closed:
                    pool.loop.call_soon_threadsafe(pool.abort)
                super().handle_exit(sig, frame)
                self._captured_signals.clear()   # a stop we asked for: return normally, don't re-raise it

        server = Server(config)
        if not quiet:
            logging.getLogger("uvicorn.access").setLevel(logging.INFO)
        server.run(sockets=[sock])
    finally:
        sock.close()
        shutil.rmtree(tmp, ignore_errors=True)
