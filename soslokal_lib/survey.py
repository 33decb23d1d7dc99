"""The :class:`Survey` dataclass: responses, comments and provenance of one Stedskompasset survey."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from soslokal_lib.errors import Problem, SurveyFormatError, raise_problems
from soslokal_lib.themes import SCALES, THEME_CODES

COMMENT_COLUMNS = ("respondent_id", "theme", "kind", "text")
COMMENT_KINDS = ("good", "improve", "other")
#: Suffix of the ``dont_know`` columns in :meth:`Survey.to_frame` (``feeling_safe:dont_know``).
DONT_KNOW_SUFFIX = ":dont_know"


@dataclass
class Survey:
    """One survey: a row per respondent, free-text comments, and what the loader did.

    ``responses``: index ``respondent_id`` (strings); ``area_id``; background columns
    (e.g. ``age_group``, ``gender``) as categoricals; one nullable ``Int8`` column per theme
    code present; optional ``weight``.
    ``comments``: long table ``respondent_id, theme, kind ∈ {good, improve, other}, text``;
    ``theme`` is missing (``<NA>``) for a comment on the place as a whole (kind good/improve)
    and ``"other"`` for kind other.
    ``meta``: source path, sha256, column mapping, ``scale`` (7 or 3) and every dropped or
    altered row with its reason.
    ``dont_know``: booleans, same index as ``responses``, one column per theme: ``True`` where
    the respondent answered «vet ikke», «ikke relevant» or another missing-answer word rather
    than leaving the question blank (the score itself is ``<NA>`` either way). All ``False``
    when not given.

    :meth:`to_frame` gives one flat frame (``responses`` and a ``<theme>:dont_know`` column per
    theme) that survives Parquet; ``Survey(frame)`` reads such a frame back.
    The constructor checks the frames and stores copies; the caller's frames are not modified.
    """

    responses: pd.DataFrame
    comments: pd.DataFrame | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    dont_know: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        self.meta = dict(self.meta or {})
        self.meta.setdefault("scale", 7)
        self.meta.setdefault("changes", [])
        flat = [c for c in self.responses.columns if str(c).endswith(DONT_KNOW_SUFFIX)]
        if flat and self.dont_know is None:
            self.dont_know = self.responses[flat].rename(
                columns=lambda c: str(c)[: -len(DONT_KNOW_SUFFIX)])
        self.responses = _checked_responses(self.responses.drop(columns=flat), self.scale)
        self.dont_know = _checked_dont_know(self.dont_know, self.responses)
        if self.comments is None:
            self.comments = pd.DataFrame({c: pd.Series(dtype="string") for c in COMMENT_COLUMNS})
        else:
            self.comments = _checked_comments(self.comments)

    @classmethod
    def _from_reader(cls, responses: pd.DataFrame, comments: pd.DataFrame, meta: dict[str, Any],
                     dont_know: pd.DataFrame) -> Survey:
        """The survey :func:`~soslokal_lib.io.survey.read_survey` built, its frames already in
        the form the constructor's checks give (tests/test_read_survey_fast.py compares the
        two on every recorded file): a second pass over a million rows is saved."""
        survey = cls.__new__(cls)
        survey.responses, survey.dont_know = responses, dont_know
        survey.meta = {"scale": 7, "changes": [], **meta}
        survey.comments = _checked_comments(comments)
        return survey

    @property
    def scale(self) -> int:
        """Number of points on the score scale (7, or 3 for the children's version)."""
        return int(self.meta["scale"])

    @property
    def themes(self) -> list[str]:
        """Theme codes present in ``responses``, in official order."""
        return [c for c in THEME_CODES if c in self.responses.columns]

    @property
    def weighted(self) -> bool:
        return "weight" in self.responses.columns

    def to_frame(self) -> pd.DataFrame:
        """``responses`` with a boolean ``<theme>:dont_know`` column per theme (for Parquet)."""
        return self.responses.join(self.dont_know.add_suffix(DONT_KNOW_SUFFIX))

    def __repr__(self) -> str:
        n_areas = self.responses["area_id"].nunique()
        return (
            f"Survey({len(self.responses)} respondents, {n_areas} areas, "
            f"{len(self.themes)} themes, {len(self.comments)} comments, "
            f"{self.scale}-point scale)"
        )


def _checked_responses(responses: pd.DataFrame, scale: int) -> pd.DataFrame:
    if not isinstance(responses, pd.DataFrame):
        raise SurveyFormatError("Survey.responses must be a pandas DataFrame.")
    if scale not in SCALES:
        raise SurveyFormatError(f"Survey scale {scale!r} is not supported. Fix: use 7 or 3.")
    df = responses.copy()
    if df.index.name != "respondent_id":
        if "respondent_id" in df.columns:
            df = df.set_index("respondent_id")
        else:
            df.index = pd.Index([str(i + 1) for i in range(len(df))], name="respondent_id")
    df.index = df.index.astype("string")
    df.index.name = "respondent_id"
    problems: list[Problem] = []
    if "area_id" not in df.columns:
        raise SurveyFormatError(
            "Survey.responses has no 'area_id' column. Fix: name the column that says where "
            "each respondent lives 'area_id' (or map it with columns={...: 'area_id'})."
        )
    dupes = df.index[df.index.duplicated()].unique()
    if len(dupes):
        problems.append(Problem("duplicate respondent ids", column="respondent_id",
                                value=list(dupes[:5]), fix="give every respondent its own id"))
    themes = [c for c in THEME_CODES if c in df.columns]
    if not themes:
        raise SurveyFormatError(
            "Survey.responses has no theme columns. Fix: name score columns by theme code "
            f"({', '.join(THEME_CODES[:3])}, …)."
        )
    for code in themes:
        if pd.api.types.is_integer_dtype(df[code].dtype):  # whole numbers: only the range
            col = df[code]
            whole = col.to_numpy(dtype="int64", na_value=1)
            bad = pd.Series((whole < 1) | (whole > scale), index=df.index)
        else:
            col = pd.to_numeric(df[code], errors="coerce")
            bad = df[code].notna() & (col.isna() | (col % 1 != 0) | (col < 1) | (col > scale))
        if bad.any():
            first = df.index[bad.to_numpy()][0]
            problems.append(Problem(
                f"{int(bad.sum())} scores outside 1–{scale} or not whole numbers, first at "
                f"respondent {first}", column=code, value=df.at[first, code],
                fix=f"use whole numbers from 1 to {scale}, or leave the cell empty"))
            continue
        df[code] = col.astype("Int8")
    if "weight" in df.columns:
        w = pd.to_numeric(df["weight"], errors="coerce")
        if w.isna().any() or (w < 0).any() or not (w > 0).any():
            problems.append(Problem("weights must be non-negative numbers, some positive",
                                    column="weight", fix="check the weight column"))
        else:
            df["weight"] = w.astype("float64")
    raise_problems(SurveyFormatError, "Survey.responses", problems)
    df["area_id"] = df["area_id"].astype("string")
    return df


def _checked_dont_know(dont_know: pd.DataFrame | None, responses: pd.DataFrame) -> pd.DataFrame:
    themes = [c for c in THEME_CODES if c in responses.columns]
    if dont_know is None:
        return pd.DataFrame(False, index=responses.index, columns=themes)
    if not isinstance(dont_know, pd.DataFrame):
        raise SurveyFormatError("Survey.dont_know must be a pandas DataFrame of booleans.")
    unknown = [c for c in dont_know.columns if c not in themes]
    if unknown:
        raise SurveyFormatError(
            f"Survey.dont_know has columns {unknown} that are not theme columns of the "
            "responses. Fix: give one boolean column per theme code of responses.")
    bad = [c for c in dont_know.columns if not pd.api.types.is_bool_dtype(dont_know[c])]
    if bad:
        raise SurveyFormatError(f"Survey.dont_know column {bad[0]!r} is not boolean. Fix: use "
                                "True (answered «vet ikke») and False.")
    frame = dont_know.astype("boolean")
    frame.index = frame.index.astype("string")
    if frame.index.equals(responses.index):  # as read_survey and to_frame give it
        frame = frame.reindex(columns=themes)
    else:
        if not frame.index.isin(responses.index).all():
            raise SurveyFormatError(
                "Survey.dont_know has respondents that are not in responses. Fix: index it "
                "by respondent_id, like responses.")
        frame = frame.reindex(index=responses.index, columns=themes)
    frame = frame.fillna(False).astype(bool)
    scored = frame & responses[themes].notna().to_numpy()
    if scored.to_numpy().any():
        code = scored.any().idxmax()
        who = scored.index[scored[code].to_numpy()][0]
        raise SurveyFormatError(
            f"Survey.dont_know: respondent {who} has both a score and «vet ikke» on {code}. "
            "Fix: mark «vet ikke» only where the score is missing.")
    return frame


def _checked_comments(comments: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in COMMENT_COLUMNS if c not in comments.columns]
    if missing:
        raise SurveyFormatError(
            f"Survey.comments lacks columns {missing}. Fix: give it columns "
            f"{', '.join(COMMENT_COLUMNS)}."
        )
    df = comments.copy()
    bad_kind = ~df["kind"].isin(COMMENT_KINDS)
    if bad_kind.any():
        raise SurveyFormatError(
            f"Survey.comments: kind {df.loc[bad_kind, 'kind'].iloc[0]!r} is not one of "
            f"{COMMENT_KINDS}."
        )
    for c in COMMENT_COLUMNS:
        df[c] = df[c].astype("string")
    return df.reset_index(drop=True)
