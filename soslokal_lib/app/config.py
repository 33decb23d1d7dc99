"""A municipality's configuration: one TOML file naming its inputs and choices.

Tables (paths are relative to the config file; ``soslokal init`` writes a commented template)::

    [kommune]  name (required), number ("0301", a string), year, boundary (the kommune's outline:
               areas of [areas] lying outside it are left out)
    [survey]   path (required), sheet, area_column, source, themes (a subset of the 14),
               missing_tokens (words read as "no answer" besides «vet ikke», «ikke relevant» …),
               scale (7, or 3 for the children's version), delimiter and encoding (when the
               detection fails), round ("2024"); [survey.columns] header = name
    [[survey]] several rounds instead of [survey]: each block the keys of [survey] with its
               own round, path and columns; the latest round is the main one
               (:mod:`soslokal_lib.app.config_rounds`)
    [rounds]   crosswalk = { "Gamle navn" = "Nytt navn" } or a CSV file (columns old,new)
    [areas]    path (required in the table), id_column, name_column, layer, crs,
               merge = { "Nordre" = "Østsiden" } (area → the area it joins; names or codes),
               merge_small = "neighbour" (each area below min_n joins a touching neighbour:
               of those giving min_n answers on every theme together, the one with the fewest
               answers; see :mod:`soslokal_lib.stats.areamerge`)
    [privacy]  min_n (default 5), register_min_population (default 50: register figures of an
               area with fewer inhabitants are not shown), register_min_count (default 5: a
               rate whose estimated count is below is not shown)
    [socio]    path (required in the table): register figures per grunnkrets, a tidy CSV
               (area_id, population, indicator columns; see data/sample/socio_grunnkrets.csv);
               crosswalk or grunnkretser, split_share, skipna: the kommune's own zones
               (:mod:`soslokal_lib.app.config_socio`)
    [ssb]      online (default false), year, cache_dir, grunnkretser (Geonorge boundaries);
               [ssb.tables] "04362" = "file.json"
    [[levekar]] path, sheet, orientation ("rows"/"columns"), id_column, indicators — one per
               sheet; a sheet per zone is data (:mod:`soslokal_lib.app.config_levekar`)
    [weights]  population (file), variables, method ("rake"/"poststratify"), trim = [lo, hi]
    [report]   lang ("nb"/"en"), confidence, notebooks (names in notebooks/ or paths),
               areas (ids or names: the politisk verksted covers only these neighbourhoods)
    [bylab]    actions (the filled-in tiltak.xlsx), group_scores (gåtur/workshop scores)
               (:mod:`soslokal_lib.app.config_bylab`)
    [themes.labels.nb] / [themes.questions.en] …  theme = text (overrides, as in themes.py)

Notebook parameters (:meth:`Config.to_parameters`; papermill injects only those a notebook's
``parameters`` cell declares, so a notebook adopts a name simply by declaring it):

* ``kommune`` (the kommunenummer, e.g. ``"0301"``; ``None`` when not given), ``kommune_name``,
  ``survey_year``
* ``survey_path``, ``columns``, ``area_column``, ``sheet``, ``source`` (the «Kilde: …» line)
* ``themes``, ``missing_tokens`` (all words read as "no answer", the standard ones included),
  ``scale``, ``delimiter``, ``encoding``
* ``areas_path``, ``areas_id_column``, ``areas_name_column``, ``areas_layer``, ``areas_crs``
  (the survey's neighbourhoods), ``kommune_boundary`` (the kommune's outline), ``merge`` (dict
  area → area it joins, or ``None``), ``merge_small`` (``"neighbour"`` or ``None``)
* ``min_n``, ``confidence``, ``lang``, ``register_min_population``, ``register_min_count``
* ``socio_path`` (``[socio] path``: register figures per grunnkrets for notebooks 03 and 04;
  :func:`soslokal_lib.io.inputs.load_socio_tables`), ``socio_crosswalk``,
  ``socio_grunnkretser``, ``socio_split_share``, ``socio_skipna`` (the kommune's own zones)
* ``online``, ``year`` (the statistics year, ``[ssb] year``), ``cache_dir`` (SSB downloads),
  ``ssb_tables`` (table id → path), ``grunnkrets_path`` (Geonorge «Statistiske enheter
  grunnkretser», ``[ssb] grunnkretser``: what SSB's grunnkrets tables are mapped on)
* ``levekar`` (list of dicts: path, sheet, orientation, id_column, indicators)
* ``weights_population``, ``weights_variables``, ``weights_method``, ``weights_trim``
* ``theme_labels``, ``theme_questions`` (code → text in ``lang``)
* ``rounds`` (with two or more rounds: a list, oldest first, of dicts ``round``, ``path``,
  ``columns``, ``options`` — the other read_survey arguments; else ``None``), ``crosswalk``
  (dict, a CSV path, or ``None``)
* ``data_dir`` (added by ``soslokal report``): the folder where a notebook saves the tables
  behind its figures with :func:`soslokal_lib.app.report.save_table`.
* ``config_path`` (added by ``soslokal report``): the config file itself. Every notebook declares
  it and calls :func:`apply_config`, so a notebook run by hand takes a kommune's settings from
  ``config_path = "soslokal.toml"`` alone.

Paths are absolute strings. A data input the config does not give is injected as ``None`` (a
notebook must then not fall back to the sample's file); ``survey_year``, ``year`` and
``cache_dir`` are left out when unset, so the notebook keeps its own default.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from soslokal_lib._messages import hint, lazy, msg, tr
from soslokal_lib._paths import bundled
from soslokal_lib.app import config_bylab, config_levekar, config_rounds, config_socio
from soslokal_lib.app.config_levekar import LevekarSheet
from soslokal_lib.app.config_rounds import SurveyRound
from soslokal_lib.app.config_template import TEMPLATE, TEMPLATE_NAME, write_template
from soslokal_lib.errors import ConfigError, Problem, SoslokalError, raise_problems

__all__ = ["TEMPLATE", "TEMPLATE_NAME", "Config", "LevekarSheet", "Weights", "apply_config",
           "load_config", "write_template"]

#: Parameters omitted (not injected as None) when the config leaves them unset.
_UNSET_KEEPS_DEFAULT = ("survey_year", "year", "cache_dir")
_ROLES = ("area_id", "respondent_id", "age_group", "gender", "weight", "round", "other")
_BAD = object()


@dataclass(frozen=True)
class Weights:
    """Weighting against the population: a population file and the margins to match."""

    population: Path
    variables: tuple[str, ...] = ("area_id", "age_group", "gender")
    method: str = "rake"
    trim: tuple[float, float] | None = None


def _frozen(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Config:
    """A validated municipality configuration; paths are absolute."""

    path: Path
    kommune: str
    survey_path: Path
    kommune_number: str | None = None
    survey_year: int | None = None
    columns: Mapping[str, str | None] = field(default_factory=_frozen)
    area_column: str | None = None
    sheet: str | int | None = None
    source: str | None = None
    areas_path: Path | None = None
    areas_id_column: str | None = None
    areas_name_column: str | None = None
    areas_layer: str | None = None
    areas_crs: str | None = None
    kommune_boundary: Path | None = None
    themes: tuple[str, ...] | None = None
    missing_tokens: tuple[str, ...] = ()
    scale: int = 7
    delimiter: str | None = None
    encoding: str | None = None
    merge: Mapping[str, str] = field(default_factory=_frozen)
    merge_small: str | None = None
    min_n: int = 5
    register_min_population: int = 50
    register_min_count: int = 5
    socio_path: Path | None = None
    socio_crosswalk: Path | None = None
    socio_grunnkretser: Path | None = None
    socio_split_share: float | None = None
    socio_skipna: bool = False
    online: bool = False
    ssb_year: int | None = None
    ssb_cache_dir: Path | None = None
    ssb_tables: Mapping[str, Path] = field(default_factory=_frozen)
    grunnkrets_path: Path | None = None
    levekar: tuple[LevekarSheet, ...] = ()
    weights: Weights | None = None
    lang: str = "nb"
    confidence: float = 0.95
    notebooks: tuple[Path, ...] = ()
    #: ``[report] areas``: ids or names of the neighbourhoods the verksted report covers.
    report_areas: tuple[str, ...] = ()
    theme_labels: Mapping[str, Mapping[str, str]] = field(default_factory=_frozen)
    theme_questions: Mapping[str, Mapping[str, str]] = field(default_factory=_frozen)
    #: Every survey round, oldest first (:mod:`soslokal_lib.app.config_rounds`); one entry for
    #: a single ``[survey]``. The last is the main round, whose settings are those above.
    rounds: tuple[SurveyRound, ...] = ()
    round_options: Mapping[str | None, Mapping[str, Any]] = field(default_factory=_frozen)
    crosswalk: Mapping[str, Any] | Path | None = None
    bylab_actions: Path | None = None
    bylab_group_scores: Path | None = None

    @property
    def survey_round(self) -> str | None:
        """The main round's label (``round`` of ``[survey]`` or the latest ``[[survey]]``)."""
        return self.rounds[-1].label if self.rounds else None

    @property
    def source_label(self) -> str:
        """The attribution line for figures («Kilde: …»)."""
        if self.source:
            return self.source
        year = f" {self.survey_year}" if self.survey_year else ""
        return f"Kilde: Stedskompasset, {self.kommune}{year}"

    @property
    def all_missing_tokens(self) -> tuple[str, ...] | None:
        """Every word read as "no answer": the standard ones and ``[survey] missing_tokens``
        (``None`` = the standard ones only)."""
        if not self.missing_tokens:
            return None
        from soslokal_lib.io.survey import DEFAULT_MISSING_TOKENS

        return (*DEFAULT_MISSING_TOKENS, *self.missing_tokens)

    def survey_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`soslokal_lib.io.survey.read_survey` besides the path and
        ``columns``."""
        return {"sheet": self.sheet, "themes": list(self.themes) if self.themes else None,
                "missing_tokens": self.all_missing_tokens, "scale": self.scale,
                "delimiter": self.delimiter, "encoding": self.encoding}

    def area_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`soslokal_lib.io.boundaries.read_areas` besides the path."""
        return {"id_column": self.areas_id_column, "name_column": self.areas_name_column,
                "layer": self.areas_layer, "crs": self.areas_crs}

    def input_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`soslokal_lib.io.inputs.load_inputs` for this kommune."""
        return {
            "survey_path": self.survey_path,
            "columns": dict(self.columns) or None,
            "area_column": self.area_column,
            "areas_path": self.areas_path,
            "areas_id_column": self.areas_id_column,
            "areas_name_column": self.areas_name_column,
            "areas_layer": self.areas_layer,
            "areas_crs": self.areas_crs,
            "kommune": self.kommune_number,
            "kommune_boundary": self.kommune_boundary,
            "themes": list(self.themes) if self.themes else None,
            "missing_tokens": self.all_missing_tokens,
            "scale": self.scale,
            "delimiter": self.delimiter,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "source": self.source_label,
        }

    def to_parameters(self) -> dict[str, Any]:
        """Notebook parameters (see the module docstring); JSON-like values only."""

        def text(path: Path | None) -> str | None:
            return None if path is None else str(path)

        w = self.weights
        params = {
            "kommune": self.kommune_number,
            "kommune_name": self.kommune,
            "survey_year": self.survey_year,
            "survey_path": text(self.survey_path),
            "columns": dict(self.columns) or None,
            "area_column": self.area_column,
            "sheet": self.sheet,
            "source": self.source_label,
            "areas_path": text(self.areas_path),
            "areas_id_column": self.areas_id_column,
            "areas_name_column": self.areas_name_column,
            "areas_layer": self.areas_layer,
            "areas_crs": self.areas_crs,
            "kommune_boundary": text(self.kommune_boundary),
            "themes": list(self.themes) if self.themes else None,
            "missing_tokens": list(self.all_missing_tokens or ()) or None,
            "scale": self.scale,
            "delimiter": self.delimiter,
            "encoding": self.encoding,
            "merge": dict(self.merge) or None,
            "merge_small": self.merge_small,
            "min_n": self.min_n,
            "register_min_population": self.register_min_population,
            "register_min_count": self.register_min_count,
            "socio_path": text(self.socio_path),
            **config_socio.socio_parameters(self),
            **config_bylab.bylab_parameters(self),
            "confidence": self.confidence,
            "lang": self.lang,
            "online": self.online,
            "year": self.ssb_year,
            "cache_dir": text(self.ssb_cache_dir),
            "ssb_tables": {k: str(v) for k, v in self.ssb_tables.items()} or None,
            "grunnkrets_path": text(self.grunnkrets_path),
            "levekar": [s.to_parameter() for s in self.levekar] or None,
            "weights_population": text(w.population) if w else None,
            "weights_variables": list(w.variables) if w else None,
            "weights_method": w.method if w else None,
            "weights_trim": list(w.trim) if w and w.trim else None,
            "theme_labels": dict(self.theme_labels.get(self.lang, {})) or None,
            "theme_questions": dict(self.theme_questions.get(self.lang, {})) or None,
            "rounds": [{"round": r.label, "path": str(r.path), "columns": dict(r.columns) or None,
                        "options": dict(self.round_options.get(r.label, {}))}
                       for r in self.rounds] if len(self.rounds) > 1 else None,
            "crosswalk": (str(self.crosswalk) if isinstance(self.crosswalk, Path)
                          else dict(self.crosswalk) if self.crosswalk else None),
        }
        # Settings left unset keep the notebook's own default; data inputs are always given
        # (None = this kommune has none, so a notebook never falls back to the sample's file).
        for key in _UNSET_KEEPS_DEFAULT:
            if params[key] is None:
                del params[key]
        return {key: _json_like(value) for key, value in params.items()}


def _json_like(value: Any) -> Any:
    """``value`` with tuples as lists, mappings as dicts and paths as strings, all the way
    down: papermill writes only str, int, float, bool, None, list and dict as Python literals
    (anything else becomes ``"<its str()>"``, which a quote inside breaks)."""
    if isinstance(value, Mapping):
        return {str(k): _json_like(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_like(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


# --- loading ------------------------------------------------------------------------------------


def _stripped(exc: Exception) -> object:
    """The message of ``exc`` without its final full stop, still translatable."""
    text = exc.args[0] if exc.args else str(exc)
    return lazy(lambda lang: tr(text, lang).rstrip("."))


def _toml_error(exc: Exception) -> object:
    """tomllib's «Expected '=' after a key (at line 3, column 5)» with the place in bokmål."""
    text = str(exc)
    found = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", text)
    if not found:
        return text
    return msg("config.toml_where", what=found[1], line=int(found[2]), column=int(found[3]))


def load_config(path: str | Path) -> Config:
    """Read and validate a municipality's TOML config.

    Raises :class:`ConfigError` naming the file, the key and the fix for a missing or unreadable
    file, bad TOML, an unknown table or key (with close matches), a wrong type, ``min_n < 1`` or
    a file the config names that does not exist (with its resolved absolute path).
    """
    path = Path(path).expanduser().resolve()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(msg("config.not_found", path=path)) from None
    except OSError as exc:
        raise ConfigError(msg("config.unreadable", path=path, error=exc.strerror or exc)
                          ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(msg("config.not_utf8", path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(msg("config.bad_toml", path=path, error=_toml_error(exc))) from None
    return _Reader(path).config(data)


def apply_config(config_path: str | Path | None, namespace: dict[str, Any]) -> Config | None:
    """Set a notebook's parameters from the config at ``config_path`` (nothing when ``None``).

    Called in every notebook right after its ``parameters`` cell as
    ``apply_config(config_path, globals())``: each name of :meth:`Config.to_parameters` that the
    notebook already defines (declares in its parameters cell) takes the config's value, so the
    config's settings take precedence over the cell's defaults. Names the notebook does not
    declare are left alone, and so are names bound to something other than a plain value (a
    function the notebook imported, such as ``theme_labels``). Returns the loaded
    :class:`Config`.
    """
    if config_path is None:
        return None
    config = load_config(config_path)
    plain = (type(None), str, int, float, bool, list, tuple, dict)
    for key, value in config.to_parameters().items():
        if key in namespace and isinstance(namespace[key], plain):
            namespace[key] = value
    return config


class _Reader:
    """Validates the parsed TOML table by table, collecting every problem."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str, value: object = None, fix: str | None = None) -> object:
        self.problems.append(Problem(lazy(lambda lang: f"{tr(key, lang)}: {tr(message, lang)}"),
                                     value=value, fix=fix))
        return _BAD

    # --- structure

    def table(self, data: dict, name: str, required: bool = False) -> dict | None:
        value = data.get(name)
        if value is None:
            if required:
                self.fail(f"[{name}]", msg("config.table_missing"),
                          fix=msg("config.table_missing.fix", name=name))
            return None
        if not isinstance(value, dict):
            self.fail(f"[{name}]", msg("config.not_table"),
                      fix=msg("config.not_table.fix", name=name))
            return None
        return value

    def keys(self, where: str, table: Mapping, allowed: Mapping[str, Any]) -> None:
        for key in table:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, list(allowed), n=3, cutoff=0.6)
            elsewhere = [t for t, keys in _KEYS.items() if key in keys and f"[{t}]" != where]
            if close:
                fix = msg("config.unknown_key.close", names=", ".join(map(repr, close)))
            elif elsewhere:
                fix = msg("config.unknown_key.move", table=elsewhere[0])
            else:
                fix = msg("config.unknown_key.remove", where=where, keys=", ".join(allowed))
            self.fail(lazy(lambda lang, key=key: f"{tr(where, lang)} {key}"),
                      msg("config.unknown_key"), fix=fix)

    def required(self, where: str, table: Mapping, key: str, parse: Callable) -> Any:
        if key not in table:
            return self.fail(f"{where} {key}", msg("config.missing"),
                             fix=msg("config.missing.fix", key=key, where=where))
        return parse(f"{where} {key}", table[key])

    def optional(self, where: str, table: Mapping, key: str, parse: Callable,
                 default: Any = None) -> Any:
        return parse(f"{where} {key}", table[key]) if key in table else default

    # --- values

    def text(self, key: str, value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            return self.fail(key, msg("config.text"), value,
                             msg("config.text.fix", key=key.split()[-1]))
        return value.strip()

    def file(self, key: str, value: object) -> object:
        text = self.text(key, value)
        if text is _BAD:
            return _BAD
        resolved = (self.base / Path(text).expanduser()).resolve()
        if not resolved.is_file():
            what = "config.file.is_dir" if resolved.is_dir() else "config.file.not_found"
            return self.fail(key, msg(what, path=resolved), value,
                             msg("config.file.fix", base=self.base))
        return resolved

    def folder(self, key: str, value: object) -> object:
        text = self.text(key, value)
        return _BAD if text is _BAD else (self.base / Path(text).expanduser()).resolve()

    def boolean(self, key: str, value: object) -> object:
        if not isinstance(value, bool):
            return self.fail(key, msg("config.boolean"), value)
        return value

    def year(self, key: str, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            return self.fail(key, msg("config.year"), value,
                             msg("config.write_eg", line=f"{key.split()[-1]} = 2025"))
        return value

    def min_n(self, key: str, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.fail(key, msg("config.whole"), value,
                             msg("config.write_eg", line="min_n = 5"))
        if value < 1:
            return self.fail(key, msg("config.min_n"), value, msg("config.min_n.fix"))
        return value

    def count(self, key: str, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return self.fail(key, msg("config.count"), value,
                             msg("config.write_eg", line=f"{key.split()[-1]} = 50"))
        return value

    def merge(self, key: str, value: object) -> object:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
            for k, v in value.items()
        ):
            return self.fail(key, msg("config.merge"), value,
                             msg("config.write", line='merge = { "Nordre" = "Østsiden" }'))
        return {k.strip(): v.strip() for k, v in value.items()}

    def confidence(self, key: str, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
            return self.fail(key, msg("config.confidence"), value,
                             msg("config.write_eg", line="confidence = 0.95"))
        return float(value)

    def sheet(self, key: str, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, str | int):
            return self.fail(key, msg("config.sheet"), value)
        return value

    def choice(self, options: tuple[str, ...]) -> Callable:
        def parse(key: str, value: object) -> object:
            if value not in options:
                close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
                return self.fail(key, msg("config.choice", options=", ".join(map(repr, options))),
                                 value, msg("config.choice.fix", hint=hint(close),
                                            line=f'{key.split()[-1]} = "{options[0]}"'))
            return value
        return parse

    def kommune_number(self, key: str, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            return self.fail(key, msg("config.number_text"), value,
                             msg("config.write", line=f'number = "{value:04d}"'))
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}", value.strip()):
            return self.fail(key, msg("config.number"), value,
                             msg("config.write_eg", line='number = "0301"'))
        return value.strip()

    def columns(self, key: str, value: object) -> object:
        if not isinstance(value, dict):
            return self.fail(key, msg("config.columns"), fix=msg("config.columns.fix"))
        from soslokal_lib.io._survey_columns import parse_target
        from soslokal_lib.themes import THEME_CODES

        known = [*_ROLES, "good", "improve", *THEME_CODES,
                 *(f"{c}:{k}" for c in THEME_CODES for k in ("good", "improve"))]
        out: dict[str, str | None] = {}
        for header, target in value.items():
            where = f"[survey.columns] {header!r}"
            if target is False:
                out[header] = None
                continue
            if not isinstance(target, str):
                self.fail(where, msg("config.column_target"), target)
                continue
            try:
                out[header] = parse_target(target)
            except SoslokalError:
                close = difflib.get_close_matches(target.strip().casefold(), known, n=3,
                                                  cutoff=0.6)
                self.fail(where, msg("config.column_unknown"), target,
                          msg("config.column_unknown.fix", hint=hint(close)))
        return out

    def themes(self, key: str, value: object) -> object:
        from soslokal_lib.themes import get_theme

        if not isinstance(value, list) or not value:
            return self.fail(key, msg("config.themes"), value, msg("config.themes.fix"))
        codes = []
        for item in value:
            try:
                if isinstance(item, bool) or not isinstance(item, str | int):
                    raise SoslokalError(msg("config.not_theme", item=item))
                codes.append(get_theme(item).code)
            except SoslokalError as exc:
                self.fail(key, _stripped(exc), item)
        return tuple(dict.fromkeys(codes))

    def scale(self, key: str, value: object) -> object:
        if isinstance(value, bool) or value not in (7, 3):
            return self.fail(key, msg("config.scale"), value,
                             msg("config.write", line="scale = 7"))
        return value

    def delimiter(self, key: str, value: object) -> object:
        if not isinstance(value, str) or len(value) != 1:
            return self.fail(key, msg("config.delimiter"), value, msg("config.delimiter.fix"))
        return value

    def ssb_tables(self, key: str, value: object) -> object:
        if not isinstance(value, dict):
            return self.fail(key, msg("config.ssb_tables"), fix=msg("config.ssb_tables.fix"))
        out = {}
        for table_id, file in value.items():
            if not re.fullmatch(r"\d{5}", table_id):
                self.fail(f"[ssb.tables] {table_id!r}", msg("config.ssb_id"),
                          fix=msg("config.ssb_id.fix"))
                continue
            out[table_id] = self.file(f"[ssb.tables] {table_id!r}", file)
        return out

    def strings(self, key: str, value: object) -> object:
        if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            return self.fail(key, msg("config.strings"), value)
        return tuple(v.strip() for v in value)

    def trim(self, key: str, value: object) -> object:
        ok = (isinstance(value, list) and len(value) == 2
              and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
              and 0 < value[0] < 1 < value[1])
        if not ok:
            return self.fail(key, msg("config.trim"), value,
                             msg("config.write_eg", line="trim = [0.3, 3.0]"))
        return (float(value[0]), float(value[1]))

    def notebooks(self, key: str, value: object) -> object:
        names = self.strings(key, value)
        if names is _BAD:
            return _BAD
        notebook_dir = bundled("notebooks")
        shipped = sorted(p.name for p in notebook_dir.glob("*.ipynb"))
        out = []
        for name in names:
            for candidate in (notebook_dir / name, self.base / name):
                if candidate.is_file():
                    out.append(candidate.resolve())
                    break
            else:
                close = difflib.get_close_matches(name, shipped, n=3, cutoff=0.5)
                self.fail(key, msg("config.notebook", name=name, folder=notebook_dir,
                                   base=self.base), name,
                          msg("config.notebook.fix", hint=hint(close),
                              names=", ".join(shipped) or "–"))
        return tuple(out)

    def theme_text(self, key: str, value: object) -> object:
        from soslokal_lib.themes import get_theme

        dotted = key.replace("[", "").replace("]", "").replace(" ", ".")
        if not isinstance(value, dict):
            return self.fail(key, msg("config.per_language"),
                             fix=msg("config.write", line=f"[{dotted}.nb]"))
        out: dict[str, dict[str, str]] = {}
        for lang, entries in value.items():
            where = f"[{dotted}.{lang}]"
            if lang not in ("nb", "en"):
                self.fail(where, msg("config.language"), lang, msg("config.language.fix"))
                continue
            if not isinstance(entries, dict):
                self.fail(where, msg("config.theme_text"))
                continue
            out[lang] = {}
            for theme, label in entries.items():
                try:
                    code = get_theme(theme).code
                except SoslokalError as exc:
                    self.fail(f"{where} {theme}", _stripped(exc))
                    continue
                if not isinstance(label, str) or not label.strip():
                    self.fail(f"{where} {theme}", msg("config.text"), label)
                    continue
                out[lang][code] = label.strip()
        return {k: _frozen(v) for k, v in out.items()}

    # --- the whole file

    def config(self, data: dict) -> Config:
        self.keys(msg("config.top_level"), data, _KEYS)
        values: dict[str, Any] = {"path": self.path}
        p = self
        data, blocks, labels, main, crosswalk = config_rounds.split_blocks(self, data, _BAD)
        kommune = self.table(data, "kommune", required=True)
        if kommune is not None:
            self.keys("[kommune]", kommune, _KEYS["kommune"])
            values["kommune"] = p.required("[kommune]", kommune, "name", p.text)
            values["kommune_number"] = p.optional("[kommune]", kommune, "number",
                                                  p.kommune_number)
            values["kommune_boundary"] = p.optional("[kommune]", kommune, "boundary", p.file)
            values["survey_year"] = p.optional("[kommune]", kommune, "year", p.year)
        survey = self.table(data, "survey", required=True)
        if survey is not None:
            self.keys("[survey]", survey, _KEYS["survey"])
            values["survey_path"] = p.required("[survey]", survey, "path", p.file)
            columns = p.optional("[survey]", survey, "columns", p.columns, {})
            values["columns"] = columns if columns is _BAD else _frozen(columns)
            values["area_column"] = p.optional("[survey]", survey, "area_column", p.text)
            values["sheet"] = p.optional("[survey]", survey, "sheet", p.sheet)
            values["themes"] = p.optional("[survey]", survey, "themes", p.themes)
            values["missing_tokens"] = p.optional("[survey]", survey, "missing_tokens",
                                                  p.strings)
            values["scale"] = p.optional("[survey]", survey, "scale", p.scale)
            values["delimiter"] = p.optional("[survey]", survey, "delimiter", p.delimiter)
            values["encoding"] = p.optional("[survey]", survey, "encoding", p.text)
            values["source"] = p.optional("[survey]", survey, "source", p.text)
            label = p.optional("[survey]", survey, "round", config_rounds.label_parser(p))
            if not blocks:  # a single [survey]: one round
                blocks, labels, main = [survey], [label if isinstance(label, str) else None], 0
            rounds = config_rounds.parse_rounds(self, blocks, labels, main, values, _BAD)
            values["rounds"], values["round_options"] = rounds
        values["crosswalk"] = None if crosswalk is _BAD else crosswalk
        areas = self.table(data, "areas")
        if areas is not None:
            self.keys("[areas]", areas, _KEYS["areas"])
            values["areas_path"] = p.required("[areas]", areas, "path", p.file)
            values["areas_id_column"] = p.optional("[areas]", areas, "id_column", p.text)
            values["areas_name_column"] = p.optional("[areas]", areas, "name_column", p.text)
            values["areas_layer"] = p.optional("[areas]", areas, "layer", p.text)
            values["areas_crs"] = p.optional("[areas]", areas, "crs", p.text)
            merge = p.optional("[areas]", areas, "merge", p.merge, {})
            values["merge"] = merge if merge is _BAD else _frozen(merge)
            values["merge_small"] = p.optional("[areas]", areas, "merge_small",
                                               p.choice(("neighbour",)))
        privacy = self.table(data, "privacy")
        if privacy is not None:
            self.keys("[privacy]", privacy, _KEYS["privacy"])
            values["min_n"] = p.optional("[privacy]", privacy, "min_n", p.min_n, 5)
            for key in ("register_min_population", "register_min_count"):
                values[key] = p.optional("[privacy]", privacy, key, p.count)
        socio = self.table(data, "socio")
        if socio is not None:
            config_socio.parse_socio(self, socio, values, _BAD)
        bylab = self.table(data, "bylab")
        if bylab is not None:
            config_bylab.parse_bylab(self, bylab, values)
        ssb = self.table(data, "ssb")
        if ssb is not None:
            self.keys("[ssb]", ssb, _KEYS["ssb"])
            values["online"] = p.optional("[ssb]", ssb, "online", p.boolean, False)
            values["ssb_year"] = p.optional("[ssb]", ssb, "year", p.year)
            values["ssb_cache_dir"] = p.optional("[ssb]", ssb, "cache_dir", p.folder)
            tables = p.optional("[ssb]", ssb, "tables", p.ssb_tables, {})
            values["ssb_tables"] = tables if tables is _BAD else _frozen(tables)
            values["grunnkrets_path"] = p.optional("[ssb]", ssb, "grunnkretser", p.file)
        values["levekar"] = self.levekar(data.get("levekar"))
        weights = self.table(data, "weights")
        if weights is not None:
            self.keys("[weights]", weights, _KEYS["weights"])
            parts = {
                "population": p.required("[weights]", weights, "population", p.file),
                "variables": p.optional("[weights]", weights, "variables", p.strings,
                                        Weights.variables),
                "method": p.optional("[weights]", weights, "method",
                                     p.choice(("rake", "poststratify")), "rake"),
                "trim": p.optional("[weights]", weights, "trim", p.trim),
            }
            values["weights"] = _BAD if _BAD in parts.values() else Weights(**parts)
        report = self.table(data, "report")
        if report is not None:
            self.keys("[report]", report, _KEYS["report"])
            values["lang"] = p.optional("[report]", report, "lang", p.choice(("nb", "en")), "nb")
            values["confidence"] = p.optional("[report]", report, "confidence", p.confidence,
                                              0.95)
            values["notebooks"] = p.optional("[report]", report, "notebooks", p.notebooks, ())
            values["report_areas"] = p.optional("[report]", report, "areas", p.strings, ())
        themes = self.table(data, "themes")
        if themes is not None:
            self.keys("[themes]", themes, _KEYS["themes"])
            for kind in ("labels", "questions"):
                parsed = p.optional("[themes]", themes, kind, p.theme_text, {})
                values[f"theme_{kind}"] = parsed if parsed is _BAD else _frozen(parsed)
        self.consistent(values)
        raise_problems(ConfigError, self.path, self.problems)
        return Config(**{k: v for k, v in values.items() if v is not None})

    def levekar(self, value: object) -> object:
        return config_levekar.parse_levekar(self, value, _BAD)

    def consistent(self, values: dict) -> None:
        columns = values.get("columns")
        area_column = values.get("area_column")
        if isinstance(columns, Mapping) and isinstance(area_column, str):
            others = [h for h, t in columns.items() if t == "area_id" and h != area_column]
            if others:
                self.fail("[survey] area_column", msg("config.area_clash", header=others[0]),
                          area_column, msg("config.area_clash.fix"))


#: Allowed keys per table (a nested table counts as a key of its parent).
_KEYS: dict[str, tuple[str, ...]] = {
    "kommune": ("name", "number", "year", "boundary"),
    "survey": ("path", "columns", "area_column", "sheet", "source", "themes", "missing_tokens",
               "scale", "delimiter", "encoding", "round"),
    "rounds": ("crosswalk",),
    "areas": ("path", "id_column", "name_column", "layer", "crs", "merge", "merge_small"),
    "privacy": ("min_n", "register_min_population", "register_min_count"),
    "socio": config_socio.KEYS,
    "ssb": ("online", "year", "cache_dir", "grunnkretser", "tables"),
    "levekar": config_levekar.KEYS,
    "weights": ("population", "variables", "method", "trim"),
    "report": ("lang", "confidence", "notebooks", "areas"),
    "themes": ("labels", "questions"),
    "bylab": config_bylab.KEYS,
}
