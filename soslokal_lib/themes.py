"""The 14 themes of Stedskompasset (the Place Standard Tool), in official order.

English names and questions follow the 2021 Scottish version; the 2015 names are aliases.
The bokmål names and questions are **a working translation by this project**: the official
Norwegian wording is distributed to member municipalities by Fremsam and is not public.
A municipality can override every label and question with :func:`load_theme_overrides`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from soslokal_lib._messages import msg
from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import lang_key

#: Number of points on a survey's scale: 7 (standard and young people's versions), 3 (children's).
SCALES = (7, 3)


@dataclass(frozen=True)
class Theme:
    """One Stedskompasset theme."""

    code: str
    number: int
    name_en: str
    name_nb: str
    question_en: str
    question_nb: str
    aliases: tuple[str, ...] = field(default=())

    def name(self, lang: str = "nb") -> str:
        """The theme's name in ``lang`` ("nb" or "en")."""
        return self.name_nb if lang_key(lang) == "nb" else self.name_en

    def question(self, lang: str = "nb") -> str:
        """The theme's main question in ``lang`` ("nb" or "en")."""
        return self.question_nb if lang_key(lang) == "nb" else self.question_en


THEMES: tuple[Theme, ...] = (
    Theme("moving_around", 1, "Moving around", "Å bevege seg rundt",
          "Can I easily walk and cycle around using good-quality routes?",
          "Kan jeg enkelt gå og sykle rundt på gode ruter?",
          ("Gange og sykling", "Bevege seg rundt", "Walking and cycling")),
    Theme("public_transport", 2, "Public transport", "Kollektivtransport",
          "Does public transport meet my needs?",
          "Dekker kollektivtransporten mine behov?",
          ("Kollektivtilbud", "Offentlig transport")),
    Theme("traffic_parking", 3, "Traffic and parking", "Trafikk og parkering",
          "Do traffic and parking arrangements allow people to move around safely and meet "
          "the community's needs?",
          "Gjør trafikk- og parkeringsforholdene det trygt å ferdes, og dekker de "
          "lokalsamfunnets behov?",
          ("Trafikk", "Parkering")),
    Theme("streets_spaces", 4, "Streets and spaces", "Gater og offentlige rom",
          "Do buildings, streets and public spaces create an attractive place that is easy "
          "to get around?",
          "Skaper bygninger, gater og offentlige rom et attraktivt sted som er lett å "
          "orientere seg i?",
          ("Gater og plasser", "Gater og uterom", "Bygninger, gater og offentlige rom")),
    Theme("natural_space", 5, "Natural space", "Natur og grøntområder",
          "Can I regularly experience good-quality natural space?",
          "Har jeg jevnlig tilgang til natur og grøntområder av god kvalitet?",
          ("Natural spaces", "Naturområder", "Grøntområder", "Natur")),
    Theme("play_recreation", 6, "Play and recreation", "Lek og rekreasjon",
          "Can I access a range of spaces with opportunities for play and recreation?",
          "Har jeg tilgang til ulike steder for lek og rekreasjon?",
          ("Lek og fritid", "Play and recreation spaces")),
    Theme("facilities_services", 7, "Facilities and services", "Tjenester og tilbud",
          "Do facilities and services meet my needs?",
          "Dekker tjenestene og tilbudene i området mine behov?",
          ("Facilities and amenities", "Fasiliteter og tjenester", "Tjenester og fasiliteter",
           "Service og tilbud")),
    Theme("work_economy", 8, "Work and local economy", "Arbeid og lokal økonomi",
          "Is there an active local economy and the opportunity to access good-quality work?",
          "Finnes det et aktivt lokalt næringsliv og muligheter for godt arbeid?",
          ("Work and the local economy", "Arbeid og næringsliv", "Arbeid og økonomi")),
    Theme("housing_community", 9, "Housing and community", "Bolig og fellesskap",
          "Do homes in the area support the needs of the community?",
          "Dekker boligene i området lokalsamfunnets behov?",
          ("Boliger og fellesskap", "Bolig og nærmiljø", "Bolig")),
    Theme("social_interaction", 10, "Social interaction", "Sosial kontakt",
          "Is there a range of spaces and opportunities to meet people?",
          "Finnes det ulike steder og muligheter for å møte andre mennesker?",
          ("Social contact", "Sosialt samvær", "Møteplasser", "Sosiale møteplasser")),
    Theme("identity_belonging", 11, "Identity and belonging", "Identitet og tilhørighet",
          "Does this place have a positive identity and do I feel I belong?",
          "Har stedet en positiv identitet, og føler jeg at jeg hører til?",
          ("Identitet og stedstilhørighet", "Tilhørighet")),
    Theme("feeling_safe", 12, "Feeling safe", "Trygghet",
          "Do I feel safe here?",
          "Føler jeg meg trygg her?",
          ("Safety", "Å føle seg trygg", "Føle seg trygg", "Trygghet og sikkerhet")),
    Theme("care_maintenance", 13, "Care and maintenance", "Vedlikehold og stell",
          "Are buildings and spaces well cared for?",
          "Blir bygninger og uterom godt tatt vare på?",
          ("Vedlikehold", "Stell og vedlikehold", "Vedlikehold og forvaltning")),
    Theme("influence_control", 14, "Influence and sense of control", "Innflytelse og medvirkning",
          "Do I feel able to take part in decisions and help change things for the better?",
          "Føler jeg at jeg kan delta i beslutninger og bidra til å gjøre ting bedre?",
          ("Influence and control", "Innflytelse", "Medvirkning", "Påvirkning og medbestemmelse",
           "Innflytelse og kontroll")),
)

#: Theme codes in official order.
THEME_CODES: tuple[str, ...] = tuple(t.code for t in THEMES)

_NUMBERING = re.compile(
    r"^\s*(?:(?:spm|spørsmål|sporsmal|q|question|tema|theme)\.?\s*)?(\d{1,2})\s*[.):\-–—]?"
    r"(?:\s+|$)",
    re.IGNORECASE,
)


_lang = lang_key  # the former name (numformat holds the one language normaliser)


def normalise_label(text: str) -> str:
    """Fold a label for matching: case, accents kept, dashes and punctuation to spaces."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = re.sub(r"[\-–—_/?:;,.()«»\"']+", " ", text)
    text = text.replace("&", " og ")
    return " ".join(text.split())


def split_numbering(text: str) -> tuple[int | None, str]:
    """Split a leading question number off a header: ``"Spm 3 – Trafikk"`` → ``(3, "Trafikk")``.

    Recognised: ``3 Trafikk``, ``3. Trafikk``, ``3) …``, ``3 – …``, ``Spm 3``, ``Spørsmål 3``,
    ``Q3``, ``Question 3``, ``Tema 3`` and a number alone (``"3"`` → ``(3, "")``); one or two
    digits only, so ``"2024"`` and ``"3.5"`` are not numbered.
    """
    match = _NUMBERING.match(str(text))
    if not match:
        return None, str(text)
    return int(match.group(1)), str(text)[match.end():]


def _build_index() -> dict[str, Theme]:
    index: dict[str, Theme] = {}
    for theme in THEMES:
        for key in (theme.code, theme.code.replace("_", " "), theme.name_en, theme.name_nb,
                    *theme.aliases):
            index[normalise_label(key)] = theme
    return index


_INDEX = _build_index()


def get_theme(key: str | int) -> Theme:
    """Find a theme by code, number (1–14) or any English/bokmål name or alias.

    Matching ignores case, surrounding and repeated whitespace, punctuation and a leading
    question number ("3. Traffic and parking").
    """
    if isinstance(key, bool):
        raise SoslokalError(msg("config.not_theme", item=key))
    if isinstance(key, int):
        if 1 <= key <= len(THEMES):
            return THEMES[key - 1]
        raise SoslokalError(msg("theme.out_of_range", number=key))
    text = str(key).strip()
    if text.isdigit():
        return get_theme(int(text))
    found = _INDEX.get(normalise_label(text))
    if found is None:
        number, rest = split_numbering(text)
        found = _INDEX.get(normalise_label(rest)) if number is not None else None
        if found is None and number is not None and not normalise_label(rest):
            found = get_theme(number)
    if found is None:
        import difflib

        close = difflib.get_close_matches(normalise_label(text), list(_INDEX), n=3, cutoff=0.6)
        hint = msg("theme.hint", names=", ".join(repr(c) for c in close)) if close else ""
        raise SoslokalError(msg("theme.unknown", key=key, hint=hint,
                                codes=", ".join(THEME_CODES[:3])))
    return found


def theme_labels(lang: str = "nb", overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Theme code → display name in ``lang``, with a municipality's ``overrides`` applied."""
    labels = {t.code: t.name(lang) for t in THEMES}
    for key, label in (overrides or {}).items():
        labels[get_theme(key).code] = str(label)
    return labels


def theme_questions(lang: str = "nb", overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Theme code → main question in ``lang``, with ``overrides`` applied."""
    questions = {t.code: t.question(lang) for t in THEMES}
    for key, text in (overrides or {}).items():
        questions[get_theme(key).code] = str(text)
    return questions


def load_theme_overrides(path: str | Path) -> dict[str, dict[str, dict[str, str]]]:
    """Read label and question overrides from a small TOML file.

    Shape (every table optional; keys may be codes, numbers or names)::

        [labels.nb]
        feeling_safe = "Trygghet i nærmiljøet"
        [questions.nb]
        feeling_safe = "Føler du deg trygg der du bor?"

    Returns ``{"labels": {lang: {code: text}}, "questions": {lang: {code: text}}}``.
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SoslokalError(f"{path}: file not found. Fix: check the path.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SoslokalError(f"{path}: not valid TOML ({exc}).") from None
    result: dict[str, dict[str, dict[str, str]]] = {"labels": {}, "questions": {}}
    for kind in raw:
        if kind not in result:
            raise SoslokalError(
                f"{path}: unknown table [{kind}]. Fix: use [labels.nb], [labels.en], "
                "[questions.nb] or [questions.en]."
            )
        for lang, table in raw[kind].items():
            try:
                lang_key(lang)
            except ValueError as exc:
                raise SoslokalError(f"{path}: [{kind}.{lang}]: {exc}") from None
            if not isinstance(table, dict):
                raise SoslokalError(f"{path}: [{kind}.{lang}] must be a table of theme = text.")
            try:
                result[kind][lang] = {get_theme(k).code: str(v) for k, v in table.items()}
            except SoslokalError as exc:
                raise SoslokalError(f"{path}: [{kind}.{lang}]: {exc}") from None
    return result


def scale_cutoffs(points: int) -> tuple[int, int]:
    """Highest "low" score and lowest "high" score on a ``points``-point scale.

    7-point: low is 1–3, high is 5–7. 3-point (children's version): low is 1, high is 3.
    """
    if points not in SCALES:
        raise SoslokalError(f"Unsupported scale of {points} points. Fix: use 7 or 3.")
    mid = (points + 1) // 2
    return mid - 1, mid + 1
