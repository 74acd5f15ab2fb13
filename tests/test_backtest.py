"""The backtest's metrics: calibration, skill scores, within-war AUC, bootstrap, and the side split of rates."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus import backtest as bt
from foedus import forecast as fc
from foedus.forecast import by_state

probs = st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=200)


@given(probs, st.integers(min_value=1, max_value=12), st.randoms(use_true_random=False))
def test_calibration_table_counts_sum_to_the_pairs_and_joiners(p, bins, rnd):
    y = np.array([rnd.random() < 0.3 for _ in p], dtype=float)
    cal = bt.calibration(np.array(p), y, bins)
    assert cal["n"].sum() == len(p) and cal["joiners"].sum() == int(y.sum())
    means = [m for m in cal["predicted"].to_list() if not math.isnan(m)]
    assert means == sorted(means)


def _pairs(cases: list[list[tuple[float, bool]]], base: float = 0.1) -> pl.DataFrame:
    rows = [{"case": i, "p_any": p, "joined": y, "base_rate": base} for i, war in enumerate(cases) for p, y in war]
    return pl.DataFrame(rows)


wars = st.lists(
    st.lists(st.tuples(st.floats(min_value=0.001, max_value=0.999), st.booleans()), min_size=2, max_size=30),
    min_size=1,
    max_size=15,
)


@settings(max_examples=60, deadline=None)
@given(wars)
def test_scores_agree_with_direct_computation(cases):
    d = _pairs(cases)
    s = bt.scores(bt.war_sums(d))
    p, y = d["p_any"].to_numpy(), d["joined"].to_numpy().astype(float)
    assert math.isclose(s["brier"], float(((p - y) ** 2).mean()), rel_tol=1e-9, abs_tol=1e-12)
    ll = float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())
    assert math.isclose(s["log_loss"], ll, rel_tol=1e-9)
    ref = float(((0.1 - y) ** 2).mean())
    assert math.isclose(s["bss_base"], 1 - s["brier"] / ref, rel_tol=1e-9)
    if 0 < y.mean() < 1:
        assert math.isclose(s["bss_own"], 1 - s["brier"] / (y.mean() * (1 - y.mean())), rel_tol=1e-9)
    ci = bt.bootstrap(bt.war_sums(d), reps=50)
    assert all(lo <= hi for lo, hi in ci.values() if not (math.isnan(lo) or math.isnan(hi)))


def test_the_scored_rate_itself_has_zero_skill_against_it_and_a_perfect_ranking_has_auc_one():
    cases = [[(0.9, True), (0.1, False), (0.2, False)], [(0.3, False), (0.8, True), (0.05, False)]]
    assert bt.scores(bt.war_sums(_pairs(cases)))["auc"] == 1.0
    own = [[(1 / 3, True), (1 / 3, False), (1 / 3, False)]]
    assert abs(bt.scores(bt.war_sums(_pairs(own)))["bss_own"]) < 1e-12


def test_a_joiner_given_zero_makes_the_log_loss_infinite_in_every_bootstrap_draw_that_holds_it():
    s = bt.war_sums(_pairs([[(0.0, True), (0.5, False)], [(0.2, False), (0.7, True)]]))
    assert bt.scores(s)["log_loss"] == math.inf
    assert math.isfinite(bt.scores(s, np.array([0.0, 2.0]))["log_loss"])


def test_identical_wars_give_a_bootstrap_interval_that_is_the_point_estimate():
    d = _pairs([[(0.2, True), (0.1, False)]] * 6)
    point = bt.scores(bt.war_sums(d))
    ci = bt.bootstrap(bt.war_sums(d), reps=100)
    for m in ("brier", "bss_base", "auc"):
        assert math.isclose(ci[m][0], point[m]) and math.isclose(ci[m][1], point[m])


@given(st.lists(st.tuples(st.floats(-30, 30), st.floats(-30, 30)), min_size=1, max_size=40))
def test_each_state_joins_with_a_probability_in_0_1_split_between_the_sides(rates):
    rows = []
    for i in range(len(rates)):
        for side in ("A", "B"):
            rows.append(
                {"case": 1, "name": "w", "start": None, "ccode": i, "state": str(i), "side": side, "joined": False}
            )
    df = pl.DataFrame(rows, schema_overrides={"start": pl.Date})
    log_rate = np.array([x for pair in rates for x in pair])
    out = by_state(df, log_rate)
    p, pa, pb = out["p_any"].to_numpy(), out["p_A"].to_numpy(), out["p_B"].to_numpy()
    assert ((p > 0) & (p <= 1)).all() and np.allclose(pa + pb, p)
    assert ((pa >= 0) & (pb >= 0)).all()


def test_classification_counts_right_and_wrong_sides():
    d = pl.DataFrame({"case": [1, 1, 1, 2], "side": ["A", "B", None, None], "joined": [True, True, False, False]})
    c = bt.classification(pl.Series(["A", "A", "B", None]), d)
    assert (c["predicted"], c["right_side"], c["wrong_side"]) == (3, 1, 1)
    assert c["recall"] == 0.5 and math.isclose(c["precision"], 1 / 3)


def _synthetic(seed: int, signal: float, wars: int = 30, states: int = 25) -> tuple[np.ndarray, ...]:
    """Wars of ``states`` rows with three features; joining is Poisson with rate exp(signal·x0 - 3)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(wars * states, 3))
    cases = np.repeat(np.arange(wars), states)
    joined = (rng.poisson(np.exp(signal * x[:, 0] - 3.0)) > 0).astype(float)
    return x, joined, np.full(x.shape[0], np.log(states)), cases


def test_the_penalty_chosen_inside_the_training_wars_is_weaker_when_the_features_carry_signal():
    x, joined, lm, cases = _synthetic(1, signal=0.0)
    noise = fc.choose_alpha(x, joined, lm, cases)
    x, joined, lm, cases = _synthetic(1, signal=2.0)
    signal = fc.choose_alpha(x, joined, lm, cases)
    assert noise in fc.ALPHAS and signal in fc.ALPHAS
    assert signal < noise


def test_the_penalty_falls_back_to_the_grids_middle_when_no_fold_can_be_fitted():
    x, joined, lm, cases = _synthetic(2, signal=1.0, wars=1)
    assert fc.choose_alpha(x, joined, lm, cases) == fc.ALPHAS[len(fc.ALPHAS) // 2]


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6), st.integers(min_value=0, max_value=2**16))
def test_a_scored_rate_stays_inside_the_training_range_so_no_probability_is_0_or_1(far, seed):
    x, joined, lm, cases = _synthetic(seed, signal=3.0, wars=8)
    m = fc._fit_at(fc._Rows.of(x, joined, lm), 0.1, {})
    scored = np.vstack([x[:5], np.full((1, 3), far), -np.full((1, 3), far)])
    log_rate = m.log_rates_of(scored, np.full(scored.shape[0], lm[0]))
    assert ((log_rate >= m.eta_low - lm[0] - 1e-9) & (log_rate <= m.eta_high - lm[0] + 1e-9)).all()
    p = -np.expm1(-2 * np.exp(log_rate))  # both sides at the same rate
    assert ((p > 0) & (p < 1)).all()


def test_a_scored_table_keeps_each_case_in_the_order_of_its_states_so_its_sums_repeat_bit_for_bit():
    rng = np.random.default_rng(3)
    rows = []
    for case in (7, 2, 9):
        for c in rng.permutation(300):
            for side in ("A", "B"):
                rows.append({"case": case, "name": "w", "start": None, "ccode": int(c), "state": str(c), "side": side,
                             "joined": bool(rng.random() < 0.05), "cascade": 0.0, "cascade_conditional": 0.0,
                             "cascade_round": 0, "direct_defence_ally": False})  # fmt: skip
    df = pl.DataFrame(rows, schema_overrides={"start": pl.Date})
    log_rate = rng.normal(-4, 1, df.height)
    first = bt._pairs(df, log_rate, 0.01)
    assert first[["case", "ccode"]].rows() == df.filter(pl.col("side") == "A")[["case", "ccode"]].rows()
    for _ in range(5):
        again = bt._pairs(df, log_rate, 0.01)
        assert again.equals(first)
        assert bt.scores(bt.war_sums(again)) == bt.scores(bt.war_sums(first))
