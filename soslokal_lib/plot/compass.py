"""The Stedskompasset (Place Standard) compass: one area, or small multiples of many.

Fourteen spokes in official order, clockwise from 12 o'clock; radius 1 at the centre (much
to improve) to 7 at the rim (little to improve). Statistics come from the table returned by
``summarise``; suppressed cells are never drawn as scores: cells below ``min_n`` are marked
«for få svar», cells hidden only to protect a small neighbour (secondary suppression) «skjult
for å beskytte», explained in the legend as «skjult for å beskytte et lite nabolag».
matplotlib is imported inside the functions.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.plot import _common as c
from soslokal_lib.themes import get_theme, theme_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

AREA_COLOUR = "#1b6a8a"
COMPARE_COLOUR = "#333333"
MUTED = "#8a8a8a"
HATCH_FACE = "#eeeeee"
BAND_COLOUR = "#9ecae1"
HATCHES = {"too_few": "////", "hidden": "\\\\\\\\"}


def plot_compass(
    summary: pd.DataFrame,
    area: str,
    *,
    compare: str | None = None,
    stat: str = "median",
    lang: str = "nb",
    ax: Axes | None = None,
    by: str = "area_id",
    ci: bool = True,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    area_name: str | None = None,
    source: str | None = None,
    scale: int | None = None,
    names: Mapping[str, str] | None = None,
    min_n: int | None = None,
    groups: pd.DataFrame | None = None,
) -> Axes:
    """Draw the compass of ``area`` (a value of column ``by``) and return the polar Axes.

    ``compare`` (e.g. ``"total"``) adds a dashed outline; ``ci`` shades the band between the
    lower and upper confidence limits of ``stat`` ("median" or "mean"). ``labels`` overrides
    theme names, ``names`` maps area ids to display names (``area_name`` names ``area``),
    ``source`` adds a «Kilde: …» line, ``scale`` (7 or 3) defaults to the table's scale.
    ``groups`` (:func:`soslokal_lib.stats.group_scores.summarise_group_scores`) adds the
    area's walk and group scores as a separate outline (:mod:`soslokal_lib.plot.compass_groups`).
    """
    lang = c.language(lang)
    table = c.check_summary(summary, by, stat, c.COMPASS_STATS)
    area = c.check_area(table, by, area)
    if compare is not None:
        compare = c.check_area(table, by, compare, what="comparison area")
    scale = c.resolve_scale(table, scale)
    names = {**(names or {}), **({area: area_name} if area_name else {})}

    import matplotlib.pyplot as plt

    if ax is None:
        fig = plt.figure(figsize=(8.4, 9.0), layout="constrained")
        fig.get_layout_engine().set(w_pad=0.2, h_pad=0.15)
        ax = fig.add_subplot(projection="polar")
    elif ax.name != "polar":
        raise SoslokalError(
            "plot_compass needs a polar Axes. Fix: create it with "
            "fig.add_subplot(projection='polar') or leave ax=None."
        )
    handles, texts = _draw(ax, table, by, area, compare=compare, stat=stat, lang=lang, ci=ci,
                           labels=labels, scale=scale, names=names, compact=False, min_n=min_n)
    if groups is not None:
        from soslokal_lib.plot.compass_groups import draw_group_outline

        entry = draw_group_outline(ax, groups, area, c.themes_in(table), lang)
        handles, texts = (handles + [entry[0]], texts + [entry[1]]) if entry else (handles, texts)
    t = c.TEXT[lang]
    name = c.area_label(area, lang, names, table, by)
    ax.set_title(title if title is not None else f"{t['compass']}: {name}",
                 pad=42, fontsize=14, fontweight="bold")
    legend = ax.legend(handles, texts, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                       ncol=2, frameon=False, fontsize=10)
    note = _stat_note(table, stat, lang, scale, by)
    ax.annotate(c.caption([note], lang, source), xy=(0.5, 0), xycoords=legend,
                xytext=(0, -4), textcoords="offset points", ha="center", va="top",
                fontsize=8.5, color="#555555", wrap=True)
    return ax


def plot_compass_grid(
    summary: pd.DataFrame,
    areas: Sequence[str] | None = None,
    *,
    stat: str = "median",
    compare: str | None = "total",
    lang: str = "nb",
    ncols: int = 4,
    names: Mapping[str, str] | None = None,
    by: str = "area_id",
    ci: bool = False,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    source: str | None = None,
    scale: int | None = None,
    min_n: int | None = None,
) -> Figure:
    """Small multiples: one compact compass per area (theme numbers on the spokes, a key of
    theme names below), each with ``compare`` as a dashed outline. Returns the Figure.

    ``areas`` defaults to every value of ``by`` except ``"total"``, in table order.
    """
    lang = c.language(lang)
    table = c.check_summary(summary, by, stat, c.COMPASS_STATS)
    if compare is not None:
        compare = c.check_area(table, by, compare, what="comparison area")
    if isinstance(areas, str):
        areas = [areas]
    areas = c.by_values(table, by) if areas is None else [c.check_area(table, by, a)
                                                           for a in areas]
    areas = [a for a in areas if a != compare] or areas
    if not areas:
        raise SoslokalError(f"The summary has no areas in column {by!r} to draw.")
    if int(ncols) < 1:
        raise SoslokalError(f"ncols must be at least 1, got {ncols!r}.")
    scale = c.resolve_scale(table, scale)
    ncols = min(int(ncols), len(areas))
    nrows = math.ceil(len(areas) / ncols)

    import matplotlib.pyplot as plt

    key_rows = math.ceil(len(c.themes_in(table)) / _key_columns(ncols))
    bottom_height = 0.9 + 0.17 * key_rows
    fig = plt.figure(figsize=(max(3.3 * ncols, 7.5), 3.6 * nrows + 0.5 + bottom_height),
                     layout="constrained")
    subfigs = fig.subfigures(2, 1, height_ratios=[3.6 * nrows + 0.5, bottom_height])
    axes = subfigs[0].subplots(nrows, ncols, subplot_kw={"projection": "polar"},
                               squeeze=False).ravel()
    key: dict[str, Any] = {}  # legend entries shared by the panels (not the area's own)
    for ax, area in zip(axes, areas, strict=False):
        handles, texts = _draw(ax, table, by, area, compare=compare, stat=stat, lang=lang,
                               ci=ci, labels=labels, scale=scale, names=names, compact=True,
                               min_n=min_n)
        key.update({text: handle for handle, text in zip(handles[1:], texts[1:], strict=True)
                    if text not in key})
        name = c.area_label(area, lang, names, table, by)
        ax.set_title(c.with_n(name, c.max_n(table, by, area)), pad=20, fontsize=10.5,
                     fontweight="bold")
    for ax in axes[len(areas):]:
        ax.set_visible(False)
    t = c.TEXT[lang]
    subfigs[0].suptitle(title if title is not None else f"{t['compass']} {t['per_area']}",
                        fontsize=14, fontweight="bold")
    key_handles = [_area_key_handle(), *key.values()]
    key_texts = [t["area"], *key]
    bottom = subfigs[1]
    bottom.legend(key_handles, key_texts, loc="upper center", ncol=len(key_texts),
                  frameon=False, fontsize=9.5)
    _theme_key(bottom, table, lang, labels, ncols=_key_columns(ncols))
    note = _stat_note(table, stat, lang, scale, by)
    bottom.text(0.5, 0.0, c.caption([note], lang, source), ha="center", va="bottom",
                fontsize=8.5, color="#555555")
    return fig


def _draw(ax: Axes, table: pd.DataFrame, by: str, area: str, *, compare: str | None,
          stat: str, lang: str, ci: bool, labels: Mapping[str, str] | None, scale: int,
          names: Mapping[str, str] | None, compact: bool,
          min_n: int | None) -> tuple[list[Any], list[str]]:
    """Draw one compass on ``ax``; return legend handles and texts."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    t = c.TEXT[lang]
    themes = c.themes_in(table)
    k = len(themes)
    theta = 2 * np.pi * np.arange(k) / k
    values = c.cell_values(table, by, area, stat, themes)
    rows = table[table[by] == area].set_index("theme").reindex(themes)
    suppressed = c.suppressed_mask(rows)

    _frame(ax, theta, scale, compact)
    handles: list[Any] = []
    texts: list[str] = []
    name = c.area_label(area, lang, names, table, by)

    if compare is not None:
        ref = c.cell_values(table, by, compare, stat, themes)
        ax.plot(*_closed(theta, ref), color=COMPARE_COLOUR, linestyle="--", linewidth=1.5,
                zorder=4, gid="compass-compare")
        handles.append(Line2D([], [], color=COMPARE_COLOUR, linestyle="--", linewidth=1.5))
        texts.append(c.with_n(c.area_label(compare, lang, names, table, by),
                              c.max_n(table, by, compare)))

    if ci and {f"{stat}_ci_low", f"{stat}_ci_high"} <= set(table.columns):
        low = c.cell_values(table, by, area, f"{stat}_ci_low", themes)
        high = c.cell_values(table, by, area, f"{stat}_ci_high", themes)
        if _band(ax, theta, low, high):
            handles.append(Patch(facecolor=BAND_COLOUR, alpha=0.35, edgecolor="none"))
            conf = table.attrs.get("confidence")
            texts.append(f"{round(100 * conf)} % {t['ci']}" if conf else t["ci"].capitalize())

    for run in _runs(np.isfinite(values)):
        if len(run) == k:
            ax.fill(theta, values, color=AREA_COLOUR, alpha=0.15, linewidth=0, zorder=3)
        elif len(run) > 1:
            ax.fill(np.r_[theta[run[0]], theta[run], theta[run[-1]]],
                    np.r_[1.0, values[run], 1.0], color=AREA_COLOUR, alpha=0.15,
                    linewidth=0, zorder=3)
    ax.plot(*_closed(theta, values), color=AREA_COLOUR, linewidth=2.2, marker="o",
            markersize=3.5 if compact else 5, zorder=5, gid="compass-area",
            label=c.with_n(name, c.max_n(table, by, area)))
    handles.insert(0, Patch(facecolor=(*_rgb(AREA_COLOUR), 0.15), edgecolor=AREA_COLOUR,
                            linewidth=2))
    texts.insert(0, c.with_n(name, c.max_n(table, by, area)))

    missing = ~np.isfinite(values)
    secondary = c.secondary_mask(rows)
    for i in np.flatnonzero(missing):
        kind = "hidden" if secondary[i] else "too_few" if suppressed[i] else "no_data"
        label = t["hidden_short"] if kind == "hidden" else t[kind]
        _gap_marker(ax, theta[i], k, scale, label, compact, hatch=HATCHES.get(kind))
    if (suppressed & ~secondary).any():
        handles.append(_hatch_handle(HATCHES["too_few"]))
        texts.append(c.too_few_label(table, lang, min_n))
    if secondary.any():
        handles.append(_hatch_handle(HATCHES["hidden"]))
        texts.append(t["hidden_long"])

    _spoke_labels(ax, theta, themes, lang, labels, scale, compact, muted=missing)
    return handles, texts


def _frame(ax: Axes, theta: np.ndarray, scale: int, compact: bool) -> None:
    """Orientation, limits and gridlines: spokes at the themes, a circle at every score."""
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ax.set_ylim(1, scale)
    ax.set_xticks(theta)
    ax.set_xticklabels([])
    ax.set_yticks(range(1, scale + 1))
    ax.set_yticklabels([] if compact else [str(s) for s in range(1, scale + 1)],
                       fontsize=8, color=MUTED)
    ax.set_rlabel_position(360 - 180 / len(theta) if len(theta) else 0)
    ax.grid(color="#d4d4d4", linewidth=0.7)
    ax.spines["polar"].set_color("#a0a0a0")
    ax.spines["polar"].set_linewidth(0.9)
    if compact:
        ax.tick_params(pad=0)


def _closed(theta: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Close the ring: repeat the first spoke at the end (a NaN there keeps the gap)."""
    return np.r_[theta, theta[:1] + 2 * np.pi], np.r_[values, values[:1]]


def _runs(valid: np.ndarray) -> list[np.ndarray]:
    """Index runs of consecutive valid spokes, going round the circle."""
    k = len(valid)
    if valid.all():
        return [np.arange(k)]
    if not valid.any():
        return []
    start = int(np.flatnonzero(~valid)[0])  # begin just after a gap so no run wraps badly
    order = (np.arange(k) + start) % k
    runs: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if valid[i]:
            current.append(int(i))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [np.array(r) for r in runs]


def _band(ax: Axes, theta: np.ndarray, low: np.ndarray, high: np.ndarray, *,
          colour: str = BAND_COLOUR, gid: str = "compass-ci") -> bool:
    """Shade the band between the lower and upper limit polygons; True if anything drawn."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    k = len(theta)
    ok = np.isfinite(low) & np.isfinite(high)
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for i in range(k):
        j = (i + 1) % k
        if not (ok[i] and ok[j]):
            continue
        tj = theta[j] + (2 * np.pi if j == 0 else 0)
        vertices += [(theta[i], high[i]), (tj, high[j]), (tj, low[j]), (theta[i], low[i]),
                     (theta[i], high[i])]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    # A spoke with no valid neighbour gets a radial whisker instead.
    lonely = ok & ~np.roll(ok, 1) & ~np.roll(ok, -1)
    for i in np.flatnonzero(lonely):
        ax.plot([theta[i], theta[i]], [low[i], high[i]], color=colour, alpha=0.6,
                linewidth=4, solid_capstyle="butt", zorder=2)
    if vertices:
        ax.add_patch(PathPatch(Path(vertices, codes), facecolor=colour, alpha=0.35,
                               edgecolor="none", zorder=2, gid=gid))
    return bool(vertices) or bool(lonely.any())


def _hatch_handle(hatch: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=HATCH_FACE, edgecolor=MUTED, hatch=hatch, linewidth=0)


def _gap_marker(ax: Axes, angle: float, k: int, scale: int, text: str, compact: bool,
                hatch: str | None) -> None:
    """A grey (hatched) sector along a spoke without a score, with a small label."""
    width = 2 * np.pi / k * 0.62
    ax.bar(angle, scale - 1, bottom=1, width=width, color=HATCH_FACE if hatch else "#f6f6f6",
           edgecolor="#b5b5b5", hatch=hatch, linewidth=0, zorder=1,
           gid="compass-suppressed")
    ax.plot([angle], [1 + 0.55 * (scale - 1)], marker="x", color=MUTED, markersize=6,
            markeredgewidth=1.6, zorder=6)
    if compact:
        return
    deg = (90 - np.degrees(angle)) % 360  # screen angle of the spoke
    rotation = deg - 180 if 90 < deg <= 270 else deg
    ax.text(angle, 1 + 0.8 * (scale - 1), text, rotation=rotation, rotation_mode="anchor",
            ha="center", va="center", fontsize=7.5, style="italic", color="#555555",
            zorder=6, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                            "edgecolor": "none", "alpha": 0.85},
            gid="compass-suppressed-label")


def _spoke_labels(ax: Axes, theta: np.ndarray, themes: Sequence[str], lang: str,
                  labels: Mapping[str, str] | None, scale: int, compact: bool,
                  muted: np.ndarray) -> None:
    """Theme names (or numbers when compact) outside the rim, aligned away from the centre."""
    names = theme_labels(lang, labels)
    offset = 5 if compact else 9  # points beyond the rim
    for angle, code, grey in zip(theta, themes, muted, strict=True):
        x, y = np.sin(angle), np.cos(angle)
        ha = "left" if x > 0.2 else "right" if x < -0.2 else "center"
        va = "bottom" if y > 0.2 else "top" if y < -0.2 else "center"
        text = str(get_theme(code).number) if compact else textwrap.fill(
            names[code], width=15, break_long_words=False)
        ax.annotate(text, xy=(angle, scale), xytext=(offset * x, offset * y),
                    textcoords="offset points", ha=ha, va=va, fontsize=8 if compact else 9.5,
                    color=MUTED if grey else "#222222", annotation_clip=False,
                    linespacing=1.1, fontweight="bold" if compact else "normal",
                    gid=f"spoke-{code}")


def _theme_key(fig: Any, table: pd.DataFrame, lang: str, labels: Mapping[str, str] | None,
               ncols: int) -> None:
    """A key «1 Å bevege seg rundt …» for the numbered spokes of the small multiples."""
    from matplotlib.lines import Line2D

    names = theme_labels(lang, labels)
    themes = c.themes_in(table)
    entries = [f"{get_theme(code).number:>2}  {names[code]}".replace(" ", "\u2007", 1)
               if get_theme(code).number < 10 else f"{get_theme(code).number}  {names[code]}"
               for code in themes]
    blank = [Line2D([], [], linestyle="none") for _ in entries]
    fig.legend(blank, entries, loc="center", bbox_to_anchor=(0.5, 0.47), ncol=ncols,
               frameon=False, fontsize=8.5, handlelength=0, handletextpad=0,
               columnspacing=2.0, title=c.TEXT[lang]["theme_key"],
               title_fontproperties={"weight": "bold", "size": 9})


def _key_columns(ncols: int) -> int:
    return min(4, max(2, ncols))


def _area_key_handle() -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=(*_rgb(AREA_COLOUR), 0.15), edgecolor=AREA_COLOUR, linewidth=2)


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def _stat_note(table: pd.DataFrame, stat: str, lang: str, scale: int,
               by: str = "area_id") -> str:
    """«Median per tema; 1 = mye å forbedre (sentrum), 7 = lite å forbedre (ytterkant)»."""
    t = c.TEXT[lang]
    note = f"{t[stat].capitalize()} {t['per_theme']}"
    if c.is_weighted(table):
        note += f" ({t['weighted']})"
    note = f"{note}; {t['low_high'].format(lo=1, hi=scale)}"
    if "n" in table.columns and {by, "theme"} <= set(table.columns):
        varies = pd.to_numeric(table["n"], errors="coerce").groupby(table[by]).nunique().gt(1)
        if varies.any():  # then n in the legend is not the number of respondents
            note = f"{note}. {t['n_note']}"
    return note
