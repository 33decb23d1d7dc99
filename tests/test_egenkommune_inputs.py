"""The hand-made test kommune Elvestad read the way a coordinator would: `soslokal check` and
load_inputs on her own export, names-only polygons and a boundary file of two kommuner."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest

from soslokal_lib.app.check import check_inputs
from soslokal_lib.app.config import _KEYS, load_config
from soslokal_lib.io.inputs import load_inputs

ELVESTAD = Path(__file__).resolve().parent / "fixtures" / "egenkommune"
OWN_AREAS = ["Sentrum", "Vestbyen", "Østsiden", "Elvebredden", "Nordre"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "elvestad"
    shutil.copytree(ELVESTAD, target)
    return target


def _config(folder: Path, replace: tuple[str, str] | None = None):
    path = folder / "elvestad.toml"
    if replace:
        text = path.read_text(encoding="utf-8")
        assert replace[0] in text
        path.write_text(text.replace(*replace), encoding="utf-8")
    return load_config(path)


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return func(*args, **kwargs)


def test_check_passes_on_the_own_export(folder):
    result = check_inputs(_config(folder))
    assert result.ok, result.problems
    assert result.n_respondents == 100
    columns = result.columns
    assert columns["Spm 7 – Butikker, skoler og andre tilbud"] == "facilities_services"
    assert columns["Spm 12 – Hvor trygt føler du deg?"] == "feeling_safe"
    assert [v for k, v in columns.items() if k.startswith("Spm ")] == [
        "moving_around", "public_transport", "traffic_parking", "streets_spaces",
        "natural_space", "play_recreation", "facilities_services", "work_economy",
        "housing_community", "social_interaction", "identity_belonging", "feeling_safe",
        "care_maintenance", "influence_control"]
    assert columns["Hva er bra med nærmiljøet ditt?"] == "good"
    assert columns["Hva kan bli bedre?"] == "improve"
    assert result.per_area.set_index("area_id")["n"].to_dict() == {
        "Sentrum": 30, "Vestbyen": 26, "Østsiden": 23, "Elvebredden": 18, "Nordre": 3}
    assert result.outside == {"Bakkeby": "Bakkeby", "Strandlia": "Strandlia",
                              "Furumo": "Furumo"}
    assert any("lie outside kommune 9903" in n and "Bakkeby, Strandlia, Furumo" in n
               for n in result.notes)
    assert any(n.startswith("survey: 66 answer(s) «vet ikke»") for n in result.notes)


def test_without_the_kommune_outline_the_unanswered_areas_are_listed(folder):
    config = _config(folder, ('boundary = "kommunegrense.geojson"', "# no boundary"))
    result = check_inputs(config)
    assert result.ok and result.outside == {}
    (note,) = [n for n in result.notes if "without respondents" in n]
    assert "Bakkeby, Strandlia, Furumo" in note
    assert 'boundary = "<file with the kommune\'s outline>" under [kommune]' in note
    inputs = _quiet(load_inputs, **config.input_options())
    assert inputs.unanswered == ["Bakkeby", "Strandlia", "Furumo"] and inputs.outside == {}


def test_load_inputs_keeps_the_kommunes_own_areas(folder):
    inputs = _quiet(load_inputs, **_config(folder).input_options())
    assert list(inputs.areas.index) == OWN_AREAS
    assert inputs.names == {a: a for a in OWN_AREAS}
    assert list(inputs.outside) == ["Bakkeby", "Strandlia", "Furumo"]
    assert inputs.unanswered == []
    counts = inputs.survey.responses["area_id"].value_counts().to_dict()
    assert counts == {"Sentrum": 30, "Vestbyen": 26, "Østsiden": 23, "Elvebredden": 18,
                      "Nordre": 3}
    xmin, ymin, xmax, ymax = inputs.areas.total_bounds  # 3 × 2 km, not 9 km wide
    assert (xmax - xmin, ymax - ymin) == (3000, 2000)
    assert inputs.survey.comments["theme"].isna().all()
    assert set(inputs.survey.comments["kind"]) == {"good", "improve"}


def test_a_grunnkrets_file_of_two_kommuner_is_cut_by_code(folder):
    config = _config(folder, ('path = "nabolag.geojson"\nname_column = "navn"',
                              'path = "grunnkretser_flere_kommuner.geojson"'))
    result = check_inputs(config)
    assert list(result.per_area["area_id"]) == ["99030101", "99030102", "99030203",
                                                "99030204"]
    assert sorted(result.outside) == ["99040101", "99040102", "99040203", "99040204"]
    # The survey's answers are neighbourhood names, not these grunnkretser: named, with the
    # closest matches, in one problem.
    (problem,) = [p for p in result.problems if "match no code or name" in p]
    assert "5 area answer(s)" in problem and "'Sentrum' (30 answer(s)" in problem


def test_check_lists_every_problem_with_config_fixes(folder):
    survey = folder / "svar_stedskompass.csv"
    text = survey.read_text(encoding="utf-8-sig")
    text = text.replace("Spm 4 – Gater, plasser og møteplasser ute", "Gatr og plasser", 1)
    text = text.replace("Spm 9 – Boliger i området", "Boligr og fellesskap", 1)
    text = text.replace(";Vestbyen;", ";Vestbyn;", 2)
    lines = text.split("\n")
    assert ";Vet ikke;" in lines[2]  # row 3
    lines[2] = lines[2].replace(";Vet ikke;", ";Vet ikk;", 1)
    survey.write_text("\n".join(lines), encoding="utf-8-sig")
    result = check_inputs(_config(folder))
    problems = [p for p in result.problems if p.startswith("survey: ")]
    # Two look-alike headers, the themes they leave missing, the bad cell: all in one run.
    assert sum("looks like a theme column" in p for p in problems) == 2
    assert sum("theme column(s) are missing" in p for p in problems) == 1
    assert sum("row 3" in p and "not a score on the 1–7 scale" in p and "'Vet ikk'" in p
               for p in problems) == 1
    # … and the area names that match no polygon, although the cells could not all be read.
    assert any("'Vestbyn' (2 answer(s), rows 2, 4; did you mean Vestbyen?)" in p
               for p in result.problems)
    assert result.columns["Spm 12 – Hvor trygt føler du deg?"] == "feeling_safe"
    assert not any(re.search(r"… and \d+ more", p) for p in result.problems)
    assert 'under [survey.columns] map it with "Gatr og plasser" = "streets_spaces"' in \
        "\n".join(problems)
    assert 'missing_tokens = ["<word>"] under [survey]' in "\n".join(problems)
    # Fixes are worded for the config file: no Python arguments, only keys the config accepts.
    for line in problems:
        fix = line.split("Fix: ", 1)[1]
        assert "columns={" not in fix and "=[" not in fix and "=None" not in fix, fix
        for key, table in re.findall(r"(\w+) = [^\n]{0,40}? under \[(\w+)\]", fix):
            assert key in _KEYS[table], (key, table)


def test_unknown_area_names_are_listed_with_the_closest_match(folder):
    survey = folder / "svar_stedskompass.csv"
    text = survey.read_text(encoding="utf-8-sig").replace(";Nordre;", ";Nordr;")
    survey.write_text(text, encoding="utf-8-sig")
    config = _config(folder)
    result = check_inputs(config)
    (problem,) = result.problems
    assert "'Nordr' (3 answer(s), rows 10, 73, 90; did you mean Nordre?)" in problem
    from soslokal_lib import SurveyFormatError

    with pytest.raises(SurveyFormatError) as info:
        _quiet(load_inputs, **config.input_options())
    first = info.value.problems[0]
    assert first.value == "Nordr" and "did you mean 'Nordre'?" in first.fix
    assert "the area's name in nabolag.geojson" in first.fix


def test_load_inputs_fixes_name_its_own_arguments(folder):
    # A notebook user passes areas_id_column=, not read_areas' id_column=.
    from soslokal_lib import AreaFormatError

    options = _config(folder).input_options()
    with pytest.raises(AreaFormatError) as info:
        _quiet(load_inputs, **{**options, "areas_name_column": "merknad"})
    assert "duplicate area ids" in str(info.value)
    assert "areas_id_column='…'" in str(info.value) and " id_column=" not in str(info.value)
    with pytest.raises(AreaFormatError) as info:
        _quiet(load_inputs, **{**options, "areas_layer": "grenser"})
    assert "areas_layer='…'" in info.value.problems[0].fix


def test_many_cells_with_the_same_problem_are_counted_after_the_first(folder):
    survey = folder / "svar_stedskompass.csv"
    text = survey.read_text(encoding="utf-8-sig")
    survey.write_text(text.replace("Vet ikke", "Ingen formening"), encoding="utf-8-sig")
    result = check_inputs(_config(folder))
    lines = [p for p in result.problems if "'Ingen formening'" in p or "more row(s)" in p]
    per_column = {}
    for line in lines:
        column = re.search(r"column '([^']+)'", line).group(1)
        per_column.setdefault(column, []).append(line)
    # moving_around has 11 «vet ikke» in the file: 3 shown, 8 counted with their rows.
    spm1 = per_column["Spm 1 – Hvor lett er det å gå og sykle i nærmiljøet?"]
    assert len(spm1) == 4 and "8 more row(s) with the same problem" in spm1[-1]
    counted = sum(int(re.search(r"(\d+) more row", x).group(1)) for x in lines
                  if "more row" in x)
    assert len([x for x in lines if "more row" not in x]) + counted == 66
