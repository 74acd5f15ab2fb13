"""foedus draft, measured: leave-one-treaty-out over the curated corpus, and the news-style test reports.

For each curated treaty with quoted articles the drafter is fitted on every other treaty and codes
the treaty's articles from their text alone; the table gives accuracy per field, the calibration
of the confidences (ECE, Brier, reliability bins) and every miss. The baseline, measured on the
same comparisons, proposes each field's most common curated value. The reports under
tests/data/draft/ are then drafted and checked against their hand-written expected codings
(parties, signing date, compared treaties, each obligation's fields); each says whether the corpus
holds its pact.

Run: python -m benchmarks.draft
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from pathlib import Path

import yaml
from rich.console import Console

from foedus.corpus.loader import bundled
from foedus.draft import facts
from foedus.draft.evaluate import evaluate, expected_misses, table
from foedus.draft.learn import Model
from foedus.draft.propose import draft
from foedus.draft.reading import read
from foedus.strength import strength

REPORTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "draft"
# research notes on the treaties, written by others (not for this measurement): section -> corpus id
NOTES = Path(os.environ.get("FOEDUS_TREATY_NOTES", Path(__file__).resolve().parents[2] / "shared" / "treaties.md"))
NOTE_SECTIONS = {"1.": "rus-prk-2024", "2.": "sun-prk-1961", "3.": "rus-prk-2000", "4.": "prc-prk-1961",
                 "5.": "usa-kor-1953", "6.": "usa-jpn-1960", "7.": "nato-1949", "8a.": "anzus-1951",
                 "8b.": "usa-phl-1951", "8c.": "rio-1947", "8d.": "csto-1992", "8e.": "weu-1954",
                 "9b.": "prc-rus-2001"}
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


def notes_facts(console: Console) -> None:
    """Parties and signing dates read from each treaty's section of the research notes, against the corpus."""
    if not NOTES.is_file():
        console.print(f"research notes not found at {NOTES} (set FOEDUS_TREATY_NOTES): facts on them skipped")
        return
    counts = Counter()
    for section in re.split(r"^## ", NOTES.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]:
        head, _, body = section.partition("\n")
        tid = NOTE_SECTIONS.get(head.split()[0]) if head.split() else None
        if tid is None:
            continue
        t = bundled().get(tid)
        first = min(m.start for m in t.parties)
        signed = facts.signed(facts.dates(body), head)
        found = facts.parties(body, head, signed.value if signed else None)
        p = "unknown" if found is None else ("exact" if set(found.value) == {m.state for m in t.parties
                                                                             if m.start == first} else "wrong")
        s = "unknown" if signed is None else ("exact" if signed.value == t.signed else "wrong")
        counts["p-" + p] += 1
        counts["s-" + s] += 1
        counts["n"] += 1
        console.print(f"  {tid:<14} parties {p:<8} ({', '.join(found.value) if found else '—'}); "
                      f"signed {s:<8} ({signed.value if signed else '—'}; corpus {t.signed})")
    n = counts["n"]
    console.print(f"research notes ({NOTES.name}), {n} treaties: parties exact {counts['p-exact']}, unknown "
                  f"{counts['p-unknown']}, wrong {counts['p-wrong']}; signing date exact {counts['s-exact']}, "
                  f"unknown {counts['s-unknown']}, wrong {counts['s-wrong']}")


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
        facts_ok["outside"] += d.same_as is None
        where = f"the corpus holds it as {d.same_as}" if d.same_as else "a pact the corpus does not hold"
        console.print(f"{src.name} ({where}): " + ("matches its expected coding" if not misses else
                                                   "; ".join(f"{f}: expected {w}, drafted {g}" for f, w, g in misses)))
    n = facts_ok["reports"]
    console.print(f"news-style reports: parties exact {facts_ok['parties']}/{n}, signing date exact {facts_ok['signed']}/{n} "
                  f"(the texts were written for the tests; the model is fitted on the whole corpus, which holds the "
                  f"pacts of {n - facts_ok['outside']} of them)")
    notes_facts(console)


if __name__ == "__main__":
    main()
