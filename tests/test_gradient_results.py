"""The results of notebook 04 (``04_ulikhet``) on the synthetic sample: the numbers the notebook
printed before its logic moved into the library, and the wording in bokmål and English.

Modules: ``stats/gradient_results``, ``stats/sample_truth`` (SII part), ``app/gradient_page``,
``plot/gradient_figures``. Bootstrap figures use the notebook's ``n_boot=499, seed=2025``.
"""

from __future__ import annotations

import dataclasses
import warnings

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from soslokal_lib.app import gradient_page as page  # noqa: E402
from soslokal_lib.indicators.register_privacy import protect_tables  # noqa: E402
from soslokal_lib.io.inputs import load_inputs, load_socio_tables  # noqa: E402
from soslokal_lib.plot import gradient_figures as gplot  # noqa: E402
from soslokal_lib.stats import gradient  # noqa: E402
from soslokal_lib.stats import gradient_results as gr  # noqa: E402
from soslokal_lib.stats.sample_truth import true_sii  # noqa: E402

IND = "low_income_pct"
SEED = 2025


@pytest.fixture(scope="module")
def sample():
    inputs = load_inputs(None)
    tables, register = protect_tables(load_socio_tables(inputs, required=True), None,
                                      inputs=inputs)
    data = page.gradient_data(inputs, tables, theme="feeling_safe", compare_theme="natural_space",
                              indicator=IND, register=register)
    return inputs, tables, data


@pytest.fixture(scope="module")
def social(sample):
    return gr.social_gradient(sample[2].table, IND, n_boot=499, seed=SEED)


def test_gradient_data_per_area(sample):
    _, tables, data = sample
    assert data.statistic == 746 and len(data.table) == 12 and len(data.socio_gk) == 60
    shown = data.to_frame()
    assert list(shown.columns) == ["area_name", "n", "mean", "median", "share_low", IND,
                                   "population"]
    assert shown["area_name"].iloc[0] == "Storhaugen" and shown["n"].iloc[0] == 56
    assert round(shown["mean"].iloc[0], 2) == 4.36
    assert shown[IND].is_monotonic_decreasing
    assert data.by_area().index.tolist() == sorted(data.by_area().index)
    assert data.text("nb").splitlines() == [
        f"Levekårstall: {tables.source}, 60 grunnkretser", "Trygghet: 746 svar i 12 nabolag"]
    assert data.text("en").splitlines()[-1] == "Feeling safe: 746 respondents in 12 areas"
    assert data.theme_name("en") == "Feeling safe"


def test_gradient_line(sample):
    line = gr.gradient_line(sample[2].table, IND)
    assert round(line.statistic, 3) == -0.088 and line.fit.n == 12
    assert line.text("nb") == ("Stigning: −0,088 skårpoeng per prosentpoeng (95 % KI −0,114 til "
                               "−0,061), R² = 0,85, n = 12 nabolag")
    assert line.text("en") == ("Slope: -0.088 score points per percentage point (95% CI -0.114 "
                               "to -0.061), R² = 0.85, n = 12 areas")
    frame = line.to_frame()
    assert frame.columns.tolist() == ["slope", "ci_low", "ci_high", "r2", "n"]
    assert round(frame.loc[0, "r2"], 2) == 0.85


def test_social_gradient(social):
    assert round(social.statistic, 2) == 1.03 and social.sii.n == 12
    assert social.text("nb").splitlines() == [
        "SII = 1,03 skårpoeng (95 % KI 0,81 til 1,26), RII = 1,24 (1,18–1,30), n = 12 nabolag",
        "Konsentrasjonsindeks for lave skårer: C = −0,211 (95 % bootstrap-KI −0,283 til −0,088, "
        "499 trekk)"]
    assert social.text("en").startswith("SII = 1.03 score points (95% CI 0.81 to 1.26)")
    frame = social.to_frame().round(3)
    assert frame.index.tolist() == ["sii", "rii", "concentration"]
    assert frame.loc["concentration", "statistic"] == -0.211
    assert frame.loc["rii", "ci_low"].round(2) == 1.18


def test_shown_areas_leave_out_hidden_and_blank():
    table = pd.DataFrame({"suppressed": [False, True, False], IND: [1.0, 2.0, None]},
                         index=["a", "b", "c"])
    assert gr.shown_areas(table, IND).index.tolist() == ["a"]


def test_true_sii(sample, social):
    _, _, data = sample
    truth = true_sii(data.socio, data.theme, IND, social.statistic, synthetic=True)
    assert round(truth.statistic, 2) == 0.99 and truth.n == 12
    assert truth.text("nb") == "Sann SII for trygghet: 0,99; fra utvalget: 1,03"
    assert truth.text("en") == "True SII for feeling safe: 0.99; from the sample: 1.03"
    assert truth.to_frame().loc[0, "theme"] == "feeling_safe"
    real = true_sii(data.socio, data.theme, IND, social.statistic, synthetic=False)
    assert pd.isna(real.statistic)
    assert real.text("nb") == "Fasiten finnes bare for de syntetiske eksempeldataene."


def test_concentration_curves_match_the_index(sample, social):
    _, _, data = sample
    curves = gr.concentration_curves(data.summary, data.socio, ["feeling_safe", "natural_space"],
                                     IND, lang="en")
    assert list(curves) == ["Feeling safe", "Natural space"]
    assert round(curves["Feeling safe"].index, 3) == round(social.concentration.statistic, 3)


def test_income_indices_and_theil_split(sample):
    _, tables, _ = sample
    income = gr.income_indices(tables, n_boot=499, seed=SEED)
    assert round(income.statistic, 3) == 0.077
    assert income.text("nb") == "Gini = 0,077 (95 % KI 0,064 til 0,090), n = 60 grunnkretser"
    assert income.to_frame()["measure"].tolist() == ["gini", "theil", "mld", "atkinson", "cv"]
    split = gr.theil_split(tables, IND, n_boot=499, seed=SEED)
    assert round(split.statistic, 3) == 0.663
    assert split.text("nb") == ("Medianinntekt: 66 % av Theil-indeksen ligger mellom "
                                "nabolagene (95 % bootstrap-KI 57–84 %)")
    assert split.text("en").startswith("Median income: 66% of the Theil index lies between")
    frame = split.to_frame()
    assert frame.index.tolist() == ["median_income_nok", IND]
    assert (frame["theil"].round(12) == (frame["between"] + frame["within"]).round(12)).all()
    assert list(split.components("X", "en")) == ["Median income", "X"]
    poor = dataclasses.replace(tables, socio=tables.socio.drop(columns="households"))
    assert not gr.income_indices(poor).available and not gr.theil_split(poor, IND).available
    assert gr.theil_split(poor, IND).text("nb").endswith("delingen hoppes over.")
    assert "inntektsmålene hoppes over" in gr.income_indices(poor).text("nb")
    assert gr.theil_split(poor, IND).to_frame().empty and pd.isna(gr.income_indices(poor).statistic)


def test_icc_comparison(sample):
    _, _, data = sample
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iccs = gr.icc_comparison(data.survey, "feeling_safe", "natural_space")
    assert round(iccs.statistic, 3) == 0.051
    frame = iccs.to_frame()
    assert frame["icc"].round(3).tolist() == [0.051, 0.0, 0.070]
    assert frame.loc["adjusted", "n"] == 728
    lines = iccs.text("nb").splitlines()
    assert len(lines) == 3 and lines[2].startswith("Justert for alder og kjønn: 7,0 % av")
    assert iccs.text("en").splitlines()[2].startswith("Adjusted for age and gender: 7.0% of")


def test_spatial_patterns(sample):
    inputs, tables, data = sample
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pattern = gr.spatial_pattern(tables, IND, permutations=999, seed=SEED)
        areas = gr.area_pattern(inputs.areas, data.table, label="Trygghet", permutations=999,
                                seed=SEED)
    assert round(pattern.statistic, 3) == 0.557 and len(pattern.values) == 60
    assert pattern.text("nb").startswith("Moran's I = 0,557, p = 0,002")
    assert pattern.to_frame()["n"].to_dict() == {"Not significant": 39, "Low-Low": 11,
                                                  "High-High": 7, "Low-High": 1}
    counts = gplot.lisa_cluster_counts(pattern, "nb")
    assert counts.columns.tolist() == ["antall grunnkretser"]
    assert counts.index.tolist()[:2] == ["Ikke signifikant", "Lav–lav"]
    assert areas.text("nb").startswith("Trygghet: Moran's I = 0,329, p = 0,040")
    assert areas.lisa is None and areas.to_frame().empty
    assert gr.area_pattern(None, data.table).text("nb").startswith("Ingen grensefil")
    bare = dataclasses.replace(tables, grunnkretser="no boundaries")  # a str: no geometry
    none = gr.spatial_pattern(bare, IND)
    assert not none.available and none.to_frame().empty and pd.isna(none.statistic)
    assert none.text("en").startswith("No grunnkrets boundaries")


def test_key_figures(sample, social):
    inputs, tables, data = sample
    line = gr.gradient_line(data.table, IND)
    gradients = gradient.gradient_table(data.summary, data.socio, IND, n_boot=0)
    income = gr.income_indices(tables, n_boot=99, seed=SEED)
    split = gr.theil_split(tables, IND, n_boot=99, seed=SEED)
    pattern = gr.SpatialPattern(values=None, moran=None, lisa=None, indicator=IND)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iccs = gr.icc_comparison(data.survey, "feeling_safe", "natural_space")
    figures = page.key_figures(data, line, social, gradients, income, split, pattern, iccs)
    nb = figures.to_frame("nb")
    assert nb.index.name == "mål" and nb.columns.tolist() == ["verdi", "KI nedre", "KI øvre"]
    assert nb.index.tolist() == [
        "Stigning per prosentpoeng vedvarende lavinntekt", "SII, trygghet",
        "SII, natur og grøntområder", "Konsentrasjonsindeks, lave skårer",
        "Gini, medianinntekt mellom grunnkretser", "Andel av Theil (inntekt) mellom delområder",
        "ICC, trygghet", "ICC, natur og grøntområder"]  # no Moran's I without boundaries
    assert nb["verdi"].round(3).tolist()[:4] == [-0.088, 1.035, 0.319, -0.211]
    assert pd.isna(nb.loc["ICC, trygghet", "KI nedre"])
    en = figures.to_frame("en")
    assert en.index.tolist()[1] == "SII, feeling safe" and en.columns[0] == "value"
    assert "SII, trygghet" in figures.text("nb")


def test_figure_labels_in_both_languages(sample, social):
    import matplotlib.pyplot as plt

    _, _, data = sample
    assert gplot.indicator_name(IND, "nb") == "Vedvarende lavinntekt"
    assert gplot.map_titles(IND, "nb") == {"choropleth": "Vedvarende lavinntekt per grunnkrets",
                                           "legend": "Vedvarende lavinntekt (%)",
                                           "lisa": "Lokale klynger (LISA)"}
    assert gplot.map_titles(IND, "en")["lisa"] == "Local clusters (LISA)"
    line = gr.gradient_line(data.table, IND)
    for lang, title in (("nb", "Trygghet og vedvarende lavinntekt"),
                        ("en", "Feeling safe and persistent low income")):
        ax = gplot.plot_theme_gradient(data.table, line, lang=lang)
        texts = [t.get_text() for t in ax.figure.findobj(matplotlib.text.Text)]
        assert any(title in t for t in texts), texts
        plt.close("all")
    gradients = gradient.gradient_table(data.summary, data.socio, IND, n_boot=0)
    ax = gplot.plot_sii_by_theme(gradients, lang="en")
    texts = [t.get_text() for t in ax.figure.findobj(matplotlib.text.Text)]
    assert any("Slope index of inequality (SII) per theme" in t for t in texts)
    plt.close("all")
    assert gplot.plot_income_indices(None) is None
    poor = gr.TheilSplit(income=None, indicator_theil=None, between_ci=None, indicator=IND)
    assert gplot.plot_theil_split(poor) is None


def test_tables_as_shown(sample):
    _, _, data = sample
    styler = page.by_area_table(data, "en")
    assert len(styler.data) == 12
    gradients = gradient.gradient_table(data.summary, data.socio, IND, n_boot=0)
    assert "Theme" in page.gradients_table(gradients, "en").data.columns
    assert "Tema" in page.gradients_table(gradients, "nb").data.columns
