"""Suite-wide guard: no test reaches the network, only this machine (127.0.0.1, localhost, ::1).

* Sockets: pytest-socket (``--disable-socket --allow-hosts=…`` in ``pyproject.toml``) lets a test
  ``connect`` only to the loopback addresses, so the fake SSB server (``test_ssb.py``) and the
  browser tests' local Jupyter/Voilà servers work and nothing else does.
* Name look-ups (a DNS query is traffic too): refused for every non-local name for the whole
  session, collection and fixtures included (:mod:`_no_network`).
* Jupyter kernels (nbmake's notebooks, the browser tests' servers) are separate processes out of
  pytest-socket's reach: an IPython startup file in ``IPYTHONDIR`` installs the same guard,
  ``connect`` included, in every kernel (:func:`_no_network.write_kernel_startup`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import _no_network
import pytest
from hypothesis import settings

_STATE = pytest.StashKey[dict]()


def pytest_configure(config: pytest.Config) -> None:
    state = {"uninstall": _no_network.install(guard_connect=False),
             "previous": os.environ.get("IPYTHONDIR"),
             "dir": Path(tempfile.mkdtemp(prefix="soslokal-ipython-"))}
    _no_network.write_kernel_startup(state["dir"])
    os.environ["IPYTHONDIR"] = str(state["dir"])
    config.stash[_STATE] = state


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    state["uninstall"]()
    if state["previous"] is None:
        os.environ.pop("IPYTHONDIR", None)
    else:
        os.environ["IPYTHONDIR"] = state["previous"]
    shutil.rmtree(state["dir"], ignore_errors=True)


# Mutation runs (make mutate) must see the same examples for every mutant: no random draws and
# no example database shared between runs.
settings.register_profile("mutation", derandomize=True, database=None, print_blob=False)
