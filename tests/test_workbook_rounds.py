"""The change sheet of ``tabeller.xlsx`` («Endring mellom rundene») reads in Norwegian: every
column has a header and an explanation of its own (a new user's trial found the raw names
``n_before``, ``mean_diff``, ``changed`` … and «Kolonne fra notatboken som lagde tabellen.»)."""

import openpyxl
import pandas as pd

from soslokal_lib.app.report import save_table
from soslokal_lib.app.workbook import column_spec, write_workbook
from soslokal_lib.stats.rounds import COLUMNS


def _change_table() -> pd.DataFrame:
    row = {"area_id": "01", "area_name": "Sentrum"}
    for col in COLUMNS:
        row[col] = 0.25
    row.update({"theme": "feeling_safe", "n_before": 20, "n_after": 25, "changed": True,
                "direction": "better", "suppressed": False, "suppression": None})
    hidden = {**row, "area_id": "02", "area_name": "Øyra", "changed": False, "direction": None,
              "suppressed": True, "suppression": "one_round"}
    return pd.DataFrame([row, hidden])


def test_every_change_column_has_a_norwegian_header_and_explanation(tmp_path):
    csv = save_table(_change_table(), "endring", tmp_path, min_n=5)
    path = write_workbook([csv], tmp_path / "tabeller.xlsx", min_n=5, source="Kilde: T")
    wb = openpyxl.load_workbook(path)
    ws = wb["Endring mellom rundene"]
    headers = [c.value for c in ws[1]]
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert len(headers) == len(table.columns)
    for raw, header in zip(table.columns, headers, strict=True):
        assert "_" not in header and header != raw, (raw, header)
    assert len(set(headers)) == len(headers), headers
    about = {r[1]: r[2] for r in wb["Om tabellene"].iter_rows(values_only=True)
             if r[0] == "Endring mellom rundene"}
    assert set(headers) <= set(about)
    for header, text in about.items():
        assert "notatboken som lagde" not in text, (header, text)
    assert "Antall svar, forrige runde" in headers and "Antall svar, siste runde" in headers
    assert "minus i den forrige" in about["Endring i andel lave"]
    assert "de andre nabolagene" not in about["Endring i andel lave"]
    values = dict(zip(headers, [c.value for c in ws[2]], strict=True))
    assert values["Retning"] == "bedre" and values["Tydelig endring"] == "ja"
    hidden = dict(zip(headers, [c.value for c in ws[3]], strict=True))
    assert hidden["Hvorfor skjult"] == "bare med i én runde"


def test_change_columns_in_english():
    for col in COLUMNS:
        kind, header, text = column_spec("endring", col, "en")
        assert "_" not in header and "notebook that made" not in text, (col, header, text)
    assert column_spec("endring", "mean_before", "en")[1] == "Mean, earlier round"
