"""``foedus panel`` (dyad-year and state-year panels) and ``foedus cite``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import citations
from .errors import FoedusError
from .outputs import check_target

if TYPE_CHECKING:
    from .panel import Panel

# foedus.panel (polars, pandas, pyarrow) is imported inside the commands, so other commands start fast.

panel_app = typer.Typer(help="Build research panels (dyad-years, state-years) with ATOP alliance data.",
                        no_args_is_help=True)

Years = Annotated[str | None, typer.Option(help="FIRST-LAST or one year (default: all the COW list's years).")]
Output = Annotated[Path, typer.Option("--output", "-o", help="Output file: .parquet, .csv or .dta.")]
StatesFile = Annotated[Path | None, typer.Option(help="A COW state list CSV (default: the installed one).")]
AtopFile = Annotated[Path | None, typer.Option(
    help="ATOP file: the 5.1 directed dyad-year CSV, or the 4.01 member-level CSV (default: the store's release).")]
AtopVersion = Annotated[str | None, typer.Option(
    help="ATOP release: 5.1 (dyad-year file) or 4.01 (member-level file); default: the one imported.")]
NoAlliances = Annotated[bool, typer.Option("--no-alliances", help="Leave out the ATOP columns.")]
Majors = Annotated[Path | None, typer.Option(
    "--cow-majors", help="COW major powers CSV (majors2016.csv): add cowmaj (cowmaj1, cowmaj2 for dyads).")]
Wars = Annotated[Path | None, typer.Option(
    "--cow-wars", help="COW inter-state war dyad-year CSV (peacesciencer's): add cowinterongoing, cowinteronset ...")]
Mids = Annotated[Path | None, typer.Option(
    "--gml-mids", help="GML MID participant CSV (peacesciencer's gml_part): add gmlmidongoing, gmlmidonset ...")]


def _measures(text: str | None) -> tuple[str, ...]:
    return tuple(m.strip().lower() for m in text.split(",") if m.strip()) if text else ()


def _addons(result: Panel, majors: Path | None, wars: Path | None, mids: Path | None = None) -> Panel:
    from .panel_addons import add_cow_majors, add_cow_wars, add_gml_mids

    result = add_cow_majors(result, majors) if majors else result
    result = add_cow_wars(result, wars) if wars else result
    return add_gml_mids(result, mids) if mids else result


def _done(result: Panel, output: Path) -> None:
    path = result.write(output)  # plain lines, not rich's: a path may hold "[b]" or ":x:", which rich would render
    sys.stderr.write(f"wrote {result.frame.height:,} {result.unit}s x {result.frame.width} columns to {path}\n"
                     f"releases: {result.release_text()}; cite with: foedus cite {' '.join(result.sources)}\n")


@panel_app.command("dyad-years")
def dyad_years(
    output: Output,
    years: Years = None,
    directed: Annotated[bool, typer.Option("--directed/--non-directed", help=(
        "Directed: both (a, b) and (b, a), as peacesciencer and create_dyad_years(); --non-directed: a < b only."))] = True,
    similarity: Annotated[str | None, typer.Option(help="Comma-separated: s, kappa, pi, tau-b.")] = None,
    ties: Annotated[str, typer.Option(help="Portfolio ties: valued (ATOP 0-3) or binary.")] = "valued",
    distance: Annotated[str, typer.Option(help="absolute or squared (S, kappa, pi).")] = "absolute",
    capabilities: Annotated[Path | None, typer.Option(help="CSV with ccode, year, cinc: weights S.")] = None,
    no_alliances: NoAlliances = False,
    states_file: StatesFile = None,
    atop_file: AtopFile = None,
    atop_version: AtopVersion = None,
    cow_majors: Majors = None,
    cow_wars: Wars = None,
    gml_mids: Mids = None,
) -> None:
    """Write a dyad-year panel with ATOP obligation flags and portfolio similarity.

    Example: foedus panel dyad-years --years 1816-2016 --directed --similarity s,kappa,pi,tau-b -o dyads.parquet
    """
    from . import panel

    check_target(output, panel.FORMATS)
    caps = panel.read_capabilities(capabilities) if capabilities else None
    result = panel.dyad_year_panel(panel.parse_years(years), directed, not no_alliances, _measures(similarity),
                                   ties, distance, caps, states_file=states_file, atop_file=atop_file,
                                   atop_version=atop_version)
    _done(_addons(result, cow_majors, cow_wars, gml_mids), output)


@panel_app.command("state-years")
def state_years(
    output: Output,
    years: Years = None,
    no_alliances: NoAlliances = False,
    states_file: StatesFile = None,
    atop_file: AtopFile = None,
    atop_version: AtopVersion = None,
    cow_majors: Majors = None,
) -> None:
    """Write a state-year panel with counts of ATOP allies and defence partners.

    Example: foedus panel state-years --years 1946-2016 -o states.csv
    """
    from . import panel

    check_target(output, panel.FORMATS)
    result = panel.state_year_panel(panel.parse_years(years), not no_alliances, states_file, atop_file, atop_version)
    _done(_addons(result, cow_majors, None), output)


def cite(
    keys: Annotated[list[str] | None, typer.Argument(help="Citation keys (default: all); see --list.")] = None,
    panel_file: Annotated[Path | None, typer.Option("--panel", help="A .parquet or .dta panel: cite what it used.")] = None,
    list_keys: Annotated[bool, typer.Option("--list", help="List the keys and what each cites.")] = False,
) -> None:
    """Print BibTeX for the datasets and measures a panel used.

    Example: foedus cite --panel dyads.parquet
    """
    from .panel import panel_releases, panel_sources

    if list_keys:
        sys.stdout.write("".join(f"{k}\t{d}\n" for k, d in citations.DESCRIPTIONS.items()))
        return
    if keys and panel_file:
        raise FoedusError("give citation keys or --panel, not both")
    if panel_file and panel_releases(panel_file):
        sys.stdout.write(f"% releases used by {panel_file.name}: {panel_releases(panel_file)}\n\n")
    sys.stdout.write(citations.bibtex(panel_sources(panel_file) if panel_file else tuple(keys or ())))
