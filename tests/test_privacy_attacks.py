"""Attacks on the published tables (issues 13 and 19).

Every test publishes what a user can publish — ``summarise`` by area, by age group, by gender,
by area × group, the whole-survey total, with ``total=True`` or ``False``, weighted or not —
and then tries to recover a group of fewer than ``min_n`` people: by the subtraction an
attacker would do by hand, and in general by linear algebra. The unknowns are the score
histograms of the finest cells (area × age × gender, a missing answer a level of its own);
every shown row of a published table is the sum of the finest cells it covers, so a group of
people is recoverable exactly when its indicator vector lies in the row space of the published
rows. Nothing below ``min_n`` may lie there: no hidden cell, no union of hidden cells, no
finest cell, and no respondents without an answer.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import soslokal_lib as sl
from soslokal_lib import Survey, privacy
from soslokal_lib.stats.summary import cell_codes
from soslokal_lib.themes import THEME_CODES

MIN_NS = (3, 5, 10, 40)
TOL = 1e-8


# ---------------------------------------------------------------- the attacker's algebra


def in_row_space(published: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """For each query vector: is it a linear combination of the published rows?"""
    queries = np.atleast_2d(queries).astype(float)
    if not len(published):
        return ~queries.any(axis=1)
    basis = np.linalg.pinv(published.astype(float)) @ published.astype(float)
    return np.abs(queries - queries @ basis).max(axis=1) < TOL


class Attack:
    """The finest cells of one theme and the published rows over them."""

    def __init__(self, survey: Survey, theme: str, dims: Sequence[str]) -> None:
        df = survey.responses
        valid = df[df[theme].notna()]
        keys = pd.DataFrame({d: valid[d].astype("string").fillna("<NA>").to_numpy()
                             for d in dims})
        cells = keys.value_counts(sort=False).rename("n").reset_index()
        self.dims, self.theme, self.cells = list(dims), theme, cells
        self.n = cells["n"].to_numpy()
        self.rows: list[np.ndarray] = []

    def indicator(self, values: dict[str, str]) -> np.ndarray:
        """The finest cells of a group (a ``by`` value per column; "total" for everyone)."""
        hit = np.ones(len(self.cells), dtype=bool)
        for col, value in values.items():
            if value != "total":
                hit &= (self.cells[col] == value).to_numpy()
        return hit.astype(float)

    def publish(self, table: pd.DataFrame, by: Sequence[str]) -> list[tuple[np.ndarray, int]]:
        """Add the shown rows of ``table`` (this theme) to what is known; return the hidden
        rows as (indicator, n)."""
        rows = table[table["theme"].astype(str) == self.theme]
        hidden = []
        for _, row in rows.iterrows():
            vec = self.indicator({c: str(row[c]) for c in by})
            if bool(row["suppressed"]):
                if row["n"] > 0:  # an empty cell hides nothing
                    hidden.append((vec, int(row["n"])))
            else:
                self.rows.append(vec)
        return hidden

    def recovered(self, queries: Iterable[np.ndarray]) -> np.ndarray:
        queries = list(queries)
        if not queries:
            return np.zeros(0, dtype=bool)
        return in_row_space(np.array(self.rows).reshape(-1, len(self.n)), np.array(queries))

    def leaks(self, hidden: list[tuple[np.ndarray, int]], min_n: int,
              union_size: int = 3) -> list[str]:
        """Everything below ``min_n`` that the published rows give back."""
        found = []
        queries, what = [], []
        small = np.flatnonzero((self.n > 0) & (self.n < min_n))
        for i in small:  # every finest cell below min_n
            queries.append(np.eye(len(self.n))[i])
            what.append(f"cell {self.cells.iloc[i].to_dict()}")
        for vec, n in hidden:  # every hidden row (below min_n: a leak; above: useless hiding)
            queries.append(vec)
            what.append(f"hidden row n={n}")
        tiny = [(v, n) for v, n in hidden if n < min_n]
        for k in range(2, union_size + 1):  # unions of hidden rows below min_n
            for combo in itertools.combinations(tiny, k):
                total = sum(n for _, n in combo)
                union = np.clip(sum(v for v, _ in combo), 0, 1)
                if total < min_n and union @ self.n == total:
                    queries.append(union)
                    what.append(f"union of {k} hidden rows n={total}")
        for r, ok in zip(what, self.recovered(queries), strict=True):
            if ok:
                found.append(f"{self.theme}: {r}")
        return found


TABLES: dict[str, list[str]] = {
    "area": ["area_id"], "age": ["age_group"], "gender": ["gender"],
    "area×age": ["area_id", "age_group"], "area×gender": ["area_id", "gender"],
}


def published(survey: Survey, names: Sequence[str], min_n: int, *, total: bool = True,
              weight: str | None = None) -> dict[str, pd.DataFrame]:
    return {name: sl.summarise(survey, by=TABLES[name], min_n=min_n, total=total, weight=weight)
            for name in names}


def attack(survey: Survey, tables: dict[str, pd.DataFrame], min_n: int,
           themes: Sequence[str] | None = None, union_size: int = 3) -> list[str]:
    """Publish ``tables`` (plus the whole-survey total, which every table with a total row
    holds) and return what leaks, per theme."""
    dims = [d for d in ("area_id", "age_group", "gender") if d in survey.responses.columns]
    found = []
    for theme in themes or survey.themes:
        atk = Attack(survey, theme, dims)
        atk.rows.append(atk.indicator({}))  # the grand total (always in some table)
        hidden = []
        for name, table in tables.items():
            hidden += atk.publish(table, TABLES[name])
        found += atk.leaks(hidden, min_n, union_size)
    return found


def survey_of(area, scores=None, **background) -> Survey:
    """A survey from per-respondent lists (scores: one theme, feeling_safe)."""
    n = len(area)
    scores = list(range(1, 8)) * (n // 7 + 1) if scores is None else scores
    df = pd.DataFrame({"area_id": pd.array(area, dtype="string"),
                       "feeling_safe": pd.array(scores[:n], dtype="Int8"), **background},
                      index=pd.Index([f"r{i}" for i in range(n)], name="respondent_id"))
    return Survey(df)


def shown(table: pd.DataFrame, col: str, value: str, column: str = "mean") -> float | None:
    row = table[table[col].astype(str) == value].iloc[0]
    return None if bool(row["suppressed"]) else float(row[column])


# ---------------------------------------------------------------- hand-made attacks (issue 13)


def test_two_hidden_cells_below_min_n_cannot_be_pooled_from_the_total():
    """13.1: A = [7], B = [7], C = [1…7] at min_n 5: total − C would give n = 2, mean 7."""
    survey = survey_of(["A", "B"] + ["C"] * 7, [7, 7, 1, 2, 3, 4, 5, 6, 7])
    table = sl.summarise(survey, min_n=5)
    total_mean, c_mean = shown(table, "area_id", "total"), shown(table, "area_id", "C")
    # the subtraction by hand: only possible if both the total and C are shown
    assert total_mean is None or c_mean is None
    assert attack(survey, {"area": table}, 5) == []
    # [2, 2] beside two areas of 10: the pooled 4 would give mean 1.25, share_low 1.0
    survey = survey_of(["A"] * 2 + ["B"] * 2 + ["C"] * 10 + ["D"] * 10,
                       [1, 1, 1, 2] + [5] * 20)
    table = sl.summarise(survey, min_n=5)
    hidden = table.loc[table["suppressed"] & (table["area_id"] != "total"), "n"]
    assert hidden.sum() >= 5 and len(hidden) >= 3
    assert attack(survey, {"area": table}, 5) == []


def test_respondents_without_a_group_are_protected_like_a_cell():
    """13.2: the total of summarise(survey) minus the total of summarise(survey, by=age_group)
    used to give the respondents without an age group."""
    area = ["A"] * 8 + ["B"] * 8
    age = ["15–29", "30–44"] * 7 + [None, None]
    survey = survey_of(area, [3, 5] * 7 + [1, 1], age_group=pd.array(age, dtype="string"))
    by_area = sl.summarise(survey, min_n=5)
    by_age = sl.summarise(survey, by="age_group", min_n=5)
    # the totals agree: nothing to subtract
    pd.testing.assert_series_equal(
        by_area[by_area["area_id"] == "total"].reset_index(drop=True)["mean"],
        by_age[by_age["age_group"] == "total"].reset_index(drop=True)["mean"])
    # the 2 without an age are no row, so one age group is hidden with them
    assert by_age.loc[by_age["age_group"] != "total", "suppressed"].sum() >= 1
    assert attack(survey, {"area": by_area, "age": by_age}, 5) == []


def test_area_rows_minus_area_by_group_cells():
    """13.3: X row of summarise(by=area_id) minus X-male of by=[area_id, gender] gave
    X-female (n = 3)."""
    gender = ["f"] * 3 + ["m"] * 9 + ["f"] * 9 + ["m"] * 9 + ["f"] * 8 + ["m"] * 12
    area = ["X"] * 12 + ["Y"] * 18 + ["Z"] * 20
    survey = survey_of(area, gender=pd.array(gender, dtype="string"))
    tables = published(survey, ["area", "gender", "area×gender"], 5)
    cells = tables["area×gender"]
    x_f = cells[(cells["area_id"] == "X") & (cells["gender"] == "f")].iloc[0]
    assert x_f["n"] == 3 and x_f["suppression"] == "primary"
    x = shown(tables["area"], "area_id", "X", "n_eff")
    x_m = cells[(cells["area_id"] == "X") & (cells["gender"] == "m")].iloc[0]
    assert x is None or bool(x_m["suppressed"])  # the subtraction by hand is impossible
    for pair in itertools.combinations(tables, 2):
        assert attack(survey, {k: tables[k] for k in pair}, 5) == [], pair
    assert attack(survey, tables, 5) == []


def test_total_false_keeps_secondary_suppression():
    """13.4: total=False switched secondary suppression off, yet the grand total is in every
    other table."""
    survey = survey_of(["a"] * 3 + ["b"] * 6 + ["c"] * 8)
    with_total = sl.summarise(survey, min_n=5)
    without = sl.summarise(survey, min_n=5, total=False)
    assert without["suppressed"].tolist() == with_total["suppressed"].tolist()[:-1]
    assert without["suppressed"].sum() == 2
    assert attack(survey, {"area": without}, 5) == []
    assert attack(survey, {"area": with_total}, 5) == []


def test_explorer_two_way_leak_from_issue_19():
    """19.1: A = 2 women + 6 men, B = 6 women, C = 8 women, D = 6 men. The kommune figure for
    women (16) minus B's and C's women gave A's women exactly (mean 3.5)."""
    area = ["A"] * 8 + ["B"] * 6 + ["C"] * 8 + ["D"] * 6
    gender = ["f", "f"] + ["m"] * 6 + ["f"] * 14 + ["m"] * 6
    scores = [3, 4] + [6] * 6 + [5] * 14 + [2] * 6
    survey = survey_of(area, scores, gender=pd.array(gender, dtype="string"))
    tables = published(survey, ["area", "gender", "area×gender"], 5)
    women = tables["gender"]
    cells = tables["area×gender"]
    a_f = cells[(cells["area_id"] == "A") & (cells["gender"] == "f")].iloc[0]
    assert a_f["n"] == 2 and a_f["suppressed"]
    # the subtraction by hand
    kommune = shown(women, "gender", "f")
    others = [cells[(cells["area_id"] == a) & (cells["gender"] == "f")].iloc[0] for a in "BC"]
    if kommune is not None and not any(bool(o["suppressed"]) for o in others):
        recovered = (16 * kommune - sum(o["n"] * o["mean"] for o in others)) / 2
        pytest.fail(f"A's two women recovered: mean {recovered}")
    assert attack(survey, tables, 5) == []


def test_weighted_tables_hide_the_same_cells_and_resist_weighted_subtraction():
    """With weights an attacker who knows them (worst case) works on weighted sums: the same
    hidden cells, so the same protection."""
    rng = np.random.default_rng(4)
    area = ["A"] * 3 + ["B"] * 7 + ["C"] * 12 + ["D"] * 30
    gender = pd.array(rng.choice(["f", "m"], len(area)), dtype="string")
    survey = survey_of(area, list(rng.integers(1, 8, len(area))), gender=gender,
                       weight=rng.uniform(0.5, 2.0, len(area)))
    for name in ("area", "gender", "area×gender"):
        plain = sl.summarise(survey, by=TABLES[name], min_n=5)
        weighted = sl.summarise(survey, by=TABLES[name], min_n=5, weight="weight")
        assert weighted["suppressed"].tolist() == plain["suppressed"].tolist(), name
        assert weighted["suppression"].astype(str).tolist() == \
            plain["suppression"].astype(str).tolist()
    # the weighted subtraction for A: total weighted sum minus the shown areas' sums
    table = sl.summarise(survey, min_n=5, weight="weight")
    w = survey.responses.groupby("area_id")["weight"].sum()
    total = shown(table, "area_id", "total")
    parts = {a: shown(table, "area_id", a) for a in "BCD"}
    if total is not None and all(v is not None for v in parts.values()):
        pytest.fail("A recovered from weighted means")
    tables = {n: sl.summarise(survey, by=TABLES[n], min_n=5, weight="weight")
              for n in ("area", "gender", "area×gender")}
    assert attack(survey, tables, 5) == []
    assert w["A"] > 0


# ---------------------------------------------------------------- randomised tables (issue 19)


def random_survey(rng: np.random.Generator, areas: int, groups: int, n: int) -> Survey:
    """A small survey whose 14 themes are 14 different area × gender tables (each theme is
    answered by a different random subset); some respondents give no group."""
    area = rng.choice([f"a{i}" for i in range(areas)], n, p=rng.dirichlet(np.ones(areas)))
    levels = [f"g{i}" for i in range(groups)] + [None]
    p = np.append(rng.dirichlet(np.ones(groups)) * 0.93, 0.07)
    gender = pd.array(rng.choice(np.array(levels, dtype=object), n, p=p), dtype="string")
    data = {"area_id": pd.array(area, dtype="string"), "gender": gender}
    for theme in THEME_CODES:
        scores = rng.integers(1, 8, n).astype(float)
        scores[rng.random(n) < rng.uniform(0.1, 0.7)] = np.nan
        data[theme] = pd.array(scores, dtype="Int8")
    df = pd.DataFrame(data, index=pd.Index([f"r{i}" for i in range(n)], name="respondent_id"))
    return Survey(df)


def exhaustive_leaks(atk: Attack, hidden: list[tuple[np.ndarray, int]], min_n: int) -> list[str]:
    """Every union of finest cells below min_n (all subsets of the small cells)."""
    small = np.flatnonzero((atk.n > 0) & (atk.n < min_n))
    queries, sizes = [], []
    for k in range(1, len(small) + 1):
        any_k = False
        for combo in itertools.combinations(small, k):
            total = atk.n[list(combo)].sum()
            if total < min_n:
                any_k = True
                vec = np.zeros(len(atk.n))
                vec[list(combo)] = 1
                queries.append(vec)
                sizes.append(int(total))
        if not any_k:
            break
    queries += [v for v, _ in hidden]
    sizes += [n for _, n in hidden]
    hit = atk.recovered(queries)
    return [f"{atk.theme}: n={s}" for s, h in zip(sizes, hit, strict=True) if h]


@pytest.mark.parametrize(("min_n", "areas", "groups", "people"),
                         [(3, 4, 2, 30), (5, 4, 2, 45), (5, 5, 3, 60), (5, 3, 4, 50),
                          (10, 4, 2, 80)])
def test_random_area_by_group_tables_reveal_nothing(min_n, areas, groups, people):
    """Many small area × group tables (14 per survey), published as the explorer and the
    reports publish them: area rows, group rows, area × group cells (the explorer shows the
    «not given» column too), the grand total. No union of cells below min_n is determined."""
    rng = np.random.default_rng(1000 * min_n + 10 * areas + groups)
    checked = 0
    for _ in range(12):
        survey = random_survey(rng, areas, groups, people)
        tables = published(survey, ["area", "gender", "area×gender"], min_n)
        codes = cell_codes(survey, ["area_id", "gender"], min_n=min_n)
        not_given = codes[codes["gender"].isna() & codes["area_id"].notna()]
        for theme in THEME_CODES:
            atk = Attack(survey, theme, ["area_id", "gender"])
            atk.rows.append(atk.indicator({}))
            hidden = []
            for name, table in tables.items():
                hidden += atk.publish(table, TABLES[name])
            rows = not_given[(not_given["theme"] == theme) & (not_given["n"] > 0)]
            for _, row in rows.iterrows():  # the explorer's «Ikke oppgitt» cells
                vec = atk.indicator({"area_id": row["area_id"], "gender": "<NA>"})
                (hidden.append((vec, int(row["n"]))) if row["code"] else atk.rows.append(vec))
            assert exhaustive_leaks(atk, hidden, min_n) == []
            checked += 1
    assert checked == 12 * 14


def _audit_grids(cells: np.ndarray, codes: privacy.LinkedCodes, min_n: int) -> int:
    """Leaks in many two-way tables at once (``cells[t]`` one table, published with its area
    rows, group columns and grand total as ``codes`` decide): hidden cells, hidden area and
    group figures, and every union of small hidden cells must stay undetermined."""
    leaks = 0
    for t in range(len(cells)):
        n = cells[t]
        hid = (codes.cells[0][t] > 0) & (n > 0)
        row_of, col_of = np.nonzero(hid)
        area_hidden = [a for a in range(n.shape[0]) if codes.rows[t, a] and n[a].sum()]
        group_hidden = [c for c in range(n.shape[1]) if codes.columns[0][t, c] and n[:, c].sum()]
        if not len(row_of):  # a hidden figure without a hidden cell equals the shown cells
            leaks += len(area_hidden) + len(group_hidden)
            continue
        eqs = [row_of == a for a in range(n.shape[0]) if codes.rows[t, a] == 0]
        eqs += [col_of == c for c in range(n.shape[1]) if codes.columns[0][t, c] == 0]
        if codes.total[t] == 0:
            eqs.append(np.ones(len(row_of), dtype=bool))
        queries = list(np.eye(len(row_of), dtype=bool))
        queries += [row_of == a for a in area_hidden] + [col_of == c for c in group_hidden]
        nn = n[hid]
        small = np.flatnonzero(nn < min_n)
        for k in range(2, len(small) + 1):
            combos = [c for c in itertools.combinations(small, k) if nn[list(c)].sum() < min_n]
            if not combos:
                break
            for combo in combos:
                vec = np.zeros(len(row_of), dtype=bool)
                vec[list(combo)] = True
                queries.append(vec)
        published_rows = np.array(eqs, dtype=float).reshape(-1, len(row_of))
        leaks += int(in_row_space(published_rows, np.array(queries, dtype=float)).sum())
    return leaks


@pytest.mark.parametrize(("min_n", "shape", "mean"),
                         [(3, (4, 2), 2.0), (5, (4, 3), 4.0), (5, (3, 2), 3.0), (5, (2, 2), 4.0),
                          (5, (5, 4), 5.0), (10, (4, 3), 6.0), (40, (3, 3), 25.0)])
def test_thousands_of_random_grids_reveal_nothing(min_n, shape, mean):
    """privacy.linked_codes on 600 random tables per case (each table a «theme»), empty cells
    included; exhaustive check of unions of small hidden cells."""
    rng = np.random.default_rng(min_n * 100 + shape[0] * 10 + shape[1])
    cells = rng.poisson(mean, (600, *shape)) * (rng.random((600, *shape)) > 0.25)
    codes = privacy.linked_codes(cells.sum(axis=2), [cells], min_n)
    assert ((codes.cells[0] == 1) == (cells < min_n)).all()
    assert _audit_grids(cells, codes, min_n) == 0


# ---------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample_survey() -> Survey:
    return sl.load_sample().survey


@pytest.mark.parametrize("min_n", MIN_NS)
def test_sample_every_pair_of_tables(sample_survey, min_n):
    """On the sample, for every pair of tables a user can publish (and all of them at once,
    with and without total rows, weighted too), nothing below min_n is recoverable."""
    tables = published(sample_survey, list(TABLES), min_n)
    themes = list(sample_survey.themes[:: 3 if min_n != 5 else 1])
    union = 3 if min_n <= 10 else 2
    for pair in itertools.combinations(TABLES, 2):
        assert attack(sample_survey, {k: tables[k] for k in pair}, min_n, themes, union) == [], pair
    assert attack(sample_survey, tables, min_n, themes, union) == []
    no_total = published(sample_survey, list(TABLES), min_n, total=False)
    for name in TABLES:
        assert no_total[name]["suppressed"].tolist() == \
            tables[name].loc[tables[name][TABLES[name][0]].astype(str) != "total",
                             "suppressed"].tolist()


def test_sample_weighted_tables_hide_the_same_cells(sample_survey):
    from soslokal_lib.app.widgets import sample_weights
    from soslokal_lib.stats.weighting import with_weights

    weighted = with_weights(sample_survey, sample_weights())
    for name, by in TABLES.items():
        plain = sl.summarise(weighted, by=by, min_n=10)
        heavy = sl.summarise(weighted, by=by, min_n=10, weight="weight")
        assert heavy["suppressed"].tolist() == plain["suppressed"].tolist(), name


# ---------------------------------------------------------------- Elvestad (issue 12, item 4)

ELVESTAD = Path(__file__).parent / "fixtures" / "egenkommune" / "svar_stedskompass.csv"


@pytest.fixture(scope="module")
def elvestad() -> Survey:
    """The hand-made test kommune, its headers mapped by hand (Spm N = theme N)."""
    with open(ELVESTAD, encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh, delimiter=";"))
    columns = {"Svar-ID": "respondent_id", "Hvilket nabolag bor du i?": "area_id",
               "Sendt inn": None, "Alder": "age_group", "Kjønn": "gender",
               "Hva er bra med nærmiljøet ditt?": None, "Hva kan bli bedre?": None}
    columns.update({h: THEME_CODES[int(h.split()[1]) - 1] for h in header
                    if h.startswith("Spm ")})
    return sl.read_survey(ELVESTAD, columns=columns)


def test_elvestad_small_area_costs_its_neighbours_little(elvestad):
    """Nordre (3 answers) is protected on every theme, by one neighbour per theme, and no
    neighbour is hidden on all 14 themes (before: Elvebredden, 18 answers, lost all 14)."""
    table = sl.summarise(elvestad, min_n=5)
    areas = table[table["area_id"] != "total"]
    kinds = areas.pivot(index="theme", columns="area_id", values="suppression").astype(object)
    assert (kinds["Nordre"] == "primary").all()
    others = kinds.drop(columns="Nordre")
    assert ((others == "secondary").sum(axis=1) == 1).all()  # one complement per theme
    per_area = (others == "secondary").sum()
    assert per_area.max() < 14 and per_area["Elvebredden"] >= per_area.drop("Elvebredden").max()
    # by hand, themes in order, cost n × (1 + themes already hidden): moving_around goes to
    # Elvebredden (15); public_transport to Østsiden (23 < Elvebredden 18·2 = 36); traffic to
    # Vestbyen (22 < 15·2, 21·2); streets to Sentrum (29 < 15·2 = 30); natural_space back to
    # Elvebredden (18·2 = 36 < 22·2, 26·2, 27·2); … spread over all four neighbours
    assert per_area.to_dict() == {"Elvebredden": 5, "Sentrum": 3, "Vestbyen": 3, "Østsiden": 3}
    assert not table.loc[table["area_id"] == "total", "suppressed"].any()
    hidden = privacy.hidden_cells(table)
    assert set(hidden.loc[hidden["area_id"] == "Nordre", "reason"]) == {"for få svar"}
    assert set(hidden.loc[hidden["area_id"] != "Nordre", "reason"]) == {
        "skjult for å beskytte et lite nabolag"}
    for min_n in (5, 10):
        tables = published(elvestad, list(TABLES), min_n)
        assert attack(elvestad, tables, min_n, union_size=2) == []


def test_quotes_survive_secondary_suppression(elvestad):
    """Quotes follow the primary rule only: the neighbours hidden to protect Nordre keep
    theirs, Nordre (3 answers) gives none."""
    ids = elvestad.responses.index.astype(str)
    comments = pd.DataFrame({"respondent_id": ids, "theme": "natural_space", "kind": "good",
                             "text": "Fine turstier her."}).astype("string")
    quotes = sl.text.select_quotes(comments, elvestad.responses, min_n=5, per_area=2)
    assert set(quotes["area_id"]) == {"Elvebredden", "Sentrum", "Vestbyen", "Østsiden"}
    table = sl.summarise(elvestad, min_n=5)
    secondary = set(table.loc[table["suppression"] == "secondary", "area_id"])
    assert secondary <= set(quotes["area_id"]) and len(secondary) >= 2
    assert set(sl.text.select_quotes(comments, elvestad.responses, min_n=24)["area_id"]) == {
        "Sentrum", "Vestbyen"}


def test_other_columns_and_pairs_without_area_are_protected_too():
    """A column outside the linked family (education), its area cross-table and a pair
    without the area, published with all the standard tables: nothing leaks. Tables by three
    columns are refused (their cells follow from the two-way tables)."""
    rng = np.random.default_rng(3)
    n = 150
    df = pd.DataFrame({
        "area_id": pd.array(rng.choice(list("ABCDE"), n), dtype="string"),
        "gender": pd.array(rng.choice(["k", "m", None], n, p=[.47, .47, .06]), dtype="string"),
        "edu": pd.array(rng.choice(["lav", "mid", "høy", None], n, p=[.3, .4, .25, .05]),
                        dtype="string")})
    for theme in ("feeling_safe", "natural_space", "moving_around"):
        s = rng.integers(1, 8, n).astype(float)
        s[rng.random(n) < .3] = np.nan
        df[theme] = pd.array(s, dtype="Int8")
    survey = Survey(df)
    tables = [["edu"], ["area_id", "edu"], ["gender", "edu"], ["area_id"], ["gender"],
              ["area_id", "gender"]]
    for min_n in (5, 10):
        found = []
        summaries = [(by, sl.summarise(survey, by=by, min_n=min_n)) for by in tables]
        assert summaries[1][1]["suppression"].eq("secondary").any()
        for theme in survey.themes:
            atk = Attack(survey, theme, ["area_id", "gender", "edu"])
            atk.rows.append(atk.indicator({}))
            hidden = []
            for by, table in summaries:
                hidden += atk.publish(table, by)
            found += atk.leaks(hidden, min_n, union_size=2)
        assert found == []
    with pytest.raises(sl.SoslokalError, match="3 columns.*Fix"):
        sl.summarise(survey, by=["area_id", "gender", "edu"], min_n=5)
    assert len(sl.summarise(survey, by=["area_id", "gender", "edu"], min_n=1)) > 0


# ---------------------------------------------------------------- two rounds (issue 15)


def _two_rounds(rng: np.random.Generator, old: Sequence[str], new: Sequence[str],
                n: tuple[int, int]) -> tuple[Survey, Survey]:
    """Two rounds of the random_survey kind (14 themes, random subsets answering), the
    earlier with areas ``old``, the later with ``new``; a few respondents without an area."""
    out = []
    for areas, size, tag in ((old, n[0], "b"), (new, n[1], "a")):
        area = np.concatenate([np.array(list(areas), dtype=object), rng.choice(
            np.array(list(areas) + [None], dtype=object), size - len(areas),
            p=np.append(rng.dirichlet(np.ones(len(areas))) * 0.96, 0.04))])  # every area
        data = {"area_id": pd.array(area, dtype="string")}
        for theme in THEME_CODES:
            scores = rng.integers(1, 8, size).astype(float)
            scores[rng.random(size) < rng.uniform(0.1, 0.6)] = np.nan
            data[theme] = pd.array(scores, dtype="Int8")
        index = pd.Index([f"{tag}{i}" for i in range(size)], name="respondent_id")
        out.append(Survey(pd.DataFrame(data, index=index)))
    return out[0], out[1]


def two_round_leaks(before: Survey, after: Survey, min_n: int,
                    crosswalk: dict[str, str] | None = None) -> list[str]:
    """Publish each round's summary by its own areas (with totals) and the comparison table
    (n_before/n_after and both rounds' figures of every shown row); the unknowns are both
    rounds' finest cells (round × own area). Nothing below ``min_n`` may be determined."""
    both = pd.concat([before.responses.assign(round="b"), after.responses.assign(round="a")])
    combined = Survey(both)
    summaries = {"b": sl.summarise(before, min_n=min_n), "a": sl.summarise(after, min_n=min_n)}
    table = sl.compare_rounds(before, after, min_n=min_n, crosswalk=crosswalk).to_frame()
    mapping = crosswalk or {}
    found = []
    for theme in before.themes:
        atk = Attack(combined, theme, ["round", "area_id"])
        hidden = []
        for tag, summary in summaries.items():
            rows = summary[summary["theme"].astype(str) == theme]
            for _, r in rows.iterrows():
                vec = atk.indicator({"round": tag, "area_id": str(r["area_id"])})
                if bool(r["suppressed"]):
                    if r["n"] > 0:
                        hidden.append((vec, int(r["n"])))
                else:
                    atk.rows.append(vec)
        for _, r in table[table["theme"].astype(str) == theme].iterrows():
            key = str(r["area_id"])
            olds = [key] if key == "total" else [
                a for a in before.responses["area_id"].dropna().unique()
                if mapping.get(a, a) == key]
            vec_b = sum((atk.indicator({"round": "b", "area_id": a}) for a in olds),
                        np.zeros(len(atk.n)))
            news = [key] if key == "total" else [
                a for a in after.responses["area_id"].dropna().unique()
                if mapping.get(a, a) == key]
            vec_a = sum((atk.indicator({"round": "a", "area_id": a}) for a in news),
                        np.zeros(len(atk.n)))
            if not bool(r["suppressed"]):
                atk.rows += [vec_b, vec_a]
            else:
                hidden += [(v, int(n)) for v, n in ((vec_b, r["n_before"]), (vec_a, r["n_after"]))
                           if 0 < n < min_n]
        found += atk.leaks(hidden, min_n, union_size=2)
    return found


def test_two_rounds_hand_made_merge_attack():
    """Nord (3) and Vest (20) merge into Midt. Published: the 2021 summary (Nord hidden, Sør
    hidden to protect it, Vest shown), the 2024 summary and the comparison, whose 2021 Midt
    is Nord + Vest: shown, Midt − Vest would give Nord's three answers."""
    before = survey_of(["Nord"] * 3 + ["Sør"] * 12 + ["Vest"] * 20 + ["Øst"] * 25)
    after = survey_of(["Midt"] * 20 + ["Sør"] * 18 + ["Øst"] * 22)
    after = Survey(after.responses.set_axis([f"a{i}" for i in range(60)]).rename_axis(
        "respondent_id"))
    crosswalk = {"Nord": "Midt", "Vest": "Midt"}
    table = sl.compare_rounds(before, after, min_n=5, crosswalk=crosswalk).to_frame()
    summary = sl.summarise(before, min_n=5)
    assert shown(summary, "area_id", "Vest") is not None
    assert table.loc[table["area_id"] == "Midt", "suppressed"].all()
    assert two_round_leaks(before, after, 5, crosswalk) == []


@pytest.mark.parametrize(("min_n", "seed"), [(3, 1), (5, 2), (5, 3), (10, 4)])
def test_two_rounds_random_tables_reveal_nothing(min_n, seed):
    """Random pairs of rounds (14 themes each), without and with a crosswalk that merges two
    old areas (one of them often small): no union of cells below min_n is determined by both
    rounds' summaries and the comparison together."""
    rng = np.random.default_rng(seed)
    for _ in range(3):
        before, after = _two_rounds(rng, ["a", "b", "c", "d", "e"], ["a", "b", "c", "d", "f"],
                                    (60, 70))
        assert two_round_leaks(before, after, min_n) == []
        before, after = _two_rounds(rng, ["a", "b", "c", "d", "e"], ["m", "c", "d", "e"],
                                    (60, 70))
        assert two_round_leaks(before, after, min_n, {"a": "m", "b": "m"}) == []


# ---------------------------------------------------------------- two other columns (issue 19)


def _two_columns_survey(rng: np.random.Generator, people: int) -> Survey:
    """A small survey with two background columns outside the linked family."""
    df = pd.DataFrame({
        "area_id": pd.array(["X"] * people, dtype="string"),
        "edu": pd.array(rng.choice(np.array(["lav", "mid", "høy", None], dtype=object), people,
                                   p=[.35, .4, .2, .05]), dtype="string"),
        "housing": pd.array(rng.choice(np.array(["eier", "leier", None], dtype=object), people,
                                       p=[.6, .35, .05]), dtype="string")},
        index=pd.Index([f"r{i}" for i in range(people)], name="respondent_id"))
    for theme in THEME_CODES[:4]:
        s = rng.integers(1, 8, people).astype(float)
        s[rng.random(people) < .2] = np.nan
        df[theme] = pd.array(s, dtype="Int8")
    return Survey(df)


def test_two_other_columns_hand_made_case_is_refused_not_leaked():
    """edu × housing, min_n 3: lav/eier 3, mid/leier 3, mid/eier 2. Every margin is shown (each
    ≥ 3), so with every cell hidden mid/eier = eier (5) − lav/eier, and lav/eier = lav (3):
    no hiding in this table protects it. It is refused, naming the cell and the fix."""
    people = [("lav", "eier")] * 3 + [("mid", "leier")] * 3 + [("mid", "eier")] * 2
    survey = survey_of(["X"] * 8, scores=[1, 2, 3, 4, 5, 6, 7, 1],
                       edu=[e for e, _ in people], housing=[h for _, h in people])
    with pytest.raises(sl.SoslokalError, match=r"edu=mid, housing=eier \(2 respondents.*Fix"):
        sl.summarise(survey, by=["edu", "housing"], min_n=3)
    assert len(sl.summarise(survey, by=["edu", "housing"], min_n=1)) > 0


def test_random_two_other_columns_tables_are_safe_or_refused():
    """200 small surveys by two columns outside the linked family, published with both
    one-way tables and the grand total: each table is either refused or leaks nothing (no
    cell or union of small cells below min_n is determined)."""
    rng = np.random.default_rng(1919)
    refused = checked = 0
    for _ in range(200):
        min_n = int(rng.choice([3, 5]))
        survey = _two_columns_survey(rng, int(rng.integers(12, 40)))
        try:
            two_way = sl.summarise(survey, by=["edu", "housing"], min_n=min_n)
        except sl.SoslokalError:
            refused += 1
            continue
        tables = [(["edu"], sl.summarise(survey, by="edu", min_n=min_n)),
                  (["housing"], sl.summarise(survey, by="housing", min_n=min_n)),
                  (["edu", "housing"], two_way)]
        for theme in THEME_CODES[:4]:
            atk = Attack(survey, theme, ["edu", "housing"])
            atk.rows.append(atk.indicator({}))
            hidden = []
            for by, table in tables:
                hidden += atk.publish(table, by)
            small = [(vec, n) for vec, n in hidden if n < min_n]  # a larger one is no leak
            assert atk.leaks(small, min_n, union_size=2) == []
            checked += 1
    assert checked > 400 and 0 < refused < 100
