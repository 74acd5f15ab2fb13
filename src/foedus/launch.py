"""The ``foedus`` program's entry point: ``foedus --help`` and ``foedus --version`` without the command line.

Loading the command line (typer, its vendored click, rich) costs more than printing its help.
So the top-level help (``foedus --help``, or ``foedus`` alone) is printed from a copy that the
command line itself wrote on the first such call, and ``--version`` from the package. The copy is
named by a digest of everything the help is made from: the source of every foedus module, the
installed typer, the Python version, the terminal width click formats for and the environment
variables typer and shell completion read. Any change names another copy, which the command
line writes afresh; a damaged copy is never printed (see :mod:`foedus.disk_cache`). Every other
call goes straight to :func:`foedus.cli.main`, with the cyclic garbage collector's first
threshold raised (:data:`GC_YOUNG_THRESHOLD`) and numpy's OpenBLAS on one thread unless the
environment says otherwise (:data:`BLAS_THREADS`).
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import os
import sys
from pathlib import Path

from . import __version__
from .disk_cache import PACKAGE

HELP_ARGS = ([], ["--help"])  # the calls that print the top-level help
KEEP = 4  # copies kept (a few terminal widths)
# Start-up (typer, pydantic, numpy, polars) creates some 60,000 long-lived objects. At the default
# threshold (700 allocations) the collector runs 150 times while they are made (136 young, 13
# middle, 1 full collection): 0.08 to 0.16 s of a 1.9M-row panel command. At 10,000 it runs 10
# times, for about 0.04 s; garbage held in reference cycles waits for at most 10,000 allocations,
# instead of 700, to be found.
GC_YOUNG_THRESHOLD = 10_000
# numpy's OpenBLAS starts a pool of threads when numpy is imported: 0.06-0.14 s of CPU per command
# here (numpy's import alone: 0.16 s of CPU against 0.10 on one thread). foedus's matrix products
# are small (a year's 200-odd states), where those threads do not pay: the directed panel with all
# four similarity measures took 2.6-2.8 s of user CPU on one thread against 5.1-6.0 s on two, with
# the same output. OPENBLAS_NUM_THREADS, where set, is left as it is.
BLAS_THREADS = "1"


def help_key(args: list[str], package: Path = PACKAGE) -> str:
    """The digest naming what ``foedus ARGS`` prints with this code, these libraries and this terminal."""
    import shutil  # what click measures the terminal with

    h = hashlib.sha256(f"{args} {__version__} {sys.version} {shutil.get_terminal_size().columns}".encode())
    for name in sorted(k for k in os.environ if k.startswith(("TYPER", "_TYPER"))):
        h.update(f"\0{name}={os.environ[name]}".encode())
    spec = importlib.util.find_spec("typer")
    sources = [Path(spec.origin)] if spec and spec.origin else []
    sources += sorted(package.rglob("*.py"))
    for path in sources:
        h.update(str(path.relative_to(package) if path.is_relative_to(package) else path).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def completing() -> bool:
    """True when a shell asks for completions: click answers those before any option."""
    return any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)


def _written_help(args: list[str]) -> str | None:
    """The help the command line prints for ``args``, or None when it does not exit cleanly."""
    from contextlib import redirect_stdout
    from io import StringIO

    from .cli import run

    out = StringIO()
    with redirect_stdout(out):
        code = run(args)
    return out.getvalue() if code == 0 else None


def quick_output(args: list[str]) -> str | None:
    """What ``foedus ARGS`` prints when it is the version or the top-level help, else None."""
    if args == ["--version"]:
        return f"foedus {__version__}\n"
    if args not in HELP_ARGS or completing():
        return None
    from . import disk_cache

    path = disk_cache.cache_dir() / f"help-{help_key(args)}.txt"
    payload = disk_cache.read(path)
    if payload is not None:
        return payload.decode("utf-8")
    text = _written_help(args)
    if text is not None:
        try:
            disk_cache.write(path, text.encode("utf-8"), KEEP)
        except OSError:  # a read-only data directory: print it without keeping a copy
            pass
    return text


def main() -> None:
    """Print the version or the top-level help when that is all that is asked, else run the command line."""
    text = quick_output(sys.argv[1:])
    if text is None:
        gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        os.environ.setdefault("OPENBLAS_NUM_THREADS", BLAS_THREADS)  # read when numpy is first imported
        from .cli import main as run_command_line

        run_command_line()
    code = 0
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed
        code = 1
    os._exit(code)  # as foedus.cli.main: no teardown once the output is flushed
