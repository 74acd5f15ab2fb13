"""The strength rubric: one ordinal class per obligation, derived from its coded fields.

The rubric is the same for curated and imported treaties and is printed by
``foedus strength`` so that users can see how every class is decided.
"""

from __future__ import annotations

from .model import Kind, Means, Obligation, Strength

RUBRIC: tuple[tuple[Strength, str, str], ...] = (
    (
        Strength.AUTO,
        "automatic military assistance with all means",
        'defence or offence, means = all-means ("military and other assistance with all the means at its disposal")',
    ),
    (
        Strength.ASSIST,
        "obligation to assist, each party choosing its means",
        'defence or offence, means = necessary-action ("such action as it deems necessary, including the use of armed force")',
    ),
    (
        Strength.CONST,
        "act to meet the common danger per constitutional processes",
        "defence or offence, means = constitutional-processes, unspecified or unknown",
    ),
    (
        Strength.CONSULT,
        "consultation or contact only",
        "consultation obligations, or any obligation whose means = consult",
    ),
    (
        Strength.NONE,
        "no obligation to assist",
        "neutrality and non-aggression (they bind the obligor to stay out, not to help)",
    ),
)

_BY_MEANS = {
    Means.ALL_MEANS: Strength.AUTO,
    Means.NECESSARY_ACTION: Strength.ASSIST,
    Means.CONSTITUTIONAL: Strength.CONST,
    Means.UNSPECIFIED: Strength.CONST,
    Means.UNKNOWN: Strength.CONST,
    Means.CONSULT: Strength.CONSULT,
}


def strength(ob: Obligation) -> Strength:
    """The rubric class of an obligation."""
    if ob.kind in (Kind.DEFENSE, Kind.OFFENSE):
        return _BY_MEANS[ob.means]
    if ob.kind is Kind.CONSULTATION:
        return Strength.CONSULT
    return Strength.NONE
