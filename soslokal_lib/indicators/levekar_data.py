"""The kommune's levekår sheets as data: indicators per zone next to the survey and SSB ones.

A ``[[levekar]]`` sheet (:func:`soslokal_lib.io.levekar.read_levekar`, zones as rows or as
columns) whose zones are the survey's areas (codes, or names as in the boundary file) is
**data**: each of its indicators becomes a column of the per-area register table, so it enters
:func:`soslokal_lib.indicators.neighbourhood_indicators` (notebook 03's composites and the
levekårsindeks), notebook 04's gradients and the «politisk verksted» report. A sheet on another
level (grunnkrets) only marks the register figures the kommune suppressed
(:func:`soslokal_lib.indicators.register_privacy.read_flags`), as before.

Rules:

* **Which indicator.** A sheet label is, in this order: what the sheet's config block names it
  (``[levekar.indicators] "<label>" = "<built-in id>"``, an inline definition ``{ id, direction,
  dimension, unit }`` or ``false`` to leave it out); a label the project knows
  (:data:`~soslokal_lib.indicators.register_privacy.SHEET_LABELS`, e.g. «Vedvarende
  lavinntekt (%)» → ``persistent_low_income``); a built-in indicator's id or Norwegian name.
  Any other label raises :class:`~soslokal_lib.errors.DataSourceError` naming the file, the
  label and the config line that fixes it. Direction, dimension and unit come from the
  registry (or the inline definition), never from the sheet.
* **Suppression.** A cell the sheet flags (``:``, ``..``, ``<3`` …) stays missing, also where
  the register (grunnkrets figures added up) would have given a value — the kommune has chosen
  not to publish it.
* **Published beats computed.** A value the sheet publishes for a zone replaces the value added
  up from grunnkretser (as SSB's published median income does); counts (population,
  households) only fill in where the register has none, since they weigh the rates.
* **Merged areas.** A sheet per neighbourhood of the boundary file also serves a survey whose
  small areas were merged (``[areas] merge``/``merge_small``): the merged area's figures are its
  parts combined as the project combines areas (counts summed, rates population-weighted, a
  missing or suppressed part leaves the figure missing), or what the sheet gives for the merged
  area by its merged name (:mod:`soslokal_lib.indicators.levekar_merge`).
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib._messages import lazy, msg, tr
from soslokal_lib.errors import DataSourceError, Problem, SoslokalError, problems_error
from soslokal_lib.indicator_registry import (
    REGISTRY,
    Indicator,
    sheet_choices,
    sheet_indicator,
)
from soslokal_lib.indicators.levekar_merge import (
    WHOLE,
    combine,
    lost_in_merge,
    merged_keys,
    missing_parts,
    original_names,
)
from soslokal_lib.indicators.register_privacy import (
    COUNTS,
    MIN_COUNT,
    MIN_POPULATION,
    sheet_column,
)
from soslokal_lib.indicators.table import ATTRS_KEY, extra_indicators

if TYPE_CHECKING:
    from soslokal_lib.stats.areamerge import AreaMerge

__all__ = ["ATTRS_KEY", "LevekarData", "extra_indicators", "levekar_data", "read_levekar_data"]

#: Register columns that are counts: a sheet's value only fills in where the register has none.
_COUNTS = (*COUNTS, "households")
_BY_COLUMN = {i.column: i for i in REGISTRY if i.column}
_BY_KEY = {**{i.id: i for i in REGISTRY if i.column},
           **{i.name_nb.casefold(): i for i in REGISTRY if i.column}}


@dataclass(frozen=True)
class LevekarData:
    """The zone sheets' values per area (``values``: index ``area_id``, one column per register
    column, flagged cells missing), the flagged cells (``flagged``: ``area_id, column, flag``),
    the indicators the sheets define themselves (``indicators``) and per sheet what was used
    (``used``: file name → list of labels) and what each label was read as (``mapping``: file
    name → {label: indicator id, or the register column of a count}; ``soslokal check`` shows
    it; ``notes``: what a reader should know, e.g. a merged area the sheet cannot give
    figures for)."""

    values: pd.DataFrame
    flagged: pd.DataFrame
    indicators: tuple[Indicator, ...] = ()
    used: Mapping[str, list[str]] = field(default_factory=dict)
    mapping: Mapping[str, dict[str, str]] = field(default_factory=dict)
    notes: tuple[Any, ...] = ()
    hidden: pd.DataFrame | None = None

    @property
    def columns(self) -> list[str]:
        return list(self.values.columns)

    def apply(self, per_area: pd.DataFrame | None) -> pd.DataFrame:
        """``per_area`` (register figures per area, index ``area_id``) with the sheets'
        values: published values and flags replace the computed ones, counts only fill in.
        ``attrs[ATTRS_KEY]`` carries the sheets' own indicator definitions."""
        if per_area is None:
            out = self.values.copy()
        else:
            out = per_area.copy()
            out.index = out.index.astype(str)
            out = out.reindex(out.index.union(self.values.index))
            for col in self.values.columns:
                given = self.values[col]
                if col in out.columns and col in _COUNTS:
                    out[col] = out[col].fillna(given.reindex(out.index))
                    continue
                if col not in out.columns:
                    out[col] = np.nan
                out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
                out.loc[given.index, col] = given.to_numpy()
        out.index.name = "area_id"
        out.attrs = {**(per_area.attrs if per_area is not None else {}),
                     ATTRS_KEY: [i.to_dict() for i in self.indicators]}
        return out

    def protect(self, min_population: int = MIN_POPULATION, min_count: int = MIN_COUNT
                ) -> LevekarData:
        """The sheets' values with the rates of too few people blanked, as for register
        figures added up from grunnkretser (:mod:`~soslokal_lib.indicators.register_privacy`,
        ``[privacy] register_min_population`` and ``register_min_count``): every rate of an
        area with fewer than ``min_population`` inhabitants, and a share or rate per 1000
        whose count (rate × population) is below ``min_count``. ``hidden`` lists them
        (``area_id, column, reason``)."""
        values = self.values.copy()
        hidden = []
        if "population" in values.columns:
            pop = pd.to_numeric(values["population"], errors="coerce")
            rates = [c for c in values.columns if c not in _COUNTS]
            for area in pop.index[(pop < min_population).to_numpy()]:
                hidden += [(area, c, "population") for c in rates
                           if pd.notna(values.loc[area, c])]
            for col in [c for c in rates if c.endswith(("_pct", "_per_1000"))]:
                scale = 100.0 if col.endswith("_pct") else 1000.0
                count = pd.to_numeric(values[col], errors="coerce") / scale * pop
                few = count.index[(count < min_count).fillna(False).to_numpy()]
                hidden += [(a, col, "count") for a in few if not pop[a] < min_population]
        for area, col, _ in hidden:
            values.loc[area, col] = np.nan
        table = pd.DataFrame(hidden, columns=["area_id", "column", "reason"])
        return dataclasses.replace(self, values=values, hidden=table)

    def text(self, lang: str = "nb") -> str:
        """One sentence per sheet: which indicators it gave and how many cells stay empty."""
        parts = []
        for name, labels in self.used.items():
            n = int((self.flagged["source"] == name).sum())
            flagged = tr(msg("levekar.used.flagged", n=n), lang) if n else ""
            what = "sone" if lang == "nb" else "zone"
            parts.append(tr(msg("levekar.used", name=name, k=len(labels), what=what,
                                labels=", ".join(labels), flagged=flagged), lang))
        return " ".join(parts)


def _norm(label: str) -> str:
    return re.sub(r"\s+", " ", str(label)).strip().casefold()


def _resolve(label: str, mapping: Mapping[str, Any], path: Any) -> Indicator | bool | None:
    """The indicator of a sheet label; False: left out; None: a count without indicator."""
    given = {_norm(k): v for k, v in (mapping or {}).items()}
    key = _norm(label)
    if key in given:
        target = given[key]
        if target is False:
            return False
        if isinstance(target, str):
            found = next((i for i in REGISTRY if i.id == target), None)
            if found is None:
                close, ids = sheet_choices(target, label)
                raise SoslokalError(lazy(lambda lang: (
                    f"{path}: {label!r} = {target!r}: {tr(msg('levekar.indicator_id'), lang)}. "
                    f"{'Fix' if lang == 'en' else 'Løsning'}: "
                    f"{tr(msg('levekar.indicator_id.fix', close=close, ids=ids), lang)}")))
            return found
        ind, problems = sheet_indicator(label, target)
        if ind is None:
            raise SoslokalError(f"{path}: {label!r}: {problems[0].describe()}")
        return ind
    column = sheet_column(label)
    if column in _BY_COLUMN:
        return _BY_COLUMN[column]
    if column in _COUNTS:
        return None
    if key in _BY_KEY:
        return _BY_KEY[key]
    close, ids = sheet_choices(label)
    raise DataSourceError(msg("levekar.unknown_indicator", path=path, label=label, close=close,
                              ids=ids))


def _is_zone_sheet(sheet: pd.DataFrame, names: Mapping[str, str], path: Any,
                   merge: AreaMerge | None = None) -> bool:
    """Whether the sheet's zones are the survey's areas (most of them): then it is data.
    ``names``: the boundary file's areas; a merged area may be named by its merged name."""
    ids = sheet["area_id"].astype(str)
    zones = sorted(set(ids[ids != "total"]))
    if not zones or not names:
        return False
    whole = merged_keys(merge)
    unknown = [z for z in zones if z not in names and _norm(z) not in whole]
    if len(unknown) * 2 >= len(zones):
        return False  # another level (grunnkretser, delområder): flags only
    if unknown:
        known = ", ".join(map(repr, list(names.values())[:12]))
        if len(names) > 12:
            known += ", …"
        if whole:
            extra = msg("levekar.unknown_zones.merged",
                        merged=", ".join(map(repr, merge.merged_names.values())))
            known = lazy(lambda lang, head=known: head + tr(extra, lang))
        raise DataSourceError(msg("levekar.unknown_zones", path=path,
                                  zones=", ".join(map(repr, unknown[:6])), known=known))
    return True


def levekar_data(sheets: Iterable[tuple[pd.DataFrame, Mapping[str, Any]]],
                 names: Mapping[str, str], merge: AreaMerge | None = None
                 ) -> LevekarData | None:
    """:class:`LevekarData` of read sheets (each with its ``indicators`` mapping) whose zones
    are the areas of ``names`` (area_id → name, the boundary file's areas); ``None`` when no
    sheet is per area. ``merge``: the survey's merged areas (:class:`AreaMerge`); the values
    are then per area after merging (module docstring)."""
    values: dict[str, pd.Series] = {}
    flagged, defined, used, read_as, unknown, notes = [], {}, {}, {}, [], []
    whole = merged_keys(merge)
    label_of: dict[str, str] = {}  # register column → the sheet's label, for messages
    for sheet, mapping in sheets:
        path = sheet.attrs.get("source", "levekår")
        if not _is_zone_sheet(sheet, names, path, merge):
            continue
        rows = sheet[sheet["area_id"].astype(str) != "total"]
        if whole:  # a row named by a merged area's merged name: kept apart from its parts
            ids = rows["area_id"].astype(str)
            rows = rows.assign(area_id=[a if a in names else WHOLE + whole[_norm(a)]
                                        for a in ids])
            for target, lacking in missing_parts(set(rows["area_id"]), merge).items():
                notes.append(msg("levekar.merge_missing", path=path,
                                 missing=", ".join(f"«{merge.names.get(a, a)}»"
                                                   for a in lacking),
                                 name=merge.merged_names.get(target, target)))
        labels, as_what = [], {}
        for label, part in rows.groupby("indicator", sort=False):
            try:
                ind = _resolve(str(label), mapping, path)
            except DataSourceError as exc:  # every unknown label at once, not one per run
                unknown.append(exc.args[0])
                continue
            if ind is False:
                continue
            column = ind.column if isinstance(ind, Indicator) else sheet_column(str(label))
            if isinstance(ind, Indicator) and ind.id not in {i.id for i in REGISTRY}:
                defined[ind.id] = ind
            flag = part["flag"].astype(str)
            is_flag = part["flag"].notna() & ~flag.isin(["nan", "<NA>", "None"])
            series = pd.Series(part["value"].to_numpy(dtype=float),
                               index=part["area_id"].astype(str).to_numpy())
            series[is_flag.to_numpy()] = np.nan
            values[column] = series if column not in values else series.combine_first(
                values[column])
            flagged.append(pd.DataFrame({"area_id": series.index[is_flag.to_numpy()],
                                         "column": column,
                                         "flag": flag[is_flag].to_numpy(),
                                         "source": _name(path)}))
            labels.append(str(label))
            label_of.setdefault(column, str(label))
            as_what[str(label)] = ind.id if isinstance(ind, Indicator) else str(column)
        used[_name(path)] = labels
        read_as[_name(path)] = as_what
    if unknown:
        if len(unknown) == 1:
            raise DataSourceError(unknown[0])
        raise problems_error(DataSourceError, None, [Problem(u) for u in unknown])  # one each
    if not used:
        return None
    frame = pd.DataFrame(values)
    frame.index = frame.index.astype(str)
    frame.index.name = "area_id"
    flags = (pd.concat(flagged, ignore_index=True) if flagged else
             pd.DataFrame(columns=["area_id", "column", "flag", "source"]))
    notes += lost_in_merge(frame, flags, merge, ", ".join(used), label_of)
    frame, flags = combine(frame, flags, merge, ", ".join(used), label_of)
    return LevekarData(frame, flags, tuple(defined.values()), used, read_as, tuple(notes))


def _name(path: Any) -> str:
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def read_levekar_data(levekar: Iterable[Mapping] | None, inputs: Any = None, *,
                      names: Mapping[str, str] | None = None,
                      min_population: int = MIN_POPULATION,
                      min_count: int = MIN_COUNT) -> LevekarData | None:
    """:func:`levekar_data` of the sheets a config names (``[[levekar]]``, as the notebook
    parameter ``levekar``: dicts with ``path``, ``sheet``, ``orientation``, ``id_column``,
    ``indicators``) for the areas of ``inputs`` (merged areas included, as
    ``survey.meta["area_merge"]`` records them) or ``names`` (area_id → name); ``None``
    without zone sheets. Rates of too few people are blanked (:meth:`LevekarData.protect`
    with ``min_population`` and ``min_count``, the config's ``[privacy]`` thresholds)."""
    from soslokal_lib.io.levekar import read_levekar
    from soslokal_lib.stats.areamerge import AreaMerge

    if not levekar:
        return None
    merge = None
    if names is None:
        names = dict(inputs.names) if inputs is not None else {}
        if inputs is not None:
            merge = AreaMerge.from_meta(inputs.survey.meta.get("area_merge"))
    names = {str(k): str(v) for k, v in names.items() if str(k) != "total"}
    names = original_names(names, merge)  # the sheet names the boundary file's areas
    # name → id (and id → id): a sheet may write either, also where ids are not numbers
    lookup = {**{a: a for a in names}, **{n: a for a, n in names.items()}}
    sheets = []
    for s in levekar:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # names without codes: matched below
            sheet = read_levekar(s["path"], sheet=s.get("sheet"),
                                 orientation=s.get("orientation"),
                                 id_column=s.get("id_column"), zone_names=lookup or None)
        sheets.append((sheet, s.get("indicators") or {}))
    data = levekar_data(sheets, names, merge)
    return data.protect(min_population, min_count) if data is not None else None
