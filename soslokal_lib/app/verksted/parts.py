"""Figures and formatting for the «politisk verksted» report (:mod:`soslokal_lib.app.verksted`).

Everything here draws or formats numbers that come from the summary layer, the indicator
registry and :mod:`soslokal_lib.app.verksted.content`; nothing is estimated here.
matplotlib is imported inside the functions.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib.app.verksted.content import (
    MIN_AREAS_CI,
    index_table,
    levekar_index_rows,
    neighbourhood_index,
    social_gradient,
)
from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import MINUS, format_number

if TYPE_CHECKING:
    from soslokal_lib.io.inputs import Inputs

DPI = 110
#: Resolution of the PNG kept for ``figurer/`` and the DOCX (:func:`collect_figures`).
PRINT_DPI = 200
N_DRAWS = 200
#: Largest ICC still called small next to the differences between neighbours (20 %), and the
#: number of compared neighbourhoods below which the ICC is called very uncertain.
SMALL_ICC = 0.2
FEW_AREAS = 5


@dataclass(frozen=True)
class Context:
    """What every part of the report needs: the privacy-checked summary and the wording."""

    summary: pd.DataFrame
    names: Mapping[str, str]
    themes: Mapping[str, str]
    lang: str
    t: Mapping[str, str]
    min_n: int
    source: str | None
    labels: Mapping[str, str] | None


def num(value: float, lang: str, decimals: int = 1) -> str:
    """A number with up to ``decimals`` decimals, whole numbers without («4», «4,5»)."""
    return format_number(value, lang, decimals, whole=True)


def png(fig: Any) -> str:
    """The figure as a data URI: PNG at :data:`DPI`, reduced to a 256-colour palette (a third
    of the size, no visible loss for charts)."""
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=DPI, facecolor="white", bbox_inches="tight",
                pad_inches=0.06)
    uri = "data:image/png;base64," + base64.b64encode(_palette(raw, DPI)).decode("ascii")
    kept = _KEPT.get()
    if kept is not None:
        kept[uri] = _print_versions(fig)
    return uri


#: While :func:`collect_figures` runs: data URI → the figure as print PNG and SVG.
_KEPT: ContextVar[dict[str, tuple[bytes, bytes]] | None] = ContextVar("kept", default=None)


@contextmanager
def collect_figures() -> Iterator[dict[str, tuple[bytes, bytes]]]:
    """Keep every figure :func:`png` draws meanwhile also as a PNG at :data:`PRINT_DPI` and an
    SVG, keyed by the data URI the HTML carries (for ``figurer/`` and the DOCX,
    :mod:`soslokal_lib.app.office`)."""
    kept: dict[str, tuple[bytes, bytes]] = {}
    token = _KEPT.set(kept)
    try:
        yield kept
    finally:
        _KEPT.reset(token)


def _palette(raw: io.BytesIO, dpi: int) -> bytes:
    """The PNG in ``raw`` reduced to 256 colours, its resolution noted."""
    from PIL import Image

    raw.seek(0)
    image = Image.open(raw).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, dpi=(dpi, dpi))
    return out.getvalue()


def _print_versions(fig: Any) -> tuple[bytes, bytes]:
    options = {"facecolor": "white", "bbox_inches": "tight", "pad_inches": 0.06}
    raw, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(raw, format="png", dpi=PRINT_DPI, **options)
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, **options)
    return _palette(raw, PRINT_DPI), svg.getvalue()


def figure(width: float, height: float, polar: bool = False) -> tuple[Any, Any]:
    """A figure and its Axes, without pyplot (no global state, works in any backend)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot(projection="polar" if polar else None)


def signed(value: float, lang: str, decimals: int) -> str:
    """«+3,1», «−2,0» (real minus sign), «±0»."""
    text = format_number(abs(value), lang, decimals)
    return ("+" if value > 0 else MINUS if value < 0 else "±") + text


def compass(ctx: Context, area: str) -> str:
    """The area's compass against the kommune (``compare="total"``) as a data URI."""
    from soslokal_lib.plot.compass import plot_compass

    fig, ax = figure(5.5, 6.0, polar=True)
    plot_compass(ctx.summary, area, compare="total", names=ctx.names, ax=ax, lang=ctx.lang,
                 title="", source=ctx.source, min_n=ctx.min_n, labels=ctx.labels)
    return png(fig)


def overview(ctx: Context, inputs: Inputs, socio: pd.DataFrame | None, areas: list[str],
              seed: int) -> dict:
    """Heatmap, differences between neighbourhoods, composite index (map, rank intervals) and
    social gradient, for the template."""
    from soslokal_lib.plot.charts import plot_heatmap

    t, lang = ctx.t, ctx.lang
    out: dict[str, Any] = {"heatmap": "", "map": "", "map_text": "", "map_note": "",
                           "rank": "", "rank_text": "", "index_note": "",
                           "gradient": "", "gradient_text": "", "gradient_rows": [],
                           "gradient_caption": "", "gradient_note": "",
                           "gradient_bold": False, "gradient_few_themes": ""}
    rows = len(areas) + 1
    fig, ax = figure(11.5, 3.6 + 0.36 * rows)
    plot_heatmap(ctx.summary, names=ctx.names, ax=ax, lang=lang, source=ctx.source,
                 min_n=ctx.min_n, labels=ctx.labels, title="")
    out["heatmap"] = png(fig)
    out["differences"] = differences(ctx, inputs)
    out.update(_index_parts(ctx, inputs, socio, seed))
    if socio is not None:
        out.update(_gradient_parts(ctx, socio))
    else:
        out["gradient_note"] = t["gradient_none"]
    return out


def differences(ctx: Context, inputs: Inputs) -> dict:
    """Plain sentences on which themes differ clearly between neighbourhoods and which
    neighbourhoods lie clearly below (or above) the others (``lower_themes``: area → the theme
    codes called clearly below), from
    :func:`soslokal_lib.stats.area_differences.area_differences` on the report's summary (its
    suppression decides what is left out)."""
    from soslokal_lib.stats.area_differences import area_differences
    from soslokal_lib.stats.area_differences_wording import join, ordered, percent, top_icc
    from soslokal_lib.themes import scale_cutoffs

    t, lang = ctx.t, ctx.lang
    result = area_differences(inputs.survey, summary=ctx.summary)
    themes = result.themes
    tested = themes[themes["p_value"].notna()]
    out: dict[str, Any] = {"themes": "", "lower": [], "lower_none": "", "higher": "",
                           "certainty": "", "icc": "", "hidden": "", "none": "",
                           "differ": [], "lower_themes": {}}
    if tested.empty:
        out["none"] = t["diff_none"]
        return out

    def label(code: str) -> str:
        name = ctx.themes.get(code, code)
        return name[:1].lower() + name[1:]

    differ = ordered(tested[tested["differ"].fillna(False).astype(bool)])
    m, k = len(tested), len(differ)
    out["differ"] = [ctx.themes.get(code, code) for code in differ.index]
    key = "diff_themes_none" if k == 0 else "diff_themes_all" if k == m else "diff_themes"
    out["themes"] = t[key].format(k=k, m=m, themes=join([label(c) for c in differ.index], lang))
    low_cut = scale_cutoffs(result.scale)[0]
    low = f"1–{low_cut}" if low_cut > 1 else "1"
    lower = result.flagged("lower")
    # per area the theme codes called clearly below: the questions ask what to keep only of
    # themes not among them (questions.is_strength)
    out["lower_themes"] = {str(area): [str(c) for c in part["theme"]]
                           for area, part in lower.groupby("area_id", sort=False)}
    for area, part in lower.groupby("area_id", sort=False):
        shares = [t["diff_share"].format(theme=label(r.theme), p1=percent(r.share_low, lang),
                                         p2=percent(r.share_low_rest, lang), low=low)
                  for r in part.itertuples(index=False)]
        out["lower"].append(t["diff_item"].format(area=ctx.names.get(area, area),
                                                  themes=", ".join(shares)))
    if not out["lower"]:
        out["lower_none"] = t["diff_lower_none"]
    higher = result.flagged("higher")
    if len(higher):
        items = [f"{ctx.names.get(area, area)} ({join([label(c) for c in part['theme']], lang)})"
                 for area, part in higher.groupby("area_id", sort=False)]
        out["higher"] = t["diff_higher"].format(items="; ".join(items))
    if k or len(lower) or len(higher):
        out["certainty"] = t["diff_certainty"]
    icc = themes["icc"].dropna()
    if len(icc):
        top = top_icc(icc)
        key = "diff_icc_small" if icc.max() < SMALL_ICC else "diff_icc"
        out["icc"] = t[key].format(hi=format_number(100 * icc.max(), lang, 0), theme=label(top))
        k_areas = int(themes.loc[top, "n_areas"])
        if k_areas < FEW_AREAS:
            out["icc"] += " " + t["diff_icc_few"].format(k=k_areas)
    if result.areas["suppressed"].to_numpy(dtype=bool)[result.areas["n"].to_numpy() > 0].any():
        out["hidden"] = t["diff_hidden"]
    return out


def _index_parts(ctx: Context, inputs: Inputs, socio: pd.DataFrame | None, seed: int) -> dict:
    """The index (:func:`soslokal_lib.indicators.sustainability_index`, the definition notebook
    03 uses) on a map, and its rank intervals over methods and weights."""
    from soslokal_lib.indicator_registry import table_entries
    from soslokal_lib.indicators import index_sensitivity, index_text
    from soslokal_lib.indicators.fewareas import areas_with_results
    from soslokal_lib.plot.indicators import plot_rank_intervals
    from soslokal_lib.plot.maps import plot_choropleth

    t, lang = ctx.t, ctx.lang
    areas = [a for a in ctx.names if a != "total"]
    try:
        comp = neighbourhood_index(ctx.summary, socio, areas)
    except SoslokalError:
        return {"index_note": t["index_none"].format(n=0)}
    table, population = index_table(ctx.summary, socio, areas)
    core = comp.attrs["indicators"]
    used = comp[comp["score"].notna()]  # areas with at least one indicator
    count = areas_with_results(used[["score"]], names=ctx.names)
    if not count.enough:  # composites and ranks need enough areas
        return {"index_note": count.text(lang)}
    sens = index_sensitivity(table.loc[used.index], population=population, n_draws=N_DRAWS,
                             seed=seed)
    entries = [table_entries(table)[c] for c in core]
    survey = [e for e in entries if e.source == "survey"]
    register = [e.name(lang).lower() for e in entries if e.source != "survey"]
    parts = ([t["map_survey"].format(k=len(survey))] if survey else []) + (
        [t["map_register"].format(k=len(register), names=", ".join(register))] if register
        else [])
    partial = [ctx.names.get(a, a) for a in used.index[used["n_indicators"] < len(core)]]
    how = index_text(lang, population_weighted=population is not None)
    out = {"map_text": t["map_text"].format(k=len(core), names=f" {t['and']} ".join(parts),
                                            how=how),
           "map_note": t["map_partial"].format(areas=", ".join(partial)) if partial else "",
           "index_register": bool(register),
           **levekar_index_rows(table, comp, ctx.names, lang)}
    if inputs.areas is not None:
        gdf = inputs.areas.join(comp["score"], how="left")
        fig, ax = figure(7.6, 4.4)
        plot_choropleth(gdf, "score", scheme="quantiles", k=4, lang=lang, ax=ax,
                        legend_title=t["map_legend"], source=ctx.source, fmt="{:.1f}")
        out["map"] = png(fig)
    else:
        out["map_note"] = " ".join(p for p in (out["map_note"], t["map_missing"]) if p)
    fig, ax = figure(9.0, 1.0 + 0.26 * len(used))
    fig.get_layout_engine().set(h_pad=0.17)  # room for the caption under the x label
    plot_rank_intervals(sens, names=ctx.names, lang=lang, ax=ax, source=ctx.source)
    out["rank"] = png(fig)
    spread = format_number(100 * sens.settings["weight_spread"], lang, 0)
    out["rank_text"] = t["rank_text"].format(m=len(sens.settings["methods"]), d=N_DRAWS,
                                             s=spread)
    return out


def _gradient_parts(ctx: Context, socio: pd.DataFrame) -> dict:
    """SII table (sorted, steepest against the worst-off first) and the four steepest themes.

    Only themes with at least :data:`MIN_AREAS_CI` neighbourhoods are shown (a slope through
    three or four points, without an interval, says nothing reliable); with none, a note says
    why, and the bold-face footnote appears only when a row has an interval.
    """
    t, lang = ctx.t, ctx.lang
    try:
        results, points = social_gradient(ctx.summary, socio)
    except SoslokalError:
        return {"gradient_note": t["gradient_none"]}
    if results.empty:
        return {"gradient_note": t["gradient_none"]}
    enough = results["n_areas"] >= MIN_AREAS_CI
    if not enough.any():
        return {"gradient_note": t["gradient_few"].format(k=int(results["n_areas"].max()),
                                                          min=MIN_AREAS_CI)}
    few = [ctx.themes.get(c, c) for c in results.loc[~enough, "theme"]]
    results = results[enough]
    by_income = results.attrs["rank_by"] != "low_income_pct"
    conf = format_number(100 * results.attrs["confidence"], lang, 0)
    ordered = results.sort_values("sii", kind="stable")
    rows = [{"theme": ctx.themes.get(r.theme, r.theme), "sii": signed(r.sii, lang, 1),
             "ci": t["ci_range"].format(lo=signed(r.ci_low, lang, 1),
                                        hi=signed(r.ci_high, lang, 1))
             if pd.notna(r.ci_low) else "–",
             "areas": int(r.n_areas), "clear": bool(r.ci_high < 0 or r.ci_low > 0),
             "against_worst_off": bool(r.ci_high < 0)}
            for r in ordered.itertuples(index=False)]
    return {
        "gradient": _gradient_figure(ctx, ordered.head(4), points, by_income),
        "gradient_text": t["gradient_by_income" if by_income else "gradient_text"],
        "gradient_caption": t["gradient_table"].format(conf=conf,
                                                       k=int(results["n_areas"].max())),
        "gradient_rows": rows,
        "gradient_bold": bool(results["ci_low"].notna().any()),
        "gradient_few_themes": (t["gradient_few_themes"].format(min=MIN_AREAS_CI,
                                                                themes=", ".join(few))
                                if few else ""),
    }


def _gradient_figure(ctx: Context, results: pd.DataFrame, points: pd.DataFrame,
                     by_income: bool) -> str:
    """Small multiples: share of low scores against the socioeconomic rank, with the SII line
    of :func:`social_gradient` (drawn from its intercept and slope, nothing re-estimated)."""
    from matplotlib.figure import Figure

    from soslokal_lib.plot import _common as c

    t, lang = ctx.t, ctx.lang
    n = len(results)
    cols = 2 if n > 1 else 1
    nrows = int(np.ceil(n / cols))
    fig = Figure(figsize=(9.0, 2.9 * nrows + 0.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, cols, squeeze=False).ravel())
    top = float(points["value"].max()) if len(points) else 100.0
    for ax, r in zip(axes, results.itertuples(index=False), strict=False):
        p = points[points["theme"] == r.theme]
        size = 20 + 180 * p["population"] / max(float(points["population"].max()), 1.0)
        ax.scatter(p["ridit"], p["value"], s=size, color="#1b6a8a", alpha=0.75,
                   edgecolor="white", linewidth=0.6, zorder=3)
        ax.plot([0, 1], [r.intercept, r.intercept + r.sii], color="#b2182b", lw=1.8, zorder=2)
        for row in p.itertuples(index=False):
            ax.annotate(ctx.names.get(row.area_id, row.area_id), (row.ridit, row.value),
                        xytext=(4, 3), textcoords="offset points", fontsize=7,
                        color="#333333")
        panel = (t["gradient_panel"] if pd.notna(r.ci_low) else t["gradient_panel_no_ci"])
        ax.set_title(panel.format(
            theme=ctx.themes.get(r.theme, r.theme), sii=signed(r.sii, lang, 1),
            lo=signed(r.ci_low, lang, 1), hi=signed(r.ci_high, lang, 1)),
            fontsize=9.5, loc="left")
        ax.set_xlim(-0.05, 1.12)
        ax.set_ylim(0, max(top * 1.12, 10))
        ax.grid(color="#eeeeee", zorder=0)
        ax.set_xlabel(t["gradient_x_income" if by_income else "gradient_x"], fontsize=8)
        ax.set_ylabel(t["gradient_y"], fontsize=8)
        ax.tick_params(labelsize=7.5)
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.supxlabel(c.caption([], lang, ctx.source), fontsize=7.5, color="#555555", x=0.01,
                  ha="left")
    return png(fig)


