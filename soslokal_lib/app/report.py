"""The report: notebooks run with papermill, HTML with the code hidden, and the tables behind it.

:func:`make_report` is ``soslokal report``: it loads a municipality's inputs (failing early on
bad data) and merges areas as the config says, writes the summary and respondent tables as CSV
under ``out/data/`` through the privacy layer, runs the notebooks with the config's parameters
(plus ``config_path`` and ``data_dir``), writes the «politisk verksted» report
(``politisk_verksted.html``, and as DOCX, PDF and ``figurer/``: :mod:`soslokal_lib.app.office`), audits every CSV in ``out/data/`` for statistics of cells below
``min_n`` and gathers the CSVs in one workbook for people, ``tabeller.xlsx``
(:mod:`soslokal_lib.app.workbook`). Every file is written through a temporary name and renamed.
The run lists its files in ``out/.soslokal-filer.json``; the previous run's files it did not
write again are removed (:mod:`soslokal_lib.app.outputs`), so no old report lies next to it.

The executed notebooks are kept in ``out/executed/`` (with their outputs, for checking how a
number came about); they were run in that folder, and every path in them is relative to it.
For own data, cells about the bundled sample are left out, and so are the ranking parts when
fewer than five areas have results (:mod:`soslokal_lib.app.report_notebooks`).

A notebook says what it needs beyond the survey in its metadata, e.g.
``"soslokal": {"needs": ["ssb"]}``; :func:`plan_notebooks` leaves out (with a printed note)
those the config cannot provide. Needs (:data:`NEEDS`): ``ssb`` (SSB population and income
per grunnkrets: the sample, or ``online = true`` with a kommune number and
``[ssb] grunnkretser``), ``socio`` (register figures per grunnkrets: the sample, or
``[socio] path``), ``areas`` (a boundary file), ``comments`` (free-text answers) and
``rounds`` (two or more ``[[survey]]`` rounds).
The synthetic sample (kommune 9901) provides everything.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soslokal_lib._files import write_atomic
from soslokal_lib._messages import Text, lazy, msg, tr
from soslokal_lib._paths import bundled, default_data_dir
from soslokal_lib.errors import SoslokalError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from soslokal_lib.app import outputs
    from soslokal_lib.app.config import Config
    from soslokal_lib.app.report_notebooks import ReportFacts
    from soslokal_lib.io.inputs import Inputs, SocioTables

NOTEBOOK_DIR = bundled("notebooks")
#: The explorer dashboard (``soslokal dashboard``, ``make dashboard``).
DASHBOARD = bundled("dashboard") / "utforsker.ipynb"
#: The shipped config for the bundled synthetic sample (``make report``).
DEFAULT_CONFIG = bundled("configs") / "fjordvik.toml"
#: File name of the «politisk verksted» report in the report folder.
VERKSTED_NAME = "politisk_verksted.html"
#: Where a notebook run on its own writes files (``data_dir=None``): ``build/data`` of the
#: checkout, next to ``notebooks/`` (``build/`` is git-ignored).
DEFAULT_DATA_DIR = default_data_dir()
#: File name of the workbook with every table of ``data/`` (for Excel users).
WORKBOOK_NAME = "tabeller.xlsx"


def default_notebooks() -> list[Path]:
    """The numbered notebooks shipped with the project, in order."""
    found = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise SoslokalError(msg("report.no_notebooks", folder=NOTEBOOK_DIR))
    return found


def notebook_to_html(notebook_path: Path, lang: str = "nb") -> str:
    """Export an executed notebook as standalone HTML without code cells, prompts, stderr or
    widgets (:func:`soslokal_lib.app.report_notebooks.for_html`)."""
    import nbformat
    from nbconvert import HTMLExporter

    from soslokal_lib.app.report_notebooks import for_html

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    nb = for_html(nbformat.read(notebook_path, as_version=4), lang)
    body, _ = exporter.from_notebook_node(nb)
    return body


def _others_written(written: list[Path], *, html: bool) -> Text | str:
    """« (de 2 andre ble skrevet)», « (den andre ble skrevet)» for one, ``""`` for none."""
    if not written:
        return ""
    if len(written) == 1:
        return msg("report.other_html_written") if html else msg("report.other_written")
    if html:
        return msg("report.others_html_written", n=len(written))
    return msg("report.others_written", n=len(written))


def _joined(failed: list[Text], done: Text | str) -> Text:
    """The failures, one after the other, and what was written anyway."""
    return lazy(lambda lang: "; ".join(tr(f, lang) for f in failed) + tr(done, lang))


def run_notebooks(
    out_dir: str | Path,
    notebooks: Iterable[str | Path] | None = None,
    parameters: Mapping[str, Any] | None = None,
    *,
    progress: bool = True,
    timeout: int = 600,
    facts: ReportFacts | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Execute ``notebooks`` (default: all shipped ones) and write ``<name>.html`` to ``out_dir``.

    Executed notebooks are kept in ``out_dir/executed/`` and run there; paths among
    ``parameters`` are injected relative to it. ``parameters`` are injected into each
    notebook's ``parameters`` cell (only those the notebook declares). ``facts`` says which
    tagged cells to leave out (default: none but those for interactive use). ``jobs`` notebooks
    run at the same time, each in its own kernel (default: one per core,
    :func:`default_jobs`). A notebook that fails does not stop the others: after the last one,
    :class:`SoslokalError` names every failed notebook and cell. Returns the HTML paths, in the
    order of ``notebooks``.
    """
    out_dir = Path(out_dir)
    paths = [Path(p) for p in (notebooks or default_notebooks())]
    written, failed = _run_all(paths, out_dir, parameters, progress, timeout, facts, jobs=jobs)
    if failed:
        raise SoslokalError(_joined(failed, _others_written(written, html=False)))
    return written


def _run_all(paths: list[Path], out_dir: Path, parameters: Mapping[str, Any] | None,
             progress: bool, timeout: int, facts: ReportFacts | None = None,
             roots: Iterable[Path] = (), jobs: int | None = None,
             ) -> tuple[list[Path], list[str]]:
    """Run every notebook; return the HTML written and a message per failed notebook."""
    with _quiet_papermill():
        return _run(paths, out_dir, parameters, progress, timeout, facts, roots, jobs)


@contextmanager
def _quiet_papermill() -> Iterator[None]:
    pm_log = logging.getLogger("papermill")
    level = pm_log.level
    pm_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        pm_log.setLevel(level)


def default_jobs() -> int:
    """Notebooks run at the same time: one kernel per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _run(paths: list[Path], out_dir: Path, parameters: Mapping[str, Any] | None,
         progress: bool, timeout: int, facts: ReportFacts | None,
         roots: Iterable[Path], jobs: int | None = None) -> tuple[list[Path], list[str]]:
    """Run the notebooks, ``jobs`` at a time (default :func:`default_jobs`), each in its own
    kernel; the HTML and the failures come back in the order of ``paths``."""
    from tqdm.auto import tqdm

    from soslokal_lib.app.report_notebooks import ReportFacts, relative_parameters

    facts = facts or ReportFacts(produced=frozenset(p.name for p in paths))
    folder = (out_dir / "executed").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    task = functools.partial(
        _run_one, out_dir=out_dir, folder=folder,
        given=relative_parameters(parameters or {}, folder), timeout=timeout, facts=facts,
        roots=(*roots, out_dir.resolve(), NOTEBOOK_DIR.parent))
    jobs = min(default_jobs() if jobs is None else max(1, jobs), len(paths))
    outcomes: list[tuple[Path | None, tuple | None]] = [(None, None)] * len(paths)
    with tqdm(total=len(paths), desc="Notatbøker", unit="nb", disable=not progress) as bar:
        if jobs <= 1:
            for i, nb_path in enumerate(paths):
                outcomes[i] = task(nb_path)
                bar.update()
        else:
            # fresh interpreters (not fork: this process may hold threads and open kernels)
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                futures = {pool.submit(task, nb_path): i for i, nb_path in enumerate(paths)}
                for future in as_completed(futures):
                    outcomes[futures[future]] = future.result()
                    bar.update()
    written, failed = [], []
    for html, failure in outcomes:
        if html is not None:
            written.append(html)
        elif failure[0] == "cell":
            _, name, cell, error, value, where = failure
            failed.append(msg("report.cell_failed", name=name, cell=cell, error=error,
                              value=value))
            if where:
                failed[-1] = _joined([failed[-1]], msg("report.see_executed", path=where))
        else:
            _, name, error, value = failure
            failed.append(msg("report.part_failed", name=name, error=error, value=value))
    for stale in folder.glob(".*.tmp.ipynb"):
        stale.unlink()
    return written, failed


def _run_one(nb_path: Path, *, out_dir: Path, folder: Path, given: Mapping[str, Any],
             timeout: int, facts: ReportFacts, roots: tuple[Path, ...],
             ) -> tuple[Path | None, tuple | None]:
    """Execute one notebook in ``folder`` and write its HTML: ``(html, None)``, or
    ``(None, failure)`` with plain values (they cross from a worker process): ``("cell", name,
    cell, error, value, where)`` for a failing cell (``where``: the executed notebook with the
    traceback, relative to ``out_dir``, or ``""``), ``("part", name, error, value)`` for anything
    else (a kernel that died or timed out)."""
    import nbformat
    import papermill as pm

    from soslokal_lib.app.report_notebooks import prepare, scrub_paths

    executed = folder / nb_path.name
    src = executed.with_name(f".{executed.name}.in.ipynb")
    tmp = executed.with_name(f".{executed.name}.tmp.ipynb")
    try:
        with _quiet_papermill():
            nb = prepare(nbformat.read(nb_path, as_version=4), facts)
            declared = _declared_parameters(nb)
            params = {k: v for k, v in given.items() if k in declared}
            nbformat.write(nb, src)
            try:
                pm.execute_notebook(str(src), str(tmp), parameters=params, cwd=str(folder),
                                    progress_bar=False, kernel_name="python3",
                                    execution_timeout=timeout,
                                    kernel_manager_class=_kernel_manager())
            finally:
                src.unlink(missing_ok=True)
        result = scrub_paths(nbformat.read(tmp, as_version=4), roots)
        tmp.unlink(missing_ok=True)
        write_atomic(executed, nbformat.writes(result))
        html = out_dir / f"{nb_path.stem}.html"
        write_atomic(html, notebook_to_html(executed, facts.lang))
    except pm.PapermillExecutionError as exc:
        kept = _keep_failed(tmp, executed, roots)
        where = str(out_dir / folder.name / kept.name) if kept else ""
        return None, ("cell", nb_path.name, exc.exec_count, exc.ename, exc.evalue, where)
    except Exception as exc:  # reported with the notebook's name, never swallowed
        return None, ("part", nb_path.name, type(exc).__name__, str(exc))
    return html, None


def _keep_failed(tmp: Path, executed: Path, roots: tuple[Path, ...]) -> Path | None:
    """The notebook papermill wrote up to the failing cell (with its traceback), kept as
    ``executed`` so the message can point to it; ``None`` when there is none."""
    import nbformat

    from soslokal_lib.app.report_notebooks import scrub_paths

    try:
        result = scrub_paths(nbformat.read(tmp, as_version=4), roots)
        write_atomic(executed, nbformat.writes(result))
    except Exception:  # nothing (readable) was written: the message says what failed
        return None
    finally:
        tmp.unlink(missing_ok=True)
    return executed


def _kernel_manager() -> type:
    """A kernel manager that encrypts the kernel's connection (CurveZMQ) where pyzmq can, so the
    kernel does not warn «Kernel is running over TCP without encryption» for every notebook, and
    that does not interrupt a kernel it is shutting down (jupyter_client 8 does, and ipykernel
    then logs «KeyboardInterrupt caught in kernel.» after a run that went well)."""
    import zmq
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class QuietKernelManager(AsyncKernelManager):
        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:  # a timeout still interrupts the kernel
                await super()._async_interrupt_kernel()

        if "transport_encryption" in AsyncKernelManager.class_trait_names():
            @default("transport_encryption")
            def _transport_encryption_default(self) -> str:
                return "auto" if zmq.has("curve") else "disabled"

    return QuietKernelManager


def _declared_parameters(nb: Any) -> set[str]:
    import ast

    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            tree = ast.parse(cell.source)
            return {t.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
                    for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                    if isinstance(t, ast.Name)}
    return set()


# --- which notebooks a config can run ----------------------------------------------------------


def _is_sample(config: Config) -> bool:
    from soslokal_lib.io.sample import KOMMUNE

    return config.kommune_number == KOMMUNE


def _need_ssb(config: Config, inputs: Inputs) -> str | None:
    if _is_sample(config):
        return None
    if not config.kommune_number:
        return "trenger SSB-tall for kommunen, men oppsettet har ikke kommunenummer " \
               "([kommune] number)"
    if not config.online:
        return "trenger SSB-tall, men oppsettet er uten nett ([ssb] online = false)"
    if config.grunnkrets_path is None:
        return "trenger grunnkretsgrensene fra Geonorge ([ssb] grunnkretser = \"fil\")"
    return None


def _need_areas(config: Config, inputs: Inputs) -> str | None:
    if _is_sample(config) or config.areas_path is not None:
        return None
    return "trenger en grensefil for områdene ([areas] path)"


def _need_socio(config: Config, inputs: Inputs) -> str | None:
    from soslokal_lib.io.inputs import is_sample

    if config.socio_path is not None or is_sample(inputs):
        return None
    return "trenger levekårstall per grunnkrets ([socio] path = \"fil.csv\")"


def _need_comments(config: Config, inputs: Inputs) -> str | None:
    comments = inputs.survey.comments
    if comments is not None and comments["text"].astype("string").str.strip().str.len().gt(0).any():
        return None
    return "undersøkelsen har ingen fritekstsvar"


def _need_rounds(config: Config, inputs: Inputs) -> str | None:
    return None if len(config.rounds) > 1 else "oppsettet har bare én runde av undersøkelsen"


#: Need → check returning why the config cannot provide it (``None``: it can).
NEEDS: dict[str, Callable[[Config, Inputs], str | None]] = {
    "ssb": _need_ssb, "socio": _need_socio, "areas": _need_areas, "comments": _need_comments,
    "rounds": _need_rounds,
}


#: English for the reasons above (the command line with ``--lang en``).
_SKIP_EN = {
    "trenger SSB-tall for kommunen, men oppsettet har ikke kommunenummer ([kommune] number)":
        "needs SSB figures for the municipality, but the config has no number ([kommune] "
        "number)",
    "trenger SSB-tall, men oppsettet er uten nett ([ssb] online = false)":
        "needs SSB figures, but the config is offline ([ssb] online = false)",
    'trenger grunnkretsgrensene fra Geonorge ([ssb] grunnkretser = "fil")':
        'needs the grunnkrets boundaries from Geonorge ([ssb] grunnkretser = "file")',
    "trenger en grensefil for områdene ([areas] path)":
        "needs a boundary file for the areas ([areas] path)",
    'trenger levekårstall per grunnkrets ([socio] path = "fil.csv")':
        'needs register figures per grunnkrets ([socio] path = "file.csv")',
    "undersøkelsen har ingen fritekstsvar": "the survey has no free-text answers",
    "oppsettet har bare én runde av undersøkelsen": "the config has one round of the survey only",
}

def skip_reason(reason: str, lang: str) -> str:
    """A reason of :func:`plan_notebooks` (bokmål) in ``lang``."""
    if lang != "en":
        return reason
    return "; ".join(_SKIP_EN.get(part, part) for part in reason.split("; "))


def notebook_needs(path: str | Path) -> tuple[str, ...]:
    """What a notebook needs beyond the survey (its metadata ``soslokal.needs``)."""
    import nbformat

    nb = nbformat.read(Path(path), as_version=4)
    needs = nb.metadata.get("soslokal", {}).get("needs", [])
    unknown = [n for n in needs if n not in NEEDS]
    if unknown:
        raise SoslokalError(msg("report.unknown_needs", name=Path(path).name, unknown=unknown,
                                known=sorted(NEEDS)))
    return tuple(needs)


def plan_notebooks(
    config: Config, inputs: Inputs, notebooks: Iterable[str | Path] | None = None,
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Split ``notebooks`` (default: all shipped) into those the config can run and those it
    cannot, each with the reason (Norwegian); see the module docstring for the needs."""
    run, skipped = [], []
    for path in [Path(p) for p in (notebooks or default_notebooks())]:
        reasons = [r for need in notebook_needs(path) if (r := NEEDS[need](config, inputs))]
        if reasons:
            skipped.append((path, "; ".join(reasons)))
        else:
            run.append(path)
    return run, skipped


# --- tables behind the figures ------------------------------------------------------------------


def save_table(table: pd.DataFrame, name: str, data_dir: str | Path, *, min_n: int) -> Path:
    """Write ``table`` as ``data_dir/<name>.csv`` (UTF-8 with BOM, for Excel), safely.

    A table with an ``n`` column must show no statistic in a cell with ``n < min_n``
    (:func:`soslokal_lib.privacy.check_no_small_cells`); text is protected against formula
    injection; numbers keep at most :data:`CSV_DECIMALS` decimals and are never written with an
    exponent; the file is written atomically. Notebooks call this with their ``data_dir``.
    """
    from soslokal_lib.privacy import check_count_columns, check_no_small_cells, protect_frame

    stem = name.removesuffix(".csv")
    if not stem or Path(stem).name != stem or stem.startswith("."):
        raise SoslokalError(msg("report.bad_table_name", name=name))
    if "n" in table.columns:
        check_no_small_cells(table, min_n)
    check_count_columns(table, min_n)
    text = _numbers_as_text(protect_frame(table)).to_csv(index=False, lineterminator="\n",
                                                         float_format=_csv_number)
    path = Path(data_dir) / f"{stem}.csv"
    write_atomic(path, text.encode("utf-8-sig"))
    return path


#: Decimals kept in the CSVs: enough for any statistic here, and no «4.263256414560601e-14».
CSV_DECIMALS = 6


def _csv_number(value: float) -> str:
    """A float for a CSV: at most :data:`CSV_DECIMALS` decimals, no exponent, no «-0»."""
    text = f"{round(value, CSV_DECIMALS) + 0.0:.{CSV_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _numbers_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its float64 columns written out as :func:`_csv_number` writes them.

    ``to_csv(float_format=…)`` calls the function once per cell (most of the time of a large
    table); this formats a whole column with array operations, to the same text. Other float
    types (float32, nullable ``Float64``) stay numbers and go through ``float_format``.
    """
    import numpy as np

    columns = [j for j, dtype in enumerate(frame.dtypes) if dtype == np.dtype("float64")]
    if not columns:
        return frame
    out = frame.copy(deep=False)
    for j in columns:
        out.isetitem(j, _csv_numbers(frame.iloc[:, j].to_numpy(dtype="float64")))
    return out


#: Below this size a float rounded to :data:`CSV_DECIMALS` decimals has the digits of
#: ``rint(value · 10**CSV_DECIMALS)`` (its spacing is well under half a millionth).
_EXACT_BELOW = 1e9


def _csv_numbers(values: np.ndarray) -> np.ndarray:
    """``[_csv_number(v) for v in values]`` (``""`` for NaN) with array operations.

    pandas hands ``float_format`` NumPy scalars, so ``round`` there is :func:`numpy.round`:
    ``rint(value · 10**6) / 10**6``; below :data:`_EXACT_BELOW` that quotient printed with six
    decimals is the integer ``rint(value · 10**6)`` with the point put back, and this builds
    that text (once per distinct value). Larger and infinite values go through
    :func:`_csv_number` itself.
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values)  # NaN: code -1
    uniques = np.asarray(uniques, dtype="float64")
    small = np.abs(uniques) < _EXACT_BELOW
    scale = 10.0 ** CSV_DECIMALS
    units = np.rint(np.where(small, uniques, 0.0) * scale).astype(np.int64)
    whole, part = np.divmod(np.abs(units), int(scale))
    digits = np.strings.rstrip(np.strings.zfill(part.astype(np.str_), CSV_DECIMALS), "0")
    text = np.strings.add(np.where(units < 0, "-", ""), whole.astype(np.str_))
    text = np.strings.add(text, np.where(part > 0, np.strings.add(".", digits), ""))
    out = np.append(text.astype(object), "")  # the last one for NaN
    for i in np.flatnonzero(~small):  # large or infinite: rare
        out[i] = _csv_number(uniques[i])
    return out[codes]


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """The folder a notebook writes its files to: ``data_dir``, or :data:`DEFAULT_DATA_DIR`."""
    return Path(data_dir) if data_dir else DEFAULT_DATA_DIR


def save_tables(tables: Mapping[str, pd.DataFrame], data_dir: str | Path | None, *,
                min_n: int) -> list[Path]:
    """:func:`save_table` for each ``name: table``; nothing when ``data_dir`` is ``None``
    (a notebook run on its own), so notebooks can call it unconditionally."""
    if not data_dir:
        return []
    return [save_table(table, name, data_dir, min_n=min_n) for name, table in tables.items()]


def export_tables(
    inputs: Inputs,
    data_dir: str | Path,
    min_n: int = 5,
    *,
    confidence: float = 0.95,
    lang: str = "nb",
    labels: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the tables behind the Stedskompasset figures to ``data_dir``; return the paths.

    ``summary.csv``: :func:`soslokal_lib.summarise` per area × theme plus the whole-kommune row
    (``area_id`` «total»), with ``area_name`` and ``theme_name``; suppressed cells have blank
    statistics. ``respondents.csv``: respondents per area, age group and gender.
    """
    return _export_tables(inputs, data_dir, min_n, confidence=confidence, lang=lang,
                          labels=labels)[0]


def _export_tables(
    inputs: Inputs,
    data_dir: str | Path,
    min_n: int = 5,
    *,
    confidence: float = 0.95,
    lang: str = "nb",
    labels: Mapping[str, str] | None = None,
) -> tuple[list[Path], pd.DataFrame]:
    """:func:`export_tables`, and the summary it wrote (reused by :func:`make_report`)."""

    from soslokal_lib.plot._common import TEXT
    from soslokal_lib.stats.respondents import respondent_counts
    from soslokal_lib.stats.summary import summarise
    from soslokal_lib.themes import theme_labels

    summary = summarise(inputs.survey, min_n=min_n, confidence=confidence)
    names = {**inputs.names, "total": TEXT["en" if lang == "en" else "nb"]["total"]}
    area_ids = summary["area_id"].astype(str)
    summary.insert(1, "area_name", area_ids.map(names).fillna(area_ids))
    summary.insert(3, "theme_name", summary["theme"].astype(str).map(theme_labels(lang, labels)))
    counts = respondent_counts(inputs.survey, lang=lang)
    is_area = counts["variable"] == "area_id"
    counts.insert(2, "area_name", counts["category"].map(names).where(is_area))
    paths = [save_table(summary, "summary", data_dir, min_n=min_n),
             save_table(counts, "respondents", data_dir, min_n=min_n)]
    return paths, summary


def audit_tables(data_dir: str | Path, min_n: int) -> list[Path]:
    """Check every CSV in ``data_dir`` for statistics below ``min_n`` (``n`` and ``<x>__n``).

    A file that fails is deleted and :class:`SoslokalError` names it. Returns the CSVs checked.
    """
    import pandas as pd

    from soslokal_lib.privacy import STATISTIC_COLUMNS, check_count_columns, check_no_small_cells

    checked = []
    for path in sorted(Path(data_dir).glob("*.csv")):
        table = pd.read_csv(path, encoding="utf-8-sig")
        try:
            if "n" in table.columns and set(STATISTIC_COLUMNS) & set(table.columns):
                check_no_small_cells(table, min_n)
            check_count_columns(table, min_n)
        except SoslokalError as exc:
            path.unlink()
            error = lazy(lambda lang, e=exc: str(e) if lang == "en" else e.describe(lang))
            raise SoslokalError(msg("report.privacy_removed", path=path, error=error)) from None
        checked.append(path)
    return checked


def make_report(
    config: Config,
    out_dir: str | Path,
    notebooks: Iterable[str | Path] | None = None,
    *,
    progress: bool = True,
    timeout: int = 600,
    ui_lang: str | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Make a municipality's report in ``out_dir``: HTML per notebook, the «politisk verksted»
    (:data:`VERKSTED_NAME`) and CSVs in ``data/``.

    ``notebooks`` overrides the config's ``[report] notebooks`` (default: every shipped one).
    Notebooks that need what the config cannot provide are skipped with a note on stderr
    (:func:`plan_notebooks`). A failing notebook or verksted does not stop the rest; afterwards
    :class:`SoslokalError` names each failure. ``ui_lang`` is the language of the progress
    messages (default: the report's). The notebooks run ``jobs`` at a time (default: one kernel
    per core). Returns the HTML paths (notebooks, then the verksted), the verksted's DOCX, PDF
    and figures (:mod:`soslokal_lib.app.office`; a missing DOCX or PDF engine is a note on
    stderr), the Bylab files (:func:`soslokal_lib.app.bylab.write_bylab`), the workbook and the
    CSV paths. The folder then holds this run's files and the user's only: a run that went well
    removes the previous run's files it did not write again, and files named like outputs
    that no run listed stop it before it writes (:mod:`soslokal_lib.app.outputs`).
    """
    from soslokal_lib.app import bylab, outputs
    from soslokal_lib.app.config_socio import socio_options
    from soslokal_lib.io.inputs import load_socio_tables

    out_dir = Path(out_dir)
    say = ui_lang or config.lang
    inputs = config_inputs(config)
    socio = load_socio_tables(inputs, **socio_options(config))  # bad files fail early
    bylab.check_bylab(config, inputs)  # so do a bad action log and bad group scores
    from soslokal_lib.indicators.levekar_data import read_levekar_data

    read_levekar_data(config.to_parameters()["levekar"], inputs)  # and unknown levekår labels
    run = outputs.start(out_dir, outputs.input_files(config))  # old outputs stop it here
    done = False
    try:
        result, failed = _write_report(config, inputs, socio, out_dir, notebooks, say, run,
                                       progress=progress, timeout=timeout, jobs=jobs)
        done = not failed
    finally:  # list what this run wrote; only a run that went well removes the old files
        run.finish(done, say)
    if failed:
        raise SoslokalError(_joined(failed, _others_written(result, html=True)))
    return result


def _write_report(config: Config, inputs: Inputs, socio: SocioTables | None, out_dir: Path,
                  notebooks: Iterable[str | Path] | None, say: str, run: outputs.Run, *,
                  progress: bool, timeout: int, jobs: int | None) -> tuple[list[Path], list]:
    """The writing part of :func:`make_report`: the paths it returns (or the HTML written,
    when something failed) and the failures."""
    from soslokal_lib.app import bylab
    from soslokal_lib.app.report_notebooks import ReportFacts
    from soslokal_lib.app.verksted.parts import collect_figures
    from soslokal_lib.app.workbook import write_workbook
    from soslokal_lib.indicators.fewareas import areas_with_results
    from soslokal_lib.io.inputs import is_sample

    data_dir = out_dir / "data"
    _, summary = _export_tables(inputs, data_dir, config.min_n, confidence=config.confidence,
                                lang=config.lang, labels=config.theme_labels.get(config.lang))
    parameters = {**config.to_parameters(), "config_path": str(config.path),
                  "data_dir": str(data_dir.resolve())}
    chosen, skipped = plan_notebooks(config, inputs, list(notebooks or config.notebooks) or None)
    for path, reason in skipped:
        print(f"{_say(say, 'skip')} {path.name}: {skip_reason(reason, say)}.",
              file=sys.stderr)
    # which areas show a result depends on min_n, not on the confidence: the summary written
    # above answers it (rather than summarising the survey a second time)
    visible = areas_with_results(summary)
    facts = ReportFacts(sample=is_sample(inputs), few_areas=not visible.enough,
                        produced=frozenset(p.name for p in chosen), lang=config.lang)
    html: list[Path] = []
    office: list[Path] = []
    failed: list[str] = []
    workbook: list[Path] = []
    briefs: list[Path] = []  # Bylab briefs, tiltak.xlsx and tiltak.html
    try:
        if chosen:
            html, failed = _run_all(chosen, out_dir, parameters, progress, timeout, facts,
                                    roots=[config.path.parent], jobs=jobs)
        if progress:
            print(_say(say, "verksted").format(name=VERKSTED_NAME), file=sys.stderr)
        try:
            with collect_figures() as kept:
                html.append(write_verksted(config, inputs, socio, out_dir / VERKSTED_NAME))
        except Exception as exc:  # any failure is reported below, never swallowed
            failed.append(msg("report.part_failed", name=VERKSTED_NAME,
                              error=type(exc).__name__, value=exc))
        else:
            office += _write_office(out_dir / VERKSTED_NAME, kept, config.lang, say, failed,
                                    progress)
        try:  # the Bylab briefs, tiltak.xlsx and the actions
            briefs = bylab.write_bylab(config, inputs, socio, out_dir)
        except Exception as exc:
            failed.append(msg("report.part_failed", name="Bylab", error=type(exc).__name__,
                              value=exc))
    finally:  # even when something failed, no CSV that breaks the privacy rule stays
        checked = [p for p in audit_tables(data_dir, config.min_n) if run.wrote(p)]
        if checked:  # the workbook gathers this run's tables only
            workbook = [write_workbook(checked, out_dir / WORKBOOK_NAME, min_n=config.min_n,
                                       source=inputs.source, lang=config.lang)]
    if failed:
        return html, failed
    return html + office + briefs + workbook + checked, []


def _write_office(path: Path, kept: Mapping[str, tuple[bytes, bytes]], lang: str, say: str,
                  failed: list[str], progress: bool) -> list[Path]:
    """The verksted as DOCX, PDF and figures (:func:`soslokal_lib.app.office.write_office`):
    a missing engine is a note on stderr, any other failure one of ``failed``."""
    from soslokal_lib.app.office import write_office

    if progress:
        print(_say(say, "office"), file=sys.stderr)
    try:
        result = write_office(path, kept, lang=lang)
    except Exception as exc:  # reported with the others, the HTML stays
        failed.append(msg("report.part_failed", name=f"{path.stem}.docx/.pdf",
                          error=type(exc).__name__, value=exc))
        return []
    for note in result.notes:
        print(tr(note, say), file=sys.stderr)
    return result.paths


_SAY = {
    "nb": {"skip": "Hopper over", "verksted": "Politisk verksted: skriver {name} …",
           "office": "Politisk verksted: skriver Word, PDF og figurer/ …"},
    "en": {"skip": "Skipping", "verksted": "Policy workshop: writing {name} …",
           "office": "Policy workshop: writing Word, PDF and figurer/ …"},
}


def _say(lang: str, key: str) -> str:
    return _SAY["en" if lang == "en" else "nb"][key]


def notebook_inputs(config: Config | None, survey_path: Any = None, *,
                    merge: Mapping[str, str] | None = None, merge_small: str | None = None,
                    min_n: int = 5, lang: str = "nb", **options: Any) -> Inputs:
    """The inputs of a notebook: with a config (``apply_config`` returned one), exactly those of
    the report (:func:`config_inputs`: every reading option of the config, the kommune's
    boundary, the merges); without, ``load_inputs(survey_path, **options)`` with the areas
    merged as ``merge`` and ``merge_small`` say."""
    from soslokal_lib.io.inputs import load_inputs
    from soslokal_lib.stats.areamerge import merge_areas

    if config is not None:
        return config_inputs(config)
    return merge_areas(load_inputs(survey_path, **options), merge, merge_small, min_n=min_n,
                       lang=lang)


def config_inputs(config: Config) -> Inputs:
    """The survey and areas of ``config``, with the areas merged as ``[areas] merge`` and
    ``merge_small`` say (:func:`soslokal_lib.stats.areamerge.merge_areas`)."""
    from soslokal_lib.io.inputs import load_inputs
    from soslokal_lib.stats.areamerge import merge_areas

    inputs = load_inputs(**config.input_options())
    return merge_areas(inputs, dict(config.merge) or None, config.merge_small,
                       min_n=config.min_n, lang=config.lang)


def write_verksted(config: Config, inputs: Inputs, socio: SocioTables | None,
                   path: str | Path) -> Path:
    """Write the «politisk verksted» report for ``config`` to ``path``.

    The synthetic sample (also when read from its files) is marked synthetic and gets the
    sample's register facts; own data get ``socio`` added up to the neighbourhoods
    (:func:`soslokal_lib.indicators.aggregate_socio`), or no register parts without it. Either
    way register figures the config's levekår sheets mark suppressed, or that concern too few
    people, are not shown (:func:`soslokal_lib.indicators.register_privacy.protect_tables`), and the report
    says which.
    """
    import dataclasses

    from soslokal_lib.app.register import register_per_area
    from soslokal_lib.app.verksted import write_verksted_report
    from soslokal_lib.io.inputs import is_sample

    socio_source = None
    if is_sample(inputs):
        inputs = dataclasses.replace(inputs, synthetic=True)
    elif socio is not None:
        socio_source = [socio.source]
        if config.grunnkrets_path is not None or config.socio_grunnkretser is not None:
            socio_source.append("Kartverket/Geonorge, grunnkretser (CC BY 4.0)")
    per_area, note, sheets = register_per_area(config, inputs, socio)
    if sheets is not None and not is_sample(inputs):  # only the sources used
        socio_source = [*(socio_source or []), msg(
            "report.source_levekar", files=", ".join(sheets.used))]
    if isinstance(socio_source, list):
        socio_source = [tr(s, config.lang) for s in socio_source]
    rounds = None
    if len(config.rounds) > 1:  # «Endring siden <runde>»
        from soslokal_lib.app.rounds_page import load_rounds

        params = config.to_parameters()
        rounds = load_rounds(inputs, params["rounds"], params["crosswalk"], min_n=config.min_n,
                             confidence=config.confidence)
    return write_verksted_report(path, inputs, socio=per_area, socio_source=socio_source,
                                 min_n=config.min_n, lang=config.lang,
                                 labels=config.theme_labels.get(config.lang) or None,
                                 kommune_name=config.kommune, register_note=note, rounds=rounds,
                                 areas=config.report_areas or None)
