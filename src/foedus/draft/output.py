"""The draft as a treaty file in the corpus format, each proposed field commented with its
confidence and its evidence; fields a reviewer must check say UNCERTAIN."""

from __future__ import annotations

import json
from datetime import date

from ..model import Treaty
from .propose import Draft, Proposal

_ORDER = ("id", "name", "short_name", "signed", "in_force", "parties", "articles", "obligations", "sources", "notes")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and _is_date(value):
        return value
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
        return len(text) == 10
    except ValueError:
        return False


def _comment(p: Proposal) -> str:
    flag = "UNCERTAIN " if p.uncertain else ""
    span = f' "{" ".join(p.span.split())[:70]}"' if p.span else ""
    return f"{flag}{p.confidence:.2f} {p.rule}{span}"


def _lines(value: object, indent: int, path: tuple, notes: dict[tuple, str]) -> list[str]:
    """YAML lines for a mapping or list (block style), with the comment for each commented path."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        keys = [k for k in _ORDER if k in value] + [k for k in value if k not in _ORDER]
        for key in keys:
            item, sub = value[key], (*path, key)
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}{key}:" + (f"  # {notes[sub]}" if sub in notes else ""))
                out.extend(_lines(item, indent + 2, sub, notes))
            else:
                line = f"{pad}{key}: {_scalar(item) if not isinstance(item, dict | list) else json.dumps(item)}"
                out.append(line + (f"  # {notes[sub]}" if sub in notes else ""))
        return out
    for i, item in enumerate(value):
        sub = (*path, i)
        if isinstance(item, dict):
            inner = _lines(item, indent + 2, sub, notes)
            out.append(f"{pad}- {inner[0].lstrip()}")
            out.extend(inner[1:])
        else:
            out.append(f"{pad}- {_scalar(item)}" + (f"  # {notes[sub]}" if sub in notes else ""))
    return out


def _obligation(ob: dict) -> dict:
    scope = ob.get("scope", {})
    if scope.get("anywhere", True):
        ob["scope"] = {"anywhere": True}
    if not ob.get("conditions"):
        ob.pop("conditions", None)
    return ob


def to_yaml(d: Draft, treaty: Treaty) -> str:
    """The treaty file text: the corpus format, with a comment on every proposed field."""
    doc = treaty.model_dump(mode="json", exclude_defaults=True)
    doc.pop("origin", None)
    # every proposed field is written, defaults too, so that each carries its comment
    doc["obligations"] = [_obligation(o.model_dump(mode="json", exclude_none=True)) for o in treaty.obligations]
    notes: dict[tuple, str] = {}
    for key, p in (("parties", d.parties), ("signed", d.signed), ("in_force", d.in_force)):
        if key == "in_force" and p.value is None:
            notes[(key,)] = "UNCERTAIN " + d.start_date()[1]
        else:
            notes[(key,)] = _comment(p)
    for i, ob in enumerate(d.obligations):
        for name, p in ob.fields().items():
            if name != "strength":
                notes[("obligations", i, name)] = _comment(p)
        for j, c in enumerate(ob.conditions):
            notes[("obligations", i, "conditions", j, "kind")] = _comment(c)
        notes[("obligations", i, "id")] = f"strength {ob.strength.value} ({_comment(ob.strength)})"
    for i, r in enumerate(d.readings):
        if not any(o.article == r.passage.number for o in d.obligations):
            notes[("articles", i, "number")] = f"no obligation proposed ({r.none_confidence:.2f})"
    head = [f"# DRAFT coding by `foedus draft` from {d.source}: review every line marked UNCERTAIN.",
            "# Comments give each proposal's confidence, the rule and the words of the text behind it."]
    return "\n".join(head + _lines(doc, 0, (), notes)) + "\n"
