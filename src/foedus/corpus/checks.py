"""The cross-field rules every treaty must meet, one function per rule.

:class:`foedus.model.Treaty` runs them all when it is built, so the engine (curated files, the
user's ``--corpus`` files and the imported ATOP alliances) and ``foedus validate`` apply the same
rules and cannot disagree. Each rule yields ``(location, message)`` pairs, the location a path of
field names and indexes into the treaty document (``("parties", 2, "end")``), so the loader can
name the file's line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Treaty

Problem = tuple[tuple[str | int, ...], str]


def _spells(treaty: Treaty) -> Iterator[tuple[str, int, date, date | None]]:
    for name in ("parties", "suspensions", "caveats"):
        for i, item in enumerate(getattr(treaty, name)):
            yield name, i, item.start, item.end


def spells_are_ordered(treaty: Treaty) -> Iterator[Problem]:
    """A treaty, membership, suspension or caveat ends after it starts."""
    if treaty.ended is not None and treaty.ended <= treaty.in_force:
        yield ("ended",), f"the treaty ends ({treaty.ended}) on or before it enters into force ({treaty.in_force})"
    for name, i, start, end in _spells(treaty):
        if end is not None and end <= start:
            yield (name, i, "end"), f"end {end} is not after start {start}"


def memberships_within_life(treaty: Treaty) -> Iterator[Problem]:
    """No membership starts before the treaty enters into force or ends after the treaty ends."""
    for i, m in enumerate(treaty.parties):
        if m.start < treaty.in_force:
            yield ("parties", i, "start"), (f"{m.state}'s membership starts {m.start}, before the treaty enters "
                                            f"into force ({treaty.in_force})")
        if treaty.ended is not None and m.end is not None and m.end > treaty.ended:
            yield ("parties", i, "end"), f"{m.state}'s membership ends {m.end}, after the treaty ends ({treaty.ended})"


def memberships_do_not_overlap(treaty: Treaty) -> Iterator[Problem]:
    """One state's membership spells do not overlap."""
    seen: dict[str, list[tuple[int, date, date]]] = {}
    for i, m in enumerate(treaty.parties):
        end = m.end or date.max
        for j, start, other_end in seen.get(m.state, []):
            if m.start < other_end and start < end:
                yield ("parties", i, "start"), f"{m.state}'s membership overlaps its spell at parties[{j}]"
        seen.setdefault(m.state, []).append((i, m.start, end))


def has_parties_and_obligations(treaty: Treaty) -> Iterator[Problem]:
    """A treaty has at least one party and one obligation."""
    if not treaty.parties:
        yield ("parties",), "a treaty needs at least one party"
    if not treaty.obligations:
        yield ("obligations",), "a treaty needs at least one obligation"


def ids_are_unique(treaty: Treaty) -> Iterator[Problem]:
    """Article numbers and obligation ids are unique."""
    for field, key in (("articles", "number"), ("obligations", "id")):
        values = [getattr(x, key) for x in getattr(treaty, field)]
        for i, v in enumerate(values):
            if v in values[:i]:
                yield (field, i, key), f"duplicate {'article number' if field == 'articles' else 'obligation id'} {v!r}"


def obligations_cite_quoted_articles(treaty: Treaty) -> Iterator[Problem]:
    """An obligation's article is one the file quotes."""
    numbers = {a.number for a in treaty.articles}
    for i, ob in enumerate(treaty.obligations):
        if ob.article is not None and ob.article not in numbers:
            yield ("obligations", i, "article"), (f"obligation {ob.id} cites article {ob.article}, "
                                                  "which the file does not quote")


def named_states_are_parties(treaty: Treaty) -> Iterator[Problem]:
    """Obligors, beneficiaries and suspended pairs are parties; no state is suspended from itself."""
    members = {m.state for m in treaty.parties}
    for i, ob in enumerate(treaty.obligations):
        for field in ("obligors", "beneficiaries"):
            for j, who in enumerate(getattr(ob, field) or ()):
                if who not in members:
                    yield ("obligations", i, field, j), f"obligation {ob.id} names {who}, who is not a party"
    for i, s in enumerate(treaty.suspensions):
        for j, who in enumerate(s.between):
            if who not in members:
                yield ("suspensions", i, "between", j), f"suspension names {who}, who is not a party"
        if len(set(s.between)) < len(s.between):
            yield ("suspensions", i, "between"), f"a state cannot be suspended from itself ({s.between[0]})"


def atop_links_are_distinct(treaty: Treaty) -> Iterator[Problem]:
    """No ATOP id is linked twice, or both linked and declared distinct."""
    if isinstance(treaty.atop_id, tuple) and len(set(treaty.atop_id)) != len(treaty.atop_id):
        yield ("atop_id",), "an ATOP id is listed twice"
    seen = set(treaty.atop_ids)
    for i, d in enumerate(treaty.atop_distinct):
        if d.id in seen:
            yield ("atop_distinct", i, "id"), f"ATOP {d.id} is both linked and declared distinct"
        seen.add(d.id)


def date_sources_are_defined(treaty: Treaty) -> Iterator[Problem]:
    """Every source a date names is one of the file's sources, and only given dates name one."""
    from ..model import source_ids

    ids = {s.id for s in treaty.sources if s.id}
    named = [(("date_sources", k, "source"), d.source) for k, d in treaty.date_sources.items()]
    named += [(("parties", i, "source"), m.source) for i, m in enumerate(treaty.parties)]
    named += [(("suspensions", i, "source"), s.source) for i, s in enumerate(treaty.suspensions)]
    for loc, named_ids in named:
        for sid in source_ids(named_ids):
            if sid not in ids:
                known = ", ".join(sorted(ids)) or "none"
                yield loc, f"source {sid!r} is not the id of one of this file's sources ({known})"
    for key in treaty.date_sources:
        if getattr(treaty, key) is None:
            yield ("date_sources", key), f"names a source for {key}, which the file does not give"


RULES: tuple[Callable[[Treaty], Iterator[Problem]], ...] = (
    spells_are_ordered,
    memberships_within_life,
    memberships_do_not_overlap,
    has_parties_and_obligations,
    ids_are_unique,
    obligations_cite_quoted_articles,
    named_states_are_parties,
    atop_links_are_distinct,
    date_sources_are_defined,
)


def treaty_problems(treaty: Treaty) -> list[Problem]:
    """Every rule's problems with ``treaty``, in rule order (empty when it is sound)."""
    return [p for rule in RULES for p in rule(treaty)]
