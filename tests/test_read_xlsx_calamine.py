"""The XLSX reader on calamine gives the table the openpyxl reader gives, or hands over to it.

Each workbook is read both ways through ``read_table`` (the openpyxl path forced by making
the calamine path decline); header, cells, row numbers, ``meta`` and errors must be equal,
and the test says which workbooks calamine reads itself and which it leaves to openpyxl.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import openpyxl
import pytest
from openpyxl.styles import Font

from soslokal_lib.errors import SoslokalError
from soslokal_lib.io import _table, _xlsx

KNOWN = {"id", "område", "alder", "trygghet", "natur"}


def known(cell: str) -> bool:
    return cell.strip().casefold() in KNOWN


def _read(path, sheet=None, *, calamine: bool, monkeypatch):
    with monkeypatch.context() as m:
        if not calamine:
            m.setattr(_xlsx, "_read_xlsx_calamine", lambda *a: None)
        try:
            table = _table.read_table(path, sheet=sheet, is_header=known)
        except SoslokalError as exc:
            return {"error": str(exc)}
    return {"header": table.header, "cells": [c.values().tolist() for c in table.columns],
            "rows": table.rows.tolist(), "header_row": table.header_row,
            "meta": json.loads(json.dumps(table.meta, default=str))}


def _same(path, monkeypatch, sheet=None, *, by_calamine=True):
    got = _read(path, sheet, calamine=True, monkeypatch=monkeypatch)
    want = _read(path, sheet, calamine=False, monkeypatch=monkeypatch)
    assert got == want
    try:  # the calamine reader itself: a table, an error, or None (openpyxl reads it)
        used = _xlsx._read_xlsx_calamine(path, path.read_bytes(), sheet, known, SoslokalError)
    except SoslokalError:
        used = "error"
    assert (used is not None) == by_calamine
    return got


def _book(tmp_path, fill, name="svar.xlsx"):
    book = openpyxl.Workbook()
    fill(book)
    path = tmp_path / name
    book.save(path)
    return path


def test_offsets_titles_merges_numbers_text_and_trailing_blank_rows(tmp_path, monkeypatch):
    def fill(book):
        ws = book.active
        ws.title = "Svar"
        ws["C3"] = "Stedskompasset – eksport"
        ws.merge_cells("C3:F3")
        for j, h in enumerate(["ID", "Område", "Alder", " Trygghet ", "Natur", "Fritekst"]):
            ws.cell(row=5, column=3 + j, value=h)
        rows = [["R1", "Sentrum", "25–44", 1, "1", "  fin  "],
                ["R2", "Havna", "67+", 1.0, 7.5, None],
                [None, None, None, None, None, None],
                [3, "Åsen", "16–24", "Vet ikke", 2, 0.1 + 0.2],
                [4.0, "Åsen", dt.datetime(2024, 1, 5), dt.date(2024, 2, 1),
                 dt.datetime(2024, 1, 5, 13, 45, 12, 345678), dt.time(13, 45)],
                ["R6", 1e15, -0.0, dt.timedelta(days=1, hours=12), True, False]]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                ws.cell(row=6 + i, column=3 + j, value=v)
        ws.merge_cells("D8:E8")
        ws["J20"].font = Font(bold=True)  # formatted, empty: rows down to 20 in openpyxl
    got = _same(_book(tmp_path, fill), monkeypatch)
    assert got["header"][:6] == ["ID", "Område", "Alder", "Trygghet", "Natur", "Fritekst"]
    assert got["header_row"] == 5 and got["rows"] == [6, 7, 9, 10, 11]
    cells = dict(zip(got["header"], got["cells"], strict=True))
    assert cells["ID"] == ["R1", "R2", "3", "4", "R6"]
    assert cells["Trygghet"] == ["1", "1", "Vet ikke", "2024-02-01T00:00:00", "1 day, 12:00:00"]
    assert cells["Fritekst"][0] == "fin" and cells["Fritekst"][2] == "0.3"
    assert cells["Natur"][-1] == "TRUE" and cells["Område"][-1] == "1000000000000000"
    dropped = [c["row"] for c in got["meta"]["changes"] if c["action"] == "dropped"]
    assert dropped == [8, *range(12, 21)]


def test_sheet_by_name_index_and_auto_and_errors(tmp_path, monkeypatch):
    def fill(book):
        cover = book.active
        cover.title = "Forside"
        cover["A1"] = "Resultater"
        data = book.create_sheet("Svar")
        data.append(["id", "område", "trygghet"])
        data.append(["R1", "Sentrum", 4])
        book.create_sheet("Tom")
    path = _book(tmp_path, fill)
    assert _same(path, monkeypatch)["meta"]["sheet"] == "Svar"
    for sheet in ("svar ", 1, -2, "Forside", 0):
        _same(path, monkeypatch, sheet)
    for sheet in ("Tom", "Mangler", 7):
        assert "error" in _same(path, monkeypatch, sheet)


@pytest.mark.parametrize("case", ["error_cell", "huge_integer", "midnight_time"])
def test_what_calamine_cannot_read_is_read_by_openpyxl(case, tmp_path, monkeypatch):
    def fill(book):
        ws = book.active
        ws.append(["id", "område", "trygghet"])
        ws.append(["R1", "Sentrum", 4])
        cell = ws["C3"]
        if case == "error_cell":
            cell.value, cell.data_type = "#N/A", "e"
        elif case == "huge_integer":
            cell.value = 12345678901234567890
        else:
            cell.value, cell.number_format = 0.9999999999, "yyyy-mm-dd"
    got = _same(_book(tmp_path, fill), monkeypatch, by_calamine=False)
    want = {"error_cell": "#N/A", "midnight_time": "1900-01-01T00:00:00"}
    assert got["cells"][2][1] == want.get(case, got["cells"][2][1])  # (as openpyxl wrote it)


def test_not_a_workbook_gives_openpyxl_error(tmp_path, monkeypatch):
    path = tmp_path / "falsk.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert "Excel workbook" in _same(path, monkeypatch, by_calamine=False)["error"]


def test_random_workbooks(tmp_path, monkeypatch):
    rng = np.random.default_rng(3)
    pool = ["Sentrum", " Havna ", "", None, 1, 2.5, 7.0, "7", True, "Vet ikke",
            dt.datetime(2023, 3, 15, 6, 0), dt.date(2020, 1, 1), "  ", "=1+1"]
    for k in range(8):
        def fill(book, k=k):
            ws = book.active
            for _ in range(int(rng.integers(0, 3))):
                ws.append([])
            ws.append(["id", "område", "alder", "trygghet"][: 2 + k % 3])
            for i in range(int(rng.integers(0, 40))):
                ws.append([f"R{i}", *(pool[j] for j in rng.integers(len(pool), size=3))])
        _same(_book(tmp_path, fill, f"r{k}.xlsx"), monkeypatch)
