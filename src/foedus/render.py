"""Rich renderings of assessments, treaties and comparisons for the terminal."""

from __future__ import annotations

from datetime import date

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import states
from .compare import FIELDS, Comparison, describe
from .engine import Assessment
from .model import Status, Treaty
from .strength import RUBRIC, strength

_STYLE = {
    Status.OBLIGATED: "bold green",
    Status.CONDITIONAL: "yellow",
    Status.NOT_TRIGGERED: "dim",
    Status.NOT_IN_FORCE: "dim italic",
}


class _Findings:
    """Findings as a table, or one line each where the table would not fit the terminal."""

    WHO, WHO_WIDTH = "owed by → to", 12  # the one column that wraps (by words): states' names
    HEADERS = ("#", WHO, "treaty, art.", "kind", "status", "strength")

    def __init__(self, title: str, rows: list[tuple[str, str, str, str, Text, str]]) -> None:
        self.title, self.rows = title, rows

    def _table(self) -> Table:
        table = Table(title=self.title, box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False)
        for col in self.HEADERS:  # codes and labels stay whole
            wraps = col == self.WHO
            table.add_column(
                col,
                no_wrap=not wraps,
                min_width=self.WHO_WIDTH if wraps else None,
                justify="right" if col == "#" else "left",
            )
        for row in self.rows:
            table.add_row(*row)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = list(zip(self.HEADERS, *self.rows, strict=True))
        widths = [self.WHO_WIDTH if c[0] == self.WHO else max(len(str(v)) for v in c) for c in columns]
        if sum(widths) + 3 * len(widths) - 1 <= options.max_width:  # a space each side of a cell, one between
            yield self._table()
            return
        lines = Table.grid(padding=(0, 1))
        for number, who, article, kind, status, label in self.rows:
            lines.add_row(f"{number}.", Text.assemble(f"{who}: {article}, {kind}, ", status, f", {label}"))
        yield Text(self.title, style="italic")
        yield lines


def assessment(a: Assessment) -> Group:
    """The findings as a table, then each obligated or conditional article quoted."""
    e = a.event
    attackers = ", ".join(states.name(s) for s in e.attackers) or "an unnamed attacker"
    title = f"{e.act.value} on {states.name(e.target)} by {attackers} — {e.place.name}, {e.on}"
    rows = [
        (
            str(i),
            f"{states.name(f.obligor)} → {states.name(f.beneficiary)}",
            f"{f.treaty} {f.article or '—'}",
            f.kind.value,
            Text(f.status.value, style=_STYLE[f.status]),
            f.strength.label,
        )
        for i, f in enumerate(a.findings, start=1)
    ]
    table = _Findings(title, rows)
    why = Table.grid(padding=(0, 1))
    for i, f in enumerate(a.findings, start=1):
        why.add_row(f"{i}.", "; ".join(f.reasons))
    parts: list = [table, why] if a.findings else [table]
    if not a.findings:
        parts.append(Text("No treaty in the corpus binds any state to either side of this event."))
    quoted: set[tuple[str, str | None]] = set()
    for f in a.findings:
        if f.status in (Status.OBLIGATED, Status.CONDITIONAL) and f.text and (f.treaty, f.article) not in quoted:
            quoted.add((f.treaty, f.article))
            parts.append(Panel(f.text, title=f"{f.treaty_name}, Article {f.article}", title_align="left"))
    parts.extend(Text(f"note: {n}", style="dim") for n in a.notes)
    return Group(*parts)


def treaties(items: list[Treaty], on: date | None = None) -> Table:
    """A list of treaties; with ``on``, the party count is of members on that date."""
    table = Table(show_lines=False)
    for col in ("id", "name", "in force", "ended", f"parties on {on}" if on else "parties (ever)", "strongest"):
        table.add_column(col, overflow="fold")
    for t in items:
        top = max((strength(o) for o in t.obligations), default=None)
        table.add_row(
            t.id,
            t.short_name or t.name,
            str(t.in_force),
            str(t.ended or ""),
            str(len(t.members_on(on)) if on else len({m.state for m in t.parties})),
            top.label if top is not None else "",
        )
    return table


def treaty(t: Treaty) -> Group:
    """One treaty: dates, parties, obligations and articles."""
    head = Table.grid(padding=(0, 2))
    head.add_row("id", t.id)
    head.add_row("name", t.name)
    head.add_row("signed", str(t.signed or "unknown"))
    head.add_row("in force", f"{t.in_force} – {t.ended or 'today'}" + (f" ({t.how_ended})" if t.how_ended else ""))
    if t.atop_id is not None:
        head.add_row("ATOP id", str(t.atop_id))
    members = Table(title="parties", show_edge=False)
    for col in ("state", "from", "to", "note"):
        members.add_column(col)
    for m in t.parties:
        members.add_row(states.name(m.state), str(m.start), str(m.end or ""), m.how_ended or m.note)
    obs = Table(title="obligations", show_lines=True)
    for col in ("id", "kind", *FIELDS):
        obs.add_column(col, overflow="fold")
    for o in t.obligations:
        d = describe(t, o)
        obs.add_row(o.id, o.kind.value, *(d[f] for f in FIELDS))
    parts: list = [head, members, obs]
    for s in t.suspensions:
        parts.append(Text(f"suspended between {' and '.join(s.between)} from {s.start}: {s.note}"))
    for a in t.articles:
        parts.append(Panel(a.text, title=f"Article {a.number} ({a.verified})", title_align="left"))
    for src in t.sources:
        parts.append(Text(f"source: {src.citation}" + (f" <{src.url}>" if src.url else ""), style="dim"))
    return Group(*parts)


def comparison(c: Comparison) -> Group:
    """Two treaties side by side, with word diffs of the article texts."""

    def label(t: Treaty, day: object) -> str:
        return (t.short_name or t.id) + (f" on {day}" if day else "")

    table = Table(title=f"{label(c.a, c.on_a)}  vs  {label(c.b, c.on_b)}", show_lines=True, expand=True)
    table.add_column("obligation")
    table.add_column(label(c.a, c.on_a), overflow="fold")
    table.add_column(label(c.b, c.on_b), overflow="fold")
    table.add_row("in force", f"{c.a.in_force} – {c.a.ended or 'today'}", f"{c.b.in_force} – {c.b.ended or 'today'}")
    ma, mb = c.members()
    table.add_row("parties", f"{len(ma)}: {', '.join(ma)}", f"{len(mb)}: {', '.join(mb)}")
    parts: list = [table]
    for r in c.rows:
        for f in FIELDS:
            table.add_row(
                f"{r.kind.value}: {f}",
                r.a[f] if r.a else "—",
                r.b[f] if r.b else "—",
            )
        if r.diff is not None and any(op != "=" for op, _ in r.diff):
            diff = Text()
            for op, words in r.diff:
                style = {"=": "", "-": "red strike", "+": "green"}[op]
                diff.append(("" if op == "=" else op) + words + " ", style=style)
            parts.append(Panel(diff, title=f"{r.kind.value}: text diff ({c.a.id} → {c.b.id})", title_align="left"))
    joined, left = c.membership_change()
    if joined:
        parts.append(Text(f"• only in {label(c.b, c.on_b)}: {', '.join(states.name(s) for s in joined)}"))
    if left:
        parts.append(Text(f"• only in {label(c.a, c.on_a)}: {', '.join(states.name(s) for s in left)}"))
    for kind, f, va, vb in c.differences():
        parts.append(Text(f"• {kind} {f}: {va}  ≠  {vb}"))
    winner = c.stronger()
    parts.append(
        Text("Strongest promises are equal in class." if winner is None else f"The stronger promise is in {winner}.")
    )
    return Group(*parts)


def rubric() -> Table:
    """The strength rubric."""
    table = Table(title="strength rubric")
    for col in ("class", "meaning", "how it is decided"):
        table.add_column(col, overflow="fold")
    for s, meaning, rule in RUBRIC:
        table.add_row(s.label, meaning, rule)
    return table
