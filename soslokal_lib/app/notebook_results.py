"""A notebook's key results as a small JSON file, so tests can check them against known truths.

Each numbered notebook ends with one call::

    record_results(results_path, {"respondents": len(survey.responses), "summary": summary})

``results_path`` is a parameter of the notebook (papermill); with ``None``, the default, nothing
is written and nothing is shown. Values may be numbers, strings, booleans, missing values
(``None``, ``pd.NA``, NaN and ±inf → ``null``), lists, dicts, pandas Series (→
``{index: value}``) and DataFrames (→ ``{"index": [...], "columns": [...], "data": [[...]]}``,
as pandas' ``orient="split"``; :func:`frame` turns it back). The file is written atomically.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from soslokal_lib._files import write_atomic

__all__ = ["frame", "load_results", "record_results"]


def record_results(path: str | os.PathLike | None, results: Mapping[str, Any]) -> None:
    """Write ``results`` as JSON to ``path`` (nothing when ``path`` is ``None``)."""
    if path is None:
        return
    plain = {str(key): _plain(value, str(key)) for key, value in results.items()}
    write_atomic(Path(path), json.dumps(plain, ensure_ascii=False, indent=1, sort_keys=True,
                                        allow_nan=False) + "\n")


def load_results(path: str | os.PathLike) -> dict[str, Any]:
    """Read a file written by :func:`record_results`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def frame(value: Mapping[str, Any]):
    """A DataFrame recorded by :func:`record_results`, rebuilt (index and columns as text)."""
    import pandas as pd

    return pd.DataFrame(value["data"], index=value["index"], columns=value["columns"])


def _plain(value: Any, where: str) -> Any:
    """``value`` as plain JSON types; ``where`` names it in errors."""
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return {"index": [_key(i) for i in value.index],
                "columns": [_key(c) for c in value.columns],
                "data": [[_plain(v, where) for v in row]
                         for row in value.astype(object).itertuples(index=False)]}
    if isinstance(value, pd.Series):
        return {_key(i): _plain(v, where) for i, v in value.astype(object).items()}
    if isinstance(value, Mapping):
        return {_key(k): _plain(v, where) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Index):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_plain(v, where) for v in items]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else (value if math.isfinite(value) else None)
    raise TypeError(f"record_results: {where!r} holds a {type(value).__name__}, which has no "
                    "JSON form; record numbers, text, lists, dicts, Series or DataFrames.")


def _key(value: Any) -> str:
    """Index labels and dict keys as text (tuples of a MultiIndex joined by «|»)."""
    if isinstance(value, tuple):
        return "|".join(str(v) for v in value)
    return str(value)
