"""States: name and code resolution (via ``countrycode``) and COW system membership.

Any input accepts a name ("North Korea", "DPRK"), an ISO 3166 alpha-3 code ("PRK"), a
COW number (731 or "731") or a COW abbreviation ("PRK", "GFR"). Where an ISO3 code and a
COW abbreviation collide ("AUS" is Australia in ISO, Austria in COW) the ISO3 reading
wins; use the COW number to mean the other. State ids are ISO3, or the COW abbreviation
where no ISO3 code exists (historical states such as "GFR" or "BAV"); where that
abbreviation is another state's ISO3 code, the COW number is appended ("KOR730", the
Korea of 1887–1905).
"""

from __future__ import annotations

import csv
import difflib
import importlib.util
import pickle
import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from .config import data_dir
from .errors import DataError, StateNotInSystemError, UnknownStateError
from .model import Interval, State

SYSTEM_START = date(1816, 1, 1)
EARLIEST = date(1815, 1, 1)  # ATOP's coverage starts a year before the COW state system
COW_STATES_FILE = "states2016.csv"
COW_COVERAGE_END = date(2016, 12, 31)

# Names common in alliance writing that countrycode's patterns do not catch.
ALIASES: dict[str, int] = {
    "rok": 732,
    "prc": 710,
    "ottoman empire": 640,
    "prussia": 255,
    "west germany": 260,
    "federal republic of germany": 260,
    "east germany": 265,
    "german democratic republic": 265,
    "gdr": 265,
    "frg": 260,
}

# COW members that countrycode's code list lacks: number -> (abbreviation, name).
MISSING_FROM_COUNTRYCODE: dict[int, tuple[str, str]] = {
    260: ("GFR", "German Federal Republic"),
    730: ("KOR", "Korea"),
}


@cache
def _codelist() -> dict[str, list]:
    """countrycode's code list, read from its package data.

    Read directly rather than through ``countrycode.countrycode``, which imports pandas and
    polars and would add seconds to every command's start-up.
    """
    spec = importlib.util.find_spec("countrycode")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("the countrycode package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "codelist.pickle"
    with path.open("rb") as fh:
        return pickle.load(fh)


@cache
def _name_patterns() -> list[tuple[re.Pattern, int | None, str | None]]:
    """countrycode's English name patterns with the COW number and ISO3 of each row."""
    d = _codelist()
    return [
        (re.compile(rx, flags=re.IGNORECASE), int(cown) if cown is not None else None, iso)
        for rx, cown, iso in zip(d["country.name.en.regex"], d["cown"], d["iso3c"], strict=True)
        if rx is not None and (cown is not None or iso)
    ]


def _match_name(text: str) -> tuple[int | None, str | None] | None:
    """The (COW number, ISO3) of the first countrycode row whose name pattern matches."""
    for rx, cown, iso in _name_patterns():
        if rx.search(text):
            return cown, iso
    return None


def continent(sid: str) -> str | None:
    """The continent countrycode gives a state id (ISO3 or COW abbreviation), if any."""
    d = _codelist()
    for col in ("iso3c", "cowc"):
        for code, cont in zip(d[col], d["continent"], strict=True):
            if code == sid and cont:
                return cont
    return None


@cache
def _tables() -> tuple[dict[int, tuple[str | None, str, str]], dict[str, int], dict[str, int], dict[str, str]]:
    """COW number -> (iso3, cowc, name); iso3 -> COW; cowc -> COW; lowercase name -> id."""
    d = _codelist()
    by_cow: dict[int, tuple[str | None, str, str]] = {}
    iso_to_cow: dict[str, int] = {}
    cowc_to_cow: dict[str, int] = {}
    names: dict[str, str] = {}
    for iso, cowc, cown, name, cow_name in zip(
        d["iso3c"], d["cowc"], d["cown"], d["country.name.en"], d["cow.name"], strict=True
    ):
        if cown is not None:
            cown = int(cown)
            by_cow.setdefault(cown, (iso, cowc, cow_name or name))
            if iso:
                iso_to_cow.setdefault(iso, cown)
            if cowc:
                cowc_to_cow.setdefault(cowc, cown)
        sid = iso or cowc
        if sid:
            for n in (name, cow_name):
                if n:
                    names.setdefault(n.lower(), sid)
    isos = set(iso_to_cow)
    for cown, (cowc, name) in MISSING_FROM_COUNTRYCODE.items():
        by_cow.setdefault(cown, (None, cowc, name))
        if cowc not in isos:
            cowc_to_cow.setdefault(cowc, cown)
    return by_cow, iso_to_cow, cowc_to_cow, names


@cache
def _iso_set() -> frozenset[str]:
    return frozenset(x for x in _codelist()["iso3c"] if x)


def _name_of_iso(iso: str) -> str:
    d = _codelist()
    return next((n for code, n in zip(d["iso3c"], d["country.name.en"], strict=True) if code == iso and n), iso)


def _from_cow(cown: int) -> State:
    by_cow = _tables()[0]
    if cown not in by_cow:
        raise UnknownStateError(f"unknown COW state number: {cown}")
    iso, cowc, name = by_cow[cown]
    # a COW abbreviation that is another state's ISO3 code (Korea, 730, "KOR") gets its number
    sid = iso or (cowc if _tables()[1].get(cowc, cown) == cown else f"{cowc}{cown}")
    return State(id=sid, cow=cown, cowc=cowc, name=name, membership=system().get(cown, ()))


def _from_iso(iso: str) -> State:
    cown = _tables()[1].get(iso)
    if cown is not None:
        s = _from_cow(cown)
        return s.model_copy(update={"id": iso}) if s.id != iso else s
    return State(id=iso, name=_name_of_iso(iso))


def resolve(query: str | int) -> State:
    """Resolve a name or code to a :class:`State`, or raise with close matches suggested."""
    by_cow, _, cowc_to_cow, names = _tables()
    text = str(query).strip()
    if not text:
        raise UnknownStateError("empty state name")
    if text.isdecimal():  # int() reads these; isdigit() also admits "²", which it cannot
        return _from_cow(int(text))
    if len(text) > 3 and text[:3].isalpha() and text[3:].isdigit():  # an id such as "CZE315" or "KOR730"
        st = _from_cow(int(text[3:]))
        if st.id == text.upper():
            return st
    up = text.upper()
    if len(text) == 3 and up in _iso_set():
        return _from_iso(up)
    if len(text) == 3 and up in cowc_to_cow:
        return _from_cow(cowc_to_cow[up])
    low = text.lower()
    if low in ALIASES:
        return _from_cow(ALIASES[low])
    match = _match_name(text)
    if match is not None:
        cown, iso = match
        return _from_cow(cown) if cown is not None else _from_iso(iso)
    close = difflib.get_close_matches(low, list(names) + list(ALIASES), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c.title()) for c in close)}?" if close else ""
    raise UnknownStateError(f"unknown state: {text!r}{hint}")


def state_id(query: str | int) -> str:
    """The canonical id of a state (ISO3, else COW abbreviation)."""
    return resolve(query).id


def name(sid: str) -> str:
    """A display name for a state id; the id itself when it is not a known code."""
    try:
        return resolve(sid).name
    except UnknownStateError:
        return sid


def cow_states_path() -> Path:
    """Where the COW state system file is kept once fetched."""
    return data_dir() / "cow-states" / COW_STATES_FILE


@cache
def system() -> dict[int, tuple[Interval, ...]]:
    """COW system membership spells by COW number, from the fetched state-system file.

    Empty when the file has not been fetched (``foedus data fetch cow-states``); spells
    still open at the end of the list's coverage (2016-12-31) are open-ended.
    """
    path = cow_states_path()
    return read_cow_states(path) if path.exists() else {}


def read_cow_states(path: Path) -> dict[int, tuple[Interval, ...]]:
    """Parse a COW ``states2016.csv`` into membership spells (half-open intervals)."""
    spells: dict[int, list[Interval]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            try:
                start = date(int(row["styear"]), int(row["stmonth"]), int(row["stday"]))
                last = date(int(row["endyear"]), int(row["endmonth"]), int(row["endday"]))
                cown = int(row["ccode"])
            except (KeyError, TypeError, ValueError) as exc:
                raise DataError(f"{path}:{lineno}: bad state-system row ({exc})") from None
            end = None if last >= COW_COVERAGE_END else last + timedelta(days=1)
            spells.setdefault(cown, []).append(Interval(start=start, end=end))
    return {k: tuple(sorted(v, key=lambda i: i.start)) for k, v in spells.items()}


def check_in_system(state: State, day: date) -> None:
    """Raise when ``day`` is outside the state system or the state was not a member then."""
    if day < EARLIEST:
        raise StateNotInSystemError(
            f"{day} is before the state system begins ({SYSTEM_START}) and before the alliance data begin ({EARLIEST})"
        )
    if not state.membership or day < SYSTEM_START:
        return  # membership unknown: no COW code, the state list not fetched, or 1815 (before the list)
    if not any(i.contains(day) for i in state.membership):
        spells = ", ".join(f"{i.start}–{i.end or ''}" for i in state.membership)
        raise StateNotInSystemError(
            f"{state.name} ({state.id}, COW {state.cow}) was not a state-system member on {day} (member {spells})"
        )
