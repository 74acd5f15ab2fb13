"""Sweeps over every ordered pair of system members, their Parquet output, and the dask path."""

from __future__ import annotations

from datetime import date

import polars as pl
import pyarrow as pa
import pytest
from test_cascade import DEFENCE, OFFENCE, treaty

from foedus import Corpus
from foedus.cascade import cascade
from foedus.errors import DataError, FoedusError
from foedus.model import Kind, Means, Obligation
from foedus.sweep import SCHEMA, members_on, parse_years, sweep_date, sweep_years, write_parquet

DAY = date(2015, 6, 1)
ONE_ROW = pa.table({"on": [DAY], "attacker": ["RUS"], "target": ["JPN"], "state": ["JPN"], "side": ["defender"],
                    "round": [0]}, schema=SCHEMA)
ALLIANCES = Corpus(
    [
        treaty("nato-like", ("USA", "GBR", "FRA", "DEU"), DEFENCE),
        treaty("usa-jpn", ("USA", "JPN")),
        treaty("chn-prk", ("CHN", "PRK"), DEFENCE, OFFENCE),
        treaty("prk-rus", ("PRK", "RUS"), OFFENCE),
        treaty("rus-arm", ("RUS", "ARM"), Obligation(id="c", kind=Kind.DEFENSE, article="3", means=Means.CONSULT)),
    ]
)


def rows_of(df: pl.DataFrame, attacker: str, target: str) -> set[tuple[str, str, int]]:
    part = df.filter(pl.col("attacker") == attacker, pl.col("target") == target)
    return set(part.select("state", "side", "round").iter_rows())


def expected(attacker: str, target: str, conditional: bool) -> set[tuple[str, str, int]]:
    c = cascade(target, [attacker], DAY, corpus=ALLIANCES, conditional=conditional)
    return {(e.state, e.side.value, e.round) for e in c.entries} | {
        (x.state, "conflict", x.round) for x in c.conflicts if x.fighting is None
    }


@pytest.mark.parametrize("conditional", [False, True])
def test_every_pair_is_swept_and_each_matches_its_own_cascade(cow_states, conditional):
    df = sweep_date(DAY, ALLIANCES, conditional)
    n = len(members_on(DAY))
    assert df.filter(pl.col("round") == 0).height == 2 * n * (n - 1)
    assert df.select("attacker", "target").unique().height == n * (n - 1)
    parties = sorted({m.state for t in ALLIANCES for m in t.parties})
    for a in parties + ["BRA"]:
        for t in parties + ["BRA"]:
            if a != t:
                assert rows_of(df, a, t) == expected(a, t, conditional), (a, t)


def test_the_sweep_reaches_the_whole_alliance_and_no_further(cow_states):
    df = sweep_date(DAY, ALLIANCES)
    assert rows_of(df, "RUS", "JPN") == {
        ("JPN", "defender", 0),
        ("RUS", "aggressor", 0),
        ("USA", "defender", 1),
        ("GBR", "defender", 2),
        ("FRA", "defender", 2),
        ("DEU", "defender", 2),
    }
    assert df.filter(pl.col("state") == "ARM", pl.col("round") > 0).is_empty()  # consultation brings no one in


def test_years_write_one_parquet_with_each_years_members(cow_states, tmp_path):
    out = tmp_path / "years.parquet"
    rows = sweep_years([1990, 1992], out, ALLIANCES)
    df = pl.read_parquet(out)
    assert df.height == rows
    counts = df.filter(pl.col("round") == 0, pl.col("side") == "defender").group_by("on").len().sort("on")
    for (day, wars), year in zip(counts.iter_rows(), (1990, 1992), strict=True):
        n = len(members_on(date(year, 7, 1)))
        assert day == date(year, 7, 1) and wars == n * (n - 1)
    assert len(members_on(date(1992, 7, 1))) > len(members_on(date(1990, 7, 1)))  # the Soviet successor states


def test_sweep_needs_the_state_list():
    with pytest.raises(DataError, match="run `foedus data fetch cow-states` first"):
        sweep_date(DAY, ALLIANCES)


def test_parquet_is_written_whole_or_not_at_all(tmp_path):
    with pytest.raises(FoedusError, match="does not exist"):
        write_parquet([ONE_ROW], tmp_path / "missing" / "out.parquet")

    def broken():
        yield ONE_ROW
        raise FoedusError("stopped half way")

    with pytest.raises(FoedusError, match="half way"):
        write_parquet(broken(), tmp_path / "out.parquet")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("text", "years"), [("1990-1992", [1990, 1991, 1992]), ("2001", [2001])])
def test_parse_years(text, years):
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["1990-80", "nineteen", "1990-91x", "2016-99999999999", "1815", "2017", "7" * 4300])
def test_bad_years(text):
    with pytest.raises(FoedusError, match="bad --years"):
        parse_years(text)


def test_a_second_sweep_of_the_active_corpus_reads_its_kept_kernels_without_loading_the_corpus(cow_states, monkeypatch):
    from foedus import store

    day = date(1950, 7, 1)
    first = sweep_date(day)
    assert store.active_digest() == store.active_corpus().digest
    store._active.cache_clear()

    def refuse(*_: object) -> None:
        raise AssertionError("the corpus was loaded")

    monkeypatch.setattr(store, "_active", refuse)
    again = sweep_date(day)
    assert again.equals(first)
    assert again.filter(pl.col("round") > 0).height > 0  # NATO's founders answer for each other
    monkeypatch.undo()
    with pytest.raises(AssertionError, match="loaded"):  # a date whose kernels are not kept needs it
        monkeypatch.setattr(store, "_active", refuse)
        sweep_date(date(1951, 7, 1))


def test_user_treaty_files_have_no_digest_before_loading(tmp_path):
    from foedus import store

    assert store.active_digest() is not None
    store.use_corpus([tmp_path])
    assert store.active_digest() is None


def test_a_kept_sweep_command_loads_neither_the_corpus_nor_polars_nor_pandas(cow_states, tmp_path):
    """The second sweep of a date runs the kept kernels and writes with pyarrow: the command loads no treaty
    model, no YAML, no polars, no pandas, and no rich where no terminal shows a progress bar."""
    import subprocess
    import sys

    out = tmp_path / "s.parquet"
    probe = (
        "import sys\nfrom foedus.cli import run\n"
        f"assert run(['sweep', '--on', '1950-07-01', '-o', {str(out)!r}]) == 0\n"
        "from foedus import store\n"
        "loaded = ['the corpus'] if store._active.cache_info().currsize else []\n"
        "print(' '.join(loaded + [m for m in ('polars', 'pandas', 'foedus.engine', 'foedus.model', 'yaml', 'rich') if m in sys.modules]))"
    )
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "the corpus foedus.engine" in first.stdout  # the first sweep of a date compiles its kernels
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert again.stdout.split("\n")[-2] == ""
    assert pl.read_parquet(out).equals(sweep_date(date(1950, 7, 1)).with_columns(pl.col("side").cast(pl.Categorical)))
