"""Figures for inequality between areas (soslokal_lib.plot.inequality)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from soslokal_lib import inequality as iq  # noqa: E402
from soslokal_lib.errors import SoslokalError  # noqa: E402
from soslokal_lib.plot import inequality as pi  # noqa: E402
from soslokal_lib.stats import gradient as gr  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def areas() -> pd.DataFrame:
    """Six areas; «Øy» has no score (suppressed)."""
    return pd.DataFrame({
        "area_name": ["Havna", "Sentrum", "Lia", "Solåsen", "Bekkeli", "Øy"],
        "low_income_pct": [15.2, 9.3, 8.9, 5.1, 8.4, 8.0],
        "mean": [4.6, 4.9, 5.0, 5.6, 5.2, np.nan],
        "mean_ci_low": [4.4, 4.6, 4.6, 5.3, 4.9, np.nan],
        "mean_ci_high": [4.8, 5.2, 5.4, 5.9, 5.5, np.nan],
        "population": [6000.0, 3100, 2300, 750, 2900, 170],
        "n": [136, 83, 63, 41, 94, 3],
    }, index=pd.Index([f"99010{i}00" for i in range(1, 7)], name="area_id"))


def caption(ax) -> str:
    label = ax.figure._supxlabel
    return "" if label is None else label.get_text().replace("\n", " ")


def by_gid(ax, gid: str) -> list:
    return [a for a in [*ax.collections, *ax.lines, *ax.texts, *ax.patches]
            if a.get_gid() == gid]


# --- plot_gradient ------------------------------------------------------------------------


def weighted_fit(areas: pd.DataFrame) -> gr.LinearFit:
    ok = areas["mean"].notna()
    return gr.linear_fit(areas["low_income_pct"][ok], areas["mean"][ok], areas["population"][ok])


def test_plot_gradient_draws_fit_band_points_and_labels(areas):
    expected = weighted_fit(areas)
    ax = pi.plot_gradient(areas, "low_income_pct", "mean", fit=expected, weights="population",
                          size="population", interval=("mean_ci_low", "mean_ci_high"),
                          xlabel="Vedvarende lavinntekt (%)", ylabel="Trygghet",
                          weights_label="folketall", source="Fjordvik (syntetiske data)")
    ok = areas["mean"].notna()
    assert ax.fit is expected
    (line,) = by_gid(ax, "gradient-fit")
    np.testing.assert_allclose(line.get_ydata(), expected.band["fit"])
    assert len(by_gid(ax, "gradient-band")) == 1
    (points,) = by_gid(ax, "gradient-points")
    np.testing.assert_allclose(points.get_offsets(),
                               areas.loc[ok, ["low_income_pct", "mean"]].to_numpy())
    sizes = points.get_sizes()
    assert sizes[0] == sizes.max()  # Havna, the largest population, has the largest point
    labels = {t.get_text() for t in by_gid(ax, "gradient-label")}
    assert labels == {"Havna", "Sentrum", "Lia", "Solåsen", "Bekkeli"}
    assert len(by_gid(ax, "gradient-interval")) == 1
    title = ax.get_title(loc="left")
    assert "n = 5 områder" in title and "417 svar" in title
    text = caption(ax)
    assert "Uten tall (for få svar eller skjult for å beskytte et lite nabolag): Øy" in text
    assert "Kilde: Fjordvik (syntetiske data)" in text
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "Vektet regresjonslinje (folketall)" in legend
    assert "95 % KI" in legend and "\u2212" in legend  # decimal comma and a real minus
    assert ax.get_xlabel() == "Vedvarende lavinntekt (%)"


def test_plot_gradient_uses_given_fit_and_english(areas):
    fit = gr.linear_fit(areas["low_income_pct"], areas["mean"], dropna=True)
    ax = pi.plot_gradient(areas, "low_income_pct", "mean", fit=fit, ci=False, names=None,
                          lang="en")
    assert ax.fit is fit
    assert by_gid(ax, "gradient-band") == [] and by_gid(ax, "gradient-label") == []
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "Regression line (unweighted)" in legend and "95% CI" in legend
    assert "n = 5 areas" in ax.get_title(loc="left")


def test_plot_gradient_decimal_comma_ticks(areas):
    ax = pi.plot_gradient(areas, "low_income_pct", "mean", fit=weighted_fit(areas),
                          weights="population")
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert any("," in t for t in ticks) and not any("." in t for t in ticks)


def test_plot_gradient_errors(areas):
    fit = weighted_fit(areas)
    with pytest.raises(SoslokalError, match="no column"):
        pi.plot_gradient(areas, "benefits_pct", "mean", fit=fit)
    with pytest.raises(SoslokalError, match="Fewer than 2 areas"):
        pi.plot_gradient(areas.assign(mean=np.nan), "low_income_pct", "mean", fit=fit)
    with pytest.raises(ValueError, match="Unknown language"):
        pi.plot_gradient(areas, "low_income_pct", "mean", fit=fit, lang="de")
    with pytest.raises(TypeError, match="fit"):  # plot draws a fit it is given, fits nothing
        pi.plot_gradient(areas, "low_income_pct", "mean", weights="population")


# --- plot_concentration_curve -------------------------------------------------------------


def test_plot_concentration_curve(areas):
    ok = areas.dropna()
    share_low = pd.Series([0.30, 0.15, 0.12, 0.03, 0.11], index=ok.index)
    curve = gr.concentration_curve(share_low, ok["low_income_pct"], ok["population"],
                                   ascending=False)
    flat = gr.concentration_curve(pd.Series(0.2, index=ok.index), ok["low_income_pct"],
                                  ok["population"], ascending=False)
    ax = pi.plot_concentration_curve({"Trygghet": curve, "Natur": flat}, source="Kilde: X")
    lines = by_gid(ax, "conc-curve")
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_xdata(), curve.points["population_share"])
    np.testing.assert_allclose(lines[0].get_ydata(), curve.points["outcome_share"])
    assert curve.index < 0 and flat.index == pytest.approx(0, abs=1e-12)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "Likhetslinjen"
    c_text = f"{abs(curve.index):.3f}".replace(".", ",")
    assert legend[1] == f"Trygghet: C = \u2212{c_text} (n = 5 områder)"
    assert legend[2].startswith("Natur: C = 0,000")
    assert ax.get_xlim() == (0, 1) and ax.get_ylim() == (0, 1)
    assert "mest utsatte" in ax.get_xlabel()
    assert caption(ax).endswith("Kilde: X.")
    single = pi.plot_concentration_curve(curve, lang="en")
    assert single.get_legend().get_texts()[1].get_text().startswith("C = -0.")


def test_plot_concentration_curve_rejects_other_input():
    with pytest.raises(SoslokalError, match="concentration_curve result"):
        pi.plot_concentration_curve({"x": 0.3})


# --- plot_decomposition -------------------------------------------------------------------


def test_plot_decomposition_bars_and_caption():
    x = pd.Series([500.0, 520, 610, 640, 700, 720, 480, 505])
    w = pd.Series([10.0, 20, 15, 5, 8, 12, 30, 6])
    groups = pd.Series(list("AABBCCAA"))
    theil = iq.theil(x, w, groups=groups)
    mld = iq.mld(x, w, groups=groups)
    ax = pi.plot_decomposition({"Inntekt (Theil T)": theil, "Inntekt (MLD)": mld},
                               source="Fjordvik (syntetiske data)")
    between = [p.get_width() for p in ax.patches if p.get_gid() == "decomp-between"]
    within = [p.get_width() for p in ax.patches if p.get_gid() == "decomp-within"]
    assert between == pytest.approx([100 * theil.between_share, 100 * mld.between_share])
    assert within == pytest.approx([100 * theil.within_share, 100 * mld.within_share])
    starts = [p.get_x() for p in ax.patches if p.get_gid() == "decomp-within"]
    assert starts == pytest.approx(between)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Inntekt (Theil T)",
                                                           "Inntekt (MLD)"]
    text = caption(ax)
    assert "8 enheter i 3 grupper" in text and "Kilde: Fjordvik (syntetiske data)" in text
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Mellom grupper", "Innenfor grupper"]
    plain = pi.plot_decomposition(theil, lang="en")
    assert [t.get_text() for t in plain.get_yticklabels()] == ["Theil T"]


def test_plot_decomposition_needs_groups():
    with pytest.raises(SoslokalError, match="groups="):
        pi.plot_decomposition(iq.theil([1.0, 2.0, 3.0]))


# --- plot_inequality_indices --------------------------------------------------------------


def test_plot_inequality_indices_reference_colours_and_n():
    table = pd.DataFrame({
        "label": ["Trygghet", "Natur", "Kollektiv"],
        "statistic": [1.03, 0.32, -0.13],
        "ci_low": [0.81, -0.01, -0.60],
        "ci_high": [1.26, 0.64, 0.34],
        "n": [12, 10, 12],
    })
    ax = pi.plot_inequality_indices(table, reference=0, decimals=2, xlabel="SII")
    (points,) = by_gid(ax, "index-points")
    np.testing.assert_allclose(points.get_offsets()[:, 0], table["statistic"])
    colours = [to_hex(c) for c in points.get_facecolors()]
    assert colours == [pi.POINT, pi.MUTED, pi.MUTED]
    (whiskers,) = by_gid(ax, "index-ci")
    segments = whiskers.get_segments()
    assert [tuple(s[:, 0]) for s in segments] == [(0.81, 1.26), (-0.01, 0.64), (-0.6, 0.34)]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Trygghet (n = 12)", "Natur (n = 10)", "Kollektiv (n = 12)"]
    values = [t.get_text() for t in ax.texts]
    assert values == ["1,03", "0,32", "\u22120,13"]
    assert len(by_gid(ax, "ref-line")) == 1
    assert "95 % konfidensintervall" in caption(ax)


def test_plot_inequality_indices_from_index_table():
    x = pd.Series([510.0, 480, 620, 700, 550, 590, 450, 800])
    table = gr.index_table(x, n_boot=50, seed=2, measures=["gini", "cv"], lang="en")
    ax = pi.plot_inequality_indices(table, lang="en")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Gini (n = 8)", "Coefficient of variation (n = 8)"]
    (points,) = by_gid(ax, "index-points")
    assert {to_hex(c) for c in points.get_facecolors()} == {pi.POINT}
    assert "95% confidence interval" in caption(ax)
    with pytest.raises(SoslokalError, match="no column"):
        pi.plot_inequality_indices(table.drop(columns="ci_low"))
