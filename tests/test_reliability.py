"""Honouring priors from Berkemeier–Fuhrmann (2018) and the Monte Carlo of the cascade."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cascade import DAY, build, pacts, treaty, war
from test_cascade_reference import build as build_system
from test_cascade_reference import systems

from foedus import Corpus, store
from foedus.cascade import cascade_event, prepare
from foedus.engine import make_event
from foedus.errors import FoedusError, UnknownTreatyError
from foedus.reliability import (
    BF_FILE,
    CHUNK,
    Overrides,
    estimate,
    fulfilment_rate,
    holdout,
    load_overrides,
    bernoulli_words,
    bit_rounds,
    problem,
    shipped,
    simulate,
)


def bf(shared_data):
    return shared_data / BF_FILE


def test_shipped_priors_are_what_the_berkemeier_fuhrmann_file_gives(full_data):
    assert estimate(bf(full_data)) == shipped()
    assert sum(p.cases for p in shipped().values()) == 139  # the performance cases of 576 alliance-war pairs


def test_defence_only_pacts_were_honoured_less_often_than_offence_pacts():
    pri = shipped()
    lo, hi = pri["defense"].interval()
    assert lo < pri["defense"].p < hi < pri["offense"].interval()[0]


def test_default_priors_reproduce_the_fulfilment_rate_they_were_estimated_from(full_data):
    df = pl.read_csv(bf(full_data), infer_schema_length=None).filter(pl.col("dnaBF").is_null())
    observed = df["honorBF"].fill_null(0).mean()
    classes = [
        (
            "offense"
            if r["offense"]
            else "defense"
            if r["defense"]
            else "neutrality"
            if r["neutral"]
            else "nonaggression"
        )
        for r in df.iter_rows(named=True)
    ]
    rates = fulfilment_rate(classes, shipped(), draws=4000, seed=1)
    se = math.sqrt(observed * (1 - observed) / len(classes) / rates.size)
    assert abs(rates.mean() - observed) < 4 * se
    # each draw is one simulated history: its spread is that of a sum of independent Bernoulli trials
    ps = [shipped()[c].p for c in classes]
    assert rates.std() == pytest.approx(math.sqrt(sum(p * (1 - p) for p in ps)) / len(ps), rel=0.05)


def test_holdout_fits_and_tests_on_disjoint_wars(full_data):
    rows = holdout(bf(full_data))
    assert [r["fit_on"] for r in rows] == ["even wars", "odd wars"]
    assert sum(r["test_cases"] for r in rows) == 139
    assert all(0 < r["predicted"] < 1 and 0 < r["observed"] < 1 for r in rows)


KOREA = make_event("PRK", ["KOR"], date(2025, 3, 1))


def _posterior(prior) -> tuple[float, float]:
    """Mean and standard deviation of the Jeffreys posterior Beta(h + 1/2, n - h + 1/2) of a class's rate."""
    a, b = prior.honoured + 0.5, prior.cases - prior.honoured + 0.5
    return a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))


def test_russia_joins_north_korea_about_as_often_as_defence_pacts_are_honoured():
    draws = 40_000
    sim = simulate(prepare(KOREA), draws=draws, seed=7)
    rows = {r["state"]: r for r in sim.probabilities()}
    mean, sd = _posterior(shipped()["defense"])
    # a rate drawn per word of 64 draws: the estimate varies with the rate and with the draws in each word
    assert abs(rows["RUS"]["defender"] - mean) < 4 * math.sqrt((sd**2 + mean * (1 - mean) / 64) / (draws / 64))
    assert rows["KOR"]["aggressor"] == rows["PRK"]["defender"] == 1.0


def test_the_priors_uncertainty_reaches_the_reported_interval():
    """One defence link (Russia's) takes the defence class's rate: its interval is that posterior's."""
    sim = simulate(prepare(KOREA), draws=64_000, seed=11)
    rows = {r["state"]: r for r in sim.probabilities()}
    mean, sd = _posterior(shipped()["defense"])
    lo, hi = rows["RUS"]["defender_interval"]
    assert lo < mean < hi
    assert (hi - lo) / 2 == pytest.approx(1.959963984540054 * sd, rel=0.15)
    assert rows["PRK"]["defender_interval"] == [1.0, 1.0]  # the target is in for certain, whatever the rates
    wide = shipped()["defense"].interval()  # the Wilson interval of the rate that `--explain-priors` prints
    assert (hi - lo) == pytest.approx(wide[1] - wide[0], rel=0.2)


def test_fixed_probabilities_give_no_prior_interval(tmp_path):
    f = tmp_path / "ov.yaml"
    f.write_text("states: {Russia: 0.3, China: 0.3}\n")
    sim = simulate(prepare(KOREA), draws=6_400, seed=3, overrides=load_overrides(f, Corpus([])))
    assert all("defender_interval" not in r for r in sim.probabilities())
    assert sim.tally.prior_spread() is None


def test_same_seed_same_answer_other_seed_other_draws():
    sc = prepare(KOREA)
    one, two, other = (simulate(sc, draws=CHUNK + 100, seed=s).as_json() for s in (3, 3, 4))
    assert one == two and one != other


def overrides_for(corpus: Corpus, p: float) -> Overrides:
    return Overrides({t.id: p for t in corpus}, {})


@settings(max_examples=25, deadline=None)
@given(systems, war, st.booleans())
def test_when_every_obligation_is_honoured_the_simulation_is_the_deterministic_cascade(spec, pair, conditional):
    corpus = build_system(spec)  # defence, offence, scope-limited and adversary-named pacts
    event = make_event(pair[0], [pair[1]], DAY)
    sc = prepare(event, corpus, conditional)
    c = cascade_event(event, corpus, conditional)
    sim = simulate(sc, draws=50, seed=0, overrides=overrides_for(corpus, 1.0))
    rows = {r["state"]: r for r in sim.probabilities()}
    joined = {s for s, r in rows.items() if r["defender"] == 1.0} | {
        s for s, r in rows.items() if r["aggressor"] == 1.0
    }
    assert joined == {e.state for e in c.entries}
    assert {s for s, r in rows.items() if r["conflict"] == 1.0} == {x.state for x in c.conflicts if x.fighting is None}
    assert all(r["defender"] in (0, 1) and r["aggressor"] in (0, 1) for r in rows.values())
    never = simulate(sc, draws=50, seed=0, overrides=overrides_for(corpus, 0.0))
    assert never.size_distribution() == {2: 1.0}


def test_overrides_per_treaty_beat_overrides_per_state(tmp_path):
    corpus = Corpus([treaty("jpn-usa", ("JPN", "USA")), treaty("jpn-gbr", ("JPN", "GBR"))])
    f = tmp_path / "ov.yaml"
    f.write_text("treaties: {jpn-usa: 1.0}\nstates: {United States: 0.0, United Kingdom: 0.0}\n")
    ov = load_overrides(f, corpus)
    assert ov.states == {"USA": 0.0, "GBR": 0.0}
    sim = simulate(prepare(make_event("JPN", ["CHN"], DAY), corpus), draws=200, seed=1, overrides=ov)
    rows = {r["state"]: r for r in sim.probabilities()}
    assert (rows["USA"]["defender"], rows["GBR"]["defender"]) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("treaties: {nato: 0.5}\n", UnknownTreatyError, "unknown treaty: 'nato'"),
        ("states: {Atlantis: 0.5}\n", FoedusError, r"ov.yaml: states: unknown state: 'Atlantis'"),
        ("states: {USA: 1.5}\n", FoedusError, r"ov.yaml: states.USA: 1.5 is not a probability"),
        ("people: {USA: 0.5}\n", FoedusError,
         r"ov.yaml: people: Extra inputs are not permitted \(allowed keys: treaties, states;"),
    ],
)
def test_bad_override_files_say_what_and_where(tmp_path, text, error, message):
    f = tmp_path / "ov.yaml"
    f.write_text(text)
    with pytest.raises(error, match=message):
        load_overrides(f, Corpus([treaty("jpn-usa", ("JPN", "USA"))]))


def test_monte_carlo_error_shrinks_with_the_draws_as_one_over_root_n():
    few, many = (simulate(prepare(KOREA), draws=n, seed=5) for n in (1_000, 16_000))
    for sim in (few, many):
        p = np.array([r[side] for r in sim.probabilities() for side in ("defender", "aggressor", "conflict")])
        assert sim.standard_error() >= np.sqrt(p * (1 - p) / sim.tally.draws).max()
        assert sim.as_json()["mc_standard_error"] == sim.standard_error()
    assert 0 < many.standard_error() < few.standard_error()
    assert many.standard_error() == pytest.approx(few.standard_error() / 4, rel=0.25)


def test_probabilities_stay_between_zero_and_one_and_sizes_sum_to_one():
    sim = simulate(prepare(KOREA), draws=1000, seed=2)
    assert math.isclose(sum(sim.size_distribution().values()), 1.0)
    assert np.isclose(sim.mean_size(), sum(k * v for k, v in sim.size_distribution().items()))
    drawn_in = {r["state"] for r in sim.probabilities() if r["defender"] or r["aggressor"]}
    assert drawn_in == {e.state for e in cascade_event(KOREA).entries}  # 1,000 draws reach every possible entrant


def _reference_rounds(pr, honoured: list[bool]) -> tuple[set, set, set]:
    """The cascade rule for one draw, with sets: the specification the bit rounds must meet."""
    d, a = set(np.flatnonzero(pr.d0).tolist()), set(np.flatnonzero(pr.a0).tolist())
    fd, fa, conflict = set(d), set(a), set()
    cand: dict[bool, set] = {True: set(), False: set()}
    while True:
        for k in range(pr.ben.size):
            if not honoured[pr.commitment[k]]:
                continue
            side, b = bool(pr.defender[k]), int(pr.ben[k])
            if side and pr.fellows and any(int(x) in a for x in pr.fellows[k]):
                continue  # a war among the treaty's own parties: its defence obligations bring no one in
            if pr.foes[k] is None:
                hit = b in (fd if side else fa)
            else:
                hit = b in (d if side else a) and any(int(f) in a for f in pr.foes[k])
            if hit:
                cand[side].add(int(pr.obl[k]))
        out = set(range(pr.d0.size)) - d - a - conflict
        conflict |= cand[True] & cand[False] & out
        fd, fa = (cand[True] - cand[False]) & out, (cand[False] - cand[True]) & out
        d |= fd
        a |= fa
        if not fd and not fa:
            return d, a, conflict


@settings(max_examples=25, deadline=None)
@given(pacts, war, st.booleans(), st.integers(min_value=0, max_value=2**32 - 1))
def test_bit_rounds_follow_the_cascade_rule_draw_by_draw(spec, pair, conditional, seed):
    corpus = Corpus(build(spec))
    pr = problem(prepare(make_event(pair[0], [pair[1]], DAY), corpus, conditional))
    draws = 130  # three words, the last one partly used
    bits = bernoulli_words(np.random.default_rng(seed), np.full(pr.p.size, 0.5), -(-draws // 64))
    d, a, c = bit_rounds(pr, bits)

    def unpack(words):
        return np.unpackbits(words.view(np.uint8), axis=-1, bitorder="little")[..., :draws].astype(bool)

    h, dd, aa, cc = unpack(bits), unpack(d), unpack(a), unpack(c)
    for i in range(draws):
        want = _reference_rounds(pr, h[:, i].tolist())
        got = tuple(set(np.flatnonzero(x[:, i]).tolist()) for x in (dd, aa, cc))
        assert got == want


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=6), st.integers(0, 2**32 - 1))
def test_bernoulli_words_hit_their_probability(p, seed):
    words = 2048  # 131,072 draws per probability
    bits = bernoulli_words(np.random.default_rng(seed), np.array(p), words)
    rate = np.bitwise_count(bits).sum(axis=1) / (64 * words)
    for want, got in zip(p, rate, strict=True):
        assert abs(got - want) < 6 * math.sqrt(max(want * (1 - want), 1e-6) / (64 * words)) + 2**-16


@pytest.mark.parametrize(("target", "attacker", "day"), [
    ("USA", "RUS", date(1950, 6, 1)), ("KOR", "PRK", date(1960, 1, 1)), ("POL", "RUS", date(2016, 3, 1)),
    ("ARM", "AZE", date(1995, 1, 1)), ("FRA", "DEU", date(1914, 8, 3)),
])
def test_a_curated_treaty_and_its_linked_atop_alliance_are_one_commitment(cow_states, shared_data, target, attacker, day):
    """With ATOP imported, a commitment coded twice (a curated treaty and the ATOP alliance it links) reaches
    the draws once: on any day only one of the two codings is in force, so only one gives links."""
    store.import_dataset("atop", [shared_data / "atop4_01_alliance_level.csv", shared_data / "atop4_01_member_level.csv"])
    corpus = store.active_corpus()
    sc = prepare(make_event(target, [attacker], day), corpus)
    in_force = set(sc.index.members)
    linked = {f"atop-{a}": t.id for t in corpus if not t.id.startswith("atop-") for a in t.atop_ids}
    assert any(t in in_force for t in linked.values())  # a curated treaty with an ATOP coding is in force
    assert not {a for a, t in linked.items() if a in in_force and t in in_force}
    drawn = {k.finding.treaty for k in [*sc.root_links, *sc.index.links]}
    assert not {a for a, t in linked.items() if a in drawn and t in drawn}
