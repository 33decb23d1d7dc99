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


def test_constants():
    assert privacy.TOTAL == "total"
    assert "mean" in privacy.STATISTIC_COLUMNS and "n" not in privacy.STATISTIC_COLUMNS
