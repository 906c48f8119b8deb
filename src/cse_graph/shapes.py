"""The JSON shapes the README calls a public contract, as TypedDicts (for readers and type checkers).

Each class names the JSON Schema it mirrors (``tests/schemas/NAME.json``, at a JSON pointer); a test checks
that each TypedDict has exactly the schema's keys, and the CLI tests validate every command's output against
the schema. Change both together. No ``from __future__ import annotations`` here: TypedDict needs the real
``NotRequired`` to tell optional keys from required ones.
"""

from typing import Any, NotRequired, TypedDict


class Date(TypedDict):
    """A date as worded and its bounds. lineage.json ``$defs/date``."""
    text: str
    earliest: str
    latest: str
    precision: str


class Evidence(TypedDict):
    """One passage a claim rests on. lineage.json ``$defs/evidence/items``."""
    document: str
    document_label: NotRequired[str]
    locator: str | None
    quote: str


class Brief(TypedDict):
    """An entity in brief. lineage.json ``$defs/brief``."""
    id: str
    label: str
    type: str


class Node(TypedDict):
    """An entity in brief, with its date. lineage.json ``$defs/node``."""
    id: str
    label: str
    type: str
    date: Date | None


class LineageEdge(TypedDict):
    """lineage.json ``properties/edges/items``."""
    source: str
    target: str
    relation: str
    confidence: str
    lag_months: int | None
    evidence: list[Evidence]
    hops: int


class Lineage(TypedDict):
    """``cse-graph lineage --format json``. lineage.json."""
    root: Node
    direction: str
    depth: int
    min_confidence: str | None
    nodes: list[Node]
    edges: list[LineageEdge]


class SearchHit(TypedDict):
    """``cse-graph search``, one item. search.json ``items``."""
    id: str
    label: str
    type: str
    score: float


class TimelineItem(TypedDict):
    """``cse-graph timeline``, one item. timeline.json ``items``."""
    id: str
    label: str
    type: str
    event: str
    date: Date
    districts: list[str]


class Missed(TypedDict):
    """``cse-graph missed``, one item. missed.json ``items``."""
    id: str
    label: str
    description: str | None
    date: Date | None
    districts: list[str]
    missed_by: list[dict[str, Any]]
    ignored: list[dict[str, Any]]
    judged_by: list[dict[str, Any]]
    confidence: str | None
    evidence: list[Evidence]


class Paths(TypedDict):
    """``cse-graph path``. path.json."""
    source: Brief
    target: Brief
    paths: list[dict[str, Any]]


class Gaps(TypedDict):
    """``cse-graph gaps``. gaps.json."""
    summary: dict[str, Any]
    documents: list[dict[str, Any]]
    recommendations: list[dict[str, Any]]


class GapsOverdue(Gaps):
    """``cse-graph gaps --overdue N``. gaps-overdue.json."""
    overdue: list[dict[str, Any]]


class Rank(TypedDict):
    """``cse-graph rank``. rank.json."""
    measure: str
    definition: str
    items: list[dict[str, Any]]


class Known(TypedDict):
    """``cse-graph known``. known.json."""
    at: str
    cutoff: str
    rule: str
    by: Brief | None
    documents: list[dict[str, Any]]
    open_recommendations: list[dict[str, Any]]
    responses_by_then: list[dict[str, Any]]
    missed_so_far: list[dict[str, Any]]
    undated_documents: int


class Breaks(TypedDict):
    """``cse-graph breaks``. breaks.json."""
    definition: str
    items: list[dict[str, Any]]


class Recurrence(TypedDict):
    """``cse-graph recurrence``. recurrence.json."""
    groups: list[dict[str, Any]]


class RecurrenceSuggestions(TypedDict):
    """``cse-graph recurrence --suggest``. recurrence-suggest.json."""
    method: str
    threshold: float
    proposals: list[dict[str, Any]]


class Show(TypedDict):
    """``cse-graph show``. show.json."""
    id: str
    label: str
    type: str
    types: list[str]
    dates: dict[str, Date]
    facts: list[dict[str, Any]]
    influences: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    evidence: list[Evidence]


class Validation(TypedDict):
    """``cse-graph validate``. validate.json."""
    conforms: bool
    violations: int
    warnings: int
    checked: Any
    problems: list[dict[str, Any]]
    passed: bool


class WrittenFile(TypedDict):
    """``cse-graph export … --report json``, one item. export-all.json ``items``."""
    file: str
    bytes: int
    what: str


class Query(TypedDict):
    """``cse-graph queries``, one item. queries.json ``items``."""
    name: str
    question: str
    file: str
