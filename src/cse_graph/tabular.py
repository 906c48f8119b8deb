"""Tabular import: rows of a CSV or XLSX sheet become entities and cited links (Turtle).

A *mapping* (YAML, in the spirit of FollowTheMoney's mappings and i2's import
specifications) says which column holds what.  Each field is a column name, ``{column: C}``
or ``{value: CONSTANT}``::

    entity:                         # one entity per row
      id: id                        # a slug: lowercase letters, digits, hyphens
      type: type                    # document | agency | action | event | operation
      label: label
      description: description      # optional fields from here on
      date: date                    # YYYY, YYYY-MM or YYYY-MM-DD
      led_by: led_by                # actions: the agency that acted
      agency_kind: agency_kind      # agencies: an akind: concept (local-authority, …)
      unit_of: unit_of              # agencies: the body it is part of
      place: place                  # a place: entity
      source_id: source_id          # documents: their id in the source registry
    evidence:                       # the passage that introduces the entity
      quote: quote
      source: source                # a registered source id
    link:                           # optional: what set the row's entity in motion
      relation: relation            # prompted | informed | commissioned
      influencer: influencer        # an entity: prefixed name, IRI, or another row's id
      confidence: confidence        # stated | partly | probably | reported | possibly | inferred
      quote: link_quote             # optional; defaults to the evidence quote

Every problem is reported with file, row and column; a sheet with any problem writes
nothing.  The output is deterministic (rows in sheet order), so importing the same sheet
again changes nothing.  Locators are computed from the source, never typed.
"""

from __future__ import annotations

import csv
import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UserError
from .fileio import atomic_write
from .schemes import confidence_levels
from .seeds import SeedsMissing
from .sources import Registry, SourceError
from .vocab import ID, INFLUENCE_CLASSES, PREFIXES, compact, expand

TYPES = {  # type → (IRI prefix, rdf:type)
    "document": ("report", "cse:Report"),
    "agency": ("agency", "org:FormalOrganization"),
    "action": ("action", "cse:Action"),
    "event": ("event", "cse:Event"),
    "operation": ("op", "cse:Operation"),
}
RELATIONS = {name: compact(cls) for name, cls in INFLUENCE_CLASSES.items()}
FIELDS = {
    "entity": {"id": True, "type": True, "label": True, "description": False, "date": False, "led_by": False,
               "agency_kind": False, "unit_of": False, "place": False, "source_id": False},
    "evidence": {"quote": True, "source": True},
    "link": {"relation": True, "influencer": True, "confidence": True, "quote": False},
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class SheetError(UserError, ValueError):
    """The sheet or mapping has problems; ``problems`` lists each with file, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Row:
    number: int                     # as a spreadsheet shows it (the header is row 1)
    values: dict[str, str]


@dataclass
class Result:
    turtle: str
    entities: list[tuple[int, str, str, str]] = field(default_factory=list)  # (row, iri, type, label)
    links: list[tuple[int, str, str, str]] = field(default_factory=list)     # (row, influencer, relation, iri)


# -- reading -----------------------------------------------------------------------------------------

def load_mapping(path: Path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise SheetError([f"{path}: cannot read the mapping ({e.strerror or e})"]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise SheetError([f"{path}{where}: not valid YAML ({getattr(e, 'problem', None) or e})"]) from None
    problems = []
    if not isinstance(data, dict) or "entity" not in data:
        raise SheetError([f"{path}: a mapping needs an 'entity:' section (see `cse-graph import --help`)"])
    for section, value in data.items():
        if section == "sheet":
            continue
        if section not in FIELDS:
            problems.append(f"{path}: unknown section {section!r} (known: sheet, {', '.join(FIELDS)})")
            continue
        if not isinstance(value, dict):
            problems.append(f"{path}: section {section!r} must map field names to columns")
            continue
        for name, spec in value.items():
            if name not in FIELDS[section]:
                problems.append(f"{path}: {section}.{name} is not a known field (known: {', '.join(FIELDS[section])})")
            elif not (isinstance(spec, str) or (isinstance(spec, dict) and len(spec) == 1
                                                 and next(iter(spec)) in ("column", "value"))):
                problems.append(f"{path}: {section}.{name} must be a column name, {{column: NAME}} or {{value: CONSTANT}}")
        for name, required in FIELDS[section].items():
            if required and name not in value:
                problems.append(f"{path}: {section}.{name} is required")
    if "evidence" not in data:
        problems.append(f"{path}: a mapping needs an 'evidence:' section (quote and source)")
    if problems:
        raise SheetError(problems)
    return data


def read_sheet(path: Path, sheet: str | None = None) -> tuple[list[str], list[Row]]:
    path = Path(path)
    if not path.is_file():
        raise SheetError([f"{path}: no such file"])
    ext = path.suffix.lower()
    if ext == ".csv":
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh))
        except UnicodeDecodeError as e:
            raise SheetError([f"{path}: not UTF-8 text (byte {e.start}): save the sheet as CSV UTF-8"]) from None
        except csv.Error as e:
            raise SheetError([f"{path}: not a readable CSV ({e})"]) from None
    elif ext in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path, sheet)
    else:
        raise SheetError([f"{path}: unsupported sheet {ext or '(no extension)'!r}: use .csv or .xlsx"])
    if not rows or not any(c.strip() for c in rows[0]):
        raise SheetError([f"{path}: the sheet is empty (the first row must name the columns)"])
    header = [c.strip() for c in rows[0]]
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise SheetError([f"{path}: row 1: column {d!r} appears more than once" for d in dupes])
    out = []
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise SheetError([f"{path}: row {n}: more cells than the header has columns"])
        out.append(Row(n, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}))
    if not out:
        raise SheetError([f"{path}: the sheet has a header but no rows"])
    return header, out


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise SheetError([f"{path}: not a readable .xlsx workbook ({type(e).__name__}: {e})"]) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise SheetError([f"{path}: no sheet named {sheet!r} (sheets: {', '.join(wb.sheetnames)})"])
        ws = wb[sheet] if sheet else wb.worksheets[0]
        return [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# -- turning rows into Turtle ------------------------------------------------------------------------

def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class _Rows:
    """Resolves a mapping field on a row and records problems with file, row and column."""

    def __init__(self, sheet: Path, mapping: dict, header: list[str]):
        self.sheet, self.mapping, self.header = sheet, mapping, header
        self.problems: list[str] = []

    def column(self, section: str, name: str) -> str | None:
        spec = (self.mapping.get(section) or {}).get(name)
        if isinstance(spec, str):
            return spec
        if isinstance(spec, dict) and "column" in spec:
            return str(spec["column"])
        return None

    def get(self, row: Row, section: str, name: str) -> str:
        spec = (self.mapping.get(section) or {}).get(name)
        if spec is None:
            return ""
        if isinstance(spec, dict) and "value" in spec:
            return str(spec["value"]).strip()
        return row.values.get(self.column(section, name), "")

    def where(self, row: Row, section: str, name: str) -> str:
        col = self.column(section, name)
        if col is None:
            return f"{self.sheet}: row {row.number}, {section}.{name} (constant in the mapping)"
        letter = _col_letter(self.header.index(col)) if col in self.header else "?"
        return f"{self.sheet}: row {row.number}, column {col!r} ({letter})"

    def problem(self, row: Row, section: str, name: str, message: str) -> None:
        self.problems.append(f"{self.where(row, section, name)}: {message}")


def _lit(text: str) -> str:
    from rdflib import Literal

    return Literal(text).n3()


def _ref(iri: str) -> str:
    c = compact(iri)
    return c if c != iri and re.match(r"^[a-z]+:[A-Za-z0-9][A-Za-z0-9_-]*$", c) else f"<{iri}>"


def _date(value: str) -> tuple[str, str] | None:
    m = _DATE.match(value)
    if not m:
        return None
    y, mo, d = m.groups()
    try:
        if d:
            _dt.date(int(y), int(mo), int(d))
            return "time:inXSDDate", f'"{value}"^^xsd:date'
        if mo:
            _dt.date(int(y), int(mo), 1)
            return "time:inXSDgYearMonth", f'"{value}"^^xsd:gYearMonth'
        return "time:inXSDgYear", f'"{value}"^^xsd:gYear'
    except ValueError:
        return None


def convert(sheet: Path, mapping_path: Path, known: set[str], registry: Registry,
            agency_kinds: set[str]) -> Result:
    """Rows → Turtle.  ``known``: IRIs of the graph's entities (references must resolve to one
    of them or to a row of the sheet).  Raises SheetError listing every problem."""
    mapping = load_mapping(mapping_path)
    header, rows = read_sheet(sheet, mapping.get("sheet"))
    R = _Rows(sheet, mapping, header)
    missing = []
    for section, fields in FIELDS.items():
        for name in fields:
            col = R.column(section, name)
            if section in mapping and col is not None and col not in header:
                missing.append(f"{sheet}: row 1: no column {col!r} (mapping field {section}.{name} in {mapping_path}); "
                               f"the sheet has: {', '.join(h for h in header if h)}")
    if missing:
        raise SheetError(missing)

    # first pass: ids, so rows can refer to each other
    ids: dict[str, tuple[int, str]] = {}
    for row in rows:
        sid, kind = R.get(row, "entity", "id"), R.get(row, "entity", "type").lower()
        if kind in TYPES and sid and _SLUG.match(sid):
            iri = ID + f"{TYPES[kind][0]}/{sid}"
            if sid in ids:
                R.problem(row, "entity", "id", f"id {sid!r} is used again (first in row {ids[sid][0]})")
            else:
                ids[sid] = (row.number, iri)

    def resolve(row: Row, section: str, name: str, value: str) -> str | None:
        if value in ids:
            return ids[value][1]
        iri = expand(value) if (":" in value or value.startswith("<")) else None
        if iri is None:
            R.problem(row, section, name, f"{value!r} is not an entity: give a prefixed name (report:jay-2014), "
                                          f"an IRI, or the id of another row")
            return None
        if iri not in known and iri not in {v[1] for v in ids.values()}:
            R.problem(row, section, name, f"no entity {value} in the graph or in this sheet")
            return None
        return iri

    def evidence(row: Row, section: str, quote: str, source: str) -> str | None:
        if not quote:
            R.problem(row, section, "quote", "a quote is required: the passage, verbatim, that states this")
            return None
        if len(quote) > 200:
            R.problem(row, section, "quote", f"the quote is {len(quote)} characters; evidence quotes must be at most 200")
            return None
        src = registry.sources.get(source)
        if src is None:
            R.problem(row, "evidence", "source", f"{source!r} is not a registered source "
                                                f"(`cse-graph sources list`; add it with `cse-graph sources add`)")
            return None
        try:
            hits = registry.text(src).find(quote)
        except (SourceError, SeedsMissing) as e:
            R.problem(row, "evidence", "source", f"the text of {source!r} cannot be read: {e}")
            return None
        if not hits:
            R.problem(row, section, "quote", f"quote not found in source {source!r} (only whitespace and quote marks may differ)")
            return None
        return (f"[ oa:hasSource {_ref(src.iri)} ; cse:locator {_lit(hits[0].locator)} ;\n"
                f"            oa:hasSelector [ oa:exact {_lit(quote)} ] ]")

    result = Result("")
    blocks = []
    for row in rows:
        g = lambda s, n: R.get(row, s, n)  # noqa: E731
        sid, kind, label = g("entity", "id"), g("entity", "type").lower(), g("entity", "label")
        n_before = len(R.problems)
        if not sid:
            R.problem(row, "entity", "id", "an id is required")
        elif not _SLUG.match(sid):
            R.problem(row, "entity", "id", f"{sid!r} is not a valid id: use lowercase letters, digits and hyphens")
        if kind not in TYPES:
            R.problem(row, "entity", "type", f"{kind or '(empty)'!r} is not a type: use one of {', '.join(TYPES)}")
        if not label:
            R.problem(row, "entity", "label", "a label is required")
        lines = []
        date = g("entity", "date")
        if date and _date(date) is None:
            R.problem(row, "entity", "date", f"{date!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        ev = evidence(row, "evidence", g("evidence", "quote"), g("evidence", "source"))
        led_by = g("entity", "led_by")
        if kind == "action" and not led_by:
            R.problem(row, "entity", "led_by", "an action needs the agency that acted (otherwise make it an event)")
        refs = {}
        for name in ("led_by", "unit_of", "place"):
            v = g("entity", name)
            if v:
                refs[name] = resolve(row, "entity", name, v)
        akind = g("entity", "agency_kind")
        if kind == "agency":
            if not akind:
                R.problem(row, "entity", "agency_kind", f"an agency needs a kind: one of {', '.join(sorted(agency_kinds))}")
            elif akind not in agency_kinds:
                R.problem(row, "entity", "agency_kind", f"{akind!r} is not an agency kind: use one of {', '.join(sorted(agency_kinds))}")
        source_id = g("entity", "source_id")
        if source_id and source_id not in registry.sources:
            R.problem(row, "entity", "source_id", f"{source_id!r} is not a registered source")
        link = None
        if "link" in mapping and (g("link", "relation") or g("link", "influencer")):
            rel, conf = g("link", "relation").lower(), g("link", "confidence").lower()
            if rel not in RELATIONS:
                R.problem(row, "link", "relation", f"{rel or '(empty)'!r} is not a relation: use one of {', '.join(RELATIONS)}")
            if conf not in confidence_levels():
                R.problem(row, "link", "confidence",
                          f"{conf or '(empty)'!r} is not a confidence: use one of {', '.join(confidence_levels())}")
            infl = resolve(row, "link", "influencer", g("link", "influencer")) if g("link", "influencer") else None
            if not g("link", "influencer"):
                R.problem(row, "link", "influencer", "the link needs the entity that did the prompting, informing or commissioning")
            lq = g("link", "quote") or g("evidence", "quote")
            lev = evidence(row, "link" if g("link", "quote") else "evidence", lq, g("evidence", "source"))
            link = (rel, infl, conf, lev)
        if len(R.problems) > n_before:
            continue
        prefix, cls = TYPES[kind]
        iri = ids[sid][1]
        lines.append(f"{prefix}:{sid} a {cls} ;")
        lines.append(f"    rdfs:label {_lit(label)} ;")
        if kind == "document":
            lines.append(f"    dct:title {_lit(label)} ;")
        if g("entity", "description"):
            lines.append(f"    dct:description {_lit(g('entity', 'description'))} ;")
        if source_id:
            lines.append(f"    cse:sourceId {_lit(source_id)} ;")
        if kind == "agency":
            lines.append(f"    dct:type akind:{akind} ;")
        if refs.get("led_by"):
            lines.append(f"    cse:ledBy {_ref(refs['led_by'])} ;")
        if refs.get("unit_of"):
            lines.append(f"    org:subOrganizationOf {_ref(refs['unit_of'])} ;")
        if refs.get("place"):
            lines.append(f"    dct:spatial {_ref(refs['place'])} ;")
        if date:
            prop, lit = _date(date)
            lines.append(f"    time:hasTime [ {prop} {lit} ] ;")
        if link:
            rel, infl, conf, lev = link
            lines.append(f"    prov:qualifiedInfluence [ a {RELATIONS[rel]} ;\n"
                         f"        prov:influencer {_ref(infl)} ;\n"
                         f"        cse:confidence conf:{conf} ;\n"
                         f"        cse:evidence {lev} ] ;")
            result.links.append((row.number, infl, rel, iri))
        lines.append(f"    cse:evidence {ev} .")
        blocks.append(f"# {sheet.name} row {row.number}\n" + "\n".join(lines))
        result.entities.append((row.number, iri, kind, label))
    if R.problems:
        raise SheetError(R.problems)
    head = "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items())
    result.turtle = (f"# Imported by `cse-graph import {sheet.name} --mapping {Path(mapping_path).name}`: "
                     f"edit the sheet and import again rather than this file.\n\n{head}\n\n" + "\n\n".join(blocks) + "\n")
    return result


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as fh:
        fh.write(text)


def staged_data_dir(data_dir: Path, out: Path, turtle: str, tmp: Path) -> Path:
    """A copy (by symlink) of ``data_dir`` with ``out`` replaced by the new Turtle: what the
    data folder will hold after the import, for validating before anything is written."""
    stage = tmp / "data"
    out_res = out.resolve() if out.exists() else None
    for f in sorted(Path(data_dir).rglob("*.ttl")):
        rel = f.relative_to(data_dir)
        if any(part.startswith(".") for part in rel.parts) or (out_res is not None and f.resolve() == out_res):
            continue
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).symlink_to(f.resolve())
    (stage / "_import").mkdir(parents=True, exist_ok=True)
    (stage / "_import" / out.name).write_text(turtle, encoding="utf-8")
    return stage
