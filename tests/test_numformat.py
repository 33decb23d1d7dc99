"""soslokal_lib.numformat: the one language normaliser and the one number formatter."""

from __future__ import annotations

import math

import pytest

from soslokal_lib import numformat as nf
from soslokal_lib._messages import msg

THIN = "\u202f"


@pytest.mark.parametrize(("given", "key"), [
    ("nb", "nb"), ("nob", "nb"), ("no", "nb"), ("nor", "nb"), ("nn", "nb"), ("nno", "nb"),
    ("NB", "nb"), (" nb ", "nb"), ("nb-NO", "nb"), ("nb_NO", "nb"), ("nn-NO", "nb"),
    ("en", "en"), ("eng", "en"), ("EN", "en"), ("Eng", "en"), ("en-GB", "en"), ("en_US", "en"),
])
def test_lang_key_table(given, key):
    assert nf.lang_key(given) == key


@pytest.mark.parametrize("given", ["de", "sv", "english", "norsk", "", "e", "n", None, 1,
                                   "xx-NO", "-nb"])
def test_lang_key_refuses_others_naming_the_accepted_values(given):
    with pytest.raises(ValueError, match="Unknown language") as caught:
        nf.lang_key(given)
    text = str(caught.value)
    assert all(f"'{code}'" in text for code in nf.LANGUAGES)


def test_every_language_reader_agrees_about_eng_and_nn():
    """Formerly "eng" was refused by the model wording and spatial texts and gave bokmål in
    the representativeness note; "nn" gave English numbers and English messages."""
    from soslokal_lib.stats.models import wording as mt
    from soslokal_lib.themes import get_theme

    assert mt.lang_key("eng") == "en" and mt.lang_key("nn") == "nb"
    assert nf.format_number(1234.5, "nn", 1) == f"1{THIN}234,5"
    assert nf.format_number(1234.5, "eng", 1) == "1,234.5"
    assert msg("frame.row", row=3).render("nn") == "rad 3"
    assert msg("frame.row", row=3).render("eng") == "row 3"
    theme = get_theme("public_transport")
    assert theme.name("eng") == theme.name("en") and theme.name("nn") == theme.name("nb")
    with pytest.raises(ValueError, match="Unknown language"):
        msg("frame.row", row=3).render("de")  # was English


@pytest.mark.parametrize(("value", "lang", "decimals", "text"), [
    (485900, "nb", 0, f"485{THIN}900"),
    (485900, "en", 0, "485,900"),
    (12.5, "nb", 1, "12,5"),
    (-0.3, "nb", 1, "\u22120,3"),
    (-0.3, "en", 1, "-0.3"),
    (-0.004, "nb", 2, "0,00"),  # no «−0»
    (None, "nb", 1, ""),
    (math.nan, "en", 1, ""),
])
def test_format_number(value, lang, decimals, text):
    assert nf.format_number(value, lang, decimals) == text


@pytest.mark.parametrize(("value", "lang", "text"), [
    (4.0, "nb", "4"), (4.5, "nb", "4,5"), (1000.0, "nb", f"1{THIN}000"),
    (1000.0, "en", "1,000"), (4.25, "en", "4.2"), (-2.0, "nb", "\u22122"),
])
def test_format_number_whole(value, lang, text):
    assert nf.format_number(value, lang, 1, whole=True) == text


@pytest.mark.parametrize(("share", "lang", "decimals", "whole", "text"), [
    (0.385, "nb", 1, False, "38,5 %"),
    (0.385, "en", 1, False, "38.5%"),
    (0.38, "nb", 1, True, "38 %"),
    (0.125, "nb", 0, False, "12 %"),
    (None, "nb", 0, False, ""),
])
def test_format_percent(share, lang, decimals, whole, text):
    assert nf.format_percent(share, lang, decimals, whole=whole) == text


def test_former_formatters_now_delegate():
    from soslokal_lib.app.verksted.parts import num as verksted_num
    from soslokal_lib.plot._common import fmt
    from soslokal_lib.stats.area_differences_wording import percent
    from soslokal_lib.stats.models.wording import num as model_num
    from soslokal_lib.stats.representativeness import _num, _pct

    assert model_num(0.8, "nb") == "0,80" and model_num(-0.8, "en") == "-0.80"
    assert fmt(4.0, "nb") == "4" and fmt(4.25, "nb", 1) == "4,2" and fmt(math.nan, "nb") == ""
    assert verksted_num(4.0, "nb") == "4" and verksted_num(4.5, "en") == "4.5"
    assert _pct(0.25, "nb") == "25 %" and _pct(0.125, "en") == "12.5%"
    assert _num(1.5, "nb") == "1,50"
    assert percent(0.38, "nb") == "38 %" and percent(0.38, "en") == "38%"
