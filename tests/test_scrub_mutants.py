"""Scrubbing (``soslokal_lib.text``): behaviours that mutants changed without any other test
noticing (``make mutate``; the judged list is ``tests/mutation_survivors.md``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from soslokal_lib.text import ScrubReport, flag_names, flag_names_series, scrub
from soslokal_lib.text import scrubbing as S


def test_scrub_turns_a_non_text_value_into_text():
    """A list (no scalar, not missing) is scrubbed as its text form."""
    assert scrub(["ring 91234567", "fint"]) == "['ring [telefon]', 'fint']"


def test_alternation_puts_longer_words_first_and_escapes():
    """Names as one regex alternation: longest first (so «Anne» never stops «Anne-Lise»),
    ties alphabetical, duplicates once, special characters escaped."""
    assert S._alternation(["ab", "a", "b.", "ab"]) == r"ab|b\.|a"
    assert S._alternation(["Anne", "Anne-Lise", "Bo"]) == r"Anne\-Lise|Anne|Bo"


def test_name_list_is_read_from_the_shipped_data_file():
    """``_names`` uncached: the shipped list, read as UTF-8 (æøå intact)."""
    names = S._names.__wrapped__()
    assert {"Kari", "Ola", "Åse"} <= names["first"]
    assert "Andersen" in names["surnames"]
    assert names["ambiguous"] <= names["first"]
    assert S._data_text("names_no.toml").startswith(
        (S.resources.files("soslokal_lib") / "data" / "names_no.toml").read_text("utf-8")[:50])


def test_extra_names_accepts_one_name_as_a_string():
    """A single name given as a string is one name (not its letters), capitalised, stripped."""
    assert S._extra_names("  åse ") == frozenset({"Åse"})
    assert S._extra_names(["kari", " ", "Ola"]) == frozenset({"Kari", "Ola"})


def test_as_text_keeps_missing_values_missing_in_a_numeric_series():
    """A float column: numbers become their text, NaN stays NA (not the text «nan»)."""
    out = S._as_text(pd.Series([1.5, np.nan]))
    assert out.dtype == "string"
    assert out.iloc[0] == "1.5" and out.isna().tolist() == [False, True]
    _, report = S.scrub_series(pd.Series([91234567.0, np.nan]))
    assert report.n_texts == 1


def test_path_word_with_lower_case_first_letter_is_no_address():
    """Only the first letter decides whether a path word is generic: «sKoleveien 2» (lower case
    first) stays, «Skoleveien 2» is an address."""
    assert scrub("sKoleveien 2") == "sKoleveien 2"
    assert scrub("Skoleveien 2") == "[adresse]"


def test_national_id_context_is_the_30_characters_before():
    """An 11-digit number with a wrong checksum is a fødselsnummer only if a keyword ends in
    the 30 characters before it: here the keyword starts 31 characters before."""
    before = "fødselsnummerene til barnet er "
    assert len(before) == 31
    assert scrub(before + "12345678901") == before + "12345678901"
    assert scrub("x fødselsnummeret til barnet er 12345678901") == (
        "x fødselsnummeret til barnet er [fødselsnummer]")


def test_flag_names_reads_other_values_as_text():
    """Bytes and lists are flagged by their text form; missing values give None."""
    assert flag_names(b"naboen Kari") == "relasjon/tittel + navn «Kari»"
    assert flag_names(["hei", "naboen Kari"]) == "relasjon/tittel + navn «Kari»"
    assert flag_names(None) is None
    assert flag_names(np.nan) is None
    assert flag_names(pd.NA) is None


def test_flag_names_series_is_nullable_string():
    """The reasons are a nullable string Series, NA where no name is found."""
    out = flag_names_series(pd.Series(["naboen Kari", "ingen her"]))
    assert out.dtype == "string"
    assert out.iloc[0] == "relasjon/tittel + navn «Kari»" and pd.isna(out.iloc[1])


def test_scrub_report_text_in_english_and_bokmaal():
    """The English summary names the kinds with their counts; bokmål is ``str(report)``."""
    report = ScrubReport(counts={"email": 1, "url": 0, "national_id": 1, "phone": 2,
                                 "address": 0}, n_texts=10, n_changed=2)
    assert report.text("en") == ("Removed 4 items of personal data from 2 of 10 texts "
                                 "(email 1, national id 1, phone 2)")
    assert report.text() == report.text("nb") == str(report) == (
        "Fjernet 4 personopplysninger fra 2 av 10 tekster (e-post 1, fødselsnummer 1, telefon 2)")
    empty = ScrubReport(counts=dict.fromkeys(S.TAGS, 0), n_texts=3, n_changed=0)
    assert empty.text("en") == "Removed 0 items of personal data from 0 of 3 texts"
    assert empty.text("nb") == "Fjernet 0 personopplysninger fra 0 av 3 tekster"
