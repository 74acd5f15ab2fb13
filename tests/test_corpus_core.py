"""The core curated treaties: every bundled file validates, and each file's dates, parties and
membership spells agree with a table of facts kept here (transcribed from the sources each file
cites), so a slip in a YAML file shows up as a difference between the two."""

from __future__ import annotations

from datetime import date

import pytest
from countrycode import countrycode as cc

from foedus import places
from foedus.corpus.loader import bundled, bundled_dir, load_treaty_file

D = date.fromisoformat
NATO_1949 = "BEL CAN DNK FRA ISL ITA LUX NLD NOR PRT GBR USA".split()
RIO_1948 = "USA BRA COL CRI SLV DOM HTI HND PAN PRY PER URY".split()

# treaty id -> (signed, in force, ended, {state: [(start, end), ...]})
FACTS: dict[str, tuple[str, str, str | None, dict[str, list[tuple[str, str | None]]]]] = {
    "nato-1949": ("1949-04-04", "1949-08-24", None, {
        **{s: [("1949-08-24", None)] for s in NATO_1949},
        "GRC": [("1952-02-18", None)], "TUR": [("1952-02-18", None)],
        "GFR": [("1955-05-06", "1990-10-03")], "DEU": [("1990-10-03", None)],
        "ESP": [("1982-05-30", None)],
        **{s: [("1999-03-12", None)] for s in ("CZE", "HUN", "POL")},
        **{s: [("2004-03-29", None)] for s in ("BGR", "EST", "LVA", "LTU", "ROU", "SVK", "SVN")},
        "ALB": [("2009-04-01", None)], "HRV": [("2009-04-01", None)],
        "MNE": [("2017-06-05", None)], "MKD": [("2020-03-27", None)],
        "FIN": [("2023-04-04", None)], "SWE": [("2024-03-07", None)],
    }),
    "rio-1947": ("1947-09-02", "1948-12-03", None, {
        **{s: [("1948-12-03", None)] for s in RIO_1948},
        "CUB": [("1948-12-09", None)], "CHL": [("1949-02-09", None)], "ARG": [("1950-08-21", None)],
        "BOL": [("1950-09-26", "2014-10-18")], "ECU": [("1950-11-07", "2016-02-20")],
        "GTM": [("1955-04-06", None)], "BHS": [("1982-11-24", None)], "TTO": [("1967-04-06", None)],
        "MEX": [("1948-12-03", "2004-09-07")], "NIC": [("1948-12-03", "2014-09-07")],
        # Venezuela denounced in 2013; its obligations ended in 2015 (ATOP: last day 14 July 2015)
        "VEN": [("1948-12-03", "2015-07-15"), ("2019-07-23", None)],
    }),
    "csto-1992": ("1992-05-15", "1994-04-20", None, {
        **{s: [("1994-04-20", None)] for s in ("ARM", "KAZ", "KGZ", "RUS", "TJK", "BLR")},
        "AZE": [("1994-04-20", "1999-04-20")], "GEO": [("1994-04-20", "1999-04-20")],
        "UZB": [("1994-04-20", "1999-04-20"), ("2006-08-16", "2012-12-19")],
    }),
    "anzus-1951": ("1951-09-01", "1952-04-29", None, {s: [("1952-04-29", None)] for s in ("AUS", "NZL", "USA")}),
    "usa-phl-1951": ("1951-08-30", "1952-08-27", None, {s: [("1952-08-27", None)] for s in ("USA", "PHL")}),
    "usa-kor-1953": ("1953-10-01", "1954-11-17", None, {s: [("1954-11-17", None)] for s in ("USA", "KOR")}),
    "usa-jpn-1960": ("1960-01-19", "1960-06-23", None, {s: [("1960-06-23", None)] for s in ("USA", "JPN")}),
    "sun-prk-1961": ("1961-07-06", "1961-09-10", "1996-09-10",
                     {s: [("1961-09-10", "1996-09-10")] for s in ("RUS", "PRK")}),
    "prc-prk-1961": ("1961-07-11", "1961-09-10", None, {s: [("1961-09-10", None)] for s in ("CHN", "PRK")}),
    "rus-prk-2000": ("2000-02-09", "2000-02-09", "2024-12-04",
                     {s: [("2000-02-09", "2024-12-04")] for s in ("RUS", "PRK")}),
    "rus-prk-2024": ("2024-06-19", "2024-12-04", None, {s: [("2024-12-04", None)] for s in ("RUS", "PRK")}),
}

# treaty id -> (pair, start) of each suspension; treaty id -> (state, start) of each caveat
SUSPENSIONS = {"anzus-1951": [({"USA", "NZL"}, "1986-08-11")]}
CAVEATS = {"csto-1992": [("ARM", "2024-02-22")], "rio-1947": [("CUB", "1962-01-31"), ("VEN", "2019-07-23")]}


def _d(text: str | None) -> date | None:
    return D(text) if text else None


@pytest.mark.parametrize("path", sorted(bundled_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_file_validates(path):
    treaty = load_treaty_file(path)
    assert treaty.id == path.stem
    assert treaty.sources, f"{path.name} cites no source"
    assert all(a.text.strip() for a in treaty.articles)


@pytest.mark.parametrize("tid", sorted(FACTS))
def test_dates_match_the_facts(tid):
    signed, in_force, ended, _ = FACTS[tid]
    t = bundled().get(tid)
    assert (t.signed, t.in_force, t.ended) == (D(signed), D(in_force), _d(ended))
    assert bool(t.how_ended) == (ended is not None)


@pytest.mark.parametrize("tid", sorted(FACTS))
def test_membership_spells_match_the_facts(tid):
    *_, spells = FACTS[tid]
    t = bundled().get(tid)
    coded: dict[str, list[tuple[date, date | None]]] = {}
    for m in t.parties:
        coded.setdefault(m.state, []).append((m.start, m.end))
    expected = {s: [(D(a), _d(b)) for a, b in v] for s, v in spells.items()}
    assert {s: sorted(v, key=lambda x: x[0]) for s, v in coded.items()} == expected


@pytest.mark.parametrize("tid", sorted(FACTS))
def test_suspensions_and_caveats_match_the_facts(tid):
    t = bundled().get(tid)
    assert [(set(s.between), s.start) for s in t.suspensions] == [(p, D(d)) for p, d in SUSPENSIONS.get(tid, [])]
    assert [(c.state, c.start) for c in t.caveats] == [(s, D(d)) for s, d in CAVEATS.get(tid, [])]


def test_every_spell_lies_within_the_treaty_and_spells_of_a_state_do_not_overlap():
    for t in bundled():
        for m in t.parties:
            assert m.start >= t.in_force, (t.id, m.state)
            if t.ended is not None:
                assert m.end is not None and m.end <= t.ended, (t.id, m.state)
            assert bool(m.how_ended) == (m.end is not None), (t.id, m.state, "an ended spell says how")
        by_state: dict[str, list] = {}
        for m in t.parties:
            by_state.setdefault(m.state, []).append(m.interval)
        for sid, spells in by_state.items():
            for i, a in enumerate(spells):
                assert not any(a.overlaps(b) for b in spells[i + 1:]), (t.id, sid)


def _region_vocabulary() -> set[str]:
    data = places._data()
    tags = {c.lower() for c in cc(["USA", "FRA", "CHN", "NGA", "AUS"], origin="iso3c", destination="continent")}
    tags |= {tag for v in data["state_regions"].values() for tag in v}
    tags |= {tag for p in data["places"] for tag in p["regions"]}
    return tags


def test_scope_clauses_use_only_known_region_tags():
    vocabulary = _region_vocabulary()
    for t in bundled():
        for ob in t.obligations:
            for c in ob.scope.clauses:
                unknown = set(c.regions or ()) - vocabulary
                assert not unknown, f"{t.id} {ob.id}: unknown region tags {unknown}"


def test_verification_flags_follow_the_collected_texts():
    flags = {(t.id, a.number): a.verified for t in bundled() for a in t.articles}
    assert flags[("nato-1949", "5")] == flags[("nato-1949", "6")] == "verified"
    assert flags[("nato-1949", "4")] == "unverified"
    assert flags[("prc-prk-1961", "II")] == "partly-verified"
    assert flags[("rus-prk-2000", "2")] == "unverified"
    assert flags[("anzus-1951", "V")] == "unverified"
    assert flags[("rio-1947", "3(3)")] == "partly-verified"
    assert flags[("csto-1992", "4")] == "verified"


def test_consultation_only_treaty_has_no_defence_obligation():
    t = bundled().get("rus-prk-2000")
    assert {ob.kind.value for ob in t.obligations} == {"consultation"}


def test_nato_membership_counts_by_date():
    nato = bundled().get("nato-1949")
    assert len(nato.members_on(D("1949-08-24"))) == 12
    assert len(nato.members_on(D("1990-01-01"))) == 16
    assert len(nato.members_on(D("2022-06-01"))) == 30
    assert len(nato.members_on(D("2024-03-07"))) == 32
    assert "FIN" not in nato.members_on(D("2023-04-03")) and "FIN" in nato.members_on(D("2023-04-04"))
