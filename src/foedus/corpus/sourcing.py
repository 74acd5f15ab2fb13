"""Where each date in a treaty file comes from: the treaty's own dates (``date_sources``) and every
party spell and suspension (``source``, ``uncertain``). A date is *verified* when it names one of the
file's sources and is not marked uncertain; *uncertain* when marked so (from memory, inferred or
unconfirmed); *unsourced* when it does neither, which the corpus tests refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..model import Treaty, source_ids
from .loader import Corpus


@dataclass(frozen=True)
class DateField:
    """One coded date and how it is sourced."""

    treaty: str
    field: str  # e.g. "in_force", "parties.3.end"
    day: date
    sources: tuple[str, ...]
    uncertain: bool

    @property
    def status(self) -> str:
        """``verified``, ``uncertain`` or ``unsourced``."""
        if self.uncertain:
            return "uncertain"
        return "verified" if self.sources else "unsourced"


def date_fields(treaty: Treaty) -> Iterator[DateField]:
    """Every date the file codes, with its source and uncertainty."""
    for key in ("signed", "in_force", "ended"):
        day = getattr(treaty, key)
        if day is not None:
            ds = treaty.date_sources.get(key)
            yield DateField(treaty.id, key, day, source_ids(ds.source if ds else None), ds.uncertain if ds else False)
    spells = [("parties", i, m) for i, m in enumerate(treaty.parties)]
    spells += [("suspensions", i, s) for i, s in enumerate(treaty.suspensions)]
    for group, i, spell in spells:
        for end in ("start", "end"):
            day = getattr(spell, end)
            if day is not None:
                yield DateField(treaty.id, f"{group}.{i}.{end}", day, source_ids(spell.source), spell.uncertain)


def table(corpus: Corpus) -> str:
    """The share of verified dates, per curated treaty and overall, as markdown."""
    rows, total = [], {"verified": 0, "uncertain": 0, "unsourced": 0}
    for t in sorted(corpus, key=lambda t: t.id):
        if t.origin != "curated":
            continue
        counts = {"verified": 0, "uncertain": 0, "unsourced": 0}
        for f in date_fields(t):
            counts[f.status] += 1
        for k, v in counts.items():
            total[k] += v
        n = sum(counts.values())
        rows.append(f"| `{t.id}` | {n} | {counts['verified']} | {counts['uncertain']} | {counts['unsourced']} | "
                    f"{counts['verified'] / n:.0%} |")
    n = sum(total.values())
    head = [
        f"Of {n} coded dates (signature, entry into force, end, and each party's and suspension's start and end),",
        f"**{total['verified']} ({total['verified'] / n:.1%}) are verified**: they name a source in their file and are",
        f"not marked uncertain; {total['uncertain']} are marked uncertain (from memory, inferred or unconfirmed) and "
        f"{total['unsourced']} name no source.",
        "",
        "| treaty | dates | verified | uncertain | unsourced | share verified |",
        "|---|---|---|---|---|---|",
    ]
    return "\n".join(head + rows)
