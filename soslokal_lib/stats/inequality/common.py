"""Input checks shared by the inequality measures (see :mod:`soslokal_lib.stats.inequality`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NoReturn

import numpy as np
import pandas as pd

from soslokal_lib.errors import Problem, SoslokalError, raise_problems


def fail(
    func: str, message: str, *, column: str | None = None, value: object = None,
    fix: str | None = None,
) -> NoReturn:
    """Raise one :class:`SoslokalError` naming the function, the argument and the fix."""
    raise_problems(SoslokalError, f"inequality.{func}",
                   [Problem(message, column=column, value=value, fix=fix)])
    raise AssertionError("unreachable")  # pragma: no cover


def as_float(values: object, name: str, func: str) -> np.ndarray:
    """``values`` as a 1-D float64 array (pandas missing values become NaN)."""
    try:
        if hasattr(values, "to_numpy"):
            arr = values.to_numpy(dtype="float64", na_value=np.nan)
        else:
            arr = np.asarray(values, dtype="float64")
    except (TypeError, ValueError) as exc:
        fail(func, f"{name} must be numeric ({exc})", column=name,
             fix="pass numbers (convert text columns with pandas.to_numeric)")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        fail(func, f"{name} must be one-dimensional, got shape {arr.shape}", column=name,
             fix="pass one value per area (a 1-D array or a pandas Series)")
    return arr


def positions(mask: np.ndarray, what: str) -> str:
    """'N of M values <what> (first at position i)' (positions count from 0)."""
    first = int(np.flatnonzero(mask)[0])
    return f"{int(mask.sum())} of {mask.size} values {what} (first at position {first})"


@dataclass
class Prepared:
    """Validated, aligned arrays: zero-weight and (with ``dropna``) missing rows removed."""

    x: np.ndarray
    w: np.ndarray
    weighted: bool
    numeric: dict[str, np.ndarray] = field(default_factory=dict)
    codes: dict[str, np.ndarray] = field(default_factory=dict)
    labels: dict[str, pd.Index] = field(default_factory=dict)
    dropped: int = 0
    keep: np.ndarray | None = None  #: mask of the input rows kept

    @property
    def n(self) -> int:
        return int(self.x.size)


def _check_index(func: str, x: object, other: object, name: str) -> None:
    if isinstance(x, pd.Series) and isinstance(other, pd.Series) and not x.index.equals(
        other.index
    ):
        fail(func, f"x and {name} are pandas Series with different indexes", column=name,
             fix=f"align them first, e.g. {name}.reindex(x.index)")


def prepare(
    func: str, x: object, weights: object = None, *, dropna: bool = False,
    numeric: dict[str, object] | None = None, labels: dict[str, object] | None = None,
    x_name: str = "x",
) -> Prepared:
    """Check and align ``x``, ``weights`` and extra per-observation arrays.

    NaN (or pandas NA) in any of them raises unless ``dropna=True``; infinities and negative
    weights always raise. Observations with weight 0 carry no population and are left out.
    """
    xa = as_float(x, x_name, func)
    n = xa.size
    if n == 0:
        fail(func, f"{x_name} is empty", column=x_name, fix="pass at least one value")
    arrays: dict[str, np.ndarray] = {x_name: xa}
    weighted = weights is not None
    if weighted:
        _check_index(func, x, weights, "weights")
        arrays["weights"] = as_float(weights, "weights", func)
    for name, values in (numeric or {}).items():
        _check_index(func, x, values, name)
        arrays[name] = as_float(values, name, func)
    codes: dict[str, np.ndarray] = {}
    uniques: dict[str, pd.Index] = {}
    for name, values in (labels or {}).items():
        _check_index(func, x, values, name)
        if not isinstance(values, (pd.Series, pd.Index, pd.Categorical, np.ndarray)):
            values = pd.Series(list(values), dtype=object)  # type: ignore[call-overload]
        try:
            c, u = pd.factorize(values, sort=True)
        except TypeError:
            c, u = pd.factorize(values)
        codes[name], uniques[name] = np.asarray(c), pd.Index(u)
    for name, arr in [*arrays.items(), *codes.items()]:
        if arr.size != n:
            fail(func, f"{name} has {arr.size} values but {x_name} has {n}", column=name,
                 fix=f"pass one {name} value per {x_name} value")
    missing = np.zeros(n, dtype=bool)
    for name, arr in [*arrays.items(), *((k, v < 0) for k, v in codes.items())]:
        bad = np.isnan(arr) if arr.dtype.kind == "f" else arr
        if bad.any() and not dropna:
            fail(func, f"{name}: {positions(bad, 'are missing (NaN)')}", column=name,
                 fix="pass dropna=True to leave those rows out, or fill the gaps first")
        missing |= bad
    for name, arr in arrays.items():
        bad = np.isinf(arr)
        if bad.any():
            fail(func, f"{name}: {positions(bad, 'are infinite')}", column=name,
                 value=float(arr[bad][0]), fix=f"remove or correct those {name} values")
    w = arrays["weights"] if weighted else np.ones(n)
    if weighted:
        bad = w < 0
        if bad.any():
            fail(func, f"weights: {positions(bad, 'are negative')}", column="weights",
                 value=float(w[bad][0]), fix="use population counts or survey weights (>= 0)")
    keep = ~missing & (w > 0)
    if not keep.any():
        fail(func, "no observation with a value and a positive weight is left",
             column="weights", fix="check that the weights are not all zero or missing")
    out = Prepared(x=xa[keep], w=w[keep], weighted=weighted, dropped=int(n - keep.sum()),
                   keep=keep)
    out.numeric = {k: arrays[k][keep] for k in (numeric or {})}
    for name, c in codes.items():
        kept = c[keep]
        used, compact = np.unique(kept, return_inverse=True)
        out.codes[name] = compact.astype(np.intp)
        out.labels[name] = uniques[name][used]
    return out


def require_values(func: str, x: np.ndarray, rule: str, measure: str, fix: str) -> None:
    """Check ``x`` against ``rule`` ∈ {"nonnegative", "positive"}; raise naming the count."""
    bad = x < 0 if rule == "nonnegative" else x <= 0
    if bad.any():
        what = "negative" if rule == "nonnegative" else "zero or negative"
        fail(func, f"{measure} needs {rule} values: {positions(bad, 'are ' + what)}", column="x",
             value=float(x[bad][0]), fix=fix)


def require_positive_mean(func: str, mean: float, measure: str) -> None:
    if not mean > 0:
        fail(func, f"{measure} needs a positive (weighted) mean; the mean is {mean:g}",
             column="x", fix="check the variable: all values are zero (or cancel out)")


def check_confidence(func: str, confidence: float) -> None:
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not (
        0 < confidence < 1
    ):
        fail(func, f"confidence must be a number between 0 and 1, not {confidence!r}",
             column="confidence", fix="use e.g. confidence=0.95")
