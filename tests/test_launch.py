"""The program's entry point: the top-level help and the version printed without loading the command
line must be exactly what the command line prints."""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from foedus import disk_cache, launch
from foedus.cli import run

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = [sys.executable, "-c", "from foedus.launch import main; main()"]


def _program(*args: str, columns: str = "100", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PROGRAM, *args], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "COLUMNS": columns, **env})


def _typer_prints(args: list[str], monkeypatch: pytest.MonkeyPatch, columns: str = "100") -> str:
    monkeypatch.setenv("COLUMNS", columns)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run(args) == 0
    return out.getvalue()


def _help_copies() -> list[Path]:
    return sorted(disk_cache.cache_dir().glob("help-*.txt"))


def test_the_installed_program_starts_at_the_launcher():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["foedus"] == "foedus.launch:main"


@pytest.mark.parametrize("args", [["--help"], []])
def test_help_from_the_copy_is_what_typer_prints(args, monkeypatch):
    expected = _typer_prints(args, monkeypatch)
    assert "Usage: foedus [OPTIONS] COMMAND [ARGS]..." in expected and "assess" in expected
    first = _program(*args)  # writes the copy
    assert first.returncode == 0, first.stderr
    assert len(_help_copies()) == 1
    second = _program(*args)  # reads it
    assert second.returncode == 0, second.stderr
    assert first.stdout == second.stdout == expected
    assert first.stderr == second.stderr == ""


def test_another_terminal_width_gets_its_own_copy(monkeypatch):
    narrow = _program("--help", columns="60")
    wide = _program("--help", columns="120")
    assert narrow.returncode == wide.returncode == 0
    assert narrow.stdout == _typer_prints(["--help"], monkeypatch, columns="60")
    assert wide.stdout == _typer_prints(["--help"], monkeypatch, columns="120")
    assert narrow.stdout != wide.stdout
    assert len(_help_copies()) == 2


def test_a_damaged_copy_is_never_printed(monkeypatch):
    assert _program("--help").returncode == 0
    (copy,) = _help_copies()
    copy.write_bytes(copy.read_bytes()[:32] + b"Usage: something else\n")
    again = _program("--help")
    assert again.returncode == 0
    assert again.stdout == _typer_prints(["--help"], monkeypatch)


def test_the_key_follows_the_source_the_args_and_the_terminal(tmp_path, monkeypatch):
    (tmp_path / "cli.py").write_text('"""Old help."""\n', encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "100")
    before = launch.help_key(["--help"], tmp_path)
    assert launch.help_key(["--help"], tmp_path) == before
    assert launch.help_key([], tmp_path) != before
    (tmp_path / "cli.py").write_text('"""New help."""\n', encoding="utf-8")
    edited = launch.help_key(["--help"], tmp_path)
    assert edited != before
    (tmp_path / "more.py").write_text("", encoding="utf-8")
    assert launch.help_key(["--help"], tmp_path) != edited
    monkeypatch.setenv("COLUMNS", "70")
    assert launch.help_key(["--help"], tmp_path) not in (before, edited)


def test_version_is_what_the_command_line_prints(monkeypatch):
    out = _program("--version")
    assert out.returncode == 0
    assert out.stdout == _typer_prints(["--version"], monkeypatch)


@pytest.mark.parametrize("args", [["--help", "--corpus", "x"], ["assess", "--help"], ["state", "KOR", "--json"]])
def test_anything_else_goes_to_the_command_line(args):
    assert launch.quick_output(args) is None


def test_shell_completion_is_left_to_the_command_line(monkeypatch):
    monkeypatch.setenv("_FOEDUS_COMPLETE", "bash_complete")
    assert launch.quick_output(["--help"]) is None
    assert _help_copies() == []


def test_other_commands_run_through_the_launcher():
    out = _program("state", "KOR", "--json")
    assert out.returncode == 0, out.stderr
    assert '"id": "KOR"' in out.stdout
    bad = _program("assess", "--target", "Atlantis")
    assert bad.returncode == 1 and bad.stderr.startswith("foedus: error:") and "Traceback" not in bad.stderr


def _launched_with(**env: str) -> tuple:
    """The collector's thresholds and OPENBLAS_NUM_THREADS that a command launched with ``env`` runs with."""
    probe = ("import gc, os, sys; from foedus import cli, launch\n"
             "cli.main = lambda: (print((gc.get_threshold(), os.environ.get('OPENBLAS_NUM_THREADS'))),"
             " sys.stdout.flush(), launch.os._exit(0))\n"
             "sys.argv = ['foedus', 'state', 'KOR']; launch.main()")
    clean = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False,
                         env=clean | env)
    assert out.returncode == 0, out.stderr
    return ast.literal_eval(out.stdout)


def test_commands_run_with_the_raised_collector_threshold_and_one_blas_thread():
    (young, *older), blas = _launched_with()
    assert young == launch.GC_YOUNG_THRESHOLD > 700 and older == list(gc.get_threshold()[1:])
    assert blas == launch.BLAS_THREADS == "1"
    assert _launched_with(OPENBLAS_NUM_THREADS="4")[1] == "4"  # the user's setting stands
