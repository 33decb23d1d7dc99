"""Read a municipality's register figures per grunnkrets: a tidy CSV and, optionally, the
grunnkrets boundaries (used by :func:`soslokal_lib.io.inputs.load_socio_tables`).

The CSV has one row per grunnkrets: ``area_id`` (the 8-digit grunnkrets code), ``population``
and indicator columns named as in :data:`soslokal_lib.indicators.REGISTRY` (``low_income_pct``,
``median_income_nok``, …; ``households`` as the weight of ``median_income_nok``), like
``data/sample/socio_grunnkrets.csv``. An optional ``area_name`` column is kept as text; every
other column must hold numbers (decimal comma or point, space as thousands separator). Blank
cells and SSB's symbols ``.``, ``..``, ``:``, ``-``, ``x`` and ``<3`` are missing values.
"""

from __future__ import annotations

import difflib
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib._messages import msg
from soslokal_lib.errors import DataSourceError, Problem, raise_problems
from soslokal_lib.indicator_registry import REGISTRY
from soslokal_lib.io._table import column_letter

#: Columns every socio file needs: the grunnkrets code and the population (rates are weighted
#: by it when grunnkretser are added up to neighbourhoods).
REQUIRED = ("area_id", "population")
#: Count columns: summed, so they may not be negative.
COUNTS = ("population", "households")
_TEXT_COLUMNS = ("area_id", "area_name")
_MISSING = {"", ".", "..", "...", ":", "-", "–", "—", "x", "X"}
_BELOW = r"<\s*\d+(?:[.,]\d+)?"
_DELIMITERS = (";", ",", "\t")


def known_columns() -> list[str]:
    """Column names the library knows: the registry's socioeconomic columns and ``households``."""
    return sorted({i.column for i in REGISTRY if i.column} | set(COUNTS))


def read_socio_csv(path: str | Path) -> pd.DataFrame:
    """Read the tidy per-grunnkrets CSV at ``path`` into a float table indexed by ``area_id``.

    Raises :class:`DataSourceError` naming the file, row (header = row 1), column and value
    for an unreadable file, a missing ``area_id`` or ``population`` column, a column name
    close to a known one (a likely typo), a code that is not 8 digits, a repeated code, a cell
    that is not a number or a negative count.
    """
    path = Path(path)
    text = _text(path).lstrip("\ufeff")
    body = text.lstrip("\r\n")
    leading = text[:len(text) - len(body)].count("\n")  # blank lines above the header
    header_line = body.split("\n", 1)[0]
    sep = max(_DELIMITERS, key=header_line.count)
    try:
        raw = pd.read_csv(io.StringIO(body), sep=sep, dtype=str, keep_default_na=False,
                          skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataSourceError(msg("socio.not_csv", path=path, error=exc)) from None
    raw = raw.fillna("")
    raw.columns = [str(c).strip() for c in raw.columns]
    empty = raw.apply(lambda s: s.str.strip() == "")
    unnamed = [c for c in raw.columns if c.startswith("Unnamed: ") and empty[c].all()]
    raw, empty = raw.drop(columns=unnamed), empty.drop(columns=unnamed)  # trailing separators
    rows = pd.Series(np.arange(len(raw)) + 2 + leading, index=raw.index)  # header = row 1
    blank = empty.all(axis=1)
    raw, rows = raw[~blank], rows[~blank]
    _check_header(path, list(raw.columns))
    if raw.empty:
        raise DataSourceError(msg("socio.no_rows", path=path))
    text_cells = raw.apply(lambda s: s.str.strip())
    codes = _codes(path, text_cells["area_id"], rows, list(raw.columns).index("area_id"))
    numeric = [c for c in raw.columns if c not in _TEXT_COLUMNS]
    values, problems = {}, []
    for col in numeric:  # a handful of columns; every bad cell of every column is counted
        values[col], found = _numbers(text_cells[col], rows, col, list(raw.columns).index(col))
        problems += found
    raise_problems(DataSourceError, path, problems)
    out = pd.DataFrame(values, index=pd.Index(codes.to_numpy(), dtype="str", name="area_id"))
    if "area_name" in raw.columns:
        out.insert(0, "area_name", text_cells["area_name"].astype("str").to_numpy())
    _check_counts(path, out, rows)
    return out


def read_grunnkretser(path: str | Path, kommuner: set[str], fix: Any = None) -> Any:
    """Grunnkrets boundaries (a Geonorge «Statistiske enheter grunnkretser» file) of
    ``kommuner``: GeoDataFrame indexed by ``area_id`` with ``area_name``, ``parent_id`` (the
    delområde ``KKKKDD00``) and geometry. ``fix`` ends the message when none is in
    ``kommuner``."""
    gk = grunnkrets_rows(path, kommuner, fix or msg("socio.no_kommune.fix"))
    parents = pd.Series(gk.index.astype("str").str[:6] + "00", index=gk.index, dtype="str")
    return gk.assign(parent_id=parents)[["area_name", "parent_id", "geometry"]]


def grunnkrets_rows(path: str | Path, kommuner: set[str], fix: str) -> Any:
    """The rows of ``kommuner`` (all columns) in a Geonorge grunnkrets file; a
    :class:`DataSourceError` when its codes are not grunnkretser or none is in ``kommuner``
    (``fix`` ends that message)."""
    from soslokal_lib.io.boundaries import read_areas

    gk = read_areas(path)
    codes = pd.Series(gk.index.astype("str"), index=gk.index)
    if not codes.str.fullmatch(r"\d{8}").all():
        raise DataSourceError(msg("socio.not_grunnkretser", path=path, code=codes.iloc[0]))
    gk = gk[codes.str[:4].isin(kommuner).to_numpy()]
    if gk.empty:
        found = ", ".join(sorted(codes.str[:4].unique())[:10])
        raise DataSourceError(msg("socio.no_kommune", path=path,
                                  kommuner=", ".join(sorted(kommuner)), found=found, fix=fix))
    return gk


# --- helpers ------------------------------------------------------------------------------------


def _text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataSourceError(msg("socio.not_found", path=path)) from None
    except IsADirectoryError:
        raise DataSourceError(msg("socio.folder", path=path)) from None
    if raw.startswith(b"PK\x03\x04"):
        raise DataSourceError(msg("socio.xlsx", path=path))
    if not raw.strip():
        raise DataSourceError(msg("socio.empty", path=path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # Excel's «CSV» on Norwegian Windows


def _check_header(path: Path, header: list[str]) -> None:
    known = known_columns()
    problems = []
    dup = sorted({h for h in header if header.count(h) > 1})
    for name in dup:
        problems.append(Problem(msg("socio.dup_column"), row=1, column=name,
                                fix=msg("socio.dup_column.fix")))
    for name in REQUIRED:
        if name not in header:
            close = difflib.get_close_matches(name, header, n=1, cutoff=0.6)
            hint = (msg("socio.rename", close=close[0], name=name) if close
                    else msg("socio.add_column", name=name))
            what = msg("socio.what.area_id" if name == "area_id" else "socio.what.population")
            problems.append(Problem(msg("socio.no_column", name=name, what=what,
                                        columns=", ".join(map(repr, header[:12]))),
                                    row=1, fix=hint))
    for name in header:
        if name in known or name in _TEXT_COLUMNS or name in REQUIRED:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
        if close:
            problems.append(Problem(msg("socio.close_column"), row=1, column=name,
                                    fix=msg("socio.did_you_mean", name=close[0])))
    raise_problems(DataSourceError, path, problems)


def _codes(path: Path, codes: pd.Series, rows: pd.Series, position: int) -> pd.Series:
    # Excel drops the leading zero of Oslo, Akershus … codes: 3010101 → 03010101.
    codes = codes.where(~codes.str.fullmatch(r"\d{7}"), codes.str.zfill(8))
    bad = ~codes.str.fullmatch(r"\d{8}")
    where = f"{column_letter(position)} (area_id)"
    problems = [Problem(msg("socio.not_code"), row=int(r), column=where,
                        value=v, fix=msg("socio.not_code.fix"))
                for r, v in zip(rows[bad], codes[bad], strict=True)]
    dup = codes.duplicated(keep="first") & ~bad
    problems += [Problem(msg("socio.dup_code"), row=int(r), column=where,
                         value=v, fix=msg("socio.dup_code.fix"))
                 for r, v in zip(rows[dup], codes[dup], strict=True)]
    raise_problems(DataSourceError, path, problems)
    return codes


def _numbers(cells: pd.Series, rows: pd.Series, column: str,
             position: int) -> tuple[np.ndarray, list[Problem]]:
    from soslokal_lib.io.levekar import parse_numbers

    values = parse_numbers(cells.astype("str"))
    missing = (cells.isin(_MISSING) | cells.str.fullmatch(_BELOW)).to_numpy(dtype=bool)
    bad = np.isnan(values) & ~missing
    problems = [Problem(msg("socio.not_number"), row=int(r),
                        column=f"{column_letter(position)} ({column})",
                        value=v, fix=msg("socio.not_number.fix"))
                for r, v in zip(rows[bad], cells[bad], strict=True)]
    return np.where(missing, np.nan, values), problems


def _check_counts(path: Path, table: pd.DataFrame, rows: pd.Series) -> None:
    problems = []
    for col in [c for c in COUNTS if c in table.columns]:
        negative = (table[col] < 0).to_numpy(dtype=bool)
        problems += [Problem(msg("socio.negative"), row=int(r), column=col, value=v,
                             fix=msg("socio.negative.fix"))
                     for r, v in zip(rows[negative], table[col][negative], strict=True)]
    raise_problems(DataSourceError, path, problems)
