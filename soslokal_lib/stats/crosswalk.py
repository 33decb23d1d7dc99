"""Crosswalk between the areas of two survey rounds: old names → the later round's names.

A crosswalk is a mapping ``{"Gamle navn": "Nytt navn"}`` or a CSV file with columns
``old,new`` (one line per renamed or merged area; the delimiter , or ; is detected). Several old
areas may map to one new area (a **merge**: the earlier round's answers are pooled on the new
boundary). One old area mapped to several new ones (a **split**) is refused, because the
answers cannot be shared out between the new areas; the error says to map the new areas back
onto the old one instead — the crosswalk is applied to *both* rounds, so the later round can be
brought onto the earlier boundary as well. Chains (``A → B``, ``B → C``) are followed to their
end; a circle is an error. Every name, old or new, must be in at least one round (a typo
would otherwise make an area of its own): a name in neither round is an error with the
closest names.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path

from soslokal_lib._messages import hint, msg
from soslokal_lib.errors import SoslokalError


def read_crosswalk(source: Mapping | str | Path) -> dict[str, list[str]]:
    """The crosswalk as ``{old: [new, …]}`` (a list longer than one is a split, refused by
    :func:`resolve_crosswalk`). ``source``: a mapping (values a name, or a list of names) or
    the path of a CSV file with columns ``old`` and ``new``."""
    out: dict[str, list[str]] = {}

    def add(old: object, new: object, line: object = None) -> None:
        old_s, new_s = str(old).strip(), str(new).strip()
        if not old_s or not new_s or old is None or new is None:
            raise SoslokalError(msg("rounds.crosswalk_blank", source=where, line=line))
        targets = out.setdefault(old_s, [])
        if new_s not in targets:
            targets.append(new_s)

    if isinstance(source, Mapping):
        where = "crosswalk"
        for i, (old, new) in enumerate(source.items(), start=1):
            for target in (new if isinstance(new, (list, tuple)) else [new]):
                add(old, target, i)
        return out
    if not isinstance(source, (str, Path)):
        raise SoslokalError(msg("rounds.crosswalk_type", kind=type(source).__name__))
    path = Path(source)
    where = str(path)
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    rows = list(csv.reader(text.splitlines(), dialect))
    header = [h.strip().casefold() for h in rows[0]] if rows else []
    if "old" not in header or "new" not in header:
        raise SoslokalError(msg("rounds.crosswalk_columns", source=where,
                                found=", ".join(map(repr, rows[0] if rows else []))))
    i_old, i_new = header.index("old"), header.index("new")
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [*row, "", ""]
        add(cells[i_old], cells[i_new], line)
    return out


def resolve_crosswalk(crosswalk: Mapping[str, list[str]], known: Iterable[str]) -> dict[str, str]:
    """``{old: final new name}`` checked against the areas ``known`` (both rounds' names):
    splits, unknown names and circles raise :class:`SoslokalError`."""
    known = sorted({str(k) for k in known})
    for old, targets in crosswalk.items():
        if len(targets) > 1:
            lines = ", ".join(f'"{t}" = "{old}"' for t in targets)
            raise SoslokalError(msg("rounds.crosswalk_split", area=old,
                                    targets=", ".join(map(repr, targets)), lines=lines))
    named = set(crosswalk) | {t[0] for t in crosswalk.values()}
    present = set(known)
    for area in sorted(named - present):  # every name, old or new, is in some round
        close = difflib.get_close_matches(area, known, n=3, cutoff=0.5)
        raise SoslokalError(msg("rounds.crosswalk_unknown", area=area, hint=hint(close)))
    final: dict[str, str] = {}
    for old in crosswalk:
        seen = [old]
        cur = crosswalk[old][0]
        while cur in crosswalk and cur != seen[-1]:
            if cur in seen:
                raise SoslokalError(msg("rounds.crosswalk_cycle",
                                        areas=" → ".join(map(repr, [*seen, cur]))))
            seen.append(cur)
            cur = crosswalk[cur][0]
        final[old] = cur
    return final
