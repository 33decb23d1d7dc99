"""Assembly for notebook 04 (``04_ulikhet``): the data per neighbourhood, the table of key
figures and the tables the notebook shows and saves.

* :func:`gradient_data` → :class:`GradientData`: survey summary and register figures per
  delområde for one theme, in one object.
* :func:`key_figures` → :class:`KeyFigures`: the notebook's summary table, built from the
  results of :mod:`soslokal_lib.stats.gradient_results`.
* ``*_table`` functions: the tables as shown (:func:`~soslokal_lib.app.workbook.display_table`),
  headers in bokmål or English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from soslokal_lib.app.workbook import display_table
from soslokal_lib.indicators import aggregate_socio
from soslokal_lib.io.inputs import source_line
from soslokal_lib.numformat import format_number, lang_key
from soslokal_lib.plot.gradient_figures import indicator_name, lisa_cluster_counts
from soslokal_lib.stats import gradient
from soslokal_lib.stats.summary import summarise
from soslokal_lib.themes import get_theme, theme_labels

if TYPE_CHECKING:
    from soslokal_lib.io.inputs import Inputs, SocioTables
    from soslokal_lib.stats.gradient_results import (
        GradientLine,
        IccComparison,
        IncomeIndices,
        SocialGradient,
        SpatialPattern,
        TheilSplit,
    )
    from soslokal_lib.survey import Survey

__all__ = [
    "BY_AREA_COLUMNS",
    "GradientData",
    "KeyFigures",
    "by_area_table",
    "clusters_table",
    "gradient_data",
    "gradients_table",
    "indices_table",
    "key_figures",
    "key_figures_table",
]

#: Columns of the table per area that the notebook shows, records and saves.
BY_AREA_COLUMNS = ("area_name", "n", "mean", "median", "share_low", "{indicator}", "population")
_WORDS = {
    "nb": {
        "register": "Levekårstall: {source}, {n} grunnkretser",
        "answers": "{theme}: {n} svar i {k} nabolag",
        "theme": "Tema",
        "measure": "Mål",
        "columns": ("mål", "verdi", "KI nedre", "KI øvre"),
        "slope": "Stigning per prosentpoeng {name}",
        "sii": "SII, {theme}",
        "conc": "Konsentrasjonsindeks, lave skårer",
        "gini": "Gini, medianinntekt mellom grunnkretser",
        "theil": "Andel av Theil (inntekt) mellom delområder",
        "moran": "Moran's I, {name} (grunnkretser)",
        "icc": "ICC, {theme}",
    },
    "en": {
        "register": "Register figures: {source}, {n} grunnkretser",
        "answers": "{theme}: {n} respondents in {k} areas",
        "theme": "Theme",
        "measure": "Measure",
        "columns": ("measure", "value", "CI low", "CI high"),
        "slope": "Slope per percentage point {name}",
        "sii": "SII, {theme}",
        "conc": "Concentration index, low scores",
        "gini": "Gini, median income between grunnkretser",
        "theil": "Share of Theil (income) between delområder",
        "moran": "Moran's I, {name} (grunnkretser)",
        "icc": "ICC, {theme}",
    },
}


_lang = lang_key  # the one language normaliser


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class GradientData:
    """One theme's area statistics and the register figures, per delområde.

    ``summary``: :func:`~soslokal_lib.summarise` by area (``min_n`` applied); ``socio_gk``:
    register figures per grunnkrets (protected); ``socio``: the same per delområde
    (:func:`~soslokal_lib.indicators.aggregate_socio`); ``table``: ``theme`` per area joined
    with ``socio`` (:func:`~soslokal_lib.stats.gradient.theme_by_area`, with ``area_name``);
    ``source``: the figures' «Kilde» line. ``statistic`` is the number of answers on the theme.
    """

    survey: Survey = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    socio_gk: pd.DataFrame = field(repr=False)
    socio: pd.DataFrame = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    theme: str
    compare_theme: str
    indicator: str
    names: Mapping[str, str] = field(repr=False)
    source: str
    register_source: str
    register_note: str | None = None

    @property
    def statistic(self) -> int:
        return int(self.table["n"].sum())

    def theme_name(self, lang: str = "nb") -> str:
        """The theme's name in ``lang`` («Trygghet»)."""
        return theme_labels(_lang(lang))[self.theme]

    def to_frame(self) -> pd.DataFrame:
        """The table per area with :data:`BY_AREA_COLUMNS`, most deprived (highest indicator)
        first."""
        columns = [col.format(indicator=self.indicator) for col in BY_AREA_COLUMNS]
        return self.table[columns].sort_values(self.indicator, ascending=False)

    def by_area(self) -> pd.DataFrame:
        """The table per area with :data:`BY_AREA_COLUMNS` in area order (what is recorded and
        saved)."""
        return self.table[[col.format(indicator=self.indicator) for col in BY_AREA_COLUMNS]]

    def text(self, lang: str = "nb") -> str:
        """Where the register figures come from, what is hidden, and how many answered."""
        lang = _lang(lang)
        w = _WORDS[lang]
        lines = [w["register"].format(source=self.register_source, n=len(self.socio_gk))]
        if self.register_note:
            lines.append(self.register_note)
        lines.append(
            w["answers"].format(
                theme=theme_labels(lang)[self.theme], n=self.statistic, k=len(self.table)
            )
        )
        return "\n".join(lines)


def gradient_data(
    inputs: Inputs,
    tables: SocioTables,
    *,
    theme: str,
    compare_theme: str,
    indicator: str,
    min_n: int = 5,
    register: Any = None,
    lang: str = "nb",
    levekar: Any = None,
) -> GradientData:
    """:class:`GradientData` of ``inputs`` (the survey) and ``tables`` (register figures per
    grunnkrets, already protected by ``protect_tables``; ``register`` is its
    ``RegisterProtection``, whose note is shown when it hid anything). ``levekar``: the
    kommune's levekår sheets per zone (:class:`soslokal_lib.indicators.levekar_data.LevekarData`),
    whose values join the register figures per area (a cell they suppress stays missing)."""
    summary = summarise(inputs.survey, "area_id", min_n=min_n)
    socio = aggregate_socio(tables.socio, **tables.zone_options())
    if levekar is not None:
        socio = levekar.apply(socio)
    code = get_theme(theme).code
    note = register.text(lang) if register is not None and register.statistic else None
    return GradientData(
        survey=inputs.survey,
        summary=summary,
        socio_gk=tables.socio,
        socio=socio,
        table=gradient.theme_by_area(summary, code, socio, names=inputs.names),
        theme=code,
        compare_theme=get_theme(compare_theme).code,
        indicator=indicator,
        names=dict(inputs.names),
        source=source_line(inputs, tables),
        register_source=tables.source,
        register_note=note,
    )


# --- key figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    """The notebook's key figures: ``rows`` of ``(key, value, ci_low, ci_high)`` with ``key`` a
    label template filled in :meth:`to_frame`; no single headline number."""

    rows: tuple[tuple[str, dict[str, str], float, float | None, float | None], ...]

    def to_frame(self, lang: str = "nb") -> pd.DataFrame:
        """One row per figure (index: its label in ``lang``), columns value and interval
        («mål», «verdi», «KI nedre», «KI øvre» in bokmål)."""
        lang = _lang(lang)
        w = _WORDS[lang]
        labels = theme_labels(lang)
        records = []
        for key, fill, value, low, high in self.rows:
            words = {
                k: (_lower(labels[v]) if k == "theme" else _lower(indicator_name(v, lang)))
                for k, v in fill.items()
            }
            records.append((w[key].format(**words), value, low, high))
        frame = pd.DataFrame(records, columns=list(w["columns"])).set_index(w["columns"][0])
        return frame.astype(float)

    def text(self, lang: str = "nb") -> str:
        """One figure per line: «SII, trygghet: 1,035 (KI 0,810 til 1,260)», the interval only
        where there is one."""
        lang = _lang(lang)
        to = "til" if lang == "nb" else "to"
        ci = "KI" if lang == "nb" else "CI"
        lines = []
        for label, (value, low, high) in self.to_frame(lang).iterrows():
            line = f"{label}: {format_number(value, lang, 3) or '–'}"
            if pd.notna(low) and pd.notna(high):
                line += (f" ({ci} {format_number(low, lang, 3)} {to} "
                         f"{format_number(high, lang, 3)})")
            lines.append(line)
        return "\n".join(lines)


def key_figures(
    data: GradientData,
    line: GradientLine,
    social: SocialGradient,
    gradients: pd.DataFrame,
    income: IncomeIndices,
    split: TheilSplit,
    pattern: SpatialPattern,
    iccs: IccComparison,
) -> KeyFigures:
    """:class:`KeyFigures` from the notebook's results; income figures only when available,
    Moran's I only with grunnkrets boundaries."""
    ind = {"name": data.indicator}
    compare = gradients.loc[data.compare_theme]
    rows = [
        ("slope", ind, line.fit.slope, line.fit.ci_low, line.fit.ci_high),
        ("sii", {"theme": data.theme}, social.sii.sii, social.sii.ci_low, social.sii.ci_high),
        (
            "sii",
            {"theme": data.compare_theme},
            compare["sii"],
            compare["sii_ci_low"],
            compare["sii_ci_high"],
        ),
        (
            "conc",
            {},
            social.concentration.statistic,
            social.concentration_ci.ci_low,
            social.concentration_ci.ci_high,
        ),
    ]
    if income.available and split.available:
        gini = income.table.set_index("measure").loc["gini"]
        rows += [
            ("gini", {}, gini["statistic"], gini["ci_low"], gini["ci_high"]),
            (
                "theil",
                {},
                split.between_ci.statistic,
                split.between_ci.ci_low,
                split.between_ci.ci_high,
            ),
        ]
    if pattern.available:
        rows.append(("moran", ind, pattern.statistic, None, None))
    rows += [
        ("icc", {"theme": data.theme}, iccs.theme.statistic, None, None),
        ("icc", {"theme": data.compare_theme}, iccs.compare.statistic, None, None),
    ]
    return KeyFigures(rows=tuple(rows))


# --- tables as shown --------------------------------------------------------------------------


def by_area_table(data: GradientData, lang: str = "nb") -> Any:
    """:meth:`GradientData.to_frame` as shown."""
    return display_table(data.to_frame(), lang=lang)


def gradients_table(gradients: pd.DataFrame, lang: str = "nb") -> Any:
    """SII, RII and the concentration index per theme (a ``gradient_table``) as shown."""
    columns = [
        "label",
        "sii",
        "sii_ci_low",
        "sii_ci_high",
        "rii",
        "conc_low",
        "conc_low_ci_low",
        "conc_low_ci_high",
        "n_areas",
    ]
    return display_table(
        gradients[[c for c in columns if c in gradients.columns]],
        lang=lang,
        headers={"label": _WORDS[_lang(lang)]["theme"]},
    )


def indices_table(indices: pd.DataFrame, lang: str = "nb") -> Any:
    """An ``index_table`` as shown (without the measure codes)."""
    return display_table(
        indices.drop(columns="measure"),
        lang=lang,
        headers={"label": _WORDS[_lang(lang)]["measure"]},
    )


def clusters_table(pattern: SpatialPattern, lang: str = "nb") -> Any:
    """Grunnkretser per LISA cluster as shown."""
    return display_table(lisa_cluster_counts(pattern, lang), lang=lang, index=True)


def key_figures_table(figures: KeyFigures, lang: str = "nb") -> Any:
    """:meth:`KeyFigures.to_frame` as shown."""
    return display_table(figures.to_frame(lang), lang=lang, index=True)
