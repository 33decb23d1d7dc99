"""Register figures per grunnkrets for the notebooks: load_socio_tables and the tidy socio CSV."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import indicators
from soslokal_lib.app.config import load_config
from soslokal_lib.app.report import DEFAULT_CONFIG
from soslokal_lib.errors import DataSourceError
from soslokal_lib.io.inputs import (
    SOCIO_SOURCE_SAMPLE,
    SocioTables,
    is_sample,
    load_inputs,
    load_socio_tables,
    source_line,
)
from soslokal_lib.io.sample import SAMPLE_DIR, load_sample

MINI = Path(__file__).resolve().parent / "fixtures" / "minikommune"

# Six grunnkretser of the minikommune's four delområder (99020100 Nordre … 99020400 Vestre),
# written as a Norwegian Excel would: semicolons, decimal commas, SSB's symbols for unknowns.
MINI_SOCIO = """\
area_id;area_name;population;households;low_income_pct;median_income_nok;turnout_pct
99020101;Nord 1;100;50;10,0;500 000;60
99020102;Nord 2;300;100;20,0;400 000;:
99020201;Sør 1;50;20;30,5;350 000;55
99020301;Øst 1;200;80;5;600 000;70,5
99020401;Vest 1;120;60;.;450000;65
99020402;Vest 2;80;40;12;;65
"""


@pytest.fixture(scope="module")
def sample_inputs():
    return load_inputs()


@pytest.fixture(scope="module")
def mini_inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mini")
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    return load_inputs(**load_config(folder / "minikommune.toml").input_options())


def socio_file(tmp_path: Path, text: str = MINI_SOCIO, name: str = "levekar.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(inputs, path: Path, **options) -> str:
    with pytest.raises(DataSourceError) as info:
        load_socio_tables(inputs, socio_path=path, **options)
    return str(info.value)


# --- the sample ---------------------------------------------------------------------------------


def test_the_sample_gets_its_own_tables(sample_inputs):
    tables = load_socio_tables(sample_inputs)
    sample = load_sample()
    assert isinstance(tables, SocioTables) and tables.synthetic
    assert tables.source == SOCIO_SOURCE_SAMPLE and "syntetiske" in tables.source
    pd.testing.assert_frame_equal(tables.socio, sample.socio)
    assert tables.has_geometry and len(tables.grunnkretser) == 60
    assert tables.population is sample.population or tables.population.equals(sample.population)
    assert tables.income.loc["99010200", "median_income_nok"] == 513_900
    parents = tables.parent_ids
    assert parents["99010101"] == "99010100" and parents.nunique() == 12
    assert parents.equals(sample.grunnkretser["parent_id"].astype("str").reindex(parents.index))


def test_the_sample_read_from_its_files_is_still_the_sample():
    config = load_config(DEFAULT_CONFIG)
    inputs = load_inputs(**config.input_options())
    assert not inputs.synthetic and is_sample(inputs)  # kommune 9901 exists only in the sample
    tables = load_socio_tables(inputs)
    assert tables is not None and tables.synthetic and tables.income is not None
    # The config names the sample's CSV and grunnkretser explicitly: same figures, from files.
    assert config.socio_path == SAMPLE_DIR / "socio_grunnkrets.csv"
    own = load_socio_tables(inputs, socio_path=config.socio_path,
                            grunnkrets_path=config.grunnkrets_path)
    assert own.synthetic and "syntetiske" in own.source and "socio_grunnkrets.csv" in own.source
    assert own.population is None and own.income is None and own.has_geometry
    pd.testing.assert_frame_equal(own.socio, tables.socio.astype("float64"),
                                  check_index_type=False)
    assert own.parent_ids.equals(tables.parent_ids)
    same = indicators.aggregate_socio(own.socio, own.parent_ids)
    expected = indicators.aggregate_socio(tables.socio, tables.grunnkretser)
    assert np.allclose(same["low_income_pct"], expected["low_income_pct"])


# --- a kommune's own file -----------------------------------------------------------------------


def test_own_survey_without_socio_has_none_or_says_what_to_give(mini_inputs):
    assert not is_sample(mini_inputs)
    assert load_socio_tables(mini_inputs) is None
    with pytest.raises(DataSourceError, match=r"socio_path \(\[socio\] path"):
        load_socio_tables(mini_inputs, required=True)


def test_tidy_csv_is_read_with_norwegian_numbers_and_ssb_symbols(mini_inputs, tmp_path):
    tables = load_socio_tables(mini_inputs, socio_path=socio_file(tmp_path))
    assert not tables.synthetic and not tables.has_geometry
    assert tables.grunnkretser == "delomrade" and tables.population is None
    assert tables.source == "levekårstall per grunnkrets (levekar.csv)"
    socio = tables.socio
    assert socio.index.tolist()[:2] == ["99020101", "99020102"] and socio.index.name == "area_id"
    assert socio.loc["99020101", "median_income_nok"] == 500_000  # space as thousands separator
    assert socio.loc["99020201", "low_income_pct"] == 30.5  # decimal comma
    assert np.isnan(socio.loc["99020102", "turnout_pct"])  # «:» suppressed
    assert np.isnan(socio.loc["99020401", "low_income_pct"])  # «.» unknown
    assert np.isnan(socio.loc["99020402", "median_income_nok"])  # blank
    assert socio.loc["99020102", "area_name"] == "Nord 2"
    assert tables.parent_ids.to_dict()["99020402"] == "99020400"
    assert tables.has("population", "low_income_pct") and not tables.has("crowded_pct")
    with pytest.raises(DataSourceError, match=r"levekar\.csv.*'crowded_pct'.*Fix"):
        tables.require("low_income_pct", "crowded_pct")
    # Rates are weighted by the population when grunnkretser become delområder.
    zone = indicators.aggregate_socio(socio, tables.parent_ids)
    assert zone.loc["99020100", "population"] == 400
    assert zone.loc["99020100", "low_income_pct"] == pytest.approx((100 * 10 + 300 * 20) / 400)
    assert np.isnan(zone.loc["99020400", "low_income_pct"])  # a member is unknown


def test_indicator_options_feed_the_neighbourhood_indicators(mini_inputs, tmp_path):
    tables = load_socio_tables(mini_inputs, socio_path=socio_file(tmp_path))
    table = indicators.neighbourhood_indicators(mini_inputs.survey, min_n=5,
                                                **tables.indicator_options())
    assert set(table.index) == {"99020100", "99020200", "99020300", "99020400"}
    assert table.loc["99020300", "persistent_low_income"] == 5  # registry id of low_income_pct
    assert table.loc["99020100", "median_household_income"] == pytest.approx(
        (50 * 500_000 + 100 * 400_000) / 150)  # weighted by households
    assert table.attrs["income"] == "approximated"
    assert source_line(mini_inputs, tables) == ("Kilde: Minikommune, testdata; levekårstall per "
                                                "grunnkrets (levekar.csv)")
    assert source_line(mini_inputs) == "Kilde: Minikommune, testdata"


def test_excel_lost_leading_zero_and_crlf_and_cp1252(mini_inputs, tmp_path):
    text = MINI_SOCIO.replace("\n", "\r\n")
    path = tmp_path / "cp.csv"
    path.write_bytes(text.encode("cp1252"))
    tables = load_socio_tables(mini_inputs, socio_path=path)
    assert tables.socio.loc["99020301", "area_name"] == "Øst 1"
    oslo = "area_id,population,low_income_pct,\n3010101,10,1,\n\n99020101,10,2,\n"
    socio = load_socio_tables(mini_inputs, socio_path=socio_file(tmp_path, oslo)).socio
    assert socio.index.tolist() == ["03010101", "99020101"]  # zero restored, blank row dropped
    assert list(socio.columns) == ["population", "low_income_pct"]  # trailing comma ignored
    late = "area_id,population\n99020101,10\n\n99020102,x1\n"
    assert "row 4" in error_of(mini_inputs, socio_file(tmp_path, late))  # counts blank rows


# --- errors -------------------------------------------------------------------------------------


def test_missing_area_id_column_is_named(mini_inputs, tmp_path):
    path = socio_file(tmp_path, MINI_SOCIO.replace("area_id;", "grunnkrets;"))
    message = error_of(mini_inputs, path)
    assert str(path) in message and "row 1" in message and "no column 'area_id'" in message
    assert "'grunnkrets'" in message and "Fix:" in message


def test_missing_population_column_is_named(mini_inputs, tmp_path):
    path = socio_file(tmp_path, "area_id;low_income_pct\n99020101;3\n")
    assert "no column 'population'" in error_of(mini_inputs, path)


def test_non_numeric_cell_names_file_row_column_and_value(mini_inputs, tmp_path):
    path = socio_file(tmp_path, MINI_SOCIO.replace("30,5", "høy"))
    message = error_of(mini_inputs, path)
    assert message.startswith(f"{path}: row 4, column 'E (low_income_pct)': not a number")
    assert "(value 'høy')" in message and "Fix:" in message
    two = socio_file(tmp_path, MINI_SOCIO.replace("30,5", "høy").replace("70,5", "n/a"))
    assert "… and 1 more" in error_of(mini_inputs, two)


def test_bad_and_repeated_codes_are_named(mini_inputs, tmp_path):
    bad = socio_file(tmp_path, MINI_SOCIO.replace("99020201", "Sør"))
    message = error_of(mini_inputs, bad)
    assert "row 4" in message and "not a grunnkrets code" in message and "'Sør'" in message
    twice = socio_file(tmp_path, MINI_SOCIO.replace("99020102", "99020101"))
    message = error_of(mini_inputs, twice)
    assert "row 3" in message and "more than once" in message


def test_a_likely_typo_in_a_column_name_gets_a_suggestion(mini_inputs, tmp_path):
    path = socio_file(tmp_path, MINI_SOCIO.replace("low_income_pct", "low_incme_pct"))
    assert "did you mean 'low_income_pct'" in error_of(mini_inputs, path)


def test_negative_population_and_empty_file(mini_inputs, tmp_path):
    negative = socio_file(tmp_path, MINI_SOCIO.replace(";300;", ";-300;"))
    assert "row 3" in error_of(mini_inputs, negative) and "negative" in error_of(
        mini_inputs, negative)
    assert "is empty" in error_of(mini_inputs, socio_file(tmp_path, "\n"))
    assert "no rows" in error_of(mini_inputs, socio_file(tmp_path, "area_id;population\n"))
    assert "file not found" in error_of(mini_inputs, tmp_path / "borte.csv")


def test_grunnkretser_outside_the_survey_areas_are_refused(sample_inputs, tmp_path):
    path = socio_file(tmp_path)  # the minikommune's grunnkretser against Fjordvik's survey
    message = error_of(sample_inputs, path)
    assert "99020100" in message and "99010100" in message and "none match" in message


# --- grunnkrets boundaries ----------------------------------------------------------------------


def test_grunnkrets_boundaries_give_geometry_for_the_maps(sample_inputs, tmp_path):
    sample = load_sample()
    part = sample.socio.head(20).reset_index()  # the first 20 grunnkretser only
    path = tmp_path / "gk.csv"
    part.to_csv(path, index=False)
    tables = load_socio_tables(sample_inputs, socio_path=path,
                               grunnkrets_path=SAMPLE_DIR / "grunnkretser.geojson")
    assert tables.synthetic and tables.has_geometry
    gk = tables.grunnkretser
    assert len(gk) == 60 and gk.crs.to_epsg() == 25833  # the whole kommune's boundaries
    assert list(gk.columns) == ["area_name", "parent_id", "geometry"]
    assert gk.loc["99010101", "parent_id"] == "99010100"
    assert tables.parent_ids.index.tolist() == part["area_id"].tolist()


def test_grunnkrets_boundaries_of_another_kommune_are_refused(mini_inputs, tmp_path):
    message = error_of(mini_inputs, socio_file(tmp_path),
                       grunnkrets_path=SAMPLE_DIR / "grunnkretser.geojson")
    assert "no grunnkretser of kommune 9902" in message and "9901" in message
