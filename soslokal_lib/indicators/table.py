"""The indicator table: one row per area, one column per indicator (survey and socioeconomic).

**Survey indicators.** For each theme the median and the share of low scores (1–3 on 7 points);
for each dimension with themes, the mean of its themes' medians. Rule: a suppressed survey cell
stays missing, and a multi-theme indicator is missing if *any* of its themes is suppressed or
missing in that area (no imputation, no partial means). Its ``<id>__n`` column carries the
smallest n among its themes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.indicator_registry import (
    REGISTRY,
    SURVEY_STATISTICS,
    Indicator,
    get_indicator,
    table_entries,
)

#: attrs key of a per-area register table carrying indicators defined outside the registry (a
#: levekår sheet's own, :mod:`soslokal_lib.indicators.levekar_data`), as dicts.
ATTRS_KEY = "levekar_indicators"


def extra_indicators(per_area: pd.DataFrame | None) -> tuple[Indicator, ...]:
    """The indicators ``per_area.attrs[ATTRS_KEY]`` defines (put there by
    :meth:`soslokal_lib.indicators.levekar_data.LevekarData.apply`)."""
    if per_area is None:
        return ()
    return tuple(Indicator(**{**d, "themes": tuple(d.get("themes", ()))})
                 for d in per_area.attrs.get(ATTRS_KEY, []) or [])


def _resolve(indicators: Iterable[Indicator | str] | None) -> list[Indicator] | None:
    if indicators is None:
        return None
    out = []
    for ind in indicators:
        out.append(get_indicator(ind) if isinstance(ind, str) else ind)
    ids = [i.id for i in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SoslokalError(f"Indicator ids given twice: {', '.join(dupes)}. Fix: pass each once.")
    return out


def _area_frame(df: pd.DataFrame, name: str, by: str) -> pd.DataFrame:
    if by in df.columns:
        df = df.set_index(by)
    if df.index.has_duplicates:
        dup = df.index[df.index.duplicated()].unique()[:3].tolist()
        raise SoslokalError(
            f"{name}: more than one row for area {', '.join(map(repr, dup))}. "
            "Fix: aggregate to one row per area first."
        )
    out = df.copy()
    out.index = out.index.astype(str)
    out.index.name = "area_id"
    # A whole-kommune row (socio.neighbourhood_profile(total=True)) is not an area.
    totals = {"total", str(df.attrs.get("total"))}
    return out.loc[~out.index.isin(totals)]


def _survey_wide(summary: pd.DataFrame, by: str) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Per statistic a wide area × theme frame (suppressed → NaN), and the n frame."""
    missing = [c for c in (by, "theme", "n") if c not in summary.columns]
    if missing:
        raise SoslokalError(
            f"summary: missing column(s) {', '.join(missing)}. Fix: pass the long table from "
            "soslokal_lib.summarise()."
        )
    s = summary.loc[summary[by].astype(str) != "total"]
    if s.duplicated([by, "theme"]).any():
        raise SoslokalError(
            f"summary: more than one row per {by} and theme. Fix: summarise by {by!r} only."
        )
    area = s[by].astype(str)
    suppressed = (s["suppressed"].fillna(True).astype(bool) if "suppressed" in s.columns
                  else pd.Series(False, index=s.index))
    wide: dict[str, pd.DataFrame] = {}
    for stat in SURVEY_STATISTICS:
        if stat in s.columns:
            values = pd.to_numeric(s[stat], errors="coerce").astype(float).where(~suppressed)
            wide[stat] = (pd.DataFrame({"area_id": area, "theme": s["theme"], "v": values})
                          .pivot(index="area_id", columns="theme", values="v"))
    n = (pd.DataFrame({"area_id": area, "theme": s["theme"],
                       "v": pd.to_numeric(s["n"], errors="coerce")})
         .pivot(index="area_id", columns="theme", values="v"))
    return wide, n


def indicator_table(
    summary: pd.DataFrame | None = None,
    socio: pd.DataFrame | None = None,
    *,
    indicators: Iterable[Indicator | str] | None = None,
    population: pd.Series | None = None,
    by: str = "area_id",
    extra: Iterable[Indicator] = (),
) -> pd.DataFrame:
    """One row per area, one column per indicator.

    ``summary``: the long table of :func:`soslokal_lib.summarise` (rows with area ``"total"``
    are left out; suppressed cells stay missing). ``socio``: one row per area (index or an
    ``area_id`` column) with socioeconomic columns, e.g. the sample's ``socio`` aggregated to
    the survey's areas, or :func:`soslokal_lib.stats.profiles.neighbourhood_profile` (its whole-kommune
    row, ``attrs["total"]``, is left out). ``indicators``: ids or :class:`Indicator`
    objects; by default every built-in indicator whose source is available (the others are
    listed in ``attrs["skipped"]``). Explicitly requested indicators must be computable.
    ``population`` (per area) becomes the ``population`` column, for weighting later.
    ``extra``: indicators defined outside the registry (a levekår sheet's own, see
    :mod:`soslokal_lib.indicators.levekar_data`), computed like the built-in ones when
    ``indicators`` is not given; by default those ``socio.attrs`` carries.

    Survey-based indicators get a companion ``<id>__n`` column (smallest n over their themes).
    ``table.attrs["indicators"]`` holds the registry entries used (as dicts);
    ``attrs["unmatched_areas"]`` lists areas found in only one of ``summary`` and ``socio``
    (their other indicators stay missing). Inputs that share no area at all raise.
    """
    requested = _resolve(indicators)
    explicit = requested is not None
    if not extra and socio is not None:
        extra = extra_indicators(socio)
    wanted = [*REGISTRY, *extra] if requested is None else requested
    wide, nwide = _survey_wide(summary, by) if summary is not None else ({}, None)
    soc = _area_frame(socio, "socio", by) if socio is not None else None
    pop = None
    if population is not None:
        pop = pd.Series(population, dtype=float).copy()
        pop.index = pop.index.astype(str)
    areas: set[str] = set()
    if nwide is not None:
        areas |= set(nwide.index)
    if soc is not None:
        areas |= set(soc.index)
    if pop is not None:
        areas |= set(pop.index)
    index = pd.Index(sorted(areas), name="area_id", dtype=str)
    unmatched: dict[str, list[str]] = {}
    if nwide is not None and soc is not None:
        survey_areas, socio_areas = set(nwide.index), set(soc.index)
        if not survey_areas & socio_areas:
            raise SoslokalError(
                f"summary and socio share no area (e.g. {sorted(survey_areas)[0]!r} vs "
                f"{sorted(socio_areas)[0]!r}). Fix: aggregate socio to the survey's areas "
                "(e.g. grunnkrets → delområde, population-weighted) before combining."
            )
        unmatched = {"summary_only": sorted(survey_areas - socio_areas),
                     "socio_only": sorted(socio_areas - survey_areas)}
    columns: dict[str, pd.Series] = {}
    used: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    for ind in wanted:
        reason = None
        if ind.source == "survey":
            absent = [t for t in ind.themes if nwide is None or t not in nwide.columns]
            if summary is None:
                reason = "no survey summary given"
            elif ind.statistic not in wide:
                reason = f"summary has no column {ind.statistic!r}"
            elif absent:
                reason = f"theme(s) not in the summary: {', '.join(absent)}"
            else:
                vals = wide[ind.statistic].reindex(index)[list(ind.themes)]
                # Missing if any theme is missing: mean(skipna=False).
                columns[ind.id] = vals.mean(axis=1, skipna=False)
                columns[f"{ind.id}__n"] = (nwide.reindex(index)[list(ind.themes)]
                                           .min(axis=1, skipna=False).astype("Int64"))
        elif ind.id == "population" and pop is not None:
            columns[ind.id] = pop.reindex(index)
        else:
            if soc is None:
                reason = "no socioeconomic table given"
            elif ind.column not in soc.columns:
                reason = f"socioeconomic table has no column {ind.column!r}"
            else:
                col = soc[ind.column].reindex(index)
                num = pd.to_numeric(col, errors="coerce")
                bad = col.notna() & num.isna()
                if bad.any():
                    raise SoslokalError(
                        f"socio: column {ind.column!r} (indicator {ind.id!r}) has non-numeric "
                        f"value {col[bad].iloc[0]!r} for area {col[bad].index[0]!r}. Fix: use "
                        "numbers (decimal point), blank for missing."
                    )
                columns[ind.id] = num.astype(float)
        if reason is None:
            used[ind.id] = ind.to_dict()
        elif explicit:
            raise SoslokalError(
                f"Indicator {ind.id!r} cannot be computed: {reason}. Fix: pass the data it "
                "needs or leave it out of indicators=."
            )
        else:
            skipped[ind.id] = reason
    table = pd.DataFrame(columns, index=index)
    table.attrs["indicators"] = used
    table.attrs["skipped"] = skipped
    table.attrs["unmatched_areas"] = unmatched
    return table


def core_indicators(table: pd.DataFrame) -> list[str]:
    """Columns of ``table`` that are core, non-context indicators (survey dimension means and
    socioeconomic indicators): a composite of these counts no theme twice."""
    return [c for c, e in table_entries(table).items() if e.core and e.direction != "context"]
