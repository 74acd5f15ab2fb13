"""Scenario tests for the world corpus: for each treaty, an attack where it binds and one where its
scope, dates or named adversary make it not bind. Every case runs the real engine on the bundled corpus."""

from __future__ import annotations

from datetime import date

import pytest

from foedus import assess
from foedus.corpus.loader import bundled
from foedus.model import Status

O, C, N, F = Status.OBLIGATED, Status.CONDITIONAL, Status.NOT_TRIGGERED, Status.NOT_IN_FORCE
# Expected status None: no finding at all (the treaty was not yet signed on the date).

# (case id, treaty, target, attackers, date, place, act, obligor, obligation, expected status)
CASES = [
    # EU Art. 42(7): Russia attacks Poland; France must aid Poland.
    ("eu-binds", "eu-teu-42-7", "POL", ["RUS"], "2026-01-01", None, "armed-attack", "FRA", "art42-7-defense", O),
    ("eu-outermost-region", "eu-teu-42-7", "FRA", ["BRA"], "2026-01-01", "French Guiana", "armed-attack", "DEU",
     "art42-7-defense", O),
    ("eu-oct-unclear", "eu-teu-42-7", "FRA", ["CHN"], "2026-01-01", "New Caledonia", "armed-attack", "DEU",
     "art42-7-defense", C),
    ("eu-forces-abroad", "eu-teu-42-7", "FRA", ["RUS"], "2026-01-01", "Mediterranean Sea", "armed-attack", "DEU",
     "art42-7-defense", N),
    ("eu-uk-last-day", "eu-teu-42-7", "GBR", ["RUS"], "2020-01-31", None, "armed-attack", "DEU", "art42-7-defense", O),
    ("eu-before-lisbon", "eu-teu-42-7", "FRA", ["RUS"], "2009-11-30", None, "armed-attack", "DEU", "art42-7-defense", F),
    # Modified Brussels Treaty: an attack in Europe binds; the Falklands (1982) lie outside Europe.
    ("weu-binds", "weu-1954", "FRA", ["RUS"], "1980-01-01", None, "armed-attack", "GFR", "art5-defense", O),
    ("weu-falklands", "weu-1954", "GBR", ["ARG"], "1982-04-02", "Falkland Islands", "armed-attack", "FRA",
     "art5-defense", N),
    ("weu-ended", "weu-1954", "FRA", ["RUS"], "2012-01-01", None, "armed-attack", "GBR", "art5-defense", F),
    # Warsaw Pact: Europe only; the 1969 Ussuri clashes hit the Soviet Far East.
    ("warsaw-binds", "warsaw-1955", "POL", ["GFR"], "1970-01-01", None, "armed-attack", "RUS", "art4-defense", O),
    ("warsaw-far-east", "warsaw-1955", "RUS", ["CHN"], "1969-03-02", "Vladivostok", "armed-attack", "POL",
     "art4-defense", N),
    ("warsaw-dissolved", "warsaw-1955", "POL", ["DEU"], "1992-01-01", None, "armed-attack", "RUS", "art4-defense", F),
    # Arab League: an attack from outside binds; Iraq's invasion of Kuwait was a war between two parties,
    # and the text does not say whom to help; nothing before 1952.
    ("arab-binds", "arab-league-1950", "JOR", ["ISR"], "1990-08-02", None, "invasion", "SAU", "art2-defense", O),
    ("arab-war-among-parties", "arab-league-1950", "KWT", ["IRQ"], "1990-08-02", None, "invasion", "SAU",
     "art2-defense", C),
    ("arab-before-force", "arab-league-1950", "SAU", ["ISR"], "1951-06-01", None, "armed-attack", "EGY",
     "art2-defense", F),
    # Sino-Soviet 1950: owed against Japan only; India (1962) is not the named adversary.
    ("sino-soviet-binds", "prc-sun-1950", "CHN", ["JPN"], "1960-01-01", None, "armed-attack", "RUS", "art1-defense", O),
    ("sino-soviet-other-adversary", "prc-sun-1950", "CHN", ["IND"], "1962-10-20", None, "armed-attack", "RUS",
     "art1-defense", N),
    ("sino-soviet-expired", "prc-sun-1950", "CHN", ["JPN"], "1985-01-01", None, "armed-attack", "RUS",
     "art1-defense", F),
    # Anglo-Portuguese alliance: an attack binds; a mere threat does not.
    ("anglo-portuguese-binds", "gbr-prt-1373", "PRT", ["ESP"], "2026-01-01", None, "armed-attack", "GBR",
     "art1386-1-defense", O),
    ("anglo-portuguese-threat", "gbr-prt-1373", "PRT", ["ESP"], "2026-01-01", None, "threat", "GBR",
     "art1386-1-defense", N),
    # Russia-Belarus 2024: assistance needs the heads of state's agreement (conditional); not before March 2025.
    ("rus-blr-binds", "rus-blr-2024", "BLR", ["POL"], "2026-01-01", None, "armed-attack", "RUS", "art4-defense", C),
    ("rus-blr-before", "rus-blr-2024", "BLR", ["POL"], "2025-01-01", None, "armed-attack", "RUS", "art4-defense", F),
    # Russia-Armenia 1997.
    ("rus-arm-binds", "rus-arm-1997", "ARM", ["AZE"], "2022-09-13", None, "armed-attack", "RUS", "art3-defense", O),
    ("rus-arm-before", "rus-arm-1997", "ARM", ["AZE"], "1994-01-01", None, "armed-attack", "RUS", "art3-defense",  None),
    # Russia-Tajikistan and Russia-Kyrgyzstan: text unknown, so an attack leaves the case open.
    ("rus-tjk-unknown", "rus-tjk-1993", "TJK", ["AFG"], "2026-01-01", None, "armed-attack", "RUS", "defense", C),
    ("rus-tjk-before", "rus-tjk-1993", "TJK", ["AFG"], "1993-01-01", None, "armed-attack", "RUS", "defense",  None),
    ("rus-kgz-unknown", "rus-kgz-1992", "KGZ", ["TJK"], "2026-01-01", None, "armed-attack", "RUS", "defense", C),
    ("rus-kgz-before", "rus-kgz-1992", "KGZ", ["TJK"], "1992-01-01", None, "armed-attack", "RUS", "defense",  None),
    # Pakistan-Saudi Arabia 2025: signed after the India-Pakistan clashes of May 2025; its text is not
    # public, so it is conditional at most.
    ("pak-sau-text-not-public", "pak-sau-2025", "PAK", ["IND"], "2026-01-01", None, "armed-attack", "SAU", "defense",
     C),
    ("pak-sau-before", "pak-sau-2025", "PAK", ["IND"], "2025-05-07", None, "armed-attack", "SAU", "defense",  None),
    # Shusha Declaration: signed after the 2020 Karabakh war.
    ("shusha-binds", "tur-aze-2021", "AZE", ["ARM"], "2026-01-01", None, "armed-attack", "TUR", "defense", O),
    ("shusha-before", "tur-aze-2021", "AZE", ["ARM"], "2020-09-27", None, "armed-attack", "TUR", "defense",  None),
    # France-Greece 2021: needs a joint finding (conditional); French forces at sea are not "territory".
    ("fra-grc-binds", "fra-grc-2021", "GRC", ["TUR"], "2026-01-01", None, "armed-attack", "FRA", "art2-defense", C),
    ("fra-grc-forces", "fra-grc-2021", "FRA", ["TUR"], "2026-01-01", "Mediterranean Sea", "armed-attack", "GRC",
     "art2-defense", N),
    # Aachen Treaty 2019.
    ("aachen-binds", "fra-deu-2019", "DEU", ["RUS"], "2026-01-01", None, "armed-attack", "FRA", "art4-defense", O),
    ("aachen-forces", "fra-deu-2019", "FRA", ["RUS"], "2026-01-01", "North Atlantic", "armed-attack", "DEU",
     "art4-defense", N),
    ("aachen-before", "fra-deu-2019", "DEU", ["RUS"], "2019-06-01", None, "armed-attack", "FRA", "art4-defense", F),
    # France-UAE 2009.
    ("fra-are-binds", "fra-are-2009", "ARE", ["IRN"], "2026-01-01", None, "armed-attack", "FRA", "art4-defense", O),
    ("fra-are-before", "fra-are-2009", "ARE", ["IRN"], "2011-01-01", None, "armed-attack", "FRA", "art4-defense", F),
    # Turkey-Azerbaijan 2010: assistance after consultations (conditional); not before ratification.
    ("tur-aze-2010-binds", "tur-aze-2010", "AZE", ["ARM"], "2020-09-27", None, "armed-attack", "TUR", "art2-defense",
     C),
    ("tur-aze-2010-before", "tur-aze-2010", "AZE", ["ARM"], "2010-09-01", None, "armed-attack", "TUR",
     "art2-defense", F),
    # ECOWAS 1981: on request and by decision of the Authority (conditional); nothing before 1986.
    ("ecowas-binds", "ecowas-1981", "SEN", ["MLI"], "2026-01-01", None, "armed-attack", "NGA", "art3-defense", C),
    ("ecowas-before", "ecowas-1981", "GHA", ["TGO"], "1985-01-01", None, "armed-attack", "NGA", "art3-defense", F),
    # GCC 2000: the 2025 strike on Doha (conditional: the text is not public); the 1990 invasion of Kuwait
    # predates it.
    ("gcc-text-not-public", "gcc-2000", "QAT", ["ISR"], "2025-09-09", None, "armed-attack", "SAU", "defense", C),
    ("gcc-before", "gcc-2000", "KWT", ["IRQ"], "1990-08-02", None, "invasion", "SAU", "defense",  None),
    # Manila Pact: still in force; the treaty area excludes Europe; the US owes defence only against communist
    # aggression (conditional).
    ("seato-binds", "seato-1954", "THA", ["KHM"], "2026-01-01", None, "armed-attack", "AUS", "art4-1-defense", O),
    ("seato-us-understanding", "seato-1954", "THA", ["KHM"], "2026-01-01", None, "armed-attack", "USA",
     "art4-1-defense-usa", C),
    ("seato-new-caledonia", "seato-1954", "FRA", ["CHN"], "2026-01-01", "New Caledonia", "armed-attack", "NZL",
     "art4-1-defense", O),
    ("seato-outside-area", "seato-1954", "GBR", ["RUS"], "2026-01-01", None, "armed-attack", "AUS",
     "art4-1-defense", N),
    # US-ROC 1954: Taiwan and the Pescadores, not the offshore islands (1958 shelling of Kinmen).
    ("us-roc-binds", "usa-twn-1954", "TWN", ["CHN"], "1958-08-23", None, "armed-attack", "USA", "art5-defense", O),
    ("us-roc-pescadores", "usa-twn-1954", "TWN", ["CHN"], "1958-08-23", "Pescadores", "armed-attack", "USA",
     "art5-defense", O),
    ("us-roc-kinmen", "usa-twn-1954", "TWN", ["CHN"], "1958-08-23", "Kinmen", "armed-attack", "USA", "art5-defense",
     N),
    ("us-roc-terminated", "usa-twn-1954", "TWN", ["CHN"], "1980-01-01", None, "armed-attack", "USA", "art5-defense",
     F),
    # Indo-Soviet 1971: consultation in the 1971 war; nothing in 1965.
    ("indo-soviet-1971-war", "ind-sun-1971", "IND", ["PAK"], "1971-12-03", None, "armed-attack", "RUS",
     "art9-consultation", O),
    ("indo-soviet-1965", "ind-sun-1971", "IND", ["PAK"], "1965-09-01", None, "armed-attack", "RUS",
     "art9-consultation", None),
    # China-Russia 2001: consultation only.
    ("prc-rus-consult", "prc-rus-2001", "CHN", ["USA"], "2026-01-01", None, "armed-attack", "RUS",
     "art9-consultation", O),
    ("prc-rus-before", "prc-rus-2001", "CHN", ["USA"], "2001-10-01", None, "armed-attack", "RUS",
     "art9-consultation", F),
    # Issue 13: the pacts in force on 2026-01-01 and the three signed in 2025. Conditional where the wording was not seen.
    ("compact-binds", "usa-fsm-mhl-1986", "MHL", ["CHN"], "2026-03-01", None, "armed-attack", "USA", "s311-defense", O),
    ("compact-one-way", "usa-fsm-mhl-1986", "USA", ["CHN"], "2026-03-01", None, "armed-attack", "MHL", "s311-defense",
     None),
    ("palau-s312", "usa-plw-1986", "PLW", ["CHN"], "2026-03-01", None, "armed-attack", "USA", "s312-defense", C),
    ("palau-before-1994", "usa-plw-1986", "PLW", ["CHN"], "1990-01-01", None, "armed-attack", "USA", "s312-defense",
     None),
    ("au-pact-niger", "au-nacdp-2005", "NER", ["NGA"], "2026-03-01", None, "armed-attack", "BFA", "art2-defense", C),
    ("au-pact-not-yet", "au-nacdp-2005", "NER", ["NGA"], "2008-01-01", None, "armed-attack", "BFA", "art2-defense", F),
    ("aes-niger", "aes-2023", "NER", ["NGA"], "2026-03-01", None, "armed-attack", "MLI", "art6-defense", O),
    ("aes-before-charter", "aes-2023", "NER", ["NGA"], "2023-09-01", None, "armed-attack", "MLI", "art6-defense", None),
    ("djibouti-2026", "fra-dji-2011", "DJI", ["ERI"], "2026-03-01", None, "armed-attack", "FRA", "art4-defense", C),
    ("djibouti-2013", "fra-dji-2011", "DJI", ["ERI"], "2013-06-01", None, "armed-attack", "FRA", "art4-defense", F),
    ("falepili", "aus-tuv-2023", "TUV", ["CHN"], "2026-03-01", None, "armed-attack", "AUS", "art4-defense", C),
    ("falepili-not-yet", "aus-tuv-2023", "TUV", ["CHN"], "2024-01-01", None, "armed-attack", "AUS", "art4-defense", F),
    ("iran-neutrality", "rus-irn-2025", "IRN", ["ISR"], "2026-03-01", None, "armed-attack", "RUS", "art3-neutrality", O),
    ("iran-june-2025", "rus-irn-2025", "IRN", ["ISR"], "2025-06-13", None, "armed-attack", "RUS", "art5-consultation",
     F),
    ("guarantee-consult", "guarantee-1960", "CYP", ["SYR"], "2026-03-01", None, "armed-attack", "GRC",
     "art4-consultation", C),
    ("guarantee-turkey-1974", "guarantee-1960", "CYP", ["TUR"], "1974-07-20", None, "invasion", "TUR",
     "art4-consultation", None),
    ("fpda-singapore", "fpda-1971", "SGP", ["IDN"], "2026-03-01", None, "armed-attack", "AUS", "consultation", C),
    ("fpda-not-australia", "fpda-1971", "AUS", ["IDN"], "2026-03-01", None, "armed-attack", "GBR", "consultation", None),
    ("rss-guyana", "rss-1996", "GUY", ["VEN"], "2026-03-01", None, "armed-attack", "BRB", "art4-defense", C),
    ("rss-guyana-2021", "rss-1996", "GUY", ["VEN"], "2021-06-01", None, "armed-attack", "BRB", "art4-defense", None),
    ("oas-guyana", "oas-charter-1948", "GUY", ["VEN"], "2026-03-01", None, "armed-attack", "USA", "art29-defense", C),
    ("oas-venezuela-left", "oas-charter-1948", "VEN", ["COL"], "2026-03-01", None, "armed-attack", "BRA",
     "art29-defense", None),
    ("sadc-drc", "sadc-mdp-2003", "COD", ["RWA"], "2026-03-01", None, "armed-attack", "ZAF", "art6-defense", C),
    ("sadc-angola", "sadc-mdp-2003", "AGO", ["COD"], "2026-03-01", None, "armed-attack", "ZAF", "art6-defense", None),
    ("eccas-cameroon", "eccas-2000", "CMR", ["NGA"], "2026-03-01", None, "armed-attack", "GAB", "defense", C),
    ("eccas-rwanda-left", "eccas-2000", "RWA", ["COD"], "2010-01-01", None, "armed-attack", "GAB", "defense", None),
    ("central-america", "central-america-1995", "GTM", ["MEX"], "2026-03-01", None, "armed-attack", "SLV", "defense",
     C),
    ("central-america-1994", "central-america-1995", "GTM", ["MEX"], "1994-01-01", None, "armed-attack", "SLV",
     "defense", None),
    ("russia-kazakhstan", "rus-kaz-1992", "KAZ", ["CHN"], "2026-03-01", None, "armed-attack", "RUS", "defense", C),
    ("russia-kazakhstan-unratified", "rus-kaz-1992", "KAZ", ["CHN"], "1992-07-01", None, "armed-attack", "RUS",
     "defense", F),
    ("russia-uzbekistan", "rus-uzb-2005", "UZB", ["AFG"], "2026-03-01", None, "armed-attack", "RUS", "defense", C),
    ("russia-uzbekistan-before", "rus-uzb-2005", "UZB", ["AFG"], "2005-01-01", None, "armed-attack", "RUS", "defense",
     None),
    ("abkhazia", "rus-abk-2014", "ABK", ["GEO"], "2025-01-01", None, "armed-attack", "RUS", "defense", C),
    ("abkhazia-unratified", "rus-abk-2014", "ABK", ["GEO"], "2014-12-01", None, "armed-attack", "RUS", "defense", F),
    ("south-ossetia", "rus-sos-2015", "SOS", ["GEO"], "2026-03-01", None, "armed-attack", "RUS", "defense", C),
    ("south-ossetia-one-way", "rus-sos-2015", "RUS", ["GEO"], "2026-03-01", None, "armed-attack", "SOS", "defense",
     None),
    ("nancy", "fra-pol-2025", "POL", ["RUS"], "2026-02-01", None, "armed-attack", "FRA", "defense", O),
    ("nancy-january", "fra-pol-2025", "POL", ["RUS"], "2026-01-10", None, "armed-attack", "FRA", "defense", F),
    ("uk-germany-unratified", "gbr-deu-2025", "DEU", ["RUS"], "2026-06-01", None, "armed-attack", "GBR", "defense", F),
    ("pukpuk-unratified", "aus-png-2025", "PNG", ["IDN"], "2026-06-01", None, "armed-attack", "AUS", "defense", F),
]


def _statuses(case: tuple) -> list[Status]:
    _, treaty, target, attackers, on, place, act, obligor, obligation, _ = case
    result = assess(target, attackers, date.fromisoformat(on), place, act)
    return [f.status for f in result.findings
            if f.treaty == treaty and f.obligor == obligor and f.beneficiary == target and f.obligation == obligation]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_world_case(case):
    assert _statuses(case) == ([] if case[-1] is None else [case[-1]])


# The core treaties (Korean set, NATO, CSTO, Rio, ANZUS, US Pacific pacts), whose scenario tests live in test_engine_cases.py.
CORE_IDS = {"rus-prk-2024", "sun-prk-1961", "rus-prk-2000", "prc-prk-1961", "usa-kor-1953", "usa-jpn-1960",
            "nato-1949", "anzus-1951", "usa-phl-1951", "csto-1992", "rio-1947"}


def test_every_world_treaty_has_a_binding_and_a_non_binding_case():
    binds = {c[1] for c in CASES if c[-1] in (O, C)}
    spared = {c[1] for c in CASES if c[-1] in (N, F, None)}
    world = {t.id for t in bundled() if not t.awaiting_entry_into_force} - CORE_IDS  # signed, never yet binding
    assert world and world <= binds & spared


def test_uk_owed_nothing_under_42_7_after_leaving():
    result = assess("GBR", ["RUS"], date(2020, 2, 1))
    assert not [f for f in result.findings if f.treaty == "eu-teu-42-7"]
    assert any("Treaty on European Union" in n and "withdrawal" in n for n in result.notes)


def test_neutrality_caveat_is_shown_for_ireland():
    result = assess("POL", ["RUS"], date(2026, 1, 1))
    irl = [f for f in result.findings if f.treaty == "eu-teu-42-7" and f.obligor == "IRL"]
    assert irl and irl[0].status is O
    assert any("neutrality" in r for r in irl[0].reasons)


def test_france_uae_is_one_way():
    result = assess("FRA", ["IRN"], date(2026, 1, 1))
    owed = {(f.obligor, f.obligation) for f in result.findings if f.treaty == "fra-are-2009"}
    assert owed == {("ARE", "art3-consultation")}


def test_albania_owed_nothing_after_withdrawal():
    result = assess("POL", ["GFR"], date(1970, 1, 1))
    obligors = {f.obligor for f in result.findings if f.treaty == "warsaw-1955"}
    assert "ALB" not in obligors and {"RUS", "GDR", "CZE315"} <= obligors


def test_states_that_left_ecowas_are_owed_nothing():
    result = assess("NER", ["MLI"], date(2026, 1, 1))
    assert not [f for f in result.findings if f.treaty == "ecowas-1981"]
    assert any("ECOWAS" in n and "withdrawal" in n for n in result.notes)
