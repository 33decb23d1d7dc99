"""The package's layers point one way and hold no import cycles (read with ``ast``, no imports).

Layers, lowest first; a module may import from its own layer and the ones below it. Imports
inside functions count like any other: they only hide a cycle, they do not remove it.
See the package map in README.md («Development»).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "soslokal_lib"
MAX_LINES = 800

#: Layer of each top-level name of soslokal_lib (module or package), lowest first.
LAYERS: list[tuple[str, set[str]]] = [
    ("core", {"errors", "_messages", "_messages_app", "_messages_io", "_messages_rounds", "_messages_zones", "_messages_headers", "_paths", "_files",
              "themes", "framework", "survey",
              "indicator_registry",
              "privacy", "_suppression", "_exact", "_counts", "geo", "zones", "numformat"}),
    ("text", {"text"}),
    ("io", {"io"}),
    ("stats", {"stats"}),
    ("indicators", {"indicators"}),
    ("plot", {"plot"}),
    ("app", {"app"}),
]
RANK = {top: rank for rank, (_, tops) in enumerate(LAYERS) for top in tops}
LAYER_NAME = {top: name for name, tops in LAYERS for top in tops}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> tuple[set[str], int]:
    """The soslokal_lib modules ``name`` imports, and how many imports sit inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner = {id(node) for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
             for node in ast.walk(fn) if isinstance(node, ast.Import | ast.ImportFrom)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets, in_functions = set(), 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            subs = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES]
            # «from package import submodule» depends on the submodule only
            found = subs if len(subs) == len(node.names) else [base, *subs]
        else:
            continue
        for target in found:
            while target not in MODULES and "." in target:
                target = target.rpartition(".")[0]
            if target in MODULES and target != name and target.startswith("soslokal_lib"):
                targets.add(target)
                in_functions += id(node) in inner
    return targets, in_functions


GRAPH = {name: _imports(name, path)[0] for name, path in MODULES.items()}


def _top(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        result.append(sorted(component))
    return result


def test_every_module_has_a_layer():
    tops = {_top(name) for name in MODULES} - {None}
    assert tops <= set(RANK), f"give these a layer in LAYERS: {sorted(tops - set(RANK))}"


def test_no_import_cycles():
    assert _cycles(GRAPH) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_a_higher_layer():
    upward = sorted(
        f"{name} ({LAYER_NAME[_top(name)]}) imports {target} ({LAYER_NAME[_top(target)]})"
        for name, targets in GRAPH.items() if _top(name)
        for target in targets if _top(target) and RANK[_top(target)] > RANK[_top(name)]
    )
    assert upward == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_short(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(ROOT)} has {lines} lines; split it"


def test_wheel_lists_every_package():
    """pyproject.toml lists the packages by hand (for the package-dir mapping of the shipped
    notebooks and sample); a new subpackage must be added there or a wheel install lacks it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert packages <= listed, f"add to [tool.setuptools] packages: {sorted(packages - listed)}"
