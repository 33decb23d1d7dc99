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
    text = " ".join(err.value.describe_all())  # one problem per label
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


# --- a sheet per neighbourhood of the boundary file, with a tiny neighbourhood (Elvestad) -------


def _elvestad_data(tmp_path, areas: str = "", sheet: str | None = None):
    from _elvestad_levekar import SHEET as ELVESTAD_SHEET
    from _elvestad_levekar import elvestad

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import config_inputs

    config = load_config(elvestad(tmp_path / "elvestad", areas=areas,
                                  sheet=sheet or ELVESTAD_SHEET))
    inputs = config_inputs(config)
    return read_levekar_data(config.to_parameters()["levekar"], inputs), inputs


MERGE = 'merge = { "Nordre" = "Østsiden" }'


def test_a_sheet_per_neighbourhood_serves_a_merged_area(tmp_path):
    """Nordre (3 answers) joins Østsiden: the merged area's figures are the two rows combined,
    counts summed and rates population-weighted; Østsiden's suppressed crowding stays missing
    (with Nordre's published figure it would give Østsiden's back). It failed with «sonene
    'Nordre', 'Østsiden og Nordre' i arket er ikke områder»."""
    data, inputs = _elvestad_data(tmp_path, MERGE)
    assert inputs.names["Østsiden"] == "Østsiden og Nordre"
    v = data.values
    assert sorted(v.index) == ["Elvebredden", "Sentrum", "Vestbyen", "Østsiden"]
    assert v.loc["Østsiden", "population"] == 740
    assert v.loc["Østsiden", "low_income_pct"] == pytest.approx((700 * 12 + 40 * 9) / 740)
    assert v.loc["Østsiden", "immigrant_pct"] == pytest.approx((700 * 8 + 40 * 3) / 740)
    assert np.isnan(v.loc["Østsiden", "crowded_pct"])
    assert data.flagged[["area_id", "column", "flag"]].values.tolist() == [
        ["Østsiden", "crowded_pct", "suppressed"]]
    assert v.loc["Sentrum", "low_income_pct"] == 8.0  # the others as the sheet gives them
    from soslokal_lib._messages import tr

    (note,) = data.notes  # check says why the merged area has no crowding figure
    assert "«Østsiden og Nordre» får ikke 'Trangbodde (%)' fra arket: tallene for «Østsiden» " \
           "er prikket (:)" in tr(note, "nb")


def test_merge_small_with_a_sheet_per_neighbourhood(tmp_path):
    """``merge_small = "neighbour"`` puts Nordre into Elvebredden (the neighbour with the
    fewest answers that gives min_n on every theme): Elvebredden og Nordre gets both rows,
    and the 0,5 % immigrant share of 800 (4 people) no longer stands alone: 840 people,
    (800·0,5 + 40·3) / 840 % concerns 5,2 people, shown."""
    data, inputs = _elvestad_data(tmp_path, 'merge_small = "neighbour"')
    assert inputs.names["Elvebredden"] == "Elvebredden og Nordre"
    v = data.values
    assert v.loc["Elvebredden", "population"] == 840
    assert v.loc["Elvebredden", "low_income_pct"] == pytest.approx((800 * 14 + 40 * 9) / 840)
    assert v.loc["Elvebredden", "immigrant_pct"] == pytest.approx((800 * 0.5 + 40 * 3) / 840)
    assert v.loc["Østsiden", "population"] == 700 and np.isnan(v.loc["Østsiden", "crowded_pct"])


def test_a_merged_area_named_by_its_merged_name_in_the_sheet(tmp_path):
    """A row «Østsiden og Nordre» gives the merged area's figures as published; its flagged
    cell stays missing; a part's row next to it does not change what was published."""
    sheet = ("Nabolag;Innbyggere;Vedvarende lavinntekt (%);Trangbodde (%)\n"
             "Sentrum;1200;8,0;6,0\nVestbyen;900;10,0;5,0\nElvebredden;800;14,0;9,0\n"
             "Østsiden og Nordre;745;11,5;:\n")
    data, _ = _elvestad_data(tmp_path, MERGE, sheet)
    assert data.values.loc["Østsiden", "population"] == 745
    assert data.values.loc["Østsiden", "low_income_pct"] == 11.5
    assert np.isnan(data.values.loc["Østsiden", "crowded_pct"])
    assert data.flagged["area_id"].tolist() == ["Østsiden"]
    both = sheet + "Nordre;40;9,0;4,0\n"
    data, _ = _elvestad_data(tmp_path / "both", MERGE, both)
    assert data.values.loc["Østsiden", "low_income_pct"] == 11.5


def test_a_merged_area_without_every_part_gets_no_figures_and_says_why(tmp_path):
    """Without Nordre's row the merged area's figures cannot be added up: missing (never
    Østsiden's alone), and a note names the row to add."""
    sheet = "\n".join(line for line in __import__("_elvestad_levekar").SHEET.splitlines()
                      if not line.startswith("Nordre")) + "\n"
    data, _ = _elvestad_data(tmp_path, MERGE, sheet)
    assert data.values.loc["Østsiden"].isna().all()
    from soslokal_lib._messages import tr

    note = tr(data.notes[0], "nb")
    assert "ingen rad for «Nordre»" in note and "«Østsiden og Nordre»" in note


def test_a_merged_area_whose_part_is_suppressed_says_which_row_to_add(tmp_path):
    """A part's row is there but its cells are suppressed («:», as for a tiny island in a new
    user's trial): the merged area stays without those figures (with the other part's
    published figure they would give the suppressed ones back), and check's note says so and
    names the row to add; a row by the merged name then gives the figures, and no note."""
    from _elvestad_levekar import SHEET as ELVESTAD_SHEET

    from soslokal_lib._messages import tr

    sheet = ELVESTAD_SHEET.replace("Nordre;40;9,0;4,0;3,0", "Nordre;40;:;:;:")
    data, _ = _elvestad_data(tmp_path, MERGE, sheet)
    v = data.values
    assert v.loc["Østsiden", "population"] == 740
    assert v.loc["Østsiden", ["low_income_pct", "crowded_pct", "immigrant_pct"]].isna().all()
    (note,) = data.notes
    text = tr(note, "nb")
    # (crowding: suppressed for both parts, so no figure was to be had anyway)
    assert ("«Østsiden og Nordre» får ikke 'Vedvarende lavinntekt (%)', 'Innvandrere (%)' "
            "fra arket: tallene for «Nordre» er prikket (:)") in text
    assert "legg til én rad med navnet «Østsiden og Nordre»" in text
    assert "gets no 'Vedvarende lavinntekt (%)'" in tr(note, "en")
    # check shows it among its notes
    from _elvestad_levekar import elvestad

    from soslokal_lib.app.check import check_inputs
    from soslokal_lib.app.config import load_config

    result = check_inputs(load_config(elvestad(tmp_path / "check", areas=MERGE, sheet=sheet)))
    assert any("legg til én rad med navnet «Østsiden og Nordre»" in tr(n, "nb")
               for n in result.notes), [tr(n, "nb") for n in result.notes]
    # the row it asks for: figures, and nothing to say
    whole = sheet + "Østsiden og Nordre;740;11,9;7,0;7,9\n"
    data, _ = _elvestad_data(tmp_path / "whole", MERGE, whole)
    assert data.values.loc["Østsiden", "low_income_pct"] == 11.9
    assert data.notes == ()
    # an empty cell: the figures cannot be added up
    blank = ELVESTAD_SHEET.replace("Nordre;40;9,0;4,0;3,0", "Nordre;40;;4,0;3,0")
    data, _ = _elvestad_data(tmp_path / "blank", MERGE, blank)
    assert np.isnan(data.values.loc["Østsiden", "low_income_pct"])
    texts = [tr(n, "nb") for n in data.notes]
    assert len(texts) == 2 and "'Vedvarende lavinntekt (%)' fra arket: tallene for «Nordre» " \
           "er tomme der, og tallene kan ikke legges sammen uten alle delene" in texts[0]
    assert "'Trangbodde (%)' fra arket: tallene for «Østsiden» er prikket (:)" in texts[1]


def test_an_unknown_zone_with_merged_areas_names_every_area_and_the_merged_name(tmp_path):
    sheet = "Nabolag;Innbyggere;Vedvarende lavinntekt (%)\nSentrum;1200;8\nVestbyen;900;9\n" \
            "Østsiden;700;9\nElvebredden;800;9\nNordre;40;9\nNordre og Østsiden;740;9\n"
    with pytest.raises(DataSourceError) as err:
        _elvestad_data(tmp_path, MERGE, sheet)
    from soslokal_lib._messages import tr

    text = tr(err.value.args[0], "nb")
    assert "sonene 'Nordre og Østsiden' i arket" in text
    for name in ("'Sentrum'", "'Vestbyen'", "'Østsiden'", "'Elvebredden'", "'Nordre'",
                 "'Østsiden og Nordre'"):
        assert name in text


def test_a_merged_area_needs_the_population_to_weigh_its_rates(tmp_path):
    sheet = "Nabolag;Vedvarende lavinntekt (%)\nSentrum;8\nVestbyen;9\nØstsiden;9\n" \
            "Elvebredden;9\nNordre;9\n"
    with pytest.raises(DataSourceError) as err:
        _elvestad_data(tmp_path, MERGE, sheet)
    from soslokal_lib._messages import tr

    text = tr(err.value.args[0], "nb")
    assert "«Østsiden og Nordre»" in text and "«Innbyggere»" in text


def test_sheet_rates_of_too_few_people_are_not_shown(tmp_path):
    """Without merging, Nordre (40 inhabitants) shows no rates and Elvebredden's immigrant
    share (4 people) is hidden, as register figures from grunnkretser are; the population
    stays."""
    data, _ = _elvestad_data(tmp_path)
    v = data.values
    assert v.loc["Nordre", "population"] == 40
    assert v.loc["Nordre", ["low_income_pct", "crowded_pct", "immigrant_pct"]].isna().all()
    assert np.isnan(v.loc["Elvebredden", "immigrant_pct"])
    assert v.loc["Elvebredden", "low_income_pct"] == 14.0
    hidden = data.hidden.sort_values(["area_id", "column"]).values.tolist()
    assert hidden == [["Elvebredden", "immigrant_pct", "count"],
                      ["Nordre", "crowded_pct", "population"],
                      ["Nordre", "immigrant_pct", "population"],
                      ["Nordre", "low_income_pct", "population"]]
