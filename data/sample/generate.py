"""Generate the bundled SYNTHETIC sample municipality «Fjordvik» (kommune 9901, fictional).

Everything written by this script is invented: the kommune, its places, people, boundaries,
statistics and survey answers. Nothing describes a real place or person. The generating model
(and the truths it plants) is documented in ``data/sample/README.md``.

Usage::

    .venv/bin/python data/sample/generate.py            # rewrite data/sample/
    .venv/bin/python data/sample/generate.py --out DIR  # write elsewhere (tests do this)

The output is byte-for-byte reproducible for a given ``--seed`` on the same library versions.
"""

from __future__ import annotations

import argparse
import copy
import csv
import functools
import io
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.special import ndtr
from shapely.geometry import LineString, MultiPoint, Point, Polygon

SEED = 20250314
KOMMUNE = "9901"
KOMMUNE_NAME = "Fjordvik"
CRS = "EPSG:25833"
HERE = Path(__file__).resolve().parent

CENTRE = np.array([300_000.0, 6_650_000.0])
HARBOUR = CENTRE + np.array([-600.0, -900.0])  # head of the fjord

DELOMRADER = (  # DD = position + 1
    "Sentrum", "Havna", "Nordbyen", "Solåsen", "Vestre Strand", "Bekkeli", "Furumo",
    "Kirkebakken", "Storhaugen", "Lia", "Brattvoll", "Øyane",
)
N_MAINLAND_GK = 58

GK_NAMES = {
    "Sentrum": ["Torget", "Kirkegata", "Rådhusparken", "Stasjonsbyen", "Tollbugata",
                "Sentrum øst", "Sentrum vest", "Bakgårdene", "Postgården"],
    "Havna": ["Kaia", "Fiskebrygga", "Sjøgata", "Pakkhusene", "Slippen", "Nøstet", "Moloen",
              "Verftet"],
    "Nordbyen": ["Nordbyen nord", "Nordbyen sør", "Skoleveien", "Nordre park", "Fabrikken",
                 "Stadion", "Nordlia", "Teglverket", "Nordmarka"],
    "Solåsen": ["Solåsen øvre", "Solåsen nedre", "Utsikten", "Lyngtoppen", "Solbakken",
                "Granlia", "Åstoppen", "Solvang", "Solhaug"],
    "Vestre Strand": ["Strandkanten", "Badeviken", "Vestneset", "Tangen", "Svaberget",
                      "Sandbukta", "Fyrlia", "Måkeskjær", "Vestre Strand nord"],
    "Bekkeli": ["Bekkeli øvre", "Bekkeli nedre", "Bekkedalen", "Kvernhuset", "Mølla",
                "Engene", "Bjørkelunden", "Bekkestien", "Kvernbakken"],
    "Furumo": ["Furumo nord", "Furumo sør", "Furulund", "Moen", "Sagbruket", "Tyttebærlia",
               "Furuåsen", "Lysløypa", "Moløkka"],
    "Kirkebakken": ["Kirkebakken", "Prestegården", "Klokkergården", "Kirkeparken",
                    "Skolebakken", "Klokkerlia", "Kapellet", "Kirkelia", "Prestebakken"],
    "Storhaugen": ["Storhaugen 1", "Storhaugen 2", "Storhaugen 3", "Haugtun", "Høyblokkene",
                   "Senteret", "Haugåsen", "Ringveien", "Storhaugen 4"],
    "Lia": ["Lia øvre", "Lia nedre", "Liatoppen", "Bjørnelia", "Hagebyen", "Liaskogen",
            "Gårdslia", "Liaveien", "Lia vest"],
    "Brattvoll": ["Brattvoll", "Fjellgardene", "Stølen", "Åsgrenda", "Vollan", "Dalen",
                  "Skogen", "Heia", "Brattvoll øvre"],
    "Øyane": ["Storøya", "Lammøya"],
}

# Age groups as in SSB table 04362 (5-year groups, 90+ open).
AGE_CODES = [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]
AGE_LABELS = {c: (f"{c} år" if c != "90+" else "90 år eller eldre") for c in AGE_CODES}
BASE_AGE_SHARES = np.array([5.3, 5.9, 6.2, 6.0, 6.5, 7.0, 7.2, 6.7, 6.3, 6.7, 7.0, 6.6, 5.8,
                            5.2, 4.7, 3.4, 2.2, 1.2, 0.6])
MEN_SHARE = np.array([.513, .513, .513, .512, .51, .51, .508, .505, .505, .505, .505, .50,
                      .50, .495, .485, .47, .44, .38, .30])
SURVEY_BANDS = ("15–29", "30–44", "45–64", "65+")
BAND_OF_AGE = {c: (None if i < 3 else SURVEY_BANDS[0] if i < 6 else SURVEY_BANDS[1] if i < 9
                   else SURVEY_BANDS[2] if i < 13 else SURVEY_BANDS[3])
               for i, c in enumerate(AGE_CODES)}

# ---------------------------------------------------------------- survey model (documented)
THEME_CODES = (
    "moving_around", "public_transport", "traffic_parking", "streets_spaces", "natural_space",
    "play_recreation", "facilities_services", "work_economy", "housing_community",
    "social_interaction", "identity_belonging", "feeling_safe", "care_maintenance",
    "influence_control",
)
#: Latent mean score at deprivation 0, age 45–64, men.
THEME_BASE = dict(zip(THEME_CODES, (4.8, 4.2, 4.4, 4.6, 5.6, 4.9, 4.7, 4.3, 4.6, 4.6, 5.0,
                                    5.4, 4.5, 3.8), strict=True))
#: Deprivation effect, in units of "points per (most − least deprived delområde)".
THEME_DEPRIVATION = {"feeling_safe": -1.3, "care_maintenance": -1.3, "influence_control": -1.3,
                     "housing_community": -1.3, "streets_spaces": -0.4,
                     "identity_belonging": -0.4, "social_interaction": -0.3,
                     "play_recreation": -0.3, "work_economy": -0.3}
#: Age effects relative to 45–64 (points on the latent scale).
THEME_AGE = {
    "feeling_safe": {"15–29": -0.5, "65+": -0.9},
    "moving_around": {"65+": -0.4},
    "public_transport": {"15–29": -0.6, "65+": 0.2},
    "play_recreation": {"15–29": -0.5, "30–44": -0.3},
    "influence_control": {"15–29": -0.5, "65+": 0.3},
    "identity_belonging": {"15–29": -0.3, "65+": 0.4},
    "social_interaction": {"15–29": -0.2, "65+": -0.3},
    "care_maintenance": {"65+": -0.3},
    "housing_community": {"15–29": -0.5},
    "work_economy": {"15–29": -0.4},
}
THEME_SEX = {"feeling_safe": {"Kvinner": -0.3}}
AREA_SD = 0.15        # grunnkrets × theme random effect
SHARED_SD = 0.6       # respondent's general mood, shared by all themes
NOISE_SD = 1.2        # theme-specific individual noise
LATENT_SD = float(np.hypot(SHARED_SD, NOISE_SD))

#: Response propensity (relative) by survey age band and sex; and per SD of deprivation.
RESPONSE_AGE = {"15–29": 0.40, "30–44": 0.85, "45–64": 1.30, "65+": 0.50}
RESPONSE_SEX = {"Menn": 0.87, "Kvinner": 1.15}
RESPONSE_DEPRIVATION = -0.35   # log-propensity per SD of deprivation
N_RESPONDENTS = 800


# ===================================================================== geography
def _noisy_ring(rng, centre, radius, n=160, amp=0.06, kmax=7):
    ang = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    r = np.ones(n)
    for k in range(2, kmax + 1):
        r += rng.normal(0, amp / k ** 0.7) * np.cos(k * ang + rng.uniform(0, 2 * np.pi))
    return Polygon(np.c_[centre[0] + radius * r * np.cos(ang),
                         centre[1] + radius * r * np.sin(ang)])


def _mainland(rng):
    circle = _noisy_ring(rng, CENTRE, 9_500.0)
    x = np.linspace(CENTRE[0] - 14_000, CENTRE[0] + 14_000, 141)
    y = (CENTRE[1] - 2_600 + 700 * np.sin((x - CENTRE[0]) / 2_300)
         + 350 * np.sin((x - CENTRE[0]) / 700 + 1.0)
         + np.convolve(rng.normal(0, 260, x.size), np.ones(5) / 5, mode="same")
         + 0.18 * (x - CENTRE[0]))
    top = CENTRE[1] + 20_000
    land = Polygon([(x[0], top), *zip(x, y, strict=True), (x[-1], top)])
    fjord = LineString([HARBOUR + (-2_600, -6_000), HARBOUR + (-1_300, -3_200),
                        HARBOUR + (-200, -1_400), HARBOUR]).buffer(330)
    shape = circle.intersection(land).difference(fjord)
    if shape.geom_type == "MultiPolygon":
        shape = max(shape.geoms, key=lambda g: g.area)
    return shape


def _islands(rng, mainland):
    out = []
    for dx, dy, r in ((-5_200, -7_300, 950), (-3_000, -8_300, 620)):
        isl = _noisy_ring(rng, CENTRE + (dx, dy), r, n=60, amp=0.12)
        if isl.distance(mainland) < 300:
            raise RuntimeError("island too close to the mainland; change the seed")
        out.append(isl)
    return out


def _seed_points(rng, shape, n):
    minx, miny, maxx, maxy = shape.bounds
    pts: list[np.ndarray] = []
    shapely.prepare(shape)
    for _ in range(200_000):
        p = rng.uniform((minx, miny), (maxx, maxy))
        d = float(np.hypot(*(p - HARBOUR)))
        if rng.random() > 0.2 + np.exp(-d / 2_800) or not shapely.contains_xy(shape, *p):
            continue
        spacing = 430 + 0.14 * d
        if pts and np.min(np.hypot(*(np.array(pts) - p).T)) < spacing:
            continue
        pts.append(p)
        if len(pts) == n:
            return np.array(pts)
    raise RuntimeError("could not place enough seed points")


def _voronoi_cells(points, shape):
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=shape.buffer(5_000),
                                     ordered=True)
    clipped = [c.intersection(shape) for c in cells.geoms]
    # Parts of a cell cut off by the fjord go to the neighbour they share most border with.
    keep = []
    orphans = []
    for i, geom in enumerate(clipped):
        parts = list(getattr(geom, "geoms", [geom]))
        seed = Point(points[i])
        main = min(parts, key=lambda g: g.distance(seed))
        keep.append(main)
        orphans += [g for g in parts if g is not main]
    for part in orphans:
        shared = [part.boundary.intersection(k.boundary).length for k in keep]
        j = int(np.argmax(shared))
        keep[j] = keep[j].union(part)
    return keep


def _adjacency(geoms):
    n = len(geoms)
    adj = np.zeros((n, n), dtype=bool)
    tree = shapely.STRtree(geoms)
    for i, g in enumerate(geoms):
        for j in tree.query(g, predicate="intersects"):
            if j != i and g.boundary.intersection(geoms[j].boundary).length > 1.0:
                adj[i, j] = adj[j, i] = True
    return adj


def _grow_regions(pts, adj, k):
    """Split the cells into ``k`` contiguous groups of similar size by region growing.

    Seeds are spread by farthest-point sampling; the currently smallest group then takes its
    unassigned neighbour nearest to its seed, until every cell belongs to a group.
    """
    seeds = [int(np.argmin(np.hypot(*(pts - HARBOUR).T)))]
    while len(seeds) < k:
        d = np.min([np.hypot(*(pts - pts[s]).T) for s in seeds], axis=0)
        seeds.append(int(np.argmax(d)))
    labels = np.full(len(pts), -1)
    labels[seeds] = np.arange(k)
    sizes = np.ones(k)
    blocked = np.zeros(k, dtype=bool)
    while (labels < 0).any():
        if blocked.all():
            raise RuntimeError("region growing got stuck; the cells are not connected")
        g = int(np.argmin(np.where(blocked, np.inf, sizes)))
        nb = np.flatnonzero(adj[labels == g].any(0) & (labels < 0))
        if nb.size == 0:
            blocked[g] = True
            continue
        j = nb[np.argmin(np.hypot(*(pts[nb] - pts[seeds[g]]).T))]
        labels[j] = g
        sizes[g] += 1
    return labels


def _name_groups(centroids):
    """Give the 11 mainland groups their delområde names from their position."""
    d = np.hypot(*(centroids - HARBOUR).T)
    free = list(range(len(centroids)))
    names: dict[int, str] = {}

    def take(name, idx):
        names[idx] = name
        free.remove(idx)

    take("Havna", min(free, key=lambda i: d[i]))
    take("Sentrum", min(free, key=lambda i: d[i]))
    take("Kirkebakken", min(free, key=lambda i: d[i]))
    take("Brattvoll", max(free, key=lambda i: d[i]))
    take("Nordbyen", max(free, key=lambda i: centroids[i, 1] - 0.3 * abs(centroids[i, 0]
                                                                         - HARBOUR[0])))
    take("Vestre Strand", min(free, key=lambda i: centroids[i, 0] + 0.5 * centroids[i, 1]))
    rest = sorted(free, key=lambda i: np.arctan2(*(centroids[i] - HARBOUR)[::-1]))
    for name, i in zip(("Solåsen", "Bekkeli", "Furumo", "Storhaugen", "Lia"), rest,
                       strict=True):
        names[i] = name
    return names


def make_geography(rng):
    mainland = _mainland(rng)
    islands = _islands(rng, mainland)
    pts = _seed_points(rng, mainland, N_MAINLAND_GK)
    cells = _voronoi_cells(pts, mainland)
    cells = [shapely.set_precision(c, 1.0) for c in cells]
    adj = _adjacency(cells)
    labels = _grow_regions(pts, adj, 11)
    groups = np.unique(labels)
    centroids = np.array([MultiPoint(pts[labels == g]).centroid.coords[0] for g in groups])
    names = _name_groups(centroids)
    name_of = {g: names[k] for k, g in enumerate(groups)}

    rows = []
    for i, cell in enumerate(cells):
        rows.append({"delomradenavn": name_of[labels[i]], "geometry": cell,
                     "x": pts[i, 0], "y": pts[i, 1]})
    for isl in islands:
        c = isl.centroid
        rows.append({"delomradenavn": "Øyane", "geometry": shapely.set_precision(isl, 1.0),
                     "x": c.x, "y": c.y})
    gk = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    gk["dd"] = gk["delomradenavn"].map({n: i + 1 for i, n in enumerate(DELOMRADER)})
    # number grunnkretser north → south within each delområde
    gk = gk.sort_values(["dd", "y", "x"], ascending=[True, False, True]).reset_index(drop=True)
    gk["gg"] = gk.groupby("dd").cumcount() + 1
    gk["delomradenummer"] = KOMMUNE + gk["dd"].map("{:02d}".format) + "00"
    gk["grunnkretsnummer"] = (KOMMUNE + gk["dd"].map("{:02d}".format)
                              + gk["gg"].map("{:02d}".format))
    gk["grunnkretsnavn"] = [GK_NAMES[n][g - 1] for n, g in
                            zip(gk["delomradenavn"], gk["gg"], strict=True)]
    # the southernmost grunnkrets of Havna is the shipyard (almost nobody lives there)
    havna_last = gk.index[gk["delomradenavn"] == "Havna"][-1]
    gk.loc[havna_last, "grunnkretsnavn"] = "Verftet"
    return gk, mainland


# ===================================================================== people and places
def _gauss_bumps(xy, bumps, width=2_200.0):
    out = np.zeros(len(xy))
    for (bx, by), h in bumps:
        out += h * np.exp(-((xy[:, 0] - bx) ** 2 + (xy[:, 1] - by) ** 2) / (2 * width ** 2))
    return out


def make_deprivation(rng, gk):
    """Spatially smooth deprivation field + noise, standardised over grunnkretser."""
    cent = gk.groupby("delomradenavn")[["x", "y"]].mean()
    heights = {"Storhaugen": 1.6, "Havna": 1.2, "Nordbyen": 0.9, "Øyane": 0.5, "Brattvoll": 0.3,
               "Solåsen": -1.2, "Vestre Strand": -1.0, "Bekkeli": -0.7, "Lia": -0.3}
    bumps = [((cent.at[n, "x"], cent.at[n, "y"]), h) for n, h in heights.items()]
    xy = gk[["x", "y"]].to_numpy()
    raw = _gauss_bumps(xy, bumps) + rng.normal(0, 0.3, len(gk))
    return (raw - raw.mean()) / raw.std()


def make_population(rng, gk, dep):
    xy = gk[["x", "y"]].to_numpy()
    dist = np.hypot(*(xy - HARBOUR).T)
    area_km2 = gk.geometry.area.to_numpy() / 1e6
    density = (950 * np.exp(-dist / 2_300) + 40) * np.exp(0.35 * dep)
    pop = area_km2 * density * np.exp(rng.normal(0, 0.3, len(gk)))
    pop = np.clip(pop, 90, 1_100)
    pop[gk["delomradenavn"].eq("Øyane").to_numpy()] = [118, 66]
    pop[gk["grunnkretsnavn"].eq("Verftet").to_numpy()] = 24
    brattvoll = np.flatnonzero(gk["delomradenavn"].eq("Brattvoll").to_numpy())
    pop[brattvoll[-1]] = 41
    pop = np.rint(pop).astype(int)

    idx = np.arange(len(AGE_CODES))
    young = ((idx >= 4) & (idx <= 7)).astype(float)     # 20–39
    old = (idx >= 13).astype(float)                     # 65+
    family = (((idx <= 2) | ((idx >= 7) & (idx <= 9))).astype(float))
    central = np.exp(-dist / 2_500)
    rural = np.clip((dist - 4_000) / 4_000, 0, 1)
    rows = []
    for i, n in enumerate(pop):
        logits = (np.log(BASE_AGE_SHARES) + 0.35 * dep[i] * young + 0.5 * central[i] * young
                  + 0.6 * rural[i] * old - 0.15 * dep[i] * old
                  + 0.25 * max(-dep[i], 0) * family + rng.normal(0, 0.08, idx.size))
        shares = np.exp(logits) / np.exp(logits).sum()
        by_age = rng.multinomial(n, shares)
        men = rng.binomial(by_age, MEN_SHARE)
        for sex, counts in (("1", men), ("2", by_age - men)):
            for a, c in zip(AGE_CODES, counts, strict=True):
                rows.append((gk.at[i, "grunnkretsnummer"], sex, a, int(c)))
    popdf = pd.DataFrame(rows, columns=["grunnkrets", "sex", "age", "value"])
    # SSB's rule for 04362: every 1 and 2 is changed to 0 or 3 (unbiased in expectation).
    v = popdf["value"].to_numpy()
    u = rng.random(v.size)
    v = np.where(v == 1, np.where(u < 2 / 3, 0, 3), v)
    v = np.where(v == 2, np.where(u < 1 / 3, 0, 3), v)
    return popdf.assign(value=v)


def _logit_share(rng, base, slope, dep, sd):
    lo = np.log(base / (1 - base)) + slope * dep + rng.normal(0, sd, dep.size)
    return 100 / (1 + np.exp(-lo))


def make_socio(rng, gk, dep, popdf):
    pop = popdf.groupby("grunnkrets", sort=False)["value"].sum().reindex(gk["grunnkretsnummer"])
    pop = pop.to_numpy()
    hh_size = np.clip(2.15 - 0.12 * dep + rng.normal(0, 0.12, dep.size), 1.5, 2.9)
    socio = pd.DataFrame({
        "area_id": gk["grunnkretsnummer"],
        "population": pop,
        "households": np.maximum(np.rint(pop / hh_size), 1).astype(int),
        "median_income_nok": np.rint(np.exp(np.log(590_000) - 0.15 * dep
                                            + rng.normal(0, 0.07, dep.size)) / 1_000) * 1_000,
        "low_income_pct": _logit_share(rng, 0.09, 0.55, dep, 0.25),
        "low_education_pct": _logit_share(rng, 0.22, 0.45, dep, 0.22),
        "crowded_pct": _logit_share(rng, 0.07, 0.60, dep, 0.30),
        "moving_rate_per_1000": np.exp(np.log(85) + 0.25 * dep + rng.normal(0, 0.15, dep.size)),
        "immigrant_pct": _logit_share(rng, 0.15, 0.70, dep, 0.35),
        "turnout_pct": np.clip(62 - 7 * dep + rng.normal(0, 3.0, dep.size), 30, 85),
        "benefits_pct": _logit_share(rng, 0.10, 0.50, dep, 0.25),
    })
    for col in ("low_income_pct", "low_education_pct", "crowded_pct", "immigrant_pct",
                "turnout_pct", "benefits_pct", "moving_rate_per_1000"):
        socio[col] = socio[col].round(1)
    socio["median_income_nok"] = socio["median_income_nok"].astype(int)
    return socio


def _mixture_median(medians, weights, sigma=0.55):
    """Median of a mixture of log-normal household incomes (bisection on the CDF)."""
    lo, hi = np.log(min(medians)) - 3 * sigma, np.log(max(medians)) + 3 * sigma
    w = np.asarray(weights, float) / np.sum(weights)
    m = np.log(np.asarray(medians, float))
    for _ in range(80):
        mid = (lo + hi) / 2
        if np.sum(w * ndtr((mid - m) / sigma)) < 0.5:
            lo = mid
        else:
            hi = mid
    return float(np.exp((lo + hi) / 2))


# ===================================================================== survey
def _band_population(gk, popdf):
    p = popdf.assign(band=popdf["age"].map(BAND_OF_AGE)).dropna(subset=["band"])
    p = p.assign(sex=p["sex"].map({"1": "Menn", "2": "Kvinner"}))
    out = p.groupby(["grunnkrets", "sex", "band"], as_index=False)["value"].sum()
    return out.merge(gk[["grunnkretsnummer", "delomradenavn"]], left_on="grunnkrets",
                     right_on="grunnkretsnummer").drop(columns="grunnkretsnummer")


def _theme_means(cells, dep_by_gk, area_eff, dep_scale):
    """Latent mean per (cell, theme): cells has grunnkrets, sex, band."""
    dep = cells["grunnkrets"].map(dep_by_gk).to_numpy()
    out = {}
    for t in THEME_CODES:
        mu = THEME_BASE[t] + THEME_DEPRIVATION.get(t, 0.0) * dep / dep_scale
        mu = mu + cells["band"].map(THEME_AGE.get(t, {})).fillna(0.0).to_numpy()
        mu = mu + cells["sex"].map(THEME_SEX.get(t, {})).fillna(0.0).to_numpy()
        mu = mu + cells["grunnkrets"].map(area_eff[t]).to_numpy()
        out[t] = mu
    return out


def _score_probs(mu):
    """P(score = 1..7) for latent N(mu, LATENT_SD²) rounded and clipped."""
    cuts = np.arange(1.5, 7.0, 1.0)
    cdf = ndtr((cuts[None, :] - np.asarray(mu)[:, None]) / LATENT_SD)
    cdf = np.c_[np.zeros(len(cdf)), cdf, np.ones(len(cdf))]
    return np.diff(cdf, axis=1)


def make_truth(cells, means):
    """Population (15+) score distribution per delområde and for the kommune, per theme."""
    rows = []
    groups = [(KOMMUNE, np.ones(len(cells), bool))] + [
        (KOMMUNE + f"{i + 1:02d}00", (cells["delomradenavn"] == n).to_numpy())
        for i, n in enumerate(DELOMRADER)]
    w = cells["value"].to_numpy(float)
    for t in THEME_CODES:
        probs = _score_probs(means[t])
        for area, mask in groups:
            dist = (w[mask, None] * probs[mask]).sum(0) / w[mask].sum()
            cdf = np.cumsum(dist)
            rows.append({
                "area_id": area, "theme": t,
                "population_15plus": int(w[mask].sum()),
                "mean": round(float(dist @ np.arange(1, 8)), 4),
                "median": int(np.argmax(cdf >= 0.5) + 1),
                "share_low": round(float(dist[:3].sum()), 4),
                "share_high": round(float(dist[4:].sum()), 4),
            })
    return pd.DataFrame(rows)


def make_respondents(rng, cells, dep_by_gk, means, n_respondents=N_RESPONDENTS):
    dep = cells["grunnkrets"].map(dep_by_gk).to_numpy()
    prop = (cells["band"].map(RESPONSE_AGE).to_numpy() * cells["sex"].map(RESPONSE_SEX).to_numpy()
            * np.exp(RESPONSE_DEPRIVATION * dep))
    w = cells["value"].to_numpy() * prop
    counts = rng.multinomial(n_respondents, w / w.sum())
    cell_of = np.repeat(np.arange(len(cells)), counts)
    rng.shuffle(cell_of)
    n = cell_of.size
    shared = rng.normal(0, SHARED_SD, n)
    scores = {}
    for t in THEME_CODES:
        latent = means[t][cell_of] + shared + rng.normal(0, NOISE_SD, n)
        scores[t] = np.clip(np.rint(latent), 1, 7).astype(int)
    resp = cells.iloc[cell_of][["grunnkrets", "delomradenavn", "sex", "band"]].reset_index(
        drop=True)
    return resp, pd.DataFrame(scores), propensity_summary(cells, prop, n_respondents)


def propensity_summary(cells, prop, n_respondents=N_RESPONDENTS):
    c = cells.assign(rate=prop * n_respondents / float((cells["value"] * prop).sum()))
    c = c.assign(resp=c["rate"] * c["value"])
    by_band = c.groupby("band")[["resp", "value"]].sum()
    by_area = c.groupby("delomradenavn")[["resp", "value"]].sum()
    return {"band": (by_band["resp"] / by_band["value"]).round(4).to_dict(),
            "area": (by_area["resp"] / by_area["value"]).round(4).to_dict()}


# ----------------------------------------------------------------- comments
STREETS = ["Storgata", "Sjøgata", "Kirkegata", "Furumoveien", "Liaveien", "Ringveien",
           "Strandveien", "Skoleveien", "Bekkeliveien", "Haugveien"]
SCHOOLS = ["Nordbyen skole", "Solåsen skole", "Fjordvik ungdomsskole", "Furumo skole"]

COMMENTS = {
    "moving_around": (
        ["Fine gangveier langs sjøen, jeg går nesten overalt.",
         "Lett å sykle til sentrum, flatt og greit.",
         "Turstien langs fjorden brukes hver dag.",
         "Den nye gang- og sykkelveien til {skole} er et stort løft."],
        ["Fortauet langs {gate} slutter midt i bakken, farlig med barnevogn.",
         "Undergangen ved stasjonen er mørk og skummel om kvelden.",
         "Trenger sammenhengende sykkelvei fra {omrade} til sentrum.",
         "Is og snø blir liggende på gangveiene altfor lenge om vinteren.",
         "Mangler fotgjengerfelt ved {skole}.",
         "Vanskelig å komme fram med rullator, fortauskantene er for høye."]),
    "public_transport": (
        ["Buss 12 går hvert kvarter på dagtid, det fungerer bra.",
         "Nye busskur med sanntidsskjerm er et løft.",
         "Bussen går rett til jobben min.",
         "Bra at båten går oftere om sommeren."],
        ["Buss 12 går bare én gang i timen etter kl. 18.",
         "Ingen buss på søndager til {omrade}.",
         "Bussen er ofte forsinket om morgenen, ungene kommer for sent til skolen.",
         "Billettene er for dyre for en familie.",
         "Busstoppet i {gate} mangler leskur.",
         "Båten går for sjelden i helgene."]),
    "traffic_parking": (
        ["30-sonen i boligfeltet har gjort det mye roligere.",
         "Lett å finne parkering ved butikken.",
         "Fartsdumpene i {gate} virker."],
        ["Bilene kjører altfor fort i {gate}, det må bli 30 km/t.",
         "Mye gjennomkjøring i boligområdet morgen og ettermiddag.",
         "Lastebilene til havna kjører midt gjennom sentrum.",
         "Biler parkerer på fortauet, så vi må gå i veibanen.",
         "For få sykkelparkeringer ved stasjonen.",
         "Kaotisk henting og levering ved {skole}."]),
    "streets_spaces": (
        ["Torget er blitt et hyggelig sted etter oppussingen.",
         "Fine benker og blomsterkasser i {gate}.",
         "Bryggepromenaden er flott."],
        ["Mange tomme butikklokaler i {gate}, det ser trist ut.",
         "Sentrum mangler steder å sitte uten å måtte kjøpe noe.",
         "Parkeringsplassen ved senteret er et grått asfalthav.",
         "Trenger bedre belysning i gatene i {omrade}.",
         "Dårlig skilting, vanskelig å finne fram for tilreisende."]),
    "natural_space": (
        ["Nær marka og fjorden, fantastisk turterreng.",
         "Lysløypa på Furumo brukes hele vinteren.",
         "Badeplassen på Vestre Strand er perfekt om sommeren.",
         "Kort vei til skogen rett fra døra."],
        ["Skogen bak {omrade} skal visst bygges ut, det er synd.",
         "Mye søppel i fjæra etter helgene.",
         "Stien langs bekken er gjengrodd.",
         "Ønsker flere benker langs turstien, for oss eldre."]),
    "play_recreation": (
        ["Skateparken ved ungdomsskolen er supert for ungdommen.",
         "Den nye lekeplassen i {omrade} brukes mye.",
         "Ballbingen er alltid full av unger.",
         "Flott aktivitetspark ved stranda."],
        ["Lekeplassen i {gate} har vært stengt i to år.",
         "Ingenting å gjøre for ungdom på kveldstid.",
         "Ballbingen mangler lys om vinteren.",
         "Trenger et gratis sted å være for ungdom etter at ungdomsklubben ble lagt ned.",
         "Lekeapparatene er gamle og ødelagte.",
         "Skateparken er for liten og alltid full."]),
    "facilities_services": (
        ["Biblioteket er et fantastisk tilbud.",
         "Kort vei til legekontor og apotek.",
         "Nærbutikken er viktig for oss eldre."],
        ["Nærbutikken i {omrade} ble lagt ned, nå må vi kjøre for å handle.",
         "Lang ventetid hos fastlegen.",
         "Biblioteket burde hatt åpent på kveldstid.",
         "Mangler barnehageplass i nærheten av der vi bor.",
         "Posten er flyttet inn i butikken og har kort åpningstid."]),
    "work_economy": (
        ["Havna gir mange arbeidsplasser.",
         "Flere nye småbedrifter i sentrum.",
         "Gode muligheter for sommerjobb for ungdom."],
        ["Få jobber lokalt, de fleste må pendle.",
         "Vanskelig for ungdom å få sommerjobb.",
         "Verftet har nedbemannet, mange er bekymret.",
         "Sentrum trenger flere arbeidsplasser på dagtid.",
         "Kommunen bør gjøre det lettere å starte egen bedrift."]),
    "housing_community": (
        ["Blandet bebyggelse og godt naboskap.",
         "Borettslaget er pusset opp og ser fint ut.",
         "Greit å finne rimelig utleiebolig."],
        ["Boligene er for dyre for unge som vil bli boende her.",
         "De kommunale boligene i {omrade} er fuktige og trekkfulle.",
         "For mange små hybler og for få familieboliger.",
         "Mangler tilrettelagte boliger for eldre.",
         "Mye gjennomtrekk, folk blir ikke boende.",
         "Blokkene i {omrade} trenger etterisolering."]),
    "social_interaction": (
        ["Frivilligsentralen har mange fine aktiviteter.",
         "Kafeen på biblioteket er en god møteplass.",
         "Vi har nabofest i gata hvert år."],
        ["Savner et sted å møtes uten å måtte betale.",
         "Mange eldre er ensomme i {omrade}.",
         "Grendehuset står tomt det meste av tiden.",
         "Få møteplasser for oss som har flyttet hit.",
         "Kafeen på senteret er lagt ned."]),
    "identity_belonging": (
        ["Stolt av å bo i Fjordvik.",
         "Sterkt samhold i {omrade}.",
         "Historien rundt havna og verftet gir stedet karakter."],
        ["{omrade} har et dårlig rykte, og det er urettferdig.",
         "Føler meg ikke hjemme etter at jeg flyttet hit.",
         "Stedet mister sjelen når de gamle husene rives.",
         "Det gamle verftsmiljøet forsvinner."]),
    "feeling_safe": (
        ["Trygt å gå ute om kvelden.",
         "Ungene kan leke ute alene.",
         "Godt naboskap, folk passer på hverandre."],
        ["Utrygt ved kiosken om kvelden, mye ungdom som samles.",
         "Undergangen under riksveien er mørk og utrygg.",
         "For dårlig gatelys langs {gate}.",
         "Det har vært flere innbrudd i bodene i {omrade}.",
         "Utrygt å gå alene fra bussen om kvelden.",
         "Råkjøring med moped på gangveien."]),
    "care_maintenance": (
        ["Kommunen brøyter raskt.",
         "Parken er godt stelt.",
         "Ryddedugnaden hver vår gjør en forskjell."],
        ["Hull i veien i {gate} som aldri blir fikset.",
         "Søppel og tagging ved senteret i {omrade}.",
         "Søppelkassene blir ikke tømt ofte nok.",
         "Det kommunale bygget i {gate} forfaller.",
         "Ugress og kratt overalt langs gangveiene.",
         "Gatelyset har vært ødelagt i flere måneder."]),
    "influence_control": (
        ["Fint med folkemøtet om den nye skolen.",
         "Kommunen svarer når jeg sender innspill.",
         "Ungdomsrådet får være med og bestemme."],
        ["Vi blir ikke hørt, alt er bestemt på forhånd.",
         "Vanskelig å vite hvordan man kan påvirke noe.",
         "Høringene er skrevet på et språk ingen forstår.",
         "Ingen spurte oss før de la ned skolen.",
         "Ønsker flere åpne møter i {omrade}.",
         "Kommunen lytter bare til dem som roper høyest."]),
}
OTHER_COMMENTS = [
    "Takk for at dere spør!", "Fint initiativ, håper det blir fulgt opp.",
    "Undersøkelsen var litt lang.", "Noen av spørsmålene var vanskelige å svare på.",
    "Håper resultatene blir offentlige.", "Fjordvik er et flott sted, men {omrade} blir glemt.",
    "Jeg svarte for hele familien.", "Bra at kommunen bryr seg om nærmiljøet.",
    "Gjør noe med det dere får vite her.", "Har bodd i {omrade} i over 40 år og trives.",
    "Nytt folk flytter inn, det er positivt.", "Burde vært en papirversjon for eldre.",
]
IMPROVE_TAILS = ["", "", "", "", " Dette har vært et problem lenge.", " Håper noe skjer snart.",
                 " Ellers er det greit her."]
GOOD_TAILS = ["", "", "", " Det setter vi stor pris på.", " Håper det fortsetter sånn."]

PLANTED = [  # (kind, planted string, sentence template)
    ("phone", "912 34 567", "Ring meg gjerne på {} hvis dere vil høre mer."),
    ("phone", "+47 41234567", "Kontakt meg på {}, jeg kan vise dere stedet."),
    ("phone", "98765432", "tlf {}"),
    ("phone", "45 67 89 01", "Mobil: {}"),
    ("phone", "004792345678", "Jeg kan nås på {} på dagtid."),
    ("phone", "93 45 67 89", "Send sms til {} så forklarer jeg."),
    ("phone", "40 12 34 56", "ring {} etter kl 16"),
    ("phone", "+47 932 10 987", "Min mann har mer å si om dette: {}."),
    ("phone", "915 55 123", "Nummeret mitt er {}."),
    ("phone", "47712345", "Velforeningen kan kontaktes på {}."),
    ("email", "kari.nordmann@example.no", "Svar meg gjerne på {}."),
    ("email", "ola.hansen@example.no", "Mer info fra meg: {}"),
    ("email", "post@example.no", "Velforeningen har e-post {}."),
    ("email", "fjordvikfan@example.no", "skriv til {}"),
    ("email", "lise.b@example.no", "Jeg vil gjerne være med videre: {}"),
    ("email", "tor-erik@example.no", "Kontakt: {}"),
    ("fodselsnummer", None, "Mitt fødselsnummer er {} hvis dere trenger det."),
    ("fodselsnummer", None, "fnr {}"),
    ("fodselsnummer", None, "({}) – skrev feil i feltet over."),
    ("address", "Sjøgata 14", "Jeg bor i {}, og her er det mye støy fra havna om natta."),
    ("address", "Furumoveien 27B", "Utenfor {} står vannet i veien hver gang det regner."),
    ("address", "Liaveien 3", "Lyktestolpen ved {} har vært ødelagt siden jul."),
]


def _tenor_fnr(rng):
    """An 11-digit SYNTHETIC fødselsnummer (Tenor style: month + 80) with valid check digits."""
    w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
    w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    while True:
        day, month, year = rng.integers(1, 29), rng.integers(1, 13) + 80, rng.integers(50, 99)
        ind = rng.integers(100, 500)
        d = [int(c) for c in f"{day:02d}{month:02d}{year:02d}{ind:03d}"]
        k1 = 11 - sum(a * b for a, b in zip(w1, d, strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        k2 = 11 - sum(a * b for a, b in zip(w2, d + [k1], strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 == 10:
            continue
        return "".join(map(str, d + [k1, k2]))


def _fill(rng, text, area):
    return text.format(omrade=area, gate=STREETS[rng.integers(len(STREETS))],
                       skole=SCHOOLS[rng.integers(len(SCHOOLS))])


def make_comments(rng, resp, scores, last_theme):
    """Free-text comments per respondent: good/improve per theme and 'other'."""
    rows = []
    for k, t in enumerate(THEME_CODES):
        good_pool, improve_pool = COMMENTS[t]
        s = scores[t].to_numpy()
        answered = last_theme >= k
        p_good = np.where(s >= 6, 0.06, np.where(s == 5, 0.03, 0.01))
        p_improve = np.where(s <= 2, 0.12, np.where(s == 3, 0.08, np.where(s == 4, 0.04, 0.01)))
        for kind, p, pool, tails in (("good", p_good, good_pool, GOOD_TAILS),
                                     ("improve", p_improve, improve_pool, IMPROVE_TAILS)):
            hit = np.flatnonzero(answered & (rng.random(len(s)) < p))
            for i in hit:
                text = _fill(rng, pool[rng.integers(len(pool))], resp.at[i, "delomradenavn"])
                text += tails[rng.integers(len(tails))]
                if rng.random() < 0.15:   # typed in a hurry: no final full stop, lower case
                    text = text.rstrip(".")
                    text = text[0].lower() + text[1:]
                rows.append((i, t, kind, text))
    hit = np.flatnonzero((last_theme == len(THEME_CODES) - 1) & (rng.random(len(resp)) < 0.12))
    for i in hit:
        rows.append((i, None, "other", _fill(rng, OTHER_COMMENTS[rng.integers(
            len(OTHER_COMMENTS))], resp.at[i, "delomradenavn"])))
    return pd.DataFrame(rows, columns=["row", "theme", "kind", "text"])


def plant_personal_data(rng, comments, last_theme):
    """Add fake personal data to comments; return the comments and the list of plants."""
    comments = comments.copy()
    planted = []
    complete = np.flatnonzero(last_theme == len(THEME_CODES) - 1)
    targets = rng.choice(complete, size=len(PLANTED), replace=False)
    for (kind, value, template), i in zip(PLANTED, targets, strict=True):
        value = value or _tenor_fnr(rng)
        if kind == "fodselsnummer" and len(planted) % 2 == 1:
            value = value[:6] + " " + value[6:]
        sentence = template.format(value)
        theme = None if rng.random() < 0.5 else THEME_CODES[rng.integers(len(THEME_CODES))]
        kind_c = "other" if theme is None else "improve"
        hit = ((comments["row"] == i) & (comments["kind"] == kind_c)
               & (comments["theme"].isna() if theme is None else comments["theme"].eq(theme)))
        if hit.any():
            j = comments.index[hit][0]
            comments.loc[j, "text"] = comments.at[j, "text"].rstrip() + " " + sentence
        else:
            comments.loc[len(comments)] = [i, theme, kind_c, sentence]
        planted.append((i, theme, kind_c, value, kind))
    return comments, planted


# ===================================================================== writers
def _atomic_write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _safe_cell(text):
    """Protect spreadsheet text against formula injection (leading = + - @ tab CR)."""
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def jsonstat(label, note, dims, values, role, tableid, status=None):
    """A small JSON-stat 2.0 dataset writer. dims: list of (id, label, codes, labels, extra)."""
    doc = {
        "version": "2.0", "class": "dataset", "label": label,
        "source": "soslokal: syntetiske data (etter mønster av SSB), ikke offisiell statistikk",
        "updated": "2025-03-14T08:00:00Z",
        "note": note,
        "id": [d[0] for d in dims], "size": [len(d[2]) for d in dims], "dimension": {},
        "value": values, "role": role,
        "extension": {"px": {"tableid": tableid, "decimals": 0},
                      "synthetic": True, "kommune": f"{KOMMUNE} {KOMMUNE_NAME} (fiktiv)"},
    }
    if status:
        doc["status"] = status
    for did, dlabel, codes, labels, extra in dims:
        cat = {"index": {c: i for i, c in enumerate(codes)},
               "label": dict(zip(codes, labels, strict=True))}
        cat.update(extra or {})
        doc["dimension"][did] = {"label": dlabel, "category": cat}
    return doc


def write_json(path, doc):
    _atomic_write_bytes(path, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode())


def write_ssb_tables(out, gk, popdf, socio):
    note = [f"SYNTETISKE DATA. {KOMMUNE_NAME} ({KOMMUNE}) er en fiktiv kommune; tallene er "
            "laget av data/sample/generate.py og beskriver ingen virkelige personer eller steder."]
    codes = gk["grunnkretsnummer"].tolist()
    names = gk["grunnkretsnavn"].tolist()
    # 04362: Region × Kjonn × Alder × ContentsCode × Tid
    cube = (popdf.pivot_table(index=["grunnkrets", "sex", "age"], values="value",
                              aggfunc="sum", sort=False)
            .reindex(pd.MultiIndex.from_product([codes, ["1", "2"], AGE_CODES])))
    doc = jsonstat(
        "04362: Befolkning, etter region, kjønn, alder, statistikkvariabel og år "
        "(syntetisk, fiktiv kommune Fjordvik)",
        note + ["Alle 1- og 2-tall er endret til 0 eller 3 av personvernhensyn, som hos SSB."],
        [("Region", "region", codes, names, None),
         ("Kjonn", "kjønn", ["1", "2"], ["Menn", "Kvinner"], None),
         ("Alder", "alder", AGE_CODES, [AGE_LABELS[a] for a in AGE_CODES], None),
         ("ContentsCode", "statistikkvariabel", ["Personer"], ["Personer"],
          {"unit": {"Personer": {"base": "personer", "decimals": 0}}}),
         ("Tid", "år", ["2025"], ["2025"], None)],
        cube["value"].astype(int).tolist(),
        {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]}, "04362")
    write_json(out / "ssb_04362_befolkning_alder_kjonn.json", doc)
    # 04317: Grunnkretser × ContentsCode × Tid
    totals = popdf.groupby("grunnkrets")["value"].sum().reindex(codes)
    doc = jsonstat(
        "04317: Befolkning, etter grunnkretser, statistikkvariabel og år "
        "(syntetisk, fiktiv kommune Fjordvik)", note,
        [("Grunnkretser", "grunnkretser", codes, names, None),
         ("ContentsCode", "statistikkvariabel", ["Personer"], ["Personer"],
          {"unit": {"Personer": {"base": "personer", "decimals": 0}}}),
         ("Tid", "år", ["2025"], ["2025"], None)],
        totals.astype(int).tolist(),
        {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Grunnkretser"]}, "04317")
    write_json(out / "ssb_04317_befolkning_grunnkrets.json", doc)
    # 06944: Region (kommune + delområder) × HusholdType × ContentsCode × Tid
    s = socio.merge(gk[["grunnkretsnummer", "delomradenummer"]], left_on="area_id",
                    right_on="grunnkretsnummer")
    regions = [KOMMUNE] + [KOMMUNE + f"{i + 1:02d}00" for i in range(len(DELOMRADER))]
    labels = [KOMMUNE_NAME] + list(DELOMRADER)
    values = []
    status = {}
    for r in regions:
        part = s if r == KOMMUNE else s[s["delomradenummer"] == r]
        hh = int(part["households"].sum())
        med = _mixture_median(part["median_income_nok"], part["households"])
        if hh < 100:   # SSB does not publish income medians for very small areas
            status[str(len(values) + 1)] = ":"
            values += [hh, None]
        else:
            values += [hh, int(round(med, -2))]
    doc = jsonstat(
        "06944: Husholdninger, etter region, husholdningstype, statistikkvariabel og år "
        "(syntetisk, fiktiv kommune Fjordvik)",
        note + ["Medianen er regnet fra en syntetisk log-normal inntektsfordeling per "
                "grunnkrets (sigma 0,55)."],
        [("Region", "region", regions, labels, None),
         ("HusholdType", "husholdningstype", ["0000"], ["Alle husholdninger"], None),
         ("ContentsCode", "statistikkvariabel", ["AntallHushold", "InntSkatt"],
          ["Antall husholdninger", "Inntekt etter skatt, median (kr)"],
          {"unit": {"AntallHushold": {"base": "antall", "decimals": 0},
                    "InntSkatt": {"base": "kr", "decimals": 0}}}),
         ("Tid", "år", ["2023"], ["2023"], None)],
        values, {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]}, "06944",
        status=status)
    write_json(out / "ssb_06944_inntekt_delomrade.json", doc)


LEVEKAR_COLUMNS = {  # tidy id → column in the municipal levekår sheet
    "population": "Innbyggere",
    "median_income_nok": "Medianinntekt husholdninger etter skatt (kr)",
    "low_income_pct": "Vedvarende lavinntekt (%)",
    "low_education_pct": "Lav utdanning 30–59 år (%)",
    "crowded_pct": "Trangbodde (%)",
    "moving_rate_per_1000": "Flytterate (per 1000)",
    "immigrant_pct": "Innvandrere (%)",
    "turnout_pct": "Valgdeltakelse kommunestyrevalget 2023 (%)",
    "benefits_pct": "Arbeidsledige og uføre 18–66 år (%)",
}


def _nb_number(x, decimals):
    return f"{x:.{decimals}f}".replace(".", ",") if decimals else f"{int(x)}"


def write_levekar(out, gk, socio):
    """A municipal levekår sheet: zones as rows, decimal commas, ':' for suppressed cells."""
    df = socio.merge(gk[["grunnkretsnummer", "grunnkretsnavn"]], left_on="area_id",
                     right_on="grunnkretsnummer")
    lines = [["Grunnkrets", "Navn", *LEVEKAR_COLUMNS.values()]]
    small_cols = {"low_income_pct", "crowded_pct", "benefits_pct"}
    for row in df.itertuples():
        cells = [row.area_id, row.grunnkretsnavn]
        for col in LEVEKAR_COLUMNS:
            v = getattr(row, col)
            if col != "population" and (row.population < 50
                                         or (row.population < 100 and col in small_cols)):
                cells.append(":")
            else:
                cells.append(_nb_number(v, 0 if col in ("population", "median_income_nok")
                                        else 1))
        lines.append(cells)
    # kommune row, population-weighted (income: household-weighted median of the mixture)
    w = df["population"].to_numpy(float)
    total = [KOMMUNE, f"{KOMMUNE_NAME} i alt", _nb_number(w.sum(), 0),
             _nb_number(round(_mixture_median(df["median_income_nok"], df["households"]), -3),
                        0)]
    for col in list(LEVEKAR_COLUMNS)[2:]:
        total.append(_nb_number(float(np.average(df[col], weights=w)), 1))
    lines.append(total)
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(
        [[_safe_cell(c) for c in line] for line in lines])
    _atomic_write_bytes(out / "levekar_fjordvik.csv", buf.getvalue().encode("cp1252"))


def write_geo(out, gk):
    g = gpd.GeoDataFrame(
        {"grunnkretsnummer": gk["grunnkretsnummer"], "grunnkretsnavn": gk["grunnkretsnavn"],
         "delomradenummer": gk["delomradenummer"], "kommunenummer": KOMMUNE},
        geometry=gk.geometry.to_numpy(), crs=CRS)
    d = g.dissolve("delomradenummer", as_index=False)[["delomradenummer", "geometry"]]
    d["geometry"] = shapely.set_precision(d.geometry.to_numpy(), 1.0)
    d.insert(1, "delomradenavn", d["delomradenummer"].map(
        {KOMMUNE + f"{i + 1:02d}00": n for i, n in enumerate(DELOMRADER)}))
    for frame, name in ((g, "grunnkretser.geojson"), (d, "delomrader.geojson")):
        tmp = out / f".{name}.tmp"
        frame.to_file(tmp, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=0,
                      WRITE_NAME="NO")
        os.replace(tmp, out / name)
    return g, d


def _timestamps(rng, n, start="2025-03-03T08:00"):
    start = np.datetime64(start)
    day = np.sort(rng.integers(0, 42, n) - (rng.random(n) < 0.3) * rng.integers(0, 5, n))
    day = np.clip(day, 0, 41)
    minute = (rng.choice([7, 8, 12, 15, 19, 20, 21, 22], n) * 60 + rng.integers(0, 60, n)
              - 8 * 60)
    t = start + day.astype("timedelta64[D]") + minute.astype("timedelta64[m]")
    t = t + rng.integers(0, 60, n).astype("timedelta64[s]")
    return pd.Series(np.sort(t)).dt.strftime("%Y-%m-%d %H:%M:%S")


def build_survey_table(rng, resp, scores, comments, last_theme, *, id_base=40_000_000,
                       start="2025-03-03T08:00"):
    n = len(resp)
    ids = id_base + np.cumsum(rng.integers(3, 400, n))
    gender = resp["sex"].map({"Menn": "Mann", "Kvinner": "Kvinne"}).to_numpy(object)
    gender[rng.random(n) < 0.02] = "Vil ikke svare"
    age = resp["band"].to_numpy(object)
    age[rng.random(n) < 0.005] = ""
    table = {"Respondent-ID": ids.astype(str),
             "Tidspunkt": _timestamps(rng, n, start).to_numpy(),
             "Hvilket område bor du i?": resp["delomradenavn"].to_numpy(), "Alder": age,
             "Kjønn": gender}
    oyane = resp["delomradenavn"].eq("Øyane").to_numpy()
    text = comments.assign(key=comments["theme"].fillna("other") + ":" + comments["kind"])
    for k, (t, name) in enumerate(zip(THEME_CODES, THEME_NAMES_NB, strict=True)):
        s = scores[t].to_numpy()
        cell = np.array([("1 – Mye å forbedre" if v == 1 else "7 – Lite å forbedre" if v == 7
                          else str(v)) for v in s], dtype=object)
        p_dk = {"influence_control": 0.09, "work_economy": 0.06}.get(t, 0.035)
        u = rng.random(n)
        dk = u < p_dk
        if t == "traffic_parking":   # the islands are car-free: most answer «Vet ikke»
            dk |= oyane & (u < 0.7)
        cell[dk] = "Vet ikke"
        cell[(u >= 0.96) & (u < 0.97)] = ""
        cell[last_theme < k] = ""
        header = f"{k + 1}. {name}"
        table[header] = cell
        for kind, suffix in (("good", "Hva er bra nå?"), ("improve", "Hva kan bli bedre?")):
            col = np.full(n, "", dtype=object)
            part = text[text["key"] == f"{t}:{kind}"]
            col[part["row"].to_numpy(int)] = part["text"].to_numpy()
            table[f"{header} – {suffix}"] = col
    col = np.full(n, "", dtype=object)
    part = text[text["key"] == "other:other"]
    col[part["row"].to_numpy(int)] = part["text"].to_numpy()
    table["Andre kommentarer"] = col
    return pd.DataFrame(table)


def survey_csv_bytes(table) -> bytes:
    """A survey table as the tool exports it: ``;``, CRLF, UTF-8 with BOM, formula-safe."""
    buf = io.StringIO()
    table.map(_safe_cell).to_csv(buf, sep=";", index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def write_survey(out, table):
    safe = table.map(_safe_cell)
    _atomic_write_bytes(out / "stedskompass_fjordvik.csv", survey_csv_bytes(table))

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Stedskompasset Fjordvik 2025 – SYNTETISKE DATA"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(safe.columns))
    for row in safe.itertuples(index=False):
        ws.append([None if v == "" else v for v in row])
    wb.properties.creator = "soslokal (syntetiske data)"
    buf = io.BytesIO()
    wb.save(buf)
    _atomic_write_bytes(out / "stedskompass_fjordvik.xlsx", _deterministic_zip(buf.getvalue()))


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed timestamps so the file hash is reproducible."""
    stamp = "2025-04-14T00:00:00Z"
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                                 lambda m: m.group(1) + stamp.encode(), payload)
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 4, 14, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, payload)
    return out.getvalue()


def write_csv(path, df):
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    _atomic_write_bytes(path, buf.getvalue().encode("utf-8"))


THEME_NAMES_NB = (
    "Å bevege seg rundt", "Kollektivtransport", "Trafikk og parkering", "Gater og offentlige rom",
    "Natur og grøntområder", "Lek og rekreasjon", "Tjenester og tilbud", "Arbeid og lokal økonomi",
    "Bolig og fellesskap", "Sosial kontakt", "Identitet og tilhørighet", "Trygghet",
    "Vedlikehold og stell", "Innflytelse og medvirkning",
)


def _check_themes():
    """The names above must match the library's catalogue (the generator runs without it)."""
    try:
        from soslokal_lib.themes import THEMES
    except ImportError:
        return
    assert tuple(t.code for t in THEMES) == THEME_CODES
    assert tuple(t.name_nb for t in THEMES) == THEME_NAMES_NB


# ===================================================================== the world
class World(NamedTuple):
    """Everything that does not change between survey rounds: places, people, the model.

    ``rng_state`` is the state of the main random stream after the world was built; the 2025
    round continues from it, so the committed files stay what they were before rounds existed.
    """

    gk: gpd.GeoDataFrame
    dep: np.ndarray
    popdf: pd.DataFrame
    socio: pd.DataFrame
    cells: pd.DataFrame
    dep_by_gk: dict
    area_dep: pd.Series
    dep_scale: float
    means: dict
    truth: pd.DataFrame
    seed: int
    rng_state: dict

    def continuation(self) -> np.random.Generator:
        """A fresh generator in the state the main stream had after the world was built."""
        rng = np.random.Generator(np.random.PCG64())
        rng.bit_generator.state = copy.deepcopy(self.rng_state)
        return rng


def build_world(seed: int = SEED) -> World:
    """Geography, deprivation, population, socioeconomic attributes and the latent score model
    (2025), drawn from the main stream ``default_rng(seed)`` in the order the files need."""
    _check_themes()
    rng = np.random.default_rng(seed)
    gk, _ = make_geography(rng)
    dep = make_deprivation(rng, gk)
    popdf = make_population(rng, gk, dep)
    socio = make_socio(rng, gk, dep, popdf)
    dep_by_gk = dict(zip(gk["grunnkretsnummer"], dep, strict=True))

    cells = _band_population(gk, popdf)
    area_dep = (cells.assign(d=cells["grunnkrets"].map(dep_by_gk) * cells["value"])
                .groupby("delomradenavn")[["d", "value"]].sum())
    area_dep = area_dep["d"] / area_dep["value"]
    dep_scale = float(area_dep.max() - area_dep.min())
    area_eff = {t: dict(zip(gk["grunnkretsnummer"], rng.normal(0, AREA_SD, len(gk)),
                            strict=True)) for t in THEME_CODES}
    means = _theme_means(cells, dep_by_gk, area_eff, dep_scale)
    truth = make_truth(cells, means)
    return World(gk=gk, dep=dep, popdf=popdf, socio=socio, cells=cells, dep_by_gk=dep_by_gk,
                 area_dep=area_dep, dep_scale=dep_scale, means=means, truth=truth, seed=seed,
                 rng_state=copy.deepcopy(rng.bit_generator.state))


def draw_round(rng, world: World, *, means=None, n_respondents=N_RESPONDENTS, plant=True,
               names=None, id_base=40_000_000, start="2025-03-03T08:00",
               comments=True) -> dict:
    """Draw one survey round from ``world``: respondents, scores, comments, the export table.

    ``means`` replaces the latent means (the earlier round's), ``names`` maps grunnkrets →
    the area name respondents choose in that round (old names), ``plant`` adds the fake
    personal data, ``comments=False`` leaves every comment blank and plants nothing (faster,
    for repeated draws).
    """
    means = world.means if means is None else means
    resp, scores, rates = make_respondents(rng, world.cells, world.dep_by_gk, means,
                                           n_respondents)
    if names is not None:
        resp["delomradenavn"] = resp["grunnkrets"].map(names)
    n = len(resp)
    last_theme = np.full(n, len(THEME_CODES) - 1)
    drop = rng.random(n) < 0.03
    last_theme[drop] = rng.integers(4, 12, int(drop.sum()))
    if comments:
        text = make_comments(rng, resp, scores, last_theme)
    else:
        text = pd.DataFrame({"row": pd.Series(dtype=int), "theme": pd.Series(dtype=object),
                             "kind": pd.Series(dtype=object), "text": pd.Series(dtype=object)})
    planted = []
    if plant and comments:
        text, planted = plant_personal_data(rng, text, last_theme)
    table = build_survey_table(rng, resp, scores, text, last_theme, id_base=id_base,
                               start=start)
    return {"table": table, "planted": planted, "resp": resp, "rates": rates,
            "comments": len(text)}


# ===================================================================== an earlier round
#: The earlier round: same kommune, same population and model, its own random stream.
ROUND_BEFORE, ROUND_AFTER = "2021", "2025"
N_RESPONDENTS_BEFORE = 720
#: Planted change from 2021 to 2025 (after − before) in latent points for everyone living in
#: the area: an områdeløft in Storhaugen (safer), bus line 12 to Lia cut to once an hour.
PLANTED_CHANGES = {("Storhaugen", "feeling_safe"): 1.6, ("Lia", "public_transport"): -1.6}
#: How the 2021 areas became the 2025 ones: (2021 name, 2025 name, change).
CROSSWALK = (("Strand", "Vestre Strand", "renamed"),
             ("Øvre Bekkeli", "Bekkeli", "merged"),
             ("Nedre Bekkeli", "Bekkeli", "merged"))


def old_area_names(gk) -> dict:
    """grunnkrets → the delområde name of 2021: Vestre Strand was «Strand»; Bekkeli was two
    areas, its northern grunnkretser (GG 01 up to half) «Øvre Bekkeli», the rest «Nedre
    Bekkeli»."""
    names = dict(zip(gk["grunnkretsnummer"], gk["delomradenavn"], strict=True))
    bekkeli = gk.loc[gk["delomradenavn"] == "Bekkeli", "grunnkretsnummer"].tolist()
    half = (len(bekkeli) + 1) // 2
    for k, code in enumerate(bekkeli):   # gk is sorted north → south within a delområde
        names[code] = "Øvre Bekkeli" if k < half else "Nedre Bekkeli"
    for code, name in names.items():
        if name == "Vestre Strand":
            names[code] = "Strand"
    return names


def means_before(world: World) -> dict:
    """The latent means of 2021: those of 2025 minus the planted changes."""
    area = world.cells["delomradenavn"].to_numpy()
    out = {t: mu.copy() for t, mu in world.means.items()}
    for (name, theme), change in PLANTED_CHANGES.items():
        out[theme] = out[theme] - change * (area == name)
    return out


def truth_of_change(world: World) -> pd.DataFrame:
    """Population (15+) distributions of both rounds per 2025 area (and 9901) and theme, with
    the planted latent change and the true differences (after − before)."""
    before = make_truth(world.cells, means_before(world))
    after = world.truth
    keys = ["area_id", "theme"]
    df = before.merge(after, on=[*keys, "population_15plus"], suffixes=("_before", "_after"))
    code = {KOMMUNE + f"{i + 1:02d}00": name for i, name in enumerate(DELOMRADER)}
    df.insert(2, "planted_change", [PLANTED_CHANGES.get((code.get(a), t), 0.0)
                                    for a, t in zip(df["area_id"], df["theme"], strict=True)])
    for stat in ("mean", "share_low", "share_high"):
        df[f"{stat}_diff"] = (df[f"{stat}_after"] - df[f"{stat}_before"]).round(4)
    df["changed"] = df[["mean_diff", "share_low_diff", "share_high_diff"]].ne(0).any(axis=1)
    order = [*keys, "population_15plus", "planted_change", "changed"]
    for stat in ("mean", "median", "share_low", "share_high"):
        order += [f"{stat}_before", f"{stat}_after"] + ([f"{stat}_diff"] if stat != "median"
                                                          else [])
    return df[order]


def crosswalk_table() -> pd.DataFrame:
    return pd.DataFrame(CROSSWALK, columns=["old", "new", "change"])


def _draw_before(world: World, rng, comments=True) -> dict:
    return draw_round(rng, world, means=means_before(world),
                      n_respondents=N_RESPONDENTS_BEFORE, plant=False,
                      names=old_area_names(world.gk), id_base=30_000_000,
                      start="2021-03-01T08:00", comments=comments)


@functools.lru_cache(maxsize=2)
def _cached_world(seed: int) -> World:
    return build_world(seed)


def draw_rounds(seed: int | None = None, *, world_seed: int = SEED,
                comments: bool = True) -> dict:
    """The pair of rounds as export tables, in memory, for repeated draws.

    The world (places, people, model, planted changes) is built once per ``world_seed`` and
    cached. ``seed=None`` gives exactly the committed files' rounds; any other ``seed`` draws
    both rounds afresh from streams of their own (``default_rng([world_seed, seed, year])``).
    Returns ``{"before": DataFrame, "after": DataFrame, "truth": truth_of_change,
    "crosswalk": DataFrame, "rounds": ("2021", "2025")}``; write a table with
    :func:`survey_csv_bytes` to read it with ``soslokal_lib.read_survey``.
    """
    world = _cached_world(int(world_seed))
    if seed is None:
        rng_after = world.continuation()
        rng_before = np.random.default_rng([int(world_seed), int(ROUND_BEFORE)])
    else:
        rng_after = np.random.default_rng([int(world_seed), int(seed), int(ROUND_AFTER)])
        rng_before = np.random.default_rng([int(world_seed), int(seed), int(ROUND_BEFORE)])
    after = draw_round(rng_after, world, comments=comments)
    before = _draw_before(world, rng_before, comments=comments)
    return {"before": before["table"], "after": after["table"],
            "truth": truth_of_change(world), "crosswalk": crosswalk_table(),
            "rounds": (ROUND_BEFORE, ROUND_AFTER)}


# ===================================================================== main
def generate(out: Path, seed: int = SEED) -> dict:
    """Write every sample file into ``out``; return a summary of the planted truths."""
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(seed)
    gk, dep, popdf, socio = world.gk, world.dep, world.popdf, world.socio
    after = draw_round(world.continuation(), world)
    # The 2021 round has a stream of its own, so the 2025 files do not depend on it.
    before = _draw_before(world, np.random.default_rng([seed, int(ROUND_BEFORE)]))
    table, planted, resp, rates = (after["table"], after["planted"], after["resp"],
                                   after["rates"])

    write_geo(out, gk)
    write_ssb_tables(out, gk, popdf, socio)
    write_levekar(out, gk, socio)
    write_csv(out / "socio_grunnkrets.csv", socio)
    write_csv(out / "truth.csv", world.truth)
    write_csv(out / "truth_grunnkrets.csv", pd.DataFrame(
        {"area_id": gk["grunnkretsnummer"], "delomradenummer": gk["delomradenummer"],
         "deprivation": np.round(dep, 4)}))
    write_survey(out, table)
    headers = {t: f"{k + 1}. {THEME_NAMES_NB[k]}" for k, t in enumerate(THEME_CODES)}
    plant_rows = [{"respondent_id": table.at[i, "Respondent-ID"],
                   "column": ("Andre kommentarer" if theme is None else
                              f"{headers[theme]} – Hva kan bli bedre?"),
                   "planted": value, "kind": kind}
                  for i, theme, _, value, kind in planted]
    write_csv(out / "planted_personal_data.csv", pd.DataFrame(plant_rows))
    _atomic_write_bytes(out / f"stedskompass_fjordvik_{ROUND_BEFORE}.csv",
                        survey_csv_bytes(before["table"]))
    write_csv(out / "truth_rounds.csv", truth_of_change(world))
    write_csv(out / "runder_crosswalk.csv", crosswalk_table())

    return {
        "grunnkretser": len(gk), "population": int(popdf["value"].sum()),
        "respondents": len(resp),
        "respondents_by_area": resp["delomradenavn"].value_counts().to_dict(),
        "response_rate_by_band": rates["band"], "response_rate_by_area": rates["area"],
        "area_deprivation": world.area_dep.round(3).to_dict(),
        "dep_scale": round(world.dep_scale, 4), "comments": after["comments"],
        f"respondents_{ROUND_BEFORE}": len(before["resp"]),
        f"respondents_by_area_{ROUND_BEFORE}":
            before["resp"]["delomradenavn"].value_counts().to_dict(),
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    summary = generate(args.out, args.seed)
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
