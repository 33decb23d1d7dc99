"""Tests for read_levekar (soslokal_lib.io.levekar) on handmade and sample levekår sheets."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import DataSourceError
from soslokal_lib.io.levekar import _numbers, read_levekar

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "levekar"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def cell(df: pd.DataFrame, area: str, indicator: str) -> pd.Series:
    found = df[(df["area_id"] == area) & (df["indicator"] == indicator)]
    assert len(found) == 1, (area, indicator)
    return found.iloc[0]


def test_rows_csv_tokens_and_numbers():
    path = FIXTURES / "soner_rader.csv"
    df = read_levekar(path)
    assert list(df.columns) == ["area_id", "area_name", "indicator", "value", "flag",
                                "flag_token"]
    assert df["value"].dtype == "float64"
    assert df["area_id"].unique().tolist() == ["99010100", "99010200", "99010300", "99010400",
                                               "9901"]
    assert len(df) == 5 * 4
    assert cell(df, "99010100", "Innbyggere")["value"] == 4512
    assert cell(df, "99010200", "Innbyggere")["value"] == 2180  # nbsp thousands separator
    assert cell(df, "99010200", "Vedvarende lavinntekt (%)")["value"] == pytest.approx(9.8)
    expected = {("99010100", "Trangbodde (%)"): ("suppressed", ":"),
                ("99010200", "Trangbodde (%)"): ("below_threshold", "<3"),
                ("99010200", "Flytterate (per 1000)"): ("missing", ".."),
                ("99010300", "Flytterate (per 1000)"): ("suppressed", "-"),
                ("99010400", "Vedvarende lavinntekt (%)"): ("missing", ".")}
    flagged = df[df["flag"].notna()]
    got = {(r.area_id, r.indicator): (r.flag, r.flag_token) for r in flagged.itertuples()}
    assert got == expected
    assert flagged["value"].isna().all()
    assert df.loc[df["flag"].isna(), "value"].notna().all()
    assert df["flag_token"].isna().sum() == len(df) - 5
    assert cell(df, "9901", "Trangbodde (%)")["area_name"] == "Fjordvik i alt"
    attrs = df.attrs
    assert attrs["orientation"] == "rows" and attrs["header_row"] == 2
    assert attrs["id_column"] == "Delområde" and attrs["name_column"] == "Navn"
    assert attrs["delimiter"] == ";" and attrs["encoding"] == "utf-8-sig"
    assert attrs["notes"][0].startswith("Levekår i Fjordvik 2024 – SYNTETISKE DATA")
    assert attrs["notes"][1].startswith("Kilde:")
    assert attrs["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_columns_csv_with_unit_and_total():
    df = read_levekar(FIXTURES / "soner_kolonner.csv")
    assert df.attrs["orientation"] == "columns"
    assert df["area_id"].unique().tolist() == ["99010100", "99010200", "total"]
    assert df["area_name"].unique().tolist() == ["Sentrum", "Havna", "Hele kommunen"]
    assert df["indicator"].unique().tolist() == ["Vedvarende lavinntekt", "Trangbodde",
                                                 "Innbyggere"]
    assert cell(df, "total", "Innbyggere")["value"] == 10947
    assert cell(df, "total", "Innbyggere")["unit"] == "antall"
    assert cell(df, "99010200", "Trangbodde")["flag"] == "below_threshold"
    assert cell(df, "99010100", "Trangbodde")["flag"] == "suppressed"
    assert cell(df, "99010100", "Vedvarende lavinntekt")["value"] == pytest.approx(12.4)


def test_xlsx_percent_cells_titles_and_sheets():
    df = read_levekar(FIXTURES / "soner_rader.xlsx")
    assert df.attrs["sheet"] == "Levekår" and df.attrs["header_row"] == 3
    assert df["area_id"].unique().tolist() == ["99010100", "99010200", "99010300"]
    lav = df[df["indicator"] == "Vedvarende lavinntekt (%)"]["value"].tolist()
    assert lav == pytest.approx([12.4, 9.8, 7.1])  # 0.124 shown as 12.4 %, text "7,1"
    assert any("formatted as percent" in c for c in df.attrs["changes"])
    blank = cell(df, "99010300", "Trangbodde (%)")
    assert blank["flag"] == "missing" and blank["flag_token"] == ""
    other = read_levekar(FIXTURES / "soner_rader.xlsx", sheet="Annet")
    assert other.attrs["orientation"] == "columns"
    assert other["value"].tolist() == [12.4, 9.8]
    assert read_levekar(FIXTURES / "soner_rader.xlsx", sheet=1).equals(other)
    with pytest.raises(DataSourceError, match="no sheet 'Data'"):
        read_levekar(FIXTURES / "soner_rader.xlsx", sheet="Data")


def test_names_only_cp1252_and_zone_names():
    path = FIXTURES / "bare_navn.csv"
    with pytest.warns(UserWarning, match="zones without codes"):
        df = read_levekar(path)
    assert df.attrs["encoding"] == "cp1252"
    assert df.attrs["name_column"] == "Levekårssone"
    assert df["area_id"].unique().tolist() == ["Sentrum", "Havna"]
    mapping = {"Sentrum": "99010100", "havna": "99010200"}
    coded = read_levekar(path, zone_names=mapping)
    assert coded["area_id"].unique().tolist() == ["99010100", "99010200"]
    assert coded["area_name"].unique().tolist() == ["Sentrum", "Havna"]
    reverse = read_levekar(path, zone_names={"99010100": "Sentrum", "99010200": "Havna"})
    assert reverse["area_id"].tolist() == coded["area_id"].tolist()


def test_unparseable_cell_names_file_row_column_value():
    path = FIXTURES / "feil_celle.csv"
    with pytest.raises(DataSourceError) as err:
        read_levekar(path)
    text = str(err.value)
    assert str(path) in text
    assert "row 3, column 'C (Trangbodde (%))'" in text
    assert "'ca. 4'" in text and "… and 1 more" in text
    second = err.value.problems[1]
    assert (second.row, second.column, second.value) == (4, "B (Lavinntekt (%))", "n/a")


@pytest.mark.parametrize(("text", "expected"), [
    ("1 234,5", 1234.5), ("1\u00a0234", 1234.0), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
    ("−3,2", -3.2), ("-3.2", -3.2), ("12 %", 12.0), ("12,5%", 12.5), ("1,234,567", 1234567.0),
    (",5", 0.5), ("7", 7.0), ("abc", np.nan), ("1,2,3", np.nan), ("12-3", np.nan), ("", np.nan),
])
def test_number_parsing(text, expected):
    got = _numbers(pd.Series([text], dtype="str"))[0]
    if np.isnan(expected):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(expected)


def test_orientation_ambiguous_and_forced(tmp_path):
    path = tmp_path / "ambig.csv"
    path.write_text("Tabell;Sentrum;Havna\nLavinntekt;12,4;9,8\nTrangbodde;3,1;4,0\n",
                    encoding="utf-8")
    with pytest.raises(DataSourceError, match="rows or columns.*orientation="):
        read_levekar(path)
    names = {"Sentrum": "99010100", "Havna": "99010200"}
    df = read_levekar(path, zone_names=names)
    assert df.attrs["orientation"] == "columns"
    assert df["area_id"].tolist() == ["99010100", "99010200"] * 2
    forced = read_levekar(path, orientation="columns", zone_names=names)
    assert forced.equals(df)
    with pytest.raises(DataSourceError, match="orientation must be"):
        read_levekar(path, orientation="wide")
    with pytest.raises(DataSourceError, match="id_column applies to sheets with zones as rows"):
        read_levekar(path, orientation="columns", id_column="Tabell")


def test_id_column_and_short_codes(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("Navn,Kommune,Andel (%)\nOslo,301,\"12,5\"\nBergen,4601,\"9,0\"\n",
                    encoding="utf-8")
    df = read_levekar(path, id_column="kommune")
    assert df["area_id"].tolist() == ["0301", "4601"]
    assert df["area_name"].tolist() == ["Oslo", "Bergen"]
    assert df["value"].tolist() == [12.5, 9.0]
    with pytest.raises(DataSourceError, match="no column 'Sone'"):
        read_levekar(path, id_column="Sone")


def test_duplicates_and_nameless_columns(tmp_path):
    dup = tmp_path / "dup.csv"
    dup.write_text("Sone;Lavinntekt\n99010100;1\n99010100;2\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="row 3: zone '99010100' has indicator "
                                              "'Lavinntekt' more than once"):
        read_levekar(dup)
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("Sone;Lavinntekt;\n99010100;1;5\n99010200;2;6\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="row 1, column 'C': the column has values but no"):
        read_levekar(nameless)


# --- the sample kommune -----------------------------------------------------------------------


@pytest.mark.parametrize("folder", [FIXTURES, SAMPLE])
def test_fjordvik_sheets_agree(folder):
    rows = read_levekar(folder / "levekar_fjordvik_soner.xlsx")
    cols = read_levekar(folder / "levekar_fjordvik_indikatorer.csv")
    assert rows.attrs["orientation"] == "rows" and cols.attrs["orientation"] == "columns"
    assert "SYNTETISKE DATA" in rows.attrs["notes"][0]
    assert "SYNTETISKE DATA" in cols.attrs["notes"][0]
    zones = [f"9901{i:02d}00" for i in range(1, 13)] + ["9901"]
    assert rows["area_id"].unique().tolist() == zones
    assert rows["area_name"].unique().tolist()[:3] == ["Sentrum", "Havna", "Nordbyen"]
    assert rows["area_name"].unique().tolist()[11:] == ["Øyane", "Fjordvik i alt"]
    assert rows["indicator"].nunique() == 9 and len(rows) == 13 * 9
    merged = rows.merge(cols, on=["area_id", "indicator"], validate="one_to_one")
    assert len(merged) == len(rows)
    assert np.allclose(merged["value_x"], merged["value_y"], equal_nan=True)
    assert (merged["flag_x"].fillna("") == merged["flag_y"].fillna("")).all()
    hidden = rows[rows["flag"] == "suppressed"]
    assert set(hidden["area_id"]) == {"99011100", "99011200"}  # Brattvoll, Øyane: few people
    assert (hidden["flag_token"] == ":").all()
    assert rows[rows["area_id"] == "9901"]["flag"].isna().all()


def test_fjordvik_sheets_derive_from_socio_grunnkrets():
    """The zone sheet's figures are the population-weighted grunnkrets figures, checked by hand
    (not with geo.aggregate_areas, which made the sheet)."""
    socio_path = SAMPLE / "socio_grunnkrets.csv"
    if not socio_path.is_file():
        pytest.skip("data/sample/socio_grunnkrets.csv not generated")
    rows = read_levekar(SAMPLE / "levekar_fjordvik_soner.xlsx")
    wide = rows.pivot(index="area_id", columns="indicator", values="value")
    low, turnout = "Vedvarende lavinntekt (%)", "Valgdeltakelse kommunestyrevalget 2023 (%)"
    # Sentrum (99010100) by hand from its five grunnkretser 99010101–05 in socio_grunnkrets.csv:
    # population 861 + 419 + 957 + 485 + 399 = 3121;
    # low income (861·13.8 + 419·11.0 + 957·6.7 + 485·8.2 + 399·5.1) / 3121 = 28914.6 / 3121 = 9.26;
    # turnout (861·58.5 + 419·60.3 + 957·63.4 + 485·65.2 + 399·65.2) / 3121 = 193944.8 / 3121
    # = 62.14
    assert wide.loc["99010100", "Innbyggere"] == 3121
    assert wide.loc["99010100", low] == 9.3
    assert wide.loc["99010100", turnout] == 62.1
    # every delområde (KKKKDD00: the grunnkrets code's first six digits) the same way
    socio = pd.read_csv(socio_path, dtype={"area_id": "str"})
    zone = socio["area_id"].str[:6] + "00"
    population = socio.groupby(zone)["population"].sum()
    weighted = socio[["low_income_pct", "turnout_pct"]].mul(socio["population"], axis=0)
    rates = weighted.groupby(zone).sum().div(population, axis=0)
    assert len(population) == 12
    assert wide.loc[population.index, "Innbyggere"].tolist() == population.tolist()
    assert wide.loc["9901", "Innbyggere"] == socio["population"].sum() == 27_820
    shown = wide.loc[population.index, low].dropna()
    assert shown.index.tolist() == population.index.drop(["99011100", "99011200"]).tolist()
    assert shown.to_numpy() == pytest.approx(rates.loc[shown.index, "low_income_pct"].round(1))
    votes = wide.loc[population.index, turnout].dropna()
    assert votes.to_numpy() == pytest.approx(rates.loc[votes.index, "turnout_pct"].round(1))


def test_generator_levekar_sheet_if_present():
    path = SAMPLE / "levekar_fjordvik.csv"
    if not path.is_file():
        pytest.skip("data/sample/levekar_fjordvik.csv not generated")
    df = read_levekar(path)
    text = path.read_bytes().decode("cp1252")
    assert df.attrs["orientation"] == "rows" and df.attrs["id_column"] == "Grunnkrets"
    assert (df["flag"] == "suppressed").sum() == text.count(";:")
    assert df["area_id"].str.fullmatch(r"9901\d{4}|9901").all()
