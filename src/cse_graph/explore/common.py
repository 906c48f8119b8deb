"""What the questions share, by job — re-exported here so older imports keep working:

* :mod:`.description` — describing entities (label, type, kind, date), naming concepts;
* :mod:`.evidence`    — the passages a claim rests on, confidence ranks;
* :mod:`.resolution`  — what the user typed → one entity, with suggestions;
* :mod:`.sparql`      — VALUES lists, chunks, the date pattern.

New code imports from those modules.
"""

from __future__ import annotations

from ..store import IRI, Lit  # noqa: F401
from ..vocab import CSE, PREFIXES  # noqa: F401
from .description import (  # noqa: F401
    INDEX_FILE,
    concept_name,
    describe,
    describe_anchored,
    describe_bulk,
    entity_index,
    family,
    is_entity,
    label_of,
    most_specific_type,
    stored_index,
)
from .evidence import confidence_ranks, evidence_of  # noqa: F401
from .resolution import (  # noqa: F401
    KIND_NAMES,
    KIND_ORDER,
    MINOR_KINDS,
    MINOR_PENALTY,
    Name,
    NotFound,
    all_names,
    exact_name,
    kind_of,
    normalise_name,
    rank_names,
    resolve,
    score,
)
from .sparql import BULK, INSTANT, chunks, date_dict, to_int, values  # noqa: F401

short = concept_name      # the old names
norm = normalise_name

__all__ = ["IRI", "Lit", "CSE", "PREFIXES", "describe", "evidence_of", "resolve", "NotFound", "rank_names",
           "confidence_ranks", "short", "values", "is_entity", "family", "label_of"]
