"""Notebook 05's steps as one result (``stats/weighting_study``) and its tables and figures
(``app/weighting_page``); notebook 04's δ beside the sample's truth (``stats/sample_truth``);
the «Lagret …» lines (``app/notebook_files``). Values are those the notebooks printed on the
synthetic sample before their logic moved into the library."""

from __future__ import annotations

import dataclasses

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from soslokal_lib.app import weighting_page as page  # noqa: E402
from soslokal_lib.app.notebook_files import saved_text  # noqa: E402
from soslokal_lib.errors import SoslokalError  # noqa: E402
from soslokal_lib.io.inputs import load_inputs  # noqa: E402
from soslokal_lib.stats.area_differences import area_differences  # noqa: E402
from soslokal_lib.stats.sample_truth import delta_truth, sample_truth  # noqa: E402
from soslokal_lib.stats.survey_population import load_survey_population  # noqa: E402
from soslokal_lib.stats.weighting_study import TABLES, weighting_study  # noqa: E402


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(None)


@pytest.fixture(scope="module")
def population(inputs):
    return load_survey_population(inputs)


@pytest.fixture(scope="module")
def studies(inputs, population):
    first = weighting_study(population, names=inputs.names, theme="Trygghet")
    weighted = first.weighted()
    trimmed = weighted.trimmed((0.3, 3.5))
    return first, weighted, trimmed


@pytest.fixture(scope="module")
def missing(population):
    return dataclasses.replace(population, cells=None, reason="no kommune number")


def test_representation_step(studies):
    first, _, _ = studies
    assert first.available and first.theme == "feeling_safe" and first.report is None
    assert pd.isna(first.statistic)
    rep = first.to_frame("representation").set_index("level")
    assert rep.loc["99010200", "n"] == 145  # Havna
    assert round(rep.loc["99010200", "ratio"], 2) == 0.81
    tests = first.to_frame("representation_tests").set_index("variable")
    assert round(tests.loc["area_id", "chi2"], 2) == 105.82
    note = first.text("nb", "representation")
    assert note.startswith("800 personer svarte, av 23 437 innbyggere 15 år og eldre")
    assert "Alder 15–29 år: 10,7 % av svarene" in note
    assert first.text("en", "representation").startswith("800 people answered")
    assert first.text("nb") == "(Ingen vekter ennå.)"
    assert first.to_frame("margins").empty and first.to_frame("weighting_effect").empty
    assert first.export_tables().keys() == {"representation", "representation_tests"}


def test_weights_and_trimming(studies):
    _, weighted, trimmed = studies
    assert round(weighted.statistic, 2) == 1.43 and weighted.trim is None
    assert "Designeffekt (Kish) 1,43: 800 svar gir like sikre tall som 561 svar" in (
        weighted.text("nb"))
    assert weighted.text("nb", "trim") == "Vektene trimmes ikke (ingen grenser er satt)."
    assert weighted.trimmed(None) is weighted
    assert trimmed.trim == (0.3, 3.5) and round(trimmed.statistic, 2) == 1.42
    assert "48 vekter kuttet" in trimmed.text("nb", "trim")
    figures = trimmed.figures()
    assert round(figures["total"]) == 23437 and round(figures["n_eff"]) == 562
    assert figures["max_margin_error"] < 1e-6
    margins = weighted.to_frame("margins")
    assert (margins["error"].abs() < 1e-6).all()
    by_area = weighted.to_frame("weights_by_area")
    assert round(by_area.loc["99010200", "weight_sum"]) == 5222  # Havna's population


def test_weighted_against_unweighted(studies):
    _, _, trimmed = studies
    effect = trimmed.to_frame("weighting_effect")
    assert effect.columns.tolist() == ["n", "unweighted", "weighted", "difference", "n_eff"]
    assert effect.loc["moving_around"].round(2)[["unweighted", "weighted"]].tolist() == [4.67,
                                                                                         4.63]
    by_area = trimmed.to_frame("theme_by_area")
    assert by_area.loc["total", ["unweighted", "weighted"]].round(2).tolist() == [4.88, 4.64]
    medians = trimmed.to_frame("medians")
    assert medians.loc["influence_control", ["unweighted", "weighted"]].tolist() == [4.0, 3.0]
    truth = trimmed.to_frame("truth")
    assert round(truth.loc["moving_around", "truth"], 2) == 4.72
    assert (truth["error_weighted"] == truth["weighted"] - truth["truth"]).all()
    assert trimmed.export_tables()["weighting_effect"].columns[0] == "theme"
    with pytest.raises(SoslokalError, match="unknown table"):
        trimmed.to_frame("nope")
    with pytest.raises(SoslokalError, match="unknown part"):
        trimmed.text("nb", "nope")
    assert set(TABLES) >= {"margins", "truth"}


def test_without_population_every_step_is_quiet(inputs, missing):
    study = weighting_study(missing, names=inputs.names)
    assert not study.available and study.weighted() is study and study.trimmed((0.3, 3)) is study
    assert all(study.to_frame(t).empty for t in TABLES)
    assert study.text("nb") == "(Ingen befolkningstall – hoppes over.)"
    assert study.text("en", "representation") == "(No population figures – skipped.)"
    assert study.export_tables() == {} and np.isnan(study.figures()["deff"])
    assert page.study_table(study, "representation") is None
    assert page.representation_figure(study) is None and page.effect_figure(study) is None
    assert page.figure_source(study, "Kilde: x") is None


def test_page_tables_and_figures(studies):
    import matplotlib.pyplot as plt

    first, weighted, trimmed = studies
    assert page.study_table(first, "margins") is None
    margins = page.study_table(weighted, "margins", "en")
    assert "Error (%)" in margins.data.columns and "Weighted" in margins.data.columns
    truth = page.study_table(trimmed, "truth", "nb")
    assert {"Sann verdi", "Feil uvektet", "Feil vektet"} <= set(truth.data.columns)
    assert len(page.study_table(trimmed, "theme_by_area").data) == 13  # 12 areas and the total
    source = page.figure_source(trimmed, "Kilde: svar")
    assert source.startswith("Kilde: svar; ")
    assert page.representation_figure(first, lang="en") is not None
    assert page.effect_figure(first) is None  # no weights yet
    assert page.effect_figure(trimmed, source=source) is not None
    plt.close("all")


def test_delta_beside_the_truth(inputs):
    from soslokal_lib.stats.summary import summarise

    summary = summarise(inputs.survey, "area_id", min_n=5)
    result = area_differences(inputs.survey, summary=summary, names=inputs.names)
    check = delta_truth(result, "feeling_safe", synthetic=True)
    table = check.to_frame()
    assert table.columns.tolist() == ["area_id", "area_name", "mean", "delta"]
    assert table["area_name"].iloc[0] == "Storhaugen" and table["area_name"].iloc[-1] == "Solåsen"
    assert table[["mean", "delta"]].iloc[0].round(2).tolist() == [4.31, -0.20]
    assert round(check.statistic, 2) == round(
        table["mean"].rank().corr(table["delta"].rank()), 2) > 0.8
    lines = check.text("nb").splitlines()
    assert lines[0].split() == ["nabolag", "sant", "gjennomsnitt", "δ", "fra", "utvalget"]
    assert lines[1].split() == ["Storhaugen", "4,31", "−0,20"]
    assert check.text("en").splitlines()[1].split() == ["Storhaugen", "4.31", "-0.20"]
    real = delta_truth(result, "feeling_safe", synthetic=False)
    assert real.to_frame().empty and np.isnan(real.statistic)
    assert real.text("en") == "The truth exists only for the synthetic sample data."
    truth = sample_truth("Trygghet")
    assert "9901" not in truth.index and len(truth) == 12


def test_saved_text(tmp_path):
    paths = [tmp_path / "a.csv", str(tmp_path / "b.csv")]
    assert saved_text(paths) == "Lagret a.csv\nLagret b.csv"
    assert saved_text(paths, "en") == "Saved a.csv\nSaved b.csv"
    assert saved_text([], "nb") == ""
