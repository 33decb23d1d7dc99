"""Random-intercept models and the ICC; see ``soslokal_lib.models``."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_significant
from soslokal_lib.stats.models import wording as mt
from soslokal_lib.stats.models.common import (
    BOUNDARY_ICC,
    ModelWarning,
    _Caught,
    _complete,
    _design,
    _fit_quietly,
    _frame,
    _need,
    _outcome,
)
from soslokal_lib.survey import Survey
from soslokal_lib.themes import THEME_CODES

# --- random intercept and ICC -------------------------------------------------------------------


@dataclass(frozen=True)
class RandomInterceptResult:
    """A random-intercept linear model: variance components, fixed effects and diagnostics.

    ``between_var`` the variance of the group intercepts (REML), ``within_var`` the residual
    variance, ``icc`` their ratio between / (between + within); ``boundary`` is True when the
    between-variance is (practically) zero; ``messages`` statsmodels' own warnings.
    """

    outcome: str
    group: str
    between_var: float
    within_var: float
    icc: float
    fixed: pd.DataFrame
    n: int
    n_dropped: int
    n_groups: int
    converged: bool
    boundary: bool
    messages: tuple[str, ...] = ()
    model: Any = field(default=None, repr=False, compare=False)

    @property
    def statistic(self) -> float:
        """The ICC (:attr:`icc`)."""
        return self.icc

    def __float__(self) -> float:
        return float(self.icc)

    def to_frame(self) -> pd.DataFrame:
        """A copy of the fixed effects (:attr:`fixed`: ``coef``, ``se``, ``p_value``,
        ``ci_low``, ``ci_high`` per term incl. ``const``)."""
        return self.fixed.copy()

    def text(self, lang: str = "nb") -> str:
        """«ICC = 0,051: 5,1 % av variasjonen i skår på trygghet ligger mellom områdene
        (varians mellom 0,12, innenfor 2,25; 12 områder, n = 746 svar)», with a note when the
        fit did not converge or the between-variance is zero."""
        lang = mt.lang_key(lang)
        theme = mt.theme_label(self.outcome, lang)
        if self.outcome in THEME_CODES:
            theme = mt.TEXT[lang]["score_on"].format(theme=theme)
        value, pct = mt.num(self.icc, lang, 3), mt.num(100 * self.icc, lang, 1)
        between, within = (format_significant(v, lang) for v in (self.between_var,
                                                                 self.within_var))
        if lang == "nb":
            text = (f"ICC = {value}: {pct} % av variasjonen i {theme} ligger mellom gruppene "
                    f"({self.group}; varians mellom {between}, innenfor {within}; "
                    f"{self.n_groups} grupper, n = {self.n} svar")
            notes = [" – i praksis ingen forskjell mellom gruppene" if self.boundary else "",
                     " – modellen konvergerte ikke" if not self.converged else ""]
        else:
            text = (f"ICC = {value}: {pct}% of the variation in {theme} lies between groups "
                    f"({self.group}; variance between {between}, within {within}; "
                    f"{self.n_groups} groups, n = {self.n} respondents")
            notes = [" – in practice no difference between groups" if self.boundary else "",
                     " – the model did not converge" if not self.converged else ""]
        return text + ")" + "".join(notes) + "."


def random_intercept(
    df: Survey | pd.DataFrame,
    outcome: str,
    group: str,
    *,
    covariates: Sequence[str] | None = None,
    reference: Mapping[str, Any] | None = None,
) -> RandomInterceptResult:
    """Fit ``outcome ~ 1 + covariates + (1 | group)`` by REML (statsmodels ``MixedLM``).

    ``outcome`` is a column or a theme key; categorical covariates get dummies against
    ``reference`` (default: the most common level). If the default optimisers do not converge
    the fit is repeated with Powell then L-BFGS and the better converged fit kept. A
    :class:`ModelWarning` says in plain words when the fit did not converge or the
    between-group variance is at the boundary (zero).
    """
    from statsmodels.regression.mixed_linear_model import MixedLM

    frame = _frame(df)
    outcome = _outcome(frame, outcome)
    covariates = [covariates] if isinstance(covariates, str) else list(covariates or [])
    _need(frame, [group, *covariates], "Column(s)")
    used, n_dropped = _complete(frame, [outcome, group, *covariates])
    groups = used[group].astype("str")
    n_groups = int(groups.nunique())
    if n_groups < 2 or len(used) <= n_groups:
        raise SoslokalError(f"A random-intercept model needs at least 2 groups and more rows "
                            f"than groups; got {n_groups} groups and {len(used)} rows.")
    y = pd.to_numeric(used[outcome]).astype("float64")
    design, _ = _design(used, covariates, reference)
    exog = pd.concat([pd.Series(1.0, index=used.index, name="const"), design], axis=1)
    model = MixedLM(y, exog, groups=groups.to_numpy())
    fits = [_fit_quietly(lambda: model.fit(reml=True), _Caught())]
    if not fits[0][0].converged or not np.isfinite(fits[0][0].llf):
        fits.append(_fit_quietly(lambda: model.fit(reml=True, method=["powell", "lbfgs"]),
                                 _Caught()))
    good = [f for f in fits if np.isfinite(f[0].llf)] or fits
    result, caught = max(good, key=lambda f: (bool(f[0].converged), f[0].llf))
    between = max(float(np.asarray(result.cov_re)[0, 0]), 0.0)
    within = float(result.scale)
    share = between / (between + within)
    boundary = share < BOUNDARY_ICC
    converged = bool(result.converged)
    _warn_mixed(outcome, group, converged, boundary, share, caught.messages)
    k = exog.shape[1]
    ci = np.asarray(result.conf_int(alpha=0.05))[:k]
    fixed = pd.DataFrame({
        "coef": np.asarray(result.fe_params), "se": np.asarray(result.bse_fe),
        "p_value": np.asarray(result.pvalues)[:k], "ci_low": ci[:, 0], "ci_high": ci[:, 1],
    }, index=exog.columns)
    return RandomInterceptResult(
        outcome=outcome, group=group, between_var=between, within_var=within, icc=share,
        fixed=fixed, n=len(used), n_dropped=n_dropped, n_groups=n_groups, converged=converged,
        boundary=boundary, messages=tuple(caught.messages), model=result)


def _warn_mixed(outcome: str, group: str, converged: bool, boundary: bool, share: float,
                messages: list[str]) -> None:
    detail = f" (statsmodels: {'; '.join(messages[:3])})" if messages else ""
    if boundary:
        warnings.warn(ModelWarning(
            f"{outcome!r} by {group!r}: the variance between groups is estimated at "
            f"(practically) zero (ICC = {share:.4f}, on the boundary of the parameter space). "
            "The data show no detectable difference between the groups; read the ICC as 0, "
            f"not as a precise value.{detail}"), stacklevel=3)
    elif not converged:
        warnings.warn(ModelWarning(
            f"{outcome!r} by {group!r}: the mixed model did not converge, so the variance "
            "estimates are unreliable. Check for groups with very few rows or a between-group "
            f"variance near zero.{detail}"), stacklevel=3)


def anova_icc(y: Sequence[float] | pd.Series, groups: Sequence[Any] | pd.Series) -> float:
    """One-way ANOVA ICC(1) = (MSB − MSW) / (MSB + (k₀ − 1)·MSW) with
    k₀ = (N − Σnⱼ²/N) / (J − 1) for unequal group sizes (may be negative)."""
    d = pd.DataFrame({"y": np.asarray(y, dtype="float64"), "g": np.asarray(groups)})
    n_total = len(d)
    stats = d.groupby("g", sort=False)["y"].agg(["count", "mean"])
    n_groups = len(stats)
    if n_groups < 2 or n_total <= n_groups:
        raise SoslokalError("ICC(1) needs at least 2 groups and more rows than groups.")
    grand = d["y"].mean()
    ss_between = float((stats["count"] * (stats["mean"] - grand) ** 2).sum())
    ss_within = float(((d["y"] - d["g"].map(stats["mean"])) ** 2).sum())
    ms_between = ss_between / (n_groups - 1)
    ms_within = ss_within / (n_total - n_groups)
    k0 = (n_total - float((stats["count"] ** 2).sum()) / n_total) / (n_groups - 1)
    return (ms_between - ms_within) / (ms_between + (k0 - 1) * ms_within)


@dataclass(frozen=True)
class IccResult:
    """Intraclass correlation: the share of the variance that lies between groups.

    ``statistic`` the model ICC (REML random intercept, after ``covariates``);
    ``anova`` the ANOVA ICC(1) on the raw outcome (cross-check, no covariates).
    ``float(result)`` is the statistic.
    """

    statistic: float
    between_var: float
    within_var: float
    n_groups: int
    n: int
    converged: bool
    boundary: bool
    anova: float
    outcome: str
    group: str
    covariates: tuple[str, ...] = ()
    model: RandomInterceptResult | None = field(default=None, repr=False, compare=False)

    def __float__(self) -> float:
        return float(self.statistic)

    def to_frame(self) -> pd.DataFrame:
        """One row: ``outcome``, ``group``, ``icc``, ``anova``, ``between_var``,
        ``within_var``, ``n_groups``, ``n``, ``converged``, ``boundary``, ``covariates``."""
        return pd.DataFrame([{
            "outcome": self.outcome, "group": self.group, "icc": self.statistic,
            "anova": self.anova, "between_var": self.between_var, "within_var": self.within_var,
            "n_groups": self.n_groups, "n": self.n, "converged": self.converged,
            "boundary": self.boundary, "covariates": ", ".join(self.covariates)}])

    def text(self, lang: str = "nb") -> str:
        """«5,1 % av variasjonen i skår på trygghet ligger mellom områdene (ICC = 0,051 …)»."""
        lang = mt.lang_key(lang)
        pct = mt.num(100 * self.statistic, lang, 1)
        value = mt.num(self.statistic, lang, 3)
        theme = mt.theme_label(self.outcome, lang)
        if lang == "nb":
            text = (f"{pct} % av variasjonen i skår på {theme} ligger mellom områdene "
                    f"(ICC = {value}; {self.n_groups} områder, n = {self.n} svar)")
            return text + (" – i praksis ingen forskjell mellom områdene." if self.boundary
                           else ".")
        text = (f"{pct}% of the variation in scores on {theme} lies between areas "
                f"(ICC = {value}; {self.n_groups} areas, n = {self.n} respondents)")
        return text + (" – in practice no difference between areas." if self.boundary else ".")


def icc(
    df: Survey | pd.DataFrame,
    outcome: str,
    group: str,
    *,
    covariates: Sequence[str] | None = None,
    reference: Mapping[str, Any] | None = None,
) -> IccResult:
    """ICC of ``outcome`` between ``group``s from :func:`random_intercept`, with the ANOVA
    ICC(1) on the same rows (raw outcome) as a cross-check."""
    fit = random_intercept(df, outcome, group, covariates=covariates, reference=reference)
    used, _ = _complete(_frame(df), [fit.outcome, group, *(covariates or [])])
    anova = anova_icc(pd.to_numeric(used[fit.outcome]).astype("float64"),
                      used[group].astype("str"))
    return IccResult(
        statistic=fit.icc, between_var=fit.between_var, within_var=fit.within_var,
        n_groups=fit.n_groups, n=fit.n, converged=fit.converged, boundary=fit.boundary,
        anova=float(anova), outcome=fit.outcome, group=group,
        covariates=tuple(covariates or ()), model=fit)
