"""The war cascade: who enters, round by round, on which side, and by which finding.

Round 0 is the attacker side against the target side. In each round, every defence obligation
whose finding is ``obligated`` (and, with ``conditional=True``, ``conditional``) toward a state on
the defender side brings its obligor in on the defender side; every offence obligation toward a
state on the aggressor side brings its obligor in on the aggressor side. Only obligations that
promise help (strength C-CONST or stronger) bring anyone in; consultation, neutrality and
non-aggression do not. A state that joins the defender side is taken to be attacked by the
aggressor side in its forces in the theatre of war (the event's regions, under the event place's
administrator), so its own allies' defence clauses are read for that attack, scope included;
joining the aggressor side makes no one's defence clause bind. A state bound to both sides in the
same round is a conflict: it stays out and is reported. The rounds stop when a round adds no one.

Round 1 is exactly what :func:`foedus.engine.assess_event` finds for the event as given (its
place and act); later rounds read an index compiled once per corpus and date
(:func:`compile_index`) and, for the few scope-limited obligations, once per theatre
(:meth:`CascadeIndex.theatre`), so a cascade is array work, not a scan of the treaties. The rule lives in
:func:`foedus.rounds.advance`, shared by the cascade, the sweeps and the Monte Carlo. See docs/cascade.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from . import places, states
from .corpus.loader import Corpus
from .engine import assess_event, make_event
from .model import (Act, ConditionKind, Event, Finding, Kind, Obligation, Place, PlaceKind, ScopeClause, Status, Strength,
                    Treaty)
from .rounds import Propagator, Rounds, Side, advance
from .store import active_corpus
from .strength import strength

LEGAL_READING = (
    "a legal reading of the treaties (who is bound), not a forecast of who will fight; see `foedus forecast`"
)
ELSEWHERE = "elsewhere"  # a theatre's administrator when no scope clause in force names it


@dataclass(frozen=True)
class Link:
    """One obligation that would bring ``finding.obligor`` in on ``side`` when its beneficiary fights there."""

    finding: Finding
    side: Side
    adversaries: frozenset[str] = frozenset()  # non-empty: binds only if one of these is an aggressor

    def enabled(self, conditional: bool) -> bool:
        """Whether this link counts under the chosen status threshold."""
        return self.finding.status is Status.OBLIGATED or (conditional and self.finding.status is Status.CONDITIONAL)


def _links(findings: Sequence[Finding], side: Side, adversaries: dict[tuple[str, str], frozenset[str]]) -> list[Link]:
    """The findings that can bring an obligor into the war on ``side``."""
    kind = Kind.DEFENSE if side is Side.DEFENDER else Kind.OFFENSE
    return [
        Link(f, side, adversaries.get((f.treaty, f.obligation), frozenset()))
        for f in findings
        if f.kind is kind and f.strength >= Strength.CONST and f.status in (Status.OBLIGATED, Status.CONDITIONAL)
    ]


# region tags, partial region tags, administrator and whether it is the high seas, as far as any clause tells them apart
Theatre = tuple[tuple[str, ...], tuple[str, ...], str, bool]


def _may_cover_forces(clause: ScopeClause) -> bool:
    """Whether a scope clause can match an attack on armed forces (else no theatre can satisfy it)."""
    return clause.place_kinds is None or PlaceKind.FORCES in clause.place_kinds


@dataclass(frozen=True)
class Reach:
    """What the clauses that can cover armed forces tell apart in a theatre: some region tags, some administrators."""

    regions: frozenset[str]
    administrators: frozenset[str] | None  # None: any may matter (a clause names the attacked party's own)

    @classmethod
    def of(cls, treaties: Iterable[Treaty]) -> Reach:
        """The reach of these treaties' obligations."""
        admins: set[str] = set()
        regions: set[str] = set()
        for t in treaties:
            for c in (c for ob in t.obligations for c in ob.scope.clauses if _may_cover_forces(c)):
                regions |= set(c.regions or ())
                for a in c.administered_by or ():  # "party": any of this treaty's parties
                    admins |= {m.state for m in t.parties} if a == "party" else {a}
        return cls(frozenset(regions), None if "target" in admins else frozenset(admins))

    def key(self, place: Place) -> Theatre:
        """The theatre of a war fought at ``place``, reduced to what these clauses can tell apart."""
        admin = place.administrator
        if self.administrators is not None and admin not in self.administrators:
            admin = ELSEWHERE
        return (tuple(r for r in place.regions if r in self.regions),
                tuple(r for r in place.partial_regions if r in self.regions), admin, place.high_seas)


@dataclass(frozen=True)
class Scoped:
    """The defence obligations in force, judged again for a joiner's forces in each theatre.

    An attack on forces abroad binds only where the text covers forces (docs/coding-treaties.md),
    so every defence obligation may answer differently in a theatre than at home.
    """

    limited: frozenset[tuple[str, str]]  # (treaty id, obligation id) of each
    treaties_of: dict[str, Corpus]  # per state, its treaties cut to the defence obligations that can cover forces
    reach_of: dict[str, Reach]  # per state, what its cut treaties tell apart
    reach: Reach  # what any of them tells apart

    @classmethod
    def of(cls, by_party: dict[str, list]) -> Scoped:
        """Collect them from each state's treaties in force."""
        limited: set[tuple[str, str]] = set()
        treaties_of: dict[str, Corpus] = {}
        for sid, treaties in by_party.items():
            mine = []
            for t in treaties:
                obs = [ob for ob in t.obligations if ob.kind is Kind.DEFENSE]
                limited |= {(t.id, ob.id) for ob in obs}
                reach = tuple(ob for ob in obs if ob.scope.anywhere or any(_may_cover_forces(c) for c in ob.scope.clauses))
                if reach:  # the treaty with only those obligations: the engine judges nothing else per theatre
                    mine.append(t.model_copy(update={"obligations": reach}))
            if mine:
                treaties_of[sid] = Corpus(mine)
        reach_of = {sid: Reach.of(sub) for sid, sub in treaties_of.items()}
        return cls(frozenset(limited), treaties_of, reach_of, Reach.of(t for sub in treaties_of.values() for t in sub))

    def key(self, place: Place) -> Theatre:
        """The theatre of a war fought at ``place``, reduced to what the clauses in force can tell apart."""
        return self.reach.key(place)


@dataclass
class CascadeIndex:
    """Every obligation in force on a date that can bring a state into a war, as arrays.

    ``ids`` is the universe (every party to a treaty in force, and every state a condition names).
    Link ``k`` brings ``obligor[k]`` in on ``side[k]`` when ``beneficiary[k]`` fights on that side.
    The index of a date reads each defender as attacked on its home territory (the sweeps' round 0);
    :meth:`theatre` gives the index for states joining a war, attacked in their forces in its theatre.
    """

    on: date
    ids: tuple[str, ...]
    links: list[Link]
    treaties_of: dict[str, Corpus]  # per state, the treaties in force it is a member of
    adversaries: dict[tuple[str, str], frozenset[str]]  # obligations owed only against named states
    scoped: Scoped  # what a theatre can change
    members: dict[str, frozenset[str]]  # per treaty in force, its parties on the date
    pos: dict[str, int] = field(init=False)
    obligor: np.ndarray = field(init=False)
    beneficiary: np.ndarray = field(init=False)
    defender: np.ndarray = field(init=False)  # True: defender-side link
    obligated: np.ndarray = field(init=False)  # True: status obligated (else conditional)
    by_obligor: dict[int, list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.pos = {s: i for i, s in enumerate(self.ids)}
        self.obligor = np.array([self.pos[k.finding.obligor] for k in self.links], dtype=np.int32)
        self.beneficiary = np.array([self.pos[k.finding.beneficiary] for k in self.links], dtype=np.int32)
        self.defender = np.array([k.side is Side.DEFENDER for k in self.links], dtype=bool)
        self.obligated = np.array([k.finding.status is Status.OBLIGATED for k in self.links], dtype=bool)
        self.by_obligor = {}
        for k, o in enumerate(self.obligor.tolist()):
            self.by_obligor.setdefault(o, []).append(k)
        self._dense: dict[bool, Propagator] = {}
        self._theatres: dict[Theatre, CascadeIndex] = {}
        self._forces: dict[tuple[str, Theatre], list[Link]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def selected(self, conditional: bool) -> np.ndarray:
        """Indices of the links that count under the threshold."""
        return np.flatnonzero(self.obligated | conditional)

    def propagator(self, conditional: bool) -> Propagator:
        """The dense matrix form of the links, built once per threshold."""
        if conditional not in self._dense:
            self._dense[conditional] = Propagator(self, self.selected(conditional))
        return self._dense[conditional]

    def theatre(self, place: Place) -> CascadeIndex:
        """The index for a war fought at ``place``: each defender attacked in its forces there (cached).

        Every defence obligation is judged again, for the forces place; offence obligations answer
        as at home. Theatres that no clause in force tells apart share one index.
        """
        scoped = self.scoped
        key = scoped.key(place)
        if key not in self._theatres:
            links = [k for k in self.links if k.side is Side.AGGRESSOR or _key(k.finding) not in scoped.limited]
            for sid, sub in sorted(scoped.treaties_of.items()):
                links += self._forces_links(sid, sub, scoped.reach_of[sid].key(place))
            self._theatres[key] = CascadeIndex(self.on, self.ids, links, self.treaties_of, self.adversaries, scoped,
                                               self.members)
        return self._theatres[key]

    def _forces_links(self, sid: str, sub: Corpus, theatre: Theatre) -> list[Link]:
        """Links owed to ``sid`` attacked in its forces in ``theatre`` under its cut treaties ``sub`` (cached)."""
        if (sid, theatre) not in self._forces:
            regions, partial, admin, high_seas = theatre
            name = f"{states.name(sid, self.on)} forces in the theatre of war"
            forces = Place(name=name, state=sid, kind=PlaceKind.FORCES, regions=regions, partial_regions=partial,
                           administered_by=None if high_seas else admin, high_seas=high_seas)
            self._forces[sid, theatre] = _defence_links(sid, forces, sub, self.adversaries, self.on)
        return self._forces[sid, theatre]


def _key(f: Finding) -> tuple[str, str]:
    return f.treaty, f.obligation


def _cut(treaties: Iterable[Treaty], keep: Callable[[Treaty, Obligation], bool]) -> Corpus:
    """The treaties with only the obligations ``keep`` admits, those left with none dropped.

    The engine judges each obligation on its own (its treaty, members and event), so the findings of
    the obligations kept are those the whole treaties give; the others are never judged.
    """
    out = []
    for t in treaties:
        obs = tuple(ob for ob in t.obligations if keep(t, ob))
        if obs:
            out.append(t if len(obs) == len(t.obligations) else t.model_copy(update={"obligations": obs}))
    return Corpus(out)


def _helps(kind: Kind) -> Callable[[Treaty, Obligation], bool]:
    """Whether an obligation of ``kind`` promises help: the only ones that can bring anyone in (see :func:`_links`)."""
    return lambda _t, ob: ob.kind is kind and strength(ob) >= Strength.CONST


def _defence_links(
    sid: str, place: Place, sub: Corpus, adversaries: dict[tuple[str, str], frozenset[str]], on: date
) -> list[Link]:
    """Defence links owed to ``sid`` attacked at ``place`` by an unnamed state and by the adversaries named.

    An obligation owed against named adversaries is judged for an attack by those of them that are not
    parties to its treaty: an attack by a party is a war among allies, in which its defence links bind
    no one (see :class:`foedus.rounds.Propagator`), and as a hypothetical attacker it would make the
    engine read every attack as one.
    """
    helps = _helps(Kind.DEFENSE)
    links = []
    unnamed = _cut(sub, lambda t, ob: helps(t, ob) and (t.id, ob.id) not in adversaries)
    if len(unnamed):
        plain = assess_event(Event(attackers=(), target=sid, place=place, on=on), unnamed).findings
        links += _links(plain, Side.DEFENDER, adversaries)
    named: dict[tuple[str, ...], set[tuple[str, str]]] = {}  # the attackers to judge -> the obligations
    for t in sub:
        parties = set(t.members_on(on)) | {sid}
        for ob in t.obligations:
            foes = tuple(sorted(adversaries.get((t.id, ob.id), frozenset()) - parties))
            if foes and helps(t, ob):
                named.setdefault(foes, set()).add((t.id, ob.id))
    for foes, keys in sorted(named.items()):
        cut = _cut(sub, lambda t, ob, keys=keys: (t.id, ob.id) in keys)
        found = assess_event(Event(attackers=foes, target=sid, place=place, on=on), cut).findings
        links += _links(found, Side.DEFENDER, adversaries)
    return links


@lru_cache(maxsize=16)
def compile_index(corpus: Corpus, on: date) -> CascadeIndex:
    """The cascade index of ``corpus`` on ``on``, read from the engine's findings (cached)."""
    in_force = [t for t in corpus if t.interval.contains(on)]
    by_party: dict[str, list] = {}
    named: set[str] = set()
    adversaries: dict[tuple[str, str], frozenset[str]] = {}
    for t in in_force:
        for sid in t.members_on(on):
            by_party.setdefault(sid, []).append(t)
        for ob in t.obligations:
            adv = frozenset(s for c in ob.conditions if c.kind is ConditionKind.SPECIFIC_ADVERSARY for s in c.states)
            if adv:
                adversaries[(t.id, ob.id)] = adv
                named |= adv
    links: list[Link] = []
    treaties_of = {sid: Corpus(treaties) for sid, treaties in by_party.items()}
    for sid, _ in sorted(by_party.items()):
        sub = treaties_of[sid]
        # attacked on its home territory by an unnamed state, and by the adversaries its treaties name
        links += _defence_links(sid, places.home(sid), sub, adversaries, on)
        # as an aggressor: only offence obligations owed to it (no particular target)
        offence = _cut(sub, _helps(Kind.OFFENSE))
        if len(offence):
            attacking = Event(attackers=(sid,), target="", place=Place(name="", state=""), on=on)
            links += _links(assess_event(attacking, offence).findings, Side.AGGRESSOR, adversaries)
    ids = tuple(sorted(set(by_party) | named))
    members = {t.id: frozenset(t.members_on(on)) for t in in_force}
    return CascadeIndex(on, ids, links, treaties_of, adversaries, Scoped.of(by_party), members)




@dataclass(frozen=True)
class Entry:
    """A state in the war: its side, the round it entered, and the findings that brought it in."""

    state: str
    side: Side
    round: int
    findings: tuple[Finding, ...] = ()

    def as_json(self) -> dict:
        """JSON shape."""
        return {
            "state": self.state,
            "name": states.name(self.state),
            "side": self.side.value,
            "round": self.round,
            "findings": [f.as_json() for f in self.findings],
        }


@dataclass(frozen=True)
class Conflict:
    """A state bound to both sides: out of the war (``fighting`` None) or already fighting on one."""

    state: str
    round: int
    fighting: Side | None
    findings: tuple[Finding, ...]

    def as_json(self) -> dict:
        """JSON shape."""
        return {
            "state": self.state,
            "name": states.name(self.state),
            "round": self.round,
            "fighting": self.fighting.value if self.fighting else None,
            "findings": [f.as_json() for f in self.findings],
        }


@dataclass(frozen=True)
class Cascade:
    """A war grown to its fixed point."""

    event: Event
    conditional: bool
    entries: tuple[Entry, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def rounds(self) -> int:
        """The last round in which someone entered or was found in conflict."""
        return max([e.round for e in self.entries] + [c.round for c in self.conflicts])

    def side(self, side: Side) -> list[str]:
        """The states on a side, in order of entry."""
        return [e.state for e in self.entries if e.side is side]

    def as_json(self) -> dict:
        """The JSON document of ``foedus cascade --json``."""
        return {
            "event": {
                "attackers": list(self.event.attackers),
                "target": self.event.target,
                "on": self.event.on.isoformat(),
                "act": self.event.act.value,
                "place": self.event.place.name,
            },
            "threshold": "obligated or conditional" if self.conditional else "obligated",
            "reading": LEGAL_READING,
            "rounds": self.rounds,
            "defenders": self.side(Side.DEFENDER),
            "aggressors": self.side(Side.AGGRESSOR),
            "entries": [e.as_json() for e in self.entries],
            "conflicts": [c.as_json() for c in self.conflicts],
        }


@dataclass
class Scenario:
    """An event prepared for the array rule: its round-0 sides and the links its own findings give."""

    event: Event
    index: CascadeIndex
    conditional: bool
    d0: np.ndarray
    a0: np.ndarray
    root_links: list[Link]
    outside: dict[str, Side]  # round-0 belligerents that no treaty in force names: no links at all

    def roots(self) -> tuple[np.ndarray, np.ndarray]:
        """States bound to each side by the round-0 belligerents, per the engine."""
        rd, ra = np.zeros_like(self.d0), np.zeros_like(self.a0)
        for k in self.root_links:
            if k.enabled(self.conditional):
                (rd if k.side is Side.DEFENDER else ra)[0, self.index.pos[k.finding.obligor]] = True
        return rd, ra


def prepare(event: Event, corpus: Corpus | None = None, conditional: bool = False) -> Scenario:
    """The engine's findings for ``event`` and the index for its date and theatre, as a :class:`Scenario`."""
    corpus = corpus if corpus is not None else active_corpus()
    from .index_cache import theatre_index  # the compiled index, kept on disk per (corpus, date, theatre)

    index = theatre_index(corpus, event.on, event.place)
    # the engine on the treaties in force that bind a round-0 belligerent: the same findings, fewer treaties
    mine = {t.id: t for s in (event.target, *event.attackers) for t in index.treaties_of.get(s, ())}
    findings = assess_event(event, Corpus(mine.values())).findings
    # a treaty that binds an attacker too brings no one in on the target's side (a war among allies)
    to_target = [f for f in findings if f.beneficiary == event.target and not index.members.get(f.treaty, frozenset())
                 & set(event.attackers)]
    to_attackers = [f for f in findings if f.beneficiary in event.attackers]
    root = _links(to_target, Side.DEFENDER, {}) + _links(to_attackers, Side.AGGRESSOR, {})
    d0 = np.zeros((1, len(index)), dtype=bool)
    a0 = np.zeros_like(d0)
    outside = {}
    for sid, side in ((event.target, Side.DEFENDER), *((s, Side.AGGRESSOR) for s in event.attackers)):
        if sid in index.pos:
            (d0 if side is Side.DEFENDER else a0)[0, index.pos[sid]] = True
        else:
            outside[sid] = side
    return Scenario(event, index, conditional, d0, a0, root, outside)


def cascade_event(event: Event, corpus: Corpus | None = None, conditional: bool = False) -> Cascade:
    """Grow the war that ``event`` starts to its fixed point."""
    sc = prepare(event, corpus, conditional)
    rounds = advance(sc.d0, sc.a0, sc.index.propagator(conditional), sc.roots())
    return explain(sc, rounds)


def cascade(
    target: str | int,
    attackers: Sequence[str | int] = (),
    on: date | None = None,
    place: str | None = None,
    act: Act | str = Act.ARMED_ATTACK,
    corpus: Corpus | None = None,
    conditional: bool = False,
) -> Cascade:
    """Which states a war of ``attackers`` on ``target`` draws in, round by round, and why."""
    return cascade_event(make_event(target, attackers, on, place, act), corpus, conditional)


def explain(sc: Scenario, rounds: Rounds) -> Cascade:
    """Attach to each entry and conflict the findings that brought it about (row 0 of ``rounds``)."""
    ix, ev = sc.index, sc.event
    rd, ra, rc, rl = rounds.defender[0], rounds.aggressor[0], rounds.conflict[0], rounds.late[0]

    def why(o: int, side: Side, r: int) -> list[Finding]:
        """Enabled links to ``o`` on ``side`` whose beneficiary fought there before round ``r``."""
        on_side = rd if side is Side.DEFENDER else ra
        foes = {ix.ids[i] for i in np.flatnonzero((ra >= 0) & (ra < r))} | set(ev.attackers)
        out = [
            k.finding
            for k in sc.root_links
            if k.side is side and k.enabled(sc.conditional) and ix.pos.get(k.finding.obligor) == o
        ]
        for k in ix.by_obligor.get(o, []):
            link = ix.links[k]
            b = ix.beneficiary[k]
            if (
                link.side is side
                and link.enabled(sc.conditional)
                and 0 < on_side[b] < r
                and (not link.adversaries or link.adversaries & foes)
                and not (side is Side.DEFENDER and ix.members.get(link.finding.treaty, frozenset()) & foes)
            ):
                out.append(link.finding)
        return sorted(out, key=lambda f: (-int(f.strength), f.treaty, f.beneficiary))

    entries = [Entry(ev.target, Side.DEFENDER, 0)] + [Entry(s, Side.AGGRESSOR, 0) for s in ev.attackers]
    for i in np.argsort(np.maximum(rd, ra), kind="stable"):
        for side, r in ((Side.DEFENDER, rd[i]), (Side.AGGRESSOR, ra[i])):
            if r > 0:
                entries.append(Entry(ix.ids[i], side, int(r), tuple(why(i, side, r))))
    conflicts = []
    for i in np.flatnonzero((rc > 0) | (rl > 0)):
        r = int(max(rc[i], rl[i]))
        fighting = Side.DEFENDER if rd[i] >= 0 else Side.AGGRESSOR if ra[i] >= 0 else None
        found = why(i, Side.DEFENDER, r) + why(i, Side.AGGRESSOR, r)
        conflicts.append(Conflict(ix.ids[i], r, fighting, tuple(found)))
    conflicts.sort(key=lambda c: (c.round, c.state))
    return Cascade(ev, sc.conditional, tuple(entries), tuple(conflicts))
