"""The suite cannot reach the network: only 127.0.0.1/localhost/::1 (see conftest.py).

Each test checks first that the guard is in place, so that a broken guard fails the test
instead of sending traffic. 192.0.2.1 is TEST-NET-1 (RFC 5737), an address for documentation.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import _no_network
import nbformat
import pytest
import pytest_socket
import requests
from nbclient import NotebookClient

OUTSIDE = "192.0.2.1"


def _assert_guarded() -> None:
    assert socket.socket.connect is not pytest_socket._true_connect, "pytest-socket is not active"
    assert _no_network.installed(), "the name look-up guard is not active"


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_request_to_an_outside_address_is_blocked():
    _assert_guarded()
    with pytest.raises(pytest_socket.SocketConnectBlockedError, match=OUTSIDE):
        requests.get(f"http://{OUTSIDE}/", timeout=1)
    with pytest.raises(pytest_socket.SocketConnectBlockedError):
        socket.create_connection((OUTSIDE, 443), timeout=1)


def test_looking_up_an_outside_name_is_blocked():
    _assert_guarded()
    with pytest.raises(_no_network.NetworkBlockedError, match="data.ssb.no"):
        requests.get("https://data.ssb.no/api/pxwebapi/v2/tables", timeout=1)
    with pytest.raises(_no_network.NetworkBlockedError):
        socket.gethostbyname("example.org")


def test_local_server_is_reachable():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        for host in ("127.0.0.1", "localhost"):
            assert requests.get(f"http://{host}:{port}/", timeout=5).text == "ok"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("host, local", [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("LOCALHOST", True), (None, True), (b"localhost", True),
    ("192.0.2.1", False), ("10.0.0.1", False), ("data.ssb.no", False), ("localhost.evil.no", False),
    (42, False),
])
def test_is_local(host, local):
    assert _no_network.is_local(host) is local
    # looking up an address literal sends nothing; a name other than localhost would
    assert _no_network.needs_no_dns(host) is (local or host in ("192.0.2.1", "10.0.0.1"))


@pytest.mark.slow
def test_notebook_kernels_are_blocked_too():
    """A kernel started as nbmake starts it refuses outside connects and look-ups."""
    code = f"""
import socket
assert socket.socket.connect.__name__ == "guarded_connect", "no guard in the kernel"
outcome = []
for call in (lambda: socket.create_connection(({OUTSIDE!r}, 80), timeout=1),
             lambda: socket.getaddrinfo("data.ssb.no", 443)):
    try:
        call()
        outcome.append("reached")
    except RuntimeError as err:
        outcome.append(type(err).__name__)
print(outcome)
"""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert text.strip() == "['NetworkBlockedError', 'NetworkBlockedError']"
