"""The README's counts table is generated from the build and must not go stale."""

from __future__ import annotations

import pytest

from cse_graph import counts


def test_readme_counts_table_is_current(store, seeds_dir):
    readme = counts.readme_path().read_text(encoding="utf-8")
    block = counts.generate(store, seeds_dir=str(seeds_dir))
    assert counts.replace_block(readme, block) == readme, (
        "README.md's counts table is stale: run `.venv/bin/python -m cse_graph.counts --write` and review the diff")


def test_the_table_shows_every_kind_from_the_build(store):
    by_type = counts.counts(store)
    text = counts.table(by_type)
    assert f"| {by_type['cse:Document']:,} |" in text and f"{by_type['cse:Evidence']:,}" in text
    assert by_type["table cells"] + by_type["cse:Figure"] == by_type["qb:Observation"]
    assert by_type["cse:OutcomeUnknown"] >= 1 and by_type["cse:MissedOpportunity"] >= 1


def test_a_stale_block_is_replaced_and_the_rest_kept():
    old = f"intro\n{counts.BEGIN}\n| x | 1 |\n{counts.END}\noutro\n"
    new = counts.replace_block(old, f"{counts.BEGIN}\n| x | 2 |\n{counts.END}")
    assert new == f"intro\n{counts.BEGIN}\n| x | 2 |\n{counts.END}\noutro\n"
    with pytest.raises(ValueError):
        counts.replace_block("no markers here", "x")
