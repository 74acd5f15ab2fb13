"""The war cascade on treaties built in code: rounds, sides, conflicts, and its invariants."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from foedus import Corpus, assess
from foedus.cascade import Side, cascade
from foedus.model import (
    Article,
    Condition,
    ConditionKind,
    Kind,
    Means,
    Membership,
    Obligation,
    PlaceKind,
    Scope,
    ScopeClause,
    Status,
    Treaty,
)

DAY = date(2020, 6, 1)
POOL = ("USA", "JPN", "KOR", "PRK", "CHN", "RUS", "FRA", "DEU", "GBR", "ITA")
# "an armed attack on a Party, its forces, vessels or aircraft": joiners attacked in their forces are covered
DEFENCE = Obligation(id="d", kind=Kind.DEFENSE, article="1", means=Means.ALL_MEANS, scope=Scope(covers_forces=True))
SILENT = Obligation(id="d", kind=Kind.DEFENSE, article="1", means=Means.ALL_MEANS)  # says nothing of forces
OFFENCE = Obligation(id="o", kind=Kind.OFFENSE, article="2", means=Means.NECESSARY_ACTION)


def treaty(tid: str, parties: tuple[str, ...], *obligations: Obligation) -> Treaty:
    obligations = obligations or (DEFENCE,)
    arts = {o.article: Article(number=o.article, text=f"{tid} art {o.article}") for o in obligations}
    start = date(2000, 1, 1)
    return Treaty(
        id=tid,
        name=tid.upper(),
        in_force=start,
        parties=tuple(Membership(state=p, start=start) for p in parties),
        articles=tuple(arts.values()),
        obligations=obligations,
    )


def sides(c) -> dict[str, tuple[str, int]]:
    return {e.state: (e.side.value, e.round) for e in c.entries}


def test_war_grows_round_by_round_along_defence_pacts():
    corpus = Corpus([treaty("t-x", ("JPN", "USA")), treaty("x-y", ("USA", "GBR")), treaty("y-z", ("GBR", "FRA"))])
    c = cascade("JPN", ["CHN"], DAY, corpus=corpus)
    assert sides(c) == {
        "JPN": ("defender", 0),
        "CHN": ("aggressor", 0),
        "USA": ("defender", 1),
        "GBR": ("defender", 2),
        "FRA": ("defender", 3),
    }
    fra = next(e for e in c.entries if e.state == "FRA")
    assert [(f.treaty, f.beneficiary, f.status) for f in fra.findings] == [("y-z", "GBR", Status.OBLIGATED)]
    assert c.rounds == 3 and c.conflicts == ()


def test_a_clause_silent_on_forces_does_not_carry_the_war_past_the_first_joiner():
    corpus = Corpus([treaty("t-x", ("JPN", "USA"), SILENT), treaty("x-y", ("USA", "GBR"), SILENT)])
    c = cascade("JPN", ["CHN"], DAY, corpus=corpus)
    assert sides(c) == {"JPN": ("defender", 0), "CHN": ("aggressor", 0), "USA": ("defender", 1)}
    grown = cascade("JPN", ["CHN"], DAY, corpus=corpus, conditional=True)
    gbr = next(e for e in grown.entries if e.state == "GBR")
    assert gbr.round == 2 and gbr.findings[0].status is Status.CONDITIONAL
    assert "does not say whether it covers forces abroad" in " ".join(gbr.findings[0].reasons)


def test_a_war_among_allies_brings_no_one_in_on_either_side():
    corpus = Corpus([treaty("pact", ("JPN", "USA", "KOR")), treaty("usa-gbr", ("USA", "GBR"))])
    c = cascade("KOR", ["JPN"], DAY, corpus=corpus)
    assert sides(c) == {"KOR": ("defender", 0), "JPN": ("aggressor", 0)}
    # a later joiner's ally under a treaty that also binds an aggressor stays out too
    corpus = Corpus([treaty("kor-usa", ("KOR", "USA")), treaty("usa-jpn", ("USA", "JPN"))])
    c = cascade("KOR", ["JPN"], DAY, corpus=corpus)
    assert sides(c) == {"KOR": ("defender", 0), "JPN": ("aggressor", 0), "USA": ("defender", 1)}


def test_the_aggressors_defence_allies_stay_out():
    corpus = Corpus([treaty("chn-prk", ("CHN", "PRK")), treaty("jpn-usa", ("JPN", "USA"))])
    c = cascade("JPN", ["CHN"], DAY, corpus=corpus)
    assert c.side(Side.AGGRESSOR) == ["CHN"] and c.side(Side.DEFENDER) == ["JPN", "USA"]


def test_a_joining_defender_counts_as_attacked_by_the_whole_aggressor_side():
    only_vs_china = Obligation(
        id="d",
        kind=Kind.DEFENSE,
        article="1",
        means=Means.ALL_MEANS,
        conditions=(Condition(kind=ConditionKind.SPECIFIC_ADVERSARY, states=("CHN",)),),
        scope=Scope(covers_forces=True),
    )
    corpus = Corpus([treaty("jpn-usa", ("JPN", "USA")), treaty("usa-gbr", ("USA", "GBR"), only_vs_china)])
    assert "GBR" in cascade("JPN", ["CHN"], DAY, corpus=corpus).side(Side.DEFENDER)
    assert "GBR" not in cascade("JPN", ["RUS"], DAY, corpus=corpus).side(Side.DEFENDER)


def test_offence_pacts_bring_in_aggressors_only_when_conditional_findings_count():
    corpus = Corpus([treaty("chn-rus", ("CHN", "RUS"), OFFENCE)])
    assert cascade("JPN", ["CHN"], DAY, corpus=corpus).side(Side.AGGRESSOR) == ["CHN"]
    assert cascade("JPN", ["CHN"], DAY, corpus=corpus, conditional=True).side(Side.AGGRESSOR) == ["CHN", "RUS"]


def test_a_state_bound_to_both_sides_is_a_conflict_and_stays_out():
    corpus = Corpus(
        [
            treaty("chn-rus", ("CHN", "RUS"), OFFENCE),
            treaty("jpn-rus", ("JPN", "RUS")),
            treaty("rus-ita", ("RUS", "ITA")),
        ]
    )
    c = cascade("JPN", ["CHN"], DAY, corpus=corpus, conditional=True)
    assert "RUS" not in c.side(Side.DEFENDER) + c.side(Side.AGGRESSOR)
    assert "ITA" not in sides(c)  # RUS stays out, so no one attacks it
    (conflict,) = c.conflicts
    assert (conflict.state, conflict.round, conflict.fighting) == ("RUS", 1, None)
    assert {f.treaty for f in conflict.findings} == {"chn-rus", "jpn-rus"}


def scoped(region: str, *kinds: PlaceKind) -> Obligation:
    """A defence obligation limited to places in ``region`` (of these kinds, if given)."""
    clause = ScopeClause(regions=(region,), place_kinds=kinds or None)
    return Obligation(
        id="d", kind=Kind.DEFENSE, article="1", means=Means.ALL_MEANS, scope=Scope(anywhere=False, clauses=(clause,))
    )


def test_round_one_is_what_assess_finds_and_joiners_are_attacked_in_the_theatre():
    corpus = Corpus(
        [treaty("jpn-usa", ("JPN", "USA"), scoped("asia")), treaty("usa-gbr", ("USA", "GBR"), scoped("europe"))]
    )
    for target, expected in (("JPN", ["JPN", "USA"]), ("GBR", ["GBR", "USA"]), ("USA", ["USA"])):
        c = cascade(target, ["CHN"], DAY, corpus=corpus)
        obligated = {f.obligor for f in assess(target, ["CHN"], DAY, corpus=corpus).by_status(Status.OBLIGATED)}
        assert {e.state for e in c.entries if e.round == 1} == obligated
        assert c.side(Side.DEFENDER) == expected


def test_a_joiners_allies_are_bound_by_where_its_forces_fight_not_by_its_home():
    corpus = Corpus(
        [
            treaty("jpn-usa", ("JPN", "USA")),
            treaty("usa-gbr", ("USA", "GBR"), scoped("asia", PlaceKind.FORCES)),  # US forces in Asia
            treaty("usa-fra", ("USA", "FRA"), scoped("north-america", PlaceKind.TERRITORY)),  # US soil only
        ]
    )
    war_in_asia = cascade("JPN", ["CHN"], DAY, corpus=corpus)
    assert sides(war_in_asia) == {
        "JPN": ("defender", 0),
        "CHN": ("aggressor", 0),
        "USA": ("defender", 1),
        "GBR": ("defender", 2),
    }
    (gbr,) = [e for e in war_in_asia.entries if e.state == "GBR"]
    assert any("forces in the theatre of war" in r for f in gbr.findings for r in f.reasons)
    # the same treaties when the United States itself is attacked at home: the territorial clause binds
    at_home = cascade("USA", ["CHN"], DAY, corpus=corpus)
    assert set(at_home.side(Side.DEFENDER)) == {"USA", "FRA", "JPN"}


# --- invariants over random alliance systems -------------------------------------------------

pacts = st.lists(
    st.tuples(st.lists(st.sampled_from(POOL), min_size=2, max_size=4, unique=True), st.booleans()),
    min_size=1,
    max_size=7,
)


def build(spec, offence: bool = True) -> list[Treaty]:
    return [
        treaty(f"p{i}", tuple(ps), *((DEFENCE, OFFENCE) if off and offence else (DEFENCE,)))
        for i, (ps, off) in enumerate(spec)
    ]


def outcome(c) -> tuple:
    return sides(c), {(x.state, x.round, x.fighting) for x in c.conflicts}


war = st.lists(st.sampled_from(POOL), min_size=2, max_size=2, unique=True)


@settings(max_examples=40, deadline=None)
@given(pacts, war, st.booleans())
def test_the_cascade_terminates_and_every_entry_has_a_reason(spec, pair, conditional):
    c = cascade(pair[0], [pair[1]], DAY, corpus=Corpus(build(spec)), conditional=conditional)
    assert c.rounds <= len(POOL)
    assert all(e.findings for e in c.entries if e.round > 0)
    assert len({e.state for e in c.entries}) == len(c.entries)


@settings(max_examples=40, deadline=None)
@given(pacts, war, st.booleans(), st.randoms(use_true_random=False))
def test_the_order_of_treaties_does_not_matter(spec, pair, conditional, rnd: random.Random):
    treaties = build(spec)
    shuffled = treaties[:]
    rnd.shuffle(shuffled)
    one = cascade(pair[0], [pair[1]], DAY, corpus=Corpus(treaties), conditional=conditional)
    two = cascade(pair[0], [pair[1]], DAY, corpus=Corpus(shuffled), conditional=conditional)
    assert outcome(one) == outcome(two)


@settings(max_examples=40, deadline=None)
@given(pacts, st.lists(st.sampled_from(POOL), min_size=2, max_size=4, unique=True), war, st.booleans())
def test_adding_a_treaty_never_removes_a_belligerent(spec, extra, pair, offence):
    """Holds whenever no conflict arises; conflicts only come from offence pacts read as conditional."""
    before = build(spec, offence)
    after = before + [treaty("extra", tuple(extra), *((DEFENCE, OFFENCE) if offence else (DEFENCE,)))]
    small = cascade(pair[0], [pair[1]], DAY, corpus=Corpus(before))
    large = cascade(pair[0], [pair[1]], DAY, corpus=Corpus(after))
    assert not small.conflicts and not large.conflicts
    for e in small.entries:
        assert e.state in large.side(e.side)
