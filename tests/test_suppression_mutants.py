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


# ---------------------------------------------------------------- the passes against plain loops
#
# The passes only choose *which* extra entries are hidden; the exact audits above cannot see a
# worse (or different) choice. The choice rules are documented (cheapest complement, ties by n
# and position), so each pass is compared with a plain-loop rendering of its docstring.


def _ref_one_way(n, codes, total, min_n, spread, usable=None, hide_total=True):
    """Rule 1 by loops: while a line with a shown total holds one hidden non-empty entry, or
    hidden entries with fewer than min_n people, hide its cheapest usable shown entry holding
    the missing people (cost n, or n × (1 + themes where the entry is hidden) with ``spread``,
    one line at a time; ties: smaller n, then the first), else its biggest; no candidate: hide
    the total (or leave the line)."""
    n, codes, total = n.tolist(), codes.tolist(), total.tolist()
    lines, width = len(n), len(n[0])
    use = [[n[t][a] > 0 and (usable is None or bool(usable[t][a])) for a in range(width)]
           for t in range(lines)]
    top = max(max(row) for row in n)
    stuck, changed = [False] * lines, False
    while True:
        bad = []
        for t in range(lines):
            hid = [a for a in range(width) if n[t][a] > 0 and codes[t][a] > 0]
            people = sum(n[t][a] for a in hid)
            if total[t] == 0 and hid and (len(hid) < 2 or people < min_n) and not stuck[t]:
                bad.append((t, people))
        if not bad:
            return changed, codes, total
        changed = True
        times = [sum(codes[s][a] > 0 for s in range(lines)) for a in range(width)]
        for t, people in bad[:1] if spread else bad:
            cand = [a for a in range(width) if use[t][a] and codes[t][a] == 0]
            if not cand:
                if hide_total:
                    total[t] = 2
                else:
                    stuck[t] = True
                continue
            suff = [a for a in cand if n[t][a] >= max(min_n - people, 1)]
            line = n[t]
            if suff:
                assert all(line[a] <= top for a in suff)
                pick = min(suff, key=lambda a: (line[a] * (1 + times[a] if spread else 1),
                                                line[a], a))
            else:
                pick = max(cand, key=lambda a: (line[a], -a))
            codes[t][pick] = 2


def test_one_way_agrees_with_plain_loops():
    """Random lines (empty entries, extra hidden entries, hidden totals, unusable entries), with
    and without spreading, hiding the total or not: the same codes, totals and return value."""
    rng = np.random.default_rng(21)
    for case in range(400):
        min_n = int(rng.choice([1, 3, 5, 10]))  # min_n 1: shown entries of 1 person
        lines, width = int(rng.integers(1, 5)), int(rng.integers(2, 7))
        n = rng.integers(0, 3 * min_n, (lines, width)) * (rng.random((lines, width)) > 0.2)
        codes = S.primary(n, min_n)
        codes[rng.random((lines, width)) < 0.1] = 2
        total = np.where(rng.random(lines) < 0.15, 2, 0).astype(np.int8)
        spread, hide_total = bool(case % 2), bool(case % 3)
        usable = rng.random((lines, width)) > 0.15 if case % 5 else None
        want = _ref_one_way(n, codes, total, min_n, spread, usable, hide_total)
        got = S.one_way(n, codes, total, min_n, spread=spread, usable=usable,
                        hide_total=hide_total)
        assert (got, codes.tolist(), total.tolist()) == want, (n, min_n, spread, usable)


def test_one_way_spread_goes_round_the_neighbours():
    """Three themes of areas [2, 6, 7, 30], min_n 5, spread: theme 1 takes 6 (cheapest); theme
    2 has 6 at cost 12 > 7, so takes 7; theme 3 has 6 and 7 both hidden once: 12 < 14, 6
    again. Without spreading every theme takes 6."""
    n = np.array([[2, 6, 7, 30]] * 3)
    for spread, want in ((True, [1, 2, 1]), (False, [1, 1, 1])):
        codes, total = S.primary(n, 5), np.zeros(3, dtype=np.int8)
        S.one_way(n, codes, total, 5, spread=spread)
        assert [int(np.flatnonzero(row == 2)[0]) for row in codes] == want
        assert (codes == 2).sum() == 3 and codes[:, 0].tolist() == [1, 1, 1]


def _ref_line_pass(grid, min_n):
    """Rule 4 by loops: rows (against shown row totals) first, then columns (against shown
    column totals, seeing the rows' new hidden cells): a line with one hidden non-empty cell, or
    hidden cells with fewer than min_n people, hides its cheapest shown fit cell (costs as before
    the pass) holding the missing people, ties by position, else its biggest."""
    n, k, fit = grid.n, S.costs(grid), grid.fit
    codes = grid.codes.copy()
    t_count, r_count, c_count = n.shape
    for axis in (2, 1):
        for t in range(t_count):
            for i in range(r_count - 1 if axis == 2 else c_count - 1):
                at = ([(i, j) for j in range(c_count - 1)] if axis == 2
                      else [(j, i) for j in range(r_count - 1)])
                shown_total = codes[t, i, -1] == 0 if axis == 2 else codes[t, -1, i] == 0
                hid = [e for e in at if codes[t][e] > 0 and n[t][e] > 0]
                people = sum(int(n[t][e]) for e in hid)
                if not shown_total or not hid or (len(hid) >= 2 and people >= min_n):
                    continue
                cand = [e for e in at if codes[t][e] == 0 and fit[t][e]]
                if not cand:
                    continue
                suff = [e for e in cand if n[t][e] >= max(min_n - people, 1)]
                pick = (min(suff, key=lambda e: (k[t][e], at.index(e))) if suff
                        else max(cand, key=lambda e: (n[t][e], -at.index(e))))
                codes[t][pick] = 2
    return codes


def test_line_pass_agrees_with_plain_loops():
    """Random extended grids (hidden cells, margins and totals at random; random fit entries):
    ``line_pass`` hides exactly the cells the loops hide, and nothing else."""
    rng = np.random.default_rng(22)
    for _ in range(300):
        min_n = int(rng.choice([1, 3, 5]))
        shape = (int(rng.integers(1, 4)), int(rng.integers(2, 6)), int(rng.integers(2, 6)))
        cells = rng.integers(0, 3 * min_n, shape) * (rng.random(shape) > 0.2)
        n = S.extended(cells)
        codes = S.primary(n, min_n)
        codes[rng.random(n.shape) < 0.15] = 2
        grid = S.Grid(n, codes, np.zeros(n.shape, dtype=bool),
                      fixed_columns=bool(rng.integers(2)))
        grid.fit = (rng.random(n.shape) > 0.2) & (S.costs(grid) < S.INF)
        want = _ref_line_pass(grid, min_n)
        S.line_pass(grid, min_n)
        assert np.array_equal(grid.codes, want), (cells, min_n)


def _cheapest_cycle(k, r, c):
    """Cheapest cycle through entry (r, c) of a cost matrix (all simple cycles tried): the sum
    of the costs of its other entries, or INF."""
    inf = int(S.INF)
    rows, cols = len(k), len(k[0])
    best = inf

    def walk(row, used_cols, used_rows, cost):
        nonlocal best
        if row != r and k[row][c] < inf:
            best = min(best, cost + k[row][c])
        for c2 in range(cols):
            if c2 in used_cols or k[row][c2] >= inf:
                continue
            for r2 in range(rows):
                if r2 not in used_rows and k[r2][c2] < inf:
                    walk(r2, used_cols | {c2}, used_rows | {r2}, cost + k[row][c2] + k[r2][c2])

    walk(r, {c}, {r}, 0)
    return best


def test_cycle_pass_takes_the_cheapest_cycle():
    """One theme per random grid with one hidden cell: ``cycle_pass`` hides the cheapest cycle
    through it (cost by brute force over all simple cycles: cells n, column totals BIG + n, row
    totals never), or reports it failed when no cycle exists. A cell already known to be on a
    cycle is left alone; one already on a cycle of hidden entries is only marked."""
    rng = np.random.default_rng(23)
    seen = {"cycle": 0, "failed": 0, "marked": 0}
    for case in range(300):
        shape = (1, int(rng.integers(2, 5)), int(rng.integers(2, 5)))
        cells = rng.integers(1, 12, shape) * (rng.random(shape) > 0.3)
        n = S.extended(cells)
        codes = np.zeros(n.shape, dtype=np.int8)
        filled = np.argwhere(cells[0] > 0)
        if not len(filled):
            continue
        r, c = filled[rng.integers(len(filled))]
        codes[0, r, c] = 2
        rect = case % 4 == 0 and shape[1] > 1 and shape[2] > 1
        if rect:  # a hidden rectangle through (r, c), where its corners are non-empty
            r2, c2 = (r + 1) % shape[1], (c + 1) % shape[2]
            rect = bool(cells[0, r, c2] and cells[0, r2, c] and cells[0, r2, c2])
            if rect:
                codes[0, [r, r2, r2], [c2, c, c2]] = 2
        known = case % 7 == 0
        grid = S.Grid(n, codes, np.zeros(n.shape, dtype=bool), fixed_columns=bool(case % 3 == 1))
        grid.cycled[0, r, c] = known
        k = S.costs(grid)[0].tolist()
        best = _cheapest_cycle(k, r, c)
        before = codes.copy()
        failed = S.cycle_pass(grid)
        new = (codes != before)
        if known or rect:
            assert not new.any() and not failed.any() and grid.cycled[0, r, c]
            seen["marked"] += rect and not known
            continue
        if best >= S.INF:
            assert failed[0, r, c] and failed.sum() == 1 and not new.any()
            seen["failed"] += 1
            continue
        seen["cycle"] += 1
        assert not failed.any()
        assert sum(k[i][j] for i, j in np.argwhere(new[0])) == best, (cells, r, c)
        hidden = [tuple(e) for e in np.argwhere((codes[0] > 0) & (n[0] > 0)).tolist()]
        assert _bipartite_connected(hidden, r, c, skip=(r, c))
        assert grid.cycled[0][codes[0] > 0].all()
    assert min(seen.values()) > 10, seen


def test_cycle_pass_takes_one_cell_per_column_smallest_first():
    """Column 0 holds two hidden cells, A (3 people, row 0) and B (2, row 1); one pass cycles
    only B, the smaller: (1, 2) 6 + (3, 2) 6 + (3, 0) 7 = 19 (A's own cheapest cycle would be
    (0, 1) 5 + (3, 1) 5 + (3, 0) 7 = 17). The next pass cycles A through the now hidden (3, 0):
    (0, 1) 5 + (3, 1) 5 = 10."""
    cells = np.array([[[3, 5, 50], [2, 50, 6], [50, 50, 50], [7, 5, 6]]])
    n = S.extended(cells)
    codes = np.zeros(n.shape, dtype=np.int8)
    codes[0, [0, 1], [0, 0]] = 2
    grid = S.Grid(n, codes, np.zeros(n.shape, dtype=bool))
    assert not S.cycle_pass(grid).any()
    assert codes[0, :-1, :-1].tolist() == [[2, 0, 0], [2, 0, 2], [0, 0, 0], [2, 0, 2]]
    assert grid.cycled[0, 1, 0] and not grid.cycled[0, 0, 0]
    assert not S.cycle_pass(grid).any()
    assert codes[0, :-1, :-1].tolist() == [[2, 2, 0], [2, 0, 2], [0, 0, 0], [2, 2, 2]]
    assert grid.cycled[0, 0, 0] and (codes[0, -1] == 0).all() and (codes[0, :, -1] == 0).all()


def _connect_grid(cells, hidden_rows, hidden_cells=(), fixed=False):
    n = S.extended(np.array(cells))
    codes = np.zeros(n.shape, dtype=np.int8)
    for t, r in hidden_rows:
        codes[t, r, -1] = 2
    for t, r, c in hidden_cells:
        codes[t, r, c] = 2
    grid = S.Grid(n, codes, np.zeros(n.shape, dtype=bool), fixed_columns=fixed)
    grid.fit = S.cyclable(S.costs(grid))
    return grid


def test_connect_pass_by_hand():
    """Rule 3 (``connect_pass``), the area figures of rows 0 and 2 hidden, min cost paths:

    * theme 0, nothing else hidden: from row 2 the cheapest way to row 0 is (2, 0) 2, then
      column 0 → 1 through row 1 (1 + 1), then (0, 1) 1: 5 (a direct column costs ≥ 21);
    * theme 1, (0, 0) and (1, 0) hidden (row 0's part holds column 0): (2, 1) 1, then column
      1 → 0 through row 0 (5 + the hidden 0): 6, which reaches the part at column 0;
    * theme 2, already connected through the hidden (0, 1), (2, 1): nothing to do.
    Nothing is failed; a second pass finds every hidden area figure connected and marks them."""
    cells = [[[20, 1, 20], [1, 1, 30], [2, 20, 20]],
             [[5, 5, 5], [5, 7, 5], [9, 1, 50]],
             [[5, 5, 5], [5, 7, 5], [9, 1, 50]]]
    grid = _connect_grid(cells, [(t, r) for t in range(3) for r in (0, 2)],
                         [(1, 0, 0), (1, 1, 0), (2, 0, 1), (2, 2, 1)])
    before = grid.codes.copy()
    assert not S.connect_pass(grid).any()
    inner = grid.codes[:, :-1, :-1]
    assert inner[0].tolist() == [[0, 2, 0], [2, 2, 0], [2, 0, 0]]
    assert inner[1].tolist() == [[2, 2, 0], [2, 0, 0], [0, 2, 0]]
    assert inner[2].tolist() == before[2, :-1, :-1].tolist()
    assert (grid.codes[:, -1] == 0).all() and (grid.codes[:, :, -1] == before[:, :, -1]).all()
    assert not grid.cycled[:, :, -1].any()
    snapshot = grid.codes.copy()
    assert not S.connect_pass(grid).any()
    assert np.array_equal(grid.codes, snapshot)
    assert grid.cycled[:, :, -1].tolist() == [[True, False, True, False]] * 3


def test_connect_pass_joins_every_loose_part_and_reports_the_unreachable():
    """Area figures of rows 0, 1 and 3 hidden, no hidden cells: rows 1 and 3 are each joined to
    row 0 (cheapest: (1, 0) 1 + (0, 0) 1, and (3, 1) 1 + (0, 1) 2). With the column totals
    fixed, a row whose cells share no column with another row cannot be joined: it is failed
    (``[T, A + 1]``) and nothing is hidden for it."""
    grid = _connect_grid([[[1, 2, 9], [1, 9, 9], [9, 9, 9], [9, 1, 9]]], [(0, 0), (0, 1), (0, 3)])
    assert not S.connect_pass(grid).any()
    assert grid.codes[0, :-1, :-1].tolist() == [[2, 2, 0], [2, 0, 0], [0, 0, 0], [0, 2, 0]]
    grid = _connect_grid([[[5, 0], [5, 0], [0, 5]]], [(0, 0), (0, 2)], fixed=True)
    failed = S.connect_pass(grid)
    assert failed.tolist() == [[False, False, True, False]]
    assert (grid.codes[0, :-1, :-1] == 0).all()


def test_connect_pass_until_stable_joins_all_hidden_area_figures():
    """Random grids with hidden area figures and hidden cells: repeated ``connect_pass`` ends
    with every hidden non-empty area figure's row joined to the others through hidden non-empty
    entries outside the area column (column totals included), all of them marked as cycled —
    unless a row is reported failed, which happens only with fixed column totals."""
    rng = np.random.default_rng(24)
    joined = 0
    for case in range(200):
        shape = (1, int(rng.integers(2, 6)), int(rng.integers(2, 5)))
        cells = rng.integers(1, 12, shape) * (rng.random(shape) > 0.3)
        n = S.extended(cells)
        codes = np.zeros(n.shape, dtype=np.int8)
        codes[0, :-1, -1] = np.where(rng.random(shape[1]) < 0.5, 2, 0)
        codes[0, :-1, :-1] = np.where(rng.random(shape[1:]) < 0.15, 2, 0)
        grid = S.Grid(n, codes, np.zeros(n.shape, dtype=bool), fixed_columns=case % 4 == 0)
        grid.fit = S.cyclable(S.costs(grid))
        failed = np.zeros(n.shape[:2], dtype=bool)
        for _ in range(10):
            before = grid.codes.copy()
            failed |= S.connect_pass(grid)
            if np.array_equal(before, grid.codes):
                break
        rows = [r for r in range(shape[1]) if codes[0, r, -1] > 0 and n[0, r, -1] > 0]
        assert not (failed.any() and case % 4), cells
        if failed.any() or len(rows) < 2:
            continue
        joined += 1
        edges = [tuple(e) for e in np.argwhere((codes[0, :, :-1] > 0) & (n[0, :, :-1] > 0))]
        for r in rows[1:]:
            assert any(_bipartite_connected(edges, rows[0], c) and _bipartite_connected(edges, r, c)
                       for c in range(shape[2])), (cells, codes)
        assert grid.cycled[0, rows, -1].all()
    assert joined > 50


def test_cut_pass_hides_the_cheapest_entry_crossing_the_union():
    """Random grids with random hidden entries: for each theme with small hidden cells,
    ``cut_pass`` asks ``_small_union`` (checked against brute force above) for a determined small
    union S; it then hides the cheapest shown fit entry with exactly one of its lines in S (such
    an entry enters Σ rows of S − Σ columns of S, so hiding it breaks the union; ties: first
    position), reports the theme failed when there is none, and remembers a theme found free of
    unions (``checked``: its hidden count) so that it is not searched again."""
    rng = np.random.default_rng(25)
    seen = {"hidden": 0, "free": 0, "failed": 0}
    for case in range(300):
        min_n = int(rng.choice([3, 5, 10]))
        shape = (int(rng.integers(1, 4)), int(rng.integers(2, 5)), int(rng.integers(2, 5)))
        cells = rng.integers(0, 2 * min_n, shape) * (rng.random(shape) > 0.15)
        n = S.extended(cells)
        codes = S.primary(n, min_n)
        codes[rng.random(n.shape) < 0.3] = 2
        grid = S.Grid(n, codes, np.zeros(n.shape, dtype=bool), fixed_columns=case % 5 == 0)
        grid.fit = S.cyclable(S.costs(grid)) & (rng.random(n.shape) > 0.1)
        k = S.costs(grid)
        before = codes.copy()
        hid = (codes > 0) & (n > 0)
        inner = np.zeros(n.shape[1:], dtype=bool)
        inner[:-1, :-1] = True
        small = hid & inner & (n < min_n)
        want_codes, want_failed = before.copy(), np.zeros(len(n), dtype=bool)
        want_checked = np.full(len(n), -1)
        for t in range(len(n)):
            if not small[t].any():
                continue
            row_lab, col_lab = S._components((hid[t] & ~small[t])[None])
            found = S._small_union(n[t], small[t], row_lab[0], col_lab[0], min_n)
            if found is None:
                want_checked[t] = hid[t].sum()
                seen["free"] += 1
                continue
            in_rows, in_cols, _ = found
            cand = (in_rows[:, None] != in_cols[None, :]) & grid.fit[t] & (before[t] == 0)
            if not cand.any():
                want_failed[t] = True
                seen["failed"] += 1
                continue
            want_codes[t].flat[int(np.argmin(np.where(cand, k[t], S.INF)))] = 2
            seen["hidden"] += 1
        failed = S.cut_pass(grid, min_n)
        assert np.array_equal(codes, want_codes), (cells, before, min_n)
        assert failed.tolist() == want_failed.tolist()
        assert grid.checked.tolist() == want_checked.tolist()
        again = codes.copy()
        S.cut_pass(grid, min_n)  # themes found free are not searched again
        free = want_checked >= 0
        assert np.array_equal(codes[free], again[free])
    assert min(seen.values()) > 10, seen


def test_grid_codes_start_from_hidden_cells_and_columns_by_hand():
    """min_n 3, cells [[5, 8, 9], [6, 7, 9], [9, 9, 9]] (nothing small):

    * ``hidden`` (0, 0): its cheapest cycle is (0, 1) 8 + (1, 1) 7 + (1, 0) 6 = 21;
    * with (0, 0) 2 people (primary) and (1, 0) to hide: a primary cell keeps code 1; the smaller
      (0, 0) is cycled first, through (0, 1) 8 + (1, 1) 7 + the hidden (1, 0): 15;
    * ``hidden_columns`` 0 (20 people): its cycle runs through the next group figure (BIG + 24)
      and row 0, the first of the cheapest rows linking columns 0 and 1 (8 + 5 = 7 + 6)."""
    cells = np.array([[[5, 8, 9], [6, 7, 9], [9, 9, 9]]])
    rows, total = np.zeros((1, 3), dtype=np.int8), np.zeros(1, dtype=np.int8)
    hidden = np.zeros(cells.shape, dtype=bool)
    hidden[0, 0, 0] = True
    grid, columns = S.grid_codes(cells, rows, total, 3, hidden=hidden)
    assert grid[0].tolist() == [[2, 2, 0], [2, 2, 0], [0, 0, 0]] and columns.tolist() == [[0, 0, 0]]
    small = cells.copy()
    small[0, 0, 0] = 2
    hidden[0, 1, 0] = True
    grid, columns = S.grid_codes(small, rows, total, 3, hidden=hidden)
    assert grid[0].tolist() == [[1, 2, 0], [2, 2, 0], [0, 0, 0]] and columns.tolist() == [[0, 0, 0]]
    grid, columns = S.grid_codes(cells, rows, total, 3, hidden_columns=np.array([[1, 0, 0]]))
    assert grid[0].tolist() == [[2, 2, 0], [0, 0, 0], [0, 0, 0]] and columns.tolist() == [[2, 2, 0]]
    assert rows.tolist() == [[0, 0, 0]] and total.tolist() == [0]  # fixed margins untouched
    hidden = np.zeros(cells.shape, dtype=np.int64)  # 0/1 integers are read as booleans
    hidden[0, 0, 0] = 1
    grid, columns = S.grid_codes(cells, rows, total, 3, hidden=hidden)
    assert grid[0].tolist() == [[2, 2, 0], [2, 2, 0], [0, 0, 0]] and columns.tolist() == [[0, 0, 0]]


def test_spreading_is_the_default_of_line_and_grid_codes():
    """Three themes whose group figures are [2, 6, 7, 30] (min_n 3): the level of 2 needs a
    complement in each theme; spread (the default): 6, then 7 (6 × 2 > 7), then 6 (12 < 7 × 2);
    without spreading always 6. The areas' line by ``line_codes`` likewise; a ``total`` given is
    used (a hidden total needs no complement) and not changed."""
    cells = np.array([[[1, 3, 4, 15], [1, 3, 3, 15]]] * 3)
    rows, total = S.line_codes(cells.sum(axis=2), 3)
    assert rows.tolist() == [[0, 0]] * 3 and total.tolist() == [0, 0, 0]
    spread = [[1, 2, 0, 0], [1, 0, 2, 0], [1, 2, 0, 0]]
    assert S.grid_codes(cells, rows, total, 3)[1].tolist() == spread
    assert S.grid_codes(cells, rows, total, 3, spread=True)[1].tolist() == spread
    assert S.grid_codes(cells, rows, total, 3, spread=False)[1].tolist() == [[1, 2, 0, 0]] * 3
    areas = np.array([[2, 6, 7, 30]] * 3)
    codes, total = S.line_codes(areas, 3)
    assert codes.tolist() == spread and total.dtype == np.int8
    assert S.line_codes(areas, 3, spread=False)[0].tolist() == [[1, 2, 0, 0]] * 3
    given = np.array([2, 0, 0])
    codes, total = S.line_codes(areas, 3, total=given)
    assert codes.tolist() == [[1, 0, 0, 0], [1, 2, 0, 0], [1, 0, 2, 0]]
    assert total.tolist() == [2, 0, 0] and total.dtype == np.int8 and given.tolist() == [2, 0, 0]


def test_pair_codes_keep_given_margins_and_start_from_hidden_ones():
    """Age × gender × a third group, min_n 3. Theme 0: A f 3, m 0, x 5; B f 2, m 4, x 0, x hidden
    by another table: B/f is on no cycle of cells, so the theme is solved again with the
    group figures hideable and x hidden from the start: the cheapest cycle through B/f is B/m 4,
    m (BIG + 4), the hidden x (0), A/x 5, A/f 3 — f stays shown. Theme 1 (all 5, f and m hidden
    by other tables): the cells protect them with the given margins, which are returned as
    given. A one-column table whose age figures are given as shown (so that its hidden cell,
    which equals its age figure, lies on no cycle even with the gender figure hideable) stays
    given up (all cells hidden), without an error. With hidden age figures the same table is
    protected normally, through them."""
    cells = np.array([[[3, 0, 5], [2, 4, 0]], [[5, 5, 5], [5, 5, 5]]])
    given = np.array([[0, 0, 2], [2, 2, 0]], dtype=np.int8)
    zero = np.zeros((2, 2), dtype=np.int8)
    out, columns = S.pair_codes(cells, zero, given, np.zeros(2, dtype=np.int8), 3)
    assert out[0].tolist() == [[2, 1, 2], [1, 2, 1]] and columns[0].tolist() == [0, 2, 2]
    assert out[1].tolist() == [[2, 2, 0], [0, 0, 0]] and columns[1].tolist() == [2, 2, 0]
    assert given.tolist() == [[0, 0, 2], [2, 2, 0]]
    one = np.array([[[2], [5]]])
    for rows in ([0, 0], [1, 2]):
        out, columns = S.pair_codes(one, np.array([rows], dtype=np.int8),
                                    np.zeros((1, 1), dtype=np.int8), np.zeros(1, dtype=np.int8), 3)
        assert out.tolist() == [[[1], [2]]] and columns.tolist() == [[0]]


def test_linked_grids_pass_their_options_to_both_tables():
    """Three themes, 2 areas × 4 ages × 2 genders, min_n 5, where the joint check finds nothing:
    the two tables are then exactly what ``grid_codes`` gives each alone, spreading by default
    (the age of 4 people gets 14, then 16, then 14 again) and not with ``spread=False``, in
    either table (ages first or second);
    ``hidden_columns`` hides gender figures of the second table from the start (here gender 1,
    protected by gender 0 and area B's cells)."""
    ages = np.array([[[1, 3, 4, 15], [1, 3, 3, 15]]] * 3)
    fine = np.stack([ages, ages + (ages > 2)], axis=-1)
    rows, total = S.line_codes(fine.sum(axis=(2, 3)), 5)
    for kw, want in (({}, [[1, 2, 0, 0], [1, 0, 2, 0], [1, 2, 0, 0]]),
                     ({"spread": False}, [[1, 2, 0, 0]] * 3)):
        got = S.linked_grids(fine, rows, total, 5, **kw)
        alone = (*S.grid_codes(fine.sum(axis=3), rows, total, 5, **kw),
                 *S.grid_codes(fine.sum(axis=2), rows, total, 5, **kw))
        assert got[1].tolist() == want
        assert all(np.array_equal(a, b) for a, b in zip(got, alone, strict=True))
        swapped = S.linked_grids(fine.swapaxes(2, 3), rows, total, 5, **kw)  # ages second
        assert swapped[3].tolist() == want
    hidden = np.zeros((3, 2), dtype=bool)
    hidden[:, 1] = True
    got = S.linked_grids(fine, rows, total, 5, hidden_columns=hidden.astype(np.int64))  # 0/1
    assert got[3].tolist() == [[2, 2]] * 3 and got[2].tolist() == [[[0, 0], [2, 2]]] * 3
    assert np.array_equal(got[0], S.grid_codes(fine.sum(axis=3), rows, total, 5)[0])


def test_cycle_pass_edge_cases_by_hand():
    """A hidden rectangle (0, 0) 2, (0, 1), (1, 0), (1, 1) is already a cycle: its cells are
    only marked, and they do not take column 0's turn from the hidden (2, 0) 5, which is cycled
    in the same pass ((2, 2) 6 + (0, 2) 6, through the hidden (0, 0)). A cycle that costs
    exactly 1 (a shown cell of 1 person, min_n 1) is taken like any other."""
    cells = np.array([[[2, 5, 6], [5, 5, 9], [5, 20, 6]]])
    n = S.extended(cells)
    codes = np.zeros(n.shape, dtype=np.int8)
    codes[0, [0, 0, 1, 1, 2], [0, 1, 0, 1, 0]] = 2
    grid = S.Grid(n, codes, np.zeros(n.shape, dtype=bool))
    assert not S.cycle_pass(grid).any()
    assert codes[0, :-1, :-1].tolist() == [[2, 2, 2], [2, 2, 0], [2, 0, 2]]
    assert grid.cycled[0, :2, :2].all() and grid.cycled[0, 2, 0]
    n = S.extended(np.array([[[4, 4], [1, 4]]]))
    codes = np.zeros(n.shape, dtype=np.int8)
    codes[0, [0, 0, 1], [0, 1, 1]] = 2
    grid = S.Grid(n, codes, np.zeros(n.shape, dtype=bool))
    S.cycle_pass(grid)
    assert codes[0, :-1, :-1].tolist() == [[2, 2], [2, 2]] and grid.cycled[0, 1, 0]


def test_connect_pass_counts_primary_codes_too():
    """Hidden area figures and cells of code 1 (below min_n) count like code 2: theme 0's area
    figures 0 (code 1) and 2 (code 2) get joined (as in ``test_connect_pass_by_hand``); in
    theme 1 they are already joined through the primary cells (0, 1) and (2, 1)."""
    cells = [[[20, 1, 20], [1, 1, 30], [2, 20, 20]], [[5, 2, 5], [5, 7, 5], [9, 1, 50]]]
    grid = _connect_grid(cells, [(0, 2), (1, 2)])
    grid.codes[:, 0, -1] = 1
    grid.codes[1, [0, 2], [1, 1]] = 1
    grid.fit = S.cyclable(S.costs(grid))
    assert not S.connect_pass(grid).any()
    assert grid.codes[0, :-1, :-1].tolist() == [[0, 2, 0], [2, 2, 0], [2, 0, 0]]
    assert grid.codes[1, :-1, :-1].tolist() == [[0, 1, 0], [0, 0, 0], [0, 1, 0]]
    assert not grid.cycled[1].any()  # nothing walked there either


def test_group_figures_follow_the_one_way_rule_inside_grid_codes():
    """min_n 3, 3 areas × 4 ages, the age figures [15, 1, 15, 18]: the lone small age 1 gets
    the cheapest group figure as complement (15, the first of two), whose cycle runs through
    the hidden age 1 and cell (1, 1): (1, 0) 5. With the areas 1 and 2 hidden (fixed codes),
    area 2 is joined to them through (2, 0) 5. When area 1 has nobody of age 0 (age figures
    [8, 1, 15, 18]), age 0 is still the complement (its figure is on a cycle through areas 0
    and 2); its cycle is then (0, 2) 5 + (0, 0) 4 via (1, 2) 5."""
    def solve(cells, rows):
        grid, columns = S.grid_codes(np.array([cells]), np.array([rows], dtype=np.int8),
                                     np.zeros(1, dtype=np.int8), 3)
        return grid[0].tolist(), columns[0].tolist()

    cells = [[5, 0, 5, 6], [5, 1, 5, 6], [5, 0, 5, 6]]
    assert solve(cells, [0, 0, 0]) == ([[0, 1, 0, 0], [2, 1, 0, 0], [0, 1, 0, 0]], [2, 1, 0, 0])
    assert solve(cells, [0, 2, 2]) == ([[0, 1, 0, 0], [2, 1, 0, 0], [2, 1, 0, 0]], [2, 1, 0, 0])
    cells = [[4, 0, 5, 6], [0, 1, 5, 6], [4, 0, 5, 6]]
    assert solve(cells, [0, 0, 0]) == ([[2, 1, 2, 0], [1, 1, 2, 0], [0, 1, 0, 0]], [2, 1, 0, 0])
    # ages [1, 1, 14, 20]: the two small ages hold 2 people, so age 2 (14) joins them, though
    # the last area has nobody of that age; with areas 1 and 2 hidden the same (the areas'
    # codes are not the grand total's), and area 2 is joined through (2, 3) 6 and (1, 3) 6
    cells = [[1, 0, 8, 8], [0, 1, 6, 6], [0, 0, 0, 6]]
    assert solve(cells, [0, 0, 0]) == ([[1, 1, 2, 0], [1, 1, 2, 0], [1, 1, 1, 0]], [1, 1, 2, 0])
    assert solve(cells, [0, 2, 2]) == ([[1, 1, 2, 0], [1, 1, 2, 2], [1, 1, 1, 2]], [1, 1, 2, 0])


def test_a_hidden_cell_that_nothing_can_protect_is_an_error_unless_given_up():
    """One age only (the cell is the area's figure, shown): a cell asked to be hidden lies on
    no cycle. ``grid_codes`` (column totals free) calls that a bug; with fixed column totals
    the theme is given up (all its cells hidden)."""
    import pytest

    cells = np.array([[[5], [5]]])
    hidden = np.array([[[True], [False]]])
    rows, total = np.zeros((1, 2), dtype=np.int8), np.zeros(1, dtype=np.int8)
    with pytest.raises(RuntimeError, match="no complement"):
        S.grid_codes(cells, rows, total, 3, hidden=hidden)
    grid, columns = S.grid_codes(cells, rows, total, 3, hidden=hidden,
                                 column_codes=np.zeros((1, 1), dtype=np.int8))
    assert grid.tolist() == [[[2], [2]]] and columns.tolist() == [[0]]


def test_linked_grids_with_one_area():
    """A single area (its figure the grand total): both tables are protected alone, without
    any error, and the joint check finds nothing more."""
    fine = np.array([[[[3, 4], [2, 5]]]])  # 1 theme, 1 area, 2 ages, 2 genders
    rows, total = S.line_codes(fine.sum(axis=(2, 3)), 3)
    got = S.linked_grids(fine, rows, total, 3)
    assert [g.tolist() for g in got] == [[[[0, 0]]], [[0, 0]], [[[0, 0]]], [[0, 0]]]


def test_pair_codes_join_hidden_figures_through_the_other_margin():
    """Ages 0 and 2 hidden by another table (5 people each), age 0 and 1 only of gender f, age 2
    only of gender m. With both margins fixed the hidden age figures cannot be joined (rule 3):
    the theme is given up (all cells hidden) and reported. ``pair_codes`` then solves it with the
    gender figures hideable: age 2 is joined to age 0 through 2/m 5, m (BIG + 5), f (BIG + 10)
    and 0/f 5 — both gender figures are returned hidden, age 1's cell stays shown."""
    cells = np.array([[[5, 0], [5, 0], [0, 5]]])
    rows, zero = np.array([[2, 0, 2]], dtype=np.int8), np.zeros((1, 2), dtype=np.int8)
    total = np.zeros(1, dtype=np.int8)
    grid, columns, stuck = S._solve(cells, rows, total, 3, spread=True, column_codes=zero)
    assert grid.tolist() == [[[2, 1], [2, 1], [1, 2]]] and columns.tolist() == [[0, 0]]
    assert stuck.tolist() == [True]
    grid, columns = S.pair_codes(cells, rows, zero, total, 3)
    assert grid.tolist() == [[[2, 1], [0, 1], [1, 2]]] and columns.tolist() == [[2, 2]]


def test_pair_codes_spread_the_group_figures_of_re_solved_themes():
    """Three identical themes, ages A: f 3, m 0, x 2 and B: f 2, m 4, x 0 (min_n 3; x, 2
    people, hidden as given). No cycle of cells exists, so every theme is solved again with the
    gender figures hideable, spreading: the lone hidden x needs a complement — m (4) in theme 0,
    f (5 < 4 × 2) in theme 1, m again in theme 2 (4 × 2 < 5 × 2); theme 1's cycle for B/f then
    takes m too (B/m 4, m BIG + 4, the hidden f)."""
    cells = np.array([[[3, 0, 2], [2, 4, 0]]] * 3)
    given = np.array([[0, 0, 1]] * 3, dtype=np.int8)
    out, columns = S.pair_codes(cells, np.zeros((3, 2), dtype=np.int8), given,
                                np.zeros(3, dtype=np.int8), 3)
    assert columns.tolist() == [[0, 2, 1], [2, 2, 1], [0, 2, 1]]
    assert out.tolist() == [[[2, 1, 1], [1, 2, 1]]] * 3
