"""Levekår sheets per zone are data (issue 17): their indicators enter the indicator table, the
composites and the levekårsindeks; a cell the kommune suppressed stays missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import indicators
from soslokal_lib.errors import ConfigError, DataSourceError
from soslokal_lib.indicators.levekar_data import read_levekar_data

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
ZONE_SHEET = SAMPLE / "levekar_fjordvik_levekarssoner.csv"
ZONES = ["Sone 1 Fjordsida", "Sone 2 Byen", "Sone 3 Nord", "Sone 4 Vest", "Sone 5 Øst",
         "Sone 6 Høgda"]
NAMES = {z: z for z in ZONES}
CHILD = {"id": "child_low_income", "direction": "lower_is_better",
         "dimension": "social_infrastructure", "unit": "prosent"}
SHEET = {"path": str(ZONE_SHEET), "indicators": {"Barn i lavinntektsfamilier (%)": CHILD}}


@pytest.fixture(scope="module")
def zone_table():
    """The sample's register per zone (crosswalk), the zone sheet applied on top."""
    from soslokal_lib.io.inputs import load_inputs, load_socio_tables

    with pytest.warns(UserWarning):
        inputs = load_inputs(SAMPLE / "stedskompass_fjordvik_soner.csv",
                             area_column="Hvilket område bor du i?",
                             areas_path=SAMPLE / "levekarssoner.geojson")
    tables = load_socio_tables(inputs, socio_path=SAMPLE / "socio_grunnkrets.csv",
                               crosswalk_path=SAMPLE / "grunnkrets_til_sone.csv", skipna=True)
    sheets = read_levekar_data([SHEET], inputs)
    plain = indicators.neighbourhood_indicators(inputs.survey, **tables.indicator_options())
    table = indicators.neighbourhood_indicators(inputs.survey, levekar=sheets,
                                                **tables.indicator_options())
    return plain, table, sheets


def test_a_sheet_value_is_in_the_indicator_table_and_the_composite(zone_table):
    _, table, sheets = zone_table
    assert table.loc["Sone 2 Byen", "child_low_income"] == 18.7
    assert table.loc["Sone 5 Øst", "crowded_housing"] == 4.2  # published beats computed
    assert "child_low_income" in indicators.core_indicators(table)
    entry = indicators.registry_table(table[["child_low_income"]]).loc["child_low_income"]
    assert (entry["direction"], entry["source"], entry["name"]) == (
        "lower_is_better", "levekar", "Barn i lavinntektsfamilier (%)")
    index = indicators.sustainability_index(table)
    assert "child_low_income" in index.attrs["indicators"]
    alone = indicators.composite(table[["child_low_income"]], "rank")
    assert alone["rank"].idxmax() == "Sone 2 Byen"  # most child poverty: ranked last
    lk = indicators.levekar_index(table)
    assert "child_low_income" in lk.attrs["indicators"]
    assert not any(e.startswith("sk_") for e in lk.attrs["indicators"])  # registers only
    assert sheets.text("nb").startswith("Levekårsarket levekar_fjordvik_levekarssoner.csv: 2 ")


def test_a_flagged_cell_stays_missing_where_the_register_has_a_value(zone_table):
    plain, table, sheets = zone_table
    assert round(plain.loc["Sone 6 Høgda", "crowded_housing"], 1) > 0  # computed: a value
    assert np.isnan(table.loc["Sone 6 Høgda", "crowded_housing"])  # the kommune hid it
    assert sheets.flagged[["area_id", "column", "flag"]].values.tolist() == [
        ["Sone 6 Høgda", "crowded_pct", "suppressed"]]
    lk = indicators.levekar_index(table)
    assert lk.notna().all()  # each zone on the indicators it has


def test_levekar_index_is_one_to_ten_with_ten_most_problems():
    table = pd.DataFrame({"low_income_pct": np.arange(10.0), "crowded_pct": np.arange(10.0)},
                         index=[f"a{i}" for i in range(10)])
    table = indicators.indicator_table(socio=table)
    lk = indicators.levekar_index(table)
    assert lk.tolist() == [float(v) for v in range(1, 11)]  # highest shares → 10
    assert indicators.INDEX_LABELS["nb"]["levekar"] == ("levekårsindeks (1–10, 10 = flest "
                                                        "utfordringer)")
    assert indicators.levekar_index(table[[]]) is None


def test_an_unknown_sheet_label_names_the_column_and_the_fix():
    with pytest.raises(DataSourceError) as err:
        read_levekar_data([{"path": str(ZONE_SHEET)}], names=NAMES)
    text = err.value.describe("en")
    assert "'Barn i lavinntektsfamilier (%)'" in text and "[levekar.indicators]" in text
    assert "= false" in text
    left_out = read_levekar_data([{"path": str(ZONE_SHEET), "indicators": {
        "Barn i lavinntektsfamilier (%)": False}}], names=NAMES)
    assert left_out.columns == ["crowded_pct"]
    builtin = read_levekar_data([{"path": str(ZONE_SHEET), "indicators": {
        "Barn i lavinntektsfamilier (%)": "persistent_low_income"}}], names=NAMES)
    assert builtin.values.loc["Sone 1 Fjordsida", "low_income_pct"] == 13.5


def test_zone_names_the_survey_lacks_and_sheets_on_another_level(tmp_path):
    with pytest.raises(DataSourceError, match="'Sone 6 Høgda'"):
        read_levekar_data([SHEET], names={z: z for z in ZONES[:5]})
    # per grunnkrets: flags only, as before
    assert read_levekar_data([{"path": str(SAMPLE / "levekar_fjordvik.csv")}],
                             names=NAMES) is None


def test_config_reads_the_sheets_indicators(tmp_path):
    from soslokal_lib.app.config import load_config

    config = load_config(ROOT / "configs" / "fjordvik_soner.toml")
    sheet = config.to_parameters()["levekar"][1]
    assert sheet["indicators"]["Barn i lavinntektsfamilier (%)"]["id"] == "child_low_income"
    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    for line, words in (('"X (%)" = "no_such_id"', "no built-in indicator"),
                        ('"X (%)" = { id = "x_share" }', "missing field 'direction'"),
                        ('"X (%)" = { id = "turnout", direction = "context" }', "built-in")):
        (tmp_path / "c.toml").write_text(
            '[kommune]\nname = "X"\n[survey]\npath = "a.csv"\n[[levekar]]\npath = "a.csv"\n'
            f"[levekar.indicators]\n{line}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            load_config(tmp_path / "c.toml")
        assert words in err.value.describe("en")


def test_verksted_shows_both_indices_labelled(zone_table):
    from soslokal_lib.app.verksted.content import levekar_index_rows

    _, table, _ = zone_table
    comp = indicators.sustainability_index(table)
    parts = levekar_index_rows(table, comp, NAMES, "nb")
    assert parts["levekar_head"] == ["Område", "indeks for sosial bærekraft (høyere = bedre)",
                                     "levekårsindeks (1–10, 10 = flest utfordringer)"]
    assert [r[0] for r in parts["levekar_rows"]][0] == comp["score"].idxmax()
    assert len(parts["levekar_rows"]) == 6


def test_only_known_labels_map_to_a_register_indicator(tmp_path):
    """Issue: «Uføretrygd (%)» became «Arbeidsledige og uføre» and «Lavinntekt (%)» became
    «Vedvarende lavinntekt» by matching the start of the label. Now a label maps only when it
    is a known one (with a qualifier after a space or «(»); the others ask for
    [levekar.indicators], all of them at once; the sample's labels keep their indicators."""
    from soslokal_lib.indicators.register_privacy import sheet_column

    assert {label: sheet_column(label) for label in (
        "Uføretrygd (%)", "Lavinntekt (%)", "Arbeidsledige (%)", "Uføre (%)",
        "Trangboddhet i kommunen", "Vedvarende lavinntekt (%)",
        "Arbeidsledige og uføre 18–66 år (%)", "Trangbodde (%)", "Lav utdanning 30–59 år (%)",
        "Medianinntekt husholdninger etter skatt (kr)", "Flytterate (per 1000)",
        "Valgdeltakelse kommunestyrevalget 2023 (%)", "Innvandrere (%)", "Innbyggere",
        "Husholdninger")} == {
        "Uføretrygd (%)": None, "Lavinntekt (%)": None, "Arbeidsledige (%)": None,
        "Uføre (%)": None, "Trangboddhet i kommunen": None,
        "Vedvarende lavinntekt (%)": "low_income_pct",
        "Arbeidsledige og uføre 18–66 år (%)": "benefits_pct", "Trangbodde (%)": "crowded_pct",
        "Lav utdanning 30–59 år (%)": "low_education_pct",
        "Medianinntekt husholdninger etter skatt (kr)": "median_income_nok",
        "Flytterate (per 1000)": "moving_rate_per_1000",
        "Valgdeltakelse kommunestyrevalget 2023 (%)": "turnout_pct",
        "Innvandrere (%)": "immigrant_pct", "Innbyggere": "population",
        "Husholdninger": "households"}
    names = {"Nord": "Nord", "Sør": "Sør"}
    sheet = tmp_path / "levekar.csv"
    sheet.write_text("Nabolag;Folketall;Lavinntekt (%);Uføretrygd (%)\nNord;100;8,1;6,0\n"
                     "Sør;200;10,5;7,5\n", encoding="utf-8")
    with pytest.raises(DataSourceError) as err:
        read_levekar_data([{"path": str(sheet), "id_column": "Nabolag"}], names=names)
    text = err.value.describe("en")
    assert "'Lavinntekt (%)'" in text and "'Uføretrygd (%)'" in text
    assert text.count("[levekar.indicators]") == 2
    data = read_levekar_data([{"path": str(sheet), "id_column": "Nabolag", "indicators": {
        "Lavinntekt (%)": "persistent_low_income", "Uføretrygd (%)": False}}], names=names)
    assert data.mapping == {"levekar.csv": {"Folketall": "population",
                                            "Lavinntekt (%)": "persistent_low_income"}}
    assert data.values["low_income_pct"].to_dict() == {"Nord": 8.1, "Sør": 10.5}
    sample = read_levekar_data([SHEET], names=NAMES)
    assert sample.mapping == {"levekar_fjordvik_levekarssoner.csv": {
        "Barn i lavinntektsfamilier (%)": "child_low_income",
        "Trangbodde (%)": "crowded_housing"}}
