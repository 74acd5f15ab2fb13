"""Places: region tags for states' home territory and a small gazetteer of named places.

Scope clauses in treaties match on a place's kind and region tags, so the tags here are
the vocabulary of ``Scope`` (see docs/coding-treaties.md).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import yaml

from . import states
from .errors import UnknownPlaceError
from .model import Place, PlaceKind


@cache
def _data() -> dict:
    text = resources.files("foedus").joinpath("data/places.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def partial_regions_of(sid: str) -> tuple[str, ...]:
    """Regions the state's home territory lies only partly in (Russia: Europe and Asia)."""
    return tuple(_data()["spanning_regions"].get(sid, []))


def regions_of(sid: str) -> tuple[str, ...]:
    """Region tags the whole of a state's home territory lies in: its continent plus the listed
    extras, less the regions it only partly lies in."""
    tags: list[str] = []
    continent = states.continent(sid)
    if continent:
        tags.append(continent.lower())
    tags.extend(_data()["state_regions"].get(sid, []))
    partial = set(partial_regions_of(sid))
    return tuple(t for t in dict.fromkeys(tags) if t not in partial)


def home(sid: str, on: date | None = None) -> Place:
    """The metropolitan territory of a state: where an attack with no place given lands.

    Where that territory spans regions a scope clause tells apart, those regions are partial:
    a clause limited to one of them neither binds nor lapses until a place is given.
    """
    return Place(
        name=f"{states.name(sid, on)} (home territory)",
        state=sid,
        kind=PlaceKind.TERRITORY,
        regions=regions_of(sid),
        partial_regions=partial_regions_of(sid),
    )


def gazetteer() -> list[dict]:
    """The named places, as stored."""
    return list(_data()["places"])


def _administrator(entry: dict, day: date) -> str | None:
    """Who administers a gazetteer place on ``day``: a dated spell, else ``administered_by``."""
    for spell in entry.get("administration", []):
        if spell["start"] <= day and (spell.get("end") is None or day < spell["end"]):
            return spell["by"]
    return entry.get("administered_by")


def _place_for(entry: dict, target: str, day: date) -> Place:
    """The place an attack on ``target`` at a gazetteer entry hits on ``day``."""
    owner = entry["state"] or target
    admin = _administrator(entry, day) or owner
    common = {"regions": tuple(entry["regions"]), "note": entry.get("note", "")}
    if entry["state"] is None:  # a sea: the target's forces there, where no state administers
        return Place(name=entry["name"], state=target, kind=PlaceKind.FORCES, high_seas=True, **common)
    if target == owner:
        return Place(name=entry["name"], state=owner, kind=PlaceKind(entry["kind"]), administered_by=admin, **common)
    if target == admin:  # held by the target, but another state's territory in law
        return Place(name=entry["name"], state=target, kind=PlaceKind(entry["kind"]), disputed=True, **common)
    # the target's forces stationed in another state's territory
    return Place(
        name=f"{states.name(target, day)} forces at {entry['name']}",
        state=target,
        kind=PlaceKind.FORCES,
        administered_by=admin,
        **common,
    )


def lookup(query: str, target: str, day: date) -> Place:
    """A named place as hit in an attack on ``target`` on ``day``: its territory, or its forces there."""
    q = query.strip().lower()
    for entry in gazetteer():
        names = [entry["name"], *entry.get("aliases", [])]
        if q in (n.lower() for n in names):
            return _place_for(entry, target, day)
    known = ", ".join(sorted(e["name"] for e in gazetteer()))
    raise UnknownPlaceError(f"unknown place: {query!r} (known places: {known})")
