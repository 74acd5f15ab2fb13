"""Add-ons an alliance researcher expects beside ATOP, in peacesciencer's column names: COW major
powers (``cowmaj``; ``cowmaj1``, ``cowmaj2``) and COW inter-state wars by dyad-year
(``cowinterongoing``, ``cowinteronset``, sides, initiators, outcomes, battle deaths).

Each reads a file the user names (peacesciencer's tables of the COW data: ``majors2016.csv`` and
its directed dyad-year inter-state war table) and adds its columns to a :class:`~foedus.panel.Panel`,
with the citation key of its source.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .errors import DataError, FoedusError
from .panel import DYAD_KEY, Panel

MAJORS_COLUMNS = ("ccode", "styear", "endyear")
WAR_COLUMNS = ("warnum", "ccode1", "ccode2", "year", "cowinterongoing", "cowinteronset", "sidea1", "sidea2",
               "initiator1", "initiator2", "outcome1", "outcome2", "batdeath1", "batdeath2", "resume")


def _read(path: Path, columns: tuple[str, ...], what: str) -> pl.DataFrame:
    if not Path(path).is_file():
        raise FoedusError(f"{what} file not found: {path}")
    try:
        frame = pl.read_csv(path, infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        raise DataError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: not a {what} file (no column {', '.join(missing)})")
    return frame


def major_power_years(path: Path) -> pl.DataFrame:
    """``ccode, year`` for every year a state was a COW major power on at least one day."""
    majors = _read(path, MAJORS_COLUMNS, "COW major powers")
    return (majors.select(pl.col("ccode").cast(pl.Int32),
                          year=pl.int_ranges("styear", pl.col("endyear") + 1, dtype=pl.Int32))
            .explode("year").unique().with_columns(cowmaj=pl.lit(1, pl.Int8)))


def add_cow_majors(panel: Panel, path: Path) -> Panel:
    """``cowmaj`` (state-years) or ``cowmaj1`` and ``cowmaj2`` (dyad-years): 1 when the state was a
    COW major power in the year, else 0."""
    years = major_power_years(path)
    frame = panel.frame
    if panel.unit == "state-year":
        frame = frame.drop("cowmaj", strict=False).join(years, on=["ccode", "year"], how="left",
                                                        maintain_order="left")
    else:
        for side in ("1", "2"):
            named = years.rename({"ccode": f"ccode{side}", "cowmaj": f"cowmaj{side}"})
            frame = frame.drop(f"cowmaj{side}", strict=False).join(named, on=[f"ccode{side}", "year"], how="left",
                                                                   maintain_order="left")
    filled = [c for c in frame.columns if c.startswith("cowmaj")]
    return panel._with(frame.with_columns(pl.col(filled).fill_null(0)), "cow-majors")


def war_dyad_years(path: Path) -> pl.DataFrame:
    """One row per directed dyad-year at war: ongoing and onset flags over all its wars, the other
    columns from its lowest-numbered war (``warnum``), as a dyad-year may fall in two wars."""
    wars = _read(path, WAR_COLUMNS, "COW inter-state war dyad-year")
    flags = ["cowinterongoing", "cowinteronset"]
    return (wars.sort("warnum").group_by(DYAD_KEY, maintain_order=True)
            .agg(pl.col(flags).max(), pl.col([c for c in WAR_COLUMNS if c not in (*DYAD_KEY, *flags)]).first())
            .with_columns(pl.col(DYAD_KEY).cast(pl.Int32)))


def add_cow_wars(panel: Panel, path: Path) -> Panel:
    """COW inter-state war columns for each dyad-year (``cowinterongoing``, ``cowinteronset`` 0 when the
    pair was not at war; the descriptive columns missing then). Needs a dyad-year panel; the war table
    lists both directions of every warring pair, so non-directed panels read it as they are."""
    if panel.unit != "dyad-year":
        raise FoedusError("add_cow_wars() needs a dyad-year panel: run create_dyad_years() first")
    wars = war_dyad_years(path)
    frame = panel.frame.drop([c for c in wars.columns if c not in DYAD_KEY], strict=False)
    frame = frame.join(wars, on=list(DYAD_KEY), how="left", maintain_order="left")
    return panel._with(frame.with_columns(pl.col("cowinterongoing", "cowinteronset").fill_null(0)), "cow-wars")
