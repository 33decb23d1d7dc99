"""The «politisk verksted» report in office formats: Word, PDF and its figures as files.

Saksframlegg and the politicians' meeting portals run on Word and PDF, so next to
``politisk_verksted.html`` :func:`write_office` writes

* ``politisk_verksted.docx``, converted from the HTML (:mod:`soslokal_lib.app.office_docx`);
* ``politisk_verksted.pdf``, the HTML printed by a headless Chromium, Chrome or Edge
  (:func:`find_browser`);
* ``figurer/NN_<alt text>.png`` and ``.svg``: every figure of the report, in document order,
  the SVG with the alternative text as its ``<title>``.

Why a browser for the PDF and not WeasyPrint: the template is written for the browser's print
(CSS grid, ``print-color-adjust``, A4 ``@page``) and the PDF is then what a reader gets from
«Print» in Chromium, tagged and with an outline of the headings (tagged PDF helps screen
readers); it needs no Python package with native libraries (WeasyPrint needs Pango), it works
offline, CI installs Debian's chromium for the browser tests anyway, and every Windows machine
has Edge. Without any of them, or when python-docx is missing, the report says so in a note and
the HTML is written all the same.

Accessibility checks (:func:`accessibility_problems`): every figure has alternative text and
headings never skip a level, in the HTML and in the DOCX; ``tests/test_office.py`` also checks
the template's colour contrast.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from soslokal_lib._files import atomic_path, write_atomic
from soslokal_lib._messages import Text, msg
from soslokal_lib.errors import SoslokalError

FIGURE_DIR = "figurer"
#: Seconds the browser may take to print the report.
PDF_TIMEOUT = 300
BROWSER_ENV = "SOSLOKAL_BROWSER"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
            "msedge", "microsoft-edge", "microsoft-edge-stable")
_MAC = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge")
_WINDOWS = ("Google/Chrome/Application/chrome.exe", "Microsoft/Edge/Application/msedge.exe",
            "Chromium/Application/chrome.exe")


@dataclass
class OfficeResult:
    """What :func:`write_office` wrote, and notes on what it could not (engine missing)."""

    paths: list[Path] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)


def write_office(html_path: str | Path, kept: Mapping[str, tuple[bytes, bytes]] | None = None,
                 *, lang: str = "nb", docx: bool = True, pdf: bool = True,
                 browser: str | Path | None = None) -> OfficeResult:
    """The DOCX, the PDF and ``figurer/`` next to ``html_path`` (see the module doc).

    ``kept``: print PNG and SVG per figure data URI
    (:func:`soslokal_lib.app.verksted.parts.collect_figures`); a figure not in it gets its
    inline PNG only. ``browser`` overrides :func:`find_browser`. Raises
    :class:`SoslokalError` when the HTML fails the accessibility checks; a missing engine is a
    note in the result.
    """
    html_path = Path(html_path)
    html = html_path.read_text(encoding="utf-8")
    problems = accessibility_problems(html_headings(html), [alt for _, alt in html_images(html)])
    if problems:
        raise SoslokalError(f"{html_path.name}: " + "; ".join(problems))
    kept = kept or {}
    result = OfficeResult()
    result.paths += write_figures(html, kept, html_path.parent / FIGURE_DIR)
    target = html_path.with_suffix(".docx")
    if docx:
        try:
            from soslokal_lib.app.office_docx import html_to_docx

            document = html_to_docx(html, {src: png for src, (png, _) in kept.items()},
                                    lang=lang)
        except ImportError:
            result.notes.append(msg("report.no_docx", name=target.name))
        else:
            levels, alts = docx_outline(document)
            problems = accessibility_problems(levels, alts)
            if problems:
                raise SoslokalError(f"{target.name}: " + "; ".join(problems))
            with atomic_path(target) as tmp:
                document.save(tmp)
            result.paths.append(target)
    if pdf:
        target = html_path.with_suffix(".pdf")
        found = Path(browser) if browser else find_browser()
        if found is None:
            result.notes.append(msg("report.no_pdf", name=target.name))
        else:
            error = print_pdf(html_path, target, found)
            if error:
                result.notes.append(msg("report.pdf_failed", name=target.name,
                                        browser=found.name, error=error))
            else:
                result.paths.append(target)
    return result


# --------------------------------------------------------------------------- figures
def html_images(html: str) -> list[tuple[str, str | None]]:
    """(src, alt) of every ``img`` in document order; alt is None when the attribute is
    missing."""
    import lxml.html

    root = lxml.html.fromstring(html)
    return [(img.get("src") or "", img.get("alt")) for img in root.iter("img")]


def html_headings(html: str) -> list[int]:
    """The levels of the headings ``h1``–``h6`` in document order."""
    import lxml.html

    root = lxml.html.fromstring(html)
    return [int(el.tag[1]) for el in root.iter()
            if isinstance(el.tag, str) and re.fullmatch(r"h[1-6]", el.tag)]


def slug(text: str, limit: int = 60) -> str:
    """A file-name part: what comes before «sammenlignet med» (an area's compass figure is
    named by its area), lower case, æøå spelled out, other characters as «_», cut after the
    last whole word within ``limit`` characters."""
    text = re.split(r"\s+(?:sammenlignet med|compared with)\s", text)[0].lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if len(text) > limit:
        cut = text[:limit + 1].rfind("_")
        text = text[:cut if cut > 0 else limit]
    return text.rstrip("_") or "figur"


def write_figures(html: str, kept: Mapping[str, tuple[bytes, bytes]], folder: Path
                  ) -> list[Path]:
    """Every figure of ``html`` as ``NN_<alt>.png`` and ``.svg`` in ``folder`` (figures
    written earlier by this function are removed first). The PNG is the print version in
    ``kept``, else the inline one; the SVG needs ``kept``."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if re.fullmatch(r"\d\d_[a-z0-9_]+\.(png|svg)", old.name):
            old.unlink()
    written: list[Path] = []
    for number, (src, alt) in enumerate(html_images(html), start=1):
        stem = f"{number:02d}_{slug(alt or '')}"
        png, svg = kept.get(src, (None, None))
        if png is None and src.startswith("data:image/png;base64,"):
            png = base64.b64decode(src.partition(",")[2])
        if png is not None:
            written.append(write_atomic(folder / f"{stem}.png", png))
        if svg is not None:
            written.append(write_atomic(folder / f"{stem}.svg", _titled(svg, alt or "")))
    return written


def _titled(svg: bytes, alt: str) -> bytes:
    """The SVG with ``alt`` as its accessible name (``<title>`` first inside ``<svg>``)."""
    text = svg.decode("utf-8")
    match = re.search(r"<svg\b[^>]*>", text)
    if match is None or not alt:
        return svg
    title = f"<title>{escape(alt)}</title>"
    opening = match.group(0).replace("<svg", '<svg role="img"', 1)
    return (text[:match.start()] + opening + title + text[match.end():]).encode("utf-8")


# --------------------------------------------------------------------------- checks
def docx_outline(document: Any) -> tuple[list[int], list[str | None]]:
    """Heading levels (styles *Heading N*) in order and the description of every picture
    (``docPr descr``; None when missing) of a python-docx document."""
    from docx.oxml.ns import qn

    levels = []
    for par in document.paragraphs:
        match = re.fullmatch(r"Heading (\d)", par.style.name if par.style is not None else "")
        if match:
            levels.append(int(match.group(1)))
    alts = [el.get("descr") for el in document.element.body.iter(qn("wp:docPr"))]
    return levels, alts


def accessibility_problems(levels: Iterable[int], alts: Iterable[str | None]) -> list[str]:
    """WCAG basics: the first heading is level 1 and no heading skips a level (1.3.1, 2.4.6),
    and every image has a non-empty alternative text (1.1.1)."""
    problems = []
    previous = 0
    for number, level in enumerate(levels, start=1):
        if level > previous + 1:
            problems.append(f"heading {number} is level {level} after level {previous}")
        previous = level
    missing = sum(1 for alt in alts if not (alt or "").strip())
    if missing:
        problems.append(f"{missing} image(s) without alternative text")
    return problems


# --------------------------------------------------------------------------- PDF
def find_browser() -> Path | None:
    """Chromium, Chrome or Edge: ``$SOSLOKAL_BROWSER``, else the first on PATH, else the
    usual install places on macOS and Windows."""
    given = os.environ.get(BROWSER_ENV)
    if given:
        return Path(given) if Path(given).is_file() else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return Path(found)
    places = list(_MAC) if sys.platform == "darwin" else []
    if sys.platform == "win32":
        roots = [os.environ.get(v) for v in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")]
        places += [str(Path(root) / rel) for root in roots if root for rel in _WINDOWS]
    return next((Path(p) for p in places if Path(p).is_file()), None)


def print_pdf(html_path: Path, target: Path, browser: Path) -> str:
    """Print ``html_path`` to ``target`` with a headless ``browser``; returns "" or what went
    wrong. The page is the report's own static file (no script, no network): the sandbox is
    off so that it also runs as root and in containers."""
    try:
        with (tempfile.TemporaryDirectory(prefix="soslokal-pdf-") as tmp,
              atomic_path(target) as out):
            command = [str(browser), "--headless", "--no-sandbox", "--disable-gpu",
                       "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                       "--disable-background-networking", "--disable-sync",
                       "--disable-component-update", f"--user-data-dir={tmp}",
                       "--no-pdf-header-footer", "--print-to-pdf-no-header",
                       "--generate-pdf-document-outline", f"--print-to-pdf={out}",
                       html_path.resolve().as_uri()]
            try:
                done = subprocess.run(command, capture_output=True, text=True,
                                      timeout=PDF_TIMEOUT, stdin=subprocess.DEVNULL,
                                      check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise _PrintFailed(type(exc).__name__) from None
            if done.returncode != 0 or out.read_bytes()[:5] != b"%PDF-":
                # the browser's own complaints (D-Bus noise aside) say what went wrong
                lines = [ln for ln in done.stderr.splitlines()
                         if "ERROR" in ln and "dbus" not in ln]
                raise _PrintFailed(f"exit code {done.returncode}"
                                   + (f": {lines[-1][-200:]}" if lines else ""))
    except _PrintFailed as exc:  # atomic_path removed the temporary file
        return str(exc)
    return ""


class _PrintFailed(Exception):
    pass
