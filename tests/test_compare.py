"""Treaty comparison on the real corpus, and the word diff's invariants."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from foedus import compare
from foedus.compare import word_diff


def test_2024_pact_matches_1961_in_class_but_adds_legal_qualifiers():
    c = compare("rus-prk-2024", "sun-prk-1961")
    assert c.stronger() is None
    diffs = {(k, f) for k, f, _, _ in c.differences()}
    assert ("defense", "conditions") in diffs
    assert ("defense", "means") not in diffs and ("defense", "trigger") not in diffs
    row = next(r for r in c.rows if r.kind.value == "defense")
    assert row.a["strength"] == row.b["strength"] == "A-AUTO"
    removed = " ".join(t for op, t in row.diff if op == "-")
    assert "Article 51 of the UN Charter" in removed


def test_2024_pact_is_stronger_than_the_2000_treaty_it_replaced():
    c = compare("rus-prk-2024", "rus-prk-2000")
    assert c.stronger() == "rus-prk-2024"
    assert ("defense", "obligation", "yes", "none") in c.differences()
    doc = c.as_json()
    assert doc["a"]["id"] == "rus-prk-2024" and doc["stronger"] == "rus-prk-2024"
    assert {r["kind"] for r in doc["rows"]} >= {"defense", "consultation"}


def test_comparison_is_symmetric_in_its_verdict():
    ab, ba = compare("nato-1949", "usa-jpn-1960"), compare("usa-jpn-1960", "nato-1949")
    assert ab.stronger() == ba.stronger() == "nato-1949"
    assert {(k, f) for k, f, _, _ in ab.differences()} == {(k, f) for k, f, _, _ in ba.differences()}


words = st.lists(st.sampled_from(["attack", "armed", "the", "party", "shall", "assist", "all", "means"]), max_size=30)


@given(words, words)
def test_word_diff_reconstructs_both_texts(a, b):
    ops = word_diff(" ".join(a), " ".join(b))
    left = " ".join(t for op, t in ops if op in "=-").split()
    right = " ".join(t for op, t in ops if op in "=+").split()
    assert (left, right) == (a, b)


def test_one_treaty_over_time_nato_1950_vs_2024():
    c = compare("nato-1949", on=date(1950, 1, 1), on_b=date(2024, 6, 1))
    joined, left = c.membership_change()
    assert {"TUR", "GRC", "DEU", "FIN", "SWE"} <= set(joined) and left == []
    assert len(c.members()[0]) == 12 and len(c.members()[1]) == 32
    assert ("defense", "scope") in {(k, f) for k, f, _, _ in c.differences()}
