"""Read a CSV or XLSX file into a table of strings, without coercing anything.

Shared by the survey loader (and usable by other loaders). A :class:`Table` keeps the header
as written, every cell as a stripped string (``""`` when blank) and the row number of each data
row as a spreadsheet user counts it, so that errors can point at the right cell.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import mmap
import os
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from soslokal_lib._messages import msg
from soslokal_lib.errors import Problem, SoslokalError, raise_problems
from soslokal_lib.io._columns import (  # Column, Table, via_uniques: public through here too
    Column,
    Table,
    _columns,
    _fail,
)
from soslokal_lib.io._xlsx import _read_xlsx

#: Delimiters tried when sniffing a CSV header, in order of preference on a tie.
DELIMITERS = (";", ",", "\t", "|")
_DELIMITER_NAMES = {";": "';'", ",": "','", "\t": "tab", "|": "'|'"}
_PREFIX_BYTES = 1 << 16  # the start of a CSV file decoded to sniff its header
_MAP_BYTES = 1 << 24  # a CSV file at least this big is memory-mapped rather than read


def read_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    is_header: Callable[[str], bool] | None = None,
    error: type[SoslokalError] = SoslokalError,
) -> Table:
    """Read ``path`` (CSV/TSV/TXT or XLSX) as strings; the file itself is never modified.

    ``is_header(cell)`` says whether a cell looks like a known column header; it guides the
    delimiter guess in CSV files and the search for the header row below title rows in XLSX.
    """
    path = Path(path)
    try:
        raw = _load(path)
    except FileNotFoundError:
        raise error(f"{path}: file not found. Fix: check the path and the file name.") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a file. Fix: give the path of the file.") from None
    known = is_header or (lambda cell: False)
    meta: dict[str, Any] = {"source": str(path), "sha256": None, "encoding": None,
                            "delimiter": None, "sheet": None}
    if not raw[:4096].strip() and not raw[:].strip():  # (strip copies the whole file)
        raise error(f"{path}: the file is empty. Fix: export the survey results again.")
    try:
        if raw[:4] == b"PK\x03\x04":
            meta["format"] = "xlsx"
            table = _read_xlsx(path, raw, sheet, known, error)
        else:
            _refuse_non_table(path, raw, error)
            meta["format"] = "csv"
            table = _read_csv(path, raw, encoding, delimiter, known, error)
        table.meta = {**meta, **table.meta}
        table = _tidy(table, path, error)
    except BaseException:
        _let_go(raw)  # an error kept in a notebook must not keep the file mapped
        raise
    table.digest = _hash_meanwhile(raw)
    return table


def _load(path: Path) -> bytes | mmap.mmap:
    """The file's bytes; a large CSV file as a read-only memory map (not copied: the parser
    reads the pages where they are), closed once it has been hashed."""
    with path.open("rb") as file:
        if os.fstat(file.fileno()).st_size < _MAP_BYTES or file.read(4) == b"PK\x03\x04":
            file.seek(0)
            return file.read()
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


def _let_go(raw: bytes | mmap.mmap) -> None:
    """Close a memory map (nothing for bytes); one still in use is closed when collected."""
    if isinstance(raw, mmap.mmap):
        with contextlib.suppress(BufferError):
            raw.close()


def _hash_meanwhile(raw: bytes | mmap.mmap) -> Future[str]:
    """The sha256 of ``raw``, computed on another thread (hashlib releases the GIL) while the
    caller checks the cells, which mostly runs on one core; ``Table.finished_meta`` waits."""

    def digest() -> str:
        try:
            return hashlib.sha256(raw).hexdigest()
        finally:
            _let_go(raw)

    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(digest)
    finally:
        pool.shutdown(wait=False)


def column_letter(position: int) -> str:
    """Spreadsheet letter of a 0-based column position: 0 → A, 26 → AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- what a file is ---------------------------------------------------------------------------


def _refuse_non_table(path: Path, raw: bytes, error: type[SoslokalError]) -> None:
    head = raw[:4096]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise error(f"{path}: is an old Excel .xls workbook. Fix: open it in Excel or LibreOffice "
                    "and save it as .xlsx or as CSV.")
    if head.startswith(b"%PDF"):
        raise error(f"{path}: is a PDF document, not a table. Fix: export the survey results as "
                    "CSV or XLSX from the survey tool.")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise error(f"{path}: is a binary file, not a table. Fix: export the survey results as "
                    "CSV or XLSX.")


def _refuse_structured_text(path: Path, text: str, error: type[SoslokalError]) -> None:
    start = text.lstrip()[:200].lower()
    if start.startswith(("{", "[")):
        try:
            json.loads(text)
        except ValueError:
            return
        raise error(f"{path}: is a JSON document, not a table. Fix: export the survey results as "
                    "CSV or XLSX (one row per respondent, one column per question).")
    if start.startswith(("<!doctype html", "<html", "<?xml")):
        raise error(f"{path}: is an HTML/XML document, not a table (perhaps a web page saved "
                    "instead of the download). Fix: export the survey results as CSV or XLSX.")


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(path: Path, raw: bytes | mmap.mmap, encoding: str | None, delimiter: str | None,
              known: Callable[[str], bool], error: type[SoslokalError]) -> Table:
    table = _read_csv_arrow(path, raw, encoding, delimiter, known, error)
    if table is not None:
        return table
    raw = raw[:]  # the bytes themselves (of a memory map: a copy)
    text, used = _decode(path, raw, encoding, delimiter, known, error)
    _refuse_structured_text(path, text, error)
    directive = None
    first, _, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        directive, text = first.strip()[4], rest  # Excel's "sep=;" line; Excel does not show it
    if not text.strip():
        raise error(f"{path}: the file is empty. Fix: export the survey results again.")
    body = text.lstrip("\r\n")
    skipped = text[:len(text) - len(body)].count("\n")  # blank lines above the header
    sep = _choose_delimiter(path, body.split("\n", 2)[:2], delimiter or directive, known,
                            error, 1 + skipped)
    try:
        frame = pd.read_csv(io.StringIO(body), sep=sep, header=None, dtype=str,
                            na_filter=False, skip_blank_lines=False, engine="c",
                            quotechar='"', doublequote=True)
    except pd.errors.ParserError as exc:
        raise error(_parser_message(path, str(exc), sep, skipped)) from None
    header = [str(c) for c in frame.iloc[0]]
    data = frame.iloc[1:].reset_index(drop=True)
    data.columns = range(data.shape[1])
    rows = np.arange(2, len(data) + 2) + skipped
    _check_row_delimiters(path, data, rows, sep, error)
    meta = {"encoding": used, "delimiter": sep}
    return Table(header, _columns(data), rows, 1 + skipped, meta)


def _read_csv_arrow(path: Path, raw: bytes | mmap.mmap, encoding: str | None, delimiter: str | None,
                    known: Callable[[str], bool], error: type[SoslokalError]) -> Table | None:
    """The fast path of :func:`_read_csv`: a UTF-8 file parsed by pyarrow, every cell a string.

    ``None`` whenever the file needs the full path (another encoding, a parse error such as a
    row with too many or too few cells, a blank line, a JSON or HTML document, a header that
    the sniffing refuses): that path gives the file's problems as always.
    """
    import pyarrow.csv as pacsv

    if encoding or raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return None
    start = len(codecs.BOM_UTF8) if raw[:3] == codecs.BOM_UTF8 else 0
    head = raw[start:start + _PREFIX_BYTES]
    if len(raw) - start > _PREFIX_BYTES:
        head = head[:head.rfind(b"\n") + 1]
    try:
        prefix = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    begin = prefix.lstrip()[:200].lower()
    if begin.startswith(("{", "[", "<!doctype html", "<html", "<?xml")):
        return None
    directive, text = None, prefix
    first, _, rest = prefix.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        directive, text = first.strip()[4], rest
    body = text.lstrip("\r\n")
    if not body.strip() or (len(head) < len(raw) - start and body.count("\n") < 2):
        return None
    skipped = text[:len(text) - len(body)].count("\n")
    try:
        sep = _choose_delimiter(path, body.split("\n", 2)[:2], delimiter or directive, known,
                                error, 1 + skipped)
    except SoslokalError:
        return None  # the full path says why, after reading the whole file
    width = len(_split(body.split("\n", 1)[0].rstrip("\r"), sep))
    offset = start + len(prefix[:len(prefix) - len(body)].encode("utf-8"))
    try:
        parsed = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(raw)[offset:]),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True,
                                             escape_char=False,
                                             newlines_in_values=raw.find(b'"') >= 0,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)}, null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=False))
    except (pa.ArrowException, ValueError):
        return None
    if parsed.num_columns != width or any(t != pa.string() for t in parsed.schema.types) \
            or parsed.num_rows == 0:
        return None
    data = parsed.slice(1)
    with ThreadPoolExecutor(max_workers=2) as pool:  # pyarrow releases the GIL
        columns = list(pool.map(Column.encode, data.columns))
    n_rows, header_cells = data.num_rows, parsed.slice(0, 1)
    try:  # UTF-8 checked on the distinct values only, not on every cell during the parse
        for column in columns:
            column.dictionary.validate(full=True)
        header_cells.validate(full=True)
    except pa.ArrowInvalid:
        return None  # the full path names the bytes that are not UTF-8
    header = [str(v) for v in header_cells.to_pylist()[0].values()]
    del parsed, data, header_cells  # the columns hold copies: the file's pages can go
    rows = np.arange(2, n_rows + 2) + skipped
    _check_row_delimiters_columns(path, columns, rows, sep, error)
    used = "utf-8-sig" if start else "utf-8"
    return Table(header, columns, rows, 1 + skipped, {"encoding": used, "delimiter": sep})


def _choose_delimiter(path: Path, lines: list[str], given: str | None,
                      known: Callable[[str], bool], error: type[SoslokalError], row: int) -> str:
    """The given delimiter, or the sniffed one; refuse a header that stays one column."""
    header_line = lines[0].rstrip("\r")
    guess = _sniff_delimiter(lines, known)
    sep = given or guess
    cells = _split(header_line, sep) if sep else [header_line]
    name = _dname(sep)
    if len(cells) < 2:
        shown = header_line if len(header_line) <= 80 else header_line[:77] + "…"
        if sep and guess and guess != sep:
            raise _fail(error, path, msg("table.one_column_with", name=name, shown=shown,
                                         guess=_dname(guess)),
                        msg("table.delimiter.fix", guess=guess),
                        msg("table.delimiter.fix_config", guess=_toml(guess)), row)
        raise _fail(error, path, msg("table.one_column", shown=shown),
                    msg("table.one_column.fix"), msg("table.one_column.fix_config"), row)
    if given and guess and guess != given:
        given_known = sum(known(c.strip()) for c in cells)
        guess_known = sum(known(c.strip()) for c in _split(header_line, guess))
        if given_known == 0 and guess_known >= 2:
            raise _fail(error, path, msg("table.no_header_with", given=given,
                                         guess=_dname(guess), n=guess_known),
                        msg("table.delimiter.fix", guess=guess),
                        msg("table.delimiter.fix_config", guess=_toml(guess)), row)
    return sep


def _dname(sep: str | None) -> object:
    """A delimiter as a reader names it («';'», «tab»/«tabulator»)."""
    return msg("table.tab") if sep == "\t" else _DELIMITER_NAMES.get(sep or "", repr(sep))


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _decode(path: Path, raw: bytes, encoding: str | None, delimiter: str | None,
            known: Callable[[str], bool], error: type[SoslokalError]) -> tuple[str, str]:
    if encoding:
        try:
            return raw.decode(encoding).lstrip("\ufeff"), encoding
        except LookupError:
            raise _fail(error, path, msg("table.unknown_encoding", encoding=encoding),
                        msg("table.unknown_encoding.fix"),
                        msg("table.unknown_encoding.fix_config")) from None
        except UnicodeDecodeError as exc:
            row = _row_of_offset(raw, exc.start, delimiter, known)
            raise _fail(error, path, msg("table.bad_encoding", encoding=encoding),
                        msg("table.bad_encoding.fix"), msg("table.bad_encoding.fix_config"),
                        row) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16").lstrip("\ufeff"), "utf-16"
        except UnicodeDecodeError:
            raise error(msg("table.bad_utf16", path=path)) from None
    try:
        text = raw.decode("utf-8-sig")
        return text, "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed_encodings(path, raw, delimiter, known, error)
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        row = _row_of_offset(raw, exc.start, delimiter, known)
        raise _fail(error, path, msg("table.no_encoding"), msg("table.no_encoding.fix"),
                    msg("table.no_encoding.fix_config"), row) from None


def _refuse_mixed_encodings(path: Path, raw: bytes, delimiter: str | None,
                            known: Callable[[str], bool], error: type[SoslokalError]) -> None:
    """Refuse a file in which some lines are UTF-8 and others cp1252 (pasted together)."""
    utf8_lines: list[int] = []
    cp_lines: list[int] = []
    offsets: dict[int, int] = {}
    offset = 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if max(line, default=0) >= 0x80:
            offsets[number] = offset
            try:
                line.decode("utf-8")
                utf8_lines.append(number)
            except UnicodeDecodeError:
                cp_lines.append(number)
        offset += len(line) + 1
    if not utf8_lines or not cp_lines:
        return
    bad, good_name, bad_name = (cp_lines, "UTF-8", "Windows cp1252")
    if len(utf8_lines) < len(cp_lines):
        bad, good_name, bad_name = (utf8_lines, "Windows cp1252", "UTF-8")
    rows = sorted({_row_of_offset(raw, offsets[n], delimiter, known) for n in bad})
    problems = [Problem(msg("table.mixed", good=good_name, bad=bad_name, n=len(rows)), row=r,
                        fix=msg("table.mixed.fix")) for r in rows]
    raise_problems(error, path, problems)


def _row_of_offset(raw: bytes, offset: int, delimiter: str | None,
                   known: Callable[[str], bool]) -> int:
    """Spreadsheet row (header = 1) of the record holding byte ``offset``."""
    line = raw.count(b"\n", 0, offset) + 1
    text = raw.decode("latin-1").lstrip("\ufeff")
    sep = delimiter or _sniff_delimiter(text.split("\n", 2)[:2], known) or ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    row = 0
    for _ in reader:
        row += 1
        if reader.line_num >= line:
            break
    return row


def _split(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep), [])


def _sniff_delimiter(lines: list[str], known: Callable[[str], bool]) -> str | None:
    """Best delimiter for a header line: most recognised headers, then a data row with as many
    cells, then most columns."""
    header = lines[0].rstrip("\r") if lines else ""
    second = lines[1].rstrip("\r") if len(lines) > 1 and lines[1].strip() else None
    best: tuple[tuple[int, bool, int], str] | None = None
    for sep in DELIMITERS:
        cells = _split(header, sep)
        if len(cells) < 2:
            continue
        consistent = second is None or len(_split(second, sep)) == len(cells)
        score = (sum(known(c.strip()) for c in cells), consistent, len(cells))
        if best is None or score > best[0]:
            best = (score, sep)
    return best[1] if best else None


def _parser_message(path: Path, message: str, sep: str, skipped: int) -> str:

    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if not found:
        return (f"{path}: cannot be read as a table ({message}). "
                "Fix: check the file in a text editor.")
    expected, line, saw = found.groups()
    row = int(line) + skipped
    return (f"{path}: row {row}: has {saw} cells but the header has {expected}. Fix: a text cell "
            f"on that row probably contains the delimiter {_DELIMITER_NAMES.get(sep, repr(sep))} "
            "without quotes; export the file again with quoted text, or correct that row.")


def _check_row_delimiters(path: Path, data: pd.DataFrame, rows: np.ndarray, sep: str,
                          error: type[SoslokalError]) -> None:
    """Refuse data rows that hold everything in their first cell with another delimiter."""
    if data.shape[1] < 2 or data.empty:
        return
    others = "".join(d for d in DELIMITERS if d != sep)
    lone = (data.iloc[:, 1:] == "").all(axis=1) & data[0].str.contains(f"[{others}]", regex=True)
    if lone.any():
        problems = [Problem(msg("table.row_one_cell", name=_dname(sep)), row=int(r),
                            fix=msg("table.row_one_cell.fix")) for r in rows[lone.to_numpy()]]
        raise_problems(error, path, problems)


def _check_row_delimiters_columns(path: Path, columns: list[Column], rows: np.ndarray, sep: str,
                                  error: type[SoslokalError]) -> None:
    """:func:`_check_row_delimiters` on columns of unstripped cells."""
    if len(columns) < 2 or not len(rows):
        return
    others = "".join(d for d in DELIMITERS if d != sep)
    lone = np.ones(len(rows), bool)
    for column in columns[1:]:  # rows blank after the first cell, then what that cell holds
        empty = column.code_of("")
        if empty is None:
            return
        lone &= column.codes == empty
    if not lone.any():
        return
    first = columns[0]
    has_other = pc.match_substring_regex(first.dictionary, f"[{others}]")
    lone &= has_other.to_numpy(zero_copy_only=False)[first.codes]
    if lone.any():
        problems = [Problem(msg("table.row_one_cell", name=_dname(sep)), row=int(r),
                            fix=msg("table.row_one_cell.fix")) for r in rows[lone]]
        raise_problems(error, path, problems)


# --- common -------------------------------------------------------------------------------------


def _tidy(table: Table, path: Path, error: type[SoslokalError]) -> Table:
    """Strip cells, drop empty rows (recorded) and empty unnamed columns."""
    columns = [c.stripped() for c in table.columns]
    header = [str(h).strip("\ufeff") for h in table.header]
    keep = [i for i, h in enumerate(header)
            if h.strip() or len(columns[i].dictionary) > 1 or columns[i].code_of("") is None]
    columns = [columns[i] for i in keep]
    header = [header[i] for i in keep]
    blank = np.ones(len(table.rows), bool)
    for column in columns:
        empty = column.code_of("")
        if empty is None:
            blank[:] = False
            break
        blank &= column.codes == empty
    changes = list(table.meta.get("changes", []))
    changes += [{"row": int(r), "column": None, "value": None, "action": "dropped",
                 "reason": "empty row"} for r in table.rows[blank]]
    rows = table.rows
    if blank.any():
        columns = [c.take(~blank) for c in columns]
        rows = rows[~blank]
    if not len(rows) or not columns:
        raise error(f"{path}: has a header but no data rows. Fix: export the survey results "
                    "again, with the responses.")
    meta = {**table.meta, "changes": changes, "header_row": table.header_row}
    return Table(header, columns, rows, table.header_row, meta)
