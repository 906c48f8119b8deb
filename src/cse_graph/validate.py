"""Validation: SHACL shapes, SPARQL checks and (when the seeds are at hand) quote checks.

Each problem becomes a :class:`Problem` that names the entity a reader would look for (the
labelled entity that owns an evidence node or a date, not the node's generated IRI), the
rule that failed, and the rule's message saying how to fix it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import paths
from .seeds import SeedsMissing
from .vocab import GENID_PATH, PREFIXES, SPARQL_PREFIXES, compact

SH = PREFIXES["sh"]


@dataclass
class Problem:
    severity: str            # "violation" | "warning"
    rule: str                # shape name, check name, or "QuoteInSeed"/"LocatorMatchesSeed"
    focus: str               # IRI of the focus node
    entity: str              # IRI of the labelled entity that owns it (often = focus)
    label: str               # that entity's label
    path: str | None
    message: str
    value: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "violation"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    shacl_results: int = 0   # results of the SHACL shapes alone, of any severity

    @property
    def conforms(self) -> bool:
        """No violations (warnings are curation gaps): what `cse-graph validate` exits 0 on ("passed")."""
        return not self.violations

    @property
    def shacl_conforms(self) -> bool:
        """SHACL's own sh:conforms: true only when the shapes gave no result at all, warnings
        included (as pySHACL without allow_warnings, and Apache Jena, report it)."""
        return self.shacl_results == 0


class Owners:
    """Find, for any node, the nearest labelled entity that points at it."""

    def __init__(self, store: ox.Store):
        self.labels: dict[str, str] = {}
        for row in store.query(SPARQL_PREFIXES + "SELECT ?s ?l WHERE { ?s rdfs:label ?l }"):
            self.labels.setdefault(row["s"].value, row["l"].value)
        self.parent: dict[str, str] = {}
        q = SPARQL_PREFIXES + f"""SELECT ?s ?o WHERE {{ ?s ?p ?o .
            FILTER(isIRI(?o) && CONTAINS(STR(?o), "{GENID_PATH}") && ?p != rdf:type) }}"""
        for row in store.query(q):
            self.parent.setdefault(row["o"].value, row["s"].value)
        # Nodes nothing points at (memberships) are owned by the person they are about.
        q = SPARQL_PREFIXES + """SELECT ?m ?p WHERE { ?m org:member ?p }"""
        for row in store.query(q):
            self.parent.setdefault(row["m"].value, row["p"].value)
        # Mention exceptions are owned by the description they excuse (else the entity named).
        for prop in ("cse:mentionIn", "cse:mentionOf"):
            for row in store.query(SPARQL_PREFIXES + f"SELECT ?m ?p WHERE {{ ?m {prop} ?p }}"):
                self.parent.setdefault(row["m"].value, row["p"].value)

    def owner(self, node: str) -> tuple[str, str]:
        seen = set()
        while node not in self.labels and node in self.parent and node not in seen:
            seen.add(node)
            node = self.parent[node]
        return node, self.labels.get(node, compact(node))


def _shape_names(shapes) -> dict:
    """Map every shape (and each property shape inside a node shape) to a readable name."""
    from rdflib import RDFS, Namespace

    sh = Namespace(SH)
    names = {}
    for s, label in shapes.subject_objects(RDFS.label):
        names[s] = str(label)
        for ps in shapes.objects(s, sh.property):
            names[ps] = str(label)
        for lst in shapes.objects(s, sh["or"]):
            for member in shapes.items(lst):
                names[member] = str(label)
        for lst in shapes.objects(s, sh.xone):
            for member in shapes.items(lst):
                names[member] = str(label)
    return names


def run_shacl(store: ox.Store, shapes_path: Path, owners: Owners) -> list[Problem]:
    import logging

    import pyshacl
    from rdflib import Graph, Literal, Namespace, URIRef

    # rdflib logs a traceback for every ill-typed literal it parses; check_literals reports them
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)

    data = Graph()
    data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8"),
               format="nt")
    # ill-typed literals are reported by check_literals; SHACL engines cannot compare them (a
    # sh:lessThanOrEquals on "2014-13-45"^^xsd:date raises inside pySHACL), so they are left out here
    for triple in [tr for tr in data if isinstance(tr[2], Literal) and tr[2].ill_typed]:
        data.remove(triple)
    shapes = Graph().parse(shapes_path, format="turtle")
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                     abort_on_first=False, meta_shacl=False)
    sh = Namespace(SH)
    names = _shape_names(shapes)
    out = []
    nested = set(results.objects(None, sh.detail))
    for r in results.subjects(predicate=None, object=sh.ValidationResult):
        if r in nested:
            continue  # reported through its parent result (sh:node helpers such as ConfidenceConcept)
        focus = str(results.value(r, sh.focusNode))
        source = results.value(r, sh.sourceShape)
        sev = results.value(r, sh.resultSeverity)
        path = results.value(r, sh.resultPath)
        value = results.value(r, sh.value)
        msg = results.value(r, sh.resultMessage)
        entity, label = owners.owner(focus)
        out.append(Problem(
            severity="warning" if sev == sh.Warning else "violation",
            rule=names.get(source, "shape"),
            focus=focus, entity=entity, label=label,
            path=(compact(str(path)) if isinstance(path, URIRef) else "(property path)") if path is not None else None,
            message=str(msg) if msg is not None else "does not conform",
            value=str(value) if value is not None else None,
        ))
    return out


_XSD = PREFIXES["xsd"]
_LEXICAL = {
    "integer": r"[+-]?\d+", "int": r"[+-]?\d+", "long": r"[+-]?\d+", "short": r"[+-]?\d+",
    "nonNegativeInteger": r"\+?\d+", "positiveInteger": r"\+?0*[1-9]\d*",
    "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    "double": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|-INF|NaN",
    "float": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|-INF|NaN",
    "boolean": r"true|false|1|0",
    "date": r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?",
    "gYear": r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?",
    "gYearMonth": r"-?\d{4,}-\d{2}(Z|[+-]\d{2}:\d{2})?",
    "dateTime": r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?",
}


def _well_typed(lexical: str, dtype: str) -> bool:
    import datetime
    import re

    if not re.fullmatch(_LEXICAL[dtype], lexical):
        return False
    try:
        if dtype in ("date", "dateTime"):
            datetime.date.fromisoformat(lexical.lstrip("-")[:10])
        elif dtype == "gYearMonth":
            return 1 <= int(lexical.lstrip("-").split("-")[1][:2]) <= 12
    except ValueError:
        return False
    return True


def check_literals(store: ox.Store, owners: Owners) -> list[Problem]:
    """Typed literals whose text is not of their datatype ("many"^^xsd:integer, "2014-13-45"^^xsd:date):
    the parser accepts them, so without this check they pass and break the readers later."""
    types = ", ".join(f"xsd:{d}" for d in _LEXICAL)
    q = SPARQL_PREFIXES + f"""SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) && DATATYPE(?o) IN ({types})) }}"""
    out = []
    for row in store.query(q):
        o = row["o"]
        dtype = o.datatype.value[len(_XSD):]
        if _well_typed(o.value, dtype):
            continue
        focus = row["s"].value
        entity, label = owners.owner(focus)
        out.append(Problem("violation", "WellTypedLiteral", focus, entity, label, compact(row["p"].value),
                           f"{o.value!r} is not a valid xsd:{dtype}: write it as the datatype requires "
                           f"(e.g. {'15' if 'nteger' in dtype or dtype in ('int', 'long', 'short') else '2014-08-26' if dtype == 'date' else 'a valid value'}), "  # noqa: E501
                           "or use a plain string with cse:wording for wording",
                           o.value))
    return out


def check_files() -> list[Path]:
    return sorted((paths.queries_dir() / "checks").glob("*.rq"))


def _header(path: Path) -> tuple[str, str]:
    """(question, severity) from a query file's leading comments."""
    question, severity = "", "violation"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if text.lower().startswith("severity:"):
            severity = text.split(":", 1)[1].strip().lower()
        elif not question:
            question = text
    return question, severity


def run_checks(store: ox.Store, owners: Owners) -> list[Problem]:
    out = []
    for f in check_files():
        _, severity = _header(f)
        for row in store.query(SPARQL_PREFIXES + f.read_text(encoding="utf-8")):
            focus = row["focus"].value
            entity, label = owners.owner(focus)
            out.append(Problem(severity, f.stem, focus, entity, label, None, row["message"].value))
    return out


def run_mentions(store: ox.Store, owners: Owners) -> list[Problem]:
    """Descriptions naming another entity with no structured link (warnings; see mentions.py)."""
    from .mentions import RULE, unlinked_mentions

    out = []
    for m in unlinked_mentions(store):
        entity, label = owners.owner(m.focus)
        out.append(Problem("warning", RULE, m.focus, entity, label, "dct:description", m.message, m.name))
    return out


def check_quotes(store: ox.Store, owners: Owners, seeds_dir: str | None = None,
                 sources_dir: str | None = None) -> tuple[list[Problem], int]:
    """Every oa:exact occurs in its registered source and the locator names one of its
    occurrences; a quote citing a source whose original changed is reported as such."""
    from .sources import Registry

    registry = Registry(sources_dir, seeds_dir)
    for src in registry.sources.values():
        if src.seed_file:
            registry.text(src)  # the seeds must be found: raises SeedsMissing naming where it looked
    q = SPARQL_PREFIXES + """SELECT ?e ?src ?loc ?quote ?sid WHERE {
        ?e oa:hasSource ?src ; oa:hasSelector ?sel . ?sel oa:exact ?quote .
        OPTIONAL { ?e cse:locator ?loc } OPTIONAL { ?src cse:sourceId ?sid } }"""
    out, n = [], 0
    for row in store.query(q):
        n += 1
        e, iri, quote = row["e"].value, row["src"].value, row["quote"].value
        loc = row["loc"].value if row["loc"] is not None else None
        entity, label = owners.owner(e)
        src = registry.by_iri(iri)
        if src is None:
            if row["sid"] is not None:
                out.append(Problem("violation", "SourceRegistered", e, entity, label, "oa:hasSource",
                                   f"{compact(iri)} (cse:sourceId {row['sid'].value!r}) is not in the source registry "
                                   f"{registry.folder}: register it with `cse-graph sources add FILE --id {row['sid'].value}`, "
                                   f"or name the registry that holds it with --sources DIR / CSE_GRAPH_SOURCES.", iri))
            continue  # EvidenceShape reports a source that is neither a seed nor registered
        status = registry.status(src)
        hits = registry.text(src).find(quote)
        changed = f" Note: {status.describe(src, seeds_dir)}." if status.state != "ok" else ""
        if not hits:
            out.append(Problem("violation", "QuoteInSeed", e, entity, label, "oa:exact",
                               f"Quote not found verbatim in {src.seed_file or src.id} (only whitespace and quote marks may differ): copy it again from the text.{changed}",  # noqa: E501
                               quote))
        elif status.state != "ok":
            out.append(Problem("violation", "SourceChanged", e, entity, label, "oa:hasSource",
                               f"The quote matches the text registered for {src.seed_file or src.id}, but {status.describe(src, seeds_dir)}: "
                               f"check the quote against the file as it is now, then register it again with "
                               f"`cse-graph sources add FILE --id {src.id} --replace`.", quote))
        elif loc is not None and loc not in {h.locator for h in hits}:
            out.append(Problem("violation", "LocatorMatchesSeed", e, entity, label, "cse:locator",
                               f"Locator {loc!r} does not match where the quote stands ({hits[0].locator!r}): run `cse-graph cite` for the right one.",
                               loc))
    return out, n


def validate_store(store: ox.Store, seeds_dir: str | None = None, quotes: bool | None = None,
                   sources_dir: str | None = None) -> Report:
    """Run shapes, checks and quote checks.  ``quotes``: True checks them (SeedsMissing if the
    seeds cannot be found), None checks them when the seeds are found, False skips them."""
    owners = Owners(store)
    report = Report()
    report.problems += check_literals(store, owners)
    report.checked["literals"] = 1
    shacl = run_shacl(store, paths.ontology_dir() / "shapes.ttl", owners)
    report.shacl_results = len(shacl)
    report.problems += shacl
    report.checked["shapes"] = 1
    report.problems += run_checks(store, owners)
    report.checked["checks"] = len(check_files())
    report.problems += run_mentions(store, owners)
    if quotes is not False:
        try:
            problems, n = check_quotes(store, owners, seeds_dir, sources_dir)
            report.problems += problems
            report.checked["quotes"] = n
        except SeedsMissing:
            if quotes:
                raise
    report.problems.sort(key=lambda p: (p.severity != "violation", p.rule, p.label, p.message))
    return report
