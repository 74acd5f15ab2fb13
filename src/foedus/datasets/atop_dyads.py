"""Directed dyad-year obligation flags derived from the ATOP member-level file.

A directed dyad (A, B) in year Y carries an obligation when, in some alliance phase, A's
member row has that obligation and A and B were both members of that phase on at least
one same day of Y (the dyad-year convention of peacesciencer and EUGene, applied to
alliance membership). A row appears for every directed pair sharing an alliance that
year, with 0 for the obligations not owed, as in ATOP's own directed dyad-year file.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from .atop import KINDS, with_spans

FLAGS = list(KINDS)  # defense, offense, neutral, nonagg, consul


def directed_dyad_years(members: pl.DataFrame, through: int, per_alliance: bool = False) -> pl.DataFrame:
    """``ccode1, ccode2, year`` and one 0/1 column per obligation (what ccode1 owes ccode2).

    ``members`` is an ATOP member-level table; memberships still open (exit year 0) run
    to the end of year ``through``. With ``per_alliance`` the rows are kept apart by
    ``atopid``, to see which alliance carries each obligation.
    """
    keys = ["atopid"] if per_alliance else []
    horizon = date(through + 1, 1, 1)
    rows = (
        with_spans(members)
        .select(
            "atopid", "phase", "member", "start", pl.col("end").fill_null(horizon).clip(upper_bound=horizon), *FLAGS
        )
        .filter(pl.col("start") < pl.col("end"))
    )
    pairs = (
        rows.join(rows.select("atopid", "phase", "member", "start", "end"), on=["atopid", "phase"], suffix="_b")
        .filter(pl.col("member") != pl.col("member_b"))
        .with_columns(lo=pl.max_horizontal("start", "start_b"), hi=pl.min_horizontal("end", "end_b"))
        .filter(pl.col("lo") < pl.col("hi"))
        .with_columns(year=pl.int_ranges(pl.col("lo").dt.year(), (pl.col("hi") - pl.duration(days=1)).dt.year() + 1))
        .explode("year")
    )
    return (
        pairs.group_by(pl.col("member").alias("ccode1"), pl.col("member_b").alias("ccode2"), "year", *keys)
        .agg(pl.col(f).max() for f in FLAGS)
        .sort("ccode1", "ccode2", "year", *keys)
    )
