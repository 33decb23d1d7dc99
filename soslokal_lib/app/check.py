"""Check every input a config names before a report is made (``soslokal check``)."""

from __future__ import annotations

import difflib
import json
import warnings
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from soslokal_lib._messages import Text, lazy, msg, tr
from soslokal_lib.app.config import Config
from soslokal_lib.errors import ProblemWarning, SoslokalError, prefixed
from soslokal_lib.numformat import format_number


@dataclass
class InputsCheck:
    """What ``soslokal check`` found.

    ``columns``: header → canonical name as read; ``per_area``: respondents per area
    (``area_id``, ``area_name``, ``n``; areas of the boundary file without respondents have
    ``n = 0``); ``unmatched``: survey area values matching no area code or name (``value``,
    ``n``, ``suggestion``); ``outside``: areas of the boundary file left out as lying outside
    the kommune (``area_id`` → name); ``partial``: what an input that failed could still
    give (the survey's column mapping and area answers); ``notes``: harmless remarks
    (warnings included); ``problems``: what must be fixed, every one of them, each fix worded
    for the config file (notes and problems are English ``str`` that render in bokmål too,
    :class:`soslokal_lib._messages.Text`); ``hidden``: the areas the report will hide and why
    (:func:`hidden_areas`; ``None`` when the inputs could not be read).
    """

    config: Config
    n_respondents: int = 0
    n_areas: int = 0
    columns: dict[str, Any] = field(default_factory=dict)
    per_area: pd.DataFrame | None = None
    unmatched: pd.DataFrame | None = None
    outside: dict[str, str] = field(default_factory=dict)
    partial: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    hidden: HiddenAreas | None = None
    levekar: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Warnings already noted (their text): a file read again (the survey, for the hidden
    #: areas and the Bylab files) warns again, but is noted once, under the input it concerns.
    warned: set[str] = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        """True when nothing needs fixing."""
        return not self.problems


def _fold(values: pd.Series) -> pd.Series:
    return values.astype("string").str.replace(r"\s+", " ", regex=True).str.strip().str.casefold()


def check_inputs(config: Config) -> InputsCheck:
    """Read every input of ``config`` and compare the survey's areas with the boundary file.

    Never raises for bad data: every :class:`SoslokalError` or ``OSError`` becomes a problem.
    """
    result = InputsCheck(config)
    survey = _read(result, "survey", _survey, config)
    areas = _read(result, "areas", _areas, config) if config.areas_path else None
    if areas is not None:
        areas, dropped = areas
        result.outside = dropped["area_name"].fillna("").astype(str).to_dict()
        if result.outside:
            how = areas.attrs.get("kommune_cut")
            result.notes.append(_what("areas", msg(
                "check.outside", n=len(dropped), file=config.areas_path.name,
                kommune=config.kommune_number or config.kommune,
                how=_cut_text(how),
                names=", ".join(result.outside.values()))))
    if survey is not None:
        result.n_respondents = len(survey.responses)
        result.columns = dict(survey.meta.get("columns", {}))
        _match_areas(result, survey.responses["area_id"], areas, survey.meta.get("source_rows"))
        without = int(survey.meta.get("n_without_area", 0))
        if without:
            result.notes.append(_what("survey", msg("check.without_area", n=without)))
        dont_know = int(survey.dont_know.to_numpy().sum())
        if dont_know:
            result.notes.append(_what("survey", msg("check.dont_know", n=dont_know)))
    elif result.partial.get("survey"):  # unreadable cells: still compare the areas named
        partial = result.partial["survey"]
        result.n_respondents = partial["n_respondents"]
        result.columns = dict(partial["columns"])
        if partial["area_id"] is not None:
            _match_areas(result, partial["area_id"], areas, partial.get("source_rows"))
    if len(config.rounds) > 1:  # every round is listed, the earlier ones read too
        listed = ", ".join(f"{r.label} ({r.path.name})" for r in config.rounds)
        result.notes.append(_what("survey", msg("check.rounds", rounds=listed,
                                                main=config.rounds[-1].label)))
        read = [survey]
        for earlier in config.rounds[:-1]:
            old = _read(result, ("survey", f" {earlier.label}"), _round_survey, (config, earlier))
            read.append(old)
            if old is not None and areas is not None:
                _match_round(result, old, earlier, areas)
        if config.crosswalk is not None and areas is not None and all(
                r is not None for r in read):
            _check_crosswalk(result, read, areas)
    before = survey_problems = len(result.problems)  # the survey's, the areas', the rounds'
    for sheet in config.levekar:
        _read(result, ("levekar", sheet.path.name), _levekar, sheet)
    if config.levekar and areas is not None and len(result.problems) == before:
        names = {str(k): str(v) for k, v in areas["area_name"].fillna("").items()}
        files = ", ".join(s.path.name for s in config.levekar)
        merged = survey is not None and bool(config.merge or config.merge_small)
        data = _read(result, ("levekar", files), _levekar_data, (config, names, merged))
        if data is not None:  # what each label of a zone sheet is read as (label → indicator)
            result.levekar = {k: dict(v) for k, v in data.mapping.items()}
            result.notes += [_what("levekar", note) for note in data.notes]
    for table_id, path in config.ssb_tables.items():
        _read(result, ("ssb", table_id), _jsonstat, path)
    if config.weights is not None:
        _read(result, "weights", _population, config.weights.population)
    if survey is not None and (config.bylab_actions or config.bylab_group_scores):
        if survey_problems:
            # the Bylab files name areas: checked once the survey's areas are in order (else
            # the same area problem came again, labelled as the Bylab files')
            result.notes.append(_what("bylab", msg("check.bylab_later")))
        else:
            _read(result, "bylab", _bylab, config)
    if survey is not None and not result.problems:
        result.hidden = _read(result, "areas", hidden_areas, config)
    if survey is not None and config.report_areas and not result.problems:
        _read(result, "areas", _report_areas, config)
    return result


def _report_areas(config: Config) -> list[str]:
    """The neighbourhoods ``[report] areas`` names, as the report will find them (merged
    areas included); an unknown one is a problem here rather than late in ``report``."""
    from soslokal_lib.app.verksted.selection import area_order, select_areas
    from soslokal_lib.io.inputs import load_inputs
    from soslokal_lib.stats.areamerge import merge_areas

    inputs = merge_areas(load_inputs(**config.input_options()), dict(config.merge) or None,
                         config.merge_small, min_n=config.min_n, lang=config.lang)
    order = area_order(inputs, inputs.survey.responses["area_id"].dropna().astype(str))
    return select_areas(config.report_areas, order,
                        {a: str(inputs.names.get(a, a)) for a in order})


#: The input a line is about, by language (``check.what.*`` in the catalogue).
_WHAT = ("survey", "areas", "levekar", "ssb", "weights", "bylab")


def _cut_text(how: object) -> object:
    """How the boundary file was cut to the kommune (``attrs["kommune_cut"]``), translated."""
    text = str(how)
    if text.startswith("by code: prefix "):
        return msg("check.cut_prefix", kommune=text.removeprefix("by code: prefix "))
    return msg("check.cut_outline") if text == "by the kommune's outline" else text


def _what(what: str | tuple[str, str], line: object) -> Text:
    """«survey: <line>» with the input's name in the line's language."""
    key, name = (what, "") if isinstance(what, str) else what

    def render(lang: str) -> str:
        text = tr(line, lang)
        head, sep, rest = text.partition(": ")
        if name and sep and head.replace("\\", "/").rpartition("/")[2] == name:
            text = rest  # «levekår x.xlsx: /full/path/x.xlsx: …» names the file once
        return f"{tr(msg('check.what.' + key, name=name), lang).rstrip()}: {text}"

    return lazy(render)


def _os_error(exc: OSError) -> Text:
    """An operating-system error («file not found») in either language."""
    import errno

    keys = {errno.ENOENT: "os.not_found", errno.EACCES: "os.denied", errno.EISDIR: "os.is_dir",
            errno.ENOTDIR: "os.not_dir"}
    where = f"{exc.filename}: " if exc.filename else ""
    if exc.errno in keys:
        return lazy(lambda lang: where + tr(msg(keys[exc.errno]), lang))
    return lazy(lambda lang: f"{where}{exc.strerror or exc}")


def _read(result: InputsCheck, what: str | tuple[str, str], reader, arg) -> Any:
    value = None
    key = what if isinstance(what, str) else " ".join(what)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = reader(arg)
        except SoslokalError as exc:
            result.problems.extend(_what(what, line) for line in _problem_lines(exc))
            result.partial[key] = getattr(exc, "partial", None)
        except OSError as exc:
            result.problems.append(_what(what, _os_error(exc)))
    for w in caught:
        line = _warning_line(w)
        if line is not None and not noted(result, w):
            result.warned.add(tr(line, "en"))
            result.notes.append(_what(what, line))
    return value


def _warning_line(w) -> Text | str | None:
    """A caught warning as a note (``None``: not a user warning)."""
    if isinstance(w.message, ProblemWarning):
        warning = w.message
        return lazy(lambda lang, w=warning: w.describe(config=True, lang=lang))
    if issubclass(w.category, UserWarning):
        return w.message.args[0] if w.message.args else str(w.message)
    return None


def noted(result: InputsCheck, caught) -> bool:
    """Whether a caught warning is already among ``result.notes`` (a file read again warns
    again; ``soslokal check`` says it once)."""
    line = _warning_line(caught)
    return line is not None and tr(line, "en") in result.warned


#: Cells with the same problem in the same column shown in full; the rest are counted.
SAME_PROBLEM_SHOWN = 3


def _problem_lines(exc: SoslokalError) -> list[str]:
    """Every problem of ``exc`` with its config-file fix; of many cells with the same problem
    in one column the first :data:`SAME_PROBLEM_SHOWN` are shown and the others counted."""
    problems = getattr(exc, "problems", None)
    if not problems:
        return [lazy(lambda lang: exc.describe(lang, config=True))]
    groups: dict[tuple, list] = {}
    for p in problems:
        key = (p.column, p.message) if p.row is not None and p.row > 1 else (id(p),)
        groups.setdefault(key, []).append(p)
    lines = []
    for same in groups.values():
        lines += [lazy(lambda lang, p=p: prefixed(exc.source, p.describe(config=True,
                                                                          lang=lang), lang))
                  for p in same[:SAME_PROBLEM_SHOWN]]
        rest = same[SAME_PROBLEM_SHOWN:]
        if rest:
            rows = ", ".join(str(p.row) for p in rest[:10]) + (" …" if len(rest) > 10 else "")
            more = msg("check.same_problem", column=rest[0].column, n=len(rest),
                       message=rest[0].message, rows=rows)
            lines.append(lazy(lambda lang, m=more: prefixed(exc.source, tr(m, lang), lang)))
    return lines


def _survey(config: Config):
    from soslokal_lib.io.survey import read_survey

    mapping = dict(config.columns)
    if config.area_column:
        mapping[config.area_column] = "area_id"
    return read_survey(config.survey_path, mapping or None, **config.survey_options())


def _round_survey(arg):
    from soslokal_lib.io.survey import read_survey

    config, earlier = arg
    return read_survey(earlier.path, dict(earlier.columns) or None,
                       **config.round_options.get(earlier.label, {}))


def _bylab(config: Config):
    from soslokal_lib.app.bylab import check_bylab
    from soslokal_lib.app.report import config_inputs

    check_bylab(config, config_inputs(config))


def _areas(config: Config):
    from soslokal_lib.io.inputs import read_kommune_areas

    return read_kommune_areas(config.areas_path, **config.area_options(),
                              kommune=config.kommune_number, boundary=config.kommune_boundary)


def _levekar(sheet):
    from soslokal_lib.io.levekar import read_levekar

    return read_levekar(sheet.path, sheet=sheet.sheet, orientation=sheet.orientation,
                        id_column=sheet.id_column)


def _levekar_data(arg):
    """The zone sheets as ``report`` reads them: for the areas after merging, when the config
    merges any (a sheet per neighbourhood of the boundary file then serves the merged ones)."""
    from soslokal_lib.app.report import config_inputs
    from soslokal_lib.indicators.levekar_data import read_levekar_data

    config, names, merged = arg
    levekar = [s.to_parameter() for s in config.levekar]
    if merged:
        try:
            inputs = config_inputs(config)
        except SoslokalError:  # a bad merge is a problem of [areas], named there
            inputs = None
        if inputs is not None:
            return read_levekar_data(levekar, inputs)
    return read_levekar_data(levekar, names=names)


def _jsonstat(path):
    from soslokal_lib.io.ssb import read_jsonstat

    return read_jsonstat(path)


def _population(path):
    if path.suffix.lower() == ".json":
        return _jsonstat(path)
    try:
        return pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as exc:
        raise SoslokalError(msg("check.population_csv", path=path, error=exc)) from None


#: Rows (as in Excel) named for an unknown area answer; the others are counted.
ROWS_SHOWN = 5


def _match_areas(result: InputsCheck, answers: pd.Series, areas,
                 rows: list[int] | None = None) -> None:
    """Fill ``per_area`` and ``unmatched``; codes and names match ignoring case and spaces.
    ``rows``: each answer's row in the file, as in Excel (named for unknown answers)."""
    config = result.config
    if rows is not None and len(rows) == len(answers):
        rows = pd.Series(rows, index=answers.index)
    else:
        rows = None
    given = answers[answers.notna() & (answers.astype("string") != "")].astype("string")
    if areas is None:
        counts = given.value_counts(sort=False).sort_index()
        result.per_area = pd.DataFrame({"area_id": counts.index.astype(str),
                                        "area_name": counts.index.astype(str),
                                        "n": counts.to_numpy(dtype="int64")})
        result.n_areas = len(counts)
        result.notes.append(msg("check.no_areas"))
    else:
        codes = pd.Series(areas.index.astype(str), index=areas.index.astype(str))
        names = areas["area_name"].astype("string")
        lookup = pd.concat([
            pd.Series(codes.to_numpy(), index=_fold(codes).to_numpy()),
            pd.Series(codes.to_numpy(), index=_fold(names.fillna("")).to_numpy()),
        ])
        lookup = lookup[~lookup.index.duplicated(keep="first") & (lookup.index != "")]
        mapped = _fold(given).map(lookup)
        missing = given[mapped.isna()]
        counts = mapped.dropna().value_counts()
        per_area = pd.DataFrame({"area_id": codes.to_numpy(),
                                 "area_name": names.fillna("").to_numpy()})
        per_area["n"] = per_area["area_id"].map(counts).fillna(0).astype("int64")
        result.per_area = per_area
        result.n_areas = len(per_area)
        if len(missing):
            known = list(dict.fromkeys([*names.dropna().astype(str), *codes.astype(str)]))
            result.unmatched = _unmatched(result, missing, rows, known, config.survey_path.name,
                                          config.survey_round)
        empty = per_area.loc[per_area["n"] == 0]
        if len(empty):
            names = ", ".join(empty["area_name"].where(empty["area_name"] != "",
                                                       empty["area_id"]))
            boundary = ""
            if (config.kommune_boundary is None and areas.attrs.get("level") == "custom"
                    and not result.outside):
                boundary = msg("check.empty_boundary")
            result.notes.append(msg("check.empty", n=len(empty), names=names, hint=boundary))


def _unmatched(result: InputsCheck, missing: pd.Series, rows: pd.Series | None,
               known: list[str], survey: str, label: str | None,
               advice: object = "") -> pd.DataFrame:
    """Add the problem «these area answers match no area» for the answers ``missing`` of the
    survey file ``survey`` (round ``label``); return them as ``value, n, suggestion``. An
    answer like no area at all («Vil ikke oppgi») gets the fix ``missing_tokens``; ``advice``
    is added to the fix (an earlier round's ``[rounds] crosswalk`` line)."""
    bad = missing.value_counts()
    suggestion = [", ".join(difflib.get_close_matches(str(v), known, n=2, cutoff=0.6))
                  for v in bad.index]
    where_rows = {v: "" for v in bad.index}
    if rows is not None:
        for value, at in rows[missing.index].groupby(missing.to_numpy()):
            shown = ", ".join(str(r) for r in sorted(at)[:ROWS_SHOWN])
            more = len(at) - ROWS_SHOWN
            where_rows[value] = (msg("check.unmatched_rows_more", rows=shown, more=more)
                                 if more > 0 else msg("check.unmatched_rows", rows=shown)
                                 if len(at) > 1 else msg("check.unmatched_row", rows=shown))
    ones = [msg("check.unmatched_one", value=v, n=n, rows=where_rows[v],
                hint=msg("check.unmatched_hint", names=s) if s else "")
            for v, n, s in zip(bad.index, bad, suggestion, strict=True)]
    listed = lazy(lambda lang: "; ".join(tr(one, lang) for one in ones))
    outside = [v for v in bad.index if _fold(pd.Series([v])).iat[0] in
               set(_fold(pd.Series(list(result.outside.values()), dtype="string")))]
    where = (msg("check.unmatched_outside", names=", ".join(map(repr, outside)))
             if outside else "")
    words = [str(v) for v, s in zip(bad.index, suggestion, strict=True)
             if not s and v not in outside]
    tokens = ""
    if words:
        block = (msg("check.unmatched_tokens_round", round=label)
                 if len(result.config.rounds) > 1 else "under [survey]")
        tokens = msg("check.unmatched_tokens", values=", ".join(map(repr, words)),
                     toml=", ".join(json.dumps(w, ensure_ascii=False) for w in words),
                     block=block)
    fixes = lazy(lambda lang: tr(tokens, lang) + tr(advice, lang))
    result.problems.append(msg("check.unmatched", n=len(bad), listed=listed, survey=survey,
                               areas=result.config.areas_path.name, where=where,
                               tokens=fixes))
    return pd.DataFrame({"value": bad.index.astype(str), "n": bad.to_numpy(dtype="int64"),
                         "suggestion": suggestion})


def _match_round(result: InputsCheck, survey, earlier, areas) -> None:
    """An earlier round's area answers, after the ``[rounds] crosswalk``, must name an area of
    the boundary file too (else they would be compared as an area of their own)."""
    from soslokal_lib.stats.crosswalk import crosswalk_advice, read_crosswalk, resolve_crosswalk

    answers = survey.responses["area_id"]
    given = answers[answers.notna() & (answers.astype("string") != "")].astype("string")
    codes = pd.Series(areas.index.astype(str), index=areas.index.astype(str))
    names = areas["area_name"].astype("string").fillna("")
    known = list(dict.fromkeys([*names[names != ""].astype(str), *codes.astype(str)]))
    mapping: dict[str, str] = {}
    if result.config.crosswalk is not None:
        try:
            mapping = resolve_crosswalk(read_crosswalk(result.config.crosswalk),
                                        {*given.astype(str), *known})
        except (SoslokalError, OSError):  # the round comparison reports a bad crosswalk
            mapping = {}
    folded = {*_fold(codes), *_fold(names)} - {""}
    target = given.map(lambda v: mapping.get(str(v), str(v))).astype("string")
    missing = given[~_fold(target).isin(folded).to_numpy()]
    if not len(missing):
        return
    rows = survey.meta.get("source_rows")
    rows = pd.Series(rows, index=answers.index) if rows is not None and len(rows) == len(
        answers) else None
    # a renamed or merged area belongs in [rounds] crosswalk: say so, with the areas that got
    # no answers in this round as the likely new names
    answered = set(_fold(given)) | set(_fold(target))
    shown = names.where(names != "", codes.astype("string"))
    candidates = [str(v) for v in shown[~_fold(shown).isin(answered).to_numpy()]]
    advice = crosswalk_advice(list(dict.fromkeys(missing.astype(str))), candidates,
                              earlier.label, result.config.path.name)
    _unmatched(result, missing, rows, known, earlier.path.name, earlier.label, advice)


def _check_crosswalk(result: InputsCheck, surveys: list, areas: pd.DataFrame) -> None:
    """Every name of ``[rounds] crosswalk`` must be an area answer of some round or an area
    of the boundary file: a misspelt old name is otherwise ignored without a word."""
    from soslokal_lib.stats.crosswalk import read_crosswalk, unknown_crosswalk_names

    table = _read(result, "survey", read_crosswalk, result.config.crosswalk)
    if table is None:
        return
    answered = [str(v) for s in surveys
                for v in s.responses["area_id"].dropna().astype(str).unique()]
    names = areas["area_name"].astype("string").fillna("")
    known = [*names[names != ""].astype(str), *areas.index.astype(str)]
    files = ", ".join(r.path.name for r in result.config.rounds)
    result.problems.extend(unknown_crosswalk_names(
        table, answered, known, surveys=files, boundary=result.config.areas_path.name))


# --- areas the report hides ---------------------------------------------------------------------

_HIDDEN_TEXT = {
    "nb": {
        "title": "Skjules i rapporten (min_n = {min_n}):",
        "none": "Skjules i rapporten: ingen nabolag (min_n = {min_n}).",
        "merged": "Slås sammen:",
        "primary_all": "{area} ({n} svar): alle tall skjules – færre enn {min_n} svar "
                       "(primærprikking).",
        "primary_some": "{area} ({n} svar): {k} av {t} tema skjules – færre enn {min_n} svar på "
                        "temaet (primærprikking).",
        "secondary": "{area} ({n} svar): {k} av {t} tema skjules for å beskytte et lite nabolag "
                     "(sekundærprikking), ellers kunne de skjulte tallene regnes ut.",
        "remedy": "Løsning: slå de små nabolagene sammen med et nabolag ved siden av, slik at "
                  "de sammen har minst {min_n} svar på hvert tema. Legg til under [areas] i "
                  "{config}:",
        "remedy_small": "eller la soslokal velge et slikt nabolag ved siden av for hvert nabolag "
                        "med færre enn {min_n} svar:",
        "remedy_none": "Ingen sammenslåing foreslås for {areas}: {why}. Løsning: slå "
                       "nabolaget sammen med et annet under [areas] i {config}: "
                       "merge = {{ \"{first}\" = \"<et annet nabolag>\" }}, eller godta at "
                       "noen tema skjules.",
        "why_thin": "ingen nabo med svar gir minst {min_n} svar på hvert tema sammen med det",
        "why_no_file": "oppsettet har ingen grensefil ([areas] path), så soslokal vet ikke "
                       "hvilke nabolag som ligger ved siden av hverandre",
        "remedy_island": "Ingen sammenslåing foreslås for {area}: ingen nabolag med svar har "
                         "felles grense med det i grensefila (det ligger for seg selv, f.eks. "
                         "en øy), så soslokal finner ingen nabo å slå det sammen med{near}. "
                         "Løsning: velg selv nabolaget det skal slås sammen med, under [areas] "
                         "i {config}:",
        "island_keep": "eller godta at tallene for {area} skjules.",
        "near": "; nærmest er {items}", "another": "<et annet nabolag>",
        "remedy_without": "De skjulte tallene beskytter også de {n} svarene uten område (de er "
                          "en egen celle, og kommunetallet minus nabolagene ville ellers vise "
                          "svarene deres). Løsning: fyll inn området deres i svarfila der du "
                          "vet det; ellers kan du ta disse svarene ut av en kopi av svarfila – "
                          "da koster de ingen skjulte tall, men de er heller ikke med i "
                          "kommunetallet.",
        "remedy_other": "Løsning: slå nabolagene over sammen med et nabolag ved siden av under "
                        "[areas] i {config}: merge = {{ \"<nabolag>\" = \"<nabolaget ved "
                        "siden av>\" }}.",
    },
    "en": {
        "title": "Hidden in the report (min_n = {min_n}):",
        "none": "Hidden in the report: no areas (min_n = {min_n}).",
        "merged": "Merged:",
        "primary_all": "{area} ({n} responses): all figures hidden – fewer than {min_n} "
                       "responses (primary suppression).",
        "primary_some": "{area} ({n} responses): {k} of {t} themes hidden – fewer than {min_n} "
                        "responses to the theme (primary suppression).",
        "secondary": "{area} ({n} responses): {k} of {t} themes hidden to protect a small area "
                     "(secondary suppression); otherwise the hidden figures could be worked out.",
        "remedy": "Remedy: merge the small areas into a neighbouring area, so that together "
                  "they have at least {min_n} answers on every theme. Add under [areas] in "
                  "{config}:",
        "remedy_small": "or let soslokal choose such a neighbour for every area with fewer than "
                        "{min_n} responses:",
        "remedy_none": "No merge is suggested for {areas}: {why}. "
                       "Remedy: merge the area into another under [areas] in {config}: "
                       "merge = {{ \"{first}\" = \"<another area>\" }}, or accept that some "
                       "themes are hidden.",
        "why_thin": "no neighbour with responses gives at least {min_n} answers on every theme "
                    "together with it",
        "why_no_file": "the config has no boundary file ([areas] path), so soslokal does not "
                       "know which areas lie next to each other",
        "remedy_island": "No merge is suggested for {area}: no area with responses shares a "
                         "border with it in the boundary file (it lies apart, e.g. an island), "
                         "so soslokal finds no neighbour to merge it with{near}. Remedy: choose "
                         "the area to merge it with yourself, under [areas] in {config}:",
        "island_keep": "or accept that the figures of {area} are hidden.",
        "near": "; the nearest are {items}", "another": "<another area>",
        "remedy_without": "The hidden figures also protect the {n} responses without an area "
                          "(a cell of their own: the kommune figure minus the areas would show "
                          "their answers). Remedy: fill in their area in the survey file where "
                          "you know it; otherwise you may take these responses out of a copy of "
                          "the survey file – then they cost no hidden figures, but they are not "
                          "in the kommune figure either.",
        "remedy_other": "Remedy: merge the areas above into a neighbouring area under [areas] "
                        "in {config}: merge = {{ \"<area>\" = \"<neighbouring area>\" }}.",
    },
}


@dataclass(frozen=True)
class HiddenAreas:
    """What the report will hide, per area, read from the ``suppression`` column of
    :func:`soslokal_lib.summarise` on the (merged) inputs.

    ``table``: ``area_id, area_name, n, themes, primary, secondary`` (numbers of themes hidden
    by each rule; only areas with something hidden); ``merge_lines``: the ``merge = {…}`` line
    that would merge each area with fewer than ``min_n`` answers on a theme into a touching
    neighbour (:func:`soslokal_lib.stats.areamerge.suggest_merges`; empty without boundaries);
    ``merged``: the merge already made, as text; ``without_area``: respondents without an area
    when they are fewer than ``min_n`` on some theme (0 otherwise); ``merge_small``: whether
    the config already sets ``merge_small``.
    """

    table: pd.DataFrame
    min_n: int
    merge_lines: tuple[str, ...] = ()
    merged: str = ""
    without_area: int = 0
    merge_small: bool = False
    #: areas that touch no area with answers: (name, the area to suggest or ``None``, the
    #: nearest areas as (name, metres)); ``merge``: the config's ``[areas] merge``
    isolated: tuple[tuple[str, str | None, tuple[tuple[str, float], ...]], ...] = ()
    boundaries: bool = True
    merge: tuple[tuple[str, str], ...] = ()

    def lines(self, lang: str = "nb", config_name: str = "oppsettet") -> list[str]:
        """The section of ``soslokal check`` (one line each, indented by the caller)."""
        t = _HIDDEN_TEXT["en" if lang == "en" else "nb"]
        out = [f"{t['merged']} {self.merged}"] if self.merged else []
        if self.table.empty:
            return [*out, t["none"].format(min_n=self.min_n)]
        out.append(t["title"].format(min_n=self.min_n))
        for row in self.table.itertuples(index=False):
            common = {"area": row.area_name, "n": row.n, "t": row.themes, "min_n": self.min_n}
            if row.primary:
                key = "primary_all" if row.primary == row.themes else "primary_some"
                out.append("  " + t[key].format(k=row.primary, **common))
            if row.secondary:
                out.append("  " + t["secondary"].format(k=row.secondary, **common))
        primary = self.table[self.table["primary"] > 0]
        small = self.table[self.table["n"] < self.min_n]
        if self.merge_lines:
            out.append(t["remedy"].format(config=config_name, min_n=self.min_n))
            out += [f"    {line}" for line in self.merge_lines]
            if len(small) and not self.merge_small:
                out += ["  " + t["remedy_small"].format(min_n=self.min_n),
                        '    merge_small = "neighbour"']
        alone = [name for name, _, _ in self.isolated]
        rest = primary[~primary["area_name"].isin(alone)]
        if not self.merge_lines and len(rest):
            why = t["why_thin" if self.boundaries else "why_no_file"].format(min_n=self.min_n)
            out.append(t["remedy_none"].format(
                areas=", ".join(rest["area_name"]), first=rest["area_name"].iat[0], why=why,
                min_n=self.min_n, config=config_name))
        for name, target, near in self.isolated:
            items = ", ".join(f"{a} ({format_number(m / 1000, lang, 1)} km)" for a, m in near)
            out.append(t["remedy_island"].format(area=name, config=config_name,
                                                 near=t["near"].format(items=items)))
            into = target or t["another"]
            out += [f"    {_merge_line({**dict(self.merge), name: into})}",
                    "  " + t["island_keep"].format(area=name)]
        if self.without_area:
            out.append(t["remedy_without"].format(n=self.without_area))
        elif not (self.merge_lines or len(primary)):
            out.append(t["remedy_other"].format(config=config_name))
        return out


def hidden_areas(config: Config) -> HiddenAreas:
    """The areas a report on ``config`` hides and why, with the ``[areas] merge`` lines that
    would keep the small ones (see :class:`HiddenAreas`)."""
    from soslokal_lib.io.inputs import load_inputs
    from soslokal_lib.stats.areamerge import (
        isolated_areas,
        merge_areas,
        plan_merges,
        suggest_merges,
    )
    from soslokal_lib.stats.summary import summarise

    raw = load_inputs(**config.input_options())
    merge = dict(config.merge) or None
    inputs = merge_areas(raw, merge, config.merge_small, min_n=config.min_n, lang=config.lang)
    summary = summarise(inputs.survey, min_n=config.min_n)
    areas = summary[summary["area_id"].astype(str) != "total"]
    kind = areas["suppression"].astype("string")
    per_area = pd.DataFrame({
        "area_id": areas["area_id"].astype(str),
        "themes": 1, "primary": (kind == "primary").fillna(False).astype(int),
        "secondary": (kind == "secondary").fillna(False).astype(int),
    }).groupby("area_id", sort=False).sum()
    counts = inputs.survey.responses["area_id"].astype("string").value_counts()
    per_area["n"] = counts.reindex(per_area.index).fillna(0).astype(int).to_numpy()
    per_area["area_name"] = [str(inputs.names.get(a, a)) for a in per_area.index]
    table = per_area[(per_area["primary"] + per_area["secondary"]) > 0].reset_index()
    table = table[["area_id", "area_name", "n", "themes", "primary", "secondary"]]
    table = table.sort_values(["n", "area_id"], kind="stable").reset_index(drop=True)
    lines: tuple[str, ...] = ()
    isolated = []
    if (table["primary"] > 0).any():
        pairs = [(str(raw.names.get(a, a)), str(raw.names.get(b, b)))
                 for a, b in suggest_merges(inputs, min_n=config.min_n)]
        if pairs:
            lines = (_merge_line({**(merge or {}), **dict(pairs)}),)
        alone = isolated_areas(inputs, list(table.loc[table["primary"] > 0, "area_id"]),
                               min_n=config.min_n)
        for area, (target, near) in alone.items():
            isolated.append((str(inputs.names.get(area, area)),
                             str(inputs.names.get(target, target)) if target else None,
                             tuple((str(inputs.names.get(a, a)), m) for a, m in near)))
    merged = ""
    if "area_merge" in inputs.survey.meta:
        merged = plan_merges(raw, merge, config.merge_small, min_n=config.min_n,
                             lang=config.lang).text(config.lang)
    responses = inputs.survey.responses
    nowhere = responses[responses["area_id"].isna()]
    themes = [c for c in inputs.survey.themes if c in nowhere.columns]
    answered = nowhere[themes].notna().sum()
    without = len(nowhere) if ((answered > 0) & (answered < config.min_n)).any() else 0
    if table.empty:
        without = 0
    return HiddenAreas(table, config.min_n, lines, merged, without,
                       config.merge_small is not None, tuple(isolated),
                       inputs.areas is not None, tuple((merge or {}).items()))


def _merge_line(pairs: dict[str, str]) -> str:
    body = ", ".join(f'"{a}" = "{b}"' for a, b in pairs.items())
    return f"merge = {{ {body} }}"
