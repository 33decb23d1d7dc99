"""Vectorised kernels of the inequality measures.

Every kernel takes 2-D arrays ``x`` and ``w`` of shape ``(draws, n)`` (one row per data set,
e.g. per bootstrap replicate; the point estimate is one row) and returns one value per row.
Inputs are already validated: finite, ``w > 0``. The formulas are documented in
:mod:`soslokal_lib.stats.inequality`.
"""

from __future__ import annotations

import numpy as np

#: Relative tolerance when a cumulative weight is compared with ``p·W`` (quantiles, Lorenz).
_TOL = 1e-10


def _sorted(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(x, axis=1, kind="stable")
    return np.take_along_axis(x, order, axis=1), np.take_along_axis(w, order, axis=1)


def wmean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return (w * x).sum(axis=1) / w.sum(axis=1)


def gini(x: np.ndarray, w: np.ndarray, finite_sample: bool = False) -> np.ndarray:
    """G = Σ_i w_i x_i (2C_i − w_i − W) / (W · Σ w x), x sorted, C_i cumulative weight."""
    xs, ws = _sorted(x, w)
    total_w = ws.sum(axis=1)
    cum = np.cumsum(ws, axis=1)
    wx = ws * xs
    g = (wx * (2.0 * cum - ws - total_w[:, None])).sum(axis=1) / (total_w * wx.sum(axis=1))
    if finite_sample:
        n_eff = total_w**2 / (ws**2).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            g = g * n_eff / (n_eff - 1.0)
    return g


def _xlogx_ratio(x: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """ln(x/ref) where x > 0, 0 where x == 0 (multiplied by x later: 0·ln 0 = 0)."""
    pos = x > 0
    return np.where(pos, np.log(np.where(pos, x, 1.0) / np.where(pos, ref, 1.0)), 0.0)


def theil(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """T = Σ (w_i x_i / Σwx) ln(x_i/μ)."""
    mu = wmean(x, w)[:, None]
    share = w * x / (w * x).sum(axis=1, keepdims=True)
    return (share * _xlogx_ratio(x, mu)).sum(axis=1)


def mld(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """L = Σ (w_i/W) ln(μ/x_i)."""
    mu = wmean(x, w)[:, None]
    return (w * np.log(mu / x)).sum(axis=1) / w.sum(axis=1)


def atkinson(x: np.ndarray, w: np.ndarray, epsilon: float) -> np.ndarray:
    """A_ε = 1 − [Σ (w_i/W)(x_i/μ)^(1−ε)]^(1/(1−ε)); A_1 = 1 − exp(Σ (w_i/W) ln x_i)/μ."""
    mu = wmean(x, w)[:, None]
    rel = x / mu
    p = w / w.sum(axis=1, keepdims=True)
    if epsilon == 1:
        return 1.0 - np.exp((p * np.log(rel)).sum(axis=1))
    return 1.0 - (p * rel ** (1.0 - epsilon)).sum(axis=1) ** (1.0 / (1.0 - epsilon))


def cv(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """σ_w/μ with σ_w² = Σ w_i (x_i − μ)² / W (population form)."""
    mu = wmean(x, w)
    var = (w * (x - mu[:, None]) ** 2).sum(axis=1) / w.sum(axis=1)
    return np.sqrt(var) / mu


def quantile(x: np.ndarray, w: np.ndarray, ps: tuple[float, ...]) -> list[np.ndarray]:
    """Inverse of the weighted ECDF at each p, averaging where F hits p exactly (type 2)."""
    xs, ws = _sorted(x, w)
    cum = np.cumsum(ws, axis=1)
    tol = _TOL * cum[:, -1]
    rows = np.arange(xs.shape[0])
    out = []
    for p in ps:
        target = p * cum[:, -1]
        idx = (cum < (target - tol)[:, None]).sum(axis=1)
        q = xs[rows, idx]
        exact = (np.abs(cum[rows, idx] - target) <= tol) & (idx + 1 < xs.shape[1])
        nxt = xs[rows, np.minimum(idx + 1, xs.shape[1] - 1)]
        out.append(np.where(exact, (q + nxt) / 2.0, q))
    return out


def lorenz(x: np.ndarray, w: np.ndarray, ps: tuple[float, ...]) -> list[np.ndarray]:
    """L(p): share of the total held by the poorest share ``p`` of the weight (population).

    Each observation's weight is spread evenly at its value, so the curve is linear between
    observations and an observation straddling ``p`` counts fractionally.
    """
    xs, ws = _sorted(x, w)
    cum = np.cumsum(ws, axis=1)
    wx = ws * xs
    cum_x = np.cumsum(wx, axis=1)
    rows = np.arange(xs.shape[0])
    out = []
    for p in ps:
        target = p * cum[:, -1]
        below = (cum < (target - _TOL * cum[:, -1])[:, None]).sum(axis=1)
        idx = np.minimum(below, xs.shape[1] - 1)
        before_w = cum[rows, idx] - ws[rows, idx]
        before_x = cum_x[rows, idx] - wx[rows, idx]
        out.append((before_x + (target - before_w) * xs[rows, idx]) / cum_x[:, -1])
    return out


def s80_s20(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(1 − L(0.8)) / L(0.2)."""
    low, high = lorenz(x, w, (0.2, 0.8))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (1.0 - high) / low


def p90_p10(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    p90, p10 = quantile(x, w, (0.9, 0.1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return p90 / p10


# --- decompositions by groups --------------------------------------------------------------


def group_sums(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    draws = values.shape[0]
    flat = codes + n_groups * np.arange(draws)[:, None]
    return np.bincount(flat.ravel(), weights=values.ravel(),
                       minlength=draws * n_groups).reshape(draws, n_groups)


def decompose(
    kind: str, x: np.ndarray, w: np.ndarray, codes: np.ndarray, n_groups: int
) -> dict[str, np.ndarray]:
    """Exact between/within decomposition of Theil T (``kind="theil"``) or MLD (``"mld"``).

    Returns per-row ``statistic``, ``between``, ``within`` and per-group ``(draws, groups)``
    arrays ``weight``, ``total`` (Σ w x), ``within_g`` (group's contribution to ``within``),
    ``between_g`` (its term of ``between``).
    """
    wx = w * x
    total_w = w.sum(axis=1, keepdims=True)
    total_x = wx.sum(axis=1, keepdims=True)
    mu = total_x / total_w
    weight_g = group_sums(w, codes, n_groups)
    total_g = group_sums(wx, codes, n_groups)
    present = weight_g > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_g = np.where(present, total_g / np.where(present, weight_g, 1.0), np.nan)
        mu_i = np.take_along_axis(mu_g, codes, axis=1)
    if kind == "theil":
        share_g = total_g / total_x
        pos = share_g > 0
        between_g = np.where(pos, share_g * np.log(np.where(pos, mu_g, 1.0) / mu), 0.0)
        contrib = wx / total_x * _xlogx_ratio(x, mu_i)
        statistic = (wx / total_x * _xlogx_ratio(x, mu)).sum(axis=1)
    else:
        pop_g = weight_g / total_w
        between_g = np.where(present, pop_g * np.log(mu / np.where(present, mu_g, 1.0)), 0.0)
        contrib = w / total_w * np.log(mu_i / x)
        statistic = (w * np.log(mu / x)).sum(axis=1) / total_w[:, 0]
    within_g = group_sums(contrib, codes, n_groups)
    return {
        "statistic": statistic, "between": between_g.sum(axis=1), "within": within_g.sum(axis=1),
        "weight": weight_g, "total": total_g, "within_g": within_g, "between_g": between_g,
    }
