"""War construction from the IWD and GML files: initial dyad, dates, sides, and the coding errors corrected."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from foedus.wars import IWD_CORRECTIONS, IWD_FILE, MID_FILE, _sides, read_iwd, read_mids


def _case(cases, name):
    return next(c for c in cases if c.name == name)


def test_every_war_has_its_initial_dyad_on_opposite_sides_and_joiners_after_the_start(full_data):
    cases = read_iwd(full_data / IWD_FILE)
    assert len(cases) == 88
    for c in cases:
        assert c.side_of(c.initiator) == "A" and c.side_of(c.target) == "B"
        assert all(p.entered >= c.start for p in c.participants)
        assert all(p.ccode not in (c.initiator, c.target) for p in c.joiners)


def test_the_coding_errors_are_corrected(full_data):
    fixed, raw = read_iwd(full_data / IWD_FILE), read_iwd(full_data / IWD_FILE, corrections=())
    ww1, ww1_raw = _case(fixed, "WorldWarI"), _case(raw, "WorldWarI")
    assert ww1.side_of(350) == "B" and ww1_raw.side_of(350) is None  # Greece joined the Entente in 1917
    assert ww1.side_of(740) == "B" and ww1.side_of(255) == "A"  # Japan against Germany, Russia's ally
    weeks, weeks_raw = _case(fixed, "SevenWeeks1866"), _case(raw, "SevenWeeks1866")
    assert weeks.side_of(280) == "A" and weeks.side_of(275) == "B"  # Mecklenburg with Prussia, Hesse against
    assert weeks_raw.side_of(275) != weeks.side_of(275)
    assert {c.war for c in IWD_CORRECTIONS} >= {"WW1Grc-Bulg", "WW1Jpn-Ger"}


def test_states_that_switched_keep_the_side_they_entered_on(full_data):
    ww2 = _case(read_iwd(full_data / IWD_FILE), "WorldWarII")
    assert (ww2.initiator, ww2.target, ww2.start) == (740, 710, date(1937, 7, 7))
    assert ww2.side_of(365) == "A"  # the Soviet Union entered against Poland in September 1939
    assert ww2.side_of(325) == "A" and ww2.side_of(360) == "A" and ww2.side_of(375) == "A"
    assert ww2.side_of(2) == "B" and ww2.side_of(200) == "B"


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=25), st.randoms(use_true_random=False))
def test_sides_of_a_tree_of_pairs_alternate(offsets, rnd):
    """A war whose pairs form a tree (no one fights two states of one side) puts each pair on opposite sides."""
    day = date(1900, 1, 1)
    pairs = [(day, 0, 1, 2)]
    for i, off in enumerate(offsets, start=3):
        other = rnd.randint(1, i - 1)
        pairs.append(
            (day + timedelta(days=off), i, other, i) if rnd.random() < 0.5 else (day + timedelta(days=off), i, i, other)
        )
    side = _sides(1, 2, pairs)
    assert side[1] == "A" and side[2] == "B"
    assert set(side) == set(range(1, len(offsets) + 3))
    assert all(side[a] != side[b] for _, _, a, b in pairs)


def test_disputes_have_two_sides_and_an_originator_on_each(full_data):
    cases = read_mids(full_data / MID_FILE)
    assert len(cases) > 2000
    for c in cases:
        assert c.side_of(c.initiator) == "A" and c.side_of(c.target) == "B"
        assert all(p.entered >= c.start for p in c.participants)
