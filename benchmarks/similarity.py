"""Portfolio similarity (S, kappa, pi, tau-b) for every dyad-year: all-pairs tables vs a per-dyad loop.

The loop calls the per-dyad functions once per dyad-year and measure, on the same portfolios;
it runs on 1990-1991 only (about 70,000 directed dyad-years), where the ratio is taken.
The full 1816-2016 panel is then timed with the all-pairs version alone.

Run: python -m benchmarks.similarity
"""

from __future__ import annotations

import numpy as np
import polars as pl

from benchmarks._measure import data_file, measure, nothing
from foedus import panel
from foedus import similarity as sim

STATES = "states2016.csv"
ATOP = "atop5_1_ddyr_obligations_peacesciencer.csv"
MEASURES = ("s", "kappa", "pi", "tau-b")
SAMPLE = (1990, 1991)
PER_DYAD = {"s": sim.s_score, "kappa": sim.kappa, "pi": sim.scott_pi, "tau-b": sim.tau_b}


def _summary(frame: pl.DataFrame) -> tuple[int, tuple[float, ...]]:
    """Row count and the rounded sum of every measure column, to check both paths agree."""
    scores = frame.select(pl.col(pl.Float64))
    return frame.height, tuple(round(float(scores[c].fill_null(0).sum()), 6) for c in scores.columns)


def vectorized(years: tuple[int, int]) -> pl.DataFrame:
    """add_similarity() on a directed dyad-year panel."""
    dyads = panel.create_dyad_years(years, directed=True, states_file=data_file(STATES))
    return panel.add_similarity(dyads, MEASURES, atop_file=data_file(ATOP)).frame.select(pl.col(pl.Float64))


def per_dyad_loop(years: tuple[int, int]) -> pl.DataFrame:
    """The same portfolios, scored one dyad-year and one measure at a time."""
    dyads = panel.create_dyad_years(years, directed=True, states_file=data_file(STATES)).frame
    ties = panel.atop_tie_levels(panel.read_atop_flags("5.1", data_file(ATOP)), "valued")
    members = panel.create_state_years(years, states_file=data_file(STATES)).frame
    out = {m: [] for m in MEASURES}
    for (year,), group in dyads.partition_by("year", as_dict=True, maintain_order=True).items():
        codes = members.filter(pl.col("year") == year)["ccode"].sort().to_numpy()
        matrix = np.zeros((len(codes), len(codes)), dtype=int)
        pairs = ties.filter(pl.col("year") == year, pl.col("ccode1").is_in(codes), pl.col("ccode2").is_in(codes))
        matrix[np.searchsorted(codes, pairs["ccode1"]), np.searchsorted(codes, pairs["ccode2"])] = pairs["tie"]
        np.fill_diagonal(matrix, 3)
        rows = {c: matrix[i] for i, c in enumerate(codes)}
        for a, b in zip(group["ccode1"].to_list(), group["ccode2"].to_list(), strict=True):
            for m in MEASURES:
                out[m].append(PER_DYAD[m](rows[a], rows[b]))
    return pl.DataFrame({m: out[m] for m in MEASURES}, schema=dict.fromkeys(MEASURES, pl.Float64)).fill_nan(None)


def sample_vectorized() -> pl.DataFrame:
    return vectorized(SAMPLE)


def sample_loop() -> pl.DataFrame:
    return per_dyad_loop(SAMPLE)


def full_vectorized() -> pl.DataFrame:
    return vectorized(panel.SYSTEM_YEARS)


def main() -> None:
    fast_best, fast_median, _, fast = measure(sample_vectorized, _summary)
    slow_best, slow_median, _, slow = measure(sample_loop, _summary, repeat=1)
    full_best, full_median, full_mib, full = measure(full_vectorized, _summary)
    idle_mib = measure(nothing, repeat=1)[2]
    print(f"S, kappa, pi and tau-b for directed dyad-years {SAMPLE[0]}-{SAMPLE[1]}: {fast[0]:,} rows")
    print(f"all-pairs tables: {fast_best:7.2f} s (best of 3; median {fast_median:.2f} s)")
    print(f"per-dyad loop:    {slow_best:7.2f} s (one run)")
    print(f"speed-up: {slow_best / fast_best:.0f}x   same scores: {fast == slow}")
    print(f"full 1816-2016 panel, {full[0]:,} rows: {full_best:.2f} s best, {full_median:.2f} s median, "
          f"peak RSS {full_mib:.0f} MiB (interpreter with libraries: {idle_mib:.0f} MiB)")


if __name__ == "__main__":
    main()
