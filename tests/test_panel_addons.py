"""Add-ons beside ATOP in peacesciencer's naming: COW major powers and COW inter-state wars."""

from __future__ import annotations

import polars as pl
import pytest

from foedus import panel as P
from foedus.errors import DataError, FoedusError
from foedus.panel_addons import add_cow_majors, add_cow_wars


@pytest.fixture
def states_file(shared_data):
    return shared_data / "states2016.csv"


def test_major_powers_on_state_and_dyad_years(shared_data, states_file):
    majors = shared_data / "majors2016.csv"
    sy = P.create_state_years((1939, 1946), states_file=states_file).pipe(add_cow_majors, majors)
    by = {(r["ccode"], r["year"]): r["cowmaj"] for r in sy.frame.iter_rows(named=True)}
    assert by[(2, 1939)] == by[(365, 1946)] == 1
    assert by[(740, 1945)] == 1 and (740, 1946) not in by  # Japan: a major power to August 1945, occupied after
    assert by[(710, 1946)] == 0 and by[(325, 1944)] == 0  # China from 1950; Italy to September 1943
    assert set(sy.frame["cowmaj"].unique()) == {0, 1} and "cow-majors" in sy.sources
    dy = P.create_dyad_years((1950, 1950), states_file=states_file).pipe(add_cow_majors, majors)
    row = dy.frame.filter(pl.col("ccode1") == 2, pl.col("ccode2") == 20).row(0, named=True)
    assert (row["cowmaj1"], row["cowmaj2"]) == (1, 0)


def test_wars_on_dyad_years(shared_data, states_file):
    wars = shared_data / "cow_interstate_war_v4.0_dyad_year_peacesciencer.csv"
    dy = P.create_dyad_years((1950, 1953), states_file=states_file).pipe(add_cow_wars, wars)
    korea = dy.frame.filter(pl.col("ccode1") == 2, pl.col("ccode2") == 731)
    assert korea["cowinterongoing"].to_list() == [1, 1, 1, 1] and korea["cowinteronset"].to_list()[0] == 1
    assert korea["warnum"].unique().to_list() == [151]  # the Korean War
    calm = dy.frame.filter(pl.col("ccode1") == 2, pl.col("ccode2") == 20)
    assert calm["cowinterongoing"].to_list() == [0] * 4 and calm["warnum"].null_count() == 4
    raw = pl.read_csv(wars)
    at_war = raw.filter(pl.col("year").is_between(1950, 1953)).select("ccode1", "ccode2", "year").unique()
    assert dy.frame["cowinterongoing"].sum() == at_war.join(dy.frame, on=["ccode1", "ccode2", "year"]).height
    with pytest.raises(FoedusError, match=r"add_cow_wars\(\) needs a dyad-year panel"):
        P.create_state_years((1950, 1950), states_file=states_file).pipe(add_cow_wars, wars)
    with pytest.raises(DataError, match="not a COW inter-state war dyad-year file"):
        dy.pipe(add_cow_wars, shared_data / "majors2016.csv")


def test_cli_adds_them_and_cites_them(shared_data, states_file, tmp_path):
    import pandas as pd
    from typer.testing import CliRunner

    from foedus.cli import app

    out = tmp_path / "dyads.dta"
    runner = CliRunner()
    result = runner.invoke(app, ["panel", "dyad-years", "--years", "1951", "--no-alliances", "--states-file",
                                 str(states_file), "--cow-majors", str(shared_data / "majors2016.csv"), "--cow-wars",
                                 str(shared_data / "cow_interstate_war_v4.0_dyad_year_peacesciencer.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_stata(out)
    assert {"cowmaj1", "cowmaj2", "cowinterongoing", "warnum"} <= set(frame.columns)
    with pd.io.stata.StataReader(out) as reader:
        assert reader.variable_labels()["cowmaj1"] == "COW major power: ccode1 (0/1)"
    cited = runner.invoke(app, ["cite", "--panel", str(out)]).output
    assert "cow2017majors" in cited and "sarkees2010resort" in cited
