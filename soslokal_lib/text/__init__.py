"""Free-text comments: remove personal data first, then count, contrast, sort and export.

* :mod:`~soslokal_lib.text.scrubbing` — :func:`scrub` / :func:`scrub_series` replace e-mail
  addresses, URLs, fødselsnummer, phone numbers and street addresses with tags;
  :func:`flag_names` marks comments that probably name a person, for manual review.
* :mod:`~soslokal_lib.text.terms` — :func:`term_frequencies`, :func:`contrast_terms` and
  :func:`assign_themes` analyse scrubbed text, with privacy rules for words (an area below
  ``min_n`` or suppressed is pooled in :data:`POOLED_AREAS`; a term needs ``min_n`` users).
* :mod:`~soslokal_lib.text.quotes` — :func:`select_quotes`, :func:`area_counts`,
  :func:`comments_per_area` and :func:`export_comments` (primary suppression rule for quotes,
  never respondent ids).

This package only re-exports the public names: ``soslokal_lib.text.scrubbing`` … work as before.
"""

from __future__ import annotations

from soslokal_lib.text.quotes import (
    area_counts,
    comments_per_area,
    export_comments,
    published_comments,
    select_quotes,
)
from soslokal_lib.text.scrubbing import (
    NAME_TAG,
    TAGS,
    ScrubReport,
    flag_names,
    flag_names_series,
    mask_names_series,
    scrub,
    scrub_series,
)
from soslokal_lib.text.terms import (
    POOLED_AREAS,
    assign_themes,
    contrast_terms,
    load_keywords,
    stopwords,
    term_frequencies,
    tokenize,
)

__all__ = [
    "POOLED_AREAS", "TAGS", "NAME_TAG", "ScrubReport", "scrub", "scrub_series", "flag_names",
    "flag_names_series", "mask_names_series", "stopwords", "tokenize", "term_frequencies", "contrast_terms",
    "assign_themes", "load_keywords", "area_counts", "comments_per_area", "published_comments", "select_quotes",
    "export_comments",
]
