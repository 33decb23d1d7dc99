"""The synthetic sample's built-in effects are recovered by the inequality tools.

The generator (``data/sample/README.md``, «Built-in truths») lowers feeling_safe,
care_maintenance, influence_control and housing_community by δ = −1.3 from the least to the
most deprived delområde, builds no gradient into natural_space and public_transport, makes
deprivation spatially smooth and lets the deprived answer less. The targets below are computed
from the generator's population truth (``sample.truth``) where possible, so the tests check
estimators against the truth rather than against numbers copied from a run. Tolerances are
stated in each docstring; they are about 2–3 standard errors of the sample statistic.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import soslokal_lib as sl
from soslokal_lib import indicators, inequality, spatial
from soslokal_lib.stats import gradient

GRADIENT_THEMES = ("feeling_safe", "care_maintenance", "influence_control", "housing_community")
FLAT_THEMES = ("natural_space", "public_transport")


@pytest.fixture(scope="module")
def sample():
    return sl.load_sample()


@pytest.fixture(scope="module")
def socio(sample) -> pd.DataFrame:
    return indicators.aggregate_socio(sample.socio, sample.grunnkretser)


@pytest.fixture(scope="module")
def summary(sample) -> pd.DataFrame:
    return sl.summarise(sample.survey, "area_id", min_n=5)


@pytest.fixture(scope="module")
def table(summary, socio) -> pd.DataFrame:
    return gradient.gradient_table(summary, socio, "low_income_pct", n_boot=199, seed=2025)


def _truth(sample, socio, theme: str) -> pd.DataFrame:
    truth = sample.truth[(sample.truth["area_id"] != "9901") & (sample.truth["theme"] == theme)]
    return truth.set_index("area_id").join(socio)


def _true_sii(sample, socio, theme: str) -> float:
    t = _truth(sample, socio, theme)
    return inequality.slope_index(t["mean"], t["low_income_pct"], t["population"],
                                  ascending=False).sii


@pytest.mark.parametrize("theme", GRADIENT_THEMES)
def test_sii_recovers_the_built_in_gradient(table, sample, socio, theme):
    """SII of the area mean along the low-income rank (population-weighted, most deprived at
    rank 0): positive with a 95 % CI above 0, and within 0.4 scale points of the SII of the
    true population means (truth: 0.86–1.24; sample SE 0.1–0.2). RII > 1."""
    row = table.loc[theme]
    assert row["sii_ci_low"] > 0
    assert abs(row["sii"] - _true_sii(sample, socio, theme)) < 0.4
    assert row["rii"] > 1 and row["rii_ci_low"] > 1


@pytest.mark.parametrize("theme", FLAT_THEMES)
def test_no_gradient_where_none_was_built_in(table, sample, socio, theme):
    """natural_space and public_transport have δ = 0: the true SII is near 0 (|SII| < 0.2;
    public_transport's 0.17 comes from age composition only) and the sample SII stays below
    0.5 in absolute value (sample SE ≈ 0.15–0.2), well under the δ = −1.3 themes."""
    assert abs(_true_sii(sample, socio, theme)) < 0.2
    assert abs(table.loc[theme, "sii"]) < 0.5
    assert table.loc["feeling_safe", "sii"] - table.loc[theme, "sii"] > 0.5


def test_low_scores_are_concentrated_in_deprived_areas(table, sample, socio):
    """Concentration index of the share of low feeling_safe scores (1–3), areas ranked from
    the highest low-income share: negative, its bootstrap CI below 0, and within 0.1 of the
    index of the true shares (truth −0.15)."""
    truth = _truth(sample, socio, "feeling_safe")
    true_c = inequality.concentration_index(truth["share_low"], truth["low_income_pct"],
                                            truth["population"], ascending=False).statistic
    row = table.loc["feeling_safe"]
    assert true_c < -0.1
    assert row["conc_low"] < 0 and row["conc_low_ci_high"] < 0
    assert abs(row["conc_low"] - true_c) < 0.1


def test_weighted_slope_matches_truth(summary, socio, sample):
    """Mean feeling_safe score per percentage point of low income (WLS, population weights):
    negative with a CI below 0, within 0.04 of the slope fitted to the true means (−0.084)."""
    area = gradient.theme_by_area(summary, "feeling_safe", socio)
    fit = gradient.linear_fit(area["low_income_pct"], area["mean"], area["population"],
                              dropna=True)
    truth = _truth(sample, socio, "feeling_safe")
    true_fit = gradient.linear_fit(truth["low_income_pct"], truth["mean"], truth["population"])
    assert fit.ci_high < 0
    assert abs(fit.slope - true_fit.slope) < 0.04


def test_concentration_curve_lies_above_equality(summary, socio):
    """The concentration curve of low feeling_safe scores lies on or above the diagonal at
    every point but the ends (deprived areas first) and its index equals the table's."""
    area = gradient.theme_by_area(summary, "feeling_safe", socio)
    area = area[~area["suppressed"].astype(bool)]
    curve = gradient.concentration_curve(area["share_low"], area["low_income_pct"],
                                         area["population"], ascending=False)
    pts = curve.points.iloc[1:-1]
    assert (pts["outcome_share"] >= pts["population_share"] - 1e-12).all()
    assert curve.index < -0.1


def test_deprivation_is_spatially_clustered(sample):
    """Moran's I of the grunnkrets low-income share (queen contiguity, the two island
    grunnkretser left out): the generator's deprivation field is smooth, so I > 0.3 with a
    permutation p < 0.05 (sample: I ≈ 0.56)."""
    gk = sample.grunnkretser.join(sample.socio)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spatial.IslandWarning)
        result = spatial.moran(gk, "low_income_pct", permutations=199, seed=1)
        lisa = spatial.local_moran(gk, "low_income_pct", permutations=199, seed=1)
    assert result.statistic > 0.3 and result.p_value < 0.05
    assert result.n == 58 and set(result.islands) == {"99011201", "99011202"}
    # the most deprived delområder form a High-High cluster, the least deprived Low-Low
    hh = lisa.loc[lisa["cluster"] == "High-High"].index.str[:6].unique()
    ll = lisa.loc[lisa["cluster"] == "Low-Low"].index.str[:6].unique()
    assert {"990109", "990102"} & set(hh)  # Storhaugen or Havna
    assert {"990104", "990105"} & set(ll)  # Solåsen or Vestre Strand


def test_income_inequality_lies_mostly_between_delomrader(sample):
    """Theil T of grunnkrets median income (households-weighted) split by delområde: the
    deprivation field varies mostly between delområder (grunnkrets noise SD 0.3 against
    delområde means from −1.8 to 1.3), so more than half lies between them."""
    gk = sample.socio.join(sample.grunnkretser["parent_id"])
    result = inequality.theil(gk["median_income_nok"], gk["households"], groups=gk["parent_id"])
    assert result.between_share > 0.5
    assert result.between + result.within == pytest.approx(result.statistic)
    assert len(result.groups) == 12


def test_deprived_areas_answer_less(summary, socio):
    """Respondents per inhabitant fall with the low-income share (built-in response
    propensity exp(−0.35·D)): the rank correlation across delområder is negative."""
    area = gradient.theme_by_area(summary, "feeling_safe", socio)
    rate = area["n"] / area["population"]
    assert rate.corr(area["low_income_pct"], method="spearman") < -0.3


def test_icc_is_larger_where_areas_differ(sample):
    """ICC (random intercept per delområde): feeling_safe, with its built-in gradient, has
    ICC between 0.02 and 0.12 (truth: between-area variance of the true means over the
    within-area variance gives ≈ 0.046); natural_space has (practically) none (< 0.02)."""
    models = pytest.importorskip("soslokal_lib.stats.models")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", models.ModelWarning)
        safe = models.icc(sample.survey, "feeling_safe", "area_id")
        nature = models.icc(sample.survey, "natural_space", "area_id")
    assert 0.02 < safe.statistic < 0.12
    assert nature.statistic < 0.02
    assert safe.statistic > nature.statistic
    assert np.isfinite(safe.anova) and safe.anova > nature.anova
