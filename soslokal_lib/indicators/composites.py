"""Composite indices, goal sub-indices and their sensitivity (public through
:mod:`soslokal_lib.indicators`; kept apart to keep modules short).

Every method orients indicators so that higher = better off, transforms them, and takes a
weighted mean over the available indicators. Directions come from ``directions=`` or from the
registry entries of the table's columns (``table.attrs["indicators"]``, then
:data:`soslokal_lib.indicators.REGISTRY`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from soslokal_lib import framework
from soslokal_lib.errors import SoslokalError
from soslokal_lib.indicator_registry import DIRECTIONS, table_entries
from soslokal_lib.numformat import format_number, format_percent, lang_key

METHODS = ("zscore", "rank", "minmax", "levekar", "exponential")
MISSING = ("error", "drop_indicator", "mean_of_available")
#: Scores (and indicator values, before rank-based transforms) are rounded to this many decimals
#: of the leading digit of their column's largest magnitude (z-scores: 10 decimals; a score of
#: 0–100: 9; incomes of 500 000: 5) before anything compares them: ranks, deciles, tied groups.
#: Floating-point noise (about 1e-15 relative: summation order, matrix–vector vs matrix–matrix
#: products, CPU) then cannot break a tie differently on another machine.
RANK_DECIMALS = 10


def for_ranking(values: Any) -> Any:
    """``values`` rounded for comparison (see :data:`RANK_DECIMALS`), column by column: the one
    place where scores and indicator values are made comparable before ranking, deciles and
    tie-breaking. A Series or DataFrame keeps its index and columns; NaN stays NaN."""
    arr = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        big = np.nanmax(np.abs(arr), axis=0, initial=0.0, where=~np.isnan(arr))
        scale = np.where(big > 0, 10.0 ** np.floor(np.log10(np.where(big > 0, big, 1.0))), 1.0)
    out = np.round(arr / scale, RANK_DECIMALS) * scale
    if isinstance(values, pd.DataFrame):
        return pd.DataFrame(out, index=values.index, columns=values.columns)
    if isinstance(values, pd.Series):
        return pd.Series(out, index=values.index, name=values.name)
    return out


def exp_transform(r: Any) -> Any:
    """SIMD's exponential transformation of a rank scaled to [0, 1] (1 = worst off).

    ``E = -23 · ln(1 − R · (1 − e^(−100/23)))``: 0 at R = 0, 100 at R = 1, stretching the
    worst-off end so that a bad score on one domain is not cancelled by good scores elsewhere.
    """
    arr = np.asarray(r, dtype=float)
    finite = arr[~np.isnan(arr)]
    if finite.size and ((finite < 0).any() or (finite > 1).any()):
        raise SoslokalError("exp_transform: R must lie in [0, 1]. Fix: scale ranks by n first.")
    out = -23.0 * np.log1p(-arr * (1.0 - np.exp(-100.0 / 23.0)))
    return float(out) if np.ndim(out) == 0 else out


def _shares(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per value (ascending order): weight share strictly below it, share of its tie group, and
    the tie group's mean weight as a share. Weights are population (or 1). NaN stays NaN.

    Composites build positions from these: ``less + tie/2`` (mid-rank percentile), ``less +
    tie`` (cumulative share, ``r/n`` unweighted) and ``less`` (``(r−1)/n``). Each moves
    monotonically when one value moves, which keeps every method monotone.
    """
    less = np.full(x.shape, np.nan)
    tie = np.full(x.shape, np.nan)
    mean = np.full(x.shape, np.nan)
    ok = ~np.isnan(x)
    if not ok.any():
        return less, tie, mean
    xv, wv = x[ok], w[ok]
    order = np.argsort(xv, kind="mergesort")
    xs = xv[order]
    cw = np.concatenate([[0.0], np.cumsum(wv[order])])
    lo = np.searchsorted(xs, xv, "left")
    hi = np.searchsorted(xs, xv, "right")
    less[ok] = cw[lo] / cw[-1]
    tie[ok] = (cw[hi] - cw[lo]) / cw[-1]
    mean[ok] = tie[ok] / (hi - lo)
    return less, tie, mean


def _tenths(start: np.ndarray) -> np.ndarray:
    """Tenth (1–10) from a start position in [0, 1): ten equally large groups."""
    out = np.floor(np.round(10 * start, 9)) + 1
    return np.clip(out, 1, 10)


def _weighted_z(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(x)
    if not ok.any():
        return x.copy()
    m = np.average(x[ok], weights=w[ok])
    sd = np.sqrt(np.average((x[ok] - m) ** 2, weights=w[ok]))
    if sd == 0 or not np.isfinite(sd):
        return np.where(ok, 0.0, np.nan)
    return (x - m) / sd


def _transform(x: np.ndarray, w: np.ndarray, method: str) -> np.ndarray:
    """One oriented indicator (higher = better) → per-method value (higher = better)."""
    if method == "zscore":
        return _weighted_z(x, w)
    if method == "minmax":
        ok = ~np.isnan(x)
        if not ok.any():
            return x.copy()
        lo, hi = np.nanmin(x), np.nanmax(x)
        return np.where(ok, 0.5, np.nan) if hi == lo else (x - lo) / (hi - lo)
    if method == "rank":
        less, tie, _ = _shares(for_ranking(x), w)
        return less + tie / 2  # mid-rank percentile: (r − ½)/n unweighted
    if method == "levekar":
        # Ten equally large groups by share strictly worse off: 10 = fewest problems (SSB's
        # level is 11 − this). Tied areas share the lower group (the higher problem level).
        return _tenths(_shares(for_ranking(x), w)[0])
    if method == "exponential":
        less, tie, _ = _shares(-for_ranking(x), w)  # deprivation order
        return 100.0 - exp_transform(less + tie)  # R = r/n, worst off at 1; ties share the top
    raise SoslokalError(f"Unknown composite method {method!r}. Fix: use one of {', '.join(METHODS)}.")


@dataclass
class _Prepared:
    values: pd.DataFrame  # oriented (higher = better), areas × indicators
    weights: pd.Series  # normalised to sum 1
    directions: dict[str, str]
    pop: np.ndarray
    dropped: list[str] = field(default_factory=list)


def _population(table: pd.DataFrame, population: pd.Series | str | None) -> np.ndarray:
    if population is None:
        return np.ones(len(table))
    if isinstance(population, str):
        if population not in table.columns:
            raise SoslokalError(f"population: no column {population!r} in the table. "
                                "Fix: pass a Series indexed by area or an existing column.")
        pop = table[population]
    else:
        pop = pd.Series(population).copy()
        pop.index = pop.index.astype(str)
        pop = pop.reindex(table.index.astype(str))
    pop = pd.to_numeric(pop, errors="coerce").astype(float)
    bad = pop.isna() | ~np.isfinite(pop) | (pop <= 0)
    if bad.any():
        raise SoslokalError(
            f"population: missing or non-positive for area(s) "
            f"{', '.join(map(str, pop.index[bad][:5]))}. Fix: give every area a positive "
            "population, or population=None for unweighted standardisation."
        )
    return pop.to_numpy()


def _prepare(table, weights, directions, population, missing, method) -> _Prepared:
    if method not in METHODS:
        raise SoslokalError(
            f"Unknown composite method {method!r}. Fix: use one of {', '.join(METHODS)}.")
    if missing not in MISSING:
        raise SoslokalError(f"Unknown missing={missing!r}. Fix: use one of {', '.join(MISSING)}.")
    entries = table_entries(table)
    directions = dict(directions or {})
    for key, d in directions.items():
        if d not in DIRECTIONS:
            raise SoslokalError(f"directions[{key!r}] = {d!r} is unknown. "
                                f"Fix: use one of {', '.join(DIRECTIONS)}.")
    if weights is not None:
        ids = list(weights)
    else:
        ids = [c for c in table.columns if "__" not in str(c)
               and (c in directions or c in entries)]
        ids = [c for c in ids if directions.get(c, entries[c].direction if c in entries
                                                else "context") != "context"]
    unknown_cols = [i for i in ids if i not in table.columns]
    if unknown_cols:
        raise SoslokalError(f"Indicator(s) not in the table: {', '.join(unknown_cols)}. "
                            "Fix: weights may only name columns of the table.")
    resolved: dict[str, str] = {}
    for i in ids:
        d = directions.get(i) or (entries[i].direction if i in entries else None)
        if d is None:
            raise SoslokalError(
                f"Indicator {i!r} has no direction (not in the registry). Fix: pass "
                f"directions={{{i!r}: 'higher_is_better' or 'lower_is_better'}}.")
        if d == "context":
            raise SoslokalError(
                f"Indicator {i!r} is a context indicator: it describes, it does not judge. "
                f"Fix: leave it out, or give it a direction explicitly in directions=.")
        resolved[i] = d
    if not ids:
        raise SoslokalError(
            "No indicator to combine: the table has no column with a direction. Fix: pass "
            "directions= or use columns from the registry.")
    w = pd.Series({i: 1.0 for i in ids}) if weights is None else pd.Series(
        {i: weights[i] for i in ids}, dtype=float)
    if (~np.isfinite(w)).any() or (w < 0).any() or w.sum() <= 0:
        raise SoslokalError("weights must be finite, non-negative and not all zero. "
                            "Fix: e.g. weights={'a': 2, 'b': 1}.")
    raw = table[ids].apply(pd.to_numeric, errors="coerce").astype(float)
    dropped: list[str] = []
    if raw.isna().any().any():
        if missing == "error":
            cells = raw.isna().stack()
            cells = cells[cells]
            areas = cells.index.get_level_values(0).unique()
            inds = cells.index.get_level_values(1).unique()
            raise SoslokalError(
                f"Missing values in {len(cells)} cell(s): area(s) "
                f"{', '.join(map(str, areas[:5]))}{' …' if len(areas) > 5 else ''}; "
                f"indicator(s) {', '.join(map(str, inds[:5]))}{' …' if len(inds) > 5 else ''}. "
                "Fix: missing='drop_indicator' (leave those indicators out) or "
                "missing='mean_of_available' (each area scored on the indicators it has).")
        if missing == "drop_indicator":
            dropped = [c for c in ids if raw[c].isna().any()]
            raw = raw.drop(columns=dropped)
            w = w.drop(dropped)
            if raw.shape[1] == 0 or w.sum() <= 0:
                raise SoslokalError("Every indicator has a missing value; nothing is left. "
                                    "Fix: missing='mean_of_available'.")
    sign = np.array([1.0 if resolved[c] == "higher_is_better" else -1.0 for c in raw.columns])
    values = raw * sign
    return _Prepared(values, w / w.sum(), resolved, _population(table, population), dropped)


def _matrix(prep: _Prepared, method: str) -> pd.DataFrame:
    out = {c: _transform(prep.values[c].to_numpy(), prep.pop, method) for c in prep.values}
    return pd.DataFrame(out, index=prep.values.index)


def _aggregate(t: pd.DataFrame, w: np.ndarray) -> np.ndarray:
    """Weighted mean over available cells; ``w`` is (k,) or (k, draws)."""
    mask = t.notna().to_numpy(dtype=float)
    vals = t.fillna(0.0).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        num = vals @ w
        den = mask @ w
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _rank_desc(score: pd.Series | pd.DataFrame):
    """Rank 1 = highest score; ties (equal after :func:`for_ranking`) share the best rank."""
    return for_ranking(score).rank(ascending=False, method="min").astype("Int64")


def _deciles(score: pd.Series, pop: np.ndarray) -> Any:
    """Decile 1 = worst-off tenth (of areas or population); ties share their average rank's."""
    less, tie, mean = _shares(for_ranking(score.to_numpy()), pop)
    start = less + (tie - mean) / 2
    return pd.array(np.where(np.isnan(start), np.nan, _tenths(start)), dtype="Int64")


def composite(
    table: pd.DataFrame,
    method: str = "zscore",
    weights: Mapping[str, float] | None = None,
    directions: Mapping[str, str] | None = None,
    *,
    population: pd.Series | str | None = None,
    missing: str = "error",
) -> pd.DataFrame:
    """Combine indicators into one score per area.

    Every indicator is first oriented so that higher = better off (``lower_is_better`` ones are
    negated; directions from ``directions`` or the registry; context indicators are left out
    unless given a direction), then transformed, then averaged with ``weights`` (default equal,
    normalised to sum 1; with ``weights`` only the named indicators are used):

    * ``"zscore"``: (x − mean) / SD (SD with divisor N; a constant indicator contributes 0).
      Improving an area never lowers its score, but because the SD depends on the data, an
      improving outlier can (rarely) slip a rank; the other four methods cannot.
    * ``"rank"``: mid-rank percentile in (0, 1): the share of areas (or of population) worse
      off plus half the area's own tie group; ``(r − ½)/n`` unweighted, higher = better.
    * ``"minmax"``: (x − min) / (max − min) in [0, 1] (a constant indicator contributes 0.5).
    * ``"levekar"``: SSB's «indeks for levekårsproblemer» style, in SSB's and the big cities'
      orientation: **1–10, 10 = most problems**. Each indicator's areas are ranked and split
      into ten equally large groups scored 1–10 (10 = the tenth with most problems); the
      index, column ``levekar_index``, is their (weighted) mean, so equal weights give SSB's
      unweighted mean of decile scores, a 1–10 index. (SSB computed it yearly from 1995 for «Hjulet»; see Samfunnsspeilet
      6/99 and 2002/4-5. Its published values are that mean: Berlevåg 2004 scored 10, 10, 9,
      10, 10, 10, 10, 10 on the eight indicators and has index 9.9. Kommunale levekårsunder-
      søkelser, e.g. Stavanger's and Bergen's, score their zones 1–10 per indicator the same
      way; where they add the scores up the order is the same as the mean's.) Tied areas
      share the higher problem level. Present ``levekar_index`` as the levekårsindeks;
      ``score`` is ``11 − levekar_index`` only so that every method shares one orientation
      (higher = better) for ranks and comparisons. With fewer than ten areas the groups are
      coarse (five areas get 2, 4, 6, 8, 10 problem levels).
    * ``"exponential"``: the SIMD recipe. Rank each indicator, scale to (0, 1] with the worst
      off at 1 (``R = r/n``; ties share the most deprived position), apply
      :func:`exp_transform` (0–100), take the weighted sum and re-rank. ``deprivation`` is that
      sum; ``score`` is ``100 − deprivation``.

    ``population`` (Series by area, or a column name) weights the standardisation: weighted
    mean and SD, or ranks by cumulative population share; deciles then hold equal shares of
    population. ``missing``: ``"error"`` (default) lists areas and indicators with missing
    values; ``"drop_indicator"`` leaves out every indicator with a missing value
    (``attrs["dropped"]``); ``"mean_of_available"`` standardises each indicator over the areas
    that have it and averages each area over its available indicators (weights renormalised;
    ``n_indicators`` says how many). An area with nothing stays missing — never a silent zero.

    Returns ``score``, ``rank`` (1 = best off, ties share the best rank), ``decile`` (1 =
    worst-off tenth), ``n_indicators`` and the method-specific column, indexed like ``table``.
    Ranks, deciles and ties compare scores rounded to :data:`RANK_DECIMALS` (10) decimals, so
    equal inputs give equal ranks on every machine.
    """
    prep = _prepare(table, weights, directions, population, missing, method)
    t = _matrix(prep, method)
    score = pd.Series(_aggregate(t, prep.weights.to_numpy()), index=table.index, name="score")
    out = pd.DataFrame({"score": score})
    out["rank"] = _rank_desc(score)
    out["decile"] = _deciles(score, prep.pop)
    out["n_indicators"] = t.notna().sum(axis=1).astype(int)
    if method == "levekar":
        out["levekar_index"] = 11.0 - score
    elif method == "exponential":
        out["deprivation"] = 100.0 - score
    out.attrs = {
        "method": method, "weights": prep.weights.to_dict(), "directions": prep.directions,
        "dropped": prep.dropped, "missing": missing, "population_weighted": population is not None,
    }
    return out


# --------------------------------------------------------------------------- goal sub-indices
def goal_indicators(table: pd.DataFrame, goal: str) -> list[str]:
    """Columns of ``table`` that feed ``goal``'s default sub-index.

    The core indicators of the goal's dimensions (survey dimension means and socioeconomic
    indicators), or, if the table has none, every non-context indicator of the goal.
    """
    code = framework.get_goal(goal).code
    mine = {c: e for c, e in table_entries(table).items()
            if e.direction != "context" and e.goal == code}
    core = [c for c, e in mine.items() if e.core]
    return core or list(mine)


def goal_scores(
    table: pd.DataFrame,
    method: str = "zscore",
    *,
    weights: Mapping[str, float] | None = None,
    directions: Mapping[str, str] | None = None,
    population: pd.Series | str | None = None,
    missing: str = "error",
) -> pd.DataFrame:
    """Sub-indices for social justice and social robustness, per area.

    Each is :func:`composite` over that goal's indicators: :func:`goal_indicators`, or with
    ``weights`` the named indicators, split by the goal of their dimension. Returns ``justice``, ``robustness`` and
    their ``_rank`` columns; ``attrs`` records the indicators used and the median of each
    sub-index (reference lines for :func:`soslokal_lib.plot.indicators.plot_justice_robustness`).
    """
    out = pd.DataFrame(index=table.index)
    used: dict[str, list[str]] = {}
    entries = table_entries(table)
    if weights is not None:
        orphans = [i for i in weights if i not in entries or entries[i].goal is None]
        if orphans:
            raise SoslokalError(
                f"weights name indicator(s) with no framework dimension: {', '.join(orphans)}. "
                "Fix: weight only registry indicators of the table that have a dimension.")
    for goal in ("justice", "robustness"):
        if weights is None:
            ids = goal_indicators(table, goal)
        else:
            ids = [i for i in weights if entries[i].goal == goal]
        if not ids:
            raise SoslokalError(
                f"No indicator in the table belongs to the goal {goal!r}. Fix: add indicators "
                f"of its dimensions ({', '.join(d.code for d in framework.dimensions_of_goal(goal))}).")
        w = {i: (1.0 if weights is None else weights[i]) for i in ids}
        res = composite(table, method, w, directions, population=population, missing=missing)
        out[goal] = res["score"]
        out[f"{goal}_rank"] = res["rank"]
        used[goal] = ids
    out.attrs = {"method": method, "indicators": used,
                 "reference": {g: float(out[g].median()) for g in ("justice", "robustness")}}
    return out


# --------------------------------------------------------------------------- sensitivity
@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """Ranks of areas under several methods and perturbed weights.

    ``ranks``/``scores``: area × method with the base weights; ``spearman``/``kendall``: rank
    correlation between methods; ``draw_ranks``: area × (method, draw); ``draw_weights``: draw ×
    indicator; ``intervals``: per area (sorted by the first method's rank) ``rank``,
    ``rank_min``/``rank_max`` over every method and draw, ``methods_min``/``methods_max`` over
    methods, ``draws_q05``/``draws_median``/``draws_q95`` over all draws.
    """

    scores: pd.DataFrame
    ranks: pd.DataFrame
    spearman: pd.DataFrame
    kendall: pd.DataFrame
    draw_ranks: pd.DataFrame
    draw_weights: pd.DataFrame
    intervals: pd.DataFrame
    settings: dict

    @property
    def statistic(self) -> float:
        """Smallest Spearman correlation between any two methods (1 = methods agree)."""
        m = self.spearman.to_numpy()
        return float(m[~np.eye(len(m), dtype=bool)].min()) if len(m) > 1 else 1.0

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`intervals` (one row per area, best rank first)."""
        return self.intervals.copy()

    def text(self, lang: str = "nb") -> str:
        """«12 områder rangert med 5 metoder og 200 vektingstrekk (vekter ±50 %, uniformt):
        laveste Spearman-korrelasjon mellom to metoder 0,85; rangen spenner i snitt over
        2,4 plasser (fra beste til dårligste over metoder og trekk)»."""
        key = lang_key(lang)
        st = self.settings
        spread = format_percent(st["weight_spread"], key, 0)
        width = (self.intervals["rank_max"] - self.intervals["rank_min"]).mean()
        methods, draws = len(st["methods"]), format_number(st["n_draws"], key)
        if st["perturbation"] == "uniform":
            how = f"vekter ±{spread}, uniformt" if key == "nb" else f"weights ±{spread}, uniform"
        else:
            how = (f"Dirichlet-vekter, variasjonskoeffisient om lag {spread}" if key == "nb"
                   else f"Dirichlet weights, coefficient of variation about {spread}")
        corr = (format_number(self.statistic, key, 2) if methods > 1
                else ("– (bare én metode)" if key == "nb" else "– (one method only)"))
        if key == "nb":
            return (f"{len(self.intervals)} områder rangert med {methods} metoder og {draws} "
                    f"vektingstrekk ({how}): laveste "
                    f"Spearman-korrelasjon mellom to metoder {corr}; rangen spenner i snitt "
                    f"over {format_number(width, key, 1)} plasser (fra beste til dårligste "
                    "over metoder og trekk).")
        return (f"{len(self.intervals)} areas ranked with {methods} methods and {draws} "
                f"weight draws ({how}): lowest Spearman "
                f"correlation between two methods {corr}; ranks span on average "
                f"{format_number(width, key, 1)} places (best to worst over methods and draws).")


def _draw_weights(base: np.ndarray, n_draws: int, spread: float, kind: str,
                  rng: np.random.Generator) -> np.ndarray:
    k = base.size
    if kind == "uniform":
        w = base[None, :] * rng.uniform(1 - spread, 1 + spread, size=(n_draws, k))
    elif kind == "dirichlet":
        pos = base > 0
        mean_w = 1.0 / max(pos.sum(), 1)
        conc = max((1 - mean_w) / (mean_w * spread**2) - 1, 1e-3) if spread > 0 else np.inf
        w = np.zeros((n_draws, k))
        if np.isinf(conc):
            w[:] = base
        else:
            w[:, pos] = rng.dirichlet(base[pos] / base[pos].sum() * conc, size=n_draws)
    else:
        raise SoslokalError(f"Unknown perturbation {kind!r}. Fix: use 'uniform' or 'dirichlet'.")
    sums = w.sum(axis=1, keepdims=True)
    return w / np.where(sums > 0, sums, 1.0)


def sensitivity(
    table: pd.DataFrame,
    methods: Sequence[str] = ("zscore", "rank", "minmax", "levekar", "exponential"),
    *,
    weights: Mapping[str, float] | None = None,
    directions: Mapping[str, str] | None = None,
    population: pd.Series | str | None = None,
    missing: str = "error",
    n_draws: int = 200,
    weight_spread: float = 0.5,
    perturbation: str = "uniform",
    seed: int = 0,
) -> SensitivityResult:
    """How much do areas' ranks depend on the method and the weights?

    For each method, the composite with the base weights, plus ``n_draws`` composites with
    perturbed weights: ``"uniform"`` multiplies each weight by U(1 − spread, 1 + spread);
    ``"dirichlet"`` draws weights from a Dirichlet centred on the base weights whose
    coefficient of variation is about ``weight_spread`` for equal weights. Draws are seeded
    (``seed``) and shared by all methods. Rank correlations between methods: Spearman and
    Kendall (tau-b) on the base scores.
    """
    from scipy import stats

    methods = list(methods)
    if not methods:
        raise SoslokalError("sensitivity: no method given. Fix: e.g. methods=('zscore', 'rank').")
    if not 0 <= weight_spread <= 1:
        raise SoslokalError("weight_spread must lie in [0, 1]. Fix: e.g. weight_spread=0.5.")
    if n_draws < 0:
        raise SoslokalError("n_draws must be ≥ 0.")
    rng = np.random.default_rng(seed)
    preps = {m: _prepare(table, weights, directions, population, missing, m) for m in methods}
    first = preps[methods[0]]
    ids = list(first.values.columns)
    base = first.weights.to_numpy()
    draws = (_draw_weights(base, n_draws, weight_spread, perturbation, rng) if n_draws
             else np.zeros((0, len(ids))))
    scores, ranks, draw_ranks = {}, {}, {}
    for m in methods:
        t = _matrix(preps[m], m)
        s = pd.Series(_aggregate(t, base), index=table.index)
        scores[m] = s
        ranks[m] = _rank_desc(s)
        if n_draws:
            d = pd.DataFrame(_aggregate(t, draws.T), index=table.index)
            draw_ranks[m] = _rank_desc(d)
    scores_df, ranks_df = pd.DataFrame(scores), pd.DataFrame(ranks)
    spearman = scores_df.corr(method="spearman")
    kendall = pd.DataFrame(np.eye(len(methods)), index=methods, columns=methods)
    for a in range(len(methods)):
        for b in range(a + 1, len(methods)):
            pair = scores_df[[methods[a], methods[b]]].dropna()
            tau = stats.kendalltau(pair.iloc[:, 0], pair.iloc[:, 1]).statistic
            kendall.iloc[a, b] = kendall.iloc[b, a] = tau
    if draw_ranks:
        dr = pd.concat(draw_ranks, axis=1, names=["method", "draw"])
    else:
        dr = pd.DataFrame(index=table.index)
    dr_f = dr.astype(float)
    rk_f = ranks_df.astype(float)
    allr = pd.concat([rk_f, dr_f], axis=1)
    intervals = pd.DataFrame({
        "rank": ranks_df[methods[0]],
        "rank_min": allr.min(axis=1), "rank_max": allr.max(axis=1),
        "methods_min": rk_f.min(axis=1), "methods_max": rk_f.max(axis=1),
        "draws_q05": dr_f.quantile(0.05, axis=1) if n_draws else np.nan,
        "draws_median": dr_f.median(axis=1) if n_draws else np.nan,
        "draws_q95": dr_f.quantile(0.95, axis=1) if n_draws else np.nan,
    }).sort_values("rank")
    return SensitivityResult(
        scores=scores_df, ranks=ranks_df, spearman=spearman, kendall=kendall,
        draw_ranks=dr, draw_weights=pd.DataFrame(draws, columns=ids), intervals=intervals,
        settings={"methods": methods, "n_draws": n_draws, "weight_spread": weight_spread,
                  "perturbation": perturbation, "seed": seed, "indicators": ids,
                  "weights": dict(zip(ids, base.tolist(), strict=True)),
                  "population_weighted": population is not None, "missing": missing},
    )




# --------------------------------------------------------------------------- per dimension
def _dimension_groups(table: pd.DataFrame) -> dict[str, list[str]]:
    """Dimension code → non-context indicator columns of ``table`` (core ones if the dimension
    has any), in the guide's order; uncovered dimensions are absent."""
    entries = {c: e for c, e in table_entries(table).items()
               if e.direction != "context" and e.dimension}
    out: dict[str, list[str]] = {}
    for code in framework.DIMENSION_CODES:
        mine = [c for c, e in entries.items() if e.dimension == code]
        core = [c for c in mine if entries[c].core]
        if mine:
            out[code] = core or mine
    return out


def dimension_weights(table: pd.DataFrame) -> dict[str, float]:
    """Weights giving every covered framework dimension the same total weight.

    Each dimension's weight (1 / number of covered dimensions) is shared equally by its
    indicators among the columns of ``table`` (core ones if it has any), so a dimension with
    many indicators (social infrastructure: income, education, benefits, housing …) counts no
    more than one with a single indicator. Pass ``table[core_indicators(table)]`` to weight
    exactly the indicators a composite uses. The weights sum to 1.
    """
    groups = _dimension_groups(table)
    if not groups:
        raise SoslokalError("No column of the table is an indicator with a framework dimension. "
                            "Fix: pass an indicator table (indicators.indicator_table).")
    share = 1.0 / len(groups)
    return {c: share / len(ids) for ids in groups.values() for c in ids}


def dimension_scores(
    table: pd.DataFrame,
    method: str = "zscore",
    *,
    directions: Mapping[str, str] | None = None,
    population: pd.Series | str | None = None,
    missing: str = "mean_of_available",
) -> pd.DataFrame:
    """One score per area and framework dimension (higher = better off).

    For each dimension with indicators in ``table`` (its core ones if any), :func:`composite`
    with ``method`` and equal weights over them; with ``"zscore"`` a one-indicator dimension is
    that indicator's z-score. Columns are dimension codes in the guide's order; ``attrs``
    records ``method``, the ``indicators`` per dimension and the ``uncovered`` dimensions.
    With ``missing="mean_of_available"`` an area missing every indicator of a dimension stays
    missing there; with ``"drop_indicator"`` a dimension whose every indicator has a gap is left
    out (``attrs["dropped"]``).
    """
    groups = _dimension_groups(table)
    if not groups:
        raise SoslokalError("No column of the table is an indicator with a framework dimension. "
                            "Fix: pass an indicator table (indicators.indicator_table).")
    out = pd.DataFrame(index=table.index)
    dropped: list[str] = []
    for code, ids in groups.items():
        if missing == "drop_indicator" and table[ids].isna().any().all():
            dropped.append(code)  # every indicator of the dimension has a gap
            continue
        res = composite(table, method, dict.fromkeys(ids, 1.0), directions,
                        population=population, missing=missing)
        out[code] = res["score"]
    out.attrs = {"method": method, "indicators": {d: groups[d] for d in out.columns},
                 "uncovered": [d for d in framework.DIMENSION_CODES if d not in groups],
                 "dropped": dropped, "population_weighted": population is not None}
    return out
