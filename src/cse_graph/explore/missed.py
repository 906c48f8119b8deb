"""Which opportunities were missed: the documented missed opportunities, filtered and dated."""

from __future__ import annotations

from ..store import Store
from .description import concept_name, describe
from .evidence import evidence_of
from .places import place_filter, within_years

# One anchored UNION branch per property (a VALUES list of predicates makes pyoxigraph scan).
_PROPS = {"missedBy": "cse:missedBy", "ignored": "cse:ignored", "judgedBy": "cse:judgedBy", "spatial": "dct:spatial",
          "description": "dct:description", "confidence": "cse:confidence"}
_Q = "SELECT ?m ?p ?o WHERE { " + " UNION ".join(
    f'{{ ?m a cse:MissedOpportunity ; {prop} ?o . BIND("{key}" AS ?p) }}' for key, prop in _PROPS.items()) + " }"


def missed(store: Store, district: str | None = None, since: int | None = None, until: int | None = None,
           exact: bool = False) -> list[dict]:
    """Documented missed opportunities, oldest first.

    Each item: ``{"id", "label", "description", "date", "districts", "missed_by", "ignored",
    "judged_by", "confidence", "evidence"}``. ``district`` (an IRI) keeps those in that place
    and, unless ``exact``, those that cover the whole county it lies in.
    """
    facts: dict[str, dict] = {}
    for r in store.select(_Q):
        f = facts.setdefault(str(r["m"]), {"missedBy": [], "ignored": [], "judgedBy": [], "spatial": [],
                                           "description": None, "confidence": None})
        p = str(r["p"])
        if p == "description":
            f["description"] = str(r["o"])
        elif p == "confidence":
            f["confidence"] = concept_name(r["o"])
        else:
            f[p].append(str(r["o"]))
    refs = {i for f in facts.values() for k in ("missedBy", "ignored", "judgedBy", "spatial") for i in f[k]}
    info = describe(store, list(facts) + sorted(refs))
    keep = place_filter(store, district, exact)
    ev = evidence_of(store, facts)
    out = []
    for m, f in facts.items():
        if keep is not None and not (set(f["spatial"]) & keep):
            continue
        if not within_years(info[m]["date"], since, until):
            continue

        def brief(ids):
            return [{"id": i, "label": info[i]["label"], "type": info[i]["type"]} for i in sorted(set(ids), key=lambda i: (info[i]["label"], i))]

        out.append({
            "id": m, "label": info[m]["label"], "description": f["description"], "date": info[m]["date"],
            "districts": brief(f["spatial"]), "missed_by": brief(f["missedBy"]), "ignored": brief(f["ignored"]),
            "judged_by": brief(f["judgedBy"]), "confidence": f["confidence"], "evidence": ev[m],
        })
    out.sort(key=lambda x: ((x["date"] or {}).get("earliest", "9999"), x["label"], x["id"]))
    return out
