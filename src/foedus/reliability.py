"""Reliability: how often alliance commitments are honoured, and a Monte Carlo of the cascade.

The default honouring probabilities are estimated from Berkemeier and Fuhrmann (2018), who
re-coded every ATOP alliance invoked in an interstate war (576 alliance-war pairs; 139 are cases of
alliance performance). The package ships only the counts derived from that file
(``data/priors.yaml``); :func:`estimate` recomputes them from the original CSV so a test can check
they match. A probability is chosen per link: a per-treaty override, else a per-state override
(the obligor), else the prior for the link's class (defence links: pacts with a defence but no
offence obligation; offence links: pacts with an offence obligation). The data does not code
the means of assistance, so the strength classes A-AUTO, B-ASSIST and C-CONST share their kind's
estimate; this is stated by ``foedus simulate --explain-priors``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, ValidationError
from threadpoolctl import threadpool_limits

from . import limits, states
from .cascade import Rounds, Scenario, Side, advance
from .corpus.loader import Corpus, read_yaml
from .errors import DataError, FoedusError

BF_FILE = "berkemeier_fuhrmann_2018_alliance_fulfillment.csv"
CHUNK = 1 << 15  # draws per task; fixed, so results do not depend on how chunks are scheduled
CLASSES = ("offense", "defense", "neutrality", "nonaggression")
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class Prior:
    """One class of commitments: how many were invoked in war and how many were honoured."""

    name: str
    cases: int
    honoured: int
    rule: str

    @property
    def p(self) -> float:
        """The estimated honouring probability (the class's observed rate)."""
        return self.honoured / self.cases

    def interval(self) -> tuple[float, float]:
        """The Wilson 95% interval of the rate."""
        n, p = self.cases, self.p
        centre = (p + _Z95**2 / (2 * n)) / (1 + _Z95**2 / n)
        half = _Z95 * math.sqrt(p * (1 - p) / n + _Z95**2 / (4 * n * n)) / (1 + _Z95**2 / n)
        return centre - half, centre + half


@cache
def shipped() -> dict[str, Prior]:
    """The prior table that ships with the package."""
    doc = yaml.safe_load(resources.files("foedus").joinpath("data/priors.yaml").read_text(encoding="utf-8"))
    return {k: Prior(k, v["cases"], v["honoured"], v["rule"]) for k, v in doc["classes"].items()}


def _performance_cases(path: Path) -> pl.DataFrame:
    """The alliance-war pairs that are cases of alliance performance (BF coding), with their class."""
    if not path.exists():
        raise DataError(f"{path}: Berkemeier–Fuhrmann file not found")
    try:
        df = pl.read_csv(path, infer_schema_length=None)
        return df.filter(pl.col("dnaBF").is_null()).with_columns(
            honoured=pl.col("honorBF").fill_null(0) == 1,
            cls=pl.when(pl.col("offense") == 1)
            .then(pl.lit("offense"))
            .when(pl.col("defense") == 1)
            .then(pl.lit("defense"))
            .when(pl.col("neutral") == 1)
            .then(pl.lit("neutrality"))
            .otherwise(pl.lit("nonaggression")),
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise DataError(f"{path}: cannot read the Berkemeier–Fuhrmann file ({exc})") from None


def estimate(path: Path, wars: Iterable[int] | None = None) -> dict[str, Prior]:
    """Recompute the prior counts from the Berkemeier–Fuhrmann CSV (optionally only some wars)."""
    df = _performance_cases(path)
    if wars is not None:
        df = df.filter(pl.col("warid").is_in(list(wars)))
    rules = {k: v.rule for k, v in shipped().items()}
    counts = {r["cls"]: r for r in df.group_by("cls").agg(n=pl.len(), h=pl.col("honoured").sum()).to_dicts()}
    return {c: Prior(c, counts[c]["n"], counts[c]["h"], rules[c]) for c in CLASSES if c in counts}


def holdout(path: Path) -> list[dict]:
    """Fit on the wars with even IWD numbers, predict the fulfilment rate of the odd ones, and back."""
    df = _performance_cases(path)
    out = []
    for fit_parity in (0, 1):
        fit = estimate(path, df.filter(pl.col("warid") % 2 == fit_parity)["warid"].unique())
        test = df.filter(pl.col("warid") % 2 != fit_parity)
        predicted = sum(fit[c].p for c in test["cls"]) / test.height
        observed = test["honoured"].mean()
        se = math.sqrt(predicted * (1 - predicted) / test.height)
        out.append(
            {
                "fit_on": "even wars" if fit_parity == 0 else "odd wars",
                "test_cases": test.height,
                "predicted": predicted,
                "observed": observed,
                "z": (observed - predicted) / se,
            }
        )
    return out


def fulfilment_rate(classes: Sequence[str], priors: dict[str, Prior], draws: int, seed: int) -> np.ndarray:
    """Simulated fulfilment rates of a set of commitments (one rate per draw), with the MC's sampler."""
    p = np.array([priors[c].p for c in classes], dtype=np.float32)
    rng = np.random.default_rng(seed)
    return _honoured(rng, draws, p).mean(axis=1)


def _honoured(rng: np.random.Generator, draws: int, p: np.ndarray) -> np.ndarray:
    """Which commitments are honoured in each draw (draws × commitments)."""
    return rng.random((draws, p.size), dtype=np.float32) < p


# --- overrides --------------------------------------------------------------------------------


class _OverrideFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    treaties: dict[str, StrictFloat] = Field(default_factory=dict)  # strict: `true` is not a probability
    states: dict[str, StrictFloat] = Field(default_factory=dict)


@dataclass(frozen=True)
class Overrides:
    """Honouring probabilities set by the user, per treaty id and per obligor state id."""

    treaties: dict[str, float]
    states: dict[str, float]


def load_overrides(path: Path, corpus: Corpus) -> Overrides:
    """Read a YAML file ``{treaties: {id: p}, states: {name: p}}``; one-line errors name file and key."""
    raw = read_yaml(path)[1] or {}
    try:
        doc = _OverrideFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise FoedusError(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']} "
                          "(the file holds {treaties: {id: p}, states: {name: p}}, each p from 0 to 1)") from None
    for section, table in (("treaties", doc.treaties), ("states", doc.states)):
        for key, p in table.items():
            if not 0.0 <= p <= 1.0:
                raise FoedusError(f"{path}: {section}.{key}: {p} is not a probability between 0 and 1")
    for tid in doc.treaties:
        corpus.get(tid)
    try:
        by_state = {states.state_id(k): v for k, v in doc.states.items()}
    except FoedusError as exc:
        raise FoedusError(f"{path}: states: {exc}") from None
    return Overrides(dict(doc.treaties), by_state)


# --- the Monte Carlo --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A scenario as arrays over the states it can reach: small, picklable, shipped to workers."""

    ids: tuple[str, ...]
    d0: np.ndarray  # (states,) round-0 defenders
    a0: np.ndarray
    ben: np.ndarray  # (links,) column of the beneficiary
    obl: np.ndarray  # column of the obligor
    defender: np.ndarray  # bool: defender-side link
    commitment: np.ndarray  # which commitment (obligor, treaty, obligation) each link belongs to
    p: np.ndarray  # float32 honouring probability of each commitment
    foes: tuple[np.ndarray | None, ...]  # columns of named adversaries, or None
    fellows: tuple[np.ndarray, ...] = ()  # per link, the columns of its treaty's parties (a war among allies)


def problem(sc: Scenario, priors: dict[str, Prior] | None = None, overrides: Overrides | None = None) -> Problem:
    """The links a scenario can use, each with its probability of being honoured."""
    priors = priors or shipped()
    ix = sc.index
    links = [k for k in sc.root_links if k.enabled(sc.conditional)]
    initial = set(np.flatnonzero(sc.d0[0] | sc.a0[0]).tolist())
    reach = {ix.pos[k.finding.obligor] for k in links} | initial
    chosen = [k for k in ix.selected(sc.conditional).tolist() if ix.beneficiary[k] not in initial]
    while True:  # every state reachable through some chain of links, whichever side it would take
        grown = reach | {int(ix.obligor[k]) for k in chosen if ix.beneficiary[k] in reach}
        if grown == reach:
            break
        reach = grown
    links += [ix.links[k] for k in chosen if ix.beneficiary[k] in reach]
    cols = sorted(reach)
    ids = tuple(ix.ids[i] for i in cols) + tuple(sc.outside)
    col = {s: j for j, s in enumerate(ids)}
    ov = overrides or Overrides({}, {})

    def p_of(link) -> float:
        f = link.finding
        if f.treaty in ov.treaties:
            return ov.treaties[f.treaty]
        if f.obligor in ov.states:
            return ov.states[f.obligor]
        return priors["defense" if link.side is Side.DEFENDER else "offense"].p

    foes = tuple(np.array(sorted(col[s] for s in k.adversaries if s in col)) if k.adversaries else None for k in links)
    # an obligor honours a commitment or not in a draw, whichever ally it is owed to (the data's unit: ally-war)
    keys = [(k.finding.obligor, k.finding.treaty, k.finding.obligation) for k in links]
    commitments = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    first = {key: k for key, k in zip(reversed(keys), reversed(links), strict=True)}
    return Problem(
        ids=ids,
        d0=np.array([sc.d0[0, c] for c in cols] + [v is Side.DEFENDER for v in sc.outside.values()], dtype=bool),
        a0=np.array([sc.a0[0, c] for c in cols] + [v is Side.AGGRESSOR for v in sc.outside.values()], dtype=bool),
        ben=np.array([col[k.finding.beneficiary] for k in links], dtype=np.int32),
        obl=np.array([col[k.finding.obligor] for k in links], dtype=np.int32),
        defender=np.array([k.side is Side.DEFENDER for k in links], dtype=bool),
        commitment=np.array([commitments[key] for key in keys], dtype=np.int32),
        p=np.array([p_of(first[key]) for key in commitments], dtype=np.float32),
        foes=foes,
        fellows=tuple(np.array(sorted(col[s] for s in ix.members.get(k.finding.treaty, ()) if s in col), dtype=np.int64)
                      for k in links),
    )


def _commitment_propagator(pr: Problem, honoured: np.ndarray) -> Callable:
    """Who is bound to each side in each draw: an obligor whose honoured commitment is owed to a belligerent.

    Works per commitment, not per link: a (states × commitments) incidence says to whom each is owed.
    """
    n, c = pr.d0.size, pr.p.size
    owed = np.zeros((n, c), dtype=np.float32)
    owed[pr.ben, pr.commitment] = 1.0
    first = np.unique(pr.commitment, return_index=True)[1]  # one link per commitment, for its fields
    defender, obligor = pr.defender[first], pr.obl[first]
    foes = [pr.foes[k] for k in first]
    # defender-side commitments grouped by their treaty's parties: blocked in a draw where an aggressor is one
    parties: dict[tuple[int, ...], list[int]] = {}
    for j, k in enumerate(first.tolist()):
        if defender[j] and pr.fellows:
            parties.setdefault(tuple(pr.fellows[k].tolist()), []).append(j)
    groups = {}
    blocks: list[tuple[np.ndarray, np.ndarray]] = []  # (treaty parties' columns, their commitments' positions)
    for side in (True, False):
        cs = np.flatnonzero(defender == side)
        cs = cs[np.argsort(obligor[cs], kind="stable")]
        if cs.size:
            obl = obligor[cs]
            starts = np.flatnonzero(np.r_[True, obl[1:] != obl[:-1]])
            plain = np.array([foes[j] is None for j in cs])
            width = max((foes[j].size for j in cs if foes[j] is not None), default=1)
            foe_cols = np.full((cs.size, width), n, dtype=np.int32)  # padded with an always-False column
            for i, j in enumerate(cs):
                if foes[j] is not None:
                    foe_cols[i, : foes[j].size] = foes[j]
            to = owed[:, cs]
            groups[side] = (
                cs,
                starts,
                obl[starts],
                plain,
                foe_cols,
                {True: to[:, plain], False: to[:, ~plain]},
                honoured[:, cs],
            )
            if side:
                where = {j: i for i, j in enumerate(cs.tolist())}
                blocks = [(np.array(m, dtype=np.int64), np.array([where[j] for j in js]))
                          for m, js in parties.items() if m]

    def propagate(
        rows: np.ndarray, fd: np.ndarray, fa: np.ndarray, d: np.ndarray, a: np.ndarray, sources: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        out = []
        for side, frontier, belligerents in ((True, fd, d), (False, fa, a)):
            cand = np.zeros_like(d)
            if side in groups:
                cs, starts, cols, plain, foe_cols, to, h = groups[side]
                hit = np.empty((frontier.shape[0], cs.size), dtype=bool)
                hit[:, plain] = frontier.astype(np.float32) @ to[True] > 0
                if not plain.all():  # adversary-bound commitments read the whole side and aggressor side
                    bound = ~plain
                    hit[:, bound] = (belligerents.astype(np.float32) @ to[False] > 0) & np.pad(a, ((0, 0), (0, 1)))[
                        :, foe_cols[bound]
                    ].any(axis=2)
                keep = h[rows]  # a copy: fancy indexing
                for members, at in blocks if side else ():
                    blocked = a[:, members].any(axis=1)
                    if blocked.any():
                        keep[np.ix_(blocked, at)] = False
                cand[:, cols] = np.logical_or.reduceat(hit & keep, starts, axis=1)
            out.append(cand)
        return out[0], out[1]

    return propagate


@dataclass
class Tally:
    """Counts summed over draws: per state, how often it joined each side or was in conflict."""

    draws: int
    defender: np.ndarray
    aggressor: np.ndarray
    conflict: np.ndarray
    sizes: np.ndarray  # histogram of the number of belligerents

    def __add__(self, other: Tally) -> Tally:
        n = max(self.sizes.size, other.sizes.size)
        return Tally(
            self.draws + other.draws,
            self.defender + other.defender,
            self.aggressor + other.aggressor,
            self.conflict + other.conflict,
            np.pad(self.sizes, (0, n - self.sizes.size)) + np.pad(other.sizes, (0, n - other.sizes.size)),
        )


def run_chunk(pr: Problem, seed: int, chunk: int, draws: int) -> Tally:
    """Simulate ``draws`` wars with the generator of chunk number ``chunk`` of ``seed``."""
    rng = np.random.default_rng([seed, chunk])
    honoured = _honoured(rng, draws, pr.p)
    d0 = np.broadcast_to(pr.d0, (draws, pr.d0.size))
    a0 = np.broadcast_to(pr.a0, (draws, pr.a0.size))
    r: Rounds = advance(d0, a0, _commitment_propagator(pr, honoured))
    return Tally(
        draws,
        (r.defender >= 0).sum(axis=0),
        (r.aggressor >= 0).sum(axis=0),
        (r.conflict >= 0).sum(axis=0),
        np.bincount(r.size, minlength=pr.d0.size + 1),
    )


def chunks(draws: int) -> list[tuple[int, int]]:
    """(chunk number, draws) for a run of ``draws``: the unit of work and of seeding."""
    return [(i, min(CHUNK, draws - i * CHUNK)) for i in range(math.ceil(draws / CHUNK))]


@dataclass(frozen=True)
class Simulation:
    """The distribution of a war's growth over Monte Carlo draws."""

    event: dict
    ids: tuple[str, ...]
    seed: int
    tally: Tally

    def probabilities(self) -> list[dict]:
        """Per state: probability of joining each side, or of being bound to both (sorted by involvement)."""
        t, n = self.tally, self.tally.draws
        rows = [
            {
                "state": s,
                "name": states.name(s),
                "defender": t.defender[i] / n,
                "aggressor": t.aggressor[i] / n,
                "conflict": t.conflict[i] / n,
            }
            for i, s in enumerate(self.ids)
        ]
        return sorted(rows, key=lambda r: (-(r["defender"] + r["aggressor"] + r["conflict"]), r["state"]))

    def size_distribution(self) -> dict[int, float]:
        """Probability of each war size (number of belligerents)."""
        return {k: int(c) / self.tally.draws for k, c in enumerate(self.tally.sizes) if c}

    def mean_size(self) -> float:
        """Expected number of belligerents."""
        return float(np.dot(np.arange(self.tally.sizes.size), self.tally.sizes) / self.tally.draws)

    def as_json(self) -> dict:
        """The JSON document of ``foedus simulate --json``."""
        return {
            "event": self.event,
            "draws": self.tally.draws,
            "seed": self.seed,
            "states": [
                {k: (float(v) if isinstance(v, np.floating) else v) for k, v in r.items()} for r in self.probabilities()
            ],
            "war_size": {str(k): v for k, v in self.size_distribution().items()},
            "mean_war_size": self.mean_size(),
        }


def simulate_problem(
    pr: Problem, draws: int, seed: int, client=None, progress: Callable[[int], None] | None = None
) -> Tally:
    """Run the draws in process, or on a dask.distributed ``client``; the sum is the same either way."""
    limits.draws(draws)
    limits.seed(seed)
    parts: dict[int, Tally] = {}
    if client is None:  # chunks on every core (numpy releases the GIL), BLAS at one thread per chunk
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            jobs = {i: (n, pool.submit(run_chunk, pr, seed, i, n)) for i, n in chunks(draws)}
            for i, (n, job) in jobs.items():
                parts[i] = job.result()
                if progress:
                    progress(n)
    else:
        from distributed import as_completed

        shared = client.scatter(pr, broadcast=True)
        futures = {client.submit(run_chunk, shared, seed, i, n, pure=False): (i, n) for i, n in chunks(draws)}
        for fut in as_completed(futures):
            i, n = futures[fut]
            parts[i] = fut.result()
            if progress:
                progress(n)
    total = parts[0]
    for i in range(1, len(parts)):
        total = total + parts[i]
    return total


def simulate(
    sc: Scenario,
    draws: int = 10_000,
    seed: int = 0,
    overrides: Overrides | None = None,
    client=None,
    progress: Callable[[int], None] | None = None,
) -> Simulation:
    """Monte Carlo of a scenario's cascade.

    In each draw every commitment (an obligor's obligation under one treaty) is honoured or not,
    independently, with its probability; an honoured commitment binds toward every ally it is owed to.
    """
    pr = problem(sc, overrides=overrides)
    tally = simulate_problem(pr, draws, seed, client, progress)
    ev = sc.event
    return Simulation(
        {
            "attackers": list(ev.attackers),
            "target": ev.target,
            "on": ev.on.isoformat(),
            "place": ev.place.name,
            "act": ev.act.value,
        },
        pr.ids,
        seed,
        tally,
    )
