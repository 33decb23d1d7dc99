"""What `soslokal check` says about the files of a new-user trial (kommune «Storvåg»).

Each file is written here: a header whose number and words disagree, spellings of one group,
blank responses, numbers shifted from the standard order, a comment column numbered 15, and
levekår sheets with two unknown labels.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from soslokal_lib import SurveyFormatError
from soslokal_lib.app.check import check_inputs
from soslokal_lib.app.cli import main
from soslokal_lib.app.config import load_config
from soslokal_lib.io.survey import read_survey
from soslokal_lib.themes import THEME_CODES, THEMES

#: Standard headers: «N. name» for theme N.
NAMED = [f"{t.number}. {t.name_nb}" for t in THEMES]


def score(i: int, t: int) -> int:
    return (i + 3 * t) % 7 + 1


def rows(n: int, ages=None, genders=None) -> list[list[str]]:
    ages = ages or ["25–44 år"] * n
    genders = genders or ["Kvinne"] * n
    return [[f"R{i}", ["Sentrum", "Havna"][i % 2], ages[i], genders[i],
             *[str(score(i, t)) for t in range(1, 15)]] for i in range(n)]


def write(path: Path, header: list[str], body: list[list[str]]) -> Path:
    path.write_text("\n".join(";".join(r) for r in [header, *body]) + "\n", encoding="utf-8")
    return path


def config(tmp_path: Path, header: list[str], body: list[list[str]], extra: str = "") -> Path:
    write(tmp_path / "svar.csv", header, body)
    path = tmp_path / "soslokal.toml"
    path.write_text('[kommune]\nname = "Storvåg"\nyear = 2025\n\n[survey]\npath = "svar.csv"\n'
                    f'{extra}\n[privacy]\nmin_n = 1\n', encoding="utf-8")
    return path


def run_check(capsys, path: Path) -> tuple[int, str]:
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    return code, out + err


BASE = ["ID", "Hvilket område bor du i?", "Alder", "Kjønn"]


# --- 1. number and words disagree -----------------------------------------------------------


def test_a_header_whose_number_and_words_disagree_stops_check_once(tmp_path, capsys):
    header = BASE + NAMED
    header[4 + 2] = "Spørsmål 3 – Arbeid og næringsliv"  # 3 is traffic_parking
    header[4 + 7] = "Spørsmål 8 – Trafikk og parkering"  # 8 is work_economy
    path = config(tmp_path, header + ["3 – Hva er bra nå?"], [r + [""] for r in rows(6)])
    code, text = run_check(capsys, path)
    assert code == 1 and "OK: klar" not in text
    line = next(ln for ln in text.splitlines() if "Spørsmål 3 – Arbeid" in ln and "nummeret" in ln)
    assert "svar.csv" in line
    assert "etter nummeret (3): Trafikk og parkering (traffic_parking)" in line
    assert "etter ordene: Arbeid og lokal økonomi (work_economy)" in line
    assert '"Spørsmål 3 – Arbeid og næringsliv" = "work_economy"' in line
    # the comment column numbered 3 goes with it when the words are right
    assert '"3 – Hva er bra nå?" = "work_economy:good"' in line
    assert text.count("etter ordene: Arbeid og lokal økonomi") == 1  # printed once
    assert text.count("etter ordene: Trafikk og parkering") == 1
    with pytest.raises(SurveyFormatError):  # and `report`, which reads the survey the same way
        read_survey(tmp_path / "svar.csv")


def test_the_pasted_lines_read_the_file(tmp_path, capsys):
    header = BASE + NAMED
    header[4 + 2] = "Spørsmål 3 – Arbeid og næringsliv"
    header[4 + 7] = "Spørsmål 8 – Trafikk og parkering"
    path = config(tmp_path, header, rows(6), '[survey.columns]\n'
                  '"Spørsmål 3 – Arbeid og næringsliv" = "work_economy"\n'
                  '"Spørsmål 8 – Trafikk og parkering" = "traffic_parking"\n')
    code, text = run_check(capsys, path)
    assert code == 0, text
    survey = read_survey(tmp_path / "svar.csv", {"Spørsmål 3 – Arbeid og næringsliv":
                                                 "work_economy", "Spørsmål 8 – Trafikk og "
                                                 "parkering": "traffic_parking"})
    assert survey.responses["work_economy"].tolist() == [score(i, 3) for i in range(6)]


# --- 2. spellings of one group --------------------------------------------------------------


def test_spellings_of_one_group_are_named_with_their_counts(tmp_path, capsys):
    ages = ["25–44 år"] * 5 + ["25-44"] * 2 + ["45–66 år"]
    genders = ["Kvinne"] * 4 + ["kvinne"] + ["Mann"] * 2 + ["Mann "]
    path = config(tmp_path, BASE + NAMED, rows(8, ages, genders))
    code, text = run_check(capsys, path)
    assert code == 0, text
    age = next(ln for ln in text.splitlines() if "'25-44' (2)" in ln)
    assert "kolonne 'Alder'" in age and "'25–44 år' (5)" in age and "én gruppe" in age
    gender = next(ln for ln in text.splitlines() if "'kvinne' (1)" in ln)
    assert "kolonne 'Kjønn'" in gender and "'Kvinne' (4)" in gender
    # a cell's surrounding spaces were already stripped by the reader: «Mann » is «Mann»
    survey = load_survey_quiet(tmp_path / "svar.csv")
    assert survey.responses["age_group"].value_counts().to_dict() == {"25–44 år": 7,
                                                                      "45–66 år": 1}
    assert survey.responses["gender"].value_counts().to_dict() == {"Kvinne": 5, "Mann": 3}


def load_survey_quiet(path: Path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_survey(path, **kwargs)


# --- 3. blank responses ---------------------------------------------------------------------


def test_blank_responses_are_counted_in_check_and_left_out(tmp_path, capsys):
    body = rows(6)
    body.insert(2, ["R90", "", "", "", *[""] * 14])
    body.insert(4, ["R91", "Havna", "", "", *[""] * 14])  # an area, nothing else
    path = config(tmp_path, BASE + NAMED, body)
    code, text = run_check(capsys, path)
    assert code == 0, text
    assert "2 svar er helt tomme" in text and "rad 4, 6" in text
    assert "6 svar." in text
    survey = load_survey_quiet(tmp_path / "svar.csv")
    assert len(survey.responses) == 6 and "R90" not in survey.responses.index
    assert survey.meta["blank_rows"] == [4, 6]


# --- 4. numbers shifted from the standard order ---------------------------------------------


def test_numbers_shifted_by_the_same_amount_are_said_once_in_norwegian(tmp_path, capsys):
    header = ["ID", "1. Hvilket område bor du i?", "2. Alder", "3. Kjønn",
              *[f"Q{n + 3}" for n in range(1, 15)], "Q15 – Hva er bra nå?"]
    path = config(tmp_path, header, [r + ["fint"] for r in rows(6)],
                  '[survey.columns]\n"1. Hvilket område bor du i?" = "area_id"\n')
    code, text = run_check(capsys, path)
    assert code == 1
    problems = text.split("Problemer:")[1]
    assert "numbered" not in problems and "theme code" not in problems  # Norwegian
    assert problems.count("forskjøvet med 3") == 1
    assert "'2. Alder'" in problems and "'Q4' er trolig tema 1" in problems
    lines = [f'"Q{n + 3}" = "{THEME_CODES[n - 1]}"' for n in range(1, 15)]
    at = [problems.index(line) for line in lines]
    assert at == sorted(at)  # in column order
    assert '"Q15 – Hva er bra nå?" = "feeling_safe:good"' in problems
    assert "temakolonne(r) mangler" not in problems  # the same lines fix it


def test_numbers_off_in_no_one_way_are_problems_in_column_order(tmp_path, capsys):
    # numbers count every question, but Q17 is missing and Q18 is there: no single shift
    numbers = (5, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18)
    header = ["ID", "1. Hvilket område bor du i?", "2. Alder", "3. Kjønn",
              *[f"Q{n}" for n in numbers]]
    code, text = run_check(capsys, config(tmp_path, header, rows(6)))
    assert code == 1
    problems = text.split("Problemer:")[1]
    assert "numbered" not in problems and "<theme code>" not in problems
    assert "forskjøvet" not in problems
    assert ("kolonne 'Q5': har nummer 5, men numrene i denne fila følger ikke "
            "standardrekkefølgen av de 14 temaene ('1. Hvilket område bor du i?' har nummer 1 "
            "og er ikke et tema") in problems
    assert '"Q5" = "<temakode>"' in problems
    at = [problems.index(f"kolonne 'Q{n}'") for n in numbers[:11]]
    assert at == sorted(at)


# --- 5. cosmetic ----------------------------------------------------------------------------


def test_a_comment_numbered_outside_1_to_14_is_noted(tmp_path, capsys):
    path = config(tmp_path, BASE + NAMED + ["Q15 – Hva er bra nå?"],
                  [r + ["fint"] for r in rows(6)])
    code, text = run_check(capsys, path)
    assert code == 0, text
    line = next(ln for ln in text.splitlines() if "'Q15 – Hva er bra nå?'" in ln and "nummer" in ln)
    assert "har nummer 15" in line and "kommentar uten tema" in line
    assert '"Q15 – Hva er bra nå?" = "<temakode>:good"' in line


def test_two_levekar_problems_are_two_lines_without_the_path_twice(tmp_path):
    path = config(tmp_path, BASE + NAMED, rows(6))
    (tmp_path / "levekar.csv").write_text(
        "Sone;Rart tall A;Rart tall B\nSentrum;1;2\nHavna;3;4\n", encoding="utf-8")
    square = "[[[{x}, 0], [{x}, 1000], [{y}, 1000], [{y}, 0], [{x}, 0]]]"
    features = ",".join(
        f'{{"type": "Feature", "properties": {{"navn": "{name}"}}, "geometry": '
        f'{{"type": "Polygon", "coordinates": {square.format(x=x, y=x + 1000)}}}}}'
        for name, x in (("Sentrum", 0), ("Havna", 1000)))
    (tmp_path / "omr.geojson").write_text(
        '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
        f'"urn:ogc:def:crs:EPSG::25833"}}}}, "features": [{features}]}}', encoding="utf-8")
    with path.open("a", encoding="utf-8") as f:
        f.write('\n[areas]\npath = "omr.geojson"\nname_column = "navn"\n')
        f.write('\n[[levekar]]\npath = "levekar.csv"\norientation = "rows"\n'
                'id_column = "Sone"\n')
    result = check_inputs(load_config(path))
    lines = [p.render("nb") for p in result.problems]
    assert len(lines) == 2, lines
    assert "'Rart tall A'" in lines[0] and "'Rart tall B'" in lines[1]
    for line in lines:
        assert line.count("levekar.csv") == 1, line
