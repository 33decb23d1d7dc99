"""Grunnkretser → a kommune's own zones (levekårssoner, hand-drawn neighbourhoods).

Register figures come per grunnkrets; a kommune plans on its own zones. :class:`ZoneAssignment`
says which zone(s) each grunnkrets belongs to, as a table ``area_id, zone, share`` (the share of
the grunnkrets' population counted in the zone; 1 for a grunnkrets wholly in one zone):

* :func:`assign_by_crosswalk`: a crosswalk grunnkrets → zone (many-to-one, every share 1);
* :func:`assign_by_polygons`: zone polygons. Each grunnkrets goes to the zone holding its
  representative point. Where more than ``split_share`` of its area lies in another zone, it is
  *split*: population-weighted areal interpolation, i.e. its population is divided between the
  zones in proportion to the area in each (the population is assumed spread evenly within the
  grunnkrets), and its rates enter each zone weighted by the population placed there. This is
  what PySAL's ``tobler.area_weighted.area_interpolate`` gives for an extensive variable
  (``population``) — ``tests/test_zones.py`` checks the two agree — computed here with one
  ``geopandas.overlay`` so the library does not need ``tobler`` (and its raster stack) at run
  time. Pieces below ``split_share`` of a split grunnkrets (digitising slivers) are dropped and
  the rest rescaled to 1.

:func:`soslokal_lib.indicators.aggregate_socio` takes :attr:`ZoneAssignment.areas_map`:
counts are summed (``count × share``), rates population-weighted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib._messages import msg, tr
from soslokal_lib.errors import AreaFormatError

#: Default share of a grunnkrets' area in another zone above which it is split.
SPLIT_SHARE = 0.05
#: Zones may overlap by digitising slivers; more than this share of the smaller zone is an error.
OVERLAP_SHARE = 0.01


@dataclass(frozen=True)
class ZoneAssignment:
    """Which zone(s) each grunnkrets belongs to (module docstring).

    ``shares``: ``area_id`` (grunnkrets), ``zone``, ``share`` (sums to 1 per grunnkrets);
    ``method``: ``"crosswalk"`` or ``"polygons"``; ``split``: grunnkretser divided between zones;
    ``outside``: grunnkretser (of the register) in no zone; ``empty``: zones without any
    grunnkrets; ``notes``: what was done to the inputs (a reprojection); ``names``: zone →
    name.
    """

    shares: pd.DataFrame
    method: str
    split: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    split_share: float = SPLIT_SHARE
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def parents(self) -> pd.Series:
        """The main zone of each grunnkrets (the one with the largest share), indexed by
        ``area_id``."""
        ordered = self.shares.sort_values(["area_id", "share"], ascending=[True, False],
                                          kind="stable")
        main = ordered.drop_duplicates("area_id")
        return pd.Series(main["zone"].astype("str").to_numpy(),
                         index=pd.Index(main["area_id"].astype("str"), name="area_id"),
                         name="parent_id", dtype="str")

    @property
    def areas_map(self) -> Any:
        """What :func:`~soslokal_lib.indicators.aggregate_socio` takes: :attr:`parents` when no
        grunnkrets is split, else the ``shares`` table."""
        return self.shares.copy() if self.split else self.parents

    def members(self, zones: Iterable[str]) -> pd.Index:
        """Grunnkretser with any share in ``zones``."""
        wanted = self.shares["zone"].astype("str").isin([str(z) for z in zones])
        return pd.Index(self.shares.loc[wanted, "area_id"].astype("str").unique())

    def text(self, lang: str = "nb") -> str:
        """One paragraph: how grunnkretser were carried to the zones, how many were split,
        which are outside every zone and which zones have none."""
        n = self.shares["area_id"].nunique()
        zones = self.shares["zone"].nunique()
        key = "zones.summary.crosswalk" if self.method == "crosswalk" else "zones.summary.polygons"
        parts = [tr(msg(key, n=n, zones=zones, split=len(self.split),
                        share=f"{self.split_share:.0%}"), lang)]
        if self.split:
            parts.append(tr(msg("zones.summary.split_list", codes=_shown(self.split)), lang))
        if self.outside:
            parts.append(tr(msg("zones.summary.outside", n=len(self.outside),
                                codes=_shown(self.outside)), lang))
        if self.empty:
            parts.append(tr(msg("zones.summary.empty", n=len(self.empty),
                                zones=_shown([self.names.get(z, z) for z in self.empty])), lang))
        parts += [tr(note, lang) for note in self.notes]
        return " ".join(parts)


def _shown(items: Iterable[str], limit: int = 12) -> str:
    items = [str(i) for i in items]
    more = f" … (+{len(items) - limit})" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def assign_by_crosswalk(
    crosswalk: Mapping[str, str] | pd.Series,
    codes: Iterable[str],
    zones: Iterable[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> ZoneAssignment:
    """A :class:`ZoneAssignment` from a crosswalk grunnkrets → zone (many-to-one).

    ``codes``: the register's grunnkretser (those missing from the crosswalk are ``outside``);
    ``zones``: the kommune's zones (those no grunnkrets maps to are ``empty``)."""
    lookup = pd.Series(crosswalk, dtype="str") if not isinstance(crosswalk, pd.Series) \
        else crosswalk.astype("str")
    lookup.index = lookup.index.astype("str")
    codes = pd.Index([str(c) for c in codes])
    inside = codes[codes.isin(lookup.index)]
    shares = pd.DataFrame({"area_id": inside.to_numpy(dtype=str),
                           "zone": lookup.reindex(inside).to_numpy(dtype=str), "share": 1.0})
    outside = tuple(codes[~codes.isin(lookup.index)])
    empty = tuple(z for z in (zones or []) if z not in set(shares["zone"]))
    return ZoneAssignment(shares, "crosswalk", (), outside, empty, (), SPLIT_SHARE,
                          dict(names or {}))


def check_overlaps(zones: Any, max_share: float = OVERLAP_SHARE) -> None:
    """Raise :class:`AreaFormatError` naming each pair of zones that overlap by more than
    ``max_share`` of the smaller one, with the overlap area."""
    import geopandas as gpd

    geo = gpd.GeoDataFrame({"zone": zones.index.astype("str")}, geometry=zones.geometry.values,
                           crs=zones.crs)
    left, right = geo.sindex.query(geo.geometry, predicate="intersects")
    problems = []
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        a, b = geo.geometry.iloc[i], geo.geometry.iloc[j]
        overlap = a.intersection(b).area
        if overlap > max_share * min(a.area, b.area):
            problems.append(msg("zones.overlap", a=geo["zone"].iloc[i], b=geo["zone"].iloc[j],
                                area=_area_text(overlap),
                                share=f"{overlap / min(a.area, b.area):.0%}"))
    if problems:
        from soslokal_lib.errors import Problem, raise_problems

        raise_problems(AreaFormatError, msg("zones.source"),
                       [Problem(p, fix=msg("zones.overlap.fix")) for p in problems])


def _area_text(m2: float) -> str:
    return f"{m2 / 1e6:.3f} km²" if m2 >= 1e5 else f"{m2:,.0f} m²".replace(",", " ")


def assign_by_polygons(
    grunnkretser: Any,
    zones: Any,
    *,
    split_share: float = SPLIT_SHARE,
    codes: Iterable[str] | None = None,
) -> ZoneAssignment:
    """A :class:`ZoneAssignment` from grunnkrets polygons and zone polygons (GeoDataFrames
    indexed by ``area_id``). ``codes``: the register's grunnkretser (default: every polygon);
    grunnkretser of ``codes`` without a polygon are ``outside``. Zones in another CRS are
    reprojected to that of the grunnkretser (and a note says so); zones overlapping each other
    raise (:func:`check_overlaps`). Module docstring for the rule."""
    import geopandas as gpd

    if not 0 <= split_share < 0.5:
        raise ValueError("split_share must be between 0 and 0.5 (a share of a grunnkrets' area)")
    notes = [n for n in (grunnkretser.attrs.get("changes") or []) + (zones.attrs.get("changes")
                                                                       or [])
             if str(n).startswith("reprojected")]
    notes = [msg("zones.reprojected", what=n) for n in dict.fromkeys(notes)]
    if zones.crs is not None and grunnkretser.crs is not None and not zones.crs.equals(
            grunnkretser.crs):
        notes.append(msg("zones.reprojected", what=f"zones reprojected from "
                         f"{zones.crs.to_string()} to {grunnkretser.crs.to_string()}"))
        zones = zones.to_crs(grunnkretser.crs)
    check_overlaps(zones)
    gk = gpd.GeoDataFrame({"area_id": grunnkretser.index.astype("str")},
                          geometry=grunnkretser.geometry.values, crs=grunnkretser.crs)
    if codes is not None:
        wanted = pd.Index([str(c) for c in codes])
        missing = tuple(wanted[~wanted.isin(gk["area_id"])])
        gk = gk[gk["area_id"].isin(wanted)].reset_index(drop=True)
    else:
        missing = ()
    zn = gpd.GeoDataFrame({"zone": zones.index.astype("str")}, geometry=zones.geometry.values,
                          crs=grunnkretser.crs)
    pieces = gpd.overlay(gk, zn, how="intersection", keep_geom_type=True)
    area = gk.set_index("area_id").geometry.area
    raw = pd.DataFrame({"area_id": pieces["area_id"].astype("str"),
                        "zone": pieces["zone"].astype("str"),
                        "share": pieces.geometry.area.to_numpy() / area.reindex(
                            pieces["area_id"]).to_numpy()})
    raw = raw.groupby(["area_id", "zone"], as_index=False)["share"].sum()
    points = gpd.GeoDataFrame({"area_id": gk["area_id"]},
                              geometry=gk.geometry.representative_point(), crs=gk.crs)
    hit = gpd.sjoin(points, zn, how="left", predicate="within")
    point_zone = hit.drop_duplicates("area_id").set_index("area_id")["zone"]
    rows, split, outside = [], [], list(missing)
    for code, group in raw.groupby("area_id", sort=True):
        home = point_zone.get(code)
        home = None if pd.isna(home) else str(home)
        kept = group[(group["share"] > split_share) | (group["zone"] == home)]
        if home is None and kept.empty:
            outside.append(code)
            continue
        others = kept[kept["zone"] != home] if home is not None else kept.iloc[1:]
        if home is not None and others.empty:
            rows.append((code, home, 1.0))
        elif home is None and len(kept) == 1:
            rows.append((code, str(kept["zone"].iloc[0]), 1.0))
        else:
            split.append(code)
            total = kept["share"].sum()
            rows += [(code, str(z), float(s / total)) for z, s in zip(kept["zone"],
                                                                       kept["share"],
                                                                       strict=True)]
    untouched = [c for c in gk["area_id"] if c not in set(raw["area_id"])]
    outside += untouched
    shares = pd.DataFrame(rows, columns=["area_id", "zone", "share"])
    empty = tuple(z for z in zn["zone"] if z not in set(shares["zone"]))
    names = {}
    if "area_name" in zones.columns:
        names = {str(k): str(v) for k, v in zones["area_name"].items() if pd.notna(v)}
    return ZoneAssignment(shares, "polygons", tuple(split), tuple(sorted(set(outside))), empty,
                          tuple(notes), float(split_share), names)


def expand_shares(frame: pd.DataFrame, shares: pd.DataFrame,
                  counts: Iterable[str]) -> tuple[pd.DataFrame, pd.Series]:
    """``frame`` (column ``area_id``) with one row per (grunnkrets, zone) piece of ``shares``,
    ``counts`` multiplied by the piece's share, ``area_id`` replaced by a piece id; and the
    Series piece id → zone for :func:`soslokal_lib.geo.aggregate_areas`. Grunnkretser of
    ``frame`` not in ``shares`` raise there (as unmapped areas)."""
    table = shares.assign(area_id=shares["area_id"].astype("str"),
                          zone=shares["zone"].astype("str"))
    codes = frame["area_id"].astype("str")
    unknown = codes[~codes.isin(table["area_id"])]
    merged = frame.assign(area_id=codes).merge(table, on="area_id", how="left")
    merged["zone"] = merged["zone"].fillna(merged["area_id"])
    merged["share"] = merged["share"].fillna(1.0)
    piece = np.where(merged["area_id"].isin(unknown), merged["area_id"],
                     merged["area_id"] + "@" + merged["zone"])
    for col in counts:
        merged[col] = merged[col] * merged["share"]
    spec = pd.Series(merged["zone"].to_numpy(), index=piece)
    spec = spec[~merged["area_id"].isin(unknown).to_numpy()]
    out = merged.drop(columns=["zone", "share"]).assign(area_id=piece)
    return out, spec
