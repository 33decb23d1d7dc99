"""The action log in the report: the template, the filled-in log, and the change next to each action.

``soslokal report`` writes the template ``tiltak.xlsx`` (:func:`write_template`; not when the
config names its own log, and a log that already holds actions is never overwritten). With ``[bylab] actions`` the filled-in log is read
and checked (:func:`load_actions`, :func:`soslokal_lib.io.actions.read_actions`) and the report
shows the actions per neighbourhood and theme (:func:`actions_by_area`, in ``tiltak.html`` and
in each Bylab brief). With two or more survey rounds (``[[survey]]`` blocks) the change in the
action's theme between the two latest rounds stands next to it (:func:`round_changes`, from
:func:`soslokal_lib.stats.rounds.compare_rounds` with its privacy rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib._files import atomic_path
from soslokal_lib.io.actions import (
    GUIDE,
    HEADERS,
    LISTS,
    RESPONSIBLE,
    SHEET,
    STATUS,
    WHOLE,
    ActionLog,
    read_actions,
)
from soslokal_lib.numformat import format_number
from soslokal_lib.themes import theme_labels

if TYPE_CHECKING:
    from soslokal_lib.app.config import Config
    from soslokal_lib.io.inputs import Inputs

TEMPLATE_NAME = "tiltak.xlsx"
PAGE_NAME = "tiltak.html"
_ROWS = 500  # rows of the template with drop-down lists


# --- the template -------------------------------------------------------------------------------


def write_actions_template(path: str | Path, areas: Mapping[str, str], *,
                           labels: Mapping[str, str] | None = None,
                           kommune: str | None = None) -> Path:
    """Write the empty action log to ``path`` (atomically); ``areas`` maps area ids to names
    (the names go in the drop-down list), ``labels`` overrides theme names."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    names = [str(n) for n in dict.fromkeys(areas.values())]
    themes = list(theme_labels("nb", labels).values())
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(HEADERS.values()))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    for i, width in enumerate((24, 30, 60, 20, 14, 16, 30), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    lists = wb.create_sheet(LISTS)
    lists.append(["Område", "Tema", "Ansvar", "Status"])
    columns = ([WHOLE, *names], themes, list(RESPONSIBLE), list(STATUS))
    for col, values in enumerate(columns, start=1):
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=col, value=value)
    lists.sheet_state = "hidden"
    last = f"${_ROWS + 1}"
    rules = [
        ("A", f"={LISTS}!$A$2:$A${len(names) + 2}", "stop", "Velg et område fra lista."),
        ("B", f"={LISTS}!$B$2:$B${len(themes) + 1}", "stop", "Velg et av de 14 temaene."),
        ("D", f"={LISTS}!$C$2:$C${len(RESPONSIBLE) + 1}", "warning",
         "Ansvar: innbyggere, kommune, utbygger eller frivillige (flere skilles med /)."),
        ("F", f"={LISTS}!$D$2:$D${len(STATUS) + 1}", "information",
         "Forslag: planlagt, i gang, gjennomført, avbrutt."),
    ]
    for letter, formula, style, text in rules:
        rule = DataValidation(type="list", formula1=formula, allow_blank=True,
                              errorStyle=style, error=text, showErrorMessage=True)
        rule.add(f"{letter}2:{letter}{last.strip('$')}")
        ws.add_data_validation(rule)
    date_rule = DataValidation(type="date", operator="greaterThan", formula1="21916",
                               allow_blank=True, errorStyle="warning", showErrorMessage=True,
                               error="Skriv fristen som en dato, f.eks. 01.09.2026.")
    date_rule.add(f"E2:E{_ROWS + 1}")
    ws.add_data_validation(date_rule)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in range(2, _ROWS + 2):
        ws.cell(row=row, column=5).number_format = "DD.MM.YYYY"
        ws.cell(row=row, column=3).alignment = wrap
    guide = wb.create_sheet(GUIDE)
    guide.column_dimensions["A"].width = 100
    for line in _guide_lines(kommune):
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _guide_lines(kommune: str | None) -> list[str]:
    where = f" for {kommune}" if kommune else ""
    return [
        f"Tiltaksloggen{where}",
        "",
        "Her fører dere tiltakene som blir avtalt på Bylab og i politisk verksted.",
        "Skriv ett tiltak per rad i arket «Tiltak». Rad 1 er overskriftene; ikke endre dem.",
        "",
        "Område: velg nabolaget fra lista (eller «Hele kommunen»).",
        "Tema: velg et av de 14 temaene i Stedskompasset.",
        "Tiltak: hva som skal gjøres, med egne ord.",
        "Ansvar: innbyggere, kommune, utbygger eller frivillige. "
        "Er flere ansvarlige, skriv f.eks. «kommune / frivillige».",
        "Frist: en dato (f.eks. 01.09.2026) eller en tekst som «høsten 2026».",
        "Status: planlagt, i gang, gjennomført eller avbrutt (annen tekst går også).",
        "Kilde: hvor tiltaket kommer fra, f.eks. «Bylab Sentrum 12.3.» eller «gåtur».",
        "",
        "Ikke slå sammen celler over flere kolonner. Samme område for flere rader kan slås "
        "sammen nedover i én kolonne.",
        "Lagre fila og skriv i kommunens oppsett (soslokal.toml):",
        '    [bylab]',
        '    actions = "tiltak.xlsx"',
        "Neste rapport viser da tiltakene per nabolag og tema, ved siden av resultatene.",
        "",
        "Ikke skriv personopplysninger (navn, telefon, e-post) i loggen.",
    ]


def write_template(config: Config, inputs: Inputs, out_dir: Path) -> tuple[Path | None, str]:
    """Write ``out_dir/tiltak.xlsx`` unless the config names its own log (a blank template next
    to it would be mistaken for it) or a log with actions is there already; returns the path
    written (or ``None``) and a note."""
    path = out_dir / TEMPLATE_NAME
    labels = config.theme_labels.get("nb") or None
    if config.bylab_actions is not None:
        return None, (f"tiltaksloggen i oppsettet ({config.bylab_actions.name}) brukes; ingen "
                      f"tom {TEMPLATE_NAME} skrives")
    if path.exists():
        try:
            if len(read_actions(path, inputs.names, labels=labels)):
                return None, f"{TEMPLATE_NAME} har tiltak og skrives ikke over"
        except ValueError:
            return None, f"{TEMPLATE_NAME} er fylt ut og skrives ikke over"
    write_actions_template(path, inputs.names, labels=labels, kommune=config.kommune)
    return path, ""


def load_actions(config: Config, inputs: Inputs) -> ActionLog | None:
    """The config's checked action log (``None`` without ``[bylab] actions``)."""
    if config.bylab_actions is None:
        return None
    return read_actions(config.bylab_actions, inputs.names,
                        labels=config.theme_labels.get("nb") or None)


def round_changes(config: Config, inputs: Inputs) -> tuple[pd.DataFrame, str, str] | None:
    """The comparison of the two latest rounds (the main round as the report reads it,
    :func:`soslokal_lib.app.rounds_page.load_rounds`) and their labels; ``None`` with fewer
    than two rounds."""
    if len(config.rounds) < 2:
        return None
    from soslokal_lib.app.rounds_page import load_rounds

    params = config.to_parameters()
    study = load_rounds(inputs, params["rounds"], params["crosswalk"], min_n=config.min_n,
                        confidence=config.confidence)
    if study.comparison is None:
        return None
    return study.comparison.to_frame(), study.comparison.before, study.comparison.after


def change_text(changes: tuple[pd.DataFrame, str, str] | None, area: str, theme: str,
                lang: str = "nb") -> str:
    """«Median 4 → 3 (2021 → 2025), andel lave skårer +12 pp: endret» or a reason."""
    if changes is None:
        return ""
    table, before, after = changes
    rows = table[(table["area_id"].astype(str) == str(area)) & (table["theme"] == theme)]
    if rows.empty:
        return f"ingen sammenligning {before}–{after}"
    row = rows.iloc[0]
    if bool(row.get("suppressed")) or not np.isfinite(row.get("median_after", np.nan)):
        return f"{before} → {after}: for få svar til å sammenligne"
    diff = float(row["share_low_diff"]) * 100
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    changed = "tydelig endring" if bool(row["changed"]) else "ingen tydelig endring"
    return (f"median {format_number(row['median_before'], lang, 1, whole=True)} → "
            f"{format_number(row['median_after'], lang, 1, whole=True)} ({before} → {after}); "
            f"andel lave skårer {sign}{format_number(abs(diff), lang, 0)} pp, {changed}")


def actions_by_area(log: ActionLog | None, changes: Any, themes: Mapping[str, str],
                    lang: str = "nb") -> dict[str, list[dict]]:
    """Area id → its themes in official order, each ``{"theme", "change", "actions"}``."""
    if log is None or log.table.empty:
        return {}
    from soslokal_lib.themes import THEME_CODES

    out: dict[str, list[dict]] = {}
    order = {code: i for i, code in enumerate(THEME_CODES)}
    table = log.table.assign(_o=log.table["theme"].map(order)).sort_values(
        ["area_id", "_o", "row"], kind="stable")
    for (area, theme), rows in table.groupby(["area_id", "theme"], sort=False):
        actions = [{k: ("" if pd.isna(v) else str(v)) for k, v in r.items()}
                   for r in rows[["action", "responsible", "deadline", "status", "source"]]
                   .to_dict("records")]
        out.setdefault(str(area), []).append({
            "theme": themes.get(str(theme), str(theme)),
            "change": change_text(changes, str(area), str(theme), lang),
            "actions": actions})
    return out


_PAGE = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>Tiltak – {{ kommune }}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{border:1px solid #999;
padding:.3em .5em;text-align:left;vertical-align:top}th{background:#e8eef3}
.change{color:#333;font-style:italic}</style></head><body>
<h1>Tiltak per nabolag og tema – {{ kommune }}</h1>
{% if not areas %}<p>Tiltaksloggen har ingen tiltak ennå.</p>{% endif %}
{% for area in areas %}<h2>{{ area.name }}</h2>
{% for item in area.themes %}<h3>{{ item.theme }}</h3>
{% if item.change %}<p class="change">Endring i temaet: {{ item.change }}</p>{% endif %}
<table><thead><tr><th scope="col">Tiltak</th><th scope="col">Ansvar</th>
<th scope="col">Frist</th><th scope="col">Status</th><th scope="col">Kilde</th></tr></thead>
<tbody>{% for a in item.actions %}<tr><td>{{ a.action }}</td><td>{{ a.responsible }}</td>
<td>{{ a.deadline }}</td><td>{{ a.status }}</td><td>{{ a.source }}</td></tr>{% endfor %}
</tbody></table>{% endfor %}{% endfor %}
{% for note in notes %}<p>Merk: {{ note }}</p>{% endfor %}
</body></html>
"""


def render(template: str, **context: Any) -> str:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    return env.from_string(template).render(**context)


def write_actions_page(path: Path, per_area: Mapping[str, list[dict]],
                       names: Mapping[str, str], kommune: str, notes: list[str]) -> Path:
    """``tiltak.html``: every action per neighbourhood and theme (the whole kommune first)."""
    from soslokal_lib._files import write_atomic

    order = ["total", *[a for a in names if a != "total"]]
    areas = [{"name": "Hele kommunen" if a == "total" else names.get(a, a),
              "themes": per_area[a]} for a in order if a in per_area]
    write_atomic(path, render(_PAGE, kommune=kommune, areas=areas, notes=notes))
    return path
