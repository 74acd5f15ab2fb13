"""Running the ``foedus`` program in process, through its entry point, for tests of what users type."""

from __future__ import annotations

from foedus.cli import run


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``foedus ARGS`` in process as ``main`` does, without ending the process: (exit code, stdout, stderr)."""
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err
