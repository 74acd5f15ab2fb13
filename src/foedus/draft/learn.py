"""What the drafter learns from the curated corpus: the coded articles are its training data.

Two things are learned from a set of treaties:

- the **kind model**: for each obligation kind, the probability that an article carries it, from
  a character n-gram logistic regression on the article texts combined, by a second small logistic
  regression, with the kind's word cue (:mod:`foedus.draft.cues`). The text model's inputs to the
  combiner are out-of-fold predictions (folds by treaty), so the combiner learns how far each is
  trusted on texts it has not seen. A kind with too few coded articles is decided by its cue alone.
- the **rule precisions**: for every field rule, how often its value equals the curated coding
  on the training articles, smoothed towards the rule (two pseudo-hits, one pseudo-miss). That is
  the confidence a proposal from that rule carries.

:func:`fitted` keeps the model fitted on a corpus on disk (:func:`foedus.index_cache.kept`), named
by the digest of the curated treaties, the source of the modules that decide the fit and the
scikit-learn version; the sealed file's own sha256 is checked before it is read, and a damaged or
stale copy is fitted afresh. So only the first draft after a change to the corpus fits the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Kind, Obligation, Treaty
from . import cues, facts

KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
FIELDS: tuple[str, ...] = ("trigger", "means", "timing")
MIN_EXAMPLES = 3  # positives and negatives a kind needs before the text model is fitted
PRIOR_HITS, PRIOR_MISSES = 2, 1  # the smoothing towards a rule's own word
UNKNOWN_BELOW = 0.5  # a field whose confidence is lower is proposed as "unknown"
KEEP = 4  # fitted models kept on disk (a few corpus states stay warm)
# the modules whose code decides what a fit learns (beside the treaties themselves)
_LEARNERS = ("draft/learn.py", "draft/cues.py", "draft/facts.py", "draft/names.py", "states.py", "data/entities.yaml")

# the value a field takes when no rule of that kind matches
DEFAULTS: dict[str, dict[str, str]] = {
    "trigger": {"defense": "unknown", "offense": "unknown", "consultation": "threat",
                "neutrality": "any-war", "nonaggression": "unknown"},
    "means": {"defense": "unknown", "offense": "unknown", "consultation": "consult",
              "neutrality": "unspecified", "nonaggression": "unspecified"},
    "timing": {k: "unspecified" for k in KINDS},
}


@dataclass(frozen=True)
class Example:
    """One curated article: its text and the obligations that cite it."""

    treaty: str
    article: str
    text: str
    obligations: tuple[Obligation, ...]

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds coded for the article (empty: no obligation)."""
        return frozenset(o.kind.value for o in self.obligations)


def examples(treaties: Iterable[Treaty]) -> list[Example]:
    """Every quoted article of the treaties, with the obligations citing it."""
    out = []
    for t in treaties:
        for a in t.articles:
            obs = tuple(o for o in t.obligations if o.article == a.number)
            out.append(Example(t.id, a.number, a.text, obs))
    return out


def _rules(fld: str, kind: str) -> tuple[cues.Rule, ...]:
    table = cues.FIELD_RULES[fld]
    return table.get(kind, table.get("defense", ()) if kind == "offense" else ())


def field_hit(fld: str, kind: str, text: str, means: str | None = None) -> cues.Hit:
    """The rule a field of a ``kind`` obligation follows in ``text`` (a default rule when none matches)."""
    hit = cues.first_hit(_rules(fld, kind), text)
    if hit is not None:
        return hit
    if fld == "timing" and means == "unknown":
        return cues.Hit("default-no-aid", "unknown", 0, 0)
    return cues.Hit("default", DEFAULTS[fld][kind], 0, 0)


def _smoothed(hits: int, n: int) -> float:
    return (hits + PRIOR_HITS) / (n + PRIOR_HITS + PRIOR_MISSES)


def _curated(ob: Obligation, fld: str) -> str:
    return getattr(ob, fld).value


@dataclass
class Model:
    """The kind model and the rule precisions learned from a set of treaties."""

    rule_counts: Counter = field(default_factory=Counter)  # (kind, field, rule) -> fires
    rule_hits: Counter = field(default_factory=Counter)  # (kind, field, rule) -> fires with the curated value
    kind_models: dict = field(default_factory=dict)  # kind -> (text pipeline, combiner)
    cue_only: dict = field(default_factory=dict)  # kind -> (P(kind | cue), P(kind | no cue))
    treaties: tuple[str, ...] = ()

    @classmethod
    def fit(cls, treaties: Iterable[Treaty]) -> Model:
        """Learn from the curated articles and obligations of ``treaties``."""
        treaties = [t for t in treaties if t.origin == "curated"]
        model = cls(treaties=tuple(t.id for t in treaties))
        data = examples(treaties)
        for ex in data:
            for ob in ex.obligations:
                kind = ob.kind.value
                means = None
                for fld in FIELDS:
                    hit = field_hit(fld, kind, ex.text, means)
                    means = hit.value if fld == "means" else means
                    model._count((kind, fld, hit.rule), hit.value == _curated(ob, fld))
                for rule in cues.CONDITION_RULES:
                    if cues.first_hit((rule,), ex.text):
                        model._count((kind, "condition", rule.id), rule.value in {c.kind.value for c in ob.conditions})
                if facts.adversaries(ex.text):
                    model._count((kind, "condition", "attacked-by"),
                                 "specific-adversary" in {c.kind.value for c in ob.conditions})
                scoped = cues.first_hit(cues.SCOPE_RULES, ex.text) is not None
                model._count((kind, "scope", "region" if scoped else "none"), ob.scope.anywhere is not scoped)
        for kind in KINDS:
            model._fit_kind(kind, data)
        return model

    def _count(self, key: tuple[str, str, str], correct: bool) -> None:
        self.rule_counts[key] += 1
        self.rule_hits[key] += int(correct)

    def precision(self, kind: str, fld: str, rule: str) -> float:
        """The smoothed share of training articles where this rule gave the curated value."""
        key = (kind, fld, rule)
        return _smoothed(self.rule_hits[key], self.rule_counts[key])

    def _fit_kind(self, kind: str, data: list[Example]) -> None:
        y = [kind in ex.kinds for ex in data]
        flags = [cue_flag(kind, ex.text) for ex in data]
        groups = [ex.treaty for ex in data]
        pos = sum(y)
        if min(pos, len(y) - pos) < MIN_EXAMPLES or len(set(groups)) < MIN_EXAMPLES:
            fired = [yy for yy, f in zip(y, flags, strict=True) if f]
            quiet = [yy for yy, f in zip(y, flags, strict=True) if not f]
            self.cue_only[kind] = (_smoothed(sum(fired), len(fired)), sum(quiet) / (len(quiet) + 2))
            return
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold
        from threadpoolctl import threadpool_limits

        # once numpy's BLAS is loaded: its threads only spin on problems this small (8x the CPU time)
        with threadpool_limits(limits=1):
            texts = [ex.text for ex in data]
            out_of_fold = [0.0] * len(data)
            folds = GroupKFold(n_splits=min(5, len(set(groups))))
            for train, test in folds.split(texts, y, groups):
                if len({y[i] for i in train}) < 2:
                    continue
                pipe = _text_pipeline().fit([texts[i] for i in train], [y[i] for i in train])
                for i, p in zip(test, pipe.predict_proba([texts[i] for i in test])[:, 1], strict=True):
                    out_of_fold[i] = float(p)
            combiner = LogisticRegression(C=1.0).fit(
                [[float(f), p] for f, p in zip(flags, out_of_fold, strict=True)], y)
            self.kind_models[kind] = (_text_pipeline().fit(texts, y), combiner)

    def kind_probability(self, kind: str, text: str) -> float:
        """The probability that an article with this text carries an obligation of ``kind``."""
        flag = cue_flag(kind, text)
        if kind in self.cue_only:
            fired, quiet = self.cue_only[kind]
            return fired if flag else quiet
        pipe, combiner = self.kind_models[kind]
        p_text = float(pipe.predict_proba([text])[0, 1])
        return float(combiner.predict_proba([[float(flag), p_text]])[0, 1])


def cue_flag(kind: str, text: str) -> bool:
    """True when a cue of ``kind`` matches a kept sentence of ``text``."""
    return cues.first_hit(cues.KIND_CUES[kind], text) is not None


def _text_pipeline():
    """Character n-grams (they carry across the corpus's English, French and Russian) into a logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True),
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000),
    )


def fitted(corpus: Iterable[Treaty]) -> Model:
    """``Model.fit(corpus)``, read from the copy an earlier process fitted on the same curated treaties."""
    from importlib.metadata import version

    from .. import disk_cache
    from ..disk_cache import PACKAGE
    from ..corpus.loader import Corpus
    from ..index_cache import corpus_digest, kept

    curated = Corpus(t for t in corpus if t.origin == "curated")
    learners = disk_cache.source_digest(PACKAGE / f for f in _LEARNERS)
    salt = f"{corpus_digest(curated)} {learners} scikit-learn {version('scikit-learn')}"
    return kept("draftmodel", salt, lambda: Model.fit(curated), keep=KEEP)
