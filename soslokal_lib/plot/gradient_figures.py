"""The figures of notebook 04 (``04_ulikhet``) with their titles and axis labels in bokmål or
English: thin wrappers around :mod:`soslokal_lib.plot.inequality` that draw the results of
:mod:`soslokal_lib.stats.gradient_results` and :mod:`soslokal_lib.stats.gradient`.

Nothing is computed here; every function returns the Axes it drew on (or ``None`` when the
result has nothing to draw).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from soslokal_lib.plot import _common as c
from soslokal_lib.plot import inequality as iplot
from soslokal_lib.stats.gradient import column_label
from soslokal_lib.themes import theme_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from soslokal_lib.stats.gradient import ConcentrationCurve
    from soslokal_lib.stats.gradient_results import GradientLine, SpatialPattern, TheilSplit

__all__ = [
    "indicator_name",
    "lisa_cluster_counts",
    "map_titles",
    "plot_concentration_curves",
    "plot_income_indices",
    "plot_sii_by_theme",
    "plot_spread",
    "plot_theil_split",
    "plot_theme_gradient",
]

TEXT = {
    "nb": {
        "and": "og",
        "score": "gjennomsnittlig skår (1–7, 7 = godt)",
        "population": "folketall",
        "sii_title": "Helningsindeks (SII) per tema",
        "sii_x": "SII (skårpoeng, minst minus mest utsatt)",
        "sii_note": "n = antall nabolag med tall",
        "conc_title": "Hvor samlet er de lave skårene?",
        "conc_note": "Utfall: anslått antall med lav skår (1–3) = andel lave skårer × folketall",
        "income_title": "Ulikhet i medianinntekt mellom grunnkretser",
        "income_note": "Vektet med antall husholdninger; Gini uten småutvalgskorreksjon",
        "spread_title": "Spredning i skår på {theme} innenfor nabolagene",
        "spread_x": "Allison–Foster-indeks (0 = alle like, 6 = størst mulig spredning)",
        "theil_title": "Theil-indeksen delt i mellom og innenfor nabolagene",
        "between": "Mellom nabolagene",
        "within": "Innenfor nabolagene (mellom grunnkretser)",
        "per_gk": "{name} per grunnkrets",
        "lisa": "Lokale klynger (LISA)",
        "clusters": "antall grunnkretser",
    },
    "en": {
        "and": "and",
        "score": "mean score (1–7, 7 = good)",
        "population": "population",
        "sii_title": "Slope index of inequality (SII) per theme",
        "sii_x": "SII (score points, least minus most deprived)",
        "sii_note": "n = number of areas with figures",
        "conc_title": "How concentrated are the low scores?",
        "conc_note": "Outcome: estimated number with a low score (1–3) = share of low scores "
        "× population",
        "income_title": "Inequality in median income between grunnkretser",
        "income_note": "Weighted by number of households; Gini without small-sample correction",
        "spread_title": "Spread of scores on {theme} within the areas",
        "spread_x": "Allison–Foster index (0 = all alike, 6 = largest possible spread)",
        "theil_title": "The Theil index split between and within the neighbourhoods",
        "between": "Between the neighbourhoods",
        "within": "Within the neighbourhoods (between grunnkretser)",
        "per_gk": "{name} per grunnkrets",
        "lisa": "Local clusters (LISA)",
        "clusters": "number of grunnkretser",
    },
}


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def indicator_name(indicator: str, lang: str = "nb") -> str:
    """The indicator's name without its unit: «Vedvarende lavinntekt (%)» → «Vedvarende
    lavinntekt»."""
    return column_label(indicator, c.language(lang)).split(" (")[0]


def plot_theme_gradient(
    table: pd.DataFrame,
    line: GradientLine,
    *,
    lang: str = "nb",
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Area means of one theme (a ``theme_by_area`` table) against the indicator of ``line``,
    with the line, the areas' 95 % intervals and points sized by population."""
    lang = c.language(lang)
    t = TEXT[lang]
    theme = theme_labels(lang)[table.attrs["theme"]]
    x = line.indicator
    return iplot.plot_gradient(
        table,
        x,
        line.stat,
        weights="population",
        fit=line.fit,
        size="population",
        interval=("mean_ci_low", "mean_ci_high"),
        lang=lang,
        title=f"{theme} {t['and']} {indicator_name(x, lang).lower()}",
        xlabel=column_label(x, lang),
        ylabel=f"{theme}: {t['score']}",
        weights_label=t["population"],
        size_label=t["population"],
        source=source,
        ax=ax,
    )


def plot_sii_by_theme(
    gradients: pd.DataFrame, *, lang: str = "nb", source: str | None = None, ax: Axes | None = None
) -> Axes:
    """SII with its interval per theme (a ``gradient_table``); coloured where the interval
    excludes 0."""
    t = TEXT[c.language(lang)]
    return iplot.plot_inequality_indices(
        gradients.rename(columns={"n_areas": "n"}),
        statistic="sii",
        ci_low="sii_ci_low",
        ci_high="sii_ci_high",
        reference=0,
        decimals=2,
        lang=lang,
        title=t["sii_title"],
        xlabel=t["sii_x"],
        note=t["sii_note"],
        source=source,
        ax=ax,
    )


def plot_concentration_curves(
    curves: Mapping[str, ConcentrationCurve],
    *,
    lang: str = "nb",
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Concentration curves of the share of low scores (``{label: curve}``)."""
    t = TEXT[c.language(lang)]
    return iplot.plot_concentration_curve(
        curves, lang=lang, title=t["conc_title"], note=t["conc_note"], source=source, ax=ax
    )


def plot_income_indices(
    indices: pd.DataFrame | None,
    *,
    lang: str = "nb",
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes | None:
    """Inequality indices of median income between grunnkretser (an ``index_table``);
    ``None`` draws nothing."""
    if indices is None:
        return None
    t = TEXT[c.language(lang)]
    return iplot.plot_inequality_indices(
        indices, lang=lang, title=t["income_title"], note=t["income_note"], source=source, ax=ax
    )


def plot_spread(
    spread: pd.DataFrame,
    names: Mapping[str, str],
    *,
    lang: str = "nb",
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Allison–Foster spread per area (an ``allison_foster_by_area`` table), lowest first,
    areas named by ``names``."""
    lang = c.language(lang)
    t = TEXT[lang]
    theme = _lower(theme_labels(lang)[spread.attrs["theme"]])
    table = spread.assign(area_name=spread.index.map(lambda a: names.get(a, a)))
    return iplot.plot_inequality_indices(
        table.sort_values("statistic"),
        label="area_name",
        decimals=2,
        lang=lang,
        title=t["spread_title"].format(theme=theme),
        xlabel=t["spread_x"],
        source=source,
        ax=ax,
    )


def plot_theil_split(
    split: TheilSplit, *, lang: str = "nb", source: str | None = None, ax: Axes | None = None
) -> Axes | None:
    """The between/within split of Theil T for median income and the indicator; ``None``
    when the split is not available."""
    if not split.available:
        return None
    lang = c.language(lang)
    t = TEXT[lang]
    return iplot.plot_decomposition(
        split.components(column_label(split.indicator, lang), lang),
        lang=lang,
        title=t["theil_title"],
        between_label=t["between"],
        within_label=t["within"],
        source=source,
        ax=ax,
    )


def map_titles(indicator: str, lang: str = "nb") -> dict[str, str]:
    """Titles of the two grunnkrets maps: ``choropleth`` («Vedvarende lavinntekt per
    grunnkrets»), ``legend`` (the indicator with its unit) and ``lisa``."""
    t = TEXT[c.language(lang)]
    return {
        "choropleth": t["per_gk"].format(name=indicator_name(indicator, lang)),
        "legend": column_label(indicator, c.language(lang)),
        "lisa": t["lisa"],
    }


def lisa_cluster_counts(pattern: SpatialPattern, lang: str = "nb") -> pd.DataFrame:
    """Grunnkretser per LISA cluster with the clusters' names in ``lang`` (index
    ``cluster``, one column «antall grunnkretser» / «number of grunnkretser»)."""
    from soslokal_lib.plot.maps import LISA_NAMES

    lang = c.language(lang)
    counts = pattern.to_frame()
    counts.index = counts.index.map(lambda k: LISA_NAMES[lang].get(k, k))
    return counts.rename(columns={"n": TEXT[lang]["clusters"]})
