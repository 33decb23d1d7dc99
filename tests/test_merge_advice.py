"""Merging a small area: the target is a touching neighbour with which it has at least ``min_n``
answers on every theme (the one with the fewest answers; else the biggest touching one), both
in ``merge_small = "neighbour"`` and in the merge ``soslokal check`` suggests; and check always
names a remedy while something is hidden."""

from __future__ import annotations

import json
from pathlib import Path

from soslokal_lib.themes import THEMES

HEADER = ["ID", "Område", *[t.name_nb for t in THEMES]]


def _kommune(tmp_path: Path, sizes: dict[str, int], *, dont_know: str | None = None,
             merge: str = "", islands: dict[str, int] | None = None) -> Path:
    """Areas in a row of 1 km squares, west to east, in the order of ``sizes`` (each touches
    only the ones beside it), with ``sizes[a]`` respondents scoring 4 on every theme; the
    first respondent of ``dont_know`` answers «Vet ikke» on theme 1. ``islands``: area →
    metres west of the row's first square (a 1 km square of its own, touching nothing)."""
    x = dict(zip(sizes, range(280000, 280000 + 1000 * len(sizes), 1000), strict=True))
    for name, gap in (islands or {}).items():
        x[name] = 280000 - gap - 1000
    sizes = {**sizes, **{name: sizes.get(name, 3) for name in islands or {}}}
    features = [{"type": "Feature", "properties": {"navn": name}, "geometry": {
        "type": "Polygon", "coordinates": [[[x0, 0], [x0 + 1000, 0], [x0 + 1000, 1000],
                                            [x0, 1000], [x0, 0]]]}}
        for name, x0 in x.items()]
    (tmp_path / "nabolag.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}},
        "features": features}), encoding="utf-8")
    rows, i = [], 0
    for name, n in sizes.items():
        for k in range(n):
            first = "Vet ikke" if (name == dont_know and k == 0) else "4"
            rows.append([f"R{i}", name, first, *["4"] * 13])
            i += 1
    (tmp_path / "svar.csv").write_text(
        "\n".join(";".join(r) for r in [HEADER, *rows]) + "\n", encoding="utf-8")
    config = tmp_path / "soslokal.toml"
    config.write_text(f'[kommune]\nname = "Prøvevik"\n\n[survey]\npath = "svar.csv"\n\n'
                      f'[areas]\npath = "nabolag.geojson"\nname_column = "navn"\n{merge}\n\n'
                      '[privacy]\nmin_n = 5\n', encoding="utf-8")
    return config


def _inputs(config: Path):
    from soslokal_lib.app.config import load_config
    from soslokal_lib.io.inputs import load_inputs

    return load_inputs(**load_config(config).input_options())


def test_merge_small_skips_a_tiny_neighbour_that_leaves_a_theme_below_min_n(tmp_path):
    from soslokal_lib.stats.areamerge import plan_merges

    # T1 (2) and T2 (3) together have 5 respondents but 4 answers on theme 1
    config = _kommune(tmp_path, {"Aby": 30, "T1": 2, "T2": 3, "Mo": 18}, dont_know="T2")
    plan = plan_merges(_inputs(config), merge_small="neighbour", min_n=5)
    assert plan.steps == (("T1", "Aby", "small"), ("T2", "Mo", "small"))
    assert "færrest svar som sammen gir minst 5 svar på hvert tema" in plan.text("nb")
    # without the «vet ikke» the tiny pair is enough: fewest answers wins
    config = _kommune(tmp_path, {"Aby": 30, "T1": 2, "T2": 3, "Mo": 18})
    plan = plan_merges(_inputs(config), merge_small="neighbour", min_n=5)
    assert plan.steps == (("T1", "T2", "small"),)


def test_merge_small_falls_back_to_the_biggest_neighbour(tmp_path):
    from soslokal_lib.stats.areamerge import plan_merges

    # B (1) + A (2) = 3, B + C (3) = 4: neither reaches 5, so B joins C (the bigger);
    # then A (2) + C-and-B (4) = 6 does.
    config = _kommune(tmp_path, {"A": 2, "B": 1, "C": 3})
    plan = plan_merges(_inputs(config), merge_small="neighbour", min_n=5)
    assert plan.steps == (("B", "C", "largest"), ("A", "C", "small"))
    assert "C har flest svar" in plan.text("nb")


def test_check_suggests_a_merge_that_mends_every_theme_and_again_after_a_bad_merge(tmp_path):
    from soslokal_lib.app.check import hidden_areas
    from soslokal_lib.app.config import load_config

    config = _kommune(tmp_path, {"Aby": 30, "T1": 2, "T2": 3, "Mo": 18}, dont_know="T2")
    lines = hidden_areas(load_config(config)).lines("nb", "soslokal.toml")
    assert '    merge = { "T1" = "Aby", "T2" = "Mo" }' in lines
    assert '    merge_small = "neighbour"' in lines
    # the user merged the two tiny ones: theme 1 of «T2 og T1» is still hidden; check says
    # what to add
    config = _kommune(tmp_path, {"Aby": 30, "T1": 2, "T2": 3, "Mo": 18}, dont_know="T2",
                      merge='merge = { "T1" = "T2" }')
    hidden = hidden_areas(load_config(config))
    row = hidden.table.set_index("area_name").loc["T2 og T1"]
    assert (row["n"], row["primary"]) == (5, 1)
    lines = hidden.lines("nb", "soslokal.toml")
    assert '    merge = { "T1" = "T2", "T2" = "Mo" }' in lines
    assert not any("merge_small" in line for line in lines)  # no area below 5 respondents
    # following that leaves nothing hidden
    config = _kommune(tmp_path, {"Aby": 30, "T1": 2, "T2": 3, "Mo": 18}, dont_know="T2",
                      merge='merge = { "T1" = "T2", "T2" = "Mo" }')
    hidden = hidden_areas(load_config(config))
    assert hidden.table.empty


def test_check_names_a_remedy_when_no_neighbour_mends_the_area(tmp_path):
    from soslokal_lib.app.check import hidden_areas
    from soslokal_lib.app.config import load_config

    # Solo is alone in its row: no touching neighbour at all
    config = _kommune(tmp_path, {"Solo": 3})
    lines = hidden_areas(load_config(config)).lines("en", "soslokal.toml")
    assert any(line.startswith("No merge is suggested for Solo") and
               'merge = { "Solo" = "<another area>" }' in line for line in lines), lines


def test_an_island_gets_the_real_reason_and_the_nearest_areas(tmp_path):
    """An area that touches no other (an island) is not merged by ``merge_small``; check said
    «ingen nabo med svar gir minst 5 svar …, eller grensefila mangler» although the file was
    there (a new user's trial). It now says why and names the nearest areas, the line to add
    (the nearest that gives 5 answers on every theme together with it) and the alternative."""
    from soslokal_lib.app.check import hidden_areas
    from soslokal_lib.app.config import load_config

    config = _kommune(tmp_path, {"Aby": 30, "Mo": 18}, islands={"Øy": 2000},
                      merge='merge_small = "neighbour"')
    lines = hidden_areas(load_config(config)).lines("nb", "soslokal.toml")
    text = "\n".join(lines)
    assert "grensefila mangler" not in text and "ingen nabo med svar gir" not in text
    line = next(x for x in lines if x.startswith("Ingen sammenslåing foreslås for Øy"))
    assert "ingen nabolag med svar har felles grense med det" in line and "øy" in line
    assert "nærmest er Aby (2,0 km), Mo (3,0 km)" in line
    assert '    merge = { "Øy" = "Aby" }' in lines
    assert "  eller godta at tallene for Øy skjules." in lines
    # the suggested line works: nothing is hidden for want of answers any more
    config = _kommune(tmp_path, {"Aby": 30, "Mo": 18}, islands={"Øy": 2000},
                      merge='merge = { "Øy" = "Aby" }')
    assert (hidden_areas(load_config(config)).table["primary"] == 0).all()
    en = hidden_areas(load_config(_kommune(tmp_path, {"Aby": 30, "Mo": 18},
                                           islands={"Øy": 2000}))).lines("en", "s.toml")
    assert any("shares a border" in x and "Aby (2.0 km)" in x for x in en), en


def test_without_a_boundary_file_check_says_so(tmp_path):
    from soslokal_lib.app.check import hidden_areas
    from soslokal_lib.app.config import load_config

    config = _kommune(tmp_path, {"Aby": 30, "Lite": 3})
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('[areas]\npath = "nabolag.geojson"\nname_column = "navn"\n',
                                   ""), encoding="utf-8")
    lines = hidden_areas(load_config(config)).lines("nb", "soslokal.toml")
    line = next(x for x in lines if x.startswith("Ingen sammenslåing foreslås for Lite"))
    assert "ingen grensefil ([areas] path)" in line and "gir minst" not in line
