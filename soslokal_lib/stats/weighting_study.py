"""Who answered, the weights that correct for it, and what they do to the figures — the steps
of notebook 05 (``05_representativitet``) as one result that knows when there is no
population to compare with.

:func:`weighting_study` compares the respondents with the population
(:func:`~soslokal_lib.stats.representativeness.representativeness`); :meth:`WeightingStudy.
weighted` adds weights (raking or post-stratification, :meth:`~soslokal_lib.io.population.
SurveyPopulation.weights`), :meth:`WeightingStudy.trimmed` trims them. Every step returns a new
study; without a population (``available`` False) each step returns the study unchanged,
``to_frame`` returns empty tables and ``text`` a one-line note, so a notebook needs no
``if population.available:`` around its cells.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import lang_key

if TYPE_CHECKING:
    from soslokal_lib.stats.representativeness import Representativeness
    from soslokal_lib.stats.survey_population import SurveyPopulation
    from soslokal_lib.stats.weighting import WeightingReport

__all__ = ["TABLES", "WeightingStudy", "weighting_study"]

#: The tables :meth:`WeightingStudy.to_frame` knows.
TABLES = (
    "representation",
    "representation_tests",
    "margins",
    "weights_by_area",
    "weighting_effect",
    "truth",
    "medians",
    "theme_by_area",
)
_WORDS = {
    "nb": {
        "none": "(Ingen befolkningstall – hoppes over.)",
        "no_weights": "(Ingen vekter ennå.)",
        "no_trim": "Vektene trimmes ikke (ingen grenser er satt).",
    },
    "en": {
        "none": "(No population figures – skipped.)",
        "no_weights": "(No weights yet.)",
        "no_trim": "The weights are not trimmed (no limits are set).",
    },
}


_lang = lang_key  # the one language normaliser


@dataclass(frozen=True)
class WeightingStudy:
    """Respondents against the population, and weights.

    ``population``: the :class:`~soslokal_lib.io.population.SurveyPopulation` (its
    ``survey`` is the one compared and weighted); ``representation``: the comparison (``None``
    without a population); ``weights`` and ``report``: the latest weights and their
    :class:`~soslokal_lib.stats.weighting.WeightingReport` (``None`` before
    :meth:`weighted`); ``trim``: the trimming bounds used (``None``: untrimmed). ``statistic``
    is the design effect (Kish) of the weights, NaN without weights.
    """

    population: SurveyPopulation = field(repr=False)
    representation: Representativeness | None = field(repr=False)
    min_n: int = 5
    theme: str = "feeling_safe"
    names: Mapping[str, str] = field(default_factory=dict, repr=False)
    weights: pd.Series | None = field(default=None, repr=False)
    report: WeightingReport | None = field(default=None, repr=False)
    trim: tuple[float, float] | None = None

    @property
    def available(self) -> bool:
        """Whether there is a population to compare with (and so weights can be made)."""
        return self.representation is not None

    @property
    def statistic(self) -> float:
        return float(self.report.deff) if self.report is not None else float("nan")

    # --- steps --------------------------------------------------------------------------------

    def weighted(
        self,
        *,
        method: str = "rake",
        trim: Sequence[float] | None = None,
        missing: str = "ignore_margin",
    ) -> WeightingStudy:
        """A new study with weights by ``method`` (``"rake"`` or ``"poststratify"``), trimmed
        to ``trim`` (× the mean weight) when given; unchanged without a population."""
        if not self.available:
            return self
        weights, report = self.population.weights(method=method, trim=trim, missing=missing)
        return dataclasses.replace(
            self, weights=weights, report=report, trim=tuple(trim) if trim is not None else None
        )

    def trimmed(
        self, trim: Sequence[float] | None, *, method: str = "rake", missing: str = "ignore_margin"
    ) -> WeightingStudy:
        """:meth:`weighted` with ``trim``; the study unchanged when ``trim`` is ``None``."""
        return self if trim is None else self.weighted(method=method, trim=trim, missing=missing)

    # --- derived tables ---------------------------------------------------------------------

    @cached_property
    def summaries(self) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """:func:`~soslokal_lib.summarise` of the survey unweighted and with the weights
        (``None`` without weights)."""
        from soslokal_lib.stats.summary import summarise
        from soslokal_lib.stats.weighting import with_weights

        if self.weights is None:
            return None
        survey = self.population.survey
        weighted = with_weights(survey, self.weights)
        return (
            summarise(survey, min_n=self.min_n),
            summarise(weighted, weight="weight", min_n=self.min_n),
        )

    def to_frame(self, table: str = "representation") -> pd.DataFrame:
        """One of :data:`TABLES` (a copy; empty without a population or, for the weight
        tables, before :meth:`weighted`):

        ``representation``/``representation_tests``: the comparison and its chi-square tests;
        ``margins``: how well the weights meet each target (``error`` relative);
        ``weights_by_area``: sum, mean, design effect and effective n of the weights per area;
        ``weighting_effect``/``medians``: unweighted and weighted mean/median per theme for
        the whole kommune; ``truth``: ``weighting_effect`` with the true population mean and
        both errors (synthetic sample only); ``theme_by_area``: the study's theme per area.
        """
        from soslokal_lib.stats.weighting import compare_summaries

        if table not in TABLES:
            raise SoslokalError(
                f"to_frame: unknown table {table!r}. Fix: use one of {', '.join(TABLES)}."
            )
        if table.startswith("representation"):
            if self.representation is None:
                return pd.DataFrame()
            rep = self.representation
            return (rep.table if table == "representation" else rep.tests).copy()
        if self.report is None:
            return pd.DataFrame()
        if table == "margins":
            return (
                self.report.margins.copy() if self.report.margins is not None else (pd.DataFrame())
            )
        if table == "weights_by_area":
            return self.report.by_area.copy()
        unweighted, weighted = self.summaries
        if table == "medians":
            return compare_summaries(unweighted, weighted, stat="median")
        if table == "theme_by_area":
            return compare_summaries(unweighted, weighted, area=None, theme=self.theme)
        side = compare_summaries(unweighted, weighted, stat="mean")
        if table == "truth":
            truth = self.population.truth
            if truth is None:
                return pd.DataFrame()
            return side.assign(
                truth=truth,
                error_unweighted=side["unweighted"] - truth,
                error_weighted=side["weighted"] - truth,
            )
        return side

    def figures(self) -> dict[str, float]:
        """The weights in four numbers: ``total`` (sum), ``deff``, ``n_eff`` and
        ``max_margin_error`` (NaN without weights)."""
        if self.report is None:
            return dict.fromkeys(("total", "deff", "n_eff", "max_margin_error"), np.nan)
        r = self.report
        return {
            "total": float(self.weights.sum()),
            "deff": float(r.deff),
            "n_eff": float(r.n_eff),
            "max_margin_error": (
                float(r.max_margin_error) if r.max_margin_error is not None else np.nan
            ),
        }

    def export_tables(self) -> dict[str, pd.DataFrame]:
        """The tables behind the figures, by file name (empty without a population)."""
        if not self.available:
            return {}
        tables = {
            "representation": self.to_frame("representation"),
            "representation_tests": self.to_frame("representation_tests"),
        }
        if self.report is not None:
            tables["weighting_effect"] = self.to_frame("weighting_effect").reset_index()
        return tables

    def text(self, lang: str = "nb", part: str = "weights") -> str:
        """``part="representation"``: the note on under- and over-represented groups;
        ``"weights"``: the weighting report (with trimming, when trimmed); ``"trim"``: the
        report when trimmed, else that nothing is trimmed. A short note without a
        population (or, for the weights, before :meth:`weighted`)."""
        lang = _lang(lang)
        words = _WORDS[lang]
        if part not in ("representation", "weights", "trim"):
            raise SoslokalError(
                f"text: unknown part {part!r}. Fix: use 'representation', 'weights' or 'trim'."
            )
        if not self.available:
            return words["none"]
        if part == "representation":
            return self.representation.note(lang)
        if part == "trim" and self.trim is None:
            return words["no_trim"]
        return self.report.text(lang) if self.report is not None else words["no_weights"]


def weighting_study(
    population: SurveyPopulation,
    *,
    threshold: float = 0.85,
    names: Mapping[str, str] | None = None,
    min_n: int = 5,
    theme: str = "feeling_safe",
) -> WeightingStudy:
    """Compare ``population.survey``'s respondents with the population on
    ``population.variables`` (a level is under-represented when its ratio is below
    ``threshold``); a study without comparison when there is no population. ``theme`` is the
    theme :meth:`WeightingStudy.to_frame` ``("theme_by_area")`` shows per area."""
    from soslokal_lib.stats.representativeness import representativeness
    from soslokal_lib.themes import get_theme

    names = dict(names or {})
    rep = None
    if population.available:
        rep = representativeness(
            population.survey,
            population.cells,
            variables=population.variables,
            threshold=threshold,
            names=names,
            min_n=min_n,
        )
    return WeightingStudy(
        population=population,
        representation=rep,
        min_n=min_n,
        theme=get_theme(theme).code,
        names=names,
    )
