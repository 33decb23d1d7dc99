"""Project hygiene: fast import, clean notebooks, the CLI and the HTML report."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_import_is_light():
    code = (
        "import sys, soslokal_lib;"
        "heavy = [m for m in ('geopandas', 'matplotlib', 'statsmodels', 'esda', 'libpysal')"
        " if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_public_names_resolve():
    import soslokal_lib

    for name in soslokal_lib.__all__:
        assert getattr(soslokal_lib, name) is not None, name


def test_notebooks_exist_and_are_numbered():
    assert NOTEBOOKS, "no notebooks found"
    for nb in NOTEBOOKS:
        assert nb.name[:2].isdigit() and nb.name[2] == "_", nb.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_committed_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), (
        f"{path.name}: strip outputs before committing"
    )
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for heading in ("Dette lærer du", "Forutsetninger", "Oppsummering", "Videre"):
        assert heading in markdown, f"{path.name}: missing section «{heading}»"


def test_cli_version():
    out = subprocess.run([sys.executable, "-m", "soslokal_lib.cli", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("soslokal ")


def test_report_hides_code(tmp_path):
    from soslokal_lib.report import run_notebooks

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell("greeting = 'hei'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Test"), params,
                nbformat.v4.new_code_cell("secret_code_marker = 1\nprint(greeting + ' verden')")]
    src = tmp_path / "01_test.ipynb"
    nbformat.write(nb, src)
    [html] = run_notebooks(tmp_path / "out", [src], {"greeting": "hallo", "unused": 1},
                           progress=False)
    text = html.read_text(encoding="utf-8")
    assert "hallo verden" in text
    assert "secret_code_marker" not in text
    assert (tmp_path / "out" / "executed" / "01_test.ipynb").exists()
