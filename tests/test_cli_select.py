"""Only the named command is built: what every command prints for --help, and its usage errors, must be
what the whole app prints."""

from __future__ import annotations

import contextlib
import io

import pytest
import typer
from typer.main import get_command

from foedus.cli import app, run
from foedus.cli_select import command_name, selected

WHOLE = get_command(app)


def _calls() -> list[list[str]]:
    """Every command and subcommand path of the whole app."""
    calls = []
    for name, command in WHOLE.commands.items():
        calls.append([name])
        calls += [[name, sub] for sub in getattr(command, "commands", {})]
    return calls


def _prints(args: list[str], whole: bool) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        if whole:
            try:
                code = app(args=args, prog_name="foedus", standalone_mode=False) or 0
            except typer.Exit as exc:
                code = exc.exit_code
        else:
            code = run(args)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("path", _calls(), ids=" ".join)
def test_each_command_prints_the_same_help_when_built_alone(path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert selected(app, [*path, "--help"]) is not app
    code, alone, _ = _prints([*path, "--help"], whole=False)
    assert code == 0
    assert (0, alone, "") == _prints([*path, "--help"], whole=True)
    assert f"Usage: foedus {' '.join(path)} " in alone


def test_only_the_named_command_is_built():
    narrowed = get_command(selected(app, ["--corpus", "mine", "assess", "--target", "PRK"]))
    assert list(narrowed.commands) == ["assess"]
    assert list(get_command(selected(app, ["cascade"])).commands) == ["cascade"]  # from the unnamed war app
    assert list(get_command(selected(app, ["data", "status"])).commands) == ["data"]
    assert len(WHOLE.commands) > 10


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["asess"], ["--corpus"], ["--bogus", "assess"]])
def test_no_command_or_an_unknown_one_gets_the_whole_app(args):
    assert selected(app, args) is app


def test_command_name_skips_the_global_corpus_option():
    assert command_name(["--corpus", "a", "--corpus=b", "show", "x"]) == "show"
    assert command_name(["--corpus", "a"]) is None
    assert command_name(["--version", "show"]) is None


def test_shell_completion_gets_the_whole_app(monkeypatch):
    monkeypatch.setenv("_FOEDUS_COMPLETE", "bash_complete")
    assert selected(app, ["assess"]) is app


def test_a_misspelt_command_is_still_suggested(capsys):
    assert run(["asess"]) == 1
    assert "Did you mean 'assess'?" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["assess", "--target"], ["assess", "--bogus"], ["data", "nope"],
                                  ["assess", "--target", "PRK", "--act", "x"], ["panel"], ["show"]])
def test_a_usage_error_reads_the_same(args, capsys, monkeypatch):
    code = run(args)
    alone = capsys.readouterr()
    monkeypatch.setattr("foedus.cli_select.selected", lambda whole, _: whole)
    assert (code, alone.out, alone.err) == (run(args), *capsys.readouterr())
    assert alone.out or alone.err
