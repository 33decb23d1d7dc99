"""Every result object follows one convention (issue 14, «Results»).

A frozen dataclass; ``.to_frame()`` a non-empty DataFrame; ``.text("nb")`` and ``.text("en")``
non-empty, different and free of raw Python (``nan``, ``None``, ``np.float64``, e-notation);
``.statistic`` the documented headline number where there is one.

The classes were found by scanning ``soslokal_lib`` for dataclasses named ``*Result`` or
``*Report`` or having a ``to_frame`` method, plus the other results the notebooks print
(:data:`CLASSES` lists them; ``Survey`` has ``to_frame`` but is the input data, not a result).
Inequality results are built on small inputs whose values are worked out by hand below; the rest
on the synthetic sample (one module-scoped fixture).
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from soslokal_lib.app import gradient_page as page  # noqa: E402
from soslokal_lib.app.gradient_page import GradientData, KeyFigures  # noqa: E402
from soslokal_lib.indicators.composites import SensitivityResult, sensitivity  # noqa: E402
from soslokal_lib.indicators.fewareas import AreaCount, areas_with_results  # noqa: E402
from soslokal_lib.indicators.register_privacy import (  # noqa: E402
    RegisterProtection,
    protect_tables,
)
from soslokal_lib.io.inputs import load_inputs, load_socio_tables  # noqa: E402
from soslokal_lib.stats import gradient  # noqa: E402
from soslokal_lib.stats import gradient_results as gr  # noqa: E402
from soslokal_lib.stats import inequality as iq  # noqa: E402
from soslokal_lib.stats.area_differences import AreaDifferences, area_differences  # noqa: E402
from soslokal_lib.stats.areamerge import AreaMerge  # noqa: E402
from soslokal_lib.stats.gradient import ConcentrationCurve, LinearFit  # noqa: E402
from soslokal_lib.stats.models.area import AreaRegressionResult, area_regression  # noqa: E402
from soslokal_lib.stats.models.mixed import (  # noqa: E402
    IccResult,
    RandomInterceptResult,
    icc,
    random_intercept,
)
from soslokal_lib.stats.models.ordinal import OrdinalResult, ordinal_model  # noqa: E402
from soslokal_lib.stats.representativeness import Representativeness  # noqa: E402
from soslokal_lib.stats.sample_truth import DeltaTruth, TrueSii, delta_truth, true_sii  # noqa: E402
from soslokal_lib.stats.spatial import MoranResult  # noqa: E402
from soslokal_lib.stats.survey_population import load_survey_population  # noqa: E402
from soslokal_lib.stats.weighting import WeightingReport  # noqa: E402
from soslokal_lib.stats.weighting_study import WeightingStudy, weighting_study  # noqa: E402
from soslokal_lib.text.scrubbing import ScrubReport, scrub_series  # noqa: E402

IND = "low_income_pct"
SEED = 7

#: Every result class, by the key its instance has in :func:`results`.
CLASSES = {
    "inequality": iq.InequalityResult, "gini": iq.GiniResult, "theil": iq.DecompositionResult,
    "atkinson": iq.AtkinsonResult, "s80_s20": iq.QuintileShareResult,
    "p90_p10": iq.PercentileRatioResult, "concentration": iq.ConcentrationResult,
    "slope_index": iq.SlopeIndexResult, "allison_foster": iq.AllisonFosterResult,
    "abul_naga_yalcin": iq.AbulNagaYalcinResult, "bootstrap": iq.BootstrapResult,
    "linear_fit": LinearFit, "concentration_curve": ConcentrationCurve,
    "gradient_line": gr.GradientLine, "social_gradient": gr.SocialGradient,
    "theil_split": gr.TheilSplit, "icc_comparison": gr.IccComparison,
    "spatial_pattern": gr.SpatialPattern, "income_indices": gr.IncomeIndices,
    "icc": IccResult, "random_intercept": RandomInterceptResult, "ordinal": OrdinalResult,
    "area_regression": AreaRegressionResult, "moran": MoranResult,
    "representativeness": Representativeness, "weighting_report": WeightingReport,
    "weighting_study": WeightingStudy, "area_differences": AreaDifferences,
    "true_sii": TrueSii, "delta_truth": DeltaTruth, "area_merge": AreaMerge,
    "register_protection": RegisterProtection, "sensitivity": SensitivityResult,
    "area_count": AreaCount, "scrub_report": ScrubReport, "gradient_data": GradientData,
    "key_figures": KeyFigures,
}

#: Classes without a single headline number (so without ``statistic``).
NO_STATISTIC = {"ordinal", "area_regression", "representativeness", "area_differences",
                "key_figures"}

#: Hand-computed headline values of the small inputs in :func:`_inequality`.
HAND = {
    # x = 1, 1, 3, 3: μ = 2, σ² = 1 → CV = 1/2
    "inequality": 0.5,
    # x = 1..4: Σ_i Σ_j |x_i − x_j| = 20, 2·n²·μ = 80 → G = 0.25
    "gini": 0.25,
    # x = 1, 1, 3, 3 in groups {1, 1}, {3, 3}: within 0, T = ¼·ln ½ + ¾·ln 3/2
    "theil": 0.25 * math.log(0.5) + 0.75 * math.log(1.5),
    # x = 1, 4, ε = 1: 1 − geomean/μ = 1 − 2/2.5
    "atkinson": 0.2,
    # x = 1, 2, 3, 4, 10 (sum 20): top 20 % hold 10/20, bottom 20 % 1/20
    "s80_s20": 10.0,
    # x = 1..10: F(9) = 0.9 exactly → P90 = (9 + 10)/2; P10 = (1 + 2)/2
    "p90_p10": 9.5 / 1.5,
    # y = 4, 3, 2, 1 ranked by 1..4: C = −(Gini of 1..4)
    "concentration": -0.25,
    # y = 1, 2, 3, 5 on ridits ⅛, ⅜, ⅝, ⅞: slope = cov/var = 1.625/0.3125
    "slope_index": 5.2,
    # half at level 4, half at level 7 (scale 1–7): 2·E|X − 4| = 3
    "allison_foster": 3.0,
    # the same histogram: AF/(k − 1) = 1/2
    "abul_naga_yalcin": 0.5,
    # the bootstrap's estimate is the Gini of the data
    "bootstrap": 0.25,
    # y = 1, 2, 3, 5 on x = 1..4: slope = 1.625/1.25
    "linear_fit": 1.3,
    "concentration_curve": -0.25,
}

_RAW = re.compile(r"\bnan\b|\binf\b|\bNone\b|np\.|numpy|\d[eE][+-]?\d|dtype|Name:", re.I)


def _inequality() -> dict[str, object]:
    return {
        "inequality": iq.cv([1, 1, 3, 3]),
        "gini": iq.gini([1, 2, 3, 4]),
        "theil": iq.theil([1, 1, 3, 3], [1, 1, 1, 1], groups=["a", "a", "b", "b"]),
        "atkinson": iq.atkinson([1, 4], 1),
        "s80_s20": iq.s80_s20([1, 2, 3, 4, 10]),
        "p90_p10": iq.p90_p10(list(range(1, 11))),
        "concentration": iq.concentration_index([4, 3, 2, 1], [1, 2, 3, 4]),
        "slope_index": iq.slope_index([1, 2, 3, 5], [1, 2, 3, 4]),
        "allison_foster": iq.allison_foster([0, 0, 0, 5, 0, 0, 5], kind="counts"),
        "abul_naga_yalcin": iq.abul_naga_yalcin([0, 0, 0, 5, 0, 0, 5], kind="counts"),
        "bootstrap": iq.bootstrap("gini", [1, 2, 3, 4], n_boot=99, seed=SEED),
        "linear_fit": gradient.linear_fit([1, 2, 3, 4], [1, 2, 3, 5]),
        "concentration_curve": gradient.concentration_curve([4, 3, 2, 1], [1, 2, 3, 4]),
    }


def _indicator_table() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 12
    return pd.DataFrame({
        "median_household_income": rng.normal(550_000, 60_000, n).round(-3),
        "persistent_low_income": rng.uniform(3, 20, n).round(1),
        "turnout": rng.uniform(45, 75, n).round(1),
        "moving_rate": rng.uniform(50, 180, n).round(1),
        "immigrant_share": rng.uniform(5, 40, n).round(1),
    }, index=[f"area{i:02d}" for i in range(n)])


@pytest.fixture(scope="module")
def results() -> dict[str, object]:
    out = _inequality()
    inputs = load_inputs(None)
    tables, register = protect_tables(load_socio_tables(inputs, required=True), None,
                                      inputs=inputs)
    data = page.gradient_data(inputs, tables, theme="feeling_safe", compare_theme="natural_space",
                              indicator=IND, register=register)
    survey = inputs.survey
    study = weighting_study(load_survey_population(inputs), names=inputs.names).weighted()
    differences = area_differences(survey)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands, boundary ICCs: not what is tested here
        line = gr.gradient_line(data.table, IND)
        social = gr.social_gradient(data.table, IND, n_boot=49, seed=SEED)
        income = gr.income_indices(tables, n_boot=49, seed=SEED)
        split = gr.theil_split(tables, IND, n_boot=49, seed=SEED)
        iccs = gr.icc_comparison(survey, "feeling_safe", "natural_space")
        pattern = gr.spatial_pattern(tables, IND, permutations=99, seed=SEED)
        gradients = gradient.gradient_table(data.summary, data.socio, IND, n_boot=0)
        out.update(
            gradient_line=line, social_gradient=social, theil_split=split, icc_comparison=iccs,
            spatial_pattern=pattern, income_indices=income, moran=pattern.moran,
            icc=icc(survey, "feeling_safe", "area_id"),
            random_intercept=random_intercept(survey, "feeling_safe", "area_id"),
            ordinal=ordinal_model(survey, "feeling_safe", covariates=("gender",)),
            area_regression=area_regression(data.table, "mean", [IND], weights="population"),
        )
    out.update(
        representativeness=study.representation, weighting_report=study.report,
        weighting_study=study, area_differences=differences,
        true_sii=true_sii(data.socio, data.theme, IND, social.statistic, synthetic=True),
        delta_truth=delta_truth(differences, "feeling_safe", synthetic=True),
        area_merge=AreaMerge(mapping={"a": "b"}, steps=(("a", "b", "small"),),
                             names={"a": "Nordre", "b": "Østsiden"}, counts={"a": 3},
                             merged_names={"b": "Østsiden og Nordre"}),
        register_protection=RegisterProtection(
            socio=tables.socio,
            hidden=pd.DataFrame({"area_id": ["99010100"], "column": [IND],
                                 "reason": ["population"]}),
            names=dict(inputs.names)),
        sensitivity=sensitivity(_indicator_table(), ("zscore", "rank"), n_draws=20, seed=3),
        area_count=areas_with_results(data.summary, names=inputs.names),
        scrub_report=scrub_series(pd.Series(["Ring 912 34 567", "kari@example.no", "fint"]))[1],
        gradient_data=data,
        key_figures=page.key_figures(data, line, social, gradients, income, split, pattern,
                                     iccs),
    )
    return out


def test_every_class_has_an_instance(results):
    assert set(results) == set(CLASSES)
    for key, cls in CLASSES.items():
        assert type(results[key]) is cls, key


@pytest.mark.parametrize("key", sorted(CLASSES))
def test_frozen_dataclass(key):
    cls = CLASSES[key]
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls.__name__


@pytest.mark.parametrize("key", sorted(CLASSES))
def test_to_frame(results, key):
    frame = results[key].to_frame()
    assert isinstance(frame, pd.DataFrame) and not frame.empty, key


@pytest.mark.parametrize("key", sorted(CLASSES))
def test_text_in_both_languages(results, key):
    nb, en = results[key].text("nb"), results[key].text("en")
    assert isinstance(nb, str) and isinstance(en, str) and nb.strip() and en.strip()
    assert nb != en
    for text in (nb, en):
        assert not _RAW.search(text), f"{key}: raw Python in {text!r}"
    assert results[key].text("eng") == en and results[key].text("nb-NO") == nb


@pytest.mark.parametrize("key", sorted(set(CLASSES) - NO_STATISTIC))
def test_statistic(results, key):
    value = results[key].statistic
    assert isinstance(value, (int, float)) and np.isfinite(value), key
    if key in HAND:
        assert round(value, 9) == round(HAND[key], 9)


def test_statistic_is_the_documented_headline(results):
    r = results
    assert r["random_intercept"].statistic == r["random_intercept"].icc
    assert r["weighting_report"].statistic == r["weighting_report"].deff
    assert r["weighting_study"].statistic == r["weighting_report"].deff
    assert r["concentration_curve"].statistic == r["concentration_curve"].index
    assert r["linear_fit"].statistic == r["linear_fit"].slope
    assert r["scrub_report"].statistic == r["scrub_report"].total == 2
    assert r["area_count"].statistic == len(r["area_count"].areas)
    assert r["gradient_line"].statistic == r["gradient_line"].fit.slope
    assert r["social_gradient"].statistic == r["social_gradient"].sii.statistic
    assert r["spatial_pattern"].statistic == r["moran"].statistic
    assert r["icc_comparison"].statistic == r["icc_comparison"].theme.statistic
    assert r["sensitivity"].statistic == pytest.approx(
        r["sensitivity"].spearman.loc["zscore", "rank"])
    for key in ("inequality", "gini", "theil", "bootstrap", "icc", "moran"):
        assert float(r[key]) == r[key].statistic  # float(result) keeps working


def test_inequality_values_and_words(results):
    r = results
    theil = r["theil"]
    assert round(theil.between, 9) == round(HAND["theil"], 9) and theil.within == 0
    assert theil.to_frame().loc[0, "between_share"] == 1.0
    assert round(r["atkinson"].ede, 9) == 2.0
    assert (round(r["s80_s20"].top_share, 9), round(r["s80_s20"].bottom_share, 9)) == (0.5, 0.05)
    assert (r["p90_p10"].p90, r["p90_p10"].p10) == (9.5, 1.5)
    assert round(r["slope_index"].rii, 4) == round(5.35 / 0.15, 4)  # (β0 + β1)/β0
    assert r["slope_index"].to_frame().index.tolist() == ["sii", "rii"]
    assert r["allison_foster"].normalised == 0.5 and r["allison_foster"].median == 4
    assert r["gini"].text("nb") == ("Gini = 0,250 (punktestimat uten konfidensintervall); "
                                    "n = 4 områder, uvektet; snitt 2,5")
    assert r["gini"].text("en") == ("Gini = 0.250 (point estimate, no confidence interval); "
                                    "n = 4 areas, unweighted; mean 2.5")
    assert r["theil"].text("nb").endswith("mellom grupper 0,131 (100 %), innenfor 0,000 (0 %)")
    assert r["atkinson"].text("en").startswith("Atkinson (ε = 1) = 0.200 (point estimate")
    assert "de øverste 20 % har 50,0 % av summen, de nederste 20 % 5,0 %" in r["s80_s20"].text()
    assert r["concentration"].text("nb").startswith(
        "Konsentrasjonsindeks = −0,250 (punktestimat uten konfidensintervall): konsentrert "
        "blant de dårligere stilte")
    assert r["slope_index"].text("nb").startswith("SII = 5,20 (95 % KI ")
    assert r["allison_foster"].text("nb") == (
        "Allison–Foster = 3,00 (normert 0,500, skala 1–7), median nivå 4; n = 10 svar "
        "(punktestimat uten konfidensintervall)")
    boot = r["bootstrap"]
    assert boot.text("nb") == (
        f"Gini = 0,250 (95 % bootstrap-KI {boot.ci_low:.3f} til {boot.ci_high:.3f}; "
        "persentilmetoden, 99 trekk, områder trukket på nytt)").replace(".", ",")
    assert "replicates" not in boot.to_frame().columns


def test_other_words(results):
    assert results["scrub_report"].text("en") == (
        "Removed 2 items of personal data from 2 of 3 texts (email 1, phone 1)")
    assert results["representativeness"].text("nb") == results["representativeness"].note("nb")
    assert results["weighting_report"].to_frame("by_area").index.name == "area_id"
    assert "NaN" not in results["key_figures"].text("nb")
