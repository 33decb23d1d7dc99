"""``[[levekar]]`` in a municipality's configuration: the kommune's levekår sheets.

::

    [[levekar]]
    path = "levekar_soner.xlsx"   # one sheet per block (CSV or XLSX)
    sheet = "Soner"               # XLSX: the sheet's name or number; default the first
    orientation = "columns"       # "rows" (zones as rows) or "columns"; detected when left out
    id_column = "Sone"            # zones as rows: the column with the zone codes
    [levekar.indicators]          # what the sheet's columns (or rows) are, where needed
    "Barn i lavinntektsfamilier (%)" = { id = "child_low_income", direction = "lower_is_better",
                                         dimension = "social_infrastructure", unit = "prosent" }
    "Andel med bil (%)" = false   # leave this one out
    "Lav utdanning (%)" = "low_education"   # a built-in indicator's id

A sheet **per zone of the survey** (``[areas]``: codes or names) is data: its indicators
enter the indicator table, the composites and the gradients
(:func:`soslokal_lib.indicators.levekar_data.read_levekar_data`); a sheet on another level
(grunnkrets) only marks the register figures the kommune suppressed. Labels the project knows
(«Vedvarende lavinntekt», «Trangbodde» …) need no entry; any other label of a zone sheet must
be named in ``indicators``, else the report stops and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from soslokal_lib._messages import msg
from soslokal_lib.indicator_registry import REGISTRY, sheet_choices, sheet_indicator

KEYS = ("path", "sheet", "orientation", "id_column", "indicators")
_BUILTIN = {i.id for i in REGISTRY}


@dataclass(frozen=True)
class LevekarSheet:
    """One municipal levekår sheet (arguments of :func:`soslokal_lib.io.levekar.read_levekar`)
    and ``indicators``: sheet label → a built-in indicator id, ``False`` (left out) or an
    inline definition (a dict of :func:`soslokal_lib.indicators.load_indicators` fields)."""

    path: Path
    sheet: str | int | None = None
    orientation: str | None = None
    id_column: str | None = None
    indicators: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def to_parameter(self) -> dict[str, Any]:
        """The sheet as a notebook parameter (JSON-like)."""
        return {"path": str(self.path), "sheet": self.sheet, "orientation": self.orientation,
                "id_column": self.id_column,
                "indicators": {k: (dict(v) if isinstance(v, Mapping) else v)
                               for k, v in self.indicators.items()} or None}


def parse_levekar(reader: Any, value: object, bad: object) -> object:
    """Read the ``[[levekar]]`` blocks into a tuple of :class:`LevekarSheet`; problems go to
    ``reader``."""
    if value is None:
        return ()
    tables = [value] if isinstance(value, dict) else value
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        return reader.fail("[[levekar]]", msg("config.levekar"), fix=msg("config.levekar.fix"))
    p = reader
    sheets = []
    for table in tables:
        p.keys("[[levekar]]", table, KEYS)
        parts = {
            "path": p.required("[[levekar]]", table, "path", p.file),
            "sheet": p.optional("[[levekar]]", table, "sheet", p.sheet),
            "orientation": p.optional("[[levekar]]", table, "orientation",
                                      p.choice(("rows", "columns"))),
            "id_column": p.optional("[[levekar]]", table, "id_column", p.text),
            "indicators": p.optional("[[levekar]]", table, "indicators",
                                     _indicators(reader, bad), {}),
        }
        if bad not in parts.values():
            parts["indicators"] = MappingProxyType(dict(parts["indicators"]))
            sheets.append(LevekarSheet(**parts))
    return tuple(sheets)


def _indicators(reader: Any, bad: object):
    def parse(key: str, value: object) -> object:
        if not isinstance(value, dict):
            return reader.fail(key, msg("levekar.indicators"), value,
                               msg("levekar.indicators.fix"))
        out: dict[str, Any] = {}
        for label, target in value.items():
            where = f"{key} {label!r}"
            if target is False:
                out[label] = False
            elif isinstance(target, str):
                if target not in _BUILTIN:
                    close, ids = sheet_choices(target, label)
                    reader.fail(where, msg("levekar.indicator_id"), target,
                                msg("levekar.indicator_id.fix", close=close, ids=ids))
                out[label] = target
            elif isinstance(target, dict):
                ind, problems = sheet_indicator(str(label), target)
                for problem in problems:
                    reader.fail(where, problem.message, problem.value, problem.fix)
                if ind is not None and ind.id in _BUILTIN:
                    reader.fail(where, msg("levekar.indicator_clash"), ind.id,
                                msg("levekar.indicator_clash.fix"))
                out[label] = dict(target)
            else:
                reader.fail(where, msg("levekar.indicators"), target,
                            msg("levekar.indicators.fix"))
        return out if len(out) == len(value) else bad
    return parse
