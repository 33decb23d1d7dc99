"""soslokal: Stedskompasset results, socioeconomic data and inequality between neighbourhoods.

Public names are loaded lazily so that ``import soslokal_lib`` stays fast and does not pull in
geopandas, matplotlib or statsmodels until they are needed.
"""

from __future__ import annotations

import importlib
from typing import Any

from soslokal_lib.errors import AreaFormatError, DataSourceError, SoslokalError, SurveyFormatError
from soslokal_lib.survey import Survey
from soslokal_lib.themes import THEMES, get_theme

__version__ = "0.1.0"

_LAZY = {
    "read_survey": "soslokal_lib.io.survey",
    "read_group_scores": "soslokal_lib.io.group_scores",
    "summarise": "soslokal_lib.stats.summary",
    "plot_compass": "soslokal_lib.plot.compass",
    "plot_compass_grid": "soslokal_lib.plot.compass",
    "plot_heatmap": "soslokal_lib.plot.charts",
    "load_sample": "soslokal_lib.io.sample",
    "read_areas": "soslokal_lib.io.boundaries",
    "compare_rounds": "soslokal_lib.stats.rounds",
    "split_rounds": "soslokal_lib.stats.rounds",
    "DEFAULT_MISSING_TOKENS": "soslokal_lib.io.survey",
}
_MODULES = {
    "ssb": "soslokal_lib.io.ssb",
    "geo": "soslokal_lib.geo",
    "framework": "soslokal_lib.framework",
    "indicators": "soslokal_lib.indicators",
    "inequality": "soslokal_lib.stats.inequality",
    "spatial": "soslokal_lib.stats.spatial",
    "models": "soslokal_lib.stats.models",
    "weighting": "soslokal_lib.stats.weighting",
    "text": "soslokal_lib.text",
    "themes": "soslokal_lib.themes",
    "privacy": "soslokal_lib.privacy",
    "widgets": "soslokal_lib.app.widgets",
    "verksted": "soslokal_lib.app.verksted",
}

__all__ = [
    "THEMES", "get_theme", "Survey", "SoslokalError", "SurveyFormatError", "AreaFormatError",
    "DataSourceError", *_LAZY, *_MODULES,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    raise AttributeError(f"module 'soslokal_lib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
