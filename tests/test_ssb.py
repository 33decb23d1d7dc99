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


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
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
    assert df["value"].isna().sum() == 28
    assert df.loc[df["value"].isna(), "status"].isin([".", ".."]).all()
    assert df.loc[df["value"].notna(), "status"].isna().all()
    raw = json.loads(text)["status"]
    assert {str(i): s for i, s in df["status"].dropna().items()} == raw
    assert df.attrs["table_id"] == "05300"
    assert df.attrs["units"] == {"Avstand": {"base": "prosent", "decimals": 0}}
    assert df.attrs["updated"] == "2022-05-24T06:00:00Z"


# ============================================================================ fake PxWebApi v2
import fnmatch  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections import deque  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from email.utils import format_datetime  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402
from urllib.parse import parse_qs, urlsplit  # noqa: E402

import requests  # noqa: E402

from soslokal_lib.io import _pxweb  # noqa: E402
from soslokal_lib.io._jsonstat import merge_datasets  # noqa: E402

PREFIX = "/api/pxwebapi/v2"


def problem(title: str, status: int = 400) -> dict:
    return {"status": status, "body": {"type": "Parameter error", "title": title, "status": status}}


class FakeSSB:
    """A local stand-in for SSB's PxWebApi v2, serving the fixture tables.

    Slices ``<id>_data.json`` for each POSTed selection (codes, ``*``/``?`` masks, ``top(n)``),
    sums eliminated variables, and answers with SSB's problem-details bodies for unknown
    variables or values, missing mandatory variables and too many cells. ``script`` holds canned
    responses (optionally for one method) served before the normal ones. Requests are logged
    and capped at ``max_requests``.
    """

    def __init__(self, *, cell_limit: int = 10**9, max_requests: int = 60) -> None:
        self.cell_limit, self.max_requests = cell_limit, max_requests
        self.script: deque[dict] = deque()
        self.log: list[dict] = []
        self.tables = {}
        for meta_path in FIXTURES.glob("*_metadata.json"):
            tid = meta_path.name.split("_")[0]
            self.tables[tid] = (
                json.loads(meta_path.read_text(encoding="utf-8")),
                json.loads((FIXTURES / f"{tid}_data.json").read_text(encoding="utf-8")),
            )
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def _serve(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                reply = fake.handle(method, parts.path, parse_qs(parts.query), raw)
                time.sleep(reply.get("delay", 0))
                body = reply.get("body", b"")
                if not isinstance(body, bytes):
                    body = (body if isinstance(body, str) else json.dumps(body)).encode()
                try:
                    self.send_response(reply.get("status", 200))
                    for k, v in reply.get("headers", {}).items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def posts(self) -> list[dict]:
        return [r for r in self.log if r["method"] == "POST"]

    # -- routing ----------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict, raw: bytes) -> dict:
        body = json.loads(raw) if raw else None
        self.log.append({"method": method, "path": path, "query": query, "body": body})
        if len(self.log) > self.max_requests:
            return {"status": 500, "body": "test server: too many requests"}
        for i, entry in enumerate(self.script):
            if entry.get("method", method) == method:
                del self.script[i]
                return entry
        rel = path.removeprefix(PREFIX)
        if method == "GET" and rel == "/tables":
            return {"body": (FIXTURES / "tables_search.json").read_bytes()}
        parts = rel.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "tables":
            if parts[1] not in self.tables:
                return problem("Non-existent table", 404)
            if method == "GET" and parts[2] == "metadata":
                return {"body": self.tables[parts[1]][0]}
            if method == "POST" and parts[2] == "data":
                return self.data(parts[1], body)
        return {"status": 404, "body": "not found"}

    def data(self, tid: str, body: dict) -> dict:
        _, full = self.tables[tid]
        ids = full["id"]
        dims = full["dimension"]
        chosen = {s["variableCode"].lower(): s["valueCodes"] for s in body["selection"]}
        lower_ids = {d.lower(): d for d in ids}
        if any(v not in lower_ids for v in chosen):
            return problem("Non-existent variable")
        index_lists, kept = [], []
        for d in ids:
            codes = list(dims[d]["category"]["index"])
            if d.lower() not in chosen:
                if not dims[d]["extension"]["elimination"]:
                    return problem("Missing selection for mandantory variable")
                index_lists.append(list(range(len(codes))))
                continue
            picked = set()
            for item in chosen[d.lower()]:
                if "*" in item or "?" in item:
                    hit = [c for c in codes if fnmatch.fnmatchcase(c, item)]
                elif item.lower().startswith("top("):
                    n = int(item[4:-1])
                    hit = codes[-n:] if d == "Tid" else codes[:n]
                else:
                    hit = [c for c in codes if c.lower() == item.lower()]
                    if not hit:
                        return problem("Non-existent value")
                picked.update(hit)
            index_lists.append([i for i, c in enumerate(codes) if c in picked])
            kept.append(d)
        cells = int(np.prod([len(ix) for d, ix in zip(ids, index_lists, strict=True) if d in kept]))
        if cells > self.cell_limit:
            return {"status": 400, "body": {"type": "Parameter error", "title": "Too many cells selected",
                                            "detail": "Too many cells selected", "status": 400}}
        values = np.array(full["value"], dtype=float).reshape(full["size"])
        status = np.full(values.size, None, dtype=object)
        for k, s in (full.get("status") or {}).items():
            status[int(k)] = s
        status = status.reshape(full["size"])
        sub = values[np.ix_(*index_lists)]
        sub_status = status[np.ix_(*index_lists)]
        drop = tuple(i for i, d in enumerate(ids) if d not in kept)
        if drop:
            sub = np.where(np.isnan(sub).all(axis=drop), np.nan, np.nansum(sub, axis=drop))
            sub_status = np.full(sub.shape, None, dtype=object)
        out = {k: v for k, v in full.items() if k not in ("value", "status", "dimension")}
        out["id"] = kept
        out["size"] = [len(ix) for d, ix in zip(ids, index_lists, strict=True) if d in kept]
        out["dimension"] = {}
        for d, ix in zip(ids, index_lists, strict=True):
            if d not in kept:
                continue
            cat = dims[d]["category"]
            codes = [list(cat["index"])[i] for i in ix]
            newcat = {"index": {c: j for j, c in enumerate(codes)},
                      "label": {c: cat["label"][c] for c in codes}}
            if "unit" in cat:
                newcat["unit"] = {c: cat["unit"][c] for c in codes}
            out["dimension"][d] = {"label": dims[d]["label"], "category": newcat}
        flat = sub.ravel()
        out["value"] = [None if np.isnan(v) else float(v) for v in flat]
        st = {str(i): s for i, s in enumerate(sub_status.ravel()) if s is not None}
        if st:
            out["status"] = st
        return {"body": out}


@pytest.fixture
def fake():
    server = FakeSSB()
    yield server
    server.stop()


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(fake: FakeSSB, tmp_path: Path, **kw) -> ssb.SSBClient:
    kw.setdefault("rate_limiter", ssb.RateLimiter(10_000, 60.0))
    kw.setdefault("sleep", Sleeps())
    kw.setdefault("backoff", 0.5)
    kw.setdefault("max_attempts", 3)
    kw.setdefault("timeout", (2.0, 5.0))
    return ssb.SSBClient(fake.url, cache_dir=tmp_path / "cache", **kw)


def fixture_frame(tid: str) -> pd.DataFrame:
    return ssb.read_jsonstat(FIXTURES / f"{tid}_data.json")


POP_SEL = {"Region": ["0301", "4601"], "ContentsCode": ["Personer1"], "Tid": ["2024"]}


# ----------------------------------------------------------------------------- fetch + cache
def test_fetch_table_posts_v2_body_and_caches(fake, tmp_path):
    client = make_client(fake, tmp_path)
    df = ssb.fetch_table("07459", POP_SEL, client=client, progress=False)
    assert list(df.columns) == ["Region", "Region_label", "ContentsCode", "ContentsCode_label",
                                "Tid", "Tid_label", "value", "status"]
    full = fixture_frame("07459")
    expected = (full[full["Region"].isin(["0301", "4601"]) & (full["Tid"] == "2024")]
                .groupby("Region")["value"].sum())
    assert df.set_index("Region")["value"].to_dict() == expected.to_dict()
    assert df["Region_label"].tolist() == ["Oslo - Oslove", "Bergen"]
    assert df.attrs["table_id"] == "07459"
    assert df.attrs["units"] == {"Personer1": {"base": "personer", "decimals": 0}}
    (post,) = fake.posts()
    assert len(fake.log) == 1  # literal codes only: no metadata request
    assert post["path"] == f"{PREFIX}/tables/07459/data"
    assert post["query"] == {"outputFormat": ["json-stat2"], "lang": ["no"]}
    assert post["body"] == {"selection": [
        {"variableCode": "Region", "valueCodes": ["0301", "4601"]},
        {"variableCode": "ContentsCode", "valueCodes": ["Personer1"]},
        {"variableCode": "Tid", "valueCodes": ["2024"]},
    ]}
    # second call: served from the cache, same frame, no request
    again = ssb.fetch_table("07459", dict(reversed(list(POP_SEL.items()))), client=client)
    pd.testing.assert_frame_equal(again, df)
    assert len(fake.log) == 1
    (cached,) = (tmp_path / "cache").glob("*.json")
    env = json.loads(cached.read_text(encoding="utf-8"))
    assert env["sha256"] == _pxweb._sha256(env["document"])
    assert env["table"] == "07459" and env["lang"] == "no"
    assert not list((tmp_path / "cache").glob("*.tmp"))  # atomic write left no temp file


def test_offline_hit_and_miss(fake, tmp_path):
    client = make_client(fake, tmp_path)
    online = ssb.fetch_table("07459", POP_SEL, client=client)
    n = len(fake.log)
    offline = ssb.fetch_table("07459", POP_SEL, client=client, offline=True)
    pd.testing.assert_frame_equal(offline, online)
    other = {**POP_SEL, "Tid": ["2023"]}
    with pytest.raises(DataSourceError, match=r"table 07459.*Tid=\['2023'\].*not in the cache"):
        ssb.fetch_table("07459", other, client=client, offline=True)
    with pytest.raises(DataSourceError, match="metadata .* not in the cache"):
        ssb.table_metadata("04317", client=client, offline=True)
    assert len(fake.log) == n
    ssb.fetch_table("07459", POP_SEL, client=client, refresh=True)  # refresh bypasses the cache
    assert len(fake.posts()) == 2


@pytest.mark.parametrize("damage", ["checksum", "json"])
def test_corrupted_cache_is_refetched_or_reported(fake, tmp_path, damage):
    client = make_client(fake, tmp_path)
    good = ssb.fetch_table("07459", POP_SEL, client=client)
    (path,) = (tmp_path / "cache").glob("*.json")
    if damage == "checksum":
        env = json.loads(path.read_text(encoding="utf-8"))
        env["document"] = env["document"].replace("Bergen", "Bergem")
        path.write_text(json.dumps(env), encoding="utf-8")
    else:
        path.write_text('{"document": "{", ', encoding="utf-8")
    with pytest.raises(DataSourceError, match="corrupted"):
        ssb.fetch_table("07459", POP_SEL, client=client, offline=True)
    with pytest.warns(ssb.CacheWarning, match="corrupted"):
        refetched = ssb.fetch_table("07459", POP_SEL, client=client)
    pd.testing.assert_frame_equal(refetched, good)
    assert len(fake.posts()) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the cache was repaired: no warning now
        ssb.fetch_table("07459", POP_SEL, client=client, offline=True)


# ----------------------------------------------------------------------------- retries
def test_retries_on_503_with_exponential_backoff(fake, tmp_path):
    fake.script.extend([{"status": 503, "body": ""}, {"status": 502, "body": "bad gateway"}])
    client = make_client(fake, tmp_path, max_attempts=4)
    df = ssb.fetch_table("07459", POP_SEL, client=client)
    assert len(df) == 2
    assert len(fake.posts()) == 3
    assert client.sleep == [0.5, 1.0]


def test_429_honours_retry_after_seconds_and_http_date(fake, tmp_path):
    fixed = datetime(2024, 5, 2, 8, 0, 0, tzinfo=UTC)
    fake.script.extend([
        {"status": 429, "headers": {"Retry-After": "7"}, "body": ""},
        {"status": 429, "headers": {"Retry-After": format_datetime(fixed + timedelta(seconds=30),
                                                                  usegmt=True)}, "body": ""},
    ])
    client = make_client(fake, tmp_path, now=lambda: fixed)
    ssb.fetch_table("07459", POP_SEL, client=client)
    assert client.sleep == [7.0, 30.0]


def test_retries_exhausted_give_clear_errors(fake, tmp_path):
    client = make_client(fake, tmp_path, max_attempts=2)
    fake.script.extend([{"status": 429, "body": ""}] * 2)
    with pytest.raises(DataSourceError, match="429 Too Many Requests"):
        ssb.fetch_table("07459", POP_SEL, client=client)
    fake.script.extend([{"status": 503, "body": "Service Unavailable"}] * 2)
    with pytest.raises(DataSourceError, match="HTTP 503.*Service Unavailable"):
        ssb.fetch_table("07459", POP_SEL, client=client)
    assert len(fake.log) == 4


def test_timeout_is_retried_then_reported(fake, tmp_path):
    """The server answers after 0.6 s, the read timeout is 0.15 s: both attempts time out.

    No wall-clock assertion: that the client gave up on its own timeout shows in the error and
    in the recorded back-off (the fake ``sleep`` never waits).
    """
    fake.script.extend([{"delay": 0.6, "body": "{}"}] * 2)
    client = make_client(fake, tmp_path, timeout=(1.0, 0.15), max_attempts=2)
    with pytest.raises(DataSourceError, match=r"no answer within \(1.0, 0.15\) s.*2 attempts"):
        ssb.fetch_table("07459", POP_SEL, client=client)
    assert len(fake.log) == 2
    assert client.sleep == [0.5]


def test_rate_limiter_sliding_window():
    now = [0.0]
    slept = []

    def sleep(s):
        slept.append(s)
        now[0] += s

    limiter = ssb.RateLimiter(30, 60.0, clock=lambda: now[0], sleep=sleep)
    for i in range(30):
        now[0] = i * 0.5  # 30 requests within 15 s
        assert limiter.acquire() == 0
    assert limiter.acquire() == pytest.approx(60.0 - 14.5)  # waits until the first leaves
    assert slept == [pytest.approx(45.5)]
    now[0] = 61.0  # 3 more have left the window by now
    assert [limiter.acquire() for _ in range(2)] == [0, 0]


def test_tls_is_always_verified():
    calls = []

    class Recording(requests.Session):
        def request(self, method, url, **kw):
            calls.append(kw)
            resp = requests.Response()
            resp.status_code, resp._content = 200, json.dumps(small_doc()).encode()
            return resp

    session = Recording()
    session.verify = False
    client = ssb.SSBClient("https://example.test/v2", session=session, rate_limiter=ssb.RateLimiter(99, 1))
    client.request("GET", "/tables")
    assert calls[0]["verify"] is True
    assert calls[0]["timeout"] == (10.0, 120.0)


# ----------------------------------------------------------------------------- batching
ALL_07459 = {"Region": ["*"], "Kjonn": ["*"], "Alder": ["*"], "ContentsCode": ["Personer1"],
             "Tid": ["*"]}


def test_batches_above_cell_limit_are_split_and_merged(tmp_path):
    whole_server, small_server = FakeSSB(), FakeSSB(cell_limit=20)
    try:
        whole = ssb.fetch_table("07459", ALL_07459, client=make_client(whole_server, tmp_path / "a"))
        client = make_client(small_server, tmp_path / "b", cell_limit=20)
        batched = ssb.fetch_table("07459", ALL_07459, client=client, progress=False)
    finally:
        whole_server.stop()
        small_server.stop()
    assert len(whole) == 5 * 2 * 4 * 1 * 3
    pd.testing.assert_frame_equal(batched, whole)
    pd.testing.assert_frame_equal(whole.drop(columns="status"),
                                  fixture_frame("07459").drop(columns="status"), check_like=False)
    posts = small_server.posts()
    # Region (largest) split one by one (24 cells each), then Alder into 3 + 1 (18 and 6 cells)
    assert len(posts) == 5 * 2
    assert small_server.log[0]["path"].endswith("/tables/07459/metadata")
    assert all(p["body"]["selection"][0]["valueCodes"] != ["*"] for p in posts)
    # the merged document was cached whole: offline read gives the same frame
    offline = ssb.fetch_table("07459", ALL_07459, client=client, offline=True)
    pd.testing.assert_frame_equal(offline, batched)


def test_batches_split_several_dimensions_literal_selection(fake, tmp_path):
    sel = {"Region": ["0", "0301", "3201", "3203", "4601"], "Alder": ["000", "001", "002", "105+"],
           "Kjonn": ["1", "2"], "ContentsCode": ["Personer1"], "Tid": ["2023", "2024"]}
    whole = ssb.fetch_table("07459", sel, client=make_client(fake, tmp_path / "a"))
    n = len(fake.log)
    client = make_client(fake, tmp_path / "b", cell_limit=3)
    batched = ssb.fetch_table("07459", sel, client=client, progress=False)
    pd.testing.assert_frame_equal(batched, whole)
    new = fake.log[n:]
    assert all(r["method"] == "POST" for r in new)  # literal codes: no metadata needed
    for r in new:
        counts = [len(s["valueCodes"]) for s in r["body"]["selection"]]
        assert int(np.prod(counts)) <= 3
    assert len(new) == 5 * 4 * 2  # Region, then Alder, then Kjonn split down to 2 cells


def test_unsplittable_selection_is_reported(fake, tmp_path):
    client = make_client(fake, tmp_path, cell_limit=1)
    sel = {"Region": {"codelist": "agg_KommSummer", "valueCodes": ["*"]},
           "ContentsCode": ["Personer1"], "Tid": ["2024"]}
    with pytest.raises(DataSourceError, match="5 cells, above the limit of 1, and cannot be split"):
        ssb.fetch_table("07459", sel, client=client)
    assert [r["method"] for r in fake.log] == ["GET"]  # metadata only, nothing posted


def test_merge_datasets_round_trip():
    doc = json.loads((FIXTURES / "06944_data.json").read_text(encoding="utf-8"))
    df = ssb.read_jsonstat(doc)
    parts = []
    for codes in (["0301", "030101a"], ["030105a", "03010100"], ["03010900", "4601"]):
        keep = df["Region"].isin(codes).to_numpy()
        part = json.loads(json.dumps(doc))
        part["size"][0] = len(codes)
        part["dimension"]["Region"]["category"]["index"] = {c: i for i, c in enumerate(codes)}
        part["value"] = [None if np.isnan(v) else v for v in df["value"].to_numpy()[keep]]
        st = df["status"].to_numpy()[keep]
        part["status"] = {str(i): s for i, s in enumerate(st) if isinstance(s, str)}
        parts.append(part)
    merged = merge_datasets(parts, "region")  # dimension found case-insensitively
    pd.testing.assert_frame_equal(ssb.read_jsonstat(merged).drop(columns=[]), df)
    parts[1]["dimension"]["Tid"]["category"]["index"] = {"2021": 1, "2022": 0}
    with pytest.raises(DataSourceError, match="other categories of 'Tid'"):
        merge_datasets(parts, "Region")


# ----------------------------------------------------------------------------- expressions
def test_expand_selection_expressions():
    regions = ["0", "0301", "3201", "3203", "4601"]
    years = ["2021", "2022", "2023", "2024"]
    assert _pxweb.expand("*", regions) == regions
    assert _pxweb.expand("32*", regions) == ["3201", "3203"]
    assert _pxweb.expand("320?", regions) == ["3201", "3203"]
    assert _pxweb.expand("top(2)", years, time=True) == ["2023", "2024"]
    assert _pxweb.expand("TOP(2, 1)", years, time=True) == ["2022", "2023"]
    assert _pxweb.expand("bottom(1)", years, time=True) == ["2021"]
    assert _pxweb.expand("top(2)", regions) == ["0", "0301"]
    assert _pxweb.expand("from(2023)", years) == ["2023", "2024"]
    assert _pxweb.expand("to(2022)", years) == ["2021", "2022"]
    assert _pxweb.expand("[range(0301,3203)]", regions) == ["0301", "3201", "3203"]
    assert _pxweb.expand("range(3203, 0301)", regions) == ["0301", "3201", "3203"]
    assert _pxweb.expand("personer1", ["Personer1"]) == ["Personer1"]
    assert _pxweb.expand("9999", regions) == []
    assert not _pxweb.is_expression("0301") and _pxweb.is_expression("from(0301)")


def test_expressions_are_passed_through_unchanged(fake, tmp_path):
    fake.script.append({"method": "POST",
                        "body": (FIXTURES / "07459_data.json").read_text(encoding="utf-8")})
    sel = {"Region": ["[range(0301,3203)]", "46*"], "Kjonn": ["*"], "Alder": ["from(001)"],
           "ContentsCode": ["Personer1"], "Tid": "top(1)"}
    ssb.fetch_table("07459", sel, client=make_client(fake, tmp_path))
    (post,) = fake.posts()
    assert post["body"]["selection"] == [
        {"variableCode": "Region", "valueCodes": ["[range(0301,3203)]", "46*"]},
        {"variableCode": "Kjonn", "valueCodes": ["*"]},
        {"variableCode": "Alder", "valueCodes": ["from(001)"]},
        {"variableCode": "ContentsCode", "valueCodes": ["Personer1"]},
        {"variableCode": "Tid", "valueCodes": ["top(1)"]},
    ]


def test_selection_normalisation():
    sel = _pxweb.normalise_selection({"Tid": 2024, "Region": ["0301", "0301", "4601"]})
    assert sel["Tid"].codes == ("2024",)
    assert sel["Region"].codes == ("0301", "4601")  # duplicates make SSB answer HTTP 500
    with pytest.raises(DataSourceError, match="selection for 'Region' is empty"):
        _pxweb.normalise_selection({"Region": []})
    a = _pxweb.canonical(_pxweb.normalise_selection({"A": ["1"], "B": ["2"]}))
    b = _pxweb.canonical(_pxweb.normalise_selection({"B": ["2"], "A": ["1"]}))
    assert a == b


# ----------------------------------------------------------------------------- 400 errors
def test_400_non_existent_value_names_variable_and_value(fake, tmp_path):
    client = make_client(fake, tmp_path)
    sel = {"Region": ["0301", "3025"], "ContentsCode": ["Personer1"], "Tid": ["2024"]}
    with pytest.raises(DataSourceError) as info:
        ssb.fetch_table("07459", sel, client=client)
    msg = str(info.value)
    assert "Non-existent value" in msg
    assert "'Region' (region) has no value '3025'" in msg
    assert "Fix:" in msg and "table_metadata('07459')" in msg


def test_missing_mandatory_variable_is_explained(fake, tmp_path):
    client = make_client(fake, tmp_path)
    # with an expression the client reads the metadata first and stops before the POST
    with pytest.raises(DataSourceError, match=r"'Grunnkretser' \(grunnkretser\) cannot be "
                                              r"eliminated in table 04317.*'0301\*'"):
        ssb.fetch_table("04317", {"ContentsCode": ["*"], "Tid": ["2024"]}, client=client)
    assert fake.posts() == []
    # literal codes: SSB answers 400 (with its own spelling) and the client explains it
    with pytest.raises(DataSourceError) as info:
        ssb.fetch_table("04317", {"ContentsCode": ["Personer"], "Tid": ["2024"]}, client=client)
    assert "Missing selection for mandantory variable" in str(info.value)
    assert "'Grunnkretser' (grunnkretser) cannot be eliminated" in str(info.value)


def test_unknown_variable_plain_text_and_other_400s(fake, tmp_path):
    client = make_client(fake, tmp_path)
    with pytest.raises(DataSourceError, match="has no variable 'Kommune'.*'Region'"):
        ssb.fetch_table("07459", {"Kommune": ["0301"], "ContentsCode": ["Personer1"],
                                  "Tid": ["2024"]}, client=client)
    fake.script.append({"method": "POST", "status": 400, "body": "Bad request: query malformed"})
    with pytest.raises(DataSourceError, match="Bad request: query malformed"):
        ssb.fetch_table("07459", {**POP_SEL, "Tid": ["2023"]}, client=client)
    fake.script.append({"method": "POST", **problem("Illegal selection expression")})
    with pytest.raises(DataSourceError, match=r"Illegal selection expression.*top\(x\)"):
        ssb.fetch_table("07459", {**POP_SEL, "Tid": ["top(x)"]}, client=client)
    with pytest.raises(DataSourceError, match="not found.*search_tables"):
        ssb.fetch_table("99999", POP_SEL, client=client)


def test_server_side_too_many_cells(tmp_path):
    server = FakeSSB(cell_limit=1)
    try:
        with pytest.raises(DataSourceError, match="Too many cells selected.*cell_limit"):
            ssb.fetch_table("07459", POP_SEL, client=make_client(server, tmp_path))
    finally:
        server.stop()


# ----------------------------------------------------------------------------- metadata, search
def test_table_metadata_and_search(fake, tmp_path):
    client = make_client(fake, tmp_path)
    meta = ssb.table_metadata("04317", client=client)
    assert list(meta.variables) == ["Grunnkretser", "ContentsCode", "Tid"]
    assert meta.variables["Grunnkretser"].elimination is False
    assert meta.variables["Tid"].role == "time"
    assert meta.variable("grunnkretser").values[:2] == ("03010101", "03010102")
    frame = meta.frame()
    assert len(frame) == 9 + 1 + 3
    assert frame.loc[frame["code"] == "03019999", "label"].item() == "Uoppgitt grunnkrets Oslo"
    # metadata was cached and can be read offline
    assert ssb.table_metadata("04317", client=make_client(fake, tmp_path), offline=True).variables
    found = ssb.search_tables("grunnkrets", client=client)
    assert found["id"].tolist() == ["04317", "04362"]
    assert found.loc[0, "last_period"] == "2024"
    assert fake.log[-1]["query"]["query"] == ["grunnkrets"]


def test_base_url_and_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SOSLOKAL_SSB_URL", "http://127.0.0.1:9/api/")
    monkeypatch.setenv("SOSLOKAL_CACHE_DIR", str(tmp_path))
    client = ssb.SSBClient()
    assert client.base_url == "http://127.0.0.1:9/api"
    assert client.cache.directory == tmp_path / "ssb"
    monkeypatch.delenv("SOSLOKAL_SSB_URL")
    assert ssb.SSBClient().base_url == ssb.DEFAULT_BASE_URL


# ----------------------------------------------------------------------------- catalogue
def test_catalogue_matches_fixture_dimensions():
    for tid, spec in ssb.CATALOGUE.items():
        meta = json.loads((FIXTURES / f"{tid}_metadata.json").read_text(encoding="utf-8"))
        assert tuple(meta["id"]) == spec.dimensions, tid
        assert spec.verified and spec.note
    assert "0 or 3" in ssb.CATALOGUE["04362"].note
    assert "perturbs" in ssb.population_grunnkrets_age_sex.__doc__


def test_population_grunnkrets_helper(fake, tmp_path):
    df = ssb.population_grunnkrets("0301", 2024, client=make_client(fake, tmp_path))
    assert df.columns[:3].tolist() == ["area_id", "area_name", "ssb_code"]
    assert df["area_id"].str.fullmatch(r"0301\d{4}").all()
    assert len(df) == 6 and df["year"].dtype == "Int64" and (df["year"] == 2024).all()
    hist = df.set_index("area_id").loc["03010103"]
    assert np.isnan(hist["value"]) and hist["status"] == "."
    assert fake.posts()[0]["body"]["selection"][0] == {"variableCode": "Grunnkretser",
                                                      "valueCodes": ["0301*"]}
    assert df.attrs["catalogue"] == "04317"


def test_population_kommune_and_age_sex_helpers(fake, tmp_path):
    client = make_client(fake, tmp_path)
    kom = ssb.population_kommune(["0301", 4601], 2024, client=client)
    full = fixture_frame("07459")
    exp = full[full["Tid"] == "2024"].groupby("Region")["value"].sum()
    assert kom.set_index("area_id")["value"].to_dict() == {k: exp[k] for k in ["0301", "4601"]}
    by_sex = ssb.population_kommune("3203", 2024, by_sex=True, client=client)
    assert by_sex["sex"].tolist() == ["1", "2"] and by_sex["value"].sum() == exp["3203"]
    with pytest.raises(DataSourceError, match="4-digit kommunenummer"):
        ssb.population_kommune("301", 2024, client=client)
    ages = ssb.population_grunnkrets_age_sex("0301", 2024, client=client)
    assert {"sex", "sex_label", "age", "age_label"} <= set(ages.columns)
    assert len(ages) == 3 * 2 * 4
    assert not ages["value"].isin([1, 2]).any()  # perturbed: no 1s or 2s


def test_household_income_and_bydel_helpers(fake, tmp_path):
    client = make_client(fake, tmp_path)
    inc = ssb.household_income(["030101a", "03010900"], 2022, client=client)
    assert inc["area_id"].tolist() == ["030101", "03010900"]
    assert inc["ssb_code"].tolist() == ["030101a", "03010900"]
    assert inc["measure"].unique().tolist() == ["InntSkatt"]
    assert inc.attrs["units"]["InntSkatt"]["base"] == "kr"
    hidden = ssb.household_income("03010100", 2022, household_type="0002", client=client)
    assert np.isnan(hidden["value"].item()) and hidden["status"].item() == ":"
    byd = ssb.population_bydel("0301", 2024, client=client)
    assert byd["area_id"].tolist() == ["030101", "030105", "030199"]
    assert "sex" not in byd.columns


def test_metadata_cached_copy_reused_while_fresh(fake, tmp_path):
    ssb.table_metadata("07459", client=make_client(fake, tmp_path))
    ssb.table_metadata("07459", client=make_client(fake, tmp_path))  # a new client, same cache
    assert len(fake.log) == 1
    ssb.table_metadata("07459", client=make_client(fake, tmp_path, metadata_max_age=0))
    assert len(fake.log) == 2


def test_unknown_codelist_is_explained(fake, tmp_path):
    fake.script.append({"method": "POST", **problem("Non-existent codelist")})
    sel = {"Region": {"codelist": "agg_kommsummer", "valueCodes": ["K-0301"]},
           "ContentsCode": ["Personer1"], "Tid": ["2024"]}
    with pytest.raises(DataSourceError, match="no codelist 'agg_kommsummer' .*case-sensitive"):
        ssb.fetch_table("07459", sel, client=make_client(fake, tmp_path))
