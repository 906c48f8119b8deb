"""The README's "What is in the graph" table, generated from the build.

The counts come from the shipped competency question ``entities-by-type`` (one query, so the README
and the golden answers cannot disagree) and from the number accounting. The table sits in
README.md between two marker comments; ``tests/test_readme_counts.py`` fails when it is stale, and

    python -m cse_graph.counts --write

rewrites it in place (the rest of the README is untouched).
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import paths
from .queries import find
from .store import Store

BEGIN = "<!-- counts: generated from the build by `python -m cse_graph.counts --write`; a test fails when stale -->"
END = "<!-- /counts -->"

# (row text, types whose counts it shows, joined by " · ")
ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("documents (reports, reviews, inspections, intelligence products, guidance, plans, letters, articles, a broadcast)",
     ("cse:Document",)),
    ("named operations, in South Yorkshire and elsewhere", ("cse:Operation",)),
    ("actions, events and organisational changes", ("cse:Action", "cse:Event", "org:ChangeEvent")),
    ("agencies, units, boards, forums, charities, inspectorates, committees, media", ("org:Organization",)),
    ("named officials and professionals, their posts and dated tenures", ("foaf:Person", "org:Post", "org:Membership")),
    ("recommendations (all eleven of Drew's, and every other the texts describe)", ("cse:Recommendation",)),
    ("missed opportunities, as the texts judge them", ("cse:MissedOpportunity",)),
    ("outcomes the texts say they could not establish (not the same as missed)", ("cse:OutcomeUnknown",)),
    ("findings (judgements documents reach; conflicting ones sit side by side)", ("cse:Finding",)),
    ("ambiguities and contradictions in the texts, each with every reading", ("cse:Ambiguity",)),
    ("statistics: Tables 1–9 cell for cell (RDF Data Cube) · figures from the running text", ("table cells", "cse:Figure")),
    ("influence links with evidence (prompted · informed · commissioned)", ("cse:Prompting", "cse:Informing", "cse:Commissioning")),
    ("verbatim evidence quotes, each checked against the seed", ("cse:Evidence",)),
]


def counts(store: Store) -> dict[str, int]:
    """Entities per type, from the shipped question ``entities-by-type``."""
    rows = store.select(find("entities-by-type").text)
    out = {_compact(str(r["type"])): int(str(r["entities"])) for r in rows}
    out["table cells"] = out.get("qb:Observation", 0) - out.get("cse:Figure", 0)   # a figure is an observation too
    return out


def _compact(iri: str) -> str:
    from .vocab import compact
    return compact(iri)


def table(by_type: dict[str, int], accounting: dict | None = None) -> str:
    lines = [BEGIN, "| | |", "| --- | --- |"]
    for text, types in ROWS:
        lines.append(f"| {text} | {' · '.join(f'{by_type.get(t, 0):,}' for t in types)} |")
    if accounting is not None:
        s = accounting["by_status"]
        lines.append(f"| numbers, dates and names in the two texts: held by the graph · excused in `data/not-modelled.csv` "
                     f"(rows) · unaccounted | {s.get('held', 0):,} · {s.get('not-modelled', 0):,} "
                     f"({accounting['not_modelled_rows']}) · {s.get('unaccounted', 0):,} |")
    lines.append(END)
    return "\n".join(lines)


def generate(store: Store, seeds_dir: str | None = None) -> str:
    from .accounting import account, summary
    return table(counts(store), summary(*account(store, seeds_dir=seeds_dir)))


def replace_block(readme: str, block: str) -> str:
    """The README with its counts block replaced; ValueError if the markers are missing."""
    a, b = readme.find(BEGIN), readme.find(END)
    if a < 0 or b < a:
        raise ValueError(f"README has no counts block: add the lines {BEGIN!r} … {END!r}")
    return readme[:a] + block + readme[b + len(END):]


def readme_path() -> Path:
    return paths.project_root() / "README.md"


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .store import open_store

    p = argparse.ArgumentParser(prog="python -m cse_graph.counts", description=__doc__.split("\n\n")[0])
    p.add_argument("--write", action="store_true", help="rewrite the block in README.md")
    a = p.parse_args(argv)
    block = generate(open_store(progress=lambda m: None))
    path = readme_path()
    text = path.read_text(encoding="utf-8")
    try:
        new = replace_block(text, block)
    except ValueError as e:
        print(f"error: {path}: {e}", file=sys.stderr)
        return 2
    if a.write:
        if new != text:
            tmp = path.with_suffix(".md.tmp")
            tmp.write_text(new, encoding="utf-8")
            tmp.replace(path)
        print(block)
        return 0
    print(block)
    return 0 if new == text else 1


if __name__ == "__main__":
    sys.exit(main())
