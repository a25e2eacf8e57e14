"""Deadlines for request headers, the body, and idle keep-alive connections: a slow client is
dropped, and everyone else is served meanwhile."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import requests

from harness.server import serve_in_thread

from .conftest import QUICK, hello, open_socket, read_all


def test_a_stalled_body_gets_408_while_other_clients_are_served(sockets: list[socket.socket]) -> None:
    limits = replace(QUICK, body_timeout_s=2.0)
    with serve_in_thread(hello, limits=limits) as server:
        head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
        stalled = open_socket(server.port, head + b"x" * 10)  # 990 bytes never come
        sockets.append(stalled)
        started = time.perf_counter()
        for _ in range(5):
            assert requests.post(f"{server.base_url}/", data=b"abc", timeout=2).text == "hello POST 3"
        assert time.perf_counter() - started < limits.body_timeout_s  # served while the body stalls
        answer = read_all(stalled, timeout=8)
        elapsed = time.perf_counter() - started
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert answer.endswith(b"408 Request Timeout: the request body did not arrive in time\n")
    assert elapsed < limits.body_timeout_s + 1.5


def test_request_headers_that_never_complete_close_the_connection(sockets: list[socket.socket]) -> None:
    with serve_in_thread(hello, limits=QUICK) as server:
        partial = open_socket(server.port, b"GET / HTTP/1.1\r\nHost: x\r\n")
        silent = open_socket(server.port)
        sockets.extend((partial, silent))
        started = time.perf_counter()
        assert read_all(partial, timeout=8) == b"" and read_all(silent, timeout=8) == b""
        assert time.perf_counter() - started < QUICK.header_timeout_s + 1.5


def test_headers_dribbled_byte_by_byte_do_not_extend_the_deadline(sockets: list[socket.socket]) -> None:
    with serve_in_thread(hello, limits=QUICK) as server:
        client = open_socket(server.port)
        sockets.append(client)
        started = time.perf_counter()
        closed_after = None
        for byte in b"GET / HTTP/1.1\r\nX-Slow: " + b"a" * 60:
            try:
                client.sendall(bytes([byte]))
            except OSError:
                closed_after = time.perf_counter() - started
                break
            time.sleep(0.1)
        assert closed_after is not None and closed_after < QUICK.header_timeout_s + 1.5


def test_an_idle_keep_alive_connection_is_closed_after_its_timeout(sockets: list[socket.socket]) -> None:
    with serve_in_thread(hello, limits=QUICK) as server:
        client = open_socket(server.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        sockets.append(client)
        started = time.perf_counter()
        answer = read_all(client, timeout=8)
        elapsed = time.perf_counter() - started
    assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b"hello GET 0")
    assert QUICK.keepalive_timeout_s - 0.5 < elapsed < QUICK.keepalive_timeout_s + 1.5


def test_a_keep_alive_connection_serves_several_requests(sockets: list[socket.socket]) -> None:
    with serve_in_thread(hello, limits=QUICK) as server, requests.Session() as session:
        answers = [session.post(f"{server.base_url}/", data=b"x" * n, timeout=2).text for n in range(3)]
    assert answers == ["hello POST 0", "hello POST 1", "hello POST 2"]


def test_a_client_that_never_reads_its_response_loses_the_connection_and_frees_its_slot(
    sockets: list[socket.socket],
) -> None:
    big = b"x" * 40_000_000

    def large(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return [big if environ["PATH_INFO"] == "/big" else b"small"]

    limits = replace(QUICK, max_connections=1)
    with serve_in_thread(large, limits=limits) as server:
        reader = socket.socket()
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sockets.append(reader)
        reader.connect(("127.0.0.1", server.port))
        reader.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")  # and never reads
        started = time.perf_counter()
        assert requests.get(f"{server.base_url}/small", timeout=8).text == "small"  # the one slot came free
        elapsed = time.perf_counter() - started
        received = read_all(reader, timeout=5)
    assert elapsed < limits.body_timeout_s + 1.5
    assert len(received) < len(big)
