"""Where the kommune and each neighbourhood stand on the guide's two goals, *sosial
rettferdighet* and *sosial robusthet*, for the «politisk verksted» report.

Two kinds of numbers, with two kinds of uncertainty, said as such in the report:

* **The kommune** (the whole kommune, also when the report covers only some neighbourhoods):
  per goal and dimension (:mod:`soslokal_lib.framework`) the kommune's median and share of low
  scores of each Place Standard theme linked to it, with the summary's 95 % intervals
  (sampling uncertainty; :func:`soslokal_lib.summarise`).
* **The neighbourhoods**: the goal sub-indices notebook 03 computes
  (:func:`soslokal_lib.indicators.goal_scores` over the index indicators, the index's method
  and dimension weights), their ranks, and a rank *interval* from
  :func:`soslokal_lib.indicators.sensitivity` (every method of the index and :data:`N_DRAWS`
  perturbed weightings). That interval says how much the place depends on the choices in the
  index, not how uncertain the answers are; the weakest dimension per goal comes from
  :func:`soslokal_lib.indicators.dimension_scores` (z-scores, notebook 03's dot plot).

Everything is plain data (strings, numbers, lists, dicts) so that the HTML template and the
DOCX builder can use it alike. Suppressed survey cells stay missing all the way through.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib import framework
from soslokal_lib.app.verksted.content import index_table
from soslokal_lib.app.verksted.parts import N_DRAWS, Context, num
from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number, format_percent

__all__ = ["GOALS", "goal_profile"]

#: The guide's two goals in the report's order.
GOALS = ("justice", "robustness")


def goal_profile(ctx: Context, socio: pd.DataFrame | None, areas: list[str], kommune: str,
                 seed: int = 0) -> dict[str, Any]:
    """The opening section (``goals``: one entry per goal) and each neighbourhood's position
    (``per_area``: area id → one entry per goal), computed over *every* neighbourhood in
    ``areas``. ``ranked`` says whether the sub-indices could be formed (enough areas)."""
    t = ctx.t
    ranks, note, register = _ranks(ctx, socio, areas, seed)
    out: dict[str, Any] = {
        "title": t["goals_title"].format(kommune=kommune), "intro": t["goals_intro"],
        "goals": [], "per_area": {a: [] for a in areas}, "ranked": bool(ranks),
        "note": note, "interval_note": t["goals_interval"].format(d=N_DRAWS) if ranks else "",
        "columns": [t["goals_col_dimension"], t["goals_col_theme"], t["goals_col_median"],
                    t["goals_col_share"]],
    }
    for code in GOALS:
        goal = framework.get_goal(code)
        entry = {"code": code, "name": goal.name(ctx.lang),
                 "description": goal.description_nb if ctx.lang == "nb" else goal.description_en,
                 **_kommune_part(ctx, code, kommune, register), "lowest": "", "highest": ""}
        if ranks:
            entry.update(_extremes(ctx, ranks[code], goal.name(ctx.lang)))
            for area in areas:
                out["per_area"][area].append(_area_position(ctx, ranks[code], area, code))
        out["goals"].append(entry)
    return out


# --------------------------------------------------------------------------- the kommune
def _kommune_part(ctx: Context, goal: str, kommune: str,
                  register: dict[str, list[str]]) -> dict[str, Any]:
    """Rows (dimension, theme, median with interval, share low with interval) of the kommune
    for the goal's themes, and one sentence on its weakest and strongest theme. A dimension
    without a theme names the register indicators that stand for it in the sub-index."""
    t, lang = ctx.t, ctx.lang
    total = ctx.summary[ctx.summary["area_id"].astype(str) == "total"]
    total = total.set_index(total["theme"].astype(str))
    rows, shown = [], []
    for dim in framework.dimensions_of_goal(goal):
        themes = [c for c in framework.themes_of_dimension(dim.code) if c in total.index]
        if not themes:
            text = (t["goals_register_only"].format(names=", ".join(register[dim.code]))
                    if register.get(dim.code) else t["goals_no_theme"])
            rows.append({"dimension": dim.name(lang), "theme": text,
                         "median": "", "share": "", "empty": True})
            continue
        for i, code in enumerate(themes):
            r = total.loc[code]
            row = {"dimension": dim.name(lang) if i == 0 else "",
                   "theme": ctx.themes.get(code, code), "median": t["too_few"], "share": "",
                   "empty": True}
            if not bool(r["suppressed"]) and np.isfinite(r["median"]):
                row.update(empty=False, median=_with_ci(r, "median", lang, share=False),
                           share=_with_ci(r, "share_low", lang, share=True))
                shown.append((code, r))
            rows.append(row)
    lead = ""
    if shown:
        order = sorted(shown, key=lambda x: (x[1]["median"], -x[1]["share_low"]))
        worst, best = order[0], order[-1]
        lead = t["goals_kommune"].format(
            kommune=kommune, k=len(shown), worst=_lower(ctx.themes.get(worst[0], worst[0])),
            share=format_percent(worst[1]["share_low"], lang),
            lo=format_number(100 * worst[1]["share_low_ci_low"], lang),
            hi=format_percent(worst[1]["share_low_ci_high"], lang),
            best=_lower(ctx.themes.get(best[0], best[0])),
            best_share=format_percent(best[1]["share_low"], lang))
    return {"rows": rows, "kommune_text": lead}


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _with_ci(row: pd.Series, stat: str, lang: str, *, share: bool) -> str:
    lo, hi = row.get(f"{stat}_ci_low"), row.get(f"{stat}_ci_high")
    if share:
        value = format_percent(row[stat], lang)
        lo_t, hi_t = format_number(100 * lo, lang), format_percent(hi, lang)
    else:
        value, lo_t, hi_t = (num(v, lang) for v in (row[stat], lo, hi))
    return f"{value} ({lo_t}–{hi_t})" if lo_t and hi_t else value


# --------------------------------------------------------------------------- the areas
def _ranks(ctx: Context, socio: pd.DataFrame | None, areas: list[str], seed: int
           ) -> tuple[dict[str, pd.DataFrame], str, dict[str, list[str]]]:
    """Per goal a frame (area → ``score``, ``rank``, ``rank_min``, ``rank_max``,
    ``partial``: fewer indicators than the goal has, ``weakest`` dimension; ``attrs["m"]``
    ranked areas), or ``{}`` and the reason; and per dimension the names of its register
    indicators in the sub-indices."""
    from soslokal_lib.indicator_registry import table_entries
    from soslokal_lib.indicators import (
        INDEX_METHOD,
        METHODS,
        dimension_scores,
        goal_scores,
        index_indicators,
        index_weights,
        sensitivity,
    )
    from soslokal_lib.indicators.fewareas import areas_with_results
    from soslokal_lib.indicators.index import INDEX_MISSING

    t = ctx.t
    try:
        table, population = index_table(ctx.summary, socio, areas)
        ids = index_indicators(table)
        weights = index_weights(table)
        used = table[ids]
        count = areas_with_results(used.dropna(how="all"), names=ctx.names)
        entries = table_entries(table)
        register: dict[str, list[str]] = {}
        for i in ids:
            if entries[i].source != "survey" and entries[i].dimension:
                register.setdefault(entries[i].dimension, []).append(
                    entries[i].name(ctx.lang).lower())
        if not count.enough:
            return {}, count.text(ctx.lang), register
        used = used.loc[list(count.areas)]
        pop = population.reindex(used.index) if population is not None else None
        goals = goal_scores(used, INDEX_METHOD, weights=weights, population=pop,
                            missing=INDEX_MISSING)
        dims = dimension_scores(used, "zscore", population=pop, missing=INDEX_MISSING)
    except SoslokalError:
        return {}, t["goals_none"], {}
    methods = [INDEX_METHOD, *[m for m in METHODS if m != INDEX_METHOD]]
    out = {}
    for goal in GOALS:
        mine = goals.attrs["indicators"][goal]
        w = {i: weights[i] for i in mine} if weights else None
        sens = sensitivity(used[mine], methods, weights=w, population=pop,
                           missing=INDEX_MISSING, n_draws=N_DRAWS, seed=seed)
        frame = pd.DataFrame({"score": goals[goal], "rank": goals[f"{goal}_rank"]})
        frame = frame.join(sens.intervals[["rank_min", "rank_max"]])
        frame["partial"] = used[mine].notna().sum(axis=1) < len(mine)
        frame["shared"] = frame["rank"].notna() & frame["rank"].duplicated(keep=False)
        goal_dims = [d.code for d in framework.dimensions_of_goal(goal) if d.code in dims]
        z = dims[goal_dims] if goal_dims else pd.DataFrame(index=used.index)
        frame["weakest"] = [(z.loc[a].astype(float).idxmin()
                             if len(goal_dims) > 1 and z.loc[a].notna().any() else None)
                            for a in used.index]
        frame.attrs = {"m": int(frame["rank"].notna().sum())}
        out[goal] = frame
    return out, "", register


def _rank_text(ctx: Context, row: pd.Series, m: int) -> str:
    lang = ctx.lang
    rank = format_number(row["rank"], lang)
    lo, hi = format_number(row["rank_min"], lang), format_number(row["rank_max"], lang)
    shared = ctx.t["goals_shared"] if bool(row.get("shared", False)) else ""
    text = (ctx.t["goals_rank_fixed"].format(rank=rank, m=m, shared=shared) if lo == hi
            else ctx.t["goals_rank"].format(rank=rank, m=m, lo=lo, hi=hi, shared=shared))
    return text + (ctx.t["goals_partial"] if bool(row["partial"]) else "")


def band(row: pd.Series, m: int) -> str:
    """``"low"`` when the whole rank interval lies in the bottom third of the ``m`` ranked
    areas, ``"high"`` when it lies in the top third, else ``""`` (with ``m`` < 5: ``""``)."""
    if m < 5 or not np.isfinite(row["rank_min"]) or not np.isfinite(row["rank_max"]):
        return ""
    if row["rank_min"] > m - m / 3:
        return "low"
    if row["rank_max"] <= m / 3:
        return "high"
    return ""


def _extremes(ctx: Context, frame: pd.DataFrame, goal_name: str) -> dict[str, str]:
    """The three lowest and three highest neighbourhoods on one goal, with their intervals."""
    m = frame.attrs["m"]
    ranked = frame[frame["rank"].notna()].sort_values("rank", kind="stable")
    k = min(3, m // 2)
    if k < 1:
        return {"lowest": "", "highest": ""}

    def items(part: pd.DataFrame) -> str:
        return "; ".join(f"{ctx.names.get(a, a)} ({_rank_text(ctx, r, m)})"
                         for a, r in part.iterrows())

    rank = ranked["rank"]  # a neighbourhood tied with the last one listed is listed too
    lowest = ranked[rank >= rank.iloc[-k]].iloc[::-1]
    highest = ranked[rank <= rank.iloc[k - 1]]
    return {"lowest": ctx.t["goals_lowest"].format(goal=goal_name.lower(), items=items(lowest)),
            "highest": ctx.t["goals_highest"].format(goal=goal_name.lower(),
                                                     items=items(highest))}


def _area_position(ctx: Context, frame: pd.DataFrame, area: str, goal: str) -> dict[str, Any]:
    """One neighbourhood on one goal: its rank text, band and weakest dimension."""
    t, lang = ctx.t, ctx.lang
    name = framework.get_goal(goal).name(lang)
    entry = {"goal": goal, "name": name, "text": t["goals_area_none"], "band": "",
             "weakest": "", "rank": None, "m": frame.attrs["m"]}
    if area not in frame.index or pd.isna(frame.loc[area, "rank"]):
        return entry
    row = frame.loc[area]
    entry.update(text=_rank_text(ctx, row, frame.attrs["m"]), rank=int(row["rank"]),
                 band=band(row, frame.attrs["m"]))
    entry["text"] += "."
    if entry["band"]:
        entry["text"] += " " + t[f"goals_band_{entry['band']}"]
    if row["weakest"]:
        entry["weakest"] = framework.get_dimension(row["weakest"]).name(lang)
        entry["text"] += " " + t["goals_weakest_dim"].format(dim=entry["weakest"].lower())
    return entry
