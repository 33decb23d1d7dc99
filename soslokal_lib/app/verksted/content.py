"""What the «politisk verksted» report shows, as tables: strongest and weakest themes, the
register facts of the sample, the kommune row of a register table, the composite index and the
social gradient (:mod:`soslokal_lib.app.verksted` renders them; its figures are drawn in
:mod:`soslokal_lib.app.verksted.parts`).

Every number comes from the summary layer, :mod:`soslokal_lib.indicators` and
:mod:`soslokal_lib.stats`; nothing here is estimated anew.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.themes import THEME_CODES

__all__ = ["FACTS", "baseline_text", "index_table", "levekar_index_rows", "neighbourhood_index", "sample_socio", "social_gradient",
           "split_socio", "strongest_weakest"]

#: Register facts per neighbourhood, in page order: column → how the kommune value is formed
#: when the table has no kommune row ("sum", population-"weighted" mean, or None: unknown).
FACTS: dict[str, str | None] = {
    "population": "sum", "median_income_nok": None, "low_income_pct": "weighted",
    "low_education_pct": "weighted", "benefits_pct": "weighted", "crowded_pct": "weighted",
    "moving_rate_per_1000": "weighted", "turnout_pct": "weighted", "immigrant_pct": "weighted",
    "pct_0_17": "weighted", "pct_67plus": "weighted",
}
_SAMPLE_RATES = ("low_income_pct", "low_education_pct", "crowded_pct", "moving_rate_per_1000",
                 "immigrant_pct", "turnout_pct", "benefits_pct")

def strongest_weakest(
    summary: pd.DataFrame, area: str, k: int = 3, *, by: str = "area_id"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``k`` strongest and ``k`` weakest themes of ``area``, from unsuppressed cells only.

    Strongest: highest median, then lowest ``share_low``; weakest: lowest median, then highest
    ``share_low``; remaining ties in official theme order. The two lists never share a theme:
    with fewer than ``2k`` shown themes the strongest get the larger half. Returns two frames
    with ``theme`` (code), ``n``, ``median``, ``median_ci_low``, ``median_ci_high``,
    ``share_low`` and ``share_high`` (those present in the summary).
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise SoslokalError(f"k must be a whole number of at least 1, not {k!r}.")
    missing = [c for c in (by, "theme", "median", "share_low", "suppressed")
               if c not in summary.columns]
    if missing:
        raise SoslokalError(f"strongest_weakest: the summary lacks {', '.join(missing)}. Fix: "
                            "pass the table from soslokal_lib.summarise().")
    rows = summary[summary[by].astype("string") == str(area)]
    if rows.empty:
        raise SoslokalError(f"strongest_weakest: no area {area!r} in column {by!r} of the "
                            "summary. Fix: use an area_id of the summary.")
    shown = ~rows["suppressed"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    shown &= rows["median"].notna().to_numpy(dtype=bool)
    cols = [c for c in ("theme", "n", "median", "median_ci_low", "median_ci_high",
                        "share_low", "share_high") if c in rows.columns]
    cells = rows.loc[shown, cols].assign(theme=rows.loc[shown, "theme"].astype(str))
    order = {code: i for i, code in enumerate(THEME_CODES)}
    cells = cells.assign(_order=cells["theme"].map(order).fillna(len(order)))
    m = len(cells)
    k_best = min(k, (m + 1) // 2)
    k_worst = min(k, m - k_best)
    best = cells.sort_values(["median", "share_low", "_order"], ascending=[False, True, True],
                             kind="stable").head(k_best)
    rest = cells[~cells["theme"].isin(best["theme"])]
    worst = rest.sort_values(["median", "share_low", "_order"], ascending=[True, False, True],
                             kind="stable").head(k_worst)
    return (best.drop(columns="_order").reset_index(drop=True),
            worst.drop(columns="_order").reset_index(drop=True))


def sample_socio(sample: Any = None) -> pd.DataFrame:
    """Register facts of the SYNTHETIC sample per delområde, plus a kommune row ``"9901"``.

    Grunnkrets rates are aggregated population-weighted (:func:`soslokal_lib.geo.aggregate_areas`);
    population, age shares and median household income (SSB 06944 style, Øyane suppressed)
    come from :func:`soslokal_lib.stats.profiles.neighbourhood_profile`. ``attrs["total"]`` names the
    kommune row. ``sample``: a :func:`soslokal_lib.load_sample` result (loaded when ``None``).
    """
    from soslokal_lib import geo
    from soslokal_lib.io.sample import load_sample
    from soslokal_lib.stats.profiles import neighbourhood_profile

    sample = sample if sample is not None else load_sample()
    rates = {r: "population" for r in _SAMPLE_RATES}
    parts = [geo.aggregate_areas(sample.socio, level, rates=rates)[list(_SAMPLE_RATES)]
             for level in ("delomrade", "kommune")]
    profile = neighbourhood_profile(sample.population, "delomrade", income=sample.income)
    out = pd.concat(parts).join(profile[["area_name", "population", "households", "pct_0_17",
                                         "pct_67plus", "median_income_nok"]])
    out.attrs = {"total": profile.attrs["total"]}
    return out


def split_socio(socio: pd.DataFrame, areas: Any = ()) -> tuple[pd.DataFrame, pd.Series]:
    """``(per area, kommune)`` from a register table with or without a kommune row.

    The kommune row is the one indexed ``"total"``, ``socio.attrs["total"]`` or the 4-digit
    kommune code shared by ``areas``. Without one, the kommune value is the sum (population),
    the population-weighted mean (rates) or missing (medians) of the areas with a figure
    (``kommune.attrs["from_areas"]``; a hidden area's figure is left out, else it would follow
    by subtraction), which readers must be told: ``attrs["areas_used"]`` (column → number of
    areas behind the figure) and ``attrs["areas_total"]`` say how many of how many
    (:func:`baseline_text`).
    """
    frame = socio.set_index("area_id") if "area_id" in socio.columns else socio
    frame = frame.copy()
    frame.index = frame.index.astype(str)
    keys = {"total", str(socio.attrs.get("total"))}
    prefixes = {str(a)[:4] for a in areas}
    if len(prefixes) == 1:
        keys |= prefixes
    is_total = frame.index.isin(keys)
    per_area = frame.loc[~is_total]
    if is_total.any():
        return per_area, frame.loc[is_total].iloc[0]
    kommune, used = {}, {}
    pop = (pd.to_numeric(per_area["population"], errors="coerce")
           if "population" in per_area.columns else None)
    for col, rule in FACTS.items():
        if col not in per_area.columns or rule is None:
            continue
        values = pd.to_numeric(per_area[col], errors="coerce")
        if rule == "sum":
            kommune[col] = values.sum(min_count=1)
            used[col] = int(values.notna().sum())
        elif pop is not None and (ok := values.notna() & pop.notna()).any():
            kommune[col] = float(np.average(values[ok], weights=pop[ok]))
            used[col] = int(ok.sum())
    out = pd.Series(kommune, dtype=float)
    out.attrs.update(from_areas=True, areas_used=used, areas_total=len(per_area))
    return per_area, out


def baseline_text(kommune: pd.Series, col: str, lang: str = "nb") -> str:
    """How the comparison figure of ``col`` was formed when :func:`split_socio` found no
    kommune row: «sum av 4 nabolag» (counts) or «snitt av 3 av 4 nabolag» (rates,
    population-weighted); empty with a kommune row or without a figure."""
    from soslokal_lib.app.verksted.wording import TEXT

    used = kommune.attrs.get("areas_used", {})
    if not kommune.attrs.get("from_areas") or col not in used:
        return ""
    n, m = used[col], kommune.attrs["areas_total"]
    kind = "sum" if FACTS.get(col) == "sum" else "mean"
    key = f"basis_{kind}" if n == m else f"basis_{kind}_part"
    return TEXT["en" if lang == "en" else "nb"][key].format(n=n, m=m)


def index_table(summary: pd.DataFrame, socio: pd.DataFrame | None, areas: Any = ()
                ) -> tuple[pd.DataFrame, pd.Series | None]:
    """The report's indicator table (:func:`soslokal_lib.indicators.indicator_table` of the
    privacy-checked ``summary`` and the per-area rows of ``socio``) and the population per
    area (None without one)."""
    from soslokal_lib.indicators import indicator_table
    from soslokal_lib.indicators.table import extra_indicators

    per_area = split_socio(socio, list(areas))[0] if socio is not None else None
    if per_area is not None:  # a levekår sheet's own indicators, carried in socio.attrs
        per_area.attrs = dict(socio.attrs)
    population = None
    if per_area is not None and "population" in per_area.columns:
        population = per_area["population"]
    return indicator_table(summary, per_area, population=population,
                           extra=extra_indicators(socio)), population


def levekar_index_rows(table: pd.DataFrame, comp: pd.DataFrame, names: dict,
                       lang: str = "nb") -> dict:
    """The report's two indices side by side, labelled so that the reader sees which is which:
    ours (:func:`~soslokal_lib.indicators.sustainability_index`, higher = better) and the
    levekårsindeks in SSB's convention (:func:`~soslokal_lib.indicators.levekar_index`, 1–10,
    10 = most problems, register indicators only). ``{"levekar_rows": [], …}`` without
    register indicators."""
    from soslokal_lib.indicators import INDEX_LABELS, levekar_index
    from soslokal_lib.numformat import format_number

    labels = INDEX_LABELS["en" if lang == "en" else "nb"]
    lk = levekar_index(table)
    if lk is None:
        return {"levekar_rows": [], "levekar_head": []}
    order = comp["score"].dropna().sort_values(ascending=False).index
    rows = [(names.get(a, a), format_number(comp.loc[a, "score"], lang, 1),
             format_number(lk.get(a), lang, 1) if pd.notna(lk.get(a)) else "–")
            for a in order]
    area = "Område" if lang != "en" else "Area"
    return {"levekar_rows": rows,
            "levekar_head": [area, labels["index"], labels["levekar"]]}


def neighbourhood_index(summary: pd.DataFrame, socio: pd.DataFrame | None,
                        areas: Any = ()) -> pd.DataFrame:
    """The report's composite index: :func:`soslokal_lib.indicators.sustainability_index`
    (the definition notebook 03 uses) on :func:`index_table`, population-weighted when the
    register table has a population."""
    from soslokal_lib.indicators import sustainability_index

    table, population = index_table(summary, socio, areas)
    return sustainability_index(table, population=population)


#: Fewest neighbourhoods for which :func:`social_gradient` gives the SII an interval.
MIN_AREAS_CI = 5


def social_gradient(
    summary: pd.DataFrame,
    socio: pd.DataFrame,
    *,
    stat: str = "share_low",
    confidence: float = 0.95,
    by: str = "area_id",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Slope index of inequality (SII) of ``stat`` per theme along a socioeconomic ranking.

    Areas are ranked by ``low_income_pct`` (highest share = worst-off) or, without it, by
    ``median_income_nok``, population-weighted (ridit), and ``stat`` (in per cent for shares)
    is regressed on the rank by WLS (:func:`soslokal_lib.inequality.slope_index`) on the
    rows of :func:`soslokal_lib.stats.gradient.theme_by_area`. Only unsuppressed cells are
    used; themes with fewer than three areas are left out, and with fewer than
    :data:`MIN_AREAS_CI` areas the interval is not given (``NaN``): on one or two degrees of
    freedom it runs far beyond ±100 percentage points and says nothing. Unlike
    :func:`~soslokal_lib.stats.gradient.gradient_table` (SII of the mean or median, no
    intercept) this gives the SII of the share of low scores in percentage points and the
    intercept and points the report's figure draws. Returns
    ``(results, points)``: results ``theme, sii, ci_low, ci_high, intercept, n_areas``;
    points ``theme, area_id, ridit, value, population``. ``results.attrs["rank_by"]`` names the
    ranking column.
    """
    from soslokal_lib.stats.gradient import theme_by_area
    from soslokal_lib.stats.inequality import ridit, slope_index

    per_area, _ = split_socio(socio, summary[by].astype(str).unique())
    rank_by = next((c for c in ("low_income_pct", "median_income_nok")
                    if c in per_area.columns), None)
    if rank_by is None or "population" not in per_area.columns:
        raise SoslokalError("social_gradient: socio needs 'population' and 'low_income_pct' or "
                            "'median_income_nok' per area.")
    if stat not in summary.columns:
        raise SoslokalError(f"social_gradient: the summary has no column {stat!r}.")
    ascending = rank_by != "low_income_pct"
    scale = 100.0 if stat.startswith("share") else 1.0
    register = per_area[[rank_by, "population"]].apply(pd.to_numeric, errors="coerce")
    shared = set(register.index) & set(summary[by].astype(str))
    present = set(summary["theme"].astype(str))
    results, points = [], []
    for theme in [t for t in THEME_CODES if t in present and shared]:
        # the theme's privacy-checked cells joined with the register, one row per area
        rows = theme_by_area(summary, theme, register, by=by).sort_index()
        y = pd.to_numeric(rows[stat], errors="coerce").where(~rows["suppressed"]) * scale
        x, pop = rows[rank_by], rows["population"]
        keep = y.notna() & x.notna() & pop.gt(0)
        if keep.sum() < 3 or x[keep].nunique() < 2:
            continue
        res = slope_index(y[keep], x[keep], pop[keep], confidence=confidence,
                          ascending=ascending)
        shown = res.n >= MIN_AREAS_CI  # below: a t interval on 1–2 df says nothing
        results.append({"theme": theme, "sii": res.sii,
                        "ci_low": res.ci_low if shown else np.nan,
                        "ci_high": res.ci_high if shown else np.nan,
                        "intercept": res.intercept, "n_areas": res.n})
        points.append(pd.DataFrame({
            "theme": theme, "area_id": y.index[keep],
            "ridit": ridit(x[keep], pop[keep], ascending=ascending).to_numpy(),
            "value": y[keep].to_numpy(), "population": pop[keep].to_numpy()}))
    out = pd.DataFrame(results, columns=["theme", "sii", "ci_low", "ci_high", "intercept",
                                         "n_areas"])
    out.attrs = {"rank_by": rank_by, "stat": stat, "confidence": confidence}
    pts = (pd.concat(points, ignore_index=True) if points else
           pd.DataFrame(columns=["theme", "area_id", "ridit", "value", "population"]))
    return out, pts
