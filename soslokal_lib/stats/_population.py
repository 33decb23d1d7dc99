"""Population targets for weighting: an SSB 04362-shaped table aggregated to survey cells.

Public through :mod:`soslokal_lib.weighting`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.io.sample import SURVEY_AGE_BANDS, SURVEY_SEX

#: Columns of :func:`population_cells`.
CELL_COLUMNS = ("area_id", "age_group", "gender", "population")


def population_cells(
    population: pd.DataFrame,
    *,
    area_map: Mapping[str, str] | pd.Series | None = None,
    age_bands: Mapping[str, Sequence[str]] | None = None,
    sex_map: Mapping[str, str] | None = None,
    area: str = "area_id",
    age: str = "age",
    sex: str = "sex",
    value: str = "value",
) -> pd.DataFrame:
    """Aggregate an SSB 04362-shaped table (area × sex × age → persons) to survey cells.

    Returns columns ``area_id, age_group, gender, population``: one row per survey area ×
    age band × gender (categoricals in band/gender order). ``area_map`` maps the table's areas
    (e.g. grunnkretser) to survey areas (e.g. ``grunnkretser["parent_id"]``); default: as is.
    ``age_bands``: survey band → the 5-year groups it covers (default
    :data:`~soslokal_lib.io.sample.SURVEY_AGE_BANDS`); age groups in no band (children) are
    left out — they are not in the survey population. ``sex_map``: survey answer →
    population label (default :data:`~soslokal_lib.io.sample.SURVEY_SEX`).
    """
    bands = dict(SURVEY_AGE_BANDS if age_bands is None else age_bands)
    sexes = dict(SURVEY_SEX if sex_map is None else sex_map)
    if not isinstance(population, pd.DataFrame):
        raise SoslokalError(
            f"population must be a DataFrame (area × sex × age → persons), not "
            f"{type(population).__name__}. Fix: pass e.g. load_sample().population.")
    missing = [c for c in (area, age, sex, value) if c not in population.columns]
    if missing:
        raise SoslokalError(
            f"The population table lacks column(s) {missing}. Fix: pass area=, age=, sex= and "
            "value= naming its columns (an SSB 04362-shaped long table).")
    ages = population[age].astype("string")
    age_of = {str(g): band for band, groups in bands.items() for g in groups}
    unknown = sorted(set(age_of) - set(ages.dropna().unique()))
    if unknown:
        raise SoslokalError(
            f"age_bands name age group(s) {unknown[:5]} that the population table lacks "
            f"(it has {sorted(ages.dropna().unique())[:8]} …). Fix: use the table's labels.")
    sex_of = {str(label): answer for answer, label in sexes.items()}
    sex_values = population[sex].astype("string")
    bad_sex = sorted(set(sex_values.dropna().unique()) - set(sex_of))
    if bad_sex:
        raise SoslokalError(
            f"Population column {sex!r} has value(s) {bad_sex[:5]} that sex_map does not cover "
            f"(it maps {sex_of}). Fix: pass sex_map={{survey answer: population label}}.")
    areas = population[area].astype("string")
    if area_map is not None:
        lookup = pd.Series(area_map, dtype="object").astype("string")
        lookup.index = lookup.index.astype("string")
        mapped = areas.map(lookup)
        lost = areas[mapped.isna()].unique()
        if len(lost):
            raise SoslokalError(
                f"area_map does not place {len(lost)} population area(s) {list(lost[:5])} in a "
                "survey area. Fix: give every area of the population table a parent.")
        areas = mapped
    numbers = pd.to_numeric(population[value], errors="coerce")
    if numbers.isna().any() or (numbers < 0).any():
        raise SoslokalError(
            f"Population column {value!r} has missing or negative counts. Fix: use counts ≥ 0.")
    # Group by integer keys: each column's distinct values are mapped once, not every row.
    band_names, answers = list(bands), list(sexes)
    age_codes, age_values = pd.factorize(ages)
    band = np.append([band_names.index(age_of[a]) if a in age_of else -1
                      for a in map(str, age_values)], -1).astype(np.int64)[age_codes]
    sex_codes, sex_values_u = pd.factorize(sex_values)
    gender = np.append([answers.index(sex_of[str(v)]) for v in sex_values_u],
                       -1).astype(np.int64)[sex_codes]
    area_codes, area_values = pd.factorize(areas)
    area_values = np.asarray(area_values, dtype=object)
    order = np.argsort(area_values, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    keep = (band >= 0) & (gender >= 0) & (area_codes >= 0)
    key = (rank[area_codes[keep]] * len(band_names) + band[keep]) * len(answers) + gender[keep]
    sums = numbers[keep].reset_index(drop=True).groupby(key, sort=True).sum()
    key = sums.index.to_numpy()
    out = pd.DataFrame({
        "area_id": pd.array(area_values[order][key // (len(band_names) * len(answers))],
                            dtype="string"),
        "age_group": pd.Categorical.from_codes((key // len(answers)) % len(band_names),
                                               categories=band_names),
        "gender": pd.Categorical.from_codes(key % len(answers), categories=answers),
        "population": sums.to_numpy(),
    })
    out["population"] = out["population"].astype(sums.dtype)
    return out


def population_margins(
    population: pd.DataFrame,
    *,
    area_map: Mapping[str, str] | pd.Series | None = None,
    age_bands: Mapping[str, Sequence[str]] | None = None,
    sex_map: Mapping[str, str] | None = None,
    **columns: str,
) -> dict[str, pd.Series]:
    """Raking targets ``{"area_id": …, "age_group": …, "gender": …}`` (persons per level).

    Arguments as :func:`population_cells` (``columns``: ``area=``, ``age=``, ``sex=``,
    ``value=``); every margin sums to the same survey population total.
    """
    cells = population_cells(population, area_map=area_map, age_bands=age_bands,
                             sex_map=sex_map, **columns)
    return margins_from_cells(cells)


def margins_from_cells(
    cells: pd.DataFrame, variables: Sequence[str] = ("area_id", "age_group", "gender"),
    value: str = "population",
) -> dict[str, pd.Series]:
    """Sum a cross-classified population table to one margin per variable."""
    out = {}
    for var in variables:
        s = cells.groupby(var, observed=True, sort=True)[value].sum()
        s.index = s.index.astype("string")
        s.index.name = var
        out[var] = s.rename("population")
    return out
