"""The «politisk verksted» report: one printable HTML document a politician reads in ten minutes.

A title page («Slik leser du rapporten»; a banner when the data are synthetic), one A4 page per
neighbourhood (compass against the kommune, strongest and weakest themes, register facts against
the kommune, a few scrubbed quotes), the inequality overview (heatmap, map and rank intervals of
a composite index, the social gradient with its SII) and a methods and privacy section. The
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
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib._files import write_atomic
from soslokal_lib.app.verksted.parts import N_DRAWS, Context, compass, num, overview, signed
from soslokal_lib.app.verksted.wording import MONTHS, TEXT
from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number
from soslokal_lib.themes import THEME_CODES, scale_cutoffs, theme_labels

if TYPE_CHECKING:
    from soslokal_lib.io.inputs import Inputs

TEMPLATE = "verksted.html.j2"
#: Register facts per neighbourhood, in page order: column → how the kommune value is formed
#: when the table has no kommune row ("sum", population-"weighted" mean, or None: unknown).
FACTS: dict[str, str | None] = {
    "population": "sum", "median_income_nok": None, "low_income_pct": "weighted",
    "low_education_pct": "weighted", "benefits_pct": "weighted", "crowded_pct": "weighted",
    "moving_rate_per_1000": "weighted", "turnout_pct": "weighted", "immigrant_pct": "weighted",
    "pct_0_17": "weighted", "pct_67plus": "weighted",
}
_SAMPLE_RATES = ("low_income_pct", "low_education_pct", "crowded_pct", "moving_rate_per_1000",
                 "immigrant_pct", "turnout_pct", "benefits_pct")
NEAR = 0.05  # relative difference below which a fact counts as «≈ the kommune»


# --------------------------------------------------------------------------- library functions
def strongest_weakest(
    summary: pd.DataFrame, area: str, k: int = 3, *, by: str = "area_id"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``k`` strongest and ``k`` weakest themes of ``area``, from unsuppressed cells only.

    Strongest: highest median, then lowest ``share_low``; weakest: lowest median, then highest
    ``share_low``; remaining ties in official theme order. The two lists never share a theme:
    with fewer than ``2k`` shown themes the strongest get the larger half. Returns two frames
    with ``theme`` (code), ``n``, ``median``, ``median_ci_low``, ``median_ci_high``,
    ``share_low`` and ``share_high`` (those present in the summary).
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise SoslokalError(f"k must be a whole number of at least 1, not {k!r}.")
    missing = [c for c in (by, "theme", "median", "share_low", "suppressed")
               if c not in summary.columns]
    if missing:
        raise SoslokalError(f"strongest_weakest: the summary lacks {', '.join(missing)}. Fix: "
                            "pass the table from soslokal_lib.summarise().")
    rows = summary[summary[by].astype("string") == str(area)]
    if rows.empty:
        raise SoslokalError(f"strongest_weakest: no area {area!r} in column {by!r} of the "
                            "summary. Fix: use an area_id of the summary.")
    shown = ~rows["suppressed"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    shown &= rows["median"].notna().to_numpy(dtype=bool)
    cols = [c for c in ("theme", "n", "median", "median_ci_low", "median_ci_high",
                        "share_low", "share_high") if c in rows.columns]
    cells = rows.loc[shown, cols].assign(theme=rows.loc[shown, "theme"].astype(str))
    order = {code: i for i, code in enumerate(THEME_CODES)}
    cells = cells.assign(_order=cells["theme"].map(order).fillna(len(order)))
    m = len(cells)
    k_best = min(k, (m + 1) // 2)
    k_worst = min(k, m - k_best)
    best = cells.sort_values(["median", "share_low", "_order"], ascending=[False, True, True],
                             kind="stable").head(k_best)
    rest = cells[~cells["theme"].isin(best["theme"])]
    worst = rest.sort_values(["median", "share_low", "_order"], ascending=[True, False, True],
                             kind="stable").head(k_worst)
    return (best.drop(columns="_order").reset_index(drop=True),
            worst.drop(columns="_order").reset_index(drop=True))


def sample_socio(sample: Any = None) -> pd.DataFrame:
    """Register facts of the SYNTHETIC sample per delområde, plus a kommune row ``"9901"``.

    Grunnkrets rates are aggregated population-weighted (:func:`soslokal_lib.geo.aggregate_areas`);
    population, age shares and median household income (SSB 06944 style, Øyane suppressed)
    come from :func:`soslokal_lib.stats.profiles.neighbourhood_profile`. ``attrs["total"]`` names the
    kommune row. ``sample``: a :func:`soslokal_lib.load_sample` result (loaded when ``None``).
    """
    from soslokal_lib import geo
    from soslokal_lib.io.sample import load_sample
    from soslokal_lib.stats.profiles import neighbourhood_profile

    sample = sample if sample is not None else load_sample()
    rates = {r: "population" for r in _SAMPLE_RATES}
    parts = [geo.aggregate_areas(sample.socio, level, rates=rates)[list(_SAMPLE_RATES)]
             for level in ("delomrade", "kommune")]
    profile = neighbourhood_profile(sample.population, "delomrade", income=sample.income)
    out = pd.concat(parts).join(profile[["area_name", "population", "households", "pct_0_17",
                                         "pct_67plus", "median_income_nok"]])
    out.attrs = {"total": profile.attrs["total"]}
    return out


def split_socio(socio: pd.DataFrame, areas: Any = ()) -> tuple[pd.DataFrame, pd.Series]:
    """``(per area, kommune)`` from a register table with or without a kommune row.

    The kommune row is the one indexed ``"total"``, ``socio.attrs["total"]`` or the 4-digit
    kommune code shared by ``areas``. Without one, the kommune value is the sum (population),
    the population-weighted mean (rates) or missing (medians) of the areas.
    """
    frame = socio.set_index("area_id") if "area_id" in socio.columns else socio
    frame = frame.copy()
    frame.index = frame.index.astype(str)
    keys = {"total", str(socio.attrs.get("total"))}
    prefixes = {str(a)[:4] for a in areas}
    if len(prefixes) == 1:
        keys |= prefixes
    is_total = frame.index.isin(keys)
    per_area = frame.loc[~is_total]
    if is_total.any():
        return per_area, frame.loc[is_total].iloc[0]
    kommune = {}
    pop = (pd.to_numeric(per_area["population"], errors="coerce")
           if "population" in per_area.columns else None)
    for col, rule in FACTS.items():
        if col not in per_area.columns or rule is None:
            continue
        values = pd.to_numeric(per_area[col], errors="coerce")
        if rule == "sum":
            kommune[col] = values.sum(min_count=1)
        elif pop is not None and (ok := values.notna() & pop.notna()).any():
            kommune[col] = float(np.average(values[ok], weights=pop[ok]))
    return per_area, pd.Series(kommune, dtype=float)


def index_table(summary: pd.DataFrame, socio: pd.DataFrame | None, areas: Any = ()
                ) -> tuple[pd.DataFrame, pd.Series | None]:
    """The report's indicator table (:func:`soslokal_lib.indicators.indicator_table` of the
    privacy-checked ``summary`` and the per-area rows of ``socio``) and the population per
    area (None without one)."""
    from soslokal_lib.indicators import indicator_table

    per_area = split_socio(socio, list(areas))[0] if socio is not None else None
    population = None
    if per_area is not None and "population" in per_area.columns:
        population = per_area["population"]
    return indicator_table(summary, per_area, population=population), population


def neighbourhood_index(summary: pd.DataFrame, socio: pd.DataFrame | None,
                        areas: Any = ()) -> pd.DataFrame:
    """The report's composite index: :func:`soslokal_lib.indicators.sustainability_index`
    (the definition notebook 03 uses) on :func:`index_table`, population-weighted when the
    register table has a population."""
    from soslokal_lib.indicators import sustainability_index

    table, population = index_table(summary, socio, areas)
    return sustainability_index(table, population=population)


def social_gradient(
    summary: pd.DataFrame,
    socio: pd.DataFrame,
    *,
    stat: str = "share_low",
    confidence: float = 0.95,
    by: str = "area_id",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Slope index of inequality (SII) of ``stat`` per theme along a socioeconomic ranking.

    Areas are ranked by ``low_income_pct`` (highest share = worst-off) or, without it, by
    ``median_income_nok``, population-weighted (ridit), and ``stat`` (in per cent for shares)
    is regressed on the rank by WLS (:func:`soslokal_lib.inequality.slope_index`). Only
    unsuppressed cells are used; themes with fewer than three areas are left out. Returns
    ``(results, points)``: results ``theme, sii, ci_low, ci_high, intercept, n_areas``;
    points ``theme, area_id, ridit, value, population``. ``results.attrs["rank_by"]`` names the
    ranking column.
    """
    from soslokal_lib.stats.inequality import ridit, slope_index

    per_area, _ = split_socio(socio, summary[by].astype(str).unique())
    rank_by = next((c for c in ("low_income_pct", "median_income_nok")
                    if c in per_area.columns), None)
    if rank_by is None or "population" not in per_area.columns:
        raise SoslokalError("social_gradient: socio needs 'population' and 'low_income_pct' or "
                            "'median_income_nok' per area.")
    ascending = rank_by != "low_income_pct"
    cells = summary[summary[by].astype(str) != "total"]
    value = pd.to_numeric(cells[stat], errors="coerce").where(
        ~cells["suppressed"].astype("boolean").fillna(True))
    scale = 100.0 if stat.startswith("share") else 1.0
    wide = (pd.DataFrame({"area_id": cells[by].astype(str), "theme": cells["theme"].astype(str),
                          "v": value * scale})
            .pivot(index="area_id", columns="theme", values="v"))
    x = pd.to_numeric(per_area[rank_by], errors="coerce").reindex(wide.index)
    pop = pd.to_numeric(per_area["population"], errors="coerce").reindex(wide.index)
    results, points = [], []
    for theme in [t for t in THEME_CODES if t in wide.columns]:
        y = wide[theme]
        keep = y.notna() & x.notna() & pop.gt(0)
        if keep.sum() < 3 or x[keep].nunique() < 2:
            continue
        res = slope_index(y[keep], x[keep], pop[keep], confidence=confidence,
                          ascending=ascending)
        results.append({"theme": theme, "sii": res.sii, "ci_low": res.ci_low,
                        "ci_high": res.ci_high, "intercept": res.intercept,
                        "n_areas": res.n})
        points.append(pd.DataFrame({
            "theme": theme, "area_id": y.index[keep],
            "ridit": ridit(x[keep], pop[keep], ascending=ascending).to_numpy(),
            "value": y[keep].to_numpy(), "population": pop[keep].to_numpy()}))
    out = pd.DataFrame(results, columns=["theme", "sii", "ci_low", "ci_high", "intercept",
                                         "n_areas"])
    out.attrs = {"rank_by": rank_by, "stat": stat, "confidence": confidence}
    pts = (pd.concat(points, ignore_index=True) if points else
           pd.DataFrame(columns=["theme", "area_id", "ridit", "value", "population"]))
    return out, pts


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
    socio_source: str | None = None,
    register_note: str | None = None,
) -> str:
    """The «politisk verksted» report as one self-contained HTML document.

    ``inputs``: :func:`soslokal_lib.io.inputs.load_inputs` (the synthetic sample without
    arguments). ``socio``: register facts per area (index or column ``area_id``; columns of
    :data:`FACTS`; an optional kommune row, see :func:`split_socio`); for the sample it defaults
    to :func:`sample_socio`, otherwise the register parts are left out with a note.
    ``seed`` picks the quotes and the weight draws; ``date`` (default today) goes on the title
    page; ``labels`` overrides theme names; ``register_note`` says which register figures are
    not shown and why (:meth:`soslokal_lib.indicators.register_privacy.RegisterProtection.text`).
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
    areas = _area_order(inputs, summary)
    if socio is None and inputs.synthetic and _is_sample(areas):
        socio = sample_socio()
        socio_source = socio_source or _sample_source()
    if socio is not None and socio_source is None:
        socio_source = _sample_source() if inputs.synthetic else t["source_real"]
    if kommune_name is None:
        kommune_name = "Fjordvik" if inputs.synthetic and _is_sample(areas) else None
    kommune = kommune_name or t["kommune_default"]
    names = {a: str(inputs.names.get(a, a)) for a in areas}
    names_total = {**names, "total": kommune_name} if kommune_name else names
    themes = theme_labels(lang, labels)
    ctx = Context(summary=summary, names=names_total, themes=themes, lang=lang, t=t,
                  min_n=min_n, source=inputs.source, labels=labels)

    counts = _respondents(survey, areas)
    facts, pop = (_facts(socio, areas, lang) if socio is not None else ({}, None))
    quotes = _quotes(survey, min_n, seed, themes, t)
    pages = [_page(ctx, a, int(counts.get(a, 0)), facts.get(a), pop, quotes.get(a, []))
             for a in areas]
    parts = overview(ctx, inputs, socio, areas, seed)
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
                                 areas=len(areas)),
        "how": [t[f"how_{i}"].format(min_n=min_n) for i in range(1, 6)],
        "highlights": highlights, "pages": pages, "overview": parts, "has_socio": socio is not None,
        "methods": _methods(ctx, inputs, summary, seed, kommune, socio_source, register_note,
                            parts),
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
    for key, text in TEXT[lang].items():
        for field, value in fields.items():
            text = text.replace(field, value)
        out[key] = text
    return out


def _is_sample(areas: list[str]) -> bool:
    return bool(areas) and all(a.startswith("9901") and len(a) == 8 for a in areas)


def _sample_source() -> str:
    from soslokal_lib.io.socio import SOURCE_SAMPLE

    return SOURCE_SAMPLE


def _area_order(inputs: Inputs, summary: pd.DataFrame) -> list[str]:
    """Every neighbourhood (boundaries, names, survey), in Norwegian alphabetical order."""
    found = {str(a) for a in summary["area_id"].astype(str) if a != "total"}
    found |= {str(a) for a in inputs.names}
    if inputs.areas is not None:
        found |= {str(a) for a in inputs.areas.index}
    key = str.maketrans({"æ": "{", "ø": "|", "å": "}"})
    return sorted(found, key=lambda a: (str(inputs.names.get(a, a)).casefold().translate(key),
                                        a))


def _respondents(survey: Any, areas: list[str]) -> pd.Series:
    from soslokal_lib.stats.respondents import respondent_counts

    table = respondent_counts(survey, ["area_id"])
    return table.set_index("category")["n"].reindex(areas, fill_value=0)


def _date_text(day: dt.date, lang: str) -> str:
    month = MONTHS[lang][day.month - 1]
    return f"{day.day}. {month} {day.year}" if lang == "nb" else f"{day.day} {month} {day.year}"


def _facts(socio: pd.DataFrame, areas: list[str], lang: str
           ) -> tuple[dict[str, list[dict]], pd.Series | None]:
    """Per area the formatted fact rows (value, kommune value, difference and its tone), and
    the population per area."""
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
        for area, v, d, s, tn in zip(areas, values, shown_diff, sign, tone, strict=True):
            dtext = _fact_diff(d, kind, lang)
            out[area].append({
                "label": ind.name(lang) if ind else col,
                "value": _fact_value(v, kind, lang) or TEXT[lang]["facts_missing"],
                "missing": not np.isfinite(v), "kommune": _fact_value(ref, kind, lang),
                "diff": dtext, "tone": str(tn) if dtext else "",
                "arrow": "" if not dtext else "≈" if s == 0 else "▲" if s > 0 else "▼"})
    pop = (pd.to_numeric(per_area["population"], errors="coerce")
           if "population" in per_area.columns else None)
    return out, pop


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
        "hidden_note": "",
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
    return {"theme": ctx.themes.get(row.theme, row.theme), "median": line,
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
             socio_source: str | None, register_note: str | None = None,
             parts: Mapping[str, Any] | None = None) -> dict:
    """The method section: only the parts the report shows (no index or gradient paragraph
    when they are left out, no register data in the index when there were none)."""
    t = ctx.t
    parts = parts or {}
    conf = format_number(100 * summary.attrs.get("confidence", 0.95), ctx.lang, 0)
    weighted = bool(summary.attrs.get("weighted"))
    paras = [("scores", t["m_scores"].format(conf=conf)),
             ("weights", t["m_weighted" if weighted else "m_weights"]),
             ("minn", t["m_minn"].format(min_n=ctx.min_n)),
             ("quotes", t["m_quotes"].format(seed=seed)),
             ("differences", t["m_differences"])]
    if parts.get("rank"):
        index = t["m_index" if parts.get("index_register") else "m_index_survey"]
        paras.append(("index", index.format(d=N_DRAWS)))
    if parts.get("gradient"):
        paras.append(("gradient", t["m_gradient"]))
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
    sources = [prefix.sub("", s) for s in dict.fromkeys([inputs.source, socio_source]) if s]
    return {"paragraphs": paras, "sources": sources}


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
