"""Read municipal levekår (living-conditions) tables per zone from CSV or XLSX.

Accepted shapes (both with any title rows above the header and notes below the table):

* **zones as rows** — one row per zone (levekårssone, delområde, bydel, grunnkrets), a column
  with the zone code and/or a column with the zone name, then one column per indicator::

      Delområde | Navn    | Vedvarende lavinntekt (%) | Trangbodde (%) | …
      99010100  | Sentrum | 12,4                      | :              | …

* **zones as columns** — one row per indicator, the indicator name in the first column
  (optionally an ``Enhet``/unit column next to it), one column per zone::

      Indikator                 | Enhet | 99010100 Sentrum | 99010200 Havna | …
      Vedvarende lavinntekt     | %     | 12,4             | <3             | …

Zone labels may be a code (``99010100``), a code and a name (``99010100 Sentrum``) or a name;
names are turned into codes with ``zone_names``. A zone without a code called «i alt»,
«totalt», «hele kommunen» … becomes ``area_id = "total"``.

Cells: numbers with decimal comma or point, space/nbsp thousands separators, optional ``%``
(the value is kept in percent points: ``12,5 %`` → 12.5; XLSX cells formatted as percent are
scaled the same way); ``:``, ``-``, ``x`` → flag ``suppressed``; ``.``, ``..``, blank →
``missing``; ``<3`` (any ``<n``) → ``below_threshold``. Flagged cells have no value and keep
the raw token in ``flag_token``. Anything else raises :class:`DataSourceError` naming file,
row, column and value.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib._messages import msg
from soslokal_lib.errors import DataSourceError, Problem, raise_problems
from soslokal_lib.io._table import column_letter

_TOKENS = {":": "suppressed", "-": "suppressed", "–": "suppressed", "—": "suppressed",
           "x": "suppressed", "X": "suppressed", ".": "missing", "..": "missing",
           "...": "missing", "": "missing"}
_BELOW = r"<\s*\d+(?:[.,]\d+)?"
_TOTAL = re.compile(r"^(i alt|totalt?|hele kommunen|kommunen( totalt)?|sum|alle soner)$|"
                    r"\si alt$", re.IGNORECASE)
_ZONE_HEADERS = {"sone", "soner", "levekårssone", "levekarssone", "delområde", "delomrade",
                 "område", "omrade", "bydel", "grunnkrets", "area_id", "areaid", "navn", "kode",
                 "sonenavn", "sonenummer", "sonenr", "nr", "id", "delområdenummer",
                 "delomradenummer", "grunnkretsnummer", "bydelsnummer", "bydelnr", "area_name"}
_NAME_HEADERS = {"navn", "sonenavn", "name", "area_name", "områdenavn", "delområdenavn",
                 "delomradenavn", "bydelsnavn", "bydelnavn", "grunnkretsnavn"}
_INDICATOR_HEADERS = {"", "indikator", "indikatorer", "variabel", "tema", "levekårsindikator",
                      "levekårsindikatorer", "indicator"}
_UNIT_HEADERS = {"enhet", "unit", "måleenhet"}
_META_HEADERS = {"kilde", "source", "merknad", "kommentar", "note", "år", "periode", "year"}
_CODE = re.compile(r"^(\d{2,8})(?:\s*[-–:]?\s+(.+))?$")


def read_levekar(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    orientation: str | None = None,
    id_column: str | None = None,
    zone_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read a levekår table into a tidy DataFrame (see the module docstring for the shapes).

    Returns columns ``area_id``, ``area_name`` (when the sheet has names), ``indicator``,
    ``value`` (float), ``flag`` (<NA> / ``"suppressed"`` / ``"missing"`` /
    ``"below_threshold"``), ``flag_token`` (the raw cell for flagged cells) and ``unit`` when
    the sheet has a unit column. ``orientation`` is ``"rows"`` (zones as rows) or
    ``"columns"``; detected when omitted. ``id_column`` names the zone-code column of a
    zones-as-rows sheet. ``zone_names`` maps zone names to codes (or codes to names).
    ``df.attrs`` records source, sha256, sheet, orientation, header row, notes and changes.
    """
    path = Path(path)
    raw = path.read_bytes()
    meta: dict[str, Any] = {"source": str(path), "sha256": hashlib.sha256(raw).hexdigest(),
                            "changes": [], "notes": []}
    if raw.startswith(b"PK\x03\x04"):
        grid, rows, percent = _read_xlsx(path, raw, sheet, meta)
    else:
        grid, rows, percent = _read_csv(path, raw, meta)
    header_at, body, notes = _locate(grid)
    meta["notes"] = [" ".join(str(c) for c in grid[i] if _text(c)) for i in notes]
    meta["header_row"] = int(rows[header_at])
    header = [_text(c) for c in grid[header_at]]
    names = _zone_lookup(zone_names)
    if orientation is None:
        orientation = _detect(header, [grid[i] for i in body], names, path)
    elif orientation not in ("rows", "columns"):
        raise DataSourceError(msg("levekar.orientation", path=path, value=orientation))
    meta["orientation"] = orientation
    if orientation == "rows":
        long = _from_rows(path, header, grid, body, rows, percent, id_column, meta)
    else:
        if id_column is not None:
            raise DataSourceError(msg("levekar.id_column_columns", path=path))
        long = _from_columns(path, header, grid, body, rows, percent, meta)
    out = _finish(path, long, names, meta)
    out.attrs = meta
    return out


# --- reading the grid ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(path: Path, raw: bytes, meta: dict) -> tuple[list[list[Any]], np.ndarray, set]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    lines = [ln for ln in text.splitlines() if ln.strip()][:30]
    best, sep = (-1, 0), ";"
    for candidate in (";", "\t", ",", "|"):
        counts = [len(next(csv.reader([ln], delimiter=candidate))) for ln in lines]
        wide = [c for c in counts if c > 1]
        score = (len(wide), max(set(wide), key=wide.count) if wide else 0)
        if wide and score > best:
            best, sep = score, candidate
    grid = [[c.strip() for c in rec] for rec in csv.reader(io.StringIO(text), delimiter=sep)]
    meta.update(format="csv", encoding=encoding, delimiter=sep, sheet=None)
    return grid, np.arange(1, len(grid) + 1), set()


def _read_xlsx(path: Path, raw: bytes, sheet: str | int | None,
               meta: dict) -> tuple[list[list[Any]], np.ndarray, set]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # zipfile, KeyError, InvalidFileException …
        raise DataSourceError(msg("levekar.not_excel", path=path, error=type(exc).__name__)
                              ) from None
    names = book.sheetnames
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool):
        if not -len(names) <= sheet < len(names):
            raise DataSourceError(msg("levekar.no_sheet_number", path=path, sheet=sheet,
                                      names=names))
        chosen = names[sheet]
    elif sheet in names:
        chosen = sheet
    else:
        raise DataSourceError(msg("levekar.no_sheet", path=path, sheet=sheet, names=names))
    ws = book[chosen]
    grid: list[list[Any]] = []
    percent: set[tuple[int, int]] = set()
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row), start=0):
        grid.append([c.value for c in row])
        for c in row:
            if isinstance(c.value, int | float) and "%" in str(c.number_format):
                percent.add((r, c.column - 1))
    meta.update(format="xlsx", sheet=chosen, encoding=None, delimiter=None)
    return grid, np.arange(1, len(grid) + 1), percent


def _locate(grid: list[list[Any]]) -> tuple[int, list[int], list[int]]:
    """Header index, data row indices and note row indices (titles above, notes below)."""
    filled = [sum(bool(_text(c)) for c in row) for row in grid]
    wide = [i for i, n in enumerate(filled) if n >= 2]
    if len(wide) < 2:
        raise DataSourceError(msg("levekar.no_table"))
    header, last = wide[0], wide[-1]
    notes = [i for i, n in enumerate(filled) if n and (i < header or i > last)]
    body = [i for i in range(header + 1, last + 1) if filled[i]]
    return header, body, notes


# --- orientation --------------------------------------------------------------------------------


def _is_zone(label: str, names: dict[str, tuple[str | None, str | None]]) -> bool:
    return bool(_CODE.match(label)) or label.casefold() in names or bool(_TOTAL.search(label))


def _detect(header: list[str], body: list[list[Any]], names: dict, path: Path) -> str:
    tops = [h for h in header[1:] if h]
    firsts = [_text(r[0]) for r in body if r and _text(r[0])]
    head_share = np.mean([_is_zone(h, names) for h in tops]) if tops else 0.0
    first_share = np.mean([_is_zone(f, names) for f in firsts]) if firsts else 0.0
    second = [_text(r[1]) for r in body if len(r) > 1 and _text(r[1])]
    second_share = np.mean([_is_zone(f, names) for f in second]) if second else 0.0
    first = header[0].casefold() if header else ""
    rows = (max(first_share, second_share) >= 0.8) + (first in _ZONE_HEADERS)
    cols = (head_share >= 0.8) + (first in _INDICATOR_HEADERS)
    if rows != cols:
        return "rows" if rows > cols else "columns"
    raise DataSourceError(msg("levekar.orientation_unknown", path=path))


# --- shapes ---------------------------------------------------------------------------------------


def _cells(grid: list[list[Any]], body: list[int], col: int) -> list[Any]:
    return [grid[i][col] if col < len(grid[i]) else None for i in body]


def _from_rows(path: Path, header: list[str], grid: list[list[Any]], body: list[int],
               rows: np.ndarray, percent: set, id_column: str | None, meta: dict) -> pd.DataFrame:
    width = max(len(header), *(len(grid[i]) for i in body))
    header = header + [""] * (width - len(header))
    folded = [h.casefold() for h in header]
    if id_column is not None:
        if id_column.casefold() not in folded:
            raise DataSourceError(msg("levekar.no_column", path=path, column=id_column,
                                      columns=", ".join(map(repr, filter(None, header)))))
        id_col = folded.index(id_column.casefold())
    else:
        id_col = next((j for j in range(min(3, width)) if _all_codes(_cells(grid, body, j))),
                      None)
    name_col = next((j for j in range(min(3, width)) if j != id_col and
                     (folded[j] in _NAME_HEADERS or _all_text(_cells(grid, body, j)))), None)
    if id_col is None and name_col is None:
        raise DataSourceError(msg("levekar.no_zone_column", path=path, row=meta["header_row"]))
    meta.update(id_column=header[id_col] if id_col is not None else None,
                name_column=header[name_col] if name_col is not None else None)
    labels = [_text(v) for v in _cells(grid, body, id_col if id_col is not None else name_col)]
    ids, names = _split_labels(labels)
    if name_col is not None and id_col is not None:
        names = [_text(v) or None for v in _cells(grid, body, name_col)]
    value_cols = [j for j in range(width) if j not in (id_col, name_col)]
    _check_headers(path, header, grid, body, value_cols, meta)
    value_cols = [j for j in value_cols if header[j]]
    n, k = len(body), len(value_cols)
    return pd.DataFrame({
        "zone_id": np.repeat(np.array(ids, dtype=object), k),
        "zone_name": np.repeat(np.array(names, dtype=object), k),
        "indicator": np.tile(np.array([header[j] for j in value_cols], dtype=object), n),
        "raw": [grid[i][j] if j < len(grid[i]) else None for i in body for j in value_cols],
        "row": np.repeat(rows[body], k),
        "col": np.tile(np.array(value_cols), n),
        "colname": np.tile(np.array([header[j] for j in value_cols], dtype=object), n),
        "percent": [(i, j) in percent for i in body for j in value_cols],
    })


def _from_columns(path: Path, header: list[str], grid: list[list[Any]], body: list[int],
                  rows: np.ndarray, percent: set, meta: dict) -> pd.DataFrame:
    width = max(len(header), *(len(grid[i]) for i in body))
    header = header + [""] * (width - len(header))
    unit_col = next((j for j in range(1, width) if header[j].casefold() in _UNIT_HEADERS), None)
    ignored = [j for j in range(1, width) if header[j].casefold() in _META_HEADERS]
    if ignored:
        meta["changes"].append(f"ignored columns {[header[j] for j in ignored]} (not zones)")
    zone_cols = [j for j in range(1, width) if j != unit_col and j not in ignored]
    _check_headers(path, header, grid, body, zone_cols, meta)
    zone_cols = [j for j in zone_cols if header[j]]
    ids, names = _split_labels([header[j] for j in zone_cols])
    indicators = [_text(v) for v in _cells(grid, body, 0)]
    sections = [i for i, ind in zip(body, indicators, strict=True)
                if ind and all(not _text(grid[i][j]) for j in range(1, len(grid[i])))]
    if sections:
        meta["changes"].append(f"skipped section rows {[int(rows[i]) for i in sections]} "
                               "(a label without values)")
    keep = [(i, ind) for i, ind in zip(body, indicators, strict=True) if i not in sections]
    blank = [i for i, ind in keep if not ind]
    raise_problems(DataSourceError, path, [
        Problem(msg("levekar.no_indicator"), row=int(rows[i]), column="A",
                fix=msg("levekar.no_indicator.fix")) for i in blank])
    meta.update(id_column=None, name_column=None,
                unit_column=header[unit_col] if unit_col is not None else None)
    n, k = len(keep), len(zone_cols)
    frame = pd.DataFrame({
        "zone_id": np.tile(np.array(ids, dtype=object), n),
        "zone_name": np.tile(np.array(names, dtype=object), n),
        "indicator": np.repeat(np.array([ind for _, ind in keep], dtype=object), k),
        "raw": [grid[i][j] if j < len(grid[i]) else None for i, _ in keep for j in zone_cols],
        "row": np.repeat(rows[[i for i, _ in keep]], k),
        "col": np.tile(np.array(zone_cols), n),
        "colname": np.tile(np.array([header[j] for j in zone_cols], dtype=object), n),
        "percent": [(i, j) in percent for i, _ in keep for j in zone_cols],
    })
    if unit_col is not None:
        frame["unit"] = np.repeat(np.array([_text(grid[i][unit_col]) or None for i, _ in keep],
                                           dtype=object), k)
    return frame


def _check_headers(path: Path, header: list[str], grid: list[list[Any]], body: list[int],
                   cols: list[int], meta: dict) -> None:
    nameless = [j for j in cols if not header[j] and any(_text(v) for v in _cells(grid, body, j))]
    raise_problems(DataSourceError, path, [
        Problem(msg("levekar.no_header"), row=meta["header_row"],
                column=column_letter(j), fix=msg("levekar.no_header.fix"))
        for j in nameless])


def _all_codes(values: list[Any]) -> bool:
    texts = [_text(v) for v in values if _text(v)]
    return bool(texts) and all(_CODE.match(t) or _TOTAL.search(t) for t in texts)


def _all_text(values: list[Any]) -> bool:
    texts = [_text(v) for v in values if _text(v)]
    return bool(texts) and not any(_CODE.match(t) or _parse_number(t) is not None
                                   or t in _TOKENS for t in texts)


def _split_labels(labels: list[str]) -> tuple[list[str | None], list[str | None]]:
    ids: list[str | None] = []
    names: list[str | None] = []
    for label in labels:
        found = _CODE.match(label)
        if found:
            code = found.group(1)
            ids.append(code.zfill(len(code) + len(code) % 2))
            names.append(found.group(2))
        else:
            ids.append("total" if _TOTAL.search(label) else None)
            names.append(label or None)
    return ids, names


def _zone_lookup(zone_names: Mapping[str, str] | None) -> dict[str, tuple[str | None, str]]:
    """casefolded name → (code, name), from a mapping in either direction."""
    if not zone_names:
        return {}
    pairs = [(str(k).strip(), str(v).strip()) for k, v in zone_names.items()]
    if sum(bool(re.fullmatch(r"\d+", k)) for k, _ in pairs) > len(pairs) / 2:
        pairs = [(v, k) for k, v in pairs]  # given as code → name
    return {name.casefold(): (code, name) for name, code in pairs}


# --- values ---------------------------------------------------------------------------------------


def _parse_number(text: str) -> float | None:
    value = parse_numbers(pd.Series([text], dtype="str"))[0]
    return None if np.isnan(value) else float(value)


def parse_numbers(text: pd.Series) -> np.ndarray:
    """Parse number strings (decimal comma/point, space thousands, %); NaN where not a number."""
    s = text.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace("−", "-", regex=False)
    s = s.str.replace(r"%$", "", regex=True)
    comma, dot = s.str.rfind(","), s.str.rfind(".")
    both = (comma >= 0) & (dot >= 0)
    comma_dec = both & (comma > dot)
    s = s.where(~comma_dec, s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    s = s.where(~(both & ~comma_dec), s.str.replace(",", "", regex=False))
    thousands = s.str.fullmatch(r"-?\d{1,3}([,.]\d{3}){2,}")
    s = s.where(~thousands, s.str.replace(r"[,.]", "", regex=True))
    s = s.str.replace(",", ".", regex=False)
    ok = s.str.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)")
    return pd.to_numeric(s.where(ok), errors="coerce").to_numpy(dtype="float64")


_numbers = parse_numbers  # the former private name


def _values(path: Path, long: pd.DataFrame) -> tuple[np.ndarray, pd.Series, pd.Series]:
    raw = long["raw"]
    is_num = raw.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool)
                     and not (isinstance(v, float) and np.isnan(v))).to_numpy(dtype=bool)
    text = pd.Series([_text(v) for v in raw], index=long.index, dtype="str")
    value = np.full(len(long), np.nan)
    value[is_num] = raw[is_num].astype("float64").to_numpy()
    scaled = is_num & long["percent"].to_numpy(dtype=bool)
    value[scaled] *= 100
    flag = text.map(_TOKENS).where(~is_num)
    below = text.str.fullmatch(_BELOW) & ~is_num
    flag = flag.mask(below, "below_threshold")
    parsed = parse_numbers(text)
    use = ~is_num & flag.isna().to_numpy() & ~np.isnan(parsed)
    value[use] = parsed[use]
    bad = ~is_num & flag.isna().to_numpy() & np.isnan(parsed)
    problems = [Problem(msg("levekar.not_number"), row=int(r),
                        column=f"{column_letter(int(c))} ({h})", value=v,
                        fix=msg("levekar.not_number.fix"))
                for r, c, h, v in zip(long["row"][bad], long["col"][bad], long["colname"][bad],
                                      text[bad], strict=True)]
    raise_problems(DataSourceError, path, problems)
    token = text.where(flag.notna())
    return value, flag.astype("str"), token.astype("str")


def _finish(path: Path, long: pd.DataFrame, names: dict, meta: dict) -> pd.DataFrame:
    value, flag, token = _values(path, long)
    if int(long["percent"].sum()):
        meta["changes"].append(f"{int(long['percent'].sum())} XLSX cells formatted as percent "
                               "scaled by 100 (values in percent points, as displayed)")
    ids = long["zone_id"].astype(object)
    zone_names = long["zone_name"].astype(object)
    if names:
        looked = zone_names.map(lambda n: names.get(str(n).casefold()) if n else None)
        fill = ids.isna() & looked.notna()
        ids = ids.where(~fill, looked.map(lambda p: p[0] if p else None))
        by_code = {code: name for code, name in names.values()}
        zone_names = zone_names.where(zone_names.notna(), ids.map(by_code))
    if ids.isna().any():
        unknown = sorted({str(n) for n in zone_names[ids.isna()]})
        warnings.warn(msg("levekar.no_codes", path=path, names=", ".join(unknown[:8])),
                      UserWarning, stacklevel=3)
        meta["changes"].append(f"zone names used as area_id for {unknown}")
        ids = ids.where(ids.notna(), zone_names)
    out = pd.DataFrame({"area_id": ids.astype("str")})
    if zone_names.notna().any():
        out["area_name"] = zone_names.astype("str")
    out["indicator"] = long["indicator"].astype("str")
    out["value"] = value
    out["flag"] = flag
    out["flag_token"] = token
    if "unit" in long:
        out["unit"] = long["unit"].astype("str")
    dup = out.duplicated(["area_id", "indicator"], keep="first")
    if dup.any():
        raise_problems(DataSourceError, path, [
            Problem(msg("levekar.duplicate", zone=a, indicator=i), row=int(r),
                    fix=msg("levekar.duplicate.fix"))
            for a, i, r in zip(out["area_id"][dup], out["indicator"][dup], long["row"][dup],
                               strict=True)])
    return out
