"""Notebook 04 (register part) honours the source's suppression flags (issue 13, item 5).

The sample's levekår sheet (``data/sample/levekar_fjordvik.csv``) marks some grunnkrets figures
«:». Notebook 04 is run once with that sheet (``levekar``, as ``soslokal report`` passes it from
``[[levekar]]``) and ``data_dir`` set: the tables it saves and the values its Moran's I is
computed on must hold no figure for a neighbourhood that contains a flagged grunnkrets, nor for
a flagged grunnkrets. The flags are read here with pandas, without the library.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest
from _scan import notebook_kernel

from soslokal_lib.app.notebook_results import frame, load_results

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "data" / "sample" / "levekar_fjordvik.csv"
NOTEBOOK = ROOT / "notebooks" / "04_ulikhet.ipynb"
LOW_INCOME = "Vedvarende lavinntekt (%)"


@pytest.fixture(scope="module")
def flagged() -> dict[str, set[str]]:
    """Grunnkretser whose persistent-low-income figure the sheet marks «:», and their
    delområder (the first six digits + «00»)."""
    sheet = pd.read_csv(SHEET, sep=";", encoding="cp1252", dtype=str)
    sheet.columns = [c.replace("\ufffd", "–") for c in sheet.columns]
    column = next(c for c in sheet.columns if c.startswith("Vedvarende lavinntekt"))
    gk = set(sheet.loc[sheet[column].str.strip() == ":", "Grunnkrets"])
    assert gk, "the sample sheet has flagged low-income figures"
    return {"grunnkretser": gk, "areas": {g[:6] + "00" for g in gk}}


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    pm = pytest.importorskip("papermill")
    out = tmp_path_factory.mktemp("nb04_levekar")
    with pytest.MonkeyPatch.context() as mp:
        kernel = notebook_kernel(out, mp)
        pm.execute_notebook(
            str(NOTEBOOK), str(out / NOTEBOOK.name), kernel_name=kernel, cwd=str(NOTEBOOK.parent),
            progress_bar=False, log_output=False,
            parameters={"levekar": [{"path": str(SHEET)}], "n_boot": 99, "permutations": 99,
                        "data_dir": str(out / "data"), "results_path": str(out / "r.json")})
    executed = nbformat.read(out / NOTEBOOK.name, as_version=4)
    text = "\n".join(o.get("text", "") for c in executed.cells if c.cell_type == "code"
                     for o in c.outputs if o.get("output_type") == "stream")
    return {"data": out / "data", "results": load_results(out / "r.json"), "printed": text}


def test_saved_area_table_has_no_figure_behind_a_flag(run, flagged):
    table = pd.read_csv(run["data"] / "inequality_by_area.csv", encoding="utf-8-sig",
                        dtype={"area_id": str}).set_index("area_id")
    assert flagged["areas"] <= set(table.index)
    assert table.loc[sorted(flagged["areas"]), "low_income_pct"].isna().all()
    others = table.index.difference(sorted(flagged["areas"]))
    assert len(others) >= 5 and table.loc[others, "low_income_pct"].notna().any()


def test_the_notebook_says_what_it_hides(run):
    assert "Levekårstall som ikke vises:" in run["printed"]
    assert "kilden har prikket tallet for minst én grunnkrets i nabolaget" in run["printed"]


def test_grunnkrets_figures_behind_a_flag_are_not_used(run, flagged):
    moran = run["results"]["moran_grunnkrets"]
    used = set(moran["values"])
    assert used and not used & flagged["grunnkretser"]
    # the other grunnkretser of a flagged delområde go too (its figure would give them back)
    assert not {g for g in used if g[:6] + "00" in flagged["areas"]}
    by_area = frame(run["results"]["gradient_by_area"])
    assert by_area.loc[sorted(flagged["areas"]), "low_income_pct"].isna().all()
