"""The TypedDicts in cse_graph/shapes.py have exactly the keys of the JSON Schemas they name (required ones
required, the rest NotRequired), so the documented contract, the schemas and the types cannot drift apart."""

from __future__ import annotations

import json
from typing import get_type_hints

import pytest

from cse_graph import shapes

from .conftest import ROOT

SCHEMAS = ROOT / "tests" / "schemas"

# TypedDict → (schema file, JSON pointer to the object inside it)
WHERE = {
    shapes.Date: ("lineage", "$defs/date"),
    shapes.Evidence: ("lineage", "$defs/evidence/items"),
    shapes.Brief: ("lineage", "$defs/brief"),
    shapes.Node: ("lineage", "$defs/node"),
    shapes.LineageEdge: ("lineage", "properties/edges/items"),
    shapes.Lineage: ("lineage", ""),
    shapes.SearchHit: ("search", "items"),
    shapes.TimelineItem: ("timeline", "items"),
    shapes.Missed: ("missed", "items"),
    shapes.Paths: ("path", ""),
    shapes.Gaps: ("gaps", ""),
    shapes.GapsOverdue: ("gaps-overdue", ""),
    shapes.Rank: ("rank", ""),
    shapes.Known: ("known", ""),
    shapes.Breaks: ("breaks", ""),
    shapes.Recurrence: ("recurrence", ""),
    shapes.RecurrenceSuggestions: ("recurrence-suggest", ""),
    shapes.Show: ("show", ""),
    shapes.Validation: ("validate", ""),
    shapes.WrittenFile: ("export-all", "items"),
    shapes.Query: ("queries", "items"),
}


def _object(schema: dict, pointer: str) -> dict:
    node = schema
    for part in [p for p in pointer.split("/") if p]:
        node = node[part]
        while "$ref" in node:
            node = _object(schema, node["$ref"].removeprefix("#/"))
    return node


@pytest.mark.parametrize("td", list(WHERE), ids=lambda td: td.__name__)
def test_typeddict_keys_are_the_schemas_keys(td):
    name, pointer = WHERE[td]
    obj = _object(json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8")), pointer)
    required, props = set(obj.get("required", [])), set(obj.get("properties", {}))
    if name == "gaps-overdue":      # the schema adds "overdue" to gaps' keys (allOf-free: listed as required)
        props |= set(shapes.Gaps.__annotations__)
    assert set(td.__required_keys__) == required, (td.__name__, sorted(required ^ set(td.__required_keys__)))
    assert set(td.__optional_keys__) == (props - required), (td.__name__, sorted(props - required))
    get_type_hints(td)      # every annotation names a real type


def test_every_public_shape_is_checked():
    public = {v for v in vars(shapes).values() if isinstance(v, type) and issubclass(v, dict) and v.__module__ == shapes.__name__}
    assert public == set(WHERE)
