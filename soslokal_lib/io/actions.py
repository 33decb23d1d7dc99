"""The action log of a Bylab (``tiltak.xlsx``): a template to fill in, and the filled-in log read back.

:func:`soslokal_lib.app.actions.write_actions_template` writes the workbook ``soslokal
report`` puts in the report folder: a sheet «Tiltak» with the columns of :data:`HEADERS` (område, tema, tiltak, ansvar,
frist, status, kilde) and drop-down lists (data validation) for the kommune's areas, the 14
themes, who is responsible (:data:`RESPONSIBLE`) and the status, a sheet «Veiledning» in
bokmål, and a hidden sheet «Lister» holding the lists.

:func:`read_actions` reads a filled-in log back and checks it: an unknown area or theme is an
error naming the row and the closest names; cells merged down one column (an area written once
for several actions) are read as if the value stood in every row, cells merged across columns
are refused with their row and column; a deadline Excel stored as a number (a date serial such
as 45 800) is read as the date, any other number is refused; sheets with the log's header are
all read (each row named with its sheet), other sheets (the instructions, notes) are left out
and said so in :attr:`ActionLog.notes`. Every problem is collected; one
:class:`ActionLogError` lists them all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from soslokal_lib._messages import Text, lazy
from soslokal_lib.errors import Problem, SoslokalError, raise_problems
from soslokal_lib.themes import get_theme, theme_labels

#: Column → header in the template (bokmål), in order.
HEADERS: dict[str, str] = {
    "area": "Område", "theme": "Tema", "action": "Tiltak", "responsible": "Ansvar",
    "deadline": "Frist", "status": "Status", "source": "Kilde",
}
#: Other spellings of the headers that are read too (English, without accents).
_ALIASES = {"area": ("omrade", "nabolag", "area", "neighbourhood"), "theme": ("theme",),
            "action": ("action", "tiltak"), "responsible": ("ansvarlig", "responsible"),
            "deadline": ("deadline", "innen"), "status": (), "source": ("source", "kilde")}
REQUIRED = ("area", "theme", "action")
#: Who may be responsible for an action (the guide's roles).
RESPONSIBLE: tuple[str, ...] = ("innbyggere", "kommune", "utbygger", "frivillige")
#: Suggested states of an action (other text is read as well).
STATUS: tuple[str, ...] = ("planlagt", "i gang", "gjennomført", "avbrutt")
#: The area value meaning «the whole kommune».
WHOLE = "Hele kommunen"
SHEET = "Tiltak"
GUIDE = "Veiledning"
LISTS = "Lister"
#: Excel date serials read as dates: 1 January 1960 to 31 December 2099.
_SERIALS = (21916, 73415)
_EXCEL_EPOCH = dt.date(1899, 12, 30)

TABLE_COLUMNS = ("sheet", "row", "area_id", "theme", "action", "responsible", "deadline",
                 "status", "source")


class ActionLogError(SoslokalError):
    """An action log (``tiltak.xlsx``) cannot be read as it stands."""


def both(en: str, nb: str) -> Text:
    """A text in English and bokmål."""
    return lazy(lambda lang: nb if lang == "nb" else en)


def closest_fix(close: str, en: str, nb: str) -> Text:
    """«did you mean …?» with the closest names, else the fix ``en``/``nb``."""
    return both(f"did you mean {close}?" if close else en, f"mente du {close}?" if close else nb)


@dataclass(frozen=True)
class ActionLog:
    """A read action log: ``table`` (one row per action, :data:`TABLE_COLUMNS`; ``area_id``
    ``"total"`` for the whole kommune, ``theme`` a theme code, ``deadline`` ISO date or the
    text given) and ``notes`` (sheets left out, dates read from numbers)."""

    table: pd.DataFrame
    notes: tuple[Text, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.table)


# --- reading it back ----------------------------------------------------------------------------


def _key(text: object) -> str:
    return " ".join(str(text).replace("\u00a0", " ").split()).casefold()


def _plain(text: str) -> str:
    return _key(text).translate(str.maketrans({"å": "a", "ø": "o", "æ": "ae"}))


def area_lookup(areas: Mapping[str, str]) -> dict[str, str]:
    """Area id or name (case and spaces ignored) → area id, plus «Hele kommunen» → total."""
    found = {_key(WHOLE): "total", "total": "total", "hele kommunen": "total",
             "kommunen": "total", "whole municipality": "total"}
    for area_id, name in areas.items():
        found[_key(name)] = str(area_id)
        found[_key(area_id)] = str(area_id)
    return found


def theme_lookup(labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """The kommune's own theme names (``labels``) → code; other names go via get_theme."""
    return {_key(v): code for lang in ("nb", "en")
            for code, v in theme_labels(lang, labels if lang == "nb" else None).items()}


def find_area(value: object, lookup: Mapping[str, str], areas: Mapping[str, str]
              ) -> tuple[str | None, str]:
    """``(area_id, "")`` or ``(None, hint)`` with the closest names."""
    found = lookup.get(_key(value))
    if found is not None:
        return found, ""
    choices = [WHOLE, *map(str, areas.values())]
    close = difflib.get_close_matches(str(value).strip(), choices, n=3, cutoff=0.5)
    if not close:
        by_key = {_key(c): c for c in choices}
        close = [by_key[k] for k in difflib.get_close_matches(_key(value), list(by_key), n=3,
                                                              cutoff=0.4)]
    return None, ", ".join(f"«{c}»" for c in close)


def find_theme(value: object, lookup: Mapping[str, str]) -> tuple[str | None, str]:
    """``(theme code, "")`` or ``(None, hint)`` with the closest theme names."""
    found = lookup.get(_key(value))
    if found is not None:
        return found, ""
    try:
        return get_theme(value if isinstance(value, int) else str(value)).code, ""
    except SoslokalError:
        pass
    names = theme_labels("nb")
    choices = [*lookup]
    close = difflib.get_close_matches(_key(value), choices, n=3, cutoff=0.4)
    shown = dict.fromkeys(names[lookup[c]] for c in close)
    return None, ", ".join(f"«{c}»" for c in shown)


def read_actions(path: str | Path, areas: Mapping[str, str], *,
                 labels: Mapping[str, str] | None = None) -> ActionLog:
    """Read and check a filled-in action log (see the module docstring); ``areas`` maps the
    kommune's area ids to names, ``labels`` are the kommune's own theme names."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise ActionLogError(both(f"{path}: the action log does not exist.",
                                  f"{path}: tiltaksloggen finnes ikke.")) from None
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ActionLogError(both(f"{path}: not an Excel workbook (.xlsx): {exc}",
                                  f"{path}: ikke en Excel-arbeidsbok (.xlsx): {exc}")) from None
    problems: list[Problem] = []
    notes: list[Text] = []
    rows: list[dict] = []
    read_sheets = 0
    for ws in wb.worksheets:
        if ws.title in (GUIDE, LISTS):
            continue
        header_row, columns = _header(ws)
        if header_row is None:
            if ws.max_row > 1 or ws["A1"].value is not None:
                notes.append(both(
                    f"sheet «{ws.title}» has no action-log header ({', '.join(HEADERS.values())})"
                    " and was not read",
                    f"arket «{ws.title}» har ikke tiltaksloggens overskrifter "
                    f"({', '.join(HEADERS.values())}) og er ikke lest"))
            continue
        read_sheets += 1
        missing = [HEADERS[c] for c in REQUIRED if c not in columns]
        if missing:
            problems.append(Problem(both(
                f"sheet «{ws.title}» lacks the column(s) {', '.join(missing)}",
                f"arket «{ws.title}» mangler kolonnen(e) {', '.join(missing)}"),
                row=header_row, fix=both("write the header back as in the template",
                                         "skriv overskriften slik den står i malen")))
            continue
        grid = _values(ws, header_row, columns, problems)
        rows += _rows(ws.title, grid, columns, areas, labels, problems, notes)
    if not read_sheets:
        problems.append(Problem(both(
            f"no sheet has the action-log header ({', '.join(HEADERS.values())}); sheets: "
            f"{', '.join(wb.sheetnames)}",
            f"ingen ark har tiltaksloggens overskrifter ({', '.join(HEADERS.values())}); ark: "
            f"{', '.join(wb.sheetnames)}"), row=1,
            fix=both("use the template tiltak.xlsx the report wrote",
                     "bruk malen tiltak.xlsx som rapporten skrev")))
    raise_problems(ActionLogError, path, problems)
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    for col in TABLE_COLUMNS:
        table[col] = table[col].astype("Int64" if col == "row" else "string")
    return ActionLog(table=table, notes=tuple(notes))


def _header(ws: Any) -> tuple[int | None, dict[str, int]]:
    """The header's row (one of the first ten) and column → index (1-based)."""
    wanted = {_plain(h): c for c, h in HEADERS.items()}
    for c, names in _ALIASES.items():
        wanted.update({_plain(n): c for n in names})
    for r, cells in enumerate(ws.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
        found: dict[str, int] = {}
        for i, value in enumerate(cells, start=1):
            if isinstance(value, str) and _plain(value) in wanted:
                found.setdefault(wanted[_plain(value)], i)
        if len(found) >= 3:
            return r, found
    return None, {}


def _values(ws: Any, header_row: int, columns: Mapping[str, int],
            problems: list[Problem]) -> dict[int, dict[int, Any]]:
    """Row → column → value below the header; a range merged down one column fills every
    row, a range merged across the log's columns is a problem."""
    from openpyxl.utils import get_column_letter

    grid = {r: dict(enumerate(cells, start=1)) for r, cells in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1)}
    used = set(columns.values())
    for merged in ws.merged_cells.ranges:
        top, left = merged.min_row, merged.min_col
        spans = used & set(range(left, merged.max_col + 1))
        if merged.max_row <= header_row or not spans:
            continue
        if len(spans) > 1:
            names = [h for c, h in HEADERS.items() if columns.get(c) in spans]
            problems.append(Problem(both(
                f"cells {merged.coord} are merged across the columns {', '.join(names)}",
                f"cellene {merged.coord} er slått sammen over kolonnene {', '.join(names)}"),
                row=top, column=get_column_letter(left),
                fix=both("unmerge them and write each value in its own column",
                         "del opp cellene og skriv hver verdi i sin kolonne")))
            continue
        value = grid.get(top, {}).get(left)
        for r in range(max(top, header_row + 1), merged.max_row + 1):
            grid.setdefault(r, {})[left] = value
    return grid


def _rows(sheet: str, grid: Mapping[int, Mapping[int, Any]], columns: Mapping[str, int],
          areas: Mapping[str, str], labels: Mapping[str, str] | None,
          problems: list[Problem], notes: list[Text]) -> list[dict]:
    from openpyxl.utils import get_column_letter

    areas_by = area_lookup(areas)
    themes_by = theme_lookup(labels)
    out = []
    where = "" if sheet == SHEET else f"«{sheet}» "

    def cell(r: int, name: str) -> Any:
        value = grid[r].get(columns[name]) if name in columns else None
        return value.strip() or None if isinstance(value, str) else value

    def problem(r: int, name: str, en: str, nb: str, value: Any = None, fix: Text | None = None):
        problems.append(Problem(both(f"{where}{en}", f"{where}{nb}"), row=r,
                                column=f"{get_column_letter(columns[name])} ({HEADERS[name]})",
                                value=value, fix=fix))

    for r in sorted(grid):
        values = {name: cell(r, name) for name in HEADERS}
        if all(v is None for v in values.values()):
            continue
        area_id = theme = None
        if values["area"] is None:
            problem(r, "area", "no area", "mangler område",
                    fix=both(f"choose an area (or «{WHOLE}»)", f"velg et område (eller «{WHOLE}»)"))
        else:
            area_id, close = find_area(values["area"], areas_by, areas)
            if area_id is None:
                problem(r, "area", f"unknown area «{values['area']}»",
                        f"ukjent område «{values['area']}»",
                        fix=closest_fix(close, "choose from the list", "velg fra lista"))
        if values["theme"] is None:
            problem(r, "theme", "no theme", "mangler tema",
                    fix=both("choose one of the 14 themes", "velg et av de 14 temaene"))
        else:
            theme, close = find_theme(values["theme"], themes_by)
            if theme is None:
                problem(r, "theme", f"unknown theme «{values['theme']}»",
                        f"ukjent tema «{values['theme']}»",
                        fix=closest_fix(close, "choose from the list", "velg fra lista"))
        if values["action"] is None:
            problem(r, "action", "the action is empty", "tiltaket er tomt",
                    fix=both("describe the action, or delete the row",
                             "beskriv tiltaket, eller slett raden"))
        responsible = _responsible(values["responsible"])
        if responsible is None:
            problem(r, "responsible", f"unknown responsible «{values['responsible']}»",
                    f"ukjent ansvar «{values['responsible']}»",
                    fix=both(f"use {', '.join(RESPONSIBLE)}", f"bruk {', '.join(RESPONSIBLE)}"))
        deadline = _deadline(values["deadline"])
        if deadline is None:
            problem(r, "deadline", "the deadline is a number, not a date",
                    "fristen er et tall, ikke en dato", value=_serial(values["deadline"]),
                    fix=both("write a date such as 01.09.2026, or a text",
                             "skriv en dato som 01.09.2026, eller en tekst"))
        elif isinstance(values["deadline"], int | float) and not isinstance(
                values["deadline"], bool) and len(deadline) == 10:
            notes.append(both(f"{where}row {r}: the deadline {values['deadline']} was read as "
                              f"the Excel date {deadline}",
                              f"{where}rad {r}: fristen {values['deadline']} er lest som "
                              f"Excel-datoen {deadline}"))
        out.append({"sheet": sheet, "row": r, "area_id": area_id, "theme": theme,
                    "action": _text(values["action"]), "responsible": responsible or None,
                    "deadline": deadline or None, "status": _text(values["status"]),
                    "source": _text(values["source"])})
    return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) or None


def _responsible(value: Any) -> str | None:
    """The responsible roles joined by « / » ("" when empty), or None when one is unknown."""
    if value is None:
        return ""
    parts = [p for p in re.split(r"\s*(?:/|,|;|\bog\b|\band\b|\+|&)\s*", _key(value)) if p]
    aliases = {"innbygger": "innbyggere", "residents": "innbyggere", "kommunen": "kommune",
               "municipality": "kommune", "utbyggere": "utbygger", "utbyggerne": "utbygger",
               "developer": "utbygger", "kommune": "kommune",
               "frivillig": "frivillige", "volunteers": "frivillige"}
    roles = [aliases.get(p, p) for p in parts]
    if not roles or any(r not in RESPONSIBLE for r in roles):
        return None
    return " / ".join(dict.fromkeys(roles))


def _serial(value: Any) -> Any:
    """The number Excel stored for a date-formatted cell (as it was typed)."""
    if isinstance(value, dt.datetime):
        days = (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
        return round(days - (value < dt.datetime(1900, 3, 1)), 6)  # Excel's 29.2.1900
    return value


def _deadline(value: Any) -> str | None:
    """ISO date, the text given, "" when empty; None for a number that is no date."""
    if value is None:
        return ""
    if isinstance(value, dt.date):  # datetime too
        day = value.date() if isinstance(value, dt.datetime) else value
        # a small number in a cell formatted as a date (5 → 05.01.1900) is no deadline
        return day.isoformat() if day.year >= 1960 else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return str(int(value))  # a year
        if _SERIALS[0] <= value <= _SERIALS[1]:
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        return None
    text = " ".join(str(value).split())
    found = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if found:
        try:
            return dt.date(int(found[3]), int(found[2]), int(found[1])).isoformat()
        except ValueError:
            return text
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return _deadline(float(text.replace(",", ".")))
    return text


__all__ = ["HEADERS", "RESPONSIBLE", "STATUS", "TABLE_COLUMNS", "WHOLE", "ActionLog",
           "ActionLogError", "area_lookup", "find_area", "find_theme", "read_actions",
           "theme_lookup"]
