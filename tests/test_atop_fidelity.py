"""Fidelity: directed dyad-year obligations derived from the ATOP 4.01 member-level file,
against ATOP 5.1's own directed dyad-year flags, for every year 1815-2016.

Agreement is the share of dyad-years on which both agree, over every directed dyad-year
that either file lists (a dyad-year in neither counts as no alliance in both and is left
out, which makes the share stricter). Each systematic residual is named in its own test.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from foedus.datasets import atop
from foedus.datasets.atop_dyads import FLAGS, directed_dyad_years

FIRST, LAST = 1815, 2016  # the years both releases cover
MIN_AGREEMENT = 0.99


@pytest.fixture
def data(shared_data: Path) -> dict:
    return _load(shared_data)


@pytest.fixture
def full(full_data: Path) -> dict:
    """The comparison over every row: the agreement rates and residual lists hold only on the whole files."""
    return _load(full_data)


@cache
def _load(shared: Path) -> dict:
    """The derived and the published dyad-years, computed once per run."""
    members = atop.read(shared / "atop4_01_member_level.csv").frame
    ours = directed_dyad_years(members, through=LAST)
    per_alliance = directed_dyad_years(members, through=LAST, per_alliance=True)
    ref = (pl.read_csv(shared / "atop5_1_ddyr_obligations_peacesciencer.csv")
           .rename({f"atop_{f}": f for f in FLAGS}).filter(pl.col("year").is_between(FIRST, LAST)))
    both = (ours.with_columns(pl.lit(True).alias("in_ours"))
            .join(ref.with_columns(pl.lit(True).alias("in_ref")), on=["ccode1", "ccode2", "year"],
                  how="full", suffix="_51", coalesce=True)
            .with_columns(pl.col(f"{f}", f"{f}_51").fill_null(0) for f in FLAGS)
            .with_columns(pl.col("in_ours", "in_ref").fill_null(False)))
    with (shared / "states2016.csv").open() as fh:
        cow = {int(r["ccode"]) for r in csv.DictReader(fh)}
    alliances = members.group_by("atopid").agg(pl.col("asymm").max(), pl.col("bilat").max())
    return {"members": members, "ours": ours, "per_alliance": per_alliance, "ref": ref, "both": both,
            "cow": cow, "alliances": alliances, "residuals": {}}


def _diff(both: pl.DataFrame, flag: str) -> pl.DataFrame:
    return both.filter(pl.col(flag) != pl.col(f"{flag}_51"))


UNIFICATIONS_1990 = {678, 680, 679, 260, 265, 255}  # Yemen (May 1990) and Germany (October 1990)


def _residuals(data: dict, flag: str) -> pl.DataFrame:
    """Every disagreeing dyad-year for ``flag`` with the named reason it disagrees, and the
    4.01 alliances behind it (those carrying the flag where foedus has it, else all joining the pair)."""
    if flag not in data["residuals"]:
        data["residuals"][flag] = _classify(data, flag)
    return data["residuals"][flag]


def _classify(data: dict, flag: str) -> pl.DataFrame:
    diff = _diff(data["both"], flag)
    links = (data["per_alliance"].join(data["alliances"], on="atopid")
             .group_by("ccode1", "ccode2", "year")
             .agg(multi_asym=((pl.col("asymm") == 1) & (pl.col("bilat") == 0)).filter(pl.col(flag) == 1).all(),
                  carriers=pl.col("atopid").filter(pl.col(flag) == 1), joined=pl.col("atopid")))
    cow = list(data["cow"])
    merged = list(UNIFICATIONS_1990)
    return (diff.join(links, on=["ccode1", "ccode2", "year"], how="left").with_columns(
        atopids=pl.when(pl.col(flag) == 1).then(pl.col("carriers")).otherwise(pl.col("joined")),
        reason=pl.when(~pl.col("ccode1").is_in(cow) | ~pl.col("ccode2").is_in(cow)).then(pl.lit("non-cow-member"))
        .when((pl.col(f"{flag}_51") == 1) & ~pl.col("in_ours")).then(pl.lit("absent-from-4.01"))
        .when((pl.col(flag) == 1) & pl.col("multi_asym")).then(pl.lit("multilateral-asymmetric"))
        .when((pl.col("year") == 1990) & pl.col("ccode1").is_in(merged) & pl.col("ccode2").is_in(merged))
        .then(pl.lit("unification-day-1990"))
        .otherwise(pl.lit("recoded-in-5"))))


def test_agreement_per_obligation_is_reported_and_high(full, capsys):
    both = full["both"]
    lines = [(f"ATOP 4.01 member-level -> directed dyad-years vs ATOP 5.1 ddyr, {FIRST}-{LAST}, "
              f"{both.height} dyad-years in either")]
    shares = {}
    for f in FLAGS:
        shares[f] = float((both[f] == both[f"{f}_51"]).mean())
        reasons = _residuals(full, f)["reason"].value_counts().sort("reason")
        detail = ", ".join(f"{r} {n}" for r, n in reasons.iter_rows())
        lines.append(f"  {f:8} agreement {shares[f]:.4%}  ({len(_diff(both, f))} differ: {detail or 'none'})")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert all(s >= MIN_AGREEMENT for s in shares.values()), shares


def test_every_year_is_covered(full):
    years = set(full["ours"]["year"].unique().to_list())
    assert years == set(range(FIRST, LAST + 1)) - _years_without_alliances(full)


def _years_without_alliances(data: dict) -> set[int]:
    return set(range(FIRST, LAST + 1)) - set(data["ref"]["year"].unique().to_list())


def test_1832_france_owes_belgium_defence_not_the_reverse(data):
    for frame, col in ((data["ours"], "defense"), (data["ref"], "defense")):
        year = frame.filter(pl.col("year") == 1832)
        fra_bel = year.filter((pl.col("ccode1") == 220) & (pl.col("ccode2") == 211))[col].to_list()
        bel_fra = year.filter((pl.col("ccode1") == 211) & (pl.col("ccode2") == 220))[col].to_list()
        assert (fra_bel, bel_fra) == ([1], [0])


def test_flags_are_directed_only_where_asymmetric(data):
    """A symmetric alliance gives both directions the same flags."""
    sym = data["per_alliance"].join(data["alliances"].filter(pl.col("asymm") == 0), on="atopid")
    mirrored = sym.join(sym, left_on=["atopid", "ccode1", "ccode2", "year"],
                        right_on=["atopid", "ccode2", "ccode1", "year"], suffix="_rev")
    member_obvary = data["members"].filter(pl.col("obvary") == 1)["atopid"].unique().to_list()
    mirrored = mirrored.filter(~pl.col("atopid").is_in(member_obvary))
    assert mirrored.height == sym.filter(~pl.col("atopid").is_in(member_obvary)).height
    for f in FLAGS:
        assert (mirrored[f] == mirrored[f"{f}_rev"]).all()


def test_residual_alliances_absent_from_4_01(full):
    """ATOP 5 added alliances 4.01 lacks: 5.1 flags dyad-years no 4.01 alliance joins, e.g.
    a defence pact among Guatemala, Honduras and El Salvador in 1876-1890."""
    res = _residuals(full, "defense").filter(pl.col("reason") == "absent-from-4.01")
    central = res.filter(pl.col("ccode1").is_in([90, 91, 92]) & pl.col("ccode2").is_in([90, 91, 92]))
    assert central.height > 0 and central["year"].min() >= 1876 and central["year"].max() <= 1890
    assert full["ours"].filter(pl.col("ccode1").is_in([90, 91, 92]) & pl.col("ccode2").is_in([90, 91, 92])
                               & pl.col("year").is_between(1876, 1890)).height == 0
    nonagg = _residuals(full, "nonagg")
    assert (nonagg["reason"] == "absent-from-4.01").sum() / nonagg.height > 0.9  # the bulk of non-aggression residuals


def test_residual_multilateral_asymmetric_locarno(full):
    """The member-level file says what each member owes, not to whom: in Locarno (ATOP 2130,
    asymmetric, multilateral) Germany is coded with a defence obligation, which foedus must
    extend to every partner, while 5.1's dyadic coding has Germany owe Britain nothing."""
    res = _residuals(full, "defense")
    ger_gbr = res.filter((pl.col("ccode1") == 255) & (pl.col("ccode2") == 200) & (pl.col("year") >= 1900))
    assert ger_gbr["year"].to_list() == list(range(1925, 1937))
    assert set(ger_gbr["reason"]) == {"multilateral-asymmetric"}
    assert all(ids == [2130] for ids in ger_gbr["atopids"].to_list())


def test_residual_non_cow_member_8152(data):
    """ATOP 4.01 lists member 8152 (not a COW state; France's 1874 treaty partner in ATOP 1320);
    5.1's dyad file covers COW states only."""
    assert 8152 not in data["cow"]
    assert data["ref"].filter(pl.col("ccode2") == 8152).height == 0
    res = _residuals(data, "defense").filter(pl.col("reason") == "non-cow-member")
    assert set(zip(res["ccode1"], res["ccode2"], strict=True)) == {(220, 8152)}


def test_residual_recodings_are_few_and_named(full, capsys):
    """What is left are recodings between 4.01 and 5.1, listed by the 4.01 alliances joining
    the pair: 5.1 adds neutrality and consultation among members of large multilateral
    alliances (ATOP 3740 from 1992, NATO, 3180, from 2008), and in a year when an alliance changes phase
    (Anglo-Japanese 1415 in 1905) 5.1 keeps the later phase's flags, while foedus counts any
    day of the year."""
    out = []
    for f in FLAGS:
        res = _residuals(full, f).filter(pl.col("reason") == "recoded-in-5")
        share = res.height / full["both"].height
        by_alliance = (res.explode("atopids").group_by("atopids")
                       .agg(pl.len(), pl.col("year").min().alias("y0"), pl.col("year").max().alias("y1"))
                       .sort("len", descending=True))
        out.append(f"  {f:8} recoded {res.height} dyad-years ({share:.3%}); by 4.01 alliance: "
                   + ", ".join(f"{a}:{n} ({y0}-{y1})" for a, n, y0, y1 in by_alliance.iter_rows()))
        assert share < 0.002
    with capsys.disabled():
        print("\n" + "\n".join(out))


def test_residual_triple_alliance_offense_recoded(full):
    """ATOP 4.01 codes Germany with an offensive obligation in phases 2-4 of the Triple
    Alliance (ATOP 1350, 1887-1914); 5.1's directed flags carry none from Germany."""
    res = _residuals(full, "offense")
    ger = res.filter((pl.col("ccode1") == 255) & pl.col("ccode2").is_in([300, 325]))
    assert ger.height > 0 and ger["year"].min() >= 1887 and ger["year"].max() <= 1914
    assert all(1350 in ids for ids in ger["atopids"].to_list())


def test_residual_unification_day_1990(data):
    """A day-boundary convention: when Yemen (22 May 1990) and Germany (3 October 1990) unified,
    the old states' memberships end on the day the new state's begins. foedus counts the exit
    day as in force (as the COW state list does), so old and new state share that one day and
    form a dyad-year; 5.1 does not pair them."""
    rows = pl.concat([_residuals(data, f).filter(pl.col("reason") == "unification-day-1990") for f in FLAGS])
    assert rows.height > 0 and set(rows["year"]) == {1990}
    pairs = set(zip(rows["ccode1"], rows["ccode2"], strict=True))
    assert pairs <= {(a, b) for a in (678, 680, 679) for b in (678, 680, 679) if a != b} | {
        (a, b) for a in (260, 265, 255) for b in (260, 265, 255) if a != b}
    yemen = data["members"].filter(pl.col("member").is_in([678, 679]) & (pl.col("atopid") == 3205))
    exits = yemen.filter(pl.col("member") == 678)["end"].to_list()
    entries = yemen.filter(pl.col("member") == 679)["start"].to_list()
    assert [e - timedelta(days=1) for e in exits] == entries  # the exit day is the entry day
