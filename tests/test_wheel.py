"""A wheel install (``pip install .``, not editable) works without the source tree.

The wheel is built from this checkout, installed with ``pip install --target`` into a temporary
folder and imported from there (``PYTHONPATH`` puts it ahead of the editable install) by a
process whose working folder lies outside the checkout. It must find the sample, the shipped
config and the notebooks as package data (:mod:`soslokal_lib._paths`) and make a report.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "01_stedskompasset.ipynb"
#: pip output meaning the build requirements could not be fetched (no network, no local index).
OFFLINE = re.compile(r"No matching distribution found|Could not find a version|"
                     r"Failed to establish a new connection|Temporary failure in name resolution|"
                     r"Network is unreachable|ProxyError|NewConnectionError", re.IGNORECASE)

pytestmark = pytest.mark.slow


def _no_isolation() -> bool:
    """Build with the venv's setuptools when it can read pyproject.toml (``license = "MIT"``
    needs setuptools ≥ 77, which also writes wheels itself); otherwise pip builds in an isolated
    environment with the build requirements from the configured index."""
    try:
        major = int(version("setuptools").split(".")[0])
    except (PackageNotFoundError, ValueError):
        return False
    return major >= 77


def _pip(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", *args, "--disable-pip-version-check"],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    isolation = ["--no-build-isolation"] if _no_isolation() else []
    built = _pip("wheel", "--no-deps", *isolation, "--wheel-dir", str(dist), str(ROOT), cwd=tmp)
    if built.returncode != 0:
        output = built.stdout + built.stderr
        if OFFLINE.search(output):
            pytest.skip("cannot build a wheel offline: pip found no setuptools>=69/wheel to "
                        "build with (give pip a local index or a newer setuptools in the venv)")
        pytest.fail(f"pip wheel failed:\n{output[-3000:]}")
    (wheel,) = dist.glob("soslokal-*.whl")
    target = tmp / "site"
    installed = _pip("install", "--no-deps", "--no-index", "--target", str(target), str(wheel),
                     cwd=tmp)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return target


def _run(site: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run Python in the folder above ``site`` (outside the checkout) with the wheel first."""
    env = {**os.environ, "PYTHONPATH": str(site), "MPLBACKEND": "Agg"}
    env.pop("PYTHONHOME", None)
    return subprocess.run([sys.executable, *args], cwd=site.parent, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_wheel_ships_the_package_data_and_loads_the_sample(site: Path):
    from soslokal_lib.io.sample import load_sample

    expected = len(load_sample().survey.responses)
    code = ("import soslokal_lib, soslokal_lib._paths as p;"
            "from soslokal_lib import load_sample;"
            "print(soslokal_lib.__file__);"
            "print(p.checkout_root());"
            "print(p.bundled('notebooks'));"
            "print(len(load_sample().survey.responses))")
    done = _run(site, "-c", code, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    module, root, notebooks, n = done.stdout.split("\n")[:4]
    assert Path(module).resolve().is_relative_to(site.resolve())  # the wheel, not the checkout
    assert root == "None"
    assert Path(notebooks).resolve().is_relative_to(site.resolve())
    assert (Path(notebooks) / NOTEBOOK).is_file()
    assert int(n) == expected and expected > 0


def test_wheel_makes_a_report_outside_the_checkout(site: Path):
    out = site.parent / "rapport"
    done = _run(site, "-m", "soslokal_lib.app.cli", "report", "--out", str(out),
                "--notebook", NOTEBOOK, "--quiet")
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    printed = {Path(line) for line in done.stdout.splitlines() if line.strip()}
    pages = {"01_stedskompasset.html", "politisk_verksted.html"}
    for name in pages:
        page = out / name
        assert page in printed and page.is_file(), sorted(p.name for p in out.iterdir())
        assert "Fjordvik" in page.read_text(encoding="utf-8")
    assert (out / "tabeller.xlsx").is_file()
    assert not any(str(ROOT) in p.read_text(encoding="utf-8", errors="ignore")
                   for p in out.glob("*.html"))  # nothing points into the checkout
