"""Citations (BibTeX) for the datasets and measures a panel uses; ``foedus cite`` prints them."""

from __future__ import annotations

from .errors import FoedusError

# Volumes, issues, pages and DOIs checked against the publishers' or authors' records (docs/panels.md).
BIBTEX: dict[str, str] = {
    "cow-states": """@misc{cow2017states,
  author = {{Correlates of War Project}},
  title = {State System Membership List, v2016},
  year = {2017},
  howpublished = {\\url{http://correlatesofwar.org}}
}""",
    "cow-states-2024": """@misc{cow2024states,
  author = {{Correlates of War Project}},
  title = {State System Membership List, v2024},
  year = {2024},
  howpublished = {\\url{https://correlatesofwar.org}}
}""",
    "cow-majors": """@misc{cow2017majors,
  author = {{Correlates of War Project}},
  title = {State System Membership List, v2016: Major Powers},
  year = {2017},
  howpublished = {\\url{http://correlatesofwar.org}}
}""",
    "cow-wars": """@book{sarkees2010resort,
  author = {Sarkees, Meredith Reid and Wayman, Frank Whelon},
  title = {Resort to War: 1816--2007},
  publisher = {CQ Press},
  address = {Washington, DC},
  year = {2010}
}""",
    "gml-mids": """@article{gibler2016mid,
  author = {Gibler, Douglas M. and Miller, Steven V. and Little, Erin K.},
  title = {An Analysis of the Militarized Interstate Dispute ({MID}) Dataset, 1816--2001},
  journal = {International Studies Quarterly},
  volume = {60},
  number = {4},
  pages = {719--730},
  year = {2016}
}""",
    "atop": """@article{leeds2002atop,
  author = {Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and Long, Andrew G.},
  title = {Alliance Treaty Obligations and Provisions, 1815--1944},
  journal = {International Interactions},
  volume = {28},
  number = {3},
  pages = {237--260},
  year = {2002},
  doi = {10.1080/03050620213653}
}""",
    "atop-codebook-5.1": """@manual{leeds_atop_codebook_5_1,
  author = {Leeds, Brett Ashley},
  title = {Alliance Treaty Obligations and Provisions ({ATOP}) Codebook, Version 5.1},
  organization = {Rice University},
  year = {2022},
  howpublished = {\\url{http://www.atopdata.org}}
}""",
    "atop-codebook-4.01": """@manual{leeds_atop_codebook_4_01,
  author = {Leeds, Brett Ashley},
  title = {Alliance Treaty Obligations and Provisions ({ATOP}) Codebook, Version 4.01},
  organization = {Rice University},
  year = {n.d.},
  note = {The year of the 4.01 codebook is not confirmed: the data files carry none},
  howpublished = {\\url{http://www.atopdata.org}}
}""",
    "peacesciencer": """@article{miller2022peacesciencer,
  author = {Miller, Steven V.},
  title = {peacesciencer: An {R} Package for Quantitative Peace Science Research},
  journal = {Conflict Management and Peace Science},
  volume = {39},
  number = {6},
  pages = {755--779},
  year = {2022},
  doi = {10.1177/07388942221077926}
}""",
    "signorino-ritter-1999": """@article{signorino1999tau,
  author = {Signorino, Curtis S. and Ritter, Jeffrey M.},
  title = {Tau-b or Not Tau-b: Measuring the Similarity of Foreign Policy Positions},
  journal = {International Studies Quarterly},
  volume = {43},
  number = {1},
  pages = {115--144},
  year = {1999},
  doi = {10.1111/0020-8833.00113}
}""",
    "bueno-de-mesquita-1975": """@article{buenodemesquita1975measuring,
  author = {Bueno de Mesquita, Bruce},
  title = {Measuring Systemic Polarity},
  journal = {Journal of Conflict Resolution},
  volume = {19},
  number = {2},
  pages = {187--216},
  year = {1975},
  doi = {10.1177/002200277501900201}
}""",
    "hage-2011": """@article{hage2011choice,
  author = {H{\\"a}ge, Frank M.},
  title = {Choice or Circumstance? Adjusting Measures of Foreign Policy Similarity for Chance Agreement},
  journal = {Political Analysis},
  volume = {19},
  number = {3},
  pages = {287--305},
  year = {2011},
  doi = {10.1093/pan/mpr023}
}""",
}

# What each key is, for `foedus cite --list`.
DESCRIPTIONS: dict[str, str] = {
    "cow-states": "COW State System Membership List v2016 (which dyad-years and state-years exist)",
    "cow-states-2024": "COW State System Membership List v2024 (which dyad-years and state-years exist)",
    "cow-majors": "COW major powers, v2016 (cowmaj, cowmaj1, cowmaj2)",
    "cow-wars": "COW inter-state wars v4.0 by dyad-year (cowinterongoing, cowinteronset ...)",
    "gml-mids": "GML militarized interstate disputes v2.2.1 by dyad-year (gmlmidongoing, gmlmidonset ...)",
    "atop": "ATOP alliance obligations (Leeds et al. 2002)",
    "atop-codebook-5.1": "the ATOP 5.1 codebook (the release of the dyad-year file)",
    "atop-codebook-4.01": "the ATOP 4.01 codebook (the release of the member-level file)",
    "peacesciencer": "peacesciencer, when its packaging of the ATOP 5.1 directed dyad-year file is read",
    "signorino-ritter-1999": "S, the Signorino-Ritter similarity score",
    "bueno-de-mesquita-1975": "tau-b as a measure of alliance-portfolio similarity",
    "hage-2011": "Cohen's kappa and Scott's pi for foreign-policy similarity",
}


def bibtex(keys: tuple[str, ...] | list[str] = ()) -> str:
    """The BibTeX entries for ``keys`` (all when empty), in the given order, each once."""
    unknown = [k for k in keys if k not in BIBTEX]
    if unknown:
        raise FoedusError(f"unknown citation key {unknown[0]!r} (known: {', '.join(BIBTEX)})")
    chosen = dict.fromkeys(keys or BIBTEX)
    return "\n\n".join(BIBTEX[k] for k in chosen) + "\n"
