"""Figures for composite indices: rank intervals (sensitivity), justice × robustness and a
dot plot per framework dimension.

The numbers come from :mod:`soslokal_lib.indicators` (``sensitivity``, ``goal_scores``,
``dimension_scores``); these functions only draw. matplotlib is imported inside the functions.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from soslokal_lib import framework
from soslokal_lib.errors import SoslokalError
from soslokal_lib.plot import _common as c

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from soslokal_lib.indicators import SensitivityResult

METHOD_LABELS = {
    "nb": {"zscore": "z-skår", "rank": "rangering", "minmax": "min–maks",
           "levekar": "levekårsindeks (SSB-stil)", "exponential": "eksponentiell (SIMD)"},
    "en": {"zscore": "z-score", "rank": "rank", "minmax": "min–max",
           "levekar": "living-conditions index (SSB style)",
           "exponential": "exponential (SIMD)"},
}
TEXT = {
    "nb": {
        "title": "Følsomhetsanalyse: hvor sikker er rangeringen av områdene?",
        "x": "Rangering (1 = best stilt)",
        "span": "spenn over metoder og vekter",
        "draws": "90 % av vekttrekkene",
        "base": "rangering med {m}",
        "n": "n = {n} områder, {k} metoder, {d} vekttrekk (vekter ±{s} %)",
        "jr_title": "Sosial rettferdighet og sosial robusthet per område",
        "jr_x": "Sosial rettferdighet (delindeks, høyere = bedre)",
        "jr_y": "Sosial robusthet (delindeks, høyere = bedre)",
        "median": "median",
        "jr_n": "n = {n} områder. Delindekser: {m}",
        "dots_title": "Områdene på hver dimensjon av sosial rettferdighet og robusthet",
        "dots_x_z": "Standardisert verdi (z-skår; 0 = snittet, høyere = bedre)",
        "dots_x": "Delindeks per dimensjon ({m}; høyere = bedre)",
        "dots_x_rank": "Andel av områdene som kommer dårligere ut (høyere = bedre)",
        "dots_n": "n = {n} områder. × = mangler (skjult celle eller ingen data)",
        "dots_pop": "befolkningsvektet",
    },
    "en": {
        "title": "Sensitivity analysis: how certain is the ranking of areas?",
        "x": "Rank (1 = best off)",
        "span": "range over methods and weights",
        "draws": "90 % of weight draws",
        "base": "rank by {m}",
        "n": "n = {n} areas, {k} methods, {d} weight draws (weights ±{s} %)",
        "jr_title": "Social justice and social robustness by area",
        "jr_x": "Social justice (sub-index, higher = better)",
        "jr_y": "Social robustness (sub-index, higher = better)",
        "median": "median",
        "jr_n": "n = {n} areas. Sub-indices: {m}",
        "dots_title": "Areas on each dimension of social justice and robustness",
        "dots_x_z": "Standardised value (z-score; 0 = mean, higher = better)",
        "dots_x": "Sub-index per dimension ({m}; higher = better)",
        "dots_x_rank": "Share of areas worse off (higher = better)",
        "dots_n": "n = {n} areas. × = missing (hidden cell or no data)",
        "dots_pop": "population-weighted",
    },
}
SPAN_COLOUR = "#bdbdbd"
DRAW_COLOUR = "#6baed6"
BASE_COLOUR = "#08306b"
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
GOAL_COLOURS = {"justice": "#2166ac", "robustness": "#b35806"}


def _name(area: str, names: Mapping[str, str] | None) -> str:
    return str(names[area]) if names and area in names else str(area)


def _footnote(ax: Axes, note: str, lang: str, source: str | None) -> None:
    """``note`` and the source in small grey text at the figure's bottom left."""
    ax.annotate(c.caption([note], lang, source), xy=(0, 0), xycoords="figure fraction",
                xytext=(6, 4), textcoords="offset points", fontsize="x-small", color="#555555")


def plot_rank_intervals(
    result: SensitivityResult,
    names: Mapping[str, str] | None = None,
    lang: str = "nb",
    *,
    ax: Axes | None = None,
    source: str | None = None,
    title: str | None = None,
) -> Axes:
    """Each area's rank interval, sorted by its rank under the first method.

    Grey line: every rank the area took over methods and weight draws; blue bar: the middle
    90 % of weight draws; markers: rank under each method with the base weights.
    """
    import matplotlib.pyplot as plt

    lang = c.language(lang)
    t = TEXT[lang]
    iv = result.intervals
    if iv.empty:
        raise SoslokalError("The sensitivity result has no areas to draw.")
    areas = [str(a) for a in iv.index]
    y = np.arange(len(areas))
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 1.2 + 0.32 * len(areas)))
    ax.hlines(y, iv["rank_min"], iv["rank_max"], color=SPAN_COLOUR, lw=2, label=t["span"],
              zorder=1)
    if result.settings.get("n_draws"):
        ax.hlines(y, iv["draws_q05"], iv["draws_q95"], color=DRAW_COLOUR, lw=6, alpha=0.8,
                  label=t["draws"], zorder=2)
    methods = list(result.ranks.columns)
    labels = METHOD_LABELS[lang]
    ranks = result.ranks.reindex(iv.index).astype(float)
    for k, m in enumerate(methods):
        first = k == 0
        style = ({"color": BASE_COLOUR, "s": 46} if first
                 else {"facecolors": "none", "edgecolors": "#444444", "s": 22})
        ax.scatter(ranks[m], y, marker=MARKERS[k % len(MARKERS)], zorder=3 + first,
                   label=t["base"].format(m=labels.get(m, m)), **style)
    ax.set_yticks(y, [_name(a, names) for a in areas])
    ax.invert_yaxis()
    n = len(areas)
    ax.set_xlim(0.5, n + 0.5)
    ax.set_xticks(sorted({1, *range(5, n + 1, 5), n}))
    ax.set_xlabel(t["x"])
    ax.set_title(title or t["title"], loc="left")
    ax.grid(axis="x", color="#eeeeee", zorder=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize="small")
    note = t["n"].format(n=n, k=len(methods), d=result.settings.get("n_draws", 0),
                         s=c.fmt(100 * result.settings.get("weight_spread", 0), lang, 0))
    _footnote(ax, note, lang, source)
    return ax


def plot_justice_robustness(
    scores: pd.DataFrame,
    *,
    method: str = "zscore",
    names: Mapping[str, str] | None = None,
    lang: str = "nb",
    ax: Axes | None = None,
    source: str | None = None,
    title: str | None = None,
    annotate: bool = True,
) -> Axes:
    """Justice sub-index (x) against robustness sub-index (y), one point per area.

    ``scores``: the result of :func:`soslokal_lib.indicators.goal_scores` (this function
    computes nothing). ``method`` names the method in the footnote when ``scores`` does not
    record it (``attrs["method"]``). Dashed lines mark each sub-index's median when the scores
    carry it (``attrs["reference"]``).
    """
    import matplotlib.pyplot as plt

    lang = c.language(lang)
    t = TEXT[lang]
    if not {"justice", "robustness"} <= set(scores.columns):
        raise SoslokalError("scores has no 'justice' and 'robustness' columns. Fix: pass "
                            "soslokal_lib.indicators.goal_scores(table, …).")
    used_method = scores.attrs.get("method", method)
    valid = scores[["justice", "robustness"]].astype(float).dropna()
    if valid.empty:
        raise SoslokalError("No area has both sub-indices. Fix: check missing values.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    ax.scatter(valid["justice"], valid["robustness"], s=36, color=BASE_COLOUR, zorder=3)
    if annotate:
        for area, row in valid.iterrows():
            ax.annotate(_name(str(area), names), (row["justice"], row["robustness"]),
                        xytext=(4, 3), textcoords="offset points", fontsize="x-small")
    ref = scores.attrs.get("reference") or {}
    if "justice" in ref:
        ax.axvline(ref["justice"], color="#999999", ls="--", lw=1, zorder=1)
        ax.annotate(t["median"], (ref["justice"], 1), xycoords=("data", "axes fraction"),
                    xytext=(3, -10), textcoords="offset points", fontsize="x-small",
                    color="#777777")
    if "robustness" in ref:
        ax.axhline(ref["robustness"], color="#999999", ls="--", lw=1, zorder=1)
        ax.annotate(t["median"], (1, ref["robustness"]), xycoords=("axes fraction", "data"),
                    xytext=(-30, 3), textcoords="offset points", fontsize="x-small",
                    color="#777777")
    ax.set_xlabel(t["jr_x"])
    ax.set_ylabel(t["jr_y"])
    ax.set_title(title or t["jr_title"], loc="left")
    ax.grid(color="#f0f0f0", zorder=0)
    note = t["jr_n"].format(n=len(valid), m=METHOD_LABELS[lang].get(used_method, used_method))
    _footnote(ax, note, lang, source)
    return ax


def plot_dimension_dots(
    scores: pd.DataFrame,
    *,
    method: str = "zscore",
    names: Mapping[str, str] | None = None,
    order: Sequence[str] | None = None,
    lang: str = "nb",
    source: str | None = None,
    title: str | None = None,
    wrap: int = 16,
) -> Figure:
    """Dot plot per framework dimension: one panel per dimension, one row per area.

    ``scores``: the result of :func:`soslokal_lib.indicators.dimension_scores` (columns =
    dimension codes; this function computes nothing). ``method`` is the method the scores were
    computed with when ``scores`` does not record it (``attrs["method"]``). Rows follow ``order`` (area ids, top to bottom; default: the
    mean over dimensions, best off on top); panels share the x axis so dimensions compare.
    Dots are coloured by goal (justice / robustness); a missing value is drawn as a grey «×»
    on the reference line. The
    reference line is 0 for z-scores, else each dimension's median over areas.
    Returns the Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    lang = c.language(lang)
    t = TEXT[lang]
    dims = [d for d in framework.DIMENSION_CODES if d in scores.columns]
    if not dims:
        raise SoslokalError("scores has no framework dimension columns. Fix: pass "
                            "soslokal_lib.indicators.dimension_scores(table, …).")
    used_method = scores.attrs.get("method", method)
    values = scores[dims].astype(float)
    values.index = values.index.astype(str)
    if values.empty or values.isna().all().all():
        raise SoslokalError("No area has a dimension score to draw. Fix: check missing values.")
    if order is None:
        areas = list(values.mean(axis=1).sort_values(ascending=False, na_position="last").index)
    else:
        areas = [str(a) for a in order]
        unknown = [a for a in areas if a not in values.index]
        if unknown:
            raise SoslokalError(f"order names area(s) not in the scores: {', '.join(unknown[:5])}. "
                                "Fix: use area ids of the table.")
    values = values.loc[areas]
    n, k = len(areas), len(dims)
    y = np.arange(n)
    finite = values.to_numpy()[np.isfinite(values.to_numpy())]
    lo, hi = float(finite.min()), float(finite.max())
    if used_method == "zscore":
        lim = max(abs(lo), abs(hi), 1.0) * 1.12
        xlim = (-lim, lim)
    else:
        pad = 0.08 * (hi - lo or 1.0)
        xlim = (lo - pad, hi + pad)
    fig, axes = plt.subplots(1, k, sharey=True, figsize=(2.2 + 1.25 * k, 1.6 + 0.3 * n),
                             squeeze=False)
    axes = axes[0]
    goal_of = {d.code: d.goal for d in framework.DIMENSIONS}
    for ax, dim in zip(axes, dims, strict=True):
        col = values[dim].to_numpy()
        colour = GOAL_COLOURS[goal_of[dim]]
        ref = {"zscore": 0.0, "rank": 0.5}.get(used_method, float(np.nanmedian(col)))
        ax.axvline(ref, color="#999999", lw=0.8, ls="--", zorder=1)
        ax.hlines(y, xlim[0], xlim[1], color="#f0f0f0", lw=0.8, zorder=0)
        ok = np.isfinite(col)
        ax.hlines(y[ok], ref, col[ok], color=colour, lw=1.2, alpha=0.35, zorder=2)
        ax.scatter(col[ok], y[ok], s=26, color=colour, zorder=3, label="_values")
        if (~ok).any():
            ax.scatter(np.full((~ok).sum(), ref), y[~ok], marker="x", s=22, color="#777777",
                       linewidths=1.2, zorder=3, label="_missing")
        ax.set_xlim(*xlim)
        ax.set_title(textwrap.fill(framework.get_dimension(dim).name(lang), wrap),
                     fontsize="small", color=colour)
        ax.tick_params(axis="x", labelsize="x-small")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0].set_yticks(y, [_name(a, names) for a in areas])
    axes[0].invert_yaxis()
    xlabel = {"zscore": t["dots_x_z"], "rank": t["dots_x_rank"]}.get(
        used_method, t["dots_x"].format(m=METHOD_LABELS[lang].get(used_method, used_method)))
    if scores.attrs.get("population_weighted"):
        xlabel = (f"{xlabel[:-1]}; {t['dots_pop']})" if xlabel.endswith(")")
                  else f"{xlabel} ({t['dots_pop']})")
    fig.supxlabel(xlabel, fontsize="small", y=0.07)
    handles = [Line2D([], [], marker="o", ls="", color=GOAL_COLOURS[g.code], label=g.name(lang))
               for g in framework.GOALS if any(goal_of[d] == g.code for d in dims)]
    fig.legend(handles=handles, loc="upper right", frameon=False, fontsize="small", ncols=2)
    fig.suptitle(title or t["dots_title"], x=0.01, ha="left", fontsize="large")
    fig.text(0.01, 0.01, c.caption([t["dots_n"].format(n=n)], lang, source),
             fontsize="x-small", color="#555555")
    fig.subplots_adjust(left=0.13, right=0.99, bottom=0.17, top=0.80, wspace=0.12)
    return fig
