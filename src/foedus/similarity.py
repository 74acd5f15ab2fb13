"""Similarity of two foreign-policy portfolios: S, tau-b, Cohen's kappa and Scott's pi.

A portfolio is one state's tie with every state in the system (itself included), on an
ordinal scale ``0 .. levels-1``. Every measure is computed from the contingency table of
the two portfolios (``table[a, b]`` = total weight of the states that the first state ties
at level ``a`` and the second at level ``b``), so the per-dyad functions (fpsim-style: two
portfolios in, one number out) and the all-dyads version :func:`all_pairs` share one set of
formulas. The ``*_from_table`` functions accept tables with extra trailing axes and return
one value per trailing position.

Sources: Signorino and Ritter (1999) for S; Bueno de Mesquita (1975) for tau-b; Häge (2011)
for kappa and pi. Undefined values (tau-b of a constant portfolio, kappa or pi when chance
disagreement is zero) are ``nan``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from .errors import FoedusError

Distance = Literal["absolute", "squared"]
MEASURES = ("s", "kappa", "pi", "tau-b")
# panel columns renamed when every similarity column became {measure}_{ties}_{metric}
RENAMED = {"taub_valued": "taub_valued_ord", "taub_binary": "taub_binary_ord"}


def _distances(levels: int, distance: Distance) -> np.ndarray:
    """``d[a, b]``: the distance between levels ``a`` and ``b``, scaled so the largest is 1."""
    if distance not in ("absolute", "squared"):
        raise FoedusError(f"unknown distance {distance!r} (use 'absolute' or 'squared')")
    grid = np.arange(levels, dtype=float)
    d = np.abs(grid[:, None] - grid[None, :]) / (levels - 1)
    return d**2 if distance == "squared" else d


def _contract(table: np.ndarray, d: np.ndarray) -> np.ndarray:
    return np.tensordot(d, table, axes=([0, 1], [0, 1]))


def s_from_table(table: np.ndarray, distance: Distance = "absolute") -> np.ndarray:
    """Signorino and Ritter's S: ``1 - 2 * sum(w_k d_k) / sum(w_k)`` with ``d_k`` in [0, 1]."""
    d = _distances(table.shape[0], distance)
    return 1.0 - 2.0 * _contract(table, d) / table.sum(axis=(0, 1))


def _chance_corrected(table: np.ndarray, distance: Distance, pooled: bool) -> np.ndarray:
    d = _distances(table.shape[0], distance)
    n = table.sum(axis=(0, 1))
    rows, cols = table.sum(axis=1) / n, table.sum(axis=0) / n
    if pooled:
        rows = cols = (rows + cols) / 2
    observed = _contract(table, d) / n
    expected = np.einsum("a...,ab,b...->...", rows, d, cols)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1.0 - observed / np.where(expected > 0, expected, 1.0), np.nan)


def kappa_from_table(table: np.ndarray, distance: Distance = "absolute") -> np.ndarray:
    """Cohen's weighted kappa (Häge 2011): ``1 - D_observed / D_expected``, expected from each state's own margins."""
    return _chance_corrected(table, distance, pooled=False)


def pi_from_table(table: np.ndarray, distance: Distance = "absolute") -> np.ndarray:
    """Scott's pi (Häge 2011): as kappa, with the expected disagreement from the pooled margins."""
    return _chance_corrected(table, distance, pooled=True)


def taub_from_table(table: np.ndarray) -> np.ndarray:
    """Kendall's tau-b (Bueno de Mesquita 1975): ``(P - Q) / sqrt((n0 - n1)(n0 - n2))``."""
    levels = table.shape[0]
    concordant = np.zeros(table.shape[2:])
    discordant = np.zeros(table.shape[2:])
    for a in range(levels):
        for b in range(levels):
            later = table[a + 1 :]
            concordant = concordant + table[a, b] * later[:, b + 1 :].sum(axis=(0, 1))
            discordant = discordant + table[a, b] * later[:, :b].sum(axis=(0, 1))
    n = table.sum(axis=(0, 1))
    pairs = n * (n - 1) / 2
    tied_x = (table.sum(axis=1) * (table.sum(axis=1) - 1) / 2).sum(axis=0)
    tied_y = (table.sum(axis=0) * (table.sum(axis=0) - 1) / 2).sum(axis=0)
    denom = np.sqrt((pairs - tied_x) * (pairs - tied_y))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, (concordant - discordant) / np.where(denom > 0, denom, 1.0), np.nan)


def table(x: np.ndarray, y: np.ndarray, levels: int, weights: np.ndarray | None = None) -> np.ndarray:
    """The ``levels x levels`` (weighted) contingency table of two portfolios."""
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape or x.ndim != 1:
        raise FoedusError(f"portfolios must be two vectors of equal length, got shapes {x.shape} and {y.shape}")
    for v in (x, y):
        if v.size and (v.min() < 0 or v.max() >= levels):
            raise FoedusError(f"portfolio values must lie in 0..{levels - 1}, got {v.min()}..{v.max()}")
    w = np.ones(x.shape) if weights is None else np.asarray(weights, dtype=float)
    out = np.zeros((levels, levels))
    np.add.at(out, (x.astype(int), y.astype(int)), w)
    return out


def s_score(
    x: np.ndarray, y: np.ndarray, levels: int = 4, distance: Distance = "absolute", weights: np.ndarray | None = None
) -> float:
    """S for two portfolios on the scale ``0..levels-1``; ``weights`` (e.g. capability shares) give weighted S."""
    return float(s_from_table(table(x, y, levels, weights), distance))


def tau_b(x: np.ndarray, y: np.ndarray, levels: int = 4) -> float:
    """Kendall's tau-b of two portfolios."""
    return float(taub_from_table(table(x, y, levels)))


def kappa(x: np.ndarray, y: np.ndarray, levels: int = 4, distance: Distance = "absolute") -> float:
    """Cohen's kappa of two portfolios."""
    return float(kappa_from_table(table(x, y, levels), distance))


def scott_pi(x: np.ndarray, y: np.ndarray, levels: int = 4, distance: Distance = "absolute") -> float:
    """Scott's pi of two portfolios."""
    return float(pi_from_table(table(x, y, levels), distance))


def validate(measures: tuple[str, ...], distance: str) -> None:
    """Raise unless every measure is known and the distance is absolute or squared."""
    unknown = [m for m in measures if m not in MEASURES]
    if unknown and unknown[0] in RENAMED:
        raise FoedusError(f"{unknown[0]!r} is the old name of the column {RENAMED[unknown[0]]!r}, not a measure "
                          f"(choose from {', '.join(MEASURES)})")
    if unknown:
        raise FoedusError(f"unknown similarity measure {unknown[0]!r} (choose from {', '.join(MEASURES)})")
    _distances(2, distance)  # type: ignore[arg-type]


def pair_tables(ties: np.ndarray, levels: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Contingency tables of every pair of rows of an ``N x N`` tie matrix: shape ``(levels, levels, N, N)``."""
    n = ties.shape[0]
    onehot = np.concatenate([(ties == a).astype(float) for a in range(levels)])  # (levels * N, N)
    weighted = onehot if weights is None else onehot * np.asarray(weights, dtype=float)[None, :]
    return (weighted @ onehot.T).reshape(levels, n, levels, n).transpose(0, 2, 1, 3)


def all_pairs(
    ties: np.ndarray,
    measures: tuple[str, ...],
    levels: int = 4,
    distance: Distance = "absolute",
    weights: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Each measure for every ordered pair of rows of the tie matrix (row ``i`` = state ``i``'s portfolio).

    ``weights`` applies to S only (weighted S); the chance-corrected measures and tau-b are unweighted.
    """
    validate(measures, distance)
    plain = pair_tables(ties, levels)
    out: dict[str, np.ndarray] = {}
    for m in measures:
        if m == "s":
            out[m] = s_from_table(plain if weights is None else pair_tables(ties, levels, weights), distance)
        elif m == "kappa":
            out[m] = kappa_from_table(plain, distance)
        elif m == "pi":
            out[m] = pi_from_table(plain, distance)
        else:
            out[m] = taub_from_table(plain)
    return out
