"""Pictures of change between two rounds (soslokal_lib.plot.rounds), on hand-made tables."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from shapely.geometry import box  # noqa: E402

from soslokal_lib.errors import SoslokalError  # noqa: E402
from soslokal_lib.numformat import MINUS  # noqa: E402
from soslokal_lib.plot.rounds import (  # noqa: E402
    BETTER,
    STEADY,
    WORSE,
    plot_change_dots,
    plot_change_map,
    plot_compass_rounds,
)
from soslokal_lib.themes import THEME_CODES  # noqa: E402

AREAS = {"A1": 60, "A2": 70, "A3": 12}
NAMES = {"A1": "Storhaugen", "A2": "Lia", "A3": "Øyane"}
CHANGED = {("A1", "feeling_safe"): -0.25, ("A2", "public_transport"): 0.23}
SUPPRESSED = {("A3", "traffic_parking"): "primary", ("A2", "natural_space"): "secondary"}


def make_summary(shift: float = 0.0, suppress=()) -> pd.DataFrame:
    """A long summary shaped like summarise()'s output; medians vary by area and theme."""
    rows = []
    for a, (area, n) in enumerate({**AREAS, "total": 142}.items()):
        for i, theme in enumerate(THEME_CODES):
            sup = (area, theme) in suppress
            med = float(min(7, 2 + (i + a) % 5 + shift))
            nan = np.nan
            rows.append({
                "area_id": area, "area_name": NAMES.get(area), "theme": theme,
                "n": 3 if sup else n, "median": nan if sup else med,
                "median_ci_low": nan if sup else med - 1, "median_ci_high": nan if sup else med + 1,
                "mean": nan if sup else med, "suppressed": sup,
                "suppression": "primary" if sup else None, "weighted": False,
            })
    table = pd.DataFrame(rows)
    table.attrs.update(min_n=5, confidence=0.95, scale=7)
    return table


def make_comparison() -> pd.DataFrame:
    """A table shaped like compare_rounds(...).to_frame()."""
    rows = []
    for area in [*AREAS, "total"]:
        for i, theme in enumerate(THEME_CODES):
            code = SUPPRESSED.get((area, theme))
            diff = CHANGED.get((area, theme), 0.01 * ((i % 5) - 2))
            changed = (area, theme) in CHANGED
            half = 0.1 if changed else 0.08
            nan = np.nan
            rows.append({
                "area_id": area, "theme": theme, "n_before": 50, "n_after": 55,
                "share_low_diff": nan if code else diff,
                "share_low_diff_ci_low": nan if code else diff - half,
                "share_low_diff_ci_high": nan if code else diff + half,
                "share_high_diff": nan if code else -diff,
                "share_high_diff_ci_low": nan if code else -diff - half,
                "share_high_diff_ci_high": nan if code else -diff + half,
                "mean_diff": nan if code else -4 * diff,
                "mean_diff_ci_low": nan if code else -4 * diff - 0.3,
                "mean_diff_ci_high": nan if code else -4 * diff + 0.3,
                "p_value": 0.0001 if changed else 0.5, "q_value": 0.001 if changed else 0.9,
                "changed": changed, "suppressed": code is not None, "suppression": code,
            })
    table = pd.DataFrame(rows)
    table.attrs.update(rounds=("2021", "2025"), confidence=0.95, min_n=5)
    return table


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def lines(ax, gid):
    return [ln for ln in ax.get_lines() if ln.get_gid() == gid]


def texts(ax, gid):
    return [t.get_text() for t in ax.texts if t.get_gid() == gid]


def medians(table, area):
    part = table[table["area_id"] == area].set_index("theme").loc[list(THEME_CODES)]
    return part["median"].to_numpy(float)


# --- overlaid compass ----------------------------------------------------------------------------


def test_compass_draws_before_dashed_and_after_solid_with_bands():
    before, after = make_summary(), make_summary(shift=1)
    ax = plot_compass_rounds(before, after, "A1", rounds=("2021", "2025"))
    (b,), (a,) = lines(ax, "rounds-before"), lines(ax, "rounds-after")
    assert b.get_linestyle() == "--" and a.get_linestyle() == "-"
    assert b.get_markerfacecolor() == "white"                    # open markers before
    assert len(b.get_ydata()) == len(a.get_ydata()) == 15        # 14 spokes, ring closed
    np.testing.assert_allclose(np.asarray(b.get_ydata())[:14], medians(before, "A1"))
    np.testing.assert_allclose(np.asarray(a.get_ydata())[:14], medians(after, "A1"))
    gids = {p.get_gid() for p in ax.patches}
    assert {"rounds-before-ci", "rounds-after-ci"} <= gids
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["2025 (n = 60)", "2021 (n = 60)"]
    assert "95 % konfidensintervall 2025" in legend
    assert ax.get_title() == "Stedskompasset: Storhaugen, 2021 og 2025"
    assert not lines(ax, "rounds-changed")


def test_compass_gaps_where_either_round_or_the_comparison_hides_a_cell():
    before = make_summary(suppress={("A2", "moving_around")})
    after = make_summary(shift=1)
    ax = plot_compass_rounds(before, after, "A2", comparison=make_comparison())
    b, a = lines(ax, "rounds-before")[0], lines(ax, "rounds-after")[0]
    gaps = [THEME_CODES.index("moving_around"), THEME_CODES.index("natural_space")]
    for line in (b, a):
        y = np.asarray(line.get_ydata())[:14]
        assert np.isnan(y[gaps]).all() and np.isfinite(np.delete(y, gaps)).all()
    hatched = [p for p in ax.patches if p.get_gid() == "compass-suppressed"]
    assert len(hatched) == 2 and all(p.get_hatch() for p in hatched)
    assert sorted(texts(ax, "compass-suppressed-label")) == ["for få svar", "skjult"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "for få svar (n < 5)" in legend
    assert "skjult for å beskytte et lite nabolag" in legend
    assert legend[:2] == ["2025 (n = 70)", "2021 (n = 70)"]      # labels from the comparison
    (ring,) = lines(ax, "rounds-changed")                         # public_transport changed
    i = THEME_CODES.index("public_transport")
    np.testing.assert_allclose(ring.get_ydata(), [medians(after, "A2")[i]])
    assert ring.get_marker() == "D"
    bold = [t.get_gid() for t in ax.texts if str(t.get_gid()).startswith("spoke-")
            and t.get_fontweight() == "bold"]
    assert bold == ["spoke-public_transport"]
    assert any(t.startswith("sikker endring (q < 0,05") for t in legend)


def test_compass_in_english_and_errors():
    ax = plot_compass_rounds(make_summary(), make_summary(), "A3", lang="en",
                             comparison=make_comparison().assign(
                                 changed=False).rename_axis(None))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["2025 (n = 12)", "2021 (n = 12)"]
    assert "too few responses (n < 5)" in legend
    assert ax.get_title() == "Place Standard: Øyane, 2021 and 2025"
    ax = plot_compass_rounds(make_summary(), make_summary(), "A1", lang="en", ci=False)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["After (n = 60)",
                                                                   "Before (n = 60)"]
    assert not [p for p in ax.patches if str(p.get_gid()).endswith("-ci")]
    before = make_summary()
    with pytest.raises(SoslokalError, match="Storhaugen er bare med i én av rundene"):
        plot_compass_rounds(before[before["area_id"] != "A1"], make_summary(), "A1")
    with pytest.raises(SoslokalError, match="No area 'A9'"):
        plot_compass_rounds(before, make_summary(), "A9")


# --- dot plot ------------------------------------------------------------------------------------


def test_dots_mark_changes_by_shape_weight_and_colour():
    fig = plot_change_dots(make_comparison(), names=NAMES)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 14 and len(fig.axes) == 16                # 4 × 4 grid, 2 hidden
    changed = [ln for ax in axes for ln in lines(ax, "dots-changed")]
    plain = [ln for ax in axes for ln in lines(ax, "dots-point")]
    assert len(changed) == 2 and len(plain) == 4 * 14 - 2 - 2    # 2 changed, 2 suppressed
    assert {ln.get_marker() for ln in changed} == {"D"} and {ln.get_marker() for ln in plain} == {
        "o"}
    assert all(ln.get_markersize() > 7 for ln in changed)
    assert all(ln.get_markersize() < 5 and ln.get_markerfacecolor() == "white" for ln in plain)
    ci_changed = [ln for ax in axes for ln in lines(ax, "dots-ci-changed")]
    ci_plain = [ln for ax in axes for ln in lines(ax, "dots-ci")]
    assert len(ci_changed) == 2 and {ln.get_linewidth() for ln in ci_changed} == {2.6}
    assert {ln.get_linewidth() for ln in ci_plain} == {1.1}
    assert {to_hex(ln.get_color()) for ln in ci_plain} == {STEADY}
    by_title = {ax.get_title(loc="left"): ax for ax in axes}
    safe = lines(by_title["Trygghet"], "dots-changed")[0]        # fewer low scores: better
    bus = lines(by_title["Kollektivtransport"], "dots-changed")[0]   # more low scores: worse
    assert to_hex(safe.get_markerfacecolor()) == BETTER and to_hex(bus.get_markerfacecolor()) == WORSE
    assert safe.get_xdata()[0] == pytest.approx(-0.25) and safe.get_ydata()[0] == 2.0  # row A1
    hatched = [p for ax in axes for p in ax.patches if p.get_gid() == "dots-suppressed"]
    assert len(hatched) == 2 and all(p.get_hatch() for p in hatched)
    gap_labels = sorted(t for ax in axes for t in texts(ax, "dots-suppressed-label"))
    assert gap_labels == ["for få svar", "skjult"]
    first = axes[0]
    labels = [t.get_text() for t in first.get_yticklabels()]
    assert labels == ["Hele kommunen", "Storhaugen", "Lia", "Øyane"]
    assert first.get_yticklabels()[0].get_fontweight() == "bold"
    assert first.xaxis.get_major_formatter()(-0.2, 0) == f"{MINUS}20"
    assert axes[-1].get_xlabel() == "Endring i andel lave skårer (prosentpoeng)"
    assert fig._suptitle.get_text() == "Endring fra 2021 til 2025: andel lave skårer"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["sikker endring, verre", "sikker endring, bedre", "ingen sikker endring",
                      "for få svar (n < 5)", "skjult for å beskytte et lite nabolag"]


def test_dots_one_theme_mean_in_english():
    fig = plot_change_dots(make_comparison(), stat="mean", themes="feeling_safe", lang="en",
                           areas=["A1", "A2"])
    (ax,) = fig.axes
    assert ax.get_title(loc="left") == "Feeling safe"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A1", "A2"]
    (point,) = lines(ax, "dots-changed")
    assert point.get_xdata()[0] == pytest.approx(1.0)             # mean diff = −4 × −0.25
    assert to_hex(point.get_markerfacecolor()) == BETTER          # a higher mean is better
    assert ax.get_xlabel() == "Change in mean (ordinal scores, points)"
    assert ax.xaxis.get_major_formatter()(-0.5, 0) == "-0.5"
    with pytest.raises(SoslokalError, match="lacks column"):
        plot_change_dots(make_comparison().drop(columns="changed"))
    with pytest.raises(SoslokalError, match="Unknown statistic"):
        plot_change_dots(make_comparison(), stat="median")


# --- map of change -------------------------------------------------------------------------------


def make_areas() -> gpd.GeoDataFrame:
    geoms = [box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)]
    return gpd.GeoDataFrame({"area_name": [NAMES[a] for a in AREAS]}, geometry=geoms,
                            index=pd.Index(list(AREAS), name="area_id"), crs="EPSG:25833")


def collection(ax, gid):
    found = [col for col in ax.collections if col.get_gid() == gid]
    assert len(found) == 1, gid
    return found[0]


def test_map_classes_change_on_fixed_limits_and_outlines_clear_changes():
    ax = plot_change_map(make_areas(), make_comparison(), "feeling_safe")
    classes = collection(ax, "map-classes")
    assert len(classes.get_paths()) == 3
    # A1 −25 points (better: blue), A2 and A3 −1 point (about the same: neutral)
    assert [to_hex(f) for f in classes.get_facecolors()] == ["#2166ac", "#f7f7f7", "#f7f7f7"]
    outline = collection(ax, "map-changed")
    assert len(outline.get_paths()) == 1 and outline.get_linewidths()[0] == 2.4
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"{MINUS}25 – {MINUS}20", f"{MINUS}20 – {MINUS}10",
                      f"{MINUS}10 – {MINUS}5", f"{MINUS}5 – {MINUS}1", "Sikker endring"]
    assert ax.get_legend().get_title().get_text() == "Endring i andel lave skårer (prosentpoeng)"
    assert ax.get_title(loc="left") == "Trygghet: endring fra 2021 til 2025"
    caption = [t.get_text() for t in ax.texts if t.get_gid() == "map-caption"][0]
    assert "Tykk kant = sikker endring (q < 0,05" in caption


def test_map_hatches_suppressed_areas_and_names_them():
    ax = plot_change_map(make_areas(), make_comparison(), "traffic_parking", lang="en")
    assert len(collection(ax, "map-classes").get_paths()) == 2
    hidden = [col for col in ax.collections if col.get_gid() == "map-missing"]
    assert len(hidden) == 1 and hidden[0].get_hatch() == "\\\\\\\\"
    assert not [col for col in ax.collections if col.get_gid() == "map-changed"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert " ".join(legend[-1].split()) == "Too few responses (n < 5): Øyane"
    ax = plot_change_map(make_areas().iloc[:2], make_comparison(), "natural_space")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert " ".join(legend[-1].split()) == "For få svar eller skjult for å beskytte: Lia"
    with pytest.raises(SoslokalError, match="No rows for theme"):
        plot_change_map(make_areas(), make_comparison().query("theme != 'natural_space'"),
                        "natural_space")


def test_choropleth_takes_fixed_limits_and_a_colour_per_class():
    from matplotlib.colors import ListedColormap

    from soslokal_lib.plot.maps import plot_choropleth

    gdf = make_areas().assign(v=[-12.0, 0.0, 30.0])
    ax = plot_choropleth(gdf, "v", bins=[-5, 5], cmap=ListedColormap(["red", "white", "blue"]))
    assert list(ax.classification.bins) == [-5.0, 5.0, 30.0]
    assert [to_hex(f) for f in collection(ax, "map-classes").get_facecolors()] == [
        "#ff0000", "#ffffff", "#0000ff"]
    with pytest.raises(SoslokalError, match="bins must be increasing"):
        plot_choropleth(gdf, "v", bins=[5, -5])
