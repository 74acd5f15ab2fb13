"""Places: region tags for states' home territory and a small gazetteer of named places.

Scope clauses in treaties match on a place's kind and region tags, so the tags here are
the vocabulary of ``Scope`` (see docs/coding-treaties.md).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
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
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~10x faster


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


def _key(text: str) -> str:
    """A place name as matched: case, accents, punctuation, a leading "the" and a trailing
    "island(s)" do not matter ("Senkaku" is "the Senkaku Islands")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    if words[:1] == ["the"]:
        words = words[1:]
    if len(words) > 1 and words[-1] in ("island", "islands", "isles"):
        words = words[:-1]
    return " ".join(words)


@cache
def _index() -> dict[str, dict]:
    """Every name and alias of every gazetteer entry, by its matching key."""
    out: dict[str, dict] = {}
    for entry in gazetteer():
        for n in (entry["name"], *entry.get("aliases", [])):
            out.setdefault(_key(n), entry)
    return out


def find(query: str) -> dict:
    """The gazetteer entry a name or alias names, or an error suggesting the closest names."""
    entry = _index().get(_key(query))
    if entry is not None:
        return entry
    close = difflib.get_close_matches(_key(query), list(_index()), n=3, cutoff=0.6)
    names = list(dict.fromkeys(_index()[c]["name"] for c in close))
    hint = f"; did you mean {', '.join(repr(n) for n in names)}?" if names else ""
    raise UnknownPlaceError(f"unknown place: {query!r}{hint} (`foedus places` lists the gazetteer)")


def lookup(query: str, target: str, day: date) -> Place:
    """A named place as hit in an attack on ``target`` on ``day``: its territory, or its forces there."""
    return _place_for(find(query), target, day)


def listing(query: str | None = None, on: date | None = None) -> list[dict]:
    """The gazetteer as ``foedus places`` shows it: each place, its aliases, whose it is, who
    administers it on ``on`` (today without it), its kind and region tags (one place, with ``query``)."""
    day = on or date.today()
    entries = [find(query)] if query else sorted(gazetteer(), key=lambda e: e["name"])
    return [
        {
            "name": e["name"],
            "aliases": list(e.get("aliases", [])),
            "state": e["state"],
            "administered_by": None if e["state"] is None else _administrator(e, day) or e["state"],
            "kind": e["kind"],
            "regions": list(e["regions"]),
            "note": e.get("note", ""),
        }
        for e in entries
    ]
