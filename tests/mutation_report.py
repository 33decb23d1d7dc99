"""Summarise a mutmut run (``make mutate``): kill rate per module and the surviving mutants.

Reads mutmut's result files under ``mutants/`` and writes ``mutants/report.txt``: per module
the mutants checked, killed, survived, timed out and without tests, the kill rate (killed and
timed out over checked), the same without mutants that change only the wording of an error
message or warning (a test pins the message's facts, not every word), and each survivor's diff.

Usage: ``python tests/mutation_report.py [MUTANT-GLOB ...]`` from the repository root (the
globs restrict the report to the mutants ``make mutate`` ran).
"""

from __future__ import annotations

import ast
import difflib
import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
STATUS = {1: "killed", 3: "killed", 0: "survived", 33: "no tests", 34: "skipped", 36: "timeout",
          24: "timeout", -24: "timeout", 37: "caught by type check", -11: "segfault",
          -9: "killed by memory"}


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    """Top-level functions and class methods, by mutmut's mangled name (x_f, xǁClassǁm)."""
    found: dict[str, ast.FunctionDef] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[f"x_{node.name}"] = node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    found[f"xǁ{node.name}ǁ{item.name}"] = item
    return found


def _message_lines(tree: ast.Module) -> set[int]:
    """Lines inside a ``raise`` or a ``warn(...)`` call: the text of errors and warnings."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        is_warn = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
                   and getattr(node.func, "attr", getattr(node.func, "id", "")) == "warn")
        if isinstance(node, ast.Raise) or is_warn:
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def _mutant_sources(mutated: str) -> dict[str, str]:
    """Each mutant function's source (mutmut's trampolined copy of the module)."""
    lines = mutated.splitlines()
    found = {}
    for node in ast.walk(ast.parse(mutated)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in node.name:
            found[node.name] = "\n".join(lines[node.lineno - 1:node.end_lineno])
    return found


def _diff(original: str, mutant: str) -> tuple[list[int], list[str]]:
    """Changed line offsets (in the original function) and the diff lines."""
    a, b = original.splitlines(), mutant.splitlines()
    offsets: list[int] = []
    text: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if tag == "equal":
            continue
        offsets.extend(range(i1, max(i2, i1 + 1)))
        text += [f"- {line.strip()}" for line in a[i1:i2]] + [f"+ {line.strip()}" for line in b[j1:j2]]
    return offsets, text


def main(patterns: list[str]) -> int:
    metas = sorted(MUTANTS.rglob("*.py.meta"))
    if not metas:
        print("no mutmut results under mutants/: run `make mutate` first")
        return 1
    out: list[str] = []
    totals: Counter[str] = Counter()
    for meta in metas:
        rel = meta.relative_to(MUTANTS).with_suffix("")  # soslokal_lib/x.py
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        codes = {k: v for k, v in codes.items() if v is not None
                 and (not patterns or any(fnmatch.fnmatch(k, p) for p in patterns))}
        if not codes:
            continue
        source = (ROOT / rel).read_text(encoding="utf-8")
        tree = ast.parse(source)
        functions, messages = _functions(tree), _message_lines(tree)
        mutated = _mutant_sources((MUTANTS / rel).read_text(encoding="utf-8"))
        status = Counter(STATUS.get(v, f"exit {v}") for v in codes.values())
        survivors, wording = [], 0
        for key in sorted(k for k, v in codes.items() if STATUS.get(v) == "survived"):
            local = key.rsplit(".", 1)[1]
            base = local.rsplit("__mutmut_", 1)[0]
            node = functions.get(base)
            orig = mutated.get(f"{base}__mutmut_orig", "").replace(f"{base}__mutmut_orig", local)
            offsets, text = _diff(orig, mutated.get(local, ""))
            lines = [node.lineno + o for o in offsets] if node else []
            only_wording = bool(lines) and all(line in messages for line in lines)
            wording += only_wording
            where = f"{rel}:{lines[0]}" if lines else str(rel)
            survivors.append(f"  {key.rsplit('.', 1)[1]}  ({where}{', message' if only_wording else ''})")
            survivors += [f"      {t}" for t in text]
        checked = sum(status.values()) - status["no tests"] - status["skipped"]
        caught = status["killed"] + status["timeout"] + status["caught by type check"]
        rate = caught / checked if checked else float("nan")
        rest = checked - wording
        rate_behaviour = caught / rest if rest else float("nan")
        totals.update(status)
        totals["wording"] += wording
        out.append(f"{rel}: {checked} checked, {status['killed']} killed, "
                   f"{status['survived']} survived ({wording} only in message wording), "
                   f"{status['timeout']} timed out, {status['no tests']} without tests; "
                   f"kill rate {rate:.1%}, {rate_behaviour:.1%} without message-wording mutants")
        out += survivors
    checked = sum(totals.values()) - totals["wording"] - totals["no tests"] - totals["skipped"]
    caught = totals["killed"] + totals["timeout"] + totals["caught by type check"]
    summary = (f"ALL: {checked} checked, kill rate {caught / checked:.1%}, "
               f"{caught / (checked - totals['wording']):.1%} without message-wording mutants")
    report = "\n".join([summary, *out, ""])
    (MUTANTS / "report.txt").write_text(report, encoding="utf-8")
    print("\n".join([summary, *(line for line in out if not line.startswith(" "))]))
    print(f"surviving mutants: {MUTANTS / 'report.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
