"""Glue for the inequality notebook (soslokal_lib.stats.gradient), on small handmade data."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import soslokal_lib as sl
from soslokal_lib import inequality as iq
from soslokal_lib.errors import SoslokalError
from soslokal_lib.stats import gradient as gr

AREAS = ["99010100", "99010200", "99010300", "99010400"]


def _responses() -> pd.DataFrame:
    """Four areas: A all 4s (n = 10), B half 1s half 7s (n = 10), C rising 1..7 twice
    (n = 14), D only 3 answers (below min_n; none on natural_space, so that feeling_safe is the
    only theme where an area is hidden to protect D)."""
    area = ["99010100"] * 10 + ["99010200"] * 10 + ["99010300"] * 14 + ["99010400"] * 3
    feel = [4] * 10 + [1] * 5 + [7] * 5 + list(range(1, 8)) * 2 + [2, 3, 4]
    nat = [5] * 34 + [None] * 3
    return pd.DataFrame({
        "area_id": pd.array(area, dtype="str"),
        "feeling_safe": pd.array(feel, dtype="Int8"),
        "natural_space": pd.array(nat, dtype="Int8"),
    }, index=pd.Index([f"r{i}" for i in range(37)], name="respondent_id"))


@pytest.fixture
def summary() -> pd.DataFrame:
    # total=False keeps secondary suppression (the kommune figure is in other tables): A is
    # hidden with D
    return sl.summarise(_responses(), "area_id", min_n=5, total=False)


@pytest.fixture
def socio() -> pd.DataFrame:
    return pd.DataFrame({"population": [1000.0, 2000.0, 500.0, 800.0, 300.0],
                         "low_income_pct": [12.0, 5.0, 9.0, 7.0, 3.0]},
                        index=pd.Index([*AREAS, "99010500"], name="area_id"))


# --- theme_by_area ------------------------------------------------------------------------


def test_theme_by_area_joins_and_blanks_small_cells(summary, socio):
    names = {"99010100": "Sentrum", "99010200": "Havna"}
    table = gr.theme_by_area(summary, "Trygghet", socio, names=names)
    assert list(table.columns[:3]) == ["area_name", "n", "mean"]
    assert "total" not in table.index
    assert np.isnan(table.loc["99010100", "mean"])  # hidden to protect D
    assert table.loc["99010200", "mean"] == pytest.approx(4.0)
    assert table.loc["99010200", "share_low"] == pytest.approx(0.5)
    assert table.loc["99010300", "n"] == 14
    # D has 3 answers: present, suppressed, no statistic
    assert bool(table.loc["99010400", "suppressed"])
    assert np.isnan(table.loc["99010400", "mean"])
    assert table.loc["99010400", "low_income_pct"] == 7.0
    # names: given ones used, the others fall back to the code
    assert table.loc["99010100", "area_name"] == "Sentrum"
    assert table.loc["99010300", "area_name"] == "99010300"
    # an area only in socio is kept and listed
    assert table.attrs["unmatched"]["socio_only"] == ["99010500"]
    assert table.loc["99010500", "n"] == 0 and table.loc["99010500", "suppressed"]
    assert table["suppressed"].dtype == bool
    assert table.attrs["theme"] == "feeling_safe" and table.attrs["min_n"] == 5


def test_theme_by_area_keeps_secondary_suppression(socio):
    # with a total row, the smallest sibling of D is hidden too (else D = total − rest)
    table = gr.theme_by_area(sl.summarise(_responses(), "area_id", min_n=5), "feeling_safe",
                             socio)
    assert "total" not in table.index
    assert table["suppressed"].loc[["99010100", "99010400"]].all()
    assert table["mean"].loc[["99010100", "99010400"]].isna().all()


def test_theme_by_area_errors(summary, socio):
    with pytest.raises(SoslokalError, match="no rows for theme 'housing_community'"):
        gr.theme_by_area(summary, "housing_community", socio)
    other = socio.set_axis([f"9902{i:02d}00" for i in range(5)])
    with pytest.raises(SoslokalError, match="share no area"):
        gr.theme_by_area(summary, "feeling_safe", other)
    with pytest.raises(SoslokalError, match="also has"):
        gr.theme_by_area(summary, "feeling_safe", socio.assign(mean=1.0))
    with pytest.raises(SoslokalError, match="no column 'suppressed'"):
        gr.theme_by_area(summary.drop(columns="suppressed"), "feeling_safe")


# --- linear_fit ---------------------------------------------------------------------------


def test_linear_fit_exact_line_and_band():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    fit = gr.linear_fit(x, 2 + 3 * x)
    assert fit.slope == pytest.approx(3.0) and fit.intercept == pytest.approx(2.0)
    assert fit.ci_low == pytest.approx(3.0, abs=1e-9) and fit.r2 == pytest.approx(1.0)
    assert list(fit.band.columns) == ["x", "fit", "ci_low", "ci_high"]
    assert fit.band["x"].iloc[0] == 1.0 and fit.band["x"].iloc[-1] == 5.0
    np.testing.assert_allclose(fit.band["fit"], 2 + 3 * fit.band["x"])
    assert float(fit) == pytest.approx(3.0) and not fit.weighted


def test_linear_fit_weights_equal_repeated_rows_and_band_covers_fit():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, 12)
    y = 5 - 0.2 * x + rng.normal(0, 0.5, 12)
    w = rng.integers(1, 5, 12)
    weighted = gr.linear_fit(x, y, w)
    repeated = gr.linear_fit(np.repeat(x, w), np.repeat(y, w))
    assert weighted.slope == pytest.approx(repeated.slope)
    assert weighted.intercept == pytest.approx(repeated.intercept)
    # numpy's weighted polyfit minimises Σ (w_i (y − ŷ))², so pass √w
    slope, intercept = np.polyfit(x, y, 1, w=np.sqrt(w))
    assert weighted.slope == pytest.approx(slope)
    assert weighted.ci_low < weighted.slope < weighted.ci_high
    band = weighted.band
    assert ((band["ci_low"] < band["fit"]) & (band["fit"] < band["ci_high"])).all()
    # the band is narrowest near the weighted mean of x
    centre = np.average(x, weights=w)
    width = band["ci_high"] - band["ci_low"]
    assert abs(band["x"][width.idxmin()] - centre) < 1.0


def test_linear_fit_missing_values():
    x = pd.Series([1.0, 2.0, np.nan, 4.0, 5.0])
    y = pd.Series([1.0, 2.1, 3.0, 3.9, 5.2])
    with pytest.raises(SoslokalError, match="missing"):
        gr.linear_fit(x, y)
    fit = gr.linear_fit(x, y, dropna=True)
    assert fit.n == 4 and fit.dropped == 1
    with pytest.raises(SoslokalError, match="at least 3"):
        gr.linear_fit([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])


# --- concentration_curve ------------------------------------------------------------------


def test_concentration_curve_area_matches_index():
    rng = np.random.default_rng(7)
    y = rng.uniform(0.05, 0.4, 15)
    rank = rng.uniform(2, 20, 15)
    w = rng.integers(100, 5000, 15).astype(float)
    curve = gr.concentration_curve(y, rank, w, ascending=False)
    pts = curve.points
    assert pts.iloc[0].tolist() == [0.0, 0.0] and pts.iloc[-1].tolist() == pytest.approx([1, 1])
    assert (np.diff(pts["population_share"]) > 0).all()
    area = np.trapezoid(pts["outcome_share"], pts["population_share"])
    assert curve.index == pytest.approx(1 - 2 * area)
    assert curve.index == pytest.approx(
        iq.concentration_index(y, rank, w, ascending=False).statistic)
    assert curve.n == 15 and curve.weighted


def test_concentration_curve_orders_worst_off_first_and_merges_ties():
    # the two most deprived areas (rank_by 9, ties) hold all of the outcome
    y = [1.0, 1.0, 0.0, 0.0]
    share = [9.0, 9.0, 2.0, 1.0]
    curve = gr.concentration_curve(y, share, [1, 1, 1, 1], ascending=False)
    np.testing.assert_allclose(curve.points["population_share"], [0, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(curve.points["outcome_share"], [0, 1.0, 1.0, 1.0])
    assert curve.index == pytest.approx(-0.5)
    # ascending=True treats low values as worst-off: the curve flips below the diagonal
    flipped = gr.concentration_curve(y, share, [1, 1, 1, 1], ascending=True)
    assert flipped.index == pytest.approx(0.5)
    np.testing.assert_allclose(flipped.points["outcome_share"], [0, 0, 0, 1.0])


def test_concentration_curve_rejects_negative_outcome():
    with pytest.raises(SoslokalError, match="non-negative"):
        gr.concentration_curve([1.0, -1.0, 2.0], [1, 2, 3])


# --- gradient_table and index_table -------------------------------------------------------


def test_gradient_table_matches_direct_calls(socio):
    summary = sl.summarise(_responses(), "area_id", min_n=3)  # every area shown
    table = gr.gradient_table(summary, socio, "low_income_pct", themes=["feeling_safe"],
                              n_boot=50, seed=3, lang="en")
    row = table.loc["feeling_safe"]
    area = gr.theme_by_area(summary, "feeling_safe", socio)
    ok = area[~area["suppressed"] & area["mean"].notna()]
    assert len(ok) == 4 and row["n_areas"] == 4 and row["n_respondents"] == 37
    direct = iq.slope_index(ok["mean"], ok["low_income_pct"], ok["population"],
                            ascending=False)
    assert row["sii"] == pytest.approx(direct.sii)
    assert row["rii_ci_high"] == pytest.approx(direct.rii_ci_high)
    conc = iq.concentration_index(ok["share_low"], ok["low_income_pct"], ok["population"],
                                  ascending=False)
    assert row["conc_low"] == pytest.approx(conc.statistic)
    assert row["conc_low_ci_low"] <= row["conc_low_ci_high"]
    assert row["label"] == "Feeling safe"
    again = gr.gradient_table(summary, socio, "low_income_pct", themes=["feeling_safe"],
                              n_boot=50, seed=3)
    assert again.loc["feeling_safe", "conc_low_ci_low"] == row["conc_low_ci_low"]
    with pytest.raises(SoslokalError, match="stat must be"):
        gr.gradient_table(summary, socio, "low_income_pct", stat="share_low")
    with pytest.raises(SoslokalError, match="no column 'benefits_pct'"):
        gr.gradient_table(summary, socio, "benefits_pct")


def test_index_table_values_and_intervals():
    x = pd.Series([510_000.0, 480_000, 620_000, 700_000, 550_000, 590_000, 450_000, 800_000])
    w = pd.Series([300.0, 450, 200, 120, 380, 260, 500, 90])
    table = gr.index_table(x, w, n_boot=200, seed=11)
    assert table["measure"].tolist() == ["gini", "theil", "mld", "atkinson", "cv"]
    by = table.set_index("measure")
    assert by.loc["gini", "statistic"] == pytest.approx(iq.gini(x, w).statistic)
    assert by.loc["atkinson", "statistic"] == pytest.approx(iq.atkinson(x, 0.5, w).statistic)
    assert (table["ci_low"] <= table["statistic"]).all()
    assert (table["statistic"] <= table["ci_high"]).all()
    assert (table["n"] == 8).all()
    assert by.loc["atkinson", "label"] == "Atkinson (ε = 0,5)"
    assert by.loc["cv", "label"] == "Variasjonskoeffisient"
    en = gr.index_table(x, w, measures=["cv"], n_boot=20, seed=1, lang="en")
    assert en["label"].tolist() == ["Coefficient of variation"]
    with pytest.raises(SoslokalError, match="unknown measure 'hoover'"):
        gr.index_table(x, w, measures=["hoover"], n_boot=20)


# --- allison_foster_by_area ---------------------------------------------------------------


def test_allison_foster_by_area():
    out = gr.allison_foster_by_area(_responses(), "feeling_safe", n_boot=300, seed=5,
                                    secondary=False)
    assert out.index.tolist() == AREAS
    a, b, c, d = (out.loc[i] for i in AREAS)
    # everyone answers 4: no spread, and no draw can create any
    assert a["statistic"] == 0 and a["ci_low"] == 0 and a["ci_high"] == 0
    assert a["median_level"] == 4
    # half 1, half 7: the maximum, k − 1 = 6
    assert b["statistic"] == pytest.approx(6.0)
    assert b["ci_high"] == pytest.approx(6.0) and b["ci_low"] < 6.0
    direct = iq.allison_foster(np.repeat(np.arange(1, 8), 2))
    assert c["statistic"] == pytest.approx(direct.statistic)
    assert c["ci_low"] < c["statistic"] < c["ci_high"]
    # below min_n: counted, nothing shown
    assert d["n"] == 3 and bool(d["suppressed"])
    assert np.isnan(d["statistic"]) and np.isnan(d["ci_low"]) and np.isnan(d["median_level"])
    again = gr.allison_foster_by_area(_responses(), "feeling_safe", n_boot=300, seed=5,
                                      secondary=False)
    pd.testing.assert_frame_equal(out, again)
    norm = gr.allison_foster_by_area(_responses(), 12, n_boot=20, seed=5, normalised=True)
    assert norm.loc["99010200", "statistic"] == pytest.approx(1.0)


def test_allison_foster_by_area_hides_what_the_summary_hides():
    # D (n = 3) is alone below min_n: the kommune figure minus A, B, C would give it back, so
    # the smallest other area (A, first of the two with n = 10) is hidden too, as in summarise.
    out = gr.allison_foster_by_area(_responses(), "feeling_safe", n_boot=20, seed=5)
    assert out["suppressed"].tolist() == [True, False, False, True]
    assert out.loc[AREAS[0], ["statistic", "median_level", "ci_low"]].isna().all()
    assert out.loc[AREAS[1], "statistic"] == pytest.approx(6.0)
    summary = sl.summarise(_responses(), "area_id", min_n=5)
    safe = summary[(summary["theme"] == "feeling_safe") & (summary["area_id"] != "total")]
    assert safe["suppressed"].tolist() == out["suppressed"].tolist()


def test_allison_foster_by_area_errors():
    with pytest.raises(SoslokalError, match="no theme 'housing_community'"):
        gr.allison_foster_by_area(_responses(), "housing_community")
    with pytest.raises(SoslokalError, match="n_boot"):
        gr.allison_foster_by_area(_responses(), "feeling_safe", n_boot=1)


def test_column_label():
    assert gr.column_label("low_income_pct") == "Vedvarende lavinntekt (%)"
    assert gr.column_label("median_income_nok", "en") == "Median household income (NOK)"
    assert gr.column_label("no_such_column") == "no_such_column"


def test_import_stays_light():
    code = ("import sys, soslokal_lib.stats.gradient, soslokal_lib.plot.inequality; "
            "print(any(m in sys.modules for m in ('matplotlib', 'statsmodels', 'geopandas')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("by", ["area_id", "age_group"])
@pytest.mark.parametrize("min_n", [5, 30])
def test_allison_foster_by_area_hides_the_same_cells_as_before_on_the_sample(by, min_n):
    """The blanks now come from soslokal_lib.privacy (primary rule, hidden_cells of the summary);
    before, gradient fed stats._cells itself. Same cells on every theme of the sample."""
    from soslokal_lib.stats import _cells
    from soslokal_lib.stats.summary import score_histograms

    survey = sl.load_sample().survey
    groups, themes, counts = score_histograms(survey, by)
    before = _cells.table_codes(_cells.Plan(survey.responses, themes, min_n), [by], groups)[:-1]
    n = counts.sum(axis=2)
    secondary_seen = 0
    for t, theme in enumerate(themes):
        out = gr.allison_foster_by_area(survey, theme, by=by, min_n=min_n, n_boot=2, seed=1)
        assert out["suppressed"].tolist() == (before[:, t] > 0).tolist(), theme
        primary = gr.allison_foster_by_area(survey, theme, by=by, min_n=min_n, n_boot=2, seed=1,
                                            secondary=False)
        assert primary["suppressed"].tolist() == (n[:, t] < min_n).tolist(), theme
        secondary_seen += int((before[:, t] == 2).sum())
    assert secondary_seen > 0  # the comparison covers secondary suppression, not only primary
