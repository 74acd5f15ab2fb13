"""The full 1816-2016 directed dyad-year panel with ATOP flags: foedus vs a straightforward pandas merge.

Run: python -m benchmarks.panel
"""

from __future__ import annotations

import hashlib
import os
import tempfile

import numpy as np
import pandas as pd
import polars as pl

from benchmarks._measure import data_file, measure, nothing
from foedus import panel

STATES = "states2016.csv"
ATOP = "atop5_1_ddyr_obligations_peacesciencer.csv"
COLUMNS = ["ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]


def _digest(frame: pd.DataFrame | pl.DataFrame) -> tuple[int, str]:
    """Row count and a checksum of the sorted key and flag columns, to check all paths agree."""
    frame = frame.to_pandas() if isinstance(frame, pl.DataFrame) else frame
    ordered = frame[COLUMNS].sort_values(COLUMNS[:3]).to_numpy(dtype=np.int64)
    return len(frame), hashlib.sha256(ordered.tobytes()).hexdigest()[:16]


def with_foedus() -> pd.DataFrame:
    """create_dyad_years() then add_atop_alliance(), handed over as pandas."""
    dyads = panel.create_dyad_years(directed=True, states_file=data_file(STATES))
    return panel.add_atop_alliance(dyads, data_file(ATOP)).to_pandas()


def with_foedus_polars() -> pl.DataFrame:
    """As :func:`with_foedus`, kept as the polars frame foedus builds (no pandas hand-over)."""
    dyads = panel.create_dyad_years(directed=True, states_file=data_file(STATES))
    return panel.add_atop_alliance(dyads, data_file(ATOP)).to_polars()


def with_foedus_cold() -> pd.DataFrame:
    """As :func:`with_foedus` on first use: an empty data directory, so the ATOP CSV is parsed (and its copy written)."""
    os.environ["FOEDUS_DATA_DIR"] = tempfile.mkdtemp(dir=os.environ["FOEDUS_DATA_DIR"])
    return with_foedus()


def write_copy() -> None:
    """First use of the ATOP file in the current data directory: its parsed copy is written."""
    panel.read_atop_flags("5.1", data_file(ATOP))


def with_pandas() -> pd.DataFrame:
    """The merge as one would write it in pandas: state-year rows, self-merge on year, filter, merge ATOP."""
    states = pd.read_csv(data_file(STATES))
    rows = []
    for r in states.itertuples():
        start, end = pd.Timestamp(r.styear, r.stmonth, r.stday), pd.Timestamp(r.endyear, r.endmonth, r.endday)
        for year in range(r.styear, r.endyear + 1):
            first = max(start, pd.Timestamp(year, 1, 1))
            last = min(end, pd.Timestamp(year, 12, 31))
            rows.append((r.ccode, year, first, last))
    members = pd.DataFrame(rows, columns=["ccode", "year", "first", "last"])
    pairs = members.merge(members, on="year", suffixes=("1", "2"))
    pairs = pairs[(pairs.ccode1 != pairs.ccode2) & (pairs.first1 <= pairs.last2) & (pairs.first2 <= pairs.last1)]
    dyads = pairs[["ccode1", "ccode2", "year"]].drop_duplicates()
    atop = pd.read_csv(data_file(ATOP))
    out = dyads.merge(atop, on=["ccode1", "ccode2", "year"], how="left")
    inside = out.year.between(1815, 2018)
    for flag in COLUMNS[3:]:
        out[flag] = out[flag].where(out[flag].notna() | ~inside, 0)
    return out


def main() -> None:
    runs = 5
    with tempfile.TemporaryDirectory(prefix="foedus-bench-") as data_dir:
        os.environ["FOEDUS_DATA_DIR"] = data_dir  # the fresh processes inherit it
        cold_best, cold_median, cold_mib, cold = measure(with_foedus_cold, _digest, runs)  # each its own subdirectory
        measure(write_copy, repeat=1)  # first use here, in a child: this process stays small for the next
        fast_best, fast_median, fast_mib, fast = measure(with_foedus, _digest, runs)
        native_best, native_median, native_mib, native = measure(with_foedus_polars, _digest, runs)
    slow_best, slow_median, slow_mib, slow = measure(with_pandas, _digest, runs)
    idle_mib = measure(nothing, repeat=1)[2]
    print(f"directed dyad-years 1816-2016 with ATOP flags: {fast[0]:,} rows (best / median of {runs} fresh processes)")
    print(f"foedus, cold:     {cold_best:6.3f} s / {cold_median:6.3f} s   peak RSS {cold_mib:5.0f} MiB"
          "   (first use: parses the ATOP CSV, writes its copy)")
    print(f"foedus, warm:     {fast_best:6.3f} s / {fast_median:6.3f} s   peak RSS {fast_mib:5.0f} MiB"
          "   (reads the parsed copy)")
    print(f"foedus, polars:   {native_best:6.3f} s / {native_median:6.3f} s   peak RSS {native_mib:5.0f} MiB"
          "   (warm, kept as polars: no pandas hand-over)")
    print(f"pandas baseline:  {slow_best:6.3f} s / {slow_median:6.3f} s   peak RSS {slow_mib:5.0f} MiB")
    print(f"(the interpreter with numpy, pandas, polars and foedus loaded: {idle_mib:.0f} MiB)")
    print(f"speed-up warm: {slow_best / fast_best:.1f}x best, {slow_median / fast_median:.1f}x median; "
          f"cold: {slow_best / cold_best:.1f}x best, {slow_median / cold_median:.1f}x median; "
          f"polars: {slow_best / native_best:.1f}x best; same rows and flags: {fast == slow == cold == native}")


if __name__ == "__main__":
    main()
