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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from soslokal_lib._messages import hint as _hint
from soslokal_lib._messages import lazy, msg, tr
from soslokal_lib.errors import (
    Problem,
    ProblemWarning,
    SoslokalError,
    SurveyFormatError,
    raise_problems,
)
from soslokal_lib.io._survey_columns import (
    looks_like_header,
    match_header,
    parse_target,
    suggestions,
)
from soslokal_lib.io._survey_numbering import numbering as _numbering
from soslokal_lib.io._survey_numbering import resolve as _resolve
from soslokal_lib.io._survey_numbering import shifted as _shifted
from soslokal_lib.io._survey_numbering import toml as _toml
from soslokal_lib.io._table import Column, Table, column_letter, read_table
from soslokal_lib.survey import Survey
from soslokal_lib.themes import SCALES, THEME_CODES, get_theme

#: Cell texts read as "no answer" (case-insensitive); the blank cell always is.
DEFAULT_MISSING_TOKENS = (
    "", "vet ikke", "ikke relevant", "ikke aktuelt", "vil ikke svare", "ønsker ikke å svare",
    "don't know", "dont know", "not relevant", "not applicable", "prefer not to say",
    "n/a", "na",
)
#: Missing-answer words that stand for a blank cell (an export's way of writing "nothing");
#: every other missing-answer word is an answer of its own («vet ikke», «ikke relevant» …)
#: and counted in ``Survey.dont_know``.
BLANK_TOKENS = ("", "n/a", "na")
# A whole number, optionally "5.0" (a number saved by Excel) or followed by a label:
# "5 - noe", "7 – Lite å forbedre", "1. Mye å forbedre". "5.5" and "5,5" do not match.
_SCORE = r"^(\d+)(?:\.0+)?(?:\s*[-–—:.)]?\s*(?:[^\d\s.,:)\-–—].*)?)?$"
_BACKGROUND = ("age_group", "gender")
_TARGETS = ("a theme code (e.g. 'feeling_safe') or number, 'area_id', 'respondent_id', "
            "'age_group', 'gender', 'weight', '<theme>:good', '<theme>:improve', 'good' or "
            "'improve' (comments on no theme), 'other'")


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
    round: str | int | None = None,
    replace_missing_tokens: bool = False,
) -> Survey:
    """Read a survey export: one row per respondent, one column per question.

    ``columns`` maps headers as written → canonical names (theme code, ``area_id``,
    ``respondent_id``, ``age_group``, ``gender``, ``weight``, ``<theme>:good``,
    ``<theme>:improve``, ``good``/``improve`` for comments on no particular theme, ``other``)
    or ``None`` (or ``False``) to ignore a column. Other headers are matched by their bokmål/English names,
    2015 names and question wordings, and a numbered header (``Spm 7 – own wording``,
    ``7.``, ``Spørsmål 7``, ``Q7``) by its number in the standard order when the file's
    numbering follows it (``meta["numbering"]`` says whether it does, and why not); a header
    whose words name another theme than its number is read by its number with a warning
    (``meta["header_warnings"]``). ``themes`` reads a subset of the 14 themes
    deliberately (otherwise a missing theme is an error). ``missing_tokens`` are words read as
    "no answer" besides the standard ones (:data:`DEFAULT_MISSING_TOKENS`, «vet ikke» …), as
    ``[survey] missing_tokens`` in the config; with ``replace_missing_tokens=True`` they are the
    only ones (the blank cell always is one). Such answers other than
    blanks (:data:`BLANK_TOKENS`) are kept in ``Survey.dont_know``. An area cell that is blank
    or a missing-answer word gives ``area_id`` ``<NA>`` (the respondent counts in the whole
    survey's figures only; ``meta["n_without_area"]``). ``area_codes`` maps area
    names to codes. ``scale`` is 7, or 3 for the children's version. ``sheet`` picks an XLSX
    sheet by name or 0-based index; ``encoding`` and ``delimiter`` override the detection for
    CSV. ``round`` labels the survey round (e.g. ``"2024"``), kept as ``meta["round"]``
    (a string); a column of round labels (``round``, «Runde», «År», «Year»), as in a combined
    export of several rounds, is read into ``responses["round"]`` — split such a survey with
    :func:`soslokal_lib.stats.rounds.split_rounds`. Without ``round=`` ``meta["round"]`` is the
    column's one label, or ``None`` (no column, or several rounds). Every problem found is in
    the error's ``problems``.
    """
    path = Path(path)
    if scale not in SCALES:
        raise_problems(SurveyFormatError, path, [Problem(
            f"scale={scale!r} is not supported",
            fix="use scale=7 (standard and young people's versions) or scale=3 (children's)",
            fix_config="write scale = 7 (standard and young people's versions) or scale = 3 "
                       "(children's) under [survey]")])
    tokens = _missing_tokens(missing_tokens, replace=replace_missing_tokens)
    wanted = _wanted_themes(path, themes)
    explicit = _explicit_columns(path, columns)
    codes = _area_codes(path, area_codes)

    def known(cell: str) -> bool:
        return cell.strip() in explicit or looks_like_header(cell)

    table = read_table(path, sheet=sheet, encoding=encoding, delimiter=delimiter,
                       is_header=known, error=SurveyFormatError)
    plan = _plan_columns(table, explicit, wanted)
    reason = _not_score_columns(table, plan, tokens)
    if reason:  # read the headers again, by their words only
        plan = _plan_columns(table, explicit, wanted, {"standard": False, "reason": reason})
    for problem in plan["warnings"]:
        warnings.warn(ProblemWarning(path, problem), stacklevel=2)
    if plan["unmatched"]:
        listed = [u["column"] for u in plan["unmatched"] if not u["column"].startswith("(")]
        warnings.warn(ProblemWarning(path, Problem(
            msg("survey.unrecognised", n=len(plan["unmatched"]),
                columns=", ".join(repr(u["column"]) for u in plan["unmatched"])),
            fix=msg("survey.unrecognised.fix"),
            fix_config=msg("survey.unrecognised.fix_config",
                           lines=", ".join(f"{_toml(h)} = false" for h in listed[:5])
                           + (" …" if len(listed) > 5 else "")))), stacklevel=2)
    cells = _Cells(path, table, plan["source"])
    ids, id_source = cells.respondent_ids()
    area, no_area = (cells.areas(codes, tokens) if "area_id" in plan["source"]
                     else (None, {}))
    scores, dont_know, missing_count = cells.scores(wanted, scale, tokens)
    weight = cells.weights()
    rounds = cells.rounds(round)
    background, background_missing = cells.background(tokens)
    for problem in cells.notes:
        warnings.warn(ProblemWarning(path, problem), stacklevel=2)
    try:
        cells.raise_if_any(plan["problems"])
    except SurveyFormatError as exc:  # what could be read, for `soslokal check`
        exc.partial = {"columns": plan["columns"], "n_respondents": len(ids),
                       "area_id": None if area is None else _area_series(area),
                       "source_rows": cells.rows.tolist()}
        raise

    ids.name = "respondent_id"
    columns = {"area_id": _area_series(area).array, **background}
    if weight is not None:
        columns["weight"] = weight
    if rounds is not None:
        columns["round"] = pd.array(rounds, dtype="string")
    columns.update({code: scores[code] for code in THEME_CODES if code in scores})
    responses = pd.DataFrame(columns, index=ids, copy=False)  # fresh arrays: no copy needed
    dk = pd.DataFrame({c: dont_know[c] for c in THEME_CODES if c in dont_know},
                      index=responses.index, copy=False)
    comments, dropped = _comments(table, plan["source"], ids)
    comments, scrubbed = _scrub(comments)
    keep, blank_rows = _not_blank(responses, dk, comments, cells.rows)
    if blank_rows:  # a response with nothing in it is no respondent
        warnings.warn(ProblemWarning(path, Problem(
            msg("survey.blank_rows", n=len(blank_rows),
                rows=", ".join(map(str, blank_rows[:10])) + (" …" if len(blank_rows) > 10
                                                            else "")),
            fix=msg("survey.blank_rows.fix"))), stacklevel=2)
        no_area = dict(no_area)
        nowhere = int(responses["area_id"][~keep].isna().sum())
        responses, dk = responses[keep], dk[keep]
    meta = {
        **table.finished_meta(),
        "scale": scale,
        "round": _round_label(round, rounds),
        "themes": [c for c in THEME_CODES if c in scores],
        "columns": plan["columns"],
        "numbering": plan["numbering"],
        "header_warnings": [w.describe() for w in plan["warnings"]],
        "unmatched_columns": plan["unmatched"],
        "ignored_columns": plan["ignored"],
        "respondent_id_source": id_source,
        "area_codes": codes["given"] if codes else None,
        "missing_tokens": sorted(tokens),
        "missing_tokens_count": {**missing_count, **background_missing,
                                 **({"area_id": no_area} if no_area else {})},
        "n_without_area": sum(no_area.values()) - (nowhere if blank_rows else 0),
        "dont_know_count": {c: int(np.count_nonzero(dont_know[c])) for c in dk.columns},
        "comments_dropped_empty": dropped,
        "comments_scrubbed": scrubbed,  # items removed per kind (phone, e-mail, …)
        "n_respondents": len(responses),
        "source_rows": cells.rows[keep].tolist(),  # each respondent's row, as in Excel
    }
    if blank_rows:
        meta["blank_rows"] = blank_rows  # rows left out: no score, comment, age or gender
    return Survey._from_reader(responses, comments, meta, dk)


# --- arguments ----------------------------------------------------------------------------------


def fold_name(text: object) -> str:
    """A header or name as the reader matches it: case and runs of white space ignored."""
    return " ".join(str(text).split()).casefold()


_norm = fold_name


def _missing_tokens(tokens: Iterable[str] | None, replace: bool = False) -> set[str]:
    """The normalised "no answer" words: ``tokens`` added to the standard ones (or, with
    ``replace``, instead of them); the blank cell always."""
    if isinstance(tokens, str):
        tokens = [tokens]
    given = list(tokens or ())
    standard = [] if replace and tokens is not None else list(DEFAULT_MISSING_TOKENS)
    return {_norm(t) for t in (*standard, *given)} | {""}


def _wanted_themes(path: Path, themes: Iterable[str | int] | None) -> list[str]:
    if themes is None:
        return list(THEME_CODES)
    if isinstance(themes, (str, int)):
        themes = [themes]
    try:
        chosen = {get_theme(t).code for t in themes}
    except SoslokalError as exc:
        raise_problems(SurveyFormatError, path, [Problem(
            f"themes=: {str(exc).removesuffix('.')}", fix="name each theme by code, number 1–14 "
            "or name", fix_config="name each theme of themes under [survey] by code, number "
            "1–14 or name")])
    if not chosen:
        raise_problems(SurveyFormatError, path, [Problem(
            "themes= is empty", fix="name at least one theme, or leave themes out to read all 14",
            fix_config="name at least one theme in themes under [survey], or leave it out to "
                       "read all 14")])
    return [c for c in THEME_CODES if c in chosen]


def _explicit_columns(path: Path, columns: Mapping[str, str | None] | None) -> dict:
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise SurveyFormatError(f"{path}: columns= must be a dict of header → name, not "
                                f"{type(columns).__name__}.")
    explicit, problems = {}, []
    for header, target in columns.items():
        try:
            explicit[str(header).strip()] = parse_target(target)
        except SoslokalError:
            problems.append(Problem(
                f"columns={{{header!r}: {target!r}}}: {target!r} is not a name soslokal knows",
                fix=f"use {_TARGETS}, or None to ignore the column",
                fix_config=f"under [survey.columns] use {_TARGETS.replace(chr(39), chr(34))}, "
                           "or false to ignore the column"))
    raise_problems(SurveyFormatError, path, problems)
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
    return {"lookup": lookup, "given": {str(k): str(v) for k, v in area_codes.items()},
            "source": getattr(area_codes, "source", None)}


# --- columns ------------------------------------------------------------------------------------


def _plan_columns(table: Table, explicit: dict, wanted: list[str],
                  numbering: dict[str, Any] | None = None) -> dict[str, Any]:
    """Decide which column becomes which canonical name; collect every problem and warning.

    ``numbering`` overrides the verdict of :func:`_numbering` on the file's numbered headers.
    """
    headers = [h.strip() for h in table.header]
    row = table.header_row
    problems: list[Problem] = []
    warned: list[Problem] = []
    for key in explicit:
        if key not in headers:
            close = difflib.get_close_matches(key, [h for h in headers if h], n=3, cutoff=0.6)
            hint = _hint(close)
            problems.append(Problem(msg("survey.explicit_absent"), column=key,
                                    fix=msg("survey.explicit_absent.fix", hint=hint),
                                    fix_config=msg("survey.explicit_absent.fix_config",
                                                   hint=hint)))
    matches = {pos: match_header(h) for pos, h in enumerate(headers)
               if h and h not in explicit}
    numbering = numbering or _numbering(headers, matches)
    source: dict[str, int] = {}
    by_columns: set[str] = set()
    mapping: dict[str, str | None] = {}
    unmatched: list[dict[str, Any]] = []
    ignored: dict[str, str] = {}
    by_number: dict[str, int] = {}  # theme columns known by their number alone

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
                msg("survey.two_columns", target=target, other=other, header=header),
                row=row, column=header, fix=msg("survey.two_columns.fix", header=header),
                fix_config=msg("survey.two_columns.fix_config", line=f"{_toml(header)} = false")))
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
    shift, covered = (_shifted(headers, matches, wanted, row) if numbering["standard"] is False
                      else (None, {}))
    if shift is not None:
        problems.append(shift)
    pending = {t.partition(":")[0] for t in covered.values()}  # themes a problem's fix reads
    same_number: dict[int, list[tuple[str, str]]] = {}  # comments known by their number alone
    for pos, m in matches.items():
        if m is not None and m.how == "comment" and m.named is None and m.number is not None:
            same_number.setdefault(m.number, []).append((headers[pos], m.kind))
    for pos, header in enumerate(headers):
        if header in explicit or pos in covered:
            continue
        match = matches.get(pos)
        before = len(problems)
        target = _resolve(match, header, numbering, row, problems, warned, same_number)
        if target is None and len(problems) > before and match.named and match.theme:
            pending |= {match.named, match.theme}  # number and words disagree
        if match is not None and match.how == "general_comment" and match.number is not None:
            warned.append(Problem(
                msg("numbering.general_comment", number=match.number, kind=match.kind),
                row=row, column=header,
                fix=msg("numbering.general_comment.fix", header=header, kind=match.kind),
                fix_config=msg("numbering.general_comment.fix_config", header=_toml(header),
                               kind=match.kind)))
        if target is not None:
            claim(pos, target, False)
            if match.how == "number" and match.named is None and mapping.get(header) == target:
                by_number[target] = pos
        elif match is None or (match.how == "none" and match.lookalike is None):
            unmatched.append({"column": header or f"(no header, column {column_letter(pos)})",
                              "position": column_letter(pos), "suggestions": suggestions(header)})
    absent = [c for c in wanted if c not in source and c not in pending]
    if absent:
        names = ", ".join(f"{get_theme(c).number}. {get_theme(c).name_nb} ({c})" for c in absent)
        present = [c for c in wanted if c in source]
        candidates = [u["column"] for u in unmatched if not u["column"].startswith("(")]
        lines = [lazy(lambda lang, h=h: f"{_toml(h)} = "
                      f"{_toml(tr(msg('numbering.theme_code'), lang))}") for h in candidates[:3]]
        map_hint = (msg("survey.map_header_eg",
                        lines=lazy(lambda lang: "; ".join(tr(ln, lang) for ln in lines)))
                    if lines
                    else msg("survey.map_header"))
        listed = ", ".join(_toml(c) for c in present)
        problems.append(Problem(
            msg("survey.themes_missing", n=len(absent), names=names),
            fix=msg("survey.themes_missing.fix", present=present),
            fix_config=msg("survey.themes_missing.fix_config", hint=map_hint, listed=listed)))
    if "area_id" not in source:
        problems.append(Problem(msg("survey.no_area"), fix=msg("survey.no_area.fix"),
                                fix_config=msg("survey.no_area.fix_config")))
    return {"source": source, "columns": mapping, "unmatched": unmatched, "ignored": ignored,
            "problems": problems, "warnings": warned, "numbering": numbering,
            "by_number": by_number}


def _not_score_columns(table: Table, plan: dict[str, Any], tokens: set[str]) -> str | None:
    """Why the numbers are not theme numbers, if a column read as a theme by its number alone
    holds mostly no scores (an export numbering every question: «Q1» is the area)."""
    for pos in plan["by_number"].values():
        column = table.columns[pos]
        text = _text(column.uniques)
        given = ~_fold(text).isin(tokens).to_numpy()
        nan = _score_number(text).isna().to_numpy()
        cells = column.counts()
        n_given = int(cells[given].sum())
        if n_given and int(cells[given & nan].sum()) / n_given > 0.5:
            example = _scrubbed(column.uniques[np.flatnonzero(given & nan)[0]])
            return msg("numbering.no_scores", header=table.header[pos].strip(), example=example)
    return None


# --- cells --------------------------------------------------------------------------------------


class _Cells:
    """Vectorised checks of the data cells; collects problems sorted as they appear in the file.

    Each check runs on a column's distinct values and reaches the cells through its codes;
    the cells of a problem are looked up only once a check has found that there is one.
    """

    def __init__(self, path: Path, table: Table, source: dict[str, int]) -> None:
        self.path, self.table, self.source = path, table, source
        self.rows = table.rows
        self.problems: list[tuple[int, int, Problem]] = []
        self.notes: list[Problem] = []  # warnings about the cells

    def col(self, target: str) -> Column:
        return self.table.columns[self.source[target]]

    def header(self, target: str) -> str:
        return self.table.header[self.source[target]].strip()

    def flag(self, target: str, bad: np.ndarray, message: str, fix: str,
             fix_config: str | None = None) -> None:
        """A problem on every cell whose distinct value is ``bad`` (a mask of ``uniques``)."""
        if not bad.any():
            return
        column = self.col(target)
        hits = np.flatnonzero(bad[column.codes])
        shown = column.uniques[column.codes[hits]]
        pos, header = self.source[target], self.header(target)
        self.problems += [(int(self.rows[i]), pos, Problem(
            message, row=int(self.rows[i]), column=header, value=_scrubbed(v), fix=fix,
            fix_config=fix_config)) for i, v in zip(hits, shown, strict=True)]

    def raise_if_any(self, first: list[Problem] = ()) -> None:
        """Raise every problem: ``first`` (the header's), then the cells' in file order."""
        self.problems.sort(key=lambda p: (p[0], p[1]))
        raise_problems(SurveyFormatError, self.path,
                       [*first, *(p for _, _, p in self.problems)])

    def respondent_ids(self) -> tuple[pd.Index, str]:
        if "respondent_id" not in self.source:
            return (pd.Index(self.rows.astype(str), dtype="string"),
                    "row numbers (no respondent id column)")
        ids = self.col("respondent_id")
        blank = np.zeros(len(ids.dictionary), bool)
        empty = ids.code_of("")
        if empty is not None:
            blank[empty] = True
        self.flag("respondent_id", blank, msg("survey.id_missing"), msg("survey.id_missing.fix"))
        if len(ids.dictionary) < len(ids):  # some id is on more than one row
            first = _first_rows(ids.codes, len(ids.dictionary))
            repeated = (first[ids.codes] != np.arange(len(ids))) & ~blank[ids.codes]
            header = self.header("respondent_id")
            for i in np.flatnonzero(repeated):
                self.problems.append((int(self.rows[i]), self.source["respondent_id"], Problem(
                    msg("survey.id_duplicate", first=self.rows[first[ids.codes[i]]]),
                    row=int(self.rows[i]), column=header, value=ids.uniques[ids.codes[i]],
                    fix=msg("survey.id_duplicate.fix"))))
        return (pd.Index(pd.array(ids.arrow(), dtype="string")),
                f"column {self.header('respondent_id')!r}")

    def areas(self, codes: dict | None, tokens: set[str]
              ) -> tuple[tuple[np.ndarray, np.ndarray], dict[str, int]]:
        """The area answers (``""`` where the respondent gave none: a blank cell or a
        missing-answer word, counted in the second value) as codes when ``codes`` is given;
        as the distinct answers and each respondent's position among them."""
        column = self.col("area_id")
        folded = _fold(_text(column.uniques)).str.strip()
        none_given = folded.isin(tokens).to_numpy()
        area = np.where(none_given, "", column.uniques).astype(object)
        counts = _token_counts(column, none_given, folded)
        where = codes.get("source") if codes else None
        if codes is None:
            return (area, column.codes), counts
        mapped = _fold(_text(area)).map(codes["lookup"])
        unknown = (area != "") & mapped.isna().to_numpy()
        if unknown.any():
            first = _first_rows(column.codes, len(area))
            order = list(np.flatnonzero(unknown))  # distinct values come in file order
            listed = ", ".join(repr(_scrubbed(area[k])) for k in order[:10])
            more = " …" if len(order) > 10 else ""
            known = msg("survey.areas_of", where=where) if where else "area_codes"
            names = list(dict.fromkeys(codes["given"]))
            cells = column.counts()
            for k in order:
                value, i = area[k], first[k]
                close = difflib.get_close_matches(value, names, n=3, cutoff=0.6)
                fix = (msg("survey.area_unknown.fix", hint=_hint(close), where=where) if where
                       else msg("survey.area_unknown.fix_codes", hint=_hint(close)))
                self.problems.append((int(self.rows[i]), self.source["area_id"], Problem(
                    msg("survey.area_unknown", known=known, count=int(cells[k]), listed=listed,
                        more=more), row=int(self.rows[i]), column=self.header("area_id"),
                    value=_scrubbed(value), fix=fix)))
        return (mapped.fillna("").astype(str).to_numpy(dtype=object), column.codes), counts

    def scores(self, wanted: list[str], scale: int, tokens: set[str]
               ) -> tuple[dict[str, pd.arrays.IntegerArray], dict[str, np.ndarray],
                          dict[str, dict[str, int]]]:
        """Scores (``Int8``), don't-know flags (a missing-answer word that is not a blank) and
        the missing-answer words counted, per theme.

        The distinct values of every theme column are read in one pass of string operations;
        the cells are then filled in per column on two threads (numpy releases the GIL)."""
        codes = [c for c in wanted if c in self.source]
        columns = [self.col(c) for c in codes]
        if not columns:
            return {}, {}, {}
        text = _text(np.concatenate([c.uniques for c in columns]))
        folded_all = _fold(text)
        number_all = _score_number(text).to_numpy(dtype=float, na_value=np.nan)
        missing_all = folded_all.isin(tokens).to_numpy()
        blank_all = folded_all.isin({_norm(t) for t in BLANK_TOKENS}).to_numpy()
        bounds = np.cumsum([0] + [len(c.dictionary) for c in columns])
        tables = []
        for code, lo, hi in zip(codes, bounds[:-1], bounds[1:], strict=True):
            missing, number = missing_all[lo:hi], number_all[lo:hi]
            given = ~np.isnan(number)
            self.flag(code, ~missing & ~given, msg("survey.not_score", scale=scale),
                      msg("survey.not_score.fix", scale=scale),
                      fix_config=msg("survey.not_score.fix_config", scale=scale))
            with np.errstate(invalid="ignore"):
                outside = ~missing & given & ((number < 1) | (number > scale))
            note = msg("survey.three_point") if scale == 3 else ""
            self.flag(code, outside, msg("survey.outside", scale=scale),
                      msg("survey.outside.fix", scale=scale, note=note),
                      fix_config=msg("survey.outside.fix_config", scale=scale, note=note))
            good = ~missing & given & ~outside
            # per distinct value: the score, 0 for no answer, -1 for «vet ikke» and the like
            tables.append(np.where(good, number, np.where(missing & ~blank_all[lo:hi], -1, 0))
                          .astype(np.int8))

        def cells(column: Column, table: np.ndarray) -> tuple[np.ndarray, ...]:
            value = np.take(table, column.codes)
            empty, dk = value <= 0, value < 0
            np.maximum(value, 0, out=value)
            return value, empty, dk, np.bincount(column.codes, minlength=len(column.dictionary))

        with ThreadPoolExecutor(max_workers=2) as pool:
            filled = list(pool.map(cells, columns, tables))
        out: dict[str, pd.arrays.IntegerArray] = {}
        dont_know: dict[str, np.ndarray] = {}
        counts: dict[str, dict[str, int]] = {}
        for code, column, lo, hi, (value, empty, dk, n) in zip(
                codes, columns, bounds[:-1], bounds[1:], filled, strict=True):
            out[code] = pd.arrays.IntegerArray(value, empty)
            dont_know[code] = dk
            counts[code] = _token_counts(column, missing_all[lo:hi], folded_all.iloc[lo:hi], n)
        return out, dont_know, counts

    def weights(self) -> np.ndarray | None:
        if "weight" not in self.source:
            return None
        column = self.col("weight")
        text = _text(column.uniques)
        comma = text.str.replace(",", ".", regex=False)  # decimal comma from Norwegian Excel
        decimal = text.where(text.str.contains(".", regex=False), comma)
        number = pd.to_numeric(decimal, errors="coerce").astype("float64").to_numpy()
        self.flag("weight", np.isnan(number), msg("survey.weight_nan"),
                  msg("survey.weight_nan.fix"))
        self.flag("weight", ~np.isnan(number) & ~(np.isfinite(number) & (number > 0)),
                  msg("survey.weight_positive"), msg("survey.weight_positive.fix"))
        return number[column.codes]

    def rounds(self, given: str | int | None) -> np.ndarray | None:
        """The round labels of a combined export (stripped text; ``2021.0`` from Excel →
        ``2021``), or ``None`` without such a column; a blank label, or a label other than
        ``given``, is a problem."""
        if "round" not in self.source:
            return None
        column = self.col("round")
        labels = _text(column.uniques).str.strip()
        labels = labels.str.replace(r"^(\d+)\.0+$", r"\1", regex=True).to_numpy(dtype=object)
        blank = labels == ""
        self.flag("round", blank, msg("survey.round_blank"), msg("survey.round_blank.fix"))
        if given is not None:
            other = ~blank & (labels != str(given).strip())
            used = np.unique(column.codes)
            found = ", ".join(repr(v) for v in labels[used][~blank[used]][:5])
            self.flag("round", other, msg("survey.round_other", given=str(given), found=found),
                      msg("survey.round_other.fix"))
        return labels[column.codes]

    def spellings(self, name: str, order: list[int]) -> dict[int, int]:
        """Distinct values of ``name`` that are spellings of one group (:func:`_group_key`),
        each → the most common spelling, which is read; a warning names them with counts."""
        column = self.col(name)
        counts = column.counts()
        groups: dict[str, list[int]] = {}
        for k in order:
            groups.setdefault(_group_key(column.uniques[k]), []).append(k)
        same: dict[int, int] = {}
        for ks in groups.values():
            if len(ks) < 2:
                continue
            into = max(ks, key=lambda k: counts[k])  # the first of the most common
            same.update({k: into for k in ks if k != into})
            listed = ", ".join(f"{column.uniques[k]!r} ({int(counts[k])})" for k in ks)
            self.notes.append(Problem(
                msg("survey.spellings", spellings=listed, into=column.uniques[into]),
                column=self.header(name), fix=msg("survey.spellings.fix")))
        return same

    def background(self, tokens: set[str]) -> tuple[dict[str, pd.Categorical],
                                                     dict[str, dict[str, int]]]:
        out: dict[str, pd.Categorical] = {}
        counts: dict[str, dict[str, int]] = {}
        for name in (n for n in _BACKGROUND if n in self.source):
            column = self.col(name)
            folded = _fold(_text(column.uniques))
            missing = folded.isin(tokens).to_numpy()
            order = list(np.flatnonzero(~missing))  # distinct values come in file order
            same = self.spellings(name, order)  # distinct value → the spelling read
            order = [k for k in order if same.get(k, k) == k]
            seen = [column.uniques[k] for k in order]
            ordered = name == "age_group"
            if ordered:
                rank = {label: i for i, label in enumerate(seen)}
                order = sorted(order, key=lambda k: (_age_key(column.uniques[k]),
                                                     rank[column.uniques[k]]))
            category = np.full(len(missing), -1, dtype=np.int8 if len(order) < 127 else np.int32)
            category[order] = np.arange(len(order))
            for k, into in same.items():
                category[k] = category[into]
            out[name] = pd.Categorical.from_codes(
                np.take(category, column.codes), categories=[column.uniques[k] for k in order],
                ordered=ordered)
            counts[name] = _token_counts(column, missing, folded)
        return out, counts


def _not_blank(responses: pd.DataFrame, dk: pd.DataFrame, comments: pd.DataFrame,
               rows: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Which responses hold anything (a score, a «vet ikke», a comment, an age or a gender;
    the area alone is not an answer), and the rows, as in Excel, of those that do not."""
    answers = [c for c in (*THEME_CODES, *_BACKGROUND) if c in responses.columns]
    keep = responses[answers].notna().any(axis=1).to_numpy().copy()
    if len(dk.columns):
        keep |= dk.to_numpy(dtype=bool).any(axis=1)
    keep |= responses.index.isin(comments["respondent_id"].dropna().astype(str))
    if keep.all() or not keep.any():
        return np.ones(len(responses), bool), []
    return keep, rows[~keep].tolist()


def _group_key(text: object) -> str:
    """A group's spelling with what cannot tell groups apart left out: case, white space,
    hyphen or dash and the word «år» («25-44» and «25–44 år» are one)."""
    key = re.sub(r"\s*[-‐‑‒–—]\s*", "-", " ".join(str(text).split()).casefold())
    return " ".join(w for w in key.split() if w != "år")


def _round_label(given: str | int | None, labels: np.ndarray | None) -> str | None:
    """``meta["round"]``: the given label, else the column's only label, else ``None``."""
    if given is not None:
        return str(given).strip()
    if labels is not None:
        found = pd.unique(labels[labels != ""])
        if len(found) == 1:
            return str(found[0])
    return None


def _area_series(area: tuple[np.ndarray, np.ndarray]) -> pd.Series:
    """The area answers (distinct values, codes) with ``<NA>`` where none was given."""
    values, codes = area
    given = pa.array(np.where(values == "", None, values), type=pa.string())
    return pd.Series(pd.array(given.take(pa.array(codes)), dtype="string"))


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype=str)


def _first_rows(codes: np.ndarray, n: int) -> np.ndarray:
    """The first row (position) holding each code."""
    first = np.full(n, len(codes), dtype=np.int64)
    np.minimum.at(first, codes[::-1], np.arange(len(codes) - 1, -1, -1))
    return first


def _token_counts(column: Column, missing: np.ndarray, folded: pd.Series,
                  cells: np.ndarray | None = None) -> dict[str, int]:
    """How many cells hold each missing-answer word (as folded), most frequent first
    (``cells``: the column's counts per distinct value, when already counted)."""
    if not missing.any():
        return {}
    cells = column.counts() if cells is None else cells
    order = np.flatnonzero(missing)  # distinct values come in file order
    keys = folded.to_numpy(dtype=object)
    totals: dict[str, int] = {}
    for k in order:
        totals[keys[k]] = totals.get(keys[k], 0) + int(cells[k])
    counts = pd.Series(list(totals.values()), index=list(totals), dtype="int64")
    counts = counts.sort_values(ascending=False)
    return {("(blank)" if k == "" else str(k)): int(v) for k, v in counts.items()}


def _fold(text: pd.Series) -> pd.Series:
    return text.str.replace(r"\s+", " ", regex=True).str.casefold()


def _score_number(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.str.extract(_SCORE, expand=False), errors="coerce")


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
        if target not in ("other", "good", "improve") and not target.endswith(
                (":good", ":improve")):
            continue
        theme, _, kind = target.partition(":")
        if target == "other":
            theme, kind = "other", "other"
        elif target in ("good", "improve"):
            theme, kind = None, target  # a comment on the place as a whole, no theme
        column = table.columns[pos]
        keep = (column.uniques != "")[column.codes]
        total += len(column)
        rows = np.flatnonzero(keep)
        frames.append(pd.DataFrame({
            "respondent_id": ids.to_numpy()[rows], "theme": theme, "kind": kind,
            "text": column.values(rows), "_row": rows, "_col": pos}))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="string")
                             for c in ("respondent_id", "theme", "kind", "text")}), 0
    long = pd.concat(frames, ignore_index=True).sort_values(["_row", "_col"], kind="stable")
    long = long.drop(columns=["_row", "_col"]).reset_index(drop=True)
    return long, total - len(long)


def _scrub(comments: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Remove personal data from comment texts; returns the texts and the counts per kind."""
    from soslokal_lib.text import scrub_series

    texts, report = scrub_series(comments["text"])
    return comments.assign(text=texts), {k: int(v) for k, v in report.counts.items()}


def _scrubbed(value: object) -> object:
    """A cell value fit for an error message: personal data (phone, e-mail, …) masked."""
    from soslokal_lib.text import scrub

    return scrub(value) if isinstance(value, str) else value
