"""Name masking found by a new user's trial: names joined by «og»/«,»/«eller»/«&», initials,
titles such as «lege», and first names written in lower case."""

from __future__ import annotations

import pandas as pd
import pytest

from soslokal_lib import text as tx
from soslokal_lib.text.scrubbing import _names

#: Each text and its exact masked form.
MASKED = [
    # names joined to a found name
    ("Takk til Mohammed og Aisha i barnehagen!", "Takk til [navn] og [navn] i barnehagen!"),
    ("Takk til Aisha og Mohammed i barnehagen!", "Takk til [navn] og [navn] i barnehagen!"),
    ("Kari, Ola og Per Olav ryddet stien", "[navn], [navn] og [navn] ryddet stien"),
    ("Hilsen Mohammed, Aisha og Fatima", "Hilsen [navn], [navn] og [navn]"),
    ("Spør Kari eller Aisha om nøkkelen", "Spør [navn] eller [navn] om nøkkelen"),
    ("Kari & Yusuf Khan rydder", "[navn] & [navn] rydder"),
    ("Kari og/eller Fatima kan hjelpe", "[navn] og/eller [navn] kan hjelpe"),
    ("Per og Kari kom ikke", "[navn] og [navn] kom ikke"),
    ("Takk til Mohammed og Aisha Khan", "Takk til [navn] og [navn]"),
    ("Takk til Kari og Aisha, og til Nav", "Takk til [navn] og [navn], og til Nav"),
    ("Per uke ser jeg Kari og Aisha", "Per uke ser jeg [navn] og [navn]"),
    ("Kari jobber på Kiwi og Rema", "[navn] jobber på Kiwi og Rema"),
    ("Takk til Kari og Nav", "Takk til [navn] og Nav"),
    # initials
    ("Lege Siv Å. Dahl er fantastisk", "Lege [navn] er fantastisk"),
    ("Takk til Siv Å. Dahl!", "Takk til [navn]!"),
    ("K. Hansen svarte aldri", "[navn] svarte aldri"),
    ("Brev fra A.B. Olsen i går", "Brev fra [navn] i går"),
    ("Takk til Per O. Berg", "Takk til [navn]"),
    ("Ola Nordmann og A. Berg bor her", "[navn] og [navn] bor her"),
    ("Kari Hansen, Siv Å. Dahl og Yusuf", "[navn], [navn] og [navn]"),
    # titles
    ("lege Siv Dahl hjalp oss", "lege [navn] hjalp oss"),
    ("rektor Hansen er flink", "rektor [navn] er flink"),
    ("rektor K. Bakke svarer ikke", "rektor [navn] svarer ikke"),
    ("Tannlegen Yusuf tok seg god tid", "Tannlegen [navn] tok seg god tid"),
    ("Sykepleier Fatima Ali var snill", "Sykepleier [navn] var snill"),
    # first names in lower case
    ("Spør etter kari på legekontoret", "Spør etter [navn] på legekontoret"),
    ("ring ole eller ingrid", "ring [navn] eller [navn]"),
]

#: Texts that name nobody: exactly unchanged, and not flagged.
UNCHANGED = [
    "Per uke går det tre busser",
    "Liv og røre i sentrum hele sommeren",
    "Vi handler på Kiwi og Rema 1000",
    "Nav og Bymiljøetaten svarer aldri",
    "Bussen går sjelden. Ellers fint.",
    "Dag og natt kjører lastebiler her",
    "Toget fra Oslo S. Det tar ti minutter",
    "Storgata og Kirkeveien trenger nye fortau",
    "Fjordvik Sentrum og Nedre Eiker trenger sykkelvei",
    "Hilsen en fornøyd beboer, Fjordvik",
    "Sol og vind på stranda",
    "Lege og tannlege er lett å få time hos",
    "Skolen og Fritidsklubben samarbeider godt",
    "Det koster 50 kr per uke",
    "Møtet er 5. jan kl. 18",
    "knut på tråden, men ellers bra",
    "god tone og mye liv i gata",
    "vi går tur med hans hund og ser en bjørn i skogen",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_names_are_masked(text, expected):
    assert tx.mask_names_series(pd.Series([text])).tolist() == [expected]
    assert tx.flag_names(text) is not None


@pytest.mark.parametrize("text", UNCHANGED)
def test_texts_without_names_stay(text):
    assert tx.mask_names_series(pd.Series([text])).tolist() == [text]
    assert tx.flag_names(text) is None


@pytest.mark.parametrize(("text", "reason"), [
    ("Lege Siv Å. Dahl er fantastisk", "relasjon/tittel + navn «Siv Å. Dahl»"),
    ("Siv Å. Dahl er fantastisk", "navn med initial «Siv Å. Dahl»"),
    ("Hilsen K. Hansen", "etternavn «K. Hansen»"),
    ("Spør etter kari på legekontoret", "fornavn (liten bokstav) «kari»"),
])
def test_flag_reasons(text, reason):
    assert tx.flag_names(text) == reason
    assert tx.flag_names_series(pd.Series([text])).tolist() == [reason]


def test_lower_case_exceptions_are_listed_first_names_and_stay():
    """Every first name that is also a word in lower case is left alone in lower case."""
    names = _names()
    words = names["lower_case_words"]
    assert words <= {n.casefold() for n in names["first"]}
    assert {n.casefold() for n in names["ambiguous"]} <= words
    texts = [f"det var {w} her" for w in sorted(words)]
    assert tx.mask_names_series(pd.Series(texts)).tolist() == texts
    assert tx.flag_names_series(pd.Series(texts)).isna().all()


def test_a_joined_name_needs_a_found_name():
    """A capitalised word after «og» is only masked next to a name the rules found."""
    text = "Bussen og Trikken går sjelden, men Kari og Aisha er fornøyde"
    assert tx.mask_names_series(pd.Series([text])).tolist() == [
        "Bussen og Trikken går sjelden, men [navn] og [navn] er fornøyde"]


def test_a_lower_case_name_keeps_the_quote_out_of_reports():
    """Reports pick quotes with allow_flagged=False: a flagged lower-case name is never quoted."""
    responses = pd.DataFrame({"area_id": ["A"] * 5},
                             index=pd.Index([f"r{i}" for i in range(5)], name="respondent_id"))
    texts = ["Spør etter kari på legekontoret", "Fin skog", "Bra buss", "Mye støy", "Ok"]
    comments = pd.DataFrame({"respondent_id": list(responses.index), "theme": None,
                             "kind": "other", "text": texts}, dtype="string")
    quotes = tx.select_quotes(comments, responses, per_area=5, allow_flagged=False)
    assert len(quotes) == 4 and "kari" not in " ".join(quotes["text"])
