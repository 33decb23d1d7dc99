"""A levekår sheet per neighbourhood of the boundary file, for areas merged in ``[areas]``.

The kommune's sheet names the neighbourhoods of the boundary file; the survey may have merged
some of them (``[areas] merge`` or ``merge_small``, :mod:`soslokal_lib.stats.areamerge`). The
merged area's register figures are then its parts combined the way the project combines areas
(:func:`soslokal_lib.indicators.aggregate_socio`): counts (population, households) summed,
rates weighted by the population (median income by households when the sheet gives them),
and a part that is missing or suppressed (``:``) leaves the merged figure missing — it would
otherwise give the hidden value back by subtraction from the parts the sheet publishes.

A sheet may also name the merged area by its merged name («Vestre Ravnøy og Litlholmen"): a
value published for it replaces the one added up from its parts (published beats computed,
as for every zone sheet), and a cell flagged there stays missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib._messages import msg
from soslokal_lib.errors import DataSourceError
from soslokal_lib.indicators.neighbourhood import COUNT_COLUMNS, aggregate_socio
from soslokal_lib.io.survey import fold_name as _fold

if TYPE_CHECKING:
    from soslokal_lib.stats.areamerge import AreaMerge

#: Prefix of the internal key of a row that names a merged area by its merged name.
WHOLE = "\u0000"


def merged_keys(merge: AreaMerge | None) -> dict[str, str]:
    """Folded merged name («vestre ravnøy og litlholmen») → the merged area's id."""
    if merge is None:
        return {}
    return {_fold(name): target for target, name in merge.merged_names.items()}


def members(merge: AreaMerge) -> dict[str, list[str]]:
    """Merged area id → the ids of its parts (itself first)."""
    out: dict[str, list[str]] = {}
    for area, target in merge.mapping.items():
        out.setdefault(target, [target]).append(area)
    return out


def missing_parts(ids: set[str], merge: AreaMerge | None) -> dict[str, list[str]]:
    """Per merged area the parts a sheet (zone ids ``ids``) has no row for, when it has no row
    for the merged area itself either."""
    if merge is None:
        return {}
    out = {}
    for target, parts in members(merge).items():
        lacking = [p for p in parts if p not in ids]
        if lacking and len(lacking) < len(parts) and WHOLE + target not in ids:
            out[target] = lacking
    return out


def lost_in_merge(frame: pd.DataFrame, flagged: pd.DataFrame, merge: AreaMerge | None,
                  path: Any, labels: Mapping[str, str] | None = None) -> list[Any]:
    """Notes for the merged areas that get no figure for a column although the sheet has one
    for some of their parts: another part's cell is flagged (``:``) or blank, and no row named
    by the merged name gives the figure (``frame`` and ``flagged`` as :func:`combine` takes
    them). Parts without any row are :func:`missing_parts`' note."""
    if merge is None or not merge.mapping:
        return []
    flags = {(str(r.area_id), str(r.column)) for r in flagged.itertuples(index=False)
             if str(r.flag) != "missing"}  # «.», «..» or an empty cell: no figure, not hidden
    index = set(frame.index.astype(str))
    notes = []
    for target, parts in members(merge).items():
        if any(p not in index for p in parts):
            continue
        whole = WHOLE + target
        lost: dict[tuple, list[str]] = {}  # (parts without a figure, how) → sheet labels
        for col in frame.columns:
            if whole in index and pd.notna(frame.loc[whole, col]):
                continue
            values = pd.to_numeric(frame.loc[parts, col], errors="coerce")
            if values.notna().any() and values.isna().any():
                lacking = tuple(str(a) for a in values.index[values.isna()])
                kinds = {(a, str(col)) in flags for a in lacking}
                how = "both" if len(kinds) == 2 else "flagged" if True in kinds else "blank"
                lost.setdefault((lacking, how), []).append(repr((labels or {}).get(col, col)))
        name = merge.merged_names.get(target, target)
        for (lacking, how), cols in lost.items():
            notes.append(msg(
                "levekar.merge_flagged", path=path, name=name, labels=", ".join(cols),
                parts=", ".join(f"«{merge.names.get(a, a)}»" for a in lacking),
                how=msg(f"levekar.merge_flagged.{how}")))
    return notes


def combine(frame: pd.DataFrame, flagged: pd.DataFrame, merge: AreaMerge | None,
            path: Any, labels: Mapping[str, str] | None = None
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``frame`` (index: the boundary file's area ids, and :data:`WHOLE` + id for rows that
    name a merged area) and ``flagged`` (``area_id, column, flag, source``) per area of the
    survey after merging (module docstring). ``labels``: the sheet's label of each column,
    for messages."""
    if merge is None or not merge.mapping:
        return frame.drop(index=[a for a in frame.index if str(a).startswith(WHOLE)]), flagged
    keys = pd.Index(frame.index.astype(str))
    whole = frame[keys.str.startswith(WHOLE)]
    whole.index = [a[len(WHOLE):] for a in whole.index]
    own = frame[~keys.str.startswith(WHOLE)]
    groups = members(merge)
    zone = {part: target for target, parts in groups.items() for part in parts}
    parts = own.reindex(list(zone)).apply(pd.to_numeric, errors="coerce").astype(float)
    parts.index.name = "area_id"
    rates = [c for c in parts.columns if c not in COUNT_COLUMNS]
    if rates and "population" not in parts.columns:
        lacking = [t for t in groups if t not in whole.index]
        if lacking:
            target = lacking[0]
            raise DataSourceError(msg(
                "levekar.merge_population", path=path, name=merge.merged_names.get(target, target),
                parts=", ".join(merge.names.get(p, p) for p in groups[target]),
                columns=", ".join(repr((labels or {}).get(c, c)) for c in rates)))
        combined = pd.DataFrame(np.nan, index=pd.Index(list(groups)), columns=parts.columns)
    else:
        combined = aggregate_socio(parts, zone, skipna=False)
        combined = combined[[c for c in parts.columns if c in combined.columns]]
        combined = combined.reindex(columns=parts.columns)
    # a flag on a part is a flag on the merged area: the figure stays missing there
    flags = flagged.copy()
    ids = flags["area_id"].astype(str)
    is_whole = ids.str.startswith(WHOLE)
    whole_flags = flags[is_whole].assign(area_id=ids[is_whole].str[len(WHOLE):])
    flags = flags[~is_whole].assign(area_id=ids[~is_whole].replace(zone))
    for row in whole_flags.itertuples(index=False):  # the merged row's own cells decide
        flags = flags[~((flags["area_id"] == row.area_id) & (flags["column"] == row.column))]
    for col in whole.columns:
        given = whole[col].dropna()
        combined.loc[given.index, col] = given.to_numpy()
        published = set(given.index)
        flags = flags[~(flags["area_id"].isin(published) & (flags["column"] == col))]
    for row in whole_flags.itertuples(index=False):
        combined.loc[row.area_id, row.column] = np.nan
    flags = pd.concat([flags, whole_flags], ignore_index=True).drop_duplicates(
        ["area_id", "column"]).reset_index(drop=True)
    rest = own[~own.index.isin(list(zone))]
    out = pd.concat([rest, combined])
    out.index = out.index.astype(str)
    out.index.name = "area_id"
    return out, flags


def original_names(names: Mapping[str, str], merge: AreaMerge | None) -> dict[str, str]:
    """The boundary file's areas (id → name) behind ``names`` (the areas after merging)."""
    if merge is None or not merge.mapping:
        return dict(names)
    out = {a: n for a, n in names.items() if a not in merge.merged_names}
    for area in [*merge.merged_names, *merge.mapping]:
        out[area] = str(merge.names.get(area, area))
    return out
