"""The domain model: states, places, events, treaties, obligations and findings.

Dates are ``datetime.date``; every interval is half-open ``[start, end)`` and an open
end (``None``) means "still in force". See docs/coding-treaties.md for how each
treaty field is decided.
"""

from __future__ import annotations

from datetime import date
from enum import Enum, IntEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class FieldError(ValueError):
    """A cross-field validation error that knows where in the document it belongs."""

    def __init__(self, loc: tuple[str | int, ...], message: str):
        super().__init__(message)
        self.loc = loc


class Frozen(BaseModel):
    """Base for immutable, strict model types (unknown fields are errors)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Interval(Frozen):
    """A half-open date interval ``[start, end)``; ``end=None`` is open-ended."""

    start: date
    end: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self

    def contains(self, day: date) -> bool:
        """True when ``start <= day < end``."""
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share at least one day."""
        a_end = self.end or date.max
        b_end = other.end or date.max
        return self.start < b_end and other.start < a_end


class PlaceKind(str, Enum):
    """What an attack hits."""

    TERRITORY = "territory"  # metropolitan (home) territory
    OVERSEAS = "overseas-territory"  # overseas or island territory
    FORCES = "forces"  # armed forces, public vessels or aircraft


class Act(str, Enum):
    """The kind of hostile act in an event."""

    INVASION = "invasion"
    ARMED_ATTACK = "armed-attack"
    INCIDENT = "incident"  # a limited use of force (border clash, single strike)
    THREAT = "threat"  # a threat of attack, no force used


class Trigger(str, Enum):
    """What an obligation responds to."""

    ARMED_ATTACK = "armed-attack"
    AGGRESSION = "aggression"
    STATE_OF_WAR = "state-of-war"  # armed attack that puts the party in a state of war
    THREAT = "threat"  # threat to security (consultation clauses)
    ANY_WAR = "any-war"  # war of the beneficiary with a third state, however begun
    UNKNOWN = "unknown"


class Kind(str, Enum):
    """What is owed (ATOP's five obligation types)."""

    DEFENSE = "defense"
    OFFENSE = "offense"
    NEUTRALITY = "neutrality"
    NONAGGRESSION = "nonaggression"
    CONSULTATION = "consultation"


class Means(str, Enum):
    """How the obligor must help."""

    ALL_MEANS = "all-means"  # military and other assistance with all means
    NECESSARY_ACTION = "necessary-action"  # action it deems necessary, including force
    CONSTITUTIONAL = "constitutional-processes"  # act to meet the common danger
    CONSULT = "consult"
    UNSPECIFIED = "unspecified"
    UNKNOWN = "unknown"


class Timing(str, Enum):
    """How soon."""

    IMMEDIATE = "immediate"
    WITHOUT_DELAY = "without-delay"
    ON_REQUEST = "on-request"
    UNSPECIFIED = "unspecified"
    UNKNOWN = "unknown"


class Strength(IntEnum):
    """The ordinal strength rubric; see :mod:`foedus.strength` for how it is derived."""

    NONE = 0
    CONSULT = 1
    CONST = 2
    ASSIST = 3
    AUTO = 4

    @property
    def label(self) -> str:
        """The class label used in tables, e.g. ``A-AUTO``."""
        return {4: "A-AUTO", 3: "B-ASSIST", 2: "C-CONST", 1: "D-CONSULT", 0: "E-NONE"}[int(self)]


class Status(str, Enum):
    """A finding's verdict."""

    OBLIGATED = "obligated"
    CONDITIONAL = "conditional"
    NOT_TRIGGERED = "not-triggered"
    NOT_IN_FORCE = "not-in-force"


class State(Frozen):
    """A state as the engine sees it."""

    id: str  # ISO 3166 alpha-3, or the COW abbreviation where none exists
    cow: int | None = None
    cowc: str | None = None
    name: str
    membership: tuple[Interval, ...] = ()  # COW system membership, when known

    def as_json(self) -> dict:
        """The JSON shape of ``foedus state`` and the API."""
        return {
            "id": self.id,
            "cow": self.cow,
            "cowc": self.cowc,
            "name": self.name,
            "membership": [{"start": str(i.start), "end": str(i.end) if i.end else None} for i in self.membership],
        }


class Place(Frozen):
    """Where an attack lands."""

    name: str
    state: str  # whose territory or forces are hit
    kind: PlaceKind = PlaceKind.TERRITORY
    regions: tuple[str, ...] = ()
    administered_by: str | None = None  # defaults to ``state``
    disputed: bool = False  # held by ``state`` but another's territory in law
    note: str = ""

    @property
    def administrator(self) -> str:
        """The state administering the place."""
        return self.administered_by or self.state


class Event(Frozen):
    """Who attacks whom, where, when, and how."""

    attackers: tuple[str, ...]
    target: str
    place: Place
    on: date
    act: Act = Act.ARMED_ATTACK


class ScopeClause(Frozen):
    """One way an attack can fall inside an obligation's geographic scope.

    Every field that is set must match; ``None`` matches anything. ``administered_by``
    takes state ids or ``"target"`` (territory administered by the attacked party).
    """

    place_kinds: tuple[PlaceKind, ...] | None = None
    regions: tuple[str, ...] | None = None
    administered_by: tuple[str, ...] | None = None
    states: tuple[str, ...] | None = None  # the place belongs to one of these
    valid: Interval | None = None  # when the clause applies (e.g. Algeria until 1962)
    unclear: bool = False  # a match leaves the case open: status conditional
    note: str = ""


class Scope(Frozen):
    """Where an obligation applies: anywhere, or where any clause matches."""

    anywhere: bool = True
    clauses: tuple[ScopeClause, ...] = ()
    text: str = ""  # the scope clause as the treaty words it, or a summary

    @model_validator(mode="after")
    def _consistent(self) -> Scope:
        if not self.anywhere and not self.clauses:
            raise ValueError("a limited scope needs at least one clause")
        return self


class ConditionKind(str, Enum):
    """Conditions that limit when an obligation binds (ATOP's condition codes)."""

    SPECIFIC_ADVERSARY = "specific-adversary"
    NON_PROVOCATION = "non-provocation"
    CONSTITUTIONAL = "constitutional-processes"
    UN_CHARTER = "un-charter-51"
    REQUEST = "request"  # only at the request of the attacked party
    LOCATION = "location"  # ATOP location condition without coded places
    SPECIFIC_CONFLICT = "specific-conflict"
    NUMBER_OF_ATTACKERS = "number-of-attackers"
    DEMANDS = "demands"
    OTHER = "other"


class Condition(Frozen):
    """A condition on an obligation."""

    kind: ConditionKind
    states: tuple[str, ...] = ()  # for specific-adversary
    text: str = ""


class Obligation(Frozen):
    """One promise in a treaty: who owes what to whom, when, where, how."""

    id: str
    kind: Kind
    article: str | None = None  # the article number, or None (e.g. ATOP-only codings)
    obligors: tuple[str, ...] | None = None  # None: every party
    beneficiaries: tuple[str, ...] | None = None  # None: every other party
    trigger: Trigger = Trigger.ARMED_ATTACK
    scope: Scope = Field(default_factory=Scope)
    conditions: tuple[Condition, ...] = ()
    means: Means = Means.UNSPECIFIED
    timing: Timing = Timing.UNSPECIFIED
    valid: Interval | None = None  # a phase of the treaty, when the obligation applies
    note: str = ""


class Membership(Frozen):
    """A state's membership spell in a treaty."""

    state: str
    start: date
    end: date | None = None
    how_ended: str = ""  # e.g. "withdrawal", "dissolution"
    note: str = ""

    @property
    def interval(self) -> Interval:
        """The spell as an interval."""
        return Interval(start=self.start, end=self.end)


class Suspension(Frozen):
    """Obligations between a pair of parties set aside for a time (e.g. ANZUS, US–NZ 1986)."""

    between: tuple[str, str]
    start: date
    end: date | None = None
    note: str = ""

    @property
    def interval(self) -> Interval:
        """The suspension as an interval."""
        return Interval(start=self.start, end=self.end)


class Caveat(Frozen):
    """A fact that does not change a party's legal obligations but that a reader must see."""

    state: str
    start: date
    end: date | None = None
    text: str

    @property
    def interval(self) -> Interval:
        """The caveat's time span as an interval."""
        return Interval(start=self.start, end=self.end)


class Article(Frozen):
    """An article as the treaty words it."""

    number: str
    text: str
    verified: Literal["verified", "partly-verified", "unverified"] = "verified"
    note: str = ""


class Source(Frozen):
    """Where a treaty's text and dates come from."""

    citation: str
    url: str | None = None


class Treaty(Frozen):
    """A treaty with its dates, parties, articles and coded obligations."""

    id: str
    name: str
    short_name: str = ""
    signed: date | None = None
    in_force: date
    ended: date | None = None
    how_ended: str = ""
    parties: tuple[Membership, ...]
    suspensions: tuple[Suspension, ...] = ()
    caveats: tuple[Caveat, ...] = ()
    articles: tuple[Article, ...] = ()
    obligations: tuple[Obligation, ...]
    sources: tuple[Source, ...] = ()
    origin: Literal["curated", "atop"] = "curated"
    atop_id: int | None = None
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Treaty:
        Interval(start=self.in_force, end=self.ended)  # validates order
        numbers = [a.number for a in self.articles]
        for i, n in enumerate(numbers):
            if n in numbers[:i]:
                raise FieldError(("articles", i, "number"), f"duplicate article number {n!r}")
        ids = [o.id for o in self.obligations]
        for i, oid in enumerate(ids):
            if oid in ids[:i]:
                raise FieldError(("obligations", i, "id"), f"duplicate obligation id {oid!r}")
        members = {m.state for m in self.parties}
        for i, ob in enumerate(self.obligations):
            if ob.article is not None and ob.article not in numbers:
                raise FieldError(
                    ("obligations", i, "article"),
                    f"obligation {ob.id} cites article {ob.article}, which the file does not quote",
                )
            for field in ("obligors", "beneficiaries"):
                for j, who in enumerate(getattr(ob, field) or ()):
                    if who not in members:
                        raise FieldError(
                            ("obligations", i, field, j), f"obligation {ob.id} names {who}, who is not a party"
                        )
        for i, s in enumerate(self.suspensions):
            for j, who in enumerate(s.between):
                if who not in members:
                    raise FieldError(("suspensions", i, "between", j), f"suspension names {who}, who is not a party")
        return self

    @property
    def interval(self) -> Interval:
        """When the treaty is in force."""
        return Interval(start=self.in_force, end=self.ended)

    def summary(self) -> dict:
        """The JSON shape of one row of ``foedus treaties --json`` and the API."""
        return {
            "id": self.id,
            "name": self.name,
            "in_force": str(self.in_force),
            "ended": str(self.ended) if self.ended else None,
            "origin": self.origin,
            "atop_id": self.atop_id,
        }

    def article(self, number: str | None) -> Article | None:
        """The article with this number, if quoted."""
        return next((a for a in self.articles if a.number == number), None)

    def members_on(self, day: date) -> list[str]:
        """Parties whose membership spans ``day`` (empty when the treaty is not in force)."""
        if not self.interval.contains(day):
            return []
        return sorted({m.state for m in self.parties if m.interval.contains(day)})

    def suspended(self, a: str, b: str, day: date) -> Suspension | None:
        """The suspension covering the pair on ``day``, if any."""
        for s in self.suspensions:
            if {a, b} == set(s.between) and s.interval.contains(day):
                return s
        return None


class Finding(Frozen):
    """One answer: what an obligor owes a beneficiary under one obligation, for one event."""

    obligor: str
    beneficiary: str
    treaty: str
    treaty_name: str
    obligation: str
    article: str | None
    kind: Kind
    status: Status
    strength: Strength
    reasons: tuple[str, ...]
    text: str | None

    def as_json(self) -> dict:
        """The JSON shape of the CLI and API."""
        return {
            "obligor": self.obligor,
            "beneficiary": self.beneficiary,
            "treaty": self.treaty,
            "treaty_name": self.treaty_name,
            "obligation": self.obligation,
            "article": self.article,
            "kind": self.kind.value,
            "status": self.status.value,
            "strength": self.strength.label,
            "reasons": list(self.reasons),
            "text": self.text,
        }
