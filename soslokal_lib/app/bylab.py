"""A Bylab brief per neighbourhood (``bylab_<område>.html``, and ``.docx`` when python-docx is
installed), the action-log template and the actions page: the Bylab step of ``soslokal report``.

A brief holds what a Bylab needs on one sheet of paper: the neighbourhood's compass against the
kommune (with walk and group scores from ``[bylab] group_scores`` as an outline of their own),
the themes that most «kan bli bedre» with residents' words about them, who answered and who is
missing (respondents by age and gender against the neighbourhood's population, as notebook 05
compares them), register facts against the kommune, the actions already in the log, and an
empty table of stakeholders and resources to fill in at the lab.

Privacy as everywhere (ARCHITECTURE §6): a neighbourhood with fewer than ``min_n`` respondents
gets a brief without compass, statistics or quotes; quotes follow the primary rule
(:func:`soslokal_lib.text.select_quotes`); group scores with fewer than ``min_n`` participants are
not shown (:func:`soslokal_lib.stats.group_scores.summarise_group_scores`); register figures are
protected as in the verksted report.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib._files import write_atomic
from soslokal_lib.app.actions import (
    PAGE_NAME,
    actions_by_area,
    load_actions,
    render,
    round_changes,
    write_actions_page,
    write_template,
)
from soslokal_lib.numformat import format_number

if TYPE_CHECKING:
    from soslokal_lib.app.config import Config
    from soslokal_lib.io.inputs import Inputs, SocioTables

#: Empty rows of the stakeholder and resource table.
STAKEHOLDER_ROWS = 6
STAKEHOLDER_COLUMNS = ("Aktør", "Rolle og interesse", "Ressurser (tid, lokaler, penger, "
                       "kunnskap)", "Hva kan de bidra med?", "Neste steg")


def write_bylab(config: Config, inputs: Inputs, socio: SocioTables | None,
                out_dir: str | Path) -> list[Path]:
    """The Bylab step of the report: the template ``tiltak.xlsx``, ``tiltak.html`` (with
    ``[bylab] actions``) and a brief per neighbourhood. Returns the paths written."""
    from soslokal_lib.io.group_scores import read_group_scores
    from soslokal_lib.stats.group_scores import summarise_group_scores
    from soslokal_lib.themes import theme_labels

    out_dir = Path(out_dir)
    written = []
    template, note = write_template(config, inputs, out_dir)
    if template is not None:
        written.append(template)
    elif note:
        print(f"Bylab: {note}.", file=sys.stderr)
    themes = theme_labels("nb", config.theme_labels.get("nb") or None)
    log = load_actions(config, inputs)
    changes = round_changes(config, inputs) if log is not None and len(log) else None
    per_area = actions_by_area(log, changes, themes)
    if log is not None:
        written.append(write_actions_page(out_dir / PAGE_NAME, per_area, inputs.names,
                                          config.kommune, [n.render("nb") for n in log.notes]))
    groups = None
    if config.bylab_group_scores is not None:
        scores = read_group_scores(config.bylab_group_scores, inputs,
                                   labels=config.theme_labels.get("nb") or None)
        groups = summarise_group_scores(scores, config.min_n)
    briefs = build_briefs(inputs, min_n=config.min_n, kommune=config.kommune,
                          labels=config.theme_labels.get("nb") or None, groups=groups,
                          actions=per_area, population=_population(config, inputs),
                          register=_register(config, inputs, socio))
    written += write_briefs(briefs, out_dir)
    return written


def check_bylab(config: Config, inputs: Inputs) -> None:
    """Read ``[bylab] actions`` and ``group_scores`` so that a bad file fails before the
    notebooks run (every problem with its row and column)."""
    from soslokal_lib.io.group_scores import read_group_scores

    load_actions(config, inputs)
    if config.bylab_group_scores is not None:
        read_group_scores(config.bylab_group_scores, inputs,
                          labels=config.theme_labels.get("nb") or None)


# --- what a brief shows -------------------------------------------------------------------------


def build_briefs(inputs: Inputs, *, min_n: int = 5, kommune: str = "kommunen",
                 labels: Mapping[str, str] | None = None, groups: pd.DataFrame | None = None,
                 actions: Mapping[str, list[dict]] | None = None,
                 population: pd.DataFrame | None = None,
                 register: pd.DataFrame | None = None, seed: int = 0) -> list[dict]:
    """One dict per neighbourhood with everything its brief shows (strings and a PNG)."""
    from soslokal_lib import privacy
    from soslokal_lib.app.verksted import TEXT, strongest_weakest
    from soslokal_lib.io.inputs import is_sample
    from soslokal_lib.stats.summary import summarise
    from soslokal_lib.themes import theme_labels

    survey = inputs.survey
    synthetic = bool(inputs.synthetic or is_sample(inputs))
    summary = summarise(survey, min_n=min_n)
    privacy.check_no_small_cells(summary, min_n)
    themes = theme_labels("nb", labels)
    names = {str(k): str(v) for k, v in inputs.names.items()}
    counts = survey.responses["area_id"].astype("string").value_counts()
    areas = sorted({*names, *counts.index.astype(str)},
                   key=lambda a: _nb_key(names.get(a, a)))
    total = summary[summary["area_id"].astype(str) == "total"].set_index("theme")
    briefs: list[dict] = []
    cache: dict[str, pd.DataFrame] = {}
    hidden = who_hidden(survey, min_n)
    reference = _reference(register)
    for area in areas:
        n = int(counts.get(area, 0))
        name = names.get(area, area)
        brief: dict[str, Any] = {
            "id": area, "name": name, "kommune": kommune, "n": n, "min_n": min_n,
            "synthetic": synthetic, "status": "ok", "note": "", "compass": b"",
            "compass_alt": "", "improve": [], "who": _who(survey, area, population, min_n,
                                                           hidden),
            "facts": _facts(register, area), "facts_reference": reference,
            "facts_note": TEXT["nb"]["facts_areas_note"] if reference else "",
            "actions": (actions or {}).get(area, []),
            "groups": _group_line(groups, area), "stakeholders": list(STAKEHOLDER_COLUMNS),
            "stakeholder_rows": STAKEHOLDER_ROWS, "source": inputs.source}
        rows = summary[summary["area_id"].astype(str) == area]
        best, worst = (strongest_weakest(summary, area, k=3) if n >= min_n and len(rows)
                       else (pd.DataFrame(), pd.DataFrame()))
        if n < min_n or worst.empty:
            brief["status"] = "too_few"
            brief["note"] = (f"{name} har {n} svar, færre enn {min_n}: ingen tall eller sitater "
                             "vises, for å verne dem som svarte." if n < min_n else
                             "Alle temaene er skjult for å beskytte et lite nabolag.")
            brief["who"] = {**brief["who"], "rows": []} if n < min_n else brief["who"]
            briefs.append(brief)
            continue
        brief["compass"] = _compass_png(summary, area, names, kommune, labels, min_n,
                                        inputs.source, groups)
        brief["compass_alt"] = _alt(summary, area, name, kommune, themes, worst, groups)
        quotes = _quotes(survey, area, list(worst["theme"]), min_n, seed, cache)
        for row in worst.itertuples(index=False):
            ref = total["median"].get(row.theme, np.nan) if "median" in total else np.nan
            brief["improve"].append({
                "theme": themes[row.theme],
                "median": format_number(row.median, "nb", 1, whole=True),
                "kommune": format_number(ref, "nb", 1, whole=True) if np.isfinite(ref) else "–",
                "share_low": format_number(row.share_low * 100, "nb", 0),
                "quotes": quotes.get(row.theme, [])})
        briefs.append(brief)
    return briefs


def _nb_key(text: object) -> str:
    return str(text).casefold().translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))


def _compass_png(summary: pd.DataFrame, area: str, names: Mapping[str, str], kommune: str,
                 labels: Mapping[str, str] | None, min_n: int, source: str | None,
                 groups: pd.DataFrame | None) -> bytes:
    import io

    from soslokal_lib.app.verksted.parts import DPI, figure
    from soslokal_lib.plot.compass import plot_compass

    fig, ax = figure(6.2, 6.8, polar=True)
    plot_compass(summary, area, compare="total", names={**names, "total": kommune}, ax=ax,
                 title="", source=source, min_n=min_n, labels=labels, groups=groups)
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=DPI, facecolor="white", bbox_inches="tight")
    return raw.getvalue()


def _alt(summary: pd.DataFrame, area: str, name: str, kommune: str,
         themes: Mapping[str, str], worst: pd.DataFrame, groups: pd.DataFrame | None) -> str:
    low = ", ".join(themes[t] for t in worst["theme"])
    text = (f"Stedskompasset for {name} sammenlignet med {kommune}: median per tema fra 1 "
            f"(mye å forbedre) til 7. Lavest: {low}.")
    if _group_line(groups, area):
        text += " Skår fra gåtur og grupper er tegnet som en egen prikket linje."
    return text


def _quotes(survey: Any, area: str, themes: list[str], min_n: int, seed: int,
            cache: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Up to two scrubbed «kan bli bedre» quotes per theme from ``area`` (primary rule);
    ``cache`` keeps each theme's quotes for the other areas."""
    from soslokal_lib.text import select_quotes

    comments = survey.comments
    if comments is None or comments.empty:
        return {}
    out: dict[str, list[str]] = {}
    for theme in themes:
        if theme not in cache:
            cache[theme] = select_quotes(comments, survey.responses, min_n=min_n, per_area=2,
                                         theme=theme, kind="improve", seed=seed,
                                         allow_flagged=False)
        picked = cache[theme]
        picked = picked[picked["area_id"].astype(str) == area]
        if len(picked):
            out[theme] = [str(t) for t in picked["text"]]
    return out


#: Level of respondents who did not give their age or gender, and area of those without one.
NOT_GIVEN = "Ikke oppgitt"
_NO_AREA = "\x00no area"


def who_hidden(survey: Any, min_n: int) -> set[tuple[str, str, str]]:
    """``(area, variable, level)`` of the «Hvem svarte» tables whose count (and share) is not
    shown: every area × level table (age, gender) by :func:`soslokal_lib._counts.count_codes`
    — a count below ``min_n`` (primary) and what else must go so that no small count follows
    from what is public anyway (every area's number of answers, shown in its brief's header;
    the kommune's count per level, shown in the report's «Hvem svarte») together with the
    shown counts of both tables (checked exactly on the respondents per area × age × gender).
    A level with 0 answers may be hidden too (listed as «ikke vist»). Those without an area or
    a level are a row or level of their own; the former's counts are never shown."""
    from soslokal_lib._counts import count_codes

    responses = survey.responses
    area = responses["area_id"].astype("string").fillna(_NO_AREA)
    variables = [v for v in ("age_group", "gender") if v in responses.columns]
    if not variables or responses.empty:
        return set()
    keys = [pd.factorize(area, sort=True)]
    keys += [pd.factorize(responses[v].astype("string").fillna(NOT_GIVEN), sort=True)
             for v in variables]
    areas = keys[0][1]
    levels = [list(names.astype(str)) for _, names in keys[1:]]
    fine = np.zeros(tuple(len(names) for _, names in keys), dtype=np.int64)
    np.add.at(fine, tuple(codes for codes, _ in keys), 1)  # respondents per area × age × gender
    codes = count_codes(fine, min_n, unshown=np.asarray(areas) == _NO_AREA)
    return {(str(areas[a]), var, names[lev])
            for var, names, cells in zip(variables, levels, codes, strict=True)
            for a, lev in zip(*np.nonzero(cells), strict=True)}


def _who(survey: Any, area: str, population: pd.DataFrame | None, min_n: int,
         hidden: set[tuple[str, str, str]] | None = None) -> dict:
    """Respondents of ``area`` by age and gender, against its population when known; the
    count, share and assessment of a level in ``hidden`` (:func:`who_hidden`) are not shown."""
    from soslokal_lib.stats.representativeness import representativeness
    from soslokal_lib.stats.weighting import margins_from_cells

    if hidden is None:
        hidden = who_hidden(survey, min_n)
    frame = survey.responses[survey.responses["area_id"].astype("string") == area]
    variables = [v for v in ("age_group", "gender") if v in frame.columns]
    out: dict[str, Any] = {"rows": [], "missing": "", "population": population is not None,
                           "hidden": False}

    def row(var: str, level: object, n: float, sample: float, pop: str, flag: str) -> dict:
        secret = (area, var, str(level)) in hidden
        out["hidden"] = out["hidden"] or secret
        return {"variable": "Alder" if var == "age_group" else "Kjønn", "level": str(level),
                "n": "ikke vist" if secret else format_number(n, "nb"),
                "sample": "–" if secret else _pct(sample), "population": pop,
                "flag": "" if secret else flag}
    if not variables or frame.empty:
        return out
    cells = None if population is None else population[
        population["area_id"].astype(str) == area]
    if cells is not None and len(cells) and cells["population"].sum() > 0:
        usable = [v for v in variables if v in cells.columns]
        rep = representativeness(frame, margins_from_cells(cells, usable), variables=usable,
                                 min_n=min_n)
        labels = {"under": "færre enn i befolkningen", "over": "flere enn i befolkningen"}
        for r in rep.table.itertuples(index=False):
            out["rows"].append(row(str(r.variable), r.level, r.n, r.sample_share,
                                   _pct(r.population_share),
                                   labels.get(str(r.flag), "som i befolkningen")))
        under = rep.under
        out["missing"] = ", ".join(str(r.level) for r in under.itertuples(index=False)
                                   if (area, str(r.variable), str(r.level)) not in hidden)
        return out
    for var in variables:
        counts = frame[var].astype("string").fillna(NOT_GIVEN).value_counts()
        zero = [lev for a, v, lev in hidden if a == area and v == var and lev not in counts]
        counts = pd.concat([counts, pd.Series(0, index=zero, dtype=counts.dtype)])
        column = survey.responses[var]  # ordered levels in their order, else alphabetical;
        ordered = isinstance(column.dtype, pd.CategoricalDtype) and column.dtype.ordered
        known = (list(column.cat.categories) if ordered  # «Ikke oppgitt» last
                 else sorted(column.dropna().astype(str).unique()))
        order = [str(k) for k in known if str(k) in counts.index] + [NOT_GIVEN]
        counts = counts.reindex([k for k in order if k in counts.index])
        for level, n in counts.items():
            out["rows"].append(row(var, level, n, n / len(frame), "–", ""))
    return out


def _pct(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{format_number(value * 100, 'nb', 0)} %"


def _reference(register: pd.DataFrame | None) -> str:
    """The facts' comparison column: «Nabolagene med tall» when the register has no kommune
    row (each figure then says whether it is the areas' sum or mean, :func:`_facts`), else
    empty (the kommune)."""
    from soslokal_lib.app.verksted import TEXT, split_socio

    if register is not None and split_socio(register)[1].attrs.get("from_areas"):
        return TEXT["nb"]["facts_reference_areas"]
    return ""


def _facts(register: pd.DataFrame | None, area: str) -> list[dict]:
    """Register facts of ``area`` against the kommune (label, value, kommune). Without a
    kommune row the comparison figure says how it was formed: «4 102 (sum av 4 nabolag)»,
    «11,3 % (snitt av 3 av 4 nabolag)»."""
    if register is None:
        return []
    from soslokal_lib.app.verksted import FACTS, baseline_text, split_socio
    from soslokal_lib.indicators import REGISTRY

    per_area, kommune = split_socio(register)
    if area not in per_area.index:
        return []
    names = {i.column: i.name("nb") for i in REGISTRY if i.column}
    out = []
    for col in [c for c in FACTS if c in per_area.columns]:
        value = pd.to_numeric(pd.Series([per_area.at[area, col]]), errors="coerce").iloc[0]
        ref = pd.to_numeric(pd.Series([kommune.get(col)]), errors="coerce").iloc[0]
        decimals = 0 if col in ("population", "median_income_nok") else 1
        unit = (" kr" if col == "median_income_nok" else " per 1 000" if "per_1000" in col
                else " %" if col.endswith("_pct") or col.startswith("pct_") else "")
        shown, known = format_number(value, "nb", decimals), format_number(ref, "nb", decimals)
        basis = baseline_text(kommune, col, "nb") if known else ""
        known = f"{known}{unit} ({basis})" if basis else known + unit if known else ""
        out.append({"label": names.get(col, "Innbyggere" if col == "population" else col),
                    "value": shown + unit if shown else "ikke vist",
                    "kommune": known or "–"})
    return out


def _group_line(groups: pd.DataFrame | None, area: str) -> str:
    if groups is None:
        return ""
    rows = groups[(groups["area_id"].astype(str) == area) & ~groups["suppressed"].astype(bool)]
    if rows.empty:
        hidden = (groups["area_id"].astype(str) == area).any()
        return "Skår fra gåtur og grupper: for få deltakere til å vises." if hidden else ""
    channels = sorted({c.strip() for cs in rows["channels"].dropna() for c in cs.split(",")})
    n = int(pd.to_numeric(rows["participants"]).max())
    return (f"Skår fra {', '.join(channels)} på {len(rows)} tema, n = {n} deltakere "
            "(flest på ett tema); vist for seg, ikke slått sammen med undersøkelsen.")


def _population(config: Config, inputs: Inputs) -> pd.DataFrame | None:
    """Population cells (area, age group, gender) to compare respondents with, or None."""
    try:
        from soslokal_lib.io.sample import SURVEY_AGE_BANDS, SURVEY_SEX
        from soslokal_lib.stats.survey_population import load_survey_population

        found = load_survey_population(
            inputs, kommune=config.kommune_number, online=config.online,
            cache_dir=config.ssb_cache_dir,
            population_path=config.weights.population if config.weights else None,
            ssb_tables=dict(config.ssb_tables) or None, age_bands=SURVEY_AGE_BANDS,
            sex_map=SURVEY_SEX)
    except Exception as exc:  # the brief still shows who answered
        print(f"Bylab: befolkningen kunne ikke leses ({exc}); briefene viser bare svarene.",
              file=sys.stderr)
        return None
    return found.cells if found.available else None


def _register(config: Config, inputs: Inputs, socio: SocioTables | None
              ) -> pd.DataFrame | None:
    """Register facts per area, as in the verksted report
    (:func:`soslokal_lib.app.register.register_per_area`), or None."""
    from soslokal_lib.app.register import register_per_area

    return register_per_area(config, inputs, socio)[0]


# --- writing ------------------------------------------------------------------------------------


def slug(name: str) -> str:
    """A file-name part: «Vestre Strand» → «vestre_strand», «Øyane» → «oyane»."""
    text = str(name).casefold().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "omrade"


def write_briefs(briefs: list[dict], out_dir: Path) -> list[Path]:
    """``bylab_<slug>.html`` per brief (and ``.docx`` when python-docx is installed)."""
    import base64

    try:
        import docx  # noqa: F401
        has_docx = True
    except ImportError:
        has_docx = False
    used: set[str] = set()
    written = []
    for brief in briefs:
        stem = f"bylab_{slug(brief['name'])}"
        if stem in used:
            stem = f"{stem}_{slug(brief['id'])}"
        used.add(stem)
        uri = ("data:image/png;base64," + base64.b64encode(brief["compass"]).decode("ascii")
               if brief["compass"] else "")
        written.append(write_atomic(out_dir / f"{stem}.html",
                                    render(_BRIEF, b=brief, compass_uri=uri)))
        if has_docx:
            from soslokal_lib.app.bylab_docx import write_docx

            written.append(write_docx(brief, out_dir / f"{stem}.docx"))
    return written


_BRIEF = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>Bylab – {{ b.name }}</title>
<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;color:#222;line-height:1.4}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.2em}th,td{border:1px solid #888;
padding:.3em .5em;text-align:left;vertical-align:top}th{background:#e8eef3}
.empty td{height:2.2em}blockquote{margin:.3em 0 .3em 1em;font-style:italic}
.banner{background:#fff3cd;border:1px solid #b58900;padding:.5em}
@media print{section{page-break-inside:avoid}}</style></head><body>
<h1>Bylab: {{ b.name }}</h1>
<p>{{ b.kommune }} · {{ b.n }} svar i Stedskompasset{% if b.status == "ok" %} · tall vises bare
for grupper med minst {{ b.min_n }} svar{% endif %}.</p>
{% if b.synthetic %}<p class="banner">Eksempelkommunen er oppdiktet: alle tall er syntetiske.</p>
{% endif %}
<section><h2>Stedskompasset mot {{ b.kommune }}</h2>
{% if b.status == "ok" %}<figure><img src="{{ compass_uri }}" alt="{{ b.compass_alt }}"
width="560"><figcaption>{{ b.compass_alt }}</figcaption></figure>
{% if b.groups %}<p>{{ b.groups }}</p>{% endif %}
{% else %}<p>{{ b.note }}</p>{% endif %}</section>
{% if b.improve %}<section><h2>Det som mest kan bli bedre</h2>
{% for t in b.improve %}<h3>{{ t.theme }}</h3>
<p>Median {{ t.median }} ({{ b.kommune }}: {{ t.kommune }}); {{ t.share_low }} % ga lav skår.</p>
{% for q in t.quotes %}<blockquote>«{{ q }}»</blockquote>{% endfor %}
{% endfor %}</section>{% endif %}
<section><h2>Hvem svarte, og hvem mangler?</h2>
{% if b.who.rows %}<table><thead><tr><th scope="col">Gruppe</th><th scope="col"></th>
<th scope="col">Svar</th><th scope="col">Andel av svarene</th>
<th scope="col">Andel av befolkningen</th><th scope="col">Vurdering</th></tr></thead><tbody>
{% for r in b.who.rows %}<tr><td>{{ r.variable }}</td><td>{{ r.level }}</td><td>{{ r.n }}</td>
<td>{{ r.sample }}</td><td>{{ r.population }}</td><td>{{ r.flag }}</td></tr>{% endfor %}
</tbody></table>
{% if b.who.hidden %}<p>«ikke vist»: færre enn {{ b.min_n }} svar, eller skjult for at et lite
tall ikke skal kunne regnes ut fra de andre.</p>{% endif %}
{% if b.who.missing %}<p>Færre svar enn i befolkningen: {{ b.who.missing }}. Nå dem med gåtur,
fokusgruppe eller verksted.</p>{% endif %}
{% if not b.who.population %}<p>Befolkningen i nabolaget er ikke kjent; tabellen viser bare
svarene.</p>{% endif %}
{% else %}<p>For få svar til å vise hvem som svarte.</p>{% endif %}</section>
{% if b.facts %}<section><h2>Fakta fra registrene</h2><table><thead><tr>
<th scope="col">Fakta</th><th scope="col">{{ b.name }}</th><th scope="col">{{ b.facts_reference or b.kommune }}</th>
</tr></thead><tbody>{% for f in b.facts %}<tr><td>{{ f.label }}</td><td>{{ f.value }}</td>
<td>{{ f.kommune }}</td></tr>{% endfor %}</tbody></table>
{% if b.facts_note %}<p>{{ b.facts_note }}</p>{% endif %}</section>{% endif %}
{% if b.actions %}<section><h2>Tiltak i loggen</h2>
{% for item in b.actions %}<h3>{{ item.theme }}</h3>
{% if item.change %}<p>Endring i temaet: {{ item.change }}</p>{% endif %}
<table><thead><tr><th scope="col">Tiltak</th><th scope="col">Ansvar</th><th scope="col">Frist</th>
<th scope="col">Status</th><th scope="col">Kilde</th></tr></thead><tbody>
{% for a in item.actions %}<tr><td>{{ a.action }}</td><td>{{ a.responsible }}</td>
<td>{{ a.deadline }}</td><td>{{ a.status }}</td><td>{{ a.source }}</td></tr>{% endfor %}
</tbody></table>{% endfor %}</section>{% endif %}
<section><h2>Aktører og ressurser (fylles ut på Bylab)</h2>
<table class="empty"><thead><tr>{% for c in b.stakeholders %}<th scope="col">{{ c }}</th>
{% endfor %}</tr></thead><tbody>{% for _ in range(b.stakeholder_rows) %}<tr>
{% for c in b.stakeholders %}<td></td>{% endfor %}</tr>{% endfor %}</tbody></table></section>
<p><small>{{ b.source }}</small></p>
</body></html>
"""
