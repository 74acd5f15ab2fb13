"""Web-facing commands: ``foedus serve`` (the API and the page) and ``foedus network``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from .cli import _day, _emit, console


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the JSON API (/api, spec at /api/openapi.json) and the page (/) on localhost.

    Example: foedus serve --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from .api import create_app

    console.print(f"foedus: serving http://{host}:{port}/ (Ctrl-C stops)", markup=False, highlight=False)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")


def network(
    on: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Print the alliance network on a date as JSON: states, obligations in force, layout.

    Example: foedus network --on 2025-03-01
    """
    from .network import network as alliance_network

    _emit(alliance_network(_day(on) or date.today()).as_json())
