"""Shared set-up for the war benchmarks: the networks measured and the straightforward baselines.

Two networks: ATOP v4.01 imported from ../shared/data with the curated corpus (the real network on
1 July 2016), and a synthetic stress case with all 745 ATOP-sized alliances in force at once.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DAY = date(2016, 7, 1)
ALLIANCES = 745


def use_shared_state_list() -> None:
    """Point the data directory at a temporary copy of the COW state list from ../shared/data."""
    tmp = Path(tempfile.mkdtemp(prefix="foedus-bench-"))
    (tmp / "cow-states").mkdir()
    shutil.copy(SHARED / "states2016.csv", tmp / "cow-states" / "states2016.csv")
    os.environ["FOEDUS_DATA_DIR"] = str(tmp)


def atop_corpus():
    """The curated corpus plus ATOP v4.01, imported into the (temporary) data directory."""
    from foedus import store

    store.import_dataset("atop", [SHARED / "atop4_01_alliance_level.csv", SHARED / "atop4_01_member_level.csv"])
    return store.active_corpus()


def networks(members: list[str]):
    """(label, corpus) of each network measured."""
    yield "ATOP v4.01 imported, with the curated corpus", atop_corpus()
    yield "synthetic stress case: all 745 ATOP-sized alliances in force at once", synthetic_corpus(members)


def measure_on_networks(run) -> None:
    """Run ``run(corpus, members)`` on each measured network, over the COW members of ``DAY``."""
    use_shared_state_list()
    from foedus.sweep import members_on

    members = members_on(DAY)
    for label, corpus in networks(members):
        print(f"-- {label}")
        run(corpus, members)


def synthetic_corpus(members: list[str], seed: int = 1, alliances: int = ALLIANCES, defence: float = 0.65):
    """Alliances among ``members``, mostly regional as in ATOP: many bilateral pacts, a few large ones.

    The default is a stress case, all of ATOP v4.01's 745 alliances in force at once, two thirds with a
    defence clause (on 1 July 2016, 334 ATOP alliances were in force, 46 with a defence clause).
    """
    from foedus import Corpus, places
    from foedus.model import Condition, ConditionKind, Kind, Means, Membership, Obligation, Treaty

    rng = np.random.default_rng(seed)
    region: dict[str, list[str]] = {}
    for m in members:
        region.setdefault((places.regions_of(m) or ("none",))[0], []).append(m)
    regions = sorted(region)
    weights = np.array([len(region[r]) for r in regions], dtype=float)
    treaties = []
    for i in range(alliances):
        size = int(
            rng.choice([2, rng.integers(3, 9), rng.integers(9, 21), rng.integers(21, 36)], p=[0.75, 0.15, 0.07, 0.03])
        )
        home = region[regions[rng.choice(len(regions), p=weights / weights.sum())]]
        pool = members if rng.random() < 0.2 else home  # one pact in five reaches beyond its region
        parties = sorted(rng.choice(pool, size=min(size, len(pool)), replace=False).tolist())
        roll = rng.random()
        obs = []
        if roll < defence:
            means = [Means.ALL_MEANS, Means.NECESSARY_ACTION, Means.CONSTITUTIONAL][int(rng.integers(3))]
            conds = ()
            if rng.random() < 0.05:
                foes = tuple(
                    sorted(rng.choice([m for m in members if m not in parties], size=2, replace=False).tolist())
                )
                conds = (Condition(kind=ConditionKind.SPECIFIC_ADVERSARY, states=foes),)
            obs.append(Obligation(id="d", kind=Kind.DEFENSE, means=means, conditions=conds))
            if roll < defence * 0.15:
                obs.append(Obligation(id="o", kind=Kind.OFFENSE, means=means))
        elif roll < defence + (1 - defence) * 0.6:
            obs.append(Obligation(id="c", kind=Kind.CONSULTATION, means=Means.CONSULT))
        else:
            obs.append(Obligation(id="n", kind=Kind.NEUTRALITY))
        start = date(1950, 1, 1)
        treaties.append(
            Treaty(
                id=f"syn-{i}",
                name=f"Synthetic alliance {i}",
                in_force=start,
                origin="atop",
                parties=tuple(Membership(state=p, start=start) for p in parties),
                obligations=tuple(obs),
            )
        )
    return Corpus(treaties)


def naive_cascade(event, corpus) -> dict[str, tuple[str, int]]:
    """The straightforward cascade: round by round, the engine over the whole corpus for each new defender.

    Each new defender is attacked in its forces in the theatre: the event place's regions and administrator.
    """
    from foedus import states
    from foedus.engine import assess_event
    from foedus.model import Event, Kind, Place, PlaceKind, Status, Strength

    sides = {event.target: ("defender", 0), **{a: ("aggressor", 0) for a in event.attackers}}
    frontier = [(event.target, event)]
    r = 0
    while frontier:
        r += 1
        joining = set()
        for b, ev in frontier:
            for f in assess_event(ev, corpus).findings:
                if (
                    f.beneficiary == b
                    and f.kind is Kind.DEFENSE
                    and f.status is Status.OBLIGATED
                    and f.strength >= Strength.CONST
                    and f.obligor not in sides
                ):
                    joining.add(f.obligor)
        frontier = []
        for o in sorted(joining):
            sides[o] = ("defender", r)
            forces = Place(
                name=f"{states.name(o)} forces",
                state=o,
                kind=PlaceKind.FORCES,
                regions=event.place.regions,
                administered_by=event.place.administrator,
            )
            frontier.append((o, Event(attackers=event.attackers, target=o, place=forces, on=event.on)))
    return sides


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` runs, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def busiest_scenario(corpus, members: list[str]) -> tuple[str, str]:
    """(target, attacker): a member of the largest alliance in force on the day, attacked from outside it."""
    big = max((t for t in corpus if t.interval.contains(DAY)), key=lambda t: (len(t.members_on(DAY)), t.id))
    inside = set(big.members_on(DAY))
    return sorted(inside & set(members))[0], next(m for m in members if m not in inside)
