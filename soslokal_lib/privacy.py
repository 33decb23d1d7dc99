"""Privacy: the one place where small cells are suppressed, and text is made safe for export.

Rules (ARCHITECTURE §6):

* **Primary suppression** — a cell with ``n < min_n`` respondents shows no statistic. Its ``n``
  stays visible; every statistic (``STATISTIC_COLUMNS``, including ``n_eff``) becomes NA.
* **Secondary suppression** — when a total row is shown, a cell could be recovered by
  subtracting its siblings from the total. Siblings are all non-total cells of the same theme.
  Whenever exactly one non-empty sibling is suppressed, the next smallest non-empty,
  non-suppressed sibling (ties: first in table order) is suppressed too. The rule is applied
  until nothing changes. If no sibling is left to suppress, the theme's total row is suppressed.
* **Two-way tables** (:func:`grid_suppression_codes`) — when a breakdown (e.g. age within each
  area) is shown next to both its row totals (the areas) and its column totals (e.g. the
  whole kommune by age), the rule above is applied along rows and columns alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import SoslokalError

#: The value a ``by`` column holds in a whole-survey (total) row.
TOTAL = "total"

#: Columns blanked in a suppressed cell.
STATISTIC_COLUMNS: tuple[str, ...] = (
    "n_eff", "mean", "mean_ci_low", "mean_ci_high", "median", "median_ci_low", "median_ci_high",
    "share_low", "share_low_ci_low", "share_low_ci_high",
    "share_high", "share_high_ci_low", "share_high_ci_high",
)

#: Labels of the ``suppression`` column (NA means shown).
SUPPRESSION_KINDS: tuple[str, ...] = ("primary", "secondary")

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def suppression_codes(
    n: np.ndarray,
    theme: np.ndarray,
    is_total: np.ndarray,
    min_n: int,
    *,
    secondary: bool = True,
) -> np.ndarray:
    """Suppression code per cell: 0 shown, 1 primary, 2 secondary.

    ``n`` respondents per cell, ``theme`` integer theme codes (0..T-1) defining the sibling
    sets, ``is_total`` marks total rows. Vectorised over all themes at once.
    """
    n = np.asarray(n)
    theme = np.asarray(theme, dtype=np.int64)
    is_total = np.asarray(is_total, dtype=bool)
    check_min_n(min_n)
    codes = np.where(n < min_n, 1, 0).astype(np.int8)
    if not secondary or not is_total.any():
        return codes
    n_themes = int(theme.max()) + 1 if len(theme) else 0
    sibling = ~is_total & (n > 0)
    rows = np.arange(len(n))
    while True:
        hidden = sibling & (codes > 0)
        exposed = np.bincount(theme[hidden], minlength=n_themes) == 1
        if not exposed.any():
            return codes
        candidate = sibling & (codes == 0) & exposed[theme]
        cand_rows = rows[candidate]
        order = np.lexsort((cand_rows, n[cand_rows], theme[cand_rows]))
        cand_rows = cand_rows[order]
        _, first = np.unique(theme[cand_rows], return_index=True)
        picked = cand_rows[first]
        codes[picked] = 2
        # A theme with one exposed cell and no sibling left to hide: hide its total instead.
        stuck = exposed.copy()
        stuck[theme[picked]] = False
        if stuck.any():
            totals = is_total & stuck[theme] & (codes == 0)
            codes[totals] = 2
        if not len(picked):
            return codes


def grid_suppression_codes(
    n: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    theme: np.ndarray,
    min_n: int,
    *,
    hidden: np.ndarray | None = None,
) -> np.ndarray:
    """Suppression codes (0 shown, 1 primary, 2 secondary) for a two-way table per theme
    whose row totals and column totals are both shown elsewhere.

    Cells are given flat: ``n`` respondents, integer ``row``, ``col`` and ``theme`` codes.
    ``hidden`` marks further cells to hide (secondary), e.g. the cells of a row whose total
    is itself suppressed. Then, until nothing changes, every line (the cells of one row, or
    of one column, within a theme) with exactly one hidden non-empty cell gets one more of
    its shown non-empty cells hidden, one cell per theme at a time: preferably a cell whose
    row and column both need one, then the smallest, then the first in order. The pattern
    is safe, not always minimal (a greedy rule, not an optimisation). A cell that is the only
    non-empty cell of its row or column is never chosen: it equals that line's total, so
    hiding it would protect nothing. Vectorised over themes.
    """
    n = np.asarray(n, dtype=np.int64)
    check_min_n(min_n)
    codes = np.where(n < min_n, 1, 0).astype(np.int8)
    if hidden is not None:
        codes[np.asarray(hidden, dtype=bool) & (codes == 0)] = 2
    if not len(n):
        return codes
    theme = np.asarray(theme, dtype=np.int64)
    filled = n > 0
    lines = []
    for key in (np.asarray(row, dtype=np.int64), np.asarray(col, dtype=np.int64)):
        _, line = np.unique(np.column_stack([theme, key]), axis=0, return_inverse=True)
        lines.append(line.ravel())
    size = [int(line.max()) + 1 for line in lines]
    sole = np.zeros(len(n), dtype=bool)
    for line, m in zip(lines, size, strict=True):
        sole |= np.bincount(line[filled], minlength=m)[line] == 1
    hideable = filled & ~sole
    cells = np.arange(len(n))
    while True:  # one cell per theme and pass: a pick can mend a row and a column at once
        hid = filled & (codes > 0)
        exposed = [(np.bincount(line[hid], minlength=m) == 1)[line]
                   for line, m in zip(lines, size, strict=True)]
        cand = cells[hideable & (codes == 0) & (exposed[0] | exposed[1])]
        if not len(cand):
            return codes
        single = ~(exposed[0][cand] & exposed[1][cand])
        cand = cand[np.lexsort((cand, n[cand], single, theme[cand]))]
        _, first = np.unique(theme[cand], return_index=True)
        codes[cand[first]] = 2


def suppress(
    table: pd.DataFrame,
    *,
    by: str | Sequence[str],
    min_n: int = 5,
    secondary: bool | None = None,
    theme_column: str = "theme",
) -> pd.DataFrame:
    """Return ``table`` with small cells blanked and ``suppressed``/``suppression`` set.

    ``by``: the grouping column(s); a row whose ``by`` values are all ``"total"`` is a total row.
    ``secondary``: apply secondary suppression (default: when the table has a total row).
    The input is not modified.
    """
    by_cols = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*by_cols, theme_column, "n"] if c not in table.columns]
    if missing:
        raise SoslokalError(
            f"Cannot suppress: the table lacks columns {missing}. Fix: pass a summary table "
            "with the grouping column(s), 'theme' and 'n' (as made by soslokal_lib.summarise)."
        )
    is_total = _total_rows(table, by_cols)
    if secondary is None:
        secondary = bool(is_total.any())
    theme_codes, _ = pd.factorize(table[theme_column])
    n = table["n"].to_numpy(dtype=np.int64, na_value=0)
    codes = suppression_codes(n, theme_codes, is_total, min_n, secondary=secondary)
    return apply_suppression(table, codes)


def apply_suppression(table: pd.DataFrame, codes: np.ndarray) -> pd.DataFrame:
    """``table`` with every statistic blanked where ``codes`` > 0 and ``suppressed`` /
    ``suppression`` set from them (0 shown, 1 primary, 2 secondary, as from
    :func:`suppression_codes`). The input is not modified."""
    hidden = codes > 0
    out = table.copy()
    for col in STATISTIC_COLUMNS:
        if col in out.columns:
            values = out[col].to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
            values[hidden] = np.nan
            out[col] = values
    out["suppressed"] = hidden
    out["suppression"] = pd.Categorical.from_codes(
        codes.astype(np.int64) - 1, categories=list(SUPPRESSION_KINDS)
    )
    return out


def check_no_small_cells(
    table: pd.DataFrame, min_n: int, columns: Sequence[str] | None = None
) -> None:
    """Raise :class:`SoslokalError` if a cell with ``n < min_n`` shows any statistic.

    ``columns``: the statistic columns to check (default: those of ``STATISTIC_COLUMNS``
    present). A row with ``n < min_n`` marked ``suppressed == False`` also fails.
    """
    check_min_n(min_n)
    if "n" not in table.columns:
        raise SoslokalError(
            "Cannot check for small cells: the table has no 'n' column. Fix: keep the 'n' "
            "column of the summary table."
        )
    cols = list(columns) if columns is not None else [
        c for c in STATISTIC_COLUMNS if c in table.columns
    ]
    absent = [c for c in cols if c not in table.columns]
    if absent:
        raise SoslokalError(f"Cannot check for small cells: no columns {absent} in the table.")
    small = table["n"].fillna(0).to_numpy() < min_n
    shown = table[cols].notna().to_numpy().any(axis=1) if cols else np.zeros(len(table), bool)
    if "suppressed" in table.columns:
        shown |= ~table["suppressed"].fillna(False).to_numpy(dtype=bool)
    bad = np.flatnonzero(small & shown)
    if len(bad):
        row = table.iloc[bad[0]]
        label = ", ".join(f"{k}={v!r}" for k, v in row.items() if k not in cols)
        more = f" … and {len(bad) - 1} more" if len(bad) > 1 else ""
        raise SoslokalError(
            f"A cell with fewer than {min_n} respondents shows statistics ({label}){more}. "
            "Fix: take the numbers from soslokal_lib.summarise(..., min_n=...) or pass the table "
            "through soslokal_lib.privacy.suppress before output."
        )


def check_count_columns(table: pd.DataFrame, min_n: int) -> None:
    """Raise :class:`SoslokalError` if a value column ``<x>`` shows a number where its count
    column ``<x>__n`` is below ``min_n`` (the indicator tables' layout)."""
    check_min_n(min_n)
    for count in [c for c in table.columns if str(c).endswith("__n")]:
        value = str(count)[: -len("__n")]
        if value not in table.columns:
            continue
        small = pd.to_numeric(table[count], errors="coerce").fillna(0).to_numpy() < min_n
        bad = np.flatnonzero(small & table[value].notna().to_numpy())
        if len(bad):
            more = f" … and {len(bad) - 1} more" if len(bad) > 1 else ""
            raise SoslokalError(
                f"Column {value!r} shows a value where {count!r} is below {min_n} "
                f"(row {bad[0] + 1}){more}. Fix: leave indicators from small cells missing, as "
                "soslokal_lib.indicators.indicator_table does."
            )


def protect_text(series: pd.Series) -> pd.Series:
    """Neutralise spreadsheet formula injection: prefix risky text cells with ``'``.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe.
    Non-text values and missing values are left as they are; the input is not modified.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = series.cat.categories
        if pd.api.types.is_string_dtype(cats.dtype) or cats.dtype == object:
            new = protect_text(pd.Series(cats, dtype=object)).tolist()
            return series.cat.rename_categories(new)
        return series.copy()
    if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        return series.copy()
    risky = series.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
    if not risky.any():
        return series.copy()
    out = series.copy()
    out[risky] = "'" + series[risky].astype(str)
    return out


def protect_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`protect_text` applied to every text column (and the index) of ``frame``, and
    to its column labels (they become the header row of a CSV or sheet)."""
    out = frame.copy()
    for col in out.columns:
        out[col] = protect_text(out[col])
    if not isinstance(out.columns, pd.MultiIndex):
        out.columns = [f"'{c}" if isinstance(c, str) and c.startswith(FORMULA_PREFIXES) else c
                       for c in out.columns]
    index_is_text = pd.api.types.is_string_dtype(out.index.dtype) or out.index.dtype == object
    if index_is_text and not isinstance(out.index, pd.MultiIndex):
        out.index = pd.Index(protect_text(out.index.to_series()), name=out.index.name)
    return out


def _total_rows(table: pd.DataFrame, by_cols: list[str]) -> np.ndarray:
    is_total = np.ones(len(table), dtype=bool)
    for col in by_cols:
        is_total &= (table[col].astype("string") == TOTAL).fillna(False).to_numpy(dtype=bool)
    return is_total


def check_min_n(min_n: object) -> None:
    """Raise :class:`SoslokalError` unless ``min_n`` is a whole number ≥ 1."""
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise SoslokalError(
            f"min_n must be a whole number of at least 1, not {min_n!r}. Fix: use e.g. min_n=5."
        )


_check_min_n = check_min_n  # the former private name
