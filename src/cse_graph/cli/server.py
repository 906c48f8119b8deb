"""Serving and pushing the graph (serve, push); moved here unchanged."""

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
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (for browser clients such as YASGUI elsewhere).")
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@data_option
def serve(host, port, timeout, max_rows, workers, cors, quiet, data_dir):
    """A read-only SPARQL 1.1 endpoint at /sparql and an offline query page at /.

    GET or POST (query= in the URL or a form, or an application/sparql-query body). Results by
    content negotiation: SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples,
    JSON-LD or RDF/XML (or ?format=json|xml|csv|tsv|turtle|jsonld). The project's prefixes are
    predeclared. SPARQL Update gets 403, a malformed query 400 with the parser's message, a query
    over the time limit 503, a result over the cap 422. Queries run on the cached pyoxigraph
    store in worker processes; the page lists the competency questions and runs them.

    \b
    Example:
      cse-graph serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a cse:Operation }' http://127.0.0.1:7878/sparql
    """
    from ..cache import ensure_built
    from ..server.app import is_loopback, serve as _serve

    b = ensure_built(data_dir)
    if not is_loopback(host):
        click.echo(f"cse-graph: warning: binding to {host!r} exposes the endpoint beyond this machine; "
                   "use the default 127.0.0.1 unless you mean to share it.", err=True)

    def ready(httpd):
        h, p = httpd.server_address[:2]
        click.echo(f"cse-graph: SPARQL endpoint http://{h}:{p}/sparql — query page http://{h}:{p}/ "
                   f"(timeout {timeout:g} s, max {max_rows} rows, {workers} workers; Ctrl-C stops)", err=True)

    try:
        _serve(b.store_dir, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers, cors=cors,
               quiet=quiet, ready=ready)
    except OSError as e:
        raise Failure(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


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
        drop = urllib.parse.urlencode({"update": f"DROP SILENT GRAPH <{tmp}>"}).encode()
        try:
            _http("POST", update_url, drop, {"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
        except Failure:
            pass
        raise Failure(f"could not replace <{graph}> via {update_url} (HTTP {status}): "
                      f"{text[:300].decode('utf-8', 'replace').strip()}; the target graph is untouched")
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

