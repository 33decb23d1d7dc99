"""`soslokal report` on the bundled sample (Fjordvik), scanned once for what a person must
never read: e-notation and full-precision floats, `NaN`/`<NA>`/`nan`, printed dicts, dtypes and
pandas indexes, absolute paths and installation notes, in the visible text of every HTML page,
every CSV and every cell of ``tabeller.xlsx``. The synthetic banner is expected here (and only
here: tests/test_own_kommune.py checks that a report on own data carries none of it).
"""

from __future__ import annotations

import re

import pytest
from _scan import (
    ABSOLUTE_PATH,
    INSTALL_NOTES,
    NOTEBOOK_NOTES,
    RAW_OUTPUT,
    hits,
    run_report,
    texts,
    visible,
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """``soslokal report --out rapport`` without a config (the bundled sample), run once."""
    work = tmp_path_factory.mktemp("fjordvik")
    return run_report(work / "rapport", cwd=work)


@pytest.fixture(scope="module")
def readable(report) -> dict[str, str]:
    """Every HTML page's visible text, every CSV and every workbook cell."""
    assert report["proc"].returncode == 0, report["proc"].stderr[-3000:]
    found = texts(report, (".html", ".csv", ".xlsx"))
    names = set(found)
    assert {"01_stedskompasset.html", "02_sosiookonomi.html", "04_ulikhet.html",
            "05_representativitet.html", "politisk_verksted.html", "tabeller.xlsx",
            "data/summary.csv"} <= names, sorted(names)
    return found


def test_no_raw_python_output_or_e_notation(readable):
    assert not hits(readable, RAW_OUTPUT)


def test_no_absolute_paths_or_installation_notes(report, readable):
    assert not hits(readable, ABSOLUTE_PATH)
    assert not hits(readable, INSTALL_NOTES)
    for root in (r for r in report["roots"] if len(r) > 3):
        assert not [name for name, text in readable.items() if root in text], root


def test_the_csv_headers_are_plain(report):
    headers = texts(report, (".csv",), csv_header_only=True)
    assert len(headers) >= 10
    assert not hits(headers, RAW_OUTPUT) and not hits(headers, ABSOLUTE_PATH)


def test_tiny_numbers_read_as_a_bound(readable):
    # raking converges far below 0.000001: the weighting text says so, with no exponent
    assert "største relative avvik fra målene under 0,000001" in readable[
        "05_representativitet.html"]


def test_the_sample_says_it_is_synthetic(report):
    page = visible((report["out"] / "01_stedskompasset.html").read_text(encoding="utf-8"))
    assert "Syntetiske data" in page


def test_pages_have_their_own_title_and_no_notes_for_notebook_users(report, readable):
    assert not hits(readable, NOTEBOOK_NOTES)
    pages = sorted(report["out"].glob("0*.html"))
    assert len(pages) >= 7
    for page in pages:
        title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8")).group(1)
        assert title.startswith(page.stem[:2] + " "), (page.name, title)
    page = (report["out"] / "08_endring.html").read_text(encoding="utf-8")
    assert "<title>08 Endring: hva har skjedd siden forrige runde?</title>" in page
