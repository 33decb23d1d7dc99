"""A Bylab brief as a Word document (python-docx, only when it is installed): real headings,
tables as Word tables, the compass with alt text. Content as :mod:`soslokal_lib.app.bylab`."""

from __future__ import annotations

import io
from pathlib import Path

from soslokal_lib._files import atomic_path


def write_docx(brief: dict, path: Path) -> Path:
    """Write ``brief`` (:func:`soslokal_lib.app.bylab.build_briefs`) to ``path``."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.core_properties.title = f"Bylab: {brief['name']}"
    doc.core_properties.language = "nb-NO"
    doc.add_heading(f"Bylab: {brief['name']}", level=1)
    doc.add_paragraph(f"{brief['kommune']} · {brief['n']} svar i Stedskompasset.")
    if brief["synthetic"]:
        doc.add_paragraph("Eksempelkommunen er oppdiktet: alle tall er syntetiske.")
    doc.add_heading(f"Stedskompasset mot {brief['kommune']}", level=2)
    if brief["status"] == "ok":
        doc.add_picture(io.BytesIO(brief["compass"]), width=Cm(14))
        doc.inline_shapes[-1]._inline.docPr.set("descr", brief["compass_alt"])
        doc.add_paragraph(brief["compass_alt"])
        if brief["groups"]:
            doc.add_paragraph(brief["groups"])
    else:
        doc.add_paragraph(brief["note"])
    if brief["improve"]:
        doc.add_heading("Det som mest kan bli bedre", level=2)
        for t in brief["improve"]:
            doc.add_heading(t["theme"], level=3)
            doc.add_paragraph(f"Median {t['median']} ({brief['kommune']}: {t['kommune']}); "
                              f"{t['share_low']} % ga lav skår.")
            for q in t["quotes"]:
                doc.add_paragraph(f"«{q}»", style="Quote")
    doc.add_heading("Hvem svarte, og hvem mangler?", level=2)
    who = brief["who"]
    if who["rows"]:
        _table(doc, ["Gruppe", "", "Svar", "Andel av svarene", "Andel av befolkningen",
                     "Vurdering"],
               [[r["variable"], r["level"], r["n"], r["sample"], r["population"], r["flag"]]
                for r in who["rows"]])
        if who["missing"]:
            doc.add_paragraph(f"Færre svar enn i befolkningen: {who['missing']}.")
    else:
        doc.add_paragraph("For få svar til å vise hvem som svarte.")
    if brief["facts"]:
        doc.add_heading("Fakta fra registrene", level=2)
        _table(doc, ["Fakta", brief["name"], brief.get("facts_reference") or brief["kommune"]],
               [[f["label"], f["value"], f["kommune"]] for f in brief["facts"]])
        if brief.get("facts_note"):
            doc.add_paragraph(brief["facts_note"])
    if brief["actions"]:
        doc.add_heading("Tiltak i loggen", level=2)
        for item in brief["actions"]:
            doc.add_heading(item["theme"], level=3)
            if item["change"]:
                doc.add_paragraph(f"Endring i temaet: {item['change']}")
            _table(doc, ["Tiltak", "Ansvar", "Frist", "Status", "Kilde"],
                   [[a["action"], a["responsible"], a["deadline"], a["status"], a["source"]]
                    for a in item["actions"]])
    doc.add_heading("Aktører og ressurser (fylles ut på Bylab)", level=2)
    _table(doc, brief["stakeholders"],
           [[""] * len(brief["stakeholders"])] * brief["stakeholder_rows"])
    with atomic_path(path) as tmp:
        doc.save(tmp)
    return path


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)
