"""The section «Endring siden <runde>» of the «politisk verksted» report: the clear changes
between the previous round and the main one in words, the dot plot of the themes with a clear
change, and the caveats (the comparison's notes, who answered, why).

Every number comes from :func:`soslokal_lib.stats.rounds.compare_rounds` (through
:class:`soslokal_lib.app.rounds_page.RoundsStudy`); suppressed comparisons are never named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from soslokal_lib._messages import tr
from soslokal_lib.app.verksted.parts import Context, png, signed
from soslokal_lib.numformat import format_number, format_percent
from soslokal_lib.stats.rounds_wording import with_names

if TYPE_CHECKING:
    from soslokal_lib.app.rounds_page import RoundsStudy

__all__ = ["change_section"]


def change_section(ctx: Context, study: RoundsStudy | None) -> dict[str, Any] | None:
    """What the section shows, or ``None`` when there is no earlier round to compare with."""
    if study is None or not study.available:
        return None
    from soslokal_lib.app.rounds_page import flagged_themes
    from soslokal_lib.plot.rounds import plot_change_dots

    t, lang = ctx.t, ctx.lang
    comp = study.comparison
    table = comp.to_frame()
    since, after = comp.before, comp.after
    is_total = table["area_id"].astype(str) == "total"
    tested = int((~table["suppressed"] & table["q_value"].notna() & ~is_total).sum())
    flagged = comp.flagged()
    areas = flagged[flagged["area_id"].astype(str) != "total"]
    totals = flagged[flagged["area_id"].astype(str) == "total"]

    def item(row: Any, area: bool = True) -> str:
        text = t["ch_item"].format(
            area=ctx.names.get(str(row.area_id), str(row.area_id)),
            theme=ctx.themes.get(str(row.theme), str(row.theme)),
            p1=format_percent(row.share_low_before, lang), p2=format_percent(
                row.share_low_after, lang), since=since, after=after,
            way=t[f"ch_{row.direction}"], lo=signed(100 * row.share_low_diff_ci_low, lang, 0),
            hi=signed(100 * row.share_low_diff_ci_high, lang, 0))
        return text if area else text.split(", ", 1)[1]

    out: dict[str, Any] = {
        "title": t["ch_title"].format(since=since), "link": t["ch_link"].format(since=since),
        "intro": t["ch_intro"].format(since=since, after=after),
        "lead": (t["ch_some"].format(k=len(areas), m=tested) if len(areas)
                 else t["ch_none"].format(m=tested)),
        "items": [item(r) for r in areas.itertuples(index=False)],
        "total": (t["ch_total"].format(items="; ".join(item(r, area=False) for r in
                                                       totals.itertuples(index=False)))
                  if len(totals) else ""),
        "rule": t["ch_rule"].format(m=tested, a=format_number(1 - comp.confidence, lang, 2)),
        "dots": "", "dots_text": t["ch_dots"],
        "caveats": [tr(n, lang) if comp.named else with_names(tr(n, lang), ctx.names)
                    for n in comp.notes]
        + [t["ch_caveat_who"], t["ch_caveat_why"]],
    }
    themes = flagged_themes(study)
    if themes:
        fig = plot_change_dots(table, themes=themes, lang=lang, names=dict(ctx.names),
                               source=ctx.source, min_n=ctx.min_n, labels=ctx.labels,
                               ncols=min(len(themes), 3))
        import matplotlib.pyplot as plt

        out["dots"] = png(fig)
        plt.close(fig)  # plot_change_dots draws with pyplot
    return out

