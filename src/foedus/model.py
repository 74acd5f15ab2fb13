"""The domain model: states, places, events, treaties, obligations and findings.

Dates are ``datetime.date``; every interval is half-open ``[start, end)`` and an open
end (``None``) means "still in force". See docs/coding-treaties.md for how each
treaty field is decided.
"""

from __future__ import annotations

from datetime import date
from enum import Enum, IntEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .choices import Act, Kind  # noqa: F401  (defined without pydantic, for the command line's start-up)


class FieldError(ValueError):
    """A cross-field validation error that knows where in the document it belongs.

    ``problems`` holds every ``(location, message)`` found, the first one being ``loc`` and the message.
    """

    def __init__(self, loc: tuple[str | int, ...], message: str,
                 problems: tuple[tuple[tuple[str | int, ...], str], ...] = ()):
        super().__init__(message)
        self.loc = loc
        self.problems = problems or ((loc, message),)


def _not_a_number(value: object) -> object:
    """Refuse numbers where a date belongs: pydantic would read 1949 as seconds after 1970."""
    if isinstance(value, bool | int | float):
        raise ValueError(f"{value!r} is a number, not a date (write YYYY-MM-DD)")
    return value


Day = Annotated[date, BeforeValidator(_not_a_number)]  # a date field: a date or YYYY-MM-DD text, never a number


class Frozen(BaseModel):
    """Base for immutable, strict model types (unknown fields are errors)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Interval(Frozen):
    """A half-open date interval ``[start, end)``; ``end=None`` is open-ended."""

    start: Day
    end: Day | None = None

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


class Trigger(str, Enum):
    """What an obligation responds to."""

    ARMED_ATTACK = "armed-attack"
    AGGRESSION = "aggression"
    STATE_OF_WAR = "state-of-war"  # armed attack that puts the party in a state of war
    THREAT = "threat"  # threat to security (consultation clauses)
    ANY_WAR = "any-war"  # war of the beneficiary with a third state, however begun
    THREAT_SHORT_OF_ATTACK = "threat-short-of-attack"  # threats "other than by armed attack" only
    UNKNOWN = "unknown"


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
    note: str = ""  # for an entity outside the state system (data/entities.yaml): what it is

    def as_json(self) -> dict:
        """The JSON shape of ``foedus state`` and the API."""
        return {
            "id": self.id,
            "cow": self.cow,
            "cowc": self.cowc,
            "name": self.name,
            "membership": [{"start": str(i.start), "end": str(i.end) if i.end else None} for i in self.membership],
            **({"note": self.note} if self.note else {}),
        }


class Place(Frozen):
    """Where an attack lands."""

    name: str
    state: str  # whose territory or forces are hit
    kind: PlaceKind = PlaceKind.TERRITORY
    regions: tuple[str, ...] = ()
    partial_regions: tuple[str, ...] = ()  # regions only part of the place lies in (Russia: europe, asia)
    administered_by: str | None = None  # defaults to ``state``
    high_seas: bool = False  # an area no state administers (a sea): no administered_by clause matches
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
    covers_forces: bool = False  # with ``anywhere``: the text names the parties' armed forces (vessels, aircraft)

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
    start: Day
    end: Day | None = None
    how_ended: str = ""  # e.g. "withdrawal", "dissolution"
    note: str = ""
    source: str | tuple[str, ...] | None = None  # the id(s) of the file's sources for these dates
    uncertain: bool = False  # a date from memory, inferred or unconfirmed

    @property
    def interval(self) -> Interval:
        """The spell as an interval."""
        return Interval(start=self.start, end=self.end)


class Suspension(Frozen):
    """Obligations between a pair of parties set aside for a time (e.g. ANZUS, US–NZ 1986)."""

    between: tuple[str, str]
    start: Day
    end: Day | None = None
    note: str = ""
    source: str | tuple[str, ...] | None = None  # the id(s) of the file's sources for these dates
    uncertain: bool = False

    @property
    def interval(self) -> Interval:
        """The suspension as an interval."""
        return Interval(start=self.start, end=self.end)


class Caveat(Frozen):
    """A fact that does not change a party's legal obligations but that a reader must see.

    ``disputed`` marks a caveat that leaves the state's standing as a party unsettled (the sources
    conflict on whether it is one): findings owed by or to it are then ``conditional``.
    """

    state: str
    start: Day
    end: Day | None = None
    text: str
    disputed: bool = False

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
    """Where a treaty's text and dates come from; ``id`` lets a date name it."""

    citation: str
    url: str | None = None
    id: str | None = None


def source_ids(source: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """A date's ``source`` field as a tuple of source ids (empty when none is named)."""
    if source is None:
        return ()
    return (source,) if isinstance(source, str) else source


class DateSource(Frozen):
    """Where one of a treaty's own dates (signed, in force, ended) comes from."""

    source: str | tuple[str, ...] | None = None  # the id(s) of the file's sources
    uncertain: bool = False  # from memory, inferred (e.g. a signature date standing in) or unconfirmed
    note: str = ""


class AtopDistinct(Frozen):
    """An ATOP alliance with the same members and overlapping dates that is a different commitment."""

    id: int
    reason: str = Field(min_length=10)


class Horizon(Frozen):
    """The last day a dataset codes a treaty: after it, the dataset cannot confirm the treaty binds."""

    source: str  # the dataset and release, e.g. "ATOP 4.01"
    through: date


class Treaty(Frozen):
    """A treaty with its dates, parties, articles and coded obligations."""

    id: str
    name: str
    short_name: str = ""
    signed: Day | None = None
    in_force: Day
    ended: Day | None = None
    how_ended: str = ""
    parties: tuple[Membership, ...]
    suspensions: tuple[Suspension, ...] = ()
    caveats: tuple[Caveat, ...] = ()
    articles: tuple[Article, ...] = ()
    obligations: tuple[Obligation, ...]
    sources: tuple[Source, ...] = ()
    origin: Literal["curated", "atop"] = "curated"
    atop_id: int | tuple[int, ...] | None = None  # the ATOP alliance(s) coding this same commitment
    atop_distinct: tuple[AtopDistinct, ...] = ()
    date_sources: dict[Literal["signed", "in_force", "ended"], DateSource] = {}
    notes: str = ""
    horizon: Horizon | None = None  # a dataset's coding ends on this day (ATOP alliances)
    text_public: bool = True  # False: the text is unpublished; its terms are known only from reports

    @model_validator(mode="after")
    def _consistent(self) -> Treaty:
        from .corpus.checks import treaty_problems  # the rules live beside the loader; they import this module

        problems = treaty_problems(self)
        if problems:
            (loc, message), *rest = problems
            more = f" (and {len(rest)} more)" if rest else ""
            raise FieldError(loc, message + more, tuple(problems))
        return self

    @property
    def atop_ids(self) -> tuple[int, ...]:
        """Every ATOP alliance linked to this treaty (empty when none)."""
        if self.atop_id is None:
            return ()
        return (self.atop_id,) if isinstance(self.atop_id, int) else self.atop_id

    @property
    def interval(self) -> Interval:
        """When the treaty is in force."""
        return Interval(start=self.in_force, end=self.ended)

    @property
    def awaiting_entry_into_force(self) -> bool:
        """Signed but not yet in force: coded ``in_force: 9999-12-31`` (see docs/coding-treaties.md)."""
        return self.in_force == date.max

    def summary(self) -> dict:
        """The JSON shape of one row of ``foedus treaties --json`` and the API."""
        return {"id": self.id, "name": self.name, "in_force": str(self.in_force),
                "ended": str(self.ended) if self.ended else None, "origin": self.origin, "atop_id": self.atop_id,
                "coded_through": str(self.horizon.through) if self.horizon else None,
                "horizon_note": self.horizon_note()}

    def unconfirmed(self, day: date) -> bool:
        """True when ``day`` lies past the dataset's last coded day: the coding is not confirmed then."""
        return self.horizon is not None and day > self.horizon.through

    def horizon_note(self) -> str | None:
        """The sentence that says how far the dataset codes this treaty (None for curated treaties)."""
        if self.horizon is None:
            return None
        return f"{self.horizon.source} codes this alliance through {self.horizon.through}; not confirmed since"

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
