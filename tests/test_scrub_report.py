"""The scrubber's bookkeeping and input handling (soslokal_lib.text: ScrubReport, scrub_series)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from soslokal_lib.text import TAGS, ScrubReport, scrub, scrub_series


def test_report_frame_lists_every_kind_in_order_with_zero_counts():
    report = ScrubReport(counts={"phone": 2}, n_texts=3, n_changed=1)
    frame = report.to_frame()
    assert frame.columns.tolist() == ["kind", "label", "count"]
    assert frame["kind"].tolist() == list(TAGS)
    assert frame["label"].tolist() == ["e-post", "lenke", "fødselsnummer", "telefon", "adresse"]
    assert frame["count"].tolist() == [0, 0, 0, 2, 0]
    english = report.to_frame("en")
    assert english["label"].tolist() == ["email", "url", "national id", "phone", "address"]
    assert english["count"].tolist() == [0, 0, 0, 2, 0]


def test_report_sentence():
    assert str(ScrubReport(counts={"phone": 2}, n_texts=3, n_changed=1)) == (
        "Fjernet 2 personopplysninger fra 1 av 3 tekster (telefon 2)")
    assert str(ScrubReport(counts={"email": 1, "url": 0, "phone": 2}, n_texts=4, n_changed=2)) \
        == "Fjernet 3 personopplysninger fra 2 av 4 tekster (e-post 1, telefon 2)"
    assert str(ScrubReport(counts=dict.fromkeys(TAGS, 0), n_texts=3, n_changed=0)) == (
        "Fjernet 0 personopplysninger fra 0 av 3 tekster")


def test_series_of_numbers_objects_and_lists():
    scrubbed, report = scrub_series(pd.Series([91234567, None, 1.5, "ring 91234567"],
                                              index=[5, 6, 7, 8], dtype=object))
    assert scrubbed.dtype == "string" and scrubbed.index.tolist() == [5, 6, 7, 8]
    assert scrubbed.tolist()[0] == "[telefon]" and scrubbed.tolist()[2:] == ["1.5",
                                                                               "ring [telefon]"]
    assert scrubbed.isna().tolist() == [False, True, False, False]
    assert (report.n_texts, report.n_changed, report.counts["phone"]) == (3, 2, 2)
    from_list, _ = scrub_series(["kari@example.no", np.nan])
    assert from_list.tolist()[0] == "[e-post]" and from_list.isna().tolist() == [False, True]
    typed, _ = scrub_series(pd.Series(["91234567", pd.NA], dtype="string"))
    assert typed.dtype == "string" and typed.tolist()[0] == "[telefon]"


def test_scalar_that_is_not_text():
    assert scrub(91234567) == "[telefon]"
    assert scrub(15038511308) == "[fødselsnummer]"
    assert scrub(12) == "12"


def test_counts_per_kind_add_up_over_several_hits_in_one_text():
    text = "kari@example.no, 91234567 og 15038511308, Storgata 12, www.example.no, 22 33 44 55"
    scrubbed, report = scrub_series([text, text])
    assert scrubbed.tolist() == ["[e-post], [telefon] og [fødselsnummer], [adresse], [lenke], "
                                 "[telefon]"] * 2
    assert report.counts == {"email": 2, "url": 2, "national_id": 2, "phone": 4, "address": 2}
    assert report.total == 12 and report.n_changed == 2


def test_numeric_and_categorical_series_become_text():
    ints, report = scrub_series(pd.Series([91234567, 12], index=["a", "b"]))
    assert ints.tolist() == ["[telefon]", "12"] and ints.dtype == "string"
    assert ints.index.tolist() == ["a", "b"] and report.n_changed == 1
    floats, _ = scrub_series(pd.Series([1.5, np.nan]))
    assert floats.tolist()[0] == "1.5" and floats.isna().tolist() == [False, True]
    categories, _ = scrub_series(pd.Series(["ring 91234567", None], dtype="category"))
    assert categories.tolist()[0] == "ring [telefon]" and categories.isna().tolist() == [False,
                                                                                          True]


def test_scalar_objects_are_scrubbed_as_their_text():
    assert scrub(["ring 91234567"]) == "['ring [telefon]']"
