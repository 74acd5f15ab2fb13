"""`foedus cascade` and `foedus sweep` as whole commands: what the disk-kept index saves, and the
sweep's cascades per second as a command against the same sweep in process.

The data directory holds the COW state list and, where ../shared/data has it, ATOP 4.01. The
first `cascade` for a date compiles the index and keeps it; later ones (fresh processes) read it.
The sweep baseline is `sweep_table` in process, after import, measured in the same run.

Run: python -m benchmarks.war_commands [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks._measure import SHARED_DATA, data_file, keep_bytecode

CLI = [sys.executable, "-c", "from foedus.launch import main; main()"]  # as the installed `foedus` runs
ON = "2016-03-01"
CASCADE = ["cascade", "--target", "PRK", "--attacker", "KOR", "--on", ON]
SWEEP_TARGET = 50_000  # cascades per second, as a command


def _wall(argv: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if proc.returncode:
        sys.exit(f"{argv[3:]}: exit {proc.returncode}: {proc.stderr.decode()[-300:]}")
    return time.perf_counter() - t0


def _prepare(data: Path) -> str:
    (data / "cow-states").mkdir(parents=True)
    shutil.copy(data_file("states2016.csv"), data / "cow-states" / "states2016.csv")
    atop = [SHARED_DATA / f for f in ("atop4_01_alliance_level.csv", "atop4_01_member_level.csv")]
    if not all(p.is_file() for p in atop):
        return "bundled corpus (ATOP files absent)"
    subprocess.run([*CLI, "data", "import", "atop", *map(str, atop)], check=True, stdout=subprocess.DEVNULL)
    return "bundled corpus + ATOP 4.01"


def _in_process_rate(rounds: int) -> tuple[int, float]:
    """Wars and the best wars per second of ``sweep_table`` (the command's work) in this process, after a warm-up."""
    from foedus.sweep import members_on, sweep_table

    day = date.fromisoformat(ON)
    sweep_table(day)
    wars = len(members_on(day)) * (len(members_on(day)) - 1)
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        sweep_table(day)
        best = min(best, time.perf_counter() - t0)
    return wars, wars / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="foedus-bench-") as tmp:
        data = Path(tmp)
        os.environ["FOEDUS_DATA_DIR"] = str(data)
        keep_bytecode(os.environ, data / "pycache")  # as installed; the first run of each command fills it
        corpus = _prepare(data)
        sweep = [*CLI, "sweep", "--on", ON, "--out", str(data / "sweep.parquet")]
        _wall([*CLI, "--help"])  # page in the interpreter and libraries
        cold = []
        for _ in range(args.rounds):  # each round: no index kept, then kept
            for stale in (data / "cache").glob("index-*.pickle"):
                stale.unlink()
            cold.append(_wall([*CLI, *CASCADE]))
        warm = min(_wall([*CLI, *CASCADE]) for _ in range(args.rounds))
        _wall(sweep)  # keeps the sweep's kernels
        sweep_s = min(_wall(sweep) for _ in range(args.rounds))
        base = min(_wall([sys.executable, "-c", "pass"]) for _ in range(args.rounds))
        wars, in_process = _in_process_rate(args.rounds)
    print(f"corpus: {corpus}; date {ON}; best of {args.rounds} fresh processes")
    print(f"python -c pass                   {base:6.3f} s")
    print(f"cascade, index compiled          {min(cold):6.3f} s")
    print(f"cascade, index read from disk    {warm:6.3f} s   {min(cold) / warm:.2f}x faster")
    rate = wars / sweep_s
    print(f"sweep command ({wars:,} wars)      {sweep_s:6.3f} s   {rate:,.0f} cascades/s "
          f"(target {SWEEP_TARGET:,}: {'met' if rate >= SWEEP_TARGET else 'MISSED'})")
    print(f"sweep_table in process           {wars / in_process:6.3f} s   {in_process:,.0f} cascades/s; "
          f"the command reaches {rate / in_process:.0%} of it")


if __name__ == "__main__":
    main()
