"""Issue 13, items 1 and 2: the pacts in force on 1 January 2026 and the three signed but not yet in force,
answered by the engine for real cases; and the non-member entities (Abkhazia, South Ossetia) they name."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from corpus_2026 import IN_FORCE_2026, SIGNED_NOT_IN_FORCE_2026
from typer.testing import CliRunner

from foedus import engine, entities, states
from foedus.cli import app
from foedus.corpus.loader import bundled
from foedus.model import Kind, Status, Strength

D = date.fromisoformat
NEW_YEAR_2026 = D("2026-01-01")


def _findings(target, attacker, on, treaty=None):
    result = engine.assess(target, [attacker], on=D(on), corpus=bundled())
    return [f for f in result.findings if treaty is None or f.treaty == treaty]


# --- item 1: in force on 2026-01-01 --------------------------------------------------------------------------


@pytest.mark.parametrize("tid", sorted(IN_FORCE_2026))
def test_each_named_pact_is_in_force_on_1_january_2026(tid):
    in_force = {t.id for k in (Kind.DEFENSE, Kind.CONSULTATION) for t in bundled().select(on=NEW_YEAR_2026, kind=k)}
    assert tid in in_force
    t = bundled().get(tid)
    assert len(t.members_on(NEW_YEAR_2026)) >= 2
    assert t.sources, "every file names its sources"


def test_the_treaties_command_lists_them_for_1_january_2026():
    result = CliRunner().invoke(app, ["treaties", "--on", "2026-01-01", "--json"])
    assert result.exit_code == 0, result.output
    listed = {t["id"] for t in json.loads(result.output)["treaties"]}
    assert IN_FORCE_2026 <= listed
    assert not set(SIGNED_NOT_IN_FORCE_2026) & listed


# --- item 2: signed, not yet in force ------------------------------------------------------------------------


@pytest.mark.parametrize(("tid", "dates"), sorted(SIGNED_NOT_IN_FORCE_2026.items()))
def test_signed_treaties_are_not_in_force_on_1_january_2026(tid, dates):
    signed, in_force = dates
    t = bundled().get(tid)
    assert t.signed == D(signed)
    assert not t.interval.contains(NEW_YEAR_2026) and t.members_on(NEW_YEAR_2026) == []
    if in_force is None:
        assert t.awaiting_entry_into_force
        assert not t.interval.contains(date(2100, 1, 1))
    else:
        assert t.in_force == D(in_force)
        assert t.interval.contains(D(in_force)) and not t.interval.contains(D(in_force) - timedelta(days=1))
        assert len(t.members_on(D(in_force))) == 2


def test_nancy_binds_france_to_poland_from_its_entry_into_force_not_before():
    before = _findings("Poland", "Russia", "2026-01-10", "fra-pol-2025")
    after = _findings("Poland", "Russia", "2026-02-01", "fra-pol-2025")
    assert [(f.obligor, f.status) for f in before] == [("FRA", Status.NOT_IN_FORCE)]
    assert [(f.obligor, f.kind, f.status) for f in after] == [("FRA", Kind.DEFENSE, Status.OBLIGATED)]
    assert "moyens militaires" in after[0].text


@pytest.mark.parametrize(("target", "attacker", "tid", "obligor"), [
    ("Papua New Guinea", "Indonesia", "aus-png-2025", "AUS"),
    ("Germany", "Russia", "gbr-deu-2025", "GBR"),
])
def test_a_treaty_awaiting_ratification_is_reported_as_signed_and_not_in_force(target, attacker, tid, obligor):
    found = _findings(target, attacker, "2026-06-01", tid)
    assert [(f.obligor, f.status) for f in found] == [(obligor, Status.NOT_IN_FORCE)]
    assert "not yet in force" in found[0].reasons[0]


# --- the engine on real cases --------------------------------------------------------------------------------


def test_an_attack_on_the_marshall_islands_binds_the_united_states_under_section_311():
    found = _findings("Marshall Islands", "China", "2026-03-01", "usa-fsm-mhl-1986")
    assert [(f.obligor, f.kind, f.status, f.strength) for f in found] == [
        ("USA", Kind.DEFENSE, Status.OBLIGATED, Strength.AUTO)]
    assert "the obligation to defend the Marshall Islands" in found[0].text


def test_the_marshall_islands_owe_the_united_states_nothing_under_the_compact():
    assert _findings("United States", "China", "2026-03-01", "usa-fsm-mhl-1986") == []


def test_palau_is_answered_conditionally_because_section_312_names_no_duty_to_defend():
    found = _findings("Palau", "China", "2026-03-01", "usa-plw-1986")
    assert [(f.obligor, f.status) for f in found] == [("USA", Status.CONDITIONAL)]


def test_an_attack_on_niger_in_2026_binds_mali_and_burkina_faso_under_the_liptako_gourma_charter():
    found = _findings("Niger", "Nigeria", "2026-03-01")
    aes = {(f.obligor, f.status) for f in found if f.treaty == "aes-2023"}
    assert aes == {("MLI", Status.OBLIGATED), ("BFA", Status.OBLIGATED)}
    au = [f for f in found if f.treaty == "au-nacdp-2005"]
    assert au and all(f.status is Status.CONDITIONAL for f in au)  # Art. 4 not seen: conditional, never obligated


def test_the_sahel_charter_covers_forces_abroad_but_not_before_it_was_signed():
    assert _findings("Niger", "Nigeria", "2023-09-01", "aes-2023") == []


def test_an_attack_on_djibouti_in_2026_returns_frances_article_4_clause_as_conditional():
    found = _findings("Djibouti", "Eritrea", "2026-03-01", "fra-dji-2011")
    assert {(f.obligor, f.kind, f.status) for f in found} == {
        ("FRA", Kind.DEFENSE, Status.CONDITIONAL), ("FRA", Kind.CONSULTATION, Status.CONDITIONAL)}
    assert all(f.beneficiary == "DJI" for f in found)


def test_the_2011_djibouti_treaty_was_signed_but_not_yet_in_force_in_2013():
    found = _findings("Djibouti", "Eritrea", "2013-06-01", "fra-dji-2011")
    assert {f.status for f in found} == {Status.NOT_IN_FORCE}


def test_russia_owes_iran_neutrality_not_defence():
    attacked = _findings("Iran", "Israel", "2026-03-01", "rus-irn-2025")
    assert {(f.kind, f.status) for f in attacked} == {
        (Kind.NEUTRALITY, Status.OBLIGATED), (Kind.CONSULTATION, Status.CONDITIONAL)}
    assert not [f for f in attacked if f.kind is Kind.DEFENSE]
    attacking = _findings("Israel", "Iran", "2026-03-01", "rus-irn-2025")
    assert {(f.kind, f.status) for f in attacking} == {(Kind.NEUTRALITY, Status.NOT_TRIGGERED)}


def test_the_guarantors_owe_cyprus_consultation_only():
    found = _findings("Cyprus", "Syria", "2026-03-01", "guarantee-1960")
    assert {f.obligor for f in found} == {"GRC", "TUR", "GBR"}
    assert {(f.kind, f.status) for f in found} == {(Kind.CONSULTATION, Status.CONDITIONAL)}


def test_the_fpda_are_consultation_for_malaysia_and_singapore_only():
    assert {(f.obligor, f.kind) for f in _findings("Singapore", "Indonesia", "2026-03-01", "fpda-1971")} == {
        (s, Kind.CONSULTATION) for s in ("AUS", "GBR", "MYS", "NZL")}
    assert _findings("Australia", "Indonesia", "2026-03-01", "fpda-1971") == []


def test_venezuela_and_nicaragua_are_no_longer_bound_by_the_oas_charter_in_2026():
    members = bundled().get("oas-charter-1948").members_on(NEW_YEAR_2026)
    assert {"USA", "CAN", "BRA", "GUY"} <= set(members) and not {"VEN", "NIC"} & set(members)


# --- a text not verified never yields "obligated" ------------------------------------------------------------


@pytest.mark.parametrize("tid", sorted(IN_FORCE_2026))
def test_no_finding_on_an_unverified_article_is_obligated(tid):
    t = bundled().get(tid)
    unverified = {a.number for a in t.articles if a.verified == "unverified"}
    members = t.members_on(NEW_YEAR_2026)
    outsider = "Mongolia"
    for target in members:
        for f in engine.assess(target, [outsider], on=NEW_YEAR_2026, corpus=bundled()).findings:
            if f.treaty == tid and f.article in unverified:
                assert f.status is not Status.OBLIGATED, (tid, f.obligor, target)


# --- non-member entities -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "sid"), [
    ("Abkhazia", "ABK"), ("abk", "ABK"), ("Republic of Abkhazia", "ABK"),
    ("South Ossetia", "SOS"), ("SOS", "SOS"), ("Tskhinvali Region", "SOS"),
])
def test_entities_resolve_by_name_alias_and_id(query, sid):
    st = states.resolve(query)
    assert (st.id, st.cow, st.membership) == (sid, None, ())
    assert "Not a member of the COW state system" in entities.note(sid)


def test_the_state_command_shows_an_entity_with_its_note():
    result = CliRunner().invoke(app, ["state", "South Ossetia", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert (doc["id"], doc["cow"], doc["membership"]) == ("SOS", None, [])
    assert "recognised it on 26 Aug 2008" in doc["note"]


def test_entity_ids_are_no_state_code_and_do_not_shadow_georgia():
    codes = {c for col in ("iso3c", "cowc") for c in states._codelist()[col] if c}
    assert not entities.ids() & codes
    assert states.state_id("Georgia") == "GEO" and entities.note("GEO") == ""


def test_an_entity_passes_the_state_system_check(cow_states):
    event = engine.make_event("Abkhazia", ["Georgia"], on=D("2025-01-01"))
    assert (event.target, event.attackers) == ("ABK", ("GEO",))


def test_assess_abkhazia_attacked_by_georgia_gives_the_russia_finding():
    result = CliRunner().invoke(app, ["assess", "--target", "Abkhazia", "--attacker", "Georgia",
                                      "--on", "2025-01-01", "--json"])
    assert result.exit_code == 0, result.output
    found = [f for f in json.loads(result.output)["findings"] if f["treaty"] == "rus-abk-2014"]
    assert [(f["obligor"], f["kind"], f["status"]) for f in found] == [("RUS", "defense", "conditional")]
    assert "validity is contested" in " ".join(found[0]["reasons"])


def test_russia_ensures_south_ossetias_defence_one_way():
    assert [(f.obligor, f.status) for f in _findings("South Ossetia", "Georgia", "2026-03-01", "rus-sos-2015")] == [
        ("RUS", Status.CONDITIONAL)]
    assert _findings("Russia", "Georgia", "2026-03-01", "rus-sos-2015") == []


def test_the_abkhazia_treaty_was_signed_but_not_in_force_in_december_2014():
    found = _findings("Abkhazia", "Georgia", "2014-12-01", "rus-abk-2014")
    assert {f.status for f in found} == {Status.NOT_IN_FORCE}
