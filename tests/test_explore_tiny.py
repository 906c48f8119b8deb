"""Every question on a tiny hand-built graph (tests/fixtures/tiny/tiny.ttl) with exact answers."""

from __future__ import annotations

import pytest

from cse_graph.build import compile_graph
from cse_graph.explore.common import NotFound, resolve
from cse_graph.explore.gaps import gaps
from cse_graph.explore.lineage import lineage, narrate
from cse_graph.explore.missed import missed
from cse_graph.explore.path import path
from cse_graph.explore.rank import rank
from cse_graph.explore.search import search
from cse_graph.explore.show import show
from cse_graph.explore.stats import stats, tables
from cse_graph.explore.timeline import timeline
from cse_graph.store import OxigraphStore
from cse_graph.vocab import ID

from .conftest import FIXTURES

R, A, E, REC, M, AG, PL, P = (ID + "report/", ID + "action/", ID + "event/", ID + "recommendation/", ID + "missed/",
                               ID + "agency/", ID + "place/", ID + "person/")


@pytest.fixture(scope="module")
def tiny():
    return OxigraphStore(compile_graph(FIXTURES / "tiny").store)


def edges(result):
    return {(e["source"].rsplit("/", 1)[-1], e["relation"], e["target"].rsplit("/", 1)[-1], e["confidence"])
            for e in result["edges"]}


def test_lineage_down_follows_every_relation(tiny):
    r = lineage(tiny, R + "r1", "down", depth=5)
    assert edges(r) == {
        ("r1", "prompted", "a1", "stated"), ("a1", "prompted", "e1", "possibly"),
        ("r1", "recommended", "rec1", "stated"), ("r1", "recommended", "rec2", "stated"),
        ("rec1", "prompted", "a2", "partly"), ("r1", "ignored in", "m1", "stated"),
        ("r1", "informed", "r3", "stated"),   # but not r3's own recommendation: r1 did not set r3 in motion
    }
    lag = {e["target"].rsplit("/", 1)[-1]: e["lag_months"] for e in r["edges"]}
    assert lag["a1"] == 9 and lag["e1"] == 10 and lag["a2"] == 31  # a recommendation is dated by its report
    a1 = next(e for e in r["edges"] if e["target"].endswith("/a1"))
    assert a1["evidence"] == [{"document": R + "seed", "document_label": "Seed", "locator": "L-a1", "quote": "q-a1-after-r1"}]


def test_lineage_depth_and_confidence_floor(tiny):
    assert edges(lineage(tiny, R + "r1", "down", depth=1)) == {
        ("r1", "prompted", "a1", "stated"), ("r1", "recommended", "rec1", "stated"),
        ("r1", "recommended", "rec2", "stated"), ("r1", "ignored in", "m1", "stated"), ("r1", "informed", "r3", "stated")}
    assert ("r3", "recommended", "rec3", "stated") in edges(lineage(tiny, R + "r3", "down", depth=1))
    floor = edges(lineage(tiny, R + "r1", "down", depth=5, min_confidence="partly"))
    assert ("a1", "prompted", "e1", "possibly") not in floor and ("rec1", "prompted", "a2", "partly") in floor
    assert ("rec1", "prompted", "a2", "partly") not in edges(lineage(tiny, R + "r1", "down", depth=5, min_confidence="stated"))


def test_lineage_up_and_both(tiny):
    assert edges(lineage(tiny, E + "e1", "up", depth=5)) == {
        ("a1", "prompted", "e1", "possibly"), ("r1", "prompted", "a1", "stated"),
        ("r0", "informed", "r1", "stated"), ("council", "commissioned", "r1", "stated")}
    both = edges(lineage(tiny, A + "a1", "both", depth=1))
    assert both == {("r1", "prompted", "a1", "stated"), ("a1", "prompted", "e1", "possibly")}


def test_lineage_rejects_unknown_confidence(tiny):
    with pytest.raises(ValueError):
        lineage(tiny, R + "r1", "down", min_confidence="certain")


def test_narration_is_oldest_first_and_cited(tiny):
    text = narrate(lineage(tiny, R + "r1", "down", depth=5))
    lines = [l for l in text.splitlines() if l and not l.startswith(" ")][1:]
    assert lines[0].startswith("2010-06: Report One (2010) recommended")
    assert "Event One was possibly prompted by Action One" in text
    assert "— Seed, L-e1: “q-e1-perhaps-after-a1”" in text


def test_missed_filters_by_place_and_year(tiny):
    assert [m["label"] for m in missed(tiny)] == ["Missed Two (county)", "Missed One"]
    sheffield = missed(tiny, district=PL + "sheffield")
    assert [m["label"] for m in sheffield] == ["Missed Two (county)", "Missed One"]
    assert [m["label"] for m in missed(tiny, district=PL + "sheffield", exact=True)] == ["Missed One"]
    assert [m["label"] for m in missed(tiny, district=PL + "barnsley", exact=True)] == []
    assert [m["label"] for m in missed(tiny, since=2010)] == ["Missed One"]
    assert [m["label"] for m in missed(tiny, until=2010)] == ["Missed Two (county)"]
    m1 = missed(tiny, since=2011, until=2011)[0]
    assert [x["label"] for x in m1["ignored"]] == ["Report One (2010)"]
    assert [x["label"] for x in m1["missed_by"]] == ["The Force"]
    assert [x["label"] for x in m1["judged_by"]] == ["Judging Report"]
    assert m1["date"]["text"] == "during 2011" and m1["date"]["precision"] == "range"


def test_gaps_separates_missed_from_silence(tiny):
    g = gaps(tiny)
    docs = {d["id"].rsplit("/", 1)[-1]: d for d in g["documents"]}
    assert docs["r1"]["status"] == "responded and documented as missed"
    assert docs["r1"]["stated_recommendations"] == 3 and docs["r1"]["modelled_recommendations"] == 2
    assert docs["r1"]["recommendations_with_response"] == 1
    assert {x["label"] for x in docs["r1"]["responses"]} == {"Action One", "Action Two"}
    assert docs["r1"]["first_response_lag_months"] == 9
    assert docs["r0"]["status"] == "no response recorded"   # r1, a report, only drew on it: a citation
    assert [c["label"] for c in docs["r0"]["cited_by"]] == ["Report One (2010)"]
    assert [c["label"] for c in docs["r1"]["cited_by"]] == ["Later Review"]
    assert docs["r2"]["status"] == "no response recorded"
    recs = {r["id"].rsplit("/", 1)[-1]: r for r in g["recommendations"]}
    assert recs["rec1"]["status"] == "responded" and recs["rec1"]["responses"][0]["lag_months"] == 31
    assert recs["rec2"]["status"] == "no response recorded"
    assert g["summary"]["recommendations_by_status"]["no response recorded"] == 2   # rec2 and rec3


def test_timeline_orders_and_includes_tenures(tiny):
    items = timeline(tiny)
    labels = [(i["date"]["earliest"], i["event"], i["label"]) for i in items]
    assert labels[0] == ("2004-01-01", "began", "Pat Official — Chief of the Force")
    assert ("2011-10-01", "ended", "Pat Official — Chief of the Force") in labels
    assert [i["label"] for i in timeline(tiny, district=PL + "barnsley", exact=True)] == ["Action Two"]
    assert [i["label"] for i in timeline(tiny, since=2012, until=2012)] == ["Event One"]
    assert all(i["label"] != "Pat Official — Chief of the Force" for i in timeline(tiny, tenures=False))


def test_stats_pivots_and_checks_totals(tiny):
    assert [t["label"] for t in tables(tiny)] == ["Table T"]
    s = stats(tiny, "1")
    assert s["columns"] == ["2013", "2014"]
    assert [(r["label"], r["values"]["2013"], r["values"]["2014"], r["total"]) for r in s["rows"]] == [
        ("Sheffield", 10, 12, False), ("Barnsley", 5, 3, False), ("Total", 16, 15, True)]
    assert s["rows"][1]["notes"] == ["Thought to be high."]
    down = {"row": None, "direction": "down"}
    assert s["checks"] == [{"column": "2013", "printed_total": 16, "sum_of_cells": 15, "matches": False, **down},
                           {"column": "2014", "printed_total": 15, "sum_of_cells": 15, "matches": True, **down}]
    by = stats(tiny, "1", by=["year", "category"])
    assert by["columns"] == ["Sheffield", "Barnsley", "Total"] and by["total_columns"] == ["Total"]
    assert [r["label"] for r in by["rows"]] == ["2013", "2014"]
    assert [(c["row"], c["matches"]) for c in by["checks"]] == [("2013", False), ("2014", True)]


def test_rank_reach(tiny):
    r = rank(tiny, "reach")
    top = {x["label"]: x["reach"] for x in r["items"]}
    assert top["Report Zero"] == 9   # r1, a1, e1, rec1, rec2, a2, m1, r3, rec3
    assert top["Report One (2010)"] == 8
    assert r["items"][0]["label"] == "Report Zero"
    assert rank(tiny, "direct", kind="agency")["items"][0]["label"] == "The Council"


def test_path_uses_evidence_backed_steps(tiny):
    r = path(tiny, E + "e1", AG + "council", k=2)
    first = r["paths"][0]
    assert [s["relation"] for s in first["steps"]] == ["prompted", "prompted", "commissioned"]
    assert all(s["evidence"] for s in first["steps"])
    assert path(tiny, R + "r2", R + "r2")["paths"] == []


def test_resolve_and_search(tiny):
    assert resolve(tiny, "report:r1") == R + "r1"
    assert resolve(tiny, R + "r1") == R + "r1"
    assert resolve(tiny, "report one") == R + "r1"
    assert resolve(tiny, "REPORT ONE (2010)") == R + "r1"
    assert resolve(tiny, "r1") == R + "r1"                       # other name / slug
    assert resolve(tiny, "Action Onee") == A + "a1"               # a typo
    with pytest.raises(NotFound) as err:
        resolve(tiny, "zzzz qqqq")
    assert "matches nothing" in str(err.value)
    with pytest.raises(NotFound) as err:
        resolve(tiny, "Missed")
    assert "Missed One" in str(err.value) and "Missed Two" in str(err.value)
    hits = search(tiny, "recommendation")
    assert [h["label"] for h in hits[:3]] == ["Recommendation One", "Recommendation Three", "Recommendation Two"]


def test_show_lists_facts_influence_and_posts(tiny):
    s = show(tiny, A + "a1")
    assert s["type"] == "Action" and s["label"] == "Action One"
    rel = {(i["role"], i["relation"], i["other"]["label"], i["confidence"]) for i in s["influences"]}
    assert rel == {("effect", "prompted", "Report One (2010)", "stated"), ("cause", "prompted", "Event One", "possibly")}
    assert ("led by", "The Force") in {(f["property_label"], f["value_label"]) for f in s["facts"]}
    p = show(tiny, P + "p1")
    assert [(m["post"]["label"], m["began"]["text"], m["ended"]["text"]) for m in p["memberships"]] == [
        ("Chief of the Force", "2004", "2011-10")]


def test_every_describe_route_agrees(store, monkeypatch):
    """describe() answers named entities from the build's entity index, anything else with
    anchored queries, or with whole-graph queries for large sets: all three must agree."""
    import cse_graph.explore.common as common

    ids = [str(r["s"]) for r in store.select("""SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l
        FILTER(STRSTARTS(STR(?s), "https://w3id.org/cse-graph/id/") && !CONTAINS(STR(?s), "genid")) }""")]
    index = common.stored_index(store)
    assert len(ids) > 500 and set(index) == set(ids)
    indexed = common.describe(store, ids)
    anchored = common.describe_anchored(store, ids)
    monkeypatch.setattr(common, "BULK", 0)
    assert common.describe_anchored(store, ids) == anchored == indexed
    # and the index the build wrote is what the in-memory compiled graph gives
    assert common.entity_index(store) == index
