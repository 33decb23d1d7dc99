"""Free-text comments: remove personal data first, then count, contrast, sort and export.

* :func:`scrub` / :func:`scrub_series` replace e-mail addresses, URLs, fødselsnummer, Norwegian
  phone numbers and street addresses with tags («[e-post]», «[lenke]», «[fødselsnummer]»,
  «[telefon]», «[adresse]»). Ordinary numbers (bus lines, years, speeds, postcodes, times,
  prices, counts) stay. Names are not guessed away: :func:`flag_names` marks comments that
  probably name a person, for manual review.
* :func:`term_frequencies`, :func:`contrast_terms` (log-odds with an informative Dirichlet
  prior, Monroe, Colaresi & Quinn 2008) and :func:`assign_themes` analyse scrubbed text.
  Word counts follow two privacy rules (see :func:`term_frequencies`): an area is shown only
  if it has at least ``min_n`` respondents and is not suppressed (else it is pooled with the
  other suppressed areas in :data:`POOLED_AREAS`), and a term is shown only if at least
  ``min_n`` different respondents use it (k-anonymity for words).
* :func:`select_quotes` and :func:`export_comments` follow the primary suppression rule (no
  quotes from areas with fewer than ``min_n`` respondents; secondary suppression, which hides
  a bigger area's figures to protect a small neighbour, never removes quotes) and never output
  respondent ids.

Word lists live in ``soslokal_lib/data``: ``stopwords_nb_nn.txt`` (Snowball list + hand-made
additions), ``names_no.toml`` (common first names and surnames after SSB's name statistics)
and ``theme_keywords.toml`` (the default theme dictionary). Each file says where it is from.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from soslokal_lib._files import atomic_path
from soslokal_lib.errors import ConfigError, SoslokalError
from soslokal_lib.privacy import FORMULA_PREFIXES, check_min_n, suppression_codes
from soslokal_lib.themes import THEME_CODES, get_theme

# --------------------------------------------------------------------------------------------
# 1. Scrubbing
# --------------------------------------------------------------------------------------------

#: Kind of personal data → the tag that replaces it, in the order the rules are applied.
TAGS: dict[str, str] = {
    "email": "[e-post]",
    "url": "[lenke]",
    "national_id": "[fødselsnummer]",
    "phone": "[telefon]",
    "address": "[adresse]",
}
#: What a flagged name is replaced with in exported sheets (:func:`export_comments`).
NAME_TAG = "[navn]"
_LABELS_NB = {"email": "e-post", "url": "lenke", "national_id": "fødselsnummer",
              "phone": "telefon", "address": "adresse"}

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@|\s?[\[(](?:at|alfakrøll)[\])]\s?)[\w-]+(?:\.[\w-]+)*"
    r"\.[A-Za-z]{2,}\b"
)
_URL_END = r"[^\s<>«»\"'.,;:!?)\]]"
_URL = re.compile(
    r"(?i:\b(?:https?://|www\.)[^\s<>«»\"']*" + _URL_END + r")"
    r"|(?<![@\w.-])[a-zA-Z0-9æøåÆØÅ](?:[\w-]*[a-zA-Z0-9æøåÆØÅ])?(?:\.[\w-]+)*"
    r"\.(?:no|com|org|net|io|eu|info|nu|se|dk|fi|uk|de|app)(?![\w])"
    r"(?:/[^\s<>«»\"']*" + _URL_END + r")?"
)
# Units and count words after which a number is a quantity, not a phone or house number.
_UNITS = (
    r"km/t|km|kr|kroner|%|prosent|m|meter|min|minutt|minutter|sek|sekunder|time|timer|timar|"
    r"år|barn|unger|ungar|elever|elevar|biler|bilar|busser|bussar|ganger|gonger|gang|dager|"
    r"dagar|døgn|uker|veker|måneder|månader|stk|stykker|folk|personer|mennesker|menneske|"
    r"innbyggere|innbyggjarar|beboere|bebuarar|hus|boliger|bustader|leiligheter|plasser|"
    r"avganger|avgangar|turer|turar|trær|lys|lamper|benker|steder|stader|skilt|hull|familier|"
    r"barnehager|skoler|etasjer|etasje|etg|høydemeter|daa|mål|kvm|m2|tonn|liter|grader|poeng"
)
_NO_UNIT = r"(?!\s*(?:" + _UNITS + r")(?![\w/]))"
_FNR = re.compile(
    r"(?<![\d+])(?<!\d[ .\-])(\d{6}|\d\d\.\d\d\.\d\d)[ \u00a0.\-]?(\d{5})(?!\d)(?![ .\-]\d)"
)
_FNR_CONTEXT = re.compile(
    r"(?:fødselsnummer|fødselsnr|fnr|f\.nr|personnummer|personnr|pnr|d-nummer)\w{0,3}"
    r"[^\d]{0,15}$",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[ .,\-])"
    r"(?:(?:\+|00)\s?47[ \u00a0.\-]?)?"
    r"(?:"
    r"(?!(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d))[2-9]\d{7}"
    r"|[2-9]\d\d(?P<s1>[ \u00a0.\-])\d\d(?P=s1)\d{3}"
    r"|[2-9]\d(?P<s2>[ \u00a0.\-])\d\d(?P=s2)\d\d(?P=s2)\d\d"
    r"|(?!(?:19|20)\d\d\s(?:19|20)\d\d)[2-9]\d{3}[ \u00a0]\d{4}"
    r")(?!\d)(?![ .,\-]\d)" + _NO_UNIT
)
# A number labelled as a phone number, in any grouping (8–12 digits): "tlf 22 33 44 55 66".
_PHONE_LABELLED = re.compile(
    r"(?i:\b(?:tlf|telefon\w*|mob|mobil\w*|mobnr|tel|ring|sms)\b)\.?:?"
    r"(?:\s+(?i:meg|oss|gjerne|på|til|nr\.?|nummer|er)){0,3}\s*"
    r"(?P<pii>(?:\(?(?:\+|00)\s?47\)?[ \u00a0.\-]?)?\d(?:[ \u00a0.\-]?\d){7,11})(?!\d)"
)
_PREFIX_WORDS = r"Øvre|Nedre|Gamle|Nye|Store|Lille|Søndre|Nordre|Vestre|Østre|Indre|Ytre|Sankt|St\."
_SUFFIX_ANY = (
    r"gata|gaten|gate|gt\.|veien|vegen|vei|veg|vn\.|alléen|allé|stien|stigen|stig|svingen|"
    r"bakken|lia|lien|åsen|haugen|kroken|tunet|plassen|plass|torget|torg|ringen|løkka|løkken|"
    r"jordet|brekka|sletta|hagen|terrassen|kaia|kaien|brygga|bryggen|myra|moen|dalen|skogen|"
    r"toppen|bråten|enga|engen|vika|vollen|grenda|lunden|kollen|marka"
)
_SUFFIX_LOWER = r"gata|gaten|gate|gt\.|veien|vegen|vei|veg|vn\.|alléen|allé"
_GENERIC = r"gate|gata|gaten|gt\.|vei|veien|veg|vegen|vn\.|plass|allé"
_ADDRESS = re.compile(
    r"(?<![\w.])(?P<street>"
    r"(?:(?:" + _PREFIX_WORDS + r")\s)?(?=[A-ZÆØÅ])[\w-]*?(?i:" + _SUFFIX_ANY + r")"
    r"|[a-zæøå][\w-]+?(?:" + _SUFFIX_LOWER + r")"
    r"|(?:[A-ZÆØÅ][\w.-]*\s){0,2}[A-ZÆØÅ][\w-]*s\s(?i:" + _GENERIC + r")"
    r")\s+(?:nr\.?\s*)?\d{1,3}(?!\d)(?![.,]\d)(?:\s?[-–]\s?\d{1,3}(?!\d))?"
    r"(?:[A-Ha-h](?![\w])|\s[A-H](?![\w]))?(?![\w])" + _NO_UNIT
)
# A bare generic word before a number is no street name ("Gate 5", "Veien 3").
_BARE_STREET_WORDS = frozenset(
    "gate gata gaten gater gt. vei veien veg vegen vn. plass plassen sti stien stig allé".split()
)
# Road classes: with a number they name a road ("riksvei 9"), never a street address.
_ROAD_CLASSES = frozenset(
    "riksvei riksveien riksveg riksvegen fylkesvei fylkesveien fylkesveg fylkesvegen europavei "
    "europaveien europaveg europavegen kommunevei kommuneveien kommuneveg motorvei motorveien "
    "motorveg motorvegen".split()
)
# Path words: generic in lower case ("skoleveien 2 ganger"); capitalised, a street name.
_PATH_WORDS = frozenset(
    "gangvei gangveien gangveg gangvegen sykkelvei sykkelveien sykkelveg sykkelvegen skolevei "
    "skoleveien skoleveg skolevegen skuleveg skulevegen bilvei bilveien bilveg omvei omveien "
    "omveg hovedvei hovedveien hovedveg hovedvegen turvei turveien turveg turvegen "
    "omkjøringsvei omkjøringsveien adkomstvei atkomstvei atkomstveg snarvei snarveien "
    "gågate gågata gågaten hovedgate hovedgata hovudgate".split()
)


def _fnr_checksum(digits: str) -> bool:
    """True if an 11-digit string has valid mod-11 control digits (fødselsnummer, D-nummer)."""
    d = [int(c) for c in digits]
    k1 = 11 - sum(w * x for w, x in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), d[:9], strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10 or k1 != d[9]:
        return False
    k2 = 11 - sum(w * x for w, x in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), d[:10], strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    return k2 != 10 and k2 == d[10]


def _is_fnr(match: re.Match[str]) -> bool:
    if _fnr_checksum(match.group(1).replace(".", "") + match.group(2)):
        return True
    before = match.string[max(0, match.start() - 30):match.start()]
    return bool(_FNR_CONTEXT.search(before))


def _is_address(match: re.Match[str]) -> bool:
    street = match.group("street")
    if " " in street:
        return True
    word = street.casefold()
    if word in _BARE_STREET_WORDS or word in _ROAD_CLASSES:
        return False
    return not (street[:1].islower() and word in _PATH_WORDS)


#: (kind, pattern, validator) in the order applied; a validator vets each match.
_RULES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool] | None], ...] = (
    ("email", _EMAIL, None),
    ("url", _URL, None),
    ("national_id", _FNR, _is_fnr),
    ("phone", _PHONE, None),
    ("phone", _PHONE_LABELLED, None),
    ("address", _ADDRESS, _is_address),
)


@dataclass(frozen=True)
class ScrubReport:
    """What :func:`scrub_series` removed: ``counts`` per kind (see :data:`TAGS`)."""

    counts: dict[str, int]
    n_texts: int
    n_changed: int

    @property
    def total(self) -> int:
        """Number of items removed, all kinds together."""
        return int(sum(self.counts.values()))

    def to_frame(self, lang: str = "nb") -> pd.DataFrame:
        """One row per kind: ``kind``, ``label``, ``count``."""
        labels = _LABELS_NB if lang == "nb" else {k: k.replace("_", " ") for k in TAGS}
        return pd.DataFrame({"kind": list(TAGS), "label": [labels[k] for k in TAGS],
                             "count": [int(self.counts.get(k, 0)) for k in TAGS]})

    def __str__(self) -> str:
        parts = ", ".join(f"{_LABELS_NB[k]} {v}" for k, v in self.counts.items() if v)
        return (f"Fjernet {self.total} personopplysninger fra {self.n_changed} av "
                f"{self.n_texts} tekster" + (f" ({parts})" if parts else ""))


def scrub(text: object) -> object:
    """Replace personal data in one text with tags; missing values (None, NA, NaN) pass through.

    >>> scrub("Ring meg på 912 34 567 eller kari@example.no, buss 12 går kl. 07.30")
    'Ring meg på [telefon] eller [e-post], buss 12 går kl. 07.30'
    """
    if not isinstance(text, str):
        if text is None or (pd.api.types.is_scalar(text) and pd.isna(text)):
            return text
        text = str(text)
    for kind, pattern, valid in _RULES:
        text = pattern.sub(_replacer(TAGS[kind], valid), text)
    return text


def _replacer(tag: str, valid: Callable[[re.Match[str]], bool] | None,
              hits: list[int] | None = None) -> Callable[[re.Match[str]], str]:
    """Replacement function: the match (or only its ``pii`` group) → ``tag`` if valid."""

    def repl(m: re.Match[str]) -> str:
        if valid is not None and not valid(m):
            return m.group(0)
        if hits is not None:
            hits[0] += 1
        if "pii" not in m.re.groupindex:
            return tag
        whole, start = m.group(0), m.start()
        return whole[:m.start("pii") - start] + tag + whole[m.end("pii") - start:]

    return repl


def scrub_series(series: pd.Series) -> tuple[pd.Series, ScrubReport]:
    """Vectorised :func:`scrub` over a Series; returns the scrubbed copy and a report.

    The result has the nullable ``string`` dtype and the input's index; NA stays NA.
    """
    original = _as_text(series)
    text = original
    counts: dict[str, int] = dict.fromkeys(TAGS, 0)
    for kind, pattern, valid in _RULES:
        hits = [0]  # one regex pass per rule: the replacement function counts the matches
        text = text.str.replace(pattern, _replacer(TAGS[kind], valid, hits), regex=True)
        counts[kind] += hits[0]
    changed = int((text != original).fillna(False).sum())
    return text, ScrubReport(counts=counts, n_texts=int(original.notna().sum()),
                             n_changed=changed)


def _as_text(series: pd.Series) -> pd.Series:
    if not isinstance(series, pd.Series):
        series = pd.Series(series)
    if pd.api.types.is_string_dtype(series.dtype):
        return series.astype("string")
    return series.map(lambda v: v if not pd.api.types.is_scalar(v) or pd.isna(v) else str(v),
                      na_action="ignore").astype("string")


# --------------------------------------------------------------------------------------------
# Names: flag for review, never guess
# --------------------------------------------------------------------------------------------

@cache
def _names() -> dict[str, frozenset[str]]:
    raw = tomllib.loads(_data_text("names_no.toml"))
    return {"first": frozenset(raw["women"]) | frozenset(raw["men"]),
            "ambiguous": frozenset(raw["ambiguous"]), "surnames": frozenset(raw["surnames"])}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_RELATIONS = (
    r"naboen|naboene|naboane|nabo|kona|kone|mannen|samboer(?:en)?|sambuar(?:en)?|datter(?:en)?|"
    r"dottera|dotter|sønn(?:en)?|sonen|rektor(?:en)?|lærer(?:en|inne|inna)?|læraren|"
    r"ordfører(?:en)?|ordføraren|vaktmester(?:en)?|vaktmeister(?:en)?|fastlege(?:n)?|legen|"
    r"trener(?:en)?|leder(?:en)?|leiar(?:en)?|sjef(?:en)?|bestemor|bestefar|farmor|farfar|"
    r"mormor|morfar|tante|onkel|venn(?:en|inne|inna)?|kollega(?:en)?|eier(?:en)?|"
    r"huseier(?:en)?|huseigar(?:en)?|utleier(?:en)?|saksbehandler(?:en)?|saksbehandlar(?:en)?|"
    r"styreleder(?:en)?|styreleiar(?:en)?|fru|frue|frk\.?|herr|hr\.|dr\.|doktor|professor|"
    r"pastor|prest(?:en)?|sogneprest(?:en)?|advokat(?:en)?|politibetjent(?:en)?"
)
_CAP_WORD = r"[A-ZÆØÅ][a-zæøåéèüäö]+"


@cache
def _name_rules(extra: frozenset[str] = frozenset()) -> tuple[tuple[str, re.Pattern[str]], ...]:
    names = _names()
    first = _alternation(names["first"] | extra)
    unambiguous = _alternation((names["first"] - names["ambiguous"]) | extra)
    return (
        ("relasjon/tittel + navn", re.compile(
            r"(?<![\w])(?i:" + _RELATIONS + r")(?:\s+(?i:min|mi|mitt|mine|vår|vårt|våre|hans|"
            r"hennes|dykkar))?\s+(?P<name>" + _CAP_WORD + r")")),
        ("etternavn", re.compile(r"(?<![\w])(?P<name>" + _alternation(names["surnames"])
                                 + r")(?![\w])")),
        ("fornavn + etternavn", re.compile(r"(?<![\w])(?P<name>(?:" + first + r")[ \t]+"
                                           + _CAP_WORD + r")")),
        ("fornavn", re.compile(r"(?<=[\w,;)»\"'’%])[ \t]+(?P<name>" + first + r")s?(?![\w])")),
        ("fornavn", re.compile(r"(?:^|[.!?…:]\s+|\n\s*|[-–•*(«\"]\s*)(?P<name>" + unambiguous
                               + r")s?(?![\w])")),
    )


def flag_names_series(series: pd.Series, *, extra_names: Iterable[str] = ()) -> pd.Series:
    """Vectorised :func:`flag_names`: the reason per text (nullable string), NA where none."""
    text = _as_text(series)
    reason = pd.Series(pd.NA, index=text.index, dtype="string")
    for label, pattern in _name_rules(_extra_names(extra_names)):
        found = text.str.extract(pattern, expand=False).astype("string")
        reason = reason.fillna(label + " «" + found + "»")
    return reason


def _extra_names(names: Iterable[str]) -> frozenset[str]:
    if isinstance(names, str):
        names = [names]
    return frozenset(n.strip()[:1].upper() + n.strip()[1:] for n in names if n.strip())


def flag_names(text: object, *, extra_names: Iterable[str] = ()) -> str | None:
    """Why ``text`` probably names a person (e.g. ``"fornavn «Kari»"``), or ``None``.

    Heuristics, for manual review, not removal: a first name from the shipped list of common
    Norwegian first names written with a capital letter inside a sentence (at the start of a
    sentence only names that are not also ordinary words, so «Per», «Dag», «Liv», «Hans» count
    only mid-sentence, unless a capitalised word follows: «Ola Nordmann»), a common surname, or a
    relation or title followed by a capitalised word
    («naboen min Kari», «rektor Hansen», «fru Berg»). ``extra_names``: further first names
    (e.g. common in the municipality) that count everywhere, like unambiguous names.
    """
    if not isinstance(text, str):
        if text is None or (pd.api.types.is_scalar(text) and pd.isna(text)):
            return None
        text = str(text)
    for label, pattern in _name_rules(_extra_names(extra_names)):
        found = pattern.search(text)
        if found:
            return f"{label} «{found.group('name')}»"
    return None


# --------------------------------------------------------------------------------------------
# 2. Analysis
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[0-9a-zæøåéèêóòôüäöáàç]+(?:[-'][0-9a-zæøåéèêóòôüäöáàç]+)*")
_TAG_RE = re.compile("|".join(re.escape(t) for t in TAGS.values()))


def _data_text(name: str) -> str:
    return resources.files("soslokal_lib").joinpath("data", name).read_text(encoding="utf-8")


@cache
def stopwords() -> frozenset[str]:
    """The shipped bokmål + nynorsk stop words (``soslokal_lib/data/stopwords_nb_nn.txt``)."""
    lines = _data_text("stopwords_nb_nn.txt").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def tokenize(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Lower-case word tokens of one text; scrub tags, numbers-only tokens and stop words go."""
    if not isinstance(text, str):
        return []
    words = _TOKEN.findall(_TAG_RE.sub(" ", text).lower())
    stop = stopwords() if drop_stopwords else frozenset()
    return [w for w in words if len(w) > 1 and not w.isdigit() and w not in stop]


def _ngram_table(text: pd.Series, ngram: tuple[int, int], extra_stop: Iterable[str] = ()
                 ) -> pd.DataFrame:
    """Long table ``doc`` (position in ``text``), ``term``, ``ngram`` — vectorised."""
    lo, hi = ngram
    if not (1 <= lo <= hi <= 2):
        raise SoslokalError(f"ngram={ngram!r} is not supported. Fix: use (1, 1), (1, 2) or (2, 2).")
    stop = stopwords() | {w.lower() for w in extra_stop}
    clean = text.reset_index(drop=True).str.replace(_TAG_RE, " ", regex=True).str.lower()
    tokens = clean.str.findall(_TOKEN).explode().dropna()
    tok = pd.DataFrame({"doc": tokens.index.to_numpy(), "token": tokens.to_numpy(dtype=object)})
    keep = ~(tok["token"].isin(stop) | tok["token"].str.isdigit() | (tok["token"].str.len() < 2))
    parts = []
    if lo == 1:
        parts.append(tok.loc[keep, ["doc"]].assign(term=tok.loc[keep, "token"], ngram=1))
    if hi == 2:
        nxt_keep = keep.shift(-1, fill_value=False)
        same = tok["doc"].shift(-1) == tok["doc"]
        pair = keep & nxt_keep & same
        bigram = tok["token"] + " " + tok["token"].shift(-1).fillna("")
        parts.append(pd.DataFrame({"doc": tok.loc[pair, "doc"], "term": bigram[pair], "ngram": 2}))
    out = pd.concat(parts, ignore_index=True)
    out["term"] = out["term"].astype("string")
    return out


def _check_comments(comments: pd.DataFrame, needed: Sequence[str]) -> None:
    if not isinstance(comments, pd.DataFrame):
        raise SoslokalError(
            f"comments must be a DataFrame (Survey.comments), not {type(comments).__name__}.")
    missing = [c for c in needed if c not in comments.columns]
    if missing:
        raise SoslokalError(
            f"The comments table lacks column(s) {missing}. Fix: pass survey.comments (columns "
            "respondent_id, theme, kind, text); for area_id also pass responses=survey.responses.")


def _with_area(comments: pd.DataFrame, responses: pd.DataFrame | None) -> pd.DataFrame:
    """``comments`` with an ``area_id`` column taken from ``responses`` (respondent → area)."""
    if responses is None:
        if "area_id" in comments.columns:
            return comments
        _check_comments(comments, ["area_id"])
    _check_comments(comments, ["respondent_id"])
    area = _respondent_areas(responses)
    ids = comments["respondent_id"].astype("string")
    return comments.assign(area_id=ids.map(area).astype("string"))


def _respondent_areas(responses: pd.DataFrame) -> pd.Series:
    if not isinstance(responses, pd.DataFrame):
        raise SoslokalError("responses must be a DataFrame (Survey.responses).")
    frame = responses
    if "respondent_id" in frame.columns and frame.index.name != "respondent_id":
        frame = frame.set_index("respondent_id")
    if "area_id" not in frame.columns:
        raise SoslokalError(
            "responses has no 'area_id' column. Fix: pass survey.responses (index respondent_id, "
            "column area_id).")
    area = frame["area_id"].astype("string")
    area.index = frame.index.astype("string")
    return area[~area.index.duplicated()]


#: Group label of the pooled suppressed areas in :func:`term_frequencies` by area.
POOLED_AREAS = "(andre områder)"
#: Internal key of respondents with no known area (never a real area id).
_UNKNOWN_AREA = "\x00(uten område)"
#: Internal respondent key of comments without a respondent id (all count as one person).
_NO_ID = "\x00(uten id)"


def _respondent_counts(frame: pd.DataFrame, responses: pd.DataFrame | None) -> pd.Series:
    """Respondents per area (index area id; respondents with no known area under
    ``_UNKNOWN_AREA``), counted in ``responses`` when given, else among the commenters."""
    ids = frame["respondent_id"].astype("string")
    if responses is not None:
        area = _respondent_areas(responses)
        known = ids.dropna()
        unknown = (int(area.isna().sum()) + int(known[~known.isin(area.index)].nunique())
                   + int(ids.isna().any()))  # comments without an id: one more person
        counts = area.dropna().value_counts()
    else:
        area = frame["area_id"].astype("string")
        people = pd.DataFrame({"area": area, "id": ids.fillna(_NO_ID)}).drop_duplicates()
        unknown = int(people["area"].isna().sum())
        counts = people["area"].dropna().value_counts()
    if unknown:
        counts = pd.concat([counts, pd.Series({_UNKNOWN_AREA: unknown})])
    return counts.rename("respondents").astype(np.int64)


def _hidden_areas(counts: pd.Series, min_n: int) -> frozenset[str]:
    """Areas whose words are never shown on their own: suppressed by the suppression rule
    (``privacy.suppression_codes`` with a total), then, while these together have fewer than
    ``min_n`` respondents, topped up with the smallest shown areas (ties: by id), so that the
    pooled rest (a total minus the shown areas) never describes fewer than ``min_n`` people."""
    if counts.empty:
        return frozenset()
    counts = counts.sort_index()
    n = np.append(counts.to_numpy(dtype=np.int64), int(counts.sum()))
    is_total = np.zeros(len(n), dtype=bool)
    is_total[-1] = True
    codes = suppression_codes(n, np.zeros(len(n), dtype=np.int64), is_total, min_n)[:-1]
    hidden = codes > 0
    pooled = int(counts[hidden].sum())
    if 0 < pooled < min_n:
        shown = counts[~hidden]
        shown = shown.iloc[np.lexsort((shown.index.to_numpy(dtype=str), shown.to_numpy()))]
        take = int(np.searchsorted(shown.cumsum().to_numpy(), min_n - pooled)) + 1
        hidden = hidden | counts.index.isin(shown.index[:take])
    return frozenset(counts.index[hidden])


def _respondent_keys(frame: pd.DataFrame) -> pd.Series:
    """Respondent id per comment (missing ids count as one respondent, the safe side)."""
    return frame["respondent_id"].astype("string").fillna(_NO_ID)


def term_frequencies(
    comments: pd.DataFrame,
    by: str | Sequence[str] = ("theme", "kind"),
    ngram: tuple[int, int] = (1, 2),
    min_count: int = 2,
    *,
    responses: pd.DataFrame | None = None,
    extra_stopwords: Iterable[str] = (),
    min_n: int = 5,
) -> pd.DataFrame:
    """Keyword and two-word phrase frequencies per group, from scrubbed text.

    ``by``: any of ``theme``, ``kind``, ``area_id`` (the latter from ``responses``, or from an
    ``area_id`` column of ``comments``); a missing group value (e.g. the theme of a general
    comment) becomes ``"(uten)"``.
    Returns ``*by, term, ngram, count`` (occurrences), ``comments`` (comments that use the term),
    ``n_comments`` (comments in the group) and ``share`` (= comments / n_comments), terms used
    in at least ``min_count`` comments, most frequent first within each group.

    Privacy (``min_n``): a term is shown in a group only if at least ``min_n`` different
    respondents (``respondent_id``) use it there, so a word only one or two people wrote never
    appears (k-anonymity for words). By area, an area with fewer than ``min_n`` respondents,
    an area suppressed alongside it (``privacy.suppression_codes``: a total would reveal it)
    and respondents with no known area are pooled in one group :data:`POOLED_AREAS`; while
    the pool holds fewer than ``min_n`` respondents the smallest other areas join it. Areas
    are counted in ``responses`` when given, else among the commenters.
    """
    by_cols = [by] if isinstance(by, str) else list(by)
    check_min_n(min_n)
    _check_comments(comments, ["text"])
    if min_n > 1:
        _check_comments(comments, ["respondent_id"])
    by_area = "area_id" in by_cols
    frame = _with_area(comments, responses) if by_area else comments
    _check_comments(frame, by_cols)
    frame = frame.reset_index(drop=True)
    if by_area:
        hidden = _hidden_areas(_respondent_counts(frame, responses), min_n)
        area = frame["area_id"].astype("string")
        pooled = area.isin(hidden).fillna(False) | (area.isna() & (_UNKNOWN_AREA in hidden))
        frame = frame.assign(area_id=area.mask(pooled, POOLED_AREAS))
    text, _ = scrub_series(frame["text"])
    groups = frame[by_cols].astype("string").fillna("(uten)")
    people = (_respondent_keys(frame) if "respondent_id" in frame.columns
              else pd.Series(np.arange(len(frame)).astype(str), dtype="string"))
    docs = _ngram_table(text, ngram, extra_stopwords)
    doc = docs["doc"].to_numpy()
    docs = pd.concat([groups.iloc[doc].reset_index(drop=True), docs,
                      pd.DataFrame({"_who": people.iloc[doc].to_numpy()})], axis=1)
    stats = (docs.groupby([*by_cols, "term", "ngram"], observed=True, sort=False)
             .agg(count=("doc", "size"), comments=("doc", "nunique"),
                  _who=("_who", "nunique")).reset_index())
    has_text = text.str.strip().str.len().fillna(0).to_numpy() > 0
    n_group = groups[has_text].value_counts().rename("n_comments").reset_index()
    stats = stats.merge(n_group, on=by_cols, how="left")
    stats["share"] = stats["comments"] / stats["n_comments"]
    stats = stats[(stats["comments"] >= min_count) & (stats["_who"] >= min_n)]
    return stats.drop(columns="_who").sort_values(
        [*by_cols, "comments", "count", "term"],
        ascending=[True] * len(by_cols) + [False, False, True], ignore_index=True)


def contrast_terms(
    comments: pd.DataFrame,
    area_a: str | Sequence[str],
    area_b: str | Sequence[str] = "rest",
    *,
    responses: pd.DataFrame | None = None,
    ngram: tuple[int, int] = (1, 1),
    alpha0: float | None = None,
    min_count: int = 3,
    min_n: int = 5,
    theme: str | None = None,
    kind: str | None = None,
) -> pd.DataFrame:
    """Words that set area(s) ``area_a`` apart from ``area_b`` (default: all other comments).

    Log-odds ratio with an informative Dirichlet prior, Monroe, Colaresi & Quinn (2008),
    "Fightin' Words", *Political Analysis* 16(4): 372–403, eq. 22–24: with counts ``y`` and
    totals ``n`` per group and prior ``alpha_w = alpha0 * p_w`` from the two groups together
    (background frequencies ``p_w``),
    ``delta_w = log((y_aw + a_w) / (n_a + a0 - y_aw - a_w)) - log((y_bw + a_w) / (n_b + a0 -
    y_bw - a_w))``, ``var ≈ 1/(y_aw + a_w) + 1/(y_bw + a_w)``, ``z = delta / sqrt(var)``.
    ``alpha0`` defaults to the size of the two groups, i.e. ``alpha_w`` = the term's count.

    Returns ``term, ngram, count_a, count_b, log_odds, se, z`` sorted by ``z`` (high = typical of
    ``area_a``), terms seen at least ``min_count`` times in the two groups together and used by
    at least ``min_n`` different respondents there (k-anonymity for words). ``"rest"`` is every
    comment not in ``area_a``, also those with no known area.

    Privacy: raises if a group has fewer than ``min_n`` respondents, or holds some but not all
    of the areas whose words are hidden (an area below ``min_n``, an area suppressed alongside
    it, see :func:`term_frequencies`): their words could otherwise be had by subtraction.
    """
    check_min_n(min_n)
    frame = _with_area(comments, responses)
    _check_comments(frame, ["text", "area_id", "respondent_id"])
    counts = _respondent_counts(frame.reset_index(drop=True), responses)
    hidden = _hidden_areas(counts, min_n)
    frame = _filter(frame, theme, kind).reset_index(drop=True)
    a = [area_a] if isinstance(area_a, str) else [str(x) for x in area_a]
    in_a = frame["area_id"].isin(a).fillna(False).to_numpy(dtype=bool)
    b: list[str] | None = None
    if isinstance(area_b, str) and area_b == "rest":
        in_b = ~in_a
        n_b = int(counts[~counts.index.isin(a)].sum())
    else:
        b = [area_b] if isinstance(area_b, str) else [str(x) for x in area_b]
        in_b = frame["area_id"].isin(b).fillna(False).to_numpy(dtype=bool) & ~in_a
        n_b = int(counts.reindex([x for x in b if x not in a]).fillna(0).sum())
    _check_group(a, int(counts.reindex(a).fillna(0).sum()), hidden, min_n)
    _check_group(b, n_b, hidden, min_n, exclude=a)
    text, _ = scrub_series(frame["text"])
    terms = _ngram_table(text, ngram)
    doc = terms["doc"].to_numpy()
    both = in_a | in_b
    terms = terms[both[doc]]
    doc = terms["doc"].to_numpy()
    background = terms["term"].value_counts()
    ya = terms.loc[in_a[doc], "term"].value_counts()
    yb = terms.loc[in_b[doc], "term"].value_counts()
    vocab = background.index
    ya, yb = ya.reindex(vocab, fill_value=0), yb.reindex(vocab, fill_value=0)
    users = (pd.DataFrame({"term": terms["term"].to_numpy(),
                           "who": _respondent_keys(frame).to_numpy()[doc]})
             .drop_duplicates()["term"].value_counts().reindex(vocab, fill_value=0))
    a0 = float(background.sum()) if alpha0 is None else float(alpha0)
    if a0 <= 0:
        raise SoslokalError(f"alpha0 must be positive, not {alpha0!r}.")
    alpha = a0 * background / background.sum()
    na, nb = ya.sum(), yb.sum()
    delta = (np.log((ya + alpha) / (na + a0 - ya - alpha))
             - np.log((yb + alpha) / (nb + a0 - yb - alpha)))
    se = np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha))
    ngrams = terms.drop_duplicates("term").set_index("term")["ngram"].reindex(vocab)
    out = pd.DataFrame({"term": vocab.astype("string"), "ngram": ngrams.to_numpy(),
                        "count_a": ya.to_numpy(), "count_b": yb.to_numpy(),
                        "log_odds": delta.to_numpy(), "se": se.to_numpy(),
                        "z": (delta / se).to_numpy()})
    keep = ((out["count_a"] + out["count_b"]) >= min_count) & (users.to_numpy() >= min_n)
    return out[keep].sort_values(["z", "term"], ascending=[False, True], ignore_index=True)


def _check_group(areas: list[str] | None, n: int, hidden: frozenset[str], min_n: int,
                 exclude: Sequence[str] = ()) -> None:
    """Raise if a group (``areas``, or every comment not in ``exclude``) has fewer than
    ``min_n`` respondents, or holds some but not all hidden areas."""
    what = f"Area(s) {areas}" if areas is not None else f"The areas other than {list(exclude)}"
    if n < min_n:
        raise SoslokalError(
            f"{what} have {n} respondents, fewer than min_n={min_n}: their words are not shown. "
            "Fix: join the area with its neighbours or compare a larger group.")
    inside = hidden & set(areas if areas is not None else hidden - set(exclude))
    if inside and inside != hidden:
        named = sorted(h for h in hidden if h != _UNKNOWN_AREA)
        fix = ("compare other areas, or use area_b='rest'" if _UNKNOWN_AREA in hidden else
               f"compare other areas, use area_b='rest', or take all of {named} together")
        raise SoslokalError(
            f"{what} include area(s) {sorted(inside)} whose words are hidden (too few "
            f"respondents, or suppressed so that a small area cannot be found by subtraction). "
            f"Fix: {fix}.")


def _filter(frame: pd.DataFrame, theme: str | None, kind: str | None) -> pd.DataFrame:
    if theme is not None:
        frame = frame[frame["theme"] == get_theme(theme).code]
    if kind is not None:
        if kind not in ("good", "improve", "other"):
            raise SoslokalError(f"kind {kind!r} is not one of 'good', 'improve', 'other'.")
        frame = frame[frame["kind"] == kind]
    return frame


@cache
def _default_keywords() -> dict[str, tuple[str, ...]]:
    return _parse_keywords(tomllib.loads(_data_text("theme_keywords.toml")), "theme_keywords.toml")


def _parse_keywords(raw: Mapping[str, object], source: object) -> dict[str, tuple[str, ...]]:
    table = raw.get("keywords", raw)
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: [keywords] must be a table of theme = [words].")
    result: dict[str, tuple[str, ...]] = {}
    for key, words in table.items():
        try:
            code = get_theme(key).code
        except SoslokalError as exc:
            raise ConfigError(f"{source}: key {key!r}: {exc}") from None
        if isinstance(words, str) or not isinstance(words, (list, tuple)) or not all(
                isinstance(w, str) and w.strip(" *") for w in words):
            raise ConfigError(
                f"{source}: {key!r} must be a list of words, e.g. {key} = [\"buss*\", \"tog\"].")
        result[code] = tuple(w.strip().lower() for w in words)
    return result


def load_keywords(path: str | Path, *, extend: bool = True) -> dict[str, tuple[str, ...]]:
    """Read a keyword dictionary from TOML (same shape as the default, see
    ``soslokal_lib/data/theme_keywords.toml``); with ``extend`` it is added to the default.

    ::

        [keywords]
        public_transport = ["ferje*", "hurtigbåt*"]
        "Trygghet" = ["nattravn*"]
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found. Fix: check the path.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}).") from None
    own = _parse_keywords(raw, path)
    if not extend:
        return own
    merged = dict(_default_keywords())
    for code, words in own.items():
        merged[code] = tuple(dict.fromkeys(merged.get(code, ()) + words))
    return merged


def _keyword_pattern(words: Iterable[str]) -> str:
    parts = []
    for word in words:
        pieces = [re.escape(p).replace(r"\*", r"\w*") for p in word.split()]
        parts.append(r"\s+".join(pieces))
    return r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])"


def assign_themes(
    comments: pd.DataFrame,
    keywords: Mapping[str, Sequence[str]] | None = None,
    *,
    all_rows: bool = False,
) -> pd.DataFrame:
    """Assign general comments to themes by keyword hits; returns a copy with two new columns.

    ``assigned_theme``: for a general comment (kind ``other``, or no valid theme) the theme with
    most keyword hits (ties: official order; NA if none); for other rows their own theme unless
    ``all_rows``. ``matched_themes``: every theme with a hit, most hits first, ``;``-separated.
    ``keywords``: theme → words (see ``theme_keywords.toml`` for the syntax); default the
    shipped dictionary, extend it with :func:`load_keywords`.
    """
    _check_comments(comments, ["text"])
    table = _default_keywords() if keywords is None else _parse_keywords(dict(keywords), "keywords")
    text, _ = scrub_series(comments["text"])
    lower = text.str.lower()
    codes = [c for c in THEME_CODES if table.get(c)]
    hits = pd.DataFrame({c: lower.str.count(_keyword_pattern(table[c])).fillna(0).astype(int)
                         for c in codes}, index=comments.index)
    if not codes:
        raise SoslokalError("The keyword dictionary is empty. Fix: give words for some theme.")
    best = hits.idxmax(axis=1).where(hits.max(axis=1) > 0).astype("string")
    ranked = hits.where(hits > 0).stack().dropna().rename("hits").reset_index()
    ranked.columns = ["row", "code", "hits"]
    ranked["order"] = ranked["code"].map({c: i for i, c in enumerate(THEME_CODES)})
    ranked = ranked.sort_values(["row", "hits", "order"], ascending=[True, False, True])
    matched = ranked.groupby("row", sort=False)["code"].agg(";".join)
    if all_rows or "theme" not in comments.columns:
        general = pd.Series(True, index=comments.index)
    else:
        theme = comments["theme"].astype("string")
        general = theme.isna() | ~theme.isin(THEME_CODES)
        if "kind" in comments.columns:
            general |= (comments["kind"] == "other").fillna(False)
    own = comments["theme"].astype("string") if "theme" in comments.columns else best
    out = comments.copy()
    out["assigned_theme"] = best.where(general, own).astype("string")
    out["matched_themes"] = matched.reindex(comments.index).astype("string")
    return out


# --------------------------------------------------------------------------------------------
# 3. Quotes, counts and export (privacy: min_n per area, no respondent ids)
# --------------------------------------------------------------------------------------------

_KIND_LABELS = {"nb": {"good": "Bra", "improve": "Kan bli bedre", "other": "Annet"},
                "en": {"good": "Good", "improve": "Could be better", "other": "Other"}}
_GENERAL = {"nb": "Generelle innspill", "en": "General comments"}


def area_counts(responses: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """Respondents per area with the suppression rule applied (``privacy.suppression_codes``).

    Returns ``area_id, respondents, suppressed``. An area below ``min_n`` is suppressed, and
    further areas by the secondary rule of :mod:`soslokal_lib.privacy` (the hidden areas are
    none, or at least two holding at least ``min_n`` respondents together, chosen by least
    cost), so a total cannot reveal it (the same areas whose words :func:`term_frequencies`
    pools).
    """
    check_min_n(min_n)
    area = _respondent_areas(responses).dropna()
    counts = area.value_counts().rename_axis("area_id").rename("respondents").reset_index()
    counts = counts.sort_values("area_id", ignore_index=True)
    hidden = _hidden_areas(counts.set_index("area_id")["respondents"], min_n)
    counts["suppressed"] = counts["area_id"].isin(hidden).to_numpy(dtype=bool)
    return counts


def comments_per_area(comments: pd.DataFrame, responses: pd.DataFrame, *, min_n: int = 5
                      ) -> pd.DataFrame:
    """Comments per area and kind, for a bar chart: ``area_id, respondents, good, improve,
    other, comments, suppressed``; counts of suppressed areas are NA."""
    _check_comments(comments, ["respondent_id", "kind", "text"])
    counts = area_counts(responses, min_n)
    frame = _with_area(comments, responses)
    has_text = frame["text"].astype("string").str.strip().str.len().fillna(0) > 0
    table = (pd.crosstab(frame.loc[has_text, "area_id"], frame.loc[has_text, "kind"])
             .reindex(columns=["good", "improve", "other"], fill_value=0))
    table.columns = list(table.columns)
    out = counts.merge(table, left_on="area_id", right_index=True, how="left")
    for col in ("good", "improve", "other"):
        out[col] = out[col].fillna(0).astype("Int64")
    out["comments"] = (out["good"] + out["improve"] + out["other"]).astype("Int64")
    for col in ("good", "improve", "other", "comments"):
        out[col] = out[col].mask(out["suppressed"])
    return out[["area_id", "respondents", "good", "improve", "other", "comments", "suppressed"]]


def _safe_comments(comments: pd.DataFrame, responses: pd.DataFrame | None, min_n: int
                   ) -> pd.DataFrame:
    """Comments with area_id, scrubbed text and name flags; comments from areas with fewer
    than ``min_n`` respondents (the primary rule only: a quote from a bigger area reveals
    nothing about a small neighbour, so secondary suppression never removes it), from
    respondents without an area, and empty texts removed. Respondent ids are still present
    (callers drop them)."""
    _check_comments(comments, ["respondent_id", "theme", "kind", "text"])
    if responses is not None:
        check_min_n(min_n)
        frame = _with_area(comments, responses)
        counts = _respondent_areas(responses).dropna().value_counts()
        open_areas = counts.index[counts.to_numpy() >= min_n]
        frame = frame[frame["area_id"].isin(open_areas).fillna(False)]
    else:
        frame = comments.assign(area_id=pd.Series(pd.NA, index=comments.index, dtype="string"))
    text, _ = scrub_series(frame["text"])
    text = text.str.strip()
    frame = frame.assign(text=text, name_flag=flag_names_series(text))
    return frame[text.str.len().fillna(0) > 0].reset_index(drop=True)


def select_quotes(
    comments: pd.DataFrame,
    responses: pd.DataFrame,
    *,
    min_n: int = 5,
    per_area: int = 3,
    theme: str | None = None,
    kind: str | None = None,
    seed: int = 0,
    allow_flagged: bool = True,
) -> pd.DataFrame:
    """Up to ``per_area`` scrubbed quotes per area, chosen at random (reproducibly by ``seed``).

    Areas with fewer than ``min_n`` respondents give no quotes (the primary rule; an area
    hidden only to protect a small neighbour keeps its quotes).
    Comments not flagged by :func:`flag_names` are preferred; with ``allow_flagged=False``
    flagged ones are never used. The same text from several respondents of an area (ignoring
    case, spaces and punctuation: «Hyggelige naboer» and «hyggelige naboer!») is quoted once.
    Columns: ``area_id, theme, kind, text`` — never respondent ids.
    """
    if per_area < 1:
        raise SoslokalError(f"per_area must be at least 1, not {per_area!r}.")
    frame = _filter(_safe_comments(comments, responses, min_n), theme, kind)
    flagged = frame["name_flag"].notna().to_numpy(dtype=bool)
    if not allow_flagged:
        frame, flagged = frame[~flagged], flagged[~flagged]
    rng = np.random.default_rng(seed)
    frame = frame.assign(_flag=flagged, _key=rng.random(len(frame)))
    frame = frame.sort_values(["area_id", "_flag", "_key"])
    same = frame["text"].astype("string").str.casefold().str.replace(r"[\W_]+", " ", regex=True)
    frame = frame[~frame.assign(_same=same.str.strip()).duplicated(["area_id", "_same"])]
    picked = frame.groupby("area_id", sort=True).head(per_area)
    out = picked[["area_id", "theme", "kind", "text"]].reset_index(drop=True)
    return out.astype("string")


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "-", str(name)).strip("' ") or "Ark"
    title = title[:31]
    base, i = title, 2
    while title.casefold() in used:
        suffix = f" ({i})"
        title = base[:31 - len(suffix)] + suffix
        i += 1
    used.add(title.casefold())
    return title


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_text(value: object) -> str:
    text = "" if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else str(value)
    text = _ILLEGAL_XML.sub(" ", text)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _write_sheet(ws, header: Sequence[str], rows: Iterable[Sequence[object]],
                 widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append([_cell_text(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = _cell_text(value)
            cell.data_type = "s"
            cell.alignment = wrap
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"


def export_comments(
    comments: pd.DataFrame,
    path: str | Path,
    *,
    by: str = "theme",
    responses: pd.DataFrame | None = None,
    min_n: int = 5,
    area_names: Mapping[str, str] | pd.Series | None = None,
    lang: str = "nb",
) -> Path:
    """Write scrubbed comments to an XLSX workbook for a workshop; returns the path.

    One sheet per theme (``by="theme"``, plus «Generelle innspill») or per area
    (``by="area_id"``, needs ``responses``), after a sheet «Om innspillene» describing the file.
    Texts are scrubbed, comments from areas below ``min_n`` respondents are left out, no
    respondent id is written, a column marks comments that may name a person, and every cell
    is plain text with formula-like text prefixed by ``'``. Written atomically.
    """
    from openpyxl import Workbook

    from soslokal_lib.themes import theme_labels

    lang = "en" if str(lang).lower().startswith("en") else "nb"
    if by not in ("theme", "area_id", "area"):
        raise SoslokalError(f"by={by!r} is not supported. Fix: use by='theme' or by='area_id'.")
    by = "area_id" if by == "area" else by
    if by == "area_id" and responses is None:
        raise SoslokalError("by='area_id' needs responses (index respondent_id, column area_id).")
    frame = _safe_comments(comments, responses, min_n)
    names = dict(area_names.items()) if area_names is not None else {}
    order = {"theme": frame["theme"].map({c: i for i, c in enumerate(THEME_CODES)}),
             "kind": frame["kind"].map({"good": 0, "improve": 1, "other": 2}),
             "area": frame["area_id"].map(lambda a: _nb_key(names.get(a, a))
                                          if isinstance(a, str) else "")}
    keys = ["area", "kind"] if by == "theme" else ["theme", "kind"]
    frame = frame.loc[pd.DataFrame(order).sort_values(keys, kind="stable").index]
    frame = frame.reset_index(drop=True)
    labels = theme_labels(lang)
    kinds = _KIND_LABELS[lang]
    area_label = frame["area_id"].map(lambda a: names.get(a, a) if isinstance(a, str) else "")
    theme_label = frame["theme"].map(lambda t: labels.get(t, _GENERAL[lang]))
    kind_label = frame["kind"].map(lambda k: kinds.get(k, k))
    flag = frame["name_flag"].fillna("")
    # the flagged name itself is masked in the sheet; the flag stays for a manual check
    flagged = flag.str.extract(r"«(.+)»", expand=False)
    frame["text"] = [t.replace(n, NAME_TAG) if isinstance(n, str) and isinstance(t, str) else t
                     for t, n in zip(frame["text"], flagged, strict=True)]
    en = lang == "en"
    review = "Possible name – check" if en else "Mulig navn – sjekk"
    wb = Workbook()
    about = wb.active
    about.title = "About" if en else "Om innspillene"
    excluded = len(comments) - len(frame)
    info = [
        ("Comments" if en else "Innspill", str(len(frame))),
        ("Sheets" if en else "Ark", ("one per theme" if by == "theme" else "one per area") if en
         else ("ett per tema" if by == "theme" else "ett per område")),
        ("Personal data" if en else "Personopplysninger",
         "e-mail, phone, national id, addresses and links replaced by tags" if en else
         "e-post, telefon, fødselsnummer, adresser og lenker er erstattet med merker"),
        ("Privacy rule" if en else "Personvernregel",
         (f"areas with fewer than {min_n} respondents are left out" if en else
          f"områder med færre enn {min_n} svar er utelatt") if responses is not None else
         ("no area shown" if en else "ingen områder vist")),
        ("Left out" if en else "Utelatt", str(excluded)),
        (review, "the text may name a person: the name found is replaced by [navn]; check the "
         "rest before sharing" if en else "teksten kan nevne en person: navnet som ble funnet, "
         "er erstattet med [navn]; sjekk resten før deling"),
    ]
    _write_sheet(about, ["Field", "Value"] if en else ["Felt", "Verdi"], info, [28, 80])
    used = {about.title.casefold()}
    if by == "theme":
        order = [*THEME_CODES, None]
        key = frame["theme"].where(frame["theme"].isin(THEME_CODES))
        with_area = responses is not None
        header = (["Area"] if en else ["Område"]) * with_area + (
            ["Type", "Comment", review] if en else ["Type", "Innspill", review])
        widths = [24] * with_area + [16, 90, 24]
        for code in order:
            mask = key.isna() if code is None else (key == code).fillna(False)
            if not mask.any():
                continue
            title = labels[code] if code else _GENERAL[lang]
            cols = ([area_label[mask]] if with_area else []) + [kind_label[mask], frame.loc[
                mask, "text"], flag[mask]]
            _write_sheet(wb.create_sheet(_sheet_title(title, used)), header,
                         zip(*cols, strict=True), widths)
    else:
        header = ["Theme", "Type", "Comment", review] if en else ["Tema", "Type", "Innspill",
                                                                   review]
        for area in sorted(frame["area_id"].dropna().unique()):
            mask = (frame["area_id"] == area).to_numpy(dtype=bool)
            cols = [theme_label[mask], kind_label[mask], frame.loc[mask, "text"], flag[mask]]
            _write_sheet(wb.create_sheet(_sheet_title(names.get(area, area), used)), header,
                         zip(*cols, strict=True), [26, 16, 90, 24])
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


def _nb_key(text: object) -> str:
    """Sort key in Norwegian alphabetical order (… x y z æ ø å)."""
    return str(text).casefold().translate({ord("æ"): "{", ord("ø"): "|", ord("å"): "}"})


__all__ = [
    "POOLED_AREAS", "TAGS", "ScrubReport", "scrub", "scrub_series", "flag_names", "flag_names_series",
    "stopwords", "tokenize", "term_frequencies", "contrast_terms", "assign_themes",
    "load_keywords", "area_counts", "comments_per_area", "select_quotes", "export_comments",
]
