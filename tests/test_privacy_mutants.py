"""soslokal_lib.privacy: behaviours that mutants changed without any other test noticing
(``make mutate``; the judged list is ``tests/mutation_survivors.md``)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import SoslokalError, privacy
from soslokal_lib.privacy import (
    check_count_columns,
    grid_suppression_codes,
    protect_frame,
    suppress,
)


def table(n, area=("a", "b", "c", "total"), **extra) -> pd.DataFrame:
    """A one-theme areas' table with a total row and a mean per row."""
    return pd.DataFrame({"area_id": list(area), "theme": "feeling_safe", "n": n,
                         "mean": [2.0, 4.0, 5.0, 4.1][: len(n)], **extra})


def test_total_rows_need_every_by_column_to_be_total():
    """A row is a total row only when all its ``by`` values are "total"; missing is not."""
    frame = pd.DataFrame({"a": ["total", "total", None, "x"], "b": ["total", "x", "total", None]})
    out = privacy._total_rows(frame, ["a", "b"])
    assert out.dtype == bool and out.tolist() == [True, False, False, False]
    assert privacy._total_rows(frame, ["a"]).tolist() == [True, True, False, False]


def test_suppress_default_min_n_is_five_and_by_may_be_a_list():
    """Default ``min_n`` 5 (a cell of 5 is shown, 4 is not); ``by`` as a list works alike."""
    out = suppress(table([5, 6, 8, 19]), by="area_id")
    assert out["suppressed"].tolist() == [False] * 4
    out = suppress(table([4, 6, 8, 18]), by=["area_id"])
    assert out["suppression"].astype(object).tolist()[:2] == ["primary", "secondary"]


def test_suppress_secondary_false_is_primary_only_despite_a_total_row():
    out = suppress(table([3, 6, 8, 17]), by="area_id", secondary=False)
    assert out["suppressed"].tolist() == [True, False, False, False]


def test_suppress_missing_n_counts_as_empty():
    """A missing ``n`` is an empty cell: it neither counts as a hidden neighbour nor is chosen."""
    out = suppress(table([np.nan, 3, 6, 9], area=("a", "b", "c", "total")), by="area_id")
    # b (3) is primary; a is empty, so the complement is c — not a as a 1-person cell would be
    assert out["suppression"].astype(object).where(out["suppression"].notna(), None).tolist() \
        == ["primary", "primary", "secondary", None]
    assert out["n"].isna().tolist() == [True, False, False, False]
    # b (4) alone is deficient: with a missing n read as 1 person, a + b would hold 5 and
    # need no complement; read as empty, c must be hidden. And no cast warning on the way.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = suppress(table([np.nan, 4, 6, 10]), by="area_id")
    assert out["suppressed"].tolist() == [True, True, True, False]


def test_grid_codes_use_the_given_min_n_and_an_empty_table():
    """``min_n`` reaches the solver (not its default 5); an empty table gives no codes."""
    flat = dict(row=[0, 0, 1, 1], col=[0, 1, 0, 1], theme=[0, 0, 0, 0])
    assert grid_suppression_codes([4, 8, 9, 12], min_n=3, **flat).tolist() == [0, 0, 0, 0]
    assert grid_suppression_codes([4, 8, 9, 12], min_n=5, **flat).tolist() == [1, 2, 2, 2]
    assert grid_suppression_codes([4.0, 8.0, 9.0, 12.0], min_n=3, **flat).tolist() == [0] * 4
    empty = grid_suppression_codes([], [], [], [], 5)
    assert empty.dtype == np.int8 and empty.shape == (0,)


def test_check_count_columns_edges_and_message():
    """Counts equal to min_n are fine; missing or non-numeric counts are small; every
    ``__n`` column is checked, also after one without a value column."""
    check_count_columns(pd.DataFrame({"x": [1.0], "x__n": [5]}), 5)
    with pytest.raises(SoslokalError, match="is below 1"):  # a missing count is 0, not 1
        check_count_columns(pd.DataFrame({"x": [1.0], "x__n": [np.nan]}), 1)
    for bad in (np.nan, "?"):
        frame = pd.DataFrame({"x": [1.0], "x__n": pd.Series([bad], dtype=object)})
        with pytest.raises(SoslokalError, match=r"'x' shows a value where 'x__n' is below 5"):
            check_count_columns(frame, 5)
    frame = pd.DataFrame({"orphan__n": [1, 1, 1], "x": [1.0, 2.0, 3.0], "x__n": [9, 2, 1]})
    with pytest.raises(SoslokalError) as info:
        check_count_columns(frame, 5)
    assert str(info.value) == (
        "Column 'x' shows a value where 'x__n' is below 5 (row 2) … and 1 more. Fix: leave "
        "indicators from small cells missing, as soslokal_lib.indicators.indicator_table does.")
    one = pd.DataFrame({"x": [1.0, 2.0], "x__n": [9, 2]})
    with pytest.raises(SoslokalError, match=r"is below 5 \(row 2\)\. Fix"):
        check_count_columns(one, 5)
    many = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "x__n": [1, 2, 3, 4]})
    with pytest.raises(SoslokalError, match=r"\(row 1\) … and 3 more\. Fix"):
        check_count_columns(many, 5)


def test_protect_frame_leaves_a_numeric_index_alone():
    """Only a text index is protected; a RangeIndex stays a RangeIndex."""
    out = protect_frame(pd.DataFrame({"t": ["=x", "y"]}))
    assert isinstance(out.index, pd.RangeIndex) and out["t"].tolist() == ["'=x", "y"]


def test_one_way_complements_are_the_cheapest_in_every_theme():
    """One-way tables take the smallest sufficient sibling in every theme (no spreading over
    themes, unlike the areas' own table), and secondary suppression is on by default."""
    n = np.array([3, 6, 7, 16] * 3)
    theme = np.repeat([0, 1, 2], 4)
    total = np.array([0, 0, 0, 1] * 3, dtype=bool)
    assert privacy.suppression_codes(n, theme, total, 5).tolist() == [1, 2, 0, 0] * 3
    only_totals = privacy.suppression_codes(np.array([3, 9]), np.array([0, 1]),
                                            np.array([True, True]), 5)
    assert only_totals.tolist() == [1, 0]


def test_linked_codes_default_min_n_and_spread_in_group_tables():
    """Default ``min_n`` is 5; group tables spread complements over themes like the areas."""
    assert privacy.linked_codes(np.array([[5, 9, 8]])).rows.tolist() == [[0, 0, 0]]
    g = np.array([[[6, 2, 0], [8, 9, 2], [4, 11, 1]], [[10, 6, 6], [4, 6, 7], [0, 0, 10]],
                  [[1, 11, 6], [3, 7, 4], [0, 11, 7]]])
    cells = privacy.linked_codes(g.sum(axis=2), [g], 5).cells[0]
    assert cells[0].tolist() == [[2, 1, 1], [2, 0, 1], [1, 0, 1]]  # spread=False: [2, 2, 1]
    with pytest.raises(SoslokalError, match="themes × areas × levels"):
        privacy.linked_codes(np.array([[5, 9]]), [np.array([[5, 9]])])


def frame_with(n, mean, **extra) -> pd.DataFrame:
    return pd.DataFrame({"area_id": [f"a{i}" for i in range(len(n))], "theme": "x", "n": n,
                         "mean": mean, "median": np.nan, **extra})


def test_check_no_small_cells_columns_and_suppressed_flags():
    """Only the named columns are checked (unknown ones are an error); a row marked
    suppressed shows nothing; a missing or false flag on a small row is a leak."""
    privacy.check_no_small_cells(frame_with([3], [np.nan], median=2.0), 5, columns=["mean"])
    with pytest.raises(SoslokalError, match=r"no columns \['share'\] in the table"):
        privacy.check_no_small_cells(frame_with([3], [np.nan]), 5, columns=["mean", "share"])
    privacy.check_no_small_cells(frame_with([3, 9], [np.nan, 1.0]), 5, columns=[])
    ok = frame_with([3, 9], [np.nan, 1.0], suppressed=pd.Series([True, None], dtype=object))
    privacy.check_no_small_cells(ok, 5)
    privacy.check_no_small_cells(frame_with([3], [np.nan], suppressed=True), 5, columns=[])
    for flag in (pd.array([pd.NA], dtype="boolean"), [False]):
        with pytest.raises(SoslokalError, match="fewer than 5"):
            privacy.check_no_small_cells(frame_with([3], [np.nan], suppressed=flag), 5)
    suppressed_but_shown = frame_with([3], [2.0], suppressed=True)
    with pytest.raises(SoslokalError, match="fewer than 5"):
        privacy.check_no_small_cells(suppressed_but_shown, 5)
    for min_n in (1, 5):  # a missing n is 0 people
        with pytest.raises(SoslokalError, match=f"fewer than {min_n}"):
            privacy.check_no_small_cells(frame_with([np.nan], [2.0]), min_n)


def test_check_no_small_cells_message():
    with pytest.raises(SoslokalError) as info:
        privacy.check_no_small_cells(frame_with([3], [2.0]), 5)
    assert re.fullmatch(
        r"A cell with fewer than 5 respondents shows statistics \(area_id='a0', theme='x', "
        r"n=\S*3\S*\)\. Fix: take the numbers from soslokal_lib\.summarise\(\.\.\., "
        r"min_n=\.\.\.\) or pass the table through soslokal_lib\.privacy\.suppress before "
        r"output\.", str(info.value))
    with pytest.raises(SoslokalError, match=r"n=\S*3\S*\) … and 1 more\. Fix"):
        privacy.check_no_small_cells(frame_with([3, 4], [2.0, 1.0]), 5)


def test_hidden_cells_leaves_out_empty_cells_only():
    """Hidden cells with n = 0 or missing n are left out; n = 1 is listed; no theme column is
    an error."""
    out = pd.DataFrame({"area_id": list("abcd"), "theme": "x", "n": [0, np.nan, 1, 7],
                        "suppression": pd.Categorical(["primary"] * 3 + [None],
                                                      categories=["primary", "secondary"])})
    assert privacy.hidden_cells(out)["area_id"].tolist() == ["c"]
    with pytest.raises(SoslokalError, match="no 'suppression' or 'theme' column"):
        privacy.hidden_cells(out.drop(columns="theme"))
