"""The cascade, simulate and sweep commands end to end: the installed `foedus` program in a subprocess."""

from __future__ import annotations

import json

import polars as pl
import pyarrow.parquet as pq
import pytest
from test_cli import run

KOREA = ("--target", "PRK", "--attacker", "KOR", "--on", "2025-03-01")


def test_cascade_shows_each_round_and_the_article_that_brought_each_state_in():
    out = run("cascade", *KOREA)
    assert out.returncode == 0, out.stderr
    assert "rus-prk-2024 art. 4" in out.stdout and "prc-prk-1961 art. II" in out.stdout
    assert "csto-1992" not in out.stdout  # Russia fights abroad: CSTO Art. 4 does not say it covers forces there
    grown = run("cascade", *KOREA, "--conditional")
    assert "csto-1992 art. 4" in grown.stdout  # round 2: Russia's allies, conditionally


def test_cascade_says_where_joiners_are_attacked_and_follows_only_the_clauses_that_reach_there():
    out = run("cascade", "--target", "KOR", "--attacker", "PRK", "--on", "2025-03-01", "--json")
    doc = json.loads(out.stdout)
    assert "AUS" in doc["defenders"] and "CAN" not in doc["defenders"]
    aus = next(e for e in doc["entries"] if e["state"] == "AUS")
    assert any("forces in the theatre of war" in r for f in aus["findings"] for r in f["reasons"])
    text = run("cascade", "--target", "KOR", "--attacker", "PRK", "--on", "2025-03-01").stdout
    assert "attacked in its" in text and "administered" in text and "South Korea" in text


def test_cascade_json():
    doc = json.loads(run("cascade", *KOREA, "--json").stdout)
    assert doc["aggressors"] == ["KOR"] and doc["defenders"][:3] == ["PRK", "CHN", "RUS"]
    rus = next(e for e in doc["entries"] if e["state"] == "RUS")
    assert (rus["round"], rus["findings"][0]["article"], rus["findings"][0]["status"]) == (1, "4", "obligated")
    assert doc["conflicts"] == [] and doc["threshold"] == "obligated"


def test_simulate_is_reproducible_with_a_seed():
    one, two, other = (run("simulate", *KOREA, "--draws", "20000", "--seed", s, "--json") for s in ("7", "7", "8"))
    assert one.returncode == 0, one.stderr
    assert one.stdout == two.stdout != other.stdout
    rus = next(r for r in json.loads(one.stdout)["states"] if r["state"] == "RUS")
    assert 0.2 < rus["defender"] < 0.33


def test_simulate_on_a_local_dask_cluster_gives_the_in_process_answer():
    local = run("simulate", *KOREA, "--draws", "70000", "--seed", "3", "--json")
    remote = run("simulate", *KOREA, "--draws", "70000", "--seed", "3", "--json", "--dask", "local")
    assert remote.returncode == 0, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)


def test_explain_priors_prints_the_estimates_and_their_source():
    out = run("simulate", "--explain-priors")
    assert out.returncode == 0
    assert "0.262" in out.stdout and "0.714" in out.stdout and "Berkemeier" in out.stdout


def test_simulate_with_an_overrides_file(tmp_path):
    f = tmp_path / "ov.yaml"
    f.write_text("states: {Russia: 1.0, China: 0.0}\ntreaties: {csto-1992: 0.0}\n")
    doc = json.loads(run("simulate", *KOREA, "--draws", "1000", "--overrides", str(f), "--json").stdout)
    p = {r["state"]: r["defender"] for r in doc["states"]}
    assert (p["RUS"], p["CHN"], p.get("KAZ", 0.0)) == (1.0, 0.0, 0.0)  # Kazakhstan is bound to Russia by CSTO only


def test_sweep_writes_parquet(cow_states, tmp_path):
    # the sweep stops at the COW list's last day: a 2025 sweep needs a list that runs past 2016, so this
    # synthetic one carries v2016's spells still open at its end on to 2024-12-31
    listed = pl.read_csv(cow_states / "cow-states" / "states2016.csv")
    still = (pl.col("endyear") == 2016) & (pl.col("endmonth") == 12) & (pl.col("endday") == 31)
    listed.with_columns(pl.when(still).then(2024).otherwise(pl.col("endyear")).alias("endyear"),
                        pl.lit(2024).alias("version")).write_csv(cow_states / "cow-states" / "statelist.csv")
    out = tmp_path / "[bold]runs :smile:" / "s.parquet"  # what rich would read as markup and an emoji code
    out.parent.mkdir()
    env = {"FOEDUS_DATA_DIR": str(cow_states)}
    late = run("sweep", "--on", "2025-03-01", "--out", str(out), env=env)
    assert late.returncode == 1 and "after the last day of the COW state list v2024 (2024-12-31)" in late.stderr
    done = run("sweep", "--on", "2024-12-31", "--out", str(out), env=env)  # Russia-DPRK in force since 2024-12-04
    assert done.returncode == 0, done.stderr
    df = pl.read_parquet(out, glob=False)
    wars = df.select("attacker", "target").unique().height
    n = df.filter(pl.col("round") == 0)["state"].n_unique()
    assert wars == n * (n - 1) and done.stdout == f"wrote {df.height:,} rows to {out}\n"
    assert pq.ParquetFile(out).metadata.metadata[b"foedus:releases"] == b"cow-states=2024"  # key-value metadata
    rus = df.filter(pl.col("attacker") == "KOR", pl.col("target") == "PRK", pl.col("state") == "RUS")
    assert rus.select("side", "round").row(0) == ("defender", 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", *KOREA, "--dask", "remote"], "bad --dask: 'remote'"),
        (["simulate", *KOREA, "--draws", "0"], "bad --draws: 0"),
        (["simulate", "--on", "2025-03-01"], "Missing option '--target'"),
        (["simulate", *KOREA, "--overrides", "/nonexistent/ov.yaml"], "/nonexistent/ov.yaml: cannot read"),
        (
            ["simulate", *KOREA, "--scheduler", "tcp://127.0.0.1:9"],
            "cannot reach the dask scheduler at tcp://127.0.0.1:9",
        ),
        (["sweep", "--years", "1990-80"], "bad --years: '1990-80'"),
        (["sweep", "--on", "2016-01-01"], "run `foedus data fetch cow-states` first"),
        (["cascade", "--target", "Atlantis"], "unknown state: 'Atlantis'"),
    ],
)
def test_bad_input_gives_one_line_and_exit_1(args, message, tmp_path):
    out = run(*args, env={"FOEDUS_DATA_DIR": str(tmp_path)})
    assert out.returncode == 1, out.stdout
    assert message in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.parquet"))
