"""Tests for soslokal_lib.stats.representativeness and the «Hvem svarte?» figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import soslokal_lib
from soslokal_lib import SoslokalError, weighting
from soslokal_lib.stats.representativeness import (
    TABLE_COLUMNS,
    TEST_COLUMNS,
    representativeness,
)


@pytest.fixture(scope="module")
def sample():
    return soslokal_lib.load_sample()


@pytest.fixture(scope="module")
def cells(sample):
    return weighting.population_cells(sample.population,
                                      area_map=sample.grunnkretser["parent_id"])


@pytest.fixture(scope="module")
def rep(sample, cells):
    return representativeness(sample.survey, cells, names=sample.areas["area_name"].to_dict())


def _row(rep, variable, level):
    t = rep.table
    return t[(t["variable"] == variable) & (t["level"] == level)].iloc[0]


def test_table_shape(rep):
    assert list(rep.table.columns) == list(TABLE_COLUMNS)
    assert list(rep.tests.columns) == list(TEST_COLUMNS)
    assert list(rep.tests["variable"]) == ["area_id", "age_group", "gender"]
    assert len(rep.table) == 12 + 4 + 2
    assert rep.n == 800 and rep.population_total == pytest.approx(23437)
    assert _row(rep, "area_id", "99010900")["label"] == "Storhaugen"


def test_values_equal_hand_computation(sample, cells, rep):
    r = sample.survey.responses
    young = int((r["age_group"] == "15–29").sum())
    known = int(r["age_group"].notna().sum())
    pop_young = cells.loc[cells["age_group"] == "15–29", "population"].sum()
    row = _row(rep, "age_group", "15–29")
    assert row["n"] == young == 85
    assert row["sample_share"] == pytest.approx(young / known)
    assert row["population_share"] == pytest.approx(pop_young / cells["population"].sum())
    assert row["ratio"] == pytest.approx((young / known) / (pop_young / cells["population"].sum()))
    assert row["response_rate"] == pytest.approx(young / pop_young)
    test = rep.tests.set_index("variable").loc["age_group"]
    assert test["n"] == known and test["missing"] == 5 and test["dof"] == 3


def test_age_pattern_of_the_generator_is_detected(rep):
    """Data card truth 1: 15–29 and 65+ answer less, 45–64 more."""
    assert _row(rep, "age_group", "15–29")["ratio"] < 1
    assert _row(rep, "age_group", "65+")["ratio"] < 1
    assert _row(rep, "age_group", "45–64")["ratio"] > 1
    assert _row(rep, "age_group", "15–29")["flag"] == "under"
    assert _row(rep, "age_group", "45–64")["flag"] == "over"
    assert rep.tests.set_index("variable").loc["age_group", "p_value"] < 1e-6


def test_deprived_areas_answer_less(sample, rep):
    """Data card truth 2: response rates fall with deprivation."""
    truth = pd.read_csv(sample.path / "truth_grunnkrets.csv", dtype={"area_id": "str",
                                                                      "delomradenummer": "str"})
    pop = sample.population.groupby("area_id")["value"].sum()
    truth = truth.assign(pop=truth["area_id"].map(pop))
    deprivation = (truth["deprivation"] * truth["pop"]).groupby(truth["delomradenummer"]).sum() \
        / truth.groupby("delomradenummer")["pop"].sum()
    areas = rep.table[rep.table["variable"] == "area_id"].set_index("level")
    rho = areas["response_rate"].astype(float).corr(deprivation.reindex(areas.index),
                                                    method="spearman")
    assert rho < -0.6
    most = deprivation.nlargest(3).index   # Storhaugen, Havna, Furumo
    least = deprivation.nsmallest(3).index  # Solåsen, Vestre Strand, Brattvoll
    assert areas.loc[most, "response_rate"].max() < areas.loc[least, "response_rate"].min()
    assert "Storhaugen" in set(rep.under["label"])


def test_chi_square_on_a_hand_example():
    df = pd.DataFrame({"area_id": ["a"] * 30 + ["b"] * 10, "g": ["x"] * 20 + ["y"] * 20})
    rep = representativeness(df, {"area_id": {"a": 500, "b": 500}, "g": {"x": 100, "y": 300}},
                             threshold=0.8)
    t = rep.tests.set_index("variable")
    # area: observed 30/10 vs expected 20/20 → (10² + 10²) / 20 = 10
    assert t.loc["area_id", "chi2"] == pytest.approx(10.0)
    assert t.loc["area_id", "cohens_w"] == pytest.approx(np.sqrt(10 / 40))
    # g: observed 20/20 vs expected 10/30 → 100/10 + 100/30
    assert t.loc["g", "chi2"] == pytest.approx(10 + 100 / 30)
    assert _row(rep, "g", "x")["ratio"] == pytest.approx(2.0)
    assert _row(rep, "area_id", "b")["ratio"] == pytest.approx(0.5)
    assert list(rep.under["level"]) == ["b", "y"] and list(rep.over["level"]) == ["x", "a"]


def test_level_without_respondents_is_under_represented():
    df = pd.DataFrame({"area_id": ["a"] * 6})
    rep = representativeness(df, {"area_id": {"a": 50, "b": 50}})
    row = _row(rep, "area_id", "b")
    assert row["n"] == 0 and row["ratio"] == 0 and row["flag"] == "under" and row["small"]


def test_note_is_plain_bokmal(rep):
    note = rep.note()
    assert "800 personer svarte" in note and "23 437" in note
    assert "Alder 15–29 år: 10,7 % av svarene, men 25,3 % av befolkningen" in note
    assert "Område Storhaugen" in note and "fokusgrupper" in note
    assert note.index("15–29") < note.index("Storhaugen")  # most under-represented first
    english = rep.note("en")
    assert "Age 15–29 years: 10.7% of the answers" in english


def test_bad_input(sample, cells):
    with pytest.raises(SoslokalError, match="threshold"):
        representativeness(sample.survey, cells, threshold=1.5)
    with pytest.raises(SoslokalError, match=r"level\(s\) \['Mann'\]"):
        representativeness(sample.survey, {"gender": {"Kvinne": 10.0, "Menn": 10.0}})
    with pytest.raises(SoslokalError, match="no column"):
        representativeness(sample.survey, {"school": {"a": 1.0}})


# --------------------------------------------------------------------------- figures


def test_plot_representation(rep):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from soslokal_lib.plot.charts_weights import plot_representation

    fig = plot_representation(rep, source="syntetiske data")
    try:
        assert len(fig.axes) == 3
        assert fig._suptitle.get_text().startswith("Hvem svarte?")
        assert "n = 800" in fig._suptitle.get_text()
        assert "Kilde: syntetiske data" in fig._supxlabel.get_text()
        texts = [t.get_text() for t in fig.axes[1].texts]
        assert "×0,42  (n = 85)" in texts
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        assert "Storhaugen" in labels
    finally:
        plt.close(fig)
    fig = plot_representation(rep, variables=["age_group"], lang="en")
    try:
        assert fig._suptitle.get_text().startswith("Who responded?")
    finally:
        plt.close(fig)
    with pytest.raises(SoslokalError, match="No variable"):
        plot_representation(rep, variables=["school"])


def test_plot_weighting_effect(sample, cells):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from soslokal_lib.plot.charts_weights import plot_weighting_effect

    survey = sample.survey
    w = weighting.rake(survey, weighting.margins_from_cells(cells), missing="ignore_margin")
    u = soslokal_lib.summarise(survey)
    v = soslokal_lib.summarise(weighting.with_weights(survey, w), weight="weight")
    truth = sample.truth[sample.truth["area_id"] == "9901"].set_index("theme")["mean"]
    fig = plot_weighting_effect(u, v, truth=truth, source="syntetiske data")
    try:
        ax = fig.axes[0]
        unweighted, weighted = ax.collections[1], ax.collections[2]
        row = v[(v["area_id"] == "total") & (v["theme"] == "feeling_safe")]
        assert weighted.get_offsets()[11][0] == pytest.approx(float(row["mean"].iloc[0]))
        assert unweighted.get_offsets()[11][0] > weighted.get_offsets()[11][0]
        assert "Hele kommunen" in ax.get_title(loc="left")
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            "Uvektet", "Vektet", "Sann verdi i befolkningen"]
    finally:
        plt.close(fig)
