"""Three to five discussion questions per neighbourhood, generated from its own results, for
the «politisk verksted» report (templates ``q_*`` in
:mod:`soslokal_lib.app.verksted.wording_goals`, bokmål and English).

The rules, in the order the questions are asked (a theme is asked about once; at most
:data:`MOST` questions; fewer than :data:`LEAST` are filled up with the last two rules):

1. ``worse``: a clear change for the worse since the earlier round
   (:func:`soslokal_lib.stats.rounds.compare_rounds`, the report's «Endring siden» section),
   phrased together with «lowest» when it is the area's weakest theme;
2. ``lowest``: the area's weakest theme (lowest median, then most low scores); when its share
   of low scores lies :data:`GAP` or more below the kommune's, the question says so and asks
   whether anything still needs following up, rather than what the kommune can do about it;
3. ``gap``: the theme where the area's share of low scores lies furthest above the kommune's,
   when that is at least :data:`GAP` (10 percentage points);
4. ``register``: the register figure furthest from the kommune in the unfavourable direction,
   when it differs by at least :data:`FAR` (25 %) of the kommune value;
5. ``dont_know``: a theme where at least :data:`DONT_KNOW` (15 %) of those who answered the
   question said «vet ikke»;
6. ``better``: a clear change for the better since the earlier round;
7. ``goal``: the area lies in the bottom third on a goal over every method and weighting;
8. ``strongest``: the area's strongest theme (what to keep), only when it is a strength
   (:func:`is_strength`): fewer than half of its answers are low (its median lies above the low
   band), it is not one where the report calls the area «tydelig under de andre nabolagene»
   (the Mann–Whitney test against the other shown areas, Benjamini–Hochberg adjusted, of
   :func:`soslokal_lib.app.verksted.parts.differences`), and its share of low scores does not
   lie :data:`GAP` or more above the kommune's (the threshold of rule 3). Otherwise the area's
   best theme is only its least weak one, and asking what to keep would tell politicians to
   protect a weak spot the same page reports, so no such question is asked (the page heads
   the list «Relativt sterkeste tema» instead of «Sterkeste tema»);
9. ``missing``, 10. ``sources`` and 11. ``ask``: who we have not heard from, what else the
   kommune knows, and what the residents would say matters most (always possible; for pages
   with too few answers the first is «how do we hear from them at all»).

Privacy: only cells the summary shows are used (``suppressed`` false, in this area *and*, for
``gap``, in the kommune); a page without results gets questions from register figures and the
two last rules only; no question names another neighbourhood.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.app.verksted.parts import Context, num
from soslokal_lib.numformat import format_percent

__all__ = ["DONT_KNOW", "FAR", "GAP", "HALF", "LEAST", "MOST", "area_questions", "is_strength",
           "shown_cells"]

LEAST, MOST = 3, 5
GAP = 0.10
HALF = 0.5
FAR = 0.25
DONT_KNOW = 0.15


def area_questions(ctx: Context, area: str, page: Mapping[str, Any],
                   changes: pd.DataFrame | None = None, since: str | None = None,
                   goals: Sequence[Mapping[str, Any]] = (),
                   lower: Collection[str] = ()) -> list[dict[str, Any]]:
    """The questions for one neighbourhood page (``page`` as the report builds it: ``status``,
    ``name``, ``facts``). ``changes``: the clear changes of this area (rows of
    :meth:`~soslokal_lib.stats.rounds.RoundComparison.flagged`), ``since`` the earlier round;
    ``goals``: the area's position per goal (:func:`.goals.goal_profile`); ``lower``: the
    themes (codes) on which the report calls the area clearly below the other neighbourhoods.
    Each question is ``{"text", "rule", "theme"}`` (``theme`` a code or ``None``)."""
    t, lang = ctx.t, ctx.lang
    name = str(page["name"])
    out: list[dict[str, Any]] = []
    used: set[str] = set()

    def add(rule: str, key: str, theme: str | None = None, **fields: Any) -> None:
        if len(out) >= MOST or (theme is not None and theme in used):
            return
        if theme is not None:
            used.add(theme)
            fields["theme"] = _lower(ctx.themes.get(theme, theme))
            fields["Theme"] = ctx.themes.get(theme, theme)
        out.append({"text": t[key].format(area=name, **fields), "rule": rule, "theme": theme})

    cells = shown_cells(ctx, area) if page.get("status") == "ok" else pd.DataFrame()
    total = shown_cells(ctx, "total")
    worst = _pick(cells, ["median", "share_low"], [True, False])
    best = _pick(cells, ["median", "share_low"], [False, True])
    clear = _changes(changes, cells)
    for row in clear[clear["direction"] == "worse"].itertuples(index=False):
        key = "q_lowest_worse" if worst is not None and row.theme == worst.name else "q_worse"
        add("worse", key, row.theme, since=since, p1=format_percent(row.share_low_before, lang),
            p2=format_percent(row.share_low_after, lang))
    if worst is not None:
        ref = _number(total["share_low"].get(worst.name, np.nan)) if not total.empty else np.nan
        key = "q_lowest_total" if np.isfinite(ref) else "q_lowest"
        if np.isfinite(ref) and round(ref - _number(worst["share_low"]), 6) >= GAP:
            key = "q_lowest_better"  # the area's weakest theme, yet well above the kommune
        add("lowest", key, worst.name, share=format_percent(worst["share_low"], lang),
            median=num(worst["median"], lang), p2=format_percent(ref, lang))
    gap = _gap(cells, total)
    if gap is not None:
        add("gap", "q_gap", gap.name, p1=format_percent(gap["share_low"], lang),
            p2=format_percent(gap["share_low_kommune"], lang))
    fact = _far_fact(page.get("facts") or [])
    if fact is not None:
        about = worst.name if worst is not None else None
        key = "q_register_theme" if about is not None else "q_register"
        add("register", key, None, label=fact["label"], value=fact["value"],
            kommune=fact["kommune"], **({"about": _lower(ctx.themes.get(about, about))}
                                        if about is not None else {}))
    dk = _dont_know(cells)
    if dk is not None:
        add("dont_know", "q_dont_know", dk.name, share=format_percent(dk["share_dk"], lang))
    for row in clear[clear["direction"] == "better"].itertuples(index=False):
        add("better", "q_better", row.theme, since=since,
            p1=format_percent(row.share_low_before, lang),
            p2=format_percent(row.share_low_after, lang))
    for g in goals:
        if g.get("band") == "low":
            add("goal", f"q_goal_{g['goal']}", None, goal=str(g["name"]).lower())
    if best is not None and is_strength(best.name, cells, total, lower):
        add("strongest", "q_strongest", best.name)
    if len(out) < LEAST:
        add("missing", "q_missing" if page.get("status") == "ok" else "q_too_few")
    if len(out) < LEAST:
        add("sources", "q_sources")
    if len(out) < LEAST:
        add("ask", "q_ask")
    return out


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def is_strength(theme: str, cells: pd.DataFrame, total: pd.DataFrame,
                lower: Collection[str] = ()) -> bool:
    """Whether the area's shown cell of ``theme`` is a strength, not just its least weak
    theme: fewer than :data:`HALF` of the answers are low, ``theme`` is not in ``lower`` (the
    report's «tydelig under de andre nabolagene»), and the share of low scores is less than
    :data:`GAP` above the kommune's (when the kommune's cell is shown). ``cells`` and
    ``total``: :func:`shown_cells` of the area and of ``"total"``."""
    if theme not in cells.index or theme in set(lower):
        return False
    share = _number(cells.at[theme, "share_low"])
    if not np.isfinite(share) or round(share, 6) >= HALF:
        return False
    ref = _number(total["share_low"].get(theme, np.nan)) if not total.empty else np.nan
    return not (np.isfinite(ref) and round(share - ref, 6) >= GAP)


def _number(value: Any) -> float:
    return float(value) if pd.notna(value) else float("nan")


def shown_cells(ctx: Context, area: str) -> pd.DataFrame:
    """The area's cells the summary shows, indexed by theme code."""
    s = ctx.summary
    rows = s[(s["area_id"].astype(str) == str(area))]
    shown = ~rows["suppressed"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    rows = rows[shown & rows["median"].notna().to_numpy(dtype=bool)]
    return rows.set_index(rows["theme"].astype(str))


def _pick(cells: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.Series | None:
    """The first cell by ``by`` (ties in the summary's theme order), or ``None``."""
    if cells.empty:
        return None
    order = cells.assign(_i=np.arange(len(cells)))
    return order.sort_values([*by, "_i"], ascending=[*ascending, True], kind="stable").iloc[0]


def _changes(changes: pd.DataFrame | None, cells: pd.DataFrame) -> pd.DataFrame:
    """Clear changes of themes the area's page shows (never a suppressed comparison)."""
    cols = ["theme", "direction", "share_low_before", "share_low_after"]
    if changes is None or changes.empty or cells.empty:
        return pd.DataFrame(columns=cols)
    ok = ~changes["suppressed"].astype("boolean").fillna(True)
    rows = changes[ok.to_numpy(dtype=bool)].assign(theme=lambda d: d["theme"].astype(str))
    rows = rows[rows["theme"].isin(cells.index)]
    return rows.sort_values("share_low_diff", key=abs, ascending=False, kind="stable")[cols]


def _gap(cells: pd.DataFrame, total: pd.DataFrame) -> pd.Series | None:
    if cells.empty or total.empty:
        return None
    both = cells[["share_low"]].join(total["share_low"].rename("share_low_kommune"),
                                     how="inner")
    both = both.assign(gap=both["share_low"] - both["share_low_kommune"]).dropna()
    both = both[both["gap"].round(6) >= GAP]
    if both.empty:
        return None
    return both.assign(_i=np.arange(len(both))).sort_values(
        ["gap", "_i"], ascending=[False, True], kind="stable").iloc[0]


def _dont_know(cells: pd.DataFrame) -> pd.Series | None:
    if cells.empty or "n_dont_know" not in cells.columns:
        return None
    asked = cells["n"] + cells["n_dont_know"]
    share = (cells["n_dont_know"] / asked.where(asked > 0)).rename("share_dk")
    frame = cells.assign(share_dk=share).dropna(subset=["share_dk"])
    frame = frame[frame["share_dk"].round(6) >= DONT_KNOW]
    if frame.empty:
        return None
    return frame.assign(_i=np.arange(len(frame))).sort_values(
        ["share_dk", "_i"], ascending=[False, True], kind="stable").iloc[0]


def _far_fact(facts: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The register fact furthest from the kommune on the unfavourable side (``tone`` bad),
    at least :data:`FAR` of the kommune value away; a missing (suppressed) value never."""
    far = [f for f in facts if f.get("tone") == "bad" and not f.get("missing")
           and np.isfinite(f.get("rel", np.nan)) and abs(f["rel"]) >= FAR]
    return max(far, key=lambda f: abs(f["rel"])) if far else None
