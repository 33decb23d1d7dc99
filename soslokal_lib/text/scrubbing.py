"""Personal data out of free-text comments: :func:`scrub` / :func:`scrub_series` and name flags.

:func:`scrub` / :func:`scrub_series` replace e-mail addresses, URLs, fødselsnummer, Norwegian
phone numbers and street addresses with tags («[e-post]», «[lenke]», «[fødselsnummer]»,
«[telefon]», «[adresse]»). Ordinary numbers (bus lines, years, speeds, postcodes, times,
prices, counts) stay. Names are not guessed away: :func:`flag_names` marks comments that
probably name a person, for manual review (the name list is ``soslokal_lib/data/names_no.toml``,
common first names and surnames after SSB's name statistics).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from soslokal_lib.numformat import lang_key

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

    @property
    def statistic(self) -> int:
        """The number of items removed (:attr:`total`)."""
        return self.total

    def text(self, lang: str = "nb") -> str:
        """«Fjernet 3 personopplysninger fra 2 av 10 tekster (e-post 1, telefon 2)» (bokmål) or
        «Removed 3 items of personal data from 2 of 10 texts (email 1, phone 2)»."""
        if lang_key(lang) == "nb":
            return str(self)
        parts = ", ".join(f"{k.replace('_', ' ')} {v}"
                          for k, v in self.counts.items() if v)
        return (f"Removed {self.total} items of personal data from {self.n_changed} of "
                f"{self.n_texts} texts" + (f" ({parts})" if parts else ""))

    def to_frame(self, lang: str = "nb") -> pd.DataFrame:
        """One row per kind: ``kind``, ``label``, ``count``."""
        labels = _LABELS_NB if lang_key(lang) == "nb" else {k: k.replace("_", " ") for k in TAGS}
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


# --- names: flag for review, never guess ----------------------------------------------------

@cache
def _names() -> dict[str, frozenset[str]]:
    raw = tomllib.loads(_data_text("names_no.toml"))
    first = frozenset(raw["women"]) | frozenset(raw["men"])
    ambiguous = frozenset(raw["ambiguous"])
    words = frozenset(raw["lower_case_words"]) | {n.casefold() for n in ambiguous}
    return {"first": first, "ambiguous": ambiguous, "surnames": frozenset(raw["surnames"]),
            "lower_case_words": words,
            "lower_case": frozenset(n.casefold() for n in first) - words}


@cache
def _stop_words() -> str:
    """Stop words as a regex alternation: a capitalised «Det», «Vi» after an initial is no
    surname («Oslo S. Det tar tid»)."""
    lines = _data_text("stopwords_nb_nn.txt").splitlines()
    return _alternation(w.strip() for w in lines if w.strip() and not w.startswith("#"))


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
    r"pastor|prest(?:en)?|sogneprest(?:en)?|advokat(?:en)?|politibetjent(?:en)?|lege|"
    r"tannlege(?:n)?|sykepleier(?:en)?|sjukepleiar(?:en)?|helsesøster(?:en)?|"
    r"helsesykepleier(?:en)?|jordmor(?:a|en)?|rådmann(?:en)?|kommunedirektør(?:en)?"
)
_CAP_WORD = r"[A-ZÆØÅ][a-zæøåéèüäö]+"
# Initials belong to a name: «Å.», «K.», «A.B.», «A. B.».
_INITIALS = r"[A-ZÆØÅ]\.(?:[ \t]?[A-ZÆØÅ]\.)*"
# A surname: a capitalised word, hyphenated («Berg-Hansen»), after a particle («von Berg»).
_SURNAME = (r"(?:(?:von|van(?:[ \t]+de[nr])?|de|af)[ \t]+)?" + _CAP_WORD
            + r"(?:-" + _CAP_WORD + r")*")
# Greetings and verbs before a name («Hilsen K. Dahl», «Spør A. Berg»): no first name.
_OPENERS = (r"(?i:hilsen|helsing|mvh|vh|takk|spør|ring|kontakt|hei|hallo|kjære|skriv|send|nei|"
            r"ok|okei)"
            r"(?![\w-])")
# Words after which a name is written with a space («Kari og Aisha», «Kari, Ola og Per»).
_AND = r"[ \t]+(?:og/eller|og|eller|&)[ \t]+"
_COMMA = r"[ \t]*,[ \t]*"
# Shops, services and institutions a name can be joined to («Kari og Nav»): never a name.
_NOT_NAMES = (
    "Nav Kiwi Rema Coop Meny Extra Prix Joker Spar Bunnpris Obs Europris Vinmonopolet Posten "
    "Ruter Skyss Kolumbus Brakar Vy Flytoget Politiet Kommunen Fylket Fylkeskommunen Staten "
    "Statens Vegvesenet Bymiljøetaten Barnevernet Helsenorge Husbanken Borettslaget Sameiet "
    "Velforeningen Idrettslaget Facebook Google"
).split()
_PLACE_END = (r"etaten|etat|kontoret|kontor|senteret|senter|skolen|skole|kommunen|kommune|"
              r"butikken|huset|hallen|parken|banen|stasjonen|stasjon|kirken|kirke|sykehuset|"
              r"barnehagen|barnehage|biblioteket|laget|foreningen|" + _SUFFIX_LOWER)


def _full_name(first: str) -> str:
    """A run of first names («Per Olav», «Anne-Grete»), initials («Siv Å.»), and one or two
    surnames."""
    given = r"(?:" + first + r")(?:-" + _CAP_WORD + r")?"
    return (given + r"(?:[ \t]+" + given + r")*(?:[ \t]+" + _INITIALS + r")?[ \t]+" + _SURNAME
            + r"(?:(?:[ \t]+" + _INITIALS + r")?[ \t]+" + _SURNAME + r")?")


def _joined_name() -> str:
    """A capitalised name that may stand beside a found name («og Aisha Khan», «og A. Berg»);
    no stop word, shop, service or place («og Nav», «og Storgata»)."""
    word = (r"(?!(?i:" + _stop_words() + r")(?![\w-]))(?!" + _OPENERS + r")(?!(?:"
            + _alternation(_NOT_NAMES)
            + r")(?![\w-]))(?![\w-]*(?:" + _PLACE_END + r")(?![\w-]))" + _CAP_WORD
            + r"(?:-" + _CAP_WORD + r")*")
    return (r"(?:" + _INITIALS + r"[ \t]+)?" + word + r"(?:(?:[ \t]+" + _INITIALS + r")?[ \t]+"
            + word + r"){0,2}(?![\w-])(?![ \t]+[A-ZÆØÅ])")  # not «Fjordvik» of «Fjordvik Vel»


@cache
def _name_rules(extra: frozenset[str] = frozenset()) -> tuple[tuple[str, re.Pattern[str]], ...]:
    names = _names()
    first = _alternation(names["first"] | extra)
    unambiguous = _alternation((names["first"] - names["ambiguous"]) | extra)
    not_stop = r"(?!(?i:" + _stop_words() + r")(?![\w-]))"
    return (
        ("relasjon/tittel + navn", re.compile(
            r"(?<![\w])(?i:" + _RELATIONS + r")(?:\s+(?i:min|mi|mitt|mine|vår|vårt|våre|hans|"
            r"hennes|dykkar))?\s+(?P<name>(?:" + _INITIALS + r"[ \t]+)?" + _CAP_WORD
            + r"(?:-" + _CAP_WORD + r")*(?:(?:[ \t]+" + _INITIALS + r")?[ \t]+" + _SURNAME
            + r"){0,3})")),
        ("etternavn", re.compile(
            r"(?<![\w])(?P<name>(?:" + _INITIALS + r"[ \t]+)?(?:"
            + _alternation(names["surnames"]) + r"))(?![\w])")),
        ("fornavn + etternavn", re.compile(r"(?<![\w])(?P<name>" + _full_name(first) + ")")),
        ("fornavn", re.compile(r"(?<=[\w,;)»\"'’%])[ \t]+(?P<name>" + first + r")s?(?![\w])")),
        ("fornavn", re.compile(r"(?:^|[.!?…:]\s+|\n\s*|[-–•*(«\"]\s*)(?P<name>" + unambiguous
                               + r")s?(?![\w])")),
        ("navn med initial", re.compile(
            r"(?<![\w.])(?P<name>(?!" + _OPENERS + r")" + not_stop + _CAP_WORD + r"(?:-"
            + _CAP_WORD + r")*[ \t]+" + _INITIALS + r"[ \t]+" + not_stop + _SURNAME
            + r")(?![\w-])")),
        ("navn med initial", re.compile(
            r"(?<![\w.])" + _OPENERS + r"[ \t]+(?P<name>" + _INITIALS + r"[ \t]+" + not_stop
            + _SURNAME + r")(?![\w-])")),
        ("fornavn (liten bokstav)", re.compile(
            r"(?<![\w@./#\[-])(?P<name>" + _alternation(names["lower_case"])
            + r")(?![\w@\]-])(?!\.\w)")),
    )


@cache
def _joined_rules(tag: str) -> tuple[re.Pattern[str], ...]:
    """Names joined to a masked one (``tag``) by «og», «eller», «&», «og/eller» or a comma in a
    list: «[navn] og Aisha», «Aisha og [navn]», «[navn], Aisha og Fatima»."""
    tag, name, first = re.escape(tag), _joined_name(), _alternation(_names()["first"])
    return (
        re.compile(r"(?<=" + tag + r")" + _AND + r"(?P<name>" + name + r")"),
        re.compile(r"(?<=" + tag + r")" + _COMMA + r"(?P<name>" + name + r")(?=(?:" + _COMMA
                   + name + r")*(?:" + _AND + r"(?:" + tag + r"|" + name + r")|" + _COMMA
                   + tag + r"))"),
        # before a masked name, mid-sentence, where the capital letter shows a name
        re.compile(r"(?<=[\w,;)»\"'’%][ \t])(?P<name>" + name + r")(?=(?:" + _AND + r"|"
                   + _COMMA + r")" + tag + r")"),
        # at the start of a sentence, before a list («Aisha, [navn] og [navn]»)
        re.compile(r"(?:^|(?<=[.!?…:\n])[ \t]*)(?P<name>" + name + r")(?=" + _COMMA + tag
                   + r"(?:" + _AND + r"|" + _COMMA + r"))"),
        # or any listed first name («Per og [navn]»)
        re.compile(r"(?<![\w-])(?P<name>(?:" + first + r")(?:-" + _CAP_WORD + r")?)(?=(?:"
                   + _AND + r"|" + _COMMA + r")" + tag + r")"),
    )


def flag_names_series(series: pd.Series, *, extra_names: Iterable[str] = ()) -> pd.Series:
    """Vectorised :func:`flag_names`: the reason per text (nullable string), NA where none."""
    text = _as_text(series)
    reason = pd.Series(pd.NA, index=text.index, dtype="string")
    for label, pattern in _name_rules(_extra_names(extra_names)):
        found = text.str.extract(pattern, expand=False).astype("string")
        reason = reason.fillna(label + " «" + found + "»")
    return reason


def mask_names_series(series: pd.Series, *, extra_names: Iterable[str] = (),
                      tag: str = NAME_TAG) -> pd.Series:
    """Every name :func:`flag_names` would find (all rules, every match, not only the first)
    replaced by ``tag``, a full name as one: «Per Olav Berg i Storgata» → «[navn] i Storgata».
    A capitalised name joined to a masked one by «og», «eller», «&», «og/eller» or a comma in a
    list is masked too («Mohammed og Aisha» → «[navn] og [navn]»), but not a stop word, shop,
    service or place («Kari og Nav», «Kari og Storgata»). For published word counts and shared
    sheets; the flag itself stays the way to review a text by hand."""
    text = _as_text(series)

    def blank(found: re.Match[str]) -> str:
        start, (lo, hi) = found.start(), found.span("name")
        whole = found.group(0)
        return whole[:lo - start] + tag + whole[hi - start:]

    whole_first = {"relasjon/tittel + navn": 0, "fornavn + etternavn": 1, "navn med initial": 1,
                   "etternavn": 2}
    rules = sorted(_name_rules(_extra_names(extra_names)),
                   key=lambda rule: whole_first.get(rule[0], 3))  # «Ola Hansen» before «Hansen»
    for _, pattern in rules:
        text = text.str.replace(pattern, blank, regex=True)
    for _ in range(8):  # a list («[navn], Aisha og Fatima») is masked one name per pass
        before = text
        for pattern in _joined_rules(tag):
            text = text.str.replace(pattern, blank, regex=True)
        if text.equals(before):
            break
    return text


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
    («naboen min Kari», «rektor Hansen», «fru Berg», «lege Siv Dahl»). A full name is found
    whole: a run of first names with its surname («Per Olav Berg», «Anne-Grete von Dahl»,
    «naboen Ylva Berg Dahl»), with initials («Siv Å. Dahl», «K. Hansen», «A.B. Olsen»). A listed
    first name in lower case («spør etter kari») counts unless it is also a word
    (``lower_case_words`` in the name list: «per», «liv», «tone», «jan» …). ``extra_names``:
    further first names (e.g. common in the municipality) that count everywhere, like
    unambiguous names.
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


def _data_text(name: str) -> str:
    return resources.files("soslokal_lib").joinpath("data", name).read_text(encoding="utf-8")
