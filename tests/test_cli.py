"""The ``soslokal`` command: init, check and report, with clean errors and exit codes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from soslokal_lib.app.cli import main
from soslokal_lib.app.config import TEMPLATE
from soslokal_lib.privacy import STATISTIC_COLUMNS

MINI = Path(__file__).resolve().parent / "fixtures" / "minikommune"
# Register figures for six grunnkretser of the minikommune's four delområder.
MINI_SOCIO = """\
area_id;population;households;low_income_pct;median_income_nok
99020101;100;50;10,0;500000
99020102;300;100;20,0;400000
99020201;50;20;30,5;350000
99020301;200;80;5;600000
99020401;120;60;8;450000
99020402;80;40;12;420000
"""
SOSLOKAL = Path(sys.executable).parent / "soslokal"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    return folder / "minikommune.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_writes_the_template_and_refuses_to_overwrite(tmp_path, capsys):
    code, out, _ = run(capsys, "init", str(tmp_path))
    target = tmp_path / "soslokal.toml"
    assert code == 0 and str(target) in out
    assert target.read_text(encoding="utf-8") == TEMPLATE
    target.write_text("# egen\n", encoding="utf-8")
    code, _, err = run(capsys, "init", str(tmp_path))
    assert code == 2 and "finnes fra før" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "# egen\n"
    code, _, _ = run(capsys, "init", str(tmp_path), "--force")
    assert code == 0 and target.read_text(encoding="utf-8") == TEMPLATE


def test_check_prints_what_will_be_used(mini, capsys):
    code, out, err = run(capsys, "check", str(mini))
    assert code == 0, err
    assert "Minikommune (9902)" in out
    assert "40 svar" in out and "4 områder" in out
    assert "'Spm 12' → feeling_safe" in out and "'Innsendt' → (ikke lest)" in out
    rows = {m.group(2): int(m.group(3))
            for m in re.finditer(r"^\s+(\d{8})\s+(\S+)\s+(\d+)$", out, re.M)}
    assert rows == {"Nordre": 13, "Søndre": 3, "Østre": 12, "Vestre": 12}
    # below min_n: no statistics will be shown, and check says so with the remedy
    assert "Søndre (3 svar): alle tall skjules – færre enn 5 svar (primærprikking)" in out
    assert "OK" in out


def test_check_lists_the_notebooks_that_run_and_those_skipped(mini, capsys):
    mini.write_text(mini.read_text(encoding="utf-8").replace(
        'notebooks = ["01_stedskompasset.ipynb"]\n', ""), encoding="utf-8")
    code, out, err = run(capsys, "check", str(mini))
    assert code == 0, err
    plan = out[out.index("Notatbøker:"):]
    assert re.search(r"kjøres:\s+01_stedskompasset\.ipynb", plan)
    assert re.search(r"kjøres:\s+07_verksted\.ipynb", plan)
    assert re.search(r"hoppes over:\s+02_sosiookonomi\.ipynb – .*online = false", plan)
    assert re.search(r"hoppes over:\s+04_ulikhet\.ipynb – .*\[socio\] path", plan)
    assert re.search(r"hoppes over:\s+08_endring\.ipynb – .*bare én runde", plan)
    assert "politisk_verksted.html" in plan
    assert "Grunnkretstall: ingen levekårstabell" in out


def test_check_reads_the_socio_file_and_names_a_bad_cell(mini, capsys):
    (mini.parent / "levekar.csv").write_text(MINI_SOCIO.replace("30,5", "høy"),
                                             encoding="utf-8")
    mini.write_text(mini.read_text(encoding="utf-8").replace(
        "[privacy]", '[socio]\npath = "levekar.csv"\n\n[privacy]'), encoding="utf-8")
    code, out, err = run(capsys, "check", str(mini))
    assert code == 1 and "1 problem" in err
    assert "levekar.csv: rad 4, kolonne 'D (low_income_pct)': ikke et tall" in out
    assert "Notatbøker:" not in out and "Traceback" not in out + err
    (mini.parent / "levekar.csv").write_text(MINI_SOCIO, encoding="utf-8")
    code, out, err = run(capsys, "check", str(mini))
    assert code == 0, err
    assert "Levekårstabell: 6 grunnkretser (uten grunnkretsgrenser)" in out
    assert re.search(r"kjøres:\s+01_stedskompasset\.ipynb", out)


def test_check_flags_an_unmatched_area_name(mini, capsys):
    survey = mini.parent / "svar.csv"
    text = survey.read_text(encoding="utf-8")
    survey.write_text(text.replace(",Vestre,", ",Vestre Strand,", 1), encoding="utf-8")
    code, out, err = run(capsys, "check", str(mini))
    assert code == 1
    assert re.search(r"'Vestre Strand'\s+1\s+Vestre", out)  # value, count, suggestion
    assert "passer ikke med noen kode eller navn" in out and "1 problem" in err
    assert "Traceback" not in out + err


def test_check_flags_an_unknown_report_area_before_the_report(mini, capsys):
    """A misspelt neighbourhood in ``[report] areas`` is a problem of ``check`` (in its
    language, with the closest name), not only an error late in ``report``."""
    text = mini.read_text(encoding="utf-8")
    assert "\n[report]\n" in text
    mini.write_text(text.replace("\n[report]\n", '\n[report]\nareas = ["Nordr", "søndre "]\n'),
                    encoding="utf-8")
    code, out, err = run(capsys, "check", str(mini))
    assert code == 1 and "Traceback" not in out + err
    assert "[report] areas nevner ukjente nabolag: 'Nordr' (nærmest: Nordre)" in out
    assert "'søndre '" not in out  # case and spaces do not matter
    code, out, _ = run(capsys, "--lang", "en", "check", str(mini))
    assert "[report] areas names unknown neighbourhood(s): 'Nordr' (closest: Nordre)" in out
    mini.write_text(text.replace("\n[report]\n", '\n[report]\nareas = ["Nordre", "søndre "]\n'),
                    encoding="utf-8")
    code, out, err = run(capsys, "check", str(mini))
    assert code == 0, out + err


def test_check_shows_what_each_levekar_label_is_read_as(mini, capsys):
    """`check` prints label → indicator for a sheet per area; a label the project does not
    know (here «Lavinntekt (%)», which once became «Vedvarende lavinntekt») is a problem."""
    sheet = mini.parent / "levekar.csv"
    sheet.write_text("Bydel;Innbyggere;Lavinntekt (%);Trangbodde (%)\nNordre;100;8;3\n"
                     "Søndre;50;9;4\nØstre;80;7;5\nVestre;90;6;2\n", encoding="utf-8")
    text = mini.read_text(encoding="utf-8")
    mini.write_text(text + '\n[[levekar]]\npath = "levekar.csv"\nid_column = "Bydel"\n',
                    encoding="utf-8")
    code, out, _ = run(capsys, "check", str(mini))
    assert code == 1 and "indikatoren 'Lavinntekt (%)' i arket er ikke en prosjektet" in out
    out_dir = mini.parent / "rapport"  # report stops before any notebook, in bokmål
    code, _, err = run(capsys, "report", str(mini), "--out", str(out_dir), "--quiet")
    assert code == 1 and "indikatoren 'Lavinntekt (%)' i arket" in err
    assert not (out_dir / "executed").exists()
    mini.write_text(text + '\n[[levekar]]\npath = "levekar.csv"\nid_column = "Bydel"\n'
                    '[levekar.indicators]\n"Lavinntekt (%)" = false\n', encoding="utf-8")
    code, out, err = run(capsys, "check", str(mini))
    assert code == 0, out + err
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Levekår:"))
    assert lines[at + 1:at + 3] == ["    'Innbyggere' → population (Folketall)",
                                    "    'Trangbodde (%)' → crowded_housing (Trangboddhet)"]


def test_check_reports_a_bad_survey_cell_without_traceback(mini, capsys):
    survey = mini.parent / "svar.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[5] = "9"  # Spm 1 outside the 1–7 scale
    lines[3] = ",".join(cells)
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(mini))
    assert code == 1
    assert "rad 4" in out and "'Spm 1'" in out and "skår utenfor skalaen" in out


BROKEN = {
    "missing survey table": ('[kommune]\nname = "X"\n', "[survey]"),
    "missing file": ('[kommune]\nname = "X"\n[survey]\npath = "borte.csv"\n', "borte.csv"),
    "unknown key": ('[kommune]\nname = "X"\nnavn = "Y"\n[survey]\npath = "svar.csv"\n',
                    "[kommune] navn"),
    "min_n zero": ('[kommune]\nname = "X"\n[survey]\npath = "svar.csv"\n[privacy]\nmin_n = 0\n',
                   "min_n"),
    "bad toml": ('[kommune\nname = "X"\n', "ikke gyldig TOML"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_config_exits_2_with_a_message(mini, capsys, case):
    text, expected = BROKEN[case]
    path = mini.parent / "broken.toml"
    path.write_text(text, encoding="utf-8")
    for command in ("check", "report"):
        code, out, err = run(capsys, command, str(path), "--out", str(mini.parent / "out")
                             ) if command == "report" else run(capsys, command, str(path))
        assert code == 2, (command, err)
        assert expected in err and str(path) in err
        assert "Traceback" not in out + err
    assert not (mini.parent / "out").exists()


def test_unknown_key_message_suggests_the_fix(mini, capsys):
    path = mini.parent / "broken.toml"
    path.write_text('[kommune]\nnme = "X"\n[survey]\npath = "svar.csv"\n', encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2 and "mente du 'name'" in err


def test_missing_config_file(tmp_path, capsys):
    code, _, err = run(capsys, "check", str(tmp_path / "finnes-ikke.toml"))
    assert code == 2 and "finner ikke oppsettfila" in err


def test_report_rejects_an_unknown_notebook(mini, capsys, tmp_path):
    code, _, err = run(capsys, "report", str(mini), "--out", str(tmp_path / "o"),
                       "--notebook", "99_finnes_ikke.ipynb")
    assert code == 2 and "99_finnes_ikke.ipynb" in err and "01_stedskompasset.ipynb" in err


def test_report_lists_every_problem_of_the_survey(mini, capsys, tmp_path):
    """A survey with two bad cells: `report` names both (it showed the first and «… og 1
    til»), each with its row and fix, as `check` does."""
    survey = mini.parent / "svar.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    for row, value in ((3, "9"), (5, "0")):  # Spm 1 outside the 1–7 scale, twice
        cells = lines[row].split(",")
        cells[5] = value
        lines[row] = ",".join(cells)
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "report", str(mini), "--out", str(tmp_path / "o"), "--quiet")
    assert code == 1 and "… og" not in err
    listed = [line for line in err.splitlines() if line.startswith("  - ")]
    assert "2 problemer å rette:" in err and len(listed) == 2
    assert ["rad 4" in listed[0], "(verdi '9')" in listed[0]] == [True, True]
    assert ["rad 6" in listed[1], "(verdi '0')" in listed[1]] == [True, True]
    assert all("skår utenfor skalaen" in line and "Løsning:" in line for line in listed)
    assert not (tmp_path / "o" / "01_stedskompasset.html").exists()


def test_installed_command_gives_no_traceback(tmp_path):
    if not SOSLOKAL.exists():
        pytest.skip(f"{SOSLOKAL} not installed (pip install -e .)")
    path = tmp_path / "broken.toml"
    path.write_text('[kommune]\nname = "X"\n[survey]\npath = "mangler.csv"\n', encoding="utf-8")
    proc = subprocess.run([str(SOSLOKAL), "check", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "mangler.csv" in proc.stderr


def _table_rows(html: str) -> list[list[str]]:
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


@pytest.mark.slow
def test_report_on_the_minikommune_publishes_nothing_below_min_n(mini, capsys, tmp_path):
    out_dir = tmp_path / "rapport"
    code, out, err = run(capsys, "report", str(mini), "--out", str(out_dir), "--quiet")
    assert code == 0, err
    html_path = out_dir / "01_stedskompasset.html"
    assert str(html_path) in out and html_path.is_file()
    data = out_dir / "data"
    assert {p.name for p in data.glob("*.csv")} >= {"summary.csv", "respondents.csv"}
    # no temporary files left behind; the run's list of its files (app/outputs.py) stays
    assert [p.name for p in out_dir.rglob(".*")] == [".soslokal-filer.json"]

    for csv in data.glob("*.csv"):
        table = pd.read_csv(csv, encoding="utf-8-sig", dtype=str)
        stats = [c for c in STATISTIC_COLUMNS if c in table.columns]
        if "n" in table.columns and stats:
            small = table["n"].astype(int) < 5
            assert table.loc[small, stats].isna().all().all(), csv.name
    summary = pd.read_csv(data / "summary.csv", encoding="utf-8-sig")
    sondre = summary[summary["area_name"] == "Søndre"]
    assert len(sondre) == 14 and sondre[["median", "share_low", "mean"]].isna().all().all()
    shown = summary[summary["suppression"].isna()]  # the checks above can fail: numbers exist
    assert len(shown) >= 28 and shown["median"].notna().all()
    assert shown.loc[shown["area_id"] == "total", "median"].notna().sum() == 14

    html = html_path.read_text(encoding="utf-8")
    assert "load_inputs(" not in html
    rows = [r for r in _table_rows(html) if "Søndre" in r]
    assert len(rows) >= 14
    for row in rows:  # area, theme, n, then the four statistics (no pandas index)
        assert row[2] == "3" and row[3:] == ["for få svar"] * 4, row
    assert "redd om kvelden" not in html  # Søndre's comment is never quoted
    total = [r for r in _table_rows(html) if "Hele kommunen" in r and "Trygghet" in r]
    assert total and re.fullmatch(r"\d(,5)? \(\d(,5)?–\d(,5)?\)", total[0][3])  # the median

    verksted = out_dir / "politisk_verksted.html"
    assert verksted.is_file() and str(verksted) in out
    lines = out.splitlines()  # notebooks, then the verksted, then the tables
    assert lines.index(str(verksted)) == lines.index(str(html_path)) + 1
    text = verksted.read_text(encoding="utf-8")
    assert "Minikommune" in text and "Søndre" in text
    assert "redd om kvelden" not in text and "syntetiske data" not in text.casefold()


# --- choosing notebooks -------------------------------------------------------------------------


def _plan(config_path: Path, **replace: str):
    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import plan_notebooks
    from soslokal_lib.io.inputs import load_inputs

    path = config_path
    if replace:  # a variant next to a private copy (never next to the shipped config)
        text = config_path.read_text(encoding="utf-8")
        for old, new in replace.items():
            assert old in text, old
            text = text.replace(old, new)
        path = config_path.with_name("plan.toml")
        path.write_text(text, encoding="utf-8")
    config = load_config(path)
    run, skipped = plan_notebooks(config, load_inputs(**config.input_options()))
    return [p.name for p in run], {p.name: reason for p, reason in skipped}


def test_the_sample_runs_every_notebook():
    from soslokal_lib.app.report import DEFAULT_CONFIG, default_notebooks

    run, skipped = _plan(DEFAULT_CONFIG)
    assert skipped == {}
    assert run == [p.name for p in default_notebooks()] and "02_sosiookonomi.ipynb" in run


def test_the_minikommune_skips_02_and_04_and_says_why(mini):
    run, skipped = _plan(mini)
    assert list(skipped) == ["02_sosiookonomi.ipynb", "04_ulikhet.ipynb", "08_endring.ipynb"]
    assert skipped["08_endring.ipynb"] == "oppsettet har bare én runde av undersøkelsen"
    assert "online = false" in skipped["02_sosiookonomi.ipynb"]
    assert skipped["04_ulikhet.ipynb"] == 'trenger levekårstall per grunnkrets ([socio] path = ' \
                                          '"fil.csv")'
    assert "01_stedskompasset.ipynb" in run and "06_innspill.ipynb" in run
    assert "03_sosial_baerekraft.ipynb" in run and "07_verksted.ipynb" in run
    _, skipped = _plan(mini, **{'number = "9902"\n': ""})
    assert "kommunenummer" in skipped["02_sosiookonomi.ipynb"]
    _, skipped = _plan(mini, **{"online = false": "online = true"})
    assert "[ssb] grunnkretser" in skipped["02_sosiookonomi.ipynb"]
    run, skipped = _plan(mini, **{"online = false":
                                  'online = true\ngrunnkretser = "bydeler.geojson"'})
    assert list(skipped) == ["04_ulikhet.ipynb", "08_endring.ipynb"]
    assert "02_sosiookonomi.ipynb" in run


def test_a_socio_file_lets_04_run(mini):
    (mini.parent / "levekar.csv").write_text(MINI_SOCIO, encoding="utf-8")
    run, skipped = _plan(mini, **{"[privacy]": '[socio]\npath = "levekar.csv"\n\n[privacy]'})
    assert "04_ulikhet.ipynb" in run and "04_ulikhet.ipynb" not in skipped


def test_a_survey_without_comments_skips_06(mini):
    run, skipped = _plan(mini, **{'"feeling_safe:improve"': "false"})
    assert skipped["06_innspill.ipynb"] == "undersøkelsen har ingen fritekstsvar"
    assert "06_innspill.ipynb" not in run and "05_representativitet.ipynb" in run


@pytest.mark.slow
def test_report_skips_a_notebook_it_cannot_run_with_a_note(mini, capsys, tmp_path):
    out_dir = tmp_path / "rapport"
    chosen = ("02_sosiookonomi", "05_representativitet", "06_innspill")
    code, out, err = run(capsys, "report", str(mini), "--out", str(out_dir), "--quiet",
                         *[arg for name in chosen  # a name with or without «.ipynb»
                           for arg in ("--notebook", name if "05" in name else f"{name}.ipynb")])
    assert code == 0, err
    assert "Hopper over 02_sosiookonomi.ipynb: trenger SSB-tall" in err
    assert not (out_dir / "02_sosiookonomi.html").exists()
    # 05 runs without population figures for this kommune and says so in the report.
    html = (out_dir / "05_representativitet.html").read_text(encoding="utf-8")
    assert ("Ingen befolkningstall å sammenligne med: det finnes ingen befolkningstabell for "
            "kommune 9902") in html
    # 06 writes its spreadsheet and tables under the report's data folder.
    data = out_dir / "data"
    assert (data / "innspill_verksted.xlsx").is_file()
    per_area = pd.read_csv(data / "comments_per_area.csv", encoding="utf-8-sig",
                           dtype={"area_id": str}).set_index("area_id")
    assert per_area.loc["99020200", "suppressed"] and pd.isna(per_area.loc["99020200", "improve"])
    assert per_area.loc["99020100", "improve"] == 7
    assert str(data / "comment_terms.csv") in out
    terms = pd.read_csv(data / "comment_terms.csv", encoding="utf-8-sig")
    assert (terms["comments"] >= 5).all() and "redd" not in set(terms["term"])
    assert "redd om kvelden" not in (out_dir / "06_innspill.html").read_text(encoding="utf-8")
    assert (out_dir / "politisk_verksted.html").is_file()
    assert str(out_dir / "politisk_verksted.html") in out


def test_a_failing_verksted_fails_the_report_by_name(mini, capsys, tmp_path, monkeypatch):
    import soslokal_lib.app.verksted as verksted

    def broken(*args, **kwargs):
        raise KeyError("median")

    monkeypatch.setattr(verksted, "write_verksted_report", broken)
    notebook = tmp_path / "09_tom.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
                        encoding="utf-8")
    out_dir = tmp_path / "rapport"
    code, out, err = run(capsys, "report", str(mini), "--out", str(out_dir), "--quiet",
                         "--notebook", str(notebook))
    assert code == 1
    assert "politisk_verksted.html feilet: KeyError: 'median'" in err  # the CLI speaks bokmål
    assert "(den andre HTML-filen ble skrevet)" in err and "Traceback" not in err
    assert (out_dir / "09_tom.html").is_file() and not (out_dir / "politisk_verksted.html").exists()
    assert (out_dir / "data" / "summary.csv").is_file()


def test_the_areas_need_wants_a_boundary_file(mini):
    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import NEEDS
    from soslokal_lib.io.inputs import load_inputs

    text = mini.read_text(encoding="utf-8")
    areas = text[text.index("[areas]"):text.index("[privacy]")]
    bare = mini.with_name("bare.toml")
    bare.write_text(text.replace(areas, "").replace('number = "9902"\n', ""), encoding="utf-8")
    config = load_config(bare)
    inputs = load_inputs(**config.input_options())
    assert NEEDS["areas"](config, inputs) == "trenger en grensefil for områdene ([areas] path)"
    assert NEEDS["ssb"](config, inputs).endswith("([kommune] number)")
    assert NEEDS["comments"](config, inputs) is None  # the feeling_safe comments count
    assert NEEDS["areas"](load_config(mini), inputs) is None


def test_check_lists_the_sample_rounds(capsys):
    from soslokal_lib.app.report import DEFAULT_CONFIG

    code, out, err = run(capsys, "check", str(DEFAULT_CONFIG))
    assert code == 0, err
    assert ("runder 2021 (stedskompass_fjordvik_2021.csv), 2025 (stedskompass_fjordvik.csv); "
            "hovedrunden er 2025") in out
    assert re.search(r"kjøres:\s+08_endring\.ipynb", out[out.index("Notatbøker:"):])


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGTERM")
def test_stopping_the_dashboard_stops_its_server(tmp_path):
    """`kill` on `soslokal dashboard` left Voilà and its kernel holding the port; the command
    now stops its child when it is stopped (here a stand-in child that would sleep a minute)."""
    import os
    import signal
    import time

    child = "import os, time; print(os.getpid(), flush=True); time.sleep(60)"
    parent = subprocess.Popen(
        [sys.executable, "-c", "import sys; from soslokal_lib.app.cli import run_until_stopped; "
         f"sys.exit(run_until_stopped([sys.executable, '-c', {child!r}]))"],
        stdout=subprocess.PIPE, text=True)
    pid = int(parent.stdout.readline())
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=20) == 130
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the child outlived the dashboard command")


def test_check_and_report_agree_on_a_levekar_sheet_with_merged_areas(tmp_path, capsys):
    """A sheet per neighbourhood of the boundary file and ``merge``: `check` said OK and
    `report` stopped at once («sonene 'Nordre', 'Østsiden og Nordre' i arket er ikke
    områder»). Both read the sheet for the merged areas now; what `report` refuses over the
    sheet (here: rates of a merged area without a population to weigh them) `check` names."""
    from _elvestad_levekar import elvestad

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import config_inputs
    from soslokal_lib.indicators.levekar_data import read_levekar_data

    config = elvestad(tmp_path / "ok", areas='merge = { "Nordre" = "Østsiden" }')
    code, out, err = run(capsys, "check", str(config))
    assert code == 0 and "OK: klar for" in out, out + err
    loaded = load_config(config)  # the report's first step, which stopped it
    data = read_levekar_data(loaded.to_parameters()["levekar"], config_inputs(loaded))
    assert data.values.loc["Østsiden", "population"] == 740
    bad = elvestad(tmp_path / "bad", areas='merge = { "Nordre" = "Østsiden" }',
                   sheet="Nabolag;Husholdninger;Vedvarende lavinntekt (%)\nSentrum;500;8\n"
                         "Vestbyen;400;9\nØstsiden;300;9\nElvebredden;350;9\nNordre;20;9\n")
    code, out, _ = run(capsys, "check", str(bad))
    assert code == 1 and "«Østsiden og Nordre» er slått sammen av flere områder (Østsiden, " \
        "Nordre), og andelene deres ('Vedvarende lavinntekt (%)')" in out
    assert "Løsning: legg til en kolonne «Innbyggere»" in out
    code, _, err = run(capsys, "report", str(bad), "--out", str(tmp_path / "o"), "--quiet")
    assert code == 1 and "«Østsiden og Nordre» er slått sammen av flere områder" in err
    assert not (tmp_path / "o" / "executed").exists()


def test_check_notes_a_merged_area_the_sheet_cannot_give_figures_for(tmp_path, capsys):
    from _elvestad_levekar import SHEET, elvestad

    sheet = "".join(line for line in SHEET.splitlines(keepends=True)
                    if not line.startswith("Nordre"))
    config = elvestad(tmp_path / "e", areas='merge = { "Nordre" = "Østsiden" }', sheet=sheet)
    code, out, err = run(capsys, "check", str(config))
    assert code == 0, out + err
    assert "arket har ingen rad for «Nordre», som er slått sammen til «Østsiden og Nordre»" in out


def test_init_names_the_command_as_the_user_can_run_it(tmp_path, capsys, monkeypatch):
    """A new user ran ``.venv/bin/soslokal init`` and was told «sjekk oppsettet med: soslokal
    check …», which was not on their PATH: the hint now repeats the path they used."""
    import shutil

    monkeypatch.setattr(sys, "argv", [".venv/bin/soslokal", "init"])
    monkeypatch.setattr(shutil, "which", lambda name: None)
    _, out, _ = run(capsys, "init", str(tmp_path / "a"))
    assert f".venv/bin/soslokal check {tmp_path / 'a' / 'soslokal.toml'}" in out
    monkeypatch.setattr(sys, "argv", ["/usr/bin/soslokal", "init"])
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/soslokal")
    _, out, _ = run(capsys, "init", str(tmp_path / "b"))
    assert "med:  soslokal check" in out
