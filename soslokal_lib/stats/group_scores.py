"""Group and walk scores per area and theme, under the privacy rule.

:func:`summarise_group_scores` sums up the sessions read by
:func:`soslokal_lib.io.group_scores.read_group_scores`: per area and theme the mean of the
sessions' scores weighted by their participants, the participants, the sessions and the
channels. They are never pooled with the survey. The privacy rule applies to participants as
to respondents: a cell with fewer than ``min_n`` participants shows neither its score nor its
participant count (``suppressed`` is True). No kommune total is formed from the sessions, so
no neighbour's figure could be worked out by subtraction and the primary rule suffices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.privacy import check_min_n

COLUMNS = ("area_id", "theme", "score", "participants", "sessions", "channels", "suppressed")


def summarise_group_scores(scores: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """One row per area × theme (see the module docstring); :data:`COLUMNS`."""
    check_min_n(min_n)
    missing = [c for c in ("area_id", "theme", "score", "participants", "channel")
               if c not in scores.columns]
    if missing:
        raise SoslokalError(f"summarise_group_scores: no column {', '.join(missing)}. Fix: "
                            "pass the table from read_group_scores().")
    frame = scores.assign(_w=pd.to_numeric(scores["participants"]).astype("float64"),
                          _s=pd.to_numeric(scores["score"]).astype("float64"))
    frame = frame.assign(_ws=frame["_w"] * frame["_s"])
    grouped = frame.groupby(["area_id", "theme"], sort=True, observed=True)
    out = grouped.agg(_ws=("_ws", "sum"), participants=("_w", "sum"),
                      sessions=("_s", "size"),
                      channels=("channel", lambda s: ", ".join(sorted(set(s.dropna())))))
    out = out.reset_index()
    out["score"] = out["_ws"] / out["participants"]
    small = out["participants"].to_numpy() < min_n
    out["suppressed"] = small
    out["score"] = out["score"].where(~small)
    out["participants"] = out["participants"].round().astype("Int64").where(~small)
    out["sessions"] = out["sessions"].astype("Int64").where(~small)
    out = out[list(COLUMNS)].astype({"area_id": "string", "theme": "string",
                                     "channels": "string"})
    out.attrs.update(min_n=min_n, scale=scores.attrs.get("scale", 7),
                     source=scores.attrs.get("source"))
    return out


def group_cells(table: pd.DataFrame, area: str, themes: list[str]) -> tuple[np.ndarray, int | None]:
    """Scores of ``area`` in the order of ``themes`` (NaN where hidden or missing) and the
    most participants on one shown theme (``None`` when nothing is shown)."""
    rows = table[table["area_id"].astype(str) == str(area)].set_index("theme").reindex(themes)
    values = pd.to_numeric(rows["score"], errors="coerce").to_numpy(dtype=float)
    shown = pd.to_numeric(rows["participants"], errors="coerce")
    n = shown[np.isfinite(values)].max() if np.isfinite(values).any() else None
    return values, (int(n) if n is not None and pd.notna(n) else None)
