"""Dyad-year and state-year panels built from the real COW state list and ATOP 5.1 dyad-year file."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus import panel as P
from foedus import similarity as sim
from foedus import states
from foedus.errors import DataError, FoedusError

ATOP = "atop5_1_ddyr_obligations_peacesciencer.csv"
KEY = ["ccode1", "ccode2", "year"]


@pytest.fixture
def files(shared_data: Path) -> tuple[Path, Path]:
    return shared_data / "states2016.csv", shared_data / ATOP


@cache
def _full(states_file: Path, atop_file: Path, directed: bool) -> P.Panel:
    return P.create_dyad_years(directed=directed, states_file=states_file).pipe(P.add_atop_alliance, atop_file)


@cache
def _spells(states_file: Path) -> dict:
    return states.read_cow_states(states_file)


def _share_a_day(spells: dict, a: int, b: int, year: int) -> bool:
    """Independent of the panel code: do two states' membership spells share a day of the year?"""
    year_start, year_end = date(year, 1, 1), date(year + 1, 1, 1)
    return any(
        max(sa.start, sb.start, year_start) < min(sa.end or year_end, sb.end or year_end, year_end)
        for sa in spells.get(a, ())
        for sb in spells.get(b, ())
    )


def test_directed_panel_row_count_and_no_self_or_duplicate_dyads(files):
    frame = P.create_dyad_years(states_file=files[0]).frame
    assert frame.height == 1_912_290
    assert frame.filter(pl.col("ccode1") == pl.col("ccode2")).height == 0
    assert frame.select(pl.struct(KEY).is_duplicated().any()).item() is False


def test_non_directed_is_the_lower_half_of_directed(files):
    directed = P.create_dyad_years(states_file=files[0])
    nondirected = P.create_dyad_years(directed=False, states_file=files[0])
    assert nondirected.frame.height == directed.frame.height // 2
    assert nondirected.frame.equals(directed.frame.filter(pl.col("ccode1") < pl.col("ccode2")))
    assert (directed.directed, nondirected.directed, directed.unit, directed.years) == (True, False, "dyad-year",
                                                                                         (1816, 2016))


def test_members_in_the_same_year_but_never_on_the_same_day_are_not_a_dyad(files):
    dyads = P.create_dyad_years((1975, 1975), states_file=files[0]).frame
    members = P.create_state_years((1975, 1975), states_file=files[0]).frame
    assert {115, 817} <= set(members["ccode"].to_list())  # Suriname joined after South Vietnam ended
    assert dyads.filter(pl.col("ccode1") == 115, pl.col("ccode2") == 817).height == 0
    assert dyads.filter(pl.col("ccode1") == 817, pl.col("ccode2") == 115).height == 0


@pytest.mark.parametrize("year", [1816, 1871, 1919, 1945, 1975, 1991, 2016])
def test_dyads_are_exactly_the_pairs_sharing_a_membership_day(files, year):
    spells = _spells(files[0])
    members = P.create_state_years((year, year), states_file=files[0]).frame["ccode"].to_list()
    expected = {(a, b) for a in members for b in members if a != b and _share_a_day(spells, a, b, year)}
    got = P.create_dyad_years((year, year), states_file=files[0]).frame
    assert set(zip(got["ccode1"].to_list(), got["ccode2"].to_list(), strict=True)) == expected


def test_atop_flags_equal_the_atop_51_dyad_year_file(files):
    """No row lost, none duplicated; every ATOP row of a COW dyad-year carried over unchanged."""
    panel = _full(*files, True).frame
    raw = pd.read_csv(files[1])
    assert panel.height == 1_912_290
    merged = raw.merge(panel.to_pandas(), on=KEY, how="inner", suffixes=("_raw", ""))
    for col in P.OBLIGATIONS:
        assert (merged[f"{col}_raw"] == merged[col]).all(), col
    assert (merged["atop_alliance"] == 1).all()
    absent = panel.join(pl.from_pandas(raw[KEY]).cast(pl.Int32), on=KEY, how="anti")
    assert absent.height == panel.height - len(merged)
    assert absent.select(pl.col(P.ATOP_COLUMNS).max()).row(0) == (0,) * len(P.ATOP_COLUMNS)


def test_atop_rows_left_out_are_outside_the_state_system(files):
    """Every ATOP row not in the panel is a year outside 1816-2016 or a pair never members on a same day."""
    panel = _full(*files, True).frame
    raw = pl.read_csv(files[1]).cast({c: pl.Int32 for c in KEY})
    left_out = raw.join(panel.select(KEY), on=KEY, how="anti")
    outside_years = left_out.filter(~pl.col("year").is_between(1816, 2016))
    assert set(outside_years["year"].unique().to_list()) == {1815, 2017, 2018}
    spells = _spells(files[0])
    inside = left_out.filter(pl.col("year").is_between(1816, 2016))
    assert inside.height > 0  # e.g. Uruguay before 1882, Hanover, Kiribati before 1999
    member_years = P.create_state_years(states_file=files[0]).frame.with_columns(member=pl.lit(True))
    for side in ("ccode1", "ccode2"):
        inside = inside.join(member_years.rename({"ccode": side, "member": f"member_{side}"}), on=[side, "year"],
                             how="left")
    # in this data every such row has a state that was not a system member at all that year
    assert inside.filter(pl.col("member_ccode1") & pl.col("member_ccode2")).height == 0
    for a, b, y in inside.select(KEY).unique().iter_rows():
        assert not _share_a_day(spells, a, b, y), (a, b, y)


def test_non_directed_takes_either_direction(files):
    directed = _full(*files, True).frame.to_pandas().set_index(KEY)
    nondirected = _full(*files, False).frame.to_pandas()
    # France pledged to defend Belgium in 1832; Belgium made no pledge to France
    assert directed.loc[(211, 220, 1832), "atop_defense"] == 0
    assert directed.loc[(220, 211, 1832), "atop_defense"] == 1
    row = nondirected.set_index(KEY).loc[(211, 220, 1832)]
    assert row["atop_defense"] == 1
    forward = directed.loc[list(zip(nondirected.ccode1, nondirected.ccode2, nondirected.year, strict=True))]
    backward = directed.loc[list(zip(nondirected.ccode2, nondirected.ccode1, nondirected.year, strict=True))]
    for col in P.ATOP_COLUMNS:
        assert (nondirected[col].to_numpy() == np.maximum(forward[col].to_numpy(), backward[col].to_numpy())).all()


def test_values_outside_coverage_are_missing_not_zero(files, tmp_path):
    truncated = tmp_path / "atop_to_1900.csv"
    pl.read_csv(files[1]).filter(pl.col("year") <= 1900).write_csv(truncated)
    panel = P.create_dyad_years((1890, 1910), states_file=files[0]).pipe(
        P.add_atop_alliance, truncated, coverage=(1815, 1900)
    ).frame
    inside, outside = panel.filter(pl.col("year") <= 1900), panel.filter(pl.col("year") > 1900)
    assert inside.select(pl.sum_horizontal(pl.col(P.ATOP_COLUMNS).null_count())).item() == 0
    assert inside["atop_alliance"].sum() > 0
    assert outside.select(pl.col(P.ATOP_COLUMNS).is_null().all()).row(0) == (True,) * len(P.ATOP_COLUMNS)
    assert P.create_state_years((1899, 1901), states_file=files[0]).pipe(
        P.add_atop_alliance, truncated, coverage=(1815, 1900)
    ).frame.filter(pl.col("year") == 1901)["atop_nallies"].null_count() > 0


def test_state_year_counts_match_the_non_directed_panel(files):
    counts = P.create_state_years(states_file=files[0]).pipe(P.add_atop_alliance, files[1]).frame
    dyads = _full(*files, False).frame
    both = pl.concat(
        [dyads.rename({"ccode1": "ccode"}).drop("ccode2"), dyads.rename({"ccode2": "ccode"}).drop("ccode1")]
    )
    expected = both.group_by("ccode", "year").agg(
        pl.col("atop_defense").cast(pl.Int32).sum().alias("atop_ndefense"),
        pl.col("atop_alliance").cast(pl.Int32).sum().alias("atop_nallies"),
    )
    joined = counts.join(expected, on=["ccode", "year"], how="left", suffix="_expected").with_columns(
        pl.col("atop_ndefense_expected", "atop_nallies_expected").fill_null(0)
    )
    assert (joined["atop_ndefense"] == joined["atop_ndefense_expected"]).all()
    assert (joined["atop_nallies"] == joined["atop_nallies_expected"]).all()


def test_the_united_states_in_2016_has_every_defence_partner(full_data):
    counts = P.create_state_years((2016, 2016), states_file=full_data / "states2016.csv").pipe(
        P.add_atop_alliance, full_data / "atop5_1_ddyr_obligations_peacesciencer.csv").frame
    usa_2016 = counts.filter(pl.col("ccode") == 2).row(0, named=True)
    assert usa_2016["atop_ndefense"] > 25  # NATO, Rio Pact, ANZUS, Japan, Korea, Philippines


def _portfolio(raw: pd.DataFrame, members: list[int], state: int, year: int) -> np.ndarray:
    """A state's valued ATOP portfolio, built straight from the CSV rows (either direction)."""
    rows = raw[(raw.year == year) & ((raw.ccode1 == state) | (raw.ccode2 == state))]
    level = {}
    for r in rows.itertuples():
        other = r.ccode2 if r.ccode1 == state else r.ccode1
        v = (3 if r.atop_defense or r.atop_offense else 2 if r.atop_neutral or r.atop_consul
             else 1 if r.atop_nonagg else 0)
        level[other] = max(level.get(other, 0), v)
    return np.array([3 if k == state else level.get(k, 0) for k in members])


@pytest.mark.parametrize("year", [1914, 1962])
def test_similarity_in_the_panel_equals_the_per_dyad_functions(files, year):
    panel = P.create_dyad_years((year, year), states_file=files[0]).pipe(
        P.add_similarity, ("s", "kappa", "pi", "tau-b"), atop_file=files[1]
    ).frame
    raw = pd.read_csv(files[1])
    members = P.create_state_years((year, year), states_file=files[0]).frame["ccode"].sort().to_list()
    for row in panel.sample(40, seed=year).iter_rows(named=True):
        x = _portfolio(raw, members, row["ccode1"], year)
        y = _portfolio(raw, members, row["ccode2"], year)
        assert row["s_valued_abs"] == pytest.approx(sim.s_score(x, y))
        assert row["kappa_valued_abs"] == pytest.approx(sim.kappa(x, y))
        assert row["pi_valued_abs"] == pytest.approx(sim.scott_pi(x, y))
        tau = sim.tau_b(x, y)
        assert (row["taub_valued_ord"] is None and np.isnan(tau)) or row["taub_valued_ord"] == pytest.approx(tau)


def test_similarity_is_symmetric_and_defined_everywhere(files):
    panel = P.create_dyad_years((1946, 1950), states_file=files[0]).pipe(
        P.add_similarity, ("s",), ties="binary", distance="squared", atop_file=files[1]
    ).frame
    assert panel["s_binary_sq"].null_count() == 0
    swapped = panel.rename({"ccode1": "ccode2", "ccode2": "ccode1"}).rename({"s_binary_sq": "back"})
    joined = panel.join(swapped, on=KEY)
    assert joined.height == panel.height
    assert np.allclose(joined["s_binary_sq"].to_numpy(), joined["back"].to_numpy())


def test_weighted_s(files):
    members = P.create_state_years((1950, 1951), states_file=files[0]).frame
    equal = members.with_columns(cinc=pl.lit(0.01))
    base = P.create_dyad_years((1950, 1951), states_file=files[0])
    plain = base.pipe(P.add_similarity, ("s",), atop_file=files[1]).frame
    weighted = base.pipe(P.add_similarity, ("s",), capabilities=equal, atop_file=files[1]).frame
    assert np.allclose(plain["s_valued_abs"].to_numpy(), weighted["sw_valued_abs"].to_numpy())
    partial = equal.filter(~((pl.col("ccode") == 2) & (pl.col("year") == 1951)))  # USA lacks a 1951 value
    gaps = base.pipe(P.add_similarity, ("s",), capabilities=partial.to_pandas(), atop_file=files[1]).frame
    assert gaps.filter(pl.col("year") == 1951)["sw_valued_abs"].is_null().all()
    assert gaps.filter(pl.col("year") == 1950)["sw_valued_abs"].null_count() == 0
    with pytest.raises(FoedusError, match="capabilities lack column"):
        base.pipe(P.add_similarity, ("s",), capabilities=members, atop_file=files[1])


def test_verbs_check_their_input(files):
    state_years = P.create_state_years((1900, 1901), states_file=files[0])
    with pytest.raises(FoedusError, match=r"needs a dyad-year panel.*run create_dyad_years\(\) first"):
        P.add_similarity(state_years, ("s",), atop_file=files[1])
    with pytest.raises(FoedusError, match="start with create_dyad_years"):
        P.add_atop_alliance(pd.DataFrame({"ccode1": [2]}), files[1])
    with pytest.raises(FoedusError, match="outside the COW state system"):
        P.create_dyad_years((1800, 1900), states_file=files[0])
    with pytest.raises(FoedusError, match="bad --years: 'x-1900'"):
        P.parse_years("x-1900")


def test_missing_datasets_say_what_to_fetch(files):
    with pytest.raises(DataError, match="run `foedus data fetch cow-states`"):
        P.create_dyad_years((1900, 1900))
    dyads = P.create_dyad_years((1900, 1900), states_file=files[0])
    with pytest.raises(DataError, match="run `foedus data fetch atop`"):
        P.add_atop_alliance(dyads)


def test_a_malformed_atop_file_is_refused(files, tmp_path):
    bad = tmp_path / "atop.csv"
    bad.write_text("ccode1,ccode2,year\n2,20,1950\n")
    dyads = P.create_dyad_years((1900, 1900), states_file=files[0])
    with pytest.raises(DataError, match="not an ATOP dyad-year obligations file"):
        P.add_atop_alliance(dyads, bad)
    dup = tmp_path / "dup.csv"
    lines = files[1].read_text().splitlines()
    dup.write_text("\n".join([*lines[:3], lines[2]]) + "\n")
    with pytest.raises(DataError, match="duplicate"):
        P.add_atop_alliance(dyads, dup)
    two = tmp_path / "two.csv"
    two.write_text("\n".join([lines[0], lines[1], "2,200,1950,1,0,2,0,0"]) + "\n")
    with pytest.raises(DataError, match=r"atop_neutral is 2, not 0 or 1 for \(2, 200, 1950\)"):
        P.add_atop_alliance(dyads, two)
    typo = tmp_path / "typo.csv"
    typo.write_text("\n".join([lines[0], lines[1], "2,200,19500,1,0,0,0,0"]) + "\n")
    with pytest.raises(DataError, match=r"year 19500 for \(2, 200\) is outside 1815-"):
        P.add_atop_alliance(dyads, typo)
    gap = tmp_path / "gap.csv"
    gap.write_text("\n".join([lines[0], lines[1], "2,200,1950,1,0,0,,0"]) + "\n")
    with pytest.raises(DataError, match=r"atop_nonagg is missing for \(2, 200, 1950\)"):
        P.add_atop_alliance(dyads, gap)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".dta"])
def test_write_round_trips(files, tmp_path, suffix):
    panel = P.dyad_year_panel((1990, 1991), directed=True, measures=("s",), states_file=files[0], atop_file=files[1])
    out = panel.write(tmp_path / f"dyads{suffix}")
    back = {".parquet": pd.read_parquet, ".csv": pd.read_csv, ".dta": pd.read_stata}[suffix](out)
    assert len(back) == panel.frame.height
    assert list(back.columns) == panel.frame.columns
    assert back["atop_defense"].sum() == panel.frame["atop_defense"].sum()
    assert list(tmp_path.iterdir()) == [out]
    if suffix == ".parquet":
        assert P.panel_sources(out) == panel.sources


def test_write_refuses_unknown_formats_and_leaves_nothing(files, tmp_path):
    panel = P.create_state_years((1900, 1900), states_file=files[0])
    with pytest.raises(FoedusError, match=r"unknown output format '\.xlsx'"):
        panel.write(tmp_path / "states.xlsx")
    with pytest.raises(FoedusError, match="does not exist"):
        panel.write(tmp_path / "nowhere" / "states.csv")
    assert list(tmp_path.iterdir()) == []


def test_to_pandas_keeps_missing_values(files, tmp_path):
    truncated = tmp_path / "atop.csv"
    pl.read_csv(files[1]).filter(pl.col("year") <= 1900).write_csv(truncated)
    frame = P.create_dyad_years((1900, 1901), states_file=files[0]).pipe(
        P.add_atop_alliance, truncated, coverage=(1815, 1900)
    ).to_pandas()
    assert frame.loc[frame.year == 1901, "atop_defense"].isna().all()
    assert frame.loc[frame.year == 1900, "atop_defense"].notna().all()


def test_a_state_that_leaves_and_rejoins_within_a_year_pairs_once(tmp_path):
    header = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
    spells = [
        "AAA,100,A,1900,1,1,1900,3,1,2016",  # A leaves in March 1900 ...
        "AAA,100,A,1900,6,1,1910,12,31,2016",  # ... and is back in June
        "BBB,200,B,1890,1,1,2016,12,31,2016",
        "CCC,300,C,1900,4,1,1900,5,1,2016",  # C is a member only while A is out
    ]
    path = tmp_path / "states.csv"
    path.write_text(header + "\n".join(spells) + "\n")
    dyads = P.create_dyad_years((1900, 1900), states_file=path).frame
    assert sorted(dyads.iter_rows()) == [(100, 200, 1900), (200, 100, 1900), (200, 300, 1900), (300, 200, 1900)]


@st.composite
def _state_lists(draw) -> dict[int, list[tuple[date, date]]]:
    """A few states, each with one or two membership spells (first and last day) in 1900-1905."""
    out = {}
    for code in range(1, draw(st.integers(2, 5)) + 1):
        days = sorted(draw(st.lists(st.integers(0, 6 * 365), min_size=2, max_size=4, unique=True)))
        spells = [(days[0], days[1])] + ([(days[2], days[3])] if len(days) == 4 and days[2] > days[1] + 1 else [])
        out[code * 10] = [(date(1900, 1, 1) + timedelta(d0), date(1900, 1, 1) + timedelta(d1)) for d0, d1 in spells]
    return out


@settings(max_examples=60, deadline=None)
@given(_state_lists(), st.booleans())
def test_dyads_match_brute_force_on_generated_state_lists(state_list, directed):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "states.csv"
        lines = ["stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version"]
        lines += [f"S{c},{c},S{c},{a.year},{a.month},{a.day},{b.year},{b.month},{b.day},2016"
                  for c, spells in state_list.items() for a, b in spells]
        path.write_text("\n".join(lines) + "\n")
        last = max(b.year for spells in state_list.values() for _, b in spells)  # the list runs to its last day
        got = P.create_dyad_years((1900, last), directed=directed, states_file=path).frame
        spells = states.read_cow_states(path)
    expected = sorted(
        (a, b, y) for a in state_list for b in state_list for y in range(1900, last + 1)
        if (a < b or (directed and a != b)) and _share_a_day(spells, a, b, y)
    )
    assert list(got.iter_rows()) == expected


def test_a_reordered_panel_gets_the_same_flags(files):
    dyads = P.create_dyad_years((1950, 1955), states_file=files[0])
    in_order = dyads.pipe(P.add_atop_alliance, files[1]).frame
    shuffled = P.Panel(dyads.frame.sample(fraction=1.0, shuffle=True, seed=7), "dyad-year", True, (1950, 1955))
    again = P.add_atop_alliance(shuffled, files[1]).frame
    assert not again.select(KEY).equals(in_order.select(KEY))
    assert again.sort(KEY).equals(in_order)
