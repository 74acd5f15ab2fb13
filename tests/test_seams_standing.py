"""A party whose standing under a treaty is disputed: findings owed by or to it are conditional.

Issue 12's diagnosis of the obligation cascade against the interstate wars found the cascade bringing
the Rio Treaty's parties in to defend Cuba in October 1975 (Zaire and South Africa against Cuban
forces in Angola), thirteen years after the Organ of Consultation excluded Cuba's government from
the inter-American system. The corpus codes Cuba as a party and says in a caveat that the sources
conflict (ATOP v4.01 ends its membership on 22 January 1962; the OAS depositary records no
denunciation). Where the coding itself does not settle whether a state is a party, the answer is
`conditional` with that reason, never `obligated` (docs/coding-treaties.md, "Suspensions versus
caveats").
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foedus.cascade import Side, cascade
from foedus.corpus.loader import Corpus, bundled
from foedus.engine import assess
from foedus.model import Status

ANGOLA_1975 = date(1975, 10, 23)  # IWD Angola_1975-76: Zaire (and South Africa) against Cuba


def rio(result, obligor: str, beneficiary: str):
    (f,) = [f for f in result.findings if f.treaty == "rio-1947" and f.obligor == obligor
            and f.beneficiary == beneficiary]
    return f


def test_rio_treaty_help_owed_to_cuba_in_1975_is_conditional_with_the_dispute_as_reason():
    f = rio(assess("CUB", ["COD"], ANGOLA_1975), "BRA", "CUB")
    assert f.status is Status.CONDITIONAL
    assert any("disputed" in r and "ATOP" in r for r in f.reasons)


def test_rio_treaty_help_owed_to_cuba_before_its_exclusion_stands():
    f = rio(assess("CUB", ["ESP"], date(1955, 1, 1)), "BRA", "CUB")  # not an American state
    assert f.status is Status.OBLIGATED
    assert not any("disputed" in r for r in f.reasons)


def test_cubas_own_rio_obligations_after_1962_are_conditional_and_the_others_stand():
    r = assess("MEX", ["ESP"], ANGOLA_1975)
    assert rio(r, "CUB", "MEX").status is Status.CONDITIONAL
    assert rio(r, "BRA", "MEX").status is Status.OBLIGATED


def test_oas_charter_exclusion_of_cuba_is_disputed_too():
    r = assess("CUB", ["COD"], ANGOLA_1975)
    oas = [f for f in r.findings if f.treaty == "oas-charter-1948" and f.beneficiary == "CUB"]
    assert oas and all(f.status is Status.CONDITIONAL for f in oas)
    assert all(any("ATOP v4.01 ends its membership" in x for x in f.reasons) for f in oas)


def test_default_cascade_brings_no_rio_party_in_for_cuba_in_1975_but_conditional_does():
    plain = cascade("CUB", ["COD"], ANGOLA_1975)
    assert plain.side(Side.DEFENDER) == ["CUB"]
    cond = cascade("CUB", ["COD"], ANGOLA_1975, conditional=True)
    assert {"BRA", "USA", "MEX"} <= set(cond.side(Side.DEFENDER))


@pytest.mark.parametrize("tid", [t.id for t in bundled() if t.caveats])
def test_only_caveats_that_say_so_are_disputed(tid):
    """A caveat marked disputed must say in its own words that the standing is disputed (or the sources conflict)."""
    (t,) = [t for t in bundled() if t.id == tid]
    for c in t.caveats:
        if c.disputed:
            assert "disputed" in c.text or "conflict" in c.text, (tid, c.state)


def _without_caveats(tid: str) -> Corpus:
    return Corpus([t.model_copy(update={"caveats": ()}) if t.id == tid else t for t in bundled()])


@pytest.mark.parametrize(("tid", "target", "attacker", "day", "obligor", "changed"), [
    ("rio-1947", "CUB", ["COD"], ANGOLA_1975, "BRA", True),  # disputed: obligated -> conditional
    ("csto-1992", "ARM", ["AZE"], date(2025, 3, 1), "RUS", False),  # Armenia froze its participation: shown only
])
def test_a_caveat_changes_a_status_only_when_it_disputes_the_standing(tid, target, attacker, day, obligor, changed):
    def status(corpus):
        r = assess(target, attacker, day, corpus=corpus)
        return {f.obligation: f.status for f in r.findings if f.treaty == tid and f.obligor == obligor}

    with_caveat, without = status(bundled()), status(_without_caveats(tid))
    assert with_caveat and with_caveat.keys() == without.keys()
    if changed:
        assert set(with_caveat.values()) == {Status.CONDITIONAL} and set(without.values()) == {Status.OBLIGATED}
    else:
        assert with_caveat == without


_RANK = {Status.OBLIGATED: 0, Status.CONDITIONAL: 1, Status.NOT_TRIGGERED: 2, Status.NOT_IN_FORCE: 3}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=date(1949, 1, 1), max_value=date(2030, 12, 31)))
def test_a_disputed_caveat_never_binds_more_and_acts_only_from_its_start(day):
    """On any day, Cuba attacked by Spain: the Rio findings are never more binding with the caveat than
    without it, and are the same before 31 January 1962."""
    def status(corpus):
        r = assess("CUB", ["ESP"], day, corpus=corpus)
        return {(f.obligor, f.obligation): f.status for f in r.findings if f.treaty == "rio-1947"}

    with_caveat, without = status(bundled()), status(_without_caveats("rio-1947"))
    assert with_caveat.keys() == without.keys()
    assert all(_RANK[with_caveat[k]] >= _RANK[without[k]] for k in without)
    if day < date(1962, 1, 31):
        assert with_caveat == without
