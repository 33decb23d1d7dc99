"""Exact protection of published count tables: area × level counts of background variables
(the Bylab's «Hvem svarte»), when every area's count, every level's count in the kommune and
the grand total are public anyway (counts of respondents are shown by policy, see
:func:`soslokal_lib.stats.respondents.respondent_counts`, and every brief's header shows its
area's number of answers).

The attacker knows those public counts and every shown cell (a shown 0 says that each finest
count in it is 0), and solves for the finest counts (area × level × level) by linear algebra.
A cell is hidden when it holds 1 to ``min_n - 1`` people (every cell of an area below
``min_n``, and of an area whose cells are never shown), and more cells are hidden until

1. in every other area, the hidden cells of each variable hold 0 or at least ``min_n`` people
   (its count minus its shown cells), and so do the hidden cells of each level (the kommune's
   count minus the shown cells), unless no cell of it is left to hide;
2. no hidden cell below ``min_n``, no two such cells together below ``min_n``, and no finest
   count below ``min_n`` follows from what is published beyond what the public counts give on
   their own — decided exactly (:mod:`soslokal_lib._exact`, integer arithmetic).

A complement is the cheapest shown cell that the determining combination needs; a cell with 0
people costs nothing (hidden, its 0 is no longer known).
"""

from __future__ import annotations

import numpy as np

from soslokal_lib import _exact
from soslokal_lib._suppression import _needed

_NEVER = np.int64(10**15)


def count_codes(fine: np.ndarray, min_n: int, unshown: np.ndarray | None = None,
                max_rounds: int = 10_000) -> list[np.ndarray]:
    """Hidden cells (bool ``[A, L_i]``) of the area × level table of each variable ``i``, from
    the finest counts ``fine[A, L_1, …, L_k]`` (people per area and level of every variable).
    ``unshown[A]``: areas whose cells are never published (hidden whatever their size)."""
    fine = np.asarray(fine, dtype=np.int64)
    axes = range(1, fine.ndim)
    cells = [fine.sum(axis=tuple(j for j in axes if j != i)) for i in axes]
    people = fine.reshape(len(fine), -1).sum(axis=1)
    whole = people < min_n
    if unshown is not None:
        whole = whole | np.asarray(unshown, dtype=bool)
    hidden = [((c > 0) & (c < min_n)) | whole[:, None] for c in cells]
    for _ in range(max_rounds):
        if _line_rule(cells, hidden, min_n):
            continue
        found = _determined(fine, cells, hidden, min_n)
        if found is None:
            return hidden
        i, a, j = found
        hidden[i][a, j] = True
    raise RuntimeError("count protection did not converge")  # pragma: no cover


def _line_rule(cells, hidden, min_n) -> bool:
    """Rule 1: hide the cheapest shown non-empty cell of every area, and of every level, whose
    hidden cells hold 1 to ``min_n - 1`` people (not a whole area's or level's: nothing of it
    is shown). True when one was hidden."""
    for c, h in zip(cells, hidden, strict=True):
        cost = np.where(h | (c == 0), _NEVER, c)
        for axis in (1, 0):  # the areas' lines, then the levels' (over all areas)
            left = np.where(h, c, 0).sum(axis=axis)
            short = np.flatnonzero((left > 0) & (left < min_n) & (cost.min(axis=axis) < _NEVER))
            if len(short):
                pick = cost.argmin(axis=axis)[short]
                h[(short, pick) if axis == 1 else (pick, short)] = True
                return True
    return False


def _determined(fine, cells, hidden, min_n) -> tuple[int, int, int] | None:
    """Rule 2: the cell ``(variable, area, level)`` to hide next, or None when nothing small
    follows from the published equations beyond the public counts."""
    index = np.indices(fine.shape).reshape(fine.ndim, -1)  # every finest count is an unknown
    size = fine.ravel()
    area = index[0]
    public = [np.ones((1, size.size), dtype=np.int64),
              (area == np.arange(len(fine))[:, None]).astype(np.int64)]
    rows, keys, masks = [], [], []  # the shown cells' equations, with (variable, area, level)
    for i, (c, h) in enumerate(zip(cells, hidden, strict=True)):
        level = index[i + 1]
        public.append((level == np.arange(c.shape[1])[:, None]).astype(np.int64))
        flat = area * c.shape[1] + level
        mask = flat == np.arange(c.size)[:, None]  # [A * L, unknowns]
        masks.append(mask.reshape(*c.shape, -1))
        for a, j in np.argwhere(~h):
            if c[a, j]:
                rows.append(masks[i][a, j])
                keys.append((i, int(a), int(j)))
            else:  # a shown 0: each finest count in it is 0
                for v in np.flatnonzero(masks[i][a, j]):
                    rows.append(np.arange(size.size) == v)
                    keys.append((i, int(a), int(j)))
    queries = [masks[i][a, j] for i, (c, h) in enumerate(zip(cells, hidden, strict=True))
               for a, j in np.argwhere(h & (c > 0) & (c < min_n))]
    sizes = [int(size[q].sum()) for q in queries]
    queries += [queries[x] | queries[y] for x in range(len(sizes)) for y in range(x)
                if sizes[x] + sizes[y] < min_n and not (queries[x] & queries[y]).any()]
    queries += list(np.eye(size.size, dtype=bool)[(size > 0) & (size < min_n)])
    if not queries or not rows:
        return None
    public = np.vstack(public)
    published = np.vstack([public, np.array(rows, dtype=np.int64)])
    queries = np.array(queries, dtype=np.int64)
    bad = _exact.in_row_space(published, queries) & ~_exact.in_row_space(public, queries)
    if not bad.any():
        return None
    need, used = _needed(published, queries[np.flatnonzero(bad)[0]])
    shown = len(public) + np.arange(len(rows))
    cand = sorted((int(cells[k[0]][k[1], k[2]]), not need[s], k)
                  for s, k in zip(shown, keys, strict=True) if used[s])
    if not cand:  # pragma: no cover - the combination uses a shown cell (it is not public)
        cand = sorted((int(cells[k[0]][k[1], k[2]]), True, k) for k in keys)
    return cand[0][2]
