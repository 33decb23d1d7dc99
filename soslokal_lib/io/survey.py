"""Read a Stedskompasset survey export (CSV or XLSX) into a :class:`~soslokal_lib.Survey`.

Every cell is read as text first; nothing is coerced behind the user's back. Scores become
nullable ``Int8`` (missing-answer words → ``<NA>``), background columns categoricals, free-text
comments a long table. A bad file gets one :class:`SurveyFormatError` naming the file, the row
(as a spreadsheet counts it), the column header as written, the value and the fix; ``meta``
records the column mapping and everything the loader changed.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem, SoslokalError, SurveyFormatError, raise_problems
from ..survey import Survey
from ..themes import SCALES, THEME_CODES, get_theme
from ._survey_columns import canonical_name, parse_target, suggestions, theme_lookalike
from ._table import Table, column_letter, read_table, via_uniques

#: Cell texts read as "no answer" (case-insensitive); the blank cell always is.
DEFAULT_MISSING_TOKENS = (
    "", "vet ikke", "ikke relevant", "ikke aktuelt", "vil ikke svare", "ønsker ikke å svare",
    "don't know", "dont know", "not relevant", "not applicable", "prefer not to say",
    "n/a", "na",
)
# A whole number, optionally "5.0" (a number saved by Excel) or followed by a label:
# "5 - noe", "7 – Lite å forbedre", "1. Mye å forbedre". "5.5" and "5,5" do not match.
_SCORE = r"^(\d+)(?:\.0+)?(?:\s*[-–—:.)]?\s*(?:[^\d\s.,:)\-–—].*)?)?$"
_BACKGROUND = ("age_group", "gender")


def read_survey(
    path: str | Path,
    columns: Mapping[str, str | None] | None = None,
    *,
    sheet: str | int | None = None,
    missing_tokens: Iterable[str] | None = None,
    area_codes: Mapping[str, str] | None = None,
    themes: Iterable[str | int] | None = None,
    scale: int = 7,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Survey:
    """Read a survey export: one row per respondent, one column per question.

    ``columns`` maps headers as written → canonical names (theme code, ``area_id``,
    ``respondent_id``, ``age_group``, ``gender``, ``weight``, ``<theme>:good``,
    ``<theme>:improve``, ``other``) or ``None`` to ignore a column; other headers are matched
    by their bokmål/English aliases. ``themes`` reads a subset of the 14 themes deliberately
    (otherwise a missing theme is an error). ``missing_tokens`` replaces the words read as "no
    answer". ``area_codes`` maps area names to codes. ``scale`` is 7, or 3 for the children's
    version. ``sheet`` picks an XLSX sheet by name or 0-based index; ``encoding`` and
    ``delimiter`` override the detection for CSV.
    """
    path = Path(path)
    if scale not in SCALES:
        raise SurveyFormatError(f"{path}: scale={scale!r} is not supported. Fix: use scale=7 "
                                "(standard and young people's versions) or scale=3 (children's).")
    tokens = _missing_tokens(missing_tokens)
    wanted = _wanted_themes(path, themes)
    explicit = _explicit_columns(path, columns)
    codes = _area_codes(path, area_codes)

    def known(cell: str) -> bool:
        return cell.strip() in explicit or canonical_name(cell) is not None

    table = read_table(path, sheet=sheet, encoding=encoding, delimiter=delimiter,
                       is_header=known, error=SurveyFormatError)
    plan = _plan_columns(path, table, explicit, wanted)
    if plan["unmatched"]:
        listed = ", ".join(repr(u["column"]) for u in plan["unmatched"])
        warnings.warn(f"{path}: {len(plan['unmatched'])} column(s) not recognised and not read: "
                      f"{listed}. Map them with columns={{header: name}}, or silence this with "
                      "columns={header: None}.", UserWarning, stacklevel=2)
    cells = _Cells(path, table, plan["source"])
    ids, id_source = cells.respondent_ids()
    area = cells.areas(codes)
    scores, missing_count = cells.scores(wanted, scale, tokens)
    weight = cells.weights()
    background, background_missing = cells.background(tokens)
    cells.raise_if_any()

    responses = pd.DataFrame({"area_id": area.to_numpy()},
                             index=pd.Index(ids.to_numpy(), dtype="string", name="respondent_id"))
    for name, values in background.items():
        responses[name] = values
    if weight is not None:
        responses["weight"] = weight.to_numpy()
    for code in THEME_CODES:
        if code in scores:
            responses[code] = scores[code].to_numpy()
    comments, dropped = _comments(table, plan["source"], ids)
    comments, scrubbed = _scrub(comments)
    meta = {
        **table.meta,
        "scale": scale,
        "themes": [c for c in THEME_CODES if c in scores],
        "columns": plan["columns"],
        "unmatched_columns": plan["unmatched"],
        "ignored_columns": plan["ignored"],
        "respondent_id_source": id_source,
        "area_codes": codes["given"] if codes else None,
        "missing_tokens": sorted(tokens),
        "missing_tokens_count": {**missing_count, **background_missing},
        "comments_dropped_empty": dropped,
        "comments_scrubbed": scrubbed,  # items removed per kind (phone, e-mail, …)
        "n_respondents": len(responses),
    }
    return Survey(responses, comments, meta)


# --- arguments ----------------------------------------------------------------------------------


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def _missing_tokens(tokens: Iterable[str] | None) -> set[str]:
    if isinstance(tokens, str):
        tokens = [tokens]
    return {_norm(t) for t in (DEFAULT_MISSING_TOKENS if tokens is None else tokens)} | {""}


def _wanted_themes(path: Path, themes: Iterable[str | int] | None) -> list[str]:
    if themes is None:
        return list(THEME_CODES)
    if isinstance(themes, (str, int)):
        themes = [themes]
    try:
        chosen = {get_theme(t).code for t in themes}
    except SoslokalError as exc:
        raise SurveyFormatError(f"{path}: themes=: {exc}") from None
    if not chosen:
        raise SurveyFormatError(f"{path}: themes= is empty. Fix: name at least one theme, or "
                                "leave themes out to read all 14.")
    return [c for c in THEME_CODES if c in chosen]


def _explicit_columns(path: Path, columns: Mapping[str, str | None] | None) -> dict:
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise SurveyFormatError(f"{path}: columns= must be a dict of header → name, not "
                                f"{type(columns).__name__}.")
    explicit = {}
    for header, target in columns.items():
        try:
            explicit[str(header).strip()] = parse_target(target)
        except SoslokalError:
            raise SurveyFormatError(
                f"{path}: columns={{{header!r}: {target!r}}}: {target!r} is not a name soslokal "
                "knows. Fix: use a theme code (e.g. 'feeling_safe'), 'area_id', "
                "'respondent_id', 'age_group', 'gender', 'weight', '<theme>:good', "
                "'<theme>:improve', 'other', or None to ignore the column.") from None
    return explicit


def _area_codes(path: Path, area_codes: Mapping[str, str] | None) -> dict | None:
    if area_codes is None:
        return None
    lookup: dict[str, str] = {}
    for name, code in area_codes.items():
        key = _norm(name)
        if key in lookup and lookup[key] != str(code):
            raise SurveyFormatError(f"{path}: area_codes= gives {name!r} two codes "
                                    f"({lookup[key]!r} and {str(code)!r}) once case and spaces "
                                    "are ignored. Fix: keep one.")
        lookup[key] = str(code)
    return {"lookup": lookup, "given": {str(k): str(v) for k, v in area_codes.items()}}


# --- columns ------------------------------------------------------------------------------------


def _plan_columns(path: Path, table: Table, explicit: dict, wanted: list[str]) -> dict[str, Any]:
    """Decide which column becomes which canonical name; refuse impossible layouts."""
    headers = [h.strip() for h in table.header]
    problems: list[Problem] = []
    for key in explicit:
        if key not in headers:
            close = difflib.get_close_matches(key, [h for h in headers if h], n=3, cutoff=0.6)
            hint = f"did you mean {', '.join(map(repr, close))}? " if close else ""
            problems.append(Problem("columns= names a column that is not in the file",
                                    column=key, fix=f"{hint}use the header exactly as written"))
    source: dict[str, int] = {}
    by_columns: set[str] = set()
    mapping: dict[str, str | None] = {}
    unmatched: list[dict[str, Any]] = []
    ignored: dict[str, str] = {}

    def claim(pos: int, target: str, explicit_target: bool) -> None:
        header = headers[pos]
        theme = target.partition(":")[0]
        if theme in THEME_CODES and theme not in wanted:
            ignored[header] = f"theme {theme} is not in themes="
            return
        if target in source:
            other = headers[source[target]]
            if target in by_columns and not explicit_target:
                unmatched.append({"column": header, "position": column_letter(pos),
                                  "suggestions": [], "note": f"{target} is already read from "
                                  f"{other!r} (columns=)"})
                return
            problems.append(Problem(
                f"two columns would both be read as {target}: {other!r} and {header!r}",
                row=table.header_row, column=header,
                fix=f"keep one, or ignore the other with columns={{{header!r}: None}}"))
            return
        source[target] = pos
        mapping[header] = target
        if explicit_target:
            by_columns.add(target)

    for pos, header in enumerate(headers):
        if header in explicit:
            mapping[header] = explicit[header]
            if explicit[header] is not None:
                claim(pos, explicit[header], True)
    for pos, header in enumerate(headers):
        if header in explicit:
            continue
        target = canonical_name(header) if header else None
        if target is not None:
            claim(pos, target, False)
            continue
        lookalike = theme_lookalike(header) if header else None
        if lookalike:
            problems.append(Problem(
                f"looks like a theme column but is not one of the 14 themes; did you mean "
                f"{lookalike}?", row=table.header_row, column=header,
                fix=f"correct the header, map it with columns={{{header!r}: '<theme code>'}}, "
                    f"or ignore it with columns={{{header!r}: None}}"))
            continue
        unmatched.append({"column": header or f"(no header, column {column_letter(pos)})",
                          "position": column_letter(pos), "suggestions": suggestions(header)})
    absent = [c for c in wanted if c not in source]
    if absent:
        names = ", ".join(f"{get_theme(c).number}. {get_theme(c).name_nb} ({c})" for c in absent)
        problems.append(Problem(
            f"{len(absent)} theme column(s) are missing: {names}",
            fix="pass themes=[…] to read only the themes this survey asked, or map the headers "
                "with columns={header: theme code}"))
    if "area_id" not in source:
        problems.append(Problem(
            "no column says which area each respondent lives in (e.g. 'Hvilket område bor du "
            "i?', 'Område', 'Bydel')",
            fix="map the area column with columns={header: 'area_id'}"))
    raise_problems(SurveyFormatError, path, problems)
    return {"source": source, "columns": mapping, "unmatched": unmatched, "ignored": ignored}


# --- cells --------------------------------------------------------------------------------------


class _Cells:
    """Vectorised checks of the data cells; collects problems sorted as they appear in the file."""

    def __init__(self, path: Path, table: Table, source: dict[str, int]) -> None:
        self.path, self.table, self.source = path, table, source
        self.rows = table.rows
        self.problems: list[tuple[int, int, Problem]] = []

    def col(self, target: str) -> pd.Series:
        return self.table.data[self.source[target]]

    def header(self, target: str) -> str:
        return self.table.header[self.source[target]].strip()

    def flag(self, target: str, mask: pd.Series, message: str, fix: str,
             values: pd.Series | None = None) -> None:
        hits = np.flatnonzero(mask.to_numpy())
        shown = (self.col(target) if values is None else values).to_numpy()
        pos, header = self.source[target], self.header(target)
        self.problems += [(int(self.rows[i]), pos, Problem(
            message, row=int(self.rows[i]), column=header, value=_scrubbed(shown[i]), fix=fix))
            for i in hits]

    def raise_if_any(self) -> None:
        self.problems.sort(key=lambda p: (p[0], p[1]))
        raise_problems(SurveyFormatError, self.path, [p for _, _, p in self.problems])

    def respondent_ids(self) -> tuple[pd.Series, str]:
        if "respondent_id" not in self.source:
            return pd.Series(self.rows.astype(str)), "row numbers (no respondent id column)"
        ids = self.col("respondent_id")
        blank = ids == ""
        self.flag("respondent_id", blank, "respondent id is missing",
                  "fill in an id, or remove the id column to number respondents by row")
        first = pd.Series(self.rows).groupby(ids.to_numpy()).transform("min").to_numpy()
        repeated = ids.duplicated(keep="first") & ~blank
        for i in np.flatnonzero(repeated.to_numpy()):
            header = self.header("respondent_id")
            self.problems.append((int(self.rows[i]), self.source["respondent_id"], Problem(
                f"duplicate respondent id (also on row {first[i]})", row=int(self.rows[i]),
                column=header, value=ids.iat[i],
                fix="give every respondent its own id; if the response was exported twice, "
                    "delete one copy")))
        return ids, f"column {self.header('respondent_id')!r}"

    def areas(self, codes: dict | None) -> pd.Series:
        area = self.col("area_id")
        self.flag("area_id", area == "", "area is missing",
                  "fill in the respondent's area (every response needs one)")
        if codes is None:
            return area
        keys = via_uniques(area, _fold)
        mapped = keys.map(codes["lookup"])
        unknown = (area != "") & mapped.isna()
        if unknown.any():
            values = area[unknown]
            listed = ", ".join(repr(_scrubbed(v)) for v in values.unique()[:10])
            more = " …" if values.nunique() > 10 else ""
            first_only = unknown & ~area.duplicated(keep="first")
            names = list(codes["given"])
            for i in np.flatnonzero(first_only.to_numpy()):
                value = area.iat[i]
                close = difflib.get_close_matches(value, names, n=3, cutoff=0.6)
                hint = f"did you mean {', '.join(map(repr, close))}? " if close else ""
                count = int((area == value).sum())
                self.problems.append((int(self.rows[i]), self.source["area_id"], Problem(
                    f"area not in area_codes (on {count} row(s); values not in area_codes: "
                    f"{listed}{more})", row=int(self.rows[i]), column=self.header("area_id"),
                    value=_scrubbed(value),
                    fix=f"{hint}add it to area_codes= or correct the cell")))
        return mapped.fillna("").astype(str)

    def scores(self, wanted: list[str], scale: int,
               tokens: set[str]) -> tuple[dict[str, pd.Series], dict[str, dict[str, int]]]:
        out: dict[str, pd.Series] = {}
        counts: dict[str, dict[str, int]] = {}
        for code in (c for c in wanted if c in self.source):
            text = self.col(code)
            folded = via_uniques(text, _fold)
            missing = folded.isin(tokens)
            number = via_uniques(text, _score_number)
            self.flag(code, ~missing & number.isna(), f"not a score on the 1–{scale} scale",
                      f"use a whole number from 1 to {scale} (a label after it is fine, e.g. "
                      "'5 - noe'), leave the cell empty, or add the word to missing_tokens= if "
                      "it means 'no answer'")
            outside = ~missing & number.notna() & ((number < 1) | (number > scale))
            self.flag(code, outside, f"score outside the scale 1–{scale}",
                      f"use a whole number from 1 to {scale}"
                      + (" (this survey has a 3-point scale)" if scale == 3 else "")
                      + "; if the value means 'no answer', add it to missing_tokens=")
            good = ~missing & number.notna() & ~outside
            out[code] = number.where(good).astype("Int8")
            counts[code] = _token_counts(folded[missing])
        return out, counts

    def weights(self) -> pd.Series | None:
        if "weight" not in self.source:
            return None
        text = self.col("weight")
        comma = text.str.replace(",", ".", regex=False)  # decimal comma from Norwegian Excel
        decimal = text.where(text.str.contains(".", regex=False), comma)
        number = pd.to_numeric(decimal, errors="coerce")
        self.flag("weight", number.isna(), "weight is not a number",
                  "give every respondent a positive weight (e.g. 1.25)")
        self.flag("weight", number.notna() & ~(np.isfinite(number) & (number > 0)),
                  "weight must be greater than 0", "give every respondent a positive weight")
        return number.astype("float64")

    def background(self, tokens: set[str]) -> tuple[dict[str, pd.Categorical],
                                                     dict[str, dict[str, int]]]:
        out: dict[str, pd.Categorical] = {}
        counts: dict[str, dict[str, int]] = {}
        for name in (n for n in _BACKGROUND if n in self.source):
            text = self.col(name)
            folded = via_uniques(text, _fold)
            missing = folded.isin(tokens)
            labels = text.where(~missing)
            seen = list(labels.dropna().unique())
            ordered = name == "age_group"
            if ordered:
                seen = sorted(seen, key=lambda label: (_age_key(label), seen.index(label)))
            out[name] = pd.Categorical(labels, categories=seen, ordered=ordered)
            counts[name] = _token_counts(folded[missing])
        return out, counts


def _fold(text: pd.Series) -> pd.Series:
    return text.str.replace(r"\s+", " ", regex=True).str.casefold()


def _score_number(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.str.extract(_SCORE, expand=False), errors="coerce")


def _token_counts(folded: pd.Series) -> dict[str, int]:
    counts = folded.value_counts()
    return {("(blank)" if k == "" else str(k)): int(v) for k, v in counts.items()}


def _age_key(label: str) -> float:
    """Natural order of an age label by its first number; "Under 16" sorts before "16–24"."""
    found = re.search(r"\d+", label)
    if not found:
        return float("inf")
    below = re.match(r"\s*(under|opp til|inntil|yngre enn|younger than|less than|<)",
                     label, re.IGNORECASE)
    return int(found.group()) - (0.5 if below else 0)


# --- comments -----------------------------------------------------------------------------------


def _comments(table: Table, source: dict[str, int], ids: pd.Series) -> tuple[pd.DataFrame, int]:
    frames, total = [], 0
    for target, pos in source.items():
        if target != "other" and not target.endswith((":good", ":improve")):
            continue
        theme, _, kind = target.partition(":")
        if target == "other":
            theme, kind = "other", "other"
        text = table.data[pos]
        keep = (text != "").to_numpy()
        total += len(text)
        frames.append(pd.DataFrame({
            "respondent_id": ids.to_numpy()[keep], "theme": theme, "kind": kind,
            "text": text.to_numpy()[keep], "_row": np.flatnonzero(keep), "_col": pos}))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="string")
                             for c in ("respondent_id", "theme", "kind", "text")}), 0
    long = pd.concat(frames, ignore_index=True).sort_values(["_row", "_col"], kind="stable")
    long = long.drop(columns=["_row", "_col"]).reset_index(drop=True)
    return long, total - len(long)


def _scrub(comments: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Remove personal data from comment texts; returns the texts and the counts per kind."""
    from ..text import scrub_series

    texts, report = scrub_series(comments["text"])
    return comments.assign(text=texts), {k: int(v) for k, v in report.counts.items()}


def _scrubbed(value: object) -> object:
    """A cell value fit for an error message: personal data (phone, e-mail, …) masked."""
    from ..text import scrub

    return scrub(value) if isinstance(value, str) else value
