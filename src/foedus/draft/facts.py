"""The facts of a pact found in a text: its parties, its dates, and the treaties it is compared with.

Parties come from foedus's own resolver (:func:`foedus.states.resolve`, on countrycode's code
list) applied to the capitalised names in the text; dates from dateparser applied to the date
expressions near "signed" or "entered into force"; earlier treaties from their names in the corpus
or a year beside the word "treaty" and the states around it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from .. import states
from ..corpus.loader import Corpus
from ..errors import UnknownStateError
from ..model import Treaty

_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*)*")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
_PACT = re.compile(r"\b(?:treaty|pact|agreement|alliance|accord|partnership|convention|protocol)\b", re.IGNORECASE)
_SIGN = re.compile(r"\b(?:signed|signing|signature|inked|done at|concluded)\b", re.IGNORECASE)
_FORCE = re.compile(r"\b(?:(?:entered|enter|entry|came|come|coming|went) into (?:force|effect)|took effect|"
                    r"in force (?:from|since|on)|(?:exchange of|exchanged the) (?:the )?instruments)\b", re.IGNORECASE)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|"
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,?\s*\d)|"
    r"\bon\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_YEAR = re.compile(r"\b(1[3-9]\d\d|20\d\d)\b")
_YEAR_TREATY = re.compile(
    r"\b(1[3-9]\d\d|20\d\d)\s+(?:\w+[\s–-]+){0,3}?(?:treaty|pact|agreement|alliance|accord)\b|"
    r"\b(?:treaty|pact|agreement|alliance|accord)\s+(?:of|from|signed in)\s+(?:\d{1,2}\s+\w+\s+)?(1[3-9]\d\d|20\d\d)\b",
    re.IGNORECASE)
_PARTIES_LABEL = re.compile(r"^\W*(?:the\s+)?(?:parties|contracting parties|signatories)\W*:\W*", re.IGNORECASE)
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]+,\s*$")  # "SEOUL, June 20 -": the report's date, not the pact's
_STOP = {"The", "In", "It", "He", "She", "They", "We", "On", "At", "A", "An", "If", "But", "And", "This", "That",
         "Article", "Art", "Parties", "Party", "State", "States", "Treaty", "President", "Minister", "Charter"}


@dataclass(frozen=True)
class Found:
    """A fact found in the text: its value, the words that support it, and a confidence."""

    value: object
    span: str
    confidence: float
    rule: str


@dataclass(frozen=True)
class Mention:
    """A state named in the text."""

    state: str
    start: int
    end: int
    words: str


@lru_cache(maxsize=4096)
def _resolve(words: str) -> str | None:
    try:
        return states.resolve(words).id
    except UnknownStateError:
        return None


def mentions(text: str) -> list[Mention]:
    """Every capitalised name in ``text`` that the state resolver knows, in order."""
    out = []
    for m in _NAME.finditer(text):
        words = m.group(0).rstrip(".")
        words = re.sub(r"^(?:The|In|On|At|For|By)\s+", "", words)
        if words in _STOP or len(words) < 2:
            continue
        sid = _resolve(words)
        if sid is not None:
            out.append(Mention(sid, m.start(), m.start() + len(m.group(0).rstrip(".")), words))
    return out


def _groups(text: str, found: list[Mention]) -> list[list[Mention]]:
    """Runs of states joined by "and" or commas ("Russia and North Korea", "A, B and C")."""
    groups: list[list[Mention]] = []
    for m in found:
        if groups:
            gap = text[groups[-1][-1].end:m.start]
            if re.fullmatch(r"(?:’s|'s)?\s*(?:,|;|,?\s+and)\s+(?:the\s+)?|\s*[–—/-]\s*", gap):
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def sentences(text: str) -> list[tuple[int, str]]:
    """Sentences (or lines) with their offsets."""
    return [(m.start(), m.group(0)) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def parties(text: str, title: str = "") -> Found | None:
    """The parties: the states a "Parties:" line lists, or a "between A and B" phrase names beside
    the word treaty (in the title first), or a group joined by "and" names beside "signed";
    ``None`` when the text names none (as in a multilateral treaty's articles)."""
    for line in text.splitlines():
        label = _PARTIES_LABEL.match(line)
        if label:
            grp = _groups(line, [m for m in mentions(line) if m.start >= label.end()])
            # the list starts right after the label ("Parties: A; B"), not later in a remark
            if grp and grp[0][0].start - label.end() <= 4 and len({m.state for m in grp[0]}) >= 2:
                return _found(grp[0], 0.9, "parties-line")
    for source, base_conf in ((title, 0.95), (text, 0.9)):
        for _, sent in sentences(source):
            found = mentions(sent)
            between = re.search(r"\bbetween\b", sent)
            if between and _PACT.search(sent):
                after = [m for m in found if m.start > between.end()]
                grp = _groups(sent, after)
                if grp and len({m.state for m in grp[0]}) >= 2:
                    return _found(grp[0], base_conf, "between")
    for _, sent in sentences(text):
        if not (_SIGN.search(sent) and _PACT.search(sent)):
            continue
        for grp in _groups(sent, mentions(sent)):
            if len({m.state for m in grp}) >= 2:
                return _found(grp, 0.8, "joined-in-signing")
    return None


def _found(group: list[Mention], confidence: float, rule: str) -> Found:
    ids = list(dict.fromkeys(m.state for m in group))
    return Found(sorted(ids), " and ".join(m.words for m in group), confidence, rule)


@dataclass(frozen=True)
class DateMention:
    """A date expression with its parsed day and the sentence it is in."""

    day: date
    words: str
    sentence: str
    offset: int  # of the sentence in the text
    position: int  # of the date within the sentence


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _parse(words: str, base: date | None) -> date | None:
    """The day a date expression names; a weekday is the latest such day up to the report's date."""
    day_name = re.sub(r"^on\s+", "", words).lower()
    if day_name in _WEEKDAYS:
        return None if base is None else base - timedelta(days=(base.weekday() - _WEEKDAYS.index(day_name)) % 7)
    import dateparser

    settings = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    elif not _YEAR.search(words):
        return None
    parsed = dateparser.parse(re.sub(r"^on\s+", "", words), languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def dates(text: str, date_hint: str | None = None) -> list[DateMention]:
    """Every date expression with a day and month, read against the report's own date; the
    dateline's date ("SEOUL, June 20, 2024 -") is the report's own and is left out.

    A date without a year ("June 19") or a weekday ("on Wednesday") is read relative to the
    report's date: the HTML's publication date, else the first full date in the text.
    """
    base = _day(date_hint)
    full = [m for m in _DATE.finditer(text) if _YEAR.search(m.group(0))]
    if base is None and full:
        base = _parse(full[0].group(0), None)
    out = []
    for off, sent in sentences(text):
        for m in _DATE.finditer(sent):
            day = _parse(m.group(0), base)
            if day is not None and not _DATELINE.match(sent[:m.start()]):
                out.append(DateMention(day, m.group(0), sent, off, m.start()))
    return out


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _event_date(found: list[DateMention], cue: re.Pattern, avoid: re.Pattern | None, rule: str) -> Found | None:
    """The date nearest the cue, in the earliest sentence that has one (a report's lead says it first)."""
    best: tuple | None = None
    for d in found:
        cues = [m.start() for m in cue.finditer(d.sentence)]
        if not cues:
            continue
        dist = min(abs(c - d.position) for c in cues)
        clash = bool(avoid and avoid.search(d.sentence) and
                     min(abs(m.start() - d.position) for m in avoid.finditer(d.sentence)) < dist)
        key = (clash, _other_treaty_year(d), d.offset, dist)
        if best is None or key < best[0]:
            best = (key, d)
    if best is None:
        return None
    key, d = best
    confidence = 0.9 if not any(key[:2]) and key[3] <= 80 else 0.6
    window = d.sentence[max(0, d.position - 80):d.position + len(d.words) + 20]
    return Found(d.day, " ".join(window.split()), confidence, rule)


def _other_treaty_year(d: DateMention) -> bool:
    """True when the sentence speaks of a treaty of another year than this date's."""
    return any(int(y or y2) != d.day.year for y, y2 in _YEAR_TREATY.findall(d.sentence))


def signed(found: list[DateMention]) -> Found | None:
    """The date of signature: the date nearest "signed" (not one nearer "into force")."""
    return _event_date(found, _SIGN, _FORCE, "beside-signed")


def in_force(found: list[DateMention]) -> Found | None:
    """The date of entry into force: the date nearest "entered into force" or an exchange of instruments."""
    return _event_date(found, _FORCE, None, "beside-into-force")


@dataclass(frozen=True)
class Reference:
    """A corpus treaty the text compares the pact with."""

    treaty: str
    span: str
    confidence: float
    rule: str


def _aliases(t: Treaty) -> list[str]:
    """Names a text may use for a corpus treaty: its name, its short name, and the short name without the year."""
    out = [t.name]
    if t.short_name:
        out.append(t.short_name)
        bare = re.sub(r"\s*\(.*?\)|\s+\d{4}$", "", t.short_name).strip()
        if bare and not re.search(r"[–-]", bare) and len(bare) >= 4:
            out.append(bare)
    return out


def references(text: str, corpus: Corpus, parties_found: list[str]) -> list[Reference]:
    """Corpus treaties the text names, or points to by a year and the states around it."""
    out: dict[str, Reference] = {}
    for t in corpus:
        for alias in _aliases(t):
            m = re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text, re.IGNORECASE if len(alias) > 6 else 0)
            if m:
                out.setdefault(t.id, Reference(t.id, m.group(0), 0.9, "name"))
                break
    for _, sent in sentences(text):
        named = {m.state for m in mentions(sent)}
        for m in _YEAR_TREATY.finditer(sent):
            year = int(m.group(1) or m.group(2))
            around = named | set(parties_found)
            scored = Counter()
            for t in corpus:
                if t.signed is not None and t.signed.year == year:
                    scored[t.id] = len(around & {p.state for p in t.parties})
            if not scored:
                continue
            best = max(scored.values())
            winners = [tid for tid, n in scored.items() if n == best and n > 0]
            if len(winners) == 1 and winners[0] not in out:
                conf = 0.85 if best >= 2 else 0.6
                out[winners[0]] = Reference(winners[0], m.group(0), conf, "year+parties")
    return list(out.values())


def same_treaty(corpus: Corpus, parties_found: list[str], day: date | None) -> str | None:
    """The corpus treaty with these parties signed on this day, if the corpus already holds the pact."""
    if day is None or not parties_found:
        return None
    for t in corpus:
        if t.signed == day and {p.state for p in t.parties} == set(parties_found):
            return t.id
    return None


_ADVERSARY = re.compile(r"\b(?:attack(?:ed)?|aggression)\s+(?:by|on the part of|from)\s+((?:[A-Z][\w'’-]*\s*)+)")


def adversaries(text: str) -> Found | None:
    """States a clause names as the attacker ("being attacked by Japan"): a specific-adversary condition."""
    for m in _ADVERSARY.finditer(text):
        sid = _resolve(m.group(1).strip())
        if sid is not None:
            return Found([sid], m.group(0).strip(), 0.0, "attacked-by")
    return None


_TITLE = re.compile(
    r"\b((?:Treaty|Agreement|Pact|Convention|Protocol)\s+(?:on|of)\s+(?:[A-Z][\w'’,-]*\s+|and\s+|of\s+|the\s+)*?"
    r"between\s+the\s+(?:[A-Z][\w'’-]*\s+|of\s+)+and\s+the\s+(?:[A-Z][\w'’-]*(?:\s+of)?\s*)+)")


def treaty_name(text: str) -> str | None:
    """A treaty's full title as the text gives it ("Treaty on ... between the A and the B"), if it does."""
    m = _TITLE.search(text)
    return " ".join(m.group(1).split()) if m else None
