"""The population a survey is compared with and weighted to (notebook 05).

:func:`load_survey_population` finds persons by grunnkrets × sex × 5-year age group (SSB table
04362) for the survey's kommune, in this order: the bundled SYNTHETIC sample (when the survey
is the sample or the kommune is its number 9901); a local JSON-stat file of 04362
(``population_path``, else ``ssb_tables["04362"]``); SSB online (``online=True`` and a
kommune number). The grunnkretser are summed to the survey's areas when those are grunnkretser
or delområder (``KKKKDD00``). When no population can be had, the result is *unavailable* and
its ``reason`` says why in plain Norwegian, instead of an error, so the notebook can say so
and skip the comparison.

Answers without a counterpart in the population (e.g. gender «Annet», an area code SSB does
not have) count as unknown for that variable in ``SurveyPopulation.survey``; population cells
of a level nobody answered from (an area without answers) are left out. Both are said in
``notes``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from soslokal_lib.errors import ConfigError, DataSourceError, SoslokalError
from soslokal_lib.io.sample import KOMMUNE, KOMMUNE_NAME
from soslokal_lib.survey import Survey

if TYPE_CHECKING:
    from soslokal_lib.io.inputs import Inputs
    from soslokal_lib.stats.weighting import WeightingReport

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
        from soslokal_lib.stats.weighting import margins_from_cells

        if self.cells is None:
            raise SoslokalError(f"No population: {self.reason}")
        return margins_from_cells(self.cells, self.variables)

    def weights(self, *, method: str | None = "rake",
                trim: Sequence[float] | None = None,
                missing: str = "ignore_margin") -> tuple[pd.Series, WeightingReport]:
        """Weights for ``self.survey`` and their report: ``method`` ``"rake"`` (default) on the
        margins, or ``"poststratify"`` on the cells (which cannot be trimmed; ``trim`` is then
        ignored with a warning)."""
        import warnings

        from soslokal_lib.stats import weighting

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
    """The population to compare ``inputs.survey`` with (see the module docstring).

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
    code = _kommune_code(kommune)
    synthetic = inputs.synthetic or code == KOMMUNE
    notes: list[str] = []
    path = population_path or (ssb_tables or {}).get("04362")
    area_map = None
    try:
        if inputs.synthetic or (code == KOMMUNE and path is None):
            raw, area_map, year_used = _sample_population()
            source = f"befolkning: syntetiske data ({KOMMUNE_NAME}), som SSB-tabell 04362"
        elif path is not None:
            raw, year_used = _file_population(Path(path), code, year, notes)
            source = (f"befolkning: syntetiske data ({KOMMUNE_NAME}), som SSB-tabell 04362"
                      if synthetic else
                      f"befolkning: SSB-tabell 04362, 1. januar {year_used} ({Path(path).name})")
        elif code is None:
            return _unavailable(survey, "det er ikke gitt noe kommunenummer (kommune; i "
                                "oppsettet [kommune] number), så befolkningen kan ikke hentes "
                                "fra SSB. Løsning: gi kommunenummeret, eller en fil med "
                                "SSB-tabell 04362 (weights_population; [weights] population).")
        elif not online:
            return _unavailable(survey, f"det finnes ingen befolkningstabell for kommune {code}: "
                                "ingen fil med SSB-tabell 04362 er oppgitt, og henting fra SSB "
                                "er slått av. Løsning: gi en fil med SSB-tabell 04362 (i "
                                "oppsettet population = \"fil.json\" under [weights]; i "
                                "notatboken weights_population = \"fil.json\"), eller slå på "
                                "henting fra SSB (online = true under [ssb]; i notatboken "
                                "online = True).")
        else:
            raw, year_used = _online_population(code, year, cache_dir, notes)
            source = f"befolkning: SSB-tabell 04362, 1. januar {year_used} (CC BY 4.0)"
    except DataSourceError as exc:
        if path is not None:
            raise
        return _unavailable(survey, f"SSB kunne ikke gi befolkningstallene: {exc}")
    return _compare_ready(survey, raw, area_map, wanted, age_bands, sex_map, notes,
                          source=source, synthetic=synthetic, year=year_used)


def _kommune_code(kommune: object) -> str | None:
    if kommune is None or not str(kommune).strip():
        return None
    text = str(kommune).strip()
    return text.zfill(4) if text.isdigit() else text


def _unavailable(survey: Survey, reason: str) -> SurveyPopulation:
    return SurveyPopulation(cells=None, survey=survey, reason=reason)


def _sample_population() -> tuple[pd.DataFrame, pd.Series, str]:
    from soslokal_lib.io.sample import FILES, load_sample
    from soslokal_lib.io.ssb import read_jsonstat

    sample = load_sample()
    year = ", ".join(read_jsonstat(sample.path / FILES["population"])["Tid"].unique())
    return sample.population, sample.grunnkretser["parent_id"], year


def _file_population(path: Path, kommune: str | None, year: int | str | None,
                     notes: list[str]) -> tuple[pd.DataFrame, str]:
    from soslokal_lib.io.socio import population_from_ssb
    from soslokal_lib.io.ssb import CATALOGUE, _tidy, read_jsonstat

    table = read_jsonstat(path)
    if "Region" not in table.columns:
        raise DataSourceError(f"{path}: not SSB table 04362 (no Region dimension; it has "
                              f"{', '.join(map(str, table.columns[:8]))}). Fix: download "
                              "04362 as JSON-stat from ssb.no/statbank/table/04362.")
    raw = _tidy(table, "Region", CATALOGUE["04362"])
    if kommune is None:
        codes = raw["area_id"].astype("str")
        kommune = codes[codes.str.fullmatch(r"\d{8}")].str[:4].mode().iloc[0]
    used = _year(raw, year, path.name, notes)
    return population_from_ssb(raw, kommune, used, notes), used


def _year(raw: pd.DataFrame, year: int | str | None, where: object, notes: list[str]) -> str:
    years = sorted(raw["year"].astype("str").unique()) if "year" in raw.columns else []
    if year is not None and str(year) in years:
        return str(year)
    if not years:
        return str(year)
    if year is not None:
        notes.append(f"{where} har ikke tall for {year}; bruker {years[-1]}.")
    return years[-1]


def _online_population(kommune: str, year: int | str | None, cache_dir: Any,
                       notes: list[str]) -> tuple[pd.DataFrame, str]:
    from soslokal_lib.io import ssb
    from soslokal_lib.io.socio import population_from_ssb

    raw = ssb.population_grunnkrets_age_sex(kommune, year if year is not None else "top(1)",
                                            cache_dir=cache_dir)
    used = _year(raw, year, "SSB 04362", notes)
    return population_from_ssb(raw, kommune, used, notes), used


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
    from soslokal_lib.stats.weighting import population_cells

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
    truth = _truth() if meta["synthetic"] else None
    return SurveyPopulation(cells=cells, survey=adapted, variables=tuple(variables),
                            notes=tuple(notes), truth=truth, **meta)


def _truth() -> pd.Series | None:
    from soslokal_lib.io.sample import FILES, SAMPLE_DIR

    path = SAMPLE_DIR / FILES["truth"]
    if not path.is_file():
        return None
    table = pd.read_csv(path, dtype={"area_id": "str", "theme": "str"})
    return table[table["area_id"] == KOMMUNE].set_index("theme")["mean"].rename("truth")
