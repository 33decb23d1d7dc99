"""The guide's framework: goals, dimensions, core elements, frame conditions, theme links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from soslokal_lib import framework as fw
from soslokal_lib.errors import SoslokalError
from soslokal_lib.indicators import REGISTRY, uncovered_dimensions
from soslokal_lib.themes import THEME_CODES

GUIDE = (Path(__file__).resolve().parents[2] / "shared" / "seed"
         / "veileder-sosial-baerekraft.txt")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.fixture(scope="module")
def guide() -> str:
    if not GUIDE.exists():
        pytest.skip(f"guide text not found at {GUIDE}")
    return _norm(GUIDE.read_text(encoding="utf-8"))


def test_goals_and_dimensions_exactly_as_in_the_guide():
    assert [g.code for g in fw.GOALS] == ["justice", "robustness"]
    assert [g.name_nb for g in fw.GOALS] == ["Sosial rettferdighet", "Sosial robusthet"]
    justice = [d.name_nb for d in fw.dimensions_of_goal("justice")]
    robustness = [d.name_nb for d in fw.dimensions_of_goal("Sosial robusthet")]
    assert justice == ["Sosial infrastruktur", "Fysisk infrastruktur og transport",
                       "Offentlige rom", "Nærmiljøkvalitet", "Politisk deltakelse"]
    assert robustness == ["Sosiale nettverk", "Stabilitet", "Trygghet og sikkerhet",
                          "Stolthet og stedstilhørighet"]
    assert len(fw.DIMENSIONS) == 9 and len(set(fw.DIMENSION_CODES)) == 9
    for d in fw.DIMENSIONS:
        assert d.goal in ("justice", "robustness")
        assert d.name_en and d.description_nb and d.description_en


def test_core_elements_and_frame_conditions():
    assert [c.name_nb for c in fw.CORE_ELEMENTS] == [
        "Bærekraft i nabolaget", "Bærekraft i hverdagen", "Bærekraft i politiske prosesser"]
    assert [f.name_nb for f in fw.FRAME_CONDITIONS] == [
        "Rettferdighet", "Kapasitetsbygging", "Rollefordeling", "Samskaping"]
    assert fw.get_core_element("everyday_life").name("en") == "Sustainability in everyday life"
    assert fw.get_frame_condition("Samskaping").code == "co_creation"


def test_dimension_descriptions_quote_the_guide(guide):
    for d in fw.DIMENSIONS:
        quote = _norm(d.description_nb).rstrip(".")
        assert quote in guide, d.code


def test_goal_descriptions_quote_the_guide(guide):
    for g in fw.GOALS:
        assert _norm(g.description_nb) in guide, g.code


def test_framework_names_appear_in_the_guide(guide):
    for item in (*fw.CORE_ELEMENTS, *fw.FRAME_CONDITIONS, *fw.GOALS):
        assert _norm(item.name_nb) in guide
    for d in fw.DIMENSIONS:
        assert _norm(d.name_nb) in guide


def test_every_theme_is_linked_with_a_rationale():
    assert list(fw.THEME_LINKS) == list(THEME_CODES)
    for code, link in fw.THEME_LINKS.items():
        assert link.dimension in fw.DIMENSION_CODES
        assert link.core_element in {c.code for c in fw.CORE_ELEMENTS}
        assert isinstance(link.dimension_judgement, bool)
        assert isinstance(link.core_element_judgement, bool)
        assert len(link.dimension_rationale) > 20 and len(link.core_element_rationale) > 20
        assert fw.dimension_of(code) == link.dimension
        assert fw.core_element_of(code) == link.core_element


def test_every_dimension_and_core_element_is_covered():
    by_themes = {fw.dimension_of(t) for t in THEME_CODES}
    # Stability has no Stedskompasset theme; the registry covers it with population turnover.
    assert set(fw.DIMENSION_CODES) - by_themes == {"stability"}
    assert uncovered_dimensions(REGISTRY) == ()
    assert {fw.core_element_of(t) for t in THEME_CODES} == {c.code for c in fw.CORE_ELEMENTS}
    assert fw.themes_of_dimension("stability") == ()


def test_links_that_follow_the_guide_literally():
    assert fw.dimension_of("public_transport") == "physical_infrastructure_transport"
    assert fw.dimension_of("Trygghet") == "safety_security"
    assert fw.dimension_of(11) == "pride_belonging"
    assert fw.dimension_of("social_interaction") == "social_networks"
    assert fw.dimension_of("influence_control") == "political_participation"
    assert fw.core_element_of("influence_control") == "political_processes"
    assert fw.core_element_of("identity_belonging") == "neighbourhood"
    assert fw.goal_of("feeling_safe") == "robustness"
    assert fw.goal_of("housing_community") == "justice"
    assert not fw.theme_link("facilities_services").dimension_judgement
    assert fw.theme_link("care_maintenance").dimension_judgement


def test_lookups_fail_with_a_fix():
    with pytest.raises(SoslokalError, match="Fix: use one of"):
        fw.get_dimension("happiness")
    with pytest.raises(SoslokalError):
        fw.dimension_of("no such theme")
    assert fw.get_dimension("Nærmiljøkvalitet").code == "environmental_quality"


def test_theme_table():
    nb = fw.theme_table()
    en = fw.theme_table("en")
    assert list(nb.index) == list(THEME_CODES)
    assert nb.loc["feeling_safe", "dimension_name"] == "Trygghet og sikkerhet"
    assert en.loc["feeling_safe", "goal_name"] == "Social robustness"
    assert nb["dimension_judgement"].dtype == bool
    assert re.search("sykkelruter", nb.loc["moving_around", "dimension_rationale"])
