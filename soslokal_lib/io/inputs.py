"""One entry point for notebooks and the CLI: the bundled sample, or a municipality's own files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..survey import Survey


@dataclass(frozen=True)
class Inputs:
    """A survey with its areas, ready for the notebooks.

    ``areas`` is a GeoDataFrame indexed by ``area_id`` or ``None`` when no boundary file was
    given; ``names`` maps ``area_id`` → display name; ``source`` is the attribution line for
    figures; ``synthetic`` says whether this is the bundled synthetic sample.
    """

    survey: Survey
    areas: Any
    names: dict[str, str]
    source: str
    synthetic: bool


def load_inputs(
    survey_path: str | Path | None = None,
    *,
    columns: Mapping[str, str | None] | None = None,
    area_column: str | None = None,
    areas_path: str | Path | None = None,
    areas_id_column: str | None = None,
    areas_name_column: str | None = None,
    sheet: str | int | None = None,
    source: str | None = None,
) -> Inputs:
    """Load the synthetic sample (``survey_path=None``) or a municipality's own export.

    ``area_column`` names the export's column saying where a respondent lives (shorthand for
    ``columns={area_column: "area_id"}``). With ``areas_path`` the boundaries are read and the
    survey's area answers may be either codes or names of those areas.
    """
    if survey_path is None:
        from .sample import load_sample

        sample = load_sample()
        return Inputs(
            survey=sample.survey,
            areas=sample.areas,
            names=sample.areas["area_name"].astype(str).to_dict(),
            source=source or "Kilde: Fjordvik, syntetiske data (soslokal)",
            synthetic=True,
        )
    from .survey import read_survey

    mapping = dict(columns or {})
    if area_column:
        mapping[area_column] = "area_id"
    areas = None
    area_codes = None
    if areas_path is not None:
        from .geo import read_areas

        areas = read_areas(areas_path, id_column=areas_id_column, name_column=areas_name_column)
        area_codes = {str(code): str(code) for code in areas.index}
        area_codes.update(dict(zip(areas["area_name"].astype(str), areas.index, strict=True)))
    survey = read_survey(survey_path, mapping or None, sheet=sheet, area_codes=area_codes)
    if areas is not None:
        names = areas["area_name"].astype(str).to_dict()
    else:
        names = {a: a for a in survey.responses["area_id"].dropna().unique()}
    return Inputs(survey=survey, areas=areas, names=names,
                  source=source or f"Kilde: {Path(survey_path).name}", synthetic=False)
