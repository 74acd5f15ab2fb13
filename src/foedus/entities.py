"""Non-member entities: treaty parties outside the COW state system (Abkhazia, South Ossetia).

They resolve like states (by id, name or alias) to a :class:`State` with no COW number and no
system membership, so the engine can answer for them without their being forced into the
state list. The data and the note each carries live in ``data/entities.yaml``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from .model import State


@cache
def _entries() -> tuple[dict, ...]:
    text = resources.files("foedus").joinpath("data/entities.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text)["entities"])


@cache
def _index() -> dict[str, dict]:
    """Lower-case id, name and aliases -> entry."""
    out: dict[str, dict] = {}
    for e in _entries():
        for key in (e["id"], e["name"], *e.get("aliases", [])):
            out[key.lower()] = e
    return out


def lookup(text: str) -> State | None:
    """The entity named by an id, name or alias (any case), or None."""
    e = _index().get(text.strip().lower())
    return State(id=e["id"], name=e["name"], note=e["note"]) if e else None


def ids() -> frozenset[str]:
    """The ids of all known entities."""
    return frozenset(e["id"] for e in _entries())


def note(sid: str) -> str:
    """Why an entity is not in the state list, and who recognises it ("" for a state)."""
    return next((e["note"] for e in _entries() if e["id"] == sid), "")

