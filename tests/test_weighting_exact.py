"""Weighting on tables small enough to compute by hand (soslokal_lib.stats.weighting).

Six respondents, two areas (A, B) and two age groups (y, o), base weights 1, 2, 1, 1, 1, 3;
population cells A·y 30, A·o 20, B·y 10, B·o 40 (100 persons). Post-stratification gives each
respondent N_cell · b_i / Σ_cell b: A·y 30·1/3 = 10 and 30·2/3 = 20, A·o 20, B·y 10,
B·o 40·1/4 = 10 and 40·3/4 = 30.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from soslokal_lib.errors import SoslokalError
from soslokal_lib.stats import weighting

IDS = pd.Index([f"r{i}" for i in range(1, 7)], name="respondent_id")
BY = ["area_id", "age"]


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"area_id": list("AAABBB"), "age": list("yyoyoo"),
                         "b": [1.0, 2, 1, 1, 1, 3]}, index=IDS)


@pytest.fixture
def population() -> pd.DataFrame:
    return pd.DataFrame({"area_id": list("AABB"), "age": list("yoyo"),
                         "population": [30, 20, 10, 40]})


def test_poststratify_by_hand(frame, population):
    weights = weighting.poststratify(frame, population, by=BY, base_weight="b")
    assert isinstance(weights, pd.Series) and weights.name == "weight"  # no report by default
    assert weights.index.equals(IDS)
    assert weights.tolist() == pytest.approx([10, 20, 20, 10, 10, 30])
    unit = weighting.poststratify(frame, population, by=BY)  # base weights 1
    assert unit.tolist() == pytest.approx([15, 15, 20, 10, 20, 20])
    # the same population as a Series, one cell split over two rows, a zero cell without anyone
    series = population.set_index(BY)["population"]
    assert weighting.poststratify(frame, series, by=BY).tolist() == pytest.approx(unit.tolist())
    split = pd.concat([population, pd.DataFrame({"area_id": ["A", "C"], "age": ["y", "y"],
                                                 "population": [0, 0]})], ignore_index=True)
    split.loc[0, "population"] = 12
    split.loc[4, "population"] = 18  # A·y = 12 + 18 = 30
    assert weighting.poststratify(frame, split, by=BY).tolist() == pytest.approx(unit.tolist())


def test_poststratify_report_by_hand(frame, population):
    _, report = weighting.poststratify(frame, population, by=BY, base_weight="b",
                                       return_report=True)
    assert (report.method, report.n, report.converged, report.iterations) == (
        "poststratify", 6, True, 0)
    assert report.margins is None and report.max_margin_error is None
    # Σw = 100, Σw² = 100 + 400 + 400 + 100 + 100 + 900 = 2000: n_eff = 100²/2000 = 5, deff 6/5
    assert report.total == pytest.approx(100) and report.n_eff == pytest.approx(5)
    assert report.deff == pytest.approx(1.2)
    # sorted 10 10 10 20 20 30: median 15; p5 at position 0.25 → 10; p95 at 4.75 → 27.5
    pd.testing.assert_series_equal(report.distribution, pd.Series(
        {"min": 10.0, "p5": 10.0, "median": 15.0, "p95": 27.5, "max": 30.0, "mean": 100 / 6},
        name="weight"))
    # A: 10, 20, 20 → Σ 50, Σw² 900, n_eff 2500/900, deff 3·900/2500; B: 10, 10, 30 → Σw² 1100
    expected = pd.DataFrame({"n": [3, 3], "weight_sum": [50.0, 50.0],
                             "mean_weight": [50 / 3, 50 / 3], "deff": [1.08, 1.32],
                             "n_eff": [2500 / 900, 2500 / 1100]},
                            index=pd.Index(["A", "B"], name="area_id", dtype="string"))
    pd.testing.assert_frame_equal(report.by_area, expected, check_dtype=False)
    assert report.text() == (
        "poststratify: vektene treffer befolkningstallet i hver celle.\n"
        "Vekter: min 10, p5 10, median 15, p95 27,5, maks 30 (snitt 16,7).\n"
        "Designeffekt (Kish) 1,20: 6 svar gir like sikre tall som 5 svar uten vekter.")
    assert report.text("en").splitlines()[0] == (
        "poststratify: the weights match every cell's population.")


def test_report_by_other_column_none_and_missing_area(frame, population):
    weights = weighting.poststratify(frame, population, by=BY, base_weight="b")
    by_age = weighting.weighting_report(weights, frame, by="age").by_area
    assert by_age.index.tolist() == ["o", "y"]  # sorted levels
    assert by_age["n"].tolist() == [3, 3] and by_age["weight_sum"].tolist() == [60, 40]
    none = weighting.weighting_report(weights, frame, by=None).by_area
    assert none.empty and none.columns.tolist() == ["n", "weight_sum", "mean_weight", "deff",
                                                    "n_eff"]
    gap = frame.assign(area_id=pd.array(["A", None, "A", "B", "B", "B"], dtype="string"))
    report = weighting.weighting_report(weights, gap)
    assert report.by_area["n"].tolist() == [2, 3]  # r2 (no area) is in no area's row
    assert report.by_area["weight_sum"].tolist() == [30, 50]
    assert report.n == 6 and report.total == pytest.approx(100)  # but counts overall


def test_report_text_exact_in_both_languages():
    dist = pd.Series({"min": 10.0, "p5": 10.0, "median": 15.0, "p95": 27.5, "max": 30.0,
                      "mean": 100 / 6}, name="weight")
    report = weighting.WeightingReport(
        method="rake", n=6, total=100.0, deff=1.2, n_eff=5.0, distribution=dist,
        by_area=pd.DataFrame(), converged=False, iterations=7, max_margin_error=0.00123,
        trim=(0.3, 3.0), n_trimmed=2, trim_rounds=1, missing={"age": 1, "gender": 0})
    assert report.text() == (
        "rake: konvergerte IKKE (7 iterasjoner, største relative avvik fra målene 0,0012).\n"
        "Vekter: min 10, p5 10, median 15, p95 27,5, maks 30 (snitt 16,7).\n"
        "Trimming til [0,3; 3] × snittvekten: 2 vekter kuttet, 1 runder med ny raking.\n"
        "Designeffekt (Kish) 1,20: 6 svar gir like sikre tall som 5 svar uten vekter.\n"
        "1 svar mangler age; de er holdt utenfor den marginen.")
    assert report.text("en") == (
        "rake: did NOT converge (7 iterations, largest relative margin error 0.0012).\n"
        "Weights: min 10, p5 10, median 15, p95 27.5, max 30 (mean 16.7).\n"
        "Trimmed to [0.3, 3] × mean weight: 2 weights cut, 1 rounds of re-raking.\n"
        "Design effect (Kish) 1.20: 6 responses are as precise as 5 unweighted ones.\n"
        "1 responses lack age; they were left out of that margin.")
    done = weighting.WeightingReport(
        method="rake", n=6, total=100.0, deff=1.2, n_eff=5.0, distribution=dist,
        by_area=pd.DataFrame(), converged=True, iterations=3, max_margin_error=0.0)
    assert done.text().splitlines()[0] == (
        "rake: konvergerte (3 iterasjoner, største relative avvik fra målene 0).")
    assert done.text("en").splitlines()[0].startswith("rake: converged (3 iterations")
    assert len(done.text().splitlines()) == 3  # no trimming line, no missing line
    given = weighting.WeightingReport(
        method="given", n=6, total=100.0, deff=1.2, n_eff=5.0, distribution=dist,
        by_area=pd.DataFrame())
    assert given.text().startswith("Vekter: min 10")


def test_margin_table_by_hand(frame):
    # one margin: A's three share 60 (20 each), B's three share 40 (13.33 each), one pass
    weights, report = weighting.rake(frame, {"area_id": {"A": 60, "B": 40}},
                                     return_report=True)
    assert weights.tolist() == pytest.approx([20, 20, 20, 40 / 3, 40 / 3, 40 / 3])
    assert report.iterations == 1 and report.converged
    two = weighting.rake(frame, {"area_id": {"A": 60, "B": 40}, "age": {"y": 30, "o": 70}},
                         return_report=True)[1].margins
    assert two.index.tolist() == [0, 1, 2, 3]
    assert two.columns.tolist() == ["variable", "level", "target", "goal", "weighted", "n",
                                    "error"]
    assert two["variable"].dtype == "string" and two["level"].dtype == "string"
    assert two["variable"].tolist() == ["area_id", "area_id", "age", "age"]
    assert two["level"].tolist() == ["A", "B", "y", "o"]
    assert two["target"].tolist() == [60, 40, 30, 70] == two["goal"].tolist()
    assert two["weighted"].to_numpy() == pytest.approx([60, 40, 30, 70])
    assert two["n"].tolist() == [3, 3, 3, 3]
    assert np.abs(two["error"]).max() < 1e-8


def test_ignore_margin_goal_is_scaled_to_the_known(frame):
    """r3 has no age: the age margin is met among the other five, scaled to their total."""
    gap = frame.assign(age=pd.array(["y", "y", None, "y", "o", "o"], dtype="string"))
    weights, report = weighting.rake(gap, {"area_id": {"A": 60, "B": 40},
                                           "age": {"y": 50, "o": 50}},
                                     missing="ignore_margin", return_report=True)
    table = report.margins.set_index(["variable", "level"])
    known = weights.drop("r3").sum()
    assert table.loc[("age", "y"), "goal"] == pytest.approx(known / 2)
    assert table.loc[("age", "y"), "target"] == 50
    assert report.missing == {"area_id": 0, "age": 1}
    assert weights.sum() == pytest.approx(100)


@pytest.mark.filterwarnings("ignore:Raking did not converge")
def test_trimming_adds_rounds_and_iterations(frame):
    margins = {"area_id": {"A": 70, "B": 30}, "age": {"y": 20, "o": 80}}
    plain, first = weighting.rake(frame, margins, return_report=True)
    with pytest.warns(RuntimeWarning, match="cannot both hold after 3 rounds"):
        _, trimmed = weighting.rake(frame, margins, trim=(0.3, 3.0), max_iter=3,
                                    return_report=True)
    assert trimmed.trim == (0.3, 3.0) and trimmed.trim_rounds == 3
    assert trimmed.iterations > first.iterations
    mean = plain.mean()
    assert trimmed.n_trimmed >= int(((plain < 0.3 * mean) | (plain > 3.0 * mean)).sum()) >= 1


@pytest.mark.parametrize("change, message", [
    (lambda f, p: (f.drop(columns="age"), p),
     r"The responses lack column\(s\) \['age'\]. Fix: choose by= among \['area_id', 'b'\]"),
    (lambda f, p: (f.assign(age=pd.array(["y", "y", None, "y", "o", "o"], dtype="string")), p),
     r"^1 respondents lack a value of \['age'\] \(e.g. 'age'; first \['r3'\]\) and cannot be "
     r"placed in a post-stratification cell"),
    (lambda f, p: (f, p[p["age"] == "y"]),
     r"^3 respondents are in 2 \['area_id', 'age'\] cell\(s\) the population table lacks, "
     r"e.g. \[\('A', 'o'\), \('B', 'o'\)\]. Fix: add those cells"),
    (lambda f, p: (f[f["age"] == "y"], p),
     r"^2 post-stratification cell\(s\) of \['area_id', 'age'\] have population but no "
     r"respondents, e.g. \[\('A', 'o'\), \('B', 'o'\)\]. Fix: collapse categories"),
    (lambda f, p: (f, p.assign(population=[30, 0, 10, 40])),
     r"^1 post-stratification cell\(s\) of \['area_id', 'age'\] have respondents but no "
     r"population, e.g. \[\('A', 'o'\)\]"),
    (lambda f, p: (f, p.drop(columns="population")),
     r"The population table lacks column\(s\) \['population'\]"),
    (lambda f, p: (f, p.assign(population=[30, -1, 10, 40])), r"missing keys or counts"),
    (lambda f, p: (f, p.assign(population=["30", "x", "10", "40"])), r"missing keys or counts"),
    (lambda f, p: (f, p.assign(age=["y", None, "y", "o"])), r"missing keys or counts"),
    (lambda f, p: (f, [30, 20, 10, 40]), r"population must be a DataFrame or Series"),
])
def test_poststratify_errors_name_the_problem(frame, population, change, message):
    f, p = change(frame, population)
    with pytest.raises(SoslokalError, match=message):
        weighting.poststratify(f, p, by=BY)


def test_compare_summaries_by_hand():
    unweighted = pd.DataFrame({"area_id": ["A", "A", "total"], "theme": ["t1", "t2", "t1"],
                               "n": [10, 10, 20], "mean": [3.0, 4.0, 3.5]})
    weighted = pd.DataFrame({"area_id": ["A", "A", "total"], "theme": ["t1", "t2", "t1"],
                             "n": [10, 10, 20], "mean": [3.5, 3.0, 3.25],
                             "n_eff": [8.0, 8.0, 15.0]})
    per_theme = weighting.compare_summaries(unweighted, weighted, area="A")
    assert per_theme.index.name == "theme" and per_theme.index.tolist() == ["t1", "t2"]
    assert per_theme.columns.tolist() == ["n", "unweighted", "weighted", "difference", "n_eff"]
    assert per_theme["difference"].tolist() == [0.5, -1.0]
    assert per_theme["n_eff"].tolist() == [8.0, 8.0]
    assert per_theme.attrs == {"area": "A", "theme": None, "stat": "mean"}
    per_area = weighting.compare_summaries(unweighted, weighted, theme="t1")
    assert per_area.index.name == "area_id" and per_area.index.tolist() == ["A", "total"]
    assert per_area["weighted"].tolist() == [3.5, 3.25]
    assert per_area["n"].tolist() == [10, 20]
    no_eff = weighting.compare_summaries(unweighted, weighted.drop(columns="n_eff"), area="A")
    assert no_eff["n_eff"].isna().all()
    with pytest.raises(SoslokalError, match=r"The weighted summary lacks column\(s\) \['n'\]"):
        weighting.compare_summaries(unweighted, weighted.drop(columns="n"))
    with pytest.raises(SoslokalError, match=r"No rows for 'Z' in the unweighted summary.*"
                                            r"\['A', 'total'\]"):
        weighting.compare_summaries(unweighted, weighted, area="Z")
    with pytest.raises(SoslokalError, match=r"No rows for 't9'.*\['t1', 't2'\]"):
        weighting.compare_summaries(unweighted, weighted, theme="t9")


def test_kish_by_hand():
    assert weighting.kish(np.array([1.0, 1, 1, 1])) == pytest.approx((1.0, 4.0))
    assert weighting.kish([10, 20, 20, 10, 10, 30]) == pytest.approx((1.2, 5.0))
    assert weighting.kish([0.5]) == pytest.approx((1.0, 1.0))  # Σw² = 0.25 < 1 still counts
    assert weighting.kish([0.2, 0.2]) == pytest.approx((1.0, 2.0))
    deff, n_eff = weighting.kish([0.0, 0.0])
    assert np.isnan(deff) and n_eff == 0.0


def test_with_weights_records_them_in_meta(frame, population):
    from soslokal_lib.survey import Survey

    responses = frame.assign(feeling_safe=pd.array([5, 6, 4, 3, 7, 5], dtype="Int8"))
    survey = Survey(responses, meta={"changes": [{"row": 1, "reason": "x"}], "source": "s"})
    weights = weighting.poststratify(survey, population, by=BY, base_weight="b")
    out = weighting.with_weights(survey, weights, name="w")
    assert out.responses["w"].tolist() == pytest.approx([10, 20, 20, 10, 10, 30])
    assert out.meta["weights"] == pytest.approx({"column": "w", "total": 100.0, "deff": 1.2,
                                                 "n_eff": 5.0})
    assert out.meta["changes"] == [{"row": 1, "reason": "x"}] and out.meta["source"] == "s"
    assert out.meta["changes"] is not survey.meta["changes"]  # a copy
    assert "w" not in survey.responses.columns  # the input is not modified
    bare = weighting.with_weights(Survey(responses), weights)
    assert bare.meta["changes"] == [] and "weight" in bare.responses.columns


def test_rake_report_names_its_method(frame):
    _, report = weighting.rake(frame, {"area_id": {"A": 60, "B": 40}}, return_report=True)
    assert report.method == "rake" and report.text().startswith("rake: konvergerte (1 iter")
