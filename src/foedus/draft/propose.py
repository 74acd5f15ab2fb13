"""A draft coding: every proposed field with the words that support it and a confidence.

:func:`draft` turns a :class:`~foedus.draft.reading.Document` into a :class:`Draft`; the draft
becomes a :class:`~foedus.model.Treaty` (``Draft.treaty()``), which the loader's validation
accepts. A field whose confidence is below :data:`~foedus.draft.learn.UNKNOWN_BELOW` is proposed
as "unknown"; one below :data:`UNCERTAIN_BELOW` is marked uncertain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..corpus.loader import Corpus
from ..model import (
    Article,
    Condition,
    ConditionKind,
    Kind,
    Means,
    Membership,
    Obligation,
    Scope,
    ScopeClause,
    Source,
    Timing,
    Treaty,
    Trigger,
)
from ..strength import strength
from . import cues, facts
from .learn import KINDS, UNKNOWN_BELOW, Model, field_hit, fitted
from .reading import Document, Passage

UNCERTAIN_BELOW = 0.8


@dataclass(frozen=True)
class Proposal:
    """A proposed value, the words of the text that support it, how sure, and which rule gave it."""

    value: object
    confidence: float
    span: str | None
    rule: str

    @property
    def uncertain(self) -> bool:
        """True when a reviewer must check the value."""
        return self.confidence < UNCERTAIN_BELOW or self.value == "unknown" or self.value is None

    def as_json(self) -> dict:
        """The proposal as JSON."""
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        return {"value": value, "confidence": round(self.confidence, 3), "span": self.span, "rule": self.rule,
                "uncertain": self.uncertain}


UNKNOWN = Proposal(None, 0.0, None, "not-found")


@dataclass(frozen=True)
class DraftObligation:
    """One proposed obligation of one passage."""

    article: str
    kind: Proposal
    trigger: Proposal
    means: Proposal
    timing: Proposal
    scope: Proposal
    conditions: tuple[Proposal, ...]
    strength: Proposal

    @property
    def id(self) -> str:
        """The obligation id in the corpus style (``art4-defense``)."""
        slug = re.sub(r"[^0-9A-Za-z]+", "-", self.article).strip("-").lower()
        return f"{'art' if slug[:1].isdigit() or re.fullmatch('[ivxlc]+', slug) else ''}{slug}-{self.kind.value}"

    def fields(self) -> dict[str, Proposal]:
        """The proposals by field name, in display order."""
        return {"kind": self.kind, "trigger": self.trigger, "scope": self.scope, "means": self.means,
                "timing": self.timing, "strength": self.strength}

    def obligation(self) -> Obligation:
        """The proposal as a model obligation (uncertain values kept; the note says which)."""
        doubtful = [f"{name} ({p.confidence:.2f})" for name, p in self.fields().items() if p.uncertain]
        doubtful += [f"condition {c.value} ({c.confidence:.2f})" for c in self.conditions if c.uncertain]
        return Obligation(
            id=self.id,
            kind=Kind(self.kind.value),
            article=self.article,
            trigger=Trigger(self.trigger.value),
            scope=_scope(self.scope),
            conditions=tuple(Condition(kind=ConditionKind(c.value[0]), states=tuple(c.value[1]), text=c.span or "")
                             for c in self.conditions),
            means=Means(self.means.value),
            timing=Timing(self.timing.value),
            note=("draft: UNCERTAIN " + ", ".join(doubtful) + "; check against the text") if doubtful else "draft",
        )

    def as_json(self) -> dict:
        """The proposal as JSON."""
        out = {"id": self.id, "article": self.article}
        out.update({name: p.as_json() for name, p in self.fields().items()})
        out["conditions"] = [{**c.as_json(), "value": c.value[0], "states": list(c.value[1])} for c in self.conditions]
        return out


def _scope(p: Proposal) -> Scope:
    if p.value != "limited":
        return Scope()
    tags = cues.regions(p.span or "")
    clause = (ScopeClause(regions=tags, note=p.span or "") if tags else
              ScopeClause(unclear=True, note=f"draft: the scope '{p.span}' is not mapped to region tags; code it by hand"))
    return Scope(anywhere=False, clauses=(clause,), text=p.span or "")


@dataclass(frozen=True)
class PassageReading:
    """A passage and the probability of each kind the model gives it."""

    passage: Passage
    kinds: dict[str, float]

    @property
    def none_confidence(self) -> float:
        """How sure the model is that the passage carries no obligation."""
        return 1.0 - max(self.kinds.values(), default=0.0)


@dataclass(frozen=True)
class Draft:
    """A drafted coding of one text."""

    source: str
    title: str
    parties: Proposal
    signed: Proposal
    in_force: Proposal
    references: tuple[facts.Reference, ...]
    same_as: str | None
    readings: tuple[PassageReading, ...]
    obligations: tuple[DraftObligation, ...]
    is_treaty_text: bool
    name: str = ""  # the treaty's title as the text gives it, if it does
    notes: tuple[str, ...] = field(default=())

    def treaty_id(self) -> str:
        """``<parties>-<year>`` as the corpus names bilateral treaties, else ``draft-<year>``."""
        year = self.signed.value.year if isinstance(self.signed.value, date) else "undated"
        ids = self.parties.value or []
        stem = "-".join(s.lower() for s in ids) if 0 < len(ids) <= 3 else "draft"
        return f"{stem}-{year}"

    def start_date(self) -> tuple[date, str]:
        """The date the coding uses for entry into force, and the note that explains it."""
        if isinstance(self.in_force.value, date):
            return self.in_force.value, ""
        if isinstance(self.signed.value, date):
            return self.signed.value, ("entry into force not found in the text: the signature date stands in "
                                       "(UNCERTAIN); the treaty may appear in force early")
        return date.today(), "no date of signature or entry into force in the text: today's date is a placeholder (UNKNOWN)"

    def treaty(self, treaty_id: str | None = None) -> Treaty:
        """The draft as a treaty in the corpus model (validated by the model once it has parties and obligations)."""
        start, start_note = self.start_date()
        articles = tuple(
            Article(number=r.passage.number, text=r.passage.text, verified="unverified",
                    note=("quoted in " if r.passage.quoted else "read from ") + f"{self.source}; check against the official text")
            for r in self.readings)
        notes = [*self.notes]
        if start_note:
            notes.append(start_note)
        if self.parties.value is None:
            notes.append("parties: the text names none the resolver knows (UNKNOWN); add them by hand")
        if self.references:
            notes.append("compared in the text with: " + ", ".join(r.treaty for r in self.references))
        if self.same_as:
            notes.append(f"the corpus already holds this pact as {self.same_as}")
        tid = treaty_id or self.treaty_id()
        fields = dict(
            id=tid,
            name=self.name or self.title or f"Draft coding of {self.source}",
            short_name=f"draft {tid}",
            signed=self.signed.value if isinstance(self.signed.value, date) else None,
            in_force=start,
            parties=tuple(Membership(state=s, start=start) for s in (self.parties.value or [])),
            articles=articles,
            obligations=tuple(o.obligation() for o in self.obligations),
            sources=(Source(citation=f"draft from {self.source}" + (f": {self.title}" if self.title else "")),),
            notes="; ".join(["DRAFT made by `foedus draft`: every field needs review", *notes]),
        )
        if fields["parties"] and fields["obligations"]:
            return Treaty(**fields)
        # Without parties or obligations the draft is unfinished: it is kept for review, and `foedus validate`
        # refuses the file written from it until they are added by hand.
        return Treaty.model_construct(**fields)

    def as_json(self, treaty_id: str | None = None) -> dict:
        """The whole draft as one JSON document: facts, passages, proposals and the treaty coding."""
        return {
            "source": self.source,
            "title": self.title,
            "kind_of_text": "treaty" if self.is_treaty_text else "report",
            "parties": self.parties.as_json(),
            "signed": self.signed.as_json(),
            "in_force": self.in_force.as_json(),
            "compared_with": [{"treaty": r.treaty, "span": r.span, "confidence": r.confidence, "rule": r.rule}
                              for r in self.references],
            "same_as": self.same_as,
            "passages": [{"article": r.passage.number, "quoted": r.passage.quoted, "offset": r.passage.start,
                          "text": r.passage.text,
                          "kinds": {k: round(p, 3) for k, p in r.kinds.items()},
                          "none": round(r.none_confidence, 3)} for r in self.readings],
            "obligations": [o.as_json() for o in self.obligations],
            "treaty": self.treaty(treaty_id).model_dump(mode="json", exclude_defaults=True),
        }


def _proposal(found: facts.Found | None) -> Proposal:
    return UNKNOWN if found is None else Proposal(found.value, found.confidence, found.span, found.rule)


def _field(model: Model, kind: str, fld: str, text: str, means: str | None = None) -> Proposal:
    hit = field_hit(fld, kind, text, means)
    conf = model.precision(kind, fld, hit.rule)
    span = text[hit.start:hit.end] or None
    if conf < UNKNOWN_BELOW:
        return Proposal("unknown", conf, span, f"{hit.rule} (proposed {hit.value}, below {UNKNOWN_BELOW})")
    return Proposal(hit.value, conf, span, hit.rule)


_LEAD_IN = re.compile(r"(?:in accordance with|in conformity with|in exercise of|recognized by|recognised by|"
                      r"according to|in keeping with)\s+(?:the\s+)?(?:provisions\s+of\s+)?$", re.IGNORECASE)
_TAIL = re.compile(r"(?:\s+of\s+the\s+(?:UN\s+Charter|United\s+Nations\s+Charter|Charter(?:\s+of\s+the\s+United\s+"
                   r"Nations(?:\s+Organization)?)?))?[^.;,]*?(?=\s+and\s+the\s+laws|[.;,]|$)", re.IGNORECASE)


def _condition_words(text: str, hit: cues.Hit) -> str:
    """The clause around a condition's cue: "in accordance with Article 51 of the UN Charter"."""
    start = hit.start
    lead = _LEAD_IN.search(text[max(0, hit.start - 60):hit.start])
    if lead:
        start = max(0, hit.start - 60) + lead.start()
    tail = _TAIL.match(text, hit.end)
    end = tail.end() if tail else hit.end
    return text[start:end].strip()


def _conditions(model: Model, kind: str, text: str) -> tuple[Proposal, ...]:
    out = []
    for rule in cues.CONDITION_RULES:
        hit = cues.first_hit((rule,), text)
        if hit is not None:
            conf = model.precision(kind, "condition", rule.id)
            if conf >= UNKNOWN_BELOW:
                out.append(Proposal((rule.value, []), conf, _condition_words(text, hit), rule.id))
    adv = facts.adversaries(text)
    if adv is not None:
        conf = model.precision(kind, "condition", "attacked-by")
        if conf >= UNKNOWN_BELOW:
            out.append(Proposal(("specific-adversary", adv.value), conf, adv.span, adv.rule))
    return tuple(out)


def _scope_proposal(model: Model, kind: str, text: str) -> Proposal:
    hit = cues.first_hit(cues.SCOPE_RULES, text)
    if hit is None:
        return Proposal("anywhere", model.precision(kind, "scope", "none"), None, "no-scope-words")
    conf = model.precision(kind, "scope", "region")
    return Proposal("limited" if conf >= UNKNOWN_BELOW else "anywhere", conf, text[hit.start:hit.end], hit.rule)


def propose(model: Model, passage: Passage) -> tuple[PassageReading, list[DraftObligation]]:
    """The kind probabilities of a passage and an obligation proposal for each kind above one half."""
    text = passage.text
    probs = {k: model.kind_probability(k, text) for k in KINDS}
    out = []
    for kind, p in probs.items():
        if p < 0.5:
            continue
        cue = cues.first_hit(cues.KIND_CUES[kind], text)
        kind_p = Proposal(kind, p, text[cue.start:cue.end] if cue else None, "cue+text" if cue else "text")
        trigger = _field(model, kind, "trigger", text)
        means = _field(model, kind, "means", text)
        timing = _field(model, kind, "timing", text, means.value)
        conditions = _conditions(model, kind, text) if kind in ("defense", "offense") else ()
        ob = Obligation(id="x", kind=Kind(kind), means=Means(means.value))
        conf = min(p, means.confidence) if kind in ("defense", "offense") else p
        label = strength(ob).label
        out.append(DraftObligation(
            article=passage.number, kind=kind_p, trigger=trigger, means=means, timing=timing,
            scope=_scope_proposal(model, kind, text), conditions=conditions,
            strength=Proposal(label, conf, means.span, f"rubric: {kind} + means {means.value}")))
    return PassageReading(passage, probs), out


def draft(doc: Document, corpus: Corpus, model: Model | None = None) -> Draft:
    """Draft the coding of a document, learning from ``corpus`` (the model fitted on it is kept on
    disk) unless a fitted ``model`` is given."""
    model = model or fitted(corpus)
    readings, obligations = [], []
    for passage in doc.passages:
        reading, obs = propose(model, passage)
        readings.append(reading)
        obligations.extend(obs)
    head = f"{doc.title}\n{doc.text}" if doc.title and doc.title not in doc.text else doc.text
    found_dates = facts.dates(head, doc.date_hint)
    signed = _proposal(facts.signed(found_dates, doc.title))
    found_parties = facts.parties(head, doc.title, signed.value if isinstance(signed.value, date) else None)
    party_ids = list(found_parties.value) if found_parties else []
    refs = facts.references(head, corpus, party_ids)
    same = facts.same_treaty(corpus, party_ids, signed.value if isinstance(signed.value, date) else None)
    return Draft(
        source=doc.source,
        title=doc.title,
        parties=_proposal(found_parties),
        signed=signed,
        in_force=_proposal(facts.in_force(found_dates)),
        references=tuple(r for r in refs if r.treaty != same),
        same_as=same,
        readings=tuple(readings),
        obligations=tuple(obligations),
        is_treaty_text=doc.is_treaty_text,
        name=facts.treaty_name(head) or "",
    )
