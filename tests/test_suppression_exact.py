"""The exact joint check of ``linked_grids`` (``_exact`` and ``_suppression._linked_break``)
against a plain reference in :class:`fractions.Fraction` arithmetic: Gaussian elimination, a
query determined iff adding it does not raise the rank, the entry to hide found by removing
each shown entry in turn (as the floating-point check did, but exactly)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from soslokal_lib import _exact
from soslokal_lib import _suppression as S


def _rref(rows: list[list[Fraction]]) -> tuple[list[list[Fraction]], list[int]]:
    rows = [list(r) for r in rows]
    pivots: list[int] = []
    for col in range(len(rows[0]) if rows else 0):
        r = len(pivots)
        k = next((i for i in range(r, len(rows)) if rows[i][col]), None)
        if k is None:
            continue
        rows[r], rows[k] = rows[k], rows[r]
        rows[r] = [v / rows[r][col] for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col]:
                rows[i] = [v - rows[i][col] * w for v, w in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
    return rows, pivots


def _frac(a) -> list[list[Fraction]]:
    return [[Fraction(int(v)) for v in row] for row in np.asarray(a)]


def rank(a) -> int:
    return len(_rref(_frac(a))[1])


def determined(published, queries) -> np.ndarray:
    """Reference: is each query a rational combination of the published rows?"""
    r = rank(published)
    return np.array([rank(np.vstack([published, q])) == r for q in queries], dtype=bool)


def min_norm_support(published: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Rows with a nonzero coefficient in the minimum-norm combination c (c @ published = q,
    c orthogonal to every relation among the rows), in fractions."""
    m = len(published)
    red, piv = _rref(_frac(published.T))  # relations: the null space of published.T
    free = [j for j in range(m) if j not in piv]
    null = []
    for f in free:
        z = [Fraction(0)] * m
        z[f] = Fraction(1)
        for i, c in enumerate(piv):
            z[c] = -red[i][f]
        null.append(z)
    # c @ [published | null.T] = [q | 0]: solve the transposed system
    system = [list(map(Fraction, map(int, published[:, j]))) + [Fraction(int(q[j]))]
              for j in range(published.shape[1])]
    system += [z + [Fraction(0)] for z in null]
    red, piv = _rref(system)
    assert len(red[0]) - 1 not in piv and len(piv) == m  # solvable, unique
    c = [Fraction(0)] * m
    for i, col in enumerate(piv):
        c[col] = red[i][-1]
    return np.array([v != 0 for v in c], dtype=bool)


def reference_break(fine, rows, total, one, one_cols, two, two_cols, min_n, pair=None):
    """``_linked_break`` written out plainly with fractions."""
    n_a, n_l, n_g = fine.shape
    cells = [(i, j, k) for i in range(n_a) for j in range(n_l) for k in range(n_g)
             if fine[i, j, k] > 0]
    if not cells:
        return None
    entries = [(None, total, lambda c: True)]
    entries += [(None, rows[i], lambda c, i=i: c[0] == i) for i in range(n_a)]
    for i in range(n_a):
        entries += [((0, i, j), one[i, j], lambda c, i=i, j=j: c[:2] == (i, j))
                    for j in range(n_l)]
        entries += [((1, i, k), two[i, k], lambda c, i=i, k=k: (c[0], c[2]) == (i, k))
                    for k in range(n_g)]
    entries += [((2, 0, j), one_cols[j], lambda c, j=j: c[1] == j) for j in range(n_l)]
    entries += [((3, 0, k), two_cols[k], lambda c, k=k: c[2] == k) for k in range(n_g)]
    if pair is not None:
        entries += [((4, j, k), pair[j, k], lambda c, j=j, k=k: c[1:] == (j, k))
                    for j in range(n_l) for k in range(n_g)]
    eqs = []
    for key, code, covers in entries:
        vec = np.array([covers(c) for c in cells], dtype=np.int64)
        people = sum(int(fine[c]) for c, v in zip(cells, vec, strict=True) if v)
        if vec.any():
            eqs.append((key, code > 0, people, vec))
    if not any(h for _, h, _, _ in eqs) and not any(fine[c] < min_n for c in cells):
        return None
    shown = [e for e in eqs if not e[1]]
    queries = [e[3] for e in eqs if e[1]]
    small = [e for e in eqs if e[1] and e[2] < min_n and e[0] is not None and e[0][0] in (0, 1, 4)]
    queries += [x[3] + y[3] for p, x in enumerate(small) for y in small[p + 1:]
                if x[2] + y[2] < min_n and not (x[3] & y[3]).any()]
    queries += [np.eye(len(cells), dtype=np.int64)[i] for i, c in enumerate(cells)
                if fine[c] < min_n]
    if not shown:
        return None
    published = np.array([e[3] for e in shown])
    bad = [q for q in queries if determined(published, [q])[0]]
    if not bad:
        return None
    q = bad[0]
    support = min_norm_support(published, q)
    cand = sorted((e[2] + (int(S.BIG) if e[0][0] >= 2 else 0), e[0])
                  for e, used in zip(shown, support, strict=True)
                  if e[0] is not None and e[0][0] < 4 and used)
    for _, k in cand:
        rest = np.array([e[3] for e in shown if e[0] != k])
        if not len(rest) or not determined(rest, [q])[0]:
            return k
    return cand[0][1] if cand else None


def test_row_space_matches_fractions_on_random_systems():
    """500 random small 0/1 systems (and 100 with entries -2..2): the same determined queries
    as the fraction reference, with queries built to be in the row space about half the time."""
    rng = np.random.default_rng(7)
    inside = 0
    for case in range(600):
        m, n = rng.integers(1, 9), rng.integers(1, 11)
        if case < 500:
            a = (rng.random((m, n)) < rng.uniform(0.2, 0.7)).astype(np.int64)
        else:
            a = rng.integers(-2, 3, (m, n))
        q = (rng.random((6, n)) < 0.4).astype(np.int64)
        q[:3] = rng.integers(-1, 2, (3, m)) @ a  # combinations of the rows
        got = _exact.in_row_space(a, q)
        want = determined(a, q)
        assert np.array_equal(got, want), (a, q)
        inside += int(want.sum())
    assert inside > 1500


def test_null_space_is_exact_when_a_prime_divides_a_minor():
    """Both primes divide a pivot: modulo each, the rank is too low; the integer check notices
    and the null space is found with fractions (a float check would not even see the sizes)."""
    p1, p2 = _exact.PRIMES
    a = np.array([[p1, 0], [0, p2]], dtype=np.int64)
    assert _exact.null_basis(a).shape == (2, 0)
    assert _exact.in_row_space(a, np.eye(2, dtype=np.int64)).all()
    one = np.array([[p1, 1]], dtype=np.int64)  # rank 1 modulo p1 too, but another null vector
    x = _exact.null_basis(one)
    assert x.shape == (2, 1) and not (one @ x).any()
    chain = np.array([[1, 1, 0], [0, 1, 1]])  # lifts: no fractions needed
    x = _exact.null_basis(chain)
    assert x.dtype == np.int64 and x.tolist() == [[1], [-1], [1]]
    half = np.array([[2, 1, 0], [0, 1, 2]])  # null vector (1, -2, 1); fractions in the rref
    got = _exact.in_row_space(half, [[1, 1, 1], [1, 0, 0], [2, 2, 2]])
    assert got.tolist() == [True, False, True]
    big = [[2**40, 2**40], [2**40, 2**40 + 1]]  # products past int64 go by Python ints
    assert _exact.in_row_space([[1, 1]], big).tolist() == [True, False]


def test_float_tolerance_would_call_a_near_miss_determined():
    """A query at distance ~5e-9 from the row space: the old floating-point rule (residual below
    1e-7) called it determined; the exact check does not."""
    a = np.array([[10**8, 10**8 + 1]], dtype=np.int64)
    q = np.array([[1, 1]], dtype=np.int64)
    basis = np.linalg.pinv(a.astype(float)) @ a.astype(float)
    assert np.abs(q - q @ basis).max() < 1e-7
    assert not _exact.in_row_space(a, q)[0] and not determined(a, q)[0]


def _random_theme(rng, shape, min_n):
    fine = rng.poisson(rng.uniform(0.5, 10), shape) * (rng.random(shape) > 0.2)
    a_n, l_n, g_n = shape
    hide = rng.uniform(0.0, 0.5)

    def codes(size):
        return np.where(rng.random(size) < hide, 2, 0)

    pair = codes((l_n, g_n)) if rng.random() < 0.5 else None
    return (fine, codes(a_n), int(rng.random() < 0.1), codes((a_n, l_n)), codes(l_n),
            codes((a_n, g_n)), codes(g_n), min_n, pair)


def test_linked_break_matches_fractions_on_random_themes():
    """400 random themes (area × age × gender up to 3 × 3 × 3, random hidden entries, with and
    without a pair table): the same entry to hide (or None) as the fraction reference."""
    rng = np.random.default_rng(11)
    found = 0
    for _ in range(400):
        shape = tuple(int(v) for v in rng.integers(1, 4, 3))
        args = _random_theme(rng, shape, int(rng.choice([3, 5])))
        got = S._linked_break(*args)
        assert got == reference_break(*args), args
        found += got is not None
    assert 150 < found < 380  # both outcomes are exercised


def test_linked_grids_leave_nothing_the_reference_finds():
    """``linked_grids`` on 60 random themes: afterwards the fraction reference finds nothing."""
    rng = np.random.default_rng(5)
    fine = rng.poisson(2.0, (60, 3, 3, 2)) * (rng.random((60, 3, 3, 2)) > 0.25)
    rows, total = S.line_codes(fine.sum(axis=(2, 3)), 5, spread=True)
    one, one_cols, two, two_cols = S.linked_grids(fine, rows, total, 5)
    for t in range(len(fine)):
        assert reference_break(fine[t], rows[t], total[t], one[t], one_cols[t], two[t],
                               two_cols[t], 5) is None


def _theme(fine, rows, total, one, one_cols, two, two_cols, min_n, pair):
    arr = [np.array(v) if isinstance(v, list) else v for v in (fine, rows)]
    rest = [np.array(v) for v in (one, one_cols, two, two_cols)]
    return (*arr, total, *rest, min_n, None if pair is None else np.array(pair))


def test_unions_of_two_small_hidden_cells_are_checked_in_each_table():
    """Themes (found by search) where only a union of two hidden cells below min_n, and no
    single entry, is determined: in the age table (``(1, 0, 1)``: area 0's 1 + 1 people aged
    1 and 2, given the area's row), in the gender table, across areas and in the age × gender
    table; the entry to hide is the reference's, and without union queries (or without the
    pair table's) it would be None or another one."""
    cases = [
        (([[[0], [1]], [[2], [0]]], [2, 2], 0, [[2, 2], [2, 2]], [2, 2], [[2], [2]], [0], 5,
          None), (3, 0, 0)),
        (([[[0, 0], [0, 1], [0, 1]]], [0], 0, [[0, 2, 2]], [2, 2, 2], [[2, 0]], [0, 0], 5,
          None), (1, 0, 1)),
        (([[[0, 2], [2, 1], [1, 0]], [[0, 2], [0, 0], [1, 2]]], [2, 2], 1,
          [[0, 2, 2], [2, 2, 2]], [2, 2, 0], [[0, 2], [2, 2]], [2, 2], 5, None), (2, 0, 2)),
        (([[[1, 1]]], [0], 0, [[0]], [0], [[2, 2]], [2, 2], 5, None), (0, 0, 0)),
        (([[[1, 1, 0]]], [0], 0, [[0]], [0], [[2, 2, 0]], [2, 2, 0], 5, None), (0, 0, 0)),
        # two small hidden cells of the age × gender (pair) table
        (([[[2, 1, 4], [0, 2, 1], [0, 0, 0]], [[1, 2, 0], [0, 0, 1], [2, 1, 0]]], [2, 2], 0,
          [[0, 2, 0], [2, 2, 0]], [2, 2, 0], [[2, 2, 2], [2, 2, 2]], [2, 2, 2], 5,
          [[2, 2, 2], [0, 2, 2], [2, 2, 2]]), (0, 1, 2)),
        (([[[1, 0, 0], [1, 1, 2], [1, 0, 0]], [[1, 0, 0], [1, 0, 1], [0, 0, 1]],
           [[0, 2, 0], [0, 0, 2], [0, 2, 1]]], [2, 2, 2], 0,
          [[2, 2, 2], [2, 2, 2], [2, 2, 0]], [0, 2, 2], [[2, 2, 2], [2, 2, 2], [2, 2, 2]],
          [2, 2, 2], 5, [[2, 2, 2], [2, 2, 2], [2, 0, 2]]), (2, 0, 0)),
        (([[[1, 2], [0, 1], [0, 2]], [[1, 0], [0, 3], [1, 4]]], [2, 2], 0,
          [[0, 0, 2], [2, 2, 2]], [2, 2, 2], [[2, 2], [2, 2]], [2, 2], 5,
          [[2, 2], [0, 2], [2, 2]]), (0, 0, 0)),
    ]
    for args, want in cases:
        args = _theme(*args)
        assert reference_break(*args) == want
        assert S._linked_break(*args) == want, (args, want)


def test_linked_grids_hide_a_second_group_figure_and_give_up_on_a_cycle_less_entry():
    """Themes (found by search; min_n 3) where the joint check hides a gender figure of the
    second table, or an entry on no cycle, so that a table hides every cell (the first table
    in the first case, the second in the other): pinned; the reference finds nothing left,
    and the caller's ``hidden_columns`` is not changed."""
    cases = [
        ([[[1, 0, 3], [5, 0, 1]], [[0, 0, 0], [0, 2, 1]], [[3, 0, 1], [0, 3, 1]],
          [[2, 1, 1], [2, 1, 0]]], [True, True], [False, True, True]),
        ([[[2, 2], [2, 2]], [[3, 0], [0, 4]], [[0, 3], [0, 0]], [[4, 2], [0, 3]]],
         [True, True], [True, True]),
    ]
    for cells, want_one_cols, want_two_cols in cases:
        fine = np.array([cells])
        rows, total = S.line_codes(fine.sum(axis=(2, 3)), 3, spread=True)
        start = np.zeros((1, fine.shape[3]), dtype=bool)
        one, one_cols, two, two_cols = S.linked_grids(fine, rows, total, 3,
                                                      hidden_columns=start)
        assert not start.any()
        assert reference_break(fine[0], rows[0], total[0], one[0], one_cols[0], two[0],
                               two_cols[0], 3) is None
        assert (one[0] > 0).all() and (two[0] > 0).all()  # every cell: a table gave up
        assert (one_cols[0] > 0).tolist() == want_one_cols
        assert (two_cols[0] > 0).tolist() == want_two_cols


def test_linked_grids_with_a_pair_table_leave_nothing_the_reference_finds():
    """``pair``: the shown cells of a published age × gender table are equations too, and its
    small hidden cells are checked: on 40 random themes, nothing is left for the reference
    with the same pair table, and the pair table changes the result somewhere."""
    rng = np.random.default_rng(8)
    fine = rng.poisson(1.5, (40, 3, 2, 2)) * (rng.random((40, 3, 2, 2)) > 0.2)
    pair = np.where((fine.sum(axis=1) > 0) & (fine.sum(axis=1) < 5), 1, 0)
    rows, total = S.line_codes(fine.sum(axis=(2, 3)), 5, spread=True)
    got = S.linked_grids(fine, rows, total, 5, pair=pair)
    alone = S.linked_grids(fine, rows, total, 5)
    for t in range(len(fine)):
        assert reference_break(fine[t], rows[t], total[t], got[0][t], got[1][t], got[2][t],
                               got[3][t], 5, pair[t]) is None
    assert any(not np.array_equal(g, a) for g, a in zip(got, alone, strict=True))


def test_solve_gives_a_combination_and_the_left_null_space_modulo_p():
    """``solve``: for each row of b in the row space, x @ a = b (mod p); the null rows are
    left null vectors (null @ a = 0 mod p) and there are m − rank of them; checked in Python
    integers on random matrices with entries up to 10**6."""
    rng = np.random.default_rng(3)
    p = _exact.PRIMES[0]
    for _ in range(60):
        m, n = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        a = rng.integers(-10**6, 10**6, (m, n)) * (rng.random((m, n)) < 0.6)
        b = np.vstack([rng.integers(-3, 4, (2, m)) @ a, rng.integers(-5, 6, (2, n))])
        ok, x, null = _exact.solve(a, b, p)
        ao, bo = a.astype(object), b.astype(object)
        assert ok[:2].all()
        for i in np.flatnonzero(ok):
            assert all(v % p == 0 for v in x[i].astype(object) @ ao - bo[i])
        assert all(v % p == 0 for v in (null.astype(object) @ ao).ravel())
        assert len(null) == m - rank(a)


def test_null_space_by_fractions_is_exact_past_float_precision():
    """Entries too large for the prime route go by fractions, and the null vector's entries
    (5**23, 3**35, beyond 2**53) come back as exact integers."""
    a = np.array([[3**35, -(5**23)]], dtype=np.int64)
    x = _exact.null_basis(a)
    assert [[int(v) for v in row] for row in x] in ([[5**23], [3**35]], [[-(5**23)], [-(3**35)]])
    assert int(a.astype(object)[0] @ x.astype(object)[:, 0]) == 0


def test_large_queries_go_by_python_integers():
    """A query of 2**40 against a null vector entry of 2**25: the product 2**65 wraps to 0 in
    int64 (which would call the query determined); it goes by Python integers instead."""
    a = np.array([[1, 2**25]], dtype=np.int64)
    assert _exact.null_basis(a).dtype == np.int64  # the prime route, no fractions
    got = _exact.in_row_space(a, np.array([[2**40, 0], [2**10, 2**35]], dtype=np.int64))
    assert got.tolist() == [False, True]
    # odd multiples past 2**53 are not even floats: the check stays in integers throughout
    k = 2**52 + 1
    assert _exact.in_row_space([[3, 7]], [[3 * k, 7 * k], [3 * k, 7 * k + 1]]).tolist() == [
        True, False]
