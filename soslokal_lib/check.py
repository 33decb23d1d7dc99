"""Check every input a config names before a report is made (``soslokal check``)."""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .config import Config
from .errors import ProblemWarning, SoslokalError


@dataclass
class InputsCheck:
    """What ``soslokal check`` found.

    ``columns``: header → canonical name as read; ``per_area``: respondents per area
    (``area_id``, ``area_name``, ``n``; areas of the boundary file without respondents have
    ``n = 0``); ``unmatched``: survey area values matching no area code or name (``value``,
    ``n``, ``suggestion``); ``outside``: areas of the boundary file left out as lying outside
    the kommune (``area_id`` → name); ``partial``: what an input that failed could still
    give (the survey's column mapping and area answers); ``notes``: harmless remarks
    (warnings included);
    ``problems``: what must be fixed, every one of them, each fix worded for the config file.
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
            result.notes.append(
                f"areas: {len(dropped)} area(s) of {config.areas_path.name} lie outside kommune "
                f"{config.kommune_number or config.kommune} ({how}) and are left out: "
                f"{', '.join(result.outside.values())}")
    if survey is not None:
        result.n_respondents = len(survey.responses)
        result.columns = dict(survey.meta.get("columns", {}))
        _match_areas(result, survey.responses["area_id"], areas)
        dont_know = int(survey.dont_know.to_numpy().sum())
        if dont_know:
            result.notes.append(f"survey: {dont_know} answer(s) «vet ikke», «ikke relevant» or "
                                "the like are no scores; they are counted per area and theme "
                                "(n_dont_know)")
    elif result.partial.get("survey"):  # unreadable cells: still compare the areas named
        partial = result.partial["survey"]
        result.n_respondents = partial["n_respondents"]
        result.columns = dict(partial["columns"])
        if partial["area_id"] is not None:
            _match_areas(result, partial["area_id"], areas)
    for sheet in config.levekar:
        _read(result, f"levekår {sheet.path.name}", _levekar, sheet)
    for table_id, path in config.ssb_tables.items():
        _read(result, f"SSB {table_id}", _jsonstat, path)
    if config.weights is not None:
        _read(result, "weights population", _population, config.weights.population)
    return result


def _read(result: InputsCheck, what: str, reader, arg) -> Any:
    value = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = reader(arg)
        except SoslokalError as exc:
            result.problems.extend(f"{what}: {line}" for line in _problem_lines(exc))
            result.partial[what] = getattr(exc, "partial", None)
        except OSError as exc:
            result.problems.append(f"{what}: {exc}")
    for w in caught:
        if isinstance(w.message, ProblemWarning):
            result.notes.append(f"{what}: {w.message.describe(config=True)}")
        elif issubclass(w.category, UserWarning):
            result.notes.append(f"{what}: {w.message}")
    return value


#: Cells with the same problem in the same column shown in full; the rest are counted.
SAME_PROBLEM_SHOWN = 3


def _problem_lines(exc: SoslokalError) -> list[str]:
    """Every problem of ``exc`` with its config-file fix; of many cells with the same problem
    in one column the first :data:`SAME_PROBLEM_SHOWN` are shown and the others counted."""
    problems = getattr(exc, "problems", None)
    if not problems:
        return exc.describe_all(config=True)
    groups: dict[tuple, list] = {}
    for p in problems:
        key = (p.column, p.message) if p.row is not None and p.row > 1 else (id(p),)
        groups.setdefault(key, []).append(p)
    lines = []
    for same in groups.values():
        lines += [f"{exc.source}: {p.describe(config=True)}" for p in same[:SAME_PROBLEM_SHOWN]]
        rest = same[SAME_PROBLEM_SHOWN:]
        if rest:
            rows = ", ".join(str(p.row) for p in rest[:10]) + (" …" if len(rest) > 10 else "")
            lines.append(f"{exc.source}: column {rest[0].column!r}: {len(rest)} more row(s) "
                         f"with the same problem ({rest[0].message}): rows {rows}")
    return lines


def _survey(config: Config):
    from .io.survey import read_survey

    mapping = dict(config.columns)
    if config.area_column:
        mapping[config.area_column] = "area_id"
    return read_survey(config.survey_path, mapping or None, **config.survey_options())


def _areas(config: Config):
    from .io.inputs import read_kommune_areas

    return read_kommune_areas(config.areas_path, **config.area_options(),
                              kommune=config.kommune_number, boundary=config.kommune_boundary)


def _levekar(sheet):
    from .io.levekar import read_levekar

    return read_levekar(sheet.path, sheet=sheet.sheet, orientation=sheet.orientation,
                        id_column=sheet.id_column)


def _jsonstat(path):
    from .io.ssb import read_jsonstat

    return read_jsonstat(path)


def _population(path):
    if path.suffix.lower() == ".json":
        return _jsonstat(path)
    try:
        return pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as exc:
        raise SoslokalError(f"{path}: not a readable CSV ({exc}). Fix: save it as UTF-8 CSV, "
                            "or use the SSB 04362 JSON-stat file.") from None


def _match_areas(result: InputsCheck, answers: pd.Series, areas) -> None:
    """Fill ``per_area`` and ``unmatched``; codes and names match ignoring case and spaces."""
    config = result.config
    given = answers[answers.notna() & (answers.astype("string") != "")].astype("string")
    if areas is None:
        counts = given.value_counts(sort=False).sort_index()
        result.per_area = pd.DataFrame({"area_id": counts.index.astype(str),
                                        "area_name": counts.index.astype(str),
                                        "n": counts.to_numpy(dtype="int64")})
        result.n_areas = len(counts)
        result.notes.append("no [areas] table: the survey's area answers are used as they are")
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
            bad = missing.value_counts()
            suggestion = [", ".join(difflib.get_close_matches(str(v), known, n=2, cutoff=0.6))
                          for v in bad.index]
            result.unmatched = pd.DataFrame({"value": bad.index.astype(str),
                                             "n": bad.to_numpy(dtype="int64"),
                                             "suggestion": suggestion})
            listed = "; ".join(
                f"{v!r} ({n} answer(s){'; did you mean ' + s + '?' if s else ''})"
                for v, n, s in zip(bad.index, bad, suggestion, strict=True))
            outside = [v for v in bad.index if _fold(pd.Series([v])).iat[0] in
                       set(_fold(pd.Series(list(result.outside.values()), dtype="string")))]
            where = (f"; {', '.join(map(repr, outside))} lie(s) outside the kommune (check "
                     "number and boundary under [kommune])" if outside else "")
            result.problems.append(
                f"{len(bad)} area answer(s) in {config.survey_path.name} match no code or name "
                f"in {config.areas_path.name}: {listed}{where}. Fix: correct those answers in "
                f"the survey, or the area names in {config.areas_path.name}")
        empty = per_area.loc[per_area["n"] == 0]
        if len(empty):
            names = ", ".join(empty["area_name"].where(empty["area_name"] != "",
                                                       empty["area_id"]))
            hint = ""
            if (config.kommune_boundary is None and areas.attrs.get("level") == "custom"
                    and not result.outside):
                hint = (" (if some lie outside the kommune, add boundary = \"<file with the "
                        "kommune's outline>\" under [kommune] to leave them out)")
            result.notes.append(f"{len(empty)} area(s) without respondents, so no page or "
                                f"statistics in the report: {names}{hint}")
    small = result.per_area[(result.per_area["n"] > 0) & (result.per_area["n"] < config.min_n)]
    if len(small):
        listed = ", ".join(f"{a} ({n})" for a, n in zip(small["area_name"], small["n"],
                                                         strict=True))
        result.notes.append(f"fewer than min_n = {config.min_n} respondents, so no statistics "
                            f"or quotes are shown for: {listed}")
