"""The header table: every form a kommune's export gives a theme column or a comment column.

For each of the 14 themes and each form (bokmål and English names, 2015 names, question
wordings, ``N.``, ``Spm N –``, ``Spørsmål N``, ``QN``, the comment forms), the expected canonical
name. The end-to-end tests write a file per form with every theme scored differently by every
respondent, so a header read as the wrong theme shows in the values.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from soslokal_lib import SurveyFormatError
from soslokal_lib.io._survey_columns import _wording_theme, canonical_name
from soslokal_lib.io.survey import read_survey
from soslokal_lib.themes import THEME_CODES, THEMES, split_numbering

#: A kommune's own wording per theme (as in the Elvestad export): names no theme exactly.
OWN = [
    "Hvor lett er det å gå og sykle i nærmiljøet?", "Busstilbudet der du bor",
    "Trafikk og parkering i nærmiljøet", "Gater, plasser og møteplasser ute",
    "Grøntområder, natur og turstier", "Lek og aktivitet", "Butikker, skoler og andre tilbud",
    "Arbeid og lokalt næringsliv", "Boliger i området", "Å treffe andre folk",
    "Tilhørighet og identitet", "Hvor trygt føler du deg?", "Vedlikehold og renhold",
    "Påvirkning og medbestemmelse",
]
#: The 2015 English names (aliases of the 2021 names).
NAMES_2015 = {"facilities_services": "Facilities and amenities",
              "social_interaction": "Social contact", "natural_space": "Natural spaces",
              "influence_control": "Influence and control",
              "work_economy": "Work and the local economy"}

#: Theme header forms: name → function(theme) giving the header.
THEME_FORMS = {
    "bokmål name": lambda t: t.name_nb,
    "English name": lambda t: t.name_en,
    "2015 name": lambda t: NAMES_2015.get(t.code, t.name_en),
    "upper case, spaces": lambda t: f"  {t.name_nb.upper()}  ",
    "bokmål question": lambda t: t.question_nb,
    "English question": lambda t: t.question_en,
    "name and question": lambda t: f"{t.name_nb}: {t.question_nb}",
    "N. name": lambda t: f"{t.number}. {t.name_nb}",
    "N) English": lambda t: f"{t.number}) {t.name_en}",
    "N. own wording": lambda t: f"{t.number}. {OWN[t.number - 1]}",
    "N.": lambda t: f"{t.number}.",
    "Spm N – own wording": lambda t: f"Spm {t.number} – {OWN[t.number - 1]}",
    "Spm N - name": lambda t: f"Spm {t.number} - {t.name_nb}",
    "Spm N": lambda t: f"Spm {t.number}",
    "Spørsmål N": lambda t: f"Spørsmål {t.number}",
    "Spørsmål N: question": lambda t: f"Spørsmål {t.number}: {t.question_nb}",
    "QN": lambda t: f"Q{t.number}",
    "QN English": lambda t: f"Q{t.number} {t.name_en}",
    "Question N – 2015": lambda t: f"Question {t.number} – {NAMES_2015.get(t.code, t.name_en)}",
}
#: Comment header forms: name → function(theme, kind) giving the header.
GOOD = {"good": "Hva er bra nå?", "improve": "Hva kan bli bedre?"}
GOOD_EN = {"good": "What is good?", "improve": "What could be improved?"}
COMMENT_FORMS = {
    "N – marker": lambda t, k: f"{t.number} – {GOOD[k]}",
    "N. marker": lambda t, k: f"{t.number}. {GOOD[k]}",
    "Spm N – marker": lambda t, k: f"Spm {t.number} – {GOOD[k]}",
    "QN marker (English)": lambda t, k: f"Q{t.number} {GOOD_EN[k]}",
    "name – marker": lambda t, k: f"{t.name_nb} – {GOOD[k]}",
    "N. name – marker": lambda t, k: f"{t.number}. {t.name_nb} – {GOOD[k]}",
    "Spm N – own wording – marker": lambda t, k: f"Spm {t.number} – {OWN[t.number - 1]} – "
                                                 f"{GOOD[k]}",
    "English name - marker": lambda t, k: f"{t.name_en} - {GOOD_EN[k]}",
    "marker (2015 name)": lambda t, k: f"{GOOD_EN[k]} ({NAMES_2015.get(t.code, t.name_en)})",
}
KINDS = ("good", "improve")
BASE = ["Svar-ID", "Hvilket område bor du i?"]


def score(i: int, t: int) -> int:
    """Respondent ``i``'s score on theme number ``t`` (1–14): differs between themes for
    every respondent, so two themes swapped never give the same column."""
    return (i + 3 * t) % 7 + 1


def rows_for(n: int, n_comment_cols: int = 0) -> list[list[str]]:
    return [[f"R{i}", ["Sentrum", "Nord"][i % 2], *[str(score(i, t)) for t in range(1, 15)]]
            + [f"text {i} {c}" for c in range(n_comment_cols)] for i in range(n)]


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def read_quiet(path: Path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_survey(path, **kwargs)


# --- the table, header by header ----------------------------------------------------------------

TABLE = [(form, make(t), t.code) for form, make in THEME_FORMS.items() for t in THEMES]
TABLE += [(form, make(t, k), f"{t.code}:{k}") for form, make in COMMENT_FORMS.items()
          for t in THEMES for k in KINDS]
TABLE += [("general", "Hva er bra med nærmiljøet ditt?", "good"),
          ("general", "Hva kan bli bedre?", "improve"),
          ("general", "Hva er bra nå?", "good"),
          ("general", "What could be improved?", "improve"),
          ("other", "Andre kommentarer", "other")]
#: The area question in the forms exports use (several places joined by slashes included).
AREA_HEADERS = ["Hvilken grunnkrets/hvilket område bor du i?", "Hvor bor du?",
                "Hvilket område bor du i?", "Hvilket nabolag bor du i?", "Hvilken bydel bor du i?",
                "Hvilken grunnkrets bor du i?", "Hvilket delområde bor du i?",
                "Hvilket område/nabolag bor du i?", "Hvilket område / nabolag bor du i",
                "Hvilken bydel eller hvilket område bor du i?", "I hvilket område bor du?",
                "Bydel/område", "Område (nabolag)", "Hvor i kommunen bor du?",
                "Which neighbourhood do you live in?", "3. Hvilket nabolag bor du i?"]
TABLE += [("area", h, "area_id") for h in AREA_HEADERS]


@pytest.mark.parametrize(("form", "header", "expected"), TABLE,
                         ids=[f"{f}|{h}" for f, h, _ in TABLE])
def test_header_table(form, header, expected):
    assert canonical_name(header) == expected


@pytest.mark.parametrize("header", ["7", "2024", "3.5", "7 – Lite å forbedre", "Tidspunkt",
                                    "Postnummer", "Q1_pos", "Hvor lenge har du bodd i området?",
                                    "Antall år i området"])
def test_not_theme_headers(header):
    # A bare number, a year, a decimal, a labelled score or an unrelated header is no theme;
    # «7 – Lite å forbedre» is numbered 7 but is not taken for a header when finding the header
    # row (looks_like_header), and within a header row its words name no theme.
    from soslokal_lib.io._survey_columns import looks_like_header

    assert not looks_like_header(header)
    if header != "7 – Lite å forbedre":
        assert canonical_name(header) is None


def test_split_numbering_forms():
    assert split_numbering("3") == (3, "")
    assert split_numbering("3.") == (3, "")
    assert split_numbering("Spm 12 – Trygghet") == (12, "Trygghet")
    assert split_numbering("Spørsmål 7") == (7, "")
    assert split_numbering("Q7") == (7, "")
    assert split_numbering("2024-05-02") == (None, "2024-05-02")
    assert split_numbering("3.5") == (None, "3.5")


# --- end to end: values show a wrong mapping ----------------------------------------------------


@pytest.mark.parametrize("form", list(THEME_FORMS))
def test_theme_form_read_with_the_right_values(tmp_path, form):
    header = BASE + [THEME_FORMS[form](t) for t in THEMES]
    survey = read_quiet(write(tmp_path / "svar.csv", header, rows_for(9)))
    assert survey.themes == list(THEME_CODES)
    for t in THEMES:
        assert survey.responses[t.code].tolist() == [score(i, t.number) for i in range(9)], t.code
    assert survey.meta["header_warnings"] == []


@pytest.mark.parametrize("form", list(COMMENT_FORMS))
def test_comment_form_read_as_the_right_theme(tmp_path, form):
    comment_headers = [COMMENT_FORMS[form](t, k) for t in THEMES for k in KINDS]
    header = BASE + [f"{t.number}. {t.name_nb}" for t in THEMES] + comment_headers
    survey = read_quiet(write(tmp_path / "svar.csv", header, rows_for(3, len(comment_headers))))
    c = survey.comments
    assert len(c) == 3 * 28
    # Column c of the comments is theme c // 2, kind c % 2; its text says which column it is.
    col = c["text"].str.split().str[-1].astype(int)
    expected_theme = col.map(lambda j: THEME_CODES[j // 2])
    expected_kind = col.map(lambda j: KINDS[j % 2])
    assert (c["theme"] == expected_theme).all() and (c["kind"] == expected_kind).all()


def test_general_comment_columns_have_no_theme(tmp_path):
    header = BASE + [t.name_nb for t in THEMES] + ["Hva er bra med nærmiljøet ditt?",
                                                    "Hva kan bli bedre?"]
    survey = read_quiet(write(tmp_path / "svar.csv", header, rows_for(2, 2)))
    c = survey.comments
    assert c["kind"].tolist() == ["good", "improve", "good", "improve"]
    assert c["theme"].isna().all()
    assert survey.meta["columns"]["Hva kan bli bedre?"] == "improve"


def test_a_clash_of_number_and_words_is_a_problem_naming_both(tmp_path):
    header = BASE + [f"Spm {t.number} – {OWN[t.number - 1]}" for t in THEMES]
    header[2 + 6] = "Spm 7 – Trygghet"  # numbered 7 (services), but names feeling_safe
    path = write(tmp_path / "svar.csv", header, rows_for(4))
    with pytest.raises(SurveyFormatError) as info:
        read_quiet(path)
    (problem,) = info.value.problems  # no «theme missing» besides: the fix reads it
    assert problem.column == "Spm 7 – Trygghet"
    assert ("by its number (7): Tjenester og tilbud (facilities_services); by its words: "
            "Trygghet (feeling_safe)") in problem.message
    assert ('"Spm 7 – Trygghet" = "feeling_safe" (the words are right) or '
            '"Spm 7 – Trygghet" = "facilities_services" (the number is right)'
            in problem.fix_config)
    survey = read_quiet(path, columns={"Spm 7 – Trygghet": "facilities_services"})
    assert survey.responses["facilities_services"].tolist() == [score(i, 7) for i in range(4)]


def test_numbers_counting_every_question_are_not_theme_numbers(tmp_path):
    # «1. Hvilket område», «2. Svar-ID»: the numbers count every question, so theme 1 is
    # question 3. The headers' words decide; a wrong number-based reading would show.
    header = ["1. Hvilket område bor du i?", "2. Svar-ID"] + [
        f"{t.number + 2}. {t.name_nb}" for t in THEMES]
    rows = [[r[1], r[0], *r[2:]] for r in rows_for(5)]
    survey = read_quiet(write(tmp_path / "svar.csv", header, rows))
    assert survey.meta["numbering"]["standard"] is False
    for t in THEMES:
        assert survey.responses[t.code].tolist() == [score(i, t.number) for i in range(5)]
    # With own wordings such a file cannot be read by number: the numbers are all shifted by
    # 2, said once, with the TOML line that maps each header whose words name no theme.
    themed = [f"{t.number + 2}. {OWN[t.number - 1]}" for t in THEMES[:12]]
    rows = [r[:14] for r in rows]
    with pytest.raises(SurveyFormatError) as info:
        read_quiet(write(tmp_path / "svar2.csv", header[:2] + themed, rows))
    problems = info.value.problems
    (shift,) = [p for p in problems if "do not follow the standard order" in p.message]
    assert "all the numbers are shifted by 2" in shift.message
    unnamed = {h for h in themed if _wording_theme(split_numbering(h)[1]) is None}
    assert len(unnamed) >= 10
    for h in themed:
        line = f'"{h}" = "{THEME_CODES[split_numbering(h)[0] - 3]}"'
        assert (line in shift.fix_config) == (h in unnamed), h
    assert any("theme column(s) are missing" in p.message for p in problems)  # 13 and 14


def test_q_numbers_counting_every_question_are_found_by_the_cells(tmp_path):
    # A tool numbering every question: Q1 is the area, the themes are Q2–Q15. Read by number,
    # Q1 would be theme 1 with a «not a score» problem on every row; instead its cells show
    # that the numbers are not theme numbers, and each header is one problem with its fix.
    header = ["ID", "Q1", *[f"Q{t.number + 1}" for t in THEMES]]
    with pytest.raises(SurveyFormatError) as info:
        read_quiet(write(tmp_path / "svar.csv", header, rows_for(8)))
    problems = info.value.problems
    numbered = [p for p in problems if "do not follow the standard order" in p.message]
    assert [p.column for p in numbered] == [f"Q{n}" for n in range(1, 15)]
    assert "'Q1' holds no scores (e.g. 'Sentrum')" in numbered[0].message
    assert not [p for p in problems if p.row is not None and p.row > 1]  # no flood of cells
    assert any("no column says which area" in p.message for p in problems)


def test_all_header_and_cell_problems_in_one_error(tmp_path):
    names = [t.name_nb for t in THEMES]
    names[3] = "Gatr og offentlige rom"  # misspelt: look-alikes of themes 4 and 9
    names[8] = "Boligr og fellesskap"
    del names[11]  # no Trygghet column
    rows = [r[:13] + r[14:] for r in rows_for(3)]
    rows[1][2] = "9"  # a score outside the scale, in row 3
    with pytest.raises(SurveyFormatError) as info:
        read_quiet(write(tmp_path / "svar.csv", BASE + names, rows))
    problems = info.value.problems
    assert [p.column for p in problems if "looks like a theme column" in p.message] == [
        "Gatr og offentlige rom", "Boligr og fellesskap"]
    (missing,) = [p for p in problems if "theme column(s) are missing" in p.message]
    assert "3 theme column(s)" in missing.message and "(feeling_safe)" in missing.message
    (cell,) = [p for p in problems if p.row is not None and p.row > 1]
    assert (cell.row, cell.column, cell.value) == (3, THEMES[0].name_nb, "9")
    assert str(info.value).endswith(f"… and {len(problems) - 1} more")


def test_scores_of_a_numbered_own_wording_file_keep_their_theme(tmp_path):
    # The whole Elvestad-style header: numbered own wording, general comments.
    header = BASE + [f"Spm {t.number} – {OWN[t.number - 1]}" for t in THEMES] + [
        "Hva er bra med nærmiljøet ditt?", "Hva kan bli bedre?"]
    survey = read_quiet(write(tmp_path / "svar.csv", header, rows_for(6, 2)))
    frame = pd.DataFrame({t.code: [score(i, t.number) for i in range(6)] for t in THEMES})
    got = survey.responses[list(THEME_CODES)].astype(int).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, frame)
