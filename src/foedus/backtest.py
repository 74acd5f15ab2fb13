"""The backtest: the forecast scored out of sample against history, beside the cascade and baselines.

Every (case, state) pair of a system member on the case's start date, the initial dyad excepted, is
scored. The forecast is fitted and scored leave-one-war-out and on two time splits (fit before 1946,
score from 1946, and the reverse); nothing is tuned on the scored cases. Intervals are percentile
intervals of a bootstrap that resamples whole cases (wars), so joiners of one war stay together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from . import forecast
from .corpus.loader import Corpus
from .errors import FoedusError
from .model import Status
from .reliability import BF_FILE
from .reliability import casus_foederis as bf_coding

SPLIT_YEAR = 1946


@dataclass(frozen=True)
class Scored:
    """One out-of-sample scoring: per (case, state) the forecast and, for each pair, its training base rate."""

    label: str
    pairs: pl.DataFrame  # case, state, p_A, p_B, p_any, joined, side, predicted_side, base_rate, + baselines


def _pairs(df: pl.DataFrame, log_rate: np.ndarray, base_rate: float) -> pl.DataFrame:
    extra = df.group_by("case", "ccode").agg(
        cascade_side=pl.when(pl.col("cascade") > 0).then(pl.col("side")).drop_nulls().first(),
        cascade_conditional_side=pl.when(pl.col("cascade_conditional") > 0).then(pl.col("side")).drop_nulls().first(),
        cascade_round=pl.col("cascade_round").max(),
        ally=pl.col("direct_defence_ally").any(),
    )
    wide = forecast.by_state(df, log_rate).join(extra, on=["case", "ccode"], maintain_order="left")
    return wide.with_columns(base_rate=pl.lit(base_rate))


def leave_one_war_out(df: pl.DataFrame, reference: Path, progress: Callable[[], None] | None = None) -> Scored:
    """Fit on all cases but one, score that one, for every case with at least one scored state."""
    parts = []
    for case in sorted(df["case"].unique().to_list()):
        test = df.filter(pl.col("case") == case)
        model = forecast.fit(df.filter(pl.col("case") != case), reference)
        parts.append(_pairs(test, model.log_rates(test), model.base_rate))
        if progress:
            progress()
    return Scored("leave-one-war-out", pl.concat(parts))


def time_split(
    df: pl.DataFrame, reference: Path, before: bool, bf_wars: Iterable[int] | None = None
) -> Scored | None:
    """Fit before ``SPLIT_YEAR`` and score from it (``before``), or the reverse; None when a part is empty.

    ``bf_wars`` as in :func:`foedus.forecast.fit` (by default the training cases, which are wars).
    """
    early = pl.col("start").dt.year() < SPLIT_YEAR
    train, test = (df.filter(early), df.filter(~early)) if before else (df.filter(~early), df.filter(early))
    if test.is_empty() or train.is_empty() or not train["joined"].any():
        return None
    model = forecast.fit(train, reference, bf_wars)
    label = f"fit <{SPLIT_YEAR}, score {SPLIT_YEAR}+" if before else f"fit {SPLIT_YEAR}+, score <{SPLIT_YEAR}"
    return Scored(label, _pairs(test, model.log_rates(test), model.base_rate))


# --- metrics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarSums:
    """Per-case sums from which every probabilistic metric is computed (so a bootstrap is a weighted sum)."""

    cases: np.ndarray
    n: np.ndarray
    joiners: np.ndarray
    sse: np.ndarray  # sum of (p - y)^2
    sse_base: np.ndarray  # with the training base rate as the forecast
    logloss: np.ndarray
    concordant: np.ndarray  # within-case (joiner, non-joiner) pairs ranked right, ties half
    pairs: np.ndarray


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Summed log loss; infinite when a pair that happened was given 0 (or one that did not, 1)."""
    with np.errstate(divide="ignore"):
        return float(-np.where(y == 1, np.log(p), np.log1p(-p)).sum())


def war_sums(pairs: pl.DataFrame, col: str = "p_any") -> WarSums:
    """The per-case sums of a scored table (probabilities in ``col``)."""
    out: dict[str, list] = {k: [] for k in WarSums.__dataclass_fields__}
    for (case,), g in pairs.sort("case", maintain_order=True).group_by("case", maintain_order=True):
        p, y, b = g[col].to_numpy(), g["joined"].to_numpy().astype(float), g["base_rate"].to_numpy()
        pos, neg = p[y == 1], p[y == 0]
        conc = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
        for k, v in (
            ("cases", case),
            ("n", y.size),
            ("joiners", y.sum()),
            ("sse", ((p - y) ** 2).sum()),
            ("sse_base", ((b - y) ** 2).sum()),
            ("logloss", _log_loss(p, y)),
            ("concordant", conc),
            ("pairs", pos.size * neg.size),
        ):
            out[k].append(v)
    return WarSums(**{k: np.asarray(v, dtype=float) for k, v in out.items()})


def _weighted_loss(loss: np.ndarray, w: np.ndarray) -> float:
    """Weighted sum of per-case losses, infinite when a case with an infinite loss has weight (0 × inf is 0)."""
    inf = np.isinf(loss)
    return float("inf") if (w[inf] > 0).any() else float(w[~inf] @ loss[~inf])


def scores(s: WarSums, w: np.ndarray | None = None) -> dict[str, float]:
    """Brier, log loss, Brier skill scores and within-war AUC, with case weights ``w`` (bootstrap counts)."""
    w = np.ones_like(s.n) if w is None else w
    n, y = w @ s.n, w @ s.joiners
    brier = (w @ s.sse) / n
    own = y / n
    ref_own = own * (1 - own)  # Brier of the scored set's own rate, as a constant
    return {
        "brier": brier,
        "log_loss": _weighted_loss(s.logloss, w) / n,
        "bss_base": 1 - brier / ((w @ s.sse_base) / n) if w @ s.sse_base > 0 else float("nan"),
        "bss_own": 1 - brier / ref_own if ref_own > 0 else float("nan"),
        "auc": (w @ s.concordant) / (w @ s.pairs) if w @ s.pairs > 0 else float("nan"),
    }


def bootstrap(s: WarSums, reps: int = 2000, seed: int = 0) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of :func:`scores`, resampling cases with replacement."""
    rng = np.random.default_rng(seed)
    k = s.n.size
    w = rng.multinomial(k, np.full(k, 1.0 / k), size=reps).astype(float)
    draws = [scores(s, row) for row in w]
    return {
        m: tuple(float(x) for x in np.quantile([d[m] for d in draws], [0.025, 0.975], method="inverted_cdf"))
        for m in draws[0]
    }


def calibration(p: np.ndarray, y: np.ndarray, bins: int = 10) -> pl.DataFrame:
    """Calibration table: the pairs cut into ``bins`` groups of equal size by forecast, lowest first."""
    order = np.argsort(p, kind="stable")
    groups = np.array_split(order, bins)
    return pl.DataFrame(
        {
            "bin": list(range(1, len(groups) + 1)),
            "n": [g.size for g in groups],
            "predicted": [float(p[g].mean()) if g.size else float("nan") for g in groups],
            "observed": [float(y[g].mean()) if g.size else float("nan") for g in groups],
            "joiners": [int(y[g].sum()) for g in groups],
        }
    )


def classification(pred_side: pl.Series, pairs: pl.DataFrame) -> dict[str, float]:
    """Recall, precision, F1 and wrong-side joins of a yes/no prediction (a side, or null for stays out)."""
    d = pairs.with_columns(pred=pred_side)
    predicted = int(d["pred"].is_not_null().sum())
    right = int((d["pred"] == d["side"]).fill_null(False).sum())
    wrong = int(((d["pred"] != d["side"]) & d["side"].is_not_null()).fill_null(False).sum())
    actual = int(d["joined"].sum())
    recall = right / actual if actual else float("nan")
    precision = right / predicted if predicted else float("nan")
    f1 = 2 * recall * precision / (recall + precision) if predicted and right else 0.0
    sizes = d.group_by("case", maintain_order=True).agg(
        e=pl.col("pred").is_not_null().sum().cast(pl.Float64), a=pl.col("joined").sum().cast(pl.Float64)
    )
    return {
        "predicted": predicted,
        "right_side": right,
        "wrong_side": wrong,
        "recall": recall,
        "precision": precision,
        "f1": f1,
        "size_error": float((sizes["e"] - sizes["a"]).abs().mean()),
    }


@dataclass
class Report:
    """What ``foedus backtest`` prints: per scoring, the forecast's metrics and the baselines'."""

    cases: int
    pairs: int
    joiners: int
    rows: list[dict] = field(default_factory=list)  # one per (scoring, model)
    calibration: dict[str, pl.DataFrame] = field(default_factory=dict)
    cascade: list[dict] = field(default_factory=list)
    zero_joiners: dict[str, int] = field(default_factory=dict)
    top_decile: dict[str, float] = field(default_factory=dict)
    scored: dict[str, pl.DataFrame] = field(default_factory=dict)
    casus_foederis: dict = field(default_factory=dict)  # :func:`casus_foederis`

    def as_json(self) -> dict:
        """A JSON document of the report."""
        return {
            "cases": self.cases,
            "pairs": self.pairs,
            "joiners": self.joiners,
            "models": self.rows,
            "cascade": self.cascade,
            "calibration": {k: v.to_dicts() for k, v in self.calibration.items()},
            "joiners_given_zero": self.zero_joiners,
            "top_decile_observed_over_predicted": self.top_decile,
            "casus_foederis": self.casus_foederis,
        }


def _row(scoring: str, model: str, pairs: pl.DataFrame, col: str, reps: int, seed: int, pred) -> dict:
    s = war_sums(pairs, col)
    point = scores(s)
    ci = bootstrap(s, reps, seed)
    cls = classification(pred, pairs)
    expected = pairs.group_by("case", maintain_order=True).agg(
        e=pl.col(col).sum(), a=pl.col("joined").sum().cast(pl.Float64)
    )
    cls["size_error"] = float((expected["e"] - expected["a"]).abs().mean())
    return {"scoring": scoring, "model": model, **point, "ci": ci, **cls}


def evaluate(scorings: list[Scored], reps: int = 2000, seed: int = 0) -> Report:
    """The metrics of each scoring for the forecast and the baselines, and the cascade on all cases."""
    first = scorings[0].pairs
    rep = Report(cases=first["case"].n_unique(), pairs=first.height, joiners=int(first["joined"].sum()))
    for sc in scorings:
        d = sc.pairs
        pred = pl.when(pl.col("p_any") >= 0.5).then(pl.col("predicted_side"))
        d = d.with_columns(
            nobody=pl.lit(0.0),
            allies=pl.col("ally").cast(pl.Float64),
            base=pl.col("base_rate"),
        )
        rep.scored[sc.label] = d
        rep.rows.append(_row(sc.label, "forecast", d, "p_any", reps, seed, d.with_columns(x=pred)["x"]))
        for name, col, side in (
            ("nobody joins", "nobody", pl.lit(None, dtype=pl.String)),
            ("target's direct defence allies join", "allies", pl.when(pl.col("ally")).then(pl.lit("B"))),
            ("constant training base rate", "base", pl.lit(None, dtype=pl.String)),
        ):
            rep.rows.append(_row(sc.label, name, d, col, reps, seed, d.with_columns(x=side)["x"]))
        p, y = d["p_any"].to_numpy(), d["joined"].to_numpy().astype(float)
        cal = calibration(p, y)
        rep.calibration[sc.label] = cal
        top = cal.row(-1, named=True)
        rep.top_decile[sc.label] = top["observed"] / top["predicted"]
        rep.zero_joiners[sc.label] = int(((d["p_any"] <= 0) & d["joined"]).sum())
    for name, col in (("cascade (obligated)", "cascade_side"), ("cascade --conditional", "cascade_conditional_side")):
        c = classification(first[col], first)
        chained = first.filter(pl.col("cascade_round") >= 2) if col == "cascade_side" else None
        c["wrong_side_through_chains"] = (
            int(((chained[col] != chained["side"]) & chained["side"].is_not_null()).fill_null(False).sum())
            if chained is not None
            else None
        )
        rep.cascade.append({"model": name, **c})
    allies = classification(first.with_columns(x=pl.when(pl.col("ally")).then(pl.lit("B")))["x"], first)
    rep.cascade.append({"model": "target's direct defence allies join", **allies, "wrong_side_through_chains": None})
    return rep


# --- the legal reading against an expert coding --------------------------------------------------

FINDINGS = (*(s.value for s in Status), "no finding")  # Status is declared from the most binding down
_RANK = {k: i for i, k in enumerate(FINDINGS)}


def casus_foederis(df: pl.DataFrame, corpus: Corpus, reference: Path) -> dict:
    """The engine's findings against Berkemeier and Fuhrmann's coding of whether each casus foederis arose.

    One entry per (ATOP alliance, war) pair they code met or not met. An ATOP id maps to every treaty
    of ``corpus`` that carries it (the imported alliance, and a curated treaty linking it with
    ``atop_id``). The pair's finding is the strongest status (obligated, conditional, not triggered,
    not in force) of any non-consultation commitment of those treaties that a scored state owes the
    war's target on its start date, read from the feature table ``df`` (the engine's findings of the
    backtest itself); "no finding" when none is owed. Pairs of wars not in ``df`` and of ATOP ids no
    treaty carries are counted as unmapped. Agreement: obligated or conditional when met, anything
    but obligated when not met (a conditional finding leaves the question open either way). "no
    finding" pairs (the alliance binds no scored state to the first target, e.g. a member was attacked
    later in the war) are outside the reading of the first dyad, so the rates are also given without them.
    """
    coded = bf_coding(reference / BF_FILE).unique(["warid", "atopid"], keep="first").sort("warid", "atopid")
    treaties: dict[int, set[str]] = {}
    for t in corpus:
        for aid in t.atop_ids:
            treaties.setdefault(aid, set()).add(t.id)
    cases = set(df["case"].unique().to_list())
    owed = (
        df.filter(pl.col("side") == "B")
        .select("case", "finding_treaties", "finding_statuses")
        .explode("finding_treaties", "finding_statuses")
        .drop_nulls()
        .cast({"finding_treaties": pl.String, "finding_statuses": pl.String})
    )
    by_case: dict[int, dict[str, str]] = {}
    for case, treaty, status in owed.iter_rows():
        best = by_case.setdefault(case, {})
        if _RANK[status] < _RANK[best.get(treaty, "no finding")]:
            best[treaty] = status
    pairs, unmapped = [], {"war not scored": 0, "alliance not in the store": 0}
    for war, aid, met in coded.iter_rows():
        if war not in cases:
            unmapped["war not scored"] += 1
            continue
        if aid not in treaties:
            unmapped["alliance not in the store"] += 1
            continue
        found = {t: st for t, st in by_case.get(war, {}).items() if t in treaties[aid]}
        finding = min(found.values(), key=_RANK.__getitem__, default="no finding")
        agree = finding in ("obligated", "conditional") if met else finding != "obligated"
        pairs.append({"war": war, "atop_id": aid, "met": met, "finding": finding, "agree": agree,
                      "treaties": sorted(found or treaties[aid])})
    table = [
        {"bf": "met" if met else "not met", **{k: sum(p["finding"] == k for p in rows) for k in FINDINGS},
         **_agreement(rows)}
        for met in (True, False)
        for rows in ([p for p in pairs if p["met"] is met],)
    ]
    return {
        "coded_pairs": coded.height,
        "mapped_pairs": len(pairs),
        "unmapped": unmapped,
        "table": table,
        **_agreement(pairs),
        "alliance_war_pairs": pairs,
    }


def _agreement(pairs: list[dict]) -> dict:
    """Pairs and agreements, over all ``pairs`` and over those with a finding."""
    answered = [p for p in pairs if p["finding"] != "no finding"]
    out: dict = {}
    for suffix, rows in (("", pairs), ("_answered", answered)):
        agree = sum(p["agree"] for p in rows)
        out |= {f"pairs{suffix}": len(rows), f"agree{suffix}": agree,
                f"agreement{suffix}": agree / len(rows) if rows else float("nan")}
    return out


def dispute_scorings(df: pl.DataFrame, reference: Path, folds: int = 10) -> list[Scored]:
    """Disputes scored in ``folds`` folds by dispute number (fit on the other folds), and on the two time splits.

    No dispute is a Berkemeier–Fuhrmann war, so the fulfilment rates are fitted on none (their
    uninformed 0.5): a dispute number must not select the war that happens to share it.
    """
    parts = []
    for k in range(folds):
        test = pl.col("case") % folds == k
        model = forecast.fit(df.filter(~test), reference, bf_wars=())
        scored = df.filter(test)
        parts.append(_pairs(scored, model.log_rates(scored), model.base_rate))
    out = [Scored(f"disputes, {folds}-fold by dispute", pl.concat(parts))]
    for before in (True, False):
        s = time_split(df, reference, before, bf_wars=())
        if s is not None:
            out.append(Scored(f"disputes, {s.label}", s.pairs))
    return out


def plot(rep: Report, path: Path) -> None:
    """Calibration curves of each scoring and forecast-versus-actual war sizes, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 5))
    top = 0.0
    for label, cal in rep.calibration.items():
        ax.plot(cal["predicted"], cal["observed"], marker="o", label=label)
        top = max(top, float(cal["predicted"].max()), float(cal["observed"].max()))
    ax.plot([0, top], [0, top], color="grey", linestyle=":", label="perfect calibration")
    ax.set(xlabel="mean forecast (decile of pairs)", ylabel="observed joining rate", title="calibration")
    ax.legend(fontsize=8)
    first = next(iter(rep.scored))
    sizes = rep.scored[first].group_by("case").agg(e=pl.col("p_any").sum(), a=pl.col("joined").sum())
    bx.scatter(sizes["a"], sizes["e"], s=14)
    m = float(max(sizes["a"].max(), sizes["e"].max()))
    bx.plot([0, m], [0, m], color="grey", linestyle=":")
    bx.set(xlabel="states that joined", ylabel="expected joiners (sum of forecasts)", title=f"war size, {first}")
    fig.tight_layout()
    tmp = path.with_name(path.name + ".tmp.png")
    try:
        fig.savefig(tmp, dpi=110)
        tmp.replace(path)
    except OSError as exc:
        raise FoedusError(f"{path}: cannot write ({exc.strerror})") from None
    finally:
        plt.close(fig)
