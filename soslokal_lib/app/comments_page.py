"""Tables of notebook 06 (``06_innspill``) that need a sentence when there is nothing to show.

Each function returns what the notebook shows: a styled table, or a sentence saying why there
is none, so a cell can end with the call and a report page has no table of headers only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from soslokal_lib.app.workbook import display_table
from soslokal_lib.numformat import lang_key
from soslokal_lib.themes import theme_labels

__all__ = ["Sentence", "general_by_theme", "general_comments"]


class Sentence(str):
    """A sentence a notebook cell shows as it reads (its repr has no quotes)."""

    def __repr__(self) -> str:
        return str(self)

_WORDS = {
    "nb": {"none": "Undersøkelsen har ingen innspill uten tema (som «Andre kommentarer»), så det "
                   "er ingenting å fordele på tema her.",
           "no_hit": "(ingen treff)", "count": "Innspill", "theme": "Tema"},
    "en": {"none": "The survey has no comments without a theme (such as «Other comments»), so "
                   "there is nothing to assign to themes here.",
           "no_hit": "(no match)", "count": "Comments", "theme": "Theme"},
}


def general_comments(assigned: pd.DataFrame) -> pd.DataFrame:
    """The general comments of :func:`soslokal_lib.text.assign_themes`' result: those of kind
    ``other`` and those without a theme (a «Hva er bra?» field asked for no theme in particular)."""
    no_theme = assigned["theme"].isna() if "theme" in assigned else False
    return assigned[(assigned["kind"] == "other") | no_theme]


def general_by_theme(assigned: pd.DataFrame, *, lang: str = "nb",
                     labels: Mapping[str, str] | None = None) -> Any:
    """How many general comments (:func:`general_comments`) each theme got, most first, as a
    report table; a sentence saying there are none when the survey has none."""
    w = _WORDS[lang_key(lang)]
    general = general_comments(assigned)
    if general.empty:
        return Sentence(w["none"])
    names = theme_labels(lang, labels)
    counts = (general["assigned_theme"].map(names).fillna(w["no_hit"]).value_counts()
              .rename(w["count"]).rename_axis(w["theme"]).to_frame())
    return display_table(counts, lang=lang, index=True)
