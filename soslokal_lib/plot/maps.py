"""Choropleth and LISA cluster maps of areas (matplotlib, shapely, mapclassify; all lazy).

``plot_choropleth`` classes a numeric column with mapclassify and draws the classes with a
sequential palette, a legend with Norwegian number formatting («485 900 – 513 900»), missing
and suppressed areas hatched grey and named in the legend, area names with a white halo, a
scale bar, and the source line under the map. ``plot_lisa_map`` draws given local Moran
cluster labels in the conventional colours; ``plot_local_moran`` draws the result of
:func:`soslokal_lib.stats.spatial.local_moran` with its method as the caption. Maps are north-up (EPSG:25833) without axis ticks.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number, formatter
from soslokal_lib.plot import _common as c
from soslokal_lib.stats.spatial import lisa_note

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DEFAULT_CMAP = "YlGnBu"
EDGE = "#ffffff"
MISSING_FACE = "#e4e4e4"
MISSING_EDGE = "#9c9c9c"
LABEL_SIZE = 7
#: User-facing scheme names → mapclassify names. «natural_breaks» uses the exact, deterministic
#: Fisher–Jenks algorithm (mapclassify's own NaturalBreaks is k-means with random starts).
SCHEMES = {
    "quantiles": "quantiles", "natural_breaks": "fisher_jenks", "fisher_jenks": "fisher_jenks",
    "jenks": "fisher_jenks", "equal_interval": "equal_interval",
    "maximum_breaks": "maximum_breaks", "jenks_caspall": "jenks_caspall",
    "head_tail_breaks": "headtail_breaks", "headtail_breaks": "headtail_breaks",
    "std_mean": "std_mean", "box_plot": "box_plot", "percentiles": "percentiles",
}
_NO_K = {"headtail_breaks", "std_mean", "box_plot", "percentiles"}
SCHEME_NAMES = {
    "nb": {"quantiles": "kvantiler", "fisher_jenks": "naturlige brudd (Fisher–Jenks)",
           "equal_interval": "like intervaller", "maximum_breaks": "største sprang",
           "jenks_caspall": "Jenks–Caspall", "headtail_breaks": "head/tail-brudd",
           "std_mean": "standardavvik fra gjennomsnittet", "box_plot": "boksplott",
           "percentiles": "persentiler", "user_defined": "faste klassegrenser"},
    "en": {"quantiles": "quantiles", "fisher_jenks": "natural breaks (Fisher–Jenks)",
           "equal_interval": "equal intervals", "maximum_breaks": "maximum breaks",
           "jenks_caspall": "Jenks–Caspall", "headtail_breaks": "head/tail breaks",
           "std_mean": "standard deviations from the mean", "box_plot": "box plot",
           "percentiles": "percentiles", "user_defined": "fixed class limits"},
}
#: LISA categories (as the spatial module labels them), their colours and names.
LISA_CATEGORIES = ("High-High", "Low-Low", "High-Low", "Low-High", "Not significant")
LISA_COLOURS = {
    "High-High": "#d7191c", "Low-Low": "#2c7bb6", "High-Low": "#f4a3b4",
    "Low-High": "#a6cee3", "Not significant": "#dcdcdc",
}
LISA_NAMES = {
    "nb": {"High-High": "Høy–høy", "Low-Low": "Lav–lav", "High-Low": "Høy–lav",
           "Low-High": "Lav–høy", "Not significant": "Ikke signifikant"},
    "en": {"High-High": "High–high", "Low-Low": "Low–low", "High-Low": "High–low",
           "Low-High": "Low–high", "Not significant": "Not significant"},
}
_LISA_ALIASES = {
    "highhigh": "High-High", "hh": "High-High", "høyhøy": "High-High",
    "lowlow": "Low-Low", "ll": "Low-Low", "lavlav": "Low-Low",
    "highlow": "High-Low", "hl": "High-Low", "høylav": "High-Low",
    "lowhigh": "Low-High", "lh": "Low-High", "lavhøy": "Low-High",
    "notsignificant": "Not significant", "ns": "Not significant",
    "ikkesignifikant": "Not significant",
}
TEXT = {
    "nb": {"missing": "Mangler data", "suppressed": "Skjult (personvern)",
           "classes": "Inndeling: {scheme}, {k} klasser", "areas": "områder",
           "lisa_title": "Lokale klynger (LISA)", "lisa_note": "Lokal Moran's I"},
    "en": {"missing": "No data", "suppressed": "Hidden (privacy)",
           "classes": "Classes: {scheme}, {k} classes", "areas": "areas",
           "lisa_title": "Local clusters (LISA)", "lisa_note": "Local Moran's I"},
}


def classify(values: Sequence[float] | pd.Series, scheme: str = "quantiles", k: int = 5) -> Any:
    """mapclassify classifier of the non-missing ``values`` (``.bins``, ``.yb``, ``.k``).

    ``scheme``: ``"quantiles"``, ``"natural_breaks"`` (Fisher–Jenks), ``"equal_interval"``,
    ``"maximum_breaks"``, ``"jenks_caspall"``, ``"head_tail_breaks"``, ``"std_mean"``,
    ``"box_plot"`` or ``"percentiles"``.
    """
    import mapclassify

    name = SCHEMES.get(str(scheme).strip().casefold().replace("-", "_").replace(" ", "_"))
    if name is None:
        raise SoslokalError(f"Unknown classification scheme {scheme!r}. Fix: use one of "
                            f"{', '.join(sorted(SCHEMES))}.")
    y = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    y = y[np.isfinite(y)]
    if y.size == 0:
        raise SoslokalError("No values to classify: every value is missing.")
    kwargs = {} if name in _NO_K else {"k": int(min(k, np.unique(y).size))}
    with warnings.catch_warnings():  # Fisher–Jenks without numba is fast enough for areas
        warnings.filterwarnings("ignore", message="Numba not installed")
        # tied quantiles give fewer classes; the legend and caption show the classes made
        warnings.filterwarnings("ignore", message="Not enough unique values in array")
        return mapclassify.classify(y, name, **kwargs)


def _user_defined(values: np.ndarray, bins: Sequence[float]) -> Any:
    """mapclassify ``UserDefined`` classes with upper limits ``bins`` (sorted, distinct)."""
    import mapclassify

    limits = np.asarray(list(bins), dtype=float)
    if limits.size == 0 or not np.isfinite(limits).all() or (np.diff(limits) <= 0).any():
        raise SoslokalError(f"bins must be increasing finite class limits, got {list(bins)!r}.")
    return mapclassify.UserDefined(values, limits)


def _check_frame(gdf: Any, column: str) -> None:
    if not hasattr(gdf, "geometry") or not hasattr(gdf, "crs"):
        raise SoslokalError(f"A map needs a GeoDataFrame, got {type(gdf).__name__}. Fix: join "
                            "the values onto the areas (areas.join(table)).")
    if column not in gdf.columns:
        raise SoslokalError(f"Column {column!r} is not in the map data (columns: "
                            f"{', '.join(map(str, gdf.columns[:15]))}).")
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if empty.any():
        shown = ", ".join(map(str, gdf.index[empty.to_numpy()][:5]))
        raise SoslokalError(f"{int(empty.sum())} rows have no geometry ({shown}). Fix: join the "
                            "values onto the areas GeoDataFrame (areas.join(table)), which keeps "
                            "only areas with boundaries.")


def _mask(gdf: Any, spec: str | pd.Series | Sequence[bool] | None) -> np.ndarray:
    if spec is None:
        return np.zeros(len(gdf), dtype=bool)
    if isinstance(spec, str):
        if spec not in gdf.columns:
            raise SoslokalError(f"suppressed={spec!r} is not a column of the map data.")
        spec = gdf[spec]
    if isinstance(spec, pd.Series):
        spec = spec.reindex(gdf.index)
    return pd.Series(np.asarray(spec, dtype=object)).astype("boolean").fillna(False).to_numpy(
        dtype=bool)


def _names(gdf: Any, label_column: str | None) -> pd.Series:
    if label_column and label_column in gdf.columns:
        return gdf[label_column].astype("str")
    return pd.Series(gdf.index.astype("str"), index=gdf.index)


def _listed(label: str, names: pd.Series, lang: str, most: int = 3) -> str:
    """«Mangler data: Øyane» (up to ``most`` names, wrapped) or «Mangler data: 7 områder»."""
    if len(names) == 0:
        return label
    if len(names) <= most:
        listed = ", ".join(names)
    else:
        listed = f"{len(names)} {TEXT[lang]['areas']}"
    return textwrap.fill(f"{label}: {listed}", 30, subsequent_indent="  ",
                         break_long_words=False)


def _figure(gdf: Any, ax: Axes | None) -> Axes:
    """A new figure shaped like the map (plus room for the legend) unless ``ax`` is given."""
    import matplotlib.pyplot as plt

    if ax is None:
        x0, y0, x1, y1 = gdf.total_bounds
        ratio = (y1 - y0) / (x1 - x0) if x1 > x0 and y1 > y0 else 1.0
        width = 6.4 if ratio <= 1 else max(3.2, 6.4 / ratio)
        height = min(6.4, width * ratio)
        fig = plt.figure(figsize=(width + 2.8, height + 1.2), layout="constrained")
        ax = fig.add_subplot()
    return ax


def _draw(ax: Axes, geoms: Any, *, gid: str, **style: Any) -> Any:
    """Add one patch per (multi)polygon to ``ax`` as a PatchCollection (holes kept: rings
    are oriented, exteriors counter-clockwise, before they become matplotlib paths)."""
    import shapely
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    patches = []
    for geom in shapely.orient_polygons(np.asarray(geoms)):  # one path per area
        parts = getattr(geom, "geoms", [geom])
        rings = [ring for part in parts for ring in (part.exterior, *part.interiors)]
        paths = [Path(np.asarray(ring.coords)[:, :2], closed=True) for ring in rings]
        patches.append(PathPatch(Path.make_compound_path(*paths)))
    collection = PatchCollection(patches, gid=gid, **style)
    ax.add_collection(collection, autolim=True)
    ax.autoscale_view()
    return collection


def _draw_missing(gdf: Any, mask: np.ndarray, ax: Axes, hatch: str) -> None:
    if mask.any():
        _draw(ax, gdf.geometry[mask].to_numpy(), gid="map-missing", facecolor=MISSING_FACE,
              edgecolor=MISSING_EDGE, hatch=hatch, linewidth=0.4)
        _draw(ax, gdf.geometry[mask].to_numpy(), gid="map-missing-edge", facecolor="none",
              edgecolor=EDGE, linewidth=0.7)


def _missing_handle(label: str, hatch: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=MISSING_FACE, edgecolor=MISSING_EDGE, hatch=hatch, linewidth=0.4,
                 label=label)


def _finish(gdf: Any, ax: Axes, *, handles: list, legend_title: str | None, title: str | None,
            caption: str, labels: bool | str, label_column: str | None) -> None:
    """Outline, area names, scale bar, legend, title and caption; no ticks, equal aspect."""
    import matplotlib.patheffects as pe

    outline = gdf.geometry.union_all().boundary
    ax.plot(*_xy(outline), color="#5a5a5a", linewidth=0.8, solid_joinstyle="round")
    if labels:
        names = _names(gdf, label_column)
        px, py = _label_points(gdf)
        fits = (np.ones(len(gdf), dtype=bool) if labels == "all"
                else _label_fits(gdf, names, px, py, ax))
        if not fits.all() and labels != "all":  # a long name may fit on two lines
            wrapped = names.map(_two_lines)
            retry = ~fits & (wrapped != names).to_numpy() & _label_fits(gdf, wrapped, px, py, ax)
            names = names.where(~retry, wrapped)
            fits |= retry
        halo = [pe.withStroke(linewidth=2.4, foreground="white")]
        for name, x, y in zip(names[fits], px[fits], py[fits], strict=True):
            ax.annotate(name, (x, y), ha="center", va="center", fontsize=LABEL_SIZE,
                        color="#1f1f1f", path_effects=halo, gid="map-label")
    ax.set_aspect("equal", adjustable="datalim")  # keeps the box, so the legend fits
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    _scale_bar(gdf, ax)
    legend = ax.legend(handles=handles, title=legend_title, loc="upper left",
                       bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8.5,
                       title_fontsize=9.5, alignment="left", handlelength=1.6,
                       handleheight=1.1, borderaxespad=0.2)
    legend.set_gid("map-legend")
    if title:
        ax.set_title(title, fontsize=13, fontweight="bold", loc="left")
    if caption:
        width_in = ax.figure.get_size_inches()[0] * ax.get_position().width
        chars = max(50, int(width_in * 72 / (8 * 0.55)))  # 8 pt text, ~0.55 em per character
        caption = textwrap.fill(caption, chars, break_long_words=False)
        ax.annotate(caption, xy=(0, 0), xycoords="axes fraction", xytext=(0, -6),
                    textcoords="offset points", ha="left", va="top", fontsize=8,
                    color="#555555", gid="map-caption")


def _label_points(gdf: Any) -> tuple[np.ndarray, np.ndarray]:
    """x and y of each area's pole of inaccessibility (centre of its largest inscribed
    circle), where a label sits best."""
    import shapely

    x0, y0, x1, y1 = gdf.total_bounds
    tolerance = max(x1 - x0, y1 - y0, 1.0) / 2000
    circles = shapely.maximum_inscribed_circle(gdf.geometry.to_numpy(), tolerance=tolerance)
    points = shapely.get_point(circles, 0)
    return shapely.get_x(points), shapely.get_y(points)


def _label_fits(gdf: Any, names: pd.Series, px: np.ndarray, py: np.ndarray,
                ax: Axes) -> np.ndarray:
    """True where a name's text box (one or more lines), centred on the area's label point,
    lies inside the area (estimated from the axes size), so labels neither spill over nor
    overlap."""
    import shapely

    x0, y0, x1, y1 = gdf.total_bounds
    fig_w, fig_h = ax.figure.get_size_inches()
    box = ax.get_position()
    per_inch = max((x1 - x0) / max(fig_w * box.width, 0.1),
                   (y1 - y0) / max(fig_h * box.height, 0.1))
    lines = names.str.split("\n")
    longest = lines.map(lambda parts: max(len(part) for part in parts)).to_numpy()
    half_w = longest * LABEL_SIZE * 0.58 / 72 * per_inch / 2
    half_h = lines.map(len).to_numpy() * LABEL_SIZE * 1.3 / 72 * per_inch / 2
    boxes = shapely.box(px - half_w, py - half_h, px + half_w, py + half_h)
    return shapely.within(boxes, gdf.geometry.buffer(half_h * 0.3).to_numpy())


def _two_lines(name: str) -> str:
    """``name`` broken at the space nearest its middle («Sone 1\nFjordsida»); as it is
    without a space."""
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    if not spaces:
        return name
    cut = min(spaces, key=lambda i: (abs(2 * i - len(name)), i))
    return name[:cut] + "\n" + name[cut + 1:]


def _xy(boundary: Any) -> tuple[list[float], list[float]]:
    """x and y of a (multi)line with NaN between parts, for one ``ax.plot`` call."""
    parts = getattr(boundary, "geoms", [boundary])
    xs: list[float] = []
    ys: list[float] = []
    for part in parts:
        x, y = part.xy
        xs += [*x, np.nan]
        ys += [*y, np.nan]
    return xs, ys


def _scale_bar(gdf: Any, ax: Axes) -> None:
    """A bar of a round length (1, 2 or 5 × 10ⁿ m, about a fifth of the map) at lower right."""
    crs = gdf.crs
    if crs is None or not crs.is_projected:
        return
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if unit not in ("metre", "meter"):
        return
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5
    power = 10 ** np.floor(np.log10(target))
    length = max(m * power for m in (1, 2, 5) if m * power <= target)
    right = x1 - (x1 - x0) * 0.03
    base = y0 + (y1 - y0) * 0.03
    ax.plot([right - length, right], [base, base], color="#333333", linewidth=2.2,
            solid_capstyle="butt", gid="map-scalebar")
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.annotate(text.replace(".", ","), (right - length / 2, base), xytext=(0, 3),
                textcoords="offset points", ha="center", va="bottom", fontsize=7.5,
                color="#333333")


def _caption(parts: Sequence[str | None], lang: str, source: str | None) -> str:
    return c.caption([p for p in parts if p], lang, source)


def plot_choropleth(
    gdf: Any,
    column: str,
    *,
    scheme: str = "quantiles",
    k: int = 5,
    cmap: str | Any | None = None,
    lang: str = "nb",
    title: str | None = None,
    legend_title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
    labels: bool | str = True,
    label_column: str | None = "area_name",
    missing_label: str | None = None,
    suppressed: str | pd.Series | Sequence[bool] | None = None,
    suppressed_label: str | None = None,
    fmt: str | Callable[[float], str] | None = None,
    note: str | None = None,
    bins: Sequence[float] | None = None,
) -> Axes:
    """Classed choropleth of ``gdf[column]`` (mapclassify ``scheme`` with ``k`` classes).

    Missing values are hatched grey and named in the legend as ``missing_label`` («Mangler
    data»); areas flagged by ``suppressed`` (a boolean column name or mask) are hatched the
    other way as ``suppressed_label`` («Skjult (personvern)»), whatever their value. ``fmt``
    formats the class limits: a callable, a format spec (``"{:.1f}"``) or ``None`` (as few
    decimals as keep the limits distinct; bokmål: decimal comma, thin space for thousands).
    ``labels`` writes ``label_column`` (default ``area_name``, else the index) on each area
    where the name fits inside it (``labels="all"``: on every area; ``False``: none).
    The caption under the map names the classification and ``source`` («Kilde: …»), with
    ``note`` before it. Returns the Axes; ``ax.classification`` holds the mapclassify object.
    ``bins`` gives the upper class limits instead of ``scheme`` and ``k`` (mapclassify
    ``UserDefined``; the largest value closes the last class). A ``ListedColormap`` with
    exactly one colour per class is used colour for colour (e.g. a diverging palette centred
    on 0); any other colormap is sampled evenly.
    """
    lang = c.language(lang)
    _check_frame(gdf, column)
    values = pd.to_numeric(gdf[column], errors="coerce").to_numpy(dtype=float,
                                                                  na_value=np.nan)
    hidden = _mask(gdf, suppressed)
    valid = np.isfinite(values) & ~hidden
    missing = ~np.isfinite(values) & ~hidden
    t = TEXT[lang]

    from matplotlib import colormaps
    from matplotlib.colors import Colormap, ListedColormap, to_rgba
    from matplotlib.patches import Patch

    ax = _figure(gdf, ax)
    handles = []
    binning = None
    class_note = None
    if valid.any():
        binning = (classify(values[valid], scheme, k) if bins is None
                   else _user_defined(values[valid], bins))
        limits = np.asarray(binning.bins, dtype=float)
        n_classes = len(limits)
        palette = cmap if isinstance(cmap, Colormap) else colormaps[cmap or DEFAULT_CMAP]
        if isinstance(palette, ListedColormap) and palette.N == n_classes:
            colours = np.asarray([to_rgba(col) for col in palette.colors])
        else:
            colours = palette(np.linspace(0.2, 0.95, n_classes) if n_classes > 1 else [0.6])
        yb = np.asarray(binning.yb, dtype=int)
        _draw(ax, gdf.geometry[valid].to_numpy(), gid="map-classes", facecolor=colours[yb],
              edgecolor=EDGE, linewidth=0.7)
        lows = np.concatenate([[np.nanmin(values[valid])], limits[:-1]])
        text = formatter(fmt, lang, [*lows, *limits])
        shown = set()
        for i in range(n_classes):
            lo, hi = text(lows[i]), text(limits[i])
            label = lo if lo == hi else f"{lo} – {hi}"  # one value: «18», not «18 – 18»
            if label in shown or not (yb == i).any() and lo == hi:
                continue  # a class repeating the one before, with no area of its own
            shown.add(label)
            handles.append(Patch(facecolor=colours[i], edgecolor="#bdbdbd", linewidth=0.4,
                                 label=label))
        name = ("user_defined" if bins is not None else
                SCHEMES[str(scheme).strip().casefold().replace("-", "_").replace(" ", "_")])
        class_note = t["classes"].format(scheme=SCHEME_NAMES[lang][name], k=n_classes)
    names = _names(gdf, label_column)
    _draw_missing(gdf, missing, ax, "////")
    _draw_missing(gdf, hidden, ax, "\\\\\\\\")
    if missing.any():
        handles.append(_missing_handle(_listed(missing_label or t["missing"], names[missing],
                                               lang), "////"))
    if hidden.any():
        handles.append(_missing_handle(_listed(suppressed_label or t["suppressed"],
                                               names[hidden], lang), "\\\\\\\\"))
    _finish(gdf, ax, handles=handles, legend_title=legend_title or column, title=title,
            caption=_caption([note, class_note], lang, source), labels=labels,
            label_column=label_column)
    ax.classification = binning
    return ax


def _lisa_labels(values: pd.Series) -> pd.Series:
    key = (values.astype("string").str.casefold().str.replace(r"[\s\-–_]", "", regex=True))
    out = key.map(_LISA_ALIASES)
    bad = values.notna() & out.isna()
    if bad.any():
        shown = ", ".join(repr(v) for v in values[bad].astype("str").unique()[:5])
        raise SoslokalError(f"Unknown LISA categories {shown}. Fix: use "
                            f"{', '.join(map(repr, LISA_CATEGORIES))}.")
    return out


def plot_lisa_map(
    gdf: Any,
    labels_column: str = "lisa",
    *,
    lang: str = "nb",
    title: str | None = None,
    legend_title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
    labels: bool | str = True,
    label_column: str | None = "area_name",
    missing_label: str | None = None,
    note: str | None = None,
) -> Axes:
    """Map of local Moran cluster labels in ``gdf[labels_column]``.

    Values are ``"High-High"`` (red), ``"Low-Low"`` (blue), ``"High-Low"`` (pink),
    ``"Low-High"`` (light blue) and ``"Not significant"`` (grey); short forms (``"HH"``,
    ``"ns"``) are accepted, missing values are hatched as ``missing_label``. The legend shows
    all five categories in bokmål («Høy–høy», «Lav–lav», «Høy–lav», «Lav–høy», «Ikke
    signifikant») with the number of areas in each. Returns the Axes.
    """
    lang = c.language(lang)
    _check_frame(gdf, labels_column)
    category = _lisa_labels(gdf[labels_column])
    missing = category.isna().to_numpy()
    t = TEXT[lang]

    from matplotlib.patches import Patch

    ax = _figure(gdf, ax)
    if (~missing).any():
        _draw(ax, gdf.geometry[~missing].to_numpy(), gid="map-classes",
              facecolor=[LISA_COLOURS[v] for v in category[~missing]], edgecolor=EDGE,
              linewidth=0.7)
    _draw_missing(gdf, missing, ax, "////")
    counts = category.value_counts()
    handles = [Patch(facecolor=LISA_COLOURS[cat], edgecolor="#bdbdbd", linewidth=0.4,
                     label=f"{LISA_NAMES[lang][cat]} ({format_number(counts.get(cat, 0), lang)})")
               for cat in LISA_CATEGORIES]
    if missing.any():
        handles.append(_missing_handle(_listed(missing_label or t["missing"],
                                               _names(gdf, label_column)[missing], lang), "////"))
    _finish(gdf, ax, handles=handles, legend_title=legend_title or t["lisa_title"], title=title,
            caption=_caption([note], lang, source), labels=labels, label_column=label_column)
    return ax


def plot_local_moran(lisa: Any, *, lang: str = "nb", source: str | None = None,
                     note: str | None = None, missing_label: str | None = None,
                     **kwargs: Any) -> Axes:
    """Draw the ``cluster`` column of a :func:`soslokal_lib.stats.spatial.local_moran` result
    with :func:`plot_lisa_map` (islands and missing areas hatched). The caption states the
    method (:func:`soslokal_lib.stats.spatial.lisa_note`: α, permutations, n) after ``note``;
    other keyword arguments go to :func:`plot_lisa_map`. Returns the Axes."""
    method = lisa_note(lisa, lang)
    islands = lisa.attrs["lisa"]["islands"]
    if islands and missing_label is None:
        missing_label = ("No data / no neighbours" if c.language(lang) == "en"
                         else "Mangler data / uten naboer")
    return plot_lisa_map(lisa, "cluster", lang=lang, source=source,
                         note=f"{note}. {method}" if note else method,
                         missing_label=missing_label, **kwargs)
