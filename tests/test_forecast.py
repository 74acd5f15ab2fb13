"""The forecast on real data: every system member scored, probabilities in (0, 1), the CLI end to end."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date

import polars as pl
import pytest
from test_cli import FOEDUS


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed program, with room for a fit on a shared machine (the other CLI tests allow 120 s)."""
    return subprocess.run(
        [FOEDUS, *args], capture_output=True, text=True, timeout=900, env={**os.environ, "COLUMNS": "160", **(env or {})}
    )

from foedus import forecast as fc
from foedus import states, store
from foedus.covariates import load
from foedus.wars import IWD_FILE, read_iwd


@pytest.fixture
def atop(cow_states, full_data):
    """ATOP v4.01 imported into the test's store, beside the real COW state list."""
    store.import_dataset(
        "atop", [full_data / "atop4_01_alliance_level.csv", full_data / "atop4_01_member_level.csv"]
    )
    return full_data


def _members(day: date) -> set[int]:
    return {c for c, spells in states.system().items() if any(i.contains(day) for i in spells)}


def test_every_system_member_but_the_dyad_is_scored_on_both_sides_with_what_happened(atop):
    cases = [c for c in read_iwd(atop / IWD_FILE) if 1864 <= c.start.year <= 1871]
    df = fc.table(cases, store.active_corpus(), atop, "test", [atop / IWD_FILE])
    for c in cases:
        rows = df.filter(pl.col("case") == c.id)
        expected = _members(c.start) - {c.initiator, c.target}
        assert set(rows["ccode"].to_list()) == expected and rows.height == 2 * len(expected)
        joined = {(r["ccode"], r["side"]) for r in rows.filter(pl.col("joined")).to_dicts()}
        assert joined == {(p.ccode, p.side) for p in c.joiners if p.ccode in expected}
    weeks = df.filter((pl.col("name") == "SevenWeeks1866") & (pl.col("side") == "B"))
    bavaria = weeks.filter(pl.col("ccode") == 245).row(0, named=True)
    assert bavaria["allied"] == 1.0  # the German Confederation bound Bavaria to Hanover


def test_disputes_counted_for_a_case_began_before_it(atop):
    cov = load(atop)
    dates, _ = cov.mids[(2, 365)]  # the United States and Russia
    day = dates[len(dates) // 2]
    before = sum(cov.disputes(2, 365, day)[:2])
    after = sum(cov.disputes(2, 365, date(day.year, day.month, min(day.day + 1, 28))))
    assert before == sum(1 for d in dates if day.replace(year=day.year - 10) <= d < day)
    assert after >= before


def test_backtest_end_to_end_on_a_few_wars(atop, tmp_path):
    png = tmp_path / "bt.png"
    out = run(
        "backtest", "--data-dir", str(atop), "--years", "1859-1871", "--bootstrap", "50", "--plot", str(png), "--json"
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    cases = [c for c in read_iwd(atop / IWD_FILE) if 1859 <= c.start.year <= 1871]
    assert doc["cases"] == len(cases) and doc["joiners"] > 0
    lowo = [m for m in doc["models"] if m["scoring"] == "leave-one-war-out"]
    assert {m["model"] for m in lowo} >= {"forecast", "nobody joins", "constant training base rate"}
    cal = doc["calibration"]["leave-one-war-out"]
    assert sum(b["n"] for b in cal) == doc["pairs"] and sum(b["joiners"] for b in cal) == doc["joiners"]
    forecast = next(m for m in lowo if m["model"] == "forecast")
    assert 0 <= forecast["auc"] <= 1 and forecast["ci"]["brier"][0] <= forecast["ci"]["brier"][1]
    assert doc["joiners_given_zero"]["leave-one-war-out"] == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    cf = doc["casus_foederis"]
    assert cf["mapped_pairs"] == len(cf["alliance_war_pairs"]) == sum(r["pairs"] for r in cf["table"]) > 0
    text = run("backtest", "--data-dir", str(atop), "--years", "1859-1871", "--bootstrap", "20")
    assert text.returncode == 0 and "within-war AUC" in text.stdout and "legal reading" in text.stdout
    assert "casus foederis" in text.stdout


def test_forecast_end_to_end_scores_every_member_and_explains(atop):
    out = run(
        "forecast",
        "--target",
        "255",
        "--attacker",
        "220",
        "--on",
        "1870-07-19",
        "--data-dir",
        str(atop),
        "--top",
        "0",
        "--explain",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["reading"].startswith("forecast")
    ids = {s["state"] for s in doc["states"]}
    assert len(ids) == len(_members(date(1870, 7, 19))) - 2
    for s in doc["states"]:
        assert 0 < s["joins_target_side"] < 1 and 0 < s["joins_attacker_side"] < 1
        assert s["joins_target_side"] + s["joins_attacker_side"] == pytest.approx(s["joins_either"])
        assert {w["feature"] for side in s["why"].values() for w in side} <= set(fc.FEATURES)
    assert doc["expected_joiners"] == pytest.approx(sum(s["joins_either"] for s in doc["states"]))
    text = run("forecast", "--target", "255", "--attacker", "220", "--on", "1870-07-19", "--data-dir", str(atop))
    assert text.returncode == 0 and "not a legal reading" in text.stdout


def test_cascade_says_it_is_a_legal_reading_not_a_forecast():
    doc = json.loads(run("cascade", "--target", "PRK", "--attacker", "KOR", "--on", "2025-03-01", "--json").stdout)
    assert "not a forecast" in doc["reading"]
    assert "not a forecast" in run("cascade", "--target", "PRK", "--attacker", "KOR", "--on", "2025-03-01").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("backtest",), "no reference data"),
        (("backtest", "--data-dir", "/nonexistent"), "not found"),
        (("backtest", "--data-dir", "{data}", "--years", "1990-1980"), "is after"),
        (("backtest", "--data-dir", "{data}", "--plot", "out.pdf"), "PNG"),
        (("forecast", "--target", "255", "--attacker", "220", "--on", "1870-07-19", "--data-dir", "{data}"), "ATOP"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(full_data, cow_states, args, message):
    out = run(*(a.format(data=full_data) for a in args), env={"FOEDUS_REFERENCE_DATA": ""})
    assert out.returncode == 1 and message in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_simulate_with_the_forecast_reproduces_its_probabilities(atop):
    args = ("--target", "255", "--attacker", "220", "--on", "1870-07-19", "--data-dir", str(atop))
    fc_doc = json.loads(run("forecast", *args, "--top", "0", "--json").stdout)
    out = run("simulate", "--forecast", *args, "--draws", "200000", "--seed", "3", "--json")
    assert out.returncode == 0, out.stderr
    sim = {s["state"]: s for s in json.loads(out.stdout)["states"]}
    for s in fc_doc["states"]:
        for key, side in (("joins_target_side", "defender"), ("joins_attacker_side", "aggressor")):
            p = s[key]
            assert abs(sim[s["state"]][side] - p) < 5 * (p * (1 - p) / 200_000) ** 0.5 + 2**-15
    doc = json.loads(out.stdout)
    assert sum(doc["war_size"].values()) == pytest.approx(1.0)
    assert doc["mean_war_size"] == pytest.approx(2 + fc_doc["expected_joiners"], abs=0.02)


def test_disputes_are_scored_in_folds_and_time_splits(atop):
    from foedus import backtest as bt
    from foedus.wars import MID_FILE, read_mids

    cases = [c for c in read_mids(atop / MID_FILE) if c.start.year in (1940, 1941, 1950, 1951)]
    df = fc.table(cases, store.active_corpus(), atop, "mids-test", [atop / MID_FILE])
    scorings = bt.dispute_scorings(df, atop, folds=3)
    assert [s.label for s in scorings] == [
        "disputes, 3-fold by dispute",
        "disputes, fit <1946, score 1946+",
        "disputes, fit 1946+, score <1946",
    ]
    folds = scorings[0].pairs
    assert folds.height == df.height // 2 and folds["case"].n_unique() == len({c.id for c in cases})
    assert ((folds["p_any"] > 0) & (folds["p_any"] < 1)).all()


def test_a_dispute_number_never_selects_a_wars_fulfilment_cases(atop):
    from foedus.wars import MID_FILE, read_mids

    mids = read_mids(atop / MID_FILE)
    cases = [c for c in mids if c.id in (4, 20, 22, 23, 69) or c.start.year == 1950]  # the first five are also war numbers
    df = fc.table(cases, store.active_corpus(), atop, "mids-test", [atop / MID_FILE])
    numbers = df["case"].unique().to_list()
    assert fc.bf_rates(atop, numbers) != fc.bf_rates(atop, ())
    assert fc.fit(df, atop).rates == fc.bf_rates(atop, numbers)
    assert fc.fit(df, atop, bf_wars=()).rates == {"defense": 0.5, "offense": 0.5}


def test_the_legal_reading_is_checked_against_the_casus_foederis_coding_pair_by_pair(atop):
    """Each Berkemeier–Fuhrmann pair of the scored wars is counted once; two pairs checked by hand."""
    from foedus import backtest as bt
    from foedus.corpus.loader import Corpus
    from foedus.reliability import BF_FILE

    cases = [c for c in read_iwd(atop / IWD_FILE) if c.name in ("SixDay_1967", "Falklands1982")]
    corpus = store.active_corpus()
    df = fc.table(cases, corpus, atop, "test", [atop / IWD_FILE])
    cf = bt.casus_foederis(df, corpus, atop)
    raw = pl.read_csv(atop / BF_FILE, infer_schema_length=None)
    coded = raw.filter(pl.col("dnaBF").is_null() | (pl.col("cfnaBF") == 1))
    assert cf["coded_pairs"] == coded.height
    ours = coded.filter(pl.col("warid").is_in([c.id for c in cases]))
    assert cf["unmapped"]["war not scored"] == coded.height - ours.height
    assert cf["mapped_pairs"] + sum(cf["unmapped"].values()) == cf["coded_pairs"]
    keys = [(p["war"], p["atop_id"]) for p in cf["alliance_war_pairs"]]
    assert len(keys) == len(set(keys)) == cf["mapped_pairs"]
    assert sum(r["pairs"] for r in cf["table"]) == cf["mapped_pairs"]
    for r in cf["table"]:
        assert sum(r[k] for k in bt.FINDINGS) == r["pairs"]
        rows = [p for p in cf["alliance_war_pairs"] if p["met"] is (r["bf"] == "met")]
        assert r["agree"] == sum(p["agree"] for p in rows)
        assert r["pairs_answered"] == r["pairs"] - r["no finding"]
    for p in cf["alliance_war_pairs"]:
        assert p["agree"] is (p["finding"] in ("obligated", "conditional") if p["met"] else p["finding"] != "obligated")
    pair = {(p["war"], p["atop_id"]): p for p in cf["alliance_war_pairs"]}
    six_day, falklands = (next(c.id for c in cases if c.name == n) for n in ("SixDay_1967", "Falklands1982"))
    arab_league = pair[(six_day, 3205)]  # Art. 2 binds every party "without delay"; Israel attacked Egypt
    assert arab_league["met"] and arab_league["finding"] == "obligated" and arab_league["agree"]
    nato = pair[(falklands, 3180)]  # the backtest places the attack on British home territory, not the islands
    assert not nato["met"] and nato["finding"] == "obligated" and not nato["agree"]
    without = bt.casus_foederis(df, Corpus([t for t in corpus if 3180 not in t.atop_ids]), atop)
    assert without["unmapped"]["alliance not in the store"] == 1 and without["mapped_pairs"] == cf["mapped_pairs"] - 1


def test_the_feature_tables_name_changes_with_the_rules_that_make_it(tmp_path, monkeypatch):
    """A changed rule module (or feature module) keys another feature table: no stale findings are read."""
    from foedus import Corpus, index_cache

    rule = tmp_path / "rule.py"
    rule.write_text("binds = True\n")
    monkeypatch.setattr(index_cache, "RULES", (*index_cache.RULES, str(rule)))  # an absolute path stays itself
    before = fc._digest([], [], Corpus([]))
    assert fc._digest([], [], Corpus([])) == before
    rule.write_text("binds = False\n")
    assert fc._digest([], [], Corpus([])) != before
