"""Tests for soslokal_lib.weighting: population margins, raking, post-stratification, report.

`balance` (Meta) is not a dependency: on Python 3.11 it pins numpy<2, scipy<1.14 and
scikit-learn<1.4, which would downgrade the project's stack. IPF is therefore checked against
independent solutions: statsmodels' independence fit, the closed-form 2×2 solution (the raked
table keeps the seed's odds ratio) and a textbook loop implementation written here.
"""

from __future__ import annotations

import dataclasses
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import soslokal_lib
from soslokal_lib import SoslokalError, weighting
from soslokal_lib.io.sample import SURVEY_AGE_BANDS

MARGINS = ("area_id", "age_group", "gender")


@pytest.fixture(scope="module")
def sample():
    return soslokal_lib.load_sample()


@pytest.fixture(scope="module")
def cells(sample):
    return weighting.population_cells(sample.population,
                                      area_map=sample.grunnkretser["parent_id"])


@pytest.fixture(scope="module")
def margins(sample):
    return weighting.population_margins(sample.population,
                                        area_map=sample.grunnkretser["parent_id"])


@pytest.fixture(scope="module")
def complete(sample):
    """Respondents with every margin variable known (a DataFrame)."""
    r = sample.survey.responses
    return r[r[list(MARGINS)].notna().all(axis=1)]


def _table_df(counts: np.ndarray, names=("row", "col")) -> pd.DataFrame:
    """One respondent row per count in a contingency table of respondents."""
    idx = np.indices(counts.shape).reshape(counts.ndim, -1).T
    reps = counts.reshape(-1)
    rows = np.repeat(idx, reps, axis=0)
    return pd.DataFrame({n: [f"{n}{v}" for v in rows[:, i]] for i, n in enumerate(names)})


def _weighted(df: pd.DataFrame, w: pd.Series, var: str) -> pd.Series:
    return w.groupby(df[var].astype("string").to_numpy()).sum()


# --------------------------------------------------------------------------- population margins


def test_population_margins_match_hand_sums(sample, margins):
    pop = sample.population
    adults = pop[~pop["age"].isin(["0-4", "5-9", "10-14"])]
    total = adults["value"].sum()
    assert set(margins) == set(MARGINS)
    for var in MARGINS:
        assert margins[var].sum() == pytest.approx(total)
    assert margins["gender"]["Kvinne"] == adults.loc[adults["sex"] == "Kvinner", "value"].sum()
    band = SURVEY_AGE_BANDS["45–64"]
    assert margins["age_group"]["45–64"] == adults.loc[adults["age"].isin(band), "value"].sum()
    parent = sample.grunnkretser["parent_id"]
    havna = adults[adults["area_id"].map(parent) == "99010200"]["value"].sum()
    assert margins["area_id"]["99010200"] == havna
    assert list(margins["age_group"].index) == list(SURVEY_AGE_BANDS)
    assert margins["area_id"].index.is_unique and len(margins["area_id"]) == 12


def test_population_cells_shape(cells, margins):
    assert list(cells.columns) == list(weighting.CELL_COLUMNS)
    assert len(cells) == 12 * 4 * 2
    assert cells["population"].sum() == pytest.approx(margins["area_id"].sum())


def test_population_margins_errors(sample):
    pop = sample.population
    with pytest.raises(SoslokalError, match="area_map does not place"):
        weighting.population_margins(pop, area_map={"99010101": "99010100"})
    with pytest.raises(SoslokalError, match="sex_map"):
        weighting.population_margins(pop, sex_map={"Mann": "Menn"})
    with pytest.raises(SoslokalError, match="age group"):
        weighting.population_margins(pop, age_bands={"15–29": ("15-29",)})
    with pytest.raises(SoslokalError, match="lacks column"):
        weighting.population_margins(pop.rename(columns={"value": "persons"}))


# --------------------------------------------------------------------------- raking on the sample


def test_rake_reproduces_every_margin(complete, margins):
    w, report = weighting.rake(complete, margins, return_report=True)
    total = margins["area_id"].sum()
    assert w.sum() == pytest.approx(total, rel=1e-12)
    assert w.index.equals(complete.index) and w.name == "weight"
    for var in MARGINS:
        got = _weighted(complete, w, var).reindex(margins[var].index)
        np.testing.assert_allclose(got.to_numpy(), margins[var].to_numpy(), rtol=1e-6)
    assert report.converged and report.max_margin_error < 1e-8
    assert report.margins["error"].abs().max() < 1e-6
    assert 0 < report.iterations < 100


def test_rake_ignore_margin_matches_distribution_among_known(sample, margins):
    df = sample.survey.responses
    w, report = weighting.rake(df, margins, missing="ignore_margin", return_report=True)
    assert w.sum() == pytest.approx(margins["area_id"].sum())
    got = _weighted(df, w, "area_id").reindex(margins["area_id"].index)
    np.testing.assert_allclose(got.to_numpy(), margins["area_id"].to_numpy(), rtol=1e-6)
    for var in ("age_group", "gender"):
        known = df[var].notna().to_numpy()
        shares = _weighted(df[known], w[known], var).reindex(margins[var].index)
        np.testing.assert_allclose((shares / shares.sum()).to_numpy(),
                                   (margins[var] / margins[var].sum()).to_numpy(), rtol=1e-6)
    assert report.missing == {"area_id": 0, "age_group": 5, "gender": 18}


def test_missing_values_need_a_decision(sample, margins):
    with pytest.raises(SoslokalError, match=r"'age_group'.*5 respondents.*ignore_margin"):
        weighting.rake(sample.survey, margins)


def test_weighting_moves_kommune_estimate_toward_truth(sample, margins):
    """feeling_safe: the data card's clear case of age/area bias in the unweighted mean."""
    survey = sample.survey
    w = weighting.rake(survey, margins, missing="ignore_margin")
    weighted = weighting.with_weights(survey, w)
    truth = sample.truth.set_index(["area_id", "theme"]).loc[("9901", "feeling_safe"), "mean"]
    u = soslokal_lib.summarise(survey)
    v = soslokal_lib.summarise(weighted, weight="weight")

    def pick(t: pd.DataFrame) -> float:
        rows = t[(t["area_id"] == "total") & (t["theme"] == "feeling_safe")]
        return float(rows["mean"].iloc[0])

    unweighted_mean, weighted_mean = pick(u), pick(v)
    assert unweighted_mean - truth > 0.15  # the unweighted estimate is biased upwards
    assert abs(weighted_mean - truth) < 0.08
    assert abs(weighted_mean - truth) < abs(unweighted_mean - truth) / 2


# --------------------------------------------------------------------------- IPF vs independent


def test_ipf_equals_statsmodels_independence_fit():
    """Equal respondents per cell: the raked table is r_i c_j / N (statsmodels' fit)."""
    from statsmodels.stats.contingency_tables import Table

    target = np.array([[30.0, 10, 20, 5], [12, 40, 8, 25], [7, 9, 30, 4]])
    df = _table_df(np.full(target.shape, 2))
    rows = {f"row{i}": v for i, v in enumerate(target.sum(axis=1))}
    cols = {f"col{j}": v for j, v in enumerate(target.sum(axis=0))}
    w = weighting.rake(df, {"row": rows, "col": cols}, tol=1e-12)
    fitted = Table(target).fittedvalues
    got = w.groupby([df["row"], df["col"]]).sum().unstack().to_numpy()
    np.testing.assert_allclose(got, fitted, rtol=1e-9)


def test_ipf_2x2_closed_form():
    """2×2: the raked table has the seed's odds ratio and the target margins (a quadratic)."""
    seed = np.array([[40, 10], [20, 30]])
    r1, c1, total = 500.0, 450.0, 1000.0
    df = _table_df(seed)
    w = weighting.rake(df, {"row": {"row0": r1, "row1": total - r1},
                            "col": {"col0": c1, "col1": total - c1}}, tol=1e-13)
    theta = seed[0, 0] * seed[1, 1] / (seed[0, 1] * seed[1, 0])
    # m11·(N − r1 − c1 + m11) = θ·(r1 − m11)(c1 − m11)  →  a m² + b m + c = 0
    a, b, c = 1 - theta, (total - r1 - c1) + theta * (r1 + c1), -theta * r1 * c1
    roots = np.roots([a, b, c])
    m11 = roots[(roots > 0) & (roots < min(r1, c1))][0].real
    got = w.groupby([df["row"], df["col"]]).sum()
    assert got[("row0", "col0")] == pytest.approx(m11, rel=1e-9)
    # every respondent of a cell gets the same weight
    assert (w.groupby([df["row"], df["col"]]).std() < 1e-9).all()


def _textbook_ipf(seed: np.ndarray, targets: list[np.ndarray], iters: int = 2000) -> np.ndarray:
    """Plain loop IPF on a 3-way table (Deming & Stephan), independent of the library."""
    m = seed.astype(float).copy()
    for _ in range(iters):
        for axis, t in enumerate(targets):
            other = tuple(a for a in range(m.ndim) if a != axis)
            current = m.sum(axis=other)
            for level in range(m.shape[axis]):
                index = [slice(None)] * m.ndim
                index[axis] = level
                m[tuple(index)] *= t[level] / current[level]
    return m


def test_ipf_equals_textbook_loop_on_three_margins():
    rng = np.random.default_rng(7)
    seed = rng.integers(1, 9, size=(3, 4, 2))
    targets = [np.array([300.0, 500, 200]), np.array([100.0, 400, 350, 150]),
               np.array([480.0, 520])]
    df = _table_df(seed, names=("a", "b", "c"))
    margins = {n: {f"{n}{i}": v for i, v in enumerate(t)}
               for n, t in zip(("a", "b", "c"), targets, strict=True)}
    w = weighting.rake(df, margins, tol=1e-12, max_iter=500)
    expected = _textbook_ipf(seed, targets)
    got = w.groupby([df["a"], df["b"], df["c"]]).sum().to_numpy().reshape(seed.shape)
    np.testing.assert_allclose(got, expected, rtol=1e-8)


def test_base_weights_that_already_fit_are_kept():
    df = _table_df(np.array([[2, 3], [4, 1]]))
    base = pd.Series(np.arange(1.0, 11.0), index=df.index)
    margins = {v: _weighted(df, base, v) for v in ("row", "col")}
    w = weighting.rake(df, margins, base_weight=base)
    np.testing.assert_allclose(w.to_numpy(), base.to_numpy(), rtol=1e-10)
    assert weighting.rake(df.assign(b=base), margins, base_weight="b").equals(w)


# --------------------------------------------------------------------------- trimming, report


def test_trim_bounds_and_margins_hold(complete, margins):
    w0, r0 = weighting.rake(complete, margins, return_report=True)
    w, report = weighting.rake(complete, margins, trim=(0.3, 3.5), return_report=True)
    mean = w.mean()
    assert w0.max() > 4 * mean and w0.min() < 0.25 * mean  # trimming had work to do
    assert w.max() <= 3.5 * mean * (1 + 1e-6) and w.min() >= 0.3 * mean * (1 - 1e-6)
    for var in MARGINS:
        got = _weighted(complete, w, var).reindex(margins[var].index)
        np.testing.assert_allclose(got.to_numpy(), margins[var].to_numpy(), rtol=1e-6)
    assert report.trim == (0.3, 3.5) and report.n_trimmed > 0 and report.trim_rounds >= 1
    assert report.converged and report.deff < r0.deff


def test_infeasible_trim_warns_and_keeps_margins(complete, margins):
    with pytest.warns(RuntimeWarning, match="cannot both hold"):
        w = weighting.rake(complete, margins, trim=(0.4, 2.5), max_iter=30)
    got = _weighted(complete, w, "age_group").reindex(margins["age_group"].index)
    np.testing.assert_allclose(got.to_numpy(), margins["age_group"].to_numpy(), rtol=1e-6)


def test_report_figures_equal_hand_computation(complete, margins):
    w, report = weighting.rake(complete, margins, return_report=True)
    x = w.to_numpy()
    assert report.deff == pytest.approx(1 + x.var() / x.mean() ** 2)
    assert report.n_eff == pytest.approx(x.sum() ** 2 / (x**2).sum())
    assert report.distribution["p95"] == pytest.approx(np.quantile(x, 0.95))
    assert report.distribution["median"] == pytest.approx(np.median(x))
    havna = x[(complete["area_id"] == "99010200").to_numpy()]
    row = report.by_area.loc["99010200"]
    assert row["n"] == len(havna)
    assert row["n_eff"] == pytest.approx(havna.sum() ** 2 / (havna**2).sum())
    assert row["deff"] == pytest.approx(1 + havna.var() / havna.mean() ** 2)
    again = weighting.weighting_report(w, complete, margins=margins)
    assert again.deff == pytest.approx(report.deff)
    assert again.max_margin_error == pytest.approx(report.max_margin_error, abs=1e-12)
    assert "Designeffekt" in report.text() and "Design effect" in report.text("en")


def test_report_text_has_no_e_notation_and_names_variables(complete, margins):
    _, report = weighting.rake(complete, margins, return_report=True)
    assert report.max_margin_error < 1e-6  # converged: the error reads as a bound
    nb, en = report.text(), report.text("en")
    assert "største relative avvik fra målene under 0,000001)" in nb
    assert "largest relative margin error below 0.000001)" in en
    deff = f"{report.deff:.2f}"
    assert f"Designeffekt (Kish) {deff.replace('.', ',')}:" in nb
    assert f"Design effect (Kish) {deff}:" in en
    for text in (nb, en):
        assert not re.search(r"\d[eE][-+]?\d", text), text
    missing = dataclasses.replace(report, missing={"age_group": 4})
    assert "4 svar mangler aldersgruppe;" in missing.text()
    assert "4 responses lack age group;" in missing.text("en")


def test_non_convergence_warns(complete, margins):
    with pytest.warns(RuntimeWarning, match="did not converge"):
        _, report = weighting.rake(complete, margins, max_iter=1, return_report=True)
    assert not report.converged and report.max_margin_error > 1e-8


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("change, pattern", [
    (lambda m: {**m, "area_id": m["area_id"].drop("99011200").rename({"99011100": "x"})},
     r"'area_id'.*lacks"),
    (lambda m: {**m, "age_group": pd.concat([m["age_group"] * 0.9,
                                              pd.Series({"0–14": m["age_group"].sum() * 0.1})])},
     r"'age_group': no respondents in level\(s\) \['0–14'\].*collapse"),
    (lambda m: {**m, "gender": m["gender"] * 1.1}, "different totals"),
    (lambda m: {**m, "kommune": {"9901": 1.0}}, "'kommune' is not a column"),
    (lambda m: {**m, "gender": m["gender"].rename({"Mann": "M"})}, r"'gender'.*'Mann'"),
])
def test_bad_margins_raise(complete, margins, change, pattern):
    with pytest.raises(SoslokalError, match=pattern):
        weighting.rake(complete, change(dict(margins)))


def test_zero_population_with_respondents_raises(complete, margins):
    area = margins["area_id"].copy()
    moved = area["99011200"]
    area["99011200"] = 0
    area["99011100"] += moved
    with pytest.raises(SoslokalError, match=r"\['99011200'\] have respondents but a population"):
        weighting.rake(complete, {**margins, "area_id": area})


def test_bad_options_raise(complete, margins):
    with pytest.raises(SoslokalError, match="trim"):
        weighting.rake(complete, margins, trim=(2, 3))
    with pytest.raises(SoslokalError, match="missing="):
        weighting.rake(complete, margins, missing="impute")
    with pytest.raises(SoslokalError, match="max_iter"):
        weighting.rake(complete, margins, max_iter=0)
    with pytest.raises(SoslokalError, match="Base weights must be > 0"):
        weighting.rake(complete, margins, base_weight=np.r_[0.0, np.ones(len(complete) - 1)])


def test_inputs_not_modified(complete, margins):
    before = complete.copy()
    m_before = {k: v.copy() for k, v in margins.items()}
    weighting.rake(complete, margins, trim=(0.3, 3.5))
    pd.testing.assert_frame_equal(complete, before)
    for k in margins:
        pd.testing.assert_series_equal(margins[k], m_before[k])


# --------------------------------------------------------------------------- post-stratification


def test_poststratify_cells_sum_to_population(complete, cells):
    by = ["age_group", "gender"]
    pop = cells.groupby(by, observed=True)["population"].sum().reset_index()
    w, report = weighting.poststratify(complete, pop, by=by, return_report=True)
    got = w.groupby([complete[b].astype("string") for b in by]).sum()
    want = pop.assign(**{b: pop[b].astype("string") for b in by}).set_index(by)["population"]
    np.testing.assert_allclose(got.reindex(want.index).to_numpy(), want.to_numpy(), rtol=1e-12)
    # every respondent of a cell gets N_cell / n_cell
    cell = (complete["age_group"] == "65+") & (complete["gender"] == "Kvinne")
    n_cell = int(cell.sum())
    n_pop = pop.loc[(pop["age_group"] == "65+") & (pop["gender"] == "Kvinne"), "population"]
    np.testing.assert_allclose(w[cell.to_numpy()], float(n_pop.iloc[0]) / n_cell)
    assert report.method == "poststratify" and report.n == len(complete)


def test_poststratify_empty_cells_raise(complete, cells):
    pop = cells.groupby(["area_id", "age_group"], observed=True)["population"].sum()
    with pytest.raises(SoslokalError, match=r"population but no respondents.*collapse"):
        weighting.poststratify(complete, pop.reset_index(), by=["area_id", "age_group"])


def test_poststratify_missing_values_raise(sample, cells):
    pop = cells.groupby(["gender"], observed=True)["population"].sum()
    with pytest.raises(SoslokalError, match="18 respondents lack"):
        weighting.poststratify(sample.survey, pop, by=["gender"])


# --------------------------------------------------------------------------- weights in a Survey


def test_with_weights_flows_into_summarise(sample, margins):
    survey = sample.survey
    w = weighting.rake(survey, margins, missing="ignore_margin")
    before = survey.responses.copy()
    weighted = weighting.with_weights(survey, w)
    assert "weight" not in survey.responses.columns
    pd.testing.assert_frame_equal(survey.responses, before)
    assert weighted.weighted and weighted.meta["weights"]["total"] == pytest.approx(w.sum())
    table = soslokal_lib.summarise(weighted, weight="weight", min_n=5)
    row = table[(table["area_id"] == "total") & (table["theme"] == "housing_community")].iloc[0]
    scores = survey.responses["housing_community"]
    ok = scores.notna().to_numpy()
    x = scores.to_numpy(dtype=float, na_value=np.nan)[ok]
    wx = w.to_numpy()[ok]
    assert row["mean"] == pytest.approx(np.average(x, weights=wx))
    assert row["share_high"] == pytest.approx(wx[x >= 5].sum() / wx.sum())
    assert row["n_eff"] == pytest.approx(wx.sum() ** 2 / (wx**2).sum())
    assert bool(row["weighted"])
    # per area as well (Havna)
    hv = (survey.responses["area_id"] == "99010200").to_numpy() & scores.notna().to_numpy()
    xh = scores.to_numpy(dtype=float, na_value=np.nan)[hv]
    cell = table[(table["area_id"] == "99010200") & (table["theme"] == "housing_community")]
    assert cell["mean"].iloc[0] == pytest.approx(np.average(xh, weights=w.to_numpy()[hv]))


def test_with_weights_rejects_mismatched_weights(sample):
    short = pd.Series(1.0, index=sample.survey.responses.index[:-1])
    with pytest.raises(SoslokalError, match="do not match"):
        weighting.with_weights(sample.survey, short)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shuffled = pd.Series(np.arange(1.0, 801.0), index=sample.survey.responses.index)[::-1]
        out = weighting.with_weights(sample.survey, shuffled)
    assert out.responses["weight"].iloc[0] == 1.0


def test_compare_summaries(sample, margins):
    survey = sample.survey
    w = weighting.rake(survey, margins, missing="ignore_margin")
    u = soslokal_lib.summarise(survey)
    v = soslokal_lib.summarise(weighting.with_weights(survey, w), weight="weight")
    side = weighting.compare_summaries(u, v, stat="mean")
    assert list(side.columns) == ["n", "unweighted", "weighted", "difference", "n_eff"]
    assert len(side) == 14
    fs = side.loc["feeling_safe"]
    pick = v[(v["area_id"] == "total") & (v["theme"] == "feeling_safe")]
    assert fs["weighted"] == pytest.approx(float(pick["mean"].iloc[0]))
    assert fs["difference"] == pytest.approx(fs["weighted"] - fs["unweighted"])
    assert fs["n_eff"] < fs["n"]
    # suppressed cells stay empty (Øyane: natural_space n = 4 < 5)
    oy = weighting.compare_summaries(u, v, area="99011200")
    assert np.isnan(oy.loc["natural_space", "weighted"])
    with pytest.raises(SoslokalError, match="No rows for 'nowhere'"):
        weighting.compare_summaries(u, v, area="nowhere")
    by_area = weighting.compare_summaries(u, v, area=None, theme="feeling_safe")
    assert len(by_area) == 13 and by_area.index.name == "area_id"
    assert by_area.loc["total", "weighted"] == pytest.approx(fs["weighted"])
    havna = v[(v["area_id"] == "99010200") & (v["theme"] == "feeling_safe")]
    assert by_area.loc["99010200", "weighted"] == pytest.approx(float(havna["mean"].iloc[0]))
