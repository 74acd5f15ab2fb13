"""fetch -> import -> assess -> panel, for each release, against a local publisher that serves the
publishers' downloads in their own layout (built by tests/publisher_fixture.py from synthetic rows)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow.parquet as pq
import pytest
from publisher_fixture import atop_zip, cow_download
from typer.testing import CliRunner

from foedus import states
from foedus.cli import app

runner = CliRunner()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output




@pytest.mark.parametrize(("atop", "cow", "last_year"), [("5.1", "2024", 2024), ("4.01", "2016", 2016)])
def test_fetch_import_assess_panel(publisher, tmp_path, atop, cow, last_year):
    _ok("data", "fetch", "cow-states", "--release", cow, "--url", publisher.url)
    _ok("data", "fetch", "atop", "--release", atop, "--url", publisher.url)
    _ok("data", "import", "atop", "--release", atop)
    status = _ok("data", "status")
    assert f"member-level {atop}" in status and f"list-level {cow}" in status
    assert status.count("(not pinned)") == 2

    # the imported alliances answer: Canada's defence pact with the United States (synthetic ATOP 9001)
    answer = json.loads(_ok("assess", "--target", "USA", "--on", "2016-06-01", "--json"))
    pact = [f for f in answer["findings"] if f["treaty"] == "atop-9001"]
    assert [(f["obligor"], f["kind"]) for f in pact] == [("CAN", "defense")]
    assert answer["meta"]["releases"] == {"atop": atop, "cow-states": cow}
    later = json.loads(_ok("assess", "--target", "USA", "--on", "2018-06-01", "--json"))
    assert any(f["treaty"] == "atop-9003" for f in later["findings"]) is (atop == "5.1")  # 5.1 adds it

    # the panel needs no file options: the store's COW list and ATOP release, through the list's last year
    out = tmp_path / "dyads.parquet"
    _ok("panel", "dyad-years", "--directed", "-o", str(out))
    frame = pd.read_parquet(out)
    assert frame.year.max() == last_year
    row = frame[(frame.ccode1 == 20) & (frame.ccode2 == 2)].set_index("year")
    assert row.loc[1990, "atop_defense"] == 1 and row.loc[1940, "atop_defense"] == 0
    covered = 2018 if atop == "5.1" else 2016
    assert row.loc[covered, "atop_alliance"] == 1
    if last_year > covered:
        assert pd.isna(row.loc[last_year, "atop_defense"])  # after ATOP's coverage: missing, not 0
    meta = pq.ParquetFile(out).metadata.metadata  # the file's key-value metadata
    assert meta[b"foedus:releases"] == f"cow-states={cow},atop={atop}".encode()
    cited = _ok("cite", "--panel", str(out))
    assert f"atop={atop}" in cited and f"leeds_atop_codebook_{atop.replace('.', '_')}" in cited
    assert ("cow2024states" in cited) is (cow == "2024") and "miller2022peacesciencer" not in cited

    dta = tmp_path / "states.dta"
    _ok("panel", "state-years", "-o", str(dta))
    with pd.io.stata.StataReader(dta) as reader:
        assert reader.data_label == f"foedus state-year panel: COW states v{cow}, ATOP {atop}"
        labels = reader.variable_labels()
    assert labels["ccode"] == "COW state code"
    assert labels["atop_ndefense"] == "ATOP: number of defence partners (either direction)"
    stata_cited = _ok("cite", "--panel", str(dta))
    assert f"% releases used by states.dta: foedus state-year panel: COW states v{cow}, ATOP {atop}" in stata_cited
    assert re.findall(r"^@\w+\{([^,]+),", stata_cited, re.MULTILINE) == [
        "cow2024states" if cow == "2024" else "cow2017states", "leeds2002atop",
        f"leeds_atop_codebook_{atop.replace('.', '_')}"]
    dyads = tmp_path / "dyads.dta"
    _ok("panel", "dyad-years", "--non-directed", "--similarity", "s,tau-b", "-o", str(dyads))
    with pd.io.stata.StataReader(dyads) as reader:
        labels = reader.variable_labels()
    assert labels["atop_defense"] == "ATOP: defence obligation between the pair, either direction (0/1)"
    assert labels["s_valued_abs"] == "portfolio similarity: S (Signorino-Ritter), valued ties, absolute distance"
    assert "signorino1999tau" in _ok("cite", "--panel", str(dyads))
    csv = tmp_path / "dyads.csv"
    _ok("panel", "dyad-years", "-o", str(csv))
    refused = runner.invoke(app, ["cite", "--panel", str(csv)])
    assert refused.exit_code == 1 and "a CSV panel records no sources" in str(refused.exception)


def test_offline_import_of_the_downloads_a_user_saved(tmp_path):
    saved = tmp_path / "downloads"
    saved.mkdir()
    for name, body in (atop_zip("5.1"), cow_download("2024")):
        (saved / name).write_bytes(body)
    states.system.cache_clear()
    _ok("data", "import", "cow-states", str(saved / "States2024.zip"))
    _ok("data", "import", "atop", str(saved / "atop_5.1__.csv_.zip"))
    out = tmp_path / "states.csv"
    _ok("panel", "state-years", "--years", "2018", "-o", str(out))
    frame = pd.read_csv(out).set_index("ccode")
    assert frame.loc[2, "atop_ndefense"] == 2  # Canada (9001) and France (9003)
    status = _ok("data", "status")
    assert "member-level 5.1: atop5_1m.csv" in status and "directed dyad-year file 5.1" in status
    states.system.cache_clear()


def test_the_sweep_stops_at_the_cow_lists_last_day(publisher, tmp_path):
    _ok("data", "fetch", "cow-states", "--release", "2016", "--url", publisher.url)
    result = runner.invoke(app, ["sweep", "--on", "2017-03-01", "--out", str(tmp_path / "s.parquet")])
    assert result.exit_code == 1
    assert str(result.exception) == ("2017-03-01 is after the last day of the COW state list v2016 (2016-12-31); "
                                     "sweep dates up to it")
    out = tmp_path / "ok.parquet"
    _ok("sweep", "--on", "2016-03-01", "--out", str(out))
    assert pq.ParquetFile(out).metadata.metadata[b"foedus:releases"] == b"cow-states=2016"
