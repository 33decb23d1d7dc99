"""Pictures of change between two survey rounds: overlaid compass, dot plot, map of change.

They draw tables they are given and compute nothing: the comparison table
(``RoundComparison.to_frame()``: ``area_id`` (or the ``by`` column), ``theme``, ``n_before``,
``n_after``, ``share_low_diff`` with ``share_low_diff_ci_low``/``_ci_high``, the same for
``share_high`` and ``mean``, ``changed``, ``suppressed``, ``suppression``, and ``total`` rows)
and, for the compass, each round's summary from :func:`soslokal_lib.stats.summary.summarise`.

* :func:`plot_compass_rounds`: one area's compass, the earlier round dashed with open markers,
  the later solid, each with its confidence band; clear changes ringed and their theme names
  bold.
* :func:`plot_change_dots`: one panel per theme, one row per area: the difference (after −
  before) with its interval; a clear change (``changed``) is a large filled diamond on a thick
  line, coloured by direction, the rest small open circles on thin lines.
* :func:`plot_change_map`: a choropleth of one theme's difference with fixed class limits on a
  diverging palette (red = worse), clear changes outlined thickly
  (:func:`soslokal_lib.plot.maps.plot_choropleth`).

A suppressed cell is a hatched «for få svar» gap, never a value: ``suppression`` ``"secondary"``
is «skjult for å beskytte», ``"one_round"`` «bare i én runde» (the area is in one round
only); anything else reads «for få svar». Texts are bokmål by default, English with
``lang="en"``; numbers use :mod:`soslokal_lib.numformat`. matplotlib is imported inside the
functions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number
from soslokal_lib.plot import _common as c
from soslokal_lib.plot import compass as cp
from soslokal_lib.plot import maps
from soslokal_lib.themes import THEME_CODES, theme_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BEFORE_COLOUR = "#6b6b6b"
BEFORE_BAND = "#c7c7c7"
AFTER_COLOUR = cp.AREA_COLOUR
WORSE = "#b2182b"
BETTER = "#2166ac"
STEADY = "#8a8a8a"
CHANGED_EDGE = "#111111"
HATCHES = {**cp.HATCHES, "one_round": "...."}
DIFF_STATS = ("share_low", "share_high", "mean")
#: Sign of a difference that means «better»: fewer low scores, more high ones, a higher mean.
BETTER_SIGN = {"share_low": -1, "share_high": 1, "mean": 1}
#: Class limits of the map of change: percentage points for shares, points for the mean.
MAP_LIMITS = {"share_low": (-20.0, -10.0, -5.0, 5.0, 10.0, 20.0),
              "share_high": (-20.0, -10.0, -5.0, 5.0, 10.0, 20.0),
              "mean": (-1.0, -0.5, -0.2, 0.2, 0.5, 1.0)}
#: Seven diverging colours, worse (red) → better (blue); the middle class is «about the same».
DIVERGING = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")

TEXT = {
    "nb": {
        "before": "Før", "after": "Etter",
        "change": "endring", "changed": "sikker endring",
        "changed_long": "sikker endring (q < {q} og intervallet utenfor 0)",
        "worse": "sikker endring, verre", "better": "sikker endring, bedre",
        "steady": "ingen sikker endring",
        "one_round": "bare i én runde", "no_comparison": "Ingen sammenligning",
        "too_few_or_hidden": "For få svar eller skjult for å beskytte",
        "diff_share": "Endring i {what} (prosentpoeng)",
        "diff_mean": "Endring i gjennomsnitt (ordinale skårer, poeng)",
        "share_low": "andel lave skårer", "share_high": "andel høye skårer",
        "mean": "gjennomsnitt",
        "dots_title": "Endring fra {a} til {b}: {what}",
        "dots_note": "Punkt = endring (etter − før), strek = {conf}konfidensintervall",
        "map_title": "{theme}: endring fra {a} til {b}",
        "map_note": "Tykk kant = sikker endring (q < {q} og intervallet utenfor 0)",
        "compass_title": "{compass}: {name}, {a} og {b}",
        "in_one_round": "{name} er bare med i én av rundene, så det er ingen endring å vise. "
                        "Fix: velg et område som finnes i begge, eller bruk en kryssnøkkel "
                        "(crosswalk) for områder som har byttet navn eller er slått sammen.",
    },
    "en": {
        "before": "Before", "after": "After",
        "change": "change", "changed": "clear change",
        "changed_long": "clear change (q < {q} and the interval excludes 0)",
        "worse": "clear change, worse", "better": "clear change, better",
        "steady": "no clear change",
        "one_round": "in one round only", "no_comparison": "No comparison",
        "too_few_or_hidden": "Too few responses or hidden to protect",
        "diff_share": "Change in {what} (percentage points)",
        "diff_mean": "Change in mean (ordinal scores, points)",
        "share_low": "share of low scores", "share_high": "share of high scores",
        "mean": "mean",
        "dots_title": "Change from {a} to {b}: {what}",
        "dots_note": "Dot = change (after − before), line = {conf}confidence interval",
        "map_title": "{theme}: change from {a} to {b}",
        "map_note": "Thick outline = clear change (q < {q} and the interval excludes 0)",
        "compass_title": "{compass}: {name}, {a} and {b}",
        "in_one_round": "{name} is in one round only, so there is no change to show. Fix: "
                        "choose an area in both rounds, or use a crosswalk for areas that were "
                        "renamed or merged.",
    },
}


# ------------------------------------------------------------------------------ shared helpers
def _round_labels(rounds: Sequence[str] | None, lang: str,
                  table: pd.DataFrame | None = None) -> tuple[str, str]:
    """(before, after) labels: ``rounds``, else ``attrs["rounds"]``, else «Før»/«Etter»."""
    if rounds is None and table is not None:
        rounds = table.attrs.get("rounds")
    if rounds is None:
        return TEXT[lang]["before"], TEXT[lang]["after"]
    rounds = [str(r) for r in rounds]
    if len(rounds) != 2:
        raise SoslokalError(f"rounds must name two rounds (before, after), got {rounds!r}.")
    return rounds[0], rounds[1]


def _check_comparison(comparison: pd.DataFrame, by: str, stat: str) -> pd.DataFrame:
    """Validate a comparison table; return it with string ``by`` and theme values."""
    if not isinstance(comparison, pd.DataFrame):
        raise SoslokalError("The comparison must be the DataFrame of "
                            "compare_rounds(...).to_frame(). "
                            f"Got {type(comparison).__name__}.")
    if stat not in DIFF_STATS:
        raise SoslokalError(f"Unknown statistic {stat!r}. Fix: use one of "
                            f"{', '.join(map(repr, DIFF_STATS))}.")
    needed = [by, "theme", f"{stat}_diff", f"{stat}_diff_ci_low", f"{stat}_diff_ci_high",
              "changed", "suppressed"]
    missing = [col for col in needed if col not in comparison.columns]
    if missing:
        raise SoslokalError(f"The comparison table lacks column(s) "
                            f"{', '.join(map(repr, missing))}. Fix: pass "
                            f"compare_rounds(before, after, by={by!r}).to_frame().")
    table = comparison.assign(**{by: comparison[by].astype(str),
                                 "theme": comparison["theme"].astype(str)})
    unknown = sorted(set(table["theme"]) - set(THEME_CODES))
    if unknown:
        raise SoslokalError(f"The comparison table has unknown theme code(s) "
                            f"{', '.join(map(repr, unknown[:5]))}.")
    if table.duplicated([by, "theme"]).any():
        raise SoslokalError(f"The comparison table has more than one row per {by!r} and "
                            "theme. Fix: filter it to one row per area and theme.")
    return table


def _flag(values: pd.Series) -> np.ndarray:
    return values.astype("boolean").fillna(False).to_numpy(dtype=bool)


def _gap_kinds(rows: pd.DataFrame) -> np.ndarray:
    """Per row: "" (shown), "too_few", "hidden" (secondary) or "one_round"."""
    hidden = _flag(rows["suppressed"]) if "suppressed" in rows.columns else np.zeros(
        len(rows), bool)
    code = (rows["suppression"].astype("string").fillna("").str.casefold().to_numpy(dtype=str)
            if "suppression" in rows.columns else np.full(len(rows), "", dtype=object))
    out = np.where(code == "secondary", "hidden",
                   np.where(code == "one_round", "one_round", "too_few"))
    return np.where(hidden, out, "")


def _gap_label(kind: str, lang: str, table: pd.DataFrame, min_n: int | None,
               short: bool = False) -> str:
    t = c.TEXT[lang]
    if kind == "hidden":
        return t["hidden_short"] if short else t["hidden_long"]
    if kind == "one_round":
        return TEXT[lang]["one_round"]
    return t["too_few"] if short else c.too_few_label(table, lang, min_n)


def _q_text(table: pd.DataFrame, lang: str) -> str:
    return format_number(float(table.attrs.get("fdr", 0.05)), lang, 2)


def _conf_text(table: pd.DataFrame) -> str:
    conf = table.attrs.get("confidence")
    return f"{round(100 * conf)} % " if conf else ""


# ------------------------------------------------------------------------ overlaid compass
def plot_compass_rounds(
    before: pd.DataFrame,
    after: pd.DataFrame,
    area: str,
    *,
    comparison: pd.DataFrame | None = None,
    rounds: Sequence[str] | None = None,
    stat: str = "median",
    by: str = "area_id",
    ci: bool = True,
    lang: str = "nb",
    ax: Axes | None = None,
    labels: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    source: str | None = None,
    scale: int | None = None,
    min_n: int | None = None,
) -> Axes:
    """The compass of ``area`` in two rounds: ``before`` dashed (open markers), ``after``
    solid, each with its confidence band when ``ci`` and the summary has the limits.

    ``before`` and ``after`` are :func:`summarise` tables on the same areas (bring the earlier
    round onto the later boundaries first). A spoke is a hatched gap in both rounds when
    either round, or ``comparison``, hides the cell. With ``comparison`` (the table of
    ``compare_rounds(...).to_frame()``) the themes flagged ``changed`` are ringed and their
    names bold. ``rounds`` names the two rounds (default ``comparison.attrs["rounds"]``, else
    «Før»/«Etter»). Other arguments as in :func:`soslokal_lib.plot.compass.plot_compass`.
    Returns the polar Axes.
    """
    lang = c.language(lang)
    t, tr = c.TEXT[lang], TEXT[lang]
    a_tab = c.check_summary(after, by, stat, c.COMPASS_STATS)
    b_tab = c.check_summary(before, by, stat, c.COMPASS_STATS)
    area = c.check_area(a_tab, by, area)
    name = c.area_label(area, lang, names, a_tab, by)
    if area not in set(b_tab[by]):
        raise SoslokalError(tr["in_one_round"].format(name=name))
    comp = None if comparison is None else _check_comparison(comparison, by, "share_low")
    label_b, label_a = _round_labels(rounds, lang, comp)
    scale = c.resolve_scale(a_tab, scale)
    themes = c.themes_in(a_tab)
    k = len(themes)
    theta = 2 * np.pi * np.arange(k) / k

    def rows_of(table: pd.DataFrame) -> pd.DataFrame:
        return table[table[by] == area].set_index("theme").reindex(themes)

    kinds = np.full(k, "", dtype=object)
    for table in (b_tab, a_tab, comp):   # later tables win: the comparison's reason last
        if table is not None:
            found = _gap_kinds(rows_of(table))
            kinds = np.where(found != "", found, kinds)
    gap = kinds != ""
    changed = (np.zeros(k, dtype=bool) if comp is None
               else _flag(rows_of(comp)["changed"]) & ~gap)

    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if ax is None:
        fig = plt.figure(figsize=(8.4, 9.2), layout="constrained")
        fig.get_layout_engine().set(w_pad=0.2, h_pad=0.15)
        ax = fig.add_subplot(projection="polar")
    elif ax.name != "polar":
        raise SoslokalError("plot_compass_rounds needs a polar Axes. Fix: create it with "
                            "fig.add_subplot(projection='polar') or leave ax=None.")
    cp._frame(ax, theta, scale, compact=False)
    handles: list[Any] = []
    texts: list[str] = []
    styles = ((b_tab, label_b, BEFORE_COLOUR, BEFORE_BAND, "--", "white", "rounds-before"),
              (a_tab, label_a, AFTER_COLOUR, cp.BAND_COLOUR, "-", AFTER_COLOUR, "rounds-after"))
    band_texts = []
    for table, label, colour, band, style, face, gid in styles:
        values = np.where(gap, np.nan, c.cell_values(table, by, area, stat, themes))
        if ci and {f"{stat}_ci_low", f"{stat}_ci_high"} <= set(table.columns):
            low = np.where(gap, np.nan, c.cell_values(table, by, area, f"{stat}_ci_low", themes))
            high = np.where(gap, np.nan, c.cell_values(table, by, area, f"{stat}_ci_high",
                                                       themes))
            if cp._band(ax, theta, low, high, colour=band, gid=f"{gid}-ci"):
                band_texts.append((Patch(facecolor=band, alpha=0.35, edgecolor="none"),
                                   f"{_conf_text(table)}{t['ci']} {label}".strip()))
        ax.plot(*cp._closed(theta, values), color=colour, linestyle=style,
                linewidth=2.2 if style == "-" else 1.8, marker="o", markersize=5,
                markerfacecolor=face, markeredgecolor=colour, zorder=5, gid=gid)
        handles.append(Line2D([], [], color=colour, linestyle=style, linewidth=2,
                              marker="o", markerfacecolor=face, markeredgecolor=colour))
        texts.append(c.with_n(f"{label}", c.max_n(table, by, area)))
    handles, texts = handles[::-1], texts[::-1]        # the later round first
    for handle, text in band_texts[::-1]:
        handles.append(handle)
        texts.append(text)
    if changed.any():
        after_values = c.cell_values(a_tab, by, area, stat, themes)
        ax.plot(theta[changed], after_values[changed], linestyle="none", marker="D",
                markersize=11, markerfacecolor="none", markeredgecolor=CHANGED_EDGE,
                markeredgewidth=1.8, zorder=6, gid="rounds-changed")
        handles.append(Line2D([], [], linestyle="none", marker="D", markersize=9,
                              markerfacecolor="none", markeredgecolor=CHANGED_EDGE,
                              markeredgewidth=1.8))
        texts.append(tr["changed_long"].format(q=_q_text(comp, lang)))
    for i in np.flatnonzero(gap):
        cp._gap_marker(ax, theta[i], k, scale, _gap_label(kinds[i], lang, a_tab, min_n, True),
                       False, hatch=HATCHES[kinds[i]])
    for kind in ("too_few", "hidden", "one_round"):
        if (kinds == kind).any():
            handles.append(cp._hatch_handle(HATCHES[kind]))
            texts.append(_gap_label(kind, lang, a_tab, min_n))
    cp._spoke_labels(ax, theta, themes, lang, labels, scale, False, muted=gap)
    bold = {f"spoke-{code}" for code, flag in zip(themes, changed, strict=True) if flag}
    for text in ax.texts:
        if text.get_gid() in bold:
            text.set_fontweight("bold")
    ax.set_title(title if title is not None else tr["compass_title"].format(
        compass=t["compass"], name=name, a=label_b, b=label_a),
        pad=42, fontsize=14, fontweight="bold")
    legend = ax.legend(handles, texts, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                       ncol=2, frameon=False, fontsize=10)
    note = cp._stat_note(a_tab, stat, lang, scale, by)
    ax.annotate(c.caption([note], lang, source), xy=(0.5, 0), xycoords=legend,
                xytext=(0, -4), textcoords="offset points", ha="center", va="top",
                fontsize=8.5, color="#555555", wrap=True, gid="rounds-caption")
    return ax


# ------------------------------------------------------------------------------ dot plot
def _diff_formatter(stat: str, lang: str):
    if stat == "mean":
        return lambda v: format_number(v, lang, 1, whole=True)
    return lambda v: format_number(100 * v, lang, 0)


def _axis_label(stat: str, lang: str) -> str:
    tr = TEXT[lang]
    return tr["diff_mean"] if stat == "mean" else tr["diff_share"].format(what=tr[stat])


def _direction_colour(diff: float, stat: str) -> str:
    return BETTER if np.sign(diff) == BETTER_SIGN[stat] else WORSE


def plot_change_dots(
    comparison: pd.DataFrame,
    *,
    stat: str = "share_low",
    themes: Sequence[str] | str | None = None,
    areas: Sequence[str] | None = None,
    by: str = "area_id",
    rounds: Sequence[str] | None = None,
    lang: str = "nb",
    ncols: int | None = None,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    source: str | None = None,
    min_n: int | None = None,
) -> Figure:
    """Dot plot of ``{stat}_diff`` (after − before) per area × theme with its interval.

    One panel per theme (``themes``: default every theme in the table, in official order),
    one row per area (``areas``: default the table's order, the whole-kommune row on top).
    Cells flagged ``changed`` are large filled diamonds on thick lines, blue when better and
    red when worse (for ``share_low`` fewer low scores is better); the rest small open grey
    circles on thin lines. Suppressed cells are a hatched band with «for få svar». Shares are
    in percentage points. Returns the Figure.
    """
    lang = c.language(lang)
    tr = TEXT[lang]
    table = _check_comparison(comparison, by, stat)
    if isinstance(themes, str):
        themes = [themes]
    present = c.themes_in(table)
    themes = present if themes is None else list(themes)
    bad = [code for code in themes if code not in present]
    if bad or not themes:
        raise SoslokalError(f"No rows for theme(s) {', '.join(map(repr, bad)) or '-'} in the "
                            f"comparison. Fix: use one of {', '.join(present)}.")
    order = ([c.TOTAL] if c.TOTAL in set(table[by]) else []) + c.by_values(table, by)
    areas = order if areas is None else [c.check_area(table, by, a) for a in areas]
    label_b, label_a = _round_labels(rounds, lang, table)
    ncols = min(len(themes), 4 if ncols is None else max(1, int(ncols)))
    nrows = math.ceil(len(themes) / ncols)

    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    height = 0.5 + 0.24 * len(areas)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols + 1.4, height * nrows + 1.8),
                             sharex=True, sharey=True, squeeze=False, layout="constrained")
    fmt = _diff_formatter(stat, lang)
    y = np.arange(len(areas))[::-1].astype(float)
    names_shown = [c.area_label(a, lang, names, table, by) for a in areas]
    theme_names = theme_labels(lang, labels)
    kinds_seen: set[str] = set()
    for ax, theme in zip(axes.ravel(), themes, strict=False):
        rows = table[table["theme"] == theme].set_index(by).reindex(areas)
        kinds = _gap_kinds(rows)
        diff = pd.to_numeric(rows[f"{stat}_diff"], errors="coerce").to_numpy(float)
        low = pd.to_numeric(rows[f"{stat}_diff_ci_low"], errors="coerce").to_numpy(float)
        high = pd.to_numeric(rows[f"{stat}_diff_ci_high"], errors="coerce").to_numpy(float)
        changed = _flag(rows["changed"])
        ax.axvline(0, color="#9a9a9a", linewidth=0.9, zorder=1, gid="dots-zero")
        for i in range(len(areas)):
            if kinds[i] or not np.isfinite(diff[i]):
                kind = kinds[i] or "one_round"
                kinds_seen.add(kind)
                ax.axhspan(y[i] - 0.38, y[i] + 0.38, facecolor=cp.HATCH_FACE,
                           edgecolor="#b5b5b5", hatch=HATCHES[kind], linewidth=0, zorder=0,
                           gid="dots-suppressed")
                ax.text(0.5, y[i], _gap_label(kind, lang, table, min_n, True),
                        transform=ax.get_yaxis_transform(), ha="center", va="center",
                        fontsize=7, style="italic", color="#555555",
                        gid="dots-suppressed-label",
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.85})
                continue
            flag = bool(changed[i])
            colour = _direction_colour(diff[i], stat) if flag else STEADY
            if np.isfinite(low[i]) and np.isfinite(high[i]):
                ax.plot([low[i], high[i]], [y[i], y[i]], color=colour,
                        linewidth=2.6 if flag else 1.1, solid_capstyle="butt", zorder=2,
                        gid="dots-ci-changed" if flag else "dots-ci")
            ax.plot([diff[i]], [y[i]], linestyle="none", zorder=3,
                    marker="D" if flag else "o", markersize=7.5 if flag else 4.5,
                    markerfacecolor=colour if flag else "white", markeredgecolor=(
                        CHANGED_EDGE if flag else STEADY), markeredgewidth=1.3 if flag else 1,
                    gid="dots-changed" if flag else "dots-point")
        ax.set_title(theme_names[theme], fontsize=9.5, fontweight="bold", loc="left")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    for ax in axes.ravel()[len(themes):]:
        ax.set_visible(False)
    for ax in axes.ravel()[max(0, len(themes) - ncols):len(themes)]:   # lowest in each column
        ax.xaxis.set_tick_params(labelbottom=True)
        ax.set_xlabel(_axis_label(stat, lang), fontsize=8.5)
    first = axes[0, 0]
    first.set_yticks(y)
    first.set_yticklabels(names_shown, fontsize=8.5)
    first.set_ylim(-0.6, len(areas) - 0.4)
    for tick, area in zip(first.get_yticklabels(), areas, strict=True):
        if area == c.TOTAL:
            tick.set_fontweight("bold")
    what = tr["mean"] if stat == "mean" else tr[stat]
    fig.suptitle(title if title is not None else tr["dots_title"].format(
        a=label_b, b=label_a, what=what), fontsize=13, fontweight="bold")
    key = [(Line2D([], [], color=WORSE, linewidth=2.6, marker="D", markersize=7,
                   markerfacecolor=WORSE, markeredgecolor=CHANGED_EDGE), tr["worse"]),
           (Line2D([], [], color=BETTER, linewidth=2.6, marker="D", markersize=7,
                   markerfacecolor=BETTER, markeredgecolor=CHANGED_EDGE), tr["better"]),
           (Line2D([], [], color=STEADY, linewidth=1.1, marker="o", markersize=4.5,
                   markerfacecolor="white", markeredgecolor=STEADY), tr["steady"])]
    key += [(cp._hatch_handle(HATCHES[kind]), _gap_label(kind, lang, table, min_n))
            for kind in ("too_few", "hidden", "one_round") if kind in kinds_seen]
    note = tr["dots_note"].format(conf=_conf_text(table)) + ". " + tr["changed_long"].format(
        q=_q_text(table, lang)).capitalize()
    # the caption is the legend's title, so the layout keeps room for both
    legend = fig.legend([h for h, _ in key], [text for _, text in key], loc="outside lower center",
                        ncol=min(len(key), 3), frameon=False, fontsize=8.5,
                        title=c.caption([note], lang, source),
                        title_fontproperties={"size": 8})
    legend.get_title().set_color("#555555")
    legend.set_gid("dots-legend")
    return fig


# ------------------------------------------------------------------------------ map of change
def _map_bins(values: np.ndarray, stat: str) -> tuple[list[float], list[str]]:
    """Upper class limits trimmed to the data and the diverging colour of each class."""
    edges = np.asarray(MAP_LIMITS[stat])
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return [], []
    lo, hi = float(finite.min()), float(finite.max())
    bins = [float(e) for e in edges if lo <= e < hi] + [hi]
    palette = DIVERGING[::-1] if BETTER_SIGN[stat] < 0 else DIVERGING
    colours = [palette[int(np.searchsorted(edges, b, side="left"))] for b in bins]
    return bins, colours


def plot_change_map(
    areas: Any,
    comparison: pd.DataFrame,
    theme: str,
    *,
    stat: str = "share_low",
    by: str = "area_id",
    rounds: Sequence[str] | None = None,
    lang: str = "nb",
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
    labels: bool | str = True,
    label_column: str | None = "area_name",
    min_n: int | None = None,
) -> Axes:
    """Map of the change in ``stat`` for one ``theme``: the comparison's rows joined onto
    ``areas`` (a GeoDataFrame indexed by the ``by`` values) and drawn with
    :func:`~soslokal_lib.plot.maps.plot_choropleth` on fixed class limits (±5, ±10, ±20
    percentage points for shares; ±0.2, ±0.5, ±1 for the mean) in a diverging palette, red
    where it got worse. Areas flagged ``changed`` get a thick dark outline; suppressed cells
    are hatched «for få svar», areas without a comparison «Ingen sammenligning».
    Returns the Axes.
    """
    lang = c.language(lang)
    tr = TEXT[lang]
    table = _check_comparison(comparison, by, stat)
    if theme not in set(table["theme"]):
        raise SoslokalError(f"No rows for theme {theme!r} in the comparison. Fix: use one of "
                            f"{', '.join(c.themes_in(table))}.")
    if not hasattr(areas, "geometry"):
        raise SoslokalError(f"A map needs the areas as a GeoDataFrame, got "
                            f"{type(areas).__name__}.")
    rows = table[(table["theme"] == theme) & (table[by] != c.TOTAL)].set_index(by)
    rows = rows.reindex(areas.index.astype(str))
    kinds = _gap_kinds(rows)
    scale = 1.0 if stat == "mean" else 100.0
    diff = pd.to_numeric(rows[f"{stat}_diff"], errors="coerce").to_numpy(float) * scale
    diff = np.where(kinds != "", np.nan, diff)   # one round only: «Ingen sammenligning»
    hidden = (kinds == "too_few") | (kinds == "hidden")
    changed = _flag(rows["changed"]) & np.isfinite(diff)
    gdf = areas.assign(_change=diff)
    bins, colours = _map_bins(diff, stat)
    label_b, label_a = _round_labels(rounds, lang, table)
    hidden_label = (c.too_few_label(table, lang, min_n).capitalize()
                    if not (kinds == "hidden").any() else tr["too_few_or_hidden"])

    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    decimals = 1 if stat == "mean" else 0
    ax = maps.plot_choropleth(
        gdf, "_change", lang=lang, ax=ax, bins=bins or None,
        cmap=ListedColormap(colours) if colours else None,
        fmt=lambda v: format_number(v, lang, decimals, whole=True),
        title=title if title is not None else tr["map_title"].format(
            theme=theme_labels(lang)[theme], a=label_b, b=label_a),
        legend_title=_axis_label(stat, lang), source=source, labels=labels,
        label_column=label_column, suppressed=hidden, suppressed_label=hidden_label,
        missing_label=tr["no_comparison"],
        note=tr["map_note"].format(q=_q_text(table, lang)) if changed.any() else None)
    if changed.any():
        maps._draw(ax, gdf.geometry[changed].to_numpy(), gid="map-changed", facecolor="none",
                   edgecolor=CHANGED_EDGE, linewidth=2.4, zorder=3)
        old = ax.get_legend()
        handles = list(old.legend_handles) + [Patch(facecolor="none", edgecolor=CHANGED_EDGE,
                                                    linewidth=2.4)]
        texts = [text.get_text() for text in old.get_texts()] + [tr["changed"].capitalize()]
        legend = ax.legend(handles, texts, title=old.get_title().get_text(), loc="upper left",
                           bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8.5,
                           title_fontsize=9.5, alignment="left", handlelength=1.6,
                           handleheight=1.1, borderaxespad=0.2)
        legend.set_gid("map-legend")
    return ax
