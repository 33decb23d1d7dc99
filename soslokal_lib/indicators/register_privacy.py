"""Register figures that must not be shown: source suppression flags and small numbers.

Register tables (levekår per grunnkrets, SSB tables) come with their own protection: a cell a
source marks ``:``, ``..``, ``-``, ``x`` or ``<3`` is not to be published, and neither is a rate
for very few people. :func:`protect_register` applies that to a table per grunnkrets before it
is added up to neighbourhoods:

* a cell flagged by a source — in a municipal levekår sheet (:func:`source_flags`, by
  grunnkrets or by neighbourhood) or as a blank/``:`` in the socio CSV itself — is blanked, and
  so is the neighbourhood's figure for that column: the aggregate would otherwise give the
  suppressed value back by subtraction from the grunnkrets figures the kommune publishes;
* a neighbourhood with fewer than ``min_population`` inhabitants shows no rates
  (``[privacy] register_min_population``, default 50);
* a rate whose estimated count (rate × population) is below ``min_count`` is not shown
  (``[privacy] register_min_count``, default 5). The count is an estimate: the true
  denominator of a rate (adults, households) is usually smaller than the population, so the
  rule errs on the side of showing; set a higher threshold when in doubt.

Protection works by blanking every grunnkrets value behind a hidden neighbourhood figure, so any
later aggregation (``aggregate_socio`` keeps an area missing when a member is missing) shows
nothing for it. :class:`RegisterProtection` lists what was hidden and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from soslokal_lib.indicator_registry import REGISTRY
from soslokal_lib.indicators.neighbourhood import aggregate_socio
from soslokal_lib.numformat import lang_key

#: Defaults of ``[privacy] register_min_population`` and ``register_min_count``.
MIN_POPULATION = 50
MIN_COUNT = 5
#: Counts, not rates: never hidden by these rules (the population itself is public).
COUNTS = ("population", "households", "n_units")
#: Levekår sheet labels the project knows (lower case) → socio column. A label matches when it
#: is one of these, or one of these followed by a qualifier after a space or «(» («Vedvarende
#: lavinntekt (%)», «Lav utdanning 30–59 år (%)»); never as the start of a longer word
#: («Uføretrygd» is not «uføre»). Labels that name something else — «Lavinntekt» (one year,
#: not «vedvarende»), «Arbeidsledige» or «Uføre» alone (the register's figure is both
#: together) — match nothing: the sheet's config block must name their indicator.
SHEET_LABELS: dict[str, str] = {
    "vedvarende lavinntekt": "low_income_pct",
    "medianinntekt": "median_income_nok", "inntekt etter skatt, median": "median_income_nok",
    "lav utdanning": "low_education_pct", "grunnskole": "low_education_pct",
    "trangbodde": "crowded_pct", "trangbodd": "crowded_pct",
    "flytterate": "moving_rate_per_1000", "innvandrere": "immigrant_pct",
    "valgdeltakelse": "turnout_pct", "arbeidsledige og uføre": "benefits_pct",
    "innbyggere": "population", "folketall": "population", "husholdninger": "households",
}
_REASONS = {
    "nb": {"source": "kilden har prikket tallet for minst én grunnkrets i nabolaget",
           "population": "færre enn {min_population} innbyggere",
           "count": "gjelder færre enn {min_count} personer",
           "title": "Levekårstall som ikke vises:", "none": "Alle levekårstall kan vises."},
    "en": {"source": "the source suppressed the figure for at least one grunnkrets in the area",
           "population": "fewer than {min_population} inhabitants",
           "count": "concerns fewer than {min_count} people",
           "title": "Register figures not shown:", "none": "Every register figure can be shown."},
}


@dataclass(frozen=True)
class RegisterProtection:
    """A grunnkrets table with hidden cells blanked (``socio``) and what was hidden, per
    neighbourhood and column (``hidden``: ``area_id, column, reason`` with reason ``source``,
    ``population`` or ``count``)."""

    socio: pd.DataFrame
    hidden: pd.DataFrame
    min_population: int = MIN_POPULATION
    min_count: int = MIN_COUNT
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def statistic(self) -> int:
        """Number of neighbourhood figures hidden."""
        return len(self.hidden)

    def to_frame(self) -> pd.DataFrame:
        return self.hidden.copy()

    def mask(self, per_area: pd.DataFrame, keep: Iterable[str] = ()) -> pd.DataFrame:
        """``per_area`` (indexed by neighbourhood) with the hidden figures blanked, except in
        the columns ``keep`` (figures a source published per neighbourhood itself)."""
        out = per_area.copy()
        for row in self.hidden.itertuples(index=False):
            if row.area_id in out.index and row.column in out.columns and row.column not in keep:
                out.loc[row.area_id, row.column] = np.nan
        return out

    def text(self, lang: str = "nb") -> str:
        """One sentence per neighbourhood with hidden figures, naming the columns and why."""
        lang = lang_key(lang)
        t = _REASONS[lang]
        if self.hidden.empty:
            return t["none"]
        label = {i.column: i.name(lang).lower() for i in REGISTRY if i.column}
        parts = []
        for (area, reason), rows in self.hidden.groupby(["area_id", "reason"], sort=False):
            cols = ", ".join(label.get(c, c) for c in rows["column"])
            why = t[reason].format(min_population=self.min_population, min_count=self.min_count)
            parts.append(f"{self.names.get(area, area)} ({cols}): {why}")
        return f"{t['title']} " + "; ".join(parts) + "."


def source_flags(sheets: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The cells levekår sheets (:func:`soslokal_lib.io.levekar.read_levekar`) mark as not
    published (``flag`` set: suppressed, missing or below a threshold), as ``area_id, column``
    with the sheet's indicator label turned into a socio column (:data:`SHEET_LABELS`); labels
    that match no column are left out."""
    rows = []
    for sheet in sheets:
        flagged = sheet[sheet["flag"].notna() & (sheet["flag"].astype(str) != "nan")]
        if flagged.empty:
            continue
        column = flagged["indicator"].astype(str).map(sheet_column)
        rows.append(pd.DataFrame({"area_id": flagged["area_id"].astype(str).to_numpy(),
                                  "column": column.to_numpy()}))
    if not rows:
        return pd.DataFrame({"area_id": pd.Series(dtype="str"),
                             "column": pd.Series(dtype="str")})
    out = pd.concat(rows, ignore_index=True).dropna()
    return out.drop_duplicates().reset_index(drop=True)


def sheet_column(label: str) -> str | None:
    """The socio column of a levekår sheet's indicator label, or ``None``."""
    text = re.sub(r"\s+", " ", str(label)).strip().casefold()
    for start, column in SHEET_LABELS.items():
        if text == start or text.startswith((f"{start} ", f"{start}(")):
            return column
    return None


def protect_register(
    socio: pd.DataFrame,
    parent_ids: pd.Series,
    *,
    flags: pd.DataFrame | None = None,
    min_population: int = MIN_POPULATION,
    min_count: int = MIN_COUNT,
    names: Mapping[str, str] | None = None,
    shares: pd.DataFrame | None = None,
    skipna: bool = False,
) -> RegisterProtection:
    """Blank the grunnkrets figures of ``socio`` (indexed by grunnkrets ``area_id``) that would
    show something a source suppressed or that concerns too few people (module docstring).

    ``parent_ids``: the neighbourhood of each grunnkrets (``SocioTables.parent_ids``);
    ``flags``: :func:`source_flags` (grunnkrets or neighbourhood codes); ``shares``: the zone
    shares (``area_id, zone, share``) when grunnkretser are split between zones
    (:attr:`soslokal_lib.zones.ZoneAssignment.shares`): a split grunnkrets is a member of every
    zone it has a share in, so it is blanked when any of them is hidden. ``skipna=True``
    (the figures will be aggregated with ``skipna``): a grunnkrets flagged by the source is
    blanked on its own and its area keeps a figure computed from the other grunnkretser only.
    That is safe: the figure is then a weighted mean of grunnkrets figures that are shown
    anyway, so it tells nothing about the hidden one (a figure the source flagged for the
    area itself still hides the area). Returns a :class:`RegisterProtection`.
    """
    frame = socio.copy()
    frame.index = frame.index.astype(str)
    parents = parent_ids.astype(str).reindex(frame.index)
    rates = [c for c in frame.columns if c not in COUNTS
             and pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(
                 frame[c])]
    hidden: list[tuple[str, str, str]] = []
    if flags is not None and len(flags):
        flagged = flags[flags["column"].isin(rates)]
        in_gk = flagged[flagged["area_id"].isin(frame.index)]
        for col, group in in_gk.groupby("column"):
            frame.loc[group["area_id"].to_numpy(), col] = np.nan
        in_area = flagged[~flagged["area_id"].isin(frame.index)]
        hidden += [(a, c, "source") for a, c in zip(in_area["area_id"], in_area["column"],
                                                      strict=True)]
    if shares is not None:
        pairs = pd.DataFrame({"area_id": shares["area_id"].astype(str).to_numpy(),
                              "zone": shares["zone"].astype(str).to_numpy()})
        pairs = pairs[pairs["area_id"].isin(frame.index)]
    else:
        pairs = pd.DataFrame({"area_id": frame.index, "zone": parents.to_numpy()})
    per_area = aggregate_socio(frame, shares if shares is not None else parents)
    per_area.index = per_area.index.astype(str)
    member_values = frame[rates].reindex(pairs["area_id"].to_numpy())
    missing_member = member_values.isna().groupby(pairs["zone"].to_numpy()).any()
    given_member = member_values.notna().groupby(pairs["zone"].to_numpy()).any()
    for col in rates:
        for area in missing_member.index[missing_member[col].to_numpy()]:
            if given_member.loc[area, col] and not skipna:  # partly given: a source hid one
                hidden.append((area, col, "source"))
    if "population" in per_area.columns:
        pop = pd.to_numeric(per_area["population"], errors="coerce")
        small = pop.index[(pop < min_population).to_numpy()]
        hidden += [(a, c, "population") for a in small for c in rates]
        for col in [c for c in rates if c.endswith("_pct") or c.endswith("_per_1000")]:
            scale = 100.0 if col.endswith("_pct") else 1000.0
            count = pd.to_numeric(per_area[col], errors="coerce") / scale * pop
            few = count.index[(count < min_count).fillna(False).to_numpy()]
            hidden += [(a, col, "count") for a in few if a not in small]
    table = pd.DataFrame(hidden, columns=["area_id", "column", "reason"]).drop_duplicates(
        ["area_id", "column"]).reset_index(drop=True)
    for col, group in table.groupby("column"):
        hit = pairs.loc[pairs["zone"].isin(group["area_id"].to_numpy()), "area_id"]
        frame.loc[frame.index.isin(hit.to_numpy()), col] = np.nan
    return RegisterProtection(frame, table, min_population, min_count, dict(names or {}))


def read_flags(levekar: Iterable[Mapping] | None,
               names: Mapping[str, str] | None = None) -> pd.DataFrame | None:
    """:func:`source_flags` of the levekår sheets a config names (``[[levekar]]``, as the
    notebook parameter ``levekar``: dicts with ``path``, ``sheet``, ``orientation``,
    ``id_column``), or ``None`` without sheets. ``names`` (area_id → name of the survey's
    areas) turns zone names in a sheet into the areas' codes."""
    from soslokal_lib.io.levekar import read_levekar

    zone_names = {str(k): str(v) for k, v in (names or {}).items() if str(k) != "total"}
    sheets = [read_levekar(s["path"], sheet=s.get("sheet"), orientation=s.get("orientation"),
                           id_column=s.get("id_column"), zone_names=zone_names or None)
              for s in (levekar or [])]
    return source_flags(sheets) if sheets else None


def protect_tables(
    tables,
    levekar: Iterable[Mapping] | None = None,
    *,
    min_population: int = MIN_POPULATION,
    min_count: int = MIN_COUNT,
    inputs=None,
) -> tuple:
    """:func:`protect_register` for :class:`~soslokal_lib.io.inputs.SocioTables`: returns the
    tables with the hidden grunnkrets figures blanked and the :class:`RegisterProtection`
    (``(None, None)`` without tables). ``levekar``: the config's sheets, whose flags apply;
    ``inputs``: the survey's inputs, for area names and merged areas (the grunnkretser of a
    merged area count towards the area it joined)."""
    import dataclasses

    if tables is None:
        return None, None
    parents = tables.parent_ids
    names = dict(inputs.names) if inputs is not None else {}
    merged = (inputs.survey.meta.get("area_merge") or {}) if inputs is not None else {}
    mapping = dict(merged.get("mapping", {}))
    if mapping:
        parents = parents.replace(mapping)
    zones = getattr(tables, "zones", None)
    shares = None
    if zones is not None:
        zones = dataclasses.replace(zones, shares=zones.shares.assign(
            zone=zones.shares["zone"].astype(str).replace(mapping)))
        shares = zones.shares if zones.split else None
    protection = protect_register(tables.socio, parents, flags=read_flags(levekar, names),
                                  min_population=min_population, min_count=min_count,
                                  names=names, shares=shares,
                                  skipna=bool(getattr(tables, "skipna", False)))
    grunnkretser = tables.grunnkretser
    if mapping and tables.has_geometry:
        grunnkretser = grunnkretser.assign(
            parent_id=grunnkretser["parent_id"].astype(str).replace(mapping))
    socio = protection.socio
    socio.attrs = dict(tables.socio.attrs)
    return dataclasses.replace(tables, socio=socio, grunnkretser=grunnkretser,
                               zones=zones), protection
