"""Sentences for :class:`soslokal_lib.stats.rounds.RoundComparison` (bokmål, English).

Imported by :mod:`soslokal_lib.stats.rounds`, never the other way: this module reads the
result's fields and knows nothing of how they are computed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from soslokal_lib._messages import Text, lazy, tr
from soslokal_lib.numformat import format_percent, lang_key
from soslokal_lib.survey import Survey
from soslokal_lib.themes import get_theme

SHOW = 8  #: changed cells listed by name in the text
#: How a sentence names a background variable (``mix_items``, ``describe``).
VARIABLES = {
    "nb": {"area_id": "nabolag", "age_group": "alder", "gender": "kjønn"},
    "en": {"area_id": "area", "age_group": "age", "gender": "gender"},
}

TEXT = {
    "nb": {
        "head": "Endring fra {before} til {after}: {k} av {m} sammenligninger ({what} × tema) "
                "viser en tydelig endring i andelen lave skårer.",
        "none": "Endring fra {before} til {after}: ingen av de {m} sammenligningene ({what} × "
                "tema) viser en tydelig endring i andelen lave skårer. Det betyr ikke at ingen "
                "ting har endret seg: med få svar kan også reelle endringer bli borte i "
                "usikkerheten.",
        "rule": "Tydelig betyr at q-verdien er under {a} (Brunner–Munzel-test av skårene, "
                "justert for {m} tester med Benjamini–Hochberg) og at {pct}-intervallet for "
                "endringen i andelen lave skårer ikke omfatter 0.",
        "item": "{area}, {theme}: {p1} → {p2} lave skårer ({way})",
        "better": "bedre", "worse": "verre",
        "list": "Tydelige endringer: {items}.",
        "more": " … og {n} til",
        "total": "For hele kommunen: {items}.",
        "hidden": "{n} sammenligninger er skjult (for få svar, for å beskytte et lite nabolag, "
                  "eller nabolaget er bare med i én runde).",
    },
    "en": {
        "head": "Change from {before} to {after}: {k} of {m} comparisons ({what} × theme) "
                "show a clear change in the share of low scores.",
        "none": "Change from {before} to {after}: none of the {m} comparisons ({what} × "
                "theme) shows a clear change in the share of low scores. That does not mean "
                "nothing changed: with few answers real changes can be lost in the uncertainty.",
        "rule": "Clear means a q-value below {a} (Brunner–Munzel test of the scores, adjusted "
                "for {m} tests with Benjamini–Hochberg) and a {pct} interval of the change in "
                "the share of low scores that excludes 0.",
        "item": "{area}, {theme}: {p1} → {p2} low scores ({way})",
        "better": "better", "worse": "worse",
        "list": "Clear changes: {items}.",
        "more": " … and {n} more",
        "total": "For the kommune as a whole: {items}.",
        "hidden": "{n} comparisons are hidden (too few answers, to protect a small "
                  "neighbourhood, or the area is in one round only).",
    },
}


def source_name(survey: Survey) -> str:
    """How an error names a survey: its file name, else its round, else «the survey»."""
    source = survey.meta.get("source")
    if source:
        return Path(str(source)).name
    label = survey.meta.get("round")
    return f"round {label}" if label is not None else "the survey"


def mix_items(shifts: list[tuple[str, str, float, float]]) -> Text:
    """«alder 67+: 12 % → 25 %; …» («age 67+: …» in English)."""
    def render(lang: str) -> str:
        words = VARIABLES[lang_key(lang)]
        return "; ".join(f"{words.get(col, col)} {level}: {format_percent(b, lang)} → "
                         f"{format_percent(a, lang)}" for col, level, b, a in shifts)
    return lazy(render)


def describe(result: Any, lang: str = "nb", names: Mapping[str, str] | None = None) -> str:
    key = lang_key(lang)
    names = {str(k): str(v) for k, v in (names or {}).items()
             if str(k) != str(v) and str(k) != "total"}
    w = TEXT[key]
    table = result.table
    by = list(result.by)
    is_total = table[by[0]].astype(str) == "total"
    for col in by[1:]:
        is_total &= table[col].astype(str) == "total"
    areas = table[~is_total]
    tested = areas[~areas["suppressed"] & areas["q_value"].notna()]
    what = " × ".join(VARIABLES[key].get(c, c) for c in by)
    alpha = 1 - result.confidence
    parts = []
    if result.changed:
        parts.append(w["head"].format(before=result.before, after=result.after,
                                      k=result.changed, m=len(tested), what=what))
    else:
        parts.append(w["none"].format(before=result.before, after=result.after,
                                      m=len(tested), what=what))
    parts.append(w["rule"].format(a=_num(alpha, key), m=len(tested),
                                  pct=format_percent(result.confidence, key)))
    flagged = result.flagged()
    rows = flagged[~is_total[flagged.index]]
    if len(rows):
        items = [_item(r, by, w, key, names=names) for _, r in rows.head(SHOW).iterrows()]
        more = w["more"].format(n=len(rows) - SHOW) if len(rows) > SHOW else ""
        parts.append(w["list"].format(items="; ".join(items) + more))
    totals = flagged[is_total[flagged.index]]
    if len(totals):
        parts.append(w["total"].format(items="; ".join(
            _item(r, by, w, key, area=False) for _, r in totals.iterrows())))
    hidden = int((areas["suppressed"] & ((areas["n_before"] > 0) | (areas["n_after"] > 0))).sum())
    if hidden:
        parts.append(w["hidden"].format(n=hidden))
    parts += [tr(n, key) if getattr(result, "named", False) else with_names(tr(n, key), names)
              for n in result.notes]  # notes made with names= name the areas already
    return " ".join(parts)


def with_names(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every area code of ``names`` (as a whole word) replaced by its name
    (``"total"`` and codes that are their own name left alone)."""
    names = {str(k): str(v) for k, v in (names or {}).items()
             if str(k) != str(v) and str(k) != "total"}
    if not names:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(
        re.escape(k) for k in sorted(names, key=len, reverse=True)) + r")(?![\w-])")
    return pattern.sub(lambda m: names[m.group(1)], text)


def _item(row, by, w, key, area: bool = True, names: Mapping[str, str] | None = None) -> str:
    theme = get_theme(str(row["theme"])).name(key)
    names = names or {}
    text = w["item"].format(area=" × ".join(names.get(str(row[c]), str(row[c])) for c in by),
                            theme=theme,
                            p1=format_percent(row["share_low_before"], key),
                            p2=format_percent(row["share_low_after"], key),
                            way=w[str(row["direction"])])
    return text if area else text.split(", ", 1)[1]


def _num(value: float, key: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if key == "nb" else text
