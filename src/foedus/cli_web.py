"""Web-facing commands: ``foedus serve`` (the API and the page) and ``foedus network``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from . import limits
from .cli import _day, _emit, console
from .errors import FoedusError

# Past MAX_CONNECTIONS open connections and requests in flight, a request gets 503 at once rather
# than waiting; an idle keep-alive connection is closed after KEEP_ALIVE_SECONDS, so idle clients
# cannot hold every slot for long.
MAX_CONNECTIONS = 256
KEEP_ALIVE_SECONDS = 5
BACKLOG = 512


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the JSON API (/api, spec at /api/openapi.json) and the page (/) on localhost.

    Example: foedus serve --host 127.0.0.1 --port 8000
    """
    import socket
    import sys

    import uvicorn
    from threadpoolctl import threadpool_limits

    from .api import allowed_hosts, create_app

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
    # numpy's BLAS on one thread: the server runs requests side by side, and BLAS threads spinning
    # beside them on a busy 2-core machine cost 30 times the CPU of a layout's small matrices
    threadpool_limits(1)
    # a thread laying out a network hands the interpreter over every millisecond rather than every
    # five, so quick answers on the event loop do not queue behind it
    sys.setswitchinterval(0.001)
    server = uvicorn.Server(uvicorn.Config(
        create_app(hosts=allowed_hosts(host, port)), log_level="warning", access_log=False,
        limit_concurrency=MAX_CONNECTIONS, timeout_keep_alive=KEEP_ALIVE_SECONDS, backlog=BACKLOG))
    server.run(sockets=[sock])


def network(
    on: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with layout positions, as the API does.")] = False,
    state: Annotated[str | None, typer.Option(help="Print only what this state owes on the date.")] = None,
) -> None:
    """The alliance network on a date: each pair of states bound by obligations in force, its strongest
    class and the treaties; --json adds the layout; --state lists every obligation that state owes.

    Example: foedus network --on 2025-03-01
    Example: foedus network --on 2025-03-01 --state PRK
    """
    from . import states
    from .network import alliance_graph, owed_by
    from .network import network as alliance_network

    day = _day(on) or date.today()
    if state is not None:
        from . import states
        from .network import alliance_graph, owed_by

        sid = states.state_id(state)
        _emit({"state": sid, "on": day.isoformat(), "owes": owed_by(alliance_graph(day), sid)})
        return
    doc = alliance_network(day).as_json()
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
