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
import hashlib
import importlib.util
import pickle
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .config import data_dir
from .errors import AmbiguousStateError, DataError, StateNotInSystemError, UnknownStateError

if TYPE_CHECKING:
    from .model import Interval, State

# The model (pydantic) and the entities (YAML) are imported on use: reading a COW list for a
# panel needs neither, and they add a tenth of a second to a panel command's start.

SYSTEM_START = date(1816, 1, 1)
EARLIEST = date(1815, 1, 1)  # ATOP's coverage starts a year before the COW state system
COW_STATES_FILE = "statelist.csv"  # the installed list, whichever release it is
LEGACY_COW_STATES_FILE = "states2016.csv"
COW_COVERAGE_END = date(2016, 12, 31)  # v2016's last day: the coverage assumed when no list is installed
COW_COLUMNS = ("ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday")

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
    "german federal republic": 260,
    "papal states": 327,
    "soviet union": 365,
    "ussr": 365,
}

# One state under an ISO3 code and a COW number that countrycode keeps apart: Serbia (ISO SRB) is
# COW 345, the state COW calls Yugoslavia (Serbia 1878-1941, Yugoslavia 1944-2006, Serbia since).
ISO_OF_COW: dict[int, str] = {345: "SRB"}

# ISO3 codes countrycode gives a COW number that is another state: the Holy See (VAT) is not
# the Papal States (COW 327, 1816-1870), and is no COW system member.
NOT_COW: dict[str, str] = {"VAT": "Holy See"}

# Names that fit several states: refused, with the candidates (COW numbers) listed.
AMBIGUOUS: dict[str, tuple[int, ...]] = {
    "korea": (732, 731, 730),
    "congo": (484, 490),
    "the congo": (484, 490),
}

# COW members that countrycode's code list lacks: number -> (abbreviation, name).
MISSING_FROM_COUNTRYCODE: dict[int, tuple[str, str]] = {
    260: ("GFR", "German Federal Republic"),
    730: ("KOR", "Korea"),
}


# the columns of countrycode's code list that foedus reads (the list has over 600)
CODELIST_COLUMNS = ("iso3c", "cowc", "cown", "country.name.en", "cow.name", "country.name.en.regex", "continent")


@cache
def _codelist() -> dict[str, list]:
    """The :data:`CODELIST_COLUMNS` of countrycode's code list, read from its package data.

    Read directly rather than through ``countrycode.countrycode``, which imports pandas and
    polars and would add seconds to every command's start-up. Those columns are kept in a sealed
    copy named by the sha256 of the list's bytes (see :mod:`foedus.disk_cache`): reading it takes
    a fraction of unpickling the whole list, which a changed or reinstalled list is again.
    """
    from . import disk_cache

    spec = importlib.util.find_spec("countrycode")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("the countrycode package is not installed")
    blob = (Path(next(iter(spec.submodule_search_locations))) / "data" / "codelist.pickle").read_bytes()
    digest = hashlib.sha256(hashlib.sha256(blob).digest() + repr(CODELIST_COLUMNS).encode()).hexdigest()
    copy = disk_cache.cache_dir() / f"codelist-{digest}.pickle"
    payload = disk_cache.read(copy)
    if payload is not None:
        return pickle.loads(payload)
    full = pickle.loads(blob)
    columns = {c: full[c] for c in CODELIST_COLUMNS}
    try:
        disk_cache.write(copy, pickle.dumps(columns, protocol=pickle.HIGHEST_PROTOCOL), keep=2)
    except OSError:  # a read-only data directory: work without the copy
        pass
    return columns


@cache
def _name_patterns() -> list[tuple[re.Pattern, int | None, str | None]]:
    """countrycode's English name patterns with the COW number and ISO3 of each row."""
    d = _codelist()
    return [
        (re.compile(rx, flags=re.IGNORECASE), int(cown) if cown is not None and iso not in NOT_COW else None, iso)
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
        if iso in NOT_COW:
            names.setdefault(NOT_COW[iso].lower(), iso)
            iso = None  # the COW row keeps its own id (PAP); the ISO code resolves alone
        if cown is not None:
            cown = int(cown)
            iso = iso or ISO_OF_COW.get(cown)
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
    if iso in NOT_COW:
        return NOT_COW[iso]
    d = _codelist()
    return next((n for code, n in zip(d["iso3c"], d["country.name.en"], strict=True) if code == iso and n), iso)


def cow_id(cown: int) -> str:
    """The id of the state with COW number ``cown`` (what ``resolve(cown).id`` gives, without its record)."""
    by_cow, iso_to_cow = _tables()[:2]
    if cown not in by_cow:
        raise UnknownStateError(f"unknown COW state number: {cown}")
    iso, cowc, _ = by_cow[cown]
    # a COW abbreviation that is another state's ISO3 code (Korea, 730, "KOR") gets its number
    return iso or (cowc if iso_to_cow.get(cowc, cown) == cown else f"{cowc}{cown}")


def _from_cow(cown: int) -> State:
    sid = cow_id(cown)
    _, cowc, name = _tables()[0][cown]
    from .model import State

    return State(id=sid, cow=cown, cowc=cowc, name=name, membership=system().get(cown, ()))


def _from_iso(iso: str) -> State:
    cown = _tables()[1].get(iso)
    if cown is not None:
        s = _from_cow(cown)
        return s.model_copy(update={"id": iso}) if s.id != iso else s
    from .model import State

    return State(id=iso, name=_name_of_iso(iso))


def resolve(query: str | int) -> State:
    """Resolve a name or code to a :class:`State`, or raise with close matches suggested."""
    by_cow, _, cowc_to_cow, names = _tables()
    text = str(query).strip()
    if not text:
        raise UnknownStateError("empty state name")
    if text.isdecimal() and len(text) > 4:  # COW numbers have at most three digits; int() refuses 4301
        raise UnknownStateError(f"unknown COW state number: {text[:8]}... ({len(text)} digits)")
    from . import entities

    entity = entities.lookup(text)  # a treaty party outside the state system (data/entities.yaml)
    if entity is not None:
        return entity
    if text.isdecimal():  # int() reads these; isdigit() also admits "²", which it cannot
        return _from_cow(int(text))
    if len(text) > 3 and text[:3].isalpha() and text[3:].isdecimal():  # an id such as "CZE315" or "KOR730"
        st = _from_cow(int(text[3:]))
        if st.id == text.upper():
            return st
    up = text.upper()
    if len(text) == 3 and up in _iso_set():
        return _from_iso(up)
    if len(text) == 3 and up in cowc_to_cow:
        return _from_cow(cowc_to_cow[up])
    low = text.lower()
    if low in AMBIGUOUS:
        options = "; ".join(f"{s.name} ({s.id}, COW {s.cow})" for s in map(_from_cow, AMBIGUOUS[low]))
        raise AmbiguousStateError(f"{text!r} is ambiguous: name one of {options}")
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


# Names a state bore before the one it has today, by COW number: (first day of the next name, name).
# One COW number, one state: the name changes, the identity does not.
HISTORICAL_NAMES: dict[int, tuple[tuple[date, str], ...]] = {
    365: ((date(1922, 12, 30), "Russia"), (date(1991, 12, 26), "Soviet Union")),
    345: ((date(1918, 12, 1), "Serbia"), (date(2003, 2, 4), "Yugoslavia"),
          (date(2006, 6, 5), "Serbia and Montenegro")),
    255: ((date(1871, 1, 18), "Prussia"),),
    490: ((date(1971, 10, 27), "Congo (Kinshasa)"), (date(1997, 5, 17), "Zaire")),
    775: ((date(1989, 6, 18), "Burma"),),
    780: ((date(1972, 5, 22), "Ceylon"),),
    816: ((date(1976, 7, 2), "North Vietnam"),),
}
CURRENT_NAMES: dict[int, str] = {345: "Serbia"}


@lru_cache(maxsize=8192)
def _named(sid: str) -> tuple[int | None, str] | None:
    """The COW number and name ``sid`` resolves to, or None for an unknown code (the engine asks this
    tens of thousands of times per cascade index; the code tables it reads never change in a process)."""
    try:
        st = resolve(sid)
    except UnknownStateError:
        return None
    return st.cow, st.name


def name(sid: str, on: date | None = None) -> str:
    """A display name for a state id, as the state was called on ``on`` (today's name without it);
    the id itself when it is not a known code."""
    named = _named(sid)
    if named is None:
        return sid
    cow, current = named
    if cow is None:
        return current
    if on is not None:
        for until, old in HISTORICAL_NAMES.get(cow, ()):
            if on < until:
                return old
    return CURRENT_NAMES.get(cow, current)


@dataclass(frozen=True)
class CowList:
    """A COW state-system list: its release, its last day, its rows and the membership spells by COW number."""

    version: str
    last_day: date
    rows: int
    days: tuple[tuple[int, date, date], ...]  # each row's COW number and first and last days as a member

    def members(self, day: date) -> set[int]:
        """COW numbers of the system members on ``day``, a day the list covers (as :attr:`spells` say)."""
        return {cown for cown, start, last in self.days if start <= day <= last}

    @cached_property
    def spells(self) -> dict[int, tuple[Interval, ...]]:
        """Membership spells by COW number, sorted; spells open on the list's last day stay open."""
        from .model import Interval

        spells: dict[int, list[Interval]] = {}
        for cown, start, last in self.days:
            end = None if last >= self.last_day else last + timedelta(days=1)
            spells.setdefault(cown, []).append(Interval(start=start, end=end))
        return {k: tuple(sorted(v, key=lambda i: i.start)) for k, v in spells.items()}


def installed_cow_states_path() -> Path:
    """Where the COW state list in use is installed by ``foedus data fetch|import cow-states``."""
    return data_dir() / "cow-states" / COW_STATES_FILE


def cow_states_path() -> Path:
    """The COW state list in use: the installed one, else the ``states2016.csv`` an earlier foedus fetched."""
    installed = installed_cow_states_path()
    legacy = installed.with_name(LEGACY_COW_STATES_FILE)
    return legacy if not installed.exists() and legacy.exists() else installed


@cache
def installed() -> CowList | None:
    """The COW state list in use, or None when none is installed (``foedus data fetch cow-states``)."""
    path = cow_states_path()
    return read_cow_list(path) if path.exists() else None


def system() -> dict[int, tuple[Interval, ...]]:
    """COW system membership spells by COW number, from the installed list (empty when none is).

    Spells still open on the list's last day (2016-12-31 in v2016, 2024-12-31 in v2024) are open-ended.
    """
    listed = installed()
    return listed.spells if listed else {}


system.cache_clear = installed.cache_clear  # type: ignore[attr-defined]  # callers clear the list in use


def coverage_end() -> date:
    """The last day the installed COW list covers (2016-12-31 when none is installed)."""
    listed = installed()
    return listed.last_day if listed else COW_COVERAGE_END


def read_cow_states(path: Path) -> dict[int, tuple[Interval, ...]]:
    """Parse a COW state list (``states2016.csv``, ``statelist2024.csv``) into membership spells."""
    return read_cow_list(path).spells


def read_cow_list(path: Path) -> CowList:
    """Parse and check a COW state list: spells open on its last day stay open; its release is its
    ``version`` column (else the year in its name)."""
    rows: list[tuple[int, date, date]] = []
    versions: set[str] = set()
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COW_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise DataError(f"{path}: not a COW state list (no column {', '.join(missing)})")
            for lineno, row in enumerate(reader, start=2):
                try:
                    start = date(int(row["styear"]), int(row["stmonth"]), int(row["stday"]))
                    last = date(int(row["endyear"]), int(row["endmonth"]), int(row["endday"]))
                    cown = int(row["ccode"])
                except (KeyError, TypeError, ValueError) as exc:
                    raise DataError(f"{path}:{lineno}: bad state-system row ({exc})") from None
                if last < start or start < SYSTEM_START or cown <= 0:
                    raise DataError(f"{path}:{lineno}: bad state-system row (COW {cown}, {start} to {last})")
                rows.append((cown, start, last))
                if row.get("version"):
                    versions.add(row["version"].strip())
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the COW state list ({exc})") from None
    if not rows:
        raise DataError(f"{path}: the COW state list has no rows")
    if len(versions) > 1:
        raise DataError(f"{path}: column version: several releases in one file ({', '.join(sorted(versions))})")
    named = re.search(r"(\d{4})", path.name)
    version = versions.pop() if versions else named.group(1) if named else "unknown"
    return CowList(version, max(r[2] for r in rows), len(rows), tuple(rows))


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
            f"{state.name} ({state.id}, COW {state.cow}) was not a state-system member on {day} "
            f"(member {spells})"
        )
