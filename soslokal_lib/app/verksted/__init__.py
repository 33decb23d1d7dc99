"""The «politisk verksted» report: one printable HTML document a politician reads in ten minutes.

A title page («Slik leser du rapporten»; a banner when the data are synthetic), one A4 page per
neighbourhood (compass against the kommune, strongest and weakest themes, register facts against
the kommune, a few scrubbed quotes), the inequality overview (heatmap, map and rank intervals of
a composite index, the social gradient with its SII), «Endring siden <runde>» when an earlier
round is given (:mod:`soslokal_lib.app.verksted.change`) and a methods and privacy section. The
document is self-contained (figures inline as PNG, no external CSS, JS or fonts) and prints on
A4 from the browser.

Every survey number comes from :func:`soslokal_lib.summarise` with ``min_n``; the summary is
checked with :func:`soslokal_lib.privacy.check_no_small_cells` before anything is rendered.
Neighbourhoods with fewer than ``min_n`` respondents get a page without statistics or quotes;
one hidden on every theme only to protect a small neighbour keeps its quotes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib._files import write_atomic
from soslokal_lib.app.verksted.change import change_section
from soslokal_lib.app.verksted.content import (
    FACTS,
    baseline_text,
    index_table,
    neighbourhood_index,
    sample_socio,
    social_gradient,
    split_socio,
    strongest_weakest,
)
from soslokal_lib.app.verksted.goals import goal_profile
from soslokal_lib.app.verksted.parts import N_DRAWS, Context, compass, num, overview, signed
from soslokal_lib.app.verksted.questions import area_questions, is_strength, shown_cells
from soslokal_lib.app.verksted.selection import area_order, select_areas
from soslokal_lib.app.verksted.wording import MONTHS, TEXT
from soslokal_lib.app.verksted.wording_goals import PRIORITY_ROWS, TEXT_GOALS
from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number
from soslokal_lib.themes import scale_cutoffs, theme_labels

if TYPE_CHECKING:
    from soslokal_lib.app.rounds_page import RoundsStudy
    from soslokal_lib.io.inputs import Inputs

__all__ = ["FACTS", "NEAR", "TEMPLATE", "build_verksted_report", "index_table",
           "neighbourhood_index", "sample_socio", "social_gradient", "split_socio",
           "strongest_weakest", "write_verksted_report"]

TEMPLATE = "verksted.html.j2"
NEAR = 0.05  # relative difference below which a fact counts as «≈ the kommune»


# --------------------------------------------------------------------------- the report
def build_verksted_report(
    inputs: Inputs,
    *,
    socio: pd.DataFrame | None = None,
    min_n: int = 5,
    lang: str = "nb",
    kommune_name: str | None = None,
    seed: int = 0,
    date: dt.date | None = None,
    labels: Mapping[str, str] | None = None,
    socio_source: str | Sequence[str] | None = None,
    register_note: str | None = None,
    rounds: RoundsStudy | None = None,
    areas: Sequence[str] | None = None,
) -> str:
    """The «politisk verksted» report as one self-contained HTML document.

    ``inputs``: :func:`soslokal_lib.io.inputs.load_inputs` (the synthetic sample without
    arguments). ``socio``: register facts per area (index or column ``area_id``; columns of
    :data:`FACTS`; an optional kommune row, see :func:`split_socio`); for the sample it defaults
    to :func:`sample_socio`, otherwise the register parts are left out with a note.
    ``seed`` picks the quotes and the weight draws; ``date`` (default today) goes on the title
    page; ``labels`` overrides theme names; ``socio_source``: where the register facts come
    from, one text or several (the «Kilder» list names only these and the survey's source);
    ``register_note`` says which register figures are
    not shown and why (:meth:`soslokal_lib.indicators.register_privacy.RegisterProtection.text`).
    ``rounds``: the main round and the one before it compared
    (:func:`soslokal_lib.app.rounds_page.load_rounds` on ``inputs``, same ``min_n``); with two
    rounds the report gets the section «Endring siden <runde>», without (or with one round) not.
    ``areas`` (``[report] areas``): ids or names of the neighbourhoods that get a page (default
    all; an unknown one is an error naming the closest); the kommune's figures, the goals'
    ranks and the overview stay whole-kommune, and the title page says which areas it covers.

    It opens with where the kommune stands on the guide's two goals
    (:mod:`soslokal_lib.app.verksted.goals`); each page adds the area's position on them and
    three to five discussion questions (:mod:`soslokal_lib.app.verksted.questions`); a
    priority sheet to fill in closes it.
    """
    from soslokal_lib import privacy
    from soslokal_lib.plot._common import language
    from soslokal_lib.stats.areamerge import AreaMerge
    from soslokal_lib.stats.summary import summarise

    lang = language(lang)
    survey = inputs.survey
    summary = summarise(survey, min_n=min_n)
    privacy.check_no_small_cells(summary, min_n)
    t = _wording(lang, int(summary.attrs.get("scale", survey.scale)))
    all_areas = area_order(inputs, summary["area_id"].astype(str))
    if socio is None and inputs.synthetic and _is_sample(all_areas):
        socio = sample_socio()
        socio_source = socio_source or _sample_source()
    if socio is not None and socio_source is None:
        socio_source = _sample_source() if inputs.synthetic else t["source_real"]
    if kommune_name is None:
        kommune_name = "Fjordvik" if inputs.synthetic and _is_sample(all_areas) else None
    kommune = kommune_name or t["kommune_default"]
    names = {a: str(inputs.names.get(a, a)) for a in all_areas}
    names_total = {**names, "total": kommune_name} if kommune_name else names
    themes = theme_labels(lang, labels)
    facts, pop, mean_of_areas = (_facts(socio, all_areas, lang) if socio is not None
                                 else ({}, None, False))
    if mean_of_areas:  # no kommune row: every label of the comparison says what it is
        t = _areas_wording(t)
    ctx = Context(summary=summary, names=names_total, themes=themes, lang=lang, t=t,
                  min_n=min_n, source=inputs.source, labels=labels)

    shown = select_areas(areas, all_areas, names) if areas is not None else all_areas
    counts = _respondents(survey, all_areas)
    quotes = _quotes(survey, min_n, seed, themes, t)
    pages = [_page(ctx, a, int(counts.get(a, 0)), facts.get(a), pop, quotes.get(a, []))
             for a in shown]
    parts = overview(ctx, inputs, socio, all_areas, seed)
    if rounds is not None and rounds.available and rounds.min_n != min_n:
        raise SoslokalError(f"The rounds were compared with min_n={rounds.min_n}, the report "
                            f"uses min_n={min_n}. Fix: load_rounds(..., min_n={min_n}).")
    change = change_section(ctx, rounds)
    goals = goal_profile(ctx, socio, all_areas, kommune, seed)
    _add_questions(ctx, pages, goals, rounds, parts["differences"].get("lower_themes", {}))
    highlights = _highlights(ctx, kommune, parts)
    merged = AreaMerge.from_meta(survey.meta.get("area_merge"))
    if merged is not None:
        highlights.append(merged.text(lang, config=False))
    total_n = int(counts.sum())
    when = date or dt.date.today()
    context = {
        "lang": lang, "t": t, "title": t["title"], "kommune": kommune,
        "subtitle": t["subtitle"].format(kommune=kommune_name or t["kommune_default"]),
        "synthetic": bool(inputs.synthetic), "date": _date_text(when, lang),
        "made": t["made"].format(date=_date_text(when, lang),
                                 respondents=format_number(total_n, lang),
                                 areas=len(all_areas)),
        "how": [t[f"how_{i}"].format(min_n=min_n) for i in range(1, 6)],
        "highlights": highlights, "pages": pages, "overview": parts, "has_socio": socio is not None,
        "change": change, "goals": goals,
        "covers": (t["covers"].format(k=len(shown), m=len(all_areas),
                                      names=", ".join(names[a] for a in shown))
                   if len(shown) < len(all_areas) else ""),
        "priority": _priority(t),
        "methods": _methods(ctx, inputs, summary, seed, kommune, socio_source, register_note,
                            {**parts, "change": change is not None,
                             "goals_ranked": goals["ranked"]}),
    }
    html = _render(context)
    _check_rendered(pages)
    return html


def write_verksted_report(path: str | Path, inputs: Inputs, **options: Any) -> Path:
    """Build the report (:func:`build_verksted_report` ``options``) and write it atomically."""
    path = Path(path)
    write_atomic(path, build_verksted_report(inputs, **options))
    return path


# --------------------------------------------------------------------------- helpers
def _wording(lang: str, scale: int) -> dict[str, str]:
    """The texts of ``lang`` with the scale's low and high bands filled in."""
    low, high = scale_cutoffs(scale)
    fields = {"{low}": f"1–{low}" if low > 1 else "1",
              "{high}": f"{high}–{scale}" if high < scale else str(scale), "{scale}": str(scale)}
    out = {}
    for key, text in {**TEXT[lang], **TEXT_GOALS[lang]}.items():
        for field, value in fields.items():
            text = text.replace(field, value)
        out[key] = text
    return out


def _areas_wording(t: Mapping[str, str]) -> dict[str, str]:
    """``t`` for a register table without a kommune row: the facts are compared with the
    neighbourhoods' mean, and the column head, the legend and the questions say so."""
    keys = ("facts_kommune", "facts_note", "q_register", "q_register_theme")
    return {**t, **{k: t[f"{k}_areas"] for k in keys}}


def _is_sample(areas: list[str]) -> bool:
    return bool(areas) and all(a.startswith("9901") and len(a) == 8 for a in areas)


def _sample_source() -> str:
    from soslokal_lib.io.socio import SOURCE_SAMPLE

    return SOURCE_SAMPLE


def _respondents(survey: Any, areas: list[str]) -> pd.Series:
    from soslokal_lib.stats.respondents import respondent_counts

    table = respondent_counts(survey, ["area_id"])
    return table.set_index("category")["n"].reindex(areas, fill_value=0)


def _date_text(day: dt.date, lang: str) -> str:
    month = MONTHS[lang][day.month - 1]
    return f"{day.day}. {month} {day.year}" if lang == "nb" else f"{day.day} {month} {day.year}"


def _facts(socio: pd.DataFrame, areas: list[str], lang: str
           ) -> tuple[dict[str, list[dict]], pd.Series | None, bool]:
    """Per area the formatted fact rows (value, kommune value, difference and its tone), the
    population per area, and whether the kommune value is the areas' mean (no kommune row;
    ``basis`` then says «snitt av 3 av 4 nabolag» when some areas have no figure)."""
    from soslokal_lib.indicators import REGISTRY

    per_area, kommune = split_socio(socio, areas)
    by_column = {i.column: i for i in REGISTRY if i.column}
    per_area = per_area.reindex(areas)
    out: dict[str, list[dict]] = {a: [] for a in areas}
    for col in [c for c in FACTS if c in per_area.columns and c != "population"]:
        ind = by_column.get(col)
        direction = ind.direction if ind else "context"
        kind = ("income" if col == "median_income_nok" else
                "pct" if col.endswith("_pct") or col.startswith("pct_") else "plain")
        values = pd.to_numeric(per_area[col], errors="coerce")
        ref = float(pd.to_numeric(pd.Series([kommune.get(col)]), errors="coerce").iloc[0])
        diff = values - ref
        near = (diff.abs() < NEAR * abs(ref)) if np.isfinite(ref) else diff.isna()
        sign = np.sign(diff).where(~near, 0)
        favourable = sign * (1 if direction == "higher_is_better" else -1)
        tone = np.where((sign == 0) | (direction == "context"), "neutral",
                        np.where(favourable > 0, "good", "bad"))
        shown_diff = diff / ref * 100 if kind == "income" else diff
        used = kommune.attrs.get("areas_used", {}).get(col)
        partial = used is not None and used < kommune.attrs.get("areas_total", used)
        basis = baseline_text(kommune, col, lang) if partial else ""
        for area, v, d, s, tn in zip(areas, values, shown_diff, sign, tone, strict=True):
            dtext = _fact_diff(d, kind, lang)
            out[area].append({
                "label": ind.name(lang) if ind else col,
                "value": _fact_value(v, kind, lang) or TEXT[lang]["facts_missing"],
                "missing": not np.isfinite(v), "kommune": _fact_value(ref, kind, lang),
                "basis": basis if np.isfinite(ref) else "",
                "diff": dtext, "tone": str(tn) if dtext else "",
                "arrow": "" if not dtext else "≈" if s == 0 else "▲" if s > 0 else "▼",
                "rel": _relative(d, ref, kind)})
    pop = (pd.to_numeric(per_area["population"], errors="coerce")
           if "population" in per_area.columns else None)
    return out, pop, bool(kommune.attrs.get("from_areas"))


def _relative(diff: float, ref: float, kind: str) -> float:
    """The difference from the kommune as a share of the kommune value (NaN without one);
    income differences arrive in per cent already."""
    if not np.isfinite(diff):
        return float("nan")
    if kind == "income":
        return float(diff / 100)
    return float(diff / abs(ref)) if np.isfinite(ref) and ref != 0 else float("nan")


def _fact_value(value: float, kind: str, lang: str) -> str:
    if not np.isfinite(value):
        return ""
    if kind == "income":
        return f"{format_number(value, lang)} kr"
    if kind == "pct":
        return num(value, lang) + (" %" if lang == "nb" else "%")
    return format_number(value, lang, 0)


def _fact_diff(diff: float, kind: str, lang: str) -> str:
    """Difference from the kommune: per cent for income, percentage points for shares."""
    if not np.isfinite(diff):
        return ""
    if kind == "income":
        return signed(diff, lang, 0) + (" %" if lang == "nb" else "%")
    if kind == "pct":
        return signed(diff, lang, 1) + " pp"
    return signed(diff, lang, 0)


def _quotes(survey: Any, min_n: int, seed: int, themes: Mapping[str, str],
            t: Mapping[str, str]) -> dict[str, list[dict]]:
    """Up to three scrubbed quotes per area with enough respondents; comments without masked
    details and about a theme come first."""
    from soslokal_lib.text import select_quotes

    if survey.comments is None or survey.comments.empty:
        return {}
    picked = select_quotes(survey.comments, survey.responses, min_n=min_n, per_area=9,
                           seed=seed, allow_flagged=False)
    if picked.empty:
        return {}
    masked = picked["text"].str.contains(r"\[[a-zæøå\- ]+\]", regex=True).fillna(False)
    general = (picked["kind"] == "other").fillna(False)
    picked = (picked.assign(_m=masked.astype(int), _g=general.astype(int),
                            _i=np.arange(len(picked)))
              .sort_values(["area_id", "_m", "_g", "_i"], kind="stable")
              .groupby("area_id", sort=False).head(3))
    kinds = {"good": t["kind_good"], "improve": t["kind_improve"], "other": t["kind_other"]}
    out: dict[str, list[dict]] = {}
    for row in picked.itertuples(index=False):
        theme = themes.get(str(row.theme), t["general"])
        out.setdefault(str(row.area_id), []).append(
            {"text": str(row.text), "theme": theme, "kind": kinds.get(str(row.kind), "")})
    return out


def _page(ctx: Context, area: str, n: int, facts: list[dict] | None, pop: pd.Series | None,
          quotes: list[dict]) -> dict:
    """Everything one neighbourhood page shows (strings; numbers from the summary)."""
    t, lang = ctx.t, ctx.lang
    page: dict[str, Any] = {
        "id": area, "anchor": f"omr-{area}", "name": ctx.names.get(area, area), "n": n,
        "respondents": t["respondents"].format(n=format_number(n, lang)),
        "inhabitants": "", "facts": facts or [], "quotes": [], "status": "ok",
        "note": "", "compass": "", "compass_alt": "", "strongest": [], "weakest": [],
        "strongest_title": t["strongest"],
        "hidden_note": "", "goals": [], "questions": [],
    }
    if pop is not None and np.isfinite(pop.get(area, np.nan)):
        page["inhabitants"] = t["inhabitants"].format(n=format_number(pop[area], lang))
    rows = ctx.summary[ctx.summary["area_id"].astype(str) == area]
    if n < ctx.min_n or rows.empty:
        page["status"] = "too_few"
        page["note"] = t["too_few_page"].format(n=n, min_n=ctx.min_n)
        return page
    best, worst = strongest_weakest(ctx.summary, area, k=3)
    if best.empty:
        secondary = (rows["suppression"].astype("string") == "secondary").fillna(False).any()
        page["status"] = "hidden"
        page["note"] = t["all_hidden" if secondary else "too_few_themes"]
        # a quote from an area with enough respondents reveals nothing about the small area
        # it protects: secondary suppression never removes quotes (ARCHITECTURE §6)
        page["quotes"] = quotes if secondary else []
        return page
    total = ctx.summary[ctx.summary["area_id"].astype(str) == "total"]
    total = total.set_index(total["theme"].astype(str))
    page["strongest"] = [_theme_line(ctx, r, total) for r in best.itertuples(index=False)]
    page["weakest"] = [_theme_line(ctx, r, total) for r in worst.itertuples(index=False)]
    hidden = int(rows["suppressed"].astype("boolean").fillna(True).sum())
    page["hidden_note"] = t["hidden_themes"].format(k=hidden) if hidden else ""
    page["compass"] = compass(ctx, area)
    page["compass_alt"] = t["compass_alt"].format(area=page["name"])
    page["quotes"] = quotes
    return page


def _theme_line(ctx: Context, row: Any, total: pd.DataFrame) -> dict:
    t, lang = ctx.t, ctx.lang
    value = num(row.median, lang)
    ref = total["median"].get(row.theme, np.nan) if "median" in total else np.nan
    ref_ok = np.isfinite(ref) and not bool(total["suppressed"].get(row.theme, True))
    line = (t["median_line"].format(value=value, total=num(ref, lang)) if ref_ok
            else t["median_line_nototal"].format(value=value))
    return {"theme": ctx.themes.get(row.theme, row.theme), "code": str(row.theme),
            "median": line,
            "share": t["share_low_line"].format(share=format_number(row.share_low * 100,
                                                                     lang, 0))}


def _highlights(ctx: Context, kommune: str, parts: Mapping[str, Any]) -> list[str]:
    """Sentences for the title page: the kommune's strongest and weakest themes, the themes
    that differ clearly between neighbourhoods and those with a clear gradient against the
    worst-off areas."""
    t = ctx.t
    out = []
    if (ctx.summary["area_id"].astype(str) == "total").any():
        best, worst = strongest_weakest(ctx.summary, "total", k=1)
        if len(best) and len(worst):
            out.append(t["hl_kommune"].format(
                kommune=kommune, best=ctx.themes[best["theme"].iloc[0]],
                worst=ctx.themes[worst["theme"].iloc[0]]))
    differ = parts.get("differences", {}).get("differ", [])
    if differ:
        out.append(t["hl_differ"].format(themes=", ".join(differ)))
    steep = [r["theme"] for r in parts.get("gradient_rows", []) if r["against_worst_off"]]
    if steep:
        out.append(t["hl_gradient"].format(themes=", ".join(steep)))
    return out


def _methods(ctx: Context, inputs: Inputs, summary: pd.DataFrame, seed: int, kommune: str,
             socio_source: str | Sequence[str] | None, register_note: str | None = None,
             parts: Mapping[str, Any] | None = None) -> dict:
    """The method section: only the parts the report shows (no index or gradient paragraph
    when they are left out, no sub-indices of the goals when too few areas gave none, no
    register data in the index when there were none)."""
    t = ctx.t
    parts = parts or {}
    conf = format_number(100 * summary.attrs.get("confidence", 0.95), ctx.lang, 0)
    weighted = bool(summary.attrs.get("weighted"))
    paras = [("scores", t["m_scores"].format(conf=conf)),
             ("weights", t["m_weighted" if weighted else "m_weights"]),
             ("minn", t["m_minn"].format(min_n=ctx.min_n)),
             ("quotes", t["m_quotes"].format(seed=seed)),
             ("differences", t["m_differences"]),
             ("goals", t["m_goals"] + (" " + t["m_goals_index"].format(d=N_DRAWS)
                                       if parts.get("goals_ranked") else "")),
             ("questions", t["m_questions"])]
    if parts.get("rank"):
        index = t["m_index" if parts.get("index_register") else "m_index_survey"]
        paras.append(("index", index.format(d=N_DRAWS)))
    if parts.get("gradient"):
        paras.append(("gradient", t["m_gradient"]))
    if parts.get("change"):
        paras.append(("change", t["m_change"].format(min_n=ctx.min_n)))
    from soslokal_lib.stats.areamerge import AreaMerge

    merged = AreaMerge.from_meta(inputs.survey.meta.get("area_merge"))
    if merged is not None:
        paras.append(("merged", merged.text(ctx.lang, config=False)))
    if register_note:
        paras.append(("register", register_note))
    if inputs.synthetic:
        paras.append(("synthetic", t["m_synthetic"].format(kommune=kommune)))
    paras = [{"lead": t[f"lead_{key}"], "text": text} for key, text in paras]
    prefix = re.compile(r"^\s*(kilde|source)\s*:\s*", re.IGNORECASE)
    given = [socio_source] if isinstance(socio_source, str) else list(socio_source or [])
    sources = [prefix.sub("", s) for s in dict.fromkeys([inputs.source, *given]) if s]
    return {"paragraphs": paras, "sources": sources}


def _add_questions(ctx: Context, pages: list[dict], goals: Mapping[str, Any],
                   rounds: RoundsStudy | None,
                   lower: Mapping[str, Sequence[str]] | None = None) -> None:
    """Each page's position on the two goals and its discussion questions (plain data on the
    page: ``goals``, ``questions``). ``lower``: per area the themes the report calls clearly
    below the other neighbourhoods. A page whose «Sterkeste tema» are not all strengths
    (:func:`~soslokal_lib.app.verksted.questions.is_strength`, the rule that decides whether
    the questions ask what to keep) heads them «Relativt sterkeste tema»."""
    flagged, since = None, None
    if rounds is not None and rounds.available:
        flagged, since = rounds.comparison.flagged(), rounds.comparison.before
    total = shown_cells(ctx, "total")
    for page in pages:
        page["goals"] = goals["per_area"].get(page["id"], [])
        mine = (flagged[flagged["area_id"].astype(str) == page["id"]]
                if flagged is not None else None)
        below = list((lower or {}).get(page["id"], []))
        page["questions"] = area_questions(ctx, page["id"], page, mine, since, page["goals"],
                                           below)
        if page["strongest"]:
            cells = shown_cells(ctx, page["id"])
            if not all(is_strength(r["code"], cells, total, below) for r in page["strongest"]):
                page["strongest_title"] = ctx.t["strongest_relative"]


def _priority(t: Mapping[str, str]) -> dict:
    """The priority sheet to fill in at the meeting: its columns and empty rows."""
    columns = [t[f"priority_{k}"] for k in ("area", "theme", "why", "who", "when")]
    return {"title": t["priority"], "intro": t["priority_intro"], "columns": columns,
            "rows": PRIORITY_ROWS}


def _render(context: dict) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("soslokal_lib.app.verksted", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True)
    return env.get_template(TEMPLATE).render(**context)


def _check_rendered(pages: list[dict]) -> None:
    """Second line of defence: no page of a small area carries a statistic or a quote (a page
    hidden only to protect a small neighbour keeps its quotes)."""
    for page in pages:
        if page["status"] != "ok" and (page["compass"] or page["strongest"]
                                       or (page["quotes"] and page["status"] == "too_few")):
            raise SoslokalError(f"Privacy check failed for area {page['id']}: a page without "
                                "enough responses carries statistics or quotes.")
