"""Rich renderings of cascades, simulations and the honouring priors."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from . import states
from .cascade import LEGAL_READING, Cascade
from .model import Event
from .reliability import Prior, Simulation
from .render import event_title


def cascade(c: Cascade) -> Group:
    """The war round by round: who entered, on which side, and the finding that brought each in."""
    e = c.event
    table = Table(title=event_title(e), expand=True)
    for col in ("round", "state", "side", "brought in by"):
        table.add_column(col, overflow="fold")
    for en in c.entries:
        why = "; ".join(
            f"{f.treaty} art. {f.article or '—'} ({f.kind.value} owed to {states.name(f.beneficiary, e.on)}, "
            f"{f.status.value}, {f.strength.label})"
            for f in en.findings
        )
        table.add_row(str(en.round), states.name(en.state, e.on), en.side.value, why or "round 0")
    parts: list = [table]
    for x in c.conflicts:
        where = "stays out" if x.fighting is None else f"already fighting on the {x.fighting.value} side"
        owed = "; ".join(f"{f.kind.value} to {states.name(f.beneficiary)} under {f.treaty}" for f in x.findings)
        parts.append(
            Text(
                f"conflict (round {x.round}): {states.name(x.state)} is bound to both sides ({owed}); {where}",
                style="yellow",
            )
        )
    threshold = (
        "obligated or conditional" if c.conditional else "obligated (use --conditional to count conditional too)"
    )
    theatre = ", ".join(e.place.regions) or "no region"
    parts.append(
        Text(
            f"from round 2, a state that joined the defender side counts as attacked in its forces in the theatre "
            f"({theatre}; administered by {states.name(e.place.administrator)})",
            style="dim",
        )
    )
    parts.append(Text(f"{c.rounds} round(s) to the fixed point; findings counted: {threshold}", style="dim"))
    parts.append(Text(f"This is {LEGAL_READING}.", style="bold"))
    return Group(*parts)


def simulation(s: Simulation, event: Event | None = None) -> Group:
    """Probability of each state joining each side, and the distribution of the war's size."""
    table = Table(title=(f"{event_title(event)}: " if event is not None else "") + f"{s.tally.draws:,} draws, seed {s.seed}")
    rows = s.probabilities()
    ranged = bool(rows) and "defender_interval" in rows[0]
    for col in ("state", "joins defender", "joins aggressor", "bound to both (stays out)"):
        table.add_column(col, justify="left" if col == "state" else "right")

    def cell(r: dict, side: str) -> str:
        lo, hi = r.get(f"{side}_interval", (None, None))
        return f"{r[side]:.3f}" + (f" [{lo:.2f}–{hi:.2f}]" if ranged and hi > 0 else "")

    for r in rows:
        table.add_row(r["name"], cell(r, "defender"), cell(r, "aggressor"), cell(r, "conflict"))
    sizes = Table(title="war size (belligerents)")
    sizes.add_column("size", justify="right")
    sizes.add_column("probability", justify="right")
    for k, p in s.size_distribution().items():
        sizes.add_row(str(k), f"{p:.4f}")
    notes = [Text("[..]: 95% interval from the priors' uncertainty (a rate drawn from each class's posterior "
                  "for every 64 draws)", style="dim")] if ranged else []
    return Group(table, sizes, Text(f"expected size {s.mean_size():.3f}"), *notes,
                 Text(f"Monte Carlo standard error of each probability at most {s.standard_error():.4f} "
                      f"({s.tally.draws:,} draws)", style="dim"))


def priors(table: dict[str, Prior]) -> Group:
    """The honouring priors with their counts and 95% intervals."""
    t = Table(title="honouring priors (Berkemeier & Fuhrmann 2018, BF coding)")
    for col in ("class", "cases", "honoured", "estimate", "95% interval (Wilson)", "which commitments"):
        t.add_column(col, overflow="fold")
    for p in table.values():
        lo, hi = p.interval()
        t.add_row(p.name, str(p.cases), str(p.honoured), f"{p.p:.3f}", f"{lo:.3f}–{hi:.3f}", p.rule)
    note = (
        "A link's probability is a per-treaty override, else a per-state override (the obligor), else its class: "
        "defence links use 'defense', offence links 'offense'. The data does not code the means of help, so "
        "strength classes A-AUTO, B-ASSIST and C-CONST share their kind's estimate. Source: Berkemeier, M. and "
        "Fuhrmann, M. (2018), Reassessing the Fulfillment of Alliance Commitments in War, Research & Politics."
    )
    return Group(t, Text(note, style="dim"))
