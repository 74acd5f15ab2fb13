"""The ``foedus data`` commands: fetch, import and inspect datasets."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import store
from .datasets.download import fetch as fetch_dataset
from .errors import FoedusError


def _lines(records: list[store.ImportRecord]) -> str:
    return "\n".join(
        f"{r.dataset} {r.level}-level {r.version}: {r.file}, {r.rows} rows, imported "
        f"{r.imported_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC, sha256 {r.sha256}"
        for r in records
    )


app = typer.Typer(help="Fetch, import and inspect datasets (ATOP, the COW state system).", no_args_is_help=True)
console = Console()


def _checksums(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        name, sep, digest = p.partition("=")
        if not sep or len(digest) != 64:
            raise FoedusError(f"bad --sha256 {p!r} (use FILE=HEX, with a 64-digit hex sha256)")
        out[name] = digest
    return out


@app.command()
def fetch(
    dataset: Annotated[str, typer.Argument(help="Dataset name: atop or cow-states.")],
    url: Annotated[
        str | None, typer.Option(help="Base URL to fetch from (default: FOEDUS_MIRROR, else the publisher).")
    ] = None,
    sha256: Annotated[list[str], typer.Option(help="Accept FILE=HEX instead of the pinned checksum.")] = [],  # noqa: B006
) -> None:
    """Download a dataset into the user data directory, verifying pinned checksums.

    Example: foedus data fetch atop
    """
    for f in fetch_dataset(dataset, url, _checksums(sha256)):
        console.print(
            f"{f.file}: {'downloaded' if f.downloaded else 'already present'}, sha256 {f.sha256} -> {f.path}",
            soft_wrap=True,
        )


@app.command("import")
def import_(
    dataset: Annotated[str, typer.Argument(help="Dataset name: atop.")],
    paths: Annotated[
        list[Path] | None, typer.Argument(help="The alliance- and member-level files (default: the fetched ones).")
    ] = None,
) -> None:
    """Load dataset files into the local store, in one transaction.

    Example: foedus data import atop atop5_1a.csv atop5_1m.csv
    """
    console.print(_lines(store.import_dataset(dataset, paths or [])), soft_wrap=True)


@app.command()
def status() -> None:
    """Show what is loaded in the local store: dataset, version, rows, when, checksum.

    Example: foedus data status
    """
    records = store.imports()
    console.print(
        f"store {store.store_path()}:\n" + _lines(records)
        if records
        else "Nothing imported; run `foedus data fetch atop`, then `foedus data import atop`.",
        soft_wrap=True,
    )
