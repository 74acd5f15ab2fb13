"""The REST API and the page: thin routes over the library functions the CLI uses.

Each JSON body is the document the matching CLI command prints with ``--json``, plus a
``meta`` key naming the foedus version and the sources of the treaties the answer rests
on (as datasette does). User errors come back as 4xx ``{"error": "..."}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from fastapi import FastAPI, Query, Request
from fastapi import Path as FPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
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
from .errors import FoedusError, UnknownTreatyError
from .model import Act, Kind
from .network import network
from .strength import RUBRIC

MAX_BODY_BYTES = 64 * 1024  # a scenario is a few hundred bytes; anything near this is abuse
ABOUT = (
    "foedus: alliance treaties coded from their texts; each treaty names its sources. "
    "Check the quoted article before relying on an answer."
)


class ErrorBody(BaseModel):
    """A user error: one line saying what and where."""

    error: str


class Scenario(BaseModel):
    """An attack to assess: who attacks whom, where, when, and how."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(
        min_length=1,
        max_length=200,
        examples=["North Korea"],
        description="The attacked state: name, ISO3, COW number or abbreviation.",
    )
    attackers: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default=[], max_length=20, examples=[["South Korea"]]
    )
    on: date | None = Field(default=None, description="YYYY-MM-DD (default: today).")
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
    return {"foedus_version": __version__, "about": ABOUT, "sources": sources}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


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


def create_app(corpus: Corpus | None = None) -> FastAPI:
    """The FastAPI app serving the JSON API under /api and the page at /."""

    def active() -> Corpus:  # the store's corpus is re-read when an import changes it
        return corpus if corpus is not None else store.active_corpus()

    app = FastAPI(
        title="foedus",
        version=__version__,
        description="Who is bound to help whom when a state is attacked, how strongly, by which article.",
        docs_url=None,  # the interactive docs pull scripts from a CDN; the page works offline
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    @app.exception_handler(FoedusError)
    async def _foedus_error(_: Request, exc: FoedusError) -> JSONResponse:
        return _error(404 if isinstance(exc, UnknownTreatyError) else 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.get("/api/meta", tags=["about"])
    def meta() -> dict:
        """Version, the corpus's size and every treaty's sources."""
        c = active()
        return {"treaties": len(c), "strength_rubric": "/api/strength", "meta": _meta(c, c.treaties)}

    @app.get("/api/states/{query}", tags=["states"], responses=ERRORS)
    def state(query: Annotated[str, FPath(max_length=200, description="A name or code.")]) -> dict:
        """Resolve a state name or code (as `foedus state`)."""
        return {**states.resolve(query).as_json(), "meta": _meta(active(), ())}

    @app.get("/api/places", tags=["states"])
    def place_list() -> dict:
        """The gazetteer of named places an attack can land on."""
        return {"places": places.gazetteer(), "meta": _meta(active(), ())}

    @app.get("/api/treaties", tags=["treaties"], responses=ERRORS)
    def treaty_list(
        party: Annotated[str | None, Query(max_length=200, description="A state that is a party.")] = None,
        on: Annotated[date | None, Query(description="In force on this date, YYYY-MM-DD.")] = None,
        source: Annotated[Literal["curated", "atop"] | None, Query(description="Where the coding comes from.")] = None,
        kind: Annotated[Kind | None, Query(description="Only treaties with an obligation of this kind.")] = None,
    ) -> dict:
        """List treaties, filtered by party, date, source and kind (as `foedus treaties --json`)."""
        pid = states.state_id(party) if party else None
        items = active().select(party=pid, on=on, source=source, kind=kind)
        return {"treaties": [t.summary() for t in items], "meta": _meta(active(), ())}

    @app.get("/api/treaties/{treaty_id}", tags=["treaties"], responses=ERRORS)
    def treaty(treaty_id: Annotated[str, FPath(max_length=200, description="A treaty id.")]) -> dict:
        """One treaty with its coding and articles (as `foedus show --json`)."""
        t = active().get(treaty_id)
        return {**t.model_dump(mode="json"), "meta": _meta(active(), [t.id])}

    @app.post("/api/assess", tags=["scenarios"], responses=ERRORS)
    def assess_scenario(s: Scenario) -> dict:
        """Who must help whom if the target is attacked (as `foedus assess --json`)."""
        result = assess(s.target, s.attackers, s.on, s.place, s.act, corpus=active())
        return {**result.as_json(), "meta": _meta(active(), (f.treaty for f in result.findings))}

    @app.post("/api/cascade", tags=["scenarios"], responses=ERRORS)
    def cascade_scenario(s: CascadeScenario) -> dict:
        """The war round by round: who enters, on which side, by which finding (as `foedus cascade --json`)."""
        c = cascade(s.target, s.attackers, s.on, s.place, s.act, corpus=active(), conditional=s.conditional)
        used = (f.treaty for group in (c.entries, c.conflicts) for x in group for f in x.findings)
        return {**c.as_json(), "meta": _meta(active(), used)}

    @app.get("/api/compare", tags=["treaties"], responses=ERRORS)
    def compare_treaties(
        a: Annotated[str, Query(max_length=200, description="First treaty id.")],
        b: Annotated[str | None, Query(max_length=200, description="Second treaty id (default: a).")] = None,
        on: Annotated[date | None, Query(description="Date for the first side, YYYY-MM-DD.")] = None,
        on_b: Annotated[date | None, Query(description="Date for the second side (default: on).")] = None,
    ) -> dict:
        """Two treaties, or one at two dates, side by side with a word diff (as `foedus compare --json`)."""
        c = compare(a, b, on, on_b, corpus=active())
        return {**c.as_json(), "meta": _meta(active(), [c.a.id, c.b.id])}

    @app.get("/api/network", tags=["network"], responses=ERRORS)
    def alliance_network(
        on: Annotated[date | None, Query(description="The date, YYYY-MM-DD (default: today).")] = None,
    ) -> dict:
        """The alliance network on a date, with layout positions (as `foedus network --json`)."""
        doc = network(on or date.today(), active()).as_json()
        return {**doc, "meta": _meta(active(), (t for e in doc["edges"] for t in e["treaties"]))}

    @app.get("/api/strength", tags=["about"])
    def strength_rubric() -> dict:
        """The strength rubric every obligation is classed by."""
        return {
            "rubric": [{"class": s.label, "rank": int(s), "meaning": m, "rule": r} for s, m, r in RUBRIC],
            "meta": _meta(active(), ()),
        }

    web = Path(str(resources.files("foedus").joinpath("web")))

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(web / "index.html")

    app.mount("/static", StaticFiles(directory=web), name="static")
    return app
