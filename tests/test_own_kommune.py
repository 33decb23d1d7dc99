"""`soslokal report` on a kommune's own files (the hand-made test kommune Elvestad), end to end.

The report is made once (module fixture, as a user runs it: the installed command in a
subprocess) and then scanned: every HTML, CSV and XLSX it writes must be free of the bundled
sample's text, of raw Python output and of absolute paths; the executed notebooks keep no
absolute path; the workbook explains every column; too few areas means no ranking; and the
command is quiet about kernel transport.
"""

from __future__ import annotations

import re
import shutil

import nbformat
import openpyxl
import pandas as pd
import pytest
from _scan import CODES, RAW_OUTPUT, ROOT, SAMPLE_TEXT, run_report
from _scan import texts as _texts
from _scan import visible as _visible

ELVESTAD = ROOT / "tests" / "fixtures" / "egenkommune"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Copy Elvestad to a temporary folder (inputs are never touched) and run
    ``soslokal report elvestad.toml --out rapport`` there, as a user would."""
    work = tmp_path_factory.mktemp("elvestad")
    inputs = work / "egenkommune"
    shutil.copytree(ELVESTAD, inputs)
    return run_report(work / "rapport", str(inputs / "elvestad.toml"), cwd=work)


def test_the_report_runs_and_says_what_it_writes(report):
    proc = report["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = {str(p.relative_to(report["out"])) for p in report["files"]}
    assert {"01_stedskompasset.html", "03_sosial_baerekraft.html", "05_representativitet.html",
            "06_innspill.html", "07_verksted.html", "politisk_verksted.html",
            "tabeller.xlsx", "data/summary.csv", "data/respondents.csv"} <= names
    # no register data, no SSB: 02 and 04 are skipped, with the reason on stderr
    assert "02_sosiookonomi.html" not in names and "04_ulikhet.html" not in names
    assert "Hopper over 04_ulikhet.ipynb: trenger levekårstall" in proc.stderr
    printed = set(proc.stdout.split())
    assert {str(report["out"] / n) for n in ("01_stedskompasset.html", "tabeller.xlsx")} <= printed


def test_no_kernel_transport_warning_and_no_traceback(report):
    err = report["proc"].stderr
    assert "without encryption" not in err and "Traceback" not in err


def test_no_sample_text_anywhere_a_person_reads(report):
    texts = _texts(report, (".html", ".csv", ".xlsx"))
    assert len(texts) >= 10
    found = {}
    for name, text in texts.items():
        hits = SAMPLE_TEXT.findall(text)
        if hits:
            found[name] = sorted(set(hits))
    assert not found


def test_no_raw_python_output_or_full_precision_numbers(report):
    found = {}
    for name, text in _texts(report, (".html", ".csv", ".xlsx")).items():
        hits = RAW_OUTPUT.findall(text)
        if hits:
            found[name] = sorted(set(hits))[:5]
    assert not found


def test_no_internal_codes_in_pages_and_workbook(report):
    # The CSVs are for machines and keep their codes (theme, area_id); people read these.
    found = {}
    for name, text in _texts(report, (".html", ".xlsx")).items():
        hits = CODES.findall(text)
        if hits:
            found[name] = sorted(set(hits))
    assert not found


def test_no_absolute_paths_in_outputs_or_executed_notebooks(report):
    roots = [r for r in report["roots"] if len(r) > 3]
    texts = _texts(report, (".html", ".csv", ".xlsx"))
    texts.update({str(p.relative_to(report["out"])): p.read_text(encoding="utf-8")
                  for p in report["files"] if p.suffix == ".ipynb"})
    assert len(texts) >= 15
    for name, text in texts.items():
        for root in roots:
            assert root not in text, (name, root)
    executed = nbformat.read(report["out"] / "executed" / "03_sosial_baerekraft.ipynb", 4)
    params = executed.metadata["papermill"]["parameters"]  # relative to executed/, run there
    assert params["config_path"] == "../../egenkommune/elvestad.toml"
    assert params["data_dir"] == "../data"
    assert params["survey_path"] == "../../egenkommune/svar_stedskompass.csv"


def test_the_report_leaves_out_installation_notes_and_dead_links(report):
    pages = {p.name: p.read_text(encoding="utf-8") for p in report["files"]
             if p.suffix == ".html"}
    for name, html in pages.items():
        text = _visible(html)
        assert "make lab" not in text and "Forutsetninger" not in text, name
        for target in re.findall(r'href="([^"#:]+\.(?:html|ipynb))"', html):
            assert target.endswith(".html") and target in pages, (name, target)
    assert "03_sosial_baerekraft.html" in pages["01_stedskompasset.html"]
    assert "04_ulikhet" not in _visible(pages["01_stedskompasset.html"])


def test_too_few_areas_for_a_ranking(report):
    # Elvestad has 5 areas and Nordre (3 answers) shows nothing; the privacy rule may hide
    # more. Fewer than 5 with results: no composite index, deciles or rank sensitivity.
    out = report["out"]
    summary = pd.read_csv(out / "data" / "summary.csv", encoding="utf-8-sig")
    shown = summary[~summary["suppressed"] & (summary["area_id"] != "total")]
    n = shown["area_id"].nunique()
    assert 1 <= n < 5 and "Nordre" not in set(shown["area_name"])
    nb03 = _visible((out / "03_sosial_baerekraft.html").read_text(encoding="utf-8"))
    assert f"Bare {n} nabolag har resultater" in nb03 and "minst 5" in nb03
    assert "Hvor robust er rangeringen" not in nb03 and "Tidel" not in nb03
    assert not (out / "data" / "sustainability_index.csv").exists()
    verksted = _visible((out / "politisk_verksted.html").read_text(encoding="utf-8"))
    assert f"Bare {n} nabolag har resultater" in verksted
    assert "Hvor sikker er rangeringen?" not in verksted


def test_sections_without_data_are_left_out_or_say_why(report):
    # Elvestad has no population figures: 05 says so once and leaves out the comparison and the
    # weighting (parts 2-4 and 6), which the executed notebook keeps.
    out = report["out"]
    page = _visible((out / "05_representativitet.html").read_text(encoding="utf-8"))
    assert "Ingen befolkningstall å sammenligne med" in page
    for gone in ("Treffer vektene målene", "Hva koster vektene", "2. Hvem svarte",
                 "4. Vektet og uvektet", "hoppes over.)", "6. Tabellene bak figurene"):
        assert gone not in page, gone
    assert "5. Hva vekting kan" in page and "Antall svar per område" in page
    executed = nbformat.read(out / "executed" / "05_representativitet.ipynb", 4)
    assert any("Treffer vektene målene" in c.source for c in executed.cells)
    # 06, part 5: the general comments (here: the untargeted «bra»/«bedre» fields) per theme
    page = (out / "06_innspill.html").read_text(encoding="utf-8")
    part = page.split("5. Generelle innspill", 1)[1].split("6. Sitater", 1)[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", part)
    assert cells and any(c.strip().isdigit() and int(c) > 0 for c in cells), part[-2000:]


def test_the_workbook_explains_every_column_and_rounds(report):
    wb = openpyxl.load_workbook(report["out"] / "tabeller.xlsx")
    about = wb.worksheets[0]
    assert about.title == "Om tabellene"
    text = "\n".join(str(v) for row in about.iter_rows(values_only=True) for v in row if v)
    assert "min_n = 5" in text and "Elvestad kommune, Stedskompasset 2026" in text
    explained = {(row[0], row[1]) for row in about.iter_rows(values_only=True)
                 if row[0] and row[1]}
    csvs = {p.stem for p in (report["out"] / "data").glob("*.csv")}
    assert len(wb.worksheets) == 1 + len(csvs)
    for ws in wb.worksheets[1:]:
        headers = [c.value for c in ws[1]]
        assert all((ws.title, h) in explained for h in headers), (ws.title, headers)
        # rounded to what the cell's number format shows («0.000», «0.0%»), never past 4
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                value = cell.value
                if isinstance(value, float):
                    fmt = cell.number_format
                    digits = len(fmt.partition(".")[2].rstrip("%")) + 2 * fmt.endswith("%")
                    assert digits <= 4 and round(value, digits) == value, (ws.title, fmt, value)
                if isinstance(value, str):
                    assert not value.startswith(("=", "+", "-", "@")), (ws.title, value)
    results = wb["Resultater per tema"]
    headers = [c.value for c in results[1]]
    assert {"Område", "Tema", "Antall svar", "Median", "Andel lave (1–3)"} <= set(headers)
    share = headers.index("Andel lave (1–3)") + 1
    assert results.cell(row=2, column=share).number_format == "0.0%"
    # the machine-readable CSV behind it: codes, at most 6 decimals, hidden cells empty
    summary = pd.read_csv(report["out"] / "data" / "summary.csv", encoding="utf-8-sig")
    hidden = summary[summary["suppressed"]]
    assert hidden["median"].isna().all() and len(hidden) >= 14
    assert set(hidden.loc[hidden["area_name"] == "Nordre", "suppression"]) == {"primary"}


def test_an_export_with_only_a_general_comment_column_gets_its_comments_page(tmp_path):
    """A very common export: one «Andre kommentarer» column and no comment per theme. Notebook 06
    crashed on it (argmax of an empty sequence); it must show the general comments instead."""
    inputs = tmp_path / "egenkommune"
    shutil.copytree(ELVESTAD, inputs)
    config = inputs / "elvestad.toml"
    text = config.read_text(encoding="utf-8").replace(
        '"Sendt inn" = false\n', '"Sendt inn" = false\n"Hva er bra med nærmiljøet ditt?" = '
        '"other"\n"Hva kan bli bedre?" = false\n').replace(
        "[privacy]", '[report]\nnotebooks = ["06_innspill.ipynb"]\n\n[privacy]')
    config.write_text(text, encoding="utf-8")
    result = run_report(tmp_path / "rapport", str(config), cwd=tmp_path)
    assert result["proc"].returncode == 0, result["proc"].stderr[-2000:]
    page = _visible((result["out"] / "06_innspill.html").read_text(encoding="utf-8"))
    assert "Andre innspill" in page or "andre innspill" in page
