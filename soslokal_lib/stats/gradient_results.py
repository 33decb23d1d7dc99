"""Results of the social-gradient analysis of notebook 04 (``04_ulikhet``), one object each.

Each result is a frozen dataclass with ``statistic`` (its headline number), ``to_frame()``
(the numbers as a table) and ``text(lang)`` (what the notebook prints, bokmål or English):

* :func:`gradient_line` → :class:`GradientLine`: the population-weighted line of a score on a
  register indicator across areas.
* :func:`social_gradient` → :class:`SocialGradient`: slope and relative index (SII, RII) of a
  score and the concentration index of low scores, with a bootstrap interval.
* :func:`concentration_curves` — the concentration curves of several themes at once.
* :func:`income_indices` → :class:`IncomeIndices`: Gini, Theil, MLD, Atkinson and CV of median
  income between grunnkretser, with bootstrap intervals.
* :func:`theil_split` → :class:`TheilSplit`: Theil T of median income and of the indicator
  between grunnkretser, split into between and within delområder.
* :func:`icc_comparison` → :class:`IccComparison`: the ICC of a theme, a comparison theme and
  the theme adjusted for age and gender.
* :func:`spatial_pattern` → :class:`SpatialPattern`: Moran's I and LISA of the indicator per
  grunnkrets (when boundaries exist).

Areas hidden in the summary or without an indicator value are left out of every statistic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from soslokal_lib.numformat import format_number, lang_key
from soslokal_lib.stats import gradient
from soslokal_lib.stats import inequality as iq
from soslokal_lib.themes import get_theme, theme_labels

if TYPE_CHECKING:
    from soslokal_lib.io.inputs import SocioTables
    from soslokal_lib.stats.inequality.cardinal import DecompositionResult
    from soslokal_lib.stats.inequality.concentration import (
        ConcentrationResult,
        SlopeIndexResult,
    )
    from soslokal_lib.stats.inequality.resampling import BootstrapResult
    from soslokal_lib.stats.models.mixed import IccResult
    from soslokal_lib.stats.spatial import MoranResult
    from soslokal_lib.survey import Survey

__all__ = [
    "GradientLine",
    "IccComparison",
    "IncomeIndices",
    "SocialGradient",
    "SpatialPattern",
    "TheilSplit",
    "area_pattern",
    "concentration_curves",
    "gradient_line",
    "icc_comparison",
    "income_indices",
    "shown_areas",
    "social_gradient",
    "spatial_pattern",
    "theil_split",
]

_WORDS = {
    "nb": {
        "ci": "95 % KI",
        "boot_ci": "95 % bootstrap-KI",
        "to": "til",
        "areas": "nabolag",
        "points": "skårpoeng",
        "per_pp": "skårpoeng per prosentpoeng",
        "draws": "trekk",
        "slope": "Stigning",
        "conc": "Konsentrasjonsindeks for lave skårer",
        "income": "Medianinntekt",
        "between": "{what}: {pct} % av Theil-indeksen ligger mellom nabolagene "
        "({ci} {low}–{high} %)",
        "no_income": "Levekårstallene har ikke median_income_nok og households – delingen "
        "hoppes over.",
        "no_income_indices": "Levekårstallene har ikke median_income_nok og households – "
        "inntektsmålene hoppes over.",
        "adjusted": "Justert for alder og kjønn:",
        "no_map": "Ingen grunnkretsgrenser (grunnkrets_path) – kartet, Moran's I og LISA for "
        "grunnkretsene hoppes over.",
        "no_areas": "Ingen grensefil for nabolagene (areas_path) – Moran's I for nabolagene "
        "hoppes over.",
    },
    "en": {
        "ci": "95% CI",
        "boot_ci": "95% bootstrap CI",
        "to": "to",
        "areas": "areas",
        "points": "score points",
        "per_pp": "score points per percentage point",
        "draws": "draws",
        "slope": "Slope",
        "conc": "Concentration index of low scores",
        "income": "Median income",
        "between": "{what}: {pct}% of the Theil index lies between the neighbourhoods "
        "({ci} {low}–{high}%)",
        "no_income": "The register figures have no median_income_nok and households – the "
        "split is skipped.",
        "no_income_indices": "The register figures have no median_income_nok and households "
        "– the income measures are skipped.",
        "adjusted": "Adjusted for age and gender:",
        "no_map": "No grunnkrets boundaries (grunnkrets_path) – the map, Moran's I and LISA "
        "for the grunnkretser are skipped.",
        "no_areas": "No boundary file for the areas (areas_path) – Moran's I for the areas "
        "is skipped.",
    },
}


_lang = lang_key  # the one language normaliser


def _n(value: float, lang: str, decimals: int) -> str:
    return format_number(value, lang, decimals)


def shown_areas(table: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The rows of a :func:`~soslokal_lib.stats.gradient.theme_by_area` table that enter the
    statistics: shown in the summary (not ``suppressed``) and with an ``indicator`` value."""
    return table[~table["suppressed"].astype(bool) & table[indicator].notna()]


# --- the line ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradientLine:
    """A weighted straight line of the area score on the indicator (``fit``, a
    :class:`~soslokal_lib.stats.gradient.LinearFit`); ``statistic`` is the slope (score points
    per unit of the indicator, e.g. per percentage point)."""

    fit: gradient.LinearFit = field(repr=False)
    indicator: str
    stat: str

    @property
    def statistic(self) -> float:
        return self.fit.slope

    def to_frame(self) -> pd.DataFrame:
        """One row: ``slope``, ``ci_low``, ``ci_high``, ``r2``, ``n`` (areas)."""
        f = self.fit
        return pd.DataFrame(
            [{"slope": f.slope, "ci_low": f.ci_low, "ci_high": f.ci_high, "r2": f.r2, "n": f.n}]
        )

    def text(self, lang: str = "nb") -> str:
        """«Stigning: −0,088 skårpoeng per prosentpoeng (95 % KI −0,114 til −0,061), R² = 0,85,
        n = 12 nabolag»."""
        lang, f = _lang(lang), self.fit
        w = _WORDS[lang]
        return (
            f"{w['slope']}: {_n(f.slope, lang, 3)} {w['per_pp']} ({w['ci']} "
            f"{_n(f.ci_low, lang, 3)} {w['to']} {_n(f.ci_high, lang, 3)}), "
            f"R² = {_n(f.r2, lang, 2)}, n = {f.n} {w['areas']}"
        )


def gradient_line(
    table: pd.DataFrame, indicator: str, *, stat: str = "mean", weights: str = "population"
) -> GradientLine:
    """The line of ``table[stat]`` on ``table[indicator]`` weighted by ``table[weights]``
    (areas with a missing value are left out), from a
    :func:`~soslokal_lib.stats.gradient.theme_by_area` table."""
    fit = gradient.linear_fit(table[indicator], table[stat], table[weights], dropna=True)
    return GradientLine(fit=fit, indicator=indicator, stat=stat)


# --- SII, RII and the concentration index ------------------------------------------------------


@dataclass(frozen=True)
class SocialGradient:
    """Slope index (``sii``, :class:`SlopeIndexResult` with RII) of the area score and the
    concentration index (``concentration``) of the share of low scores with its bootstrap
    interval (``concentration_ci``); ``statistic`` is the SII."""

    sii: SlopeIndexResult = field(repr=False)
    concentration: ConcentrationResult = field(repr=False)
    concentration_ci: BootstrapResult = field(repr=False)
    theme: str
    indicator: str

    @property
    def statistic(self) -> float:
        return self.sii.statistic

    def to_frame(self) -> pd.DataFrame:
        """Rows ``sii``, ``rii`` and ``concentration`` with ``statistic``, ``ci_low``,
        ``ci_high`` and ``n`` (areas)."""
        s, c, b = self.sii, self.concentration, self.concentration_ci
        rows = {
            "sii": (s.statistic, s.ci_low, s.ci_high, s.n),
            "rii": (s.rii, s.rii_ci_low, s.rii_ci_high, s.n),
            "concentration": (c.statistic, b.ci_low, b.ci_high, s.n),
        }
        return pd.DataFrame.from_dict(
            rows, orient="index", columns=["statistic", "ci_low", "ci_high", "n"]
        )

    def text(self, lang: str = "nb") -> str:
        """Two lines: SII with interval, RII with interval and n; C with its bootstrap
        interval and the number of draws."""
        lang = _lang(lang)
        w, s, b = _WORDS[lang], self.sii, self.concentration_ci
        first = (
            f"SII = {_n(s.statistic, lang, 2)} {w['points']} ({w['ci']} "
            f"{_n(s.ci_low, lang, 2)} {w['to']} {_n(s.ci_high, lang, 2)}), "
            f"RII = {_n(s.rii, lang, 2)} ({_n(s.rii_ci_low, lang, 2)}–"
            f"{_n(s.rii_ci_high, lang, 2)}), n = {s.n} {w['areas']}"
        )
        second = (
            f"{w['conc']}: C = {_n(self.concentration.statistic, lang, 3)} "
            f"({w['boot_ci']} {_n(b.ci_low, lang, 3)} {w['to']} "
            f"{_n(b.ci_high, lang, 3)}, {b.n_boot} {w['draws']})"
        )
        return f"{first}\n{second}"


def social_gradient(
    table: pd.DataFrame,
    indicator: str,
    *,
    n_boot: int = 499,
    seed: int | None = None,
    ascending: bool = False,
) -> SocialGradient:
    """SII/RII of the area ``mean`` and the concentration index of ``share_low`` along
    ``indicator`` (population-weighted; ``ascending=False``: a high indicator is worst-off),
    over the areas shown on both sides (:func:`shown_areas`). The concentration index gets a
    percentile bootstrap interval (areas resampled, ``n_boot`` draws, ``seed``)."""
    used = shown_areas(table, indicator)
    sii = iq.slope_index(used["mean"], used[indicator], used["population"], ascending=ascending)
    conc = iq.concentration_index(
        used["share_low"], used[indicator], used["population"], ascending=ascending
    )
    conc_ci = iq.bootstrap(
        "concentration_index",
        used["share_low"],
        used["population"],
        rank_by=used[indicator],
        ascending=ascending,
        n_boot=n_boot,
        seed=seed,
    )
    return SocialGradient(
        sii=sii,
        concentration=conc,
        concentration_ci=conc_ci,
        theme=str(table.attrs.get("theme", "")),
        indicator=indicator,
    )


def concentration_curves(
    summary: pd.DataFrame,
    socio: pd.DataFrame,
    themes: Sequence[str],
    indicator: str,
    *,
    labels: Mapping[str, str] | None = None,
    lang: str = "nb",
    ascending: bool = False,
) -> dict[str, gradient.ConcentrationCurve]:
    """``{label: concentration curve}`` of the share of low scores of each theme (its areas
    shown on both sides, population-weighted, worst-off by ``indicator`` first); ``labels``
    default to the themes' names in ``lang``."""
    labels = theme_labels(_lang(lang)) if labels is None else labels
    curves = {}
    for theme in themes:  # a handful of themes
        code = get_theme(theme).code
        part = shown_areas(gradient.theme_by_area(summary, code, socio), indicator)
        curves[labels[code]] = gradient.concentration_curve(
            part["share_low"], part[indicator], part["population"], ascending=ascending
        )
    return curves


# --- Theil between and within delområder ------------------------------------------------------


@dataclass(frozen=True)
class TheilSplit:
    """Theil T of the grunnkretser's median income (``income``, weighted by households) and of
    the indicator (``indicator_theil``, weighted by population), split between and within
    delområder, with a bootstrap interval of income's between share (``between_ci``).
    ``statistic`` is that between share (0–1); ``None``-valued fields and NaN when the register
    table lacks ``median_income_nok`` or ``households`` (``available`` False)."""

    income: DecompositionResult | None = field(repr=False)
    indicator_theil: DecompositionResult | None = field(repr=False)
    between_ci: BootstrapResult | None = field(repr=False)
    indicator: str

    @property
    def available(self) -> bool:
        return self.income is not None

    @property
    def statistic(self) -> float:
        return self.between_ci.statistic if self.between_ci is not None else float("nan")

    def components(self, indicator_label: str, lang: str = "nb") -> dict[str, DecompositionResult]:
        """``{label: decomposition}`` for :func:`~soslokal_lib.plot.inequality.plot_decomposition`
        (empty when not available)."""
        if not self.available:
            return {}
        return {_WORDS[_lang(lang)]["income"]: self.income, indicator_label: self.indicator_theil}

    def to_frame(self) -> pd.DataFrame:
        """One row per variable (``median_income_nok``, the indicator): ``theil``, ``between``,
        ``within``, ``between_share``; empty when not available."""
        if not self.available:
            return pd.DataFrame(columns=["theil", "between", "within", "between_share"])
        rows = {
            name: (r.statistic, r.between, r.within, r.between_share)
            for name, r in (
                ("median_income_nok", self.income),
                (self.indicator, self.indicator_theil),
            )
        }
        return pd.DataFrame.from_dict(
            rows, orient="index", columns=["theil", "between", "within", "between_share"]
        )

    def text(self, lang: str = "nb") -> str:
        """«Medianinntekt: 66 % av Theil-indeksen ligger mellom nabolagene (95 % bootstrap-KI
        57–84 %)», or why the split is skipped."""
        lang = _lang(lang)
        w = _WORDS[lang]
        if not self.available:
            return w["no_income"]
        b = self.between_ci
        return w["between"].format(
            what=w["income"],
            pct=_n(100 * b.statistic, lang, 0),
            ci=w["boot_ci"],
            low=_n(100 * b.ci_low, lang, 0),
            high=_n(100 * b.ci_high, lang, 0),
        )


def theil_split(
    tables: SocioTables, indicator: str, *, n_boot: int = 499, seed: int | None = None
) -> TheilSplit:
    """:class:`TheilSplit` of the register figures per grunnkrets (``tables.socio``), grouped
    by their delområde (``tables.parent_ids``); missing values are left out."""
    if not tables.has("median_income_nok", "households"):
        return TheilSplit(income=None, indicator_theil=None, between_ci=None, indicator=indicator)
    gk = tables.socio.join(tables.parent_ids.rename("delomrade"))
    income = iq.theil(
        gk["median_income_nok"], gk["households"], groups=gk["delomrade"], dropna=True
    )
    other = iq.theil(gk[indicator], gk["population"], groups=gk["delomrade"], dropna=True)
    between_ci = iq.bootstrap(
        "theil",
        gk["median_income_nok"],
        gk["households"],
        groups=gk["delomrade"],
        component="between_share",
        n_boot=n_boot,
        seed=seed,
        dropna=True,
    )
    return TheilSplit(
        income=income, indicator_theil=other, between_ci=between_ci, indicator=indicator
    )


# --- ICC --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IccComparison:
    """The ICC of ``theme`` (``statistic``), of ``compare`` and of ``theme`` adjusted for
    covariates (``adjusted``), each an :class:`~soslokal_lib.stats.models.mixed.IccResult`."""

    theme: IccResult = field(repr=False)
    compare: IccResult = field(repr=False)
    adjusted: IccResult = field(repr=False)

    @property
    def statistic(self) -> float:
        return self.theme.statistic

    def to_frame(self) -> pd.DataFrame:
        """Rows ``theme``, ``compare_theme``, ``adjusted`` with ``outcome``, ``icc``,
        ``n_groups``, ``n``, ``boundary``."""
        rows = {
            key: {
                "outcome": r.outcome,
                "icc": r.statistic,
                "n_groups": r.n_groups,
                "n": r.n,
                "boundary": r.boundary,
            }
            for key, r in (
                ("theme", self.theme),
                ("compare_theme", self.compare),
                ("adjusted", self.adjusted),
            )
        }
        return pd.DataFrame.from_dict(rows, orient="index")

    def text(self, lang: str = "nb") -> str:
        """Three lines: each ICC's sentence, the last prefixed «Justert for alder og kjønn:»."""
        lang = _lang(lang)
        return "\n".join(
            [
                self.theme.text(lang),
                self.compare.text(lang),
                f"{_WORDS[lang]['adjusted']} {self.adjusted.text(lang)}",
            ]
        )


def icc_comparison(
    survey: Survey,
    theme: str,
    compare_theme: str,
    *,
    by: str = "area_id",
    covariates: Sequence[str] = ("age_group", "gender"),
) -> IccComparison:
    """:func:`~soslokal_lib.stats.models.mixed.icc` of ``theme`` and ``compare_theme`` by
    ``by``, and of ``theme`` adjusted for ``covariates``."""
    from soslokal_lib.stats.models.mixed import icc

    return IccComparison(
        theme=icc(survey, theme, by),
        compare=icc(survey, compare_theme, by),
        adjusted=icc(survey, theme, by, covariates=list(covariates)),
    )


# --- Moran's I and LISA per grunnkrets ----------------------------------------------------------


@dataclass(frozen=True)
class SpatialPattern:
    """Moran's I (``moran``) and LISA (``lisa``, from :func:`~soslokal_lib.stats.spatial.
    local_moran`) of ``indicator`` on the grunnkretser with a value (``values``, a
    GeoDataFrame with ``area_name``, ``geometry`` and the indicator). ``statistic`` is Moran's
    I; everything ``None`` (and NaN) without grunnkrets boundaries (``available`` False)."""

    values: Any = field(repr=False)
    moran: MoranResult | None = field(repr=False)
    lisa: Any = field(repr=False)
    indicator: str
    label: str | None = None
    skipped: str = "no_map"

    @property
    def available(self) -> bool:
        return self.moran is not None

    @property
    def statistic(self) -> float:
        return self.moran.statistic if self.moran is not None else float("nan")

    def to_frame(self) -> pd.DataFrame:
        """Grunnkretser per LISA cluster (index ``cluster``: ``"High-High"``, …, ``"Not
        significant"``; column ``n``), most first; empty when not available."""
        if self.lisa is None:
            return pd.DataFrame({"n": pd.Series(dtype="int64")}).rename_axis("cluster")
        counts = self.lisa["cluster"].astype(str).value_counts()
        return counts.rename("n").rename_axis("cluster").to_frame()

    def text(self, lang: str = "nb") -> str:
        """Moran's I in one sentence (after «label: » when there is a label), or why there is
        none."""
        lang = _lang(lang)
        if self.moran is None:
            return _WORDS[lang][self.skipped]
        return f"{self.label}: {self.moran.text(lang)}" if self.label else self.moran.text(lang)


def spatial_pattern(
    tables: SocioTables, indicator: str, *, permutations: int = 999, seed: int | None = None
) -> SpatialPattern:
    """Moran's I and LISA of ``indicator`` per grunnkrets (``tables.grunnkretser`` joined with
    ``tables.socio``; grunnkretser without a value are left out); nothing without
    boundaries. Islands are left out with an ``IslandWarning``."""
    from soslokal_lib.stats import spatial

    if not tables.has_geometry:
        return SpatialPattern(values=None, moran=None, lisa=None, indicator=indicator)
    values = (
        tables.grunnkretser[["area_name", "geometry"]]
        .join(tables.socio[[indicator]], how="inner")
        .dropna(subset=[indicator])
    )
    moran = spatial.moran(values, indicator, permutations=permutations, seed=seed)
    lisa = spatial.local_moran(values, indicator, permutations=permutations, seed=seed)
    return SpatialPattern(values=values, moran=moran, lisa=lisa, indicator=indicator)


def area_pattern(
    areas: Any,
    table: pd.DataFrame,
    *,
    column: str = "mean",
    label: str | None = None,
    permutations: int = 999,
    seed: int | None = None,
) -> SpatialPattern:
    """Moran's I of ``table[column]`` (a :func:`~soslokal_lib.stats.gradient.theme_by_area`
    table) on the areas' boundaries (``areas``, a GeoDataFrame indexed by area id, or ``None``:
    nothing); areas without a value are left out, no LISA. ``label`` (e.g. the theme's name)
    opens the sentence."""
    from soslokal_lib.stats import spatial

    if areas is None:
        return SpatialPattern(
            values=None, moran=None, lisa=None, indicator=column, label=label, skipped="no_areas"
        )
    values = areas.join(table.drop(columns="area_name", errors="ignore"))
    moran = spatial.moran(values, column, permutations=permutations, seed=seed, dropna=True)
    return SpatialPattern(values=values, moran=moran, lisa=None, indicator=column, label=label)


# --- inequality indices of median income ----------------------------------------------------


@dataclass(frozen=True)
class IncomeIndices:
    """Inequality indices of the grunnkretser's median income weighted by households
    (``table``: an :func:`~soslokal_lib.stats.gradient.index_table`, or ``None`` when the
    register table lacks ``median_income_nok`` or ``households``). ``statistic`` is the Gini."""

    table: pd.DataFrame | None = field(repr=False)

    @property
    def available(self) -> bool:
        return self.table is not None

    @property
    def statistic(self) -> float:
        if self.table is None:
            return float("nan")
        return float(self.table.set_index("measure").loc["gini", "statistic"])

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`table` (empty when not available)."""
        return self.table.copy() if self.table is not None else pd.DataFrame()

    def text(self, lang: str = "nb") -> str:
        """«Gini = 0,077 (95 % KI 0,064 til 0,090), n = 60 grunnkretser», or why the indices
        are skipped."""
        lang = _lang(lang)
        w = _WORDS[lang]
        if self.table is None:
            return w["no_income_indices"]
        row = self.table.set_index("measure").loc["gini"]
        return (
            f"Gini = {_n(row['statistic'], lang, 3)} ({w['ci']} {_n(row['ci_low'], lang, 3)}"
            f" {w['to']} {_n(row['ci_high'], lang, 3)}), n = {int(row['n'])} grunnkretser"
        )


def income_indices(
    tables: SocioTables, *, n_boot: int = 499, seed: int | None = None, lang: str = "nb"
) -> IncomeIndices:
    """:class:`IncomeIndices` of ``tables.socio`` (missing values left out)."""
    if not tables.has("median_income_nok", "households"):
        return IncomeIndices(table=None)
    socio = tables.socio
    return IncomeIndices(
        table=gradient.index_table(
            socio["median_income_nok"],
            socio["households"],
            n_boot=n_boot,
            seed=seed,
            lang=lang,
            dropna=True,
        )
    )
