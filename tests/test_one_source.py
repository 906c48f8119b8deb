"""Facts the ontology holds are defined once: Python reads them (schemes.py) or keeps them in one table
(vocab.py) that is checked against the ontology here, and no other module re-types them."""

from __future__ import annotations

import re

import pyoxigraph as ox

from cse_graph import schemes
from cse_graph.explore import lineage
from cse_graph.explore.common import confidence_ranks
from cse_graph.vocab import CSE, GENID, ID, INFLUENCE_CLASSES, LINEAGE_PREDICATES, LINEAGE_RELATIONS, PREFIXES

from .conftest import ROOT

SRC = ROOT / "src" / "cse_graph"
PROV = PREFIXES["prov"]


def code_files():
    return sorted(SRC.rglob("*.py"))


def test_confidence_levels_come_from_the_scheme_as_the_graph_has_them(store):
    assert schemes.confidence_ranks() == confidence_ranks(store)
    assert schemes.confidence_levels()[0] == "stated" and len(schemes.confidence_levels()) == 6
    assert set(lineage._HEDGE) == set(schemes.confidence_levels()), "every level has its hedge word in narratives"


def test_no_module_retypes_the_confidence_levels_or_lineage_relations():
    levels = r'"stated",\s*"partly"'
    relations = r'"prompted",\s*"informed",\s*"commissioned",\s*"recommended"'
    found = [f"{p.relative_to(ROOT)}: {pat}" for p in code_files() for pat in (levels, relations)
             if re.search(pat, p.read_text(encoding="utf-8"))]
    assert not found, found


def test_the_genid_prefix_is_spelt_once():
    spelt = [str(p.relative_to(ROOT)) for p in code_files() if re.search(r'genid/"', p.read_text(encoding="utf-8"))]
    assert spelt == ["src/cse_graph/vocab.py"], spelt
    assert GENID.startswith(ID)


def test_lineage_tables_agree_with_the_ontology():
    """Each named qualified-influence class is a prov:Influence, and its shortcut property (prov:qualifiedForm)
    is the lineage predicate of the same name."""
    g = ox.Store()
    g.load(path=str(ROOT / "ontology" / "cse.ttl"), format=ox.RdfFormat.TURTLE)
    assert LINEAGE_RELATIONS == tuple(LINEAGE_PREDICATES.values())
    for name, cls in INFLUENCE_CLASSES.items():
        assert ox.Quad(ox.NamedNode(cls), ox.NamedNode(PREFIXES["rdfs"] + "subClassOf"), ox.NamedNode(PROV + "Influence")) in g
        shortcuts = [q.subject.value for q in g.quads_for_pattern(None, ox.NamedNode(PROV + "qualifiedForm"), ox.NamedNode(cls))]
        assert len(shortcuts) == 1 and shortcuts[0].startswith(CSE), (name, shortcuts)
        assert LINEAGE_PREDICATES[shortcuts[0]] == name
    for pred in LINEAGE_PREDICATES:      # every lineage predicate is a term the ontology defines
        assert any(True for _ in g.quads_for_pattern(ox.NamedNode(pred), None, None)), pred


def test_no_module_imports_another_modules_private_names():
    """What one package module uses from another has a public name (explore.description, .evidence, .resolution,
    .sparql; export.layout). Tests may still reach a private helper they test."""
    import ast

    found = []
    for p in code_files():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("cse_graph")):
                found += [f"{p.relative_to(ROOT)}: {a.name}" for a in node.names
                          if a.name.startswith("_") and a.name != "__version__"]
    assert not found, found


def test_the_json_schemas_list_the_ontologys_confidence_levels_and_relations():
    """The schemas (a public contract) spell the levels and lineage relations out; they must be the ontology's."""
    import json

    seen = 0
    for path in sorted((ROOT / "tests" / "schemas").glob("*.json")):
        conf = json.loads(path.read_text(encoding="utf-8")).get("$defs", {}).get("confidence")
        if conf:
            assert [x for x in conf["enum"] if x is not None] == list(schemes.confidence_levels()), path.name
            seen += 1
    assert seen >= 3
    lineage_schema = json.loads((ROOT / "tests" / "schemas" / "lineage.json").read_text(encoding="utf-8"))
    assert tuple(lineage_schema["properties"]["edges"]["items"]["properties"]["relation"]["enum"]) == LINEAGE_RELATIONS
