"""The ``forecast`` and ``backtest`` commands: who is likely to join a war, and how well that is known."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .choices import Act
from .errors import FoedusError

if TYPE_CHECKING:  # the forecast's libraries (numpy, polars, scikit-learn) load only in its commands
    import polars as pl

    from . import forecast as fc
    from .corpus.loader import Corpus
    from .model import Event
    from .reliability import Simulation
    from .wars import Case

REFERENCE_ENV = "FOEDUS_REFERENCE_DATA"

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=f"Folder of the reference CSVs (IWD, COW, GML MIDs, Berkemeier–Fuhrmann); default ${REFERENCE_ENV}.",
    ),
]


def _cli():
    from . import cli

    return cli


def reference(path: Path | None) -> Path:
    """The reference data folder, from the option or the environment; one-line error when absent."""
    from .wars import IWD_FILE

    chosen = path or (Path(os.environ[REFERENCE_ENV]) if os.environ.get(REFERENCE_ENV) else None)
    if chosen is None:
        raise FoedusError(f"no reference data: pass --data-dir FOLDER or set {REFERENCE_ENV}")
    if not (chosen / IWD_FILE).is_file():
        raise FoedusError(f"{chosen}: {IWD_FILE} not found (the folder of the reference CSVs is needed)")
    return chosen


def _corpus() -> Corpus:
    from . import store

    if not any(r.dataset == "atop" for r in store.imports()):
        raise FoedusError("the forecast reads ATOP alliances: run `foedus data import atop FILES` first")
    return store.active_corpus()


def war_table(ref: Path, corpus: Corpus, cases: list[Case] | None = None) -> pl.DataFrame:
    """The feature table of the IWD wars (cached)."""
    from . import forecast as fc
    from .wars import IWD_FILE, read_iwd

    return fc.table(cases or read_iwd(ref / IWD_FILE), corpus, ref, "iwd", [ref / IWD_FILE])


def forecast_event(event: Event, ref: Path) -> fc.Forecast:
    """The forecast for ``event``, fitted on the IWD wars that began before its date."""
    import polars as pl

    from . import forecast as fc
    from .covariates import load as load_covariates
    from .wars import IWD_FILE, read_iwd

    case = fc.event_case(event)
    corpus = _corpus()
    past = [c for c in read_iwd(ref / IWD_FILE) if c.start < event.on]
    if not past:
        raise FoedusError(f"no war in the IWD file began before {event.on}: nothing to fit on")
    history = war_table(ref, corpus, past)
    model = fc.fit(history, ref)
    rows = pl.DataFrame(fc.case_rows(case, corpus, load_covariates(ref), event), infer_schema_length=None)
    return fc.Forecast.of(model, rows, history["case"].n_unique(), case)


def forecast(
    target: Annotated[str, typer.Option(help="The attacked state: name, ISO3, COW number or abbreviation.")],
    attacker: Annotated[str, typer.Option(help="The attacking state.")],
    on: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
    place: Annotated[str | None, typer.Option(help="Where the attack lands (see `foedus places`).")] = None,
    act: Annotated[Act, typer.Option(help="The kind of act.")] = Act.ARMED_ATTACK,
    top: Annotated[int, typer.Option(help="Show the states most likely to join (0: all).")] = 15,
    explain: Annotated[bool, typer.Option("--explain", help="List the features that drove each probability.")] = False,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """The probability that each state joins each side, fitted on the wars that began before the date.

    A forecast, not a legal reading: `foedus cascade` says who is bound; this says who has joined
    wars like this one. Its out-of-sample record is printed by `foedus backtest`.

    Example: foedus forecast --target KOR --attacker PRK --on 1950-06-25 --explain --data-dir ../shared/data
    """
    from . import render_forecast
    from .engine import make_event

    if top < 0:
        raise FoedusError(f"--top must be 0 or more, not {top}")
    event = make_event(target, [attacker], _cli()._day(on), place, act)
    result = forecast_event(event, reference(data_dir))
    if as_json:
        _cli()._emit(result.as_json(top, explain))
    else:
        _cli().console.print(render_forecast.forecast(result, top, explain))


def backtest(
    data_dir: DataDir = None,
    disputes: Annotated[
        bool, typer.Option("--disputes", help="Also score the GML militarized disputes (10-fold by dispute).")
    ] = False,
    years: Annotated[str | None, typer.Option(help="FIRST-LAST: only the wars that began in these years.")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write the calibration and war-size plot to this PNG.")] = None,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap replicates (wars resampled).")] = 2000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Score the forecast out of sample, and the cascade, against every interstate war 1823-2003.

    Example: foedus backtest --data-dir ../shared/data --plot backtest.png
    """
    from . import backtest as bt
    from . import forecast as fc
    from . import render_forecast
    from .wars import IWD_FILE, MID_FILE, read_iwd, read_mids

    ref = reference(data_dir)
    if bootstrap < 1:
        raise FoedusError(f"--bootstrap must be at least 1, not {bootstrap}")
    if plot is not None and plot.suffix.lower() != ".png":
        raise FoedusError(f"{plot}: --plot writes a PNG; give a file name ending in .png")
    cases = read_iwd(ref / IWD_FILE)
    if years:
        first, last = _years(years)
        cases = [c for c in cases if first <= c.start.year <= last]
        if not cases:
            raise FoedusError(f"no war began in {years}")
    corpus = _corpus()
    df = war_table(ref, corpus, cases)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("leave one war out", total=df["case"].n_unique())
        scorings = [bt.leave_one_war_out(df, ref, progress=lambda: bar.advance(task))]
    scorings += [s for s in (bt.time_split(df, ref, True), bt.time_split(df, ref, False)) if s is not None]
    if disputes:
        mids = fc.table(read_mids(ref / MID_FILE), corpus, ref, "mids", [ref / MID_FILE])
        scorings += bt.dispute_scorings(mids, ref)
    report = bt.evaluate(scorings, bootstrap, seed)
    report.casus_foederis = bt.casus_foederis(df, corpus, ref)
    if plot is not None:
        bt.plot(report, plot)
    if as_json:
        _cli()._emit(report.as_json())
    else:
        _cli().console.print(render_forecast.backtest(report))
        if plot is not None:
            _cli().console.print(f"wrote {plot}")


def _years(text: str) -> tuple[int, int]:


    first, sep, last = text.partition("-")
    try:
        a, b = int(first), int(last if sep else first)
    except ValueError:
        raise FoedusError(f"bad --years {text!r} (use FIRST-LAST, e.g. 1914-1945)") from None
    if a > b:
        raise FoedusError(f"bad --years {text!r}: {a} is after {b}")
    return a, b


def simulate_forecast(event: Event, data_dir: Path | None, draws: int, seed: int) -> Simulation:
    """``foedus simulate --forecast``: the Monte Carlo of the forecast's per-state probabilities."""
    import numpy as np

    from .reliability import simulate_forecast as run_forecast

    f = forecast_event(event, reference(data_dir))
    rows = f.states.to_dicts()
    ids = [event.target, *event.attackers] + [r["state"] for r in rows]
    n = len(ids)
    d0, a0 = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    d0[0], a0[1] = True, True
    p_a = np.array([0.0, 0.0] + [r["p_A"] for r in rows])
    p_b = np.array([0.0, 0.0] + [r["p_B"] for r in rows])
    ev = {
        "attackers": list(event.attackers),
        "target": event.target,
        "on": event.on.isoformat(),
        "place": event.place.name,
        "act": event.act.value,
        "model": "forecast",
    }
    return run_forecast(ev, ids, d0, a0, p_a, p_b, draws, seed)
