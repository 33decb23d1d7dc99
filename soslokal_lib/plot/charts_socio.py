"""Figures and display tables for population and income per neighbourhood.

The numbers come from :mod:`soslokal_lib.stats.profiles` (``age_pyramid``, ``neighbourhood_profile``);
nothing is computed here. matplotlib is imported inside the functions.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number
from soslokal_lib.plot import _common as c

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MEN_COLOUR = "#3b75af"
WOMEN_COLOUR = "#c8553d"
TEXT = {
    "nb": {"men": "Menn", "women": "Kvinner", "share": "Andel av befolkningen (%)",
           "age": "Alder", "pyramid": "Alderspyramide", "total": "Hele kommunen",
           "population": "Innbyggere", "outline": "{name} (strek)", "area": "Område"},
    "en": {"men": "Men", "women": "Women", "share": "Share of the population (%)",
           "age": "Age", "pyramid": "Population pyramid", "total": "Whole municipality",
           "population": "Population", "outline": "{name} (outline)", "area": "Area"},
}
#: Display columns of :func:`profile_table`: profile column → (nb header, en header, decimals).
PROFILE_COLUMNS = {
    "population": ("Innbyggere", "Population", 0),
    "density_per_km2": ("Innbyggere per km²", "Inhabitants per km²", 0),
    "sex_ratio": ("Menn per 100 kvinner", "Men per 100 women", 0),
    "pct_0_17": ("0–17 år (%)", "Aged 0–17 (%)", 1),
    "pct_18_66": ("18–66 år (%)", "Aged 18–66 (%)", 1),
    "pct_67plus": ("67 år+ (%)", "Aged 67+ (%)", 1),
    "dependency_ratio": ("Forsørgerbyrde", "Dependency ratio", 0),
    "households": ("Husholdninger", "Households", 0),
    "median_income_nok": ("Medianinntekt etter skatt (kr)", "Median income after tax (NOK)", 0),
}


def _check_pyramid(pyramid: pd.DataFrame, what: str) -> None:
    needed = ["pct_men", "pct_women"]
    if not isinstance(pyramid, pd.DataFrame) or any(col not in pyramid for col in needed):
        raise SoslokalError(f"{what} must be the table returned by socio.age_pyramid() "
                            "(columns pct_men, pct_women indexed by age group).")


def plot_age_pyramid(
    pyramid: pd.DataFrame,
    *,
    compare: pd.DataFrame | None = None,
    label: str | None = None,
    compare_label: str | None = None,
    lang: str = "nb",
    title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Age pyramid in per cent of the population: men left, women right.

    ``pyramid`` and ``compare`` come from :func:`soslokal_lib.stats.profiles.age_pyramid` (e.g. one
    neighbourhood and the whole kommune). ``compare`` is drawn as a dark outline over the bars,
    so differences in age structure show whatever the sizes. The caption gives each
    population and ``source``. Returns the Axes.
    """
    lang = c.language(lang)
    t = TEXT[lang]
    _check_pyramid(pyramid, "pyramid")
    if compare is not None:
        _check_pyramid(compare, "compare")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    ages = [str(a).replace("-", "–") for a in pyramid.index]
    y = np.arange(len(ages))
    men = pyramid["pct_men"].to_numpy(dtype=float)
    women = pyramid["pct_women"].to_numpy(dtype=float)
    if ax is None:
        fig = plt.figure(figsize=(7.6, 0.3 * len(ages) + 2.2), layout="constrained")
        ax = fig.add_subplot()
    ax.barh(y, -men, height=0.82, color=MEN_COLOUR, alpha=0.85, gid="pyramid-men")
    ax.barh(y, women, height=0.82, color=WOMEN_COLOUR, alpha=0.85, gid="pyramid-women")
    name = label or pyramid.attrs.get("area") or t["total"]
    handles = [Patch(color=MEN_COLOUR, alpha=0.85, label=f"{name}: {t['men'].lower()}"),
               Patch(color=WOMEN_COLOUR, alpha=0.85, label=f"{name}: {t['women'].lower()}")]
    top = np.nanmax(np.concatenate([men, women]))
    parts = [f"{name}: {format_number(pyramid.attrs.get('population', np.nan), lang)} "
             f"{t['population'].lower()}"]
    if compare is not None:
        ref = compare.reindex(pyramid.index)
        edges = np.concatenate([y - 0.5, [y[-1] + 0.5]])
        for col, sign in (("pct_men", -1), ("pct_women", 1)):
            values = sign * ref[col].to_numpy(dtype=float)
            ax.stairs(values, edges, orientation="horizontal", baseline=None, color="#1a1a1a",
                      linewidth=1.3, gid=f"pyramid-compare-{col}")
        other = compare_label or compare.attrs.get("area") or t["total"]
        handles.append(plt.Line2D([], [], color="#1a1a1a", linewidth=1.3,
                                  label=t["outline"].format(name=other)))
        top = max(top, np.nanmax(ref[["pct_men", "pct_women"]].to_numpy(dtype=float)))
        parts.append(f"{other}: {format_number(compare.attrs.get('population', np.nan), lang)} "
                     f"{t['population'].lower()}")
    limit = np.ceil(top * 1.15)
    ax.set_xlim(-limit, limit)
    ticks = ax.get_xticks()
    ticks = ticks[np.abs(ticks) <= limit]
    ax.set_xticks(ticks, [format_number(abs(v), lang, 0 if float(v).is_integer() else 1)
                          for v in ticks])
    ax.set_yticks(y, ages, fontsize=8.5)
    ax.set_ylim(-0.7, len(ages) - 0.3)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlabel(t["share"], fontsize=9)
    ax.set_ylabel(t["age"], fontsize=9)
    ax.text(0.02, 0.98, t["men"], transform=ax.transAxes, ha="left", va="top",
            fontsize=10, fontweight="bold", color=MEN_COLOUR)
    ax.text(0.98, 0.98, t["women"], transform=ax.transAxes, ha="right", va="top",
            fontsize=10, fontweight="bold", color=WOMEN_COLOUR)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=8.5)
    ax.set_title(title if title is not None else f"{t['pyramid']}: {name}", fontsize=13,
                 fontweight="bold", loc="left")
    width_in = ax.figure.get_size_inches()[0] * ax.get_position().width
    caption = textwrap.fill(c.caption(parts, lang, source), max(50, int(width_in * 16)),
                            break_long_words=False)  # ~16 characters of 8 pt text per inch
    ax.annotate(caption, xy=(0, 0), xycoords="axes fraction",
                xytext=(0, -32), textcoords="offset points", ha="left", va="top",
                fontsize=8, color="#555555", gid="pyramid-caption")
    return ax


def profile_table(profile: pd.DataFrame, lang: str = "nb",
                  columns: list[str] | None = None, missing: str = "–") -> pd.DataFrame:
    """The neighbourhood profile as display text: Norwegian headers, thin-space thousands,
    decimal commas; missing values as ``missing``. ``columns`` chooses profile columns (default:
    those of :data:`PROFILE_COLUMNS` that are present). Indexed by the area name."""
    lang = c.language(lang)
    if not isinstance(profile, pd.DataFrame) or "population" not in profile.columns:
        raise SoslokalError("profile_table needs the table from socio.neighbourhood_profile().")
    chosen = columns or [col for col in PROFILE_COLUMNS if col in profile.columns]
    unknown = [col for col in chosen if col not in PROFILE_COLUMNS or col not in profile]
    if unknown:
        raise SoslokalError(f"profile_table: cannot show column(s) {', '.join(unknown)}. Fix: "
                            f"choose from {', '.join(c for c in PROFILE_COLUMNS if c in profile)}.")
    out = {}
    for col in chosen:
        nb, en, decimals = PROFILE_COLUMNS[col]
        values = pd.to_numeric(profile[col], errors="coerce").astype("float64")
        out[nb if lang == "nb" else en] = [format_number(v, lang, decimals) or missing
                                           for v in values]
    names = profile["area_name"] if "area_name" in profile.columns else profile.index
    index = pd.Index(names.astype("str"), name=TEXT[lang]["area"])
    return pd.DataFrame(out, index=index)
