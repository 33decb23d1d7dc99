"""Where the population behind a survey comes from (SSB table 04362; notebook 05).

:func:`read_population` finds persons by grunnkrets × sex × 5-year age group for the survey's
kommune, in this order: the bundled SYNTHETIC sample (when the survey is the sample or the
kommune is its number 9901); a local JSON-stat file of 04362 (``population_path``, else
``ssb_tables["04362"]``); SSB online (``online=True`` and a kommune number). When no population
can be had, the result has no table and its ``reason`` says why in plain Norwegian, instead of
an error. Comparing and weighting the survey with it is statistics:
:func:`soslokal_lib.stats.survey_population.load_survey_population`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from soslokal_lib.errors import DataSourceError
from soslokal_lib.io import ssb
from soslokal_lib.io.sample import FILES, KOMMUNE, KOMMUNE_NAME, SAMPLE_DIR, load_sample
from soslokal_lib.io.socio import population_from_ssb
from soslokal_lib.io.ssb import CATALOGUE, _tidy, read_jsonstat


@dataclass(frozen=True)
class PopulationTable:
    """The long 04362 table (``area_id, sex, age, value``) found for a survey, or why none.

    ``area_map``: grunnkrets → survey area when the source knows it (the sample), else None.
    ``year``: the population year used; ``source``: the population's part of a figure's
    «Kilde» line; ``synthetic``: the sample's made-up kommune; ``notes``: what was adapted;
    ``reason``: why ``table`` is None.
    """

    table: pd.DataFrame | None
    area_map: pd.Series | None = None
    year: str | None = None
    source: str | None = None
    synthetic: bool = False
    reason: str | None = None
    notes: tuple[str, ...] = ()


def read_population(
    *,
    synthetic: bool = False,
    kommune: str | None = None,
    online: bool = False,
    year: int | str | None = None,
    cache_dir: str | Path | None = None,
    population_path: str | Path | None = None,
    ssb_tables: Mapping[str, str | Path] | None = None,
) -> PopulationTable:
    """The population of ``kommune`` (see the module docstring); ``synthetic``: the survey is
    the bundled sample. ``year``: the population year (1 January) to use from a file or SSB;
    default the latest. Never fails for want of data (see ``reason``); a population file that
    cannot be read raises :class:`DataSourceError`.
    """
    code = _kommune_code(kommune)
    is_synthetic = synthetic or code == KOMMUNE
    notes: list[str] = []
    path = population_path or (ssb_tables or {}).get("04362")
    area_map = None
    try:
        if synthetic or (code == KOMMUNE and path is None):
            raw, area_map, year_used = _sample_population()
            source = f"befolkning: syntetiske data ({KOMMUNE_NAME}), som SSB-tabell 04362"
        elif path is not None:
            raw, year_used = _file_population(Path(path), code, year, notes)
            source = (f"befolkning: syntetiske data ({KOMMUNE_NAME}), som SSB-tabell 04362"
                      if is_synthetic else
                      f"befolkning: SSB-tabell 04362, 1. januar {year_used} ({Path(path).name})")
        elif code is None:
            return _unavailable("det er ikke gitt noe kommunenummer (kommune; i "
                                "oppsettet [kommune] number), så befolkningen kan ikke hentes "
                                "fra SSB. Løsning: gi kommunenummeret, eller en fil med "
                                "SSB-tabell 04362 (weights_population; [weights] population).")
        elif not online:
            return _unavailable(f"det finnes ingen befolkningstabell for kommune {code}: "
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
        return _unavailable(f"SSB kunne ikke gi befolkningstallene: {exc}")
    return PopulationTable(raw, area_map=area_map, year=year_used, source=source,
                           synthetic=is_synthetic, notes=tuple(notes))


def sample_truth() -> pd.Series | None:
    """For the synthetic sample: the true population mean per theme for the whole kommune."""
    path = SAMPLE_DIR / FILES["truth"]
    if not path.is_file():
        return None
    table = pd.read_csv(path, dtype={"area_id": "str", "theme": "str"})
    return table[table["area_id"] == KOMMUNE].set_index("theme")["mean"].rename("truth")


def _kommune_code(kommune: object) -> str | None:
    if kommune is None or not str(kommune).strip():
        return None
    text = str(kommune).strip()
    return text.zfill(4) if text.isdigit() else text


def _unavailable(reason: str) -> PopulationTable:
    return PopulationTable(None, reason=reason)


def _sample_population() -> tuple[pd.DataFrame, pd.Series, str]:
    sample = load_sample()
    year = ", ".join(read_jsonstat(sample.path / FILES["population"])["Tid"].unique())
    return sample.population, sample.grunnkretser["parent_id"], year


def _file_population(path: Path, kommune: str | None, year: int | str | None,
                     notes: list[str]) -> tuple[pd.DataFrame, str]:
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
    raw = ssb.population_grunnkrets_age_sex(kommune, year if year is not None else "top(1)",
                                            cache_dir=cache_dir)
    used = _year(raw, year, "SSB 04362", notes)
    return population_from_ssb(raw, kommune, used, notes), used
