"""The full ATOP import (read, check, write to the DuckDB store in one transaction) against
reading the same two CSVs with plain pandas, measured in the same run.

Run: ``python -m benchmarks.atop_import [DATA_DIR]`` (default: ../shared/data).
Also measured: loading the imported alliances as treaties (the engine's corpus), and the
directed dyad-year derivation.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

FILES = ("atop4_01_alliance_level.csv", "atop4_01_member_level.csv")
REPEATS = 5


def best(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    """The best wall time of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _pandas_into_duckdb(paths: list[Path]) -> None:
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "naive.duckdb"))
        for i, p in enumerate(paths):
            frame = pd.read_csv(p)  # noqa: F841 (read by DuckDB's replacement scan)
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM frame")
        con.close()


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
    paths = [data / f for f in FILES]
    os.environ["FOEDUS_DATA_DIR"] = tempfile.mkdtemp(prefix="foedus-bench-")
    from foedus import store
    from foedus.datasets import atop
    from foedus.datasets.atop_dyads import directed_dyad_years

    store.import_dataset("atop", paths)  # warm imports and caches
    baseline = best(lambda: [pd.read_csv(p) for p in paths])
    naive = best(lambda: _pandas_into_duckdb(paths))
    full = best(lambda: store.import_dataset("atop", paths))
    members = atop.read(paths[1]).frame
    corpus = best(lambda: atop.treaties(members, "4.01"))
    dyads = best(lambda: directed_dyad_years(members, through=2016))
    rows = sum(sum(1 for _ in p.open()) - 1 for p in paths)
    print(f"ATOP import, {rows} rows in 2 files (best of {REPEATS}):")
    print(f"  foedus import (read + check + DuckDB write, one transaction): {full * 1000:8.1f} ms")
    print(f"  baseline: pandas.read_csv of the same files:                  {baseline * 1000:8.1f} ms")
    print(f"  ratio import / plain pandas read:                             {full / baseline:8.2f}x")
    print(f"  second baseline: pandas read + DuckDB write, no checks:       {naive * 1000:8.1f} ms")
    print(f"  ratio import / that baseline:                                 {full / naive:8.2f}x")
    print(f"  mapping 745 alliances to Treaty objects:                      {corpus * 1000:8.1f} ms")
    print(f"  directed dyad-years 1815-2016 from the member-level file:     {dyads * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
