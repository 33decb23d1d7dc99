"""Indicator registry, indicator tables, composite indices and their sensitivity.

This package only re-exports; the work happens in its modules:

* :mod:`soslokal_lib.indicator_registry` (core): :class:`Indicator`, :data:`REGISTRY`,
  :func:`get_indicator`, :func:`load_indicators` (user indicators in TOML), :func:`coverage`.
* :mod:`.table`: :func:`indicator_table` (one row per area, one column per indicator; a
  suppressed survey cell stays missing) and :func:`core_indicators`.
* :mod:`.composites`: :func:`composite` – ``score`` (higher = better off), ``rank`` (1 = best
  off) and ``decile`` (1 = worst-off tenth) – goal and dimension scores, :func:`sensitivity`.
* :mod:`.index`: the one definition of soslokal's index of social sustainability
  (:func:`sustainability_index`, :func:`index_sensitivity`, :func:`index_text`) that notebook 03
  and the «politisk verksted» report share (exponential method, every framework dimension
  weighted equally).
  :func:`levekar_index` is the levekårsindeks in SSB's convention (1–10, 10 = most problems).
* :mod:`.neighbourhood`: :func:`neighbourhood_indicators` and :func:`aggregate_socio`.
* :mod:`.levekar_data`: the kommune's levekår sheets per zone as data (:func:`read_levekar_data`).
"""

from __future__ import annotations

from soslokal_lib.indicator_registry import (
    DIRECTIONS,
    REGISTRY,
    SOURCES,
    SURVEY_STATISTICS,
    Indicator,
    coverage,
    get_indicator,
    load_indicators,
    registry_table,
    uncovered_dimensions,
)
from soslokal_lib.indicators.composites import (
    METHODS,
    RANK_DECIMALS,
    SensitivityResult,
    composite,
    dimension_scores,
    dimension_weights,
    exp_transform,
    goal_indicators,
    goal_scores,
    sensitivity,
)
from soslokal_lib.indicators.index import (
    INDEX_LABELS,
    INDEX_METHOD,
    INDEX_WEIGHTING,
    index_indicators,
    index_sensitivity,
    index_text,
    index_weights,
    levekar_index,
    sustainability_index,
)
from soslokal_lib.indicators.levekar_data import LevekarData, read_levekar_data
from soslokal_lib.indicators.neighbourhood import aggregate_socio, neighbourhood_indicators
from soslokal_lib.indicators.table import core_indicators, indicator_table

__all__ = [
    "DIRECTIONS", "INDEX_LABELS", "INDEX_METHOD", "INDEX_WEIGHTING", "METHODS", "RANK_DECIMALS", "REGISTRY",
    "SOURCES", "SURVEY_STATISTICS",
    "Indicator", "LevekarData", "SensitivityResult", "aggregate_socio", "composite", "core_indicators",
    "coverage", "dimension_scores", "dimension_weights", "exp_transform", "get_indicator",
    "goal_indicators", "goal_scores", "index_indicators", "index_sensitivity", "index_text",
    "index_weights", "indicator_table", "levekar_index", "load_indicators", "neighbourhood_indicators",
    "read_levekar_data", "registry_table", "sensitivity", "sustainability_index", "uncovered_dimensions",
]
