"""Which bundled treaty is which ATOP alliance, for treaty files that do not yet carry ``atop_id``.

Each pair was matched on the real ATOP 4.01 member-level file: the alliance begins on the
treaty's signature (or entry-into-force) date and has most of the same founding parties;
tests/test_atop_links.py re-checks every pair against the data. An ``atop_id`` written in a
treaty file takes precedence over this table.
"""

from __future__ import annotations

CURATED_ATOP_IDS: dict[str, int] = {
    "anzus-1951": 3215,
    "arab-league-1950": 3205,
    "csto-1992": 4220,
    "ecowas-1981": 3895,
    "gcc-2000": 4965,
    "ind-sun-1971": 3675,
    "nato-1949": 3180,
    "prc-prk-1961": 3445,
    "prc-rus-2001": 4980,
    "prc-sun-1950": 3200,
    "rio-1947": 3075,
    "rus-arm-1997": 4890,
    "rus-kgz-1992": 4255,
    "rus-prk-2000": 4940,
    "rus-tjk-1993": 4470,
    "seato-1954": 3260,
    "sun-prk-1961": 3440,
    "tur-aze-2010": 6035,
    "usa-jpn-1960": 3375,
    "usa-kor-1953": 3240,
    "usa-phl-1951": 3210,
    "usa-twn-1954": 3270,
    "warsaw-1955": 3285,
}
