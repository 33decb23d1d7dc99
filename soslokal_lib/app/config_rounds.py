"""Survey rounds in a municipality's configuration: several ``[[survey]]`` blocks and ``[rounds]``.

::

    [[survey]]
    round = "2021"
    path = "svar_2021.csv"
    [survey.columns]            # this block's own column mapping
    "Bydel" = "area_id"

    [[survey]]
    round = "2024"
    path = "svar_2024.xlsx"

    [rounds]
    crosswalk = { "Gamle Nord" = "Nord" }   # or crosswalk = "kobling.csv" (columns old,new)

Every block takes the keys of ``[survey]`` plus ``round``; the latest round (by
:func:`soslokal_lib.stats.rounds.round_key`: «2024» after «2021») is the **main round**: its block
fills the ``[survey]`` settings of :class:`~soslokal_lib.app.config.Config` (``survey_path``,
``columns`` …), so everything that reads one survey keeps reading the main round. A single
``[survey]`` table (or one ``[[survey]]`` block) works exactly as before; it may carry a
``round`` too. ``Config.rounds`` lists every round as :class:`SurveyRound` ``(label, path,
columns)``, oldest first, and ``Config.round_options`` the other keyword arguments of
:func:`~soslokal_lib.io.survey.read_survey` per label.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from soslokal_lib._messages import msg
from soslokal_lib.io.survey import DEFAULT_MISSING_TOKENS
from soslokal_lib.stats.rounds import round_key

#: Keys of ``[survey]`` that a ``[[survey]]`` block may give besides ``round``.
READ_KEYS = ("sheet", "themes", "missing_tokens", "scale", "delimiter", "encoding")


class SurveyRound(NamedTuple):
    """One round of the configuration: its label, file and column mapping (``area_column``
    included as ``{header: "area_id"}``)."""

    label: str | None
    path: Path
    columns: Mapping[str, str | None]


def split_blocks(reader: Any, data: dict, bad: object) -> tuple[dict, list, list, int, Any]:
    """``(data, blocks, labels, main, crosswalk)``: ``data`` with ``"survey"`` replaced by the
    main round's block, every block and its label (``None`` when not given, ``bad`` when
    wrong), the main block's position and the parsed ``[rounds] crosswalk`` (or ``None``).
    Problems go to ``reader`` (the config's validating reader)."""
    crosswalk = None
    rounds = reader.table(data, "rounds")
    if rounds is not None:
        reader.keys("[rounds]", rounds, {"crosswalk": ()})
        crosswalk = reader.optional("[rounds]", rounds, "crosswalk", _crosswalk(reader))
    survey = data.get("survey")
    if not isinstance(survey, list):
        return data, [], [], 0, crosswalk
    blocks = [b for b in survey if isinstance(b, dict)]
    if len(blocks) != len(survey) or not blocks:
        reader.fail("[[survey]]", msg("config.not_table"), fix=msg("config.not_table.fix",
                                                                   name="survey"))
        return {**data, "survey": None}, [], [], 0, crosswalk
    seen: dict[str, int] = {}
    labels = []
    for i, block in enumerate(blocks, start=1):
        where = f"[[survey]] {i}"
        label = reader.optional(where, block, "round", label_parser(reader))
        if label is None and len(blocks) > 1:
            reader.fail(where, msg("config.round_missing"),
                        fix=msg("config.round_missing.fix"))
        if isinstance(label, str):
            key = " ".join(label.split()).casefold()
            if key in seen:
                reader.fail(where, msg("rounds.duplicate", label=label,
                                       first=f"[[survey]] {seen[key]}", second=where))
            seen[key] = i
        labels.append(label if isinstance(label, str) else None)
    named = [i for i, label in enumerate(labels) if label is not None]
    main = max(named, key=lambda i: round_key(labels[i])) if named else len(blocks) - 1
    return {**data, "survey": blocks[main]}, blocks, labels, main, crosswalk


def parse_rounds(reader: Any, blocks: list[dict], labels: list, main: int, values: dict,
                 bad: object) -> tuple:
    """``(rounds, options)`` for :class:`~soslokal_lib.app.config.Config`: every block as a
    :class:`SurveyRound`, oldest first, and ``{label: read_survey options}``. The main block
    was validated as ``[survey]`` by the config (its ``values``); the others here."""
    rounds, options = [], {}
    for i, block in enumerate(blocks):
        where = f"[[survey]] {i + 1}"
        if i == main:
            path, columns, area = (values.get(k) for k in ("survey_path", "columns",
                                                           "area_column"))
            parsed = {k: values.get(k) for k in READ_KEYS}
        else:
            allowed = {k: () for k in ("path", "columns", "area_column", "source", "round",
                                       *READ_KEYS)}
            reader.keys(where, block, allowed)
            path = reader.required(where, block, "path", reader.file)
            columns = reader.optional(where, block, "columns", reader.columns, {})
            area = reader.optional(where, block, "area_column", reader.text)
            parsed = {k: reader.optional(where, block, k, getattr(reader, _PARSERS[k]))
                      for k in READ_KEYS}
        if any(v is bad for v in (path, columns, area, *parsed.values())):
            continue
        mapping = dict(columns or {})
        if area:
            mapping[area] = "area_id"
        if parsed["themes"]:
            parsed["themes"] = list(parsed["themes"])
        if parsed["missing_tokens"]:  # a list: the options reach notebooks as parameters
            parsed["missing_tokens"] = [*DEFAULT_MISSING_TOKENS, *parsed["missing_tokens"]]
        parsed = {k: v for k, v in parsed.items() if v is not None}
        rounds.append(SurveyRound(labels[i], path, MappingProxyType(mapping)))
        options[labels[i]] = MappingProxyType({**parsed, "round": labels[i]})
    rounds.sort(key=lambda r: round_key(r.label or ""))
    return tuple(rounds), MappingProxyType(options)


_PARSERS = {"sheet": "sheet", "themes": "themes", "missing_tokens": "strings", "scale": "scale",
            "delimiter": "delimiter", "encoding": "text"}


def label_parser(reader: Any):
    def parse(key: str, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
            return reader.fail(key, msg("config.round_label"), value,
                               msg("config.round_label.fix"))
        return str(value).strip()
    return parse


def _crosswalk(reader: Any):
    def parse(key: str, value: object) -> object:
        if isinstance(value, str):
            return reader.file(key, value)
        if isinstance(value, dict) and all(isinstance(v, (str, list)) for v in value.values()):
            return MappingProxyType({str(k): v if isinstance(v, str) else list(v)
                                     for k, v in value.items()})
        return reader.fail(key, msg("rounds.crosswalk_type", kind=type(value).__name__), value)
    return parse
