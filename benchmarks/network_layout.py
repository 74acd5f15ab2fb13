"""Layout of the 2025 alliance network (100 states, 1,050 bound pairs): the page's layout vs a plain
seeded spring layout of the whole graph, timed in fresh processes (both build the graph first), with how crowded each leaves it.

Crowding is the closest distance between two states' centres in the [-1, 1]² drawing and the number
of pairs nearer than foedus.network.MIN_GAP (ISO3 labels of such pairs would touch).

Run: python -m benchmarks.network_layout
"""

from __future__ import annotations

import math
from datetime import date

import networkx as nx

from benchmarks._measure import measure
from foedus.network import MIN_GAP, alliance_graph, layout

DAY = date(2025, 3, 1)


def _crowding(pos: dict[str, tuple[float, float]]) -> tuple[float, int]:
    """The closest pair's distance and how many pairs are closer than MIN_GAP."""
    pts = list(pos.values())
    gaps = [math.dist(p, q) for i, p in enumerate(pts) for q in pts[i + 1:]]
    return round(min(gaps), 4), sum(g < MIN_GAP for g in gaps)


def page_layout() -> dict[str, tuple[float, float]]:
    """foedus.network.layout: Kamada-Kawai per component, packed, states pushed apart."""
    return layout(alliance_graph(DAY))


def spring_baseline() -> dict[str, tuple[float, float]]:
    """networkx's spring layout of the whole graph, seeded, scaled into [-1, 1]²."""
    pos = nx.spring_layout(alliance_graph(DAY), seed=7)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def main() -> None:
    ours = measure(page_layout, _crowding)
    base = measure(spring_baseline, _crowding)
    for label, (best, median, peak, crowd) in (("page layout", ours), ("spring baseline", base)):
        print(f"{label:<22}  best {best:.3f} s  median {median:.3f} s  peak {peak:.0f} MiB  "
              f"closest pair {crowd[0]}  pairs < {MIN_GAP}: {crowd[1]}")
    print(f"ratio page layout / spring baseline (time): {ours[0] / base[0]:.2f}")


if __name__ == "__main__":
    main()
