"""Sentences for :class:`soslokal_lib.stats.area_differences.AreaDifferences` (bokmål, English).

Imported by :mod:`soslokal_lib.stats.area_differences` (its ``text()``), never the other way:
this module reads the result's fields and knows nothing of how they are computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.numformat import format_percent
from soslokal_lib.stats.models import wording as mt
from soslokal_lib.themes import scale_cutoffs, theme_labels

#: Decimals a statistic is rounded to before it orders anything (same order on every machine);
#: :mod:`soslokal_lib.stats.area_differences` orders with the same value.
DECIMALS = 9

TEXT = {
    "nb": {
        "none_tested": "For få nabolag med svar til å sammenligne dem: minst to nabolag må "
                       "vises på et tema.",
        "differ": "Nabolagene skiller seg tydelig fra hverandre på {k} av {m} tema: {themes} "
                  "(Kruskal–Wallis-test; {corr}).",
        "differ_rest": "På de andre {k} temaene er forskjellene mellom nabolagene ikke større "
                       "enn at de kan skyldes tilfeldigheter.",
        "differ_none": "Nabolagene skiller seg ikke tydelig fra hverandre på noen av de {m} "
                       "temaene (Kruskal–Wallis-test; {corr}). Det betyr ikke at de er like: "
                       "med få svar kan også reelle forskjeller bli borte i usikkerheten.",
        "icc": "{lo}–{hi} % av variasjonen i skårene ligger mellom nabolagene (ICC per tema, "
               "mest for {top}); resten ligger mellom personer i samme nabolag.",
        "icc_one": "{v} % av variasjonen i skårene ligger mellom nabolagene (ICC); resten "
                   "ligger mellom personer i samme nabolag.",
        "lower": "Tydelig lavere skår enn de andre nabolagene: {items}.",
        "higher": "Tydelig høyere skår enn de andre nabolagene: {items}.",
        "no_area": "Ingen nabolag skiller seg tydelig fra resten på noe tema.",
        "area_item": "{area} på {themes}",
        "share": "{theme} ({p1} ga {low}, mot {p2} ellers)",
        "fdr_bh": "q-verdier justert for {m} tester med Benjamini–Hochberg",
        "holm": "p-verdier justert for {m} tester med Holm",
        "fdr_bh_note": "En forskjell kalles tydelig når den justerte q-verdien er under {a}; "
                       "blant alle forskjellene som kalles tydelige, er den forventede andelen "
                       "tilfeldige funn da høyst {pct} (Benjamini–Hochberg over alle {m} "
                       "sammenligningene av et nabolag med resten).",
        "holm_note": "En forskjell kalles tydelig når den justerte p-verdien er under {a}; "
                     "sjansen for at minst ett av funnene er tilfeldig, er da høyst {pct} (Holm "
                     "over alle {m} sammenligningene av et nabolag med resten).",
        "hidden": "Holdt utenfor sammenligningene på de temaene der de ikke vises: {items}.",
        "primary": "for få svar",
        "secondary": "skjult for å beskytte et lite nabolag",
        "hidden_item": "{area} ({k} tema, {why})",
        "and": "og",
        "as_well_as": "samt",
        "q": "q {v}",
    },
    "en": {
        "none_tested": "Too few areas with answers to compare them: at least two areas must "
                       "be shown on a theme.",
        "differ": "The areas differ clearly on {k} of {m} themes: {themes} (Kruskal–Wallis "
                  "test; {corr}).",
        "differ_rest": "On the other {k} themes the differences between areas are no larger "
                       "than chance could explain.",
        "differ_none": "The areas do not differ clearly on any of the {m} themes "
                       "(Kruskal–Wallis test; {corr}). This does not mean they are alike: with "
                       "few answers, real differences can be lost in the uncertainty.",
        "icc": "{lo}–{hi}% of the variation in scores lies between areas (ICC per theme, most "
               "for {top}); the rest lies between people in the same area.",
        "icc_one": "{v}% of the variation in scores lies between areas (ICC); the rest lies "
                   "between people in the same area.",
        "lower": "Clearly lower scores than the other areas: {items}.",
        "higher": "Clearly higher scores than the other areas: {items}.",
        "no_area": "No area differs clearly from the rest on any theme.",
        "area_item": "{area} on {themes}",
        "share": "{theme} ({p1} scored {low}, against {p2} elsewhere)",
        "fdr_bh": "q-values adjusted for {m} tests with Benjamini–Hochberg",
        "holm": "p-values adjusted for {m} tests with Holm",
        "fdr_bh_note": "A difference is called clear when its adjusted q-value is below {a}; "
                       "among all differences called clear, the expected share of chance "
                       "findings is then at most {pct} (Benjamini–Hochberg over all {m} "
                       "comparisons of an area with the rest).",
        "holm_note": "A difference is called clear when its adjusted p-value is below {a}; the "
                     "chance that even one finding is due to chance is then at most {pct} (Holm "
                     "over all {m} comparisons of an area with the rest).",
        "hidden": "Left out of the comparisons on the themes where they are not shown: {items}.",
        "primary": "too few answers",
        "secondary": "hidden to protect a small area",
        "hidden_item": "{area} ({k} themes, {why})",
        "and": "and",
        "as_well_as": "as well as",
        "q": "q {v}",
    },
}


def ordered(themes: pd.DataFrame) -> pd.DataFrame:
    """Themes by rising q-value, then falling H, then official order (rounded first, so the
    order is the same on every machine)."""
    key = themes.assign(_q=themes["q_value"].round(DECIMALS),
                        _h=-themes["statistic"].round(DECIMALS))
    return key.sort_values(["_q", "_h"], kind="stable").drop(columns=["_q", "_h"])


def top_icc(icc: pd.Series) -> str:
    """The theme with the largest ICC (rounded to 4 decimals; ties: official order)."""
    rounded = icc.round(4)
    return str(rounded.index[int(np.argmax(rounded.to_numpy()))])


def percent(value: float, lang: str, decimals: int = 0) -> str:
    """«38 %» (nb) or «38%» (en)."""
    return format_percent(value, lang, decimals)


def join(items: list[str], lang: str) -> str:
    """«a, b og c»; «a; b og c; d» (two items: «a og b samt c») when an item holds the
    conjunction itself («vedlikehold og stell») and no closing parenthesis marks where each item
    ends, so the list cannot be misread."""
    if len(items) < 2:
        return "".join(items)
    word = TEXT[lang]["and"]
    if any(f" {word} " in item for item in items) and not all(i.endswith(")") for i in items):
        if len(items) == 2:
            return f"{items[0]} {TEXT[lang]['as_well_as']} {items[1]}"
        return "; ".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def describe(result: Any, lang: str, *, names: Mapping[str, str] | None = None,
             labels: Mapping[str, str] | None = None) -> str:
    """The sentences of :meth:`AreaDifferences.text` (``result``: an :class:`AreaDifferences`)."""
    t = TEXT[lang]
    names = {**result.names, **(names or {})}
    themes = theme_labels(lang, labels)
    label = {code: themes.get(code, code) for code in result.themes.index}
    lower = {code: text[:1].lower() + text[1:] for code, text in label.items()}
    table = result.themes
    tested = table[table["p_value"].notna()]
    if tested.empty:
        return t["none_tested"]
    alpha_text = mt.num(result.alpha, lang, 2)
    alpha_pct = percent(result.alpha, lang, 0 if round(100 * result.alpha, 6) % 1 == 0 else 1)
    low_cut = scale_cutoffs(result.scale)[0]
    low = f"1–{low_cut}" if low_cut > 1 else "1"
    m = len(tested)
    corr = t[result.correction].format(m=m)
    out = []
    differ = ordered(tested[tested["differ"].fillna(False).astype(bool)])
    if len(differ):
        items = [f"{lower[code]} ({t['q'].format(v=_p(q, lang))})"
                 for code, q in differ["q_value"].items()]
        out.append(t["differ"].format(k=len(differ), m=m, themes=join(items, lang), corr=corr))
        if m > len(differ):
            out.append(t["differ_rest"].format(k=m - len(differ)))
    else:
        out.append(t["differ_none"].format(m=m, corr=corr))
    icc = table["icc"].dropna()
    if len(icc) > 1:
        out.append(t["icc"].format(lo=mt.num(100 * icc.min(), lang, 1),
                                   hi=mt.num(100 * icc.max(), lang, 1), top=lower[top_icc(icc)]))
    elif len(icc) == 1:
        out.append(t["icc_one"].format(v=mt.num(100 * icc.iloc[0], lang, 1)))
    flagged = result.flagged()
    if flagged.empty:
        out.append(t["no_area"])
    for direction in ("lower", "higher"):
        rows = flagged[flagged["direction"] == direction]
        if rows.empty:
            continue
        items = []
        for area, part in rows.groupby(result.by, sort=False):
            shares = [t["share"].format(theme=lower[r.theme], p1=percent(r.share_low, lang),
                                        p2=percent(r.share_low_rest, lang), low=low)
                      for r in part.itertuples(index=False)]
            items.append(t["area_item"].format(area=names.get(area, area),
                                               themes=join(shares, lang)))
        out.append(t[direction].format(items="; ".join(items)))
    n_tests = int(result.areas["p_value"].notna().sum())
    if n_tests:
        out.append(t[f"{result.correction}_note"].format(a=alpha_text, pct=alpha_pct,
                                                         m=n_tests))
    hidden = result.areas[result.areas["suppressed"] & (result.areas["n"] > 0)]
    if len(hidden):
        items = []
        for (area, why), part in hidden.groupby([result.by, "suppression"], sort=False):
            items.append(t["hidden_item"].format(area=names.get(area, area), k=len(part),
                                                 why=t.get(str(why), str(why))))
        out.append(t["hidden"].format(items="; ".join(items)))
    return " ".join(out)


def _p(value: float, lang: str) -> str:
    """«< 0,001», «= 0,012»."""
    if not np.isfinite(value):
        return ""
    return "< " + mt.num(0.001, lang, 3) if value < 0.001 else "= " + mt.num(value, lang, 3)

