"""Exports for investigators' tools: every FollowTheMoney entity loads and validates with the
`followthemoney` package (counts per schema printed), and the i2 chart (.anx) parses and holds
every entity and link of the selection, each link with its source reference."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from cse_graph.export.investigators import I2_TYPES, INFLUENCE, MEMBERSHIPS, _ftm_id, select
from cse_graph.graph import projection

from .conftest import run_cli as run


@pytest.fixture(scope="module")
def ftm_lines(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("ftm") / "graph.ftm.json"
    run("export", "ftm", "-o", out)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_every_ftm_entity_is_valid_under_followthemoney(ftm_lines, capsys):
    from followthemoney import model

    ids = {e["id"]: e for e in ftm_lines}
    assert len(ids) == len(ftm_lines), "entity ids are unique"
    problems = []
    for e in ftm_lines:
        schema = model.get(e["schema"])
        if schema is None or schema.abstract:
            problems.append(f"{e['id']}: no concrete schema {e['schema']!r}")
            continue
        try:
            schema.validate(e)                                   # values valid for their types
            model.get_proxy(e, cleaned=False)                    # loads as an entity
        except Exception as err:  # noqa: BLE001 — collected and reported below
            problems.append(f"{e['id']}: {err}")
        for prop in e["properties"]:
            if prop not in schema.properties:
                problems.append(f"{e['id']}: {e['schema']} has no property {prop!r}")
        for req in schema.required:
            if not e["properties"].get(req):
                problems.append(f"{e['id']}: {e['schema']} requires {req!r}")
        for prop, values in e["properties"].items():
            p = schema.properties.get(prop)
            if p is not None and p.type.name == "entity":
                for v in values:
                    target = ids.get(v)
                    if target is None:
                        problems.append(f"{e['id']}.{prop} → {v}: no such entity in the export")
                    elif not model.get(target["schema"]).is_a(p.range):
                        problems.append(f"{e['id']}.{prop} → {v}: a {target['schema']}, not a {p.range.name}")
    counts = Counter(e["schema"] for e in ftm_lines)
    with capsys.disabled():
        print("\nFollowTheMoney entities per schema: " + ", ".join(f"{s} {n}" for s, n in sorted(counts.items())))
    assert not problems, "\n".join(problems[:20])
    for s in ["Document", "Organization", "Person", "Position", "Occupancy", "Event", "Project", "UnknownLink"]:
        assert counts[s] > 0, s


def test_ftm_carries_posts_parents_quotes_and_missed_opportunities(ftm_lines, store):
    by_id = {e["id"]: e for e in ftm_lines}
    props = lambda i: by_id[i]["properties"]  # noqa: E731
    assert props("cse-report-drew-review-2016")["fileName"] == ["000_097f522c8c510e03.txt"]
    assert any(e["schema"] == "Organization" and e["properties"].get("parent") for e in ftm_lines)
    assert any(e["schema"] == "Position" and e["properties"].get("organization") for e in ftm_lines)
    occ = [e for e in ftm_lines if e["schema"] == "Occupancy"]
    # each tenure's start and end, where the texts date it
    began = {(_ftm_id(str(r["person"])), _ftm_id(str(r["post"]))) for r in store.select(MEMBERSHIPS) if r["start"] is not None}
    assert began and {(e["properties"]["holder"][0], e["properties"]["post"][0]) for e in occ
                      if e["properties"].get("startDate")} == began
    # every influence link of the graph is an UnknownLink with its quote and source document
    nodes, edges = select(projection(store))
    influence = {(_ftm_id(e["source"]), _ftm_id(e["target"]), e["relation"]) for e in edges if e["relation"] in INFLUENCE}
    links = {(e["properties"]["subject"][0], e["properties"]["object"][0], e["properties"]["role"][0]): e
             for e in ftm_lines if e["schema"] == "UnknownLink"}
    assert set(links) == influence
    clover = next(v for k, v in links.items() if k[1] == "cse-op-clover")
    assert "“" in clover["properties"]["description"][0] and clover["properties"]["proof"]
    missed = [e for e in ftm_lines if "missed opportunity" in e["properties"].get("keywords", [])]
    assert len(missed) == sum(1 for n in nodes.values() if n["type"] == "MissedOpportunity") > 0
    assert all(m["properties"].get("involved") for m in missed)


def test_i2_chart_parses_and_holds_every_entity_and_link_with_its_source(store, tmp_path):
    out = tmp_path / "graph.anx"
    run("export", "i2", "-o", out)
    raw = out.read_bytes()
    assert raw[:2] == b"\xff\xfe"  # UTF-16 LE with a byte-order mark, as Analyst's Notebook writes it
    root = ET.fromstring(raw.decode("utf-16"))
    assert root.tag == "Chart"
    types = {t.get("Name") for t in root.iter("EntityType")}
    assert types == {t for t, _ in I2_TYPES.values()}
    entities, links = {}, []
    for item in root.iter("ChartItem"):
        ent = item.find("End/Entity")
        if ent is not None:
            entities[ent.get("EntityId")] = (ent.get("Identity"), item)
            assert ent.find("Icon/IconStyle").get("Type") in types
        elif item.find("Link") is not None:
            links.append(item)
    nodes, edges = select(projection(store))
    assert {identity for identity, _ in entities.values()} == {_ftm_id(n) for n in nodes}
    dated = [item for _, item in entities.values() if item.get("DateSet") == "true"]
    assert dated and all(item.get("DateTime") for item in dated)
    seen = set()
    for item in links:
        link = item.find("Link")
        a, b = entities[link.get("End1Id")][0], entities[link.get("End2Id")][0]
        assert item.get("Label") and item.get("Label") == link.find("LinkStyle").get("Type")
        assert item.get("SourceReference") and item.get("SourceType") == "Document", item.get("Label")
        attrs = {x.get("AttributeClass"): x.get("Value") for x in item.iter("Attribute")}
        assert attrs["Quote"] and attrs["Locator"] in item.get("SourceReference")
        seen.add((a, b, item.get("Label")))
    assert seen == {(_ftm_id(e["source"]), _ftm_id(e["target"]), e["relation"]) for e in edges if e["evidence"]}
    assert len(seen) == len(edges)  # no link of the selection lacks a passage
