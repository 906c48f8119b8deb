"""Load → compile: Turtle files in, one compiled graph out.

1. *Parse* every ``*.ttl`` under the ontology and data folders with pyoxigraph. A syntax
   error becomes :class:`DataFileError` naming the file, line and column.
2. *Skolemise* blank nodes deterministically: each gets an IRI under
   ``…/id/.well-known/genid/`` hashed from its parent and its content, so evidence and
   qualified-influence nodes keep the same identifier from one build to the next.
3. *Derive* what the data never states by hand, with the SPARQL Update rules in
   ``queries/derive/*.ru`` (shortcut edges from qualified nodes, type closure, post
   holders …) and, in Python, the ``cse:earliest``/``cse:latest`` bounds and precision
   of every date.

The result is a pyoxigraph ``Store`` (in memory) holding ontology + schemes + data +
derivations in the default graph.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from . import paths
from .vocab import CSE, ID, PREFIXES, SPARQL_PREFIXES

GENID = ID + ".well-known/genid/"
TIME = PREFIXES["time"]
XSD = PREFIXES["xsd"]

Progress = Callable[[str], None]


class DataFileError(Exception):
    """A data or ontology file that cannot be read."""

    def __init__(self, path: Path | str, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = str(path), line, column, message
        where = self.path + (f":{line}" if line else "") + (f":{column}" if column and line else "")
        super().__init__(f"{where}: {message}")


def turtle_files(*dirs: Path) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        if d.is_file():
            out.append(d)
            continue
        if not d.is_dir():
            raise DataFileError(d, None, None, "no such folder")
        out.extend(p for p in sorted(d.rglob("*.ttl")) if not any(part.startswith(".") for part in p.relative_to(d).parts))
    return out


def ontology_files() -> list[Path]:
    """The terms, alignments and SKOS schemes (not the shapes or the worked examples)."""
    d = paths.ontology_dir()
    return [d / "cse.ttl", d / "alignments.ttl", d / "reused-terms.ttl"] + sorted((d / "schemes").glob("*.ttl"))


def input_files(data_dir: Path) -> list[Path]:
    """Everything a build reads: ontology, schemes, data and derivation rules."""
    return ontology_files() + turtle_files(data_dir) + derive_rules()


def derive_rules() -> list[Path]:
    return sorted((paths.queries_dir() / "derive").glob("*.ru"))


_POS = re.compile(r"line (\d+)(?: column (\d+)| between columns (\d+))?")


def parse_file(path: Path) -> list[ox.Triple]:
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as e:
        msg = str(e)
        m = _POS.search(msg)
        line = int(m.group(1)) if m else getattr(e, "lineno", None)
        col = int(m.group(2) or m.group(3)) if m and (m.group(2) or m.group(3)) else getattr(e, "offset", None)
        msg = re.sub(r"\s*\([^()]*, line \d+\)$", "", msg)
        raise DataFileError(path, line, col, msg) from None
    except UnicodeDecodeError as e:
        raise DataFileError(path, None, None, f"not UTF-8 text ({e.reason})") from None
    except OSError as e:
        raise DataFileError(path, None, None, e.strerror or str(e)) from None


def _term_key(t) -> str:
    return str(t)


def skolemise(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Replace blank nodes by IRIs derived from where they hang and what they hold."""
    children: dict[str, list[tuple[str, object]]] = defaultdict(list)
    parents: dict[str, list[tuple[object, str]]] = defaultdict(list)
    blanks: dict[str, ox.BlankNode] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            blanks[t.subject.value] = t.subject
            children[t.subject.value].append((t.predicate.value, t.object))
        if isinstance(t.object, ox.BlankNode):
            blanks[t.object.value] = t.object
            parents[t.object.value].append((t.subject, t.predicate.value))
    if not blanks:
        return triples

    content: dict[str, str] = {}

    def content_hash(b: str, stack: frozenset = frozenset()) -> str:
        if b in content:
            return content[b]
        if b in stack:  # a cycle of blank nodes: fall back to the parser's label
            return b
        lines = []
        for p, o in children.get(b, []):
            o_key = "_:" + content_hash(o.value, stack | {b}) if isinstance(o, ox.BlankNode) else _term_key(o)
            lines.append(f"{p} {o_key}")
        content[b] = hashlib.sha1("\n".join(sorted(lines)).encode()).hexdigest()
        return content[b]

    ident: dict[str, str] = {}

    def identity(b: str, stack: frozenset = frozenset()) -> str:
        if b in ident:
            return ident[b]
        ps = parents.get(b, [])
        if len(ps) == 1 and b not in stack:
            s, p = ps[0]
            parent = identity(s.value, stack | {b}) if isinstance(s, ox.BlankNode) else s.value
            key = f"{parent}|{p}|{content_hash(b)}"
        else:
            key = f"root|{content_hash(b)}"
        ident[b] = GENID + hashlib.sha1(key.encode()).hexdigest()[:20]
        return ident[b]

    nodes = {b: ox.NamedNode(identity(b)) for b in blanks}

    def m(t):
        return nodes[t.value] if isinstance(t, ox.BlankNode) else t

    return [ox.Triple(m(t.subject), t.predicate, m(t.object)) for t in triples]


def load(files: Iterable[Path], progress: Progress | None = None) -> ox.Store:
    store = ox.Store()
    for f in files:
        if f.suffix != ".ttl":
            continue
        triples = skolemise(parse_file(f))
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return store


# ---------------------------------------------------------------------------
# Derivations
# ---------------------------------------------------------------------------

def run_derive_rules(store: ox.Store, rules: list[Path] | None = None) -> None:
    for rule in rules if rules is not None else derive_rules():
        text = rule.read_text(encoding="utf-8")
        try:
            store.update(SPARQL_PREFIXES + text)
        except SyntaxError as e:
            raise DataFileError(rule, None, None, f"SPARQL Update error: {e}") from None


def _bounds(kind: str, lexical: str) -> tuple[str, str] | None:
    """(earliest, latest) ISO days for an xsd:date / gYearMonth / gYear lexical form."""
    try:
        if kind == "day":
            m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", lexical.strip())
            return (lexical.strip(), lexical.strip()) if m else None
        if kind == "month":
            m = re.fullmatch(r"(\d{4})-(\d{2})", lexical.strip())
            if not m:
                return None
            y, mo = int(m.group(1)), int(m.group(2))
            last = calendar.monthrange(y, mo)[1]
            return f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{last:02d}"
        if kind == "year":
            m = re.fullmatch(r"(\d{4})", lexical.strip())
            return (f"{m.group(1)}-01-01", f"{m.group(1)}-12-31") if m else None
    except ValueError:
        return None
    return None


def derive_dates(store: ox.Store) -> None:
    """Add cse:earliest / cse:latest (where not written) and cse:precision to every instant."""
    q = SPARQL_PREFIXES + """
    SELECT ?t ?d ?ym ?y ?e ?l WHERE {
      ?t a time:Instant .
      OPTIONAL { ?t time:inXSDDate ?d } OPTIONAL { ?t time:inXSDgYearMonth ?ym }
      OPTIONAL { ?t time:inXSDgYear ?y } OPTIONAL { ?t cse:earliest ?e } OPTIONAL { ?t cse:latest ?l }
    }"""
    date_t = ox.NamedNode(XSD + "date")
    add = []
    for row in store.query(q):
        t = row["t"]
        kind, value = None, None
        for var, k in (("d", "day"), ("ym", "month"), ("y", "year")):
            if row[var] is not None:
                kind, value = k, row[var].value
                break
        b = _bounds(kind, value) if kind else None
        if row["e"] is None and b:
            add.append(ox.Quad(t, ox.NamedNode(CSE + "earliest"), ox.Literal(b[0], datatype=date_t)))
        if row["l"] is None and b:
            add.append(ox.Quad(t, ox.NamedNode(CSE + "latest"), ox.Literal(b[1], datatype=date_t)))
        precision = kind or "range"
        add.append(ox.Quad(t, ox.NamedNode(CSE + "precision"), ox.NamedNode(PREFIXES["prec"] + precision)))
    store.extend(add)


@dataclass
class Compiled:
    store: ox.Store
    files: list[Path]
    triples: int


def compile_graph(data_dir: Path, progress: Progress | None = None) -> Compiled:
    files = input_files(data_dir)
    if progress:
        progress(f"reading {sum(1 for f in files if f.suffix == '.ttl')} Turtle files")
    store = load(files)
    if progress:
        progress("deriving shortcut edges, types and date bounds")
    run_derive_rules(store)
    derive_dates(store)
    return Compiled(store, files, len(store))
