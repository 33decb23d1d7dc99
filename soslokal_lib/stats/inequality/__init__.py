"""Inequality between areas: weighted measures, decompositions, gradients, ordinal indices.

Public as ``soslokal_lib.inequality``. Every measure is a pure function returning a small frozen
result object with ``.statistic`` (``float(result)`` works too). **Pass area populations as
``weights``**: inequality between areas is population-weighted in soslokal unless you choose
otherwise (``weights=None`` weights every area equally). Weights are population (or survey)
weights, not frequencies: with integer weights every measure below equals the measure of the
data with each value repeated that many times, **except** ``gini(finite_sample=True)``, whose
correction uses Kish's effective n (n_eff = W²/Σw², the number of areas for equal weights)
rather than the replicated count W. Notation: weights w_i, W = Σ w_i, weighted mean
μ = Σ w_i x_i / W.

Cardinal measures (x ≥ 0; no finite-sample corrections unless asked, as R ``ineq``):

* :func:`gini` — G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ); ``finite_sample=True`` multiplies
  by n_eff/(n_eff − 1), n_eff = W²/Σw² (n/(n − 1) unweighted; with frequency weights this is
  not the replicated data's W/(W − 1)).
* :func:`theil` — T = Σ (w_i x_i/Σwx) ln(x_i/μ), 0·ln 0 = 0; exact between/within split by
  ``groups``.
* :func:`mld` — Theil L = Σ (w_i/W) ln(μ/x_i) (x > 0); exact split by ``groups``.
* :func:`atkinson` — A_ε = 1 − [Σ (w_i/W)(x_i/μ)^(1−ε)]^(1/(1−ε)), A_1 = 1 − geomean/μ.
* :func:`cv` — σ_w/μ with σ_w² = Σ w_i (x_i − μ)²/W.
* :func:`s80_s20` — (1 − L(0.8))/L(0.2) with L the population-weighted Lorenz curve.
* :func:`p90_p10` — weighted percentiles, Q(p) = min{x: F_w(x) ≥ p}, averaged where
  F_w(x) = p exactly (Hyndman–Fan type 2).

Zeros and negatives are never nudged by an epsilon: negatives raise everywhere; zeros are fine
for Gini, Theil T, CV, S80/S20, P90/P10 (unless the denominator share/percentile is 0) and
Atkinson ε < 1, and raise for MLD and Atkinson ε ≥ 1. NaN in x or weights raises unless
``dropna=True``; observations with weight 0 are left out.

Gradient: :func:`ridit`, :func:`concentration_index` (standard, Wagstaff, Erreygers),
:func:`slope_index` (SII, RII). Ordinal 1–k scores: :func:`allison_foster`,
:func:`abul_naga_yalcin` and their vectorised ``*_many`` forms over many histograms.
Uncertainty: :func:`bootstrap` (seeded, vectorised): percentile intervals over resampled
areas, or, for survey means (``cluster=``), resampled respondents within areas with a
correction for the noise that sampling adds to the spread of area means.
Survey alone: :func:`area_differences` (do areas differ, which area differs from the rest, ICC;
see :mod:`soslokal_lib.stats.area_differences`).
"""

from __future__ import annotations

from soslokal_lib.stats.area_differences import AreaDifferences, area_differences
from soslokal_lib.stats.inequality.cardinal import (
    AtkinsonResult,
    DecompositionResult,
    GiniResult,
    InequalityResult,
    PercentileRatioResult,
    QuintileShareResult,
    atkinson,
    cv,
    gini,
    mld,
    p90_p10,
    s80_s20,
    theil,
)
from soslokal_lib.stats.inequality.concentration import (
    ConcentrationResult,
    SlopeIndexResult,
    concentration_index,
    ridit,
    slope_index,
)
from soslokal_lib.stats.inequality.ordinal import (
    AbulNagaYalcinResult,
    AllisonFosterResult,
    abul_naga_yalcin,
    abul_naga_yalcin_many,
    allison_foster,
    allison_foster_many,
)
from soslokal_lib.stats.inequality.resampling import BootstrapResult, bootstrap

__all__ = [
    "gini", "theil", "mld", "atkinson", "cv", "s80_s20", "p90_p10",
    "ridit", "concentration_index", "slope_index",
    "allison_foster", "allison_foster_many", "abul_naga_yalcin", "abul_naga_yalcin_many",
    "bootstrap", "area_differences",
    "InequalityResult", "GiniResult", "DecompositionResult", "AtkinsonResult",
    "QuintileShareResult", "PercentileRatioResult", "ConcentrationResult", "SlopeIndexResult",
    "AllisonFosterResult", "AbulNagaYalcinResult", "BootstrapResult", "AreaDifferences",
]
