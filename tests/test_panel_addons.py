"""Add-ons beside ATOP in peacesciencer's naming: COW major powers, COW inter-state wars, GML disputes."""

from __future__ import annotations

import csv
from datetime import date

import polars as pl
import pytest

from foedus import panel as P
from foedus.errors import DataError, FoedusError
from foedus.panel_addons import add_cow_majors, add_cow_wars, add_gml_mids

MIDS = "gml_mid_participants_2.2.1_peacesciencer.csv"


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
                                 str(shared_data / "cow_interstate_war_v4.0_dyad_year_peacesciencer.csv"),
                                 "--gml-mids", str(shared_data / MIDS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_stata(out)
    assert {"cowmaj1", "cowmaj2", "cowinterongoing", "warnum", "sidea1", "gmlmidongoing", "gmlmidonset", "dispnum",
            "hiact1"} <= set(frame.columns)
    with pd.io.stata.StataReader(out) as reader:
        assert reader.variable_labels()["cowmaj1"] == "COW major power: ccode1 (0/1)"
    cited = runner.invoke(app, ["cite", "--panel", str(out)]).output
    assert "cow2017majors" in cited and "sarkees2010resort" in cited and "gibler2016mid" in cited



def _mid_pairs_by_hand(path) -> tuple[set, set]:
    """Straight from the participant rows: (a, b, year) in a dispute on opposite sides on a common day,
    and the (a, b, year) of each pair's first year in each dispute."""
    def day(r, y, m, d, dummy):
        return date(int(r[y]), int(r[m]), int(r[d]) if int(r[d]) > 0 else int(r[dummy]))

    by: dict[str, list] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            span = (day(r, "styear", "stmon", "stday", "dummy_stday"), day(r, "endyear", "endmon", "endday", "dummy_endday"))
            by.setdefault(r["dispnum"], []).append((int(r["ccode"]), r["sidea"], span))
    ongoing, onset = set(), set()
    for rows in by.values():
        for a, side_a, (sa, ea) in rows:
            for b, side_b, (sb, eb) in rows:
                first, last = max(sa, sb), min(ea, eb)
                if side_a != side_b and first <= last:
                    ongoing |= {(a, b, y) for y in range(first.year, last.year + 1)}
                    onset.add((a, b, first.year))
    return ongoing, onset


def test_gml_disputes_on_dyad_years(shared_data, states_file):
    mids = shared_data / MIDS
    dy = P.create_dyad_years((1950, 1953), states_file=states_file).pipe(add_gml_mids, mids)
    ongoing, onset = _mid_pairs_by_hand(mids)
    rows = {(r["ccode1"], r["ccode2"], r["year"]): r for r in dy.frame.iter_rows(named=True)}
    assert {k for k, r in rows.items() if r["gmlmidongoing"]} == ongoing & rows.keys()
    assert {k for k, r in rows.items() if r["gmlmidonset"]} == onset & rows.keys()
    assert rows[(2, 731, 1950)]["gmlmidonset"] == 1  # the United States and North Korea, June 1950
    assert rows[(2, 20, 1950)]["gmlmidongoing"] == 0 and rows[(2, 20, 1950)]["dispnum"] is None
    assert set(dy.frame["gmlmidongoing"].unique()) == {0, 1} and "gml-mids" in dy.sources
    with pytest.raises(FoedusError, match=r"add_gml_mids\(\) needs a dyad-year panel"):
        P.create_state_years((1950, 1950), states_file=states_file).pipe(add_gml_mids, mids)
    with pytest.raises(DataError, match="not a GML MID participant file"):
        dy.pipe(add_gml_mids, shared_data / "majors2016.csv")

