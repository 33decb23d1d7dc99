"""population_cells groups by integer keys; it gives what the groupby on labels gave."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from soslokal_lib.io.sample import SURVEY_AGE_BANDS, SURVEY_SEX
from soslokal_lib.stats.weighting import population_cells, population_margins


def _by_labels(population: pd.DataFrame, area_map=None) -> pd.DataFrame:
    """The earlier implementation: map every row's labels, group by them."""
    bands, sexes = dict(SURVEY_AGE_BANDS), dict(SURVEY_SEX)
    age_of = {str(g): band for band, groups in bands.items() for g in groups}
    sex_of = {str(label): answer for answer, label in sexes.items()}
    ages = population["age"].astype("string")
    areas = population["area_id"].astype("string")
    if area_map is not None:
        areas = areas.map(pd.Series(area_map, dtype="object").astype("string"))
    keep = ages.isin(list(age_of)).to_numpy(dtype=bool, na_value=False)
    cells = pd.DataFrame({
        "area_id": areas[keep].to_numpy(),
        "age_group": pd.Categorical(ages[keep].map(age_of), categories=list(bands)),
        "gender": pd.Categorical(population["sex"].astype("string")[keep].map(sex_of),
                                 categories=list(sexes)),
        "population": pd.to_numeric(population["value"])[keep].to_numpy(),
    })
    out = cells.groupby(["area_id", "age_group", "gender"], observed=True, sort=True)[
        "population"].sum().reset_index()
    out["area_id"] = out["area_id"].astype("string")
    return out


@pytest.mark.parametrize("seed", range(6))
def test_cells_as_grouped_by_labels(seed):
    rng = np.random.default_rng(seed)
    n = 400
    groups = [g for band in SURVEY_AGE_BANDS.values() for g in band] + ["0-4", "5-9"]
    population = pd.DataFrame({
        "area_id": rng.choice(["03010101", "03010102", "Østre", "a", "B", "0301"], n),
        "sex": rng.choice(list(SURVEY_SEX.values()), n),
        "age": rng.choice(groups, n),
        "value": (rng.integers(0, 50, n) if seed % 2 else rng.uniform(0, 50, n).round(3)),
    })
    if seed >= 4:
        population.loc[rng.random(n) < 0.1, "sex"] = None
    area_map = ({a: ("Nord" if a[:1] in "03" else "Sør") for a in population["area_id"]}
                if seed % 3 == 0 else None)
    got = population_cells(population, area_map=area_map)
    pd.testing.assert_frame_equal(got, _by_labels(population, area_map), check_exact=True)
    margins = population_margins(population, area_map=area_map)
    assert {k: v.sum() for k, v in margins.items()} == pytest.approx(
        {k: got["population"].sum() for k in margins})
