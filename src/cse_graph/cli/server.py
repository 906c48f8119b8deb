"""Serving and pushing the graph: serve (the SPARQL endpoint and workbench) and push."""

from __future__ import annotations

import json

import click

from .app import cli
from .errors import Failure
from .options import data_option


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but loopback exposes the endpoint to your network (a warning is printed).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (HTTP 503).")
@click.option("--max-rows", type=click.IntRange(1), default=10000, show_default=True,
              help="Largest result served (rows, or triples for CONSTRUCT); larger ones get HTTP 422.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries run at once (each in its own process).")
@click.option("--fast-workers", type=click.IntRange(0, 16), default=2, show_default=True,
              help="Extra workers kept for short queries when every other worker is busy.")
@click.option("--fast-timeout", type=click.FloatRange(0.05, 60), default=1.0, show_default=True,
              help="Seconds a query may use a fast worker before it must wait for a general one.")
@click.option("--max-memory", metavar="SIZE", default=None,
              help="Heap limit per worker, e.g. 512M or 2G (default: a quarter of RAM over the workers, 256M–2G); "
                   "a query over it gets HTTP 507.")
@click.option("--allow-service", "allow_service", metavar="URL_PREFIX", multiple=True,
              help="Allow SERVICE calls to endpoints under this URL (repeatable). Without it SERVICE is refused "
                   "and the server never connects out.")
@click.option("--allow-host", "allow_host", metavar="NAME", multiple=True,
              help="Also answer requests whose Host header names NAME (repeatable); others get HTTP 421.")
@click.option("--cors", "cors", metavar="ORIGIN", multiple=True,
              help="Allow browser clients on this origin, e.g. https://yasgui.example (repeatable; off by default).")
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@data_option
def serve(host, port, timeout, max_rows, workers, fast_workers, fast_timeout, max_memory, allow_service, allow_host,
          cors, quiet, data_dir):
    """A read-only SPARQL 1.1 endpoint at /sparql and an offline workbench (YASGUI) at /.

    GET or POST (query= in the URL or a form, or an application/sparql-query body). Results by
    content negotiation: SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples,
    JSON-LD or RDF/XML (an Accept header wins over ?format=). A bare GET /sparql answers the
    Service Description. The project's prefixes are predeclared; the data is the named graph
    https://w3id.org/cse-graph/id/graph, which is also the default graph. SPARQL Update gets 403,
    SERVICE and LOAD 400 (SERVICE unless --allow-service), a malformed query 400, a foreign Host 421, a
    query over the time limit 503, over the memory limit 507, a result over the cap 422.
    /describe?iri=… shows an entity's facts and quotes.

    \b
    Example:
      cse-graph serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a cse:Operation }' http://127.0.0.1:7878/sparql
    """
    from ..cache import ensure_built
    from ..server.app import is_loopback
    from ..server.app import serve as _serve

    limit = _size(max_memory) if max_memory else _default_memory(workers + fast_workers)
    b = ensure_built(data_dir)
    if not is_loopback(host):
        click.echo(f"cse-graph: warning: binding to {host!r} exposes the endpoint beyond this machine; "
                   "use the default 127.0.0.1 unless you mean to share it.", err=True)

    def ready(addr, pool):
        h, p = addr
        h = f"[{h}]" if ":" in h else h
        net = "" if allow_service else (" no network in workers;" if pool.isolated else "")
        click.echo(f"cse-graph: SPARQL endpoint http://{h}:{p}/sparql — workbench http://{h}:{p}/ "
                   f"(timeout {timeout:g} s, max {max_rows} rows, {workers}+{fast_workers} workers, "
                   f"{limit >> 20} MiB each;{net} Ctrl-C stops)", err=True)

    try:
        _serve(b.ntriples, b.store_dir, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers,
               fast_workers=fast_workers, fast_timeout=fast_timeout, max_memory=limit, allow_service=allow_service,
               allow_hosts=allow_host, cors=cors, quiet=quiet, ready=ready)
    except OSError as e:
        raise Failure(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    click.echo("cse-graph: stopped", err=True)


def _http(method, url, data=None, headers=None, timeout=120):
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, OSError) as e:
        raise Failure(f"cannot reach {url}: {getattr(e, 'reason', e)}") from None


def _size(text: str) -> int:
    """'512M', '2G', '1.5GiB', '800000000' → bytes (for --max-memory)."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", text.lower())
    if not m:
        raise click.BadParameter(f"{text!r} is not a size: write e.g. 512M or 2G")
    return int(float(m.group(1)) * 1024 ** " kmgt".index(m.group(2) or " "))


def _default_memory(workers: int) -> int:
    """A quarter of this machine's RAM shared by the workers, each between 256 MiB and 2 GiB."""
    import os

    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        total = 8 << 30
    return max(256 << 20, min(2 << 30, total // (4 * workers)))


@cli.command()
@click.argument("url")
@click.option("--graph", default=None, metavar="IRI", help="Named graph to replace (default https://w3id.org/cse-graph/id/graph).")
@click.option("--update-url", metavar="URL", help="SPARQL Update endpoint (default: URL with a final /store or /data replaced by /update).")
@click.option("--query-url", metavar="URL", help="SPARQL query endpoint used to count what landed (default: /store → /query).")
@data_option
def push(url, graph, update_url, query_url, data_dir):
    """Load the compiled graph into a triple store through the SPARQL 1.1 Graph Store Protocol.

    URL is the store's Graph Store endpoint (Oxigraph: http://HOST:PORT/store; Fuseki:
    http://HOST:PORT/DATASET/data). The graph is uploaded into a temporary named graph and then
    moved over the target in one SPARQL Update (MOVE), so the replacement is atomic: a failed push
    leaves what the store held before. Then read it with `--endpoint http://HOST:PORT/query`.
    """
    import re
    import urllib.parse
    import uuid

    from ..cache import ensure_built
    from ..vocab import GRAPH

    graph = graph or GRAPH
    update_url = update_url or re.sub(r"/(store|data)/?$", "/update", url)
    query_url = query_url or re.sub(r"/(store|data)/?$", "/query", url)
    if update_url == url:
        raise click.UsageError("cannot guess the SPARQL Update endpoint from URL: give --update-url")
    b = ensure_built(data_dir)
    tmp = f"{graph}/upload-{uuid.uuid4().hex}"
    body = b.ntriples.read_bytes()
    sep = "&" if "?" in url else "?"
    status, text = _http("PUT", f"{url}{sep}{urllib.parse.urlencode({'graph': tmp})}", body,
                         {"Content-Type": "application/n-triples"})
    if status not in (200, 201, 204):
        raise Failure(f"upload refused by {url} (HTTP {status}): {text[:300].decode('utf-8', 'replace').strip()}; "
                      f"the target graph is untouched")
    form = urllib.parse.urlencode({"update": f"MOVE <{tmp}> TO <{graph}>"}).encode()
    status, text = _http("POST", update_url, form, {"Content-Type": "application/x-www-form-urlencoded"})
    if status not in (200, 204):
        # Remove the upload through the Graph Store Protocol (the update endpoint may be the thing
        # that is wrong), then by SPARQL Update as a fallback; say so if neither worked.
        cleaned = False
        try:
            st, _ = _http("DELETE", f"{url}{sep}{urllib.parse.urlencode({'graph': tmp})}", timeout=30)
            cleaned = st in (200, 204)
            if not cleaned:
                drop = urllib.parse.urlencode({"update": f"DROP SILENT GRAPH <{tmp}>"}).encode()
                st, _ = _http("POST", update_url, drop, {"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
                cleaned = st in (200, 204)
        except Failure:
            pass
        left = "" if cleaned else f"; could not remove the uploaded copy <{tmp}>: delete it by hand"
        raise Failure(f"could not replace <{graph}> via {update_url} (HTTP {status}): "
                      f"{text[:300].decode('utf-8', 'replace').strip()}; the target graph is untouched{left}")
    count = "?"
    q = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"}).encode()
    status, text = _http("POST", query_url, q, {"Content-Type": "application/x-www-form-urlencoded",
                                                "Accept": "application/sparql-results+json"}, timeout=60)
    if status == 200:
        try:
            count = json.loads(text)["results"]["bindings"][0]["n"]["value"]
        except (ValueError, KeyError, IndexError):
            pass
    click.echo(f"pushed {b.meta['triples']} triples into <{graph}> at {url} (store now holds {count} in that graph)")

