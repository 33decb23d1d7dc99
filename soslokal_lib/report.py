"""Run the notebook templates with papermill and export them as HTML with the code hidden."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import SoslokalError

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def default_notebooks() -> list[Path]:
    """The numbered notebooks shipped with the project, in order."""
    found = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise SoslokalError(f"No notebooks found in {NOTEBOOK_DIR}. Fix: run from a full checkout.")
    return found


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def notebook_to_html(notebook_path: Path) -> str:
    """Export an executed notebook as standalone HTML without code cells or prompts."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(notebook_path, as_version=4))
    return body


def run_notebooks(
    out_dir: str | Path,
    notebooks: Iterable[str | Path] | None = None,
    parameters: Mapping[str, Any] | None = None,
    *,
    progress: bool = True,
    timeout: int = 600,
) -> list[Path]:
    """Execute ``notebooks`` (default: all shipped ones) and write ``<name>.html`` to ``out_dir``.

    Executed notebooks are kept in ``out_dir/executed/``. ``parameters`` are injected into
    each notebook's ``parameters`` cell (only those the notebook declares). Returns the HTML paths.
    """
    import nbformat
    import papermill as pm
    from tqdm.auto import tqdm

    out_dir = Path(out_dir)
    paths = [Path(p) for p in (notebooks or default_notebooks())]
    written = []
    for nb_path in tqdm(paths, desc="Notatbøker", unit="nb", disable=not progress):
        declared = _declared_parameters(nbformat.read(nb_path, as_version=4))
        params = {k: v for k, v in (parameters or {}).items() if k in declared}
        executed = out_dir / "executed" / nb_path.name
        executed.parent.mkdir(parents=True, exist_ok=True)
        tmp = executed.with_name(f".{executed.name}.tmp.ipynb")
        try:
            pm.execute_notebook(str(nb_path), str(tmp), parameters=params, cwd=str(nb_path.parent),
                                progress_bar=False, kernel_name="python3",
                                execution_timeout=timeout)
        except pm.PapermillExecutionError as exc:
            tmp.unlink(missing_ok=True)
            raise SoslokalError(
                f"{nb_path.name}: cell {exc.exec_count} failed: {exc.ename}: {exc.evalue}"
            ) from None
        os.replace(tmp, executed)
        html = out_dir / f"{nb_path.stem}.html"
        write_atomic(html, notebook_to_html(executed))
        written.append(html)
    return written


def _declared_parameters(nb: Any) -> set[str]:
    import ast

    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            tree = ast.parse(cell.source)
            return {t.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
                    for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                    if isinstance(t, ast.Name)}
    return set()
