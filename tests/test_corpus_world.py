"""The world corpus: every file validates, and its dates, parties and membership spells match a table of
facts kept here (accessions, withdrawals, suspensions), each with where it comes from."""

from __future__ import annotations

import json
from pathlib import Path
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from corpus_2026 import IN_FORCE_2026

from foedus import states
from foedus.cli import app
from foedus.corpus.loader import bundled, bundled_dir, load_treaty_file
from foedus.errors import CorpusError
from foedus.model import Kind

D = date.fromisoformat
OPEN = None

EU27_2009 = "AUT BEL BGR CYP CZE DEU DNK ESP EST FIN FRA GRC HUN IRL ITA LTU LUX LVA MLT NLD POL PRT ROU SVK SVN SWE"


def _same(states: str, start: str, end: str | None = OPEN) -> dict[str, list[tuple]]:
    return {s: [(D(start), D(end) if end else None)] for s in states.split()}


# treaty id -> (in force, ended, {state: [(start, end), ...]})
FACTS: dict[str, tuple[date, date | None, dict[str, list[tuple]]]] = {
    # Lisbon in force 1 Dec 2009; Croatia joined 1 Jul 2013; the UK left at the end of 31 Jan 2020.
    "eu-teu-42-7": (D("2009-12-01"), None, {
        **_same(EU27_2009, "2009-12-01"),
        "HRV": [(D("2013-07-01"), None)],
        "GBR": [(D("2009-12-01"), D("2020-02-01"))],
    }),
    # Paris Protocol in force 6 May 1955; Spain and Portugal 27 Mar 1990; Greece 6 Mar 1995; the FRG's
    # membership passes to unified Germany on 3 Oct 1990; WEU closed 30 June 2011.
    "weu-1954": (D("1955-05-06"), D("2011-07-01"), {
        **_same("BEL FRA LUX NLD GBR ITA", "1955-05-06", "2011-07-01"),
        "GFR": [(D("1955-05-06"), D("1990-10-03"))],
        "DEU": [(D("1990-10-03"), D("2011-07-01"))],
        **_same("ESP PRT", "1990-03-27", "2011-07-01"),
        "GRC": [(D("1995-03-06"), D("2011-07-01"))],
    }),
    # Albania withdrew 13 Sep 1968; the GDR left on unification (3 Oct 1990); dissolved 1 Jul 1991.
    "warsaw-1955": (D("1955-06-05"), D("1991-07-01"), {
        **_same("RUS POL CZE315 HUN ROU BGR", "1955-06-05", "1991-07-01"),
        "GDR": [(D("1955-06-05"), D("1990-10-03"))],
        "ALB": [(D("1955-06-05"), D("1968-09-13"))],
    }),
    # ATOP 3205 entry dates; Egypt suspended 1979-1989; Syria suspended 2011, readmitted 2023; Libya suspended
    # Feb-Aug 2011; Yemeni unification.
    "arab-league-1950": (D("1952-08-23"), None, {
        "EGY": [(D("1952-08-23"), D("1979-03-31")), (D("1989-05-22"), None)],
        "SYR": [(D("1952-08-23"), D("2011-11-12")), (D("2023-05-07"), None)],
        **_same("LBN SAU IRQ JOR", "1952-08-23"),
        "YAR": [(D("1952-08-23"), D("1990-05-22"))],
        "MAR": [(D("1961-06-13"), None)],
        "KWT": [(D("1961-08-12"), None)],
        **_same("DZA TUN SDN", "1964-09-11"),
        "LBY": [(D("1964-09-11"), D("2011-02-22")), (D("2011-08-27"), None)],  # suspended in 2011, like Syria
        "OMN": [(D("1971-09-29"), None)],
        **_same("BHR QAT", "1971-11-14"),
        "YPR": [(D("1971-11-23"), D("1990-05-22"))],
        "ARE": [(D("1971-12-06"), None)],
        "SOM": [(D("1974-05-20"), None)],
        "DJI": [(D("1977-09-04"), None)],
        "YEM": [(D("1990-05-22"), None)],
        "COM": [(D("1993-11-20"), None)],
    }),
    "prc-sun-1950": (D("1950-04-11"), D("1980-04-11"), _same("RUS CHN", "1950-04-11", "1980-04-11")),
    "gbr-prt-1373": (D("1373-06-16"), None, _same("GBR PRT", "1373-06-16")),
    "rus-blr-2024": (D("2025-03-13"), None, _same("RUS BLR", "2025-03-13")),
    "rus-arm-1997": (D("1997-08-29"), None, _same("RUS ARM", "1997-08-29")),
    "rus-tjk-1993": (D("1993-05-25"), None, _same("RUS TJK", "1993-05-25")),
    "rus-kgz-1992": (D("1992-06-10"), None, _same("RUS KGZ", "1992-06-10")),
    "pak-sau-2025": (D("2025-09-17"), None, _same("PAK SAU", "2025-09-17")),
    "tur-aze-2021": (D("2021-06-15"), None, _same("TUR AZE", "2021-06-15")),
    "fra-grc-2021": (D("2022-02-14"), None, _same("FRA GRC", "2022-02-14")),
    "fra-deu-2019": (D("2020-01-22"), None, _same("FRA DEU", "2020-01-22")),
    "fra-are-2009": (D("2012-04-16"), None, _same("FRA ARE", "2012-04-16")),
    "prc-rus-2001": (D("2002-02-28"), None, _same("CHN RUS", "2002-02-28")),
    "tur-aze-2010": (D("2011-02-02"), None, _same("TUR AZE", "2011-02-02")),
    # ATOP 3895 signatories; Mauritania left ECOWAS in 2000; Burkina Faso and Niger on 29 Jan 2025.
    "ecowas-1981": (D("1986-09-01"), None, {
        **_same("BEN CIV GMB GHA GIN GNB LBR NGA SEN SLE TGO", "1986-09-01"),
        "MRT": [(D("1986-09-01"), D("2000-12-26"))],
        **_same("BFA NER", "1986-09-01", "2025-01-29"),
    }),
    "gcc-2000": (D("2000-12-31"), None, _same("BHR KWT OMN QAT SAU ARE", "2000-12-31")),
    # Manila Pact: in force since 19 Feb 1955; Pakistan left a year after its November 1972 notice.
    "seato-1954": (D("1955-02-19"), None, {
        **_same("USA GBR FRA AUS NZL PHL THA", "1955-02-19"),
        "PAK": [(D("1955-02-19"), D("1973-11-08"))],
    }),
    # Ratifications exchanged 3 Mar 1955; US notice of 1 Jan 1979 took effect a year later.
    "usa-twn-1954": (D("1955-03-03"), D("1980-01-01"), _same("USA TWN", "1955-03-03", "1980-01-01")),
    "ind-sun-1971": (D("1971-08-09"), D("1993-01-28"), _same("IND RUS", "1971-08-09", "1993-01-28")),
}

# The core treaties (their facts are checked in test_corpus_core.py) in force on 2026-01-01 with a
# defence or consultation obligation.
CORE_IN_FORCE_2026 = {"rus-prk-2024", "prc-prk-1961", "usa-kor-1953", "usa-jpn-1960", "nato-1949", "anzus-1951",
                      "usa-phl-1951", "csto-1992", "rio-1947"}
WORLD_ENDED_BY_2026 = {"weu-1954", "warsaw-1955", "prc-sun-1950", "usa-twn-1954", "ind-sun-1971"}


@pytest.mark.parametrize("treaty_id", sorted(FACTS))
def test_file_validates(treaty_id):
    t = load_treaty_file(bundled_dir() / f"{treaty_id}.yaml")
    assert t.id == treaty_id and t.sources and t.obligations


@pytest.mark.parametrize("treaty_id", sorted(FACTS))
def test_dates_and_spells_match_the_facts(treaty_id):
    in_force, ended, spells = FACTS[treaty_id]
    t = bundled().get(treaty_id)
    assert (t.in_force, t.ended) == (in_force, ended)
    coded: dict[str, list[tuple]] = {}
    for m in t.parties:
        coded.setdefault(m.state, []).append((m.start, m.end))
    assert {s: sorted(v) for s, v in coded.items()} == {s: sorted(v) for s, v in spells.items()}


def test_every_bundled_file_validates():
    for path in sorted(bundled_dir().glob("*.yaml")):
        assert load_treaty_file(path).id == path.stem


@pytest.mark.parametrize("treaty_id", sorted(FACTS))
def test_every_quoted_article_says_how_it_was_verified_and_unverified_ones_say_why(treaty_id):
    for a in bundled().get(treaty_id).articles:
        assert a.text.strip()
        if a.verified != "verified":
            assert a.note, f"{treaty_id} art. {a.number} is {a.verified} without a note"


@pytest.mark.parametrize(
    ("treaty_id", "state", "day", "member"),
    [
        ("eu-teu-42-7", "GBR", "2020-01-31", True),
        ("eu-teu-42-7", "GBR", "2020-02-01", False),
        ("eu-teu-42-7", "HRV", "2013-06-30", False),
        ("eu-teu-42-7", "HRV", "2013-07-01", True),
        ("eu-teu-42-7", "FRA", "2009-11-30", False),
        ("warsaw-1955", "ALB", "1968-09-12", True),
        ("warsaw-1955", "ALB", "1968-09-13", False),
        ("warsaw-1955", "GDR", "1990-10-02", True),
        ("warsaw-1955", "GDR", "1990-10-03", False),
        ("weu-1954", "GFR", "1990-10-02", True),
        ("weu-1954", "DEU", "1990-10-03", True),
        ("weu-1954", "GRC", "1995-03-05", False),
        ("arab-league-1950", "EGY", "1985-01-01", False),
        ("arab-league-1950", "EGY", "1990-01-01", True),
        ("arab-league-1950", "SYR", "2015-01-01", False),
        ("arab-league-1950", "SYR", "2024-01-01", True),
        ("arab-league-1950", "YEM", "1990-05-21", False),
        ("arab-league-1950", "YAR", "1990-05-21", True),
        ("ecowas-1981", "BFA", "2025-01-28", True),
        ("ecowas-1981", "BFA", "2025-01-29", False),
        ("ecowas-1981", "MRT", "2001-01-01", False),
        ("seato-1954", "PAK", "1973-11-07", True),
        ("seato-1954", "PAK", "1973-11-08", False),
        ("seato-1954", "FRA", "2026-01-01", True),
    ],
)
def test_membership_on_a_day(treaty_id, state, day, member):
    assert (state in bundled().get(treaty_id).members_on(D(day))) is member


def _in_force_with(kinds: set[Kind], day: date) -> set[str]:
    return {t.id for k in kinds for t in bundled().select(on=day, kind=k)}


def test_coverage_on_1_january_2026():
    """Every treaty with a defence or consultation obligation in force on 2026-01-01 is the expected one."""
    expected = (set(FACTS) - WORLD_ENDED_BY_2026) | CORE_IN_FORCE_2026 | IN_FORCE_2026
    got = _in_force_with({Kind.DEFENSE, Kind.CONSULTATION}, D("2026-01-01"))
    assert got == expected
    assert len(got) == 26 + len(IN_FORCE_2026)


def test_kind_filter_on_the_command_line():
    result = CliRunner().invoke(app, ["treaties", "--on", "2026-01-01", "--kind", "defense", "--json"])
    assert result.exit_code == 0, result.output
    ids = {t["id"] for t in json.loads(result.output)["treaties"]}
    assert ids == _in_force_with({Kind.DEFENSE}, D("2026-01-01"))
    assert "prc-rus-2001" not in ids and "eu-teu-42-7" in ids


def test_unknown_kind_is_refused():
    result = CliRunner().invoke(app, ["treaties", "--kind", "alliance"])
    assert result.exit_code != 0
    with pytest.raises(CorpusError, match=r"unknown obligation kind: 'alliance' \(one of defense, "):
        bundled().select(kind="alliance")


@pytest.mark.parametrize(("sid", "cow"), [("CZE315", 315), ("KOR730", 730)])
def test_ids_carrying_a_cow_number_resolve_to_themselves(sid, cow):
    st = states.resolve(sid)
    assert (st.id, st.cow) == (sid, cow)


@given(st.dates(min_value=date(1816, 1, 1), max_value=date(2030, 12, 31)), st.sampled_from(list(Kind)))
def test_kind_filter_selects_exactly_the_treaties_with_that_kind_in_force(day, kind):
    chosen = {t.id for t in bundled().select(on=day, kind=kind)}
    for t in bundled():
        has = t.interval.contains(day) and any(
            ob.kind is kind and (ob.valid is None or ob.valid.contains(day)) for ob in t.obligations)
        assert (t.id in chosen) is has


@given(st.sampled_from(sorted(FACTS)), st.dates(min_value=date(1816, 1, 1), max_value=date(2030, 12, 31)))
def test_members_are_parties_and_only_while_in_force(treaty_id, day):
    t = bundled().get(treaty_id)
    members = set(t.members_on(day))
    assert members <= {m.state for m in t.parties}
    if not t.interval.contains(day):
        assert not members
    # a spell never starts before the treaty is in force, nor outlasts it
    for m in t.parties:
        assert m.start >= t.in_force
        if t.ended is not None:
            assert m.end is not None and m.end <= t.ended


def test_docs_corpus_lists_every_bundled_treaty():
    text = (Path(__file__).resolve().parents[1] / "docs" / "corpus.md").read_text(encoding="utf-8")
    missing = [t.id for t in bundled() if f"`{t.id}`" not in text]
    assert not missing, f"docs/corpus.md does not list {missing}"
