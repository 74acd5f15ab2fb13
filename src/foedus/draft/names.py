"""State names as treaty texts write them: formal, adjectival, compound and historical forms.

:func:`resolve` reads one capitalised run of words ("the Government of the French Republic",
"Hungarian People's Republic", "Union of Soviet Socialist Republics") with foedus's resolver
(:func:`foedus.states.resolve`, on countrycode's name patterns); an adjective before a word for a
state ("Polish People's Republic", "Czechoslovak Republic") is read as the state's name. A
hyphenated compound ("Australia-Tuvalu", "Anglo-Portuguese") is split into its states by
:func:`pieces`. :func:`on_date` gives the state a name meant on a date where the state the
resolver returns had ended by then (the Federal Republic of Germany after unification).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .. import states
from ..errors import UnknownStateError

# adjectives and combining forms -> a name the resolver knows (English usage in treaty titles);
# "American" is left out: "an American State" is any state of the Americas
ADJECTIVES: dict[str, str] = {
    "Albanian": "Albania", "Anglo": "United Kingdom", "Argentine": "Argentina",
    "Armenian": "Armenia", "Australian": "Australia", "Austrian": "Austria", "Austro": "Austria",
    "Azerbaijani": "Azerbaijan", "Belarusian": "Belarus", "Belgian": "Belgium", "Brazilian": "Brazil",
    "British": "United Kingdom", "Bulgarian": "Bulgaria", "Canadian": "Canada", "Chinese": "China",
    "Cuban": "Cuba", "Czech": "Czech Republic", "Czechoslovak": "Czechoslovakia", "Danish": "Denmark",
    "Dutch": "Netherlands", "Egyptian": "Egypt", "Finnish": "Finland", "Franco": "France", "French": "France",
    "German": "Germany", "Greco": "Greece", "Greek": "Greece", "Hungarian": "Hungary", "Indian": "India",
    "Indo": "India", "Iranian": "Iran", "Iraqi": "Iraq", "Israeli": "Israel", "Italian": "Italy", "Italo": "Italy",
    "Japanese": "Japan", "Kazakh": "Kazakhstan", "Luso": "Portugal", "Mexican": "Mexico", "Mongolian": "Mongolia",
    "Norwegian": "Norway", "Pakistani": "Pakistan", "Philippine": "Philippines", "Polish": "Poland",
    "Portuguese": "Portugal", "Romanian": "Romania", "Rumanian": "Romania", "Russian": "Russia", "Russo": "Russia",
    "Saudi": "Saudi Arabia", "Sino": "China", "Soviet": "Soviet Union", "Spanish": "Spain", "Swedish": "Sweden",
    "Syrian": "Syria", "Turkish": "Turkey", "Turco": "Turkey", "Ukrainian": "Ukraine", "Uzbek": "Uzbekistan",
    "Yugoslav": "Yugoslavia",
}
# adjectives whose names countrycode's patterns read as another state ("Czech" matches "Czechoslovak")
MISREAD = frozenset({"Czechoslovak"})
# words for a state that an adjective may stand before ("Polish People's Republic", "French Government")
_STATE_WORD = re.compile(r"^(?:People['’]s\s+|Socialist\s+|Democratic\s+|Federal\s+|Arab\s+)*"
                         r"(?:Republic|Kingdom|Government|Federation|Union|State|Empire|Confederation)s?\b")
_COMPOUND = re.compile(r"[-–](?=[A-Z])")

# states whose id names another after they ended: (id, last day, the id a name means after it)
SUCCESSORS: tuple[tuple[str, date, str], ...] = (
    ("GFR", date(1990, 10, 2), "DEU"),  # the Federal Republic of Germany continues as united Germany
    ("YAR", date(1990, 5, 21), "YEM"),  # the Yemen Arab Republic continues as the Republic of Yemen
)


@lru_cache(maxsize=4096)
def _plain(words: str) -> str | None:
    try:
        return states.resolve(words).id
    except UnknownStateError:
        return None


def resolve(words: str) -> str | None:
    """The state a run of capitalised words names, or None: the resolver's reading first ("German
    Democratic Republic"), then an adjective before a word for a state ("Polish People's Republic")."""
    first, _, rest = words.partition(" ")
    adjectival = first in ADJECTIVES and bool(rest) and bool(_STATE_WORD.match(rest))
    if adjectival and first in MISREAD:
        return _plain(ADJECTIVES[first])
    return _plain(words) or (_plain(ADJECTIVES[first]) if adjectival else None)


def pieces(words: str) -> list[tuple[int, str, str]]:
    """``(offset, piece, state)`` for each state of a hyphenated compound ("Australia-Tuvalu Treaty",
    "Anglo-Portuguese Alliance"); one piece for a name that is itself hyphenated ("Guinea-Bissau")."""
    cuts = [0, *(m.end() for m in _COMPOUND.finditer(words))]
    if len(cuts) > 1:
        parts = [(a, words[a:b].rstrip("-– ")) for a, b in zip(cuts, [*cuts[1:], len(words)], strict=True)]
        found = []
        for off, part in parts:
            head = part.split()[0]
            sid = _plain(ADJECTIVES[head]) if head in ADJECTIVES else resolve(part)
            if sid is None:
                break
            found.append((off, part, sid))
        else:
            whole = resolve(words)
            if whole is None or whole == found[0][2]:  # "Austria-Hungary" is one state, not two
                return found if len({s for _, _, s in found}) > 1 else found[:1]
    sid = resolve(words)
    return [(0, words, sid)] if sid is not None else []


def on_date(sid: str, on: date | None) -> str:
    """The state a name meant on ``on``: a state that had ended by then is its continuator."""
    if on is not None:
        for old, last, new in SUCCESSORS:
            if sid == old and on > last:
                return new
    return sid
