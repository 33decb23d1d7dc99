"""The suppression solver's parts (``soslokal_lib._suppression``) against brute force and hand
calculations, written for mutants that survived the whole-table tests (``make mutate``).

Rule 5 of the solver looks for a *determined small union*: a set S of line groups that no small
hidden cell enters from outside, whose leaving cells hold between 1 and ``min_n - 1`` people.
Here every such S is enumerated by brute force on small random digraphs and compared with the
solver's enumeration (``_small_union``) and its maximum-flow variant (``_flow_union``).
"""

from __future__ import annotations

import numpy as np

from soslokal_lib import _suppression as S

MIN_N = 5


def brute_union(tail, head, w, min_n=MIN_N):
    """Some closed set S (no arc from outside into S) whose leaving arcs weigh 1..min_n-1."""
    nodes = sorted(set(tail) | set(head))
    for mask in range(1, 2 ** len(nodes)):
        s = {v for i, v in enumerate(nodes) if mask >> i & 1}
        if any(h in s and t not in s for t, h in zip(tail, head, strict=True)):
            continue
        cut = sum(x for t, h, x in zip(tail, head, w, strict=True) if t in s and h not in s)
        if 0 < cut < min_n:
            return s, cut
    return None


def random_case(rng):
    """Small hidden cells of a random table whose lines are merged into random groups."""
    r, c = rng.integers(2, 6), rng.integers(2, 6)
    labels = rng.integers(0, r + c, size=r + c)
    row_lab, col_lab = labels[:r], labels[r:]
    small = rng.random((r, c)) < 0.4
    n = np.where(small, rng.integers(1, MIN_N, (r, c)), rng.integers(MIN_N, 9, (r, c)))
    rr, cc = np.nonzero(small)
    tail, head = row_lab[rr], col_lab[cc]
    keep = tail != head
    return n, small, row_lab, col_lab, tail[keep], head[keep], n[rr[keep], cc[keep]]


def check_found(found, tail, head, w, row_lab, col_lab):
    """The returned S is closed, and the people in its leaving arcs are the size returned."""
    in_rows, in_cols, size = found
    chosen = set(row_lab[in_rows].tolist()) | set(col_lab[in_cols].tolist())
    assert np.array_equal(in_rows, np.isin(row_lab, list(chosen)))
    assert np.array_equal(in_cols, np.isin(col_lab, list(chosen)))
    assert not any(h in chosen and t not in chosen for t, h in zip(tail, head, strict=True))
    leaving = sum(x for t, h, x in zip(tail, head, w, strict=True)
                  if t in chosen and h not in chosen)
    assert size == leaving and 0 < size < MIN_N


def test_small_union_agrees_with_brute_force():
    """The enumeration finds a determined small union exactly when one exists, and a true one."""
    rng = np.random.default_rng(19)
    found_some = 0
    for _ in range(600):
        n, small, row_lab, col_lab, tail, head, w = random_case(rng)
        expected = brute_union(tail.tolist(), head.tolist(), w.tolist())
        found = S._small_union(n, small, row_lab, col_lab, MIN_N)
        assert (found is None) == (expected is None), (tail, head, w)
        if found is not None:
            found_some += 1
            check_found(found, tail, head, w, row_lab, col_lab)
    assert 300 < found_some < 600  # both outcomes are exercised


def test_flow_union_agrees_with_brute_force_on_connected_graphs():
    """Maximum flows find a small union whenever one exists (graphs connected as undirected)."""
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(600):
        n, small, row_lab, col_lab, tail, head, w = random_case(rng)
        nodes = set(tail.tolist()) | set(head.tolist())
        if not len(tail) or len(_undirected_components(tail, head)) > 1:
            continue
        checked += 1
        expected = brute_union(tail.tolist(), head.tolist(), w.tolist())
        found = S._flow_union(tail, head, w, row_lab, col_lab, MIN_N)
        assert (found is None) == (expected is None), (tail, head, w, nodes)
        if found is not None:
            check_found(found, tail, head, w, row_lab, col_lab)
    assert checked > 200


def test_flow_union_finds_a_small_union_apart_from_node_zero():
    """Arcs 1→2 (5 people) and, apart from them, 4→6 and 7→6 (1 each): S = {4} leaves 1."""
    tail, head, w = np.array([7, 1, 1, 4]), np.array([6, 2, 2, 6]), np.array([1, 3, 2, 1])
    assert brute_union(tail.tolist(), head.tolist(), w.tolist()) is not None
    labels = np.arange(8)
    assert S._flow_union(tail, head, w, labels, labels, MIN_N) is not None


def _undirected_components(tail, head):
    parent = {v: v for v in set(tail.tolist()) | set(head.tolist())}

    def find(v):
        while parent[v] != v:
            v = parent[v]
        return v

    for t, h in zip(tail.tolist(), head.tolist(), strict=True):
        parent[find(t)] = find(h)
    return {find(v) for v in parent}
