"""Survey weights: population margins, raking (IPF), post-stratification and a weighting report.

Conventions:

* Targets are **population counts** per level (e.g. persons 15+ per area, age band and sex);
  the weights sum to the population total, so a weight reads «persons per respondent».
* :func:`rake` is vectorised iterative proportional fitting: one :func:`numpy.bincount` per
  margin and iteration on integer level codes, no loops over levels or respondents.
* Respondents with a missing value on a margin variable: ``missing="error"`` (default) stops
  with an error; ``missing="ignore_margin"`` takes them out of *that* margin only — the margin
  is then met as a *distribution* among respondents whose value is known (its targets are
  scaled to their weight total) and those without a value get no adjustment from it. Nothing
  is imputed, and no «unknown» level is invented (the population has none).
* Design effect (Kish): ``deff = 1 + CV²`` of the weights (CV with the population standard
  deviation) ``= n·Σw²/(Σw)²``; effective n ``= (Σw)²/Σw² = n/deff``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number, format_significant, lang_key
from soslokal_lib.stats._population import (
    CELL_COLUMNS,
    margins_from_cells,
    population_cells,
    population_margins,
)
from soslokal_lib.survey import Survey

__all__ = [
    "CELL_COLUMNS", "WeightingReport", "compare_summaries", "kish", "margins_from_cells",
    "population_cells", "population_margins", "poststratify", "rake", "weighting_report",
    "with_weights",
]

MISSING_RULES = ("error", "ignore_margin")
#: How the report names the usual margin variables: (bokmål, English).
_VARIABLE_NAMES = {"area_id": ("område", "area"), "age_group": ("aldersgruppe", "age group"),
                   "gender": ("kjønn", "gender")}


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class WeightingReport:
    """How a set of weights came about and what it costs in precision.

    ``margins``: one row per variable × level: ``target`` (population), ``weighted`` (sum of
    weights), ``n`` (respondents), ``error`` (relative: weighted/target − 1; with
    ``missing="ignore_margin"`` the target is scaled to the known respondents).
    ``distribution``: ``min, p5, median, p95, max, mean`` of the weights. ``by_area``: per
    area ``n, weight_sum, mean_weight, deff, n_eff``. ``deff`` = 1 + CV² (Kish).
    """

    method: str
    n: int
    total: float
    deff: float
    n_eff: float
    distribution: pd.Series
    by_area: pd.DataFrame
    margins: pd.DataFrame | None = None
    converged: bool | None = None
    iterations: int | None = None
    max_margin_error: float | None = None
    trim: tuple[float, float] | None = None
    n_trimmed: int = 0
    trim_rounds: int = 0
    missing: dict[str, int] = field(default_factory=dict)

    @property
    def statistic(self) -> float:
        """The design effect (Kish, :attr:`deff`): the precision the weights cost."""
        return self.deff

    def to_frame(self, table: str = "summary") -> pd.DataFrame:
        """``"summary"``: one row (``method``, ``n``, ``total``, ``deff``, ``n_eff``,
        ``converged``, ``iterations``, ``max_margin_error``, ``n_trimmed``); ``"by_area"``,
        ``"margins"`` (empty without margins) or ``"distribution"``: copies of those tables."""
        if table == "summary":
            return pd.DataFrame([{k: getattr(self, k) for k in (
                "method", "n", "total", "deff", "n_eff", "converged", "iterations",
                "max_margin_error", "n_trimmed")}])
        if table == "by_area":
            return self.by_area.copy()
        if table == "margins":
            return self.margins.copy() if self.margins is not None else pd.DataFrame()
        if table == "distribution":
            return self.distribution.to_frame()
        raise SoslokalError(f"Unknown table {table!r}. Fix: use 'summary', 'by_area', "
                            "'margins' or 'distribution'.")

    def text(self, lang: str = "nb") -> str:
        """A short plain-language account (bokmål by default, ``lang="en"``)."""
        lang = lang_key(lang)
        nb = lang == "nb"

        def f(x: float) -> str:  # three significant digits, never an exponent
            return format_significant(x, lang)

        d = {k: f(v) for k, v in self.distribution.items()}
        lines = []
        if self.method != "given" and self.max_margin_error is None:  # post-stratification
            lines.append(f"{self.method}: vektene treffer befolkningstallet i hver celle." if nb
                         else f"{self.method}: the weights match every cell's population.")
        elif self.method != "given":
            state = ("konvergerte" if self.converged else "konvergerte IKKE") if nb else (
                "converged" if self.converged else "did NOT converge")
            err = format_significant(self.max_margin_error, lang, digits=2)
            lines.append(f"{self.method}: {state} ({self.iterations} iterasjoner, største "
                         f"relative avvik fra målene {err})." if nb else
                         f"{self.method}: {state} ({self.iterations} iterations, largest "
                         f"relative margin error {err}).")
        lines.append(f"Vekter: min {d['min']}, p5 {d['p5']}, median {d['median']}, p95 "
                     f"{d['p95']}, maks {d['max']} (snitt {d['mean']})." if nb else
                     f"Weights: min {d['min']}, p5 {d['p5']}, median {d['median']}, p95 "
                     f"{d['p95']}, max {d['max']} (mean {d['mean']}).")
        deff = format_number(self.deff, lang, 2)
        if self.trim is not None:
            low, high = f(self.trim[0]), f(self.trim[1])
            lines.append(
                f"Trimming til [{low}; {high}] × snittvekten: {self.n_trimmed} vekter kuttet, "
                f"{self.trim_rounds} runder med ny raking." if nb else
                f"Trimmed to [{low}, {high}] × mean weight: {self.n_trimmed} weights cut, "
                f"{self.trim_rounds} rounds of re-raking.")
        lines.append(
            f"Designeffekt (Kish) {deff}: {self.n} svar gir like sikre tall som "
            f"{format_number(self.n_eff, lang)} svar uten vekter." if nb else
            f"Design effect (Kish) {deff}: {self.n} responses are as precise as "
            f"{format_number(self.n_eff, lang)} unweighted ones.")
        for var, k in self.missing.items():
            if k:
                name = _VARIABLE_NAMES.get(var, (var, var))[0 if nb else 1]
                lines.append(
                    f"{k} svar mangler {name}; de er holdt utenfor den marginen." if nb else
                    f"{k} responses lack {name}; they were left out of that margin.")
        return "\n".join(lines)


def kish(weights: np.ndarray) -> tuple[float, float]:
    """``(deff, n_eff)`` of Kish for one set of weights."""
    w = np.asarray(weights, dtype=np.float64)
    s, s2 = w.sum(), np.square(w).sum()
    n_eff = s * s / s2 if s2 > 0 else 0.0
    return (len(w) / n_eff if n_eff > 0 else np.nan), n_eff


def weighting_report(
    weights: pd.Series,
    df: pd.DataFrame | Survey,
    by: str | None = "area_id",
    *,
    margins: Mapping[str, Mapping[str, float] | pd.Series] | None = None,
    missing: str = "ignore_margin",
) -> WeightingReport:
    """Report on any weights: distribution, Kish deff and effective n overall and per ``by``,
    and (with ``margins``) how well each target is met."""
    frame = _frame(df)
    w = _align(weights, frame, "weights")
    prepared = _prepare(frame, margins, missing) if margins else []
    return _report("given", frame, w, by, prepared)


def _report(method: str, frame: pd.DataFrame, w: np.ndarray, by: str | None,
            prepared: list[_Margin], **extra: object) -> WeightingReport:
    deff, n_eff = kish(w)
    dist = pd.Series({
        "min": w.min(), "p5": np.quantile(w, 0.05), "median": np.median(w),
        "p95": np.quantile(w, 0.95), "max": w.max(), "mean": w.mean()}, name="weight")
    if by is not None and by in frame.columns:
        codes, levels = pd.factorize(frame[by].astype("string"), sort=True)
        ok = codes >= 0
        k = len(levels)
        n = np.bincount(codes[ok], minlength=k)
        s = np.bincount(codes[ok], weights=w[ok], minlength=k)
        s2 = np.bincount(codes[ok], weights=np.square(w[ok]), minlength=k)
        area_eff = s * s / s2
        by_area = pd.DataFrame({"n": n, "weight_sum": s, "mean_weight": s / n,
                                "deff": n / area_eff, "n_eff": area_eff},
                               index=pd.Index(levels, name=by, dtype="string"))
    else:
        by_area = pd.DataFrame(columns=["n", "weight_sum", "mean_weight", "deff", "n_eff"])
    table = _margin_table(prepared, w) if prepared else None
    err = float(table["error"].abs().max()) if table is not None else None
    return WeightingReport(
        method=method, n=len(w), total=float(w.sum()), deff=float(deff), n_eff=float(n_eff),
        distribution=dist, by_area=by_area, margins=table, max_margin_error=err,
        missing={m.variable: int((m.codes < 0).sum()) for m in prepared}, **extra)


# --------------------------------------------------------------------------- raking


@dataclass(frozen=True)
class _Margin:
    variable: str
    levels: list[str]
    codes: np.ndarray  # per respondent, -1 = missing
    targets: np.ndarray
    n: np.ndarray

    @property
    def known(self) -> np.ndarray:
        return self.codes >= 0


def rake(
    df: pd.DataFrame | Survey,
    margins: Mapping[str, Mapping[str, float] | pd.Series],
    *,
    max_iter: int = 100,
    tol: float = 1e-8,
    trim: tuple[float | None, float | None] | None = None,
    base_weight: str | pd.Series | np.ndarray | None = None,
    missing: str = "error",
    by: str | None = "area_id",
    return_report: bool = False,
) -> pd.Series | tuple[pd.Series, WeightingReport]:
    """Rake respondent weights to population margins (iterative proportional fitting).

    ``margins``: ``{variable: {level: population count}}``, e.g. from
    :func:`population_margins`; every margin must have the same total, which the weights then
    sum to. ``tol``: stop when every level's weighted total is within ``tol`` (relative) of its
    target. ``trim=(low, high)``: after convergence, clip weights to ``[low, high]`` × the mean
    weight and re-rake, repeated until both hold (or ``max_iter`` rounds: a warning).
    ``base_weight``: starting (design) weights — a column name, Series or array (default 1).
    ``missing``: ``"error"`` or ``"ignore_margin"`` (module docstring). ``by``: the column of
    the per-area part of the report. Returns the weights (a Series named ``weight``, indexed
    like the respondents), and with ``return_report=True`` also a :class:`WeightingReport`.
    Raises :class:`SoslokalError` for levels without respondents, respondents in levels without
    population, zero or inconsistent targets; warns (``RuntimeWarning``) if IPF does not
    converge.
    """
    frame = _frame(df)
    _check_iter(max_iter, tol)
    prepared = _prepare(frame, margins, missing)
    if not prepared:
        raise SoslokalError("margins is empty. Fix: give at least one {variable: {level: count}}.")
    total = float(prepared[0].targets.sum())
    base = _base(frame, base_weight)
    w = base * (total / base.sum())
    w, iterations, err = _ipf(w, prepared, max_iter, tol)
    rounds, trimmed = 0, np.zeros(len(w), dtype=bool)
    bounds = _check_trim(trim)
    if bounds is not None:
        w, iterations, err, rounds, trimmed = _trim_rake(w, prepared, bounds, max_iter, tol,
                                                         iterations)
    converged = err <= tol
    if not converged:
        warnings.warn(
            f"Raking did not converge in {iterations} iterations: a weighted total is still "
            f"{err:.2e} (relative) from its target. The weights do NOT match the margins. Fix: "
            "collapse small levels (e.g. age groups or small areas), drop a margin, or raise "
            "max_iter.", RuntimeWarning, stacklevel=2)
    weights = pd.Series(w, index=frame.index, name="weight")
    if not return_report:
        return weights
    report = _report("rake", frame, w, by, prepared, converged=converged,
                     iterations=iterations, trim=bounds, n_trimmed=int(trimmed.sum()),
                     trim_rounds=rounds)
    return weights, report


def _ipf(w: np.ndarray, prepared: list[_Margin], max_iter: int,
         tol: float) -> tuple[np.ndarray, int, float]:
    w = w.copy()
    err = _max_error(prepared, w)
    iterations = 0
    while err > tol and iterations < max_iter:
        iterations += 1
        for m in prepared:
            known = m.known
            sums = np.bincount(m.codes[known], weights=w[known], minlength=len(m.levels))
            goal = _goal(m, w)
            w[known] *= (goal / sums)[m.codes[known]]
        err = _max_error(prepared, w)
    return w, iterations, err


def _goal(m: _Margin, w: np.ndarray) -> np.ndarray:
    """Targets for the respondents with a known value (scaled when some are missing)."""
    if m.known.all():
        return m.targets
    return m.targets * (w[m.known].sum() / m.targets.sum())


def _max_error(prepared: list[_Margin], w: np.ndarray) -> float:
    worst = 0.0
    for m in prepared:
        known = m.known
        sums = np.bincount(m.codes[known], weights=w[known], minlength=len(m.levels))
        worst = max(worst, float(np.max(np.abs(sums / _goal(m, w) - 1.0))))
    return worst


def _trim_rake(w: np.ndarray, prepared: list[_Margin], bounds: tuple[float, float],
               max_iter: int, tol: float, iterations: int):
    """Alternate clipping to ``bounds`` × mean weight and re-raking until both hold."""
    low, high = bounds
    trimmed = np.zeros(len(w), dtype=bool)
    rounds = 0
    while True:
        mean = w.mean()
        lo, hi = low * mean, high * mean
        outside = (w < lo * (1 - 1e-9)) | (w > hi * (1 + 1e-9))
        if not outside.any():
            break
        if rounds == max_iter:
            warnings.warn(
                f"Trimming to [{low:g}, {high:g}] × mean weight and the margins cannot both "
                f"hold after {rounds} rounds: the weights keep the margins and range "
                f"{w.min() / mean:.3g}–{w.max() / mean:.3g} × mean. Fix: widen trim, or "
                "collapse small levels.", RuntimeWarning, stacklevel=3)
            break
        rounds += 1
        trimmed |= outside
        w, it, _ = _ipf(np.clip(w, lo, hi), prepared, max_iter, tol)
        iterations += it
    return w, iterations, _max_error(prepared, w), rounds, trimmed


def _margin_table(prepared: list[_Margin], w: np.ndarray) -> pd.DataFrame:
    parts = []
    for m in prepared:
        known = m.known
        sums = np.bincount(m.codes[known], weights=w[known], minlength=len(m.levels))
        goal = _goal(m, w)
        parts.append(pd.DataFrame({
            "variable": m.variable, "level": m.levels, "target": m.targets, "goal": goal,
            "weighted": sums, "n": m.n, "error": sums / goal - 1.0}))
    table = pd.concat(parts, ignore_index=True)
    table["variable"] = table["variable"].astype("string")
    table["level"] = table["level"].astype("string")
    return table


# --------------------------------------------------------------------------- post-stratification


def poststratify(
    df: pd.DataFrame | Survey,
    population: pd.DataFrame | pd.Series,
    by: Sequence[str] = ("area_id", "age_group"),
    *,
    value: str = "population",
    base_weight: str | pd.Series | np.ndarray | None = None,
    report_by: str | None = "area_id",
    return_report: bool = False,
) -> pd.Series | tuple[pd.Series, WeightingReport]:
    """Post-stratification weights on the full cross-classification of ``by``.

    ``population``: a long table with the ``by`` columns and ``value`` (e.g. from
    :func:`population_cells`, summed over the variables not in ``by``), or a Series indexed by
    the ``by`` levels. Each respondent gets ``N_cell · b_i / Σ_cell b`` (``b`` the base
    weights, default 1). Every populated cell must hold respondents and every respondent's
    cell must be populated — otherwise :class:`SoslokalError` listing the cells (fix: collapse
    categories, or :func:`rake` on the margins instead).
    """
    frame = _frame(df)
    by = [by] if isinstance(by, str) else list(by)
    pop = _cell_table(population, by, value)
    lacking = [v for v in by if v not in frame.columns]
    if lacking:
        raise SoslokalError(f"The responses lack column(s) {lacking}. Fix: choose by= among "
                            f"{[c for c in frame.columns][:8]}.")
    keys = frame[by].astype("string")
    miss = keys.isna().any(axis=1).to_numpy()
    if miss.any():
        worst = keys.isna().sum()
        var = str(worst.idxmax())
        raise SoslokalError(
            f"{int(miss.sum())} respondents lack a value of {list(worst[worst > 0].index)} "
            f"(e.g. {var!r}; first {list(frame.index[miss][:3])}) and cannot be placed in a "
            "post-stratification cell. Fix: drop them, or rake(..., missing='ignore_margin').")
    sample_idx = pd.MultiIndex.from_frame(keys)
    pop_idx = pd.MultiIndex.from_frame(pop[by])
    codes = pop_idx.get_indexer(sample_idx)
    if (codes < 0).any():
        cells = sorted({tuple(k) for k in keys[codes < 0].itertuples(index=False)})
        raise SoslokalError(
            f"{int((codes < 0).sum())} respondents are in {len(cells)} {by} cell(s) the "
            f"population table lacks, e.g. {cells[:3]}. Fix: add those cells to the population "
            "or recode the respondents.")
    k = len(pop)
    base = _base(frame, base_weight)
    n = np.bincount(codes, minlength=k)
    bsum = np.bincount(codes, weights=base, minlength=k)
    target = pop[value].to_numpy(dtype=np.float64)
    empty = (n == 0) & (target > 0)
    zero = (n > 0) & (target == 0)
    for mask, what in ((empty, "have population but no respondents"),
                       (zero, "have respondents but no population")):
        if mask.any():
            cells = [tuple(r) for r in pop.loc[mask, by].astype("string").itertuples(index=False)]
            raise SoslokalError(
                f"{int(mask.sum())} post-stratification cell(s) of {by} {what}, e.g. "
                f"{cells[:3]}. Fix: collapse categories (e.g. age groups, or small areas with a "
                "neighbour) or rake on the margins instead.")
    w = target[codes] * base / bsum[codes]
    weights = pd.Series(w, index=frame.index, name="weight")
    if not return_report:
        return weights
    return weights, _report("poststratify", frame, w, report_by, [], converged=True,
                            iterations=0)


def _cell_table(population: pd.DataFrame | pd.Series, by: list[str],
                value: str) -> pd.DataFrame:
    if isinstance(population, pd.Series):
        population = population.rename(value).reset_index()
    if not isinstance(population, pd.DataFrame):
        raise SoslokalError("population must be a DataFrame or Series of counts per cell.")
    lacking = [c for c in [*by, value] if c not in population.columns]
    if lacking:
        raise SoslokalError(
            f"The population table lacks column(s) {lacking}. Fix: give one row per cell with "
            f"columns {by} and {value!r} (e.g. population_cells(...)).")
    keys = population[by].astype("string")
    values = pd.to_numeric(population[value], errors="coerce")
    if values.isna().any() or (values < 0).any() or keys.isna().any().any():
        raise SoslokalError(f"The population table has missing keys or counts in {value!r}. "
                            "Fix: give every cell its keys and a count ≥ 0.")
    table = keys.assign(**{value: values.to_numpy(dtype=np.float64)})
    return table.groupby(by, sort=True)[value].sum().reset_index()


# --------------------------------------------------------------------------- weights in a Survey


def with_weights(survey: Survey, weights: pd.Series, *, name: str = "weight") -> Survey:
    """A new :class:`Survey` whose responses carry ``weights`` in column ``name``.

    ``weights`` is indexed by respondent id and must cover every respondent. The input survey
    is not modified; ``meta["weights"]`` records the total and Kish deff.
    """
    frame = _frame(survey)
    w = _align(weights, frame, "weights")
    responses = frame.assign(**{name: w})
    deff, n_eff = kish(w)
    meta = {**survey.meta, "weights": {"column": name, "total": float(w.sum()),
                                        "deff": float(deff), "n_eff": float(n_eff)}}
    meta["changes"] = list(survey.meta.get("changes", []))
    return Survey(responses, survey.comments, meta, dont_know=survey.dont_know)


def compare_summaries(
    unweighted: pd.DataFrame,
    weighted: pd.DataFrame,
    *,
    area: str | None = "total",
    theme: str | None = None,
    by: str = "area_id",
    stat: str = "mean",
) -> pd.DataFrame:
    """Unweighted and weighted ``stat`` side by side.

    With ``theme`` given: one row per group of ``by`` (the total included) for that theme;
    otherwise one row per theme for ``area`` (default: the whole-survey row). Both tables come
    from ``summarise`` (suppressed cells stay NaN). Columns: ``n``, ``unweighted``,
    ``weighted``, ``difference`` (weighted − unweighted), ``n_eff`` (Kish, weighted table).
    """
    keys = []
    for name, table in (("unweighted", unweighted), ("weighted", weighted)):
        lacking = [c for c in (by, "theme", stat, "n") if c not in table.columns]
        if lacking:
            raise SoslokalError(f"The {name} summary lacks column(s) {lacking}. Fix: pass tables "
                                f"from summarise(survey, by={by!r}).")
        groups, themes = table[by].astype("string"), table["theme"].astype("string")
        pick = (themes == str(theme)) if theme is not None else (groups == str(area))
        if not pick.any():
            what, column = (theme, themes) if theme is not None else (area, groups)
            raise SoslokalError(f"No rows for {what!r} in the {name} summary. Fix: use one of "
                                f"{list(pd.unique(column))[:14]}.")
        index = groups[pick] if theme is not None else themes[pick]
        keys.append(table[pick].set_axis(pd.Index(index, name=by if theme else "theme")))
    u, w = keys
    n_eff = w["n_eff"] if "n_eff" in w.columns else pd.Series(np.nan, index=w.index)
    out = pd.DataFrame({
        "n": u["n"],
        "unweighted": pd.to_numeric(u[stat], errors="coerce").astype("float64"),
        "weighted": pd.to_numeric(w[stat], errors="coerce").reindex(u.index).astype("float64"),
        "n_eff": pd.to_numeric(n_eff, errors="coerce").reindex(u.index).astype("float64"),
    })
    out.insert(3, "difference", out["weighted"] - out["unweighted"])
    out.attrs = {"area": area, "theme": theme, "stat": stat}
    return out


# --------------------------------------------------------------------------- helpers


def _frame(df: pd.DataFrame | Survey) -> pd.DataFrame:
    if isinstance(df, Survey):
        return df.responses
    if isinstance(df, pd.DataFrame):
        return df
    raise SoslokalError(f"Expected a Survey or DataFrame of responses, not {type(df).__name__}.")


def _align(weights: pd.Series | np.ndarray, frame: pd.DataFrame, what: str) -> np.ndarray:
    if isinstance(weights, pd.Series):
        if not weights.index.equals(frame.index):
            idx = weights.index.astype("string")
            lacking = frame.index[~frame.index.astype("string").isin(idx)]
            if len(lacking) or not idx.is_unique:
                raise SoslokalError(
                    f"The {what} do not match the respondents ({len(lacking)} respondents have "
                    f"none, e.g. {list(lacking[:3])}). Fix: index them by respondent_id, one "
                    "per respondent (as rake() returns them).")
            weights = pd.Series(weights.to_numpy(), index=idx).reindex(
                frame.index.astype("string"))
        values = pd.to_numeric(weights, errors="coerce").to_numpy(dtype=np.float64,
                                                                   na_value=np.nan)
    else:
        values = np.asarray(weights, dtype=np.float64)
        if values.shape != (len(frame),):
            raise SoslokalError(f"The {what} have {values.size} values for {len(frame)} "
                                "respondents. Fix: give one per respondent.")
    if not np.isfinite(values).all() or (values < 0).any() or not (values > 0).any():
        raise SoslokalError(f"The {what} must be finite numbers ≥ 0, some positive. "
                            "Fix: check them for NaN, negatives or all zeros.")
    return values


def _base(frame: pd.DataFrame, base_weight: str | pd.Series | np.ndarray | None) -> np.ndarray:
    if base_weight is None:
        return np.ones(len(frame))
    if isinstance(base_weight, str):
        if base_weight not in frame.columns:
            raise SoslokalError(f"No base weight column {base_weight!r} in the responses. "
                                "Fix: pass a column name, a Series or an array.")
        base_weight = frame[base_weight]
    base = _align(base_weight, frame, "base weights")
    if (base <= 0).any():
        raise SoslokalError("Base weights must be > 0 (a zero base weight can never be raked "
                            "up). Fix: drop those respondents first.")
    return base


def _check_iter(max_iter: int, tol: float) -> None:
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise SoslokalError(f"max_iter must be a whole number ≥ 1, not {max_iter!r}.")
    if not (isinstance(tol, (int, float)) and 0 < tol < 1):
        raise SoslokalError(f"tol must be a small positive number (e.g. 1e-8), not {tol!r}.")


def _check_trim(trim: tuple[float | None, float | None] | None) -> tuple[float, float] | None:
    if trim is None:
        return None
    try:
        low, high = trim
        low = 0.0 if low is None else float(low)
        high = np.inf if high is None else float(high)
    except (TypeError, ValueError):
        raise SoslokalError(f"trim must be (low, high) multiples of the mean weight, not "
                            f"{trim!r}. Fix: e.g. trim=(0.3, 3.0).") from None
    if not (0 <= low < 1 < high):
        raise SoslokalError(f"trim=({low:g}, {high:g}) must satisfy 0 ≤ low < 1 < high (multiples "
                            "of the mean weight). Fix: e.g. trim=(0.3, 3.0).")
    return low, high


def _prepare(frame: pd.DataFrame, margins: Mapping[str, Mapping[str, float] | pd.Series],
             missing: str) -> list[_Margin]:
    if missing not in MISSING_RULES:
        raise SoslokalError(f"missing={missing!r} is not one of {MISSING_RULES}.")
    if not isinstance(margins, Mapping):
        raise SoslokalError("margins must be a mapping {variable: {level: population count}}.")
    prepared = []
    for var, spec in margins.items():
        if var not in frame.columns:
            raise SoslokalError(
                f"Margin variable {var!r} is not a column of the responses (they have "
                f"{[c for c in frame.columns][:8]} …). Fix: rename the margin or the column.")
        targets = pd.Series(spec, dtype="object") if not isinstance(spec, pd.Series) else spec
        targets = pd.to_numeric(targets, errors="coerce")
        targets.index = targets.index.astype("string")
        if targets.isna().any() or not np.isfinite(targets.to_numpy(dtype=float)).all() or (
                targets < 0).any() or targets.index.has_duplicates:
            raise SoslokalError(
                f"Margin {var!r}: targets must be finite counts ≥ 0, one per level. "
                f"Fix: check levels {list(targets.index[targets.isna()][:3])}.")
        values = frame[var].astype("string")
        present = values.dropna()
        extra = present[~present.isin(targets.index)]
        if len(extra):
            counts = extra.value_counts()
            raise SoslokalError(
                f"Margin {var!r}: respondents have level(s) {list(counts.index[:5])} "
                f"({int(counts.sum())} respondents) that the population margin lacks (it has "
                f"{list(targets.index[:6])}). Fix: add them to the margin, or recode/collapse "
                "the respondents' categories to the population's.")
        n = present.value_counts().reindex(targets.index, fill_value=0).to_numpy()
        tgt = targets.to_numpy(dtype=np.float64)
        no_resp = (n == 0) & (tgt > 0)
        if no_resp.any():
            raise SoslokalError(
                f"Margin {var!r}: no respondents in level(s) {list(targets.index[no_resp][:5])} "
                f"(population {tgt[no_resp][:5].round().tolist()}), so no weight can stand for "
                "them. Fix: collapse those levels with a neighbouring one (e.g. collapse age "
                "groups, or join a small area with its neighbour).")
        no_pop = (n > 0) & (tgt == 0)
        if no_pop.any():
            raise SoslokalError(
                f"Margin {var!r}: level(s) {list(targets.index[no_pop][:5])} have respondents "
                "but a population of 0. Fix: check the population table or recode those "
                "respondents.")
        keep = tgt > 0
        levels = list(targets.index[keep])
        codes = pd.Categorical(values, categories=levels).codes.astype(np.int64)
        n_missing = int((codes < 0).sum())
        if n_missing and missing == "error":
            first = list(frame.index[codes < 0][:3])
            raise SoslokalError(
                f"Margin {var!r}: {n_missing} respondents have no value (e.g. {first}). "
                f"Fix: pass missing='ignore_margin' to rake them on the other margins only and "
                f"match {var!r} among those who answered it, or drop them first.")
        if n_missing == len(codes):
            raise SoslokalError(f"Margin {var!r}: no respondent has a value. Fix: drop the margin.")
        prepared.append(_Margin(var, levels, codes, tgt[keep], n[keep]))
    if prepared:
        totals = np.array([m.targets.sum() for m in prepared])
        if np.ptp(totals) > 1e-6 * totals.max():
            shown = ", ".join(f"{m.variable} {t:,.0f}" for m, t in zip(prepared, totals,
                                                                         strict=True))
            raise SoslokalError(
                f"The margins have different totals ({shown}), so no weights can meet them all. "
                "Fix: take every margin from the same population table (population_margins), "
                "or rescale them to one total.")
    return prepared
