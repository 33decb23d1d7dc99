"""Area-level (W)LS regression with robust standard errors; see ``soslokal_lib.models``."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.stats.models import wording as mt
from soslokal_lib.stats.models.common import ModelWarning, _design, _need
from soslokal_lib.themes import THEME_CODES

# --- area-level regression ----------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRegressionResult:
    """Area-level (W)LS. ``coefficients``: ``coef``, ``se``, ``p_value``, ``ci_low``,
    ``ci_high`` (95 %) per term incl. ``const``; ``dropped``: ids of areas left out."""

    outcome: str
    coefficients: pd.DataFrame
    n: int
    r2: float
    r2_adj: float
    cov_type: str
    weights: str | None
    dropped: tuple[str, ...] = ()
    labels: Mapping[str, str] | None = None
    model: Any = field(default=None, repr=False, compare=False)

    def table(self, lang: str = "nb") -> pd.DataFrame:
        """Coefficients with 95 % CIs, p-values and a sentence per predictor (bokmål default:
        «Koeffisient», «95 % KI»). ``table.attrs["note"]`` gives n, R² and the errors used."""
        lang = mt.lang_key(lang)
        t = mt.TEXT[lang]
        c = self.coefficients
        rows = c.drop(index="const")
        out = pd.DataFrame({
            t["predictor"]: [mt.capitalise(mt.label(str(i), lang, self.labels))
                             for i in rows.index],
            t["coef"]: [mt.num(v, lang, 3) for v in rows["coef"]],
            t["ci"]: [mt.ci_text(lo, hi, lang, 3) for lo, hi in zip(rows["ci_low"],
                                                                     rows["ci_high"],
                                                                     strict=True)],
            t["p"]: [mt.p_text(p, lang) for p in rows["p_value"]],
            t["meaning"]: [self._sentence(str(i), r, lang) for i, r in rows.iterrows()],
        }, index=rows.index)
        kind = t["wls"].format(w=self.weights) if self.weights else t["ols"]
        cov = (t["nonrobust"] if self.cov_type == "nonrobust"
               else t["robust"].format(c=self.cov_type))
        dropped = t["dropped"].format(k=len(self.dropped)) if self.dropped else ""
        out.attrs["note"] = t["note_lin"].format(kind=kind, n=self.n,
                                                 r2=mt.num(self.r2, lang), cov=cov,
                                                 dropped=dropped)
        return out

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`coefficients` (numbers, incl. ``const``; :meth:`table` is the
        worded table)."""
        return self.coefficients.copy()

    def text(self, lang: str = "nb") -> str:
        """The model note (method, n, R², standard errors), then one sentence per predictor
        (the «Tolkning» column of :meth:`table`)."""
        table = self.table(lang)
        return "\n".join([table.attrs["note"], *table.iloc[:, -1].astype(str)])

    def _sentence(self, term: str, row: pd.Series, lang: str) -> str:
        t = mt.TEXT[lang]
        name = mt.label(term, lang, self.labels)
        outcome = (mt.TEXT[lang]["score_on"].format(theme=mt.theme_label(self.outcome, lang))
                   if self.outcome in THEME_CODES else mt.label(self.outcome, lang, self.labels))
        ci = mt.ci_text(row["ci_low"], row["ci_high"], lang, 3)
        if not (row["ci_high"] < 0 or row["ci_low"] > 0):
            per = t["per_unit"].format(k="1", unit=t["pp"] if term.endswith("_pct")
                                       else t["units"])
            return t["lin_none"].format(label=name, outcome=outcome, coef=mt.num(row["coef"],
                                        lang, 3), per=per, ci=ci)
        unit = t["pp"] if term.endswith("_pct") else t["units"]
        if lang == "nb" and unit == t["units"]:
            unit = "enhet"
        if lang == "en" and unit == t["pp"]:
            unit = "percentage point"
        if lang == "en" and unit == t["units"]:
            unit = "unit"
        return t["lin"].format(Per=t["per_one"].format(unit=unit), label=name,
                               size=mt.num(abs(row["coef"]), lang, 3),
                               dir=t["lower"] if row["coef"] < 0 else t["higher_dir"],
                               outcome=outcome, ci=ci)


def area_regression(
    df: pd.DataFrame,
    outcome: str,
    predictors: str | Sequence[str],
    *,
    weights: str | pd.Series | None = None,
    robust: str | None = "HC3",
    reference: Mapping[str, Any] | None = None,
    labels: Mapping[str, str] | None = None,
) -> AreaRegressionResult:
    """Weighted least squares of ``outcome`` on ``predictors`` across areas (one row each).

    ``weights``: a column name (e.g. population or respondents) or a Series aligned with
    ``df``; ``None`` gives OLS. ``robust``: ``"HC0"``–``"HC3"`` (heteroscedasticity-robust
    standard errors; HC3 suits few areas) or ``None`` for model-based ones. Categorical
    predictors get dummies against ``reference`` (default: the most common level). Areas with
    a missing value are left out with a :class:`ModelWarning` naming them.
    """
    from statsmodels.regression.linear_model import WLS

    if not isinstance(df, pd.DataFrame):
        raise SoslokalError(f"Expected a DataFrame of areas, got {type(df).__name__}.")
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    cov_type = "nonrobust" if robust in (None, "nonrobust") else str(robust).upper()
    if cov_type not in ("nonrobust", "HC0", "HC1", "HC2", "HC3"):
        raise SoslokalError(f"robust must be 'HC0', 'HC1', 'HC2', 'HC3' or None, got {robust!r}.")
    _need(df, [outcome, *predictors], "Column(s)")
    frame = df
    weight_name = None
    if weights is not None:
        if isinstance(weights, str):
            _need(df, [weights], "Weight column")
            weight_name = weights
        else:
            weight_name = str(getattr(weights, "name", None) or "weights")
            frame = df.assign(**{weight_name: pd.Series(weights, index=df.index)
                                 if not isinstance(weights, pd.Series)
                                 else weights.reindex(df.index)})
    columns = [outcome, *predictors, *([weight_name] if weight_name else [])]
    keep = frame[columns].notna().all(axis=1)
    dropped = tuple(str(i) for i in frame.index[~keep.to_numpy()])
    if dropped:
        warnings.warn(ModelWarning(
            f"{len(dropped)} area(s) left out of the regression for missing values: "
            f"{', '.join(dropped[:5])}{' …' if len(dropped) > 5 else ''}."), stacklevel=2)
    used = frame[keep.to_numpy()]
    design, _ = _design(used, predictors, reference)
    exog = pd.concat([pd.Series(1.0, index=used.index, name="const"), design], axis=1)
    if len(used) <= exog.shape[1]:
        raise SoslokalError(f"{len(used)} areas are too few for {exog.shape[1] - 1} "
                            "predictor term(s) and a constant.")
    w = np.ones(len(used))
    if weight_name:
        w = pd.to_numeric(used[weight_name]).to_numpy(dtype="float64")
        if (w <= 0).any():
            raise SoslokalError(f"Weights {weight_name!r} must be positive; got "
                                f"{w.min():g} (areas {', '.join(map(str, used.index[w <= 0][:5]))}).")
    y = pd.to_numeric(used[outcome]).astype("float64")
    result = WLS(y, exog, weights=w).fit(cov_type=cov_type)
    ci = np.asarray(result.conf_int(alpha=0.05))
    coef = pd.DataFrame({
        "coef": np.asarray(result.params), "se": np.asarray(result.bse),
        "p_value": np.asarray(result.pvalues), "ci_low": ci[:, 0], "ci_high": ci[:, 1],
    }, index=exog.columns)
    return AreaRegressionResult(
        outcome=outcome, coefficients=coef, n=len(used), r2=float(result.rsquared),
        r2_adj=float(result.rsquared_adj), cov_type=cov_type, weights=weight_name,
        dropped=dropped, labels=dict(labels) if labels else None, model=result)
