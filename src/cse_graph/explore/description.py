"""Describing entities: their label, most specific type, kind (family) and date, and naming concepts."""

from __future__ import annotations

from ..entities import (
    INDEX_FILE,
    describe,
    describe_anchored,
    describe_bulk,
    entity_index,
    most_specific_type,
    stored_index,
)
from ..store import Store
from ..vocab import FAMILY, GENID, ID, compact


def family(type_name: str) -> str:
    """The broad kind of a type name (``Report`` → ``document``), ``other`` for the rest."""
    return FAMILY.get(type_name, "other")


def concept_name(concept) -> str | None:
    """The local name of a scheme concept (``…/confidence/stated`` → ``stated``); None stays None.

    >>> concept_name("https://w3id.org/cse-graph/scheme/confidence/partly")
    'partly'
    >>> concept_name(None) is None
    True
    """
    return str(concept).rsplit("/", 1)[-1] if concept is not None else None


def is_entity(iri: str) -> bool:
    return iri.startswith(ID) and not iri.startswith(GENID)


def label_of(store: Store, iri: str) -> str:
    r = store.select(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }} LIMIT 1")
    return str(r[0]["l"]) if r else compact(iri)


__all__ = ["INDEX_FILE", "concept_name", "describe", "describe_anchored", "describe_bulk", "entity_index", "family",
           "is_entity", "label_of", "most_specific_type", "stored_index"]
