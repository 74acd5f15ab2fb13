"""The explicit rules of the drafter: word cues for each obligation kind and each coded field.

Each rule has an id, the value it proposes and a pattern; the first rule of a field that matches
an article wins. How far a rule is trusted is not written here: :mod:`foedus.draft.learn` measures
each rule's precision on the curated corpus. The cues follow docs/coding-treaties.md (the words
that decide each field), in English, with the French and Russian words the corpus quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_F = re.IGNORECASE


@dataclass(frozen=True)
class Rule:
    """A cue: where ``pattern`` matches a sentence (one ``unless`` does not match), the field takes ``value``."""

    id: str
    value: str
    pattern: re.Pattern
    unless: re.Pattern | None = None


@dataclass(frozen=True)
class Hit:
    """A rule that matched, with the matched span (offsets into the passage)."""

    rule: str
    value: str
    start: int
    end: int


def _r(rule_id: str, value: str, pattern: str, unless: str | None = None) -> Rule:
    return Rule(rule_id, value, re.compile(pattern, _F), re.compile(unless, _F) if unless else None)


SENTENCE = re.compile(r"[^.;]+(?:[.;]|$)")

# sentences that report measures to the Security Council, or define the treaty area: their
# "immediately" or "armed attack" is not the promise
_REPORTING = re.compile(r"reported to the Security Council|shall be notified|Совет\w* Безопасности|notifi", _F)
_DEFINITION = re.compile(r"^\W*(?:\d+\.\s*)?for (?:the )?purposes? of Articles?\b|\bas used in this Treaty\b|"
                         r"(?:attack|aggression|agression)[^.;]{0,40}?\b(?:is deemed to include|comprend(?: également)?)\b",
                         _F)

_ATTACK = (r"(?<!deter )(?<!deter armed )(?<!prevent )(?<!threat of )(?<!threat of armed )(?<!danger of )(?:armed attack|attack|attacked|aggression|invasion|state of war|агресс\w*|"
           r"нападени\w*|agression|attaque|ագրեսի\w*|հարձակ\w*)")
_AID = (r"\b(?:assist\w*|aid|help|succour|common dangers?|all the means|all means|all steps available|"
        r"collective (?:action|self-defen[cs]e)|solidarity|помощ\w*|aide|défense|secours|օգնություն)")
# a sentence that withholds aid ("shall not provide any military or other assistance to the aggressor")
_WITHHELD = r"\bnot (?:to )?(?:give|provide|render|extend|grant) "

_REQUEST = r"\b(?:at|on|upon) (?:the |its |his |her |their )?request\b"

# one cue per kind: which sentences make an article that kind
KIND_CUES: dict[str, tuple[Rule, ...]] = {
    "defense": (
        _r("attack+aid", "defense", rf"{_ATTACK}[^.;]*?{_AID}|{_AID}[^.;]*?{_ATTACK}", unless=_WITHHELD),
        _r("attack-on-all", "defense", r"(?:attack|aggression)\w* (?:against|on) (?:them )?(?:all|both)\b"),
        _r("attack-as-on-others", "defense",
           r"(?:considered|regarded|deemed)[^.;]{0,40}?(?:attack|aggression)[^.;]{0,30}?against (?:the others?|all the "
           r"others?|each of (?:them|the others))\b|consid[ée]r[ée]e? comme une (?:agression|attaque) contre"),
        _r("defend-commitment", "defense",
           r"(?:obligation|undertakes?|commits?|pledges?) to (?:the )?(?:mutual )?defen(?:d|ce|se)\b|\b(?:shall|will) "
           r"defend\b|mutual defen[cs]e of each other|(?:contribute|participate)\w* (?:to|in) the defen[cs]e of|"
           r"(?:contribuer|participer|contribue) à la défense de|responsibility for (?:security and )?defen[cs]e matters|"
           r"(?:ensures?|guarantees?) the defen[cs]e (?:and security )?of|обеспечива\w* оборон\w*|"
           r"(?:bound|obliged) to (?:give|render|provide|afford) (?:\w+ )?(?:aid|assistance|help|succour)"),
    ),
    "consultation": (
        _r("consult", "consultation",
           r"(?<!organ of )consult(?!ation and agreement)\w*|contact each other|hold contacts|"
           r"bilateral negotiations|консульт\w*|խորհրդակց\w*"),
    ),
    "neutrality": (
        _r("abstain-assist", "neutrality",
           r"abstain from (?:providing|giving|rendering) any (?:assistance|aid|support)|"
           r"\bneutral(?:ity)?\b|not (?:to )?(?:give|provide|render|extend|grant) (?:any )?(?:[\w-]+ (?:or other )?)?"
           r"(?:assistance|aid|support) to"),
    ),
    "nonaggression": (
        _r("no-force", "nonaggression",
           r"non-?aggression|not to (?:attack|resort to (?:the )?(?:threat or )?(?:use of )?force)|"
           r"refrain from (?:any )?(?:aggression|attack|acts of aggression|(?:the )?(?:threat or )?use of force)"),
    ),
    "offense": (
        _r("joint-war", "offense", r"jointly (?:attack|make war|wage war)|offensive war"),
    ),
}

# field -> kind -> ordered rules; ``None`` as kind means any kind
FIELD_RULES: dict[str, dict[str, tuple[Rule, ...]]] = {
    "trigger": {
        "defense": (
            _r("state-of-war", "state-of-war", r"state of war|состояни\w* войны"),
            _r("aggression-by-armed-attack", "armed-attack", r"aggression by means of armed attack"),
            _r("aggression", "aggression", r"aggression|агресс\w*|agression|ագրեսի\w*"),
            _r("armed-attack", "armed-attack", r"armed attack|military attack|attack(?:ed)?|invasion|нападени\w*|attaque"),
        ),
        "consultation": (
            _r("threat", "threat", r"threat\w*|danger\w*|menace|угроз\w*|սպառն\w*"),
        ),
        "neutrality": (
            _r("war", "any-war", r"armed conflict|\bwar\b|hostilities"),
        ),
    },
    "means": {
        "defense": (
            _r("as-deems-necessary", "necessary-action",
               r"as (?:it|they|each) (?:deems?|considers?|may deem) necessary|all appropriate means|"
               r"necessary (?:help|assistance|aid)|all possibilities|assist in meeting the attack|"
               r"необходим\w* (?:\w+ )?помощ\w*|անհրաժեշտ օգնություն"),
            _r("all-means", "all-means",
               r"all (?:the )?(?:\w+ )?means (?:at|in) (?:its|their|his) (?:disposal|possession|power)|"
               r"with all means|by all means|all the military and other aid|military and other assistance|"
               r"all steps available|всеми имеющимися средствами"),
            _r("including-force", "necessary-action",
               r"including (?:by )?(?:the use of )?(?:armed forces?|military(?: means| force| assistance)?)\b|"
               r"y compris (?:par )?(?:des moyens militaires|l'emploi de la force armée)|необходим\w* военн\w*"),
            _r("common-danger", "constitutional-processes", r"common dangers?|constitutional processes"),
            _r("help-unspecified", "unspecified", _AID),
        ),
        "consultation": (_r("consultation", "consult", r""),),
    },
    "timing": {
        "defense": (
            _r("without-delay", "without-delay", r"without delay|sans délai"),
            _r("immediately", "immediate", r"immediate(?:ly)?|forthwith|at once|незамедлительн\w*|immédiatement"),
            _r("on-request", "on-request", rf"{_REQUEST}|applies to his ally"),
        ),
        "consultation": (
            _r("without-delay", "without-delay", r"without delay"),
            _r("immediately", "immediate", r"immediately|forthwith|at once|незамедлительн\w*|անհապաղ"),
            _r("on-request", "on-request", _REQUEST),
        ),
    },
}

# conditions: each rule that matches adds one condition (of the kind ``value``)
CONDITION_RULES: tuple[Rule, ...] = (
    _r("article-51", "un-charter-51",
       r"Article 51|статье?й 51|(?:UN|United Nations) Charter|Charter of the United Nations|Charte des Nations Unies"),
    _r("laws-of", "constitutional-processes",
       r"constitutional (?:provisions and )?processes|constitutional provisions|the laws of|national (?:laws|legislation)|"
       r"in accordance with (?:the |its |their )?Constitution\b"),
    _r("request", "request", rf"{_REQUEST}|обращени\w*|applies to his ally"),
    _r("unprovoked", "non-provocation", r"unprovoked|without provocation"),
)

SCOPE_RULES: tuple[Rule, ...] = (
    _r("region", "limited",
       r"\bin (?:the )?(?:Europe|North America|(?:West |South-West )?Pacific(?: area| Area| Ocean)?|North Atlantic|"
       r"Far East|treaty area)|in the territories under|on its territory|against their territories"),
)

# the region tags (src/foedus/data/places.yaml) a scope phrase names
REGION_WORDS: tuple[tuple[str, str], ...] = (
    ("north america", "north-america"),
    ("europe", "europe"),
    ("north atlantic", "north-atlantic"),
    ("pacific", "pacific"),
)


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of a passage with their offsets, leaving out reporting and definition sentences."""
    out = []
    for m in SENTENCE.finditer(text):
        s = m.group(0)
        if s.strip() and not _REPORTING.search(s) and not _DEFINITION.search(s):
            out.append((m.start(), s))
    return out


def first_hit(rules: tuple[Rule, ...], text: str) -> Hit | None:
    """The first rule (in order) that matches any kept sentence of ``text``."""
    parts = sentences(text)
    for rule in rules:
        if not rule.pattern.pattern:
            return Hit(rule.id, rule.value, 0, 0)
        for off, s in parts:
            m = rule.pattern.search(s)
            if m and not (rule.unless and rule.unless.search(s)):
                return Hit(rule.id, rule.value, off + m.start(), off + m.end())
    return None


def regions(phrase: str) -> tuple[str, ...]:
    """The region tags a scope phrase names, in the order of :data:`REGION_WORDS`."""
    low = phrase.lower()
    return tuple(tag for word, tag in REGION_WORDS if word in low)
