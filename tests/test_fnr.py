"""Generated Norwegian identity numbers against the comment scrubber (soslokal_lib.text).

An independent mod-11 generator: fødselsnummer (DDMMYY + individual number + two control
digits), D-numbers (day + 40), H-numbers (month + 40) and Tenor's synthetic test numbers
(month + 80, used in the bundled sample). The scrubber checks only the control digits, not the
date, so it claims every kind. Control digit k = (11 − weighted sum mod 11) mod 11; a prefix
whose k would be 10 has no valid number. Every case is covered: k1 = 0, k2 = 0, both, neither,
and the prefixes rejected because k1 or k2 would be 10.

Every valid number is scrubbed, written plain or as people write it (space, no-break space or
dash between the 6 and 5 digits) and with or without a label; unlabelled invalid look-alikes and
ordinary numbers (phone and account numbers, 11-digit order numbers failing mod 11) are kept.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from soslokal_lib.text import TAGS, scrub, scrub_series

TAG = TAGS["national_id"]
W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
#: kind → (day offset, month offset)
KINDS = {"fødselsnummer": (0, 0), "D-nummer": (40, 0), "H-nummer": (0, 40), "syntetisk": (0, 80)}
SEPARATORS = {"plain": "", "space": " ", "nbsp": "\u00a0", "dash": "-"}
LABELS = ["fnr. ", "fnr ", "Fnr: ", "fødselsnummer: ", "Fødselsnummer ", "personnummer ",
          "personnr. ", "f.nr ", "d-nummer: ", "Mitt fnr er ", "fødselsnummeret mitt er "]
CONTEXTS = [("{}", "{}"), ("Hei, {} her.", "Hei, {} her."), ("({})", "({})"),
            ("Ring, {}!", "Ring, {}!"), ("«{}»", "«{}»"), ("{}\nHilsen Kari", "{}\nHilsen Kari")]
CASES = ("k1=0", "k2=0", "k1=k2=0", "ordinary", "k1=10", "k2=10")


def control(digits: str, weights: tuple[int, ...]) -> int | None:
    """The mod-11 control digit for ``digits``; None where it would be 10 (no valid number)."""
    k = -sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11
    return None if k == 10 else k


def prefix(born: date, individual: int, kind: str) -> str:
    """The first nine digits: DDMMYY (with the kind's offsets) and the individual number."""
    dd, mm = KINDS[kind]
    return f"{born.day + dd:02d}{born.month + mm:02d}{born.year % 100:02d}{individual:03d}"


def complete(nine: str) -> tuple[str | None, str]:
    """(the valid 11-digit number or None, its control-digit case, see :data:`CASES`)."""
    k1 = control(nine, W1)
    if k1 is None:
        return None, "k1=10"
    k2 = control(nine + str(k1), W2)
    if k2 is None:
        return None, "k2=10"
    if k1 == 0:
        case = "k1=k2=0" if k2 == 0 else "k1=0"
    else:
        case = "k2=0" if k2 == 0 else "ordinary"
    return f"{nine}{k1}{k2}", case


def written(number: str, sep: str) -> str:
    return number[:6] + sep + number[6:]


def _examples() -> dict[tuple[str, str], str]:
    """The first prefix of each kind and control-digit case, scanning individual numbers."""
    found: dict[tuple[str, str], str] = {}
    born = date(1985, 3, 15)
    while len(found) < len(KINDS) * len(CASES):
        for kind, individual in product(KINDS, range(1000)):
            nine = prefix(born, individual, kind)
            number, case = complete(nine)
            found.setdefault((kind, case), number or nine)
        born += timedelta(days=1)
    return found


EXAMPLES = _examples()
VALID = {key: n for key, n in EXAMPLES.items() if not key[1].endswith("10")}
INVALID = {key: n for key, n in EXAMPLES.items() if key[1].endswith("10")}


# ------------------------------------------------------------------ the generator itself


def test_generator_agrees_with_known_numbers():
    assert complete("150385113") == ("15038511308", "k1=0")  # the issue's example: k1 = 11 → 0
    assert complete("150385137") == ("15038513742", "ordinary")
    # by hand: k1 = −(7·1 + 1·1) mod 11 = 3; k2 = −(4·1 + 2·1 + 2·3) mod 11 = −12 mod 11 = 10
    assert complete("010100000") == (None, "k2=10")
    assert len(EXAMPLES) == len(KINDS) * len(CASES)  # every kind has every case


# ------------------------------------------------------------------ valid numbers are scrubbed


@pytest.mark.parametrize("kind, case", sorted(VALID))
@pytest.mark.parametrize("sep", sorted(SEPARATORS))
def test_every_valid_number_is_scrubbed(kind, case, sep):
    number = VALID[kind, case]
    text = written(number, SEPARATORS[sep])
    for before, after in CONTEXTS:
        assert scrub(before.format(text)) == after.format(TAG)
    for label in LABELS:
        assert scrub(f"{label}{text}") == f"{label}{TAG}"


def test_issue_example_with_k1_zero_is_scrubbed():
    """15038511308: the first control digit computes to 11 and is written 0."""
    assert scrub("Ring meg, fnr 15038511308.") == f"Ring meg, fnr {TAG}."
    assert scrub("15038511308") == TAG
    assert scrub("150385 11308") == TAG


def test_series_counts_every_generated_number():
    texts = [f"nr {written(n, s)} her" for n, s in product(VALID.values(), SEPARATORS.values())]
    scrubbed, report = scrub_series(texts)
    assert scrubbed.tolist() == [f"nr {TAG} her"] * len(texts)
    assert report.counts["national_id"] == len(texts) == report.n_changed


# ------------------------------------------------------------------ invalid look-alikes stay


def _wrong_controls(number: str) -> list[str]:
    """The number with each other value of k1, then of k2 (all fail mod 11)."""
    nine, k1, k2 = number[:9], number[9], number[10]
    return ([f"{nine}{d}{k2}" for d in "0123456789" if d != k1]
            + [f"{nine}{k1}{d}" for d in "0123456789" if d != k2])


@pytest.mark.parametrize("kind, case", sorted(INVALID))
@pytest.mark.parametrize("sep", sorted(SEPARATORS))
def test_prefix_without_valid_control_digit_is_kept(kind, case, sep):
    """k1 or k2 computes to 10: no number with this prefix is valid, none is scrubbed."""
    nine = INVALID[kind, case]
    k1 = control(nine, W1)
    tails = [f"{a}{b}" for a, b in product("0123456789", repeat=2)
             if case == "k1=10" or a == str(k1)]
    for tail in tails:
        text = f"Ordre {written(nine + tail, SEPARATORS[sep])} levert"
        assert scrub(text) == text


@pytest.mark.parametrize("kind, case", sorted(VALID))
def test_wrong_control_digits_are_kept(kind, case):
    for wrong in _wrong_controls(VALID[kind, case]):
        for sep in SEPARATORS.values():
            text = f"Ordrenummer {written(wrong, sep)} er sendt"
            assert scrub(text) == text


def test_labelled_look_alike_is_scrubbed_all_the_same():
    """A label says the number is one: scrubbed even with wrong control digits (privacy first)."""
    wrong = _wrong_controls(VALID["fødselsnummer", "ordinary"])[0]
    for label in LABELS:
        assert scrub(f"{label}{wrong}") == f"{label}{TAG}"


@pytest.mark.parametrize("kind, case", sorted(VALID))
def test_valid_digits_inside_a_longer_number_are_kept(kind, case):
    number = VALID[kind, case]
    for text in (f"{number}0", f"1{number}", f"{number} 12", f"12 {number}",
                 f"{number[:4]}.{number[4:6]}.{number[6:]}",  # account number form 4.2.5
                 f"{number[:4]} {number[4:6]} {number[6:]}"):
        assert scrub(text) == text


@pytest.mark.parametrize("text, expected", [
    ("912 34 567", "[telefon]"), ("+47 912 34 567", "[telefon]"), ("22 33 44 55", "[telefon]"),
    ("Kontonummer 1503.85.11308", "Kontonummer 1503.85.11308"),
    ("Kontonr 1234 56 78903", "Kontonr 1234 56 78903"),
    ("Ordrenummer 12345678901", "Ordrenummer 12345678901"),
    ("Org.nr. 912 345 678", "Org.nr. 912 345 678"), ("KID 1234567890123", "KID 1234567890123"),
    ("i 2024 kom 15038 nye", "i 2024 kom 15038 nye"), ("buss 150 kl. 13.42", "buss 150 kl. 13.42"),
])
def test_ordinary_numbers_are_not_taken_for_identity_numbers(text, expected):
    assert scrub(text) == expected


# ------------------------------------------------------------------ generated (hypothesis)

BIRTH = st.dates(min_value=date(1900, 1, 1), max_value=date(2039, 12, 31))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(born=BIRTH, individual=st.integers(0, 999), kind=st.sampled_from(sorted(KINDS)),
       sep=st.sampled_from(sorted(SEPARATORS.values())),
       label=st.sampled_from([""] + LABELS), context=st.sampled_from(CONTEXTS))
def test_generated_valid_numbers_are_scrubbed(born, individual, kind, sep, label, context):
    number, _ = complete(prefix(born, individual, kind))
    assume(number is not None)  # about 1 prefix in 6 has no valid number
    before, after = context
    text = before.format(label + written(number, sep))
    assert scrub(text) == after.format(label + TAG)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(digits=st.text("0123456789", min_size=11, max_size=11), make_valid=st.booleans(),
       sep=st.sampled_from(sorted(SEPARATORS.values())), context=st.sampled_from(CONTEXTS))
def test_generated_eleven_digit_numbers_scrubbed_exactly_when_valid(digits, make_valid, sep,
                                                                    context):
    """Any 11 digits, unlabelled: scrubbed if and only if both control digits are right.

    Half the draws get the right control digits where the prefix has them (random digits are
    valid about once in 150 draws).
    """
    number, _ = complete(digits[:9])
    if make_valid and number is not None:
        digits = number
    before, after = context
    text = before.format(written(digits, sep))
    expected = after.format(TAG) if digits == number else text
    assert scrub(text) == expected


# ------------------------------------------------------------------ known gaps


@pytest.mark.xfail(strict=True, reason="not scrubbed today: a dot between the 6 and 5 digits, "
                                       "or the birth date written as a dotted date")
@pytest.mark.parametrize("form", ["{a}.{b}", "{d}.{m}.{y} {b}"])
def test_dotted_forms(form):
    number = VALID["fødselsnummer", "ordinary"]
    text = form.format(a=number[:6], b=number[6:], d=number[:2], m=number[2:4], y=number[4:6])
    assert scrub(text) == TAG
