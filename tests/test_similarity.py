"""Portfolio similarity: published and hand-worked cases, properties, and the all-pairs version."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import kendalltau

from foedus import similarity as sim
from foedus.errors import FoedusError


def test_signorino_ritter_worked_example():
    # Signorino and Ritter (1999): two portfolios tau-b calls perfectly opposed, S calls fairly similar.
    x, y = [3, 3, 2, 2], [2, 2, 3, 3]
    assert sim.tau_b(x, y) == pytest.approx(-1.0)
    assert sim.s_score(x, y) == pytest.approx(0.333, abs=5e-4)


def test_s_absolute_squared_and_weighted_by_hand():
    x, y = [3, 0, 1], [3, 2, 1]
    # one state differs by 2 of a maximum 3: mean distance (2/3)/3
    assert sim.s_score(x, y) == pytest.approx(1 - 2 * (2 / 9))
    assert sim.s_score(x, y, distance="squared") == pytest.approx(1 - 2 * (4 / 9) / 3)
    # the differing state carries a quarter of the capabilities
    assert sim.s_score([3, 0, 1], [3, 3, 1], weights=[0.5, 0.25, 0.25]) == pytest.approx(0.5)
    assert sim.s_score([3, 0, 1], [3, 3, 1]) == pytest.approx(1 / 3)


def test_kappa_and_pi_by_hand():
    x, y = [0, 0, 1, 1], [0, 1, 1, 1]
    # observed disagreement 1/4; chance disagreement .5*.75 + .5*.25 = 1/2 (kappa), 2*.375*.625 (pi)
    assert sim.kappa(x, y, levels=2) == pytest.approx(0.5)
    assert sim.scott_pi(x, y, levels=2) == pytest.approx(1 - 0.25 / (2 * 0.375 * 0.625))


def test_undefined_values_are_nan():
    assert math.isnan(sim.tau_b([3, 3, 3], [0, 3, 1]))
    assert math.isnan(sim.kappa([2, 2], [2, 2]))


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [([1, 2], [1], "equal length"), ([0, 4], [0, 1], r"0\.\.3"), ([-1, 0], [0, 1], r"0\.\.3")],
)
def test_bad_portfolios(x, y, message):
    with pytest.raises(FoedusError, match=message):
        sim.s_score(x, y)


def test_unknown_measure_and_distance():
    with pytest.raises(FoedusError, match="unknown similarity measure 'tau'"):
        sim.all_pairs(np.zeros((2, 2), dtype=int), ("tau",))
    with pytest.raises(FoedusError, match="unknown distance 'euclid'"):
        sim.s_score([1], [1], distance="euclid")


levels = st.integers(0, 3)
portfolios = st.integers(2, 25).flatmap(
    lambda n: st.tuples(arrays(np.int64, n, elements=levels), arrays(np.int64, n, elements=levels))
)


@settings(max_examples=200, deadline=None)
@given(portfolios, st.sampled_from(["absolute", "squared"]))
def test_s_bounds_symmetry_identity(pair, distance):
    x, y = pair
    s = sim.s_score(x, y, distance=distance)
    assert -1 - 1e-12 <= s <= 1 + 1e-12
    assert s == pytest.approx(sim.s_score(y, x, distance=distance))
    assert sim.s_score(x, x, distance=distance) == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(portfolios)
def test_tau_b_matches_scipy(pair):
    x, y = pair
    expected = kendalltau(x, y).statistic
    got = sim.tau_b(x, y)
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


@settings(max_examples=200, deadline=None)
@given(portfolios, st.sampled_from(["absolute", "squared"]))
def test_chance_corrected_measures_at_most_one(pair, distance):
    x, y = pair
    for value in (sim.kappa(x, y, distance=distance), sim.scott_pi(x, y, distance=distance)):
        assert math.isnan(value) or value <= 1 + 1e-12
    if len(set(x.tolist())) > 1:
        assert sim.kappa(x, x, distance=distance) == pytest.approx(1.0)
        assert sim.scott_pi(x, x, distance=distance) == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 12).flatmap(lambda n: arrays(np.int64, (n, n), elements=st.integers(0, 3))),
    st.sampled_from(["absolute", "squared"]),
    st.booleans(),
)
def test_all_pairs_equals_per_dyad_functions(ties, distance, weighted):
    n = ties.shape[0]
    weights = np.linspace(0.1, 1.0, n) if weighted else None
    got = sim.all_pairs(ties, sim.MEASURES, distance=distance, weights=weights)
    for i in range(n):
        for j in range(n):
            expected = {
                "s": sim.s_score(ties[i], ties[j], distance=distance, weights=weights),
                "kappa": sim.kappa(ties[i], ties[j], distance=distance),
                "pi": sim.scott_pi(ties[i], ties[j], distance=distance),
                "tau-b": sim.tau_b(ties[i], ties[j]),
            }
            for m, e in expected.items():
                assert (math.isnan(e) and math.isnan(got[m][i, j])) or got[m][i, j] == pytest.approx(e), (m, i, j)
