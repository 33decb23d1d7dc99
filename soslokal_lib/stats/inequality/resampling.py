"""Seeded bootstrap confidence intervals for the inequality measures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number
from soslokal_lib.stats.inequality import kernels as K
from soslokal_lib.stats.inequality import wording as W
from soslokal_lib.stats.inequality.cardinal import atkinson, cv, gini, mld, p90_p10, s80_s20, theil
from soslokal_lib.stats.inequality.common import Prepared, check_confidence, fail, prepare
from soslokal_lib.stats.inequality.concentration import concentration_index, slope_index
from soslokal_lib.stats.inequality.within import within

_FUNCS: dict[str, Callable] = {f.__name__: f for f in (
    gini, theil, mld, atkinson, cv, s80_s20, p90_p10, concentration_index, slope_index)}
_GRADIENT = {"concentration_index", "slope_index"}
_DECOMPOSED = {"theil", "mld"}
_SHARES = {"between_share", "within_share"}
#: Elements (draws × n) per chunk of the index matrix: bounds memory, not results.
_CHUNK = 1_000_000
#: Smallest possible value of the measures (and components) the interval is clipped to.
_FLOOR = {"gini": 0.0, "theil": 0.0, "mld": 0.0, "atkinson": 0.0, "cv": 0.0, "s80_s20": 1.0,
          "p90_p10": 1.0}


@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """Bootstrap interval of one measure (``component``) with its replicates.

    ``method`` is ``"percentile"`` or ``"noise-corrected basic"`` (``resample="within"``,
    see :func:`bootstrap`). ``statistic`` is the estimate the interval belongs to: with the
    noise correction, the measure of the deflated area means; ``uncorrected`` is then the
    measure of the raw area means and ``deflation`` the factor f (1 = no noise to remove,
    0 = the spread of the means is no larger than sampling noise alone would make it).
    ``replicates`` are those the interval is built from. ``n_invalid`` counts replicates where
    the measure is undefined (e.g. a draw with only zeros); the interval uses the others.
    """

    statistic: float
    ci_low: float
    ci_high: float
    replicates: np.ndarray = field(repr=False)
    se: float
    confidence: float
    n_boot: int
    n_invalid: int
    measure: str
    component: str
    resample: str
    method: str = "percentile"
    uncorrected: float | None = None
    deflation: float | None = None

    def __float__(self) -> float:
        return float(self.statistic)

    def to_frame(self) -> pd.DataFrame:
        """One row of the fields without ``replicates``: ``measure``, ``component``,
        ``statistic``, ``ci_low``, ``ci_high``, ``se``, …, ``deflation``."""
        frame = W.one_row(self, skip=("replicates",))
        first = ["measure", "component", "statistic", "ci_low", "ci_high"]
        return frame[first + [c for c in frame.columns if c not in first]]

    def text(self, lang: str = "nb") -> str:
        """«Gini = 0,077 (95 % bootstrap-KI 0,064 til 0,090; persentilmetoden, 999 trekk,
        områder trukket på nytt)»; shares as percentages, the uncorrected value with the noise
        correction."""
        key, w = W.words(lang)
        share = self.component.endswith("_share")
        if share:
            value = W.pct(self.statistic, key, 1)
            ci = f"{W.pct(self.ci_low, key, 1)} {w['to']} {W.pct(self.ci_high, key, 1)}"
        else:
            value = W.num(self.statistic, key)
            ci = W.interval(self.ci_low, self.ci_high, key)
        how = [w["noise" if self.method != "percentile" else "percentile"],
               w["draws"].format(n=format_number(self.n_boot, key)),
               w["resample"].get(self.resample, self.resample)]
        if self.n_invalid:
            how.append(w["invalid"].format(k=format_number(self.n_invalid, key)))
        if self.uncorrected is not None:
            raw = (W.pct(self.uncorrected, key, 1) if share
                   else W.num(self.uncorrected, key))
            how.append(w["uncorrected"].format(v=raw))
        level = w["boot_ci"].format(level=W.level(self.confidence, key))
        return (f"{W.measure_name(self.measure, key, self.component)} = {value} "
                f"({level} {ci}; {', '.join(how)})")


def bootstrap(
    measure: Callable | str, x: object, weights: object = None, *, groups: object = None,
    rank_by: object = None, n_boot: int = 999, confidence: float = 0.95,
    seed: int | np.random.Generator | None = None, cluster: object = None,
    resample: str | None = None, area_weights: object = None, component: str = "statistic",
    correct_noise: bool = True, dropna: bool = False, **options: object,
) -> BootstrapResult:
    """Bootstrap interval of ``measure`` (a function of this module, its name, or any
    callable ``measure(x, weights=…, **options)`` returning a result or a number).

    ``resample="areas"`` (default without ``cluster``): draw n areas with replacement (with
    their weights, ``groups`` and ``rank_by``) ``n_boot`` times; percentile interval. This
    treats the areas as a random sample from a larger population of similar areas. For a
    fixed, complete set of areas (every grunnkrets of a kommune, register data) the measure
    has no sampling error at all: the interval then shows how much the figure depends on which
    areas happen to be included, not an uncertainty about the kommune's own value; it ignores
    noise within areas.

    ``resample="within"`` (default with ``cluster``): ``x`` holds respondents and ``cluster``
    their area; each draw resamples respondents within every area (same size), recomputes the
    (``weights``-weighted) area means and applies the measure to them with fixed area weights:
    ``area_weights`` (mapping/Series by cluster label, e.g. population) or, when None, the sum
    of respondent weights per area. ``groups``/``rank_by`` are then per respondent, constant
    within areas. Sampling noise inflates the spread of estimated area means, so the measure of
    the raw means overstates inequality between the true means; with ``correct_noise=True``
    (default) the means are deflated by the expected noise, draws are rescaled (Rao–Wu) and
    the interval is the basic (pivotal) one around the corrected estimate
    (``soslokal_lib.stats.inequality.within`` has the formulas). Measured coverage of nominal 95 %
    intervals for 10 area means of 1–7 scores (1 500 simulated surveys,
    ``benchmarks/inequality_coverage.py``), corrected vs uncorrected (percentile): Gini (true
    0.066) 0.95 vs 0.77 at 20 respondents per area, 0.94 vs 0.92 at 80; Theil 0.95 vs 0.67 and
    0.95 vs 0.87; CV 0.97 vs 0.68 and 0.94 vs 0.88. The corrected Gini is slightly low (0.063
    at 20 per area, 0.065 at 80; uncorrected 0.074 and 0.068). ``correct_noise=False`` gives
    the uncorrected percentile interval of the raw means.

    Randomness: ``numpy.random.default_rng(seed)``; the same seed gives the same replicates.
    The index matrix (draws × n) is drawn at once (in chunks for large n); gini, theil, mld,
    atkinson, cv, s80_s20 and p90_p10 are computed for all draws with numpy; other measures
    loop over draws. Quantiles: numpy's default linear interpolation of the valid replicates;
    intervals of the named measures are clipped at their smallest possible value.
    ``component`` picks a field of the result, e.g. ``"between_share"`` of a Theil
    decomposition.
    """
    func, name = _resolve(measure)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 2:
        fail("bootstrap", f"n_boot must be an integer >= 2, not {n_boot!r}", column="n_boot",
             fix="use e.g. n_boot=999")
    check_confidence("bootstrap", confidence)
    if resample is None:
        resample = "within" if cluster is not None else "areas"
    if resample not in ("areas", "within"):
        fail("bootstrap", f"unknown resample {resample!r}", column="resample",
             fix='use "areas" or "within"')
    if (resample == "within") != (cluster is not None):
        fail("bootstrap", 'resample="within" goes with a cluster array (the area of each '
             "respondent)", column="cluster",
             fix='pass cluster=… with resample="within", or resample="areas" without it')
    if name in _GRADIENT and rank_by is None:
        fail("bootstrap", f"{name} needs rank_by", column="rank_by",
             fix="pass rank_by=… (one value per observation)")
    if groups is not None and func is _FUNCS.get(name) and name not in _DECOMPOSED:
        fail("bootstrap", f"{name} has no groups decomposition", column="groups",
             fix="drop groups, or use theil or mld")
    if rank_by is not None and func is _FUNCS.get(name) and name not in _GRADIENT:
        fail("bootstrap", f"{name} does not take rank_by", column="rank_by",
             fix="drop rank_by, or use concentration_index or slope_index")
    numeric = {} if rank_by is None else {"rank_by": rank_by}
    labels = {} if groups is None else {"groups": groups}
    if resample == "within":
        labels["cluster"] = cluster
    d = prepare("bootstrap", x, weights, dropna=dropna, numeric=numeric, labels=labels)
    rng = np.random.default_rng(seed)
    correct = resample == "within" and bool(correct_noise)
    f_obs = 1.0
    if resample == "areas":
        draws = _area_draws(d, n_boot, rng)
        data = d
    else:
        data, f_obs, draws = within(d, area_weights, n_boot, rng, _chunks(n_boot, d.n),
                                    correct)
    raw = float(_component(_call(func, name, data.x, data.w, data, options), component, name))
    statistic = raw
    if correct:
        mu = np.average(data.x, weights=data.w)
        deflated = mu + f_obs * (data.x - mu)
        statistic = float(_component(_call(func, name, deflated, data.w, data, options),
                                     component, name))
    vectorised = func is _FUNCS.get(name) and _kernel_ok(name, component, groups, options)
    parts = []
    for xb, wb, codes, rank in draws:
        if vectorised:
            parts.append(_vector(name, xb, wb, codes, data, options, component))
        else:
            parts.append(np.array([
                _one(func, name, xb[i], wb[i], None if codes is None else codes[i],
                     None if rank is None else rank[i], data, options, component)
                for i in range(xb.shape[0])]))
    reps = np.concatenate(parts).astype(float)
    reps.setflags(write=False)
    valid = reps[np.isfinite(reps)]
    if valid.size < 2:
        fail("bootstrap", f"the measure is undefined in {reps.size - valid.size} of "
             f"{reps.size} replicates", column="x",
             fix="check the data (e.g. too many zeros for this measure) or use another measure")
    alpha = 1.0 - confidence
    low, high = np.quantile(valid, [alpha / 2, 1 - alpha / 2])
    if correct:  # basic interval: θ̃* − θ(m) mimics θ̃ − θ
        low, high = statistic - (high - raw), statistic - (low - raw)
    low, high = _clip(name, component, low, high, func is _FUNCS.get(name))
    return BootstrapResult(
        statistic=statistic, ci_low=float(low), ci_high=float(high), replicates=reps,
        se=float(valid.std(ddof=1)), confidence=confidence, n_boot=int(n_boot),
        n_invalid=int(reps.size - valid.size), measure=name, component=component,
        resample=resample, method="noise-corrected basic" if correct else "percentile",
        uncorrected=raw if correct else None, deflation=f_obs if correct else None,
    )


def _clip(name: str, component: str, low: float, high: float, known: bool
          ) -> tuple[float, float]:
    if not known:
        return low, high
    if component in _SHARES:
        return float(np.clip(low, 0.0, 1.0)), float(np.clip(high, 0.0, 1.0))
    if name in _FLOOR and component in ("statistic", "between", "within"):
        floor = _FLOOR[name] if component == "statistic" else 0.0
        return max(low, floor), max(high, floor)
    return low, high


def _resolve(measure: Callable | str) -> tuple[Callable, str]:
    if isinstance(measure, str):
        if measure not in _FUNCS:
            fail("bootstrap", f"unknown measure {measure!r}", column="measure",
                 fix=f"use one of {', '.join(_FUNCS)} or pass a function")
        return _FUNCS[measure], measure
    if not callable(measure):
        fail("bootstrap", f"measure must be a function or a name, not {measure!r}",
             column="measure", fix="pass e.g. inequality.gini or 'gini'")
    return measure, getattr(measure, "__name__", "measure")


def _kernel_ok(name: str, component: str, groups: object, options: dict) -> bool:
    allowed = {"gini": {"finite_sample"}, "atkinson": {"epsilon"}}.get(name, set())
    if name not in {"gini", "theil", "mld", "atkinson", "cv", "s80_s20", "p90_p10"}:
        return False
    if set(options) - allowed or (name == "atkinson" and "epsilon" not in options):
        return False
    if component == "statistic":
        return True
    return name in _DECOMPOSED and groups is not None and component in (
        {"between", "within"} | _SHARES)


def _vector(name, xb, wb, codes, data: Prepared, options: dict, component: str) -> np.ndarray:
    if name in _DECOMPOSED and codes is not None:
        parts = K.decompose(name, xb, wb, codes, len(data.labels["groups"]))
        with np.errstate(divide="ignore", invalid="ignore"):
            if component in _SHARES:
                key = component.removesuffix("_share")
                return np.where(parts["statistic"] > 0, parts[key] / parts["statistic"], np.nan)
        return parts[component]
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "gini":
            return K.gini(xb, wb, bool(options.get("finite_sample", False)))
        if name == "atkinson":
            return K.atkinson(xb, wb, float(options["epsilon"]))
        return getattr(K, name)(xb, wb)


def _call(func, name, x, w, data: Prepared, options: dict, codes=None, rank=None):
    kwargs = dict(options)
    if "groups" in data.labels:
        kwargs["groups"] = data.labels["groups"][data.codes["groups"] if codes is None
                                                 else codes]
    if name in _GRADIENT or "rank_by" in data.numeric:
        return func(x, data.numeric["rank_by"] if rank is None else rank, weights=w, **kwargs)
    return func(x, weights=w, **kwargs)


def _one(func, name, x, w, codes, rank, data: Prepared, options, component) -> float:
    try:
        return float(_component(_call(func, name, x, w, data, options, codes, rank),
                                component, name))
    except SoslokalError:
        return np.nan


def _component(result: object, component: str, name: str) -> float:
    if isinstance(result, (int, float, np.number)):
        if component != "statistic":
            fail("bootstrap", f"{name} returns a number, which has no {component!r}",
                 column="component", fix='use component="statistic"')
        return float(result)
    if not hasattr(result, component):
        fail("bootstrap", f"the result of {name} has no field {component!r}",
             column="component", fix='use component="statistic" or a field of the result')
    value = getattr(result, component)
    return np.nan if value is None else float(value)


# --- drawing -------------------------------------------------------------------------------


def _chunks(n_boot: int, n: int) -> list[int]:
    rows = max(1, min(n_boot, _CHUNK // max(n, 1)))
    return [min(rows, n_boot - start) for start in range(0, n_boot, rows)]


def _area_draws(d: Prepared, n_boot: int, rng: np.random.Generator):
    """Yield (x, w, group codes, rank_by) matrices (draws × n) of resampled areas."""
    codes = d.codes.get("groups")
    rank = d.numeric.get("rank_by")
    for rows in _chunks(n_boot, d.n):
        idx = rng.integers(0, d.n, size=(rows, d.n))
        yield (d.x[idx], d.w[idx], None if codes is None else codes[idx],
               None if rank is None else rank[idx])
