"""Change between survey rounds (issue 15): reading rounds, compare_rounds against scipy and
statsmodels, planted changes, suppression, crosswalks and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

import soslokal_lib as sl
from soslokal_lib import Survey
from soslokal_lib.stats.rounds import (
    brunner_munzel,
    compare_rounds,
    newcombe,
    round_key,
    split_rounds,
)
from soslokal_lib.stats.summary import cell_codes

THEMES = ["moving_around", "public_transport", "feeling_safe"]
FLAT = np.array([1, 1, 2, 3, 4, 4, 3], float)


def make(areas: dict[str, int], *, seed: int, prefix: str, shift: dict | None = None,
         label: str | None = None, source: str | None = None, **extra) -> Survey:
    """Respondents per area; every theme drawn from FLAT, the (area, theme) pairs in ``shift``
    from FLAT reversed (many low scores)."""
    rng = np.random.default_rng(seed)
    rows = []
    for area, n in areas.items():
        for _ in range(n):
            row = {"area_id": area}
            for theme in THEMES:
                p = FLAT[::-1] if shift and (area, theme) in shift else FLAT
                row[theme] = int(rng.choice(np.arange(1, 8), p=p / p.sum()))
            rows.append(row)
    df = pd.DataFrame(rows)
    for col, values in extra.items():
        df[col] = values
    df.index = pd.Index([f"{prefix}{i}" for i in range(len(df))], name="respondent_id")
    meta = {"round": label} if label else {}
    if source:
        meta["source"] = source
    return Survey(df, meta=meta)


def row(table: pd.DataFrame, area: str, theme: str) -> pd.Series:
    return table[(table["area_id"] == area) & (table["theme"] == theme)].iloc[0]


# ---------------------------------------------------------------- the statistics


def test_brunner_munzel_equals_scipy_on_tied_scores():
    rng = np.random.default_rng(0)
    x = np.zeros((60, 7), dtype=np.int64)
    y = np.zeros((60, 7), dtype=np.int64)
    expected = []
    for i in range(60):
        a = rng.integers(1, 8, rng.integers(5, 40))
        b = np.clip(rng.integers(1, 8, rng.integers(5, 40)) + rng.integers(-1, 3), 1, 7)
        x[i] = np.bincount(a - 1, minlength=7)
        y[i] = np.bincount(b - 1, minlength=7)
        expected.append(stats.brunnermunzel(a, b).pvalue)
    np.testing.assert_allclose(brunner_munzel(x, y), expected, rtol=1e-9, atol=1e-12)


def test_brunner_munzel_degenerate_cells():
    x = np.array([[0, 0, 0, 6, 0, 0, 0], [0, 0, 5, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1],
                  [3, 2, 0, 0, 0, 0, 0]])
    y = np.array([[0, 0, 0, 9, 0, 0, 0], [0, 0, 0, 0, 0, 7, 0], [0, 0, 0, 4, 0, 0, 0],
                  [0, 0, 0, 0, 2, 2, 2]])
    p = brunner_munzel(x, y)
    assert p[0] == 1.0  # every answer 4 in both rounds
    assert p[1] == pytest.approx(stats.fisher_exact([[5, 0], [0, 7]])[1])  # 3s against 6s
    assert np.isnan(p[2])  # one answer before
    assert p[3] == pytest.approx(stats.fisher_exact([[5, 0], [0, 6]])[1])  # separated, spread
    assert p[1] < 0.01


def test_newcombe_equals_statsmodels():
    rng = np.random.default_rng(1)
    n1, n2 = rng.integers(5, 200, 50), rng.integers(5, 200, 50)
    c1, c2 = rng.binomial(n1, 0.3), rng.binomial(n2, 0.4)
    z = stats.norm.ppf(0.975)
    lo, hi = newcombe(c1 / n1, n1.astype(float), c2 / n2, n2.astype(float), z)
    for i in range(50):
        ref = confint_proportions_2indep(c2[i], n2[i], c1[i], n1[i], method="newcomb")
        assert (round(lo[i], 10), round(hi[i], 10)) == (round(ref[0], 10), round(ref[1], 10))


def test_table_agrees_with_scipy_and_statsmodels():
    before = make({"A": 30, "B": 25, "C": 40}, seed=1, prefix="b", label="2021")
    after = make({"A": 35, "B": 20, "C": 45}, seed=2, prefix="a", label="2024",
                 shift={("B", "feeling_safe")})
    table = compare_rounds(before, after, min_n=5).to_frame()
    b, a = before.responses, after.responses
    for area in ("A", "B", "C"):
        for theme in THEMES:
            x = b.loc[b["area_id"] == area, theme].dropna().to_numpy(int)
            y = a.loc[a["area_id"] == area, theme].dropna().to_numpy(int)
            r = row(table, area, theme)
            assert (r["n_before"], r["n_after"]) == (len(x), len(y))
            assert r["p_value"] == pytest.approx(stats.brunnermunzel(x, y).pvalue, rel=1e-9)
            assert r["median_before"] == np.median(x) and r["median_after"] == np.median(y)
            welch = stats.ttest_ind(y, x, equal_var=False).confidence_interval(0.95)
            assert r["mean_diff"] == pytest.approx(y.mean() - x.mean())
            assert (r["mean_diff_ci_low"], r["mean_diff_ci_high"]) == pytest.approx(
                (welch.low, welch.high), rel=1e-9)
            for kind, hit in (("share_low", lambda v: v <= 3), ("share_high", lambda v: v >= 5)):
                ref = confint_proportions_2indep(hit(y).sum(), len(y), hit(x).sum(), len(x),
                                                 method="newcomb")
                assert r[f"{kind}_diff"] == pytest.approx(hit(y).mean() - hit(x).mean())
                assert (r[f"{kind}_diff_ci_low"], r[f"{kind}_diff_ci_high"]) == pytest.approx(
                    ref, rel=1e-9)
    areas = table[table["area_id"] != "total"]
    q = multipletests(areas["p_value"].round(9), method="fdr_bh")[1]
    np.testing.assert_allclose(areas["q_value"], q, rtol=1e-12)
    totals = table[table["area_id"] == "total"]
    assert totals["n_before"].tolist() == [len(b[t].dropna()) for t in THEMES]
    np.testing.assert_allclose(totals["q_value"],
                               multipletests(totals["p_value"].round(9), method="fdr_bh")[1])


# ---------------------------------------------------------------- planted change


def test_planted_change_is_flagged_and_nothing_else():
    areas = {"A": 60, "B": 60, "C": 60, "D": 60}
    before = make(areas, seed=11, prefix="b", label="2021")
    after = make(areas, seed=12, prefix="a", label="2024", shift={("C", "feeling_safe")})
    result = compare_rounds(before, after)
    table = result.to_frame()
    flagged = table[table["changed"]]
    assert [(r.area_id, r.theme) for r in flagged.itertuples() if r.area_id != "total"] == [
        ("C", "feeling_safe")]
    assert row(table, "C", "feeling_safe")["direction"] == "worse"
    assert result.statistic == result.changed == 1
    assert "C, Trygghet" in result.text("nb") and "C, Feeling safe" in result.text("en")


def test_no_change_is_not_flagged_over_many_draws():
    """Same generator in both rounds: over 40 pairs × 12 cells, false alarms are rare."""
    alarms = 0
    for seed in range(40):
        before = make({"A": 40, "B": 30, "C": 25, "D": 50}, seed=seed, prefix="b", label="1")
        after = make({"A": 40, "B": 30, "C": 25, "D": 50}, seed=1000 + seed, prefix="a",
                     label="2")
        alarms += compare_rounds(before, after).statistic
    assert alarms <= 3  # 480 cells tested, all unchanged


def test_rounding_decides_changed_the_same_everywhere():
    before = make({"A": 60}, seed=11, prefix="b", label="2021")
    after = make({"A": 60}, seed=12, prefix="a", label="2024", shift={("A", "feeling_safe")})
    table = compare_rounds(before, after).to_frame()
    assert table.attrs["decimals"] == 9
    r = row(table, "A", "feeling_safe")
    assert r["changed"] == (round(r["q_value"], 9) < 0.05 and round(r["share_low_diff_ci_low"], 9) > 0)


# ---------------------------------------------------------------- suppression


def test_suppression_follows_each_rounds_summary():
    before = make({"A": 3, "B": 12, "C": 20, "D": 9}, seed=3, prefix="b", label="2021")
    after = make({"A": 14, "B": 4, "C": 18, "E": 10}, seed=4, prefix="a", label="2024")
    result = compare_rounds(before, after, min_n=5)
    table = result.to_frame()
    for survey, n_col in ((before, "n_before"), (after, n_col_after := "n_after")):
        codes = cell_codes(survey, min_n=5)
        for r in codes.itertuples():
            got = row(table, r.area_id, r.theme)
            if got["suppression"] == "one_round":
                continue
            assert got[n_col] == r.n
            if r.code:
                assert got["suppressed"]
    assert n_col_after == "n_after"
    assert set(table.loc[table["area_id"] == "A", "suppression"]) == {"primary"}
    assert set(table.loc[table["area_id"] == "B", "suppression"]) == {"primary"}
    assert set(table.loc[table["area_id"].isin(["D", "E"]), "suppression"]) == {"one_round"}
    hidden = table[table["suppressed"]]
    assert hidden[["share_low_before", "p_value", "mean_diff"]].isna().all().all()
    assert (hidden["n_before"] + hidden["n_after"] > 0).all()  # the counts stay
    texts = [n.render("nb") for n in result.notes]
    assert any(t.startswith("D: bare med i runde 2021") for t in texts)
    assert any(t.startswith("E: bare med i runde 2024") for t in texts)
    assert any("Totalradene" in t for t in texts)
    totals = table[table["area_id"] == "total"]
    assert not totals["suppressed"].any()


def test_codes_without_crosswalk_equal_summarise():
    before = make({"A": 3, "B": 6, "C": 7, "D": 30}, seed=5, prefix="b", label="1")
    after = make({"A": 8, "B": 6, "C": 7, "D": 30}, seed=6, prefix="a", label="2")
    table = compare_rounds(before, after, min_n=5).to_frame()
    s_b = sl.summarise(before, min_n=5)
    s_a = sl.summarise(after, min_n=5)
    merged = table.merge(s_b[["area_id", "theme", "suppressed"]], on=["area_id", "theme"],
                         suffixes=("", "_b")).merge(
        s_a[["area_id", "theme", "suppressed"]].rename(columns={"suppressed": "suppressed_a"}),
        on=["area_id", "theme"])
    assert (merged["suppressed"] == (merged["suppressed_b"] | merged["suppressed_a"])).all()


# ---------------------------------------------------------------- crosswalk


def test_crosswalk_merge_pools_the_earlier_round():
    before = make({"Nord": 20, "Sør": 15, "Vest": 30}, seed=7, prefix="b", label="2021")
    after = make({"Midt": 40, "Vest": 30}, seed=8, prefix="a", label="2024")
    result = compare_rounds(before, after, crosswalk={"Nord": "Midt", "Sør": "Midt"})
    table = result.to_frame()
    assert set(table["area_id"]) == {"Midt", "Vest", "total"}
    b = before.responses
    pooled = b.loc[b["area_id"].isin(["Nord", "Sør"]), "feeling_safe"].dropna()
    r = row(table, "Midt", "feeling_safe")
    assert r["n_before"] == len(pooled)
    assert r["share_low_before"] == pytest.approx((pooled <= 3).mean())
    assert any("Nord + Sør → Midt" in str(n) for n in result.notes)


def test_crosswalk_from_csv_and_rename(tmp_path):
    path = tmp_path / "kobling.csv"
    path.write_text("old;new\nGamleby;Sentrum\n", encoding="utf-8")
    before = make({"Gamleby": 20, "Vest": 30}, seed=7, prefix="b", label="2021")
    after = make({"Sentrum": 25, "Vest": 30}, seed=8, prefix="a", label="2024")
    table = compare_rounds(before, after, crosswalk=path).to_frame()
    assert row(table, "Sentrum", "feeling_safe")["n_before"] == 20
    assert not table["suppressed"].any()


def test_renamed_and_merged_areas_are_noted_by_name():
    """A rename is said in the notes (it was silent before), and merges and areas in one round
    show names, not codes, when ``names`` is given."""
    before = make({"Strand": 20, "A": 20, "B": 15, "C": 30, "D": 12}, seed=7, prefix="b",
                  label="2021")
    after = make({"S1": 25, "M1": 40, "C": 30}, seed=8, prefix="a", label="2025")
    names = {"S1": "Vestre Strand", "M1": "Bekkeli", "C": "Sentrum", "A": "Øvre Bekkeli",
             "B": "Nedre Bekkeli", "D": "Dalen"}
    result = compare_rounds(before, after, crosswalk={"Strand": "S1", "A": "M1", "B": "M1"},
                            names=names)
    notes = [n.render("nb") for n in result.notes]
    assert ("Nytt navn mellom rundene, sammenlignet under det nye navnet: Strand → Vestre "
            "Strand.") in notes
    assert "Sammenlignet på de nye grensene: Øvre Bekkeli + Nedre Bekkeli → Bekkeli." in notes
    assert any(n.startswith("Dalen: bare med i runde 2021") for n in notes)
    english = [n.render("en") for n in result.notes]
    assert ("Renamed between the rounds, compared under the later name: Strand → Vestre "
            "Strand.") in english
    assert set(result.to_frame()["area_id"]) == {"S1", "M1", "C", "D", "total"}  # ids kept
    plain = [n.render("nb") for n in compare_rounds(
        before, after, crosswalk={"Strand": "S1", "A": "M1", "B": "M1"}).notes]
    assert "Nytt navn mellom rundene, sammenlignet under det nye navnet: Strand → S1." in plain


def test_a_merged_area_is_noted_with_the_names_before_the_merge():
    """A small area merged into its neighbour keeps the neighbour's id under a new name: the
    note names the parts as they were («Litle + Vestre»), not «Litle + Vestre og Litle»."""
    before = make({"V": 30, "L": 4, "C": 30}, seed=7, prefix="b", label="2022")
    after = make({"V": 34, "C": 30}, seed=8, prefix="a", label="2025")
    result = compare_rounds(before, after, crosswalk={"L": "V"},
                            names={"V": "Vestre og Litle", "C": "Sentrum"},
                            old_names={"V": "Vestre", "L": "Litle"})
    notes = [n.render("nb") for n in result.notes]
    assert "Sammenlignet på de nye grensene: Litle + Vestre → Vestre og Litle." in notes
    assert not any("Nytt navn" in n for n in notes)
    # ids that are names (a boundary file with names only): the text does not map them again
    before = make({"Vestre": 30, "Litle": 4, "Sentrum": 30}, seed=7, prefix="b", label="2022")
    after = make({"Vestre": 34, "Sentrum": 30}, seed=8, prefix="a", label="2025")
    names = {"Vestre": "Vestre og Litle", "Sentrum": "Sentrum"}
    result = compare_rounds(before, after, crosswalk={"Litle": "Vestre"}, names=names,
                            old_names={"Vestre": "Vestre", "Litle": "Litle"})
    text = result.text("nb", names=names)
    assert "Sammenlignet på de nye grensene: Litle + Vestre → Vestre og Litle." in text
    assert "Vestre og Litle og Litle" not in text


def test_crosswalk_split_is_refused_with_what_to_do(tmp_path):
    before = make({"Nord": 20, "Vest": 30}, seed=7, prefix="b", label="2021")
    after = make({"Nord-A": 10, "Nord-B": 12, "Vest": 30}, seed=8, prefix="a", label="2024")
    path = tmp_path / "split.csv"
    path.write_text("old,new\nNord,Nord-A\nNord,Nord-B\n", encoding="utf-8")
    with pytest.raises(sl.SoslokalError, match="splits 'Nord'.*map the new areas back") as exc:
        compare_rounds(before, after, crosswalk=path)
    assert '"Nord-A" = "Nord"' in str(exc.value)
    assert "deler 'Nord'" in exc.value.describe("nb")
    # what the message proposes works: the later round on the old boundary
    table = compare_rounds(before, after, crosswalk={"Nord-A": "Nord", "Nord-B": "Nord"}
                           ).to_frame()
    assert row(table, "Nord", "feeling_safe")["n_after"] == 22


def test_crosswalk_unknown_area_names_the_closest():
    before = make({"Sentrum": 20, "Vest": 30}, seed=7, prefix="b", label="2021")
    after = make({"Sentrum": 25, "Vest": 30}, seed=8, prefix="a", label="2024")
    with pytest.raises(sl.SoslokalError, match="'Sentrumm'.*neither round.*'Sentrum'"):
        compare_rounds(before, after, crosswalk={"Sentrumm": "Vest"})


# ---------------------------------------------------------------- bad input


def test_different_themes_or_scales_name_both_files():
    before = make({"A": 20}, seed=1, prefix="b", label="2021", source="/x/runde_2021.csv")
    after = make({"A": 20}, seed=2, prefix="a", label="2024", source="/x/runde_2024.csv")
    fewer = Survey(after.responses.drop(columns="moving_around"), meta=after.meta)
    with pytest.raises(sl.SoslokalError, match="runde_2021.csv has moving_around.*runde_2024"):
        compare_rounds(before, fewer)
    three = Survey(after.responses.assign(**{t: 2 for t in THEMES}),
                   meta={**after.meta, "scale": 3})
    with pytest.raises(sl.SoslokalError, match="runde_2021.csv has 7 points, runde_2024.csv 3"):
        compare_rounds(before, three)


def test_round_label_used_twice():
    before = make({"A": 20}, seed=1, prefix="b", label="2024", source="a.csv")
    after = make({"A": 20}, seed=2, prefix="a", label=" 2024", source="b.csv")
    with pytest.raises(sl.SoslokalError, match="'2024' is used twice.*a.csv and b.csv"):
        compare_rounds(before, after)


def test_weighted_uses_kish_n_eff_per_round():
    before = make({"A": 40, "B": 40}, seed=1, prefix="b", label="2021")
    after = make({"A": 40, "B": 40}, seed=2, prefix="a", label="2024")
    rng = np.random.default_rng(0)
    wb = pd.Series(rng.uniform(0.5, 2, 80), index=before.responses.index)
    wa = pd.Series(rng.uniform(0.5, 2, 80), index=after.responses.index)
    result = compare_rounds(before, after, weight=(wb, wa))
    table = result.to_frame()
    r = row(table, "A", "feeling_safe")
    b = before.responses.assign(w=wb)
    a = after.responses.assign(w=wa)
    cells = []
    for frame in (b, a):
        part = frame[(frame["area_id"] == "A") & frame["feeling_safe"].notna()]
        w = part["w"].to_numpy()
        cells.append(((w * (part["feeling_safe"] <= 3)).sum() / w.sum(), w.sum() ** 2 / (w**2).sum()))
    (p1, n1), (p2, n2) = cells
    assert (r["share_low_before"], r["n_eff_before"]) == pytest.approx((p1, n1))
    lo, hi = newcombe(np.array([p1]), np.array([n1]), np.array([p2]), np.array([n2]),
                      stats.norm.ppf(0.975))
    assert (r["share_low_diff_ci_low"], r["share_low_diff_ci_high"]) == pytest.approx(
        (lo[0], hi[0]))
    x = before.responses.loc[before.responses["area_id"] == "A", "feeling_safe"].dropna()
    y = after.responses.loc[after.responses["area_id"] == "A", "feeling_safe"].dropna()
    assert r["p_value"] == pytest.approx(stats.brunnermunzel(x, y).pvalue)  # unweighted
    assert any("Kish" in str(n) for n in result.notes)
    assert result.weighted
    with pytest.raises(sl.SoslokalError, match="weight= must be"):
        compare_rounds(before, after, weight=3)


def test_mix_shift_note():
    n = 60
    old = ["67+"] * 9 + ["30–66"] * 51
    new = ["67+"] * 21 + ["30–66"] * 39
    before = make({"A": n}, seed=1, prefix="b", label="2021", age_group=old)
    after = make({"A": n}, seed=2, prefix="a", label="2024", age_group=new)
    notes = compare_rounds(before, after).notes
    nb = [n.render("nb") for n in notes]
    # the variable reads «alder», not the column name (found by a new user's trial)
    assert any("alder 67+: 15 % → 35 %" in t and "prosentpoeng" in t for t in nb), nb
    assert any("age 67+: 15" in str(t) for t in notes), [str(t) for t in notes]
    assert not any("age_group" in t for t in nb + [str(t) for t in notes])
    same = make({"A": n}, seed=2, prefix="a", label="2024", age_group=old)
    assert not any("67+" in str(t) for t in compare_rounds(before, same).notes)
    by_age = compare_rounds(before, after, by=["area_id", "age_group"]).text("nb")
    assert "(nabolag × alder × tema)" in by_age and "age_group" not in by_age


# ---------------------------------------------------------------- reading and splitting rounds


def test_read_survey_round_argument_and_column(tmp_path):
    header = "ID;Område;Runde;" + ";".join(f"Spm {i}" for i in range(1, 15))
    lines = [header]
    for i in range(12):
        label = "2021" if i < 5 else "2024"
        lines.append(f"{i + 1};{'Nord' if i % 2 else 'Sør'};{label};" + ";".join(
            str((i + k) % 7 + 1) for k in range(14)))
    path = tmp_path / "kombinert.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    survey = sl.read_survey(path)
    assert survey.meta["round"] is None
    assert survey.responses["round"].tolist() == ["2021"] * 5 + ["2024"] * 7
    parts = split_rounds(survey)
    assert list(parts) == ["2021", "2024"]
    assert [len(p.responses) for p in parts.values()] == [5, 7]
    assert parts["2024"].meta["round"] == "2024" and "round" not in parts["2024"].responses
    assert parts["2024"].meta["source_rows"][0] == 7
    single = tmp_path / "en.csv"
    single.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    assert sl.read_survey(single).meta["round"] == "2021"
    assert sl.read_survey(single, round=2021).meta["round"] == "2021"
    with pytest.raises(sl.SurveyFormatError, match="other than round='2021'.*split_rounds"):
        sl.read_survey(path, round="2021")


def test_split_rounds_errors_and_order():
    survey = make({"A": 6}, seed=1, prefix="r", år=["2024", "2021", "2024", "2021", "2024",
                                                     "2021"])
    assert list(split_rounds(survey)) == ["2021", "2024"]
    with pytest.raises(sl.SoslokalError, match="no round column"):
        split_rounds(make({"A": 6}, seed=1, prefix="r"))
    twice = make({"A": 4}, seed=1, prefix="r", round=["Vår", "vår", "Vår", "vår"])
    with pytest.raises(sl.SoslokalError, match="used twice"):
        split_rounds(twice)
    assert sorted(["runde 10", "runde 2"], key=round_key) == ["runde 2", "runde 10"]
    blank = make({"A": 4}, seed=1, prefix="r", round=["2021", "", "2024", "2024"])
    with pytest.raises(sl.SoslokalError, match="respondent r1 has no round label") as caught:
        split_rounds(blank)
    assert "respondent r1 mangler runde" in caught.value.describe("nb")


def test_to_frame_names_the_rounds_and_the_fdr_level_for_the_plots():
    before = make({"A": 60, "B": 25}, seed=1, prefix="b", label="2021",
                  shift={("A", "feeling_safe")})
    after = make({"A": 60, "B": 25}, seed=2, prefix="a", label="2024")
    result = compare_rounds(before, after, confidence=0.9, min_n=6)
    table = result.to_frame()
    assert table.attrs["rounds"] == ("2021", "2024")
    assert table.attrs["fdr"] == 0.1 and table.attrs["min_n"] == 6
    assert "rounds" not in result.table.attrs  # a copy: the result is not changed
    assert row(table, "A", "feeling_safe")["changed"]
    named = result.text("nb", names={"A": "Aby", "total": "Hele"})
    assert "Aby, Trygghet" in named and "A, Trygghet" not in named
    assert "A, Trygghet" in result.text("nb")


def test_public_name():
    assert sl.compare_rounds is compare_rounds
