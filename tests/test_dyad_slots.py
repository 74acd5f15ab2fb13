"""Dense dyad-year slots find exactly the rows a dictionary lookup finds, in any order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus.dyad_slots import DyadSlots

codes = st.one_of(st.integers(2, 990), st.sampled_from([2, 20, 200, 8152]))  # ATOP 4.01 has a code 8152
keys = st.tuples(codes, codes, st.integers(1810, 2025))


def _rows(slots: DyadSlots, count: int, wanted: tuple[np.ndarray, ...]) -> list[int]:
    """The value row of each wanted dyad-year, ``count`` where there is none."""
    return slots.table(np.arange(count), count).take(slots.of(*wanted)).tolist()


def _arrays(rows: list[tuple[int, int, int]], dtype: type = np.int32) -> tuple[np.ndarray, ...]:
    return tuple(np.array([r[k] for r in rows], dtype=dtype) for k in range(3))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(keys, unique=True, max_size=60), wanted=st.lists(keys, max_size=80), sort=st.booleans())
def test_rows_match_a_dictionary_lookup(values, wanted, sort):
    wanted = sorted(wanted) if sort else wanted  # panels come sorted; any order must work
    slots = DyadSlots(*_arrays(values, np.int64))
    expected = [{key: row for row, key in enumerate(values)}.get(key, len(values)) for key in wanted]
    assert _rows(slots, len(values), _arrays(wanted)) == expected


def test_codes_and_years_beyond_the_values_find_nothing():
    slots = DyadSlots(*_arrays([(2, 20, 1950), (20, 2, 1950)]))
    wanted = _arrays([(2, 20, 1949), (2, 20, 1951), (2, 20, 1800), (2, 20, 3000), (-1, 20, 1950), (2, 9999, 1950),
                      (20, 2, 1950)])
    assert _rows(slots, 2, wanted) == [2, 2, 2, 2, 2, 2, 1]


def test_no_values_and_no_rows():
    empty = _arrays([])
    assert _rows(DyadSlots(*empty), 0, _arrays([(2, 20, 1950)])) == [0]
    assert _rows(DyadSlots(*_arrays([(2, 20, 1950)])), 1, empty) == []


def test_a_table_holds_each_value_at_its_slot_and_the_fill_elsewhere():
    slots = DyadSlots(*_arrays([(20, 2, 1950), (2, 20, 1951)]))  # unsorted values
    table = slots.table(np.array([7, 9], dtype=np.int8), -1)
    assert table.dtype == np.int8
    assert table.take(slots.of(*_arrays([(2, 20, 1951), (20, 2, 1950), (2, 20, 1950)]))).tolist() == [9, 7, -1]
    assert np.count_nonzero(table != -1) == 2


@pytest.mark.parametrize(("values", "message"), [
    ([(2, 20, 1950), (2, 20, 1950)], "duplicate"),
    ([(2, 20, 1950), (2, 30, 1950), (2, 20, 1950)], "duplicate"),  # not neighbours
    ([(2, -20, 1950)], "negative"),
])
def test_bad_values_are_refused(values, message):
    with pytest.raises(ValueError, match=message):
        DyadSlots(*_arrays(values))
