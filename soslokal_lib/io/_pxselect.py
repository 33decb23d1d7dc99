"""SSB selections and table metadata: normalising, expanding expressions, explaining errors.

Private helper of :mod:`soslokal_lib.io.ssb` (see ``_pxweb`` for the HTTP side).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from soslokal_lib.errors import DataSourceError

_EXPR = re.compile(r"^\[?\s*(top|bottom|from|to|range)\s*\((.*)\)\s*\]?$", re.IGNORECASE)


# ----------------------------------------------------------------------------- selections
@dataclass(frozen=True)
class VarSelection:
    """The selection for one variable, as sent to PxWebApi v2."""

    codes: tuple[str, ...]
    codelist: str | None = None
    output_values: str | None = None

    def body(self, variable: str) -> dict:
        out: dict[str, Any] = {"variableCode": variable, "valueCodes": list(self.codes)}
        if self.codelist:
            out["codelist"] = self.codelist
        if self.output_values:
            out["outputValues"] = self.output_values
        return out


def normalise_selection(selection: Mapping[str, Any]) -> dict[str, VarSelection]:
    """Selection dict → ``{variable: VarSelection}``; codes as strings, duplicates dropped.

    A value may be a list of codes/expressions, one string (one code or expression, never split
    on commas since ``range(a,b)`` holds one), an int, or a dict with ``valueCodes`` and optional
    ``codelist`` / ``outputValues``. Duplicates are dropped because SSB answers a repeated code
    with an empty HTTP 500.
    """
    if not isinstance(selection, Mapping):
        raise DataSourceError(
            f"selection must be a dict variableCode → list of codes, not {type(selection).__name__}"
        )
    out: dict[str, VarSelection] = {}
    for var, spec in selection.items():
        codelist = output = None
        if isinstance(spec, Mapping):
            codelist, output = spec.get("codelist"), spec.get("outputValues")
            spec = spec.get("valueCodes", [])
        items = [spec] if isinstance(spec, str | int) else list(spec)
        codes = tuple(dict.fromkeys(str(c).strip() for c in items))
        if not codes or any(c == "" for c in codes):
            raise DataSourceError(
                f"selection for {var!r} is empty; give codes, an expression such as '*' or "
                "'top(1)', or leave the variable out to eliminate it"
            )
        out[str(var)] = VarSelection(codes, codelist, output)
    return out


def selection_body(sel: Mapping[str, VarSelection]) -> dict:
    return {"selection": [vs.body(var) for var, vs in sel.items()]}


def canonical(sel: Mapping[str, VarSelection]) -> str:
    """Canonical JSON of a selection (sorted variables) for cache keys and messages."""
    return json.dumps(
        {var: vs.body(var) for var, vs in sorted(sel.items())},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )


def describe(sel: Mapping[str, VarSelection]) -> str:
    parts = []
    for var, vs in sel.items():
        codes = list(vs.codes)
        shown = codes if len(codes) <= 4 else [*codes[:3], f"… {len(codes) - 3} more"]
        parts.append(f"{var}={shown}" + (f" (codelist {vs.codelist})" if vs.codelist else ""))
    return "{" + ", ".join(parts) + "}"


def is_expression(item: str) -> bool:
    return "*" in item or "?" in item or bool(_EXPR.match(item))


def _wildcard(item: str, codes: list[str]) -> list[str]:
    pattern = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in item)
    rx = re.compile(pattern, re.IGNORECASE | re.DOTALL)
    return [c for c in codes if rx.fullmatch(c)]


def expand(item: str, codes: list[str], *, time: bool = False) -> list[str]:
    """Codes of one variable matched by one selection item (a code or an expression).

    ``*`` and ``?`` mask any run / one character; ``top(n[,offset])`` takes the first ``n``
    values (for a time variable the latest ``n``), ``bottom`` the opposite; ``from(x)`` and
    ``to(x)`` run to the end / from the start inclusive; ``range(a,b)`` (optionally in square
    brackets) from ``a`` to ``b``. Codes compare case-insensitively, as PxWebApi does.
    """
    lower = [c.lower() for c in codes]
    m = _EXPR.match(item)
    if m is None:
        if "*" in item or "?" in item:
            return _wildcard(item, codes)
        return [codes[lower.index(item.lower())]] if item.lower() in lower else []
    kind, args = m.group(1).lower(), [a.strip() for a in m.group(2).split(",")]

    def pos(code: str) -> int | None:
        return lower.index(code.lower()) if code.lower() in lower else None

    if kind in ("top", "bottom"):
        try:
            n, off = int(args[0]), int(args[1]) if len(args) > 1 and args[1] else 0
        except ValueError:
            return []
        from_end = (kind == "top") == time
        ordered = codes[::-1] if from_end else codes
        picked = set(ordered[off:off + n])
        return [c for c in codes if c in picked]
    if kind == "from":
        p = pos(args[0])
        return [] if p is None else codes[p:]
    if kind == "to":
        p = pos(args[0])
        return [] if p is None else codes[: p + 1]
    if len(args) != 2:
        return []
    a, b = pos(args[0]), pos(args[1])
    return [] if a is None or b is None else codes[min(a, b): max(a, b) + 1]


# ----------------------------------------------------------------------------- metadata
@dataclass(frozen=True)
class Variable:
    """One variable of an SSB table, from its metadata."""

    code: str
    label: str
    values: tuple[str, ...]
    labels: tuple[str, ...]
    elimination: bool
    role: str | None = None
    codelists: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableMetadata:
    """Variables, value codes and elimination flags of an SSB table (``table_metadata``)."""

    table_id: str
    title: str
    updated: str | None
    variables: dict[str, Variable]
    notes: tuple[str, ...] = ()
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    def variable(self, name: str) -> Variable | None:
        """The variable called ``name`` (case-insensitive), or None."""
        by_lower = {k.lower(): v for k, v in self.variables.items()}
        return by_lower.get(name.lower())

    def frame(self):
        """Long frame: variable, variable_label, code, label, elimination, role."""
        import pandas as pd

        rows = [
            (v.code, v.label, c, lab, v.elimination, v.role)
            for v in self.variables.values()
            for c, lab in zip(v.values, v.labels, strict=True)
        ]
        cols = ["variable", "variable_label", "code", "label", "elimination", "role"]
        return pd.DataFrame(rows, columns=cols)


def parse_metadata(doc: Mapping, table_id: str) -> TableMetadata:
    """Read a PxWebApi v2 metadata document (JSON-stat 2.0 without values)."""
    name = f"SSB metadata for table {table_id}"
    ids, dims = doc.get("id"), doc.get("dimension")
    if not isinstance(ids, list) or not isinstance(dims, Mapping):
        raise DataSourceError(f"{name}: not JSON-stat metadata (no 'id' list or 'dimension')")
    roles = {d: r for r, ds in (doc.get("role") or {}).items() for d in ds}
    variables = {}
    for d in ids:
        dim = dims.get(d)
        if not isinstance(dim, Mapping) or not isinstance(dim.get("category"), Mapping):
            raise DataSourceError(f"{name}: dimension {d!r} has no 'category'")
        cat = dim["category"]
        index, labels = cat.get("index"), cat.get("label") or {}
        if isinstance(index, Mapping):
            codes = sorted(index, key=lambda c: index[c])
        elif isinstance(index, list):
            codes = [str(c) for c in index]
        else:
            codes = list(labels)
        ext = dim.get("extension") or {}
        elim = ext.get("elimination")
        variables[str(d)] = Variable(
            code=str(d),
            label=str(dim.get("label", d)),
            values=tuple(codes),
            labels=tuple(str(labels.get(c, c)) for c in codes),
            # time and contents variables can never be eliminated; others only when flagged
            elimination=bool(elim) and roles.get(d) not in ("time", "metric"),
            role=roles.get(d),
            codelists=tuple(cl.get("id", "") for cl in ext.get("codelists") or []),
        )
    return TableMetadata(
        table_id=str(table_id),
        title=str(doc.get("label") or table_id),
        updated=doc.get("updated"),
        variables=variables,
        notes=tuple(doc.get("note") or ()),
        raw=dict(doc),
    )


def check_variables(meta: TableMetadata, sel: Mapping[str, VarSelection]) -> str:
    """Explain an unknown or a missing mandatory variable; empty string when all is well."""
    unknown = [v for v in sel if meta.variable(v) is None]
    if unknown:
        return (f"Table {meta.table_id} has no variable {unknown[0]!r}. Its variables are "
                f"{list(meta.variables)}. Fix: use those codes as selection keys")
    chosen = {v.lower() for v in sel}
    for var in meta.variables.values():
        if var.code.lower() not in chosen and not var.elimination:
            example = _example(var)
            return (f"Variable {var.code!r} ({var.label}) cannot be eliminated in table "
                    f"{meta.table_id}: you must select its values. Fix: add e.g. "
                    f"{{{var.code!r}: {example!r}}} to the selection")
    return ""


def check_codelists(meta: TableMetadata, sel: Mapping[str, VarSelection]) -> str:
    """Explain a codelist id a variable does not offer; empty string when none is found."""
    for var, vs in sel.items():
        info = meta.variable(var)
        if info is not None and vs.codelist and vs.codelist not in info.codelists:
            return (f"Variable {info.code!r} has no codelist {vs.codelist!r} (ids are "
                    f"case-sensitive); it offers {list(info.codelists)}")
    return ""


def _example(var: Variable) -> list[str]:
    if var.role == "time":
        return ["top(1)"]
    if var.role == "metric" or len(var.values) <= 3:
        return ["*"]
    first = var.values[0]
    return [f"{first[:4]}*"] if len(first) > 4 and first[:4].isdigit() else [first]


def check_values(meta: TableMetadata, sel: Mapping[str, VarSelection]) -> str:
    """Explain value codes a table does not have; empty string when none is found."""
    for var, vs in sel.items():
        info = meta.variable(var)
        if info is None or vs.codelist:
            continue
        codes = list(info.values)
        bad = [c for c in vs.codes
               if not expand(c, codes, time=info.role == "time")]
        if not bad:
            continue
        close = difflib.get_close_matches(bad[0], codes, n=3, cutoff=0.6)
        hint = f" Close matches: {close}." if close else ""
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        return (f"Variable {info.code!r} ({info.label}) has no value {bad[0]!r}{more}; it has "
                f"{len(codes)} values such as {codes[:3]}.{hint} Fix: look the codes up with "
                f"ssb.table_metadata({meta.table_id!r}).frame()")
    return ""

