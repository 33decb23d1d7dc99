"""Null rejection rate of the Moran's I and LISA significance tests (not a test; slow-ish).

Draws ``runs`` independent standard-normal fields (no spatial pattern) on ``areas`` squares of
a grid (queen contiguity), runs :func:`soslokal_lib.spatial.moran` and
:func:`~soslokal_lib.spatial.local_moran` with a different seed each run, and prints how often
the global sentence says «significant» (p < 0.05) and how often an area gets a LISA cluster
label. A test at the 5 % level should reject in about 5 % of the runs (the LISA rate is per
area, also about 5 %).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/moran_null.py --areas 11 --runs 400
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd


def grid(areas: int):
    """``areas`` 100 m squares filled row by row into a grid four squares wide."""
    import geopandas as gpd
    from shapely.geometry import box

    geoms = [box(100 * (i % 4), 100 * (i // 4), 100 * (i % 4) + 100, 100 * (i // 4) + 100)
             for i in range(areas)]
    return gpd.GeoDataFrame(geometry=geoms, index=pd.Index([f"a{i:02d}" for i in range(areas)],
                            name="area_id"), crs="EPSG:25833")


def main() -> None:
    from soslokal_lib import spatial

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=11)
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--seed", type=int, default=20240613)
    args = parser.parse_args()
    gdf = grid(args.areas)
    graph = spatial.contiguity(gdf)
    rng = np.random.default_rng(args.seed)
    glob = np.empty(args.runs, dtype=bool)
    local = np.empty(args.runs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for run in range(args.runs):
            data = gdf.assign(y=rng.normal(size=args.areas))
            result = spatial.moran(data, "y", graph=graph, seed=run,
                                   permutations=args.permutations)
            glob[run] = result.p_value < 0.05
            lisa = spatial.local_moran(data, "y", graph=graph, seed=run,
                                       permutations=args.permutations)
            local[run] = (lisa["cluster"] != spatial.NOT_SIGNIFICANT).mean()
    se = np.sqrt(0.05 * 0.95 / args.runs)
    print(f"{args.areas} areas, {args.runs} null runs, {args.permutations} permutations")
    print(f"global Moran 'significant at 5 %': {glob.mean():.3f} (a 5 % test: 0.050 ± "
          f"{1.96 * se:.3f})")
    print(f"LISA areas labelled a cluster:     {local.mean():.3f}")


if __name__ == "__main__":
    main()
