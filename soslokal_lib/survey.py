"""The :class:`Survey` dataclass: responses, comments and provenance of one Stedskompasset survey."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .errors import Problem, SurveyFormatError, raise_problems
from .themes import SCALES, THEME_CODES

COMMENT_COLUMNS = ("respondent_id", "theme", "kind", "text")
COMMENT_KINDS = ("good", "improve", "other")


@dataclass
class Survey:
    """One survey: a row per respondent, free-text comments, and what the loader did.

    ``responses``: index ``respondent_id`` (strings); ``area_id``; background columns
    (e.g. ``age_group``, ``gender``) as categoricals; one nullable ``Int8`` column per theme
    code present; optional ``weight``.
    ``comments``: long table ``respondent_id, theme, kind ∈ {good, improve, other}, text``.
    ``meta``: source path, sha256, column mapping, ``scale`` (7 or 3) and every dropped or
    altered row with its reason.

    The constructor checks the frames and stores copies; the caller's frames are not modified.
    """

    responses: pd.DataFrame
    comments: pd.DataFrame | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.meta = dict(self.meta or {})
        self.meta.setdefault("scale", 7)
        self.meta.setdefault("changes", [])
        self.responses = _checked_responses(self.responses, self.scale)
        if self.comments is None:
            self.comments = pd.DataFrame({c: pd.Series(dtype="string") for c in COMMENT_COLUMNS})
        else:
            self.comments = _checked_comments(self.comments)

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
