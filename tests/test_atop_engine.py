"""Historical answers from imported ATOP data: the engine, `foedus treaties` and `foedus show`."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from foedus import engine, states, store
from foedus.cli import app
from foedus.corpus.loader import Corpus, bundled
from foedus.datasets import atop
from foedus.errors import StateNotInSystemError
from foedus.model import ConditionKind, Kind, Status


@pytest.fixture
def imported(shared_data):
    store.import_dataset("atop", [shared_data / "atop4_01_alliance_level.csv",
                                  shared_data / "atop4_01_member_level.csv"])
    return store.active_corpus()


def _findings(result, treaty: str, kind: Kind):
    return [f for f in result.findings if f.treaty == treaty and f.kind is kind]


def test_without_import_the_engine_uses_the_curated_corpus_only():
    curated = {t.id for t in bundled()}
    assert {t.id for t in store.active_corpus()} == curated
    result = engine.assess("BEL", ["NLD"], on=date(1833, 1, 1))
    assert {f.treaty for f in result.findings} <= curated
    assert not [f for f in result.findings if f.status in (Status.OBLIGATED, Status.CONDITIONAL)]


def test_1832_france_must_defend_belgium_against_the_netherlands(imported):
    result = engine.assess("Belgium", ["Netherlands"], on=date(1833, 1, 1))
    (f,) = _findings(result, "atop-1060", Kind.DEFENSE)
    assert (f.obligor, f.beneficiary, f.article, f.text) == ("FRA", "BEL", None, None)
    assert f.status is Status.CONDITIONAL  # ATOP codes location and specific-conflict conditions it cannot place
    assert any("owed against Netherlands, who attacks" in r for r in f.reasons)
    assert any("no article text" in r for r in f.reasons)


def test_1832_belgium_owes_france_no_defence(imported):
    result = engine.assess("France", ["Netherlands"], on=date(1833, 1, 1))
    assert not [f for f in result.findings if f.treaty == "atop-1060" and f.obligor == "BEL"]


def test_specific_adversary_condition_applied_when_the_attacker_is_named(imported):
    result = engine.assess("Belgium", ["Prussia"], on=date(1833, 1, 1))
    (f,) = _findings(result, "atop-1060", Kind.DEFENSE)
    assert f.status is Status.NOT_TRIGGERED
    assert any("owed only against Netherlands, not against this attacker" in r for r in f.reasons)


def test_unnamed_adversary_is_conditional_never_guessed(imported):
    """The Franco-Russian convention (ATOP 1385) is limited to adversaries ATOP does not list."""
    result = engine.assess("France", ["Germany"], on=date(1914, 8, 3))
    (f,) = [f for f in _findings(result, "atop-1385", Kind.DEFENSE) if f.obligor == "RUS"]
    assert f.status is Status.CONDITIONAL
    assert any("which ATOP does not name" in r for r in f.reasons)


def test_curated_treaty_claiming_an_atop_id_wins(imported):
    atop_1060 = imported.get("atop-1060")
    start = atop_1060.in_force
    curated = next(iter(bundled())).model_copy(update={"atop_id": [1060], "signed": start, "in_force": start})
    merged = store.combine(Corpus([curated]), [atop_1060, imported.get("atop-1385")])
    assert [t.id for t in merged] == [curated.id, "atop-1385"]
    after = start + timedelta(days=60)
    later = curated.model_copy(update={"signed": after, "in_force": after})
    (_, cut, _) = store.combine(Corpus([later]), [atop_1060, imported.get("atop-1385")])
    assert cut.id == "atop-1060" and cut.ended == later.signed and later.id in cut.notes
    assert all(m.end <= later.signed for m in cut.parties)


def test_engine_and_store_agree_on_size(imported, shared_data):
    with (shared_data / "atop4_01_alliance_level.csv").open() as fh:
        alliances = {int(r["atopid"]) for r in csv.DictReader(fh)}
    curated = imported.select(source="curated")
    claimed = {aid for t in curated for aid in t.atop_ids}
    signed = {aid: min(d for d in (t.signed, t.in_force) if d) for t in curated for aid in t.atop_ids}
    kept = {t.atop_id for t in imported.select(source="atop")}
    assert claimed <= alliances and kept <= alliances
    assert alliances - claimed <= kept  # every unclaimed alliance stays
    for aid in claimed & kept:  # a claimed one stays only for the time before the curated treaty
        assert imported.get(f"atop-{aid}").ended <= signed[aid]
    assert {3180, 4220, 4400} <= claimed - kept and {3130, 4130, 4175} <= claimed & kept
    assert len(imported) == len(bundled()) + len(kept)


def test_treaties_source_atop_party_on_date(imported, shared_data):
    result = CliRunner().invoke(app, ["treaties", "--source", "atop", "--party", "RUS",
                                      "--on", "1914-08-01", "--json"])
    assert result.exit_code == 0, result.output
    listed = {t["atop_id"] for t in json.loads(result.output)["treaties"]}
    day = date(1914, 8, 1)
    expected = set()
    with (shared_data / "atop4_01_member_level.csv").open() as fh:  # read independently of the importer
        for r in csv.DictReader(fh):
            if r["member"] != "365":
                continue
            start = date(int(r["yrent"]), int(r["moent"]), int(float(r["dayent"] or 1)))
            ended = r["yrexit"] != "0" and date(int(r["yrexit"]), int(r["moexit"]), int(float(r["dayexit"] or 28))) < day
            if start <= day and not ended:
                expected.add(int(r["atopid"]))
    assert listed == expected and 1385 in listed


def test_show_atop_alliance(imported):
    result = CliRunner().invoke(app, ["show", "atop-1060", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["origin"] == "atop" and doc["atop_id"] == 1060 and doc["articles"] == []
    assert [o["obligors"] for o in doc["obligations"]] == [["FRA"]]


def test_condition_columns_map_onto_condition_kinds(imported, shared_data):
    members = atop.read(shared_data / "atop4_01_member_level.csv").frame
    locarno = imported.get("atop-2130")
    rows = members.filter(members["atopid"] == 2130).iter_rows(named=True)
    for row in rows:
        (ob,) = [o for o in locarno.obligations if o.kind is Kind.DEFENSE and o.obligors == (atop.state_id(row["member"]),)]
        kinds = {c.kind for c in ob.conditions}
        assert (ConditionKind.SPECIFIC_ADVERSARY in kinds) == bool(row["defcoadv"])
        assert (ConditionKind.LOCATION in kinds) == bool(row["defcoloc"])
        assert (ConditionKind.NON_PROVOCATION in kinds) == bool(row["defconpr"])
        adversaries = next(c.states for c in ob.conditions if c.kind is ConditionKind.SPECIFIC_ADVERSARY)
        assert adversaries == ("DEU", "FRA")  # STATTHR1/2 = 255, 220


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=date(1815, 1, 1), max_value=date(2016, 12, 31)), pick=st.integers(min_value=0))
def test_obligations_bind_only_members_on_the_day(shared_data, day, pick):
    """Invariant: every obligation valid on a day is owed by a party that is a member that day."""
    corpus = _imported_corpus(shared_data)
    treaty = corpus[pick % len(corpus)]
    members = set(treaty.members_on(day))
    for ob in treaty.obligations:
        if ob.valid is not None and ob.valid.contains(day):
            assert set(ob.obligors) <= members
    assert bool(members) <= treaty.interval.contains(day)


@cache
def _imported_corpus(shared_data: Path) -> list:
    return atop.treaties(atop.read(shared_data / "atop4_01_member_level.csv").frame, "4.01")


def test_answers_from_1815_before_the_cow_state_system(imported):
    """ATOP starts in 1815: the Quadruple Alliance (ATOP 1035) binds against France."""
    result = engine.assess(300, ["France"], on=date(1815, 12, 1))
    owed = {f.obligor for f in _findings(result, "atop-1035", Kind.DEFENSE) if f.status is Status.OBLIGATED}
    assert owed == {"GBR", "RUS", states.state_id(255)}
    with pytest.raises(StateNotInSystemError, match="before the alliance data begin"):
        engine.assess(300, ["France"], on=date(1814, 12, 31))
