"""The «politisk verksted» report: neighbourhood profiles, privacy, self-contained print HTML."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from soslokal_lib.app import verksted
from soslokal_lib.errors import SoslokalError
from soslokal_lib.io.inputs import Inputs, load_inputs
from soslokal_lib.survey import Survey

ROOT = Path(__file__).resolve().parents[1]
OYANE = "99011200"
DAY = dt.date(2025, 5, 7)


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs()


@pytest.fixture(scope="module")
def html6(inputs: Inputs) -> str:
    """The sample report with min_n=6: Øyane (5 respondents) is below the threshold."""
    return verksted.build_verksted_report(inputs, min_n=6, date=DAY, seed=1)


@pytest.fixture(scope="module")
def small_en(inputs: Inputs) -> str:
    """English report of three neighbourhoods, not marked synthetic, without register data or
    boundaries (as a municipality's own export without a socio table)."""
    keep = ["99010100", "99010200", "99010400"]
    responses = inputs.survey.responses
    responses = responses[responses["area_id"].isin(keep)]
    comments = inputs.survey.comments
    comments = comments[comments["respondent_id"].isin(responses.index)]
    survey = Survey(responses, comments, dict(inputs.survey.meta))
    names = {a: inputs.names[a] for a in keep}
    own = Inputs(survey=survey, areas=None, names=names, source="Kilde: egen test",
                 synthetic=False)
    return verksted.build_verksted_report(own, lang="en", kommune_name="Testvik", date=DAY)


def _sections(html: str) -> dict[str, str]:
    """area_id → the HTML of its profile section."""
    found = re.findall(r'<section class="sheet area"[^>]*data-area="(\d+)".*?</section>', html,
                       flags=re.S)
    bodies = re.findall(r'(<section class="sheet area".*?</section>)', html, flags=re.S)
    return dict(zip(found, bodies, strict=True))


# --------------------------------------------------------------------------- strongest_weakest
def _summary(rows: list[tuple[str, str, int, float, float, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area_id", "theme", "n", "median", "share_low",
                                       "suppressed"])


def test_strongest_weakest_orders_by_median_then_share_low():
    s = _summary([
        ("A", "moving_around", 20, 5.0, 0.10, False),
        ("A", "public_transport", 20, 6.0, 0.05, False),
        ("A", "traffic_parking", 20, 5.0, 0.02, False),   # same median, fewer low: stronger
        ("A", "streets_spaces", 20, 3.0, 0.40, False),
        ("A", "natural_space", 20, 3.0, 0.55, False),     # same median, more low: weaker
        ("A", "play_recreation", 20, 4.0, 0.20, False),
        ("A", "feeling_safe", 3, 1.0, 0.99, True),        # suppressed: never listed
        ("A", "housing_community", 20, 4.0, 0.30, False),
        ("B", "moving_around", 20, 7.0, 0.00, False),     # another area: ignored
    ])
    best, worst = verksted.strongest_weakest(s, "A", k=3)
    assert best["theme"].tolist() == ["public_transport", "traffic_parking", "moving_around"]
    assert worst["theme"].tolist() == ["natural_space", "streets_spaces", "housing_community"]
    assert best["median"].tolist() == [6.0, 5.0, 5.0]
    assert worst["share_low"].tolist() == [0.55, 0.40, 0.30]
    assert "feeling_safe" not in set(best["theme"]) | set(worst["theme"])


def test_strongest_weakest_ties_in_official_order_and_disjoint_when_few():
    s = _summary([
        ("A", "influence_control", 9, 4.0, 0.2, False),
        ("A", "moving_around", 9, 4.0, 0.2, False),
        ("A", "social_interaction", 9, 4.0, 0.2, False),
        ("A", "natural_space", 2, np.nan, np.nan, True),
    ])
    best, worst = verksted.strongest_weakest(s, "A", k=3)
    # three shown themes: two strongest, one weakest, no theme in both lists
    assert best["theme"].tolist() == ["moving_around", "social_interaction"]
    assert worst["theme"].tolist() == ["influence_control"]
    one, none = verksted.strongest_weakest(s.iloc[[0, 3]], "A", k=3)
    assert one["theme"].tolist() == ["influence_control"] and none.empty


def test_strongest_weakest_all_suppressed_and_errors():
    s = _summary([("A", "moving_around", 2, np.nan, np.nan, True)])
    best, worst = verksted.strongest_weakest(s, "A")
    assert best.empty and worst.empty
    with pytest.raises(SoslokalError, match="no area 'Z'"):
        verksted.strongest_weakest(s, "Z")
    with pytest.raises(SoslokalError, match="at least 1"):
        verksted.strongest_weakest(s, "A", k=0)
    with pytest.raises(SoslokalError, match="lacks share_low"):
        verksted.strongest_weakest(s.drop(columns="share_low"), "A")


# --------------------------------------------------------------------------- register facts
def test_split_socio_uses_kommune_row_or_weights_by_population():
    socio = pd.DataFrame({"population": [100.0, 300.0, 400.0],
                          "low_income_pct": [10.0, 20.0, 99.0],
                          "median_income_nok": [500_000.0, 600_000.0, 555_000.0]},
                         index=pd.Index(["99010100", "99010200", "9901"], name="area_id"))
    per_area, kommune = verksted.split_socio(socio, ["99010100", "99010200"])
    assert list(per_area.index) == ["99010100", "99010200"]
    assert kommune["low_income_pct"] == 99.0 and kommune["median_income_nok"] == 555_000.0
    per_area, kommune = verksted.split_socio(socio.iloc[:2].reset_index(), ["99010100"])
    assert len(per_area) == 2
    assert kommune["low_income_pct"] == pytest.approx((100 * 10 + 300 * 20) / 400)
    assert kommune["population"] == 400.0
    assert "median_income_nok" not in kommune  # a median cannot be made from medians


def test_sample_socio_aggregates_to_delomrader(inputs: Inputs):
    socio = verksted.sample_socio()
    assert socio.attrs["total"] == "9901"
    assert set(inputs.names) | {"9901"} == set(socio.index)
    assert socio.loc["9901", "population"] == 27_820
    assert socio.loc["99010900", "median_income_nok"] == 485_900   # README: Storhaugen
    assert np.isnan(socio.loc[OYANE, "median_income_nok"])       # suppressed in 06944
    areas = socio.drop(index="9901")
    weighted = np.average(areas["low_income_pct"], weights=areas["population"])
    assert socio.loc["9901", "low_income_pct"] == pytest.approx(weighted, rel=1e-9)


def test_social_gradient_recovers_a_linear_slope():
    areas = ["01", "02", "03", "04", "05"]
    low_income = [25.0, 20.0, 15.0, 10.0, 5.0]  # area 01 is worst off: ridit 0.1 … 0.9
    share_low = [0.10 + 0.20 * r for r in (0.1, 0.3, 0.5, 0.7, 0.9)]
    summary = pd.DataFrame({"area_id": areas + ["total"], "theme": "feeling_safe",
                            "n": 50, "share_low": share_low + [0.2], "suppressed": False})
    socio = pd.DataFrame({"population": [100.0] * 5, "low_income_pct": low_income},
                         index=pd.Index(areas, name="area_id"))
    results, points = verksted.social_gradient(summary, socio)
    row = results.iloc[0]
    assert row["theme"] == "feeling_safe" and row["n_areas"] == 5
    assert row["sii"] == pytest.approx(20.0) and row["intercept"] == pytest.approx(10.0)
    assert row["ci_low"] == pytest.approx(20.0, abs=1e-6)
    assert points["ridit"].tolist() == pytest.approx([0.1, 0.3, 0.5, 0.7, 0.9])
    # below five areas the slope is still given, its interval (1–2 df) is not
    hidden = summary.assign(suppressed=[False, False, True, False, False, False])
    four = verksted.social_gradient(hidden, socio)[0].iloc[0]
    assert four["n_areas"] == 4 and four["sii"] == pytest.approx(22.4)  # ridits 1/8 … 7/8
    assert np.isnan(four["ci_low"]) and np.isnan(four["ci_high"])


def test_wording_follows_the_scale():
    seven, three = verksted._wording("nb", 7), verksted._wording("nb", 3)
    assert seven["share_low_line"] == "{share} % ga 1–3"
    assert three["share_low_line"] == "{share} % ga 1"
    assert "til 3 (lite å forbedre)" in three["how_1"] and "eller 3," in three["m_scores"]
    assert not any("{low}" in v or "{scale}" in v for v in verksted._wording("en", 7).values())


# --------------------------------------------------------------------------- the sample report
@pytest.mark.slow
def test_one_profile_per_neighbourhood_with_names(html6: str, inputs: Inputs):
    sections = _sections(html6)
    assert set(sections) == set(inputs.names) and len(sections) == 12
    for area, body in sections.items():
        assert f"<h2>{inputs.names[area]}</h2>" in body
    order = [inputs.names[a] for a in sections]
    assert order[0] == "Bekkeli" and order[-1] == "Øyane"  # Norwegian alphabetical order


@pytest.mark.slow
def test_area_below_min_n_shows_no_statistic_or_quote(html6: str):
    body = _sections(html6)[OYANE]
    assert 'data-status="too_few"' in body
    assert "For få svar" in body and "færre enn 6" in body
    assert not re.search(r"\bmedian\b", body.casefold())  # «Medianinntekt» is register data
    assert 'class="quote"' not in body and "<img" not in body
    assert "Sterkeste tema" not in body and " % ga 1–3" not in body
    havna = _sections(html6)["99010200"]  # 145 respondents: full page
    assert 'data-status="ok"' in havna and havna.count('class="quote"') == 3
    assert havna.count("median ") >= 6 and "<img src=\"data:image/png;base64," in havna


@pytest.mark.slow
def test_secondary_suppression_is_spread_over_the_neighbours(html6: str):
    """Øyane (5 < min_n 6) is hidden on all 14 themes; the cells hidden to protect it are
    spread: Brattvoll (20, the smallest neighbour) loses 4 themes, not all 14 (it lost its
    whole page before), and no other neighbourhood more than 2."""
    sections = _sections(html6)
    assert 'data-status="too_few"' in sections["99011200"]  # Øyane
    body = sections["99011100"]  # Brattvoll
    assert 'data-status="ok"' in body and "<img" in body
    assert ("4 av 14 tema vises ikke: for få svar, eller skjult for å beskytte et lite nabolag "
            "(sekundærprikking).") in body
    others = [a for a in sections if a not in ("99011100", "99011200")]
    assert all('data-status="ok"' in sections[a] for a in others)
    hidden = [int(m) for a in others
              for m in re.findall(r"(\d+) av 14 tema vises ikke", sections[a])]
    assert hidden and max(hidden) <= 2


@pytest.mark.slow
def test_sample_report_is_synthetic_self_contained_and_printable(html6: str):
    assert '<html lang="nb">' in html6
    assert "Syntetiske data – fiktiv kommune" in html6 and 'class="banner"' in html6
    assert "Fjordvik" in html6 and "7. mai 2025" in html6
    assert "Slik leser du rapporten" in html6 and "Metode og personvern" in html6
    brief = re.search(r'<ul class="highlights">(.*?)</ul>', html6, flags=re.S).group(1)
    assert "I hele Fjordvik får Natur og grøntområder best skår" in brief
    assert "Innflytelse og medvirkning" in brief.split("sosial gradient")[1]
    assert re.search(r"@page\s*\{\s*size:\s*A4", html6)
    assert "break-before: page" in html6
    assert 'src="http' not in html6 and "<script" not in html6 and "<link" not in html6
    assert "url(" not in html6 and "@import" not in html6
    assert not re.search(r"\{(low|high|scale|share|n|min_n)\}", html6)  # every field filled
    images = re.findall(r'<img src="([^"]*)"', html6)
    assert len(images) >= 13 and all(s.startswith("data:image/png;base64,") for s in images)


@pytest.mark.slow
def test_overview_and_register_facts(html6: str):
    for heading in ("Forskjeller mellom nabolagene", "Samlet indeks på kart",
                    "Hvor sikker er rangeringen?", "Sosial gradient"):
        assert heading in html6
    gradient = re.search(r'<table class="gradient">.*?</table>', html6, flags=re.S).group(0)
    assert gradient.count("<tr") == 15  # header + 14 themes
    first = re.search(r"<tr[^>]*><td>([^<]+)</td>", gradient.split("</thead>")[1]).group(1)
    assert first in {"Innflytelse og medvirkning", "Trygghet", "Bolig og fellesskap",
                     "Vedlikehold og stell"}  # the README's built-in gradient themes
    storhaugen = _sections(html6)["99010900"]
    assert "485\u202f900 kr" in storhaugen and "554\u202f000 kr" in storhaugen


@pytest.mark.slow
def test_no_planted_personal_data_in_the_report(html6: str):
    planted = pd.read_csv(ROOT / "data" / "sample" / "planted_personal_data.csv", dtype=str)
    for value in planted["planted"]:
        assert value not in html6
    assert "@example.no" not in html6


# --------------------------------------------------------------------------- other inputs
@pytest.mark.slow
def test_english_report_without_register_data_or_boundaries(small_en: str):
    assert '<html lang="en">' in small_en
    assert "Strongest themes" in small_en and "How to read this report" in small_en
    assert "Testvik" in small_en and "7 May 2025" in small_en
    assert "Synthetic data" not in small_en and 'class="banner"' not in small_en
    assert "Key register figures are not included" in small_en
    # three areas are too few for a composite index and its ranks: left out, and said why
    assert "Only 3 neighbourhoods have results (Sentrum, Havna, Solåsen)" in small_en
    assert "needs at least 5" in small_en and "How certain is the ranking" not in small_en
    assert "No gradient" in small_en
    assert len(_sections(small_en)) == 3


def test_privacy_self_check_stops_a_leaking_summary(inputs: Inputs, monkeypatch):
    from soslokal_lib.stats import summary as summary_module

    real = summary_module.summarise

    def leaky(*args, **kwargs):
        table = real(*args, **kwargs)
        small = table["n"] < kwargs.get("min_n", 5)
        return table.assign(median=table["median"].mask(small, 4.0))

    monkeypatch.setattr(summary_module, "summarise", leaky)
    with pytest.raises(SoslokalError, match="fewer than 5 respondents shows statistics"):
        verksted.build_verksted_report(inputs, min_n=5)


def test_write_is_atomic(tmp_path: Path, inputs: Inputs, monkeypatch):
    target = tmp_path / "politisk_verksted.html"
    target.write_text("old report", encoding="utf-8")
    monkeypatch.setattr(verksted, "build_verksted_report", lambda inputs, **kw: "<html>new</html>")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        verksted.write_verksted_report(target, inputs, min_n=5)
    assert target.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["politisk_verksted.html"]
    monkeypatch.undo()
    monkeypatch.setattr(verksted, "build_verksted_report", lambda inputs, **kw: "<html>new</html>")
    assert verksted.write_verksted_report(target, inputs) == target
    assert target.read_text(encoding="utf-8") == "<html>new</html>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["politisk_verksted.html"]


def test_no_config_syntax_and_no_register_method_without_register_data(small_en: str,
                                                                        tmp_path: Path):
    """A report for politicians: no config lines, and the method section describes only what
    the report shows (no register index, no SII, without register data)."""
    import shutil

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import config_inputs

    text = re.sub(r"<[^>]+>", " ", small_en)
    for jargon in ("[socio]", "[areas]", "merge_small", "path in the config"):
        assert jargon not in text
    assert "Register and Place Standard indicators" not in text
    assert "SII" not in text
    folder = tmp_path / "egenkommune"
    shutil.copytree(Path(__file__).parent / "fixtures" / "egenkommune", folder)
    config = folder / "elvestad.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'name_column = "navn"', 'name_column = "navn"\nmerge_small = "neighbour"'),
        encoding="utf-8")
    merged = config_inputs(load_config(config))
    html = verksted.build_verksted_report(merged, kommune_name="Elvestad", date=DAY)
    text = re.sub(r"<[^>]+>", " ", html)
    assert text.count("Nordre (3 svar) er slått sammen med Elvebredden") == 2  # title, method
    for jargon in ("[socio]", "[areas]", "merge_small", "oppsettet", "registerdata og"):
        assert jargon not in text, jargon
    assert "SII" not in text


# --- «Endring siden <runde>» ---------------------------------------------------------------------


def _one_round_config(tmp_path: Path):
    """The sample config with the 2021 block and the crosswalk taken out."""
    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import DEFAULT_CONFIG

    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    start = text.index('[[survey]]\nround = "2021"')
    text = text[:start] + text[text.index("[areas]"):]
    text = text.replace('"../data/sample/', f'"{(ROOT / "data" / "sample").as_posix()}/')
    path = tmp_path / "en_runde.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.mark.slow
def test_change_section_with_the_sample_configs_two_rounds():
    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import DEFAULT_CONFIG, config_inputs
    from soslokal_lib.app.rounds_page import load_rounds

    config = load_config(DEFAULT_CONFIG)
    inputs = config_inputs(config)
    params = config.to_parameters()
    study = load_rounds(inputs, params["rounds"], params["crosswalk"], min_n=config.min_n)
    html = verksted.build_verksted_report(inputs, rounds=study, date=DAY)
    section = re.search(r'<section class="sheet overview change" id="endring">.*?</section>',
                        html, flags=re.S).group(0)
    assert "<h2>Endring siden 2021" in section
    assert 'href="#endring">Endring siden 2021</a>' in html
    items = re.findall(r"<li>([^<]*)</li>", section[:section.index('class="caveats"')])
    assert items == [
        "Lia, Kollektivtransport: 3 % lave skårer i 2021, 26 % i 2025 (verre; +11 til +35 "
        "prosentpoeng)",
        "Storhaugen, Trygghet: 58 % lave skårer i 2021, 36 % i 2025 (bedre; −39 til −5 "
        "prosentpoeng)"]
    assert "2 av 164 sammenligninger viser en tydelig endring" in section
    assert "For hele kommunen: Innflytelse og medvirkning" in section
    assert section.count("data:image/png;base64,") == 1          # the dot plot
    assert "Nedre Bekkeli + Øvre Bekkeli → Bekkeli" in section    # the crosswalk's merge
    assert "Svarte andre grupper denne gangen" in section         # who answered
    assert "Øyane" not in section.split("<figure>")[0]            # hidden cells are not named
    assert "<strong>Endring mellom runder.</strong>" in html
    # the clear change becomes a discussion question on Lia's page
    lia = _sections(html)["99011000"]
    assert ("Kollektivtransport har blitt verre i Lia siden 2021 (3 % → 26 % lave skårer). "
            "Hva har endret seg?") in _questions(lia)
    with pytest.raises(SoslokalError, match="min_n=5.*min_n=6"):
        verksted.build_verksted_report(inputs, rounds=study, min_n=6, date=DAY)


@pytest.mark.slow
def test_no_change_section_with_one_round(tmp_path: Path, html6: str):
    from soslokal_lib.app.report import NEEDS, config_inputs
    from soslokal_lib.app.rounds_page import load_rounds
    from soslokal_lib.app.verksted.change import change_section

    config = _one_round_config(tmp_path)
    assert len(config.rounds) <= 1
    inputs = config_inputs(config)
    assert NEEDS["rounds"](config, inputs) == "oppsettet har bare én runde av undersøkelsen"
    params = config.to_parameters()
    study = load_rounds(inputs, params.get("rounds"), params.get("crosswalk"))
    assert not study.available and study.text() == ""
    assert study.overview("nb").startswith("Oppsettet har bare én runde av undersøkelsen")
    assert change_section(None, study) is None
    html = verksted.build_verksted_report(inputs, rounds=study, date=DAY)
    for page in (html, html6):
        assert 'id="endring"' not in page and "Endring siden" not in page
        assert "Endring mellom runder" not in page


# --------------------------------------------------------------------------- the two goals
def _questions(section: str) -> list[str]:
    return [html_lib.unescape(q) for q in
            re.findall(r'<li class="question" data-rule="\w+">(.*?)</li>', section)]


def _rules(section: str) -> list[str]:
    return re.findall(r'<li class="question" data-rule="(\w+)">', section)


def test_report_opens_with_the_two_goals(html6: str):
    goals = re.search(r'<section class="sheet goals" id="maal">.*?</section>', html6,
                      flags=re.S).group(0)
    assert html6.index('id="maal"') < html6.index('class="sheet area"')
    assert "<h3>Sosial rettferdighet</h3>" in goals and "<h3>Sosial robusthet</h3>" in goals
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", goals))
    text = re.sub(r"\s+", " ", text)
    assert ("I Fjordvik som helhet er innflytelse og medvirkning svakest av de 11 temaene under "
            "målet: 45 % ga 1–3 (95 % konfidensintervall 42–49 %).") in text
    assert "Stabilitet ingen tema i Stedskompasset; i delindeksen: flytterate" in text
    assert "Lavest på sosial robusthet: Storhaugen (plass 12 av 12, spenn 10–12)" in text
    # Øyane (5 answers, min_n 6) is ranked on register figures only, and says so
    assert "Øyane (plass 2 av 12, spenn 2–8, færre indikatorer (skjulte tall))" in text
    assert "det er ikke et konfidensintervall" in text
    assert "<strong>De to målene.</strong>" in html6
    havna = _sections(html6)["99010200"]
    assert ("<strong>Sosial robusthet:</strong> plass 11 av 12, spenn 11–12. Blant de nederste "
            "uansett metode og vekter. Svakest på trygghet og sikkerhet.") in havna


def test_every_page_has_three_to_five_questions_never_on_hidden_cells(html6: str,
                                                                      inputs: Inputs):
    from soslokal_lib.stats.summary import summarise
    from soslokal_lib.themes import theme_labels

    summary = summarise(inputs.survey, min_n=6)
    labels = theme_labels("nb")
    sections = _sections(html6)
    assert len(sections) == 12
    for area, section in sections.items():
        questions = _questions(section)
        assert 3 <= len(questions) <= 5, area
        rows = summary[summary["area_id"].astype(str) == area]
        hidden = [labels[c] for c in rows.loc[rows["suppressed"].astype(bool), "theme"]]
        others = [n for a, n in inputs.names.items() if a != area]
        for q in questions:
            assert inputs.names[area] in q
            for name in [*hidden, *others]:
                assert not re.search(rf"\b{re.escape(name)}\b", q, flags=re.I), (area, q)
    assert _rules(sections["99010200"]) == ["lowest", "gap", "register", "goal", "goal"]
    assert _questions(sections["99010200"])[:2] == [
        "Innflytelse og medvirkning får lavest skår i Havna: 54 % ga 1–3, mot 45 % i hele "
        "kommunen. Hva vet vi om hvorfor, og hva kan kommunen gjøre?",
        "I Havna ga 40 % 1–3 på arbeid og lokal økonomi, mot 28 % i hele kommunen. Hva gjør "
        "dette vanskeligere her enn ellers?"]
    # Øyane has too few answers: questions on how to hear from it, no theme at all
    assert _rules(sections[OYANE]) == ["missing", "sources", "ask"]
    assert not any(label.lower() in q.lower() for q in _questions(sections[OYANE])
                   for label in labels.values())


def test_priority_sheet_closes_the_report(html6: str):
    sheet = re.search(r'<section class="sheet priority" id="prioriteringer">.*?</section>',
                      html6, flags=re.S).group(0)
    assert html6.rstrip().endswith("</body>\n</html>")
    assert html6.index('id="metode"') < html6.index('id="prioriteringer"')
    assert "Delindeksene for målene er laget med samme metode" in html6  # six areas: ranked
    heads = re.findall(r'<th scope="col">(.*?)</th>', sheet)
    assert heads == ["Område", "Tema", "Hvorfor", "Hvem gjør hva", "Frist"]
    rows = re.findall(r"<tr>((?:<td></td>)+)</tr>", sheet)
    assert len(rows) == 8 and all(r.count("<td></td>") == 5 for r in rows)
    assert 'href="#prioriteringer"' in html6


def test_english_report_has_goals_questions_and_sheet(small_en: str):
    assert '<html lang="en">' in small_en
    assert "<h3>Social justice</h3>" in small_en and "<h3>Social robustness</h3>" in small_en
    # three neighbourhoods are too few to rank: the report says so instead of ranking
    assert "no rank: too few figures" in small_en or "3 neighbourhoods" in small_en
    # … and the method section describes no sub-indices or sensitivity analysis it did not do
    methods = small_en[small_en.index('id="metode"'):]
    assert "Themes are linked to the guide" in methods
    assert "sub-indices" not in methods and "weightings" not in methods
    for area, section in _sections(small_en).items():
        assert 3 <= len(_questions(section)) <= 5, area
        assert "<h3>Questions for discussion</h3>" in section
    heads = re.findall(r'<th scope="col">(.*?)</th>', small_en)
    assert heads == ["Area", "Theme", "Why", "Who does what", "Deadline"]
    assert "Spørsmål" not in small_en and "Prioriteringer" not in small_en


def test_report_areas_limit_the_pages_and_unknown_names_stop(inputs: Inputs):
    html = verksted.build_verksted_report(inputs, areas=["storhaugen ", "99010200"],
                                          date=DAY)
    assert sorted(_sections(html)) == ["99010200", "99010900"]
    assert ("Rapporten gjelder 2 av 12 nabolag: Havna, Storhaugen. Tallene for hele kommunen"
            in html)
    goals = re.search(r'id="maal">.*?</section>', html, flags=re.S).group(0)
    assert "Lavest på sosial rettferdighet: Nordbyen" in goals   # still the whole kommune
    assert html.count('class="toc"') == 1 and 'href="#omr-99010100"' not in html
    with pytest.raises(SoslokalError, match=r"'Storhagen' \(closest: Storhaugen"):
        verksted.build_verksted_report(inputs, areas=["Storhagen", "Havna"], date=DAY)
    with pytest.raises(SoslokalError, match="empty"):
        verksted.build_verksted_report(inputs, areas=[], date=DAY)


def test_question_rules_on_a_small_summary():
    """Thresholds and privacy of the rules, on a hand-made summary."""
    from soslokal_lib.app.verksted import _wording
    from soslokal_lib.app.verksted.parts import Context
    from soslokal_lib.app.verksted.questions import area_questions
    from soslokal_lib.themes import theme_labels

    cols = ["area_id", "theme", "n", "n_dont_know", "median", "share_low", "suppressed"]
    rows = [("A", "feeling_safe", 3, 0, 1.0, 0.9, True),         # hidden: never asked about
            ("A", "natural_space", 20, 0, 4.0, 0.30, False),     # 12 pp gap
            ("A", "public_transport", 20, 6, 5.0, 0.25, False),  # 9 pp gap; 23 % «vet ikke»
            ("A", "moving_around", 20, 1, 6.0, 0.05, False),
            ("total", "feeling_safe", 40, 0, 5.0, 0.10, False),
            ("total", "natural_space", 40, 2, 5.0, 0.18, False),
            ("total", "public_transport", 40, 0, 5.0, 0.16, False),
            ("total", "moving_around", 40, 0, 6.0, 0.05, False)]
    summary = pd.DataFrame(rows, columns=cols)
    ctx = Context(summary=summary, names={"A": "Aby"}, themes=theme_labels("nb"), lang="nb",
                  t=_wording("nb", 7), min_n=5, source=None, labels=None)
    facts = [{"label": "Lavinntekt", "value": "20 %", "kommune": "10 %", "tone": "bad",
              "rel": 1.0, "missing": False},
             {"label": "Trangboddhet", "value": "", "kommune": "9 %", "tone": "bad",
              "rel": float("nan"), "missing": True}]
    page = {"status": "ok", "name": "Aby", "facts": facts}
    out = area_questions(ctx, "A", page)
    # natural_space is both lowest and the largest gap: asked about once
    assert [q["rule"] for q in out] == ["lowest", "register", "dont_know", "strongest"]
    assert out[0]["text"].startswith("Natur og grøntområder får lavest skår i Aby: 30 % ga 1–3, "
                                      "mot 18 % i hele kommunen.")
    assert "Lavinntekt er 20 % i Aby mot 10 % i kommunen" in out[1]["text"]
    assert all("trygghet" not in q["text"].lower() for q in out)
    assert "23 % svarte «vet ikke» om kollektivtransport i Aby" in out[2]["text"]
    assert out[3]["theme"] == "moving_around"  # the strongest theme not yet asked about
    # with another lowest theme the gap is asked; the strongest theme is taken by «vet ikke»
    summary.loc[summary["theme"] == "moving_around", "median"] = 3.0
    out = area_questions(ctx, "A", {**page, "facts": []})
    assert [q["rule"] for q in out] == ["lowest", "gap", "dont_know"]
    assert out[1]["text"].startswith("I Aby ga 30 % 1–3 på natur og grøntområder, mot 18 %")
    assert [q["rule"] for q in area_questions(ctx, "A", {**page, "status": "too_few"})] == [
        "register", "missing", "sources"]
    # the weakest theme well above the kommune (5 % against 18 %): no «what can the kommune
    # do», but whether anything still needs following up
    summary.loc[summary["area_id"] == "A", "share_low"] = [0.9, 0.05, 0.04, 0.03]
    summary.loc[summary["area_id"] == "A", "median"] = [1.0, 4.0, 5.0, 6.0]
    out = area_questions(ctx, "A", {**page, "facts": []})
    assert out[0]["rule"] == "lowest" and out[0]["text"] == (
        "Natur og grøntområder får lavest skår i Aby (5 % ga 1–3), men færre er misfornøyd "
        "enn i hele kommunen (18 %). Er det likevel noe her som bør følges opp?")


def _strength_case(rows, lang="nb"):
    from soslokal_lib.app.verksted import _wording
    from soslokal_lib.app.verksted.parts import Context
    from soslokal_lib.themes import theme_labels

    cols = ["area_id", "theme", "n", "n_dont_know", "median", "share_low", "suppressed"]
    summary = pd.DataFrame(rows, columns=cols)
    return Context(summary=summary, names={"A": "Aby"}, themes=theme_labels(lang), lang=lang,
                   t=_wording(lang, 7), min_n=5, source=None, labels=None)


def test_what_to_keep_is_asked_only_of_a_theme_that_is_a_strength():
    """Issue: Vestre Ravnøy's best theme had a median of 3 and 56 % low scores and lay clearly
    below the other neighbourhoods, yet the page asked «Vedlikehold og stell får best skår …
    Hva må vi ta vare på …?». The question is asked only of a strength: fewer than half low
    scores, not «tydelig under de andre nabolagene», not 10 pp or more above the kommune."""
    from soslokal_lib.app.verksted.questions import area_questions

    page = {"status": "ok", "name": "Aby", "facts": []}
    # the weak best theme: median 3, 56 % gave 1–3 (kommune 29 %), clearly below the others
    ctx = _strength_case([("A", "care_maintenance", 25, 0, 3.0, 0.56, False),
                          ("A", "moving_around", 25, 0, 3.0, 0.60, False),
                          ("A", "feeling_safe", 25, 0, 2.0, 0.80, False),
                          ("total", "care_maintenance", 250, 0, 4.0, 0.29, False),
                          ("total", "moving_around", 250, 0, 4.0, 0.30, False),
                          ("total", "feeling_safe", 250, 0, 3.0, 0.60, False)])
    out = area_questions(ctx, "A", page, lower=["care_maintenance", "moving_around"])
    assert [q["text"] for q in out] == [
        "Trygghet får lavest skår i Aby: 80 % ga 1–3, mot 60 % i hele kommunen. Hva vet vi om "
        "hvorfor, og hva kan kommunen gjøre?",
        "I Aby ga 60 % 1–3 på å bevege seg rundt, mot 30 % i hele kommunen. Hva gjør dette "
        "vanskeligere her enn ellers?",
        "Hvem har vi ikke hørt fra i Aby, og hvordan kan vi nå dem, for eksempel med gåtur, "
        "Bylab eller fokusgruppe?"]
    # each condition on its own keeps the question away: a majority of low scores (6 pp above
    # the kommune, not flagged below) ...
    ctx.summary.loc[ctx.summary["area_id"].eq("total") & ctx.summary["theme"].eq(
        "care_maintenance"), "share_low"] = 0.50
    assert "strongest" not in [q["rule"] for q in area_questions(ctx, "A", page)]
    # ... clearly below the other neighbourhoods (30 % low scores, kommune 29 %) ...
    care = ctx.summary["theme"].eq("care_maintenance")
    ctx.summary.loc[care, ["median", "share_low"]] = [[4.0, 0.30], [4.0, 0.29]]
    assert "strongest" not in [q["rule"] for q in area_questions(
        ctx, "A", page, lower=["care_maintenance"])]
    assert [q["rule"] for q in area_questions(ctx, "A", page)][-1] == "strongest"
    # ... and 15 pp above the kommune (the gap question went to a larger gap)
    ctx.summary.loc[care, "share_low"] = [0.35, 0.20]
    assert "strongest" not in [q["rule"] for q in area_questions(ctx, "A", page)]

    # a genuine strength: median 6, 5 % low scores against 12 % in the kommune
    ctx = _strength_case([("A", "moving_around", 25, 0, 6.0, 0.05, False),
                          ("A", "feeling_safe", 25, 0, 4.0, 0.30, False),
                          ("total", "moving_around", 250, 0, 5.0, 0.12, False),
                          ("total", "feeling_safe", 250, 0, 5.0, 0.25, False)])
    out = area_questions(ctx, "A", page, lower=["feeling_safe"])
    assert [q["text"] for q in out] == [
        "Trygghet får lavest skår i Aby: 30 % ga 1–3, mot 25 % i hele kommunen. Hva vet vi om "
        "hvorfor, og hva kan kommunen gjøre?",
        "Å bevege seg rundt får best skår i Aby. Hva må vi ta vare på når området utvikles "
        "videre?",
        "Hvem har vi ikke hørt fra i Aby, og hvordan kan vi nå dem, for eksempel med gåtur, "
        "Bylab eller fokusgruppe?"]
    ctx = _strength_case(ctx.summary.itertuples(index=False), lang="en")
    assert area_questions(ctx, "A", page)[1]["text"] == (
        "Moving around scores best in Aby. What must we keep as the area develops?")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_weak_best_theme_is_headed_relatively_strongest(lang):
    """The page's list of best themes is «Sterkeste tema» only when all are strengths by the
    rule of the questions; a weak best theme is «Relativt sterkeste tema»."""
    from soslokal_lib.app.verksted import _add_questions

    rows = [("A", "care_maintenance", 25, 0, 3.0, 0.56, False),
            ("A", "feeling_safe", 25, 0, 2.0, 0.80, False),
            ("B", "care_maintenance", 25, 0, 6.0, 0.04, False),
            ("B", "feeling_safe", 25, 0, 5.0, 0.10, False),
            ("total", "care_maintenance", 250, 0, 4.0, 0.29, False),
            ("total", "feeling_safe", 250, 0, 4.0, 0.25, False)]
    ctx = _strength_case(rows, lang)
    pages = [{"id": a, "status": "ok", "name": a, "facts": [],
              "strongest": [{"code": "care_maintenance"}],
              "strongest_title": ctx.t["strongest"]} for a in ("A", "B")]
    _add_questions(ctx, pages, {"per_area": {}}, None, {"A": ["care_maintenance"]})
    assert [p["strongest_title"] for p in pages] == {
        "nb": ["Relativt sterkeste tema", "Sterkeste tema"],
        "en": ["Relatively strongest themes", "Strongest themes"]}[lang]


def test_sources_are_only_those_used(tmp_path):
    """Issue: «Kilder» credited «SSB, Kartverket (CC BY 4.0)» for a kommune that used neither:
    the list names the survey's source and the kommune's levekår sheet, nothing else."""
    import re
    import shutil
    from pathlib import Path

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import config_inputs, write_verksted

    folder = tmp_path / "mini"
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "minikommune", folder)
    (folder / "levekar.csv").write_text(
        "Bydel;Innbyggere;Trangbodde (%)\nNordre;100;3\nSøndre;50;4\nØstre;80;5\nVestre;90;2\n",
        encoding="utf-8")
    path = folder / "minikommune.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[[levekar]]\npath = "levekar.csv"\n'
                    'id_column = "Bydel"\n', encoding="utf-8")
    config = load_config(path)
    html = write_verksted(config, config_inputs(config), None, tmp_path / "v.html").read_text(
        encoding="utf-8")
    listed = re.search(r"<h3>Kilder</h3>\s*<ul>(.*?)</ul>", html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", listed) == [
        "Minikommune, testdata", "kommunens levekårstall (levekar.csv)"]
    assert "SSB" not in listed and "Kartverket" not in listed


def test_a_value_not_shown_reads_the_same_in_the_verksted_and_the_bylab_brief():
    from soslokal_lib.app.verksted.wording import TEXT

    assert TEXT["nb"]["facts_missing"] == "ikke vist"
    bylab = (Path(verksted.__file__).parents[1] / "bylab.py").read_text(encoding="utf-8")
    assert '"ikke vist"' in bylab and '"mangler"' not in bylab


# --------------------------------------------------------------------------- own levekår sheet
def _visible_text(page: str) -> str:
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_a_hidden_neighbourhood_without_figures_on_a_goal_has_no_place_there(tmp_path):
    """Elvestad with its own levekår sheet: Nordre has 3 answers (hidden) but 300 inhabitants
    (register figures shown). As Øyane in the sample it is ranked on its register figures
    alone on social justice, and says so; on social robustness it has no figure, and there
    it crashed the report («boolean value of NA is ambiguous»): now «ingen plass»."""
    from _elvestad_levekar import SHEET, elvestad

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import config_inputs, write_verksted

    config = load_config(elvestad(tmp_path / "e", sheet=SHEET.replace("Nordre;40;",
                                                                       "Nordre;300;")))
    text = _visible_text(write_verksted(config, config_inputs(config), None,
                                        tmp_path / "v.html").read_text(encoding="utf-8"))
    nordre = text[text.index("Nordre 3 svar · 300 innbyggere"):]
    nordre = nordre[:nordre.index("Sentrum 30 svar")]
    assert "For få svar: 3 personer har svart her" in nordre
    assert "Vedvarende lavinntekt 9 %" in nordre  # its register figures are shown
    assert ("Sosial rettferdighet: plass 1 av 5, spenn 1–3, færre indikatorer (skjulte tall)"
            in nordre)
    assert "Sosial robusthet: ingen plass: for få tall" in nordre


def test_a_tiny_neighbourhood_of_the_sheet_shows_no_register_rates(tmp_path):
    """Nordre's 40 inhabitants: no rates from the kommune's sheet (register_min_population),
    and the method section says which were left out and why."""
    from _elvestad_levekar import elvestad

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import config_inputs, write_verksted

    config = load_config(elvestad(tmp_path / "e"))
    text = _visible_text(write_verksted(config, config_inputs(config), None,
                                        tmp_path / "v.html").read_text(encoding="utf-8"))
    nordre = text[text.index("Nordre 3 svar · 40 innbyggere"):]
    nordre = nordre[:nordre.index("Sentrum 30 svar")]
    assert "Vedvarende lavinntekt ikke vist" in nordre and "9 %" not in nordre
    assert ("Levekårstall som ikke vises: Nordre (vedvarende lavinntekt, trangboddhet, "
            "innvandrere og norskfødte med innvandrerforeldre): færre enn 50 innbyggere"
            in text)


def test_a_merged_area_gets_the_combined_figures_of_the_sheet(tmp_path):
    from _elvestad_levekar import elvestad

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import config_inputs, write_verksted

    config = load_config(elvestad(tmp_path / "e", areas='merge = { "Nordre" = "Østsiden" }'))
    text = _visible_text(write_verksted(config, config_inputs(config), None,
                                        tmp_path / "v.html").read_text(encoding="utf-8"))
    assert "Østsiden og Nordre 26 svar · 740 innbyggere" in text
    page = text[text.index("Østsiden og Nordre 26 svar"):]
    assert "Vedvarende lavinntekt 11,8 %" in page[:2000]
    assert "Trangboddhet ikke vist" in page[:2000]


def test_tied_ranks_read_as_shared_and_are_listed_together():
    """A trial kommune read «Lavest: Åsen (plass 4 av 5 …); Nedre Dal (plass 4 av 5 …)» with
    nobody on plass 5, and «plass 3» twice with only one of the two listed: equal scores (after
    rounding) share the best rank. Now a shared rank says so, and a neighbourhood tied with the
    last one listed is listed too."""
    from soslokal_lib.app.verksted import _wording
    from soslokal_lib.app.verksted.goals import _extremes
    from soslokal_lib.app.verksted.parts import Context
    from soslokal_lib.themes import theme_labels

    ctx = Context(summary=pd.DataFrame(), names={a: a for a in "ABCDE"},
                  themes=theme_labels("nb"), lang="nb", t=_wording("nb", 7), min_n=5,
                  source=None, labels=None)
    frame = pd.DataFrame({"rank": pd.array([1, 2, 3, 3, 5], dtype="Int64"),
                          "rank_min": [1.0, 1, 3, 2, 5], "rank_max": [2.0, 2, 4, 3, 5],
                          "partial": False}, index=list("ABCDE"))
    frame["shared"] = frame["rank"].duplicated(keep=False)
    frame.attrs = {"m": 5}
    out = _extremes(ctx, frame, "Sosial robusthet")
    assert out["lowest"] == ("Lavest på sosial robusthet: E (plass 5 av 5 med alle metoder og "
                             "vekter); D (delt plass 3 av 5, spenn 2–3); C (delt plass 3 av 5, "
                             "spenn 3–4).")
    assert out["highest"].startswith("Høyest på sosial robusthet: A (plass 1 av 5, spenn 1–2); "
                                     "B (plass 2 av 5")


def test_kommune_column_says_when_it_is_the_areas_mean():
    """A trial kommune's «Kommunen» figure (persistent low income 10,5 %) was the mean of the
    neighbourhoods shown and moved to 11,0 % with a merge; without a kommune row in the
    register figures the column now says what it is. With a kommune row it stays «Kommunen»."""
    from soslokal_lib.app.bylab import _reference
    from soslokal_lib.app.verksted import split_socio

    per = pd.DataFrame({"area_id": ["A", "B"], "population": [100, 300],
                        "low_income_pct": [10.0, 20.0]})
    _, kommune = split_socio(per, ["A", "B"])
    assert kommune["low_income_pct"] == pytest.approx(17.5)
    assert kommune.attrs["from_areas"] is True
    assert _reference(per) == "Nabolagene med tall"  # each figure says sum or mean
    with_row = pd.concat([per, pd.DataFrame({"area_id": ["total"], "population": [400],
                                             "low_income_pct": [16.0]})])
    _, kommune = split_socio(with_row, ["A", "B"])
    assert kommune["low_income_pct"] == 16.0 and not kommune.attrs.get("from_areas")
    assert _reference(with_row) == ""
