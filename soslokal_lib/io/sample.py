"""The bundled SYNTHETIC sample municipality «Fjordvik» (kommune 9901, fictional).

Everything in ``data/sample/`` is invented by ``data/sample/generate.py`` (fixed seed): the
kommune, its 12 delområder and 60 grunnkretser, their population and socioeconomic figures, and
800 Stedskompasset answers. Its built-in patterns (a socioeconomic gradient, lower scores on some
themes in deprived areas, unequal response by age and area) are documented with numbers in
``data/sample/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from soslokal_lib._paths import bundled
from soslokal_lib.errors import DataSourceError
from soslokal_lib.survey import Survey
from soslokal_lib.themes import THEMES

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

#: Where the sample lives (``data/sample`` of a checkout, package data of an install).
SAMPLE_DIR = bundled("sample")
KOMMUNE = "9901"
KOMMUNE_NAME = "Fjordvik"

#: 5-year age groups of the population table (SSB 04362 style), youngest first.
AGE_GROUPS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(0, 90, 5)) + ("90+",)
#: The survey's age bands (en dash), and the 5-year groups each one covers (15 years and up).
SURVEY_AGE_BANDS: dict[str, tuple[str, ...]] = {
    "15–29": ("15-19", "20-24", "25-29"),
    "30–44": ("30-34", "35-39", "40-44"),
    "45–64": ("45-49", "50-54", "55-59", "60-64"),
    "65+": ("65-69", "70-74", "75-79", "80-84", "85-89", "90+"),
}
#: Survey gender answers → population sex labels.
SURVEY_SEX: dict[str, str] = {"Mann": "Menn", "Kvinne": "Kvinner"}

FILES = {
    "survey": "stedskompass_fjordvik.csv",
    "grunnkretser": "grunnkretser.geojson",
    "areas": "delomrader.geojson",
    "population": "ssb_04362_befolkning_alder_kjonn.json",
    "income": "ssb_06944_inntekt_delomrade.json",
    "socio": "socio_grunnkrets.csv",
    "truth": "truth.csv",
}

DESCRIPTION = (
    "SYNTETISKE DATA: Fjordvik (kommune 9901) er en fiktiv kommune med 12 delområder, "
    "60 grunnkretser og 800 oppdiktede svar på Stedskompasset – ingen ekte steder eller personer."
)


def survey_columns() -> dict[str, str | None]:
    """The explicit ``read_survey`` column mapping for the sample export's headers."""
    cols: dict[str, str | None] = {
        "Respondent-ID": "respondent_id", "Tidspunkt": None,
        "Hvilket område bor du i?": "area_id", "Alder": "age_group", "Kjønn": "gender",
        "Andre kommentarer": "other",
    }
    for t in THEMES:
        head = f"{t.number}. {t.name_nb}"
        cols[head] = t.code
        cols[f"{head} – Hva er bra nå?"] = f"{t.code}:good"
        cols[f"{head} – Hva kan bli bedre?"] = f"{t.code}:improve"
    return cols


@dataclass(frozen=True)
class Sample:
    """The synthetic sample municipality, ready to analyse.

    ``survey``: the Stedskompasset answers (``area_id`` = delområde code ``9901DD00``).
    ``areas``: delområder (GeoDataFrame indexed by ``area_id``; ``area_name``, ``parent_id`` =
    ``"9901"``; EPSG:25833). ``grunnkretser``: likewise, 8-digit codes, ``parent_id`` = the
    delområde. ``population``: long table ``area_id`` (grunnkrets), ``sex`` ("Menn",
    "Kvinner"), ``age`` (ordered 5-year groups, :data:`AGE_GROUPS`), ``value`` (persons).
    ``socio``: one row per grunnkrets (index ``area_id``), one column per attribute.
    ``income``: households and median household income after tax per delområde and for the
    kommune (SSB 06944 style; ``NaN`` where suppressed). ``truth``: the generating model's
    population score distribution per area and theme (for checking estimators).
    """

    survey: Survey
    areas: GeoDataFrame
    grunnkretser: GeoDataFrame
    population: pd.DataFrame
    socio: pd.DataFrame
    income: pd.DataFrame = field(repr=False)
    truth: pd.DataFrame = field(repr=False)
    description: str = DESCRIPTION
    path: Path = SAMPLE_DIR

    def __repr__(self) -> str:
        return (f"Sample({KOMMUNE_NAME} {KOMMUNE}, synthetic: {len(self.areas)} delområder, "
                f"{len(self.grunnkretser)} grunnkretser, {int(self.population['value'].sum())} "
                f"inhabitants, {len(self.survey.responses)} respondents)")


def load_sample(path: str | Path | None = None) -> Sample:
    """Load the bundled synthetic municipality «Fjordvik» (fictional kommune 9901).

    ``path`` is the folder holding the sample files (default: ``data/sample/`` of this
    checkout). Raises :class:`~soslokal_lib.errors.DataSourceError` when files are missing.
    """
    from soslokal_lib.io.boundaries import read_areas
    from soslokal_lib.io.ssb import read_jsonstat
    from soslokal_lib.io.survey import read_survey

    folder = Path(path) if path is not None else SAMPLE_DIR
    missing = [name for name in FILES.values() if not (folder / name).is_file()]
    if missing:
        raise DataSourceError(
            f"{folder}: the synthetic sample is incomplete or missing ({', '.join(missing)}). "
            "Fix: run `python data/sample/generate.py` from the repository root, or pass "
            "path= to the folder that holds the sample files.")

    areas = read_areas(folder / FILES["areas"], id_column="delomradenummer",
                       name_column="delomradenavn")
    areas = areas.assign(parent_id=KOMMUNE)[["area_name", "parent_id", "geometry"]]
    gk = read_areas(folder / FILES["grunnkretser"], id_column="grunnkretsnummer",
                    name_column="grunnkretsnavn")
    gk = gk.assign(parent_id=gk["delomradenummer"].astype("str"))[
        ["area_name", "parent_id", "geometry"]]

    survey = read_survey(folder / FILES["survey"], survey_columns(),
                         area_codes=dict(zip(areas["area_name"], areas.index, strict=True)))
    return Sample(
        survey=survey, areas=areas, grunnkretser=gk,
        population=_population(read_jsonstat(folder / FILES["population"])),
        socio=_socio(folder / FILES["socio"]),
        income=_income(read_jsonstat(folder / FILES["income"])),
        truth=pd.read_csv(folder / FILES["truth"], dtype={"area_id": "str", "theme": "str"}),
        path=folder,
    )


def _population(table: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "area_id": table["Region"].astype("str"),
        "sex": table["Kjonn_label"].astype("str"),
        "age": pd.Categorical(table["Alder"], categories=AGE_GROUPS, ordered=True),
        "value": table["value"].astype("int64"),
    })
    out.attrs = {"source": table.attrs.get("title"), "notes": table.attrs.get("notes")}
    return out


def _income(table: pd.DataFrame) -> pd.DataFrame:
    wide = table.pivot(index=["Region", "Region_label"], columns="ContentsCode", values="value")
    wide = wide.reset_index().rename(columns={
        "Region": "area_id", "Region_label": "area_name", "AntallHushold": "households",
        "InntSkatt": "median_income_nok"})
    wide.columns.name = None
    wide = wide.astype({"households": "int64"}).set_index("area_id")
    return wide[["area_name", "households", "median_income_nok"]]


def _socio(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"area_id": "str"}).set_index("area_id")
