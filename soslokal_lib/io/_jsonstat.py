"""JSON-stat 2.0 datasets as tidy long frames (reader) and the merge of batched responses.

Private helper of :mod:`soslokal_lib.io.ssb`; use ``ssb.read_jsonstat``.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import DataSourceError


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


def _status_array(name: str, raw: Any, n: int) -> np.ndarray:
    """Per-cell status symbols as an object array (``None`` where a cell has none)."""
    out = np.full(n, None, dtype=object)
    if raw is None:
        return out
    if isinstance(raw, str):
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
                raise DataSourceError(f"{name}: 'status' has a cell index outside 0..{n - 1}")
            out[keys] = list(raw.values())
    else:
        raise DataSourceError(f"{name}: 'status' must be a string, a list or an object")
    out[np.array([s == "" for s in out], dtype=bool)] = None
    return out


def _structure(name: str, doc: Mapping) -> tuple[list[str], list[int], Mapping, int]:
    """Validate the dataset skeleton; return ids, sizes, dimensions and the cell count."""
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
    if not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes):
        raise DataSourceError(f"{name}: 'size' must hold non-negative integers, got {sizes}")
    missing = [d for d in ids if d not in dims]
    if missing:
        raise DataSourceError(f"{name}: dimension {missing[0]!r} is in 'id' but not 'dimension'")
    n = int(np.prod(sizes, dtype=np.int64)) if sizes else 1
    return [str(d) for d in ids], list(sizes), dims, n


def read_jsonstat(doc_or_path: Any) -> pd.DataFrame:
    """Read a JSON-stat 2.0 dataset (dict, JSON string, bytes or path) into a tidy long frame.

    Columns: for each dimension in ``id`` order its codes (column named by the dimension id) and
    labels (``<id>_label``), then ``value`` (float; ``null`` stays NaN) and ``status`` (SSB
    symbol per cell, missing when none). Rows follow the document's row-major order, last
    dimension fastest. ``df.attrs`` holds ``table_id``, ``title``, ``source``, ``updated``,
    ``units`` (ContentsCode code → unit dict), ``notes``, ``dimension_notes``, ``dimensions``
    (id → label), ``role`` and ``extension``. Malformed documents raise ``DataSourceError``.
    """
    doc, name = _load_document(doc_or_path)
    ids, sizes, dims, n = _structure(name, doc)
    clash = {"value", "status"} & set(ids) | {f"{d}_label" for d in ids} & set(ids)
    if clash:
        raise DataSourceError(f"{name}: a dimension is called {sorted(clash)[0]!r}")
    values = _values(name, doc.get("value"), n)
    status = _status_array(name, doc.get("status"), n)

    columns: dict[str, Any] = {}
    repeat, tile = n, 1
    for dim_id, size in zip(ids, sizes, strict=True):
        codes, labels = _category_codes(name, dim_id, dims[dim_id], size)
        repeat = repeat // size if size else 0
        pos = np.tile(np.repeat(np.arange(size), repeat), tile)
        tile *= size
        columns[dim_id] = pd.array(codes[pos], dtype="str")
        columns[f"{dim_id}_label"] = pd.array(labels[pos], dtype="str")
    columns["value"] = values
    columns["status"] = pd.array(status, dtype="str")
    df = pd.DataFrame(columns)
    df.attrs.update(_attrs(doc, ids, dims))
    return df


def _attrs(doc: Mapping, ids: list, dims: Mapping) -> dict:
    ext = doc.get("extension") or {}
    own = ext if isinstance(ext, Mapping) else {}  # an extension may be anything
    px = own.get("px") if isinstance(own.get("px"), Mapping) else {}
    label = doc.get("label") or ""
    table_id = px.get("tableid") or px.get("tableId") or own.get("tableid")
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


def load_document(doc_or_path: Any) -> dict:
    """Parse a JSON-stat document from a dict, JSON string, bytes or path (no validation)."""
    return _load_document(doc_or_path)[0]


def merge_datasets(docs: Sequence[Mapping], dim: str, name: str = "SSB batches") -> dict:
    """Join datasets that differ only in the categories of ``dim`` into one dataset.

    The result is the document SSB would have returned for the union of the selections: the
    categories of ``dim`` follow the order of ``docs``, every other dimension must be identical,
    values and statuses keep row-major order. Used to reassemble a selection split into batches.
    """
    if not docs:
        raise DataSourceError(f"{name}: nothing to merge")
    parts = []
    found = {str(d).lower(): str(d) for d in docs[0].get("id") or []}
    dim = found.get(dim.lower(), dim)
    for i, doc in enumerate(docs):
        label = f"{name} (part {i + 1})"
        ids, sizes, dims, n = _structure(label, doc)
        if dim not in ids:
            raise DataSourceError(f"{label}: dimension {dim!r} is missing, cannot merge")
        codes = {d: _category_codes(label, d, dims[d], s)[0] for d, s in zip(ids, sizes, strict=True)}
        values = _values(label, doc.get("value"), n).reshape(sizes)
        status = _status_array(label, doc.get("status"), n).reshape(sizes)
        parts.append((ids, codes, values, status))
    ids0, codes0 = parts[0][0], parts[0][1]
    for i, (ids, codes, _, _) in enumerate(parts[1:], start=2):
        if ids != ids0:
            raise DataSourceError(f"{name}: part {i} has dimensions {ids}, part 1 has {ids0}")
        for d in ids0:
            if d != dim and list(codes[d]) != list(codes0[d]):
                raise DataSourceError(
                    f"{name}: part {i} has other categories of {d!r} than part 1; "
                    "the table may have changed between requests, fetch again"
                )
    axis = ids0.index(dim)
    merged_codes = [c for p in parts for c in p[1][dim]]
    if len(set(merged_codes)) != len(merged_codes):
        raise DataSourceError(f"{name}: the parts share categories of {dim!r}, cannot merge")
    values = np.concatenate([p[2] for p in parts], axis=axis).ravel()
    status = np.concatenate([p[3] for p in parts], axis=axis).ravel()

    out = copy.deepcopy(dict(docs[0]))
    out["size"] = list(out["size"])
    out["size"][axis] = len(merged_codes)
    category = out["dimension"][dim]["category"]
    labels: dict[str, Any] = {}
    units: dict[str, Any] = {}
    notes: dict[str, Any] = {}
    for doc in docs:
        cat = doc["dimension"][dim]["category"]
        labels.update(cat.get("label") or {})
        units.update(cat.get("unit") or {})
        if isinstance(cat.get("note"), Mapping):
            notes.update(cat["note"])
    category["index"] = {code: pos for pos, code in enumerate(merged_codes)}
    category["label"] = {code: labels.get(code, code) for code in merged_codes}
    if units:
        category["unit"] = {c: units[c] for c in merged_codes if c in units}
    if notes:
        category["note"] = {c: notes[c] for c in merged_codes if c in notes}
    obj = values.astype(object)
    obj[np.isnan(values)] = None
    out["value"] = obj.tolist()
    has = np.flatnonzero(status != None)  # noqa: E711 (element-wise on an object array)
    out["status"] = {str(int(i)): status[i] for i in has}
    if not out["status"]:
        out.pop("status")
    return out
