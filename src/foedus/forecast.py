"""The forecast: the probability that each state joins each side of a war, fitted on history.

One row per (case, state, side) for every COW system member on the case's start date but the initial
dyad, with features known before that date (:data:`FEATURES`): the strongest obligation the state owes
the side's initial belligerent as the engine reads the event (kind, status, strength, the treaty's
size), whether the obligation cascade brings it in on that side, alliances with either side, the
Berkemeier–Fuhrmann fulfilment rate of the obligation's class (estimated on the training wars only),
major-power status, capabilities, contiguity, distance and region, rivalry, and earlier militarized
disputes with the same actors. One L2-regularised Poisson regression of the joining rate with the
system's size as exposure (scikit-learn; :func:`fit`) is fitted on the rows of both sides. Its
regularisation strength is chosen from a grid fixed a priori (:data:`ALPHAS`, on standardised features)
by cross-validation grouped by war inside the training wars only (:func:`choose_alpha`), never on
scored wars. A scored row's linear predictor is held inside the range the training rows reached. A
state joins at all with probability 1 - exp(-(rate A + rate B)) (:func:`by_state`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from . import states
from .cascade import Side, cascade_event
from .config import data_dir
from .corpus.loader import Corpus
from .covariates import Covariates, region
from .covariates import load as load_covariates
from .engine import assess_event
from .errors import FoedusError, UnknownStateError
from .model import Event, Kind, Status, Strength
from .places import home
from .reliability import BF_FILE, estimate
from .wars import Case

if TYPE_CHECKING:
    from sklearn.linear_model import PoissonRegressor

# L2 penalties tried, α/2 · |coef|² against the whole training likelihood: a grid fixed a priori
ALPHAS = tuple(10.0 ** (k / 2) for k in range(-2, 7))  # 0.1 .. 1000
CV_FOLDS = 5  # folds of training wars for choosing α
HELP = (Kind.DEFENSE, Kind.OFFENSE)
SIDE = {"A": Side.AGGRESSOR, "B": Side.DEFENDER}

FEATURES: dict[str, str] = {
    "target_side": "the side is the target's",
    "help_obligated": "owes this side's belligerent help (defence/offence), obligated",
    "help_conditional": "owes this side's belligerent help, conditional",
    "help_not_triggered": "has a help clause with this side's belligerent that this event does not trigger",
    "help_strength": "strength class of that help clause (0 none, 1 C-CONST .. 3 A-AUTO)",
    "lesser_tie": "owes this side's belligerent consultation, neutrality or non-aggression",
    "treaty_size": "log members of the treaty behind the strongest help clause",
    "bf_rate": "Berkemeier–Fuhrmann fulfilment rate of that clause's class (training wars only)",
    "cascade": "the obligation cascade brings it in on this side",
    "cascade_conditional": "the cascade with conditional findings brings it in on this side",
    "allied": "in an alliance in force with this side's belligerent",
    "allied_both": "in alliances with both belligerents",
    "major": "COW major power",
    "log_cinc": "log CINC share (previous year) times the number of system members: capability against the average member",
    "cinc_ratio": "log CINC of this side's belligerent over the other's",
    "contiguous": "contiguous with this side's belligerent",
    "contiguous_other": "contiguous with the other belligerent",
    "distance": "log km to this side's belligerent",
    "distance_other": "log km to the other belligerent",
    "same_region": "same region as this side's belligerent",
    "same_region_other": "same region as the other belligerent",
    "rival_other": "strategic rival of the other belligerent",
    "rival": "strategic rival of this side's belligerent",
    "mids_with": "log(1 + disputes in the previous ten years on this side's belligerent's side)",
    "mids_against_other": "log(1 + disputes in the previous ten years against the other belligerent)",
    "mids_against": "log(1 + disputes in the previous ten years against this side's belligerent)",
    "joined_with": "log(1 + disputes in the previous ten years it joined on this side's belligerent's side)",
}


def _sid(ccode: int) -> str | None:
    try:
        return states.resolve(ccode).id
    except UnknownStateError:
        return None


def _event(case: Case, sids: dict[int, str | None]) -> Event:
    target, attacker = sids[case.target], sids[case.initiator]
    if target is None or attacker is None:
        raise FoedusError(f"{case.name}: a belligerent has no state id (COW {case.target}, {case.initiator})")
    return Event(attackers=(attacker,), target=target, place=home(target), on=case.start)


@dataclass(frozen=True)
class Obligations:
    """What the engine and the cascade say about one case, per state id."""

    findings: dict[tuple[str, str], list]  # (obligor, beneficiary) -> findings
    cascade: dict[str, Side]
    cascade_conditional: dict[str, Side]
    cascade_round: dict[str, int]
    allies: dict[str, set[str]]  # state -> states it shares an alliance in force with
    size: dict[str, int]  # treaty id -> members on the day


def obligations(case: Case, corpus: Corpus, ev: Event) -> Obligations:
    """The findings of the engine for the initial attack, the cascade's two readings, and the alliances in force."""
    findings: dict[tuple[str, str], list] = {}
    for f in assess_event(ev, corpus).findings:
        findings.setdefault((f.obligor, f.beneficiary), []).append(f)
    plain = cascade_event(ev, corpus)
    cond = cascade_event(ev, corpus, conditional=True)
    allies: dict[str, set[str]] = {}
    size = {}
    for t in corpus:
        if t.interval.contains(case.start):
            members = t.members_on(case.start)
            size[t.id] = len(members)
            for m in members:
                allies.setdefault(m, set()).update(members)
    return Obligations(
        findings,
        {e.state: e.side for e in plain.entries if e.round > 0},
        {e.state: e.side for e in cond.entries if e.round > 0},
        {e.state: e.round for e in plain.entries if e.round > 0},
        allies,
        size,
    )


def _strongest(found: list) -> tuple[dict[str, float], str | None, str | None]:
    """Help and lesser-tie features from the findings one state has toward one belligerent."""
    help_ = [f for f in found if f.kind in HELP and f.strength >= Strength.CONST]
    out = {
        "help_obligated": float(any(f.status is Status.OBLIGATED for f in help_)),
        "help_conditional": float(any(f.status is Status.CONDITIONAL for f in help_)),
        "help_not_triggered": float(any(f.status is Status.NOT_TRIGGERED for f in help_)),
        "lesser_tie": float(any(f.kind not in HELP or f.strength < Strength.CONST for f in found)),
    }
    rank = {Status.OBLIGATED: 0, Status.CONDITIONAL: 1, Status.NOT_TRIGGERED: 2, Status.NOT_IN_FORCE: 3}
    best = min(help_, key=lambda f: (rank[f.status], -int(f.strength)), default=None)
    out["help_strength"] = float(int(best.strength) - int(Strength.CONST) + 1) if best else 0.0
    cls = None if best is None else ("offense" if best.kind is Kind.OFFENSE else "defense")
    return out, cls, best.treaty if best else None


def case_rows(case: Case, corpus: Corpus, cov: Covariates, event: Event | None = None) -> list[dict]:
    """The feature rows of one case: every system member on its start date but the initial dyad, both sides.

    The engine reads ``event`` (default: the initiator attacks the target on its home territory).
    """
    members = cov.members(case.start)
    scored = [c for c in members if c not in (case.initiator, case.target)]
    sids = {c: _sid(c) for c in (*members, case.initiator, case.target)}
    ob = obligations(case, corpus, event or _event(case, sids))
    core = {"A": case.initiator, "B": case.target}
    year = case.start.year
    log_members = math.log(len(members))
    entered = {p.ccode: p.side for p in case.participants}
    rows = []
    for c in scored:
        sid = sids[c]
        for side, other in (("A", "B"), ("B", "A")):
            cs, co = core[side], core[other]
            s_sid, o_sid = sids[cs], sids[co]
            found = ob.findings.get((sid, s_sid), []) if sid else []
            tie, cls, treaty = _strongest(found)
            commitments = [f for f in found if f.kind is not Kind.CONSULTATION]
            allied = sid is not None and s_sid in ob.allies.get(sid, ())
            allied_other = sid is not None and o_sid in ob.allies.get(sid, ())
            same, against, joined = cov.disputes(c, cs, case.start)
            _, against_other, _ = cov.disputes(c, co, case.start)
            rows.append(
                {
                    "case": case.id,
                    "name": case.name,
                    "start": case.start,
                    "ccode": c,
                    "state": sid or str(c),
                    "side": side,
                    "joined": entered.get(c) == side,
                    "bf_class": cls,
                    "treaty": treaty,
                    # every commitment but consultation it owes this side's belligerent, treaty by treaty
                    "finding_treaties": [f.treaty for f in commitments],
                    "finding_statuses": [f.status.value for f in commitments],
                    "cascade_round": ob.cascade_round.get(sid, 0) if ob.cascade.get(sid) is SIDE[side] else 0,
                    "direct_defence_ally": side == "B"
                    and any(f.kind is Kind.DEFENSE for f in ob.findings.get((sid, s_sid), [])),
                    "target_side": float(side == "B"),
                    **tie,
                    "treaty_size": math.log(ob.size.get(treaty, 1)),
                    "bf_rate": 0.0,
                    "cascade": float(ob.cascade.get(sid) is SIDE[side]),
                    "cascade_conditional": float(ob.cascade_conditional.get(sid) is SIDE[side]),
                    "allied": float(allied),
                    "allied_both": float(allied and allied_other),
                    "major": float(cov.major(c, case.start)),
                    "log_cinc": cov.log_cinc(c, year) + log_members,
                    "cinc_ratio": cov.log_cinc(cs, year) - cov.log_cinc(co, year),
                    "contiguous": float(cov.contiguous(c, cs, case.start)),
                    "contiguous_other": float(cov.contiguous(c, co, case.start)),
                    "distance": cov.log_distance(c, cs, year),
                    "distance_other": cov.log_distance(c, co, year),
                    "same_region": float(region(c) == region(cs)),
                    "same_region_other": float(region(c) == region(co)),
                    "rival_other": float(cov.rivals(c, co, year)),
                    "rival": float(cov.rivals(c, cs, year)),
                    "mids_with": math.log1p(same),
                    "mids_against_other": math.log1p(against_other),
                    "mids_against": math.log1p(against),
                    "joined_with": math.log1p(joined),
                    "log_members": log_members,
                }
            )
    return rows


def _digest(cases: Sequence[Case], paths: Iterable[Path], corpus: Corpus) -> str:
    from .disk_cache import PACKAGE, source_digest
    from .index_cache import RULES

    # the code that makes the features: the findings' and the cascade's rules, and the feature modules
    code = source_digest(PACKAGE / f for f in (*RULES, "forecast.py", "covariates.py", "reliability.py", "wars.py"))
    h = hashlib.sha256(code.encode())
    h.update(repr([(c.id, c.start) for c in cases]).encode())
    for p in paths:
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    for t in corpus:
        h.update(t.model_dump_json().encode())
    return h.hexdigest()[:20]


def table(cases: Sequence[Case], corpus: Corpus, reference: Path, label: str, sources: Sequence[Path]) -> pl.DataFrame:
    """The feature table of ``cases`` (cached in the data directory, keyed by the inputs' digests).

    The cascade indices of the cases' dates are compiled in memory, not kept on disk (see
    :func:`foedus.index_cache.read_only`): the table itself is what a second run reads.
    """
    from .covariates import FILES
    from .index_cache import read_only

    key = _digest(cases, [*sources, *(reference / f for f in FILES.values())], corpus)
    cache = data_dir() / "forecast" / f"{label}-{key}.parquet"
    if cache.exists():
        return pl.read_parquet(cache)
    cov = load_covariates(reference)
    with read_only():
        rows = [r for case in sorted(cases, key=lambda c: c.start) for r in case_rows(case, corpus, cov)]
    df = pl.DataFrame(rows, infer_schema_length=None)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    df.write_parquet(tmp)
    tmp.replace(cache)
    return df


# --- the model --------------------------------------------------------------------------------


def bf_rates(reference: Path, wars: Iterable[int] | None) -> dict[str, float]:
    """Berkemeier–Fuhrmann fulfilment rate per class, from the given wars only (Laplace-smoothed)."""
    pri = estimate(reference / BF_FILE, wars)
    return {c: (pri[c].honoured + 1) / (pri[c].cases + 2) if c in pri else 0.5 for c in ("defense", "offense")}


def design(df: pl.DataFrame, rates: dict[str, float]) -> np.ndarray:
    """The feature matrix, with each row's fulfilment rate filled in from ``rates``."""
    bf = df["bf_class"].cast(pl.String).replace_strict(rates, default=0.0, return_dtype=pl.Float64)
    return df.with_columns(bf_rate=bf).select(list(FEATURES)).to_numpy().astype(np.float64)


@dataclass
class Model:
    """A fitted forecast: standardisation, coefficients of the log joining rate, and the fulfilment rates it used."""

    mean: np.ndarray
    scale: np.ndarray
    low: np.ndarray  # the training range of each feature: scored values are held inside it
    high: np.ndarray
    coef: np.ndarray
    intercept: float
    eta_low: float  # the training range of the linear predictor (exposure aside): scored values are held inside it
    eta_high: float
    alpha: float  # the L2 penalty chosen inside the training wars
    rates: dict[str, float]
    base_rate: float  # share of (case, state) pairs in training that joined either side

    def log_rates(self, df: pl.DataFrame) -> np.ndarray:
        """Log of each row's joining rate, the system-size exposure included."""
        return self.log_rates_of(design(df, self.rates), df["log_members"].to_numpy())

    def log_rates_of(self, x: np.ndarray, log_members: np.ndarray) -> np.ndarray:
        """:meth:`log_rates` of a feature matrix (from :func:`design`) and the rows' log system sizes."""
        return self._log_rates_std(self.standardised(x), log_members)

    def standardised(self, x: np.ndarray) -> np.ndarray:
        """Rows of a feature matrix held inside the training range and standardised as in training."""
        return _standardised(x, self.low, self.high, self.mean, self.scale)

    def _log_rates_std(self, z: np.ndarray, log_members: np.ndarray) -> np.ndarray:
        eta = z @ self.coef + self.intercept
        return np.clip(eta, self.eta_low, self.eta_high) - log_members

    def contributions(self, df: pl.DataFrame) -> np.ndarray:
        """Per row and feature, the feature's share of the log rate (coefficient × standardised value)."""
        return self.standardised(design(df, self.rates)) * self.coef


def _standardised(x: np.ndarray, low: np.ndarray, high: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return (np.clip(x, low, high) - mean) / scale


@dataclass(frozen=True)
class _Rows:
    """Training rows as every fit on them uses them, whatever the penalty: standardised, with the Poisson
    regression's target and weights (see :func:`_fit_at`)."""

    joined: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    low: np.ndarray
    high: np.ndarray
    z: np.ndarray
    target: np.ndarray  # joined × members
    weight: np.ndarray  # 1 / members
    weight_sum: float

    @classmethod
    def of(cls, x: np.ndarray, joined: np.ndarray, log_members: np.ndarray) -> _Rows:
        """The rows ``x`` (features), ``joined`` (0/1) with their log system sizes."""
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        members = np.exp(log_members)
        weight = 1.0 / members
        return cls(joined, mean, scale, x.min(axis=0), x.max(axis=0), (x - mean) / scale, joined * members,
                   weight, weight.sum())  # fmt: skip

    def held(self, x: np.ndarray) -> np.ndarray:
        """Other rows (scored ones) standardised as a model fitted on these standardises them."""
        return _standardised(x, self.low, self.high, self.mean, self.scale)


def _fit_at(rows: _Rows, alpha: float, rates: dict[str, float], reg: PoissonRegressor | None = None) -> Model:
    """The Poisson regression of joining on the standardised ``rows`` with exposure 1/members and L2 penalty ``alpha``.

    Fitted as the rate joined·members with weight 1/members (the same likelihood), by Newton's method;
    ``reg``, a scikit-learn ``PoissonRegressor`` with ``warm_start``, starts from its last fit on the same rows.
    """
    from sklearn.linear_model import PoissonRegressor

    reg = reg or PoissonRegressor(solver="newton-cholesky", max_iter=1000)
    reg.set_params(alpha=alpha / rows.weight_sum)
    reg.fit(rows.z, rows.target, sample_weight=rows.weight)
    eta = rows.z @ reg.coef_ + reg.intercept_
    base = float(rows.joined.sum() / (rows.joined.size / 2))  # two rows (sides) per pair
    return Model(
        rows.mean, rows.scale, rows.low, rows.high, reg.coef_, float(reg.intercept_),
        float(eta.min()), float(eta.max()), alpha, rates, base,
    )  # fmt: skip


def choose_alpha(x: np.ndarray, joined: np.ndarray, log_members: np.ndarray, cases: np.ndarray) -> float:
    """The penalty of :data:`ALPHAS` with the best out-of-fold Poisson log-likelihood, folds grouped by war.

    The wars given (the training wars only) are dealt into :data:`CV_FOLDS` folds in order of their
    number; each fold is scored by a model fitted on the others exactly as :func:`fit` fits (ranges held).
    The penalties are tried from the strongest down, each fold's fit starting from its previous one, and
    the path stops once the summed log-likelihood has fallen below its best at two successive penalties.
    With fewer wars than folds, each war is a fold; with one war, or no fold that can be fitted, the
    grid's middle. A fold's rows are standardised once, for every penalty.
    """
    from sklearn.linear_model import PoissonRegressor

    wars = np.unique(cases)
    k = min(CV_FOLDS, wars.size)
    fold = np.searchsorted(wars, cases) % max(k, 1)
    folds = [(fold != j, fold == j) for j in range(k if k >= 2 else 0)]
    folds = [(train, test) for train, test in folds if joined[train].any()]
    if not folds:
        return ALPHAS[len(ALPHAS) // 2]
    prepared = []
    for train, test in folds:
        rows = _Rows.of(x[train], joined[train], log_members[train])
        prepared.append((rows, rows.held(x[test]), joined[test], log_members[test]))
    paths = [PoissonRegressor(solver="newton-cholesky", max_iter=1000, warm_start=True) for _ in folds]
    best, best_loglik, worse = ALPHAS[-1], -np.inf, 0
    for alpha in reversed(ALPHAS):
        loglik = 0.0
        for (rows, z_test, joined_test, lm_test), path in zip(prepared, paths, strict=True):
            log_rate = _fit_at(rows, alpha, {}, path)._log_rates_std(z_test, lm_test)
            loglik += float(joined_test @ log_rate - np.exp(log_rate).sum())
        if loglik > best_loglik:
            best, best_loglik, worse = alpha, loglik, 0
        else:
            worse += 1
            if worse == 2:
                break
    return best


def fit(df: pl.DataFrame, reference: Path, bf_wars: Iterable[int] | None = None) -> Model:
    """Fit on the rows of ``df`` (its cases are the training wars), the penalty chosen among them.

    The fulfilment rates are estimated from the Berkemeier–Fuhrmann cases of ``bf_wars`` (IWD war
    numbers), by default the training wars themselves; cases that are not IWD wars (disputes) pass
    their own list, so a dispute number is never read as a war's.

    A Poisson regression of joining with exposure 1/(system members): the expected number of joiners
    of a war does not grow with the number of states, so the era's system size is not extrapolated as
    a trend. Scored feature values, and the linear predictor, outside their training range are read as
    the range's edge: the model says nothing beyond what it was fitted on, and no rate is unbounded.
    """
    if df.is_empty() or not df["joined"].any():
        raise FoedusError("no training case with a joiner: the forecast cannot be fitted")
    rates = bf_rates(reference, df["case"].unique().to_list() if bf_wars is None else bf_wars)
    x = design(df, rates)
    joined = df["joined"].to_numpy().astype(np.float64)
    log_members = df["log_members"].to_numpy()
    with threadpool_limits(limits=1):  # BLAS threads only spin on a problem this small
        alpha = choose_alpha(x, joined, log_members, df["case"].to_numpy())
        return _fit_at(_Rows.of(x, joined, log_members), alpha, rates)


def by_state(df: pl.DataFrame, log_rate: np.ndarray) -> pl.DataFrame:
    """One row per (case, state): probability of joining side A, side B and either, and what happened.

    With rates r_A and r_B, a state joins at all with probability 1 - exp(-(r_A + r_B)), on each side in
    proportion to its rate.
    """
    long = df.select("case", "name", "start", "ccode", "state", "side", "joined").with_columns(
        r=pl.Series(np.exp(log_rate))
    )
    wide = long.pivot(on="side", index=["case", "name", "start", "ccode", "state"], values=["r", "joined"])
    total = pl.col("r_A") + pl.col("r_B")
    p_any = -(-total).exp() + 1.0
    return wide.with_columns(
        p_any=p_any,
        p_A=p_any * pl.col("r_A") / total,
        p_B=p_any * pl.col("r_B") / total,
        joined=pl.col("joined_A") | pl.col("joined_B"),
        side=pl.when(pl.col("joined_A")).then(pl.lit("A")).when(pl.col("joined_B")).then(pl.lit("B")),
        predicted_side=pl.when(pl.col("r_A") > pl.col("r_B")).then(pl.lit("A")).otherwise(pl.lit("B")),
    )


def explain(model: Model, df: pl.DataFrame, top: int = 4) -> list[list[tuple[str, float]]]:
    """Per row, the features that moved its logit most (name, contribution), largest first."""
    contrib = model.contributions(df)
    names = list(FEATURES)
    out = []
    for row in contrib:
        order = np.argsort(-np.abs(row))[:top]
        out.append([(names[j], float(row[j])) for j in order])
    return out


def event_case(event: Event) -> Case:
    """A case for a hypothetical event: the attacker on side A, the target on side B, nobody else yet."""
    from .wars import Participant

    if len(event.attackers) != 1:
        raise FoedusError("the forecast takes exactly one --attacker (the initial dyad)")
    try:
        a, t = states.resolve(event.attackers[0]).cow, states.resolve(event.target).cow
    except UnknownStateError as exc:
        raise FoedusError(str(exc)) from None
    if a is None or t is None:
        raise FoedusError("the forecast needs states with a COW number (the covariates are coded by COW number)")
    parts = (Participant(a, "A", event.on), Participant(t, "B", event.on))
    return Case(0, f"{states.name(event.attackers[0])} attacks {states.name(event.target)}", event.on, a, t, parts)


@dataclass(frozen=True)
class Forecast:
    """The forecast for one event: per state, the probability of joining each side, and why."""

    case: Case
    wars: int  # training wars
    states: pl.DataFrame  # state, name, p_A, p_B, p_any, sorted by p_any
    why: dict[tuple[str, str], list[tuple[str, float]]]  # (state, side) -> features that drove it

    @classmethod
    def of(cls, model: Model, rows: pl.DataFrame, wars: int, case: Case) -> Forecast:
        """Score ``rows`` (the event's feature rows) with ``model``."""
        wide = by_state(rows, model.log_rates(rows)).sort(["p_any", "state"], descending=[True, False])
        wide = wide.with_columns(name=pl.col("state").map_elements(states.name, return_dtype=pl.String))
        reasons = explain(model, rows)
        why = {(r["state"], r["side"]): reasons[i] for i, r in enumerate(rows.select("state", "side").to_dicts())}
        return cls(case, wars, wide.select("state", "name", "p_A", "p_B", "p_any"), why)

    def as_json(self, top: int = 0, explain: bool = False) -> dict:
        """The JSON document of ``foedus forecast --json``."""
        rows = self.states.head(top) if top else self.states
        out = []
        for r in rows.to_dicts():
            item = {
                "state": r["state"],
                "name": r["name"],
                "joins_attacker_side": r["p_A"],
                "joins_target_side": r["p_B"],
                "joins_either": r["p_any"],
            }
            if explain:
                item["why"] = {
                    side: [{"feature": f, "description": FEATURES[f], "log_rate_contribution": v} for f, v in why]
                    for side, key in (("attacker_side", "A"), ("target_side", "B"))
                    for why in [self.why.get((r["state"], key), [])]
                }
            out.append(item)
        return {
            "reading": "forecast: probabilities fitted on history, not a legal reading (see `foedus cascade`)",
            "event": {"attacker": self.case.initiator, "target": self.case.target, "on": self.case.start.isoformat()},
            "training_wars": self.wars,
            "expected_joiners": float(self.states["p_any"].sum()),
            "states": out,
        }
