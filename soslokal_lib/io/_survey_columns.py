"""Recognise the column headers of a Stedskompasset export (bokmål and English).

:func:`canonical_name` turns a header into a canonical name (a theme code, ``area_id``,
``respondent_id``, ``age_group``, ``gender``, ``weight``, ``<theme>:good``,
``<theme>:improve`` or ``other``) or ``None``; :func:`theme_lookalike` spots a header that looks
like a theme but is not one; :func:`suggestions` proposes known names for the rest.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from ..errors import SoslokalError
from ..themes import THEME_CODES, THEMES, get_theme, normalise_label, split_numbering

ROLES = ("respondent_id", "area_id", "age_group", "gender", "weight")

ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "respondent_id": ("respondent_id", "Respondent-ID", "RespondentID", "Respondent ID", "ID",
                      "Svar-ID", "SvarID", "Svar ID", "Response ID", "ResponseID", "Svarnummer",
                      "Løpenummer"),
    "area_id": ("area_id", "Hvilket område bor du i?", "Hvilket område bor du i", "Område",
                "Bydel", "Nabolag", "Delområde", "Boområde", "Grunnkrets", "Hvor bor du?",
                "Area", "Neighbourhood", "Neighborhood", "Which area do you live in?",
                "Where do you live?"),
    "age_group": ("age_group", "Alder", "Aldersgruppe", "Hvor gammel er du?", "Age",
                  "Age group", "Age band"),
    "gender": ("gender", "Kjønn", "Hva er ditt kjønn?", "Gender", "Sex"),
    "weight": ("weight", "Vekt", "Vekting", "Vektfaktor", "Weight"),
}

OTHER_ALIASES = ("other", "comments:other", "Andre kommentarer", "Andre innspill",
                 "Øvrige kommentarer", "Kommentarer", "Kommentar", "Other comments",
                 "Any other comments", "Comments")

_COMMENT_MARKERS = {
    "good": ("Hva er bra nå?", "Hva er bra?", "Hva er godt nå?", "What is good?",
             "What's good?", "What is good now?", "What works well?"),
    "improve": ("Hva kan bli bedre?", "Hva kan forbedres?", "Hva kunne vært bedre?",
                "What could be better?", "What could be improved?", "What could improve?",
                "What could be done better?", "What can be improved?"),
}


@lru_cache(maxsize=1)
def _role_index() -> dict[str, str]:
    index = {normalise_label(a): role for role, aliases in ROLE_ALIASES.items() for a in aliases}
    index.update({normalise_label(a): "other" for a in OTHER_ALIASES})
    return index


@lru_cache(maxsize=1)
def _question_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for t in THEMES:
        for lang in ("nb", "en"):
            question = normalise_label(t.question(lang))
            index[question] = t.code
            index[f"{normalise_label(t.name(lang))} {question}"] = t.code
    return index


@lru_cache(maxsize=1)
def _marker_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = [(kind, normalise_label(m)) for kind, ms in _COMMENT_MARKERS.items() for m in ms]
    found.sort(key=lambda km: -len(km[1]))
    return [(kind, re.compile(rf"(?<!\w){re.escape(m)}(?!\w)")) for kind, m in found]


@lru_cache(maxsize=1)
def _theme_keys() -> dict[str, str]:
    """Normalised theme names and aliases → theme code (no questions, no numbers)."""
    keys: dict[str, str] = {}
    for t in THEMES:
        for name in (t.name_nb, t.name_en, t.code.replace("_", " "), *t.aliases):
            keys[normalise_label(name)] = t.code
    return keys


def _theme_code(text: str) -> str | None:
    text = text.strip()
    if not text or text.isdigit():
        return None  # a bare number is too weak a hint; map it with columns=
    try:
        return get_theme(text).code
    except SoslokalError:
        _, rest = split_numbering(text)
        return _question_index().get(normalise_label(rest))


def _comment_split(header: str) -> tuple[str, str] | None:
    """``(kind, theme part)`` when the header asks what is good / could be better."""
    norm = normalise_label(header)
    for kind, pattern in _marker_patterns():
        if pattern.search(norm):
            return kind, " ".join(pattern.sub(" ", norm).split())
    return None


def canonical_name(header: str) -> str | None:
    """Canonical name for a column header, or ``None`` when it is not recognised."""
    norm = normalise_label(header)
    if not norm:
        return None
    _, rest = split_numbering(header)
    index = _role_index()
    for key in (norm, normalise_label(rest)):
        if key in index:
            return index[key]
    comment = _comment_split(header)
    if comment:
        kind, theme_part = comment
        if not theme_part:
            return None
        number, rest_part = split_numbering(theme_part)
        code = _theme_code(theme_part)
        if code is None and number is not None and not rest_part.strip() and 1 <= number <= 14:
            code = THEME_CODES[number - 1]  # "3 – Hva er bra nå?"
        return f"{code}:{kind}" if code else None
    return _theme_code(header)


def theme_lookalike(header: str) -> str | None:
    """The theme a header nearly names ("7. Tjenster og tilbud"), if it is not one exactly."""
    comment = _comment_split(header)
    text = comment[1] if comment else header
    _, rest = split_numbering(text)
    key = normalise_label(rest)
    if not key or key.isdigit():
        return None
    keys = _theme_keys()
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.8)
    if not close:
        return None
    theme = get_theme(keys[close[0]])
    return f"{theme.name_nb!r} ({theme.code}{':' + comment[0] if comment else ''})"


@lru_cache(maxsize=1)
def _display_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for t in THEMES:
        for name in (t.name_nb, t.name_en):
            names[normalise_label(name)] = f"{name} ({t.code})"
    for role, aliases in ROLE_ALIASES.items():
        for alias in aliases[1:]:
            names[normalise_label(alias)] = f"{alias} ({role})"
    for alias in OTHER_ALIASES[2:]:
        names[normalise_label(alias)] = f"{alias} (other)"
    return names


def suggestions(header: str, n: int = 3) -> list[str]:
    """Known names close to ``header`` (difflib), for unmatched columns."""
    _, rest = split_numbering(header)
    names = _display_names()
    close = difflib.get_close_matches(normalise_label(rest), list(names), n=n, cutoff=0.7)
    return [names[c] for c in close]


def parse_target(value: str | None) -> str | None:
    """Validate a value of ``columns=`` and return its canonical spelling.

    Accepts a theme (code, number or name), a role, ``<theme>:good``/``<theme>:improve``,
    ``other``/``comments:other``, or ``None`` (ignore the column).
    """
    if value is None:
        return None
    text = str(value).strip()
    key = text.casefold()
    if key in ROLES:
        return key
    if key in ("other", "comments:other"):
        return "other"
    theme_part, _, kind = text.rpartition(":")
    if theme_part and kind.strip().casefold() in ("good", "improve"):
        return f"{get_theme(theme_part).code}:{kind.strip().casefold()}"
    return get_theme(text).code
