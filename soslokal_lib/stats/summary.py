"""Summaries of Stedskompasset scores per group and theme, built from score histograms.

Every statistic derives from per-cell score histograms (group × theme × scale level) counted
once with :func:`numpy.bincount`; there are no per-group Python loops. Conventions (ARCHITECTURE
§6), with ``W`` the sum of weights in a cell (``n`` when unweighted) and ``F(l)`` the cumulative
(weighted) share of scores ``≤ l``:

* ``n``: respondents with a valid score; ``n_eff``: Kish's effective n ``(Σw)²/Σw²`` (= ``n``).
* ``n_dont_know``: respondents who answered «vet ikke», «ikke relevant» or another
  missing-answer word instead of a score (``Survey.dont_know``; blanks not counted), never
  weighted (nullable ``Int64``). It tells what people answered, so a suppressed cell hides it
  like a statistic (``<NA>``): «1 of 3 said "vet ikke"» is an answer of a tiny group, and a
  secondary cell's count would give the primary one's back by subtraction from the total.
* ``mean`` (a mean of ordinal scores): weighted mean; CI is a t-interval with ``n_eff - 1``
  degrees of freedom and standard error ``s/√n_eff``, ``s²`` the weighted variance times
  ``n_eff/(n_eff - 1)`` (the ordinary sample variance when unweighted), clipped to the scale.
* ``median``: the smallest level ``l`` with ``F(l) ≥ 1/2``; if ``F(l)`` is exactly 1/2 the
  median is the midpoint of ``l`` and the next level that has respondents. Unweighted, this is
  the ordinary sample median (mean of the two middle values when n is even).
* ``median_ci_*``: the distribution-free order-statistic interval ``[x(r), x(m-r+1)]`` with
  ``m = n`` (``floor(n_eff)`` weighted) and ``r`` the largest rank with
  ``P(Binomial(m, 1/2) ≤ r - 1) ≤ (1 - confidence)/2``, so coverage is at least ``confidence``.
  The lower end is the smallest level with ``F(l) > (r-1)/m``, the upper the smallest with
  ``F(l) ≥ (m-r+1)/m``; unweighted these are exactly ``x(r)`` and ``x(n-r+1)``, weighted the
  interval always brackets the median. When even ``r = 1`` cannot reach the confidence
  (``m ≤ 5`` at 95 %), the interval is the range of the scores.
* ``share_low`` / ``share_high``: share of scores at or below / at or above the cut-offs of
  :func:`soslokal_lib.themes.scale_cutoffs` (1–3 / 5–7 on 7 points); Wilson intervals with
  ``n_eff``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from soslokal_lib import privacy
from soslokal_lib.errors import SoslokalError, SurveyFormatError
from soslokal_lib.stats import _cells
from soslokal_lib.survey import DONT_KNOW_SUFFIX, Survey
from soslokal_lib.themes import SCALES, THEME_CODES, scale_cutoffs

#: Output columns after the ``by`` column(s), in order.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "theme", "n", "n_dont_know", "n_eff", "mean", "mean_ci_low", "mean_ci_high",
    "median", "median_ci_low", "median_ci_high",
    "share_low", "share_low_ci_low", "share_low_ci_high",
    "share_high", "share_high_ci_low", "share_high_ci_high",
    "suppressed", "suppression", "weighted",
)


@dataclass(frozen=True)
class Histograms:
    """Score histograms of every group × theme cell.

    ``counts``: respondents per level ``[groups, themes, levels]`` (int64);
    ``weights``/``weights_sq``: sums of weights per level and of squared weights per cell
    (None when unweighted). ``excluded``: respondents left out of the groups because a ``by``
    value is missing; ``missing``/``missing_weights``/``missing_weights_sq``: their histograms
    ``[themes, levels]`` (they count in the total row). ``dont_know``: respondents per cell
    ``[groups, themes]`` who answered «vet ikke» (int64); ``missing_dont_know``: the same for the
    respondents without a ``by`` value ``[themes]``.
    """

    groups: pd.Index
    themes: list[str]
    counts: np.ndarray
    weights: np.ndarray | None
    weights_sq: np.ndarray | None
    scale: int
    excluded: int
    dont_know: np.ndarray | None = None
    missing: np.ndarray | None = None
    missing_weights: np.ndarray | None = None
    missing_weights_sq: np.ndarray | None = None
    missing_dont_know: np.ndarray | None = None


def score_histograms(
    survey_or_df: Survey | pd.DataFrame,
    by: str | Sequence[str] = "area_id",
    weight: str | pd.Series | None = None,
    *,
    scale: int | None = None,
) -> tuple[pd.Index, list[str], np.ndarray]:
    """Per-cell score histograms: ``(groups, themes, counts[groups, themes, levels])``.

    ``groups`` is a sorted :class:`pandas.Index` (a MultiIndex for several ``by`` columns);
    level ``j`` of the last axis is score ``j + 1``. Unweighted counts are int64; with
    ``weight`` the array holds sums of weights (float64). Respondents with a missing ``by``
    value are left out. ``scale`` overrides the survey's scale (default: ``survey.scale``, or
    ``df.attrs["scale"]``, or 7).
    """
    hist = _histograms(survey_or_df, by, weight, scale)
    counts = hist.counts if hist.weights is None else hist.weights
    return hist.groups, hist.themes, counts


def summarise(
    survey: Survey | pd.DataFrame,
    by: str | Sequence[str] = "area_id",
    *,
    weight: str | pd.Series | None = None,
    min_n: int = 5,
    total: bool = True,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Long table of statistics, one row per group × theme (see the module docstring).

    Rows: groups sorted (categoricals in category order), themes in official order; with
    ``total=True`` a whole-survey row per theme follows, its ``by`` value(s) ``"total"``.
    Respondents with a missing ``by`` value are no group of their own but count in the total
    (so the total is the same in every table; their number is ``table.attrs["excluded"]``).
    Cells with ``n < min_n`` (``suppression`` ``"primary"``) and the cells that would reveal
    them through any table a user can publish (``"secondary"``, «skjult for å beskytte et lite
    nabolag») are blanked by :mod:`soslokal_lib.privacy`; the respondents without a ``by``
    value are protected as a cell of their own. ``total=False`` only drops the total row: the
    same cells are hidden, since the grand total is in every other table. ``by`` with three
    or more columns is refused unless ``min_n=1`` (such cells follow from the two-way tables,
    which this protection does not model). The hidden cells and their reasons:
    :func:`soslokal_lib.privacy.hidden_cells`; the codes of every cell: :func:`cell_codes`.
    ``weight=None`` is unweighted even when the survey has a ``weight`` column; pass
    ``weight="weight"`` (or a Series indexed by respondent) for weighted estimates.
    """
    privacy.check_min_n(min_n)
    if isinstance(confidence, bool) or not isinstance(confidence, Real) or not (
        0 < confidence < 1
    ):
        raise SoslokalError(
            f"confidence must be a number between 0 and 1, not {confidence!r}. "
            "Fix: use e.g. confidence=0.95."
        )
    hist = _histograms(survey, by, weight, None)
    by_cols = _by_columns(by)
    if total:
        for i, col in enumerate(by_cols):
            level = hist.groups.get_level_values(i) if len(by_cols) > 1 else hist.groups
            if (level.astype("string") == privacy.TOTAL).any():
                raise SoslokalError(
                    f"Column {col!r} has a group called {privacy.TOTAL!r}, which would be "
                    "confused with the total row. Fix: rename that group, or use total=False."
                )
    counts, wsum, wsq, dont_know = hist.counts, hist.weights, hist.weights_sq, hist.dont_know
    if total:  # the whole survey: respondents without a by value included
        counts = np.concatenate([counts, (counts.sum(axis=0) + hist.missing)[None]])
        dont_know = np.concatenate([dont_know, (dont_know.sum(axis=0) + hist.missing_dont_know)[None]])
        if wsum is not None:
            wsum = np.concatenate([wsum, (wsum.sum(axis=0) + hist.missing_weights)[None]])
            wsq = np.concatenate([wsq, (wsq.sum(axis=0) + hist.missing_weights_sq)[None]])
    n_rows, n_themes, levels = counts.shape
    flat = counts.reshape(-1, levels)
    n = flat.sum(axis=1)
    if wsum is None:
        stats = cell_statistics(flat.astype(np.float64), n.astype(np.float64), hist.scale,
                                confidence)
    else:
        stats = cell_statistics(wsum.reshape(-1, levels), wsq.reshape(-1), hist.scale,
                                confidence)
    columns: dict[str, object] = _by_values(hist, by_cols, n_themes, total)
    columns["theme"] = pd.Categorical.from_codes(
        np.tile(np.arange(n_themes), n_rows), categories=hist.themes
    )
    columns["n"] = n
    columns["n_dont_know"] = dont_know.reshape(-1)
    columns.update(stats)
    columns["suppressed"] = False
    columns["suppression"] = None
    columns["weighted"] = wsum is not None
    table = pd.DataFrame(columns)
    codes = _cell_codes(survey, by_cols, hist, min_n)  # [groups + total, themes]
    table = privacy.apply_suppression(table, (codes if total else codes[:-1]).ravel())
    table.attrs.update({
        "min_n": min_n, "confidence": confidence, "scale": hist.scale,
        "weighted": wsum is not None, "excluded": hist.excluded,
    })
    return table


def cell_codes(
    survey: Survey | pd.DataFrame, by: str | Sequence[str] = "area_id", *, min_n: int = 5
) -> pd.DataFrame:
    """The suppression codes :func:`summarise` applies to the table by ``by``: one row per
    non-empty cell × theme, with the ``by`` column(s), ``theme``, ``n`` and ``code`` (0 shown,
    1 primary, 2 secondary). Respondents without a ``by`` value form cells whose value is NA:
    they are no row of the summary, but they count in its total and are protected like the
    rest. How the cells are chosen: :mod:`soslokal_lib.privacy`.
    """
    privacy.check_min_n(min_n)
    df, _, _ = _responses(survey)
    by_cols = _by_columns(by)
    unknown = [c for c in by_cols if c not in df.columns]
    if unknown:
        raise SoslokalError(f"Cannot group by {unknown}: no such column in the responses. "
                            "Fix: use a column of the responses.")
    themes = [c for c in THEME_CODES if c in df.columns]
    return _cells.all_codes(_cells.Plan(df, themes, min_n), by_cols)


def _cell_codes(survey: Survey | pd.DataFrame, by_cols: list[str], hist: Histograms,
                min_n: int) -> np.ndarray:
    """Codes ``[groups + 1, themes]`` of a summary table (total row last)."""
    df, _, _ = _responses(survey)
    area_counts = None
    if by_cols == [_cells.AREA]:  # the counts are at hand: no second pass over the data
        n = hist.counts.sum(axis=2)
        area_counts = np.concatenate([n, hist.missing.sum(axis=1)[None]]).T
    plan = _cells.Plan(df, hist.themes, min_n, area_counts=area_counts)
    return _cells.table_codes(plan, by_cols, hist.groups)


def cell_statistics(
    hist: np.ndarray, weights_sq: np.ndarray, scale: int, confidence: float = 0.95
) -> dict[str, np.ndarray]:
    """Statistics of cells from their histograms, vectorised over cells.

    ``hist``: ``[cells, levels]`` counts or sums of weights; ``weights_sq``: ``[cells]`` sums of
    squared weights (the counts themselves when unweighted). Returns one float array per column
    from ``n_eff`` to ``share_high_ci_high``; NaN where a cell has no data.
    """
    from scipy import stats

    hist = np.asarray(hist, dtype=np.float64)
    levels = hist.shape[1]
    scores = np.arange(1, levels + 1, dtype=np.float64)
    total = hist.sum(axis=1)
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff = np.where(total > 0, total**2 / weights_sq, 0.0)
        # a weighted mean lies within the scale; clip the last-bit rounding (7.000000000000001)
        mean = np.clip(hist @ scores / total, 1.0, float(levels))
        var_pop = (hist * (scores[None, :] - mean[:, None]) ** 2).sum(axis=1) / total
        se = np.sqrt(var_pop / (n_eff - 1))
        tq = _unique_apply(lambda df: stats.t.ppf(1 - alpha / 2, df), np.where(
            n_eff > 1, n_eff - 1, np.nan))
        half = tq * se
        cum = np.cumsum(hist, axis=1)
        tol = 1e-9 * total
        median = _median(hist, cum, total, tol)
        m = np.floor(n_eff + 1e-9)
        r = _unique_apply(lambda mm: _median_rank(mm, alpha), m)
        per_rank = total / np.where(m > 0, m, np.nan)
        med_low = _level_at(cum, (r - 1) * per_rank + tol)
        med_high = _level_at(cum, (m - r + 1) * per_rank - tol)
        low_cut, high_cut = scale_cutoffs(scale)
        share_low = hist[:, :low_cut].sum(axis=1) / total
        share_high = hist[:, high_cut - 1:].sum(axis=1) / total
    z = stats.norm.ppf(1 - alpha / 2)
    low_lo, low_hi = wilson(share_low, n_eff, z)
    high_lo, high_hi = wilson(share_high, n_eff, z)
    empty = total <= 0
    result = {
        "n_eff": n_eff, "mean": mean,
        "mean_ci_low": np.clip(mean - half, 1, levels),
        "mean_ci_high": np.clip(mean + half, 1, levels),
        "median": median, "median_ci_low": med_low, "median_ci_high": med_high,
        "share_low": share_low, "share_low_ci_low": low_lo, "share_low_ci_high": low_hi,
        "share_high": share_high, "share_high_ci_low": high_lo, "share_high_ci_high": high_hi,
    }
    for key, values in result.items():
        if key != "n_eff":
            values[empty] = np.nan
    return result


def wilson(p: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportions ``p`` out of (effective) sample sizes ``n``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        n = np.where(n > 0, n, np.nan)
        z2 = z * z
        denom = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    low = np.where(p <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(p >= 1, 1.0, np.clip(centre + half, 0.0, 1.0))
    return low, high


def _median(hist: np.ndarray, cum: np.ndarray, total: np.ndarray, tol: np.ndarray) -> np.ndarray:
    half = total / 2
    first = np.argmax(cum >= (half - tol)[:, None], axis=1)
    at_half = np.abs(np.take_along_axis(cum, first[:, None], axis=1)[:, 0] - half) <= tol
    levels = np.arange(hist.shape[1])
    after = (hist > 0) & (levels[None, :] > first[:, None])
    second = np.where(after.any(axis=1), np.argmax(after, axis=1), first)
    return np.where(at_half, (first + second) / 2 + 1, first + 1.0)


def _level_at(cum: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Smallest score whose cumulative count reaches ``target`` (NaN where undefined)."""
    reach = cum >= target[:, None]
    level = np.argmax(reach, axis=1) + 1.0
    return np.where(np.isfinite(target) & reach.any(axis=1), level, np.nan)


def _median_rank(m: np.ndarray, alpha: float) -> np.ndarray:
    """Lower rank r of the order-statistic median interval for sample sizes ``m`` (≥ 1)."""
    from scipy import stats

    valid = np.isfinite(m) & (m >= 1)
    mm = np.where(valid, m, 1.0)
    k = stats.binom.ppf(alpha / 2, mm, 0.5)
    r = np.where(stats.binom.cdf(k, mm, 0.5) <= alpha / 2 + 1e-12, k + 1, k)
    return np.where(valid, np.maximum(r, 1.0), np.nan)


def _unique_apply(func, values: np.ndarray) -> np.ndarray:
    """``func`` evaluated once per distinct value of ``values`` (NaN stays NaN)."""
    uniq, inverse = np.unique(values, return_inverse=True)
    out = np.full(uniq.shape, np.nan)
    ok = np.isfinite(uniq)
    if ok.any():
        out[ok] = func(uniq[ok])
    return out[inverse.reshape(values.shape)]


# --- histogram building -------------------------------------------------------------------


def _histograms(
    source: Survey | pd.DataFrame,
    by: str | Sequence[str],
    weight: str | pd.Series | None,
    scale: int | None,
) -> Histograms:
    df, survey_scale, validated = _responses(source)
    scale = survey_scale if scale is None else scale
    if scale not in SCALES:
        raise SoslokalError(f"Unsupported scale of {scale!r} points. Fix: use 7 or 3.")
    by_cols = _by_columns(by)
    unknown = [c for c in by_cols if c not in df.columns]
    if unknown:
        options = [c for c in df.columns if c not in THEME_CODES and c != "weight"]
        raise SoslokalError(
            f"Cannot group by {unknown}: no such column in the responses. "
            f"Fix: use one of {options}."
        )
    themes = [c for c in THEME_CODES if c in df.columns]
    if not themes:
        raise SurveyFormatError(
            "The responses have no theme columns. Fix: name score columns by theme code "
            f"({', '.join(THEME_CODES[:3])}, …)."
        )
    w = _weights(df, weight)
    group_codes, groups = _factorise(df, by_cols)
    n_groups = len(groups)
    missing = group_codes < 0
    excluded = int(missing.sum())
    if excluded:
        group_codes = np.where(missing, n_groups, group_codes)
    width = scale + 2  # level 0 collects blanks, level scale + 1 «vet ikke»
    dk_flags = _dont_know_flags(source, df, themes)
    base = group_codes.astype(np.int64) * width
    size = (n_groups + 1) * width
    counts = np.empty((n_groups + 1, len(themes), scale), dtype=np.int64)
    wsum = np.empty((n_groups + 1, len(themes), scale)) if w is not None else None
    wsq = np.empty((n_groups + 1, len(themes))) if w is not None else None
    w2 = w * w if w is not None else None
    dont_know = np.zeros((n_groups + 1, len(themes)), dtype=np.int64)
    for t, code in enumerate(themes):
        level = _score_codes(df[code], code, scale, validated)
        flags = dk_flags.get(code) if dk_flags else None
        if flags is not None:
            level = np.where(flags & (level == 0), scale + 1, level)
        idx = base + level
        binned = np.bincount(idx, minlength=size).reshape(-1, width)
        counts[:, t, :] = binned[:, 1:scale + 1]
        dont_know[:, t] = binned[:, scale + 1]
        if w is not None:
            wsum[:, t, :] = np.bincount(idx, w, size).reshape(-1, width)[:, 1:scale + 1]
            wsq[:, t] = np.bincount(idx, w2, size).reshape(-1, width)[:, 1:scale + 1].sum(axis=1)
    # the last row holds the respondents without a by value (they count in the total)
    return Histograms(
        groups, themes, counts[:n_groups], None if wsum is None else wsum[:n_groups],
        None if wsq is None else wsq[:n_groups], scale, excluded,
        dont_know=dont_know[:n_groups], missing=counts[n_groups],
        missing_weights=None if wsum is None else wsum[n_groups],
        missing_weights_sq=None if wsq is None else wsq[n_groups],
        missing_dont_know=dont_know[n_groups],
    )


def _dont_know_flags(source: Survey | pd.DataFrame, df: pd.DataFrame,
                     themes: list[str]) -> dict[str, np.ndarray] | None:
    """«Vet ikke» per respondent and theme: ``Survey.dont_know``, or a frame's
    ``<theme>:dont_know`` columns (as :meth:`Survey.to_frame` writes them)."""
    if isinstance(source, Survey):
        frame = source.dont_know
        return {c: frame[c].to_numpy(dtype=bool) for c in themes if c in frame.columns}
    cols = {c: f"{c}{DONT_KNOW_SUFFIX}" for c in themes if f"{c}{DONT_KNOW_SUFFIX}" in df}
    if not cols:
        return None
    return {c: df[col].astype("boolean").fillna(False).to_numpy(dtype=bool)
            for c, col in cols.items()}


def _responses(source: Survey | pd.DataFrame) -> tuple[pd.DataFrame, int, bool]:
    if isinstance(source, Survey):
        return source.responses, source.scale, True
    if isinstance(source, pd.DataFrame):
        return source, int(source.attrs.get("scale", 7)), False
    raise SoslokalError(
        f"Expected a Survey or a responses DataFrame, got {type(source).__name__}. "
        "Fix: pass the result of soslokal_lib.read_survey (or Survey(responses))."
    )


def _by_columns(by: str | Sequence[str]) -> list[str]:
    cols = [by] if isinstance(by, str) else list(by) if by is not None else []
    if not cols or not all(isinstance(c, str) for c in cols):
        raise SoslokalError(
            f"by must be a column name or a list of column names, not {by!r}. "
            "Fix: e.g. by='area_id' or by=['area_id', 'gender']."
        )
    if len(set(cols)) != len(cols):
        raise SoslokalError(f"by lists a column twice: {cols}. Fix: name each column once.")
    clash = [c for c in cols if c in SUMMARY_COLUMNS]
    if clash:
        raise SoslokalError(
            f"Cannot group by {clash}: the summary table has its own column of that name. "
            "Fix: rename the column in the responses."
        )
    return cols


def _weights(df: pd.DataFrame, weight: str | pd.Series | None) -> np.ndarray | None:
    if weight is None:
        return None
    if isinstance(weight, str):
        if weight not in df.columns:
            raise SoslokalError(
                f"No weight column {weight!r} in the responses. Fix: pass the name of a "
                "column of weights (e.g. weight='weight'), a Series, or weight=None."
            )
        values = df[weight]
        name = weight
    elif isinstance(weight, pd.Series):
        name = weight.name or "weight"
        if weight.index.equals(df.index):
            values = weight
        else:
            if not (weight.index.is_unique and df.index.isin(weight.index).all()):
                raise SoslokalError(
                    "The weight Series does not match the respondents: its index differs from "
                    "the responses index. Fix: index the weights by respondent_id, one per "
                    "respondent."
                )
            values = weight.reindex(df.index)
    else:
        raise SoslokalError(
            f"weight must be None, a column name or a pandas Series, not "
            f"{type(weight).__name__}. Fix: e.g. weight='weight'."
        )
    numeric = pd.to_numeric(values, errors="coerce")
    w = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SoslokalError(
            f"Weight {name!r}: {int(bad.sum())} values are missing, negative or not numbers, "
            f"first at respondent {df.index[i]!r} (value {values.iloc[i]!r}). "
            "Fix: give every respondent a weight ≥ 0."
        )
    if not (w > 0).any():
        raise SoslokalError(f"Weight {name!r} is zero for everyone. Fix: check the weights.")
    return w


def _factorise(df: pd.DataFrame, by_cols: list[str]) -> tuple[np.ndarray, pd.Index]:
    """Group code per respondent (-1 where a ``by`` value is missing) and the sorted groups."""
    if len(by_cols) == 1:
        codes, uniques = pd.factorize(df[by_cols[0]], sort=True)
        return codes, _as_index(uniques, by_cols[0])
    parts = [pd.factorize(df[c], sort=True) for c in by_cols]
    sizes = np.array([max(len(u), 1) for _, u in parts], dtype=np.int64)
    key = np.zeros(len(df), dtype=np.int64)
    missing = np.zeros(len(df), dtype=bool)
    for (codes, _), size in zip(parts, sizes, strict=True):
        key = key * size + codes
        missing |= codes < 0
    key[missing] = -1
    combined, keys = pd.factorize(key, sort=True)
    if missing.any():  # the -1 key sorts first; move it to the sentinel
        present = keys >= 0
        remap = np.cumsum(present) - 1
        remap[~present] = -1
        combined = remap[combined]
        keys = keys[present]
    level_codes = []
    rest = np.asarray(keys, dtype=np.int64)
    for size in sizes[::-1]:
        level_codes.append(rest % size)
        rest = rest // size
    level_codes.reverse()
    groups = pd.MultiIndex(
        levels=[_as_index(u, c) for (_, u), c in zip(parts, by_cols, strict=True)],
        codes=level_codes, names=by_cols, verify_integrity=False,
    )
    return combined, groups


def _as_index(uniques, name: str) -> pd.Index:
    return pd.Index(uniques, name=name)


def _score_codes(col: pd.Series, name: str, scale: int, validated: bool) -> np.ndarray:
    """Scores as int8 with 0 for missing; values outside 0..scale raise."""
    if validated:
        values = col.to_numpy(dtype=np.int8, na_value=0)
        if not len(values) or (values.min() >= 0 and values.max() <= scale):
            return values
    numeric = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isnan(numeric) & ((numeric % 1 != 0) | (numeric < 1) | (numeric > scale))
    bad |= np.isnan(numeric) & col.notna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SurveyFormatError(
            f"Column {name!r}: {int(bad.sum())} scores outside 1–{scale} or not whole numbers, "
            f"first at respondent {col.index[i]!r} (value {col.iloc[i]!r}). Fix: use whole "
            f"numbers from 1 to {scale} (or set df.attrs['scale']), or leave the cell empty."
        )
    return np.nan_to_num(numeric, nan=0.0).astype(np.int8)


def _by_values(
    hist: Histograms, by_cols: list[str], n_themes: int, total: bool
) -> dict[str, object]:
    """The ``by`` column(s) of the long table: each group repeated per theme, then "total"."""
    n_groups = len(hist.groups)
    out: dict[str, object] = {}
    for i, col in enumerate(by_cols):
        if isinstance(hist.groups, pd.MultiIndex):
            level = hist.groups.levels[i]
            group_codes = hist.groups.codes[i]
        else:
            level = hist.groups
            group_codes = np.arange(n_groups)
        codes = np.repeat(np.asarray(group_codes, dtype=np.int64), n_themes)
        if isinstance(level.dtype, pd.CategoricalDtype):
            categories = [c for c in level.dtype.categories if c != privacy.TOTAL]
            positions = pd.Index(categories, dtype=object).get_indexer(level.astype(object))
            codes = positions[codes]
            if total:
                categories = [*categories, privacy.TOTAL]
                codes = np.concatenate([codes, np.full(n_themes, len(categories) - 1)])
            out[col] = pd.Categorical.from_codes(codes, categories=categories,
                                                 ordered=level.dtype.ordered)
        else:
            labels = list(level.astype("string").astype(object))
            if total:
                labels.append(privacy.TOTAL)
                codes = np.concatenate([codes, np.full(n_themes, len(labels) - 1)])
            cat = pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object))
            dtype = level.dtype if isinstance(level.dtype, pd.StringDtype) else "str"
            out[col] = pd.Series(cat).astype(dtype)
    return out
