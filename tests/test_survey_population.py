"""The population behind a survey (notebook 05): sample, local 04362 file, SSB online, or none."""

from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from soslokal_lib.app.config import load_config
from soslokal_lib.app.report import DEFAULT_CONFIG
from soslokal_lib.errors import ConfigError, DataSourceError
from soslokal_lib.io import ssb
from soslokal_lib.io.inputs import Inputs, load_inputs
from soslokal_lib.io.sample import FILES, SAMPLE_DIR
from soslokal_lib.stats.representativeness import representativeness
from soslokal_lib.stats.survey_population import load_survey_population
from soslokal_lib.survey import Survey

MINI = Path(__file__).resolve().parent / "fixtures" / "minikommune"
SSB_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ssb"
SAMPLE_04362 = SAMPLE_DIR / FILES["population"]


@pytest.fixture(scope="module")
def sample_inputs() -> Inputs:
    return load_inputs()


@pytest.fixture(scope="module")
def mini_inputs() -> Inputs:
    return load_inputs(**load_config(MINI / "minikommune.toml").input_options())


def test_sample_population_matches_the_sample_and_weights_converge(sample_inputs):
    pop = load_survey_population(sample_inputs)
    assert pop.available and pop.synthetic and pop.reason is None
    assert pop.variables == ("area_id", "age_group", "gender")
    assert pop.cells["population"].sum() == 23_437  # persons 15+ (data/sample/README.md)
    assert pop.cells["area_id"].nunique() == 12
    assert "syntetiske data" in pop.source
    # the kommune row (9901) of truth.csv, not a delområde's: 4 decimals in the file, and
    # data/sample/README.md gives feeling_safe's truth as 4.66
    truth = pd.read_csv(SAMPLE_DIR / "truth.csv", dtype={"area_id": str})
    kommune = truth[truth["area_id"] == "9901"].set_index("theme")["mean"]
    assert len(pop.truth) == 14
    pd.testing.assert_series_equal(pop.truth.sort_index(), kommune.sort_index(), check_names=False)
    assert pop.truth["feeling_safe"] == pytest.approx(4.66, abs=0.005)
    weights, report = pop.weights(trim=(0.3, 3.5))
    assert report.converged and weights.sum() == pytest.approx(23_437)
    assert report.margins["error"].abs().max() < 1e-6
    assert "SYNTETISKE DATA" in str(pop)


def test_sample_config_reads_the_local_04362_file_to_the_same_cells(sample_inputs):
    config = load_config(DEFAULT_CONFIG)
    params = config.to_parameters()
    inputs = load_inputs(**config.input_options())
    assert not inputs.synthetic  # read from the CSV, not through load_sample
    pop = load_survey_population(inputs, kommune=params["kommune"],
                                 population_path=params["weights_population"],
                                 variables=params["weights_variables"])
    expected = load_survey_population(sample_inputs).cells
    pd.testing.assert_frame_equal(pop.cells, expected)
    assert pop.synthetic and "syntetiske data" in pop.source and pop.truth is not None


def test_minikommune_offline_has_no_population_and_says_why(mini_inputs):
    pop = load_survey_population(mini_inputs, kommune="9902", online=False)
    assert not pop.available and pop.cells is None
    assert "ingen befolkningstabell for kommune 9902" in pop.reason
    assert "04362" in pop.reason and "online = true under [ssb]" in pop.reason
    assert "eksempelkommun" not in pop.reason and "weights_population" in pop.reason
    assert pop.survey is mini_inputs.survey
    text = str(pop)
    assert text.startswith("Ingen befolkningstall") and "hoppes over" in text
    with pytest.raises(Exception, match="No population"):
        pop.weights()
    nameless = load_survey_population(mini_inputs, kommune=None, online=True)
    assert not nameless.available and "kommunenummer" in nameless.reason


def test_foreign_areas_and_genders_are_left_out_with_notes(mini_inputs):
    # The minikommune's «bydeler» are not SSB areas, and 13 answered gender «Annet».
    pop = load_survey_population(mini_inputs, population_path=SAMPLE_04362)
    assert pop.available and pop.variables == ("age_group", "gender")
    assert any("område er utelatt" in n for n in pop.notes)
    assert any(n.startswith("13 svar på kjønn («Annet»)") for n in pop.notes)
    before = mini_inputs.survey.responses["gender"]
    after = pop.survey.responses["gender"]
    assert int(after.isna().sum() - before.isna().sum()) == 13
    assert (before == "Annet").sum() == 13  # the input survey is not modified
    rep = representativeness(pop.survey, pop.cells, variables=pop.variables, min_n=5)
    ages = rep.table[rep.table["variable"] == "age_group"].set_index("level")
    assert ages["n"].sum() == 40 and ages["population_share"].sum() == pytest.approx(1.0)
    weights, report = pop.weights()
    assert report.converged and weights.sum() == pytest.approx(pop.cells["population"].sum())


def test_a_file_that_is_not_04362_is_an_error(tmp_path, mini_inputs):
    path = tmp_path / "feil.json"
    shutil.copy(SSB_FIXTURES / "06944_data.json", path)
    with pytest.raises(DataSourceError, match="sex"):
        load_survey_population(mini_inputs, population_path=path)
    with pytest.raises(ConfigError, match="unknown"):
        load_survey_population(mini_inputs, variables=["alder"])


def _oslo_survey() -> Inputs:
    n = 40
    rng = np.random.default_rng(3)
    responses = pd.DataFrame({
        "respondent_id": [str(i) for i in range(n)],
        "area_id": np.repeat(["03010100", "03010900"], n // 2),
        "age_group": pd.Categorical(["15–19"] * n),
        "gender": pd.Categorical(np.tile(["Mann", "Kvinne"], n // 2)),
        "feeling_safe": rng.integers(1, 8, n),
    })
    return Inputs(survey=Survey(responses), areas=None, names={}, source="Kilde: test",
                  synthetic=False)


def _fake_fetch(table_id, selection, **kw):
    df = ssb.read_jsonstat(SSB_FIXTURES / f"{table_id}_data.json")
    keep = np.array([any(fnmatch.fnmatchcase(c, p) for p in selection["Region"])
                     for c in df["Region"]])
    years = selection["Tid"]
    keep &= ((df["Tid"] == df["Tid"].max()) if years == ["top(1)"]
             else df["Tid"].isin(years)).to_numpy()
    return df[keep].reset_index(drop=True)


def test_online_population_is_summed_to_delomrader(monkeypatch):
    monkeypatch.setattr(ssb, "fetch_table", _fake_fetch)
    inputs = _oslo_survey()
    bands = {"15–19": ("15-19",)}
    pop = load_survey_population(inputs, kommune="0301", online=True, age_bands=bands)
    raw = ssb.read_jsonstat(SSB_FIXTURES / "04362_data.json")
    latest = raw[(raw["Tid"] == "2024") & (raw["Alder"] == "015-019")]
    assert pop.year == "2024" and "1. januar 2024" in pop.source and not pop.synthetic
    assert pop.cells["population"].sum() == latest["value"].sum()
    by_area = pop.cells.groupby("area_id")["population"].sum()
    in_0900 = latest.loc[latest["Region"].str.startswith("030109"), "value"].sum()
    assert by_area["03010900"] == in_0900
    assert set(by_area.index) == {"03010100", "03010900"}
    older = load_survey_population(inputs, kommune="0301", online=True, year=2023,
                                   age_bands=bands)
    assert older.year == "2023" and older.cells["population"].sum() != pop.cells[
        "population"].sum()
    weights, report = pop.weights(method="poststratify")
    cells = pop.cells.groupby(["area_id", "gender"], observed=True)["population"].sum()
    frame = inputs.survey.responses.assign(w=weights)
    got = frame.groupby(["area_id", "gender"], observed=True)["w"].sum()
    assert {(a, str(g)): v for (a, g), v in got.items()} == pytest.approx(
        {(a, str(g)): float(v) for (a, g), v in cells.items()})
    with pytest.raises(ConfigError, match="rake"):
        pop.weights(method="kalibrering")


def test_ssb_failure_online_is_not_a_crash(monkeypatch):
    def fail(*args, **kw):
        raise DataSourceError("SSB: connection refused")

    monkeypatch.setattr(ssb, "fetch_table", fail)
    pop = load_survey_population(_oslo_survey(), kommune="0301", online=True)
    assert not pop.available and "connection refused" in pop.reason
