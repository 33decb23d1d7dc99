"""Shared helpers of the model modules: input checks, dummy coding, quiet fitting."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.survey import Survey
from soslokal_lib.themes import get_theme

BOUNDARY_ICC = 1e-3


class ModelWarning(RuntimeWarning):
    """A model fit is doubtful: no convergence, or a variance estimated at zero."""


# --- shared helpers -----------------------------------------------------------------------------


def _frame(data: Survey | pd.DataFrame) -> pd.DataFrame:
    if isinstance(data, Survey):
        return data.responses
    if isinstance(data, pd.DataFrame):
        return data
    raise SoslokalError(f"Expected a Survey or a DataFrame, got {type(data).__name__}.")


def _outcome(frame: pd.DataFrame, key: str) -> str:
    """The column of ``key``: itself if present, else the theme it names."""
    if key in frame.columns:
        return key
    try:
        code = get_theme(key).code
    except (KeyError, ValueError, SoslokalError):
        code = None
    if code is None or code not in frame.columns:
        raise SoslokalError(f"{key!r} is neither a column nor a theme in the data (columns: "
                            f"{', '.join(map(str, frame.columns[:20]))}).")
    return code


def _need(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise SoslokalError(f"{what} {', '.join(map(repr, absent))} not in the data (columns: "
                            f"{', '.join(map(str, frame.columns[:20]))}).")


def _is_numeric(s: pd.Series) -> bool:
    return (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
            and not isinstance(s.dtype, pd.CategoricalDtype))


def _design(frame: pd.DataFrame, columns: Sequence[str],
            reference: Mapping[str, Any] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """0/1 dummies for categorical columns (all levels but the reference), numeric as is.

    Returns the design (float) and a term table: variable, level, reference, kind.
    """
    reference = dict(reference or {})
    parts: dict[str, pd.Series] = {}
    terms = []
    for col in columns:
        s = frame[col]
        if _is_numeric(s):
            values = s.astype("float64")
            if values.nunique() < 2:
                raise SoslokalError(f"Column {col!r} has the same value for every row used; it "
                                    "cannot explain anything. Fix: leave it out.")
            parts[col] = values
            terms.append((col, col, None, None, "numeric"))
            continue
        cat = s.astype("category").cat.remove_unused_categories()
        counts = cat.value_counts(sort=False)
        if len(counts) < 2:
            raise SoslokalError(f"Column {col!r} has only one level in the rows used "
                                f"({', '.join(map(str, counts.index))}). Fix: leave it out.")
        ref = reference.get(col, counts.idxmax())  # default: the most common level
        if ref not in counts.index:
            raise SoslokalError(f"Reference level {ref!r} is not a level of {col!r} (levels: "
                                f"{', '.join(map(str, counts.index))}).")
        for level in counts.index:
            if level == ref:
                continue
            name = f"{col}[{level}]"
            parts[name] = (cat == level).astype("float64")
            terms.append((name, col, str(level), str(ref), "category"))
    design = pd.DataFrame(parts, index=frame.index)
    table = pd.DataFrame(terms, columns=["term", "variable", "level", "reference", "kind"])
    return design, table.set_index("term")


def _complete(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, int]:
    used = frame[list(dict.fromkeys(columns))]
    keep = used.notna().all(axis=1)
    return used[keep.to_numpy()], int((~keep).sum())


@dataclass
class _Caught:
    messages: list[str] = field(default_factory=list)


def _fit_quietly(fit: Any, caught: _Caught) -> tuple[Any, _Caught]:
    """Call ``fit()`` collecting statsmodels' warnings (to be reported in plain words)."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        result = fit()
    for w in record:
        text = str(w.message).strip()
        if text and text not in caught.messages:
            caught.messages.append(text)
    return result, caught
