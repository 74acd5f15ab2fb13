"""The treaties issue 13 names: those in force on 1 January 2026 and the three signed but not yet in force.

Kept apart from the tests so that the world-corpus coverage test and the 2026 tests share one list.
"""

from __future__ import annotations

# Named in the issue as in force on 2026-01-01 (items 1 of issue 13), by bundled file id.
IN_FORCE_2026 = frozenset({
    "usa-fsm-mhl-1986",  # US Compact with the Marshall Islands and Micronesia, s. 311(b)(1)
    "usa-plw-1986",  # US Compact with Palau, s. 312
    "au-nacdp-2005",  # AU Non-Aggression and Common Defence Pact
    "aes-2023",  # Liptako-Gourma Charter (Alliance of Sahel States), Arts. 6-7
    "fra-dji-2011",  # France-Djibouti, Art. 4
    "aus-tuv-2023",  # Falepili Union
    "rus-irn-2025",  # Russia-Iran: Art. 3(3) neutrality, Art. 5 consultation
    "guarantee-1960",  # Treaty of Guarantee (Cyprus)
    "fpda-1971",  # Five Power Defence Arrangements
    "rss-1996",  # Eastern Caribbean Regional Security System
    "oas-charter-1948",  # OAS Charter Arts. 28-29
    "sadc-mdp-2003",  # SADC Mutual Defence Pact
    "eccas-2000",  # ECCAS Mutual Assistance Pact
    "central-america-1995",  # Framework Treaty on Democratic Security in Central America
    "rus-kaz-1992",  # Russia-Kazakhstan
    "rus-uzb-2005",  # Russia-Uzbekistan
    "rus-abk-2014",  # Russia-Abkhazia
    "rus-sos-2015",  # Russia-South Ossetia
})

# Signed but not in force on 2026-01-01 (item 2): id -> (signed, in force or None while awaiting ratification).
SIGNED_NOT_IN_FORCE_2026 = {
    "fra-pol-2025": ("2025-05-09", "2026-01-22"),  # Treaty of Nancy
    "gbr-deu-2025": ("2025-07-17", None),  # UK-Germany (Kensington Treaty)
    "aus-png-2025": ("2025-10-06", None),  # Pukpuk Treaty
}
