"""Statistics Norway (SSB) StatBank: JSON-stat reader, PxWebApi v2 client and table catalogue.

Every table comes back as a tidy long frame with, per dimension, one column of **codes** (named
by the dimension id, e.g. ``Region``) and one of **labels** (``Region_label``), as SSB's own R
client PxWebApiData does, then ``value`` (float, missing stays missing) and ``status`` (SSB's
symbol per cell, see ``STATUS_SYMBOLS``). Table id, title, source, update time, units, notes and
the raw ``extension`` are in ``df.attrs``.

Network use: ``fetch_table`` POSTs to ``{base}/tables/{id}/data?outputFormat=json-stat2`` with
timeouts, retries on 429/5xx (honouring ``Retry-After``), a shared limit of 30 requests a minute,
automatic batches above SSB's 800,000-cell limit, and an on-disk cache of the raw documents
(``offline=True`` reads only the cache). The base URL is ``base_url=``, else
``$SOSLOKAL_SSB_URL``, else ``https://data.ssb.no/api/pxwebapi/v2``. Cached documents are kept
until ``refresh=True``: a selection such as ``top(1)`` is not re-resolved by itself.

Catalogue (``CATALOGUE``; variable codes in table order; ✓ = seen in SSB's own v2 examples or
several independent public clients, ? = not verified, so the helpers select ``"*"``):

* 04317 population per grunnkrets — ``Grunnkretser`` ✓ (not eliminable), ``ContentsCode`` ✓
  (value ?), ``Tid`` ✓ → ``population_grunnkrets``
* 04362 age × sex per grunnkrets — ``Region`` ✓, ``Kjonn`` ✓, ``Alder`` ✓ (value codes ?),
  ``ContentsCode`` ✓ (value ?), ``Tid`` ✓; counts of 1 and 2 are perturbed to 0 or 3 by SSB
  → ``population_grunnkrets_age_sex``
* 06944 household income after tax — ``Region`` ✓ (kommune, bydel ``030101a``, delområde
  ``03010900``), ``HusholdType`` ✓ (``0000``), ``ContentsCode`` ✓ (``InntSkatt``,
  ``AntallHushold``), ``Tid`` ✓ → ``household_income``
* 10826 population per bydel — ``Region``, ``Kjonn``, ``Alder`` ✓ (one public ingest),
  ``ContentsCode`` (value ?), ``Tid`` → ``population_bydel``
* 07459 population per kommune — ``Region``, ``Kjonn``, ``Alder``, ``ContentsCode``
  (``Personer1``), ``Tid`` ✓ → ``population_kommune``

None of these codes could be checked against the live API from this project's offline build;
``TableSpec.verified`` records the source of each.

Data: SSB, CC BY 4.0 — «Kilde: Statistisk sentralbyrå».
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import requests

from soslokal_lib.errors import DataSourceError
from soslokal_lib.io._jsonstat import read_jsonstat
from soslokal_lib.io._pxweb import (
    CELL_LIMIT,
    DEFAULT_BASE_URL,
    CacheWarning,
    RateLimiter,
    SSBClient,
    TableMetadata,
    Variable,
    canonical,
    normalise_selection,
)

__all__ = [
    "read_jsonstat", "fetch_table", "table_metadata", "search_tables", "SSBClient",
    "RateLimiter", "TableMetadata", "Variable", "CacheWarning", "STATUS_SYMBOLS", "CELL_LIMIT",
    "DEFAULT_BASE_URL", "TableSpec", "CATALOGUE", "population_grunnkrets",
    "population_grunnkrets_age_sex", "household_income", "population_bydel",
    "population_kommune",
]

STATUS_SYMBOLS = {
    ".": "not applicable (ikke mulig å oppgi tall)",
    "..": "not available (tallgrunnlag mangler)",
    "...": "not yet available (oppgave mangler foreløpig)",
    ":": "confidential (vises ikke av konfidensialitetshensyn)",
    "-": "nil (null)",
    "*": "provisional (foreløpig tall)",
}


def _client(client: SSBClient | None, base_url, session, cache_dir) -> SSBClient:
    if client is None:
        return SSBClient(base_url, session=session, cache_dir=cache_dir)
    if base_url is not None or session is not None or cache_dir is not None:
        raise ValueError("give base_url, session and cache_dir to SSBClient, not with client=")
    return client


def fetch_table(
    table_id: str,
    selection: Mapping[str, Any],
    lang: str = "no",
    *,
    offline: bool = False,
    cache_dir: str | os.PathLike | None = None,
    session: requests.Session | None = None,
    progress: bool = True,
    refresh: bool = False,
    base_url: str | None = None,
    client: SSBClient | None = None,
) -> pd.DataFrame:
    """Fetch ``selection`` of SSB table ``table_id`` as a tidy frame (see ``read_jsonstat``).

    ``selection`` maps variable codes to a list of value codes or expressions, passed to SSB
    unchanged: ``{"Region": ["0301", "46*"], "ContentsCode": ["Personer1"], "Tid": ["top(1)"]}``
    (``*``/``?`` masks, ``top(n)``, ``bottom(n)``, ``from(x)``, ``to(x)``, ``range(a,b)``); a
    value may also be ``{"codelist": "agg_KommSummer", "valueCodes": [...], "outputValues":
    "aggregated"}``. Leave a variable out to eliminate it (sum over it), where SSB allows.
    Selections above SSB's cell limit are split along their largest variable (expressions are
    expanded with the table metadata first), fetched with a progress bar and merged. With
    ``offline=True`` only the cache is read. ``client=`` takes a configured ``SSBClient``
    (timeouts, retries, cell limit, rate limiter) instead of ``base_url``/``session``/``cache_dir``.
    """
    c = _client(client, base_url, session, cache_dir)
    text = c.data_text(table_id, selection, lang, offline=offline, refresh=refresh,
                       progress=progress)
    df = read_jsonstat(text)
    df.attrs["table_id"] = df.attrs.get("table_id") or str(table_id)
    df.attrs["selection"] = canonical(normalise_selection(selection))
    df.attrs["lang"] = lang
    return df


def table_metadata(
    table_id: str,
    lang: str = "no",
    *,
    offline: bool = False,
    cache_dir: str | os.PathLike | None = None,
    session: requests.Session | None = None,
    base_url: str | None = None,
    client: SSBClient | None = None,
) -> TableMetadata:
    """Variables, value codes/labels and elimination flags of a table (GET ``/metadata``).

    ``.variables`` maps variable codes to ``Variable`` (``values``, ``labels``, ``elimination``,
    ``role``, ``codelists``); ``.frame()`` gives one row per value. A cached copy younger than
    the client's ``metadata_max_age`` (12 h) is reused; ``offline=True`` reads the cached copy.
    """
    return _client(client, base_url, session, cache_dir).metadata(table_id, lang, offline=offline)


def search_tables(
    text: str,
    lang: str = "no",
    *,
    max_results: int = 100,
    session: requests.Session | None = None,
    base_url: str | None = None,
    client: SSBClient | None = None,
) -> pd.DataFrame:
    """Tables whose title, variables or values match ``text`` (GET ``/tables?query=``).

    Columns: ``id``, ``label``, ``updated``, ``first_period``, ``last_period``, ``time_unit``,
    ``discontinued``, ``variables`` (comma-joined). SSB joins words with AND and accepts
    Lucene syntax (``title:grunnkrets``, ``befolk*``).
    """
    c = _client(client, base_url, session, None)
    rows = [
        {
            "id": str(t.get("id", "")),
            "label": t.get("label"),
            "updated": t.get("updated"),
            "first_period": t.get("firstPeriod"),
            "last_period": t.get("lastPeriod"),
            "time_unit": t.get("timeUnit"),
            "discontinued": t.get("discontinued"),
            "variables": ", ".join(t.get("variableNames") or []),
        }
        for t in c.search(text, lang, max_results=max_results)
    ]
    cols = ["id", "label", "updated", "first_period", "last_period", "time_unit",
            "discontinued", "variables"]
    return pd.DataFrame(rows, columns=cols)


# ----------------------------------------------------------------------------- catalogue
@dataclass(frozen=True)
class TableSpec:
    """An SSB table this project uses: id, titles, variable codes, lowest level, caveats.

    ``contents`` is the ContentsCode the helper selects (``"*"`` = all, used where the code could
    not be verified); ``verified`` says which codes were checked against SSB sources and how.
    """

    id: str
    title_nb: str
    title_en: str
    dimensions: tuple[str, ...]
    level: str
    note: str
    contents: str = "*"
    verified: str = ""


CATALOGUE: dict[str, TableSpec] = {
    "04317": TableSpec(
        "04317", "Grunnkretsenes befolkning (G)",
        "Population of basic statistical units (grunnkretser)",
        ("Grunnkretser", "ContentsCode", "Tid"), "grunnkrets",
        "Grunnkretser cannot be eliminated: always select it (e.g. '0301*' for Oslo). The "
        "variable holds all current and historical 8-digit kretser (historical ones carry "
        "status '.'), plus KKKK0000 'Ikke koblet' and KKKK9999 'Uoppgitt grunnkrets'. "
        "34,097 kretser × 28 years exceeds the cell limit; one year for all kretser does not.",
        verified="Variable ids Grunnkretser (elimination false), ContentsCode, Tid: from SSB "
        "v2 query examples (janbrus/pxwebapi-skills). The ContentsCode value was not verified, "
        "so the helper selects '*' (the table has one statistic).",
    ),
    "04362": TableSpec(
        "04362", "Alders- og kjønnsfordeling for grunnkretsenes befolkning (G)",
        "Population of basic statistical units by sex and age",
        ("Region", "Kjonn", "Alder", "ContentsCode", "Tid"), "grunnkrets",
        "SSB perturbs small counts for privacy: every 1 and 2 is published as 0 or 3, so no "
        "0 or 3 is exact and sums over kretser may differ from 04317 or 07459 (the table's "
        "Region note says so). Here the grunnkrets variable is called Region.",
        verified="Variable ids Region (elimination true), Kjonn, Alder, ContentsCode, Tid: "
        "from janbrus/pxwebapi-skills and the common Kjonn/Alder coding of SSB population "
        "tables; Alder value codes and the ContentsCode value were not verified (the helper "
        "selects '*').",
    ),
    "06944": TableSpec(
        "06944", "Inntekt for husholdninger, etter husholdningstype. Antall og median (K) (B)",
        "Household income after tax by household type: number and median (kommune, bydel, "
        "delområde)",
        ("Region", "HusholdType", "ContentsCode", "Tid"), "kommune/bydel/delområde",
        "Region holds kommuner (0301), bydeler (030101a: kommune + bydel + 'a') and "
        "delområder (03010100; codelist vs_Delomraader01). HusholdType '0000' = all "
        "households. ContentsCode 'InntSkatt' = median income after tax (kr), "
        "'AntallHushold' = number of households.",
        contents="InntSkatt",
        verified="Region, HusholdType ('0000'), ContentsCode ('InntSkatt', 'AntallHushold') "
        "and Tid: verified in several public clients (v1 and v2 queries); the bydel and "
        "delområde code forms from janbrus/pxwebapi-skills (not checked against the live API).",
    ),
    "10826": TableSpec(
        "10826", "Alders- og kjønnsfordeling for befolkningen i bydeler (B)",
        "Population by sex and age in the city districts of Oslo, Bergen, Trondheim, Stavanger",
        ("Region", "Kjonn", "Alder", "ContentsCode", "Tid"), "bydel",
        "Region mixes city totals, bydeler, 'uoppgitt bydel' and historical bydeler; codes "
        "may carry a letter suffix (030101a), which area_id drops. Kjonn '1' menn, '2' kvinner; "
        "Alder '000'…'104' and '105+'.",
        verified="Variable ids and the Kjonn/Alder codes from a public v2 ingest of this table "
        "(README of an 'ssb-10826' source); the ContentsCode value was not verified (the "
        "helper selects '*'); that Kjonn and Alder can be eliminated was not verified.",
    ),
    "07459": TableSpec(
        "07459", "Alders- og kjønnsfordeling i kommuner, fylker og hele landets befolkning (K)",
        "Population by sex and age in kommuner, fylker and the whole country",
        ("Region", "Kjonn", "Alder", "ContentsCode", "Tid"), "kommune",
        "Region '0' is the whole country; Kjonn ('1', '2') and Alder ('000'…'104', '105+') "
        "may be eliminated (SSB sums). Use codelist agg_KommSummer for series that are "
        "consistent across kommune mergers.",
        contents="Personer1",
        verified="Region, Kjonn, Alder, ContentsCode 'Personer1', Tid and the elimination of "
        "Kjonn and Alder: verified in SSB's own v2 examples and several public clients.",
    ),
}

_RENAME = {
    "Tid": "year", "Kjonn": "sex", "Kjonn_label": "sex_label", "Alder": "age",
    "Alder_label": "age_label", "HusholdType": "household_type",
    "HusholdType_label": "household_type_label", "ContentsCode": "measure",
    "ContentsCode_label": "measure_label",
}


def _kommune(code: str | int) -> str:
    text = f"{code:04d}" if isinstance(code, int) else str(code).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise DataSourceError(
            f"kommune {code!r} is not a 4-digit kommunenummer. Fix: give it as a string "
            "with its leading zero, e.g. '0301' for Oslo"
        )
    return text


def _years(year: int | str | Sequence[int | str]) -> list[str]:
    items = [year] if isinstance(year, int | str) else list(year)
    return [str(y) for y in items]


def _tidy(df: pd.DataFrame, geo: str, spec: TableSpec) -> pd.DataFrame:
    """Rename SSB dimension columns to the project's names; area_id without letter suffix."""
    out = df.rename(columns={geo: "ssb_code", f"{geo}_label": "area_name", **_RENAME})
    out = out.drop(columns=["Tid_label"], errors="ignore")
    area = out["ssb_code"].str.replace(r"^(\d+)[a-z]+$", r"\1", regex=True)
    out.insert(0, "area_id", area)
    if out["year"].str.fullmatch(r"\d{4}").all():
        out["year"] = out["year"].astype("Int64")
    front = ["area_id", "area_name", "ssb_code"]
    out = out[front + [c for c in out.columns if c not in front]]
    out.attrs = {**df.attrs, "catalogue": spec.id, "note": spec.note}
    return out


def population_grunnkrets(kommune: str | int, year: int | str, **kw: Any) -> pd.DataFrame:
    """Population per grunnkrets of ``kommune`` (table 04317) for ``year`` (or e.g. 'top(1)').

    Selection: ``{"Grunnkretser": ["<kommune>*"], "ContentsCode": ["*"], "Tid": [year]}``.
    Columns ``area_id`` (8-digit grunnkrets), ``area_name``, ``ssb_code``, ``measure``,
    ``measure_label``, ``year``, ``value`` (persons), ``status``. Historical kretser come with
    status '.', and KKKK0000/KKKK9999 (not linked / unknown) are kept. ``kw`` go to
    ``fetch_table`` (``offline``, ``cache_dir``, ``client``, …).
    """
    spec = CATALOGUE["04317"]
    sel = {"Grunnkretser": [f"{_kommune(kommune)}*"], "ContentsCode": [spec.contents],
           "Tid": _years(year)}
    return _tidy(fetch_table(spec.id, sel, **kw), "Grunnkretser", spec)


def population_grunnkrets_age_sex(
    kommune: str | int, year: int | str, *, ages: Sequence[str] | str | None = "*",
    sexes: Sequence[str] | str | None = "*", **kw: Any,
) -> pd.DataFrame:
    """Population per grunnkrets of ``kommune`` by sex and age (table 04362).

    **SSB perturbs these counts**: every 1 and 2 is published as 0 or 3, so small cells are
    not exact and sums over kretser can differ from tables 04317/07459. Selection:
    ``{"Region": ["<kommune>*"], "Kjonn": sexes, "Alder": ages, "ContentsCode": ["*"],
    "Tid": [year]}``; pass ``ages=None`` or ``sexes=None`` to eliminate (sum over) them.
    Columns as ``population_grunnkrets`` plus ``sex``, ``sex_label``, ``age``, ``age_label``.
    """
    spec = CATALOGUE["04362"]
    sel: dict[str, Any] = {"Region": [f"{_kommune(kommune)}*"]}
    if sexes is not None:
        sel["Kjonn"] = sexes
    if ages is not None:
        sel["Alder"] = ages
    sel |= {"ContentsCode": [spec.contents], "Tid": _years(year)}
    return _tidy(fetch_table(spec.id, sel, **kw), "Region", spec)


def household_income(
    regions: Sequence[str] | str, year: int | str, *, household_type: Sequence[str] | str = "0000",
    measures: Sequence[str] | str = ("InntSkatt",), **kw: Any,
) -> pd.DataFrame:
    """Household income after tax (table 06944) for kommuner, bydeler or delområder.

    ``regions``: codes or expressions, e.g. ``["0301"]`` (kommune), ``["030101a"]`` (bydel),
    ``["03010900"]`` (delområde Majorstuen). ``household_type`` '0000' = all households;
    ``measures`` 'InntSkatt' (median income after tax, kr) and/or 'AntallHushold'. Columns
    ``area_id`` (bydel codes without the 'a'), ``area_name``, ``ssb_code``, ``household_type``,
    ``household_type_label``, ``measure``, ``measure_label``, ``year``, ``value``, ``status``.
    """
    spec = CATALOGUE["06944"]
    sel = {"Region": regions, "HusholdType": household_type, "ContentsCode": measures,
           "Tid": _years(year)}
    return _tidy(fetch_table(spec.id, sel, **kw), "Region", spec)


def population_bydel(
    kommune: str | int, year: int | str, *, by_age_sex: bool = False, **kw: Any,
) -> pd.DataFrame:
    """Population per bydel of Oslo (0301), Bergen (4601), Trondheim (5001) or Stavanger
    (1103) from table 10826; ``by_age_sex=True`` keeps Kjonn and Alder, else they are
    eliminated (summed by SSB). Selection: ``{"Region": ["<kommune>*"], "ContentsCode":
    ["*"], "Tid": [year]}`` (+ ``"Kjonn": ["*"], "Alder": ["*"]``)."""
    spec = CATALOGUE["10826"]
    sel: dict[str, Any] = {"Region": [f"{_kommune(kommune)}*"]}
    if by_age_sex:
        sel |= {"Kjonn": ["*"], "Alder": ["*"]}
    sel |= {"ContentsCode": [spec.contents], "Tid": _years(year)}
    return _tidy(fetch_table(spec.id, sel, **kw), "Region", spec)


def population_kommune(
    kommuner: Sequence[str | int] | str | int, year: int | str, *, by_sex: bool = False,
    by_age: bool = False, **kw: Any,
) -> pd.DataFrame:
    """Population of kommuner (table 07459, ContentsCode 'Personer1'), optionally by sex
    and/or single year of age (otherwise SSB sums over them). Selection: ``{"Region":
    kommuner, "ContentsCode": ["Personer1"], "Tid": [year]}`` (+ ``"Kjonn"``/``"Alder"``:
    ``["*"]``)."""
    spec = CATALOGUE["07459"]
    codes = [kommuner] if isinstance(kommuner, str | int) else list(kommuner)
    sel: dict[str, Any] = {"Region": [_kommune(k) for k in codes]}
    if by_sex:
        sel["Kjonn"] = ["*"]
    if by_age:
        sel["Alder"] = ["*"]
    sel |= {"ContentsCode": [spec.contents], "Tid": _years(year)}
    return _tidy(fetch_table(spec.id, sel, **kw), "Region", spec)
