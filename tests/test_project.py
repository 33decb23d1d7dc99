"""Project hygiene: fast import, clean notebooks, the CLI and the HTML report."""

import json
import re
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


#: The public names of ARCHITECTURE.md §5 (other code and notebooks rely on them).
PUBLIC_FUNCTIONS = {"get_theme", "read_survey", "summarise", "plot_compass", "load_sample",
                    "read_areas"}
PUBLIC_MODULES = {"ssb", "geo", "framework", "indicators", "inequality", "spatial", "models",
                  "weighting", "text"}
PUBLIC_ERRORS = {"SurveyFormatError", "AreaFormatError", "DataSourceError"}


def test_public_names_resolve():
    import types

    import soslokal_lib

    exported = set(soslokal_lib.__all__)
    assert PUBLIC_FUNCTIONS | PUBLIC_MODULES | PUBLIC_ERRORS | {"THEMES", "Survey",
                                                                "SoslokalError"} <= exported
    assert dir(soslokal_lib) == sorted(exported)
    for name in exported:
        obj = getattr(soslokal_lib, name)
        if isinstance(obj, types.ModuleType):  # a lazily loaded module is the one named
            assert obj.__name__.startswith("soslokal_lib.") and obj.__name__.endswith(f".{name}")
        elif isinstance(obj, type):
            assert obj.__name__ == name
        elif callable(obj):  # a lazily loaded function is the one named, not a neighbour
            assert obj.__name__ == name and obj.__module__.startswith("soslokal_lib."), name
    assert all(isinstance(getattr(soslokal_lib, m), types.ModuleType) for m in PUBLIC_MODULES)
    assert all(callable(getattr(soslokal_lib, f)) for f in PUBLIC_FUNCTIONS)
    assert issubclass(soslokal_lib.SoslokalError, ValueError)
    assert all(issubclass(getattr(soslokal_lib, e), soslokal_lib.SoslokalError)
               for e in PUBLIC_ERRORS)
    assert [t.code for t in soslokal_lib.THEMES][:2] == ["moving_around", "public_transport"]
    assert len(soslokal_lib.THEMES) == 14
    assert soslokal_lib.get_theme("Social contact").code == "social_interaction"
    with pytest.raises(AttributeError, match="no_such_name"):
        soslokal_lib.no_such_name  # noqa: B018


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
    out = subprocess.run([sys.executable, "-m", "soslokal_lib.app.cli", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("soslokal ")


def test_report_hides_code(tmp_path):
    from soslokal_lib.app.report import run_notebooks

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


def _notebook(path: Path, *code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell("data_dir = None")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(c) for c in code)]
    nbformat.write(nb, path)
    return path


def test_a_failing_notebook_does_not_stop_the_others(tmp_path):
    from soslokal_lib.app.report import run_notebooks
    from soslokal_lib.errors import SoslokalError

    bad = _notebook(tmp_path / "01_bad.ipynb", "1 / 0")
    good = _notebook(tmp_path / "02_good.ipynb", "print('ferdig')")
    with pytest.raises(SoslokalError) as info:
        run_notebooks(tmp_path / "out", [bad, good], progress=False)
    message = str(info.value)
    assert re.search(r"01_bad\.ipynb: cell \d+ failed: ZeroDivisionError", message)
    assert "the other one was written" in message
    assert (tmp_path / "out" / "02_good.html").is_file()
    assert not (tmp_path / "out" / "01_bad.html").exists()
    assert not list((tmp_path / "out").rglob(".*"))  # no temporary files left


def test_notebook_needs_are_declared_in_the_metadata(tmp_path):
    from soslokal_lib.app.report import NEEDS, notebook_needs
    from soslokal_lib.errors import SoslokalError

    needs = {p.name: notebook_needs(p) for p in NOTEBOOKS}
    assert needs["02_sosiookonomi.ipynb"] == ("ssb",)
    assert needs["06_innspill.ipynb"] == ("comments",)
    assert needs["01_stedskompasset.ipynb"] == () and needs["05_representativitet.ipynb"] == ()
    assert all(set(n) <= set(NEEDS) for n in needs.values())
    odd = _notebook(tmp_path / "09_odd.ipynb")
    nb = nbformat.read(odd, as_version=4)
    nb.metadata["soslokal"] = {"needs": ["internett"]}
    nbformat.write(nb, odd)
    with pytest.raises(SoslokalError, match="unknown need.*internett"):
        notebook_needs(odd)


def test_save_tables_writes_only_with_a_data_dir(tmp_path):
    import pandas as pd

    from soslokal_lib.app.report import DEFAULT_DATA_DIR, resolve_data_dir, save_tables

    table = pd.DataFrame({"area_id": ["a", "b"], "n": [3, 8], "median": [None, 5.0]})
    assert save_tables({"t": table}, None, min_n=5) == []
    [path] = save_tables({"t": table}, tmp_path, min_n=5)
    assert path == tmp_path / "t.csv"
    assert pd.read_csv(path, encoding="utf-8-sig")["median"].isna().tolist() == [True, False]
    assert resolve_data_dir(tmp_path) == tmp_path
    assert resolve_data_dir(None) == DEFAULT_DATA_DIR == ROOT / "build" / "data"


@pytest.mark.parametrize("name", ["02_sosiookonomi.ipynb", "05_representativitet.ipynb",
                                  "06_innspill.ipynb"])
def test_notebooks_write_only_under_data_dir(name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"[\"'](\.\./|build/)", code), "a path outside data_dir"
    assert "data_dir" in code and "save_tables(" in code
