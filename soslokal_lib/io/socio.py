"""Inputs for the socioeconomic notebook: population by age and sex, neighbourhoods, income.

Offline: the bundled SYNTHETIC sample «Fjordvik» (kommune 9901). Online: SSB tables 04362
(population per grunnkrets × sex × 5-year age group) and 06944 (household income after tax per
kommune and delområde) through :mod:`soslokal_lib.io.ssb`, and grunnkrets boundaries from a file
the user downloaded from Geonorge («Statistiske enheter grunnkretser»); delområder are the
grunnkretser dissolved by their code ``KKKKDD00``. Either way the tables have the shape of
``load_sample()``: ``population`` long (``area_id``, ``sex`` "Menn"/"Kvinner", ordered ``age``,
``value``), ``income`` indexed by ``area_id`` (``area_name``, ``households``,
``median_income_nok``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from soslokal_lib.errors import ConfigError, DataSourceError
from soslokal_lib.io._ages import age_bounds

SOURCE_ONLINE = "Kilde: SSB, Kartverket (CC BY 4.0)"
SOURCE_SAMPLE = "Kilde: syntetiske data (Fjordvik), laget som SSB-tabeller 04362 og 06944"
_SEX = {"1": "Menn", "2": "Kvinner"}
_NAME_COLUMNS = ("delomradenavn", "delområdenavn", "delomrade_navn", "delområde_navn")


@dataclass(frozen=True)
class SocioInputs:
    """Population, neighbourhoods and income of one kommune, ready for ``socio`` functions.

    ``areas``: neighbourhoods (delområder; GeoDataFrame indexed by ``area_id``, ``area_name``,
    ``parent_id``, EPSG:25833). ``grunnkretser``: with ``parent_id`` = delområde. ``income``:
    ``None`` if it could not be fetched. ``source``: the attribution line for figures.
    ``years``: the reference year of each table. ``notes``: what the loader left out and why.
    """

    population: pd.DataFrame
    areas: Any
    grunnkretser: Any
    income: pd.DataFrame | None
    source: str
    synthetic: bool
    kommune: str
    kommune_name: str
    years: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        kind = "SYNTETISKE DATA" if self.synthetic else "SSB/Kartverket"
        pop = int(self.population["value"].sum())
        words = {"population": "befolkning", "income": "inntekt"}
        years = ", ".join(f"{words.get(k, k)} {v}" for k, v in self.years.items())
        return (f"SocioInputs({self.kommune_name} {self.kommune}, {kind}: {len(self.areas)} "
                f"nabolag, {pop} innbyggere; {years})")


def load_socio_inputs(
    kommune: str = "9901",
    year: int | str = 2024,
    online: bool = False,
    *,
    grunnkrets_path: str | Path | None = None,
    cache_dir: str | Path | None = None,
    income_year: int | str | None = None,
) -> SocioInputs:
    """Load population (04362), neighbourhoods and household income (06944) for ``kommune``.

    ``online=False`` returns the bundled synthetic sample (kommune ``"9901"`` only; its tables
    are for 1 January 2025 and income year 2023, whatever ``year`` says). ``online=True``
    fetches 04362 for ``year`` and 06944 for ``income_year`` (default: the latest year SSB
    has) through the SSB client (cached in ``cache_dir``), and reads grunnkrets boundaries
    from ``grunnkrets_path`` (a Geonorge «Statistiske enheter grunnkretser» download: zip,
    GeoJSON, GML or GPKG; a national or fylke file is filtered to the kommune).
    """
    from soslokal_lib.geo import kommune_of

    code = kommune_of(str(kommune).strip().zfill(4) if str(kommune).strip().isdigit()
                      else str(kommune))
    if not online:
        return _sample(code)
    if grunnkrets_path is None:
        raise ConfigError(
            "online=True needs grunnkrets_path, the grunnkrets boundaries of the kommune. Fix: "
            "download «Statistiske enheter grunnkretser» from Geonorge (kartkatalog.geonorge.no, "
            "format GeoJSON or GML, EUREF89 UTM sone 33) and give the path of the file.")
    return _online(code, year, Path(grunnkrets_path), cache_dir, income_year)


def _sample(code: str) -> SocioInputs:
    from soslokal_lib.io.sample import FILES, KOMMUNE, KOMMUNE_NAME, load_sample
    from soslokal_lib.io.ssb import read_jsonstat

    if code != KOMMUNE:
        raise ConfigError(
            f"kommune {code!r} is not in the bundled sample, which is the synthetic kommune "
            f"{KOMMUNE} ({KOMMUNE_NAME}). Fix: set kommune = '{KOMMUNE}', or online = True with "
            "grunnkrets_path to fetch a real kommune from SSB.")
    sample = load_sample()
    years = {name: ", ".join(read_jsonstat(sample.path / FILES[name])["Tid"].unique())
             for name in ("population", "income")}
    return SocioInputs(
        population=sample.population, areas=sample.areas, grunnkretser=sample.grunnkretser,
        income=sample.income, source=SOURCE_SAMPLE, synthetic=True, kommune=KOMMUNE,
        kommune_name=KOMMUNE_NAME, years=years, notes=(sample.description,))


def _online(code: str, year: int | str, areas_path: Path, cache_dir: Any,
            income_year: int | str | None) -> SocioInputs:
    from soslokal_lib.io import ssb

    notes: list[str] = []
    raw = ssb.population_grunnkrets_age_sex(code, year, cache_dir=cache_dir)
    population = population_from_ssb(raw, code, year, notes)
    gk, areas = _boundaries(areas_path, code, notes)
    income = None
    try:
        raw_income = ssb.household_income(
            [f"{code}*"], income_year if income_year is not None else "top(1)",
            measures=("InntSkatt", "AntallHushold"), cache_dir=cache_dir)
        income = income_from_ssb(raw_income, code, notes)
    except DataSourceError as exc:
        message = f"Inntekt (06944) kunne ikke hentes: {exc}"
        warnings.warn(message, UserWarning, stacklevel=3)
        notes.append(message)
    names = _area_names(gk, income, areas.index)
    areas = areas.assign(area_name=names)[["area_name", "parent_id", "geometry"]]
    kommune_name = code
    if income is not None and code in income.index:
        kommune_name = str(income.loc[code, "area_name"])
    elif "kommunenavn" in gk.columns and gk["kommunenavn"].notna().any():
        kommune_name = str(gk["kommunenavn"].dropna().iloc[0])
    years = {"population": str(year)}
    if income is not None:
        years["income"] = str(income.attrs.get("year", income_year))
    return SocioInputs(population=population, areas=areas, grunnkretser=gk, income=income,
                       source=SOURCE_ONLINE, synthetic=False, kommune=code,
                       kommune_name=kommune_name, years=years, notes=tuple(notes))


def population_from_ssb(raw: pd.DataFrame, kommune: str, year: int | str,
                        notes: list[str] | None = None) -> pd.DataFrame:
    """SSB 04362 (as ``ssb.population_grunnkrets_age_sex`` returns it) → the sample's shape.

    Keeps ``year`` and the kommune's 8-digit grunnkretser with a figure; persons registered
    on «ikke koblet» (``KKKK0000``) or «uoppgitt» (``KKKK9999``) grunnkrets, and historical
    kretser without figures, are left out and said so in ``notes``. Age groups become
    ``"0-4"`` … ``"90+"`` (ordered categorical); sex ``"Menn"``/``"Kvinner"``.
    """
    notes = notes if notes is not None else []
    for col in ("area_id", "sex", "age", "value"):
        if col not in raw.columns:
            raise DataSourceError(f"SSB 04362: the table has no {col!r} column (columns: "
                                  f"{', '.join(map(str, raw.columns))}). Fix: fetch it with "
                                  "ssb.population_grunnkrets_age_sex(kommune, year).")
    table = raw
    if "year" in table.columns:
        table = table[table["year"].astype("str") == str(year)]
        if table.empty:
            raise DataSourceError(f"SSB 04362 has no figures for {year} (years: "
                                  f"{', '.join(raw['year'].astype('str').unique())}). Fix: "
                                  "choose a year SSB has published.")
    codes = table["area_id"].astype("str").str.strip()
    krets = codes.str.fullmatch(r"\d{8}") & codes.str.startswith(kommune)
    unlinked = krets & codes.str[4:].isin(["0000", "9999"])
    lost = float(table.loc[unlinked.to_numpy(), "value"].sum())
    if lost:
        notes.append(f"{lost:.0f} personer med ukjent grunnkrets ({kommune}0000/{kommune}9999) "
                     "er med i kommunen hos SSB, men ikke i noe nabolag her.")
    keep = (krets & ~unlinked & table["value"].notna()).to_numpy()
    gone = set(codes[(krets & ~unlinked).to_numpy()]) - set(codes[keep])
    if gone:
        notes.append(f"{len(gone)} grunnkretser uten tall for {year} (historiske kretser) "
                     "er utelatt.")
    table = table[keep]
    if table.empty:
        raise DataSourceError(f"SSB 04362 has no grunnkrets figures for kommune {kommune} in "
                              f"{year}. Fix: check the kommune number (valid in {year}).")
    bounds = age_bounds(table["age"])
    label = pd.Series([f"{int(lo)}+" if hi == float("inf") else f"{int(lo)}-{int(hi)}"
                       for lo, hi in zip(bounds["lo"], bounds["hi"], strict=True)],
                      index=bounds.index)
    order = list(dict.fromkeys(label[bounds.sort_values("lo").index]))
    sex_text = table["sex"].astype("str").str.strip()
    sex = sex_text.map(_SEX).fillna(table["sex_label"].astype("str")
                                    if "sex_label" in table.columns else sex_text)
    age = table["age"].astype("str").str.strip().map(label)
    out = pd.DataFrame({
        "area_id": table["area_id"].astype("str").str.strip().to_numpy(),
        "sex": sex.astype("str").to_numpy(),
        "age": pd.Categorical(age.to_numpy(), categories=order, ordered=True),
        "value": table["value"].round().astype("int64").to_numpy(),
    })
    out.attrs = {"source": raw.attrs.get("title"), "notes": raw.attrs.get("notes"),
                 "year": str(year)}
    return out


def income_from_ssb(raw: pd.DataFrame, kommune: str,
                    notes: list[str] | None = None) -> pd.DataFrame:
    """SSB 06944 (as ``ssb.household_income`` returns it) → ``area_id`` (kommune and
    delområder ``KKKKDD00``) × ``area_name``, ``households``, ``median_income_nok``; the
    latest year if several. Suppressed medians stay missing."""
    notes = notes if notes is not None else []
    table = raw
    if "household_type" in table.columns:
        table = table[table["household_type"].astype("str") == "0000"]
    if "year" in table.columns and table["year"].nunique() > 1:
        table = table[table["year"] == table["year"].max()]
    codes = table["area_id"].astype("str")
    keep = (codes == kommune) | (codes.str.fullmatch(r"\d{8}") & codes.str.startswith(kommune))
    table = table[keep.to_numpy()]
    wide = table.pivot(index=["area_id", "area_name"], columns="measure",
                       values="value").reset_index()
    wide.columns.name = None
    wide = wide.rename(columns={"AntallHushold": "households", "InntSkatt": "median_income_nok"})
    for col in ("households", "median_income_nok"):
        if col not in wide.columns:
            wide[col] = float("nan")
    wide = wide.set_index("area_id")[["area_name", "households", "median_income_nok"]]
    wide = wide.astype({"households": "Float64", "median_income_nok": "float64"})
    wide["households"] = wide["households"].round().astype("Int64")
    if not (wide.index != kommune).any():
        notes.append(f"SSB 06944 har ingen tall per delområde for kommune {kommune}; "
                     "inntektskartet blir tomt.")
    wide.attrs = {"year": str(table["year"].iloc[0]) if "year" in table.columns and len(table)
                  else None, "source": raw.attrs.get("title")}
    return wide


def _boundaries(path: Path, kommune: str, notes: list[str]) -> tuple[Any, Any]:
    from soslokal_lib.geo import aggregate_areas, delomrade_of
    from soslokal_lib.io._socio_csv import grunnkrets_rows

    gk = grunnkrets_rows(path, {kommune}, f"download the file for {kommune}")
    gk = gk.assign(parent_id=delomrade_of(pd.Series(gk.index.astype("str"))).to_numpy())
    areas = aggregate_areas(gk[["geometry"]], "delomrade")
    return gk, areas


def _area_names(gk: Any, income: pd.DataFrame | None, index: pd.Index) -> list[str]:
    names: dict[str, str] = {}
    if income is not None:
        names |= income["area_name"].dropna().astype("str").to_dict()
    column = next((c for c in gk.columns if str(c).casefold() in _NAME_COLUMNS), None)
    if column is not None:
        pairs = gk[["parent_id", column]].dropna().drop_duplicates("parent_id")
        names |= dict(zip(pairs["parent_id"].astype("str"), pairs[column].astype("str"),
                          strict=True))
    return [names.get(str(a), str(a)) for a in index]
