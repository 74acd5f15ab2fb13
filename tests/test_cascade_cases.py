"""The cascade on the real corpus: the Korean peninsula and NATO."""

from __future__ import annotations

import math
from datetime import date

import pytest

from foedus.cascade import Side, cascade, prepare
from foedus.corpus.loader import bundled
from foedus.engine import make_event
from foedus.reliability import shipped, simulate

SPRING_2025 = date(2025, 3, 1)


def entered(c, r: int) -> dict[str, set[tuple[str, str | None]]]:
    """State -> {(treaty, article)} of the findings that brought it in, for round ``r``."""
    return {e.state: {(f.treaty, f.article) for f in e.findings} for e in c.entries if e.round == r}


def members(treaty_id: str, day: date) -> set[str]:
    return set(bundled().get(treaty_id).members_on(day))


def test_south_korea_attacks_north_korea_china_and_russia_enter_then_russias_csto_allies():
    c = cascade("North Korea", ["South Korea"], SPRING_2025)
    assert entered(c, 1) == {"CHN": {("prc-prk-1961", "II")}, "RUS": {("rus-prk-2024", "4")}}
    second = entered(c, 2)
    assert set(second) == members("csto-1992", SPRING_2025) - {"RUS"}
    assert all(("csto-1992", "4") in why for why in second.values())
    assert "USA" not in {e.state for e in c.entries}  # the aggressor's ally owes it no defence
    assert c.conflicts == ()


def test_before_the_2024_treaty_russia_owed_north_korea_only_consultation():
    c = cascade("North Korea", ["South Korea"], date(2024, 6, 1))
    assert set(entered(c, 1)) == {"CHN"}
    assert "RUS" not in c.side(Side.DEFENDER)


def test_north_korea_attacks_south_korea_the_united_states_enters_by_article_iii():
    c = cascade("South Korea", ["North Korea"], SPRING_2025)
    assert entered(c, 1) == {"USA": {("usa-kor-1953", "III")}}
    assert c.side(Side.AGGRESSOR) == ["PRK"]
    # later rounds read each entrant's own allies: every later entrant is owed to an earlier one
    rounds = {e.state: e.round for e in c.entries}
    for e in c.entries:
        if e.round > 1:
            assert any(rounds.get(f.beneficiary, 99) < e.round for f in e.findings), e.state


def test_an_attack_on_poland_brings_in_every_other_nato_member_in_round_one():
    c = cascade("Poland", ["Russia"], SPRING_2025)
    first = entered(c, 1)
    nato = members("nato-1949", SPRING_2025) - {"POL"}
    assert nato <= set(first) and {"SWE", "FIN"} <= nato
    assert all(("nato-1949", "5") in first[s] for s in nato)


@pytest.mark.parametrize(("day", "in_nato"), [(date(2023, 1, 1), False), (date(2023, 6, 1), True)])
def test_finland_is_defended_only_after_its_accession(day, in_nato):
    first = entered(cascade("Finland", ["Russia"], day), 1)
    assert (("nato-1949", "5") in first.get("USA", set())) is in_nato


def test_hawaii_lies_outside_article_6_so_nato_allies_do_not_enter_in_round_one():
    home = set(entered(cascade("United States", ["China"], SPRING_2025), 1))
    hawaii = set(entered(cascade("United States", ["China"], SPRING_2025, place="Hawaii"), 1))
    nato = members("nato-1949", SPRING_2025) - {"USA"}
    assert nato <= home
    assert not nato & hawaii


def test_monte_carlo_on_the_korean_case_multiplies_honouring_along_the_chain():
    draws = 200_000
    sim = simulate(prepare(make_event("PRK", ["KOR"], SPRING_2025)), draws=draws, seed=5)
    rows = {r["state"]: r["defender"] for r in sim.probabilities()}
    p = shipped()["defense"].p
    tolerance = 4 * math.sqrt(p * (1 - p) / draws)
    assert abs(rows["RUS"] - p) < tolerance and abs(rows["CHN"] - p) < tolerance
    assert abs(rows["KAZ"] - p * p) < tolerance  # Kazakhstan enters only if Russia does, then honours CSTO


def test_august_1914_on_imported_atop_russia_joins_france_and_the_ottomans_join_germany(cow_states, shared_data):
    from foedus import store

    files = [shared_data / "atop4_01_alliance_level.csv", shared_data / "atop4_01_member_level.csv"]
    store.import_dataset("atop", files)
    day = date(1914, 8, 3)
    strict = cascade("France", ["Germany"], day)
    # Russia's promise is conditional: ATOP codes a specific adversary without naming it
    assert strict.side(Side.DEFENDER) == ["FRA"]
    c = cascade("France", ["Germany"], day, conditional=True)
    by_state = {e.state: e for e in c.entries}
    assert by_state["RUS"].side is Side.DEFENDER and by_state["TUR"].side is Side.AGGRESSOR
    assert all(f.treaty.startswith("atop-") for s in ("RUS", "TUR") for f in by_state[s].findings)
    assert "ITA" not in by_state  # the Triple Alliance bound Italy only if Germany was attacked
