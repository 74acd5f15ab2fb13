"""The gazetteer: names and aliases as analysts write them, who holds and administers each place,
and the `foedus places` command."""

from __future__ import annotations

import json
from datetime import date

import pytest
from test_cli import run

from foedus import places, states
from foedus.engine import assess
from foedus.errors import UnknownPlaceError
from foedus.model import PlaceKind, Status

DAY = date(2025, 3, 1)


@pytest.mark.parametrize(("query", "name"), [
    ("Senkaku", "Senkaku Islands"), ("senkaku islands", "Senkaku Islands"), ("the Senkakus", "Senkaku Islands"),
    ("Diaoyu", "Senkaku Islands"), ("Takeshima", "Dokdo"), ("Liancourt Rocks", "Dokdo"), ("Kurils", "Kuril Islands"),
    ("Etorofu", "Northern Territories"), ("Donbass", "Donbas"), ("Golan", "Golan Heights"),
    ("Chagos", "Diego Garcia"), ("TRNC", "Northern Cyprus"), ("Quemoy", "Kinmen"), ("Réunion", "Reunion"),
    ("Puerto Rico", "Puerto Rico"), ("Taiping Island", "Itu Aba"),
])
def test_names_and_aliases_find_one_place(query, name):
    assert places.find(query)["name"] == name


def test_an_unknown_place_suggests_the_closest_names_in_one_line():
    with pytest.raises(UnknownPlaceError) as err:
        places.find("Senkaku Islnds")
    assert "did you mean 'Senkaku Islands'?" in str(err.value) and "\n" not in str(err.value)


def test_every_place_names_real_states_and_known_kinds_and_regions():
    for row in places.listing(on=DAY):
        for sid in (row["state"], row["administered_by"]):
            if sid is not None:
                assert states.resolve(sid).id == sid, row["name"]
        assert PlaceKind(row["kind"]) and row["regions"], row["name"]


@pytest.mark.parametrize(("place", "on", "state", "admin"), [
    ("Golan Heights", date(1966, 1, 1), "SYR", "SYR"), ("Golan Heights", DAY, "SYR", "ISR"),
    ("Northern Territories", DAY, "JPN", "RUS"), ("Donbas", date(2013, 1, 1), "UKR", "UKR"),
    ("Donbas", DAY, "UKR", "RUS"), ("Northern Cyprus", DAY, "CYP", "TUR"), ("Dokdo", DAY, "KOR", "KOR"),
    ("Scarborough Shoal", DAY, "PHL", "CHN"), ("Diego Garcia", DAY, "GBR", "GBR"),
])
def test_who_holds_and_who_administers_each_place_on_a_date(place, on, state, admin):
    row = places.listing(place, on)[0]
    assert (row["state"], row["administered_by"]) == (state, admin)


def test_us_japan_article_v_does_not_reach_the_northern_territories_but_reaches_the_senkakus():
    north = assess("JPN", ["RUS"], DAY, "Northern Territories")
    assert {f.status for f in north.findings if f.treaty == "usa-jpn-1960" and f.kind.value == "defense"} == {
        Status.NOT_TRIGGERED}
    senkaku = assess("JPN", ["CHN"], DAY, "Senkaku")
    assert {f.status for f in senkaku.findings if f.treaty == "usa-jpn-1960" and f.kind.value == "defense"} == {
        Status.OBLIGATED}


def test_puerto_rico_lies_south_of_the_tropic_of_cancer_outside_nato_article_6():
    a = assess("USA", ["VEN"], DAY, "Puerto Rico")
    assert {f.status for f in a.findings if f.treaty == "nato-1949" and f.kind.value == "defense"} == {
        Status.NOT_TRIGGERED}


def test_the_places_command_lists_the_gazetteer_and_one_place():
    one = json.loads(run("places", "Senkaku", "--json").stdout)["places"]
    assert [p["name"] for p in one] == ["Senkaku Islands"] and "Diaoyu Islands" in one[0]["aliases"]
    every = run("places")
    assert every.returncode == 0 and "Golan Heights" in every.stdout and "Dokdo" in every.stdout
    bad = run("places", "Atlantis")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
