"""Choropleth and LISA maps (soslokal_lib.plot.maps) and number formatting."""

from __future__ import annotations

import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd  # noqa: E402
import mapclassify  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from shapely.geometry import box  # noqa: E402

from soslokal_lib.errors import SoslokalError  # noqa: E402
from soslokal_lib.numformat import (  # noqa: E402
    THIN_SPACE,
    auto_decimals,
    format_number,
    format_significant,
)
from soslokal_lib.plot import maps  # noqa: E402

VALUES = [512_300.0, 498_100.0, 601_000.0, np.nan, 655_400.0, 530_900.0, 575_250.0,
          702_000.0, 489_900.0, 548_800.0, 623_100.0, 566_000.0, 590_500.0, 610_800.0,
          507_700.0, 679_300.0, 541_200.0, 520_600.0, 633_900.0, 585_000.0]


@pytest.fixture
def grid() -> gpd.GeoDataFrame:
    """4 × 5 squares of 1 km, one missing value (area A03)."""
    cells = [box(300_000 + 1000 * (i % 5), 6_650_000 + 1000 * (i // 5),
                 301_000 + 1000 * (i % 5), 6_651_000 + 1000 * (i // 5)) for i in range(20)]
    ids = [f"9901{i:02d}00" for i in range(20)]
    return gpd.GeoDataFrame({"area_name": [f"A{i:02d}" for i in range(20)], "income": VALUES},
                            geometry=cells, index=pd.Index(ids, name="area_id"),
                            crs="EPSG:25833")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def legend_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def by_gid(ax, gid: str) -> list:
    return [coll for coll in ax.collections if coll.get_gid() == gid]


def test_number_formatting():
    assert format_number(485_900) == f"485{THIN_SPACE}900"
    assert format_number(1_234_567.891, decimals=2) == f"1{THIN_SPACE}234{THIN_SPACE}567,89"
    assert format_number(12.5, decimals=1) == "12,5"
    assert format_number(-3.25, decimals=1) == "\u22123,2"
    assert format_number(-0.01, decimals=1) == "0,0"
    assert format_number(485_900, "en") == "485,900"
    assert format_number(np.nan) == ""


def test_significant_digits_never_in_e_notation():
    assert format_significant(3.4e-9) == "under 0,000001"
    assert format_significant(3.4e-9, "en") == "below 0.000001"
    assert format_significant(1e-6) == "0,000001"
    assert format_significant(0.001234) == "0,00123"
    assert format_significant(0.001234, digits=2) == "0,0012"
    assert format_significant(12_345.6) == f"12{THIN_SPACE}300"
    assert format_significant(12_345.6, "en") == "12,300"
    assert format_significant(2.5) == "2,5" and format_significant(1.0) == "1"
    assert format_significant(99.96) == "100" and format_significant(0.0) == "0"
    assert format_significant(-0.0456) == "\u22120,0456"
    assert format_significant(np.nan) == ""
    assert auto_decimals([485_900, 512_300]) == 0
    assert auto_decimals([10.71, 13.04, 16.0]) == 1
    assert auto_decimals([0.51, 0.54, 0.55]) == 2


@pytest.mark.filterwarnings("ignore:Numba not installed")
@pytest.mark.parametrize("scheme,reference", [
    ("quantiles", mapclassify.Quantiles), ("natural_breaks", mapclassify.FisherJenks),
    ("equal_interval", mapclassify.EqualInterval)])
def test_bins_equal_mapclassify_and_legend_has_k_classes(grid, scheme, reference):
    ax = maps.plot_choropleth(grid, "income", scheme=scheme, k=5, legend_title="Kroner")
    valid = grid["income"].dropna().to_numpy()
    expected = reference(valid, k=5)
    np.testing.assert_allclose(ax.classification.bins, expected.bins)
    texts = legend_texts(ax)
    assert len(texts) == 5 + 1  # five classes and the missing entry
    assert ax.get_legend().get_title().get_text() == "Kroner"
    edges = [format_number(b) for b in expected.bins]
    assert texts[0] == f"{format_number(valid.min())} – {edges[0]}"
    assert [t.split(" – ")[1] for t in texts[:5]] == edges
    # every area is coloured by its class, lowest class lightest
    cmap = matplotlib.colormaps[maps.DEFAULT_CMAP]
    colours = cmap(np.linspace(0.2, 0.95, 5))
    faces = by_gid(ax, "map-classes")[0].get_facecolors()
    np.testing.assert_allclose(faces, colours[expected.yb], atol=1e-6)


def test_thousands_and_decimals_in_legend(grid):
    shares = grid.assign(share=np.linspace(10.71, 28.5, 20))
    ax = maps.plot_choropleth(shares, "share", k=4)
    first = legend_texts(ax)[0]
    assert first.startswith("10,7 – ") and "." not in first
    ax = maps.plot_choropleth(grid, "income", k=3, fmt="{:,.0f}")
    assert THIN_SPACE in legend_texts(ax)[0]


def test_missing_values_hatched_grey_and_named(grid):
    ax = maps.plot_choropleth(grid, "income", source="Kilde: SSB, Kartverket (CC BY 4.0)")
    missing = by_gid(ax, "map-missing")
    assert len(missing) == 1 and missing[0].get_hatch() == "////"
    np.testing.assert_allclose(missing[0].get_facecolors()[0], to_rgba(maps.MISSING_FACE))
    assert len(missing[0].get_paths()) == 1
    assert legend_texts(ax)[-1] == "Mangler data: A03"
    handle = ax.get_legend().legend_handles[-1]
    assert handle.get_hatch() == "////"
    ax = maps.plot_choropleth(grid, "income", lang="en", missing_label="Suppressed")
    assert legend_texts(ax)[-1] == "Suppressed: A03"


def test_many_missing_are_counted_and_suppressed_marked(grid):
    data = grid.assign(income=grid["income"].where(grid.index.str[4:6].astype(int) > 5))
    hidden = pd.Series(False, index=grid.index)
    hidden.iloc[10] = True
    ax = maps.plot_choropleth(data, "income", k=4, suppressed=hidden)
    texts = legend_texts(ax)
    assert texts[-2] == "Mangler data: 6 områder"
    assert texts[-1] == "Skjult (personvern): A10"
    hatches = sorted(c.get_hatch() for c in by_gid(ax, "map-missing"))
    assert hatches == ["////", "\\\\\\\\"]
    assert len(by_gid(ax, "map-classes")[0].get_paths()) == 20 - 6 - 1


def test_caption_title_labels_and_layout(grid):
    ax = maps.plot_choropleth(grid, "income", title="Medianinntekt", note="Husholdninger",
                              source="Kilde: SSB, Kartverket (CC BY 4.0)")
    assert ax.get_title(loc="left") == "Medianinntekt"
    caption = [t for t in ax.texts if t.get_gid() == "map-caption"][0].get_text()
    assert caption == ("Husholdninger. Inndeling: kvantiler, 5 klasser. "
                       "Kilde: SSB, Kartverket (CC BY 4.0).")
    labels = sorted(t.get_text() for t in ax.texts if t.get_gid() == "map-label")
    assert labels == sorted(grid["area_name"])
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    assert [line for line in ax.lines if line.get_gid() == "map-scalebar"]
    assert any(t.get_text() == "1 km" for t in ax.texts)
    ax = maps.plot_choropleth(grid, "income", labels=False)
    assert not [t for t in ax.texts if t.get_gid() == "map-label"]


def test_names_that_do_not_fit_are_left_out(grid):
    long = grid.assign(area_name=["Et svært langt stedsnavn som ikke får plass, heller ikke på to "
                                  "linjer"] + ["B"] * 19)
    ax = maps.plot_choropleth(long, "income")
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "map-label"]
    assert len(labels) == 19 and set(labels) == {"B"}
    ax = maps.plot_choropleth(long, "income", labels="all")
    assert len([t for t in ax.texts if t.get_gid() == "map-label"]) == 20


def test_a_name_too_long_for_one_line_is_put_on_two(grid):
    """«Sone 1 Fjordsida» in a 1 km square of a small map: too wide on one line, placed as
    «Sone 1» over «Fjordsida» (split at the space nearest the middle)."""
    long = grid.assign(area_name=["Sone 1 Fjordsida"] + ["B"] * 19)
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    maps.plot_choropleth(long, "income", ax=ax)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "map-label"]
    assert "Sone 1\nFjordsida" in labels and len(labels) == 20
    assert maps._two_lines("Sone 1 Fjordsida") == "Sone 1\nFjordsida"
    assert maps._two_lines("Øyane") == "Øyane"
    fig, ax = plt.subplots(figsize=(9, 7.5))  # wide enough: one line
    maps.plot_choropleth(long, "income", ax=ax)
    assert "Sone 1 Fjordsida" in [t.get_text() for t in ax.texts if t.get_gid() == "map-label"]


def test_input_not_modified_and_errors(grid):
    before = grid.copy()
    maps.plot_choropleth(grid, "income")
    pd.testing.assert_frame_equal(grid, before)
    with pytest.raises(SoslokalError, match="'nope' is not in the map data"):
        maps.plot_choropleth(grid, "nope")
    with pytest.raises(SoslokalError, match="Unknown classification scheme"):
        maps.plot_choropleth(grid, "income", scheme="magic")
    with pytest.raises(SoslokalError, match="needs a GeoDataFrame"):
        maps.plot_choropleth(pd.DataFrame(grid.drop(columns="geometry")), "income")


def test_all_missing_draws_hatched_map(grid):
    ax = maps.plot_choropleth(grid.assign(income=np.nan), "income")
    assert ax.classification is None
    assert legend_texts(ax) == ["Mangler data: 20 områder"]


def test_lisa_colours_per_category(grid):
    cats = (["High-High"] * 3 + ["Low-Low"] * 4 + ["High-Low"] * 2 + ["Low-High"]
            + ["Not significant"] * 9 + [None])
    data = grid.assign(lisa=cats)
    ax = maps.plot_lisa_map(data, "lisa", source="Kilde: SSB")
    faces = by_gid(ax, "map-classes")[0].get_facecolors()
    expected = [to_rgba(maps.LISA_COLOURS[c]) for c in cats if c is not None]
    np.testing.assert_allclose(faces, expected)
    assert to_rgba(maps.LISA_COLOURS["High-High"])[0] > 0.8  # red
    assert to_rgba(maps.LISA_COLOURS["Low-Low"])[2] > 0.6  # blue
    assert legend_texts(ax) == ["Høy–høy (3)", "Lav–lav (4)", "Høy–lav (2)", "Lav–høy (1)",
                                "Ikke signifikant (9)", "Mangler data: A19"]
    assert ax.get_legend().get_title().get_text() == "Lokale klynger (LISA)"
    colours = [to_rgba(h.get_facecolor()) for h in ax.get_legend().legend_handles[:5]]
    assert colours == [to_rgba(maps.LISA_COLOURS[c]) for c in maps.LISA_CATEGORIES]
    en = maps.plot_lisa_map(data.assign(lisa=["HH", "ns"] * 10), "lisa", lang="en")
    assert legend_texts(en)[0] == "High–high (10)" and legend_texts(en)[3] == "Low–high (0)"
    with pytest.raises(SoslokalError, match="Unknown LISA categories 'Hot'"):
        maps.plot_lisa_map(data.assign(lisa="Hot"), "lisa")


def test_heavy_modules_imported_lazily():
    code = ("import sys, soslokal_lib.plot.maps, soslokal_lib.plot.charts_socio, "
            "soslokal_lib.stats.profiles, soslokal_lib.io.socio; "
            "print(sorted(m for m in ('matplotlib', 'geopandas', 'mapclassify', 'shapely') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_saves_a_png(grid, tmp_path):
    """The saved PNG shows every class: each class colour covers its areas' share of the map."""
    from matplotlib.image import imread

    ax = maps.plot_choropleth(grid, "income", title="Inntekt", source="Kilde: SSB")
    path = tmp_path / "map.png"
    ax.figure.savefig(path, dpi=60)
    image = imread(path)[..., :3]
    width, height = ax.figure.get_size_inches() * 60
    assert image.shape[:2] == (round(height), round(width))
    handles = ax.get_legend().legend_handles
    pixels = np.array([np.all(np.abs(image - to_rgba(h.get_facecolor())[:3]) < 0.02, axis=-1).sum()
                       for h in handles])
    per_class = np.bincount(ax.classification.yb, minlength=5)  # areas per class: 4, 4, 3, 4, 4
    per_area = pixels[:5].sum() / per_class.sum()  # the squares are equal in size
    assert np.round(pixels[:5] / per_area).astype(int).tolist() == per_class.tolist()
    assert pixels[5] > 0.1 * per_area  # the hatched missing square (A03) is drawn too


def test_holes_stay_empty():
    from shapely.geometry import Polygon

    ring = Polygon([(0, 0), (3000, 0), (3000, 3000), (0, 3000)],
                   holes=[[(1000, 1000), (2000, 1000), (2000, 2000), (1000, 2000)]])  # same winding
    data = gpd.GeoDataFrame({"v": [1.0]}, geometry=[ring], crs="EPSG:25833")
    fig, ax = plt.subplots(figsize=(3, 3), dpi=50)
    maps.plot_choropleth(data, "v", k=1, labels=False, ax=ax)
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255
    x, y = ax.transData.transform([(1500, 1500), (500, 500)]).round().astype(int)
    height = image.shape[0]
    hole = image[height - x[1], x[0]]
    body = image[height - y[1], y[0]]
    np.testing.assert_allclose(hole, [1, 1, 1], atol=0.01)  # background shows through
    assert not np.allclose(body, hole, atol=0.05)


def test_tied_quantiles_give_fewer_classes_without_a_library_warning(grid):
    """mapclassify's English «Not enough unique values…» reached users under the soslokal
    prefix; the caption already says how many classes were made."""
    import warnings

    tied = grid.assign(income=[1.0] * 12 + [2.0] * 4 + [3.0] * 2 + [4.0] * 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = maps.plot_choropleth(tied, "income", k=4)
    caption = [t for t in ax.texts if t.get_gid() == "map-caption"][0].get_text()
    classes = int(re.search(r"(\d) klasser", caption).group(1))
    assert classes < 4 and len(legend_texts(ax)) == classes
