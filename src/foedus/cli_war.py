"""The ``cascade``, ``simulate`` and ``sweep`` commands: the war that follows an attack."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import limits, scaleout
from .choices import Act
from .errors import FoedusError

if TYPE_CHECKING:
    from rich.progress import Progress

# The engines (numpy, polars) are imported inside the commands, so other commands start fast.

app = typer.Typer()

Target = Annotated[str, typer.Option(help="The attacked state: name, ISO3, COW number or abbreviation.")]
Attackers = Annotated[list[str], typer.Option("--attacker", help="An attacking state (repeat for several).")]
On = Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")]
Place = Annotated[str | None, typer.Option(help="Where the attack lands (see `foedus places`).")]
ActOpt = Annotated[Act, typer.Option(help="The kind of act.", case_sensitive=False)]
Conditional = Annotated[bool, typer.Option("--conditional", help="Count conditional findings too.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
Scheduler = Annotated[str | None, typer.Option(help="A dask.distributed scheduler, e.g. tcp://10.0.0.5:8786.")]
Dask = Annotated[str | None, typer.Option(help="`local`: start a dask cluster on this machine.")]


def _cli():
    from . import cli  # the shared helpers (date parsing, JSON output, console)

    return cli


def _local(dask: str | None) -> bool:
    if dask not in (None, "local"):
        raise FoedusError(f"bad --dask: {dask!r} (the only value is `local`; use --scheduler for a remote cluster)")
    return dask == "local"


def _progress() -> AbstractContextManager[Progress | None]:
    """A progress bar on stderr where a terminal shows it; else None, and rich is not loaded (it would
    draw nothing for a pipe or a file)."""
    if not sys.stderr.isatty():
        return nullcontext()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


@app.command()
def cascade(
    target: Target,
    attacker: Attackers = [],  # noqa: B006
    on: On = None,
    place: Place = None,
    act: ActOpt = Act.ARMED_ATTACK,
    conditional: Conditional = False,
    as_json: AsJson = False,
) -> None:
    """The war round by round: who enters, on which side, and by which finding.

    Round 1 is what `assess` finds; a state joining the defender side then counts as attacked in its
    forces in the theatre (the event's regions and administrator), and its allies' clauses are read for that.

    Example: foedus cascade --target PRK --attacker KOR --on 2025-03-01
    """
    from . import render_war
    from .cascade import cascade as run_cascade

    c = run_cascade(target, attacker, _cli()._day(on), place, act, conditional=conditional)
    if as_json:
        _cli()._emit(_cli()._with_releases(c.as_json()))
    else:
        _cli().console.print(render_war.cascade(c))


def _explain_priors(value: bool) -> None:
    if value:
        from . import render_war
        from .reliability import shipped

        _cli().console.print(render_war.priors(shipped()))
        raise typer.Exit()


@app.command()
def simulate(
    target: Target,
    attacker: Attackers = [],  # noqa: B006
    on: On = None,
    place: Place = None,
    act: ActOpt = Act.ARMED_ATTACK,
    conditional: Conditional = False,
    draws: Annotated[int, typer.Option(help=f"Number of Monte Carlo draws (1 to {limits.MAX_DRAWS:,}).")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed, 0 to 2**63-1 (same seed, same answer).")] = 0,
    overrides: Annotated[Path | None, typer.Option(help="YAML: {treaties: {id: p}, states: {name: p}}.")] = None,
    scheduler: Scheduler = None,
    dask: Dask = None,
    as_json: AsJson = False,
    explain_priors: Annotated[bool, typer.Option(
        "--explain-priors", is_eager=True, callback=_explain_priors, help="Print the priors and stop.")] = False,
    forecast: Annotated[
        bool, typer.Option("--forecast", help="Draw each state's entry from `foedus forecast` (needs --data-dir).")
    ] = False,
    data_dir: Annotated[Path | None, typer.Option(help="Reference CSVs for --forecast.")] = None,
) -> None:
    """Monte Carlo of the cascade, each obligation honoured with a probability; or, with --forecast, of the forecast.

    Example: foedus simulate --target PRK --attacker KOR --on 2025-03-01 --draws 100000 --seed 7
    Example: foedus simulate --forecast --target KOR --attacker PRK --on 1950-06-25 --data-dir ../shared/data
    """
    from . import render_war
    from .cascade import prepare
    from .engine import make_event
    from .reliability import load_overrides
    from .reliability import simulate as run_simulation
    from .store import active_corpus

    limits.draws(draws)
    limits.seed(seed)
    if forecast:
        from .cli_forecast import simulate_forecast

        event = make_event(target, attacker, _cli()._day(on), place, act)
        sim = simulate_forecast(event, data_dir, draws, seed)
        return _cli()._emit(sim.as_json()) if as_json else _cli().console.print(render_war.simulation(sim, event))
    sc = prepare(make_event(target, attacker, _cli()._day(on), place, act), conditional=conditional)
    ov = load_overrides(overrides, active_corpus()) if overrides else None
    with scaleout.client(scheduler, _local(dask)) as client, _progress() as bar:
        task = bar.add_task("draws", total=draws) if bar else None
        sim = run_simulation(sc, draws, seed, ov, client, progress=(lambda n: bar.advance(task, n)) if bar else None)
    if as_json:
        _cli()._emit(_cli()._with_releases(sim.as_json()))
    else:
        _cli().console.print(render_war.simulation(sim, sc.event))


@app.command()
def sweep(
    on: On = None,
    years: Annotated[str | None, typer.Option(help="FIRST-LAST: sweep 1 July of every year instead.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write: .parquet or .csv.")] = Path(
        "sweep.parquet"),
    out: Annotated[Path | None, typer.Option("--out", hidden=True, help="Old name of --output.")] = None,
    conditional: Conditional = False,
    scheduler: Scheduler = None,
    dask: Dask = None,
) -> None:
    """The cascade for every ordered attacker–target pair of system members, to Parquet.

    Example: foedus sweep --on 2016-03-01 -o sweep-2016.parquet
    """
    from .sweep import check_output, parse_years, sweep_table, sweep_years, write_rows

    out = check_output(out or output)
    span = parse_years(years) if years else None
    day = _cli()._day(on) or date.today()
    with scaleout.client(scheduler, _local(dask)) as client, _progress() as bar:
        task = bar.add_task("years" if years else "wars", total=None) if bar else None

        def tick(done: int, total: int) -> None:
            if bar:
                bar.update(task, completed=done, total=total)

        if span:
            rows = sweep_years(span, out, conditional=conditional, client=client, progress=tick)
        else:
            rows = write_rows([sweep_table(day, conditional=conditional, client=client, progress=tick)], out)
    sys.stdout.write(f"wrote {rows:,} rows to {out}\n")  # plain: rich would read markup in the path
