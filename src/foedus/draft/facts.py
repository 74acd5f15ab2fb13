"""The facts of a pact found in a text: its parties, its dates, and the treaties it is compared with.

Parties come from foedus's own resolver (:func:`foedus.states.resolve`, on countrycode's code
list) applied to the capitalised names in the text, with the formal, adjectival and compound forms
of :mod:`foedus.draft.names`; the places that name the parties are tried in order (a "Parties:"
line, the title, a treaty's preamble and signature block, then the body), so states named in
passing in the articles do not count. Dates come from dateparser applied to the date expressions
near "signed" or "entered into force"; earlier treaties from their names in the corpus or a year
beside the word "treaty" and the states around it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from ..corpus.loader import Corpus
from ..model import Treaty
from . import names
from .reading import ARTICLE_HEADING

_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+(?:the\s+)?|and\s+(?=Northern\s+Ireland))?[A-Z][\w'’-]*)*")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
_PACT = re.compile(r"\b(?:treaty|pact|agreement|alliance|accord|partnership|convention|protocol|declaration|compact|"
                   r"charter|arrangements?|traité|pacte)\b", re.IGNORECASE)
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
_PARTIES_LABEL = re.compile(r"^\W*(?:the\s+)?(?:original\s+)?(?:parties|contracting parties|signatories)"
                            r"(?:\s*\([^)]*\))?\W*:\W*", re.IGNORECASE)
_PAREN = re.compile(r"\([^()]*\)")
_JOIN = re.compile(r"(?:’s|'s)?\s*(?:,|;|,?\s+(?:and|plus))\s+(?:the\s+)?|\s*[–—/-]\s*")
# what may stand before the states a preamble opens with, and what follows them
_OPENING = re.compile(r"\W*(?:(?:the|high|contracting|parties|party|governments?|of|states?)\b\W*)*", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\s*(?:,|$|\n|hereinafter\b|have\b|agree\b)", re.IGNORECASE)
_COMPOUND_GAP = re.compile(r"[–—/-]?")
# a signature block's line: "For the Government of the United States of America:", "FOR AUSTRALIA:"
_SIGNATORY = re.compile(r"^\W*for\s+(?:the\s+)?(?P<name>[^:\n,.;]{2,90}?)\s*:?\s*$", re.IGNORECASE | re.MULTILINE)
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


@lru_cache(maxsize=256)
def mentions(text: str) -> tuple[Mention, ...]:
    """Every capitalised name in ``text`` that the state resolver knows, in order (each state of a
    compound such as "Australia-Tuvalu" on its own)."""
    out = []
    for m in _NAME.finditer(text):
        run = m.group(0).rstrip(".")
        lead = re.match(r"(?:(?:The|In|On|At|For|By)\s+)?", run).end()
        words = run[lead:]
        if words in _STOP or len(words) < 2:
            continue
        for off, piece, sid in names.pieces(words):
            start = m.start() + lead + off
            out.append(Mention(sid, start, start + len(piece), piece))
    return tuple(out)


def _groups(text: str, found: Iterable[Mention]) -> list[list[Mention]]:
    """Runs of states joined by "and", "plus" or commas ("Russia and North Korea", "A, B and C")."""
    groups: list[list[Mention]] = []
    for m in found:
        if groups and _JOIN.fullmatch(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
            continue
        groups.append([m])
    return groups


def _blank_parentheses(line: str) -> str:
    """The line with each parenthesis blanked out (offsets kept): "USSR (Russia from 1991); DPRK"."""
    return _PAREN.sub(lambda m: " " * len(m.group(0)), line)


def sentences(text: str) -> list[tuple[int, str]]:
    """Sentences (or lines) with their offsets."""
    return [(m.start(), m.group(0)) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _parties_line(text: str) -> Found | None:
    """The states a "Parties:" line lists right after its label (parentheses left out)."""
    for line in text.splitlines():
        label = _PARTIES_LABEL.match(line)
        if label:
            line = _blank_parentheses(line)
            grp = _groups(line, [m for m in mentions(line) if m.start >= label.end()])
            # the list starts right after the label ("Parties: A; B"), not later in a remark
            if grp and grp[0][0].start - label.end() <= 4 and _several(grp[0]):
                return _found(grp[0], 0.9, "parties-line")
    return None


def _between(text: str, confidence: float) -> Found | None:
    """The states of a "between A and B" phrase in a sentence with a word for a treaty."""
    for _, sent in sentences(text):
        between = re.search(r"\b(?:between|entre)\b", sent)
        if between and _PACT.search(sent):
            grp = _groups(sent, [m for m in mentions(sent) if m.start > between.end()])
            if grp and _several(grp[0]):
                return _found(grp[0], confidence, "between")
    return None


def _title_list(title: str) -> Found | None:
    """States a treaty's title lists in a parenthesis ("Treaty of Guarantee (Cyprus, Greece, Turkey
    and the United Kingdom)") or joins in a compound ("Australia-Tuvalu ... Treaty", "Anglo-Portuguese
    Alliance"); a headline's states elsewhere ("Japan, Korea alarmed as ...") are not read here."""
    if not _PACT.search(title):
        return None
    inside = [(m.start(), m.end()) for m in _PAREN.finditer(title)]
    for grp in _groups(title, mentions(title)):
        if not _several(grp):
            continue
        compound = all(_COMPOUND_GAP.fullmatch(title[a.end:b.start]) for a, b in zip(grp, grp[1:], strict=False))
        bracketed = any(lo < grp[0].start and grp[-1].end < hi for lo, hi in inside)
        if compound or bracketed:
            return _found(grp, 0.85, "title-compound" if compound else "title-list")
    return None


def _preamble(text: str) -> Found | None:
    """In a treaty text, the states the preamble opens with, before its first article ("The
    Government of the French Republic and the Government of ..., ", "The High Contracting Parties,
    A, B and C,"): the group must open its sentence and end a clause, so states the recitals or
    notes name in passing do not count."""
    first = ARTICLE_HEADING.search(text)
    if first is None or first.start() == 0:
        return None
    head = text[:first.start()]
    found = _between(head, 0.9)
    if found is not None:
        return found
    for _, sent in sentences(head):
        for grp in _groups(sent, mentions(sent)):
            if (_several(grp) and _OPENING.fullmatch(sent[:grp[0].start])
                    and _CLAUSE_END.match(_blank_parentheses(sent[grp[-1].end:]))):
                return _found(grp, 0.85, "preamble")
    return None


def _signature_block(text: str) -> Found | None:
    """The states of a treaty's signature lines after its last article ("For the Government of X:")."""
    heads = list(ARTICLE_HEADING.finditer(text))
    if not heads:
        return None
    group = []
    for m in _SIGNATORY.finditer(text, heads[-1].end()):
        words = m.group("name")
        sid = names.resolve(words.title() if words.isupper() else words)
        if sid is not None and sid not in {g.state for g in group}:
            group.append(Mention(sid, m.start("name"), m.end("name"), words))
    return _found(group, 0.85, "signature-block") if _several(group) else None


def _signed_group(text: str) -> Found | None:
    """A group of states joined by "and" in a sentence that says a pact was signed."""
    for _, sent in sentences(text):
        if _SIGN.search(sent) and _PACT.search(sent):
            for grp in _groups(sent, mentions(sent)):
                if _several(grp):
                    return _found(grp, 0.8, "joined-in-signing")
    return None


def _several(group: list[Mention]) -> bool:
    return len({m.state for m in group}) >= 2


def parties(text: str, title: str = "", on: date | None = None) -> Found | None:
    """The parties, from the first place that names two or more: a "Parties:" line, a "between A and
    B" phrase beside a word for a treaty in the title, a list or compound in the title, the
    preamble, the signature block, a "between" phrase in the body, then a group joined by "and"
    beside "signed". Each state is the one its name meant on ``on`` (the signing date, when known).
    ``None`` when the text names none (as in a multilateral treaty's articles)."""
    for find in (lambda: _parties_line(text), lambda: _between(title, 0.95), lambda: _title_list(title),
                 lambda: _preamble(text), lambda: _signature_block(text), lambda: _between(text, 0.9),
                 lambda: _signed_group(text)):
        found = find()
        if found is not None:
            ids = sorted(dict.fromkeys(names.on_date(s, on) for s in found.value))
            return Found(ids, found.span, found.confidence, found.rule)
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


def _event_date(found: list[DateMention], cue: re.Pattern, avoid: re.Pattern | None, rule: str,
                title: str = "") -> Found | None:
    """The date nearest the cue, in the earliest sentence that has one (a report's lead says it first);
    a date in the year the title gives ("Modified Brussels Treaty (1954)") before one of another year."""
    year = _YEAR.search(title)
    best: tuple | None = None
    for d in found:
        cues = [m.start() for m in cue.finditer(d.sentence)]
        if not cues:
            continue
        dist = min(abs(c - d.position) for c in cues)
        clash = bool(avoid and avoid.search(d.sentence) and
                     min(abs(m.start() - d.position) for m in avoid.finditer(d.sentence)) < dist)
        key = (clash, _other_treaty_year(d), bool(year) and d.day.year != int(year.group(0)), d.offset, dist)
        if best is None or key < best[0]:
            best = (key, d)
    if best is None:
        return None
    key, d = best
    confidence = 0.9 if not any(key[:3]) and key[4] <= 80 else 0.6
    window = d.sentence[max(0, d.position - 80):d.position + len(d.words) + 20]
    return Found(d.day, " ".join(window.split()), confidence, rule)


def _other_treaty_year(d: DateMention) -> bool:
    """True when the sentence speaks of a treaty of another year than this date's."""
    return any(int(y or y2) != d.day.year for y, y2 in _YEAR_TREATY.findall(d.sentence))


def signed(found: list[DateMention], title: str = "") -> Found | None:
    """The date of signature: the date nearest "signed" (not one nearer "into force"), in the
    title's year if it gives one."""
    return _event_date(found, _SIGN, _FORCE, "beside-signed", title)


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
        sid = names.resolve(m.group(1).strip())
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
