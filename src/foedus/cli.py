"""The ``foedus`` command line: thin commands over the library functions."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # typer vendors click

from .choices import Act, Kind
from .cli_data import app as data_app
from .cli_panel import cite, panel_app
from .cli_war import app as war_app
from .consoles import LazyConsole
from .dates import as_date
from .errors import FoedusError

# The engine, the corpus and the renderers are imported inside the commands: `foedus --help`
# and every command start without loading what they do not use.

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(war_app)  # cascade, simulate, sweep
console = LazyConsole()  # rich is imported when a command prints with it
app.add_typer(data_app, name="data")


class Origin(str, Enum):
    """Where a treaty's coding comes from."""

    CURATED = "curated"
    ATOP = "atop"


def _day(text: str | None, what: str = "date") -> date | None:
    return as_date(text, what)


def _emit(doc: dict) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _with_releases(doc: dict) -> dict:
    """An answer's JSON with ``meta.releases``: the dataset releases it was read from."""
    from .store import releases

    return {**doc, "meta": {**doc.get("meta", {}), "releases": releases()}}


@app.command()
def assess(
    target: Annotated[str, typer.Option(help="The attacked state: name, ISO3, COW number or abbreviation.")],
    attacker: Annotated[list[str], typer.Option(help="An attacking state (repeat for several).")] = [],  # noqa: B006
    on: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
    place: Annotated[str | None, typer.Option(help="Where the attack lands (see `foedus places`).")] = None,
    act: Annotated[Act, typer.Option(help="The kind of act.", case_sensitive=False)] = Act.ARMED_ATTACK,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Who must help whom if TARGET is attacked.

    Example: foedus assess --target PRK --attacker KOR --on 2025-03-01
    """
    from . import coverage, render
    from .engine import assess as assess_event

    result = assess_event(target, attacker, _day(on), place, act)
    if not result.findings:
        coverage.require_complete(result.event.on)
    if as_json:
        _emit(_with_releases(result.as_json()))
    else:
        console.print(render.assessment(result))


@app.command()
def treaties(
    party: Annotated[str | None, typer.Option(help="Only treaties this state is party to.")] = None,
    on: Annotated[str | None, typer.Option(help="Only treaties in force on this date.")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Only treaties with an obligation of this kind.",
                                              case_sensitive=False)] = None,
    source: Annotated[Origin | None, typer.Option(help="Only curated treaties, or only ATOP alliances.",
                                                  case_sensitive=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List treaties.

    Example: foedus treaties --source atop --party RUS --on 1914-08-01
    """
    from . import coverage, render, states
    from .store import active_corpus

    pid = states.state_id(party) if party else None
    day = _day(on)
    if source is Origin.ATOP:
        coverage.require_atop()
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
    from . import render
    from .store import active_corpus

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
    from . import render
    from .compare import compare as compare_treaties
    from .store import active_corpus, corpus_paths

    c = compare_treaties(a, b, _day(on), _day(on_b), active_corpus() if corpus_paths() else None)
    if as_json:
        _emit(c.as_json())
    else:
        console.print(render.comparison(c))


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Treaty YAML files, or folders of them, to check.")],
) -> None:
    """Check treaty files with the engine's own rules; print every problem as file:line: field: problem.

    Exit 1 when any file has a problem.

    Example: foedus validate my-treaties/
    """
    from .corpus.loader import check_treaty_file

    files = [f for p in paths for f in (sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml")) if p.is_dir() else [p])]
    if not files:
        raise FoedusError(f"no .yaml files in {', '.join(map(str, paths))}")
    bad = 0
    for path in files:
        t, problems = check_treaty_file(path)
        for line in problems:
            sys.stderr.write(f"{line}\n")
        if t is None:
            bad += 1
        else:
            console.print(f"{path}: ok ({t.id}, {len(t.obligations)} obligations, {len(t.parties)} parties)",
                          markup=False, highlight=False, soft_wrap=True)
    if bad:
        raise FoedusError(f"{bad} of {len(files)} files have problems")


@app.command()
def strength(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Print the strength rubric used for every obligation.

    Example: foedus strength
    """
    from . import render

    if as_json:
        from .strength import RUBRIC

        _emit({"rubric": [{"class": s.label, "rank": int(s), "meaning": m, "rule": r} for s, m, r in RUBRIC]})
    else:
        console.print(render.rubric())


@app.command()
def places(
    query: Annotated[str | None, typer.Argument(help="One place, by name or alias.")] = None,
    on: Annotated[str | None, typer.Option(help="Administration on this date (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the named places an attack can land on, with aliases, state, administrator and region tags.

    Example: foedus places Senkaku
    """
    from . import places as gazetteer
    from . import render

    day = _day(on) or date.today()
    rows = gazetteer.listing(query, day)
    if as_json:
        _emit({"on": day.isoformat(), "places": rows})
    else:
        console.print(render.places(rows, day))


@app.command()
def state(
    query: Annotated[str, typer.Argument(help="A name or code.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Resolve a state name or code: its id, name, COW number and abbreviation, and system membership.

    Example: foedus state DPRK
    """
    from . import states

    doc = states.resolve(query).as_json()
    if as_json:
        _emit(doc)
        return
    spells = ", ".join(f"{m['start']} to {m['end'] or 'today'}" for m in doc["membership"])
    console.print(f"{doc['id']}  {doc['name']}  (COW {doc['cow'] or '—'}, {doc['cowc'] or '—'})\n"
                  f"state-system member: {spells or 'unknown (run `foedus data fetch cow-states`)'}",
                  markup=False, highlight=False, soft_wrap=True)


app.add_typer(panel_app, name="panel")
app.command()(cite)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"foedus {__version__}\n")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_version,
                                          help="Print the version and exit.")] = False,
    corpus: Annotated[list[Path], typer.Option(
        "--corpus", envvar="FOEDUS_CORPUS", metavar="DIR",
        help="A folder (or file) of your own treaty YAML files, used beside the bundled ones by every command "
             "(repeat for several; also FOEDUS_CORPUS, with paths joined by ':'; may follow the command name).",
    )] = [],  # noqa: B006
) -> None:
    """Who is bound to help whom when a state is attacked: alliance treaties, coded and queryable."""
    if corpus:
        from .store import use_corpus

        use_corpus(corpus)


def _global_options_first(args: list[str]) -> list[str]:
    """``args`` with ``--corpus DIR`` moved before the command name, so it may be given after it too."""
    moved: list[str] = []
    rest: list[str] = []
    it = iter(args)
    for a in it:
        if a == "--":
            rest += [a, *it]
        elif a == "--corpus":
            moved += [a, next(it, "")]
        elif a.startswith("--corpus="):
            moved.append(a)
        else:
            rest.append(a)
    return moved + rest


def _fail(message: str, code: int = 1) -> int:
    sys.stderr.write(f"foedus: error: {' '.join(message.split())}\n")
    return code


def run(args: list[str]) -> int:
    """Run the app on ``args`` and return its exit status; user and usage errors become one line and status 1."""
    args = _global_options_first(args)
    try:
        from .cli_select import selected  # typer builds only the command the arguments name

        return _exit_code(selected(app, args)(args=args, prog_name="foedus", standalone_mode=False))
    except NoArgsIsHelpError as exc:
        sys.stdout.write(exc.ctx.get_help() + "\n")
        return 0
    except UsageError as exc:
        where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        return _fail(f"{exc.format_message()}{where}")
    except typer.TyperException as exc:
        return _fail(exc.format_message())
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted", 130)
    except FoedusError as exc:
        return _fail(str(exc))
    except SystemExit as exc:
        return _exit_code(exc.code)


def main(args: list[str] | None = None) -> None:
    """Entry point: run the app and exit with its status.

    Once the output is flushed the process ends with ``os._exit``: the interpreter's teardown
    (freeing every module and object one by one) takes longer than many commands' work.
    """
    code = run(list(sys.argv[1:] if args is None else args))
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed
        code = code or 1
    os._exit(code)


def _exit_code(code: object) -> int:
    """The status ``sys.exit(code)`` would give: None is 0, an int is itself, else print it and 1."""
    if code is None or isinstance(code, int):
        return code or 0
    sys.stderr.write(f"{code}\n")
    return 1


from . import cli_web  # noqa: E402  (its commands reuse the helpers above)

app.command()(cli_web.serve)
app.command()(cli_web.network)

from . import cli_draft  # noqa: E402  (foedus draft: text in, draft coding out)

app.command()(cli_draft.draft)

from .cli_treaty import new_treaty  # noqa: E402

app.command("new-treaty")(new_treaty)

from . import cli_forecast  # noqa: E402  (forecast and backtest)

app.command()(cli_forecast.forecast)
app.command()(cli_forecast.backtest)
