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


LINKS = {t.id: t.atop_id for t in bundled() if t.atop_id is not None}


def test_links_are_one_to_one():
    assert len(LINKS) >= 20 and len(set(LINKS.values())) == len(LINKS)


@pytest.mark.parametrize(("treaty_id", "atop_id"), sorted(LINKS.items()))
def test_each_link_matches_the_data(alliances, treaty_id, atop_id):
    curated, alliance = bundled().get(treaty_id), alliances[atop_id]
    assert alliance.in_force in {curated.signed, curated.in_force}
    ours, theirs = _founders(curated), _founders(alliance)
    assert len(ours & theirs) >= 0.6 * len(ours | theirs)


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
