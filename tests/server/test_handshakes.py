"""TLS handshakes run off the accept path, each within its deadline: an idle socket delays no one.

On werkzeug's development server the handshake ran on the one accept thread without a timeout, so
one TCP connection that sent nothing froze an HTTPS server for everyone until it closed.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable
from typing import Any

import requests

from harness.server import serve_in_thread

from .conftest import QUICK, Pki, hello, open_socket, read_all


def test_idle_tcp_connections_do_not_delay_an_https_request(
    tls: Callable[..., Any], pki: Pki, sockets: list[socket.socket]
) -> None:
    with serve_in_thread(hello, tls=tls()) as server:
        sockets.extend(open_socket(server.port) for _ in range(5))  # connected, not one TLS byte sent
        time.sleep(0.2)  # the server has accepted them by now
        started = time.perf_counter()
        answer = requests.get(f"{server.base_url}/", verify=str(pki.ca.cert), timeout=5)
        elapsed = time.perf_counter() - started
    assert answer.status_code == 200 and answer.text == "hello GET 0"
    assert elapsed < 2.0


def test_a_handshake_that_never_completes_is_dropped_after_its_deadline(
    tls: Callable[..., Any], sockets: list[socket.socket]
) -> None:
    with serve_in_thread(hello, tls=tls(), limits=QUICK) as server:
        idle = open_socket(server.port)
        sockets.append(idle)
        started = time.perf_counter()
        assert read_all(idle, timeout=8) == b""  # closed by the server, nothing said
        assert time.perf_counter() - started < QUICK.handshake_timeout_s + 1.5


def test_a_client_that_speaks_plain_http_to_the_tls_port_is_refused_and_the_server_keeps_serving(
    tls: Callable[..., Any], pki: Pki, sockets: list[socket.socket]
) -> None:
    with serve_in_thread(hello, tls=tls()) as server:
        plain = open_socket(server.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        sockets.append(plain)
        assert b"hello" not in read_all(plain, timeout=5)
        context = ssl.create_default_context(cafile=str(pki.ca.cert))
        with (
            socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname="localhost") as client,
        ):
            client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert read_all(client).endswith(b"hello GET 0")
