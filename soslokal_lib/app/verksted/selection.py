"""``[report] areas``: limit the «politisk verksted» report to some neighbourhoods, named by id
or by name (case and surrounding spaces ignored). An unknown one stops the report with the
closest names."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from soslokal_lib.errors import SoslokalError

__all__ = ["select_areas"]


def select_areas(wanted: Sequence[str], areas: Sequence[str],
                 names: Mapping[str, str]) -> list[str]:
    """The ids of ``areas`` (in their order) that ``wanted`` names by id or name.

    Raises :class:`SoslokalError` naming every unknown entry with up to three close names,
    and for an empty selection."""
    wanted = [str(w) for w in wanted]
    if not wanted:
        raise SoslokalError("[report] areas is empty. Fix: name at least one neighbourhood, "
                            "or leave the key out for the whole kommune.")
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
            parts.append(f"{w!r}" + (f" (closest: {', '.join(close)})" if close else ""))
        raise SoslokalError(
            f"[report] areas names unknown neighbourhood(s): {'; '.join(parts)}. Fix: use an "
            f"id or name of the survey's neighbourhoods: {', '.join(shown)}.")
    return [a for a in areas if a in chosen]
