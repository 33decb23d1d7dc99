"""Population, age structure and income per neighbourhood from SSB-style long tables.

The input is a long population table (SSB 04362 shape): ``area_id`` (grunnkrets), ``age``
(5-year groups such as ``"0-4"``, ``"000-004"``, ``"0-4 år"``, ``"90+"``, or single years),
optional ``sex`` (``"Menn"``/``"Kvinner"``, SSB codes ``"1"``/``"2"``, …) and ``value``
(persons; missing values, SSB's "." for historical kretser, count as absent). Grunnkretser are
mapped to neighbourhoods (delområder or a municipality's own zones) and everything is summed
with vectorised group-bys.

Age bands follow Norwegian practice: 0–17 (children), 18–66 (working age), 67+ (pension age).
When ages come in 5-year groups, the groups that straddle a band limit (15–19 and 65–69) are
split evenly by single year of age (3/5 of 15–19 counted as 0–17, 2/5 of 65–69 as 18–66); the
band counts are then estimates, exact with single-year data. ``df.attrs["age_split"]`` says
which groups were split.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.io._ages import age_bounds

#: Age bands of the profile: label → (first age, last age; None = open).
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "0_17": (0, 17), "18_66": (18, 66), "67plus": (67, None),
}
#: Band labels for display.
BAND_LABELS = {"0_17": "0–17", "18_66": "18–66", "67plus": "67+"}
_MEN = {"menn", "mann", "men", "man", "male", "males", "m", "1"}
_WOMEN = {"kvinner", "kvinne", "women", "woman", "female", "females", "k", "f", "w", "2"}


def band_weights(ages: Any) -> pd.DataFrame:
    """Share of each age group falling in each band of :data:`AGE_BANDS` (rows sum to 1).

    A group is split evenly over its single years; an open group (``90+``) must start at or
    above 67, where it belongs wholly to 67+.
    """
    bounds = age_bounds(ages)
    open_low = np.isinf(bounds["hi"]) & (bounds["lo"] < 67)
    if open_low.any():
        raise SoslokalError(f"The open age group(s) {', '.join(bounds.index[open_low])} start "
                            "below 67 and cannot be split into 18–66 and 67+. Fix: fetch finer "
                            "age groups (e.g. 5-year groups up to 90+).")
    lo = bounds["lo"].to_numpy()
    hi = bounds["hi"].to_numpy()
    width = np.where(np.isinf(hi), 1.0, hi - lo + 1)
    cols = {}
    for band, (a, b) in AGE_BANDS.items():  # three bands
        top = np.inf if b is None else b
        overlap = np.minimum(hi, top) - np.maximum(lo, a) + 1
        overlap = np.where(np.isinf(hi), (lo >= a) & (lo <= top), np.clip(overlap, 0, None))
        cols[band] = overlap / width
    return pd.DataFrame(cols, index=bounds.index)


def _sex_key(sex: pd.Series) -> pd.Series:
    key = sex.astype("str").str.strip().str.casefold()
    out = pd.Series(np.where(key.isin(_MEN), "men", np.where(key.isin(_WOMEN), "women", "")),
                    index=sex.index)
    bad = out == ""
    if bad.any():
        shown = ", ".join(repr(v) for v in sex[bad].astype("str").unique()[:5])
        raise SoslokalError(f"Unknown sex value(s) {shown} in the population table. Fix: use "
                            "'Menn'/'Kvinner' (or SSB's codes '1'/'2').")
    return out


def _check_population(population: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(population, pd.DataFrame):
        raise SoslokalError(f"The population must be a DataFrame, got {type(population).__name__}.")
    table = population.reset_index() if population.index.name == "area_id" else population
    missing = [c for c in ("area_id", "age", "value") if c not in table.columns]
    if missing:
        raise SoslokalError(f"The population table lacks column(s) {', '.join(missing)}. Fix: "
                            "pass a long table area_id, sex, age, value (SSB 04362 shape, "
                            "e.g. load_sample().population).")
    values = pd.to_numeric(table["value"], errors="coerce")
    if (values < 0).any():
        raise SoslokalError("The population table has negative counts in 'value'.")
    return table.assign(value=values.astype("float64"))


def zones_of(codes: pd.Series, areas_map: Any) -> pd.Series:
    """Neighbourhood of each grunnkrets code.

    ``areas_map``: ``"delomrade"`` or ``"kommune"`` (from the codes), a dict or Series
    grunnkrets → zone, or a (Geo)DataFrame indexed by grunnkrets with a ``parent_id`` column
    (e.g. ``load_sample().grunnkretser``). Codes without a zone raise.
    """
    from soslokal_lib import geo

    codes = codes.astype("str").str.strip()
    if isinstance(areas_map, str):
        level = areas_map.strip().casefold()
        if level in ("delomrade", "delområde"):
            return geo.delomrade_of(codes).set_axis(codes.index)
        if level == "kommune":
            return geo.kommune_of(codes).set_axis(codes.index)
        raise SoslokalError(f"Unknown areas_map level {areas_map!r}. Fix: use 'delomrade', "
                            "'kommune', a dict grunnkrets → zone or the grunnkretser table.")
    if isinstance(areas_map, pd.DataFrame):
        if "parent_id" not in areas_map.columns:
            raise SoslokalError("areas_map has no 'parent_id' column. Fix: pass the grunnkretser "
                                "indexed by area_id with parent_id = neighbourhood code.")
        lookup = areas_map["parent_id"]
    elif isinstance(areas_map, pd.Series):
        lookup = areas_map
    elif isinstance(areas_map, Mapping):
        lookup = pd.Series(dict(areas_map), dtype="object")
    else:
        raise SoslokalError(f"Cannot use {type(areas_map).__name__} as areas_map. Fix: pass "
                            "'delomrade', a dict, a Series or the grunnkretser table.")
    lookup = pd.Series(lookup.astype("str").to_numpy(), index=lookup.index.astype("str"))
    lookup = lookup[~lookup.index.duplicated()]
    zone = codes.map(lookup)
    if zone.isna().any():
        lost = codes[zone.isna()].unique()
        more = f" … and {len(lost) - 10} more" if len(lost) > 10 else ""
        raise SoslokalError(f"{len(lost)} grunnkretser of the population table have no "
                            f"neighbourhood in areas_map: {', '.join(lost[:10])}{more}. Fix: add "
                            "them to the mapping or drop them from the population first.")
    return zone.astype("str")


def _names(names: Any, income: pd.DataFrame | None) -> dict[str, str]:
    found: dict[str, str] = {}
    if income is not None and "area_name" in income.columns:
        found |= income["area_name"].dropna().astype("str").to_dict()
    if isinstance(names, pd.DataFrame):
        names = names["area_name"] if "area_name" in names.columns else None
    if names is not None:
        found |= {str(k): str(v) for k, v in dict(names).items()}
    return found


def _counts(table: pd.DataFrame, zone: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Persons per zone × age group, and per zone × sex (None without a sex column)."""
    age = table["age"].astype("str").str.strip()
    by_age = (table["value"].groupby([zone, age], sort=False).sum()
              .unstack(fill_value=0.0))
    by_sex = None
    if "sex" in table.columns:
        by_sex = (table["value"].groupby([zone, _sex_key(table["sex"])], sort=False).sum()
                  .unstack(fill_value=0.0).reindex(columns=["men", "women"], fill_value=0.0))
    return by_age, by_sex


def neighbourhood_profile(
    population: pd.DataFrame,
    areas_map: Any = "delomrade",
    *,
    income: pd.DataFrame | None = None,
    names: Mapping[str, str] | pd.Series | pd.DataFrame | None = None,
    total: bool = True,
) -> pd.DataFrame:
    """One row per neighbourhood: population, sex ratio, age bands, dependency ratio, income.

    ``population`` is the long table (``area_id`` grunnkrets, ``sex``, ``age``, ``value``);
    ``areas_map`` maps grunnkretser to neighbourhoods (see :func:`zones_of`). ``income``, indexed
    by ``area_id`` (e.g. ``load_sample().income``), adds its ``households`` and
    ``median_income_nok``. ``names`` (dict, Series or a frame with ``area_name``) and the
    income table's ``area_name`` give display names. With ``total=True`` a last row covers the
    whole kommune, indexed by its 4-digit code (``"total"`` when the data span several).

    Columns: ``area_name``, ``n_units`` (grunnkretser with data), ``population``, ``men``,
    ``women``, ``sex_ratio`` (men per 100 women), ``age_0_17``, ``age_18_66``,
    ``age_67plus`` (persons; estimates when 5-year groups are split, see the module note),
    ``pct_0_17``, ``pct_18_66``, ``pct_67plus`` (per cent of the population),
    ``dependency_ratio`` (persons 0–17 and 67+ per 100 aged 18–66), then the income columns.
    """
    table = _check_population(population)
    codes = table["area_id"].astype("str").str.strip()
    zone = zones_of(codes, areas_map)
    by_age, by_sex = _counts(table, zone)
    units = codes.groupby(zone, sort=False).nunique().rename("n_units")
    if total:
        kommune = codes.str[:4].unique()
        key = str(kommune[0]) if len(kommune) == 1 else "total"
        by_age = pd.concat([by_age, by_age.sum().to_frame(key).T])
        if by_sex is not None:
            by_sex = pd.concat([by_sex, by_sex.sum().to_frame(key).T])
        units = pd.concat([units, pd.Series({key: codes.nunique()})])
    weights = band_weights(by_age.columns)
    bands = by_age.to_numpy() @ weights.to_numpy()
    pop = by_age.sum(axis=1).to_numpy()
    out = pd.DataFrame(index=pd.Index(by_age.index.astype("str"), name="area_id"))
    out["n_units"] = units.reindex(by_age.index).to_numpy().astype("int64")
    out["population"] = pop
    men = by_sex["men"].reindex(by_age.index).to_numpy() if by_sex is not None else np.nan
    women = by_sex["women"].reindex(by_age.index).to_numpy() if by_sex is not None else np.nan
    out["men"] = men
    out["women"] = women
    with np.errstate(divide="ignore", invalid="ignore"):
        out["sex_ratio"] = np.where(np.asarray(women) > 0, np.asarray(men) / women * 100, np.nan)
        for i, band in enumerate(AGE_BANDS):
            out[f"age_{band}"] = bands[:, i]
        for i, band in enumerate(AGE_BANDS):
            out[f"pct_{band}"] = np.where(pop > 0, bands[:, i] / pop * 100, np.nan)
        working = bands[:, 1]
        out["dependency_ratio"] = np.where(working > 0,
                                           (bands[:, 0] + bands[:, 2]) / working * 100, np.nan)
    if income is not None:
        extra = [c for c in ("households", "median_income_nok") if c in income.columns]
        inc = income.copy()
        inc.index = inc.index.astype("str")
        out = out.join(inc[extra])
    known = _names(names, income)
    out.insert(0, "area_name", [known.get(a, "Hele kommunen" if a == "total" else a)
                                for a in out.index])
    zones = sorted(out.index[:-1] if total else out.index)
    out = out.loc[zones + ([out.index[-1]] if total else [])]
    split = weights.index[((weights > 0) & (weights < 1)).any(axis=1).to_numpy()]
    out.attrs = {"age_split": list(split), "total": out.index[-1] if total else None,
                 "source": population.attrs.get("source")}
    return out


def age_pyramid(
    population: pd.DataFrame,
    area: str | None = None,
    *,
    areas_map: Any = "delomrade",
) -> pd.DataFrame:
    """Age × sex counts and shares for one neighbourhood (or the whole table: ``area=None``).

    ``area`` is a neighbourhood code of ``areas_map`` (see :func:`zones_of`) or a grunnkrets
    code. Returns a frame indexed by the age groups (youngest first) with ``men``, ``women``
    (persons) and ``pct_men``, ``pct_women`` (per cent of the area's whole population, so
    the two columns together sum to 100). ``attrs``: ``area``, ``population``.
    """
    table = _check_population(population)
    if "sex" not in table.columns:
        raise SoslokalError("An age pyramid needs a 'sex' column in the population table.")
    codes = table["area_id"].astype("str").str.strip()
    if area is not None:
        key = str(area).strip()
        keep = (codes == key).to_numpy()
        if not keep.any():
            keep = (zones_of(codes, areas_map) == key).to_numpy()
        if not keep.any():
            raise SoslokalError(f"No population for area {key!r}. Fix: use a neighbourhood code "
                                "of areas_map or a grunnkrets code of the table.")
        table = table[keep]
    age = table["age"]
    order = (list(age.cat.categories) if isinstance(age.dtype, pd.CategoricalDtype)
             else list(pd.unique(age.astype("str"))))
    bounds = age_bounds(pd.Series(order, dtype="str")).sort_values("lo")
    counts = (table["value"].groupby([age.astype("str").str.strip(), _sex_key(table["sex"])])
              .sum().unstack(fill_value=0.0).reindex(columns=["men", "women"], fill_value=0.0))
    counts = counts.reindex(bounds.index, fill_value=0.0)
    counts.index = pd.CategoricalIndex(counts.index, categories=list(bounds.index), ordered=True,
                                       name="age")
    counts.columns.name = None
    whole = float(counts.to_numpy().sum())
    share = counts / whole * 100 if whole > 0 else counts * np.nan
    out = counts.assign(pct_men=share["men"], pct_women=share["women"])
    out.attrs = {"area": None if area is None else str(area), "population": whole}
    return out


def add_density(profile: pd.DataFrame, areas: Any) -> pd.DataFrame:
    """The profile with ``area_km2`` (from the areas' geometry, EPSG:25833 metres) and
    ``density_per_km2`` (inhabitants per km²); the kommune row gets the sum of all areas.

    Areas without a profile row are ignored; profile rows without a geometry get NaN. The
    areas are whole grunnkrets/delområde polygons, so lakes and unsettled land count too.
    """
    if not hasattr(areas, "geometry") or areas.crs is None or not areas.crs.is_projected:
        raise SoslokalError("add_density needs areas with a projected CRS in metres (EPSG:25833)."
                            " Fix: pass the areas from read_areas()/load_sample().")
    km2 = pd.Series(areas.geometry.area.to_numpy() / 1e6, index=areas.index.astype("str"))
    out = profile.assign(area_km2=km2.reindex(profile.index).to_numpy())
    total = profile.attrs.get("total")
    if total is not None and total in out.index:
        out.loc[total, "area_km2"] = float(km2.reindex(profile.index).drop(total).sum())
    out["density_per_km2"] = out["population"] / out["area_km2"]
    out.attrs = dict(profile.attrs)
    return out
