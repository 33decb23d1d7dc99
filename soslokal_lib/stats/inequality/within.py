"""Resampling respondents within areas, and the correction for sampling noise in area means.

Area means estimated from a sample of respondents are noisier than the true means, and noise
spreads them out: any inequality measure of the estimated means is biased upwards, and a plain
percentile bootstrap (which adds the same noise once more) centres its interval above the
estimate. With ``correct=True``:

* **Deflation**: the estimated means m_a are pulled towards their (area-weighted) mean μ by one
  factor, m̃_a = μ + f·(m_a − μ), f = √max(0, 1 − N/V), where V = Σ p_a (m_a − μ)² is their
  spread (p_a = area weight share) and N = Σ p_a (1 − p_a) v_a its expected part due to
  sampling noise, v_a = n_a/(n_a − 1) · Σ w_i² (x_i − m_a)² / (Σ w_i)² the sampling variance of
  the (respondent-weighted) mean; V − N estimates the spread of the true means. The measure of
  m̃ estimates the measure of the true means (exactly so for CV² in expectation; Gini and CV
  scale by f).
* **Rescaled draws** (Rao–Wu): a resampled area mean m*_a is replaced by
  m_a + √(n_a/(n_a − 1)) · (m*_a − m_a), so its variance is v_a rather than (n_a − 1)/n_a · v_a.
* **Basic (pivotal) interval**: each replicate is deflated the same way; in the bootstrap world
  the true means are the observed m, so θ̃* − θ(m) mimics θ̃ − θ and the interval is
  [θ̃ − (q_high − θ(m)), θ̃ − (q_low − θ(m))].

An area with one respondent has no estimate of its noise (v_a = 0) and is not resampled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from soslokal_lib.stats.inequality import kernels as K
from soslokal_lib.stats.inequality.common import Prepared, as_float, fail


def per_area(name: str, values: np.ndarray, area: np.ndarray, n_areas: int) -> np.ndarray:
    out = np.empty(n_areas, dtype=values.dtype)
    out[area] = values
    if not (out[area] == values).all():
        fail("bootstrap", f"{name} must be constant within each cluster", column=name,
             fix=f"give every respondent of an area that area's {name} value")
    return out


def _area_weights(area_weights: object, labels: pd.Index, resp_w: np.ndarray) -> np.ndarray:
    if area_weights is None:
        return resp_w
    series = area_weights if isinstance(area_weights, pd.Series) else pd.Series(
        dict(area_weights))  # type: ignore[call-overload]
    aw = as_float(series.reindex(labels), "area_weights", "bootstrap")
    bad = ~(aw > 0)
    if bad.any():
        first = labels[np.flatnonzero(bad)[0]]
        fail("bootstrap", f"area_weights lacks a positive weight for {int(bad.sum())} "
             f"areas, e.g. {first!r}", column="area_weights", value=first,
             fix="give every cluster a positive weight (population), keyed by its label")
    return aw


def _noise(w: np.ndarray, x: np.ndarray, means: np.ndarray, slot_area: np.ndarray,
           n_areas: int, factor: np.ndarray) -> np.ndarray:
    """Sampling variance of each (weighted) area mean, rows = data sets."""
    wsum = K.group_sums(w, slot_area, n_areas)
    dev2 = K.group_sums(w**2 * (x - means[:, slot_area]) ** 2, slot_area, n_areas)
    return factor * dev2 / wsum**2


def deflation(means: np.ndarray, noise: np.ndarray, aw: np.ndarray) -> np.ndarray:
    """The factor f of every row of ``means`` (rows = data sets, columns = areas)."""
    p = aw / aw.sum()
    mu = (means * p).sum(axis=1, keepdims=True)
    spread = ((means - mu) ** 2 * p).sum(axis=1)
    expected = (noise * p * (1.0 - p)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.sqrt(np.clip(1.0 - expected / spread, 0.0, None))
    return np.where(spread > 0, f, 1.0)


def deflate(means: np.ndarray, f: np.ndarray, aw: np.ndarray) -> np.ndarray:
    p = aw / aw.sum()
    mu = (means * p).sum(axis=1, keepdims=True)
    return mu + f[:, None] * (means - mu)


def within(d: Prepared, area_weights: object, n_boot: int, rng: np.random.Generator,
           chunks: list[int], correct: bool):
    """Area data (observed means), the observed deflation factor (1.0 without ``correct``)
    and a generator of (x, w, group codes, rank_by) matrices of resampled area means."""
    area, labels = d.codes["cluster"], d.labels["cluster"]
    n_areas = labels.size
    resp_w = np.bincount(area, weights=d.w, minlength=n_areas)
    means = np.bincount(area, weights=d.w * d.x, minlength=n_areas) / resp_w
    aw = _area_weights(area_weights, labels, resp_w)
    area_data = Prepared(x=means, w=aw, weighted=True)
    if "groups" in d.codes:
        area_data.codes["groups"] = per_area("groups", d.codes["groups"], area, n_areas)
        area_data.labels["groups"] = d.labels["groups"]
    if "rank_by" in d.numeric:
        area_data.numeric["rank_by"] = per_area("rank_by", d.numeric["rank_by"], area, n_areas)
    order = np.argsort(area, kind="stable")
    slot_area = area[order]
    size = np.bincount(area, minlength=n_areas)
    start = np.cumsum(size) - size
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(size > 1, size / (size - 1.0), 0.0)  # n/(n − 1); no noise if n = 1
    rescale = np.sqrt(np.where(size > 1, factor, 1.0))
    f_obs = 1.0
    if correct:
        noise = _noise(d.w[order][None], d.x[order][None], means[None], slot_area, n_areas,
                       factor)
        f_obs = float(deflation(means[None], noise, aw)[0])

    def draws():
        codes = area_data.codes.get("groups")
        rank = area_data.numeric.get("rank_by")
        for rows in chunks:
            u = rng.random((rows, d.n))
            offset = np.minimum((u * size[slot_area]).astype(np.intp), size[slot_area] - 1)
            pick = order[start[slot_area] + offset]
            wb_resp, xb_resp = d.w[pick], d.x[pick]
            wsum = K.group_sums(wb_resp, slot_area, n_areas)
            xb = K.group_sums(wb_resp * xb_resp, slot_area, n_areas) / wsum
            if correct:
                noise = _noise(wb_resp, xb_resp, xb, slot_area, n_areas, factor) * rescale**2
                xb = means + rescale * (xb - means)
                xb = deflate(xb, deflation(xb, noise, aw), aw)
            wb = np.broadcast_to(aw, xb.shape)
            yield (xb, wb, None if codes is None else np.broadcast_to(codes, xb.shape),
                   None if rank is None else np.broadcast_to(rank, xb.shape))

    return area_data, f_obs, draws()
