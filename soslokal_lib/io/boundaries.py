"""Read area boundaries (grunnkretser, delområder, bydeler, kommuner, fylker) from files.

``read_areas`` accepts GeoJSON (including Geonorge's multi-layer GeoJSON, whose top level is an
object of named FeatureCollections), zip downloads as Geonorge serves them, GML, GeoPackage and
shapefiles, and returns a GeoDataFrame indexed by a zero-padded string ``area_id`` in EPSG:25833.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib._messages import msg
from soslokal_lib.errors import AreaFormatError, Problem, problems_error, raise_problems

TARGET_CRS = "EPSG:25833"

#: Code columns, most specific level first: (normalised header, level).
CODE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("grunnkretsnummer", "grunnkrets"), ("grunnkretsnr", "grunnkrets"),
    ("grunnkrets", "grunnkrets"),
    ("delomradenummer", "delomrade"), ("delområdenummer", "delomrade"),
    ("delomradenr", "delomrade"), ("delområdenr", "delomrade"),
    ("bydelsnummer", "bydel"), ("bydelnummer", "bydel"), ("bydelnr", "bydel"),
    ("bydelsnr", "bydel"),
    ("kommunenummer", "kommune"), ("kommunenr", "kommune"), ("knr", "kommune"),
    ("fylkesnummer", "fylke"), ("fylkenummer", "fylke"), ("fylkesnr", "fylke"),
    ("area_id", None), ("areaid", None),
)
#: Name columns in order of preference.
NAME_COLUMNS: tuple[str, ...] = (
    "area_name", "grunnkretsnavn", "delomradenavn", "delområdenavn", "bydelsnavn", "bydelnavn",
    "kommunenavn", "fylkesnavn", "navn", "name",
)
#: Width of a code at each level.
LEVEL_WIDTH = {"fylke": 2, "kommune": 4, "bydel": 6, "delomrade": 8, "grunnkrets": 8}
_NORWEGIAN = ("nor", "nob", "nno", "no", "nb", "nn")
_DATA_SUFFIXES = (".gpkg", ".geojson", ".json", ".gml", ".shp")


def read_areas(
    path: str | Path,
    *,
    id_column: str | None = None,
    name_column: str | None = None,
    layer: str | None = None,
    crs: Any = None,
) -> Any:
    """Read a boundary file into a GeoDataFrame indexed by ``area_id`` (EPSG:25833).

    ``path`` is a GeoJSON (plain or Geonorge multi-layer), GML, GPKG or shapefile, or a zip
    holding one of them. The polygon layer is chosen unless ``layer`` names one. The code column
    (``grunnkretsnummer``, ``delomradenummer``, ``bydelnr``, ``kommunenummer``, ``fylkesnummer``
    …) and a name column are detected unless given; SSB codes become zero-padded strings of the
    level's width (kommune 4, fylke 2, bydel 6, grunnkrets/delområde 8) and must be digits.
    A kommune's own areas may have any non-empty text as id (``id_column``: a name, a local
    code like ``S-04``); a file without a code column uses its names as ids (level
    ``"custom"``). A GML file is read without writing a ``.gfs`` file beside it. Geonorge name lists
    (one entry per language) give the Norwegian name. ``crs`` is the CRS to assume when the file
    declares none (or declares a wrong one). Invalid geometries are repaired with
    ``shapely.make_valid``. The result keeps the original properties, adds ``area_name`` and,
    for grunnkrets/delområde/bydel (kommune) and kommune (fylke) codes, ``parent_id``;
    ``gdf.attrs`` records source, sha256, layer, detected columns, level and every change.
    """
    import geopandas as gpd

    path = Path(path)
    frame, where, changes, info = _polygons(path, layer, crs)
    code_col, level = _code_column(frame, id_column, name_column, where)
    from_names = level == "name"
    if from_names and _is_language_list(frame[code_col].dropna().iloc[0]
                                        if frame[code_col].notna().any() else None):
        frame = frame.assign(**{code_col: _names(frame[code_col])})
    codes, level = _normalise_codes(frame[code_col], level, code_col, where, changes)
    name_col = code_col if from_names else _name_column(frame, name_column, code_col, where)
    names = _names(frame[name_col]) if name_col else pd.Series(pd.NA, index=frame.index,
                                                                   dtype="str")
    _check_duplicates(codes, code_col, where, level)

    clash = [c for c in ("area_name", "parent_id") if c in frame.columns and c != name_col]
    if clash:
        changes.append(f"file columns {clash} replaced by the derived ones")
    props = frame.drop(columns=clash)
    out = gpd.GeoDataFrame(props, geometry=frame.geometry.name, crs=frame.crs)
    out.insert(0, "area_name", names.to_numpy())
    parent = _parents(codes, level)
    if parent is not None:
        out.insert(1, "parent_id", parent.to_numpy())
    out.index = pd.Index(codes.to_numpy(), name="area_id", dtype="str")
    out = _repair(out, changes)
    if out.geometry.name != "geometry":
        out = out.rename_geometry("geometry")
    out.attrs = {**info, "id_column": code_col, "name_column": name_col, "level": level,
                 "changes": changes}
    return out


def _polygons(path: Path, layer: str | None, crs: Any) -> tuple[Any, str, list[str], dict]:
    """The polygon layer of ``path`` checked and in EPSG:25833: ``(frame, where, changes,
    attrs)``."""
    if not path.is_file():
        raise FileNotFoundError(msg("geo.not_found", path=path))
    raw = path.read_bytes()
    changes: list[str] = []
    frame, chosen_layer, member = _read_frame(path, raw, layer)
    where = _where(path, member, chosen_layer)
    if len(frame) == 0:
        _fail(where, msg("geo.no_features"), msg("geo.no_features.fix"),
              msg("geo.no_features.fix_config"))
    _check_geometries(frame, where)
    crs_source = frame.attrs.get("crs_source")
    frame = _fix_crs(frame, where, crs, changes)
    info = {"source": str(path), "sha256": hashlib.sha256(raw).hexdigest(), "member": member,
            "layer": chosen_layer, "crs_source": crs_source}
    return frame, where, changes, info


# --- the kommune's own areas ---------------------------------------------------------------------

#: Share of an area's surface that must lie inside the kommune boundary for it to be kept.
INSIDE_SHARE = 0.5


def read_kommune_boundary(path: str | Path, kommune: str | None = None) -> Any:
    """The kommune's outline (a GeoSeries of one polygon, EPSG:25833) from a boundary file.

    A file of several kommuner (e.g. Geonorge's national «Kommuner») gives the feature whose
    kommunenummer is ``kommune``; a file without kommune codes gives the union of its polygons.
    """
    import geopandas as gpd

    try:
        frame, where, changes, _ = _polygons(Path(path), None, None)
    except AreaFormatError as exc:  # its fixes name [areas] options, which are not this file's
        fix = msg("geo.boundary.fix")
        raise problems_error(AreaFormatError, exc.source, [
            dataclasses.replace(p, fix=fix, fix_config=fix) for p in exc.problems]) from None
    by_norm = {_norm(c): c for c in frame.columns if c != frame.geometry.name}
    column = next((by_norm[_norm(k)] for k, level in CODE_COLUMNS
                   if level == "kommune" and _norm(k) in by_norm), None)
    if column is not None and (kommune is not None or len(frame) > 1):
        codes, _ = _normalise_codes(frame[column], "kommune", column, where, changes)
        if kommune is None:
            _fail(where, msg("geo.boundary.several", n=codes.nunique()),
                  msg("geo.boundary.several.fix"), msg("geo.boundary.several.fix_config"))
        if kommune not in set(codes):
            listed = ", ".join(sorted(set(codes))[:10]) + (" …" if codes.nunique() > 10 else "")
            _fail(where, msg("geo.boundary.no_kommune", kommune=kommune, listed=listed),
                  msg("geo.boundary.no_kommune.fix"), msg("geo.boundary.no_kommune.fix_config"))
        frame = frame[(codes == kommune).to_numpy()]
    return gpd.GeoSeries([frame.geometry.union_all()], crs=frame.crs)


def areas_in_kommune(areas: Any, kommune: str | None = None,
                     boundary: Any = None) -> tuple[Any, Any]:
    """Split ``areas`` (from :func:`read_areas`) into those of the kommune and the rest.

    Areas whose ids are SSB codes below the kommune (grunnkrets, delområde, bydel) are kept when
    their code starts with ``kommune``; other areas (names, local codes) when at least
    :data:`INSIDE_SHARE` of their surface lies inside ``boundary`` (from
    :func:`read_kommune_boundary`). Without the needed ``kommune`` or ``boundary`` nothing is
    cut. Returns ``(kept, dropped)``; ``kept.attrs["kommune_cut"]`` says how the cut was made.
    """
    ids = pd.Index(areas.index.astype("str"))
    level = areas.attrs.get("level")
    coded = level in ("grunnkrets", "delomrade", "bydel") or (
        level is None and bool(ids.str.fullmatch(r"\d{6,}").all()))
    how = None
    if coded and kommune is not None:
        keep = np.asarray(ids.str[:4] == str(kommune))
        how = f"by code: prefix {kommune}"
    elif not coded and boundary is not None and len(areas):
        outline = boundary.to_crs(areas.crs).union_all()
        surface = areas.geometry.area.to_numpy()
        inside = areas.geometry.intersection(outline).area.to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            keep = np.where(surface > 0, inside / surface, 0.0) >= INSIDE_SHARE
        how = "by the kommune's outline"
    else:
        keep = np.ones(len(areas), dtype=bool)
    kept, dropped = areas[keep].copy(), areas[~keep].copy()
    kept.attrs = {**areas.attrs, "kommune_cut": how}
    return kept, dropped


# --- reading ------------------------------------------------------------------------------------


def _where(path: Path, member: str | None, layer: str | None) -> str:
    text = f"{path}!{member}" if member else str(path)
    return f"{text} (layer {layer!r})" if layer else text


def _read_frame(path: Path, raw: bytes, layer: str | None) -> tuple[Any, str | None, str | None]:
    """Read the chosen layer as a GeoDataFrame; returns (frame, layer name, zip member)."""
    member = None
    target = str(path)
    data = raw
    if raw.startswith(b"PK\x03\x04"):
        member = _zip_member(path)
        target = f"/vsizip/{path.resolve()}/{member}"
        with zipfile.ZipFile(path) as archive:
            data = archive.read(member) if member.lower().endswith((".json", ".geojson")) else b""
    suffix = (member or path.name).lower()
    gml = suffix.endswith(".gml")
    try:
        layers = _list_layers(target, gml)
    except Exception as exc:  # GDAL could not open it
        if suffix.endswith((".json", ".geojson")):
            return _read_json_layers(data, path, member, layer)
        raise AreaFormatError(msg("geo.unreadable", where=_where(path, member, None), error=exc)
                              ) from None
    chosen = _choose_layer(layers, layer, _where(path, member, None))
    options = _GML_OPEN if gml else {}
    import geopandas as gpd

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # pyogrio's "more than one layer"
            frame = gpd.read_file(target, layer=chosen, engine="pyogrio", **options)
    except Exception as exc:
        if suffix.endswith((".json", ".geojson")):
            return _read_json_layers(data or raw, path, member, layer)
        raise AreaFormatError(msg("geo.unreadable_layer", where=_where(path, member, chosen),
                                  error=exc)) from None
    frame.attrs["crs_source"] = frame.crs.to_string() if frame.crs is not None else None
    return frame, chosen, member


#: GDAL's GML driver writes a ``.gfs`` schema file beside a GML it opens unless told not to;
#: inputs are never touched.
_GML_OPEN = {"WRITE_GFS": "NO"}


def _list_layers(target: str, gml: bool = False) -> list[tuple[str, str]]:
    import pyogrio

    if not gml:
        return [(str(name), str(kind)) for name, kind in pyogrio.list_layers(target)]
    # pyogrio.list_layers takes no open options, so ask for one layer at a time.
    from pyogrio.errors import DataLayerError

    layers = []
    for i in range(1000):
        try:
            info = pyogrio.read_info(target, layer=i, **_GML_OPEN)
        except DataLayerError:
            break
        layers.append((str(info["layer_name"]), str(info["geometry_type"])))
    if not layers:
        raise AreaFormatError(msg("geo.gml_no_layer", target=target))
    return layers


def _zip_member(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
    except zipfile.BadZipFile:
        raise AreaFormatError(msg("geo.bad_zip", path=path)) from None
    found = [n for n in names if n.lower().endswith(_DATA_SUFFIXES)
             and not Path(n).name.startswith(("._", "."))]
    if not found:
        raise AreaFormatError(msg("geo.zip_empty", path=path,
                                  names=", ".join(names[:10]) or msg("geo.zip_nothing")))
    if len(found) > 1:
        raise AreaFormatError(msg("geo.zip_several", path=path, names=", ".join(found)))
    return found[0]


def _choose_layer(layers: list[tuple[str, str]], layer: str | None, where: str) -> str:
    listing = ", ".join(f"{n!r} ({k})" for n, k in layers)
    if layer is not None:
        for name, _ in layers:
            if name == layer or name.casefold() == layer.casefold():
                return name
        _fail(where, msg("geo.no_layer", layer=layer, listing=listing),
              msg("geo.no_layer.fix"), msg("geo.no_layer.fix_config"))
    polygons = [n for n, k in layers if "polygon" in k.lower()]
    if len(polygons) == 1:
        return polygons[0]
    if len(polygons) > 1:
        _fail(where, msg("geo.several_layers", listing=listing), msg("geo.several_layers.fix"),
              msg("geo.several_layers.fix_config"))
    unknown = [n for n, k in layers if k.lower() in ("unknown", "geometry", "none")]
    if len(unknown) == 1 or (len(layers) == 1 and not unknown):
        return (unknown or [layers[0][0]])[0]
    _fail(where, msg("geo.no_polygon_layer", listing=listing), msg("geo.no_polygon_layer.fix"),
          msg("geo.no_polygon_layer.fix_config"))


def _read_json_layers(data: bytes, path: Path, member: str | None,
                      layer: str | None) -> tuple[Any, str | None, str | None]:
    """Parse GeoJSON ourselves: one FeatureCollection, or an object of named ones (Geonorge)."""
    import geopandas as gpd

    where = _where(path, member, None)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise AreaFormatError(msg("geo.bad_json", where=where, error=exc)) from None
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        collections = {None: doc}
    elif isinstance(doc, dict) and any(isinstance(v, dict) and v.get("type") ==
                                       "FeatureCollection" for v in doc.values()):
        collections = {k: v for k, v in doc.items()
                       if isinstance(v, dict) and v.get("type") == "FeatureCollection"}
    else:
        raise AreaFormatError(msg("geo.not_geojson", where=where))
    kinds = {name: _json_kind(fc) for name, fc in collections.items()}
    if None in collections:
        chosen = None
    else:
        chosen = _choose_layer([(str(n), k) for n, k in kinds.items()], layer, where)
    fc = collections[chosen]
    features = fc.get("features") or []
    crs = _json_crs(fc.get("crs"))
    frame = gpd.GeoDataFrame.from_features(features, crs=crs)
    frame.attrs["crs_source"] = crs
    if crs is None and "crs" not in fc:
        frame.attrs["rfc7946"] = True  # GeoJSON without a crs member is lon/lat by standard
    return frame, chosen, member


def _json_kind(fc: dict) -> str:
    kinds = {str((f.get("geometry") or {}).get("type")) for f in (fc.get("features") or [])}
    if kinds and all("Polygon" in k for k in kinds):
        return "MultiPolygon" if "MultiPolygon" in kinds else "Polygon"
    return kinds.pop() if len(kinds) == 1 else "Unknown"


def _json_crs(member: Any) -> str | None:
    if not isinstance(member, dict):
        return None
    name = str((member.get("properties") or {}).get("name", ""))
    found = re.search(r"EPSG:{1,2}(?:[\d.]*:)?(\d+)", name)
    if found:
        return f"EPSG:{found.group(1)}"
    return "EPSG:4326" if "CRS84" in name else None


# --- checks and repairs -------------------------------------------------------------------------


def _check_geometries(frame: Any, where: str) -> None:
    geom = frame.geometry
    missing = geom.isna() | geom.is_empty
    kinds = geom.geom_type.fillna("")
    wrong = ~missing & ~kinds.isin(["Polygon", "MultiPolygon"])
    problems = [Problem(msg("geo.no_geometry", n=i + 1), fix=msg("geo.no_geometry.fix"))
                for i in np.flatnonzero(missing.to_numpy())]
    problems += [Problem(msg("geo.not_polygon", n=i + 1, kind=kinds.iloc[i]),
                         fix=msg("geo.not_polygon.fix"))
                 for i in np.flatnonzero(wrong.to_numpy())]
    raise_problems(AreaFormatError, where, problems)


def _fix_crs(frame: Any, where: str, crs: Any, changes: list[str]) -> Any:
    bounds = frame.total_bounds
    lonlat = bool(np.all(np.isfinite(bounds)) and -180 <= bounds[0] <= bounds[2] <= 180
                  and -90 <= bounds[1] <= bounds[3] <= 90)
    if crs is not None:
        if frame.crs is None or not frame.crs.equals(crs):
            changes.append(f"CRS set to {crs} as given (file declared {frame.crs})")
        frame = frame.set_crs(crs, allow_override=True)
    elif frame.crs is None:
        if not lonlat:
            _fail(where, msg("geo.no_crs", bounds=_fmt(bounds)), msg("geo.no_crs.fix"),
                  msg("geo.no_crs.fix_config"))
        if not frame.attrs.get("rfc7946"):
            warnings.warn(msg("geo.assume_4326", where=where), UserWarning, stacklevel=3)
        changes.append("no CRS declared: EPSG:4326 assumed (coordinates within lon/lat bounds)")
        frame = frame.set_crs("EPSG:4326")
    elif frame.crs.is_geographic and not lonlat:
        _fail(where, msg("geo.geographic_projected", crs=frame.crs.to_string(),
                         bounds=_fmt(bounds)),
              msg("geo.geographic_projected.fix"), msg("geo.geographic_projected.fix_config"))
    elif frame.crs.is_projected and lonlat:
        _fail(where, msg("geo.projected_lonlat", crs=frame.crs.to_string(), bounds=_fmt(bounds)),
              msg("geo.projected_lonlat.fix"), msg("geo.projected_lonlat.fix_config"))
    if not frame.crs.equals(TARGET_CRS):
        changes.append(f"reprojected from {frame.crs.to_string()} to {TARGET_CRS}")
        frame = frame.to_crs(TARGET_CRS)
    return frame


def _fail(where: str, message: str, fix: str, fix_config: str | None = None) -> None:
    """Raise :class:`AreaFormatError` for one problem, its fix worded for both audiences."""
    raise_problems(AreaFormatError, where, [Problem(message, fix=fix, fix_config=fix_config)])


def _fmt(bounds: np.ndarray) -> str:
    return "(" + ", ".join(f"{b:.6g}" for b in bounds) + ")"


def _repair(gdf: Any, changes: list[str]) -> Any:
    import shapely

    invalid = ~gdf.geometry.is_valid.to_numpy()
    if not invalid.any():
        return gdf
    geoms = gdf.geometry.to_numpy().copy()
    fixed = shapely.make_valid(np.asarray(geoms[invalid]), method="structure",
                               keep_collapsed=False)
    geoms[invalid] = fixed
    ids = gdf.index[invalid].tolist()
    shown = ", ".join(ids[:10]) + (f" … and {len(ids) - 10} more" if len(ids) > 10 else "")
    changes.append(f"repaired {len(ids)} invalid geometries with shapely.make_valid: {shown}")
    return gdf.set_geometry(geoms, crs=gdf.crs)


# --- columns ------------------------------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"[\s_.\-]+", "", str(name).strip().casefold())


def _code_column(frame: Any, id_column: str | None, name_column: str | None,
                 where: str) -> tuple[str, str | None]:
    """The id column and its level: an SSB level, ``None`` (a generic code column) or
    ``"name"`` (no code column: the names are the ids)."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    if id_column is not None:
        if id_column not in columns:
            _fail(where, msg("geo.no_column", column=id_column,
                             columns=", ".join(map(repr, columns))),
                  msg("geo.no_column.fix", option="id_column"),
                  msg("geo.no_column.fix_config", option="id_column"))
        return id_column, dict(CODE_COLUMNS).get(_norm(id_column))
    by_norm = {_norm(c): c for c in columns}
    for key, level in CODE_COLUMNS:
        if _norm(key) in by_norm:
            return by_norm[_norm(key)], level
    for key, level in CODE_COLUMNS:  # shapefiles cut field names to 10 characters
        for norm, col in by_norm.items():
            if len(str(col)) == 10 and len(key) > 10 and _norm(key).startswith(norm):
                return col, level
    name_col = _name_column(frame, name_column, None, where)
    if name_col is not None:
        return name_col, "name"
    fitting = [c for c in columns if _unique_text(frame[c])]
    hint = msg("geo.such_as", column=fitting[0]) if fitting else ""
    _fail(where, msg("geo.no_id_column", columns=", ".join(map(repr, columns))),
          msg("geo.no_id_column.fix", hint=hint), msg("geo.no_id_column.fix_config", hint=hint))
    raise AssertionError  # unreachable


def _unique_text(values: pd.Series) -> bool:
    text = values.astype("str").str.strip()
    return bool(values.notna().all() and (text != "").all() and text.is_unique)


def _normalise_codes(values: pd.Series, level: str | None, column: str, where: str,
                     changes: list[str]) -> tuple[pd.Series, str | None]:
    """Ids as strings: SSB codes zero-padded to the level's width; a generic code column of
    digits likewise (width inferred); any other text (a name, a local code) as written."""
    if pd.api.types.is_float_dtype(values.dtype):
        whole = values.dropna()
        if not np.all(np.mod(whole, 1) == 0):
            bad = whole[np.mod(whole, 1) != 0]
            _code_problems(values.index.get_indexer(bad.index), bad, column, where,
                           "geo.code_not_whole")
        text = values.astype("Int64").astype("str")
    else:
        text = values.astype("str").str.strip()
    missing = values.isna().to_numpy() | (text.fillna("") == "").to_numpy()
    digits = text.fillna("").str.fullmatch(r"\d+").to_numpy()
    what = "name" if level == "name" else "code"
    problems = [Problem(msg(f"geo.no_{what}", n=i + 1), column=column,
                        fix=msg(f"geo.no_{what}.fix"), fix_config=msg(f"geo.no_{what}.fix_config"))
                for i in np.flatnonzero(missing)]
    ssb = level in LEVEL_WIDTH
    if ssb:
        problems += [Problem(msg("geo.code_not_number", n=i + 1), column=column,
                             value=text.iloc[i],
                             fix=msg("geo.code_not_number.fix", column=column, level=level),
                             fix_config=msg("geo.code_not_number.fix_config", column=column,
                                            level=level))
                     for i in np.flatnonzero(~missing & ~digits)]
    raise_problems(AreaFormatError, where, problems)
    if not ssb and (level == "name" or not digits.all()):
        if level == "name":
            changes.append(f"no code column: the names in {column!r} are the area ids")
        return text, "custom"
    lengths = text.str.len()
    width = LEVEL_WIDTH.get(level) if level else _infer_width(int(lengths.max()))
    if level is None:
        level = {2: "fylke", 4: "kommune", 6: "bydel"}.get(width)
    too_long = (lengths > width).to_numpy()
    if too_long.any():
        _code_problems(np.flatnonzero(too_long), text[too_long], column, where,
                       "geo.code_too_long", width=width,
                       level=level or msg("geo.code_level"))
    short = int((lengths < width).sum())
    if short:
        changes.append(f"zero-padded {short} codes in {column!r} to {width} digits")
    return text.str.zfill(width), level


def _infer_width(longest: int) -> int:
    return longest + (longest % 2)


def _code_problems(positions: Any, values: pd.Series, column: str, where: str,
                   key: str, **params: object) -> None:
    problems = [Problem(msg(key, n=int(i) + 1, **params), column=column, value=v,
                        fix=msg("geo.code.fix"), fix_config=msg("geo.code.fix_config"))
                for i, v in zip(positions, values.tolist(), strict=False)]
    raise_problems(AreaFormatError, where, problems)


def _check_duplicates(codes: pd.Series, column: str, where: str, level: str | None) -> None:
    dup = codes[codes.duplicated(keep=False)]
    if dup.empty:
        return
    counts = dup.value_counts()
    what = "id" if level == "custom" else "code"
    problems = [Problem(msg(f"geo.duplicate.{what}", n=n), column=column, value=code,
                        fix=msg("geo.duplicate.fix"), fix_config=msg("geo.duplicate.fix_config"))
                for code, n in counts.items()]
    raise_problems(AreaFormatError, msg(f"geo.duplicates.{what}", where=where,
                                        codes=", ".join(counts.index[:10])), problems)


def _name_column(frame: Any, name_column: str | None, code_col: str | None,
                 where: str) -> str | None:
    columns = [c for c in frame.columns if c != frame.geometry.name]
    if name_column is not None:
        if name_column not in columns:
            _fail(where, msg("geo.no_column", column=name_column,
                             columns=", ".join(map(repr, columns))),
                  msg("geo.no_column.fix", option="name_column"),
                  msg("geo.no_column.fix_config", option="name_column"))
        return name_column
    for col in (c for c in columns if c != code_col):  # Geonorge: names in several languages
        sample = frame[col].dropna()
        if len(sample) and _is_language_list(sample.iloc[0]):
            return col
    by_norm = {_norm(c): c for c in columns if c != code_col}
    for key in NAME_COLUMNS:
        if _norm(key) in by_norm:
            return by_norm[_norm(key)]
    for key in NAME_COLUMNS:  # shapefiles cut field names to 10 characters
        for norm, col in by_norm.items():
            if len(str(col)) == 10 and len(key) > 10 and _norm(key).startswith(norm):
                return col
    return None


def _is_language_list(value: Any) -> bool:
    value = _maybe_json(value)
    return (isinstance(value, list) and bool(value) and isinstance(value[0], dict)
            and "sprak" in value[0])


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value.lstrip().startswith(("[", "{")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _names(values: pd.Series) -> pd.Series:
    """Plain names; from Geonorge language lists the Norwegian entry (lowest ``rekkefolge``)."""
    def pick(value: Any) -> Any:
        value = _maybe_json(value)
        if isinstance(value, dict):
            value = [value]
        if isinstance(value, list):
            entries = [v for v in value if isinstance(v, dict) and v.get("navn")]
            if not entries:
                return pd.NA
            nor = [v for v in entries if str(v.get("sprak", "")).casefold() in _NORWEGIAN]
            chosen = sorted(nor or entries, key=lambda v: str(v.get("rekkefolge", "")))[0]
            return str(chosen["navn"]).strip()
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return pd.NA
        return str(value).strip()

    if values.dtype != object:
        return values.astype("str").str.strip()
    return pd.Series([pick(v) for v in values.tolist()], index=values.index, dtype="str")


def _parents(codes: pd.Series, level: str | None) -> pd.Series | None:
    if level in ("grunnkrets", "delomrade", "bydel"):
        return codes.str[:4]
    if level == "kommune":
        return codes.str[:2]
    return None
