"""Competency questions (``queries/*.rq``) and running any SPARQL query.

A query file's first comment line is its question in plain words. Queries may use the
project's prefixes (cse:, report:, op: …) without declaring them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .engine import json_term
from .store import IRI, BNode, Lit, QueryError, Store

_KIND = re.compile(r"^\s*(?:(?:PREFIX\s+\S*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
                   re.IGNORECASE)
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b\s*(DATA|WHERE|\{|<|GRAPH|SILENT|ALL|DEFAULT|NAMED)",
                     re.IGNORECASE)


@dataclass
class Competency:
    name: str
    path: Path
    question: str
    text: str


def _strip_comments(text: str) -> str:
    """Drop whole-line comments (enough to find the query form; '#' inside IRIs is kept)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def query_kind(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; raises QueryError for updates and unknown forms."""
    body = _strip_comments(text)
    m = _KIND.search(body)
    if not m:
        if _UPDATE.search(body):
            raise QueryError("SPARQL Update is not allowed here: the graph is read-only")
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return m.group(1).upper()


def question_of(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("#"):
            q = line.lstrip("#").strip()
            if q:
                return q
        elif line.strip():
            break
    return ""


def competency_questions() -> list[Competency]:
    out = []
    for f in sorted(paths.queries_dir().glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        out.append(Competency(f.stem, f, question_of(text), text))
    return out


def find(name: str) -> Competency:
    """A shipped question by name (with or without .rq), or any .rq file by path."""
    p = Path(name)
    if p.suffix == ".rq" and p.is_file():
        text = p.read_text(encoding="utf-8")
        return Competency(p.stem, p, question_of(text), text)
    stem = p.name.removesuffix(".rq")
    for c in competency_questions():
        if c.name == stem:
            return c
    raise FileNotFoundError(name)


@dataclass
class Result:
    kind: str
    variables: list[str]
    rows: list[dict]
    boolean: bool | None = None
    graph: bytes | None = None


def run(store: Store, text: str) -> Result:
    kind = query_kind(text)
    if kind == "SELECT":
        variables, rows = store.select_with_vars(text)
        return Result(kind, variables, rows)
    if kind == "ASK":
        return Result(kind, [], [], boolean=store.ask(text))
    return Result(kind, [], [], graph=store.construct(text))


def term_json(t) -> dict | None:
    if t is None:
        return None
    if isinstance(t, IRI):
        return json_term("uri", str(t))
    if isinstance(t, BNode):
        return json_term("bnode", str(t))
    if isinstance(t, Lit):
        return json_term("literal", t.value, t.datatype, t.lang)
    return json_term("literal", str(t))


def sparql_json(result: Result) -> dict:
    """SPARQL 1.1 Query Results JSON for a SELECT or ASK result."""
    if result.kind == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    return {"head": {"vars": result.variables},
            "results": {"bindings": [{k: term_json(v) for k, v in row.items() if v is not None} for row in result.rows]}}


def canonical_term(v):
    """A term in an engine-neutral form: IRIs as prefixed names, numbers normalised."""
    from decimal import Decimal, InvalidOperation

    from .vocab import compact

    if v is None:
        return None
    if isinstance(v, Lit):
        if v.datatype and v.datatype.rsplit("#", 1)[-1] in ("integer", "decimal", "double", "float"):
            try:
                return format(Decimal(v.value).normalize(), "f")
            except InvalidOperation:
                pass
        return v.value
    return compact(str(v))


def canonical_answer(store: Store, text: str) -> dict:
    """A query's answer in a form two engines can be compared on (and goldens stored in)."""
    return canonical(run(store, text))


def canonical(r: Result) -> dict:
    """``{"boolean"}`` for ASK, else ``{"variables", "rows"}`` with canonical terms, rows sorted."""
    import json

    if r.kind == "ASK":
        return {"boolean": r.boolean}
    rows = sorted((tuple((k, canonical_term(row.get(k))) for k in r.variables) for row in r.rows), key=lambda t: json.dumps(t))
    return {"variables": r.variables, "rows": [dict(t) for t in rows]}
