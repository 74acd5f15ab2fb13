"""Engine mechanics on small treaties built in code (real-treaty cases live in test_engine_cases.py)."""

from __future__ import annotations

from datetime import date

import pytest

from foedus import Corpus, assess
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
    Strength,
    Suspension,
    Treaty,
    Trigger,
)

DAY = date(2020, 6, 1)


def pact(*obligations: Obligation, parties=("USA", "JPN", "KOR"), start=date(2000, 1, 1), **kw) -> Corpus:
    arts = tuple(Article(number=o.article, text=f"text of {o.article}") for o in obligations if o.article)
    t = Treaty(
        id="test-pact", name="Test Pact", in_force=start,
        parties=tuple(Membership(state=p, start=start) for p in parties),
        articles=tuple({a.number: a for a in arts}.values()), obligations=obligations, **kw,
    )
    return Corpus([t])


DEFENCE = Obligation(id="d", kind=Kind.DEFENSE, article="1", means=Means.ALL_MEANS)


def statuses(a) -> dict[tuple[str, str, str], Status]:
    return {(f.obligor, f.beneficiary, f.obligation): f.status for f in a.findings}


def test_every_other_party_owes_the_target():
    a = assess("JPN", ["CHN"], DAY, corpus=pact(DEFENCE))
    assert statuses(a) == {("USA", "JPN", "d"): Status.OBLIGATED, ("KOR", "JPN", "d"): Status.OBLIGATED}
    assert all(f.strength is Strength.AUTO and f.text == "text of 1" for f in a.findings)


def test_aggressors_ally_is_not_obligated_to_defend_it():
    a = assess("CHN", ["JPN"], DAY, corpus=pact(DEFENCE))
    assert set(statuses(a).values()) == {Status.NOT_TRIGGERED}
    assert "is the attacker" in a.findings[0].reasons[0]


def test_intra_alliance_attack_the_attacker_owes_nothing_the_others_are_conditional():
    a = assess("KOR", ["JPN"], DAY, corpus=pact(DEFENCE))
    assert statuses(a)[("USA", "KOR", "d")] is Status.CONDITIONAL
    usa = next(f for f in a.findings if f.obligor == "USA" and f.beneficiary == "KOR")
    assert "both sides are parties" in usa.reasons[-1] and "whom to help" in usa.reasons[-1]
    assert ("JPN", "KOR", "d") not in statuses(a)


def test_consultation_is_not_defence_and_binds_on_threat():
    consult = Obligation(id="c", kind=Kind.CONSULTATION, article="2", trigger=Trigger.THREAT, means=Means.CONSULT)
    corpus = pact(DEFENCE, consult)
    threat = statuses(assess("JPN", ["CHN"], DAY, act="threat", corpus=corpus))
    assert threat[("USA", "JPN", "c")] is Status.OBLIGATED
    assert threat[("USA", "JPN", "d")] is Status.NOT_TRIGGERED
    f = next(f for f in assess("JPN", ["CHN"], DAY, corpus=corpus).findings if f.obligation == "c")
    assert f.strength is Strength.CONSULT


def test_limited_incident_is_conditional():
    a = assess("JPN", ["CHN"], DAY, act="incident", corpus=pact(DEFENCE))
    assert set(statuses(a).values()) == {Status.CONDITIONAL}


def test_specific_adversary_applies_only_to_it():
    ob = DEFENCE.model_copy(update={"conditions": (Condition(kind=ConditionKind.SPECIFIC_ADVERSARY, states=("RUS",)),)})
    corpus = pact(ob)
    assert set(statuses(assess("JPN", ["RUS"], DAY, corpus=corpus)).values()) == {Status.OBLIGATED}
    assert set(statuses(assess("JPN", ["CHN"], DAY, corpus=corpus)).values()) == {Status.NOT_TRIGGERED}
    assert set(statuses(assess("JPN", [], DAY, corpus=corpus)).values()) == {Status.CONDITIONAL}


def test_asymmetric_obligation_binds_one_way():
    ob = DEFENCE.model_copy(update={"obligors": ("USA",), "beneficiaries": ("JPN",)})
    corpus = pact(ob, parties=("USA", "JPN"))
    assert statuses(assess("JPN", ["CHN"], DAY, corpus=corpus)) == {("USA", "JPN", "d"): Status.OBLIGATED}
    assert statuses(assess("USA", ["CHN"], DAY, corpus=corpus)) == {}


def test_suspension_between_a_pair():
    corpus = pact(DEFENCE, parties=("USA", "AUS", "NZL"),
                  suspensions=(Suspension(between=("USA", "NZL"), start=date(1986, 9, 17), note="US suspension"),))
    s = statuses(assess("NZL", ["CHN"], DAY, corpus=corpus))
    assert s[("USA", "NZL", "d")] is Status.NOT_TRIGGERED and s[("AUS", "NZL", "d")] is Status.OBLIGATED


def test_scope_clauses_kinds_regions_and_administration():
    held = (PlaceKind.TERRITORY, PlaceKind.OVERSEAS, PlaceKind.FORCES)
    scope = Scope(anywhere=False, text="territories under the administration of Japan", clauses=(
        ScopeClause(administered_by=("JPN",), place_kinds=held),
        ScopeClause(place_kinds=(PlaceKind.FORCES,), regions=("south-china-sea",), unclear=True, note="disputed reach"),
    ))
    corpus = pact(DEFENCE.model_copy(update={"scope": scope}), parties=("USA", "JPN"))
    okinawa = statuses(assess("USA", ["CHN"], DAY, place="Okinawa", corpus=corpus))
    assert okinawa == {("JPN", "USA", "d"): Status.OBLIGATED}
    guam = assess("USA", ["CHN"], DAY, place="Guam", corpus=corpus)
    assert statuses(guam) == {("JPN", "USA", "d"): Status.NOT_TRIGGERED}
    assert "lies outside the scope" in " ".join(guam.findings[0].reasons)
    scs = statuses(assess("USA", ["CHN"], DAY, place="South China Sea", corpus=corpus))
    assert scs == {("JPN", "USA", "d"): Status.CONDITIONAL}


def test_forces_abroad_bind_only_a_clause_that_names_forces():
    silent = Scope(anywhere=False, text="territories under the administration of Japan",
                   clauses=(ScopeClause(administered_by=("JPN",)),))
    corpus = pact(DEFENCE.model_copy(update={"scope": silent}), parties=("USA", "JPN"))
    okinawa = assess("USA", ["CHN"], DAY, place="Okinawa", corpus=corpus)
    assert statuses(okinawa) == {("JPN", "USA", "d"): Status.CONDITIONAL}
    assert "does not say whether it covers an attack on a party's forces" in okinawa.findings[0].reasons[-1]
    anywhere = pact(DEFENCE, parties=("USA", "JPN"))
    f = assess("USA", ["CHN"], DAY, place="Okinawa", corpus=anywhere).findings[0]
    assert f.status is Status.CONDITIONAL and "does not say whether it covers forces abroad" in " ".join(f.reasons)
    named = pact(DEFENCE.model_copy(update={"scope": Scope(covers_forces=True)}), parties=("USA", "JPN"))
    assert statuses(assess("USA", ["CHN"], DAY, place="Okinawa", corpus=named)) == {("JPN", "USA", "d"): Status.OBLIGATED}


def test_forces_stationed_abroad_are_the_targets_forces():
    a = assess("USA", ["CHN"], DAY, place="Okinawa", corpus=pact(DEFENCE, parties=("USA", "JPN")))
    p = a.event.place
    assert (p.state, p.kind, p.administrator) == ("USA", PlaceKind.FORCES, "JPN")


def test_disputed_place_is_conditional():
    a = assess("RUS", ["UKR"], DAY, place="Crimea", corpus=pact(DEFENCE, parties=("RUS", "BLR")))
    assert statuses(a) == {("BLR", "RUS", "d"): Status.CONDITIONAL}


def test_clause_validity_in_time():
    scope = Scope(anywhere=False, clauses=(ScopeClause(regions=("algerian-departments",), valid={"start": "1949-01-01", "end": "1962-07-03"}),))
    corpus = pact(DEFENCE.model_copy(update={"scope": scope}), parties=("FRA", "USA"), start=date(1949, 8, 24))
    assert statuses(assess("FRA", [], date(1960, 1, 1), place="Algerian Departments", corpus=corpus))[("USA", "FRA", "d")] is Status.OBLIGATED
    assert statuses(assess("FRA", [], date(1963, 1, 1), place="Algerian Departments", corpus=corpus))[("USA", "FRA", "d")] is Status.NOT_TRIGGERED


def test_nonaggression_breach_and_neutrality():
    nonagg = Obligation(id="n", kind=Kind.NONAGGRESSION, article="3")
    neutral = Obligation(id="u", kind=Kind.NEUTRALITY, article="4")
    a = statuses(assess("JPN", ["KOR"], DAY, corpus=pact(nonagg, neutral)))
    assert a[("KOR", "JPN", "n")] is Status.OBLIGATED  # the attacker breaches its promise
    assert a[("USA", "JPN", "u")] is Status.OBLIGATED  # the target is owed neutrality
    assert a[("USA", "KOR", "u")] is Status.NOT_TRIGGERED  # the attacker is not


def test_membership_dates_and_notes():
    t = Treaty(id="t", name="T", in_force=date(2000, 1, 1), articles=(Article(number="1", text="x"),),
               parties=(Membership(state="USA", start=date(2000, 1, 1)), Membership(state="FIN", start=date(2023, 4, 4))),
               obligations=(DEFENCE,))
    early = assess("FIN", ["RUS"], date(2022, 6, 1), corpus=Corpus([t]))
    assert early.findings == () and "not a party to T on 2022-06-01" in early.notes[0]
    late = assess("FIN", ["RUS"], date(2024, 6, 1), corpus=Corpus([t]))
    assert statuses(late) == {("USA", "FIN", "d"): Status.OBLIGATED}


@pytest.mark.parametrize("bad", [{"end": "1999-01-01"}, {"start": "2000-01-01", "end": "2000-01-01"}])
def test_intervals_must_be_ordered(bad):
    from pydantic import ValidationError

    from foedus.model import Interval

    with pytest.raises(ValidationError):
        Interval.model_validate({"start": "2000-01-01", **bad})
