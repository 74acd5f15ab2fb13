"""The cascade's round rule as array work: who is bound to each side, round by round, for a batch of wars.

Only numpy: a sweep whose kernels are kept on disk runs these rounds without loading the treaty
model or the engine. :class:`Propagator` holds an index's links as dense matrices (built from a
:class:`foedus.cascade.CascadeIndex`); :func:`advance` is the one round rule, shared by the cascade,
the sweeps and the Monte Carlo. See docs/cascade.md.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .cascade import CascadeIndex

NOT = -1  # round value of a state that never enters


class Side(str, Enum):
    """A side of the war."""

    DEFENDER = "defender"
    AGGRESSOR = "aggressor"


class Propagator:
    """Who is bound to each side, for a batch of wars, by dense matrix products over the links.

    Holds only arrays (no findings), so it is cheap to ship to dask workers.
    """

    def __init__(self, index: CascadeIndex, chosen: np.ndarray):
        n = len(index)
        plain = [k for k in chosen.tolist() if not index.links[k].adversaries]
        # per side: links that bind only against named adversaries, sorted by obligor; their adversaries
        # as column indices padded with ``n`` (a column that is always False); for the defender side, each
        # link's treaty's parties (states × links): it binds no one where an aggressor is one of them
        self.special = {}
        for defender in (True, False):
            ks = sorted(
                (k for k in chosen.tolist() if index.links[k].adversaries and index.defender[k] == defender),
                key=lambda k: index.obligor[k],
            )
            width = max((len(index.links[k].adversaries) for k in ks), default=1)
            foes = np.full((len(ks), width), n, dtype=np.int32)
            for j, k in enumerate(ks):
                cols = sorted(index.pos[x] for x in index.links[k].adversaries)
                foes[j, : len(cols)] = cols
            mates = np.zeros((n, len(ks) if defender else 0), dtype=np.float32)
            for j, k in enumerate(ks if defender else ()):
                mates[[index.pos[s] for s in index.members.get(index.links[k].finding.treaty, ()) if s in index.pos], j] = 1
            obl = index.obligor[ks]
            starts = np.flatnonzero(np.r_[True, obl[1:] != obl[:-1]]) if len(ks) else np.zeros(0, dtype=np.int64)
            self.special[defender] = (index.beneficiary[ks], foes, starts, obl[starts] if len(ks) else obl, mates)
        self.matrix = {}
        self.live = {}
        for defender in (True, False):
            m = np.zeros((n, n), dtype=np.float32)  # how many links bind each obligor to each beneficiary
            ks = [k for k in plain if index.defender[k] == defender]
            np.add.at(m, (index.beneficiary[ks], index.obligor[ks]), 1.0)
            self.live[defender] = np.flatnonzero(m.any(axis=1))
            self.matrix[defender] = m[self.live[defender]]  # only the rows of states that are owed something
        # per treaty, its parties' positions and the count matrix of its plain defence links among them: when an
        # aggressor is a party too, the treaty's defence links bind no one (a war among allies)
        by_treaty: dict[str, list[int]] = {}
        for k in plain:
            if index.defender[k]:
                by_treaty.setdefault(index.links[k].finding.treaty, []).append(k)
        self.fellows = []
        for tid, ks in sorted(by_treaty.items()):
            mem = np.array(sorted(index.pos[s] for s in index.members.get(tid, ()) if s in index.pos), dtype=np.int64)
            at = {p: i for i, p in enumerate(mem.tolist())}
            ct = np.zeros((len(mem), len(mem)), dtype=np.float32)
            for k in ks:
                ct[at[int(index.beneficiary[k])], at[int(index.obligor[k])]] += 1.0
            self.fellows.append((mem, ct))
        # which treaties each state is a party to (states × treaties): one product per round finds the wars in
        # which a treaty has both an aggressor and a frontier state among its parties
        self.parties = np.zeros((n, len(self.fellows)), dtype=np.float32)
        for j, (mem, _) in enumerate(self.fellows):
            self.parties[mem, j] = 1.0

    def padded(self, n: int) -> Propagator:
        """The same links over ``n`` states, the extra ones having none."""
        out = copy.copy(self)
        extra = n - self.matrix[True].shape[1]
        out.matrix = {k: np.pad(m, ((0, 0), (0, extra))) for k, m in self.matrix.items()}
        out.parties = np.pad(self.parties, ((0, extra), (0, 0)))
        out.special = {
            k: (b, np.where(f == m.shape[1], n, f), st, o, np.pad(mt, ((0, extra), (0, 0))))
            for (k, (b, f, st, o, mt)), m in zip(self.special.items(), self.matrix.values(), strict=True)
        }
        return out

    def _spread(self, frontier: np.ndarray, defender: bool, aggressors: np.ndarray) -> np.ndarray:
        """Obligors of the frontier's states, computed only for the rows and columns that can have any.

        A defender-side link does not count in a war where an aggressor is a party to its treaty.
        """
        found = np.zeros(frontier.shape, dtype=bool)
        sub = frontier[:, self.live[defender]]
        rows = np.flatnonzero(sub.any(axis=1))
        if not rows.size:
            return found
        counts = sub[rows].astype(np.float32) @ self.matrix[defender]
        if defender and self.fellows:
            mine = frontier[rows]
            both = (aggressors[rows].astype(np.float32) @ self.parties > 0) & (mine.astype(np.float32) @ self.parties > 0)
            for j in np.flatnonzero(both.any(axis=0)).tolist():
                mem, ct = self.fellows[j]
                hit = np.flatnonzero(both[:, j])
                counts[np.ix_(hit, mem)] -= mine[np.ix_(hit, mem)].astype(np.float32) @ ct
        found[rows] = counts > 0.5
        return found

    def __call__(
        self, rows: np.ndarray, fd: np.ndarray, fa: np.ndarray, d: np.ndarray, a: np.ndarray, sources: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """States newly bound to each side by the frontier (``fd``, ``fa``: the last round's entrants)."""
        cand_d, cand_a = self._spread(fd, True, a), self._spread(fa, False, a)
        n = a.shape[1]
        for defender, side, cand in ((True, d, cand_d), (False, a, cand_a)):
            ben, foes, starts, obligors, mates = self.special[defender]
            if ben.size:  # their adversary test reads the whole aggressor side, so they are read every round
                named = a[:, np.minimum(foes, n - 1)] & (foes < n)  # a foe of n is padding: no state
                active = side[:, ben] & sources[:, ben] & named.any(axis=2)
                if defender:  # a war among allies: an aggressor is a party to the link's treaty
                    active &= a.astype(np.float32) @ mates < 0.5
                cand[:, obligors] |= np.logical_or.reduceat(active, starts, axis=1)
        return cand_d, cand_a


Propagate = Callable[..., tuple[np.ndarray, np.ndarray]]


@dataclass
class Rounds:
    """Round numbers per war (rows) and state (columns); ``NOT`` where a state never got there."""

    defender: np.ndarray
    aggressor: np.ndarray
    conflict: np.ndarray  # bound to both sides while out of the war: stays out
    late: np.ndarray  # already fighting, then bound to the other side as well

    @property
    def size(self) -> np.ndarray:
        """Number of belligerents per war."""
        return ((self.defender >= 0) | (self.aggressor >= 0)).sum(axis=1)


def cells(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (row, column) indices of a 2-d boolean array's True cells, as ``np.nonzero`` gives them, faster."""
    flat = np.flatnonzero(mask)
    return np.divmod(flat, mask.shape[1])


def advance(
    d0: np.ndarray,
    a0: np.ndarray,
    propagate: Propagate,
    roots: tuple[np.ndarray, np.ndarray] | None = None,
) -> Rounds:
    """Run the rounds to the fixed point for a batch of wars: the cascade rule, in one place.

    ``d0``/``a0`` are the round-0 sides (bool, wars × states). ``propagate(rows, fd, fa, d, a, sources)``
    says who is newly bound to each side by the last round's entrants ``fd``/``fa``, for the wars
    ``rows`` that are still growing (the other arrays are those rows; links whose beneficiary is not
    in ``sources`` are ignored); ``roots``, when given, are the states bound by the round-0
    belligerents (from the engine's findings for the event as given), and the round-0 belligerents
    are then left out of ``sources``. Being bound is monotone, so candidates accumulate.
    """
    initial = d0 | a0
    sources = ~initial if roots is not None else np.ones_like(d0)
    cand_d, cand_a = (roots[0].copy(), roots[1].copy()) if roots is not None else (np.zeros_like(d0), np.zeros_like(a0))
    rd = np.where(d0, 0, NOT).astype(np.int16)
    ra = np.where(a0, 0, NOT).astype(np.int16)
    rc = np.full(d0.shape, NOT, dtype=np.int16)
    rl = np.full(d0.shape, NOT, dtype=np.int16)
    # the wars still growing, compacted: rows leave the working set when they reach their fixed point
    rows = np.arange(d0.shape[0])
    d, a, fd, fa = d0.copy(), a0.copy(), d0 & sources, a0 & sources
    free = ~initial  # out of the war and not yet in conflict
    unlate = ~initial  # not a round-0 belligerent, not yet bound to the other side while fighting
    for r in range(1, d0.shape[1] + 2):
        new_d, new_a = propagate(rows, fd, fa, d, a, sources)
        cand_d |= new_d
        cand_a |= new_a
        fd, fa = cand_d & free, cand_a & free
        both = fd & fa
        fd ^= both
        fa ^= both
        late = ((cand_d & a) | (cand_a & d)) & unlate
        for rounds, mask in ((rd, fd), (ra, fa), (rc, both), (rl, late)):
            i, j = cells(mask)  # sparse: a few entrants per war
            rounds[rows[i], j] = r
        unlate &= ~late
        d |= fd
        a |= fa
        free &= ~(d | a | both)
        growing = fd.any(axis=1) | fa.any(axis=1)
        if not growing.all():
            if not growing.any():
                break
            rows, d, a, fd, fa, cand_d, cand_a, free, unlate, sources = (
                x[growing] for x in (rows, d, a, fd, fa, cand_d, cand_a, free, unlate, sources)
            )
    return Rounds(rd, ra, rc, rl)
