"""Respondents who gave no area (a blank cell, or a missing-answer word such as «Vil ikke
oppgi») are kept with area ``<NA>``: they count in the kommune's figures only, `check` says
how many, and the report is made as usual. An area that is given but unknown stays an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from soslokal_lib import SurveyFormatError, summarise
from soslokal_lib.io.survey import read_survey
from soslokal_lib.themes import THEMES

ROOT = Path(__file__).resolve().parents[1]
ELVESTAD = ROOT / "tests" / "fixtures" / "egenkommune"
HEADER = ["ID", "Område", *[t.name_nb for t in THEMES]]


def _csv(tmp_path: Path, areas: list[str]) -> Path:
    rows = [[f"R{i}", a, *[str(1 + i % 7)] * 14] for i, a in enumerate(areas)]
    path = tmp_path / "svar.csv"
    path.write_text("\n".join(";".join(r) for r in [HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_blank_and_declined_areas_are_kept_as_missing(tmp_path):
    areas = ["A"] * 6 + ["B"] * 6 + ["", "Vil ikke oppgi"]
    survey = read_survey(_csv(tmp_path, areas), missing_tokens=["Vet ikke", "Vil ikke oppgi"])
    area = survey.responses["area_id"]
    assert len(area) == 14 and area.isna().sum() == 2 and area.iloc[:12].notna().all()
    assert survey.meta["n_without_area"] == 2
    assert survey.meta["missing_tokens_count"]["area_id"] == {"(blank)": 1, "vil ikke oppgi": 1}
    table = summarise(survey, min_n=5).set_index(["area_id", "theme"])
    # the kommune row counts all 14; the areas 6 each
    assert table.loc[("total", "moving_around"), "n"] == 14
    assert table.loc[("A", "moving_around"), "n"] == 6
    # scores of theme 1: 1..7 cycling over i = 0..13 → mean 4
    assert table.loc[("total", "moving_around"), "mean"] == pytest.approx(4.0)
    # the 2 without an area are a cell of their own: no area alone gives them away by
    # subtraction (one of A and B is hidden too)
    shown = table.xs("moving_around", level="theme").drop(index="total")
    assert shown["mean"].isna().sum() >= 1


def test_a_word_not_among_the_missing_tokens_is_an_unknown_area(tmp_path):
    path = _csv(tmp_path, ["A"] * 5 + ["Vil ikke oppgi"])
    with pytest.raises(SurveyFormatError, match="area not in area_codes") as err:
        read_survey(path, area_codes={"A": "A"})
    assert err.value.problems[0].row == 7
    survey = read_survey(path, area_codes={"A": "A"}, missing_tokens=["Vil ikke oppgi"])
    assert survey.meta["n_without_area"] == 1
    assert survey.responses["area_id"].tolist() == ["A"] * 5 + [pd.NA]


@pytest.fixture
def blanked(tmp_path: Path) -> Path:
    """Elvestad with the area cells of two Sentrum respondents blanked."""
    folder = tmp_path / "egenkommune"
    shutil.copytree(ELVESTAD, folder)
    csv = folder / "svar_stedskompass.csv"
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    done = 0
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(";")
        if cells[2] == "Sentrum" and done < 2:
            cells[2] = ""
            lines[i] = ";".join(cells)
            done += 1
    assert done == 2
    csv.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return folder / "elvestad.toml"


def test_check_notes_respondents_without_an_area(blanked):
    from soslokal_lib.app.check import check_inputs
    from soslokal_lib.app.config import load_config

    result = check_inputs(load_config(blanked))
    assert result.ok, result.problems
    assert any("2 respondent(s) without an area" in n and "whole kommune" in n
               for n in result.notes), result.notes
    per_area = result.per_area.set_index("area_name")["n"]
    assert per_area["Sentrum"] == 28 and result.n_respondents == 100


def test_the_report_is_made_with_respondents_without_an_area(blanked, tmp_path):
    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import make_report

    out = tmp_path / "rapport"
    paths = make_report(load_config(blanked), out, [ROOT / "notebooks" / "01_stedskompasset.ipynb"], progress=False)
    names = {p.name for p in paths}
    assert "politisk_verksted.html" in names and "01_stedskompasset.html" in names
    summary = pd.read_csv(out / "data" / "summary.csv", encoding="utf-8-sig", sep=None,
                          engine="python")
    total = summary[(summary["area_id"] == "total") & (summary["theme"] == "moving_around")]
    assert int(total["n"].iloc[0]) + 0 == int(
        summary[(summary["area_id"] != "total") & (summary["theme"] == "moving_around")]["n"]
        .sum()) + 2


def test_check_names_the_rows_of_a_misspelt_area(tmp_path):
    from test_merge_advice import _kommune

    from soslokal_lib.app.check import check_inputs
    from soslokal_lib.app.config import load_config

    config = _kommune(tmp_path, {"Sentrum": 8, "Haugen": 12})
    csv = tmp_path / "svar.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    for row in (3, 5, 6, 7, 8, 9):  # rows as in Excel (the header is row 1)
        lines[row - 1] = lines[row - 1].replace(";Sentrum;", ";Sentrm;")
    lines[16 - 1] = lines[16 - 1].replace(";Haugen;", ";Haugn;")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check_inputs(load_config(config))
    problem = next(p for p in result.problems if "match no code or name" in p)
    assert "'Sentrm' (6 answer(s), rows 3, 5, 6, 7, 8 … and 1 more; did you mean Sentrum?)" \
        in problem, problem
    assert "'Haugn' (1 answer(s), row 16; did you mean Haugen?)" in problem
