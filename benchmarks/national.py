"""National benchmark: the soslokal pipeline on every grunnkrets in Norway (synthetic, seeded).

    .venv/bin/python benchmarks/national.py                       # ~14,500 areas, 1,000,000 svar
    .venv/bin/python benchmarks/national.py --areas 1500 --respondents 100000

Five child processes, so that each peak memory figure belongs to one job:

1. **generate** (untimed) writes, into ``--workdir`` (default: a temporary folder), ~14,500
   Voronoi cells in EPSG:25833 clipped to a Norway-sized envelope (seed points clustered
   around towns; about 0.3 % shrunk into islands without neighbours; 5 % uninhabited), grouped
   by k-means into ~357 kommuner in 15 fylker, codes ``KKKKDDGG`` (``areas.gpkg``); an SSB
   04362-shaped population table (area × sex × 5-year age → persons, ``population.parquet``);
   socioeconomic columns per inhabited area driven by a kommune + area deprivation factor
   (``socio.parquet``); respondents × 14 themes with age group and gender, response rates
   rising with age, at least one per inhabited area (``survey.parquet`` and ``survey.csv``).
2. **pipeline** times every stage with the library's public functions, from imports to the
   report tables; ``TOTAL`` is the sum of its stages and ``peak`` its ``ru_maxrss``.
3. **pipeline_csv** runs the same pipeline with the survey read by ``read_survey`` from the
   CSV export (labelled end points, «Vet ikke», blanks) instead of Parquet: the second headline
   (goal ≤ 15 s, ≤ 2 GiB). **csv** times ``read_survey`` alone on the CSV and on a
   100,000-row XLSX (own process and peak), each in turn with its bare baseline
   (``pd.read_csv``, ``pd.read_excel``), best of three, so that both see the same load.
4. **baselines** times what a user would otherwise write: bare pandas, PySAL/esda with their
   defaults, or a naive per-area loop (timed on every 20th area and multiplied by 20).

Goals (2-core machine): ``TOTAL`` ≤ 30 s, peak ≤ 4 GiB, ``summarise`` ≤ 2 × the bare
``groupby(...).median()``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

#: EPSG:25833 envelope of mainland Norway (metres).
ENVELOPE = (-80_000.0, 6_440_000.0, 1_120_000.0, 7_940_000.0)
#: Fylke codes (2024), roughly south to north.
FYLKER = ("42", "11", "39", "40", "31", "33", "03", "32", "46", "34", "15", "50", "18", "55",
          "56")
AGE_GROUPS = ("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
              "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89",
              "90+")
#: Share of the population per 5-year group (Norway, about 2024).
AGE_SHARES = np.array([5.3, 5.8, 6.2, 6.2, 6.3, 6.7, 7.0, 6.9, 6.6, 6.8, 6.9, 6.6, 5.9, 5.3,
                       4.9, 4.1, 2.5, 1.2, 0.6])
BANDS = ("15–29", "30–44", "45–64", "65+")
BAND_OF_AGE = np.array([-1, -1, -1, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3])
GENDERS = ("Mann", "Kvinne")
SEXES = ("Menn", "Kvinner")
#: Relative response propensity by band (rows) and gender (columns).
PROPENSITY = np.array([[0.55, 0.70], [0.80, 1.00], [1.00, 1.20], [1.10, 1.20]])
SOCIO_COLUMNS = ("population", "households", "median_income_nok", "low_income_pct",
                 "low_education_pct", "crowded_pct", "moving_rate_per_1000", "immigrant_pct",
                 "turnout_pct", "benefits_pct")
NAIVE_STEP = 20  # naive per-area loops run on every 20th area, times 20
XLSX_ROWS = 100_000  # the XLSX input: the first 100,000 respondents
REPEATS = 3  # the readers and their baselines: best of 3, interleaved in one process
MIN_N = 5


# =========================================================================== generation


def _seed_points(n: int, rng: np.random.Generator) -> np.ndarray:
    """Seed points: 75 % around towns (Gaussian, larger towns wider), 25 % spread out."""
    x0, y0, x1, y1 = ENVELOPE
    towns = max(1, n // 70)
    centre = rng.uniform((x0, y0), (x1, y1), size=(towns, 2))
    size = rng.lognormal(0.0, 1.0, towns)
    out = np.empty((0, 2))
    while len(out) < n:
        k = n - len(out)
        town = rng.choice(towns, size=k, p=size / size.sum())
        near = centre[town] + rng.normal(0.0, 1.0, (k, 2)) * (3_000.0 * np.sqrt(size[town]))[:,
                                                                                          None]
        spread = rng.uniform((x0, y0), (x1, y1), size=(k, 2))
        pts = np.where((rng.random(k) < 0.75)[:, None], near, spread)
        inside = (pts[:, 0] > x0) & (pts[:, 0] < x1) & (pts[:, 1] > y0) & (pts[:, 1] < y1)
        out = np.concatenate([out, pts[inside]])
    return out[:n]


def _cells(xy: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Voronoi cells of ``xy`` clipped to the envelope (1 m grid), and an island mask."""
    import shapely

    envelope = shapely.box(*ENVELOPE)
    cells = shapely.get_parts(shapely.voronoi_polygons(
        shapely.multipoints(xy), extend_to=envelope, ordered=True))
    cells = shapely.set_precision(shapely.intersection(cells, envelope), 1.0)
    islands = rng.random(len(xy)) < 0.003
    if islands.any():  # shrink towards the seed point: water all round
        coords, part = shapely.get_coordinates(cells[islands], return_index=True)
        centre = xy[islands][part]
        shrunk = shapely.set_coordinates(cells[islands].copy(), centre + 0.6 * (coords - centre))
        cells[islands] = shapely.set_precision(shrunk, 1.0)
    return cells, islands


def _codes(xy: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Kommune (k-means on the seed points, in 15 fylker) and ``KKKKDDGG`` code per cell."""
    from scipy.cluster.vq import kmeans2

    n = len(xy)
    k = max(1, min(round(n * 357 / 14_500), n))
    scale = xy.std(axis=0)
    _, label = kmeans2(xy / scale, k, seed=rng, minit="++")
    _, label = np.unique(label, return_inverse=True)
    k = label.max() + 1
    centroid = np.stack([np.bincount(label, xy[:, i]) / np.bincount(label) for i in (0, 1)], 1)
    f = min(len(FYLKER), k)
    _, fylke = kmeans2(centroid / scale, f, seed=rng, minit="++")
    _, fylke = np.unique(fylke, return_inverse=True)
    order = np.argsort(np.bincount(fylke, centroid[:, 1]) / np.bincount(fylke))
    fylke_code = np.empty(order.size, dtype=object)
    fylke_code[order] = FYLKER[:order.size]
    kom = pd.DataFrame({"f": fylke, "y": centroid[:, 1], "x": centroid[:, 0]})
    kom = kom.sort_values(["f", "y", "x"])
    number = kom.groupby("f").cumcount().to_numpy() + 1
    if number.max() > 99:
        raise SystemExit("too many kommuner per fylke; use fewer --areas")
    kcode = np.empty(k, dtype=object)
    kcode[kom.index.to_numpy()] = [f"{fylke_code[g]}{j:02d}" for g, j in
                                   zip(kom["f"], number, strict=True)]
    cells = pd.DataFrame({"k": label, "y": xy[:, 1], "x": xy[:, 0]}).sort_values(["k", "y", "x"])
    rank = cells.groupby("k").cumcount().to_numpy()
    dd, gg = 1 + rank // 20, 1 + rank % 20
    if dd.max() > 99:
        raise SystemExit("a kommune has more than 1980 grunnkretser; use fewer --areas")
    code = np.empty(n, dtype=object)
    code[cells.index.to_numpy()] = [f"{kcode[a]}{d:02d}{g:02d}" for a, d, g in
                                    zip(cells["k"], dd, gg, strict=True)]
    return kcode[label], code


def generate(args: argparse.Namespace, work: Path) -> dict:
    import geopandas as gpd

    from soslokal_lib.themes import THEME_CODES

    rng = np.random.default_rng(args.seed)
    n = args.areas
    xy = _seed_points(n, rng)
    cells, islands = _cells(xy, rng)
    kommune, code = _codes(xy, rng)
    areas = gpd.GeoDataFrame({"grunnkretsnummer": code, "grunnkretsnavn": "Grunnkrets " + code,
                              "kommunenummer": kommune}, geometry=cells, crs="EPSG:25833")
    areas.to_file(work / "areas.gpkg", layer="grunnkretser", driver="GPKG")

    # Population: SSB 04362 shape, area × sex × 5-year age group.
    inhabited = rng.random(n) >= 0.05
    people = np.where(inhabited, np.maximum(5, np.rint(rng.lognormal(np.log(330), 0.8, n))), 0)
    ages = np.arange(len(AGE_GROUPS))
    tilt = rng.normal(0.0, 0.4, n)[:, None] * (ages - 9) / 9
    share = AGE_SHARES[None, :] * np.exp(tilt)
    women = 0.49 + 0.1 * np.clip(ages - 14, 0, 4) / 4
    cell_p = np.concatenate([share * (1 - women), share * women], axis=1)
    cell_p /= cell_p.sum(axis=1, keepdims=True)
    counts = rng.multinomial(people.astype(np.int64), cell_p)  # n × (2 sexes · 19 ages)
    pop = pd.DataFrame({
        "area_id": np.repeat(code, counts.shape[1]),
        "sex": np.tile(np.repeat(SEXES, len(AGE_GROUPS)), n),
        "age": np.tile(AGE_GROUPS, 2 * n),
        "value": counts.ravel(),
    })
    pop.to_parquet(work / "population.parquet", index=False)

    # Deprivation: kommune effect + area noise; drives socio and scores.
    kom_codes, kom_index = np.unique(kommune, return_inverse=True)
    deprivation = rng.normal(0, 0.6, len(kom_codes))[kom_index] + rng.normal(0, 0.8, n)
    d = deprivation

    def noisy(base, slope, sd, low, high, digits=1):
        return np.round(np.clip(base + slope * d + rng.normal(0, sd, n), low, high), digits)

    socio = pd.DataFrame({
        "area_id": code,
        "population": people.astype(np.int64),
        "households": np.rint(people / 2.1).astype(np.int64),
        "median_income_nok": np.round(650_000 * np.exp(-0.18 * d + rng.normal(0, 0.08, n)), -2),
        "low_income_pct": noisy(10, 5, 2, 0.5, 60),
        "low_education_pct": noisy(22, 5, 3, 2, 70),
        "crowded_pct": noisy(6, 3, 2, 0, 50),
        "moving_rate_per_1000": noisy(120, 30, 20, 10, 400, 0),
        "immigrant_pct": noisy(15, 6, 5, 0, 90),
        "turnout_pct": noisy(65, -5, 3, 20, 95),
        "benefits_pct": noisy(9, 3, 2, 0, 50),
    })[inhabited]
    socio.to_parquet(work / "socio.parquet", index=False)

    # Respondents: adults by survey band × gender, response propensity rising with age.
    band = np.zeros((n, len(BANDS), 2))
    for s in range(2):
        for b in range(len(BANDS)):
            band[:, b, s] = counts[:, s * len(AGE_GROUPS) + np.flatnonzero(BAND_OF_AGE == b)].sum(1)
    adults = band.reshape(n, -1)
    expected = (band * PROPENSITY[None]).reshape(n, -1)
    got = rng.multinomial(args.respondents, (expected / expected.sum()).ravel()).reshape(n, -1)
    empty = (got.sum(axis=1) == 0) & (adults.sum(axis=1) > 0)
    if empty.any():  # every inhabited area gets a respondent; the largest cells give them up
        rows = np.flatnonzero(empty)
        got[rows, adults[rows].argmax(axis=1)] += 1
        flat = got.ravel()
        flat[np.argsort(-flat, kind="stable")[:len(rows)]] -= 1
        got = flat.reshape(n, -1)
    cell = np.repeat(np.arange(got.size), got.ravel())[rng.permutation(int(got.sum()))]
    r = len(cell)
    area, b, s = cell // adults.shape[1], (cell % adults.shape[1]) // 2, cell % 2
    data: dict[str, object] = {
        "respondent_id": pd.array([f"R{i:07d}" for i in range(1, r + 1)], dtype="str"),
        "area_id": pd.array(code[area], dtype="str"),
        "age_group": pd.Categorical.from_codes(b, categories=list(BANDS), ordered=True),
        "gender": pd.Categorical.from_codes(s, categories=list(GENDERS)),
    }
    age_effect = np.array([-0.3, -0.1, 0.0, 0.3])[b]
    area_effect = rng.normal(0, 0.35, n)[area] - 0.45 * d[area]
    for t, theme in enumerate(THEME_CODES):
        latent = (4.3 + 0.3 * np.sin(t) + (0.5 + 0.05 * t) * area_effect + age_effect
                  + rng.normal(0, 1.4, r))
        score = np.clip(np.rint(latent), 1, 7).astype(np.int8)
        data[theme] = pd.arrays.IntegerArray(score, rng.random(r) < 0.03 + 0.005 * t)
    responses = pd.DataFrame(data)
    responses.to_parquet(work / "survey.parquet", index=False)
    export = _as_export(responses, rng)
    export.to_csv(work / "survey.csv", index=False, sep=";", lineterminator="\n")
    _write_xlsx(export.iloc[:XLSX_ROWS], work / "survey.xlsx")
    return {"areas": n, "inhabited": int(inhabited.sum()), "islands": int(islands.sum()),
            "kommuner": len(kom_codes), "respondents": r, "people": int(people.sum())}


def _as_export(responses: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The survey as a survey tool exports it: the end points labelled («1 – Mye å
    forbedre», «7 – Lite å forbedre»), half the missing answers «Vet ikke», the rest blank."""
    from soslokal_lib.themes import THEME_CODES

    out = responses.astype({c: "string" for c in responses.columns})
    labels = {"1": "1 – Mye å forbedre", "7": "7 – Lite å forbedre"}
    for theme in THEME_CODES:
        text = out[theme].replace(labels)
        out[theme] = text.mask(text.isna() & (rng.random(len(text)) < 0.5), "Vet ikke")
    return out.fillna("")


def _write_xlsx(export: pd.DataFrame, path: Path) -> None:
    """``export`` as a one-sheet workbook (openpyxl, write-only: untimed, so any writer does)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Svar")
    sheet.append(list(export.columns))
    for row in export.itertuples(index=False):
        sheet.append([int(v) if len(v) == 1 and v.isdigit() else (v or None) for v in row])
    book.save(path)


# =========================================================================== timing


class Timer:
    """Runs stages, records seconds per stage and keeps their results."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def __call__(self, name: str, func: Callable[[], object]) -> object:
        start, cpu = time.perf_counter(), time.process_time()
        result = func()
        self.seconds[name] = time.perf_counter() - start
        self.cpu[name] = time.process_time() - cpu
        print(f"  {name:<16} {self.seconds[name]:7.2f} s", file=sys.stderr, flush=True)
        return result


def peak_gib() -> float:
    """Peak resident set size of this process (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _quiet() -> None:
    warnings.simplefilter("ignore")  # island warnings etc.: expected here, counted in the notes


def pipeline(args: argparse.Namespace, work: Path, csv: bool = False) -> dict:
    """The pipeline from Parquet input, or with ``csv`` from the survey tool's CSV export."""
    _quiet()
    t = Timer()

    def imports():
        import esda  # noqa: F401
        import geopandas  # noqa: F401
        import libpysal  # noqa: F401
        import pyarrow.parquet  # noqa: F401
        import scipy.stats  # noqa: F401

        import soslokal_lib  # noqa: F401
        from soslokal_lib import indicators, inequality, privacy, spatial  # noqa: F401
        from soslokal_lib.app import report  # noqa: F401

    t("imports", imports)
    from soslokal_lib import (
        Survey,
        indicators,
        inequality,
        read_areas,
        read_survey,
        spatial,
        summarise,
    )
    from soslokal_lib import privacy as priv
    from soslokal_lib import weighting as wt
    from soslokal_lib.app import report

    areas = t("read_areas", lambda: read_areas(work / "areas.gpkg"))
    if csv:
        survey = t("read_survey_csv", lambda: read_survey(work / "survey.csv"))
    else:
        frame = t("read_parquet", lambda: pd.read_parquet(work / "survey.parquet"))
        survey = t("validate", lambda: Survey(frame))
        frame = None  # Survey keeps its own copy
    summary = t("summarise", lambda: summarise(survey, min_n=MIN_N))

    def margins():
        population = pd.read_parquet(work / "population.parquet")
        return wt.population_margins(population)

    targets = t("margins", margins)
    weights = t("rake", lambda: wt.rake(survey, targets, return_report=True))
    weights, wreport = weights

    def indicator_stage():
        socio = pd.read_parquet(work / "socio.parquet").set_index("area_id")
        table = indicators.indicator_table(summary, socio, population=socio["population"])
        core = indicators.core_indicators(table)
        comp = indicators.composite(table, weights={c: 1.0 for c in core},
                                    population="population", missing="mean_of_available")
        return socio, table, comp

    socio, table, comp = t("indicators", indicator_stage)

    def inequality_stage():
        income = socio["median_income_nok"]
        groups = socio.index.str[:4]
        th = inequality.theil(income, weights=socio["population"], groups=groups)
        ml = inequality.mld(income, weights=socio["population"], groups=groups)
        gi = inequality.gini(income, weights=socio["population"])
        return th, ml, gi

    theil, mld, gini = t("inequality", inequality_stage)
    graph = t("contiguity", lambda: spatial.contiguity(areas))
    geo = areas[["area_name", "geometry"]].join(comp[["score"]])
    moran = t("moran", lambda: spatial.moran(geo, "score", graph=graph, seed=args.seed,
                                             permutations=args.permutations, dropna=True))
    lisa = t("lisa", lambda: spatial.local_moran(geo, "score", graph=graph, seed=args.seed,
                                                 permutations=args.permutations, dropna=True))

    def report_stage():
        out = work / "report"
        priv.check_no_small_cells(summary, MIN_N)
        paths = [report.save_table(summary, "summary", out, min_n=MIN_N)]
        joined = table.join(comp)
        paths.append(report.save_table(joined.reset_index(), "indicators", out, min_n=MIN_N))
        clusters = pd.DataFrame(lisa.drop(columns="geometry")).reset_index()
        paths.append(report.save_table(clusters, "lisa", out, min_n=MIN_N))
        return paths

    paths = t("report", report_stage)
    peak = peak_gib()
    if not csv:  # untimed: inputs of the baselines, so that they use the same numbers
        comp[["score"]].to_parquet(work / "composite.parquet")
        summary.to_parquet(work / "summary.parquet")
        table.join(comp).to_parquet(work / "indicators.parquet")
        pd.DataFrame(lisa.drop(columns="geometry")).to_parquet(work / "lisa.parquet")
    return {
        "seconds": t.seconds, "cpu": t.cpu, "peak_gib": peak,
        "facts": {
            "summary_rows": len(summary), "suppressed": int(summary["suppressed"].sum()),
            "rake_iterations": wreport.iterations, "rake_error": wreport.max_margin_error,
            "deff": wreport.deff, "indicator_columns": int(table.shape[1]),
            "composite_areas": int(comp["score"].notna().sum()),
            "theil": float(theil), "theil_between_share": theil.between_share,
            "mld_between_share": mld.between_share, "gini": float(gini),
            "graph_links": int(graph.n_edges), "graph_isolates": len(graph.isolates),
            "moran_i": moran.statistic, "moran_p": moran.p_value, "moran_n": moran.n,
            "lisa_significant": int((lisa["cluster"].notna()
                                     & (lisa["cluster"] != spatial.NOT_SIGNIFICANT)).sum()),
            "report_bytes": sum(p.stat().st_size for p in paths),
            "weights_sum": float(weights.sum()),
        },
    }


def csv_input(args: argparse.Namespace, work: Path) -> dict:
    _quiet()
    import pyarrow.csv  # noqa: F401  (imports untimed, as the pipeline's own stage)

    from soslokal_lib import read_survey
    from soslokal_lib.io import survey as _survey  # noqa: F401
    from soslokal_lib.text import scrubbing  # noqa: F401

    engine = _excel_engine()
    t = Timer()
    pairs = {  # reader and its bare baseline, timed in turn: both see the same load
        ("read_survey_csv", "read_csv"): (lambda: read_survey(work / "survey.csv"),
                                          lambda: pd.read_csv(work / "survey.csv", sep=";")),
        ("read_survey_xlsx", "read_excel"): (lambda: read_survey(work / "survey.xlsx"),
                                             lambda: pd.read_excel(work / "survey.xlsx",
                                                                   engine=engine)),
    }
    best: dict[str, tuple[float, float]] = {}
    facts = {"excel_engine": engine, "repeats": REPEATS}
    for names, funcs in pairs.items():
        for _ in range(REPEATS):
            for name, func in zip(names, funcs, strict=True):
                result = t(name, func)
                if name.startswith("read_survey"):
                    facts[name.removeprefix("read_survey_") + "_rows"] = len(result.responses)
                result = None
                seconds = (t.seconds[name], t.cpu[name])
                best[name] = min(best.get(name, seconds), seconds)
    return {"seconds": {k: v[0] for k, v in best.items()},
            "cpu": {k: v[1] for k, v in best.items()}, "peak_gib": peak_gib(), "facts": facts}


# =========================================================================== baselines


def _ipf_pandas(frame: pd.DataFrame, margins: dict[str, pd.Series], tol: float = 1e-8,
                max_iter: int = 100) -> tuple[pd.Series, int]:
    """Raking as a pandas user writes it: groupby-sum, map, multiply, per margin."""
    w = pd.Series(margins["area_id"].sum() / len(frame), index=frame.index)
    keys = {v: frame[v].astype("string") for v in margins}
    for it in range(1, max_iter + 1):
        for v, target in margins.items():
            w = w * keys[v].map(target / w.groupby(keys[v]).sum()).to_numpy()
        err = max((w.groupby(keys[v]).sum() / target - 1).abs().max()
                  for v, target in margins.items())
        if err <= tol:
            return w, it
    return w, max_iter


def _naive_indicators(summary: pd.DataFrame, socio: pd.DataFrame, step: int) -> pd.DataFrame:
    """Indicator rows and a z-score composite, one area at a time (every ``step``-th area)."""
    from soslokal_lib import framework, indicators

    dims = {d.code: framework.themes_of_dimension(d.code) for d in framework.DIMENSIONS}
    dims = {k: v for k, v in dims.items() if v}
    socio_ind = {i.id: (i.column, i.direction) for i in indicators.REGISTRY
                 if i.source != "survey" and i.core}
    rows = {}
    for area in sorted(socio.index)[::step]:
        cells = summary[summary["area_id"] == area]
        med = dict(zip(cells["theme"].astype(str), cells["median"], strict=True))
        row = {}
        for theme, value in med.items():
            row[f"sk_{theme}_median"] = value
        for code, themes in dims.items():
            values = [med.get(th, np.nan) for th in themes]
            row[f"sk_dim_{code}"] = np.nan if np.isnan(values).any() else np.mean(values)
        for key, (col, _) in socio_ind.items():
            row[key] = socio.at[area, col]
        rows[area] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    core = [f"sk_dim_{c}" for c in dims] + list(socio_ind)
    sign = pd.Series({c: -1.0 if socio_ind.get(c, (None, ""))[1] == "lower_is_better" else 1.0
                      for c in core})
    z = (table[core] - table[core].mean()) / table[core].std(ddof=0) * sign
    return table.assign(score=z.mean(axis=1))


def baselines(args: argparse.Namespace, work: Path) -> dict:
    _quiet()
    import esda
    import geopandas as gpd
    import libpysal
    from inequality.theil import TheilD

    from soslokal_lib import Survey
    from soslokal_lib import weighting as wt

    t = Timer()
    survey = Survey(pd.read_parquet(work / "survey.parquet"))
    responses = survey.responses
    themes = survey.themes
    t("summarise", lambda: responses.groupby("area_id")[themes].median())

    def margins():
        population = pd.read_parquet(work / "population.parquet")
        adult = population[~population["age"].isin(AGE_GROUPS[:3])]
        return [adult.groupby(v)["value"].sum() for v in ("area_id", "age", "sex")]

    t("margins", margins)
    targets = wt.population_margins(pd.read_parquet(work / "population.parquet"))
    _, iterations = t("rake", lambda: _ipf_pandas(responses, targets))
    summary = pd.read_parquet(work / "summary.parquet")
    socio = pd.read_parquet(work / "socio.parquet").set_index("area_id")
    t("indicators", lambda: _naive_indicators(summary, socio, NAIVE_STEP))
    t.seconds["indicators"] *= NAIVE_STEP
    income = socio["median_income_nok"].to_numpy()
    t("inequality", lambda: TheilD(income, socio.index.str[:4].to_numpy()))
    areas = gpd.read_file(work / "areas.gpkg").set_index("grunnkretsnummer")
    w = t("contiguity", lambda: libpysal.weights.Queen.from_dataframe(
        areas, use_index=True, silence_warnings=True))
    score = pd.read_parquet(work / "composite.parquet")["score"].dropna()
    w_sub = libpysal.weights.Queen.from_dataframe(areas.loc[score.index], use_index=True,
                                                  silence_warnings=True)
    y = score.reindex(w_sub.id_order).to_numpy()
    t("moran", lambda: esda.Moran(y, w_sub))
    t("lisa", lambda: esda.Moran_Local(y, w_sub))
    out = work / "bare"
    out.mkdir(exist_ok=True)
    tables = {"summary": summary, "indicators": pd.read_parquet(work / "indicators.parquet"),
              "lisa": pd.read_parquet(work / "lisa.parquet")}

    def bare_report():
        for name, frame in tables.items():
            frame.to_csv(out / f"{name}.csv")

    t("report", bare_report)
    return {"seconds": t.seconds, "cpu": t.cpu, "peak_gib": peak_gib(),
            "facts": {"ipf_iterations": iterations, "queen_islands": len(w.islands)}}


def _excel_engine() -> str:
    """calamine (python-calamine, Rust) when installed, else openpyxl."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "calamine"


# =========================================================================== output

STAGES = (  # key, label, baseline label
    ("imports", "imports (pandas, geopandas, libpysal, esda, soslokal)", ""),
    ("read_areas", "read areas: read_areas(GPKG)", ""),
    ("read_parquet", "read survey: Parquet (pandas/pyarrow)", ""),
    ("validate", "validate: Survey(responses)", ""),
    ("summarise", "summarise by area (CIs, suppression)", "groupby(area_id).median()"),
    ("margins", "population_margins (04362 table)", "3 × pandas groupby-sum"),
    ("rake", "rake: area × age × gender (IPF)", "pandas groupby IPF"),
    ("indicators", "indicator_table + composite", f"per-area loop (1/{NAIVE_STEP} × {NAIVE_STEP})"),
    ("inequality", "theil/mld by kommune + gini, weighted", "inequality.TheilD, unweighted"),
    ("contiguity", "contiguity graph (queen)", "libpysal Queen.from_dataframe"),
    ("moran", "global Moran, permutations", "esda.Moran defaults"),
    ("lisa", "LISA (local Moran), permutations", "esda.Moran_Local defaults"),
    ("report", "report tables (privacy check, safe CSV)", "DataFrame.to_csv, same 3 tables"),
)


def print_table(results: dict, args: argparse.Namespace) -> None:
    pipe, csv, base = results["pipeline"], results["csv"], results["baselines"]
    gen = results["generate"]
    print(f"soslokal national benchmark: {gen['areas']:,} areas ({gen['inhabited']:,} inhabited, "
          f"{gen['islands']} islands) in {gen['kommuner']} kommuner, {gen['respondents']:,} "
          f"respondents × 14 themes, {gen['people']:,} people; seed {args.seed}; "
          f"{args.permutations} permutations")
    print(f"data generated in {results['generate_seconds']:.1f} s (untimed, own process)\n")
    pcsv = results["pipeline_csv"]
    header = (f"{'stage':<56} {'seconds':>8} {'baseline':>9} {'ratio':>6} {'cpu s':>6} "
              f"{'csv in':>7}  baseline is")
    print(header)
    print("-" * len(header))

    def row(label, sec, bsec, cpu, blabel, csv_sec=None):
        b = f"{bsec:9.2f}" if bsec is not None else f"{'—':>9}"
        r = f"{sec / bsec:6.2f}" if bsec else f"{'—':>6}"
        c = f"{csv_sec:7.2f}" if csv_sec is not None else f"{'':>7}"
        print(f"{label:<56} {sec:8.2f} {b} {r} {cpu:6.2f} {c}  {blabel}")

    for key, label, blabel in STAGES:
        row(label, pipe["seconds"][key], base["seconds"].get(key), pipe["cpu"][key], blabel,
            pcsv["seconds"].get(key))
    row("read survey: CSV, read_survey (CSV-input pipeline)", pcsv["seconds"]["read_survey_csv"],
        None, pcsv["cpu"]["read_survey_csv"], "", pcsv["seconds"]["read_survey_csv"])
    engine, repeats = csv["facts"]["excel_engine"], csv["facts"]["repeats"]
    row("read survey: CSV, read_survey (alternative; own process)",
        csv["seconds"]["read_survey_csv"], csv["seconds"]["read_csv"],
        csv["cpu"]["read_survey_csv"], f"pd.read_csv, bare (best of {repeats}, interleaved)")
    row(f"read survey: XLSX {XLSX_ROWS:,} rows, read_survey",
        csv["seconds"]["read_survey_xlsx"], csv["seconds"]["read_excel"],
        csv["cpu"]["read_survey_xlsx"],
        f"pd.read_excel(engine={engine!r}) (best of {repeats}, interleaved)")
    f = pipe["facts"]
    print()
    print(f"summary: {f['summary_rows']:,} rows, {f['suppressed']:,} cells suppressed; raking: "
          f"{f['rake_iterations']} iterations (pandas IPF {base['facts']['ipf_iterations']}), "
          f"max margin error {f['rake_error']:.1e}, Kish deff {f['deff']:.2f}")
    print(f"composite for {f['composite_areas']:,} areas; Theil {f['theil']:.4f} "
          f"(between kommuner {f['theil_between_share']:.0%}), MLD between "
          f"{f['mld_between_share']:.0%}, Gini {f['gini']:.4f} (median household income)")
    print(f"graph: {f['graph_links']:,} links, {f['graph_isolates']} islands; Moran's I "
          f"{f['moran_i']:.3f} (p {f['moran_p']:.3f}, n {f['moran_n']:,}); "
          f"{f['lisa_significant']:,} LISA clusters; report {f['report_bytes'] / 1e6:.1f} MB")
    print(f"peaks: CSV-input process {csv['peak_gib']:.2f} GiB, baselines process "
          f"{base['peak_gib']:.2f} GiB (not part of the pipeline peak)")
    print(f"naive per-area loop timed on every {NAIVE_STEP}th area and multiplied by "
          f"{NAIVE_STEP}; TOTAL = sum of the pipeline stages (Parquet input), peak = ru_maxrss "
          "of the pipeline process (the data were generated in another process)")
    total = sum(pipe["seconds"].values())
    print(f"CPU time of the pipeline stages {sum(pipe['cpu'].values()):.1f} s (cpu s: this "
          "process's CPU; wall seconds grow when other jobs share the cores)")
    print("'csv in': the seconds of each stage in the pipeline with CSV input")
    print(f"readers' baselines: cpu s read_csv {csv['cpu']['read_csv']:.2f}, read_excel "
          f"{csv['cpu']['read_excel']:.2f}; cpu ratios read_survey CSV "
          f"{csv['cpu']['read_survey_csv'] / csv['cpu']['read_csv']:.2f}, XLSX "
          f"{csv['cpu']['read_survey_xlsx'] / csv['cpu']['read_excel']:.2f}")
    print(f"with CSV input (read_survey instead of read_parquet + validate): TOTAL "
          f"{sum(pcsv['seconds'].values()):.1f} s (CPU {sum(pcsv['cpu'].values()):.1f} s), "
          f"peak {pcsv['peak_gib']:.2f} GiB "
          f"(goal ≤ 15 s, ≤ 2 GiB; its read_survey_csv {pcsv['seconds']['read_survey_csv']:.2f} s)")
    print(f"TOTAL {total:.1f} s, peak {pipe['peak_gib']:.2f} GiB")


# =========================================================================== driver

PHASES = {"generate": generate, "pipeline": pipeline, "csv": csv_input, "baselines": baselines,
          "pipeline_csv": lambda args, work: pipeline(args, work, csv=True)}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=14_500)
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the generated data and outputs here (default: temporary)")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.areas < 50 or args.respondents < 20 * args.areas:
        parser.error("use --areas ≥ 50 and --respondents ≥ 20 × --areas")
    return args


def run_phase(name: str, args: argparse.Namespace, work: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", name, "--workdir", str(work),
           "--areas", str(args.areas), "--respondents", str(args.respondents),
           "--permutations", str(args.permutations), "--seed", str(args.seed)]
    print(f"[{name}]", file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)
    return json.loads((work / f"{name}.json").read_text())


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if args.phase:
        result = PHASES[args.phase](args, args.workdir)
        (args.workdir / f"{args.phase}.json").write_text(json.dumps(result, default=float))
        return
    with tempfile.TemporaryDirectory(prefix="soslokal-national-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        results = {"generate": run_phase("generate", args, work)}
        results["generate_seconds"] = time.perf_counter() - start
        for name in ("pipeline", "pipeline_csv", "csv", "baselines"):
            results[name] = run_phase(name, args, work)
        print_table(results, args)


if __name__ == "__main__":
    main()
