"""Labels, numbers and plain-language sentences for the model tables (bokmål and English)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from soslokal_lib.indicator_registry import REGISTRY
from soslokal_lib.numformat import format_number
from soslokal_lib.numformat import lang_key as lang_key  # the one normaliser, as mt.lang_key
from soslokal_lib.themes import THEME_CODES, get_theme

#: Phrases for the socioeconomic columns of soslokal's area tables: (bokmål, English).
PREDICTOR_PHRASES: dict[str, tuple[str, str]] = {
    "low_income_pct": ("andel med lav inntekt", "share with low income"),
    "low_education_pct": ("andel med lav utdanning", "share with low education"),
    "crowded_pct": ("andel trangbodde", "share in crowded housing"),
    "benefits_pct": ("andel arbeidsledige og uføre", "share unemployed or on disability benefits"),
    "immigrant_pct": ("andel innvandrere og norskfødte med innvandrerforeldre",
                      "share of immigrants and Norwegian-born to immigrant parents"),
    "turnout_pct": ("valgdeltakelse", "turnout"),
    "median_income_nok": ("medianinntekt for husholdninger", "median household income"),
    "moving_rate_per_1000": ("flytterate", "moving rate"),
    "population": ("folketall", "population"),
    "deprivation": ("deprivasjon", "deprivation"),
    "age_group": ("aldersgruppe", "age group"),
    "gender": ("kjønn", "gender"),
}

TEXT = {
    "nb": {
        "predictor": "Forklaringsvariabel", "or": "Oddsratio", "ci": "95 % KI",
        "p": "p-verdi", "meaning": "Tolkning", "coef": "Koeffisient",
        "higher": "Høyere", "pp": "prosentpoeng", "kr": "kr", "units": "enheter",
        "per_sd": "per standardavvik, SD = {sd}", "ref": "ref.",
        "assoc": "{Label} henger sammen med {dir} skår på {theme} (OR {or_} {per})",
        "none": "Ingen tydelig sammenheng mellom {label} og skår på {theme} "
                "(OR {or_} {per}; 95 % KI {ci} omfatter 1)",
        "cat": "{Var}: {level} har {dir} skår på {theme} enn {ref} (OR {or_})",
        "cat_none": "{Var}: ingen tydelig forskjell i skår på {theme} mellom {level} og {ref} "
                    "(OR {or_}; 95 % KI {ci} omfatter 1)",
        "lower": "lavere", "higher_dir": "høyere", "score_on": "skår på {theme}", "to": "til",
        "lin": "{Per} {label} henger sammen med {size} {dir} {outcome} "
               "(95 % KI {ci})",
        "lin_none": "Ingen tydelig sammenheng mellom {label} og {outcome} "
                    "({coef} {per}; 95 % KI {ci} omfatter 0)",
        "per_unit": "per {k} {unit}", "per_one": "Per {unit} høyere",
        "note_ord": "Ordinal logistisk regresjon (proporsjonale odds, {distr}), n = {n} svar "
                    "i {areas} områder{dropped}. OR > 1: høyere skår (bedre). {cov}",
        "dropped": " ({k} utelatt pga. manglende verdier)",
        "cluster": "Robuste standardfeil gruppert på område (få områder gir usikre KI).",
        "plain": "Modellbaserte standardfeil.",
        "note_lin": "Regresjon på områdenivå ({kind}), n = {n} områder, R² = {r2}{dropped}. "
                    "Standardfeil: {cov}.",
        "wls": "vektet med {w}", "ols": "uvektet",
        "robust": "robuste ({c})", "nonrobust": "modellbaserte",
    },
    "en": {
        "predictor": "Predictor", "or": "Odds ratio", "ci": "95% CI", "p": "p-value",
        "meaning": "Interpretation", "coef": "Coefficient",
        "higher": "Higher", "pp": "percentage points", "kr": "NOK", "units": "units",
        "per_sd": "per standard deviation, SD = {sd}", "ref": "ref.",
        "assoc": "{Label} is associated with {dir} scores on {theme} (OR {or_} {per})",
        "none": "No clear association between {label} and scores on {theme} "
                "(OR {or_} {per}; 95% CI {ci} includes 1)",
        "cat": "{Var}: {level} has {dir} scores on {theme} than {ref} (OR {or_})",
        "cat_none": "{Var}: no clear difference in scores on {theme} between {level} and {ref} "
                    "(OR {or_}; 95% CI {ci} includes 1)",
        "lower": "lower", "higher_dir": "higher", "score_on": "scores on {theme}", "to": "to",
        "lin": "{Per} {label} is associated with {size} {dir} {outcome} (95% CI {ci})",
        "lin_none": "No clear association between {label} and {outcome} "
                    "({coef} {per}; 95% CI {ci} includes 0)",
        "per_unit": "per {k} {unit}", "per_one": "Per {unit} higher",
        "note_ord": "Ordinal logistic regression (proportional odds, {distr}), n = {n} "
                    "respondents in {areas} areas{dropped}. OR > 1: higher (better) scores. {cov}",
        "dropped": " ({k} left out for missing values)",
        "cluster": "Robust standard errors clustered by area (few areas make CIs uncertain).",
        "plain": "Model-based standard errors.",
        "note_lin": "Area-level regression ({kind}), n = {n} areas, R² = {r2}{dropped}. "
                    "Standard errors: {cov}.",
        "wls": "weighted by {w}", "ols": "unweighted",
        "robust": "robust ({c})", "nonrobust": "model-based",
    },
}


def num(value: float, lang: str, decimals: int = 2) -> str:
    """«0,80» (nb, real minus sign) or «0.80» (en); thousands separated by a thin space (nb):
    :func:`soslokal_lib.numformat.format_number` with two decimals by default."""
    return format_number(value, lang, decimals)


def p_text(p: float, lang: str) -> str:
    if not np.isfinite(p):
        return ""
    return ("<" + num(0.001, lang, 3)) if p < 0.001 else num(p, lang, 3)


def ci_text(low: float, high: float, lang: str, decimals: int = 2) -> str:
    """«0,71–0,90»; «−0,14 til −0,04» when a limit is negative (a dash would read as minus)."""
    sep = f" {TEXT[lang]['to']} " if min(low, high) < 0 else "–"
    return f"{num(low, lang, decimals)}{sep}{num(high, lang, decimals)}"


def label(column: str, lang: str, labels: Mapping[str, str] | None = None) -> str:
    """A lower-case phrase for a predictor: user label, built-in phrase, registry name, column."""
    if labels and column in labels:
        return str(labels[column])
    if column in PREDICTOR_PHRASES:
        return PREDICTOR_PHRASES[column][0 if lang == "nb" else 1]
    for ind in REGISTRY:
        if ind.column == column:
            name = ind.name(lang)
            return name[0].lower() + name[1:]
    return column.replace("_", " ")


def theme_label(column: str, lang: str) -> str:
    if column in THEME_CODES:
        t = get_theme(column)
        name = t.name_nb if lang == "nb" else t.name_en
        return name[0].lower() + name[1:]
    return column.replace("_", " ")


def unit_text(column: str, per: float, sd: float | None, lang: str) -> str:
    """«per 10 prosentpoeng», «per standardavvik (SD = 3,6 prosentpoeng)», «per 1 enheter»."""
    t = TEXT[lang]
    unit = (t["pp"] if column.endswith("_pct") else t["kr"] if column.endswith("_nok")
            else t["units"])
    if sd is not None:
        return t["per_sd"].format(sd=f"{num(sd, lang, 2 if sd < 10 else 0)} {unit}".strip())
    decimals = 0 if float(per).is_integer() else 2
    return t["per_unit"].format(k=num(per, lang, decimals), unit=unit)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
