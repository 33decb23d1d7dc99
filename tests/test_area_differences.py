"""Differences between areas from the survey alone: values against scipy/statsmodels, the
privacy rule (hidden cells change nothing), and the planted effects of the sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import soslokal_lib as sl
from soslokal_lib.errors import SoslokalError
from soslokal_lib.stats.area_differences import AreaDifferences, adjust, area_differences

# Hand-made answers: four areas, two themes, many ties; area "d" has 3 answers (primary).
SCORES = {
    "a": ([1, 2, 2, 3, 3, 3, 4, 5], [5, 5, 6, 6, 7, 7, 4, 6]),
    "b": ([3, 4, 4, 4, 5, 5, 6], [4, 4, 5, 5, 6, 6, 7]),
    "c": ([5, 5, 6, 6, 6, 7, 7, 7, 4], [5, 6, 6, 4, 4, 5, 5, 6, 7]),
    "d": ([1, 1, 2], [7, 7, 6]),
}


def _survey(scores=SCORES) -> sl.Survey:
    rows = [(area, x, y) for area, (xs, ys) in scores.items() for x, y in zip(xs, ys, strict=True)]
    df = pd.DataFrame(rows, columns=["area_id", "feeling_safe", "natural_space"])
    df.index = pd.Index([f"r{i}" for i in range(len(df))], name="respondent_id")
    for col in ("feeling_safe", "natural_space"):
        df[col] = df[col].astype("Int8")
    return sl.Survey(df)


@pytest.fixture(scope="module")
def small():
    return area_differences(_survey(), min_n=5, icc=True)


def test_hidden_cells_follow_the_summary(small):
    summary = sl.summarise(_survey(), min_n=5)
    kinds = summary.set_index(["area_id", "theme"])["suppression"]
    areas = small.areas.set_index(["area_id", "theme"])
    for key, kind in kinds.drop("total", level=0).items():
        if pd.isna(kind):
            assert not areas.loc[key, "suppressed"]
        else:
            assert areas.loc[key, "suppressed"] and areas.loc[key, "suppression"] == kind
    # d (3 answers) is primary; the protecting cell is spread over the two smallest other
    # areas (b, 7, on the first theme; a, 8, on the second) rather than hiding b twice
    assert areas.loc[("d", "feeling_safe"), "suppression"] == "primary"
    assert areas.loc[("b", "natural_space"), "suppression"] == "secondary"
    assert areas.loc[("a", "feeling_safe"), "suppression"] == "secondary"
    hidden = areas[areas["suppressed"]]
    stat_cols = ["share_low", "share_low_rest", "share_low_diff", "delta", "statistic", "z",
                 "p_value", "q_value"]
    assert hidden[stat_cols].isna().all().all()
    assert small.themes["n_areas"].tolist() == [2, 2]  # a and c only
    assert small.themes["n_hidden"].tolist() == [2, 2]
    assert small.themes["n"].to_dict() == {"natural_space": 17,
                                           "feeling_safe": 16}


def test_kruskal_wallis_equals_scipy_on_the_shown_areas():
    result = area_differences(_survey(), min_n=1, icc=False)  # everything shown
    for theme, col in (("feeling_safe", 0), ("natural_space", 1)):
        h, p = stats.kruskal(*[np.array(v[col], float) for v in SCORES.values()])
        row = result.themes.loc[theme]
        assert row["statistic"] == pytest.approx(h, rel=1e-12)
        assert row["p_value"] == pytest.approx(p, rel=1e-10)
        assert row["df"] == 3 and row["n_areas"] == 4
    # with min_n=5 only b and c are compared on feeling_safe (d primary, a protecting it)
    shown = area_differences(_survey(), min_n=5, icc=False).themes.loc["feeling_safe"]
    h, p = stats.kruskal(np.array(SCORES["b"][0], float), np.array(SCORES["c"][0], float))
    assert (shown["statistic"], shown["p_value"]) == (pytest.approx(h), pytest.approx(p))


def test_each_area_against_the_rest_equals_scipy_mann_whitney():
    result = area_differences(_survey(), min_n=1, icc=False)
    areas = result.areas.set_index(["area_id", "theme"])
    for theme, col in (("feeling_safe", 0), ("natural_space", 1)):
        for area in SCORES:
            x = np.array(SCORES[area][col], float)
            y = np.concatenate([np.array(v[col], float) for k, v in SCORES.items() if k != area])
            ref = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
            row = areas.loc[(area, theme)]
            assert row["statistic"] == pytest.approx(ref.statistic, abs=1e-9)
            assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
            greater = (x[:, None] > y[None, :]).mean() - (x[:, None] < y[None, :]).mean()
            assert row["delta"] == pytest.approx(greater, abs=1e-12)  # Cliff's delta
            assert row["n"] == len(x) and row["n_rest"] == len(y)


def test_share_low_difference_has_the_newcombe_interval():
    from statsmodels.stats.proportion import confint_proportions_2indep

    result = area_differences(_survey(), min_n=1, icc=False, confidence=0.9)
    areas = result.areas.set_index(["area_id", "theme"])
    for area in SCORES:
        x = np.array(SCORES[area][0])
        y = np.concatenate([np.array(v[0]) for k, v in SCORES.items() if k != area])
        low, high = confint_proportions_2indep((x <= 3).sum(), len(x), (y <= 3).sum(), len(y),
                                               method="newcomb", compare="diff", alpha=0.1)
        row = areas.loc[(area, "feeling_safe")]
        assert row["share_low"] == pytest.approx((x <= 3).mean())
        assert row["share_low_rest"] == pytest.approx((y <= 3).mean())
        assert row["share_low_diff_ci_low"] == pytest.approx(low, abs=1e-10)
        assert row["share_low_diff_ci_high"] == pytest.approx(high, abs=1e-10)


@pytest.mark.parametrize("method", ["fdr_bh", "holm"])
def test_adjust_equals_statsmodels(method):
    from statsmodels.stats.multitest import multipletests

    p = np.array([0.01, 0.04, np.nan, 0.03, 0.2, 0.001, 0.04, 0.9])
    ok = np.isfinite(p)
    expected = multipletests(p[ok], method=method)[1]
    got = adjust(p, method)
    assert np.isnan(got[2])
    np.testing.assert_allclose(got[ok], expected, rtol=1e-12)
    with pytest.raises(SoslokalError, match="method must be one of"):
        adjust(p, "bonferroni")


def test_q_values_are_adjusted_over_the_table_and_over_the_themes():
    result = area_differences(_survey(), min_n=1, icc=False, correction="holm", alpha=0.1)
    p = result.areas["p_value"].to_numpy()
    np.testing.assert_allclose(result.areas["q_value"], adjust(p, "holm"))
    np.testing.assert_allclose(result.themes["q_value"], adjust(result.themes["p_value"], "holm"))
    clear = result.areas["q_value"] < 0.1
    assert (result.areas["direction"].notna() == clear).all()
    lower = result.areas["direction"] == "lower"
    assert (result.areas.loc[lower, "delta"] < 0).all()


def test_icc_is_the_random_intercept_model_on_the_shown_answers(small):
    from statsmodels.regression.mixed_linear_model import MixedLM

    survey = _survey()
    df = survey.responses[survey.responses["area_id"].isin(["b", "c"])]  # a, d hidden
    y = df["feeling_safe"].astype(float)
    fit = MixedLM(y, np.ones((len(df), 1)), groups=df["area_id"].to_numpy()).fit(reml=True)
    between = float(np.asarray(fit.cov_re)[0, 0])
    row = small.themes.loc["feeling_safe"]
    assert row["between_var"] == pytest.approx(max(between, 0.0), rel=1e-3, abs=1e-6)
    assert row["within_var"] == pytest.approx(fit.scale, rel=1e-3)
    assert row["icc"] == pytest.approx(row["between_var"] / (row["between_var"]
                                                             + row["within_var"]))


def test_hidden_answers_change_no_published_number():
    """Attack: change every hidden answer — the primary-hidden area d on both themes, and the
    secondary-hidden cells (a on feeling_safe, b on natural_space), keeping their counts; no
    statistic of the result may change."""
    base = area_differences(_survey(), min_n=5)
    changed = dict(SCORES)
    changed["d"] = ([7, 7, 7], [1, 1, 1])
    changed["a"] = ([7, 7, 7, 7, 7, 7, 7, 7], SCORES["a"][1])
    changed["b"] = (SCORES["b"][0], [1, 1, 2, 2, 1, 1, 1])
    other = area_differences(_survey(changed), min_n=5)
    pd.testing.assert_frame_equal(base.themes, other.themes, rtol=1e-6)
    pd.testing.assert_frame_equal(base.areas, other.areas)


def test_secondary_area_is_neither_compared_nor_part_of_the_rest():
    result = area_differences(_survey(), min_n=5, icc=False)
    row = result.areas.set_index(["area_id", "theme"]).loc[("b", "feeling_safe")]
    x = np.array(SCORES["b"][0], float)
    y = np.array(SCORES["c"][0], float)  # the rest: c only, not a (secondary) nor d (primary)
    ref = stats.mannwhitneyu(x, y, method="asymptotic")
    assert row["n_rest"] == len(y)
    assert row["p_value"] == pytest.approx(ref.pvalue)


def test_too_few_shown_areas_give_no_test_and_say_so():
    scores = {"a": ([1, 2, 3, 4, 5], [3, 3, 3, 3, 3]), "b": ([1, 1], [2, 2])}
    result = area_differences(_survey(scores), min_n=5)
    assert result.themes["p_value"].isna().all() and result.themes["icc"].isna().all()
    assert result.areas["p_value"].isna().all()
    assert result.text("nb").startswith("For få nabolag")
    assert result.text("en").startswith("Too few areas")


def test_a_summary_from_other_data_is_refused():
    other = sl.summarise(_survey({"a": ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]),
                                  "b": ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])}))
    with pytest.raises(SoslokalError, match="does not match the survey.*'a'"):
        area_differences(_survey(), summary=other)
    without_total = sl.summarise(_survey(), total=False)  # no secondary suppression
    with pytest.raises(SoslokalError, match="no whole-survey .*total=True"):
        area_differences(_survey(), summary=without_total)
    with pytest.raises(SoslokalError, match="correction must be"):
        area_differences(_survey(), correction="bonferroni")
    with pytest.raises(SoslokalError, match="alpha must be"):
        area_differences(_survey(), alpha=5)


def test_to_frame_and_flagged():
    result = area_differences(_survey(), min_n=1, icc=False, alpha=0.2)
    assert list(result.to_frame().index) == ["natural_space", "feeling_safe"]  # official order
    assert len(result.to_frame("areas")) == 8
    with pytest.raises(SoslokalError):
        result.to_frame("x")
    lower = result.flagged("lower")
    assert (lower["direction"] == "lower").all() and (lower["delta"] < 0).all()
    assert set(result.flagged()["direction"]) <= {"lower", "higher"}


# --- the bundled sample: the planted effects -----------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> tuple[AreaDifferences, dict[str, str]]:
    s = sl.load_sample()
    names = s.areas["area_name"].astype(str).to_dict()
    return area_differences(s.survey, names=names), names


def test_sample_feeling_safe_differs_natural_space_does_not(sample):
    result, _ = sample
    themes = result.themes
    # planted δ = −1.3 from the least to the most deprived delområde: clear differences
    for theme in ("feeling_safe", "care_maintenance", "influence_control", "housing_community"):
        assert themes.loc[theme, "q_value"] < 0.01, theme
        assert themes.loc[theme, "differ"]
    # natural_space has no planted effect: no difference (p = 0.67 with this seed)
    assert themes.loc["natural_space", "p_value"] > 0.2
    assert not themes.loc["natural_space", "differ"]
    assert themes.loc["feeling_safe", "icc"] > 0.03
    assert themes.loc["natural_space", "icc"] < 0.005
    assert themes.loc["feeling_safe", "n_areas"] == 12
    assert themes.loc["natural_space", "n_areas"] == 10  # Øyane primary, Brattvoll secondary


def test_sample_areas_follow_the_deprivation(sample):
    result, names = sample
    safe = result.areas[result.areas["theme"] == "feeling_safe"].set_index("area_id")["delta"]
    by_name = safe.rename(index=names)
    # most deprived (true means 4.3–4.5) lower than the rest, least deprived higher
    assert (by_name[["Storhaugen", "Havna", "Furumo"]] < 0).all()
    assert (by_name[["Solåsen", "Vestre Strand"]] > 0).all()
    flagged = result.flagged().assign(name=lambda d: d["area_id"].map(names))
    rows = flagged.set_index(["name", "theme"])["direction"]
    assert rows[("Solåsen", "feeling_safe")] == "higher"
    assert rows[("Storhaugen", "influence_control")] == "lower"
    assert not flagged["theme"].eq("natural_space").any()
    hidden = result.areas[result.areas["suppressed"]].assign(name=lambda d: d["area_id"].map(names))
    assert set(zip(hidden["name"], hidden["suppression"], strict=True)) == {
        ("Øyane", "primary"), ("Brattvoll", "secondary")}


def test_sample_text_in_both_languages(sample):
    result, _ = sample
    nb, en = result.text("nb"), result.text("en")
    assert "Nabolagene skiller seg tydelig fra hverandre på 6 av 14 tema" in nb
    assert "trygghet (q < 0,001)" in nb
    assert "Solåsen på trygghet (2 % ga 1–3, mot 18 % ellers)" in nb
    assert "Brattvoll (2 tema, skjult for å beskytte et lite nabolag)" in nb
    assert "Øyane (2 tema, for få svar)" in nb
    assert "The areas differ clearly on 6 of 14 themes" in en
    assert "feeling safe (q < 0.001)" in en
    assert "Benjamini–Hochberg" in nb and "Benjamini–Hochberg" in en


# --- figures: they draw the result they are given ------------------------------------------------


def test_grid_frames_the_clear_cells_and_hatches_the_hidden(sample):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from soslokal_lib.plot.area_differences import plot_area_differences

    result, names = sample
    ax = plot_area_differences(result, source="Kilde: test")
    frames = [p for p in ax.patches if p.get_gid() == "area-clear"]
    hatched = [p for p in ax.patches if p.get_gid() == "area-hidden"]
    assert len(frames) == len(result.flagged()) == 9
    assert len(hatched) == int(result.areas["suppressed"].sum()) == 4
    texts = {t.get_text() for t in ax.texts}
    solasen = result.areas.set_index(["area_id", "theme"]).loc[
        (next(k for k, v in names.items() if v == "Solåsen"), "feeling_safe"), "delta"]
    assert f"{solasen:.2f}".replace(".", ",") in texts  # drawn as given, bokmål comma
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Øyane (n = 5)" in labels and "Havna (n = 144)" in labels  # largest theme n, as plot_heatmap
    caption = next(t for t in ax.texts if t.get_gid() == "area-caption").get_text()
    assert "skjult for å beskytte" in caption.replace("\n", " ") and "Kilde: test" in caption
    plt.close("all")
    ax = plot_area_differences(result, value="share_low_diff", lang="en")
    assert any(t.get_text() == "−16" or t.get_text() == "-16" for t in ax.texts)  # Solåsen, pp
    plt.close("all")
    with pytest.raises(SoslokalError, match="value must be"):
        plot_area_differences(result, value="mean")


def test_icc_bars_are_the_result_icc(sample):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from soslokal_lib.plot.area_differences import plot_theme_differences

    result, _ = sample
    ax = plot_theme_differences(result)
    widths = sorted(round(p.get_width(), 9) for p in ax.patches if p.get_height() == 0.7)
    expected = sorted(round(v, 9) for v in (result.themes["icc"].fillna(0) * 100))
    assert widths == expected
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Innflytelse og medvirkning"  # largest ICC on top
    assert any(t.get_text().startswith("5,1 %") and "q < 0,001" in t.get_text()
               for t in ax.texts)
    plt.close("all")


def test_readable_tables_have_words_not_codes(sample):
    from soslokal_lib.plot.area_differences import area_table, theme_table

    result, _ = sample
    themes = theme_table(result)
    assert themes.columns[0] == "Tema" and "Trygghet" in set(themes["Tema"])
    safe = themes.set_index("Tema").loc["Trygghet"]
    assert safe["q-verdi"] == "< 0,001" and safe["Tydelig forskjell"] == "ja"
    assert safe["ICC (andel mellom)"] == "5,1 %"
    nature = area_table(result, theme="natural_space").set_index("Nabolag")
    assert nature.loc["Brattvoll", "Andel 1–3"] == "skjult for å beskytte et lite nabolag"
    assert nature.loc["Øyane", "Andel 1–3"] == "for få svar"
    assert nature.loc["Øyane", "q-verdi"] == "" and nature.loc["Øyane", "δ"] == ""
    text = themes.to_string() + area_table(result).to_string()
    assert "nan" not in text.lower() and "<NA>" not in text and "feeling_safe" not in text
    clear = area_table(result, clear_only=True, lang="en")
    assert len(clear) == 9 and set(clear["Clear?"]) == {"lower", "higher"}
    frame = result.to_frame("areas")
    assert frame.columns[:2].tolist() == ["area_id", "area_name"]
    assert "Solåsen" in set(frame["area_name"])


# --- the politisk verksted section ---------------------------------------------------------------


def _context(survey, names, lang="nb", min_n=5):
    from soslokal_lib.app import verksted
    from soslokal_lib.app.verksted.parts import Context
    from soslokal_lib.themes import theme_labels

    summary = sl.summarise(survey, min_n=min_n)
    return Context(summary=summary, names=names, themes=theme_labels(lang), lang=lang,
                   t=verksted._wording(lang, survey.scale), min_n=min_n, source=None,
                   labels=None)


def test_verksted_section_names_the_areas_clearly_below(sample):
    from soslokal_lib.app.verksted.parts import differences
    from soslokal_lib.io.inputs import load_inputs

    inputs = load_inputs()
    part = differences(_context(inputs.survey, inputs.names), inputs)
    assert part["themes"].startswith("På 6 av 14 tema er forskjellene mellom nabolagene så "
                                     "store at de neppe skyldes tilfeldigheter: innflytelse og")
    assert [item.split(":")[0] for item in part["lower"]] == ["Havna", "Storhaugen"]
    assert ("Storhaugen: innflytelse og medvirkning (69 % ga 1–3, mot 43 % i de andre "
            "nabolagene)") in part["lower"]
    assert part["higher"].startswith("Tydelig over de andre nabolagene: Solåsen (trygghet samt "
                                     "innflytelse og medvirkning); Vestre Strand")
    assert part["icc"] == ("Selv tydelige forskjeller er små sammenlignet med hvor ulikt naboer "
                           "svarer: av all variasjonen i svarene ligger høyst 10 % mellom "
                           "nabolagene (innflytelse og medvirkning); resten er forskjeller "
                           "mellom folk i samme nabolag.")
    assert part["hidden"] and not part["none"]
    assert part["differ"][:2] == ["Innflytelse og medvirkning", "Trygghet"]
    text = " ".join([part["themes"], *part["lower"], part["higher"], part["certainty"]])
    for jargon in ("ridit", "Kruskal", "Mann", "q-verdi", "p-verdi", "ICC", "delta", "δ"):
        assert jargon not in text, jargon


def test_verksted_section_with_a_tiny_area_keeps_it_out():
    """Elvestad's shape: five areas, Nordre with 3 answers (primary), the next smallest
    hidden to protect it (secondary); neither is named or compared."""
    from soslokal_lib.app.verksted.parts import differences
    from soslokal_lib.io.inputs import Inputs

    rng = np.random.default_rng(3)
    sizes = {"Nordre": 3, "Østsiden": 23, "Sentrum": 40, "Vestbyen": 35, "Elvebredden": 30}
    shift = {"Nordre": 0, "Østsiden": 0, "Sentrum": 0, "Vestbyen": 1.5, "Elvebredden": 0}
    rows = []
    for area, n in sizes.items():
        for _ in range(n):
            rows.append((area, *np.clip(np.rint(rng.normal(4 - shift[area], 1.2, 2)), 1, 7)))
    df = pd.DataFrame(rows, columns=["area_id", "feeling_safe", "natural_space"])
    df.index = pd.Index([f"r{i}" for i in range(len(df))], name="respondent_id")
    df[["feeling_safe", "natural_space"]] = df[["feeling_safe", "natural_space"]].astype("Int8")
    survey = sl.Survey(df)
    names = {a: a for a in sizes}
    inputs = Inputs(survey=survey, areas=None, names=names, source="Kilde: test",
                    synthetic=False)
    ctx = _context(survey, names)
    kinds = ctx.summary.set_index(["area_id", "theme"])["suppression"]
    assert kinds[("Nordre", "feeling_safe")] == "primary"
    assert kinds[("Elvebredden", "feeling_safe")] == "secondary"
    part = differences(ctx, inputs)
    text = " ".join([part["themes"], *part["lower"], part["higher"], part["hidden"]])
    assert "Nordre" not in text and "Elvebredden" not in text and "Østsiden" not in text
    assert part["hidden"].startswith("Nabolag og tema som er skjult for personvernet")
    assert any(item.startswith("Vestbyen: trygghet") for item in part["lower"])
    assert part["icc"].endswith("Med bare 3 nabolag å sammenligne er denne andelen svært "
                                "usikker.")
    assert not part["icc"].startswith("Selv tydelige forskjeller er små")  # ICC ≥ 20 % here
    result = area_differences(survey, summary=ctx.summary)
    assert result.themes.loc["feeling_safe", "n_areas"] == 3


def test_verksted_report_renders_the_section_in_english():
    from soslokal_lib.app import verksted
    from soslokal_lib.io.inputs import Inputs, load_inputs

    inputs = load_inputs()
    keep = ["99010400", "99010900", "99010200"]  # Solåsen, Storhaugen, Havna
    responses = inputs.survey.responses
    survey = sl.Survey(responses[responses["area_id"].isin(keep)])
    own = Inputs(survey=survey, areas=None, names={a: inputs.names[a] for a in keep},
                 source="Kilde: egen test", synthetic=False)
    html = verksted.build_verksted_report(own, lang="en", kommune_name="Testvik")
    section = html.split('id="forskjeller"')[1].split("</div>")[0]
    assert "How clear are the differences between neighbourhoods?" in section
    assert "Neighbourhoods clearly below the other neighbourhoods:" in section
    assert "Storhaugen: influence and sense of control (69% scored 1–3" in section
    assert "Differences between neighbourhoods.</strong> For each theme" in html
    assert "{" not in section


# --- the notebook ---------------------------------------------------------------------------------

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_nabolagsforskjeller.ipynb"
ELVESTAD = Path(__file__).resolve().parent / "fixtures" / "egenkommune" / "elvestad.toml"


def test_notebook_needs_only_the_survey_and_declares_the_config_names():
    import ast

    import nbformat

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import notebook_needs

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert notebook_needs(NOTEBOOK) == ()
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    declared = {t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                for t in node.targets}
    inputs = {"survey_path", "columns", "area_column", "areas_path", "areas_id_column",
              "areas_name_column", "sheet", "source", "min_n", "lang", "confidence",
              "theme_labels"}
    assert inputs | {"data_dir", "theme", "alpha", "correction"} <= declared
    assert inputs <= set(load_config(ELVESTAD).to_parameters()) | {"theme_labels"}
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "notebook_inputs(kommune_config, survey_path" in code and "socio" not in code
    assert "save_tables(" in code and "result.text(lang" in code
    sample_only = [c for c in nb.cells if "sample-only" in c.metadata.get("tags", [])]
    assert len(sample_only) == 2 and "inputs.synthetic" in sample_only[1].source


@pytest.mark.slow
def test_notebook_runs_on_the_test_kommune_without_register_data(tmp_path):
    """Elvestad: five areas, Nordre with 3 answers, no register data."""
    import nbformat
    import papermill as pm

    from soslokal_lib.app.config import load_config

    params = load_config(ELVESTAD).to_parameters()
    declared = {"survey_path", "columns", "area_column", "areas_path", "areas_id_column",
                "areas_name_column", "sheet", "source", "min_n", "lang", "confidence"}
    params = {k: v for k, v in params.items() if k in declared}
    out = tmp_path / "nb.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={**params, "data_dir": str(tmp_path)},
                        cwd=str(NOTEBOOK.parent), progress_bar=False, kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.outputs if o.output_type == "stream")
    assert "Nabolagene skiller seg tydelig fra hverandre på" in printed
    assert "Østsiden på vedlikehold og stell" in printed  # the planted low area
    assert "Nordre (14 tema, for få svar)" in printed
    areas = pd.read_csv(tmp_path / "area_differences_areas.csv", encoding="utf-8-sig")
    nordre = areas[areas["area_id"] == "Nordre"]
    assert nordre["suppression"].eq("primary").all() and nordre["share_low"].isna().all()


def test_a_subset_of_themes_by_name():
    result = area_differences(_survey(), min_n=1, icc=False, themes=["Trygghet"])
    assert list(result.themes.index) == ["feeling_safe"]
    h, _ = stats.kruskal(*[np.array(v[0], float) for v in SCORES.values()])
    assert result.themes.loc["feeling_safe", "statistic"] == pytest.approx(h)
    assert result.themes["icc_boundary"].dtype == "boolean"
    with pytest.raises(SoslokalError, match="No theme"):
        area_differences(_survey(), themes=["housing_community"])
