"""Web-facing commands: ``foedus serve`` (the API and the page) and ``foedus network``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from .cli import _day, _emit, console

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
    import uvicorn

    from .api import allowed_hosts, create_app

    console.print(f"foedus: serving http://{host}:{port}/ (Ctrl-C stops)", markup=False, highlight=False)
    uvicorn.run(create_app(hosts=allowed_hosts(host, port)), host=host, port=port, log_level="warning",
                limit_concurrency=MAX_CONNECTIONS, timeout_keep_alive=KEEP_ALIVE_SECONDS, backlog=BACKLOG)


def network(
    on: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
    state: Annotated[str | None, typer.Option(help="Print only what this state owes on the date.")] = None,
) -> None:
    """Print the alliance network on a date as JSON: states, bound pairs, layout (or, with
    --state, every obligation that state owes).

    Example: foedus network --on 2025-03-01
    Example: foedus network --on 2025-03-01 --state PRK
    """
    from . import states
    from .network import alliance_graph, owed_by
    from .network import network as alliance_network

    day = _day(on) or date.today()
    if state is None:
        _emit(alliance_network(day).as_json())
    else:
        sid = states.state_id(state)
        _emit({"state": sid, "on": day.isoformat(), "owes": owed_by(alliance_graph(day), sid)})
