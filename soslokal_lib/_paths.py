"""Where the files shipped with soslokal live: notebooks, dashboard, configs and the sample.

A wheel install carries them as package data (``soslokal_lib/notebooks``, ``…/dashboard``,
``…/configs``, ``…/data/sample``, so that the config's ``../data/sample`` paths hold in both
layouts; see ``[tool.setuptools.package-dir]`` in ``pyproject.toml``) and
they are found through :mod:`importlib`. A source checkout (``make``, an editable install or
``PYTHONPATH``) has them at the top of the repository (``notebooks/``, ``dashboard/``,
``configs/``, ``data/sample/``), where users edit them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

#: Bundled folder → its place in a source checkout, relative to the repository root.
_CHECKOUT = {
    "notebooks": "notebooks",
    "dashboard": "dashboard",
    "configs": "configs",
    "sample": "data/sample",
}
#: Bundled folder → its package in a wheel install.
_PACKAGE = {"notebooks": "notebooks", "dashboard": "dashboard", "configs": "configs",
            "sample": "data.sample"}


def checkout_root() -> Path | None:
    """The repository root when soslokal runs from a source checkout, else ``None``."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def bundled(name: str) -> Path:
    """The folder ``name`` (``notebooks``, ``dashboard``, ``configs`` or ``sample``)."""
    if name not in _CHECKOUT:
        raise ValueError(f"unknown bundled folder {name!r}; known: {', '.join(_CHECKOUT)}")
    root = checkout_root()
    if root is not None:
        return root / _CHECKOUT[name]
    spec = importlib.util.find_spec(f"soslokal_lib.{_PACKAGE[name]}")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"soslokal's {name} folder is missing from this installation; "
            "reinstall soslokal (pip install --force-reinstall soslokal)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def default_data_dir() -> Path:
    """Where a notebook run on its own writes files: ``build/data`` of the checkout, else of
    the current folder."""
    return (checkout_root() or Path.cwd()) / "build" / "data"
