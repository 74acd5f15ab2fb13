"""Web-facing commands: ``foedus serve`` (the API and the page) and ``foedus network``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from . import limits
from .cli import _day, _emit, console
from .errors import FoedusError


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the JSON API (/api, spec at /api/openapi.json) and the page (/) on localhost.

    Example: foedus serve --host 127.0.0.1 --port 8000
    """
    import socket

    import uvicorn

    from .api import create_app

    limits.port(port)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except (OSError, UnicodeError) as exc:  # a busy port, a host that is not this machine's, a bad name
        raise FoedusError(f"cannot serve on {host}:{port} ({getattr(exc, 'strerror', None) or exc})") from None
    console.print(f"foedus: serving http://{host}:{port}/ (Ctrl-C stops)", markup=False, highlight=False)
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    server.run(sockets=[sock])


def network(
    on: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with layout positions, as the API does.")] = False,
) -> None:
    """The alliance network on a date: each pair of states bound by obligations in force, its strongest
    class and the treaties; --json adds the layout.

    Example: foedus network --on 2025-03-01
    """
    from .network import network as alliance_network

    doc = alliance_network(_day(on) or date.today()).as_json()
    if as_json:
        _emit(doc)
        return
    from rich.table import Table

    names = {n["id"]: n["name"] for n in doc["nodes"]}
    table = Table(title=f"alliance network on {doc['on']}: {len(doc['nodes'])} states, {len(doc['edges'])} ties")
    for col in ("state", "state", "strongest", "treaties"):
        table.add_column(col, overflow="fold")
    for e in doc["edges"]:
        table.add_row(names[e["source"]], names[e["target"]], e["strength"], ", ".join(e["treaties"]))
    console.print(table)
