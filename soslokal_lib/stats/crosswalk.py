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

from soslokal_lib._messages import Text, hint, lazy, msg, tr
from soslokal_lib.errors import SoslokalError
from soslokal_lib.io.survey import fold_name as fold  # as the survey reader matches names


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


# --- checking a crosswalk against the rounds' answers (``soslokal check`` and the report) -----


def unknown_crosswalk_names(crosswalk: Mapping[str, list[str]], answered: Iterable[str],
                            areas: Iterable[str], *, surveys: str, boundary: object
                            ) -> list[Text]:
    """One problem per name of ``crosswalk`` (:func:`read_crosswalk`) found, case and spaces
    ignored, neither among the area answers of any round (``answered``) nor among the areas of
    the boundary file (``areas``: names and codes): a misspelt old name would move no answers
    and leave the earlier round's area unmatched, a misspelt new name would make an area of its
    own. Each names the closest names and the line to write. ``surveys``: the rounds' files;
    ``boundary``: the boundary file (name or text)."""
    answered = [str(a) for a in dict.fromkeys(answered) if str(a).strip()]
    areas = [str(a) for a in dict.fromkeys(areas) if str(a).strip()]
    pool: dict[str, str] = {}  # one spelling per name, the boundary file's first
    for name in [*areas, *answered]:
        pool.setdefault(fold(name), name)
    known = set(pool)
    out: list[Text] = []
    for old, targets in crosswalk.items():
        if fold(old) not in known:
            close = difflib.get_close_matches(old, list(pool.values()), n=3, cutoff=0.5)
            example = (f" (crosswalk = {{ {_pair(close[0], targets[0])} }})" if close
                       and targets else "")
            out.append(msg("rounds.crosswalk_old_unknown", area=old, surveys=surveys,
                           areas=boundary, hint=hint(close), example=example))
        for new in targets:
            if fold(new) not in known:
                close = difflib.get_close_matches(new, areas, n=3, cutoff=0.5)
                out.append(msg("rounds.crosswalk_new_unknown", area=new, old=old,
                               areas=boundary, hint=hint(close)))
    return out


def crosswalk_advice(values: Iterable[str], candidates: Iterable[str], label: object,
                     config: str | None = None) -> Text | str:
    """«if 'Gammelt' is an area renamed or merged since round …, write under [rounds] …:
    crosswalk = { "Gammelt" = "Nytt" }» for area answers of an earlier round that match no
    area. ``candidates``: the areas without answers in that round, where a renamed area's new
    name must be (the new name is filled in when there is exactly one, else a placeholder and
    the candidates are listed; without any, ``""``: the answers are not a renamed area, and
    «no area given» words get their own fix); ``config``: the config file's name (``None``:
    «in the config»)."""
    values = [str(v) for v in values]
    candidates = [str(c) for c in candidates]
    if not values or not candidates:
        return ""

    def render(lang: str) -> str:
        new = (candidates[0] if len(candidates) == 1
               else tr(msg("rounds.crosswalk_new_name"), lang))
        others = (msg("rounds.crosswalk_candidates", round=label, names=", ".join(candidates))
                  if len(candidates) > 1 else "")
        where = msg("rounds.in_file", file=config) if config else msg("rounds.in_config")
        return tr(msg("rounds.crosswalk_advice", values=", ".join(map(repr, values)),
                      round=label, config=where, others=others,
                      pairs=", ".join(_pair(v, new) for v in values)), lang)

    return lazy(render)


def _pair(old: str, new: str) -> str:
    """One TOML line of the crosswalk table, quoted as TOML quotes."""
    import json

    return f"{json.dumps(old, ensure_ascii=False)} = {json.dumps(new, ensure_ascii=False)}"
