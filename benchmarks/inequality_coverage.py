"""Coverage of bootstrap intervals for between-area inequality of survey means (slow-ish).

A fixed kommune of ``areas`` areas (populations 500 … 3 000) whose residents answer 1–7
(a latent normal, SD 1.6, with area shifts spread evenly over ±``shift``, cut at 1.5 … 6.5);
the true area means follow exactly from these distributions. Each run draws ``respondents``
answers per area, computes ``inequality.bootstrap(measure, …, cluster=area,
area_weights=population)`` with and without ``correct_noise`` and records whether the 95 %
interval holds the measure of the true means. Prints the coverage (nominal 0.95), the mean
estimate and the true value.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/inequality_coverage.py --respondents 20
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy import stats

from soslokal_lib import inequality


def truth(areas: int, shift: float) -> tuple[np.ndarray, np.ndarray]:
    """Score probabilities per area (areas × 7) and the area populations."""
    cuts = np.arange(1.5, 7.0)
    centre = 4.4 + np.linspace(-shift, shift, areas)
    cdf = stats.norm.cdf((cuts[None] - centre[:, None]) / 1.6)
    probs = np.diff(np.column_stack([np.zeros(areas), cdf, np.ones(areas)]), axis=1)
    return probs, np.linspace(500, 3000, areas)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=10)
    parser.add_argument("--respondents", type=int, nargs="+", default=[20, 80])
    parser.add_argument("--shift", type=float, default=1.05)
    parser.add_argument("--runs", type=int, default=1500)
    parser.add_argument("--n-boot", type=int, default=499)
    parser.add_argument("--measures", nargs="+", default=["gini", "theil", "cv"])
    parser.add_argument("--seed", type=int, default=20240613)
    args = parser.parse_args()
    probs, population = truth(args.areas, args.shift)
    weights = dict(enumerate(population))
    true_means = probs @ np.arange(1, 8)
    for m in args.respondents:
        rng = np.random.default_rng(args.seed)
        area = np.repeat(np.arange(args.areas), m)
        cum = probs.cumsum(axis=1)[area]
        for name in args.measures:
            target = getattr(inequality, name)(true_means, population).statistic
            hit = {True: [], False: []}
            est = {True: [], False: []}
            for run in range(args.runs):
                u = rng.random(area.size)
                score = 1.0 + (u[:, None] > cum).sum(axis=1)
                for correct in (False, True):
                    res = inequality.bootstrap(name, score, cluster=area, area_weights=weights,
                                               n_boot=args.n_boot, seed=run,
                                               correct_noise=correct)
                    hit[correct].append(res.ci_low <= target <= res.ci_high)
                    est[correct].append(res.statistic)
            se = np.sqrt(0.95 * 0.05 / args.runs)
            print(f"{name:6s} {m:3d} respondents/area, true {target:.4f}: "
                  f"uncorrected (percentile) coverage {np.mean(hit[False]):.3f}, mean "
                  f"{np.mean(est[False]):.4f}; corrected coverage {np.mean(hit[True]):.3f}, "
                  f"mean {np.mean(est[True]):.4f} (± {1.96 * se:.3f} for a 0.95 interval)")


if __name__ == "__main__":
    main()
