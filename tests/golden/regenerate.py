"""Regenerate the golden results the tests compare against.

    .venv/bin/python tests/golden/regenerate.py

Run it after a deliberate change to the data or the queries, then READ the diff
(`git diff tests/golden`) before committing: the goldens are reviewed answers, not snapshots to
refresh blindly. Values are canonical: IRIs as prefixed names, numbers normalised, rows sorted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from cse_graph.explore.gaps import gaps  # noqa: E402
from cse_graph.explore.lineage import lineage  # noqa: E402
from cse_graph.explore.missed import missed  # noqa: E402
from cse_graph.explore.timeline import timeline  # noqa: E402
from cse_graph.queries import canonical_answer, competency_questions  # noqa: E402
from cse_graph.vocab import ID, compact  # noqa: E402

# The lineage questions the explorer issue names, as (file name, root, direction, depth).
LINEAGE = [
    ("jay-report-down", "report:jay-2014", "down", 2),
    ("clover-up", "op:clover", "up", 3),
    ("glover-up", "op:glover", "up", 3),
    ("alphabet-up", "op:alphabet", "up", 3),
    ("operation-b-up", "op:b", "up", 3),
    ("problem-profile-2010-down", "report:syp-strategic-problem-profile-2010", "down", 3),
    ("operation-central-down", "op:central", "down", 3),
    ("operation-central-review-down", "report:op-central-learning-lessons-review", "down", 3),
]


query_answer = canonical_answer


def expand(name):
    prefix, local = name.split(":", 1)
    return {"report": ID + "report/", "op": ID + "operation/"}[prefix] + local


def lineage_answer(store, root, direction, depth):
    r = lineage(store, expand(root), direction=direction, depth=depth)
    return sorted(({"source": compact(e["source"]), "relation": e["relation"], "target": compact(e["target"]),
                    "confidence": e["confidence"], "lag_months": e["lag_months"],
                    "quotes": sorted(x["quote"] for x in e["evidence"])} for e in r["edges"]),
                  key=lambda e: (e["source"], e["relation"], e["target"]))


def missed_answer(store):
    return [{"id": compact(m["id"]), "date": m["date"]["text"] if m["date"] else None,
             "missed_by": sorted(compact(x["id"]) for x in m["missed_by"]),
             "ignored": sorted(compact(x["id"]) for x in m["ignored"]),
             "judged_by": sorted(compact(x["id"]) for x in m["judged_by"]), "confidence": m["confidence"]}
            for m in missed(store)]


def gaps_answer(store):
    g = gaps(store)
    return {"summary": g["summary"],
            "documents": [{"id": compact(d["id"]), "status": d["status"], "stated": d["stated_recommendations"],
                           "modelled": d["modelled_recommendations"],
                           "responses": sorted(compact(x["id"]) for x in d["responses"]),
                           "first_lag": d["first_response_lag_months"]} for d in g["documents"]],
            "recommendations": [{"id": compact(r["id"]), "status": r["status"],
                                 "responses": sorted(compact(x["id"]) for x in r["responses"])} for r in g["recommendations"]]}


def timeline_answer(store):
    return [{"id": compact(i["id"]), "event": i["event"], "earliest": i["date"]["earliest"], "precision": i["date"]["precision"]}
            for i in timeline(store, district=ID + "place/rotherham", since=2007, until=2011, exact=True, tenures=False)]


def answers(store):
    out = {f"queries/{c.name}.json": query_answer(store, c.text) for c in competency_questions()}
    for name, root, direction, depth in LINEAGE:
        out[f"explore/lineage-{name}.json"] = lineage_answer(store, root, direction, depth)
    out["explore/missed.json"] = missed_answer(store)
    out["explore/gaps.json"] = gaps_answer(store)
    out["explore/timeline-rotherham-2007-2011.json"] = timeline_answer(store)
    return out


def dump(obj) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


if __name__ == "__main__":
    from cse_graph.store import open_store

    store = open_store(progress=lambda m: None)
    for rel, obj in answers(store).items():
        (HERE / rel).write_text(dump(obj), encoding="utf-8")
        print("wrote", rel)
