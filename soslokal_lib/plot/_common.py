"""Shared helpers for the figures: reading a summary table, wording and number formatting.

Nothing here imports matplotlib; the figure modules import it inside their functions.
Presentation reads statistics from the summary table and never computes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number, lang_key
from soslokal_lib.themes import SCALES, THEME_CODES

TOTAL = "total"
COMPASS_STATS = ("median", "mean")
TABLE_STATS = ("median", "mean", "share_low", "share_high")

TEXT = {
    "nb": {
        "total": "Hele kommunen",
        "median": "median",
        "mean": "gjennomsnitt (ordinale skårer)",
        "share_low": "andel lave skårer",
        "share_high": "andel høye skårer",
        "too_few": "for få svar",
        "hidden": "skjult for å beskytte et lite nabolag",
        "hidden_short": "skjult",
        "hidden_long": "skjult for å beskytte et lite nabolag",
        "n_note": "n = flest svar på ett tema; den som svarte «vet ikke» eller hoppet over et "
                  "tema, teller ikke der",
        "no_data": "ingen data",
        "ci": "konfidensintervall",
        "weighted": "vektet",
        "compass": "Stedskompasset",
        "per_area": "per område",
        "per_theme": "per tema",
        "low_high": "{lo} = mye å forbedre (sentrum), {hi} = lite å forbedre (ytterkant)",
        "low_high_short": "{lo} = mye å forbedre, {hi} = lite å forbedre",
        "blank": "Tomt felt = for få svar",
        "source": "Kilde",
        "theme_key": "Tema",
        "respondents": "Hvem svarte?",
        "respondents_x": "Antall svar",
        "area": "Område",
    },
    "en": {
        "total": "Whole municipality",
        "median": "median",
        "mean": "mean (ordinal scores)",
        "share_low": "share of low scores",
        "share_high": "share of high scores",
        "too_few": "too few responses",
        "hidden": "hidden to protect a small neighbourhood",
        "hidden_short": "hidden",
        "hidden_long": "hidden to protect a small neighbourhood",
        "n_note": "n = most responses to one theme; «don't know» and skipped themes do not "
                  "count there",
        "no_data": "no data",
        "ci": "confidence interval",
        "weighted": "weighted",
        "compass": "Place Standard",
        "per_area": "by area",
        "per_theme": "by theme",
        "low_high": "{lo} = much to improve (centre), {hi} = little to improve (rim)",
        "low_high_short": "{lo} = much to improve, {hi} = little to improve",
        "blank": "Empty cell = too few responses",
        "source": "Source",
        "theme_key": "Theme",
        "respondents": "Who responded?",
        "respondents_x": "Number of responses",
        "area": "Area",
    },
}


def language(lang: str) -> str:
    """Normalise ``lang`` to "nb" or "en" (:func:`soslokal_lib.numformat.lang_key`; raises
    :class:`ValueError` otherwise)."""
    return lang_key(lang)


def check_summary(summary: pd.DataFrame, by: str, stat: str, stats: Sequence[str]) -> pd.DataFrame:
    """Validate a long summary table for plotting and return it with string by-values."""
    if not isinstance(summary, pd.DataFrame):
        raise SoslokalError(
            "The summary must be the DataFrame returned by summarise(). "
            f"Got {type(summary).__name__}."
        )
    if stat not in stats:
        raise SoslokalError(
            f"Unknown statistic {stat!r}. Fix: use one of {', '.join(map(repr, stats))}."
        )
    needed = [by, "theme", stat, "suppressed"]
    missing = [c for c in needed if c not in summary.columns]
    if missing:
        raise SoslokalError(
            f"The summary table lacks column(s) {', '.join(map(repr, missing))}. "
            f"Fix: pass the table returned by summarise(survey, by={by!r})."
        )
    unknown = sorted(set(summary["theme"].astype(str)) - set(THEME_CODES))
    if unknown:
        raise SoslokalError(
            f"The summary table has unknown theme code(s) {', '.join(map(repr, unknown[:5]))}. "
            "Fix: use the theme codes of soslokal_lib.themes.THEME_CODES."
        )
    table = summary.assign(**{by: summary[by].astype(str), "theme": summary["theme"].astype(str)})
    if table.duplicated([by, "theme"]).any():
        raise SoslokalError(
            f"The summary table has more than one row per {by!r} and theme (was it grouped by "
            f"several columns?). Fix: filter it to one row per {by!r} and theme, or pass by=."
        )
    return table


def themes_in(table: pd.DataFrame) -> list[str]:
    """Theme codes present in the table, in official order."""
    present = set(table["theme"])
    return [code for code in THEME_CODES if code in present]


def by_values(table: pd.DataFrame, by: str) -> list[str]:
    """By-values in order of first appearance, the whole-survey row excluded."""
    return [v for v in pd.unique(table[by]) if v != TOTAL]


def check_area(table: pd.DataFrame, by: str, area: object, what: str = "area") -> str:
    """Return ``area`` as a string if the table has rows for it; else list the valid ones."""
    key = str(area)
    valid = list(pd.unique(table[by]))
    if key not in valid:
        shown = ", ".join(repr(v) for v in valid[:20])
        more = f" … and {len(valid) - 20} more" if len(valid) > 20 else ""
        raise SoslokalError(
            f"No {what} {key!r} in column {by!r} of the summary. "
            f"Fix: use one of {shown}{more}."
        )
    return key


def cell_values(table: pd.DataFrame, by: str, area: str, column: str,
                themes: Sequence[str]) -> np.ndarray:
    """``column`` for one area in theme order as floats; suppressed cells become NaN."""
    rows = table[table[by] == area].set_index("theme").reindex(list(themes))
    values = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.where(suppressed_mask(rows), np.nan, values)


def suppressed_mask(rows: pd.DataFrame) -> np.ndarray:
    """Boolean array: True where a row is marked suppressed (missing marks count as False)."""
    return rows["suppressed"].astype("boolean").fillna(False).to_numpy(dtype=bool)


def secondary_mask(rows: pd.DataFrame) -> np.ndarray:
    """True where a suppressed row was hidden to protect another cell (``"secondary"``)."""
    if "suppression" not in rows.columns:
        return np.zeros(len(rows), dtype=bool)
    kind = rows["suppression"].astype("string").fillna("").str.casefold().to_numpy(dtype=str)
    return suppressed_mask(rows) & (kind == "secondary")


def max_n(table: pd.DataFrame, by: str, area: str) -> int | None:
    """Largest respondent count across themes for ``area`` (None if the table has no ``n``)."""
    if "n" not in table.columns:
        return None
    n = pd.to_numeric(table.loc[table[by] == area, "n"], errors="coerce").max()
    return None if pd.isna(n) else int(n)


def resolve_scale(table: pd.DataFrame, scale: int | None) -> int:
    """Points on the scale: ``scale`` if given, else ``attrs["scale"]``, else 3 if every
    score statistic is at most 3, else 7."""
    if scale is None:
        scale = table.attrs.get("scale")
    if scale is None:
        columns = [c for c in ("median", "mean", "median_ci_high", "mean_ci_high")
                   if c in table.columns]
        values = table[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float,
                                                                              na_value=np.nan)
        top = np.nanmax(values) if np.isfinite(values).any() else np.nan
        scale = 3 if np.isfinite(top) and top <= 3 else 7
    if int(scale) not in SCALES:
        raise SoslokalError(f"Unsupported scale of {scale!r} points. Fix: use scale=7 or scale=3.")
    return int(scale)


def area_label(area: str, lang: str, names: Mapping[str, str] | None = None,
               table: pd.DataFrame | None = None, by: str = "area_id") -> str:
    """Display name for an area: ``names``, then an ``area_name`` column, then the id."""
    if area == TOTAL:
        return (names or {}).get(TOTAL, TEXT[lang]["total"])
    if names and area in names:
        return str(names[area])
    if table is not None and "area_name" in table.columns:
        found = table.loc[table[by] == area, "area_name"].dropna()
        if len(found):
            return str(found.iloc[0])
    return area


def with_n(label: str, n: int | None) -> str:
    """``"Sentrum (n = 73)"``."""
    return label if n is None else f"{label} (n = {n})"


def fmt(value: float, lang: str, decimals: int = 1) -> str:
    """Format a number with a decimal comma in bokmål; whole numbers without decimals
    (:func:`soslokal_lib.numformat.format_number`)."""
    return format_number(value, lang, decimals, whole=True)


def blank_note(table: pd.DataFrame, lang: str, min_n: int | None = None) -> str:
    """«Tomt felt = for få svar (n < 5)»; the threshold from ``min_n`` or ``attrs``."""
    min_n = min_n if min_n is not None else table.attrs.get("min_n")
    note = TEXT[lang]["blank"]
    note = f"{note} (n < {int(min_n)})" if min_n is not None else note
    if secondary_mask(table).any():
        note += f" {'eller' if lang == 'nb' else 'or'} {TEXT[lang]['hidden_long']}"
    return note


def too_few_label(table: pd.DataFrame, lang: str, min_n: int | None = None) -> str:
    """«for få svar (n < 5)» when the threshold is known."""
    min_n = min_n if min_n is not None else table.attrs.get("min_n")
    label = TEXT[lang]["too_few"]
    return f"{label} (n < {int(min_n)})" if min_n is not None else label


def is_weighted(table: pd.DataFrame) -> bool:
    """True if the summary says its statistics are weighted."""
    if "weighted" not in table.columns:
        return False
    return bool(table["weighted"].astype("boolean").fillna(False).any())


def caption(parts: Sequence[str | None], lang: str, source: str | None) -> str:
    """Join note parts and «Kilde: …» into one caption line."""
    text = ". ".join(p.rstrip(".") for p in parts if p)
    if source:
        source = str(source).strip()
        if not source.casefold().startswith(("kilde", "source")):
            source = f"{TEXT[lang]['source']}: {source}"
        text = f"{text}. {source}" if text else source
    return f"{text}." if text and not text.endswith(".") else text
