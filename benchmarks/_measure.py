"""Run a function in fresh processes and report its wall time and peak resident memory."""

from __future__ import annotations

import multiprocessing as mp
import resource
import statistics
import sys
import time
from collections.abc import Callable, MutableMapping
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def data_file(name: str) -> Path:
    """A dataset beside the repository (``../shared/data``); exit with a message when absent."""
    path = SHARED_DATA / name
    if not path.is_file():
        sys.exit(f"benchmark data not found: {path}")
    return path


def keep_bytecode(env: MutableMapping[str, str], folder: Path) -> MutableMapping[str, str]:
    """``env`` for processes that keep Python's bytecode in ``folder``, as an installed package has it.

    pip compiles a package at install. Where the environment sets PYTHONDONTWRITEBYTECODE on a source
    checkout (as on these machines), every run compiles foedus's modules anew, a cost no installed copy
    pays; with a PYTHONPYCACHEPREFIX the first run fills, later ones read it. Returns ``env``, changed.
    """
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder)
    return env


def nothing() -> None:
    """The empty workload: what the interpreter with the libraries loaded costs."""


def _child(fn: Callable[[], object], check: Callable[[object], object], queue: mp.Queue) -> None:
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((seconds, peak_kib / 1024, check(result)))


def _once(fn: Callable[[], object], check: Callable[[object], object]) -> tuple[float, float, object]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, check, queue))
    proc.start()
    proc.join()  # the result is a few numbers, so the queue cannot block the child's exit
    if proc.exitcode != 0:
        sys.exit(f"{getattr(fn, '__name__', fn)} failed (exit code {proc.exitcode})")
    return queue.get()


def measure(
    fn: Callable[[], object], check: Callable[[object], object] = repr, repeat: int = 3
) -> tuple[float, float, float, object]:
    """``(best seconds, median seconds, peak MiB, check(result))`` over ``repeat`` fresh processes.

    Imports and ``check`` are not timed; peak memory is the whole process's maximum resident set.
    """
    runs = [_once(fn, check) for _ in range(repeat)]
    seconds = [r[0] for r in runs]
    return min(seconds), statistics.median(seconds), max(r[1] for r in runs), runs[0][2]
