"""Whole-process start-up: `foedus --help` and `foedus assess`, bundled corpus and with ATOP imported.

Each command runs as a fresh process (as a user runs it, through the installed entry point
`foedus.launch`); the figures are the best wall and CPU times of ``--rounds`` alternating rounds,
beside baselines measured in the same run: an empty interpreter (`python -c pass`), the eager
import path the command line used to pay before any work (`foedus.cli` with the cascade, Monte
Carlo, sweep, network and renderers loaded), and `--help` through `foedus.cli.main`, which builds
it with typer every time.

Run: python -m benchmarks.startup [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._measure import SHARED_DATA, keep_bytecode

CLI = [sys.executable, "-c", "from foedus.launch import main; main()"]  # as the installed `foedus` runs
ASSESS = ["assess", "--target", "PRK", "--attacker", "KOR", "--on", "2025-03-01"]
EAGER = "import foedus.cli, foedus.cascade, foedus.reliability, foedus.sweep, foedus.network, foedus.render"
TARGETS = {"help": 0.15, "assess (bundled)": 0.35, "assess (ATOP imported)": 0.5}
ATOP_FILES = ("atop4_01_alliance_level.csv", "atop4_01_member_level.csv")


def _wall(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system: steadier on a shared machine) of one run."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(argv[3:]) or argv}: exit {status}: {proc.stderr.read().decode()[-300:]}")
    proc.stderr.close()
    return seconds, usage.ru_utime + usage.ru_stime


def _env(data: Path) -> dict[str, str]:
    return {**os.environ, "FOEDUS_DATA_DIR": str(data)}


def _atop_dir(root: Path) -> Path | None:
    """A data directory with ATOP 4.01 imported, or None when the shared data is absent."""
    files = [SHARED_DATA / f for f in ATOP_FILES]
    if not all(f.is_file() for f in files):
        return None
    data = root / "atop"
    subprocess.run([*CLI, "data", "import", "atop", *map(str, files)], env=_env(data), check=True,
                   stdout=subprocess.DEVNULL)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        keep_bytecode(os.environ, Path(tmp) / "pycache")  # as installed; the first runs below fill it
        bundled, atop = Path(tmp) / "bundled", _atop_dir(Path(tmp))
        jobs = {
            "python -c pass": ([sys.executable, "-c", "pass"], bundled),
            "eager import (before)": ([sys.executable, "-c", EAGER], bundled),
            "help": ([*CLI, "--help"], bundled),
            "help, built by typer": ([sys.executable, "-c", "from foedus.cli import main; main()", "--help"], bundled),
            "assess (bundled)": ([*CLI, *ASSESS], bundled),
        }
        if atop is None:
            print(f"assess (ATOP imported): skipped, {SHARED_DATA} lacks {', '.join(ATOP_FILES)}")
        else:
            jobs["assess (ATOP imported)"] = ([*CLI, *ASSESS], atop)
        for argv, data in jobs.values():  # the first run of each writes the compiled corpus and the bytecode
            _wall(argv, _env(data))
        best = {name: (float("inf"), float("inf")) for name in jobs}
        for _ in range(args.rounds):
            for name, (argv, data) in jobs.items():
                wall, cpu = _wall(argv, _env(data))
                best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    base, eager = best["python -c pass"][0], best["eager import (before)"][0]
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min)")
    print(f"{'job':<24} {'best s':>7} {'cpu s':>6} {'x pass':>7} {'/ eager':>8}  target")
    for name, (secs, cpu) in best.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else f"<= {target:.2f} s: {'met' if secs <= target else 'MISSED'}"
        print(f"{name:<24} {secs:7.3f} {cpu:6.3f} {secs / base:7.1f} {secs / eager:8.2f}  {verdict}")


if __name__ == "__main__":
    main()
