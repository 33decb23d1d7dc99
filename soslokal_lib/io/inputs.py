"""One entry point for notebooks and the CLI: the bundled sample, or a municipality's own files.

:func:`load_inputs` gives the survey and its areas; :func:`load_socio_tables` the register
figures per grunnkrets that go with them (the sample's, or the municipality's tidy CSV).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soslokal_lib._messages import Text, lazy, msg, tr
from soslokal_lib.errors import AreaFormatError, DataSourceError, problems_error
from soslokal_lib.survey import Survey

if TYPE_CHECKING:
    import pandas as pd

#: Attribution of the sample's register figures (joined to the survey's «Kilde: …» line).
SOCIO_SOURCE_SAMPLE = "syntetiske levekårstall per grunnkrets (Fjordvik)"


@dataclass(frozen=True)
class Inputs:
    """A survey with its areas, ready for the notebooks.

    ``areas`` is a GeoDataFrame indexed by ``area_id`` (the kommune's areas: those of a
    boundary file that lie outside the kommune are left out) or ``None`` when no boundary file
    was given; ``names`` maps ``area_id`` → display name; ``source`` is the attribution line
    for figures; ``synthetic`` says whether this is the bundled synthetic sample; ``outside``
    maps ``area_id`` → name of the areas of the boundary file left out as lying outside the
    kommune (see :func:`soslokal_lib.io.boundaries.areas_in_kommune`).
    """

    survey: Survey
    areas: Any
    names: dict[str, str]
    source: str
    synthetic: bool
    outside: dict[str, str] = field(default_factory=dict)

    @property
    def unanswered(self) -> list[str]:
        """Areas of ``areas`` without a single respondent (no report page, no statistics)."""
        if self.areas is None:
            return []
        answered = set(self.survey.responses["area_id"].dropna().astype("str"))
        return [a for a in self.areas.index.astype("str") if a not in answered]


def load_inputs(
    survey_path: str | Path | None = None,
    *,
    columns: Mapping[str, str | None] | None = None,
    area_column: str | None = None,
    areas_path: str | Path | None = None,
    areas_id_column: str | None = None,
    areas_name_column: str | None = None,
    areas_layer: str | None = None,
    areas_crs: str | None = None,
    kommune: str | None = None,
    kommune_boundary: str | Path | None = None,
    themes: Iterable[str | int] | None = None,
    missing_tokens: Iterable[str] | None = None,
    scale: int = 7,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    source: str | None = None,
) -> Inputs:
    """Load the synthetic sample (``survey_path=None``) or a municipality's own export.

    ``area_column`` names the export's column saying where a respondent lives (shorthand for
    ``columns={area_column: "area_id"}``). With ``areas_path`` the boundaries are read
    (:func:`~soslokal_lib.io.boundaries.read_areas` with ``areas_id_column``, ``areas_name_column``,
    ``areas_layer``, ``areas_crs``) and the survey's area answers may be either codes or names
    of those areas. A boundary file covering several kommuner is cut to ``kommune`` (the
    kommunenummer) by code where its ids are SSB codes, else by ``kommune_boundary`` (a file
    with the kommune's outline); the areas left out are in ``Inputs.outside``. ``themes``,
    ``missing_tokens``, ``scale``, ``delimiter``, ``encoding`` and ``sheet`` go to
    :func:`~soslokal_lib.io.survey.read_survey`.
    """
    if survey_path is None:
        from soslokal_lib.io.sample import load_sample

        sample = load_sample()
        return Inputs(
            survey=sample.survey,
            areas=sample.areas,
            names=sample.areas["area_name"].astype(str).to_dict(),
            source=source or "Kilde: Fjordvik, syntetiske data (soslokal)",
            synthetic=True,
        )
    from soslokal_lib.io.survey import read_survey

    mapping = dict(columns or {})
    if area_column:
        mapping[area_column] = "area_id"
    areas = None
    area_codes = None
    outside: dict[str, str] = {}
    if areas_path is not None:
        try:
            areas, dropped = read_kommune_areas(
                areas_path, id_column=areas_id_column, name_column=areas_name_column,
                layer=areas_layer, crs=areas_crs, kommune=kommune, boundary=kommune_boundary)
        except AreaFormatError as exc:
            raise _load_inputs_terms(exc) from None
        outside = dropped["area_name"].fillna("").astype(str).to_dict()
        area_codes = AreaCodes(areas, Path(areas_path).name)
    survey = read_survey(survey_path, mapping or None, sheet=sheet, area_codes=area_codes,
                         themes=themes, missing_tokens=missing_tokens, scale=scale,
                         delimiter=delimiter, encoding=encoding)
    if areas is not None:
        names = areas["area_name"].astype(str).to_dict()
    else:
        names = {a: a for a in survey.responses["area_id"].dropna().unique()}
    return Inputs(survey=survey, areas=areas, names=names,
                  source=source or f"Kilde: {Path(survey_path).name}", synthetic=False,
                  outside=outside)


def read_kommune_areas(
    path: str | Path,
    *,
    id_column: str | None = None,
    name_column: str | None = None,
    layer: str | None = None,
    crs: Any = None,
    kommune: str | None = None,
    boundary: str | Path | None = None,
) -> tuple[Any, Any]:
    """The kommune's areas from a boundary file, and the areas of the file left out.

    :func:`~soslokal_lib.io.boundaries.read_areas`, then
    :func:`~soslokal_lib.io.boundaries.areas_in_kommune` with the outline read from ``boundary``.
    """
    from soslokal_lib.io.boundaries import areas_in_kommune, read_areas, read_kommune_boundary

    areas = read_areas(path, id_column=id_column, name_column=name_column, layer=layer, crs=crs)
    outline = read_kommune_boundary(boundary, kommune) if boundary is not None else None
    return areas_in_kommune(areas, kommune, outline)


def _load_inputs_terms(exc: AreaFormatError) -> AreaFormatError:
    """``exc`` with its fixes naming :func:`load_inputs`' arguments (``areas_id_column=`` …)
    rather than :func:`read_areas`' (``id_column=`` …)."""
    def renamed(fix: str) -> str:
        fix = fix.replace("read_areas(..., crs=", "areas_crs=")
        return re.sub(r"(?<![\w.])(id_column|name_column|layer|crs)=", r"areas_\1=", fix)

    def rename(fix: str | None) -> str | None:
        if fix is None:
            return None
        return lazy(lambda lang: renamed(tr(fix, lang))) if isinstance(fix, Text) else renamed(fix)

    problems = getattr(exc, "problems", None)
    if not problems:
        return exc
    return problems_error(type(exc), exc.source,
                          [dataclasses.replace(p, fix=rename(p.fix)) for p in problems])


class AreaCodes(dict):
    """Area name or code → ``area_id`` for :func:`~soslokal_lib.io.survey.read_survey`, built
    from a boundary file; ``source`` names the file (for the fix of an unknown area)."""

    def __init__(self, areas: Any, source: str) -> None:
        super().__init__({str(code): str(code) for code in areas.index})
        named = areas["area_name"].notna().to_numpy()
        self.update(dict(zip(areas["area_name"][named].astype(str),
                             areas.index[named].astype(str), strict=True)))
        self.source = source


def is_sample(inputs: Inputs) -> bool:
    """True for the bundled synthetic sample: loaded with ``survey_path=None``, or read from a
    file whose areas all lie in its fictional kommune 9901 (no real kommune has that number)."""
    if inputs.synthetic:
        return True
    from soslokal_lib.io.sample import KOMMUNE

    codes = inputs.survey.responses["area_id"].dropna().astype("str")
    return bool(len(codes)) and bool(codes.str.fullmatch(rf"{KOMMUNE}\d{{4}}").all())


@dataclass(frozen=True)
class SocioTables:
    """Register (socioeconomic) figures per grunnkrets for the survey's neighbourhoods.

    ``socio``: one row per grunnkrets indexed by ``area_id`` (8-digit code), numeric columns
    named as in :data:`soslokal_lib.indicators.REGISTRY` (``population``, ``low_income_pct``,
    ``median_income_nok`` …). ``grunnkretser``: a GeoDataFrame indexed by ``area_id`` with
    ``parent_id`` (the neighbourhood) and geometry, or ``"delomrade"``: the neighbourhood is
    the delområde of the code and there is no geometry. ``population``: the long SSB
    04362-shaped table (``area_id, sex, age, value``) or ``None``; ``income``: published
    neighbourhood medians (SSB 06944, indexed by ``area_id``) or ``None``. ``source``: the
    attribution; ``synthetic``: these are the synthetic sample's figures.
    """

    socio: pd.DataFrame
    grunnkretser: Any
    population: pd.DataFrame | None
    income: pd.DataFrame | None
    source: str
    synthetic: bool
    #: The kommune's own zones (:class:`soslokal_lib.zones.ZoneAssignment`: by crosswalk or
    #: polygons), or ``None``: the neighbourhood is ``parent_id`` / the delområde of the code.
    zones: Any = None
    #: Whether a zone with a suppressed (missing) grunnkrets value still gets a figure from the
    #: others (``[socio] skipna``); by default it stays missing.
    skipna: bool = False

    @property
    def has_geometry(self) -> bool:
        """Whether grunnkrets boundaries are known (for maps and spatial statistics)."""
        return not isinstance(self.grunnkretser, str)

    @property
    def parent_ids(self) -> pd.Series:
        """The neighbourhood of each grunnkrets of ``socio`` (Series indexed by ``area_id``):
        ``parent_id`` of the boundaries where known, else the delområde of the code."""
        import pandas as pd

        codes = pd.Index(self.socio.index.astype("str"), name="area_id")
        if self.zones is not None:
            return self.zones.parents.reindex(codes).rename("parent_id")
        parents = pd.Series(codes.str[:6] + "00", index=codes, dtype="str", name="parent_id")
        if self.has_geometry:
            given = self.grunnkretser["parent_id"].astype("str")
            given.index = given.index.astype("str")
            parents = given.reindex(codes).fillna(parents)
        return parents

    @property
    def zone_map(self) -> Any:
        """What :func:`soslokal_lib.indicators.aggregate_socio` takes as ``areas_map``: the
        zone shares when grunnkretser are split between zones, else :attr:`parent_ids`."""
        return self.zones.areas_map if self.zones is not None else self.parent_ids

    def zone_options(self) -> dict[str, Any]:
        """``areas_map`` and ``skipna`` for :func:`soslokal_lib.indicators.aggregate_socio`."""
        return {"areas_map": self.zone_map, "skipna": self.skipna}

    def zone_text(self, lang: str = "nb") -> str | None:
        """How grunnkretser were carried to the zones (split, outside, empty), or ``None``."""
        return self.zones.text(lang) if self.zones is not None else None

    def has(self, *columns: str) -> bool:
        """Whether ``socio`` has every one of ``columns``."""
        return set(columns) <= set(self.socio.columns)

    def require(self, *columns: str) -> None:
        """Raise :class:`DataSourceError` naming the source and the columns ``socio`` lacks."""
        missing = [c for c in columns if c not in self.socio.columns]
        if missing:
            raise DataSourceError(msg("inputs.no_columns", source=self.source,
                                      missing=", ".join(map(repr, missing)),
                                      columns=", ".join(map(repr, self.socio.columns))))

    def indicator_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`soslokal_lib.indicators.neighbourhood_indicators`."""
        return {"socio": self.socio, "grunnkretser": self.zone_map,
                "population": self.population, "income": self.income, "skipna": self.skipna}


def load_socio_tables(
    inputs: Inputs,
    *,
    socio_path: str | Path | None = None,
    grunnkrets_path: str | Path | None = None,
    required: bool = False,
    crosswalk_path: str | Path | None = None,
    zone_grunnkretser: str | Path | None = None,
    split_share: float | None = None,
    skipna: bool = False,
) -> SocioTables | None:
    """Register figures per grunnkrets for ``inputs``, or ``None`` when there are none.

    With ``socio_path``: the tidy CSV there (``area_id`` = grunnkrets code, ``population``,
    indicator columns named as in the registry; see ``data/sample/socio_grunnkrets.csv``),
    with the grunnkrets boundaries of ``grunnkrets_path`` (a Geonorge «Statistiske enheter
    grunnkretser» file) when given. Without it, the synthetic sample's tables when ``inputs``
    are the sample (:func:`is_sample`), else ``None`` — or, with ``required=True``,
    :class:`DataSourceError` saying what to provide. Raises :class:`DataSourceError` naming
    the file, row and column for a bad file, and when none of its neighbourhoods (the
    delområder of its grunnkretser) is an area of the survey.

    The kommune's own zones (``inputs.areas``: levekårssoner, hand-drawn neighbourhoods, with
    codes or names only) replace the delområder with ``crosswalk_path`` (a CSV grunnkrets →
    zone, :func:`soslokal_lib.io.zones.read_crosswalk`) or ``zone_grunnkretser`` (grunnkrets
    polygons, a Geonorge file or zip, laid over the zone polygons; a grunnkrets with more than
    ``split_share`` of its area in another zone is split by area, see
    :mod:`soslokal_lib.zones`). Grunnkretser outside every zone are left out of ``socio``;
    ``tables.zones`` says which, and which zones have none. ``skipna``: a zone with a
    suppressed grunnkrets value gets a figure from the others (default: missing).
    """
    if socio_path is None:
        if is_sample(inputs):
            from soslokal_lib.io.sample import load_sample

            sample = load_sample()
            return SocioTables(socio=sample.socio, grunnkretser=sample.grunnkretser,
                               population=sample.population, income=sample.income,
                               source=SOCIO_SOURCE_SAMPLE, synthetic=True)
        if required:
            raise DataSourceError(msg("inputs.no_socio"))
        return None
    from soslokal_lib.io._socio_csv import read_grunnkretser, read_socio_csv
    from soslokal_lib.io.sample import KOMMUNE

    path = Path(socio_path)
    socio = read_socio_csv(path)
    kommuner = set(socio.index.str[:4])
    synthetic = kommuner == {KOMMUNE}
    polygons = zone_grunnkretser if zone_grunnkretser is not None else grunnkrets_path
    fix = msg("zones.recode.fix") if zone_grunnkretser is not None else None
    grunnkretser = (read_grunnkretser(polygons, kommuner, fix) if polygons is not None
                    else "delomrade")
    source = (f"syntetiske levekårstall per grunnkrets ({path.name})" if synthetic
              else f"levekårstall per grunnkrets ({path.name})")
    zones = None
    if crosswalk_path is not None or zone_grunnkretser is not None:
        from soslokal_lib.io.zones import zone_assignment
        from soslokal_lib.zones import SPLIT_SHARE

        codes = AreaCodes(inputs.areas, "") if inputs.areas is not None else None
        zones = zone_assignment(
            path, socio.index, inputs.areas, crosswalk_path=crosswalk_path,
            grunnkretser=grunnkretser if zone_grunnkretser is not None else None,
            grunnkrets_name=Path(polygons).name if polygons is not None else "",
            split_share=SPLIT_SHARE if split_share is None else split_share, area_codes=codes)
        inside = socio.index.isin(zones.shares["area_id"])
        socio = socio[inside]
        if not isinstance(grunnkretser, str):
            grunnkretser = grunnkretser.assign(
                parent_id=zones.parents.reindex(grunnkretser.index.astype("str")).to_numpy())
    tables = SocioTables(socio=socio, grunnkretser=grunnkretser, population=None, income=None,
                         source=source, synthetic=synthetic, zones=zones, skipna=skipna)
    _check_overlap(path, tables, inputs)
    return tables


def _check_overlap(path: Path, tables: SocioTables, inputs: Inputs) -> None:
    survey_areas = set(inputs.survey.responses["area_id"].dropna().astype("str"))
    neighbourhoods = set(tables.parent_ids)
    if survey_areas & neighbourhoods:
        return
    raise DataSourceError(msg(
        "inputs.no_overlap", path=path,
        neighbourhoods=", ".join(sorted(neighbourhoods)[:6]) + (" …" if len(neighbourhoods) > 6
                                                                else ""),
        areas=", ".join(sorted(survey_areas)[:6]) + (" …" if len(survey_areas) > 6 else "")))


def source_line(inputs: Inputs, socio: SocioTables | None = None) -> str:
    """The «Kilde: …» line for figures of the survey and, when given, the register figures."""
    return f"{inputs.source}; {socio.source}" if socio is not None else inputs.source
