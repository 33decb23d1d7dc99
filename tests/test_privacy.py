"""Tests for soslokal_lib.privacy: primary/secondary suppression, checks and safe text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import SoslokalError, privacy
from soslokal_lib.privacy import (
    check_no_small_cells,
    protect_frame,
    protect_text,
    suppress,
    suppression_codes,
)


def codes(n, theme=None, total=None, min_n=5, secondary=True):
    n = np.asarray(n)
    theme = np.zeros(len(n), int) if theme is None else np.asarray(theme)
    total = np.zeros(len(n), bool) if total is None else np.asarray(total)
    return suppression_codes(n, theme, total, min_n, secondary=secondary).tolist()


def test_single_small_cell_pulls_in_next_smallest():
    #        a  b  c   d  total
    assert codes([3, 6, 8, 20, 37], total=[0, 0, 0, 0, 1]) == [1, 2, 0, 0, 0]


def test_two_small_cells_need_nothing_more():
    assert codes([3, 2, 8, 20, 33], total=[0, 0, 0, 0, 1]) == [1, 1, 0, 0, 0]


def test_no_secondary_without_total():
    assert codes([3, 6, 8, 20]) == [1, 0, 0, 0]
    assert codes([3, 6, 8, 20, 37], total=[0, 0, 0, 0, 1], secondary=False) == [1, 0, 0, 0, 0]


def test_empty_cells_neither_count_nor_are_chosen():
    assert codes([0, 3, 10, 12, 25], total=[0, 0, 0, 0, 1]) == [1, 1, 2, 0, 0]


def test_ties_take_the_first_in_table_order():
    assert codes([2, 7, 7, 9], total=[0, 0, 0, 1]) == [1, 2, 0, 0]


def test_vectorised_over_themes():
    n = [3, 6, 9, 18, 6, 7, 9, 22, 0, 12, 1, 13]
    theme = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    total = [0, 0, 0, 1] * 3
    assert codes(n, theme, total) == [1, 2, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0]


def test_total_is_hidden_when_no_sibling_is_left():
    # The only sibling with data is small but the total holds more (e.g. unassigned people).
    assert codes([3, 0, 10], total=[0, 0, 1]) == [1, 1, 2]
    # A small total is suppressed by the primary rule already.
    assert codes([3, 0, 3], total=[0, 0, 1]) == [1, 1, 1]


def test_min_n_one_suppresses_only_empty_cells():
    assert codes([0, 1, 2, 3], total=[0, 0, 0, 1], min_n=1) == [1, 0, 0, 0]


@pytest.mark.parametrize("min_n", [0, -1, 2.5, True, "5"])
def test_bad_min_n(min_n):
    with pytest.raises(SoslokalError, match="min_n.*Fix"):
        suppression_codes(np.array([1]), np.array([0]), np.array([False]), min_n)


def small_table() -> pd.DataFrame:
    return pd.DataFrame({
        "area_id": ["a", "b", "c", "total"],
        "theme": ["feeling_safe"] * 4,
        "n": [3, 6, 8, 17],
        "n_eff": [3.0, 6.0, 8.0, 17.0],
        "mean": [2.0, 4.0, 5.0, 4.1],
        "median": [2.0, 4.0, 5.0, 4.0],
        "share_low": [0.5, 0.2, 0.1, 0.2],
        "note": ["x", "y", "z", "w"],
    })


def test_suppress_blanks_statistics_and_keeps_n():
    table = small_table()
    before = table.copy()
    out = suppress(table, by="area_id", min_n=5)
    pd.testing.assert_frame_equal(table, before)  # input untouched
    assert out["n"].tolist() == [3, 6, 8, 17]
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert out["suppression"].astype(object).where(out["suppression"].notna(), None).tolist() \
        == ["primary", "secondary", None, None]
    assert out.loc[:1, ["n_eff", "mean", "median", "share_low"]].isna().all().all()
    assert out.loc[2:, "mean"].tolist() == [5.0, 4.1]
    assert out["note"].tolist() == ["x", "y", "z", "w"]
    check_no_small_cells(out, 5)


def test_suppress_without_total_rows_is_primary_only():
    table = small_table().iloc[:3]
    out = suppress(table, by="area_id", min_n=5)
    assert out["suppressed"].tolist() == [True, False, False]


def test_suppress_needs_columns():
    with pytest.raises(SoslokalError, match="lacks columns"):
        suppress(small_table().drop(columns="n"), by="area_id")


def test_check_no_small_cells_raises_on_leaks():
    with pytest.raises(SoslokalError, match="fewer than 5.*area_id='a'.*Fix"):
        check_no_small_cells(small_table(), 5)
    out = suppress(small_table(), by="area_id", min_n=5)
    leaked = out.assign(suppressed=False)
    with pytest.raises(SoslokalError, match="fewer than 5"):
        check_no_small_cells(leaked, 5)
    with pytest.raises(SoslokalError, match="'n' column"):
        check_no_small_cells(out.drop(columns="n"), 5)
    check_no_small_cells(small_table(), 3)
    with pytest.raises(SoslokalError, match="and 1 more"):
        check_no_small_cells(small_table(), 7, columns=["mean"])


def test_protect_text():
    values = ["=SUM(A1:A9)", "+47 99", "-1", "@cmd", "\tx", "\rx", "fint sted", "", None]
    series = pd.Series(values, dtype="string")
    out = protect_text(series)
    assert out.iloc[:6].tolist() == ["'=SUM(A1:A9)", "'+47 99", "'-1", "'@cmd", "'\tx", "'\rx"]
    assert out.iloc[6] == "fint sted" and out.iloc[7] == "" and pd.isna(out.iloc[8])
    assert series.iloc[0] == "=SUM(A1:A9)"  # input untouched
    mixed = pd.Series(["=1+1", 3, None, "ok"], dtype=object)
    assert protect_text(mixed).tolist() == ["'=1+1", 3, None, "ok"]
    numbers = pd.Series([-1.0, 2.0])
    pd.testing.assert_series_equal(protect_text(numbers), numbers)
    cat = pd.Series(pd.Categorical(["=A1", "b", "=A1"]))
    assert protect_text(cat).astype(str).tolist() == ["'=A1", "b", "'=A1"]


def test_protect_frame():
    frame = pd.DataFrame({"text": ["@x", "ok"], "n": [1, 2]},
                         index=pd.Index(["=a", "b"], name="id"))
    out = protect_frame(frame)
    assert out["text"].tolist() == ["'@x", "ok"]
    assert out["n"].tolist() == [1, 2]
    assert out.index.tolist() == ["'=a", "b"] and out.index.name == "id"
    assert frame.index.tolist() == ["=a", "b"]
    headed = protect_frame(pd.DataFrame({"=cmd|' /C calc'!A0": [1], "-": [2], "ok": [3]}))
    assert list(headed.columns) == ["'=cmd|' /C calc'!A0", "'-", "ok"]
    assert headed.to_numpy().tolist() == [[1, 2, 3]]


def test_constants():
    assert privacy.TOTAL == "total"
    assert "mean" in privacy.STATISTIC_COLUMNS and "n" not in privacy.STATISTIC_COLUMNS


# ---------------------------------------------------------------- two-way tables


def grid(n, hidden=None, min_n=5, themes=1):
    """Codes of a rows × columns table (one theme or ``themes`` stacked), as a nested list."""
    n = np.asarray(n)
    rows, cols = n.shape[-2:]
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    flat_r = np.tile(r.ravel(), themes)
    flat_c = np.tile(c.ravel(), themes)
    theme = np.repeat(np.arange(themes), rows * cols)
    h = None if hidden is None else np.asarray(hidden, bool).ravel()
    out = privacy.grid_suppression_codes(n.ravel(), flat_r, flat_c, theme, min_n, hidden=h)
    return out.reshape(n.shape).tolist()


def _lines_safe(n, codes):
    n, hid = np.asarray(n), np.asarray(codes) > 0
    for axis in (0, 1):
        per_line = ((n > 0) & hid).sum(axis=axis)
        assert not (per_line == 1).any(), (axis, per_line)


def test_grid_protects_rows_and_columns():
    #      15–29 30–44 45–64 65+
    n = [[2, 8, 9, 12],    # area A: one small cell
         [6, 7, 11, 10],   # area B
         [9, 6, 8, 20]]    # area C
    out = grid(n)
    # Column 15–29 hides B's 6; row B then its 7; A's 8 mends row A and column 30–44 at once.
    assert out == [[1, 2, 0, 0], [2, 2, 0, 0], [0, 0, 0, 0]]
    _lines_safe(n, out)
    # A one-way rule (rows only) would leave column 15–29 with a single hidden cell.
    rows_only = [codes(row + [sum(row)], total=[0, 0, 0, 0, 1])[:-1] for row in n]
    assert rows_only[0] == [1, 2, 0, 0] and rows_only[1][0] == 0 == rows_only[2][0]


def test_grid_hidden_rows_and_sole_cells():
    # Area B's cells are hidden from the start: a second row (A, the first of the cheapest)
    # pairs with it in every column, so each hidden cell lies on a cycle of hidden cells.
    n = [[7, 8, 9], [6, 6, 7], [9, 10, 8]]
    out = grid(n, hidden=[[0, 0, 0], [1, 1, 1], [0, 0, 0]])
    assert out == [[2, 2, 2], [2, 2, 2], [0, 0, 0]]
    _lines_safe(n, out)
    # A cell alone in its row equals the row total, so it is never picked to hide another:
    # B's 6 stays; column 1 hides A's 9 and C's 7 instead.
    n = [[3, 9], [0, 6], [8, 7]]
    out = grid(n)
    assert out == [[1, 2], [1, 0], [2, 2]]  # the empty cell is primary but no sibling
    _lines_safe(n, out)


def test_grid_leak_of_issue_19_is_closed():
    """A = 2 women + 6 men, B = 6 women, C = 8 women, D = 6 men: the kommune's 16 women minus
    B and C gave A's two women. Every hidden cell must now lie on a cycle of hidden cells."""
    n = np.array([[2, 6], [6, 0], [8, 0], [0, 6]])
    codes = privacy.linked_codes(n.sum(axis=1)[None], [n[None]], 5)
    cells, women_men = codes.cells[0][0], codes.columns[0][0]
    assert cells[0, 0] == 1 and cells[0, 1] == 2  # A's women (primary) and men
    # B and C are all women: their cells equal their (shown) area figures and cannot help,
    # so the kommune figures for women and men are hidden instead
    assert (cells[1:3, 0] == 0).all() and (women_men == 2).all()
    assert codes.rows[0].tolist() == [0, 0, 0, 0] and codes.total[0] == 0


def test_one_way_union_must_reach_min_n():
    # Two small areas (2 + 2 < 5) are not enough: a third joins them.
    assert codes([2, 2, 10, 10, 24], total=[0, 0, 0, 0, 1]) == [1, 1, 2, 0, 0]
    # 7 + 7 + [1…7]: A and B hold 2 people together, so C is hidden too.
    assert codes([1, 1, 7, 9], total=[0, 0, 0, 1]) == [1, 1, 2, 0]
    # The complement is the smallest area that makes the pair safe, not simply the smallest.
    assert codes([3, 1, 2, 8, 20, 34], total=[0, 0, 0, 0, 0, 1]) == [1, 1, 1, 0, 0, 0]
    assert codes([4, 1, 30, 50, 85], total=[0, 0, 0, 0, 1]) == [1, 1, 0, 0, 0]  # 4 + 1 = 5


def test_linked_codes_spread_complements_over_themes():
    """Cost n × (1 + themes already hidden): Nordre (3) is protected on all 14 themes, and no
    neighbour loses most of its themes for it (a user found a 25-answer area hidden on 12 of
    14 themes next to a 3-answer one under the earlier cost n × (14 + h))."""
    rows = np.tile([3, 16, 21, 25, 29], (14, 1))
    codes = privacy.linked_codes(rows, min_n=5)
    assert (codes.rows[:, 0] == 1).all() and (codes.total == 0).all()
    per_area = (codes.rows == 2).sum(axis=0)
    assert per_area.tolist() == [0, 5, 4, 3, 2]
    assert ((codes.rows == 2).sum(axis=1) == 1).all()  # one complement per theme
    # theme order: the first theme takes the cheapest
    assert codes.rows[0].tolist() == [1, 2, 0, 0, 0]
    # by hand: 16, then 21 (16·2 = 32 > 21), 25, 29, 16 (32), 21 (42), 16 (48 < 50), 25 (50),
    # 29 (58), 21 (63), 16 (64), 25 (75), 16 (80), 21 (84); ties go to the smaller area
    first = [int(np.flatnonzero(r == 2)[0]) for r in codes.rows]
    assert first == [1, 2, 3, 4, 1, 2, 1, 3, 4, 2, 1, 3, 1, 2]


def test_linked_codes_checks_its_input():
    with pytest.raises(SoslokalError, match="add up"):
        privacy.linked_codes(np.array([[5, 5]]), [np.array([[[2, 2], [5, 0]]])], 5)
    with pytest.raises(SoslokalError, match="themes × areas"):
        privacy.linked_codes(np.array([5, 5]))


def test_hidden_cells_lists_what_a_summary_hides():
    out = suppress(small_table(), by="area_id", min_n=5)
    hidden = privacy.hidden_cells(out)
    assert hidden["area_id"].tolist() == ["a", "b"]
    assert hidden["suppression"].tolist() == ["primary", "secondary"]
    assert hidden["reason"].tolist() == ["for få svar", "skjult for å beskytte et lite nabolag"]
    en = privacy.hidden_cells(out, lang="en")
    assert en["reason"].tolist() == ["too few responses", "hidden to protect a small neighbourhood"]
    assert list(hidden.columns) == ["area_id", "theme", "n", "suppression", "reason"]


def test_grid_vectorised_over_themes_and_checks_min_n():
    n = np.array([[[2, 8], [9, 12]], [[6, 7], [8, 9]]])
    out = grid(n, themes=2)
    assert out[0] == [[1, 2], [2, 2]] and out[1] == [[0, 0], [0, 0]]
    with pytest.raises(SoslokalError, match="min_n"):
        grid([[1]], min_n=0)


def test_check_count_columns_catches_indicator_from_small_cell():
    import pandas as pd

    from soslokal_lib.privacy import check_count_columns

    ok = pd.DataFrame({"safe_median": [5.0, None], "safe_median__n": [12, 3]})
    check_count_columns(ok, 5)
    leaky = pd.DataFrame({"safe_median": [5.0, 4.0], "safe_median__n": [12, 3]})
    with pytest.raises(SoslokalError, match="safe_median__n"):
        check_count_columns(leaky, 5)
