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
from threadpoolctl import threadpool_limits

from . import states, store
from .corpus.loader import Corpus
from .model import Strength
from .strength import strength

FIRST_YEAR = 1945  # the slider's start with the curated corpus alone
ATOP_FIRST_YEAR = 1815  # ATOP's coverage begins in 1815
ASPECT = 1.4  # width to height of the packed components, near that of the page's drawing
MIN_GAP = 0.07  # the least distance between two states' centres in the [-1, 1]² drawing
# rough places of the continents (y grows downwards, as on the page) where their states start out
CONTINENT_ANCHORS = {"Americas": (-1.0, 0.0), "Europe": (0.0, -0.8), "Africa": (0.1, 0.8),
                     "Asia": (1.0, 0.0), "Oceania": (1.0, 0.9)}


@dataclass(frozen=True)
class _Rule:
    """One obligation of a treaty, reduced to what the network needs to test and record it."""

    valid: tuple[date, date | None] | None
    rank: Strength
    obligors: frozenset[str] | None
    beneficiaries: frozenset[str] | None
    record: tuple[str, str, str | None, str, str]  # treaty, obligation, article, kind, strength label


@dataclass(frozen=True)
class _Ties:
    """A treaty's spells, obligations and suspensions as plain dates and sets, read once per corpus
    (the models' ``interval`` properties build a validated object on every call)."""

    start: date
    end: date | None
    parties: tuple[tuple[str, date, date | None], ...]
    rules: tuple[_Rule, ...]
    suspensions: tuple[tuple[frozenset[str], date, date | None], ...]
    through: date | None  # the dataset's last coded day, past which the coding is unconfirmed
    note: str | None


def _within(day: date, start: date, end: date | None) -> bool:
    return start <= day and (end is None or day < end)


@lru_cache(maxsize=2)  # the store's corpus, and one more (a test's, or the one before an import)
def _ties(corpus: Corpus) -> tuple[_Ties, ...]:
    """Every treaty of ``corpus`` reduced to :class:`_Ties`."""
    out = []
    for t in corpus:
        rules = tuple(
            _Rule(None if ob.valid is None else (ob.valid.start, ob.valid.end), strength(ob),
                  None if ob.obligors is None else frozenset(ob.obligors),
                  None if ob.beneficiaries is None else frozenset(ob.beneficiaries),
                  (t.id, ob.id, ob.article, ob.kind.value, strength(ob).label))
            for ob in t.obligations)
        out.append(_Ties(t.in_force, t.ended, tuple((m.state, m.start, m.end) for m in t.parties), rules,
                         tuple((frozenset(s.between), s.start, s.end) for s in t.suspensions),
                         t.horizon.through if t.horizon is not None else None, t.horizon_note()))
    return tuple(out)


def alliance_graph(on: date, corpus: Corpus | None = None) -> nx.Graph:
    """The network of obligations in force on ``on``, one undirected edge per bound pair."""
    corpus = corpus if corpus is not None else store.active_corpus()
    edges: dict[tuple[str, str], list] = {}  # sorted pair -> [(obligor, beneficiary) as first seen, class, obligations]
    for t in _ties(corpus):
        if not _within(on, t.start, t.end):
            continue
        members = sorted({s for s, start, end in t.parties if _within(on, start, end)})
        unconfirmed = t.note if t.through is not None and on > t.through else None
        suspended = [pair for pair, start, end in t.suspensions if _within(on, start, end)]
        for rule in t.rules:
            if rule.valid is not None and not _within(on, *rule.valid):
                continue
            obligors = members if rule.obligors is None else [m for m in members if m in rule.obligors]
            beneficiaries = members if rule.beneficiaries is None else [m for m in members if m in rule.beneficiaries]
            tid, oid, article, kind, label = rule.record
            for a in obligors:
                for b in beneficiaries:
                    if a == b:
                        continue
                    key = (a, b) if a < b else (b, a)
                    if suspended and frozenset(key) in suspended:
                        continue
                    edge = edges.get(key)
                    if edge is None:
                        edge = edges[key] = [(a, b), Strength.NONE, []]
                    if rule.rank > edge[1]:
                        edge[1] = rule.rank
                    edge[2].append({"treaty": tid, "obligation": oid, "article": article, "kind": kind,
                                    "obligor": a, "beneficiary": b, "strength": label, "unconfirmed": unconfirmed})
    g = nx.Graph(on=on)
    g.add_edges_from((a, b, {"strength": rank, "obligations": obs}) for (a, b), rank, obs in edges.values())
    for sid in g.nodes:
        g.nodes[sid]["name"] = states.name(sid, on)
    return g


def _seed_position(sid: str) -> tuple[float, float]:
    """A fixed starting point per state: its continent's place on a rough world map, plus a small
    per-state offset, so blocs start apart and a state sits in much the same place on every date."""
    h = hashlib.sha256(sid.encode()).digest()
    ax, ay = CONTINENT_ANCHORS.get(states.continent(sid) or "", (0.0, 0.0))
    return (ax + (h[0] / 255 - 0.5) * 0.6, ay + (h[1] / 255 - 0.5) * 0.6)


def _component_ties(g: nx.Graph, comps: list[list[str]]) -> list[tuple[tuple[str, str, int], ...]]:
    """The sorted (state, state, strength rank) ties of each component, read in one pass over the
    edges (a subgraph view per component costs more than its layout)."""
    where = {n: k for k, comp in enumerate(comps) for n in comp}
    ties: list[list[tuple[str, str, int]]] = [[] for _ in comps]
    for a, b, rank in g.edges(data="strength"):
        ties[where[a]].append((a, b, int(rank)) if a < b else (b, a, int(rank)))
    return [tuple(sorted(t)) for t in ties]


def _component_layout(comp: list[str], ties: tuple[tuple[str, str, int], ...]) -> dict[str, tuple[float, float]]:
    """A Kamada-Kawai layout of one connected component scaled into [-1, 1]² (stronger ties are
    shorter), started from each state's seed position so it is deterministic."""
    return dict(_tie_layout(ties) if ties else [(n, (0.0, 0.0)) for n in comp])


@lru_cache(maxsize=512)
def _tie_layout(ties: tuple[tuple[str, str, int], ...]) -> tuple[tuple[str, tuple[float, float]], ...]:
    """The layout of the component made of these (state, state, strength rank) ties; cached, since
    a component keeps its ties for years at a time as the date moves."""
    from scipy.sparse import csr_matrix  # scipy is imported on the first layout, not with the CLI
    from scipy.sparse.csgraph import shortest_path

    nodes = sorted({s for a, b, _ in ties for s in (a, b)})
    at = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    lengths = [1.0 + 0.25 * (int(Strength.AUTO) - rank) for _, _, rank in ties]
    edges = csr_matrix((lengths, ([at[a] for a, _, _ in ties], [at[b] for _, b, _ in ties])), shape=(n, n))
    length = shortest_path(edges, method="D", directed=False)  # graph distances along the ties
    seed = np.array([_seed_position(s) for s in nodes])
    pos = _stress_majorization(length, seed)
    scaled = _rescale(pos)
    return tuple((s, (float(x), float(y))) for s, (x, y) in zip(nodes, scaled, strict=True))


def _stress_majorization(dist: np.ndarray, seed: np.ndarray, rounds: int = 150) -> np.ndarray:
    """Positions whose distances match the graph distances ``dist``, pairs weighted by ``dist``⁻²:
    the Kamada-Kawai energy, minimised by SMACOF (each step a matrix product, never uphill),
    started from the classical scaling of ``dist`` turned towards ``seed`` (a start near the
    minimum: a few dozen steps instead of over a hundred), so the result is deterministic."""
    n = len(dist)
    if n < 3:
        return seed - seed.mean(axis=0)
    off = ~np.eye(n, dtype=bool)
    safe = np.where(off, dist, 1.0)
    weight = np.where(off, safe**-2.0, 0.0)
    target = weight * dist  # the B matrix's numerators
    # the pseudo-inverse of the weighted Laplacian V: inv(V + J/n) - J/n, as V's null space is the ones
    v = np.diag(weight.sum(axis=1)) - weight
    v_plus = np.linalg.inv(v + 1.0 / n) - 1.0 / n
    x = _classical_scaling(dist, seed - seed.mean(axis=0))
    last = np.inf
    for _ in range(rounds):
        dx, dy = x[:, 0, None] - x[None, :, 0], x[:, 1, None] - x[None, :, 1]
        now = np.sqrt(dx * dx + dy * dy)  # np.hypot is several times slower, and guards no overflow here
        np.fill_diagonal(now, 1.0)
        ratio = target / np.maximum(now, 1e-9)
        x = v_plus @ (ratio.sum(axis=1)[:, None] * x - ratio @ x)  # B(x) @ x, B never built
        stress = float((weight * (now - safe) ** 2).sum())
        if last - stress < 1e-4 * last:
            break
        last = stress
    return x


def _classical_scaling(dist: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """Classical (Torgerson) scaling of ``dist`` into the plane, rotated or mirrored to lie as close
    as it can to the centred ``seed`` (orthogonal Procrustes), so that blocs keep their continents'
    sides of the drawing."""
    squared = dist**2
    inner = -0.5 * (squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean())
    values, vectors = np.linalg.eigh(inner)  # ascending: the last two span the plane
    x = vectors[:, -2:] * np.sqrt(np.maximum(values[-2:], 0.0))
    u, _, vt = np.linalg.svd(x.T @ seed)
    return x @ (u @ vt)


def _rescale(pos: np.ndarray) -> np.ndarray:
    """Centred and scaled so the farthest coordinate is 1 (as networkx's ``rescale_layout``)."""
    pos = pos - pos.mean(axis=0)
    extent = np.abs(pos).max()
    return pos / extent if extent > 0 else pos


def _spread(points: np.ndarray, gap: float, rounds: int = 300) -> np.ndarray:
    """Push apart every pair of points closer than ``gap``, keeping all within [-1, 1]²."""
    from scipy.spatial import cKDTree  # the close pairs without measuring every pair

    n = len(points)
    if n < 2:
        return points
    p = points.copy()
    for _ in range(rounds):
        pairs = cKDTree(p).query_pairs(gap, output_type="ndarray")
        i, j = np.concatenate([pairs[:, 0], pairs[:, 1]]), np.concatenate([pairs[:, 1], pairs[:, 0]])
        dx, dy = p[i, 0] - p[j, 0], p[i, 1] - p[j, 1]
        d = np.hypot(dx, dy)
        close = d < gap  # the close pairs, each seen from both ends
        if not close.any():
            break
        i, j, dx, dy, d = i[close], j[close], dx[close], dy[close], d[close]
        # the unit vector from j to i; for points that coincide exactly, a fixed direction per pair,
        # opposite for its two points
        angle = (i + j) * 2.399963
        side = np.sign(i - j)
        apart = d > 1e-9
        ux = np.where(apart, dx / np.maximum(d, 1e-9), side * np.cos(angle))
        uy = np.where(apart, dy / np.maximum(d, 1e-9), side * np.sin(angle))
        # each point of a close pair moves half the shortfall, overshooting a little so that it ends
        push = (gap * 1.02 - d) * 0.5
        p = np.clip(p + np.stack([np.bincount(i, push * ux, n), np.bincount(i, push * uy, n)], axis=1), -1.0, 1.0)
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
    pushed apart so that no two states are closer than ``min_gap``. Laid out once per set of ties:
    every date of a period in which no tie changes gets the same positions."""
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    if not comps:
        return {}
    return dict(_packed(tuple(zip(map(tuple, comps), _component_ties(g, comps), strict=True))))


@lru_cache(maxsize=64)
def _packed(parts: tuple[tuple[tuple[str, ...], tuple[tuple[str, str, int], ...]], ...]
            ) -> tuple[tuple[str, tuple[float, float]], ...]:
    """:func:`layout` of the components (their states and ties), largest first."""
    sides = [len(comp) ** 0.5 for comp, _ in parts]
    centres, width, height = _pack(sides)
    scale = 2 / max(width, height)
    ids: list[str] = []
    points: list[tuple[float, float]] = []
    # BLAS on one thread: as fast for matrices this small, and the same sums (so the same positions,
    # to the 4 places kept) whichever process lays out the date, a server's worker or the CLI
    with threadpool_limits(limits=1, user_api="blas"):
        for (comp, ties), side, (cx, cy) in zip(parts, sides, centres, strict=True):
            for n, (px, py) in _component_layout(list(comp), ties).items():
                ids.append(n)
                points.append((scale * (cx - width / 2 + px * side * 0.46),
                               scale * (cy - height / 2 + py * side * 0.46)))
    # a margin for rounding to 4 places: each coordinate moves by 0.5e-4 at most, a pair's distance by 2·√2·0.5e-4
    spread = _spread(np.array(points), min_gap(len(ids)) + 1.5e-4)
    return tuple((n, (round(float(px), 4), round(float(py), 4))) for n, (px, py) in zip(ids, spread, strict=True))


@dataclass(frozen=True)
class Network:
    """The alliance network on a date, laid out for drawing."""

    on: date
    graph: nx.Graph
    positions: dict[str, tuple[float, float]]
    years: tuple[int, int]

    def as_json(self) -> dict:
        """The JSON document of ``foedus network --json`` and the API: states with positions, and
        bound pairs with their strongest class and treaties (the obligations: :func:`owed_by`)."""
        return {
            "on": self.on.isoformat(),
            "years": list(self.years),
            "nodes": [
                {"id": n, "name": d["name"], "x": self.positions[n][0], "y": self.positions[n][1],
                 "degree": self.graph.degree(n)}
                for n, d in sorted(self.graph.nodes(data=True))
            ],
            "edges": sorted(
                ({"source": min(a, b), "target": max(a, b), "strength": d["strength"].label,
                  "rank": int(d["strength"]), "treaties": sorted({o["treaty"] for o in d["obligations"]})}
                 for a, b, d in self.graph.edges(data=True)),
                key=lambda e: (e["source"], e["target"]),
            ),
        }



def owed_by(g: nx.Graph, sid: str) -> list[dict]:
    """Every obligation ``sid`` owes in the network ``g``: beneficiary, treaty, article, kind, class."""
    if sid not in g:
        return []
    owed = [o for _, _, d in g.edges(sid, data=True) for o in d["obligations"] if o["obligor"] == sid]
    return sorted(owed, key=lambda o: (o["beneficiary"], o["treaty"], o["obligation"]))


def year_range(corpus: Corpus) -> tuple[int, int]:
    """The slider's span: from 1945 with the curated corpus, from 1815 once ATOP data is imported."""
    first = ATOP_FIRST_YEAR if any(t.origin == "atop" for t in corpus) else FIRST_YEAR
    return first, date.today().year


def network(on: date, corpus: Corpus | None = None, graph: nx.Graph | None = None) -> Network:
    """The alliance network on ``on`` with layout positions and the corpus's year span (``graph``:
    the corpus's :func:`alliance_graph` of ``on``, when already built)."""
    corpus = corpus if corpus is not None else store.active_corpus()
    g = graph if graph is not None else alliance_graph(on, corpus)
    return Network(on=on, graph=g, positions=layout(g), years=year_range(corpus))
