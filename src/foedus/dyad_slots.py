"""Dense slots for dyad-years: where a panel row's value sits, found by array lookups alone.

The states that appear in the values are numbered, the directed pairs of those numbers that
carry values are numbered in turn, and every (pair, year) gets a slot in a dense array holding
the row of its value. Finding the value rows of a whole panel is then a few vectorised
gathers, whatever the panel's order: no sort, no hash table. A panel holds each pair's years
together, so pairs are looked up once per run of rows and the years added on.
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
    """The value row of every dyad-year keyed by ``(ccode1, ccode2, year)`` arrays, one row each."""

    def __init__(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray) -> None:
        if not _non_negative(ccode1, ccode2):
            raise ValueError("negative country codes")
        self.size = len(year)
        top = max(int(ccode1.max()), int(ccode2.max())) if self.size else 0
        seen = np.zeros(top + 2, dtype=bool)  # the last entry stands for every larger code
        seen[ccode1] = seen[ccode2] = True
        codes = np.flatnonzero(seen)
        self._states = codes.size + 1  # state numbers; the last one for codes without values
        self._state = np.full(top + 2, codes.size, dtype=np.intp)
        self._state[codes] = np.arange(codes.size)
        self._pair_number = np.zeros(self._states**2, dtype=np.intp)  # 0: a pair without values
        self._pair_number[self._pairs(*_run_starts(ccode1, ccode2)[1:])] = 1
        present = np.flatnonzero(self._pair_number)
        self._pair_number[present] = np.arange(1, present.size + 1)
        # one slot before the first year and one after the last, both always empty
        self._first = int(year.min()) - 1 if self.size else 0
        self._span = int(year.max()) - self._first + 2 if self.size else 2
        self._rows = np.full((present.size + 1) * self._span, self.size, dtype=np.intp)
        slots = self._slots(ccode1, ccode2, year)
        row = np.arange(self.size)
        self._rows[slots] = row
        if not np.array_equal(self._rows[slots], row):  # a later row took an earlier one's slot
            raise ValueError("duplicate dyad-year rows")

    def _pairs(self, ccode1: np.ndarray, ccode2: np.ndarray) -> np.ndarray:
        pair = np.take(self._state, ccode1, mode="clip")
        pair *= self._states
        pair += np.take(self._state, ccode2, mode="clip")
        return pair

    def _slots(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray) -> np.ndarray:
        """Each row's slot: its pair's block of years, looked up once per run of rows, plus its year."""
        if not year.size:
            return np.zeros(0, dtype=np.intp)
        starts, first1, first2 = _run_starts(ccode1, ccode2)
        block = np.take(self._pair_number, self._pairs(first1, first2)) * self._span - self._first
        slots = np.repeat(block, np.diff(starts, append=year.size))
        last = self._first + self._span - 1
        inside = year.min() >= self._first and year.max() <= last
        slots += year if inside else np.clip(year, self._first, last)
        return slots

    def rows(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray) -> np.ndarray:
        """For each dyad-year, the row of its value; ``self.size`` (one past the end) where it has none."""
        if not _non_negative(ccode1, ccode2):  # no values for a negative code
            known = (ccode1 >= 0) & (ccode2 >= 0)
            out = np.full(len(year), self.size, dtype=np.intp)
            out[known] = self.rows(ccode1[known], ccode2[known], year[known])
            return out
        slots = self._slots(ccode1, ccode2, year)
        return np.take(self._rows, slots, out=slots, mode="clip")  # in place: slots are always in range
