"""The alliance network on a date: states as nodes, obligations in force as edges.

An edge joins two states when, on that date, a treaty in force binds one of them to the
other (both members, the obligation's phase valid, the pair not suspended). It carries
every such obligation and the strongest class among them. Node positions come from a
deterministic networkx Kamada-Kawai layout per connected component, started from each
state's continent, so the page can draw the graph without a graph library.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import networkx as nx
import numpy as np

from . import states, store
from .corpus.loader import Corpus
from .model import Obligation, Strength, Treaty
from .strength import strength

FIRST_YEAR = 1945  # the slider's start with the curated corpus alone
ATOP_FIRST_YEAR = 1815  # ATOP's coverage begins in 1815
ASPECT = 1.4  # width to height of the packed components, near that of the page's drawing
MIN_GAP = 0.07  # the least distance between two states' centres in the [-1, 1]² drawing
# rough places of the continents (y grows downwards, as on the page) where their states start out
CONTINENT_ANCHORS = {
    "Americas": (-1.0, 0.0),
    "Europe": (0.0, -0.8),
    "Africa": (0.1, 0.8),
    "Asia": (1.0, 0.0),
    "Oceania": (1.0, 0.9),
}


def _pairs(treaty: Treaty, ob: Obligation, members: list[str]) -> list[tuple[str, str]]:
    """The (obligor, beneficiary) pairs an obligation binds among the members."""
    obligors = [m for m in members if ob.obligors is None or m in ob.obligors]
    beneficiaries = [m for m in members if ob.beneficiaries is None or m in ob.beneficiaries]
    return [(a, b) for a in obligors for b in beneficiaries if a != b]


def alliance_graph(on: date, corpus: Corpus | None = None) -> nx.Graph:
    """The network of obligations in force on ``on``, one undirected edge per bound pair."""
    corpus = corpus if corpus is not None else store.active_corpus()
    g = nx.Graph(on=on)
    for treaty in corpus:
        members = treaty.members_on(on)
        for ob in treaty.obligations:
            if ob.valid is not None and not ob.valid.contains(on):
                continue
            for obligor, beneficiary in _pairs(treaty, ob, members):
                if treaty.suspended(obligor, beneficiary, on) is not None:
                    continue
                if not g.has_edge(obligor, beneficiary):
                    g.add_edge(obligor, beneficiary, strength=Strength.NONE, obligations=[])
                edge = g.edges[obligor, beneficiary]
                edge["strength"] = max(edge["strength"], strength(ob))
                edge["obligations"].append(
                    {
                        "treaty": treaty.id,
                        "obligation": ob.id,
                        "article": ob.article,
                        "kind": ob.kind.value,
                        "obligor": obligor,
                        "beneficiary": beneficiary,
                        "strength": strength(ob).label,
                    }
                )
    for sid in g.nodes:
        g.nodes[sid]["name"] = states.name(sid)
    return g


def _seed_position(sid: str) -> tuple[float, float]:
    """A fixed starting point per state: its continent's place on a rough world map, plus a small
    per-state offset, so blocs start apart and a state sits in much the same place on every date."""
    h = hashlib.sha256(sid.encode()).digest()
    ax, ay = CONTINENT_ANCHORS.get(states.continent(sid) or "", (0.0, 0.0))
    return (ax + (h[0] / 255 - 0.5) * 0.6, ay + (h[1] / 255 - 0.5) * 0.6)


def _component_layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """A Kamada-Kawai layout of one connected component scaled into [-1, 1]² (stronger ties are
    shorter), started from each state's seed position so it is deterministic."""
    ties = tuple(sorted((min(a, b), max(a, b), int(d["strength"])) for a, b, d in g.edges(data=True)))
    return dict(_tie_layout(ties) if ties else [(n, (0.0, 0.0)) for n in g])


@lru_cache(maxsize=512)
def _tie_layout(ties: tuple[tuple[str, str, int], ...]) -> tuple[tuple[str, tuple[float, float]], ...]:
    """The layout of the component made of these (state, state, strength rank) ties; cached, since
    a component keeps its ties for years at a time as the date moves."""
    g = nx.Graph()
    g.add_weighted_edges_from(
        ((a, b, 1.0 + 0.25 * (int(Strength.AUTO) - rank)) for a, b, rank in ties), weight="length"
    )
    pos = nx.kamada_kawai_layout(g, pos={n: _seed_position(n) for n in sorted(g)}, weight="length")
    nodes = sorted(pos)
    scaled = nx.rescale_layout(np.array([pos[n] for n in nodes]), scale=1.0)
    return tuple((n, (float(x), float(y))) for n, (x, y) in zip(nodes, scaled, strict=True))


def _spread(points: np.ndarray, gap: float, rounds: int = 300) -> np.ndarray:
    """Push apart every pair of points closer than ``gap``, keeping all within [-1, 1]²."""
    n = len(points)
    if n < 2:
        return points
    p = points.copy()
    eye = np.eye(n, dtype=bool)
    # a fixed direction per pair, opposite for its two points, for points that coincide exactly
    idx = np.arange(n)
    angle = np.add.outer(idx, idx) * 2.399963
    fallback = np.sign(np.subtract.outer(idx, idx))[..., None] * np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    for _ in range(rounds):
        diff = p[:, None, :] - p[None, :, :]
        dist = np.hypot(diff[..., 0], diff[..., 1])
        close = (dist < gap) & ~eye
        if not close.any():
            break
        unit = np.where(dist[..., None] > 1e-9, diff / np.maximum(dist, 1e-9)[..., None], fallback)
        # each point of a close pair moves half the shortfall, overshooting a little so that it ends
        push = np.where(close, (gap * 1.02 - dist) * 0.5, 0.0)[..., None] * unit
        p = np.clip(p + push.sum(axis=1), -1.0, 1.0)
    return p


def min_gap(count: int) -> float:
    """The least distance the layout keeps between two of ``count`` states: MIN_GAP, or less when
    there are so many that a square grid of them at that gap would crowd the [-1, 1]² square."""
    return min(MIN_GAP, 1.6 / max(count, 1) ** 0.5)


def _pack(sides: list[float]) -> tuple[list[tuple[float, float]], float, float]:
    """Centres for squares of these sides (largest first) stacked in columns about ASPECT times as
    wide as tall, with the total width and height."""
    height = max(max(sides), (sum(s * s for s in sides) / ASPECT) ** 0.5)
    centres: list[tuple[float, float]] = []
    x = y = column_width = 0.0
    for side in sides:
        if y > 0 and y + side > height:
            x, y, column_width = x + column_width, 0.0, 0.0
        centres.append((x + side / 2, y + side / 2))
        y, column_width = y + side, max(column_width, side)
    return centres, x + column_width, height


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]²: each connected component laid out on its own and packed in columns,
    larger components first, each given room in proportion to the square root of its size; then
    pushed apart so that no two states are closer than ``min_gap``."""
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    if not comps:
        return {}
    sides = [len(c) ** 0.5 for c in comps]
    centres, width, height = _pack(sides)
    scale = 2 / max(width, height)
    ids: list[str] = []
    points: list[tuple[float, float]] = []
    for comp, side, (cx, cy) in zip(comps, sides, centres, strict=True):
        for n, (px, py) in _component_layout(g.subgraph(comp)).items():
            ids.append(n)
            points.append((scale * (cx - width / 2 + px * side * 0.46), scale * (cy - height / 2 + py * side * 0.46)))
    spread = _spread(np.array(points), min_gap(len(ids)) * 1.001)  # a margin for rounding to 4 places
    return {n: (round(float(px), 4), round(float(py), 4)) for n, (px, py) in zip(ids, spread, strict=True)}


@dataclass(frozen=True)
class Network:
    """The alliance network on a date, laid out for drawing."""

    on: date
    graph: nx.Graph
    positions: dict[str, tuple[float, float]]
    years: tuple[int, int]

    def as_json(self) -> dict:
        """The JSON document of ``foedus network --json`` and the API."""
        return {
            "on": self.on.isoformat(),
            "years": list(self.years),
            "nodes": [
                {
                    "id": n,
                    "name": d["name"],
                    "x": self.positions[n][0],
                    "y": self.positions[n][1],
                    "degree": self.graph.degree(n),
                }
                for n, d in sorted(self.graph.nodes(data=True))
            ],
            "edges": sorted(
                (
                    {
                        "source": min(a, b),
                        "target": max(a, b),
                        "strength": d["strength"].label,
                        "rank": int(d["strength"]),
                        "treaties": sorted({o["treaty"] for o in d["obligations"]}),
                        "obligations": d["obligations"],
                    }
                    for a, b, d in self.graph.edges(data=True)
                ),
                key=lambda e: (e["source"], e["target"]),
            ),
        }


def year_range(corpus: Corpus) -> tuple[int, int]:
    """The slider's span: from 1945 with the curated corpus, from 1815 once ATOP data is imported."""
    first = ATOP_FIRST_YEAR if any(t.origin == "atop" for t in corpus) else FIRST_YEAR
    return first, date.today().year


def network(on: date, corpus: Corpus | None = None) -> Network:
    """The alliance network on ``on`` with layout positions and the corpus's year span."""
    corpus = corpus if corpus is not None else store.active_corpus()
    g = alliance_graph(on, corpus)
    return Network(on=on, graph=g, positions=layout(g), years=year_range(corpus))
