"""Inequality of ordinal scores (1–k): Allison–Foster and Abul Naga–Yalcin indices.

Both work on the cumulative distribution P_i = share of responses at or below level i
(i = 1..k, P_k = 1) and the median level m = the smallest i with P_i ≥ 1/2 (as the summary
layer). They are computed from score histograms, vectorised over any leading axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from soslokal_lib.numformat import format_number
from soslokal_lib.stats.inequality import wording as W
from soslokal_lib.stats.inequality.common import as_float, fail, positions, prepare

_HALF_TOL = 1e-12


@dataclass(frozen=True, eq=False)
class AllisonFosterResult:
    """``statistic`` = μ_upper − μ_lower (= 2·E|X − m|), ``normalised`` = statistic/(k − 1)."""

    statistic: float
    normalised: float
    median: int
    upper_mean: float
    lower_mean: float
    reference: float
    levels: int
    total: float

    def __float__(self) -> float:
        return float(self.statistic)

    def to_frame(self) -> pd.DataFrame:
        """One row of the fields: ``statistic``, ``normalised``, ``median``, …, ``total``."""
        return W.one_row(self)

    def text(self, lang: str = "nb") -> str:
        """«Allison–Foster = 2,00 (normert 0,333, skala 1–7), median nivå 4; n = 10 svar
        (punktestimat uten konfidensintervall)»."""
        key, w = W.words(lang)
        where = (w["median"].format(m=self.median) if self.reference == self.median
                 else w["around"].format(r=W.sig(self.reference, key)))
        return (f"Allison–Foster = {W.num(self.statistic, key, 2)} "
                f"({w['normalised'].format(v=W.num(self.normalised, key))}, "
                f"{w['scale'].format(k=self.levels)}), {where}; {_responses(self.total, key)} "
                f"({w['point']})")


def _responses(total: float, lang: str) -> str:
    return f"n = {format_number(total, lang, 1, whole=True)} {W.WORDS[lang]['responses']}"


@dataclass(frozen=True, eq=False)
class AbulNagaYalcinResult:
    """I^{α,β} in [0, 1] with the median level it was computed around."""

    statistic: float
    alpha: float
    beta: float
    median: int
    levels: int
    total: float

    def __float__(self) -> float:
        return float(self.statistic)

    def to_frame(self) -> pd.DataFrame:
        """One row of the fields: ``statistic``, ``alpha``, ``beta``, ``median``, ``levels``,
        ``total``."""
        return W.one_row(self)

    def text(self, lang: str = "nb") -> str:
        """«Abul Naga–Yalcin I(α = 1, β = 1) = 0,333 (skala 1–7), median nivå 4; n = 10 svar
        (punktestimat uten konfidensintervall)»."""
        key, w = W.words(lang)
        return (f"Abul Naga–Yalcin I(α = {W.sig(self.alpha, key)}, β = {W.sig(self.beta, key)})"
                f" = {W.num(self.statistic, key)} ({w['scale'].format(k=self.levels)}), "
                f"{w['median'].format(m=self.median)}; {_responses(self.total, key)} "
                f"({w['point']})")


# --- histograms ----------------------------------------------------------------------------


def _histogram(
    func: str, data: object, weights: object, kind: str, scale: int, dropna: bool
) -> np.ndarray:
    if kind == "counts":
        if weights is not None:
            fail(func, "weights apply to raw scores, not to a histogram", column="weights",
                 fix='pass weighted counts as the histogram, or kind="scores"')
        hist, _ = _hist_array(func, data)
        if hist.ndim != 1:
            fail(func, f"a histogram must be 1-D, got shape {hist.shape}", column="counts",
                 fix=f"use {func}_many() for many histograms at once")
        return hist
    if kind != "scores":
        fail(func, f"unknown kind {kind!r}", column="kind", fix='use "scores" or "counts"')
    if isinstance(scale, bool) or not isinstance(scale, (int, np.integer)) or scale < 2:
        fail(func, f"scale must be an integer >= 2, not {scale!r}", column="scale",
             fix="use scale=7 (or 3 for the children's version)")
    d = prepare(func, data, weights, dropna=dropna, x_name="scores")
    bad = (d.x != np.round(d.x)) | (d.x < 1) | (d.x > scale)
    if bad.any():
        fail(func, f"scores must be whole numbers 1..{scale}: {positions(bad, 'are not')}",
             column="scores", value=float(d.x[bad][0]),
             fix=f"recode to 1..{scale} (missing as NaN with dropna=True), or set scale")
    return np.bincount(d.x.astype(np.intp) - 1, weights=d.w, minlength=int(scale))


def _hist_array(func: str, counts: object) -> tuple[np.ndarray, pd.Index | None]:
    index = counts.index if isinstance(counts, (pd.DataFrame, pd.Series)) else None
    if isinstance(counts, pd.DataFrame):
        arr = counts.to_numpy(dtype="float64", na_value=np.nan)
    elif isinstance(counts, pd.Series):
        arr, index = as_float(counts, "counts", func), None
    else:
        try:
            arr = np.asarray(counts, dtype="float64")
        except (TypeError, ValueError) as exc:
            fail(func, f"counts must be numeric ({exc})", column="counts",
                 fix="pass counts per scale level")
    if arr.ndim < 1 or arr.shape[-1] < 2:
        fail(func, f"counts need at least 2 levels on the last axis, got shape {arr.shape}",
             column="counts", fix="pass one count per scale level (7 for 1–7 scores)")
    flat = arr.ravel()
    for bad, what in ((~np.isfinite(flat), "missing or infinite"), (flat < 0, "negative")):
        if bad.any():
            fail(func, f"counts must be finite and >= 0: {positions(bad, 'are ' + what)}",
                 column="counts", value=float(flat[bad][0]),
                 fix="use 0 for empty levels; drop suppressed cells first")
    return arr, index


def _cumulative(hist: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(P, m0, total): cumulative shares, 0-based median level, total (NaN P where total 0)."""
    total = hist.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cum = np.cumsum(hist, axis=-1) / total[..., None]
    cum[..., -1] = np.where(total > 0, 1.0, np.nan)
    m0 = (cum < 0.5 - _HALF_TOL).sum(axis=-1)
    return cum, m0, total


def _wrap(values: np.ndarray, index: pd.Index | None, name: str) -> np.ndarray | pd.Series:
    return pd.Series(values, index=index, name=name) if index is not None else values


# --- Allison–Foster ------------------------------------------------------------------------


def _af_parts(hist: np.ndarray, reference: object) -> dict[str, np.ndarray]:
    cum, m0, total = _cumulative(hist)
    k = hist.shape[-1]
    below_mask = np.arange(k) < m0[..., None]
    below = np.where(below_mask, cum, 0.0).sum(axis=-1)  # E[(m − X)+]
    above = np.where(below_mask, 0.0, 1.0 - cum).sum(axis=-1)  # E[(X − m)+]
    m = (m0 + 1).astype(float)
    if isinstance(reference, str):
        stat = 2.0 * (below + above)
        ref = m
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = hist / total[..., None]
        stat = 2.0 * (share * np.abs(np.arange(1, k + 1) - float(reference))).sum(axis=-1)
        ref = np.full_like(m, float(reference))
    empty = ~(total > 0)
    nan = np.where(empty, np.nan, 0.0)
    return {"statistic": stat + nan, "median": m + nan, "upper": m + 2 * above + nan,
            "lower": m - 2 * below + nan, "reference": ref + nan, "total": total}


def _check_reference(func: str, reference: object, k: int) -> None:
    if isinstance(reference, str):
        if reference != "median":
            fail(func, f"unknown reference {reference!r}", column="reference",
                 fix='use "median" or a scale level such as 4')
    elif isinstance(reference, bool) or not isinstance(reference, (int, float, np.number)) \
            or not 1 <= reference <= k:
        fail(func, f"reference must be 'median' or a level in 1..{k}, not {reference!r}",
             column="reference", fix='use reference="median"')


def allison_foster(
    counts_or_scores: object, weights: object = None, *, reference: object = "median",
    kind: str = "scores", scale: int = 7, dropna: bool = False,
) -> AllisonFosterResult:
    """Allison–Foster spread index of ordinal scores around the median.

    Allison R.A., Foster J.E. (2004), Measuring health inequality using qualitative data,
    J Health Econ 23:505–524. Version implemented (levels scored 1..k, equally spaced): the
    population is split at the median level m into an upper and a lower half of exactly 50 %
    each (the median level's mass is shared between them), and

        AF = μ_upper − μ_lower = 2·E|X − m| = 2·[Σ_{i<m} P_i + Σ_{i≥m} (1 − P_i)],

    from the cumulative distribution below and above the median. It is 0 when everyone is in one
    level, rises with every median-preserving spread (the Allison–Foster ordering) and reaches
    k − 1 for a 50/50 split between levels 1 and k; ``normalised`` = AF/(k − 1) ∈ [0, 1]
    (equal to :func:`abul_naga_yalcin` with α = β = 1). R ``wINEQ::AF`` instead puts the whole
    median level into the upper group. A numeric ``reference`` r gives 2·E|X − r|.

    ``kind="scores"``: raw scores 1..``scale`` with optional ``weights``;
    ``kind="counts"``: one histogram (counts or summed weights per level 1..k).
    """
    func = "allison_foster"
    hist = _histogram(func, counts_or_scores, weights, kind, scale, dropna)
    _check_reference(func, reference, hist.shape[-1])
    if not hist.sum() > 0:
        fail(func, "the histogram is empty", column="counts", fix="pass at least one response")
    p = _af_parts(hist, reference)
    k = hist.shape[-1]
    return AllisonFosterResult(
        statistic=float(p["statistic"]), normalised=float(p["statistic"]) / (k - 1),
        median=int(p["median"]), upper_mean=float(p["upper"]), lower_mean=float(p["lower"]),
        reference=float(p["reference"]), levels=k, total=float(p["total"]),
    )


def allison_foster_many(
    counts: object, *, reference: object = "median", normalised: bool = False
) -> np.ndarray | pd.Series:
    """:func:`allison_foster` of many histograms at once (levels on the last axis).

    ``counts``: e.g. an areas × levels array or DataFrame (→ Series with its index), or the
    ``[groups, themes, levels]`` array of ``summary.score_histograms``. Empty histograms give
    NaN. ``normalised=True`` divides by k − 1.
    """
    arr, index = _hist_array("allison_foster_many", counts)
    _check_reference("allison_foster_many", reference, arr.shape[-1])
    stat = _af_parts(arr, reference)["statistic"]
    if normalised:
        stat = stat / (arr.shape[-1] - 1)
    return _wrap(stat, index, "allison_foster")


# --- Abul Naga–Yalcin ----------------------------------------------------------------------


def _check_power(func: str, name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not (
        np.isfinite(value) and value > 0
    ):
        fail(func, f"{name} must be a positive number, not {value!r}", column=name,
             fix=f"use {name}=1 (the linear member)")
    return float(value)


def _any_index(hist: np.ndarray, alpha: float, beta: float) -> tuple[np.ndarray, np.ndarray]:
    cum, m0, total = _cumulative(hist)
    k = hist.shape[-1]
    below_mask = np.arange(k) < m0[..., None]
    below = np.where(below_mask, cum**alpha, 0.0).sum(axis=-1)
    above = np.where(below_mask, 0.0, cum**beta).sum(axis=-1)
    m = m0 + 1.0
    num = below - above + (k - m + 1)
    den = (m - 1) * 0.5**alpha + (k - m) * (1 - 0.5**beta)
    return np.where(total > 0, num / den, np.nan), m


def abul_naga_yalcin(
    counts_or_scores: object, weights: object = None, *, alpha: float = 1, beta: float = 1,
    kind: str = "scores", scale: int = 7, dropna: bool = False,
) -> AbulNagaYalcinResult:
    """Abul Naga–Yalcin inequality index I^{α,β} of ordinal scores.

    Abul Naga R.H., Yalcin T. (2008), Inequality measurement for ordered response health data,
    J Health Econ 27:1614–1625. With P_i the cumulative shares, m the median level and k the
    number of levels:

        I^{α,β} = [Σ_{i<m} P_i^α − Σ_{i≥m} P_i^β + (k − m + 1)]
                  / [(m − 1)(1/2)^α − (1 + (k − m)(1/2)^β) + (k − m + 1)],

    0 when everyone is in one level, 1 for a 50/50 split between levels 1 and k, increasing in
    every median-preserving spread; larger α (β) gives less weight to spreads below (above)
    the median. α = β = 1 gives I = 2·[Σ_{i<m} P_i − Σ_{i≥m} P_i + k − m + 1]/(k − 1)
    = E|X − m|/((k − 1)/2), the normalised Allison–Foster index. (R ``wINEQ::AN_Y`` uses α, β
    as linear weights, α·Σ P_i, which agrees with this power form only at α = β = 1.)
    Comparisons are meaningful between distributions that share a median level.

    ``kind="scores"``: raw scores 1..``scale`` with optional ``weights``;
    ``kind="counts"``: one histogram (counts or summed weights per level).
    """
    func = "abul_naga_yalcin"
    a, b = _check_power(func, "alpha", alpha), _check_power(func, "beta", beta)
    hist = _histogram(func, counts_or_scores, weights, kind, scale, dropna)
    if not hist.sum() > 0:
        fail(func, "the histogram is empty", column="counts", fix="pass at least one response")
    stat, m = _any_index(hist, a, b)
    return AbulNagaYalcinResult(statistic=float(stat), alpha=a, beta=b, median=int(m),
                                levels=hist.shape[-1], total=float(hist.sum()))


def abul_naga_yalcin_many(
    counts: object, *, alpha: float = 1, beta: float = 1
) -> np.ndarray | pd.Series:
    """:func:`abul_naga_yalcin` of many histograms at once (levels on the last axis).

    ``counts``: an areas × levels array or DataFrame (→ Series with its index), or any array
    with levels last. Empty histograms give NaN.
    """
    func = "abul_naga_yalcin_many"
    a, b = _check_power(func, "alpha", alpha), _check_power(func, "beta", beta)
    arr, index = _hist_array(func, counts)
    return _wrap(_any_index(arr, a, b)[0], index, "abul_naga_yalcin")
