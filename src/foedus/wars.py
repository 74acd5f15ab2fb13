"""Historical wars and disputes as cases: initial dyad, start date, sides and the states that joined later.

Wars come from the revised Interstate War Data (IWD; Reiter, Stam and Horowitz 2016), one row per
participant of each initial war and year. A *case* is one larger war: its start date is the earliest
entry date of its initial wars, its initial dyad is the initiator and target of the earliest initial
war (ties: the lowest initial-war id), and every other participant is a joiner. Sides come from the
opposing pairs taken in order of date (:func:`_sides`): side A holds the initial initiator; a state
takes the side opposite the state it first fights; a state that later switched (Russia in 1941,
Italy in 1943) keeps, for scoring, the side it entered on. The coding errors listed in
:data:`IWD_CORRECTIONS` are corrected on reading (docs/backtest.md).

Militarized disputes come from the GML MID participant file (Gibler, Miller and Little 2016): the
initial dyad is the earliest-starting originator of each side, every other participant a joiner on
the side the file gives it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import DataError

IWD_FILE = "iwd_interstate_war_revised_reiter_stam_horowitz.csv"
MID_FILE = "gml_mid_participants_2.2.1_peacesciencer.csv"


@dataclass(frozen=True)
class Correction:
    """One IWD coding error: in initial war ``war``, column ``column`` holds ``wrong`` where it means ``right``."""

    war: str
    column: str
    wrong: int
    right: int
    why: str


IWD_CORRECTIONS: tuple[Correction, ...] = (
    Correction("WW1Grc-Bulg", "init_ccode", 360, 350, "the initiator is named Greece (COW 350); 360 is Romania"),
    Correction(
        "WW1Jpn-Ger", "target_ccode", 365, 255, "the target is named Germany (COW 255); 365 is Russia, Japan's ally"
    ),
    Correction(
        "SevenWeeks_Meck_1866",
        "init_ccode",
        275,
        280,
        "the initiator is named Mecklenburg Schwerin (COW 280); 275 is Hesse Grand Ducal, which fought Prussia",
    ),
    Correction(
        "SevenWeeks_Prussia-HGD_1866",
        "target_ccode",
        280,
        275,
        "the target is named Hesse Grand Ducal (COW 275); 280 is Mecklenburg Schwerin, Prussia's ally",
    ),
)


@dataclass(frozen=True)
class Participant:
    """A state in a case: its COW number, its side (``A``: the initiator's, ``B``: the target's) and entry date."""

    ccode: int
    side: str
    entered: date


@dataclass(frozen=True)
class Case:
    """A war or dispute as the backtest sees it."""

    id: int
    name: str
    start: date
    initiator: int
    target: int
    participants: tuple[Participant, ...]

    @property
    def joiners(self) -> tuple[Participant, ...]:
        """Every participant but the initial dyad."""
        return tuple(p for p in self.participants if p.ccode not in (self.initiator, self.target))

    def side_of(self, ccode: int) -> str | None:
        """The side a state entered on, or None when it did not take part."""
        return next((p.side for p in self.participants if p.ccode == ccode), None)


def _int(row: dict, col: str, path: Path, line: int) -> int:
    try:
        return int(row[col])
    except (KeyError, TypeError, ValueError):
        raise DataError(f"{path}:{line}: {col}: not a whole number ({row.get(col)!r})") from None


def _day(y: int, m: int, d: int, path: Path, line: int) -> date:
    """A date; an unknown day or month (-9 or NA) is read as the first."""
    try:
        return date(y, m if 1 <= m <= 12 else 1, d if 1 <= d <= 31 else 1)
    except ValueError:
        raise DataError(f"{path}:{line}: not a date: {y}-{m}-{d}") from None


def _sides(initiator: int, target: int, pairs: list[tuple[date, int, int, int]]) -> dict[int, str]:
    """The side each state entered on, from opposing pairs (date, order, a, b) taken in order of date.

    A pair with one state of known side puts the other opposite it; a pair of two states of unknown
    side waits until one is known. A pair of two states on the same side means one switched: the
    later entrant of the two changes side (entry sides are kept).
    """
    first = {}
    for day, _, a, b in pairs:
        for s in (a, b):
            first.setdefault(s, day)
    now = {initiator: "A", target: "B"}
    entry = dict(now)
    other = {"A": "B", "B": "A"}
    waiting: list[tuple[date, int, int, int]] = []
    for pair in sorted(pairs):
        waiting.append(pair)
        progress = True
        while progress:
            progress = False
            for p in sorted(waiting):
                _, _, a, b = p
                if a not in now and b not in now:
                    continue
                waiting.remove(p)
                progress = True
                if a in now and b in now:
                    if now[a] == now[b]:
                        late = max((a, b), key=lambda s: (first[s], s))
                        now[late] = other[now[late]]
                else:
                    known, new = (a, b) if a in now else (b, a)
                    now[new] = entry[new] = other[now[known]]
                break
    return entry


def read_iwd(path: Path, corrections: tuple[Correction, ...] = IWD_CORRECTIONS) -> list[Case]:
    """The larger wars of the IWD file as cases, with ``corrections`` applied."""
    if not path.exists():
        raise DataError(f"{path}: IWD file not found")
    fix = {(c.war, c.column, c.wrong): c.right for c in corrections}
    wars: dict[int, dict] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            lw = _int(row, "larger_war_id", path, line)
            iw = _int(row, "init_war_id", path, line)
            name = row["init_war_name"]
            codes = {}
            for col in ("init_ccode", "target_ccode"):
                v = _int(row, col, path, line)
                codes[col] = fix.get((name, col, v), v)
            year = _int(row, "year", path, line)
            m, d = _int(row, "month_entry", path, line), _int(row, "day_entry", path, line)
            entered = _day(year, m, d, path, line)
            w = wars.setdefault(lw, {"name": row["larger_war_name"], "wars": {}})
            prev = w["wars"].get(iw)
            if prev is None or entered < prev[0]:
                w["wars"][iw] = (entered, codes["init_ccode"], codes["target_ccode"])
    cases = []
    for lw, w in sorted(wars.items()):
        sub = sorted((entered, iw, a, b) for iw, (entered, a, b) in w["wars"].items())
        start, _, initiator, target = sub[0]
        side = _sides(initiator, target, sub)
        entered: dict[int, date] = {}
        for day, _, a, b in sub:
            for s in (a, b):
                entered[s] = min(entered.get(s, day), day)
        parts = tuple(Participant(s, side[s], entered[s]) for s in sorted(side, key=lambda s: (entered[s], s)))
        cases.append(Case(lw, w["name"], start, initiator, target, parts))
    return cases


def read_mids(path: Path) -> list[Case]:
    """The disputes of the GML MID participant file with two sides, as cases."""
    if not path.exists():
        raise DataError(f"{path}: GML MID participant file not found")
    by_dispute: dict[int, list[tuple[date, int, int, str]]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            day = _day(
                _int(row, "styear", path, line),
                _int(row, "stmon", path, line),
                _int(row, "stday", path, line),
                path,
                line,
            )
            orig = _int(row, "orig", path, line)
            side = "A" if _int(row, "sidea", path, line) == 1 else "B"
            by_dispute.setdefault(_int(row, "dispnum", path, line), []).append(
                (day, 0 if orig == 1 else 1, _int(row, "ccode", path, line), side)
            )
    cases = []
    for num, rows in sorted(by_dispute.items()):
        first: dict[str, tuple[date, int, int]] = {}
        entered: dict[int, tuple[date, str]] = {}
        for day, orig, ccode, side in sorted(rows):
            first.setdefault(side, (day, orig, ccode))
            entered.setdefault(ccode, (day, side))
        if set(first) != {"A", "B"}:
            continue
        start = min(first["A"][0], first["B"][0])
        parts = tuple(Participant(c, s, d) for c, (d, s) in sorted(entered.items(), key=lambda kv: (kv[1][0], kv[0])))
        cases.append(Case(num, f"MID {num}", start, first["A"][2], first["B"][2], parts))
    return cases
