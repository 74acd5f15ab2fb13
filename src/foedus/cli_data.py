"""The ``foedus data`` commands: fetch, import and inspect datasets."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .consoles import LazyConsole
from .datasets import registry
from .errors import FoedusError

app = typer.Typer(help="Fetch, import and inspect datasets (ATOP, the COW state system).", no_args_is_help=True)
console = LazyConsole()

Release = Annotated[str | None, typer.Option(help="Release: atop 5.1 (default) or 4.01; cow-states 2024 (default) or 2016.")]

if TYPE_CHECKING:
    from . import store


def _lines(records: list[store.ImportRecord]) -> str:
    return "\n".join(
        f"  {r.level}-level {r.version}: {r.file}, {r.rows} rows, imported "
        f"{r.imported_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC, sha256 {r.sha256}"
        for r in records
    )


def _checksum(text: str | None) -> dict[str, str] | str | None:
    """``--sha256``: a bare 64-digit hex digest, or ``DOWNLOAD=HEX``."""
    if text is None:
        return None
    name, sep, digest = text.rpartition("=")
    if len(digest) != 64 or any(c not in "0123456789abcdefABCDEF" for c in digest):
        raise FoedusError(f"bad --sha256 {text!r} (use HEX or FILE=HEX, with a 64-digit hex sha256)")
    return {name: digest} if sep else digest


@app.command()
def fetch(
    dataset: Annotated[str, typer.Argument(help="Dataset name: atop or cow-states.")],
    release: Release = None,
    url: Annotated[str | None, typer.Option(help="Base URL to fetch from (default: FOEDUS_MIRROR, else the publisher).")] = None,
    sha256: Annotated[str | None, typer.Option(help="Accept this sha256 of the download (HEX or FILE=HEX).")] = None,
    allow_redirects: Annotated[bool, typer.Option("--allow-redirects", help="Follow a redirect to another host.")] = False,
) -> None:
    """Download a dataset release from its publisher, verify it and keep the files foedus reads.

    The first download of a release records its sha256 (none can be pinned); later fetches verify
    against it. A COW state list is installed as the one every command uses.

    Example: foedus data fetch atop --release 5.1
    """
    from . import store
    from .datasets.download import fetch as fetch_dataset

    got = fetch_dataset(dataset, release, url, _checksum(sha256), allow_redirects=allow_redirects)
    for f in got:
        note = "downloaded" if f.downloaded else "already present"
        console.print(f"{f.file} ({f.dataset} {f.release}): {note} -> {f.path}", soft_wrap=True)
    first = got[0]
    if first.recorded:
        how = "as given with --sha256" if sha256 else "at this first download"
        console.print(f"sha256 {first.sha256} of the download recorded {how} (not pinned); "
                      f"later fetches verify against it", soft_wrap=True)
    if first.dataset == "cow-states":
        console.print(_lines([store.import_cow_states(first.path)]) + "\n  (installed: every command now uses it)",
                      soft_wrap=True)
    else:
        console.print(f"next: foedus data import {first.dataset} --release {first.release}", soft_wrap=True)


@app.command("import")
def import_(
    dataset: Annotated[str, typer.Argument(help="Dataset name: atop or cow-states.")],
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Files you downloaded: ATOP's zip, or its alliance- and member-level CSVs (and optionally the "
             "directed dyad-year CSV); the COW list's zip or CSV. Default: the fetched release.")] = None,
    release: Release = None,
    allow_partial: Annotated[bool, typer.Option(
        "--allow-partial", help="Import ATOP files whose alliances and members do not fully agree.")] = False,
) -> None:
    """Load dataset files into the local store, in one transaction; works offline.

    Example: foedus data import atop "atop_5.1__.csv_.zip"
    """
    from . import store

    console.print(_lines(store.import_dataset(dataset, paths or [], release, allow_partial)), soft_wrap=True)


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show what is loaded in the local store: dataset, version, rows, when, checksum.

    Example: foedus data status
    """
    from . import states, store

    records = store.imports()
    recorded = store.downloads()
    lines = [f"store {store.store_path()}:"]
    for name, dataset in registry.DATASETS.items():
        mine = [r for r in records if r.dataset == name]
        lines.append(f"{name} ({dataset.title}): " + ("" if mine else
                     f"not imported; run `foedus data fetch {name}`" + ("" if name == "cow-states" else
                                                                        f", then `foedus data import {name}`")))
        if mine:
            lines.append(_lines(mine))
        elif name == "cow-states" and states.installed() is not None:
            listed = states.installed()
            lines[-1] = (f"{name} ({dataset.title}): v{listed.version} at {states.cow_states_path()}, {listed.rows} rows, "
                         f"not recorded in the store (record it with `foedus data import cow-states PATH`)")
        for d in (d for d in recorded if d.dataset == name):
            lines.append(f"  download {d.release}: {d.file}, {d.bytes:,} bytes, sha256 {d.sha256}, recorded at its "
                         f"first download {d.recorded_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC (not pinned)")
        if name == "atop":
            for version in dataset.releases:
                ddyr = dataset.path(version, "ddyr")
                if ddyr.exists():
                    lines.append(f"  directed dyad-year file {version}: {ddyr}")
    if as_json:
        doc = {"store": str(store.store_path()),
               "imports": [{**asdict(r), "imported_at": r.imported_at.astimezone(UTC).isoformat()} for r in records],
               "downloads": [{**asdict(d), "recorded_at": d.recorded_at.astimezone(UTC).isoformat()} for d in recorded]}
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return
    console.print("\n".join(lines), soft_wrap=True)


@app.command()
def compare(
    dataset: Annotated[str, typer.Argument(help="atop or cow-states.")],
    old: Annotated[str, typer.Argument(help="The older release, fetched or imported (atop 4.01; cow-states 2016).")],
    new: Annotated[str, typer.Argument(help="The newer release (atop 5.1; cow-states 2024).")],
    on: Annotated[str | None, typer.Option(help="COW: the day membership answers are compared (default: today).")] = None,
) -> None:
    """What changes between two releases: ATOP alliances, memberships and dyad-years; COW membership answers.

    Example: foedus data compare atop 4.01 5.1
    """
    from datetime import date

    from .datasets import release_diff

    ds = registry.get(dataset)
    if ds.name == "atop":
        files = [tuple(_need(ds.path(v, role)) for role in ("alliance", "member")) for v in (old, new)]
        through = min(ds.release(v).coverage[1] for v in (old, new))
        counts = release_diff.atop_releases(files[0], files[1], through)
        console.print(f"ATOP {old} -> {new} (dyad-years to {through}):\n"
                      + "\n".join("  " + c.line(unit) for unit, c in counts.items()), soft_wrap=True)
        return
    day = date.fromisoformat(on) if on else date.today()
    result = release_diff.cow_lists(_need(ds.path(old, "states")), _need(ds.path(new, "states")), day)
    console.print(f"COW state list v{old} -> v{new}: {result['states']} states, spells differ for "
                  f"{result['spells differ']}; membership on {day} changes for {result['membership answers change']}"
                  + (f" (COW {', '.join(map(str, result['of which']))})" if result["of which"] else ""),
                  soft_wrap=True)


def _need(path: Path) -> Path:
    if not path.is_file():
        raise FoedusError(f"{path}: not found; fetch or import that release first")
    return path
