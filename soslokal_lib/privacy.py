"""Privacy: the one place where small cells are suppressed, and text is made safe for export.

Rules (ARCHITECTURE §6):

* **Primary suppression** — a cell with ``n < min_n`` respondents shows no statistic. Its ``n``
  stays visible; every statistic (``STATISTIC_COLUMNS``, including ``n_eff``) becomes NA.
* **Secondary suppression** («skjult for å beskytte et lite nabolag», ``"secondary"``) — no
  combination of the tables a user can publish recovers a group below ``min_n``: the areas
  against the whole survey, each group (age, gender) against it, the area × group tables
  against both, with or without the total row. Respondents without an area or a group answer
  are a cell of their own («ikke oppgitt»), so the grand total is the same in every table. The
  solver (:mod:`soslokal_lib._suppression`) makes sure that

  1. in every line (the areas of a theme, the levels of a group, the groups within an area, the
     areas within a group) the hidden non-empty cells are none, or at least two holding at
     least ``min_n`` people together;
  2. every hidden cell of an area × group table lies on a cycle of hidden cells (so no sum of
     lines determines it), and the areas hidden in the areas' table are linked through hidden
     cells in every group table (so they stay hidden when both group tables are combined);
  3. no union of hidden cells with fewer than ``min_n`` people equals a combination of shown
     lines (checked exactly, by the cuts of a small graph);
  4. in :func:`soslokal_lib.summarise` (which has every respondent's area, age and gender), the
     area × age and area × gender tables are protected *together*: after each is protected
     alone, an exact check (integer arithmetic, the same on every machine) over the area × age
     × gender counts (the unknowns) and every published figure of both tables, the areas, the
     groups, the grand total and the age × gender table finds any hidden entry, any union of
     two small hidden cells below ``min_n``, or any area × age × gender group below ``min_n``
     that the published figures give back, and hides the cheapest entry that breaks it (a cell
     by ``n``, else a group's own figure), until there is none
     (:func:`soslokal_lib._suppression.linked_grids`). Each table alone cannot guarantee this:
     the two share the area figures and, through the respondents, their cells;
  5. the age × gender table keeps the age and gender figures as the area × group tables give
     them where its cells can protect each other; where no cycle of cells exists it hides
     gender figures instead (as the one-way rule hides a line's total), and these are then
     hidden in the gender table and the area × gender table too
     (:func:`soslokal_lib._suppression.pair_codes`; before, all its cells were hidden, which
     let a small cell be worked out from the shown margins).

  The areas' own figures (and the grand total) are decided by rule 1 alone, so
  ``summarise(survey)`` does not depend on the group tables; the group tables protect their
  cells with further cells or, where nothing else helps, with the group's own figures. Tables
  by other columns are protected against their own margins (``stats/_cells.py``); tables by
  three or more columns are refused unless ``min_n`` is 1. :func:`linked_codes` protects two
  group tables together by rule 4 when given their finest counts, and refuses them without.
  Two-way tables by other columns keep both margins as their own tables decide them; where no
  cycle exists every cell of the theme is hidden, and where a small cell still follows from
  the margins the table is refused, with the fix (``stats/_cells.py``). Not covered: the rare
  check that finds a determined entry only the areas' figures could break (left as it is).
* **Cost** — complements are chosen to cost the least information: a cell costs its ``n``; a
  group's own figure (a row of another table) costs far more than any cell; the grand total is
  hidden only when it is itself below ``min_n`` (or equals a hidden area). In the areas' table
  (and likewise in a group's own table) an area costs ``n × (1 + h)`` (``h`` the themes on
  which that area is already hidden), themes taken in the official order: the complement of a
  small area is the smallest area that makes the pair safe, and each theme an area loses makes
  it as dear again — so the complements are spread over the neighbours and one small area
  does not take a neighbour off most themes of a report (deterministic; ties by ``n``, then
  table order). All decisions use unweighted counts, so
  weighted and unweighted tables hide the same cells.
* **Counts of respondents** per area × age and area × gender (the Bylab's «Hvem svarte») are
  protected against every area's and every level's count being public
  (:func:`soslokal_lib._counts.count_codes`, checked exactly; a level with 0 may be hidden).
* **Quotes** follow the primary rule only (:mod:`soslokal_lib.text.quotes`): a comment from an area
  with at least ``min_n`` respondents reveals nothing about a small neighbour.

:func:`linked_codes` is the mechanism; :func:`suppression_codes` (one-way tables) and
:func:`grid_suppression_codes` (one area × group table) are views of it;
:func:`hidden_cells` lists what a summary table hides and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from soslokal_lib import _suppression as _solver
from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import lang_key

#: The value a ``by`` column holds in a whole-survey (total) row.
TOTAL = "total"

#: Columns blanked in a suppressed cell.
STATISTIC_COLUMNS: tuple[str, ...] = (
    "n_dont_know", "n_eff", "mean", "mean_ci_low", "mean_ci_high", "median", "median_ci_low", "median_ci_high",
    "share_low", "share_low_ci_low", "share_low_ci_high",
    "share_high", "share_high_ci_low", "share_high_ci_high",
)

#: Labels of the ``suppression`` column (NA means shown).
SUPPRESSION_KINDS: tuple[str, ...] = ("primary", "secondary")

#: What each kind of suppression means, for readers (bokmål and English).
SUPPRESSION_LABELS: dict[str, dict[str, str]] = {
    "nb": {"primary": "for få svar", "secondary": "skjult for å beskytte et lite nabolag"},
    "en": {"primary": "too few responses",
           "secondary": "hidden to protect a small neighbourhood"},
}

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
    """Suppression code per cell of one-way tables: 0 shown, 1 primary, 2 secondary.

    ``n`` respondents per cell, ``theme`` integer codes defining the sibling sets (one line
    each), ``is_total`` marks each line's total row. Rule 1 of the module docstring: a line
    with a shown total holds no hidden non-empty sibling, or at least two holding at least
    ``min_n`` people; the complement is the smallest sibling that makes the line safe (ties:
    first in table order); a line with no sibling left hides its total. Lines without a total
    row get primary suppression only. Vectorised over lines.
    """
    n = np.asarray(n, dtype=np.int64)
    theme = np.asarray(theme, dtype=np.int64)
    is_total = np.asarray(is_total, dtype=bool)
    check_min_n(min_n)
    codes = _solver.primary(n, min_n)
    if not secondary or not is_total.any() or not len(n):
        return codes
    lines, line = np.unique(theme, return_inverse=True)
    sib = ~is_total
    pos = np.zeros(len(n), dtype=np.int64)
    order = np.lexsort((np.arange(len(n)), line))
    ranks = np.arange(len(n)) - np.searchsorted(line[order], line[order])
    pos[order] = ranks
    width = int(pos[sib].max()) + 1 if sib.any() else 1
    dense_n = np.zeros((len(lines), width), dtype=np.int64)
    dense_n[line[sib], pos[sib]] = n[sib]
    dense = np.ones((len(lines), width), dtype=np.int8)
    dense[line[sib], pos[sib]] = codes[sib]
    total = np.ones(len(lines), dtype=np.int8)  # no total row: nothing to protect against
    total[line[is_total]] = codes[is_total]
    _solver.one_way(dense_n, dense, total, min_n, spread=False)
    codes[sib] = dense[line[sib], pos[sib]]
    has_total = np.zeros(len(lines), dtype=bool)
    has_total[line[is_total]] = True
    codes[is_total] = np.where(has_total[line[is_total]], total[line[is_total]],
                               codes[is_total])
    return codes


@dataclass(frozen=True)
class LinkedCodes:
    """Codes (0 shown, 1 primary, 2 secondary) of linked tables, per theme ``t``:
    ``rows[t, a]`` the areas' own figures, ``total[t]`` the grand total, and per group table
    ``g``: ``cells[g][t, a, l]`` (area × group) and ``columns[g][t, l]`` (the group's own
    figures, i.e. the rows of ``summarise(survey, by=group)``)."""

    rows: np.ndarray
    total: np.ndarray
    cells: tuple[np.ndarray, ...]
    columns: tuple[np.ndarray, ...]


def linked_codes(
    rows_n: np.ndarray,
    grids: Sequence[np.ndarray] = (),
    min_n: int = 5,
    *,
    hidden: Sequence[np.ndarray | None] | None = None,
    fine: np.ndarray | None = None,
) -> LinkedCodes:
    """The one suppression mechanism: codes for the areas' table ``rows_n[t, a]`` (respondents
    per theme and area, every respondent in exactly one area — those without one in a row of
    their own), its grand total, and any number of area × group tables ``grids[g][t, a, l]``
    (every respondent in one level — those without an answer in a level of their own), whose
    rows must add up to ``rows_n``. ``hidden[g]``: cells to hide from the start.

    The areas are decided by rule 1 against the grand total (near ties spread over themes);
    each group table then by rules 1–3 with the areas fixed, and two group tables together by
    rule 4 (module docstring), which needs their finest counts ``fine[t, a, l, g]`` (the
    respondents per area and level of both groups; ``fine.sum(axis=3)`` is the first table,
    ``fine.sum(axis=2)`` the second): two tables share the areas' figures and, through the
    respondents, their cells, so each protected alone may give a hidden one back.
    """
    check_min_n(min_n)
    rows_n = np.asarray(rows_n, dtype=np.int64)
    if rows_n.ndim != 2:
        raise SoslokalError("rows_n must be a themes × areas array of counts.")
    grids = [np.asarray(g, dtype=np.int64) for g in grids]
    for g in grids:
        if g.ndim != 3 or g.shape[:2] != rows_n.shape or not np.array_equal(g.sum(axis=2), rows_n):
            raise SoslokalError(
                "Every group table must be themes × areas × levels and add up to the areas' "
                "counts. Fix: give respondents without a group answer a level of their own."
            )
    rows, total = _solver.line_codes(rows_n, min_n, spread=True)
    if len(grids) > 1 and min_n > 1:
        return _linked_pair(rows_n, grids, rows, total, min_n, hidden, fine)
    cells, columns = [], []
    for i, g in enumerate(grids):
        start = None if hidden is None else hidden[i]
        c, col = _solver.grid_codes(g, rows, total, min_n, spread=True, hidden=start)
        cells.append(c)
        columns.append(col)
    return LinkedCodes(rows, total, tuple(cells), tuple(columns))


def _linked_pair(rows_n, grids, rows, total, min_n, hidden, fine) -> LinkedCodes:
    """Two group tables protected together (rule 4), from their finest counts."""
    if len(grids) > 2 or fine is None or hidden is not None:
        raise SoslokalError(
            f"{len(grids)} group tables share the areas' figures, so they must be protected "
            "together, from the respondents per area and level of both groups. Fix: give "
            "fine=counts[themes, areas, levels, levels] for two group tables (without "
            "hidden=), or protect the tables one call at a time if they are never published "
            "together.")
    fine = np.asarray(fine, dtype=np.int64)
    if (fine.ndim != 4 or not np.array_equal(fine.sum(axis=3), grids[0])
            or not np.array_equal(fine.sum(axis=2), grids[1])):
        raise SoslokalError(
            "fine must be themes × areas × levels × levels, adding up over its last axis to "
            "the first group table and over its third axis to the second.")
    one, one_cols, two, two_cols = _solver.linked_grids(fine, rows, total, min_n)
    return LinkedCodes(rows, total, (one, two), (one_cols, two_cols))


def grid_suppression_codes(
    n: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    theme: np.ndarray,
    min_n: int,
    *,
    hidden: np.ndarray | None = None,
) -> np.ndarray:
    """Suppression codes (0 shown, 1 primary, 2 secondary) of the cells of a two-way table per
    theme whose row totals, column totals and grand total are published too — a flat view of
    :func:`linked_codes` with one group table (which also gives the totals' codes).

    Cells are given flat: ``n`` respondents, integer ``row``, ``col`` and ``theme`` codes; the
    row totals are the sums of each row's cells. ``hidden`` marks further cells to hide.
    """
    n = np.asarray(n, dtype=np.int64)
    check_min_n(min_n)
    if not len(n):
        return np.zeros(0, dtype=np.int8)
    t = pd.factorize(np.asarray(theme))[0]
    r = pd.factorize(np.asarray(row))[0]
    c = pd.factorize(np.asarray(col))[0]
    dense = np.zeros((t.max() + 1, r.max() + 1, c.max() + 1), dtype=np.int64)
    np.add.at(dense, (t, r, c), n)
    start = None
    if hidden is not None:
        start = np.zeros(dense.shape, dtype=bool)
        start[t, r, c] = np.asarray(hidden, dtype=bool)
    codes = linked_codes(dense.sum(axis=2), [dense], min_n, hidden=[start]).cells[0]
    return codes[t, r, c]


def suppress(
    table: pd.DataFrame,
    *,
    by: str | Sequence[str],
    min_n: int = 5,
    secondary: bool | None = None,
    theme_column: str = "theme",
) -> pd.DataFrame:
    """Return ``table`` with small cells blanked and ``suppressed``/``suppression`` set, by the
    one-way rule (:func:`suppression_codes`) — for tables other than summaries;
    :func:`soslokal_lib.summarise` applies the linked mechanism itself.

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


def apply_suppression(table: pd.DataFrame, codes: np.ndarray, *,
                      columns: Sequence[str] | None = None) -> pd.DataFrame:
    """``table`` with every statistic blanked where ``codes`` > 0 and ``suppressed`` /
    ``suppression`` set from them (0 shown, 1 primary, 2 secondary, as from
    :func:`suppression_codes`). ``columns``: the columns to blank instead of those of
    :data:`STATISTIC_COLUMNS` present (e.g. counts of comments); these keep their dtype, with
    NA where hidden. The input is not modified."""
    codes = np.asarray(codes)
    hidden = codes > 0
    out = table.copy()
    for col in STATISTIC_COLUMNS if columns is None else ():
        if col in out.columns and pd.api.types.is_integer_dtype(out[col].dtype):
            out[col] = out[col].astype("Int64").mask(hidden)  # a count: whole numbers or NA
        elif col in out.columns:
            values = out[col].to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
            values[hidden] = np.nan
            out[col] = values
    for col in columns or ():
        out[col] = out[col].mask(hidden)
    out["suppressed"] = hidden
    out["suppression"] = pd.Categorical.from_codes(
        codes.astype(np.int64) - 1, categories=list(SUPPRESSION_KINDS)
    )
    return out


def hidden_cells(summary: pd.DataFrame, *, lang: str = "nb") -> pd.DataFrame:
    """The hidden cells of a summary table (from :func:`soslokal_lib.summarise`, or any table
    with a ``suppression`` column): the grouping column(s) (those before ``theme``), ``theme``,
    ``n``, ``suppression``
    (``"primary"``/``"secondary"``) and ``reason`` (:data:`SUPPRESSION_LABELS`, bokmål or
    ``lang="en"``). Empty cells (``n = 0``) are left out. E.g. the areas a report hides:
    ``hidden_cells(summarise(survey)).groupby("area_id")["theme"].size()``.
    """
    if "suppression" not in summary.columns or "theme" not in summary.columns:
        raise SoslokalError(
            "Cannot list hidden cells: the table has no 'suppression' or 'theme' column. Fix: "
            "pass a table made by soslokal_lib.summarise."
        )
    key = lang_key(lang)
    by = list(summary.columns[: summary.columns.get_loc("theme")])  # summarise's layout
    kind = summary["suppression"].astype("object")
    rows = summary[kind.notna().to_numpy() & (summary["n"].fillna(0).to_numpy() > 0)]
    out = rows[[*by, "theme", "n"]].copy()
    out["suppression"] = rows["suppression"].astype(str).to_numpy()
    out["reason"] = out["suppression"].map(SUPPRESSION_LABELS[key])
    return out.reset_index(drop=True)


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
