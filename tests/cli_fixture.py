"""Running the ``foedus`` program in process, through its entry point, for tests of what users type."""

from __future__ import annotations

import pytest

from foedus.cli import main


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``foedus ARGS`` in process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    return done.value.code, out, err
