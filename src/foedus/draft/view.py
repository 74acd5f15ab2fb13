"""The review table of a draft for the terminal (rich)."""

from __future__ import annotations

from datetime import date

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from .. import states
from .propose import Draft, Proposal


EVIDENCE = 90  # characters of evidence shown per row (the JSON has it whole)


def _value(p: Proposal) -> str:
    v = p.value
    if v is None:
        return "unknown"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return ", ".join(f"{s} ({states.name(s)})" for s in v)
    return str(v)


def _row(table: Table, label: str, p: Proposal) -> None:
    style = "yellow" if p.uncertain else ""
    span = " ".join(p.span.split()) if p.span else "—"
    span = span if len(span) <= EVIDENCE else span[:EVIDENCE - 1] + "…"
    table.add_row(label, Text(_value(p), style=style or "bold"), Text(f"{p.confidence:.2f}", style=style),
                  Text(("? " if p.uncertain else "") + p.rule, style=style), span)


def review(d: Draft) -> Group:
    """Facts, then one block of rows per proposed obligation, each with its confidence and evidence.

    Yellow rows, marked ``?``, are uncertain: a reviewer must check them against the text.
    """
    table = Table(title=f"draft coding of {d.source} ({'treaty text' if d.is_treaty_text else 'report'})",
                  box=box.SIMPLE_HEAD, show_lines=False)
    table.add_column("field", no_wrap=True)
    table.add_column("proposed", overflow="fold", max_width=26)
    table.add_column("conf.", justify="right", no_wrap=True)
    table.add_column("rule", overflow="fold", max_width=16)
    table.add_column("evidence", overflow="fold", min_width=24)
    _row(table, "parties", d.parties)
    _row(table, "signed", d.signed)
    _row(table, "in force", d.in_force)
    for r in d.references:
        table.add_row("compared with", r.treaty, f"{r.confidence:.2f}", r.rule, r.span)
    for ob in d.obligations:
        table.add_section()
        for name, p in ob.fields().items():
            _row(table, f"Art. {ob.article} {name}", p)
        for c in ob.conditions:
            who = f" ({', '.join(c.value[1])})" if c.value[1] else ""
            _row(table, f"Art. {ob.article} condition", Proposal(c.value[0] + who, c.confidence, c.span, c.rule))
    parts: list = [table]
    for r in d.readings:
        if not any(o.article == r.passage.number for o in d.obligations):
            parts.append(Text(f"Art. {r.passage.number}: no obligation proposed "
                              f"(confidence {r.none_confidence:.2f})", style="dim"))
    if d.same_as:
        parts.append(Text(f"The corpus already holds this pact as {d.same_as} (same parties, same signing date).",
                          style="italic"))
    parts.append(Text("Rows marked ? (yellow) are uncertain: check them against the text.", style="dim"))
    return Group(*parts)
