"""Scrubbing (``soslokal_lib.text``): behaviours that mutants changed without any other test
noticing (``make mutate``; the judged list is ``tests/mutation_survivors.md``)."""

from __future__ import annotations

from soslokal_lib.text import scrub


def test_scrub_turns_a_non_text_value_into_text():
    """A list (no scalar, not missing) is scrubbed as its text form."""
    assert scrub(["ring 91234567", "fint"]) == "['ring [telefon]', 'fint']"
