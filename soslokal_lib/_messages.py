"""Error, warning and note texts in English and bokmål, keyed by a short id.

A raise site writes ``msg("survey.score_outside", scale=7)`` instead of an f-string. The result
is a :class:`Text`: a ``str`` holding the English wording (so ``str(exc)``, ``match=`` in tests
and library users see English, as before) that can also render itself in bokmål:
``text.render("nb")``. :class:`~soslokal_lib.errors.Problem` and
:class:`~soslokal_lib.errors.SoslokalError` pass ``lang`` on (``exc.describe("nb")``), and the
``soslokal`` command prints every error and note in its own language (``--lang en``).

Parameters are language-neutral values (file names, headers, numbers, lists of names) or
:class:`Text` themselves (rendered in the same language). Any ordinary string operation on a
:class:`Text` (``+``, an f-string) gives a plain English ``str``: a text that should be
translated must stay whole. Templates use ``str.format`` syntax; every entry has the same
placeholders in both languages (``tests/test_messages.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("en", "nb")


class Text(str):
    """A message whose ``str`` value is English and which :meth:`render` s in any language."""

    _render: Callable[[str], str]

    def __new__(cls, render: Callable[[str], str]) -> Text:
        obj = super().__new__(cls, render("en"))
        obj._render = render
        return obj

    def __reduce__(self) -> tuple:  # pickled (e.g. across processes) as its English text
        return (str, (str(self),))

    def render(self, lang: str = "en") -> str:
        """The text in ``lang`` (``"nb"``; anything else gives English)."""
        return self._render("nb" if lang == "nb" else "en")


def tr(text: object, lang: str = "en") -> str:
    """``text`` in ``lang`` when it is a :class:`Text`, else ``str(text)`` as it is."""
    return text.render(lang) if isinstance(text, Text) else str(text)


def msg(key: str, /, **params: object) -> Text:
    """The catalogue entry ``key`` filled with ``params`` (see the module docstring)."""
    entry = CATALOGUE[key]

    def render(lang: str) -> str:
        values = {k: tr(v, lang) if isinstance(v, Text) else v for k, v in params.items()}
        return entry[lang].format(**values)

    return Text(render)


def lazy(render: Callable[[str], str]) -> Text:
    """A :class:`Text` put together from others, e.g. ``lazy(lambda lang: f"{a}: {tr(b, lang)}")``."""
    return Text(render)


def hint(close: list[str] | tuple[str, ...]) -> Text | str:
    """«did you mean 'a', 'b'? » for close matches, or ``""`` when there are none."""
    return msg("hint.did_you_mean", names=", ".join(map(repr, close))) if close else ""


#: id → {"en": template, "nb": template}
CATALOGUE: dict[str, dict[str, str]] = {}


def _add(entries: dict[str, tuple[str, str]]) -> None:
    CATALOGUE.update({k: {"en": en, "nb": nb} for k, (en, nb) in entries.items()})


# --- frame and shared pieces ---------------------------------------------------------------------
_add({
    "frame.row": ("row {row}", "rad {row}"),
    "frame.column": ("column {column!r}", "kolonne {column!r}"),
    "frame.value": (" (value {value!r})", " (verdi {value!r})"),
    "frame.fix": ("Fix: {fix}", "Løsning: {fix}"),
    "frame.more": (" … and {n} more", " … og {n} til"),
    "hint.did_you_mean": ("did you mean {names}? ", "mente du {names}? "),
})

# --- soslokal check --------------------------------------------------------------------------
_add({
    "check.what.survey": ("survey{name}", "undersøkelsen{name}"),
    "check.what.areas": ("areas{name}", "områdene{name}"),
    "check.what.levekar": ("levekår {name}", "levekår {name}"),
    "check.what.ssb": ("SSB {name}", "SSB {name}"),
    "check.what.weights": ("weights population{name}", "vekting, befolkningstall{name}"),
    "check.outside": (
        "{n} area(s) of {file} lie outside kommune {kommune} ({how}) and are left out: {names}",
        "{n} område(r) i {file} ligger utenfor kommune {kommune} ({how}) og er utelatt: "
        "{names}"),
    "check.cut_prefix": ("by code: prefix {kommune}", "etter kode: begynner med {kommune}"),
    "check.cut_outline": ("by the kommune's outline", "etter kommunegrensen"),
    "check.dont_know": (
        "{n} answer(s) «vet ikke», «ikke relevant» or the like are no scores; they are counted "
        "per area and theme (n_dont_know)",
        "{n} svar «vet ikke», «ikke relevant» o.l. er ingen skår; de telles per nabolag og tema "
        "(n_dont_know)"),
    "check.same_problem": (
        "column {column!r}: {n} more row(s) with the same problem ({message}): rows {rows}",
        "kolonne {column!r}: {n} rad(er) til med samme problem ({message}): rad {rows}"),
    "check.population_csv": (
        "{path}: not a readable CSV ({error}). Fix: save it as UTF-8 CSV, or use the SSB 04362 "
        "JSON-stat file.",
        "{path}: ikke en lesbar CSV-fil ({error}). Løsning: lagre den som CSV i UTF-8, eller "
        "bruk JSON-stat-fila for SSB-tabell 04362."),
    "check.no_areas": (
        "no [areas] table: the survey's area answers are used as they are",
        "ingen [areas]-tabell: områdesvarene i undersøkelsen brukes slik de er"),
    "check.unmatched_one": ("{value!r} ({n} answer(s){hint})", "{value!r} ({n} svar{hint})"),
    "check.unmatched_hint": ("; did you mean {names}?", "; mente du {names}?"),
    "check.unmatched_outside": (
        "; {names} lie(s) outside the kommune (check number and boundary under [kommune])",
        "; {names} ligger utenfor kommunen (sjekk number og boundary under [kommune])"),
    "check.unmatched": (
        "{n} area answer(s) in {survey} match no code or name in {areas}: {listed}{where}. "
        "Fix: correct those answers in the survey, or the area names in {areas}",
        "{n} områdesvar i {survey} passer ikke med noen kode eller navn i {areas}: "
        "{listed}{where}. Løsning: rett disse svarene i undersøkelsen, eller områdenavnene i "
        "{areas}"),
    "check.empty_boundary": (
        " (if some lie outside the kommune, add boundary = \"<file with the kommune's "
        "outline>\" under [kommune] to leave them out)",
        " (ligger noen utenfor kommunen: legg til boundary = \"<fil med kommunegrensen>\" "
        "under [kommune] for å utelate dem)"),
    "check.empty": (
        "{n} area(s) without respondents, so no page or statistics in the report: {names}{hint}",
        "{n} område(r) uten svar, og dermed uten side eller tall i rapporten: {names}{hint}"),
    "os.not_found": ("file not found", "fila finnes ikke"),
    "os.denied": ("permission denied", "ingen tilgang"),
    "os.is_dir": ("is a folder, not a file", "er en mappe, ikke en fil"),
    "os.not_dir": ("a part of the path is not a folder", "en del av stien er ikke en mappe"),
})
