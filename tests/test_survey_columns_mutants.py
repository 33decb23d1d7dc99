"""Header matching (``soslokal_lib.io._survey_columns``): every field of :class:`HeaderMatch`
for headers of each kind, so that a mutant changing any of them is seen (``make mutate``).

The expected values follow the rules in the module's docstrings: a theme number counts only
when the header is numbered with a word or punctuation («Q7», «7.») or words follow it; a
comment header takes its theme from its number, else from its words; a near miss of a theme
name is a look-alike, not a match. Test ids are ASCII (mutmut re-selects tests by id).
"""

from __future__ import annotations

import pytest

from soslokal_lib.errors import SoslokalError
from soslokal_lib.io._survey_columns import (
    HeaderMatch,
    canonical_name,
    looks_like_header,
    match_header,
    parse_target,
    suggestions,
    theme_lookalike,
)

M = HeaderMatch
CASES = [
    # header, match, looks like a header, look-alike description
    ("Spm 3 – Hva er bra nå?",
     M("traffic_parking:good", "comment", 3, None, None, "good", True), True, None),
    ("3 – Hva er bra nå?",
     M("traffic_parking:good", "comment", 3, None, None, "good", True), True, None),
    ("Q2 What could be improved?",
     M("public_transport:improve", "comment", 2, None, None, "improve", True), True, None),
    ("Spm 14 – Hva kan bli bedre?",
     M("influence_control:improve", "comment", 14, None, None, "improve", True), True, None),
    ("Spm 15 – Hva kan bli bedre?",  # no 15th theme: a general comment
     M("improve", "general_comment", 15, None, None, "improve", True), True, None),
    ("Spm 0 – Hva er bra nå?", M("good", "general_comment", 0, None, None, "good", True),
     True, None),
    ("Hva kan bli bedre?", M("improve", "general_comment", None, None, None, "improve", True),
     True, None),
    ("Sosial kontakt – Hva kan bli bedre?",
     M("social_interaction:improve", "comment", None, "social_interaction", None, "improve",
       True), True, None),
    ("What is good? (Public transport)",
     M("public_transport:good", "comment", None, "public_transport", None, "good", True),
     True, None),
    ("Sosial kontak – Hva kan bli bedre?",
     M(None, "comment", None, None, "social_interaction", "improve", True), False,
     "'Sosial kontakt' (social_interaction:improve)"),
    ("Q7", M("facilities_services", "number", 7, None, None, None, True), True, None),
    ("7.", M("facilities_services", "number", 7, None, None, None, True), False, None),
    ("7 – Lite å forbedre", M("facilities_services", "number", 7, None, None, None, True),
     False, None),
    ("Spm 3 Trafikk og parkering",
     M("traffic_parking", "number", 3, "traffic_parking", None, None, True), True, None),
    ("4. Trafikk og parkering",  # the number wins; the words are kept for the file's check
     M("streets_spaces", "number", 4, "traffic_parking", None, None, True), True, None),
    ("7", M(None, "none", 7, None, None, None, False), False, None),
    ("Q15", M(None, "none", 15, None, None, None, True), False, None),
    ("14.", M("influence_control", "number", 14, None, None, None, True), False, None),
    ("1.", M("moving_around", "number", 1, None, None, None, True), False, None),
    ("Trafikk og parkering",
     M("traffic_parking", "name", None, "traffic_parking", None, None, True), True, None),
    ("Traffic and parking",
     M("traffic_parking", "name", None, "traffic_parking", None, None, True), True, None),
    ("Dekker kollektivtransporten mine behov?",
     M("public_transport", "name", None, "public_transport", None, None, True), True, None),
    ("Tjenster og tilbud", M(None, "none", None, None, "facilities_services", None, False),
     False, "'Tjenester og tilbud' (facilities_services)"),
    ("Tidspunkt", M(None, "none", None, None, None, None, False), False, None),
    ("Hvilket område bor du i?", M("area_id", "role", None, None, None, None, False), True,
     None),
    ("2. Hvilket område bor du i?", M("area_id", "role", 2, None, None, None, True), True, None),
    ("Hvilken grunnkrets/hvilket område bor du i?",
     M("area_id", "role", None, None, None, None, False), True, None),
    ("Bydel/område", M("area_id", "role", None, None, None, None, False), True, None),
    ("Kjønn", M("gender", "role", None, None, None, None, False), True, None),
    ("Respondent-ID", M("respondent_id", "role", None, None, None, None, False), True, None),
    ("Vektfaktor", M("weight", "role", None, None, None, None, False), True, None),
    ("Andre kommentarer", M("other", "role", None, None, None, None, False), True, None),
    # numbered forms of every branch, with exact names and near misses
    ("Spm 1 – Hva er bra nå?", M("moving_around:good", "comment", 1, None, None, "good", True),
     True, None),
    ("Spm 10 – Sosial kontakt – Hva kan bli bedre?",
     M("social_interaction:improve", "comment", 10, "social_interaction", None, "improve", True),
     True, None),
    ("Spm 10 – Sosial kontak – Hva kan bli bedre?",
     M("social_interaction:improve", "comment", 10, None, "social_interaction", "improve", True),
     True, "'Sosial kontakt' (social_interaction:improve)"),
    ("Spm 15 – Sosial kontakt – Hva kan bli bedre?",
     M("social_interaction:improve", "comment", 15, "social_interaction", None, "improve", True),
     True, None),
    ("Spm 15 – Sosial kontak – Hva kan bli bedre?",
     M(None, "comment", 15, None, "social_interaction", "improve", True), False,
     "'Sosial kontakt' (social_interaction:improve)"),
    ("Spm 3 Trafik og parkring",
     M("traffic_parking", "number", 3, None, "traffic_parking", None, True), True,
     "'Trafikk og parkering' (traffic_parking)"),
    ("Spm 15 Trafikk og parkering",
     M("traffic_parking", "name", 15, "traffic_parking", None, None, True), True, None),
    ("3. Hvilken grunnkrets bor du i?", M("area_id", "role", 3, None, None, None, True), True,
     None),
    ("Trafikkforhold", M(None, "none", None, None, None, None, False), False, None),
]


@pytest.mark.parametrize(("header", "expected", "looks", "lookalike"), CASES,
                         ids=[f"h{i:02d}" for i in range(len(CASES))])
def test_match_header_every_field(header, expected, looks, lookalike):
    """match_header, canonical_name, looks_like_header and theme_lookalike agree with the rules."""
    assert match_header(header) == expected
    assert canonical_name(header) == expected.target
    assert looks_like_header(header) is looks
    assert theme_lookalike(header) == lookalike


def test_theme_of_a_match():
    """``theme`` is the target's theme code; roles and general comments have none."""
    assert match_header("Spm 3 – Hva er bra nå?").theme == "traffic_parking"
    assert match_header("Q7").theme == "facilities_services"
    assert match_header("Kjønn").theme is None
    assert match_header("Hva kan bli bedre?").theme is None
    assert match_header("Tidspunkt").theme is None


@pytest.mark.parametrize("header", ["", "   ", "–", "?"], ids=["empty", "blank", "dash", "qmark"])
def test_blank_headers_match_nothing(header):
    """A header without letters or digits is not a header."""
    assert match_header(header) is None and canonical_name(header) is None
    assert looks_like_header(header) is False and theme_lookalike(header) is None


def test_suggestions_name_the_known_columns():
    """Close known names, with what they stand for; the numbering is ignored; at most ``n``."""
    assert suggestions("Trafik og parkring") == ["Trafikk og parkering (traffic_parking)",
                                                 "Traffic and parking (traffic_parking)"]
    assert suggestions("Kjonn") == ["Kjønn (gender)"]
    assert suggestions("2. Andre kommentarr") == ["Andre kommentarer (other)",
                                                  "Øvrige kommentarer (other)",
                                                  "Kommentarer (other)"]
    assert suggestions("2. Andre kommentarr", n=1) == ["Andre kommentarer (other)"]
    assert suggestions("Vekt faktor") == ["Vektfaktor (weight)"]
    assert suggestions("Tidspunkt") == []
    assert suggestions("Kollektiv") == []  # «kollektivtransport» is too far (cutoff 0.7)


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), (False, None), ("Gender", "gender"), (" AREA_ID ", "area_id"),
    ("other", "other"), ("Comments:Other", "other"), ("good", "good"),
    ("comments:improve", "improve"), ("Improve", "improve"), ("3:good", "traffic_parking:good"),
    ("Trafikk og parkering : Improve", "traffic_parking:improve"), ("7", "facilities_services"),
    ("public_transport", "public_transport"),
], ids=lambda v: str(v).encode("ascii", "replace").decode())
def test_parse_target(value, expected):
    """Every accepted spelling of a ``columns=`` value gives its canonical name."""
    assert parse_target(value) == expected


def test_parse_target_refuses_unknown_themes():
    """An unknown theme is an error, also before ``:good``."""
    with pytest.raises(SoslokalError):
        parse_target("no such theme")
    with pytest.raises(SoslokalError):
        parse_target("no such theme:good")
