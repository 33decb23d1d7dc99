"""Scanning a written report for what a person must never read (shared by the report tests).

:func:`run_report` runs ``soslokal report`` in a subprocess as a user would; :func:`texts` gives
the readable text of every HTML (visible text only), CSV and XLSX it wrote; the patterns name
what may not appear: the bundled sample's own text (in a report on own data), raw Python or
pandas output, e-notation and full-precision floats, internal codes, absolute paths.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]

#: Text that belongs to the bundled synthetic sample, never to a report on own data.
SAMPLE_TEXT = re.compile(r"Fjordvik|Storhaugen|Havna|Solåsen|Brattvoll|Øyane|Vestre Strand|"
                         r"syntetisk|oppdikt|eksempelkommun|9901\d{4}", re.IGNORECASE)
#: Raw Python or pandas output, and numbers with a float's full precision or an exponent.
RAW_OUTPUT = re.compile(r"\bNaN\b|\bnan\b|<NA>|\{'|dtype|Index\(|Survey\(|SocioInputs\(|"
                        r"\d\.\d{7,}|\d[eE][-+]?\d")
#: Internal codes a person should never read (themes, indicator ids, comment kinds).
CODES = re.compile(r"\b(?:sk_dim_\w+|feeling_safe|care_maintenance|moving_around|"
                   r"public_transport|natural_space|influence_control|improve|"
                   r"low_income_pct|area_id)\b")
#: Absolute paths of the usual places a report is made in.
ABSOLUTE_PATH = re.compile(r"/(?:work|tmp|home|root)/")
#: Installation notes that belong to the notebooks, not to a report.
INSTALL_NOTES = re.compile(r"Forutsetninger: make lab|make lab")
#: Text for someone running a notebook (function names, parameters, menus), not for a reader;
#: the notebooks mark it ``interactive-only`` (:mod:`soslokal_lib.app.report_notebooks`).
NOTEBOOK_NOTES = re.compile(r"load_inputs|survey\.meta|weights_trim|data_dir|"
                            r"correction = |uten egen mappe|Run All|Kjør alle cellene|"
                            r"parametercellen|kjør notatboken på nytt|Kjører du notatboken selv")


def visible(html: str) -> str:
    """The text of an HTML page a reader sees (no styles, scripts or embedded images)."""
    html = re.sub(r"(?s)<style.*?</style>|<script.*?</script>", " ", html)
    html = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "", html)
    return re.sub(r"<[^>]+>", " ", html)


def run_report(out: Path, *args: str, cwd: Path) -> dict:
    """``python -m soslokal_lib.app.cli report *args --out out`` in ``cwd``, with this source tree
    first on the path; the process, the output folder and the files it wrote."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "soslokal_lib.app.cli", "report", *args,
                           "--out", str(out)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=900)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    return {"proc": proc, "out": out, "work": cwd, "files": files,
            "roots": [str(cwd), str(ROOT), str(Path.home()), str(Path(sys.prefix))]}


def texts(report: dict, suffixes: tuple[str, ...], *, csv_header_only: bool = False
          ) -> dict[str, str]:
    """Readable text per written file: visible HTML text, CSV text (or only its header row),
    every XLSX cell."""
    out = {}
    for path in report["files"]:
        name = str(path.relative_to(report["out"]))
        if path.suffix not in suffixes:
            continue
        if path.suffix == ".html":
            out[name] = visible(path.read_text(encoding="utf-8"))
        elif path.suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig")
            out[name] = text.split("\n", 1)[0] if csv_header_only else text
        elif path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path)
            out[name] = "\n".join(" | ".join("" if v is None else str(v) for v in row)
                                  for ws in wb for row in ws.iter_rows(values_only=True))
    return out


def hits(found: dict[str, str], pattern: re.Pattern, context: int = 40) -> dict[str, list[str]]:
    """Per file, the matches of ``pattern`` with some text around them (at most five)."""
    out = {}
    for name, text in found.items():
        seen = [text[max(0, m.start() - context):m.end() + context].replace("\n", " ")
                for m in pattern.finditer(text)]
        if seen:
            out[name] = seen[:5]
    return out


#: The Jupyter kernel that notebook tests run on: this Python (see :func:`notebook_kernel`).
TEST_KERNEL = "soslokal-tests"


def notebook_kernel(folder: Path, monkeypatch) -> str:
    """Register a kernel running this Python under ``folder`` and point ``JUPYTER_PATH`` at it
    (with the Agg backend), so papermill runs notebooks in the test environment. Returns the
    kernel name."""
    kernels = folder / "jupyter" / "kernels" / TEST_KERNEL
    kernels.mkdir(parents=True, exist_ok=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "soslokal tests", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(folder / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return TEST_KERNEL
