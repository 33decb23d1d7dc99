"""Charts of survey results: an area × theme heatmap and who answered.

Numbers come from the summary layer (``summarise`` and its counts); suppressed cells stay
blank. matplotlib is imported inside the functions.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.plot import _common as c
from soslokal_lib.themes import theme_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BAR_COLOUR = "#1b6a8a"
VARIABLE_LABELS = {
    "nb": {"area_id": "Område", "age_group": "Aldersgruppe", "gender": "Kjønn"},
    "en": {"area_id": "Area", "age_group": "Age group", "gender": "Gender"},
}


#: Width of a heatmap column (inches) when plot_heatmap makes the figure.
COLUMN_INCHES = 0.6
#: Characters per line of a heatmap's column label (at most two lines, upright).
LABEL_CHARS = 16
#: Caption characters per inch of figure width (8.5 pt text, leaving room for the colour bar).
CAPTION_CHARS_PER_INCH = 12


def plot_heatmap(
    summary: pd.DataFrame,
    *,
    stat: str = "median",
    lang: str = "nb",
    names: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    by: str = "area_id",
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    source: str | None = None,
    scale: int | None = None,
    min_n: int | None = None,
) -> Axes:
    """Area × theme grid of ``stat``, annotated; suppressed cells blank and hatched.

    Rows are the values of ``by`` (display names from ``names``) with the whole-survey row
    ("total") last, set apart; columns are the themes in official order. Scores use a
    diverging colormap centred at the scale midpoint; shares ("share_low", "share_high")
    are shown in per cent. Returns the Axes.
    """
    lang = c.language(lang)
    table = c.check_summary(summary, by, stat, c.TABLE_STATS)
    scale = c.resolve_scale(table, scale)
    themes = c.themes_in(table)
    areas = c.by_values(table, by)
    has_total = (table[by] == c.TOTAL).any()
    rows = areas + ([c.TOTAL] if has_total else [])
    if not rows or not themes:
        raise SoslokalError("The summary table is empty. Fix: pass the table from summarise().")
    data = np.vstack([c.cell_values(table, by, row, stat, themes) for row in rows])
    cells = [table[table[by] == row].set_index("theme").reindex(themes) for row in rows]
    suppressed = np.vstack([c.suppressed_mask(cell) for cell in cells])
    secondary = np.vstack([c.secondary_mask(cell) for cell in cells])
    share = stat.startswith("share")
    if share:
        data = data * 100

    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    if ax is None:
        fig = plt.figure(figsize=(3.4 + COLUMN_INCHES * len(themes), 3.6 + 0.42 * len(rows)),
                         layout="constrained")
        ax = fig.add_subplot()
    cmap = colormaps["Reds" if stat == "share_low" else "Blues" if share else "RdBu"]
    cmap = cmap.with_extremes(bad="white")
    norm = Normalize(0, 100) if share else Normalize(1, scale)  # midpoint (1 + scale) / 2
    masked = np.ma.masked_invalid(data)
    image = ax.imshow(masked, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")

    for i, j in zip(*np.nonzero(~masked.mask), strict=True):
        value = data[i, j]
        r, g, b, _ = cmap(norm(value))
        dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.55
        percent = " %" if lang == "nb" else "%"
        text = f"{c.fmt(value, lang, 0)}{percent}" if share else c.fmt(value, lang)
        ax.text(j, i, text, ha="center", va="center", fontsize=9,
                color="white" if dark else "#1a1a1a",
                fontweight="bold" if rows[i] == c.TOTAL else "normal")
    for i, j in zip(*np.nonzero(masked.mask), strict=True):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False,
                               hatch="\\\\\\" if secondary[i, j] else "///",
                               edgecolor="#a8a8a8", linewidth=0, gid="heatmap-blank"))
        if suppressed[i, j]:
            ax.text(j, i, "–", ha="center", va="center", fontsize=9, color="#8a8a8a")

    names_th = theme_labels(lang, labels)
    # Column labels upright, centred on their column: a long name is wrapped to at most two
    # lines, which fit in a column's width, so no label reaches the next one.
    ax.set_xticks(range(len(themes)),
                  [textwrap.fill(names_th[t], LABEL_CHARS, break_long_words=False,
                                 max_lines=2, placeholder="…") for t in themes])
    ax.tick_params(top=True, bottom=False, labeltop=True, labelbottom=False, length=0)
    for label in ax.get_xticklabels():
        label.set(rotation=90, ha="left", va="center", rotation_mode="anchor", fontsize=9,
                  linespacing=1.0, gid="heatmap-column")
    row_labels = [c.with_n(c.area_label(r, lang, names, table, by), c.max_n(table, by, r))
                  for r in rows]
    ax.set_yticks(range(len(rows)), row_labels, fontsize=9)
    if has_total:
        ax.get_yticklabels()[-1].set_fontweight("bold")
        if areas:
            ax.axhline(len(areas) - 0.5, color="white", linewidth=5)
            ax.axhline(len(areas) - 0.5, color="#444444", linewidth=1)
    ax.set_xticks(np.arange(len(themes) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)

    t = c.TEXT[lang]
    what = t[stat].capitalize()
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.02, aspect=25)
    bar.set_label(f"{what} (%)" if share else what, fontsize=9)
    bar.outline.set_visible(False)
    weighted = f"{what} ({t['weighted']})" if c.is_weighted(table) else None
    scale_note = None if share else t["low_high_short"].format(lo=1, hi=scale)
    notes = [scale_note, c.blank_note(table, lang, min_n), weighted]
    # wrapped to the figure's width: one long line would push the colour bar far to the right
    # (constrained layout makes room for the caption beside the axes)
    width = int(ax.figure.get_figwidth() * CAPTION_CHARS_PER_INCH)
    ax.annotate(textwrap.fill(c.caption(notes, lang, source), max(width, 40)),
                xy=(0, 0), xycoords="axes fraction", xytext=(0, -8), textcoords="offset points",
                ha="left", va="top", fontsize=8.5, color="#555555", gid="heatmap-caption")
    ax.set_title(title if title is not None else f"{t['compass']}: {what} {t['per_area']}",
                 fontsize=13, fontweight="bold", loc="left")
    return ax


def plot_respondents(
    counts: pd.DataFrame | Mapping[str, pd.Series | Mapping[str, int]],
    *,
    lang: str = "nb",
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Figure:
    """Bar charts of how many answered, one panel per background variable.

    ``counts`` is a long table with columns ``variable``, ``category``, ``n`` (optional
    ``suppressed``) as the summary layer gives it, or a mapping variable → counts per
    category. Suppressed or missing counts are shown as «for få svar», not as bars.
    ``names`` maps area ids to display names. Returns the Figure.
    """
    lang = c.language(lang)
    long = _counts_table(counts)
    variables = list(pd.unique(long["variable"]))

    import matplotlib.pyplot as plt

    t = c.TEXT[lang]
    sizes = [int((long["variable"] == v).sum()) for v in variables]
    fig, axes = plt.subplots(
        1, len(variables), figsize=(max(7.0, 3.4 * len(variables)), 1.6 + 0.3 * max(sizes)),
        layout="constrained", squeeze=False, width_ratios=[1.25 if v == "area_id" else 1
                                                           for v in variables])
    for ax, variable in zip(axes[0], variables, strict=True):
        part = long[long["variable"] == variable]
        hidden = part["suppressed"].to_numpy(dtype=bool) | part["n"].isna().to_numpy()
        n = part["n"].to_numpy(dtype=float, na_value=np.nan)
        y = np.arange(len(part))
        shown = np.where(hidden, 0.0, n)
        bars = ax.barh(y, shown, color=BAR_COLOUR, height=0.65)
        top = np.nanmax(shown) if len(shown) else 0.0
        for yi, value, hide, bar in zip(y, n, hidden, bars, strict=True):
            label = t["too_few"] if hide else c.fmt(value, lang)
            ax.annotate(label, xy=(bar.get_width(), yi), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8.5,
                        color="#777777" if hide else "#222222", style="italic" if hide else
                        "normal")
        categories = [c.area_label(str(x), lang, names) if variable == "area_id" else str(x)
                      for x in part["category"]]
        ax.set_yticks(y, categories, fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.25 if top > 0 else 1)
        ax.set_title(VARIABLE_LABELS[lang].get(variable, variable), fontsize=11,
                     fontweight="bold", loc="left")
        ax.set_xlabel(t["respondents_x"], fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#e4e4e4", linewidth=0.8)
        ax.set_axisbelow(True)
    fig.suptitle(title if title is not None else t["respondents"], fontsize=13,
                 fontweight="bold")
    note = c.caption([], lang, source)
    if note:
        fig.supxlabel(note, x=0.01, ha="left", fontsize=8.5, color="#555555")
    return fig


def _counts_table(counts: Any) -> pd.DataFrame:
    """Normalise the counts input to columns ``variable, category, n, suppressed``."""
    if isinstance(counts, Mapping):
        parts = []
        for variable, series in counts.items():
            s = pd.Series(series)
            parts.append(pd.DataFrame({"variable": str(variable),
                                       "category": s.index.astype(str),
                                       "n": pd.to_numeric(s.to_numpy(), errors="coerce")}))
        if not parts:
            raise SoslokalError("No counts to plot. Fix: pass at least one variable.")
        return pd.concat(parts, ignore_index=True).assign(suppressed=False)
    if not isinstance(counts, pd.DataFrame):
        raise SoslokalError(
            "counts must be a DataFrame with columns variable, category, n, or a mapping "
            f"variable → counts. Got {type(counts).__name__}."
        )
    missing = [col for col in ("variable", "category", "n") if col not in counts.columns]
    if missing:
        raise SoslokalError(
            f"The counts table lacks column(s) {', '.join(map(repr, missing))}. "
            "Fix: give one row per variable and category with its count n."
        )
    if counts.empty:
        raise SoslokalError("The counts table is empty. Fix: pass at least one row.")
    suppressed = (counts["suppressed"].astype("boolean").fillna(False) if "suppressed"
                  in counts.columns else False)
    return pd.DataFrame({
        "variable": counts["variable"].astype(str).to_numpy(),
        "category": counts["category"].astype(str).to_numpy(),
        "n": pd.to_numeric(counts["n"], errors="coerce").to_numpy(dtype=float,
                                                                  na_value=np.nan),
        "suppressed": np.asarray(suppressed, dtype=bool) if "suppressed" in counts.columns
        else np.zeros(len(counts), dtype=bool),
    })
