"""Scores from walks (gåtur), workshops and focus groups: :func:`read_group_scores`.

The guide recommends these sessions for the groups a survey misses. Each row is one session's
score on one theme: område, kanal (gåtur, verksted, fokusgruppe), tema, skår (1–7, a group's
agreed score or its average), antall deltakere and dato. The scores are kept apart from the
survey (never pooled with it): :func:`soslokal_lib.stats.group_scores.summarise_group_scores`
sums them up per area and theme under the privacy rule, and the compass draws them as an
outline of their own.

Bad input is an error naming the row (the header is row 1): a score outside 1–7, an unknown
area or theme (with the closest names), an unknown channel, a participant count that is not a
whole number of at least 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from soslokal_lib.errors import Problem, SoslokalError, raise_problems
from soslokal_lib.io.actions import (
    area_lookup,
    both,
    closest_fix,
    find_area,
    find_theme,
    theme_lookup,
)

#: Channels and the spellings read as them.
CHANNELS: dict[str, tuple[str, ...]] = {
    "gåtur": ("gatur", "walk", "walking interview", "befaring"),
    "verksted": ("workshop", "bylab", "arbeidsmøte", "dialogmøte"),
    "fokusgruppe": ("focus group", "fokusgruppeintervju", "gruppeintervju"),
}
COLUMNS = ("row", "area_id", "channel", "theme", "score", "participants", "date")
_HEADERS: dict[str, tuple[str, ...]] = {
    "area": ("område", "omrade", "nabolag", "area", "area_id", "neighbourhood"),
    "channel": ("kanal", "channel", "metode", "method", "type"),
    "theme": ("tema", "theme"),
    "score": ("skår", "skar", "score", "poeng"),
    "participants": ("antall deltakere", "deltakere", "participants", "antall", "n"),
    "date": ("dato", "date"),
}
_REQUIRED = ("area", "channel", "theme", "score", "participants")


class GroupScoreError(SoslokalError):
    """A file of group and walk scores cannot be read as it stands."""


def _key(text: object) -> str:
    return " ".join(str(text).replace("_", " ").split()).casefold()


def read_group_scores(path: str | Path, areas: Mapping[str, str] | Any = None, *,
                      labels: Mapping[str, str] | None = None, sheet: str | int = 0,
                      scale: int = 7) -> pd.DataFrame:
    """Read group and walk scores from a CSV or XLSX file (see the module docstring).

    ``areas``: the kommune's areas (id → name, or :class:`~soslokal_lib.io.inputs.Inputs`,
    whose ``names`` are used); without it any area is accepted as given. ``labels``: the
    kommune's own theme names. Returns :data:`COLUMNS` (``row`` the spreadsheet row, ``theme``
    a code, ``date`` ISO or NA), one row per session and theme.
    """
    path = Path(path)
    if areas is not None and hasattr(areas, "names"):
        areas = {str(k): str(v) for k, v in areas.names.items()}
    raw = _read(path, sheet)
    found: dict[str, Any] = {}
    for col in raw.columns:
        for name, spellings in _HEADERS.items():
            if _key(col) in spellings and name not in found:
                found[name] = col
    missing = [n for n in _REQUIRED if n not in found]
    if missing:
        wanted = ", ".join(_HEADERS[n][0] for n in missing)
        raise GroupScoreError(both(
            f"{path}: no column for {wanted}; columns: {', '.join(map(str, raw.columns))}",
            f"{path}: mangler kolonne for {wanted}; kolonner: "
            f"{', '.join(map(str, raw.columns))}"))
    by_area = area_lookup(areas) if areas is not None else None
    by_theme = theme_lookup(labels)
    channels = {_key(alias): name for name, aliases in CHANNELS.items()
                for alias in (name, *aliases)}
    problems: list[Problem] = []
    rows = []

    def bad(r: int, name: str, en: str, nb: str, value: Any = None,
            fix: Any = None) -> None:
        problems.append(Problem(both(en, nb), row=r, column=str(found[name]), value=value,
                                fix=fix))

    for i, record in enumerate(raw.to_dict("records")):
        r = i + 2
        get = {n: _blank(record.get(c)) for n, c in found.items()}
        if all(v is None for v in get.values()):
            continue
        area = get["area"]
        if area is None:
            bad(r, "area", "no area", "mangler område")
        elif by_area is not None:
            area, close = find_area(area, by_area, areas)
            if area is None:
                bad(r, "area", f"unknown area «{get['area']}»", f"ukjent område «{get['area']}»",
                    fix=closest_fix(close, "use the kommune's areas", "bruk kommunens områder"))
        else:
            area = str(area).strip()
        theme = None
        if get["theme"] is None:
            bad(r, "theme", "no theme", "mangler tema")
        else:
            theme, close = find_theme(get["theme"], by_theme)
            if theme is None:
                bad(r, "theme", f"unknown theme «{get['theme']}»",
                    f"ukjent tema «{get['theme']}»",
                    fix=closest_fix(close, "use one of the 14 themes", "bruk et av de 14 temaene"))
        channel = channels.get(_key(get["channel"])) if get["channel"] is not None else None
        if channel is None:
            bad(r, "channel", f"unknown channel «{get['channel']}»",
                f"ukjent kanal «{get['channel']}»",
                fix=both("use gåtur, verksted or fokusgruppe",
                         "bruk gåtur, verksted eller fokusgruppe"))
        score = _number(get["score"])
        if score is None or not 1 <= score <= scale:
            bad(r, "score", f"the score must be a number from 1 to {scale}",
                f"skåren må være et tall fra 1 til {scale}", value=get["score"])
        people = _number(get["participants"])
        if people is None or people < 1 or not float(people).is_integer():
            bad(r, "participants", "the number of participants must be a whole number of at "
                "least 1", "antall deltakere må være et helt tall, minst 1",
                value=get["participants"])
        date = _date(get.get("date"))
        if date is False:
            bad(r, "date", "not a date", "ikke en dato", value=get.get("date"),
                fix=both("write e.g. 2026-05-04 or 04.05.2026", "skriv f.eks. 04.05.2026"))
        rows.append({"row": r, "area_id": area, "channel": channel, "theme": theme,
                     "score": score, "participants": int(people) if people else None,
                     "date": date or None})
    raise_problems(GroupScoreError, path, problems)
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out = out.astype({"row": "Int64", "area_id": "string", "channel": "string",
                      "theme": "string", "score": "float64", "participants": "Int64",
                      "date": "string"})
    out.attrs["source"] = path.name
    out.attrs["scale"] = scale
    return out


def _read(path: Path, sheet: str | int) -> pd.DataFrame:
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            return pd.read_excel(path, sheet_name=sheet, dtype=object)
        return pd.read_csv(path, sep=None, engine="python", dtype=object,
                           encoding="utf-8-sig")
    except FileNotFoundError:
        raise GroupScoreError(both(f"{path}: the file does not exist.",
                                   f"{path}: fila finnes ikke.")) from None
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise GroupScoreError(both(f"{path}: cannot be read: {exc}",
                                   f"{path}: kan ikke leses: {exc}")) from None


def _blank(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value).replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        return None


def _date(value: Any) -> str | bool | None:
    """ISO date, None when empty, False when it is no date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    parsed = pd.to_datetime(text, format="%d.%m.%Y", errors="coerce")
    return False if pd.isna(parsed) else parsed.date().isoformat()
