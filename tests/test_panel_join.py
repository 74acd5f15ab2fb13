"""The panel's joins agree with a plain polars left join on random panels and values, in any order."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from foedus import panel as P

KEY = ["ccode1", "ccode2", "year"]
NAMES = ["atop_defense", "atop_consul", "atop_alliance"]
dyad_years = st.tuples(st.sampled_from([2, 20, 200, 365, 710]), st.sampled_from([2, 20, 200, 365, 710]),
                       st.integers(1990, 1996))


def _frame(rows: list[tuple[int, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict.fromkeys(KEY, pl.Int32), orient="row")


def _flags(rows: list[tuple[int, int, int]], bits: list[tuple[int, int, int]]) -> pl.DataFrame:
    return _frame(rows).hstack([pl.Series(n, [b[k] for b in bits], dtype=pl.Int8) for k, n in enumerate(NAMES)])


def _reference(frame: pl.DataFrame, flags: pl.DataFrame, either: bool) -> pl.DataFrame:
    """The same join written the plain way: a left join per direction, OR-ed, 0 where there is none."""
    joined = frame.join(flags, on=KEY, how="left", maintain_order="left")
    if either:
        swapped = flags.rename({"ccode1": "ccode2", "ccode2": "ccode1"})
        back = frame.join(swapped, on=KEY, how="left", maintain_order="left")
        joined = joined.with_columns(pl.max_horizontal(joined[n], back[n]).alias(n) for n in NAMES)
    return joined.with_columns(pl.col(NAMES).fill_null(0).cast(pl.Int8))


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(dyad_years, unique=True, max_size=40),
    bits=st.lists(st.tuples(*[st.integers(0, 1)] * 3), min_size=40, max_size=40),
    wanted=st.lists(dyad_years, unique=True, max_size=60),
    order=st.sampled_from(["as given", "sorted"]),
    either=st.booleans(),
    chunk=st.sampled_from([1, 3, 1 << 18]),
)
def test_flag_join_matches_a_polars_left_join(monkeypatch_module, values, bits, wanted, order, either, chunk):
    monkeypatch_module.setattr(P, "CHUNK", chunk)  # chunk edges fall inside runs of a pair's years
    frame = _frame(sorted(wanted) if order == "sorted" else wanted)
    flags = _flags(values, bits[: len(values)])
    assert_frame_equal(P._join_flags(frame, flags, either=either), _reference(frame, flags, either))


@settings(max_examples=100, deadline=None)
@given(values=st.lists(dyad_years, unique=True, max_size=40), wanted=st.lists(dyad_years, unique=True, max_size=60))
def test_value_join_matches_a_polars_left_join(values, wanted):
    frame = _frame(wanted)
    scores = _frame(values).with_columns(score=pl.Series(np.linspace(-1, 1, len(values))))
    expected = frame.join(scores, on=KEY, how="left", maintain_order="left")
    got = P._join_dyads(frame, scores, fill=np.nan).with_columns(pl.col("score").fill_nan(None))
    assert_frame_equal(got, expected)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp
