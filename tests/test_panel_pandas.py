"""Panel.to_pandas() hands over the same frame as polars' own conversion, detached from the panel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl

from foedus import panel as P


def test_to_pandas_equals_the_polars_conversion(shared_data: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "atop.csv"  # coverage ends in 1900: 1901 flags and scores are missing
    pl.read_csv(shared_data / "atop5_1_ddyr_obligations_peacesciencer.csv").filter(
        pl.col("year") <= 1900
    ).write_csv(truncated)
    states_file = shared_data / "states2016.csv"
    dyads = P.create_dyad_years((1899, 1901), states_file=states_file).pipe(
        P.add_atop_alliance, truncated, coverage=(1815, 1900)
    ).pipe(P.add_similarity, ("s", "tau-b"), atop_file=truncated)
    state_years = P.create_state_years((1899, 1901), states_file).pipe(
        P.add_atop_alliance, truncated, coverage=(1815, 1900)
    )
    for built in (dyads, state_years):
        assert built.frame.null_count().sum_horizontal().item() > 0
        pd.testing.assert_frame_equal(built.to_pandas(), built.frame.to_pandas())


def test_to_pandas_can_be_changed_without_changing_the_panel(shared_data: Path) -> None:
    built = P.create_dyad_years((1900, 1900), states_file=shared_data / "states2016.csv")
    frame = built.to_pandas()
    frame.loc[0, "year"] = 1
    frame["ccode1"] *= 0
    assert built.frame["year"].min() == 1900
    assert built.frame["ccode1"].min() > 0
