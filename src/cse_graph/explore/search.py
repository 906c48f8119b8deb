"""Find entities by name: labels, other names, then titles and descriptions."""

from __future__ import annotations

from ..store import Store
from ..vocab import GENID_PATH, ID
from .description import describe
from .resolution import KIND_ORDER, kind_of, normalise_name, rank_names


def search(store: Store, text: str, limit: int = 20, minimum: float = 0.55) -> list[dict]:
    """``[{"id", "label", "type", "score"}]``, best first (score 1.0 = exact name)."""
    scored = {i: s for s, i, _ in rank_names(store, text, limit=200) if s >= minimum}
    q = normalise_name(text)
    if q:
        for r in store.select(f"""SELECT ?s ?t WHERE {{ ?s dct:title|dct:description|cse:outcome ?t .
                FILTER(STRSTARTS(STR(?s), "{ID}") && !CONTAINS(STR(?s), "{GENID_PATH}")) }}"""):
            if q in normalise_name(str(r["t"])):
                s = str(r["s"])
                scored[s] = max(scored.get(s, 0.0), 0.55)
    info = describe(store, scored)
    out = [{"id": i, "label": info[i]["label"], "type": info[i]["type"], "score": round(s, 3)} for i, s in scored.items()]
    # equal scores: main kinds first, in the order resolve() uses (documents, operations, people …)
    out.sort(key=lambda x: (-x["score"], KIND_ORDER.index(kind_of(x)), x["label"]))
    return out[:limit]
