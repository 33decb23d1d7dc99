"""A levekår sheet's label mapped to a built-in indicator: the messages name the valid ids
with their Norwegian names and the closest match first, so nobody has to read the code (a new
user's trial wrote ``"Lavinntekt (%)" = "low_income_pct"``, the register column, and was told
to «bruk en id fra soslokal_lib.indicators.REGISTRY»); the template's examples are valid ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from soslokal_lib._messages import tr
from soslokal_lib.app.config import TEMPLATE, load_config
from soslokal_lib.errors import ConfigError, DataSourceError
from soslokal_lib.indicator_registry import REGISTRY, sheet_suggestions
from soslokal_lib.indicators.levekar_data import read_levekar_data

SHEET = "Område;Innbyggere;Lavinntekt (%)\nNord;900;9,8\nSør;800;7,1\n"
IDS = [i.id for i in REGISTRY if i.column]


def _lists_every_id(text: str) -> None:
    for entry in REGISTRY:
        if entry.column:
            assert f'"{entry.id}" for «{entry.name_nb}»' in text, entry.id
    assert "REGISTRY" not in text and "soslokal_lib" not in text


def test_a_wrong_id_gets_the_closest_and_every_valid_id(tmp_path):
    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "c.toml").write_text(
        '[kommune]\nname = "X"\n[survey]\npath = "a.csv"\n[[levekar]]\npath = "a.csv"\n'
        '[levekar.indicators]\n"Lavinntekt (%)" = "low_income_pct"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "c.toml")
    text = err.value.describe("nb")
    assert "'low_income_pct'" in text
    assert 'mente du "persistent_low_income" for «Vedvarende lavinntekt»?' in text
    _lists_every_id(text)
    assert 'did you mean "persistent_low_income" for «Persistent low income»?' in \
        err.value.describe("en")


def test_an_unknown_label_gets_the_closest_and_every_valid_id(tmp_path):
    path = tmp_path / "levekar.csv"
    path.write_text(SHEET, encoding="utf-8")
    with pytest.raises(DataSourceError) as err:
        read_levekar_data([{"path": str(path), "id_column": "Område"}],
                          names={"Nord": "Nord", "Sør": "Sør"})
    text = tr(err.value.args[0], "nb")
    assert '"Lavinntekt (%)" = "<innebygd id>"' in text
    assert 'mente du "persistent_low_income" for «Vedvarende lavinntekt»?' in text
    _lists_every_id(text)


def test_the_suggestions():
    assert [i.id for i in sheet_suggestions("low_income_pct")] == ["persistent_low_income"]
    assert [i.id for i in sheet_suggestions("Trangbodde (%)")] == ["crowded_housing"]
    assert [i.id for i in sheet_suggestions("Valgdeltakelse")] == ["turnout"]
    assert [i.id for i in sheet_suggestions("lav_utdanning")] == ["low_education"]
    assert sheet_suggestions("Andel med bil (%)") == []


def test_the_templates_example_ids_are_valid(tmp_path):
    block = TEMPLATE.split("# [levekar.indicators]", 1)[1].split("\n\n", 1)[0]
    ids = re.findall(r'^#\s*"[^"]+"\s*=\s*"([^"]+)"', block, flags=re.M)
    assert ids and set(ids) <= set(IDS), ids
    # the [socio] comment names table columns, not indicator ids
    assert "indikatorer som low_income_pct" not in TEMPLATE
    # uncommented, the block is accepted
    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    lines = "\n".join(re.sub(r"^#\s?", "", ln) for ln in block.splitlines())
    (tmp_path / "c.toml").write_text(
        '[kommune]\nname = "X"\n[survey]\npath = "a.csv"\n[[levekar]]\npath = "a.csv"\n'
        f"[levekar.indicators]{lines}\n", encoding="utf-8")
    assert load_config(tmp_path / "c.toml").levekar[0].indicators
    assert Path(tmp_path / "c.toml").exists()
