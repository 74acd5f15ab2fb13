"""The ``foedus`` command line: thin commands over the library functions."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import render, states
from .cli_data import app as data_app
from .cli_panel import cite, panel_app
from .cli_war import app as war_app
from .compare import compare as compare_treaties
from .corpus.loader import load_treaty_file
from .engine import assess as assess_event
from .errors import FoedusError
from .model import Act, Kind
from .store import active_corpus

app = typer.Typer(
    help="Who is bound to help whom when a state is attacked: alliance treaties, coded and queryable.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(war_app)  # cascade, simulate, sweep
console = Console()
app.add_typer(data_app, name="data")


class Origin(str, Enum):
    """Where a treaty's coding comes from."""

    CURATED = "curated"
    ATOP = "atop"


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FoedusError(f"bad date: {text!r} (use YYYY-MM-DD)") from None


def _emit(doc: dict) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


@app.command()
def assess(
    target: Annotated[str, typer.Option(help="The attacked state: name, ISO3, COW number or abbreviation.")],
    attacker: Annotated[list[str], typer.Option(help="An attacking state (repeat for several).")] = [],  # noqa: B006
    on: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
    place: Annotated[str | None, typer.Option(help="Where the attack lands (see `foedus places`).")] = None,
    act: Annotated[Act, typer.Option(help="The kind of act.")] = Act.ARMED_ATTACK,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Who must help whom if TARGET is attacked.

    Example: foedus assess --target PRK --attacker KOR --on 2025-03-01
    """
    result = assess_event(target, attacker, _day(on), place, act)
    if as_json:
        _emit(result.as_json())
    else:
        console.print(render.assessment(result))


@app.command()
def treaties(
    party: Annotated[str | None, typer.Option(help="Only treaties this state is party to.")] = None,
    on: Annotated[str | None, typer.Option(help="Only treaties in force on this date.")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Only treaties with an obligation of this kind.")] = None,
    source: Annotated[Origin | None, typer.Option(help="Only curated treaties, or only ATOP alliances.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List treaties.

    Example: foedus treaties --source atop --party RUS --on 1914-08-01
    """
    pid = states.state_id(party) if party else None
    day = _day(on)
    items = active_corpus().select(party=pid, on=day, kind=kind, source=source.value if source else None)
    if as_json:
        _emit({"treaties": [t.summary() for t in items]})
    else:
        console.print(render.treaties(items, day))


@app.command()
def show(
    treaty_id: Annotated[str, typer.Argument(help="A treaty id, e.g. rus-prk-2024.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the coding as JSON.")] = False,
) -> None:
    """Show one treaty with its coding and articles.

    Example: foedus show rus-prk-2024
    """
    t = active_corpus().get(treaty_id)
    if as_json:
        _emit(t.model_dump(mode="json"))
    else:
        console.print(render.treaty(t))


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="First treaty id.")],
    b: Annotated[
        str | None, typer.Argument(help="Second treaty id (default: the first, to compare over time).")
    ] = None,
    on: Annotated[
        str | None, typer.Option(help="Date for the first side: obligations and members in force then.")
    ] = None,
    on_b: Annotated[str | None, typer.Option(help="Date for the second side (default: --on).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compare two treaties, or one treaty at two dates, obligation by obligation, with a word diff.

    Example: foedus compare rus-prk-2024 sun-prk-1961
    Example: foedus compare nato-1949 --on 1950-01-01 --on-b 2024-06-01
    """
    c = compare_treaties(a, b, _day(on), _day(on_b))
    if as_json:
        _emit(c.as_json())
    else:
        console.print(render.comparison(c))


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Treaty YAML files to check.")],
) -> None:
    """Check treaty files against the model; print file:line: field: problem on the first error.

    Example: foedus validate my-treaty.yaml
    """
    for path in paths:
        t = load_treaty_file(path)
        console.print(f"{path}: ok ({t.id}, {len(t.obligations)} obligations, {len(t.parties)} parties)")


@app.command()
def strength() -> None:
    """Print the strength rubric used for every obligation.

    Example: foedus strength
    """
    console.print(render.rubric())


@app.command()
def state(query: Annotated[str, typer.Argument(help="A name or code.")]) -> None:
    """Resolve a state name or code.

    Example: foedus state DPRK
    """
    _emit(states.resolve(query).as_json())


app.add_typer(panel_app, name="panel")
app.command()(cite)


def main() -> None:
    """Entry point: run the app, turning user errors into one line and exit code 1."""
    try:
        app()
    except FoedusError as exc:
        sys.stderr.write(f"foedus: error: {exc}\n")
        sys.exit(1)


from . import cli_web  # noqa: E402  (its commands reuse the helpers above)

app.command()(cli_web.serve)
app.command()(cli_web.network)

from . import cli_forecast  # noqa: E402  (forecast and backtest)

app.command()(cli_forecast.forecast)
app.command()(cli_forecast.backtest)
