"""Figures for inequality between areas: gradient scatter, concentration curves, the
between/within decomposition and a dot-and-whisker chart of indices.

Every number drawn comes from :mod:`soslokal_lib.stats.gradient` or
:mod:`soslokal_lib.stats.inequality` (passed in, or — for the fitted line — obtained from
:func:`~soslokal_lib.stats.gradient.linear_fit`); nothing is estimated here. Labels are in
bokmål by default (``lang="en"`` for English); n and the source («Kilde: …») are shown.
matplotlib is imported inside the functions.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number
from soslokal_lib.plot import _common as c
from soslokal_lib.stats.gradient import ConcentrationCurve, LinearFit

if TYPE_CHECKING:
    from matplotlib.axes import Axes

POINT = "#1b6a8a"
LINE = "#c2571a"
BAND = "#f3c9a8"
MUTED = "#9a9a9a"
BETWEEN = "#1b6a8a"
WITHIN = "#a9cfe0"
CURVES = ("#c2571a", "#1b6a8a", "#5b3f8c", "#3f8c4f", "#8c6d1f")
TEXT = {
    "nb": {
        "gradient": "Sammenheng mellom område og skår",
        "fit": "Vektet regresjonslinje ({w})", "fit_plain": "Regresjonslinje (uvektet)",
        "band": "{p} % konfidensbånd", "slope": "stigning {b} ({p} % KI {lo} til {hi}), "
        "R² = {r2}", "size": "Punktstørrelse: {s}", "areas": "områder", "resp": "svar",
        "no_value": "Uten tall (for få svar eller skjult for å beskytte et lite nabolag)", "interval": "Strek: {p} % KI for området",
        "conc": "Konsentrasjonskurve", "equality": "Likhetslinjen",
        "conc_x": "Kumulativ andel av befolkningen, mest utsatte områder først (%)",
        "conc_y": "Kumulativ andel av utfallet (%)", "conc_index": "C = {v}",
        "conc_note": "Kurve over likhetslinjen: utfallet er samlet i de mest utsatte "
        "områdene (C < 0)",
        "decomp": "Ulikhet mellom og innenfor grupper", "between": "Mellom grupper",
        "within": "Innenfor grupper", "share": "Andel av samlet ulikhet (%)",
        "decomp_note": "{m} = {total}: mellom {b} + innenfor {w}; {n} enheter i {g} grupper",
        "indices": "Ulikhetsmål med konfidensintervall", "value": "Verdi",
        "ci_note": "Punkt: estimat, strek: {p} % konfidensintervall",
        "theil": "Theil T", "mld": "MLD (Theil L)", "n": "n",
    },
    "en": {
        "gradient": "Area scores along a gradient",
        "fit": "Weighted regression line ({w})", "fit_plain": "Regression line (unweighted)",
        "band": "{p}% confidence band", "slope": "slope {b} ({p}% CI {lo} to {hi}), "
        "R² = {r2}", "size": "Point size: {s}", "areas": "areas", "resp": "responses",
        "no_value": "No value (too few responses or hidden to protect a small neighbourhood)", "interval": "Bar: {p}% CI for the area",
        "conc": "Concentration curve", "equality": "Line of equality",
        "conc_x": "Cumulative share of the population, most deprived areas first (%)",
        "conc_y": "Cumulative share of the outcome (%)", "conc_index": "C = {v}",
        "conc_note": "Curve above the line of equality: the outcome gathers in the most "
        "deprived areas (C < 0)",
        "decomp": "Inequality between and within groups", "between": "Between groups",
        "within": "Within groups", "share": "Share of total inequality (%)",
        "decomp_note": "{m} = {total}: between {b} + within {w}; {n} units in {g} groups",
        "indices": "Inequality indices with confidence intervals", "value": "Value",
        "ci_note": "Dot: estimate, bar: {p}% confidence interval",
        "theil": "Theil T", "mld": "MLD (Theil L)", "n": "n",
    },
}


def _num(value: float, lang: str, decimals: int = 2) -> str:
    return format_number(value, lang, decimals)


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _style(ax: Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(color="#e8e8e8", linewidth=0.8)
    ax.set_axisbelow(True)


def _decimal_comma(ax: Axes, lang: str, axes: str = "xy") -> None:
    """Tick labels with a decimal comma and a real minus sign in bokmål."""
    if lang != "nb":
        return
    from matplotlib.ticker import ScalarFormatter

    class _Comma(ScalarFormatter):
        def __call__(self, x: float, pos: int | None = None) -> str:
            return super().__call__(x, pos).replace(".", ",").replace("-", "\u2212")

    for name in axes:
        axis = ax.xaxis if name == "x" else ax.yaxis
        axis.set_major_formatter(_Comma(useOffset=False))


def _place_labels(ax: Axes, names: Any, xs: np.ndarray, ys: np.ndarray,
                  sizes: np.ndarray) -> None:
    """Write ``names`` next to points (marker areas ``sizes`` in pt²) at the corner where the
    label overlaps the other labels and markers least."""
    ax.get_xlim(), ax.get_ylim()  # settle pending autoscaling before measuring
    px, py = ax.transData.transform(np.c_[xs, ys]).T
    scale = ax.figure.dpi / 72
    radius = np.sqrt(sizes) / 2 * scale
    boxes = [np.c_[px - radius, py - radius, px + radius, py + radius]]
    height = 10 * scale

    def overlap(box: np.ndarray, others: np.ndarray) -> float:
        w = np.clip(np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0]), 0, None)
        h = np.clip(np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1]), 0, None)
        return float((w * h).sum())

    for i in np.argsort(px, kind="stable"):
        off = 0.7 * radius[i] / scale + 2
        width = 0.6 * 8 * len(str(names[i])) * scale
        best = None
        for dx, dy, ha, va in ((off, off, "left", "bottom"), (off, -off, "left", "top"),
                               (-off, off, "right", "bottom"), (-off, -off, "right", "top")):
            x0 = px[i] + dx * scale - (width if ha == "right" else 0)
            y0 = py[i] + dy * scale - (height if va == "top" else 0)
            box = np.array([x0, y0, x0 + width, y0 + height])
            others = np.vstack([np.delete(boxes[0], i, axis=0), *boxes[1:]])
            cost = overlap(box, others)
            if best is None or cost < best[0]:
                best = (cost, box, (dx, dy, ha, va))
        _, box, (dx, dy, ha, va) = best
        boxes.append(box[None, :])
        ax.annotate(str(names[i]), (xs[i], ys[i]), xytext=(dx, dy), textcoords="offset points",
                    ha=ha, va=va, fontsize=8, color="#333333", gid="gradient-label")


def _caption(ax: Axes, parts: list[str | None], lang: str, source: str | None) -> None:
    text = c.caption(parts, lang, source)
    if not text:
        return
    width_in = ax.figure.get_size_inches()[0]
    text = textwrap.fill(text, max(60, int(width_in * 72 / (8 * 0.5))), break_long_words=False)
    ax.figure.supxlabel(text, x=0.01, ha="left", fontsize=8, color="#555555")


def _columns(df: pd.DataFrame, *cols: str | None) -> None:
    missing = [col for col in cols if col is not None and col not in df.columns]
    if missing:
        raise SoslokalError(f"The table has no column(s) {missing}. Fix: use columns of the "
                            f"table ({', '.join(map(str, df.columns[:12]))} …).")


# --- gradient scatter ---------------------------------------------------------------------


def plot_gradient(
    df: pd.DataFrame, x: str, y: str, *, fit: LinearFit, weights: str | None = None,
    size: str | None = None, names: str | None = "area_name",
    interval: tuple[str, str] | None = None, ci: bool = True, lang: str = "nb",
    title: str | None = None, xlabel: str | None = None, ylabel: str | None = None,
    weights_label: str | None = None, size_label: str | None = None,
    source: str | None = None, note: str | None = None, ax: Axes | None = None,
) -> Axes:
    """Scatter of ``df[y]`` (e.g. an area's mean score) against ``df[x]`` (e.g. its
    low-income share) with a weighted regression line and its confidence band.

    ``fit`` is the :func:`~soslokal_lib.stats.gradient.linear_fit` result to draw (this
    function fits nothing); ``weights`` names the weight column it was fitted with, for the
    legend (``weights_label`` overrides the name). ``size`` scales point
    areas by a column (population or ``n``), ``interval`` draws per-area whiskers from two
    columns, ``names`` labels the points. Areas without a ``y`` value (suppressed) are named
    in the caption. ``n`` (areas, and respondents when ``df`` has an ``n`` column) is shown.
    Returns the Axes.
    """
    lang = c.language(lang)
    t = TEXT[lang]
    _columns(df, x, y, weights, size, names, *(interval or ()))
    xv = pd.to_numeric(df[x], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    yv = pd.to_numeric(df[y], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(xv) & np.isfinite(yv)
    if ok.sum() < 2:
        raise SoslokalError(f"Fewer than 2 areas have values of both {x!r} and {y!r}. Fix: "
                            "check for suppressed or missing values.")
    label_of = (df[names].astype("str").to_numpy() if names else
                df.index.astype("str").to_numpy())
    ax = _axes(ax, (7.6, 5.4))
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    sizes = np.full(len(df), 50.0)
    if size:
        sv = pd.to_numeric(df[size], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        top = np.nanmax(sv[ok]) if np.isfinite(sv[ok]).any() else 1.0
        sizes = np.where(np.isfinite(sv), 25 + 400 * np.clip(sv, 0, None) / top, 25)
    p = format_number(100 * fit.confidence, lang, 0)
    if ci:
        ax.fill_between(fit.band["x"], fit.band["ci_low"], fit.band["ci_high"], color=BAND,
                        alpha=0.6, linewidth=0, gid="gradient-band", zorder=1)
    ax.plot(fit.band["x"], fit.band["fit"], color=LINE, linewidth=2, gid="gradient-fit",
            zorder=2)
    if interval:
        lo = pd.to_numeric(df[interval[0]], errors="coerce").to_numpy(float, na_value=np.nan)
        hi = pd.to_numeric(df[interval[1]], errors="coerce").to_numpy(float, na_value=np.nan)
        ax.vlines(xv[ok], lo[ok], hi[ok], color=MUTED, linewidth=1, zorder=2,
                  gid="gradient-interval")
    ax.scatter(xv[ok], yv[ok], s=sizes[ok], color=POINT, alpha=0.85, edgecolors="white",
               linewidths=0.8, zorder=3, gid="gradient-points")
    ax.set_xlabel(xlabel or x, fontsize=9.5)
    ax.set_ylabel(ylabel or y, fontsize=9.5)
    _style(ax)
    _decimal_comma(ax, lang)
    if names is not None:
        ax.margins(x=0.1)
        _place_labels(ax, label_of[ok], xv[ok], yv[ok], sizes[ok])
    wname = weights_label or weights or ""
    handles = [Line2D([], [], color=LINE, linewidth=2,
                      label=(t["fit"].format(w=wname) if fit.weighted else t["fit_plain"])
                      + "\n" + t["slope"].format(
                          b=_num(fit.slope, lang, 3), p=p, lo=_num(fit.ci_low, lang, 3),
                          hi=_num(fit.ci_high, lang, 3), r2=_num(fit.r2, lang, 2)))]
    if ci:
        handles.append(Patch(color=BAND, alpha=0.6, label=t["band"].format(p=p)))
    ax.legend(handles=handles, loc="best", fontsize=8.5, frameon=False)
    n_text = f"n = {int(ok.sum())} {t['areas']}"
    if "n" in df.columns:
        n_resp = pd.to_numeric(df["n"][ok], errors="coerce").sum()
        n_text += f", {format_number(n_resp, lang)} {t['resp']}"
    ax.set_title(f"{title or t['gradient']} ({n_text})", fontsize=12, fontweight="bold",
                 loc="left")
    parts = [note]
    if interval:
        parts.append(t["interval"].format(p=p))
    if size:
        parts.append(t["size"].format(s=size_label or size))
    if (~np.isfinite(yv)).any():
        parts.append(f"{t['no_value']}: {', '.join(label_of[~np.isfinite(yv)])}")
    _caption(ax, parts, lang, source)
    ax.fit = fit
    return ax


# --- concentration curves -----------------------------------------------------------------


def plot_concentration_curve(
    curves: ConcentrationCurve | Mapping[str, ConcentrationCurve], *, lang: str = "nb",
    title: str | None = None, xlabel: str | None = None, ylabel: str | None = None,
    source: str | None = None, note: str | None = None, ax: Axes | None = None,
) -> Axes:
    """Concentration curves (from :func:`~soslokal_lib.stats.gradient.concentration_curve`)
    with the line of equality; one curve or a mapping label → curve. The legend gives each
    curve's concentration index C and n (areas). Returns the Axes."""
    lang = c.language(lang)
    t = TEXT[lang]
    items = {"": curves} if isinstance(curves, ConcentrationCurve) else dict(curves)
    if not items or not all(isinstance(v, ConcentrationCurve) for v in items.values()):
        raise SoslokalError("curves must be a concentration_curve result or a mapping label "
                            "→ result. Fix: use soslokal_lib.stats.gradient.concentration_curve.")
    ax = _axes(ax, (6.4, 6.0))
    ax.plot([0, 1], [0, 1], color=MUTED, linewidth=1, linestyle="--", label=t["equality"],
            gid="conc-equality")
    for i, (label, curve) in enumerate(items.items()):
        pts = curve.points
        text = t["conc_index"].format(v=_num(curve.index, lang, 3))
        text = f"{label}: {text}" if label else text
        ax.plot(pts["population_share"], pts["outcome_share"], marker="o", markersize=3.5,
                linewidth=1.8, color=CURVES[i % len(CURVES)],
                label=f"{text} (n = {curve.n} {t['areas']})", gid="conc-curve")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(xlabel or t["conc_x"], fontsize=9.5)
    ax.set_ylabel(ylabel or t["conc_y"], fontsize=9.5)
    _percent_axis(ax)
    _style(ax)
    ax.legend(loc="lower right", fontsize=8.5, frameon=False)
    ax.set_title(title or t["conc"], fontsize=12, fontweight="bold", loc="left")
    _caption(ax, [note, t["conc_note"]], lang, source)
    return ax


def _percent_axis(ax: Axes) -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: f"{100 * v:.0f}")
    ax.xaxis.set_major_formatter(fmt)
    ax.yaxis.set_major_formatter(fmt)


# --- decomposition ------------------------------------------------------------------------


def plot_decomposition(
    result: Any, *, lang: str = "nb", title: str | None = None,
    between_label: str | None = None, within_label: str | None = None,
    source: str | None = None, note: str | None = None, ax: Axes | None = None,
) -> Axes:
    """Stacked bars of the between- and within-group shares of a Theil T or MLD
    decomposition (``inequality.theil(x, w, groups=…)``); one result or a mapping label →
    result. Values and n are written under the bars. Returns the Axes."""
    lang = c.language(lang)
    t = TEXT[lang]
    items = dict(result) if isinstance(result, Mapping) else {"": result}
    for res in items.values():
        if getattr(res, "between", None) is None or getattr(res, "groups", None) is None:
            raise SoslokalError("plot_decomposition needs a decomposition: the result of "
                                "inequality.theil or inequality.mld with groups=….")
    labels = [lab or t.get(res.measure, res.measure) for lab, res in items.items()]
    between = np.array([100 * r.between_share for r in items.values()])
    within = np.array([100 * r.within_share for r in items.values()])
    ax = _axes(ax, (7.6, 1.6 + 0.75 * len(items)))
    y = np.arange(len(items))
    ax.barh(y, between, color=BETWEEN, height=0.55, label=between_label or t["between"],
            gid="decomp-between")
    ax.barh(y, within, left=between, color=WITHIN, height=0.55,
            label=within_label or t["within"], gid="decomp-within")
    for yi, b, w in zip(y, between, within, strict=True):
        if b >= 8:
            ax.text(b / 2, yi, f"{format_number(b, lang, 0)} %", ha="center", va="center",
                    color="white", fontsize=9, fontweight="bold")
        if w >= 8:
            ax.text(b + w / 2, yi, f"{format_number(w, lang, 0)} %", ha="center",
                    va="center", color="#1f1f1f", fontsize=9)
    ax.set_yticks(y, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(t["share"], fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=8.5,
              frameon=False)
    ax.set_title(title or t["decomp"], fontsize=12, fontweight="bold", loc="left", pad=22)
    details = [t["decomp_note"].format(
        m=lab, total=_num(r.statistic, lang, 4), b=_num(r.between, lang, 4),
        w=_num(r.within, lang, 4), n=r.n, g=len(r.groups))
        for lab, r in zip(labels, items.values(), strict=True)]
    _caption(ax, [note, *details], lang, source)
    return ax


# --- dot and whisker ----------------------------------------------------------------------


def plot_inequality_indices(
    table: pd.DataFrame, *, label: str = "label", statistic: str = "statistic",
    ci_low: str = "ci_low", ci_high: str = "ci_high", reference: float | None = None,
    decimals: int = 3, lang: str = "nb", title: str | None = None, xlabel: str | None = None,
    source: str | None = None, note: str | None = None, ax: Axes | None = None,
) -> Axes:
    """Dot (estimate) and whisker (confidence interval) per row of ``table`` — e.g.
    :func:`~soslokal_lib.stats.gradient.index_table` or the SII columns of
    ``gradient_table``. With ``reference`` (e.g. 0) a vertical line is drawn and rows whose
    interval excludes it are coloured, the others grey. ``n`` is added to the row label when
    the table has an ``n`` column. Returns the Axes."""
    lang = c.language(lang)
    t = TEXT[lang]
    _columns(table, label, statistic, ci_low, ci_high)
    est = pd.to_numeric(table[statistic], errors="coerce").to_numpy(float, na_value=np.nan)
    lo = pd.to_numeric(table[ci_low], errors="coerce").to_numpy(float, na_value=np.nan)
    hi = pd.to_numeric(table[ci_high], errors="coerce").to_numpy(float, na_value=np.nan)
    names = table[label].astype("str").tolist()
    if "n" in table.columns:
        names = [f"{name} ({t['n']} = {int(n)})" if pd.notna(n) else name
                 for name, n in zip(names, table["n"], strict=True)]
    colours = np.full(len(table), POINT, dtype=object)
    if reference is not None:
        clear = (lo > reference) | (hi < reference)
        colours = np.where(clear, POINT, MUTED)
    ax = _axes(ax, (7.6, 1.6 + 0.42 * len(table)))
    y = np.arange(len(table))
    if reference is not None:
        ax.axvline(reference, color="#555555", linewidth=0.9, linestyle="--", gid="ref-line")
    ax.hlines(y, lo, hi, colors=list(colours), linewidth=2, gid="index-ci")
    ax.scatter(est, y, s=40, c=list(colours), zorder=3, gid="index-points")
    for yi, v, h in zip(y, est, hi, strict=True):
        if np.isfinite(v):
            ax.annotate(_num(v, lang, decimals), (h if np.isfinite(h) else v, yi),
                        xytext=(5, 0), textcoords="offset points", va="center", fontsize=8.5)
    ax.set_yticks(y, names, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel or t["value"], fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e8e8e8", linewidth=0.8)
    ax.set_axisbelow(True)
    _decimal_comma(ax, lang, "x")
    conf = table.attrs.get("confidence", 0.95)
    ax.set_title(title or t["indices"], fontsize=12, fontweight="bold", loc="left")
    _caption(ax, [note, t["ci_note"].format(p=format_number(100 * conf, lang, 0))], lang,
             source)
    return ax
