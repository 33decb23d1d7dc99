"""The facts' comparison figure without a kommune row (sum of counts, mean of rates, and how
many areas it covers) and the social gradient with too few neighbourhoods, in the verksted
report and the Bylab briefs (findings of the «Storvåg» new-user trial)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from soslokal_lib.app import verksted
from soslokal_lib.app.bylab import _facts as brief_facts
from soslokal_lib.app.bylab import _reference
from soslokal_lib.io.inputs import Inputs, load_inputs
from soslokal_lib.survey import Survey

KEEP = ["99010100", "99010200", "99010300", "99010400"]  # Sentrum, Havna, Nordbyen, Solåsen
POP = [1000.0, 2000.0, 500.0, 1500.0]


def _register(low_income: list[float]) -> pd.DataFrame:
    """Register facts of four areas, no kommune row (as the trial's levekår sheet)."""
    return pd.DataFrame({"population": POP, "low_income_pct": low_income,
                         "benefits_pct": [5.0, 6.0, 7.0, 8.0]},
                        index=pd.Index(KEEP, name="area_id"))


def _text(html: str) -> str:
    html = re.sub(r"<img[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def report() -> str:
    """The verksted report of four sample areas; Nordbyen has no low-income figure."""
    inputs = load_inputs()
    responses = inputs.survey.responses
    responses = responses[responses["area_id"].isin(KEEP)]
    comments = inputs.survey.comments
    comments = comments[comments["respondent_id"].isin(responses.index)]
    own = Inputs(survey=Survey(responses, comments, dict(inputs.survey.meta)), areas=None,
                 names={a: inputs.names[a] for a in KEEP}, source="Kilde: test",
                 synthetic=False)
    socio = _register([10.0, 20.0, np.nan, 12.0])
    return _text(verksted.build_verksted_report(own, socio=socio, kommune_name="Storvåg",
                                                date=dt.date(2025, 5, 7)))


def test_bylab_population_is_the_sum_and_says_so():
    register = _register([10.0, 20.0, 15.0, 12.0])
    assert _reference(register) == "Nabolagene med tall"
    rows = {f["label"]: f["kommune"] for f in brief_facts(register, "99010100")}
    assert rows["Folketall"] == "5\u202f000 (sum av 4 nabolag)"
    mean = np.average([10, 20, 15, 12], weights=POP)  # 15.2
    low = next(v for k, v in rows.items() if "lavinntekt" in k.lower())
    assert low == f"{mean:.1f} % (snitt av 4 nabolag)".replace(".", ",")
    assert not any("Snitt av nabolagene" in v for v in rows.values())


def test_bylab_baseline_names_the_areas_it_covers():
    register = _register([10.0, 20.0, np.nan, 12.0])
    rows = {f["label"]: f["kommune"] for f in brief_facts(register, "99010100")}
    low = next(v for k, v in rows.items() if "lavinntekt" in k.lower())
    mean = np.average([10, 20, 12], weights=[1000, 2000, 1500])  # 14.9, Nordbyen left out
    assert low == f"{mean:.1f} % (snitt av 3 av 4 nabolag)".replace(".", ",")
    assert rows["Folketall"] == "5\u202f000 (sum av 4 nabolag)"


def test_split_socio_counts_the_areas_behind_each_figure():
    _, kommune = verksted.split_socio(_register([10.0, 20.0, np.nan, 12.0]), KEEP)
    assert kommune.attrs["areas_used"] == {"population": 4, "low_income_pct": 3,
                                           "benefits_pct": 4}
    assert kommune.attrs["areas_total"] == 4
    assert verksted.baseline_text(kommune, "low_income_pct") == "snitt av 3 av 4 nabolag"
    assert verksted.baseline_text(kommune, "population", "en") == "sum of 4 neighbourhoods"


@pytest.mark.slow
def test_verksted_legend_says_the_neighbourhoods_mean(report: str):
    facts = report.split("Nøkkeltall", 1)[1].split("Innbyggerne sier", 1)[0]
    assert "Snitt av nabolagene med tall" in facts
    assert "over/under snittet av nabolagene" in facts
    assert "▲/▼: over/under snittet av nabolagene" in facts
    assert "over/under kommunen" not in report


def test_verksted_questions_compare_with_the_neighbourhoods_mean():
    t = verksted._areas_wording(verksted._wording("nb", 7))
    for key in ("q_register", "q_register_theme"):
        assert "mot {kommune} i snitt for nabolagene med tall" in t[key]
        assert "i kommunen" not in t[key]


@pytest.mark.slow
def test_verksted_baseline_with_a_missing_area_says_how_many(report: str):
    mean = f"{np.average([10, 20, 12], weights=[1000, 2000, 1500]):.1f}".replace(".", ",")
    assert f"{mean} % (snitt av 3 av 4 nabolag)" in report
    assert "(snitt av 4 nabolag)" not in report  # full coverage needs no count in the verksted


@pytest.mark.slow
def test_verksted_shows_no_sii_below_five_neighbourhoods(report: str):
    gradient = report.split("Sosial gradient: lave skårer og lavinntekt", 1)[1]
    gradient = gradient.split("Metode og personvern", 1)[0]
    assert "Ingen helningsindeks: bare 3 nabolag har tall" in gradient
    assert "færre enn 5 nabolag" in gradient
    assert "SII" not in gradient and "Fet skrift" not in report
    assert not re.search(r"[−+]\d+,\d", gradient)
    assert "slope index of inequality" not in report


def _gradient_ctx(summary: pd.DataFrame, areas: list[str]):
    from soslokal_lib.app.verksted.parts import Context
    from soslokal_lib.themes import theme_labels

    return Context(summary=summary, names={a: f"Sone {a}" for a in areas},
                   themes=theme_labels("nb"), lang="nb", t=verksted._wording("nb", 7), min_n=5,
                   source="test", labels=None)


def test_gradient_is_not_shown_below_five_neighbourhoods():
    """With four neighbourhoods the report used to show «Trygghet −52,8» with «ikke vist: under
    5 nabolag» and a bold-face footnote; now no SII at all, and the note says why."""
    from soslokal_lib.app.verksted.parts import _gradient_parts

    areas = ["01", "02", "03", "04"]
    summary = pd.DataFrame({"area_id": areas + ["total"], "theme": "feeling_safe",
                            "n": 50, "share_low": [0.5, 0.1, 0.4, 0.2, 0.3],
                            "suppressed": False})
    socio = pd.DataFrame({"population": [100.0] * 4, "low_income_pct": [20.0, 15.0, 10.0, 5.0]},
                         index=pd.Index(areas, name="area_id"))
    parts = _gradient_parts(_gradient_ctx(summary, areas), socio)
    assert not parts.get("gradient_rows") and not parts.get("gradient")
    assert parts["gradient_note"].startswith("Ingen helningsindeks: bare 4 nabolag har tall.")
    assert "færre enn 5 nabolag" in parts["gradient_note"]


def test_gradient_leaves_out_themes_with_too_few_neighbourhoods():
    from soslokal_lib.app.verksted.parts import _gradient_parts
    from soslokal_lib.themes import theme_labels

    areas = ["01", "02", "03", "04", "05"]
    safe = pd.DataFrame({"area_id": areas + ["total"], "theme": "feeling_safe", "n": 50,
                         "share_low": [0.5, 0.4, 0.3, 0.2, 0.1, 0.3], "suppressed": False})
    moving = safe.assign(theme="moving_around",
                         suppressed=[True, False, False, False, False, False])
    socio = pd.DataFrame({"population": [100.0] * 5,
                          "low_income_pct": [25.0, 20.0, 15.0, 10.0, 5.0]},
                         index=pd.Index(areas, name="area_id"))
    parts = _gradient_parts(_gradient_ctx(pd.concat([safe, moving]), areas), socio)
    names = theme_labels("nb")
    assert [r["theme"] for r in parts["gradient_rows"]] == [names["feeling_safe"]]
    assert parts["gradient_few_themes"] == ("Ikke med (færre enn 5 nabolag med tall): "
                                            f"{names['moving_around']}.")
    assert parts["gradient_bold"] is True
