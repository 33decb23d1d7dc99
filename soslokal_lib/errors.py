"""Errors raised by soslokal. Every one is a ``ValueError`` so callers may catch broadly.

Messages are English (``str(exc)``); those written with :func:`soslokal_lib._messages.msg`
also render in bokmål: ``exc.describe("nb")``, ``problem.describe(lang="nb")``. The
``soslokal`` command shows them in its language (bokmål, ``--lang en``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from soslokal_lib._messages import msg, tr


class SoslokalError(ValueError):
    """Root of every error soslokal raises on bad input or bad data.

    An error raised for a bad file carries ``problems`` (every :class:`Problem` found, not only
    the first one the message shows) and ``source`` (the file); see :func:`raise_problems`.
    """

    problems: list[Problem]
    source: object = None

    def describe(self, lang: str = "en", config: bool = False) -> str:
        """The message in ``lang`` (``"nb"`` or ``"en"``): the first problem and how many more,
        or the message itself. ``str(exc)`` is the English one; texts not in the catalogue
        (:mod:`soslokal_lib._messages`) stay English."""
        problems = getattr(self, "problems", None)
        if not problems:
            return tr(self.args[0], lang) if self.args else ""
        text = prefixed(self.source, problems[0].describe(config=config, lang=lang), lang)
        if len(problems) > 1:
            text += tr(msg("frame.more", n=len(problems) - 1), lang)
        return text

    def describe_all(self, config: bool = False, lang: str = "en") -> list[str]:
        """One line per problem («source: row …: message. Fix: …»); the message when the error
        carries no problems. ``config=True`` words each fix for a config-file user."""
        problems = getattr(self, "problems", None)
        if not problems:
            return [self.describe(lang)]
        return [prefixed(self.source, p.describe(config=config, lang=lang), lang)
                for p in problems]


def prefixed(source: object, text: str, lang: str) -> str:
    """«source: text», or ``text`` when there is no source (the text names it)."""
    return text if source is None else f"{tr(source, lang)}: {text}"


class SurveyFormatError(SoslokalError):
    """A survey export cannot be read as it stands."""


class AreaFormatError(SoslokalError):
    """A boundary file or area table cannot be read as it stands."""


class DataSourceError(SoslokalError):
    """A data source (SSB, a cache, a levekår sheet) gave something unusable."""


class ConfigError(SoslokalError):
    """A municipality configuration is incomplete or inconsistent."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located as a spreadsheet user would look for it.

    ``row`` counts as a spreadsheet does: the header is row 1, the first data row is row 2.
    ``fix`` is worded for a library user (the Python argument to pass); ``fix_config``, when
    the remedy differs, for a config-file user (the TOML line to add, e.g.
    ``under [survey.columns] add "Spm 7" = "facilities_services"``).
    """

    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    fix: str | None = None
    fix_config: str | None = None

    def describe(self, config: bool = False, lang: str = "en") -> str:
        """The problem as one sentence; ``config=True`` gives the config-file fix, ``lang``
        the language (message and fix in bokmål when they come from the catalogue)."""
        where = []
        if self.row is not None:
            where.append(tr(msg("frame.row", row=self.row), lang))
        if self.column is not None:
            where.append(tr(msg("frame.column", column=self.column), lang))
        text = ", ".join(where)
        message = tr(self.message, lang)
        text = f"{text}: {message}" if text else message
        if self.value is not None:
            text += tr(msg("frame.value", value=self.value), lang)
        fix = self.fix_config if config and self.fix_config else self.fix
        if fix:
            fixed = tr(msg("frame.fix", fix=tr(fix, lang)), lang)
            text += f"{'' if text.endswith('?') else '.'} {fixed}"
        return text


def raise_problems(
    error: type[SoslokalError], source: object, problems: Sequence[Problem]
) -> None:
    """Raise one ``error`` naming ``source`` and the first problem; count the rest.

    The error carries every problem as ``.problems`` and ``source`` as ``.source`` (so that
    ``soslokal check`` can list them all). Does nothing when ``problems`` is empty.
    """
    if problems:
        raise problems_error(error, source, problems)


def problems_error(
    error: type[SoslokalError], source: object, problems: Sequence[Problem]
) -> SoslokalError:
    """The error :func:`raise_problems` raises, for ``raise … from None`` in an ``except``."""
    exc = error("")
    exc.problems = list(problems)
    exc.source = source
    exc.args = (exc.describe(),)
    return exc


class ProblemWarning(UserWarning):
    """A warning about an input that is read anyway; ``problem`` holds the details (and the
    fix in both wordings, see :class:`Problem`)."""

    def __init__(self, source: object, problem: Problem) -> None:
        super().__init__(f"{source}: {problem.describe()}")
        self.source = source
        self.problem = problem

    def describe(self, config: bool = False, lang: str = "en") -> str:
        """The warning as one sentence; ``config=True`` gives the config-file fix."""
        return f"{tr(self.source, lang)}: {self.problem.describe(config=config, lang=lang)}"
