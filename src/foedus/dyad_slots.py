"""Dense slots for dyad-years: where a value keyed by ``(ccode1, ccode2, year)`` sits, by array lookups alone.

The states that appear in a set of values are numbered, the directed pairs of those numbers
that carry values are numbered in turn, and every (pair, year) gets a slot in a dense space.
A value column spread over that space (:meth:`DyadSlots.table`) is then read for a whole
panel with one vectorised gather, whatever the panel's order: no sort, no hash table. A
panel holds each pair's years together, so pairs are looked up once per run of rows.
"""

from __future__ import annotations

import numpy as np


def _non_negative(*codes: np.ndarray) -> bool:
    return all(c.size == 0 or c.min() >= 0 for c in codes)


def _run_starts(ccode1: np.ndarray, ccode2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each run of rows with the same pair starts, and that pair's codes."""
    new_pair = np.empty(ccode1.size, dtype=bool)
    new_pair[:1] = True
    np.not_equal(ccode1[1:], ccode1[:-1], out=new_pair[1:])
    new_pair[1:] |= ccode2[1:] != ccode2[:-1]
    starts = np.flatnonzero(new_pair)
    return starts, ccode1[starts], ccode2[starts]


class DyadSlots:
    """The slot space of a set of values keyed by ``(ccode1, ccode2, year)`` arrays, one row per dyad-year.

    ``values`` holds each value row's slot. Every other slot is empty, among them all slots of
    codes and years the values do not have.
    """

    def __init__(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray) -> None:
        if not _non_negative(ccode1, ccode2):
            raise ValueError("negative country codes")
        _, first1, first2 = _run_starts(ccode1, ccode2)  # every pair, at least once
        top = max(int(first1.max()), int(first2.max())) if year.size else 0
        seen = np.zeros(top + 2, dtype=bool)  # the last entry stands for every larger code
        seen[first1] = seen[first2] = True
        codes = np.flatnonzero(seen)
        self._states = codes.size + 1  # state numbers; the last one for codes without values
        self._state = np.full(top + 2, codes.size, dtype=np.intp)
        self._state[codes] = np.arange(codes.size)
        self._pair_number = np.zeros(self._states**2, dtype=np.intp)  # 0: a pair without values
        self._pair_number[self._pairs(first1, first2)] = 1
        present = np.flatnonzero(self._pair_number)
        self._pair_number[present] = np.arange(1, present.size + 1)
        # one slot before the first year and one after the last, both always empty
        self._first = int(year.min()) - 1 if year.size else 0
        self._span = int(year.max()) - self._first + 2 if year.size else 2
        self.size = (present.size + 1) * self._span
        self.values = self.of(ccode1, ccode2, year)
        rising = bool((self.values[1:] > self.values[:-1]).all())  # as they do for sorted, unique values
        if not rising and self._shared():
            raise ValueError("duplicate dyad-year rows")

    def _shared(self) -> bool:
        """Whether two values share a slot: each row's number, written to its slot, must read back."""
        row = np.arange(self.values.size)
        probe = np.zeros(self.size, dtype=np.intp)
        probe[self.values] = row
        return not np.array_equal(probe[self.values], row)

    def _pairs(self, ccode1: np.ndarray, ccode2: np.ndarray) -> np.ndarray:
        pair = np.take(self._state, ccode1, mode="clip")
        pair *= self._states
        pair += np.take(self._state, ccode2, mode="clip")
        return pair

    def of(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray) -> np.ndarray:
        """Each dyad-year's slot (an empty one where the values have none)."""
        if not _non_negative(ccode1, ccode2):  # no values for a negative code
            known = (ccode1 >= 0) & (ccode2 >= 0)
            out = np.zeros(len(year), dtype=np.intp)  # slot 0: the pair without values
            out[known] = self.of(ccode1[known], ccode2[known], year[known])
            return out
        if not year.size:
            return np.zeros(0, dtype=np.intp)
        starts, first1, first2 = _run_starts(ccode1, ccode2)
        block = np.take(self._pair_number, self._pairs(first1, first2)) * self._span - self._first
        slots = np.repeat(block, np.diff(starts, append=year.size))
        last = self._first + self._span - 1
        inside = year.min() >= self._first and year.max() <= last
        slots += year if inside else np.clip(year, self._first, last)
        return slots

    def table(self, column: np.ndarray, fill: float) -> np.ndarray:
        """``column`` (one entry per value row) spread over the slot space, ``fill`` in the empty slots."""
        table = np.full(self.size, fill, dtype=column.dtype)
        table[self.values] = column
        return table
