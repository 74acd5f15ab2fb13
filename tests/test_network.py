"""The alliance network on a date, from the real corpus."""

from __future__ import annotations

import math
from datetime import date, timedelta

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus.corpus.loader import Corpus, bundled
from foedus.model import Strength
from foedus.network import MIN_GAP, alliance_graph, min_gap, network, year_range


def test_russia_north_korea_tie_hardens_on_entry_into_force_of_2024_treaty():
    old, new = bundled().get("rus-prk-2000"), bundled().get("rus-prk-2024")
    before = alliance_graph(new.in_force - timedelta(days=1)).edges["RUS", "PRK"]
    after = alliance_graph(new.in_force).edges["RUS", "PRK"]
    assert {o["treaty"] for o in before["obligations"]} == {old.id}
    assert before["strength"] is Strength.CONSULT  # the 2000 treaty promised contact only
    assert {o["treaty"] for o in after["obligations"]} == {new.id}
    assert after["strength"] is Strength.AUTO
    owed = {(o["obligor"], o["beneficiary"], o["obligation"]) for o in after["obligations"]}
    assert {("RUS", "PRK", "art4-defense"), ("PRK", "RUS", "art4-defense")} <= owed


def test_json_document_names_states_and_strengths():
    doc = network(date(2025, 3, 1)).as_json()
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert nodes["RUS"]["name"] == "Russia" and nodes["PRK"]["name"] == "North Korea"
    edge = next(e for e in doc["edges"] if {e["source"], e["target"]} == {"PRK", "RUS"})
    assert (edge["strength"], edge["rank"]) == ("A-AUTO", 4)
    assert "rus-prk-2024" in edge["treaties"]


def test_slider_starts_in_1945_with_the_curated_corpus_and_1815_with_atop():
    curated = bundled()
    assert year_range(curated) == (1945, date.today().year)
    imported = curated.get("rus-prk-2024").model_copy(update={"id": "atop-test", "origin": "atop"})
    assert year_range(Corpus([*curated, imported])) == (1815, date.today().year)


days = st.dates(min_value=date(1816, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=60, deadline=None)
@given(days)
def test_every_edge_is_an_obligation_in_force_between_members(day):
    corpus = bundled()
    g = alliance_graph(day, corpus)
    for a, b, d in g.edges(data=True):
        assert d["obligations"]
        assert d["strength"] == max(Strength[o["strength"].split("-")[1]] for o in d["obligations"])
        for o in d["obligations"]:
            t = corpus.get(o["treaty"])
            members = t.members_on(day)
            assert {o["obligor"], o["beneficiary"]} == {a, b}
            assert o["obligor"] in members and o["beneficiary"] in members
            assert t.suspended(a, b, day) is None


@settings(max_examples=20, deadline=None)
@given(days)
def test_layout_is_deterministic_and_in_the_unit_square(day):
    first, second = network(day).as_json(), network(day).as_json()
    assert first == second
    for n in first["nodes"]:
        assert -1.0 <= n["x"] <= 1.0 and -1.0 <= n["y"] <= 1.0
    ids = {n["id"] for n in first["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids and e["source"] < e["target"] for e in first["edges"])


def _closest_pair(doc: dict) -> float:
    pts = [(n["x"], n["y"]) for n in doc["nodes"]]
    return min(math.dist(p, q) for i, p in enumerate(pts) for q in pts[i + 1:])


def test_no_two_states_crowd_each_other_in_the_2025_network():
    doc = network(date(2025, 3, 1)).as_json()
    assert len(doc["nodes"]) > 80  # NATO, Rio, the Arab League, the EU, CSTO, ECOWAS...
    assert _closest_pair(doc) >= MIN_GAP


def test_big_bloc_gets_the_most_room():
    doc = network(date(2025, 3, 1)).as_json()
    pos = {n["id"]: (n["x"], n["y"]) for n in doc["nodes"]}
    comps = sorted(nx.connected_components(alliance_graph(date(2025, 3, 1))), key=len, reverse=True)

    def extent(comp: set[str]) -> float:
        xs, ys = [pos[n][0] for n in comp], [pos[n][1] for n in comp]
        return (max(xs) - min(xs)) * (max(ys) - min(ys))

    assert extent(comps[0]) > max(extent(c) for c in comps[1:])
    assert extent(comps[0]) > 1.0  # over a quarter of the [-1, 1]² square


@settings(max_examples=15, deadline=None)
@given(days)
def test_states_keep_a_minimum_gap_on_any_date(day):
    doc = network(day).as_json()
    if len(doc["nodes"]) > 1:
        assert _closest_pair(doc) >= min_gap(len(doc["nodes"]))
