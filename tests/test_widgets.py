"""The interactive explorer (soslokal_lib.app.widgets) without a browser, on the synthetic sample."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from soslokal_lib.app.widgets import Explorer, ExplorerState, sample_weights  # noqa: E402
from soslokal_lib.errors import SoslokalError  # noqa: E402
from soslokal_lib.io.inputs import Inputs, load_inputs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard" / "utforsker.ipynb"
HAVNA, SENTRUM, BRATTVOLL, OYANE = "99010200", "99010100", "99011100", "99011200"
HIDDEN = {"for få svar", "skjult for å beskytte et lite nabolag"}


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs()


@pytest.fixture(scope="module")
def weights(inputs: Inputs) -> pd.Series:
    return sample_weights()


@pytest.fixture(scope="module")
def shared_explorer(inputs: Inputs, weights: pd.Series) -> Explorer:
    return Explorer(inputs, weights=weights)


@pytest.fixture
def explorer(shared_explorer: Explorer) -> Explorer:
    """The module's explorer, back at its first selection (figures come from its cache)."""
    shared_explorer.select(area=HAVNA, compare="total", theme="feeling_safe", stat="median",
                           group=None, weighted=False)
    return shared_explorer


def stat_pairs(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(n column, statistic column) pairs of an area table or a group table."""
    if "Antall svar" in table.columns:
        return [("Antall svar", col) for col in table.columns[2:]]
    counts = [c for c in table.columns if c.endswith(": antall svar")]
    return [(c, table.columns[list(table.columns).index(c) + 1]) for c in counts]


def assert_no_small_cells(table: pd.DataFrame, min_n: int) -> int:
    """Every cell with n < min_n shows no statistic; returns how many such cells were seen."""
    seen = 0
    for n_col, stat_col in stat_pairs(table):
        small = table[n_col].astype(int) < min_n
        assert set(table.loc[small, stat_col]) <= HIDDEN, (n_col, stat_col)
        assert not table.loc[small, stat_col].astype(str).str.contains(r"\d").any()
        seen += int(small.sum())
    return seen


def test_defaults_and_state_is_pure(explorer: Explorer) -> None:
    s = explorer.state()
    assert s == ExplorerState(area=HAVNA, compare="total", theme="feeling_safe",
                              stat="median", group=None, weighted=False)
    assert explorer.state() == s  # no side effects
    assert not explorer.weighted.disabled
    labels = [label for label, _ in explorer.area.options]
    assert labels == sorted(labels)  # neighbourhoods by name
    assert "Syntetiske data" in explorer.widget.children[0].value


def test_area_change_updates_table_and_compass(explorer: Explorer) -> None:
    before = explorer.table.copy()
    src_before = re.search(r'src="([^"]+)"', explorer.compass.value).group(1)
    assert explorer.figures["compass"].axes[0].get_title() == "Stedskompasset: Havna"
    explorer.area.value = SENTRUM  # as a user would: the observer redraws
    after = explorer.table
    assert explorer.figures["compass"].axes[0].get_title() == "Stedskompasset: Sentrum"
    assert 'alt="Stedskompasset: Sentrum"' in explorer.compass.value
    assert re.search(r'src="([^"]+)"', explorer.compass.value).group(1) != src_before
    assert "Sentrum: antall svar" in after.columns and "Havna: antall svar" in before.columns
    assert "Sentrum" in explorer.table_html.value
    assert list(after["Sentrum: antall svar"]) != list(before["Havna: antall svar"])
    # The map outlines the chosen neighbourhood.
    ax = explorer.figures["map"].axes[0]
    assert any(coll.get_gid() == "map-selected" for coll in ax.collections)


def test_table_matches_summarise(explorer: Explorer, inputs: Inputs) -> None:
    from soslokal_lib import summarise

    explorer.select(area=SENTRUM, stat="share_low")
    ref = summarise(inputs.survey)
    row = ref[(ref["area_id"] == SENTRUM) & (ref["theme"] == "feeling_safe")].iloc[0]
    shown = explorer.table.set_index("Tema").loc["Trygghet"]
    assert shown["Sentrum: antall svar"] == row["n"]
    assert shown["Sentrum: Andel 1–3 (KI)"].startswith(f"{round(100 * row['share_low'])} %")
    assert "andel lave" in explorer.compass.value  # the compass says it shows the median


def test_suppressed_cells_say_too_few(explorer: Explorer) -> None:
    explorer.select(area=OYANE, theme="traffic_parking")
    table = explorer.table.set_index("Tema")
    assert table.loc["Trafikk og parkering", "Øyane: antall svar"] == 3
    assert table.loc["Trafikk og parkering", "Øyane: Median (KI)"] == "for få svar"
    assert table.loc["Natur og grøntområder", "Øyane: Median (KI)"] == "for få svar"
    assert table.loc["Trygghet", "Øyane: Median (KI)"] not in HIDDEN
    assert "for få svar" in explorer.table_html.value
    ax = explorer.figures["map"].axes[0]
    assert any(coll.get_gid() == "map-missing" for coll in ax.collections)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("For få svar (n < 5)") and "Øyane" in t for t in legend)


def test_weighted_toggle_changes_numbers(explorer: Explorer) -> None:
    explorer.select(area=SENTRUM, stat="mean")
    unweighted = explorer.table.copy()
    explorer.weighted.value = True
    assert explorer.state().weighted
    weighted = explorer.table
    col = "Sentrum: Gjennomsnitt (KI)"
    assert (weighted[col] != unweighted[col]).sum() >= 7
    assert list(weighted["Sentrum: antall svar"]) == list(unweighted["Sentrum: antall svar"])
    assert "Vektet" in explorer.table_html.value
    assert "(vektet)" in re.search(r'alt="([^"]+)"', explorer.map.value).group(1)


def test_without_weights_the_toggle_is_disabled(inputs: Inputs) -> None:
    bare = Inputs(survey=inputs.survey, areas=None, names=inputs.names,
                  source="Kilde: test", synthetic=False)
    ex = Explorer(bare, min_n=10)
    assert ex.weighted.disabled and "ingen vekter" in ex.weighted.tooltip
    assert "ingen vekter" in ex.weight_note.value
    assert "Ingen grensefil" in ex.map.value and "map" not in ex.figures
    with pytest.raises(SoslokalError, match="no weights"):
        ex.select(weighted=True)
    assert "Syntetiske" not in ex.widget.children[0].value
    # min_n=10 hides Brattvoll's smaller age groups (n < 10 would show with min_n=5).
    ex.select(area=BRATTVOLL, group="age_group")
    assert assert_no_small_cells(ex.table, 10) >= 1


def test_group_age_shows_age_categories(explorer: Explorer) -> None:
    explorer.select(area=SENTRUM, group="age_group")
    groups = list(explorer.table["Aldersgruppe"])
    assert groups[:4] == ["15–29", "30–44", "45–64", "65+"]
    assert groups[-1] == "Alle i Sentrum"
    assert explorer.figures["compass"].get_suptitle() == ""  # grid titles are on a subfigure
    assert 'alt="Stedskompasset etter aldersgruppe: Sentrum"' in explorer.compass.value
    total = explorer.table.iloc[-1]
    summary = explorer.summary()
    n_area = summary[(summary["area_id"] == SENTRUM) & (summary["theme"] == "feeling_safe")]
    assert total["Antall svar"] == n_area["n"].iloc[0]
    assert explorer.table["Antall svar"].iloc[:-1].sum() == total["Antall svar"]


def test_groups_add_up_to_the_area(explorer: Explorer) -> None:
    """Missing group answers form their own (suppressed) group, so no respondent can be
    recovered by subtracting the groups from the neighbourhood."""
    summary = explorer.summary()
    for area in (SENTRUM, HAVNA, OYANE):
        for group in ("age_group", "gender"):
            table = explorer.group_summary(area, group)
            groups = table[table[group] != "total"].groupby("theme", observed=True)["n"].sum()
            total = table[table[group] == "total"].set_index("theme")["n"]
            parent = summary[summary["area_id"] == area].set_index("theme")["n"]
            assert (groups == total).all() and (total == parent.reindex(total.index)).all()


def test_hidden_area_cells_stay_hidden_in_the_breakdown(explorer: Explorer) -> None:
    # Brattvoll's traffic_parking (n = 20) is hidden to protect Øyane (n = 3). Its gender
    # breakdown may show a group, but never enough to give the hidden total back.
    summary = explorer.summary()
    cell = summary[(summary["area_id"] == BRATTVOLL) & (summary["theme"] == "traffic_parking")]
    assert cell["suppression"].iloc[0] == "secondary"
    explorer.select(area=BRATTVOLL, theme="traffic_parking", group="gender")
    table = explorer.table
    assert table.iloc[-1, 2:].isin(HIDDEN).all()  # the area's own row
    groups = explorer.group_summary(BRATTVOLL, "gender")
    rows = groups[(groups["theme"] == "traffic_parking") & (groups["gender"] != "total")
                  & (groups["n"] > 0)]
    assert rows["suppressed"].sum() >= 1  # else the shown groups would add up to the total
    assert _recoverable(explorer, "gender", ["traffic_parking"]) == []
    explorer.select(theme="feeling_safe")
    assert not set(explorer.table.iloc[-1, 2:]) <= HIDDEN


def test_no_statistic_below_min_n_anywhere(explorer: Explorer) -> None:
    seen = 0
    base = explorer.state()
    for area in explorer.area_ids:
        for group in (None, "age_group", "gender"):
            for weighted in (False, True):
                state = replace(base, area=area, group=group, weighted=weighted,
                                stat="share_high" if weighted else "median",
                                theme="natural_space")
                seen += assert_no_small_cells(explorer.table_for(state), 5)
    assert seen > 20  # the sweep did meet small cells


def test_select_validates(explorer: Explorer) -> None:
    with pytest.raises(SoslokalError, match="Unknown control"):
        explorer.select(neighbourhood=SENTRUM)
    with pytest.raises(SoslokalError, match="not a choice for area"):
        explorer.select(area="0301")
    with pytest.raises(SoslokalError, match="not a choice for stat"):
        explorer.select(stat="max")
    state = explorer.select(theme="Trygghet", compare=None)
    assert state.theme == "feeling_safe" and state.compare is None
    assert list(explorer.table.columns) == ["Tema", "Havna: antall svar", "Havna: Median (KI)"]
    with pytest.raises(SoslokalError, match="No area"):
        Explorer(load_inputs(), area="0301")


def test_english_labels(inputs: Inputs) -> None:
    ex = Explorer(inputs, lang="en")
    assert ex.area.description == "Neighbourhood"
    assert ex.figures["compass"].axes[0].get_title() == "Place Standard: Havna"
    assert "Theme" in ex.table.columns


def test_dashboard_notebook_is_clean() -> None:
    nb = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert "open_explorer" in "".join("".join(c["source"]) for c in code)


def _recoverable(explorer: Explorer, group: str, themes: list[str] | None = None) -> list[str]:
    """Everything below min_n that the published figures give back, by linear algebra
    (:class:`test_privacy_attacks.Attack`): the neighbourhoods, each neighbourhood by group
    (with «Ikke oppgitt») and its total, the kommune by group, the kommune."""
    from test_privacy_attacks import Attack

    import soslokal_lib as sl

    survey = sl.Survey(explorer._with_unknown(group))
    kommune = sl.summarise(explorer.survey, by=group, min_n=explorer.min_n)
    cells = pd.concat([explorer.group_summary(a, group).assign(area_id=a)
                       for a in explorer.area_ids])
    leaks = []
    for theme in themes or explorer.survey.themes:
        atk = Attack(survey, theme, ["area_id", group])
        atk.rows.append(atk.indicator({}))
        hidden = atk.publish(explorer.summary(), ["area_id"])
        hidden += atk.publish(kommune, [group])
        hidden += atk.publish(cells, ["area_id", group])
        leaks += atk.leaks(hidden, explorer.min_n, union_size=2)
    return leaks


def test_group_cells_cannot_be_recovered_across_areas(explorer: Explorer) -> None:
    """Øyane (n = 5) has one respondent aged 30–44: the kommune's row for 30–44 minus the
    other neighbourhoods' 30–44 cells must not give that person's answer back."""
    for group in ("age_group", "gender"):
        assert _recoverable(explorer, group) == []
        # and weighted: the same cells are hidden
        for area in (OYANE, BRATTVOLL):
            plain = explorer.group_summary(area, group)
            heavy = explorer.group_summary(area, group, weighted=True)
            assert heavy["suppressed"].tolist() == plain["suppressed"].tolist()
    codes = explorer.group_codes("age_group")
    cell = codes[(codes["area_id"] == OYANE) & (codes["age_group"] == "30–44")
                 & (codes["theme"] == "identity_belonging")]
    assert cell["n"].iloc[0] == 1 and cell["code"].iloc[0] == 1
    column = codes[(codes["age_group"] == "30–44") & (codes["theme"] == "identity_belonging")
                   & (codes["n"] > 0)]
    assert (column["code"] > 0).sum() >= 2  # a second area's 30–44 cell is hidden with it
    # The shown tables agree with the grid's codes.
    table = explorer.group_summary(OYANE, "age_group")
    row = table[(table["age_group"] == "30–44") & (table["theme"] == "identity_belonging")]
    assert bool(row["suppressed"].iloc[0]) and pd.isna(row["mean"].iloc[0])
