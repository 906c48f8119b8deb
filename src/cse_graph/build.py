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
import os
import re
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from . import paths
from .errors import UserError
from .vocab import CSE, GENID, PREFIXES, SPARQL_PREFIXES

TIME = PREFIXES["time"]
XSD = PREFIXES["xsd"]

Progress = Callable[[str], None]


class DataFileError(UserError):
    """A data or ontology file that cannot be read."""

    def __init__(self, path: Path | str, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = str(path), line, column, message
        where = self.path + (f":{line}" if line else "") + (f":{column}" if column and line else "")
        super().__init__(f"{where}: {message}")


def turtle_files(*dirs: Path) -> list[Path]:
    """The .ttl files under each folder (hidden ones skipped), sorted. A folder that does not
    exist, holds no Turtle file, or contains a symbolic-link loop or a dangling link is a
    DataFileError naming the path (never an empty graph that "passes")."""
    import errno

    out: list[Path] = []
    for d in dirs:
        if d.is_file():
            out.append(d)
            continue
        if not d.is_dir():
            raise DataFileError(d, None, None, "no such folder (give --data a folder of Turtle data files)")
        found: list[Path] = []
        seen: dict[str, str] = {}

        def walk_error(e: OSError):
            raise DataFileError(e.filename or d, None, None, f"cannot read this folder: {e.strerror or e}")

        for root, subdirs, files in os.walk(d, followlinks=True, onerror=walk_error):
            real = os.path.realpath(root)
            if real in seen:
                raise DataFileError(root, None, None, f"symbolic link loop: this is {seen[real]} again; remove the link")
            seen[real] = root
            subdirs[:] = sorted(s for s in subdirs if not s.startswith("."))
            for name in files:
                if name.startswith(".") or not name.endswith(".ttl"):
                    continue
                f = Path(root) / name
                try:
                    os.stat(f)
                except OSError as e:
                    if e.errno == errno.ELOOP:
                        raise DataFileError(f, None, None, "symbolic link loop: the link points (through others) "
                                                           "back at itself; remove it") from None
                    if f.is_symlink():
                        raise DataFileError(f, None, None, f"dangling symbolic link to {os.readlink(f)}: "
                                                           "restore its target or remove the link") from None
                    raise DataFileError(f, None, None, e.strerror or str(e)) from None
                found.append(f)
        if not found:
            raise DataFileError(d, None, None, "no Turtle (.ttl) files in this folder: give --data a folder "
                                               "of data files (or leave it out to use the shipped data/)")
        out.extend(sorted(found))
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


def _syntax_error(path: Path, e: SyntaxError) -> DataFileError:
    msg = str(e)
    m = _POS.search(msg)
    line = int(m.group(1)) if m else getattr(e, "lineno", None)
    col = int(m.group(2) or m.group(3)) if m and (m.group(2) or m.group(3)) else getattr(e, "offset", None)
    msg = re.sub(r"\s*\([^()]*, line \d+\)$", "", msg)
    return DataFileError(path, line, col, msg)


def parse_file(path: Path) -> list[ox.Triple]:
    """One file's triples (for tools that look at a single file; the build loads natively)."""
    with _reading(path):
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


@contextmanager
def _reading(path: Path):
    """Turn the parser's and the file system's errors into a DataFileError naming file and line."""
    try:
        yield
    except SyntaxError as e:
        raise _syntax_error(path, e) from None
    except UnicodeDecodeError as e:
        raise DataFileError(path, None, None, f"not UTF-8 text ({e.reason})") from None
    except OSError as e:
        raise DataFileError(path, None, None, e.strerror or str(e)) from None
    except MemoryError as e:   # pyoxigraph: one token (a literal, a line) over its 16 MiB buffer
        raise DataFileError(path, None, None, f"too large to parse: {e} bytes in one token — a literal this "
                                              "long is not curation data (quotes are at most 200 characters); "
                                              "shorten or remove it") from None


def skolemise_ntriples(nt: bytes) -> bytes:
    """Replace the blank nodes of an N-Triples document by IRIs derived from where they hang and
    what they hold, working on the text (fast: no Python RDF objects).

    A blank node's *content* hash covers its predicate-object lines (nested blank nodes by their
    own content hash); its *identity* adds the IRI and predicate of its one parent, so identical
    evidence under two entities stays two nodes, while a node with no single parent (a membership)
    is identified by content alone. The same data gives the same IRIs in every build.
    """
    if b"_:" not in nt:
        return nt
    lines = nt.split(b"\n")
    children: dict[bytes, list[bytes]] = defaultdict(list)
    parents: dict[bytes, list[tuple[bytes, bytes]]] = defaultdict(list)
    touched = []
    for i, line in enumerate(lines):
        if b"_:" not in line:
            continue
        s, p, rest = line.split(b" ", 2)
        o = rest[:-2]                                   # strip the final " ."
        sb, ob = s[:2] == b"_:", o[:2] == b"_:"
        if not (sb or ob):
            continue                                    # "_:" inside a literal
        touched.append(i)
        if sb:
            children[s].append(p + b" " + o)
        if ob:
            parents[o].append((s, p))

    content: dict[bytes, bytes] = {}

    def content_hash(b: bytes, depth: int = 0) -> bytes:
        h = content.get(b)
        if h is not None:
            return h
        parts = []
        for po in children.get(b, ()):
            cut = po.index(b" ")
            o = po[cut + 1:]
            if o[:2] == b"_:" and depth < 64:
                po = po[:cut + 1] + b"_:" + content_hash(o, depth + 1)
            parts.append(po)
        parts.sort()
        h = hashlib.sha1(b"\n".join(parts)).hexdigest().encode()
        content[b] = h
        return h

    ident: dict[bytes, bytes] = {}
    gen = GENID.encode()

    def identity(b: bytes, depth: int = 0) -> bytes:
        r = ident.get(b)
        if r is not None:
            return r
        ps = parents.get(b, ())
        if len(ps) == 1 and depth < 64:
            s, p = ps[0]
            parent = identity(s, depth + 1)[1:-1] if s[:2] == b"_:" else s[1:-1]
            key = parent + b"|" + p[1:-1] + b"|" + content_hash(b)
        else:
            key = b"root|" + content_hash(b)
        r = b"<" + gen + hashlib.sha1(key).hexdigest()[:20].encode() + b">"
        ident[b] = r
        return r

    for i in touched:
        s, p, rest = lines[i].split(b" ", 2)
        o = rest[:-2]
        if s[:2] == b"_:":
            s = identity(s)
        if o[:2] == b"_:":
            o = identity(o)
        lines[i] = s + b" " + p + b" " + o + b" ."
    return b"\n".join(lines)


def load(files: Iterable[Path], progress: Progress | None = None) -> ox.Store:
    """Parse every Turtle file straight into an in-memory store (pyoxigraph's native loader)."""
    store = ox.Store()
    for f in files:
        if f.suffix != ".ttl":
            continue
        with _reading(f):
            store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
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


class Compiled:
    """The compiled graph as N-Triples (what the cache stores), and as a store on first use."""

    def __init__(self, ntriples: bytes, files: list[Path], triples: int, entities: dict | None = None):
        self.ntriples, self.files, self.triples = ntriples, files, triples
        self.entities = entities or {}   # explore.description.entity_index of the compiled graph
        self._store: ox.Store | None = None

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            self._store = ox.Store()
            self._store.bulk_load(input=self.ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        return self._store


def compile_graph(data_dir: Path, progress: Progress | None = None) -> Compiled:
    files = input_files(data_dir)
    if progress:
        progress(f"reading {sum(1 for f in files if f.suffix == '.ttl')} Turtle files")
    raw = load(files)
    if progress:
        progress(f"deriving shortcut edges, types and date bounds ({len(raw)} triples read)")
    run_derive_rules(raw)
    derive_dates(raw)
    if progress:
        progress("indexing entity names, types and dates")
    from .engine import OxigraphStore
    from .entities import entity_index

    entities = entity_index(OxigraphStore(raw))   # named entities only: no blank node is involved
    if progress:
        progress("giving blank nodes stable IRIs")
    triples = len(raw)
    nt = skolemise_ntriples(raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
    del raw
    return Compiled(nt, files, triples, entities)
