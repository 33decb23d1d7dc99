"""Errors raised by soslokal. Every one is a ``ValueError`` so callers may catch broadly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class SoslokalError(ValueError):
    """Root of every error soslokal raises on bad input or bad data."""


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
    """

    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    fix: str | None = None

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


def raise_problems(
    error: type[SoslokalError], source: object, problems: Sequence[Problem]
) -> None:
    """Raise one ``error`` naming ``source`` and the first problem; count the rest.

    Does nothing when ``problems`` is empty.
    """
    if not problems:
        return
    first = problems[0].describe()
    text = f"{source}: {first}"
    if len(problems) > 1:
        text += f" … and {len(problems) - 1} more"
    exc = error(text)
    exc.problems = list(problems)
    raise exc
