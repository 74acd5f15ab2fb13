"""Invariants of foedus draft on generated texts, and the leave-one-treaty-out measurement."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from foedus.corpus.loader import bundled
from foedus.draft.evaluate import evaluate
from foedus.draft.learn import UNKNOWN_BELOW, Model
from foedus.draft.output import to_yaml
from foedus.draft.propose import draft
from foedus.draft.reading import _quoted_spans, document
from foedus.model import Kind, Means, Obligation, Treaty
from foedus.strength import strength

PHRASES = (
    "In case either Party is attacked", "an armed attack against one of them", "the Parties will consult together",
    "shall immediately render military and other assistance with all the means at its disposal",
    "such action as it deems necessary, including the use of armed force", "without delay",
    "in accordance with Article 51 of the UN Charter", "in accordance with its constitutional processes",
    "to meet the common danger", "whenever the security of either is threatened", "in Europe or North America",
    "the treaty shall remain in force for ten years", "between the French Republic and the Italian Republic",
    "signed on 3 March 2026", "entered into force on 1 May 2026", "at the request of the attacked Party",
)
MODEL = Model.fit(bundled())

texts = st.lists(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=6).map(", ".join), min_size=1, max_size=3)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_every_draft_follows_the_rubric_and_writes_a_file_that_reads_back_equal(articles):
    raw = "".join(f"Article {i}\n{body}.\n" for i, body in enumerate(articles, start=1))
    d = draft(document(raw, "generated.txt"), bundled(), MODEL)
    for ob in d.obligations:
        assert ob.strength.value == strength(Obligation(id="x", kind=Kind(ob.kind.value), means=Means(ob.means.value))).label
        for p in (ob.trigger, ob.means, ob.timing):
            assert p.value == "unknown" or p.confidence >= UNKNOWN_BELOW
    treaty = d.treaty("generated")
    text = to_yaml(d, treaty)
    if treaty.parties and treaty.obligations:
        assert Treaty.model_validate(yaml.safe_load(text)) == treaty
    else:  # an unfinished draft is written for review, and refused until parties and obligations are added
        with pytest.raises(ValidationError, match="at least one"):
            Treaty.model_validate(yaml.safe_load(text))


@given(st.text(alphabet=st.sampled_from('ab "“”.'), max_size=40))
def test_quoted_spans_are_ordered_and_disjoint(text):
    spans = _quoted_spans(text)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
        assert s1 <= e1 < s2 <= e2
    for s, e in spans:
        assert '"' not in text[s:e] and "”" not in text[s:e]


def test_leave_one_treaty_out_never_trains_on_the_treaty_it_codes(monkeypatch):
    corpus = [bundled().get(t) for t in ("sun-prk-1961", "prc-prk-1961", "rus-prk-2024", "nato-1949", "usa-jpn-1960",
                                         "usa-kor-1953", "warsaw-1955", "csto-1992")]
    fitted: list[tuple[str, ...]] = []
    original = Model.fit.__func__

    def spy(cls, treaties):
        m = original(cls, treaties)
        fitted.append(m.treaties)
        return m

    monkeypatch.setattr(Model, "fit", classmethod(spy))
    report = evaluate(corpus)
    assert report.treaties == len(corpus) == len(fitted)
    assert all(t.id not in seen for t, seen in zip(corpus, fitted, strict=True))
    assert report.scores["kind"].n == sum(len(t.articles) for t in corpus)
    for s in report.scores.values():
        assert 0 <= s.accuracy <= 1 and 0 <= s.ece <= 1
    doc = json.loads(json.dumps(report.as_json()))
    assert doc["fields"]["kind"]["n"] == report.scores["kind"].n
    assert sum(b["n"] for b in doc["fields"]["kind"]["bins"]) == report.scores["kind"].n
