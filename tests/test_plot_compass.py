"""Tests for the compass, heatmap and respondent charts (soslokal_lib.plot)."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from soslokal_lib.errors import SoslokalError  # noqa: E402
from soslokal_lib.plot.charts import plot_heatmap, plot_respondents  # noqa: E402
from soslokal_lib.plot.compass import plot_compass, plot_compass_grid  # noqa: E402
from soslokal_lib.themes import THEME_CODES, theme_labels  # noqa: E402

AREAS = {"03011101": 73, "03011102": 41, "03011103": 58, "total": 172}
NAMES = {"03011101": "Sentrum", "03011102": "Nordbyen", "03011103": "Sørsida"}
SUPPRESSED = ("03011102", "public_transport")


def median_of(a: int, i: int, scale: int = 7) -> float:
    """A deterministic, varied median for area ``a`` and theme ``i`` (some halves)."""
    base = 1 + (3 * i + 2 * a) % scale
    return float(base - 0.5) if (i + a) % 5 == 0 and base > 1 else float(base)


def make_summary(scale: int = 7, suppress=(SUPPRESSED,), min_n: int | None = 5) -> pd.DataFrame:
    """A hand-built long summary table shaped like summarise()'s output."""
    rows = []
    for a, (area, n) in enumerate(AREAS.items()):
        for i, theme in enumerate(THEME_CODES):
            sup = (area, theme) in suppress
            med = median_of(a, i, scale)
            mean = min(scale, med + 0.25)
            nan = np.nan
            rows.append({
                "area_id": area, "theme": theme, "n": 3 if sup else n - i % 3,
                "n_eff": nan if sup else float(n - i % 3),
                "mean": nan if sup else mean,
                "mean_ci_low": nan if sup else mean - 0.3,
                "mean_ci_high": nan if sup else min(scale, mean + 0.3),
                "median": nan if sup else med,
                "median_ci_low": nan if sup else max(1.0, med - 1),
                "median_ci_high": nan if sup else min(float(scale), med + 1),
                "share_low": nan if sup else 0.1 + 0.01 * i,
                "share_low_ci_low": nan, "share_low_ci_high": nan,
                "share_high": nan if sup else 0.5, "share_high_ci_low": nan,
                "share_high_ci_high": nan,
                "suppressed": sup, "suppression": "n < min_n" if sup else "",
                "weighted": False,
            })
    table = pd.DataFrame(rows)
    if min_n is not None:
        table.attrs["min_n"] = min_n
    return table


def expected(area: str, column: str = "median") -> np.ndarray:
    table = make_summary()
    part = table[table["area_id"] == area].set_index("theme").loc[list(THEME_CODES)]
    return part[column].to_numpy(dtype=float)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def line(ax, gid: str):
    found = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    assert len(found) == 1, f"expected one line with gid {gid!r}, found {len(found)}"
    return found[0]


def spoke_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if str(t.get_gid()).startswith("spoke-")]


def legend_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


# --- plot_compass -------------------------------------------------------------------------

def test_spoke_labels_in_official_order_bokmal_and_english():
    ax = plot_compass(make_summary(), "03011101")
    labels = [" ".join(t.split()) for t in spoke_texts(ax)]
    assert labels == [theme_labels("nb")[code] for code in THEME_CODES]
    assert labels[0] == "Å bevege seg rundt" and labels[-1] == "Innflytelse og medvirkning"
    gids = [t.get_gid() for t in ax.texts if str(t.get_gid()).startswith("spoke-")]
    assert gids == [f"spoke-{code}" for code in THEME_CODES]

    ax_en = plot_compass(make_summary(), "03011101", lang="en")
    labels_en = [" ".join(t.split()) for t in spoke_texts(ax_en)]
    assert labels_en == [theme_labels("en")[code] for code in THEME_CODES]
    assert labels_en[0] == "Moving around"


def test_label_overrides_are_used():
    ax = plot_compass(make_summary(), "03011101", labels={"feeling_safe": "Trygt nabolag"})
    assert " ".join(spoke_texts(ax)[11].split()) == "Trygt nabolag"


def test_orientation_clockwise_from_top_and_scale_limits():
    ax = plot_compass(make_summary(), "03011101")
    assert ax.name == "polar"
    assert ax.get_theta_offset() == pytest.approx(np.pi / 2)  # zero at north
    assert ax.get_theta_direction() == -1  # clockwise
    assert ax.get_ylim() == (1.0, 7.0)
    # A circle at every score; score 1 is the centre itself.
    assert list(ax.get_yticks()) == [2, 3, 4, 5, 6, 7]
    theta = line(ax, "compass-area").get_xdata()
    assert theta[:14] == pytest.approx(2 * np.pi * np.arange(14) / 14)
    # Horizontal alignment follows the angle: right-hand spokes left-aligned and vice versa.
    spokes = [t for t in ax.texts if str(t.get_gid()).startswith("spoke-")]
    assert spokes[0].get_horizontalalignment() == "center"
    assert spokes[3].get_horizontalalignment() == "left"
    assert spokes[10].get_horizontalalignment() == "right"


def test_polygon_radii_equal_the_medians():
    ax = plot_compass(make_summary(), "03011101")
    r = np.asarray(line(ax, "compass-area").get_ydata(), dtype=float)
    assert r[:14] == pytest.approx(expected("03011101"))
    assert r[14] == pytest.approx(r[0])  # closed ring


def test_mean_statistic_is_drawn_and_labelled_as_ordinal():
    ax = plot_compass(make_summary(), "03011103", stat="mean")
    r = np.asarray(line(ax, "compass-area").get_ydata(), dtype=float)
    assert r[:14] == pytest.approx(expected("03011103", "mean"))
    captions = " ".join(t.get_text() for t in ax.texts)
    assert "Gjennomsnitt (ordinale skårer)" in captions


def test_suppressed_theme_is_a_gap_with_marker_not_a_low_score():
    ax = plot_compass(make_summary(), "03011102")
    r = np.asarray(line(ax, "compass-area").get_ydata(), dtype=float)
    k = THEME_CODES.index("public_transport")
    assert np.isnan(r[k])
    others = np.delete(r[:14], k)
    assert np.isfinite(others).all()
    assert others == pytest.approx(np.delete(expected("03011102"), k))
    # No filled polygon passes through the suppressed spoke at a score.
    for patch in ax.patches:
        if patch.get_gid() in ("compass-suppressed",):
            continue
        verts = patch.get_path().vertices
        at_spoke = np.isclose(verts[:, 0] % (2 * np.pi), 2 * np.pi * k / 14)
        assert not at_spoke.any(), f"{patch} has a vertex on the suppressed spoke"
    markers = [t for t in ax.texts if t.get_gid() == "compass-suppressed-label"]
    assert [t.get_text() for t in markers] == ["for få svar"]
    assert any(p.get_gid() == "compass-suppressed" and p.get_hatch() for p in ax.patches)
    assert any(t.startswith("for få svar (n < 5)") for t in legend_texts(ax))

    ax_en = plot_compass(make_summary(), "03011102", lang="en")
    assert any(t.get_text() == "too few responses" for t in ax_en.texts)


def test_suppressed_value_left_in_table_is_still_not_drawn():
    table = make_summary()
    mask = (table["area_id"] == SUPPRESSED[0]) & (table["theme"] == SUPPRESSED[1])
    table.loc[mask, "median"] = 1.0  # a summary that marked but did not blank the cell
    ax = plot_compass(table, SUPPRESSED[0])
    r = np.asarray(line(ax, "compass-area").get_ydata(), dtype=float)
    assert np.isnan(r[THEME_CODES.index(SUPPRESSED[1])])


def test_compare_outline_is_dashed_and_legend_shows_n():
    ax = plot_compass(make_summary(), "03011102", compare="total", names=NAMES)
    ref = line(ax, "compass-compare")
    assert ref.get_linestyle() == "--"
    assert np.asarray(ref.get_ydata(), dtype=float)[:14] == pytest.approx(expected("total"))
    texts = legend_texts(ax)
    assert "Nordbyen (n = 41)" in texts
    assert "Hele kommunen (n = 172)" in texts
    assert all("n = " in t for t in texts[:2])

    ax_en = plot_compass(make_summary(), "03011102", compare="total", lang="en")
    assert "Whole municipality (n = 172)" in legend_texts(ax_en)
    assert "03011102 (n = 41)" in legend_texts(ax_en)


def test_area_name_and_title_and_source():
    ax = plot_compass(make_summary(), "03011101", area_name="Sentrum", source="syntetiske data")
    assert ax.get_title() == "Stedskompasset: Sentrum"
    assert legend_texts(ax)[0] == "Sentrum (n = 73)"
    captions = [t.get_text() for t in ax.texts]
    assert any("Kilde: syntetiske data" in t for t in captions)
    assert any("1 = mye å forbedre" in t for t in captions)


def test_ci_band_spans_the_confidence_limits():
    ax = plot_compass(make_summary(), "03011101")
    band = [p for p in ax.patches if p.get_gid() == "compass-ci"]
    assert len(band) == 1
    verts = band[0].get_path().vertices
    low, high = expected("03011101", "median_ci_low"), expected("03011101", "median_ci_high")
    assert verts[:, 1].min() == pytest.approx(low.min())
    assert verts[:, 1].max() == pytest.approx(high.max())
    first = verts[:4]  # quad between spokes 1 and 2: high 1, high 2, low 2, low 1
    assert first[:, 1] == pytest.approx([high[0], high[1], low[1], low[0]])
    no_ci = plot_compass(make_summary(), "03011101", ci=False)
    assert not [p for p in no_ci.patches if p.get_gid() == "compass-ci"]


def test_three_point_scale_detected_and_overridable():
    ax = plot_compass(make_summary(scale=3), "03011101")
    assert ax.get_ylim() == (1.0, 3.0)
    assert list(ax.get_yticks()) == [2, 3]
    ax7 = plot_compass(make_summary(scale=3), "03011101", scale=7)
    assert ax7.get_ylim() == (1.0, 7.0)
    with pytest.raises(SoslokalError, match="scale"):
        plot_compass(make_summary(), "03011101", scale=5)


def test_bad_inputs_raise_soslokal_error_naming_valid_choices():
    with pytest.raises(SoslokalError, match="'03011101'.*'total'"):
        plot_compass(make_summary(), "9999")
    with pytest.raises(SoslokalError, match="comparison area"):
        plot_compass(make_summary(), "03011101", compare="kommune")
    with pytest.raises(SoslokalError, match="'median', 'mean'"):
        plot_compass(make_summary(), "03011101", stat="mode")
    with pytest.raises(SoslokalError, match="polar"):
        plot_compass(make_summary(), "03011101", ax=plt.figure().add_subplot())
    with pytest.raises(SoslokalError, match="lacks column"):
        plot_compass(make_summary().drop(columns="suppressed"), "03011101")
    with pytest.raises(ValueError, match="language"):
        plot_compass(make_summary(), "03011101", lang="de")


def test_draws_into_a_given_polar_axes_and_does_not_modify_input():
    table = make_summary()
    before = table.copy()
    fig = plt.figure()
    given = fig.add_subplot(projection="polar")
    assert plot_compass(table, "03011101", compare="total", ax=given) is given
    pd.testing.assert_frame_equal(table, before)


# --- plot_compass_grid --------------------------------------------------------------------

def test_grid_has_one_compact_compass_per_area():
    fig = plot_compass_grid(make_summary(), names=NAMES, ncols=2)
    polar = [ax for ax in fig.get_axes() if ax.name == "polar" and ax.get_visible()]
    assert [ax.get_title() for ax in polar] == [
        "Sentrum (n = 73)", "Nordbyen (n = 41)", "Sørsida (n = 58)"]
    for ax in polar:
        assert spoke_texts(ax) == [str(i) for i in range(1, 15)]
        assert line(ax, "compass-compare").get_linestyle() == "--"
    r = np.asarray(line(polar[1], "compass-area").get_ydata(), dtype=float)
    assert np.isnan(r[1])
    key = [t.get_text() for leg in fig.subfigs[1].legends for t in leg.get_texts()]
    assert any(t.endswith("Å bevege seg rundt") for t in key)
    assert any("Hele kommunen (n = 172)" == t for t in key)
    assert any(t.startswith("for få svar") for t in key)


def test_grid_selected_areas_without_compare_in_english():
    fig = plot_compass_grid(make_summary(), ["03011103"], compare=None, lang="en")
    polar = [ax for ax in fig.get_axes() if ax.name == "polar" and ax.get_visible()]
    assert len(polar) == 1
    assert not [ln for ln in polar[0].get_lines() if ln.get_gid() == "compass-compare"]
    key = [t.get_text() for leg in fig.subfigs[1].legends for t in leg.get_texts()]
    assert any(t.endswith("Moving around") for t in key)
    with pytest.raises(SoslokalError, match="No area"):
        plot_compass_grid(make_summary(), ["nowhere"])


# --- plot_heatmap -------------------------------------------------------------------------

def test_heatmap_values_blanks_and_caption():
    ax = plot_heatmap(make_summary(), names=NAMES)
    data = ax.images[0].get_array()
    assert data.shape == (4, 14)
    assert np.ma.is_masked(data) and data.mask[1, 1]  # Nordbyen × public transport
    assert data.mask.sum() == 1
    assert np.asarray(data[0]) == pytest.approx(expected("03011101"))
    assert np.asarray(data[3]) == pytest.approx(expected("total"))
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == ["Sentrum (n = 73)", "Nordbyen (n = 41)", "Sørsida (n = 58)",
                    "Hele kommunen (n = 172)"]
    columns = [" ".join(t.get_text().split()) for t in ax.get_xticklabels()]
    assert columns == [theme_labels("nb")[code] for code in THEME_CODES]
    caption = [t.get_text() for t in ax.texts if t.get_gid() == "heatmap-caption"]
    assert caption and "Tomt felt = for få svar (n < 5)" in caption[0]
    assert any(p.get_gid() == "heatmap-blank" for p in ax.patches)
    cells = {tuple(np.round(t.get_position()).astype(int)): t.get_text() for t in ax.texts
             if t.get_gid() != "heatmap-caption"}
    assert cells[(5, 0)] == "1,5"  # Sentrum × play and recreation: decimal comma in bokmål
    assert cells[(0, 0)] == "1" and cells[(2, 0)] == "7"
    assert cells[(1, 1)] == "–"  # the suppressed cell carries no number
    assert ax.images[0].norm.vmin == 1 and ax.images[0].norm.vmax == 7  # centred at 4


def test_heatmap_english_share_and_errors():
    ax = plot_heatmap(make_summary(min_n=None), stat="share_low", lang="en")
    data = ax.images[0].get_array()
    assert float(data[0, 2]) == pytest.approx(12.0)
    assert "12%" in [t.get_text() for t in ax.texts]
    caption = [t.get_text() for t in ax.texts if t.get_gid() == "heatmap-caption"][0]
    assert caption.startswith("Empty cell = too few responses")
    assert ax.get_yticklabels()[-1].get_text() == "Whole municipality (n = 172)"
    with pytest.raises(SoslokalError, match="Unknown statistic"):
        plot_heatmap(make_summary(), stat="gini")


# --- plot_respondents ---------------------------------------------------------------------

def test_respondents_bars_and_suppressed_counts():
    counts = pd.DataFrame({
        "variable": ["area_id"] * 3 + ["gender"] * 3,
        "category": ["03011101", "03011102", "03011103", "Kvinne", "Mann", "Annet"],
        "n": [73, 41, 58, 90, 79, 3],
        "suppressed": [False] * 5 + [True],
    })
    fig = plot_respondents(counts, names=NAMES, source="syntetiske data")
    area_ax, gender_ax = fig.get_axes()
    assert [b.get_width() for b in area_ax.patches] == [73, 41, 58]
    assert [t.get_text() for t in area_ax.get_yticklabels()] == ["Sentrum", "Nordbyen",
                                                                  "Sørsida"]
    assert area_ax.get_title(loc="left") == "Område"
    assert [b.get_width() for b in gender_ax.patches] == [90, 79, 0]
    texts = [t.get_text() for t in gender_ax.texts]
    assert "for få svar" in texts and "3" not in texts
    assert "Kilde: syntetiske data" in fig.get_supxlabel()

    fig_en = plot_respondents({"age_group": pd.Series({"16–24": 12, "25–39": 30})}, lang="en")
    (ax,) = fig_en.get_axes()
    assert ax.get_title(loc="left") == "Age group"
    assert [b.get_width() for b in ax.patches] == [12, 30]
    with pytest.raises(SoslokalError, match="lacks column"):
        plot_respondents(pd.DataFrame({"variable": ["gender"], "n": [3]}))


# --- rendering and lazy import ------------------------------------------------------------

def test_figures_render_to_png(tmp_path):
    """The saved PNGs hold what was drawn: the spokes, the area and comparison lines, the
    heatmap's colour extremes (each counted in pixels of its own colour)."""
    from matplotlib.colors import to_rgb
    from matplotlib.image import imread

    from soslokal_lib.plot.compass import AREA_COLOUR, COMPARE_COLOUR

    def pixels(image, colour) -> int:
        return int(np.all(np.abs(image - np.asarray(to_rgb(colour))) < 0.06, axis=-1).sum())

    table = make_summary()
    heat = plot_heatmap(table, names=NAMES)
    figures = {
        "compass": plot_compass(table, "03011102", compare="total", names=NAMES).figure,
        "grid": plot_compass_grid(table, names=NAMES),
        "heatmap": heat.figure,
    }
    images = {}
    for name, fig in figures.items():
        path = tmp_path / f"{name}.png"
        fig.savefig(path, dpi=40)
        images[name] = imread(path)[..., :3]
        width, height = fig.get_size_inches() * 40
        assert images[name].shape[:2] == (round(height), round(width)), name
    polar = [ax for name in ("compass", "grid") for ax in figures[name].get_axes()
             if ax.name == "polar" and ax.get_visible()]
    assert [len(spoke_texts(ax)) for ax in polar] == [14] * 4  # one compass + three in the grid
    for name in ("compass", "grid"):
        assert pixels(images[name], AREA_COLOUR) > 100, name  # the area's line and markers
        assert pixels(images[name], COMPARE_COLOUR) > 50, name  # the dashed comparison
    assert pixels(images["heatmap"], AREA_COLOUR) == 0
    image = heat.images[0]
    for score in (1, 7):  # both ends of the colour scale occur in the table and in the PNG
        assert pixels(images["heatmap"], image.cmap(image.norm(score))[:3]) > 1_000


def test_modules_do_not_import_matplotlib():
    code = (
        "import sys, soslokal_lib.plot.compass, soslokal_lib.plot.charts; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_secondary_suppression_is_labelled_as_hidden_not_too_few():
    table = make_summary(suppress=(SUPPRESSED, ("03011101", "public_transport")))
    second = (table["area_id"] == "03011101") & (table["theme"] == "public_transport")
    table["suppression"] = table["suppression"].mask(second, "secondary")
    ax = plot_compass(table, "03011101")
    assert np.isnan(np.asarray(line(ax, "compass-area").get_ydata(), dtype=float)[1])
    markers = [t.get_text() for t in ax.texts if t.get_gid() == "compass-suppressed-label"]
    assert markers == ["skjult"]  # the legend says why: to protect a small neighbourhood
    assert "skjult for å beskytte et lite nabolag" in legend_texts(ax)
    assert not any(t.startswith("for få svar") for t in legend_texts(ax))
    heat = plot_heatmap(table)
    caption = [t.get_text() for t in heat.texts if t.get_gid() == "heatmap-caption"][0]
    assert "for få svar (n < 5) eller skjult for å beskytte et lite nabolag" in caption


def _boxes(fig, artists):
    """Window extents of ``artists`` as the Agg renderer draws them (a bare Figure gets an Agg
    canvas, as the report's figures do when saved)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [a.get_window_extent(renderer) for a in artists]


@pytest.mark.parametrize("hidden", [("housing_community", "identity_belonging"), THEME_CODES],
                         ids=["two secondary", "all too few"])
def test_gap_labels_stay_inside_the_wedge_at_report_size(hidden):
    from matplotlib.figure import Figure

    secondary = len(hidden) == 2
    table = make_summary(suppress={("03011101", t) for t in hidden})
    if secondary:
        cells = (table["area_id"] == "03011101") & table["theme"].isin(hidden)
        table["suppression"] = table["suppression"].mask(cells, "secondary")
    fig = Figure(figsize=(5.5, 6.0), layout="constrained")  # as in the politisk verksted
    ax = plot_compass(table, "03011101", compare="total", ax=fig.add_subplot(projection="polar"),
                      title="", source="Kilde: test")
    gaps = [t for t in ax.texts if t.get_gid() == "compass-suppressed-label"]
    spokes = [t for t in ax.texts if str(t.get_gid()).startswith("spoke-")]
    assert len(gaps) == len(hidden) and len(spokes) == 14
    assert {t.get_text() for t in gaps} == {"skjult" if secondary else "for få svar"}
    gap_boxes, spoke_boxes = _boxes(fig, gaps), _boxes(fig, spokes)
    overlapping = [(g.get_text(), s.get_text()) for g, gb in zip(gaps, gap_boxes, strict=True)
                   for s, sb in zip(spokes, spoke_boxes, strict=True) if gb.overlaps(sb)]
    assert not overlapping
    if secondary:  # the legend says why, in full
        assert "skjult for å beskytte et lite nabolag" in legend_texts(ax)


@pytest.mark.parametrize("size", [None, (11.5, 5.76)], ids=["own figure", "verksted"])
def test_heatmap_column_labels_are_upright_apart_and_the_colour_bar_is_near(size):
    from matplotlib.figure import Figure

    table = make_summary()
    table.attrs["source"] = None
    long = "Kilde: " + "en svært lang kildelinje " * 8
    if size is None:
        ax = plot_heatmap(table, source=long)
        fig = ax.figure
    else:
        fig = Figure(figsize=size, layout="constrained")
        ax = plot_heatmap(table, ax=fig.add_subplot(), source=long, title="")
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) == 14 and {t.get_rotation() for t in labels} == {90.0}
    assert max(t.get_text().count("\n") for t in labels) <= 1
    boxes = _boxes(fig, labels)
    assert not [i for i in range(13) if boxes[i].overlaps(boxes[i + 1])]
    colour_bar = [a for a in fig.axes if a is not ax][0]
    renderer = fig.canvas.get_renderer()
    gap = (colour_bar.get_window_extent(renderer).x0
           - ax.get_window_extent(renderer).x1) / fig.dpi
    assert gap < 0.5, f"{gap:.2f} inches between the heatmap and its colour bar"
    if size is None:
        plt.close(fig)
