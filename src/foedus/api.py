"""The REST API and the page: thin routes over the library functions the CLI uses.

Each JSON body is the document the matching CLI command prints with ``--json``, plus a
``meta`` key naming the foedus version and the sources of the treaties the answer rests
on (as datasette does). User errors come back as 4xx ``{"error": "..."}``.
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import mimetypes
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from datetime import date
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import networkx as nx
from anyio import to_thread
from fastapi import FastAPI, Query, Request
from fastapi import Path as FPath
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from threadpoolctl import threadpool_limits

from . import __version__, disk_cache, places, states, store
from .cascade import cascade
from .compare import compare
from .corpus.loader import Corpus
from .disk_cache import PACKAGE
from .engine import assess
from .errors import FoedusError, StoreBusyError, UnknownTreatyError
from .model import Act, Day, Kind
from .network import alliance_graph, network, owed_by
from .strength import RUBRIC

MAX_BODY_BYTES = 64 * 1024  # a scenario is a few hundred bytes; anything near this is abuse
NETWORKS_KEPT = 64  # /api/network answers kept per server (about 0.5 MB each at most, 60 KB gzipped)
GRAPHS_KEPT = 8  # alliance graphs kept, with every obligation on their edges (up to about 10 MB each)
ANSWERS_KEPT = 256  # other answers kept (assessments, cascades, comparisons, lists; most a few KB)
NETWORKS_ON_DISK = 64  # network answers kept in the data directory's cache, per store state and date
GZIP_FROM = 65536  # bodies this large are kept gzipped as well, for clients that accept it
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
        return _dumps(content)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return LeanJSON({"error": message}, status_code=status, headers=headers)


class Bounded:
    """A small least-recently-used map, safe across the server's threads."""

    def __init__(self, size: int) -> None:
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def find(self, key: Hashable) -> Any | None:
        """The value kept for ``key`` (now the most recently used), or None."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Hashable, value: object) -> None:
        """Keep ``value`` for ``key``, evicting the least recently used past the bound."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class Flights:
    """Answers kept in a :class:`Bounded` map and made once however many ask at the same time: the
    first request for a key starts its work (in a thread or a worker process) and every request for
    that key meanwhile waits for the same result. A kept answer is returned on the event loop,
    without a thread."""

    def __init__(self, size: int) -> None:
        self.kept, self._running = Bounded(size), {}

    async def get(self, key: Hashable, make: Callable[[], Awaitable[Any]]) -> Any:
        """The answer for ``key``: kept, being made, or made now by awaiting ``make()``."""
        value = self.kept.find(key)
        if value is not None:
            return value
        task = self._running.get(key)
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = self._running[key] = asyncio.ensure_future(make())
            task.add_done_callback(lambda done: self._finish(key, done))
        return await asyncio.shield(task)  # a client that goes away does not cancel the others' answer

    def _finish(self, key: Hashable, task: asyncio.Future) -> None:
        if self._running.get(key) is task:
            del self._running[key]
        if not task.cancelled() and task.exception() is None:  # errors are not kept: the next request retries
            self.kept.put(key, task.result())


class Body:
    """An encoded JSON answer, with its gzipped form when it is large enough to be worth it."""

    __slots__ = ("plain", "packed")

    def __init__(self, plain: bytes) -> None:
        self.plain = plain
        self.packed = gzip.compress(plain, compresslevel=5, mtime=0) if len(plain) >= GZIP_FROM else None

    def response(self, request: Request) -> Response:
        """The answer to ``request``: gzipped when the client accepts it and it is large."""
        if self.packed is not None and "gzip" in request.headers.get("accept-encoding", ""):
            return Response(self.packed, media_type="application/json",
                            headers={"content-encoding": "gzip", "vary": "Accept-Encoding"})
        headers = {"vary": "Accept-Encoding"} if self.packed is not None else None
        return Response(self.plain, media_type="application/json", headers=headers)


def _dumps(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _encode(doc: dict) -> Body:
    return Body(_dumps(doc))


def _on_disk(kind: str, digest: str | None, day: date, make: Callable[[], bytes]) -> bytes:
    """``make()``, kept in the data directory's cache under the corpus ``digest`` and ``day`` (and
    the source of the modules that shape the answer), so that a restarted server reads it back;
    without a digest (a corpus given in process), just ``make()``."""
    if digest is None:
        return make()
    modules = [PACKAGE / m for m in ("api.py", "network.py", "states.py", "strength.py")]
    path = disk_cache.cache_dir() / f"{kind}-{disk_cache.source_digest(modules, f'{__version__} {digest} {day}')}.json"
    body = disk_cache.read(path)
    if body is None:
        body = make()
        try:
            disk_cache.write(path, body, NETWORKS_ON_DISK)
        except OSError:  # a read-only data directory: make it again next time
            pass
    return body


@lru_cache(maxsize=GRAPHS_KEPT)
def _graph(corpus: Corpus, day: date) -> nx.Graph:
    """The alliance graph of ``day``, kept (the network and each state's obligations read it)."""
    return alliance_graph(day, corpus)


def network_answer(corpus: Corpus, day: date) -> Body:
    """The body of ``/api/network`` on ``day``: the laid-out network and the sources of its treaties."""
    def make() -> bytes:
        doc = network(day, corpus, _graph(corpus, day)).as_json()
        return _dumps({**doc, "meta": _meta(corpus, (t for e in doc["edges"] for t in e["treaties"]))})

    return Body(_on_disk("network", getattr(corpus, "digest", None), day, make))


def owes_answer(corpus: Corpus, query: str, day: date) -> Body:
    """The body of ``/api/network/{query}`` on ``day``: every obligation the state owes."""
    sid = states.state_id(query)
    owed = owed_by(_graph(corpus, day), sid)
    return _encode({"state": sid, "on": day.isoformat(), "owes": owed,
                    "meta": _meta(corpus, (o["treaty"] for o in owed))})


def cascade_answer(corpus: Corpus, s: CascadeScenario) -> Body:
    """The body of ``/api/cascade`` for ``s``."""
    c = cascade(s.target, s.attackers, s.on, s.place, s.act, corpus=corpus, conditional=s.conditional)
    used = (f.treaty for group in (c.entries, c.conflicts) for x in group for f in x.findings)
    return _encode({**c.as_json(), "meta": _meta(corpus, used)})


def _worker_start(user: tuple[Path, ...]) -> None:
    """A worker process's start: it ends when the server does (however the server ends, even by
    ``os._exit`` before its pools are shut down), BLAS on one thread (see `foedus serve`), and the
    corpus loaded, then set aside from the garbage collector (``gc.freeze``): a full collection
    would otherwise walk the whole corpus (85-95 ms with ATOP imported) in the middle of whichever
    request set it off, such as a network that builds 15,000 obligations."""
    server = os.getppid()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="foedus-watch-server", daemon=True).start()
    threadpool_limits(1)
    store.use_corpus(user)
    try:
        store.active_corpus()
    except FoedusError:  # a store that cannot be read now: each request reports it
        pass
    gc.freeze()


def _ready() -> None:
    """Nothing: a task whose end says a worker has started."""


def _in_worker(make: Callable[..., Body], user: tuple[Path, ...], *args: object) -> Body:
    """``make(corpus, *args)`` in a worker process, on the store's corpus with the user's treaty files."""
    store.use_corpus(user)
    return make(store.active_corpus(), *args)


class Workers:
    """Where the slow answers are made: for the store's corpus, in worker processes, each with its
    own interpreter, so that the server's event loop never waits on them for the interpreter lock
    (one for networks, one for cascades, whose first of a date compiles its index for seconds); for
    a corpus given in process, in threads."""

    LANES = ("network", "cascade")

    def __init__(self, corpus: Corpus | None) -> None:
        self.corpus, self._processes = corpus, dict.fromkeys(self.LANES)
        self._threads = ThreadPoolExecutor(len(self.LANES), thread_name_prefix="foedus-work")

    def _pool(self, lane: str) -> ProcessPoolExecutor:
        if self._processes[lane] is None:
            self._processes[lane] = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                        initializer=_worker_start, initargs=(store.corpus_paths(),))
        return self._processes[lane]

    async def start(self) -> None:
        """Start the worker processes and wait until each has loaded the corpus."""
        if self.corpus is None:
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(loop.run_in_executor(self._pool(lane), _ready) for lane in self.LANES))

    async def run(self, lane: str, make: Callable[..., Body], *args: object) -> Body:
        """``make(corpus, *args)``, made off the event loop by the worker of ``lane``."""
        loop = asyncio.get_running_loop()
        if self.corpus is not None:
            return await loop.run_in_executor(self._threads, partial(make, self.corpus, *args))
        try:
            return await loop.run_in_executor(self._pool(lane), partial(_in_worker, make, store.corpus_paths(), *args))
        except BrokenProcessPool:  # the worker died (killed, out of memory): a new one next time; now a thread
            self._processes[lane] = None
            return await loop.run_in_executor(self._threads, partial(make, store.active_corpus(), *args))

    def stop(self) -> None:
        """Drop the work still waiting and let the workers end."""
        for pool in (*self._processes.values(), self._threads):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


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
    Every JSON answer is kept, encoded (and gzipped when large), per store state and request, in
    bounded maps, and made once however many ask for it at the same time (:class:`Flights`); network
    answers are also kept on disk per corpus digest and date. A kept answer is sent from the event
    loop. One to be made is made off it: the quick ones in the server's thread pool; a date's
    network and a cascade (whose first one of a date compiles its index, seconds with ATOP) by
    :class:`Workers`, so that slow work never holds the interpreter while quick requests wait.
    """
    def active() -> Corpus:  # the store's corpus is re-read when an import changes it
        return corpus if corpus is not None else store.active_corpus()

    def state_key() -> tuple:
        """What the answers rest on, read with two stats: the corpus (the store, or the one given;
        the user's treaty folders) and the COW state list the releases name."""
        path = store.store_path()
        where = id(corpus) if corpus is not None else (str(path), _stamp(path), store.corpus_paths())
        return where, _stamp(states.cow_states_path()), date.today()

    workers = Workers(corpus)
    networks, answers = Flights(NETWORKS_KEPT), Flights(ANSWERS_KEPT)

    async def network_body(day: date) -> Body:
        """The encoded network answer of ``day``, kept."""
        return await networks.get((state_key(), day), lambda: workers.run("network", network_answer, day))

    async def answer(request: Request, key: tuple, make: Callable[[], dict]) -> Response:
        """The kept answer for ``key`` (with the store state), else ``make()``'s document encoded in
        the server's thread pool."""
        body = await answers.get((state_key(), *key), lambda: to_thread.run_sync(lambda: _encode(make())))
        return body.response(request)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        """Before answering, load the corpus and start the workers, and lay out today's network (the
        page asks for it first, and a slow request that waits behind it would be a visitor's); stop the
        workers at shutdown."""
        try:  # ready means ready
            await asyncio.gather(workers.start(), to_thread.run_sync(active))
            await network_body(date.today())
        except FoedusError:  # a store that cannot be read now: each request reports it
            pass
        yield
        workers.stop()
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
    async def meta(request: Request) -> Response:
        """Version and the corpus's size (each answer names its own treaties' sources)."""
        def make() -> dict:
            c = active()
            return {"treaties": len(c), "strength_rubric": "/api/strength", "meta": _meta(c, ())}

        return await answer(request, ("meta",), make)

    @app.get("/api/states/{query}", tags=["states"], responses=ERRORS)
    async def state(request: Request,
                    query: Annotated[str, FPath(max_length=200, description="A name or code.")]) -> Response:
        """Resolve a state name or code (as `foedus state`)."""
        return await answer(request, ("state", query),
                            lambda: {**states.resolve(query).as_json(), "meta": _meta(active(), ())})

    @app.get("/api/places", tags=["states"])
    async def place_list(request: Request) -> Response:
        """The gazetteer of named places an attack can land on."""
        return await answer(request, ("places",),
                            lambda: {"places": jsonable_encoder(places.gazetteer()), "meta": _meta(active(), ())})

    @app.get("/api/treaties", tags=["treaties"], responses=ERRORS)
    async def treaty_list(
        request: Request,
        party: Annotated[str | None, Query(max_length=200, description="A state that is a party.")] = None,
        on: Annotated[date | None, Query(description="In force on this date, YYYY-MM-DD.")] = None,
        source: Annotated[Literal["curated", "atop"] | None, Query(description="Where the coding comes from.")] = None,
        kind: Annotated[Kind | None, Query(description="Only treaties with an obligation of this kind.")] = None,
    ) -> Response:
        """List treaties, filtered by party, date, source and kind (as `foedus treaties --json`)."""
        def make() -> dict:
            pid = states.state_id(party) if party else None
            items = active().select(party=pid, on=on, source=source, kind=kind)
            return {"treaties": [t.summary() for t in items], "meta": _meta(active(), ())}

        return await answer(request, ("treaties", party, on, source, kind), make)

    @app.get("/api/treaties/{treaty_id}", tags=["treaties"], responses=ERRORS)
    async def treaty(request: Request,
                     treaty_id: Annotated[str, FPath(max_length=200, description="A treaty id.")]) -> Response:
        """One treaty with its coding and articles (as `foedus show --json`)."""
        def make() -> dict:
            t = active().get(treaty_id)
            return {**t.model_dump(mode="json"), "meta": _meta(active(), [t.id])}

        return await answer(request, ("treaty", treaty_id), make)

    @app.post("/api/assess", tags=["scenarios"], responses=ERRORS)
    async def assess_scenario(request: Request, s: Scenario) -> Response:
        """Who must help whom if the target is attacked (as `foedus assess --json`)."""
        def make() -> dict:
            result = assess(s.target, s.attackers, s.on, s.place, s.act, corpus=active())
            return {**result.as_json(), "meta": _meta(active(), (f.treaty for f in result.findings))}

        return await answer(request, ("assess", s.target, tuple(s.attackers), s.on, s.place, s.act), make)

    @app.post("/api/cascade", tags=["scenarios"], responses=ERRORS)
    async def cascade_scenario(request: Request, s: CascadeScenario) -> Response:
        """The war round by round: who enters, on which side, by which finding (as `foedus cascade --json`)."""
        key = ("cascade", s.target, tuple(s.attackers), s.on, s.place, s.act, s.conditional)
        # the first cascade of a date compiles its index (seconds with ATOP): in a worker
        body = await answers.get((state_key(), *key), lambda: workers.run("cascade", cascade_answer, s))
        return body.response(request)

    @app.get("/api/compare", tags=["treaties"], responses=ERRORS)
    async def compare_treaties(
        request: Request,
        a: Annotated[str, Query(max_length=200, description="First treaty id.")],
        b: Annotated[str | None, Query(max_length=200, description="Second treaty id (default: a).")] = None,
        on: Annotated[date | None, Query(description="Date for the first side, YYYY-MM-DD.")] = None,
        on_b: Annotated[date | None, Query(description="Date for the second side (default: on).")] = None,
    ) -> Response:
        """Two treaties, or one at two dates, side by side with a word diff (as `foedus compare --json`)."""
        def make() -> dict:  # word diffs of long articles take a while: in a thread
            c = compare(a, b, on, on_b, corpus=active())
            return {**c.as_json(), "meta": _meta(active(), [c.a.id, c.b.id])}

        return await answer(request, ("compare", a, b, on, on_b), make)

    @app.get("/api/network", tags=["network"], responses=ERRORS)
    async def alliance_network(
        request: Request,
        on: Annotated[date | None, Query(description="The date, YYYY-MM-DD (default: today).")] = None,
    ) -> Response:
        """The alliance network on a date, with layout positions (as `foedus network --json`)."""
        return (await network_body(on or date.today())).response(request)

    @app.get("/api/network/{query}", tags=["network"], responses=ERRORS)
    async def state_obligations(
        request: Request,
        query: Annotated[str, FPath(max_length=200, description="A state: name or code.")],
        on: Annotated[date | None, Query(description="The date, YYYY-MM-DD (default: today).")] = None,
    ) -> Response:
        """Every obligation the state owes on the date (as `foedus network --state`): what the page
        lists when a state of the network is selected."""
        day = on or date.today()
        # a graph takes tens of milliseconds: here, so as not to queue behind the worker's layouts
        body = await answers.get((state_key(), "owes", query, day),
                                 lambda: to_thread.run_sync(lambda: owes_answer(active(), query, day)))
        return body.response(request)

    @app.get("/api/strength", tags=["about"])
    async def strength_rubric(request: Request) -> Response:
        """The strength rubric every obligation is classed by."""
        return await answer(request, ("strength",), lambda: {
            "rubric": [{"class": s.label, "rank": int(s), "meaning": m, "rule": r} for s, m, r in RUBRIC],
            "meta": _meta(active(), ())})

    web = Path(str(resources.files("foedus").joinpath("web")))
    # the page's few small files, read once and sent from the event loop (no file I/O per request)
    assets = {p.name: (p.read_bytes(), mimetypes.guess_type(p.name)[0] or "application/octet-stream")
              for p in web.iterdir() if p.is_file()}

    def asset(name: str) -> Response:
        if name not in assets:
            raise StarletteHTTPException(404, detail=f"no such file: {name}")
        content, media_type = assets[name]
        return Response(content, media_type=media_type)

    @app.get("/", include_in_schema=False)
    async def page() -> Response:
        return asset("index.html")

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: Annotated[str, FPath(max_length=200)]) -> Response:
        return asset(name)

    return app
