"""The kommune's own zones (issue 17): register figures per grunnkrets carried to levekårssoner
by a crosswalk or by polygons, checked against population-weighted sums computed directly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from soslokal_lib.errors import AreaFormatError, DataSourceError
from soslokal_lib.indicators import aggregate_socio
from soslokal_lib.indicators.register_privacy import protect_register
from soslokal_lib.io.inputs import load_inputs, load_socio_tables
from soslokal_lib.io.zones import read_crosswalk
from soslokal_lib.zones import assign_by_crosswalk, assign_by_polygons

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
REFERENCE = ROOT.parent / "shared" / "reference-data"
SOCIO = SAMPLE / "socio_grunnkrets.csv"
GK = SAMPLE / "grunnkretser.geojson"
ZONES = SAMPLE / "levekarssoner.geojson"
CROSSWALK = SAMPLE / "grunnkrets_til_sone.csv"
SURVEY = SAMPLE / "stedskompass_fjordvik_soner.csv"
QUESTION = "Hvilket område bor du i?"


@pytest.fixture(scope="module")
def inputs():
    with pytest.warns(UserWarning):  # the unmapped «Tidspunkt» column
        return load_inputs(SURVEY, area_column=QUESTION, areas_path=ZONES)


@pytest.fixture(scope="module")
def socio() -> pd.DataFrame:
    return pd.read_csv(SOCIO, dtype={"area_id": str}).set_index("area_id")


def _direct(socio: pd.DataFrame, shares: pd.DataFrame, rate: str, weight: str = "population"):
    """Zone population and ``rate`` by hand: Σ pop·share and Σ rate·w·share / Σ w·share."""
    t = shares.merge(socio[[weight, rate]], left_on="area_id", right_index=True)
    t["w"] = t[weight] * t["share"]
    g = t.assign(num=t[rate] * t["w"]).groupby("zone")
    return g["w"].sum(), g["num"].sum() / g["w"].sum()


def _overlay_shares(split_share: float = 0.05) -> pd.DataFrame:
    """Area shares of each grunnkrets in each zone, with shapely directly (no geopandas
    overlay), and the rule of the module docstring: representative point, split above
    ``split_share``, small pieces dropped and the rest rescaled."""
    gk = gpd.read_file(GK).set_index("grunnkretsnummer")
    zones = gpd.read_file(ZONES).set_index("navn")
    rows = []
    for code, shape in gk.geometry.items():
        raw = {z: shape.intersection(zs).area / shape.area for z, zs in zones.geometry.items()}
        home = next(z for z, zs in zones.geometry.items()
                    if zs.contains(shape.representative_point()))
        kept = {z: s for z, s in raw.items() if s > split_share or z == home}
        total = sum(kept.values())
        rows += [(code, z, s / total) for z, s in kept.items()]
    return pd.DataFrame(rows, columns=["area_id", "zone", "share"])


# --- the two paths, values ----------------------------------------------------------------------


def test_crosswalk_zone_population_and_rates_equal_direct_sums(inputs, socio):
    tables = load_socio_tables(inputs, socio_path=SOCIO, crosswalk_path=CROSSWALK)
    assert tables.zones.method == "crosswalk" and not tables.zones.split
    zone = aggregate_socio(tables.socio, **tables.zone_options())
    cw = pd.read_csv(CROSSWALK, sep=";", dtype=str).rename(
        columns={"grunnkrets": "area_id", "sone": "zone"}).assign(share=1.0)
    for rate in ("low_income_pct", "benefits_pct"):
        pop, direct = _direct(socio, cw, rate)
        assert zone["population"].round(6).to_dict() == pop.round(6).to_dict()
        assert zone[rate].round(6).to_dict() == direct.round(6).to_dict()
    assert int(zone["population"].sum()) == int(socio["population"].sum())
    assert zone["n_units"].to_dict() == cw["zone"].value_counts().to_dict()


def test_polygon_zone_population_and_rates_equal_direct_sums(inputs, socio):
    tables = load_socio_tables(inputs, socio_path=SOCIO, zone_grunnkretser=GK)
    zones = tables.zones
    assert zones.method == "polygons" and len(zones.split) == 19 and not zones.outside
    shares = _overlay_shares()
    got = zones.shares.set_index(["area_id", "zone"])["share"].sort_index()
    want = shares.set_index(["area_id", "zone"])["share"].sort_index()
    assert got.round(9).to_dict() == want.round(9).to_dict()
    zone = aggregate_socio(tables.socio, **tables.zone_options())
    for rate, weight in (("low_income_pct", "population"), ("median_income_nok", "households")):
        pop, direct = _direct(socio, shares, rate, weight)
        assert zone[weight].round(4).to_dict() == pop.round(4).to_dict()
        assert zone[rate].round(6).to_dict() == direct.round(6).to_dict()
    assert round(zone["population"].sum(), 6) == socio["population"].sum()
    assert "19 har mer enn 5 % av arealet" in tables.zone_text("nb").replace("5%", "5 %")


def test_tobler_areal_interpolation_gives_the_same_population():
    tobler = pytest.importorskip("tobler", reason="tobler (dev extra) is not installed")
    gk = gpd.read_file(GK).set_index("grunnkretsnummer")
    socio = pd.read_csv(SOCIO, dtype={"area_id": str}).set_index("area_id")
    gk["population"] = socio["population"].reindex(gk.index)
    zones = gpd.read_file(ZONES).set_index("navn")
    assignment = assign_by_polygons(gk, zones, split_share=0.0)  # every piece kept
    mine = aggregate_socio(socio[["population"]].assign(x=1.0), assignment.areas_map)
    theirs = tobler.area_weighted.area_interpolate(gk, zones, extensive_variables=["population"])
    theirs.index = zones.index
    assert mine["population"].round(3).to_dict() == theirs["population"].round(3).to_dict()


def test_suppressed_grunnkrets_stays_missing_unless_skipna(socio):
    shares = pd.DataFrame({"area_id": ["99010101", "99010102", "99010103"],
                           "zone": ["A", "A", "B"], "share": [1.0, 0.5, 1.0]})
    shares = pd.concat([shares, pd.DataFrame({"area_id": ["99010102"], "zone": ["B"],
                                              "share": [0.5]})], ignore_index=True)
    part = socio.loc[["99010101", "99010102", "99010103"], ["population", "low_income_pct"]]
    part.loc["99010101", "low_income_pct"] = np.nan
    strict = aggregate_socio(part, shares)
    assert np.isnan(strict.loc["A", "low_income_pct"])
    lenient = aggregate_socio(part, shares, skipna=True)
    assert round(lenient.loc["A", "low_income_pct"], 6) == part.loc["99010102", "low_income_pct"]
    b = part.loc[["99010103", "99010102"]]
    w = b["population"] * [1.0, 0.5]
    assert round(strict.loc["B", "low_income_pct"], 6) == round(
        float((b["low_income_pct"] * w).sum() / w.sum()), 6)
    assert strict.loc["B", "population"] == part.loc["99010103", "population"] + 0.5 * part.loc[
        "99010102", "population"]


def test_protection_blanks_a_split_grunnkrets_in_every_zone_it_touches(socio):
    shares = pd.DataFrame({"area_id": ["99010101", "99010102", "99010102", "99010103"],
                           "zone": ["A", "A", "B", "B"], "share": [1.0, 0.5, 0.5, 1.0]})
    part = socio.loc[["99010101", "99010102", "99010103"], ["population", "low_income_pct"]]
    flags = pd.DataFrame({"area_id": ["99010103"], "column": ["low_income_pct"]})
    parents = pd.Series(["A", "A", "B"], index=part.index)
    protected = protect_register(part, parents, flags=flags, shares=shares, min_population=0,
                                 min_count=0)
    assert set(protected.hidden["area_id"]) == {"B"}
    # B is hidden, so 99010102 (half in B) is blanked too: B cannot be recovered from A
    assert protected.socio["low_income_pct"].isna().to_dict() == {
        "99010101": False, "99010102": True, "99010103": True}


# --- bad input ----------------------------------------------------------------------------------


def _write(tmp_path, text, name="kobling.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_crosswalk_with_a_grunnkrets_in_two_zones_names_the_row(tmp_path):
    path = _write(tmp_path, "grunnkrets;sone\n99010101;A\n99010102;A\n99010101;B\n")
    with pytest.raises(DataSourceError) as err:
        read_crosswalk(path)
    problem = err.value.problems[0]
    assert problem.row == 4 and problem.value == "99010101"
    assert "'A' (row 2) and 'B'" in str(err.value) and "one zone" in str(problem.fix)
    assert "rad 2" in err.value.describe("nb")


def test_crosswalk_code_width_and_year_are_checked_per_row(tmp_path):
    path = _write(tmp_path, "grunnkrets;sone;year\n9901010;A;2024\n990101011;A;2024\n"
                            "99010103;B;224\n")
    with pytest.raises(DataSourceError) as err:
        table = read_crosswalk(path)
    rows = {(p.row, str(p.message)) for p in err.value.problems}
    assert rows == {(3, "not a grunnkrets code (8 digits)"), (4, "unknown division year")}
    path = _write(tmp_path, "grunnkrets;sone\n3010101;Sentrum\n")  # Excel ate the zero
    table = read_crosswalk(path)
    assert table["area_id"].tolist() == ["03010101"]


def test_crosswalk_zone_unknown_to_the_areas(tmp_path, inputs):
    path = _write(tmp_path, "grunnkrets;sone\n99010101;Sone 2 Byen\n99010102;Sone 9\n")
    from soslokal_lib.io.inputs import AreaCodes

    with pytest.raises(DataSourceError) as err:
        read_crosswalk(path, AreaCodes(inputs.areas, "soner"))
    assert err.value.problems[0].row == 3 and err.value.problems[0].value == "Sone 9"


def test_register_of_another_division_year_points_to_recode(tmp_path, inputs):
    old = pd.read_csv(SOCIO, dtype={"area_id": str})
    old["area_id"] = "9902" + old["area_id"].str[4:]
    path = tmp_path / "gammel.csv"
    old.to_csv(path, index=False)
    with pytest.raises(DataSourceError, match="recode_grunnkrets") as err:
        load_socio_tables(inputs, socio_path=path, zone_grunnkretser=GK)
    assert "9902" in str(err.value) and "9901" in str(err.value)


def test_overlapping_zones_name_the_pair_and_the_area():
    gk = gpd.read_file(GK).set_index("grunnkretsnummer")
    x0, y0, x1, y1 = gk.total_bounds
    mid = (x0 + x1) / 2
    zones = gpd.GeoDataFrame({"area_name": ["Vest", "Øst"]}, index=["Vest", "Øst"],
                             geometry=[box(x0, y0, mid + 100, y1), box(mid - 100, y0, x1, y1)],
                             crs=gk.crs)
    with pytest.raises(AreaFormatError) as err:
        assign_by_polygons(gk, zones)
    text = str(err.value)
    area = 200 * (y1 - y0) / 1e6
    assert "'Vest' and 'Øst' overlap" in text and f"{area:.3f} km²" in text


def test_zones_in_another_crs_are_reprojected_with_a_note():
    gk = gpd.read_file(GK).set_index("grunnkretsnummer")
    zones = gpd.read_file(ZONES).set_index("navn")
    same = assign_by_polygons(gk, zones)
    moved = assign_by_polygons(gk, zones.to_crs("EPSG:4326"))
    assert any("reprojected from EPSG:4326" in str(n) for n in moved.notes)
    assert moved.parents.to_dict() == same.parents.to_dict()


def test_grunnkretser_outside_every_zone_and_zones_without_any_are_listed(socio):
    crosswalk = {c: "A" for c in socio.index[:30]}
    assignment = assign_by_crosswalk(crosswalk, socio.index, zones=["A", "B"])
    assert assignment.outside == tuple(socio.index[30:]) and assignment.empty == ("B",)
    text = assignment.text("en")
    assert "30 grunnkretser of the register lie outside every zone" in text
    assert "1 zones have no grunnkrets: B" in text


def test_check_lists_outside_and_empty_zones(tmp_path, capsys):
    from soslokal_lib.app.cli import main

    config = (ROOT / "configs" / "fjordvik_soner_kobling.toml").read_text(encoding="utf-8")
    rows = CROSSWALK.read_text(encoding="utf-8").splitlines()
    kept = [rows[0]] + [r for r in rows[1:] if not r.endswith("Sone 6 Høgda")]
    _write(tmp_path, "\n".join(kept) + "\n", "kobling.csv")
    config = config.replace("../data/sample/grunnkrets_til_sone.csv", str(tmp_path / "kobling.csv"))
    config = config.replace("../data/sample/", f"{SAMPLE}/")
    (tmp_path / "soslokal.toml").write_text(config, encoding="utf-8")
    assert main(["check", str(tmp_path / "soslokal.toml")]) == 0
    out = capsys.readouterr().out
    assert "9 grunnkretser i levekårstallene ligger utenfor alle sonene" in out
    assert "1 soner har ingen grunnkrets: Sone 6 Høgda" in out


# --- the sample's zone files --------------------------------------------------------------------


def test_make_soner_reproduces_the_committed_files(tmp_path):
    subprocess.run([sys.executable, str(SAMPLE / "make_soner.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("levekarssoner.geojson", "grunnkrets_til_sone.csv",
                 "levekar_fjordvik_levekarssoner.csv",
                 "stedskompass_fjordvik_soner.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_sample_zones_cut_across_delomrader(socio):
    cw = pd.read_csv(CROSSWALK, sep=";", dtype=str)
    per_delomrade = cw.groupby(cw["grunnkrets"].str[:6])["sone"].nunique()
    assert (per_delomrade > 1).sum() >= 3  # several delområder lie in two zones or more
    per_zone = cw.groupby("sone")["grunnkrets"].apply(lambda s: s.str[:6].nunique())
    assert (per_zone > 1).all()


# --- real files ---------------------------------------------------------------------------------


@pytest.mark.skipif(not (REFERENCE / "ab_grunnkretser_2018.geojson").is_file(),
                    reason="../shared/reference-data/ (real Asker/Bærum grunnkretser) is absent")
def test_real_asker_baerum_grunnkretser_dissolved_into_zones():
    from soslokal_lib.io.boundaries import read_areas

    gk = read_areas(REFERENCE / "ab_grunnkretser_2018.geojson")
    raw = json.loads((REFERENCE / "ab_immigrants.json").read_text(encoding="utf-8"))
    assert len(gk) == 535
    # Zones: Asker and Bærum each cut in two by an east–west line through their grunnkretser'
    # median northing — drawn by hand, not along grunnkrets borders, so some are split.
    kommune = gk.index.str[:4]
    zones = []
    for k in sorted(kommune.unique()):
        part = gk[kommune == k]
        north = float(np.median(part.geometry.representative_point().y))
        shape = part.union_all()
        x0, y0, x1, y1 = shape.bounds
        zones += [(f"{k} nord", shape.intersection(box(x0, north, x1, y1))),
                  (f"{k} sør", shape.intersection(box(x0, y0, x1, north)))]
    zone_frame = gpd.GeoDataFrame({"area_name": [z for z, _ in zones]},
                                  index=[z for z, _ in zones],
                                  geometry=[g for _, g in zones], crs=gk.crs)

    def number(value):
        return np.nan if value in ("-", None) else float(value)

    first = next(iter(raw.values()))
    count_key = next(k for k in first if "antall" in k.casefold() or "count" in k.casefold()) \
        if isinstance(first, dict) else None
    rows = {}
    for code, fields in raw.items():
        values = {k: number(v) if not isinstance(v, dict) else np.nan for k, v in fields.items()}
        rows[str(code)] = values
    table = pd.DataFrame.from_dict(rows, orient="index")
    numeric = table.select_dtypes("number")
    # population stand-in: the area of the grunnkrets in km² × 1000 (the files carry no
    # population); the rate: the first share column of the immigrant file, suppressed «-» kept
    share_col = next(c for c in numeric.columns if numeric[c].dropna().between(0, 100).all()
                     and c != count_key)
    socio = pd.DataFrame({"population": (gk.geometry.area / 1e3).round(0),
                          "immigrant_pct": numeric[share_col].reindex(gk.index)})
    socio.index.name = "area_id"
    assignment = assign_by_polygons(gk, zone_frame, split_share=0.05)
    assert not assignment.outside and not assignment.empty
    assert 0 < len(assignment.split) < 100
    zone = aggregate_socio(socio, assignment.areas_map, skipna=True)
    shares = assignment.shares
    t = shares.merge(socio, left_on="area_id", right_index=True)
    t["w"] = t["population"] * t["share"]
    have = t["immigrant_pct"].notna()
    direct_pop = t.groupby("zone")["w"].sum()
    direct_rate = ((t["immigrant_pct"] * t["w"])[have].groupby(t["zone"][have]).sum()
                   / t["w"][have].groupby(t["zone"][have]).sum())
    assert zone["population"].round(3).to_dict() == direct_pop.round(3).to_dict()
    assert zone["immigrant_pct"].round(6).to_dict() == direct_rate.round(6).to_dict()
    strict = aggregate_socio(socio, assignment.areas_map)  # suppressed grunnkretser → missing
    touched = set(shares.loc[shares["area_id"].isin(
        socio.index[socio["immigrant_pct"].isna()]), "zone"])
    assert set(strict.index[strict["immigrant_pct"].isna()]) == touched


# --- soslokal report on zones -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fjordvik_soner.toml", "fjordvik_soner_kobling.toml"])
def test_report_writes_zone_population_and_rates_equal_to_direct_sums(name, tmp_path, socio):
    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import NOTEBOOK_DIR, make_report

    config = load_config(ROOT / "configs" / name)
    make_report(config, tmp_path, notebooks=[NOTEBOOK_DIR / "04_ulikhet.ipynb"], progress=False)
    html = (tmp_path / "04_ulikhet.html").read_text(encoding="utf-8")
    written = pd.read_csv(tmp_path / "data" / "register_by_area.csv").set_index("area_id")
    if "kobling" in name:
        shares = pd.read_csv(CROSSWALK, sep=";", dtype=str).rename(
            columns={"grunnkrets": "area_id", "sone": "zone"}).assign(share=1.0)
        assert "lagt til 6 soner med koblingstabellen" in html
    else:
        shares = _overlay_shares()
        assert "19 har mer enn 5" in html
    pop, _ = _direct(socio, shares, "low_income_pct")
    assert written["population"].round(0).to_dict() == pop.round(0).to_dict()
    # rates: population-weighted over the grunnkretser the levekår sheet does not suppress
    flags = pd.read_csv(SAMPLE / "levekar_fjordvik.csv", sep=";", encoding="cp1252", dtype=str)
    suppressed = set(flags.iloc[:, 0][flags.iloc[:, 4].str.strip() == ":"])
    for zone, value in written["low_income_pct"].items():
        members = set(shares.loc[shares["zone"] == zone, "area_id"])
        if members & suppressed or pop[zone] < 50:
            continue
        _, direct = _direct(socio, shares[shares["zone"] == zone], "low_income_pct")
        assert round(value, 1) == round(float(direct[zone]), 1), zone


# --- notebook 01 and the config messages on zones -----------------------------------------------


def test_summary_table_of_suppressed_cells_when_none_is_suppressed(inputs):
    """Notebook 01 crashed on the zone configs: their six large zones have no suppressed cell,
    and formatting the empty list of suppressed cells added a float column to a string."""
    from soslokal_lib.plot.tables import summary_table
    from soslokal_lib.stats.summary import summarise

    summary = summarise(inputs.survey, min_n=5)
    assert not summary["suppressed"].astype(bool).any()
    for lang in ("nb", "en"):
        table = summary_table(summary, only_suppressed=True, names=inputs.names, lang=lang)
        assert len(table) == 0 and len(table.columns) == 7


@pytest.mark.parametrize("lang, both, share", [("en", "not both", "between 0 and 0.5"),
                                               ("nb", "ikke begge", "mellom 0 og 0,5")])
def test_socio_config_errors_in_both_languages(tmp_path, lang, both, share):
    from soslokal_lib.app.config import load_config
    from soslokal_lib.errors import ConfigError

    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    head = '[kommune]\nname = "X"\n[survey]\npath = "a.csv"\n[socio]\npath = "a.csv"\n'
    for extra, words in (('crosswalk = "a.csv"\ngrunnkretser = "a.csv"\n', both),
                         ("split_share = 0.7\n", share)):
        (tmp_path / "c.toml").write_text(head + extra, encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            load_config(tmp_path / "c.toml")
        assert words in err.value.describe(lang)
