"""«Vet ikke» is data: read_survey keeps it (Survey.dont_know), summarise counts it
(n_dont_know), and it survives Survey.to_frame() and Parquet."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import Survey, SurveyFormatError, summarise
from soslokal_lib.io.survey import read_survey
from soslokal_lib.stats.weighting import with_weights
from soslokal_lib.themes import THEMES

HEADER = ["ID", "Område", *[t.name_nb for t in THEMES]]


def _csv(tmp_path, cells: list[list[str]]):
    """Rows of (id, area, 14 score cells)."""
    path = tmp_path / "svar.csv"
    path.write_text("\n".join(";".join(r) for r in [HEADER, *cells]) + "\n", encoding="utf-8")
    return path


def _rows() -> list[list[str]]:
    # Theme 1 (moving_around): A has 2 «vet ikke» (two spellings) and 1 blank, B has 1
    # «ikke relevant» and 1 «NA» (an export's blank); theme 2: one «Vet ikke» in B.
    first = ["Vet ikke", "vet  IKKE", "", "4", "5", "6", "Ikke relevant", "NA", "2", "3"]
    second = ["3", "3", "3", "3", "3", "3", "Vet ikke", "3", "3", "3"]
    areas = ["A"] * 6 + ["B"] * 4
    return [[f"R{i}", areas[i], first[i], second[i], *["5"] * 12] for i in range(10)]


def test_read_survey_keeps_dont_know_apart_from_blanks(tmp_path):
    survey = read_survey(_csv(tmp_path, _rows()))
    dk = survey.dont_know
    assert list(dk.columns) == survey.themes and dk.index.equals(survey.responses.index)
    assert dk["moving_around"].tolist() == [True, True, False, False, False, False,
                                            True, False, False, False]
    assert dk["public_transport"].sum() == 1 and dk["feeling_safe"].sum() == 0
    score = survey.responses["moving_around"]
    assert score.dtype == pd.Int8Dtype() and score.isna().sum() == 5  # and a blank, an «NA»
    assert survey.meta["dont_know_count"]["moving_around"] == 3


def test_summarise_counts_dont_know_per_cell_and_total(tmp_path):
    survey = read_survey(_csv(tmp_path, _rows()))
    table = summarise(survey, min_n=1).set_index(["area_id", "theme"])
    assert table.loc[("A", "moving_around"), ["n", "n_dont_know"]].tolist() == [3, 2]
    assert table.loc[("B", "moving_around"), ["n", "n_dont_know"]].tolist() == [2, 1]
    assert table.loc[("total", "moving_around"), ["n", "n_dont_know"]].tolist() == [5, 3]
    assert table.loc[("B", "public_transport"), "n_dont_know"] == 1
    assert table.loc[("A", "feeling_safe"), "n_dont_know"] == 0
    # The scores themselves are untouched by the «vet ikke» answers.
    assert table.loc[("A", "moving_around"), "mean"] == pytest.approx(5.0)


def test_n_dont_know_is_hidden_in_a_suppressed_cell(tmp_path):
    """«1 of 3 said vet ikke» is an answer of a tiny group: hidden like a statistic, in the
    primary cell and in the cell hidden to protect it (else total − shown gives it back)."""
    survey = read_survey(_csv(tmp_path, _rows()))
    table = summarise(survey, min_n=3).set_index(["area_id", "theme"])
    cell = table.loc[("B", "moving_around")]  # n = 2 < 3: primary suppression
    assert bool(cell["suppressed"]) and np.isnan(cell["mean"])
    assert cell["n"] == 2 and pd.isna(cell["n_dont_know"])
    assert str(table["n_dont_know"].dtype) == "Int64"
    hidden = table[table["suppressed"]]
    assert hidden["n_dont_know"].isna().all() and (hidden["suppression"] == "secondary").any()
    shown = table[~table["suppressed"]]
    assert shown["n_dont_know"].notna().all()


def test_weighted_summary_counts_people_not_weights(tmp_path):
    survey = read_survey(_csv(tmp_path, _rows()))
    weighted = with_weights(survey, pd.Series(np.arange(1.0, 11.0),
                                               index=survey.responses.index))
    assert weighted.dont_know.equals(survey.dont_know)
    table = summarise(weighted, weight="weight", min_n=1).set_index(["area_id", "theme"])
    assert table.loc[("A", "moving_around"), "n_dont_know"] == 2


def test_to_frame_and_parquet_round_trip(tmp_path):
    survey = read_survey(_csv(tmp_path, _rows()))
    frame = survey.to_frame()
    assert frame["moving_around:dont_know"].dtype == bool
    frame.to_parquet(tmp_path / "svar.parquet")
    back = Survey(pd.read_parquet(tmp_path / "svar.parquet"))
    assert back.dont_know.equals(survey.dont_know)
    pd.testing.assert_frame_equal(back.responses[survey.themes], survey.responses[survey.themes])
    assert "moving_around:dont_know" not in back.responses.columns
    flat = summarise(frame, min_n=1)  # a plain frame with the flags counts them as well
    assert flat["n_dont_know"].sum() == summarise(survey, min_n=1)["n_dont_know"].sum() == 8


def test_survey_rejects_inconsistent_dont_know():
    responses = pd.DataFrame({"area_id": ["A", "A"], "feeling_safe": pd.array([3, None],
                                                                              dtype="Int8")},
                             index=pd.Index(["r1", "r2"], name="respondent_id"))
    ok = Survey(responses, dont_know=pd.DataFrame({"feeling_safe": [False, True]},
                                                  index=["r1", "r2"]))
    assert ok.dont_know["feeling_safe"].tolist() == [False, True]
    assert Survey(responses).dont_know["feeling_safe"].tolist() == [False, False]
    with pytest.raises(SurveyFormatError, match="both a score and «vet ikke»"):
        Survey(responses, dont_know=pd.DataFrame({"feeling_safe": [True, False]},
                                                 index=["r1", "r2"]))
    with pytest.raises(SurveyFormatError, match="not theme columns"):
        Survey(responses, dont_know=pd.DataFrame({"moving_around": [False, False]},
                                                 index=["r1", "r2"]))
    with pytest.raises(SurveyFormatError, match="not boolean"):
        Survey(responses, dont_know=pd.DataFrame({"feeling_safe": [0, 1]}, index=["r1", "r2"]))


def test_elvestad_dont_know_answers_are_counted():
    from pathlib import Path

    from soslokal_lib.app.config import load_config
    from soslokal_lib.io.inputs import load_inputs

    config = load_config(Path(__file__).parent / "fixtures" / "egenkommune" / "elvestad.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        inputs = load_inputs(**config.input_options())
    text = config.survey_path.read_text(encoding="utf-8-sig")
    assert inputs.survey.dont_know.to_numpy().sum() == text.count(";Vet ikke") == 66
    table = summarise(inputs.survey)
    assert table.loc[table["area_id"] == "total", "n_dont_know"].sum() == 66


def test_area_merge_keeps_dont_know(tmp_path):
    from soslokal_lib.io.inputs import Inputs
    from soslokal_lib.stats.areamerge import merge_areas

    survey = read_survey(_csv(tmp_path, _rows()))
    inputs = Inputs(survey, None, {"A": "A", "B": "B"}, "Kilde", False)
    merged = merge_areas(inputs, {"B": "A"})
    assert merged.survey.dont_know.equals(survey.dont_know)
    table = summarise(merged.survey, min_n=1).set_index(["area_id", "theme"])
    assert table.loc[("A", "moving_around"), ["n", "n_dont_know"]].tolist() == [5, 3]
    assert table.loc[("total", "moving_around"), "n_dont_know"] == 3
    assert table.loc[("A", "public_transport"), "n_dont_know"] == 1


@pytest.mark.parametrize("dtype", ["Int8", "int64", "Int64", "uint8", "float64", "object"])
def test_survey_scores_outside_scale_found_in_every_dtype(dtype):
    """Integer columns are checked on their range only (whole numbers already): the same
    problem, count, first respondent and value as the general check."""
    from soslokal_lib.themes import THEME_CODES

    scores = pd.Series([3, 9, 0, 7, 9], dtype="int64")
    if dtype in ("Int8", "Int64", "float64", "object"):
        scores = scores.astype(dtype).where(pd.Series([True, True, True, False, True]))
    if dtype == "uint8":
        scores = scores.astype("uint8")
    frame = pd.DataFrame({"respondent_id": list("abcde"), "area_id": "x",
                          THEME_CODES[0]: scores})
    with pytest.raises(SurveyFormatError) as info:
        Survey(frame)
    problem = info.value.problems[0]
    assert problem.message.startswith("3 scores outside 1–7 or not whole numbers, first at "
                                      "respondent b") and problem.value == 9
    fine = Survey(frame.assign(**{THEME_CODES[0]: [1, 2, 3, 4, 7]})).responses
    assert str(fine[THEME_CODES[0]].dtype) == "Int8"


@pytest.mark.parametrize("ids", [["a", "b", "a", "c", "b"], ["a", None, "b", None, "c"],
                                 ["a", "b", "c", "d", "e"], ["a", None, "b", "c", "d"]])
def test_duplicate_respondent_ids_found(ids):
    from soslokal_lib.themes import THEME_CODES

    frame = pd.DataFrame({"respondent_id": pd.array(ids, dtype="string"), "area_id": "x",
                          THEME_CODES[0]: [1, 2, 3, 4, 5]})
    want = pd.Index(ids, dtype="string")
    want = list(want[want.duplicated()].unique())
    if not want:
        assert len(Survey(frame).responses) == 5
        return
    with pytest.raises(SurveyFormatError, match="duplicate respondent ids") as info:
        Survey(frame)
    got = info.value.problems[0].value
    assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in want]
