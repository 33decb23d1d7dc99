"""Spatial patterns between areas: contiguity graphs, global and local Moran's I.

Public as ``soslokal_lib.spatial``. Built on libpysal's ``Graph`` and esda (imported lazily).

* :func:`contiguity` — queen (default) or rook contiguity between polygons, row-standardised,
  ids = the GeoDataFrame index (``area_id``). Areas without neighbours («islands», e.g. the
  sample's Øyane) are named in an :class:`IslandWarning`.
* :func:`moran` — global Moran's I, I = (n / S0) · Σᵢ Σⱼ wᵢⱼ zᵢ zⱼ / Σᵢ zᵢ² with z = y − ȳ and
  row-standardised weights (S0 = n), as ``esda.Moran``; a two-sided permutation p-value.
* :func:`local_moran` — LISA (``esda.Moran_Local``, conditional permutations, ``n_jobs=1``,
  which works without numba) with a two-sided p, quadrant ``q`` and a ``cluster`` label per area.
* :func:`lisa_note` — the method of a LISA result in one line; the map itself is drawn by
  :func:`soslokal_lib.plot.maps.plot_local_moran` (this module draws nothing).

**p-values are two-sided**: p = min(1, 2·min(k≥ + 1, k≤ + 1) / (P + 1)), where k≥ (k≤) counts
the P permuted statistics at least (at most) as large as the observed one (ties within 1e-10
count as extreme, so the result does not depend on floating-point noise). esda's ``p_sim``
(«directed»/folded: the smaller tail alone) is a one-sided p for a direction chosen after looking
at the data; at 5 % it says «significant» about twice as often as it should when there is no
pattern (measured with ``benchmarks/moran_null.py``: 11 areas, 400 null fields: 9.2 % with
``p_sim``, about 5 % two-sided).

**Islands** have no neighbours, so no spatial lag: they are left out of both statistics (an
:class:`IslandWarning` names them; results list them in ``islands``), rather than entering Moran's
I as zeros the way esda would count them. To keep them, pass a ``graph`` that connects them
(e.g. ``Graph.build_knn``). **Missing values** raise an error naming the areas unless
``dropna=True``, which leaves them out and re-standardises the graph on the remaining areas
(their contiguity is unchanged). **Randomness**: ``seed`` (default ``0``, so a report gives the
same p-values every time it is run) makes permutations reproducible; global Moran draws them with
``numpy.random.default_rng(seed)`` (vectorised), local Moran passes ``seed`` to esda; numpy's
global random state is left as it was. ``seed=None`` draws fresh permutations.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number, lang_key

if TYPE_CHECKING:
    from libpysal.graph import Graph

__all__ = [
    "CLUSTER_LABELS", "DEFAULT_SEED", "IslandWarning", "MoranResult", "contiguity", "lisa_note",
    "local_moran", "moran", "two_sided_p",
]

#: esda's quadrant codes (``geoda_quads=False``) → cluster labels, as ``plot_lisa_map`` expects.
CLUSTER_LABELS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}
NOT_SIGNIFICANT = "Not significant"
_CHUNK = 200  # permutations per vectorised block (memory: chunk × n floats)
_TIE = 1e-10  # permuted statistics within this of the observed one count as ties (extreme)
DEFAULT_SEED = 0


class IslandWarning(UserWarning):
    """Some areas have no neighbours in the graph; spatial statistics leave them out."""


@dataclass(frozen=True)
class MoranResult:
    """Global Moran's I. ``float(result)`` is the statistic.

    ``statistic`` Moran's I; ``expected`` E[I] = −1/(n − 1); ``p_value`` the two-sided
    permutation p (``None`` without permutations); ``z`` the permutation z-score
    (I − mean of simulated I) / SD, or the analytic z under randomisation without permutations;
    ``z_rand``/``p_rand`` the analytic z and two-sided p under randomisation; ``n`` areas used;
    ``islands`` and ``missing`` the ids left out.
    """

    statistic: float
    p_value: float | None
    z: float
    expected: float
    n: int
    column: str
    permutations: int
    seed: int | None
    z_rand: float
    p_rand: float
    islands: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    graph: Any = field(default=None, repr=False, compare=False)

    def __float__(self) -> float:
        return float(self.statistic)

    def to_frame(self) -> pd.DataFrame:
        """One row: ``column``, ``statistic``, ``expected``, ``p_value``, ``z``, ``z_rand``,
        ``p_rand``, ``n``, ``permutations``, ``seed``, ``islands`` and ``missing`` (ids joined
        by ", ")."""
        return pd.DataFrame([{
            "column": self.column, "statistic": self.statistic, "expected": self.expected,
            "p_value": self.p_value, "z": self.z, "z_rand": self.z_rand, "p_rand": self.p_rand,
            "n": self.n, "permutations": self.permutations, "seed": self.seed,
            "islands": ", ".join(self.islands), "missing": ", ".join(self.missing)}])

    def text(self, lang: str = "nb") -> str:
        """One sentence reporting I, p and n, in bokmål (``lang="nb"``) or English."""
        nb = _is_nb(lang)
        i = _num(self.statistic, 3, nb)
        if self.p_value is not None:
            p_value = self.p_value
            how = (f"tosidig, {self.permutations} permutasjoner" if nb
                   else f"two-sided, {self.permutations} permutations")
        else:
            p_value = self.p_rand
            how = ("tosidig, analytisk, randomisering" if nb
                   else "two-sided, analytic, randomisation")
        p = f", p = {_num(p_value, 3, nb)} ({how})"
        significant = p_value < 0.05
        if nb:
            what = ("nabområder ligner hverandre (positiv romlig autokorrelasjon)"
                    if significant and self.statistic > self.expected else
                    "nabområder er ulike (negativ romlig autokorrelasjon)" if significant else
                    "ikke noe tydelig romlig mønster")
            return f"Moran's I = {i}{p}, n = {self.n} områder: {what}."
        what = ("neighbouring areas resemble each other (positive spatial autocorrelation)"
                if significant and self.statistic > self.expected else
                "neighbouring areas differ (negative spatial autocorrelation)" if significant
                else "no clear spatial pattern")
        return f"Moran's I = {i}{p}, n = {self.n} areas: {what}."


# --- graphs -------------------------------------------------------------------------------------


def contiguity(gdf: Any, *, rook: bool = False) -> Graph:
    """Row-standardised contiguity graph of the polygons in ``gdf`` (ids = its index).

    Queen contiguity (a shared vertex is enough) unless ``rook=True`` (a shared edge).
    Areas without neighbours are named in an :class:`IslandWarning`; ``graph.isolates`` lists
    them.
    """
    graph = _build(gdf, rook)
    islands = _islands(graph)
    if islands:
        _warn_islands(islands, gdf, "left out of Moran statistics")
    return graph


def _build(gdf: Any, rook: bool) -> Graph:
    from libpysal.graph import Graph

    _check_geo(gdf)
    return Graph.build_contiguity(gdf, rook=rook).transform("r")


def _check_geo(gdf: Any) -> None:
    if not hasattr(gdf, "geometry") or not hasattr(gdf, "crs"):
        raise SoslokalError(f"A contiguity graph needs a GeoDataFrame, got {type(gdf).__name__}. "
                            "Fix: join the values onto the areas (areas.join(table)) or pass "
                            "graph=….")
    if not gdf.index.is_unique:
        dup = gdf.index[gdf.index.duplicated()].unique()
        raise SoslokalError(f"The areas have duplicated ids: {_ids(dup)}. Fix: one row per "
                            "area (dissolve or aggregate duplicates first).")
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if empty.any():
        raise SoslokalError(f"{int(empty.sum())} areas have no geometry: "
                            f"{_ids(gdf.index[empty.to_numpy()])}. Fix: drop them or join the "
                            "values onto the boundary file.")


def _islands(graph: Graph) -> list[str]:
    return [str(i) for i in graph.isolates]


def _warn_islands(islands: list[str], frame: Any, consequence: str) -> None:
    names = frame["area_name"] if "area_name" in getattr(frame, "columns", []) else None
    shown = [f"{i} ({names.get(i)})" if names is not None and pd.notna(names.get(i)) else i
             for i in islands[:5]]
    more = f" … and {len(islands) - 5} more" if len(islands) > 5 else ""
    warnings.warn(IslandWarning(
        f"{len(islands)} area(s) have no neighbours in the graph: {', '.join(shown)}{more}; "
        f"{consequence}. Fix (to keep them): pass a graph that connects them, e.g. "
        "libpysal.graph.Graph.build_knn(gdf.representative_point(), k=1) unioned with the "
        "contiguity graph."), stacklevel=3)


# --- preparing data -----------------------------------------------------------------------------


def _ids(index: Any, most: int = 5) -> str:
    values = [str(v) for v in index]
    text = ", ".join(values[:most])
    return text + (f" … and {len(values) - most} more" if len(values) > most else "")


def _prepare(gdf: Any, column: str, graph: Graph | None, dropna: bool, rook: bool
             ) -> tuple[pd.Series, _Weights, list[str], list[str]]:
    """Values aligned to the weights, the row-standardised weights without missing areas and
    islands, the island ids and the missing ids.

    The graph is restricted on its (cached) sparse matrix rather than with ``Graph.subgraph``
    and ``transform``: the same weights in the same order, without rebuilding a ``Graph``."""
    if column not in gdf.columns:
        raise SoslokalError(f"Column {column!r} is not in the data (columns: "
                            f"{', '.join(map(str, gdf.columns[:15]))}).")
    if not gdf.index.is_unique:
        raise SoslokalError(f"The areas have duplicated ids: "
                            f"{_ids(gdf.index[gdf.index.duplicated()].unique())}. Fix: one row "
                            "per area.")
    raw = gdf[column]
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    bad = values.isna() & raw.notna()
    if bad.any():
        raise SoslokalError(f"Column {column!r} has values that are not numbers in areas "
                            f"{_ids(gdf.index[bad.to_numpy()])} (e.g. {raw[bad].iloc[0]!r}). "
                            "Fix: convert suppression marks such as '-' or ':' to missing.")
    missing = [str(i) for i in values.index[values.isna().to_numpy()]]
    if missing and not dropna:
        raise SoslokalError(f"Column {column!r} is missing for {len(missing)} areas: "
                            f"{_ids(missing)}. Fix: pass dropna=True to leave them out (the "
                            "graph is re-standardised on the other areas), or fill them.")
    keep = values.dropna()
    if graph is None:
        graph = _build(gdf.loc[keep.index], rook)
    ids = pd.Index(graph.unique_ids)
    absent = keep.index.astype("str").difference(ids.astype("str"))
    if len(absent):
        raise SoslokalError(f"{len(absent)} areas are not in the graph: {_ids(absent)}. Fix: "
                            "build the graph from the same areas (spatial.contiguity(gdf)).")
    weights = _restrict(graph, keep.index if len(ids) != len(keep) else None)
    islands = [str(i) for i in weights.islands]
    y = keep.reindex(weights.ids)
    if len(y) < 3:
        raise SoslokalError(f"Only {len(y)} areas with values and neighbours; Moran's I needs "
                            "at least 3.")
    if np.ptp(y.to_numpy()) == 0:
        raise SoslokalError(f"Column {column!r} has the same value in every area; Moran's I is "
                            "undefined.")
    return y, weights, islands, missing


@dataclass(frozen=True)
class _Weights:
    """Row-standardised weights among the areas used (CSR, rows and columns in ``ids`` order),
    with the ids left out as islands."""

    matrix: Any
    ids: pd.Index
    islands: pd.Index

    def esda(self) -> Any:
        """A libpysal ``W`` around a copy of the matrix, for esda (which may modify it)."""
        return _prepared_w_class().around(self.matrix.copy())

    def graph(self) -> Graph:
        """The same weights as a libpysal ``Graph`` (row-standardised), built from the matrix
        without re-sorting or re-validating."""
        from libpysal.graph import Graph

        m = self.matrix
        n = m.shape[0]
        rows = np.repeat(np.arange(n), np.diff(m.indptr))
        index = pd.MultiIndex(levels=[self.ids, self.ids], codes=[rows, m.indices],
                              names=["focal", "neighbor"], verify_integrity=False)
        return Graph(pd.Series(m.data, index=index, name="weight"), "R", is_sorted=True)


def _restrict(graph: Graph, order: pd.Index | None) -> _Weights:
    """``graph`` on the areas ``order`` (in that order; ``None``: all, in the graph's order),
    without islands, row-standardised: as ``graph.subgraph(order)`` and ``transform("r")``
    would give, with islands then dropped and the rest re-standardised."""
    from scipy import sparse

    ids = pd.Index(graph.unique_ids)
    matrix = graph.sparse  # cached on the graph: built once per graph, not per call
    standardised = graph.transformation == "R" and order is None
    if order is not None:
        positions = ids.get_indexer(order)
        matrix = matrix[positions][:, positions]
        ids = ids[positions]
    matrix = sparse.csr_array(matrix, copy=True)
    matrix.eliminate_zeros()  # isolates are zero-weight self-loops in a Graph
    matrix.sort_indices()
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    lonely = sums == 0
    islands = ids[lonely]
    if lonely.any():
        kept = np.flatnonzero(~lonely)
        matrix = matrix[kept][:, kept]
        matrix.eliminate_zeros()
        matrix.sort_indices()
        ids = ids[kept]
        sums = np.asarray(matrix.sum(axis=1)).ravel()
        standardised = False
    if not standardised:
        matrix.data = matrix.data / np.repeat(sums, np.diff(matrix.indptr))
    return _Weights(matrix=matrix, ids=ids, islands=islands)


@cache
def _prepared_w_class() -> type:
    from libpysal.weights import W

    class PreparedW(W):
        """A row-standardised ``W`` around a ready CSR matrix. esda sets ``w.transform`` on
        every call, which in a plain ``W`` recomputes the weights and drops its cached sparse
        matrix; setting the transformation it already has keeps them."""

        def set_transform(self, value: str = "B") -> None:
            if value.upper() != getattr(self, "_transform", None):
                W.set_transform(self, value)

        transform = property(W.get_transform, set_transform)

        @classmethod
        def around(cls, matrix: Any) -> W:
            n = matrix.shape[0]
            indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
            neighbors = {i: indices[indptr[i]:indptr[i + 1]] for i in range(n)}
            weights = {i: data[indptr[i]:indptr[i + 1]] for i in range(n)}
            w = cls(neighbors, weights, id_order=list(range(n)), silence_warnings=True)
            w.transformations["R"] = w.weights
            w._transform = "R"
            w._sparse = matrix
            w._cache["sparse"] = matrix
            return w

    return PreparedW


@contextmanager
def _global_rng_kept() -> Iterator[None]:
    """Restore numpy's global random state afterwards (esda seeds it for local Moran)."""
    state = np.random.get_state()  # noqa: NPY002 - esda seeds the legacy global state
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


def _check_permutations(permutations: int, least: int = 0) -> int:
    if not isinstance(permutations, int | np.integer) or permutations < least:
        raise SoslokalError(f"permutations must be an integer ≥ {least}, got {permutations!r}.")
    return int(permutations)


# --- global Moran -------------------------------------------------------------------------------


def moran(
    gdf: Any,
    column: str,
    *,
    graph: Graph | None = None,
    seed: int | None = DEFAULT_SEED,
    permutations: int = 999,
    dropna: bool = False,
    rook: bool = False,
) -> MoranResult:
    """Global Moran's I of ``gdf[column]`` over a contiguity ``graph`` (default: queen,
    row-standardised, built from ``gdf``; ``rook=True`` for rook).

    The statistic equals ``esda.Moran(y, graph.transform("r")).I`` on the areas used; the
    two-sided permutation p-value uses ``permutations`` random relabellings seeded by ``seed``
    (default 0: reproducible). Islands
    are left out with an :class:`IslandWarning`; missing values raise unless ``dropna=True``.
    """
    import esda

    permutations = _check_permutations(permutations)
    y, weights, islands, missing = _prepare(gdf, column, graph, dropna, rook)
    if islands:
        _warn_islands(islands, gdf, "left out of Moran's I")
    result = esda.Moran(y.to_numpy(), weights.esda(), transformation="r", permutations=0)
    statistic = float(result.I)
    p_value = None
    z = float(result.z_rand)
    if permutations:
        sims = _simulate(y.to_numpy(), weights.matrix, permutations, seed)
        p_value = float(two_sided_p(statistic, sims))
        sd = sims.std()
        z = float((statistic - sims.mean()) / sd) if sd > 0 else float("nan")
    return MoranResult(
        statistic=statistic, p_value=p_value, z=z, expected=float(result.EI), n=len(y),
        column=column, permutations=permutations, seed=seed, z_rand=float(result.z_rand),
        p_rand=float(result.p_rand), islands=tuple(islands), missing=tuple(missing),
        graph=weights.graph())


def two_sided_p(observed: Any, simulated: np.ndarray) -> Any:
    """Two-sided permutation p-value(s): min(1, 2·min(k≥ + 1, k≤ + 1) / (P + 1)).

    ``simulated`` holds P permuted statistics along axis 0 (shape ``(P,)`` or ``(P, n)`` for
    ``n`` observed statistics). Values within 1e-10 (relative) of the observed statistic count
    as ties, i.e. as extreme, so floating-point noise cannot move the p-value.
    """
    simulated = np.asarray(simulated, dtype="float64")
    observed = np.asarray(observed, dtype="float64")
    tol = _TIE * np.maximum(1.0, np.abs(observed))
    above = (simulated >= observed - tol).sum(axis=0)
    below = (simulated <= observed + tol).sum(axis=0)
    permutations = simulated.shape[0]
    return np.minimum(1.0, 2.0 * (np.minimum(above, below) + 1.0) / (permutations + 1.0))


def _simulate(y: np.ndarray, weights: Any, permutations: int, seed: int | None) -> np.ndarray:
    """Moran's I of ``permutations`` random relabellings of ``y`` (vectorised in blocks).

    Each relabelling x gives I = n / S0 · x'Wx / z'z. The quadratic form is taken over the
    upper triangle of W + W' (x'Wx = x'Ux + Σ wᵢᵢxᵢ², U = triu(W + W', 1)): half the sparse
    products of W x, one fused sum per block."""
    from scipy import sparse

    rng = np.random.default_rng(seed)
    z = y - y.mean()
    scale = len(z) / weights.sum() / (z @ z)
    weights = sparse.csr_array(weights)
    upper = sparse.triu(weights + weights.T, k=1, format="csr")
    diagonal = weights.diagonal()
    out = np.empty(permutations)
    for start in range(0, permutations, _CHUNK):
        k = min(_CHUNK, permutations - start)
        shuffled = rng.permuted(np.broadcast_to(z, (k, len(z))), axis=1)  # k × n
        columns = np.ascontiguousarray(shuffled.T)  # n × k, one relabelling per column
        quad = np.einsum("ij,ij->j", columns, upper @ columns)
        if diagonal.any():
            quad += np.einsum("i,ij,ij->j", diagonal, columns, columns)
        out[start:start + k] = scale * quad
    return out


# --- local Moran --------------------------------------------------------------------------------


def local_moran(
    gdf: Any,
    column: str,
    *,
    graph: Graph | None = None,
    seed: int | None = DEFAULT_SEED,
    permutations: int = 999,
    alpha: float = 0.05,
    dropna: bool = False,
    rook: bool = False,
) -> Any:
    """Local Moran's I (LISA) of ``gdf[column]``: a copy of ``gdf`` with columns added.

    ``Is`` the local statistic; ``p_value`` its two-sided conditional-permutation p-value
    (esda's draws: ``permutations`` of them, seeded by ``seed``, default 0; not esda's one-sided
    ``p_sim``); ``q`` the Moran-scatterplot quadrant (esda codes: 1 High-High, 2 Low-High,
    3 Low-Low, 4 High-Low); ``cluster`` that label where ``p_value < alpha``, else
    ``"Not significant"``. Islands and (with ``dropna=True``) areas with missing values get
    missing ``Is``/``p_value``/``q``/``cluster``. No correction for
    multiple testing is made: with many areas some «clusters» arise by chance (about ``alpha``
    of the areas). ``out.attrs`` records alpha, permutations, seed, islands and missing ids.
    """
    import esda

    permutations = _check_permutations(permutations, least=1)
    if not 0 < alpha < 1:
        raise SoslokalError(f"alpha must lie between 0 and 1, got {alpha!r}.")
    y, weights, islands, missing = _prepare(gdf, column, graph, dropna, rook)
    if islands:
        _warn_islands(islands, gdf, "no local statistic for them")
    with _global_rng_kept(), warnings.catch_warnings(), np.errstate(invalid="ignore"):
        # esda announces a future change of its default alternative; its p_sim is not used:
        # the two-sided p is computed from the kept simulations below
        warnings.filterwarnings("ignore", message="The alternative hypothesis",
                                category=DeprecationWarning)
        rng_seed = int(np.random.default_rng().integers(2**31 - 1)) if seed is None else seed
        lisa = esda.Moran_Local(y.to_numpy(), weights.esda(), transformation="r",
                                permutations=permutations, n_jobs=1, seed=rng_seed,
                                keep_simulations=True)
    index = y.index
    q = pd.Series(lisa.q, index=index).astype("Int8")
    p = pd.Series(two_sided_p(lisa.Is, lisa.sim), index=index, dtype="float64")
    label = q.map(CLUSTER_LABELS).astype("str").where(p < alpha, NOT_SIGNIFICANT)
    positions = gdf.index
    out = gdf.assign(
        Is=pd.Series(lisa.Is, index=index, dtype="float64").reindex(positions),
        p_value=p.reindex(positions),
        q=q.reindex(positions),
        cluster=label.reindex(positions),
    )
    out.attrs = {**gdf.attrs, "lisa": {
        "column": column, "alpha": alpha, "permutations": permutations, "seed": seed,
        "test": "two-sided",
        "islands": islands, "missing": missing, "n": len(y),
        "graph": "rook" if rook else "queen",
    }}
    return out


def lisa_note(lisa: Any, lang: str = "nb") -> str:
    """The method of a :func:`local_moran` result in one line (contiguity, α, permutations, n,
    islands), for the caption under its map
    (:func:`soslokal_lib.plot.maps.plot_local_moran`)."""
    info = lisa.attrs.get("lisa", {})
    if "cluster" not in lisa.columns or not info:
        raise SoslokalError("A LISA map needs the output of spatial.local_moran (a 'cluster' "
                            "column and its attrs).")
    nb = _is_nb(lang)
    alpha = _num(info["alpha"], 2, nb)
    if nb:
        note = (f"Lokal Moran's I ({'tårn' if info['graph'] == 'rook' else 'dronning'}-naboskap)"
                f", tosidig p < {alpha}, {info['permutations']} permutasjoner, "
                f"n = {info['n']} områder")
        if info["islands"]:
            note += f"; uten naboer: {len(info['islands'])}"
    else:
        note = (f"Local Moran's I ({info['graph']} contiguity), two-sided p < {alpha}, "
                f"{info['permutations']} permutations, n = {info['n']} areas")
        if info["islands"]:
            note += f"; without neighbours: {len(info['islands'])}"
    return note


# --- text helpers -------------------------------------------------------------------------------


def _is_nb(lang: str) -> bool:
    return lang_key(lang) == "nb"


def _num(value: float, decimals: int, nb: bool) -> str:
    return format_number(value, "nb" if nb else "en", decimals)
