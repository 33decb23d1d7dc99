"""Area hierarchy, aggregation of small areas, and kommune number changes.

Codes are zero-padded strings: fylke 2, kommune 4, bydel 6, grunnkrets 8 digits; a delområde is
``KKKKDD00`` (the grunnkrets ``KKKKDDGG`` with ``GG`` = 00).

Kommune number changes come from ``soslokal_lib/data/kommune_changes.csv``, built from
Statistics Norway's Klass classification 131 (Standard for kommuneinndeling), change lists
2017–2024 (https://www.ssb.no/klass/klassifikasjoner/131; data SSB, CC BY 4.0), as stored in
opisthokonta/kommuneendringer ``data-raw/changetables.json``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError

_LEVELS = {"delomrade": "delomrade", "delområde": "delomrade", "kommune": "kommune",
           "fylke": "fylke"}


# --- hierarchy ----------------------------------------------------------------------------------


def _codes(code: Any, pattern: str, what: str) -> tuple[pd.Series, bool]:
    scalar = isinstance(code, str | int | np.integer)
    text = pd.Series([code] if scalar else code).astype("str").str.strip()
    bad = ~text.fillna("").str.fullmatch(pattern)
    if bad.any():
        shown = ", ".join(repr(v) for v in text[bad].unique()[:5])
        raise SoslokalError(f"not a valid {what} code: {shown} ({int(bad.sum())} values). "
                            "Fix: codes are zero-padded digit strings, e.g. '0301' or "
                            "'03010101'.")
    return text, scalar


def kommune_of(code: Any) -> Any:
    """Kommune number (4 digits) of a kommune, bydel, delområde or grunnkrets code.

    Accepts a string or a Series (vectorised); returns the same kind.
    """
    text, scalar = _codes(code, r"\d{4}|\d{6}|\d{8}", "kommune, bydel or grunnkrets")
    out = text.str[:4]
    return out.iloc[0] if scalar else out


def fylke_of(code: Any) -> Any:
    """Fylke number (2 digits) of any area code (same kinds as :func:`kommune_of`)."""
    text, scalar = _codes(code, r"\d{4}|\d{6}|\d{8}", "area")
    out = text.str[:2]
    return out.iloc[0] if scalar else out


def delomrade_of(grunnkrets_code: Any) -> Any:
    """Delområde code ``KKKKDD00`` of a grunnkrets code ``KKKKDDGG`` (string or Series)."""
    text, scalar = _codes(grunnkrets_code, r"\d{8}", "grunnkrets (8 digits)")
    out = text.str[:6] + "00"
    return out.iloc[0] if scalar else out


# --- aggregation --------------------------------------------------------------------------------


def aggregate_areas(
    data: Any,
    mapping_or_level: str | Mapping[str, str] | pd.Series | pd.DataFrame,
    *,
    counts: Iterable[str] = (),
    rates: Mapping[str, str] | None = None,
    by: str | Iterable[str] | None = None,
    skipna: bool = False,
) -> Any:
    """Aggregate small areas (usually grunnkretser) into larger ones.

    ``data`` is a (Geo)DataFrame indexed by ``area_id`` (or with an ``area_id`` column).
    ``mapping_or_level`` is ``"delomrade"``, ``"kommune"`` or ``"fylke"`` (derived from the
    codes), or the municipality's own zones (levekårssoner, neighbourhoods): a dict/Series
    grunnkrets → zone, or a DataFrame whose first column is the grunnkrets code, second the
    zone and optional third the zone name. ``counts`` are summed; ``rates`` maps each rate
    column to its weight column (e.g. population) and gives the weighted mean
    ``sum(rate·w) / sum(w)`` — rates are never averaged unweighted, and a missing weight next
    to a present rate is an error. With ``skipna=False`` a zone with a missing member value
    gets a missing result; ``skipna=True`` uses the members that have values. ``by`` names
    further grouping columns (e.g. ``year``). Geometries of a GeoDataFrame are dissolved
    (union) per zone. The result is indexed by ``area_id`` (the zone) with ``n_units`` (member
    areas), the aggregated columns, ``area_name``/``parent_id`` where known, and geometry.
    Areas missing from the mapping raise; zones of the mapping without data warn.
    """
    frame = _with_area_id(data)
    by_cols = [by] if isinstance(by, str) else list(by or [])
    counts = list(counts)
    rates = dict(rates or {})
    _check_columns(frame, [*by_cols, *counts, *rates, *rates.values()])
    codes = frame["area_id"].astype("str").str.strip()
    zone, names, parents = _zones(codes, mapping_or_level)
    keys = ["area_id", *by_cols]
    work = frame[by_cols].assign(area_id=zone.to_numpy())
    grouped_n = work.groupby(keys, sort=True, dropna=False).size().rename("n_units")
    out = grouped_n.to_frame()
    for col in counts:
        values = _numeric(frame, col)
        g = values.groupby([work[k] for k in keys], sort=True, dropna=False)
        total = g.sum(min_count=1)
        if not skipna:
            total = total.mask(values.isna().groupby([work[k] for k in keys], sort=True,
                                                     dropna=False).any())
        out[col] = total
    for rate_col, weight_col in rates.items():
        out[rate_col] = _weighted(frame, work, keys, codes, rate_col, weight_col, skipna)
    out = out.reset_index(level=by_cols) if by_cols else out
    if names is not None:
        out.insert(0, "area_name", out.index.map(names).astype("str"))
    if parents is not None:
        out.insert(1 if names is not None else 0, "parent_id", parents(out.index))
    if _is_geo(data):
        out = _dissolve(data, frame, zone, out)
    out.index.name = "area_id"
    return out


def _with_area_id(data: Any) -> pd.DataFrame:
    if "area_id" in getattr(data, "columns", []):
        return data
    if getattr(data.index, "name", None) == "area_id":
        return data.reset_index()
    raise SoslokalError("aggregate_areas: the data has no 'area_id' index or column. Fix: index "
                        "the table by the area codes (data.set_index('area_id')).")


def _check_columns(frame: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in dict.fromkeys(columns) if c not in frame.columns]
    if missing:
        raise SoslokalError(f"aggregate_areas: column(s) {', '.join(map(repr, missing))} not in "
                            f"the data (it has {', '.join(map(repr, frame.columns[:20]))}).")


def _numeric(frame: pd.DataFrame, col: str) -> pd.Series:
    values = frame[col]
    if not (pd.api.types.is_numeric_dtype(values.dtype) and
            not pd.api.types.is_bool_dtype(values.dtype)):
        raise SoslokalError(f"aggregate_areas: column {col!r} is not numeric ({values.dtype}). "
                            "Fix: convert it to numbers first (missing values as NaN).")
    return values.astype("float64")


def _zones(codes: pd.Series, spec: Any) -> tuple[pd.Series, Any, Any]:
    """Zone of each code, zone names (Series or None) and a parent function (or None)."""
    if isinstance(spec, str):
        level = _LEVELS.get(spec.strip().casefold())
        if level is None:
            raise SoslokalError(f"aggregate_areas: unknown level {spec!r}. Fix: use 'delomrade', "
                                "'kommune' or 'fylke', or pass a mapping grunnkrets → zone.")
        if level == "delomrade":
            return delomrade_of(codes), None, lambda idx: pd.Series(idx).str[:4].to_numpy()
        if level == "kommune":
            return kommune_of(codes), None, lambda idx: pd.Series(idx).str[:2].to_numpy()
        return fylke_of(codes), None, None
    table = _mapping_table(spec)
    width = int(codes.str.len().max()) if len(codes) else 8
    keys = table.iloc[:, 0].astype("str").str.strip()
    keys = keys.where(~keys.str.fullmatch(r"\d+").fillna(False), keys.str.zfill(width))
    zones = table.iloc[:, 1].astype("str").str.strip()
    known = zones.notna() & (zones != "")
    dup = keys[known][keys[known].duplicated()]
    if len(dup):
        raise SoslokalError(f"aggregate_areas: the mapping assigns {', '.join(dup.unique()[:10])}"
                            " to more than one zone. Fix: give each area one zone.")
    lookup = pd.Series(zones[known].to_numpy(), index=keys[known].to_numpy())
    unmapped = codes[~codes.isin(lookup.index)].unique()
    if len(unmapped):
        shown = ", ".join(unmapped[:15]) + (f" … and {len(unmapped) - 15} more"
                                            if len(unmapped) > 15 else "")
        raise SoslokalError(f"aggregate_areas: {len(unmapped)} areas of the data are not in the "
                            f"mapping: {shown}. Fix: add them to the mapping (grunnkrets → zone)"
                            " or drop them from the data first.")
    unused = sorted(set(lookup.index) - set(codes))
    if unused:
        shown = ", ".join(unused[:15]) + (f" … and {len(unused) - 15} more"
                                          if len(unused) > 15 else "")
        warnings.warn(f"aggregate_areas: {len(unused)} areas of the mapping have no data: "
                      f"{shown}. Their zones are aggregated without them.", UserWarning,
                      stacklevel=3)
    names = None
    if table.shape[1] >= 3:
        names = pd.Series(table.iloc[:, 2].astype("str").to_numpy(), index=zones.to_numpy())
        names = names[~names.index.duplicated()]
    return codes.map(lookup), names, None


def _mapping_table(spec: Any) -> pd.DataFrame:
    if isinstance(spec, Mapping):
        return pd.DataFrame({"area_id": list(spec.keys()), "zone": list(spec.values())})
    if isinstance(spec, pd.Series):
        return pd.DataFrame({"area_id": spec.index.astype("str"), "zone": spec.to_numpy()})
    if isinstance(spec, pd.DataFrame):
        table = spec.reset_index() if spec.index.name is not None else spec
        if table.shape[1] < 2:
            raise SoslokalError("aggregate_areas: a mapping table needs two columns "
                                "(grunnkrets code, zone) and optionally a third (zone name).")
        return table
    raise SoslokalError(f"aggregate_areas: cannot use {type(spec).__name__} as mapping. Fix: "
                        "pass 'delomrade', 'kommune', a dict, a Series or a DataFrame.")


def _weighted(frame: pd.DataFrame, work: pd.DataFrame, keys: list[str], codes: pd.Series,
              rate_col: str, weight_col: str, skipna: bool) -> pd.Series:
    rate = _numeric(frame, rate_col)
    weight = _numeric(frame, weight_col)
    lacking = rate.notna() & weight.isna()
    negative = weight < 0
    for mask, what in ((lacking, "no weight"), (negative, "a negative weight")):
        if mask.any():
            shown = ", ".join(codes[mask].unique()[:15])
            raise SoslokalError(f"aggregate_areas: {int(mask.sum())} rows have a rate "
                                f"{rate_col!r} but {what} in {weight_col!r} (areas {shown}). "
                                "Fix: supply the weights (e.g. population) for every area; "
                                "rates are never averaged unweighted.")
    present = rate.notna()
    groups = [work[k] for k in keys]
    num = (rate * weight).where(present).groupby(groups, sort=True, dropna=False).sum()
    den = weight.where(present).groupby(groups, sort=True, dropna=False).sum()
    result = (num / den.where(den > 0)).astype("float64")
    if not skipna:
        result = result.mask(rate.isna().groupby(groups, sort=True, dropna=False).any())
    return result


def _is_geo(data: Any) -> bool:
    return hasattr(data, "geometry") and hasattr(data, "crs")


def _dissolve(data: Any, frame: pd.DataFrame, zone: pd.Series, out: pd.DataFrame) -> Any:
    import geopandas as gpd

    geo = gpd.GeoDataFrame({"zone": zone.to_numpy(), "src": frame["area_id"].to_numpy()},
                           geometry=frame[data.geometry.name].to_numpy(), crs=data.crs)
    geo = geo.drop_duplicates("src")  # with `by`, an area repeats; its geometry counts once
    shapes = geo[["zone", "geometry"]].dissolve(by="zone")
    geometry = shapes.geometry.reindex(out.index)
    return gpd.GeoDataFrame(out, geometry=geometry.to_numpy(), crs=data.crs)


# --- kommune number changes ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _changes() -> pd.DataFrame:
    source = resources.files("soslokal_lib") / "data" / "kommune_changes.csv"
    with source.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, comment="#", dtype="str")
    return table.assign(valid_from=table["valid_from"].astype(int))


def kommune_changes() -> pd.DataFrame:
    """The kommune change table (2017–2024): ``from_code, to_code, valid_from, kind,
    from_name, to_name``; kind is ``renumber``, ``merge`` or ``split``. Source: SSB Klass 131."""
    return _changes().copy()


@lru_cache(maxsize=1)
def _index() -> tuple[dict, dict, list[int], dict]:
    table = _changes()
    forward: dict[tuple[int, str], list[str]] = {}
    backward: dict[tuple[int, str], list[str]] = {}
    names: dict[str, str] = {}
    for row in table.itertuples(index=False):
        forward.setdefault((row.valid_from, row.from_code), []).append(row.to_code)
        backward.setdefault((row.valid_from, row.to_code), []).append(row.from_code)
        names.setdefault(row.from_code, row.from_name)
        names[row.to_code] = row.to_name
    return forward, backward, sorted(table["valid_from"].unique().tolist()), names


def _kommune_code(code: Any) -> str:
    if isinstance(code, int | np.integer) and not isinstance(code, bool):
        code = str(int(code))
    text = str(code).strip()
    if not text.isdigit() or len(text) > 4:
        raise SoslokalError(f"not a kommune number: {code!r}. Fix: use four digits, e.g. '0301'.")
    return text.zfill(4)


def _recode(code: Any, year: int) -> tuple[str, list[str]]:
    """New code and the kinds of change passed ('merge', 'split-back' …)."""
    forward, backward, years, names = _index()
    current = _kommune_code(code)
    kinds: list[str] = []
    later = [y for y in reversed(years) if y > year]
    for y in later:  # the code is newer than `year`: go back where that is one-to-one
        sources = backward.get((y, current))
        if not sources:
            continue
        if current in sources:
            continue
        if len(set(sources)) > 1:
            listed = ", ".join(f"{s} {names.get(s, '')}".strip() for s in sorted(set(sources)))
            exc = SoslokalError(f"kommune {current} ({names.get(current, '')}) was formed on 1 "
                                f"January {y} by merging {listed}; it has no single number in "
                                f"{year}. Fix: aggregate the older data to {current} instead.")
            exc.candidates = sorted(set(sources))
            raise exc
        current = sources[0]
        kinds.append("renumber")
    for y in (y for y in years if y <= year):
        targets = forward.get((y, current))
        if not targets:
            continue
        if len(set(targets)) > 1:
            listed = ", ".join(f"{t} {names.get(t, '')}".strip() for t in sorted(set(targets)))
            exc = SoslokalError(f"kommune {current} ({names.get(current, '')}) was split on 1 "
                                f"January {y} among {listed}; it cannot be recoded one-to-one "
                                f"to {year}. Fix: assign its data to one of them explicitly.")
            exc.candidates = sorted(set(targets))
            raise exc
        kinds.append("merge" if len(set(backward[(y, targets[0])])) > 1 else "renumber")
        current = targets[0]
    return current, kinds


def recode_kommune(code: str | int, year: int) -> str:
    """The kommune number valid on 1 January ``year`` for ``code`` (any number from 2016 on).

    Renumbering (2018 Trøndelag, 2020 regional reform, 2024 county splits) is followed in both
    directions; a merged kommune gets the number of the merged kommune (aggregate its data).
    Splits (e.g. Snillfjord 5012 in 2020, Ålesund 1507 in 2024) and going back before a merge
    raise :class:`SoslokalError` with ``.candidates``. Codes not in the change table are
    returned unchanged. Example: ``recode_kommune("0220", 2024) == "3203"`` (Asker).
    """
    return _recode(code, int(year))[0]


def recode_kommune_series(codes: pd.Series, year: int, *, on_split: str = "raise") -> pd.Series:
    """Vectorised :func:`recode_kommune`; ``on_split="na"`` gives <NA> for ambiguous codes."""
    if on_split not in ("raise", "na"):
        raise SoslokalError("on_split must be 'raise' or 'na'.")
    text = pd.Series(codes).astype("str").str.strip()
    lookup: dict[str, Any] = {}
    errors: list[str] = []
    for code in text.dropna().unique():  # a few hundred distinct kommuner at most
        try:
            lookup[code] = recode_kommune(code, year)
        except SoslokalError as exc:
            lookup[code] = pd.NA
            errors.append(str(exc))
    if errors and on_split == "raise":
        more = f" … and {len(errors) - 1} more" if len(errors) > 1 else ""
        raise SoslokalError(f"{errors[0]}{more} (or pass on_split='na').")
    return text.map(lookup).astype("str")


def recode_grunnkrets(code: Any, year: int) -> Any:
    """Recode grunnkrets/delområde codes (8 digits) to ``year``: the kommune prefix follows
    :func:`recode_kommune`, the last four digits are kept. Warns where the kommune was merged
    (SSB then renumbered some grunnkretser; check against the grunnkrets catalogue)."""
    text, scalar = _codes(code, r"\d{8}", "grunnkrets (8 digits)")
    kommuner = text.str[:4]
    merged: list[str] = []
    lookup: dict[str, str] = {}
    for k in kommuner.unique():
        lookup[k], kinds = _recode(k, int(year))
        if "merge" in kinds:
            merged.append(k)
    if merged:
        warnings.warn(f"kommune(s) {', '.join(sorted(merged))} were merged before {year}: the "
                      "kommune prefix of their grunnkretser is recoded, but SSB renumbered some "
                      "grunnkretser of merged kommuner. Check the codes against SSB's grunnkrets "
                      "catalogue.", UserWarning, stacklevel=2)
    out = kommuner.map(lookup) + text.str[4:]
    return out.iloc[0] if scalar else out
