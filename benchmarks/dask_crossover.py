"""Where `--dask local` pays off: sweeps of 1 to N years in process against a local dask cluster.

Each size runs on an empty cache (the first sweep of those years: every year's index compiled,
which is Python and holds the GIL) and again on a warm one (the kernels read back, so only the
numpy rounds remain, which release the GIL and already use every core in process). The cluster is
started once, as `foedus sweep --dask local` does, and its start-up is reported on its own line.
The ratio is in-process time over cluster time: above 1, the cluster wins.

Run: python -m benchmarks.dask_crossover [--sizes 1,4,16] [--workers 2]
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

from benchmarks._measure import SHARED_DATA, data_file

FIRST = 1990


def _data_dir(root: Path, name: str, atop: bool) -> Path:
    data = root / name
    (data / "cow-states").mkdir(parents=True)
    shutil.copy(data_file("states2016.csv"), data / "cow-states" / "states2016.csv")
    if atop:
        files = [str(SHARED_DATA / f) for f in ("atop4_01_alliance_level.csv", "atop4_01_member_level.csv")]
        subprocess.run([sys.executable, "-c", "from foedus.cli import main; main()", "data", "import", "atop",
                        *files], env={**os.environ, "FOEDUS_DATA_DIR": str(data)}, check=True,
                       stdout=subprocess.DEVNULL)
    return data


def _timed_sweep(years: list[int], out: Path, client: object) -> float:
    from foedus import store
    from foedus.index_cache import cascade_index
    from foedus.sweep import sweep_years

    store._active.cache_clear()
    cascade_index.cache_clear()
    t0 = time.perf_counter()
    sweep_years(years, out, client=client)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4,16")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    atop = (SHARED_DATA / "atop4_01_member_level.csv").is_file()
    from foedus.scaleout import client as dask_client

    with tempfile.TemporaryDirectory(prefix="foedus-bench-") as tmp:
        root = Path(tmp)
        workers_dir = root / "workers"  # the workers' data directory (their kept kernels)
        os.environ["FOEDUS_DATA_DIR"] = str(workers_dir)
        t0 = time.perf_counter()
        with dask_client(local=True, workers=args.workers) as client:
            start_s = time.perf_counter() - t0
            print(f"corpus: bundled{' + ATOP 4.01' if atop else ''}; {os.cpu_count()} cores; "
                  f"{args.workers} worker processes; cluster start-up {start_s:.2f} s")
            print(f"{'years':>5} {'pairs':>7} {'cache':>5} {'in process s':>13} {'dask s':>7} {'ratio':>6}")
            for n in sizes:
                years = list(range(FIRST, FIRST + n))
                for cache in ("empty", "warm"):
                    times = {}
                    for mode, c in (("local", None), ("dask", client)):
                        data = root / f"{mode}-{n}"
                        if cache == "empty":
                            shutil.rmtree(data, ignore_errors=True)
                            shutil.rmtree(workers_dir / "cache", ignore_errors=True)
                            _data_dir(root, f"{mode}-{n}", atop)
                        os.environ["FOEDUS_DATA_DIR"] = str(data)  # workers read the scattered corpus
                        times[mode] = _timed_sweep(years, data / "out.parquet", c)
                    from foedus.sweep import members_on, pairs

                    n_pairs = sum(pairs(members_on(date(y, 7, 1)))[0].size for y in years)
                    print(f"{n:5} {n_pairs:7,} {cache:>5} {times['local']:13.2f} {times['dask']:7.2f} "
                          f"{times['local'] / times['dask']:6.2f}")


if __name__ == "__main__":
    main()
