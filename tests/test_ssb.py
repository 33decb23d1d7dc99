"""Tests for soslokal_lib.io.ssb: JSON-stat reader, PxWebApi v2 client, cache and catalogue.

No test touches the network: the client is pointed at a local fake server on 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from soslokal_lib.errors import DataSourceError
from soslokal_lib.io import ssb

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ssb"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference-data"
REAL_05300 = REFERENCE / "ssb_05300_jsonstat2.json"


def small_doc(**changes) -> dict:
    """A 2 × 3 dataset: Region × Tid, with a sparse status and one null."""
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "99999: Test table, etter region og år",
        "source": "Statistisk sentralbyrå",
        "updated": "2024-03-01T07:00:00Z",
        "note": ["Table note"],
        "id": ["Region", "Tid"],
        "size": [2, 3],
        "role": {"time": ["Tid"], "geo": ["Region"]},
        "dimension": {
            "Region": {
                "label": "region",
                "category": {
                    "index": {"0301": 0, "4601": 1},
                    "label": {"0301": "Oslo", "4601": "Bergen"},
                },
            },
            "Tid": {
                "label": "år",
                "category": {"index": ["2021", "2022", "2023"]},
            },
        },
        "value": [1.0, 2.0, None, 4.0, 5.0, 6.0],
        "status": {"2": ".."},
        "extension": {"px": {"tableid": "99999", "decimals": 0}},
    }
    doc.update(changes)
    return doc


# ----------------------------------------------------------------------------- read_jsonstat
def test_read_jsonstat_small_row_major_order():
    df = ssb.read_jsonstat(small_doc())
    assert list(df.columns) == ["Region", "Region_label", "Tid", "Tid_label", "value", "status"]
    assert df["Region"].tolist() == ["0301"] * 3 + ["4601"] * 3
    assert df["Region_label"].tolist() == ["Oslo"] * 3 + ["Bergen"] * 3
    assert df["Tid"].tolist() == ["2021", "2022", "2023"] * 2
    assert df["Tid_label"].tolist() == ["2021", "2022", "2023"] * 2  # label falls back to code
    np.testing.assert_array_equal(df["value"].to_numpy(), [1, 2, np.nan, 4, 5, 6])
    assert df["value"].dtype == np.float64
    assert df["status"].iloc[2] == ".."
    assert df["status"].drop(index=2).isna().all()
    assert df.attrs["table_id"] == "99999"
    assert df.attrs["title"].startswith("99999: Test table")
    assert df.attrs["source"] == "Statistisk sentralbyrå"
    assert df.attrs["updated"] == "2024-03-01T07:00:00Z"
    assert df.attrs["notes"] == ["Table note"]
    assert df.attrs["extension"]["px"]["decimals"] == 0


def test_read_jsonstat_dict_index_out_of_order():
    """Category index given as a dict whose key order differs from position order."""
    doc = small_doc()
    doc["dimension"]["Region"]["category"]["index"] = {"4601": 1, "0301": 0}
    df = ssb.read_jsonstat(doc)
    assert df["Region"].tolist() == ["0301"] * 3 + ["4601"] * 3


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"2": "..", "5": ":"}, [None, None, "..", None, None, ":"]),
        ([None, None, "..", None, ".", None], [None, None, "..", None, ".", None]),
        ([":"], [":"] * 6),
        (".", ["."] * 6),
        (None, [None] * 6),
    ],
)
def test_read_jsonstat_status_shapes(status, expected):
    df = ssb.read_jsonstat(small_doc(status=status))
    got = [None if pd.isna(s) else s for s in df["status"]]
    assert got == expected


def test_read_jsonstat_accepts_string_bytes_and_path(tmp_path):
    doc = small_doc()
    text = json.dumps(doc)
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    ref = ssb.read_jsonstat(doc)
    for src in (text, text.encode("utf-8"), path, str(path)):
        pd.testing.assert_frame_equal(ssb.read_jsonstat(src), ref)


def test_read_jsonstat_does_not_modify_input():
    doc = small_doc()
    before = json.dumps(doc, sort_keys=True)
    ssb.read_jsonstat(doc)
    assert json.dumps(doc, sort_keys=True) == before


def test_read_jsonstat_sparse_value_dict():
    df = ssb.read_jsonstat(small_doc(value={"0": 7, "5": 9}))
    np.testing.assert_array_equal(df["value"].to_numpy(), [7, np.nan, np.nan, np.nan, np.nan, 9])


def test_read_jsonstat_single_category_without_index():
    doc = small_doc()
    doc["dimension"]["ContentsCode"] = {
        "label": "statistikkvariabel",
        "category": {
            "label": {"Personer1": "Personer"},
            "unit": {"Personer1": {"base": "personer", "decimals": 0}},
        },
    }
    doc["id"] = ["Region", "ContentsCode", "Tid"]
    doc["size"] = [2, 1, 3]
    df = ssb.read_jsonstat(doc)
    assert df["ContentsCode"].unique().tolist() == ["Personer1"]
    assert df.attrs["units"] == {"Personer1": {"base": "personer", "decimals": 0}}


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"value": None}, "no 'value'"),
        ({"value": [1, 2, 3]}, "product of 'size' is 6"),
        ({"class": "collection"}, "not a JSON-stat 2.0 dataset"),
        ({"size": [2]}, "'size' has 1"),
        ({"id": ["Region", "Nope"]}, "'Nope' is in 'id'"),
        ({"size": [3, 2]}, "has 2 categories but 'size' says 3"),
        ({"status": [".", "."]}, "'status' has 2 entries"),
        ({"value": [1, 2, "x", 4, 5, 6]}, "entry 2 is not a number"),
        ({"status": {"9": "."}}, "outside 0..5"),
    ],
)
def test_read_jsonstat_malformed(changes, fragment):
    doc = small_doc(**changes)
    if changes.get("value", 0) is None:
        del doc["value"]
    with pytest.raises(DataSourceError, match=fragment.replace("(", r"\(").replace(".", r"\.")):
        ssb.read_jsonstat(doc)


def test_read_jsonstat_bad_position_and_not_json(tmp_path):
    doc = small_doc()
    doc["dimension"]["Region"]["category"]["index"] = {"0301": 0, "4601": 0}
    with pytest.raises(DataSourceError, match="each used once"):
        ssb.read_jsonstat(doc)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataSourceError, match="bad.json: not valid JSON"):
        ssb.read_jsonstat(bad)
    with pytest.raises(DataSourceError, match="top level is not an object"):
        ssb.read_jsonstat("[1, 2]")
    with pytest.raises(DataSourceError, match="cannot read"):
        ssb.read_jsonstat(tmp_path / "missing.json")


def test_read_jsonstat_real_05300_agrees_with_pyjstat():
    if not REAL_05300.exists():
        pytest.skip(f"reference data not found at {REAL_05300}")
    pyjstat = pytest.importorskip("pyjstat.pyjstat")
    text = REAL_05300.read_text(encoding="utf-8")
    df = ssb.read_jsonstat(REAL_05300)
    ds = pyjstat.Dataset.read(text)
    by_id = ds.write("dataframe", naming="id")
    by_label = ds.write("dataframe", naming="label")
    assert len(df) == len(by_id) == 6 * 8 * 1 * 9
    dims = ["Avstand1", "Kulturtilbud", "ContentsCode", "Tid"]
    for i, dim in enumerate(dims):
        assert df[dim].tolist() == by_id[dim].astype(str).tolist()
        assert df[f"{dim}_label"].tolist() == by_label.iloc[:, i].astype(str).tolist()
    np.testing.assert_array_equal(
        df["value"].to_numpy(), pd.to_numeric(by_id["value"]).to_numpy(dtype=float)
    )
    # every null value carries an SSB status symbol, and the symbols match the document
    assert df["value"].isna().sum() == 29
    assert df.loc[df["value"].isna(), "status"].isin([".", ".."]).all()
    raw = json.loads(text)["status"]
    assert {str(i): s for i, s in df["status"].dropna().items()} == raw
    assert df.attrs["table_id"] == "05300"
    assert df.attrs["units"] == {"Avstand": {"base": "prosent", "decimals": 0}}
    assert df.attrs["updated"] == "2022-05-24T06:00:00Z"
