"""The «politisk verksted» in office formats (DOCX, PDF, figurer/) and its accessibility checks.

WCAG basics checked here: headings start at level 1 and never skip a level (1.3.1, 2.4.6) in
the HTML and the DOCX; every figure has alternative text (1.1.1: HTML ``alt``, DOCX ``descr``,
SVG ``<title>``); every text colour of the template's CSS and of the DOCX has a contrast ratio
of at least 4.5 against its background (1.4.3); no meaning by colour alone (1.4.1): the
register facts say «(gunstig)»/«(ugunstig)» next to the red and blue differences, the
gradient table marks clear gradients in bold (explained in its note), the compass draws the
kommune dashed, the heatmap prints the median in each cell.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from soslokal_lib.app import office, office_docx, verksted
from soslokal_lib.app.verksted.parts import PRINT_DPI, collect_figures
from soslokal_lib.io.inputs import load_inputs

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "soslokal_lib" / "app" / "verksted" / "templates" / "verksted.html.j2"
REQUIRED = bool(os.environ.get("SOSLOKAL_REQUIRE_BROWSER"))  # CI: print the PDF, never skip
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
PNG_1PX = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4"
           "z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, office.OfficeResult]:
    """The sample report (min_n 5) with its DOCX, PDF (when a browser is there) and figures."""
    folder = tmp_path_factory.mktemp("rapport")
    html = folder / "politisk_verksted.html"
    with collect_figures() as kept:
        verksted.write_verksted_report(html, load_inputs(), date=dt.date(2025, 5, 7), seed=1)
    assert kept  # every figure of the report went through parts.png
    return html, office.write_office(html, kept)


def _docx(path: Path):
    import docx

    return docx.Document(str(path))


# --------------------------------------------------------------------------- the sample report
def test_docx_has_the_html_headings_in_order_as_word_heading_styles(written):
    html, result = written
    doc = _docx(html.with_suffix(".docx"))
    assert html.with_suffix(".docx") in result.paths
    import lxml.html

    root = lxml.html.fromstring(html.read_text(encoding="utf-8"))
    expected = [(int(h.tag[1]), re.sub(r"\s", "", h.text_content()))
                for h in root.iter("h1", "h2", "h3")]
    got = [(int(p.style.name[-1]), p.text) for p in doc.paragraphs
           if p.style.name.startswith("Heading")]
    assert [(level, re.sub(r"\s", "", text)) for level, text in got] == expected
    texts = {text for _, text in got}
    # the report's own parts; the two goals where the report names them
    assert {"Politisk verksted", "Bekkeli", "Øyane", "Metode og personvern",
            "Slik leser du rapporten"} <= {t.replace("Syntetiske data – fiktiv kommune", "")
                                           .strip() for t in texts}
    body = html.read_text(encoding="utf-8").casefold()
    for goal in ("sosial rettferdighet", "sosial robusthet"):
        if f">{goal}" in body:  # a heading or paragraph of its own
            assert any(goal in t.casefold() for t in texts), goal
    levels, alts = office.docx_outline(doc)
    assert office.accessibility_problems(levels, alts) == []
    assert levels[0] == 1 and levels.count(2) >= 13  # title page parts, 12 areas, overview


def test_docx_tables_are_word_tables_with_a_header_row_and_alt_text(written):
    html, _ = written
    doc = _docx(html.with_suffix(".docx"))
    assert len(doc.tables) >= 13  # register facts of 12 neighbourhoods, the SII table, …
    facts = next(t for t in doc.tables if t.rows[0].cells[1].text == "Nabolaget")  # first area's
    assert [c.text for c in facts.rows[0].cells] == ["", "Nabolaget", "Kommunen", "Forskjell"]
    assert facts.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    row = [c.text for c in facts.rows[1].cells]
    assert row == ["Medianinntekt for husholdninger", "604 800 kr", "554 000 kr",
                   "▲ +9 % (gunstig)"]
    assert 'w:tblCaption w:val="Nøkkeltall"' in facts._tbl.xml
    sii = next(t for t in doc.tables if t.rows[0].cells[0].text == "Tema")
    assert [c.text for c in sii.rows[0].cells][:2] == ["Tema", "SII (prosentpoeng)"]
    assert len(sii.rows) == 15  # header and 14 themes


def test_docx_images_have_the_html_alt_text_as_description(written):
    html, _ = written
    doc = _docx(html.with_suffix(".docx"))
    alts = [alt for _, alt in office.html_images(html.read_text(encoding="utf-8"))]
    _, described = office.docx_outline(doc)
    assert described == alts and len(alts) >= 16  # 12 compasses, heatmap, map, ranks, gradient
    assert described[0] == "Stedskompasset for Bekkeli sammenlignet med hele kommunen"
    assert all(alt.strip() for alt in described)
    assert doc.core_properties.language == "nb-NO"
    assert 'w:val="nb-NO"' in doc.styles["Normal"].element.xml
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_every_figure_as_png_and_svg_with_its_alt_text(written):
    html, result = written
    folder = html.parent / "figurer"
    images = office.html_images(html.read_text(encoding="utf-8"))
    pngs, svgs = sorted(folder.glob("*.png")), sorted(folder.glob("*.svg"))
    assert len(pngs) == len(svgs) == len(images) >= 16
    assert [p.stem for p in pngs] == [s.stem for s in svgs]
    assert pngs[0].name == "01_stedskompasset_for_bekkeli.png"
    assert pngs[12].name == "13_median_per_tema_og_nabolag.png"
    assert set(pngs + svgs) <= set(result.paths)
    from PIL import Image

    with Image.open(pngs[0]) as image:
        assert round(image.info["dpi"][0]) == PRINT_DPI and image.width > 900
    for svg, (_, alt) in zip(svgs, images, strict=True):
        text = svg.read_text(encoding="utf-8")
        assert f"<title>{alt}</title>" in text and 'role="img"' in text


def test_a_second_run_replaces_the_figures(written, tmp_path):
    html, _ = written
    copy = tmp_path / "v.html"
    shutil.copy(html, copy)
    (tmp_path / "figurer").mkdir()
    (tmp_path / "figurer" / "99_gammel_figur.png").write_bytes(b"old")
    (tmp_path / "figurer" / "egen_notat.txt").write_text("mine", encoding="utf-8")
    office.write_figures(copy.read_text(encoding="utf-8"), {}, tmp_path / "figurer")
    names = sorted(p.name for p in (tmp_path / "figurer").iterdir())
    assert "99_gammel_figur.png" not in names and "egen_notat.txt" in names
    images = office.html_images(copy.read_text(encoding="utf-8"))
    assert len([n for n in names if n.endswith(".png")]) == len(images)  # inline PNGs only
    assert not [n for n in names if n.endswith(".svg")]


@pytest.mark.skipif(not REQUIRED and not (office.find_browser() and POPPLER),
                    reason="needs Chromium, Chrome or Edge and poppler-utils (pdftotext)")
def test_pdf_has_a_page_per_neighbourhood_and_extractable_text(written):
    html, result = written
    pdf = html.with_suffix(".pdf")
    assert result.notes == [] and pdf in result.paths
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert pages >= 1 + 12 + 3  # title, 12 neighbourhoods, overview, index, gradient, methods
    assert re.search(r"Page size:.*\(A4\)", info.stdout)
    assert re.search(r"Tagged:\s+yes", info.stdout)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Fjordvik" in text and "Politisk verksted" in text
    for name in ("Bekkeli", "Vestre Strand", "Øyane", "Metode og personvern"):
        assert name in text, name
    assert not list(html.parent.glob(".*"))  # no temporary file left
    # each neighbourhood on two pages: its figures, then a page that opens with what residents
    # say and ends with room for notes (not a page holding only what spilled over)
    firsts = [page.strip().splitlines()[0] if page.strip() else "" for page in text.split("\f")]
    for name in ("Bekkeli", "Havna", "Vestre Strand", "Øyane"):
        at = next(i for i, first in enumerate(firsts) if first.startswith(name))
        assert firsts[at + 1].strip() == "INNBYGGERNE SIER", (name, firsts[at:at + 3])
        assert "NOTATER FRA VERKSTEDET" in text.split("\f")[at + 1]
        assert not firsts[at + 2].startswith(("INNBYGGERNE", "PÅ DE TO", "SPØRSMÅL")), name


# --------------------------------------------------------------------------- engines missing
def test_missing_engines_give_notes_in_both_languages_and_keep_the_html(written, tmp_path,
                                                                        monkeypatch):
    html, _ = written
    copy = tmp_path / "politisk_verksted.html"
    shutil.copy(html, copy)
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx → ImportError
    monkeypatch.setenv(office.BROWSER_ENV, str(tmp_path / "finnes-ikke"))
    result = office.write_office(copy)
    assert [p.suffix for p in result.paths] == [".png"] * len(office.html_images(
        copy.read_text(encoding="utf-8")))
    assert copy.is_file() and not copy.with_suffix(".docx").exists()
    assert not copy.with_suffix(".pdf").exists()
    nb = [note.render("nb") for note in result.notes]
    assert nb[0].startswith("politisk_verksted.docx ble ikke skrevet: python-docx er ikke "
                            "installert")
    assert nb[1].startswith("politisk_verksted.pdf ble ikke skrevet: fant ingen Chromium")
    assert "HTML-rapporten ble skrevet" in nb[1]
    assert str(result.notes[1]).startswith("politisk_verksted.pdf not written: found no")


def test_a_failing_browser_is_a_note_and_leaves_no_file(tmp_path):
    page = tmp_path / "v.html"
    page.write_text("<html><body><h1>x</h1></body></html>", encoding="utf-8")
    fake = tmp_path / "fake-browser"
    fake.write_text("#!/bin/sh\necho 'ERROR: no display' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    result = office.write_office(page, docx=False, browser=fake)
    assert result.paths == []
    assert str(result.notes[0]) == ("v.pdf not written: fake-browser could not print it (exit "
                                     "code 3: ERROR: no display). The HTML report was written "
                                     "and prints to PDF from any browser.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake-browser", "figurer", "v.html"]


# --------------------------------------------------------------------------- the converter
SMALL = f"""<!DOCTYPE html><html lang="nb"><head><title>Tittel</title>
<style>h1 {{ color: red }}</style></head><body>
<section class="title-page"><h1>Rapport <span class="tag">Syntetisk</span></h1>
<div class="subtitle">Under   tittel</div>
<h2>Liste</h2><ol><li><span class="name">Trygghet</span><span class="stat">median 4</span></li>
<li>to</li></ol><ul><li>punkt <strong>fet</strong> og <em>kursiv</em></li></ul></section>
<section class="sheet"><h2>Side to</h2><p class="note">Liten   tekst<br>ny linje</p>
<figure><img src="{PNG_1PX}" alt="Et  bilde"><figcaption>Bildetekst</figcaption></figure>
<table><caption>Tabell A</caption><thead><tr><th></th><th class="num">Verdi</th></tr></thead>
<tbody><tr class="sii-clear"><td>a</td><td class="num bad">▼ 1 <span class="tone">(ugunstig)</span></td></tr>
</tbody></table>
<blockquote><p>«sitat»</p><footer>Tema · Bra nå</footer></blockquote>
<div>løs tekst <a href="#x">lenke</a> etter<!-- kommentar --></div></section></body></html>"""


def test_converter_maps_each_element_to_its_word_counterpart():
    doc = office_docx.html_to_docx(SMALL, lang="en")
    pars = [(p.style.name, p.text) for p in doc.paragraphs]
    assert pars == [
        ("Heading 1", "Rapport Syntetisk"), ("Normal", "Under tittel"),
        ("Heading 2", "Liste"), ("List Paragraph", "1. Trygghet\nmedian 4"),
        ("List Paragraph", "2. to"), ("List Bullet", "punkt fet og kursiv"),
        ("Heading 2", "Side to"), ("Normal", "Liten tekst\nny linje"), ("Normal", ""),
        ("Caption", "Bildetekst"), ("Caption", "Tabell A"), ("Normal", ""),
        ("Quote", "«sitat»"), ("Normal", "Tema · Bra nå"), ("Normal", "løs tekst lenke etter")]
    side_two = doc.paragraphs[6]
    assert side_two.paragraph_format.page_break_before  # a .sheet starts a new page
    assert not doc.paragraphs[2].paragraph_format.page_break_before
    bullet = doc.paragraphs[5].runs
    assert [(r.text, r.bold, r.italic) for r in bullet] == [
        ("punkt ", None, None), ("fet", True, None), (" og ", None, None),
        ("kursiv", None, True)]
    tag = doc.paragraphs[0].runs[-1]
    assert tag.text == "Syntetisk" and tag.bold and str(tag.font.color.rgb) == office_docx.WARN
    table = doc.tables[0]
    assert [[c.text for c in r.cells] for r in table.rows] == [["", "Verdi"],
                                                               ["a", "▼ 1 (ugunstig)"]]
    cell = table.cell(1, 1).paragraphs[0]
    assert cell.alignment == 2 and all(r.bold for r in cell.runs)  # right, bold row
    assert str(cell.runs[0].font.color.rgb) == office_docx.BAD
    assert 'w:tblCaption w:val="Tabell A"' in table._tbl.xml
    assert office.docx_outline(doc) == ([1, 2, 2], ["Et bilde"])
    assert doc.core_properties.title == "Tittel" and doc.core_properties.language == "en-GB"


def test_accessibility_problems_find_skipped_levels_and_missing_alt_text():
    assert office.accessibility_problems([1, 2, 3, 2, 3, 3, 1, 2], ["a"]) == []
    assert office.accessibility_problems([2, 3], []) == ["heading 1 is level 2 after level 0"]
    assert office.accessibility_problems([1, 3], [None, " ", "ok"]) == [
        "heading 2 is level 3 after level 1", "2 image(s) without alternative text"]
    bad = '<html><body><h1>a</h1><h3>b</h3><img src="x.png"></body></html>'
    assert office.html_headings(bad) == [1, 3] and office.html_images(bad) == [("x.png", None)]


def test_write_office_refuses_an_html_without_alt_text(tmp_path):
    from soslokal_lib.errors import SoslokalError

    page = tmp_path / "v.html"
    page.write_text(f'<html><body><h1>x</h1><img src="{PNG_1PX}"></body></html>',
                    encoding="utf-8")
    with pytest.raises(SoslokalError, match="1 image.s. without alternative text"):
        office.write_office(page, pdf=False)


def test_slug_cuts_at_a_word_and_spells_out_norwegian_letters():
    assert office.slug("Stedskompasset for Vestre Strand sammenlignet med hele kommunen") == \
        "stedskompasset_for_vestre_strand"
    # trial kommune: «Storvåg sentrum» was cut to «storvag» at 32 characters, which looked
    # like the kommune's own figure; merged, «… og Kvalholmen» was cut to «…_og» at 40
    assert office.slug("Stedskompasset for Storvåg sentrum sammenlignet med Storvåg") == \
        "stedskompasset_for_storvag_sentrum"
    assert office.slug("Stedskompasset for Storvåg sentrum og Kvalholmen sammenlignet med "
                       "Storvåg") == "stedskompasset_for_storvag_sentrum_og_kvalholmen"
    assert office.slug("Sosial gradient: lave skårer, Øyane og Ærfugl på Åsen, Nordre Vika") == \
        "sosial_gradient_lave_skarer_oyane_og_aerfugl_pa_asen_nordre"  # «vika» passes 60
    assert office.slug("Øyane og Ærfugl på Åsen") == "oyane_og_aerfugl_pa_asen"
    assert office.slug("") == "figur" and office.slug("x" * 80) == "x" * 60


# --------------------------------------------------------------------------- contrast
def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _css_pairs(css: str) -> list[tuple[str, str, str]]:
    """(selector, text colour, background) of every rule that sets a text colour; the
    background is the rule's own, else white (every part sits on a white sheet)."""
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", css))

    def value(text: str) -> str:
        var = re.fullmatch(r"var\(--([\w-]+)\)", text.strip())
        return variables[var.group(1)] if var else text.strip()

    pairs = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        colour = re.search(r"(?<![-\w])color:\s*([^;]+)", body)
        if not colour or "inherit" in colour.group(1):
            continue
        background = re.search(r"background(?:-color)?:\s*([^;]+)", body)
        pairs.append((" ".join(selector.split()), value(colour.group(1)),
                      value(background.group(1)) if background else "#fff"))
    return pairs


def test_contrast_rules():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the usual grey at the limit
    assert _css_pairs(":root { --a: #123456; } p { color: var(--a); } b { color: #fff; "
                      "background: #000; }") == [("p", "#123456", "#fff"), ("b", "#fff", "#000")]


def test_every_text_colour_of_the_template_has_contrast_of_at_least_4_5():
    css = re.search(r"<style>(.*?)</style>", TEMPLATE.read_text(encoding="utf-8"), re.S).group(1)
    pairs = _css_pairs(css)
    selectors = {s for s, _, _ in pairs}
    assert {"body", "h1", "h2", ".banner", ".tag", ".good", ".bad", ".neutral",
            "figcaption, .note", ".too-few"} <= selectors
    ratios = {s: round(contrast(fg, bg), 2) for s, fg, bg in pairs}
    assert min(ratios.values()) >= 4.5, ratios
    # muted notes on the light grey box and the warning colours on their background too
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", css))
    assert contrast(variables["muted"], "#f6f6f6") >= 4.5
    assert contrast(variables["warn"], variables["warn-bg"]) >= 4.5


def test_every_docx_colour_has_contrast_of_at_least_4_5_on_white():
    colours = {office_docx.ACCENT, office_docx.MUTED, office_docx.INK, office_docx.BAD,
               office_docx.WARN} | {f["colour"] for f in office_docx.CLASS_FORMAT.values()
                                    if "colour" in f}
    assert min(round(contrast(c, "fff"), 2) for c in colours) >= 4.5
    doc = office_docx.html_to_docx(SMALL)
    for level in (1, 2, 3):  # python-docx's default heading blue (4F81BD) is 3.9:1
        rgb = str(doc.styles[f"Heading {level}"].font.color.rgb)
        assert contrast(rgb, "fff") >= 4.5, (level, rgb)


# --------------------------------------------------------------------------- soslokal report
def test_report_without_a_browser_writes_html_docx_and_figures_and_says_why_no_pdf(
        tmp_path, capsys, monkeypatch):
    from soslokal_lib.app.cli import main

    folder = tmp_path / "mini"
    shutil.copytree(ROOT / "tests" / "fixtures" / "minikommune", folder)
    notebook = tmp_path / "09_tom.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
                        encoding="utf-8")
    monkeypatch.setenv(office.BROWSER_ENV, str(tmp_path / "ingen-nettleser"))
    out_dir = tmp_path / "rapport"
    code = main(["report", str(folder / "minikommune.toml"), "--out", str(out_dir), "--quiet",
                 "--notebook", str(notebook)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "politisk_verksted.pdf ble ikke skrevet: fant ingen Chromium" in err
    lines = out.splitlines()
    verksted_html = str(out_dir / "politisk_verksted.html")
    docx_path = out_dir / "politisk_verksted.docx"
    assert lines.index(str(docx_path)) > lines.index(verksted_html)
    assert not (out_dir / "politisk_verksted.pdf").exists()
    figures = sorted(p.name for p in (out_dir / "figurer").iterdir())
    assert figures and all(str(out_dir / "figurer" / f) in lines for f in figures)
    assert {f.rsplit(".", 1)[1] for f in figures} == {"png", "svg"}
    doc = _docx(docx_path)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Søndre" in headings and "Minikommune" in " ".join(p.text for p in doc.paragraphs)
    assert office.accessibility_problems(*office.docx_outline(doc)) == []
