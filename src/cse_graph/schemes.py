"""The ontology's concept schemes as Python values, read from ``ontology/schemes/*.ttl`` (the one source).

Confidence levels and their ranks live in ``ontology/schemes/confidence.ttl`` (``cse:rank``); code that needs
them (``--min-confidence`` choices, the import's column check, the pages' strongest-confidence pick) asks
here instead of re-typing them. Each scheme file is parsed once per process, on first use, with pyoxigraph
(about 10 ms with its import), so commands that never need a scheme do not pay for it.
"""

from __future__ import annotations

from functools import cache

from . import paths
from .vocab import CSE, PREFIXES

SKOS_PREF_LABEL = PREFIXES["skos"] + "prefLabel"


@cache
def _concepts(scheme: str) -> dict[str, dict[str, str]]:
    """{concept IRI: {predicate IRI: lexical value}} of one scheme file (single-valued predicates)."""
    import pyoxigraph as ox

    path = paths.ontology_dir() / "schemes" / f"{scheme}.ttl"
    out: dict[str, dict[str, str]] = {}
    for t in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.NamedNode):
            out.setdefault(t.subject.value, {})[t.predicate.value] = t.object.value
    return out


@cache
def confidence_ranks() -> dict[str, int]:
    """{level: rank}, firmest first, from the confidence scheme's ``skos:prefLabel`` and ``cse:rank``."""
    levels = {c[SKOS_PREF_LABEL]: int(c[CSE + "rank"]) for c in _concepts("confidence").values()
              if SKOS_PREF_LABEL in c and CSE + "rank" in c}
    return dict(sorted(levels.items(), key=lambda kv: -kv[1]))


def confidence_levels() -> tuple[str, ...]:
    """The confidence levels, firmest first (``stated`` … ``inferred``)."""
    return tuple(confidence_ranks())
