"""Inequality along a socioeconomic gradient: ridit ranks, concentration index, SII and RII."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as st

from soslokal_lib.stats.inequality import wording as W
from soslokal_lib.stats.inequality.common import check_confidence, fail, prepare

_CORRECTIONS = (None, "wagstaff", "erreygers")
_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3")


def _ridit(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    order = np.argsort(v, kind="stable")
    vs, ws = v[order], w[order]
    starts = np.flatnonzero(np.r_[True, vs[1:] != vs[:-1]])
    block_w = np.add.reduceat(ws, starts)
    block_end = np.cumsum(block_w)
    block_rank = (block_end - block_w / 2.0) / block_end[-1]
    block = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, vs.size]))
    out = np.empty_like(v)
    out[order] = block_rank[block]
    return out


def ridit(
    rank_by: object, weights: object = None, *, ascending: bool = True, dropna: bool = False
) -> np.ndarray | pd.Series:
    """Weighted fractional rank (ridit) in (0, 1), 0 = worst-off, 1 = best-off.

    R_i = (weight of everyone ranked below i + w_i/2) / W; tied ``rank_by`` values share the
    mid-point of their block. ``ascending=True``: low ``rank_by`` is worst-off (income);
    ``ascending=False``: high ``rank_by`` is worst-off (e.g. a low-income share). Returns a
    Series aligned with ``rank_by`` when that is a Series (rows left out by ``dropna`` or with
    weight 0 get NaN).
    """
    d = prepare("ridit", rank_by, weights, dropna=dropna, x_name="rank_by")
    r = _ridit(d.x if ascending else -d.x, d.w)
    full = np.full(d.keep.size, np.nan)
    full[d.keep] = r
    if isinstance(rank_by, pd.Series):
        return pd.Series(full, index=rank_by.index, name="ridit")
    return full


@dataclass(frozen=True, eq=False)
class ConcentrationResult:
    """Concentration index: ``statistic`` (corrected if asked), ``standard`` (uncorrected)."""

    statistic: float
    standard: float
    correction: str | None
    bounds: tuple[float, float] | None
    mean: float
    n: int
    weighted: bool
    ascending: bool

    def __float__(self) -> float:
        return float(self.statistic)

    def to_frame(self) -> pd.DataFrame:
        """One row: ``statistic``, ``standard``, ``correction``, ``bounds``, ``mean``, ``n``,
        ``weighted``, ``ascending``."""
        return W.one_row(self)

    def text(self, lang: str = "nb") -> str:
        """«Konsentrasjonsindeks = −0,200 (punktestimat uten konfidensintervall):
        konsentrert blant de dårligere stilte; n = 4 områder, vektet»; a correction is named
        with its bounds and the uncorrected C."""
        key, w = W.words(lang)
        name = W.measure_name("concentration_index", key)
        if self.correction is not None:
            a, b = (W.sig(v, key) for v in self.bounds)
            name += (f" ({w['corr'][self.correction]}, {w['bounds'].format(a=a, b=b)}; "
                     f"{w['standard'].format(c=W.num(self.standard, key))})")
        rounded = round(self.statistic, 3)
        where = w["conc_pos"] if rounded > 0 else w["conc_neg"] if rounded < 0 else w["conc_zero"]
        return (f"{name} = {W.num(self.statistic, key)} ({w['point']}): {where}; "
                f"{W.basis(self.n, self.weighted, key)}")


def concentration_index(
    y: object, rank_by: object, weights: object = None, *, correction: str | None = None,
    bounds: tuple[float, float] | None = None, ascending: bool = True, dropna: bool = False,
) -> ConcentrationResult:
    """Concentration index of ``y`` along ``rank_by``: C = 2·cov_w(y, R)/μ_w(y).

    R is the weighted ridit of ``rank_by`` (see :func:`ridit`, ``ascending`` says which end is
    worst-off). C > 0: ``y`` is concentrated among the better-off; C < 0: among the worse-off.
    Ranking ``y`` by itself gives its Gini coefficient.

    For a bounded ``y`` in ``bounds=(a, b)`` (e.g. (0, 1) for shares, (1, 7) for scores):

    * ``"wagstaff"`` (Wagstaff 2005, Health Econ 14:429–432, generalised to [a, b]):
      W = C·(b − a)·μ / ((b − μ)(μ − a)), i.e. C/(1 − μ) for a share;
    * ``"erreygers"`` (Erreygers 2009, J Health Econ 28:504–515): E = 4·μ·C/(b − a)
      = 8·cov_w(y, R)/(b − a).

    Both lie in [−1, 1]. The standard index needs non-negative ``y`` with a positive mean.
    """
    if correction not in _CORRECTIONS:
        fail("concentration_index", f"unknown correction {correction!r}", column="correction",
             fix='use None, "wagstaff" or "erreygers"')
    d = prepare("concentration_index", y, weights, dropna=dropna, numeric={"rank_by": rank_by},
                x_name="y")
    yv, w = d.x, d.w
    r = _ridit(d.numeric["rank_by"] if ascending else -d.numeric["rank_by"], w)
    mu = float(np.average(yv, weights=w))
    cov = float(np.average((yv - mu) * (r - np.average(r, weights=w)), weights=w))
    if correction is not None:
        a, b = _check_bounds(bounds, yv, mu, correction)
    elif bounds is not None:
        fail("concentration_index", "bounds are only used with a correction", column="bounds",
             fix='add correction="erreygers" or "wagstaff", or drop bounds')
    if correction is None or correction == "wagstaff":
        if (yv < 0).any() and correction is None:
            fail("concentration_index", "the standard index needs non-negative y; "
                 f"{int((yv < 0).sum())} values are negative", column="y",
                 fix='for a bounded y use correction="erreygers" with bounds=(a, b)')
        if not mu > 0:
            fail("concentration_index", f"the mean of y is {mu:g}; the index divides by it",
                 column="y", fix='use correction="erreygers" with bounds=(a, b)')
    standard = 2.0 * cov / mu if mu != 0 else np.nan
    if correction == "wagstaff":
        stat = standard * (b - a) * mu / ((b - mu) * (mu - a))
    elif correction == "erreygers":
        stat = 8.0 * cov / (b - a)
    else:
        stat = standard
    return ConcentrationResult(
        statistic=float(stat), standard=float(standard), correction=correction,
        bounds=None if correction is None else (a, b), mean=mu, n=d.n, weighted=d.weighted,
        ascending=ascending,
    )


def _check_bounds(bounds: object, y: np.ndarray, mu: float, correction: str) -> tuple[float, ...]:
    func = "concentration_index"
    try:
        a, b = (float(v) for v in bounds)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        fail(func, f"correction={correction!r} needs bounds=(a, b), got {bounds!r}",
             column="bounds", fix="pass the variable's range, e.g. (0, 1) or (1, 7)")
    if not (np.isfinite(a) and np.isfinite(b) and a < b):
        fail(func, f"bounds must be finite with a < b, got {bounds!r}", column="bounds",
             fix="pass the variable's range, e.g. (0, 1) or (1, 7)")
    outside = (y < a) | (y > b)
    if outside.any():
        fail(func, f"{int(outside.sum())} values of y lie outside bounds ({a:g}, {b:g})",
             column="y", value=float(y[outside][0]), fix="check the bounds or the variable")
    if correction == "wagstaff" and not a < mu < b:
        fail(func, f"the Wagstaff correction needs a < mean(y) < b; mean is {mu:g}",
             column="y", fix='use correction="erreygers"')
    return a, b


@dataclass(frozen=True, eq=False)
class SlopeIndexResult:
    """Slope index of inequality (``statistic`` = SII) and relative index (``rii``).

    SII = ŷ(1) − ŷ(0), RII = ŷ(1)/ŷ(0): predictions of the WLS line at the best-off (1) and the
    worst-off (0) end. RII and its interval are NaN when ŷ(0) or ŷ(1) is not positive.
    """

    statistic: float
    ci_low: float
    ci_high: float
    se: float
    intercept: float
    rii: float
    rii_ci_low: float
    rii_ci_high: float
    confidence: float
    cov_type: str
    n: int
    weighted: bool
    ascending: bool

    @property
    def sii(self) -> float:
        return self.statistic

    def __float__(self) -> float:
        return float(self.statistic)

    def to_frame(self) -> pd.DataFrame:
        """Rows ``sii`` and ``rii`` with ``statistic``, ``ci_low``, ``ci_high``, ``n``."""
        rows = {"sii": (self.statistic, self.ci_low, self.ci_high, self.n),
                "rii": (self.rii, self.rii_ci_low, self.rii_ci_high, self.n)}
        return pd.DataFrame.from_dict(rows, orient="index",
                                      columns=["statistic", "ci_low", "ci_high", "n"])

    def text(self, lang: str = "nb") -> str:
        """«SII = 1,03 (95 % KI 0,81 til 1,26), RII = 1,24 (95 % KI 1,18 til 1,30);
        n = 12 områder, vektet»."""
        key, w = W.words(lang)
        ci = w["ci"].format(level=W.level(self.confidence, key))
        sii = f"SII = {W.num(self.statistic, key, 2)} ({ci} {W.interval(self.ci_low, self.ci_high, key, 2)})"
        if np.isfinite(self.rii):
            rii = (f"RII = {W.num(self.rii, key, 2)} "
                   f"({ci} {W.interval(self.rii_ci_low, self.rii_ci_high, key, 2)})")
        else:
            rii = w["rii_none"]
        robust = "" if self.cov_type == "nonrobust" else f"; {w['robust'].format(c=self.cov_type)}"
        return f"{sii}, {rii}; {W.basis(self.n, self.weighted, key)}{robust}"


def slope_index(
    y: object, rank_by: object, weights: object = None, *, confidence: float = 0.95,
    ascending: bool = True, cov_type: str = "nonrobust", dropna: bool = False,
) -> SlopeIndexResult:
    """Slope (SII) and relative (RII) index of inequality along ``rank_by``.

    Fits y = β0 + β1·R by weighted least squares (statsmodels WLS, ``weights`` as analytic
    weights, e.g. population), R the weighted ridit (0 = worst-off, 1 = best-off). SII = β1;
    its CI uses the WLS standard error (t with n − 2 df; ``cov_type="HC0".."HC3"`` gives a
    heteroskedasticity-robust, normal-based interval). RII = (β0 + β1)/β0 with a delta-method
    interval on log RII.

    ``ascending=True``: low ``rank_by`` is worst-off (income). For a deprivation measure such
    as the share of low-income households pass ``ascending=False``::

        slope_index(mean_score, low_income_share, population, ascending=False)

    so that the area with the highest low-income share sits at rank 0; a positive SII then
    means the outcome is higher (for Stedskompasset: better) in the better-off areas.
    """
    import statsmodels.api as sm

    func = "slope_index"
    check_confidence(func, confidence)
    if cov_type not in _COV_TYPES:
        fail(func, f"unknown cov_type {cov_type!r}", column="cov_type",
             fix=f"use one of {', '.join(_COV_TYPES)}")
    d = prepare(func, y, weights, dropna=dropna, numeric={"rank_by": rank_by}, x_name="y")
    if d.n < 3:
        fail(func, f"needs at least 3 observations, got {d.n}", column="y",
             fix="use more areas")
    rb = d.numeric["rank_by"]
    r = _ridit(rb if ascending else -rb, d.w)
    if np.ptp(r) == 0:
        fail(func, "rank_by takes a single value, so there is no gradient", column="rank_by",
             fix="rank by a variable that differs between areas")
    fit = sm.WLS(d.x, sm.add_constant(r, has_constant="add"), weights=d.w).fit(
        cov_type=cov_type)
    beta = np.asarray(fit.params, dtype=float)
    cov = np.asarray(fit.cov_params(), dtype=float)
    alpha = 1.0 - confidence
    low, high = np.asarray(fit.conf_int(alpha=alpha), dtype=float)[1]
    b0, b1 = beta
    rii, rii_low, rii_high = np.nan, np.nan, np.nan
    if b0 > 0 and b0 + b1 > 0:
        rii = (b0 + b1) / b0
        grad = np.array([1.0 / (b0 + b1) - 1.0 / b0, 1.0 / (b0 + b1)])
        se_log = float(np.sqrt(max(grad @ cov @ grad, 0.0)))
        crit = (st.t.ppf(1 - alpha / 2, fit.df_resid) if cov_type == "nonrobust"
                else st.norm.ppf(1 - alpha / 2))
        with np.errstate(over="ignore"):  # a huge se gives an unbounded interval
            rii_low, rii_high = rii * np.exp(-crit * se_log), rii * np.exp(crit * se_log)
    return SlopeIndexResult(
        statistic=float(b1), ci_low=float(low), ci_high=float(high),
        se=float(np.sqrt(cov[1, 1])), intercept=float(b0), rii=float(rii),
        rii_ci_low=float(rii_low), rii_ci_high=float(rii_high), confidence=confidence,
        cov_type=cov_type, n=d.n, weighted=d.weighted, ascending=ascending,
    )
