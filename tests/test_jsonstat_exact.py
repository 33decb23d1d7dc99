"""JSON-stat 2.0 details checked on hand-made documents (soslokal_lib.io._jsonstat).

Metadata in ``df.attrs``, the edges of sparse values and statuses, the dataset skeleton and the
merge of batched responses, each with the value a reader of the document expects.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest

from soslokal_lib.errors import DataSourceError
from soslokal_lib.io._jsonstat import merge_datasets, read_jsonstat


def doc(**changes) -> dict:
    """Region (2) × ContentsCode (1) × Tid (2), with units, notes and an extension."""
    base = {
        "version": "2.0", "class": "dataset", "label": "07459: Befolkning, etter region",
        "source": "Statistisk sentralbyrå", "updated": "2024-03-01T07:00:00Z",
        "note": ["Tabellnote"], "id": ["Region", "ContentsCode", "Tid"], "size": [2, 1, 2],
        "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
        "dimension": {
            "Region": {"label": "region", "note": ["Kommuneinndeling 2024"],
                       "category": {"index": {"0301": 0, "4601": 1},
                                    "label": {"0301": "Oslo", "4601": "Bergen"}}},
            "ContentsCode": {"label": "statistikkvariabel",
                             "category": {"index": ["Personer1"],
                                          "label": {"Personer1": "Personer"},
                                          "unit": {"Personer1": {"base": "personer",
                                                                 "decimals": 0}}}},
            "Tid": {"category": {"index": ["2023", "2024"]}},  # no labels at all
        },
        "value": [700_000, 710_000, 285_000, 290_000],
        "extension": {"px": {"decimals": 0}},
    }
    base.update(changes)
    return base


def test_attrs_hold_the_metadata():
    df = read_jsonstat(doc())
    assert df.attrs == {
        "table_id": "07459", "title": "07459: Befolkning, etter region",
        "source": "Statistisk sentralbyrå", "updated": "2024-03-01T07:00:00Z",
        "units": {"Personer1": {"base": "personer", "decimals": 0}}, "notes": ["Tabellnote"],
        "dimension_notes": {"Region": ["Kommuneinndeling 2024"]},
        "dimensions": {"Region": "region", "ContentsCode": "statistikkvariabel", "Tid": "Tid"},
        "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
        "extension": {"px": {"decimals": 0}},
    }
    assert df["Tid_label"].tolist() == ["2023", "2024", "2023", "2024"]  # code as label


@pytest.mark.parametrize("extension, label, table_id", [
    ({"px": {"tableid": "11111", "tableId": "22222"}, "tableid": "33333"}, "07459: x", "11111"),
    ({"px": {"tableId": "22222"}, "tableid": "33333"}, "07459: x", "22222"),
    ({"px": {}, "tableid": "33333"}, "07459: x", "33333"),
    ({"tableid": "33333"}, "07459: x", "33333"),
    ({"px": "not an object", "tableid": "33333"}, "07459: x", "33333"),
    ("not an object", "07459: Befolkning: alder", "07459"),
    (None, "Befolkning uten tabellnummer", None),
])
def test_table_id_sources_in_order(extension, label, table_id):
    df = read_jsonstat(doc(extension=extension, label=label))
    assert df.attrs["table_id"] == table_id
    assert df.attrs["extension"] == (dict(extension) if isinstance(extension, dict)
                                     else extension or {})


def test_units_without_metric_role_come_from_contentscode():
    df = read_jsonstat(doc(role={"time": ["Tid"]}))
    assert df.attrs["units"] == {"Personer1": {"base": "personer", "decimals": 0}}
    renamed = doc(role={"metric": ["Statistikk"]})  # the role names a dimension that isn't there
    assert read_jsonstat(renamed).attrs["units"] == {"Personer1": {"base": "personer",
                                                                   "decimals": 0}}
    bare = doc(role=None)
    bare["dimension"]["ContentsCode"]["category"].pop("unit")
    assert read_jsonstat(bare).attrs["units"] == {} and read_jsonstat(bare).attrs["role"] == {}


def test_sparse_values_and_statuses_at_the_edges():
    df = read_jsonstat(doc(value={"0": 1, "3": "4.5", "2": None}, status={"3": ".", "0": ""}))
    assert df["value"].tolist()[0] == 1 and df["value"].tolist()[3] == 4.5
    assert np.isnan(df["value"].tolist()[1]) and np.isnan(df["value"].tolist()[2])
    assert df["status"].isna().tolist() == [True, True, True, False]  # "" counts as none
    assert df["status"].tolist()[3] == "."
    with pytest.raises(DataSourceError, match=r"'value' has an index outside 0\.\.3"):
        read_jsonstat(doc(value={"4": 1}))
    with pytest.raises(DataSourceError, match=r"'value' has an index outside 0\.\.3"):
        read_jsonstat(doc(value={"-1": 1}))
    with pytest.raises(DataSourceError, match=r"'status' has a cell index outside 0\.\.3"):
        read_jsonstat(doc(status={"4": ":"}))
    with pytest.raises(DataSourceError, match=r"'status' key is not a cell index"):
        read_jsonstat(doc(status={"a": ":"}))
    assert read_jsonstat(doc(value={})).value.isna().all()
    assert read_jsonstat(doc(status=[":"])).status.tolist() == [":"] * 4
    assert read_jsonstat(doc(status=":")).status.tolist() == [":"] * 4
    listed = read_jsonstat(doc(status=["", ".", "", ":"]))
    assert listed["status"].isna().tolist() == [True, False, True, False]


def test_value_entries_that_are_not_numbers_are_named():
    with pytest.raises(DataSourceError, match=r"'value' entry 2 is not a number \('x'\)"):
        read_jsonstat(doc(value=[1, None, "x", 4]))
    assert read_jsonstat(doc(value=[1, None, "3", 4]))["value"].tolist()[2] == 3.0


def test_skeleton_checks():
    empty = doc(size=[2, 1, 0], value=[])
    empty["dimension"]["Tid"]["category"]["index"] = []
    assert read_jsonstat(empty).empty  # a zero-size dimension is allowed: no rows
    with pytest.raises(DataSourceError, match=r"'size' must hold non-negative integers"):
        read_jsonstat(doc(size=[2, True, 2]))
    with pytest.raises(DataSourceError, match=r"'size' must hold non-negative integers"):
        read_jsonstat(doc(size=[2, 1, -2]))
    for bad in ({"id": "Region"}, {"size": "2"}, {"dimension": []}):
        with pytest.raises(DataSourceError, match=r"'id' and 'size' must be lists"):
            read_jsonstat(doc(**bad))
    with pytest.raises(DataSourceError, match=r"class 'collection'.*outputFormat=json-stat2"):
        read_jsonstat(doc(**{"class": "collection"}))
    with pytest.raises(DataSourceError, match=r"class 'bundle'"):
        read_jsonstat(doc(**{"class": "bundle"}))
    no_class = doc()
    del no_class["class"]
    assert len(read_jsonstat(no_class)) == 4  # a dataset without 'class' but with 'id' is read
    del no_class["id"]
    with pytest.raises(DataSourceError, match=r"class None.*outputFormat=json-stat2"):
        read_jsonstat(no_class)
    with pytest.raises(DataSourceError, match=r"not a JSON-stat dataset \(class 'table'\)"):
        read_jsonstat(doc(**{"class": "table"}))
    for name in ("value", "status", "Region_label"):
        clash = doc(id=["Region", "ContentsCode", name])
        clash["dimension"][name] = clash["dimension"].pop("Tid")
        with pytest.raises(DataSourceError, match=f"a dimension is called '{name}'"):
            read_jsonstat(clash)


def test_category_index_positions():
    swapped = doc()
    swapped["dimension"]["Region"]["category"]["index"] = {"4601": 1, "0301": 0}
    assert read_jsonstat(swapped)["Region"].tolist() == ["0301", "0301", "4601", "4601"]
    for index in ({"0301": 0, "4601": 2}, {"0301": 1, "4601": 1}, {"0301": -1, "4601": 1},
                  {"0301": "0", "4601": 1}):
        bad = doc()
        bad["dimension"]["Region"]["category"]["index"] = index
        with pytest.raises(DataSourceError, match=r"positions must be 0\.\.1, each used once"):
            read_jsonstat(bad)


def test_documents_as_text_bytes_and_files(tmp_path):
    text = json.dumps(doc())
    expected = read_jsonstat(doc())
    pd.testing.assert_frame_equal(read_jsonstat("  \n" + text), expected)  # leading blanks
    pd.testing.assert_frame_equal(read_jsonstat(("\ufeff" + text).encode()), expected)
    path = tmp_path / "t.json"
    path.write_text("\ufeff" + text, encoding="utf-8")  # a BOM, as Windows tools write
    pd.testing.assert_frame_equal(read_jsonstat(path), expected)
    pd.testing.assert_frame_equal(read_jsonstat(str(path)), expected)
    with pytest.raises(DataSourceError, match=r"expects a dict, a JSON string, bytes or a path, "
                                              r"not int"):
        read_jsonstat(42)
    with pytest.raises(DataSourceError, match=r"^JSON-stat string: not a JSON-stat dataset"):
        read_jsonstat("[1, 2]")
    with pytest.raises(DataSourceError, match=r"^JSON-stat bytes: not valid JSON"):
        read_jsonstat(b"{nope")


# ------------------------------------------------------------------------------ merge


def part(years: list[str], values: list, status=None, unit=True) -> dict:
    d = doc(size=[2, 1, len(years)], value=values)
    d["dimension"]["Tid"]["category"] = {"index": years, "label": {y: f"år {y}" for y in years}}
    if unit:
        d["dimension"]["Tid"]["category"]["unit"] = {y: {"base": "år"} for y in years}
        d["dimension"]["Tid"]["category"]["note"] = {y: f"note {y}" for y in years}
    if status is not None:
        d["status"] = status
    return d


def test_merge_by_hand():
    first = part(["2022", "2023"], [1, 2, 5, 6], status={"1": "."})
    second = part(["2024"], [3, None], status={"1": ":"})
    merged = merge_datasets([first, second], "tid")  # the dimension named in any case
    assert merged["size"] == [2, 1, 3]
    assert merged["value"] == [1, 2, 3, 5, 6, None]  # row-major: Tid fastest
    assert merged["status"] == {"1": ".", "5": ":"}
    category = merged["dimension"]["Tid"]["category"]
    assert category["index"] == {"2022": 0, "2023": 1, "2024": 2}
    assert category["label"] == {"2022": "år 2022", "2023": "år 2023", "2024": "år 2024"}
    assert category["unit"] == {y: {"base": "år"} for y in ("2022", "2023", "2024")}
    assert category["note"] == {"2022": "note 2022", "2023": "note 2023", "2024": "note 2024"}
    assert first["size"] == [2, 1, 2] and "2024" not in first["dimension"]["Tid"]["category"][
        "label"]  # the parts are not modified
    df = read_jsonstat(merged)
    assert df["value"].tolist()[:5] == [1, 2, 3, 5, 6] and np.isnan(df["value"].tolist()[5])
    assert df["Tid_label"].tolist()[:3] == ["år 2022", "år 2023", "år 2024"]
    plain = merge_datasets([part(["2022"], [1, 2], unit=False),
                            part(["2023"], [3, 4], unit=False)], "Tid")
    assert "status" not in plain and "unit" not in plain["dimension"]["Tid"]["category"]
    assert "note" not in plain["dimension"]["Tid"]["category"]
    assert plain["value"] == [1, 3, 2, 4]


def test_merge_keeps_codes_without_labels():
    a, b = part(["2022"], [1, 2]), part(["2023"], [3, 4])
    del b["dimension"]["Tid"]["category"]["label"]
    merged = merge_datasets([a, b], "Tid")
    assert merged["dimension"]["Tid"]["category"]["label"] == {"2022": "år 2022", "2023": "2023"}


def test_merge_errors_name_the_part():
    a, b = part(["2022"], [1, 2]), part(["2023"], [3, 4])
    with pytest.raises(DataSourceError, match=r"^SSB batches: nothing to merge"):
        merge_datasets([], "Tid")
    with pytest.raises(DataSourceError, match=r"^SSB batches \(part 1\): dimension 'Alder' is "
                                              r"missing"):
        merge_datasets([a, b], "Alder")
    broken = copy.deepcopy(b)
    broken["value"] = [3]
    with pytest.raises(DataSourceError, match=r"^mine \(part 2\): 'value' has 1 entries"):
        merge_datasets([a, broken], "Tid", name="mine")
    other = copy.deepcopy(b)
    other["dimension"]["Region"]["category"]["index"] = {"0301": 0, "1103": 1}
    with pytest.raises(DataSourceError, match=r"part 2 has other categories of 'Region'"):
        merge_datasets([a, other], "Tid")
    with pytest.raises(DataSourceError, match=r"the parts share categories of 'Tid'"):
        merge_datasets([a, copy.deepcopy(a)], "Tid")
    reordered = copy.deepcopy(b)
    reordered["id"] = ["ContentsCode", "Region", "Tid"]
    reordered["size"] = [1, 2, 1]
    with pytest.raises(DataSourceError, match=r"part 2 has dimensions \['ContentsCode', "):
        merge_datasets([a, reordered], "Tid")
    three = [a, b, part(["2024"], [5, 6])]
    assert merge_datasets(three, "Tid")["value"] == [1, 3, 5, 2, 4, 6]
    three[2]["dimension"]["Region"]["category"]["index"] = {"0301": 0, "1103": 1}
    with pytest.raises(DataSourceError, match=r"part 3 has other categories"):
        merge_datasets(three, "Tid")
