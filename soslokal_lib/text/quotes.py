"""Quotes, comment counts and the workshop export of scrubbed comments.

:func:`select_quotes` and :func:`export_comments` follow the primary suppression rule (no
quotes from areas with fewer than ``min_n`` respondents; secondary suppression, which hides a
bigger area's figures to protect a small neighbour, never removes quotes) and never output
respondent ids. :func:`area_counts` and :func:`comments_per_area` hide the areas
:mod:`soslokal_lib.privacy` suppresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from soslokal_lib._files import atomic_path
from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import lang_key
from soslokal_lib.privacy import (
    FORMULA_PREFIXES,
    apply_suppression,
    check_min_n,
    suppression_codes,
)
from soslokal_lib.text.scrubbing import flag_names_series, mask_names_series, scrub_series
from soslokal_lib.text.terms import (
    _area_codes,
    _check_comments,
    _filter,
    _respondent_areas,
    _with_area,
)
from soslokal_lib.themes import THEME_CODES

_KIND_LABELS = {"nb": {"good": "Bra", "improve": "Kan bli bedre", "other": "Annet"},
                "en": {"good": "Good", "improve": "Could be better", "other": "Other"}}
_GENERAL = {"nb": "Generelle innspill", "en": "General comments"}


def area_counts(responses: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """Respondents per area with the suppression rule applied (``privacy.suppression_codes``).

    Returns ``area_id, respondents, suppressed``. An area below ``min_n`` is suppressed, and
    further areas by the secondary rule of :mod:`soslokal_lib.privacy` (the hidden areas are
    none, or at least two holding at least ``min_n`` respondents together, chosen by least
    cost), so a total cannot reveal it (the same areas whose words :func:`term_frequencies`
    pools).
    """
    counts, codes = _area_table(responses, min_n)
    return counts.assign(suppressed=codes > 0)


def _area_table(responses: pd.DataFrame, min_n: int) -> tuple[pd.DataFrame, np.ndarray]:
    """``area_id, respondents`` sorted by area, and each row's suppression code (privacy)."""
    check_min_n(min_n)
    area = _respondent_areas(responses).dropna()
    counts = area.value_counts().rename_axis("area_id").rename("respondents").reset_index()
    counts = counts.sort_values("area_id", ignore_index=True)
    codes = _area_codes(counts.set_index("area_id")["respondents"], min_n)
    return counts, counts["area_id"].map(codes).to_numpy(dtype=np.int8)


def comments_per_area(comments: pd.DataFrame, responses: pd.DataFrame, *, min_n: int = 5
                      ) -> pd.DataFrame:
    """Comments per area and kind, for a bar chart: ``area_id, respondents, good, improve,
    other, comments, suppressed``; counts of suppressed areas are NA (blanked by
    ``privacy.apply_suppression``)."""
    _check_comments(comments, ["respondent_id", "kind", "text"])
    counts, codes = _area_table(responses, min_n)
    frame = _with_area(comments, responses)
    has_text = frame["text"].astype("string").str.strip().str.len().fillna(0) > 0
    table = (pd.crosstab(frame.loc[has_text, "area_id"], frame.loc[has_text, "kind"])
             .reindex(columns=["good", "improve", "other"], fill_value=0))
    table.columns = list(table.columns)
    out = counts.merge(table, left_on="area_id", right_index=True, how="left")
    for col in ("good", "improve", "other"):
        out[col] = out[col].fillna(0).astype("Int64")
    out["comments"] = (out["good"] + out["improve"] + out["other"]).astype("Int64")
    out = apply_suppression(out, codes, columns=("good", "improve", "other", "comments"))
    return out[["area_id", "respondents", "good", "improve", "other", "comments", "suppressed"]]


def published_comments(comments: pd.DataFrame, responses: pd.DataFrame, *, min_n: int = 5
                       ) -> pd.DataFrame:
    """The comments the report publishes, one by one, and the only ones it counts: those of
    respondents in an area with at least ``min_n`` respondents (the rows of ``comments``, as
    they are). Comments from a smaller area or from respondents without an area appear
    nowhere — not in the workshop workbook, and not in any count: a count of all comments
    («173 fritekstsvar») minus those the workbook lists would give the small area's number.
    Count comments (totals, per kind, per theme) on this table only."""
    _check_comments(comments, ["respondent_id"])
    check_min_n(min_n)
    area = _with_area(comments, responses)["area_id"]
    counts = _respondent_areas(responses).dropna().value_counts()
    open_areas = counts.index[counts.to_numpy(dtype=np.int64) >= min_n]
    return comments[area.isin(open_areas).fillna(False).to_numpy()]


def _safe_comments(comments: pd.DataFrame, responses: pd.DataFrame | None, min_n: int
                   ) -> pd.DataFrame:
    """Comments with area_id, scrubbed text and name flags; comments from areas with fewer
    than ``min_n`` respondents (the primary rule only: a quote from a bigger area reveals
    nothing about a small neighbour, so secondary suppression never removes it), from
    respondents without an area, and empty texts removed. Respondent ids are still present
    (callers drop them)."""
    _check_comments(comments, ["respondent_id", "theme", "kind", "text"])
    if responses is not None:
        check_min_n(min_n)
        frame = _with_area(comments, responses)
        counts = _respondent_areas(responses).dropna().value_counts()
        n = counts.to_numpy(dtype=np.int64)
        primary = suppression_codes(n, np.zeros(len(n), dtype=np.int64),  # no total: primary
                                    np.zeros(len(n), dtype=bool), min_n, secondary=False)
        open_areas = counts.index[primary == 0]
        frame = frame[frame["area_id"].isin(open_areas).fillna(False)]
    else:
        frame = comments.assign(area_id=pd.Series(pd.NA, index=comments.index, dtype="string"))
    text, _ = scrub_series(frame["text"])
    text = text.str.strip()
    frame = frame.assign(text=text, name_flag=flag_names_series(text))
    return frame[text.str.len().fillna(0) > 0].reset_index(drop=True)


def select_quotes(
    comments: pd.DataFrame,
    responses: pd.DataFrame,
    *,
    min_n: int = 5,
    per_area: int = 3,
    theme: str | None = None,
    kind: str | None = None,
    seed: int = 0,
    allow_flagged: bool = False,
) -> pd.DataFrame:
    """Up to ``per_area`` scrubbed quotes per area, chosen at random (reproducibly by ``seed``).

    Areas with fewer than ``min_n`` respondents give no quotes (the primary rule; an area
    hidden only to protect a small neighbour keeps its quotes).
    Comments flagged by :func:`flag_names` (a possible name) are never used, unless
    ``allow_flagged=True``: then they come after the others, with their names masked
    (:func:`mask_names_series`). The same text from several respondents of an area (ignoring
    case, spaces and punctuation: «Hyggelige naboer» and «hyggelige naboer!») is quoted once.
    Columns: ``area_id, theme, kind, text`` — never respondent ids.
    """
    if per_area < 1:
        raise SoslokalError(f"per_area must be at least 1, not {per_area!r}.")
    frame = _filter(_safe_comments(comments, responses, min_n), theme, kind)
    flagged = frame["name_flag"].notna().to_numpy(dtype=bool)
    if not allow_flagged:
        frame, flagged = frame[~flagged], flagged[~flagged]
    rng = np.random.default_rng(seed)
    frame = frame.assign(_flag=flagged, _key=rng.random(len(frame)))
    frame = frame.sort_values(["area_id", "_flag", "_key"])
    same = frame["text"].astype("string").str.casefold().str.replace(r"[\W_]+", " ", regex=True)
    frame = frame[~frame.assign(_same=same.str.strip()).duplicated(["area_id", "_same"])]
    picked = frame.groupby("area_id", sort=True).head(per_area)
    if picked["_flag"].any():
        masked = mask_names_series(picked["text"].astype("string"))
        picked = picked.assign(text=picked["text"].where(~picked["_flag"], masked))
    out = picked[["area_id", "theme", "kind", "text"]].reset_index(drop=True)
    return out.astype("string")


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "-", str(name)).strip("' ") or "Ark"
    title = title[:31]
    base, i = title, 2
    while title.casefold() in used:
        suffix = f" ({i})"
        title = base[:31 - len(suffix)] + suffix
        i += 1
    used.add(title.casefold())
    return title


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_text(value: object) -> str:
    text = "" if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else str(value)
    text = _ILLEGAL_XML.sub(" ", text)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _write_sheet(ws, header: Sequence[str], rows: Iterable[Sequence[object]],
                 widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append([_cell_text(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = _cell_text(value)
            cell.data_type = "s"
            cell.alignment = wrap
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"


def export_comments(
    comments: pd.DataFrame,
    path: str | Path,
    *,
    by: str = "theme",
    responses: pd.DataFrame | None = None,
    min_n: int = 5,
    area_names: Mapping[str, str] | pd.Series | None = None,
    lang: str = "nb",
) -> Path:
    """Write scrubbed comments to an XLSX workbook for a workshop; returns the path.

    One sheet per theme (``by="theme"``, plus «Generelle innspill») or per area
    (``by="area_id"``, needs ``responses``), after a sheet «Om innspillene» describing the file.
    Texts are scrubbed, comments from areas below ``min_n`` respondents are left out, no
    respondent id is written, a column marks comments that may name a person, and every cell
    is plain text with formula-like text prefixed by ``'``. Written atomically.
    """
    from openpyxl import Workbook

    from soslokal_lib.themes import theme_labels

    lang = lang_key(lang)
    if by not in ("theme", "area_id", "area"):
        raise SoslokalError(f"by={by!r} is not supported. Fix: use by='theme' or by='area_id'.")
    by = "area_id" if by == "area" else by
    if by == "area_id" and responses is None:
        raise SoslokalError("by='area_id' needs responses (index respondent_id, column area_id).")
    frame = _safe_comments(comments, responses, min_n)
    names = dict(area_names.items()) if area_names is not None else {}
    order = {"theme": frame["theme"].map({c: i for i, c in enumerate(THEME_CODES)}),
             "kind": frame["kind"].map({"good": 0, "improve": 1, "other": 2}),
             "area": frame["area_id"].map(lambda a: _nb_key(names.get(a, a))
                                          if isinstance(a, str) else "")}
    keys = ["area", "kind"] if by == "theme" else ["theme", "kind"]
    frame = frame.loc[pd.DataFrame(order).sort_values(keys, kind="stable").index]
    frame = frame.reset_index(drop=True)
    labels = theme_labels(lang)
    kinds = _KIND_LABELS[lang]
    area_label = frame["area_id"].map(lambda a: names.get(a, a) if isinstance(a, str) else "")
    theme_label = frame["theme"].map(lambda t: labels.get(t, _GENERAL[lang]))
    kind_label = frame["kind"].map(lambda k: kinds.get(k, k))
    # every name found is masked in the sheet («Ola Hansen» → «[navn]»); the flag says which
    # rule found one («etternavn»), not the name, for a manual check
    flag = frame["name_flag"].fillna("").str.replace(r"\s*«.*»$", "", regex=True)
    masked = mask_names_series(frame["text"])
    frame["text"] = masked.astype(object).where(masked.notna(), None)
    en = lang == "en"
    review = "Possible name – check" if en else "Mulig navn – sjekk"
    wb = Workbook()
    about = wb.active
    about.title = "About" if en else "Om innspillene"
    excluded = len(comments) - len(frame)
    info = [
        ("Comments" if en else "Innspill", str(len(frame))),
        ("Sheets" if en else "Ark", ("one per theme" if by == "theme" else "one per area") if en
         else ("ett per tema" if by == "theme" else "ett per område")),
        ("Personal data" if en else "Personopplysninger",
         "e-mail, phone, national id, addresses and links replaced by tags" if en else
         "e-post, telefon, fødselsnummer, adresser og lenker er erstattet med merker"),
        ("Privacy rule" if en else "Personvernregel",
         (f"areas with fewer than {min_n} respondents are left out" if en else
          f"områder med færre enn {min_n} svar er utelatt") if responses is not None else
         ("no area shown" if en else "ingen områder vist")),
        ("Left out" if en else "Utelatt", str(excluded) if responses is None else (
            f"comments from areas with fewer than {min_n} respondents and from respondents "
            "without an area; how many is not shown (with the number of comments elsewhere, it "
            "would give a small area's)" if en else
            f"innspill fra områder med færre enn {min_n} svar og fra svar uten område; antallet "
            "vises ikke (sammen med antall innspill andre steder ville det vise et lite områdes)"
        )),
        (review, "the text may name a person: the name found is replaced by [navn]; check the "
         "rest before sharing" if en else "teksten kan nevne en person: navnet som ble funnet, "
         "er erstattet med [navn]; sjekk resten før deling"),
    ]
    _write_sheet(about, ["Field", "Value"] if en else ["Felt", "Verdi"], info, [28, 80])
    used = {about.title.casefold()}
    if by == "theme":
        order = [*THEME_CODES, None]
        key = frame["theme"].where(frame["theme"].isin(THEME_CODES))
        with_area = responses is not None
        header = (["Area"] if en else ["Område"]) * with_area + (
            ["Type", "Comment", review] if en else ["Type", "Innspill", review])
        widths = [24] * with_area + [16, 90, 24]
        for code in order:
            mask = key.isna() if code is None else (key == code).fillna(False)
            if not mask.any():
                continue
            title = labels[code] if code else _GENERAL[lang]
            cols = ([area_label[mask]] if with_area else []) + [kind_label[mask], frame.loc[
                mask, "text"], flag[mask]]
            _write_sheet(wb.create_sheet(_sheet_title(title, used)), header,
                         zip(*cols, strict=True), widths)
    else:
        header = ["Theme", "Type", "Comment", review] if en else ["Tema", "Type", "Innspill",
                                                                   review]
        for area in sorted(frame["area_id"].dropna().unique()):
            mask = (frame["area_id"] == area).to_numpy(dtype=bool)
            cols = [theme_label[mask], kind_label[mask], frame.loc[mask, "text"], flag[mask]]
            _write_sheet(wb.create_sheet(_sheet_title(names.get(area, area), used)), header,
                         zip(*cols, strict=True), [26, 16, 90, 24])
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


def _nb_key(text: object) -> str:
    """Sort key in Norwegian alphabetical order (… x y z æ ø å)."""
    return str(text).casefold().translate({ord("æ"): "{", ord("ø"): "|", ord("å"): "}"})
