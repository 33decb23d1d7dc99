"""The suppression solver's parts (``soslokal_lib._suppression``) against brute force and hand
calculations, written for mutants that survived the whole-table tests (``make mutate``).

Rule 5 of the solver looks for a *determined small union*: a set S of line groups that no small
hidden cell enters from outside, whose leaving cells hold between 1 and ``min_n - 1`` people.
Here every such S is enumerated by brute force on small random digraphs and compared with the
solver's enumeration (``_small_union``) and its maximum-flow variant (``_flow_union``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


# ---------------------------------------------------------------- whole grids, audited exactly


def _random_cells(seed, count, shape, mean):
    rng = np.random.default_rng(seed)
    return rng.poisson(mean, (count, *shape)) * (rng.random((count, *shape)) > 0.25)


def _audit(cells, rows, total, grid, columns, min_n):
    """Leaks found by the exact attacker of tests/test_privacy_attacks.py (hidden cells, hidden
    area and group figures, every union of small hidden cells)."""
    from types import SimpleNamespace

    from test_privacy_attacks import _audit_grids

    codes = SimpleNamespace(rows=rows, total=total, cells=(grid,), columns=(columns,))
    return _audit_grids(cells, codes, min_n)


GRID_CASES = [(3, (4, 2), 2.0), (5, (4, 3), 4.0), (5, (5, 4), 3.0), (5, (3, 5), 5.0),
              (10, (4, 3), 6.0), (5, (6, 3), 1.5)]


def test_linked_grids_reveal_nothing_and_keep_the_primary_rule():
    """``line_codes`` + ``grid_codes`` as ``privacy.linked_codes`` calls them, on 150 random
    tables per case (empty cells included): primary codes exactly where n < min_n, and the exact
    attacker recovers no hidden cell, area or group figure, nor any union below min_n."""
    hidden_total = 0
    for i, (min_n, shape, mean) in enumerate(GRID_CASES):
        cells = _random_cells(100 + i, 150, shape, mean)
        rows, total = S.line_codes(cells.sum(axis=2), min_n, spread=True)
        grid, columns = S.grid_codes(cells, rows, total, min_n, spread=True)
        assert set(np.unique(grid).tolist()) <= {0, 1, 2}
        assert ((grid == 1) == (cells < min_n)).all()
        assert ((rows == 1) == (cells.sum(axis=2) < min_n)).all()
        assert _audit(cells, rows, total, grid, columns, min_n) == 0
        hidden_total += int((grid == 2).sum())
    assert hidden_total > 500  # secondary suppression is exercised


def test_grids_with_fixed_margins_keep_them():
    """An age × gender table whose margins were fixed by the area × age and area × gender
    tables (as ``stats._cells`` does): the primary rule holds, the margins stay as given, and
    no line with a shown margin holds a single hidden cell unless the theme has all its cells
    hidden. (Not audited for leaks: see the expected failure below.)"""
    for i, (min_n, shape, mean) in enumerate(GRID_CASES):
        rng = np.random.default_rng(300 + i)
        fine = rng.poisson(mean / 2, (150, shape[0], shape[1], 2)) * (
            rng.random((150, shape[0], shape[1], 2)) > 0.25)
        rows, total = S.line_codes(fine.sum(axis=(2, 3)), min_n, spread=True)
        _, ages = S.grid_codes(fine.sum(axis=3), rows, total, min_n)
        _, genders = S.grid_codes(fine.sum(axis=2), rows, total, min_n)
        cells = fine.sum(axis=1)  # [T, ages, genders]
        grid, out = S.grid_codes(cells, ages, total, min_n, column_codes=genders)
        assert np.array_equal(out, genders)
        assert ((grid == 1) == (cells < min_n)).all()
        assert set(np.unique(grid).tolist()) <= {0, 1, 2}
        hid = (grid > 0) & (cells > 0)
        all_hidden = ((grid > 0) | (cells == 0)).all(axis=(1, 2))
        lone = (((hid.sum(axis=1) == 1) & (genders == 0))[:, None, :]
                | ((hid.sum(axis=2) == 1) & (ages == 0))[:, :, None])
        assert not (hid & lone & ~all_hidden[:, None, None]).any()
        assert all_hidden.sum() > 10  # the give-up branch is exercised


def test_pair_table_with_fixed_margins_hides_a_small_cell_for_real():
    """Age × gender with min_n 3: A/f 3, B/m 3, B/f 2 (A/m empty). Age and gender figures are
    all shown (each ≥ 3), so the hidden B/f = f (5) − A/f, and A/f = A (3): recoverable."""
    from test_privacy_attacks import Attack

    import soslokal_lib as sl

    people = [("A", "f")] * 3 + [("B", "m")] * 3 + [("B", "f")] * 2
    df = pd.DataFrame({
        "area_id": pd.array(["X"] * 8, dtype="string"),
        "age_group": pd.array([a for a, _ in people], dtype="string"),
        "gender": pd.array([g for _, g in people], dtype="string"),
        "feeling_safe": pd.array([1, 2, 3, 4, 5, 6, 7, 1], dtype="Int8")},
        index=pd.Index([f"r{i}" for i in range(8)], name="respondent_id"))
    survey = sl.Survey(df)
    atk = Attack(survey, "feeling_safe", ["area_id", "age_group", "gender"])
    atk.rows.append(atk.indicator({}))
    hidden = []
    for by in (["age_group"], ["gender"], ["age_group", "gender"], ["area_id"]):
        hidden += atk.publish(sl.summarise(survey, by=by, min_n=3), by)
    assert atk.leaks(hidden, 3, union_size=2) == []
    # with the area × group tables published too (they share the age and gender figures),
    # everything together still gives nothing back
    for by in (["area_id", "age_group"], ["area_id", "gender"]):
        hidden += atk.publish(sl.summarise(survey, by=by, min_n=3), by)
    assert atk.leaks(hidden, 3, union_size=2) == []


# ---------------------------------------------------------------- the solver's parts, by brute force


def _bipartite_connected(edges, r, c, skip=None):
    """Is row ``r`` connected to column ``c`` through the edges (row, col), leaving out ``skip``?"""
    seen, todo = {("r", r)}, [("r", r)]
    while todo:
        kind, v = todo.pop()
        for a, b in edges:
            if (a, b) == skip:
                continue
            nxt = ("c", b) if kind == "r" and a == v else ("r", a) if kind == "c" and b == v else None
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return ("c", c) in seen


def test_cyclable_is_being_on_a_cycle_of_usable_entries():
    """An entry is cyclable exactly when it is usable and its row and column stay connected
    through the other usable entries (the edge is on a cycle of the bipartite graph)."""
    rng = np.random.default_rng(5)
    k = np.where(rng.random((300, 4, 4)) < 0.55, rng.integers(0, 9, (300, 4, 4)), S.INF)
    got = S.cyclable(k)
    for t in range(len(k)):
        edges = [tuple(e) for e in np.argwhere(k[t] < S.INF).tolist()]
        want = np.zeros((4, 4), dtype=bool)
        for r, c in edges:
            want[r, c] = _bipartite_connected(edges, r, c, skip=(r, c))
        assert np.array_equal(got[t], want), (k[t], got[t], want)


def test_components_label_rows_and_columns_by_their_smallest_row():
    """Component labels: the smallest row index in the component; a column without any edge
    gets ``rows + its index``; a row without edges keeps its own index."""
    rng = np.random.default_rng(6)
    edges = rng.random((300, 4, 3)) < 0.3
    rows, cols = S._components(edges)
    for t in range(len(edges)):
        pairs = [tuple(e) for e in np.argwhere(edges[t]).tolist()]
        for r in range(4):
            assert rows[t, r] == min(x for x in range(4) if x == r or any(
                _bipartite_connected(pairs, x, c) and _bipartite_connected(pairs, r, c)
                for c in range(3)))
        for c in range(3):
            linked = [x for x in range(4) if _bipartite_connected(pairs, x, c)]
            assert cols[t, c] == (min(linked) if linked else 4 + c)


def test_hops_and_closure_are_cheapest_links_and_paths():
    """``_hops``: cheapest and second-cheapest row linking two columns (cost of both entries);
    ``_closure``: cheapest paths over such links (Floyd–Warshall by hand)."""
    rng = np.random.default_rng(8)
    k = np.where(rng.random((100, 4, 4)) < 0.7, rng.integers(0, 9, (100, 4, 4)), S.INF)
    best1, arg1, best2, _ = S._hops(k)
    dist, nxt = S._closure(best1)
    for t in range(len(k)):
        for a in range(4):
            for b in range(4):
                pair = sorted(min(int(k[t, r, a]) + int(k[t, r, b]), int(S.INF)) for r in range(4))
                if a == b:
                    assert best1[t, a, b] == best2[t, a, b] == S.INF
                    continue
                assert (best1[t, a, b], best2[t, a, b]) == (pair[0], pair[1])
                assert k[t, arg1[t, a, b], a] + k[t, arg1[t, a, b], b] == min(pair[0], S.INF) or (
                    pair[0] == S.INF)
        want = np.minimum(best1[t].astype(object), int(S.INF))
        np.fill_diagonal(want, 0)
        for m in range(4):
            for a in range(4):
                for b in range(4):
                    want[a, b] = min(want[a, b], want[a, m] + want[m, b])
        assert (dist[t] == np.minimum(want.astype(np.int64), S.INF)).all()
        for a in range(4):  # following nxt from a reaches b at the cheapest cost
            for b in range(4):
                if dist[t, a, b] < S.INF and a != b:
                    cur, cost, steps = a, 0, 0
                    while cur != b and steps < 4:
                        step = nxt[t, cur, b]
                        cost += best1[t, cur, step]
                        cur, steps = step, steps + 1
                    assert cur == b and cost == dist[t, a, b]


def test_costs_and_extended_by_hand():
    """Cells [[1, 0], [3, 6]]: the extended table adds column totals [4, 6], row totals
    [1, 9] and the grand total 10 (a second theme on its own). Costs: a cell its n, a column total BIG + n (INF when
    fixed), row totals and the corner INF, a hidden entry 0, an empty one INF."""
    both = S.extended(np.array([[[1, 0], [3, 6]], [[2, 2], [0, 1]]]))
    assert both.dtype == np.int64
    assert both.tolist() == [[[1, 0, 1], [3, 6, 9], [4, 6, 10]], [[2, 2, 4], [0, 1, 1], [2, 3, 5]]]
    n = both[:1]
    codes = np.zeros(n.shape, dtype=np.int8)
    codes[0, 1, 0] = 2
    grid = S.Grid(n, codes, np.zeros(n.shape, dtype=bool))
    inf, big = int(S.INF), int(S.BIG)
    assert S.costs(grid)[0].tolist() == [[1, inf, inf], [0, 6, inf], [big + 4, big + 6, inf]]
    grid.fixed_columns = True
    assert S.costs(grid)[0].tolist() == [[1, inf, inf], [0, 6, inf], [inf, inf, inf]]
    assert S._snapshot(grid) == (1, 0)
    S._hide(grid, [(np.array([0]), np.array([0]), np.array([1]))])
    assert grid.codes[0, 0, 1] == 2 and grid.cycled[0, 0, 1] and S._snapshot(grid) == (2, 1)


def _ring(nodes, closed):
    """Line groups 0..nodes-1, each one row and one column; a small cell (1 person) from group
    i's row to group i+1's column (and from the last back to 0 when ``closed``)."""
    n = np.full((nodes, nodes), 9)
    small = np.zeros((nodes, nodes), dtype=bool)
    for i in range(nodes if closed else nodes - 1):
        n[i, (i + 1) % nodes] = 1
        small[i, (i + 1) % nodes] = True
    labels = np.arange(nodes)
    return n, small, labels, labels.copy()


def test_small_union_with_many_column_groups_goes_by_flows():
    """More than ENUMERATE heads: a chain 0 → 1 → … → 15 has a determined small union (group
    0 alone leaves 1 person); a closed ring has none (every closed set is empty or all)."""
    n, small, row_lab, col_lab = _ring(S.ENUMERATE + 2, closed=False)
    found = S._small_union(n, small, row_lab, col_lab, MIN_N)
    rr, cc = np.nonzero(small)
    check_found(found, row_lab[rr], col_lab[cc], n[rr, cc], row_lab, col_lab)
    ring = _ring(S.ENUMERATE + 2, closed=True)
    assert S._small_union(*ring, MIN_N) is None


def _linked_leaks(fine, min_n):
    """Area × age and area × gender tables of one theme each, linked by the shared area
    figures (as ``privacy.linked_codes`` publishes them): the exact attacker's unknowns are the
    non-empty finest cells (area × age × gender). Returns the hidden cells and hidden area,
    age and gender figures (fewer than min_n people or not) that lie in the row space of
    everything shown."""
    from test_privacy_attacks import in_row_space

    t_count, a_count, l_count, g_count = fine.shape
    rows, total = S.line_codes(fine.sum(axis=(2, 3)), min_n, spread=True)
    ages, age_cols, gens, gen_cols = S.linked_grids(fine, rows, total, min_n)
    leaks = 0
    for t in range(t_count):
        cells = np.argwhere(fine[t] > 0)  # unknowns: [a, l, g]
        if not len(cells):
            continue
        a, lv, g = cells.T
        shown, queries = [np.ones(len(cells))] if total[t] == 0 else [], []
        for i in range(a_count):
            (shown if rows[t, i] == 0 else queries).append((a == i).astype(float))
        for i in range(a_count):
            for j in range(l_count):
                (shown if ages[t, i, j] == 0 else queries).append(((a == i) & (lv == j)).astype(float))
            for j in range(g_count):
                (shown if gens[t, i, j] == 0 else queries).append(((a == i) & (g == j)).astype(float))
        for j in range(l_count):
            (shown if age_cols[t, j] == 0 else queries).append((lv == j).astype(float))
        for j in range(g_count):
            (shown if gen_cols[t, j] == 0 else queries).append((g == j).astype(float))
        queries = [q for q in queries if q.any()]  # an empty figure is known to be 0
        if queries:
            published = np.array(shown).reshape(-1, len(cells))
            leaks += int(in_row_space(published, np.array(queries)).sum())
    return leaks, int((rows > 0).sum())


def test_linked_tables_share_hidden_area_figures_safely():
    """Hidden area figures are shared by the area × age and the area × gender table; each table
    may be safe alone while together they pin hidden figures down. Exact check on random
    small linked tables (``_linked_leaks``); the first case already leaks (see the next test)."""
    for i, (min_n, mean) in enumerate([(3, 1.0), (5, 1.5), (5, 2.5), (10, 3.0)]):
        rng = np.random.default_rng(400 + i)
        fine = rng.poisson(mean, (120, 4, 3, 2)) * (rng.random((120, 4, 3, 2)) > 0.3)
        assert _linked_leaks(fine, min_n)[0] == 0


def test_linked_tables_by_the_public_api_leak_nothing():
    """18 people in 4 areas × 3 age groups × 2 genders, min_n 3, published by area, age, gender,
    area × age and area × gender: the exact attacker recovers hidden area figures (areas of 4 and
    1 people), which must not happen."""
    from test_privacy_attacks import Attack

    import soslokal_lib as sl

    fine = [[[3, 0], [0, 2], [0, 2]], [[2, 2], [1, 0], [1, 0]], [[0, 0], [0, 0], [1, 3]],
            [[0, 0], [0, 0], [1, 0]]]
    people = [(f"A{a}", f"L{j}", f"G{g}") for a in range(4) for j in range(3) for g in range(2)
              for _ in range(fine[a][j][g])]
    df = pd.DataFrame({
        "area_id": pd.array([p[0] for p in people], dtype="string"),
        "age_group": pd.array([p[1] for p in people], dtype="string"),
        "gender": pd.array([p[2] for p in people], dtype="string"),
        "feeling_safe": pd.array(([1, 2, 3, 4, 5, 6, 7] * 3)[:len(people)], dtype="Int8")},
        index=pd.Index([f"r{i}" for i in range(len(people))], name="respondent_id"))
    survey = sl.Survey(df)
    atk = Attack(survey, "feeling_safe", ["area_id", "age_group", "gender"])
    atk.rows.append(atk.indicator({}))
    hidden = []
    for by in (["area_id"], ["age_group"], ["gender"], ["area_id", "age_group"],
               ["area_id", "gender"]):
        hidden += atk.publish(sl.summarise(survey, by=by, min_n=3), by)
    assert atk.leaks(hidden, 3, union_size=2) == []


def test_one_way_by_hand():
    """Rule 1 on lines against shown totals, min_n 5, without spreading: a lone hidden 2 gets
    the cheapest shown entry (9, not 20); hidden 1 + 3 (4 people) gets 30; a line whose
    entries are all hidden hides its total instead (or is left, with ``hide_total=False``).
    Returns whether anything changed."""
    n = np.array([[2, 20, 9], [1, 3, 30]])
    codes, total = S.primary(n, 5), np.zeros(2, dtype=np.int8)
    assert S.one_way(n, codes, total, 5, spread=False) is True
    assert codes.tolist() == [[1, 0, 2], [1, 1, 2]] and total.tolist() == [0, 0]
    assert S.one_way(n, codes, total, 5, spread=False) is False
    n = np.array([[2, 20], [1, 3]])
    codes, total = S.primary(n, 5), np.zeros(2, dtype=np.int8)
    assert codes.dtype == np.int8
    S.one_way(n, codes, total, 5, spread=False)
    assert codes.tolist() == [[1, 2], [1, 1]] and total.tolist() == [0, 2]
    codes, total = S.primary(n, 5), np.zeros(2, dtype=np.int8)
    assert S.one_way(n, codes, total, 5, spread=False, hide_total=False) is True
    assert codes.tolist() == [[1, 2], [1, 1]] and total.tolist() == [0, 0]


def test_pair_codes_hide_column_totals_where_no_cycle_of_cells_exists():
    """Age A: f 3, m 0; B: f 2, m 3 (min_n 3), both margins shown as given. No cycle of cells
    protects B/f (A/m is empty), so B/m and both gender figures are hidden instead: B/f + B/m
    = B and f + m = N leave one degree of freedom. A theme with a cycle of cells keeps its
    margins as given."""
    cells = np.array([[[3, 0], [2, 3]], [[3, 4], [2, 3]]])
    zero = np.zeros((2, 2), dtype=np.int8)
    out, columns = S.pair_codes(cells, zero, zero, np.zeros(2, dtype=np.int8), 3)
    assert out[0].tolist() == [[0, 1], [1, 2]] and columns[0].tolist() == [2, 2]
    assert out[1].tolist() == [[2, 2], [1, 2]] and columns[1].tolist() == [0, 0]
