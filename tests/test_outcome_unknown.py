"""An outcome the source could not establish is its own state, not a missed opportunity.

`gaps` keeps three states apart when no response is recorded: "documented as missed" (a source
judged it ignored), "outcome unknown" (a source says it could not find out what became of it) and
"no response recorded" (the graph holds nothing either way). One real example of each is pinned.
"""

from __future__ import annotations

import pytest

from cse_graph.explore.gaps import STATUSES, gaps
from cse_graph.vocab import PREFIXES

REPORT = PREFIXES["report"]


@pytest.fixture(scope="module")
def result(store):
    return gaps(store)


def _doc(result, slug):
    return next(d for d in result["documents"] if d["id"] == REPORT + slug)


def test_three_states_are_distinct_statuses():
    assert {"documented as missed", "outcome unknown", "no response recorded"} <= set(STATUSES)


def test_documented_as_missed(result):
    # Drew: "As with the Heal reports, this opportunity appears to have been missed."
    d = _doc(result, "syp-problem-profile-2006")
    assert d["status"] == "documented as missed"
    assert [m["id"].rsplit("/", 1)[-1] for m in d["documented_missed"]] == ["problem-profile-2006"]
    assert d["outcome_unknown"] == []


def test_outcome_unknown(result):
    # Drew: "I have not been able to find out what happened with this report."
    d = _doc(result, "sheffield-crime-analyst-report-2002")
    assert d["status"] == "outcome unknown"
    assert d["documented_missed"] == [] and d["responses"] == []
    assert [u["id"].rsplit("/", 1)[-1] for u in d["outcome_unknown"]] == ["sheffield-crime-analyst-report-2002"]
    rec = next(r for r in result["recommendations"] if r["id"].endswith("/crime-analyst-2002-further-action"))
    assert rec["status"] == "outcome unknown"


def test_no_response_recorded(result):
    d = _doc(result, "syp-1998-procedures")
    assert d["status"] == "no response recorded"
    assert d["documented_missed"] == [] and d["outcome_unknown"] == [] and d["responses"] == []


def test_summary_counts_each_state(result):
    s = result["summary"]["documents_by_status"]
    assert list(s) == list(STATUSES)
    assert s["outcome unknown"] >= 3 and s["documented as missed"] >= 1 and s["no response recorded"] >= 1
    assert sum(s.values()) == result["summary"]["documents"]


# Wording with which the Drew review says it could not establish an outcome.
_NOT_KNOWN = ("not been able to find out", "unable to establish", "could not establish",
              "declined to meet me", "work to review this continues", "placing this off limits")


def test_no_missed_opportunity_rests_on_an_unknown_outcome(store):
    """A passage saying the outcome is not known belongs to a cse:OutcomeUnknown, never to a miss."""
    rows = store.select("""SELECT ?m ?q WHERE { ?m a cse:MissedOpportunity ; cse:evidence/oa:hasSelector/oa:exact ?q }""")
    bad = [(str(r["m"]), str(r["q"])) for r in rows if any(w in str(r["q"]).lower() for w in _NOT_KNOWN)]
    assert bad == []
    rows = store.select("""SELECT ?u ?q WHERE { ?u a cse:OutcomeUnknown ; cse:evidence/oa:hasSelector/oa:exact ?q }""")
    with_words = {str(r["u"]) for r in rows if any(w in str(r["q"]).lower() for w in _NOT_KNOWN)}
    every = {str(r["u"]) for r in store.select("SELECT ?u WHERE { ?u a cse:OutcomeUnknown }")}
    assert every and with_words == every   # each unknown outcome shows the words that make it unknown
