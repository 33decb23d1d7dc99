"""Indicator registry, TOML user indicators, indicator tables, composites and sensitivity."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soslokal_lib import indicators as ind
from soslokal_lib.errors import ConfigError, SoslokalError
from soslokal_lib.framework import DIMENSION_CODES
from soslokal_lib.indicators import composites as _composite

HB, LB = "higher_is_better", "lower_is_better"


def _areas(n: int) -> pd.Index:
    return pd.Index([f"990101{i:02d}" for i in range(1, n + 1)], name="area_id")


@pytest.fixture
def table() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 12
    return pd.DataFrame({
        "median_household_income": rng.normal(550_000, 60_000, n).round(-3),
        "persistent_low_income": rng.uniform(3, 20, n).round(1),
        "turnout": rng.uniform(45, 75, n).round(1),
        "moving_rate": rng.uniform(50, 180, n).round(1),
        "immigrant_share": rng.uniform(5, 40, n).round(1),
    }, index=_areas(n))


# --------------------------------------------------------------------------- exp_transform
def test_exp_transform_known_values():
    assert ind.exp_transform(1) == pytest.approx(100.0, abs=1e-12)
    assert ind.exp_transform(0) == 0.0
    k = 1 - math.exp(-100 / 23)
    assert ind.exp_transform(1e-9) == pytest.approx(23 * k * 1e-9, rel=1e-6)
    for r in (0.1, 0.5, 0.9, 0.99):
        assert ind.exp_transform(r) == pytest.approx(-23 * math.log(1 - r * k), rel=1e-12)
    assert ind.exp_transform(0.5) == pytest.approx(15.6468, abs=1e-4)
    out = ind.exp_transform(np.array([0.0, 0.5, 1.0, np.nan]))
    assert np.allclose(out[:3], [0.0, 15.64679, 100.0], atol=1e-5) and np.isnan(out[3])
    assert np.all(np.diff(ind.exp_transform(np.linspace(0, 1, 50))) > 0)
    with pytest.raises(SoslokalError, match="R must lie in"):
        ind.exp_transform(1.5)


# --------------------------------------------------------------------------- composite: known
def test_zscore_known_values_and_direction_flip():
    t = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [30.0, 20.0, 10.0]}, index=_areas(3))
    c = ind.composite(t, "zscore", directions={"a": HB, "b": LB})
    z = math.sqrt(1.5)  # (x - 2) / sqrt(2/3)
    assert np.allclose(c["score"], [-z, 0.0, z])
    assert c["rank"].tolist() == [3, 2, 1]
    assert c["decile"].tolist() == [1, 4, 7]
    flipped = ind.composite(t.assign(b=-t["b"]), "zscore", directions={"a": HB, "b": HB})
    assert np.allclose(flipped["score"], c["score"])
    reversed_ = ind.composite(t, "zscore", directions={"a": LB, "b": HB})
    assert reversed_["rank"].tolist() == [1, 2, 3]
    assert np.allclose(reversed_["score"], -c["score"])
    cancel = ind.composite(t, "zscore", directions={"a": LB, "b": LB})
    assert np.allclose(cancel["score"], 0) and cancel["rank"].tolist() == [1, 1, 1]


@pytest.mark.parametrize("method", ind.METHODS)
def test_scale_invariance(table, method):
    base = ind.composite(table, method)
    scaled = ind.composite(table.assign(turnout=table["turnout"] * 1000,
                                        moving_rate=table["moving_rate"] / 7),
                           method)
    assert np.allclose(base["score"], scaled["score"])
    assert base["rank"].equals(scaled["rank"])


@pytest.mark.parametrize("method", ind.METHODS)
def test_direction_flip_is_negation(table, method):
    dirs = {"median_household_income": HB, "persistent_low_income": LB, "turnout": HB}
    base = ind.composite(table, method, directions=dirs)
    neg = table.assign(persistent_low_income=-table["persistent_low_income"])
    flipped = ind.composite(neg, method, directions={**dirs, "persistent_low_income": HB})
    assert np.allclose(base["score"], flipped["score"])


def test_rank_levekar_and_exponential_known_values():
    t = pd.DataFrame({"x": np.arange(1.0, 11.0)}, index=_areas(10))
    d = {"x": HB}
    r = ind.composite(t, "rank", directions=d)
    assert np.allclose(r["score"], (np.arange(1, 11) - 0.5) / 10)
    lk = ind.composite(t, "levekar", directions=d)
    assert lk["score"].tolist() == list(range(1, 11))
    assert lk["levekar_index"].tolist() == list(range(10, 0, -1))  # SSB: 10 = most problems
    assert lk["decile"].tolist() == list(range(1, 11))
    ex = ind.composite(t, "exponential", directions=d)
    # Worst off (x = 1) has R = 1 → deprivation 100; best has R = 1/10.
    assert ex["deprivation"].iloc[0] == pytest.approx(100.0)
    assert ex["deprivation"].iloc[-1] == pytest.approx(ind.exp_transform(0.1))
    assert ex["rank"].tolist() == list(range(10, 0, -1))


def test_levekar_is_the_mean_of_ten_group_scores():
    # Two indicators over 20 areas: each area's problem level is the tenth it falls in.
    n = 20
    x = np.arange(n, dtype=float)
    t = pd.DataFrame({"inc": x, "low": 2 * x}, index=_areas(n))
    c = ind.composite(t, "levekar", directions={"inc": HB, "low": LB})
    level_inc = 10 - np.arange(n) // 2  # problems: low income → high level
    level_low = np.arange(n) // 2 + 1
    assert np.allclose(c["levekar_index"], (level_inc + level_low) / 2)


def test_levekar_index_has_ssbs_orientation_ten_is_most_problems():
    # SSB's example: Berlevåg 2004 scored 10, 10, 9, 10, 10, 10, 10, 10 on eight problem
    # indicators and has index 9.9 (mean 9.875). Ten areas, eight «lower is better» rates:
    # area 0 has the highest rate on seven of them and the second highest on the last.
    n, k = 10, 8
    rates = np.tile(np.arange(n, 0, -1, dtype=float)[:, None], (1, k))  # area 0 worst
    rates[[0, 1], k - 1] = rates[[1, 0], k - 1]  # on the last indicator area 1 is worst
    t = pd.DataFrame(rates, index=_areas(n), columns=[f"p{i}" for i in range(k)])
    c = ind.composite(t, "levekar", directions=dict.fromkeys(t.columns, LB))
    idx = c["levekar_index"]
    assert idx.iloc[0] == pytest.approx(9.875) and round(idx.iloc[0], 1) == 9.9
    assert idx.iloc[1] == pytest.approx((9 * 7 + 10) / 8)
    assert idx.iloc[-1] == 1.0 and idx.between(1, 10).all()  # 1 = fewest problems
    assert idx.is_monotonic_decreasing
    assert (c["score"] == 11 - idx).all()
    assert c.loc[idx.idxmax(), "rank"] == n  # most problems: the last rank
    assert "10 er flest levekårsproblemer" in ind.index_text("nb", "levekar")


def test_exponential_weights_sum():
    t = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 1.0, 2.0, 3.0]}, index=_areas(4))
    c = ind.composite(t, "exponential", {"a": 3, "b": 1}, {"a": HB, "b": HB})
    ra = np.array([4, 3, 2, 1]) / 4  # deprivation positions, worst at 1
    rb = np.array([1, 4, 3, 2]) / 4
    expected = 0.75 * ind.exp_transform(ra) + 0.25 * ind.exp_transform(rb)
    assert np.allclose(c["deprivation"], expected)


def test_population_weighted_zscore_and_deciles():
    t = pd.DataFrame({"a": [1.0, 2.0, 4.0]}, index=_areas(3))
    pop = pd.Series([100.0, 100.0, 800.0], index=_areas(3))
    c = ind.composite(t, "zscore", directions={"a": HB}, population=pop)
    w = pop.to_numpy() / 1000
    m = (w * t["a"]).sum()
    sd = math.sqrt((w * (t["a"] - m) ** 2).sum())
    assert np.allclose(c["score"], (t["a"] - m) / sd)
    # The big area holds 80 % of the population: it starts at the 20 % mark → decile 3.
    assert c["decile"].tolist() == [1, 2, 3]
    r = ind.composite(t, "rank", directions={"a": HB}, population=pop)
    assert np.allclose(r["score"], [0.05, 0.15, 0.6])
    col = ind.composite(t.assign(pop=pop), "rank", directions={"a": HB}, population="pop")
    assert np.allclose(col["score"], r["score"])
    with pytest.raises(SoslokalError, match="positive"):
        ind.composite(t, "zscore", directions={"a": HB}, population=pop.iloc[:2])


def test_context_indicators_are_left_out_unless_given_a_direction(table):
    c = ind.composite(table, "zscore")
    assert "immigrant_share" not in c.attrs["weights"]
    assert set(c.attrs["weights"]) == {"median_household_income", "persistent_low_income",
                                       "turnout", "moving_rate"}
    with pytest.raises(SoslokalError, match="context indicator"):
        ind.composite(table, "zscore", {"immigrant_share": 1, "turnout": 1})
    c2 = ind.composite(table, "zscore", {"immigrant_share": 1, "turnout": 1},
                       {"immigrant_share": LB})
    assert c2.attrs["directions"]["immigrant_share"] == LB


def test_unknown_columns_and_methods():
    t = pd.DataFrame({"mystery": [1.0, 2.0]}, index=_areas(2))
    with pytest.raises(SoslokalError, match="No indicator to combine"):
        ind.composite(t)
    with pytest.raises(SoslokalError, match="no direction"):
        ind.composite(t, weights={"mystery": 1})
    with pytest.raises(SoslokalError, match="Unknown composite method"):
        ind.composite(t, "pca", directions={"mystery": HB})
    with pytest.raises(SoslokalError, match="non-negative"):
        ind.composite(t, weights={"mystery": -1}, directions={"mystery": HB})
    with pytest.raises(SoslokalError, match="not in the table"):
        ind.composite(t, weights={"nope": 1}, directions={"nope": HB})


def test_missing_values_handled_explicitly():
    t = pd.DataFrame({"a": [1.0, 2.0, np.nan, 4.0], "b": [2.0, 1.0, 3.0, np.nan]},
                     index=_areas(4))
    d = {"a": HB, "b": HB}
    with pytest.raises(SoslokalError) as err:
        ind.composite(t, "zscore", directions=d)
    assert "99010103" in str(err.value) and "99010104" in str(err.value)
    assert "a" in str(err.value) and "mean_of_available" in str(err.value)
    dropped = ind.composite(t.assign(c=[1.0, 2.0, 3.0, 4.0]), "rank",
                            directions={**d, "c": HB}, missing="drop_indicator")
    assert dropped.attrs["dropped"] == ["a", "b"]
    assert dropped["rank"].tolist() == [4, 3, 2, 1]
    avail = ind.composite(t, "zscore", directions=d, missing="mean_of_available")
    assert avail["n_indicators"].tolist() == [2, 2, 1, 1]
    za = (np.array([1.0, 2.0, 4.0]) - 7 / 3) / np.std([1.0, 2.0, 4.0])
    zb = (np.array([2.0, 1.0, 3.0]) - 2) / np.std([2.0, 1.0, 3.0])
    assert avail["score"].iloc[2] == pytest.approx(zb[2])  # only b
    assert avail["score"].iloc[0] == pytest.approx((za[0] + zb[0]) / 2)
    empty = pd.DataFrame({"a": [1.0, np.nan, 3.0]}, index=_areas(3))
    res = ind.composite(empty, "zscore", directions={"a": HB}, missing="mean_of_available")
    assert np.isnan(res["score"].iloc[1]) and res["rank"].isna().iloc[1]  # never a silent zero
    assert res["score"].iloc[0] < res["score"].iloc[2]


def test_zscore_rank_can_fall_when_an_outlier_improves():
    """Data-dependent standardisation: improving an extreme value shrinks the SD and can widen
    another area's lead elsewhere. The score never falls (tested below); the rank can."""
    t = pd.DataFrame({"x": [1.198, -17.432, 1.622], "y": [0.315, 0.373, -1.936]},
                     index=_areas(3))
    d = {"x": HB, "y": HB}
    before = ind.composite(t, "zscore", directions=d)
    after = ind.composite(t.assign(x=[1.198, -17.432 + 2.594, 1.622]), "zscore", directions=d)
    assert after["score"].iloc[1] > before["score"].iloc[1]
    assert (before["rank"].iloc[1], after["rank"].iloc[1]) == (2, 3)
    for method in ("rank", "minmax", "levekar", "exponential"):
        b = ind.composite(t, method, directions=d)["rank"].iloc[1]
        a = ind.composite(t.assign(x=[1.198, -14.838, 1.622]), method, directions=d)
        assert a["rank"].iloc[1] <= b


# --------------------------------------------------------------------------- property tests
@st.composite
def _cases(draw):
    n = draw(st.integers(3, 8))
    k = draw(st.integers(1, 3))
    values = st.one_of(st.floats(-100, 100, allow_nan=False, allow_infinity=False),
                       st.sampled_from([0.0, 1.0, 2.0]))  # ties are where ranks go wrong
    cols = {f"i{j}": draw(st.lists(values, min_size=n, max_size=n)) for j in range(k)}
    dirs = {c: draw(st.sampled_from([HB, LB])) for c in cols}
    weights = {c: draw(st.floats(0.1, 5)) for c in cols}
    area = draw(st.integers(0, n - 1))
    col = draw(st.sampled_from(sorted(cols)))
    delta = draw(st.one_of(st.floats(0.01, 200), st.sampled_from([1.0, 2.0])))
    pop = draw(st.one_of(st.none(), st.lists(st.floats(1, 1000), min_size=n, max_size=n)))
    return pd.DataFrame(cols, index=_areas(n)), dirs, weights, area, col, delta, pop


@pytest.mark.parametrize("method", ind.METHODS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_cases())
def test_improving_an_area_never_hurts_it(method, case):
    t, dirs, weights, area, col, delta, pop = case
    pop = None if pop is None else pd.Series(pop, index=t.index)
    better = t.copy()
    better.iloc[area, better.columns.get_loc(col)] += delta if dirs[col] == HB else -delta
    before = ind.composite(t, method, weights, dirs, population=pop)
    after = ind.composite(better, method, weights, dirs, population=pop)
    assert after["score"].iloc[area] >= before["score"].iloc[area] - 1e-9
    if method != "zscore":  # see test_zscore_rank_can_fall_when_an_outlier_improves
        assert after["rank"].iloc[area] <= before["rank"].iloc[area]


# --------------------------------------------------------------------------- sensitivity
def test_sensitivity_is_seeded_and_consistent(table):
    a = ind.sensitivity(table, n_draws=40, seed=3)
    b = ind.sensitivity(table, n_draws=40, seed=3)
    c = ind.sensitivity(table, n_draws=40, seed=4)
    assert a.draw_ranks.equals(b.draw_ranks)
    assert not a.draw_weights.equals(c.draw_weights)
    assert list(a.ranks.columns) == list(ind.METHODS)
    assert np.allclose(np.diag(a.spearman), 1) and np.allclose(np.diag(a.kendall), 1)
    assert ((a.kendall.to_numpy() >= -1) & (a.kendall.to_numpy() <= 1)).all()
    iv = a.intervals
    assert iv["rank"].is_monotonic_increasing
    assert (iv["rank_min"] <= iv["rank"]).all() and (iv["rank"] <= iv["rank_max"]).all()
    assert (iv["draws_q05"] <= iv["draws_q95"]).all()
    assert np.allclose(a.draw_weights.sum(axis=1), 1)
    assert a.draw_ranks.shape == (12, 40 * len(ind.METHODS))
    assert 0 < a.statistic <= 1
    zs = ind.composite(table, "zscore")
    assert a.ranks["zscore"].equals(zs["rank"])


def test_sensitivity_without_spread_reproduces_the_base_ranks(table):
    for kind in ("uniform", "dirichlet"):
        res = ind.sensitivity(table, ("rank", "levekar"), n_draws=5, weight_spread=0,
                              perturbation=kind)
        for m in ("rank", "levekar"):
            draws = res.draw_ranks[m]
            assert all(draws[d].equals(res.ranks[m]) for d in draws.columns)


def test_crowded_housing_follows_ssbs_two_condition_definition():
    text = ind.get_indicator("crowded_housing").compute
    # SSB: crowded = (rooms < persons, or one person in one room) AND under 25 m² per person
    assert "both conditions" in text and "one person in a one-room dwelling" in text
    assert "and (2) less than 25 m² per person" in text
    assert "or less than 25" not in text


def test_ranks_do_not_depend_on_floating_point_noise():
    # scores that are equal up to 1e-14 (as from a matrix–vector vs a matrix–matrix product)
    score = pd.Series([0.3, 0.1 + 0.2, 0.7, 0.3 - 1e-14, 0.7 + 1e-14, -0.2])
    assert ind.RANK_DECIMALS == 10
    ranks = _composite._rank_desc(score)
    assert ranks.tolist() == [3, 3, 1, 3, 1, 6]
    rng = np.random.default_rng(3)
    for _ in range(20):
        noisy = score + rng.choice([-1e-14, 0.0, 1e-14], size=len(score))
        assert _composite._rank_desc(noisy).equals(ranks)


@pytest.mark.parametrize("method", ind.METHODS)
def test_composite_ranks_unchanged_by_tiny_perturbations(method):
    # two pairs of areas with identical indicators tie exactly; nudging the inputs by 1e-14
    # (relative) must not break the ties or move any rank or decile
    base = pd.DataFrame({
        "median_household_income": [500_000.0, 520_000.0, 520_000.0, 610_000.0, 480_000.0,
                                    610_000.0],
        "persistent_low_income": [12.5, 9.0, 9.0, 4.5, 15.0, 4.5],
        "turnout": [55.0, 61.0, 61.0, 70.0, 50.0, 70.0],
    }, index=_areas(6))
    ref = ind.composite(base, method)
    assert ref.loc["99010102", "rank"] == ref.loc["99010103", "rank"]
    assert ref.loc["99010104", "rank"] == ref.loc["99010106", "rank"] == 1
    rng = np.random.default_rng(11)
    for _ in range(10):
        nudged = base * (1 + rng.choice([-1e-14, 0.0, 1e-14], size=base.shape))
        out = ind.composite(nudged, method)
        assert out["rank"].equals(ref["rank"]) and out["decile"].equals(ref["decile"])


def test_sensitivity_dirichlet_spread(table):
    res = ind.sensitivity(table, ("zscore",), n_draws=2000, weight_spread=0.3,
                          perturbation="dirichlet", seed=1)
    w = res.draw_weights
    assert np.allclose(w.mean(), 0.25, atol=0.01)
    assert np.allclose(w.std() / w.mean(), 0.3, atol=0.03)
    with pytest.raises(SoslokalError):
        ind.sensitivity(table, n_draws=2, perturbation="gaussian")


# --------------------------------------------------------------------------- goal sub-indices
def test_goal_scores(table):
    g = ind.goal_scores(table)
    assert g.attrs["indicators"]["justice"] == ["median_household_income",
                                                "persistent_low_income", "turnout"]
    assert g.attrs["indicators"]["robustness"] == ["moving_rate"]
    expected = ind.composite(table[["moving_rate"]], "zscore")["score"]
    assert np.allclose(g["robustness"], expected)
    assert g.attrs["reference"]["justice"] == pytest.approx(g["justice"].median())
    with pytest.raises(SoslokalError, match="robustness"):
        ind.goal_scores(table.drop(columns="moving_rate"))
    w = ind.goal_scores(table, "rank", weights={"turnout": 1, "moving_rate": 2})
    assert w.attrs["indicators"] == {"justice": ["turnout"], "robustness": ["moving_rate"]}
    assert w["justice_rank"].equals(ind.composite(table, "rank", {"turnout": 1})["rank"])
    with pytest.raises(SoslokalError, match="no framework dimension: immigrant_share"):
        ind.goal_scores(table, weights={"turnout": 1, "immigrant_share": 1})


# --------------------------------------------------------------------------- indicator_table
def _summary() -> pd.DataFrame:
    rows = []
    themes = ["feeling_safe", "social_interaction", "identity_belonging", "public_transport"]
    values = {  # area: (median, share_low, n, suppressed) per theme
        "99010100": [(5.0, 0.1, 40, False), (4.0, 0.2, 38, False), (6.0, 0.05, 41, False),
                     (3.0, 0.5, 40, False)],
        "99010200": [(4.0, 0.3, 12, False), (np.nan, np.nan, 3, True), (5.0, 0.1, 12, False),
                     (4.5, 0.25, 12, False)],
    }
    for area, cells in values.items():
        for theme, (med, low, n, sup) in zip(themes, cells, strict=True):
            rows.append({"area_id": area, "theme": theme, "n": n, "median": med,
                         "share_low": low, "share_high": 0.3, "mean": med,
                         "suppressed": sup})
    for theme in themes:
        rows.append({"area_id": "total", "theme": theme, "n": 95, "median": 4.0,
                     "share_low": 0.2, "share_high": 0.3, "mean": 4.1, "suppressed": False})
    return pd.DataFrame(rows)


def test_indicator_table_keeps_suppressed_cells_missing():
    socio = pd.DataFrame({"area_id": ["99010100", "99010200"],
                          "median_income_nok": [600_000, 480_000],
                          "moving_rate_per_1000": [80.0, 120.0],
                          "immigrant_pct": [10.0, 30.0]})
    t = ind.indicator_table(_summary(), socio)
    assert list(t.index) == ["99010100", "99010200"]  # "total" left out
    assert t.loc["99010100", "sk_feeling_safe_median"] == 5.0
    assert np.isnan(t.loc["99010200", "sk_social_interaction_median"])
    assert np.isnan(t.loc["99010200", "sk_social_interaction_share_low"])
    assert t.loc["99010200", "sk_social_interaction_median__n"] == 3
    assert t.loc["99010100", "sk_feeling_safe_share_low"] == 0.1
    # A dimension mean needs every theme: social_networks has only social_interaction.
    assert np.isnan(t.loc["99010200", "sk_dim_social_networks"])
    assert t.loc["99010100", "sk_dim_social_networks"] == 4.0
    assert t.loc["99010200", "sk_dim_safety_security"] == 4.0
    assert t.loc["99010100", "median_household_income"] == 600_000
    assert t.loc["99010200", "moving_rate"] == 120.0
    assert "sk_dim_physical_infrastructure_transport" not in t  # moving_around etc. absent
    assert "not in the summary" in t.attrs["skipped"]["sk_dim_physical_infrastructure_transport"]
    assert t.attrs["indicators"]["immigrant_share"]["direction"] == "context"
    assert ind.core_indicators(t) == [
        "sk_dim_social_networks", "sk_dim_safety_security", "sk_dim_pride_belonging",
        "median_household_income", "moving_rate"]
    assert set(ind.uncovered_dimensions(t)) >= {"public_spaces", "environmental_quality"}
    assert "stability" not in ind.uncovered_dimensions(t)
    with pytest.raises(SoslokalError, match="Missing values"):
        ind.composite(t)


def test_indicator_table_explicit_indicators_and_errors():
    summ = _summary()
    t = ind.indicator_table(summ, indicators=["sk_feeling_safe_median"],
                            population=pd.Series({"99010100": 900, "99010200": 400}))
    assert list(t.columns) == ["sk_feeling_safe_median", "sk_feeling_safe_median__n"]
    t2 = ind.indicator_table(summ, indicators=["sk_feeling_safe_median", "population"],
                             population=pd.Series({"99010100": 900, "99010200": 400}))
    assert t2["population"].tolist() == [900, 400]
    with pytest.raises(SoslokalError, match="cannot be computed.*no socioeconomic table"):
        ind.indicator_table(summ, indicators=["turnout"])
    with pytest.raises(SoslokalError, match="No indicator is called"):
        ind.indicator_table(summ, indicators=["turnuot"])
    bad = pd.DataFrame({"area_id": ["1", "2"], "turnout_pct": ["55", "n/a"]})
    with pytest.raises(SoslokalError, match="non-numeric"):
        ind.indicator_table(socio=bad, indicators=["turnout"])
    dup = pd.DataFrame({"area_id": ["1", "1"], "turnout_pct": [50, 60]})
    with pytest.raises(SoslokalError, match="more than one row"):
        ind.indicator_table(socio=dup)
    with pytest.raises(SoslokalError, match="summarise"):
        ind.indicator_table(summ.drop(columns="theme"))
    grunnkrets = pd.DataFrame({"area_id": ["99010101", "99010102"], "turnout_pct": [50, 60]})
    with pytest.raises(SoslokalError, match="share no area.*aggregate"):
        ind.indicator_table(summ, grunnkrets)
    profile = pd.DataFrame({"pct_67plus": [20.0, 12.0, 15.0]},
                           index=pd.Index(["99010100", "99010200", "9901"], name="area_id"))
    profile.attrs["total"] = "9901"
    t4 = ind.indicator_table(summ, profile, indicators=["share_67_plus"])
    assert t4["share_67_plus"].to_dict() == {"99010100": 20.0, "99010200": 12.0}
    partial = pd.DataFrame({"area_id": ["99010100", "99010300"], "turnout_pct": [50, 60]})
    t3 = ind.indicator_table(summ, partial)
    assert t3.attrs["unmatched_areas"] == {"summary_only": ["99010200"],
                                           "socio_only": ["99010300"]}
    assert np.isnan(t3.loc["99010200", "turnout"])
    assert np.isnan(t3.loc["99010300", "sk_feeling_safe_median"])


def test_registry_covers_the_issue_list():
    ids = {i.id for i in ind.REGISTRY}
    assert {"persistent_low_income", "median_household_income", "low_education",
            "unemployment_benefits", "crowded_housing", "moving_rate", "turnout",
            "immigrant_share", "share_67_plus"} <= ids
    assert len([i for i in ind.REGISTRY if i.source == "survey"]) == 14 * 2 + 8
    for i in ind.REGISTRY:
        assert i.direction in ind.DIRECTIONS
        assert i.dimension in DIMENSION_CODES or (i.dimension is None and i.direction == "context")
        assert i.compute and i.name_nb and i.name_en and i.unit
    assert ind.get_indicator("immigrant_share").direction == "context"
    assert ind.registry_table().loc["turnout", "goal"] == "justice"


# --------------------------------------------------------------------------- TOML
def _write(tmp_path, text: str):
    path = tmp_path / "mine.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_indicators_valid(tmp_path):
    path = _write(tmp_path, """
        [[indicator]]
        id = "child_low_income"
        name_nb = "Barn i lavinntektsfamilier"
        dimension = "Sosial infrastruktur"
        direction = "lower_is_better"
        unit = "prosent"
        column = "barn_lavinntekt"
        core = true

        [[indicator]]
        id = "safe_and_cared_for"
        name_nb = "Trygt og godt vedlikeholdt"
        dimension = "safety_security"
        direction = "higher_is_better"
        source = "survey"
        themes = ["Trygghet", "identity_belonging"]
    """)
    mine = ind.load_indicators(path)
    assert [i.id for i in mine] == ["child_low_income", "safe_and_cared_for"]
    assert mine[0].dimension == "social_infrastructure" and mine[0].source == "levekar"
    assert mine[0].name_en == "Barn i lavinntektsfamilier" and mine[0].core
    assert mine[1].themes == ("feeling_safe", "identity_belonging")
    assert mine[1].statistic == "median"
    socio = pd.DataFrame({"area_id": ["99010100", "99010200"], "barn_lavinntekt": [8.0, 21.0]})
    t = ind.indicator_table(_summary(), socio, indicators=mine)
    assert t.loc["99010200", "child_low_income"] == 21.0
    assert t["safe_and_cared_for"].tolist() == [5.5, 4.5]
    assert t["safe_and_cared_for__n"].tolist() == [40, 12]
    # The table's attrs carry the user entries' directions into composites.
    c = ind.composite(t, "rank", weights={"child_low_income": 1})
    assert c["rank"].tolist() == [1, 2]
    assert ind.composite(t, "rank").attrs["directions"] == {
        "child_low_income": LB, "safe_and_cared_for": HB}


@pytest.mark.parametrize("body, expected", [
    ('dimension = "happiness"\ndirection = "higher_is_better"\ncolumn = "x"',
     "unknown dimension.*'happiness'.*Fix"),
    ('dimension = "stability"\ndirection = "up"\ncolumn = "x"',
     "unknown direction.*'up'.*Fix: use one of higher_is_better"),
    ('direction = "higher_is_better"\ncolumn = "x"', "missing field 'dimension'"),
    ('dimension = "stability"\ndirection = "higher_is_better"', "missing field 'column'"),
    ('dimension = "stability"\ndirection = "higher_is_better"\ncolumn = "x"\ncolum = "y"',
     "unknown field 'colum'.*Fix: use 'column'"),
    ('dimension = "stability"\ndirection = "higher_is_better"\nsource = "survey"',
     "needs themes"),
])
def test_load_indicators_errors_name_file_indicator_and_fix(tmp_path, body, expected):
    path = _write(tmp_path, f'[[indicator]]\nid = "mine"\nname_nb = "Mitt"\n{body}\n')
    with pytest.raises(ConfigError, match=expected) as err:
        ind.load_indicators(path)
    assert str(path) in str(err.value) and "'mine'" in str(err.value)


def test_load_indicators_duplicates_and_counts(tmp_path):
    entry = ('[[indicator]]\nid = "{id}"\nname_nb = "X"\ndimension = "stability"\n'
             'direction = "lower_is_better"\ncolumn = "x"\n')
    path = _write(tmp_path, entry.format(id="a") + entry.format(id="a"))
    with pytest.raises(ConfigError, match="duplicate id, also used by entry 1"):
        ind.load_indicators(path)
    path = _write(tmp_path, entry.format(id="turnout"))
    with pytest.raises(ConfigError, match="clashes with a built-in"):
        ind.load_indicators(path)
    path = _write(tmp_path, '[[indicator]]\nname_nb = "X"\n\n[[indicator]]\nid = "B-2"\n')
    with pytest.raises(ConfigError, match=r"missing field 'id'.* and \d+ more") as err:
        ind.load_indicators(path)
    assert len(err.value.problems) >= 4
    path = _write(tmp_path, 'id = "x"\n')
    with pytest.raises(ConfigError, match=r"\[\[indicator\]\]"):
        ind.load_indicators(path)
    path = _write(tmp_path, '[[indicator]\n')
    with pytest.raises(ConfigError, match="not valid TOML"):
        ind.load_indicators(path)
    with pytest.raises(ConfigError, match="file not found"):
        ind.load_indicators(tmp_path / "absent.toml")


# --------------------------------------------------------------------------- plots and imports
def test_heavy_modules_are_imported_lazily():
    code = ("import sys, soslokal_lib.indicators, soslokal_lib.framework, "
            "soslokal_lib.plot.indicators; "
            "bad = [m for m in ('matplotlib', 'geopandas', 'statsmodels') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_plots(table):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from soslokal_lib.plot.indicators import plot_justice_robustness, plot_rank_intervals

    res = ind.sensitivity(table, n_draws=20)
    names = {a: f"Sone {i}" for i, a in enumerate(table.index)}
    ax = plot_rank_intervals(res, names=names, source="syntetiske data")
    assert ax.get_xlabel() == "Rangering (1 = best stilt)"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == names[res.intervals.index[0]] and len(labels) == 12
    assert any("Kilde: syntetiske data" in t.get_text() for t in ax.texts)
    assert any("n = 12 områder" in t.get_text() for t in ax.texts)
    en = plot_rank_intervals(res, lang="en")
    assert en.get_xlabel() == "Rank (1 = best off)"
    g = ind.goal_scores(table)
    ax2 = plot_justice_robustness(g, names=names)
    assert ax2.get_xlabel().startswith("Sosial rettferdighet")
    assert ax2.get_ylabel().startswith("Sosial robusthet")
    offsets = ax2.collections[0].get_offsets()
    assert np.allclose(np.asarray(offsets)[:, 0], g["justice"])
    with pytest.raises(SoslokalError, match="goal_scores"):  # plot computes nothing
        plot_justice_robustness(table)
    ax3 = plot_justice_robustness(g, lang="en")
    assert ax3.get_xlabel().startswith("Social justice")
    plt.close("all")
