"""Tests of soslokal_lib.text: scrubbing, name flags, analysis, quotes and XLSX export."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from soslokal_lib import text as tx
from soslokal_lib.errors import ConfigError, SoslokalError
from soslokal_lib.text.quotes import _sheet_title
from soslokal_lib.text.scrubbing import _fnr_checksum
from soslokal_lib.text.terms import _hidden_areas, _ngram_table, _with_area

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "fixtures" / "comments_corpus.csv"
SAMPLE = ROOT / "data" / "sample"
#: Largest accepted share of ordinary comments that scrubbing changes (false positives).
FALSE_POSITIVE_BOUND = 0.02


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return pd.read_csv(CORPUS, keep_default_na=False, dtype=str)


def _pii(corpus: pd.DataFrame) -> pd.DataFrame:
    return corpus[(corpus["kinds"] != "") & (corpus["kinds"] != "name")]


def _ordinary(corpus: pd.DataFrame) -> pd.DataFrame:
    return corpus[corpus["kinds"] == ""]


# ---------------------------------------------------------------- scrubbing


def test_corpus_has_enough_cases(corpus):
    assert len(_pii(corpus)) >= 50
    assert len(_ordinary(corpus)) >= 40
    kinds = set(";".join(_pii(corpus)["kinds"]).split(";"))
    assert kinds == set(tx.TAGS)


def test_every_personal_item_in_corpus_is_scrubbed_exactly(corpus):
    pii = _pii(corpus)
    got = [tx.scrub(t) for t in pii["text"]]
    misses = [(t, g) for t, g, e in zip(pii["text"], got, pii["expected_scrubbed"], strict=True)
              if g != e]
    assert misses == []


def test_series_matches_scalar_and_counts_per_kind(corpus):
    scrubbed, report = tx.scrub_series(corpus["text"])
    assert scrubbed.tolist() == [tx.scrub(t) for t in corpus["text"]]
    expected = pd.Series(";".join(_pii(corpus)["kinds"]).split(";")).value_counts()
    assert report.counts == {k: int(expected.get(k, 0)) for k in tx.TAGS}
    assert report.n_changed == len(_pii(corpus))
    assert report.n_texts == len(corpus)
    assert report.total == int(expected.sum())
    frame = report.to_frame()
    assert frame.set_index("kind")["count"].to_dict() == report.counts
    assert "telefon" in str(report)


def test_false_positive_rate_on_ordinary_comments(corpus):
    ordinary = _ordinary(corpus)
    scrubbed, report = tx.scrub_series(ordinary["text"])
    changed = scrubbed != ordinary["text"]
    rate = float(changed.mean())
    print(f"\nscrub false-positive rate: {changed.sum()}/{len(ordinary)} = {rate:.1%}")
    assert rate <= FALSE_POSITIVE_BOUND, ordinary["text"][changed].tolist()
    assert report.total == int(changed.sum())


@pytest.mark.parametrize("text", [
    "buss 12", "linje 23", "i 2024", "30 barn", "60 km/t", "4612 Fjordvik", "kl. 07.30",
    "kr 40", "2019-2024", "20.30-21.30", "12.03.2024", "fylkesvei 42", "Riksvei 9 er farlig",
    "Fra Storgata 3 minutter å gå", "12 000 innbyggere", "Org.nr. 912 345 678",
    "sesongen 2023 2024", "Ring 112 ved brann", "skoleveien 2 ganger om dagen",
])
def test_ordinary_numbers_stay(text):
    assert tx.scrub(text) == text


@pytest.mark.parametrize("text, tag", [
    ("912 34 567", "[telefon]"), ("91 23 45 67", "[telefon]"), ("91234567", "[telefon]"),
    ("+47 912 34 567", "[telefon]"), ("0047 91234567", "[telefon]"), ("+4791234567", "[telefon]"),
    ("tlf 22 33 44 55 66", "tlf [telefon]"), ("kari@example.no", "[e-post]"),
    ("www.example.no", "[lenke]"), ("https://example.no/a?b=1", "[lenke]"),
    ("Storgata 12", "[adresse]"), ("Kirkeveien 5B", "[adresse]"),
    ("Bakkeveien 3 A", "[adresse]"), ("Kongens gate 5", "[adresse]"),
    ("15038513742", "[fødselsnummer]"), ("150385 13742", "[fødselsnummer]"),
])
def test_planted_patterns(text, tag):
    assert tx.scrub(f"Hei, {text} her.") == f"Hei, {tag} her."


def test_fodselsnummer_needs_checksum_or_label():
    assert tx.scrub("Saksnummer 15038513743") == "Saksnummer 15038513743"  # bad control digit
    assert tx.scrub("fnr 15038513743") == "fnr [fødselsnummer]"  # labelled as one
    assert _fnr_checksum("15038513742")
    assert not _fnr_checksum("15038513752")


def test_scrub_passes_missing_values_through():
    assert tx.scrub(None) is None
    assert tx.scrub(pd.NA) is pd.NA
    assert np.isnan(tx.scrub(np.nan))
    scrubbed, report = tx.scrub_series(pd.Series(["ring 91234567", None, np.nan], dtype=object))
    assert scrubbed.iloc[0] == "ring [telefon]"
    assert scrubbed.iloc[1:].isna().all()
    assert report.n_texts == 1


def test_scrub_series_does_not_modify_input():
    series = pd.Series(["ring 91234567"], index=[7])
    before = series.copy()
    scrubbed, _ = tx.scrub_series(series)
    pd.testing.assert_series_equal(series, before)
    assert scrubbed.index.tolist() == [7]


def _sample_comments() -> pd.DataFrame:
    survey = pd.read_csv(SAMPLE / "stedskompass_fjordvik.csv", sep=";", encoding="utf-8-sig",
                         dtype=str, keep_default_na=False)
    cols = [c for c in survey.columns if "Hva" in c or c == "Andre kommentarer"]
    long = survey.melt(id_vars="Respondent-ID", value_vars=cols, var_name="column",
                       value_name="text")
    return long[long["text"].str.strip() != ""].rename(columns={"Respondent-ID": "respondent_id"})


@pytest.mark.skipif(not (SAMPLE / "planted_personal_data.csv").exists(),
                    reason="the synthetic sample (data/sample) has not been generated")
def test_every_planted_item_is_removed_from_the_sample():
    planted = pd.read_csv(SAMPLE / "planted_personal_data.csv", dtype=str)
    comments = _sample_comments()
    hit = comments.merge(planted, on=["respondent_id", "column"], how="inner")
    assert len(hit) == len(planted)  # every plant is in the survey export
    scrubbed, report = tx.scrub_series(hit["text"])
    left = [p for p, s in zip(hit["planted"], scrubbed, strict=True) if p in s]
    digits_left = [p for p, s in zip(hit["planted"], scrubbed, strict=True)
                   if re.sub(r"\D", "", p) and re.sub(r"\D", "", p) in re.sub(r"\D", "", s)]
    assert left == [] and digits_left == []
    assert report.total >= len(planted)
    # Nothing else in the sample's ordinary comments is changed.
    others = comments.merge(planted, on=["respondent_id", "column"], how="left",
                            indicator=True).query("_merge == 'left_only'")
    scrubbed_other, _ = tx.scrub_series(others["text"])
    assert int((scrubbed_other != others["text"].astype("string")).sum()) == 0


# ---------------------------------------------------------------- names


def test_name_flags_on_corpus(corpus):
    scrubbed, _ = tx.scrub_series(corpus["text"])
    flags = tx.flag_names_series(scrubbed)
    is_name = (corpus["kinds"] == "name").to_numpy()
    missed = corpus["text"][is_name & flags.isna().to_numpy()].tolist()
    false = corpus["text"][~is_name & flags.notna().to_numpy()].tolist()
    print(f"\nname flags: {len(missed)} missed of {is_name.sum()}, "
          f"{len(false)} false of {(~is_name).sum()}")
    assert missed == [] and false == []


@pytest.mark.parametrize("text, expected", [
    ("Naboen min Kari bråker", "relasjon/tittel + navn «Kari»"),
    ("Vi snakket med Per om det", "fornavn «Per»"),
    ("Per dag kjører 300 biler her", None),
    ("Dag og natt er det bråk", None),
    ("Hans hund bjeffer hele natta", None),
    ("Ingrid klager alltid", "fornavn «Ingrid»"),
    ("Spør Hansen i andre etasje", "etternavn «Hansen»"),
    ("Mobil: [telefon] (Kari)", "fornavn «Kari»"),
    ("fru Berg mater måkene", "relasjon/tittel + navn «Berg»"),
    (None, None),
])
def test_flag_names(text, expected):
    assert tx.flag_names(text) == expected


# ---------------------------------------------------------------- analysis


@pytest.fixture()
def comments() -> pd.DataFrame:
    rows = [
        ("resp-01", "public_transport", "improve", "Bussen går for sjelden. Buss 12 må gå oftere."),
        ("resp-02", "public_transport", "improve", "Buss 12 går for sjelden på kvelden."),
        ("resp-03", "public_transport", "good", "Bussen er alltid presis."),
        ("resp-04", "feeling_safe", "improve", "Mørkt i undergangen, trenger gatelys."),
        ("resp-05", "feeling_safe", "improve", "Gatelys i undergangen virker ikke. Ring 91234567."),
        ("resp-06", None, "other", "Det er for lite gatelys og for mye søppel."),
        ("resp-07", None, "other", "Kommunen lytter ikke til innspill fra oss."),
        ("resp-08", None, "other", "Takk for undersøkelsen."),
        ("resp-09", "natural_space", "good", "Fin skog og turstier rett ved huset."),
        ("resp-10", "natural_space", "good", "Skogen og turstiene er det beste med stedet."),
        ("resp-11", "natural_space", "good", "Nydelig skog, naboen min Kari går tur der hver dag."),
        ("resp-12", "feeling_safe", "improve", "=HYPERLINK(\"http://x.no\") mørkt og skummelt"),
    ]
    return pd.DataFrame(rows, columns=["respondent_id", "theme", "kind", "text"]).astype("string")


@pytest.fixture()
def responses() -> pd.DataFrame:
    area = ["A"] * 6 + ["B"] * 5 + ["C"] * 1 + ["B"] * 3
    ids = [f"resp-{i:02d}" for i in range(1, 16)]
    return pd.DataFrame({"area_id": area}, index=pd.Index(ids, name="respondent_id"))


def test_tokenize_drops_stopwords_numbers_and_tags():
    assert tx.tokenize("Eg synest bussen går ikkje ofte nok, ring [telefon] 12") == [
        "bussen", "ofte", "ring"]
    assert {"og", "ikkje", "eg", "berre", "kva"} <= tx.stopwords()


def test_term_frequencies_counts_words_and_phrases(comments):
    freqs = tx.term_frequencies(comments, by=("theme", "kind"), ngram=(1, 2), min_count=2,
                                min_n=2)
    pt = freqs[(freqs["theme"] == "public_transport") & (freqs["kind"] == "improve")]
    row = pt.set_index("term").loc["sjelden"]
    assert (row["count"], row["comments"], row["n_comments"]) == (2, 2, 2)
    assert row["share"] == 1.0
    assert "buss" in set(pt["term"])  # "Buss 12" in both; the number is dropped
    safe = freqs[freqs["theme"] == "feeling_safe"].set_index("term")
    assert safe.loc["gatelys", "comments"] == 2
    assert safe.loc["undergangen", "comments"] == 2
    assert "i undergangen" not in safe.index  # "i" is a stop word
    assert "telefon" not in set(freqs["term"])
    assert (freqs["comments"] >= 2).all()
    # Bigrams never contain a stop word.
    bigrams = freqs.loc[freqs["ngram"] == 2, "term"]
    assert not any(set(b.split()) & tx.stopwords() for b in bigrams)


def test_term_frequencies_by_area_needs_responses(comments, responses):
    with pytest.raises(SoslokalError, match="area_id"):
        tx.term_frequencies(comments, by="area_id")
    freqs = tx.term_frequencies(comments, by="area_id", ngram=(1, 1), min_count=2,
                                responses=responses, min_n=2)
    b = freqs[freqs["area_id"] == "B"].set_index("term")
    assert b.loc["skog", "comments"] == 2  # "skog" in 9 and 11 ("skogen" is another word)


def test_contrast_terms_log_odds(comments, responses):
    out = tx.contrast_terms(comments, "B", responses=responses, min_count=2, min_n=2)
    assert list(out.columns) == ["term", "ngram", "count_a", "count_b", "log_odds", "se", "z"]
    assert out["z"].is_monotonic_decreasing
    top = out.iloc[0]
    assert top["count_a"] > 0 and top["count_b"] == 0  # B's own word
    gatelys = out.set_index("term").loc["gatelys"]
    assert gatelys["z"] < 0  # typical of the other areas
    # Check one value by hand (Monroe et al. 2008, eq. 22 and 24).
    row = out.set_index("term").loc["skog"]
    frame = _with_area(comments, responses)
    text = tx.mask_names_series(tx.scrub_series(frame["text"])[0])  # «Kari» is not a word
    terms = _ngram_table(text.reset_index(drop=True), (1, 1))
    bg = terms["term"].value_counts()
    in_b = (frame["area_id"] == "B").to_numpy()[terms["doc"].to_numpy()]
    ya, yb = (terms["term"] == "skog")[in_b].sum(), (terms["term"] == "skog")[~in_b].sum()
    na, nb, a0, aw = in_b.sum(), (~in_b).sum(), bg.sum(), bg["skog"]
    delta = np.log((ya + aw) / (na + a0 - ya - aw)) - np.log((yb + aw) / (nb + a0 - yb - aw))
    assert row["log_odds"] == pytest.approx(delta)
    assert row["se"] == pytest.approx(np.sqrt(1 / (ya + aw) + 1 / (yb + aw)))


def test_contrast_terms_respects_min_n(comments, responses):
    with pytest.raises(SoslokalError, match="fewer than min_n"):
        tx.contrast_terms(comments, "C", responses=responses)


def test_assign_themes(comments, tmp_path):
    out = tx.assign_themes(comments)
    assert out is not comments and "assigned_theme" not in comments.columns
    general = out[out["kind"] == "other"].set_index("respondent_id")
    assert general.loc["resp-06", "assigned_theme"] in ("feeling_safe", "care_maintenance")
    assert set(general.loc["resp-06", "matched_themes"].split(";")) == {"feeling_safe",
                                                                    "care_maintenance"}
    assert general.loc["resp-07", "assigned_theme"] == "influence_control"
    assert pd.isna(general.loc["resp-08", "assigned_theme"])
    themed = out[out["kind"] != "other"]
    assert (themed["assigned_theme"] == themed["theme"]).all()
    extra = tmp_path / "extra.toml"
    extra.write_text('[keywords]\n"Sosial kontakt" = ["undersøkelse*"]\n', encoding="utf-8")
    keywords = tx.load_keywords(extra)
    assert "undersøkelse*" in keywords["social_interaction"]
    assert "buss*" in keywords["public_transport"]  # defaults kept
    out2 = tx.assign_themes(comments, keywords)
    assert out2.set_index("respondent_id").loc["resp-08", "assigned_theme"] == "social_interaction"
    only = tx.load_keywords(extra, extend=False)
    assert list(only) == ["social_interaction"]


def test_load_keywords_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[keywords]\nnot_a_theme = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not_a_theme"):
        tx.load_keywords(bad)
    bad.write_text('[keywords]\npublic_transport = "buss"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="list of words"):
        tx.load_keywords(bad)
    with pytest.raises(ConfigError, match="not found"):
        tx.load_keywords(tmp_path / "missing.toml")


# ---------------------------------------------------------------- quotes and export


def test_area_counts_suppression(responses):
    counts = tx.area_counts(responses, min_n=5).set_index("area_id")
    assert counts["respondents"].to_dict() == {"A": 6, "B": 8, "C": 1}
    # C is below min_n; A, the next smallest, is suppressed with it (else total − B reveals C).
    assert counts["suppressed"].to_dict() == {"A": True, "B": False, "C": True}


def test_select_quotes_gives_the_same_text_once_per_area(responses):
    texts = ["Hyggelige naboer", "hyggelige  naboer!", "Hyggelige naboer.", "Fin skog",
             "Hyggelige naboer"]
    comments = pd.DataFrame({"respondent_id": [f"resp-{i:02d}" for i in (1, 2, 3, 4, 7)],
                             "theme": [None] * 5, "kind": ["good"] * 4 + ["other"],
                             "text": texts}).astype("string")
    quotes = tx.select_quotes(comments, responses, min_n=5, per_area=9, seed=3)
    # A (resp-01 … resp-06) says «hyggelige naboer» four ways and «Fin skog»; B once
    a = quotes[quotes["area_id"] == "A"]["text"].str.casefold().str.strip("!. ")
    assert sorted(a.str.split().str.join(" ")) == ["fin skog", "hyggelige naboer"]
    assert quotes[quotes["area_id"] == "B"]["text"].tolist() == ["Hyggelige naboer"]


def test_select_quotes(comments, responses):
    quotes = tx.select_quotes(comments, responses, min_n=5, per_area=2, seed=1)
    assert list(quotes.columns) == ["area_id", "theme", "kind", "text"]
    # C (1 respondent) gives no quotes; A's figures are hidden alongside C (secondary), but
    # secondary suppression never removes quotes: a quote from A reveals nothing about C
    assert set(quotes["area_id"]) == {"A", "B"}
    assert len(quotes) == 4
    assert not tx.select_quotes(comments, responses, min_n=7)["area_id"].isin(["A"]).any()
    assert not quotes["text"].str.contains("Kari").any()  # the flagged comment comes last
    again = tx.select_quotes(comments, responses, min_n=5, per_area=2, seed=1)
    pd.testing.assert_frame_equal(quotes, again)
    allq = tx.select_quotes(comments, responses, min_n=1, per_area=10, allow_flagged=True)
    assert "ring [telefon]" in " ".join(allq["text"]).lower()
    assert not allq["text"].str.contains("91234567").any()
    assert "respondent_id" not in allq.columns
    # the flagged comment is quoted only when asked for, and then without the name
    assert not allq["text"].str.contains("Kari").any()
    assert allq["text"].str.contains("[navn]", regex=False).sum() == 1
    strict = tx.select_quotes(comments, responses, min_n=1, per_area=10)  # the default
    assert len(strict) == len(allq) - 1
    themed = tx.select_quotes(comments, responses, min_n=1, theme="Natur og grøntområder")
    assert set(themed["theme"]) == {"natural_space"}


def test_comments_per_area(comments, responses):
    table = tx.comments_per_area(comments, responses, min_n=5).set_index("area_id")
    assert table.loc["B", "comments"] == 5
    assert table.loc["B", "good"] == 3
    assert pd.isna(table.loc["C", "comments"]) and pd.isna(table.loc["A", "good"])
    loose = tx.comments_per_area(comments, responses, min_n=1).set_index("area_id")
    assert loose["comments"].sum() == len(comments)


def _cells(path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return wb, [(ws.title, cell) for ws in wb.worksheets for row in ws.iter_rows()
                for cell in row]


def test_export_by_theme(comments, responses, tmp_path):
    from openpyxl import load_workbook

    path = tx.export_comments(comments, tmp_path / "innspill.xlsx", responses=responses,
                              min_n=1, area_names={"A": "Sentrum", "B": "Nordbyen"})
    wb, cells = _cells(path)
    assert wb.sheetnames == ["Om innspillene", "Kollektivtransport", "Natur og grøntområder",
                             "Trygghet", "Generelle innspill"]
    for _, cell in cells:
        assert cell.data_type != "f"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    values = [str(cell.value) for _, cell in cells if cell.value is not None]
    assert "'=HYPERLINK(\"[lenke]\") mørkt og skummelt" in values
    assert not any("91234567" in v for v in values)
    ids = set(comments["respondent_id"])
    assert not any(i in v for i in ids for v in values)  # no respondent id anywhere
    safe = wb["Trygghet"]
    assert [c.value for c in safe[1]] == ["Område", "Type", "Innspill", "Mulig navn – sjekk"]
    assert safe.freeze_panes == "A2"
    assert safe.column_dimensions["C"].width == 90
    assert safe["C2"].alignment.wrap_text
    nature = [[c.value for c in r] for r in wb["Natur og grøntområder"].iter_rows(min_row=2)]
    assert ["Nordbyen", "Bra"] == nature[0][:2]
    assert any(r[3] == "relasjon/tittel + navn" for r in nature)  # the rule, not the name
    # the flagged name is masked in the sheet; the flag stays for a manual check
    assert any(r[2] == "Nydelig skog, naboen min [navn] går tur der hver dag." for r in nature)
    assert not any("Kari" in str(r[2]) or "Kari" in str(r[3]) for r in nature)
    assert not list(tmp_path.glob(".innspill-*"))  # no temp file left behind
    assert load_workbook(path).active.title == "Om innspillene"


def test_export_excludes_small_areas_and_by_area(comments, responses, tmp_path):
    path = tx.export_comments(comments, tmp_path / "a.xlsx", by="area_id", responses=responses,
                              min_n=5)
    wb, cells = _cells(path)
    assert wb.sheetnames == ["Om innspillene", "A", "B"]  # not C (1 respondent)
    texts = [str(c.value) for title, c in cells if title == "B"]
    assert any("skog" in t.lower() for t in texts)
    assert not any("Bussen" in t for t in texts)  # A's comments are on A's sheet
    assert any("Bussen" in str(c.value) for title, c in cells if title == "A")
    with pytest.raises(SoslokalError, match="needs responses"):
        tx.export_comments(comments, tmp_path / "b.xlsx", by="area_id")


def test_sheet_titles_are_valid():
    used: set[str] = set()
    a = _sheet_title("Hva/er:bra?[nå]*" + "x" * 40, used)
    b = _sheet_title("Hva/er:bra?[nå]*" + "x" * 40, used)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert not set(a) & set("[]:*?/\\")


def test_plots(comments, responses):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from soslokal_lib.plot.comments import plot_comments_per_area, plot_top_terms

    freqs = tx.term_frequencies(comments, by=("theme", "kind"), min_count=1, min_n=1)
    ax = plot_top_terms(freqs, theme="public_transport", kind="improve", top=5,
                        source="syntetiske data")
    assert ax.get_title(loc="left").startswith("Mest brukte ord og uttrykk: Kollektivtransport")
    assert len(ax.patches) == 5
    caption = [t.get_text() for t in ax.texts if t.get_gid() == "terms-caption"][0]
    assert "n = 2 innspill" in caption and "Kilde: syntetiske data" in caption
    with pytest.raises(SoslokalError, match="several groups"):
        plot_top_terms(freqs, theme="public_transport")
    counts = tx.comments_per_area(comments, responses, min_n=5)
    ax2 = plot_comments_per_area(counts, names={"B": "Nordbyen"}, min_n=5)
    labels = [t.get_text() for t in ax2.get_yticklabels()]
    assert labels == ["A", "Nordbyen", "C"]
    texts = [t.get_text() for t in ax2.texts]
    assert sum("for få svar" in t for t in texts) == 1  # C: 1 respondent
    # A (6 respondents) is hidden only to protect C: labelled as what it is
    assert sum(t == "skjult for å beskytte et lite nabolag" for t in texts) == 1
    plt.close("all")


def test_contrast_terms_group_sizes(comments, responses):
    # "rest" (A and C: 7 respondents) is large enough with min_n=7, not with min_n=8.
    out = tx.contrast_terms(comments, "B", responses=responses, min_count=1, min_n=7)
    assert list(out.columns) == ["term", "ngram", "count_a", "count_b", "log_odds", "se", "z"]
    assert out.empty  # no word in this small corpus is used by 7 different respondents
    # With min_n=8, A and C (7 together) are topped up with B: no area may be shown.
    with pytest.raises(SoslokalError, match="hidden"):
        tx.contrast_terms(comments, "B", responses=responses, min_n=8)
    with pytest.raises(SoslokalError, match="other than"):
        tx.contrast_terms(comments, ["A", "B", "C"], responses=responses, min_n=2)
    # A (6) is suppressed with C (1): B vs A alone would give C by subtraction from a total.
    with pytest.raises(SoslokalError, match="hidden"):
        tx.contrast_terms(comments, "B", "A", responses=responses, min_count=1, min_n=6)
    explicit = tx.contrast_terms(comments, "B", ["A", "C"], responses=responses, min_count=1,
                                 min_n=2)
    assert explicit.set_index("term").loc["bussen", "count_b"] == 2
    assert explicit.set_index("term").loc["skog", "count_b"] == 0


def test_export_in_english(comments, responses, tmp_path):
    path = tx.export_comments(comments, tmp_path / "en.xlsx", responses=responses, min_n=1,
                              lang="en")
    wb, _ = _cells(path)
    assert wb.sheetnames[0] == "About"
    assert "General comments" in wb.sheetnames and "Public transport" in wb.sheetnames
    assert [c.value for c in wb["Public transport"][1]] == ["Area", "Type", "Comment",
                                                             "Possible name – check"]


def test_flag_names_extra_names():
    assert tx.flag_names("Spør Ylva om nøkkelen") is None
    assert tx.flag_names("Spør Ylva om nøkkelen", extra_names=["ylva"]) == "fornavn «Ylva»"
    flags = tx.flag_names_series(pd.Series(["Ylva vet det", "ingen her"]), extra_names=["Ylva"])
    assert flags.tolist()[0] == "fornavn «Ylva»" and pd.isna(flags.iloc[1])


def test_export_rows_sorted_and_file_readable(comments, responses, tmp_path):
    import os
    import stat

    path = tx.export_comments(comments, tmp_path / "s.xlsx", responses=responses, min_n=1,
                              area_names={"A": "Åsen", "B": "Nordbyen", "C": "Øyane"})
    wb, _ = _cells(path)
    rows = [[c.value for c in r] for r in wb["Trygghet"].iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["Øyane", "Åsen", "Åsen"]  # Norwegian order: æ ø å
    assert [r[1] for r in wb["Kollektivtransport"].iter_rows(min_row=2, values_only=True)] == [
        "Bra", "Kan bli bedre", "Kan bli bedre"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


# ---------------------------------------------------------------- privacy of word counts


@pytest.fixture()
def planted() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Areas N (8), S (7), M (6), T (3); two of T's three respondents write «zorblax»."""
    areas = ["N"] * 8 + ["S"] * 7 + ["M"] * 6 + ["T"] * 3
    ids = [f"p{i:02d}" for i in range(len(areas))]
    responses = pd.DataFrame({"area_id": areas}, index=pd.Index(ids, name="respondent_id"))
    common = ["Bussen går sjelden om kvelden.", "Fin skog og gode turstier.",
              "Bussen er full og turstier mangler lys."]
    rows = [(rid, "public_transport", "improve", common[i % 3]) for i, rid in enumerate(ids)]
    t_ids = [i for i, a in zip(ids, areas, strict=True) if a == "T"]
    rows += [(t_ids[0], "natural_space", "good", "Zorblax-stien ved zorblax er fin"),
             (t_ids[1], "natural_space", "good", "Zorblax er det beste stedet"),
             (t_ids[1], "feeling_safe", "improve", "Mørkt ved zorblax om kvelden"),
             (t_ids[1], None, "other", "Zorblax zorblax zorblax")]
    comments = pd.DataFrame(rows, columns=["respondent_id", "theme", "kind", "text"])
    return comments.astype("string"), responses


def _terms(table: pd.DataFrame) -> str:
    return " ".join(table["term"].astype(str)) if len(table) else ""


def test_planted_word_of_a_small_area_never_appears(planted, tmp_path):
    comments, responses = planted
    outputs = [
        tx.term_frequencies(comments, by=("theme", "kind"), min_count=1),
        tx.term_frequencies(comments, by="kind", min_count=1, ngram=(1, 2)),
        tx.term_frequencies(comments, by="area_id", min_count=1, responses=responses),
        tx.term_frequencies(comments, by=("area_id", "theme"), min_count=1, responses=responses),
        tx.term_frequencies(_with_area(comments, responses), by="area_id", min_count=1),
    ]
    hidden = sorted(tx.area_counts(responses, 5).query("suppressed")["area_id"])
    assert hidden == ["M", "T"]  # T below min_n, M (next smallest) suppressed with it
    for area in ["N", "S", hidden]:
        outputs.append(tx.contrast_terms(comments, area, responses=responses, min_count=1))
    for table in outputs:
        assert "zorblax" not in _terms(table)
    for table in outputs[2:5]:  # by area: T and M only inside the pooled group
        assert not set(table["area_id"]) & {"T", "M"}
    assert tx.POOLED_AREAS in set(outputs[2]["area_id"])
    quotes = tx.select_quotes(comments, responses, per_area=50)
    assert not quotes["text"].str.contains("(?i)zorblax").any()
    path = tx.export_comments(comments, tmp_path / "x.xlsx", responses=responses)
    _, cells = _cells(path)
    assert not any("zorblax" in str(c.value).lower() for _, c in cells)
    # The control: without the rule the word is there, so the checks above can fail.
    loose = tx.term_frequencies(comments, by="area_id", min_count=1, responses=responses,
                                min_n=1)
    assert "zorblax" in set(loose.loc[loose["area_id"] == "T", "term"])


def test_terms_need_min_n_distinct_respondents(planted):
    comments, responses = planted
    # One respondent writing a word in many comments is still one respondent.
    extra = pd.DataFrame({"respondent_id": ["p00"] * 6, "theme": [None] * 6,
                          "kind": ["other"] * 6, "text": ["Flåklypa er flott"] * 6},
                         dtype="string")
    many = pd.concat([comments, extra], ignore_index=True)
    by_kind = tx.term_frequencies(many, by="kind", min_count=1)
    assert "flåklypa" not in set(by_kind["term"])
    assert "flåklypa" in set(tx.term_frequencies(many, by="kind", min_count=1, min_n=1)["term"])
    # A word used by five different respondents is shown, with its counts.
    improve = by_kind[by_kind["kind"] == "improve"].set_index("term")
    assert improve.loc["bussen", "comments"] == 16  # 2 of every 3 of the 24 respondents
    # Comments without respondent ids cannot be counted per person.
    with pytest.raises(SoslokalError, match="respondent_id"):
        tx.term_frequencies(comments.drop(columns="respondent_id"), by="kind")
    assert len(tx.term_frequencies(comments.drop(columns="respondent_id"), by="kind",
                                   min_n=1)) > 0


def test_pooled_areas_reach_min_n():
    # Two primary cells (2 + 2) leave a pool of 4: the next smallest shown area joins it.
    counts = pd.Series({"a": 2, "b": 2, "c": 9, "d": 6, "e": 6})
    assert _hidden_areas(counts, 5) == {"a", "b", "d"}  # ties by id: d before e
    # One small cell: the suppression rule alone makes a pool of 2 + 6 >= 5.
    assert _hidden_areas(pd.Series({"a": 2, "c": 9, "d": 6}), 5) == {"a", "d"}
    assert _hidden_areas(pd.Series({"c": 9, "d": 6}), 5) == frozenset()
    # Everything too small together: everything hidden.
    assert _hidden_areas(pd.Series({"a": 1, "b": 2}), 5) == {"a", "b"}
    table = tx.area_counts(pd.DataFrame({"area_id": list("aabbcccccccccddddddeeeeee")},
                                        index=[f"r{i}" for i in range(25)]), 5)
    assert table.set_index("area_id")["suppressed"].to_dict() == {
        "a": True, "b": True, "c": False, "d": True, "e": False}


def test_contrast_terms_groups_and_unknown_area(planted):
    comments, responses = planted
    with pytest.raises(SoslokalError, match="fewer than min_n"):
        tx.contrast_terms(comments, "T", responses=responses)
    with pytest.raises(SoslokalError, match="hidden"):
        tx.contrast_terms(comments, "M", responses=responses)  # suppressed alongside T
    with pytest.raises(SoslokalError, match="hidden"):
        tx.contrast_terms(comments, "N", ["S", "T", "M"][:2], responses=responses)
    pooled = tx.contrast_terms(comments, ["M", "T"], responses=responses, min_count=1)
    assert pooled.set_index("term").loc["bussen", "count_a"] > 0
    # Commenters with no known area are part of "rest" and hidden with the small areas.
    stray = pd.DataFrame({"respondent_id": ["x1"], "theme": ["natural_space"], "kind": ["good"],
                          "text": ["Fin skog"]}, dtype="string")
    more = pd.concat([comments, stray], ignore_index=True)
    out = tx.contrast_terms(more, "N", responses=responses, min_count=1)
    skog = out.set_index("term").loc["skog"]
    n_skog = int(more["text"].str.lower().str.count(r"\bskog\b").sum())
    assert skog["count_a"] + skog["count_b"] == n_skog  # a + rest = every comment
    with pytest.raises(SoslokalError, match="area_b='rest'"):
        tx.contrast_terms(more, "N", ["M", "T"], responses=responses)


@pytest.mark.parametrize(("comment", "flagged"), [
    ("Ola Nordmann bråker hele natta", "Ola Nordmann"),  # an ambiguous first name + surname
    ("Kari Nordmann i [adresse] bråker", "Kari Nordmann"),
    ("Per dag går bussen to ganger.", None),  # «Per» as an ordinary word
    ("Sol og vind på stranda.", None),
])
def test_a_full_name_at_the_start_of_a_sentence_is_flagged(comment, flagged):
    reason = tx.flag_names(comment)
    assert (reason is None) if flagged is None else (f"«{flagged}»" in reason)


def test_names_never_reach_the_word_tables_or_the_shared_sheet(tmp_path):
    """A name written by many respondents (here 6) passes the k-anonymity of words, so the
    word tables (comment_terms.csv, «Ord i innspillene») must drop the names themselves; the
    shared sheet masks every name found, not only the first («Ola Hansen» → «[navn]»)."""
    texts = ["Ola Hansen i Storgata spiller høy musikk hver natt",
             "naboen min Kari spiller høy musikk", "Fin sti ved Per sin hytte, men høy musikk"]
    rows = [(f"r{i}{j}", "feeling_safe", "improve", t) for i in range(6)
            for j, t in enumerate(texts)]
    comments = pd.DataFrame(rows, columns=["respondent_id", "theme", "kind", "text"],
                            dtype="string")
    terms = set(tx.term_frequencies(comments, by="kind", min_count=1)["term"])
    assert "musikk" in terms and "høy musikk" in terms  # ordinary words stay
    assert not terms & {"ola", "hansen", "ola hansen", "kari", "per", "navn"}
    contrast = tx.contrast_terms(comments.assign(area_id=["A", "B"] * 9), "A", "B", min_n=1)
    assert not set(contrast["term"]) & {"ola", "hansen", "kari", "per"}
    assert tx.mask_names_series(pd.Series(texts)).tolist() == [
        "[navn] i Storgata spiller høy musikk hver natt", "naboen min [navn] spiller høy musikk",
        "Fin sti ved [navn] sin hytte, men høy musikk"]
    path = tx.export_comments(comments, tmp_path / "innspill.xlsx", min_n=1)
    wb, cells = _cells(path)
    values = " ".join(str(cell.value) for _, cell in cells if cell.value is not None)
    assert "[navn] i Storgata" in values
    assert not any(name in values for name in ("Ola ", "Hansen", " Kari ", " Per "))


#: Full names with two or three first names (found by a new user's trial: «Per Olav Berg» was
#: masked as «[navn] Berg»), each with its masked form after scrubbing.
FULL_NAMES = [
    ("Takk til Per Olav Berg som rydder", "Takk til [navn] som rydder"),
    ("Fint her, hilsen Ole Martin Dahl (f.nr 15038511308)",
     "Fint her, hilsen [navn] (f.nr [fødselsnummer])"),
    ("Per Olav Berg rydder stien hver vår.", "[navn] rydder stien hver vår."),  # sentence start
    ("Stien ryddes av Kari Anne Dahl.", "Stien ryddes av [navn]."),  # sentence end
    ("Anne-Grete Dahl har ansvaret", "[navn] har ansvaret"),  # hyphenated first name
    ("Spør Jan-Erik Bakke, han vet.", "Spør [navn], han vet."),
    ("Per Olav og Kari Anne Berg ryddet", "[navn] og [navn] ryddet"),  # a list
    ("Hilsen Ole Martin Dahl", "Hilsen [navn]"),
    ("Fint her.\nHilsen Per Olav Berg", "Fint her.\nHilsen [navn]"),
    ("Mvh Per Olav Kristian Bakke", "Mvh [navn]"),  # three first names
    ("Naboen Per Olav Berg spiller høyt", "Naboen [navn] spiller høyt"),  # after a relation
    ("naboen min Ylva Berg spiller høyt", "naboen min [navn] spiller høyt"),  # unlisted first
    ("Ring Ole Martin Dahl på 91234567", "Ring [navn] på [telefon]"),
    ("(Per Olav Berg)", "([navn])"),
    ("«Kari Anne Berg-Dahl» sa det", "«[navn]» sa det"),  # hyphenated surname
    ("Kari Anne Berg Dahl ryddet", "[navn] ryddet"),  # two surnames
    ("Takk til Jan-Erik von Berg!", "Takk til [navn]!"),  # a particle
    ("Takk til Kari Anne!", "Takk til [navn]!"),  # first names only
    ("Ingrid Marie Solheim og Kari Hansen", "[navn] og [navn]"),
    ("Ingrid Solheim", "[navn]"),  # one first name, as before
]
#: Capitalised words that are no full name: unchanged by masking.
NO_NAMES = [
    "Per dag kjører 300 biler her",
    "Dag og natt er det bråk",
    "Hans hund bjeffer hele natta",
    "Sol og vind på stranda.",
    "Livet i Sentrum Nord er bra",
    "De Grønne vil ha sykkelvei til Fjordvik Sentrum",
    "Bussen fra Nedre Eiker til Drammen går sjelden.",
    "Stein og grus på Berg skole",
    "Vi trenger flere benker. Ellers fint.",
]


@pytest.mark.parametrize(("text", "expected"), FULL_NAMES)
def test_a_full_name_is_masked_whole(text, expected):
    assert tx.mask_names_series(tx.scrub_series(pd.Series([text]))[0]).tolist() == [expected]


@pytest.mark.parametrize("text", NO_NAMES)
def test_capitalised_words_that_name_nobody_stay(text):
    assert tx.mask_names_series(tx.scrub_series(pd.Series([text]))[0]).tolist() == [text]
    assert tx.flag_names(text) is None


def test_full_names_leave_the_workshop_sheet_and_word_tables_whole(tmp_path):
    """«Generelle innspill» shows the whole name masked, the review column the rule (not the
    person); no part of the names reaches the word tables."""
    texts = [text for text, _ in FULL_NAMES]
    comments = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(len(texts))],
                             "theme": None, "kind": "other", "text": texts}, dtype="string")
    path = tx.export_comments(comments, tmp_path / "innspill_verksted.xlsx", min_n=1)
    wb, cells = _cells(path)
    rows = [[c.value for c in r] for r in wb["Generelle innspill"].iter_rows()]
    assert rows[0] == ["Type", "Innspill", "Mulig navn – sjekk"]
    assert sorted(r[1] for r in rows[1:]) == sorted(m.strip() for _, m in FULL_NAMES)
    assert {r[2] for r in rows[1:]} == {"fornavn + etternavn", "relasjon/tittel + navn",
                                        "etternavn"}
    parts = {"Olav", "Martin", "Berg", "Dahl", "Bakke", "Ylva", "Grete", "Erik", "Solheim"}
    assert not [v for _, c in cells for v in [str(c.value)] if any(p in v for p in parts)]
    terms = tx.term_frequencies(comments, by="kind", min_count=1, min_n=1)["term"]
    words = set(" ".join(terms).split())
    assert "rydder" in words and not {p.casefold() for p in parts} & words
