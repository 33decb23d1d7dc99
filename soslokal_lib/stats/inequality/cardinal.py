"""Weighted inequality measures of a non-negative variable (formulas in ``inequality``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from soslokal_lib.stats.inequality import kernels as K
from soslokal_lib.stats.inequality import wording as W
from soslokal_lib.stats.inequality.common import (
    Prepared,
    fail,
    prepare,
    require_positive_mean,
    require_values,
)

_NEGATIVE_FIX = (
    "{m} is defined for non-negative variables (income, counts, shares); drop or correct the "
    "negative values, or use a measure of absolute differences instead"
)


@dataclass(frozen=True, eq=False)
class InequalityResult:
    """A measure's value (``statistic``) with the (weighted) mean and n it was computed on.

    ``n`` counts observations with a positive weight; ``float(result)`` is the statistic.
    """

    measure: str
    statistic: float
    n: int
    weighted: bool
    mean: float

    def __float__(self) -> float:
        return float(self.statistic)

    def to_frame(self) -> pd.DataFrame:
        """One row: ``measure``, ``statistic``, ``n``, ``weighted``, ``mean`` and the
        measure's own fields (e.g. ``epsilon``, ``between``)."""
        return W.one_row(self)

    def text(self, lang: str = "nb") -> str:
        """«Gini = 0,250 (punktestimat uten konfidensintervall); n = 4 områder, vektet»; the
        measure's own details after a semicolon (see the subclasses)."""
        key, w = W.words(lang)
        name = W.measure_name(self.measure, key)
        head = f"{name}{self._qualifier(key)} = {W.num(self.statistic, key, self._decimals)}"
        extra = self._details(key)
        return (f"{head} ({w['point']}); {W.basis(self.n, self.weighted, key)}"
                + (f"; {extra}" if extra else ""))

    _decimals = 3

    def _qualifier(self, lang: str) -> str:
        return ""

    def _details(self, lang: str) -> str:
        return W.WORDS[lang]["mean"].format(mean=W.sig(self.mean, lang))


@dataclass(frozen=True, eq=False)
class GiniResult(InequalityResult):
    finite_sample: bool

    def _qualifier(self, lang: str) -> str:
        return f" ({W.WORDS[lang]['finite']})" if self.finite_sample else ""


@dataclass(frozen=True, eq=False)
class DecompositionResult(InequalityResult):
    """Theil T or MLD; with ``groups`` an exact split ``statistic = between + within``.

    ``groups`` (a DataFrame indexed by group) has ``weight_share`` (population share),
    ``value_share`` (share of the total Σwx), ``mean``, ``index`` (the measure within the
    group), ``within`` (the group's term of ``within``) and ``between`` (its term of
    ``between``). Without ``groups`` the decomposition fields are None.
    """

    between: float | None
    within: float | None
    between_share: float | None
    within_share: float | None
    groups: pd.DataFrame | None = field(repr=False)

    def _details(self, lang: str) -> str:
        if self.between is None:
            return super()._details(lang)
        return W.WORDS[lang]["split"].format(
            between=W.num(self.between, lang), bshare=W.pct(self.between_share, lang),
            within=W.num(self.within, lang), wshare=W.pct(self.within_share, lang))


@dataclass(frozen=True, eq=False)
class AtkinsonResult(InequalityResult):
    epsilon: float
    ede: float  #: equally distributed equivalent, mean·(1 − A)

    def _qualifier(self, lang: str) -> str:
        return f" (ε = {W.sig(self.epsilon, lang)})"

    def _details(self, lang: str) -> str:
        return W.WORDS[lang]["ede"].format(ede=W.sig(self.ede, lang), mean=W.sig(self.mean, lang))


@dataclass(frozen=True, eq=False)
class QuintileShareResult(InequalityResult):
    top_share: float  #: share of the total held by the richest 20 % of the weight
    bottom_share: float  #: share held by the poorest 20 %

    _decimals = 2

    def _details(self, lang: str) -> str:
        return W.WORDS[lang]["quintile"].format(top=W.pct(self.top_share, lang, 1),
                                                bottom=W.pct(self.bottom_share, lang, 1))


@dataclass(frozen=True, eq=False)
class PercentileRatioResult(InequalityResult):
    p90: float
    p10: float

    _decimals = 2

    def _details(self, lang: str) -> str:
        return W.WORDS[lang]["percentiles"].format(p90=W.sig(self.p90, lang),
                                                   p10=W.sig(self.p10, lang))


def _base(d: Prepared, measure: str) -> dict[str, object]:
    mean = float(np.average(d.x, weights=d.w))
    return {"measure": measure, "n": d.n, "weighted": d.weighted, "mean": mean}


def _nonnegative(func: str, d: Prepared, name: str) -> dict[str, object]:
    require_values(func, d.x, "nonnegative", name, _NEGATIVE_FIX.format(m=name))
    base = _base(d, func)
    require_positive_mean(func, base["mean"], name)
    return base


def gini(
    x: object, weights: object = None, *, finite_sample: bool = False, dropna: bool = False
) -> GiniResult:
    """Gini coefficient, G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ).

    No finite-sample correction by default (as R ``ineq::Gini``); unweighted this equals
    PySAL's ``inequality.gini.Gini``. ``finite_sample=True`` multiplies by
    ``n_eff/(n_eff − 1)`` with Kish's ``n_eff = W²/Σw²`` (= ``n/(n − 1)`` unweighted, R's
    ``corr=TRUE``): the weights are treated as population weights of n areas, so integer
    weights do *not* give the corrected Gini of the replicated data (that would use
    ``W/(W − 1)``); without the correction they do. Zeros are allowed; negative values raise.
    """
    d = prepare("gini", x, weights, dropna=dropna)
    base = _nonnegative("gini", d, "the Gini coefficient")
    if finite_sample and d.n < 2:
        fail("gini", "finite_sample=True needs at least two observations", column="x",
             fix="use finite_sample=False")
    g = float(K.gini(d.x[None], d.w[None], finite_sample)[0])
    return GiniResult(statistic=g, finite_sample=finite_sample, **base)


def _decomposed(
    kind: str, d: Prepared, base: dict[str, object], has_groups: bool
) -> DecompositionResult:
    if not has_groups:
        kernel = K.theil if kind == "theil" else K.mld
        stat = float(kernel(d.x[None], d.w[None])[0])
        return DecompositionResult(statistic=stat, between=None, within=None,
                                   between_share=None, within_share=None, groups=None, **base)
    codes, labels = d.codes["groups"], d.labels["groups"]
    parts = K.decompose(kind, d.x[None], d.w[None], codes[None], len(labels))
    stat, between, within = (float(parts[k][0]) for k in ("statistic", "between", "within"))
    weight_share = parts["weight"][0] / d.w.sum()
    value_share = parts["total"][0] / parts["total"][0].sum()
    norm = value_share if kind == "theil" else weight_share
    with np.errstate(divide="ignore", invalid="ignore"):
        index = np.where(norm > 0, parts["within_g"][0] / norm, np.nan)
    table = pd.DataFrame(
        {"weight_share": weight_share, "value_share": value_share,
         "mean": parts["total"][0] / parts["weight"][0], "index": index,
         "within": parts["within_g"][0], "between": parts["between_g"][0]},
        index=labels.rename("group"),
    )
    shares = (between / stat, within / stat) if stat > 0 else (np.nan, np.nan)
    return DecompositionResult(statistic=stat, between=between, within=within,
                               between_share=float(shares[0]), within_share=float(shares[1]),
                               groups=table, **base)


def theil(
    x: object, weights: object = None, groups: object = None, *, dropna: bool = False
) -> DecompositionResult:
    """Theil T, T = Σ (w_i x_i/Σwx) ln(x_i/μ), with 0·ln 0 = 0 (zeros allowed, negatives raise).

    With ``groups``: between = Σ_g s_g ln(μ_g/μ), within = Σ_g s_g T_g, ``s_g`` the group's
    share of Σwx; exact, T = between + within. Unweighted this equals PySAL's ``Theil`` and
    ``TheilD`` (``bg``, ``wg``).
    """
    d = prepare("theil", x, weights, dropna=dropna,
                labels=None if groups is None else {"groups": groups})
    base = _nonnegative("theil", d, "Theil's T")
    return _decomposed("theil", d, base, groups is not None)


def mld(
    x: object, weights: object = None, groups: object = None, *, dropna: bool = False
) -> DecompositionResult:
    """Mean log deviation (Theil L, GE(0)), L = Σ (w_i/W) ln(μ/x_i); values must be > 0.

    With ``groups``: between = Σ_g π_g ln(μ/μ_g), within = Σ_g π_g L_g, ``π_g`` the group's
    population (weight) share; exact, L = between + within.
    """
    d = prepare("mld", x, weights, dropna=dropna,
                labels=None if groups is None else {"groups": groups})
    require_values("mld", d.x, "positive", "the mean log deviation (ln x)",
                   "MLD is undefined at zero; drop the areas with zero, or use theil(), "
                   "which allows zeros")
    return _decomposed("mld", d, _base(d, "mld"), groups is not None)


def atkinson(
    x: object, epsilon: float, weights: object = None, *, dropna: bool = False
) -> AtkinsonResult:
    """Atkinson index, A_ε = 1 − [Σ (w_i/W)(x_i/μ)^(1−ε)]^(1/(1−ε)), A_1 = 1 − geomean/μ.

    ``epsilon ≥ 0`` is the inequality aversion. ε < 1 allows zeros; ε ≥ 1 needs strictly
    positive values. Unweighted this equals PySAL's ``inequality.atkinson.atkinson``.
    """
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not (
        np.isfinite(epsilon) and epsilon >= 0
    ):
        fail("atkinson", f"epsilon must be a finite number >= 0, not {epsilon!r}",
             column="epsilon", fix="use e.g. epsilon=0.5, 1 or 2")
    d = prepare("atkinson", x, weights, dropna=dropna)
    if epsilon >= 1:
        require_values("atkinson", d.x, "positive", f"Atkinson with epsilon={epsilon:g}",
                       "epsilon >= 1 takes logs or negative powers; drop the areas with zero, "
                       "or use epsilon < 1")
        base = _base(d, "atkinson")
    else:
        base = _nonnegative("atkinson", d, "the Atkinson index")
    a = float(K.atkinson(d.x[None], d.w[None], float(epsilon))[0])
    return AtkinsonResult(statistic=a, epsilon=float(epsilon), ede=base["mean"] * (1 - a),
                          **base)


def cv(x: object, weights: object = None, *, dropna: bool = False) -> InequalityResult:
    """Coefficient of variation σ_w/μ, σ_w² = Σ w_i (x_i − μ)²/W (population form, as R
    ``ineq::var.coeff``; no n − 1). Values must be non-negative with a positive mean.
    """
    d = prepare("cv", x, weights, dropna=dropna)
    base = _nonnegative("cv", d, "the coefficient of variation")
    return InequalityResult(statistic=float(K.cv(d.x[None], d.w[None])[0]), **base)


def s80_s20(x: object, weights: object = None, *, dropna: bool = False) -> QuintileShareResult:
    """Quintile share ratio S80/S20 = (1 − L(0.8)) / L(0.2), L the weighted Lorenz curve.

    Shares are of population (weight), not of observations: an area straddling the 20 % (80 %)
    point counts with the fraction of its weight that falls inside. Raises when the poorest
    20 % hold nothing.
    """
    d = prepare("s80_s20", x, weights, dropna=dropna)
    base = _nonnegative("s80_s20", d, "S80/S20")
    low, high = K.lorenz(d.x[None], d.w[None], (0.2, 0.8))
    bottom, top = float(low[0]), 1.0 - float(high[0])
    if not bottom > 0:
        fail("s80_s20", "the poorest 20 % hold nothing, so S80/S20 is undefined", column="x",
             fix="use gini() or theil(), which allow zeros")
    return QuintileShareResult(statistic=top / bottom, top_share=top, bottom_share=bottom,
                               **base)


def p90_p10(x: object, weights: object = None, *, dropna: bool = False) -> PercentileRatioResult:
    """P90/P10, the ratio of the weighted 90th to the 10th percentile.

    Percentile: Q(p) = min{x : F_w(x) ≥ p} with F_w the weighted ECDF, averaged with the next
    value where F_w(x) = p exactly (Hyndman–Fan type 2; numpy ``averaged_inverted_cdf``
    when unweighted). Raises when P10 is 0.
    """
    d = prepare("p90_p10", x, weights, dropna=dropna)
    base = _nonnegative("p90_p10", d, "P90/P10")
    p90, p10 = (float(q[0]) for q in K.quantile(d.x[None], d.w[None], (0.9, 0.1)))
    if not p10 > 0:
        fail("p90_p10", "the 10th percentile is 0, so P90/P10 is undefined", column="x",
             fix="use gini() or theil(), which allow zeros")
    return PercentileRatioResult(statistic=p90 / p10, p90=p90, p10=p10, **base)
