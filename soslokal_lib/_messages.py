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

The catalogue's entries live in two data modules by area: :mod:`soslokal_lib._messages_app`
(check, config, merging areas, report), :mod:`soslokal_lib._messages_io` (reading the
inputs) and :mod:`soslokal_lib._messages_rounds` (survey rounds); the shared pieces are here.
"""

from __future__ import annotations

from collections.abc import Callable

from soslokal_lib import (
    _messages_app,
    _messages_headers,
    _messages_io,
    _messages_rounds,
    _messages_zones,
)
from soslokal_lib.numformat import lang_key

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
        """The text in ``lang``: bokmål or English, read by
        :func:`soslokal_lib.numformat.lang_key` (``"nn"`` gives bokmål, ``"eng"`` English, an
        unknown code a :class:`ValueError`)."""
        return self._render(lang_key(lang))


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


# --- frame and shared pieces ------------------------------------------------------------------
_add({
    "frame.row": ("row {row}", "rad {row}"),
    "frame.column": ("column {column!r}", "kolonne {column!r}"),
    "frame.value": (" (value {value!r})", " (verdi {value!r})"),
    "frame.fix": ("Fix: {fix}", "Løsning: {fix}"),
    "frame.more": (" … and {n} more", " … og {n} til"),
    "hint.did_you_mean": ("did you mean {names}? ", "mente du {names}? "),
})
_add(_messages_app.ENTRIES)
_add(_messages_io.ENTRIES)
_add(_messages_headers.ENTRIES)
_add(_messages_rounds.ENTRIES)
_add(_messages_zones.ENTRIES)
