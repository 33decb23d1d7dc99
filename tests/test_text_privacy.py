"""soslokal_lib.text hides areas only through soslokal_lib.privacy, with the results it had
when it topped up the pool and blanked cells by its own rules (issue 14)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import text as tx
from soslokal_lib.privacy import apply_suppression, suppression_codes
from soslokal_lib.text.terms import _hidden_areas


def _old_hidden_areas(counts: pd.Series, min_n: int) -> frozenset[str]:
    """The former rule of text: the suppression codes, then, while the hidden areas held fewer
    than ``min_n`` respondents, the smallest shown areas added (ties by id)."""
    if counts.empty:
        return frozenset()
    counts = counts.sort_index()
    n = np.append(counts.to_numpy(dtype=np.int64), int(counts.sum()))
    is_total = np.zeros(len(n), dtype=bool)
    is_total[-1] = True
    hidden = suppression_codes(n, np.zeros(len(n), dtype=np.int64), is_total, min_n)[:-1] > 0
    pooled = int(counts[hidden].sum())
    if 0 < pooled < min_n:
        shown = counts[~hidden]
        shown = shown.iloc[np.lexsort((shown.index.to_numpy(dtype=str), shown.to_numpy()))]
        take = int(np.searchsorted(shown.cumsum().to_numpy(), min_n - pooled)) + 1
        hidden = hidden | counts.index.isin(shown.index[:take])
    return frozenset(counts.index[hidden])


@pytest.mark.parametrize("min_n", [3, 5])
def test_pooled_areas_as_before_without_own_top_up(min_n):
    """Every table of 1–4 areas with 1–6 respondents: the privacy rule alone hides the same
    areas as the old rule with its top-up (rule 1 already makes the pool reach min_n). Checked
    once more widely by hand: 1–5 areas of 1–8 respondents, min_n 1, 2, 3, 5, 7 (187,240
    tables), no difference."""
    checked = 0
    for k in range(1, 5):
        for values in itertools.product(range(1, 7), repeat=k):
            counts = pd.Series(values, index=[f"a{i}" for i in range(k)])
            new = _hidden_areas(counts, min_n)
            assert new == _old_hidden_areas(counts, min_n), (values, min_n)
            pooled = int(counts[list(new)].sum())
            assert pooled == 0 or pooled >= min_n or pooled == int(counts.sum())
            checked += 1
    assert checked == 6 + 6**2 + 6**3 + 6**4


def _survey(sizes: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"{area}{i}" for area, size in sizes.items() for i in range(size)]
    responses = pd.DataFrame({"area_id": [i.rstrip("0123456789") for i in ids]},
                             index=pd.Index(ids, name="respondent_id"))
    kinds = ["good", "improve", "other"]
    comments = pd.DataFrame({
        "respondent_id": ids,
        "theme": "public_transport",
        "kind": [kinds[i % 3] for i in range(len(ids))],
        "text": [f"Kommentar nummer {i} om bussen" for i in range(len(ids))],
    })
    return comments, responses


def test_comments_per_area_blanks_what_privacy_hides():
    comments, responses = _survey({"A": 2, "B": 3, "C": 9, "D": 6, "E": 6, "F": 12})
    table = tx.comments_per_area(comments, responses, min_n=5)
    assert list(table.columns) == ["area_id", "respondents", "good", "improve", "other",
                                   "comments", "suppressed"]
    assert table.set_index("area_id")["suppressed"].to_dict() == {
        "A": True, "B": True, "C": False, "D": False, "E": False, "F": False}
    # the former blanking (mask of the suppressed rows) gives the same table
    old = table.copy()
    raw = pd.crosstab(comments["respondent_id"].str[0], comments["kind"])
    for col in ("good", "improve", "other"):
        old[col] = old["area_id"].map(raw[col]).astype("Int64")
    old["comments"] = (old["good"] + old["improve"] + old["other"]).astype("Int64")
    for col in ("good", "improve", "other", "comments"):
        old[col] = old[col].mask(old["suppressed"])
        assert str(table[col].dtype) == "Int64"
    pd.testing.assert_frame_equal(table, old)
    assert table.loc[table["area_id"] == "C", "comments"].item() == 9
    assert table.loc[table["area_id"] == "A", "comments"].isna().all()


def test_quotes_follow_the_primary_rule_only():
    comments, responses = _survey({"A": 4, "B": 5, "C": 9})
    quotes = tx.select_quotes(comments, responses, min_n=5, per_area=50)
    # B (5) is hidden in the counts to protect A (4), but keeps its quotes
    assert tx.area_counts(responses, 5).set_index("area_id")["suppressed"].to_dict() == {
        "A": True, "B": True, "C": False}
    assert quotes["area_id"].value_counts().to_dict() == {"C": 9, "B": 5}


def test_apply_suppression_blanks_given_columns_keeping_dtype():
    table = pd.DataFrame({"n": [3, 8], "mean": [1.5, 2.5],
                          "count": pd.array([3, 8], dtype="Int64")})
    out = apply_suppression(table, np.array([1, 0]), columns=["count"])
    assert out["count"].tolist() == [pd.NA, 8] and str(out["count"].dtype) == "Int64"
    assert out["mean"].tolist() == [1.5, 2.5]  # only the given columns
    assert out["suppressed"].tolist() == [True, False]
    assert out["suppression"].astype(object).tolist()[0] == "primary"
    default = apply_suppression(table, np.array([1, 0]))
    assert np.isnan(default["mean"].iloc[0]) and default["count"].tolist() == [3, 8]


def test_published_comment_counts_give_no_small_area_by_subtraction(tmp_path):
    """Issue: comments_per_area.csv hid an area to protect a small one, but the workbook's
    «Utelatt 5» and the report's «173 fritekstsvar» gave the small area's number back. Attack:
    the total the report prints, minus the areas' shown counts, minus the comments the workbook
    lists for the areas the table hides, must hold no comment of a small area or of those
    without an area; the workbook states no number left out."""
    import re
    from pathlib import Path
    from types import SimpleNamespace

    import openpyxl

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import config_inputs
    from soslokal_lib.plot.tables import inputs_text

    min_n = 5
    mini = Path(__file__).resolve().parent / "fixtures" / "minikommune" / "minikommune.toml"
    survey = config_inputs(load_config(mini)).survey
    responses = survey.responses.copy()
    responses.iloc[:2, responses.columns.get_loc("area_id")] = pd.NA  # two without an area
    comments = survey.comments
    area_of = comments["respondent_id"].map(responses["area_id"])
    small = area_of.isna() | (area_of == "99020200")  # Søndre: 3 respondents
    assert int(small.sum()) > 0
    inputs = SimpleNamespace(survey=SimpleNamespace(
        responses=responses, comments=comments, themes=survey.themes, scale=survey.scale,
        meta={}))
    printed = inputs_text(inputs, lang="nb", min_n=min_n)
    total = int(re.search(r"(\d+) fritekstsvar fra nabolag med minst 5 svar", printed)[1])
    published = tx.published_comments(comments, responses, min_n=min_n)
    per_area = tx.comments_per_area(published, responses, min_n=min_n)
    names = {"99020100": "Nordre", "99020200": "Søndre", "99020300": "Østre",
             "99020400": "Vestre"}
    path = tx.export_comments(published, tmp_path / "innspill.xlsx", responses=responses,
                              min_n=min_n, area_names=names, lang="nb")
    book = openpyxl.load_workbook(path)
    about = dict(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert not re.search(r"\d", about["Utelatt"].replace(f"færre enn {min_n}", ""))
    listed: dict[str, int] = {}
    for sheet in book.worksheets[1:]:
        for row in sheet.iter_rows(min_row=2, values_only=True):
            listed[row[0]] = listed.get(row[0], 0) + 1
    assert int(about["Innspill"]) == sum(listed.values()) == total == int((~small).sum())
    hidden = per_area[per_area["suppressed"]]
    shown = int(per_area["comments"].sum())
    assert len(hidden) == 2 and "99020200" in set(hidden["area_id"])
    from_workbook = sum(listed.get(names[a], 0) for a in hidden["area_id"])
    assert total - shown - from_workbook == 0  # nothing of Søndre or the area-less left over
