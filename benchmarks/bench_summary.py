"""Benchmark: ``summarise`` on a national-scale synthetic survey against a bare groupby median.

Generates (seeded) respondents × 14 themes (``Int8``, about 5 % missing) spread over areas with
8-digit grunnkrets-like codes, builds a :class:`Survey` once (untimed), then times
``summarise(survey)`` and ``responses.groupby("area_id")[themes].median()`` (best of 3 each)
and prints both and their ratio. Goal: ratio ≤ 2.0.

    .venv/bin/python benchmarks/bench_summary.py --respondents 1000000 --areas 15000
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from soslokal_lib import Survey, summarise
from soslokal_lib.themes import THEME_CODES


def make_survey(respondents: int, areas: int, seed: int = 20240601) -> Survey:
    """A synthetic survey: skewed area sizes, area-level score shifts, ~5 % missing scores."""
    rng = np.random.default_rng(seed)
    codes = np.array([f"{3001 + i // 10000:04d}{i % 10000:04d}" for i in range(areas)],
                     dtype=object)
    size = rng.lognormal(0.0, 1.0, areas)
    area = rng.choice(areas, size=respondents, p=size / size.sum())
    shift = rng.normal(0.0, 0.8, areas)
    data: dict[str, object] = {"area_id": pd.array(codes[area], dtype="string")}
    for theme in THEME_CODES:
        latent = 4.5 + shift[area] + rng.normal(0.0, 1.5, respondents)
        scores = np.clip(np.rint(latent), 1, 7).astype(np.int8)
        missing = rng.random(respondents) < 0.05
        data[theme] = pd.arrays.IntegerArray(scores, missing)
    responses = pd.DataFrame(data, index=pd.Index(
        pd.array(np.arange(respondents).astype(str), dtype="string"), name="respondent_id"))
    return Survey(responses)


def best_of(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--areas", type=int, default=15_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    survey = make_survey(args.respondents, args.areas)
    built = time.perf_counter() - start
    responses = survey.responses
    themes = survey.themes
    print(f"survey: {len(responses):,} respondents, {responses['area_id'].nunique():,} areas, "
          f"{len(themes)} themes (built in {built:.2f} s, untimed)")

    t_summary = best_of(lambda: summarise(survey), args.repeat)
    t_median = best_of(lambda: responses.groupby("area_id")[themes].median(), args.repeat)
    weights = pd.Series(np.random.default_rng(1).uniform(0.5, 2.0, len(responses)),
                        index=responses.index)
    t_weighted = best_of(lambda: summarise(survey, weight=weights), args.repeat)
    table = summarise(survey)
    print(f"summarise(survey):                      {t_summary:7.3f} s  ({len(table):,} rows)")
    print(f"groupby('area_id')[themes].median():    {t_median:7.3f} s")
    print(f"summarise(survey, weight=...):          {t_weighted:7.3f} s  (for information)")
    print(f"ratio summarise / groupby median:        {t_summary / t_median:7.2f}  (goal ≤ 2.0)")


if __name__ == "__main__":
    main()
