"""Issue 13's analyses — known, recurrence, gaps --overdue, breaks — with exact answers on a tiny
hand-built graph (tests/fixtures/tiny-analyses/), properties on the real graph, every command in
every format against its JSON schema, and the same answers through a real Oxigraph endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from cse_graph.build import compile_graph
from cse_graph.compact import build_compact, compact, load, save
from cse_graph.explore.analysis_queries import analysis_query, parse_as_of
from cse_graph.explore.breaks import articulation_points, breaks
from cse_graph.explore.known import known, narrate
from cse_graph.explore.overdue import overdue
from cse_graph.explore.recurrence import recurrence, suggest
from cse_graph.store import OxigraphStore, RemoteStore
from cse_graph.vocab import ID

from .conftest import FIXTURES
from .conftest import run_cli as run
from .servers import start_oxigraph, stop

SCHEMAS = Path(__file__).resolve().parent / "schemas"
R, REC, AG = ID + "report/", ID + "recommendation/", ID + "agency/"


def schema(name):
    return json.loads((SCHEMAS / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def tiny():
    return OxigraphStore(compile_graph(FIXTURES / "tiny-analyses").store)


def labels(items):
    return [(x["label"], x["timing"]) for x in items]


# ---------------------------------------------------------------------------
# known
# ---------------------------------------------------------------------------

def test_parse_as_of_takes_the_periods_last_day():
    assert parse_as_of("2008")["latest"] == "2008-12-31"
    assert parse_as_of("2008-02")["latest"] == "2008-02-29"
    assert parse_as_of("2008-01-15")["latest"] == "2008-01-15"
    for bad in ("2008-13", "08", "2008-02-30", "soon"):
        with pytest.raises(ValueError):
            parse_as_of(bad)


def test_known_straddling_and_undated(tiny):
    r = known(tiny, "2008-06", by=AG + "force")
    assert r["cutoff"] == "2008-06-30" and r["by"]["label"] == "The Force"
    # "2007/8" straddles mid-2008: listed, marked; the undated note and the undated seed are left out and counted
    assert labels(r["documents"]) == [("Briefing", "before"), ("Early Report", "before"), ("Straddling Report", "straddles")]
    assert r["undated_documents"] == 2
    reached = {d["label"]: [(x["label"], x["means"], x["timing"]) for x in d["reached"]] for d in r["documents"]}
    assert reached == {"Briefing": [], "Early Report": [("Force Unit", "sent", "before")],   # a unit of the Force
                       "Straddling Report": [("The Force", "presented", "undated")]}
    assert r["documents"][1]["reached"][0]["evidence"][0]["quote"] == "q-d1-sent-to-unit"
    assert [x["label"] for x in r["open_recommendations"]] == ["Rec 1.1: share intelligence"]
    assert labels(r["responses_by_then"]) == [("Training Course", "before"), ("Joint Team", "before")]
    assert labels(r["missed_so_far"]) == [("Missed Early", "before"), ("Missed During 2008", "straddles")]
    assert [x["label"] for x in r["missed_so_far"][0]["ignored"]] == ["Early Report"]


def test_known_at_the_edges_of_a_month(tiny):
    # Joint Team is dated 2007-06: known at 2007-06 (its last day is the cut-off), not at 2007-05
    june, may = known(tiny, "2007-06"), known(tiny, "2007-05")
    assert ("Joint Team", "before") in labels(june["responses_by_then"])
    assert "Joint Team" not in [x["label"] for x in may["responses_by_then"]]
    assert [x["label"] for x in may["open_recommendations"]] == ["Rec 1.1: share intelligence", "Rec 1.3: a joint team"]
    assert ("Straddling Report", "straddles") in labels(may["documents"])
    # a receipt dated after the cut-off does not count, though its document existed
    march = known(tiny, "2005-03", by=AG + "force")
    assert [(d["label"], d["reached"]) for d in march["documents"]] == [("Briefing", []), ("Early Report", [])]
    assert known(tiny, "2005-04", by=AG + "force")["documents"][1]["reached"][0]["timing"] == "before"
    assert known(tiny, "2003")["documents"] == []
    council = known(tiny, "2009", by=AG + "council")
    assert [d["label"] for d in council["documents"] if d["reached"]] == ["Late Report"]


def test_known_narrates_with_dates_and_citations(tiny):
    text = narrate(known(tiny, "2008-06", by=AG + "force"))
    assert text.startswith("As of 2008-06 (cut-off 2008-06-30), 2 documents already existed and 1 more possibly did")
    assert "Straddling Report (2007/8, possibly)" in text
    assert "Early Report (sent to Force Unit) [“q-d1-sent-to-unit” — Seed, L-d1-sent]" in text
    assert "Missed During 2008 (during 2008, possibly)" in text


# ---------------------------------------------------------------------------
# gaps --overdue
# ---------------------------------------------------------------------------

def lags(items):
    return [(x["label"], x["lag_months"], x["measured_to"]) for x in items]


def test_overdue_threshold_is_inclusive_and_the_record_end_bounds_silence(tiny):
    end = "end of record (2009-12-31)"
    assert lags(overdue(tiny, 12)) == [("Rec 1.1: share intelligence", 57, end), ("Rec 1.3: a joint team", 27, "first response")]
    # answered exactly at 12 months: within a 12-month threshold, overdue at 11
    assert lags(overdue(tiny, 11)) == lags(overdue(tiny, 12)) + [("Rec 1.2: train officers", 12, "first response")]
    # made 11 months before the record ends, never answered: overdue only below 11; the undated note's never
    assert lags(overdue(tiny, 10))[-1] == ("Rec 3.1: improve intelligence", 11, end)
    assert "Rec 4.1: keep records" not in [x["label"] for x in overdue(tiny, 0)]
    assert overdue(tiny, 12)[1]["first_response"]["label"] == "Joint Team"
    with pytest.raises(ValueError):
        overdue(tiny, -1)


def test_query_parameters_are_filled_in_and_checked():
    q = analysis_query("overdue-recommendations", months="7")
    assert "VALUES ?months { 7 }" in q
    with pytest.raises(KeyError):
        analysis_query("overdue-recommendations", nonsense="1")


# ---------------------------------------------------------------------------
# recurrence
# ---------------------------------------------------------------------------

def test_recurrence_groups_exactly(tiny):
    r = recurrence(tiny)
    assert [(g["label"], g["years"], g["span_years"], g["documents"]) for g in r["groups"]] == [
        ("Intelligence is not gathered or shared", [2005, 2009], 4, 2),
        ("Agencies should work as one team", [2005, 2009], 4, 2)]
    intel, joint = r["groups"]
    assert [(m["label"], m["document_label"], m["year"]) for m in intel["members"]] == [
        ("Early: intelligence is poor", "Early Report", 2005), ("Late: intelligence still poor", "Late Report", 2009),
        ("Rec 3.1: improve intelligence", "Late Report", 2009)]
    assert all(len(m["evidence"]) == 1 for g in r["groups"] for m in g["members"])
    assert intel["responses"] == []
    assert [(x["label"], x["relation"], x["responds_to"]) for x in joint["responses"]] == [("Joint Team", "prompted", REC + "d1-3")]
    # a one-document group appears only when asked for
    assert [g["label"] for g in recurrence(tiny, min_documents=1)["groups"]][-1] == "Victims treated as offenders"
    assert recurrence(tiny, min_documents=3)["groups"] == []


def test_suggest_proposes_and_marks_what_is_confirmed(tiny):
    r = suggest(tiny, threshold=0.2)
    assert [[(m["label"], m["confirmed_in"]) for m in p["members"]] for p in r["proposals"]] == [[
        ("Early: intelligence is poor", ["Intelligence is not gathered or shared"]),
        ("Late: intelligence still poor", ["Intelligence is not gathered or shared"])], [
        ("Rec 1.3: a joint team", ["Agencies should work as one team"]), ("Late: no joint work yet", ["Agencies should work as one team"])]]
    assert suggest(tiny, threshold=0.99)["proposals"] == []


# ---------------------------------------------------------------------------
# breaks and the compact projection
# ---------------------------------------------------------------------------

def test_breaks_exactly(tiny):
    items = breaks(tiny)["items"]
    got = [(x["kind"], x["label"], [u["label"] for u in x["upstream"]], [d["label"] for d in x["downstream"]]) for x in items]
    assert got == [
        ("articulation point", "Early Report", ["Briefing"], ["Training Course", "Joint Team"]),
        ("articulation point", "Rec 1.2: train officers", ["Briefing", "Early Report"], ["Training Course"]),
        ("articulation point", "Rec 1.3: a joint team", ["Briefing", "Early Report"], ["Joint Team"]),
        ("no downstream action", "Early: intelligence is poor", [], []),
        ("no downstream action", "Victims blamed", [], []),
        ("no downstream action", "Late Report", [], ["Rec 3.1: improve intelligence"]),
        ("no downstream action", "Late: intelligence still poor", [], []),
        ("no downstream action", "Late: no joint work yet", [], []),
        ("no downstream action", "Seed", [], []),
        ("no downstream action", "Undated Note", [], ["Rec 4.1: keep records"]),
    ]


def test_articulation_points_on_small_graphs():
    import numpy as np
    from scipy.sparse import csr_matrix

    def ap(edges, n):
        rows = [a for a, b in edges] + [b for a, b in edges]
        cols = [b for a, b in edges] + [a for a, b in edges]
        m = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        return articulation_points(m.indptr, m.indices, n)

    assert ap([(0, 1), (1, 2)], 3) == [1]                       # a path
    assert ap([(0, 1), (1, 2), (2, 0)], 3) == []                # a cycle
    assert ap([(0, 1), (1, 2), (2, 0), (2, 3)], 5) == [2]       # a cycle with a tail, and an isolated node
    assert ap([(0, 1), (0, 2), (0, 3)], 4) == [0]               # a star's centre


def test_compact_projection_round_trips(tiny, tmp_path):
    g = build_compact(tiny)
    save(g, tmp_path / "c")
    back = load(tmp_path / "c")
    assert back.ids == g.ids and back.labels == g.labels and back.types == g.types and back.earliest == g.earliest
    for name in ("out_ptr", "out_idx", "out_rel", "in_ptr", "in_idx", "in_rel"):
        assert list(getattr(back, name)) == list(getattr(g, name))
    i = g.index[R + "d1"]
    assert sorted(g.labels[j] for j in g.successors(i)) == ["Missed Early", "Rec 1.1: share intelligence",
                                                            "Rec 1.2: train officers", "Rec 1.3: a joint team"]
    assert sorted(g.labels[j] for j in g.predecessors(i)) == ["Briefing"]


def test_compact_projection_is_cached_beside_the_build(store):
    g = compact(store)
    assert (store.cache_dir / "compact-v1" / "nodes.tsv").is_file()
    again = load(store.cache_dir / "compact-v1")
    assert again.ids == g.ids and g.edge_count == again.edge_count > 100


# ---------------------------------------------------------------------------
# the real graph
# ---------------------------------------------------------------------------

def test_real_known_grows_with_the_date(store):
    early, late = known(store, "2008-01"), known(store, "2016-12")
    assert early["documents"] and all(d["date"]["earliest"] <= "2008-01-31" for d in early["documents"])
    assert {d["id"] for d in early["documents"]} < {d["id"] for d in late["documents"]}
    assert all(x["date"]["earliest"] <= "2008-01-31" for x in early["missed_so_far"] + early["responses_by_then"])
    # only what holds with or without receipts: every receipt listed names its passage
    assert all(r["evidence"] for d in late["documents"] for r in d["reached"])


def test_real_recurrence_has_confirmed_groups_spanning_years(store, seeds_dir):
    groups = recurrence(store)["groups"]
    spans = [g["span_years"] for g in groups]
    assert len([s for s in spans if s >= 3]) >= 3 and spans == sorted(spans, reverse=True)
    text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in seeds_dir.glob("*.txt"))
    for g in groups:
        assert g["documents"] >= 2
        for m in g["members"]:
            assert m["evidence"], m["label"]
            for e in m["evidence"]:
                assert len(e["quote"]) <= 200 and " ".join(e["quote"].split()) in text, e["quote"]


def test_real_overdue_and_breaks(store):
    items = overdue(store, 12)
    assert items and all(x["lag_months"] >= 12 for x in items)
    b = breaks(store)["items"]
    assert any(x["kind"] == "articulation point" and x["upstream"] and x["downstream"] for x in b)
    assert any(x["kind"] == "no downstream action" for x in b)


# ---------------------------------------------------------------------------
# the commands, every format, JSON against its schema
# ---------------------------------------------------------------------------



@pytest.mark.parametrize("args,name", [
    (("known", "--at", "2008-01"), "known"),
    (("known", "--at", "2010", "--by", "South Yorkshire Police"), "known"),
    (("recurrence",), "recurrence"),
    (("recurrence", "--suggest", "--threshold", "0.2"), "recurrence-suggest"),
    (("breaks",), "breaks"),
    (("gaps", "--overdue", "12"), "gaps-overdue"),
], ids=lambda x: " ".join(x) if isinstance(x, tuple) else x)
def test_json_matches_schema(store, args, name):
    out = json.loads(run(*args, "--format", "json").stdout)
    jsonschema.validate(out, schema(name))
    if name == "gaps-overdue":
        jsonschema.validate(out, schema("gaps"))


@pytest.mark.parametrize("args,fmts,expect", [
    (("known", "--at", "2008-01", "--by", "South Yorkshire Police"), ("table", "csv", "text"), "Heal report"),
    (("recurrence",), ("table", "csv"), "fear of being"),
    (("recurrence", "--suggest"), ("table", "csv"), "Coffey"),
    (("breaks",), ("table", "csv"), "articulation point"),
    (("gaps", "--overdue", "12"), ("table", "csv"), "end of record"),
], ids=["known", "recurrence", "suggest", "breaks", "gaps-overdue"])
def test_every_format(store, args, fmts, expect, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")    # tables wrap to the terminal: wide enough that no cell is cut
    for fmt in fmts:
        out = run(*args, "--format", fmt).stdout
        assert expect.lower() in out.lower(), (fmt, out[:500])
        if fmt == "csv":
            import csv
            import io

            rows = list(csv.reader(io.StringIO(out)))
            assert len(rows) > 1 and len({len(r) for r in rows}) == 1


def test_usage_errors_are_clean(store):
    assert "not a date" in run("known", "--at", "2008-13", code=2).output
    assert "matches nothing" in run("known", "--at", "2008", "--by", "zzzz qqqq", code=1).output
    assert "nothing is dated" in run("known", "--at", "1900", "--format", "json", code=1).output


# ---------------------------------------------------------------------------
# the same answers through a real SPARQL endpoint
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, store):
    proc, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph-i13"))
    try:
        run("push", base + "/store")
        yield base + "/query"
    finally:
        stop(proc)


def norm(obj):
    return json.loads(json.dumps(obj, sort_keys=True))


def test_endpoint_gives_the_same_answers(endpoint, store):
    remote = RemoteStore(endpoint)
    syp = ID + "agency/south-yorkshire-police"
    assert norm(known(remote, "2008-01", by=syp)) == norm(known(store, "2008-01", by=syp))
    assert norm(known(remote, "2012")) == norm(known(store, "2012"))
    assert norm(recurrence(remote)) == norm(recurrence(store))
    assert norm(overdue(remote, 12)) == norm(overdue(store, 12))
    assert norm(breaks(remote)) == norm(breaks(store))
    out = json.loads(run("breaks", "--endpoint", endpoint, "--format", "json").stdout)
    assert norm(out) == norm(breaks(store))


# ---------------------------------------------------------------------------
# path on the compact path graph gives what the networkx route gave
# ---------------------------------------------------------------------------

def test_path_weights_equal_the_networkx_route(store):
    """Yen's algorithm over the compact path graph finds paths of the same weights as networkx's
    shortest_simple_paths over the projection (ties may be broken differently: weights are compared)."""
    import random
    from itertools import islice

    import networkx as nx

    from cse_graph.compact import VAGUE, WEIGHT
    from cse_graph.explore.path import path
    from cse_graph.graph import projection

    g = nx.Graph()
    for e in projection(store).edges:
        if e["evidence"]:
            w = WEIGHT.get(e["scope"], 1.5) + VAGUE.get(e["relation"], 0.0)
            u, v = e["source"], e["target"]
            g.add_edge(u, v, weight=min(w, g[u][v]["weight"]) if g.has_edge(u, v) else w)
    rnd = random.Random(7)
    nodes = sorted(g)
    pairs = [(ID + "operation/glover", ID + "agency/sheffield-city-council"),
             (ID + "report/jay-2014", ID + "operation/clover")] + [(rnd.choice(nodes), rnd.choice(nodes)) for _ in range(12)]
    nonempty = 0
    for a, b in pairs:
        mine = path(store, a, b, k=3)
        try:
            ref = [round(sum(g[u][v]["weight"] for u, v in zip(p, p[1:])), 2)
                   for p in islice(nx.shortest_simple_paths(g, a, b, weight="weight"), 3)] if a != b else []
        except nx.NetworkXNoPath:
            ref = []
        assert [p["weight"] for p in mine["paths"]] == ref, (a, b)
        for p in mine["paths"]:
            assert p["steps"][0]["from"]["id"] == a and p["steps"][-1]["to"]["id"] == b
            assert all(s["evidence"] for s in p["steps"])
            assert all(s["to"]["id"] == t["from"]["id"] for s, t in zip(p["steps"], p["steps"][1:]))
        nonempty += bool(mine["paths"])
    assert nonempty >= 10
