"""Bundled treaties linked to their ATOP alliances: each link checked against the real data,
and the curated coding answering in place of the ATOP one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from foedus import engine, store
from foedus.cli import app
from foedus.corpus.loader import bundled
from foedus.datasets import atop
from foedus.model import Kind

YEAR = timedelta(days=366)


@pytest.fixture
def alliances(shared_data):
    members = atop.read(shared_data / "atop4_01_member_level.csv").frame
    return {t.atop_id: t for t in atop.treaties(members, "4.01")}


def _founders(treaty) -> set[str]:
    return {m.state for m in treaty.parties if m.start <= treaty.in_force + YEAR}


LINKS = sorted((t.id, aid) for t in bundled() for aid in t.atop_ids)
DISTINCT = sorted((t.id, d.id) for t in bundled() for d in t.atop_distinct)


def _change_days(treaty) -> set[date]:
    return {treaty.in_force} | {d for m in treaty.parties for d in (m.start, m.end) if d is not None}


def same_members_on_a_shared_day(a, b) -> bool:
    """True when on some day both treaties are in force with exactly the same members."""
    days = {d for d in _change_days(a) | _change_days(b) if a.interval.contains(d) and b.interval.contains(d)}
    if a.interval.overlaps(b.interval):
        days.add(max(a.in_force, b.in_force))
    return any(a.members_on(d) and a.members_on(d) == b.members_on(d) for d in days)


def test_links_are_one_to_one():
    linked = [aid for _, aid in LINKS]
    assert len(LINKS) >= 20 and len(set(linked)) == len(linked)


@pytest.mark.parametrize(("treaty_id", "atop_id"), LINKS)
def test_each_link_matches_the_data(alliances, treaty_id, atop_id):
    """The same treaty (start date and founders), or a phase or predecessor with the same members."""
    curated, alliance = bundled().get(treaty_id), alliances[atop_id]
    ours, theirs = _founders(curated), _founders(alliance)
    same_start = alliance.in_force in {curated.signed, curated.in_force}
    assert (same_start and len(ours & theirs) >= 0.6 * len(ours | theirs)
            or same_members_on_a_shared_day(curated, alliance))


@pytest.mark.parametrize(("treaty_id", "atop_id"), DISTINCT)
def test_each_distinct_alliance_shares_the_members(alliances, treaty_id, atop_id):
    """An alliance is declared distinct only where the data shows the same members on a shared day."""
    assert same_members_on_a_shared_day(bundled().get(treaty_id), alliances[atop_id])


def test_every_atop_alliance_coding_the_same_members_is_linked_or_declared_distinct(alliances):
    linked = {aid for _, aid in LINKS}
    missing = [
        f"{t.id}: ATOP {aid} ({a.name})"
        for t in bundled()
        for aid, a in alliances.items()
        if aid not in linked and aid not in {d.id for d in t.atop_distinct} and same_members_on_a_shared_day(t, a)
    ]
    assert not missing, "link these (atop_id) or declare them distinct with a reason (atop_distinct): " + "; ".join(missing)


def test_linked_treaty_shows_its_atop_id_without_any_import():
    doc = CliRunner().invoke(app, ["show", "nato-1949", "--json"]).output
    assert '"atop_id": 3180' in doc


def test_curated_nato_answers_instead_of_atop_3180(shared_data):
    store.import_dataset("atop", [shared_data / "atop4_01_alliance_level.csv",
                                  shared_data / "atop4_01_member_level.csv"])
    corpus = store.active_corpus()
    assert corpus.get("nato-1949").atop_id == 3180
    assert not [t for t in corpus if t.id == "atop-3180"]
    result = engine.assess("Norway", ["Russia"], on=date(1980, 1, 1))
    defence = [f for f in result.findings if f.kind is Kind.DEFENSE and f.obligor == "USA"]
    assert {f.treaty for f in defence} == {"nato-1949"}
    assert all(f.text for f in defence)  # the curated article text, not an ATOP-only finding


def test_french_guiana_2025_has_no_uk_obligation_through_atop_4175(shared_data):
    """Issue 11: the EU treaties (ATOP 4175) kept the UK bound five years after Brexit."""
    store.import_dataset("atop", [shared_data / "atop4_01_alliance_level.csv",
                                  shared_data / "atop4_01_member_level.csv"])
    result = engine.assess("FRA", [], on=date(2025, 4, 1), place="French Guiana")
    assert not [f for f in result.findings if f.treaty == "atop-4175"]
    assert not [f for f in result.findings if f.obligor == "GBR" and f.treaty in {"eu-teu-42-7", "atop-4175"}]
    assert [f for f in result.findings if f.treaty == "eu-teu-42-7" and f.obligor == "DEU"]


def test_a_predecessor_answers_until_the_curated_treaty_is_signed(shared_data):
    store.import_dataset("atop", [shared_data / "atop4_01_alliance_level.csv",
                                  shared_data / "atop4_01_member_level.csv"])
    corpus = store.active_corpus()
    brussels = corpus.get("atop-3130")  # the 1948 Brussels Treaty phase, before the 1954 modified treaty
    assert brussels.ended == bundled().get("weu-1954").signed
    assert all(o.valid.end <= brussels.ended for o in brussels.obligations)
    assert "weu-1954" in brussels.notes
    for aid in (3180, 4220, 4400):  # signed on or after the curated treaty's own signature
        assert f"atop-{aid}" not in corpus.treaties
    assert corpus.get("atop-4175").ended == bundled().get("eu-teu-42-7").signed  # Maastricht-era phase only
    before = engine.assess("BEL", ["Germany"], on=date(1950, 1, 1))
    assert {f.treaty for f in before.findings if f.obligor == "GBR" and f.kind is Kind.DEFENSE} >= {"atop-3130"}
    after = engine.assess("BEL", ["Germany"], on=date(1960, 1, 1))
    assert not [f for f in after.findings if f.treaty == "atop-3130"]
