"""Municipality config: loading, validation messages, notebook parameters, input checks, tables."""

from __future__ import annotations

import ast
import re
import shutil
import warnings
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from soslokal_lib.app.check import check_inputs
from soslokal_lib.app.config import TEMPLATE, Config, load_config, write_template
from soslokal_lib.app.report import (
    DEFAULT_CONFIG,
    NOTEBOOK_DIR,
    audit_tables,
    export_tables,
    save_table,
)
from soslokal_lib.errors import ConfigError, SoslokalError
from soslokal_lib.io.inputs import load_inputs
from soslokal_lib.privacy import STATISTIC_COLUMNS

MINI = Path(__file__).resolve().parent / "fixtures" / "minikommune"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the hand-made minikommune; returns its config path."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    return folder / "minikommune.toml"


def write(folder: Path, text: str, name: str = "k.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


BASE = """
[kommune]
name = "Mini"
[survey]
path = "svar.csv"
[areas]
path = "bydeler.geojson"
id_column = "omr_id"
name_column = "omr_navn"
"""


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return str(info.value)


# --- loading ------------------------------------------------------------------------------------


def test_minikommune_config_loads_with_absolute_paths_and_canonical_columns(mini):
    config = load_config(mini)
    assert isinstance(config, Config)
    assert config.kommune == "Minikommune" and config.kommune_number == "9902"
    assert config.survey_path == (mini.parent / "svar.csv").resolve()
    assert config.areas_path.is_absolute() and config.areas_path.name == "bydeler.geojson"
    assert config.columns["Spm 12"] == "feeling_safe"            # a number becomes the code
    assert config.columns["Spm 14"] == "influence_control"       # an English name too
    assert config.columns["Innsendt"] is None                    # false: skip the column
    assert config.columns["Spm 12 – Hva kan bli bedre?"] == "feeling_safe:improve"
    assert config.min_n == 5 and config.online is False and config.lang == "nb"
    assert config.notebooks == (NOTEBOOK_DIR / "01_stedskompasset.ipynb",)
    assert config.theme_labels["nb"] == {"feeling_safe": "Trygghet i bydelen"}
    with pytest.raises(AttributeError):
        config.min_n = 1  # frozen


def test_defaults_when_optional_tables_are_absent(tmp_path):
    shutil.copy(MINI / "svar.csv", tmp_path)
    config = load_config(write(tmp_path, '[kommune]\nname = "X"\n[survey]\npath = "svar.csv"\n'))
    assert (config.min_n, config.online, config.lang, config.confidence) == (5, False, "nb", 0.95)
    assert config.areas_path is None and config.levekar == () and config.weights is None
    assert config.source_label == "Kilde: Stedskompasset, X"


def test_to_parameters_match_the_notebook_parameters_cell(mini):
    params = load_config(mini).to_parameters()
    assert params["survey_path"] == str((mini.parent / "svar.csv").resolve())
    assert params["areas_id_column"] == "omr_id" and params["areas_name_column"] == "omr_navn"
    assert params["min_n"] == 5 and params["lang"] == "nb" and params["confidence"] == 0.95
    assert params["kommune"] == "9902" and params["kommune_name"] == "Minikommune"
    assert params["online"] is False and "cache_dir" not in params
    assert params["source"] == "Kilde: Minikommune, testdata"
    assert params["theme_labels"] == {"feeling_safe": "Trygghet i bydelen"}
    assert params["survey_year"] == 2025
    assert "year" not in params  # unset settings keep the notebook's default …
    assert params["levekar"] is None and params["weights_population"] is None  # … inputs don't
    with_year = write(mini.parent, mini.read_text(encoding="utf-8").replace(
        "online = false", "online = false\nyear = 2024"))
    assert load_config(with_year).to_parameters()["year"] == 2024
    nb = nbformat.read(NOTEBOOK_DIR / "01_stedskompasset.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    declared = {t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                for t in node.targets}
    # Every input load_inputs needs is declared by notebook 01 and given by the config.
    needed = {"survey_path", "columns", "area_column", "areas_path", "areas_id_column",
              "areas_name_column", "sheet", "source", "min_n", "confidence", "lang"}
    assert needed <= declared and needed <= set(params)


def test_input_options_load_the_minikommune(mini):
    inputs = load_inputs(**load_config(mini).input_options())
    counts = inputs.survey.responses["area_id"].value_counts().to_dict()
    # «99020300» (a code) and « vestre » (case, spaces) are matched as well as the names.
    assert counts == {"99020100": 13, "99020200": 3, "99020300": 12, "99020400": 12}
    assert inputs.names["99020200"] == "Søndre"
    assert inputs.source == "Kilde: Minikommune, testdata"


def test_shipped_sample_config_is_valid_and_points_at_the_sample():
    config = load_config(DEFAULT_CONFIG)
    assert config.kommune_number == "9901"
    assert config.survey_path.parent.name == "sample"
    assert "syntetiske data" in config.source_label
    assert set(config.ssb_tables) == {"04362", "04317", "06944"}
    result = check_inputs(config)
    assert result.ok, result.problems
    assert result.n_respondents == 800 and result.n_areas == 12
    assert result.per_area["n"].sum() == 800
    # two rounds: 2025 is the main round (everything above), 2021 the one before it
    assert [r.label for r in config.rounds] == ["2021", "2025"]
    assert config.survey_round == "2025"
    assert config.rounds[0].path.name == "stedskompass_fjordvik_2021.csv"
    assert config.crosswalk.name == "runder_crosswalk.csv"
    params = config.to_parameters()
    assert [r["round"] for r in params["rounds"]] == ["2021", "2025"]
    assert any("hovedrunden er 2025" in str(n) or "main round is 2025" in str(n)
               for n in result.notes)


# --- validation messages ------------------------------------------------------------------------


def test_missing_survey_table(tmp_path):
    text = error_of(write(tmp_path, '[kommune]\nname = "X"\n'))
    assert str(tmp_path / "k.toml") in text and "[survey]" in text and "missing" in text


def test_missing_file_is_named_with_its_absolute_path(tmp_path):
    text = error_of(write(tmp_path, '[kommune]\nname = "X"\n[survey]\npath = "data/nope.csv"\n'))
    assert "[survey] path" in text and "file not found" in text
    assert str((tmp_path / "data" / "nope.csv").resolve()) in text


def test_unknown_key_gets_a_close_match(mini):
    text = error_of(write(mini.parent, BASE + "[privacy]\nmin_nn = 5\n"))
    assert "[privacy] min_nn" in text and "unknown key" in text and "'min_n'" in text


def test_unknown_table_and_misplaced_key(mini):
    assert "did you mean 'survey'" in error_of(write(mini.parent, BASE + "[survy]\nx = 1\n"))
    text = error_of(write(mini.parent, BASE.replace('name = "Mini"', 'name = "Mini"\nmin_n = 3')))
    assert "[kommune] min_n" in text and "move it to [privacy]" in text


@pytest.mark.parametrize("value, expected", [
    ("0", "must be at least 1"), ("-2", "must be at least 1"), ('"5"', "whole number"),
    ("2.5", "whole number"), ("true", "whole number"),
])
def test_min_n_must_be_a_positive_whole_number(mini, value, expected):
    text = error_of(write(mini.parent, BASE + f"[privacy]\nmin_n = {value}\n"))
    assert "[privacy] min_n" in text and expected in text


def test_bad_toml_syntax(tmp_path):
    text = error_of(write(tmp_path, '[kommune]\nname = Fjordvik\n'))
    assert "not valid TOML" in text and "line 2" in text


def test_config_file_not_found(tmp_path):
    text = error_of(tmp_path / "nope.toml")
    assert "config file not found" in text and "soslokal init" in text


def test_wrong_types_and_values(mini):
    bad_number = BASE.replace('name = "Mini"', 'name = "Mini"\nnumber = 301')
    assert 'number = "0301"' in error_of(write(mini.parent, bad_number))
    text = error_of(write(mini.parent, BASE + '[report]\nlang = "no"\n'))
    assert "[report] lang" in text and "'nb'" in text
    text = error_of(write(mini.parent, BASE + "[ssb]\nonline = \"no\"\n"))
    assert "[ssb] online" in text and "true or false" in text
    text = error_of(write(mini.parent, BASE + '[report]\nnotebooks = ["01_stedskompas.ipynb"]\n'))
    assert "did you mean '01_stedskompasset.ipynb'" in text


def test_unknown_column_name_gets_a_suggestion(mini):
    text = error_of(write(mini.parent, BASE + '[survey.columns]\n"Spm 12" = "feeling_saf"\n'))
    assert "[survey.columns] 'Spm 12'" in text and "'feeling_safe'" in text


def test_all_problems_are_counted_in_one_error(mini):
    text = error_of(write(mini.parent, BASE + "[privacy]\nmin_n = 0\n[ssb]\nonline = 1\n"))
    assert "… and 1 more" in text


def test_theme_label_overrides_are_checked(mini):
    text = error_of(write(mini.parent, BASE + '[themes.labels.nb]\n"Trygghett" = "x"\n'))
    assert "[themes.labels.nb] Trygghett" in text


# --- template -----------------------------------------------------------------------------------


def test_template_is_accepted_once_paths_are_filled(tmp_path):
    path = write_template(tmp_path)
    assert path.read_text(encoding="utf-8") == TEMPLATE
    assert "færre svar enn dette" in TEMPLATE  # Norwegian comments
    with pytest.raises(ConfigError, match="file not found"):  # placeholders do not exist yet
        load_config(path)
    (tmp_path / "data").mkdir()
    shutil.copy(MINI / "svar.csv", tmp_path / "data" / "stedskompasset.csv")
    shutil.copy(MINI / "bydeler.geojson", tmp_path / "data" / "omrader.geojson")
    config = load_config(path)
    assert config.kommune == "Min kommune" and config.min_n == 5
    assert config.columns == {"Hvilket område bor du i?": "area_id"}


def test_template_is_never_overwritten_without_force(tmp_path):
    path = write_template(tmp_path)
    path.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="already exists"):
        write_template(tmp_path)
    assert path.read_text(encoding="utf-8") == "# mine\n"
    write_template(tmp_path, force=True)
    assert path.read_text(encoding="utf-8") == TEMPLATE


# --- checking inputs ----------------------------------------------------------------------------


def test_check_inputs_counts_respondents_per_area(mini):
    result = check_inputs(load_config(mini))
    assert result.ok, result.problems
    assert (result.n_respondents, result.n_areas) == (40, 4)
    per_area = result.per_area.set_index("area_name")["n"].to_dict()
    assert per_area == {"Nordre": 13, "Søndre": 3, "Østre": 12, "Vestre": 12}
    # the area below min_n is named with what the report hides (read from summarise)
    hidden = result.hidden.table.set_index("area_name")
    assert hidden.loc["Søndre", "n"] == 3 and hidden.loc["Søndre", "primary"] == 14


def test_check_inputs_flags_unmatched_area_names(mini):
    survey = mini.parent / "svar.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    nordre = [i for i, line in enumerate(lines) if ",Nordre," in line][:2]
    for i in nordre:
        lines[i] = lines[i].replace(",Nordre,", ",Nordr,")
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check_inputs(load_config(mini))
    assert not result.ok
    row = result.unmatched.set_index("value").loc["Nordr"]
    assert row["n"] == 2 and row["suggestion"] == "Nordre"
    assert "'Nordr' (2 answer(s), rows 7, 8; did you mean Nordre?)" in result.problems[0]
    assert result.per_area.set_index("area_name").loc["Nordre", "n"] == 11


def test_check_inputs_reports_unreadable_optional_inputs(mini):
    (mini.parent / "ssb.json").write_text('{"class": "dataset"}', encoding="utf-8")
    text = mini.read_text(encoding="utf-8") + '[ssb.tables]\n"04362" = "ssb.json"\n'
    path = write(mini.parent, text)
    result = check_inputs(load_config(path))
    assert len(result.problems) == 1 and result.problems[0].startswith("SSB 04362:")


# --- tables -------------------------------------------------------------------------------------


def test_export_tables_blank_every_statistic_below_min_n(mini, tmp_path):
    config = load_config(mini)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a complete config reads without warnings
        inputs = load_inputs(**config.input_options())
    paths = export_tables(inputs, tmp_path / "data", config.min_n,
                          labels=config.theme_labels["nb"])
    assert [p.name for p in paths] == ["summary.csv", "respondents.csv"]
    assert paths[0].read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel
    summary = pd.read_csv(paths[0], encoding="utf-8-sig", dtype={"area_id": str})
    stats = [c for c in STATISTIC_COLUMNS if c in summary.columns]
    sondre = summary[summary["area_name"] == "Søndre"]
    assert len(sondre) == 14 and (sondre["n"] == 3).all()
    assert sondre[stats].isna().all().all()
    assert (sondre["suppression"] == "primary").all()
    small = summary["n"] < config.min_n
    assert summary.loc[small, stats].isna().all().all()
    # Secondary suppression: the next smallest area is hidden too, so nothing is recoverable.
    assert (summary.loc[summary["suppression"] == "secondary", "n"] >= 5).all()
    assert summary["suppression"].eq("secondary").sum() == 14
    assert set(summary["area_id"]) == {"99020100", "99020200", "99020300", "99020400", "total"}
    total = summary[(summary["area_id"] == "total") & (summary["theme"] == "feeling_safe")]
    assert total["n"].item() == 40 - inputs.survey.responses["feeling_safe"].isna().sum()
    assert total["theme_name"].item() == "Trygghet i bydelen"
    counts = pd.read_csv(paths[1], encoding="utf-8-sig")
    per_area = counts[counts["variable"] == "area_id"].set_index("area_name")["n"].to_dict()
    assert per_area == {"Nordre": 13, "Søndre": 3, "Østre": 12, "Vestre": 12}


def test_save_table_refuses_small_cells_and_protects_text(tmp_path):
    leak = pd.DataFrame({"area_id": ["a"], "theme": ["feeling_safe"], "n": [3], "median": [1.0]})
    with pytest.raises(SoslokalError, match="fewer than 5"):
        save_table(leak, "leak", tmp_path, min_n=5)
    assert not (tmp_path / "leak.csv").exists()
    text = pd.DataFrame({"comment": ["=HYPERLINK(\"x\")", "ok"]})
    path = save_table(text, "comments", tmp_path, min_n=5)
    assert path.read_text(encoding="utf-8-sig").splitlines()[1] == "\"'=HYPERLINK(\"\"x\"\")\""
    with pytest.raises(SoslokalError, match="plain file name"):
        save_table(text, "../escape", tmp_path, min_n=5)


def test_audit_tables_removes_a_leaking_csv(tmp_path):
    ok = pd.DataFrame({"area_id": ["a", "b"], "n": [3, 9], "median": [None, 4.0]})
    ok.to_csv(tmp_path / "ok.csv", index=False)
    pd.DataFrame({"area_id": ["a"], "n": [2], "mean": [1.5]}).to_csv(tmp_path / "bad.csv",
                                                                     index=False)
    with pytest.raises(SoslokalError, match="bad.csv"):
        audit_tables(tmp_path, 5)
    assert not (tmp_path / "bad.csv").exists()
    assert audit_tables(tmp_path, 5) == [tmp_path / "ok.csv"]


# --- notebook parameters of 02, 05 and 06 -------------------------------------------------------


def _declared(name: str) -> set[str]:
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    return {t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
            for t in node.targets}


INPUT_NAMES = {"survey_path", "columns", "area_column", "areas_path", "areas_id_column",
               "areas_name_column", "sheet", "source", "min_n", "lang"}


@pytest.mark.parametrize("name, needed", [
    ("02_sosiookonomi.ipynb", {"kommune", "online", "year", "cache_dir", "grunnkrets_path",
                               "lang", "min_n"}),
    ("05_representativitet.ipynb", INPUT_NAMES | {"kommune", "online", "year", "cache_dir",
                                                   "weights_population", "ssb_tables",
                                                   "weights_variables", "weights_method",
                                                   "weights_trim"}),
    ("06_innspill.ipynb", INPUT_NAMES),
    ("03_sosial_baerekraft.ipynb", INPUT_NAMES | {"socio_path"}),
    ("04_ulikhet.ipynb", INPUT_NAMES | {"socio_path", "grunnkrets_path"}),
])
def test_notebooks_declare_the_config_parameter_names(mini, name, needed):
    declared = _declared(name)
    assert needed <= declared, needed - declared
    assert "data_dir" in declared  # soslokal report adds it
    assert not [d for d in declared if d != d.lower()], "upper-case names get nothing injected"
    params = load_config(write(mini.parent, mini.read_text(encoding="utf-8").replace(
        "online = false", "online = false\nyear = 2024\ncache_dir = \"ssb-cache\"")))
    assert needed <= set(params.to_parameters())


def test_notebook_02_keeps_areas_path_for_the_survey_boundaries():
    declared = _declared("02_sosiookonomi.ipynb")
    assert "grunnkrets_path" in declared and "areas_path" not in declared


def test_grunnkretser_file_becomes_grunnkrets_path(mini):
    text = mini.read_text(encoding="utf-8").replace(
        "online = false", 'online = true\ngrunnkretser = "bydeler.geojson"')
    config = load_config(write(mini.parent, text))
    assert config.grunnkrets_path == (mini.parent / "bydeler.geojson").resolve()
    assert config.to_parameters()["grunnkrets_path"] == str(config.grunnkrets_path)
    assert load_config(mini).to_parameters()["grunnkrets_path"] is None  # never the sample's
    missing = error_of(write(mini.parent, mini.read_text(encoding="utf-8").replace(
        "online = false", 'online = false\ngrunnkretser = "gk.zip"')))
    assert "[ssb] grunnkretser" in missing and "file not found" in missing


def test_notebook_07_passes_every_survey_input_to_the_explorer():
    declared = _declared("07_verksted.ipynb")
    assert INPUT_NAMES <= declared
    nb = nbformat.read(NOTEBOOK_DIR / "07_verksted.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for name in INPUT_NAMES - {"survey_path", "min_n", "lang"}:
        assert f'"{name}": {name}' in code, name  # handed on to load_inputs
    assert code.count("**load_options") == 2  # both explorers


def test_notebooks_03_and_04_load_through_the_library():
    for name in ("03_sosial_baerekraft.ipynb", "04_ulikhet.ipynb"):
        nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "load_socio_tables(inputs, socio_path=socio_path" in code
        assert "read_csv" not in code and "load_sample().socio" not in code
        assert "save_tables(" in code and "data_dir" in code
        assert "SOURCE" not in code
    # No later cell may overwrite an input: the loader would get the wrong value.
    inputs = INPUT_NAMES | {"socio_path", "grunnkrets_path", "data_dir"}
    for name in ("03_sosial_baerekraft.ipynb", "04_ulikhet.ipynb", "07_verksted.ipynb"):
        nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
                continue
            assigned = {t.id for node in ast.walk(ast.parse(cell.source))
                        if isinstance(node, ast.Assign) for t in node.targets
                        if isinstance(t, ast.Name)}
            assert not assigned & inputs, (name, assigned & inputs)
    assert nbformat.read(NOTEBOOK_DIR / "04_ulikhet.ipynb", as_version=4).metadata[
        "soslokal"] == {"needs": ["socio"]}


# --- register figures per grunnkrets ------------------------------------------------------------


def test_socio_path_becomes_a_notebook_parameter(mini):
    (mini.parent / "levekar.csv").write_text("area_id,population\n99020101,10\n",
                                             encoding="utf-8")
    text = mini.read_text(encoding="utf-8").replace(
        "[privacy]", '[socio]\npath = "levekar.csv"\n\n[privacy]')
    config = load_config(write(mini.parent, text))
    assert config.socio_path == (mini.parent / "levekar.csv").resolve()
    assert config.to_parameters()["socio_path"] == str(config.socio_path)
    assert load_config(mini).to_parameters()["socio_path"] is None  # never the sample's


@pytest.mark.parametrize("table, expected", [
    ('[socio]\npath = "borte.csv"\n', "[socio] path: file not found"),
    ('[socio]\npth = "borte.csv"\n', "did you mean 'path'"),
    ("[socio]\n", "[socio] path: missing"),
])
def test_bad_socio_table_is_named(mini, table, expected):
    text = mini.read_text(encoding="utf-8").replace("[privacy]", f"{table}\n[privacy]")
    assert expected in error_of(write(mini.parent, text))
    top = 'socio = "levekar.csv"\n' + mini.read_text(encoding="utf-8")
    assert "[socio]: must be a table" in error_of(write(mini.parent, top, "top.toml"))


def test_template_offers_the_socio_table_in_norwegian(tmp_path):
    assert '# [socio]\n# path = "data/levekar_grunnkrets.csv"' in TEMPLATE
    assert "Levekårstall per grunnkrets" in TEMPLATE and "hopper rapporten over" in TEMPLATE
    path = write_template(tmp_path)
    (tmp_path / "data").mkdir()
    shutil.copy(MINI / "svar.csv", tmp_path / "data" / "stedskompasset.csv")
    shutil.copy(MINI / "bydeler.geojson", tmp_path / "data" / "omrader.geojson")
    (tmp_path / "data" / "levekar_grunnkrets.csv").write_text("area_id,population\n",
                                                              encoding="utf-8")
    path.write_text(TEMPLATE.replace('# [socio]\n# path = ', '[socio]\npath = '),
                    encoding="utf-8")
    assert load_config(path).socio_path == tmp_path / "data" / "levekar_grunnkrets.csv"


def test_template_offers_two_rounds_and_the_socio_zones_in_norwegian(tmp_path):
    assert "# [[survey]]\n# round = \"2021\"" in TEMPLATE and "# [rounds]\n# crosswalk" in TEMPLATE
    assert "To runder av undersøkelsen" in TEMPLATE
    assert '# crosswalk = "data/grunnkrets_til_sone.csv"' in TEMPLATE
    (tmp_path / "data").mkdir()
    for year in ("2021", "2025"):
        shutil.copy(MINI / "svar.csv", tmp_path / "data" / f"stedskompasset_{year}.csv")
    shutil.copy(MINI / "bydeler.geojson", tmp_path / "data" / "omrader.geojson")
    # uncomment the rounds example and drop the single [survey] table it replaces
    head, rest = TEMPLATE.split("[survey]\n", 1)
    rest = rest.split("[areas]\n", 1)[1]
    block = TEMPLATE.split("# To runder av undersøkelsen", 1)[1].split("\n\n", 1)[0]
    block = "\n".join(line[2:] for line in block.splitlines()
                      if re.match(r"# (?:\[[\w.\[\]]+\]$|\"|\w+ = )", line))
    path = tmp_path / "soslokal.toml"
    path.write_text(head + block + "\n\n[areas]\n" + rest, encoding="utf-8")
    config = load_config(path)
    assert [r.label for r in config.rounds] == ["2021", "2025"]
    assert config.crosswalk == {"Gamle Nord": "Nord"}


def test_sample_config_names_the_sample_register_files():
    config = load_config(DEFAULT_CONFIG)
    assert config.socio_path.name == "socio_grunnkrets.csv"
    assert config.socio_path.parent.name == "sample"
    assert config.grunnkrets_path.name == "grunnkretser.geojson"


# --- keys for a kommune's own data ---------------------------------------------------------------


def test_survey_and_areas_reading_options(mini):
    folder = mini.parent
    (folder / "grense.geojson").write_text((folder / "bydeler.geojson").read_text("utf-8"),
                                           encoding="utf-8")
    text = mini.read_text(encoding="utf-8")
    text = text.replace("[survey]\n", '[survey]\nthemes = ["moving_around", 12, "Trygghet og '
                        'sikkerhet"]\nmissing_tokens = ["Ingen mening"]\nscale = 7\n'
                        'delimiter = ","\nencoding = "utf-8"\n', 1)
    text = text.replace("[areas]\n", '[areas]\nlayer = "bydeler"\ncrs = "EPSG:25833"\n', 1)
    text = text.replace("[kommune]\n", '[kommune]\nboundary = "grense.geojson"\n', 1)
    config = load_config(write(folder, text))
    assert config.themes == ("moving_around", "feeling_safe")
    assert config.all_missing_tokens[-1] == "Ingen mening" and "vet ikke" in \
        config.all_missing_tokens
    assert (config.scale, config.delimiter, config.encoding) == (7, ",", "utf-8")
    assert (config.areas_layer, config.areas_crs) == ("bydeler", "EPSG:25833")
    assert config.kommune_boundary == (folder / "grense.geojson").resolve()
    options = config.input_options()
    assert options["themes"] == ["moving_around", "feeling_safe"]
    assert options["kommune_boundary"] == config.kommune_boundary
    params = config.to_parameters()
    assert params["missing_tokens"][-1] == "Ingen mening" and params["areas_layer"] == "bydeler"
    survey = load_inputs(**options).survey
    assert survey.themes == ["moving_around", "feeling_safe"]


@pytest.mark.parametrize("line, expected", [
    ("themes = []", "[survey] themes: must be a list of themes"),
    ('themes = ["Trafikk og parkering", "Trygget"]', "No Stedskompasset theme is called"),
    ("scale = 5", "[survey] scale: must be 7"),
    ('scale = "7"', "[survey] scale: must be 7"),
    ('delimiter = ";;"', "[survey] delimiter: must be one character"),
    ('missing_tokens = "vet ikke"', "[survey] missing_tokens: must be a list of text"),
])
def test_bad_survey_reading_options(mini, line, expected):
    text = mini.read_text(encoding="utf-8").replace("[survey]\n", f"[survey]\n{line}\n", 1)
    assert expected in error_of(write(mini.parent, text))


def test_every_config_key_a_fix_names_is_accepted():
    # Fix texts for config users name keys as «key = … under [table]» (or «under [table] add
    # "header" = …» for [survey.columns]); every such key must be one load_config accepts.
    import re

    from soslokal_lib.app import config as config_module

    sources = sorted(Path(config_module.__file__).parents[1].rglob("*.py"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    named = re.findall(r"(\w+) = [^\n]{0,60}? under \[(\w+(?:\.\w+)?)\]", text)
    assert len(named) >= 15
    keys = config_module._KEYS
    for key, table in named:
        if table == "survey.columns":
            continue
        assert table in keys and key in keys[table], f"[{table}] {key} is not a config key"
    tables = set(re.findall(r"under \[(\w+(?:\.\w+)?)\]", text))
    assert tables <= {*keys, "survey.columns"}
    # … and no fix worded for config users mentions a Python argument.
    for fix in re.findall(r"fix_config=(?:f?\"[^\"]*\"\s*)+", text):
        assert "columns={" not in fix and "=None" not in fix, fix
    from soslokal_lib._messages import CATALOGUE

    for key, entry in CATALOGUE.items():
        if key.endswith("fix_config"):
            for fix in entry.values():
                assert "columns={" not in fix and "=None" not in fix, (key, fix)


def test_report_areas_is_a_list_of_names(mini):
    config = load_config(write(mini.parent, BASE + '[report]\nareas = ["Sentrum", " 0301 "]\n'))
    assert config.report_areas == ("Sentrum", "0301")
    assert load_config(write(mini.parent, BASE)).report_areas == ()
    for bad in ('areas = "Sentrum"', "areas = []", 'areas = ["", "Havna"]'):
        text = error_of(write(mini.parent, BASE + f"[report]\n{bad}\n"))
        assert "[report] areas" in text and "list of text" in text
