"""Reference covariates for forecasting who joins a war, read from the shared CSV files.

Every lookup takes a date or year and answers with what was known before it: major-power status on
the day (COW majors2016), direct contiguity on the day (COW v3.2, land or up to 24 miles of water),
minimum distance on 1 January of the year (cshapes 2.0 via peacesciencer; the file starts in 1886,
and earlier years read 1886, the borders of that year), CINC capability share of the previous year
(COW NMC 7.0), strategic rivalry begun in an earlier year and not yet ended (Thompson and Dreyer), and
the militarized disputes (GML MIDs 2.2.1) that began in the ten years before the day. Years after a file's coverage read
its last year.
"""

from __future__ import annotations

import bisect
import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np

from .errors import DataError

MID_WINDOW = 10  # years of earlier disputes counted, fixed a priori

FILES = {
    "majors": "majors2016.csv",
    "states": "states2016.csv",
    "contiguity": "cow_direct_contiguity_3.2_peacesciencer.csv",
    "distance": "cow_minimum_distance_peacesciencer.csv.gz",
    "nmc": "cow_nmc_7.0_peacesciencer.csv",
    "rivalries": "thompson_dreyer_rivalries_peacesciencer.csv",
    "mids": "gml_mid_participants_2.2.1_peacesciencer.csv",
}


def region(ccode: int) -> str:
    """The COW region of a state number: Americas, Europe, Africa, Middle East, or Asia and Oceania."""
    if ccode < 200:
        return "americas"
    if ccode < 400:
        return "europe"
    if ccode < 630:
        return "africa"
    if ccode < 700:
        return "middle-east"
    return "asia-oceania"


def _rows(path: Path) -> Iterator[tuple[int, dict]]:
    if not path.exists():
        raise DataError(f"{path}: file not found")
    with path.open(newline="", encoding="utf-8") as fh:
        yield from enumerate(csv.DictReader(fh), start=2)


def _num(row: dict, col: str, path: Path, line: int, kind=int):
    try:
        return kind(row[col])
    except (KeyError, TypeError, ValueError):
        raise DataError(f"{path}:{line}: {col}: not a number ({row.get(col)!r})") from None


def _day(text: str, path: Path, line: int) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DataError(f"{path}:{line}: not a date ({text!r})") from None


@dataclass(frozen=True)
class Covariates:
    """The reference tables, indexed for lookups by pair and date."""

    spells: dict[int, list[tuple[date, date]]]  # system membership
    majors: dict[int, list[tuple[date, date]]]
    contiguity: dict[tuple[int, int], list[tuple[date, date]]]
    distance: Distances
    cinc: dict[tuple[int, int], float]
    cinc_years: tuple[int, int]
    rivalries: dict[tuple[int, int], list[tuple[int, int]]]
    mids: dict[tuple[int, int], tuple[list[date], list[tuple[bool, bool]]]]  # (x, y) -> dates, (same side, x joined)

    def members(self, day: date) -> list[int]:
        """COW numbers of the system members on ``day`` (the last spells stay open after 2016)."""
        last = max(e for s in self.spells.values() for _, e in s)
        return sorted(c for c, s in self.spells.items() if any(a <= day and (day <= e or e == last) for a, e in s))

    def major(self, c: int, day: date) -> bool:
        """A COW major power on ``day``."""
        last = max(e for s in self.majors.values() for _, e in s)
        return any(a <= day and (day <= e or e == last) for a, e in self.majors.get(c, ()))

    def contiguous(self, a: int, b: int, day: date) -> bool:
        """Land border or at most 24 miles of water on ``day``."""
        return any(s <= day <= e for s, e in self.contiguity.get((a, b), ()))

    def log_distance(self, a: int, b: int, year: int) -> float:
        """log(1 + minimum distance in km) on 1 January; the largest distance when the pair is not in the file."""
        lo, hi = self.distance.years
        km = self.distance.get(a, b, min(max(year, lo), hi))
        return math.log1p(km if km is not None else 20_000.0)

    def log_cinc(self, c: int, year: int) -> float:
        """log of the CINC share in the previous year (1e-6 when missing)."""
        lo, hi = self.cinc_years
        y = min(max(year - 1, lo), hi)
        return math.log(max(self.cinc.get((c, y), 0.0), 1e-6))

    def rivals(self, a: int, b: int, year: int) -> bool:
        """A strategic rivalry that began before ``year`` and had not ended by it."""
        return any(s < year <= e for s, e in self.rivalries.get((min(a, b), max(a, b)), ()))

    def disputes(self, x: int, y: int, day: date) -> tuple[int, int, int]:
        """Disputes that held both x and y, both having entered in the ``MID_WINDOW`` years before ``day``: on the same side, on opposite
        sides, and joined by x on y's side. A window, not all earlier disputes, so the counts do not grow
        with the calendar."""
        dates, rel = self.mids.get((x, y), ((), ()))
        lo = bisect.bisect_left(dates, day.replace(year=day.year - MID_WINDOW, day=min(day.day, 28)))
        k = bisect.bisect_left(dates, day)
        same = sum(1 for s, _ in rel[lo:k] if s)
        joined = sum(1 for s, j in rel[lo:k] if s and j)
        return same, k - lo - same, joined


def _spells(path: Path, key: str = "ccode") -> dict[int, list[tuple[date, date]]]:
    out: dict[int, list[tuple[date, date]]] = {}
    for line, r in _rows(path):
        start = date(_num(r, "styear", path, line), _num(r, "stmonth", path, line), _num(r, "stday", path, line))
        end = date(_num(r, "endyear", path, line), _num(r, "endmonth", path, line), _num(r, "endday", path, line))
        out.setdefault(_num(r, key, path, line), []).append((start, end))
    return out


@cache
def load(data_dir: Path) -> Covariates:
    """Read the covariate files from ``data_dir`` (cached per directory)."""
    p = {k: data_dir / v for k, v in FILES.items()}
    contiguity: dict[tuple[int, int], list[tuple[date, date]]] = {}
    for line, r in _rows(p["contiguity"]):
        if _num(r, "conttype", p["contiguity"], line) <= 3:
            key = (_num(r, "ccode1", p["contiguity"], line), _num(r, "ccode2", p["contiguity"], line))
            span = (_day(r["stdate"], p["contiguity"], line), _day(r["enddate"], p["contiguity"], line))
            contiguity.setdefault(key, []).append(span)
    distance = _distances(p["distance"])
    cinc: dict[tuple[int, int], float] = {}
    for line, r in _rows(p["nmc"]):
        if r["cinc"] not in ("", "NA"):
            cinc[(_num(r, "ccode", p["nmc"], line), _num(r, "year", p["nmc"], line))] = _num(
                r, "cinc", p["nmc"], line, float
            )
    rivalries: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for line, r in _rows(p["rivalries"]):
        a, b = _num(r, "ccode1", p["rivalries"], line), _num(r, "ccode2", p["rivalries"], line)
        rivalries.setdefault((min(a, b), max(a, b)), []).append(
            (_num(r, "styear", p["rivalries"], line), _num(r, "endyear", p["rivalries"], line))
        )
    return Covariates(
        spells=_spells(p["states"]),
        majors=_spells(p["majors"]),
        contiguity=contiguity,
        distance=distance,
        cinc=cinc,
        cinc_years=(min(k[1] for k in cinc), max(k[1] for k in cinc)),
        rivalries=rivalries,
        mids=_mid_pairs(p["mids"]),
    )


def _pair_year(a, b, year):
    """One integer per (lower code, higher code, year): the key of the distance table."""
    return (np.asarray(a, dtype=np.int64) * 1000 + b) * 10_000 + year


@dataclass(frozen=True)
class Distances:
    """Minimum distances as sorted keys (see :func:`_pair_year`) and their values in km."""

    keys: np.ndarray
    km: np.ndarray
    years: tuple[int, int]

    def get(self, a: int, b: int, year: int) -> float | None:
        """The distance between ``a`` and ``b`` on 1 January of ``year``, if the file has it."""
        k = _pair_year(min(a, b), max(a, b), year)
        i = int(np.searchsorted(self.keys, k))
        return float(self.km[i]) if i < self.keys.size and self.keys[i] == k else None


def _distances(path: Path) -> Distances:
    """The minimum-distance table, read with polars (a million rows)."""
    import polars as pl

    if not path.exists():
        raise DataError(f"{path}: file not found")
    try:
        df = pl.read_csv(path, schema_overrides={"mindist": pl.Float64})
        lo = pl.min_horizontal("ccode1", "ccode2")
        hi = pl.max_horizontal("ccode1", "ccode2")
        df = df.select(lo.alias("a"), hi.alias("b"), pl.col("year"), pl.col("mindist"))
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise DataError(f"{path}: cannot read the distance file ({exc})") from None
    if df["mindist"].null_count():
        raise DataError(f"{path}: {df['mindist'].null_count()} rows without a distance")
    key = _pair_year(df["a"].to_numpy(), df["b"].to_numpy(), df["year"].to_numpy())
    order = np.argsort(key, kind="stable")
    return Distances(key[order], df["mindist"].to_numpy()[order], (int(df["year"].min()), int(df["year"].max())))


def _mid_pairs(path: Path) -> dict[tuple[int, int], tuple[list[date], list[tuple[bool, bool]]]]:
    """Per ordered pair of states, when each of their disputes held both, and (same side, x joined later)."""
    by: dict[int, list[tuple[int, bool, bool, date]]] = {}
    for line, r in _rows(path):
        start = date(_num(r, "styear", path, line), max(_num(r, "stmon", path, line), 1), 1)
        day = _num(r, "stday", path, line)
        start = start.replace(day=day) if 1 <= day <= 28 else start
        by.setdefault(_num(r, "dispnum", path, line), []).append(
            (_num(r, "ccode", path, line), _num(r, "sidea", path, line) == 1, _num(r, "orig", path, line) == 0, start)
        )
    pairs: dict[tuple[int, int], list[tuple[date, bool, bool]]] = {}
    for rows in by.values():
        for x, sx, jx, dx in rows:
            for y, sy, _, dy in rows:
                if x != y:  # dated when the later of the two entered: only then were both in it
                    pairs.setdefault((x, y), []).append((max(dx, dy), sx == sy, jx))
    out = {}
    for k, v in pairs.items():
        v.sort()
        out[k] = ([d for d, _, _ in v], [(s, j) for _, s, j in v])
    return out
