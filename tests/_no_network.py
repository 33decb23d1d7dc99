"""Refuse network access beyond the loopback addresses (standard library only).

Used twice by ``conftest.py``: in the pytest process it refuses name look-ups of non-local hosts
(pytest-socket guards ``connect`` there), and in every Jupyter kernel that nbmake starts it guards
both look-ups and ``connect``, since a kernel is a separate process out of pytest-socket's reach.
Kernels talk to nbmake over ZMQ on 127.0.0.1 (C sockets, bound before this runs): unaffected.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path

#: Host names that always mean this machine.
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class NetworkBlockedError(RuntimeError):
    """A test (or a notebook under test) tried to reach a host that is not this machine."""


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None


def _clean(host: object) -> str | None:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return host.strip().strip("[]").lower() if isinstance(host, str) else None


def is_local(host: object) -> bool:
    """True for ``None`` (a wildcard bind), loopback names and loopback addresses (127/8, ::1)."""
    if host is None:
        return True
    host = _clean(host)
    if host is None:
        return False
    if host in LOCAL_NAMES or host in ("", "0.0.0.0", "::"):
        return True
    address = _literal(host)
    return address is not None and address.is_loopback


def needs_no_dns(host: object) -> bool:
    """True if looking ``host`` up sends nothing out: a local name or any address literal."""
    host_ = _clean(host)
    return is_local(host) or (host_ is not None and _literal(host_) is not None)


def install(*, guard_connect: bool = True,
            error: Callable[[str], BaseException] = NetworkBlockedError) -> Callable[[], None]:
    """Guard ``socket.getaddrinfo``/``gethostbyname`` (and ``connect`` unless told not to).

    A look-up of an address literal is let through (it sends nothing); ``connect`` then decides.

    Returns a function that restores the originals.
    """
    saved = {"getaddrinfo": socket.getaddrinfo, "gethostbyname": socket.gethostbyname,
             "gethostbyname_ex": socket.gethostbyname_ex}
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(what: str, host: object) -> BaseException:
        return error(f"A test tried to {what} {host!r}: tests reach only 127.0.0.1/localhost.")

    def lookup(name: str) -> Callable[..., object]:
        real = saved[name]

        def guarded(host, *args, **kwargs):
            if not needs_no_dns(host):
                raise refuse("look up", host)
            return real(host, *args, **kwargs)

        guarded.__name__ = f"guarded_{name}"
        return guarded

    def checked(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) \
                and not is_local(address[0]):
            sock.close()
            raise refuse("connect to", address[0])

    def guarded_connect(sock, address):
        checked(sock, address)
        return real_connect(sock, address)

    def guarded_connect_ex(sock, address):
        checked(sock, address)
        return real_connect_ex(sock, address)

    for name in saved:
        setattr(socket, name, lookup(name))
    if guard_connect:
        socket.socket.connect = guarded_connect
        socket.socket.connect_ex = guarded_connect_ex

    def uninstall() -> None:
        for name, real in saved.items():
            setattr(socket, name, real)
        if guard_connect:
            socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex

    return uninstall


def installed() -> bool:
    """True while the look-up guard is in place (checked before a test tries a blocked call)."""
    return getattr(socket.getaddrinfo, "__name__", "") == "guarded_getaddrinfo"


_STARTUP = """\
# Written by the soslokal test suite: kernels it starts reach only this machine.
import sys as _sys
_sys.path.insert(0, {tests!r})
import _no_network
_no_network.install()
_sys.path.remove({tests!r})
del _sys, _no_network
"""


def write_kernel_startup(ipython_dir: Path) -> Path:
    """Write an IPython startup file into ``ipython_dir`` that installs the guard in each kernel."""
    startup = Path(ipython_dir) / "profile_default" / "startup" / "00-no-network.py"
    startup.parent.mkdir(parents=True, exist_ok=True)
    startup.write_text(_STARTUP.format(tests=str(Path(__file__).resolve().parent)),
                       encoding="utf-8")
    return startup
