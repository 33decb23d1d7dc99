"""How many areas have results, and whether that is enough for rankings.

A composite index, deciles and a rank sensitivity analysis compare areas with each other. With
two or three areas they say nothing a reader cannot see in the table per theme, and their
numbers mislead (a composite of 73.8 against 0.0, a «decile» 1 and 10 for two areas). Below
:data:`MIN_AREAS_FOR_RANKING` areas with results, notebook 03 and the «politisk verksted»
report leave these parts out and say why (:meth:`AreaCount.text`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from soslokal_lib.numformat import lang_key

#: Fewest areas with results for composite indices, deciles and rank sensitivity.
MIN_AREAS_FOR_RANKING = 5

_TEXT = {
    "nb": {
        "enough": "{n} nabolag har resultater; det er nok til å sammenligne dem i en samleindeks.",
        "few": "Bare {n} {areas} har resultater{listed}, og det trengs minst {minimum} for å "
               "rangere nabolag. Med så få nabolag sier en samleindeks, tideler og en "
               "følsomhetsanalyse av rangeringen ingenting som ikke tabellene per tema viser "
               "bedre: hvert nabolag blir sin egen gruppe, og et lite utslag i én indikator "
               "bytter plassene. Denne delen er derfor utelatt.",
        "area": "nabolag", "areas": "nabolag",
    },
    "en": {
        "enough": "{n} neighbourhoods have results; enough to compare them in a composite index.",
        "few": "Only {n} {areas} have results{listed}, and ranking neighbourhoods needs at least "
               "{minimum}. With so few, a composite index, deciles and a sensitivity analysis of "
               "the ranking say nothing the tables per theme do not show better: each "
               "neighbourhood is its own group, and a small change in one indicator swaps the "
               "places. This part is therefore left out.",
        "area": "neighbourhood", "areas": "neighbourhoods",
    },
}


@dataclass(frozen=True)
class AreaCount:
    """Areas with results (``areas``, ids in order) against the ``minimum`` for rankings."""

    areas: tuple[str, ...]
    minimum: int = MIN_AREAS_FOR_RANKING
    names: Mapping[str, str] | None = None

    @property
    def statistic(self) -> int:
        """Number of areas with results."""
        return len(self.areas)

    @property
    def enough(self) -> bool:
        """Whether there are enough areas for composite indices, deciles and ranks."""
        return len(self.areas) >= self.minimum

    def to_frame(self) -> pd.DataFrame:
        """One row per area with results: ``area_id``, ``name`` (the id without a name);
        empty when no area has results."""
        names = self.names or {}
        return pd.DataFrame({"area_id": list(self.areas),
                             "name": [str(names.get(a, a)) for a in self.areas]})

    def text(self, lang: str = "nb") -> str:
        """A sentence saying whether rankings are shown, and why not."""
        t = _TEXT[lang_key(lang)]
        if self.enough:
            return t["enough"].format(n=len(self.areas))
        names = [str((self.names or {}).get(a, a)) for a in self.areas]
        listed = f" ({', '.join(names)})" if names else ""
        word = t["area"] if len(self.areas) == 1 else t["areas"]
        return t["few"].format(n=len(self.areas), areas=word, listed=listed,
                               minimum=self.minimum)


def areas_with_results(
    table: pd.DataFrame,
    *,
    by: str = "area_id",
    names: Mapping[str, str] | None = None,
    minimum: int = MIN_AREAS_FOR_RANKING,
) -> AreaCount:
    """The areas of ``table`` with at least one shown result.

    ``table`` is either a :func:`soslokal_lib.summarise` table (areas in ``by``; a row counts
    when it is not suppressed; the ``"total"`` row is not an area) or an indicator table (one
    row per area in the index; a row counts when any value is present).
    """
    if {"theme", "suppressed"} <= set(table.columns) and by in table.columns:
        ids = table[by].astype("string")
        shown = ~table["suppressed"].astype("boolean").fillna(True)
        areas: Sequence[str] = sorted(set(ids[shown & (ids != "total")].dropna()))
    else:
        present = table.notna().any(axis=1)
        areas = [str(a) for a in table.index[present.to_numpy()] if str(a) != "total"]
    return AreaCount(tuple(areas), minimum, names)
