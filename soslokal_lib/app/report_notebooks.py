"""Notebooks for the report: cells left out, links rewritten, paths and raw output cleaned.

Used by :mod:`soslokal_lib.app.report`. Cell tags (set in the shipped notebooks):

* :data:`TAG_SAMPLE` (``sample-only``): text about the bundled synthetic sample (the «Syntetiske
  data» banner, what the sample shows); left out of a report on a kommune's own data.
* :data:`TAG_INTERACTIVE` (``interactive-only``): text for someone running the notebook
  (installing, editing the parameters cell); left out of every report.
* :data:`TAG_MANY_AREAS` (``many-areas``): text about composite indices, deciles and ranks; left
  out when fewer than :data:`soslokal_lib.indicators.fewareas.MIN_AREAS_FOR_RANKING` areas have results
  (the code cells then say why they skip).

* :data:`TAG_POPULATION` (``needs-population``): the sections of notebook 05 that compare with
  the population; left out of the HTML when the notebook found none. Unlike the tags above this
  is known only once the notebook has run: a cell calls :func:`skip_in_report`, which leaves a
  mark in its output, and :func:`for_html` drops every cell carrying a marked tag (the
  executed notebook keeps them).

Part of a markdown cell is marked the same way with HTML comments, invisible in Jupyter:
``<!-- sample-only -->`` … ``<!-- /sample-only -->`` around a paragraph or a bullet.

The «Videre» section keeps only links to notebooks that are part of the same report (as links
to their HTML). Executed notebooks keep no absolute paths: parameters are injected relative to
``executed/`` and known folders are removed from outputs and papermill's metadata. The HTML
leaves out stderr (warnings are for the person running the notebook; ``soslokal check`` lists
them) and replaces interactive widgets, which a static page cannot show, with a note.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TAG_SAMPLE = "sample-only"
TAG_INTERACTIVE = "interactive-only"
TAG_MANY_AREAS = "many-areas"
TAG_POPULATION = "needs-population"
#: Output metadata key of :func:`skip_in_report`: the tags whose cells the HTML leaves out.
SKIP_KEY = "soslokal-skip"

#: Parameters holding a path (or, for ``ssb_tables``, ``levekar`` and ``rounds``, paths inside).
PATH_PARAMETERS = ("survey_path", "areas_path", "socio_path", "cache_dir", "grunnkrets_path",
                   "weights_population", "config_path", "data_dir", "socio_crosswalk",
                   "socio_grunnkretser", "crosswalk")
_WIDGET = "application/vnd.jupyter.widget-view+json"
_WIDGET_NOTE = {
    "nb": "<p><em>Her er utforskeren i notatboken. Den er interaktiv og vises ikke i en fast "
          "rapport: åpne notatboken i JupyterLab, eller start dashbordet med "
          "<code>soslokal dashboard</code>.</em></p>",
    "en": "<p><em>The notebook shows the interactive explorer here, which a static report cannot "
          "show: open the notebook in JupyterLab, or start the dashboard with "
          "<code>soslokal dashboard</code>.</em></p>",
}
_MARKER = re.compile(r"<!--\s*(/?)\s*([\w-]+)\s*-->")
_NOTEBOOK_REF = re.compile(r"`?((?:[\w./-]*/)?([\w-]+)\.ipynb)`?")


@dataclass(frozen=True)
class ReportFacts:
    """What decides which cells a report keeps: the bundled sample or own data, whether too
    few areas have results for rankings, and the notebooks in the report (file names)."""

    sample: bool = True
    few_areas: bool = False
    produced: frozenset[str] = field(default_factory=frozenset)
    lang: str = "nb"


def prepare(nb: Any, facts: ReportFacts) -> Any:
    """A copy of ``nb`` with the cells ``facts`` leaves out removed and «Videre» rewritten."""
    out = copy.deepcopy(nb)
    drop = {TAG_INTERACTIVE}
    if not facts.sample:
        drop.add(TAG_SAMPLE)
    if facts.few_areas:
        drop.add(TAG_MANY_AREAS)
    cells = []
    for cell in out.cells:
        if drop & set(cell.metadata.get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            cell.source = drop_marked(cell.source, drop)
            if not cell.source.strip():
                continue
        if cell.cell_type == "markdown" and _is_next_steps(cell.source):
            cell.source = next_steps(cell.source, facts.produced)
            if not cell.source:
                continue
        cells.append(cell)
    out.cells = cells
    return out


def drop_marked(source: str, tags: Iterable[str]) -> str:
    """``source`` without the parts marked ``<!-- tag -->`` … ``<!-- /tag -->`` for ``tags``
    (and without the marker lines of any tag)."""
    tags = set(tags)
    kept, dropping = [], None
    for line in source.splitlines():
        marker = _MARKER.fullmatch(line.strip())
        if marker:
            closing, tag = bool(marker.group(1)), marker.group(2)
            if not closing and tag in tags and dropping is None:
                dropping = tag
            elif closing and tag == dropping:
                dropping = None
            continue
        if dropping is None:
            kept.append(line)
    text = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _is_next_steps(source: str) -> bool:
    first = source.lstrip().splitlines()[0] if source.strip() else ""
    return bool(re.fullmatch(r"#+\s*(Videre|Next steps)\s*", first.strip()))


def next_steps(source: str, produced: Iterable[str]) -> str:
    """The «Videre» cell without the bullets naming a notebook that is not in ``produced`` (file
    names), each remaining reference turned into a link to its HTML page; ``""`` when no bullet
    is left."""
    produced = set(produced)
    lines = source.splitlines()
    head, bullets = [], []
    for line in lines:
        if line.startswith(("- ", "* ")):
            bullets.append([line])
        elif bullets and (line.startswith("  ") or not line.strip()):
            bullets[-1].append(line)
        elif not bullets:
            head.append(line)
        else:
            bullets[-1].append(line)
    kept = []
    for bullet in bullets:
        text = "\n".join(bullet).rstrip()
        refs = _NOTEBOOK_REF.findall(text)
        if any(f"{stem}.ipynb" not in produced or "/" in full for full, stem in refs):
            continue
        kept.append(_NOTEBOOK_REF.sub(lambda m: f"[{m.group(2)}]({m.group(2)}.html)", text))
    if not kept:
        return ""
    return "\n".join(head).rstrip() + "\n\n" + "\n".join(kept) + "\n"


def relative_parameters(parameters: Mapping[str, Any], base: Path) -> dict[str, Any]:
    """``parameters`` with every path (see :data:`PATH_PARAMETERS`, ``ssb_tables``, ``levekar``,
    ``rounds``) made relative to ``base`` (the kernel's working folder), so executed notebooks
    carry no absolute paths."""
    out = dict(parameters)
    for key in PATH_PARAMETERS:
        if isinstance(out.get(key), str):
            out[key] = _relative(out[key], base)
    if isinstance(out.get("ssb_tables"), Mapping):
        out["ssb_tables"] = {k: _relative(v, base) for k, v in out["ssb_tables"].items()}
    for key in ("levekar", "rounds"):
        if isinstance(out.get(key), list):
            out[key] = [{**s, "path": _relative(s["path"], base)} for s in out[key]]
    return out


def _relative(path: str, base: Path) -> str:
    if not os.path.isabs(path):
        return path
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows: nothing relative exists
        return path


def scrub_paths(nb: Any, roots: Iterable[str | Path]) -> Any:
    """Remove the folders ``roots`` (with their trailing separator) from every output and from
    papermill's metadata; the result names files relative to those folders."""
    prefixes = sorted({str(Path(r).resolve()) + os.sep for r in roots}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(p) for p in prefixes)) if prefixes else None

    def clean(value: Any) -> Any:
        if pattern is None:
            return value
        if isinstance(value, str):
            return pattern.sub("", value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return type(value)({k: clean(v) for k, v in value.items()})
        return value

    papermill = nb.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        if papermill.get(key):
            papermill[key] = Path(papermill[key]).name
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [clean(o) for o in cell.get("outputs", [])]
            cell.source = clean(cell.source)
    return nb


def skip_in_report(*tags: str) -> None:
    """In a running notebook: leave the cells tagged ``tags`` out of the report's HTML (an
    invisible output carrying :data:`SKIP_KEY`; the cell saying why stays)."""
    from IPython.display import display

    display({"text/plain": ""}, raw=True, metadata={SKIP_KEY: list(tags)})


def _skipped(nb: Any) -> set[str]:
    return {tag for cell in nb.cells if cell.cell_type == "code"
            for o in cell.get("outputs", []) for tag in o.get("metadata", {}).get(SKIP_KEY, [])}


def page_title(nb: Any) -> str:
    """The notebook's first heading as plain text (``""`` when it has none): the page title of
    its HTML."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            heading = re.fullmatch(r"\s*#{1,6}\s+(.+?)\s*#*\s*", line)
            if heading:
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1))
                return re.sub(r"[*`]", "", text).strip()
    return ""


def for_html(nb: Any, lang: str = "nb") -> Any:
    """A copy of an executed notebook for the HTML page: its first heading as title, no cells
    of a tag :func:`skip_in_report` marked, no stderr, no error tracebacks, and a note where a
    widget was shown."""
    import nbformat

    out = copy.deepcopy(nb)
    skipped = _skipped(out)
    out.cells = [c for c in out.cells if not skipped & set(c.metadata.get("tags", []))]
    title = page_title(out)
    if title:
        out.metadata["title"] = title  # nbconvert's <title>; else «Notebook»
    note = _WIDGET_NOTE["en" if lang == "en" else "nb"]
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for o in cell.get("outputs", []):
            if o.output_type == "stream" and o.get("name") == "stderr":
                continue
            if SKIP_KEY in o.get("metadata", {}):
                continue
            if o.output_type in ("execute_result", "display_data") and _WIDGET in o.get("data",
                                                                                          {}):
                o = nbformat.v4.new_output("display_data",
                                           data={"text/html": note, "text/plain": ""})
            kept.append(o)
        cell.outputs = kept
    return out
