"""README.md against the real program, so the README cannot drift.

Every ```python block runs (as a doctest where it shows ``>>>`` prompts, so the output it shows is
checked); every ``foedus`` command line of the ```sh blocks names commands and options that exist,
and runs for real where that needs no network and no file of the reader's; every sample output
block (an unlabelled one) is what the command it shows prints at 100 columns, line for line, with
``…`` marking where the README leaves lines out.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cli_fixture import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\s*$")
GAP = ("…", "...")  # a sample line starting with one of these stands for lines left out
# commands the README shows that read a file the reader supplies: only checked to parse
NEEDS_READERS_FILE = {"draft"}
# what a sample's command comment says was installed first -> the shared dataset that installs it
SETUP = {"with the COW state list fetched": "states2016.csv"}


def _blocks() -> list[tuple[str, int, list[str], str]]:
    """The README's fenced blocks: (language, first line number, lines, the paragraph before)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
        last = i
        while last > 0 and not lines[last - 1].strip():
            last -= 1
        first = last
        while first > 0 and lines[first - 1].strip():
            first -= 1
        blocks.append((m.group(1), i + 1, lines[i + 1:end], " ".join(lines[first:last])))
        i = end + 1
    return blocks


def _python_blocks() -> list[pytest.param]:
    return [pytest.param("\n".join(body) + "\n", id=f"line{n}") for lang, n, body, _ in _blocks() if lang == "python"]


def _shell_lines() -> list[tuple[int, list[str]]]:
    """Each command line of the ```sh blocks, split as the shell would, comments dropped."""
    out = []
    for lang, n, body, _ in _blocks():
        if lang == "sh":
            out += [(n + k + 1, shlex.split(line, comments=True)) for k, line in enumerate(body) if line.strip()]
    return out


def _foedus_lines() -> list[pytest.param]:
    return [pytest.param(words[1:], id=f"line{n}") for n, words in _shell_lines() if words[0] == "foedus"]


def _samples() -> list[pytest.param]:
    """Each sample output: (command words, setup comment, expected lines), one per command shown."""
    out = []
    for lang, n, body, before in _blocks():
        if lang:
            continue
        if not body[0].startswith("$ "):  # the command is the last one the paragraph before names
            command = re.findall(r"`(foedus [^`]+)`", before)[-1]
            out.append(pytest.param(shlex.split(command)[1:], "", body, id=f"line{n}"))
            continue
        for k, line in enumerate(body):
            if line.startswith("$ "):
                text, _, comment = line[2:].partition("#")
                expected = []
                for rest in body[k + 1:]:
                    if rest.startswith("$ "):
                        break
                    expected.append(rest)
                out.append(pytest.param(shlex.split(text)[1:], comment.strip(), expected, id=f"line{n + k + 1}"))
    return out


def _runs(expected: list[str]) -> list[list[str]]:
    """The sample's runs of consecutive lines, split where it leaves lines out."""
    runs: list[list[str]] = [[]]
    for line in expected:
        if line.lstrip().startswith(GAP):
            runs.append([])
        else:
            runs[-1].append(line.rstrip())
    return [r for r in runs if r]


def _find(run: list[str], lines: list[str], start: int) -> int:
    """Where ``run`` occurs as consecutive lines of ``lines`` at or after ``start``; -1 if nowhere."""
    for i in range(start, len(lines) - len(run) + 1):
        if lines[i:i + len(run)] == run:
            return i
    return -1


def test_the_readme_has_examples_of_each_kind():
    assert _python_blocks() and _foedus_lines() and _samples()


@pytest.mark.parametrize("source", _python_blocks())
def test_python_block_runs_and_prints_what_it_shows(source):
    namespace = {"__name__": "readme"}
    if ">>>" not in source:
        exec(compile(source, str(README), "exec"), namespace)
        return
    test = doctest.DocTestParser().get_doctest(source, namespace, "README.md", str(README), 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


@pytest.mark.parametrize("args", _foedus_lines())
def test_command_line_names_commands_and_options_that_exist(args, capsys):
    code, out, err = cli(capsys, *args, "--help")
    assert code == 0, err
    assert "Usage:" in out


def test_command_lines_run_top_to_bottom(tmp_path, monkeypatch, capsys):
    """The ```sh lines in order, as a reader types them, in a fresh folder: each succeeds."""
    monkeypatch.chdir(tmp_path)
    ran = 0
    for n, words in _shell_lines():
        if words[0] == "mkdir":
            for folder in words[1:]:
                Path(folder).mkdir()
        elif words[0] == "foedus" and not NEEDS_READERS_FILE & set(words):
            code, _, err = cli(capsys, *words[1:])
            assert code == 0, f"README line {n}: foedus {shlex.join(words[1:])}: {err}"
            ran += 1
        else:
            assert words[0] in {"make", "foedus"}, f"README line {n}: no check for {words[0]!r}"
    assert ran >= 10


@pytest.mark.parametrize(("args", "setup", "expected"), _samples())
def test_sample_output_is_what_the_command_prints(args, setup, expected, tmp_path, request):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if setup:
        shared = request.getfixturevalue("shared_data")
        (data_dir / "cow-states").mkdir()
        shutil.copy(shared / SETUP[setup], data_dir / "cow-states" / SETUP[setup])
    env = {**os.environ, "COLUMNS": "100", "FOEDUS_DATA_DIR": str(data_dir), "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", "from foedus.cli import main; main()", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    lines = [line.rstrip() for line in (proc.stdout + proc.stderr).splitlines()]
    fails = any(line.startswith("foedus: error:") for line in expected)
    assert proc.returncode == (1 if fails else 0), proc.stderr
    if fails:  # bad input gets one line, never a traceback
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    at = 0
    for run in _runs(expected):
        found = _find(run, lines, at)
        assert found >= 0, "README shows:\n" + "\n".join(run) + "\n\nfoedus prints:\n" + "\n".join(lines)
        at = found + len(run)


def test_make_targets_named_exist():
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    named = {words[1] for _, words in _shell_lines() if words[0] == "make"}
    assert named and named <= targets


def test_assess_json_has_the_keys_the_readme_lists_and_python_gives_the_same(capsys):
    text = README.read_text(encoding="utf-8")
    shown = re.search(r"`--json` on `assess` prints one document:\s*`(\{.*?\})`", text, re.S).group(1)
    at_depth: dict[int, set[str]] = {}  # the key names shown, by how deep in the document they are
    for m in re.finditer(r'"(\w+)"', shown):
        before = shown[:m.start()]
        at_depth.setdefault(sum(map(before.count, "{[")) - sum(map(before.count, "}]")), set()).add(m.group(1))
    args = ["--target", "North Korea", "--attacker", "South Korea", "--on", "2025-03-01"]
    code, out, err = cli(capsys, "assess", *args, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert at_depth[1] == set(doc)
    assert at_depth[2] <= set(doc["meta"])
    assert doc["findings"] and all(at_depth[3] <= set(f) for f in doc["findings"])
    import foedus

    python = foedus.assess("North Korea", ["South Korea"], on=date(2025, 3, 1)).as_json()
    assert json.loads(json.dumps(python)) == {k: v for k, v in doc.items() if k != "meta"}


def _prose_commands() -> list[pytest.param]:
    """The ``foedus …`` commands the README's text names in inline code, outside the fenced blocks."""
    text = re.sub(r"^```.*?^```", "", README.read_text(encoding="utf-8"), flags=re.S | re.M)
    commands = sorted(set(re.findall(r"`(foedus [^`]+)`", re.sub(r"\s*\n\s*", " ", text))))
    return [pytest.param(shlex.split(c)[1:], id=c) for c in commands if not c.endswith(GAP)]


@pytest.mark.parametrize("args", _prose_commands())
def test_command_named_in_the_text_exists(args, capsys):
    if args == ["--version"]:
        code, out, err = cli(capsys, *args)
        assert code == 0 and re.search(r"\d+\.\d+", out), err
        return
    code, out, err = cli(capsys, *args, "--help")
    assert code == 0, err
    assert "Usage:" in out
