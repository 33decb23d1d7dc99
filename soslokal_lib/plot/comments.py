"""Charts of free-text comments: top words and phrases, and comments per area.

They draw the tables made by :mod:`soslokal_lib.text` (``term_frequencies``,
``comments_per_area``) and compute nothing themselves; suppressed areas are shown as
«for få svar» (below ``min_n``) or «skjult for å beskytte et lite nabolag», not as bars.
matplotlib is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.plot import _common as c
from soslokal_lib.themes import get_theme

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_TERM_COLUMNS = ("term", "ngram", "count", "comments", "n_comments", "share")
KIND_COLOURS = {"good": "#2e8b57", "improve": "#d9822b", "other": "#8c8c8c"}
WORDS = {
    "nb": {"good": "Hva er bra", "improve": "Hva kan bli bedre", "other": "Andre innspill",
           "top": "Mest brukte ord og uttrykk", "x_terms": "Antall innspill som bruker uttrykket",
           "per_area": "Innspill per område", "x_area": "Antall innspill",
           "n": "n = {n} innspill", "all": "alle innspill", "share": "{p} % av innspillene"},
    "en": {"good": "What is good", "improve": "What could be better", "other": "Other comments",
           "top": "Most used words and phrases", "x_terms": "Comments using the term",
           "per_area": "Comments per area", "x_area": "Number of comments",
           "n": "n = {n} comments", "all": "all comments", "share": "{p} % of comments"},
}


def plot_top_terms(
    freqs: pd.DataFrame,
    *,
    theme: str | None = None,
    kind: str | None = None,
    area: str | None = None,
    top: int = 10,
    ngram: int | None = None,
    lang: str = "nb",
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Horizontal bars of the ``top`` terms of one group of ``term_frequencies(...)``.

    ``theme``, ``kind`` and ``area`` pick the group (each must be a column of ``freqs`` when
    given); the filter must leave exactly one group. ``ngram`` = 1 or 2 shows only words or
    only two-word phrases. Bars count comments that use the term. Returns the Axes.
    """
    lang = c.language(lang)
    w = WORDS[lang]
    table = _check_freqs(freqs)
    picks = {"theme": get_theme(theme).code if theme is not None else None, "kind": kind,
             "area_id": area}
    for col, value in picks.items():
        if value is None:
            continue
        if col not in table.columns:
            raise SoslokalError(f"The table has no column {col!r}. Fix: make it with "
                                f"term_frequencies(..., by=(..., {col!r})).")
        table = table[table[col].astype("string") == str(value)]
    groups = [col for col in table.columns if col not in _TERM_COLUMNS]
    if groups and len(table.drop_duplicates(groups)) > 1:
        left = ", ".join(g for g in groups if picks.get(g) is None)
        raise SoslokalError(f"The table holds several groups. Fix: choose one with {left}=...")
    if ngram is not None:
        table = table[table["ngram"] == int(ngram)]
    if table.empty:
        raise SoslokalError("No terms to show for this choice. Fix: choose another group or a "
                            "lower min_count in term_frequencies.")
    table = table.sort_values(["comments", "count", "term"], ascending=[False, False, True])
    table = table.head(int(top))

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 1.4 + 0.36 * len(table)), layout="constrained")
    y = np.arange(len(table))
    colour = KIND_COLOURS.get(str(kind), "#1b6a8a")
    values = table["comments"].to_numpy(dtype=float)
    ax.barh(y, values, color=colour, height=0.65)
    for yi, value, share in zip(y, values, table["share"].to_numpy(dtype=float), strict=True):
        ax.annotate(f"{c.fmt(value, lang)} ({c.fmt(100 * share, lang, 0)} %)", xy=(value, yi),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=8.5)
    ax.set_yticks(y, table["term"].astype(str).tolist(), fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, values.max() * 1.3)
    ax.set_xlabel(w["x_terms"], fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e4e4e4", linewidth=0.8)
    ax.set_axisbelow(True)
    parts = [get_theme(picks["theme"]).name(lang) if picks["theme"] else None,
             w.get(str(kind)) if kind else None, str(area) if area else None]
    what = " – ".join(p for p in parts if p) or w["all"]
    ax.set_title(title if title is not None else f"{w['top']}: {what}", fontsize=12,
                 fontweight="bold", loc="left")
    n = int(table["n_comments"].iloc[0])
    _caption(ax, c.caption([w["n"].format(n=n)], lang, source), "terms-caption")
    return ax


def plot_comments_per_area(
    counts: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    lang: str = "nb",
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
    min_n: int | None = None,
) -> Axes:
    """Stacked bars of comments per area by kind, from ``text.comments_per_area``.

    Suppressed areas get «for få svar» instead of a bar (or, when they have at least ``min_n``
    respondents and are hidden only to protect a small neighbour, «skjult for å beskytte et
    lite nabolag»). ``names`` maps area ids to display names. Returns the Axes.
    """
    lang = c.language(lang)
    w = WORDS[lang]
    needed = ["area_id", "good", "improve", "other", "suppressed"]
    if not isinstance(counts, pd.DataFrame) or any(col not in counts for col in needed):
        raise SoslokalError("counts must be the table from soslokal_lib.text.comments_per_area "
                            f"(columns {', '.join(needed)}).")
    if counts.empty:
        raise SoslokalError("The counts table is empty. Fix: pass comments from some area.")

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 1.6 + 0.34 * len(counts)), layout="constrained")
    hidden = counts["suppressed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    y = np.arange(len(counts))
    left = np.zeros(len(counts))
    for kind in ("good", "improve", "other"):
        values = counts[kind].to_numpy(dtype=float, na_value=np.nan)
        values = np.where(hidden | np.isnan(values), 0.0, values)
        ax.barh(y, values, left=left, color=KIND_COLOURS[kind], height=0.65, label=w[kind])
        left = left + values
    too_few = c.too_few_label(counts, lang, min_n)
    limit = min_n if min_n is not None else counts.attrs.get("min_n")
    big = np.zeros(len(counts), dtype=bool)
    if limit is not None and "respondents" in counts.columns:
        big = counts["respondents"].to_numpy(dtype=float, na_value=0.0) >= limit
    reasons = np.where(big, c.TEXT[lang]["hidden"], too_few)
    for yi, total, hide, reason in zip(y, left, hidden, reasons, strict=True):
        ax.annotate(reason if hide else c.fmt(total, lang), xy=(total, yi), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8.5,
                    color="#777777" if hide else "#222222",
                    style="italic" if hide else "normal")
    labels = [c.area_label(str(a), lang, names) for a in counts["area_id"]]
    ax.set_yticks(y, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, max(left.max(), 1) * 1.3)
    ax.set_xlabel(w["x_area"], fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e4e4e4", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, fontsize=8.5, loc="lower right")
    ax.set_title(title if title is not None else w["per_area"], fontsize=12, fontweight="bold",
                 loc="left")
    n = int(np.nansum(counts["comments"].to_numpy(dtype=float, na_value=np.nan))) if (
        "comments" in counts) else int(left.sum())
    _caption(ax, c.caption([w["n"].format(n=n)], lang, source), "area-caption")
    return ax


def _caption(ax: Axes, text: str, gid: str) -> None:
    """Grey caption line (n and source) under the x-axis label, left-aligned with the axes."""
    ax.annotate(text, xy=(0, 0), xycoords=("axes fraction", ax.xaxis.label), xytext=(0, -4),
                textcoords="offset points", ha="left", va="top", fontsize=8.5,
                color="#555555", gid=gid)


def _check_freqs(freqs: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(freqs, pd.DataFrame):
        raise SoslokalError("freqs must be the table from soslokal_lib.text.term_frequencies.")
    missing = [col for col in _TERM_COLUMNS if col not in freqs.columns]
    if missing:
        raise SoslokalError(f"The table lacks column(s) {missing}. Fix: pass the table from "
                            "soslokal_lib.text.term_frequencies.")
    return freqs
