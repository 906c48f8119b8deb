"""The package's layers import only the layers below them, and no module imports itself in a circle.

README's arrow: seeds → build → validate → cache → store → explore → graph → export, with cli/ and
server/ on top. The query engines (engine.py) and the entity index (entities.py) sit just above the
vocabulary so the build can use them; graph.py is the explorer's projection and shares its layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "cse_graph"

# lower number = lower layer; a module may import only modules of its own layer or below
LAYERS = {
    "__init__": 0, "vocab": 0, "paths": 0, "text": 0, "schemes": 0, "errors": 0, "fileio": 0,
    "seeds": 1, "engine": 1, "sources": 1,
    "entities": 2,
    "build": 3,
    "validate": 4, "tabular": 4, "mentions": 4,
    "cache": 5,
    "store": 6,
    "queries": 7, "accounting": 7, "counts": 7,
    "explore": 8, "graph": 8, "compact": 8,
    "export": 9,
    "server": 10,
    "cli": 11,
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every cse_graph module this file imports, at the top or inside a function."""
    me = module_name(path)
    pkg = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("cse_graph"):
                continue
            for a in node.names:   # `from . import paths` imports a module
                sub = f"{mod}.{a.name}"
                out.add(sub if (PKG.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                        or (PKG.parent / sub.replace(".", "/")).is_dir() else mod)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("cse_graph")}
    out.discard(me)
    return out


MODULES = {module_name(p): imports(p) for p in sorted(PKG.rglob("*.py"))}


def layer(mod: str) -> int:
    parts = mod.split(".")
    return LAYERS[parts[1] if len(parts) > 1 else "__init__"]


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_imports_only_its_own_layer_or_below(mod):
    upward = sorted(m for m in MODULES[mod] if layer(m) > layer(mod))
    assert not upward, f"{mod} (layer {layer(mod)}) imports higher layers: {upward}"


def test_no_import_cycles():
    import networkx as nx

    g = nx.DiGraph()
    for mod, deps in MODULES.items():
        for d in deps:
            if d != "cse_graph" and not (mod.startswith(d + ".")):   # a package's own __init__ is not a cycle
                g.add_edge(mod, d)
    cycles = [c for c in nx.simple_cycles(g)]
    assert not cycles, f"import cycles: {cycles}"
