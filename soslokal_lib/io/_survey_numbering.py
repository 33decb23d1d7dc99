"""What a survey's numbered headers mean in this file (used by :mod:`soslokal_lib.io.survey`).

:func:`numbering` decides whether the numbers follow the standard order of the 14 themes;
:func:`shifted` finds numbers all off by the same amount (an export numbering every question);
:func:`resolve` gives a header its canonical name in this file, or a problem: a header whose
number and words name different themes is not read (either could be right).
"""

from __future__ import annotations

import json
from typing import Any

from soslokal_lib._messages import lazy, msg, tr
from soslokal_lib.errors import Problem
from soslokal_lib.io._survey_columns import HeaderMatch, match_header
from soslokal_lib.themes import THEME_CODES, get_theme


def toml(text: object) -> str:
    """``text`` as a TOML basic string (JSON's escaping is valid TOML)."""
    return json.dumps(str(text), ensure_ascii=False)


def map_fix(header: str, target: object, verb: object = None) -> dict[str, object]:
    """The fix "map this header to ``target``" for both audiences (see :class:`Problem`);
    ``target`` ``None`` ignores the column."""
    value = "false" if target is None else (
        lazy(lambda lang: toml(tr(target, lang))) if hasattr(target, "render") else toml(target))
    verb = msg("survey.map_it") if verb is None else verb
    return {"fix": msg("survey.map_fix", verb=verb, header=header, target=target),
            "fix_config": msg("survey.map_fix_config", verb=verb, header=toml(header),
                              value=value)}


def numbering(headers: list[str], matches: dict[int, HeaderMatch | None]) -> dict[str, Any]:
    """Whether the numbered headers follow the standard order of the 14 themes.

    Not when a background question (area, age, …) is numbered 1–14 (the numbers then count
    every question), when a header numbered above 14 names a theme, or when most numbered
    headers whose words name a theme name another one than their number.
    """
    numbered = {p: m for p, m in matches.items() if m is not None and m.number is not None}
    if not numbered:
        return {"standard": None, "reason": None}
    reason = None
    for pos, m in numbered.items():
        if m.how == "role" and m.number <= len(THEME_CODES):
            reason = msg("numbering.role", header=headers[pos], number=m.number)
            break
        if m.number > len(THEME_CODES) and (m.named or m.theme):
            reason = msg("numbering.above", header=headers[pos], number=m.number)
            break
    if reason is None:
        checked = [(p, m) for p, m in numbered.items()
                   if m.how in ("number", "comment") and m.named is not None]
        wrong = [(p, m) for p, m in checked if m.named != THEME_CODES[m.number - 1]]
        if len(wrong) * 2 > len(checked):
            pos, m = wrong[0]
            reason = msg("numbering.most_wrong", header=headers[pos], named=m.named)
    return {"standard": reason is None, "reason": reason}


def shifted(headers: list[str], matches: dict[int, HeaderMatch | None], wanted: list[str],
            row: int) -> tuple[Problem | None, dict[int, str]]:
    """One problem when every numbered theme header is off by the same amount from the
    standard order (``Q4``–``Q17`` after ``1.``–``3.`` background questions), with the lines
    that map each header; and the positions it covers, with their themes. ``(None, {})``
    otherwise."""
    numbered = {p: m for p, m in sorted(matches.items())
                if m is not None and m.number is not None}
    every = {p: matches[p] if p in matches else match_header(h) for p, h in enumerate(headers)}
    roles = sorted((m.number, p) for p, m in every.items()
                   if m is not None and m.how == "role" and m.number is not None)
    scores = {p: m for p, m in numbered.items() if m.how in ("number", "none") and not m.kind}
    numbers = sorted(m.number for m in scores.values())
    if not numbers or len(set(numbers)) != len(numbers) or len(numbers) > len(wanted):
        return None, {}
    shift = numbers[0] - 1
    if shift <= 0 or numbers != list(range(shift + 1, shift + len(numbers) + 1)):
        return None, {}
    by_roles = [n for n, _ in roles] == list(range(1, shift + 1))
    if not by_roles and len(numbers) != len(THEME_CODES):
        return None, {}
    if any(m.named and get_theme(m.named).number != m.number - shift
           for m in numbered.values() if m.how in ("number", "comment")):
        return None, {}
    mapping: dict[str, str] = {}
    for pos, m in numbered.items():
        if m.how == "role" or m.named or not 1 <= m.number - shift <= len(THEME_CODES):
            continue  # a header whose words name its theme is read by them
        code = THEME_CODES[m.number - shift - 1]
        if code in wanted:
            mapping[headers[pos]] = f"{code}:{m.kind}" if m.kind else code
    covered = {p: mapping[headers[p]] for p in numbered if headers[p] in mapping}
    if not covered:
        return None, {}
    first, last = (min(scores, key=lambda p: scores[p].number),
                   max(scores, key=lambda p: scores[p].number))
    reason = (msg("numbering.shifted.roles", shift=shift,
                  headers=", ".join(repr(headers[p]) for _, p in roles)) if by_roles
              else msg("numbering.shifted.range", low=numbers[0], high=numbers[-1]))
    lines = "".join(f"\n      {toml(h)} = {toml(t)}   # {get_theme(t.partition(':')[0]).number}"
                    f". {get_theme(t.partition(':')[0]).name_nb}" for h, t in mapping.items())
    return Problem(
        msg("numbering.shifted", shift=shift, reason=reason, first=repr(headers[first]),
            last=repr(headers[last]), n=len(numbers)), row=row,
        fix=msg("numbering.shifted.fix", mapping=mapping),
        fix_config=msg("numbering.shifted.fix_config", lines=lines)), covered


def resolve(match: HeaderMatch | None, header: str, numbering: dict[str, Any], row: int,
            problems: list[Problem], warned: list[Problem],
            same_number: dict[int, list[tuple[str, str]]] | None = None) -> str | None:
    """The canonical name of a header in this file; problems and warnings are appended.

    ``same_number``: number → the comment headers (header, kind) read by that number alone,
    named in the fix of a header whose number and words disagree.
    """
    if match is None:
        return None
    by_number = (match.how in ("number", "comment") and match.number is not None
                 and 1 <= match.number <= len(THEME_CODES)
                 and match.theme == THEME_CODES[match.number - 1])
    suffix = f":{match.kind}" if match.kind else ""
    if by_number and not numbering["standard"]:
        if match.named is not None:
            return f"{match.named}{suffix}"
        words = match.lookalike
        target = (f"{words}{suffix}" if words else
                  lazy(lambda lang: tr(msg("numbering.theme_code"), lang) + suffix))
        problems.append(Problem(
            msg("numbering.not_standard", number=match.number, reason=numbering["reason"]),
            row=row, column=header, **map_fix(header, target, msg("numbering.not_standard.verb"))))
        return None
    if by_number:
        code = THEME_CODES[match.number - 1]
        other = match.named or match.lookalike
        if other is not None and other != code:
            theme, named = get_theme(code), get_theme(other)
            if match.named is None:  # the words only look like another theme's: a warning
                warned.append(Problem(
                    msg("survey.number_vs_words", number=match.number, theme=theme.name_nb,
                        code=code, named=named.name_nb, other=other, suffix=suffix), row=row,
                    column=header,
                    **map_fix(header, f"{other}{suffix}", msg("survey.map_if_words"))))
                return match.target
            problems.append(_conflict(match, header, code, other, suffix, row,
                                      (same_number or {}).get(match.number, [])))
            return None
        return match.target
    if match.target is not None:
        return match.target
    if match.lookalike is not None:
        theme = get_theme(match.lookalike)
        problems.append(Problem(
            msg("survey.lookalike", name=theme.name_nb, target=f"{theme.code}{suffix}"),
            row=row, column=header,
            fix=msg("survey.lookalike.fix", header=header, target=f"{theme.code}{suffix}"),
            fix_config=msg("survey.lookalike.fix_config", header=toml(header),
                           target=toml(theme.code + suffix))))
    return None


def _conflict(match: HeaderMatch, header: str, code: str, other: str, suffix: str, row: int,
              comments: list[tuple[str, str]]) -> Problem:
    """A header whose number names ``code`` and whose words name ``other``."""
    theme, named = get_theme(code), get_theme(other)
    comments = [(h, k) for h, k in comments if h != header]
    note, note_config = "", ""
    if comments and not suffix:
        headers = ", ".join(repr(h) for h, _ in comments)
        note = msg("numbering.conflict.comments", headers=headers, code=code,
                   lines=", ".join(f"{h!r}: '{other}:{k}'" for h, k in comments))
        note_config = msg("numbering.conflict.comments", headers=headers, code=code,
                          lines=", ".join(f"{toml(h)} = {toml(f'{other}:{k}')}"
                                          for h, k in comments))
    return Problem(
        msg("numbering.conflict", number=match.number, theme=theme.name_nb, code=f"{code}{suffix}",
            named=named.name_nb, other=f"{other}{suffix}"), row=row, column=header,
        fix=msg("numbering.conflict.fix", header=header, other=f"{other}{suffix}",
                code=f"{code}{suffix}", comments=note),
        fix_config=msg("numbering.conflict.fix_config",
                       by_words=f"{toml(header)} = {toml(other + suffix)}",
                       by_number=f"{toml(header)} = {toml(code + suffix)}",
                       comments=note_config))
