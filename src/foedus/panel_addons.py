"""Add-ons an alliance researcher expects beside ATOP, in peacesciencer's column names: COW major
powers (``cowmaj``; ``cowmaj1``, ``cowmaj2``), COW inter-state wars by dyad-year
(``cowinterongoing``, ``cowinteronset``, sides, initiators, outcomes, battle deaths) and GML
militarized interstate disputes by dyad-year (``gmlmidongoing``, ``gmlmidonset``, ``dispnum``,
``orig1``, ``orig2``, ``hiact1``, ``hiact2``; not the side columns, which would clash with the
COW war add-on's ``sidea1``, ``sidea2``: a dispute dyad is always two opposite sides).

Each reads a file the user names (peacesciencer's tables of the COW and GML data: ``majors2016.csv``,
its directed dyad-year inter-state war table and its GML MID participant table) and adds its
columns to a :class:`~foedus.panel.Panel`, with the citation key of its source.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .errors import DataError, FoedusError
from .panel import DYAD_KEY, Panel

MAJORS_COLUMNS = ("ccode", "styear", "endyear")
MID_COLUMNS = ("dispnum", "ccode", "styear", "stmon", "stday", "endyear", "endmon", "endday", "dummy_stday",
               "dummy_endday", "sidea", "hiact", "orig")
MID_SIDE_COLUMNS = ("orig", "hiact")  # one per state: orig1, orig2, hiact1, hiact2
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
    return _add_dyad_years(panel, "add_cow_wars", war_dyad_years(path), ("cowinterongoing", "cowinteronset"),
                           "cow-wars")


def _add_dyad_years(panel: Panel, verb: str, table: pl.DataFrame, flags: tuple[str, ...], source: str) -> Panel:
    """Join a dyad-year table onto a dyad-year panel (replacing its columns if present): ``flags`` 0
    where the table has no row, its other columns missing."""
    if panel.unit != "dyad-year":
        raise FoedusError(f"{verb}() needs a dyad-year panel: run create_dyad_years() first")
    frame = panel.frame.drop([c for c in table.columns if c not in DYAD_KEY], strict=False)
    frame = frame.join(table, on=list(DYAD_KEY), how="left", maintain_order="left")
    return panel._with(frame.with_columns(pl.col(flags).fill_null(0)), source)


def _participation(mids: pl.DataFrame) -> pl.DataFrame:
    """Each participant's first and last day in its dispute. An unknown day (-9) is the one the GML
    file's ``dummy_stday``/``dummy_endday`` give: the first day of the month at the start, the last at
    the end, so the span is the widest the coding allows."""
    def day(year: str, month: str, known: str, dummy: str) -> pl.Expr:
        d = pl.when(pl.col(known) > 0).then(pl.col(known)).otherwise(pl.col(dummy))
        return pl.date(pl.col(year), pl.col(month), d)

    return mids.select(pl.col("dispnum", "ccode").cast(pl.Int32), "sidea", *MID_SIDE_COLUMNS,
                       start=day("styear", "stmon", "stday", "dummy_stday"),
                       end=day("endyear", "endmon", "endday", "dummy_endday"))


def mid_dyad_years(path: Path) -> pl.DataFrame:
    """One row per directed dyad-year in a GML dispute: the two states on opposite sides, in the years
    both took part on a common day. ``gmlmidonset`` is 1 in the year the pair's part in a dispute began;
    a pair in two disputes in a year takes its flags over both and the other columns from the dispute
    that began that year, else the lowest-numbered one."""
    try:
        parts = _participation(_read(path, MID_COLUMNS, "GML MID participant"))
    except pl.exceptions.PolarsError as exc:
        raise DataError(f"{path}: impossible dates in a GML MID participant file ({str(exc).splitlines()[0]})") from None
    one, two = (parts.rename({c: f"{c}{side}" for c in ("sidea", *MID_SIDE_COLUMNS, "ccode", "start", "end")})
                for side in ("1", "2"))
    pairs = (one.join(two, on="dispnum").filter(pl.col("sidea1") != pl.col("sidea2"))
             .with_columns(first=pl.max_horizontal("start1", "start2"), last=pl.min_horizontal("end1", "end2"))
             .filter(pl.col("first") <= pl.col("last")))
    years = (pairs.with_columns(year=pl.int_ranges(pl.col("first").dt.year(), pl.col("last").dt.year() + 1,
                                                   dtype=pl.Int32))
             .explode("year")
             .with_columns(gmlmidongoing=pl.lit(1, pl.Int8),
                           gmlmidonset=(pl.col("year") == pl.col("first").dt.year()).cast(pl.Int8)))
    described = ["dispnum", *(f"{c}{s}" for c in MID_SIDE_COLUMNS for s in "12")]
    return (years.sort(["gmlmidonset", "dispnum"], descending=[True, False])
            .group_by(DYAD_KEY, maintain_order=True)
            .agg(pl.col("gmlmidongoing", "gmlmidonset").max(), pl.col(described).first())
            .sort(DYAD_KEY))


def add_gml_mids(panel: Panel, path: Path) -> Panel:
    """GML militarized dispute columns for each dyad-year (``gmlmidongoing``, ``gmlmidonset`` 0 when the
    pair was in no dispute; the descriptive columns missing then). Needs a dyad-year panel."""
    return _add_dyad_years(panel, "add_gml_mids", mid_dyad_years(path), ("gmlmidongoing", "gmlmidonset"), "gml-mids")
