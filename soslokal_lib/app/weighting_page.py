"""Tables and figures of notebook 05 (``05_representativitet``) from a
:class:`~soslokal_lib.stats.weighting_study.WeightingStudy`, headers in bokmål or English.

Each function returns what the notebook shows (a styled table, a Figure) or ``None`` when the
study has nothing to show (no population, or no weights yet), so a cell can end with the call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from soslokal_lib.app.workbook import display_table
from soslokal_lib.numformat import lang_key
from soslokal_lib.plot.charts_weights import plot_representation, plot_weighting_effect

if TYPE_CHECKING:
    from soslokal_lib.stats.survey_population import SurveyPopulation
    from soslokal_lib.stats.weighting_study import WeightingStudy

__all__ = ["effect_figure", "figure_source", "population_note", "representation_figure",
           "study_table"]

_HEADERS = {
    "nb": {
        "margins": {"weighted": "Vektet", "error": "Avvik (%)"},
        "truth": {
            "truth": "Sann verdi",
            "error_unweighted": "Feil uvektet",
            "error_weighted": "Feil vektet",
        },
    },
    "en": {
        "margins": {"weighted": "Weighted", "error": "Error (%)"},
        "truth": {
            "truth": "True value",
            "error_unweighted": "Error unweighted",
            "error_weighted": "Error weighted",
        },
    },
}


_lang = lang_key  # the one language normaliser


def population_note(population: SurveyPopulation) -> None:
    """Print which population was found, or why there is none; with none, the report leaves out
    the sections that compare with it (cells tagged ``needs-population``,
    :func:`soslokal_lib.app.report_notebooks.skip_in_report`)."""
    from soslokal_lib.app.report_notebooks import TAG_POPULATION, skip_in_report

    print(population)
    if not population.available:
        skip_in_report(TAG_POPULATION)


def figure_source(study: WeightingStudy, survey_source: str) -> str | None:
    """The figures' «Kilde» line: the survey's and the population's source (``None`` without
    a population)."""
    if not study.available:
        return None
    return f"{survey_source}; {study.population.source}"


def study_table(study: WeightingStudy, table: str, lang: str = "nb") -> Any:
    """``study.to_frame(table)`` as shown (workbook headers in ``lang``, area names, numbers
    formatted), or ``None`` when the table is empty. ``margins`` shows the error in per cent
    (4 decimals); ``medians`` one decimal."""
    frame = study.to_frame(table)
    if frame.empty:
        return None
    headers = _HEADERS[_lang(lang)]
    names = dict(study.names)
    if table == "representation":
        return display_table(frame.drop(columns=["level"]), table="representation", lang=lang)
    if table == "representation_tests":
        return display_table(frame, table="representation_tests", lang=lang)
    if table == "margins":
        return display_table(
            frame.assign(error=frame["error"] * 100),
            names=names,
            lang=lang,
            decimals={"weighted": 1, "error": 4},
            headers=headers["margins"],
        )
    if table == "weights_by_area":
        return display_table(frame, names=names, lang=lang, index=True)
    if table == "medians":
        return display_table(
            frame[["n", "unweighted", "weighted"]],
            lang=lang,
            index=True,
            table="weighting_effect",
            decimals={"unweighted": 1, "weighted": 1},
        )
    if table == "theme_by_area":
        return display_table(frame, names=names, lang=lang, index=True, table="weighting_effect")
    if table == "truth":
        return display_table(
            frame, lang=lang, index=True, table="weighting_effect", headers=headers["truth"]
        )
    return display_table(frame, lang=lang, index=True, table="weighting_effect")


def representation_figure(
    study: WeightingStudy, *, lang: str = "nb", source: str | None = None
) -> Any:
    """Each group's share of the answers beside its share of the population
    (:func:`~soslokal_lib.plot.charts_weights.plot_representation`); ``None`` without a
    population."""
    if study.representation is None:
        return None
    return plot_representation(study.representation, lang=lang, source=source)


def effect_figure(study: WeightingStudy, *, lang: str = "nb", source: str | None = None) -> Any:
    """Unweighted and weighted mean per theme for the whole kommune, with the true values for
    the synthetic sample (:func:`~soslokal_lib.plot.charts_weights.plot_weighting_effect`);
    ``None`` without weights."""
    if study.summaries is None:
        return None
    unweighted, weighted = study.summaries
    return plot_weighting_effect(
        unweighted, weighted, truth=study.population.truth, lang=lang, source=source
    )
