"""The docs say only what is true: `make run` installs no dev extras, files named in comments exist,
and every query named in a --help text or the README is shipped."""

from __future__ import annotations

import re
import subprocess

import click

from cse_graph.cli import cli
from cse_graph.queries import competency_questions

from .conftest import ROOT


def dry_run(target: str) -> str:
    return subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_make_run_installs_only_runtime_packages():
    run = [line for line in dry_run("run").splitlines() if "pip install" in line]
    assert run and not any("[dev]" in line for line in run), run
    assert any("[dev]" in line for line in dry_run("test").splitlines() if "pip install" in line)


def test_files_named_in_comments_exist():
    texts = {p: p.read_text(encoding="utf-8") for p in [ROOT / "pyproject.toml", *sorted((ROOT / "ontology").rglob("*.ttl"))]}
    missing = []
    for path, text in texts.items():
        for comment in re.findall(r"#([^\n]*)", text):
            for name in re.findall(r"((?:src|queries|ontology|data|tests)/[\w./-]+\.\w+|\b[\w-]+\.md\b)", comment):
                if not (ROOT / name).exists() and not list(ROOT.rglob(name)):
                    missing.append(f"{path.name}: {name}")
    assert not missing, missing


def _helps():
    for name, cmd in cli.commands.items():
        yield name, cmd.help or ""
        if isinstance(cmd, click.Group):
            for sub, c in cmd.commands.items():
                yield f"{name} {sub}", c.help or ""


def test_every_query_named_in_help_or_readme_exists():
    shipped = {q.name for q in competency_questions()}
    texts = [h for _, h in _helps()] + [(ROOT / "README.md").read_text(encoding="utf-8")]
    named = {m for t in texts for m in re.findall(r"cse-graph query ([a-z0-9][a-z0-9-]+)(?![\w.])", t)}
    assert named and not (named - shipped), sorted(named - shipped)
