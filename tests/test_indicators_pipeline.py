"""From sample data to neighbourhood indicators; weights and scores per dimension; the
framework table; the dot plot per dimension."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import framework as fw
from soslokal_lib import indicators as ind
from soslokal_lib.errors import SoslokalError

HB, LB = "higher_is_better", "lower_is_better"
SENTRUM, BRATTVOLL, OYANE = "99010100", "99011100", "99011200"


@pytest.fixture(scope="module")
def sample():
    from soslokal_lib import load_sample

    return load_sample()


@pytest.fixture(scope="module")
def table(sample) -> pd.DataFrame:
    return ind.neighbourhood_indicators(sample.survey, sample.socio, sample.grunnkretser,
                                        sample.population, income=sample.income)


def _areas(n: int) -> pd.Index:
    return pd.Index([f"9901{i:02d}00" for i in range(1, n + 1)], name="area_id")


# --------------------------------------------------------------------------- aggregate_socio
def test_aggregate_socio_weights_rates_by_population_and_sums_counts():
    socio = pd.DataFrame({
        "area_id": ["99010101", "99010102", "99010201"],
        "name": ["A", "B", "C"],
        "population": [100, 300, 50],
        "households": [80, 120, 20],
        "low_income_pct": [10.0, 20.0, 5.0],
        "median_income_nok": [500_000, 600_000, 700_000],
    }).set_index("area_id")
    out = ind.aggregate_socio(socio, "delomrade")
    assert list(out.index) == ["99010100", "99010200"]
    assert out.loc["99010100", "population"] == 400
    assert out.loc["99010100", "households"] == 200
    assert out.loc["99010100", "low_income_pct"] == pytest.approx((10 * 100 + 20 * 300) / 400)
    # Median income: household-weighted (an approximation of the neighbourhood median).
    assert out.loc["99010100", "median_income_nok"] == pytest.approx(
        (500_000 * 80 + 600_000 * 120) / 200)
    assert out.loc["99010200", "low_income_pct"] == pytest.approx(5.0)
    assert "name" not in out.columns
    assert out.attrs["weights"] == {"low_income_pct": "population",
                                    "median_income_nok": "households"}
    # Own zones and an explicit weight column.
    zones = {"99010101": "Z1", "99010102": "Z2", "99010201": "Z2"}
    own = ind.aggregate_socio(socio, zones, weights={"low_income_pct": "households"})
    assert own.loc["Z2", "low_income_pct"] == pytest.approx((20 * 120 + 5 * 20) / 140)
    with pytest.raises(SoslokalError, match="weight column 'voters'"):
        ind.aggregate_socio(socio, zones, weights={"low_income_pct": "voters"})
    with pytest.raises(SoslokalError, match="population column"):
        ind.aggregate_socio(socio.drop(columns="population"), zones)


def test_aggregate_socio_missing_member_makes_the_zone_missing():
    socio = pd.DataFrame({"population": [100, 300], "crowded_pct": [4.0, np.nan]},
                         index=pd.Index(["99010101", "99010102"], name="area_id"))
    assert np.isnan(ind.aggregate_socio(socio).loc["99010100", "crowded_pct"])
    assert ind.aggregate_socio(socio, skipna=True).loc["99010100", "crowded_pct"] == 4.0


# --------------------------------------------------------------------------- neighbourhood table
def test_neighbourhood_indicators_rates_match_a_hand_computation(sample, table):
    gk = sample.socio.loc[sample.grunnkretser.index[sample.grunnkretser["parent_id"] == SENTRUM]]
    assert len(gk) == 5
    expected = (gk["low_income_pct"] * gk["population"]).sum() / gk["population"].sum()
    assert table.loc[SENTRUM, "persistent_low_income"] == pytest.approx(expected)
    turnout = (gk["turnout_pct"] * gk["population"]).sum() / gk["population"].sum()
    assert table.loc[SENTRUM, "turnout"] == pytest.approx(turnout)
    assert table.loc[SENTRUM, "population"] == gk["population"].sum()
    assert table["population"].sum() == 27_820
    assert len(table) == 12 and table.attrs["unmatched_areas"] == {
        "summary_only": [], "socio_only": []}
    # The published delområde median (SSB 06944) replaces the approximation; Øyane's is
    # suppressed there and stays missing.
    assert table.loc[SENTRUM, "median_household_income"] == 585_600
    assert np.isnan(table.loc[OYANE, "median_household_income"])
    assert table.attrs["income"] == "published"
    # Context shares from the population table.
    pop = sample.population[sample.population["area_id"].isin(gk.index)]
    old = pop["age"].isin(["70-74", "75-79", "80-84", "85-89", "90+"])
    share_67 = (pop.loc[old, "value"].sum()
                + 0.6 * pop.loc[pop["age"] == "65-69", "value"].sum()) / pop["value"].sum()
    assert table.loc[SENTRUM, "share_67_plus"] == pytest.approx(100 * share_67)


def test_neighbourhood_indicators_keep_suppressed_survey_cells_missing(sample, table):
    # Øyane has n = 3 on traffic_parking and 4 on natural_space; Brattvoll is hidden with it.
    for area in (OYANE, BRATTVOLL):
        assert np.isnan(table.loc[area, "sk_traffic_parking_median"])
        assert np.isnan(table.loc[area, "sk_natural_space_median"])
        assert np.isnan(table.loc[area, "sk_dim_public_spaces"])
        assert np.isnan(table.loc[area, "sk_dim_physical_infrastructure_transport"])
    assert table.loc[OYANE, "sk_traffic_parking_median__n"] == 3
    assert table.loc[OYANE, "sk_feeling_safe_median"] == pytest.approx(5.0)
    assert table.notna().loc[SENTRUM, ind.core_indicators(table)].all()
    # Suppression follows min_n: with min_n = 25 Brattvoll (20 respondents) is blank too.
    strict = ind.neighbourhood_indicators(sample.survey, min_n=25)
    assert strict.loc[BRATTVOLL, [c for c in strict.columns if "__" not in c]].isna().all()
    assert strict.attrs["min_n"] == 25


def test_neighbourhood_indicators_survey_only_and_errors(sample):
    only = ind.neighbourhood_indicators(sample.survey)
    assert "persistent_low_income" not in only.columns and "population" not in only.columns
    assert ind.uncovered_dimensions(only) == ("stability",)
    assert only.attrs["income"] is None
    with pytest.raises(SoslokalError, match="Nothing to build"):
        ind.neighbourhood_indicators(None)
    with pytest.raises(SoslokalError, match="income needs socio"):
        ind.neighbourhood_indicators(sample.survey, income=sample.income)
    with pytest.raises(SoslokalError, match="parent_id"):
        ind.neighbourhood_indicators(None, sample.socio, sample.grunnkretser.drop(
            columns="parent_id"))


# --------------------------------------------------------------------------- per dimension
@pytest.fixture
def small() -> pd.DataFrame:
    return pd.DataFrame({
        "persistent_low_income": [10.0, 20.0, 30.0, 40.0],   # social_infrastructure, LB
        "median_household_income": [4.0, 3.0, 2.0, 1.0],   # social_infrastructure, HB
        "moving_rate": [100.0, 50.0, 150.0, np.nan],        # stability, LB
        "immigrant_share": [1.0, 2.0, 3.0, 4.0],            # context
    }, index=_areas(4))


def test_dimension_weights_give_every_dimension_the_same_total(small, table):
    w = ind.dimension_weights(small)
    assert w == pytest.approx({"persistent_low_income": 0.25, "median_household_income": 0.25,
                               "moving_rate": 0.5})
    core = table[ind.core_indicators(table)]
    wt = ind.dimension_weights(core)
    assert sum(wt.values()) == pytest.approx(1.0)
    assert wt["moving_rate"] == pytest.approx(1 / 9)  # stability's only indicator
    assert wt["persistent_low_income"] == pytest.approx(1 / 9 / 6)  # 6 social-infrastructure ones
    assert wt["turnout"] == wt["sk_dim_political_participation"] == pytest.approx(1 / 18)
    with pytest.raises(SoslokalError, match="framework dimension"):
        ind.dimension_weights(small[["immigrant_share"]])


def test_dimension_scores_are_composites_per_dimension(small):
    d = ind.dimension_scores(small, "zscore")
    assert list(d.columns) == ["social_infrastructure", "stability"]
    z = (np.arange(4) - 1.5) / np.sqrt(1.25)  # both indicators order the areas the same way
    assert np.allclose(d["social_infrastructure"], -z)
    mv = np.array([100.0, 50.0, 150.0])
    assert np.allclose(d["stability"].iloc[:3], -(mv - mv.mean()) / mv.std())
    assert np.isnan(d["stability"].iloc[3])
    assert "political_participation" in d.attrs["uncovered"]
    assert d.attrs["indicators"]["stability"] == ["moving_rate"]
    dropped = ind.dimension_scores(small, "zscore", missing="drop_indicator")
    assert list(dropped.columns) == ["social_infrastructure"]
    assert dropped.attrs["dropped"] == ["stability"]
    assert np.allclose(dropped["social_infrastructure"], d["social_infrastructure"])
    # The composite with dimension weights is the mean of the dimension z-scores (zscore).
    c = ind.composite(small.iloc[:3], "zscore", ind.dimension_weights(small))
    d3 = ind.dimension_scores(small.iloc[:3], "zscore")
    assert np.allclose(c["score"], d3.mean(axis=1))


def test_registry_table_and_coverage_accept_an_indicator_table(table):
    core = table[ind.core_indicators(table)]
    reg = ind.registry_table(core)
    assert list(reg.index) == list(core.columns)
    assert reg.loc["moving_rate", "dimension_name"] == "Stabilitet"
    assert reg.loc["moving_rate", "goal_name"] == "Sosial robusthet"
    assert ind.registry_table(core, lang="en").loc["turnout", "goal_name"] == "Social justice"
    assert ind.registry_table().loc["population", "dimension_name"] == ""
    cov = ind.coverage(core)
    assert cov.loc["stability", "socioeconomic"] == ["moving_rate"]
    assert cov.loc["political_participation", "n_indicators"] == 2
    assert (cov["n_indicators"] > 0).all()
    survey_only = ind.coverage(core[[c for c in core.columns if c.startswith("sk_")]])
    assert survey_only.loc["stability", "n_indicators"] == 0


# --------------------------------------------------------------------------- framework table
def test_framework_table():
    t = fw.framework_table()
    assert t["kind"].value_counts().to_dict() == {
        "goal": 2, "dimension": 9, "core_element": 3, "frame_condition": 4}
    assert t.loc["stability", "goal"] == "Sosial robusthet"
    assert t.loc["stability", "themes"] == ""
    assert t.loc["safety_security", "themes"] == "Trygghet"
    assert t.loc["co_creation", "name"] == "Samskaping"
    assert t.loc["justice", "description"].startswith("Handler om at folk har lik tilgang")
    assert t.loc["neighbourhood", "kind_name"] == "Kjerneelement"
    en = fw.framework_table("en")
    assert en.loc["public_spaces", "goal"] == "Social justice"
    assert en.loc["fairness", "kind_name"] == "Frame condition"


# --------------------------------------------------------------------------- dot plot
def test_plot_dimension_dots(small, table, sample):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from soslokal_lib.plot.indicators import GOAL_COLOURS, plot_dimension_dots

    core = table[ind.core_indicators(table)]
    names = sample.areas["area_name"].to_dict()
    order = list(core.index[::-1])
    d = ind.dimension_scores(core, population=table["population"])
    fig = plot_dimension_dots(d, names=names, order=order, source="Kilde: syntetiske data")
    axes = fig.axes
    assert len(axes) == 9
    assert [a.get_title() for a in axes][0] == "Sosial\ninfrastruktur"
    labels = [tl.get_text() for tl in axes[0].get_yticklabels()]
    assert labels == [names[a] for a in order]
    # Dots: one per non-missing value, at the value; missing ones drawn as «×».

    def points(ax, label):
        found = [c for c in ax.collections if c.get_label() == label]
        return found[0].get_offsets() if found else np.empty((0, 2))

    for ax, dim in zip(axes, d.columns, strict=True):
        pts = points(ax, "_values")
        expected = d[dim].reindex(order).dropna()
        assert np.allclose(pts[:, 0], expected.to_numpy())
        assert len(points(ax, "_missing")) == d[dim].isna().sum()
    public = axes[list(d.columns).index("public_spaces")]
    hidden = points(public, "_missing")
    assert sorted(order[int(i)] for i in hidden[:, 1]) == [BRATTVOLL, OYANE]
    values = [c for c in axes[-1].collections if c.get_label() == "_values"][0]
    assert np.allclose(values.get_facecolor()[0][:3],
                       matplotlib.colors.to_rgb(GOAL_COLOURS["robustness"]))
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "n = 12 områder" in texts and "Kilde: syntetiske data" in texts
    assert "befolkningsvektet" in fig._supxlabel.get_text()
    plt.close(fig)
    fig = plot_dimension_dots(ind.dimension_scores(small, "rank"), lang="en")
    assert len(fig.axes) == 2 and "Share of areas worse off" in fig._supxlabel.get_text()
    plt.close(fig)
    with pytest.raises(SoslokalError, match="order names"):
        plot_dimension_dots(ind.dimension_scores(small), order=["nope"])
    with pytest.raises(SoslokalError, match="dimension_scores"):  # plot computes nothing
        plot_dimension_dots(small)


# --------------------------------------------------------------------------- the one index
def test_sustainability_index_is_the_dimension_weighted_exponential_composite(table):
    res = ind.sustainability_index(table)
    core = ind.core_indicators(table)
    assert res.attrs["indicators"] == ind.index_indicators(table) == core
    assert res.attrs["method"] == ind.INDEX_METHOD == "exponential"
    assert res.attrs["weighting"] == ind.INDEX_WEIGHTING == "dimension"
    weights = ind.dimension_weights(table[core])
    expected = ind.composite(table[core], "exponential", weights,
                             population=table["population"], missing="mean_of_available")
    pd.testing.assert_frame_equal(res, expected, check_like=True, check_exact=False)
    # social infrastructure (its survey dimension and five register indicators) gets one
    # dimension's share, not 6 of 15
    infra = [c for c in core if ind.get_indicator(c).dimension == "social_infrastructure"]
    assert len(infra) == 6 and len(core) == 15
    assert sum(res.attrs["weights"][c] for c in infra) == pytest.approx(1 / 9)
    equal = ind.sustainability_index(table, weighting="indicator", population=None)
    assert equal.attrs["weights"][infra[0]] == pytest.approx(1 / 15)
    assert not equal.attrs["population_weighted"]
    with pytest.raises(SoslokalError, match="weighting"):
        ind.sustainability_index(table, weighting="theme")
    sens = ind.index_sensitivity(table, "rank", n_draws=3)
    assert sens.settings["methods"][0] == "rank" and len(sens.settings["methods"]) == 5
    assert sens.ranks["rank"].equals(ind.sustainability_index(table, "rank")["rank"])


def test_verksted_and_notebook_03_rank_the_sample_alike():
    """One index definition: the «politisk verksted» report and notebook 03 (its default
    parameters and calls) rank Fjordvik's neighbourhoods identically."""
    import ast
    import json
    from pathlib import Path

    from soslokal_lib import summarise
    from soslokal_lib.app import verksted
    from soslokal_lib.io.inputs import load_inputs, load_socio_tables

    path = Path(__file__).resolve().parents[1] / "notebooks" / "03_sosial_baerekraft.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    params = next(c for c in cells if "parameters" in c["metadata"].get("tags", []))
    values = {node.targets[0].id: ast.literal_eval(node.value)
              for node in ast.parse("".join(params["source"])).body
              if isinstance(node, ast.Assign)}
    assert values["method"] == ind.INDEX_METHOD and values["weighting"] == ind.INDEX_WEIGHTING
    assert values["missing"] == "mean_of_available" and values["population_weighted"]
    inputs = load_inputs()
    min_n = values["min_n"]
    # notebook 03's calls
    tables = load_socio_tables(inputs)
    table = ind.neighbourhood_indicators(inputs.survey, min_n=min_n,
                                         **tables.indicator_options())
    notebook = ind.sustainability_index(table, values["method"], weighting=values["weighting"],
                                        population=table["population"],
                                        missing=values["missing"])
    # the report's
    report = verksted.neighbourhood_index(summarise(inputs.survey, min_n=min_n),
                                          verksted.sample_socio(), list(inputs.names))
    assert report.attrs["indicators"] == notebook.attrs["indicators"]
    pd.testing.assert_series_equal(report["rank"], notebook["rank"].reindex(report.index))
    assert report["score"].to_numpy() == pytest.approx(
        notebook["score"].reindex(report.index).to_numpy())
    names = {inputs.names[a]: int(r) for a, r in report["rank"].items()}
    assert names["Storhaugen"] == 12 and names["Solåsen"] == 1
