"""Tests for soslokal_lib.spatial: contiguity, global and local Moran's I, islands, missing values."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import soslokal_lib as sl
from soslokal_lib import SoslokalError, spatial

gpd = pytest.importorskip("geopandas")
esda = pytest.importorskip("esda")
from libpysal.graph import Graph  # noqa: E402
from shapely.geometry import box  # noqa: E402

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference-data"


def grid(values: list[float], *, island: float | None = None) -> gpd.GeoDataFrame:
    """A 3 × 3 grid of 100 m squares (ids g0…g8, row by row) and optionally a far-off square."""
    geoms = [box(300_000 + 100 * (i % 3), 6_650_000 + 100 * (i // 3),
                 300_100 + 100 * (i % 3), 6_650_100 + 100 * (i // 3)) for i in range(9)]
    ids = [f"g{i}" for i in range(9)]
    names = [f"Rute {i}" for i in range(9)]
    vals = list(values)
    if island is not None:
        geoms.append(box(310_000, 6_660_000, 310_100, 6_660_100))
        ids.append("holmen")
        names.append("Holmen")
        vals.append(island)
    return gpd.GeoDataFrame({"area_name": names, "value": vals}, geometry=geoms,
                            index=pd.Index(ids, name="area_id"), crs="EPSG:25833")


GRID = [1.0, 2.0, 4.0, 2.0, 3.0, 5.0, 4.0, 6.0, 9.0]


@pytest.fixture(scope="module")
def sample_gk():
    s = sl.load_sample()
    return s.grunnkretser.join(s.socio[["low_income_pct"]])


@pytest.fixture(scope="module")
def asker_baerum():
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data folder {REFERENCE} is absent")
    gdf = sl.read_areas(REFERENCE / "ab_grunnkretser_2018.geojson")
    raw = json.loads((REFERENCE / "ab_immigrants.json").read_text(encoding="utf-8"))
    table = pd.DataFrame.from_dict(raw, orient="index")
    text = table["immigrant-share"]
    suppressed = text.map(lambda v: v == "-").astype(bool)
    share = pd.to_numeric(text.mask(suppressed, np.nan)).rename("immigrant_share")
    return gdf, table, share, suppressed


def test_moran_equals_esda_on_asker_baerum(asker_baerum):
    gdf, table, share, suppressed = asker_baerum
    assert len(gdf) == 535 and len(table) == 518
    assert int(suppressed.sum()) == 20
    assert table.index.isin(gdf.index).sum() == 516  # 02199999, 02209999: no boundary
    data = gdf.join(share)
    assert int(data["immigrant_share"].notna().sum()) == 496

    with pytest.raises(SoslokalError, match="missing for 39 areas"):
        spatial.moran(data, "immigrant_share")
    result = spatial.moran(data, "immigrant_share", dropna=True, seed=11)
    used = data[data["immigrant_share"].notna()]
    state = np.random.get_state()  # noqa: NPY002 - esda permutes with numpy's global state
    try:
        np.random.seed(11)  # noqa: NPY002
        reference = esda.Moran(used["immigrant_share"].to_numpy(),
                               Graph.build_contiguity(used, rook=False).transform("r"))
    finally:
        np.random.set_state(state)  # noqa: NPY002
    assert result.statistic == pytest.approx(reference.I, abs=1e-12)
    assert result.expected == pytest.approx(reference.EI)
    assert result.z_rand == pytest.approx(reference.z_rand)
    assert result.n == 496 and len(result.missing) == 39 and result.islands == ()
    assert result.statistic == pytest.approx(0.2924, abs=1e-4)
    # none of 999 permutations as extreme; two-sided: 2 · (0 + 1)/(999 + 1)
    assert result.p_value == pytest.approx(2 / 1000)
    # Two independent 999-permutation z-scores (ours and esda's, both seeded): each has a Monte
    # Carlo relative SE of about 1/sqrt(2 * 998) = 2.2 %, their difference 3.2 %; 0.1 is 3 SE.
    assert result.z == pytest.approx(reference.z_sim, rel=0.1)
    # The permutation distribution's mean and variance are E[I] and Var[I] under randomisation,
    # so with many permutations z tends to esda's analytic z_rand: with 50 000 the Monte Carlo
    # relative SE is sqrt(1/(2 * 49 999) + 1/(50 000 * z²)) = 0.32 %; 4 SE = 1.3 %.
    many = spatial.moran(data, "immigrant_share", dropna=True, seed=11, permutations=50_000)
    assert many.z == pytest.approx(reference.z_rand, rel=0.013)
    assert many.p_value == pytest.approx(2 / 50_001)  # two-sided
    assert float(result) == result.statistic


def test_local_moran_on_asker_baerum(asker_baerum):
    gdf, _, share, _ = asker_baerum
    lisa = spatial.local_moran(gdf.join(share), "immigrant_share", dropna=True, seed=5)
    counts = lisa["cluster"].value_counts()
    assert lisa["cluster"].isna().sum() == 39
    assert counts["High-High"] > 10 and counts["Low-Low"] > 10
    assert counts["Not significant"] > 0.6 * 496


def test_global_moran_seeded_and_matches_permutation_theory(sample_gk):
    with pytest.warns(spatial.IslandWarning, match="Storøya"):
        a = spatial.moran(sample_gk, "low_income_pct", seed=42, permutations=199)
    with pytest.warns(spatial.IslandWarning):
        b = spatial.moran(sample_gk, "low_income_pct", seed=42, permutations=199)
    assert a.p_value == b.p_value and a.z == b.z
    assert a.islands == ("99011201", "99011202") and a.n == 58
    # a random field has I near E[I]: p is not small and the permutation mean is near E[I]
    rng = np.random.default_rng(3)
    noise = sample_gk.assign(noise=rng.normal(size=len(sample_gk)))
    with pytest.warns(spatial.IslandWarning):
        c = spatial.moran(noise, "noise", seed=1, permutations=999)
    assert c.p_value > 0.05
    assert abs(c.z) < 2


def test_seed_leaves_global_numpy_state_alone(sample_gk):
    np.random.seed(123)  # noqa: NPY002 - the legacy global state esda uses
    expected = np.random.random()  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spatial.IslandWarning)
        one = spatial.local_moran(sample_gk, "low_income_pct", seed=7, permutations=199)
        spatial.moran(sample_gk, "low_income_pct", seed=7, permutations=99)
    assert np.random.random() == expected  # noqa: NPY002
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spatial.IslandWarning)
        two = spatial.local_moran(sample_gk, "low_income_pct", seed=7, permutations=199)
        other = spatial.local_moran(sample_gk, "low_income_pct", seed=8, permutations=199)
    pd.testing.assert_series_equal(one["p_value"], two["p_value"])
    assert not one["p_value"].equals(other["p_value"])


def test_cluster_labels_follow_quadrant_and_p(sample_gk):
    with pytest.warns(spatial.IslandWarning):
        lisa = spatial.local_moran(sample_gk, "low_income_pct", seed=2, alpha=0.05)
    assert list(lisa.columns[-4:]) == ["Is", "p_value", "q", "cluster"]
    assert str(lisa["q"].dtype) == "Int8"
    ok = lisa["q"].notna()
    # quadrant from the standardised value and its spatial lag (islands left out)
    used = lisa[ok]
    graph = Graph.build_contiguity(sample_gk.loc[used.index], rook=False).transform("r")
    z = used["low_income_pct"] - used["low_income_pct"].mean()
    lag = pd.Series(graph.lag(z.reindex(graph.unique_ids).to_numpy()), index=graph.unique_ids)
    lag = lag.reindex(used.index)
    expected_q = np.select([(z > 0) & (lag > 0), (z <= 0) & (lag > 0), (z <= 0) & (lag <= 0)],
                           [1, 2, 3], 4)
    assert (used["q"].to_numpy() == expected_q).all()
    significant = used["p_value"] < 0.05
    labels = used["q"].map(spatial.CLUSTER_LABELS)
    assert (used.loc[significant, "cluster"] == labels[significant]).all()
    assert (used.loc[~significant, "cluster"] == "Not significant").all()
    assert significant.sum() >= 10  # the deprivation field is smooth: clear clusters
    assert set(used.loc[significant, "cluster"]) >= {"High-High", "Low-Low"}
    # row-standardised: Σ Is = (n − 1)·I, so the global I is n/(n − 1) times the mean Is
    with pytest.warns(spatial.IslandWarning):
        glob = spatial.moran(sample_gk, "low_income_pct", permutations=0)
    assert used["Is"].mean() * len(used) / (len(used) - 1) == pytest.approx(glob.statistic)
    assert glob.p_value is None and "(tosidig, analytisk, randomisering)" in glob.text()
    # islands: no statistic, no label; the input is unchanged
    assert lisa.loc[["99011201", "99011202"], "cluster"].isna().all()
    assert "cluster" not in sample_gk.columns
    assert lisa.attrs["lisa"]["islands"] == ["99011201", "99011202"]


def test_island_handmade_grid():
    gdf = grid(GRID, island=100.0)
    with pytest.warns(spatial.IslandWarning, match=r"holmen \(Holmen\)"):
        graph = spatial.contiguity(gdf)
    assert list(graph.isolates) == ["holmen"]
    assert graph.transformation == "R"
    assert graph.cardinalities["g4"] == 8 and graph.cardinalities["g0"] == 3  # queen
    with pytest.warns(spatial.IslandWarning, match="left out of Moran's I"):
        result = spatial.moran(gdf, "value", seed=1)
    core = grid(GRID)
    expected = esda.Moran(core["value"].to_numpy(),
                          Graph.build_contiguity(core, rook=False).transform("r"))
    assert result.islands == ("holmen",) and result.n == 9
    assert result.statistic == pytest.approx(expected.I)
    # kept in, the island would change the statistic (esda counts it with a zero lag)
    with_island = esda.Moran(gdf["value"].to_numpy(),
                             Graph.build_contiguity(gdf, rook=False).transform("r"))
    assert abs(with_island.I - expected.I) > 0.01
    with pytest.warns(spatial.IslandWarning):
        lisa = spatial.local_moran(gdf, "value", seed=1, permutations=99)
    assert pd.isna(lisa.loc["holmen", "cluster"]) and pd.isna(lisa.loc["holmen", "Is"])
    assert lisa["cluster"].notna().sum() == 9


def test_rook_differs_from_queen_and_matches_esda():
    gdf = grid(GRID)
    rook = spatial.contiguity(gdf, rook=True)
    assert rook.cardinalities["g4"] == 4
    result = spatial.moran(gdf, "value", rook=True, permutations=0)
    expected = esda.Moran(gdf["value"].to_numpy(),
                          Graph.build_contiguity(gdf, rook=True).transform("r"))
    assert result.statistic == pytest.approx(expected.I)
    assert result.statistic != pytest.approx(spatial.moran(gdf, "value", permutations=0).statistic)


def test_missing_values_and_dropna_subset_graph():
    gdf = grid(GRID).assign(value=[1.0, 2.0, np.nan, 2.0, 3.0, 5.0, 4.0, 6.0, 9.0])
    with pytest.raises(SoslokalError, match=r"missing for 1 areas: g2.*dropna=True"):
        spatial.moran(gdf, "value")
    full = spatial.contiguity(grid(GRID))
    by_graph = spatial.moran(gdf, "value", graph=full, dropna=True, permutations=0)
    built = spatial.moran(gdf, "value", dropna=True, permutations=0)
    sub = gdf.drop(index="g2")
    expected = esda.Moran(sub["value"].to_numpy(),
                          Graph.build_contiguity(sub, rook=False).transform("r"))
    assert by_graph.statistic == pytest.approx(expected.I)
    assert built.statistic == pytest.approx(expected.I)
    assert by_graph.missing == ("g2",) and by_graph.n == 8


def test_bad_inputs():
    gdf = grid(GRID)
    with pytest.raises(SoslokalError, match="not in the data"):
        spatial.moran(gdf, "nope")
    text = gdf.assign(value=["1", "2", "-", "2", "3", "5", "4", "6", "9"])
    with pytest.raises(SoslokalError, match=r"not numbers in areas g2.*'-'"):
        spatial.moran(text, "value")
    with pytest.raises(SoslokalError, match="same value in every area"):
        spatial.moran(gdf.assign(value=1.0), "value")
    partial = spatial.contiguity(gdf.drop(index=["g0", "g1"]))
    with pytest.raises(SoslokalError, match="2 areas are not in the graph: g0, g1"):
        spatial.moran(gdf, "value", graph=partial)
    with pytest.raises(SoslokalError, match="GeoDataFrame"):
        spatial.contiguity(pd.DataFrame(gdf.drop(columns="geometry")))
    with pytest.raises(SoslokalError, match="permutations"):
        spatial.local_moran(gdf, "value", permutations=0)
    with pytest.raises(SoslokalError, match="alpha"):
        spatial.local_moran(gdf, "value", alpha=5)


def test_moran_text_and_local_moran_map(sample_gk):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spatial.IslandWarning)
        result = spatial.moran(sample_gk, "low_income_pct", seed=1, permutations=99)
        lisa = spatial.local_moran(sample_gk, "low_income_pct", seed=1, permutations=99)
    assert result.text().startswith("Moran's I = 0,5")
    assert "positiv romlig autokorrelasjon" in result.text()
    assert "positive spatial autocorrelation" in result.text("en")
    from soslokal_lib.plot.maps import plot_local_moran

    ax = plot_local_moran(lisa, source="syntetiske data")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("Høy–høy") for t in legend)
    assert any("uten naboer" in t for t in legend)
    captions = [t.get_text() for t in ax.texts if t.get_gid() == "map-caption"]
    assert captions and "dronning-naboskap" in captions[0] and "tosidig p < 0,05" in captions[0]
    plt.close("all")


def _exact_two_sided(stats: np.ndarray, observed: float) -> float:
    """Exact two-sided p over a complete, equally likely reference distribution."""
    up = (stats >= observed - 1e-12).mean()
    low = (stats <= observed + 1e-12).mean()
    return min(1.0, 2.0 * min(up, low))


def test_moran_p_is_two_sided_against_the_exact_permutation_distribution():
    # all 9! relabellings of the 3 × 3 grid: the exact permutation distribution of Moran's I
    values = [3.0, 9.0, 7.0, 2.0, 7.0, 7.0, 2.0, 2.0, 4.0]
    gdf = grid(values)
    w = spatial.contiguity(gdf).sparse.toarray()
    z = np.asarray(values) - np.mean(values)
    perms = z[np.array(list(itertools.permutations(range(9))))]
    every = 9 / w.sum() * np.einsum("pi,ij,pj->p", perms, w, perms) / (z @ z)
    result = spatial.moran(gdf, "value", permutations=9999)
    assert result.statistic == pytest.approx(9 / w.sum() * z @ w @ z / (z @ z))
    exact = _exact_two_sided(every, result.statistic)
    assert (every >= result.statistic - 1e-12).mean() == pytest.approx(0.0333, abs=1e-4)
    assert exact == pytest.approx(0.0667, abs=1e-4)
    # the folded one-sided p would be ≈ 0.033 and call this «significant at 5 %»
    assert result.p_value == pytest.approx(exact, abs=0.01)
    assert "ikke noe tydelig romlig mønster" in result.text()
    assert "tosidig, 9999 permutasjoner" in result.text()


def test_lisa_p_is_two_sided_against_the_exact_conditional_distribution():
    # conditional randomisation: z_i fixed, the k neighbours drawn from the other n − 1 values;
    # I_i = c · z_i · mean(neighbours), so its two-sided p is that of the neighbour mean
    gdf = grid(GRID)
    lisa = spatial.local_moran(gdf, "value", permutations=9999)
    w = spatial.contiguity(gdf).sparse.toarray() > 0
    z = np.asarray(GRID) - np.mean(GRID)
    exact = []
    for i in range(9):
        others = np.delete(z, i)
        lags = np.array([others[list(c)].mean()
                         for c in itertools.combinations(range(8), int(w[i].sum()))])
        exact.append(1.0 if z[i] == 0 else _exact_two_sided(lags, z[w[i]].mean()))
    assert lisa["p_value"].to_numpy() == pytest.approx(exact, abs=0.01)
    assert exact[0] == pytest.approx(1 / 28) and exact[8] == pytest.approx(1 / 7)
    # g8 (one-sided p ≈ 0.07) and g1 (≈ 0.054) are not clusters; g0 is Low-Low
    assert lisa["cluster"].tolist() == ["Low-Low"] + ["Not significant"] * 8
    assert lisa.attrs["lisa"]["test"] == "two-sided"


def test_null_rejection_rate_is_near_five_percent():
    # no spatial pattern: a 5 % test rejects in about 5 % of the fields (the folded one-sided
    # p_sim did so in about 10 %: benchmarks/moran_null.py)
    gdf = gpd.GeoDataFrame(geometry=[box(100 * (i % 4), 100 * (i // 4), 100 * (i % 4) + 100,
                                         100 * (i // 4) + 100) for i in range(11)],
                           index=pd.Index([f"a{i}" for i in range(11)]), crs="EPSG:25833")
    graph = spatial.contiguity(gdf)
    rng = np.random.default_rng(20240613)
    fields = rng.normal(size=(300, 11))
    rejected = [spatial.moran(gdf.assign(y=y), "y", graph=graph, seed=run,
                              permutations=199).p_value < 0.05
                for run, y in enumerate(fields)]
    assert 0.015 <= np.mean(rejected) <= 0.065  # here 0.030; the folded p gave 0.077


def test_default_seed_makes_reports_reproducible():
    gdf = grid(GRID)
    assert spatial.moran(gdf, "value").p_value == spatial.moran(gdf, "value").p_value
    pd.testing.assert_series_equal(spatial.local_moran(gdf, "value")["p_value"],
                                   spatial.local_moran(gdf, "value")["p_value"])
    assert spatial.moran(gdf, "value").seed == spatial.DEFAULT_SEED == 0


def test_two_sided_p_by_hand():
    sims = np.arange(1.0, 100.0)  # 99 permuted statistics 1 … 99
    # 95 is matched or exceeded by 5 of them: one-sided (5 + 1)/100, two-sided twice that
    assert spatial.two_sided_p(95.0, sims) == pytest.approx(0.12)
    assert spatial.two_sided_p(3.0, sims) == pytest.approx(0.08)
    assert spatial.two_sided_p(50.0, sims) == 1.0
    # a tie within floating-point noise counts as extreme
    assert spatial.two_sided_p(95.0 + 1e-13, sims) == pytest.approx(0.12)
    both = spatial.two_sided_p(np.array([95.0, 3.0]), np.column_stack([sims, sims]))
    assert both == pytest.approx([0.12, 0.08])


def test_import_stays_light():
    code = ("import sys, soslokal_lib, soslokal_lib.stats.spatial, soslokal_lib.stats.models; "
            "bad = [m for m in ('esda', 'libpysal', 'statsmodels', 'geopandas', 'matplotlib') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    # the lazy public names resolve to the modules
    assert sl.spatial.moran is spatial.moran and sl.models.__name__ == "soslokal_lib.stats.models"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert run.returncode == 0, run.stdout + run.stderr


def _by_subgraph(graph, keep: pd.Series):
    """The areas used and their weights as Graph.subgraph/transform give them (the old path)."""
    sub = graph.subgraph(list(keep.index)).transform("r")
    islands = [str(i) for i in sub.isolates]
    sub = sub.subgraph([i for i in sub.unique_ids if str(i) not in islands]).transform("r")
    return keep.reindex(sub.unique_ids), sub, islands


def test_fast_paths_equal_subgraph_and_esda_on_the_graph(sample_gk):
    # values missing in some areas, rows in another order than the graph's: the graph passed
    # in is restricted on its sparse matrix; weights, order, statistics and draws are those of
    # Graph.subgraph + transform("r") with esda on that Graph
    with pytest.warns(spatial.IslandWarning):
        graph = spatial.contiguity(sample_gk)
    before = graph.sparse.copy()
    data = sample_gk.iloc[::-1].copy()
    data.loc[data.index[[3, 10, 11, 40]], "low_income_pct"] = np.nan
    y, sub, islands = _by_subgraph(graph, data["low_income_pct"].dropna())
    with pytest.warns(spatial.IslandWarning):
        result = spatial.moran(data, "low_income_pct", graph=graph, dropna=True, seed=3,
                               permutations=399)
    assert list(result.islands) == islands and result.n == len(y) == 54
    assert list(result.graph.unique_ids) == list(sub.unique_ids) == list(y.index)
    assert result.graph.transformation == "R"
    diff = result.graph.sparse - sub.sparse
    assert abs(diff).max() < 1e-15 and result.graph.sparse.nnz == sub.sparse.nnz
    pd.testing.assert_series_equal(result.graph.cardinalities, sub.cardinalities)
    reference = esda.Moran(y.to_numpy(), sub, transformation="r", permutations=0)
    assert result.statistic == pytest.approx(reference.I, abs=1e-14)
    assert result.z_rand == pytest.approx(reference.z_rand, abs=1e-12)
    assert result.p_rand == pytest.approx(reference.p_rand, abs=1e-14)
    # the permutation draws: default_rng(seed), relabellings of z in blocks, I = n/S0·x'Wx/z'z
    rng = np.random.default_rng(3)
    z = y.to_numpy() - y.mean()
    shuffled = np.vstack([rng.permuted(np.broadcast_to(z, (k, len(z))), axis=1)
                          for k in (200, 199)])
    w = sub.sparse.toarray()
    sims = len(z) / w.sum() * np.einsum("pi,ij,pj->p", shuffled, w, shuffled) / (z @ z)
    assert result.p_value == spatial.two_sided_p(result.statistic, sims)
    assert result.z == pytest.approx((result.statistic - sims.mean()) / sims.std(), abs=1e-10)
    # LISA: esda's conditional permutations on the same weights, the same seed
    with pytest.warns(spatial.IslandWarning):
        lisa = spatial.local_moran(data, "low_income_pct", graph=graph, dropna=True, seed=3,
                                   permutations=399)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        local = esda.Moran_Local(y.to_numpy(), sub, transformation="r", permutations=399,
                                 n_jobs=1, seed=3, keep_simulations=True)
    used = lisa.loc[y.index]
    np.testing.assert_allclose(used["Is"].to_numpy(), local.Is, rtol=0, atol=1e-13)
    np.testing.assert_array_equal(used["p_value"].to_numpy(),
                                  spatial.two_sided_p(local.Is, local.sim))
    np.testing.assert_array_equal(used["q"].to_numpy(dtype=int), local.q)
    assert lisa.loc[islands, "Is"].isna().all()
    # the caller's graph is left as it was (esda gets its own copy of the matrix)
    assert (graph.sparse != before).nnz == 0 and graph.transformation == "R"


def test_simulate_quadratic_form_on_asymmetric_weights_with_self_weights():
    # x'Wx over the upper triangle of W + W' plus the diagonal equals the direct product
    rng = np.random.default_rng(8)
    dense = rng.random((7, 7)) * (rng.random((7, 7)) < 0.5)
    dense[2, 2] = 0.7
    from scipy import sparse

    y = rng.normal(size=7)
    sims = spatial._simulate(y, sparse.csr_array(dense), 450, seed=4)
    rng = np.random.default_rng(4)
    z = y - y.mean()
    shuffled = np.vstack([rng.permuted(np.broadcast_to(z, (k, 7)), axis=1)
                          for k in (200, 200, 50)])
    expected = 7 / dense.sum() * np.einsum("pi,ij,pj->p", shuffled, dense, shuffled) / (z @ z)
    np.testing.assert_allclose(sims, expected, rtol=1e-12)
