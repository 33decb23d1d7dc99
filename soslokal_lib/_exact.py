"""Exact linear algebra over small integer matrices for the joint disclosure check
(:func:`soslokal_lib._suppression._linked_break`); no floating point, so every machine gives
the same answer.

Matrices are reduced modulo primes below ``2**31`` with numpy int64 (every product of two
residues fits). Whether a vector is a combination of the rows of a matrix is then decided
exactly: the null space found modulo a prime is lifted to integers and checked with exact
integer products, which proves the rank over the rationals; when it does not lift (another
prime is tried first) the null space is found with :class:`fractions.Fraction`.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

import numpy as np

PRIMES = (2_147_483_647, 2_147_483_629)  #: primes below 2**31


def rref(a: np.ndarray, p: int, width: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Reduced row echelon form of the integer matrix ``a`` modulo the prime ``p``, with pivots
    in the first ``width`` columns only: ``(rows, pivot columns)``; the rows after the pivot
    rows are zero in those columns."""
    a = np.mod(np.asarray(a, dtype=np.int64), p)
    width = a.shape[1] if width is None else width
    pivots: list[int] = []
    for col in range(width):
        r = len(pivots)
        if r == len(a):
            break
        nz = np.flatnonzero(a[r:, col])
        if not len(nz):
            continue
        if nz[0]:
            a[[r, r + nz[0]]] = a[[r + nz[0], r]]
        a[r] = a[r] * pow(int(a[r, col]), p - 2, p) % p
        rows = np.flatnonzero(a[:, col])
        rows = rows[rows != r]
        a[rows] = (a[rows] - a[rows, col, None] * a[r]) % p
        pivots.append(col)
    return a, np.array(pivots, dtype=np.intp)


def null_basis(a: np.ndarray) -> np.ndarray:
    """A basis (columns) of the rational null space of the integer matrix ``a``, as integers
    (int64, or Python ints when it had to be found with fractions)."""
    a = np.asarray(a, dtype=np.int64)
    n = a.shape[1]
    small = not len(a) or int(np.abs(a).sum(axis=1).max()) < 2**31  # a @ x below 2**62
    for p in PRIMES if small else ():
        red, piv = rref(a, p)
        free = np.setdiff1d(np.arange(n), piv)
        x = np.zeros((n, len(free)), dtype=np.int64)
        x[free, np.arange(len(free))] = 1
        x[piv] = np.mod(-red[:len(piv)][:, free], p)
        x[x > p // 2] -= p  # the representative of least absolute value
        if not (a @ x).any():  # x is in the null space, has full column rank n - rank_p(a)
            return x  # and rank_p(a) <= rank(a): so x spans the rational null space
    return _null_fractions(a)


def _null_fractions(a: np.ndarray) -> np.ndarray:
    """:func:`null_basis` with fractions (slow; for matrices whose null space does not lift)."""
    rows = [[Fraction(int(v)) for v in row] for row in a]
    n = a.shape[1]
    pivots: list[int] = []
    for col in range(n):
        r = len(pivots)
        k = next((i for i in range(r, len(rows)) if rows[i][col]), None)
        if k is None:
            continue
        rows[r], rows[k] = rows[k], rows[r]
        rows[r] = [v / rows[r][col] for v in rows[r]]
        for i, row in enumerate(rows):
            if i != r and row[col]:
                rows[i] = [v - row[col] * w for v, w in zip(row, rows[r], strict=True)]
        pivots.append(col)
    free = [c for c in range(n) if c not in pivots]
    x = np.zeros((n, len(free)), dtype=object)
    for j, f in enumerate(free):
        col = [Fraction(0)] * n
        col[f] = Fraction(1)
        for i, c in enumerate(pivots):
            col[c] = -rows[i][f]
        scale = lcm(*(v.denominator for v in col))
        x[:, j] = [int(v * scale) for v in col]
    return x


def in_row_space(a: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """For each row of ``queries`` (small integers): is it a rational combination of the rows of
    ``a``? Exact: it is iff it is orthogonal to the null space of ``a``."""
    x = null_basis(a)
    q = np.asarray(queries, dtype=np.int64)
    if x.dtype == object or (q.size and int(np.abs(q).sum(axis=1).max()) >= 2**32):
        q, x = q.astype(object), x.astype(object)  # Python ints: no overflow
    return ~((q @ x) != 0).any(axis=1)


def solve(a: np.ndarray, b: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Modulo the prime ``p``: for each row of ``b``, whether it is a combination ``x @ a`` of
    the rows of ``a``, one such ``x`` (rows), and a basis (rows) of the left null space of
    ``a``."""
    m, n = a.shape
    red, piv = rref(np.hstack([a, np.eye(m, dtype=np.int64)]), p, width=n)
    rest = np.hstack([np.mod(b, p), np.zeros((len(b), m), dtype=np.int64)])
    for i, col in enumerate(piv):
        rest = (rest - rest[:, col, None] * red[i]) % p
    return ~rest[:, :n].any(axis=1), np.mod(-rest[:, n:], p), red[len(piv):, n:]
