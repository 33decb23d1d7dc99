"""Tests for read_areas (soslokal_lib.io.boundaries) and the hierarchy / kommune changes (soslokal_lib.geo)."""

from __future__ import annotations

import hashlib
import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from soslokal_lib import AreaFormatError, SoslokalError, geo
from soslokal_lib.io import boundaries as io_geo
from soslokal_lib.io.boundaries import read_areas

REF = Path(__file__).resolve().parents[2] / "shared" / "reference-data"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geo"


def ref(name: str) -> Path:
    path = REF / name
    if not path.is_file():
        pytest.skip(f"reference file {name} not available (../shared/reference-data absent)")
    return path


@pytest.fixture(scope="module")
def grunnkretser() -> gpd.GeoDataFrame:
    return read_areas(ref("ab_grunnkretser_2018.geojson"))


@pytest.fixture(scope="module")
def kommuner_2020() -> gpd.GeoDataFrame:
    return read_areas(ref("Kommuner-small-2020.json"))


@pytest.fixture(scope="module")
def kommuner_2024() -> gpd.GeoDataFrame:
    return read_areas(ref("Kommuner-S-2024.geojson"))


# --- the reference files --------------------------------------------------------------------------


def test_reference_grunnkretser(grunnkretser):
    g = grunnkretser
    assert len(g) == 535
    assert g.crs.to_epsg() == 25833
    assert g.index.name == "area_id"
    assert set(g.index.str.len()) == {8}
    assert set(g.index.str[:4]) == {"0219", "0220"}
    assert (g.index.str[:4] == "0219").sum() == 437
    assert g.loc["02201606", "area_name"] == "Slottsberget"
    assert (g["parent_id"] == g["kommunenummer"]).all()
    assert g.attrs["id_column"] == "grunnkretsnummer"
    assert g.attrs["name_column"] == "grunnkretsnavn"
    assert g.attrs["level"] == "grunnkrets"
    assert g.attrs["changes"] == []
    raw = ref("ab_grunnkretser_2018.geojson").read_bytes()
    assert g.attrs["sha256"] == hashlib.sha256(raw).hexdigest()
    assert "objid" in g.columns  # original properties kept


def test_reference_bydeler_gml_reprojected():
    g = read_areas(ref("bydel2020_mednavn.gml"))
    assert len(g) == 38
    assert set(g.index.str.len()) == {6}
    assert set(g.index.str[:4]) == {"0301", "1103", "4601", "5001"}
    assert g.loc["030105", "area_name"] == "Frogner"
    assert g.attrs["crs_source"] == "EPSG:4326"
    assert g.crs.to_epsg() == 25833
    assert "reprojected from EPSG:4326 to EPSG:25833" in g.attrs["changes"]
    xmin, ymin, xmax, ymax = g.total_bounds  # UTM 33 metres, southern Norway
    assert -100_000 < xmin < xmax < 400_000 and 6_400_000 < ymin < ymax < 7_100_000
    assert (g["parent_id"] == g.index.str[:4]).all()


def test_reference_kommuner_2024_repairs_geometries(kommuner_2024):
    g = kommuner_2024
    assert len(g) == 357
    assert set(g.index.str.len()) == {4}
    assert g.loc["3203", "area_name"] == "Asker"
    assert g.loc["0301", "area_name"] == "Oslo"
    assert g.is_valid.all()
    repaired = [c for c in g.attrs["changes"] if c.startswith("repaired")]
    assert repaired and "invalid geometries with shapely.make_valid" in repaired[0]
    assert set(g.geom_type) <= {"Polygon", "MultiPolygon"}


def test_reference_kommuner_2020_integer_codes(kommuner_2020):
    g = kommuner_2020
    assert len(g) == 354
    assert g.loc["0301", "area_name"] == "Oslo"
    assert g.loc["0301", "kommunenummer"] == 301  # the original integer is kept
    assert g.loc["3025", "area_name"] == "Asker"
    assert set(g.index.str.len()) == {4}
    assert g.attrs["name_column"] == "navn"
    assert "zero-padded 1 codes in 'kommunenummer' to 4 digits" in g.attrs["changes"]
    assert g.crs.to_epsg() == 25833


def test_reference_geonorge_zip_fylke_layer():
    path = ref("Basisdata_0000_Norge_25833_Fylker_GeoJSON.zip")
    g = read_areas(path)
    assert g.attrs["layer"] == "Fylke"
    assert g.attrs["member"] == "Basisdata_0000_Norge_25833_Fylker_GeoJSON.geojson"
    assert len(g) == 15
    assert set(g.index.str.len()) == {2}
    assert g.loc["03", "area_name"] == "Oslo"
    assert g.loc["56", "area_name"] == "Finnmark"  # Norwegian entry of the language list
    assert g.loc["50", "area_name"] == "Trøndelag"
    assert g.loc["56", "fylkesnavn"] == "Finnmark - Finnmárku - Finmarkku"
    assert g.crs.to_epsg() == 25833 and g.attrs["changes"] == []
    assert set(g.geom_type) == {"MultiPolygon"}


def test_geonorge_zip_without_gdal_support(monkeypatch):
    path = ref("Basisdata_0000_Norge_25833_Fylker_GeoJSON.zip")

    def fail(target):
        raise RuntimeError("GDAL cannot open it")

    monkeypatch.setattr(io_geo, "_list_layers", fail)
    g = read_areas(path)
    assert g.attrs["layer"] == "Fylke"
    assert sorted(g.index) == ["03", "11", "15", "18", "31", "32", "33", "34", "39", "40",
                               "42", "46", "50", "55", "56"]
    assert g.crs.to_epsg() == 25833
    assert g.loc["55", "area_name"] == "Troms"


# --- handmade files -------------------------------------------------------------------------------


def test_geonorge_multilayer_fixture():
    g = read_areas(FIXTURES / "geonorge_flerlag.geojson")
    assert g.attrs["layer"] == "Grunnkrets"
    assert list(g.index) == ["99010101", "99010102", "99010201"]
    assert g.loc["99010102", "area_name"] == "Sørbyen"  # 'nor' although Sami comes first
    assert g.loc["99010102", "grunnkretsnavn"] == "Lulli - Sørbyen"
    assert list(g["parent_id"]) == ["9901"] * 3
    assert g.area.round().tolist() == [1e6, 1e6, 1e6]


def test_fixture_zip_and_fallback_agree(tmp_path, monkeypatch):
    archive = tmp_path / "Basisdata_9901_Fjordvik_25833_Grunnkretser_GeoJSON.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURES / "geonorge_flerlag.geojson", "grunnkretser.geojson")
    via_gdal = read_areas(archive)
    monkeypatch.setattr(io_geo, "_list_layers", lambda t: (_ for _ in ()).throw(OSError("no")))
    via_json = read_areas(archive)
    assert via_gdal.attrs["member"] == via_json.attrs["member"] == "grunnkretser.geojson"
    assert list(via_gdal.index) == list(via_json.index)
    assert list(via_gdal["area_name"]) == list(via_json["area_name"])
    assert via_gdal.geom_equals(via_json).all()


def test_layer_choice_errors():
    path = FIXTURES / "geonorge_flerlag.geojson"
    with pytest.raises(AreaFormatError, match="LineString, not a polygon"):
        read_areas(path, layer="Grunnkretsgrense")
    with pytest.raises(AreaFormatError, match="no layer 'Fylke'.*'Grunnkrets'"):
        read_areas(path, layer="Fylke")
    assert read_areas(path, layer="grunnkrets").attrs["layer"] == "Grunnkrets"


def test_zip_with_two_boundary_files(tmp_path):
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURES / "geonorge_flerlag.geojson", "a.geojson")
        z.write(FIXTURES / "geonorge_flerlag.geojson", "b.geojson")
    with pytest.raises(AreaFormatError, match="several boundary files.*a.geojson, b.geojson"):
        read_areas(archive)


def _write_geojson(path: Path, features: list[dict], crs: str | None = None) -> Path:
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _feature(props: dict, poly: Polygon) -> dict:
    return {"type": "Feature", "properties": props,
            "geometry": json.loads(gpd.GeoSeries([poly]).to_json())["features"][0]["geometry"]}


def test_duplicate_codes(tmp_path):
    feats = [_feature({"kommunenummer": "0301", "navn": "Oslo"}, box(0, 0, 1, 1)),
             _feature({"kommunenummer": "301", "navn": "Oslo 2"}, box(1, 0, 2, 1)),
             _feature({"kommunenummer": "1103", "navn": "Stavanger"}, box(2, 0, 3, 1))]
    path = _write_geojson(tmp_path / "dup.geojson", feats)
    with pytest.raises(AreaFormatError, match="duplicate area codes 0301.*appears 2 times"):
        read_areas(path)


def test_no_code_column_lists_columns(tmp_path):
    feats = [_feature({"sone": "A", "tittel": "Nord"}, box(0, 0, 1, 1)),
             _feature({"sone": "B", "tittel": "Sør"}, box(0, 1, 1, 2))]
    path = _write_geojson(tmp_path / "zones.geojson", feats)
    with pytest.raises(AreaFormatError,
                       match=r"columns are 'sone', 'tittel'.*such as 'sone' as id_column="):
        read_areas(path)
    g = read_areas(path, id_column="sone", name_column="tittel")  # a local code, not SSB's
    assert list(g.index) == ["A", "B"] and list(g["area_name"]) == ["Nord", "Sør"]
    assert g.attrs["level"] == "custom" and "parent_id" not in g.columns


def test_id_column_width_inferred(tmp_path):
    feats = [_feature({"sonenr": 9901011, "tittel": "Nord"}, box(10, 60, 10.1, 60.1)),
             _feature({"sonenr": 99010120, "tittel": "Sør"}, box(10, 60.1, 10.1, 60.2))]
    path = _write_geojson(tmp_path / "zones.geojson", feats)
    g = read_areas(path, id_column="sonenr", name_column="tittel")
    assert list(g.index) == ["09901011", "99010120"]
    assert list(g["area_name"]) == ["Nord", "Sør"]


def test_invalid_geometry_repaired(tmp_path):
    bowtie = Polygon([(250000, 6650000), (251000, 6651000), (251000, 6650000),
                      (250000, 6651000), (250000, 6650000)])
    feats = [_feature({"grunnkretsnummer": "99010101"}, bowtie),
             _feature({"grunnkretsnummer": "99010102"}, box(252000, 6650000, 253000, 6651000))]
    path = _write_geojson(tmp_path / "bad.geojson", feats, crs="urn:ogc:def:crs:EPSG::25833")
    assert not gpd.read_file(path).is_valid.all()
    g = read_areas(path)
    assert g.is_valid.all()
    assert g.attrs["changes"] == ["repaired 1 invalid geometries with shapely.make_valid: "
                                  "99010101"]
    assert g.loc["99010101"].geometry.area == pytest.approx(500_000)


def _write_shapefile(frame: gpd.GeoDataFrame, path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no crs; long field names cut to 10 characters
        frame.to_file(path)


def test_shapefile_without_crs_lonlat_warns(tmp_path):
    g0 = gpd.GeoDataFrame({"kommunenr": [301, 1103]},
                          geometry=[box(10.7, 59.9, 10.8, 60.0), box(5.7, 58.9, 5.8, 59.0)])
    _write_shapefile(g0, tmp_path / "k.shp")
    assert not (tmp_path / "k.prj").exists()
    with pytest.warns(UserWarning, match="EPSG:4326 is assumed"):
        g = read_areas(tmp_path / "k.shp")
    assert list(g.index) == ["0301", "1103"]
    assert g.crs.to_epsg() == 25833
    assert g.attrs["changes"][0].startswith("no CRS declared: EPSG:4326 assumed")
    assert g.loc["0301"].geometry.centroid.x == pytest.approx(263_000, abs=3_000)


def test_shapefile_without_crs_projected_refused(tmp_path):
    g0 = gpd.GeoDataFrame({"kommunenummer": ["0301"], "kommunenavn": ["Oslo"]},
                          geometry=[box(260000, 6645000, 270000, 6655000)])
    _write_shapefile(g0, tmp_path / "k.shp")
    with pytest.raises(AreaFormatError, match=r"declares no coordinate.*crs='EPSG:25833'"):
        read_areas(tmp_path / "k.shp")
    g = read_areas(tmp_path / "k.shp", crs="EPSG:25833")
    assert g.attrs["id_column"] == "kommunenum"  # the shapefile cut the name
    assert g.loc["0301", "area_name"] == "Oslo"
    assert g.loc["0301"].geometry.area == pytest.approx(1e8)


def test_geojson_lonlat_declared_but_projected(tmp_path):
    feats = [_feature({"kommunenummer": "0301"}, box(260000, 6645000, 270000, 6655000))]
    path = _write_geojson(tmp_path / "utm.geojson", feats)  # no crs member: RFC 7946 lon/lat
    with pytest.raises(AreaFormatError, match="longitude/latitude.*projected"):
        read_areas(path)
    assert len(read_areas(path, crs="EPSG:25833")) == 1


def test_projected_crs_with_lonlat_coordinates(tmp_path):
    g0 = gpd.GeoDataFrame({"kommunenummer": ["0301"]}, geometry=[box(10.7, 59.9, 10.8, 60.0)],
                          crs="EPSG:25833")
    g0.to_file(tmp_path / "wrong.gpkg", driver="GPKG")
    with pytest.raises(AreaFormatError, match="projected EPSG:25833.*crs='EPSG:4326'"):
        read_areas(tmp_path / "wrong.gpkg")
    fixed = read_areas(tmp_path / "wrong.gpkg", crs="EPSG:4326")
    assert fixed.attrs["changes"][0] == "CRS set to EPSG:4326 as given (file declared EPSG:25833)"
    assert fixed.crs.to_epsg() == 25833


def test_gpkg_and_gml_inputs_unchanged(tmp_path):
    g0 = gpd.GeoDataFrame({"bydelsnummer": [30101, 30102], "bydelsnavn": ["Gamle Oslo", "Grünerløkka"]},
                          geometry=[box(262000, 6649000, 263000, 6650000),
                                    box(263000, 6649000, 264000, 6650000)], crs="EPSG:25833")
    g0.to_file(tmp_path / "b.gpkg", driver="GPKG")
    g0.to_file(tmp_path / "b.gml", driver="GML")
    before = sorted(p.name for p in tmp_path.iterdir())
    for name in ("b.gpkg", "b.gml"):
        g = read_areas(tmp_path / name)
        assert list(g.index) == ["030101", "030102"], name
        assert list(g["parent_id"]) == ["0301", "0301"]
        assert list(g["area_name"]) == ["Gamle Oslo", "Grünerløkka"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no .gfs written beside it


def test_missing_code_reported(tmp_path):
    feats = [_feature({"kommunenummer": "0301"}, box(10, 59, 11, 60)),
             _feature({"kommunenummer": None}, box(11, 59, 12, 60))]
    path = _write_geojson(tmp_path / "k.geojson", feats)
    with pytest.raises(AreaFormatError, match="feature 2 has no code"):
        read_areas(path)


# --- a kommune's own areas: names, local codes, several kommuner ---------------------------------

ELVESTAD = Path(__file__).resolve().parent / "fixtures" / "egenkommune"


def test_names_only_file_uses_the_names_as_ids():
    g = read_areas(ELVESTAD / "nabolag.geojson")
    assert list(g.index[:5]) == ["Sentrum", "Vestbyen", "Østsiden", "Elvebredden", "Nordre"]
    assert (g["area_name"] == g.index).all()
    assert g.attrs["level"] == "custom" and g.attrs["id_column"] == "navn"
    assert g.attrs["changes"] == ["no code column: the names in 'navn' are the area ids"]
    assert "parent_id" not in g.columns
    same = read_areas(ELVESTAD / "nabolag.geojson", name_column="navn")  # the config's way
    assert list(same.index) == list(g.index)


def test_local_codes_and_names_are_ids_as_written(tmp_path):
    feats = [_feature({"sone": "S-04", "navn": "Nord"}, box(0, 0, 1, 1)),
             _feature({"sone": " 7b ", "navn": "Sør"}, box(0, 1, 1, 2))]
    path = _write_geojson(tmp_path / "soner.geojson", feats)
    g = read_areas(path, id_column="sone")
    assert list(g.index) == ["S-04", "7b"] and list(g["area_name"]) == ["Nord", "Sør"]
    assert g.attrs["level"] == "custom"


def test_names_only_duplicates_and_blanks_are_named(tmp_path):
    feats = [_feature({"navn": "Nord"}, box(0, 0, 1, 1)),
             _feature({"navn": "Nord"}, box(0, 1, 1, 2)),
             _feature({"navn": "Sør"}, box(0, 2, 1, 3))]
    with pytest.raises(AreaFormatError, match="duplicate area ids Nord") as info:
        read_areas(_write_geojson(tmp_path / "dup.geojson", feats))
    (problem,) = info.value.problems
    assert "merge its parts" in problem.fix and 'id_column = "…" under [areas]' in \
        problem.fix_config
    feats[1] = _feature({"navn": " "}, box(0, 1, 1, 2))
    with pytest.raises(AreaFormatError, match="feature 2 has no name"):
        read_areas(_write_geojson(tmp_path / "blank.geojson", feats))


def test_ssb_code_columns_still_need_digits(tmp_path):
    feats = [_feature({"grunnkretsnummer": "S-04", "navn": "Nord"}, box(0, 0, 1, 1))]
    with pytest.raises(AreaFormatError, match="the code is not a number") as info:
        read_areas(_write_geojson(tmp_path / "gk.geojson", feats))
    (problem,) = info.value.problems
    assert "SSB grunnkrets codes" in problem.fix and "id_column='…'" in problem.fix
    assert 'id_column = "…" under [areas]' in problem.fix_config


def test_no_id_column_error_suggests_a_column_in_both_wordings(tmp_path):
    feats = [_feature({"tittel": 1, "kode": "A1"}, box(0, 0, 1, 1)),
             _feature({"tittel": 1, "kode": "A2"}, box(0, 1, 1, 2))]
    with pytest.raises(AreaFormatError) as info:
        read_areas(_write_geojson(tmp_path / "x.geojson", feats))
    (problem,) = info.value.problems
    assert "such as 'kode' as id_column='…'" in problem.fix
    assert 'such as \'kode\' as id_column = "…" under [areas]' in problem.fix_config


def test_cut_by_code_prefix():
    g = read_areas(ELVESTAD / "grunnkretser_flere_kommuner.geojson")
    kept, dropped = io_geo.areas_in_kommune(g, "9903")
    assert list(kept.index) == ["99030101", "99030102", "99030203", "99030204"]
    assert list(dropped.index) == ["99040101", "99040102", "99040203", "99040204"]
    assert kept.attrs["kommune_cut"] == "by code: prefix 9903"
    same, none = io_geo.areas_in_kommune(g, None)  # no kommune number: nothing is cut
    assert len(same) == 8 and none.empty and same.attrs["kommune_cut"] is None


def test_cut_by_the_kommune_outline():
    g = read_areas(ELVESTAD / "nabolag.geojson")
    outline = io_geo.read_kommune_boundary(ELVESTAD / "kommunegrense.geojson", "9903")
    kept, dropped = io_geo.areas_in_kommune(g, "9903", outline)
    assert list(kept.index) == ["Sentrum", "Vestbyen", "Østsiden", "Elvebredden", "Nordre"]
    assert list(dropped.index) == ["Bakkeby", "Strandlia", "Furumo"]
    assert kept.attrs["kommune_cut"] == "by the kommune's outline"
    uncut, _ = io_geo.areas_in_kommune(g, "9903")  # names, no outline: nothing is cut
    assert len(uncut) == 8


def test_an_area_mostly_outside_the_outline_is_left_out(tmp_path):
    def at(x0, y0, x1, y1):  # kilometres from a point in southern Norway (UTM 33)
        return box(280000 + 1000 * x0, 6650000 + 1000 * y0, 280000 + 1000 * x1,
                   6650000 + 1000 * y1)

    feats = [_feature({"navn": "Inne"}, at(0, 0, 10, 10)),
             _feature({"navn": "Kant"}, at(8, 0, 14, 10)),    # 2/6 inside: out
             _feature({"navn": "Halv"}, at(5, 10, 15, 20))]   # 5/10 inside: in (≥ 0.5)
    g = read_areas(_write_geojson(tmp_path / "a.geojson", feats, crs="EPSG:25833"))
    outline = gpd.GeoSeries([at(0, 0, 10, 30)], crs="EPSG:25833")
    kept, dropped = io_geo.areas_in_kommune(g, None, outline)
    assert list(kept.index) == ["Inne", "Halv"] and list(dropped.index) == ["Kant"]


def test_kommune_boundary_from_a_file_of_several_kommuner(tmp_path):
    feats = [_feature({"kommunenummer": "9903", "kommunenavn": "Elvestad"},
                      box(280000, 6650000, 281000, 6651000)),
             _feature({"kommunenummer": "9904", "kommunenavn": "Nabo"},
                      box(281000, 6650000, 282000, 6651000))]
    path = _write_geojson(tmp_path / "kommuner.geojson", feats, crs="EPSG:25833")
    outline = io_geo.read_kommune_boundary(path, "9904")
    assert outline.iloc[0].bounds == (281000, 6650000, 282000, 6651000)
    with pytest.raises(AreaFormatError, match="has no kommune 9905 .it has 9903, 9904") as info:
        io_geo.read_kommune_boundary(path, "9905")
    assert "under [kommune]" in info.value.problems[0].fix_config
    with pytest.raises(AreaFormatError, match="holds 2 kommuner"):
        io_geo.read_kommune_boundary(path)


def test_reference_oslo_cut_from_a_national_kommune_file():
    outline = io_geo.read_kommune_boundary(ref("Kommuner-S-2024.geojson"), "0301")
    assert outline.area.iloc[0] / 1e6 == pytest.approx(456.07, abs=0.01)  # km², with Marka
    bydeler = read_areas(ref("bydel2020_mednavn.gml"))
    kept, dropped = io_geo.areas_in_kommune(bydeler, "0301")
    assert len(kept) == 17 and set(kept.index.str[:4]) == {"0301"} and len(dropped) == 21


def test_gml_without_schema_leaves_the_folder_unchanged(tmp_path):
    # GDAL writes the GML with an .xsd schema beside it; without one (as Geonorge serves GML)
    # its GML driver would write a .gfs file next to the user's file when opening it.
    g0 = gpd.GeoDataFrame({"bydelsnummer": [30101], "bydelsnavn": ["Gamle Oslo"]},
                          geometry=[box(262000, 6649000, 263000, 6650000)], crs="EPSG:25833")
    g0.to_file(tmp_path / "b.gml", driver="GML")
    (tmp_path / "b.xsd").unlink()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert before == ["b.gml"]
    g = read_areas(tmp_path / "b.gml")
    assert list(g.index) == ["030101"] and list(g["area_name"]) == ["Gamle Oslo"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_reference_gml_copy_leaves_the_folder_unchanged(tmp_path):
    import shutil

    shutil.copy(ref("bydel2020_mednavn.gml"), tmp_path / "bydeler.gml")
    g = read_areas(tmp_path / "bydeler.gml")
    assert len(g) == 38 and g.loc["030105", "area_name"] == "Frogner"
    assert [p.name for p in tmp_path.iterdir()] == ["bydeler.gml"]


# --- hierarchy ------------------------------------------------------------------------------------


def test_codes_of_parents():
    assert geo.kommune_of("02200801") == "0220"
    assert geo.kommune_of("030105") == "0301"
    assert geo.fylke_of("3203") == "32"
    assert geo.delomrade_of("02200801") == "02200800"
    s = pd.Series(["02190101", "02200202"], index=["a", "b"])
    assert geo.delomrade_of(s).tolist() == ["02190100", "02200200"]
    assert list(geo.kommune_of(s).index) == ["a", "b"]
    with pytest.raises(SoslokalError, match="not a valid grunnkrets"):
        geo.delomrade_of("0220080")
    with pytest.raises(SoslokalError, match="'abcd'"):
        geo.kommune_of(pd.Series(["0301", "abcd"]))


@pytest.fixture()
def small_areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"population": [100.0, 300.0, 50.0, 150.0], "low_income_pct": [10.0, 20.0, 5.0, 9.0],
         "households": [40, 120, 20, 70]},
        index=pd.Index(["99010101", "99010102", "99010201", "99010202"], name="area_id"),
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)],
        crs="EPSG:25833")


def test_aggregate_delomrade_weighted(small_areas):
    out = geo.aggregate_areas(small_areas, "delomrade", counts=["population", "households"],
                              rates={"low_income_pct": "population"})
    assert list(out.index) == ["99010100", "99010200"]
    assert out.loc["99010100", "population"] == 400
    assert out.loc["99010100", "households"] == 160
    assert out.loc["99010100", "low_income_pct"] == pytest.approx((10 * 100 + 20 * 300) / 400)
    assert out.loc["99010200", "low_income_pct"] == pytest.approx((5 * 50 + 9 * 150) / 200)
    assert out.loc["99010100", "low_income_pct"] != pytest.approx(15.0)  # not unweighted
    assert list(out["n_units"]) == [2, 2]
    assert list(out["parent_id"]) == ["9901", "9901"]
    assert out.crs.to_epsg() == 25833
    assert out.geometry.area.tolist() == [2.0, 2.0]
    assert out.loc["99010100"].geometry.equals(box(0, 0, 2, 1))
    assert "low_income_pct" in small_areas.columns and len(small_areas) == 4  # input untouched


def test_aggregate_kommune_from_reference(grunnkretser):
    g = grunnkretser.assign(one=1)
    out = geo.aggregate_areas(g, "kommune", counts=["one"])
    assert out["one"].to_dict() == {"0219": 437, "0220": 98}
    areas = g.area.groupby(g.index.str[:4]).sum().to_numpy()
    # the union: the real polygons overlap slightly, so it is a little below the sum of parts
    assert np.all(out.area.to_numpy() <= areas)
    assert out.area.to_numpy() == pytest.approx(areas, rel=0.005)


def test_aggregate_with_zone_table_and_names(small_areas):
    table = pd.DataFrame({"grunnkrets": ["99010101", "99010102", "99010201", "99010202"],
                          "sone": ["S1", "S2", "S2", "S1"],
                          "sonenavn": ["Vest", "Øst", "Øst", "Vest"]})
    out = geo.aggregate_areas(small_areas, table, counts=["population"],
                              rates={"low_income_pct": "population"})
    assert out.loc["S1", "area_name"] == "Vest"
    assert out.loc["S2", "population"] == 350
    assert out.loc["S1", "low_income_pct"] == pytest.approx((10 * 100 + 9 * 150) / 250)
    assert out.loc["S1"].geometry.area == pytest.approx(2.0)


def test_aggregate_mapping_mismatches(small_areas):
    partial = {"99010101": "A", "99010102": "A", "99010201": "B"}
    with pytest.raises(SoslokalError, match="1 areas of the data are not in the mapping: 99010202"):
        geo.aggregate_areas(small_areas, partial, counts=["population"])
    extra = {**partial, "99010202": "B", "99010301": "C"}
    with pytest.warns(UserWarning, match="1 areas of the mapping have no data: 99010301"):
        out = geo.aggregate_areas(small_areas, extra, counts=["population"])
    assert out["population"].to_dict() == {"A": 400.0, "B": 200.0}


def test_aggregate_missing_values(small_areas):
    data = small_areas.copy()
    data.loc["99010102", "low_income_pct"] = np.nan
    out = geo.aggregate_areas(data, "delomrade", rates={"low_income_pct": "population"})
    assert np.isnan(out.loc["99010100", "low_income_pct"])
    out = geo.aggregate_areas(data, "delomrade", rates={"low_income_pct": "population"},
                              skipna=True)
    assert out.loc["99010100", "low_income_pct"] == pytest.approx(10.0)
    data.loc["99010201", "population"] = np.nan
    with pytest.raises(SoslokalError, match="no weight in 'population'.*99010201"):
        geo.aggregate_areas(data, "delomrade", rates={"low_income_pct": "population"})


def test_aggregate_by_year_plain_dataframe():
    df = pd.DataFrame({"area_id": ["99010101", "99010102"] * 2, "year": [2023, 2023, 2024, 2024],
                       "n": [1, 2, 3, 4], "rate": [10.0, 40.0, 10.0, 40.0]})
    out = geo.aggregate_areas(df, "delomrade", counts=["n"], rates={"rate": "n"}, by="year")
    assert not hasattr(out, "crs")
    assert out["year"].tolist() == [2023, 2024]
    assert out["n"].tolist() == [3, 7]
    assert out["rate"].tolist() == pytest.approx([30.0, (30 + 160) / 7])
    with pytest.raises(SoslokalError, match="not numeric"):
        geo.aggregate_areas(df.assign(n=df["n"].astype(str)), "kommune", counts=["n"])


# --- kommune number changes -----------------------------------------------------------------------


@pytest.mark.parametrize(("code", "year", "expected"), [
    ("0220", 2020, "3025"), ("0220", 2024, "3203"), ("3025", 2024, "3203"),
    ("0219", 2020, "3024"), ("0219", 2024, "3201"), ("3024", 2024, "3201"),
    ("0106", 2020, "3004"), ("0106", 2024, "3107"),
    ("1001", 2020, "4204"), ("1018", 2020, "4204"), ("1017", 2024, "4204"),
    ("1601", 2019, "5001"), ("5030", 2020, "5001"), ("0301", 2024, "0301"), (301, 2024, "0301"),
    ("0220", 2019, "0220"), ("3203", 2020, "3025"), ("3101", 2019, "0101"), ("1508", 2021, "1507"),
    ("0627", 2024, "3203"),
])
def test_recode_kommune_examples(code, year, expected):
    assert geo.recode_kommune(code, year) == expected


def test_recode_kommune_splits_and_merges_raise():
    with pytest.raises(SoslokalError, match="5012 \\(Snillfjord\\) was split.*2020") as e:
        geo.recode_kommune("5012", 2020)
    assert e.value.candidates == ["5055", "5056", "5059"]
    with pytest.raises(SoslokalError, match="split on 1 January 2024") as e:
        geo.recode_kommune("1507", 2024)
    assert e.value.candidates == ["1508", "1580"]
    with pytest.raises(SoslokalError, match="formed on 1 January 2020 by merging") as e:
        geo.recode_kommune("3025", 2019)
    assert e.value.candidates == ["0220", "0627", "0628"]
    with pytest.raises(SoslokalError, match="not a kommune number"):
        geo.recode_kommune("03011", 2024)


def test_recode_series():
    s = pd.Series(["0220", "0219", "5012", "0301"], index=[10, 11, 12, 13])
    with pytest.raises(SoslokalError, match="Snillfjord.*on_split='na'"):
        geo.recode_kommune_series(s, 2024)
    out = geo.recode_kommune_series(s, 2024, on_split="na")
    assert list(out.index) == [10, 11, 12, 13]
    assert out.tolist()[:2] == ["3203", "3201"] and out.iloc[3] == "0301"
    assert pd.isna(out.iloc[2])


def test_change_table_is_sourced_and_consistent():
    path = Path(geo.__file__).parent / "data" / "kommune_changes.csv"
    head = path.read_text(encoding="utf-8").splitlines()[:4]
    assert any("Klass classification 131" in line for line in head)
    table = geo.kommune_changes()
    assert list(table.columns) == ["from_code", "to_code", "valid_from", "kind", "from_name",
                                   "to_name"]
    assert set(table["kind"]) == {"renumber", "merge", "split"}
    assert table["from_code"].str.fullmatch(r"\d{4}").all()
    assert table["to_code"].str.fullmatch(r"\d{4}").all()
    assert set(table["valid_from"]) >= {2020, 2024}
    splits = table[table["kind"] == "split"].groupby(["valid_from", "from_code"]).size()
    assert splits.to_dict() == {(2020, "1850"): 2, (2020, "5012"): 3, (2024, "1507"): 2}
    geo.kommune_changes().drop(columns="kind")  # a copy: the cache is unaffected
    assert "kind" in geo.kommune_changes().columns


def test_recode_reference_2020_to_2024(kommuner_2020, kommuner_2024):
    codes = pd.Series(kommuner_2020.index, index=kommuner_2020.index)
    new = geo.recode_kommune_series(codes, 2024, on_split="na")
    assert new[new.isna()].index.tolist() == ["1507"]  # Ålesund/Haram split
    mapped = new.dropna()
    assert mapped.isin(kommuner_2024.index).all()
    assert mapped.is_unique  # no 2024 merges: one-to-one
    old_names = kommuner_2020.loc[mapped.index, "area_name"].to_numpy()
    new_names = kommuner_2024.loc[mapped.to_numpy(), "area_name"].to_numpy()
    # same kommune: the 2020 name appears in the 2024 name (which may add Sami/Kven forms)
    assert all(o in n for o, n in zip(old_names, new_names, strict=True))
    gone = sorted(set(kommuner_2020.index) - set(kommuner_2024.index))
    assert len(gone) == 114 and set(gone) - set(mapped[mapped != mapped.index].index) == {"1507"}


def test_recode_grunnkrets(grunnkretser):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert geo.recode_grunnkrets("02190101", 2024) == "32010101"
    with pytest.warns(UserWarning, match="0220 were merged"):
        out = geo.recode_grunnkrets(pd.Series(grunnkretser.index), 2024)
    assert out.str[:4].value_counts().to_dict() == {"3201": 437, "3203": 98}
    assert (out.str[4:] == pd.Series(grunnkretser.index).str[4:]).all()
