"""The one definition of soslokal's index of social sustainability (public through
:mod:`soslokal_lib.indicators`), shared by notebook 03 and the «politisk verksted» report."""

from __future__ import annotations

from typing import Any

import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.indicator_registry import table_entries
from soslokal_lib.indicators.composites import (
    METHODS,
    SensitivityResult,
    composite,
    dimension_weights,
    sensitivity,
)
from soslokal_lib.indicators.table import core_indicators

#: The one definition of soslokal's index of social sustainability, used by notebook 03 and the
#: «politisk verksted» report: the SIMD-style exponential method (a bad value on one indicator
#: is not cancelled by good values elsewhere), every framework dimension weighted equally
#: (shared by its indicators), population-weighted when the table has a ``population`` column,
#: each area scored on the indicators it has.
INDEX_METHOD = "exponential"
INDEX_WEIGHTING = "dimension"
INDEX_MISSING = "mean_of_available"
WEIGHTINGS = ("dimension", "indicator")
#: An indicator enters the index only with values in at least this many areas.
INDEX_MIN_AREAS = 3

_INDEX_TEXT = {
    "nb": {
        "zscore": "standardisert (z-skår)",
        "rank": "rangert (andelen nabolag som kommer dårligere ut)",
        "minmax": "skalert mellom dårligste og beste verdi (min–maks)",
        "levekar": "delt i ti like store grupper med 1–10 poeng der 10 er flest "
                   "levekårsproblemer (levekårsindeks, SSB-stil)",
        "exponential": "rangert; de dårligst stilte får ekstra tyngde (eksponentiell "
                       "transformasjon som i Skottlands levekårsindeks, SIMD)",
        "dimension": "hver dimensjon i veilederen like mye, delt likt mellom indikatorene i den",
        "indicator": "hver indikator like mye",
        "pop": " Rangering og standardisering er vektet med folketall.",
        "sentence": "Hver indikator er snudd slik at høyere er bedre, og deretter {method}. "
                    "I indeksen teller {weighting}.{pop}",
    },
    "en": {
        "zscore": "standardised (z-score)",
        "rank": "ranked (the share of neighbourhoods worse off)",
        "minmax": "scaled between the worst and the best value (min–max)",
        "levekar": "split into ten equal groups scored 1–10, 10 = most living-conditions "
                   "problems (SSB-style index)",
        "exponential": "ranked, with extra weight on the worst off (exponential transformation "
                       "as in Scotland's SIMD)",
        "dimension": "every dimension of the guide counts the same, shared equally by its "
                     "indicators",
        "indicator": "every indicator counts the same",
        "pop": " Ranks and standardisation are weighted by population.",
        "sentence": "Every indicator is oriented so that higher is better, then {method}. In "
                    "the index {weighting}.{pop}",
    },
}


def index_indicators(table: pd.DataFrame) -> list[str]:
    """The columns of ``table`` the index uses: its core indicators
    (:func:`soslokal_lib.indicators.core_indicators`) with values in at least
    :data:`INDEX_MIN_AREAS` areas."""
    core = core_indicators(table)
    return [c for c in core if int(table[c].notna().sum()) >= INDEX_MIN_AREAS]


def index_weights(table: pd.DataFrame, weighting: str = INDEX_WEIGHTING
                  ) -> dict[str, float] | None:
    """Weights of the index over ``table``'s index indicators: ``"dimension"`` (default,
    :func:`dimension_weights`) or ``"indicator"`` (``None``: equal weights)."""
    if weighting not in WEIGHTINGS:
        raise SoslokalError(f"Unknown weighting {weighting!r}. Fix: use one of "
                            f"{', '.join(WEIGHTINGS)}.")
    ids = index_indicators(table)
    return dimension_weights(table[ids]) if weighting == "dimension" and ids else None


def _index_input(table: pd.DataFrame, weighting: str, population: Any
                 ) -> tuple[pd.DataFrame, dict[str, float] | None, Any]:
    ids = index_indicators(table)
    if not ids:
        raise SoslokalError(
            f"No core indicator has values in at least {INDEX_MIN_AREAS} areas. Fix: pass an "
            "indicator table (indicators.neighbourhood_indicators or indicator_table).")
    if isinstance(population, str) and population == "auto":
        population = table["population"] if "population" in table.columns else None
    return table[ids], index_weights(table, weighting), population


def sustainability_index(
    table: pd.DataFrame,
    method: str = INDEX_METHOD,
    *,
    weighting: str = INDEX_WEIGHTING,
    population: pd.Series | str | None = "auto",
    missing: str = INDEX_MISSING,
) -> pd.DataFrame:
    """soslokal's composite index of social sustainability per area: the one definition that
    notebook 03 and the «politisk verksted» report share.

    :func:`composite` over :func:`index_indicators` with ``method`` (default
    :data:`INDEX_METHOD`, ``"exponential"``), :func:`index_weights` (default ``"dimension"``:
    every covered framework dimension counts the same, so social infrastructure with six
    indicators does not get 6/15 of the index), ``population`` (``"auto"``: the table's
    ``population`` column when it has one, else unweighted; or a Series, a column name, None)
    and ``missing`` (default ``"mean_of_available"``). Returns :func:`composite`'s frame;
    ``attrs`` add ``indicators`` and ``weighting``; :func:`index_text` describes it.
    """
    used, weights, population = _index_input(table, weighting, population)
    out = composite(used, method, weights, population=population, missing=missing)
    out.attrs.update(indicators=list(used.columns), weighting=weighting)
    return out


def index_sensitivity(
    table: pd.DataFrame,
    method: str = INDEX_METHOD,
    *,
    weighting: str = INDEX_WEIGHTING,
    population: pd.Series | str | None = "auto",
    missing: str = INDEX_MISSING,
    n_draws: int = 200,
    weight_spread: float = 0.5,
    seed: int = 0,
) -> SensitivityResult:
    """Sensitivity analysis (følsomhetsanalyse) of :func:`sustainability_index`: its ranks under
    ``method`` first, then every other method of :data:`METHODS`, each with the index's weights
    and ``n_draws`` perturbed weightings (:func:`sensitivity`)."""
    used, weights, population = _index_input(table, weighting, population)
    methods = [method, *[m for m in METHODS if m != method]]
    return sensitivity(used, methods, weights=weights, population=population, missing=missing,
                       n_draws=n_draws, weight_spread=weight_spread, seed=seed)


#: How the two indices are labelled wherever they stand side by side (notebook 03, the
#: «politisk verksted» report): the levekårsindeks in SSB's orientation, ours the other way.
INDEX_LABELS = {
    "nb": {"index": "indeks for sosial bærekraft (høyere = bedre)",
           "levekar": "levekårsindeks (1–10, 10 = flest utfordringer)"},
    "en": {"index": "social sustainability index (higher = better)",
           "levekar": "living-conditions index (1–10, 10 = most problems)"},
}


def levekar_indicators(table: pd.DataFrame) -> list[str]:
    """The columns the levekårsindeks uses: :func:`index_indicators` from registers and
    levekår sheets (not the survey), as SSB's and the cities' indices are register figures."""
    entries = table_entries(table)
    return [c for c in index_indicators(table) if entries[c].source != "survey"]


def levekar_index(table: pd.DataFrame, *, missing: str = INDEX_MISSING) -> pd.Series | None:
    """The levekårsindeks per area in the convention of SSB, Stavanger and Oslo: **1–10, 10 =
    most problems**. Each register indicator (:func:`levekar_indicators`) splits the areas into
    ten equally large groups scored 1–10 (10 = the tenth with most problems), and the index is
    the unweighted mean of the scores (SSB's «indeks for levekårsproblemer»:
    :func:`composite` with method ``"levekar"``, equal weights, every area counting once as
    SSB's kommuner and the cities' zones do). With fewer than ten areas the groups are coarse.
    ``None`` when the table has no register indicator with values in
    :data:`INDEX_MIN_AREAS` areas. ``attrs["indicators"]`` lists the indicators used."""
    ids = levekar_indicators(table)
    if not ids:
        return None
    out = composite(table[ids], "levekar", missing=missing)["levekar_index"]
    out.attrs = {"indicators": ids}
    return out.rename("levekar_index")


def index_text(lang: str = "nb", method: str = INDEX_METHOD, weighting: str = INDEX_WEIGHTING,
               population_weighted: bool = True) -> str:
    """One sentence saying how the index is built, in bokmål (``"nb"``) or English."""
    t = _INDEX_TEXT["en" if str(lang).lower() == "en" else "nb"]
    if method not in METHODS or weighting not in WEIGHTINGS:
        raise SoslokalError(f"index_text: unknown method {method!r} or weighting "
                            f"{weighting!r}. Fix: use one of {', '.join(METHODS)} and "
                            f"{', '.join(WEIGHTINGS)}.")
    return t["sentence"].format(method=t[method], weighting=t[weighting],
                                pop=t["pop"] if population_weighted else "")
