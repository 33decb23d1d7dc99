"""``[report] areas``: limit the «politisk verksted» report to some neighbourhoods, named by id
or by name (case and surrounding spaces ignored). An unknown one stops the report with the
closest names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from soslokal_lib._messages import lazy, msg, tr
from soslokal_lib.errors import SoslokalError

__all__ = ["area_order", "select_areas"]


def area_order(inputs: Any, ids: Iterable[object]) -> list[str]:
    """Every neighbourhood (boundaries, names, the survey's ``ids``), in Norwegian
    alphabetical order of their names."""
    found = {str(a) for a in ids if str(a) != "total"}
    found |= {str(a) for a in inputs.names}
    if inputs.areas is not None:
        found |= {str(a) for a in inputs.areas.index}
    key = str.maketrans({"æ": "{", "ø": "|", "å": "}"})
    return sorted(found, key=lambda a: (str(inputs.names.get(a, a)).casefold().translate(key),
                                        a))


def select_areas(wanted: Sequence[str], areas: Sequence[str],
                 names: Mapping[str, str]) -> list[str]:
    """The ids of ``areas`` (in their order) that ``wanted`` names by id or name.

    Raises :class:`SoslokalError` naming every unknown entry with up to three close names,
    and for an empty selection."""
    wanted = [str(w) for w in wanted]
    if not wanted:
        raise SoslokalError(msg("report.areas_empty"))
    by_key: dict[str, str] = {}
    for a in areas:
        by_key[str(a).strip().casefold()] = a
        by_key.setdefault(str(names.get(a, a)).strip().casefold(), a)
    chosen, unknown = set(), []
    for w in wanted:
        hit = by_key.get(w.strip().casefold())
        if hit is None:
            unknown.append(w)
        else:
            chosen.add(hit)
    if unknown:
        shown = [str(names.get(a, a)) for a in areas]
        parts = []
        for w in unknown:
            close = difflib.get_close_matches(w.strip(), shown, n=3, cutoff=0.5) or \
                difflib.get_close_matches(w.strip().casefold(), [s.casefold() for s in shown],
                                          n=3, cutoff=0.5)
            parts.append((w, ", ".join(close)))
        listed = lazy(lambda lang: "; ".join(
            f"{w!r}" + (f" ({tr(msg('report.areas_closest', names=c), lang)})" if c else "")
            for w, c in parts))
        raise SoslokalError(msg("report.areas_unknown", known=", ".join(shown), listed=listed))
    return [a for a in areas if a in chosen]
