"""Write Fjordvik's levekårssoner: the kommune's own zones, cutting across its delområder.

SYNTETISKE DATA. Fjordvik (9901) is fictional. The six levekårssoner are Voronoi cells of six
fixed points, clipped to the kommune (the union of the grunnkretser), so they cut across the
delområder and split some grunnkretser. Written from the files ``generate.py`` made:

* ``levekarssoner.geojson`` — the zone polygons with a name only (``navn``), EPSG:25833, as a
  kommune draws them by hand;
* ``grunnkrets_til_sone.csv`` — the crosswalk grunnkrets → zone (``grunnkrets;sone``), each
  grunnkrets in the zone holding its representative point: what a kommune keeps when it defines
  its zones as lists of grunnkretser;
* ``stedskompass_fjordvik_soner.csv`` — the survey answers with «Hvilket område bor du i?» as a
  zone: each respondent's zone is drawn (seeded) in proportion to the population of their
  delområde living in each zone (by area within the grunnkretser). The answers themselves are
  unchanged;
* ``levekar_fjordvik_levekarssoner.csv`` — the kommune's levekår sheet per zone, zones as
  columns (by name), ``;`` and decimal comma: «Barn i lavinntektsfamilier (%)» (an indicator
  the project does not know, defined in the configs' ``[levekar.indicators]``; 1.35 × the
  population-weighted persistent low-income share, a made-up relation) and «Trangbodde (%)»
  (population-weighted over the crosswalk), with «:» for the smallest zone's crowding.

``configs/fjordvik_soner.toml`` (polygons) and ``configs/fjordvik_soner_kobling.toml``
(crosswalk) use them. Run: ``python data/sample/make_soner.py [--out DIR]``; the output is
byte-identical for the same inputs and library versions (``tests/test_zones.py`` checks it).
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint

HERE = Path(__file__).resolve().parent
SEED = 20250917
CRS = "EPSG:25833"
AREA_QUESTION = "Hvilket område bor du i?"
#: Zone name → seed point (EPSG:25833). Chosen away from the delområde centres on purpose.
ZONES = {
    "Sone 1 Fjordsida": (296_500.0, 6_645_500.0),
    "Sone 2 Byen": (298_000.0, 6_650_500.0),
    "Sone 3 Nord": (297_500.0, 6_656_000.0),
    "Sone 4 Vest": (292_000.0, 6_651_000.0),
    "Sone 5 Øst": (306_000.0, 6_651_500.0),
    "Sone 6 Høgda": (302_500.0, 6_656_500.0),
}


def make_zones(gk: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The six zones: Voronoi cells of :data:`ZONES` clipped to the kommune, 1 m precision."""
    kommune = gk.union_all()
    points = MultiPoint(list(ZONES.values()))
    cells = shapely.voronoi_polygons(points, extend_to=kommune.buffer(5_000), ordered=True)
    shapes = [shapely.set_precision(c.intersection(kommune), 1.0) for c in cells.geoms]
    return gpd.GeoDataFrame({"navn": list(ZONES)}, geometry=shapes, crs=CRS)


def make_crosswalk(gk: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """Grunnkrets → the zone holding its representative point."""
    points = gpd.GeoDataFrame({"grunnkrets": gk["grunnkretsnummer"]},
                              geometry=gk.geometry.representative_point(), crs=CRS)
    hit = gpd.sjoin(points, zones, how="left", predicate="within")
    return (pd.DataFrame({"grunnkrets": hit["grunnkrets"], "sone": hit["navn"]})
            .sort_values("grunnkrets").reset_index(drop=True))


def zone_weights(gk: gpd.GeoDataFrame, zones: gpd.GeoDataFrame,
                 socio: pd.DataFrame) -> pd.DataFrame:
    """Population of each delområde (rows, by name) living in each zone (columns), spreading
    each grunnkrets' population over its area."""
    pieces = gpd.overlay(gk[["grunnkretsnummer", "delomradenavn", "geometry"]], zones,
                         how="intersection", keep_geom_type=True)
    area = gk.set_index("grunnkretsnummer").geometry.area
    share = pieces.geometry.area / area.reindex(pieces["grunnkretsnummer"]).to_numpy()
    pop = socio["population"].reindex(pieces["grunnkretsnummer"]).to_numpy()
    pieces = pieces.assign(people=share.to_numpy() * pop)
    return pieces.pivot_table(index="delomradenavn", columns="navn", values="people",
                              aggfunc="sum", fill_value=0.0)


def make_survey(raw: pd.DataFrame, weights: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    out = raw.copy()
    zones = list(weights.columns)
    drawn = []
    for area in raw[AREA_QUESTION]:
        w = weights.loc[area].to_numpy(dtype=float)
        drawn.append(zones[int(rng.choice(len(zones), p=w / w.sum()))])
    out[AREA_QUESTION] = drawn
    return out


def make_levekar_sheet(socio: pd.DataFrame, crosswalk: pd.DataFrame) -> str:
    """The levekår sheet per zone (zones as columns), as CSV text."""
    zone = crosswalk.set_index("grunnkrets")["sone"].reindex(socio.index)

    def weighted(col: str) -> pd.Series:
        ok = socio[col].notna()
        w = socio["population"].where(ok)
        return ((socio[col] * w).groupby(zone).sum() / w.groupby(zone).sum()).reindex(ZONES)

    pop = socio["population"].groupby(zone).sum().reindex(ZONES)
    rows = {"Barn i lavinntektsfamilier (%)": (1.35 * weighted("low_income_pct")).round(1),
            "Trangbodde (%)": weighted("crowded_pct").round(1)}

    def cell(v: float) -> str:
        return f"{v:.1f}".replace(".", ",")

    lines = ["Levekår per levekårssone – Fjordvik kommune (9901) – SYNTETISKE DATA (fiktiv "
             "kommune)", ";".join(["Indikator", "Enhet", *ZONES])]
    for label, values in rows.items():
        cells = [cell(v) for v in values]
        if label.startswith("Trangbodde"):
            cells[list(ZONES).index(pop.idxmin())] = ":"
        lines.append(";".join([label, "%", *cells]))
    lines.append("«:» = skjult av kommunen. Kilde: soslokal, data/sample/make_soner.py "
                 "(syntetiske data).")
    return "\r\n".join(lines) + "\r\n"


def write_all(out: Path, source: Path = HERE) -> list[Path]:
    gk = gpd.read_file(source / "grunnkretser.geojson")
    names = gpd.read_file(source / "delomrader.geojson").set_index("delomradenummer")
    gk["delomradenavn"] = gk["delomradenummer"].map(names["delomradenavn"])
    socio = pd.read_csv(source / "socio_grunnkrets.csv", dtype={"area_id": str}).set_index(
        "area_id")
    raw = pd.read_csv(source / "stedskompass_fjordvik.csv", sep=";", encoding="utf-8-sig",
                      dtype=str, keep_default_na=False)
    zones = make_zones(gk)
    crosswalk = make_crosswalk(gk, zones)
    survey = make_survey(raw, zone_weights(gk, zones, socio), np.random.default_rng(SEED))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    path = out / "levekarssoner.geojson"
    doc = json.loads(zones.to_json(drop_id=True))
    doc = {"type": "FeatureCollection", "name": "levekarssoner",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}},
           "features": doc["features"]}
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(path)
    path = out / "grunnkrets_til_sone.csv"
    buf = io.StringIO()
    crosswalk.to_csv(buf, sep=";", index=False, lineterminator="\n")
    path.write_text(buf.getvalue(), encoding="utf-8")
    written.append(path)
    path = out / "levekar_fjordvik_levekarssoner.csv"
    path.write_bytes(make_levekar_sheet(socio, crosswalk).encode("utf-8-sig"))
    written.append(path)
    path = out / "stedskompass_fjordvik_soner.csv"
    buf = io.StringIO()
    survey.to_csv(buf, sep=";", index=False, lineterminator="\r\n")
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--source", type=Path, default=HERE)
    args = parser.parse_args(argv)
    for path in write_all(args.out, args.source):
        print(path)


if __name__ == "__main__":
    main()
