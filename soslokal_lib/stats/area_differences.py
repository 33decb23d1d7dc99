"""Do neighbourhoods differ? Rank tests, area-against-the-rest comparisons and the ICC, from
the survey alone (no register data).

:func:`area_differences` answers three questions per theme:

* **Do the areas differ at all?** The Kruskal–Wallis test with the correction for ties
  (midranks; ``H / (1 − Σ(t³ − t)/(N³ − N))``, χ² with ``k − 1`` degrees of freedom), as
  :func:`scipy.stats.kruskal`. Chosen over a proportional-odds model with area dummies
  because it needs no model assumption (proportional odds), has no convergence or
  separation problems in areas with 5–20 answers, handles the many ties of a 1–7 scale
  exactly, and is computed for every theme at once from the score histograms.
* **Which areas differ from the rest?** Each area against all other areas pooled, with the
  Mann–Whitney U test (normal approximation with tie correction and continuity correction,
  two-sided, as :func:`scipy.stats.mannwhitneyu` ``method="asymptotic"``). Its effect size is
  Cliff's delta ``δ = 2·U/(n₁n₂) − 1`` = P(a respondent here scores higher than one
  elsewhere) − P(lower); δ < 0 means lower (worse) scores than the rest. For plain reading
  the share of low scores here and in the rest is given with the difference and its
  Newcombe (hybrid Wilson score) interval. The Mann–Whitney test rather than Brunner–Munzel:
  its null hypothesis (the area's answers come from the same distribution as the rest's) is
  the question asked, it is valid for the 5-answer areas where Brunner–Munzel's t
  approximation is not, and it uses the same midranks as the Kruskal–Wallis test.
* **How much of the variation lies between areas?** The ICC of a random-intercept model per
  theme (:func:`soslokal_lib.models.random_intercept`, REML), with the between-area and the
  within-area (residual) variance: the between/within split of the variance.

**Multiplicity.** p-values are adjusted with Benjamini–Hochberg (``correction="fdr_bh"``,
default) or Holm (``"holm"``), separately for the theme table (one test per theme) and for
the whole area × theme table. Benjamini–Hochberg is the default because the area table is a
screening of many cells (12 areas × 14 themes = 168 tests): it keeps the expected share of
false findings among those called clear at ``alpha``, where Holm's guarantee (no false finding
at all, with probability ``1 − alpha``) would hide most real differences in small areas.

**Privacy.** The suppression comes from the summary (:func:`soslokal_lib.summarise`, its
``suppression`` column; NA = shown). A cell hidden for any reason — too few answers
(``"primary"``) or hidden to protect a small neighbourhood (``"secondary"``) — is left out of
*every* comparison of that theme: it gets no comparison of its own, it is not part of «the
rest» of any other area, and it is not in the Kruskal–Wallis test or the ICC. Every published
number of a theme is thus a function of the shown cells only, whose statistics are published
anyway, so nothing about a hidden cell can be recovered by combining these results with the
summary. «The rest» therefore means *the other shown areas*, not the whole kommune.

Scores are treated as ordinal and unweighted (the tests describe those who answered).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.stats.area_differences_wording import DECIMALS, describe
from soslokal_lib.stats.models import wording as mt
from soslokal_lib.survey import Survey
from soslokal_lib.themes import THEME_CODES, get_theme, scale_cutoffs

CORRECTIONS = ("fdr_bh", "holm")

#: Columns of :attr:`AreaDifferences.themes` (index: theme code).
THEME_COLUMNS = ("n", "n_areas", "n_hidden", "statistic", "df", "p_value", "q_value",
                 "differ", "icc", "between_var", "within_var", "icc_boundary")
#: Columns of :attr:`AreaDifferences.areas` (after the ``by`` column).
AREA_COLUMNS = ("theme", "n", "n_rest", "share_low", "share_low_rest", "share_low_diff",
                "share_low_diff_ci_low", "share_low_diff_ci_high", "delta", "statistic", "z",
                "p_value", "q_value", "direction", "suppressed", "suppression")


@dataclass(frozen=True)
class AreaDifferences:
    """Differences between areas per theme (see the module docstring).

    ``themes``: one row per theme (index: theme code) — ``n`` answers and ``n_areas`` areas
    compared, ``n_hidden`` areas with answers left out (hidden cells), the Kruskal–Wallis
    ``statistic`` (H), ``df``, ``p_value``, ``q_value`` (adjusted across themes), ``differ``
    (``q_value < alpha``), ``icc``, ``between_var``, ``within_var`` and ``icc_boundary``
    (between-variance estimated at practically zero).
    ``areas``: one row per area × theme — ``n``, ``n_rest`` (answers in the other shown
    areas), ``share_low`` here and in the rest, their difference with its Newcombe interval,
    Cliff's ``delta``, the Mann–Whitney ``statistic`` (U of the area), ``z``, ``p_value``,
    ``q_value`` (adjusted across the whole table), ``direction`` (``"lower"``/``"higher"``
    where ``q_value < alpha``, else NA) and the cell's ``suppressed``/``suppression`` from
    the summary; hidden cells have no statistics.
    There is no single headline number, hence no ``statistic`` attribute.
    """

    themes: pd.DataFrame
    areas: pd.DataFrame
    by: str = "area_id"
    alpha: float = 0.05
    correction: str = "fdr_bh"
    confidence: float = 0.95
    min_n: int = 5
    scale: int = 7
    names: Mapping[str, str] = field(default_factory=dict)

    def to_frame(self, table: str = "themes") -> pd.DataFrame:
        """A copy of the theme table (``"themes"``) or of the area × theme table (``"areas"``,
        with an ``area_name`` column after ``by`` when :attr:`names` are known)."""
        if table == "themes":
            return self.themes.copy()
        if table == "areas":
            out = self.areas.copy()
            if self.names:
                ids = out[self.by].astype(str)
                out.insert(1, "area_name", ids.map(self.names).fillna(ids))
            return out
        raise SoslokalError(f"to_frame: unknown table {table!r}. Fix: use 'themes' or 'areas'.")

    def flagged(self, direction: str | None = None) -> pd.DataFrame:
        """Rows of :attr:`areas` called clear (``q_value < alpha``), optionally only
        ``"lower"`` or ``"higher"``; strongest first within each area."""
        rows = self.areas[self.areas["direction"].notna()]
        if direction is not None:
            if direction not in ("lower", "higher"):
                raise SoslokalError(f"direction must be 'lower' or 'higher', not {direction!r}.")
            rows = rows[rows["direction"] == direction]
        return (rows.assign(_d=rows["delta"].round(DECIMALS))
                .sort_values([self.by, "_d"], kind="stable").drop(columns="_d"))

    def text(self, lang: str = "nb", *, names: Mapping[str, str] | None = None,
             labels: Mapping[str, str] | None = None) -> str:
        """Plain sentences: which themes differ, which areas lie clearly below or above the
        rest, how much of the variation lies between areas, and what was left out."""
        return describe(self, mt.lang_key(lang), names=names, labels=labels)


def area_differences(
    survey: Survey | pd.DataFrame,
    *,
    summary: pd.DataFrame | None = None,
    by: str = "area_id",
    min_n: int = 5,
    alpha: float = 0.05,
    correction: str = "fdr_bh",
    confidence: float = 0.95,
    icc: bool = True,
    themes: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> AreaDifferences:
    """Test per theme whether areas differ, and each area against the other areas.

    ``summary``: the published :func:`soslokal_lib.summarise` table whose ``suppression``
    column decides which cells are hidden (default: ``summarise(survey, by, min_n=min_n)``);
    its ``n`` must match the survey. ``alpha``: the level at which an adjusted p-value
    (``q_value``) counts as clear. ``correction``: ``"fdr_bh"`` (Benjamini–Hochberg) or
    ``"holm"``. ``confidence``: of the Newcombe intervals. ``icc=False`` skips the 14 mixed
    models (the ICC columns are then NA). ``themes``: a subset, as codes, numbers or names
    (default: all in the data); the q-values are then adjusted over that subset only.
    ``names``: area id → display name, kept for :meth:`AreaDifferences.text`.
    """
    from soslokal_lib.stats.summary import score_histograms, summarise

    if correction not in CORRECTIONS:
        raise SoslokalError(f"correction must be one of {CORRECTIONS}, not {correction!r}.")
    for label, value in (("alpha", alpha), ("confidence", confidence)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
            raise SoslokalError(f"{label} must be a number between 0 and 1, not {value!r}.")
    frame = survey.responses if isinstance(survey, Survey) else survey
    scale = survey.scale if isinstance(survey, Survey) else int(frame.attrs.get("scale", 7))
    if summary is None:
        summary = summarise(survey, by, min_n=min_n)
    min_n = int(summary.attrs.get("min_n", min_n))
    groups, codes, counts = score_histograms(survey, by)
    if themes is not None:
        wanted = {get_theme(t).code for t in ([themes] if isinstance(themes, str) else themes)}
        missing = sorted(wanted - set(codes))
        if missing:
            raise SoslokalError(f"No theme(s) {missing} in the data. Fix: use some of {codes}.")
        pick = [codes.index(code) for code in THEME_CODES if code in wanted]
        codes, counts = [codes[i] for i in pick], counts[:, pick, :]
    group_ids = pd.Index(groups.astype(str), name=by)
    hidden, kind = _hidden_cells(summary, by, group_ids, codes, counts)
    shown = ~hidden
    c = counts * shown[:, :, None]  # [groups, themes, levels], hidden cells emptied
    ranks = _rank_terms(c)
    kw = _kruskal(ranks)
    mw = _versus_rest(c, ranks, scale, confidence)
    kw_q = adjust(kw["p_value"], correction)
    area_q = adjust(mw["p_value"].ravel(), correction).reshape(mw["p_value"].shape)

    theme_table = pd.DataFrame({
        "n": ranks["N"].astype(np.int64), "n_areas": kw["k"],
        "n_hidden": (hidden & (counts.sum(axis=2) > 0)).sum(axis=0),
        "statistic": kw["H"], "df": kw["df"], "p_value": kw["p_value"], "q_value": kw_q,
        "differ": pd.array(np.where(np.isnan(kw_q), None, kw_q < alpha), dtype="boolean"),
    }, index=pd.Index(codes, name="theme"))
    icc_cols = (_icc_per_theme(frame, by, group_ids, codes, shown) if icc else
                pd.DataFrame(np.nan, index=theme_table.index,
                             columns=["icc", "between_var", "within_var"]).assign(
                    icc_boundary=pd.array([pd.NA] * len(codes), dtype="boolean")))
    theme_table = theme_table.join(icc_cols)

    n_groups, n_themes = shown.shape
    n_cell = counts.sum(axis=2)
    stats_ = {k: np.where(shown, v, np.nan) for k, v in mw.items()}
    q = np.where(shown, area_q, np.nan)
    clear = np.isfinite(q) & (q < alpha)
    direction = np.where(clear, np.where(stats_["delta"] < 0, "lower", "higher"), None)
    areas = pd.DataFrame({
        by: np.repeat(group_ids.to_numpy(dtype=object), n_themes),
        "theme": np.tile(codes, n_groups),
        "n": n_cell.ravel().astype(np.int64),
        "n_rest": np.where(shown, ranks["N"][None, :] - n_cell, np.nan).ravel(),
        **{k: stats_[k].ravel() for k in ("share_low", "share_low_rest", "share_low_diff",
                                          "share_low_diff_ci_low", "share_low_diff_ci_high",
                                          "delta", "statistic", "z", "p_value")},
        "q_value": q.ravel(),
        "direction": pd.array(direction.ravel(), dtype="string"),
        "suppressed": hidden.ravel(),
        "suppression": pd.array(kind.ravel(), dtype="string"),
    })
    areas["n_rest"] = areas["n_rest"].astype("Int64")
    return AreaDifferences(themes=theme_table, areas=areas, by=by, alpha=float(alpha),
                           correction=correction, confidence=float(confidence), min_n=min_n,
                           scale=scale, names=dict(names or {}))


# --- multiplicity -------------------------------------------------------------------------------


def adjust(p: np.ndarray | Sequence[float], method: str = "fdr_bh") -> np.ndarray:
    """Adjusted p-values (Benjamini–Hochberg ``"fdr_bh"`` or Holm ``"holm"``) over the finite
    entries of ``p``; NaN stays NaN. Equal to :func:`statsmodels.stats.multitest.multipletests`."""
    if method not in CORRECTIONS:
        raise SoslokalError(f"method must be one of {CORRECTIONS}, not {method!r}.")
    p = np.asarray(p, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if not m:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    sorted_p = p[order]
    rank = np.arange(1, m + 1)
    if method == "fdr_bh":
        adj = np.minimum.accumulate((sorted_p * m / rank)[::-1])[::-1]
    else:
        adj = np.maximum.accumulate(sorted_p * (m - rank + 1))
    out[order] = np.minimum(adj, 1.0)
    return out


# --- the computation, vectorised over themes ----------------------------------------------------


def _hidden_cells(summary: pd.DataFrame, by: str, group_ids: pd.Index, codes: list[str],
                  counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``hidden[groups, themes]`` and the suppression label of each cell, from the summary;
    checks that the summary's ``n`` is the survey's."""
    need = [c for c in (by, "theme", "n", "suppressed") if c not in summary.columns]
    if need:
        raise SoslokalError(f"The summary lacks column(s) {need}. Fix: pass the table from "
                            f"soslokal_lib.summarise(survey, by={by!r}).")
    is_total = (summary[by].astype(str) == "total").to_numpy()
    if not is_total.any():
        raise SoslokalError(
            "The summary has no whole-survey (total) rows, so it was made without the secondary "
            "suppression that keeps a small area from being worked out from the published "
            "total. Fix: pass the summary made with total=True (the default of "
            "soslokal_lib.summarise), or summary=None.")
    rows = summary[~is_total]
    key = pd.MultiIndex.from_arrays([rows[by].astype(str).to_numpy(),
                                     rows["theme"].astype(str).to_numpy()])
    if key.has_duplicates:
        raise SoslokalError(f"The summary has more than one row per {by!r} and theme. Fix: "
                            f"pass the table from soslokal_lib.summarise(survey, by={by!r}).")
    grid = pd.MultiIndex.from_product([group_ids, codes])
    pos = key.get_indexer(grid)
    n_cells = counts.sum(axis=2).ravel()
    absent = (pos < 0) & (n_cells > 0)
    n_summary = rows["n"].to_numpy()[np.maximum(pos, 0)]
    wrong = (pos >= 0) & (n_summary != n_cells)
    if absent.any() or wrong.any():
        i = int(np.flatnonzero(absent | wrong)[0])
        raise SoslokalError(
            f"The summary does not match the survey: {by} {grid[i][0]!r}, theme {grid[i][1]!r} "
            f"has {n_cells[i]} answers in the survey but "
            f"{'no row' if absent[i] else n_summary[i]} in the summary. Fix: pass the summary "
            "made from this survey, or summary=None.")
    suppressed = rows["suppressed"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    label = (rows["suppression"].astype("string") if "suppression" in rows.columns
             else pd.Series(pd.NA, index=rows.index, dtype="string"))
    hidden_row = suppressed | label.notna().to_numpy()
    hidden = np.where(pos >= 0, hidden_row[np.maximum(pos, 0)], True)
    labels = label.to_numpy(dtype=object, na_value=None)[np.maximum(pos, 0)]
    kind = np.where(pos >= 0, labels, None)
    kind = np.where(hidden & (kind == None), "primary", kind)  # noqa: E711 (elementwise)
    shape = (len(group_ids), len(codes))
    return hidden.reshape(shape), kind.reshape(shape)


def _rank_terms(c: np.ndarray) -> dict[str, np.ndarray]:
    """Midranks of the pooled shown answers per theme and each cell's rank sum."""
    pooled = c.sum(axis=0).astype(np.float64)  # [themes, levels]
    N = pooled.sum(axis=1)
    midrank = np.cumsum(pooled, axis=1) - (pooled - 1) / 2
    n = c.sum(axis=2).astype(np.float64)  # [groups, themes]
    rank_sum = (c * midrank[None, :, :]).sum(axis=2)
    ties = (pooled**3 - pooled).sum(axis=1)
    return {"N": N, "n": n, "R": rank_sum, "ties": ties, "pooled": pooled}


def _kruskal(r: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Kruskal–Wallis H with the tie correction, per theme (as scipy.stats.kruskal)."""
    from scipy import stats

    N, n, R = r["N"], r["n"], r["R"]
    k = (n > 0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        term = np.where(n > 0, R**2 / np.where(n > 0, n, 1), 0.0).sum(axis=0)
        h = 12.0 / (N * (N + 1)) * term - 3 * (N + 1)
        correction = 1 - r["ties"] / (N**3 - N)
        h = h / correction
    ok = (k >= 2) & (correction > 0)
    h = np.where(ok, h, np.nan)
    df = np.where(ok, k - 1, np.nan)
    return {"H": h, "df": df, "k": k, "p_value": np.where(ok, stats.chi2.sf(h, df), np.nan)}


def _versus_rest(c: np.ndarray, r: dict[str, np.ndarray], scale: int,
                 confidence: float) -> dict[str, np.ndarray]:
    """Mann–Whitney U (asymptotic, tie and continuity corrected, two-sided), Cliff's delta and
    the share of low scores of each cell against the other shown cells of its theme."""
    from scipy import stats

    from soslokal_lib.stats.summary import wilson

    N, n1, R = r["N"][None, :], r["n"], r["R"]
    n2 = N - n1
    valid = (n1 > 0) & (n2 > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        u = R - n1 * (n1 + 1) / 2
        mu = n1 * n2 / 2
        var = n1 * n2 / 12 * ((N + 1) - r["ties"][None, :] / (N * (N - 1)))
        sd = np.sqrt(var)
        z = (u - mu) / sd
        p = np.clip(2 * stats.norm.sf((np.abs(u - mu) - 0.5) / sd), 0.0, 1.0)
        delta = 2 * u / (n1 * n2) - 1
        low_cut, _ = scale_cutoffs(scale)
        low = c[:, :, :low_cut].sum(axis=2).astype(np.float64)
        low_rest = r["pooled"][:, :low_cut].sum(axis=1)[None, :] - low
        p1, p2 = low / n1, low_rest / n2
    zq = stats.norm.ppf(0.5 + confidence / 2)
    l1, u1 = wilson(p1, n1, zq)
    l2, u2 = wilson(p2, n2, zq)
    diff = p1 - p2
    ok = valid & (var > 0)
    nan = np.nan
    return {
        "share_low": np.where(n1 > 0, p1, nan), "share_low_rest": np.where(valid, p2, nan),
        "share_low_diff": np.where(valid, diff, nan),
        "share_low_diff_ci_low": np.where(valid, diff - np.sqrt((p1 - l1)**2 + (u2 - p2)**2),
                                          nan),
        "share_low_diff_ci_high": np.where(valid, diff + np.sqrt((u1 - p1)**2 + (p2 - l2)**2),
                                           nan),
        "delta": np.where(valid, delta, nan), "statistic": np.where(valid, u, nan),
        "z": np.where(ok, z, nan), "p_value": np.where(ok, p, nan),
    }


def _icc_per_theme(frame: pd.DataFrame, by: str, group_ids: pd.Index, codes: list[str],
                   shown: np.ndarray) -> pd.DataFrame:
    """REML random-intercept ICC per theme on the answers of shown cells (one MixedLM fit per
    theme); NA where fewer than two areas are shown or the fit fails."""
    from soslokal_lib.stats.models.common import ModelWarning
    from soslokal_lib.stats.models.mixed import random_intercept

    index = group_ids.get_indexer(frame[by].astype("string").fillna("\x00").astype(str))
    rows = []
    for t, code in enumerate(codes):
        keep = (index >= 0) & shown[np.maximum(index, 0), t]
        part = frame.loc[keep, [by, code]]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ModelWarning)
                fit = random_intercept(part, code, by)
        except (ValueError, np.linalg.LinAlgError):  # too few areas or rows; a singular fit
            rows.append((np.nan, np.nan, np.nan, pd.NA))
            continue
        rows.append((fit.icc, fit.between_var, fit.within_var, bool(fit.boundary)))
    out = pd.DataFrame(rows, columns=["icc", "between_var", "within_var", "icc_boundary"],
                       index=pd.Index(codes, name="theme"))
    out["icc_boundary"] = out["icc_boundary"].astype("boolean")
    return out

