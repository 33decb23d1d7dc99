"""Merge small neighbourhoods into others, so that one tiny area does not hide a bigger one.

A neighbourhood with fewer than ``min_n`` respondents shows nothing, and the privacy rule then
hides cells of other areas too. Merging it into a neighbour keeps its residents' answers in the
results. Two ways, both from the config's ``[areas]`` table:

* ``merge = { "Nordre" = "Østsiden" }``: the area on the left joins the one on the right
  (ids or names, as in the boundary file or the survey; chains are followed);
* ``merge_small = "neighbour"``: each area with ``0 < n < min_n`` joins a neighbouring area
  (boundaries within :data:`TOUCH_TOLERANCE_M` metres): of the neighbours with which it has at
  least ``min_n`` answers on every theme, the one with the fewest answers; when no neighbour
  achieves that, the neighbour with the most answers. Ties go to the lowest area id. The
  smallest area (then the lowest id) goes first, and the merged area is counted again, so
  merging continues until every area has ``min_n`` or has no neighbour with answers. Areas
  without answers are never merged.

The merged area keeps the id of the area it joined and is named «Østsiden og Nordre».
:func:`merge_areas` applies a plan to :class:`~soslokal_lib.io.inputs.Inputs`;
:class:`AreaMerge` says what was merged and why (``.text(lang)``, ``.to_frame()``).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from soslokal_lib._messages import lazy, msg, tr
from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import lang_key

if TYPE_CHECKING:
    from soslokal_lib.io.inputs import Inputs

#: Boundaries closer than this (metres, EPSG:25833) count as touching: hand-drawn polygons
#: rarely share their edges exactly.
TOUCH_TOLERANCE_M = 1.0
NEIGHBOUR = "neighbour"

_TEXT = {
    "nb": {"and": "og", "answers": "svar", "config": "kommunen har valgt det",
           "small": "færre enn {min_n} svarte, og {target} er nabolaget ved siden av med "
                    "færrest svar som sammen gir minst {min_n} svar på hvert tema",
           "largest": "færre enn {min_n} svarte, og ingen nabolag ved siden av gir minst {min_n} "
                      "svar på hvert tema sammen med det; {target} har flest svar",
           "line": "{area} ({n} {answers}) er slått sammen med {target} og vises som «{name}»: "
                   "{why}.",
           "none": "Ingen nabolag er slått sammen."},
    "en": {"and": "and", "answers": "responses", "config": "the municipality chose it",
           "small": "fewer than {min_n} responded, and {target} is the neighbouring area with "
                    "the fewest responses that together give at least {min_n} answers on every "
                    "theme",
           "largest": "fewer than {min_n} responded, and no neighbouring area gives at least "
                      "{min_n} answers on every theme together with it; {target} has the most "
                      "responses",
           "line": "{area} ({n} {answers}) is merged with {target} and shown as «{name}»: "
                   "{why}.",
           "none": "No neighbourhoods were merged."},
}
#: The config line behind each reason (``AreaMerge.text(config=True)``, for ``soslokal check``).
_CONFIG_REF = {"config": " ([areas] merge)", "small": ' ([areas] merge_small = "neighbour")',
               "largest": ' ([areas] merge_small = "neighbour")'}


@dataclass(frozen=True)
class AreaMerge:
    """Which areas joined which, and why.

    ``mapping``: merged area id → id of the area it now belongs to (the final one, chains
    followed); ``steps``: each merge in order as ``(area, joined, reason)`` with ``reason``
    ``"config"``, ``"small"`` or ``"largest"`` (no neighbour gave ``min_n`` answers on every
    theme); ``names``: display names before merging; ``counts``:
    respondents per area before merging; ``merged_names``: resulting area id → new name.
    """

    mapping: Mapping[str, str] = field(default_factory=dict)
    steps: tuple[tuple[str, str, str], ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)
    merged_names: Mapping[str, str] = field(default_factory=dict)
    min_n: int = 5

    @property
    def statistic(self) -> int:
        """Number of areas merged into another."""
        return len(self.mapping)

    def to_frame(self) -> pd.DataFrame:
        """One row per merge: ``area_id, area_name, n, joined_id, joined_name, result_id,
        result_name, reason``."""
        rows = [{"area_id": a, "area_name": self.names.get(a, a), "n": self.counts.get(a, 0),
                 "joined_id": b, "joined_name": self.names.get(b, b),
                 "result_id": self.mapping[a],
                 "result_name": self.merged_names.get(self.mapping[a], self.mapping[a]),
                 "reason": why} for a, b, why in self.steps]
        return pd.DataFrame(rows, columns=["area_id", "area_name", "n", "joined_id",
                                           "joined_name", "result_id", "result_name", "reason"])

    def text(self, lang: str = "nb", *, config: bool = True) -> str:
        """One sentence per merge («Nordre (3 svar) er slått sammen med Østsiden …»);
        ``config=False`` leaves out the config line behind each merge (for readers who never
        see the config, such as the politisk verksted)."""
        t = _TEXT[lang_key(lang)]
        if not self.steps:
            return t["none"]
        lines = []
        for area, joined, why in self.steps:
            target = self.names.get(joined, joined)
            reason = t[why].format(min_n=self.min_n, target=target)
            if config:
                reason += _CONFIG_REF[why]
            lines.append(t["line"].format(
                area=self.names.get(area, area), n=self.counts.get(area, 0),
                answers=t["answers"], target=target,
                name=self.merged_names.get(self.mapping[area], target), why=reason))
        return " ".join(lines)

    def to_meta(self) -> dict:
        """JSON-like record for ``Survey.meta["area_merge"]`` (:meth:`from_meta` reads it)."""
        involved = {a for step in self.steps for a in step[:2]}
        return {"mapping": dict(self.mapping), "steps": [list(s) for s in self.steps],
                "merged_names": dict(self.merged_names), "min_n": self.min_n,
                "names": {a: self.names[a] for a in involved if a in self.names},
                "counts": {a: int(self.counts[a]) for a in involved if a in self.counts}}

    @classmethod
    def from_meta(cls, record: Mapping | None) -> AreaMerge | None:
        """The plan kept by :func:`merge_areas` in ``Survey.meta["area_merge"]``, or ``None``."""
        if not record:
            return None
        return cls(dict(record["mapping"]), tuple(tuple(s) for s in record["steps"]),
                   dict(record.get("names", {})), dict(record.get("counts", {})),
                   dict(record.get("merged_names", {})), int(record.get("min_n", 5)))


def plan_merges(
    inputs: Inputs,
    merge: Mapping[str, str] | None = None,
    merge_small: str | None = None,
    *,
    min_n: int = 5,
    lang: str = "nb",
) -> AreaMerge:
    """Work out which areas of ``inputs`` join which (see the module docstring).

    Raises :class:`SoslokalError` for an area in ``merge`` that matches no id or name (with
    close matches), an area merged into itself or a cycle, an unknown ``merge_small`` and
    ``merge_small`` without area boundaries.
    """
    counts = _counts(inputs)
    names = {a: str(inputs.names.get(a, a)) for a in counts.index}
    root = {a: a for a in counts.index}  # area → its current group (the id it is shown under)
    steps: list[tuple[str, str, str]] = []
    for area, joined in _resolve(merge or {}, names).items():
        if _find(root, joined) == area:
            raise SoslokalError(msg("merge.each_other", a=names[area], b=names[joined]))
        root[area] = joined
        steps.append((area, joined, "config"))
    if merge_small is not None:
        if merge_small != NEIGHBOUR:
            raise SoslokalError(msg("merge.small_unknown", value=merge_small, known=NEIGHBOUR))
        if inputs.areas is None:
            raise SoslokalError(msg("merge.small_no_areas"))
        steps += _merge_small(inputs.areas, counts, _theme_counts(inputs, counts.index), root,
                              min_n)
    mapping = {a: _find(root, a) for a in root if _find(root, a) != a}
    joiner = f" {_TEXT['en' if lang == 'en' else 'nb']['and']} "
    merged_names = {}
    for target in dict.fromkeys(mapping.values()):
        members = [a for a, _, _ in steps if mapping.get(a) == target]
        merged_names[target] = _join([names[target], *(names[a] for a in members)], joiner)
    return AreaMerge(mapping, tuple(steps), names, {a: int(n) for a, n in counts.items()},
                     merged_names, min_n)


def suggest_merges(inputs: Inputs, *, min_n: int = 5) -> list[tuple[str, str]]:
    """Merges ``(area, into)`` that would leave no area of ``inputs`` with fewer than ``min_n``
    answers on a theme, where a touching neighbour can mend it: the rule of
    ``merge_small = "neighbour"``, applied also to areas that have ``min_n`` respondents but
    fewer answers on some theme. Empty without boundaries."""
    if inputs.areas is None:
        return []
    counts = _counts(inputs)
    root = {a: a for a in counts.index}
    steps = _merge_small(inputs.areas, counts, _theme_counts(inputs, counts.index), root, min_n,
                         thin=True)
    return [(a, b) for a, b, _ in steps]


def isolated_areas(inputs: Inputs, areas: list[str], *, min_n: int = 5,
                   k: int = 3) -> dict[str, tuple[str | None, list[tuple[str, float]]]]:
    """Of ``areas``, those that touch no area with answers in the boundary file though some
    other area has answers (an island, an enclave among areas without answers): area → (the area to suggest merging it into, the
    ``k`` nearest areas with answers as ``(id, metres)``). The suggestion is the nearest that
    gives at least ``min_n`` answers on every theme together with it, else the nearest; ties
    go to fewer answers (as ``merge_small``), then the lowest id. Empty without boundaries;
    areas without a polygon are left out."""
    if inputs.areas is None:
        return {}
    counts = _counts(inputs)
    shapes = inputs.areas.geometry
    shapes = shapes[~shapes.index.duplicated()]
    themes = _theme_counts(inputs, counts.index)
    out = {}
    for area in (a for a in areas if a in shapes.index):
        others = shapes.drop(index=area)
        others = others[[int(counts.get(a, 0)) > 0 for a in others.index]]
        metres = others.distance(shapes.loc[area])
        if metres.empty or (metres <= TOUCH_TOLERANCE_M).any():
            continue
        near = sorted(((str(a), float(d)) for a, d in metres.items()),
                      key=lambda t: (round(t[1]), int(counts[t[0]]), t[0]))
        enough = [a for a, _ in near
                  if int((themes.loc[area] + themes.loc[a]).min()) >= min_n]
        target = enough[0] if enough else (near[0][0] if near else None)
        out[area] = (target, near[:k])
    return out


def merge_areas(
    inputs: Inputs,
    merge: Mapping[str, str] | None = None,
    merge_small: str | None = None,
    *,
    min_n: int = 5,
    lang: str = "nb",
) -> Inputs:
    """``inputs`` with the areas merged as :func:`plan_merges` says: respondents moved to the
    area they joined, boundaries dissolved, names «Østsiden og Nordre». The plan is kept in
    ``survey.meta["area_merge"]`` and each merge in ``survey.meta["changes"]``. Returns
    ``inputs`` unchanged when nothing is merged."""
    from soslokal_lib.survey import Survey

    plan = plan_merges(inputs, merge, merge_small, min_n=min_n, lang=lang)
    if not plan.mapping:
        return inputs
    survey = inputs.survey
    responses = survey.responses.copy()
    responses["area_id"] = responses["area_id"].replace(dict(plan.mapping))
    meta = dict(survey.meta)
    meta["area_merge"] = plan.to_meta()
    moved = responses["area_id"].ne(survey.responses["area_id"]).fillna(False)
    meta["changes"] = [*meta.get("changes", []),
                       *(f"area_id {a!r} → {plan.mapping[a]!r} for "
                         f"{int((survey.responses['area_id'] == a).sum())} respondents "
                         f"(areas merged: {why})" for a, _, why in plan.steps)]
    assert int(moved.sum()) == sum(plan.counts.get(a, 0) for a in plan.mapping)
    new_survey = Survey(responses, survey.comments, meta, dont_know=survey.dont_know)
    names = {a: n for a, n in inputs.names.items() if a not in plan.mapping}
    names.update(plan.merged_names)
    areas = inputs.areas
    if areas is not None:
        areas = _dissolve(areas, plan)
    return dataclasses.replace(inputs, survey=new_survey, areas=areas, names=names)


# --- helpers ------------------------------------------------------------------------------------


def _counts(inputs: Inputs) -> pd.Series:
    answers = inputs.survey.responses["area_id"].dropna().astype("str")
    counts = answers.value_counts()
    known = list(inputs.names)
    if inputs.areas is not None:
        known += [str(a) for a in inputs.areas.index]
    index = list(dict.fromkeys([*known, *counts.index]))
    return counts.reindex(index, fill_value=0).astype("int64")


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _resolve(merge: Mapping[str, str], names: Mapping[str, str]) -> dict[str, str]:
    lookup = {_fold(a): a for a in names}
    lookup.update({_fold(n): a for a, n in names.items()})
    out, unknown = {}, []
    for area, joined in merge.items():
        ids = [lookup.get(_fold(x)) for x in (area, joined)]
        for given, found in zip((area, joined), ids, strict=True):
            if found is None:
                unknown.append(given)
        if None in ids:
            continue
        if ids[0] == ids[1]:
            raise SoslokalError(msg("merge.itself", area=area))
        out[ids[0]] = ids[1]
    if unknown:
        known = sorted(set(names.values()))
        hints = []
        for value in unknown:
            close = difflib.get_close_matches(value, known, n=2, cutoff=0.6)
            hints.append((repr(value), close))
        listed = lazy(lambda lang: ", ".join(
            shown + (tr(msg("merge.did_you_mean", names=tr(msg("merge.or"), lang).join(
                map(repr, close))), lang) if close else "") for shown, close in hints))
        raise SoslokalError(msg("merge.no_area", hints=listed, known=", ".join(known)))
    return out


def _find(root: dict[str, str], area: str) -> str:
    seen = set()
    while root[area] != area:
        if area in seen:
            raise SoslokalError(msg("merge.circle"))
        seen.add(area)
        area = root[area]
    return area


def _theme_counts(inputs: Inputs, index: pd.Index) -> pd.DataFrame:
    """Answers (scores, not «vet ikke» or blanks) per area and theme, rows as ``index``."""
    from soslokal_lib.themes import THEME_CODES

    responses = inputs.survey.responses
    themes = [c for c in THEME_CODES if c in responses.columns]
    answered = responses[themes].notna().astype("int64")
    per_area = answered.groupby(responses["area_id"].astype("string").to_numpy()).sum()
    return per_area.reindex(index, fill_value=0).astype("int64")


def _merge_small(areas, counts: pd.Series, themes: pd.DataFrame, root: dict[str, str],
                 min_n: int, *, thin: bool = False) -> list[tuple[str, str, str]]:
    """Merge each group below ``min_n`` into a touching group: the one with the fewest answers
    among those that give at least ``min_n`` answers on every theme together, else the biggest.

    ``thin``: also merge groups with ``min_n`` respondents or more that have fewer than
    ``min_n`` answers on some theme, and only into a neighbour that mends that (the remedy
    ``soslokal check`` suggests)."""
    import geopandas as gpd

    steps = []
    ids = [a for a in counts.index if a in areas.index]
    shapes = areas.geometry.reindex(ids)
    done: set[str] = set()  # thin groups without a neighbour that mends them
    while True:
        groups = pd.Series({a: _find(root, a) for a in ids}).to_numpy()
        n = counts.reindex(ids).groupby(groups).sum()
        per_theme = themes.reindex(ids).groupby(groups).sum()
        short = n < min_n
        if thin:
            short |= per_theme.min(axis=1).reindex(n.index).lt(min_n)
        small = n[(n > 0) & short & ~n.index.isin(done)]
        if small.empty:
            return steps
        geoms = gpd.GeoSeries(shapes.groupby(groups).agg(lambda s: s.union_all()),
                              crs=areas.crs)
        order = sorted(small.index, key=lambda a: (int(small[a]), str(a)))
        for area in order:
            others = geoms.drop(index=area)
            near = others[others.distance(geoms[area]) <= TOUCH_TOLERANCE_M].index
            candidates = [a for a in near if n[a] > 0]
            enough = [a for a in candidates
                      if int((per_theme.loc[area] + per_theme.loc[a]).min()) >= min_n]
            why = "small"
            if enough:
                joined = min(enough, key=lambda a: (int(n[a]), str(a)))
            elif candidates and not thin:
                joined, why = min(candidates, key=lambda a: (-int(n[a]), str(a))), "largest"
            else:
                done.add(area)
                continue
            root[area] = joined
            steps.append((area, joined, why))
            break
        else:  # no small group has a neighbour with answers: nothing more to merge
            return steps


def _join(names: list[str], joiner: str) -> str:
    if len(names) <= 2:
        return joiner.join(names)
    return ", ".join(names[:-1]) + joiner + names[-1]


def _dissolve(areas, plan: AreaMerge):
    import geopandas as gpd

    groups = pd.Series(areas.index.astype(str), index=areas.index).replace(dict(plan.mapping))
    first = areas.drop(columns=areas.geometry.name).groupby(groups.to_numpy(), sort=False).first()
    shapes = areas.geometry.groupby(groups.to_numpy(), sort=False).agg(lambda s: s.union_all())
    out = gpd.GeoDataFrame(first, geometry=gpd.GeoSeries(shapes, crs=areas.crs), crs=areas.crs)
    out.index = pd.Index(out.index.astype(str), name=areas.index.name, dtype="str")
    out["area_name"] = [plan.merged_names.get(a, n) for a, n in
                        zip(out.index, out["area_name"], strict=True)]
    out.attrs = {**areas.attrs, "changes": [*areas.attrs.get("changes", []),
                                             f"areas merged: {dict(plan.mapping)}"]}
    return out
