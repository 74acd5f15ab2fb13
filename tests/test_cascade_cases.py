"""The cascade on the real corpus: the Korean peninsula, NATO, and the theatre of war."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest

from foedus.cascade import Side, cascade, compile_index, prepare
from foedus.corpus.loader import bundled
from foedus.engine import assess_event, make_event
from foedus.model import Event, Place, PlaceKind, Status, Strength
from foedus.reliability import shipped, simulate
from foedus.sweep import sweep_date

SPRING_2025 = date(2025, 3, 1)


def entered(c, r: int) -> dict[str, set[tuple[str, str | None]]]:
    """State -> {(treaty, article)} of the findings that brought it in, for round ``r``."""
    return {e.state: {(f.treaty, f.article) for f in e.findings} for e in c.entries if e.round == r}


def members(treaty_id: str, day: date) -> set[str]:
    return set(bundled().get(treaty_id).members_on(day))


def test_south_korea_attacks_north_korea_china_and_russia_enter_and_russias_csto_allies_only_conditionally():
    c = cascade("North Korea", ["South Korea"], SPRING_2025)
    assert entered(c, 1) == {"CHN": {("prc-prk-1961", "II")}, "RUS": {("rus-prk-2024", "4")}}
    # Russia fights in Korea: an attack on its forces there, which CSTO Art. 4 does not say it covers
    assert entered(c, 2) == {}
    grown = cascade("North Korea", ["South Korea"], SPRING_2025, conditional=True)
    second = entered(grown, 2)
    # Russia's CSTO allies, and the two bound to it by bilateral treaties whose text was not seen
    csto = members("csto-1992", SPRING_2025) - {"RUS"}
    assert set(second) == csto | {"UZB", "ABK"}
    assert all(("csto-1992", "4") in second[s] for s in csto)
    assert {t for t, _ in second["UZB"]} == {"rus-uzb-2005"} and {t for t, _ in second["ABK"]} == {"rus-abk-2014"}
    assert "USA" not in {e.state for e in c.entries}  # the aggressor's ally owes it no defence
    assert c.conflicts == ()


def test_before_the_2024_treaty_russia_owed_north_korea_only_consultation():
    c = cascade("North Korea", ["South Korea"], date(2024, 6, 1))
    assert set(entered(c, 1)) == {"CHN"}
    assert "RUS" not in c.side(Side.DEFENDER)


def test_north_korea_attacks_south_korea_the_us_enters_and_only_allies_covering_its_forces_in_the_pacific_follow():
    c = cascade("South Korea", ["North Korea"], SPRING_2025)
    assert entered(c, 1) == {"USA": {("usa-kor-1953", "III")}}
    assert c.side(Side.AGGRESSOR) == ["PRK"]
    rounds = {e.state: e.round for e in c.entries}
    # The US is attacked in its forces in Korea, not at home. NATO Art. 6 covers forces only in Europe
    # and the North Atlantic, Rio Art. 3 the Americas, US-Japan Art. V only Japanese-administered
    # territory: none of them binds anyone, so Canada, Mexico and Japan stay out.
    assert not {f.treaty for e in c.entries for f in e.findings} & {"nato-1949", "rio-1947", "usa-jpn-1960"}
    assert not {"CAN", "MEX", "JPN"} & set(rounds)
    # ANZUS Art. V counts an attack on a party's armed forces in the Pacific, coded as a FORCES clause
    # tagged "pacific", and Korea is tagged "pacific": Australia is bound to the US in round 2 by Art. IV.
    # The US-Philippines treaty has the same clause. New Zealand's ANZUS relation with the US has been
    # suspended since 1986, so it is not bound to the US; it follows Australia a round later.
    second = entered(c, 2)
    assert ("anzus-1951", "IV") in second["AUS"] and ("usa-phl-1951", "IV") in second["PHL"]
    assert {f.treaty for e in c.entries for f in e.findings if f.beneficiary == "USA"} == {"anzus-1951", "usa-phl-1951"}
    nzl = next(e for e in c.entries if e.state == "NZL")
    assert nzl.round == 3 and ("anzus-1951", "AUS") in {(f.treaty, f.beneficiary) for f in nzl.findings}
    # The Manila Pact's area is the parties' territories and South-East Asia / the South-West Pacific:
    # Philippine forces in Korea are outside it, so no SEATO party follows the Philippines.
    assert set(rounds) == {"KOR", "PRK", "USA", "AUS", "PHL", "NZL"}
    # later rounds read each entrant's own allies: every later entrant is owed to an earlier one
    for e in c.entries:
        if e.round > 1:
            assert any(rounds.get(f.beneficiary, 99) < e.round for f in e.findings), e.state


def test_russia_attacks_estonia_every_other_nato_member_enters_in_round_one_and_no_rio_member_follows():
    c = cascade("Estonia", ["Russia"], SPRING_2025)
    first = entered(c, 1)
    nato = members("nato-1949", SPRING_2025) - {"EST"}
    assert nato <= set(first)
    assert all(("nato-1949", "5") in first[s] for s in nato)
    # the US fights in Europe: Rio Art. 3 covers the Americas
    assert not {e.state for e in c.entries} & (members("rio-1947", SPRING_2025) - {"USA"})


@pytest.mark.parametrize(
    ("target", "place"),
    [("KOR", None), ("PRK", None), ("POL", None), ("USA", "Guam"), ("USA", "Okinawa"), ("FRA", "New Caledonia")],
)
def test_a_theatre_holds_the_engines_findings_for_forces_at_exactly_that_place(target, place):
    """Theatres that no clause tells apart share an index; it must answer as the exact place would."""
    corpus = bundled()
    where = make_event(target, [], SPRING_2025, place).place
    index = compile_index(corpus, SPRING_2025)
    limited = index.scoped.limited

    def row(f):
        return f.obligor, f.beneficiary, f.treaty, f.obligation, f.status

    got = {row(k.finding) for k in index.theatre(where).links if (k.finding.treaty, k.finding.obligation) in limited}
    want = set()
    for sid in index.ids:
        forces = Place(
            name="forces", state=sid, kind=PlaceKind.FORCES, regions=where.regions,
            partial_regions=where.partial_regions, administered_by=where.administrator, high_seas=where.high_seas,
        )
        for f in assess_event(Event(attackers=(), target=sid, place=forces, on=SPRING_2025), corpus).findings:
            if (
                (f.treaty, f.obligation) in limited
                and f.beneficiary == sid
                and f.strength >= Strength.CONST
                and f.status in (Status.OBLIGATED, Status.CONDITIONAL)
            ):
                want.add(row(f))
    assert got == want
    assert want  # every one of these theatres binds someone under a scope-limited clause


def test_a_sweep_of_the_curated_corpus_matches_each_pairs_cascade():
    states = ["AUS", "CAN", "EST", "FRA", "GBR", "JPN", "KOR", "PHL", "POL", "PRK", "RUS", "USA"]
    df = sweep_date(SPRING_2025, bundled(), members=states)
    for a in states:
        for t in states:
            if a != t:
                c = cascade(t, [a], SPRING_2025)
                want = {(e.state, e.side.value, e.round) for e in c.entries}
                want |= {(x.state, "conflict", x.round) for x in c.conflicts if x.fighting is None}
                got = df.filter(pl.col("attacker") == a, pl.col("target") == t)
                assert set(got.select("state", "side", "round").iter_rows()) == want, (a, t)


def test_monte_carlo_on_the_attack_on_south_korea_never_brings_in_nato_through_the_us():
    draws = 50_000
    sim = simulate(prepare(make_event("KOR", ["PRK"], SPRING_2025)), draws=draws, seed=3)
    rows = {r["state"]: r["defender"] for r in sim.probabilities()}
    p = shipped()["defense"].p
    assert abs(rows["USA"] - p) < 4 * math.sqrt(p * (1 - p) / draws)
    assert rows.get("CAN", 0.0) == 0.0 and rows.get("DEU", 0.0) == 0.0 and rows.get("JPN", 0.0) == 0.0
    assert rows["AUS"] > 0.0


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
    sim = simulate(prepare(make_event("PRK", ["KOR"], SPRING_2025), conditional=True), draws=draws, seed=5)
    rows = {r["state"]: r["defender"] for r in sim.probabilities()}
    # the defence rate is drawn from its posterior Beta(a, b) for every 64 draws, shared by the links
    prior = shipped()["defense"]
    a, b = prior.honoured + 0.5, prior.cases - prior.honoured + 0.5

    def moment(k: int) -> float:  # E[rate^k]
        return math.prod((a + i) / (a + b + i) for i in range(k))

    tolerance = 4 * math.sqrt((moment(2) - moment(1) ** 2 + 0.25 / 64) / (draws / 64))
    assert abs(rows["RUS"] - moment(1)) < tolerance and abs(rows["CHN"] - moment(1)) < tolerance
    # Kazakhstan enters only if Russia does, then honours CSTO Art. 4 or its 1992 treaty with Russia:
    # rate * (1 - (1 - rate)^2) = 2 rate^2 - rate^3, averaged over the posterior
    assert abs(rows["KAZ"] - (2 * moment(2) - moment(3))) < tolerance


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
