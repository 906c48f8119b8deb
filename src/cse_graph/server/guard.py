"""What a query may do before it reaches the engine: no federation, no LOAD, no update, and only
the graphs this endpoint holds.

pyoxigraph evaluates ``SERVICE <url>`` by sending an HTTP request from the worker process, so a
query endpoint that passes user text through is an SSRF.  The query is parsed with rdflib's
SPARQL parser (the same grammar, a real parse tree: keywords inside comments, strings and IRIs
are not keywords), and every ``SERVICE`` pattern's IRI is checked against an operator's
allow-list (empty by default: every ``SERVICE``, ``SERVICE SILENT`` and ``SERVICE ?var`` refused).

rdflib's grammar is not Oxigraph's: a few queries Oxigraph accepts do not parse in rdflib (and
every syntax error fails in both).  For those, a SPARQL tokenizer (comments, strings and IRIs
skipped as whole tokens) refuses any query containing a ``SERVICE`` or ``LOAD`` keyword token;
anything else goes on to Oxigraph, whose own parser reports syntax errors.  ``LOAD`` is update
syntax, which the query engine never runs; it is refused by name all the same.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

from ..vocab import GRAPH, PREFIXES


class Refused(Exception):
    """The query is refused before it runs; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Checked:
    kind: str                       # SELECT | ASK | CONSTRUCT | DESCRIBE | "" (rdflib could not tell)
    services: tuple[str, ...]       # SERVICE IRIs the query calls (all allowed)
    has_dataset: bool = False       # FROM / FROM NAMED present


_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_\u00c0-\uffff][\w\-.\u00b7\u00c0-\uffff]*(?::[^\s(){}\[\],;]*)?|:[^\s(){}\[\],;]*)
  | (?P<other>.)
""", re.X | re.S)


def keyword_tokens(text: str) -> set[str]:
    """Upper-cased bare words of a SPARQL text (not prefixed names, variables, strings, IRIs,
    comments), read both as written and with \\uXXXX escapes expanded (the SPARQL grammar allows
    them anywhere; whether an engine expands them in keywords should not matter here)."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    out = set()
    try:
        expanded = expandUnicodeEscapes(text)
    except Exception:  # noqa: BLE001 — a malformed escape: the raw text is still checked
        expanded = text
    for variant in {text, expanded}:
        for m in _TOKEN.finditer(variant):
            w = m.group("word")
            if w and ":" not in w:
                out.add(w.upper())
    return out


LOAD_REFUSED = ("LOAD is refused: it would make this server fetch a URL from the network (and the endpoint is "
                "read-only: SPARQL Update is not accepted here).")
UPDATE_REFUSED = "SPARQL Update is refused: this endpoint is read-only."


def update_refusal(text: str) -> Refused:
    """How to refuse an update: 400 naming LOAD when it contains one (a request to fetch a URL,
    refused like SERVICE), else 403 (read-only)."""
    if "LOAD" in keyword_tokens(text):
        return Refused(400, LOAD_REFUSED)
    return Refused(403, UPDATE_REFUSED)


def allowed(iri: str, prefixes: tuple[str, ...]) -> bool:
    """True when IRI is an absolute http(s) IRI under one of the operator's allowed prefixes
    (same scheme and host:port, path starting with the prefix's path)."""
    u = urllib.parse.urlsplit(iri)
    if u.scheme not in ("http", "https") or not u.netloc:
        return False
    for p in prefixes:
        a = urllib.parse.urlsplit(p)
        if (a.scheme, a.netloc.lower()) == (u.scheme, u.netloc.lower()) and u.path.startswith(a.path or "/"):
            if not a.query or u.query.startswith(a.query):
                return True
    return False


def _walk(node):
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            yield n
            stack.extend(n.values())
        elif isinstance(n, (list, tuple)):
            stack.extend(n)
        elif hasattr(n, "asList") and not isinstance(n, str):
            stack.extend(list(n))


def _prefix_map(prologue) -> dict[str, str]:
    out = dict(PREFIXES)
    for n in _walk(prologue):
        if n.name == "PrefixDecl":
            d = dict(n)
            out[d.get("prefix") or ""] = str(d.get("iri"))
    return out


def _resolve(term, prefixes: dict[str, str]) -> str | None:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, CompValue) and term.name == "pname":
        d = dict(term)
        ns = prefixes.get(d.get("prefix") or "")
        return None if ns is None else ns + (d.get("localname") or "")
    return None   # a variable: cannot be checked before it runs


_KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@lru_cache(maxsize=512)
def check(text: str, allow_service: tuple[str, ...] = (), graphs: frozenset[str] = frozenset({GRAPH})) -> Checked:
    """Raise Refused for SERVICE outside the allow-list, LOAD, any update, and FROM/FROM NAMED of
    a graph this endpoint does not hold; else the query's form and the services it calls."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 — rdflib's grammar differs; fall back to the tokenizer below
        tree = None
    if tree is None:
        try:
            upd = parseUpdate(text)
        except Exception:  # noqa: BLE001
            upd = None
        words = keyword_tokens(text)
        if upd is not None or "LOAD" in words:
            raise update_refusal(text)
        if "SERVICE" in words:
            raise Refused(400, "SERVICE (federated query) is refused: it would make this server connect to another "
                               "address. An operator can allow chosen endpoints with `cse-graph serve --allow-service URL_PREFIX`.")
        return Checked("", ())
    prologue, query = tree[0], tree[1]
    prefixes = _prefix_map(prologue)
    services, has_dataset = [], False
    for n in _walk(query):
        if n.name == "ServiceGraphPattern":
            iri = _resolve(dict(n).get("term"), prefixes)
            silent = " SILENT" if "silent" in n else ""
            if iri is None:
                raise Refused(400, f"SERVICE{silent} with a variable or unknown prefix is refused: this server never "
                                   "connects to an address chosen at run time.")
            if not allowed(iri, allow_service):
                hint = (f"allowed: {', '.join(allow_service)}" if allow_service else
                        "an operator can allow chosen endpoints with `cse-graph serve --allow-service URL_PREFIX`")
                raise Refused(400, f"SERVICE{silent} <{iri}> is refused: federated queries would make this server "
                                   f"connect to another address ({hint}).")
            services.append(iri)
        elif n.name == "DatasetClause":
            has_dataset = True
            for key in ("default", "named"):
                g = dict(n).get(key)
                if g is not None:
                    iri = _resolve(g, prefixes)
                    if iri not in graphs:
                        raise Refused(400, f"FROM{' NAMED' if key == 'named' else ''} <{iri}>: this endpoint holds one "
                                           f"graph, <{GRAPH}> (also its default graph); no other graph can be named.")
    return Checked(_KINDS.get(query.name, ""), tuple(services), has_dataset)
