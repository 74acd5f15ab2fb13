"""State resolution: names, ISO3, COW numbers and abbreviations."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus import states
from foedus.errors import UnknownStateError


@pytest.mark.parametrize("query", ["North Korea", "DPRK", "PRK", 731, "731", "Democratic People's Republic of Korea"])
def test_north_korea_by_any_name(query):
    s = states.resolve(query)
    assert (s.id, s.cow) == ("PRK", 731)


@pytest.mark.parametrize(
    ("query", "sid", "cow"),
    [("ROK", "KOR", 732), ("PRC", "CHN", 710), ("USSR", "RUS", 365), ("GFR", "GFR", 260), (260, "GFR", 260),
     ("Bavaria", "BAV", 245), ("AUS", "AUS", 900), (305, "AUT", 305), ("Yugoslavia", "SRB", 345)],
)
def test_aliases_codes_and_historical_states(query, sid, cow):
    s = states.resolve(query)
    assert (s.id, s.cow) == (sid, cow)


def test_unknown_state_suggests_close_matches():
    with pytest.raises(UnknownStateError, match=r"unknown state: 'Swedn'.*Sweden"):
        states.resolve("Swedn")


def test_unknown_cow_number():
    with pytest.raises(UnknownStateError, match="unknown COW state number: 999"):
        states.resolve(999)


def test_state_missing_from_countrycode_with_clashing_abbreviation():
    s = states.resolve(730)
    assert (s.id, s.name) == ("KOR730", "Korea")
    assert states.resolve("KOR").cow == 732


@given(day=st.dates(min_value=date(1816, 1, 1), max_value=date(2016, 12, 31)))
@settings(max_examples=60, deadline=None)
def test_members_of_a_day_are_those_its_spells_contain(shared_data, day):
    """The sweep's quick reading of the list (rows, ids from COW numbers) agrees with the spells and records."""
    listed = states.read_cow_list(shared_data / "states2016.csv")
    by_spells = {cown for cown, spells in listed.spells.items() if any(i.contains(day) for i in spells)}
    assert listed.members(day) == by_spells
    assert {states.cow_id(c) for c in by_spells} == {states.resolve(c).id for c in by_spells}
