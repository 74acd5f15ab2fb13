"""The array cascade against the rule read straight off the engine, round by round, on random alliance systems.

The reference below asks :func:`foedus.engine.assess_event` about the whole corpus in every round, for
each state that entered in the round before (a defender attacked in its forces in the theatre by the
aggressor side so far, an aggressor attacking), and applies the cascade rule of docs/cascade.md by
hand: no compiled index, no theatre keys, no matrices. The cascade and the sweep must agree with it.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from foedus import Corpus, states
from foedus.cascade import cascade
from foedus.engine import assess_event, make_event
from foedus.model import Condition, ConditionKind, Event, Kind, Place, PlaceKind, Status, Strength
from foedus.sweep import sweep_date
from tests.test_cascade import DAY, DEFENCE, OFFENCE, POOL, SILENT, scoped, treaty

KINDS = {
    "forces": (DEFENCE,),
    "silent": (SILENT,),
    "offence": (DEFENCE, OFFENCE),
    "offence-only": (OFFENCE,),
    "asia, forces there": (scoped("asia", PlaceKind.FORCES),),
    "europe": (scoped("europe"),),
    # bound only against named adversaries, who may be parties too (a Locarno-style guarantee)
    "against China or Russia": (DEFENCE.model_copy(update={"conditions": (
        Condition(kind=ConditionKind.SPECIFIC_ADVERSARY, states=("CHN", "RUS")),)}),),
}

systems = st.lists(
    st.tuples(st.lists(st.sampled_from(POOL), min_size=2, max_size=5, unique=True), st.sampled_from(sorted(KINDS))),
    min_size=1,
    max_size=8,
)
war = st.lists(st.sampled_from(POOL), min_size=2, max_size=2, unique=True)


def build(spec) -> Corpus:
    return Corpus([treaty(f"p{i}", tuple(ps), *KINDS[k]) for i, (ps, k) in enumerate(spec)])


def _binds(f, kind: Kind, conditional: bool) -> bool:
    return f.kind is kind and f.strength >= Strength.CONST and (
        f.status is Status.OBLIGATED or (conditional and f.status is Status.CONDITIONAL)
    )


def reference(event: Event, corpus: Corpus, conditional: bool) -> tuple[dict, set]:
    """(state -> (side, round), {(state, round, fighting side or None)}) by the engine in every round."""
    members = {t.id: set(t.members_on(event.on)) for t in corpus}
    place = event.place
    side = {event.target: ("defender", 0), **{a: ("aggressor", 0) for a in event.attackers}}
    initial = set(side)
    cand: dict[str, set[str]] = {"defender": set(), "aggressor": set()}
    conflict: dict[str, int] = {}
    late: dict[str, int] = {}

    def bound(b: str, on_side: str, aggressors: set[str], first: bool) -> set[str]:
        """The states bound to join ``on_side`` because ``b`` fights there."""
        if on_side == "aggressor":
            attacking = Event(attackers=(b,), target="", place=Place(name="", state=""), on=event.on)
            if first:
                attacking = event
            return {f.obligor for f in assess_event(attacking, corpus).findings
                    if f.beneficiary == b and _binds(f, Kind.OFFENSE, conditional)}
        if first:
            attacked = event
        else:
            forces = Place(name=f"{states.name(b)} forces", state=b, kind=PlaceKind.FORCES, regions=place.regions,
                           partial_regions=place.partial_regions, high_seas=place.high_seas,
                           administered_by=None if place.high_seas else place.administrator)
            attacked = Event(attackers=tuple(sorted(aggressors)), target=b, place=forces, on=event.on)
        return {f.obligor for f in assess_event(attacked, corpus).findings
                if f.beneficiary == b and _binds(f, Kind.DEFENSE, conditional)
                and not members[f.treaty] & aggressors}  # a war among allies binds no one to defend

    frontier = dict(side)
    for r in range(1, len(POOL) + 2):
        aggressors = {s for s, (sd, _) in side.items() if sd == "aggressor"}
        for b, (sd, _) in frontier.items():
            cand[sd] |= bound(b, sd, aggressors if r > 1 else set(event.attackers), r == 1)
        frontier = {}
        for s in sorted(cand["defender"] | cand["aggressor"]):
            both = s in cand["defender"] and s in cand["aggressor"]
            if s not in side and s not in conflict:
                if both:
                    conflict[s] = r
                else:
                    frontier[s] = ("defender" if s in cand["defender"] else "aggressor", r)
            elif s in side and s not in initial and s not in late:
                other = "aggressor" if side[s][0] == "defender" else "defender"
                if s in cand[other]:
                    late[s] = r
        side.update(frontier)
        if not frontier:
            break
    clashes = {(s, max(conflict.get(s, -1), late.get(s, -1)), side[s][0] if s in side else None)
               for s in set(conflict) | set(late)}
    return side, clashes


def outcome(c) -> tuple[dict, set]:
    return ({e.state: (e.side.value, e.round) for e in c.entries},
            {(x.state, x.round, x.fighting.value if x.fighting else None) for x in c.conflicts})


@settings(max_examples=60, deadline=None)
@given(systems, war, st.booleans(), st.sampled_from([None, "Okinawa", "South China Sea", "Hawaii"]))
def test_the_cascade_is_the_engine_read_round_by_round(spec, pair, conditional, place):
    corpus = build(spec)
    event = make_event(pair[0], [pair[1]], DAY, place)
    assert outcome(cascade(pair[0], [pair[1]], DAY, place=place, corpus=corpus, conditional=conditional)) == \
        reference(event, corpus, conditional)


@settings(max_examples=15, deadline=None)
@given(systems, st.booleans())
def test_every_war_of_a_sweep_is_the_engine_read_round_by_round(spec, conditional):
    corpus = build(spec)
    members = sorted({p for ps, _ in spec for p in ps} | {"BRA"})
    table = sweep_date(DAY, corpus, conditional, members=members)
    for attacker in members:
        for target in members:
            if attacker == target:
                continue
            rows = table.filter((table["attacker"] == attacker) & (table["target"] == target))
            got = {(s, sd, r) for s, sd, r in rows.select(["state", "side", "round"]).iter_rows()}
            side, clashes = reference(make_event(target, [attacker], DAY), corpus, conditional)
            want = {(s, sd, r) for s, (sd, r) in side.items()}
            want |= {(s, "conflict", r) for s, r, fighting in clashes if fighting is None}
            assert got == want, (attacker, target)


def test_the_reference_sees_a_war_grow_along_pacts():
    """The reference itself: a chain of pacts whose clauses cover forces carries the war round by round."""
    corpus = build([(("KOR", "USA"), "forces"), (("USA", "GBR"), "forces"), (("GBR", "FRA"), "silent")])
    side, clashes = reference(make_event("KOR", ["PRK"], date(2020, 6, 1)), corpus, False)
    assert side == {"KOR": ("defender", 0), "PRK": ("aggressor", 0), "USA": ("defender", 1), "GBR": ("defender", 2)}
    assert not clashes
