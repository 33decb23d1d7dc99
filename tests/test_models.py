"""Tests for soslokal_lib.models: ordinal regression, random intercept / ICC, area-level WLS."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import soslokal_lib as sl
from soslokal_lib import SoslokalError, models

pytest.importorskip("statsmodels")


# --- simulated data with known parameters -------------------------------------------------------


def _ordinal_data(seed: int = 20250601) -> pd.DataFrame:
    """4 000 people in 40 areas; latent = 0.8·x − 0.5·[group b] − 0.05·pct + logistic noise."""
    rng = np.random.default_rng(seed)
    areas = pd.Index([f"{9901_0000 + 100 * i:08d}" for i in range(1, 41)])
    pct = pd.Series(rng.uniform(5, 35, len(areas)), index=areas)
    area = np.repeat(areas.to_numpy(), 100)
    x = rng.normal(size=area.size)
    group = rng.choice(["a", "b"], size=area.size, p=[0.6, 0.4])
    latent = 0.8 * x - 0.5 * (group == "b") - 0.05 * pct.reindex(area).to_numpy()
    latent = latent + rng.logistic(size=area.size)
    cuts = np.array([-3.5, -2.5, -1.5, -0.5, 0.5, 1.5])
    score = 1 + (latent[:, None] > cuts).sum(axis=1)
    frame = pd.DataFrame({"area_id": pd.array(area, dtype="str"), "x": x,
                          "group": pd.Categorical(group), "score": score.astype("int64")})
    frame.loc[frame.index[:15], "score"] = pd.NA  # counted, not silently dropped
    frame["score"] = frame["score"].astype("Int8")
    return frame, pct.rename("deprived_pct").to_frame()


def test_ordinal_model_recovers_known_coefficients():
    frame, indicators = _ordinal_data()
    before = frame.copy()
    result = models.ordinal_model(frame, "score", area_indicators=indicators,
                                  covariates=("x", "group"), reference={"group": "a"})
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    c = result.coefficients
    assert result.n == 3985 and result.n_dropped == 15 and result.n_areas == 40
    assert result.cov_type == "cluster" and result.converged
    # tolerances ≈ 3 standard errors (SE ≈ 0.035, 0.07, 0.06)
    assert c.loc["x", "coef"] == pytest.approx(0.8, abs=0.1)
    assert c.loc["group[b]", "coef"] == pytest.approx(-0.5, abs=0.2)
    assert c.loc["group[b]", "reference"] == "a"
    # −0.05 per percentage point = −0.5 per 10 percentage points (OR e^−0.5 = 0.61)
    assert c.loc["deprived_pct", "per"] == 10
    assert c.loc["deprived_pct", "coef"] == pytest.approx(-0.5, abs=0.2)
    assert c.loc["deprived_pct", "odds_ratio"] == pytest.approx(np.exp(c.loc["deprived_pct",
                                                                             "coef"]))
    assert c.loc["deprived_pct", "ci_low"] < c.loc["deprived_pct", "odds_ratio"] < c.loc[
        "deprived_pct", "ci_high"] < 1
    # the cut points themselves (not statsmodels' first cut + log increments), ≈ 3 SE
    assert len(result.thresholds) == 6  # seven score levels
    assert list(result.thresholds.index) == ["1/2", "2/3", "3/4", "4/5", "5/6", "6/7"]
    assert result.thresholds.to_numpy() == pytest.approx([-3.5, -2.5, -1.5, -0.5, 0.5, 1.5],
                                                         abs=0.15)
    assert (np.diff(result.thresholds) > 0).all()
    raw = np.asarray(result.model.params)[-6:]
    assert result.thresholds.iloc[0] == raw[0]
    assert np.diff(result.thresholds) == pytest.approx(np.exp(raw[1:]))
    # per-SD scaling: the same model, the coefficient scaled by SD/10
    by_sd = models.ordinal_model(frame, "score", area_indicators=indicators,
                                 covariates=("x", "group"), reference={"group": "a"},
                                 per={"deprived_pct": "sd"})
    sd = indicators["deprived_pct"].std()
    assert by_sd.coefficients.loc["deprived_pct", "sd"] == pytest.approx(sd)
    assert by_sd.coefficients.loc["deprived_pct", "coef"] == pytest.approx(
        c.loc["deprived_pct", "coef"] * sd / 10, rel=1e-3)


def test_ordinal_model_errors():
    frame, indicators = _ordinal_data()
    with pytest.raises(SoslokalError, match=r"no row for 1 area\(s\).*99010100"):
        models.ordinal_model(frame, "score", area_indicators=indicators.iloc[1:],
                             covariates=("x",))
    with pytest.raises(SoslokalError, match="neither a column nor a theme"):
        models.ordinal_model(frame, "nope", covariates=("x",))
    with pytest.raises(SoslokalError, match="Reference level 'c'"):
        models.ordinal_model(frame, "score", covariates=("group",), reference={"group": "c"})
    with pytest.raises(SoslokalError, match="distr"):
        models.ordinal_model(frame, "score", covariates=("x",), distr="cauchit")
    with pytest.raises(SoslokalError, match="same value"):
        models.ordinal_model(frame.assign(x=1.0), "score", covariates=("x",))


def _grouped(between: float, within: float = 0.8, groups: int = 50, size: int = 40,
             seed: int = 7) -> pd.DataFrame:
    """Group effects standardised to variance exactly ``between`` (the realised truth)."""
    rng = np.random.default_rng(seed)
    u = rng.normal(size=groups)
    u = (u - u.mean()) / u.std(ddof=1) * np.sqrt(between) if between > 0 else np.zeros(groups)
    g = np.repeat(np.arange(groups), size)
    e = rng.normal(0, np.sqrt(within), g.size)
    if between == 0:  # no difference between groups at all, also in the sample
        e = e - pd.Series(e).groupby(g).transform("mean").to_numpy()
    return pd.DataFrame({"y": 4.0 + u[g] + e, "area": [f"a{i:02d}" for i in g]})


@pytest.mark.parametrize("seed", [7, 8])
def test_icc_recovers_known_between_share(seed):
    data = _grouped(0.2, seed=seed)
    result = models.icc(data, "y", "area")
    assert result.statistic == pytest.approx(0.2, abs=0.05)  # stated tolerance
    assert result.n_groups == 50 and result.n == 2000 and result.converged
    assert not result.boundary
    assert result.statistic == pytest.approx(
        result.between_var / (result.between_var + result.within_var))
    assert result.within_var == pytest.approx(0.8, abs=0.06)
    assert result.anova == pytest.approx(result.statistic, abs=0.02)  # ICC(1) cross-check
    assert float(result) == result.statistic


def test_icc_boundary_warning_when_no_between_variance():
    data = _grouped(0.0)
    with pytest.warns(models.ModelWarning, match="between groups is estimated at"):
        result = models.icc(data, "y", "area")
    assert result.boundary and result.statistic < 1e-3
    assert result.anova == pytest.approx(-1 / 39, abs=1e-3)  # MSB = 0: −1/(k₀ − 1)
    assert "i praksis ingen forskjell" in result.text()
    assert issubclass(models.ModelWarning, RuntimeWarning)


def test_anova_icc_by_hand():
    y = [1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 7.0]
    g = ["a", "a", "a", "b", "b", "b", "b"]
    # MSB = 35.0476/1, MSW = 4/5 = 0.8, k0 = (7 − 25/7)/1 = 3.4286
    msb = (3 * (2 - 31 / 7) ** 2 + 4 * (6.25 - 31 / 7) ** 2)
    msw = (1 + 0 + 1 + 1.5625 + 0.0625 + 0.5625 + 0.5625) / 5
    k0 = 7 - 25 / 7
    assert models.anova_icc(y, g) == pytest.approx((msb - msw) / (msb + (k0 - 1) * msw))


def test_area_regression_equals_statsmodels():
    from statsmodels.regression.linear_model import WLS

    rng = np.random.default_rng(11)
    n = 30
    df = pd.DataFrame({"low_income_pct": rng.uniform(3, 20, n), "turnout_pct": rng.uniform(40, 80, n),
                       "population": rng.integers(200, 3000, n)},
                      index=pd.Index([f"9901{i:02d}00" for i in range(n)], name="area_id"))
    noise = rng.normal(0, 0.1 * (1 + df["low_income_pct"] / 10))  # heteroscedastic
    df["score"] = 5.5 - 0.08 * df["low_income_pct"] + noise
    result = models.area_regression(df, "score", ["low_income_pct", "turnout_pct"],
                                    weights="population")
    X = np.column_stack([np.ones(n), df["low_income_pct"], df["turnout_pct"]])
    direct = WLS(df["score"].to_numpy(), X, weights=df["population"].to_numpy()).fit(
        cov_type="HC3")
    np.testing.assert_allclose(result.coefficients["coef"], direct.params, rtol=1e-10)
    np.testing.assert_allclose(result.coefficients["se"], direct.bse, rtol=1e-10)
    np.testing.assert_allclose(result.coefficients[["ci_low", "ci_high"]], direct.conf_int(),
                               rtol=1e-10)
    assert result.r2 == pytest.approx(direct.rsquared) and result.n == n
    assert result.cov_type == "HC3"
    plain = models.area_regression(df, "score", "low_income_pct", robust=None)
    ols = WLS(df["score"].to_numpy(), X[:, :2]).fit()
    np.testing.assert_allclose(plain.coefficients["se"], ols.bse, rtol=1e-10)
    table = result.table()
    assert list(table.columns) == ["Forklaringsvariabel", "Koeffisient", "95 % KI", "p-verdi",
                                   "Tolkning"]
    assert table.loc["low_income_pct", "Forklaringsvariabel"] == "Andel med lav inntekt"
    assert "vektet med population" in table.attrs["note"] and "HC3" in table.attrs["note"]
    assert table.loc["low_income_pct", "Tolkning"].startswith(
        "Per prosentpoeng høyere andel med lav inntekt henger sammen med 0,0")
    assert "lavere skår" not in table.loc["low_income_pct", "Tolkning"]  # 'score' is no theme
    assert table.loc["turnout_pct", "Tolkning"].startswith("Ingen tydelig sammenheng")
    # a missing value: left out with a warning naming the area
    gap = df.assign(score=df["score"].mask(df.index == "99010300"))
    with pytest.warns(models.ModelWarning, match="99010300"):
        short = models.area_regression(gap, "score", "low_income_pct")
    assert short.n == n - 1 and short.dropped == ("99010300",)
    with pytest.raises(SoslokalError, match="robust"):
        models.area_regression(df, "score", "low_income_pct", robust="HC9")


# --- the synthetic sample -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    s = sl.load_sample()
    areas = sl.geo.aggregate_areas(s.socio, "delomrade", rates={"low_income_pct": "population"})
    return s, areas[["low_income_pct"]]


def test_sample_low_income_lowers_feeling_safe(sample):
    s, areas = sample
    result = models.ordinal_model(s.survey, "feeling_safe", area_indicators=areas)
    row = result.coefficients.loc["low_income_pct"]
    # truth: feeling_safe falls by 1.3 points from the least to the most deprived delområde,
    # and low income rises with deprivation. Stated tolerance: OR per 10 percentage points
    # below 0.8 and its 95 % CI (cluster-robust by area) entirely below 1.
    assert row["odds_ratio"] < 0.8 and row["ci_high"] < 1
    assert result.n_areas == 12 and result.n + result.n_dropped == 800
    # the generator's individual effects: 65+ lower than 45–64, women lower than men
    c = result.coefficients
    assert c.loc["age_group[65+]", "odds_ratio"] < 1 and c.loc["age_group[65+]", "ci_high"] < 1
    assert c.loc["age_group[65+]", "reference"] == "45–64"  # the most common band
    table = result.table(lang="nb")
    assert {"Oddsratio", "95 % KI"} <= set(table.columns)
    sentence = table.loc["low_income_pct", "Tolkning"]
    assert re.fullmatch(r"Høyere andel med lav inntekt henger sammen med lavere skår på "
                        r"trygghet \(OR 0,\d\d per 10 prosentpoeng\)", sentence), sentence
    assert "n = " in table.attrs["note"] and "12 områder" in table.attrs["note"]
    assert result.table(lang="en").columns[1] == "Odds ratio"


def test_sample_natural_space_shows_no_clear_effect(sample):
    s, areas = sample
    result = models.ordinal_model(s.survey, "natural_space", area_indicators=areas)
    row = result.coefficients.loc["low_income_pct"]
    # truth: δ = 0. Stated tolerance: the 95 % CI includes 1 and |log OR| < log 1.5
    assert row["ci_low"] < 1 < row["ci_high"]
    assert abs(np.log(row["odds_ratio"])) < np.log(1.5)
    assert result.table().loc["low_income_pct", "Tolkning"].startswith("Ingen tydelig")


def test_sample_icc_feeling_safe_above_natural_space(sample):
    s, _ = sample
    safe = models.icc(s.survey, "feeling_safe", "area_id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", models.ModelWarning)  # natural_space: boundary
        nature = models.icc(s.survey, "natural_space", "area_id")
    # truth: feeling_safe varies with deprivation between delområder, natural_space does not.
    # Stated tolerance: ICC(feeling_safe) in 0.02–0.15 and at least 0.02 above natural_space
    assert 0.02 < safe.statistic < 0.15 and not safe.boundary
    assert nature.statistic < 0.01
    assert safe.statistic > nature.statistic + 0.02
    assert safe.n_groups == 12
    assert safe.anova == pytest.approx(safe.statistic, abs=0.02)
    assert safe.text().startswith("5,") or safe.text()[0].isdigit()
    adjusted = models.icc(s.survey, "feeling_safe", "area_id", covariates=["age_group", "gender"])
    fixed = adjusted.model.fixed
    assert fixed.loc["age_group[65+]", "coef"] < 0 and fixed.loc["age_group[65+]", "ci_high"] < 0
