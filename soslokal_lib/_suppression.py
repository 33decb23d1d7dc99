"""The cell-suppression solver behind :mod:`soslokal_lib.privacy` (numpy only, no pandas).

Published tables are seen as *extended two-way tables*, one per theme: rows are areas (plus a
last row holding the column totals), columns are the levels of a group such as age (plus a last
column holding the row totals, i.e. the areas' own figures); the corner is the grand total.
Every line of an extended table sums to a known value, so an attacker knows exactly the linear
combinations of hidden entries that are sums of whole lines. A hidden entry is *not* determined
by these equations if and only if it lies on a cycle of hidden non-empty entries (alternating
``±ε`` round the cycle changes no line sum). The solver makes

1. every one-way line (the areas against the grand total, the levels of a group against it)
   hold no hidden non-empty entry, or at least two holding together at least ``min_n`` people
   (:func:`one_way`; the areas' line is decided first and alone, then fixed in every group
   table, so the areas' table does not depend on the group tables);
2. every hidden non-empty entry of every extended table lie on a cycle of hidden entries
   (:func:`cycle_pass`);
3. in every extended table, the rows whose own figure (row total) is hidden be connected to
   each other through hidden entries outside the row-total column (:func:`connect_pass`), so
   that one perturbation of the hidden area figures is possible in *all* group tables at once
   (the area figures are shared by the age and the gender tables);
4. every row and column whose total is shown hold hidden entries worth at least ``min_n``
   people, or none (:func:`line_pass`, a fast special case of 5);
5. no union of hidden cells with fewer than ``min_n`` people equal a combination of lines
   (:func:`cut_pass`: exact, by the cuts of a small directed graph, see below).

Two area × group tables sharing their rows are then checked together, exactly
(:func:`linked_grids`: the unknowns are the area × group × group counts; a determined hidden
entry, small union or small finest group gets one more hidden entry, and both tables are solved
again); a group × group table whose cells cannot protect each other with both margins fixed may
hide its column totals instead (:func:`pair_codes`).

Complementary entries are chosen by cost, lowest first: a cell costs its ``n``; a group's own
figure (a row of another published table) costs ``BIG + n``; the areas' figures and the grand
total are fixed by rule 1; an entry already hidden costs nothing; an empty entry (``n = 0``,
known to be zero) and an entry on no cycle of usable entries (:func:`cyclable`) can never help.
Cycles are the cheapest cycles through the entry (shortest paths over the columns, any length),
found for up to one entry per theme and column at a time. Everything is vectorised over themes;
the loops run over passes of a fixed point, over the (few) columns, and — in rule 5 — over the
themes whose hidden cells changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from soslokal_lib import _exact

INF = np.int64(10**15)  #: cost of an entry that cannot be used (empty, or fixed as shown)
BIG = np.int64(10**9)  #: extra cost of a margin (a row of another published table)
HUGE = np.int64(10**12)  #: cost of the grand total


@dataclass
class Grid:
    """Mutable state of one extended table: ``n`` and ``codes`` are ``[T, A + 1, L + 1]``."""

    n: np.ndarray
    codes: np.ndarray
    cycled: np.ndarray  # entries known to lie on a cycle of hidden entries
    fixed_columns: bool = False
    checked: np.ndarray | None = None  # per theme: hidden count when last found free of cuts
    fit: np.ndarray | None = None  # entries whose hiding can protect something (cyclable)


def primary(n: np.ndarray, min_n: int) -> np.ndarray:
    """Code 1 where ``n < min_n`` (empty cells included), else 0."""
    return np.where(n < min_n, 1, 0).astype(np.int8)


def one_way(n: np.ndarray, codes: np.ndarray, total: np.ndarray, min_n: int, *,
            spread: bool, usable: np.ndarray | None = None, hide_total: bool = True) -> bool:
    """Rule 1 on lines ``n[t, :]`` (one line per theme) against their totals ``total[t]``.

    ``codes`` and ``total`` are updated in place; returns whether anything changed. A deficient
    line gets the cheapest shown entry that makes it safe (one with ``n`` at least the missing
    number of people; if none is big enough, the biggest). Cost is ``n``; with ``spread`` it is
    ``n × (1 + h)``, ``h`` the number of lines (themes) in which that entry (area) is already
    hidden, and lines are handled one at a time in theme order — so each theme an area loses
    makes it as dear again as it was at first, and one small area does not take a neighbour
    off most themes. Ties: smaller ``n``, then the first.
    A line without any candidate left hides its total instead (with ``hide_total``; else it
    is left to the exact check of the two-way tables).
    """
    filled = n > 0
    usable = filled if usable is None else usable & filled
    changed = False
    stuck = np.zeros(len(n), dtype=bool)
    while True:
        hid = filled & (codes > 0)
        count = hid.sum(axis=1)
        people = np.where(hid, n, 0).sum(axis=1)
        bad = (total == 0) & (count > 0) & ((count < 2) | (people < min_n)) & ~stuck
        if not bad.any():
            return changed
        changed = True
        lines = np.flatnonzero(bad)
        if spread:
            lines = lines[:1]
        cand = usable[lines] & (codes[lines] == 0)
        nn = n[lines]
        need = np.maximum(min_n - people[lines], 1)[:, None]
        suff = cand & (nn >= need)
        big = np.iinfo(np.int64).max
        if spread:
            times = (codes > 0).sum(axis=0)[None, :]
            cost = nn * (1 + times)
            key = np.where(suff, cost * (int(n.max()) + 1) + nn, big)
        else:
            key = np.where(suff, nn, big)
        pick = np.argmin(key, axis=1)
        fallback = np.argmax(np.where(cand, nn, -1), axis=1)
        has_suff = suff.any(axis=1)
        pick = np.where(has_suff, pick, fallback)
        has_cand = cand.any(axis=1)
        codes[lines[has_cand], pick[has_cand]] = 2
        if hide_total:
            total[lines[~has_cand]] = 2
        else:
            stuck[lines[~has_cand]] = True


def costs(grid: Grid) -> np.ndarray:
    """Cost of hiding each entry of ``grid`` (see the module docstring): the row totals and the
    grand total are fixed (decided by the areas' own table), the column totals too when
    ``grid.fixed_columns``."""
    k = grid.n.astype(np.int64)
    k[:, -1, :-1] = INF if grid.fixed_columns else k[:, -1, :-1] + BIG
    k[:, :, -1] = INF
    k = np.where(grid.codes > 0, 0, k)
    return np.where(grid.n > 0, k, INF)


def cyclable(k: np.ndarray) -> np.ndarray:
    """Usable entries (``k < INF``) that lie on some cycle of usable entries: the only ones
    whose hiding can protect anything (an entry on no such cycle equals a sum of shown ones).

    An entry ``(r, c)`` is on a cycle when another usable entry ``(r, c')`` of its row has a
    column linked to ``c`` through rows other than ``r`` (linked columns: closure over the
    pairs of columns that some row has usable entries in)."""
    usable = k < INF
    u = usable.astype(np.int64)
    links = np.einsum("trc,trd->tcd", u, u)  # rows that link columns c and d
    own = usable[:, :, :, None] & usable[:, :, None, :]
    linked = (links[:, None, :, :] - own) > 0  # [T, R, C, C]: without row r
    c = k.shape[2]
    for m in range(c):
        linked |= linked[:, :, :, m, None] & linked[:, :, None, m, :]
    other = usable[:, :, :, None] & ~np.eye(c, dtype=bool)[None, None]
    return usable & (other & linked).any(axis=2)


def _hops(k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cheapest and second-cheapest row linking each pair of columns: ``cost[t, a, b]`` and
    ``row[t, a, b]`` (cost of the two entries ``(row, a)`` and ``(row, b)``)."""
    t, r, c = k.shape
    best1 = np.full((t, c, c), INF)
    best2 = np.full((t, c, c), INF)
    arg1 = np.zeros((t, c, c), dtype=np.int64)
    arg2 = np.zeros((t, c, c), dtype=np.int64)
    rows = np.arange(r)
    for a in range(c):
        pair = np.minimum(k[:, :, a, None] + k, INF)  # [t, rows, c]
        i1 = np.argmin(pair, axis=1)
        v1 = np.take_along_axis(pair, i1[:, None, :], axis=1)[:, 0, :]
        masked = np.where(rows[None, :, None] == i1[:, None, :], INF, pair)
        i2 = np.argmin(masked, axis=1)
        v2 = np.take_along_axis(masked, i2[:, None, :], axis=1)[:, 0, :]
        best1[:, a], arg1[:, a], best2[:, a], arg2[:, a] = v1, i1, v2, i2
    diag = np.arange(c)
    for arr in (best1, best2):
        arr[:, diag, diag] = INF
    return best1, arg1, best2, arg2


def _closure(hop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All-pairs cheapest paths between columns (Floyd–Warshall over the last two axes) and the
    next column on each path."""
    c = hop.shape[-1]
    dist = hop.copy()
    diag = np.arange(c)
    dist[..., diag, diag] = 0
    nxt = np.broadcast_to(np.arange(c), dist.shape).copy()
    for m in range(c):
        alt = dist[..., :, m, None] + dist[..., None, m, :]
        better = alt < dist
        dist = np.where(better, np.minimum(alt, INF), dist)
        nxt = np.where(better, nxt[..., :, m, None], nxt)
    return dist, nxt


def _walk(nxt, via, start, end, theme, hide) -> None:
    """Collect the entries of the column paths ``start → end`` (per item) into ``hide``."""
    items = np.arange(len(start))
    cur = start.copy()
    for _ in range(nxt.shape[-1]):
        active = cur != end
        if not active.any():
            return
        i = items[active]
        step = nxt[i, cur[i], end[i]]
        row = via[i, cur[i], step]
        hide.append((theme[i], row, cur[i]))
        hide.append((theme[i], row, step))
        cur[i] = step


def _one_per_column(theme: np.ndarray, col: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Positions of the first item of each (theme, column) in ``order``."""
    _, first = np.unique(np.column_stack([theme[order], col[order]]), axis=0, return_index=True)
    return order[np.sort(first)]


def cycle_pass(grid: Grid) -> np.ndarray:
    """Rule 2: put hidden entries that are on no known cycle onto their cheapest cycle.

    Returns ``failed``: the entries for which no cycle exists.
    Entries of the row-total column are left to :func:`connect_pass`.
    """
    n, codes = grid.n, grid.codes
    need = (codes > 0) & (n > 0) & ~grid.cycled
    need[:, :, -1] = False
    failed = np.zeros(n.shape, dtype=bool)
    if not need.any():
        return failed
    k = costs(grid)
    best1, arg1, best2, arg2 = _hops(k)
    t, r, c = np.nonzero(need)
    exclude = arg1[t] == r[:, None, None]
    hop = np.where(exclude, best2[t], best1[t])
    via = np.where(exclude, arg2[t], arg1[t])
    dist, nxt = _closure(hop)
    items = np.arange(len(t))
    start = np.minimum(k[t, r, :], INF)
    start[items, c] = INF
    total = np.minimum(start + dist[items, :, c], INF)
    first = np.argmin(total, axis=1)
    cost = total[items, first]
    free = cost == 0
    grid.cycled[t[free], r[free], c[free]] = True
    failed[t[cost >= INF], r[cost >= INF], c[cost >= INF]] = True
    todo = np.flatnonzero((cost > 0) & (cost < INF))
    if not len(todo):
        return failed
    order = todo[np.lexsort((todo, n[t[todo], r[todo], c[todo]], t[todo]))]
    todo = _one_per_column(t, c, order)
    hide = [(t[todo], r[todo], c[todo]), (t[todo], r[todo], first[todo])]
    _walk(nxt[todo], via[todo], first[todo], c[todo], t[todo], hide)
    _hide(grid, hide)
    return failed


def _hide(grid: Grid, hide: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> None:
    tt = np.concatenate([h[0] for h in hide])
    rr = np.concatenate([h[1] for h in hide])
    cc = np.concatenate([h[2] for h in hide])
    current = grid.codes[tt, rr, cc]
    grid.codes[tt, rr, cc] = np.where(current == 0, 2, current)
    grid.cycled[tt, rr, cc] = True


def _components(edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Connected-component labels of the bipartite graph ``edges[t, row, col]``: row labels and
    column labels (the smallest row index reachable, or ``rows + col`` for lone columns)."""
    t, r, c = edges.shape
    rows = np.broadcast_to(np.arange(r), (t, r)).copy()
    cols = np.broadcast_to(r + np.arange(c), (t, c)).copy()
    big = r + c
    while True:
        new_cols = np.minimum(cols, np.where(edges, rows[:, :, None], big).min(axis=1))
        new_rows = np.minimum(rows, np.where(edges, new_cols[:, None, :], big).min(axis=2))
        if np.array_equal(new_rows, rows) and np.array_equal(new_cols, cols):
            return rows, cols
        rows, cols = new_rows, new_cols


def connect_pass(grid: Grid) -> np.ndarray:
    """Rule 3: connect every row whose total is hidden to the first such row of its theme,
    through hidden entries outside the row-total column (cheapest path). Returns the rows
    that cannot be connected (``[T, A + 1]``)."""
    n, codes = grid.n, grid.codes
    hidden_total = (codes[:, :, -1] > 0) & (n[:, :, -1] > 0)
    failed = np.zeros(hidden_total.shape, dtype=bool)
    if not hidden_total.any():
        return failed
    edges = (codes[:, :, :-1] > 0) & (n[:, :, :-1] > 0)
    row_lab, col_lab = _components(edges)
    first = np.argmax(hidden_total, axis=1)
    target = row_lab[np.arange(len(first)), first]
    loose = hidden_total & (row_lab != target[:, None])
    # one row per loose component: the first of its label
    t, x = np.nonzero(loose)
    if not len(t):
        grid.cycled[:, :, -1] |= hidden_total
        return failed
    _, keep = np.unique(np.column_stack([t, row_lab[t, x]]), axis=0, return_index=True)
    t, x = t[keep], x[keep]
    k = costs(grid)[:, :, :-1]
    best1, arg1, _, _ = _hops(k)
    dist, nxt = _closure(best1)
    in_target_row = row_lab == target[:, None]
    in_target_col = col_lab == target[:, None]
    into_target = np.where(in_target_row[:, :, None] & grid.fit[:, :, :-1], k, INF)
    end_row = np.argmin(into_target, axis=1)  # [T, L]
    end_cost = np.take_along_axis(into_target, end_row[:, None, :], axis=1)[:, 0, :]
    end_cost = np.where(in_target_col, 0, np.minimum(end_cost, INF))
    start = k[t, x, :]  # [E, L]
    total = np.minimum(start[:, :, None] + dist[t] + end_cost[t][:, None, :], INF)
    flat = np.argmin(total.reshape(len(t), -1), axis=1)
    a, b = np.divmod(flat, total.shape[-1])
    cost = total.reshape(len(t), -1)[np.arange(len(t)), flat]
    ok = cost < INF
    failed[t[~ok], x[~ok]] = True
    t, x, a, b = t[ok], x[ok], a[ok], b[ok]
    if not len(t):
        return failed
    hide = [(t, x, a)]
    via = np.broadcast_to(arg1[t], (len(t), *arg1.shape[1:]))
    _walk(nxt[t], via, a, b, t, hide)
    finish = ~in_target_col[t, b]
    hide.append((t[finish], end_row[t[finish], b[finish]], b[finish]))
    _hide(grid, hide)
    return failed


def line_pass(grid: Grid, min_n: int) -> None:
    """Rule 4 for the inner rows and columns (whose totals are the margins): hidden inner
    cells of a line with a shown total hold at least ``min_n`` people or none."""
    n = grid.n[:, :-1, :-1]
    codes = grid.codes[:, :-1, :-1]
    full = costs(grid)
    k = full[:, :-1, :-1]
    fit = grid.fit[:, :-1, :-1]
    for axis, total_codes in ((2, grid.codes[:, :-1, -1]), (1, grid.codes[:, -1, :-1])):
        hid = (codes > 0) & (n > 0)
        count = hid.sum(axis=axis)
        people = np.where(hid, n, 0).sum(axis=axis)
        bad = (total_codes == 0) & (count > 0) & ((count < 2) | (people < min_n))
        if not bad.any():
            continue
        need = np.expand_dims(np.maximum(min_n - people, 1), axis)
        cand = (codes == 0) & fit & np.expand_dims(bad, axis)
        suff = cand & (n >= need)
        key = np.where(suff, k, INF)
        pick = np.argmin(key, axis=axis)
        fallback = np.argmax(np.where(cand, n, -1), axis=axis)
        use = np.where(suff.any(axis=axis), pick, fallback)
        ok = bad & cand.any(axis=axis)
        t, i = np.nonzero(ok)
        j = use[t, i]
        if axis == 2:
            codes[t, i, j] = 2
        else:
            codes[t, j, i] = 2


def extended(cells: np.ndarray) -> np.ndarray:
    """``[T, A, L]`` cell counts → ``[T, A + 1, L + 1]`` with column totals, row totals and
    the grand total."""
    t, a, m = cells.shape
    out = np.zeros((t, a + 1, m + 1), dtype=np.int64)
    out[:, :a, :m] = cells
    out[:, a, :m] = cells.sum(axis=1)
    out[:, :a, m] = cells.sum(axis=2)
    out[:, a, m] = cells.sum(axis=(1, 2))
    return out




# --- rule 5: no small union of hidden cells is a combination of the published lines ---------
#
# A union T of hidden inner cells is determined exactly when there is a set S of lines (rows and
# columns of the extended table) such that no hidden margin and no hidden cell crosses S in the
# "wrong" direction (a hidden cell whose column is in S but whose row is not) and T is the set
# of hidden cells whose row is in S but whose column is not: then Σ rows in S − Σ columns in S
# adds up to T. (Potentials on the lines that change by 0 or 1 along each hidden cell describe
# every determined 0/1 combination, and each splits into such threshold sets.) Hidden margins
# and hidden cells of at least ``min_n`` people can never be part of a small T, so their lines
# are merged; what is left is a small directed graph, searched exhaustively.

ENUMERATE = 14  #: up to 2**14 sets of columns are enumerated; beyond, maximum flows decide


def cut_pass(grid: Grid, min_n: int) -> np.ndarray:
    """Rule 5: find, per theme, a determined union of hidden cells with fewer than ``min_n``
    people and hide the cheapest entry that breaks it. Returns themes that could not be mended."""
    n, codes = grid.n, grid.codes
    t_count, r_count, c_count = n.shape
    hid = (codes > 0) & (n > 0)
    inner = np.zeros((r_count, c_count), dtype=bool)
    inner[:-1, :-1] = True
    small = hid & inner & (n < min_n)
    count = hid.sum(axis=(1, 2))
    if grid.checked is None:
        grid.checked = np.full(t_count, -1)
    themes = np.flatnonzero(small.any(axis=(1, 2)) & (grid.checked != count))
    failed = np.zeros(t_count, dtype=bool)
    if not len(themes):
        return failed
    row_lab, col_lab = _components((hid & ~small)[themes])
    k = costs(grid)
    fit = grid.fit
    for i, t in enumerate(themes):
        found = _small_union(n[t], small[t], row_lab[i], col_lab[i], min_n)
        if found is None:
            grid.checked[t] = count[t]
            continue
        in_rows, in_cols, cut = found
        cross = in_rows[:, None] != in_cols[None, :]
        reverse = in_cols[None, :] & ~in_rows[:, None]
        forward = in_rows[:, None] & ~in_cols[None, :]
        big_enough = ~inner | (n[t] >= min_n)
        breaks = (cross & big_enough) | (inner & reverse) | (inner & forward & (cut + n[t] >= min_n))
        cand = breaks & fit[t] & (codes[t] == 0)
        if not cand.any():
            failed[t] = True
            continue
        flat = int(np.argmin(np.where(cand, k[t], INF)))
        codes[t].flat[flat] = 2
    return failed


def _small_union(n, small, row_lab, col_lab, min_n):
    """A determined union of small hidden cells with fewer than ``min_n`` people, as the line
    set S (rows in S, columns in S, people in the union), or None.

    The merged line groups form a digraph whose arcs (small hidden cells) all end in a group
    holding a column; S must contain every tail of an arc that ends in S. So S is fixed by the
    set K of arc heads it holds (closed: no arc from a head outside K into K) plus, optionally,
    groups that no arc enters; its union is the arcs leaving S. Every K is tried.
    """
    r, c = np.nonzero(small)
    tail, head = row_lab[r], col_lab[c]
    keep = tail != head
    if not keep.any():
        return None
    tail, head, w = tail[keep], head[keep], n[r[keep], c[keep]]
    heads = np.unique(head)
    if len(heads) > ENUMERATE:
        return _flow_union(tail, head, w, row_lab, col_lab, min_n)
    hi = np.searchsorted(heads, head)
    t_is_head = np.isin(tail, heads)
    ti = np.where(t_is_head, np.searchsorted(heads, tail), 0)
    src = ~t_is_head
    sources, si = np.unique(np.where(src, tail, -1), return_inverse=True)
    masks = ((np.arange(2 ** len(heads))[:, None] >> np.arange(len(heads))) & 1).astype(bool)
    head_in = masks[:, hi]  # [K, arcs]
    tail_head_in = t_is_head[None, :] & masks[:, ti]
    closed = ~(t_is_head[None, :] & ~tail_head_in & head_in).any(axis=1)
    reach = np.zeros(len(sources), dtype=np.int64)  # per source: the heads it has arcs into
    np.bitwise_or.at(reach, si[src], np.left_shift(1, hi[src]))
    source_in = (np.arange(len(masks))[:, None] & reach[None, :]) != 0  # pulled into S
    tail_in = tail_head_in | (src[None, :] & source_in[:, si])
    cut = ((tail_in & ~head_in) * w).sum(axis=1)
    out = np.zeros(len(sources), dtype=np.int64)
    np.add.at(out, si[src], w[src])
    never = source_in | (sources[None, :] == -1)
    spare = np.where(never, np.iinfo(np.int64).max, out[None, :])
    extra = spare.min(axis=1)  # the cheapest source S could take on top (no arc into K)
    bad = closed & (((cut > 0) & (cut < min_n)) | ((cut == 0) & (extra < min_n)))
    if not bad.any():
        return None
    k = int(np.flatnonzero(bad)[0])
    members = set(heads[masks[k]].tolist()) | set(sources[source_in[k]].tolist())
    size = int(cut[k])
    if size == 0:
        pick = int(np.argmin(spare[k]))
        members.add(int(sources[pick]))
        size = int(out[pick])
    members.discard(-1)
    chosen = list(members)
    return np.isin(row_lab, chosen), np.isin(col_lab, chosen), size


def _flow_union(tail, head, w, row_lab, col_lab, min_n):
    """:func:`_small_union` by maximum flows, for tables with very many columns."""
    nodes, idx = np.unique(np.concatenate([tail, head]), return_inverse=True)
    found = _flow_cut(len(nodes), idx[: len(tail)], idx[len(tail):], w, min_n)
    if found is None:
        return None
    chosen = nodes[found[0]].tolist()
    return np.isin(row_lab, chosen), np.isin(col_lab, chosen), found[1]


def _flow_cut(size, au, av, w, min_n):
    """The search of :func:`_small_union` for bigger digraphs, by maximum flows between one
    root per connected part of the graph and each other node of that part, either way (every
    up-set that cuts a part separates its root from some node of it; an up-set that is a whole
    part cuts nothing and is found as a part); returns the first cut below ``min_n`` found, or
    None. Slow on very big tables (thousands of areas)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import breadth_first_order, connected_components, maximum_flow

    cap = np.zeros((size, size), dtype=np.int64)
    np.add.at(cap, (au, av), w)
    cap[av, au] = 2**30  # a cell's column in S forces its row into S
    cap = np.minimum(cap, 2**30).astype(np.int32)
    graph = csr_matrix(cap)
    _, part = connected_components(graph, directed=True, connection="weak")
    roots = np.unique(part, return_index=True)[1]  # the first node of each part
    pairs = [(root, other) for root in roots for other in np.flatnonzero(part == part[root])
             if other != root]
    for root, other in pairs:
        for source, sink in ((root, other), (other, root)):
            flow = maximum_flow(graph, source, sink)
            if 0 < flow.flow_value < min_n:  # the first one found will do: it is mended
                residual = csr_matrix(cap - flow.flow.toarray())
                residual.data = np.where(residual.data > 0, 1, 0)
                residual.eliminate_zeros()
                reach = breadth_first_order(residual, source, return_predecessors=False)
                return np.sort(reach), int(flow.flow_value)
    return None


# --- drivers -------------------------------------------------------------------------------


def line_codes(n: np.ndarray, min_n: int, *, spread: bool = True,
               total: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Codes of a one-way table ``n[t, a]`` and of its totals (``total``: their codes when
    decided elsewhere, else from the primary rule)."""
    n = np.asarray(n, dtype=np.int64)
    codes = primary(n, min_n)
    total_codes = (primary(n.sum(axis=1), min_n) if total is None
                   else np.asarray(total, dtype=np.int8).copy())
    one_way(n, codes, total_codes, min_n, spread=spread)
    return codes, total_codes


def grid_codes(cells: np.ndarray, row_codes: np.ndarray, total_codes: np.ndarray, min_n: int,
               *, spread: bool = True, hidden: np.ndarray | None = None,
               column_codes: np.ndarray | None = None,
               hidden_columns: np.ndarray | None = None,
               max_passes: int = 100_000) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the cells ``[T, A, L]`` and of the column totals ``[T, L]`` of area × group
    tables whose row totals (the areas) and grand total have the codes ``row_codes`` and
    ``total_codes`` (fixed). ``hidden``: cells to hide from the start. ``column_codes``: fixed
    codes of the column totals (then they are never changed, and a theme whose cells cannot be
    protected otherwise has all its cells hidden). ``hidden_columns``: column totals to hide
    from the start (not with ``column_codes``).
    """
    codes, columns, _ = _solve(cells, row_codes, total_codes, min_n, spread=spread,
                               hidden=hidden, column_codes=column_codes,
                               hidden_columns=hidden_columns, max_passes=max_passes)
    return codes, columns


def pair_codes(cells: np.ndarray, row_codes: np.ndarray, column_codes: np.ndarray,
               total_codes: np.ndarray, min_n: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the cells ``[T, R, C]`` of a two-way table whose margins are published by other
    tables (e.g. age × gender), and the codes of its column totals.

    First both margins are kept as given. Where a theme's hidden cells cannot be protected by
    cells alone (no cycle), the theme is solved again with its column totals hideable (cost
    ``BIG + n``, as a group's own figures in an area × group table): a hidden cell is then put
    on a cycle through two column totals. The caller must hide the returned column totals in
    every other table that publishes them (and solve this table again with them)."""
    out, columns, stuck = _solve(cells, row_codes, total_codes, min_n, spread=True,
                                 column_codes=column_codes, give_up=True)
    if not stuck.any():
        return out, columns
    t = np.flatnonzero(stuck)
    sub, sub_columns, still = _solve(
        np.asarray(cells)[t], np.asarray(row_codes)[t], np.asarray(total_codes)[t], min_n,
        spread=True, hidden_columns=np.asarray(column_codes)[t] > 0, give_up=True)
    ok = t[~still]
    out[ok] = sub[~still]
    columns = columns.copy()
    columns[ok] = sub_columns[~still]
    return out, columns


def _solve(cells, row_codes, total_codes, min_n, *, spread, hidden=None, column_codes=None,
           hidden_columns=None, give_up=False, max_passes=100_000):
    """:func:`grid_codes`, also returning the themes whose cells could not be protected (all
    their cells hidden; possible with fixed column totals, or with ``give_up``)."""
    n = extended(np.asarray(cells, dtype=np.int64))
    codes = primary(n, min_n)
    codes[:, :-1, -1] = row_codes
    codes[:, -1, -1] = total_codes
    fixed = column_codes is not None
    if fixed:
        codes[:, -1, :-1] = column_codes
    elif hidden_columns is not None:
        start = np.asarray(hidden_columns, dtype=bool) & (codes[:, -1, :-1] == 0)
        codes[:, -1, :-1][start] = 2
    if hidden is not None:
        start = np.asarray(hidden, dtype=bool) & (codes[:, :-1, :-1] == 0)
        codes[:, :-1, :-1][start] = 2
    grid = Grid(n, codes, np.zeros(n.shape, dtype=bool), fixed_columns=fixed)
    stuck_themes = np.zeros(len(n), dtype=bool)
    grid.fit = cyclable(costs(grid))  # the usable entries never change: codes only grow
    stuck = (codes > 0) & (n > 0) & ~grid.fit
    stuck[:, :, -1] = False  # hidden area figures are connected, not cycled (rule 3)
    if stuck.any():
        stuck_themes |= _give_up(grid, stuck, fixed or give_up)
    for _ in range(max_passes):
        before = _snapshot(grid)
        if not fixed:
            one_way(n[:, -1, :-1], codes[:, -1, :-1], codes[:, -1, -1], min_n, spread=spread,
                    usable=grid.fit[:, -1, :-1], hide_total=False)
        for step in (cycle_pass, connect_pass):
            failed = step(grid)
            if failed.any():
                stuck_themes |= _give_up(grid, failed, fixed or give_up)
        line_pass(grid, min_n)
        if _snapshot(grid) == before:
            failed = cut_pass(grid, min_n)
            if failed.any():
                stuck_themes |= _give_up(grid, failed, fixed or give_up)
            if _snapshot(grid) == before:
                break
    else:  # pragma: no cover - the hidden set only grows, so this cannot loop for ever
        raise RuntimeError("secondary suppression did not converge")
    if (grid.codes[:, :-1, -1] != row_codes).any() or (grid.codes[:, -1, -1] != total_codes).any():
        raise RuntimeError("secondary suppression changed a fixed margin")  # pragma: no cover
    return codes[:, :-1, :-1].copy(), codes[:, -1, :-1].copy(), stuck_themes


def _snapshot(grid: Grid) -> tuple[int, int]:
    """Numbers of hidden entries and of entries known to be on cycles: they only grow."""
    return int((grid.codes > 0).sum()), int(grid.cycled.sum())


def _give_up(grid: Grid, failed: np.ndarray, fixed: bool) -> np.ndarray:
    """Hide every non-empty cell of the themes where a hidden entry cannot be protected. Only
    possible when the column totals are fixed too; otherwise a column total always helps."""
    if not fixed:  # pragma: no cover - a bug, not bad input
        raise RuntimeError("secondary suppression found no complement for a hidden cell")
    themes = failed.reshape(len(failed), -1).any(axis=1)
    inner = grid.codes[:, :-1, :-1]
    add = themes[:, None, None] & (grid.n[:, :-1, :-1] > 0) & (inner == 0)
    inner[add] = 2
    grid.cycled[themes] = True
    if grid.checked is not None:
        grid.checked[themes] = -2
    return themes


# --- linked area × group tables: an exact check on their combined equations -----------------

def linked_grids(fine: np.ndarray, row_codes: np.ndarray, total_codes: np.ndarray, min_n: int,
                 *, spread: bool = True, hidden_columns: np.ndarray | None = None,
                 pair: np.ndarray | None = None, max_rounds: int = 10_000) -> tuple[np.ndarray, ...]:
    """Codes of two area × group tables that share their rows (the areas' figures): the cells
    ``[T, A, L]`` and column totals ``[T, L]`` of the first group, and likewise ``[T, A, G]``
    and ``[T, G]`` of the second, from the finest counts ``fine[T, A, L, G]``.

    Each table is first protected alone (:func:`grid_codes`). The two together are then checked
    exactly, in integer arithmetic (:mod:`soslokal_lib._exact`, no floating point): the
    unknowns are the non-empty finest cells, the published equations every shown area figure,
    cell and group figure of both tables and the grand total; a hidden entry, or a
    union of two hidden entries with fewer than ``min_n`` people, that is a combination of the
    published equations is broken by hiding one more entry (among the shown cells and group
    figures the combination needs, the cheapest that breaks it: a cell costs ``n``, a group
    figure ``BIG + n``; ties by table and position), after which both tables are
    protected alone again. Repeated until the check finds nothing. ``hidden_columns``: column
    totals of the second table to hide from the start. ``pair``: codes ``[T, L, G]`` of a
    published group × group table (its shown cells are published equations too, its hidden
    non-empty cells are checked as well; they are not changed here)."""
    fine = np.asarray(fine, dtype=np.int64)
    one_n, two_n = fine.sum(axis=3), fine.sum(axis=2)
    hid_one = np.zeros(one_n.shape, dtype=bool)
    hid_two = np.zeros(two_n.shape, dtype=bool)
    cols_one = np.zeros(one_n[:, 0].shape, dtype=bool)
    cols_two = np.zeros(two_n[:, 0].shape, dtype=bool)
    if hidden_columns is not None:
        cols_two |= np.asarray(hidden_columns, dtype=bool)
    for _ in range(max_rounds):
        # an entry the check hides may lie on no cycle of its table: then that theme has
        # all its cells hidden (give_up), and the check goes on from there
        one, one_cols, _ = _solve(one_n, row_codes, total_codes, min_n, spread=spread,
                                  hidden=hid_one, hidden_columns=cols_one, give_up=True)
        two, two_cols, _ = _solve(two_n, row_codes, total_codes, min_n, spread=spread,
                                  hidden=hid_two, hidden_columns=cols_two, give_up=True)
        changed = False
        for t in range(len(fine)):
            found = _linked_break(fine[t], row_codes[t], total_codes[t], one[t], one_cols[t],
                                  two[t], two_cols[t], min_n,
                                  None if pair is None else pair[t])
            if found is None:
                continue
            which, a, j = found
            if which < 2:
                (hid_one if which == 0 else hid_two)[t, a, j] = True
            else:
                (cols_one if which == 2 else cols_two)[t, j] = True
            changed = True
        if not changed:
            return one, one_cols, two, two_cols
    raise RuntimeError("linked suppression did not converge")  # pragma: no cover


def _linked_break(fine, rows, total, one, one_cols, two, two_cols, min_n, pair=None):
    """The entry to hide next in one theme of :func:`linked_grids` as ``(table, area,
    level)`` (table 0, 1: a cell of the first or second table; 2, 3: a group figure), or None
    when no hidden entry, small union or tiny finest cell is determined (decided exactly)."""
    cells = np.argwhere(fine > 0)
    if not len(cells):
        return None
    a, lv, g = cells.T
    n_a, n_l, n_g = fine.shape
    eq, hidden, size, key = [], [], [], []  # key: (table, area, level) of inner cells, else None
    def add(vec, code, people, k=None):
        if vec.any():
            eq.append(vec)
            hidden.append(code > 0)
            size.append(people)
            key.append(k)
    add(np.ones(len(cells), dtype=bool), total, int(fine.sum()))
    for i in range(n_a):
        add(a == i, rows[i], int(fine[i].sum()))
    for i in range(n_a):
        for j in range(n_l):
            add((a == i) & (lv == j), one[i, j], int(fine[i, j].sum()), (0, i, j))
        for j in range(n_g):
            add((a == i) & (g == j), two[i, j], int(fine[i, :, j].sum()), (1, i, j))
    for j in range(n_l):
        add(lv == j, one_cols[j], int(fine[:, j].sum()), (2, 0, j))
    for j in range(n_g):
        add(g == j, two_cols[j], int(fine[:, :, j].sum()), (3, 0, j))
    if pair is not None:
        for j in range(n_l):
            for m in range(n_g):
                add((lv == j) & (g == m), pair[j, m], int(fine[:, j, m].sum()), (4, j, m))
    eq = np.array(eq, dtype=np.int64)
    hidden = np.array(hidden)
    size = np.array(size)
    if not hidden.any() and not (fine[a, lv, g] < min_n).any():
        return None
    shown = np.flatnonzero(~hidden)
    queries = [eq[i] for i in np.flatnonzero(hidden)]
    small = [i for i in np.flatnonzero(hidden) if size[i] < min_n and key[i] is not None
             and key[i][0] in (0, 1, 4)]
    for x, y in ((x, y) for p, x in enumerate(small) for y in small[p + 1:]):
        if size[x] + size[y] < min_n and not (eq[x] * eq[y]).any():
            queries.append(eq[x] + eq[y])
    tiny = fine[a, lv, g] < min_n  # finest cells below min_n (area × first × second group)
    queries += list(np.eye(len(cells), dtype=np.int64)[tiny])
    published = eq[shown]
    if not len(published):
        return None
    bad = np.flatnonzero(_exact.in_row_space(published, np.array(queries)))
    if not len(bad):
        return None
    need, used = _needed(published, queries[bad[0]])
    cand = sorted((int(size[s]) + (int(BIG) if key[s][0] >= 2 else 0), key[s], bool(need[i]))
                  for i, s in enumerate(shown)
                  if key[s] is not None and key[s][0] < 4 and used[i])
    # the cheapest entry that breaks it; if none does alone (it follows in more than one way),
    # the cheapest entry of its minimum-norm combination, and look again
    return next((k for _, k, alone in cand if alone), cand[0][1] if cand else None)


def _needed(published: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Published rows that every combination giving ``q`` uses (hiding one makes ``q``
    undetermined), and those its minimum-norm combination uses; found modulo each of
    :data:`_exact.PRIMES` (a row counts if one prime says so)."""
    need = np.zeros(len(published), dtype=bool)
    used = need.copy()
    for p in _exact.PRIMES:
        ok, x, null = _exact.solve(published, q[None], p)
        if not ok[0]:  # pragma: no cover - the prime divides a minor
            continue
        need |= (x[0] != 0) & ~null.any(axis=0)  # in every x + null combination
        # minimum norm: orthogonal to the left null space (unique unless p is unlucky)
        zero = np.zeros(len(null), dtype=np.int64)
        ok, x, more = _exact.solve(np.hstack([published, null.T]),
                                   np.concatenate([q, zero])[None], p)
        if ok[0] and not len(more):
            used |= x[0] != 0
    return need, used | need
