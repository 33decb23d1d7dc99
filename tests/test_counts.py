"""soslokal_lib._counts: area × level count tables protected against public area and level counts
(the Bylab's «Hvem svarte»), attacked exactly on the finest counts."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest

from soslokal_lib._counts import count_codes


def _rank(rows: list[np.ndarray]) -> int:
    """Rank over the rationals (Gaussian elimination with fractions; independent of _exact)."""
    m = [[Fraction(int(x)) for x in r] for r in rows]
    rank, cols = 0, len(m[0]) if m else 0
    for c in range(cols):
        pivot = next((i for i in range(rank, len(m)) if m[i][c] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][c] != 0:
                f = m[i][c] / m[rank][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank], strict=True)]
        rank += 1
    return rank


def _attack(fine: np.ndarray, hidden: list[np.ndarray], min_n: int, shown_areas=None) -> list:
    """What an attacker who knows every area's count, every level's count and the total, and
    sees the shown cells (a shown 0: each finest count in it is 0), works out beyond the public
    counts alone: hidden cells below min_n, two of them together below min_n, finest counts
    below min_n. ``shown_areas``: areas whose cells are published (default: all)."""
    combos = list(np.ndindex(*fine.shape))
    size = np.array([fine[c] for c in combos])
    public = [np.ones(len(combos), dtype=int)]
    public += [np.array([c[0] == a for c in combos], dtype=int) for a in range(fine.shape[0])]
    cell = {}
    for i in range(1, fine.ndim):
        public += [np.array([c[i] == j for c in combos], dtype=int) for j in range(fine.shape[i])]
        for a in range(fine.shape[0]):
            for j in range(fine.shape[i]):
                cell[(i - 1, a, j)] = np.array([c[0] == a and c[i] == j for c in combos])
    shown = []
    for (i, a, j), mask in cell.items():
        if hidden[i][a, j] or (shown_areas is not None and not shown_areas[a]):
            continue
        if size[mask].sum():
            shown.append(mask.astype(int))
        else:
            shown += [np.eye(len(combos), dtype=int)[v] for v in np.flatnonzero(mask)]
    small = [k for k, mask in cell.items() if hidden[k[0]][k[1:]] and 0 < size[mask].sum() < min_n]
    queries = [cell[k] for k in small]
    queries += [cell[x] | cell[y] for x, y in combinations(small, 2)
                if not (cell[x] & cell[y]).any() and size[cell[x] | cell[y]].sum() < min_n]
    queries += [np.eye(len(combos), dtype=bool)[v] for v in np.flatnonzero((size > 0) & (size < min_n))]
    base, full = _rank(public), _rank(public + shown)
    found = []
    for q in queries:
        q = q.astype(int)
        if _rank(public + shown + [q]) == full and _rank(public + [q]) > base:
            found.append((sorted({combos[v][0] for v in np.flatnonzero(q)}), int(size[q > 0].sum())))
    return found


def _line_sums(fine, hidden, min_n):
    """The hidden people of every line (area × variable, level), with the lines that must hold
    0 or at least min_n (not the small areas', not a level with nothing shown left)."""
    out = []
    people = fine.reshape(len(fine), -1).sum(axis=1)
    for i, h in enumerate(hidden):
        c = fine.sum(axis=tuple(j for j in range(1, fine.ndim) if j != i + 1))
        left = np.where(h, c, 0)
        for a in np.flatnonzero(people >= min_n):
            out.append(int(left[a].sum()))
        for j in range(c.shape[1]):
            if (~h[:, j] & (c[:, j] > 0)).any() or left[:, j].sum() >= min_n:
                out.append(int(left[:, j].sum()))
    return out


def test_a_small_count_is_hidden_with_a_complement_in_its_area_and_its_level():
    """Three areas by gender (k, m): area 0 has 2 women. Hidden: its 2 women and, so that its
    header (10) minus the shown men does not give them back, its 8 men; and so that the
    kommune's women (2 + 6 + 7) minus the shown women does not either, the cheapest other
    women (6). Then area 1's women need a complement in area 1: its 5 men."""
    fine = np.array([[2, 8], [6, 5], [7, 9]])
    (hidden,) = count_codes(fine, 5)
    assert hidden.tolist() == [[True, True], [True, True], [False, False]]
    assert _attack(fine, [hidden], 5) == []


def test_a_level_held_by_one_area_hides_zeros_elsewhere():
    """Only area 1 has people without a gender (3). The kommune's count of them (3) is public,
    so area 1's 3 follow from the other areas' shown 0s: one of those 0s is hidden (listed as
    «ikke vist»), the cheapest way, rather than every cell of the level's column."""
    fine = np.array([[4, 6, 0], [7, 6, 3], [5, 8, 0]])
    (hidden,) = count_codes(fine, 5)
    assert hidden[1, 2] and int(hidden[[0, 2], 2].sum()) == 1  # area 1's 3 and one 0
    assert hidden[1].sum() == 2  # area 1: its 3 and one complement (6: the cheapest)
    assert _attack(fine, [hidden], 5) == []
    # without the hidden 0 the attacker has area 1's 3
    only = hidden.copy()
    only[[0, 2], 2] = False
    assert ([1], 3) in _attack(fine, [only], 5)


def test_small_and_unshown_areas_hide_every_cell_including_zeros():
    fine = np.array([[6, 7], [2, 0], [8, 9], [5, 5]])
    (hidden,) = count_codes(fine, 5, unshown=np.array([False, False, False, True]))
    assert hidden[1].all() and hidden[3].all()
    assert not hidden[0].any() and not hidden[2].any()
    assert _attack(fine, [hidden], 5) == []
    # an unshown area of any size (given as bool or 0/1) hides its cells, and only its own
    fine = np.array([[6, 7], [8, 9], [5, 5]])
    for unshown in (np.array([False, False, True]), np.array([0, 0, 1])):
        (hidden,) = count_codes(fine, 5, unshown=unshown)
        assert hidden.dtype == bool
        assert hidden.tolist() == [[False, False], [False, False], [True, True]]


def test_min_n_people_are_shown():
    """A cell of exactly min_n people is shown, and so is an area of exactly min_n people
    (with a 0): nothing is hidden here."""
    fine = np.array([[5, 0], [5, 7], [8, 9]])
    (hidden,) = count_codes(fine, 5)
    assert not hidden.any()


def test_two_variables_are_protected_together():
    """Age and gender tables of the same areas share the finest counts: the finest count of
    area 0 (1 woman aged 60+) follows from the two tables together unless more is hidden."""
    fine = np.array([[[5, 5], [0, 6], [1, 0]],
                     [[5, 6], [6, 5], [0, 7]],
                     [[7, 5], [5, 6], [6, 5]]])
    age, gender = count_codes(fine, 5)
    assert _attack(fine, [age, gender], 5) == []
    assert age[0, 2]  # area 0's 1 person aged 60+ is hidden, and not alone
    assert int(age[0].sum()) >= 2 and int(age[:, 2].sum()) >= 2


@pytest.mark.parametrize("seed", range(4))
def test_random_count_tables_give_nothing_small_away(seed):
    """60 random tables per seed (2–5 areas of 0–30 people, one or two variables of 2–3
    levels, min_n 3 or 5): the exact attacker finds nothing, every line rule holds, and no
    shown cell is below min_n."""
    rng = np.random.default_rng(seed)
    attacked = hidden_total = 0
    for _ in range(60):
        min_n = int(rng.choice([3, 5]))
        shape = (int(rng.integers(2, 6)),) + tuple(int(rng.integers(2, 4))
                                                  for _ in range(int(rng.integers(1, 3))))
        fine = rng.poisson(rng.uniform(0.3, 4.0), shape)
        hidden = count_codes(fine, min_n)
        assert len(hidden) == fine.ndim - 1
        for i, h in enumerate(hidden):
            c = fine.sum(axis=tuple(j for j in range(1, fine.ndim) if j != i + 1))
            assert not (~h & (c > 0) & (c < min_n)).any()
        assert all(s == 0 or s >= min_n for s in _line_sums(fine, hidden, min_n))
        assert _attack(fine, hidden, min_n) == [], fine
        attacked += 1
        hidden_total += sum(int(h.sum()) for h in hidden)
    assert attacked == 60 and hidden_total > 60


@pytest.mark.parametrize(("fine", "min_n", "unshown", "want"), [
    # a hidden cell of exactly min_n may be determined: it is not small
    ([[4, 6], [4, 3], [4, 3], [1, 2]], 3, None, [[[1, 0], [1, 1], [0, 1], [1, 1]]]),
    # two hidden cells of exactly min_n together are not small either
    ([[1, 0, 2], [1, 1, 0], [1, 0, 1], [1, 0, 2]], 3, [False, True, False, False],
     [[[1, 0, 1], [1, 1, 1], [1, 1, 1], [1, 0, 1]]]),
    # the complement is the cheapest shown cell the determining combination uses (two tables)
    ([[[2, 1, 2], [2, 1, 1], [2, 1, 2]], [[0, 0, 2], [1, 0, 0], [1, 1, 2]],
      [[0, 1, 3], [1, 2, 1], [1, 1, 0]], [[1, 0, 3], [2, 1, 0], [1, 3, 2]]], 3, None,
     [[[0, 0, 0], [1, 1, 1], [1, 1, 1], [0, 1, 0]], [[0, 1, 0], [1, 1, 0], [1, 1, 0], [0, 0, 0]]]),
    # among cells of equal cost, one that breaks the combination alone comes first
    ([[[1, 3, 5], [3, 2, 4], [5, 1, 1]], [[3, 3, 5], [2, 2, 0], [2, 2, 3]],
      [[3, 2, 4], [3, 3, 2], [0, 1, 0]]], 3, None,
     [[[0, 0, 1], [0, 1, 1], [0, 1, 1]], [[0, 1, 0], [0, 0, 0], [1, 1, 1]]]),
])
def test_cases_that_pin_the_choices(fine, min_n, unshown, want):
    """Tables found by searching 3 000 random ones for a difference made by a change to the
    rules (mutation testing): the hidden cells are pinned, and the attacker finds nothing."""
    fine = np.array(fine)
    hidden = count_codes(fine, min_n, None if unshown is None else np.array(unshown))
    assert [h.astype(int).tolist() for h in hidden] == want
    shown = None if unshown is None else ~np.array(unshown)
    assert _attack(fine, hidden, min_n, shown) == []
