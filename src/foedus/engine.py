"""The obligation engine: an event in, findings out.

For every treaty in force on the event's date that binds the target or an attacker, each
obligation is checked for every obligor–beneficiary pair: is the treaty in force and are
both members; is the pair's relation suspended; does the act meet the trigger; does the
place fall within the scope; do the conditions hold. Each check answers yes, no or
unclear with a reason; the finding's status is the worst answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from . import coverage, places, states, store
from .corpus.loader import Corpus
from .dates import as_date
from .errors import FoedusError, choice
from .model import (
    Act,
    ConditionKind,
    Event,
    Finding,
    Kind,
    Obligation,
    Place,
    PlaceKind,
    ScopeClause,
    Status,
    Treaty,
    Trigger,
)
from .strength import strength


class Answer(Enum):
    """One check's verdict."""

    YES = 0
    UNCLEAR = 1
    NO = 2


Check = tuple[Answer, str]

_STATUS = {Answer.YES: Status.OBLIGATED, Answer.UNCLEAR: Status.CONDITIONAL, Answer.NO: Status.NOT_TRIGGERED}
_ORDER = {s: i for i, s in enumerate(Status)}  # Status is declared from the most binding down


@dataclass(frozen=True)
class Assessment:
    """An event and what the treaties say about it."""

    event: Event
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = field(default=())

    def by_status(self, status: Status) -> list[Finding]:
        """The findings with this status."""
        return [f for f in self.findings if f.status is status]

    def as_json(self) -> dict:
        """The JSON document of ``foedus assess --json`` and the API."""
        return {
            "event": event_json(self.event),
            "findings": [f.as_json() for f in self.findings],
            "notes": list(self.notes),
        }


def event_json(e: Event) -> dict:
    """An event as the JSON documents of the CLI and API show it."""
    return {
        "attackers": list(e.attackers),
        "target": e.target,
        "on": e.on.isoformat(),
        "act": e.act.value,
        "place": {
            "name": e.place.name,
            "state": e.place.state,
            "kind": e.place.kind.value,
            "regions": list(e.place.regions),
            "administered_by": e.place.administrator,
        },
    }


def make_event(
    target: str | int,
    attackers: Sequence[str | int] | str | int = (),
    on: date | str | None = None,
    place: str | None = None,
    act: Act | str = Act.ARMED_ATTACK,
) -> Event:
    """Build an event from user input: resolve states and place, check system membership.

    ``attackers`` is one state or a sequence of them; ``on`` a ``date``, ``datetime`` or
    ``YYYY-MM-DD`` text (default: today); ``act`` an :class:`Act` or its name, in any case.
    """
    day = as_date(on, "--on") or date.today()
    if isinstance(attackers, str | int):
        attackers = (attackers,)
    tgt = states.resolve(target)
    states.check_in_system(tgt, day)
    atk = []
    for a in attackers:
        s = states.resolve(a)
        states.check_in_system(s, day)
        if s.id == tgt.id:
            raise FoedusError(f"{s.name} cannot be both attacker and target")
        atk.append(s.id)
    where = places.lookup(place, tgt.id, day) if place else places.home(tgt.id, day)
    return Event(attackers=tuple(dict.fromkeys(atk)), target=tgt.id, place=where, on=day, act=choice(Act, act, "--act"))


def assess(
    target: str | int,
    attackers: Sequence[str | int] | str | int = (),
    on: date | str | None = None,
    place: str | None = None,
    act: Act | str = Act.ARMED_ATTACK,
    corpus: Corpus | None = None,
) -> Assessment:
    """Who is bound to help whom if ``attackers`` attack ``target`` (at ``place``) on ``on``."""
    return assess_event(make_event(target, attackers, on, place, act), corpus)


def assess_event(event: Event, corpus: Corpus | None = None) -> Assessment:
    """Findings for a ready-made event, with notes (last: what the installed data leave unchecked)."""
    corpus = corpus if corpus is not None else store.active_corpus()
    findings: list[Finding] = []
    notes: list[str] = []
    involved = {event.target, *event.attackers}
    for treaty in corpus:
        parties = {m.state for m in treaty.parties}
        if not parties & involved:
            continue
        if not treaty.interval.contains(event.on):
            if treaty.origin == "curated" and event.target in parties and _signed_by(treaty, event.on):
                findings.extend(_not_in_force(treaty, event))
            continue
        members = set(treaty.members_on(event.on))
        for sid in sorted(parties & involved - members):
            notes.append(_not_member_note(treaty, sid, event.on))
        for ob in treaty.obligations:
            if ob.valid is not None and not ob.valid.contains(event.on):
                continue
            findings.extend(_evaluate(treaty, ob, members, event))
    findings.sort(key=lambda f: (_ORDER[f.status], -int(f.strength), f.treaty, f.obligor, f.beneficiary))
    return Assessment(event=event, findings=tuple(findings), notes=(*notes, *coverage.notes(event.on)))


def _not_member_note(treaty: Treaty, sid: str, day: date) -> str:
    spells = [m for m in treaty.parties if m.state == sid]
    span = "; ".join(f"{m.start}–{m.end or ''}" + (f" ({m.how_ended})" if m.how_ended else "") for m in spells)
    return f"{states.name(sid, day)} was not a party to {treaty.name} on {day} (member {span})"


def _signed_by(treaty: Treaty, day: date) -> bool:
    """True when the treaty existed on paper by ``day``: signed (or in force) on or before it.

    Lapsed treaties and signed ones awaiting ratification are worth a line; treaties of a later
    era are not.
    """
    return (treaty.signed or treaty.in_force) <= day


def _not_in_force(treaty: Treaty, event: Event) -> Iterable[Finding]:
    """One finding per obligor for the treaty's strongest assistance promise to the target."""
    span = f"in force {treaty.in_force}–{treaty.ended or ''}" + (f", {treaty.how_ended}" if treaty.how_ended else "")
    if treaty.awaiting_entry_into_force:
        span = f"signed {treaty.signed}, not yet in force"
    reason = f"{treaty.name} is not in force on {event.on} ({span})"
    beneficiary = event.target
    owed = [ob for ob in treaty.obligations
            if ob.kind in (Kind.DEFENSE, Kind.CONSULTATION) and _owed_to(ob, beneficiary)]
    if not owed:
        return
    ob = max(owed, key=strength)
    for obligor in _obligors(ob, {m.state for m in treaty.parties}, beneficiary):
        yield _finding(treaty, ob, obligor, beneficiary, Status.NOT_IN_FORCE, [reason])


def _owed_to(ob: Obligation, sid: str) -> bool:
    return ob.beneficiaries is None or sid in ob.beneficiaries


def _obligors(ob: Obligation, members: set[str], beneficiary: str) -> list[str]:
    pool = members if ob.obligors is None else members & set(ob.obligors)
    return sorted(pool - {beneficiary})


def _evaluate(treaty: Treaty, ob: Obligation, members: set[str], event: Event) -> Iterable[Finding]:
    for beneficiary in (event.target, *event.attackers):
        if beneficiary not in members or not _owed_to(ob, beneficiary):
            continue
        for obligor in _obligors(ob, members, beneficiary):
            verdict = _judge(treaty, ob, obligor, beneficiary, event, members)
            if verdict is not None:
                yield _finding(treaty, ob, obligor, beneficiary, *_capped(treaty, ob, members, event, *verdict))


def _capped(treaty: Treaty, ob: Obligation, members: set[str], event: Event,
            status: Status, reasons: list[str]) -> tuple[Status, list[str]]:
    """Lower an ``obligated`` finding to ``conditional`` where the coding itself cannot settle the case.

    Three things cap a finding whatever the event: a dataset past its last coded day, a treaty
    whose text is not public, and (for defence) a war between two parties of the same treaty.
    """
    caps: list[str] = []
    if treaty.unconfirmed(event.on):
        caps.append(treaty.horizon_note() or "")
    if not treaty.text_public:
        caps.append(f"the text of {treaty.short_name or treaty.name} is not public: its terms are known only "
                    "from official statements and reports, so no finding can rest on its wording")
    if ob.kind is Kind.DEFENSE and event.target in members and set(event.attackers) & members:
        both = ", ".join(states.name(s, event.on) for s in sorted(set(event.attackers) & members))
        caps.append(f"both sides are parties ({states.name(event.target, event.on)} and {both}); "
                    "the text does not say whom to help")
    if not caps or status in (Status.NOT_TRIGGERED, Status.NOT_IN_FORCE):
        return status, reasons
    return Status.CONDITIONAL, [*reasons, *caps]


def _finding(treaty: Treaty, ob: Obligation, obligor: str, beneficiary: str, status: Status, reasons: list[str]) -> Finding:
    art = treaty.article(ob.article)
    reasons = list(reasons)
    if art is None:
        reasons.append("no article text: this coding comes from a dataset, not from the treaty's text"
                       if treaty.origin != "curated" else "the article's text is not quoted in the corpus")
    return Finding(
        obligor=obligor,
        beneficiary=beneficiary,
        treaty=treaty.id,
        treaty_name=treaty.name,
        obligation=ob.id,
        article=ob.article,
        kind=ob.kind,
        status=status,
        strength=strength(ob),
        reasons=tuple(reasons),
        text=art.text if art else None,
    )


def _judge(treaty: Treaty, ob: Obligation, obligor: str, beneficiary: str, event: Event,
           members: set[str]) -> tuple[Status, list[str]] | None:
    """The status and reasons for one obligor–beneficiary pair, or None when nothing is owed."""
    ben = states.name(beneficiary, event.on)
    if beneficiary in event.attackers:
        return _toward_attacker(ob, obligor, ben, event)
    # The beneficiary is the target.
    if ob.kind is Kind.NONAGGRESSION:
        if obligor in event.attackers:
            return Status.OBLIGATED, [f"{states.name(obligor, event.on)} promised not to attack {ben}; this attack breaches it"]
        return None
    if ob.kind is Kind.OFFENSE or obligor in event.attackers:
        return None
    checks: list[Check] = []
    sus = treaty.suspended(obligor, beneficiary, event.on)
    if sus is not None:
        checks.append((Answer.NO, f"obligations between {states.name(sus.between[0], event.on)} and "
                                  f"{states.name(sus.between[1], event.on)} suspended since {sus.start}: {sus.note}".rstrip(": ")))
    checks.append(_trigger(ob, ben, event))
    if ob.kind is not Kind.CONSULTATION or not ob.scope.anywhere:
        checks.append(_scope(treaty, ob, beneficiary, event, members))
    checks.extend(_conditions(ob, ben, event))
    for c in treaty.caveats:
        if c.state in (obligor, beneficiary) and c.interval.contains(event.on):
            checks.append((Answer.UNCLEAR if c.disputed else Answer.YES, c.text))
    worst = max((a for a, _ in checks), key=lambda a: a.value)
    return _STATUS[worst], [r for _, r in checks if r]


def _toward_attacker(ob: Obligation, obligor: str, ben: str, event: Event) -> tuple[Status, list[str]] | None:
    if obligor in event.attackers and ob.kind is not Kind.NONAGGRESSION:
        return None
    if ob.kind is Kind.DEFENSE:
        return Status.NOT_TRIGGERED, [f"{ben} is the attacker in this event; a defence obligation binds only when {ben} is attacked"]
    if ob.kind is Kind.OFFENSE:
        return Status.CONDITIONAL, [f"an offensive commitment to {ben}: it binds if this is the war the treaty foresees"]
    if ob.kind is Kind.NEUTRALITY:
        if ob.trigger is Trigger.ANY_WAR:
            return Status.OBLIGATED, [f"neutrality is owed in any war of {ben}'s, however begun"]
        return Status.NOT_TRIGGERED, [f"neutrality is owed only if {ben} is attacked; here {ben} attacks"]
    return None


def _trigger(ob: Obligation, ben: str, event: Event) -> Check:
    act, trig = event.act, ob.trigger
    if trig in (Trigger.THREAT, Trigger.ANY_WAR):
        return Answer.YES, f"the trigger ({trig.value}) is met by {act.value}"
    if trig is Trigger.UNKNOWN:
        return Answer.UNCLEAR, "the trigger is not known from the text"
    if trig is Trigger.THREAT_SHORT_OF_ATTACK:
        if act is Act.THREAT:
            return Answer.YES, f"a threat to {ben} other than by armed attack meets the trigger"
        if act is Act.INCIDENT:
            return Answer.UNCLEAR, "whether a limited incident is a threat \"other than by armed attack\" is contested"
        return Answer.NO, f"this clause covers threats other than by armed attack; an {act.value} is outside it"
    if act is Act.THREAT:
        return Answer.NO, f"a threat is not an armed attack; this obligation needs {trig.value}"
    if act is Act.INCIDENT:
        return Answer.UNCLEAR, f"whether a limited incident amounts to {trig.value} is contested"
    if trig is Trigger.STATE_OF_WAR:
        return Answer.YES, f"an {act.value} on {ben} is taken to put it in a state of war"
    return Answer.YES, f"an {act.value} on {ben} meets the trigger ({trig.value})"


class Match(Enum):
    """How a place meets one scope clause."""

    FULL = 0  # every field matches on what the place certainly is
    PARTIAL = 1  # a region tag matches only a part of the place (Russia's home territory and "in Europe")


def _clause_match(clause: ScopeClause, place: Place, beneficiary: str, day: date, members: set[str]) -> Match | None:
    """Whether ``place`` falls within ``clause``; ``administered_by`` and ``states`` read
    ``"target"`` as the attacked party and ``"party"`` as any party to the treaty."""
    def ids(xs: tuple[str, ...]) -> set[str]:
        out = {x for x in xs if x not in ("target", "party")}
        return out | ({beneficiary} if "target" in xs else set()) | (members if "party" in xs else set())

    if not (
        (clause.valid is None or clause.valid.contains(day))
        and (clause.place_kinds is None or place.kind in clause.place_kinds)
        and (clause.administered_by is None or (not place.high_seas and place.administrator in ids(clause.administered_by)))
        and (clause.states is None or place.state in ids(clause.states))
    ):
        return None
    if clause.regions is None or set(place.regions) & set(clause.regions):
        return Match.FULL
    if set(place.partial_regions) & set(clause.regions):
        return Match.PARTIAL
    return None


def _scope(treaty: Treaty, ob: Obligation, beneficiary: str, event: Event, members: set[str]) -> Check:
    """Whether the place falls within the obligation's scope, read as the text words it.

    An attack on a party's forces outside its territory falls within a clause only when the
    clause names forces (``place_kinds`` includes ``forces``, or ``covers_forces`` on an
    unlimited scope); where the text is silent, or the coding comes from a dataset, it is unclear.
    """
    place = event.place
    where = f"{place.name} ({place.kind.value}; {', '.join(place.regions + place.partial_regions) or 'no region'})"
    if place.disputed:
        return Answer.UNCLEAR, f"{where} is held by {states.name(place.state, event.on)}, but its status in law is disputed. {place.note}".strip()
    forces = place.kind is PlaceKind.FORCES
    if ob.scope.anywhere:
        if not forces:
            return Answer.YES, "no geographic limit"
        if ob.scope.covers_forces:
            return Answer.YES, "no geographic limit, and the text covers the parties' armed forces"
        if treaty.origin != "curated":
            return Answer.UNCLEAR, (f"{where}: an attack on {states.name(beneficiary, event.on)}'s forces outside its territory; "
                                    "the dataset records no scope, so whether the treaty covers forces abroad is unknown")
        return Answer.UNCLEAR, (f"{where}: an attack on {states.name(beneficiary, event.on)}'s forces outside its territory; "
                                "the text does not say whether it covers forces abroad")
    unclear: list[str] = []
    for clause in ob.scope.clauses:
        match = _clause_match(clause, place, beneficiary, event.on, members)
        if match is None:
            continue
        if match is Match.PARTIAL:
            tags = ", ".join(sorted(set(place.partial_regions) & set(clause.regions or ())))
            unclear.append(f"{where} lies only partly in {tags}: the place decides; pass --place")
        elif forces and clause.place_kinds is None:
            unclear.append(f"{where}: {clause.note or 'the clause'}; the text does not say whether it covers "
                           "an attack on a party's forces there")
        elif clause.unclear:
            unclear.append(f"{where}: {clause.note or 'the text leaves open whether this place is covered'}")
        else:
            return Answer.YES, f"{where} lies within the scope" + (f": {clause.note}" if clause.note else "")
    if unclear:
        return Answer.UNCLEAR, unclear[0]
    return Answer.NO, f"{where} lies outside the scope" + (f" ({ob.scope.text})" if ob.scope.text else "")


def _conditions(ob: Obligation, ben: str, event: Event) -> list[Check]:
    out: list[Check] = []
    for c in ob.conditions:
        if c.kind is ConditionKind.SPECIFIC_ADVERSARY:
            names = ", ".join(states.name(s, event.on) for s in c.states) or "a named adversary"
            if not event.attackers:
                out.append((Answer.UNCLEAR, f"owed only against {names}; the attacker is not named"))
            elif set(event.attackers) & set(c.states):
                out.append((Answer.YES, f"owed against {names}, who attacks"))
            else:
                out.append((Answer.NO, f"owed only against {names}, not against this attacker"))
        elif c.kind in (ConditionKind.CONSTITUTIONAL, ConditionKind.UN_CHARTER, ConditionKind.REQUEST):
            out.append((Answer.YES, c.text or c.kind.value))
        elif c.kind is ConditionKind.NON_PROVOCATION:
            out.append((Answer.UNCLEAR, c.text or f"binds only if {ben} did not provoke the attack; the event does not say"))
        else:
            out.append((Answer.UNCLEAR, c.text or f"binds only under a {c.kind.value} condition the event does not settle"))
    return out
