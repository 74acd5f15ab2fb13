"""Two treaties side by side: what each promises, field by field, with a word-level text diff."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

from .corpus.loader import Corpus, bundled
from .model import Kind, Obligation, Treaty
from .strength import strength

FIELDS = ("article", "owed", "trigger", "scope", "means", "timing", "conditions", "strength")


def describe(treaty: Treaty, ob: Obligation) -> dict[str, str]:
    """An obligation's coded fields as short text, one entry per compared field."""
    obligors = "each party" if ob.obligors is None else ", ".join(ob.obligors)
    beneficiaries = "each other party" if ob.beneficiaries is None else ", ".join(ob.beneficiaries)
    return {
        "article": f"Art. {ob.article}" if ob.article else "(no article)",
        "owed": f"{obligors} → {beneficiaries}",
        "trigger": ob.trigger.value,
        "scope": "anywhere" if ob.scope.anywhere else (ob.scope.text or "limited"),
        "means": ob.means.value,
        "timing": ob.timing.value,
        "conditions": "; ".join(c.text or c.kind.value for c in ob.conditions) or "none",
        "strength": strength(ob).label,
    }


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Word-level diff as ``(op, text)`` pairs; op is ``=``, ``-`` (only in a) or ``+`` (only in b)."""
    wa, wb = re.findall(r"\S+", a), re.findall(r"\S+", b)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", " ".join(wa[i1:i2])))
        if tag in ("delete", "replace"):
            out.append(("-", " ".join(wa[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(("+", " ".join(wb[j1:j2])))
    return out


@dataclass(frozen=True)
class Row:
    """One kind of obligation, as each treaty codes it (None where a treaty has none)."""

    kind: Kind
    a: dict[str, str] | None
    b: dict[str, str] | None
    text_a: str | None
    text_b: str | None
    diff: list[tuple[str, str]] | None


@dataclass(frozen=True)
class Comparison:
    """Two treaties compared, obligation kind by obligation kind."""

    a: Treaty
    b: Treaty
    rows: tuple[Row, ...]
    on_a: date | None = None
    on_b: date | None = None

    def members(self) -> tuple[list[str], list[str]]:
        """Each side's parties: members on its date, or every party ever when no date is given."""

        def of(t: Treaty, day: date | None) -> list[str]:
            return t.members_on(day) if day else sorted({m.state for m in t.parties})

        return of(self.a, self.on_a), of(self.b, self.on_b)

    def membership_change(self) -> tuple[list[str], list[str]]:
        """States only in b's membership (joined) and only in a's (left)."""
        ma, mb = self.members()
        return sorted(set(mb) - set(ma)), sorted(set(ma) - set(mb))

    def stronger(self) -> str | None:
        """The id of the treaty whose strongest obligation ranks higher, or None if equal."""
        sa = max((strength(o) for o in self.a.obligations), default=0)
        sb = max((strength(o) for o in self.b.obligations), default=0)
        return None if sa == sb else (self.a.id if sa > sb else self.b.id)

    def differences(self) -> list[tuple[str, str, str, str]]:
        """``(kind, field, a, b)`` for each coded field that differs (article numbers aside).

        A kind that only one treaty has is one row with field ``"obligation"``.
        """
        out = []
        for r in self.rows:
            if r.a is None or r.b is None:
                out.append((r.kind.value, "obligation", "yes" if r.a else "none", "yes" if r.b else "none"))
                continue
            out.extend((r.kind.value, f, r.a[f], r.b[f]) for f in FIELDS if f != "article" and r.a[f] != r.b[f])
        return out

    def as_json(self) -> dict:
        """The JSON document of ``foedus compare --json`` and the API."""

        def head(t: Treaty, day: date | None, members: list[str]) -> dict:
            return {
                "id": t.id,
                "name": t.name,
                "on": day.isoformat() if day else None,
                "in_force": t.in_force.isoformat(),
                "ended": t.ended.isoformat() if t.ended else None,
                "parties": members,
            }

        ma, mb = self.members()
        joined, left = self.membership_change()
        return {
            "a": head(self.a, self.on_a, ma),
            "b": head(self.b, self.on_b, mb),
            "joined": joined,
            "left": left,
            "stronger": self.stronger(),
            "differences": [{"kind": k, "field": f, "a": va, "b": vb} for k, f, va, vb in self.differences()],
            "rows": [
                {
                    "kind": r.kind.value,
                    "a": r.a,
                    "b": r.b,
                    "text_a": r.text_a,
                    "text_b": r.text_b,
                    "diff": [{"op": op, "text": t} for op, t in r.diff] if r.diff is not None else None,
                }
                for r in self.rows
            ],
        }


def _main(t: Treaty, kind: Kind, day: date | None) -> Obligation | None:
    """The treaty's strongest obligation of a kind (among those valid on ``day``, if given)."""
    obs = [o for o in t.obligations if o.kind is kind and (day is None or o.valid is None or o.valid.contains(day))]
    return max(obs, key=strength, default=None)


def compare(
    a: str | Treaty,
    b: str | Treaty | None = None,
    on: date | None = None,
    on_b: date | None = None,
    corpus: Corpus | None = None,
) -> Comparison:
    """Compare two treaties (ids or objects), or one treaty at two dates, one row per obligation kind.

    ``b`` defaults to ``a``; ``on`` and ``on_b`` (default ``on``) pick the obligations and members in
    force on each side's date.
    """
    corpus = corpus if corpus is not None else bundled()
    ta = a if isinstance(a, Treaty) else corpus.get(a)
    tb = ta if b is None else (b if isinstance(b, Treaty) else corpus.get(b))
    on_b = on_b or on
    rows = []
    for kind in Kind:
        oa, ob = _main(ta, kind, on), _main(tb, kind, on_b)
        if oa is None and ob is None:
            continue
        art_a = ta.article(oa.article) if oa else None
        art_b = tb.article(ob.article) if ob else None
        text_a, text_b = (art_a.text if art_a else None), (art_b.text if art_b else None)
        rows.append(
            Row(
                kind=kind,
                a=describe(ta, oa) if oa else None,
                b=describe(tb, ob) if ob else None,
                text_a=text_a,
                text_b=text_b,
                diff=word_diff(text_a, text_b) if text_a and text_b else None,
            )
        )
    return Comparison(a=ta, b=tb, rows=tuple(rows), on_a=on, on_b=on_b)
