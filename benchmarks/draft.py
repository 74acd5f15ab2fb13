"""foedus draft, measured: leave-one-treaty-out over the curated corpus, and the news-style test reports.

For each curated treaty with quoted articles the drafter is fitted on every other treaty and codes
the treaty's articles from their text alone; the table gives accuracy per field, the calibration
of the confidences (ECE, Brier, reliability bins) and every miss. The baseline, measured on the
same comparisons, proposes each field's most common curated value. The reports under
tests/data/draft/ are then drafted and checked against their hand-written expected codings
(parties, signing date, compared treaties, each obligation's fields).

Run: python -m benchmarks.draft
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import yaml
from rich.console import Console

from foedus.corpus.loader import bundled
from foedus.draft.evaluate import evaluate, expected_misses, table
from foedus.draft.learn import Model
from foedus.draft.propose import draft
from foedus.draft.reading import read
from foedus.strength import strength

REPORTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "draft"
TARGETS = {"kind": 0.95, "strength": 0.85}


def baseline() -> dict[str, float]:
    """Accuracy of always proposing each field's most common curated value (the kind set per article)."""
    corpus = [t for t in bundled() if t.origin == "curated" and t.articles]
    kinds = Counter(frozenset(o.kind for o in t.obligations if o.article == a.number) for t in corpus for a in t.articles)
    obs = [o for t in corpus for o in t.obligations if o.article is not None]
    out = {"kind": kinds.most_common(1)[0][1] / sum(kinds.values())}
    for name, get in (("trigger", lambda o: o.trigger), ("means", lambda o: o.means), ("timing", lambda o: o.timing),
                      ("strength", strength)):
        out[name] = Counter(get(o) for o in obs).most_common(1)[0][1] / len(obs)
    return out


def main() -> None:
    console = Console(width=120)
    start = time.perf_counter()
    report = evaluate(bundled())
    seconds = time.perf_counter() - start
    console.print(table(report))
    base = baseline()
    console.print("\nfield      drafter  baseline  ratio   target")
    for name, b in base.items():
        acc = report.scores[name].accuracy
        target = TARGETS.get(name)
        mark = "" if target is None else f"≥ {target:.0%} {'met' if acc >= target else 'NOT met'}"
        console.print(f"{name:<10} {acc:7.1%}  {b:7.1%}  {acc / b:5.2f}x  {mark}")
    console.print(f"leave-one-treaty-out: {report.treaties} treaties, {seconds:.0f} s")

    model = Model.fit(bundled())
    facts_ok = Counter()
    for exp in sorted(REPORTS.glob("*.expected.yaml")):
        stem = exp.name.removesuffix(".expected.yaml")
        src = next(p for p in REPORTS.glob(f"{stem}.*") if not p.name.endswith(".expected.yaml"))
        d = draft(read(str(src)), bundled(), model)
        misses = expected_misses(d, yaml.safe_load(exp.read_text()))
        facts_ok["parties"] += not any(m[0] == "parties" for m in misses)
        facts_ok["signed"] += not any(m[0] == "signed" for m in misses)
        facts_ok["reports"] += 1
        console.print(f"{src.name}: " + ("matches its expected coding" if not misses else
                                          "; ".join(f"{f}: expected {w}, drafted {g}" for f, w, g in misses)))
    n = facts_ok["reports"]
    console.print(f"news-style reports: parties exact {facts_ok['parties']}/{n}, signing date exact {facts_ok['signed']}/{n} "
                  "(the texts were written for the tests; the model is fitted on the whole corpus, which holds "
                  "the treaties they report)")


if __name__ == "__main__":
    main()
