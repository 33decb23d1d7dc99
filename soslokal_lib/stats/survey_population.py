"""The population a survey is compared with and weighted to (notebook 05).

:func:`load_survey_population` takes the population that
:func:`soslokal_lib.io.population.read_population` finds (persons by grunnkrets × sex × 5-year
age group, SSB table 04362) and sums the grunnkretser to the survey's areas when those are
grunnkretser or delområder (``KKKKDD00``). When no population can be had, the result is
*unavailable* and its ``reason`` says why in plain Norwegian, instead of an error, so the
notebook can say so and skip the comparison.

Answers without a counterpart in the population (e.g. gender «Annet», an area code SSB does
not have) count as unknown for that variable in ``SurveyPopulation.survey``; population cells
of a level nobody answered from (an area without answers) are left out. Both are said in
``notes``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from soslokal_lib.errors import ConfigError, SoslokalError
from soslokal_lib.io.population import read_population, sample_truth
from soslokal_lib.stats import weighting
from soslokal_lib.stats.weighting import WeightingReport, margins_from_cells, population_cells
from soslokal_lib.survey import Survey

if TYPE_CHECKING:
    from soslokal_lib.io.inputs import Inputs

#: The variables a population can be compared on, in this order.
VARIABLES: tuple[str, ...] = ("area_id", "age_group", "gender")
_NAMES = {"area_id": "område", "age_group": "alder", "gender": "kjønn"}


@dataclass(frozen=True)
class SurveyPopulation:
    """The population behind a survey, or why there is none.

    ``cells``: :func:`~soslokal_lib.weighting.population_cells` (``area_id, age_group, gender,
    population``) or ``None``. ``survey``: the survey with answers outside the population set
    to missing. ``variables``: those it can be compared on. ``source``: the population's part
    of a figure's «Kilde» line. ``truth``: for the synthetic sample, the true population mean
    per theme for the whole kommune (else ``None``). ``reason``: why ``cells`` is ``None``.
    """

    cells: pd.DataFrame | None
    survey: Survey
    variables: tuple[str, ...] = ()
    source: str | None = None
    synthetic: bool = False
    year: str | None = None
    reason: str | None = None
    notes: tuple[str, ...] = ()
    truth: pd.Series | None = field(default=None, repr=False)

    @property
    def available(self) -> bool:
        """Whether there is a population to compare with."""
        return self.cells is not None

    @property
    def margins(self) -> dict[str, pd.Series]:
        """Persons per level of each variable (raking targets)."""
        if self.cells is None:
            raise SoslokalError(f"No population: {self.reason}")
        return margins_from_cells(self.cells, self.variables)

    def weights(self, *, method: str | None = "rake",
                trim: Sequence[float] | None = None,
                missing: str = "ignore_margin") -> tuple[pd.Series, WeightingReport]:
        """Weights for ``self.survey`` and their report: ``method`` ``"rake"`` (default) on the
        margins, or ``"poststratify"`` on the cells (which cannot be trimmed; ``trim`` is then
        ignored with a warning)."""
        if self.cells is None:
            raise SoslokalError(f"No population: {self.reason}")
        method = method or "rake"
        if method == "rake":
            return weighting.rake(self.survey, self.margins, missing=missing,
                                  trim=tuple(trim) if trim is not None else None,
                                  return_report=True)
        if method == "poststratify":
            if trim is not None:
                warnings.warn("Post-stratification weights are not trimmed (trim is for "
                              "raking); trim is ignored.", UserWarning, stacklevel=2)
            cells = (self.cells.groupby(list(self.variables), observed=True)["population"]
                     .sum().reset_index())
            return weighting.poststratify(self.survey, cells, by=self.variables,
                                          return_report=True)
        raise ConfigError(f"weights method {method!r} is unknown. Fix: use 'rake' or "
                          "'poststratify'.")

    def __str__(self) -> str:
        if self.cells is None:
            lines = [f"Ingen befolkningstall å sammenligne med: {self.reason}",
                     "Sammenligningen med befolkningen og vektingen hoppes over."]
        else:
            total = f"{self.cells['population'].sum():,.0f}".replace(",", " ")
            kind = "SYNTETISKE DATA" if self.synthetic else "SSB"
            lines = [f"Befolkning ({kind}): {total} personer i undersøkelsens aldersgrupper; "
                     f"sammenlignes etter {', '.join(_NAMES[v] for v in self.variables)}.",
                     f"Kilde: {str(self.source).removeprefix('befolkning: ')}"]
        return "\n".join(lines + [f"– {note}" for note in self.notes])


def load_survey_population(
    inputs: Inputs,
    *,
    kommune: str | None = None,
    online: bool = False,
    year: int | str | None = None,
    cache_dir: str | Path | None = None,
    population_path: str | Path | None = None,
    ssb_tables: Mapping[str, str | Path] | None = None,
    variables: Sequence[str] | None = None,
    age_bands: Mapping[str, Sequence[str]] | None = None,
    sex_map: Mapping[str, str] | None = None,
) -> SurveyPopulation:
    """The population to compare ``inputs.survey`` with (see the module docstring;
    ``kommune``, ``online``, ``cache_dir``, ``population_path``, ``ssb_tables`` as in
    :func:`~soslokal_lib.io.population.read_population`).

    ``year``: the population year (1 January) to use from a file or SSB; default the latest.
    ``variables``: any of ``area_id``, ``age_group``, ``gender`` (default all three); one
    the survey cannot be compared on is dropped with a note. ``age_bands`` and ``sex_map`` as
    in :func:`~soslokal_lib.weighting.population_cells`. Never fails for want of data (see
    ``reason``); a population file that cannot be read raises :class:`DataSourceError`.
    """
    wanted = tuple(variables) if variables else VARIABLES
    unknown = [v for v in wanted if v not in VARIABLES]
    if unknown:
        raise ConfigError(f"weights variables {unknown} are unknown. Fix: choose among "
                          f"{list(VARIABLES)}.")
    survey = inputs.survey
    found = read_population(synthetic=inputs.synthetic, kommune=kommune, online=online,
                            year=year, cache_dir=cache_dir, population_path=population_path,
                            ssb_tables=ssb_tables)
    if found.table is None:
        return _unavailable(survey, found.reason)
    return _compare_ready(survey, found.table, found.area_map, wanted, age_bands, sex_map,
                          list(found.notes), source=found.source, synthetic=found.synthetic,
                          year=found.year)


def _unavailable(survey: Survey, reason: str) -> SurveyPopulation:
    return SurveyPopulation(cells=None, survey=survey, reason=reason)


def _area_map(population: pd.DataFrame, areas: pd.Series) -> pd.Series | None:
    """Grunnkrets → survey area, or None when the survey's areas are neither."""
    codes = pd.Series(pd.unique(population["area_id"].astype("str")))
    codes.index = codes.to_numpy()
    wanted = set(areas.dropna().astype("str"))
    if wanted <= set(codes):
        return codes
    parents = codes.str[:6] + "00"
    if wanted <= set(parents):
        return parents
    return None


def _compare_ready(survey: Survey, population: pd.DataFrame, area_map: pd.Series | None,
                   wanted: tuple[str, ...], age_bands: Mapping[str, Sequence[str]] | None,
                   sex_map: Mapping[str, str] | None, notes: list[str], **meta: Any,
                   ) -> SurveyPopulation:
    responses = survey.responses
    variables = [v for v in wanted if v in responses.columns
                 and responses[v].notna().any()]
    for v in wanted:
        if v not in variables:
            notes.append(f"Undersøkelsen har ingen svar på {_NAMES[v]}; {_NAMES[v]} er utelatt.")
    if area_map is None and "area_id" in variables:
        area_map = _area_map(population, responses["area_id"])
        if area_map is None:
            shown = ", ".join(map(repr, pd.unique(responses["area_id"].dropna())[:3]))
            notes.append(f"Områdene i undersøkelsen ({shown} …) er verken grunnkretser eller "
                         "delområder (KKKKDD00) i befolkningstabellen, så område er utelatt. "
                         "Løsning: bruk en grensefil med SSBs delområdekoder ([areas]).")
            variables.remove("area_id")
    if "area_id" not in variables:
        area_map = pd.Series("total", index=pd.unique(population["area_id"].astype("str")))
    if not variables:
        return _unavailable(survey, "undersøkelsen har ingen av variablene område, alder og "
                            "kjønn å sammenligne på. " + " ".join(notes))
    try:
        cells = population_cells(population, area_map=area_map, age_bands=age_bands,
                                 sex_map=sex_map)
    except SoslokalError as exc:
        return _unavailable(survey, f"befolkningstabellen passer ikke med undersøkelsen: {exc}")
    changes = {}
    keep = pd.Series(True, index=cells.index)
    for var in variables:  # at most three background variables
        answers = responses[var].astype("string")
        levels = cells[var].astype("string")
        outside = answers.notna() & ~answers.isin(set(levels))
        if outside.any():
            shown = ", ".join(f"«{v}»" for v in pd.unique(answers[outside])[:5])
            notes.append(f"{int(outside.sum())} svar på {_NAMES[var]} ({shown}) finnes ikke i "
                         "befolkningstabellen og regnes som ukjent.")
            changes[var] = responses[var].mask(outside.to_numpy())
        unanswered = ~levels.isin(set(answers[~outside].dropna()))
        if unanswered.any():
            shown = ", ".join(pd.unique(levels[unanswered])[:5])
            notes.append(f"Ingen svar fra {_NAMES[var]} {shown}; de er ikke med i "
                         "befolkningen det sammenlignes med.")
            keep &= ~unanswered
    cells = cells[keep.to_numpy()].reset_index(drop=True)
    adapted = survey if not changes else Survey(responses.assign(**changes), survey.comments,
                                                survey.meta, dont_know=survey.dont_know)
    truth = sample_truth() if meta["synthetic"] else None
    return SurveyPopulation(cells=cells, survey=adapted, variables=tuple(variables),
                            notes=tuple(notes), truth=truth, **meta)
