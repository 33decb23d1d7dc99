"""Readable tables from a summary: Norwegian headers, intervals in one cell, suppression spelled out."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from soslokal_lib.plot import _common as c
from soslokal_lib.themes import theme_labels

#: Column headers of :func:`summary_table`, by language.
HEADERS = {
    "nb": {"area": "Område", "theme": "Tema", "n": "Antall svar", "median": "Median (KI)",
           "share_low": "Andel 1–3 (KI)", "share_high": "Andel 5–7 (KI)",
           "mean": "Gjennomsnitt (KI)"},
    "en": {"area": "Area", "theme": "Theme", "n": "Responses", "median": "Median (CI)",
           "share_low": "Share 1–3 (CI)", "share_high": "Share 5–7 (CI)",
           "mean": "Mean (CI)"},
}
_HEADERS = HEADERS  # the former private name


def summary_table(
    summary: pd.DataFrame,
    *,
    theme: str | None = None,
    area: str | None = None,
    by: str = "area_id",
    names: Mapping[str, str] | None = None,
    lang: str = "nb",
    labels: Mapping[str, str] | None = None,
    only_suppressed: bool = False,
) -> pd.DataFrame:
    """Format a ``summarise`` table for reading: one row per area × theme.

    Each statistic is shown with its confidence interval in one cell («5 (4–6)», «23 % (15–33)»);
    a suppressed cell shows «for få svar» (primary) or «skjult for å beskytte et lite nabolag»
    (secondary) and nothing else.
    Filter with ``theme`` (a code) and/or ``area``; ``only_suppressed`` lists the hidden cells.
    """
    lang = c.language(lang)
    text, head = c.TEXT[lang], HEADERS[lang]
    rows = summary
    if theme is not None:
        rows = rows[rows["theme"] == theme]
    if area is not None:
        rows = rows[rows[by] == area]
    if only_suppressed:
        rows = rows[rows["suppressed"].astype(bool)]
    hidden = rows["suppressed"].astype(bool).to_numpy()
    secondary = (rows["suppression"] == "secondary").fillna(False).to_numpy(dtype=bool)
    reason = pd.Series(text["too_few"], index=rows.index).where(~secondary, text["hidden"])

    def interval(stat: str, percent: bool) -> pd.Series:
        scale, decimals = (100.0, 0) if percent else (1.0, 1)
        unit = " %" if percent and lang == "nb" else ("%" if percent else "")

        def f(col: str) -> pd.Series:
            # object dtype: with no rows (no suppressed cell) map() would keep float64, and
            # adding the text pieces would fail
            return (rows[col] * scale).map(lambda v: c.fmt(v, lang, decimals)).astype(object)

        cell = f(stat) + unit + " (" + f(f"{stat}_ci_low") + "–" + f(f"{stat}_ci_high") + ")"
        return cell.where(~hidden, reason)

    areas = rows[by].astype(str)
    area_names = areas.map(lambda a: c.area_label(a, lang, names))
    out = pd.DataFrame({
        head["area"]: area_names,
        head["theme"]: rows["theme"].map(theme_labels(lang, labels)),
        head["n"]: rows["n"].astype("Int64"),
        head["median"]: interval("median", False),
        head["share_low"]: interval("share_low", True),
        head["share_high"]: interval("share_high", True),
        head["mean"]: interval("mean", False),
    })
    return out.reset_index(drop=True)


_ROLE_LABELS = {
    "nb": {"respondent_id": "svar-ID", "area_id": "område", "age_group": "aldersgruppe",
           "gender": "kjønn", "weight": "vekt", "other": "andre innspill",
           "good": "bra nå", "improve": "kan bli bedre", None: "ikke lest"},
    "en": {"respondent_id": "response id", "area_id": "area", "age_group": "age group",
           "gender": "gender", "weight": "weight", "other": "other comments",
           "good": "good now", "improve": "could be better", None: "not read"},
}


def column_table(survey, *, lang: str = "nb",
                 labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """How each column of the export was read (``survey.meta["columns"]``), in words: the
    header in the file and what soslokal reads it as («Trygghet», «område», «Trygghet: kan bli
    bedre», «ikke lest»)."""
    lang = c.language(lang)
    words = _ROLE_LABELS[lang]
    themes = theme_labels(lang, labels)

    def read_as(target: str | None) -> str:
        if target is None or target in words:
            return words[target]
        theme, _, kind = str(target).partition(":")
        name = themes.get(theme, theme)
        return f"{name}: {words.get(kind, kind)}" if kind else name

    columns = survey.meta.get("columns", {})
    head = ("Overskrift i fila", "Lest som") if lang == "nb" else ("Header in the file",
                                                                    "Read as")
    return pd.DataFrame({head[0]: list(columns), head[1]: [read_as(t) for t in
                                                           columns.values()]})


def inputs_text(inputs, *, lang: str = "nb", min_n: int | None = None) -> str:
    """One paragraph on what was read: respondents, areas, themes, comments, the scale, and the
    areas merged (:mod:`soslokal_lib.stats.areamerge`). With ``min_n`` the comments counted are
    those the report publishes (:func:`soslokal_lib.text.published_comments`: areas with at
    least ``min_n`` respondents), so no small area's number follows by subtraction."""
    from soslokal_lib.stats.areamerge import AreaMerge

    lang = c.language(lang)
    survey = inputs.survey
    n_areas = survey.responses["area_id"].dropna().nunique()
    comments = survey.comments
    if comments is not None and min_n is not None:
        from soslokal_lib.text import published_comments

        comments = published_comments(comments, survey.responses, min_n=min_n)
    n_comments = len(comments) if comments is not None else 0
    where = ("" if min_n is None else f" fra nabolag med minst {min_n} svar" if lang == "nb"
             else f" from areas with at least {min_n} respondents")
    if lang == "nb":
        text = (f"{c.fmt(len(survey.responses), lang, 0)} svar fra {n_areas} nabolag på "
                f"{len(survey.themes)} tema (skala 1–{survey.scale}), "
                f"{c.fmt(n_comments, lang, 0)} fritekstsvar{where}.")
    else:
        text = (f"{c.fmt(len(survey.responses), lang, 0)} responses from {n_areas} areas on "
                f"{len(survey.themes)} themes (scale 1–{survey.scale}), "
                f"{c.fmt(n_comments, lang, 0)} free-text comments{where}.")
    plan = AreaMerge.from_meta(survey.meta.get("area_merge"))
    if plan is not None:
        text += " " + plan.text(lang)
    return text
