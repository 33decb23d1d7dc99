"""Read how a kommune's grunnkretser make up its own zones: a crosswalk CSV (grunnkrets → zone)
or grunnkrets polygons laid over the zone polygons of ``[areas]``
(:mod:`soslokal_lib.zones` does the assignment; :func:`soslokal_lib.io.inputs.load_socio_tables`
calls :func:`zone_assignment`).

The crosswalk has one row per grunnkrets: a grunnkrets column (``grunnkrets``,
``grunnkretsnummer``, ``area_id``; else the first column), a zone column (``sone``, ``zone``,
``levekarssone``, ``delomrade``; else the second), optionally ``sone_navn`` and a division
``year``. Zones may be given by code or by name of the ``[areas]`` file.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from soslokal_lib._messages import msg
from soslokal_lib.errors import DataSourceError, Problem, raise_problems
from soslokal_lib.zones import SPLIT_SHARE, ZoneAssignment, assign_by_crosswalk, assign_by_polygons

_CODE = ("grunnkrets", "grunnkretsnummer", "grunnkretsnr", "area_id", "grunnkretskode")
_ZONE = ("sone", "zone", "levekarssone", "levekårssone", "sonenummer", "delomrade", "delområde",
         "nabolag", "zone_id", "parent_id")
_NAME = ("sone_navn", "sonenavn", "zone_name", "navn", "name")
_YEAR = ("year", "år", "aar", "inndelingsar", "inndelingsår")
_ROW0 = 2  # header = row 1


def read_crosswalk(path: str | Path, areas: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The crosswalk at ``path`` as ``area_id`` (grunnkrets), ``zone``, ``row`` (its row in the
    file) and ``zone_name``/``year`` when given. ``areas``: zone name or code → ``area_id`` of
    the kommune's areas (:class:`~soslokal_lib.io.inputs.AreaCodes`); names are turned into
    codes, unknown zones are an error. Raises :class:`DataSourceError` naming every bad row
    and its fix: a code that is not 8 digits, a grunnkrets given two zones, a missing zone, an
    unknown year."""
    path = Path(path)
    try:
        raw_bytes = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise DataSourceError(msg("crosswalk.not_found", path=path)) from None
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw_bytes.decode("cp1252", errors="replace")
    header = text.split("\n", 1)[0]
    sep = max((";", ",", "\t"), key=header.count)
    raw = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    raw.columns = [str(c).strip() for c in raw.columns]
    norm = {c.casefold().replace(" ", "_"): c for c in raw.columns}

    def pick(names: tuple[str, ...], fallback: int | None) -> str | None:
        for name in names:
            if name in norm:
                return norm[name]
        return raw.columns[fallback] if fallback is not None and raw.shape[1] > fallback else None

    code_col, zone_col = pick(_CODE, 0), pick(_ZONE, 1)
    if code_col is None or zone_col is None or code_col == zone_col:
        raise_problems(DataSourceError, path, [Problem(
            msg("crosswalk.columns", columns=", ".join(map(repr, raw.columns))), row=1,
            fix=msg("crosswalk.columns.fix"))])
    name_col, year_col = pick(_NAME, None), pick(_YEAR, None)
    cells = raw.apply(lambda s: s.str.strip())
    cells = cells[(cells != "").any(axis=1)]
    rows = cells.index.to_series() + _ROW0
    codes = cells[code_col]
    codes = codes.where(~codes.str.fullmatch(r"\d{7}"), codes.str.zfill(8))
    zones = cells[zone_col]
    problems = [Problem(msg("crosswalk.width"), row=int(r), column=code_col, value=v,
                        fix=msg("crosswalk.width.fix"))
                for r, v in zip(rows[~codes.str.fullmatch(r"\d{8}")],
                                codes[~codes.str.fullmatch(r"\d{8}")], strict=True)]
    problems += [Problem(msg("crosswalk.blank_zone"), row=int(r), column=zone_col, value=c,
                         fix=msg("crosswalk.blank_zone.fix"))
                 for r, c in zip(rows[zones == ""], codes[zones == ""], strict=True)]
    if year_col is not None:
        years = cells[year_col]
        now = _dt.date.today().year
        ok = years.str.fullmatch(r"\d{4}") & years.where(years.str.fullmatch(r"\d{4}"),
                                                         "0").astype(int).between(1980, now + 1)
        ok &= years == (years[ok].mode().iloc[0] if ok.any() else "")
        problems += [Problem(msg("crosswalk.year"), row=int(r), column=year_col, value=v,
                             fix=msg("crosswalk.year.fix"))
                     for r, v in zip(rows[~ok], years[~ok], strict=True)]
    if areas is not None:
        known = zones.map(lambda z: areas.get(z, areas.get(z.casefold())) if z else z)
        lookup = {str(k).casefold(): v for k, v in areas.items()}
        known = known.where(known.notna(), zones.str.casefold().map(lookup))
        unknown = known.isna() & (zones != "")
        shown = ", ".join(sorted(set(areas.values()))[:8])
        problems += [Problem(msg("crosswalk.unknown_zone", areas=shown), row=int(r),
                             column=zone_col, value=v, fix=msg("crosswalk.unknown_zone.fix"))
                     for r, v in zip(rows[unknown], zones[unknown], strict=True)]
        zones = known.where(known.notna(), zones)
    seen: dict[str, tuple[str, int]] = {}
    for code, zone, row in zip(codes, zones, rows, strict=True):
        if code in seen and seen[code][0] != zone and zone:
            problems.append(Problem(msg("crosswalk.two_zones", first=seen[code][0],
                                        row=seen[code][1], second=zone),
                                    row=int(row), column=code_col, value=code,
                                    fix=msg("crosswalk.two_zones.fix")))
        seen.setdefault(code, (zone, int(row)))
    raise_problems(DataSourceError, path, problems)
    out = pd.DataFrame({"area_id": codes.to_numpy(), "zone": zones.to_numpy(),
                        "row": rows.to_numpy()})
    if name_col is not None:
        out["zone_name"] = cells[name_col].to_numpy()
    if year_col is not None:
        out["year"] = cells[year_col].astype(int).to_numpy()
    return out.drop_duplicates("area_id").reset_index(drop=True)


def check_division(path: Path, codes: Iterable[str], other: Iterable[str], name: str) -> None:
    """Raise :class:`DataSourceError` when fewer than half the register's grunnkrets ``codes``
    (from ``path``) are among ``other`` (the codes of the file ``name``) and their kommune
    numbers differ: the two belong to different division years (``recode_grunnkrets``)."""
    codes, other = set(map(str, codes)), set(map(str, other))
    found = len(codes & other)
    if not codes or found * 2 >= len(codes):
        return
    mine, theirs = {c[:4] for c in codes}, {c[:4] for c in other}
    if mine == theirs and found:
        return
    raise DataSourceError(msg("zones.other_year", path=path, other=name, found=found,
                              n=len(codes), register=", ".join(sorted(mine)[:4]),
                              theirs=", ".join(sorted(theirs)[:4])))


def zone_assignment(
    socio_path: Path,
    codes: Iterable[str],
    areas: Any,
    *,
    crosswalk_path: str | Path | None = None,
    grunnkretser: Any = None,
    grunnkrets_name: str = "",
    split_share: float = SPLIT_SHARE,
    area_codes: Mapping[str, str] | None = None,
) -> ZoneAssignment:
    """The :class:`ZoneAssignment` of the register's grunnkretser (``codes``, read from
    ``socio_path``) to ``areas`` (the kommune's zones, a GeoDataFrame or ``None``), by the
    crosswalk at ``crosswalk_path`` or by ``grunnkretser`` polygons (read from the file
    ``grunnkrets_name``)."""
    codes = [str(c) for c in codes]
    if areas is None:
        raise DataSourceError(msg("zones.no_areas", path=crosswalk_path or grunnkrets_name))
    names = areas["area_name"].astype(str).to_dict() if "area_name" in areas.columns else {}
    if crosswalk_path is not None:
        table = read_crosswalk(crosswalk_path, area_codes)
        check_division(socio_path, codes, table["area_id"], Path(crosswalk_path).name)
        return assign_by_crosswalk(dict(zip(table["area_id"], table["zone"], strict=True)),
                                   codes, [str(a) for a in areas.index], names)
    check_division(socio_path, codes, grunnkretser.index.astype(str), grunnkrets_name)
    return assign_by_polygons(grunnkretser, areas, split_share=split_share, codes=codes)
