"""Which cells :func:`~soslokal_lib.summarise` hides: the survey's counts fed to
:func:`soslokal_lib.privacy.linked_codes`, so that every table a user can publish hides the
same cells.

The linked family is the areas (``area_id``) and, crossed with them, the background columns
``age_group`` and ``gender``: the areas' table is decided against the grand total alone, each
group's table and its area × group table together with the areas fixed. A respondent without
a value is a level of its own («not given»), so every table adds up to the same grand total.
Tables by any other column are checked one-way against the grand total; tables by two columns
other than an area × group pair are checked as a two-way table, both margins fixed as their own
tables decide them (where no cell can protect a hidden one then, every cell of that theme is
hidden, and if a small cell can still be worked out from the margins the table is refused with
the fix) — except age × gender, decided together with both area × group tables
(:meth:`Plan._joint`: it may hide gender figures, which the gender tables then hide too, and
the two area × group tables are checked exactly together). Tables by three or more columns are refused unless ``min_n`` is 1: their cells could be
worked out from the two-way tables of every pair of their columns, which this mechanism does not
model. Counts are unweighted, so a weighted table hides the same cells as the unweighted one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from soslokal_lib import _exact
from soslokal_lib import _suppression as solver
from soslokal_lib.errors import SoslokalError

AREA = "area_id"
#: Background columns crossed with the areas in the published two-way tables.
GROUPS: tuple[str, ...] = ("age_group", "gender")


class Plan:
    """Suppression codes of every table of one responses frame (cached per table)."""

    def __init__(self, df: pd.DataFrame, themes: Sequence[str], min_n: int,
                 area_counts: np.ndarray | None = None) -> None:
        self.df = df
        self.themes = list(themes)
        self.min_n = min_n
        self._valid: np.ndarray | None = None
        self._dims: dict[str, tuple[np.ndarray, int]] = {}
        self._codes: dict[tuple[str, ...], np.ndarray] = {}
        self._grids: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._area_counts = area_counts
        self._total: np.ndarray | None = None

    # ----------------------------------------------------------------- counts

    def dim(self, col: str) -> tuple[np.ndarray, int]:
        """Level per respondent (as :func:`pandas.factorize` with ``sort=True``; a missing
        value is the last level) and the number of levels."""
        if col not in self._dims:
            codes, uniques = pd.factorize(self.df[col], sort=True)
            size = len(uniques) + 1
            self._dims[col] = (np.where(codes < 0, size - 1, codes).astype(np.int64), size)
        return self._dims[col]

    def counts(self, cols: Sequence[str]) -> np.ndarray:
        """Respondents with a score, per theme and combination of levels: ``[T, *sizes]``."""
        if tuple(cols) == (AREA,) and self._area_counts is not None:
            return self._area_counts
        key = np.zeros(len(self.df), dtype=np.int64)
        sizes = []
        for col in cols:
            codes, size = self.dim(col)
            key = key * size + codes
            sizes.append(size)
        if self._valid is None:
            self._valid = self.df[self.themes].notna().to_numpy()
        total = int(np.prod(sizes))
        out = np.stack([np.bincount(key[self._valid[:, t]], minlength=total)
                        for t in range(len(self.themes))])
        return out.reshape(len(self.themes), *sizes)

    # ----------------------------------------------------------------- codes

    def total(self) -> np.ndarray:
        """Codes of the grand total (decided with the areas when there are areas)."""
        if self._total is None:
            if AREA in self.df.columns:
                self.codes([AREA])
            else:
                n = self.df[self.themes].notna().to_numpy().sum(axis=0)
                self._total = solver.primary(n, self.min_n)
        return self._total

    def codes(self, cols: Sequence[str]) -> np.ndarray:
        """Codes ``[T, *sizes]`` of the table by ``cols`` (0 shown, 1 primary, 2 secondary)."""
        cols = tuple(cols)
        if cols in self._codes:
            return self._codes[cols]
        area = AREA in self.df.columns
        if cols == (AREA,):
            out, self._total = solver.line_codes(self.counts(cols), self.min_n)
        elif len(cols) == 1 and area and cols[0] in GROUPS:
            out = self.grid(cols[0])[1]
        elif len(cols) == 1:
            out, _ = solver.line_codes(self.counts(cols), self.min_n, total=self.total())
        elif len(cols) == 2 and area and set(cols) - {AREA} <= set(GROUPS) and AREA in cols:
            other = cols[1] if cols[0] == AREA else cols[0]
            out = self.grid(other)[0]
            if cols[0] != AREA:
                out = out.transpose(0, 2, 1)
        elif len(cols) == 2 and area and set(cols) == set(GROUPS):
            self._joint()
            return self._codes[cols]
        elif len(cols) == 2 or self.min_n <= 1:
            out = self._fixed(cols)
        else:
            raise SoslokalError(
                f"Cannot protect a table by {len(cols)} columns {list(cols)}: its cells could "
                "be worked out from the two-way tables by any pair of these columns, and "
                "secondary suppression here covers one- and two-way tables. Fix: summarise by "
                "at most two columns (e.g. by=['area_id', 'gender']), or use min_n=1 for an "
                "internal table that is never published."
            )
        self._codes[cols] = out
        return out

    def grid(self, group: str) -> tuple[np.ndarray, np.ndarray]:
        """Codes of the area × ``group`` cells ``[T, A, L]`` and of the group's own figures
        ``[T, L]``, the areas fixed."""
        if group not in self._grids and all(g in self.df.columns for g in GROUPS):
            self._joint()
        if group not in self._grids:
            rows = self.codes([AREA])
            cells = self.counts([AREA, group])
            self._grids[group] = solver.grid_codes(cells, rows, self.total(), self.min_n)
        return self._grids[group]

    def _joint(self) -> None:
        """The area × group tables of both groups and the group × group table (age × gender),
        decided together: the two area × group tables are protected jointly
        (:func:`~soslokal_lib._suppression.linked_grids`: an exact check on their combined
        equations over the area × age × gender counts); the pair table keeps the groups' own figures as the area × group
        tables give them where its cells can protect each other; where they cannot, it hides
        some of the second group's figures (:func:`~soslokal_lib._suppression.pair_codes`),
        which are then hidden in that group's area × group table too (solved again with them
        hidden, which may hide more), and the pair table's shown cells join the exact check of
        the area × group tables, until nothing changes."""
        first, second = GROUPS
        rows, total = self.codes([AREA]), self.total()
        pair = self.counts([first, second])
        flip = pair.shape[1] < pair.shape[2]
        if flip:  # the longer group is the pair table's rows, as in _fixed
            first, second = second, first
            pair = pair.transpose(0, 2, 1)
        fine = self.counts([AREA, first, second])
        extra, out = None, None
        while True:
            codes = solver.linked_grids(fine, rows, total, self.min_n, hidden_columns=extra,
                                        pair=out)
            one, two = codes[:2], codes[2:]
            before = out
            out, columns = solver.pair_codes(pair, one[1], two[1], total, self.min_n)
            if np.array_equal(columns > 0, two[1] > 0) and before is not None and (
                    np.array_equal(out, before)):
                break
            extra = (columns > 0) | (two[1] > 0)
        self._grids[first], self._grids[second] = one, two
        self._codes[(first, second)] = out
        self._codes[(second, first)] = out.transpose(0, 2, 1)

    def _fixed(self, cols: tuple[str, ...]) -> np.ndarray:
        """A table by ``cols`` as a two-way table of the first column against the rest (the
        combination of the other columns when ``min_n`` is 1), both margins fixed by their own
        tables."""
        first, rest = cols[:1], cols[1:]
        row_codes = self.codes(first)
        rest_codes = self.codes(rest)
        t = len(self.themes)
        flat_rest = rest_codes.reshape(t, -1)
        cells = self.counts(cols).reshape(t, row_codes.shape[1], -1)
        if cells.shape[1] >= cells.shape[2]:
            out, _ = solver.grid_codes(cells, row_codes, self.total(), self.min_n,
                                       column_codes=flat_rest)
        else:
            out, _ = solver.grid_codes(cells.transpose(0, 2, 1), flat_rest, self.total(),
                                       self.min_n, column_codes=row_codes)
            out = out.transpose(0, 2, 1)
        if self.min_n > 1:
            self._refuse_recoverable(cols, cells, out, row_codes, flat_rest)
        return out.reshape(t, *row_codes.shape[1:], *rest_codes.shape[1:])

    def _refuse_recoverable(self, cols, cells, out, row_codes, col_codes) -> None:
        """Refuse a two-way table with fixed margins where a cell below ``min_n`` (or two such
        cells together) can be worked out although every cell of its theme is hidden: the
        margins' own tables are published as they are, so no hiding here can protect it."""
        hid = (out > 0) & (cells > 0)
        for t in np.flatnonzero(((out > 0) | (cells == 0)).all(axis=(1, 2)) & hid.any(axis=(1, 2))):
            found = recoverable(cells[t], row_codes[t], col_codes[t], self.total()[t], self.min_n)
            if found is None:
                continue
            r, c = found
            labels = [self._label(col, i) for col, i in zip(cols, (r, c), strict=True)]
            where = ", ".join(f"{col}={lab}" for col, lab in zip(cols, labels, strict=True))
            raise SoslokalError(
                f"Cannot protect the table by {list(cols)} on theme '{self.themes[t]}': the "
                f"cell {where} ({int(cells[t, r, c])} respondents, fewer than min_n="
                f"{self.min_n}) can be worked out from the figures per {cols[0]!r} and per "
                f"{cols[1]!r} (published as their own tables) however this table's cells are "
                "hidden. Fix: merge small levels of these columns before summarising (e.g. "
                "with Series.replace), summarise by one of them with the area instead, or use "
                "min_n=1 for an internal table that is never published.")

    def _label(self, col: str, i: int) -> str:
        """The value of level ``i`` of ``col`` (the last level: not given)."""
        _, uniques = pd.factorize(self.df[col], sort=True)
        return str(uniques[i]) if i < len(uniques) else "<not given>"


def recoverable(n: np.ndarray, row_codes: np.ndarray, col_codes: np.ndarray, total: int,
                min_n: int) -> tuple[int, int] | None:
    """A cell ``(row, column)`` of the two-way table ``n`` below ``min_n``, alone or with another
    such cell, whose figure follows exactly from the shown row and column figures and grand
    total when every non-empty cell is hidden; None if there is none."""
    cells = np.argwhere(n > 0)
    r, c = cells.T
    eqs = [r == i for i in range(n.shape[0]) if row_codes[i] == 0]
    eqs += [c == j for j in range(n.shape[1]) if col_codes[j] == 0]
    if total == 0:
        eqs.append(np.ones(len(cells), dtype=bool))
    small = np.flatnonzero(n[r, c] < min_n)
    queries = [np.eye(len(cells), dtype=np.int64)[small]]
    first, second = np.triu_indices(len(small), 1)
    pairs = n[r, c][small][first] + n[r, c][small][second] < min_n
    both = np.zeros((int(pairs.sum()), len(cells)), dtype=np.int64)
    both[np.arange(len(both)), small[first[pairs]]] = 1
    both[np.arange(len(both)), small[second[pairs]]] = 1
    queries.append(both)
    queries = np.concatenate(queries)
    if not len(queries) or not eqs:
        return None
    hit = np.flatnonzero(_exact.in_row_space(np.array(eqs, dtype=np.int64), queries))
    if not len(hit):
        return None
    cell = np.flatnonzero(queries[hit[0]])[0]
    return int(r[cell]), int(c[cell])


def table_codes(plan: Plan, by_cols: list[str], groups: pd.Index) -> np.ndarray:
    """Codes ``[groups + 1, T]`` for the rows of a summary table by ``by_cols`` (the groups as
    :func:`~soslokal_lib.stats.summary.score_histograms` orders them), the total row last."""
    dense = plan.codes(by_cols)
    if isinstance(groups, pd.MultiIndex):
        index = tuple(np.asarray(c, dtype=np.int64) for c in groups.codes)
    else:
        index = (np.arange(len(groups)),)
    cells = dense[(slice(None), *index)]  # [T, groups]
    return np.concatenate([cells.T, plan.total()[None, :]]).astype(np.int8)


def all_codes(plan: Plan, by_cols: list[str]) -> pd.DataFrame:
    """Every non-empty cell of the table by ``by_cols`` (respondents without a value: the
    value NA), with ``theme``, ``n`` and ``code``."""
    dense = plan.codes(by_cols)
    n = plan.counts(by_cols)
    t = len(plan.themes)
    present = n.reshape(t, -1).sum(axis=0) > 0
    flat = np.flatnonzero(present)
    positions = np.unravel_index(flat, n.shape[1:])
    out: dict[str, object] = {}
    for col, pos in zip(by_cols, positions, strict=True):
        _, uniques = pd.factorize(plan.df[col], sort=True)
        values = pd.Series(uniques).reindex(pos).to_numpy()  # the last level → NA
        out[col] = np.repeat(values, t)
    out["theme"] = np.tile(np.asarray(plan.themes, dtype=object), len(flat))
    out["n"] = n.reshape(t, -1)[:, flat].T.ravel()
    out["code"] = dense.reshape(t, -1)[:, flat].T.ravel()
    return pd.DataFrame(out)
