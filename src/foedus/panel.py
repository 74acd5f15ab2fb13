"""Research panels: dyad-years and state-years with ATOP alliance obligations and portfolio similarity.

The verbs compose in the create/add style: ``create_dyad_years()`` or ``create_state_years()``
first, then ``add_atop_alliance()`` and ``add_similarity()``. Each returns a :class:`Panel`,
a polars frame that carries what it is (unit, directedness, years) and which datasets and
measures it used (for :func:`foedus.citations.bibtex`), so every verb can check its input.

A dyad-year exists when both states were COW system members on at least one same day of
that year; a state-year when the state was a member on at least one day of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import polars as pl

from . import limits, parsed_cache, similarity, states
from .datasets import registry
from .dyad_slots import DyadSlots
from .errors import DataError, FoedusError
from .outputs import atomic_output, check_target

if TYPE_CHECKING:
    import pandas as pd  # imported on use (to_pandas, Stata): it adds a third to a panel command's time

# The member-level ATOP reader (foedus.datasets.atop, with the pydantic model) is imported on use,
# by release 4.01 only: a panel from the dyad-year file starts without it.

Unit = Literal["dyad-year", "state-year"]
SYSTEM_START_YEAR = states.SYSTEM_START.year


@dataclass(frozen=True)
class AtopRelease:
    """Which of a release's files the directed dyad-year flags come from, the years it covers and what to cite."""

    role: str  # "ddyr": ATOP's own directed dyad-year file; "member": derived from the member-level file
    coverage: tuple[int, int]
    sources: tuple[str, ...]


ATOP_RELEASES = {
    "5.1": AtopRelease("ddyr", (1815, 2018), ("atop", "atop-codebook-5.1")),
    # derived from the member-level file by foedus.datasets.atop_dyads
    "4.01": AtopRelease("member", (1815, 2016), ("atop", "atop-codebook-4.01")),
}
DYAD_KEY = ("ccode1", "ccode2", "year")
OBLIGATIONS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
PUBLISHER_DDYR = {"stateA": "ccode1", "stateB": "ccode2", "year": "year"} | {o.removeprefix("atop_"): o for o in OBLIGATIONS}
ATOP_COLUMNS = (*OBLIGATIONS, "atop_alliance")
STATE_YEAR_COUNTS = {c: c.replace("atop_", "atop_n") for c in OBLIGATIONS} | {"atop_alliance": "atop_nallies"}
TIE_LEVELS = {"valued": 4, "binary": 2}
CHUNK = 1 << 18  # panel rows looked up at a time
SOURCES_KEY = "foedus:sources"
RELEASES_KEY = "foedus:releases"
FORMATS = (".parquet", ".csv", ".dta")  # what Panel.write writes, by suffix
# Parquet column statistics: null counts, not minima and maxima. Those took half the time of
# writing a 1.9M-row panel (0.06 of 0.12 s) and would only let a reader skip row groups of a
# file of a fifth of a megabyte (a filter on ccode1 reads it in 3.4 ms instead of 1.4).
PARQUET_STATISTICS = {"min": False, "max": False, "distinct_count": False, "null_count": True}


@dataclass(frozen=True)
class Panel:
    """A panel frame with what it is: ``unit``, ``directed``, the ``years`` it spans and its ``sources``."""

    frame: pl.DataFrame
    unit: Unit
    directed: bool
    years: tuple[int, int]
    sources: tuple[str, ...] = ()
    states_file: Path | None = None  # the COW state list it was built from (None: the installed one)
    releases: tuple[tuple[str, str], ...] = ()  # (dataset, release) of every dataset it used

    def to_polars(self) -> pl.DataFrame:
        """The panel as a polars DataFrame."""
        return self.frame

    def to_pandas(self) -> pd.DataFrame:
        """The panel as a pandas DataFrame (integer columns with missing values become float, with ``NaN``)."""
        import pandas as pd

        return pd.DataFrame({name: _numpy(column) for name, column in self.frame.to_dict().items()})

    def pipe(self, verb: Callable[..., Panel], *args: object, **kwargs: object) -> Panel:
        """Apply a verb: ``create_dyad_years().pipe(add_atop_alliance)``."""
        return verb(self, *args, **kwargs)

    def _with(self, frame: pl.DataFrame, *sources: str, release: tuple[str, str] | None = None) -> Panel:
        releases = dict(self.releases) | dict([release] if release else [])
        return replace(self, frame=frame, sources=tuple(dict.fromkeys((*self.sources, *sources))),
                       releases=tuple(releases.items()))

    def _data_label(self) -> str:
        return f"foedus {self.unit} panel: {self.release_text()}"[:80]

    def release_text(self) -> str:
        """The releases it used, as people write them: ``ATOP 5.1, COW states v2024``."""
        names = {"atop": "ATOP {}" + (" (peacesciencer)" if "peacesciencer" in self.sources else ""),
                 "cow-states": "COW states v{}"}
        return ", ".join(names.get(d, d + " {}").format(v) for d, v in self.releases)

    def write(self, path: Path) -> Path:
        """Write to ``.parquet`` (sources kept in the file's metadata), ``.csv`` or Stata ``.dta``.

        The file appears whole or not at all.
        """
        path = check_target(path, FORMATS)
        suffix = path.suffix.lower()
        with atomic_output(path) as tmp:
            if suffix == ".parquet":
                self.frame.write_parquet(tmp, statistics=PARQUET_STATISTICS,
                                         metadata={SOURCES_KEY: ",".join(self.sources),
                                                   RELEASES_KEY: ",".join(f"{d}={v}" for d, v in self.releases)})
            elif suffix == ".csv":
                self.frame.write_csv(tmp)
            else:
                self.to_pandas().to_stata(tmp, write_index=False, data_label=self._data_label(),
                                          variable_labels={c: variable_label(c, self.directed) for c in self.frame.columns})
        return path


OBLIGATION_WORDS = {"defense": "defence", "offense": "offence", "neutral": "neutrality",
                    "nonagg": "non-aggression", "consul": "consultation"}
MEASURE_WORDS = {"s": "S (Signorino-Ritter)", "sw": "S weighted by capability", "kappa": "Cohen's kappa",
                 "pi": "Scott's pi", "taub": "tau-b"}
FIXED_LABELS = {"cowmaj": "COW major power (0/1)", "cowmaj1": "COW major power: ccode1 (0/1)",
                "cowmaj2": "COW major power: ccode2 (0/1)", "cowinterongoing": "COW inter-state war ongoing (0/1)",
                "cowinteronset": "COW inter-state war onset (0/1)", "warnum": "COW war number",
                "gmlmidongoing": "GML MID ongoing (0/1)", "gmlmidonset": "GML MID onset (0/1)",
                "dispnum": "GML MID dispute number", "orig1": "GML MID: ccode1 an originator (0/1)",
                "orig2": "GML MID: ccode2 an originator (0/1)", "hiact1": "GML MID: highest action of ccode1",
                "hiact2": "GML MID: highest action of ccode2",
                "ccode": "COW state code", "ccode1": "COW code of state 1", "ccode2": "COW code of state 2",
                "year": "year", "atop_alliance": "ATOP: the pair shares an alliance this year (0/1)",
                "atop_nallies": "ATOP: number of system members it shares an alliance with"}


def variable_label(column: str, directed: bool = True) -> str:
    """The Stata variable label of a panel column (at most 80 characters)."""
    if column in FIXED_LABELS:
        return FIXED_LABELS[column]
    kind = column.removeprefix("atop_n").removeprefix("atop_")
    if column.startswith("atop_n") and kind in OBLIGATION_WORDS:
        return f"ATOP: number of {OBLIGATION_WORDS[kind]} partners (either direction)"
    if column.startswith("atop_") and kind in OBLIGATION_WORDS:
        whose = "of ccode1 to ccode2" if directed else "between the pair, either direction"
        return f"ATOP: {OBLIGATION_WORDS[kind]} obligation {whose} (0/1)"
    measure, _, rest = column.partition("_")
    if measure in MEASURE_WORDS:
        ties, _, dist = rest.partition("_")
        words = {"abs": "absolute distance", "sq": "squared distance", "ord": "rank concordance"}
        return ", ".join(p for p in (f"portfolio similarity: {MEASURE_WORDS[measure]}", f"{ties} ties",
                                     words.get(dist, dist)) if p)[:80]
    return column


def _numpy(column: pl.Series) -> np.ndarray:
    """A column as numpy, as polars' ``to_pandas`` gives it: integers with missing values as float64."""
    if column.dtype.is_integer() and column.has_nulls():
        column = column.cast(pl.Float64)
    return column.to_numpy()


def panel_releases(path: Path) -> str:
    """The dataset releases recorded in a panel file: ``atop=5.1,cow-states=2024`` (Parquet), the data label (Stata)."""
    path = Path(path)
    if path.suffix.lower() == ".dta":
        return _stata_header(path)[0]
    if path.suffix.lower() == ".csv":
        return ""  # a CSV file has nowhere to keep them
    try:
        meta = pl.read_parquet_metadata(path)
    except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
        raise FoedusError(f"{path}: not a readable parquet file ({exc})") from None
    return meta.get(RELEASES_KEY, "")


def _stata_header(path: Path) -> tuple[str, list[str]]:
    import pandas as pd

    try:
        with pd.io.stata.StataReader(path) as reader:
            return reader.data_label, list(reader.variable_labels())
    except (OSError, ValueError) as exc:
        raise FoedusError(f"{path}: not a readable Stata file ({str(exc).splitlines()[0]})") from None


def _stata_sources(path: Path) -> tuple[str, ...]:
    """The citation keys of a Stata panel written by :meth:`Panel.write`: its releases from the data
    label, its measures from its column names."""
    label, columns = _stata_header(path)
    if not label.startswith("foedus "):
        raise FoedusError(f"{path}: no foedus data label (was it written by `foedus panel`?)")
    cow = re.search(r"COW states v(\d{4})", label)
    atop_release = re.search(r"ATOP (\d+\.\d+)", label)
    keys = [] if cow is None else ["cow-states" if cow.group(1) == "2016" else f"cow-states-{cow.group(1)}"]
    if atop_release and any(c.startswith("atop_") for c in columns):
        keys += ["atop", f"atop-codebook-{atop_release.group(1)}"]
        keys += ["peacesciencer"] if "(peacesciencer)" in label else []
    prefixes = {"s": "s", "sw": "s", "kappa": "kappa", "pi": "pi", "taub": "tau-b"}
    keys += [MEASURE_SOURCES[prefixes[c.split("_")[0]]] for c in columns if c.split("_")[0] in prefixes]
    keys += ["cow-majors"] if any(c.startswith("cowmaj") for c in columns) else []
    keys += ["cow-wars"] if "cowinterongoing" in columns else []
    keys += ["gml-mids"] if "gmlmidongoing" in columns else []
    return tuple(dict.fromkeys(keys))


def panel_sources(path: Path) -> tuple[str, ...]:
    """The citation keys of a panel written by :meth:`Panel.write`: stored in Parquet, read off a Stata file."""
    path = Path(path)
    if path.suffix.lower() == ".dta":
        return _stata_sources(path)
    if path.suffix.lower() == ".csv":
        raise FoedusError(f"{path}: a CSV panel records no sources; cite the keys `foedus panel` printed, "
                          f"or write .parquet or .dta")
    try:
        meta = pl.read_parquet_metadata(path)
    except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
        raise FoedusError(f"{path}: not a readable parquet file ({exc})") from None
    if SOURCES_KEY not in meta:
        raise FoedusError(f"{path}: no foedus sources recorded (was it written by `foedus panel`?)")
    return tuple(k for k in meta[SOURCES_KEY].split(",") if k)


def chosen_atop_version(version: str | None = None) -> str:
    """The ATOP release to use: the one named, else the one imported into the store, else the newest."""
    from . import store

    chosen = version or store.releases().get("atop") or registry.get("atop").default
    if chosen not in ATOP_RELEASES:
        raise FoedusError(f"unknown ATOP version {chosen!r} (use {' or '.join(ATOP_RELEASES)})")
    return chosen


def _require(path: Path | None, default: Path, dataset: str) -> Path:
    path = Path(path) if path is not None else default
    if not path.is_file():
        raise DataError(f"{dataset} file not found at {path}: run `foedus data fetch {dataset}` or pass its path")
    return path


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``"1816-2016"`` or ``"1975"`` -> ``(first, last)``; None (the COW list's years) when not given.

    The years are checked against the list that is used when it is read (:func:`_check_years`).
    """
    return None if text is None else limits.parse_years(text, checked=False)


def _cow_list(states_file: Path | None) -> states.CowList:
    """The COW state list: the file given, else the installed one."""
    if states_file is None and states.installed() is not None:
        return states.installed()
    return states.read_cow_list(_require(states_file, states.cow_states_path(), "cow-states"))


def _check_years(years: tuple[int, int] | str | None, listed: states.CowList) -> tuple[int, int]:
    if isinstance(years, str):  # "1946-2016", as the CLI's --years takes it
        years = limits.parse_years(years, checked=False)
    lo, hi = SYSTEM_START_YEAR, listed.last_day.year
    first, last = years or (lo, hi)
    if not lo <= first <= last <= hi:
        raise FoedusError(f"years {first}-{last} outside the COW state system list v{listed.version} ({lo}-{hi}) "
                          f"or reversed")
    return first, last


def _cow_release(listed: states.CowList) -> tuple[str, str]:
    """The citation key of a COW list's release and the (dataset, release) pair outputs name."""
    key = "cow-states" if listed.version == "2016" else f"cow-states-{listed.version}"
    return key, listed.version


def _spells(listed: states.CowList) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """COW membership spells, sorted: codes and the first and last days as members (``datetime64[D]``)."""
    rows = sorted(listed.days)
    ccode, first, last = zip(*rows, strict=True) if rows else ((), (), ())
    days = "datetime64[D]"
    return np.array(ccode, dtype=np.int32), np.array(first, dtype=days), np.array(last, dtype=days)


def _member_years(years: tuple[int, int], listed: states.CowList) -> pl.DataFrame:
    """Each state's years of membership: ``ccode, year``, sorted and unique."""
    ccode, first, last = _spells(listed)
    return (
        pl.DataFrame({"ccode": ccode, "first": first, "last": last})
        .select("ccode", year=pl.int_ranges(pl.col("first").dt.year(), pl.col("last").dt.year() + 1, dtype=pl.Int32))
        .explode("year")
        .filter(pl.col("year").is_between(*years))
        .unique(maintain_order=True)
    )


def create_state_years(years: tuple[int, int] | str | None = None, states_file: Path | None = None) -> Panel:
    """Every COW system member in every year (default: all the COW list's years): ``ccode, year``."""
    listed = _cow_list(states_file)
    years = _check_years(years, listed)
    frame = _member_years(years, listed).sort("ccode", "year")
    key, version = _cow_release(listed)
    return Panel(frame, "state-year", directed=False, years=years, sources=(key,), states_file=states_file,
                 releases=(("cow-states", version),))


def create_dyad_years(
    years: tuple[int, int] | str | None = None, directed: bool = True, states_file: Path | None = None
) -> Panel:
    """Every pair of states that were system members on a same day of a year: ``ccode1, ccode2, year``.

    Directed panels hold both (a, b) and (b, a); non-directed ones only ``ccode1 < ccode2``. Two
    membership spells share a day in exactly the years from the first to the last year of their
    intersection, so the panel is built from pairs of spells, not pairs of state-years.
    """
    listed = _cow_list(states_file)
    years = _check_years(years, listed)
    ccode, first, last = _spells(listed)
    first_year, last_year = (d.astype("datetime64[Y]").astype(np.int32) + 1970 for d in (first, last))
    # every pair of spells, by broadcasting: do they share a day, and in which years of the panel
    c1, c2 = np.broadcast_arrays(ccode[:, None], ccode[None, :])
    pair = c1 < c2 if not directed else c1 != c2
    lo = np.maximum(np.maximum.outer(first_year, first_year), years[0])
    hi = np.minimum(np.minimum.outer(last_year, last_year), years[1])
    keep = pair & (np.maximum.outer(first, first) <= np.minimum.outer(last, last)) & (lo <= hi)
    c1, c2, lo, hi = c1[keep], c2[keep], lo[keep], hi[keep]
    order = np.argsort((c1.astype(np.int64) << 32) | (c2.astype(np.int64) << 16) | lo, kind="stable")
    c1, c2, lo, counts = c1[order], c2[order], lo[order], (hi - lo + 1)[order]
    # one row per year of each spell pair: the pair's codes repeated, years counting up from its first
    year = np.ones(counts.sum(), dtype=np.int32)  # steps of one year, and a jump back at each new pair
    starts = np.cumsum(counts) - counts
    year[starts] = lo
    year[starts[1:]] -= (lo + counts - 1)[:-1]
    np.cumsum(year, out=year)
    frame = pl.DataFrame({"ccode1": np.repeat(c1, counts), "ccode2": np.repeat(c2, counts), "year": year})
    # a state that left and rejoined within one year would pair twice with the same state that year
    rejoined = (np.diff(ccode) == 0) & (first_year[1:] == last_year[:-1])
    frame = frame.unique(maintain_order=True) if rejoined.any() else frame
    key, version = _cow_release(listed)
    return Panel(frame, "dyad-year", directed=directed, years=years, sources=(key,), states_file=states_file,
                 releases=(("cow-states", version),))


def _extended(values: np.ndarray, fill: float) -> np.ndarray:
    """``values`` with ``fill`` appended, in their own type."""
    return np.concatenate([values, np.full(1, fill, dtype=values.dtype)])


def _join_dyads(frame: pl.DataFrame, values: pl.DataFrame, fill: float) -> pl.DataFrame:
    """Left-join per-dyad-year ``values`` (one row per dyad-year) onto ``frame``, keeping its rows and order.

    Rows without a value get ``fill``. The lookup is by dense slots (:mod:`foedus.dyad_slots`),
    so neither side is sorted or hashed.
    """
    slots = DyadSlots(*(values[c].to_numpy() for c in DYAD_KEY))
    rows = slots.of(*(frame[c].to_numpy() for c in DYAD_KEY))
    np.take(slots.table(np.arange(values.height), values.height), rows, out=rows, mode="clip")
    columns = [pl.Series(v.name, _extended(v.to_numpy(), fill).take(rows)) for v in values.drop(DYAD_KEY)]
    return frame.drop([c.name for c in columns], strict=False).hstack(columns)


def _join_flags(frame: pl.DataFrame, flags: pl.DataFrame, either: bool = False) -> pl.DataFrame:
    """Left-join per-dyad-year 0/1 ``flags`` onto ``frame`` as :func:`_join_dyads` does, 0 where none.

    With ``either``, a row takes a flag set in either direction: (ccode1, ccode2) or (ccode2,
    ccode1). The flags travel as the bits of one byte, so one gather (per direction) moves them
    all; the frame is looked up in chunks whose slots stay in the processor's cache.
    """
    names = [c for c in flags.columns if c not in DYAD_KEY]
    packed = np.zeros(flags.height, dtype=np.uint8)
    for bit, name in enumerate(names):
        packed |= flags[name].to_numpy().astype(np.uint8) << bit
    slots = DyadSlots(*(flags[c].to_numpy() for c in DYAD_KEY))
    table = slots.table(packed, 0)
    ccode1, ccode2, year = (frame[c].to_numpy() for c in DYAD_KEY)
    columns = [np.empty(frame.height, dtype=np.uint8) for _ in names]
    for start in range(0, frame.height, CHUNK):
        part = slice(start, start + CHUNK)
        got = table.take(slots.of(ccode1[part], ccode2[part], year[part]))
        if either:
            got |= table.take(slots.of(ccode2[part], ccode1[part], year[part]))
        for bit, column in enumerate(columns):
            np.bitwise_and(got, 1 << bit, out=column[part])
            np.right_shift(column[part], bit, out=column[part])
    series = [pl.Series(name, column.view(np.int8)) for name, column in zip(names, columns, strict=True)]
    return frame.drop(names, strict=False).hstack(series)


def atop_flags_file(version: str | None = None, path: Path | None = None) -> Path:
    """The file a release's dyad-year flags come from: ``path``, else the fetched or imported one."""
    version = chosen_atop_version(version)
    return _require(path, registry.get("atop").path(version, ATOP_RELEASES[version].role), "atop")


def atop_sources(version: str | None = None, path: Path | None = None) -> tuple[str, ...]:
    """What to cite for a release's flags: ATOP and its codebook, and peacesciencer when its packaging is read."""
    version = chosen_atop_version(version)
    packaged = version == "5.1" and "stateA" not in _header(atop_flags_file(version, path))
    return ATOP_RELEASES[version].sources + (("peacesciencer",) if packaged else ())


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        return [c.strip().strip('"') for c in fh.readline().strip().split(",")]


def read_atop_flags(version: str | None = None, path: Path | None = None) -> pl.DataFrame:
    """ATOP directed dyad-year obligation flags, one row per directed dyad-year sharing an alliance.

    ``ccode1, ccode2, year``, the five ``atop_*`` obligations (what ``ccode1`` owes ``ccode2``) and
    ``atop_alliance`` = 1 on every row: the pair shares an ATOP alliance that year (ATOP's
    ``atopally``), even where the row's own direction carries no obligation. Release 5.1 reads
    ATOP's directed dyad-year file (the publisher's ``atop5_1ddyr.csv``, or peacesciencer's
    packaging of it); 4.01 derives the flags from the member-level file. The release is the one
    named, else the store's. Either is parsed once per file content and then read back from its
    parsed copy (:mod:`foedus.parsed_cache`).
    """
    version = chosen_atop_version(version)
    path = atop_flags_file(version, path)
    parse = _derive_atop_flags if version == "4.01" else _parse_atop_flags
    frame = parsed_cache.parsed(path, f"atop-{version}-flags", parse)
    return frame.hstack([pl.Series("atop_alliance", np.ones(frame.height, dtype=np.int8))])


def _derive_atop_flags(path: Path) -> pl.DataFrame:
    """ATOP 4.01's directed dyad-year obligations, derived from its member-level file."""
    from .datasets import atop
    from .datasets.atop_dyads import FLAGS, directed_dyad_years

    flags = directed_dyad_years(atop.read(path).frame, through=ATOP_RELEASES["4.01"].coverage[1])
    obligations = (pl.col(f).cast(pl.Int8).alias(f"atop_{f}") for f in FLAGS)
    frame = flags.select(pl.col(DYAD_KEY).cast(pl.Int32), *obligations)
    return _checked_flags(frame, path)


def _parse_atop_flags(path: Path) -> pl.DataFrame:
    """The key and obligation columns of ATOP's directed dyad-year file: the publisher's layout
    (``stateA, stateB, year, defense``...) or peacesciencer's (``ccode1, ccode2, year, atop_defense``...)."""
    names = PUBLISHER_DDYR if "stateA" in _header(path) else {c: c for c in (*DYAD_KEY, *OBLIGATIONS)}
    schema = dict.fromkeys(DYAD_KEY, pl.Int32) | dict.fromkeys(OBLIGATIONS, pl.Int8)
    try:
        frame = pl.read_csv(path, columns=list(names), schema_overrides={k: schema[v] for k, v in names.items()})
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise DataError(f"{path}: not an ATOP dyad-year obligations file ({str(exc).splitlines()[0]})") from None
    return _checked_flags(frame.rename(names).select(list(schema)), path)


def check_dyad_year_file(path: Path) -> None:
    """Raise :class:`DataError` unless ``path`` is a readable ATOP directed dyad-year file."""
    _parse_atop_flags(path)


def _checked_flags(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    """``frame``, refused when a directed dyad-year appears twice, a code is negative, a year lies
    outside the alliance data's possible range (1815 to this year) or a flag is not 0/1."""
    first, last = states.EARLIEST.year, date.today().year
    years = frame["year"]
    if years.len() and not (first <= years.min() and years.max() <= last):
        bad = frame.filter(~years.is_between(first, last)).row(0, named=True)
        raise DataError(f"{path}: year {bad['year']} for ({bad['ccode1']}, {bad['ccode2']}) is outside {first}-{last}")
    try:
        DyadSlots(*(frame[c].to_numpy() for c in DYAD_KEY))
    except ValueError as exc:
        raise DataError(f"{path}: {exc} (ccode1, ccode2, year)") from None
    valid = frame.select(pl.col(OBLIGATIONS).fill_null(-1).is_in([0, 1]).all()).row(0, named=True)
    name = next((n for n in OBLIGATIONS if not valid[n]), None)
    if name is None:
        return frame
    row = frame.filter(~pl.col(name).fill_null(-1).is_in([0, 1])).row(0, named=True)
    value = "missing" if row[name] is None else f"{row[name]}, not 0 or 1"
    raise DataError(f"{path}: {name} is {value} for ({row['ccode1']}, {row['ccode2']}, {row['year']})")


def _either_direction(atop: pl.DataFrame) -> pl.DataFrame:
    """Symmetrize directed flags: a pair's flag is set when either state owes the other (both orders kept)."""
    swapped = atop.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).select(atop.columns)
    return pl.concat([atop, swapped]).group_by("ccode1", "ccode2", "year").agg(pl.col(ATOP_COLUMNS).max())


def _missing_outside(
    panel: Panel, frame: pl.DataFrame, columns: tuple[str, ...], coverage: tuple[int, int]
) -> pl.DataFrame:
    """``columns`` of ``panel``'s new ``frame`` made missing in the years the dataset does not cover."""
    if coverage[0] <= panel.years[0] and panel.years[1] <= coverage[1]:
        return frame
    inside = pl.col("year").is_between(*coverage)
    return frame.with_columns(pl.when(inside).then(pl.col(c)).alias(c) for c in columns)


def _need(panel: Panel, unit: Unit | None, verb: str) -> None:
    if not isinstance(panel, Panel):
        raise FoedusError(f"{verb}() takes a Panel: start with create_dyad_years() or create_state_years()")
    if unit is not None and panel.unit != unit:
        first = "create_dyad_years()" if unit == "dyad-year" else "create_state_years()"
        raise FoedusError(f"{verb}() needs a {unit} panel, got a {panel.unit} panel: run {first} first")


def add_atop_alliance(
    panel: Panel, atop_file: Path | None = None, version: str | None = None, coverage: tuple[int, int] | None = None
) -> Panel:
    """Add ATOP obligation flags (dyad-years) or counts of partners (state-years).

    Directed dyad-years take the flags of their own direction (``ccode1`` owes ``ccode2``);
    non-directed ones take either direction. State-years get ``atop_ndefense`` ...
    ``atop_nconsul`` and ``atop_nallies``: the number of system members the state shares such a
    tie with (either direction) on a same day of the year. Outside ``coverage`` (by default the
    release's years) values are missing.
    """
    _need(panel, None, "add_atop_alliance")
    version = chosen_atop_version(version)
    coverage = coverage or ATOP_RELEASES[version].coverage
    sources = atop_sources(version, atop_file)
    atop = read_atop_flags(version, atop_file)
    if panel.unit == "dyad-year":
        frame = _join_flags(panel.frame, atop, either=not panel.directed)
        return panel._with(_missing_outside(panel, frame, ATOP_COLUMNS, coverage), *sources, release=("atop", version))
    dyads = create_dyad_years(panel.years, directed=True, states_file=panel.states_file).frame
    counts = (
        _join_flags(dyads, atop, either=True)
        .group_by(ccode="ccode1", year="year")
        .agg(pl.col(c).cast(pl.Int32).sum().alias(n) for c, n in STATE_YEAR_COUNTS.items())
    )
    columns = tuple(STATE_YEAR_COUNTS.values())
    frame = panel.frame.drop(columns, strict=False).join(
        counts, on=["ccode", "year"], how="left", maintain_order="left"
    ).with_columns(pl.col(columns).fill_null(0).cast(pl.Int32))
    return panel._with(_missing_outside(panel, frame, columns, coverage), *sources, release=("atop", version))


def atop_tie_levels(atop: pl.DataFrame, ties: str) -> pl.DataFrame:
    """Each pair-year's tie (either direction) on the portfolio scale: ``ccode1, ccode2, year, tie``.

    Valued (0-3): 3 defence or offence, 2 neutrality or consultation, 1 non-aggression only,
    0 none (also a shared alliance with no obligation either way). Binary: 1 for any obligation.
    """
    if ties not in TIE_LEVELS:
        raise FoedusError(f"unknown ties {ties!r} (use {' or '.join(TIE_LEVELS)})")
    flags = _either_direction(atop)
    c = pl.col
    valued = (
        pl.when((c("atop_defense") == 1) | (c("atop_offense") == 1)).then(3)
        .when((c("atop_neutral") == 1) | (c("atop_consul") == 1)).then(2)
        .when(c("atop_nonagg") == 1).then(1)
        .otherwise(0)
    )
    tie = valued if ties == "valued" else (valued > 0).cast(pl.Int8)
    return flags.select("ccode1", "ccode2", "year", tie.cast(pl.Int8).alias("tie"))


def similarity_columns(measures: tuple[str, ...], ties: str, distance: str, weighted: bool) -> dict[str, str]:
    """Column name for each measure: ``{measure}_{ties}_{metric}`` (docs/panels.md), e.g. ``s_valued_abs``,
    ``sw_valued_sq`` (S weighted by capability), ``taub_valued_ord`` (tau-b compares ranks: no distance)."""
    dist = {"absolute": "abs", "squared": "sq"}.get(distance, distance)
    names = {"s": "sw" if weighted else "s", "kappa": "kappa", "pi": "pi", "tau-b": "taub"}
    return {m: f"{names.get(m, m)}_{ties}_{'ord' if m == 'tau-b' else dist}" for m in measures}


MEASURE_SOURCES = {
    "s": "signorino-ritter-1999", "tau-b": "bueno-de-mesquita-1975", "kappa": "hage-2011", "pi": "hage-2011"
}


def _weights(capabilities: pl.DataFrame | pd.DataFrame, column: str) -> pl.DataFrame:
    frame = capabilities if isinstance(capabilities, pl.DataFrame) else pl.from_pandas(capabilities)
    missing = [c for c in ("ccode", "year", column) if c not in frame.columns]
    if missing:
        raise FoedusError(f"capabilities lack column(s) {', '.join(missing)} (need ccode, year, {column})")
    frame = frame.select(pl.col("ccode", "year").cast(pl.Int32), pl.col(column).cast(pl.Float64).alias("weight"))
    if frame.select((pl.col("weight") < 0).any()).item():
        raise FoedusError(f"capabilities: negative values in column {column}")
    return frame.drop_nulls()


def add_similarity(
    panel: Panel,
    measures: tuple[str, ...] = ("s",),
    ties: str = "valued",
    distance: similarity.Distance = "absolute",
    capabilities: pl.DataFrame | pd.DataFrame | None = None,
    capability_column: str = "cinc",
    atop_file: Path | None = None,
    atop_version: str | None = None,
) -> Panel:
    """Add alliance-portfolio similarity of every dyad-year (see docs/panels.md for the definitions).

    A state's portfolio is its ATOP tie (either direction) with every system member of the
    year, itself included at the top of the scale. With ``capabilities`` (``ccode, year`` and
    ``capability_column``), S is weighted by them; a year where a member lacks a value gets no
    weighted S. Outside ATOP's coverage all measures are missing.
    """
    _need(panel, "dyad-year", "add_similarity")
    measures = tuple(dict.fromkeys(measures))
    similarity.validate(measures, distance)
    columns = similarity_columns(measures, ties, distance, capabilities is not None)
    levels = TIE_LEVELS.get(ties, 0)
    atop_version = chosen_atop_version(atop_version)
    release = ATOP_RELEASES[atop_version]
    tie_pairs = atop_tie_levels(read_atop_flags(atop_version, atop_file), ties)
    weights = _weights(capabilities, capability_column) if capabilities is not None else None
    members = create_state_years(panel.years, panel.states_file).frame.filter(
        pl.col("year").is_between(*release.coverage)
    )
    by_year = {k[0]: v for k, v in tie_pairs.partition_by("year", as_dict=True).items()}
    w_by_year = {k[0]: v for k, v in weights.partition_by("year", as_dict=True).items()} if weights is not None else {}
    parts = []
    for (year,), group in members.sort("year", "ccode").partition_by("year", as_dict=True).items():
        codes = group["ccode"].to_numpy()
        w = _weight_vector(codes, w_by_year.get(year)) if weights is not None else None
        parts.append(_year_similarity(year, codes, by_year.get(year), w, measures, columns, levels, distance))
    keys = {"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int32}
    scores = pl.DataFrame(
        {c: np.concatenate([p[c] for p in parts]) if parts else [] for c in (*keys, *columns.values())},
        schema=keys | dict.fromkeys(columns.values(), pl.Float64),
    )
    # undefined scores are nan, as are dyad-years without scores: both become missing
    frame = _join_dyads(panel.frame, scores, fill=np.nan).with_columns(pl.col(list(columns.values())).fill_nan(None))
    return panel._with(frame, *atop_sources(atop_version, atop_file), *(MEASURE_SOURCES[m] for m in measures),
                       release=("atop", atop_version))


def _weight_vector(codes: np.ndarray, year_weights: pl.DataFrame | None) -> np.ndarray:
    """Each member's capability weight (members sorted by code); ``nan`` where it has none."""
    w = np.full(len(codes), np.nan)
    if year_weights is not None:
        c, v = year_weights["ccode"].to_numpy(), year_weights["weight"].to_numpy()
        keep = np.isin(c, codes)
        w[np.searchsorted(codes, c[keep])] = v[keep]
    return w


def _year_similarity(
    year: int,
    codes: np.ndarray,
    pairs: pl.DataFrame | None,
    weights: np.ndarray | None,
    measures: tuple[str, ...],
    columns: dict[str, str],
    levels: int,
    distance: similarity.Distance,
) -> dict[str, np.ndarray]:
    """All ordered pairs of one year's members (sorted codes) with their similarity scores, as columns."""
    n = len(codes)
    tie = np.zeros((n, n), dtype=np.int8)
    if pairs is not None:
        a, b = pairs["ccode1"].to_numpy(), pairs["ccode2"].to_numpy()
        keep = np.isin(a, codes) & np.isin(b, codes)
        tie[np.searchsorted(codes, a[keep]), np.searchsorted(codes, b[keep])] = pairs["tie"].to_numpy()[keep]
    np.fill_diagonal(tie, levels - 1)
    complete = weights is None or not np.isnan(weights).any()
    scores = similarity.all_pairs(tie, measures, levels, distance, weights if complete else None)
    if not complete and "s" in scores:
        scores["s"] = np.full((n, n), np.nan)
    off = ~np.eye(n, dtype=bool)
    i, j = np.nonzero(off)
    frame = {"ccode1": codes[i].astype(np.int32), "ccode2": codes[j].astype(np.int32),
             "year": np.full(i.size, year, dtype=np.int32)}
    return frame | {columns[m]: scores[m][off] for m in measures}


def dyad_year_panel(
    years: tuple[int, int] | str | None = None,
    directed: bool = False,
    alliances: bool = True,
    measures: tuple[str, ...] = (),
    ties: str = "valued",
    distance: similarity.Distance = "absolute",
    capabilities: pl.DataFrame | None = None,
    capability_column: str = "cinc",
    states_file: Path | None = None,
    atop_file: Path | None = None,
    atop_version: str | None = None,
) -> Panel:
    """A dyad-year panel with ATOP flags (unless ``alliances`` is false) and the chosen similarity measures."""
    panel = create_dyad_years(years, directed, states_file)
    if alliances:
        panel = add_atop_alliance(panel, atop_file, atop_version)
    if measures:
        panel = add_similarity(panel, measures, ties, distance, capabilities, capability_column, atop_file,
                               atop_version)
    return panel


def state_year_panel(
    years: tuple[int, int] | str | None = None,
    alliances: bool = True,
    states_file: Path | None = None,
    atop_file: Path | None = None,
    atop_version: str | None = None,
) -> Panel:
    """A state-year panel with counts of ATOP partners (unless ``alliances`` is false)."""
    panel = create_state_years(years, states_file)
    return add_atop_alliance(panel, atop_file, atop_version) if alliances else panel


def read_capabilities(path: Path) -> pl.DataFrame:
    """A capabilities CSV (``ccode, year`` and a value column, e.g. COW NMC's ``cinc``)."""
    if not Path(path).is_file():
        raise FoedusError(f"capabilities file not found: {path}")
    try:
        return pl.read_csv(path, infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        raise FoedusError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
