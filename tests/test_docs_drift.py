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


# --- Docs that cannot drift (sqlite-utils' test_docs.py pattern) -----------------------------------------------
# Every example in a --help text and every `cse-graph …` line in the README's command blocks runs against the
# real graph; every option a command has appears in its README synopsis (or among the common options).

import shlex  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

# Examples that cannot run offline here, each with the reason. Everything else runs.
NOT_RUN = {
    "serve --port 7878 &": "starts a server that runs until stopped (tests/test_server.py starts real ones)",
    "sources add minutes.pdf": "names a user's own PDF that does not exist (tests/test_sources.py adds real PDFs)",
    "import decisions.csv": "names a user's own sheet and mapping (tests/test_import.py runs the README's worked example)",
    "export html --data big/": "names a big corpus folder the user generates (benchmarks/synth.py)",
    "push http://127.0.0.1:7879/store": "needs an Oxigraph server (tests/test_oxigraph.py starts a real one)",
    "lineage \"Jay report\" --endpoint": "needs an Oxigraph server (tests/test_oxigraph.py starts a real one)",
}


def _commands():
    for name, cmd in sorted(cli.commands.items()):
        yield name, cmd
        if isinstance(cmd, click.Group):
            for sub, c in sorted(cmd.commands.items()):
                yield f"{name} {sub}", c


def help_examples() -> list[str]:
    """The `cse-graph …` lines of every command's Example(s): block, comments dropped."""
    out = []
    for _, cmd in _commands():
        in_examples = False
        for line in (cmd.help or "").splitlines():
            s = line.strip()
            if re.match(r"Examples?:", s):
                in_examples, s = True, re.sub(r"^Examples?:\s*", "", s)
            elif re.match(r"[A-Z][\w ]*:", s) or not s:
                in_examples = False
            if in_examples and s.startswith("cse-graph "):
                out.append(s)
    return out


def readme_examples() -> list[str]:
    """Every `cse-graph …` line (continuations joined) in the README's ```sh blocks, in order, with the
    other shell lines of the same block (the worked example copies the data first)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in re.sub(r"\\\n\s*", " ", block).splitlines():
            line = line.strip()
            if line.startswith(("cse-graph ", "cp ")):
                out.append(line)
    return out


def _reason(line: str) -> str | None:
    body = line.removeprefix("cse-graph ").strip()
    return next((why for start, why in NOT_RUN.items() if body.startswith(start)), None)


def _argv(line: str, tmp: Path) -> list[str]:
    args = shlex.split(line.replace("/tmp/", f"{tmp}/"), comments=True)[1:]
    if args[0] == "export" and "-o" not in args:      # exports go to a temporary folder, never into exports/
        args += ["-o", str(tmp / f"{args[1]}.out")]
    return args


def test_every_example_is_found_and_every_skip_is_used():
    lines = help_examples() + readme_examples()
    assert len(help_examples()) >= 15, help_examples()
    unused = [s for s in NOT_RUN if not any(_reason(line) and line.removeprefix("cse-graph ").startswith(s) for line in lines)]
    assert not unused, f"NOT_RUN entries that match no example any more: {unused}"


@pytest.mark.slow
@pytest.mark.parametrize("line", [ln for ln in help_examples() if not _reason(ln)])
def test_help_example_runs(line, store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, _argv(line, tmp_path), catch_exceptions=False)
    assert r.exit_code == 0, f"{line!r} exited {r.exit_code}: {r.output[-800:]}"
    assert r.output.strip() or list(tmp_path.iterdir()), f"{line!r} printed and wrote nothing"


@pytest.mark.slow
def test_readme_command_blocks_run(store, tmp_path, monkeypatch):
    """The README's blocks in order (the worked example works on copies under a temporary folder)."""
    monkeypatch.chdir(ROOT)
    ran = 0
    for line in readme_examples():
        if _reason(line):
            continue
        if line.startswith("cp "):
            src, dst = shlex.split(line.replace("/tmp/", f"{tmp_path}/"))[-2:]
            shutil.copytree(ROOT / src, dst)
            continue
        r = CliRunner().invoke(cli, _argv(line, tmp_path), catch_exceptions=False)
        assert r.exit_code == 0, f"{line!r} exited {r.exit_code}: {r.output[-800:]}"
        ran += 1
    assert ran >= 4


def _common_options() -> set[str]:
    """The options the README's "Common options" list documents once for every command."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("Common options:", 1)[1].split("\n\n", 2)[1]
    return set(re.findall(r"^\* `(--[\w-]+)", section, flags=re.M))


def _synopses() -> dict[str, str]:
    """README synopsis lines (`* \\`cse-graph CMD …\\``), joined per command (a command may have several)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    names = sorted((n for n, _ in _commands()), key=len, reverse=True)
    for syn in re.findall(r"^\* `cse-graph ([^`]+)`", text, flags=re.M):
        name = next((n for n in names if syn == n or syn.startswith(n + " ")), None)
        if name:
            out[name] = out.get(name, "") + " " + syn
    return out


@pytest.mark.parametrize("name,cmd", [(n, c) for n, c in _commands() if not isinstance(c, click.Group)],
                         ids=lambda x: x if isinstance(x, str) else "")
def test_readme_synopsis_names_every_option(name, cmd):
    common = _common_options()
    assert {"--data", "--format", "--store", "--endpoint"} <= common, common
    synopsis = _synopses().get(name)
    assert synopsis is not None, f"README has no synopsis line `* \\`cse-graph {name} …\\``"
    missing = []
    for p in cmd.params:
        if not isinstance(p, click.Option) or p.hidden:
            continue
        longs = [o for o in p.opts + p.secondary_opts if o.startswith("--")]
        if not longs or set(longs) & common:
            continue
        if not any(re.search(re.escape(o) + r"(?![\w-])", synopsis) for o in p.opts + p.secondary_opts):
            missing.append(longs[0])
    assert not missing, f"README synopsis of `cse-graph {name}` lacks {missing}"


def test_modules_named_in_docs_and_code_exist():
    """A dotted `cse_graph` name in a docstring, comment, the README or pyproject names a module (or a name in one) that exists."""
    import importlib

    texts = [*sorted((ROOT / "src").rglob("*.py")), *sorted((ROOT / "tests").glob("*.py")),
             ROOT / "README.md", ROOT / "pyproject.toml"]
    missing = []
    for path in texts:
        for dotted in set(re.findall(r"\bcse_graph(?:\.[A-Za-z_]\w*)+", path.read_text(encoding="utf-8"))):
            parts = dotted.split(".")
            for cut in range(len(parts), 0, -1):
                try:
                    obj = importlib.import_module(".".join(parts[:cut]))
                    break
                except ImportError:
                    continue
            for attr in parts[cut:]:
                obj = getattr(obj, attr, None)
            if obj is None:
                missing.append(f"{path.relative_to(ROOT)}: {dotted}")
    assert not missing, missing
