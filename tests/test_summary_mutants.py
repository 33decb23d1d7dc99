"""Summary statistics (``soslokal_lib.stats.summary``): behaviours that mutants changed without
any other test noticing (``make mutate``; the judged list is ``tests/mutation_survivors.md``).
Values are hand-computed or from exact brute force."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import numpy as np
import pandas as pd
import pytest

from soslokal_lib.stats import summary as M


def brute_rank(m: int, alpha: float) -> int:
    """Largest r ≥ 1 with P(Binomial(m, 1/2) ≤ r - 1) ≤ alpha/2, in exact fractions."""
    half_alpha = Fraction(alpha) / 2
    best, below = 1, 0  # below: number of outcomes ≤ r - 1
    for r in range(1, m + 1):
        below += comb(m, r - 1)
        if Fraction(below, 2**m) <= half_alpha:
            best = r
    return best


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.25, 0.375, 0.625, 0.125])
def test_median_rank_matches_exact_binomial(alpha):
    """Order-statistic ranks for m = 1..30 and up to 400, including exact ties (alpha/2 = k/2**m, e.g.
    m = 4 at alpha 0.625: P(≤ 1) = 5/16 = alpha/2, so r = 2)."""
    m = np.array([*range(1, 31), 60, 100, 200, 400], dtype=np.float64)
    got = M._median_rank(m, alpha)
    assert got.tolist() == [brute_rank(int(x), alpha) for x in m]


def test_median_rank_is_nan_for_no_sample():
    """m = 0 (an empty cell) and NaN give NaN, as a float array."""
    got = M._median_rank(np.array([0.0, np.nan, 4.0]), 0.625)
    assert got.dtype == np.float64
    assert np.isnan(got[:2]).all() and got[2] == 2.0


def test_median_of_two_cells_with_exact_halves():
    """Scores {1, 2} → 1.5; scores {2, 3} → 2.5 (each cell's own cumulative counts)."""
    hist = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    cum, total = np.cumsum(hist, axis=1), hist.sum(axis=1)
    assert M._median(hist, cum, total, 1e-9 * total).tolist() == [1.5, 2.5]


def test_level_at_is_nan_where_the_target_is_never_reached():
    """Cumulative counts [1, 2]: target 5 is never reached (NaN), 1.5 is reached at score 2."""
    got = M._level_at(np.array([[1.0, 2.0], [1.0, 2.0]]), np.array([5.0, 1.5]))
    assert got.dtype == np.float64
    assert np.isnan(got[0]) and got[1] == 2.0


def test_cell_statistics_are_float_with_nan_for_empty_cells():
    """An empty cell gives NaN in every statistic (float columns); a cell {1, 7}: mean 4,
    median 4, median interval the range (m = 2), shares 1/2."""
    hist = np.array([[0.0] * 7, [1.0, 0, 0, 0, 0, 0, 1]])
    st = M.cell_statistics(hist, np.array([0.0, 2.0]), 7)
    assert all(v.dtype == np.float64 for v in st.values())
    assert all(np.isnan(v[0]) for k, v in st.items() if k != "n_eff")
    assert st["n_eff"].tolist() == [0.0, 2.0]
    assert (st["mean"][1], st["median"][1]) == (4.0, 4.0)
    assert (st["median_ci_low"][1], st["median_ci_high"][1]) == (1.0, 7.0)
    assert (st["share_low"][1], st["share_high"][1]) == (0.5, 0.5)


def test_dont_know_columns_of_a_frame_are_counted():
    """A plain frame with ``<theme>:dont_know`` columns: «vet ikke» counted where True; a
    missing flag (NA) is no «vet ikke»."""
    df = pd.DataFrame({
        "area_id": pd.array(["a"] * 6 + ["b"] * 6, dtype="string"),
        "feeling_safe": pd.array([1, 2, 3, None, None, 4] * 2, dtype="Int8"),
        "feeling_safe:dont_know": pd.array([False, False, False, True, pd.NA, False] * 2,
                                           dtype="boolean")})
    table = M.summarise(df, min_n=1)
    assert table["n"].tolist() == [4, 4, 8]
    assert table["n_dont_know"].tolist() == [1, 1, 2]
    df.index = pd.Index([f"r{i}" for i in range(12)], name="respondent_id")
    survey = M.Survey(df)  # the same flags read by Survey (its dont_know frame)
    assert M.summarise(survey, min_n=1)["n_dont_know"].tolist() == [1, 1, 2]
    assert M.summarise(df.drop(columns="feeling_safe:dont_know"), min_n=1)[
        "n_dont_know"].tolist() == [0, 0, 0]


def test_by_values_keep_the_kind_of_the_by_column():
    """Integer groups become text (with "total"); a string column stays string; an ordered
    categorical stays ordered, "total" added last."""
    ints = M.summarise(pd.DataFrame({"grp": [1, 1, 2, 2, 2], "feeling_safe": [1, 2, 3, 4, 5]}),
                       by="grp", min_n=1)
    assert ints["grp"].tolist() == ["1", "2", "total"]
    strings = M.summarise(pd.DataFrame({"grp": pd.array(["x", "y", "x"], dtype="string"),
                                        "feeling_safe": [1, 2, 3]}), by="grp", min_n=1)
    assert strings["grp"].dtype == pd.StringDtype()  # the column's own dtype, not "str"
    assert strings["grp"].tolist() == ["x", "y", "total"]
    ordered = pd.Categorical(["lav", "høy", "lav"], categories=["lav", "høy"], ordered=True)
    cats = M.summarise(pd.DataFrame({"grp": ordered, "feeling_safe": [1, 2, 3]}), by="grp",
                       min_n=1)
    assert cats["grp"].dtype.ordered
    assert list(cats["grp"].dtype.categories) == ["lav", "høy", "total"]


def test_wilson_interval_by_the_formula_and_its_ends():
    """Wilson bounds by the textbook formula; p = 0 gives exactly 0, p = 1 exactly 1, n = 0
    NaN."""
    from scipy import stats

    z = stats.norm.ppf(0.975)
    p, n = np.array([0.0, 1.0, 0.5, 0.3, 0.5]), np.array([10.0, 10.0, 4.0, 20.0, 0.0])
    low, high = M.wilson(p, n, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert np.allclose(low[2:4], centre[2:4] - half[2:4], rtol=1e-12)
    assert np.allclose(high[:4], np.minimum(centre + half, 1.0)[:4], rtol=1e-12)
    assert low[0] == 0.0 and high[1] == 1.0
    assert np.isnan(low[4]) and np.isnan(high[4])


def test_mean_interval_by_hand_and_clipped_to_the_scale():
    """Scores 3, 3, 3, 5, 5, 5: mean 4, population variance 1, standard error √(1/5), t with
    5 degrees of freedom → 4 ± 2.5706·0.4472. Five scores of 1: the interval is [1, 1]."""
    from scipy import stats

    hist = np.array([[0, 0, 3, 0, 3, 0, 0.0], [5, 0, 0, 0, 0, 0, 0]])
    st = M.cell_statistics(hist, hist.sum(axis=1), 7)
    half = stats.t.ppf(0.975, 5) * np.sqrt(1 / 5)
    assert np.allclose([st["mean_ci_low"][0], st["mean_ci_high"][0]], [4 - half, 4 + half])
    assert (st["mean_ci_low"][1], st["mean_ci_high"][1]) == (1.0, 1.0)
    assert st["median"].tolist() == [4.0, 1.0]


def test_equal_weights_of_any_size_change_no_statistic():
    """Every weight 2.5: sums of weights and squares scale, n_eff and every statistic do not
    (the median interval's ranks are counted in weight per rank)."""
    rng = np.random.default_rng(4)
    hist = rng.integers(0, 6, (40, 7)).astype(float)
    plain = M.cell_statistics(hist, hist.sum(axis=1), 7)
    weighted = M.cell_statistics(hist * 2.5, hist.sum(axis=1) * 2.5**2, 7)
    for key, values in plain.items():
        assert np.allclose(weighted[key], values, equal_nan=True), key


def test_total_row_counts_respondents_without_an_area():
    """Two respondents have no area: they count in the total row (n, «vet ikke», weights).
    feeling_safe total: scores 1, 3, 4 with weights 1, 3, 4 → mean 26/8 = 3.25, n_eff 64/26."""
    df = pd.DataFrame({
        "area_id": pd.array(["a", "a", "b", None, None], dtype="string"),
        "feeling_safe": pd.array([1, None, 3, 4, None], dtype="Int8"),
        "natural_space": pd.array([2, 2, 2, 2, 2], dtype="Int8"),
        "feeling_safe:dont_know": pd.array([False, True, False, False, True], dtype="boolean"),
        "w": [1.0, 2.0, 3.0, 4.0, 5.0]})
    table = M.summarise(df, min_n=1, weight="w")
    assert table["suppressed"].dtype == bool and not table["suppressed"].any()
    assert table["suppression"].isna().all() and table["weighted"].all()
    assert table.attrs["weighted"] is True
    assert M.summarise(df, min_n=1).attrs["weighted"] is False
    narrow = M.summarise(df, min_n=1, weight="w", confidence=0.5)
    assert narrow.attrs["confidence"] == 0.5
    assert ((narrow["mean_ci_high"] - narrow["mean_ci_low"]).fillna(0)
            <= (table["mean_ci_high"] - table["mean_ci_low"]).fillna(0)).all()
    assert (narrow["share_low_ci_high"] < table["share_low_ci_high"]).any()
    total = table[table["area_id"] == "total"].set_index(table["theme"].astype(str)[table["area_id"] == "total"])
    assert total.loc["feeling_safe", "n"] == 3 and total.loc["natural_space", "n"] == 5
    assert total.loc["feeling_safe", "n_dont_know"] == 2
    assert table["n_dont_know"].tolist() == [0, 1, 0, 0, 0, 2]
    assert total.loc["feeling_safe", "mean"] == pytest.approx(3.25)
    assert total.loc["feeling_safe", "n_eff"] == pytest.approx(64 / 26)
    assert total.loc["natural_space", "n_eff"] == pytest.approx(15**2 / 55)


def test_groups_of_two_columns_leave_out_a_missing_value_in_either():
    """By area and g: a respondent without g (or without area) is in no group."""
    df = pd.DataFrame({
        "area_id": pd.array(["a", "a", "b", None, "b"], dtype="string"),
        "g": pd.array([None, "x", "y", "x", "y"], dtype="string"),
        "feeling_safe": pd.array([1, 2, 3, 4, 5], dtype="Int8")})
    table = M.summarise(df, by=["area_id", "g"], min_n=1, total=False)
    assert table[["area_id", "g", "n"]].astype(str).values.tolist() == [
        ["a", "x", "1"], ["b", "y", "2"]]
    assert table.attrs["excluded"] == 2
    df["h"] = pd.array(["p", "q", "p", "q", "p"], dtype="string")
    three = M.summarise(df, by=["area_id", "g", "h"], min_n=1, total=False)  # NA in the middle
    assert three[["area_id", "g", "h", "n"]].astype(str).values.tolist() == [
        ["a", "x", "q", "1"], ["b", "y", "p", "2"]]


def test_score_histograms_use_the_scale_given():
    """``scale=3`` overrides the frame's scale of 7: a score of 4 is then out of range."""
    df = pd.DataFrame({"area_id": ["a", "b"], "feeling_safe": [1, 4]})
    assert M.score_histograms(df)[2].shape == (2, 1, 7)
    with pytest.raises(M.SurveyFormatError, match="outside 1–3"):
        M.score_histograms(df, scale=3)


@pytest.mark.parametrize("bad", ["x", 2.5])
def test_scores_that_are_no_whole_numbers_are_refused(bad):
    """A text or a fraction in a score column of a plain frame is refused, naming the column."""
    df = pd.DataFrame({"area_id": ["a", "a"],
                       "feeling_safe": pd.Series([1, bad], dtype=object)})
    with pytest.raises(M.SurveyFormatError, match="feeling_safe"):
        M.summarise(df, min_n=1)


def test_weights_that_are_no_numbers_are_refused():
    """A text weight is refused with the package's error, naming the weight column."""
    df = pd.DataFrame({"area_id": ["a", "a"], "feeling_safe": [1, 2],
                       "w": pd.Series([1, "x"], dtype=object)})
    with pytest.raises(M.SoslokalError, match="Weight 'w'"):
        M.summarise(df, min_n=1, weight="w")


def test_cell_codes_by_hand():
    """Areas a (2), b (6), c (7) and one respondent without an area, min_n 5: a and the
    area-less cell are primary (2 + 1 = 3 < 5 people hidden), so the smallest area that makes
    up the rest, b, is hidden too; c is shown. An unknown column is refused."""
    df = pd.DataFrame({"area_id": pd.array(["a"] * 2 + ["b"] * 6 + ["c"] * 7 + [None],
                                           dtype="string"),
                       "feeling_safe": pd.array([3] * 16, dtype="Int8")})
    codes = M.cell_codes(df, min_n=5)
    assert codes["area_id"].tolist()[:3] == ["a", "b", "c"] and pd.isna(codes["area_id"].iloc[3])
    assert codes["theme"].astype(str).tolist() == ["feeling_safe"] * 4
    assert codes["n"].tolist() == [2, 6, 7, 1]
    assert codes["code"].tolist() == [1, 2, 0, 1]
    assert M.cell_codes(df).equals(codes)  # min_n 5 by default
    five = pd.DataFrame({"area_id": ["a"] * 5 + ["b"] * 7, "feeling_safe": [3] * 12})
    assert M.cell_codes(five)["code"].tolist() == [0, 0]  # 5 people are shown at min_n 5
    assert M.cell_codes(df, min_n=2)["code"].tolist() == [2, 0, 0, 1]  # a makes up the lone 1
    with pytest.raises(M.SoslokalError, match=r"Cannot group by \['nope'\]"):
        M.cell_codes(df, by="nope")
    with pytest.raises(M.SoslokalError, match="min_n"):
        M.cell_codes(df, min_n=0)


@pytest.mark.parametrize("confidence", ["0.9", True, 1.0])
def test_confidence_that_is_no_probability_is_refused(confidence):
    """Text, a bool or 1 as confidence: the package's error, not a TypeError."""
    df = pd.DataFrame({"area_id": ["a", "a"], "feeling_safe": [1, 2]})
    with pytest.raises(M.SoslokalError, match="confidence"):
        M.summarise(df, min_n=1, confidence=confidence)
