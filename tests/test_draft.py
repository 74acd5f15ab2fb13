"""foedus draft: news-style reports and a treaty text in, draft codings out (tests/data/draft/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from foedus.corpus.loader import bundled, load_treaty_file
from foedus.draft.evaluate import expected_misses
from foedus import disk_cache
from foedus.draft import learn
from foedus.draft.learn import Model
from foedus.draft.output import to_yaml
from foedus.draft.propose import draft
from foedus.draft.reading import read

DATA = Path(__file__).parent / "data" / "draft"
EXPECTED = sorted(DATA.glob("*.expected.yaml"))
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def model() -> Model:
    return Model.fit(bundled())


def _source(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.yaml")
    return next(p for p in DATA.glob(f"{stem}.*") if not p.name.endswith(".expected.yaml"))


def _cases() -> list:
    """Each expected coding; one whose ``known_miss`` says where the drafter departs from it is
    expected to fail (strictly: the test says so when the drafter starts getting it right)."""
    out = []
    for p in EXPECTED:
        miss = yaml.safe_load(p.read_text()).get("known_miss")
        marks = [pytest.mark.xfail(strict=True, reason=miss)] if miss else []
        out.append(pytest.param(p, marks=marks, id=p.name.removesuffix(".expected.yaml")))
    return out


@pytest.mark.parametrize("expected", _cases())
def test_draft_matches_the_expected_coding(expected, model):
    d = draft(read(str(_source(expected))), bundled(), model)
    assert expected_misses(d, yaml.safe_load(expected.read_text())) == []


def test_russia_dprk_report_proposes_the_2024_coding_with_its_evidence(model):
    d = draft(read(str(DATA / "rus-prk-2024-wire.txt")), bundled(), model)
    art4 = next(o for o in d.obligations if o.article == "4")
    assert art4.trigger.span == "state of war"
    assert art4.timing.span == "without delay"
    assert "all means in its possession" in d.readings[0].passage.text
    texts = sorted(c.span for c in art4.conditions)
    assert texts == ["in accordance with Article 51 of the UN Charter", "the laws of the DPRK and the Russian Federation"]
    assert not [o for o in d.obligations if o.article == "3" and o.kind.value == "defense"]
    assert d.same_as == "rus-prk-2024"


def test_the_draft_file_is_a_valid_treaty_file_with_uncertain_fields_marked(model, tmp_path):
    d = draft(read(str(DATA / "rus-prk-2024-wire.txt")), bundled(), model)
    path = tmp_path / "rus-prk-2024-draft.yaml"
    path.write_text(to_yaml(d, d.treaty("rus-prk-2024-draft")))
    t = load_treaty_file(path)
    assert {m.state for m in t.parties} == {"RUS", "PRK"}
    assert str(t.signed) == "2024-06-19"
    in_force_line = next(line for line in path.read_text().splitlines() if line.startswith("in_force:"))
    assert "UNCERTAIN" in in_force_line  # the report gives no entry into force: the signature date stands in
    assert t.article("4").verified == "unverified"


def test_a_statement_without_means_is_coded_unknown_not_guessed(model):
    d = draft(read(str(DATA / "pak-sau-2025-wire.html")), bundled(), model)
    (ob,) = d.obligations
    assert ob.means.value == "unknown" and ob.timing.value == "unknown"
    assert ob.means.uncertain
    assert "Advertisement" not in "".join(r.passage.text for r in d.readings)  # trafilatura kept the article only


def test_a_multilateral_text_that_names_no_state_leaves_the_parties_unknown(model, tmp_path):
    src = tmp_path / "pact.txt"
    src.write_text("Article 1\nThe Parties will consult together whenever the security of any of them is threatened.\n"
                   "Article 2\nThe Parties shall settle their disputes by peaceful means.\n")
    d = draft(read(str(src)), bundled(), model)
    assert d.parties.value is None and d.signed.value is None
    assert [(o.article, o.kind.value) for o in d.obligations] == [("1", "consultation")]
    assert d.treaty("pact").parties == ()


def _kinds(m: Model, text: str) -> dict[str, float]:
    return {k: m.kind_probability(k, text) for k in learn.KINDS}


def test_the_fitted_model_is_kept_on_disk_and_a_damaged_or_stale_copy_is_fitted_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path))
    text = "Should either Party be attacked, the other shall immediately render all the aid in its power."
    first = learn.fitted(bundled())
    (copy,) = (tmp_path / "cache").glob("draftmodel-*.pickle")
    fits = []
    monkeypatch.setattr(Model, "fit", classmethod(lambda cls, ts: fits.append(1) or Model()))
    again = learn.fitted(bundled())  # as a second process: read back, not fitted
    assert fits == [] and again.treaties == first.treaties and _kinds(again, text) == _kinds(first, text)
    copy.write_bytes(copy.read_bytes()[:-10])  # damaged: its digest no longer matches, so it is fitted again
    assert disk_cache.read(copy) is None
    learn.fitted(bundled())
    assert fits == [1]
    fewer = [t for t in bundled() if t.id != "nato-1949"]  # another corpus names another copy
    learn.fitted(fewer)
    assert fits == [1, 1] and len(list((tmp_path / "cache").glob("draftmodel-*.pickle"))) == 2


def _foedus(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-c", "from foedus.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, input=stdin, timeout=600)


def test_cli_draft_compare_json_and_output_file(tmp_path):
    out = tmp_path / "rus-prk-draft.yaml"
    r = _foedus("draft", str(DATA / "rus-prk-2024-wire.txt"), "--compare", "sun-prk-1961", "--json", "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["parties"]["value"] == ["PRK", "RUS"]
    assert doc["comparison"]["b"]["id"] == "sun-prk-1961"
    diffs = {(d["kind"], d["field"]): (d["a"], d["b"]) for d in doc["comparison"]["differences"]}
    assert diffs[("defense", "timing")] == ("without-delay", "immediate")
    assert ("defense", "strength") not in diffs  # both A-AUTO
    assert load_treaty_file(out).id == "rus-prk-draft"


def test_cli_draft_bad_input_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "x.yaml"
    r = _foedus("draft", str(tmp_path / "missing.txt"), "-o", str(out))
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [f"foedus: error: {tmp_path / 'missing.txt'}: no such file"]
    assert not out.exists()
    r = _foedus("draft", "-", stdin="   \n")
    assert r.returncode == 1 and r.stderr.startswith("foedus: error: <stdin>: the input is empty")
    r = _foedus("draft")
    assert r.returncode == 1 and "give a treaty text" in r.stderr and "Traceback" not in r.stderr
