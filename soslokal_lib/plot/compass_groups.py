"""Group and walk scores on the compass: an outline of their own, never pooled with the survey.

:func:`draw_group_outline` adds to a compass drawn by
:func:`soslokal_lib.plot.compass.plot_compass` the scores of gåtur, workshop and focus-group
sessions (:func:`soslokal_lib.stats.group_scores.summarise_group_scores`) as a dotted outline
with square markers (told apart from the survey by line style and marker, not by colour
alone), and returns its legend entry with the participants («n = 12 deltakere»). Cells hidden
by the privacy rule (fewer than ``min_n`` participants) are gaps; an area with nothing shown
gets no outline and no entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib.stats.group_scores import group_cells

if TYPE_CHECKING:
    from matplotlib.axes import Axes

GROUP_COLOUR = "#b35806"
GID = "compass-groups"
TEXT = {"nb": ("Gåtur og grupper", "deltakere"), "en": ("Walks and groups", "participants")}


def draw_group_outline(ax: Axes, groups: pd.DataFrame, area: str, themes: list[str],
                       lang: str = "nb") -> tuple[Any, str] | None:
    """Draw the group scores of ``area`` on the polar ``ax`` whose spokes are ``themes``;
    return ``(handle, text)`` for the legend, or ``None`` when nothing is shown."""
    from matplotlib.lines import Line2D

    values, n = group_cells(groups, area, list(themes))
    if n is None:
        return None
    k = len(themes)
    theta = 2 * np.pi * np.arange(k) / k
    style = {"color": GROUP_COLOUR, "linestyle": ":", "linewidth": 2.0, "marker": "s",
             "markersize": 5}
    ax.plot(np.r_[theta, theta[:1] + 2 * np.pi], np.r_[values, values[:1]], zorder=5.5,
            gid=GID, **style)
    label, people = TEXT["en" if lang == "en" else "nb"]
    shown = (groups["area_id"].astype(str) == str(area)) & ~groups["suppressed"].astype(bool)
    channels = sorted({c.strip() for cs in groups.loc[shown, "channels"].dropna()
                       for c in cs.split(",")})
    detail = f" ({', '.join(channels)})" if channels else ""
    return Line2D([], [], **style), f"{label}{detail}, n = {n} {people}"
