"""Recognise the column headers of a Stedskompasset export (bokmål and English).

:func:`match_header` says what a header names by itself (a role, a theme by its words or by
its number in the standard order, a comment on a theme or a general comment);
:func:`canonical_name` turns that into a canonical name (a theme code, ``area_id``,
``respondent_id``, ``age_group``, ``gender``, ``weight``, ``<theme>:good``,
``<theme>:improve``, ``good``/``improve`` (general comments) or ``other``) or ``None``;
:func:`theme_lookalike` spots a header that looks like a theme but is not one;
:func:`suggestions` proposes known names for the rest.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from soslokal_lib.themes import THEME_CODES, THEMES, get_theme, normalise_label, split_numbering

ROLES = ("respondent_id", "area_id", "age_group", "gender", "weight", "round")

ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "respondent_id": ("respondent_id", "Respondent-ID", "RespondentID", "Respondent ID", "ID",
                      "Svar-ID", "SvarID", "Svar ID", "Response ID", "ResponseID", "Svarnummer",
                      "Løpenummer"),
    "area_id": ("area_id", "Hvilket område bor du i?", "Hvilket område bor du i", "Område",
                "Bydel", "Nabolag", "Delområde", "Boområde", "Grunnkrets", "Hvor bor du?",
                "Hvor bor du", "Hvor i kommunen bor du?", "Bosted", "Area", "Neighbourhood",
                "Neighborhood", "Which area do you live in?", "Which neighbourhood do you "
                "live in?", "Where do you live?"),
    "age_group": ("age_group", "Alder", "Aldersgruppe", "Hvor gammel er du?", "Age",
                  "Age group", "Age band"),
    "gender": ("gender", "Kjønn", "Hva er ditt kjønn?", "Gender", "Sex"),
    "weight": ("weight", "Vekt", "Vekting", "Vektfaktor", "Weight"),
    "round": ("round", "Runde", "Undersøkelsesrunde", "År", "Årstall", "Undersøkelsesår",
              "Year", "Survey round", "Survey year"),
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


#: Places a survey asks for (folded by :func:`normalise_label`).
_AREA_NOUNS = ("område", "nabolag", "bydel", "grunnkrets", "delområde", "boområde", "sone",
               "levekårssone", "krets", "lokalsamfunn")
_NOUN = "(?:" + "|".join(_AREA_NOUNS) + ")"
_WHICH = "(?:hvilken|hvilket|eller|og)"
#: An area question in its common forms, several nouns joined by slashes included: «Hvilken
#: grunnkrets/hvilket område bor du i?», «Hvilket område/nabolag bor du i?», «Bydel/område».
_AREA_QUESTION = re.compile(
    rf"^(?:i )?(?:{_WHICH} )?{_NOUN}(?: (?:{_WHICH} ){{0,2}}{_NOUN})*"
    r"(?: (?:bor du(?: i)?|hører du til|tilhører du))?$")


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


_PREFIXED = re.compile(r"^\s*(?:spm|spørsmål|sporsmal|q|question|tema|theme)\.?\s*\d",
                       re.IGNORECASE)
_PUNCTUATED = re.compile(r"^\s*\d{1,2}\s*[.):\-–—]")


@dataclass(frozen=True)
class HeaderMatch:
    """What a header says by itself, before the file as a whole is looked at.

    ``target``: the canonical name it proposes (a numbered theme header by its number in the
    standard order), or ``None``; ``how``: ``role``, ``name`` (a theme named by its words),
    ``number``, ``comment``, ``general_comment`` or ``none``; ``number``: the question number,
    if the header is numbered; ``named``: the theme its words name exactly; ``lookalike``: the
    theme its words nearly name (when not exactly); ``kind``: ``good``/``improve`` for comment
    headers; ``strong``: numbered with a word (``Spm 3``, ``Q3``) or punctuation (``3.``),
    which a labelled score such as «7 – Lite å forbedre» is not.
    """

    target: str | None
    how: str
    number: int | None = None
    named: str | None = None
    lookalike: str | None = None
    kind: str | None = None
    strong: bool = False

    @property
    def theme(self) -> str | None:
        """The theme code of ``target`` (``None`` for roles and general comments)."""
        if self.target is None or self.how in ("role", "general_comment"):
            return None
        return self.target.partition(":")[0]


def _wording_theme(text: str) -> str | None:
    """The theme the words name exactly (name, alias, 2015 name or question), else ``None``."""
    key = normalise_label(text)
    if not key:
        return None
    return _theme_keys().get(key) or _question_index().get(key)


def _lookalike_code(text: str) -> str | None:
    key = normalise_label(text)
    if not key or key.isdigit():
        return None
    keys = _theme_keys()
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.8)
    return keys[close[0]] if close else None


def _comment_split(header: str) -> tuple[str, str] | None:
    """``(kind, theme part)`` when the header asks what is good / could be better."""
    norm = normalise_label(header)
    for kind, pattern in _marker_patterns():
        if pattern.search(norm):
            return kind, " ".join(pattern.sub(" ", norm).split())
    return None


def _numbered(text: str) -> tuple[int | None, str, bool]:
    number, rest = split_numbering(text)
    if number is None:
        return None, text, False
    strong = bool(_PREFIXED.match(text) or _PUNCTUATED.match(text) or normalise_label(rest))
    return number, rest, strong


def match_header(header: str) -> HeaderMatch | None:
    """What ``header`` says by itself (see :class:`HeaderMatch`); ``None`` for a blank header."""
    norm = normalise_label(header)
    if not norm:
        return None
    number, rest, strong = _numbered(header)
    index = _role_index()
    for key in (norm, normalise_label(rest)):
        if key in index:
            return HeaderMatch(index[key], "role", number, strong=strong)
        if key and _AREA_QUESTION.match(key):
            return HeaderMatch("area_id", "role", number, strong=strong)
    comment = _comment_split(header)
    if comment:
        kind, part = comment
        cnum, crest, _ = _numbered(part) if part else (None, "", False)
        named = _wording_theme(crest)
        look = None if named else _lookalike_code(crest)
        if cnum is not None and 1 <= cnum <= len(THEME_CODES):
            return HeaderMatch(f"{THEME_CODES[cnum - 1]}:{kind}", "comment", cnum, named, look,
                               kind, True)
        if named:
            return HeaderMatch(f"{named}:{kind}", "comment", cnum, named, None, kind, True)
        if look:
            return HeaderMatch(None, "comment", cnum, None, look, kind, True)
        return HeaderMatch(kind, "general_comment", cnum, kind=kind, strong=True)
    named = _wording_theme(rest)
    look = None if named else _lookalike_code(rest)
    if number is not None and 1 <= number <= len(THEME_CODES) and strong:
        return HeaderMatch(THEME_CODES[number - 1], "number", number, named, look, strong=True)
    if named:
        return HeaderMatch(named, "name", number, named, strong=True)
    return HeaderMatch(None, "none", number, None, look, strong=strong)


def canonical_name(header: str) -> str | None:
    """Canonical name for a column header by itself, or ``None`` when it is not recognised.

    A numbered header (``Spm 7 – own wording``, ``7.``, ``Q7``) gives the theme of its number
    in the standard order; :func:`soslokal_lib.io.survey.read_survey` then checks the file's
    numbering as a whole.
    """
    match = match_header(header)
    return None if match is None else match.target


def looks_like_header(cell: str) -> bool:
    """Whether a cell looks like a known column header (for finding the header row); a
    labelled score such as «7 – Lite å forbedre» does not."""
    match = match_header(cell)
    return match is not None and match.target is not None and (
        match.how != "number" or match.named is not None or _PREFIXED.match(cell) is not None)


def theme_lookalike(header: str) -> str | None:
    """The theme a header nearly names ("Tjenster og tilbud"), if it is not one exactly."""
    match = match_header(header)
    if match is None or match.lookalike is None:
        return None
    theme = get_theme(match.lookalike)
    kind = f":{match.kind}" if match.kind else ""
    return f"{theme.name_nb!r} ({theme.code}{kind})"


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


def parse_target(value: str | bool | None) -> str | None:
    """Validate a value of ``columns=`` and return its canonical spelling.

    Accepts a theme (code, number or name), a role, ``<theme>:good``/``<theme>:improve``,
    ``good``/``improve`` (comments on no particular theme), ``other``/``comments:other``, or
    ``None`` or ``False`` (ignore the column, as ``false`` in TOML).
    """
    if value is None or value is False:
        return None
    text = str(value).strip()
    key = text.casefold()
    if key in ROLES:
        return key
    if key in ("other", "comments:other"):
        return "other"
    if key in ("good", "improve", "comments:good", "comments:improve"):
        return key.rpartition(":")[2]
    theme_part, _, kind = text.rpartition(":")
    if theme_part and kind.strip().casefold() in ("good", "improve"):
        return f"{get_theme(theme_part).code}:{kind.strip().casefold()}"
    return get_theme(text).code
