"""What changes between two releases of a dataset: ATOP alliances, memberships and directed
dyad-years; COW state-list spells and the membership answers they give on a day.

``foedus data compare`` prints these; docs/atop.md tables the figures for the releases at hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from .. import states
from .atop import KINDS, check_pair, read
from .atop_dyads import directed_dyad_years


@dataclass(frozen=True)
class Counts:
    """How many units only the old release has, only the new one has, both have but code differently, and both share."""

    only_old: int
    only_new: int
    recoded: int
    same: int

    def line(self, unit: str) -> str:
        """One line of the comparison."""
        return (f"{unit}: {self.only_old:,} only in the old release, {self.only_new:,} only in the new, "
                f"{self.recoded:,} coded differently, {self.same:,} the same")


def _counts(old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> Counts:
    """Compare two tables with unique ``key`` rows on every other column they share."""
    values = [c for c in old.columns if c in new.columns and c not in key]
    both = old.select(*key, *values).join(new.select(*key, *values), on=key, how="inner", suffix="__new")
    differ = pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}__new")) for c in values) if values else pl.lit(False)
    recoded = both.filter(differ).height
    return Counts(old.join(new, on=key, how="anti").height, new.join(old, on=key, how="anti").height,
                  recoded, both.height - recoded)


def atop_releases(old: tuple[Path, Path], new: tuple[Path, Path], through: int) -> dict[str, Counts]:
    """Alliances (by ``atopid``, compared on their five obligations), memberships (alliance and
    member, compared on what the member owes) and directed dyad-years to ``through`` (compared
    on their five flags) of two releases, each given as its alliance- and member-level files."""
    tables = []
    for alliance_file, member_file in (old, new):
        alliances, members = read(alliance_file), read(member_file)
        check_pair(alliances, members)
        tables.append((alliances.frame, members.frame))
    (a_old, m_old), (a_new, m_new) = tables
    obligations = list(KINDS)

    def owed(m: pl.DataFrame) -> pl.DataFrame:
        return m.group_by("atopid", "member").agg(pl.col(obligations).max())

    return {
        "alliances": _counts(a_old.select("atopid", *obligations), a_new.select("atopid", *obligations), ["atopid"]),
        "memberships": _counts(owed(m_old), owed(m_new), ["atopid", "member"]),
        "directed dyad-years": _counts(directed_dyad_years(m_old, through), directed_dyad_years(m_new, through),
                                       ["ccode1", "ccode2", "year"]),
    }


def cow_lists(old: Path, new: Path, on: date) -> dict[str, int]:
    """COW states whose spells differ between two lists, and how many membership answers for ``on`` change."""
    a, b = states.read_cow_list(old), states.read_cow_list(new)
    codes = set(a.spells) | set(b.spells)
    changed = sorted(c for c in codes if a.spells.get(c) != b.spells.get(c))

    def member(listed: states.CowList, code: int) -> bool:
        return any(s.contains(on) for s in listed.spells.get(code, ()))

    answers = sorted(c for c in codes if member(a, c) != member(b, c))
    return {"states": len(codes), "spells differ": len(changed), "membership answers change": len(answers),
            "of which": answers}
