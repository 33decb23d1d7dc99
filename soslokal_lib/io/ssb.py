"""Statistics Norway (SSB) StatBank: JSON-stat 2.0 reader, PxWebApi v2 client, table catalogue.

Every table comes back as a tidy long frame with, per dimension, one column of **codes** (named
by the dimension id, e.g. ``Region``) and one of **labels** (``Region_label``), as SSB's own R
client PxWebApiData does, then ``value`` (float, missing stays missing) and ``status`` (SSB's
symbols per cell: ``.`` not applicable, ``..`` not available, ``:`` confidential, ``-`` nil).
Table id, title, source, update time, units, notes and the raw ``extension`` go to ``df.attrs``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataSourceError

__all__ = ["read_jsonstat"]

STATUS_SYMBOLS = {
    ".": "not applicable (ikke mulig å oppgi tall)",
    "..": "not available (tall mangler)",
    "...": "not yet available (oppgave kommer senere)",
    ":": "confidential (vises ikke av konfidensialitetshensyn)",
    "-": "nil (null, ingenting å registrere)",
}


# --------------------------------------------------------------------------- JSON-stat reader
def _load_document(doc_or_path: Any) -> tuple[dict, str]:
    """Return the parsed document and a name for it (used in error messages)."""
    if isinstance(doc_or_path, Mapping):
        return dict(doc_or_path), "JSON-stat document"
    if isinstance(doc_or_path, bytes | bytearray):
        text, name = bytes(doc_or_path).decode("utf-8-sig"), "JSON-stat bytes"
    elif isinstance(doc_or_path, str) and doc_or_path.lstrip()[:1] in ("{", "["):
        text, name = doc_or_path, "JSON-stat string"
    elif isinstance(doc_or_path, str | os.PathLike):
        path = Path(doc_or_path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise DataSourceError(f"{path}: cannot read the JSON-stat file ({exc})") from exc
        name = str(path)
    else:
        raise DataSourceError(
            f"read_jsonstat expects a dict, a JSON string, bytes or a path, "
            f"not {type(doc_or_path).__name__}"
        )
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataSourceError(f"{name}: not valid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise DataSourceError(f"{name}: not a JSON-stat dataset (top level is not an object)")
    return doc, name


def _category_codes(name: str, dim_id: str, dim: Any, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes in position order and their labels for one dimension."""
    if not isinstance(dim, Mapping) or not isinstance(dim.get("category"), Mapping):
        raise DataSourceError(f"{name}: dimension {dim_id!r} has no 'category' object")
    cat = dim["category"]
    index, labels = cat.get("index"), cat.get("label") or {}
    if not isinstance(labels, Mapping):
        raise DataSourceError(f"{name}: dimension {dim_id!r}: category 'label' is not an object")
    if index is None:  # allowed by JSON-stat when there is a single category
        if len(labels) != 1:
            raise DataSourceError(
                f"{name}: dimension {dim_id!r} has no category 'index' and "
                f"{len(labels)} labels (an index may only be left out for a single category)"
            )
        codes = [next(iter(labels))]
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, Mapping):
        codes = [None] * len(index)
        for code, pos in index.items():
            if not isinstance(pos, int) or not 0 <= pos < len(index) or codes[pos] is not None:
                raise DataSourceError(
                    f"{name}: dimension {dim_id!r}: category index {code!r} has position "
                    f"{pos!r}; positions must be 0..{len(index) - 1}, each used once"
                )
            codes[pos] = str(code)
    else:
        raise DataSourceError(
            f"{name}: dimension {dim_id!r}: category 'index' must be a list or an object"
        )
    if len(codes) != size:
        raise DataSourceError(
            f"{name}: dimension {dim_id!r} has {len(codes)} categories but 'size' says {size}"
        )
    code_arr = np.array(codes, dtype=object)
    label_arr = np.array([str(labels.get(c, c)) for c in codes], dtype=object)
    return code_arr, label_arr


def _values(name: str, raw: Any, n: int) -> np.ndarray:
    if raw is None:
        raise DataSourceError(f"{name}: the dataset has no 'value' member")
    if isinstance(raw, Mapping):  # sparse: flat index → value
        out = np.full(n, np.nan)
        keys = np.array([int(k) for k in raw], dtype=np.int64) if raw else np.zeros(0, np.int64)
        if keys.size and (keys.min() < 0 or keys.max() >= n):
            raise DataSourceError(
                f"{name}: 'value' has an index outside 0..{n - 1} (the product of 'size')"
            )
        vals = pd.to_numeric(pd.Series(list(raw.values()), dtype=object), errors="coerce")
        out[keys] = vals.to_numpy(dtype=float, na_value=np.nan)
        return out
    if not isinstance(raw, list):
        raise DataSourceError(f"{name}: 'value' must be a list or an object")
    if len(raw) != n:
        raise DataSourceError(
            f"{name}: 'value' has {len(raw)} entries but the product of 'size' is {n}"
        )
    try:
        return np.array(raw, dtype=float)  # None → nan
    except (TypeError, ValueError):
        vals = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce")
        bad = vals.isna() & pd.Series(raw, dtype=object).notna()
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataSourceError(
            f"{name}: 'value' entry {first} is not a number ({raw[first]!r})"
        ) from None


def _status(name: str, raw: Any, n: int) -> pd.Series:
    out = np.full(n, None, dtype=object)
    if raw is None:
        pass
    elif isinstance(raw, str):
        out[:] = raw
    elif isinstance(raw, list):
        if len(raw) == 1:
            out[:] = raw[0]
        elif len(raw) == n:
            out[:] = raw
        else:
            raise DataSourceError(
                f"{name}: 'status' has {len(raw)} entries but the dataset has {n} cells"
            )
    elif isinstance(raw, Mapping):
        if raw:
            try:
                keys = np.array([int(k) for k in raw], dtype=np.int64)
            except ValueError as exc:
                raise DataSourceError(f"{name}: 'status' key is not a cell index ({exc})") from exc
            if keys.min() < 0 or keys.max() >= n:
                raise DataSourceError(
                    f"{name}: 'status' has a cell index outside 0..{n - 1}"
                )
            out[keys] = list(raw.values())
    else:
        raise DataSourceError(f"{name}: 'status' must be a string, a list or an object")
    status = pd.Series(out, dtype="str")
    return status.where(status.str.len() > 0)


def read_jsonstat(doc_or_path: Any) -> pd.DataFrame:
    """Read a JSON-stat 2.0 dataset (dict, JSON string, bytes or path) into a tidy long frame.

    Columns: for each dimension in ``id`` order its codes (column named by the dimension id) and
    labels (``<id>_label``), then ``value`` (float; ``null`` stays NaN) and ``status`` (SSB
    symbol per cell, ``<NA>`` when none). Rows follow the document's row-major order, last
    dimension fastest. ``df.attrs`` holds ``table_id``, ``title``, ``source``, ``updated``,
    ``units`` (ContentsCode code → unit dict), ``notes``, ``dimension_notes``, ``dimensions``
    (id → label), ``role`` and ``extension``. Malformed documents raise ``DataSourceError``.
    """
    doc, name = _load_document(doc_or_path)
    cls = doc.get("class")
    if cls != "dataset":
        if cls in ("collection", "bundle") or (cls is None and "id" not in doc):
            raise DataSourceError(
                f"{name}: not a JSON-stat 2.0 dataset (class {cls!r}); "
                "ask SSB for outputFormat=json-stat2 and pass one dataset"
            )
        if cls is not None:
            raise DataSourceError(f"{name}: not a JSON-stat dataset (class {cls!r})")
    ids, sizes, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not isinstance(dims, Mapping):
        raise DataSourceError(
            f"{name}: not a JSON-stat dataset: 'id' and 'size' must be lists and "
            "'dimension' an object"
        )
    if len(ids) != len(sizes):
        raise DataSourceError(
            f"{name}: 'id' names {len(ids)} dimensions but 'size' has {len(sizes)} entries"
        )
    if not all(isinstance(s, int) and s >= 0 for s in sizes):
        raise DataSourceError(f"{name}: 'size' must hold non-negative integers, got {sizes}")
    missing = [d for d in ids if d not in dims]
    if missing:
        raise DataSourceError(f"{name}: dimension {missing[0]!r} is in 'id' but not 'dimension'")
    clash = {"value", "status"} & {str(d) for d in ids}
    if clash:
        raise DataSourceError(f"{name}: a dimension is called {sorted(clash)[0]!r}")
    n = int(np.prod(sizes, dtype=np.int64)) if sizes else 1
    values = _values(name, doc.get("value"), n)

    columns: dict[str, Any] = {}
    repeat = n
    tile = 1
    for dim_id, size in zip(ids, sizes, strict=True):
        codes, labels = _category_codes(name, dim_id, dims[dim_id], size)
        repeat //= max(size, 1)
        pos = np.tile(np.repeat(np.arange(size), repeat), tile)
        tile *= size
        columns[str(dim_id)] = pd.array(codes[pos], dtype="str")
        columns[f"{dim_id}_label"] = pd.array(labels[pos], dtype="str")
    columns["value"] = values
    columns["status"] = _status(name, doc.get("status"), n).array
    df = pd.DataFrame(columns)
    df.attrs.update(_attrs(doc, ids, dims))
    return df


def _attrs(doc: Mapping, ids: list, dims: Mapping) -> dict:
    ext = doc.get("extension") or {}
    px = ext.get("px", {}) if isinstance(ext, Mapping) else {}
    label = doc.get("label") or ""
    table_id = px.get("tableid") or px.get("tableId") or ext.get("tableid")
    if not table_id and ":" in label:
        table_id = label.split(":", 1)[0].strip()
    role = doc.get("role") or {}
    metric_dims = [d for d in role.get("metric", []) if d in dims] or [
        d for d in ids if d == "ContentsCode"
    ]
    units: dict[str, Any] = {}
    for d in metric_dims:
        units.update(dims[d].get("category", {}).get("unit") or {})
    dim_notes = {str(d): dims[d]["note"] for d in ids if dims[d].get("note")}
    return {
        "table_id": str(table_id) if table_id else None,
        "title": label or None,
        "source": doc.get("source"),
        "updated": doc.get("updated"),
        "units": units,
        "notes": list(doc.get("note") or []),
        "dimension_notes": dim_notes,
        "dimensions": {str(d): dims[d].get("label", str(d)) for d in ids},
        "role": dict(role),
        "extension": dict(ext) if isinstance(ext, Mapping) else ext,
    }
