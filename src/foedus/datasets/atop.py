"""ATOP: reading the alliance- and member-level files (4.01 and 5.1 layouts) and mapping them
onto :class:`~foedus.model.Treaty` and :class:`~foedus.model.Obligation`.

Conventions (see docs/atop.md):

- One member-level row is one member in one phase of one alliance; its obligation flags
  are what that member owes the other members in that phase, so asymmetric alliances
  (France guaranteeing Belgium in 1832, not the reverse) come out directed.
- Entry and exit dates are days in force: a phase runs ``[entry, exit + 1 day)``; an exit
  year of 0 means still in force at the end of the data. An unknown day (missing) takes
  the month whole: entry on its first day, exit on its last.
- Conditions follow the codebook's per-member flags: specific adversary (the states named
  in STATTHR1/2), location, specific conflict, number of attackers, demands,
  non-provocation; neutrality only if the partner is attacked (NEUCOATT); consultation on
  request (CONCOREQ).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from .. import states
from ..errors import DataError, UnknownStateError
from ..model import Condition, ConditionKind, Kind, Means, Membership, Obligation, Source, Timing, Treaty, Trigger
from ..model import Interval as Span
from .registry import ATOP_CITATION

KINDS: dict[str, Kind] = {
    "defense": Kind.DEFENSE,
    "offense": Kind.OFFENSE,
    "neutral": Kind.NEUTRALITY,
    "nonagg": Kind.NONAGGRESSION,
    "consul": Kind.CONSULTATION,
}

# Per-member condition flags for each obligation: column -> (condition kind, what it means).
CONDITIONS: dict[str, tuple[tuple[str, ConditionKind, str], ...]] = {
    "defense": (
        ("defcoadv", ConditionKind.SPECIFIC_ADVERSARY, "defence only against a specific adversary"),
        (
            "defcoloc",
            ConditionKind.LOCATION,
            "defence only if the attack is in a given location, which ATOP does not name",
        ),
        ("defcocon", ConditionKind.SPECIFIC_CONFLICT, "defence only in a specific conflict named in the treaty"),
        ("defconum", ConditionKind.NUMBER_OF_ATTACKERS, "defence only against a given number of attackers"),
        ("defcodem", ConditionKind.DEMANDS, "defence only if the attacked party complied with demands"),
        ("defconpr", ConditionKind.NON_PROVOCATION, "defence only if the attacked party did not provoke the attack"),
    ),
    "offense": (
        ("offcoadv", ConditionKind.SPECIFIC_ADVERSARY, "offence only against a specific adversary"),
        ("offcoloc", ConditionKind.LOCATION, "offence only in a given location, which ATOP does not name"),
        ("offcocon", ConditionKind.SPECIFIC_CONFLICT, "offence only in a specific conflict named in the treaty"),
        ("offconum", ConditionKind.NUMBER_OF_ATTACKERS, "offence only against a given number of adversaries"),
        ("offcodem", ConditionKind.DEMANDS, "offence only if the adversary refuses demands"),
    ),
    "neutral": (
        ("neucoadv", ConditionKind.SPECIFIC_ADVERSARY, "neutrality only against a specific adversary"),
        (
            "neucoloc",
            ConditionKind.LOCATION,
            "neutrality only if the war is in a given location, which ATOP does not name",
        ),
        ("neucocon", ConditionKind.SPECIFIC_CONFLICT, "neutrality only in a specific conflict named in the treaty"),
        ("neuconum", ConditionKind.NUMBER_OF_ATTACKERS, "neutrality only against a given number of adversaries"),
        ("neucodem", ConditionKind.DEMANDS, "neutrality only if the partner complied with demands"),
        ("neuconpr", ConditionKind.NON_PROVOCATION, "neutrality only if the partner did not provoke the war"),
    ),
    "nonagg": (),
    "consul": (
        ("concoadv", ConditionKind.SPECIFIC_ADVERSARY, "consultation only about a specific adversary"),
        ("concoloc", ConditionKind.LOCATION, "consultation only about a given location, which ATOP does not name"),
        ("concocon", ConditionKind.SPECIFIC_CONFLICT, "consultation only in a specific conflict named in the treaty"),
        ("concoreq", ConditionKind.REQUEST, "consultation at the request of a party"),
    ),
}

TRIGGERS = {
    "defense": Trigger.ARMED_ATTACK,
    "offense": Trigger.UNKNOWN,
    "nonagg": Trigger.ARMED_ATTACK,
    "consul": Trigger.THREAT,
}

FLAGS = [c for c in KINDS] + [col for conds in CONDITIONS.values() for col, _, _ in conds] + ["neucoatt", "asymm"]
MEMBER_REQUIRED = ["atopid", "member", "yrent", "moent", "yrexit", "moexit", "phase", *FLAGS]
MEMBER_NULLABLE = ["dayent", "dayexit", "statthr1", "statthr2", "specthrt"]
ALLIANCE_REQUIRED = ["atopid", "begyr", "begmo", "endyr", "endmo", *KINDS]
ALLIANCE_NULLABLE = ["begday", "endday", "statthr1", "statthr2"]
LEVELS = {"member": (MEMBER_REQUIRED, MEMBER_NULLABLE), "alliance": (ALLIANCE_REQUIRED, ALLIANCE_NULLABLE)}
_VERSION_IN_NAME = re.compile(r"atop[_-]?v?(\d+)[._](\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class AtopFile:
    """One parsed ATOP file: which level, which version, and its rows."""

    path: Path
    level: str  # "alliance" or "member"
    version: str
    frame: pl.DataFrame


def _level(columns: list[str], path: Path) -> str:
    if "member" in columns and "atopid" in columns:
        return "member"
    if "mem1" in columns and "atopid" in columns:
        return "alliance"
    raise DataError(f"{path}: not an ATOP alliance- or member-level file (no atopid with member or mem1 columns)")


def _version(frame: pl.DataFrame, path: Path) -> str:
    """The ATOP version: the file's ``version`` column, else the one in its name."""
    if "version" in frame.columns:
        values = sorted({_release(v) for v in frame["version"].drop_nulls().to_list()})
        if len(values) == 1:
            return values[0]
        if values:
            raise DataError(f"{path}: column version: several versions in one file ({', '.join(map(str, values))})")
    found = _VERSION_IN_NAME.search(path.name)
    if found:
        return f"{int(found.group(1))}.{found.group(2)}"
    raise DataError(f"{path}: cannot tell the ATOP version (no version column, and none in the file name)")


def _release(value: str) -> str:
    """A version as written in a file, without float noise ("4.0100002" -> "4.01")."""
    try:
        return f"{round(float(value), 2):g}"
    except ValueError:
        return value.strip()


def _whole(name: str) -> pl.Expr:
    """A text column of whole numbers (written ``3`` or ``3.0``) as Int64; anything else null."""
    values = pl.col(name).str.strip_chars().cast(pl.Float64, strict=False)
    return pl.when(values == values.floor()).then(values).cast(pl.Int64).alias(name)


def _blank(name: str) -> pl.Expr:
    return pl.col(name).is_null() | (pl.col(name).str.strip_chars() == "")


def _first(mask: pl.Expr, name: str) -> pl.Expr:
    """The first row index where ``mask`` holds (null when none), as column ``name``."""
    return mask.arg_true().first().alias(name)


def _check_last_line(path: Path, width: int, line: int) -> None:
    """A file cut short ends in a partial row: the last line must have every field."""
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - (1 << 16)))
        tail = fh.read().decode("utf-8", errors="replace").rstrip("\r\n").rsplit("\n", 1)[-1]
    fields = next(csv.reader([tail]), [])
    if line > 1 and len(fields) != width:
        raise DataError(f"{path}:{line}: the last row has {len(fields)} of {width} fields (is the file truncated?)")


def read(path: Path) -> AtopFile:
    """Read and check one ATOP CSV; raise :class:`DataError` naming file, line and column."""
    try:
        raw = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise DataError(f"{path}: cannot read as CSV ({str(exc).splitlines()[0]})") from None
    _check_last_line(path, len(raw.columns), raw.height + 1)
    level = _level(raw.columns, path)
    required, nullable = LEVELS[level]
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise DataError(f"{path}: {level}-level file lacks column(s) {', '.join(missing)}")
    version = _version(raw, path)
    cast = raw.select(_whole(c) for c in raw.columns)
    checked = [c for c in raw.columns if c in required or c in nullable]
    both = pl.concat([raw, cast.select(pl.all().name.suffix("__n"))], how="horizontal")
    first_bad = both.select(
        _first(~_blank(c) & pl.col(f"{c}__n").is_null() | (_blank(c) if c not in nullable else pl.lit(False)), c)
        for c in checked
    ).row(0, named=True)
    found = [(i, c) for c, i in first_bad.items() if i is not None]
    if found:
        i, name = min(found, key=lambda x: (x[0], checked.index(x[1])))
        value = raw[name][i]
        what = "missing value" if value is None or not value.strip() else f"{value!r} is not a whole number"
        raise DataError(f"{path}:{i + 2}: column {name}: {what}")
    # other columns stay numeric when every value that is there is a whole number
    numeric = both.select((pl.col(f"{c}__n").null_count() == _blank(c).sum()).alias(c) for c in raw.columns).row(0)
    frame = pl.concat(
        [cast.select(c) if ok else raw.select(c) for c, ok in zip(raw.columns, numeric, strict=True)], how="horizontal"
    )
    flags = [c for c in FLAGS if c in frame.columns]
    first_off = frame.select(_first(~pl.col(c).is_in([0, 1]), c) for c in flags).row(0, named=True)
    off = [(i, c) for c, i in first_off.items() if i is not None]
    if off:
        i, name = min(off)
        raise DataError(f"{path}:{i + 2}: column {name}: {frame[name][i]} is not 0 or 1")
    if level == "member":
        frame = _checked_spans(frame, path)
    return AtopFile(path=path, level=level, version=version, frame=frame)


def with_spans(frame: pl.DataFrame) -> pl.DataFrame:
    """Member-level rows with ``start`` and ``end`` dates: the phase runs ``[start, end)``.

    An unknown day (missing or 0) takes the month whole; an exit year of 0 leaves ``end`` null.
    """

    def day(col: str) -> pl.Expr:
        return pl.when(pl.col(col) > 0).then(pl.col(col))

    last = (
        pl.when(pl.col("dayexit") > 0)
        .then(pl.date(pl.col("yrexit"), pl.col("moexit"), pl.col("dayexit")))
        .otherwise(pl.date(pl.col("yrexit"), pl.col("moexit"), 1).dt.month_end())
    )
    return frame.with_columns(
        start=pl.date(pl.col("yrent"), pl.col("moent"), day("dayent").fill_null(1)),
        end=pl.when(pl.col("yrexit") != 0).then(last + pl.duration(days=1)),
    )


def _checked_spans(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    """Add the phase spans, or raise naming the first row whose dates are impossible."""
    try:
        out = with_spans(frame)
    except pl.exceptions.PolarsError:
        out = None
    if out is not None:
        bad = out["start"].is_null() | (out["yrexit"] != 0) & (out["end"].is_null() | (out["end"] <= out["start"]))
        idx = bad.arg_true()
        if not len(idx):
            return out
        i = int(idx[0])
    else:  # find the row polars could not turn into a date
        i = next(i for i in range(frame.height) if _row_fails(frame[i]))
    r = frame.row(i, named=True)
    entry, leave = (r["yrent"], r["moent"], r["dayent"]), (r["yrexit"], r["moexit"], r["dayexit"])
    raise DataError(f"{path}:{i + 2}: columns yrent..dayexit: entry {entry} and exit {leave} are not a valid phase")


def _row_fails(row: pl.DataFrame) -> bool:
    try:
        with_spans(row)
    except pl.exceptions.PolarsError:
        return True
    return False


def check_pair(alliances: AtopFile, members: AtopFile) -> None:
    """The two files must be one release: same version, and every member row's alliance listed."""
    if alliances.version != members.version:
        raise DataError(
            f"{members.path}: version {members.version} does not match {alliances.path} (version {alliances.version})"
        )
    known = set(alliances.frame["atopid"].to_list())
    orphan = (~members.frame["atopid"].is_in(list(known))).arg_true()
    if len(orphan):
        i = int(orphan[0])
        raise DataError(
            f"{members.path}:{i + 2}: column atopid: alliance {members.frame['atopid'][i]} "
            f"is not in {alliances.path.name}"
        )


# --- mapping to the model ---------------------------------------------------------------


@cache
def member(cow: int) -> tuple[str, str]:
    """The foedus state id and name of an ATOP member code (a COW number); ``COW<n>`` when unknown."""
    try:
        s = states.resolve(cow)
    except UnknownStateError:
        return f"COW{cow}", f"COW state {cow}"
    return s.id, s.name


def state_id(cow: int) -> str:
    """The foedus state id of an ATOP member code."""
    return member(cow)[0]


def _conditions(kind: str, row: Mapping) -> tuple[Condition, ...]:
    out = []
    threats = tuple(dict.fromkeys(state_id(int(c)) for c in (row.get("statthr1"), row.get("statthr2")) if c))
    for col, ckind, text in CONDITIONS[kind]:
        if not row[col]:
            continue
        if ckind is ConditionKind.SPECIFIC_ADVERSARY and not threats:
            out.append(Condition(kind=ConditionKind.OTHER, text=f"{text}, which ATOP does not name"))
        elif ckind is ConditionKind.SPECIFIC_ADVERSARY:
            out.append(Condition(kind=ckind, states=threats, text=text))
        else:
            out.append(Condition(kind=ckind, text=text))
    return tuple(out)


def _obligations(row: Mapping, sid: str, span: Span) -> Iterable[Obligation]:
    for col, kind in KINDS.items():
        if not row[col]:
            continue
        if col == "neutral":
            trigger = Trigger.ARMED_ATTACK if row["neucoatt"] else Trigger.ANY_WAR
        else:
            trigger = TRIGGERS[col]
        yield Obligation(
            id=f"p{row['phase']}-{sid.lower()}-{span.start:%Y%m%d}-{kind.value}",
            kind=kind,
            obligors=(sid,),
            trigger=trigger,
            conditions=_conditions(col, row),
            means=Means.UNKNOWN,
            timing=Timing.UNKNOWN,
            valid=span,
            note="coded by ATOP" + (" (asymmetric: members' obligations differ)" if row["asymm"] else ""),
        )


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: s.start):
        if out and (out[-1].end is None or s.start <= out[-1].end):
            last = out[-1]
            end = None if last.end is None or s.end is None else max(last.end, s.end)
            out[-1] = Span(start=last.start, end=end)
        else:
            out.append(s)
    return out


def treaties(members: pl.DataFrame, version: str) -> list[Treaty]:
    """ATOP member-level rows as treaties with ``origin="atop"``, one per alliance."""
    by_alliance: dict[int, list[Mapping]] = defaultdict(list)
    for r in with_spans(members).iter_rows(named=True):
        by_alliance[int(r["atopid"])].append(r)
    return [_treaty(aid, rs, version) for aid, rs in sorted(by_alliance.items())]


def _treaty(atopid: int, rows: list[Mapping], version: str) -> Treaty:
    spans: dict[str, list[Span]] = defaultdict(list)
    obligations: list[Obligation] = []
    for r in sorted(rows, key=lambda r: (r["phase"], r["member"])):
        sid = state_id(int(r["member"]))
        span = Span(start=r["start"], end=r["end"])
        spans[sid].append(span)
        obligations.extend(_obligations(r, sid, span))
    parties = tuple(Membership(state=sid, start=s.start, end=s.end) for sid in spans for s in _merge(spans[sid]))
    start = min(m.start for m in parties)
    end = None if any(m.end is None for m in parties) else max(m.end for m in parties)
    names = list(dict.fromkeys(member(int(r["member"]))[1] for r in rows))
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    short = "–".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
    return Treaty(
        id=f"atop-{atopid}",
        name=f"ATOP alliance {atopid} ({shown}, {start.year})",
        short_name=f"{short} {start.year} (ATOP {atopid})",
        in_force=start,
        ended=end,
        parties=parties,
        obligations=tuple(obligations),
        sources=(
            Source(citation=f"ATOP {version}, member-level file. {ATOP_CITATION}", url="https://www.atopdata.org"),
        ),
        origin="atop",
        atop_id=atopid,
        notes="Coded by ATOP; the treaty's text is not in the corpus, so findings quote no article.",
    )
