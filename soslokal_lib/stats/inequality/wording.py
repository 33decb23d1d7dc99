"""Words and numbers for the inequality results' ``text(lang)`` (bokmål default, English).

One sentence per result: the measure by name, its value, what it rests on (n, weights) and its
uncertainty as far as the result knows it (a point estimate says it has no interval; an interval
names its level and method).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from soslokal_lib.numformat import format_number, format_percent, format_significant, lang_key

#: Measure names (as the functions are named) → (bokmål, English).
MEASURES: dict[str, tuple[str, str]] = {
    "gini": ("Gini", "Gini"),
    "theil": ("Theil T", "Theil T"),
    "mld": ("MLD (Theil L)", "MLD (Theil L)"),
    "atkinson": ("Atkinson", "Atkinson"),
    "cv": ("Variasjonskoeffisient", "Coefficient of variation"),
    "s80_s20": ("S80/S20", "S80/S20"),
    "p90_p10": ("P90/P10", "P90/P10"),
    "concentration_index": ("Konsentrasjonsindeks", "Concentration index"),
    "slope_index": ("SII", "SII"),
}

#: Components a bootstrap may pick → (bokmål, English), after the measure's name.
COMPONENTS: dict[str, tuple[str, str]] = {
    "statistic": ("", ""),
    "between": ("mellom grupper", "between groups"),
    "within": ("innenfor grupper", "within groups"),
    "between_share": ("andel mellom grupper", "share between groups"),
    "within_share": ("andel innenfor grupper", "share within groups"),
    "rii": ("RII", "RII"),
}

WORDS = {
    "nb": {
        "ci": "{level} KI", "boot_ci": "{level} bootstrap-KI", "to": "til", "and": "og",
        "areas": "områder", "weighted": "vektet", "unweighted": "uvektet",
        "point": "punktestimat uten konfidensintervall",
        "finite": "med småutvalgskorreksjon",
        "split": "mellom grupper {between} ({bshare}), innenfor {within} ({wshare})",
        "ede": "likt fordelt ekvivalent {ede} (snitt {mean})",
        "quintile": "de øverste 20 % har {top} av summen, de nederste 20 % {bottom}",
        "percentiles": "P90 = {p90}, P10 = {p10}",
        "mean": "snitt {mean}",
        "responses": "svar", "median": "median nivå {m}", "around": "rundt nivå {r}",
        "scale": "skala 1–{k}", "normalised": "normert {v}",
        "conc_pos": "konsentrert blant de bedre stilte",
        "conc_neg": "konsentrert blant de dårligere stilte",
        "conc_zero": "jevnt fordelt langs rangeringen",
        "standard": "ukorrigert C = {c}",
        "corr": {"wagstaff": "Wagstaff-korrigert", "erreygers": "Erreygers-korrigert"},
        "bounds": "grenser {a}–{b}",
        "rii_none": "RII ikke definert (predikert verdi ≤ 0)",
        "robust": "robuste standardfeil ({c})",
        "percentile": "persentilmetoden", "noise": "støykorrigert basic-intervall",
        "resample": {"areas": "områder trukket på nytt",
                     "within": "svar trukket på nytt innenfor områdene"},
        "draws": "{n} trekk", "invalid": "{k} trekk uten verdi utelatt",
        "uncorrected": "ukorrigert {v}",
    },
    "en": {
        "ci": "{level} CI", "boot_ci": "{level} bootstrap CI", "to": "to", "and": "and",
        "areas": "areas", "weighted": "weighted", "unweighted": "unweighted",
        "point": "point estimate, no confidence interval",
        "finite": "with finite-sample correction",
        "split": "between groups {between} ({bshare}), within {within} ({wshare})",
        "ede": "equally distributed equivalent {ede} (mean {mean})",
        "quintile": "the top 20% hold {top} of the total, the bottom 20% {bottom}",
        "percentiles": "P90 = {p90}, P10 = {p10}",
        "mean": "mean {mean}",
        "responses": "responses", "median": "median level {m}", "around": "around level {r}",
        "scale": "scale 1–{k}", "normalised": "normalised {v}",
        "conc_pos": "concentrated among the better-off",
        "conc_neg": "concentrated among the worse-off",
        "conc_zero": "spread evenly along the ranking",
        "standard": "uncorrected C = {c}",
        "corr": {"wagstaff": "Wagstaff-corrected", "erreygers": "Erreygers-corrected"},
        "bounds": "bounds {a}–{b}",
        "rii_none": "RII undefined (a predicted value ≤ 0)",
        "robust": "robust standard errors ({c})",
        "percentile": "percentile method", "noise": "noise-corrected basic interval",
        "resample": {"areas": "areas resampled", "within": "respondents resampled within areas"},
        "draws": "{n} draws", "invalid": "{k} draws without a value left out",
        "uncorrected": "uncorrected {v}",
    },
}


def words(lang: str) -> tuple[str, dict]:
    """``(key, words)`` of ``lang`` (:func:`~soslokal_lib.numformat.lang_key`)."""
    key = lang_key(lang)
    return key, WORDS[key]


def measure_name(measure: str, lang: str, component: str = "statistic") -> str:
    """«Gini», «Theil T, andel mellom grupper»; an unknown measure by its own name."""
    i = 0 if lang_key(lang) == "nb" else 1
    name = MEASURES.get(measure, (measure, measure))[i]
    part = COMPONENTS.get(component, (component, component))[i]
    return f"{name}, {part}" if part else name


def num(value: float | None, lang: str, decimals: int = 3) -> str:
    """``value`` with ``decimals`` decimals (decimal comma in bokmål); «–» when missing."""
    text = format_number(value, lang, decimals)
    return text or "–"


def sig(value: float | None, lang: str) -> str:
    """Three significant digits, never an exponent; «–» when missing."""
    return format_significant(value, lang) or "–"


def pct(share: float | None, lang: str, decimals: int = 0) -> str:
    """A share as a percentage («40 %», «40%»); «–» when missing."""
    return format_percent(share, lang, decimals) or "–"


def level(confidence: float, lang: str) -> str:
    """«95 %» (nb) or «95%» (en)."""
    text = format_number(round(100 * confidence, 6), lang, 1, whole=True)
    return text + (" %" if lang_key(lang) == "nb" else "%")


def interval(low: float, high: float, lang: str, decimals: int = 3) -> str:
    """«0,064 til 0,090» (nb) / «0.064 to 0.090» (en)."""
    return f"{num(low, lang, decimals)} {WORDS[lang_key(lang)]['to']} {num(high, lang, decimals)}"


def basis(n: int, weighted: bool, lang: str, unit: str | None = None) -> str:
    """«n = 12 områder, vektet»."""
    key, w = words(lang)
    unit = w["areas"] if unit is None else unit
    return f"n = {format_number(n, key)} {unit}, {w['weighted'] if weighted else w['unweighted']}"


def one_row(result: object, *, skip: tuple[str, ...] = ()) -> pd.DataFrame:
    """The result's scalar fields (no tables, arrays or models) as a one-row DataFrame."""
    row = {}
    for f in dataclasses.fields(result):
        value = getattr(result, f.name)
        if f.name in skip or isinstance(value, (pd.DataFrame, pd.Series)) or hasattr(
                value, "shape"):
            continue
        row[f.name] = value
    return pd.DataFrame([row])
