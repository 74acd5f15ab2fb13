"""Reliability: how often alliance commitments are honoured, and a Monte Carlo of the cascade.

The default honouring probabilities are estimated from Berkemeier and Fuhrmann (2018), who
re-coded every ATOP alliance invoked in an interstate war (576 alliance-war pairs; 139 are cases of
alliance performance). The package ships only the counts derived from that file
(``data/priors.yaml``); :func:`estimate` recomputes them from the original CSV so a test can check
they match. A probability is chosen per link: a per-treaty override, else a per-state override
(the obligor), else the prior for the link's class (defence links: pacts with a defence but no
offence obligation; offence links: pacts with an offence obligation). The data does not code
the means of assistance, so the strength classes A-AUTO, B-ASSIST and C-CONST share their kind's
estimate; this is stated by ``foedus simulate --explain-priors``. The Monte Carlo packs 64 draws into
a machine word (:func:`bernoulli_words`, :func:`bit_rounds`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, ValidationError
from threadpoolctl import threadpool_limits

from . import limits, states
from .cascade import Scenario, Side
from .corpus.loader import Corpus, read_yaml
from .errors import DataError, FoedusError

BF_FILE = "berkemeier_fuhrmann_2018_alliance_fulfillment.csv"
CHUNK = 1 << 18  # draws per task; fixed, so results do not depend on how chunks are scheduled
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


def _read_bf(path: Path, coded: Callable[[pl.DataFrame], pl.DataFrame]) -> pl.DataFrame:
    """The Berkemeier–Fuhrmann file read and passed through ``coded``; one-line errors name the file."""
    if not path.exists():
        raise DataError(f"{path}: Berkemeier–Fuhrmann file not found")
    try:
        return coded(pl.read_csv(path, infer_schema_length=None))
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise DataError(f"{path}: cannot read the Berkemeier–Fuhrmann file ({exc})") from None


def casus_foederis(path: Path) -> pl.DataFrame:
    """The alliance-war pairs whose casus foederis the BF coding settles: ``warid``, ``atopid``, ``met``.

    Met: the commitment was honoured or violated (a case of alliance performance); not met: ``cfnaBF``.
    Consultation pacts and non-aggression pacts whose allies did not fight each other are not coded
    either way and are left out.
    """
    return _read_bf(
        path,
        lambda df: df.filter(pl.col("dnaBF").is_null() | (pl.col("cfnaBF") == 1)).select(
            pl.col("warid"), pl.col("atopid"), met=pl.col("dnaBF").is_null()
        ),
    )


def _performance_cases(path: Path) -> pl.DataFrame:
    """The alliance-war pairs that are cases of alliance performance (BF coding), with their class."""

    def coded(df: pl.DataFrame) -> pl.DataFrame:
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

    return _read_bf(path, coded)


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
        keys = ", ".join(_OverrideFile.model_fields)
        raise FoedusError(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']} (allowed keys: {keys}; "
                          "the file holds {treaties: {id: p}, states: {name: p}}, each p from 0 to 1)") from None
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
    # per commitment, the Jeffreys posterior Beta(a, b) of its prior class's rate, drawn anew for every
    # word of 64 draws; (0, 0) where an override fixes the probability. Empty: p fixed throughout.
    beta: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    @property
    def drawn_priors(self) -> bool:
        """Whether some commitment's probability is drawn from a prior class's posterior."""
        return bool(self.beta.size) and bool(self.beta[:, 0].any())


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

    def prior_of(link) -> Prior | None:
        f = link.finding
        if f.treaty in ov.treaties or f.obligor in ov.states:
            return None
        return priors["defense" if link.side is Side.DEFENDER else "offense"]

    def p_of(link) -> float:
        f, prior = link.finding, prior_of(link)
        if prior is not None:
            return prior.p
        return ov.treaties[f.treaty] if f.treaty in ov.treaties else ov.states[f.obligor]

    def beta_of(link) -> tuple[float, float]:
        prior = prior_of(link)
        return (0.0, 0.0) if prior is None else (prior.honoured + 0.5, prior.cases - prior.honoured + 0.5)

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
        beta=np.array([beta_of(first[key]) for key in commitments], dtype=np.float64).reshape(-1, 2),
        foes=foes,
        fellows=tuple(np.array(sorted(col[s] for s in ix.members.get(k.finding.treaty, ()) if s in col), dtype=np.int64)
                      for k in links),
    )


BITS = 16  # the bit sampler draws each honouring probability rounded to a multiple of 2^-16
ONES = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


def bernoulli_words(rng: np.random.Generator, p: np.ndarray, words: int) -> np.ndarray:
    """(len(p), words) uint64 words whose bits are independent draws, 1 with probability ``p`` (to 2^-16).

    Bit by bit, from the least significant, it compares a 16-bit uniform number (one random word per
    bit) with p·2^16: 64 draws per word operation.
    """
    q = np.rint(np.asarray(p, dtype=np.float64) * (1 << BITS)).astype(np.int64)
    below = np.zeros((q.size, words), dtype=np.uint64)
    tmp = np.empty(words, dtype=np.uint64)
    for c, qc in enumerate(q.tolist()):
        if qc >= 1 << BITS:
            below[c] = ONES
            continue
        low = (qc & -qc).bit_length() - 1  # below the lowest set bit of p, "below" stays all zeros
        if qc <= 0:
            continue
        raw = rng.bit_generator.random_raw(size=(BITS - low, words))
        row = below[c]
        np.invert(raw[0], out=row)
        for j in range(low + 1, BITS):
            np.invert(raw[j - low], out=tmp)
            (np.bitwise_or if (qc >> j) & 1 else np.bitwise_and)(row, tmp, out=row)
    return below


def bernoulli_words_per_word(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """As :func:`bernoulli_words`, with a probability per commitment and word: ``p`` is (commitments, words)
    and the 64 draws of a word share its probability (to 2^-16)."""
    q = np.rint(np.asarray(p, dtype=np.float64) * (1 << BITS)).astype(np.int64)
    below = np.zeros(q.shape, dtype=np.uint64)
    for c in range(q.shape[0]):
        raw = rng.bit_generator.random_raw(size=(BITS, q.shape[1]))
        row = np.zeros(q.shape[1], dtype=np.uint64)  # u < q, decided bit by bit from the least significant
        for j in range(BITS):
            tmp = ~raw[j]
            row = np.where((q[c] >> j) & 1 == 1, row | tmp, row & tmp)
        below[c] = np.where(q[c] >= 1 << BITS, ONES, row)
    return below


def honoured_words(pr: Problem, rng: np.random.Generator, words: int) -> np.ndarray:
    """Which commitments are honoured, 64 draws to a word. A commitment whose probability comes from a prior
    class takes, in every word, a rate drawn from the class's posterior (one draw per class and word, shared
    by the class's commitments), so the uncertainty of the priors reaches the probabilities reported."""
    if not pr.drawn_priors:
        return bernoulli_words(rng, pr.p, words)
    classes, which = np.unique(pr.beta, axis=0, return_inverse=True)
    rates = np.stack([rng.beta(a, b, size=words) if a > 0 else np.zeros(words) for a, b in classes])
    p = np.where(pr.beta[:, :1] > 0, rates[which.ravel()], pr.p[:, None].astype(np.float64))
    return bernoulli_words_per_word(rng, p)


def bit_counts(rows: np.ndarray) -> list[np.ndarray]:
    """Per draw (bit), how many of ``rows`` have it set, as bit planes of a binary number (lowest first)."""
    planes: list[np.ndarray] = []
    carry = np.empty(rows.shape[1], dtype=np.uint64)
    for row in rows:
        add = row.copy()
        for plane in planes:
            np.bitwise_and(plane, add, out=carry)
            np.bitwise_xor(plane, add, out=plane)
            add, carry = carry, add
            if not add.any():
                break
        else:
            if add.any():
                planes.append(add)
    return planes


def size_histogram(rows: np.ndarray, valid: np.ndarray, states: int) -> np.ndarray:
    """How many draws (valid bits) have each number of ``rows`` set, from 0 to ``states``."""
    planes = bit_counts(rows)
    out = np.zeros(states + 1, dtype=np.int64)
    for k in range(min(states, (1 << len(planes)) - 1) + 1):
        match = valid.copy()
        for j, plane in enumerate(planes):
            match &= plane if (k >> j) & 1 else ~plane
        out[k] = int(np.bitwise_count(match).sum())
    return out


@dataclass(frozen=True)
class _Links:
    """A problem's commitments for the bit rounds: per side and obligor, each commitment's beneficiaries."""

    plain: dict[bool, list[tuple[int, list[tuple[int, np.ndarray]]]]]  # obligor -> (commitment, beneficiaries)
    bound: list[tuple[bool, np.ndarray, np.ndarray, int, int]]  # side, beneficiaries, foes, obligor, commitment
    fellows: dict[int, int]  # defender-side commitment -> its treaty's parties (in ``parties``): void where one is an aggressor
    parties: list[np.ndarray]  # each treaty's parties once, however many commitments it holds

    @classmethod
    def of(cls, pr: Problem) -> _Links:
        plain: dict[bool, dict[int, dict[int, list[int]]]] = {True: {}, False: {}}
        bound = []
        fellows: dict[int, int] = {}
        parties: dict[bytes, int] = {}
        for c in np.unique(pr.commitment).tolist():
            ks = np.flatnonzero(pr.commitment == c).tolist()
            side, obligor = bool(pr.defender[ks[0]]), int(pr.obl[ks[0]])
            if side and pr.fellows and pr.fellows[ks[0]].size:
                fellows[c] = parties.setdefault(pr.fellows[ks[0]].tobytes(), len(parties))
            free = [k for k in ks if pr.foes[k] is None]
            if free:
                plain[side].setdefault(obligor, {})[c] = [int(pr.ben[k]) for k in free]
            tied = [k for k in ks if pr.foes[k] is not None]
            foes = np.asarray(pr.foes[tied[0]], dtype=np.intp) if tied else None
            if foes is not None and foes.size:  # with no named adversary within reach, it can never bind
                bound.append((side, pr.ben[tied], foes, obligor, c))
        return cls(
            {s: [(o, [(c, np.array(b)) for c, b in cs.items()]) for o, cs in by.items()] for s, by in plain.items()},
            bound,
            fellows,
            [np.frombuffer(b, dtype=np.int64) for b in parties],
        )


def bit_rounds(pr: Problem, honoured: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rounds of :func:`foedus.rounds.advance`, 64 draws to a word: who ends on each side, or in conflict.

    ``honoured`` is (commitments × words). The rule is advance's: a commitment honoured in a draw and
    owed to a state that entered its side in the last round (or, if bound to named adversaries, owed to
    any state of that side while one of them is an aggressor) binds its obligor to that side; a state
    bound to both sides while out stays out in conflict; the rounds stop when no one enters.
    """
    n, words = pr.d0.size, honoured.shape[1]
    links = _Links.of(pr)
    d = np.zeros((n, words), dtype=np.uint64)
    a = np.zeros_like(d)
    d[pr.d0], a[pr.a0] = ONES, ONES
    fd, fa = d.copy(), a.copy()
    cand = {True: np.zeros_like(d), False: np.zeros_like(d)}
    conflict = np.zeros_like(d)
    out = np.empty_like(d)
    two_sided = bool(links.plain[False]) or any(not side for side, *_ in links.bound)
    at_peace: dict[int, np.ndarray] = {}  # per treaty: draws where none of its parties is an aggressor, while ``a`` holds

    def kept(c: int) -> np.ndarray:
        """Draws where commitment ``c`` is honoured and its treaty is not at war with itself."""
        g = links.fellows.get(c)
        if g is None:
            return honoured[c]
        if g not in at_peace:
            at_peace[g] = ~np.bitwise_or.reduce(a[links.parties[g]], axis=0)
        return honoured[c] & at_peace[g]

    for _ in range(n + 1):
        for side, frontier in ((True, fd), (False, fa)):
            entered = frontier.any(axis=1)
            for obligor, commitments in links.plain[side]:
                for c, ben in commitments:
                    ben = ben[entered[ben]]
                    if ben.size:
                        hit = frontier[ben[0]] if ben.size == 1 else np.bitwise_or.reduce(frontier[ben], axis=0)
                        cand[side][obligor] |= hit & kept(c)
        for side, ben, foes, obligor, c in links.bound:
            whole = d if side else a
            hit = np.bitwise_or.reduce(whole[ben], axis=0) & np.bitwise_or.reduce(a[foes], axis=0)
            cand[side][obligor] |= hit & kept(c)
        np.bitwise_or(d, a, out=out)
        out |= conflict
        np.invert(out, out=out)  # out of the war and not in conflict
        if two_sided:
            conflict |= cand[True] & cand[False] & out
            fd, fa = cand[True] & ~cand[False] & out, cand[False] & ~cand[True] & out
            if fa.any():
                a |= fa
                at_peace.clear()
        else:  # no one can be bound to the aggressor side: no conflicts either
            fd = cand[True] & out
            fa = np.zeros_like(d) if fa.any() else fa
        d |= fd
        if not (fd.any() or fa.any()):
            break
    return d, a, conflict


@dataclass
class Tally:
    """Counts summed over draws: per state, how often it joined each side or was in conflict."""

    draws: int
    defender: np.ndarray
    aggressor: np.ndarray
    conflict: np.ndarray
    sizes: np.ndarray  # histogram of the number of belligerents
    # over the full words of 64 draws (each with its own draw of the prior rates): their number, and per
    # side (defender, aggressor, conflict) and state the sum of each word's count and of its square
    words: int = 0
    word_sums: np.ndarray | None = None
    word_squares: np.ndarray | None = None

    def __add__(self, other: Tally) -> Tally:
        n = max(self.sizes.size, other.sizes.size)
        spread = self.word_sums is not None and other.word_sums is not None
        return Tally(
            self.draws + other.draws,
            self.defender + other.defender,
            self.aggressor + other.aggressor,
            self.conflict + other.conflict,
            np.pad(self.sizes, (0, n - self.sizes.size)) + np.pad(other.sizes, (0, n - other.sizes.size)),
            self.words + other.words,
            self.word_sums + other.word_sums if spread else None,
            self.word_squares + other.word_squares if spread else None,
        )

    def prior_spread(self) -> np.ndarray | None:
        """Per side and state, the standard deviation of the probability that the priors' uncertainty
        causes: the variance between words less the binomial variance within a word (method of moments)."""
        if self.word_sums is None or self.words < 2:
            return None
        rate = self.word_sums / (64 * self.words)
        between = (self.word_squares / 64**2 - self.words * rate**2) / (self.words - 1)
        return np.sqrt(np.clip((between - rate * (1 - rate) / 64) / (1 - 1 / 64), 0, None))


def _valid(draws: int, words: int) -> np.ndarray:
    """The words' bits that hold one of ``draws`` draws (all but the tail of the last word)."""
    valid = np.full(words, ONES)
    if draws % 64:
        valid[-1] = np.uint64((1 << (draws % 64)) - 1)
    return valid


def run_chunk(pr: Problem, seed: int, chunk: int, draws: int) -> Tally:
    """Simulate ``draws`` wars with the generator of chunk number ``chunk`` of ``seed``, 64 to a word."""
    rng = np.random.default_rng([seed, chunk])
    words = -(-draws // 64)
    d, a, conflict = bit_rounds(pr, honoured_words(pr, rng, words))
    valid = _valid(draws, words)
    per_word = np.stack([np.bitwise_count(x & valid) for x in (d, a, conflict)]).astype(np.int64)
    sizes = size_histogram(d | a, valid, pr.d0.size)
    if not pr.drawn_priors:
        return Tally(draws, *per_word.sum(axis=2), sizes)
    full = per_word[:, :, : draws // 64]
    return Tally(draws, *per_word.sum(axis=2), sizes, full.shape[2], full.sum(axis=2), (full**2).sum(axis=2))


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
        """Per state: probability of joining each side, or of being bound to both (sorted by involvement);
        where the priors' uncertainty was drawn, the 95% interval of each that it gives
        (``defender_interval`` ...: the probability ± 1.96 times :meth:`Tally.prior_spread`, within [0, 1])."""
        t, n = self.tally, self.tally.draws
        spread = t.prior_spread()
        rows = []
        for i, s in enumerate(self.ids):
            row = {"state": s, "name": states.name(s), "defender": t.defender[i] / n, "aggressor": t.aggressor[i] / n,
                   "conflict": t.conflict[i] / n}
            if spread is not None:
                for k, side in enumerate(("defender", "aggressor", "conflict")):
                    half = _Z95 * spread[k, i]
                    row[f"{side}_interval"] = [float(max(0.0, row[side] - half)), float(min(1.0, row[side] + half))]
            rows.append(row)
        return sorted(rows, key=lambda r: (-(r["defender"] + r["aggressor"] + r["conflict"]), r["state"]))

    def standard_error(self) -> float:
        """The largest Monte Carlo standard error of the probabilities reported, sqrt(p(1-p)/draws)."""
        t = self.tally
        p = np.concatenate([t.defender, t.aggressor, t.conflict, t.sizes]) / t.draws
        return float(np.sqrt(p * (1 - p) / t.draws).max()) if p.size else 0.0

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
            "mc_standard_error": self.standard_error(),
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


def forecast_chunk(
    d0: np.ndarray, a0: np.ndarray, p_a: np.ndarray, p_b: np.ndarray, seed: int, chunk: int, draws: int
) -> Tally:
    """Draws of a war in which each state joins side A (aggressor) or B (defender) with its forecast probability.

    States are independent, as the forecast assumes: a state joins with probability p_a + p_b, and
    given that it joins, the defender side with probability p_b / (p_a + p_b).
    """
    rng = np.random.default_rng([seed, chunk])
    words = -(-draws // 64)
    either = p_a + p_b
    joins = bernoulli_words(rng, either, words)
    defends = bernoulli_words(rng, np.divide(p_b, either, out=np.zeros_like(either), where=either > 0), words)
    d = np.where(d0[:, None], ONES, joins & defends)
    a = np.where(a0[:, None], ONES, joins & ~defends)
    valid = _valid(draws, words)
    count = [np.bitwise_count(x & valid).sum(axis=1) for x in (d, a)]
    return Tally(draws, count[0], count[1], np.zeros_like(count[0]), size_histogram(d | a, valid, d0.size))


def simulate_forecast(
    event: dict,
    ids: Sequence[str],
    d0: np.ndarray,
    a0: np.ndarray,
    p_a: np.ndarray,
    p_b: np.ndarray,
    draws: int,
    seed: int,
) -> Simulation:
    """The Monte Carlo of a forecast: per-state probabilities in, the distribution of the war's size out."""
    limits.draws(draws)
    limits.seed(seed)
    parts = [forecast_chunk(d0, a0, p_a, p_b, seed, i, n) for i, n in chunks(draws)]
    total = parts[0]
    for t in parts[1:]:
        total = total + t
    return Simulation(event, tuple(ids), seed, total)
