"""Figures for representativeness and weighting: «Hvem svarte?» and weighted vs unweighted.

Numbers come from :func:`soslokal_lib.stats.representativeness.representativeness` and from
``summarise`` tables (suppressed cells stay empty); nothing is computed here.
matplotlib is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.plot import _common as c
from soslokal_lib.themes import theme_labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from soslokal_lib.stats.representativeness import Representativeness

POP_COLOUR = "#c8c8c8"
SAMPLE_COLOUR = "#1b6a8a"
UNDER_COLOUR = "#c2571a"
OVER_COLOUR = "#5b3f8c"

TEXT = {
    "nb": {
        "title": "Hvem svarte?",
        "subtitle": "Andel av svarene sammenlignet med andel av befolkningen",
        "pop": "Andel av befolkningen", "sample": "Andel av svarene",
        "under": "Underrepresentert (forholdstall < {t})",
        "over": "Overrepresentert (forholdstall > {t})",
        "share": "Andel (%)", "ratio_note": "Forholdstall (×) = andel av svarene ÷ andel av "
        "befolkningen", "respondents": "svar",
        "effect_title": "Vektet og uvektet", "unweighted": "Uvektet", "weighted": "Vektet",
        "truth": "Sann verdi i befolkningen",
        "score": {"mean": "Gjennomsnitt (ordinale skårer)", "median": "Median",
                  "share_low": "Andel lave skårer", "share_high": "Andel høye skårer"},
    },
    "en": {
        "title": "Who responded?",
        "subtitle": "Share of the answers compared with share of the population",
        "pop": "Share of the population", "sample": "Share of the answers",
        "under": "Under-represented (ratio < {t})", "over": "Over-represented (ratio > {t})",
        "share": "Share (%)", "ratio_note": "Ratio (×) = share of answers ÷ share of population",
        "respondents": "responses",
        "effect_title": "Weighted and unweighted", "unweighted": "Unweighted",
        "weighted": "Weighted", "truth": "True population value",
        "score": {"mean": "Mean (ordinal scores)", "median": "Median",
                  "share_low": "Share of low scores", "share_high": "Share of high scores"},
    },
}
VARIABLE_LABELS = {
    "nb": {"area_id": "Område", "age_group": "Aldersgruppe", "gender": "Kjønn"},
    "en": {"area_id": "Area", "age_group": "Age group", "gender": "Gender"},
}


def plot_representation(
    rep: Representativeness,
    *,
    variables: Sequence[str] | None = None,
    lang: str = "nb",
    title: str | None = None,
    source: str | None = None,
) -> Figure:
    """«Hvem svarte?»: per variable, each level's share of the answers beside its share of the
    population, with the representation ratio; under-represented levels stand out.

    ``rep`` is the result of ``representativeness``. Returns the Figure.
    """
    lang = c.language(lang)
    t = TEXT[lang]
    table = getattr(rep, "table", None)
    if not isinstance(table, pd.DataFrame):
        raise SoslokalError("rep must be the result of representativeness(survey, population).")
    variables = list(pd.unique(table["variable"])) if variables is None else list(variables)
    unknown = [v for v in variables if v not in set(table["variable"])]
    if unknown:
        raise SoslokalError(f"No variable(s) {unknown} in the comparison. Fix: use "
                            f"{list(pd.unique(table['variable']))}.")

    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    sizes = [int((table["variable"] == v).sum()) for v in variables]
    rows = max(sizes)
    fig, axes = plt.subplots(1, len(variables), figsize=(3.9 * len(variables) + (1 if len(variables) > 1 else 5),
                                      1.9 + 0.42 * rows),
                             layout="constrained", squeeze=False)
    for ax, var in zip(axes[0], variables, strict=True):
        part = table[table["variable"] == var]
        y = np.arange(len(part))
        pop = 100 * part["population_share"].to_numpy(dtype=float)
        smp = 100 * part["sample_share"].to_numpy(dtype=float)
        flag = part["flag"].astype(str).to_numpy()
        colours = np.where(flag == "under", UNDER_COLOUR,
                           np.where(flag == "over", OVER_COLOUR, SAMPLE_COLOUR))
        ax.barh(y - 0.19, pop, height=0.36, color=POP_COLOUR)
        ax.barh(y + 0.19, smp, height=0.36, color=colours)
        top = np.nanmax(np.r_[pop, smp]) if len(part) else 1.0
        ratios = part["ratio"].to_numpy(dtype=float)
        ns = part["n"].to_numpy()
        for yi, right, ratio, n, colour in zip(y, np.fmax(pop, smp), ratios, ns, colours,
                                               strict=True):
            label = f"×{c.fmt(ratio, lang, 2)}  (n = {int(n)})" if np.isfinite(ratio) else ""
            ax.annotate(label, xy=(right, yi), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=8.5, color=colour)
        ax.set_yticks(y, [str(x) for x in part["label"]], fontsize=9)
        ax.set_ylim(rows - 0.5, -0.6)
        ax.set_xlim(0, top * 1.55 if top > 0 else 1)
        ax.set_xlabel(t["share"], fontsize=9)
        ax.set_title(VARIABLE_LABELS[lang].get(var, var), fontsize=11, fontweight="bold",
                     loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#e4e4e4", linewidth=0.8)
        ax.set_axisbelow(True)
    thr = rep.threshold
    handles = [Patch(color=POP_COLOUR, label=t["pop"]), Patch(color=SAMPLE_COLOUR,
                                                               label=t["sample"]),
               Patch(color=UNDER_COLOUR, label=t["under"].format(t=c.fmt(thr, lang, 2))),
               Patch(color=OVER_COLOUR, label=t["over"].format(t=c.fmt(1 / thr, lang, 2)))]
    head = title if title is not None else t["title"]
    fig.suptitle(f"{head}\n{t['subtitle']} (n = {rep.n} {t['respondents']})", fontsize=12,
                 fontweight="bold")
    spare = int(np.argmin(sizes))
    if rows - sizes[spare] >= 5:  # room below the bars of the shortest panel
        axes[0][spare].legend(handles=handles, loc="lower right", fontsize=8.5, frameon=False)
    else:
        fig.legend(handles=handles, loc="outside right lower", fontsize=8.5, frameon=False)
    note = c.caption([t["ratio_note"]], lang, source)
    fig.supxlabel(note, x=0.01, ha="left", fontsize=8.5, color="#555555")
    return fig


def plot_weighting_effect(
    unweighted: pd.DataFrame,
    weighted: pd.DataFrame,
    *,
    area: str = "total",
    stat: str = "mean",
    truth: Mapping[str, float] | pd.Series | None = None,
    by: str = "area_id",
    lang: str = "nb",
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Figure:
    """Dot plot per theme: the unweighted and weighted ``stat`` for one ``area`` (default the
    whole-survey row), each from a ``summarise`` table, with optional true values.

    ``truth`` maps theme code → value (e.g. the synthetic sample's ``.truth``). Suppressed
    cells are left empty. Returns the Figure.
    """
    lang = c.language(lang)
    t = TEXT[lang]
    if stat not in c.TABLE_STATS:
        raise SoslokalError(f"Unknown statistic {stat!r}. Fix: use one of {c.TABLE_STATS}.")
    u = c.check_summary(unweighted, by, stat, c.TABLE_STATS)
    w = c.check_summary(weighted, by, stat, c.TABLE_STATS)
    key = c.check_area(u, by, area)
    c.check_area(w, by, area)
    themes = c.themes_in(u)
    uv = c.cell_values(u, by, key, stat, themes)
    wv = c.cell_values(w, by, key, stat, themes)
    tv = (pd.Series(truth, dtype=float).reindex(themes).to_numpy(dtype=float)
          if truth is not None else None)
    names = theme_labels(lang, labels)

    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(8, 0.38 * len(themes) + 2.0), layout="constrained")
    y = np.arange(len(themes))
    ax.hlines(y, np.fmin(uv, wv), np.fmax(uv, wv), color="#9a9a9a", linewidth=1.2)
    ax.scatter(uv, y, s=46, facecolors="white", edgecolors=SAMPLE_COLOUR, linewidths=1.5,
               zorder=3)
    ax.scatter(wv, y, s=46, color=SAMPLE_COLOUR, zorder=3)
    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
                      markeredgecolor=SAMPLE_COLOUR, label=t["unweighted"]),
               Line2D([], [], marker="o", linestyle="", color=SAMPLE_COLOUR,
                      label=t["weighted"])]
    if tv is not None:
        ax.scatter(tv, y, marker="|", s=160, color=UNDER_COLOUR, linewidths=2, zorder=4)
        handles.append(Line2D([], [], marker="|", linestyle="", color=UNDER_COLOUR,
                              markersize=12, markeredgewidth=2, label=t["truth"]))
    ax.set_yticks(y, [names.get(code, code) for code in themes], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(t["score"][stat], fontsize=9)
    ax.grid(axis="x", color="#e4e4e4", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3,
              fontsize=8.5, frameon=False)
    n = c.max_n(u, by, key)
    place = c.area_label(key, lang, table=u, by=by)
    ax.set_title(title if title is not None else
                 f"{t['effect_title']}: {c.with_n(place, n)}", fontsize=12,
                 fontweight="bold", loc="left", pad=24)
    note = c.caption([c.blank_note(u, lang)], lang, source)
    fig.supxlabel(note, x=0.01, ha="left", fontsize=8.5, color="#555555")
    return fig
