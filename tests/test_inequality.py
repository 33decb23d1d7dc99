"""Tests for soslokal_lib.inequality: weighted measures, gradients, ordinal indices, bootstrap."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from soslokal_lib import SoslokalError
from soslokal_lib import inequality as ineq
from soslokal_lib.stats.inequality import resampling as _ineq_bootstrap

pysal_gini = pytest.importorskip("inequality.gini")
pysal_theil = pytest.importorskip("inequality.theil")
pysal_atkinson = pytest.importorskip("inequality.atkinson")

REL = 1e-9
SETTINGS = settings(max_examples=40, deadline=None)


def _data(seed: int, n: int = 40) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.lognormal(3, 0.6, n), rng.integers(200, 5000, n).astype(float), rng.integers(
        0, 4, n)


# --- agreement with PySAL `inequality` (unweighted) ---------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gini_theil_atkinson_equal_pysal(seed):
    x, _, groups = _data(seed)
    x[:3] = 0.0 if seed == 2 else x[:3]  # zeros are allowed for Gini and Theil T
    assert ineq.gini(x).statistic == pytest.approx(pysal_gini.Gini(x).g, abs=1e-10)
    assert ineq.theil(x).statistic == pytest.approx(float(pysal_theil.Theil(x).T), abs=1e-10)
    dec, ref = ineq.theil(x, groups=groups), pysal_theil.TheilD(x, groups)
    assert dec.statistic == pytest.approx(float(np.ravel(ref.T)[0]), abs=1e-10)
    assert dec.between == pytest.approx(float(np.ravel(ref.bg)[0]), abs=1e-10)
    assert dec.within == pytest.approx(float(np.ravel(ref.wg)[0]), abs=1e-10)
    if seed != 2:
        for eps in (0, 0.5, 1, 1.5, 2):
            assert ineq.atkinson(x, eps).statistic == pytest.approx(
                pysal_atkinson.atkinson(x, eps), abs=1e-10)


def test_atkinson_ede_matches_pysal_class():
    x = np.array([10.0, 20, 30, 40, 50])
    res, ref = ineq.atkinson(x, 0.5), pysal_atkinson.Atkinson(x, 0.5)
    assert res.statistic == pytest.approx(0.06315, abs=1e-5)
    assert res.ede == pytest.approx(ref.EDE, rel=1e-12)


# --- integer weights = replicated data -----------------------------------------------------

values = st.lists(st.floats(0.1, 100.0, allow_nan=False), min_size=2, max_size=10)


@st.composite
def weighted(draw, with_groups=False):
    x = draw(values)
    w = draw(st.lists(st.integers(1, 4), min_size=len(x), max_size=len(x)))
    g = draw(st.lists(st.integers(0, 2), min_size=len(x), max_size=len(x)))
    return np.array(x), np.array(w), np.array(g)


@SETTINGS
@given(weighted())
def test_integer_weights_equal_replicated_data(data):
    x, w, g = data
    rx, rg = np.repeat(x, w), np.repeat(g, w)
    for name in ("gini", "cv", "s80_s20", "p90_p10"):
        f = getattr(ineq, name)
        assert f(x, w).statistic == pytest.approx(f(rx).statistic, rel=REL), name
    for eps in (0.5, 1.0, 2.0):
        assert ineq.atkinson(x, eps, w).statistic == pytest.approx(
            ineq.atkinson(rx, eps).statistic, rel=REL, abs=1e-12)
    for f in (ineq.theil, ineq.mld):
        a, b = f(x, w, groups=g), f(rx, groups=rg)
        for part in ("statistic", "between", "within"):
            assert getattr(a, part) == pytest.approx(getattr(b, part), rel=REL, abs=1e-12)


@SETTINGS
@given(weighted())
def test_gradient_with_integer_weights_equals_replicated(data):
    y, w, _ = data
    rank_by = np.arange(len(y)) % 4  # ties on purpose: mid-rank blocks must replicate
    ry, rr = np.repeat(y, w), np.repeat(rank_by, w)
    assert ineq.concentration_index(y, rank_by, w).statistic == pytest.approx(
        ineq.concentration_index(ry, rr).statistic, rel=REL, abs=1e-12)
    assume(len(y) >= 3)
    a, b = ineq.slope_index(y, rank_by, w), ineq.slope_index(ry, rr)
    assert a.statistic == pytest.approx(b.statistic, rel=1e-8, abs=1e-9)
    assert a.intercept == pytest.approx(b.intercept, rel=1e-8, abs=1e-9)


@SETTINGS
@given(st.lists(st.integers(1, 7), min_size=1, max_size=30), st.data())
def test_ordinal_weighted_scores_equal_replicated(scores, data):
    w = np.array(data.draw(st.lists(st.integers(1, 3), min_size=len(scores),
                                     max_size=len(scores))))
    s = np.array(scores)
    for f in (ineq.allison_foster, ineq.abul_naga_yalcin):
        assert f(s, w).statistic == pytest.approx(f(np.repeat(s, w)).statistic, abs=1e-12)
    counts = np.bincount(s - 1, weights=w, minlength=7)
    assert ineq.abul_naga_yalcin(counts, kind="counts").statistic == pytest.approx(
        ineq.abul_naga_yalcin(s, w).statistic, abs=1e-12)


# --- known values ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 5, 17])
def test_equal_incomes_and_one_has_everything(n):
    equal = np.full(n, 7.5)
    for f in (ineq.gini, ineq.theil, ineq.mld, ineq.cv):
        assert f(equal).statistic == pytest.approx(0.0, abs=1e-12)
    assert ineq.atkinson(equal, 2).statistic == pytest.approx(0.0, abs=1e-12)
    assert ineq.s80_s20(equal).statistic == pytest.approx(1.0)
    assert ineq.p90_p10(equal).statistic == pytest.approx(1.0)
    rich = np.zeros(n)
    rich[-1] = 100.0
    assert ineq.gini(rich).statistic == pytest.approx((n - 1) / n, abs=1e-12)
    assert ineq.gini(rich, finite_sample=True).statistic == pytest.approx(1.0, abs=1e-12)
    assert ineq.theil(rich).statistic == pytest.approx(np.log(n), abs=1e-12)


def test_finite_sample_gini_uses_kish_n_eff_not_replicated_count():
    # the documented exception to «integer weights = replicated data»
    x, w = np.array([1.0, 2.0, 10.0]), np.array([1, 2, 3])
    plain = ineq.gini(x, w).statistic
    replicated = np.repeat(x, w)
    assert plain == pytest.approx(ineq.gini(replicated).statistic)  # uncorrected: equal
    n_eff = 36 / 14  # W² / Σw²
    assert ineq.gini(x, w, finite_sample=True).statistic == pytest.approx(
        plain * n_eff / (n_eff - 1))
    assert ineq.gini(replicated, finite_sample=True).statistic == pytest.approx(plain * 6 / 5)
    assert ineq.gini(x, w, finite_sample=True).statistic != pytest.approx(
        ineq.gini(replicated, finite_sample=True).statistic)
    # equal weights: n_eff = n, whatever their size
    assert ineq.gini(x, [7, 7, 7], finite_sample=True).statistic == pytest.approx(
        ineq.gini(x, finite_sample=True).statistic)


def test_population_weights_change_the_result():
    x = np.array([1.0, 2.0, 10.0])
    # a tiny rich area barely matters once weighted by population
    assert ineq.gini(x, [1000, 1000, 1]).statistic < ineq.gini(x).statistic
    assert ineq.gini(x, [1, 1, 1]).statistic == pytest.approx(ineq.gini(x).statistic)
    # Kish-style correction: n_eff/(n_eff - 1)
    w = np.array([1.0, 2.0, 3.0])
    n_eff = w.sum() ** 2 / (w**2).sum()
    assert ineq.gini(x, w, finite_sample=True).statistic == pytest.approx(
        ineq.gini(x, w).statistic * n_eff / (n_eff - 1))


def test_ratio_definitions():
    x = np.arange(1.0, 11.0)
    q = ineq.s80_s20(x)
    assert q.statistic == pytest.approx(19 / 3)  # (9 + 10) / (1 + 2)
    assert q.top_share == pytest.approx(19 / 55) and q.bottom_share == pytest.approx(3 / 55)
    rng = np.random.default_rng(4)
    for n in (7, 10, 23):
        y = rng.lognormal(size=n)
        p = ineq.p90_p10(y)
        assert p.p90 == pytest.approx(np.quantile(y, 0.9, method="averaged_inverted_cdf"))
        assert p.p10 == pytest.approx(np.quantile(y, 0.1, method="averaged_inverted_cdf"))
    # a straddling area counts with the part of its population inside the bottom 20 %
    assert ineq.s80_s20([1.0, 2.0], [1, 1]).statistic == pytest.approx((0.4 * 2) / (0.4 * 1))


def test_decomposition_is_exact_and_tabulated():
    x, w, g = _data(7)
    for f in (ineq.theil, ineq.mld):
        r = f(x, w, groups=g)
        assert r.between + r.within == pytest.approx(r.statistic, abs=1e-12)
        assert r.between_share + r.within_share == pytest.approx(1.0)
        t = r.groups
        assert list(t.index) == [0, 1, 2, 3]
        assert t["within"].sum() == pytest.approx(r.within)
        assert t["between"].sum() == pytest.approx(r.between)
        assert t["weight_share"].sum() == pytest.approx(1.0)
        assert t.loc[1, "mean"] == pytest.approx(np.average(x[g == 1], weights=w[g == 1]))
        assert t.loc[1, "index"] == pytest.approx(f(x[g == 1], w[g == 1]).statistic)
        one = f(x, w, groups=np.zeros(len(x)))
        assert one.between == pytest.approx(0.0, abs=1e-12)
        own = f(x, w, groups=np.arange(len(x)))
        assert own.within == pytest.approx(0.0, abs=1e-12)
        assert own.between == pytest.approx(r.statistic, abs=1e-12)
    assert ineq.theil(x).between is None


# --- zeros, negatives, missing values --------------------------------------------------------


def test_zeros_and_negatives_have_explicit_rules():
    x = np.array([0.0, 0.0, 1.0, 2.0, 3.0])
    assert ineq.theil(x).statistic == pytest.approx(
        ineq.theil(np.r_[1e-300, 1e-300, 1.0, 2.0, 3.0]).statistic, abs=1e-12)
    assert ineq.atkinson(x, 0.5).statistic > 0
    with pytest.raises(SoslokalError, match=r"mld.*2 of 5 values.*zero or negative.*theil"):
        ineq.mld(x)
    with pytest.raises(SoslokalError, match=r"epsilon=1.*2 of 5 values.*epsilon < 1"):
        ineq.atkinson(x, 1)
    with pytest.raises(SoslokalError, match=r"1 of 3 values are negative \(first at position 1\)"):
        ineq.gini([1.0, -2.0, 3.0])
    with pytest.raises(SoslokalError, match="negative"):
        ineq.theil([1.0, -2.0, 3.0])
    with pytest.raises(SoslokalError, match="positive"):
        ineq.gini([0.0, 0.0])
    with pytest.raises(SoslokalError, match="poorest 20 %"):
        ineq.s80_s20(np.r_[np.zeros(5), np.ones(5)])
    with pytest.raises(SoslokalError, match="10th percentile"):
        ineq.p90_p10(np.r_[np.zeros(5), np.ones(5)])
    with pytest.raises(SoslokalError, match="epsilon"):
        ineq.atkinson([1.0, 2.0], -1)


def test_missing_values_raise_unless_dropna():
    x = pd.Series([1.0, np.nan, 3.0, 4.0], index=list("abcd"))
    w = pd.Series([10.0, 20.0, np.nan, 40.0], index=list("abcd"))
    with pytest.raises(SoslokalError, match=r"x: 1 of 4 values are missing.*dropna=True"):
        ineq.gini(x)
    with pytest.raises(SoslokalError, match=r"weights: 1 of 4 values are missing"):
        ineq.gini([1.0, 2.0, 3.0, 4.0], w)
    res = ineq.gini(x, w, dropna=True)
    assert res.n == 2
    assert res.statistic == pytest.approx(ineq.gini([1.0, 4.0], [10.0, 40.0]).statistic)
    nullable = pd.Series([1, None, 3], dtype="Int64")
    assert ineq.gini(nullable, dropna=True).statistic == pytest.approx(
        ineq.gini([1.0, 3.0]).statistic)


def test_bad_weights_and_alignment():
    with pytest.raises(SoslokalError, match="negative"):
        ineq.gini([1.0, 2.0], [1.0, -1.0])
    with pytest.raises(SoslokalError, match="3 values but x has 2"):
        ineq.gini([1.0, 2.0], [1.0, 1.0, 1.0])
    with pytest.raises(SoslokalError, match="different indexes.*reindex"):
        ineq.gini(pd.Series([1.0, 2.0], index=["a", "b"]),
                  pd.Series([1.0, 2.0], index=["b", "a"]))
    with pytest.raises(SoslokalError, match="infinite"):
        ineq.theil([1.0, np.inf])
    with pytest.raises(SoslokalError, match="numeric"):
        ineq.gini(pd.Series(["a", "b"]))
    # zero weight = not there
    assert ineq.gini([1.0, 5.0, 9.0], [1, 0, 1]).statistic == pytest.approx(
        ineq.gini([1.0, 9.0]).statistic)
    with pytest.raises(SoslokalError, match="missing"):
        ineq.theil([1.0, 2.0, 3.0], groups=["a", None, "b"])


# --- concentration index ----------------------------------------------------------------------


def test_concentration_index_known_cases():
    income = np.arange(1.0, 11.0)
    rising = income * 2 + 1
    assert ineq.concentration_index(rising, income).statistic > 0
    assert ineq.concentration_index(rising[::-1], income).statistic < 0
    assert ineq.concentration_index(np.full(10, 3.0), income).statistic == pytest.approx(0.0)
    # low values of a deprivation measure are best-off: flips the sign
    assert ineq.concentration_index(rising, -income, ascending=False).statistic == pytest.approx(
        ineq.concentration_index(rising, income).statistic)
    # ranking a variable by itself gives its Gini, weighted or not
    x, w, _ = _data(3)
    assert ineq.concentration_index(x, x, w).statistic == pytest.approx(
        ineq.gini(x, w).statistic, rel=1e-12)
    # the textbook covariance formula, unweighted, no ties: R = (i - 1/2)/n
    r = (np.arange(10) + 0.5) / 10
    assert ineq.concentration_index(rising, income).statistic == pytest.approx(
        2 * np.cov(rising, r, bias=True)[0, 1] / rising.mean())


def test_concentration_corrections():
    income = np.arange(1.0, 9.0)
    split = np.r_[np.zeros(4), np.ones(4)]  # worst-off half 0, best-off half 1
    e = ineq.concentration_index(split, income, correction="erreygers", bounds=(0, 1))
    assert e.statistic == pytest.approx(1.0)
    wag = ineq.concentration_index(split, income, correction="wagstaff", bounds=(0, 1))
    assert wag.statistic == pytest.approx(e.standard / (1 - 0.5))
    scores = np.array([2.0, 3, 3, 4, 5, 5, 6, 7])
    for corr in ("erreygers", "wagstaff"):
        rng = np.random.default_rng(0)
        for _ in range(20):
            s = rng.integers(1, 8, 8).astype(float)
            if s.min() == s.max():
                continue
            v = ineq.concentration_index(s, income, correction=corr, bounds=(1, 7)).statistic
            assert -1 - 1e-12 <= v <= 1 + 1e-12
    std = ineq.concentration_index(scores, income)
    er = ineq.concentration_index(scores, income, correction="erreygers", bounds=(1, 7))
    assert er.statistic == pytest.approx(4 * scores.mean() * std.statistic / 6)
    wg = ineq.concentration_index(scores, income, correction="wagstaff", bounds=(1, 7))
    mu = scores.mean()
    assert wg.statistic == pytest.approx(std.statistic * 6 * mu / ((7 - mu) * (mu - 1)))
    with pytest.raises(SoslokalError, match="outside bounds"):
        ineq.concentration_index(scores, income, correction="erreygers", bounds=(1, 5))
    with pytest.raises(SoslokalError, match="needs bounds"):
        ineq.concentration_index(scores, income, correction="erreygers")
    with pytest.raises(SoslokalError, match="a < mean"):
        ineq.concentration_index(np.ones(8), income, correction="wagstaff", bounds=(1, 7))


# --- slope and relative index -----------------------------------------------------------------


def test_sii_recovers_a_perfect_linear_gradient():
    rng = np.random.default_rng(5)
    income = rng.lognormal(size=25)
    pop = rng.integers(100, 3000, 25).astype(float)
    r = ineq.ridit(income, pop)
    y = 2.0 + 3.0 * r
    res = ineq.slope_index(y, income, pop)
    assert res.statistic == pytest.approx(3.0, abs=1e-10)
    assert res.intercept == pytest.approx(2.0, abs=1e-10)
    assert res.rii == pytest.approx(5.0 / 2.0, abs=1e-10)
    assert res.ci_low == pytest.approx(3.0, abs=1e-6) and res.ci_high == pytest.approx(3.0, abs=1e-6)
    # deprivation: a high low-income share is worst-off
    low_income_share = 1.0 / income
    dep = ineq.slope_index(y, low_income_share, pop, ascending=False)
    assert dep.statistic == pytest.approx(3.0, abs=1e-10)


def test_sii_interval_and_robust_option():
    rng = np.random.default_rng(6)
    income = rng.normal(size=60)
    y = 4 + 0.8 * ineq.ridit(income) + rng.normal(0, 0.3, 60)
    res = ineq.slope_index(y, income, confidence=0.9)
    assert res.ci_low < res.statistic < res.ci_high
    assert res.ci_low < 0.8 < res.ci_high
    assert res.rii_ci_low < res.rii < res.rii_ci_high
    hc = ineq.slope_index(y, income, cov_type="HC3")
    assert hc.statistic == pytest.approx(res.statistic)
    assert hc.se != pytest.approx(res.se)
    with pytest.raises(SoslokalError, match="cov_type"):
        ineq.slope_index(y, income, cov_type="HC9")
    with pytest.raises(SoslokalError, match="no gradient"):
        ineq.slope_index(y, np.ones(60))


def test_ridit_ties_and_series():
    r = ineq.ridit(pd.Series([3.0, 1.0, 3.0, np.nan], index=list("abcd")), dropna=True)
    assert list(r.index) == list("abcd")
    np.testing.assert_allclose(r.to_numpy()[:3], [4 / 6, 1 / 6, 4 / 6])
    assert np.isnan(r["d"])
    np.testing.assert_allclose(ineq.ridit([1.0, 2.0], [3, 1]), [3 / 8, 7 / 8])
    np.testing.assert_allclose(ineq.ridit([1.0, 2.0], [3, 1], ascending=False), [5 / 8, 1 / 8])


def test_import_does_not_load_statsmodels():
    code = ("import sys, soslokal_lib; soslokal_lib.inequality; "
            "assert 'statsmodels' not in sys.modules, 'statsmodels loaded'")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- ordinal indices --------------------------------------------------------------------------


@pytest.mark.parametrize(("alpha", "beta"), [(1, 1), (2, 1), (1, 3), (0.5, 2)])
def test_ordinal_extremes(alpha, beta):
    for level in range(7):
        degenerate = np.zeros(7)
        degenerate[level] = 12
        assert ineq.abul_naga_yalcin(degenerate, kind="counts", alpha=alpha,
                                     beta=beta).statistic == pytest.approx(0.0, abs=1e-12)
        assert ineq.allison_foster(degenerate, kind="counts").statistic == pytest.approx(0.0)
    split = np.array([5.0, 0, 0, 0, 0, 0, 5])
    assert ineq.abul_naga_yalcin(split, kind="counts", alpha=alpha,
                                 beta=beta).statistic == pytest.approx(1.0)
    af = ineq.allison_foster(split, kind="counts")
    assert (af.statistic, af.normalised, af.upper_mean, af.lower_mean) == (6.0, 1.0, 7.0, 1.0)


def test_ordinal_known_values():
    counts = np.array([1.0, 2, 3, 4, 0, 0, 0])  # P = .1 .3 .6 1 1 1 1, median level 3
    af = ineq.allison_foster(counts, kind="counts")
    # E|X - 3| = (.1 + .3) + (.4 + 0 + 0 + 0 + 0) = 0.8
    assert af.median == 3
    assert af.statistic == pytest.approx(1.6)
    assert af.upper_mean - af.lower_mean == pytest.approx(1.6)
    # upper half: 40 % at 4 and 10 % at 3 -> mean 3.8; lower: 20 % at 2, 10 % at 1, 20 % at 3
    assert af.upper_mean == pytest.approx(3.8) and af.lower_mean == pytest.approx(2.2)
    a = ineq.abul_naga_yalcin(counts, kind="counts", alpha=2, beta=1)
    num = (0.1**2 + 0.3**2) - (0.6 + 4 * 1.0) + (7 - 3 + 1)
    den = 2 * 0.25 - (1 + 4 * 0.5) + 5
    assert a.statistic == pytest.approx(num / den)
    assert ineq.allison_foster(counts, kind="counts", reference=4).statistic == pytest.approx(
        2 * (0.1 * 3 + 0.2 * 2 + 0.3 * 1))


hist7 = st.lists(st.integers(0, 8), min_size=7, max_size=7).filter(lambda h: sum(h) > 0)


@SETTINGS
@given(hist7)
def test_any_linear_member_is_normalised_af_and_symmetric(h):
    h = np.array(h, dtype=float)
    a = ineq.abul_naga_yalcin(h, kind="counts").statistic
    assert a == pytest.approx(ineq.allison_foster(h, kind="counts").normalised, abs=1e-12)
    assert 0 <= a <= 1 + 1e-12
    assert ineq.abul_naga_yalcin(h[::-1], kind="counts").statistic == pytest.approx(a, abs=1e-12)
    assert ineq.abul_naga_yalcin(3 * h, kind="counts").statistic == pytest.approx(a, abs=1e-12)


def _median_preserving_moves(h: np.ndarray) -> list[tuple[int, int]]:
    m = ineq.allison_foster(h, kind="counts").median - 1
    moves = []
    for src in np.flatnonzero(h > 0):
        for dst in range(h.size):
            if (src >= m and dst > src) or (src <= m and dst < src):
                g = h.copy()
                g[src] -= 1
                g[dst] += 1
                if ineq.allison_foster(g, kind="counts").median - 1 == m:
                    moves.append((int(src), dst))
    return moves


@SETTINGS
@given(hist7, st.data(), st.sampled_from([(1, 1), (2, 1), (1, 2), (0.5, 3)]))
def test_median_preserving_spread_increases_inequality(h, data, ab):
    """Allison–Foster ordering: moving a response further from the median on its side (or out
    of the median level) without changing the median raises both indices."""
    h = np.array(h, dtype=float)
    moves = _median_preserving_moves(h)
    assume(moves)
    src, dst = data.draw(st.sampled_from(moves))
    g = h.copy()
    g[src] -= 1
    g[dst] += 1
    a, b = ab
    before = ineq.abul_naga_yalcin(h, kind="counts", alpha=a, beta=b).statistic
    after = ineq.abul_naga_yalcin(g, kind="counts", alpha=a, beta=b).statistic
    assert after > before
    assert ineq.allison_foster(g, kind="counts").statistic > ineq.allison_foster(
        h, kind="counts").statistic


def test_ordinal_many_matches_single_and_keeps_index():
    rng = np.random.default_rng(8)
    counts = rng.integers(0, 6, size=(12, 7)).astype(float)
    counts[3] = 0  # an empty (e.g. suppressed) area
    frame = pd.DataFrame(counts, index=pd.Index([f"0301{i:04d}" for i in range(12)],
                                                name="area_id"), columns=range(1, 8))
    many = ineq.abul_naga_yalcin_many(frame, alpha=2, beta=1)
    assert isinstance(many, pd.Series) and many.index.equals(frame.index)
    assert np.isnan(many.iloc[3])
    af = ineq.allison_foster_many(counts)
    for i in (0, 5, 11):
        assert many.iloc[i] == pytest.approx(
            ineq.abul_naga_yalcin(counts[i], kind="counts", alpha=2, beta=1).statistic)
        assert af[i] == pytest.approx(ineq.allison_foster(counts[i], kind="counts").statistic)
    cube = rng.integers(0, 5, size=(4, 14, 7))
    assert ineq.abul_naga_yalcin_many(cube).shape == (4, 14)
    np.testing.assert_allclose(ineq.allison_foster_many(cube, normalised=True),
                               ineq.abul_naga_yalcin_many(cube))


def test_ordinal_input_errors():
    with pytest.raises(SoslokalError, match=r"whole numbers 1..7.*1 of 3"):
        ineq.allison_foster([1, 8, 3])
    with pytest.raises(SoslokalError, match="missing"):
        ineq.abul_naga_yalcin([1, np.nan, 3])
    assert ineq.abul_naga_yalcin([1, np.nan, 7], dropna=True).statistic == pytest.approx(1.0)
    assert ineq.abul_naga_yalcin([1, 1, 3], scale=3).statistic == pytest.approx(
        ineq.abul_naga_yalcin([2.0, 0, 1], kind="counts").statistic)
    with pytest.raises(SoslokalError, match="negative"):
        ineq.abul_naga_yalcin_many([[1, -1, 2]])
    with pytest.raises(SoslokalError, match="alpha"):
        ineq.abul_naga_yalcin([1, 2], alpha=0)
    with pytest.raises(SoslokalError, match="empty"):
        ineq.allison_foster(np.zeros(7), kind="counts")
    with pytest.raises(SoslokalError, match="weights apply to raw scores"):
        ineq.allison_foster(np.ones(7), [1] * 7, kind="counts")


# --- bootstrap --------------------------------------------------------------------------------


def test_bootstrap_reproducible_and_contains_statistic():
    x, w, g = _data(9, 60)
    a = ineq.bootstrap(ineq.gini, x, w, n_boot=499, seed=42)
    b = ineq.bootstrap("gini", x, w, n_boot=499, seed=42)
    c = ineq.bootstrap(ineq.gini, x, w, n_boot=499, seed=43)
    np.testing.assert_array_equal(a.replicates, b.replicates)
    assert not np.array_equal(a.replicates, c.replicates)
    assert a.statistic == pytest.approx(ineq.gini(x, w).statistic)
    assert a.ci_low < a.statistic < a.ci_high
    assert a.replicates.shape == (499,) and a.n_invalid == 0
    assert a.ci_low == pytest.approx(np.quantile(a.replicates, 0.025))
    with pytest.raises(ValueError):
        a.replicates[0] = 1.0


@pytest.mark.parametrize(("measure", "options"), [
    ("gini", {}), ("gini", {"finite_sample": True}), ("theil", {}), ("mld", {}),
    ("atkinson", {"epsilon": 1.5}), ("cv", {}), ("s80_s20", {}), ("p90_p10", {}),
])
def test_bootstrap_vectorised_equals_loop(measure, options):
    x, w, _ = _data(10, 30)
    func = getattr(ineq, measure)
    fast = ineq.bootstrap(measure, x, w, n_boot=60, seed=1, **options)

    def wrapped(x, weights, **kw):  # an outside callable takes the loop
        return func(x, weights=weights, **kw)

    slow = ineq.bootstrap(wrapped, x, w, n_boot=60, seed=1, **options)
    np.testing.assert_allclose(fast.replicates, slow.replicates, rtol=1e-10)
    assert fast.ci_low <= fast.statistic <= fast.ci_high


def test_bootstrap_decomposition_components_and_chunks(monkeypatch):
    x, w, g = _data(11, 40)
    share = ineq.bootstrap(ineq.theil, x, w, groups=g, component="between_share", n_boot=80,
                           seed=3)
    assert share.statistic == pytest.approx(ineq.theil(x, w, groups=g).between_share)
    slow = ineq.bootstrap(lambda x, weights, groups: ineq.theil(x, weights, groups), x, w,
                          groups=g, component="between_share", n_boot=80, seed=3)
    np.testing.assert_allclose(share.replicates, slow.replicates, rtol=1e-10)
    monkeypatch.setattr(_ineq_bootstrap, "_CHUNK", 100)  # 2 draws per chunk
    a = ineq.bootstrap("mld", x, w, groups=g, component="within", n_boot=15, seed=5)
    b = ineq.bootstrap("mld", x, w, groups=g, component="within", n_boot=15, seed=5)
    np.testing.assert_array_equal(a.replicates, b.replicates)
    assert a.replicates.shape == (15,)


def test_bootstrap_gradient_measures():
    rng = np.random.default_rng(12)
    income = rng.lognormal(size=40)
    y = 3 + ineq.ridit(income) + rng.normal(0, 0.2, 40)
    res = ineq.bootstrap(ineq.concentration_index, y, rank_by=income, n_boot=50, seed=2)
    assert res.statistic == pytest.approx(ineq.concentration_index(y, income).statistic)
    assert res.ci_low < res.statistic < res.ci_high
    with pytest.raises(SoslokalError, match="needs rank_by"):
        ineq.bootstrap("slope_index", y, n_boot=10)


def test_bootstrap_within_areas():
    rng = np.random.default_rng(13)
    area = np.repeat(np.array(["a", "b", "c", "d", "e"]), [30, 20, 40, 25, 35])
    level = {"a": 3.0, "b": 4.0, "c": 4.5, "d": 5.0, "e": 6.0}
    score = np.array([level[a] for a in area]) + rng.normal(0, 1, area.size)
    pop = {"a": 1000, "b": 500, "c": 2500, "d": 800, "e": 1200}
    res = ineq.bootstrap(ineq.gini, score, cluster=area, area_weights=pop, n_boot=200, seed=7,
                         correct_noise=False)
    means = pd.Series(score).groupby(area).mean()
    assert res.resample == "within" and res.method == "percentile"
    assert res.uncorrected is None and res.deflation is None
    assert res.statistic == pytest.approx(
        ineq.gini(means.to_numpy(), means.index.map(pop).to_numpy(float)).statistic)
    assert res.ci_low < res.statistic < res.ci_high
    assert res.ci_low == pytest.approx(np.quantile(res.replicates, 0.025))
    again = ineq.bootstrap(ineq.gini, score, cluster=area, area_weights=pop, n_boot=200, seed=7,
                           correct_noise=False)
    np.testing.assert_array_equal(res.replicates, again.replicates)
    # one respondent per area: nothing to resample, every replicate is the statistic
    single = ineq.bootstrap("theil", [3.0, 4.0, 5.0, 6.0, 7.0], cluster=list("vwxyz"),
                            n_boot=20, seed=1)
    np.testing.assert_allclose(single.replicates, single.statistic)
    with pytest.raises(SoslokalError, match="positive weight"):
        ineq.bootstrap(ineq.gini, score, cluster=area, area_weights={"a": 1}, n_boot=20)
    with pytest.raises(SoslokalError, match="cluster"):
        ineq.bootstrap(ineq.gini, score, resample="within", n_boot=20)
    with pytest.raises(SoslokalError, match="n_boot"):
        ineq.bootstrap(ineq.gini, score, n_boot=1)


def test_bootstrap_within_noise_correction_by_hand():
    rng = np.random.default_rng(21)
    area = np.repeat(np.array(["a", "b", "c", "d"]), [12, 20, 15, 9])
    level = {"a": 3.5, "b": 4.0, "c": 4.6, "d": 5.2}
    score = np.clip(np.rint(np.array([level[a] for a in area]) + rng.normal(0, 1.5, area.size)),
                    1, 7)
    wresp = rng.uniform(0.5, 2.0, area.size)
    pop = pd.Series({"a": 900.0, "b": 2500.0, "c": 1200.0, "d": 700.0})
    res = ineq.bootstrap("gini", score, wresp, cluster=area, area_weights=pop, n_boot=300,
                         seed=4)
    # by hand: weighted area means, their sampling variances, the noise share of their spread
    frame = pd.DataFrame({"a": area, "x": score, "w": wresp})
    n = frame.groupby("a").size()
    wsum = frame.groupby("a")["w"].sum()
    m = (frame["x"] * frame["w"]).groupby(frame["a"]).sum() / wsum
    dev = frame["w"] ** 2 * (frame["x"] - frame["a"].map(m)) ** 2
    v = n / (n - 1) * dev.groupby(frame["a"]).sum() / wsum**2
    p = pop / pop.sum()
    mu = (p * m).sum()
    spread = (p * (m - mu) ** 2).sum()
    noise = (p * (1 - p) * v).sum()
    f = np.sqrt(1 - noise / spread)
    raw = ineq.gini(m.to_numpy(), pop.to_numpy()).statistic
    assert 0 < f < 1
    assert res.method == "noise-corrected basic" and res.deflation == pytest.approx(f)
    assert res.uncorrected == pytest.approx(raw)
    assert res.statistic == pytest.approx(f * raw)  # the Gini scales with the deviations
    # basic interval around the corrected estimate, pivoting on the raw (bootstrap-world) value
    low, high = np.quantile(res.replicates, [0.025, 0.975])
    assert res.ci_low == pytest.approx(max(0.0, res.statistic - (high - raw)))
    assert res.ci_high == pytest.approx(res.statistic - (low - raw))
    assert res.ci_low < res.statistic < res.ci_high


def test_bootstrap_noise_correction_removes_the_upward_bias():
    # identical areas: every bit of spread in the means is noise, the truth is 0
    rng = np.random.default_rng(8)
    area = np.repeat(np.arange(8), 20)
    score = rng.integers(1, 8, area.size).astype(float)
    plain = ineq.bootstrap("gini", score, cluster=area, n_boot=200, seed=1, correct_noise=False)
    fixed = ineq.bootstrap("gini", score, cluster=area, n_boot=200, seed=1)
    assert plain.statistic > 0.02 and plain.ci_low > 0.01  # the raw interval misses the truth
    assert fixed.statistic < 0.5 * plain.statistic and fixed.ci_low == 0.0
    # unequal areas (true Gini of area means 0.066), 20 answers each: on average the raw
    # measure overshoots, the corrected one is much closer (benchmarks/inequality_coverage.py)
    probs = np.diff(np.column_stack([np.zeros(10), stats.norm.cdf(
        (np.arange(1.5, 7.0)[None] - (4.4 + np.linspace(-1.05, 1.05, 10))[:, None]) / 1.6),
        np.ones(10)]), axis=1)
    pop = np.linspace(500, 3000, 10)
    truth = ineq.gini(probs @ np.arange(1, 8), pop).statistic
    assert truth == pytest.approx(0.0660, abs=1e-4)
    area = np.repeat(np.arange(10), 20)
    cum = probs.cumsum(axis=1)[area]
    raw, corrected = [], []
    for run in range(40):
        score = 1.0 + (rng.random(area.size)[:, None] > cum).sum(axis=1)
        res = ineq.bootstrap("gini", score, cluster=area, area_weights=dict(enumerate(pop)),
                             n_boot=50, seed=run)
        raw.append(res.uncorrected)
        corrected.append(res.statistic)
    assert np.mean(raw) > truth + 0.004
    assert abs(np.mean(corrected) - truth) < 0.5 * (np.mean(raw) - truth)
