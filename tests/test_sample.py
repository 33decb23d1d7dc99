"""The bundled synthetic municipality «Fjordvik»: files, loader, planted truths, determinism."""

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import THEMES, SoslokalError
from soslokal_lib.io.sample import (
    AGE_GROUPS,
    SAMPLE_DIR,
    SURVEY_AGE_BANDS,
    Sample,
    load_sample,
    survey_columns,
)

ROOT = Path(__file__).resolve().parents[1]
DELOMRADER = ["Sentrum", "Havna", "Nordbyen", "Solåsen", "Vestre Strand", "Bekkeli", "Furumo",
              "Kirkebakken", "Storhaugen", "Lia", "Brattvoll", "Øyane"]
SCORE_HEADERS = [f"{t.number}. {t.name_nb}" for t in THEMES]
GENERATED = [   # everything generate.py writes (other scripts may add files beside them)
    "grunnkretser.geojson", "delomrader.geojson", "ssb_04362_befolkning_alder_kjonn.json",
    "ssb_04317_befolkning_grunnkrets.json", "ssb_06944_inntekt_delomrade.json",
    "levekar_fjordvik.csv", "socio_grunnkrets.csv", "stedskompass_fjordvik.csv",
    "stedskompass_fjordvik.xlsx", "planted_personal_data.csv", "truth.csv",
    "truth_grunnkrets.csv", "stedskompass_fjordvik_2021.csv", "truth_rounds.csv",
    "runder_crosswalk.csv",
]
SCORE_CELL = re.compile(r"^([2-6]|1 – Mye å forbedre|7 – Lite å forbedre|Vet ikke|)$")


@pytest.fixture(scope="module")
def sample() -> Sample:
    return load_sample()


def _read_raw(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE_DIR / name, sep=";", encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return _read_raw("stedskompass_fjordvik.csv")


@pytest.fixture(scope="module")
def raw_2021() -> pd.DataFrame:
    return _read_raw("stedskompass_fjordvik_2021.csv")


def _jsonstat(name):
    return json.loads((SAMPLE_DIR / name).read_text(encoding="utf-8"))


# --- boundaries ---------------------------------------------------------------------------------


def test_area_codes_names_and_hierarchy(sample):
    areas, gk = sample.areas, sample.grunnkretser
    assert list(areas.index) == [f"9901{i:02d}00" for i in range(1, 13)]
    assert list(areas["area_name"]) == DELOMRADER
    assert (areas["parent_id"] == "9901").all()
    assert 55 <= len(gk) <= 65
    assert gk.index.str.fullmatch(r"9901(0[1-9]|1[0-2])\d\d").all()
    assert (gk.index.str[:6] + "00" == gk["parent_id"]).all()
    assert set(gk["parent_id"]) == set(areas.index)
    for _, group in gk.groupby("parent_id"):   # GG runs 01, 02, … in each delområde
        assert list(group.index.str[6:]) == [f"{i:02d}" for i in range(1, len(group) + 1)]
    assert gk["area_name"].is_unique and gk["area_name"].notna().all()
    assert len(gk.loc[gk["parent_id"] == "99011200"]) == 2     # Øyane: two islands


def test_geometries_valid_without_overlaps(sample):
    areas, gk = sample.areas, sample.grunnkretser
    for frame in (areas, gk):
        assert frame.crs.to_epsg() == 25833
        assert frame.geometry.is_valid.all()
        assert (frame.geometry.area > 10_000).all()
        union = frame.geometry.union_all()
        assert frame.geometry.area.sum() == pytest.approx(union.area, rel=1e-6)
    assert areas.geometry.union_all().symmetric_difference(gk.geometry.union_all()).area < 1_000
    dissolved = gk.dissolve("parent_id").geometry
    for code, geom in areas.geometry.items():
        assert geom.symmetric_difference(dissolved[code]).area < 100, code
    kinds = areas.geom_type
    assert (kinds.drop("99011200") == "Polygon").all()          # mainland areas are contiguous
    assert kinds["99011200"] == "MultiPolygon"
    x, y = gk.geometry.union_all().centroid.xy
    assert 290_000 < x[0] < 310_000 and 6_640_000 < y[0] < 6_660_000


def test_geojson_files_are_rounded_and_declare_crs():
    for name in ("grunnkretser.geojson", "delomrader.geojson"):
        doc = json.loads((SAMPLE_DIR / name).read_text(encoding="utf-8"))
        assert "25833" in doc["crs"]["properties"]["name"]
        coords = re.findall(r"-?\d+(?:\.\d+)?", json.dumps(
            [f["geometry"]["coordinates"] for f in doc["features"]]))
        assert coords and all("." not in c for c in coords)
    props = json.loads((SAMPLE_DIR / "grunnkretser.geojson").read_text(encoding="utf-8"))
    first = props["features"][0]["properties"]
    assert set(first) == {"grunnkretsnummer", "grunnkretsnavn", "delomradenummer",
                          "kommunenummer"}
    assert first["kommunenummer"] == "9901"


# --- population and socioeconomic tables ---------------------------------------------------------


def test_population_tables_agree(sample):
    pop = sample.population
    assert list(pop.columns) == ["area_id", "sex", "age", "value"]
    assert list(pop["age"].cat.categories) == list(AGE_GROUPS)
    assert set(pop["sex"]) == {"Menn", "Kvinner"}
    assert len(pop) == len(sample.grunnkretser) * 2 * 19
    assert not pop["value"].isin([1, 2]).any()          # SSB's rule: 1 and 2 become 0 or 3
    per_gk = pop.groupby("area_id")["value"].sum()
    doc = _jsonstat("ssb_04317_befolkning_grunnkrets.json")
    codes = list(doc["dimension"]["Grunnkretser"]["category"]["index"])
    from_04317 = pd.Series(doc["value"], index=codes)
    assert (per_gk.reindex(codes) == from_04317).all()
    assert (sample.socio["population"].reindex(codes) == from_04317).all()
    assert 20_000 < per_gk.sum() < 35_000
    assert per_gk.min() < 50        # a few tiny zones for suppression
    income = sample.income
    assert income.loc["9901", "households"] == sample.socio["households"].sum()
    assert np.isnan(income.loc["99011200", "median_income_nok"])     # suppressed (':')


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # raised inside pyjstat itself
def test_jsonstat_documents_read_the_same_with_pyjstat(sample):
    from pyjstat import pyjstat

    from soslokal_lib.io.ssb import read_jsonstat

    for name, ids in (("ssb_04362_befolkning_alder_kjonn.json",
                       ["Region", "Kjonn", "Alder", "ContentsCode", "Tid"]),
                      ("ssb_04317_befolkning_grunnkrets.json",
                       ["Grunnkretser", "ContentsCode", "Tid"]),
                      ("ssb_06944_inntekt_delomrade.json",
                       ["Region", "HusholdType", "ContentsCode", "Tid"])):
        text = (SAMPLE_DIR / name).read_text(encoding="utf-8")
        doc = json.loads(text)
        assert doc["version"] == "2.0" and doc["class"] == "dataset"
        assert doc["id"] == ids and "SYNTETISKE DATA" in doc["note"][0]
        theirs = pyjstat.Dataset.read(text).write("dataframe", naming="id")
        ours = read_jsonstat(SAMPLE_DIR / name)
        assert len(theirs) == len(ours) == int(np.prod(doc["size"]))
        for dim in ids:
            assert list(theirs[dim].astype(str)) == list(ours[dim])
        np.testing.assert_array_equal(theirs["value"].astype(float), ours["value"])
    status = read_jsonstat(SAMPLE_DIR / "ssb_06944_inntekt_delomrade.json")
    assert list(status.loc[status["status"].notna() & (status["status"] != ""), "Region"]) == [
        "99011200"]
    pop = read_jsonstat(SAMPLE_DIR / "ssb_04362_befolkning_alder_kjonn.json")
    assert list(pop["Alder"].unique()) == list(AGE_GROUPS)
    assert list(pop["Kjonn_label"].unique()) == ["Menn", "Kvinner"]


def test_socio_has_a_spatially_clustered_deprivation_gradient(sample):
    s = sample.socio
    expected = {"population", "households", "median_income_nok", "low_income_pct",
                "low_education_pct", "crowded_pct", "moving_rate_per_1000", "immigrant_pct",
                "turnout_pct", "benefits_pct"}
    assert set(s.columns) == expected and s.index.name == "area_id"
    corr = s.corr(method="spearman")
    assert corr.loc["low_income_pct", "median_income_nok"] < -0.6
    assert corr.loc["low_income_pct", "turnout_pct"] < -0.6
    for col in ("low_education_pct", "crowded_pct", "immigrant_pct", "benefits_pct",
                "moving_rate_per_1000"):
        assert corr.loc["low_income_pct", col] > 0.6, col
    assert s["low_income_pct"].between(1, 40).all() and s["turnout_pct"].between(30, 85).all()
    # spatial clustering: a grunnkrets resembles its neighbours (mainland only)
    gk = sample.grunnkretser.drop(sample.grunnkretser.index[
        sample.grunnkretser["parent_id"] == "99011200"])
    li = s["low_income_pct"].reindex(gk.index)
    nb_mean = pd.Series({code: li[gk.index[gk.geometry.touches(geom)]].mean()
                         for code, geom in gk.geometry.items()})
    assert np.corrcoef(li, nb_mean.reindex(li.index))[0, 1] > 0.5


def test_levekar_sheet_matches_socio(sample):
    text = (SAMPLE_DIR / "levekar_fjordvik.csv").read_bytes().decode("cp1252")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Grunnkrets", "Navn", "Innbyggere"] and len(header) == 11
    assert len(body) == len(sample.grunnkretser) + 1 and body[-1][0] == "9901"
    table = pd.DataFrame(body[:-1], columns=header).set_index("Grunnkrets")
    suppressed = table == ":"
    assert 5 <= int(suppressed.to_numpy().sum()) <= 40
    tiny = sample.socio.index[sample.socio["population"] < 50]
    assert len(tiny) >= 2 and suppressed.loc[tiny].iloc[:, 2:].all().all()
    low_income = table["Vedvarende lavinntekt (%)"]
    shown = low_income[low_income != ":"].str.replace(",", ".").astype(float)
    assert "," in low_income[low_income != ":"].iloc[0]
    assert (shown == sample.socio.loc[shown.index, "low_income_pct"]).all()


# --- survey --------------------------------------------------------------------------------------


def test_survey_csv_is_shaped_like_a_tool_export(raw):
    head = (SAMPLE_DIR / "stedskompass_fjordvik.csv").read_bytes()[:3]
    assert head == b"\xef\xbb\xbf"                                  # UTF-8 with BOM
    expected = ["Respondent-ID", "Tidspunkt", "Hvilket område bor du i?", "Alder", "Kjønn"]
    for h in SCORE_HEADERS:
        expected += [h, f"{h} – Hva er bra nå?", f"{h} – Hva kan bli bedre?"]
    assert list(raw.columns) == [*expected, "Andre kommentarer"]
    assert 750 <= len(raw) <= 850 and raw["Respondent-ID"].is_unique
    assert set(raw["Hvilket område bor du i?"]) == set(DELOMRADER)
    assert set(raw["Alder"]) <= {"15–29", "30–44", "45–64", "65+", ""}
    gender = raw["Kjønn"].value_counts(normalize=True)
    assert set(gender.index) == {"Kvinne", "Mann", "Vil ikke svare"}
    assert 0.01 <= gender["Vil ikke svare"] <= 0.04
    cells = raw[SCORE_HEADERS].stack()
    assert cells.map(lambda c: bool(SCORE_CELL.match(c))).all()     # extremes always labelled
    assert 0.03 <= (cells == "Vet ikke").mean() <= 0.07
    assert 0.005 <= (cells == "").mean() <= 0.05
    comments = raw.drop(columns=expected[:5] + SCORE_HEADERS).stack()
    comments = comments[comments != ""]
    assert 500 <= len(comments) <= 1_200 and comments.nunique() > 200
    assert not comments.str.match(r"^[=+\-@]").any()                 # nothing formula-like


def test_survey_xlsx_matches_csv(raw):
    from openpyxl import load_workbook

    ws = load_workbook(SAMPLE_DIR / "stedskompass_fjordvik.xlsx", read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Stedskompasset Fjordvik 2025 – SYNTETISKE DATA"
    assert list(rows[1]) == list(raw.columns)
    body = pd.DataFrame(rows[2:], columns=raw.columns).fillna("").astype(str)
    pd.testing.assert_frame_equal(body, raw, check_dtype=False)


def test_planted_personal_data_is_listed_and_present(raw):
    planted = pd.read_csv(SAMPLE_DIR / "planted_personal_data.csv", dtype=str)
    assert planted["kind"].value_counts().to_dict() == {
        "phone": 10, "email": 6, "fodselsnummer": 3, "address": 3}
    cells = raw.set_index("Respondent-ID")
    for row in planted.itertuples():
        assert row.planted in cells.at[row.respondent_id, row.column], row
    assert planted.loc[planted["kind"] == "email", "planted"].str.endswith("@example.no").all()
    for fnr in planted.loc[planted["kind"] == "fodselsnummer", "planted"]:
        digits = [int(c) for c in fnr.replace(" ", "")]
        assert len(digits) == 11 and int(fnr[2:4]) > 80    # synthetic (Tenor) month + 80
        k1 = (11 - sum(w * d for w, d in zip([3, 7, 6, 1, 8, 9, 4, 5, 2], digits[:9], strict=True))) % 11
        k2 = (11 - sum(w * d for w, d in zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2], digits[:10], strict=True))) % 11
        assert digits[9:] == [k1, k2]
    # no personal data anywhere except in the listed cells
    text_cols = [c for c in raw.columns if "–" in c or c == "Andre kommentarer"]
    long = raw.set_index("Respondent-ID")[text_cols].stack()
    long = long[long != ""]
    listed = set(zip(planted["respondent_id"], planted["column"], strict=True))
    pattern = r"@|(?:\d ?){7}\d|\b[A-ZÆØÅ][a-zæøå]+(?:gata|veien) \d"
    hits = set(long.index[long.str.contains(pattern, regex=True)])
    assert hits == listed


def test_survey_loads_with_read_survey(sample, raw):
    r = sample.survey.responses
    assert len(r) == len(raw) and set(r["area_id"]) == set(sample.areas.index)
    assert sample.survey.themes == [t.code for t in THEMES]
    assert sample.survey.scale == 7
    assert r.index.equals(pd.Index(raw["Respondent-ID"], dtype="string", name="respondent_id"))
    kinds = sample.survey.comments["kind"].value_counts()
    assert {"good", "improve", "other"} <= set(kinds.index)


def test_survey_xlsx_reads_like_the_csv(sample):
    from soslokal_lib import read_survey

    codes = dict(zip(sample.areas["area_name"], sample.areas.index, strict=True))
    xlsx = read_survey(SAMPLE_DIR / "stedskompass_fjordvik.xlsx", survey_columns(),
                       area_codes=codes)
    pd.testing.assert_frame_equal(xlsx.responses, sample.survey.responses)


# --- planted truths ------------------------------------------------------------------------------


def test_response_is_unequal_by_age_and_area(sample):
    r = sample.survey.responses
    pop = sample.population.assign(band=sample.population["age"].astype(str).map(
        {a: b for b, ages in SURVEY_AGE_BANDS.items() for a in ages})).dropna(subset=["band"])
    pop_share = pop.groupby("band")["value"].sum() / pop["value"].sum()
    rate = r["age_group"].astype(str).value_counts(normalize=True).reindex(pop_share.index)
    ratio = rate / pop_share
    assert ratio["45–64"] > 1.4 and ratio["15–29"] < 0.6 and ratio["65+"] < 0.95
    per_area = r.groupby("area_id").size()
    assert per_area["99011200"] < 10                               # Øyane: a handful
    oyane = r[r["area_id"] == "99011200"]
    assert (oyane[sample.survey.themes].notna().sum() < 5).any()   # suppression will show
    # deprived areas answer less: response rate falls with the low-income share
    adults = pop.merge(sample.grunnkretser[["parent_id"]], left_on="area_id", right_index=True)
    rate_area = per_area / adults.groupby("parent_id")["value"].sum()
    s = sample.socio.join(sample.grunnkretser["parent_id"])
    li = (s["low_income_pct"] * s["population"]).groupby(s["parent_id"]).sum() / s.groupby(
        "parent_id")["population"].sum()
    assert rate_area.corr(li, method="spearman") < -0.5


def test_truth_table_and_deprivation_effects(sample):
    t = sample.truth
    assert len(t) == 13 * 14 and set(t["area_id"]) == {"9901", *sample.areas.index}
    assert t["mean"].between(1, 7).all() and t["share_low"].between(0, 1).all()
    assert (t["share_low"] + t["share_high"] <= 1).all()
    dep = pd.read_csv(SAMPLE_DIR / "truth_grunnkrets.csv", dtype=str).astype(
        {"deprivation": float})
    assert dep["deprivation"].corr(sample.socio["low_income_pct"].reindex(dep["area_id"])
                                   .reset_index(drop=True)) > 0.8
    wide = t[t["area_id"] != "9901"].pivot(index="area_id", columns="theme", values="mean")
    s = sample.socio.join(sample.grunnkretser["parent_id"])
    li = (s["low_income_pct"] * s["population"]).groupby(s["parent_id"]).sum() / s.groupby(
        "parent_id")["population"].sum()
    most, least = li.idxmax(), li.idxmin()
    for theme in ("feeling_safe", "care_maintenance", "influence_control", "housing_community"):
        assert wide.at[least, theme] - wide.at[most, theme] > 0.8, theme
        assert wide[theme].corr(li) < -0.7, theme
    for theme in ("natural_space", "public_transport"):
        assert wide[theme].max() - wide[theme].min() < 0.5, theme
    # the sample shows the gradient too
    means = sample.survey.responses.groupby("area_id")["feeling_safe"].mean().astype(float)
    assert means.drop("99011200").corr(li.drop("99011200"), method="spearman") < -0.5


def test_unequal_response_biases_the_unweighted_estimate(sample):
    r = sample.survey.responses
    truth = sample.truth.set_index(["area_id", "theme"])["mean"]
    unweighted = r["feeling_safe"].astype(float).mean()
    assert unweighted - truth["9901", "feeling_safe"] > 0.1
    pop = sample.population.assign(band=sample.population["age"].astype(str).map(
        {a: b for b, ages in SURVEY_AGE_BANDS.items() for a in ages})).dropna(subset=["band"])
    share = pop.groupby("band")["value"].sum() / pop["value"].sum()
    w = r["age_group"].astype(str).map(share / r["age_group"].astype(str).value_counts(
        normalize=True))
    ok = r["feeling_safe"].notna() & w.notna()
    weighted = np.average(r.loc[ok, "feeling_safe"].astype(float), weights=w[ok])
    assert abs(weighted - truth["9901", "feeling_safe"]) < abs(
        unweighted - truth["9901", "feeling_safe"])


# --- loader and generator ------------------------------------------------------------------------


def test_load_sample_describes_itself(sample):
    assert "SYNTETISKE" in sample.description and "fiktiv" in sample.description
    assert "\n" not in sample.description
    assert "synthetic" in repr(sample) and "Fjordvik" in repr(sample)
    assert sample.socio.index.equals(sample.grunnkretser.index)
    with pytest.raises(AttributeError):
        sample.description = "x"


def test_load_sample_missing_folder(tmp_path):
    with pytest.raises(SoslokalError, match="generate.py"):
        load_sample(tmp_path / "nowhere")


def _cells(path):
    """Every sheet's cell values, in order: what a reader of the workbook sees."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}


def test_generator_is_deterministic(tmp_path):
    subprocess.run([sys.executable, str(SAMPLE_DIR / "generate.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True, cwd=ROOT)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(GENERATED)
    for name in made:
        if name.endswith(".xlsx"):  # bytes depend on the XML writer openpyxl finds (lxml or not)
            assert _cells(tmp_path / name) == _cells(SAMPLE_DIR / name), (
                f"{name} differs from the committed file; rerun generate.py")
            continue
        a = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        b = hashlib.sha256((SAMPLE_DIR / name).read_bytes()).hexdigest()
        assert a == b, f"{name} differs from the committed file; rerun generate.py"
    total = sum(p.stat().st_size for p in SAMPLE_DIR.iterdir())
    assert total < 3_000_000


# --- the earlier round (2021) --------------------------------------------------------------------

OLD_NAMES = ["Sentrum", "Havna", "Nordbyen", "Solåsen", "Strand", "Øvre Bekkeli", "Nedre Bekkeli",
             "Furumo", "Kirkebakken", "Storhaugen", "Lia", "Brattvoll", "Øyane"]
PLANTED = {("99010900", "feeling_safe"): 1.6, ("99011000", "public_transport"): -1.6}


def _generator():
    """data/sample/generate.py as a module (it is a script, not part of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fjordvik_generate", SAMPLE_DIR / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _scores(raw: pd.DataFrame) -> pd.DataFrame:
    """Scores 1–7 by theme code (NaN for «Vet ikke» and blanks), with the area name."""
    out = {"area": raw["Hvilket område bor du i?"]}
    for t, head in zip(THEMES, SCORE_HEADERS, strict=True):
        first = raw[head].str[:1]
        out[t.code] = pd.to_numeric(first.where(first.str.fullmatch(r"\d")), errors="coerce")
    return pd.DataFrame(out)


def test_earlier_round_is_the_same_export_with_old_area_names(raw, raw_2021):
    assert (SAMPLE_DIR / "stedskompass_fjordvik_2021.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    assert list(raw_2021.columns) == list(raw.columns)
    assert len(raw_2021) == 720 and raw_2021["Respondent-ID"].is_unique
    assert not set(raw_2021["Respondent-ID"]) & set(raw["Respondent-ID"])
    assert set(raw_2021["Hvilket område bor du i?"]) == set(OLD_NAMES)
    assert raw_2021["Tidspunkt"].str.startswith("2021-0").all()
    cells = raw_2021[SCORE_HEADERS].stack()
    assert cells.map(lambda c: bool(SCORE_CELL.match(c))).all()
    assert 0.03 <= (cells == "Vet ikke").mean() <= 0.07
    text_cols = [c for c in raw_2021.columns if "–" in c or c == "Andre kommentarer"]
    text = raw_2021[text_cols].stack()
    text = text[text != ""]
    assert 400 <= len(text) <= 1_100
    # no personal data is planted in the earlier round
    assert not text.str.contains(r"@|(?:\d ?){7}\d|\b[A-ZÆØÅ][a-zæøå]+(?:gata|veien) \d").any()


def test_crosswalk_maps_every_old_name_onto_a_current_area(sample, raw_2021):
    from soslokal_lib import read_survey

    cw = pd.read_csv(SAMPLE_DIR / "runder_crosswalk.csv", dtype=str)
    assert list(cw.columns) == ["old", "new", "change"]
    assert cw.values.tolist() == [["Strand", "Vestre Strand", "renamed"],
                                  ["Øvre Bekkeli", "Bekkeli", "merged"],
                                  ["Nedre Bekkeli", "Bekkeli", "merged"]]
    codes = dict(zip(sample.areas["area_name"], sample.areas.index, strict=True))
    new = raw_2021["Hvilket område bor du i?"].replace(dict(zip(cw["old"], cw["new"],
                                                                strict=True)))
    assert set(new) == set(codes)
    old_codes = {**codes, **{o: codes[n] for o, n in zip(cw["old"], cw["new"],
                                                         strict=True)}}
    survey = read_survey(SAMPLE_DIR / "stedskompass_fjordvik_2021.csv", survey_columns(),
                         area_codes=old_codes)
    per_area = survey.responses["area_id"].value_counts()
    assert set(per_area.index) == set(sample.areas.index) and per_area.sum() == 720
    assert per_area["99010600"] == (raw_2021["Hvilket område bor du i?"].str.endswith(
        "Bekkeli")).sum()


def test_truth_of_change_plants_two_changes_and_nothing_else(sample):
    t = pd.read_csv(SAMPLE_DIR / "truth_rounds.csv", dtype={"area_id": str})
    assert len(t) == 13 * 14 and set(t["area_id"]) == {"9901", *sample.areas.index}
    planted = t[t["planted_change"] != 0].set_index(["area_id", "theme"])["planted_change"]
    assert planted.to_dict() == PLANTED
    after = sample.truth.set_index(["area_id", "theme"])
    tt = t.set_index(["area_id", "theme"])
    for stat in ("mean", "median", "share_low", "share_high"):
        assert (tt[f"{stat}_after"] == after[stat].reindex(tt.index)).all(), stat
    areas = tt.drop(index="9901", level="area_id")
    assert set(areas.index[areas["changed"]]) == set(PLANTED)
    assert (areas.drop(index=list(PLANTED))[["mean_diff", "share_low_diff",
                                             "share_high_diff"]] == 0).all().all()
    assert tt.at[("99010900", "feeling_safe"), "share_low_diff"] < -0.35    # safer: fewer low
    assert tt.at[("99011000", "public_transport"), "share_low_diff"] > 0.2  # bus cut: more low
    kommune = tt.loc["9901"]
    assert set(kommune.index[kommune["changed"]]) == {"feeling_safe", "public_transport"}


def test_planted_changes_show_in_the_two_files(raw, raw_2021):
    from scipy.stats import brunnermunzel

    cw = pd.read_csv(SAMPLE_DIR / "runder_crosswalk.csv", dtype=str)
    before = _scores(raw_2021).replace({"area": dict(zip(cw["old"], cw["new"],
                                                         strict=True))})
    after = _scores(raw)
    rows = []
    for area in DELOMRADER:
        for t in THEMES:
            b = before.loc[before["area"] == area, t.code].dropna()
            a = after.loc[after["area"] == area, t.code].dropna()
            if min(len(a), len(b)) < 20:
                continue
            rows.append({"area": area, "theme": t.code, "p": brunnermunzel(a, b).pvalue,
                         "low_diff": (a <= 3).mean() - (b <= 3).mean()})
    df = pd.DataFrame(rows).set_index(["area", "theme"])
    safe, bus = df.loc[("Storhaugen", "feeling_safe")], df.loc[("Lia", "public_transport")]
    assert round(safe["low_diff"], 3) == -0.227 and safe["p"] < 1e-4
    assert round(bus["low_diff"], 3) == 0.232 and bus["p"] < 1e-4
    assert set(df["p"].nsmallest(2).index) == {("Storhaugen", "feeling_safe"),
                                               ("Lia", "public_transport")}
    others = df.drop(index=[("Storhaugen", "feeling_safe"), ("Lia", "public_transport")])
    assert (others["p"] < 0.05).mean() < 0.1          # unchanged cells: about the nominal 5 %


def test_draw_rounds_reproduces_the_files_and_draws_afresh():
    gen = _generator()
    pair = gen.draw_rounds()
    assert pair["rounds"] == ("2021", "2025")
    assert gen.survey_csv_bytes(pair["before"]) == (
        SAMPLE_DIR / "stedskompass_fjordvik_2021.csv").read_bytes()
    assert gen.survey_csv_bytes(pair["after"]) == (SAMPLE_DIR / "stedskompass_fjordvik.csv"
                                                   ).read_bytes()
    truth = pd.read_csv(SAMPLE_DIR / "truth_rounds.csv", dtype={"area_id": str})
    pd.testing.assert_frame_equal(pair["truth"].reset_index(drop=True), truth,
                                  check_dtype=False)
    one = gen.draw_rounds(1, comments=False)
    again = gen.draw_rounds(1, comments=False)
    other = gen.draw_rounds(2, comments=False)
    for key in ("before", "after"):
        pd.testing.assert_frame_equal(one[key], again[key])
        assert list(one[key].columns) == list(pair[key].columns)
        assert not one[key][SCORE_HEADERS].equals(other[key][SCORE_HEADERS])
        assert (one[key]["Andre kommentarer"] == "").all()
    assert len(one["before"]) == 720 and len(one["after"]) == 800
    assert set(one["before"]["Hvilket område bor du i?"]) == set(OLD_NAMES)
