"""Panels from both ATOP releases: 4.01 (derived from the member-level file) against 5.1 (ATOP's
own directed dyad-year file), for the years both cover.

The release gap itself (which dyad-years differ between the raw 4.01-derived flags and the 5.1
file, and why) is classified reason by reason in tests/test_atop_fidelity.py. Here the panel's
merge is checked not to add to it: every panel difference is one of those raw differences, and
every 4.01 flag of a COW dyad-year reaches the panel unchanged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl
import pytest

from foedus import panel as P
from foedus.datasets import atop
from foedus.datasets.atop_dyads import FLAGS, directed_dyad_years
from foedus.errors import FoedusError

KEY = ["ccode1", "ccode2", "year"]
BOTH_COVER = (1816, 2016)  # COW's years, all inside both releases' coverage (1815-2016 and 1815-2018)


@cache
def _panels(shared: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    dyads = P.create_dyad_years(BOTH_COVER, directed=True, states_file=shared / "states2016.csv")
    old = P.add_atop_alliance(dyads, shared / "atop4_01_member_level.csv", version="4.01")
    new = P.add_atop_alliance(dyads, shared / "atop5_1_ddyr_obligations_peacesciencer.csv")
    return old.frame, new.frame


@cache
def _raw_differences(shared: Path) -> dict[str, pl.DataFrame]:
    """Per flag, the directed dyad-years on which the raw 4.01-derived and 5.1 flags differ."""
    members = atop.read(shared / "atop4_01_member_level.csv").frame
    derived = directed_dyad_years(members, through=BOTH_COVER[1]).cast({k: pl.Int32 for k in KEY})
    ref = pl.read_csv(shared / "atop5_1_ddyr_obligations_peacesciencer.csv").cast({k: pl.Int32 for k in KEY})
    both = derived.join(ref, on=KEY, how="full", coalesce=True).with_columns(
        pl.col(*FLAGS, *(f"atop_{f}" for f in FLAGS)).fill_null(0)
    )
    return {f: both.filter(pl.col(f) != pl.col(f"atop_{f}")).select(KEY) for f in FLAGS}


def test_the_4_01_panel_carries_the_derived_flags_unchanged(shared_data):
    old, _ = _panels(shared_data)
    members = atop.read(shared_data / "atop4_01_member_level.csv").frame
    derived = directed_dyad_years(members, through=BOTH_COVER[1]).cast({k: pl.Int32 for k in KEY})
    joined = derived.join(old, on=KEY, how="inner")
    assert joined.height > 0
    for f in FLAGS:
        assert (joined[f] == joined[f"atop_{f}"]).all(), f
    assert (joined["atop_alliance"] == 1).all()
    outside = old.join(derived.select(KEY), on=KEY, how="anti")
    assert outside.select(pl.max_horizontal(pl.col(P.ATOP_COLUMNS)).max()).item() == 0


def test_every_panel_difference_between_releases_is_a_classified_raw_difference(full_data, capsys):
    old, new = _panels(full_data)
    raw = _raw_differences(full_data)
    assert old.select(KEY).equals(new.select(KEY))
    lines = [f"ATOP 4.01 vs 5.1 in the directed dyad-year panel {BOTH_COVER[0]}-{BOTH_COVER[1]} ({old.height:,} rows)"]
    for f in FLAGS:
        col = f"atop_{f}"
        differ = old.select(KEY).filter(old[col] != new[col])
        assert differ.join(raw[f], on=KEY, how="anti").height == 0, f
        share = 1 - differ.height / old.height
        lines.append(f"  {col:13} agree on {share:.4%} ({differ.height:,} dyad-years differ)")
        assert share >= 0.99
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def test_release_coverage_and_citations(shared_data):
    dyads = P.create_dyad_years((2016, 2016), states_file=shared_data / "states2016.csv")
    old = P.add_atop_alliance(dyads, shared_data / "atop4_01_member_level.csv", version="4.01")
    assert old.frame["atop_defense"].null_count() == 0  # 2016 is the last year 4.01 covers
    assert old.sources == ("cow-states", "atop", "atop-codebook-4.01")
    with pytest.raises(FoedusError, match="unknown ATOP version '6.0'"):
        P.add_atop_alliance(dyads, version="6.0")
