"""Ordinal (proportional-odds) regression of a theme score; see ``soslokal_lib.models``."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.stats.models import wording as mt
from soslokal_lib.stats.models.common import (
    ModelWarning,
    _Caught,
    _complete,
    _design,
    _fit_quietly,
    _frame,
    _is_numeric,
    _need,
    _outcome,
)
from soslokal_lib.survey import Survey

# --- ordinal model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrdinalResult:
    """Ordinal (proportional-odds) regression of one score.

    ``coefficients``: one row per predictor term — ``variable``, ``level``/``reference``
    (categoricals), ``per`` (the step an odds ratio refers to) and ``sd`` (for per-SD scaling),
    ``coef`` (log odds), ``se``, ``p_value``, ``odds_ratio``, ``ci_low``, ``ci_high`` (95 %).
    ``thresholds``: the cut points between score levels on the latent (log-odds) scale,
    increasing, indexed ``"1/2"``, ``"2/3"``, …: P(score ≤ j) = F(cut_j − xβ). statsmodels'
    ``params`` store the first cut point and then log increments; these are converted with
    ``OrderedModel.transform_threshold_params``.
    """

    outcome: str
    coefficients: pd.DataFrame
    thresholds: pd.Series
    n: int
    n_dropped: int
    n_areas: int | None
    distr: str
    cov_type: str
    converged: bool
    labels: Mapping[str, str] | None = None
    model: Any = field(default=None, repr=False, compare=False)

    @property
    def odds_ratios(self) -> pd.DataFrame:
        return self.coefficients[["odds_ratio", "ci_low", "ci_high"]]

    def sentences(self, lang: str = "nb") -> list[str]:
        """One plain-language sentence per predictor term."""
        lang = mt.lang_key(lang)
        return [_ordinal_sentence(row, self.outcome, lang, self.labels)
                for _, row in self.coefficients.iterrows()]

    def table(self, lang: str = "nb") -> pd.DataFrame:
        """Odds ratios with 95 % CIs, p-values and a sentence per predictor (bokmål default:
        «Oddsratio», «95 % KI»). ``table.attrs["note"]`` describes the model and n."""
        lang = mt.lang_key(lang)
        t = mt.TEXT[lang]
        c = self.coefficients
        out = pd.DataFrame({
            t["predictor"]: [_term_label(row, lang, self.labels) for _, row in c.iterrows()],
            t["or"]: [mt.num(v, lang) for v in c["odds_ratio"]],
            t["ci"]: [mt.ci_text(lo, hi, lang) for lo, hi in zip(c["ci_low"], c["ci_high"],
                                                                  strict=True)],
            t["p"]: [mt.p_text(p, lang) for p in c["p_value"]],
            t["meaning"]: self.sentences(lang),
        }, index=c.index)
        dropped = t["dropped"].format(k=self.n_dropped) if self.n_dropped else ""
        out.attrs["note"] = t["note_ord"].format(
            distr=self.distr, n=self.n, areas=self.n_areas if self.n_areas is not None else "–",
            dropped=dropped, cov=t["cluster"] if self.cov_type == "cluster" else t["plain"])
        return out

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`coefficients` (numbers; :meth:`table` is the worded table)."""
        return self.coefficients.copy()

    def text(self, lang: str = "nb") -> str:
        """The model note (method, n, standard errors), then one sentence per predictor
        (:meth:`sentences`)."""
        return "\n".join([self.table(lang).attrs["note"], *self.sentences(lang)])


def _term_label(row: pd.Series, lang: str, labels: Mapping[str, str] | None) -> str:
    name = mt.capitalise(mt.label(row["variable"], lang, labels))
    if row["kind"] == "category":
        return f"{name}: {row['level']} ({mt.TEXT[lang]['ref']} {row['reference']})"
    return f"{name}, {mt.unit_text(row['variable'], row['per'], _sd(row), lang)}"


def _sd(row: pd.Series) -> float | None:
    return None if pd.isna(row.get("sd")) else float(row["sd"])


def _ordinal_sentence(row: pd.Series, outcome: str, lang: str,
                      labels: Mapping[str, str] | None) -> str:
    t = mt.TEXT[lang]
    theme = mt.theme_label(outcome, lang)
    or_ = mt.num(row["odds_ratio"], lang)
    ci = mt.ci_text(row["ci_low"], row["ci_high"], lang)
    clear = row["ci_high"] < 1 or row["ci_low"] > 1
    direction = t["lower"] if row["odds_ratio"] < 1 else t["higher_dir"]
    if row["kind"] == "category":
        var = mt.capitalise(mt.label(row["variable"], lang, labels))
        key = "cat" if clear else "cat_none"
        return t[key].format(Var=var, level=row["level"], ref=row["reference"], dir=direction,
                             theme=theme, or_=or_, ci=ci)
    name = mt.label(row["variable"], lang, labels)
    per = mt.unit_text(row["variable"], row["per"], _sd(row), lang)
    if clear:
        return t["assoc"].format(Label=f"{t['higher']} {name}", dir=direction, theme=theme,
                                 or_=or_, per=per)
    return t["none"].format(label=name, theme=theme, or_=or_, per=per, ci=ci)


def _indicator_table(area_indicators: pd.DataFrame | pd.Series) -> pd.DataFrame:
    table = (area_indicators.to_frame() if isinstance(area_indicators, pd.Series)
             else area_indicators)
    if "area_id" in table.columns:
        table = table.set_index("area_id")
    table = table.set_axis(table.index.astype("str"), axis=0)
    if not table.index.is_unique:
        dup = table.index[table.index.duplicated()].unique()
        raise SoslokalError(f"area_indicators has several rows for areas {', '.join(dup[:5])}. "
                            "Fix: one row per area_id.")
    bad = [c for c in table.columns if not _is_numeric(table[c])]
    if bad:
        raise SoslokalError(f"area_indicators columns {', '.join(map(repr, bad))} are not "
                            "numeric. Fix: pass only the indicator columns "
                            "(e.g. table[['low_income_pct']]).")
    return table


def ordinal_model(
    survey_or_df: Survey | pd.DataFrame,
    theme: str,
    *,
    area_indicators: pd.DataFrame | pd.Series | None = None,
    covariates: Sequence[str] = ("age_group", "gender"),
    distr: str = "logit",
    per: Mapping[str, float | str] | None = None,
    reference: Mapping[str, Any] | None = None,
    cluster: str | None = "auto",
    labels: Mapping[str, str] | None = None,
) -> OrdinalResult:
    """Ordinal regression of the score on ``theme`` (a theme key or any column).

    ``area_indicators``: a table indexed by ``area_id`` (or with that column) whose every
    column is a numeric predictor, joined to respondents by ``area_id``; aggregate grunnkrets
    data to the survey's areas first (``soslokal_lib.geo.aggregate_areas``). ``covariates``:
    individual columns; categoricals get dummies against ``reference[col]`` (default: the most
    common level). ``per[col]``: the step an indicator's odds ratio refers to — a number in the
    column's units or ``"sd"``; default 10 for ``*_pct`` columns (per 10 percentage points),
    ``"sd"`` otherwise. ``distr``: ``"logit"`` (odds ratios) or ``"probit"``. ``cluster``:
    column for cluster-robust standard errors; ``"auto"`` = ``"area_id"`` when area indicators
    are given, else none. ``labels``: phrases for predictors in the table sentences.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    if distr not in ("logit", "probit"):
        raise SoslokalError(f"distr must be 'logit' or 'probit', got {distr!r}.")
    frame = _frame(survey_or_df)
    outcome = _outcome(frame, theme)
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    _need(frame, covariates, "Covariate(s)")
    indicators: list[str] = []
    if area_indicators is not None:
        _need(frame, ["area_id"], "Column")
        table = _indicator_table(area_indicators)
        areas = frame["area_id"].astype("str")
        unknown = pd.Index(areas.dropna().unique()).difference(table.index)
        if len(unknown):
            raise SoslokalError(f"area_indicators has no row for {len(unknown)} area(s) in the "
                                f"survey: {', '.join(unknown[:5])}. Fix: give indicators for "
                                "every area_id of the survey (aggregate grunnkretser with "
                                "soslokal_lib.geo.aggregate_areas).")
        indicators = [str(c) for c in table.columns]
        joined = table.reindex(areas.to_numpy()).set_axis(frame.index, axis=0)
        frame = pd.concat([frame.drop(columns=indicators, errors="ignore"), joined], axis=1)
    cluster = ("area_id" if area_indicators is not None else None) if cluster == "auto" else cluster
    if cluster is not None:
        _need(frame, [cluster], "Cluster column")
    used, n_dropped = _complete(frame, [outcome, *covariates, *indicators,
                                        *([cluster] if cluster else [])])
    scores = pd.to_numeric(used[outcome]).astype("int64")
    if scores.nunique() < 2:
        raise SoslokalError(f"{outcome!r} has fewer than two distinct scores in the rows used.")
    design, terms = _design(used, [*covariates, *indicators], reference)
    terms["per"] = 1.0
    terms["sd"] = np.nan
    per = dict(per or {})
    for col in indicators:
        step = per.get(col, 10.0 if col.endswith("_pct") else "sd")
        if isinstance(step, str):
            if step != "sd":
                raise SoslokalError(f"per[{col!r}] must be a number or 'sd', got {step!r}.")
            once = used.groupby(used["area_id"].astype("str"))[col].first()
            sd = float(once.std(ddof=1))
            terms.loc[col, ["per", "sd"]] = [sd, sd]
        else:
            terms.loc[col, "per"] = float(step)
        design[col] = design[col] / terms.loc[col, "per"]
    endog = pd.Series(pd.Categorical(scores, categories=sorted(scores.unique()), ordered=True),
                      index=used.index, name=outcome)
    model = OrderedModel(endog, design, distr=distr)
    kwargs: dict[str, Any] = {}
    if cluster is not None:
        kwargs = {"cov_type": "cluster",
                  "cov_kwds": {"groups": pd.factorize(used[cluster].astype("str"))[0]}}
    result, caught = _fit_quietly(
        lambda: model.fit(method="bfgs", disp=False, maxiter=2000, **kwargs), _Caught())
    converged = bool(result.mle_retvals.get("converged", True))
    if not converged or caught.messages:
        warnings.warn(ModelWarning(
            f"The ordinal model for {outcome!r} {'did not converge' if not converged else 'fit'}"
            f" with warnings: {'; '.join(caught.messages) or 'no details'}. Check for score "
            "levels or groups with very few answers."), stacklevel=2)
    k = design.shape[1]
    params = np.asarray(result.params)
    bse = np.asarray(result.bse)
    ci = np.asarray(result.conf_int(alpha=0.05))
    coef = terms.assign(
        coef=params[:k], se=bse[:k], p_value=np.asarray(result.pvalues)[:k],
        odds_ratio=np.exp(params[:k]), ci_low=np.exp(ci[:k, 0]), ci_high=np.exp(ci[:k, 1]))
    cuts = model.transform_threshold_params(params)[1:-1]  # drop the −inf / +inf ends
    thresholds = pd.Series(cuts, index=list(result.params.index[k:]), name="threshold")
    n_areas = int(used["area_id"].nunique()) if "area_id" in used.columns else None
    return OrdinalResult(
        outcome=outcome, coefficients=coef, thresholds=thresholds, n=len(used),
        n_dropped=n_dropped, n_areas=n_areas, distr=distr,
        cov_type="cluster" if cluster else "nonrobust", converged=converged,
        labels=dict(labels) if labels else None, model=result)
