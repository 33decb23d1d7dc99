"""From survey and grunnkrets data to one indicator table per neighbourhood (public through
:mod:`soslokal_lib.indicators`).

Socioeconomic figures usually come per grunnkrets, the survey per neighbourhood (delområde or a
municipality's own zones). :func:`aggregate_socio` brings the figures up to the neighbourhoods
— counts summed, rates weighted by the population they are shares of — and
:func:`neighbourhood_indicators` joins them with the privacy-checked survey summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from soslokal_lib import geo
from soslokal_lib.errors import SoslokalError
from soslokal_lib.indicator_registry import Indicator
from soslokal_lib.indicators.table import indicator_table
from soslokal_lib.stats.profiles import neighbourhood_profile
from soslokal_lib.stats.summary import summarise
from soslokal_lib.zones import expand_shares

if TYPE_CHECKING:
    from soslokal_lib.survey import Survey

#: Columns of a socioeconomic table that are counts (summed, not averaged).
COUNT_COLUMNS = ("population", "households")
#: Rate columns weighted by something other than the population by default.
RATE_WEIGHTS = {"median_income_nok": "households"}
#: Context columns computed from the population table (:func:`socio.neighbourhood_profile`).
PROFILE_COLUMNS = ("pct_0_17", "pct_67plus")


def _zone_spec(areas_map: Any) -> Any:
    """A grunnkretser table (``parent_id``) → Series grunnkrets → zone; else unchanged."""
    if isinstance(areas_map, pd.DataFrame):
        if "share" in areas_map.columns:
            return areas_map
        if "parent_id" not in areas_map.columns:
            raise SoslokalError(
                "grunnkretser has no 'parent_id' column. Fix: pass the grunnkretser indexed by "
                "area_id with parent_id = neighbourhood code, a dict grunnkrets → "
                "neighbourhood, or 'delomrade'.")
        spec = areas_map["parent_id"].astype("str")
        spec.index = spec.index.astype("str")
        return spec
    return areas_map


def aggregate_socio(
    socio: pd.DataFrame,
    areas_map: Any = "delomrade",
    *,
    weights: Mapping[str, str] | None = None,
    skipna: bool = False,
) -> pd.DataFrame:
    """Aggregate a grunnkrets socioeconomic table (one row per grunnkrets) to neighbourhoods.

    ``areas_map``: ``"delomrade"``/``"kommune"`` (from the codes), a dict or Series grunnkrets
    → neighbourhood, a grunnkretser table with ``parent_id`` (``load_sample().grunnkretser``),
    or a shares table ``area_id, zone, share`` (:attr:`soslokal_lib.zones.ZoneAssignment.shares`:
    a grunnkrets split between zones counts ``share`` of its counts in each, and its rates
    weigh ``share`` of their weight there).
    Count columns (:data:`COUNT_COLUMNS`) are summed; every other numeric column is a rate,
    averaged with the weight column ``weights[col]`` (default ``households`` for
    ``median_income_nok`` when present, else ``population``): ``sum(rate·w) / sum(w)``. A mean
    of grunnkrets medians only approximates the neighbourhood median; prefer a published one
    (``neighbourhood_indicators(income=…)``). With ``skipna=False`` a neighbourhood with a
    missing member value is missing. Non-numeric columns are left out. ``attrs["weights"]``
    records the weight of each rate.
    """
    frame = socio.reset_index() if "area_id" not in socio.columns else socio
    if "area_id" not in frame.columns:
        raise SoslokalError("socio: no area_id column or index. Fix: index the table by the "
                            "grunnkrets code (area_id).")
    numeric = [c for c in frame.columns if c != "area_id"
               and pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(
                   frame[c])]
    counts = [c for c in COUNT_COLUMNS if c in numeric]
    given = dict(weights or {})
    rates: dict[str, str] = {}
    for col in numeric:
        if col in counts:
            continue
        w = given.get(col) or RATE_WEIGHTS.get(col, "population")
        if w not in frame.columns:
            w = "population" if col not in given else w
        if w not in frame.columns:
            raise SoslokalError(
                f"socio: rate column {col!r} needs the weight column {w!r}, which is absent. "
                "Fix: add a population column (persons per grunnkrets) or name another weight "
                "column in weights=.")
        rates[col] = w
    spec = _zone_spec(areas_map)
    data = frame[["area_id", *numeric]]
    if isinstance(spec, pd.DataFrame) and "share" in spec.columns:
        data, spec = expand_shares(data, spec, counts)
        for col, w in rates.items():  # a rate's own weight is spread like the population
            if w not in counts and w in data.columns:
                raise SoslokalError(f"socio: the weight {w!r} of {col!r} is not a count, so it "
                                    "cannot be divided between zones. Fix: weight by "
                                    "population or households.")
    out = geo.aggregate_areas(data, spec, counts=counts, rates=rates, skipna=skipna)
    if isinstance(areas_map, pd.DataFrame) and "share" in areas_map.columns:
        members = areas_map.groupby(areas_map["zone"].astype("str"))["area_id"].nunique()
        out["n_units"] = members.reindex(out.index).to_numpy()
    out = out[[c for c in out.columns if c in numeric or c == "n_units"]]
    out.attrs = {"weights": rates, "counts": counts, "skipna": skipna}
    return out


def neighbourhood_indicators(
    survey: Survey | None,
    socio: pd.DataFrame | None = None,
    grunnkretser: Any = "delomrade",
    population: pd.DataFrame | None = None,
    *,
    income: pd.DataFrame | None = None,
    min_n: int = 5,
    weight: str | None = None,
    indicators: Iterable[Indicator | str] | None = None,
    rate_weights: Mapping[str, str] | None = None,
    skipna: bool = False,
    levekar: Any = None,
) -> pd.DataFrame:
    """One row per neighbourhood, one column per indicator: survey and socioeconomic together.

    ``survey`` is summarised by ``area_id`` with :func:`soslokal_lib.summarise` (``min_n``,
    ``weight``); suppressed cells stay missing. ``socio`` (one row per grunnkrets) is
    aggregated to the neighbourhoods of ``grunnkretser`` with :func:`aggregate_socio` (rates
    population-weighted; ``skipna`` as there). ``population``, the long SSB 04362-style table, adds the context
    shares aged 0–17 and 67+ (:func:`soslokal_lib.stats.profiles.neighbourhood_profile`). ``income``,
    indexed by ``area_id`` (e.g. ``load_sample().income``, SSB 06944), replaces the
    approximated ``median_income_nok`` with the published neighbourhood medians; where it is
    suppressed the value stays missing. ``levekar``: the kommune's levekår sheets per zone
    (:class:`soslokal_lib.indicators.levekar_data.LevekarData`): their values replace or add
    register columns, and a cell they suppress stays missing. Any data source may be ``None``.

    Returns :func:`indicator_table`'s table (``population`` column included when known);
    ``attrs`` add ``min_n``, ``weighted``, ``rate_weights`` and ``income`` (``"published"``
    or ``"approximated"``).
    """
    if survey is None and socio is None and population is None and levekar is None:
        raise SoslokalError("Nothing to build indicators from. Fix: pass a survey, a socio "
                            "table or a population table.")
    summary = None
    if survey is not None:
        summary = summarise(survey, "area_id", weight=weight, min_n=min_n)
    zone = (aggregate_socio(socio, grunnkretser, weights=rate_weights, skipna=skipna)
            if socio is not None else None)
    used_weights = dict(zone.attrs["weights"]) if zone is not None else {}
    if population is not None:
        prof = neighbourhood_profile(population, _zone_spec(grunnkretser), total=False)
        keep = [c for c in ("population", *PROFILE_COLUMNS)
                if c in prof.columns and (zone is None or c not in zone.columns)]
        zone = prof[keep] if zone is None else zone.join(prof[keep], how="outer")
    income_kind = None
    if income is not None:
        if zone is None:
            raise SoslokalError("income needs socio or population to know the neighbourhoods. "
                                "Fix: pass socio= or population= as well.")
        if "median_income_nok" not in income.columns:
            raise SoslokalError("income has no median_income_nok column. Fix: pass the table "
                                "of SSB 06944 as read by load_sample() or io.socio.")
        published = pd.to_numeric(income["median_income_nok"], errors="coerce").astype(float)
        published.index = published.index.astype("str")
        zone = zone.assign(median_income_nok=published.reindex(zone.index))
        income_kind = "published"
    elif zone is not None and "median_income_nok" in zone.columns:
        income_kind = "approximated"
    if levekar is not None:
        zone = levekar.apply(zone)
    pop = zone["population"] if zone is not None and "population" in zone.columns else None
    table = indicator_table(summary, zone, indicators=indicators, population=pop)
    table.attrs.update({
        "min_n": min_n, "weighted": weight is not None,
        "rate_weights": used_weights,
        "income": income_kind,
        "levekar": levekar.columns if levekar is not None else [],
    })
    return table
