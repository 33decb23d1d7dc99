"""The «politisk verksted» report as a Word document, converted from its own HTML.

Why from the HTML and not from the template's context: the template is the one place that
decides what the report shows and in which order, and the report grows (new sections come as
new template blocks and context keys). A second layout built from the context would have to
follow every such change by hand and would silently leave new sections out; a converter
carries them over. The HTML is semantic and small in vocabulary (``h1``–``h3``, ``p``,
``ul``/``ol``, ``table`` with ``thead``, ``figure`` with ``img alt`` and ``figcaption``,
``blockquote``), so the converter maps each element to its Word counterpart:

* headings to the styles *Heading 1–3* (Word's navigation pane and screen readers use them);
* tables to Word tables, the header row marked to repeat and be read as a header, the caption
  (or the heading above) as the table's alternative text;
* images to inline pictures with the HTML ``alt`` as their description (``docPr descr``);
* each ``section.sheet`` starts a new page, as it does in print.

Unknown elements are read for their text, so nothing the HTML shows is lost. Colours are the
template's (:data:`ACCENT`, :data:`MUTED`, …), all with contrast ≥ 4.5 against white
(``tests/test_office.py``). python-docx (and its lxml) are imported inside :func:`html_to_docx`.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Mapping
from typing import Any

#: Text colours (the template's ``--accent``, ``--muted``, ``--ink``, ``--bad``, ``--warn``).
ACCENT, MUTED, INK, BAD, WARN = "1B6A8A", "5B6770", "1F2A30", "B2182B", "8A5A00"
#: Width of the text on A4 with 15 mm margins, in inches, and how much of a figure's drawn
#: size it gets (the HTML shows the 5.5 in compass 96 mm wide).
TEXT_WIDTH = (210 - 2 * 15) / 25.4
FIGURE_SCALE = 0.7
LANGUAGE = {"nb": "nb-NO", "en": "en-GB"}

HEADINGS = {f"h{i}": i for i in range(1, 7)}
INLINE = {"a", "span", "strong", "b", "em", "i", "br", "small", "code", "abbr", "sup", "sub"}
#: class → run format: small grey notes, the theme name (bold, then a line break), the
#: «synthetic data» tag, the tone of a difference.
CLASS_FORMAT: dict[str, dict[str, Any]] = {
    "note": {"size": 9, "colour": MUTED}, "stat": {"size": 9.5, "colour": MUTED},
    "n": {"size": 9, "colour": MUTED}, "meta": {"size": 9.5, "colour": MUTED},
    "counts": {"colour": MUTED}, "subtitle": {"size": 14, "colour": MUTED},
    "name": {"bold": True, "break": True},
    "tag": {"bold": True, "size": 8, "colour": WARN, "gap": True},
    "banner": {"colour": "4A3200"},
    "good": {"colour": ACCENT}, "bad": {"colour": BAD}, "neutral": {"colour": MUTED},
    "missing": {"italic": True, "colour": MUTED}, "sii-clear": {"bold": True},
}


def html_to_docx(html: str, images: Mapping[str, bytes] | None = None, *,
                 lang: str = "nb") -> Any:
    """A :class:`docx.document.Document` with the content of ``html`` (see the module doc).

    ``images``: PNG bytes by ``img src`` (a print resolution of the inline figures); an image
    not in it is taken from its ``data:`` URI.
    """
    import docx
    import lxml.html

    root = lxml.html.fromstring(html)
    doc = docx.Document()
    _setup(doc, lang, (root.findtext(".//title") or "").strip())
    body = root.find("body")
    _Writer(doc, images or {}).container(body if body is not None else root)
    return doc


def _setup(doc: Any, lang: str, title: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(15)
        section.top_margin = section.bottom_margin = Mm(15)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = RGBColor.from_string(INK)
    rpr = normal.element.get_or_add_rPr()
    mark = OxmlElement("w:lang")  # screen readers and spelling read the text as bokmål
    mark.set(qn("w:val"), LANGUAGE.get(lang, "nb-NO"))
    rpr.append(mark)
    sizes = {1: 24, 2: 16, 3: 11}
    for level, size in sizes.items():
        font = doc.styles[f"Heading {level}"].font
        font.size = Pt(size)
        font.color.rgb = RGBColor.from_string(MUTED if level == 3 else ACCENT)
    for name in ("Caption", "Quote"):
        doc.styles[name].font.color.rgb = RGBColor.from_string(MUTED if name == "Caption"
                                                               else INK)
    props = doc.core_properties
    props.title, props.language, props.author = title, LANGUAGE.get(lang, "nb-NO"), "soslokal"


def _classes(el: Any) -> list[str]:
    return (el.get("class") or "").split()


def _fmt(el: Any, fmt: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in fmt.items() if k not in ("break", "gap")}
    if el.tag in ("strong", "b", "th"):
        out["bold"] = True
    if el.tag in ("em", "i"):
        out["italic"] = True
    for cls in _classes(el):
        out.update(CLASS_FORMAT.get(cls, {}))
    return out


class _Writer:
    """Walks the HTML body and appends to the document."""

    def __init__(self, doc: Any, images: Mapping[str, bytes]) -> None:
        self.doc = doc
        self.images = images
        self.new_page = False
        self.last_heading = ""

    # ------------------------------------------------------------------ blocks
    def paragraph(self, style: str | None = None, container: Any = None) -> Any:
        par = (container or self.doc).add_paragraph(style=style)
        if self.new_page and container is None:
            par.paragraph_format.page_break_before = True
            self.new_page = False
        return par

    def container(self, el: Any, fmt: Mapping[str, Any] | None = None) -> None:
        """Block children in order; runs of text and inline children between them become a
        paragraph (an element with text only is one paragraph)."""
        fmt = _fmt(el, fmt or {})
        pending: list[Any] = [el.text] if el.text else []
        for child in el:
            if not isinstance(child.tag, str):  # comments
                if child.tail:
                    pending.append(child.tail)
                continue
            if child.tag in INLINE:
                pending.append(child)
            else:
                self.inline_paragraph(pending, fmt)
                pending = []
                self.block(child, fmt)
            if child.tail:
                pending.append(child.tail)
        self.inline_paragraph(pending, fmt)

    def inline_paragraph(self, pieces: list[Any], fmt: Mapping[str, Any],
                         style: str | None = None) -> None:
        runs = _runs(pieces, fmt)
        if runs:
            _add_runs(self.paragraph(style), runs)

    def block(self, el: Any, fmt: Mapping[str, Any]) -> None:
        tag = el.tag
        if tag in ("script", "style", "head", "template"):
            return
        if tag == "section" and "sheet" in _classes(el) and len(self.doc.paragraphs) > 0:
            self.new_page = True
        if tag in HEADINGS:
            par = self.paragraph(f"Heading {HEADINGS[tag]}")
            runs = _runs([el], {})
            _add_runs(par, runs)
            self.last_heading = "".join(r[0] for r in runs).strip()
        elif tag == "p":
            self.inline_paragraph([el], fmt)
        elif tag in ("ul", "ol"):
            self.listing(el, fmt, ordered=tag == "ol")
        elif tag == "table":
            self.table(el, fmt)
        elif tag == "img":
            self.picture(el)
        elif tag == "figure":
            for child in el:
                if child.tag == "img":
                    self.picture(child)
                elif child.tag == "figcaption":
                    self.inline_paragraph([child], {}, style="Caption")
                elif isinstance(child.tag, str):
                    self.block(child, fmt)
        elif tag == "blockquote":
            for child in el:
                if child.tag == "footer":
                    self.inline_paragraph([child], _fmt(child, {**fmt, **CLASS_FORMAT["note"]}))
                elif isinstance(child.tag, str):
                    self.inline_paragraph([child], {}, style="Quote")
        else:  # section, div, header, footer, …: their content
            self.container(el, fmt)

    def listing(self, el: Any, fmt: Mapping[str, Any], ordered: bool) -> None:
        # Word's «List Number» would go on counting across lists: ordered lists get their
        # numbers as text
        items = [li for li in el if li.tag == "li"]
        for number, li in enumerate(items, start=1):
            pieces: list[Any] = [f"{number}. "] if ordered else []
            runs = _runs([*pieces, li], fmt)
            if runs:
                _add_runs(self.paragraph("List Paragraph" if ordered else "List Bullet"), runs)

    def table(self, el: Any, fmt: Mapping[str, Any]) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        caption = el.find("caption")
        if caption is not None:
            self.inline_paragraph([caption], {}, style="Caption")
        rows = [tr for tr in el.iter("tr")]
        if not rows:
            return
        width = max(len([c for c in tr if c.tag in ("td", "th")]) for tr in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = self.doc.styles["Table Grid"]
        for r, tr in enumerate(rows):
            cells = [c for c in tr if c.tag in ("td", "th")]
            header = all(c.tag == "th" for c in cells)
            if header:
                _mark_header(table.rows[r])
            for c, cell in enumerate(cells):
                par = table.cell(r, c).paragraphs[0]
                _add_runs(par, _runs([cell], _fmt(tr, fmt)), size=9)
                if "num" in _classes(cell):
                    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        label = (caption.text_content() if caption is not None else self.last_heading)
        _describe_table(table, " ".join(label.split()))
        self.paragraph()  # Word joins adjacent tables: keep a paragraph after each

    def picture(self, el: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Inches
        from PIL import Image

        src = el.get("src") or ""
        data = self.images.get(src) or _from_data_uri(src)
        if data is None:
            return
        with Image.open(io.BytesIO(data)) as image:
            dpi = float((image.info.get("dpi") or (110, 110))[0]) or 110.0
            width = min(image.width / dpi * FIGURE_SCALE, TEXT_WIDTH)
        par = self.paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = par.add_run().add_picture(io.BytesIO(data), width=Inches(width))
        alt = " ".join((el.get("alt") or "").split())
        shape._inline.docPr.set("descr", alt)
        shape._inline.docPr.set("title", alt)


# ---------------------------------------------------------------------- runs
def _runs(pieces: list[Any], fmt: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(text, format) runs of strings and elements, whitespace collapsed as a browser does."""
    out: list[tuple[str, dict[str, Any]]] = []

    def walk(node: Any, f: Mapping[str, Any]) -> None:
        if node.tag == "br":
            out.append(("\n", dict(f)))
            return
        if node.tag == "img":  # an inline image: its alternative text
            out.append((node.get("alt") or "", dict(f)))
            return
        inner = _fmt(node, f)
        if any(CLASS_FORMAT.get(c, {}).get("gap") for c in _classes(node)):
            out.append((" ", inner))
        if node.text:
            out.append((node.text, inner))
        for child in node:
            if isinstance(child.tag, str):
                walk(child, inner)
            if child.tail:
                out.append((child.tail, inner))
        parent = node.getparent()
        if any(CLASS_FORMAT.get(c, {}).get("break") for c in _classes(node)) or (
                node.tag == "strong" and parent is not None and "banner" in _classes(parent)):
            out.append(("\n", inner))  # shown as a block in the HTML

    for piece in pieces:
        if isinstance(piece, str):
            out.append((piece, dict(fmt)))
        else:
            walk(piece, fmt)
    merged: list[tuple[str, dict[str, Any]]] = []
    space = True  # at the start of the paragraph
    for text, f in out:
        if text == "\n":
            if merged:
                merged.append(("\n", f))
            space = True
            continue
        text = re.sub(r"\s+", " ", text)
        if space:
            text = text.lstrip(" ")
        if not text:
            continue
        space = text.endswith(" ")
        if merged and merged[-1][1] == f and merged[-1][0] != "\n":
            merged[-1] = (merged[-1][0] + text, f)
        else:
            merged.append((text, f))
    while merged and (merged[-1][0] == "\n" or not merged[-1][0].strip()):
        merged.pop()
    if merged:
        merged[-1] = (merged[-1][0].rstrip(), merged[-1][1])
    return merged


def _add_runs(par: Any, runs: list[tuple[str, dict[str, Any]]], size: float | None = None
              ) -> None:
    from docx.shared import Pt, RGBColor

    for text, f in runs:
        run = par.add_run()
        if text == "\n":
            run.add_break()
            continue
        run.text = text
        run.bold = f.get("bold") or None
        run.italic = f.get("italic") or None
        if f.get("size") or size:
            run.font.size = Pt(min(f.get("size") or size, size or 99))
        if f.get("colour"):
            run.font.color.rgb = RGBColor.from_string(f["colour"])


def _mark_header(row: Any) -> None:
    """A header row: repeated on every page and read as the column headers."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def _describe_table(table: Any, label: str) -> None:
    """The table's alternative text (Word: Table Properties → Alt Text)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not label:
        return
    props = table._tbl.tblPr
    for tag in ("w:tblCaption", "w:tblDescription"):
        node = OxmlElement(tag)
        node.set(qn("w:val"), label)
        props.append(node)


def _from_data_uri(src: str) -> bytes | None:
    head, _, data = src.partition(",")
    if not head.startswith("data:image/") or ";base64" not in head:
        return None
    return base64.b64decode(data)
