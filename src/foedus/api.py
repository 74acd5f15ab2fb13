"""The REST API and the page: thin routes over the library functions the CLI uses.

Each JSON body is the document the matching CLI command prints with ``--json``, plus a
``meta`` key naming the foedus version and the sources of the treaties the answer rests
on (as datasette does). User errors come back as 4xx ``{"error": "..."}``.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from anyio import to_thread

from fastapi import FastAPI, Query, Request
from fastapi import Path as FPath
from fastapi.encoders import jsonable_encoder
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__, places, states, store
from .cascade import cascade
from .compare import compare
from .corpus.loader import Corpus
from .engine import assess
from .errors import FoedusError, StoreBusyError, UnknownTreatyError
from .model import Act, Day, Kind
from .network import alliance_graph, network, owed_by
from .strength import RUBRIC

MAX_BODY_BYTES = 64 * 1024  # a scenario is a few hundred bytes; anything near this is abuse
NETWORKS_KEPT = 64  # /api/network answers kept per server (about 0.5 MB each at most)
RETRY_AFTER = "2"  # seconds, for a store locked by an import
# the page loads only its own script, style and API; nothing may frame it
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
     b"frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
ABOUT = ("foedus: alliance treaties coded from their texts; each treaty names its sources. "
         "Check the quoted article before relying on an answer.")


class ErrorBody(BaseModel):
    """A user error: one line saying what and where."""

    error: str


class Scenario(BaseModel):
    """An attack to assess: who attacks whom, where, when, and how."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(min_length=1, max_length=200, examples=["North Korea"],
                        description="The attacked state: name, ISO3, COW number or abbreviation.")
    attackers: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default=[], max_length=20, examples=[["South Korea"]])
    on: Day | None = Field(default=None, description="YYYY-MM-DD (default: today); a number is not a date.")
    place: str | None = Field(default=None, max_length=200, description="A named place (see /api/places).")
    act: Act = Act.ARMED_ATTACK


class CascadeScenario(Scenario):
    """An attack whose war is grown round by round to its fixed point."""

    conditional: bool = Field(default=False, description="Let conditional findings bring states in too.")


ERRORS = {400: {"model": ErrorBody}, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}}


def _meta(corpus: Corpus, treaty_ids: Iterable[str]) -> dict:
    """Version and sources for the treaties an answer rests on."""
    sources = []
    for tid in sorted(set(treaty_ids)):
        t = corpus.treaties.get(tid)
        for s in t.sources if t else ():
            sources.append({"treaty": tid, "citation": s.citation, "url": s.url})
    return {"foedus_version": __version__, "about": ABOUT, "sources": sources, "releases": store.releases()}


class LeanJSON(JSONResponse):
    """JSON without re-encoding: the routes hand over documents that are already JSON types
    (the library's ``as_json``), so FastAPI's ``jsonable_encoder`` pass is skipped, and the text
    is compact."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return LeanJSON({"error": message}, status_code=status, headers=headers)


class Bounded:
    """A small least-recently-used map, safe across the server's threads."""

    def __init__(self, size: int) -> None:
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key: object, make: Callable[[], bytes]) -> bytes:
        """The value kept for ``key``, else ``make()`` (kept, evicting the least recently used)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def _validation_message(exc: RequestValidationError) -> str:
    err = exc.errors()[0]
    if err.get("type") == "json_invalid":
        return f"malformed JSON body at character {err['loc'][-1]}: {err.get('ctx', {}).get('error', 'invalid')}"
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
    return f"{where}: {err.get('msg', 'invalid')}"


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 and a JSON error, whether it
    announces its length or streams in chunks."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = f"request body too large (limit {self.limit} bytes)"
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdecimal() and int(declared) > self.limit:
            return await _error(413, message)(scope, receive, send)
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            msg = await receive()
            seen += len(msg.get("body", b""))
            if seen > self.limit:  # FastAPI passes HTTP errors raised while reading the body on
                raise StarletteHTTPException(413, detail=message)
            return msg

        await self.app(scope, counting_receive, send)


class Guard:
    """ASGI middleware: security headers on every answer, and, when ``hosts`` is given, a 400 for
    a request whose Host header names another host (a DNS-rebinding page reaching a loopback server)."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str] | None) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        if self.hosts is not None and _host(Headers(scope=scope).get("host", "")) not in self.hosts:
            return await _error(400, "unexpected Host header (this server answers only its own address)")(
                scope, receive, with_headers)
        await self.app(scope, receive, with_headers)


def _host(header: str) -> str:
    """The host of a Host header, lowercased, without its port (IPv6 literals keep their brackets)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header.split("]", 1)[0] + "]"
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host header values a server bound to ``host`` accepts: that address, and for a loopback
    bind also ``localhost`` and the other loopback spellings (each with or without the port)."""
    names = {host.lower()}
    if host in ("127.0.0.1", "localhost", "::1", "[::1]"):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    if ":" in host and not host.startswith("["):
        names.add(f"[{host.lower()}]")
    return frozenset(names)


def create_app(corpus: Corpus | None = None, hosts: frozenset[str] | None = None) -> FastAPI:
    """The FastAPI app serving the JSON API under /api and the page at /.

    ``hosts``: the Host header values to accept (see :func:`allowed_hosts`); None accepts any.
    The quick routes are plain functions (run in the server's thread pool): measured at 16
    concurrent clients on a busy 2-core machine they served three times the requests of the same
    routes run on the event loop. The ones that can compile (network, cascade, compare) hand their
    work to a worker thread from ``async`` routes.
    """
    def active() -> Corpus:  # the store's corpus is re-read when an import changes it
        return corpus if corpus is not None else store.active_corpus()

    networks = Bounded(NETWORKS_KEPT)

    def network_body(day: date) -> bytes:
        """The encoded network answer of ``day``, kept in ``networks``."""
        c = active()

        def encode() -> bytes:
            doc = network(day, c).as_json()
            return LeanJSON({**doc, "meta": _meta(c, (t for e in doc["edges"] for t in e["treaties"]))}).body

        return networks.get((getattr(c, "digest", None) or id(c), day), encode)  # the store's corpus has a digest

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        """Lay out today's network while the server starts: the page asks for it first."""

        def warm() -> None:
            try:
                network_body(date.today())
            except FoedusError:  # a store that cannot be read: the page's request reports it
                pass

        threading.Thread(target=warm, name="warm-network", daemon=True).start()
        yield
    app = FastAPI(
        title="foedus",
        version=__version__,
        description="Who is bound to help whom when a state is attacked, how strongly, by which article.",
        docs_url=None,  # the interactive docs pull scripts from a CDN; the page works offline
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(GZipMiddleware, minimum_size=65536, compresslevel=5)  # the big ones: a network of 0.5 MB -> 60 KB
    app.add_middleware(Guard, hosts=hosts)

    @app.exception_handler(StoreBusyError)
    async def _busy(_: Request, exc: StoreBusyError) -> JSONResponse:
        return _error(503, str(exc), {"Retry-After": RETRY_AFTER})

    @app.exception_handler(FoedusError)
    async def _foedus_error(_: Request, exc: FoedusError) -> JSONResponse:
        return _error(404 if isinstance(exc, UnknownTreatyError) else 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail), exc.headers)  # keeps Allow on a 405

    @app.get("/api/meta", tags=["about"])
    def meta() -> Response:
        """Version and the corpus's size (each answer names its own treaties' sources)."""
        c = active()
        return LeanJSON({"treaties": len(c), "strength_rubric": "/api/strength", "meta": _meta(c, ())})

    @app.get("/api/states/{query}", tags=["states"], responses=ERRORS)
    def state(query: Annotated[str, FPath(max_length=200, description="A name or code.")]) -> Response:
        """Resolve a state name or code (as `foedus state`)."""
        return LeanJSON({**states.resolve(query).as_json(), "meta": _meta(active(), ())})

    @app.get("/api/places", tags=["states"])
    def place_list() -> Response:
        """The gazetteer of named places an attack can land on."""
        return LeanJSON({"places": jsonable_encoder(places.gazetteer()), "meta": _meta(active(), ())})

    @app.get("/api/treaties", tags=["treaties"], responses=ERRORS)
    def treaty_list(
        party: Annotated[str | None, Query(max_length=200, description="A state that is a party.")] = None,
        on: Annotated[date | None, Query(description="In force on this date, YYYY-MM-DD.")] = None,
        source: Annotated[Literal["curated", "atop"] | None, Query(description="Where the coding comes from.")] = None,
        kind: Annotated[Kind | None, Query(description="Only treaties with an obligation of this kind.")] = None,
    ) -> Response:
        """List treaties, filtered by party, date, source and kind (as `foedus treaties --json`)."""
        pid = states.state_id(party) if party else None
        items = active().select(party=pid, on=on, source=source, kind=kind)
        return LeanJSON({"treaties": [t.summary() for t in items], "meta": _meta(active(), ())})

    @app.get("/api/treaties/{treaty_id}", tags=["treaties"], responses=ERRORS)
    def treaty(treaty_id: Annotated[str, FPath(max_length=200, description="A treaty id.")]) -> Response:
        """One treaty with its coding and articles (as `foedus show --json`)."""
        t = active().get(treaty_id)
        return LeanJSON({**t.model_dump(mode="json"), "meta": _meta(active(), [t.id])})

    @app.post("/api/assess", tags=["scenarios"], responses=ERRORS)
    def assess_scenario(s: Scenario) -> Response:
        """Who must help whom if the target is attacked (as `foedus assess --json`)."""
        result = assess(s.target, s.attackers, s.on, s.place, s.act, corpus=active())
        return LeanJSON({**result.as_json(), "meta": _meta(active(), (f.treaty for f in result.findings))})

    @app.post("/api/cascade", tags=["scenarios"], responses=ERRORS)
    async def cascade_scenario(s: CascadeScenario) -> Response:
        """The war round by round: who enters, on which side, by which finding (as `foedus cascade --json`)."""

        def run() -> dict:  # the first cascade of a date may compile its index: off the event loop
            c = cascade(s.target, s.attackers, s.on, s.place, s.act, corpus=active(), conditional=s.conditional)
            used = (f.treaty for group in (c.entries, c.conflicts) for x in group for f in x.findings)
            return {**c.as_json(), "meta": _meta(active(), used)}

        return LeanJSON(await to_thread.run_sync(run))

    @app.get("/api/compare", tags=["treaties"], responses=ERRORS)
    async def compare_treaties(
        a: Annotated[str, Query(max_length=200, description="First treaty id.")],
        b: Annotated[str | None, Query(max_length=200, description="Second treaty id (default: a).")] = None,
        on: Annotated[date | None, Query(description="Date for the first side, YYYY-MM-DD.")] = None,
        on_b: Annotated[date | None, Query(description="Date for the second side (default: on).")] = None,
    ) -> Response:
        """Two treaties, or one at two dates, side by side with a word diff (as `foedus compare --json`)."""

        def run() -> dict:  # word diffs of long articles take a while: off the event loop
            c = compare(a, b, on, on_b, corpus=active())
            return {**c.as_json(), "meta": _meta(active(), [c.a.id, c.b.id])}

        return LeanJSON(await to_thread.run_sync(run))

    @app.get("/api/network", tags=["network"], responses=ERRORS)
    async def alliance_network(
        on: Annotated[date | None, Query(description="The date, YYYY-MM-DD (default: today).")] = None,
    ) -> Response:
        """The alliance network on a date, with layout positions (as `foedus network --json`)."""
        body = await to_thread.run_sync(network_body, on or date.today())
        return Response(body, media_type="application/json")

    @app.get("/api/network/{query}", tags=["network"], responses=ERRORS)
    async def state_obligations(
        query: Annotated[str, FPath(max_length=200, description="A state: name or code.")],
        on: Annotated[date | None, Query(description="The date, YYYY-MM-DD (default: today).")] = None,
    ) -> Response:
        """Every obligation the state owes on the date (as `foedus network --state`): what the page
        lists when a state of the network is selected."""
        day, sid = on or date.today(), states.state_id(query)
        owed = owed_by(await to_thread.run_sync(alliance_graph, day, active()), sid)
        return LeanJSON({"state": sid, "on": day.isoformat(), "owes": owed,
                         "meta": _meta(active(), (o["treaty"] for o in owed))})

    @app.get("/api/strength", tags=["about"])
    def strength_rubric() -> Response:
        """The strength rubric every obligation is classed by."""
        return LeanJSON({"rubric": [{"class": s.label, "rank": int(s), "meaning": m, "rule": r} for s, m, r in RUBRIC],
                         "meta": _meta(active(), ())})

    web = Path(str(resources.files("foedus").joinpath("web")))

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(web / "index.html")

    app.mount("/static", StaticFiles(directory=web), name="static")
    return app
