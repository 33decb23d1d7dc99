"""Survey rounds in the config (issue 15): [[survey]] blocks, [rounds] crosswalk, check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from soslokal_lib.app.check import check_inputs
from soslokal_lib.app.config import load_config
from soslokal_lib.errors import ConfigError
from soslokal_lib.io.survey import read_survey

MINI = Path(__file__).resolve().parent / "fixtures" / "minikommune"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    # an earlier round: the same answers with other headers («Bydel» for the area)
    text = (folder / "svar.csv").read_text(encoding="utf-8")
    (folder / "svar_2021.csv").write_text(text.replace("Hvilken bydel?", "Bydel", 1),
                                          encoding="utf-8")
    return folder / "minikommune.toml"


def two_rounds(mini: Path, extra: str = "") -> Path:
    text = mini.read_text(encoding="utf-8")
    head, _, rest = text.partition("[survey]\n")
    earlier = ('[[survey]]\nround = "2021"\npath = "svar_2021.csv"\narea_column = "Bydel"\n'
               '[survey.columns]\n"Løpenr" = "respondent_id"\n"Innsendt" = false\n\n')
    later = "[[survey]]\nround = \"2025\"\n" + rest.replace("[survey.columns]", "[survey.columns]", 1)
    path = mini.parent / "runder.toml"
    path.write_text(head + earlier + later + extra, encoding="utf-8")
    return path


def test_single_survey_is_one_round_and_unchanged(mini):
    config = load_config(mini)
    assert len(config.rounds) == 1 and config.rounds[0].path == config.survey_path
    assert config.rounds[0].label is None and config.survey_round is None
    params = config.to_parameters()
    assert params["rounds"] is None and params["crosswalk"] is None


def test_several_blocks_make_rounds_the_latest_is_main(mini):
    path = two_rounds(mini, '\n[rounds]\ncrosswalk = { "Østre" = "Øst" }\n')
    text = path.read_text(encoding="utf-8")
    assert text.index('round = "2021"') < text.index('round = "2025"')
    config = load_config(path)
    assert [r.label for r in config.rounds] == ["2021", "2025"]
    assert config.survey_path == (mini.parent / "svar.csv").resolve()  # the main round
    assert config.survey_round == "2025"
    assert dict(config.rounds[0].columns) == {"Løpenr": "respondent_id", "Innsendt": None,
                                              "Bydel": "area_id"}
    assert dict(config.crosswalk) == {"Østre": "Øst"}
    params = config.to_parameters()
    assert [r["round"] for r in params["rounds"]] == ["2021", "2025"]
    assert params["rounds"][0]["options"]["round"] == "2021"
    first = config.rounds[0]
    survey = read_survey(first.path, dict(first.columns), **config.round_options["2021"])
    assert survey.meta["round"] == "2021" and len(survey.responses) == 40


def test_check_lists_the_rounds(mini):
    result = check_inputs(load_config(two_rounds(mini)))
    lines = [str(n) for n in result.notes]
    assert any("rounds 2021 (svar_2021.csv), 2025 (svar.csv); the main round is 2025" in t
               for t in lines)
    assert result.ok, result.problems


def test_check_lists_unknown_areas_of_every_round_with_the_missing_tokens_fix(mini):
    """Issue: «Vil ikke oppgi» in the area column of an earlier round was read as an area of its
    own without a word from `check` (only the main round was matched). Now every round's area
    answers, after the crosswalk, are matched; a word like no area gets the missing_tokens fix."""
    earlier = mini.parent / "svar_2021.csv"
    lines = earlier.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",Østre,", ",Vil ikke oppgi,", 1)  # row 2
    lines[2] = lines[2].replace(",Vestre,", ",Gamle Vestre,", 1)  # row 3: in the crosswalk
    lines[4] = lines[4].replace(lines[4].split(",")[2], "Vil ikke oppgi", 1)  # row 5
    earlier.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = two_rounds(mini, '\n[rounds]\ncrosswalk = { "Gamle Vestre" = "Vestre" }\n')
    result = check_inputs(load_config(path))
    problems = [str(p) for p in result.problems]
    assert problems == [
        "1 area answer(s) in svar_2021.csv match no code or name in bydeler.geojson: "
        "'Vil ikke oppgi' (2 answer(s), rows 2, 5). Fix: correct those answers in the survey, "
        "or the area names in bydeler.geojson; if 'Vil ikke oppgi' mean(s) «no area given», "
        'write missing_tokens = ["Vil ikke oppgi"] in every [[survey]] block (here round '
        "2021): those answers then count in the whole kommune's figures only"]
    assert "skriv missing_tokens = [\"Vil ikke oppgi\"] i hver [[survey]]-blokk (her runde " \
           "2021)" in result.problems[0].render("nb")
    # following the fix: no problem left, the two answers have no area
    fixed = path.read_text(encoding="utf-8").replace(
        'area_column = "Bydel"\n', 'area_column = "Bydel"\nmissing_tokens = ["Vil ikke oppgi"]\n')
    path.write_text(fixed, encoding="utf-8")
    config = load_config(path)
    assert check_inputs(config).ok
    first = config.rounds[0]
    survey = read_survey(first.path, dict(first.columns), **config.round_options["2021"])
    assert survey.meta["n_without_area"] == 2


def test_crosswalk_as_a_file(mini):
    (mini.parent / "kobling.csv").write_text("old,new\nØstre,Øst\n", encoding="utf-8")
    config = load_config(two_rounds(mini, '\n[rounds]\ncrosswalk = "kobling.csv"\n'))
    assert config.crosswalk == (mini.parent / "kobling.csv").resolve()


def test_bad_rounds_are_reported(mini):
    path = two_rounds(mini)
    text = path.read_text(encoding="utf-8")
    twice = path.with_name("twice.toml")
    twice.write_text(text.replace('round = "2025"', 'round = "2021"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="'2021' is used twice"):
        load_config(twice)
    missing = path.with_name("missing.toml")
    missing.write_text(text.replace('round = "2021"\n', ""), encoding="utf-8")
    with pytest.raises(ConfigError, match="needs its round") as caught:
        load_config(missing)
    assert "hver [[survey]]-blokk må ha sin runde" in caught.value.describe("nb")
    assert 'skriv f.eks. round = "2021" i hver blokk' in caught.value.describe("nb")
    label = path.with_name("label.toml")
    label.write_text(text.replace('round = "2021"', "round = true"), encoding="utf-8")
    with pytest.raises(ConfigError, match='round must be a label such as "2021"') as caught:
        load_config(label)
    assert 'round må være en betegnelse som "2021"' in caught.value.describe("nb")
    wrong = path.with_name("wrong.toml")
    wrong.write_text(text + "\n[rounds]\ncrosswalk = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="crosswalk must be a mapping"):
        load_config(wrong)


def test_every_parameter_compiles_in_a_parameters_cell(mini):
    """Issue: a second round's ``missing_tokens`` was a tuple, which papermill injects as
    ``"(… "don't know" …)"``: notebook 08 failed with SyntaxError. Every parameter, for a config
    with two rounds and every option, goes through papermill's own parameter rendering and must
    compile back to the same values."""
    from papermill.translators import translate_parameters  # what papermill injects

    folder = mini.parent
    (folder / "folketall.csv").write_text("age_group,population\n20-39,10\n", encoding="utf-8")
    (folder / "levekar.csv").write_text("Bydel;Lavinntekt\nNord;4\n", encoding="utf-8")
    tokens = 'missing_tokens = ["Vil ikke oppgi", "ikke \\"sikker\\""]\n'
    text = two_rounds(mini).read_text(encoding="utf-8")
    text = text.replace('path = "svar_2021.csv"\n',
                        'path = "svar_2021.csv"\ndelimiter = ","\nencoding = "utf-8"\n'
                        'scale = 7\nthemes = ["moving_around", "feeling_safe"]\n' + tokens, 1)
    text = text.replace('path = "svar.csv"\n', 'path = "svar.csv"\n' + tokens, 1)
    text = text.replace("[areas]\n", '[rounds]\ncrosswalk = { "Gamle" = ["Nord", "Sør"] }\n\n'
                        "[areas]\n", 1)
    text = text.replace('name_column = "omr_navn"\n',
                        'name_column = "omr_navn"\nmerge = { "Søndre" = "Nordre" }\n', 1)
    text += ('\n[[levekar]]\npath = "levekar.csv"\nid_column = "Bydel"\n'
             '[levekar.indicators]\n"Lavinntekt" = "persistent_low_income"\n'
             '\n[weights]\npopulation = "folketall.csv"\nvariables = ["age_group"]\n'
             'trim = [0.3, 3.0]\n\n[themes.questions.nb]\nfeeling_safe = "Er du \\"trygg\\"?"\n')
    path = folder / "alt.toml"
    path.write_text(text, encoding="utf-8")
    params = load_config(path).to_parameters()
    rounds = params["rounds"]
    assert [r["round"] for r in rounds] == ["2021", "2025"]
    assert all(r["options"]["missing_tokens"][-2:] == ["Vil ikke oppgi", 'ikke "sikker"']
               for r in rounds)
    assert params["weights_trim"] == [0.3, 3.0] and params["merge"] == {"Søndre": "Nordre"}

    source = translate_parameters("python3", "python", params, "Injected parameters")
    namespace: dict = {}
    exec(compile(source, "<parameters>", "exec"), {}, namespace)
    assert set(namespace) == set(params)
    for key, value in params.items():
        assert namespace[key] == value, key
    assert namespace["rounds"][0]["options"]["missing_tokens"][:8] == [
        "", "vet ikke", "ikke relevant", "ikke aktuelt", "vil ikke svare",
        "ønsker ikke å svare", "don't know", "dont know"]


def _renamed_vestre(mini: Path) -> None:
    """The earlier round called Vestre «Vestre bydel» (all 12 answers, row 3 first)."""
    earlier = mini.parent / "svar_2021.csv"
    lines = earlier.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        if cells[2].strip().casefold() == "vestre":
            cells[2] = "Vestre bydel"
            lines[i] = ",".join(cells)
    earlier.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_misspelt_crosswalk_key_is_a_problem_in_check_and_an_error_in_the_report(mini):
    """Issue: with «Nordre Ravnoy» for «Nordre Ravnøy» the crosswalk line was ignored without a
    word, and the error about the earlier round's answers never named [rounds] crosswalk. The
    misspelt old name is now named with the closest names and the line to write."""
    from soslokal_lib.app.report import config_inputs
    from soslokal_lib.app.rounds_page import load_rounds

    _renamed_vestre(mini)
    path = two_rounds(mini, '\n[rounds]\ncrosswalk = { "Vestre bydell" = "Vestre" }\n')
    config = load_config(path)
    problems = [str(p) for p in check_inputs(config).problems]
    assert problems == [
        "1 area answer(s) in svar_2021.csv match no code or name in bydeler.geojson: "
        "'Vestre bydel' (12 answer(s), rows 3, 6, 11, 14, 16 … and 7 more; did you mean Vestre?). "
        "Fix: correct those answers in the survey, or the area names in bydeler.geojson; if "
        "'Vestre bydel' is an area renamed or merged since round 2021, map it to its new name "
        'under [rounds] in runder.toml: crosswalk = { "Vestre bydel" = "Vestre" }',
        "[rounds] crosswalk: the old name 'Vestre bydell' is in no round's survey "
        "(svar_2021.csv, svar.csv) and no area of bydeler.geojson, so it moves no answers. "
        "Fix: did you mean 'Vestre bydel', 'Vestre'? write the old name as the earlier round's "
        'answers spell it (crosswalk = { "Vestre bydel" = "Vestre" }), or remove it']
    params = config.to_parameters()
    with pytest.raises(ConfigError) as err:
        load_rounds(config_inputs(config), params["rounds"], params["crosswalk"])
    assert str(err.value) == (
        "[rounds] crosswalk: the old name 'Vestre bydell' is in no round's survey "
        "(svar_2021.csv, svar.csv) and no area of the boundary file, so it moves no answers. "
        "Fix: did you mean 'Vestre bydel', 'Vestre'? write the old name as the earlier round's "
        'answers spell it (crosswalk = { "Vestre bydel" = "Vestre" }), or remove it')
    # spelt right, both rounds are compared with Vestre bydel → Vestre
    right = two_rounds(mini, '\n[rounds]\ncrosswalk = { "Vestre bydel" = "Vestre" }\n')
    config = load_config(right)
    assert check_inputs(config).ok
    params = config.to_parameters()
    study = load_rounds(config_inputs(config), params["rounds"], params["crosswalk"])
    assert {k: study.names.get(v, v) for k, v in study.mapping.items()} == {
        "Vestre bydel": "Vestre"}


def test_a_renamed_area_without_crosswalk_gets_the_crosswalk_line_to_write(mini):
    """Without [rounds] the earlier round's renamed area is an error that says what to write
    under [rounds] crosswalk, with the old name and the area that has no answers in that round
    (the new name) filled in, in check (bokmål) and in the report."""
    from soslokal_lib._messages import tr
    from soslokal_lib.app.report import config_inputs
    from soslokal_lib.app.rounds_page import load_rounds

    _renamed_vestre(mini)
    config = load_config(two_rounds(mini))
    problems = [tr(p, "nb") for p in check_inputs(config).problems]
    assert problems == [
        "1 områdesvar i svar_2021.csv passer ikke med noen kode eller navn i bydeler.geojson: "
        "'Vestre bydel' (12 svar, rad 3, 6, 11, 14, 16 … og 7 til; mente du Vestre?). Løsning: "
        "rett disse svarene i undersøkelsen, eller områdenavnene i bydeler.geojson; er "
        "'Vestre bydel' et område som har fått nytt navn eller er slått sammen med et annet "
        "siden runde 2021, kobler du det til det nye navnet under [rounds] i runder.toml: "
        'crosswalk = { "Vestre bydel" = "Vestre" }']
    params = config.to_parameters()
    with pytest.raises(ConfigError) as err:
        load_rounds(config_inputs(config), params["rounds"], params["crosswalk"])
    assert tr(err.value.args[0], "nb") == (
        "svar_2021.csv (runde 2021): 1 områdesvar passer ikke med noe område i grensefila: "
        "'Vestre bydel' (12 svar, første på rad 3). Løsning: rett disse svarene i "
        "undersøkelsen, eller områdenavnene i grensefila; er 'Vestre bydel' et område som har "
        "fått nytt navn eller er slått sammen med et annet siden runde 2021, kobler du det til "
        'det nye navnet under [rounds] i oppsettet: crosswalk = { "Vestre bydel" = "Vestre" }')
