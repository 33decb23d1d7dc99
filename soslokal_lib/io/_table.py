"""Read a CSV or XLSX file into a table of strings, without coercing anything.

Shared by the survey loader (and usable by other loaders). A :class:`Table` keeps the header
as written, every cell as a stripped string (``""`` when blank) and the row number of each data
row as a spreadsheet user counts it, so that errors can point at the right cell.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from soslokal_lib._messages import msg
from soslokal_lib.errors import Problem, SoslokalError, problems_error, raise_problems

#: Delimiters tried when sniffing a CSV header, in order of preference on a tie.
DELIMITERS = (";", ",", "\t", "|")
_DELIMITER_NAMES = {";": "';'", ",": "','", "\t": "tab", "|": "'|'"}
_HEADER_SCAN_ROWS = 30
#: What ``str.strip()`` removes: every character Python counts as white space.
#: (``"".join(chr(c) for c in range(0x110000) if chr(c).isspace())``; tests/test_read_survey_fast.py)
_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
          "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_PREFIX_BYTES = 1 << 16  # the start of a CSV file decoded to sniff its header
_SAMPLE_ROWS = 20_000  # rows whose distinct values are looked up in the rest of a long column
_SAMPLE_VALUES = 200  # … when they are at most this many


class Column:
    """One column's cells as codes into its distinct values (in order of first appearance).

    Checks run on the distinct values (``uniques``) and are spread to the cells with
    ``codes``; a survey column repeats a handful of values, so that is one pass over the
    cells per check instead of one string operation per cell.
    """

    __slots__ = ("codes", "dictionary", "_uniques")

    def __init__(self, codes: np.ndarray, dictionary: pa.Array) -> None:
        self.codes = codes
        self.dictionary = dictionary
        self._uniques: np.ndarray | None = None

    @classmethod
    def encode(cls, array: pa.Array | pa.ChunkedArray) -> Column:
        """The cells of a string array, as they are (not stripped)."""
        if len(array) > 4 * _SAMPLE_ROWS:  # look the cells up among the first rows' values
            sample = pc.unique(array.slice(0, _SAMPLE_ROWS))
            if len(sample) <= _SAMPLE_VALUES:
                found = pc.index_in(array, value_set=sample)
                if found.null_count == 0:  # no other values: the first rows' are in file order
                    codes = found.to_numpy() if isinstance(found, pa.Array) else np.concatenate(
                        [c.to_numpy(zero_copy_only=False) for c in found.chunks])
                    return cls(codes, sample)
        encoded = pc.dictionary_encode(array)
        if isinstance(encoded, pa.ChunkedArray):
            chunks = encoded.chunks
            if not chunks:
                return cls(np.zeros(0, np.int32), pa.array([], pa.string()))
            dictionary = chunks[-1].dictionary  # one dictionary for every chunk
            codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
        else:
            dictionary, codes = encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False)
        return cls(codes, dictionary)

    @classmethod
    def from_series(cls, text: pd.Series) -> Column:
        """A column of a frame of strings (the cells stripped, as :func:`via_uniques` does)."""
        values = via_uniques(text, lambda u: u.str.strip()).to_numpy(dtype=object)
        codes, uniques = pd.factorize(values)
        return cls(codes.astype(np.int32), pa.array(uniques, type=pa.string()))

    def stripped(self) -> Column:
        """The cells with white space around them removed (as ``str.strip``)."""
        trimmed = pc.utf8_trim(self.dictionary, characters=_SPACE)
        if trimmed.equals(self.dictionary):
            return self
        again = pc.dictionary_encode(trimmed)  # first appearance kept: the order is the same
        inner = again.indices.to_numpy(zero_copy_only=False)
        return Column(inner[self.codes], again.dictionary)

    @property
    def uniques(self) -> np.ndarray:
        """The distinct values as Python strings."""
        if self._uniques is None:
            self._uniques = self.dictionary.to_numpy(zero_copy_only=False)
        return self._uniques

    def __len__(self) -> int:
        return len(self.codes)

    def counts(self) -> np.ndarray:
        return np.bincount(self.codes, minlength=len(self.dictionary))

    def code_of(self, value: str) -> int | None:
        found = pc.index(self.dictionary, value).as_py()
        return None if found < 0 else found

    def values(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The cells (of ``rows``) as an object array of strings."""
        return self.uniques[self.codes if rows is None else self.codes[rows]]

    def arrow(self) -> pa.Array:
        return self.dictionary.take(pa.array(self.codes))

    def series(self) -> pd.Series:
        return pd.Series(self.values(), dtype=str)

    def take(self, rows: np.ndarray) -> Column:
        """The cells of ``rows`` (positions or a boolean mask), values renumbered."""
        codes, used = pd.factorize(self.codes[rows])
        return Column(codes.astype(np.int32), self.dictionary.take(pa.array(used)))


@dataclass
class Table:
    """A file read as strings: ``header`` as written, ``columns`` 0..n-1 (:class:`Column`)."""

    header: list[str]
    columns: list[Column]
    rows: np.ndarray
    header_row: int = 1
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> pd.DataFrame:
        """The cells as a frame of strings (columns 0..n-1)."""
        return pd.DataFrame({i: c.series() for i, c in enumerate(self.columns)})


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
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: file not found. Fix: check the path and the file name.") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a file. Fix: give the path of the file.") from None
    known = is_header or (lambda cell: False)
    meta: dict[str, Any] = {
        "source": str(path),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "encoding": None,
        "delimiter": None,
        "sheet": None,
    }
    if not raw[:4096].strip() and not raw.strip():  # (strip copies the whole file)
        raise error(f"{path}: the file is empty. Fix: export the survey results again.")
    if raw.startswith(b"PK\x03\x04"):
        meta["format"] = "xlsx"
        table = _read_xlsx(path, raw, sheet, known, error)
    else:
        _refuse_non_table(path, raw, error)
        meta["format"] = "csv"
        table = _read_csv(path, raw, encoding, delimiter, known, error)
    table.meta = {**meta, **table.meta}
    return _tidy(table, path, error)


def via_uniques(text: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised string function to the distinct values of ``text`` only.

    Survey columns repeat a handful of values (scores, areas), so this is much faster than
    running the function over every cell.
    """
    codes, uniques = pd.factorize(text)
    result = func(pd.Series(uniques, dtype=str))
    return pd.Series(result.to_numpy()[codes], index=text.index, dtype=result.dtype)


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


def _read_csv(path: Path, raw: bytes, encoding: str | None, delimiter: str | None,
              known: Callable[[str], bool], error: type[SoslokalError]) -> Table:
    table = _read_csv_arrow(path, raw, encoding, delimiter, known, error)
    if table is not None:
        return table
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


def _columns(data: pd.DataFrame) -> list[Column]:
    return [Column.from_series(data[i]) for i in data.columns]


def _read_csv_arrow(path: Path, raw: bytes, encoding: str | None, delimiter: str | None,
                    known: Callable[[str], bool], error: type[SoslokalError]) -> Table | None:
    """The fast path of :func:`_read_csv`: a UTF-8 file parsed by pyarrow, every cell a string.

    ``None`` whenever the file needs the full path (another encoding, a parse error such as a
    row with too many or too few cells, a blank line, a JSON or HTML document, a header that
    the sniffing refuses): that path gives the file's problems as always.
    """
    import pyarrow.csv as pacsv

    if encoding or raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
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
                                             newlines_in_values=b'"' in raw,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)}, null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=True))
    except (pa.ArrowException, ValueError):
        return None
    if parsed.num_columns != width or any(t != pa.string() for t in parsed.schema.types) \
            or parsed.num_rows == 0:
        return None
    header = [str(v) for v in parsed.slice(0, 1).to_pylist()[0].values()]
    data = parsed.slice(1)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:  # pyarrow releases the GIL
        columns = list(pool.map(Column.encode, data.columns))
    rows = np.arange(2, data.num_rows + 2) + skipped
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


def _fail(error: type[SoslokalError], path: Path, message: str, fix: str, fix_config: str,
          row: int | None = None) -> SoslokalError:
    """``error`` for one problem, its fix worded for both audiences (to ``raise``)."""
    return problems_error(error, path, [Problem(message, row=row, fix=fix,
                                                fix_config=fix_config)])


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
    import re

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
    first = columns[0]
    has_other = pc.match_substring_regex(first.dictionary, f"[{others}]")
    has_other = has_other.to_numpy(zero_copy_only=False)
    if not has_other.any():
        return
    lone = has_other[first.codes]
    for column in columns[1:]:
        empty = column.code_of("")
        if empty is None:
            return
        lone &= column.codes == empty
    if lone.any():
        problems = [Problem(msg("table.row_one_cell", name=_dname(sep)), row=int(r),
                            fix=msg("table.row_one_cell.fix")) for r in rows[lone]]
        raise_problems(error, path, problems)


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
