"""The query engines: one query interface over three of them (the lowest layer above vocab).

* :class:`OxigraphStore` — the default: the cached on-disk pyoxigraph store, opened read-only.
* :class:`RdflibStore`   — rdflib's own store and SPARQL engine over the compiled N-Triples
  (slow on large graphs; kept selectable so answers can be compared).
* :class:`RemoteStore`   — any SPARQL 1.1 Protocol endpoint over HTTP (``--endpoint URL``).

Every engine returns rows as ``dict[str, Term | None]`` with the light term classes below,
so analyses are written once.  Nothing here imports rdflib unless :class:`RdflibStore` is used.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import UserError
from .vocab import SPARQL_PREFIXES, XSD


class IRI(str):
    """An IRI (a ``str``)."""

    kind = "iri"


class BNode(str):
    kind = "bnode"


class Lit:
    """A literal: lexical value, datatype IRI (None for plain strings) and language tag.

    Immutable by convention, hashable and compared by value. A slotted class rather than a frozen
    dataclass: result rows convert thousands of literals, and this is four times cheaper to make
    (about 0.4 µs against 1.7 µs; `benchmarks/README.md`)."""

    __slots__ = ("value", "datatype", "lang")
    kind = "literal"

    def __init__(self, value: str, datatype: str | None = None, lang: str | None = None):
        self.value, self.datatype, self.lang = value, datatype, lang

    def __eq__(self, other) -> bool:
        if not isinstance(other, Lit):
            return NotImplemented
        return (self.value, self.datatype, self.lang) == (other.value, other.datatype, other.lang)

    def __hash__(self) -> int:
        return hash((Lit, self.value, self.datatype, self.lang))

    def __repr__(self) -> str:
        return f"Lit(value={self.value!r}, datatype={self.datatype!r}, lang={self.lang!r})"

    def __str__(self) -> str:
        return self.value

    def py(self):
        """A Python value for numbers and booleans; the lexical form otherwise."""
        dt = self.datatype or ""
        try:
            if dt in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
                return int(self.value)
            if dt in (XSD + "decimal", XSD + "double", XSD + "float"):
                return float(self.value)
            if dt == XSD + "boolean":
                return self.value in ("true", "1")
        except ValueError:
            pass
        return self.value


Term = IRI | BNode | Lit
Row = dict[str, "Term | None"]


def json_term(kind: str, value: str, datatype: str | None = None, lang: str | None = None) -> dict:
    """One RDF term as SPARQL 1.1 Query Results JSON (the one writer: the CLI and the endpoint use it).

    >>> json_term("uri", "https://w3id.org/cse-graph/id/operation/clover")
    {'type': 'uri', 'value': 'https://w3id.org/cse-graph/id/operation/clover'}
    >>> json_term("literal", "2013", "http://www.w3.org/2001/XMLSchema#gYear")
    {'type': 'literal', 'value': '2013', 'datatype': 'http://www.w3.org/2001/XMLSchema#gYear'}
    >>> json_term("literal", "Jay report", XSD + "string")      # xsd:string is the default: left out
    {'type': 'literal', 'value': 'Jay report'}
    """
    if kind in ("uri", "bnode"):
        return {"type": kind, "value": value}
    d = {"type": "literal", "value": value}
    if lang:
        d["xml:lang"] = lang
    elif datatype and datatype != XSD + "string":
        d["datatype"] = datatype
    return d


class QueryError(UserError):
    """A query the engine could not parse or run (the message is the engine's)."""


_PREFIX_LINES = SPARQL_PREFIXES.count("\n")


def user_positions(message: str) -> str:
    """Make line numbers in an engine's message refer to the user's text, not our prefix header."""
    import re

    def at(m):
        line = int(m.group(1)) - _PREFIX_LINES
        return f"at line {line}, column {m.group(2)}" if line >= 1 else m.group(0)

    def rdflib_pos(m):
        line = int(m.group(1)) - _PREFIX_LINES
        return f"(line {line}, column {m.group(2)})" if line >= 1 else m.group(0)

    message = re.sub(r"\s*\(at char \d+\),?", "", re.sub(r"at (\d+):(\d+)", at, message))
    message = re.sub(r"\(line:(\d+), col:(\d+)\)", rdflib_pos, message)
    return shorten_parser_message(message)


def shorten_parser_message(message: str, query: str | None = None) -> str:
    """The parser's message without its wall of expected Unicode ranges: an undeclared prefix is
    named as such; any other "expected one of …" list is cut to its first readable items."""
    import re

    m = re.match(r"(.*?)expected one of (.*)", message, re.S)
    if not m:
        return message
    head, rest = m.group(1), m.group(2)
    if "Prefix not found" in rest:
        return (f"{head}undeclared prefix — add PREFIX name: <IRI> or use one of the predeclared prefixes "
                "(cse:, prov:, report:, op: … see README, 'Prefixes')")
    items = [x.strip() for x in re.split(r",\s*(?=[\[A-Za-z'\"])", rest) if "\\u{" not in x and x.strip()]
    short = ", ".join(items[:6])
    return f"{head}expected one of {short}" + (" …" if len(items) > 6 or "\\u{" in rest else "")


class Store:
    name = "store"
    cache_dir: Path | None = None   # the build folder, for caches derived from it (embedded stores only)
    build = None

    def select(self, query: str, prefixes: bool = True) -> list[Row]:
        """The rows of a SELECT query (each a dict; unbound variables are None)."""
        return self.select_with_vars(query, prefixes)[1]

    def select_with_vars(self, query: str, prefixes: bool = True) -> tuple[list[str], list[Row]]:
        """The projected variables, in order, and the rows of a SELECT query."""
        raise NotImplementedError

    def ask(self, query: str) -> bool:
        raise NotImplementedError

    def construct(self, query: str, fmt: str = "turtle") -> bytes:
        raise NotImplementedError

    @staticmethod
    def text(query: str, prefixes: bool) -> str:
        return SPARQL_PREFIXES + query if prefixes else query


# ---------------------------------------------------------------------------
# pyoxigraph
# ---------------------------------------------------------------------------

def _ox_literal(t) -> Lit:
    if t.language:
        return Lit(t.value, None, t.language)
    return Lit(t.value, t.datatype.value)


_FROM_OX: dict[type, object] = {}   # pyoxigraph term class -> converter (filled on first use)


def _from_ox(t):
    """A pyoxigraph term as ours (the hot loop of every result: dispatch on the exact type)."""
    if t is None:
        return None
    if not _FROM_OX:
        import pyoxigraph as ox

        _FROM_OX.update({ox.NamedNode: lambda t: IRI(t.value), ox.BlankNode: lambda t: BNode(t.value),
                         ox.Literal: _ox_literal})
    convert = _FROM_OX.get(type(t))
    return convert(t) if convert else Lit(str(t))


class OxigraphStore(Store):
    name = "oxigraph"

    def __init__(self, store):
        self.ox = store

    @classmethod
    def open(cls, store_dir: Path) -> "OxigraphStore":
        """The build's on-disk store, read-only: opens in milliseconds (one-shot commands)."""
        import pyoxigraph as ox

        return cls(ox.Store.read_only(str(store_dir)))

    @classmethod
    def load(cls, ntriples: Path) -> "OxigraphStore":
        """The compiled graph loaded into memory: seconds to load at a million triples, then
        every query runs several times faster than on disk (long sessions, benchmarks)."""
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        return cls(store)

    def _query(self, query: str, prefixed: bool = False):
        try:
            return self.ox.query(query)
        except (SyntaxError, OSError, ValueError, RuntimeError) as e:
            raise QueryError(user_positions(str(e)) if prefixed else str(e)) from None

    def select_with_vars(self, query: str, prefixes: bool = True) -> tuple[list[str], list[Row]]:
        res = self._query(self.text(query, prefixes), prefixes)
        if isinstance(res, bool) or not hasattr(res, "variables"):
            raise QueryError("not a SELECT query")
        names = [v.value for v in res.variables]
        return names, [dict(zip(names, map(_from_ox, sol))) for sol in res]   # (iterating a solution beats name lookups)

    def ask(self, query: str) -> bool:
        return bool(self._query(self.text(query, True), True))

    def construct(self, query: str, fmt: str = "turtle") -> bytes:
        import pyoxigraph as ox

        res = self._query(self.text(query, True), True)
        from .vocab import PREFIXES

        if fmt == "nt":
            return ox.serialize(res, format=ox.RdfFormat.N_TRIPLES) or b""
        # with the project's prefixes, so CONSTRUCT prints readable Turtle (grouped, prefixed), not N-Triples
        triples = list(res)
        nt = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        used = {p: ns for p, ns in PREFIXES.items() if f"<{ns}" in nt}
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used) or b""



# ---------------------------------------------------------------------------
# rdflib
# ---------------------------------------------------------------------------

def _from_rdflib(t):
    from rdflib import BNode as RB
    from rdflib import Literal as RL
    from rdflib import URIRef

    if t is None:
        return None
    if isinstance(t, URIRef):
        return IRI(str(t))
    if isinstance(t, RB):
        return BNode(str(t))
    if isinstance(t, RL):
        return Lit(str(t), str(t.datatype) if t.datatype else None, t.language)
    return Lit(str(t))


class RdflibStore(Store):
    name = "rdflib"

    def __init__(self, graph):
        self.graph = graph

    @classmethod
    def open(cls, ntriples: Path) -> "RdflibStore":
        from rdflib import Graph

        g = Graph()
        g.parse(str(ntriples), format="nt")
        return cls(g)

    def _query(self, query: str, prefixed: bool = False):
        try:
            return self.graph.query(query)
        except Exception as e:  # rdflib raises pyparsing and assorted errors
            msg = f"{type(e).__name__}: {e}"
            raise QueryError(user_positions(msg) if prefixed else msg) from None

    def select_with_vars(self, query: str, prefixes: bool = True) -> tuple[list[str], list[Row]]:
        res = self._query(self.text(query, prefixes), prefixes)
        if res.type != "SELECT":
            raise QueryError("not a SELECT query")
        names = [str(v) for v in res.vars]
        return names, [{n: _from_rdflib(row[i]) for i, n in enumerate(names)} for row in res]

    def ask(self, query: str) -> bool:
        return bool(self._query(self.text(query, True), True).askAnswer)

    def construct(self, query: str, fmt: str = "turtle") -> bytes:
        res = self._query(self.text(query, True), True)
        return res.graph.serialize(format={"turtle": "turtle", "nt": "nt"}[fmt]).encode()


# ---------------------------------------------------------------------------
# a remote SPARQL 1.1 endpoint
# ---------------------------------------------------------------------------

def _from_json(b: dict | None):
    if b is None:
        return None
    t = b.get("type")
    if t == "uri":
        return IRI(b["value"])
    if t == "bnode":
        return BNode(b["value"])
    return Lit(b["value"], b.get("datatype") if "xml:lang" not in b else None, b.get("xml:lang"))


class RemoteStore(Store):
    """A SPARQL 1.1 Protocol endpoint. Queries name the graph ``cse-graph push`` writes as their
    default graph (``default-graph-uri``), so a store holding other data answers from ours alone;
    set ``CSE_GRAPH_ENDPOINT_GRAPH`` to another IRI, or to an empty string to use the store's own
    default graph."""

    name = "remote"

    def __init__(self, url: str, timeout: float | None = None, graph: str | None = None):
        from .vocab import GRAPH

        self.url = url
        self.timeout = timeout or float(os.environ.get("CSE_GRAPH_ENDPOINT_TIMEOUT", "60"))
        self.graph = graph if graph is not None else os.environ.get("CSE_GRAPH_ENDPOINT_GRAPH", GRAPH)

    def _post(self, query: str, accept: str) -> tuple[bytes, str]:
        import urllib.error
        import urllib.parse
        import urllib.request

        params = [("query", query)] + ([("default-graph-uri", self.graph)] if self.graph else [])
        data = urllib.parse.urlencode(params).encode()
        req = urllib.request.Request(self.url, data=data, method="POST", headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "cse-graph"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace")[:500]
            if 400 <= e.code < 500:
                raise QueryError(f"endpoint said {e.code}: {body.strip()}") from None
            raise ConnectionError(f"endpoint {self.url} failed with HTTP {e.code}: {body.strip()}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise ConnectionError(f"cannot reach SPARQL endpoint {self.url}: {reason}") from None

    def select_with_vars(self, query: str, prefixes: bool = True) -> tuple[list[str], list[Row]]:
        body, _ = self._post(self.text(query, prefixes), "application/sparql-results+json")
        try:
            res = json.loads(body)
        except ValueError:
            raise QueryError("endpoint did not return SPARQL JSON results") from None
        if "results" not in res:
            raise QueryError("not a SELECT query")
        names = res["head"]["vars"]
        return names, [{n: _from_json(b.get(n)) for n in names} for b in res["results"]["bindings"]]

    def ask(self, query: str) -> bool:
        body, _ = self._post(self.text(query, True), "application/sparql-results+json")
        return bool(json.loads(body).get("boolean"))

    def construct(self, query: str, fmt: str = "turtle") -> bytes:
        body, _ = self._post(self.text(query, True), {"turtle": "text/turtle", "nt": "application/n-triples"}[fmt])
        return body

