"""The alliance network on a date: states as nodes, obligations in force as edges.

An edge joins two states when, on that date, a treaty in force binds one of them to the
other (both members, the obligation's phase valid, the pair not suspended). It carries
every such obligation and the strongest class among them. Node positions come from a
seeded networkx spring layout, so the page can draw the graph without a graph library.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import networkx as nx

from . import states, store
from .corpus.loader import Corpus
from .model import Obligation, Strength, Treaty
from .strength import strength

FIRST_YEAR = 1945  # the slider's start with the curated corpus alone
ATOP_FIRST_YEAR = 1815  # ATOP's coverage begins in 1815
LAYOUT_SEED = 7
SPREAD = 3.0  # spring length relative to networkx's default: keeps treaty cliques legible


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
                    {"treaty": treaty.id, "obligation": ob.id, "article": ob.article, "kind": ob.kind.value,
                     "obligor": obligor, "beneficiary": beneficiary, "strength": strength(ob).label}
                )
    for sid in g.nodes:
        g.nodes[sid]["name"] = states.name(sid)
    return g


def _seed_position(sid: str) -> tuple[float, float]:
    """A fixed starting point per state, so a state sits in much the same place on every date."""
    h = hashlib.sha256(sid.encode()).digest()
    return (h[0] / 127.5 - 1.0, h[1] / 127.5 - 1.0)


def _component_layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """A seeded spring layout of one connected component in [-1, 1]² (stronger ties pull closer)."""
    if g.number_of_nodes() == 1:
        return {n: (0.0, 0.0) for n in g}
    weights = {(a, b): 1 + int(d["strength"]) for a, b, d in g.edges(data=True)}
    nx.set_edge_attributes(g, weights, "weight")
    pos = nx.spring_layout(g, pos={n: _seed_position(n) for n in g}, seed=LAYOUT_SEED, weight="weight",
                           k=SPREAD / g.number_of_nodes() ** 0.5, iterations=100)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]²: each connected component laid out on its own, then packed in rows,
    larger components first, each given room in proportion to the square root of its size."""
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    if not comps:
        return {}
    sides = [len(c) ** 0.5 for c in comps]
    width = max(max(sides), 1.25 * sum(s * s for s in sides) ** 0.5)
    placed: list[tuple[list[str], float, float, float]] = []  # component, centre x, centre y, side
    x = y = row_height = 0.0
    for comp, side in zip(comps, sides, strict=True):
        if x > 0 and x + side > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        placed.append((comp, x + side / 2, y + side / 2, side))
        x, row_height = x + side, max(row_height, side)
    height = y + row_height
    scale = 2 / max(width, height)
    pos: dict[str, tuple[float, float]] = {}
    for comp, cx, cy, side in placed:
        for n, (px, py) in _component_layout(g.subgraph(comp).copy()).items():
            pos[n] = (round(-1 + scale * (cx + px * side * 0.42), 4), round(-1 + scale * (cy + py * side * 0.42), 4))
    return pos


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
                {"id": n, "name": d["name"], "x": self.positions[n][0], "y": self.positions[n][1],
                 "degree": self.graph.degree(n)}
                for n, d in sorted(self.graph.nodes(data=True))
            ],
            "edges": sorted(
                ({"source": min(a, b), "target": max(a, b), "strength": d["strength"].label,
                  "rank": int(d["strength"]), "treaties": sorted({o["treaty"] for o in d["obligations"]}),
                  "obligations": d["obligations"]} for a, b, d in self.graph.edges(data=True)),
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
