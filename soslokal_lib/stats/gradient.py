"""Survey scores along a socioeconomic gradient between neighbourhoods (glue for notebook 04).

* :func:`theme_by_area` — one theme's privacy-checked statistics per area joined with the
  area's socioeconomic figures (one row per area).
* :func:`linear_fit` — a weighted least-squares line with its confidence band, for scatter
  plots of scores against e.g. the low-income share.
* :func:`concentration_curve` — coordinates of the concentration curve (cumulative share of an
  outcome against cumulative population share, worst-off first) and its index.
* :func:`gradient_table` — SII, RII and the concentration index of low scores for many themes.
* :func:`index_table` — several inequality indices of one variable with bootstrap intervals.
* :func:`allison_foster_by_area` — the ordinal spread of one theme within each area, with
  multinomial bootstrap intervals; areas below ``min_n`` (and those the summary hides with
  them) are blanked.

Everything builds on :mod:`soslokal_lib.stats.inequality`; randomness takes a ``seed``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from soslokal_lib import privacy
from soslokal_lib.errors import Problem, SoslokalError, raise_problems
from soslokal_lib.indicator_registry import REGISTRY
from soslokal_lib.numformat import lang_key
from soslokal_lib.stats import inequality as iq
from soslokal_lib.stats.inequality import wording as W
from soslokal_lib.stats.inequality.common import prepare
from soslokal_lib.stats.summary import score_histograms, summarise
from soslokal_lib.themes import THEME_CODES, get_theme, theme_labels

if TYPE_CHECKING:
    from soslokal_lib.survey import Survey

__all__ = [
    "ConcentrationCurve", "LinearFit", "allison_foster_by_area", "column_label",
    "concentration_curve",
    "gradient_table", "index_table", "linear_fit", "theme_by_area",
]

#: Columns taken from a ``summarise`` table by :func:`theme_by_area`.
AREA_STATS = ("n", "mean", "mean_ci_low", "mean_ci_high", "median", "median_ci_low",
              "median_ci_high", "share_low", "share_low_ci_low", "share_low_ci_high",
              "share_high", "suppressed")
INDEX_LABELS = {
    "nb": {"gini": "Gini", "theil": "Theil T", "mld": "MLD (Theil L)",
           "atkinson": "Atkinson (ε = {e})", "cv": "Variasjonskoeffisient",
           "s80_s20": "S80/S20", "p90_p10": "P90/P10"},
    "en": {"gini": "Gini", "theil": "Theil T", "mld": "MLD (Theil L)",
           "atkinson": "Atkinson (ε = {e})", "cv": "Coefficient of variation",
           "s80_s20": "S80/S20", "p90_p10": "P90/P10"},
}


def _fail(func: str, message: str, *, column: str | None = None, value: object = None,
          fix: str | None = None) -> None:
    raise_problems(SoslokalError, f"gradient.{func}",
                   [Problem(message, column=column, value=value, fix=fix)])


_lang = lang_key


# --- one theme per area -------------------------------------------------------------------


def theme_by_area(
    summary: pd.DataFrame, theme: str, socio: pd.DataFrame | None = None, *,
    names: Mapping[str, str] | pd.Series | pd.DataFrame | None = None, by: str = "area_id",
) -> pd.DataFrame:
    """One row per area: ``theme``'s statistics from a :func:`~soslokal_lib.summarise` table
    (suppressed cells stay blank, the ``"total"`` row is left out) joined with ``socio``
    (one row per area, e.g. ``indicators.aggregate_socio(sample.socio, sample.grunnkretser)``).

    ``names`` (a mapping, Series or a table with ``area_name``, e.g. ``sample.areas``) adds
    an ``area_name`` column. Areas found in only one input are kept (their other columns
    missing; an area without answers gets ``n`` = 0 and ``suppressed`` True) and listed in
    ``attrs["unmatched"]``; ``attrs`` also record theme and ``min_n``.
    """
    code = get_theme(theme).code
    for col in (by, "theme", "n", "suppressed"):
        if col not in summary.columns:
            _fail("theme_by_area", f"the summary has no column {col!r}", column=col,
                  fix=f"pass the table of summarise(survey, by={by!r})")
    rows = summary[(summary["theme"].astype("str") == code)
                   & (summary[by].astype("str") != "total")]
    if rows.empty:
        _fail("theme_by_area", f"the summary has no rows for theme {code!r}", column="theme",
              value=code, fix="summarise a survey that contains this theme")
    table = rows.set_index(rows[by].astype("str"))[[c for c in AREA_STATS if c in rows.columns]]
    table.index.name = "area_id"
    unmatched: dict[str, list[str]] = {}
    if socio is not None:
        soc = socio.set_index("area_id") if "area_id" in socio.columns else socio
        soc = soc.set_axis(soc.index.astype("str")).rename_axis("area_id")
        clash = [c for c in soc.columns if c in table.columns]
        if clash:
            _fail("theme_by_area", f"socio has columns that the summary also has: {clash}",
                  column=clash[0], fix="rename those socioeconomic columns")
        if not set(soc.index) & set(table.index):
            _fail("theme_by_area", "summary and socio share no area (e.g. "
                  f"{table.index[0]!r} vs {soc.index[0]!r})", column="area_id",
                  fix="aggregate socio to the survey's areas first (indicators.aggregate_socio)")
        unmatched = {"summary_only": sorted(set(table.index) - set(soc.index)),
                     "socio_only": sorted(set(soc.index) - set(table.index))}
        table = table.join(soc, how="outer")
        table = table.assign(n=table["n"].fillna(0).astype("int64"),
                             suppressed=table["suppressed"].fillna(True).astype(bool))
    if names is not None:
        if isinstance(names, pd.DataFrame):
            names = names["area_name"]
        mapped = pd.Series(dict(names) if not isinstance(names, pd.Series) else names)
        mapped.index = mapped.index.astype("str")
        area_name = mapped.reindex(table.index).astype("str").where(
            mapped.reindex(table.index).notna(), pd.Series(table.index, index=table.index))
        table = table.assign(area_name=area_name)
        table = table[["area_name", *[c for c in table.columns if c != "area_name"]]]
    table.attrs = {"theme": code, "min_n": summary.attrs.get("min_n"),
                   "scale": summary.attrs.get("scale"), "unmatched": unmatched,
                   "weighted": bool(summary.attrs.get("weighted", False))}
    return table


# --- weighted straight line ---------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LinearFit:
    """Weighted least-squares line y = intercept + slope·x. ``float(fit)`` is the slope.

    ``ci_low``/``ci_high`` bound the slope (t interval, n − 2 df); ``band`` holds ``x``,
    ``fit`` and the confidence band of the fitted mean (``ci_low``, ``ci_high``) on a grid
    over the observed x. ``dropped`` counts rows left out for missing values (``dropna``).
    """

    slope: float
    intercept: float
    ci_low: float
    ci_high: float
    se: float
    p_value: float
    r2: float
    n: int
    dropped: int
    confidence: float
    weighted: bool
    band: pd.DataFrame = field(repr=False)

    @property
    def statistic(self) -> float:
        """The slope."""
        return self.slope

    def __float__(self) -> float:
        return float(self.slope)

    def to_frame(self) -> pd.DataFrame:
        """One row: ``slope``, ``intercept``, ``ci_low``, ``ci_high``, ``se``, ``p_value``,
        ``r2``, ``n``, ``dropped`` (the band is :attr:`band`)."""
        return pd.DataFrame([{k: getattr(self, k) for k in (
            "slope", "intercept", "ci_low", "ci_high", "se", "p_value", "r2", "n", "dropped")}])

    def text(self, lang: str = "nb") -> str:
        """«Stigning = −0,088 per enhet av x (95 % KI −0,114 til −0,061), R² = 0,85; n = 12
        områder, vektet»."""
        key, w = W.words(lang)
        ci = w["ci"].format(level=W.level(self.confidence, key))
        slope = "Stigning" if key == "nb" else "Slope"
        per = "per enhet av x" if key == "nb" else "per unit of x"
        dropped = ""
        if self.dropped:
            dropped = (f"; {self.dropped} utelatt for manglende verdier" if key == "nb"
                       else f"; {self.dropped} left out for missing values")
        return (f"{slope} = {W.num(self.slope, key)} {per} ({ci} "
                f"{W.interval(self.ci_low, self.ci_high, key)}), R² = {W.num(self.r2, key, 2)}; "
                f"{W.basis(self.n, self.weighted, key)}{dropped}")


def linear_fit(
    x: object, y: object, weights: object = None, *, confidence: float = 0.95,
    points: int = 50, dropna: bool = False,
) -> LinearFit:
    """Fit y on x by weighted least squares (statsmodels WLS; ``weights`` are analytic
    weights such as area populations, ``None`` = ordinary least squares).

    Missing values raise unless ``dropna=True`` (then ``dropped`` counts them). Needs at
    least 3 observations with different x.
    """
    import statsmodels.api as sm

    func = "linear_fit"
    if not 0 < confidence < 1:
        _fail(func, f"confidence must lie between 0 and 1, not {confidence!r}",
              column="confidence", fix="use e.g. confidence=0.95")
    d = prepare(f"gradient.{func}", y, weights, dropna=dropna, numeric={"x": x}, x_name="y")
    xv = d.numeric["x"]
    if d.n < 3 or np.ptp(xv) == 0:
        _fail(func, f"needs at least 3 observations with different x, got {d.n}",
              column="x", fix="use more areas")
    fit = sm.WLS(d.x, sm.add_constant(xv, has_constant="add"), weights=d.w).fit()
    alpha = 1.0 - confidence
    low, high = np.asarray(fit.conf_int(alpha=alpha), dtype=float)[1]
    grid = np.linspace(xv.min(), xv.max(), max(int(points), 2))
    pred = fit.get_prediction(sm.add_constant(grid, has_constant="add"))
    band_ci = np.asarray(pred.conf_int(alpha=alpha), dtype=float)
    band = pd.DataFrame({"x": grid, "fit": np.asarray(pred.predicted_mean, dtype=float),
                         "ci_low": band_ci[:, 0], "ci_high": band_ci[:, 1]})
    b0, b1 = (float(v) for v in np.asarray(fit.params, dtype=float))
    return LinearFit(
        slope=b1, intercept=b0, ci_low=float(low), ci_high=float(high),
        se=float(np.asarray(fit.bse)[1]), p_value=float(np.asarray(fit.pvalues)[1]),
        r2=float(fit.rsquared), n=d.n, dropped=d.dropped, confidence=confidence,
        weighted=d.weighted, band=band,
    )


# --- concentration curve ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ConcentrationCurve:
    """Concentration curve of an outcome: ``points`` has ``population_share`` and
    ``outcome_share`` (cumulative, from (0, 0), worst-off first; tied ranks form one step).

    ``index`` is :func:`inequality.concentration_index` of the same data (= 1 − 2 × the area
    under the curve); the curve lies above the diagonal (index < 0) when the outcome is
    concentrated among the worst-off. ``float(curve)`` is the index.
    """

    points: pd.DataFrame
    index: float
    mean: float
    n: int
    dropped: int
    ascending: bool
    weighted: bool

    @property
    def statistic(self) -> float:
        """The concentration index (:attr:`index`)."""
        return self.index

    def __float__(self) -> float:
        return float(self.index)

    def to_frame(self) -> pd.DataFrame:
        """A copy of the curve's :attr:`points` (``population_share``, ``outcome_share``)."""
        return self.points.copy()

    def text(self, lang: str = "nb") -> str:
        """«Konsentrasjonskurve: C = −0,211 (punktestimat uten konfidensintervall),
        konsentrert blant de dårligere stilte; n = 12 områder, vektet»."""
        key, w = W.words(lang)
        rounded = round(self.index, 3)
        where = w["conc_pos"] if rounded > 0 else w["conc_neg"] if rounded < 0 else w["conc_zero"]
        head = "Konsentrasjonskurve" if key == "nb" else "Concentration curve"
        return (f"{head}: C = {W.num(self.index, key)} ({w['point']}), {where}; "
                f"{W.basis(self.n, self.weighted, key)}")


def concentration_curve(
    y: object, rank_by: object, weights: object = None, *, ascending: bool = True,
    dropna: bool = False,
) -> ConcentrationCurve:
    """Cumulative share of ``y`` (weighted by ``weights``, e.g. population: a share of low
    scores times the population estimates the number of people) against the cumulative
    population share, units ordered from worst-off to best-off by ``rank_by``.

    ``ascending=True``: low ``rank_by`` is worst-off (income); ``False``: high is worst-off
    (a low-income share). ``y`` must be non-negative with a positive total.
    """
    func = "gradient.concentration_curve"
    d = prepare(func, y, weights, dropna=dropna, numeric={"rank_by": rank_by}, x_name="y")
    if (d.x < 0).any() or not (d.x * d.w).sum() > 0:
        _fail("concentration_curve", "y must be non-negative with a positive total",
              column="y", fix="use a count, a share or a positive score")
    key = d.numeric["rank_by"] if ascending else -d.numeric["rank_by"]
    blocks, inverse = np.unique(key, return_inverse=True)
    w = np.bincount(inverse, weights=d.w, minlength=blocks.size)
    wy = np.bincount(inverse, weights=d.w * d.x, minlength=blocks.size)
    points = pd.DataFrame({
        "population_share": np.r_[0.0, np.cumsum(w) / w.sum()],
        "outcome_share": np.r_[0.0, np.cumsum(wy) / wy.sum()],
    })
    ci = iq.concentration_index(d.x, d.numeric["rank_by"], d.w, ascending=ascending)
    return ConcentrationCurve(points=points, index=ci.statistic, mean=ci.mean, n=d.n,
                              dropped=d.dropped, ascending=ascending, weighted=d.weighted)


# --- many themes at once ------------------------------------------------------------------


def gradient_table(
    summary: pd.DataFrame, socio: pd.DataFrame, indicator: str, *,
    themes: Sequence[str] | None = None, stat: str = "mean", weights: str | None = "population",
    ascending: bool = False, confidence: float = 0.95, n_boot: int = 0,
    seed: int | None = None, lang: str = "nb",
) -> pd.DataFrame:
    """Per theme: the slope (SII) and relative (RII) index of inequality of the area ``stat``
    (``"mean"`` or ``"median"``) along ``socio[indicator]``, and the concentration index of
    the share of low scores (1–3), population-weighted by ``socio[weights]``.

    ``ascending=False`` (default) treats a high ``indicator`` (a low-income share) as
    worst-off; a positive SII then means higher (better) scores in better-off areas and a
    negative ``conc_low`` that low scores gather in worse-off areas. Suppressed areas are
    left out (``n_areas`` counts the areas used). With ``n_boot`` > 0 the concentration
    index gets a bootstrap interval (areas resampled, ``seed``). Index: theme code; column
    ``label`` in ``lang``.
    """
    if stat not in ("mean", "median"):
        _fail("gradient_table", f"stat must be 'mean' or 'median', not {stat!r}",
              column="stat", fix="use stat='mean' or stat='median'")
    present = set(summary["theme"].astype("str"))
    codes = [get_theme(t).code for t in themes] if themes is not None else [
        t for t in THEME_CODES if t in present]
    labels = theme_labels(_lang(lang))
    rows = []
    for code in codes:  # a loop over at most 14 themes
        area = theme_by_area(summary, code, socio)
        for col in (indicator, *([weights] if weights else [])):
            if col not in area.columns:
                _fail("gradient_table", f"socio has no column {col!r}", column=col,
                      fix="pass the area table with that column")
        a = area[area[stat].notna() & area[indicator].notna() & ~area["suppressed"]]
        w = a[weights] if weights else None
        sii = iq.slope_index(a[stat], a[indicator], w, ascending=ascending,
                             confidence=confidence)
        conc = iq.concentration_index(a["share_low"], a[indicator], w, ascending=ascending)
        row = {"theme": code, "label": labels[code], "sii": sii.sii, "sii_ci_low": sii.ci_low,
               "sii_ci_high": sii.ci_high, "rii": sii.rii, "rii_ci_low": sii.rii_ci_low,
               "rii_ci_high": sii.rii_ci_high, "conc_low": conc.statistic,
               "n_areas": sii.n, "n_respondents": int(a["n"].sum())}
        if n_boot:
            boot = iq.bootstrap("concentration_index", a["share_low"], w, rank_by=a[indicator],
                                n_boot=n_boot, seed=seed, confidence=confidence,
                                ascending=ascending)
            row.update(conc_low_ci_low=boot.ci_low, conc_low_ci_high=boot.ci_high)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("theme")
    table.attrs = {"indicator": indicator, "stat": stat, "weights": weights,
                   "ascending": ascending, "confidence": confidence, "n_boot": n_boot,
                   "seed": seed}
    return table


def index_table(
    x: object, weights: object = None, *,
    measures: Sequence[str] = ("gini", "theil", "mld", "atkinson", "cv"),
    epsilon: float = 0.5, n_boot: int = 499, seed: int | None = None,
    confidence: float = 0.95, lang: str = "nb", dropna: bool = False,
) -> pd.DataFrame:
    """Several inequality indices of ``x`` (population-weighted by ``weights``) with
    percentile bootstrap intervals (units resampled, ``n_boot`` draws, ``seed``).

    Columns: ``measure``, ``label`` (in ``lang``), ``statistic``, ``ci_low``, ``ci_high``,
    ``se``, ``n``. Atkinson uses ``epsilon``; Gini has no finite-sample correction.
    """
    labels = INDEX_LABELS[_lang(lang)]
    eps_text = f"{epsilon:g}".replace(".", "," if _lang(lang) == "nb" else ".")
    rows = []
    for name in measures:  # a handful of measures
        if name not in labels:
            _fail("index_table", f"unknown measure {name!r}", column="measures",
                  fix=f"use some of {', '.join(labels)}")
        options = {"epsilon": epsilon} if name == "atkinson" else {}
        boot = iq.bootstrap(name, x, weights, n_boot=n_boot, seed=seed, confidence=confidence,
                            dropna=dropna, **options)
        n = getattr(iq, name)(x, weights=weights, dropna=dropna, **options).n
        rows.append({"measure": name, "label": labels[name].format(e=eps_text),
                     "statistic": boot.statistic, "ci_low": boot.ci_low,
                     "ci_high": boot.ci_high, "se": boot.se, "n": n})
    table = pd.DataFrame(rows)
    table.attrs = {"n_boot": n_boot, "seed": seed, "confidence": confidence,
                   "weighted": weights is not None}
    return table


# --- ordinal spread within areas ----------------------------------------------------------


def allison_foster_by_area(
    survey: Survey | pd.DataFrame, theme: str, *, by: str = "area_id", min_n: int = 5,
    n_boot: int = 499, seed: int | None = None, confidence: float = 0.95,
    normalised: bool = False, secondary: bool = True,
) -> pd.DataFrame:
    """Allison–Foster spread of ``theme``'s scores around the median within each ``by``
    group (unweighted counts), with a multinomial bootstrap interval: each draw resamples
    every group's histogram with its own size (vectorised over groups and draws).

    Groups with ``n < min_n`` show no statistic (``suppressed`` True); with ``secondary``
    (default) neither does any group that :func:`~soslokal_lib.summarise` hides to protect
    them, so that this table and the summary blank the same cells. Columns: ``n``,
    ``median_level`` (the level the index is centred on: the smallest with a cumulative
    share ≥ 1/2), ``statistic``, ``ci_low``, ``ci_high``, ``suppressed``; ``normalised=True``
    divides by k − 1 (range 0–1).
    """
    privacy.check_min_n(min_n)
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 2:
        _fail("allison_foster_by_area", f"n_boot must be an integer >= 2, not {n_boot!r}",
              column="n_boot", fix="use e.g. n_boot=499")
    code = get_theme(theme).code
    groups, themes, counts = score_histograms(survey, by)
    if code not in themes:
        _fail("allison_foster_by_area", f"the survey has no theme {code!r}", column="theme",
              value=code, fix=f"use one of {', '.join(themes)}")
    hist = counts[:, themes.index(code), :].astype(np.int64)  # groups × levels
    n = hist.sum(axis=1)
    k = hist.shape[1]
    point = iq.allison_foster_many(hist, normalised=normalised)
    median = _median_levels(hist)
    rng = np.random.default_rng(seed)
    p = np.where(n[:, None] > 0, hist / np.maximum(n, 1)[:, None], 1.0 / k)
    draws = rng.multinomial(n, p, size=(n_boot, len(n)))  # n_boot × groups × levels
    reps = iq.allison_foster_many(draws, normalised=normalised)
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore"):
        valid = n > 0
        low = np.full(len(n), np.nan)
        high = np.full(len(n), np.nan)
        if valid.any():
            q = np.quantile(reps[:, valid], [alpha / 2, 1 - alpha / 2], axis=0)
            low[valid], high[valid] = q
    hidden = _hidden_groups(survey, by, code, groups, n, min_n, secondary)
    out = pd.DataFrame({
        "n": n, "median_level": np.where(hidden, np.nan, median),
        "statistic": np.where(hidden, np.nan, point),
        "ci_low": np.where(hidden, np.nan, low), "ci_high": np.where(hidden, np.nan, high),
        "suppressed": hidden,
    }, index=pd.Index(groups.astype("str"), name=by))
    out.attrs = {"theme": code, "min_n": min_n, "n_boot": n_boot, "seed": seed,
                 "confidence": confidence, "normalised": normalised, "levels": k}
    return out


def _hidden_groups(survey: Survey | pd.DataFrame, by: str, code: str, groups: pd.Index,
                   n: np.ndarray, min_n: int, secondary: bool) -> np.ndarray:
    """Which ``groups`` show no statistic of theme ``code``, decided by
    :mod:`soslokal_lib.privacy` alone: its primary rule (``n < min_n``, empty groups included)
    and, with ``secondary``, the cells it hides in ``summarise(survey, by)`` (listed by
    :func:`~soslokal_lib.privacy.hidden_cells`), so this table and the summary blank the same
    cells."""
    primary = privacy.suppression_codes(n, np.zeros(len(n), dtype=np.int64),
                                        np.zeros(len(n), dtype=bool), min_n, secondary=False)
    hidden = primary > 0
    if secondary:
        cells = privacy.hidden_cells(summarise(survey, by, min_n=min_n, total=False))
        ids = cells.loc[cells["theme"].astype("str") == code, by].astype("str")
        hidden |= np.isin(np.asarray(groups.astype("str")), ids.to_numpy())
    return hidden


def _median_levels(hist: np.ndarray) -> np.ndarray:
    """The median level (1..k) of each histogram: smallest level with cum. share ≥ 1/2."""
    total = hist.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        cum = np.cumsum(hist, axis=-1) / total
    level = (cum < 0.5 - 1e-12).sum(axis=-1) + 1.0
    return np.where(total[..., 0] > 0, level, np.nan)


def column_label(column: str, lang: str = "nb") -> str:
    """Display name of a socioeconomic column from the indicator registry («Vedvarende
    lavinntekt (%)»); the column name itself when the registry does not know it."""
    lang = _lang(lang)
    for entry in REGISTRY:
        if entry.column == column:
            unit = {"prosent": "%", "kroner": "kr" if lang == "nb" else "NOK"}.get(entry.unit)
            return f"{entry.name(lang)} ({unit})" if unit else entry.name(lang)
    return column
