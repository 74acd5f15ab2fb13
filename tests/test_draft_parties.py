"""foedus draft: the parties read from the places a treaty or a report names them."""

from __future__ import annotations

from datetime import date

import pytest

from foedus.draft import facts, names


def _ids(text: str, title: str = "", on: date | None = None) -> tuple[list[str] | None, str | None]:
    found = facts.parties(text, title, on)
    return (found.value, found.rule) if found else (None, None)


def test_formal_and_adjectival_names_in_a_title():
    # the Warsaw Pact's title as printed in English in 1955
    title = ("Treaty of Friendship, Co-operation and Mutual Assistance between the People's Republic of Albania, "
             "the People's Republic of Bulgaria, the Hungarian People's Republic, the German Democratic Republic, "
             "the Polish People's Republic, the Rumanian People's Republic, the Union of Soviet Socialist Republics "
             "and the Czechoslovak Republic")
    assert _ids("Article 1\nThe Contracting Parties undertake ...", title) == (
        ["ALB", "BGR", "CZE315", "GDR", "HUN", "POL", "ROU", "RUS"], "between")


@pytest.mark.parametrize(("title", "want"), [
    ("Anglo-Portuguese Alliance", ["GBR", "PRT"]),
    ("Australia-Tuvalu Falepili Union Treaty", ["AUS", "TUV"]),
    ("Treaty of Guarantee (Cyprus, Greece, Turkey and the United Kingdom)", ["CYP", "GBR", "GRC", "TUR"]),
])
def test_a_title_names_its_parties_in_a_compound_or_a_bracketed_list(title, want):
    assert _ids("Article 1\nThe Parties shall consult.", title)[0] == want


def test_a_headline_naming_other_states_first_is_not_read_as_the_parties():
    headline = "Japan, South Korea alarmed as Russia and North Korea sign defence pact"
    text = "Russia and North Korea signed a mutual defence pact in Pyongyang on Wednesday."
    assert _ids(text, headline) == (["PRK", "RUS"], "joined-in-signing")


def test_a_preamble_opening_and_a_signature_block():
    preamble = ("Mutual Defence Agreement\n\nThe Government of the French Republic and the Government of the "
                "Kingdom of Saudi Arabia, hereinafter the Parties,\nDesiring to strengthen their cooperation,\n"
                "Have agreed as follows:\n\nArticle 1\nThe Parties shall consult whenever Poland or Japan is threatened.\n"
                "Article 2\nThis Agreement enters into force on signature.\n")
    assert _ids(preamble) == (["FRA", "SAU"], "preamble")
    signatures = ("Article 1\nThe Parties shall consult whenever the security of either is threatened.\n"
                  "Article 2\nDone at Manila in two copies.\n\nFOR THE REPUBLIC OF THE PHILIPPINES:\n"
                  "For the United States of America:\n")
    assert _ids(signatures) == (["PHL", "USA"], "signature-block")
    remarks = "Article 1\nThe Parties shall consult.\nFor Russia, the pact matters.\nFor Japan, less so.\n"
    assert _ids(remarks) == (None, None)  # a line of prose is not a signature line


def test_states_the_recitals_or_articles_name_in_passing_are_not_the_parties():
    text = ("The High Contracting Parties,\nRecalling that Greece and Turkey acceded in 1952,\n\n"
            "Article 1\nAn armed attack on France and Italy shall be considered an attack on all.\n"
            "Article 2\nThe Parties shall consult.\n")
    assert _ids(text) == (None, None)


def test_a_parties_line_leaves_out_its_parentheses_and_reads_plus():
    line = "- Parties (1954): Belgium, France, Luxembourg (a remark, Spain), Netherlands, UK, plus Italy\n"
    assert _ids(line)[0] == ["BEL", "FRA", "GBR", "ITA", "LUX", "NLD"]
    assert _ids("Parties: USSR (Russian Federation as continuing state from Dec 1991); DPRK.\n")[0] == ["PRK", "RUS"]


def test_a_name_is_read_as_the_state_it_meant_on_the_signing_date():
    title = "Treaty between the French Republic and the Federal Republic of Germany"
    assert _ids("", title, date(1963, 1, 22))[0] == ["FRA", "GFR"]
    assert _ids("", title, date(2019, 1, 22))[0] == ["DEU", "FRA"]
    assert _ids("", title)[0] == ["FRA", "GFR"]  # no date found: the name as written


def test_names_that_are_one_state_stay_one():
    assert [s for _, _, s in names.pieces("Guinea-Bissau")] == ["GNB"]
    assert [s for _, _, s in names.pieces("Austria-Hungary")] == ["AUH"]
    assert names.resolve("Greek Prime Minister") is None  # an adjective names a state only before a word for one
    assert names.resolve("Polish People's Republic") == "POL"
