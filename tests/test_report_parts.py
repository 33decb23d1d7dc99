"""The parts of the report for own data: area merges, hidden areas in `check`, few areas, the
workbook, register protection, notebook preparation, `config_path` and the dashboard command."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import nbformat
import numpy as np
import openpyxl
import pandas as pd
import papermill as pm
import pytest

from soslokal_lib.errors import SoslokalError

ROOT = Path(__file__).resolve().parents[1]
ELVESTAD = ROOT / "tests" / "fixtures" / "egenkommune"
NOTEBOOKS = [*sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")),
             ROOT / "dashboard" / "utforsker.ipynb"]


@pytest.fixture
def elvestad(tmp_path: Path) -> Path:
    folder = tmp_path / "egenkommune"
    shutil.copytree(ELVESTAD, folder)
    return folder / "elvestad.toml"


def _with(config: Path, old: str, new: str) -> Path:
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    return config


# --- merges -------------------------------------------------------------------------------------


def test_merge_small_goes_to_the_touching_neighbour_with_fewest_answers(elvestad):
    # Nordre (3) touches Sentrum (30), Østsiden (23) and Elvebredden (18); not Vestbyen.
    from soslokal_lib.app.config import load_config
    from soslokal_lib.io.inputs import load_inputs
    from soslokal_lib.stats.areamerge import merge_areas, plan_merges

    inputs = load_inputs(**load_config(elvestad).input_options())
    plan = plan_merges(inputs, merge_small="neighbour", min_n=5)
    assert plan.mapping == {"Nordre": "Elvebredden"} and plan.statistic == 1
    assert plan.merged_names == {"Elvebredden": "Elvebredden og Nordre"}
    assert plan.steps == (("Nordre", "Elvebredden", "small"),)
    merged = merge_areas(inputs, merge_small="neighbour", min_n=5)
    counts = merged.survey.responses["area_id"].value_counts()
    assert counts["Elvebredden"] == 21 and "Nordre" not in counts.index
    assert merged.names["Elvebredden"] == "Elvebredden og Nordre"
    assert list(merged.areas.index) == ["Sentrum", "Vestbyen", "Østsiden", "Elvebredden"]
    # the merged polygon is the union: 1500 × 1000 m + 1500 × 1000 m
    assert merged.areas.loc["Elvebredden"].geometry.area == pytest.approx(3_000_000)
    assert "Nordre" in merged.survey.meta["changes"][-1]
    # min_n = 2: nothing is small, nothing merges; min_n = 20 merges step by step
    assert plan_merges(inputs, merge_small="neighbour", min_n=2).mapping == {}
    chain = plan_merges(inputs, merge_small="neighbour", min_n=20)
    # Nordre + Elvebredden have 21 respondents but only 18 answers on some theme (vet ikke):
    # the neighbour with the fewest answers that gives 20 on every theme is Østsiden (3 + 23)
    assert chain.steps[0] == ("Nordre", "Østsiden", "small")
    assert all(v != k for k, v in chain.mapping.items())


def test_check_notes_a_survey_warning_once_under_the_survey(elvestad):
    # the survey is read again for the hidden areas: its warnings must not come back there
    from soslokal_lib._messages import tr
    from soslokal_lib.app.check import check_inputs
    from soslokal_lib.app.config import load_config

    csv = elvestad.parent / "svar_stedskompass.csv"
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    csv.write_text("\n".join([lines[0] + ";Ukjent kolonne"] + [line + ";x" for line in lines[1:]])
                   + "\n", encoding="utf-8-sig")
    result = check_inputs(load_config(elvestad))
    assert result.ok and result.hidden is not None
    notes = [tr(n, "nb") for n in result.notes if "Ukjent kolonne" in tr(n, "nb")]
    assert len(notes) == 1 and notes[0].startswith("undersøkelsen: "), notes


def test_named_merge_and_its_errors(elvestad):
    from soslokal_lib.app.config import load_config
    from soslokal_lib.io.inputs import load_inputs
    from soslokal_lib.stats.areamerge import merge_areas, plan_merges

    inputs = load_inputs(**load_config(elvestad).input_options())
    merged = merge_areas(inputs, {"nordre": "ØSTSIDEN"})  # names, any case
    assert merged.names["Østsiden"] == "Østsiden og Nordre"
    assert merged.survey.responses["area_id"].value_counts()["Østsiden"] == 26
    text = plan_merges(inputs, {"Nordre": "Østsiden"}).text("nb")
    assert text.startswith("Nordre (3 svar) er slått sammen med Østsiden og vises som "
                           "«Østsiden og Nordre»")
    with pytest.raises(SoslokalError, match="did you mean 'Nordre'"):
        plan_merges(inputs, {"Nordr": "Østsiden"})
    with pytest.raises(SoslokalError, match="into itself"):
        plan_merges(inputs, {"Nordre": "Nordre"})
    with pytest.raises(SoslokalError, match="merged into each other"):
        plan_merges(inputs, {"Nordre": "Østsiden", "Østsiden": "Nordre"})
    no_map = type(inputs)(inputs.survey, None, inputs.names, inputs.source, False)
    with pytest.raises(SoslokalError, match="needs the areas' boundaries"):
        plan_merges(no_map, merge_small="neighbour")


def test_check_names_hidden_areas_and_the_remedy_then_the_merge_helps(elvestad):
    from soslokal_lib.app.check import check_inputs, hidden_areas
    from soslokal_lib.app.config import load_config

    result = check_inputs(load_config(elvestad))
    assert result.ok, result.problems
    table = result.hidden.table.set_index("area_name")
    assert table.loc["Nordre", "primary"] == 14 and table.loc["Nordre", "n"] == 3
    # whatever rule the privacy layer uses, every hidden cell is read from `suppression`
    assert table["primary"].sum() + table["secondary"].sum() >= 14
    lines = "\n".join(result.hidden.lines("nb", "elvestad.toml"))
    assert "Nordre (3 svar): alle tall skjules – færre enn 5 svar (primærprikking)" in lines
    assert 'merge = { "Nordre" = "Elvebredden" }' in lines and 'merge_small = "neighbour"' in lines
    assert "for få svar" not in lines.split("Nordre (3 svar)")[1].split("\n", 1)[1]
    merged = hidden_areas(load_config(_with(elvestad, 'name_column = "navn"',
                                            'name_column = "navn"\nmerge_small = "neighbour"')))
    assert merged.table.empty and "Elvebredden og Nordre" in merged.merged
    assert merged.lines("en")[-1] == "Hidden in the report: no areas (min_n = 5)."


def test_config_keys_for_merges_and_register_thresholds(elvestad):
    from soslokal_lib.app.config import load_config
    from soslokal_lib.errors import ConfigError

    config = load_config(_with(elvestad, "min_n = 5", "min_n = 5\nregister_min_population = 100"
                                                       "\nregister_min_count = 8"))
    params = config.to_parameters()
    assert (params["register_min_population"], params["register_min_count"]) == (100, 8)
    assert params["merge"] is None and params["merge_small"] is None
    config = load_config(_with(elvestad, 'name_column = "navn"',
                               'name_column = "navn"\nmerge = { "Nordre" = "Østsiden" }'))
    assert dict(config.merge) == {"Nordre": "Østsiden"}
    assert config.to_parameters()["merge"] == {"Nordre": "Østsiden"}
    with pytest.raises(ConfigError, match="merge_small.*did you mean 'neighbour'"):
        load_config(_with(elvestad, "merge = { \"Nordre\" = \"Østsiden\" }",
                          'merge_small = "neighbor"'))


# --- few areas ----------------------------------------------------------------------------------


def test_areas_with_results_counts_shown_areas_only():
    from soslokal_lib.indicators.fewareas import MIN_AREAS_FOR_RANKING, areas_with_results

    summary = pd.DataFrame({"area_id": ["a", "a", "b", "b", "c", "total"],
                            "theme": ["x", "y"] * 3,
                            "suppressed": [False, True, True, True, False, False]})
    count = areas_with_results(summary, names={"a": "Aby", "c": "Cby"})
    assert count.areas == ("a", "c") and not count.enough and MIN_AREAS_FOR_RANKING == 5
    assert count.text("nb").startswith("Bare 2 nabolag har resultater (Aby, Cby)")
    table = pd.DataFrame({"i": [1.0, np.nan, 2, 3, 4, 5]}, index=list("abcdef"))
    assert areas_with_results(table).statistic == 5 and areas_with_results(table).enough


# --- workbook and CSV numbers -------------------------------------------------------------------


def test_csv_numbers_have_no_exponent_and_six_decimals(tmp_path):
    from soslokal_lib.app.report import save_table

    table = pd.DataFrame({"area_id": ["a", "b"], "score": [4.263256414560601e-14, 73.80000001],
                          "p": [1.2490366521362257e-17, -1e-15]})
    text = save_table(table, "t", tmp_path, min_n=5).read_text(encoding="utf-8-sig")
    assert text == "area_id,score,p\na,0,0\nb,73.8,0\n"


def test_csv_numbers_formatted_by_column_as_cell_by_cell(tmp_path):
    """save_table formats float columns with array operations: the same text as pandas
    calling ``_csv_number`` on every cell (ties, tiny, huge, infinite, -0, NaN, float32)."""
    from soslokal_lib.app.report import _csv_number, save_table

    rng = np.random.default_rng(7)
    edge = [0.0, -0.0, np.nan, np.inf, -np.inf, 0.0078125, 2.675, 1e-7, -1e-7, 5e-7, -5e-7,
            -2.5e-6, 0.5, 1.5, 123456.0000005, 999999999.9999995, 1e9, -1e9, 1e15, 1e300,
            5e-324, 4.263256414560601e-14, 73.80000001]
    values = np.concatenate([edge, rng.normal(0, 1, 3000), rng.normal(0, 1e-6, 1000),
                             rng.uniform(-1e10, 1e10, 500),
                             (rng.integers(-10**7, 10**7, 1000) + 0.5) / 1e6])
    table = pd.DataFrame({"area_id": "a", "x": values, "y": values[::-1].copy(),
                          "f32": values.astype(np.float32), "nullable": pd.array(values)})
    text = save_table(table, "t", tmp_path, min_n=5).read_text(encoding="utf-8-sig")
    want = table.to_csv(index=False, lineterminator="\n", float_format=_csv_number)
    assert text == want
    assert text.startswith("area_id,x,y,f32,nullable\na,0,") and "\na,0.007812," in text


def test_workbook_sheets_headers_formats_and_protection(tmp_path):
    from soslokal_lib.app.report import save_table
    from soslokal_lib.app.workbook import write_workbook

    summary = pd.DataFrame({
        "area_id": ["01", "total"], "area_name": ["=Sentrum", "Hele kommunen"],
        "theme": ["feeling_safe", "feeling_safe"], "theme_name": ["Trygghet", "Trygghet"],
        "n": [12, 40], "median": [4.5, 5.0], "share_low": [0.3333333333, np.nan],
        "suppressed": [False, True], "suppression": [None, "secondary"]})
    csv = save_table(summary, "summary", tmp_path, min_n=5)
    path = write_workbook([csv], tmp_path / "tabeller.xlsx", min_n=5, source="Kilde: Test")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Om tabellene", "Resultater per tema"]
    ws = wb["Resultater per tema"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Områdekode", "Område", "Tema", "Antall svar", "Median",
                       "Andel lave (1–3)", "Skjult", "Hvorfor skjult")
    assert rows[1] == ("01", "'=Sentrum", "Trygghet", 12, 4.5, 0.333, "nei", None)
    assert rows[2][5:] == (None, "ja", "skjult for å beskytte et lite nabolag")
    assert ws.cell(2, 6).number_format == "0.0%" and ws.cell(2, 4).number_format == "#,##0"
    change = save_table(pd.DataFrame({"area_id": ["01"], "theme": ["feeling_safe"],
                                      "n_before": [20], "n_after": [25]}), "endring", tmp_path,
                        min_n=5)
    path = write_workbook([csv, change], tmp_path / "tabeller.xlsx", min_n=5, source="Kilde: T")
    assert openpyxl.load_workbook(path).sheetnames[-1] == "Endring mellom rundene"
    about = [r for r in wb["Om tabellene"].iter_rows(values_only=True) if any(r)]
    assert any("min_n = 5" in str(r[0]) for r in about) and ("Kilde: Test.",) == about[1][:1]
    explained = {r[1] for r in about if r[0] == "Resultater per tema"}
    assert set(rows[0]) <= explained


def test_workbook_descriptions_never_nest_parentheses():
    from soslokal_lib.app.workbook import column_spec
    from soslokal_lib.indicators import REGISTRY

    for entry in REGISTRY:
        for lang in ("nb", "en"):
            text = column_spec("neighbourhood_indicators", entry.id, lang)[2]
            assert not re.search(r"\([^()]*\(", text), (entry.id, text)
    dim = next(e for e in REGISTRY if e.id.startswith("sk_dim_"))
    assert column_spec("x", dim.id, "nb")[2].endswith("(skår: snitt av medianer, 7 = godt)")


def test_display_table_reads_like_a_report():
    from soslokal_lib.app.workbook import display_table

    frame = pd.DataFrame({"sk_dim_safety_security": [4.6667, np.nan], "n": [3, 40],
                          "share_low": [0.1234, np.nan], "weighted": [True, False]},
                         index=pd.Index(["01", "02"], name="area_id"))
    html = display_table(frame, names={"01": "Sentrum"}, index=True).to_html()
    for text in ("Område", "Stedskompasset – trygghet og sikkerhet", "4,67", "12,3 %", "ja",
                 "Sentrum", "–"):
        assert text in html, text
    for raw in ("NaN", "sk_dim_", "area_id", "True", "0.1234"):
        assert raw not in html, raw


# --- register figures ---------------------------------------------------------------------------


def _gk() -> tuple[pd.DataFrame, pd.Series]:
    socio = pd.DataFrame({"population": [1000, 60, 500, 40, 30],
                          "low_income_pct": [10.0, 20.0, 12.0, 30.0, 5.0],
                          "crowded_pct": [5.0, 6.0, 0.4, 8.0, 9.0]},
                         index=pd.Index(["10", "11", "20", "30", "31"], name="area_id"))
    parents = pd.Series(["A", "A", "B", "C", "C"], index=socio.index)
    return socio, parents


def test_source_flags_hide_the_neighbourhood_figure_not_only_the_grunnkrets():
    from soslokal_lib.indicators import aggregate_socio
    from soslokal_lib.indicators.register_privacy import protect_register

    socio, parents = _gk()
    flags = pd.DataFrame({"area_id": ["11"], "column": ["low_income_pct"]})
    prot = protect_register(socio, parents, flags=flags, min_population=0, min_count=0)
    per_area = aggregate_socio(prot.socio, parents)
    # A's low income would reveal grunnkrets 11 by subtraction from 10's published 10.0 %
    assert np.isnan(per_area.loc["A", "low_income_pct"])
    assert per_area.loc["A", "crowded_pct"] == pytest.approx((5 * 1000 + 6 * 60) / 1060)
    assert per_area.loc["B", "low_income_pct"] == 12.0
    assert prot.hidden.to_dict("records") == [{"area_id": "A", "column": "low_income_pct",
                                               "reason": "source"}]


def test_register_thresholds_for_small_populations_and_counts():
    from soslokal_lib.indicators import aggregate_socio
    from soslokal_lib.indicators.register_privacy import protect_register

    socio, parents = _gk()
    prot = protect_register(socio, parents, min_population=100, min_count=5,
                            names={"C": "Cby"})
    per_area = aggregate_socio(prot.socio, parents)
    hidden = {(r.area_id, r.column): r.reason for r in prot.hidden.itertuples()}
    assert hidden[("C", "low_income_pct")] == "population"  # 70 inhabitants < 100
    assert hidden[("B", "crowded_pct")] == "count"  # 0.4 % of 500 = 2 people < 5
    assert ("A", "crowded_pct") not in hidden  # 5.2 % of 1060 = 55
    assert per_area.loc["C", ["low_income_pct", "crowded_pct"]].isna().all()
    assert per_area.loc["C", "population"] == 70  # the population itself stays
    assert "Cby (vedvarende lavinntekt, trangboddhet): færre enn 100 innbyggere" in prot.text()


def test_levekar_sheet_labels_become_columns_and_the_sample_hides_oyane():
    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import DEFAULT_CONFIG, config_inputs
    from soslokal_lib.indicators.register_privacy import protect_tables, sheet_column
    from soslokal_lib.io.inputs import load_socio_tables

    assert sheet_column("Vedvarende lavinntekt (%)") == "low_income_pct"
    assert sheet_column("Lav utdanning 30–59 år (%)") == "low_education_pct"
    assert sheet_column("Arbeidsledige og uføre 18–66 år (%)") == "benefits_pct"
    assert sheet_column("Antall katter") is None
    config = load_config(DEFAULT_CONFIG)
    inputs = config_inputs(config)
    tables, prot = protect_tables(load_socio_tables(inputs), config.to_parameters()["levekar"],
                                  inputs=inputs)
    hidden = prot.hidden[prot.hidden["area_id"] == "99011200"]  # Øyane: Lammøya marked «:»
    assert set(hidden["column"]) == {"low_income_pct", "crowded_pct", "benefits_pct"}
    assert tables.socio.loc[["99011201", "99011202"], "low_income_pct"].isna().all()
    assert "Øyane (vedvarende lavinntekt" in prot.text()


# --- notebooks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_declares_config_path_and_papermill_reads_every_parameter(path):
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    declared = {t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                for t in node.targets}
    assert "config_path" in declared
    assert declared <= set(pm.inspect_notebook(str(path)))  # no «unknown parameter» warnings
    after = nb.cells[nb.cells.index(cell) + 1]
    assert "apply_config(config_path, globals())" in after.source


def test_apply_config_sets_declared_plain_parameters_only(elvestad):
    from soslokal_lib.app.config import apply_config

    def theme_labels():  # an imported function with a parameter's name
        return None

    namespace = {"min_n": 1, "kommune_name": None, "theme_labels": theme_labels, "other": 3}
    config = apply_config(elvestad, namespace)
    assert config.kommune == "Elvestad" and namespace["min_n"] == 5
    assert namespace["kommune_name"] == "Elvestad" and namespace["theme_labels"] is theme_labels
    assert namespace["other"] == 3 and "survey_path" not in namespace
    assert apply_config(None, namespace) is None


def test_prepare_drops_tagged_cells_marked_text_and_dead_links():
    from soslokal_lib.app.report_notebooks import ReportFacts, prepare

    nb = nbformat.v4.new_notebook()
    sample = nbformat.v4.new_markdown_cell("I Fjordvik er alt bra.")
    sample.metadata["tags"] = ["sample-only"]
    setup = nbformat.v4.new_markdown_cell("## Forutsetninger\n\n`make lab`")
    setup.metadata["tags"] = ["interactive-only"]
    ranks = nbformat.v4.new_markdown_cell("## Samleindeks")
    ranks.metadata["tags"] = ["many-areas"]
    mixed = nbformat.v4.new_markdown_cell(
        "Generelt.\n\n<!-- sample-only -->\nI Fjordvik …\n<!-- /sample-only -->\n\nSlutt.")
    nxt = nbformat.v4.new_markdown_cell(
        "## Videre\n\n- `01_a.ipynb`: kompasset.\n- `02_b.ipynb`: levekår\n  over to linjer.\n"
        "- `dashboard/utforsker.ipynb`: dashbordet.\n- Et råd uten lenke.")
    nb.cells = [sample, setup, ranks, mixed, nxt]
    own = prepare(nb, ReportFacts(sample=False, few_areas=True,
                                  produced=frozenset({"01_a.ipynb"})))
    assert [c.source for c in own.cells] == [
        "Generelt.\n\nSlutt.",
        "## Videre\n\n- [01_a](01_a.html): kompasset.\n- Et råd uten lenke.\n"]
    demo = prepare(nb, ReportFacts(sample=True, few_areas=False,
                                   produced=frozenset({"01_a.ipynb", "02_b.ipynb"})))
    assert [c.source.splitlines()[0] for c in demo.cells] == [
        "I Fjordvik er alt bra.", "## Samleindeks", "Generelt.", "## Videre"]
    assert "I Fjordvik …" in demo.cells[2].source and "<!--" not in demo.cells[2].source
    assert "[02_b](02_b.html): levekår\n  over to linjer." in demo.cells[3].source


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_shipped_notebooks_keep_notes_for_notebook_users_out_of_the_report(path):
    from _scan import NOTEBOOK_NOTES

    from soslokal_lib.app.report_notebooks import ReportFacts, page_title, prepare

    nb = nbformat.read(path, as_version=4)
    kept = prepare(nb, ReportFacts(sample=False, produced=frozenset({path.name})))
    text = "\n".join(c.source for c in kept.cells if c.cell_type == "markdown")
    assert not NOTEBOOK_NOTES.findall(text), NOTEBOOK_NOTES.findall(text)
    title = page_title(nb)
    assert title.startswith(path.stem[:2] + " ") and "#" not in title and "*" not in title


def test_page_title_is_the_first_heading_as_plain_text():
    from soslokal_lib.app.report_notebooks import for_html, page_title

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_markdown_cell("Intro\n\n# 09 *Nytt* om `05_x` ([lenke](a.html))")]
    assert page_title(nb) == "09 Nytt om 05_x (lenke)"
    assert for_html(nb).metadata["title"] == "09 Nytt om 05_x (lenke)"
    assert "title" not in for_html(nbformat.v4.new_notebook()).metadata


def test_for_html_leaves_out_the_cells_a_running_notebook_marked():
    from soslokal_lib.app.report_notebooks import SKIP_KEY, TAG_POPULATION, for_html

    nb = nbformat.v4.new_notebook()
    note = nbformat.v4.new_code_cell("page.population_note(population)")
    note.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Ingen befolkning.\n"),
                    nbformat.v4.new_output("display_data", data={"text/plain": ""},
                                           metadata={SKIP_KEY: [TAG_POPULATION]})]
    part = nbformat.v4.new_markdown_cell("## 2. Sammenlignet med befolkningen")
    table = nbformat.v4.new_code_cell("page.study_table(study)")
    after = nbformat.v4.new_markdown_cell("## 5. Hva vekting kan")
    part.metadata["tags"] = table.metadata["tags"] = [TAG_POPULATION]
    nb.cells = [note, part, table, after]
    html = for_html(nb)
    assert [c.source for c in html.cells] == [note.source, after.source]
    assert [o.output_type for o in html.cells[0].outputs] == ["stream"]
    nb.cells[0].outputs = nb.cells[0].outputs[:1]  # a population was found: everything stays
    assert len(for_html(nb).cells) == 4


def test_population_note_marks_the_population_parts_only_without_one(capsys, monkeypatch):
    from soslokal_lib.app import report_notebooks, weighting_page

    marked = []
    monkeypatch.setattr(report_notebooks, "skip_in_report", lambda *tags: marked.extend(tags))

    class Population:
        available = False

        def __str__(self):
            return "Ingen befolkningstall å sammenligne med: ingen fil."

    weighting_page.population_note(Population())
    assert marked == ["needs-population"]
    assert capsys.readouterr().out == "Ingen befolkningstall å sammenligne med: ingen fil.\n"
    Population.available = True
    weighting_page.population_note(Population())
    assert marked == ["needs-population"]


def test_general_comments_per_theme_or_a_sentence_why_none():
    from soslokal_lib.app.comments_page import general_by_theme

    assigned = pd.DataFrame({"kind": ["good", "other", "improve", "good"],
                             "theme": ["feeling_safe", None, None, "housing"],
                             "assigned_theme": ["feeling_safe", "feeling_safe", None, "housing"]})
    table = general_by_theme(assigned).data
    assert table.to_dict("records") == [{"Tema": "Trygghet", "Innspill": "1"},
                                        {"Tema": "(ingen treff)", "Innspill": "1"}]
    themed = assigned[assigned["theme"].notna()]
    sentence = general_by_theme(themed)
    assert repr(sentence) == str(sentence) and sentence.startswith("Undersøkelsen har ingen")
    assert general_by_theme(themed, lang="en").startswith("The survey has no")


def test_relative_parameters_and_scrubbed_outputs(tmp_path):
    from soslokal_lib.app.report_notebooks import relative_parameters, scrub_paths

    base = tmp_path / "rapport" / "executed"
    params = relative_parameters({
        "survey_path": str(tmp_path / "data" / "svar.csv"), "min_n": 5,
        "ssb_tables": {"04362": str(tmp_path / "data" / "b.json")},
        "levekar": [{"path": str(tmp_path / "l.csv"), "sheet": None}]}, base)
    assert params == {"survey_path": "../../data/svar.csv", "min_n": 5,
                      "ssb_tables": {"04362": "../../data/b.json"},
                      "levekar": [{"path": "../../l.csv", "sheet": None}]}
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr",
                                           text=f"{tmp_path}/data/svar.csv: 2 columns\n")]
    nb.cells = [cell]
    nb.metadata["papermill"] = {"input_path": str(tmp_path / "in.ipynb"), "output_path": "x"}
    clean = scrub_paths(nb, [tmp_path])
    assert clean.cells[0].outputs[0]["text"] == "data/svar.csv: 2 columns\n"
    assert clean.metadata["papermill"]["input_path"] == "in.ipynb"


def _notebook(path: Path, *sources: str, parameters: str | None = None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    if parameters is not None:
        nb.cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    nb.cells += [nbformat.v4.new_code_cell(src) for src in sources]
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("jobs", [2, 1])
def test_notebooks_run_concurrently_in_order_and_a_failure_names_its_notebook(tmp_path, jobs):
    from soslokal_lib.app import report

    paths = [_notebook(tmp_path / "a_first.ipynb", "print('første')"),
             _notebook(tmp_path / "b_broken.ipynb", "x = 1", "raise ValueError('boom')"),
             _notebook(tmp_path / "c_third.ipynb", "print(f'x er {x}')", parameters="x = 1")]
    out = tmp_path / "rapport"
    if jobs > 1:  # two kernels at a time; results in the order of the paths
        written, failed = report._run_all(paths, out, {"x": 7, "unused": 1}, False, 60,
                                          jobs=jobs)
        assert written == [out / "a_first.html", out / "c_third.html"]
        assert [str(f) for f in failed] == [
            "b_broken.ipynb: cell 2 failed: ValueError: boom (the cell and its traceback: "
            f"{out / 'executed' / 'b_broken.ipynb'})"]
    else:
        with pytest.raises(SoslokalError, match=r"b_broken.ipynb: cell 2 failed.*other 2"):
            report.run_notebooks(out, paths, {"x": 7}, progress=False, timeout=60, jobs=jobs)
    executed = nbformat.read(out / "executed" / "c_third.ipynb", as_version=4)
    assert "x er 7" in executed.cells[-1].outputs[0]["text"]
    assert "første" in (out / "a_first.html").read_text(encoding="utf-8")
    # the failed notebook is kept, up to its failing cell, for the user to read the traceback
    assert sorted(p.name for p in (out / "executed").iterdir()) == [
        "a_first.ipynb", "b_broken.ipynb", "c_third.ipynb"]
    broken = nbformat.read(out / "executed" / "b_broken.ipynb", as_version=4)
    error = [o for o in broken.cells[-1].outputs if o["output_type"] == "error"]
    assert [(o["ename"], o["evalue"]) for o in error] == [("ValueError", "boom")]
    assert not (out / "b_broken.html").exists()


# --- command line -------------------------------------------------------------------------------


def test_report_without_config_says_it_makes_the_sample(capsys, monkeypatch, tmp_path):
    import soslokal_lib.app.report as report
    from soslokal_lib.app.cli import main

    seen = {}

    def fake(config, out, notebooks=None, **kwargs):
        seen["kommune"] = config.kommune
        return []

    monkeypatch.setattr(report, "make_report", fake)
    assert main(["report", "--out", str(tmp_path), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert seen["kommune"] == "Fjordvik"
    assert err.startswith("Ingen oppsettfil oppgitt: lager rapporten for eksempelkommunen "
                          "Fjordvik, som er oppdiktet")
    assert main(["--lang", "en", "report", "--out", str(tmp_path), "--quiet"]) == 0
    assert capsys.readouterr().err.startswith("No config file given: making the report for "
                                              "the sample municipality")


def test_cli_speaks_one_language_errors_included(capsys, tmp_path):
    from soslokal_lib.app.cli import main

    missing = tmp_path / "borte.toml"
    with pytest.raises(SystemExit) as info:
        main(["rapport"])
    assert info.value.code == 2
    assert "soslokal: feil i kommandoen: kommando: ugyldig valg: 'rapport' (velg blant" in capsys.readouterr().err
    assert main(["check", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "Løsning:" in err and "Fix:" not in err
    assert main(["check", str(missing), "--lang", "en"]) == 2
    assert "Fix:" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    out = capsys.readouterr().out
    assert "open the explorer" in out and "åpne" not in out


def test_dashboard_command_opens_voila_on_a_copy_with_the_config(elvestad, monkeypatch,
                                                                  capsys):
    from soslokal_lib.app import cli
    from soslokal_lib.app.cli import main

    calls = []

    def fake_call(command):
        notebook = Path(command[3])
        nb = nbformat.read(notebook, as_version=4)
        calls.append((command, "\n".join(c.source for c in nb.cells)))
        return 0

    monkeypatch.setattr(cli, "run_until_stopped", fake_call)
    assert main(["dashboard", str(elvestad), "--port", "8899", "--no-browser"]) == 0
    (command, source), = calls
    assert command[1:3] == ["-m", "voila"] and "--port=8899" in command
    assert "--no-browser" in command and "--Voila.ip=127.0.0.1" in command
    assert f'config_path = "{elvestad.resolve()}"' in source
    assert "Starter utforskeren for Elvestad" in capsys.readouterr().err
    # a broken input fails before Voilà starts, with the library's own message
    (elvestad.parent / "svar_stedskompass.csv").write_text("tom\n", encoding="utf-8")
    assert main(["dashboard", str(elvestad)]) == 1 and len(calls) == 1


def test_open_explorer_shows_the_library_message_instead_of_failing(tmp_path):
    from soslokal_lib.app.widgets import open_explorer

    bad = tmp_path / "svar.csv"
    bad.write_text("a;b\n1;2\n", encoding="utf-8")
    widget = open_explorer(bad, lang="nb")
    assert type(widget).__name__ == "HTML"
    assert "Utforskeren kan ikke vises" in widget.value and "svar.csv" in widget.value


@pytest.mark.slow
def test_the_sample_verksted_prints_no_register_figure_its_levekar_sheet_suppressed(tmp_path):
    import re

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import DEFAULT_CONFIG, config_inputs, write_verksted
    from soslokal_lib.io.inputs import load_socio_tables

    config = load_config(DEFAULT_CONFIG)
    inputs = config_inputs(config)
    path = write_verksted(config, inputs, load_socio_tables(inputs), tmp_path / "v.html")
    html = path.read_text(encoding="utf-8")
    oyane = re.search(r'<section class="sheet area"[^>]*data-area="99011200".*?</section>', html,
                      re.S).group(0)
    facts = dict(re.findall(r"<tr><td>([^<]+)</td><td class=\"num[^\"]*\">([^<]*)</td>", oyane))
    # Lammøya's low income, crowding and benefits are «:» in levekar_fjordvik.csv
    for label in ("Vedvarende lavinntekt", "Trangboddhet", "Arbeidsledige og uføre"):
        assert facts[label] == "ikke vist", (label, facts)
    assert facts["Lav utdanning"] != "ikke vist"  # given for both of Øyane's grunnkretser
    assert "Levekårstall som ikke vises." in html and "Øyane (vedvarende lavinntekt" in html


def test_kernels_are_not_interrupted_while_shutting_down(monkeypatch):
    """jupyter_client 8 interrupts a kernel before shutting it down, and ipykernel then logs
    «[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.» in a report that went well
    (a new user's trial saw it twice in one run). The report's kernel manager skips that
    interrupt, but still interrupts a running kernel (a timeout)."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    from soslokal_lib.app.report import _kernel_manager

    calls = []

    async def interrupt(self) -> None:
        calls.append(self.shutting_down)

    monkeypatch.setattr(AsyncKernelManager, "_async_interrupt_kernel", interrupt)
    km = _kernel_manager()()
    km.shutting_down = True
    asyncio.run(km._async_interrupt_kernel())
    assert calls == []
    km.shutting_down = False
    asyncio.run(km._async_interrupt_kernel())
    assert calls == [False]
