"""Tests for soslokal_lib.io.survey.read_survey: formats, encodings, headers and bad input."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from soslokal_lib import SurveyFormatError
from soslokal_lib.io.survey import read_survey
from soslokal_lib.themes import THEME_CODES, THEMES

BASE = ["Respondent-ID", "Tidspunkt", "Hvilket område bor du i?", "Alder", "Kjønn"]
THEME_HEADERS = [f"{t.number}. {t.name_nb}" for t in THEMES]
COMMENT_HEADERS = ["1. Å bevege seg rundt – Hva er bra nå?",
                   "1. Å bevege seg rundt – Hva kan bli bedre?",
                   "12. Trygghet – Hva kan bli bedre?", "Andre kommentarer"]
HEADER = BASE + THEME_HEADERS + COMMENT_HEADERS
COL = {h: i for i, h in enumerate(HEADER)}


def make_rows(n: int = 4) -> list[list[str]]:
    """``n`` respondents; respondent i scores (i % 7) + 1 on every theme."""
    areas = ["Sentrum", "Østbyen", "Sentrum", "Åsen"]
    ages = ["67+", "16–24", "Under 16", "25-44"]
    genders = ["Kvinne", "Mann", "Kvinne", "Annet"]
    rows = []
    for i in range(n):
        row = [f"R{i + 1:03d}", "2024-05-02 10:00", areas[i % 4], ages[i % 4], genders[i % 4]]
        row += [str(i % 7 + 1)] * 14
        row += [f"Fin sti {i}" if i % 2 == 0 else "", "Mer lys" if i == 1 else "", "", ""]
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, sep: str = ";",
              encoding: str = "utf-8", newline: str = "\n") -> Path:
    def quote(cell: str) -> str:
        if any(ch in cell for ch in (sep, '"', "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    text = newline.join(sep.join(quote(c) for c in r) for r in [header, *rows]) + newline
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER,
               titles: tuple[str, ...] = (), sheet: str = "Svar",
               cover: str | None = None) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    if cover:
        ws.title = cover
        ws["A1"] = "Stedskompasset – resultater"
        ws = book.create_sheet(sheet)
    else:
        ws.title = sheet
    for title in titles:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def with_cell(rows: list[list[str]], index: int, header: str, value: str) -> list[list[str]]:
    out = [list(r) for r in rows]
    out[index][COL[header]] = value
    return out


def read(path: Path, **kwargs):
    """read_survey with the expected 'Tidspunkt' warning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_survey(path, **kwargs)


def error_text(path: Path, **kwargs) -> str:
    with pytest.raises(SurveyFormatError) as info:
        read(path, **kwargs)
    return str(info.value)


# --- formats ------------------------------------------------------------------------------------


def test_reads_semicolon_utf8_csv(tmp_path):
    survey = read(write_csv(tmp_path / "svar.csv", make_rows()))
    r = survey.responses
    assert list(r.index) == ["R001", "R002", "R003", "R004"]
    assert r["area_id"].tolist() == ["Sentrum", "Østbyen", "Sentrum", "Åsen"]
    assert r["moving_around"].tolist() == [1, 2, 3, 4]
    assert all(str(r[c].dtype) == "Int8" for c in THEME_CODES)
    assert survey.themes == list(THEME_CODES)
    assert survey.meta["encoding"] == "utf-8" and survey.meta["delimiter"] == ";"
    assert survey.meta["columns"]["Hvilket område bor du i?"] == "area_id"
    assert survey.meta["columns"]["12. Trygghet"] == "feeling_safe"
    assert survey.meta["changes"] == []


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_sniffs_delimiter(tmp_path, sep):
    survey = read(write_csv(tmp_path / "svar.csv", make_rows(), sep=sep))
    assert survey.meta["delimiter"] == sep
    assert survey.responses["influence_control"].tolist() == [1, 2, 3, 4]


def test_sniffs_semicolon_when_headers_contain_commas(tmp_path):
    header = [*HEADER[:-1], "Andre kommentarer, innspill og ros"]
    rows = make_rows()
    survey = read(write_csv(tmp_path / "svar.csv", rows, header=header,
                            sep=";"), columns={"Andre kommentarer, innspill og ros": "other"})
    assert survey.meta["delimiter"] == ";"


@pytest.mark.parametrize(("encoding", "recorded"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")])
def test_encodings(tmp_path, encoding, recorded):
    survey = read(write_csv(tmp_path / "svar.csv", make_rows(), encoding=encoding,
                            newline="\r\n"))
    assert survey.meta["encoding"] == recorded
    assert survey.meta["columns"]["Kjønn"] == "gender"  # no BOM or mojibake in headers
    assert survey.meta["columns"]["Respondent-ID"] == "respondent_id"
    assert survey.responses["area_id"].tolist()[1] == "Østbyen"


def test_utf16_unicode_text_from_excel(tmp_path):
    survey = read(write_csv(tmp_path / "svar.txt", make_rows(), sep="\t", encoding="utf-16"))
    assert survey.meta["encoding"] == "utf-16"
    assert survey.responses["area_id"].iloc[3] == "Åsen"


def test_explicit_delimiter_and_encoding(tmp_path):
    path = write_csv(tmp_path / "svar.csv", make_rows(), sep="\t", encoding="cp1252")
    survey = read(path, delimiter="\t", encoding="cp1252")
    assert survey.meta["delimiter"] == "\t" and survey.meta["encoding"] == "cp1252"
    assert survey.responses["gender"].tolist()[1] == "Mann"


def test_excel_sep_directive_line(tmp_path):
    path = tmp_path / "svar.csv"
    write_csv(path, make_rows(), sep=",")
    path.write_bytes(b"sep=,\n" + path.read_bytes())
    survey = read(path)
    assert survey.meta["delimiter"] == ","
    assert len(survey.responses) == 4


def test_xlsx_with_title_rows_and_numeric_cells(tmp_path):
    rows: list[list[object]] = [list(r) for r in make_rows()]
    rows[0][COL["2. Kollektivtransport"]] = 6          # an int cell
    rows[1][COL["3. Trafikk og parkering"]] = 5.0      # a float cell
    rows[2][COL["Respondent-ID"]] = 1003               # a numeric id
    path = write_xlsx(tmp_path / "svar.xlsx", rows,
                      titles=("Stedskompasset Eksempel kommune", "Eksportert 2024-05-10"))
    survey = read(path)
    assert survey.meta["format"] == "xlsx" and survey.meta["sheet"] == "Svar"
    assert survey.meta["header_row"] == 3
    assert [c["row"] for c in survey.meta["changes"]] == [1, 2]
    assert all(c["action"] == "skipped" for c in survey.meta["changes"])
    assert survey.responses["public_transport"].iloc[0] == 6
    assert survey.responses["traffic_parking"].iloc[1] == 5
    assert survey.responses.index[2] == "1003"


def test_xlsx_error_names_real_sheet_row(tmp_path):
    rows = with_cell(make_rows(), 1, "5. Natur og grøntområder", "9")
    path = write_xlsx(tmp_path / "svar.xlsx", rows, titles=("Tittel", ""))
    text = error_text(path)
    # title, blank, header on row 3, data from row 4: the second respondent is on row 5
    assert "svar.xlsx" in text and "row 5" in text
    assert "'5. Natur og grøntområder'" in text and "'9'" in text


def test_xlsx_header_found_among_many_unknown_columns(tmp_path):
    extra = [f"Metadata {i}" for i in range(30)]
    rows = [[*r, *["x"] * 30] for r in make_rows()]
    path = write_xlsx(tmp_path / "svar.xlsx", rows, header=[*HEADER, *extra],
                      titles=("Trygghet og trivsel i Eksempel kommune",))
    survey = read(path)
    assert survey.meta["header_row"] == 2
    assert len(survey.meta["unmatched_columns"]) == 31  # Tidspunkt and the 30 extras
    assert survey.responses["feeling_safe"].tolist() == [1, 2, 3, 4]


def test_csv_blank_lines_above_header_shift_rows(tmp_path):
    path = write_csv(tmp_path / "svar.csv", with_cell(make_rows(), 0, "12. Trygghet", "x"))
    path.write_bytes(b"\r\n\r\n" + path.read_bytes())
    text = error_text(path)
    assert "row 4" in text and "'12. Trygghet'" in text


def test_xlsx_sheet_by_name_index_and_auto(tmp_path):
    path = write_xlsx(tmp_path / "svar.xlsx", make_rows(), cover="Forside")
    assert read(path).meta["sheet"] == "Svar"  # the cover page is skipped
    assert read(path, sheet=1).meta["sheet"] == "Svar"
    assert read(path, sheet="svar").meta["sheet"] == "Svar"
    text = error_text(path, sheet="Resultater")
    assert "Resultater" in text and "'Forside'" in text and "'Svar'" in text


# --- scores -------------------------------------------------------------------------------------


def test_labelled_scores_and_missing_tokens(tmp_path):
    rows = make_rows()
    header = "4. Gater og offentlige rom"
    labelled = ["5 - noe", "7 - Lite å forbedre", "1 – Mye å forbedre", "3. Middels"]
    for i, value in enumerate(labelled):
        rows = with_cell(rows, i, header, value)
    for i, value in enumerate(["Vet ikke", "IKKE RELEVANT", "", " vet  ikke "]):
        rows = with_cell(rows, i, "6. Lek og rekreasjon", value)
    survey = read(write_csv(tmp_path / "svar.csv", rows))
    assert survey.responses["streets_spaces"].tolist() == [5, 7, 1, 3]
    assert survey.responses["play_recreation"].isna().all()
    assert survey.meta["missing_tokens_count"]["play_recreation"] == {
        "vet ikke": 2, "ikke relevant": 1, "(blank)": 1}
    assert survey.meta["missing_tokens_count"]["streets_spaces"] == {}


def test_custom_missing_tokens_and_excel_float(tmp_path):
    rows = with_cell(make_rows(), 0, "2. Kollektivtransport", "0")
    rows = with_cell(rows, 1, "2. Kollektivtransport", "6.0")
    survey = read(write_csv(tmp_path / "svar.csv", rows), missing_tokens=["0"])
    assert survey.responses["public_transport"].isna().tolist() == [True, False, False, False]
    assert survey.responses["public_transport"].iloc[1] == 6
    assert survey.meta["missing_tokens_count"]["public_transport"] == {"0": 1}


def test_missing_tokens_add_to_the_standard_ones_as_the_config_does(tmp_path):
    """Issue: ``missing_tokens=["Ingen mening"]`` replaced the standard words, so every «Vet
    ikke» became an error; the fix text named ``sl.DEFAULT_MISSING_TOKENS``, which did not
    exist. Now the words add to the standard ones; ``replace_missing_tokens=True`` replaces."""
    import soslokal_lib as sl

    rows = with_cell(make_rows(), 0, "2. Kollektivtransport", "Ingen mening")
    rows = with_cell(rows, 1, "2. Kollektivtransport", "Vet ikke")
    path = write_csv(tmp_path / "svar.csv", rows)
    fix = error_text(path)  # «Ingen mening» is no score: the fix says what to pass
    assert "missing_tokens=['<word>']" in fix and "DEFAULT_MISSING_TOKENS" not in fix
    survey = read(path, missing_tokens=["Ingen mening"])
    assert survey.responses["public_transport"].isna().tolist() == [True, True, False, False]
    assert survey.meta["missing_tokens_count"]["public_transport"] == {"ingen mening": 1,
                                                                      "vet ikke": 1}
    assert survey.meta["missing_tokens"] == sorted({"", "ingen mening", *(
        t.casefold() for t in sl.DEFAULT_MISSING_TOKENS)})
    # the config's way (every word spelled out) reads the same
    both = read(path, missing_tokens=[*sl.DEFAULT_MISSING_TOKENS, "Ingen mening"])
    assert both.meta["missing_tokens_count"] == survey.meta["missing_tokens_count"]
    assert "vet ikke" in sl.DEFAULT_MISSING_TOKENS and "DEFAULT_MISSING_TOKENS" in dir(sl)
    # replacing: «Vet ikke» is then no "no answer" word, so not a score either
    text = error_text(path, missing_tokens=["Ingen mening"], replace_missing_tokens=True)
    assert "row 3" in text and "'Vet ikke'" in text and "'Ingen mening'" not in text


@pytest.mark.parametrize("value", ["0", "8", "12"])
def test_score_outside_scale(tmp_path, value):
    rows = with_cell(make_rows(), 2, "3. Trafikk og parkering", value)
    text = error_text(write_csv(tmp_path / "svar.csv", rows))
    assert text.startswith(str(tmp_path / "svar.csv"))
    assert "row 4" in text and "'3. Trafikk og parkering'" in text and f"'{value}'" in text
    assert "outside the scale 1–7" in text and "Fix:" in text
    assert "more" not in text


@pytest.mark.parametrize("value", ["mye", "5.5", "5,5", "fem", "-1", "5 - 6"])
def test_words_and_decimals_are_not_scores(tmp_path, value):
    rows = with_cell(make_rows(), 0, "10. Sosial kontakt", value)
    text = error_text(write_csv(tmp_path / "svar.csv", rows))
    assert "svar.csv" in text and "row 2" in text and "'10. Sosial kontakt'" in text
    assert repr(value) in text and "not a score" in text


def test_several_problems_first_in_file_order_then_count(tmp_path):
    rows = with_cell(make_rows(), 3, "1. Å bevege seg rundt", "9")
    rows = with_cell(rows, 1, "14. Innflytelse og medvirkning", "x")
    rows = with_cell(rows, 1, "2. Kollektivtransport", "0")
    text = error_text(write_csv(tmp_path / "svar.csv", rows))
    assert "row 3, column '2. Kollektivtransport'" in text
    assert text.endswith("… and 2 more")


def test_childrens_three_point_scale(tmp_path):
    rows = [[*r[:5], *(["3 - bra"] * 14), *r[19:]] for r in make_rows()]
    survey = read(write_csv(tmp_path / "barn.csv", rows), scale=3)
    assert survey.scale == 3 and survey.meta["scale"] == 3
    assert (survey.responses["feeling_safe"] == 3).all()
    bad = with_cell(rows, 0, "12. Trygghet", "4")
    text = error_text(write_csv(tmp_path / "barn2.csv", bad), scale=3)
    assert "1–3" in text and "'12. Trygghet'" in text and "row 2" in text
    with pytest.raises(SurveyFormatError, match="scale=5"):
        read(tmp_path / "barn.csv", scale=5)


# --- files that are not survey tables -----------------------------------------------------------


def test_empty_and_header_only_files(tmp_path):
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    assert "tom.csv" in error_text(empty) and "empty" in error_text(empty)
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf\r\n")
    assert "empty" in error_text(bom)
    only = write_csv(tmp_path / "hode.csv", [])
    assert "no data rows" in error_text(only)


@pytest.mark.parametrize(("name", "content", "phrase"), [
    ("rapport.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    ("svar.json", b'{"respondents": [{"id": 1, "score": 5}]}', "JSON"),
    ("bilde.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("gammel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
    ("side.csv", b"<!DOCTYPE html><html><body>Not found</body></html>", "HTML"),
    ("falsk.xlsx", b"PK\x03\x04" + b"\x00" * 40, "Excel workbook"),
])
def test_files_that_are_not_tables(tmp_path, name, content, phrase):
    path = tmp_path / name
    path.write_bytes(content)
    text = error_text(path)
    assert name in text and phrase in text and "Fix:" in text


def test_missing_file(tmp_path):
    assert "not found" in error_text(tmp_path / "finnes-ikke.csv")


# --- delimiters and encodings gone wrong --------------------------------------------------------


def test_wrong_explicit_delimiter(tmp_path):
    path = write_csv(tmp_path / "svar.csv", make_rows(), sep=";")
    text = error_text(path, delimiter=",")
    assert "svar.csv" in text and "row 1" in text and "delimiter=';'" in text


def test_header_in_one_column(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Respondent-ID Område Trygghet\nR1 Sentrum 5\n", encoding="utf-8")
    text = error_text(path)
    assert "liste.csv" in text and "single column" in text and "delimiter" in text


def test_row_with_another_delimiter(tmp_path):
    path = write_csv(tmp_path / "svar.csv", make_rows(), sep=";")
    bad = ",".join(make_rows(5)[4])
    path.write_bytes(path.read_bytes() + bad.encode() + b"\n")
    text = error_text(path)
    assert "row 6" in text and "another delimiter" in text and "svar.csv" in text


def test_row_with_too_many_cells(tmp_path):
    rows = make_rows()
    rows[1] = [*rows[1], "ekstra"]
    text = error_text(write_csv(tmp_path / "svar.csv", rows))
    assert "row 3" in text and "cells but the header has" in text


def test_mixed_encodings_name_first_bad_row(tmp_path):
    path = tmp_path / "blandet.csv"
    head = write_csv(tmp_path / "a.csv", make_rows(3)).read_bytes()
    extra = write_csv(tmp_path / "b.csv", make_rows(4)[3:], encoding="cp1252").read_bytes()
    path.write_bytes(head + extra.split(b"\n", 1)[1])  # cp1252 row appended to a UTF-8 file
    text = error_text(path)
    assert "blandet.csv" in text and "row 5" in text and "mixes encodings" in text
    assert "Fix:" in text


def test_mixed_encoding_row_counted_after_multiline_comment(tmp_path):
    rows = make_rows(3)
    rows[0][COL["Andre kommentarer"]] = "første linje\nandre linje"
    head = write_csv(tmp_path / "a.csv", rows).read_bytes()
    extra = write_csv(tmp_path / "b.csv", make_rows(4)[3:], encoding="cp1252").read_bytes()
    path = tmp_path / "blandet.csv"
    path.write_bytes(head + extra.split(b"\n", 1)[1])
    assert "row 5" in error_text(path)


def test_mixed_encoding_far_down_a_long_file(tmp_path):
    """Past the 64 KiB the fast path sniffs, UTF-8 is checked on each column's distinct values:
    a cp1252 cell there still sends the file to the full check, which names its row."""
    for header in ("Hvilket område bor du i?", "Respondent-ID"):
        rows = make_rows(4000)
        rows[3500][COL[header]] = "Ørneredet"
        clean = write_csv(tmp_path / "a.csv", rows[:3500]).read_bytes()
        bad = write_csv(tmp_path / "b.csv", rows[3500:], encoding="cp1252").read_bytes()
        path = tmp_path / "blandet.csv"
        path.write_bytes(clean + bad.split(b"\n", 1)[1])
        assert len(clean) > 1 << 16
        text = error_text(path)
        assert "row 3502" in text and "mixes encodings" in text, header


@pytest.mark.parametrize("ids", ["R{:03d}", "{}"])
def test_sorted_ids_read_without_hashing_and_a_repeat_still_found(tmp_path, monkeypatch, ids):
    """Ids in increasing order (as text, or as numbers: «R999» before «R1000») are taken as
    distinct without hashing them; one repeated id breaks the order and is reported."""
    from soslokal_lib.io import _columns

    monkeypatch.setattr(_columns, "_SAMPLE_ROWS", 50)
    rows = make_rows(1200)
    for i, row in enumerate(rows):
        row[COL["Respondent-ID"]] = ids.format(i + 1)
    survey = read(write_csv(tmp_path / "svar.csv", rows))
    assert survey.responses.index.tolist() == [ids.format(i + 1) for i in range(1200)]
    rows[1100][COL["Respondent-ID"]] = ids.format(990)
    text = error_text(write_csv(tmp_path / "svar.csv", rows))
    assert "row 1102" in text and repr(ids.format(990)) in text and "row 991" in text


# --- rows ---------------------------------------------------------------------------------------


def test_missing_area_value_is_kept_without_an_area(tmp_path):
    rows = with_cell(make_rows(), 2, "Hvilket område bor du i?", "")
    survey = read_survey(write_csv(tmp_path / "svar.csv", rows))
    area = survey.responses["area_id"]
    assert area.isna().tolist() == [i == 2 for i in range(len(rows))]
    assert survey.meta["n_without_area"] == 1


def test_duplicate_respondent_ids(tmp_path):
    rows = with_cell(make_rows(), 3, "Respondent-ID", "R002")
    text = error_text(write_csv(tmp_path / "svar.csv", rows))
    assert "row 5" in text and "'Respondent-ID'" in text and "'R002'" in text
    assert "also on row 3" in text


def test_without_id_column_rows_are_ids(tmp_path):
    rows = [r[1:] for r in make_rows()]
    survey = read(write_csv(tmp_path / "svar.csv", rows, header=HEADER[1:]))
    assert list(survey.responses.index) == ["2", "3", "4", "5"]
    assert survey.meta["respondent_id_source"].startswith("row numbers")
    assert survey.comments["respondent_id"].iloc[0] == "2"


def test_blank_rows_are_dropped_recorded_and_counted(tmp_path):
    path = tmp_path / "svar.csv"
    rows = make_rows()
    lines = [";".join(HEADER), ";".join(rows[0]), "", ";" * (len(HEADER) - 1),
             *(";".join(r) for r in rows[1:])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    survey = read(path)
    assert len(survey.responses) == 4
    assert [(c["row"], c["action"]) for c in survey.meta["changes"]] == [
        (3, "dropped"), (4, "dropped")]
    bad = path.read_text(encoding="utf-8").replace("R003;2024-05-02 10:00;Sentrum",
                                                   "R001;2024-05-02 10:00;Sentrum")
    path.write_text(bad, encoding="utf-8")
    assert "row 6" in error_text(path)  # the third respondent, after two blank rows


def test_input_file_is_not_modified(tmp_path):
    for path in (write_csv(tmp_path / "svar.csv", make_rows(), encoding="cp1252"),
                 write_xlsx(tmp_path / "svar.xlsx", make_rows(), titles=("Tittel",))):
        before = path.read_bytes()
        stat = path.stat()
        survey = read(path)
        assert path.read_bytes() == before
        assert path.stat().st_mtime_ns == stat.st_mtime_ns
        assert survey.meta["sha256"] == hashlib.sha256(before).hexdigest()
        assert survey.meta["source"] == str(path)


# --- headers ------------------------------------------------------------------------------------


def test_english_and_numbered_aliases(tmp_path):
    english = ["Response ID", "Neighbourhood", "Age group", "Gender", "Weight"]
    themes = [f"{t.number}. {t.name_en}" for t in THEMES]
    themes[2] = "Spm 3 – Traffic and parking"
    themes[6] = "Facilities and amenities"   # 2015 name
    themes[9] = "Q10 Social contact"          # 2015 name, numbered
    comments = ["Moving around - What is good?", "Feeling safe: What could be improved?",
                "Other comments"]
    header = english + themes + comments
    rows = [[f"A{i}", "North", "25-44", "Woman", "1.5", *[str(i + 2)] * 14, "", "dark", "ok"]
            for i in range(3)]
    survey = read(write_csv(tmp_path / "en.csv", rows, header=header, sep=","))
    assert survey.themes == list(THEME_CODES)
    assert survey.meta["columns"]["Spm 3 – Traffic and parking"] == "traffic_parking"
    assert survey.meta["columns"]["Facilities and amenities"] == "facilities_services"
    assert survey.meta["columns"]["Q10 Social contact"] == "social_interaction"
    assert survey.meta["columns"]["Feeling safe: What could be improved?"] == \
        "feeling_safe:improve"
    assert survey.responses["weight"].tolist() == [1.5, 1.5, 1.5]
    assert set(survey.comments["theme"]) == {"feeling_safe", "other"}


def test_unmatched_columns_warn_and_are_listed(tmp_path):
    header = [*HEADER, "Postnumer"]
    rows = [[*r, "1234"] for r in make_rows()]
    with pytest.warns(UserWarning, match="Tidspunkt") as record:
        survey = read_survey(write_csv(tmp_path / "svar.csv", rows, header=header))
    assert "Postnumer" in str(record[0].message)
    unmatched = {u["column"]: u for u in survey.meta["unmatched_columns"]}
    assert set(unmatched) == {"Tidspunkt", "Postnumer"}
    assert unmatched["Tidspunkt"]["position"] == "B"
    assert "Postnumer" not in survey.meta["columns"]


def test_unknown_theme_column_gets_suggestion(tmp_path):
    header = [h if h != "7. Tjenester og tilbud" else "Tjenster og tilbud" for h in HEADER]
    text = error_text(write_csv(tmp_path / "svar.csv", make_rows(), header=header))
    assert "svar.csv" in text and "row 1" in text and "'Tjenster og tilbud'" in text
    assert "did you mean 'Tjenester og tilbud' (facilities_services)" in text
    # Numbered in the standard order, the misspelt header is read by its number.
    header = [h if h != "7. Tjenester og tilbud" else "7. Tjenster og tilbud" for h in HEADER]
    survey = read(write_csv(tmp_path / "svar2.csv", make_rows(), header=header))
    assert survey.meta["columns"]["7. Tjenster og tilbud"] == "facilities_services"


def test_missing_theme_columns_and_subset(tmp_path):
    keep = [i for i, h in enumerate(HEADER)
            if h not in ("8. Arbeid og lokal økonomi", "13. Vedlikehold og stell")]
    rows = [[r[i] for i in keep] for r in make_rows()]
    path = write_csv(tmp_path / "svar.csv", rows, header=[HEADER[i] for i in keep])
    text = error_text(path)
    assert "2 theme column(s) are missing" in text
    assert "Arbeid og lokal økonomi (work_economy)" in text and "care_maintenance" in text
    assert "themes=" in text
    subset = ["Trygghet", "moving_around", 12, "Natural space"]
    survey = read(path, themes=subset)
    assert survey.themes == ["moving_around", "natural_space", "feeling_safe"]
    assert "public_transport" not in survey.responses.columns
    assert "2. Kollektivtransport" in survey.meta["ignored_columns"]
    assert set(survey.comments["theme"]) <= {"moving_around", "feeling_safe", "other"}


def test_missing_area_column(tmp_path):
    rows = [[*r[:2], *r[3:]] for r in make_rows()]
    header = [*HEADER[:2], *HEADER[3:]]
    text = error_text(write_csv(tmp_path / "svar.csv", rows, header=header))
    assert "which area" in text and "area_id" in text


def test_two_columns_for_the_same_name(tmp_path):
    header = [*HEADER, "Bydel"]
    rows = [[*r, "Vest"] for r in make_rows()]
    text = error_text(write_csv(tmp_path / "svar.csv", rows, header=header))
    assert "'Hvilket område bor du i?' and 'Bydel'" in text and "columns={'Bydel': None}" in text


def test_columns_override(tmp_path):
    header = ["nr", "sone", "aldersgr", *[f"Q{i}" for i in range(1, 15)], "Q1_pos", "fritekst",
              "vekt2"]
    rows = [[f"{i}", "0301", "30-39", *[str(i + 1)] * 14, "", "takk", "2"] for i in range(3)]
    mapping = {"nr": "respondent_id", "sone": "area_id", "aldersgr": "age_group",
               **{f"Q{i}": THEME_CODES[i - 1] for i in range(1, 15)},
               "Q1_pos": "moving_around:good", "fritekst": "comments:other", "vekt2": None}
    mapping["Q12"] = "Trygghet"  # a theme name is accepted and recorded as its code
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        survey = read_survey(write_csv(tmp_path / "egen.csv", rows, header=header),
                             columns=mapping)
    assert survey.meta["columns"]["Q12"] == "feeling_safe"
    assert survey.meta["columns"]["vekt2"] is None
    assert "weight" not in survey.responses.columns
    assert survey.responses["area_id"].tolist() == ["0301"] * 3  # leading zero kept
    assert survey.responses["feeling_safe"].tolist() == [1, 2, 3]
    assert survey.comments["kind"].tolist() == ["other"] * 3


def test_columns_override_beats_alias(tmp_path):
    header = [*HEADER, "Trygghet i nabolaget"]
    rows = [[*r, "2"] for r in make_rows()]
    survey = read(write_csv(tmp_path / "svar.csv", rows, header=header),
                  columns={"Trygghet i nabolaget": "feeling_safe"})
    assert survey.responses["feeling_safe"].tolist() == [2, 2, 2, 2]
    notes = [u for u in survey.meta["unmatched_columns"] if u["column"] == "12. Trygghet"]
    assert notes and "already read" in notes[0]["note"]


def test_columns_names_absent_header_or_bad_target(tmp_path):
    path = write_csv(tmp_path / "svar.csv", make_rows())
    text = error_text(path, columns={"Omrade": "area_id"})
    assert "svar.csv" in text and "'Omrade'" in text and "not in the file" in text
    text = error_text(path, columns={"Alder": "alder_gruppe"})
    assert "'alder_gruppe'" in text and "age_group" in text


# --- values -------------------------------------------------------------------------------------


def test_area_codes(tmp_path):
    codes = {"sentrum": "30010101", "ØSTBYEN ": "30010102", "Åsen": "30010103"}
    path = write_csv(tmp_path / "svar.csv", make_rows())
    survey = read(path, area_codes=codes)
    assert survey.responses["area_id"].tolist() == ["30010101", "30010102", "30010101",
                                                    "30010103"]
    assert survey.meta["area_codes"] == codes
    text = error_text(path, area_codes={"Sentrum": "1", "Østbyen": "2", "Aasen": "3"})
    assert "row 5" in text and "'Åsen'" in text and "area_codes" in text
    assert "did you mean 'Aasen'" in text


def test_background_categoricals(tmp_path):
    rows = with_cell(make_rows(), 3, "Kjønn", "Vil ikke svare")
    survey = read(write_csv(tmp_path / "svar.csv", rows))
    age = survey.responses["age_group"]
    assert age.cat.ordered
    assert list(age.cat.categories) == ["Under 16", "16–24", "25-44", "67+"]
    gender = survey.responses["gender"]
    assert not gender.cat.ordered and list(gender.cat.categories) == ["Kvinne", "Mann"]
    assert gender.isna().tolist() == [False, False, False, True]
    assert survey.meta["missing_tokens_count"]["gender"] == {"vil ikke svare": 1}


def test_weights(tmp_path):
    header = [*HEADER, "Vekt"]
    rows = [[*r, w] for r, w in zip(make_rows(), ["1,25", "0.5", "2", "1"], strict=True)]
    survey = read(write_csv(tmp_path / "svar.csv", rows, header=header))
    assert survey.responses["weight"].tolist() == [1.25, 0.5, 2.0, 1.0]
    assert survey.weighted
    rows[2][-1] = "0"
    text = error_text(write_csv(tmp_path / "svar2.csv", rows, header=header))
    assert "row 4" in text and "'Vekt'" in text and "'0'" in text and "greater than 0" in text


def test_comments_long_table(tmp_path):
    survey = read(write_csv(tmp_path / "svar.csv", make_rows()))
    c = survey.comments
    assert list(c.columns) == ["respondent_id", "theme", "kind", "text"]
    assert c.to_dict("records") == [
        {"respondent_id": "R001", "theme": "moving_around", "kind": "good", "text": "Fin sti 0"},
        {"respondent_id": "R002", "theme": "moving_around", "kind": "improve",
         "text": "Mer lys"},
        {"respondent_id": "R003", "theme": "moving_around", "kind": "good", "text": "Fin sti 2"},
    ]
    assert survey.meta["comments_dropped_empty"] == 4 * 4 - 3


def test_comments_are_scrubbed_and_counted(tmp_path):
    rows = make_rows()
    rows[0][COL["Andre kommentarer"]] = "Ring meg på 912 34 567 eller kari@example.no"
    survey = read(write_csv(tmp_path / "svar.csv", rows))
    other = survey.comments[survey.comments["kind"] == "other"]["text"].tolist()
    assert other == ["Ring meg på [telefon] eller [e-post]"]
    counts = survey.meta["comments_scrubbed"]
    assert counts["phone"] == 1 and counts["email"] == 1


def test_comment_text_stays_out_of_errors(tmp_path):
    rows = make_rows()
    rows[0][COL["Andre kommentarer"]] = "Naboen min Per Hansen i Storgata 5"
    rows = with_cell(rows, 0, "12. Trygghet", "11")
    text = error_text(write_csv(tmp_path / "svar.csv", rows))
    assert "Per Hansen" not in text and "'11'" in text


def test_returns_survey_with_nullable_scores(tmp_path):
    rows = with_cell(make_rows(), 0, "9. Bolig og fellesskap", "Vet ikke")
    survey = read(write_csv(tmp_path / "svar.csv", rows))
    col = survey.responses["housing_community"]
    assert col.dtype == pd.Int8Dtype() and pd.isna(col.iloc[0]) and col.iloc[1] == 2
    assert repr(survey).startswith("Survey(4 respondents, 3 areas, 14 themes, 3 comments")


def test_bundled_sample_csv_and_xlsx_agree():
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    csv_path = sample / "stedskompass_fjordvik.csv"
    xlsx_path = sample / "stedskompass_fjordvik.xlsx"
    if not (csv_path.exists() and xlsx_path.exists()):
        pytest.skip("bundled sample survey not generated yet (data/sample/stedskompass_fjordvik.*)")
    from_csv, from_xlsx = read(csv_path), read(xlsx_path)
    assert from_csv.themes == list(THEME_CODES)
    assert from_csv.meta["unmatched_columns"][0]["column"] == "Tidspunkt"
    pd.testing.assert_frame_equal(from_csv.responses, from_xlsx.responses)
    pd.testing.assert_frame_equal(from_csv.comments, from_xlsx.comments)


def test_error_messages_mask_personal_data(tmp_path):
    """A phone number typed into a score cell must not be echoed into the error message."""
    from soslokal_lib import SurveyFormatError, read_survey
    from soslokal_lib.themes import THEMES

    header = ["Respondent-ID", "Område"] + [t.name_en for t in THEMES]
    row = ["1", "Sentrum", "ring meg på 912 34 567"] + ["4"] * 13
    path = tmp_path / "svar.csv"
    path.write_text(";".join(header) + "\n" + ";".join(row) + "\n", encoding="utf-8")
    with pytest.raises(SurveyFormatError) as info:
        read_survey(path)
    message = str(info.value)
    assert "912 34 567" not in message
    assert "[telefon]" in message and "row 2" in message


def test_false_ignores_a_column_as_in_toml(tmp_path):
    path = write_csv(tmp_path / "svar.csv", make_rows())
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no «not recognised» warning left
        survey = read_survey(path, columns={"Tidspunkt": False})
    assert survey.meta["columns"]["Tidspunkt"] is None
    assert "Tidspunkt" not in survey.responses.columns and len(survey.responses) == 4
