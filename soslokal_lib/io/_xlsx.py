"""XLSX sheets into a :class:`~soslokal_lib.io._columns.Table`: calamine, with openpyxl where
calamine reads differently (split from :mod:`soslokal_lib.io._table`)."""


from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from soslokal_lib._messages import msg
from soslokal_lib.errors import SoslokalError
from soslokal_lib.io._columns import _HEADER_SCAN_ROWS, Column, Table, _columns, _fail

# --- XLSX ---------------------------------------------------------------------------------------


def _read_xlsx(path: Path, raw: bytes, sheet: str | int | None, known: Callable[[str], bool],
               error: type[SoslokalError]) -> Table:
    """A workbook read by calamine (Rust), or by openpyxl where calamine cannot give what
    openpyxl gives (:func:`_read_xlsx_calamine` says where); the same table either way."""
    table = _read_xlsx_calamine(path, raw, sheet, known, error)
    if table is None:
        table = _read_xlsx_openpyxl(path, raw, sheet, known, error)
    return table


def _read_xlsx_openpyxl(path: Path, raw: bytes, sheet: str | int | None,
                        known: Callable[[str], bool], error: type[SoslokalError]) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException …
        raise error(f"{path}: cannot be opened as an Excel workbook (.xlsx) "
                    f"({type(exc).__name__}). Fix: save it from Excel or LibreOffice as .xlsx "
                    "or as CSV.") from None
    try:
        names = book.sheetnames

        def head(name: str) -> list[list[str]]:
            return [[_cell_text(v) for v in row] for row in
                    book[name].iter_rows(max_row=_HEADER_SCAN_ROWS, values_only=True)]

        chosen = _choose_sheet(path, names, sheet, head, known, error)
        ws = book[chosen]
        ws.reset_dimensions()
        values = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    if not any(any(c for c in row) for row in values):
        raise _empty_sheet(path, chosen, names, error)
    start = _header_index(values, known)
    width = max(len(r) for r in values)
    grid = [r + [""] * (width - len(r)) for r in values]
    data = pd.DataFrame(grid[start + 1:], columns=range(width), dtype=str)
    rows = np.arange(start + 2, start + 2 + len(data))
    meta = {"sheet": chosen, "changes": _title_rows(grid, start)}
    return Table(grid[start], _columns(data), rows, start + 1, meta)


def _empty_sheet(path: Path, chosen: str, names: list[str],
                 error: type[SoslokalError]) -> SoslokalError:
    return error(f"{path}: sheet {chosen!r} is empty. Fix: choose the sheet with the survey "
                 f"results with sheet=… (sheets: {', '.join(map(repr, names))}).")


def _title_rows(grid: list[list[str]], start: int) -> list[dict[str, Any]]:
    return [{"row": i + 1, "column": None, "value": next(c for c in grid[i] if c),
             "action": "skipped", "reason": "title row above the header"}
            for i in range(start) if any(grid[i])]


class _Fallback(Exception):
    """calamine cannot give what openpyxl gives for this workbook: read it with openpyxl."""


def _read_xlsx_calamine(path: Path, raw: bytes, sheet: str | int | None,
                        known: Callable[[str], bool],
                        error: type[SoslokalError]) -> Table | None:
    """:func:`_read_xlsx_openpyxl`'s table, read by python-calamine; ``None`` where openpyxl
    must read the workbook instead:

    - python-calamine is not installed, or cannot open the workbook or the sheet (openpyxl
      then reads it or gives the error it always gave);
    - the workbook has a sheet that is not a worksheet (chart, macro or dialog sheet), or its
      sheets cannot be matched to their XML parts;
    - the sheet has error cells (``#N/A``, ``#DIV/0!``: calamine reads them as blank, openpyxl
      as their text), which is found by scanning the sheet's XML;
    - a number of 2**53 or more (calamine reads every number as a double; openpyxl reads
      ``12345678901234567890`` as that integer);
    - a date-formatted cell that calamine reads as midnight without a date (0, a value just
      below 1 or a negative serial, which openpyxl reads as a date).

    The sheet's XML also gives its last row: openpyxl yields rows down to the last one in the
    file, blank or only formatted, which become «empty row» changes in ``meta``; calamine stops
    at the last value, so the rows below it are added back here.
    """
    try:
        import python_calamine
    except ImportError:
        return None
    from concurrent.futures import ThreadPoolExecutor

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
        parts = _sheet_parts(raw)
        if (not names or list(parts) != names or any(
                m.typ != python_calamine.SheetTypeEnum.WorkSheet for m in book.sheets_metadata)):
            return None
        loaded: dict[str, Any] = {}

        def load(name: str) -> Any:
            if name not in loaded:
                loaded[name] = book.get_sheet_by_name(name)
            return loaded[name]

        def head(name: str) -> list[list[str]]:
            return [[_xlsx_text(v) for v in row] for row in
                    load(name).to_python(skip_empty_area=False, nrows=_HEADER_SCAN_ROWS)]

        chosen = _choose_sheet(path, names, sheet, head, known, error)
        with ThreadPoolExecutor(max_workers=1) as pool:  # both release the GIL
            scan = pool.submit(_scan_sheet_xml, raw, parts[chosen])
            values = load(chosen).to_python(skip_empty_area=False)
            has_errors, last_row = scan.result()
        if has_errors or last_row < len(values):
            return None
        width = max((len(r) for r in values), default=0)
        values += [[""] * width for _ in range(last_row - len(values))]
        top = [[_xlsx_text(v) for v in row] for row in values[:_HEADER_SCAN_ROWS]]
        start = _header_index(top, known) if top else 0
        body = values[start + 1:]
        cells = list(zip(*body, strict=True)) if body else [()] * width
        columns = [_xlsx_column(c) for c in cells]
    except SoslokalError:
        raise
    except Exception:  # _Fallback, and whatever calamine or the XML scan cannot read
        return None
    if not any(any(c for c in row) for row in top[:start + 1]) and all(
            _blank(c.stripped()) for c in columns):
        raise _empty_sheet(path, chosen, names, error)
    grid = [r + [""] * (width - len(r)) for r in top]
    rows = np.arange(start + 2, start + 2 + len(body))
    meta = {"sheet": chosen, "changes": _title_rows(grid, start)}
    return Table(grid[start] if grid else [""] * width, columns, rows, start + 1, meta)


def _blank(column: Column) -> bool:
    return not len(column) or (len(column.dictionary) == 1 and column.code_of("") is not None)


def _xlsx_text(value: Any) -> str:
    """:func:`_cell_text` of a value as openpyxl gives it, from calamine's value."""
    kind = type(value)
    if kind is str:
        return value.strip()
    if kind is float:
        if abs(value) >= 2.0 ** 53:
            raise _Fallback
        return str(int(value)) if value.is_integer() else str(value)
    if kind is datetime.date:  # openpyxl: a datetime at midnight
        return datetime.datetime.combine(value, datetime.time()).isoformat()
    if kind is datetime.time and value == datetime.time():
        raise _Fallback
    return _cell_text(value)


def _xlsx_column(cells: tuple) -> Column:
    """The texts of a column of calamine values, encoded on their distinct values."""
    kinds = set(map(type, cells))
    if kinds <= {str}:
        return Column.encode(pa.array(cells, type=pa.string()))
    if bool in kinds:  # True == 1.0: told apart cell by cell
        return Column.encode(pa.array([_xlsx_text(v) for v in cells], type=pa.string()))
    codes, uniques = pd.factorize(np.asarray(cells, dtype=object))  # 1 and 1.0 alike: «1»
    inner, texts = pd.factorize(np.array([_xlsx_text(v) for v in uniques], dtype=object))
    return Column(inner[codes].astype(np.int32), pa.array(texts, type=pa.string()))


def _sheet_parts(raw: bytes) -> dict[str, str]:
    """Sheet name → the path of its XML in the workbook's zip archive, in workbook order."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def target(base: str, ref: str) -> str:
        return ref.lstrip("/") if ref.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(base), ref))

    archive = zipfile.ZipFile(io.BytesIO(raw))
    package = ElementTree.fromstring(archive.read("_rels/.rels"))
    book = next(target("", r.get("Target", "")) for r in package
                if r.get("Type", "").endswith("/officeDocument"))
    folder, name = posixpath.split(book)
    rels = ElementTree.fromstring(archive.read(posixpath.join(folder, "_rels", name + ".rels")))
    refs = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for element in ElementTree.fromstring(archive.read(book)).iter():
        if local(element.tag) == "sheet":
            rid = next(v for k, v in element.attrib.items() if local(k) == "id" and k != "id")
            parts[element.get("name")] = target(book, refs[rid])
    return parts


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


def _scan_sheet_xml(raw: bytes, part: str) -> tuple[bool, int]:
    """Whether a sheet's XML has error cells (``t="e"``; a false alarm only costs speed), and
    the number of its last row element (0 when it has none)."""
    import zipfile

    errors, tail = False, b""
    with zipfile.ZipFile(io.BytesIO(raw)).open(part) as stream:
        while chunk := stream.read(1 << 22):
            joined = tail[-8:] + chunk
            errors = errors or b't="e"' in joined or b"t='e'" in joined
            tail = (tail + chunk)[-(1 << 20):]
    tags = list(_ROW_TAG.finditer(tail))
    if not tags:
        return errors, 0
    found = tags[-1]
    end = tail.find(b">", found.start())
    number = _ROW_NUMBER.search(tail, found.start(), end if end >= 0 else len(tail))
    if number is None:
        raise _Fallback
    return errors, int(number.group(1))


def _choose_sheet(path: Path, names: list[str], sheet: str | int | None,
                  head: Callable[[str], list[list[str]]], known: Callable[[str], bool],
                  error: type[SoslokalError]) -> str:
    listing = ", ".join(repr(n) for n in names)
    if sheet is None:
        for name in names:  # the first sheet with a recognisable header
            if _header_index(head(name), known, strict=True) is not None:
                return name
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if -len(names) <= sheet < len(names):
            return names[sheet]
        raise _fail(error, path, msg("table.no_sheet_number", sheet=sheet, n=len(names),
                                     listing=listing),
                    msg("table.no_sheet_number.fix"), msg("table.no_sheet_number.fix_config"))
    for name in names:
        if name == sheet or name.strip().casefold() == str(sheet).strip().casefold():
            return name
    raise _fail(error, path, msg("table.no_sheet", sheet=sheet),
                msg("table.no_sheet.fix", listing=listing),
                msg("table.no_sheet.fix_config", listing=listing))


def _header_index(values: list[list[str]], known: Callable[[str], bool],
                  strict: bool = False) -> int | None:
    """The row with the most known headers (at least two; the first such row on a tie).

    Title rows above the header hold at most one known name, data rows none, so this finds the
    header even when an export adds many columns soslokal does not know (timestamps, …).
    """
    best, best_hits, first_filled = None, 1, None
    for i, row in enumerate(values[:_HEADER_SCAN_ROWS]):
        filled = [c for c in row if c]
        if not filled:
            continue
        if first_filled is None:
            first_filled = i
        hits = sum(known(c) for c in filled)
        if hits > best_hits:
            best, best_hits = i, hits
    if best is not None or strict:
        return best
    return first_filled or 0


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()
