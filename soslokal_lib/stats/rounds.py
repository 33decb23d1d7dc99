"""Change between two Stedskompasset rounds (e.g. 2021 and 2024), per area and theme.

:func:`split_rounds` splits a combined export (a ``round`` column) into one survey per round;
:func:`compare_rounds` compares two rounds and returns a :class:`RoundComparison`: one row per
``by`` value × theme and a ``total`` row per theme (``by`` value(s) ``"total"``, as in
:func:`soslokal_lib.summarise`), the earlier round ``_before``, the later ``_after``.

**Statistics** (ARCHITECTURE §6 conventions of :mod:`soslokal_lib.stats.summary`): ``n`` counts
valid scores («vet ikke» and blanks are not in any share or mean); ``share_low`` /
``share_high`` are the shares at or below / at or above :func:`~soslokal_lib.themes.scale_cutoffs`
(1–3 / 5–7 on 7 points); ``median`` the (weighted) median of the summary.

* ``share_low_diff`` = after − before, with Newcombe's hybrid score interval (method 10 of
  Newcombe 1998: the two Wilson intervals combined; as :func:`statsmodels.stats.proportion.
  confint_proportions_2indep` ``method="newcomb"``). Weighted: the weighted shares with Kish's
  effective n ``(Σw)²/Σw²`` of each round in place of n. The same for ``share_high_diff``.
* ``mean_diff``: difference of the **means of the ordinal scores** (1–7 treated as numbers,
  a convenience for reading, not an interval-scale claim), with Welch's t-interval
  (``s²/n_eff`` per round, Welch–Satterthwaite degrees of freedom; unweighted it is
  :func:`scipy.stats.ttest_ind` ``equal_var=False``). A cell whose answers all agree in both
  rounds has a zero-width interval.
* ``p_value``: the **Brunner–Munzel test** (two-sided, t approximation, as
  :func:`scipy.stats.brunnermunzel`), computed from the score histograms. Chosen because the
  scores are ordinal (it compares ranks only, no interval scale), a 7-point scale has many ties
  (it uses midranks and its variance estimate allows ties), and the two rounds may differ in
  spread as well as in level (unlike the Mann–Whitney test it does not assume equal shapes
  under the null: it tests P(X < Y) + ½P(X = Y) = ½). Degenerate cells are handled explicitly:
  when both rounds' rank variances are zero, either every answer in both rounds is the same
  (p = 1) or the rounds are completely separated, and then the p-value is Fisher's exact test
  of the 2 × 2 table round × (the lower round's value, the higher round's value); with fewer
  than two answers in a round there is no p-value. With weights the p-value is the test on the
  unweighted answers (a design-based ordinal test is not at hand in scipy/statsmodels): it asks
  whether the respondents' answers changed; the shares, means and their intervals are weighted.
* ``q_value``: Benjamini–Hochberg (:func:`statsmodels.stats.multitest.multipletests`
  ``"fdr_bh"``) over every **shown area row** of the table (one family: all areas × themes),
  and separately over the shown total rows (one family: the themes). Suppressed rows are left
  out: their statistics are not published, so they are no findings. Totals are a family of
  their own because they answer another question (the kommune as a whole) and would otherwise
  be drowned by, or drown, the area cells.
* ``changed``: ``q_value < 1 − confidence`` (0.05 by default) **and** the interval of
  ``share_low_diff`` excludes 0 — the share of low scores, the figure reports lead with. Both
  are rounded to :data:`DECIMALS` decimals before the comparison, so every machine flags the
  same cells. ``direction``: ``"better"`` (fewer low scores) or ``"worse"`` where changed.

**Privacy.** A row is suppressed (statistics blank, ``n_before``/``n_after`` kept) when either
round hides the cell: ``"primary"`` when a round has fewer than ``min_n`` answers,
``"secondary"`` when a round's own published table hides it to protect a small neighbour,
``"one_round"`` when the area is in one round only (no change figure, and a note names it).
Each round's codes are those of its own summary (:func:`soslokal_lib.summarise`, by the same
:mod:`soslokal_lib.privacy` mechanism), so a user may publish both rounds' summaries with
totals and this table, and nothing below ``min_n`` is determined by them together: the
comparison shows of each round only figures that round's summary shows. With a crosswalk that
merges areas, the earlier round's merged figures are a new table over its old areas; they are
decided by :func:`soslokal_lib.privacy.linked_codes` with the old areas as the (fixed) areas'
table and the merged areas as a group table, so the merged table and the old summary together
reveal nothing (area × age/gender tables of the earlier round by *old* areas are not part of
that model: publish group tables of an earlier round on one set of boundaries only). The total
rows cover each round as a whole (areas in one round only included): a total over the common
areas only would differ from the published total by exactly the areas left out.

**Mix shift.** A note warns when the respondents' make-up changed strongly: for ``age_group``
and ``gender`` (when both rounds have them), a level whose share of the respondents who gave
one changed by at least :data:`MIX_POINTS` percentage points, or by a factor of at least
:data:`MIX_FACTOR` (either way) while at least :data:`MIX_MIN_SHARE` in one round. A change in
scores can then be a change in who answered; weights per round (``weight=``) can correct for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib import privacy
from soslokal_lib._messages import Text, msg
from soslokal_lib.errors import SoslokalError
from soslokal_lib.stats import _cells
from soslokal_lib.stats.crosswalk import read_crosswalk, resolve_crosswalk
from soslokal_lib.stats.rounds_wording import describe, mix_items, source_name
from soslokal_lib.stats.summary import _by_columns, _histograms, cell_statistics, wilson
from soslokal_lib.survey import Survey

#: Column names (case-insensitive) read as the round of a combined export.
ROUND_COLUMNS = ("round", "år", "runde", "year")
#: Decimals p, q and interval ends are rounded to before they decide ``changed``.
DECIMALS = 9
#: Mix-shift rule: percentage points, factor and the smallest share the factor applies to.
MIX_POINTS = 10
MIX_FACTOR = 2.0
MIX_MIN_SHARE = 0.05
#: Labels of the ``suppression`` column.
SUPPRESSION_KINDS = ("primary", "secondary", "one_round")

STAT_COLUMNS = (
    "n_eff_before", "n_eff_after", "median_before", "median_after",
    "share_low_before", "share_low_after", "share_low_diff", "share_low_diff_ci_low",
    "share_low_diff_ci_high", "share_high_before", "share_high_after", "share_high_diff",
    "share_high_diff_ci_low", "share_high_diff_ci_high", "mean_before", "mean_after",
    "mean_diff", "mean_diff_ci_low", "mean_diff_ci_high", "p_value", "q_value",
)
#: Columns after the ``by`` column(s), in order.
COLUMNS = ("theme", "n_before", "n_after", *STAT_COLUMNS, "changed", "direction",
           "suppressed", "suppression")


@dataclass(frozen=True)
class RoundComparison:
    """Change between two rounds (see the module docstring). ``table``: the long table;
    ``statistic`` / ``changed``: the number of area rows flagged changed (totals not counted);
    ``notes``: texts (bokmål and English, :class:`~soslokal_lib._messages.Text`) on areas in
    one round only, merged areas, a shift in who answered, weighting."""

    table: pd.DataFrame
    before: str
    after: str
    by: tuple[str, ...] = ("area_id",)
    min_n: int = 5
    confidence: float = 0.95
    weighted: bool = False
    scale: int = 7
    notes: list[Text] = field(default_factory=list)
    sources: tuple[str | None, str | None] = (None, None)
    named: bool = False  # the notes already name the areas (``names=`` given)

    @property
    def changed(self) -> int:
        """Area rows flagged ``changed`` (total rows not counted)."""
        return int(self.table.loc[~self._total_rows(), "changed"].sum())

    @property
    def statistic(self) -> int:
        return self.changed

    def to_frame(self) -> pd.DataFrame:
        """A copy of the table; ``attrs`` name the rounds (``rounds``: before, after), the
        false-discovery level (``fdr``: 1 − confidence), ``min_n``, ``confidence`` and
        ``scale`` (the plots of :mod:`soslokal_lib.plot.rounds` read them)."""
        out = self.table.copy()
        out.attrs = {**self.table.attrs, "rounds": (self.before, self.after),
                     "fdr": round(1.0 - self.confidence, DECIMALS), "min_n": self.min_n}
        return out

    def flagged(self) -> pd.DataFrame:
        """The rows flagged ``changed``, area rows first, largest change in ``share_low``
        first (rounded to :data:`DECIMALS`, so the order is the same everywhere)."""
        rows = self.table[self.table["changed"]]
        key = rows["share_low_diff"].abs().round(DECIMALS)
        return rows.assign(_t=self._total_rows()[rows.index], _k=-key).sort_values(
            ["_t", "_k"], kind="stable").drop(columns=["_t", "_k"])

    def text(self, lang: str = "nb", names: Mapping[str, str] | None = None) -> str:
        """Plain sentences: how many cells changed, which, and the notes; ``names`` shows
        area codes as names (e.g. ``inputs.names``)."""
        return describe(self, lang, names)

    def _total_rows(self) -> pd.Series:
        out = pd.Series(True, index=self.table.index)
        for col in self.by:
            out &= self.table[col].astype(str) == privacy.TOTAL
        return out


# --- splitting a combined export ---------------------------------------------------------------


def round_key(label: str) -> tuple:
    """Sort key of a round label: compared as text, numbers in it by value («2021» < «2024»,
    «runde 2» < «runde 10»)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold())
                 for p in re.split(r"(\d+)", str(label).strip()) if p)


def round_column(responses: pd.DataFrame) -> str | None:
    """The column of ``responses`` holding round labels (:data:`ROUND_COLUMNS`), or None."""
    for col in responses.columns:
        if str(col).strip().casefold() in ROUND_COLUMNS:
            return col
    return None


def split_rounds(survey: Survey) -> dict[str, Survey]:
    """One survey per round of a combined export, ordered by round label (:func:`round_key`).

    The round column (``round``, ``år``, ``runde`` or ``year``; :func:`soslokal_lib.read_survey`
    reads «Runde», «År» … into ``round``) is dropped; each survey keeps its respondents'
    comments and «vet ikke» answers and ``meta["round"]`` is its label. Two labels that differ
    only in case or spaces are one label used twice: an error.
    """
    if not isinstance(survey, Survey):
        raise SoslokalError(msg("rounds.not_survey", kind=type(survey).__name__))
    col = round_column(survey.responses)
    if col is None:
        raise SoslokalError(msg("rounds.no_column", source=source_name(survey)))
    labels = survey.responses[col].astype("string").str.strip()
    labels = labels.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    if labels.isna().any() or (labels == "").any():
        who = labels.index[(labels.isna() | (labels == "")).to_numpy()][0]
        raise SoslokalError(msg("rounds.no_label", source=source_name(survey), who=who))
    found = sorted(labels.unique(), key=round_key)
    seen: dict[str, str] = {}
    for label in found:
        key = " ".join(str(label).split()).casefold()
        if key in seen:
            raise SoslokalError(msg("rounds.duplicate", label=label, first=repr(seen[key]),
                                    second=repr(label)))
        seen[key] = label
    out: dict[str, Survey] = {}
    rows = survey.meta.get("source_rows")
    for label in found:
        mask = (labels == label).to_numpy()
        ids = survey.responses.index[mask]
        meta = {**survey.meta, "round": str(label), "n_respondents": int(mask.sum())}
        if isinstance(rows, list) and len(rows) == len(mask):
            meta["source_rows"] = [r for r, m in zip(rows, mask, strict=True) if m]
        comments = survey.comments[survey.comments["respondent_id"].isin(ids)]
        out[str(label)] = Survey(survey.responses[mask].drop(columns=col), comments, meta,
                                 dont_know=survey.dont_know[mask])
    return out


def check_rounds(surveys: Sequence[Survey]) -> None:
    """Raise when two surveys carry the same ``meta["round"]`` label (case and spaces
    ignored)."""
    seen: dict[str, Survey] = {}
    for s in surveys:
        label = s.meta.get("round")
        if label is None:
            continue
        key = " ".join(str(label).split()).casefold()
        if key in seen:
            raise SoslokalError(msg("rounds.duplicate", label=str(label).strip(),
                                    first=source_name(seen[key]), second=source_name(s)))
        seen[key] = s


# --- comparing two rounds ----------------------------------------------------------------------


def compare_rounds(
    before: Survey,
    after: Survey,
    by: str | Sequence[str] = "area_id",
    min_n: int = 5,
    weight: Any = None,
    confidence: float = 0.95,
    crosswalk: Any = None,
    names: Mapping[str, str] | None = None,
    old_names: Mapping[str, str] | None = None,
) -> RoundComparison:
    """Compare an earlier round (``before``) with a later one (``after``); see the module
    docstring for every statistic, the privacy rules and the notes.

    ``weight``: ``None`` (unweighted), a column name (in both rounds), a Series indexed by
    respondent (covering both rounds), or a pair ``(before, after)`` of these — e.g. each round
    raked to its own population margins. ``crosswalk``: ``{"Gamle navn": "Nytt navn"}`` or a CSV
    path with columns ``old,new`` (:mod:`soslokal_lib.stats.crosswalk`): merges are compared on
    the later boundary, splits are refused. ``names`` (area id → name, e.g. ``inputs.names``)
    shows ids as names in the notes; the table keeps the ids. ``old_names``: names of the
    earlier areas where they differ (e.g. an area whose id now names a merged area).
    """
    for s in (before, after):
        if not isinstance(s, Survey):
            raise SoslokalError(msg("rounds.not_survey", kind=type(s).__name__))
    privacy.check_min_n(min_n)
    if isinstance(confidence, bool) or not isinstance(confidence, Real) or not (
            0 < confidence < 1):
        raise SoslokalError(f"confidence must be a number between 0 and 1, not {confidence!r}. "
                            "Fix: use e.g. confidence=0.95.")
    labels = _labels(before, after)
    _check_alike(before, after)
    by_cols = _by_columns(by)
    w_before, w_after = _weights(weight)
    mapping = _mapping(crosswalk, before, after, by_cols)
    if mapping and by_cols != ["area_id"]:
        if "area_id" in by_cols:
            raise SoslokalError(msg("rounds.by_crosswalk", by=by))
        mapping = {}  # the areas are not compared: the crosswalk does not matter
    themes = before.themes
    rounds = [_Round(s, mapping, by_cols, w, themes, min_n)
              for s, w in ((before, w_before), (after, w_after))]
    keys = _union_keys(rounds, by_cols, before)
    table = _table(rounds, keys, by_cols, themes, before.scale, confidence)
    area_names = by_cols == ["area_id"]
    notes = _notes(rounds, keys, labels, mapping, w_before is not None or w_after is not None,
                   names if area_names else None, old_names if area_names else None)
    return RoundComparison(
        table=table, before=labels[0], after=labels[1], by=tuple(by_cols), min_n=min_n,
        confidence=float(confidence), weighted=w_before is not None or w_after is not None,
        scale=before.scale, notes=notes,
        sources=(before.meta.get("source"), after.meta.get("source")),
        named=bool(names) and area_names)


def _labels(before: Survey, after: Survey) -> tuple[str, str]:
    check_rounds([before, after])
    b, a = before.meta.get("round"), after.meta.get("round")
    return (str(b) if b is not None else "før" if a is None else f"før {a}",
            str(a) if a is not None else "etter")


def _check_alike(before: Survey, after: Survey) -> None:
    names = {"before": source_name(before), "after": source_name(after)}
    if before.scale != after.scale:
        raise SoslokalError(msg("rounds.scale_differ", **names, before_scale=before.scale,
                                after_scale=after.scale))
    if before.themes != after.themes:
        only_b = [t for t in before.themes if t not in after.themes]
        only_a = [t for t in after.themes if t not in before.themes]
        raise SoslokalError(msg("rounds.themes_differ", **names,
                                only_before=", ".join(only_b) or "-",
                                only_after=", ".join(only_a) or "-"))


def _weights(weight: Any) -> tuple[Any, Any]:
    if weight is None or isinstance(weight, (str, pd.Series)):
        return weight, weight
    if isinstance(weight, (tuple, list)) and len(weight) == 2 and all(
            w is None or isinstance(w, (str, pd.Series)) for w in weight):
        return weight[0], weight[1]
    raise SoslokalError(msg("rounds.weight", kind=type(weight).__name__))


def _areas(survey: Survey) -> set[str]:
    return set(survey.responses["area_id"].dropna().astype(str))


def _mapping(crosswalk: Any, before: Survey, after: Survey, by_cols: list[str]) -> dict:
    if crosswalk is None:
        return {}
    final = resolve_crosswalk(read_crosswalk(crosswalk), _areas(before) | _areas(after))
    return {k: v for k, v in final.items() if k != v}


class _Round:
    """One round's histograms (on the compared groups) and suppression codes."""

    def __init__(self, survey: Survey, mapping: dict[str, str], by_cols: list[str],
                 weight: Any, themes: list[str], min_n: int) -> None:
        self.survey = survey
        responses = survey.responses
        if mapping:
            area = responses["area_id"]
            responses = responses.assign(area_id=area.map(
                lambda v: mapping.get(v, v), na_action="ignore").astype("string"))
        self.frame = responses
        self.hist = _histograms(survey if not mapping else responses, by_cols, weight,
                                survey.scale)
        self.keys = _keys(self.hist.groups, len(by_cols))
        self.merged: dict[str, list[str]] = {}
        if by_cols == ["area_id"]:
            self.codes, self.total = _area_codes(survey, mapping, themes, min_n, self.merged)
        else:
            plan = _cells.Plan(responses, themes, min_n)
            codes = _cells.table_codes(plan, by_cols, self.hist.groups)
            self.codes = {k: codes[i] for i, k in enumerate(self.keys)}
            self.total = codes[-1]


def _keys(groups: pd.Index, width: int) -> list[tuple[str, ...]]:
    if isinstance(groups, pd.MultiIndex):
        return [tuple(str(v) for v in g) for g in groups]
    return [(str(g),) for g in groups]


def _area_codes(survey: Survey, mapping: dict[str, str], themes: list[str], min_n: int,
                merged: dict[str, list[str]]) -> tuple[dict, np.ndarray]:
    """Codes of the round's figures per compared area (``[T]`` each) and of its total: the
    areas' own table as :func:`soslokal_lib.summarise` decides it; merged areas as a group table
    linked to it (:func:`soslokal_lib.privacy.linked_codes`)."""
    df = survey.responses
    codes, uniques = pd.factorize(df["area_id"], sort=True)
    size = len(uniques) + 1
    codes = np.where(codes < 0, size - 1, codes)
    valid = df[themes].notna().to_numpy()
    rows_n = np.stack([np.bincount(codes[valid[:, t]], minlength=size)
                       for t in range(len(themes))])
    names = [str(u) for u in uniques]
    new = [mapping.get(n, n) for n in names]
    if len(set(new)) == len(new):
        linked = privacy.linked_codes(rows_n, min_n=min_n)
        return {(nm,): linked.rows[:, i] for i, nm in enumerate(new)}, linked.total
    targets = sorted(set(new), key=round_key)
    col = np.array([targets.index(n) for n in new] + [len(targets)])
    grid = np.zeros((len(themes), size, len(targets) + 1), dtype=np.int64)
    grid[:, np.arange(size), col] = rows_n
    linked = privacy.linked_codes(rows_n, [grid], min_n)
    for old, nm in zip(names, new, strict=True):
        if new.count(nm) > 1:
            merged.setdefault(nm, []).append(old)
    return {(nm,): linked.columns[0][:, j] for j, nm in enumerate(targets)}, linked.total


def _union_keys(rounds: list[_Round], by_cols: list[str], before: Survey) -> list[tuple]:
    ordered = list(dict.fromkeys([*rounds[0].keys, *rounds[1].keys]))
    categorical = any(isinstance(before.responses[c].dtype, pd.CategoricalDtype)
                      for c in by_cols if c in before.responses.columns)
    if categorical:
        return ordered
    return sorted(ordered, key=lambda k: tuple(round_key(v) for v in k))


def _aligned(r: _Round, keys: list[tuple], n_themes: int, levels: int):
    """Counts, weights and squared weights ``[keys + 1, T, L]`` (total last) of a round."""
    pos = {k: i for i, k in enumerate(r.keys)}
    h = r.hist
    counts = np.zeros((len(keys) + 1, n_themes, levels), dtype=np.int64)
    wsum = np.zeros(counts.shape) if h.weights is not None else None
    wsq = np.zeros((len(keys) + 1, n_themes)) if h.weights is not None else None
    codes = np.full((len(keys) + 1, n_themes), -1, dtype=np.int8)  # -1: not in this round
    for j, k in enumerate(keys):
        i = pos.get(k)
        if i is not None:
            counts[j] = h.counts[i]
            if wsum is not None:
                wsum[j], wsq[j] = h.weights[i], h.weights_sq[i]
        if k in r.codes:
            codes[j] = r.codes[k]
    counts[-1] = h.counts.sum(axis=0) + h.missing
    if wsum is not None:
        wsum[-1] = h.weights.sum(axis=0) + h.missing_weights
        wsq[-1] = h.weights_sq.sum(axis=0) + h.missing_weights_sq
    codes[-1] = r.total
    return counts, wsum, wsq, codes


def _table(rounds: list[_Round], keys: list[tuple], by_cols: list[str], themes: list[str],
           scale: int, confidence: float) -> pd.DataFrame:
    from scipy import stats

    t_count, levels = len(themes), scale
    (cb, wb, qb, kb), (ca, wa, qa, ka) = (_aligned(r, keys, t_count, levels) for r in rounds)
    cells = len(keys) + 1
    flat = [x.reshape(-1, levels) for x in (cb, ca)]
    n_b, n_a = (c.sum(axis=1) for c in flat)
    st = []
    for c, w, q in ((flat[0], wb, qb), (flat[1], wa, qa)):
        if w is None:
            st.append(_cell_stats(c.astype(np.float64), c.sum(axis=1).astype(np.float64),
                                  scale, confidence))
        else:
            st.append(_cell_stats(w.reshape(-1, levels), q.reshape(-1), scale, confidence))
    sb, sa = st
    z = stats.norm.ppf(0.5 + confidence / 2)
    out: dict[str, np.ndarray] = {"n_eff_before": sb["n_eff"], "n_eff_after": sa["n_eff"],
                                  "median_before": sb["median"], "median_after": sa["median"]}
    for kind in ("share_low", "share_high"):
        lo, hi = newcombe(sb[kind], sb["n_eff"], sa[kind], sa["n_eff"], z)
        out.update({f"{kind}_before": sb[kind], f"{kind}_after": sa[kind],
                    f"{kind}_diff": sa[kind] - sb[kind], f"{kind}_diff_ci_low": lo,
                    f"{kind}_diff_ci_high": hi})
    diff, lo, hi = welch(sb, sa, confidence)
    out.update({"mean_before": sb["mean"], "mean_after": sa["mean"], "mean_diff": diff,
                "mean_diff_ci_low": lo, "mean_diff_ci_high": hi})
    out["p_value"] = brunner_munzel(flat[0], flat[1])
    # suppression: either round hides the cell (one round only: no figure at all)
    kb_f, ka_f = kb.reshape(-1), ka.reshape(-1)
    one = (kb_f < 0) | (ka_f < 0)
    primary = ~one & ((kb_f == 1) | (ka_f == 1) | (n_b < 1) | (n_a < 1))
    secondary = ~one & ~primary & ((kb_f > 0) | (ka_f > 0))
    code = np.select([one, primary, secondary], [3, 1, 2], 0)
    hidden = code > 0
    for col in out:
        out[col] = np.where(hidden, np.nan, out[col])
    is_total = np.repeat(np.arange(cells) == cells - 1, t_count)
    p = np.round(out["p_value"], DECIMALS)
    q = np.full(p.shape, np.nan)
    for family in (~is_total, is_total):
        q[family] = _bh(p[family])
    out["q_value"] = q
    alpha = round(1.0 - confidence, DECIMALS)
    q_r = np.round(q, DECIMALS)
    lo_r = np.round(out["share_low_diff_ci_low"], DECIMALS)
    hi_r = np.round(out["share_low_diff_ci_high"], DECIMALS)
    changed = ~hidden & np.isfinite(q_r) & (q_r < alpha) & ((lo_r > 0) | (hi_r < 0))
    frame: dict[str, Any] = {}
    for i, col in enumerate(by_cols):
        values = [k[i] for k in keys] + [privacy.TOTAL]
        frame[col] = pd.array(np.repeat(np.array(values, dtype=object), t_count),
                              dtype="string")
    frame["theme"] = pd.Categorical(np.tile(themes, cells), categories=themes)
    frame["n_before"], frame["n_after"] = n_b, n_a
    frame.update({c: out[c] for c in STAT_COLUMNS})
    frame["changed"] = changed
    worse = out["share_low_diff"] > 0
    frame["direction"] = pd.array(np.where(changed, np.where(worse, "worse", "better"), None),
                                  dtype="string")
    frame["suppressed"] = hidden
    frame["suppression"] = pd.Categorical.from_codes(code - 1, categories=SUPPRESSION_KINDS)
    table = pd.DataFrame(frame)
    table.attrs.update({"confidence": confidence, "scale": scale, "decimals": DECIMALS})
    return table


def _cell_stats(hist: np.ndarray, weights_sq: np.ndarray, scale: int,
                confidence: float) -> dict[str, np.ndarray]:
    """:func:`~soslokal_lib.stats.summary.cell_statistics` plus ``var`` (the weighted
    population variance of the scores) and ``total`` (Σw)."""
    out = cell_statistics(hist, weights_sq, scale, confidence)
    scores = np.arange(1, hist.shape[1] + 1, dtype=np.float64)
    total = hist.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = hist @ scores / total
        out["var"] = (hist * (scores[None, :] - mean[:, None]) ** 2).sum(axis=1) / total
    return out


def newcombe(p1: np.ndarray, n1: np.ndarray, p2: np.ndarray, n2: np.ndarray,
             z: float) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval for ``p2 − p1`` (shares out of effective sizes)."""
    l1, u1 = wilson(p1, n1, z)
    l2, u2 = wilson(p2, n2, z)
    d = p2 - p1
    with np.errstate(invalid="ignore"):
        return (d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2),
                d + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2))


def welch(sb: dict, sa: dict, confidence: float) -> tuple[np.ndarray, ...]:
    """Difference of means (after − before) with Welch's t-interval on effective sizes."""
    from scipy import stats

    with np.errstate(invalid="ignore", divide="ignore"):
        v1 = sb["var"] / (sb["n_eff"] - 1)  # = s² / n_eff
        v2 = sa["var"] / (sa["n_eff"] - 1)
        se2 = v1 + v2
        df = se2 ** 2 / (v1 ** 2 / (sb["n_eff"] - 1) + v2 ** 2 / (sa["n_eff"] - 1))
        diff = sa["mean"] - sb["mean"]
        ok = (sb["n_eff"] > 1) & (sa["n_eff"] > 1)
        tq = np.where(se2 > 0, stats.t.ppf(0.5 + confidence / 2, np.where(se2 > 0, df, 1)), 0.0)
        half = tq * np.sqrt(se2)
    return (diff, np.where(ok, diff - half, np.nan), np.where(ok, diff + half, np.nan))


def brunner_munzel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Two-sided Brunner–Munzel p-values (t approximation) of histograms ``x`` and ``y``
    (``[cells, levels]`` counts; x the earlier round), as :func:`scipy.stats.brunnermunzel`;
    degenerate cells as in the module docstring."""
    from scipy import stats

    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    nx, ny = x.sum(axis=1), y.sum(axis=1)
    both = x + y
    rc = np.cumsum(both, axis=1) - (both - 1) / 2  # midranks in the pooled sample
    rx = np.cumsum(x, axis=1) - (x - 1) / 2  # midranks within each round
    ry = np.cumsum(y, axis=1) - (y - 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        mcx = (x * rc).sum(axis=1) / nx
        mcy = (y * rc).sum(axis=1) / ny
        sx = (x * (rc - rx - mcx[:, None] + (nx[:, None] + 1) / 2) ** 2).sum(axis=1) / (nx - 1)
        sy = (y * (rc - ry - mcy[:, None] + (ny[:, None] + 1) / 2) ** 2).sum(axis=1) / (ny - 1)
        spread = nx * sx + ny * sy
        stat = nx * ny * (mcy - mcx) / ((nx + ny) * np.sqrt(spread))
        df = spread ** 2 / ((nx * sx) ** 2 / (nx - 1) + (ny * sy) ** 2 / (ny - 1))
        cdf = stats.t.cdf(stat, np.where(spread > 0, df, 1.0))
    p = np.clip(2 * np.minimum(cdf, 1 - cdf), 0.0, 1.0)
    ok = (nx >= 2) & (ny >= 2)
    flat = ok & ~(spread > 1e-12 * (nx + ny) ** 3)  # no variance left in either round
    p = np.where(ok, p, np.nan)
    for i in np.flatnonzero(flat):
        if abs(mcx[i] - mcy[i]) < 1e-9:
            p[i] = 1.0  # every answer the same in both rounds
        else:  # complete separation: the exact test of the 2 × 2 table
            p[i] = stats.fisher_exact([[nx[i], 0], [0, ny[i]]])[1]
    return p


def _bh(p: np.ndarray) -> np.ndarray:
    from statsmodels.stats.multitest import multipletests

    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return out


# --- notes -------------------------------------------------------------------------------------


def _notes(rounds: list[_Round], keys: list[tuple], labels: tuple[str, str],
           mapping: dict[str, str], weighted: bool,
           names: Mapping[str, str] | None = None,
           old_names: Mapping[str, str] | None = None) -> list[Text]:
    def show(value: object) -> str:
        return str(names.get(str(value), value)) if names else str(value)

    def show_old(value: object) -> str:
        return str(old_names[str(value)]) if old_names and str(value) in old_names else show(value)

    notes: list[Text] = []
    reason = msg("rounds.suppression.one_round")
    later: list[Text] = []
    for i, r in enumerate(rounds):
        other = set(rounds[1 - i].keys)
        only = [" × ".join(map(show, k)) for k in r.keys if k not in other]
        if only:
            notes.append(msg("rounds.note.one_round", areas=", ".join(only), label=labels[i],
                             reason=reason))
    merged = {**rounds[0].merged, **{k: v for k, v in rounds[1].merged.items()
                                    if k not in rounds[0].merged}}
    renamed = _renamed(rounds, mapping, show, show_old) if mapping else {}
    if renamed:
        items = "; ".join(f"{old} → {new}" for old, new in renamed.items())
        later.append(msg("rounds.note.renamed", items=items))
    if merged:
        items = "; ".join(f"{' + '.join(map(show_old, v))} → {show(k)}"
                          for k, v in merged.items())
        later.append(msg("rounds.note.merged", items=items))
    shifts = mix_shift(rounds[0].survey, rounds[1].survey)
    if shifts:
        later.append(msg("rounds.note.mix", items=mix_items(shifts), points=MIX_POINTS,
                         factor=f"{MIX_FACTOR:g}"))
    if weighted:
        later.append(msg("rounds.note.weighted"))
    if notes:  # so far only areas in one round
        notes.append(msg("rounds.note.total"))
    return notes + later


def _renamed(rounds: list[_Round], mapping: dict[str, str], show, show_old) -> dict[str, str]:
    """Areas the crosswalk gives another name without merging them (old → new, as shown)."""
    out: dict[str, str] = {}
    for r in rounds:
        ids = [str(a) for a in r.survey.responses["area_id"].dropna().unique()]
        new = [str(mapping.get(a, a)) for a in ids]
        for old, target in zip(ids, new, strict=True):
            if target != old and new.count(target) == 1 and show_old(old) != show(target):
                out[show_old(old)] = show(target)
    return out


def mix_shift(before: Survey, after: Survey) -> list[tuple[str, str, float, float]]:
    """Background levels whose share of the respondents changed by the mix-shift rule (module
    docstring): ``(column, level, share before, share after)``."""
    found = []
    for col in ("age_group", "gender"):
        if col not in before.responses.columns or col not in after.responses.columns:
            continue
        pb = before.responses[col].astype("string").value_counts(normalize=True)
        pa = after.responses[col].astype("string").value_counts(normalize=True)
        for level in dict.fromkeys([*pb.index, *pa.index]):
            b, a = float(pb.get(level, 0.0)), float(pa.get(level, 0.0))
            points = abs(a - b) * 100
            lo, hi = min(a, b), max(a, b)
            factor = hi >= MIX_MIN_SHARE and (lo == 0 or hi / lo >= MIX_FACTOR)
            if round(points, DECIMALS) >= MIX_POINTS or factor:
                found.append((col, str(level), b, a))
    return found


__all__ = ["RoundComparison", "compare_rounds", "split_rounds", "check_rounds", "round_key",
           "round_column", "brunner_munzel", "newcombe", "welch", "mix_shift"]
