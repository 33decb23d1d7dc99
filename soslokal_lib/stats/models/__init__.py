"""Regression models for scores and areas: ordinal, random-intercept (ICC) and area-level WLS.

Public as ``soslokal_lib.models``; statsmodels is imported lazily.

* :func:`ordinal_model` — proportional-odds (ordinal logistic) regression of one theme score on
  area indicators (joined by ``area_id``) and individual background (statsmodels
  ``OrderedModel``; no constant, the thresholds take its place). Categorical covariates become
  0/1 dummies against a stated reference level (default: the most common level). Area
  indicators are scaled so that an odds ratio refers to a meaningful step: **per 10
  percentage points** for ``*_pct`` columns, **per standard deviation across the areas in the
  model** (each area counted once) for other columns; ``per`` overrides either. OR > 1 means
  higher (better) scores. With area indicators, standard errors are cluster-robust by area
  (``cluster="auto"``): the indicators do not vary within an area, and model-based errors would
  overstate the precision. Survey weights are not used (``OrderedModel`` has none).
* :func:`random_intercept` / :func:`icc` — linear mixed model (statsmodels ``MixedLM``, REML)
  with a random intercept per group: ICC = between-variance / (between + residual), «how much
  of the variation lies between neighbourhoods?». Convergence problems and a between-variance
  at the boundary (ICC < 0.001) raise a :class:`ModelWarning` in plain words. ``icc`` also
  gives the ANOVA estimator ICC(1) = (MSB − MSW) / (MSB + (k₀ − 1)·MSW),
  k₀ = (N − Σnⱼ²/N)/(J − 1), on the raw outcome (no covariates) as a cross-check; it may be
  negative when the true ICC is near 0.
* :func:`area_regression` — area-level WLS (OLS without weights) with heteroscedasticity-robust
  standard errors (HC3 by default), coefficients, 95 % CIs, n, R² and a bokmål table.

Rows with a missing value in any variable used are left out (listwise) and counted in ``n_dropped``.
"""

from __future__ import annotations

from soslokal_lib.stats.models.area import AreaRegressionResult, area_regression
from soslokal_lib.stats.models.common import ModelWarning
from soslokal_lib.stats.models.mixed import (
    IccResult,
    RandomInterceptResult,
    anova_icc,
    icc,
    random_intercept,
)
from soslokal_lib.stats.models.ordinal import OrdinalResult, ordinal_model

__all__ = [
    "AreaRegressionResult", "IccResult", "ModelWarning", "OrdinalResult",
    "RandomInterceptResult", "anova_icc", "area_regression", "icc", "ordinal_model",
    "random_intercept",
]
