"""Population, age structure and income per neighbourhood (soslokal_lib.stats.profiles), the loader
(soslokal_lib.io.socio) and the age pyramid figure (soslokal_lib.plot.charts_socio)."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import soslokal_lib  # noqa: E402
from soslokal_lib.errors import ConfigError, DataSourceError, SoslokalError  # noqa: E402
from soslokal_lib.io import socio as io_socio  # noqa: E402
from soslokal_lib.io import ssb  # noqa: E402
from soslokal_lib.numformat import THIN_SPACE  # noqa: E402
from soslokal_lib.plot.charts_socio import plot_age_pyramid, profile_table  # noqa: E402
from soslokal_lib.stats import profiles as socio  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "ssb"


@pytest.fixture(scope="module")
def sample():
    return soslokal_lib.load_sample()


@pytest.fixture
def tiny() -> pd.DataFrame:
    """Two delområder of kommune 9901: 99010100 (two kretser) and 99010200 (one)."""
    rows = [
        ("99010101", "Menn", "0-4", 10), ("99010101", "Kvinner", "0-4", 10),
        ("99010101", "Menn", "15-19", 5), ("99010101", "Kvinner", "15-19", 5),
        ("99010102", "Menn", "40-44", 20), ("99010102", "Kvinner", "40-44", 30),
        ("99010102", "Menn", "65-69", 10), ("99010102", "Kvinner", "90+", 10),
        ("99010201", "Menn", "20-24", 30), ("99010201", "Kvinner", "20-24", 0),
    ]
    return pd.DataFrame(rows, columns=["area_id", "sex", "age", "value"])


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_age_bounds_reads_ssb_forms():
    b = socio.age_bounds(["0-4", "000-004", "0-4 år", "90+", "90 år eller eldre", "105+",
                          "017", "85-89"])
    assert b.loc["000-004"].tolist() == [0, 4]
    assert b.loc["0-4 år"].tolist() == [0, 4]
    assert b.loc["90 år eller eldre", "lo"] == 90 and np.isinf(b.loc["90+", "hi"])
    assert b.loc["017"].tolist() == [17, 17]
    with pytest.raises(SoslokalError, match="Cannot read the age group"):
        socio.age_bounds(["0-4", "I alt"])


def test_band_weights_split_straddling_groups_evenly():
    w = socio.band_weights(["10-14", "15-19", "60-64", "65-69", "90+"])
    np.testing.assert_allclose(w.loc["15-19"], [0.6, 0.4, 0.0])
    np.testing.assert_allclose(w.loc["65-69"], [0.0, 0.4, 0.6])
    np.testing.assert_allclose(w.loc["90+"], [0, 0, 1])
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    with pytest.raises(SoslokalError, match="start below 67"):
        socio.band_weights(["0-59", "60+"])


def test_profile_values_on_a_handmade_table(tiny):
    before = tiny.copy()
    income = pd.DataFrame({"area_name": ["Fjordvik", "Sentrum", "Havna"],
                           "households": [60, 40, 20],
                           "median_income_nok": [500_000.0, 550_000.0, np.nan]},
                          index=pd.Index(["9901", "99010100", "99010200"], name="area_id"))
    p = socio.neighbourhood_profile(tiny, "delomrade", income=income)
    pd.testing.assert_frame_equal(tiny, before)
    assert p.index.tolist() == ["99010100", "99010200", "9901"]
    assert p["area_name"].tolist() == ["Sentrum", "Havna", "Fjordvik"]
    a = p.loc["99010100"]
    assert a["population"] == 100 and a["n_units"] == 2
    assert a["men"] == 45 and a["women"] == 55
    assert a["sex_ratio"] == pytest.approx(45 / 55 * 100)
    # 0-17: 20 (0-4) + 0.6 × 10 (15-19); 67+: 0.6 × 10 (65-69) + 10 (90+)
    assert a["age_0_17"] == pytest.approx(26)
    assert a["age_67plus"] == pytest.approx(16)
    assert a["age_18_66"] == pytest.approx(58)
    assert a["pct_0_17"] == pytest.approx(26.0)
    assert a["dependency_ratio"] == pytest.approx((26 + 16) / 58 * 100)
    b = p.loc["99010200"]
    assert b["sex_ratio"] != b["sex_ratio"]  # no women: NaN, not infinity
    assert b["pct_18_66"] == pytest.approx(100)
    assert np.isnan(b["median_income_nok"]) and b["households"] == 20
    total = p.loc["9901"]
    assert total["population"] == 130 and total["n_units"] == 3
    assert total["median_income_nok"] == 500_000
    assert p.attrs["age_split"] == ["15-19", "65-69"]


def test_profile_mappings_and_names(tiny):
    mapping = {"99010101": "Z1", "99010102": "Z2", "99010201": "Z2"}
    p = socio.neighbourhood_profile(tiny, mapping, names={"Z1": "Nord"}, total=False)
    assert p.index.tolist() == ["Z1", "Z2"]
    assert p["area_name"].tolist() == ["Nord", "Z2"]
    assert p.loc["Z2", "population"] == 100
    with pytest.raises(SoslokalError, match="1 grunnkretser .* no neighbourhood.*99010201"):
        socio.neighbourhood_profile(tiny, {"99010101": "Z1", "99010102": "Z1"})
    with pytest.raises(SoslokalError, match="Unknown sex value"):
        socio.neighbourhood_profile(tiny.assign(sex="x"))
    with pytest.raises(SoslokalError, match="lacks column"):
        socio.neighbourhood_profile(tiny.drop(columns="age"))


def test_profile_of_the_sample(sample):
    p = socio.neighbourhood_profile(sample.population, sample.grunnkretser, income=sample.income)
    assert len(p) == 13 and p.index[-1] == "9901"
    assert p.loc["9901", "population"] == 27_820
    by_parent = sample.socio["population"].groupby(sample.grunnkretser["parent_id"]).sum()
    np.testing.assert_allclose(p["population"].iloc[:-1], by_parent.loc[p.index[:-1]])
    assert p.loc["99010900", "area_name"] == "Storhaugen"
    assert p.loc["99010900", "median_income_nok"] == 485_900
    assert np.isnan(p.loc["99011200", "median_income_nok"])  # Øyane, suppressed by SSB
    bands = p[["age_0_17", "age_18_66", "age_67plus"]].sum(axis=1)
    np.testing.assert_allclose(bands, p["population"])
    np.testing.assert_allclose(p[["pct_0_17", "pct_18_66", "pct_67plus"]].sum(axis=1), 100)
    # The rural, affluent zones are older than the centre (README: tilted towards 65+)
    assert p.loc["99010400", "pct_67plus"] > p.loc["99010200", "pct_67plus"] + 10


def test_density(sample):
    p = socio.neighbourhood_profile(sample.population, sample.grunnkretser)
    d = socio.add_density(p, sample.areas)
    assert "density_per_km2" not in p.columns  # input untouched
    km2 = sample.areas.geometry.area / 1e6
    assert d.loc["99010200", "area_km2"] == pytest.approx(km2["99010200"])
    assert d.loc["9901", "area_km2"] == pytest.approx(km2.sum())
    assert d.loc["9901", "density_per_km2"] == pytest.approx(27_820 / km2.sum())
    assert d["density_per_km2"].idxmax() == "99010200"  # Havna, by the harbour
    with pytest.raises(SoslokalError, match="projected CRS"):
        socio.add_density(p, sample.areas.to_crs(4326))


def test_age_pyramid(sample, tiny):
    pyr = socio.age_pyramid(tiny, "99010100")
    assert list(pyr.index) == ["0-4", "15-19", "40-44", "65-69", "90+"]
    assert pyr.loc["40-44", "women"] == 30
    assert pyr.loc["40-44", "pct_women"] == pytest.approx(30.0)
    assert pyr[["pct_men", "pct_women"]].to_numpy().sum() == pytest.approx(100)
    assert pyr.attrs == {"area": "99010100", "population": 100.0}
    assert socio.age_pyramid(tiny, "99010201")["men"].sum() == 30  # a grunnkrets code
    whole = socio.age_pyramid(sample.population)
    assert len(whole) == 19 and whole.index[0] == "0-4" and whole.index[-1] == "90+"
    assert whole[["men", "women"]].to_numpy().sum() == 27_820
    with pytest.raises(SoslokalError, match="No population for area '99019900'"):
        socio.age_pyramid(tiny, "99019900")


def test_pyramid_figure(tiny):
    area = socio.age_pyramid(tiny, "99010100")
    whole = socio.age_pyramid(tiny)
    ax = plot_age_pyramid(area, compare=whole, label="Sentrum", compare_label="Fjordvik",
                          source="Kilde: syntetiske data")
    men = [p.get_width() for p in ax.patches if p.get_gid() == "pyramid-men"]
    women = [p.get_width() for p in ax.patches if p.get_gid() == "pyramid-women"]
    np.testing.assert_allclose(men, -area["pct_men"].to_numpy())
    np.testing.assert_allclose(women, area["pct_women"].to_numpy())
    stairs = [p for p in ax.patches if str(p.get_gid()).startswith("pyramid-compare")]
    assert len(stairs) == 2
    caption = [t for t in ax.texts if t.get_gid() == "pyramid-caption"][0].get_text()
    assert caption == ("Sentrum: 100 innbyggere. Fjordvik: 130 innbyggere. "
                       "Kilde: syntetiske data.")
    assert ax.get_title(loc="left") == "Alderspyramide: Sentrum"
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "0–4"
    with pytest.raises(SoslokalError, match="socio.age_pyramid"):
        plot_age_pyramid(tiny)


def test_profile_table_is_norwegian(sample):
    p = socio.neighbourhood_profile(sample.population, sample.grunnkretser, income=sample.income)
    t = profile_table(p)
    assert t.index.name == "Område" and t.index[-1] == "Fjordvik"
    assert t.loc["Havna", "Innbyggere"] == f"6{THIN_SPACE}059"
    assert t.loc["Storhaugen", "Medianinntekt etter skatt (kr)"] == f"485{THIN_SPACE}900"
    assert t.loc["Øyane", "Medianinntekt etter skatt (kr)"] == "–"
    assert "," in t.loc["Havna", "67 år+ (%)"]
    en = profile_table(p, lang="en", columns=["population"])
    assert en.columns.tolist() == ["Population"] and en.loc["Havna", "Population"] == "6,059"


# ----------------------------------------------------------------------------- loader
def test_offline_loader_is_the_synthetic_sample():
    inputs = io_socio.load_socio_inputs("9901", 2024, online=False)
    assert inputs.synthetic and inputs.kommune_name == "Fjordvik"
    assert inputs.source == "Kilde: syntetiske data (Fjordvik), laget som SSB-tabeller 04362 og 06944"
    assert inputs.years == {"population": "2025", "income": "2023"}
    assert len(inputs.areas) == 12 and int(inputs.population["value"].sum()) == 27_820
    with pytest.raises(ConfigError, match="not in the bundled sample.*online = True"):
        io_socio.load_socio_inputs("4204")
    with pytest.raises(ConfigError, match="Statistiske enheter grunnkretser"):
        io_socio.load_socio_inputs("4204", online=True)


def _fake_fetch(table_id, selection, **kw):
    """Answer from the handmade fixtures as SSB would: Region and Tid filtered."""
    df = ssb.read_jsonstat(FIXTURES / f"{table_id}_data.json")
    geo = "Region"
    patterns = selection[geo] if isinstance(selection[geo], list) else [selection[geo]]
    keep = np.zeros(len(df), dtype=bool)
    for pattern in patterns:
        keep |= np.array([fnmatch.fnmatchcase(c, pattern) for c in df[geo]])
    years = selection["Tid"]
    keep &= (df["Tid"] == df["Tid"].max()).to_numpy() if years == ["top(1)"] else \
        df["Tid"].isin(years).to_numpy()
    out = df[keep].reset_index(drop=True)
    out.attrs = {**df.attrs, "selection_seen": selection}
    return out


def _square(x, y):
    return [[[x, y], [x + 1000, y], [x + 1000, y + 1000], [x, y + 1000], [x, y]]]


@pytest.fixture
def oslo_file(tmp_path) -> Path:
    feats = []
    for i, (code, name, dname) in enumerate([
            ("03010101", "Rode 1", "Grønland"), ("03010102", "Rode 2", "Grønland"),
            ("03010901", "Rode 9", "Majorstuen (fil)"), ("46010101", "Bergen 1", "Bergen")]):
        feats.append({"type": "Feature", "geometry": {"type": "Polygon",
                                                      "coordinates": _square(260_000 + 1000 * i,
                                                                             6_650_000)},
                      "properties": {"grunnkretsnummer": code, "grunnkretsnavn": name,
                                     "delomradenummer": code[:6] + "00",
                                     "delomradenavn": dname, "kommunenummer": code[:4]}})
    doc = {"type": "FeatureCollection", "features": feats,
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}}
    path = tmp_path / "grunnkretser.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_online_loader_with_recorded_tables(monkeypatch, oslo_file, tmp_path):
    monkeypatch.setattr(ssb, "fetch_table", _fake_fetch)
    inputs = io_socio.load_socio_inputs("0301", 2024, online=True, grunnkrets_path=oslo_file,
                                        cache_dir=tmp_path)
    assert not inputs.synthetic and inputs.source == "Kilde: SSB, Kartverket (CC BY 4.0)"
    pop = inputs.population
    assert pop.columns.tolist() == ["area_id", "sex", "age", "value"]
    assert list(pop["age"].cat.categories) == ["0-4", "5-9", "10-14", "15-19"]
    assert set(pop["sex"]) == {"Menn", "Kvinner"}
    raw = ssb.read_jsonstat(FIXTURES / "04362_data.json")
    assert pop["value"].sum() == raw.loc[raw["Tid"] == "2024", "value"].sum()
    assert inputs.areas.index.tolist() == ["03010100", "03010900"]  # Bergen left out
    assert inputs.areas["area_name"].tolist() == ["Grønland", "Majorstuen (fil)"]
    assert inputs.areas.crs.to_epsg() == 25833
    assert inputs.income.index.tolist() == ["0301", "03010100", "03010900"]  # no bydel
    assert inputs.income.loc["0301", "median_income_nok"] == raw_income("0301")
    assert inputs.kommune_name == "Oslo" and inputs.years == {"population": "2024",
                                                              "income": "2022"}
    profile = socio.neighbourhood_profile(inputs.population, inputs.grunnkretser,
                                          income=inputs.income, names=inputs.areas)
    assert profile.index.tolist() == ["03010100", "03010900", "0301"]
    assert profile.loc["03010900", "area_name"] == "Majorstuen (fil)"


def raw_income(code: str) -> float:
    df = ssb.read_jsonstat(FIXTURES / "06944_data.json")
    keep = ((df["Region"] == code) & (df["HusholdType"] == "0000")
            & (df["ContentsCode"] == "InntSkatt") & (df["Tid"] == "2022"))
    return float(df.loc[keep, "value"].iloc[0])


def test_population_from_ssb_drops_unlinked_and_says_so():
    raw = pd.DataFrame({
        "area_id": ["42040101", "42040101", "42049999", "42040199"],
        "area_name": ["A", "A", "Uoppgitt", "Gammel"],
        "sex": ["1", "2", "1", "2"], "age": ["000-004", "090+", "000-004", "000-004"],
        "year": pd.array([2024] * 4, dtype="Int64"), "value": [12.0, 3.0, 7.0, np.nan]})
    notes: list[str] = []
    out = io_socio.population_from_ssb(raw, "4204", 2024, notes)
    assert out["area_id"].tolist() == ["42040101", "42040101"]
    assert out["sex"].tolist() == ["Menn", "Kvinner"]
    assert out["age"].astype(str).tolist() == ["0-4", "90+"]
    assert any("7 personer med ukjent grunnkrets" in n for n in notes)
    assert any("1 grunnkretser uten tall" in n for n in notes)
    with pytest.raises(DataSourceError, match="no figures for 2023"):
        io_socio.population_from_ssb(raw, "4204", 2023)
