"""Bylab (issue 18): the action log (template, filled in, read back, bad logs), group and walk
scores (read, summed under min_n, drawn as a separate outline) and the brief per neighbourhood."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path

import matplotlib
import numpy as np
import openpyxl
import pandas as pd
import pytest

matplotlib.use("Agg")

from soslokal_lib.app.actions import write_actions_template  # noqa: E402
from soslokal_lib.errors import ConfigError  # noqa: E402
from soslokal_lib.io.actions import ActionLogError, read_actions  # noqa: E402
from soslokal_lib.io.group_scores import GroupScoreError, read_group_scores  # noqa: E402

MINI = Path(__file__).resolve().parent / "fixtures" / "minikommune"
AREAS = {"99020100": "Nordre", "99020200": "Søndre", "99020300": "Østre", "99020400": "Vestre"}
SMALL = "Jeg som bor i Søndre er redd om kvelden."


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    return folder / "minikommune.toml"


def _config(mini: Path, extra: str = ""):
    from soslokal_lib.app.config import load_config

    if extra:
        mini.write_text(mini.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return load_config(mini)


def _bylab_step(config, out: Path) -> list[Path]:
    """The Bylab step of ``soslokal report`` (make_report calls it after the verksted)."""
    from soslokal_lib.app.bylab import write_bylab
    from soslokal_lib.app.report import config_inputs

    return write_bylab(config, config_inputs(config), None, out)


def _fill(path: Path, rows: list[list], sheet: str = "Tiltak") -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def _text(path: Path) -> str:
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "DATA",
                  path.read_text(encoding="utf-8"))


# --- the action log ------------------------------------------------------------------------------


def test_template_has_lists_and_instructions(tmp_path):
    path = write_actions_template(tmp_path / "tiltak.xlsx", AREAS, kommune="Minikommune")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tiltak", "Lister", "Veiledning"]
    ws = wb["Tiltak"]
    assert [c.value for c in ws[1]] == ["Område", "Tema", "Tiltak", "Ansvar", "Frist",
                                        "Status", "Kilde"]
    rules = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert rules["A2"].type == "list" and rules["A2"].formula1 == "=Lister!$A$2:$A$6"
    assert rules["B2"].formula1 == "=Lister!$B$2:$B$15" and rules["E2"].type == "date"
    lists = wb["Lister"]
    assert [lists.cell(row=r, column=1).value for r in range(2, 7)] == [
        "Hele kommunen", "Nordre", "Søndre", "Østre", "Vestre"]
    assert lists.cell(row=15, column=2).value == "Innflytelse og medvirkning"
    assert [lists.cell(row=r, column=3).value for r in range(2, 6)] == [
        "innbyggere", "kommune", "utbygger", "frivillige"]
    assert lists.sheet_state == "hidden"
    assert "[bylab]" in [str(c.value).strip() for c in wb["Veiledning"]["A"]]


def test_filled_template_is_read_and_the_next_report_shows_the_actions(mini, tmp_path):
    out = tmp_path / "rapport"
    out.mkdir()
    config = _config(mini)
    first = _bylab_step(config, out)
    template = out / "tiltak.xlsx"
    assert template in first and not (out / "tiltak.html").exists()
    _fill(template, [
        ["Østre", "Trygghet i bydelen", "Bedre lys langs gangveien", "kommune / frivillige",
         dt.date(2026, 9, 1), "planlagt", "Bylab Østre"],
        ["Nordre", "Trafikk og parkering", "Fartsdumper ved skolen", "kommune", 46100,
         "i gang", "gåtur"],
        ["Hele kommunen", "14", "Innbyggerpanel", "innbyggere", "høsten 2026", None, None],
    ])
    log = read_actions(template, AREAS, labels={"feeling_safe": "Trygghet i bydelen"})
    assert log.table[["area_id", "theme", "responsible", "deadline"]].values.tolist() == [
        ["99020300", "feeling_safe", "kommune / frivillige", "2026-09-01"],
        ["99020100", "traffic_parking", "kommune", "2026-03-19"],  # 46100 read as its date
        ["total", "influence_control", "innbyggere", "høsten 2026"]]
    shutil.copy(template, mini.parent / "tiltak.xlsx")
    config = _config(mini, '\n[bylab]\nactions = "tiltak.xlsx"\n')
    second = _bylab_step(config, out)
    assert template not in second  # a log with actions is never overwritten
    assert len(read_actions(template, AREAS, labels=config.theme_labels["nb"])) == 3
    fresh = tmp_path / "ny"
    fresh.mkdir()
    # with the config's own log, no blank template beside the report (a trial user took it
    # for the log)
    assert not [p for p in _bylab_step(config, fresh) if p.name == "tiltak.xlsx"]
    assert not (fresh / "tiltak.xlsx").exists() and (fresh / "tiltak.html").exists()
    page = _text(out / "tiltak.html")
    assert page.index("Hele kommunen") < page.index("Nordre") < page.index("Østre")
    assert "Innbyggerpanel" in page and "Fartsdumper ved skolen" in page
    brief = _text(out / "bylab_ostre.html")
    assert "Tiltak i loggen" in brief and "Bedre lys langs gangveien" in brief
    assert "kommune / frivillige" in brief and "2026-09-01" in brief
    assert "Fartsdumper ved skolen</td>" not in brief  # Nordre's action is on Nordre's brief
    assert "Fartsdumper ved skolen</td>" in _text(out / "bylab_nordre.html")


def test_two_rounds_put_the_change_next_to_the_action(mini, tmp_path):
    text = (mini.parent / "svar.csv").read_text(encoding="utf-8")
    (mini.parent / "svar_2021.csv").write_text(text, encoding="utf-8")
    body = mini.read_text(encoding="utf-8")
    head, _, rest = body.partition("[survey]\n")
    columns = rest[rest.index("[survey.columns]"):rest.index("[areas]")]
    earlier = f'[[survey]]\nround = "2021"\npath = "svar_2021.csv"\n{columns}\n'
    mini.write_text(head + earlier + '[[survey]]\nround = "2025"\n' + rest, encoding="utf-8")
    path = write_actions_template(mini.parent / "tiltak.xlsx", AREAS)
    _fill(path, [["Østre", "Trafikk og parkering", "Fartsdumper", "kommune", None, None, None]])
    config = _config(mini, '\n[bylab]\nactions = "tiltak.xlsx"\n')
    assert [r.label for r in config.rounds] == ["2021", "2025"]
    out = tmp_path / "rapport"
    _bylab_step(config, out)
    page = _text(out / "tiltak.html")
    # the same answers in both rounds: the median stays, no clear change
    found = re.search(r"Endring i temaet: median (\S+) → (\S+) \(2021 → 2025\); andel lave "
                      r"skårer ±0 pp, ingen tydelig endring", page)
    assert found and found[1] == found[2]


def _bad_log(tmp_path: Path, rows: list[list], merge: str | None = None,
             extra_sheet: bool = False) -> Path:
    path = write_actions_template(tmp_path / "tiltak.xlsx", AREAS)
    _fill(path, rows)
    wb = openpyxl.load_workbook(path)
    if merge:
        wb["Tiltak"].merge_cells(merge)
    if extra_sheet:
        notes = wb.create_sheet("Notater")
        notes["A1"] = "husk å invitere idrettslaget"
        more = wb.create_sheet("Tiltak 2027")
        for c, v in enumerate(["Område", "Tema", "Tiltak", "Ansvar"], start=1):
            more.cell(row=1, column=c, value=v)
        for c, v in enumerate(["Vestre", "Bolig og fellesskap", "Møteplass", "utbygger"],
                              start=1):
            more.cell(row=2, column=c, value=v)
    wb.save(path)
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ActionLogError) as info:
        read_actions(path, AREAS)
    return [p.describe(lang="nb") for p in info.value.problems]


def test_unknown_area_and_theme_name_the_row_and_the_closest_names(tmp_path):
    path = _bad_log(tmp_path, [["Østre", "Trygghet", "Lys", "kommune", None, None, None],
                               ["Østree", "Trygget", "Lys", "kommunen", None, None, None],
                               ["Vestre", "Parkering", "", "naboer", None, None, None]])
    assert _problems(path) == [
        "rad 3, kolonne 'A (Område)': ukjent område «Østree». Løsning: mente du «Østre», "
        "«Vestre»?",
        "rad 3, kolonne 'B (Tema)': ukjent tema «Trygget». Løsning: mente du «Trygghet»?",
        "rad 4, kolonne 'C (Tiltak)': tiltaket er tomt. Løsning: beskriv tiltaket, eller "
        "slett raden",
        "rad 4, kolonne 'D (Ansvar)': ukjent ansvar «naboer». Løsning: bruk innbyggere, "
        "kommune, utbygger, frivillige"]


def test_merged_cells_down_are_read_across_are_refused(tmp_path):
    down = _bad_log(tmp_path, [["Østre", "Trygghet", "Lys", "kommune", None, None, None],
                               [None, "Trafikk og parkering", "Fartsdumper", None, None, None,
                                None]], merge="A2:A3")
    log = read_actions(down, AREAS)
    assert log.table["area_id"].tolist() == ["99020300", "99020300"]
    across = _bad_log(tmp_path, [["Østre", "Trygghet", "Lys og benker", None, None, None,
                                  None]], merge="C2:D2")
    assert _problems(across) == [
        "rad 2, kolonne 'C': cellene C2:D2 er slått sammen over kolonnene Tiltak, Ansvar. "
        "Løsning: del opp cellene og skriv hver verdi i sin kolonne"]


def test_dates_as_numbers_and_extra_sheets(tmp_path):
    # 46000 in a cell Excel shows as a number is still a date serial (9 December 2025); 5.5
    # typed in the date column is refused with its row and column
    path = _bad_log(tmp_path, [["Østre", "Trygghet", "Lys", None, None, None, None],
                               ["Østre", "Trygghet", "Benker", None, 5.5, None, None]],
                    extra_sheet=True)
    wb = openpyxl.load_workbook(path)
    wb["Tiltak"]["E2"] = 46000
    wb["Tiltak"]["E2"].number_format = "General"
    wb.save(path)
    assert _problems(path) == [
        "rad 3, kolonne 'E (Frist)': fristen er et tall, ikke en dato (verdi 5.5). Løsning: "
        "skriv en dato som 01.09.2026, eller en tekst"]
    wb["Tiltak"]["E3"] = None
    wb.save(path)
    log = read_actions(path, AREAS)
    assert log.table[["sheet", "row", "area_id", "deadline"]].fillna("–").values.tolist() == [
        ["Tiltak", 2, "99020300", "2025-12-09"], ["Tiltak", 3, "99020300", "–"],
        ["Tiltak 2027", 2, "99020400", "–"]]
    notes = [n.render("nb") for n in log.notes]
    assert any("«Notater»" in n and "ikke lest" in n for n in notes)
    assert any("rad 2: fristen 46000 er lest som Excel-datoen 2025-12-09" in n for n in notes)


def test_check_and_report_name_the_bad_rows_before_anything_runs(mini, tmp_path):
    from soslokal_lib.app.check import check_inputs
    from soslokal_lib.app.report import make_report

    path = write_actions_template(mini.parent / "tiltak.xlsx", AREAS)
    _fill(path, [["Østree", "Trygghet", "Lys", "kommune", None, None, None]])
    config = _config(mini, '\n[bylab]\nactions = "tiltak.xlsx"\n')
    problems = [p.render("nb") for p in check_inputs(config).problems]
    assert problems == [f"Bylab-filene: {path}: rad 2, kolonne 'A (Område)': ukjent område "
                        "«Østree». Løsning: mente du «Østre», «Vestre»?"]
    out = tmp_path / "rapport"
    with pytest.raises(ActionLogError, match="row 2"):
        make_report(config, out, progress=False)
    assert not (out / "executed").exists()  # failed before the notebooks ran


def test_check_names_a_survey_area_problem_once_not_again_as_the_bylab_files(mini):
    """With an area in the survey that matches no area, the Bylab files (which name areas)
    are checked once that is fixed, and check says so, instead of repeating the survey's
    area problem labelled «Bylab-filene»."""
    from soslokal_lib.app.check import check_inputs

    survey = mini.parent / "svar.csv"
    text = survey.read_text(encoding="utf-8")
    survey.write_text(text.replace(",Vestre,", ",Vestre Strand,", 1), encoding="utf-8")
    path = write_actions_template(mini.parent / "tiltak.xlsx", AREAS)
    _fill(path, [["Østree", "Trygghet", "Lys", "kommune", None, None, None]])
    result = check_inputs(_config(mini, '\n[bylab]\nactions = "tiltak.xlsx"\n'))
    problems = [p.render("nb") for p in result.problems]
    assert any("Vestre Strand" in p for p in problems)
    assert not any(p.startswith("Bylab-filene") for p in problems)
    assert ("Bylab-filene: sjekkes når problemene med undersøkelsen og områdene over er rettet "
            "(filene nevner områder)") in [n.render("nb") for n in result.notes]


def test_bad_action_log_in_the_config(mini):
    with pytest.raises(ConfigError, match=r"\[bylab\] actions"):
        _config(mini, '\n[bylab]\nactions = "finnes_ikke.xlsx"\n')


# --- group and walk scores ------------------------------------------------------------------------


GROUPS = """område,kanal,tema,skår,antall deltakere,dato
Østre,gåtur,Trygghet,3,8,04.05.2026
Østre,verksted,Trygghet,5,4,2026-05-10
Østre,fokusgruppe,Lek og rekreasjon,2,3,2026-05-11
Nordre,Workshop,Bolig og fellesskap,6,4,2026-05-12
"""


def test_group_scores_are_read_and_summed_under_min_n(tmp_path):
    import soslokal_lib as sl
    from soslokal_lib.stats.group_scores import summarise_group_scores

    path = tmp_path / "gatur.csv"
    path.write_text(GROUPS, encoding="utf-8")
    scores = sl.read_group_scores(path, AREAS)
    assert scores[["row", "area_id", "channel", "theme", "participants", "date"]].values.tolist() == [
        [2, "99020300", "gåtur", "feeling_safe", 8, "2026-05-04"],
        [3, "99020300", "verksted", "feeling_safe", 4, "2026-05-10"],
        [4, "99020300", "fokusgruppe", "play_recreation", 3, "2026-05-11"],
        [5, "99020100", "verksted", "housing_community", 4, "2026-05-12"]]
    table = summarise_group_scores(scores, min_n=5)
    shown = table[~table["suppressed"]]
    assert shown[["area_id", "theme", "participants", "sessions"]].values.tolist() == [
        ["99020300", "feeling_safe", 12, 2]]
    assert round(float(shown["score"].iloc[0]), 4) == round((3 * 8 + 5 * 4) / 12, 4)
    hidden = table[table["suppressed"]]
    assert len(hidden) == 2 and hidden["score"].isna().all()
    assert hidden["participants"].isna().all()  # participant counts below min_n not shown


def test_bad_group_scores_name_the_row(tmp_path):
    path = tmp_path / "gatur.csv"
    path.write_text("område,kanal,tema,skår,antall deltakere,dato\n"
                    "Østre,gåtur,Trygghet,8,6,2026-05-04\n"
                    "Østree,gåtur,Trygghet,4,6,2026-05-04\n"
                    "Vestre,telefon,Trygget,4,2.5,i mai\n", encoding="utf-8")
    with pytest.raises(GroupScoreError) as info:
        read_group_scores(path, AREAS)
    found = [(p.row, p.column, p.describe(lang="nb").split(": ", 1)[1])
             for p in info.value.problems]
    assert found == [
        (2, "skår", "skåren må være et tall fra 1 til 7 (verdi '8')"),
        (3, "område", "ukjent område «Østree». Løsning: mente du «Østre», «Vestre»?"),
        (4, "tema", "ukjent tema «Trygget». Løsning: mente du «Trygghet»?"),
        (4, "kanal", "ukjent kanal «telefon». Løsning: bruk gåtur, verksted eller fokusgruppe"),
        (4, "antall deltakere", "antall deltakere må være et helt tall, minst 1 (verdi '2.5')"),
        (4, "dato", "ikke en dato (verdi 'i mai'). Løsning: skriv f.eks. 04.05.2026")]


def test_group_scores_are_a_separate_outline_on_the_compass(tmp_path):
    from matplotlib.figure import Figure

    from soslokal_lib.io.inputs import load_inputs
    from soslokal_lib.plot.compass import plot_compass
    from soslokal_lib.stats.group_scores import summarise_group_scores
    from soslokal_lib.stats.summary import summarise

    inputs = load_inputs()
    sentrum = next(a for a, n in inputs.names.items() if n == "Sentrum")
    path = tmp_path / "gatur.csv"
    path.write_text("område,kanal,tema,skår,antall deltakere\n"
                    "Sentrum,gåtur,Trygghet,2,7\nSentrum,gåtur,Sosial kontakt,3,4\n",
                    encoding="utf-8")
    groups = summarise_group_scores(read_group_scores(path, inputs), min_n=5)
    summary = summarise(inputs.survey, min_n=5)
    ax = Figure().add_subplot(projection="polar")
    plot_compass(summary, sentrum, compare="total", ax=ax, groups=groups)
    outline = [line for line in ax.lines if line.get_gid() == "compass-groups"]
    survey_line = [line for line in ax.lines if line.get_gid() == "compass-area"]
    assert len(outline) == 1 and len(survey_line) == 1  # never pooled into the survey's line
    r = np.asarray(outline[0].get_ydata(), dtype=float)
    assert r[11] == 2.0 and np.isnan(r[9])  # Trygghet (spoke 12) shown; Sosial kontakt: 4 < 5
    assert np.isfinite(r).sum() == 1
    assert outline[0].get_linestyle() == ":" and outline[0].get_marker() == "s"
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[-1] == "Gåtur og grupper (gåtur), n = 7 deltakere"
    # the survey line is the survey's medians alone
    rows = summary[summary["area_id"] == sentrum].set_index("theme")
    assert survey_line[0].get_ydata()[11] == rows.loc["feeling_safe", "median"]
    # below min_n for every theme: no outline, no legend entry
    few = summarise_group_scores(read_group_scores(path, inputs), min_n=8)
    ax2 = Figure().add_subplot(projection="polar")
    plot_compass(summary, sentrum, compare="total", ax=ax2, groups=few)
    assert not [line for line in ax2.lines if line.get_gid() == "compass-groups"]
    assert not any("deltakere" in t.get_text() for t in ax2.get_legend().get_texts())


# --- the brief per neighbourhood ------------------------------------------------------------------


def test_brief_per_area_with_alt_text_and_quotes_only_from_big_areas(mini, tmp_path):
    from soslokal_lib.app import office

    (mini.parent / "gatur.csv").write_text(GROUPS, encoding="utf-8")
    config = _config(mini, '\n[bylab]\ngroup_scores = "gatur.csv"\n')
    out = tmp_path / "rapport"
    written = _bylab_step(config, out)
    briefs = {p.stem: p for p in written if p.suffix == ".html"}
    assert set(briefs) == {"bylab_nordre", "bylab_ostre", "bylab_vestre", "bylab_sondre"}
    comments = pd.read_csv(mini.parent / "svar.csv", dtype=str)
    by_area = comments.groupby(comments["Hvilken bydel?"].str.strip().str.casefold())[
        "Spm 12 – Hva kan bli bedre?"].apply(lambda s: set(s.dropna()))
    for stem, path in briefs.items():
        html = path.read_text(encoding="utf-8")
        assert SMALL not in html
        name = AREAS[next(a for a, n in AREAS.items() if f"bylab_{_slug(n)}" == stem)]
        assert "Aktører og ressurser (fylles ut på Bylab)" in html
        assert office.accessibility_problems(
            office.html_headings(html), [alt for _, alt in office.html_images(html)]) == []
        table = html[html.index("Aktører og ressurser"):]
        assert table.count("<td></td>") == 6 * 5  # the empty stakeholder table
        quotes = re.findall(r"<blockquote>«(.*?)»</blockquote>", html)
        assert set(quotes) <= by_area.get(name.casefold(), set())
        images = re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]*)"', html)
        if stem == "bylab_sondre":  # 3 answers < min_n: no compass, no figures, no quotes
            assert images == [] and quotes == [] and "færre enn 5" in html
            assert "Median" not in html
        else:
            assert len(images) == 1 and images[0].startswith(
                f"Stedskompasset for {name} sammenlignet med Minikommune")
    ostre = briefs["bylab_ostre"].read_text(encoding="utf-8")
    assert "Skår fra gåtur, verksted på 1 tema, n = 12 deltakere" in ostre
    nordre = briefs["bylab_nordre"].read_text(encoding="utf-8")
    assert "for få deltakere til å vises" in nordre and "n = 4" not in nordre
    assert "Hvem svarte, og hvem mangler?" in ostre and "<td>Alder</td>" in ostre
    # the «kan bli bedre» quotes of a theme: from the area itself, none from Søndre (3 < 5)
    from soslokal_lib.app.bylab import _quotes
    from soslokal_lib.app.report import config_inputs

    survey = config_inputs(config).survey
    ostre_quotes = _quotes(survey, "99020300", ["feeling_safe"], 5, 0, {})["feeling_safe"]
    assert "Fartsdumper ved skolen." in ostre_quotes
    assert {q for q in ostre_quotes if "[lenke]" not in q} <= by_area["østre"]  # links scrubbed
    assert _quotes(survey, "99020200", ["feeling_safe"], 5, 0, {}) == {}


def test_brief_docx_when_python_docx_is_installed(mini, tmp_path):
    docx = pytest.importorskip("docx")
    out = tmp_path / "rapport"
    written = _bylab_step(_config(mini), out)
    doc = docx.Document(str(out / "bylab_ostre.docx"))
    assert out / "bylab_ostre.docx" in written
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Bylab: Østre", "Stedskompasset mot Minikommune"]
    alt = [el.get("descr") for el in doc.element.body.iter()
           if el.tag.endswith("}docPr")]
    assert len(alt) == 1 and alt[0].startswith("Stedskompasset for Østre")
    assert len(doc.tables[-1].rows) == 7  # header + six empty rows to fill in
    from soslokal_lib.app import office

    assert office.accessibility_problems(*office.docx_outline(doc)) == []
    small = docx.Document(str(out / "bylab_sondre.docx"))
    assert not [el for el in small.element.body.iter() if el.tag.endswith("}docPr")]


def _slug(name: str) -> str:
    from soslokal_lib.app.bylab import slug

    return slug(name)


def test_who_answered_hides_small_counts_so_no_subtraction_recovers_them(mini):
    """Issue: «Hvem svarte, og hvem mangler?» showed «Under 20 | 3» under a header promising
    numbers only for groups of at least min_n. Attack: from every brief take the area's number
    of answers (in the header) and the shown counts per age and gender, and the kommune's
    counts per level (published elsewhere); every difference (what the hidden cells hold
    together) is 0 or at least min_n, and no shown count is below min_n."""
    from soslokal_lib.app.bylab import build_briefs
    from soslokal_lib.app.report import config_inputs

    min_n = 5
    inputs = config_inputs(_config(mini))
    responses = inputs.survey.responses
    briefs = [b for b in build_briefs(inputs, min_n=min_n, kommune="Minikommune")
              if b["status"] == "ok"]
    assert [b["n"] for b in briefs] == [13, 12, 12]  # Søndre (3 answers) shows no table
    shown: dict[tuple[str, str], dict[str, int]] = {}
    hidden = 0
    for b in briefs:
        for var in ("Alder", "Kjønn"):
            rows = [r for r in b["who"]["rows"] if r["variable"] == var]
            counts = {r["level"]: int(r["n"]) for r in rows if r["n"] != "ikke vist"}
            hidden += len(rows) - len(counts)
            assert all(n >= min_n for n in counts.values()), (b["name"], counts)
            left = b["n"] - sum(counts.values())  # the hidden cells of the area, together
            assert left == 0 or left >= min_n, (b["name"], var, left)
            shown[(b["id"], var)] = counts
        assert all(r["sample"] == "–" for r in b["who"]["rows"] if r["n"] == "ikke vist")
    assert hidden > 0 and any(b["who"]["hidden"] for b in briefs)
    for var, column in (("Alder", "age_group"), ("Kjønn", "gender")):
        kommune = responses[column].astype("string").fillna("Ikke oppgitt").value_counts()
        for level, total in kommune.items():
            left = int(total) - sum(shown[(b["id"], var)].get(level, 0) for b in briefs)
            assert left == 0 or left >= min_n, (var, level, left)
    # before: Østre's 45–64 (1 answer) and Nordre's 45–64 (1) were shown
    ostre = next(b for b in briefs if b["id"] == "99020300")
    assert [r["n"] for r in ostre["who"]["rows"] if r["level"] == "45–64"] == ["ikke vist"]


def _who_survey(rng: np.random.Generator, areas: int, people: int):
    """A small survey by area, age and gender (some without an age or a gender)."""
    import soslokal_lib as sl

    area = rng.choice([f"a{i}" for i in range(areas)], people, p=rng.dirichlet(np.ones(areas)))
    age = rng.choice(np.array(["u30", "30-59", "60+", None], dtype=object), people,
                     p=[.3, .4, .25, .05])
    gender = rng.choice(np.array(["k", "m", None], dtype=object), people, p=[.48, .48, .04])
    df = pd.DataFrame({"area_id": pd.array(area, dtype="string"),
                       "age_group": pd.array(age, dtype="string"),
                       "gender": pd.array(gender, dtype="string"),
                       "feeling_safe": pd.array(rng.integers(1, 8, people), dtype="Int8")},
                      index=pd.Index([f"r{i}" for i in range(people)], name="respondent_id"))
    return sl.Survey(df)


def test_who_answered_lines_are_safe_with_every_areas_count_published():
    """Every brief's header shows its area's number of answers, small areas too. So no area
    may be hidden to protect another (before: an area of 6 answers was hidden as the
    complement of one with 4, and its gender table showed «k 5» with «m» hidden — 6 − 5 = 1).
    On 150 random small surveys: in every area with at least min_n answers, the hidden counts
    of a variable hold 0 or at least min_n people together, and no shown count is below min_n;
    the age and gender tables are checked together (``privacy.linked_codes`` with ``fine``)."""
    from soslokal_lib.app.bylab import NOT_GIVEN, who_hidden

    rng = np.random.default_rng(19)
    checked = hidden_any = 0
    for _ in range(150):
        min_n = int(rng.choice([3, 5]))
        survey = _who_survey(rng, int(rng.integers(3, 6)), int(rng.integers(20, 60)))
        hidden = who_hidden(survey, min_n)
        hidden_any += bool(hidden)
        r = survey.responses
        for area, frame in r.groupby(r["area_id"].astype(str)):
            if len(frame) < min_n:
                continue
            for var in ("age_group", "gender"):
                counts = frame[var].astype("string").fillna(NOT_GIVEN).value_counts()
                shown = {lev: int(n) for lev, n in counts.items()
                         if (area, var, lev) not in hidden}
                assert all(n >= min_n for n in shown.values()), (area, var, shown)
                left = len(frame) - sum(shown.values())
                assert left == 0 or left >= min_n, (area, var, left, min_n)
                checked += 1
    assert checked > 500 and hidden_any > 100


def test_two_group_tables_need_their_finest_counts():
    """Two area × group tables share the areas' figures: ``linked_codes`` protects them together
    from the finest counts, and refuses them without."""
    from soslokal_lib import privacy
    from soslokal_lib.errors import SoslokalError

    fine = np.array([[[[3, 0], [0, 2], [0, 2]], [[2, 2], [1, 0], [1, 0]],
                      [[0, 0], [0, 0], [1, 3]], [[0, 0], [0, 0], [1, 0]]]])
    one, two = fine.sum(axis=3), fine.sum(axis=2)
    with pytest.raises(SoslokalError, match="fine=.*Fix|Fix.*fine="):
        privacy.linked_codes(one.sum(axis=2), [one, two], 3)
    with pytest.raises(SoslokalError, match="adding up"):
        privacy.linked_codes(one.sum(axis=2), [one, two], 3, fine=fine[:, ::-1])
    codes = privacy.linked_codes(one.sum(axis=2), [one, two], 3, fine=fine)
    alone = [privacy.linked_codes(one.sum(axis=2), [g], 3).cells[0] for g in (one, two)]
    # together they hide more than each alone (the joint check found what each table misses)
    assert sum(int((c > 0).sum()) for c in codes.cells) > sum(int((c > 0).sum()) for c in alone)


def test_one_tiny_area_does_not_blank_the_others_who_tables():
    """A trial kommune (Fjellvik: 60, 45, 40, 32, 20 and 3 answers) showed «ikke vist» for every
    age and gender count in every brief: the 3-answer area's count followed from the grand total
    minus the others, which no hiding of cells can change, so the solver hid everything. That
    count is in the area's own header anyway. Now the large areas show most of their counts,
    and the line rule still holds."""
    from soslokal_lib.app.bylab import who_hidden

    rng = np.random.default_rng(7)
    sizes = {"Sentrum": 60, "Fjellsida": 45, "Åsen": 40, "Strandvika": 32, "Nedre Dal": 20,
             "Lille Øyra": 3}
    people = sum(sizes.values())
    survey = _who_survey(rng, 1, people)
    df = survey.responses.copy()
    df["area_id"] = pd.array([a for a, k in sizes.items() for _ in range(k)], dtype="string")
    import soslokal_lib as sl

    hidden = who_hidden(sl.Survey(df), 5)
    levels = {a: 0 for a in sizes}
    for area, _, _ in hidden:
        levels[area] += 1
    present = {a: df.loc[df["area_id"] == a, ["age_group", "gender"]].nunique(dropna=False).sum()
               for a in sizes}
    assert levels["Lille Øyra"] >= present["Lille Øyra"]  # all hidden: 3 answers
    for area in ("Sentrum", "Fjellsida", "Åsen", "Strandvika"):
        # primary: the few without an age or a gender; their complements: one each
        assert levels[area] <= present[area] - 3, (area, levels[area], present[area])


def _who_attack(survey, min_n: int) -> list[tuple[str, int]]:
    """An attacker on the «Hvem svarte» tables as the briefs show them (``_who`` per area; a
    brief below ``min_n`` shows none), who also knows every area's count and the kommune's
    count per level (``respondent_counts``: public). Unknowns: the respondents per area × age
    × gender, every combination (a shown 0 or a level the table does not list is 0). Returns
    what it works out exactly beyond those public counts: a hidden count below ``min_n``, two
    of them together below ``min_n``, or a finest count below ``min_n`` (area, people)."""
    from soslokal_lib import _exact
    from soslokal_lib.app.bylab import NOT_GIVEN, _who, who_hidden

    r = survey.responses
    hidden = who_hidden(survey, min_n)
    area = r["area_id"].astype("string").fillna("?").to_numpy(dtype=object)
    values = {v: r[v].astype("string").fillna(NOT_GIVEN).to_numpy(dtype=object)
              for v in ("age_group", "gender")}
    areas = sorted(set(area))
    levels = {v: sorted(set(x)) for v, x in values.items()}
    combos = [(a, x, y) for a in areas for x in levels["age_group"] for y in levels["gender"]]
    truth = Counter(zip(area, values["age_group"], values["gender"], strict=True))
    size = np.array([truth[c] for c in combos])
    col = {"age_group": 1, "gender": 2}
    cell = {(a, v, lev): np.array([c[0] == a and c[col[v]] == lev for c in combos])
            for a in areas for v in col for lev in levels[v]}
    public = [np.ones(len(combos), dtype=bool)]
    public += [np.array([c[0] == a for c in combos]) for a in areas]
    public += [np.array([c[col[v]] == lev for c in combos]) for v in col for lev in levels[v]]
    shown = []
    for a in areas:
        if a == "?" or (area == a).sum() < min_n:
            continue  # no brief, or a brief without the table
        listed = {}
        for row in _who(survey, a, None, min_n, hidden)["rows"]:
            v = "age_group" if row["variable"] == "Alder" else "gender"
            listed[(v, row["level"])] = None if row["n"] == "ikke vist" else int(row["n"])
        for v in col:
            for lev in levels[v]:
                n = listed.get((v, lev), 0)  # not listed: none
                if n == 0:
                    shown += [np.eye(len(combos), dtype=bool)[i]
                              for i in np.flatnonzero(cell[(a, v, lev)])]
                elif n is not None:
                    assert n == size[cell[(a, v, lev)]].sum()
                    shown.append(cell[(a, v, lev)])
    small = [(a, v, lev) for (a, v, lev) in hidden if 0 < size[cell[(a, v, lev)]].sum() < min_n]
    queries = [cell[k] for k in small]
    queries += [cell[x] | cell[y] for i, x in enumerate(small) for y in small[:i]
                if not (cell[x] & cell[y]).any()
                and size[cell[x] | cell[y]].sum() < min_n]
    queries += list(np.eye(len(combos), dtype=bool)[(size > 0) & (size < min_n)])
    if not queries:
        return []
    q = np.array(queries, dtype=np.int64)
    pub = np.array(public, dtype=np.int64)
    shown = np.array(shown, dtype=np.int64).reshape(-1, len(combos))
    known = _exact.in_row_space(np.vstack([pub, shown]), q)
    beyond = known & ~_exact.in_row_space(pub, q)
    return [(sorted({combos[i][0] for i in np.flatnonzero(x)})[0], int(size[x].sum()))
            for x, b in zip(q.astype(bool), beyond, strict=True) if b]


def test_who_answered_tables_resist_an_exact_attacker():
    """The «Hvem svarte» tables of every brief, with every area's count and the kommune's count
    per level (both public), give nothing small away: no hidden count below min_n, no two of
    them together, no count of an area × age × gender below min_n, beyond what the public
    counts say on their own. On 120 random small surveys; before, the tables were protected
    against a model that coded small areas' counts and the kommune's level counts as hidden
    although both are published, and this attacker found something in 86 of 100 surveys."""
    rng = np.random.default_rng(23)
    hid_zero = 0
    for _ in range(120):
        min_n = int(rng.choice([3, 5]))
        survey = _who_survey(rng, int(rng.integers(3, 6)), int(rng.integers(20, 60)))
        assert _who_attack(survey, min_n) == []
        from soslokal_lib.app.bylab import who_hidden

        r = survey.responses
        for a, v, lev in who_hidden(survey, min_n):
            hid_zero += not ((r["area_id"] == a) & (r[v].astype("string").fillna(
                "Ikke oppgitt") == lev)).any()
    assert hid_zero > 0  # some levels with 0 answers are hidden (listed as «ikke vist»)


def test_who_answered_rows_follow_the_levels_order():
    """A trial kommune's gender table read «Mann, Vil ikke oppgi, Kvinne» (by count, then by
    first appearance): the rows follow the levels' order when they have one (age), else the
    alphabet; «Ikke oppgitt» last."""
    from soslokal_lib.app.bylab import _who

    rng = np.random.default_rng(1)
    survey = _who_survey(rng, 1, 40)
    df = survey.responses.copy()
    # as read_survey gives them: gender unordered, its categories in order of appearance
    df["gender"] = pd.Categorical(["Mann"] * 20 + ["Vil ikke oppgi"] * 8 + ["Kvinne"] * 6
                                  + [None] * 6, categories=["Mann", "Vil ikke oppgi", "Kvinne"])
    df["age_group"] = pd.Categorical(["67+"] * 20 + ["15–24"] * 10 + ["25–66"] * 10,
                                     categories=["15–24", "25–66", "67+"], ordered=True)
    import soslokal_lib as sl

    rows = _who(sl.Survey(df), "a0", None, 5, set())["rows"]
    assert [r["level"] for r in rows if r["variable"] == "Kjønn"] == [
        "Kvinne", "Mann", "Vil ikke oppgi", "Ikke oppgitt"]
    assert [r["level"] for r in rows if r["variable"] == "Alder"] == ["15–24", "25–66", "67+"]
    assert [r["n"] for r in rows if r["variable"] == "Kjønn"] == ["6", "20", "8", "6"]
