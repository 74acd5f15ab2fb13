"""Rich renderings of the forecast and the backtest report."""

from __future__ import annotations

import math

from rich.console import Group
from rich.table import Table
from rich.text import Text

from . import states
from .backtest import FINDINGS, Report
from .forecast import FEATURES, Forecast


def _p(x: float) -> str:
    return f"{x:.3f}" if x >= 0.001 else f"{x:.1e}"


def forecast(f: Forecast, top: int, explain: bool) -> Group:
    """The states most likely to join, with each side's probability and, optionally, why."""
    c = f.case
    attacker, target = states.name(str(c.initiator)), states.name(str(c.target))
    t = Table(title=f"Forecast: who joins when {attacker} attacks {target} on {c.start}", expand=True)
    for col in ("state", f"joins {target}'s side", f"joins {attacker}'s side", "joins either"):
        t.add_column(col, justify="left" if col == "state" else "right")
    if explain:
        t.add_column("driven by (feature: share of the log rate, for the likelier side)", overflow="fold")
    rows = f.states.head(top) if top else f.states
    for r in rows.to_dicts():
        cells = [r["name"], _p(r["p_B"]), _p(r["p_A"]), _p(r["p_any"])]
        if explain:
            side = "B" if r["p_B"] >= r["p_A"] else "A"
            cells.append("; ".join(f"{FEATURES[k]}: {v:+.2f}" for k, v in f.why.get((r["state"], side), [])))
        t.add_row(*cells)
    note = (
        f"A forecast fitted on {f.wars} interstate wars that began before {c.start}, not a legal reading: "
        f"`foedus cascade` says who is bound by treaty. Expected number of joiners: {f.states['p_any'].sum():.2f}. "
        "Out-of-sample record: `foedus backtest`."
    )
    return Group(t, Text(note, style="dim"))


def _ci(r: dict, m: str) -> str:
    lo, hi = r["ci"][m]
    return f"{r[m]:+.3f} [{lo:+.3f}, {hi:+.3f}]" if m.startswith("bss") else f"{r[m]:.4f} [{lo:.4f}, {hi:.4f}]"


def _num(x: float, fmt: str = ".3f") -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else ("∞" if x == math.inf else format(x, fmt))


def backtest(rep: Report) -> Group:
    """Per scoring, the forecast beside the baselines; the cascade on every case; calibration tables."""
    parts: list = [
        Text(
            f"{rep.cases} cases, {rep.pairs:,} (case, state) pairs of system members on each start date "
            f"(the initial dyad excepted), {rep.joiners} joined. 95% intervals: bootstrap over cases.",
        )
    ]
    for scoring in dict.fromkeys(r["scoring"] for r in rep.rows):
        t = Table(title=f"forecast, {scoring}", expand=True)
        for col in (
            "model",
            "Brier",
            "log loss",
            "BSS vs training rate",
            "BSS vs scored rate",
            "within-war AUC",
            "recall",
            "precision",
            "wrong side",
            "war-size error",
        ):
            t.add_column(col, overflow="fold", justify="left" if col == "model" else "right")
        for r in (r for r in rep.rows if r["scoring"] == scoring):
            t.add_row(
                r["model"],
                _ci(r, "brier"),
                _num(r["log_loss"], ".4f"),
                _ci(r, "bss_base"),
                _ci(r, "bss_own"),
                _ci(r, "auc") if not math.isnan(r["auc"]) else "—",
                _num(r["recall"]),
                _num(r["precision"]),
                str(r["wrong_side"]),
                _num(r["size_error"], ".2f"),
            )
        parts.append(t)
        cal = rep.calibration[scoring]
        c = Table(title=f"calibration, {scoring} (equal-size bins by forecast)")
        for col in ("bin", "pairs", "mean forecast", "observed rate", "joiners"):
            c.add_column(col, justify="right")
        for row in cal.to_dicts():
            c.add_row(str(row["bin"]), str(row["n"]), _p(row["predicted"]), _p(row["observed"]), str(row["joiners"]))
        parts.append(c)
        parts.append(
            Text(
                f"top decile observed/forecast: {rep.top_decile[scoring]:.2f}; "
                f"joiners given probability 0: {rep.zero_joiners[scoring]}",
                style="dim",
            )
        )
    t = Table(title="obligation cascade (a legal reading) and the allies baseline, all cases", expand=True)
    for col in (
        "model",
        "predicted",
        "joined that side",
        "wrong side",
        "of them through a chain",
        "recall",
        "precision",
        "F1",
        "war-size error",
    ):
        t.add_column(col, overflow="fold", justify="left" if col == "model" else "right")
    for r in rep.cascade:
        chain = r.get("wrong_side_through_chains")
        t.add_row(
            r["model"],
            str(r["predicted"]),
            str(r["right_side"]),
            str(r["wrong_side"]),
            "—" if chain is None else str(chain),
            _num(r["recall"]),
            _num(r["precision"]),
            _num(r["f1"]),
            _num(r["size_error"], ".2f"),
        )
    parts.append(t)
    if rep.casus_foederis:
        parts.extend(_casus_foederis(rep.casus_foederis))
    return Group(*parts)


def _casus_foederis(cf: dict) -> list:
    """The engine's findings against Berkemeier and Fuhrmann's coding of whether the casus foederis arose."""
    t = Table(
        title="the legal reading against Berkemeier–Fuhrmann: did the casus foederis arise? (alliance–war pairs)",
        expand=True,
    )
    for col in ("Berkemeier–Fuhrmann", *FINDINGS, "pairs", "agree", "agreement", "agreement, with a finding"):
        t.add_column(col, overflow="fold", justify="left" if col == "Berkemeier–Fuhrmann" else "right")
    for r in [*cf["table"], {"bf": "all", **{k: sum(x[k] for x in cf["table"]) for k in FINDINGS}, **cf}]:
        t.add_row(
            r["bf"],
            *(str(r[k]) for k in FINDINGS),
            str(r["pairs"]),
            str(r["agree"]),
            _num(r["agreement"]),
            f"{_num(r['agreement_answered'])} ({r['agree_answered']}/{r['pairs_answered']})",
        )
    off = cf["unmapped"]
    note = (
        f"{cf['coded_pairs']} pairs coded met or not met, {cf['mapped_pairs']} mapped; not mapped: "
        f"{off['war not scored']} of wars not scored, {off['alliance not in the store']} of alliances no treaty "
        f"in the store carries. foedus's finding: the strongest one any member owes the war's first target on its "
        f"start date (\"no finding\": it binds no scored state to that target, so the first dyad does not "
        f"put the question); agreement: obligated or conditional when met, anything but obligated when not met."
    )
    return [t, Text(note, style="dim")]
