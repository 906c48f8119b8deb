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
from .seeds import SEED_IRIS, SeedsMissing, load_seeds
from .vocab import CSE, PREFIXES, SPARQL_PREFIXES, compact

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

    @property
    def conforms(self) -> bool:
        return not self.violations


class Owners:
    """Find, for any node, the nearest labelled entity that points at it."""

    def __init__(self, store: ox.Store):
        self.labels: dict[str, str] = {}
        for row in store.query(SPARQL_PREFIXES + "SELECT ?s ?l WHERE { ?s rdfs:label ?l }"):
            self.labels.setdefault(row["s"].value, row["l"].value)
        self.parent: dict[str, str] = {}
        q = SPARQL_PREFIXES + """SELECT ?s ?o WHERE { ?s ?p ?o .
            FILTER(isIRI(?o) && CONTAINS(STR(?o), "/.well-known/genid/") && ?p != rdf:type) }"""
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
    from rdflib import Namespace, RDFS

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
    import pyshacl
    from rdflib import Graph, Namespace, URIRef

    data = Graph()
    data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8"),
               format="nt")
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


def check_quotes(store: ox.Store, owners: Owners, seeds_dir: str | None = None) -> tuple[list[Problem], int]:
    """Every oa:exact occurs in its source seed and the locator names one of its occurrences."""
    seeds = load_seeds(seeds_dir)
    q = SPARQL_PREFIXES + """SELECT ?e ?src ?loc ?quote WHERE {
        ?e oa:hasSource ?src ; oa:hasSelector ?sel . ?sel oa:exact ?quote .
        OPTIONAL { ?e cse:locator ?loc } }"""
    by_iri = {iri: name for name, iri in SEED_IRIS.items()}
    out, n = [], 0
    for row in store.query(q):
        n += 1
        e, src, quote = row["e"].value, row["src"].value, row["quote"].value
        loc = row["loc"].value if row["loc"] is not None else None
        entity, label = owners.owner(e)
        seed = by_iri.get(src)
        if seed is None:
            continue  # EvidenceShape reports a source that is not a seed
        hits = seeds[seed].find(quote)
        if not hits:
            out.append(Problem("violation", "QuoteInSeed", e, entity, label, "oa:exact",
                               f"Quote not found verbatim in {seed} (only whitespace and quote marks may differ): copy it again from the text.",
                               quote))
        elif loc is not None and loc not in {h.locator for h in hits}:
            out.append(Problem("violation", "LocatorMatchesSeed", e, entity, label, "cse:locator",
                               f"Locator {loc!r} does not match where the quote stands ({hits[0].locator!r}): run `cse-graph cite` for the right one.",
                               loc))
    return out, n


def validate_store(store: ox.Store, seeds_dir: str | None = None, quotes: bool | None = None) -> Report:
    """Run shapes, checks and (if seeds are available, or ``quotes`` is True) quote checks."""
    owners = Owners(store)
    report = Report()
    report.problems += run_shacl(store, paths.ontology_dir() / "shapes.ttl", owners)
    report.checked["shapes"] = 1
    report.problems += run_checks(store, owners)
    report.checked["checks"] = len(check_files())
    report.problems += run_mentions(store, owners)
    if quotes is not False:
        try:
            problems, n = check_quotes(store, owners, seeds_dir)
            report.problems += problems
            report.checked["quotes"] = n
        except SeedsMissing:
            if quotes:
                raise
    report.problems.sort(key=lambda p: (p.severity != "violation", p.rule, p.label, p.message))
    return report
