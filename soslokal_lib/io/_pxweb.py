"""HTTP side of the SSB client: PxWebApi v2 requests, retries, rate limit, cache, batching.

Private helper of :mod:`soslokal_lib.io.ssb`. Shapes used here, as documented by PxTools'
PxApiSpecs and SSB's PxWebApi v2 guide:

* ``POST {base}/tables/{id}/data?outputFormat=json-stat2&lang=no`` with body
  ``{"selection": [{"variableCode": "Region", "valueCodes": ["0301"]}, ...]}``;
* ``GET {base}/tables/{id}/metadata?outputFormat=json-stat2&lang=no`` — a JSON-stat 2.0 dataset
  without values, ``dimension[v].extension.elimination`` telling whether ``v`` may be left out;
* ``GET {base}/tables?query=...`` — ``{"tables": [{"id", "label", "updated", ...}], "page": {...}}``;
* errors as problem details ``{"type": "Parameter error", "title": "Non-existent value",
  "status": 400}`` — ``detail`` is rarely set and never names the offending variable, so the
  client works that out from the table's metadata.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import numpy as np
import requests

from soslokal_lib._files import write_atomic
from soslokal_lib.errors import DataSourceError
from soslokal_lib.io._jsonstat import load_document, merge_datasets
from soslokal_lib.io._pxselect import (  # noqa: F401 (re-exported for ssb.py and the tests)
    TableMetadata,
    Variable,
    VarSelection,
    canonical,
    check_codelists,
    check_values,
    check_variables,
    describe,
    expand,
    is_expression,
    normalise_selection,
    parse_metadata,
    selection_body,
)

log = logging.getLogger("soslokal_lib.io.ssb")

DEFAULT_BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
ENV_BASE_URL = "SOSLOKAL_SSB_URL"
ENV_CACHE_DIR = "SOSLOKAL_CACHE_DIR"
CELL_LIMIT = 800_000
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "soslokal (Python requests; https://github.com/soslokal)"


class CacheWarning(UserWarning):
    """A cached SSB response could not be trusted and was fetched again."""


# ----------------------------------------------------------------------------- rate limit
class RateLimiter:
    """Sliding-window limit: at most ``max_calls`` requests in any ``period`` seconds.

    ``clock`` and ``sleep`` are injectable so tests need not wait. Thread-safe.
    """

    def __init__(
        self,
        max_calls: int = 30,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_calls < 1 or period <= 0:
            raise ValueError("max_calls must be ≥ 1 and period > 0")
        self.max_calls, self.period = max_calls, period
        self.clock, self.sleep = clock, sleep
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until a request may be sent, record it, and return the seconds waited."""
        waited = 0.0
        with self._lock:
            while True:
                now = self.clock()
                while self._calls and self._calls[0] <= now - self.period:
                    self._calls.popleft()
                if len(self._calls) < self.max_calls:
                    self._calls.append(now)
                    return waited
                pause = self._calls[0] + self.period - now
                self.sleep(pause)
                waited += pause


_SHARED_LIMITER = RateLimiter()  # SSB limits per client address, so all clients share one


# ----------------------------------------------------------------------------- cache
def default_cache_dir() -> Path:
    """``$SOSLOKAL_CACHE_DIR/ssb`` if set, else the platform user cache dir ``soslokal/ssb``."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser() / "ssb"
    import platformdirs

    return Path(platformdirs.user_cache_dir("soslokal")) / "ssb"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResponseCache:
    """Raw JSON-stat documents on disk, one checksummed JSON envelope per request key."""

    def __init__(self, directory: str | os.PathLike | None = None) -> None:
        self.directory = Path(directory).expanduser() if directory else default_cache_dir()

    @staticmethod
    def key(table_id: str, what: str, lang: str) -> str:
        return _sha256(f"{table_id}\n{what}\n{lang}")

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def read(self, key: str) -> tuple[str | None, str | None]:
        """Return ``(document text, None)``, ``(None, None)`` if absent, ``(None, reason)`` if
        the file is corrupted (unreadable, bad JSON, checksum mismatch)."""
        text, reason, _ = self.read_entry(key)
        return text, reason

    def read_entry(self, key: str) -> tuple[str | None, str | None, datetime | None]:
        """Like ``read``, plus the time the document was fetched (None if unknown)."""
        path = self.path(key)
        if not path.exists():
            return None, None, None
        try:
            env = json.loads(path.read_text(encoding="utf-8"))
            text, digest = env["document"], env["sha256"]
            if not isinstance(text, str) or not isinstance(digest, str):
                raise TypeError("document and sha256 must be strings")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return None, f"unreadable cache envelope ({exc})", None
        if _sha256(text) != digest:
            return None, "checksum mismatch", None
        try:
            json.loads(text)
        except ValueError as exc:
            return None, f"the cached document is not valid JSON ({exc})", None
        try:
            fetched = datetime.fromisoformat(env.get("fetched_at", ""))
        except (TypeError, ValueError):
            fetched = None
        if fetched is not None and fetched.tzinfo is None:
            fetched = fetched.replace(tzinfo=UTC)
        return text, None, fetched

    def write(self, key: str, text: str, info: Mapping[str, Any]) -> Path:
        """Store ``text`` atomically (temporary file in the same folder, then ``os.replace``)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        env = {
            "format": "soslokal-ssb-cache/1",
            **info,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sha256": _sha256(text),
            "document": text,
        }
        path = self.path(key)
        return write_atomic(path, json.dumps(env, ensure_ascii=False))


# ----------------------------------------------------------------------------- batching
@dataclass
class _Node:
    selection: dict[str, VarSelection]
    split: str | None = None
    children: list[_Node] = field(default_factory=list)

    def leaves(self) -> int:
        return 1 if self.split is None else sum(c.leaves() for c in self.children)


def _retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


# ----------------------------------------------------------------------------- client
class SSBClient:
    """PxWebApi v2 client: timeouts, retries with backoff, shared rate limit, cache, batches.

    Parameters: ``base_url`` (default ``$SOSLOKAL_SSB_URL`` or SSB's v2 API), ``session``
    (a ``requests.Session``; TLS is always verified), ``timeout`` (connect, read) seconds,
    ``max_attempts`` per request, ``backoff`` (first wait; doubles each retry, capped by
    ``max_wait``, which also caps ``Retry-After``), ``cell_limit`` (SSB's 800,000 cells per
    request), ``metadata_max_age`` (seconds a cached metadata copy is reused online; SSB
    updates metadata at 05:00 and 11:30), ``rate_limiter`` (default: 30 requests per minute,
    shared by all clients), ``cache_dir`` and injectable ``sleep`` / ``now`` for tests.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (10.0, 120.0),
        max_attempts: int = 5,
        backoff: float = 1.0,
        max_wait: float = 120.0,
        cell_limit: int = CELL_LIMIT,
        metadata_max_age: float = 12 * 3600,
        rate_limiter: RateLimiter | None = None,
        cache_dir: str | os.PathLike | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.base_url = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout
        self.max_attempts, self.backoff, self.max_wait = max_attempts, backoff, max_wait
        self.cell_limit = cell_limit
        self.metadata_max_age = metadata_max_age
        self.rate_limiter = rate_limiter or _SHARED_LIMITER
        self.cache = ResponseCache(cache_dir)
        self.sleep, self.now = sleep, now
        self._metadata: dict[tuple[str, str], TableMetadata] = {}

    # -- HTTP -------------------------------------------------------------------------------
    def _verify(self) -> bool | str:
        # A CA bundle path set on the session is kept; verification is never switched off.
        return self.session.verify if isinstance(self.session.verify, str) else True

    def request(self, method: str, path: str, *, params=None, body=None) -> requests.Response:
        """Send one request with retries on 429/5xx/timeouts; return the final response."""
        url = f"{self.base_url}{path}"
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        reason = ""
        for attempt in range(1, self.max_attempts + 1):
            self.rate_limiter.acquire()
            wait = min(self.backoff * 2 ** (attempt - 1), self.max_wait)
            try:
                resp = self.session.request(
                    method, url, params=params, json=body, headers=headers,
                    timeout=self.timeout, verify=self._verify(),
                )
            except requests.Timeout:
                reason = f"no answer within {self.timeout} s (connect, read)"
            except requests.ConnectionError as exc:
                reason = f"connection failed ({exc.__class__.__name__})"
            else:
                if resp.status_code not in RETRY_STATUSES:
                    return resp
                after = _retry_after(resp.headers.get("Retry-After"), self.now())
                if after is not None:
                    wait = min(after, self.max_wait)
                reason = f"HTTP {resp.status_code}" + (
                    " (rate limited: too many requests)" if resp.status_code == 429 else ""
                )
                if attempt == self.max_attempts:
                    return resp
            if attempt < self.max_attempts:
                log.info("SSB %s %s: %s; retry %d in %.1f s", method, url, reason, attempt, wait)
                self.sleep(wait)
        raise DataSourceError(
            f"SSB {method} {url}: {reason} after {self.max_attempts} attempts. Fix: check the "
            "network connection and try again later (SSB updates tables at 05:00 and 11:30 "
            "and is busy around 08:00), or use offline=True with a filled cache"
        )

    def _json(self, resp: requests.Response, what: str) -> tuple[Any, str]:
        text = resp.content.decode("utf-8-sig", errors="replace")
        try:
            return json.loads(text), text
        except ValueError:
            raise DataSourceError(
                f"{what}: SSB answered HTTP {resp.status_code} with something that is not JSON "
                f"({text[:120]!r})"
            ) from None

    # -- metadata ---------------------------------------------------------------------------
    def metadata(self, table_id: str, lang: str = "no", *, offline: bool = False,
                 refresh: bool = False) -> TableMetadata:
        """Table metadata: from memory, from a cached copy younger than ``metadata_max_age``
        (any age when offline), else fetched from SSB and cached."""
        table_id = str(table_id)
        mem = (table_id, lang)
        if mem in self._metadata and not refresh:
            return self._metadata[mem]
        key = self.cache.key(table_id, "metadata", lang)
        text, bad, fetched = self.cache.read_entry(key)
        fresh = fetched is not None and (
            self.now() - fetched).total_seconds() <= self.metadata_max_age
        if offline and text is None:
            why = f"its cache file {self.cache.path(key)} is corrupted ({bad})" if bad else (
                f"it is not in the cache at {self.cache.directory}")
            raise DataSourceError(
                f"SSB table {table_id}: metadata (lang {lang!r}) is needed offline but {why}. "
                "Fix: run once with offline=False to fill the cache"
            )
        if text is not None and (offline or (fresh and not refresh)):
            meta = parse_metadata(json.loads(text), table_id)
        else:
            resp = self.request(
                "GET", f"/tables/{table_id}/metadata",
                params={"outputFormat": "json-stat2", "lang": lang},
            )
            if resp.status_code != 200:
                self._raise_http(resp, table_id, None, lang)
            doc, text = self._json(resp, f"SSB metadata for table {table_id}")
            meta = parse_metadata(doc, table_id)
            self.cache.write(key, text, {"table": table_id, "kind": "metadata", "lang": lang})
        self._metadata[mem] = meta
        return meta

    # -- search -----------------------------------------------------------------------------
    def search(self, text: str, lang: str = "no", *, max_results: int = 100) -> list[dict]:
        """Table entries (dicts as SSB returns them) matching ``text``, at most ``max_results``."""
        found: list[dict] = []
        page, size = 1, max(1, min(max_results, 100))
        while len(found) < max_results:
            resp = self.request("GET", "/tables", params={
                "query": text, "lang": lang, "pageSize": size, "pageNumber": page,
            })
            if resp.status_code != 200:
                self._raise_http(resp, None, None, lang)
            doc, _ = self._json(resp, f"SSB table search {text!r}")
            tables = doc.get("tables") if isinstance(doc, Mapping) else None
            if not isinstance(tables, list):
                raise DataSourceError(f"SSB table search {text!r}: the answer has no 'tables' list")
            found.extend(tables)
            pages = (doc.get("page") or {}).get("totalPages") or 1
            if not tables or page >= pages:
                break
            page += 1
        return found[:max_results]

    # -- data -------------------------------------------------------------------------------
    def data_text(self, table_id: str, selection: Mapping[str, Any], lang: str = "no", *,
                  offline: bool = False, refresh: bool = False, progress: bool = True) -> str:
        """The JSON-stat 2.0 text for ``selection``: from the cache, or fetched (in batches
        when above the cell limit, then merged) and cached."""
        table_id = str(table_id)
        sel = normalise_selection(selection)
        key = self.cache.key(table_id, canonical(sel), lang)
        where = f"SSB table {table_id}, selection {describe(sel)}, lang {lang!r}"
        if not refresh or offline:
            text, bad = self.cache.read(key)
            if text is not None:
                return text
            if bad and offline:
                raise DataSourceError(
                    f"{where}: the cache file {self.cache.path(key)} is corrupted ({bad}) and "
                    "was not used. Fix: run with offline=False to fetch it again"
                )
            if bad:
                warnings.warn(
                    f"{where}: cache file {self.cache.path(key)} is corrupted ({bad}); "
                    "fetching it again", CacheWarning, stacklevel=3,
                )
        if offline:
            raise DataSourceError(
                f"{where}: not in the cache at {self.cache.directory} (offline=True). "
                "Fix: run once with offline=False to fetch and cache it"
            )
        plan = self._plan(table_id, sel, lang)
        if plan.split is None:
            text = self._post(table_id, sel, lang)
        else:
            from tqdm.auto import tqdm

            with tqdm(total=plan.leaves(), desc=f"SSB {table_id}", unit="batch",
                      disable=not progress) as bar:
                doc = self._run(table_id, plan, lang, bar)
            text = json.dumps(doc, ensure_ascii=False)
        self.cache.write(key, text, {
            "table": table_id, "kind": "data", "lang": lang,
            "selection": json.loads(canonical(sel)), "url": self.base_url,
        })
        return text

    def _post(self, table_id: str, sel: dict[str, VarSelection], lang: str) -> str:
        resp = self.request(
            "POST", f"/tables/{table_id}/data",
            params={"outputFormat": "json-stat2", "lang": lang}, body=selection_body(sel),
        )
        if resp.status_code != 200:
            self._raise_http(resp, table_id, sel, lang)
        _, text = self._json(resp, f"SSB table {table_id}")
        return text

    def _run(self, table_id: str, node: _Node, lang: str, bar) -> dict:
        if node.split is None:
            doc = load_document(self._post(table_id, node.selection, lang))
            bar.update(1)
            return doc
        docs = [self._run(table_id, child, lang, bar) for child in node.children]
        return merge_datasets(docs, node.split, name=f"SSB table {table_id}")

    # -- cell counting and splitting ---------------------------------------------------------
    def cell_counts(self, table_id: str, sel: dict[str, VarSelection], lang: str
                    ) -> tuple[dict[str, list[str] | None], dict[str, int]]:
        """Per selected variable: the concrete codes (None when unknown) and the count.

        Literal codes need no metadata; expressions are expanded against the table's metadata,
        which also checks that every variable exists and that no mandatory one is missing.
        """
        if not any(is_expression(c) for vs in sel.values() for c in vs.codes):
            concrete: dict[str, list[str] | None] = {v: list(vs.codes) for v, vs in sel.items()}
            return concrete, {v: len(vs.codes) for v, vs in sel.items()}
        meta = self.metadata(table_id, lang)
        problem = check_variables(meta, sel)
        if problem:
            raise DataSourceError(problem)
        concrete, counts = {}, {}
        for var, vs in sel.items():
            info = meta.variable(var)
            if vs.codelist and not any(is_expression(c) for c in vs.codes):
                concrete[var], counts[var] = None, len(vs.codes)
                continue
            codes = list(info.values)
            hit = set().union(*(expand(c, codes, time=info.role == "time") for c in vs.codes))
            ordered = [c for c in codes if c in hit]
            # a codelist may hold codes the base variable lacks: count, but do not split there
            concrete[var] = None if vs.codelist else ordered
            counts[var] = len(ordered) if not vs.codelist else max(len(ordered), len(vs.codes))
        return concrete, counts

    def _plan(self, table_id: str, sel: dict[str, VarSelection], lang: str) -> _Node:
        concrete, counts = self.cell_counts(table_id, sel, lang)
        return self._split(sel, concrete, counts)

    def _split(self, sel, concrete, counts) -> _Node:
        total = int(np.prod(list(counts.values()), dtype=np.int64)) if counts else 1
        if total <= self.cell_limit:
            return _Node(sel)
        splittable = [v for v in sel if concrete.get(v) and counts[v] > 1]
        # prefer not to pin down top()/bottom() to codes read from (possibly older) metadata
        plain = [v for v in splittable if not any(
            c.lower().lstrip("[ ").startswith(("top", "bottom")) for c in sel[v].codes)]
        choice = plain or splittable
        if not choice:
            raise DataSourceError(
                f"selection {describe(sel)} has {total:,} cells, above the limit of "
                f"{self.cell_limit:,}, and cannot be split (expressions on a codelist cannot be "
                "expanded here). Fix: list the codelist codes, or select fewer values"
            )
        var = max(choice, key=lambda v: counts[v])
        codes = concrete[var]
        rest = total // counts[var]
        step = max(1, self.cell_limit // max(rest, 1))
        node = _Node(sel, split=var)
        for i in range(0, len(codes), step):
            chunk = codes[i:i + step]
            child = {**sel, var: VarSelection(tuple(chunk), sel[var].codelist, sel[var].output_values)}
            node.children.append(
                self._split(child, {**concrete, var: chunk}, {**counts, var: len(chunk)})
            )
        return node

    # -- errors -----------------------------------------------------------------------------
    def _raise_http(self, resp: requests.Response, table_id: str | None,
                    sel: dict[str, VarSelection] | None, lang: str) -> None:
        title, raw = problem_title(resp)
        what = f"SSB table {table_id}" if table_id else "SSB"
        code = resp.status_code
        if code == 404:
            raise DataSourceError(
                f"{what}: not found (HTTP 404{': ' + title if title else ''}). Fix: check the "
                "table id (five digits as a string, e.g. '07459'); find tables with "
                "ssb.search_tables('befolkning')"
            )
        if code == 429:
            raise DataSourceError(
                f"{what}: SSB keeps answering 429 Too Many Requests (limit about 30 requests per "
                "minute). Fix: wait a minute, fetch fewer batches, use the cache"
            )
        if code == 400 and table_id and sel is not None:
            raise DataSourceError(self._explain_400(table_id, sel, lang, title, raw))
        raise DataSourceError(
            f"{what}: HTTP {code} from {resp.url}: {title or raw[:200] or 'no explanation'}"
        )

    def _explain_400(self, table_id: str, sel: dict[str, VarSelection], lang: str,
                     title: str, raw: str) -> str:
        head = f"SSB table {table_id} rejected selection {describe(sel)}: {title or raw[:200]}"
        low = (title or raw).lower()
        if "too many cells" in low:
            return (f"{head}. Fix: select fewer values, or lower cell_limit (now "
                    f"{self.cell_limit:,}) so the client splits the request into batches")
        if "illegal selection expression" in low:
            exprs = [c for vs in sel.values() for c in vs.codes if is_expression(c)]
            return (f"{head}: one of {exprs} is not a valid expression. Fix: use '*', '?', "
                    "'top(n)', 'bottom(n)', 'from(code)', 'to(code)' or 'range(a,b)'")
        try:
            meta = self.metadata(table_id, lang)
        except DataSourceError as exc:
            return f"{head} (metadata to say more could not be read: {exc})"
        why = check_variables(meta, sel) or (
            check_codelists(meta, sel) if "codelist" in low else check_values(meta, sel))
        return f"{head}. {why}" if why else head


def problem_title(resp: requests.Response) -> tuple[str, str]:
    """The ``title`` (or ``detail``) of a problem-details body, or the plain text."""
    raw = resp.content.decode("utf-8-sig", errors="replace").strip()
    try:
        body = json.loads(raw)
    except ValueError:
        return raw[:300], raw
    if isinstance(body, Mapping):
        parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
        parts = list(dict.fromkeys(parts))
        errors = body.get("errors")
        if isinstance(errors, Mapping):
            parts += [f"{k}: {v}" for k, v in errors.items()]
        return "; ".join(parts), raw
    return raw[:300], raw
