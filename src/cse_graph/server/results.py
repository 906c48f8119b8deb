"""SPARQL 1.1 query results in the four standard formats, written from plain rows.

The endpoint counts rows against its cap before answering, so it serialises results itself:
JSON (SPARQL 1.1 Query Results JSON), XML (SPARQL Query Results XML), CSV and TSV (SPARQL 1.1
Query Results CSV and TSV).  Terms are ``("uri", value)``, ``("bnode", value)`` or
``("literal", value, datatype, lang)``.
"""

from __future__ import annotations

import io
import json
from xml.sax.saxutils import escape, quoteattr

from ..engine import json_term

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


def _json_term(t):
    return json_term(*t)


def to_json(variables, rows, boolean=None) -> bytes:
    if boolean is not None:
        return json.dumps({"head": {}, "boolean": boolean}).encode()
    doc = {"head": {"vars": variables},
           "results": {"bindings": [{v: _json_term(t) for v, t in zip(variables, r) if t is not None} for r in rows]}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _xml_term(t):
    if t[0] == "uri":
        return f"<uri>{escape(t[1])}</uri>"
    if t[0] == "bnode":
        return f"<bnode>{escape(t[1])}</bnode>"
    attr = ""
    if t[3]:
        attr = f" xml:lang={quoteattr(t[3])}"
    elif t[2] and t[2] != XSD_STRING:
        attr = f" datatype={quoteattr(t[2])}"
    return f"<literal{attr}>{escape(t[1])}</literal>"


def to_xml(variables, rows, boolean=None) -> bytes:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if boolean is not None:
        out += ["</head>", f"<boolean>{'true' if boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out).encode("utf-8")
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out += ["</head>", "<results>"]
    for r in rows:
        out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                        for v, t in zip(variables, r) if t is not None) + "</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out).encode("utf-8")


def to_csv(variables, rows, boolean=None) -> bytes:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if boolean is not None:
        w.writerow(["_askResult"])
        w.writerow(["true" if boolean else "false"])
    else:
        w.writerow(variables)
        for r in rows:
            w.writerow(["" if t is None else t[1] for t in r])
    return buf.getvalue().encode("utf-8")


def _tsv_term(t):
    if t is None:
        return ""
    if t[0] == "uri":
        return f"<{t[1]}>"
    if t[0] == "bnode":
        return f"_:{t[1]}"
    v = t[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    if t[3]:
        return f'"{v}"@{t[3]}'
    if t[2] and t[2] != XSD_STRING:
        return f'"{v}"^^<{t[2]}>'
    return f'"{v}"'


def to_tsv(variables, rows, boolean=None) -> bytes:
    if boolean is not None:
        return f"?_askResult\n{'true' if boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(t) for t in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}


_ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
            "rdf+xml": "rdfxml", "sparql-results+json": "json", "sparql-results+xml": "xml"}
# format= words that mean "the usual XML/JSON" for whichever kind of result this is
_GRAPH_ALIASES = {"xml": "rdfxml", "json": "jsonld"}
_EXTRA = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}


def _from_override(override: str, choices: dict[str, str]) -> str | None:
    key = override.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in choices and "rdfxml" in choices:
        key = _GRAPH_ALIASES.get(key, key)
    if key in choices:
        return key
    for k, media in choices.items():
        if media == override.strip().lower():
            return k
    return None


def negotiate(accept: str | None, choices: dict[str, str], default: str, override: str | None = None) -> str | None:
    """The format key for a request: a media type the Accept header names (by q-value) wins; then
    the ``format=`` parameter; then the default when Accept is absent or a wildcard; else None (406).

    Accept comes first because clients such as SPARQLWrapper send both, with a ``format=xml``
    that suits a SELECT but not a CONSTRUCT, and a precise Accept header for either."""
    offers = []
    for i, part in enumerate((accept or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        media, q = bits[0].lower(), 1.0
        if not media:
            continue
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        offers.append((q, -i, media))
    wildcard = not offers
    for q, _, media in sorted(offers, reverse=True):
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            wildcard = True
            continue
        for k, m in choices.items():
            if m == media:
                return k
        if media in _EXTRA and _EXTRA[media] in choices:
            return _EXTRA[media]
        if media == "application/xml" and "rdfxml" in choices:
            return "rdfxml"
        if media == "application/json" and "jsonld" in choices:
            return "jsonld"
    if override:
        return _from_override(override, choices)
    return default if wildcard else None
