"""Who answered: respondent counts per background variable, in the summary layer's long shape."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.survey import Survey

#: Label for respondents who left a background question blank.
NOT_ANSWERED = {"nb": "Ikke oppgitt", "en": "Not given"}


def respondent_counts(
    survey: Survey,
    variables: Sequence[str] = ("area_id", "age_group", "gender"),
    *,
    lang: str = "nb",
) -> pd.DataFrame:
    """Number of respondents per category of each background variable.

    Returns a long table ``variable, category, n, share`` in the order of the categories
    (categorical order where the column is categorical); blanks are counted as «Ikke oppgitt».
    Counts of respondents are shown even below ``min_n``: they say how many answered, not
    what anyone answered, and the summary tables show the same ``n``.
    """
    responses = survey.responses
    missing = [v for v in variables if v not in responses.columns]
    if missing:
        raise SoslokalError(
            f"respondent_counts: no column {missing[0]!r} in the survey. Fix: choose from "
            f"{', '.join(c for c in responses.columns if c not in survey.themes)}."
        )
    blank = NOT_ANSWERED["en" if lang == "en" else "nb"]
    parts = []
    for variable in variables:
        column = responses[variable]
        counts = column.value_counts(sort=False, dropna=False)
        if not isinstance(column.dtype, pd.CategoricalDtype):
            counts = counts.sort_index(na_position="last")
        categories = [blank if pd.isna(c) else str(c) for c in counts.index]
        parts.append(pd.DataFrame({
            "variable": variable,
            "category": categories,
            "n": counts.to_numpy(dtype="int64"),
            "share": counts.to_numpy(dtype="float64") / len(responses),
        }))
    return pd.concat(parts, ignore_index=True)
