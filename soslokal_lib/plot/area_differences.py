"""Figures of :class:`soslokal_lib.stats.area_differences.AreaDifferences`: each area against
the rest (area × theme grid, clear differences framed, hidden cells hatched) and, per theme,
the share of the variation that lies between areas (ICC) with the Kruskal–Wallis verdict.

Every number drawn comes from the result passed in; nothing is estimated here.
matplotlib is imported inside the functions.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number
from soslokal_lib.plot import _common as c
from soslokal_lib.themes import theme_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from soslokal_lib.stats.area_differences import AreaDifferences

CLEAR = "#1b6a8a"
UNCLEAR = "#b9cfd9"
FRAME = "#f0a500"  # amber: visible on deep red and deep blue alike
CORRECTION = {"fdr_bh": "Benjamini–Hochberg", "holm": "Holm"}
TEXT = {
    "nb": {
        "grid_title": "Hvert nabolag mot de andre nabolagene",
        "delta": "Forskjell mot de andre (δ): P(høyere skår) − P(lavere skår)",
        "share_low_diff": "Andel lave skårer ({low}) minus de andres (prosentpoeng)",
        "delta_note": "Blått: høyere (bedre) skår enn de andre nabolagene, rødt: lavere",
        "share_note": "Rødt: flere lave skårer enn de andre nabolagene, blått: færre",
        "frame": "Ramme: tydelig forskjell ({q} < {a}, {corr})",
        "hidden": "Skravert: for få svar (n < {min_n}) eller skjult for å beskytte et lite "
                  "nabolag – holdt utenfor sammenligningene",
        "icc_title": "Hvor mye skiller nabolagene seg fra hverandre?",
        "icc_x": "Andel av variasjonen som ligger mellom nabolagene (ICC, %)",
        "clear": "Tydelig forskjell mellom nabolagene (Kruskal–Wallis, {q} < {a})",
        "unclear": "Ingen tydelig forskjell",
        "icc_note": "Resten av variasjonen ligger mellom personer i samme nabolag. "
                    "{q}-verdier justert for {m} tester ({corr})",
        "zero": "≈ 0",
        "not_tested": "ikke testet",
    },
    "en": {
        "grid_title": "Each area against the other areas",
        "delta": "Difference from the others (δ): P(higher score) − P(lower score)",
        "share_low_diff": "Share of low scores ({low}) minus the others' (percentage points)",
        "delta_note": "Blue: higher (better) scores than the other areas, red: lower",
        "share_note": "Red: more low scores than the other areas, blue: fewer",
        "frame": "Frame: clear difference ({q} < {a}, {corr})",
        "hidden": "Hatched: too few responses (n < {min_n}) or hidden to protect a small area "
                  "– left out of the comparisons",
        "icc_title": "How much do the areas differ?",
        "icc_x": "Share of the variation lying between areas (ICC, %)",
        "clear": "Clear difference between areas (Kruskal–Wallis, {q} < {a})",
        "unclear": "No clear difference",
        "icc_note": "The rest of the variation lies between people in the same area. "
                    "{q}-values adjusted for {m} tests ({corr})",
        "zero": "≈ 0",
        "not_tested": "not tested",
    },
}
VALUES = ("delta", "share_low_diff")


def plot_area_differences(
    result: AreaDifferences,
    *,
    value: str = "delta",
    lang: str = "nb",
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Area × theme grid of each area against the other shown areas.

    ``value="delta"`` colours by Cliff's delta (blue: higher scores than the rest);
    ``"share_low_diff"`` by the difference in the share of low scores (red: more low
    scores). Clear differences (``q_value < alpha``) are framed and bold; hidden cells are
    hatched («–»). Returns the Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    lang = c.language(lang)
    if value not in VALUES:
        raise SoslokalError(f"value must be one of {VALUES}, not {value!r}.")
    t = TEXT[lang]
    areas = result.areas
    by = result.by
    rows = list(pd.unique(areas[by]))
    themes = list(result.themes.index)
    if not rows or not themes:
        raise SoslokalError("The result has no areas or themes to draw.")
    grid = areas.set_index([by, "theme"])
    index = pd.MultiIndex.from_product([rows, themes])
    data = grid[value].reindex(index).to_numpy(dtype=float).reshape(len(rows), len(themes))
    hidden = grid["suppressed"].reindex(index).fillna(True).to_numpy(dtype=bool)
    hidden = hidden.reshape(data.shape)
    secondary = (grid["suppression"].reindex(index).astype("string") == "secondary")
    secondary = secondary.fillna(False).to_numpy(dtype=bool).reshape(data.shape)
    clear = grid["direction"].reindex(index).notna().to_numpy(dtype=bool).reshape(data.shape)
    if value == "share_low_diff":
        data = data * 100
        cmap, norm, decimals = colormaps["RdBu_r"], Normalize(-30, 30), 0
    else:
        cmap, norm, decimals = colormaps["RdBu"], Normalize(-0.5, 0.5), 2
    if ax is None:
        fig = plt.figure(figsize=(2.8 + 0.72 * len(themes), 3.2 + 0.42 * len(rows)),
                         layout="constrained")
        ax = fig.add_subplot()
    masked = np.ma.masked_invalid(data)
    image = ax.imshow(masked, cmap=cmap.with_extremes(bad="white"), norm=norm, aspect="auto",
                      interpolation="nearest")
    for i, j in zip(*np.nonzero(~masked.mask), strict=True):
        r, g, b, _ = cmap(norm(data[i, j]))
        dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.55
        ax.text(j, i, format_number(data[i, j], lang, decimals), ha="center",
                va="center", fontsize=8.5, color="white" if dark else "#1a1a1a",
                fontweight="bold" if clear[i, j] else "normal")
        if clear[i, j]:
            ax.add_patch(Rectangle((j - 0.46, i - 0.46), 0.92, 0.92, fill=False,
                                   edgecolor=FRAME, linewidth=2.6, gid="area-clear"))
    for i, j in zip(*np.nonzero(hidden), strict=True):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False,
                               hatch="\\\\\\" if secondary[i, j] else "///",
                               edgecolor="#a8a8a8", linewidth=0, gid="area-hidden"))
        ax.text(j, i, "–", ha="center", va="center", fontsize=9, color="#8a8a8a")
    names_th = theme_labels(lang, labels)
    ax.set_xticks(range(len(themes)),
                  [textwrap.fill(names_th.get(x, x), 18, break_long_words=False) for x in themes])
    ax.tick_params(top=True, bottom=False, labeltop=True, labelbottom=False, length=0)
    for label in ax.get_xticklabels():
        label.set(rotation=40, ha="left", rotation_mode="anchor", fontsize=9)
    area_names = {**result.names, **(names or {})}
    n_max = areas.groupby(by, sort=False)["n"].max()
    ax.set_yticks(range(len(rows)), [c.with_n(c.area_label(str(r), lang, area_names),
                                              int(n_max[r])) for r in rows], fontsize=9)
    ax.set_xticks(np.arange(len(themes) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    low_cut = result.scale // 2
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.02, aspect=25)
    bar.set_label(textwrap.fill(t[value].format(low=f"1–{low_cut}" if low_cut > 1 else "1"),
                                40), fontsize=8.5)
    bar.outline.set_visible(False)
    q = "q" if result.correction == "fdr_bh" else "p"
    notes = [t["delta_note" if value == "delta" else "share_note"],
             t["frame"].format(q=q, a=format_number(result.alpha, lang, 2),
                               corr=CORRECTION[result.correction])]
    if hidden.any():
        notes.append(t["hidden"].format(min_n=result.min_n))
    ax.annotate(textwrap.fill(c.caption(notes, lang, source), 150), xy=(0, 0),
                xycoords="axes fraction", xytext=(0, -8), textcoords="offset points",
                ha="left", va="top", fontsize=8.5, color="#555555", gid="area-caption")
    ax.set_title(title if title is not None else t["grid_title"], fontsize=13,
                 fontweight="bold", loc="left")
    return ax


def plot_theme_differences(
    result: AreaDifferences,
    *,
    lang: str = "nb",
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Bars of the ICC per theme (largest first), dark where the Kruskal–Wallis test finds a
    clear difference between areas, with its adjusted p-value at the bar. Returns the Axes."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    lang = c.language(lang)
    t = TEXT[lang]
    table = result.themes
    if table["icc"].isna().all() and table["p_value"].isna().all():
        raise SoslokalError("Nothing to draw: no theme had two or more areas to compare.")
    # smallest first (drawn at the bottom); rounded so the order is the same on every machine
    order = table.assign(_icc=table["icc"].round(4).fillna(-1),
                         _h=table["statistic"].round(6).fillna(-1),
                         _pos=-np.arange(len(table))).sort_values(
        ["_icc", "_h", "_pos"], kind="stable")
    icc = order["icc"].to_numpy(dtype=float) * 100
    clear = order["differ"].fillna(False).to_numpy(dtype=bool)
    names_th = theme_labels(lang, labels)
    if ax is None:
        fig = plt.figure(figsize=(9.0, 1.2 + 0.36 * len(order)), layout="constrained")
        ax = fig.add_subplot()
    y = np.arange(len(order))
    ax.barh(y, np.nan_to_num(icc), color=np.where(clear, CLEAR, UNCLEAR), height=0.7,
            zorder=2)
    q = "q" if result.correction == "fdr_bh" else "p"
    top = np.nanmax(icc) if np.isfinite(icc).any() else 1.0
    for yi, (_, row) in zip(y, order.iterrows(), strict=True):
        value = row["icc"] * 100
        shown = (t["zero"] if bool(row["icc_boundary"]) is True or value < 0.05
                 else format_number(value, lang, 1) + (" %" if lang == "nb" else "%"))
        shown = "" if not np.isfinite(value) else shown
        qv = row["q_value"]
        verdict = (t["not_tested"] if not np.isfinite(qv) else
                   f"{q} < {format_number(0.001, lang, 3)}" if qv < 0.001 else
                   f"{q} = {format_number(qv, lang, 3)}")
        ax.text((value if np.isfinite(value) else 0) + top * 0.015, yi,
                f"{shown}   ({verdict})".strip(), va="center", fontsize=8.5, color="#333333")
    ax.set_yticks(y, [names_th.get(code, code) for code in order.index], fontsize=9)
    ax.set_xlim(0, top * 1.35 + 0.5)
    ax.set_xlabel(t["icc_x"], fontsize=9)
    ax.grid(axis="x", color="#eeeeee", zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if lang == "nb":
        ax.xaxis.set_major_formatter(lambda v, _: format_number(v, lang, 1))
    a = format_number(result.alpha, lang, 2)
    ax.legend(handles=[Patch(color=CLEAR, label=t["clear"].format(q=q, a=a)),
                       Patch(color=UNCLEAR, label=t["unclear"])],
              loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, fontsize=8.5,
              frameon=False, borderaxespad=0.3)
    m = int(table["p_value"].notna().sum())
    note = t["icc_note"].format(q=q, m=m, corr=CORRECTION[result.correction])
    ax.annotate(textwrap.fill(c.caption([note], lang, source), 110), xy=(0, 0),
                xycoords="axes fraction", xytext=(0, -30), textcoords="offset points",
                ha="left", va="top", fontsize=8.5, color="#555555", gid="icc-caption")
    ax.set_title(title if title is not None else t["icc_title"], fontsize=13,
                 fontweight="bold", loc="left", pad=22)
    return ax


# --- readable tables ----------------------------------------------------------------------------

HEADERS = {
    "nb": {"theme": "Tema", "n": "Svar", "areas": "Nabolag sammenlignet", "h": "Kruskal–Wallis H",
           "q": "{q}-verdi", "differ": "Tydelig forskjell", "icc": "ICC (andel mellom)",
           "between": "Varians mellom", "within": "Varians innenfor", "area": "Nabolag",
           "low": "Andel {low}", "low_rest": "Andel {low} hos de andre",
           "diff": "Forskjell i prosentpoeng (KI)", "delta": "δ", "verdict": "Tydelig?",
           "yes": "ja", "no": "nei", "lower": "lavere", "higher": "høyere",
           "not_tested": "ikke testet", "primary": "for få svar",
           "secondary": "skjult for å beskytte et lite nabolag"},
    "en": {"theme": "Theme", "n": "Responses", "areas": "Areas compared", "h": "Kruskal–Wallis H",
           "q": "{q}-value", "differ": "Clear difference", "icc": "ICC (share between)",
           "between": "Variance between", "within": "Variance within", "area": "Area",
           "low": "Share {low}", "low_rest": "Share {low} in the others",
           "diff": "Difference in percentage points (CI)", "delta": "δ", "verdict": "Clear?",
           "yes": "yes", "no": "no", "lower": "lower", "higher": "higher",
           "not_tested": "not tested", "primary": "too few responses",
           "secondary": "hidden to protect a small area"},
}


def _q_text(q: float, lang: str) -> str:
    if not np.isfinite(q):
        return ""
    return f"< {format_number(0.001, lang, 3)}" if q < 0.001 else format_number(q, lang, 3)


def theme_table(result: AreaDifferences, *, lang: str = "nb",
                labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The theme table of ``result`` for reading: labels, rounded numbers, no codes or NaN."""
    lang = c.language(lang)
    h = HEADERS[lang]
    table = result.themes
    q = "q" if result.correction == "fdr_bh" else "p"
    pct = " %" if lang == "nb" else "%"
    tested = table["p_value"].notna()
    names_th = theme_labels(lang, labels)

    def num(col: str, decimals: int, scale: float = 1.0, unit: str = "") -> pd.Series:
        return table[col].map(lambda v: (format_number(v * scale, lang, decimals) + unit)
                              if np.isfinite(v) else "")

    out = pd.DataFrame({
        h["theme"]: [names_th.get(code, code) for code in table.index],
        h["n"]: table["n"].astype(int).to_numpy(),
        h["areas"]: table["n_areas"].astype(int).to_numpy(),
        h["h"]: num("statistic", 1).to_numpy(),
        h["q"].format(q=q): table["q_value"].map(lambda v: _q_text(v, lang)).to_numpy(),
        h["differ"]: np.where(tested, np.where(table["differ"].fillna(False), h["yes"], h["no"]),
                              h["not_tested"]),
        h["icc"]: num("icc", 1, 100, pct).to_numpy(),
        h["between"]: num("between_var", 3).to_numpy(),
        h["within"]: num("within_var", 2).to_numpy(),
    })
    return out


def area_table(result: AreaDifferences, *, lang: str = "nb", theme: str | None = None,
               clear_only: bool = False, names: Mapping[str, str] | None = None,
               labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Area × theme rows of ``result`` for reading (one ``theme``, or only the clear
    differences); hidden cells say why, in words."""
    lang = c.language(lang)
    h = HEADERS[lang]
    rows = result.areas
    if theme is not None:
        if theme not in set(rows["theme"]):
            raise SoslokalError(f"No theme {theme!r} in the result. Fix: use one of "
                                f"{list(result.themes.index)}.")
        rows = rows[rows["theme"] == theme]
    if clear_only:
        rows = result.flagged()
    area_names = {**result.names, **(names or {})}
    names_th = theme_labels(lang, labels)
    low_cut = result.scale // 2
    low = f"1–{low_cut}" if low_cut > 1 else "1"
    q = "q" if result.correction == "fdr_bh" else "p"
    pct = " %" if lang == "nb" else "%"
    why = rows["suppression"].astype("string").map(lambda k: h.get(str(k), str(k)))
    hidden = rows["suppressed"].to_numpy(dtype=bool)

    def share(col: str) -> pd.Series:
        return rows[col].map(lambda v: format_number(100 * v, lang, 0) + pct
                             if np.isfinite(v) else "")

    diff = [("" if not np.isfinite(d) else
             f"{format_number(100 * d, lang, 0)} ({format_number(100 * lo, lang, 0)} "
             f"{'til' if lang == 'nb' else 'to'} {format_number(100 * hi, lang, 0)})")
            for d, lo, hi in zip(rows["share_low_diff"], rows["share_low_diff_ci_low"],
                                 rows["share_low_diff_ci_high"], strict=True)]
    verdict = rows["direction"].astype("string").map(lambda d: h.get(str(d), "")).fillna("")
    out = pd.DataFrame({
        h["area"]: [c.area_label(str(a), lang, area_names) for a in rows[result.by]],
        h["theme"]: [names_th.get(t, t) for t in rows["theme"]],
        h["n"]: rows["n"].astype(int).to_numpy(),
        h["low"].format(low=low): np.where(hidden, why, share("share_low")),
        h["low_rest"].format(low=low): share("share_low_rest").to_numpy(),
        h["diff"]: diff,
        h["delta"]: rows["delta"].map(lambda v: format_number(v, lang, 2)
                                      if np.isfinite(v) else "").to_numpy(),
        h["q"].format(q=q): rows["q_value"].map(lambda v: _q_text(v, lang)).to_numpy(),
        h["verdict"]: verdict.to_numpy(),
    })
    return out.reset_index(drop=True)
