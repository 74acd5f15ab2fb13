"""Leave-one-treaty-out measurement of the drafter on the curated corpus.

For each curated treaty with quoted articles, the model is fitted on every other treaty, each of
the treaty's articles is drafted from its text alone, and the proposals are compared with the
curated coding: the kind set of each article, and for each curated obligation its trigger, means,
timing, strength class, the conditions the rules can see, and whether the scope is limited. A
field of an obligation whose kind the draft missed counts as wrong. Parties are read from the
treaty's name and articles (each name as it was meant on the signing date) and compared with its
founding parties. The confidences are scored for
calibration (expected calibration error, Brier score, and a reliability table).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..corpus.loader import Corpus
from ..model import Treaty
from ..strength import strength
from . import facts
from .learn import Model
from .propose import DraftObligation, propose
from .reading import Passage

FIELDS = ("kind", "trigger", "means", "timing", "strength", "conditions", "scope")
SEEN_CONDITIONS = frozenset({"un-charter-51", "constitutional-processes", "request", "non-provocation",
                             "specific-adversary"})
BINS = 5


@dataclass
class Score:
    """Outcomes of one field: correct or not, with the confidence the draft gave (None: no proposal)."""

    outcomes: list[tuple[bool, float | None]] = field(default_factory=list)

    def add(self, correct: bool, confidence: float | None) -> None:
        """Record one comparison."""
        self.outcomes.append((correct, confidence))

    @property
    def n(self) -> int:
        """Comparisons made."""
        return len(self.outcomes)

    @property
    def accuracy(self) -> float:
        """Share correct."""
        return sum(c for c, _ in self.outcomes) / self.n if self.n else float("nan")

    def _scored(self) -> list[tuple[bool, float]]:
        return [(c, p) for c, p in self.outcomes if p is not None]

    def bins(self) -> list[tuple[float, float, int, float, float]]:
        """``(low, high, n, mean confidence, accuracy)`` per equal-width confidence bin holding any."""
        out = []
        scored = self._scored()
        for b in range(BINS):
            lo, hi = b / BINS, (b + 1) / BINS
            inside = [(c, p) for c, p in scored if lo <= p < hi or (b == BINS - 1 and p == 1.0)]
            if inside:
                out.append((lo, hi, len(inside), sum(p for _, p in inside) / len(inside),
                            sum(c for c, _ in inside) / len(inside)))
        return out

    @property
    def ece(self) -> float:
        """Expected calibration error: the count-weighted gap between confidence and accuracy."""
        scored = self._scored()
        if not scored:
            return float("nan")
        return sum(n * abs(conf - acc) for _, _, n, conf, acc in self.bins()) / len(scored)

    @property
    def brier(self) -> float:
        """Mean squared gap between confidence and outcome."""
        scored = self._scored()
        return sum((p - c) ** 2 for c, p in scored) / len(scored) if scored else float("nan")

    def as_json(self) -> dict:
        """Accuracy and calibration as JSON."""
        return {"n": self.n, "accuracy": round(self.accuracy, 4), "ece": round(self.ece, 4),
                "brier": round(self.brier, 4),
                "bins": [{"from": lo, "to": hi, "n": n, "confidence": round(c, 3), "accuracy": round(a, 3)}
                         for lo, hi, n, c, a in self.bins()]}


@dataclass
class Report:
    """The leave-one-treaty-out figures."""

    treaties: int = 0
    skipped: list[str] = field(default_factory=list)  # curated treaties without quoted articles
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    parties: dict[str, int] = field(default_factory=lambda: {"exact": 0, "unknown": 0, "wrong": 0})
    misses: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # treaty, article, field, curated, draft

    def as_json(self) -> dict:
        """The report as one JSON document."""
        return {
            "method": "leave-one-treaty-out over the curated corpus",
            "treaties": self.treaties,
            "skipped_without_articles": self.skipped,
            "fields": {f: s.as_json() for f, s in self.scores.items()},
            "parties_from_name_and_articles": self.parties,
            "misses": [{"treaty": t, "article": a, "field": f, "curated": c, "draft": d}
                       for t, a, f, c, d in self.misses],
        }


def _founders(t: Treaty) -> set[str]:
    first = min((m.start for m in t.parties), default=None)
    return {m.state for m in t.parties if m.start == first}


def _compare_obligation(report: Report, t: Treaty, ob, drafted: DraftObligation | None) -> None:
    art = ob.article or ""
    curated = {
        "trigger": ob.trigger.value,
        "means": ob.means.value,
        "timing": ob.timing.value,
        "strength": strength(ob).label,
        "conditions": ",".join(sorted({c.kind.value for c in ob.conditions} & SEEN_CONDITIONS)) or "none",
        "scope": "anywhere" if ob.scope.anywhere else "limited",
    }
    for name, want in curated.items():
        if drafted is None:
            report.scores[name].add(False, None)
            report.misses.append((t.id, art, name, want, f"(no {ob.kind.value} proposed)"))
            continue
        if name == "conditions":
            got = ",".join(sorted(c.value[0] for c in drafted.conditions)) or "none"
            conf = min((c.confidence for c in drafted.conditions), default=None)
        else:
            p = drafted.fields()[name]
            got, conf = str(p.value), p.confidence
        report.scores[name].add(got == want, conf)
        if got != want:
            report.misses.append((t.id, art, name, want, got))


def evaluate(corpus: Corpus | Iterable[Treaty]) -> Report:
    """Draft every curated article with its treaty left out of the training data; compare with the coding."""
    curated = [t for t in corpus if t.origin == "curated"]
    report = Report()
    for t in curated:
        if not t.articles:
            report.skipped.append(t.id)
            continue
        report.treaties += 1
        model = Model.fit(u for u in curated if u.id != t.id)
        for a in t.articles:
            reading, drafted = propose(model, Passage(a.number, a.text, 0, quoted=False))
            want = {o.kind.value for o in t.obligations if o.article == a.number}
            got = {o.kind.value for o in drafted}
            conf = min(max(p, 1 - p) for p in reading.kinds.values()) if reading.kinds else None
            report.scores["kind"].add(want == got, conf)
            if want != got:
                report.misses.append((t.id, a.number, "kind", ",".join(sorted(want)) or "none",
                                      ",".join(sorted(got)) or "none"))
            for ob in (o for o in t.obligations if o.article == a.number):
                _compare_obligation(report, t, ob, next((d for d in drafted if d.kind.value == ob.kind.value), None))
        text = "\n".join([t.name, *(a.text for a in t.articles)])
        found = facts.parties(text, t.name, t.signed)  # names read as on the signing date (a draft finds it in the text)
        key = "unknown" if found is None else ("exact" if set(found.value) == _founders(t) else "wrong")
        report.parties[key] += 1
    return report


def table(report: Report) -> Group:
    """The figures as rich tables: accuracy and calibration per field, then the misses."""
    main = Table(title=f"foedus draft, leave-one-treaty-out over {report.treaties} curated treaties")
    for col in ("field", "compared", "accuracy", "ECE", "Brier", "reliability (confidence → accuracy, n)"):
        main.add_column(col, overflow="fold")
    for name, s in report.scores.items():
        rel = "; ".join(f"{c:.2f}→{a:.2f} ({n})" for _, _, n, c, a in s.bins())
        main.add_row(name, str(s.n), f"{s.accuracy:.1%}", f"{s.ece:.3f}", f"{s.brier:.3f}", rel)
    p = report.parties
    parts: list = [main, Text(
        f"parties read from the treaty's name and articles: {p['exact']} exact, {p['unknown']} not named "
        f"(the draft says unknown), {p['wrong']} wrong, of {sum(p.values())} treaties")]
    if report.skipped:
        parts.append(Text("skipped (no quoted articles): " + ", ".join(report.skipped), style="dim"))
    misses = Table(title="misses", show_edge=False)
    for col in ("treaty", "article", "field", "curated", "draft"):
        misses.add_column(col, overflow="fold")
    for row in report.misses:
        misses.add_row(*row)
    parts.append(misses)
    return Group(*parts)


__all__ = ["Report", "evaluate", "table"]


def expected_misses(d, expected: dict) -> list[tuple[str, str, str]]:
    """``(field, expected, drafted)`` for each fact or obligation field where a draft departs from
    a hand-written expected coding (the form of tests/data/draft/*.expected.yaml)."""
    out = []
    facts_found = {"parties": sorted(d.parties.value or []), "signed": d.signed.value, "in_force": d.in_force.value}
    for key in ("parties", "signed", "in_force"):
        if key in expected:
            want = sorted(expected[key]) if key == "parties" else expected[key]
            if facts_found[key] != want:
                out.append((key, str(want), str(facts_found[key])))
    if "compared" in expected:
        got = sorted(r.treaty for r in d.references)
        if got != sorted(expected["compared"]):
            out.append(("compared", str(sorted(expected["compared"])), str(got)))
    drafted = {(o.article, o.kind.value): o for o in d.obligations}
    want_keys = {(str(w["article"]), w["kind"]) for w in expected.get("obligations", [])}
    for key in sorted(set(drafted) - want_keys):
        out.append((f"Art. {key[0]} kind", "none", key[1]))
    for w in expected.get("obligations", []):
        ob = drafted.get((str(w["article"]), w["kind"]))
        if ob is None:
            out.append((f"Art. {w['article']} kind", w["kind"], "none"))
            continue
        fields = ob.fields()
        for name in ("trigger", "means", "timing", "strength"):
            if name in w and fields[name].value != w[name]:
                out.append((f"Art. {w['article']} {name}", w[name], str(fields[name].value)))
        if "conditions" in w and sorted(c.value[0] for c in ob.conditions) != sorted(w["conditions"]):
            out.append((f"Art. {w['article']} conditions", str(sorted(w["conditions"])),
                        str(sorted(c.value[0] for c in ob.conditions))))
    return out
