"""Bounded concurrency: connections cost no thread, at most ``max_connections`` are open at once,
and WSGI apps run on at most ``worker_threads`` threads."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import requests

from harness.server import ServerLimits, serve_in_thread

from .conftest import QUICK, hello, open_socket


def test_200_half_open_connections_do_not_make_200_threads_and_the_server_keeps_answering(
    sockets: list[socket.socket],
) -> None:
    with serve_in_thread(hello, limits=ServerLimits()) as server:
        before = threading.active_count()
        for _ in range(200):
            sockets.append(open_socket(server.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Le"))
        time.sleep(0.5)  # every one accepted and waiting for the rest of its headers
        started = time.perf_counter()
        answer = requests.post(f"{server.base_url}/", data=b"ok", timeout=2)
        elapsed = time.perf_counter() - started
        grown = threading.active_count() - before
    assert answer.text == "hello POST 2" and elapsed < 2.0
    assert grown <= ServerLimits().worker_threads  # the connections themselves hold no thread


def test_beyond_max_connections_a_client_waits_until_a_slot_frees(sockets: list[socket.socket]) -> None:
    limits = replace(QUICK, max_connections=4)
    with serve_in_thread(hello, limits=limits) as server:
        sockets.extend(open_socket(server.port) for _ in range(4))  # all slots, silent
        time.sleep(0.2)
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", server.port), timeout=8) as client:
            client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            client.settimeout(0.5)
            try:
                early = client.recv(100)
            except TimeoutError:
                early = b""
            client.settimeout(8)
            answer = early + b"".join(iter(lambda: client.recv(65536), b""))
        elapsed = time.perf_counter() - started
    assert early == b""  # not served while every slot was taken
    assert answer.endswith(b"hello GET 0")  # served once the silent ones timed out
    assert elapsed < limits.header_timeout_s + 1.5


def test_a_wsgi_app_runs_on_at_most_worker_threads_threads() -> None:
    seen: set[int] = set()
    lock = threading.Lock()

    def slow(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            seen.add(threading.get_ident())
        time.sleep(0.05)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"done"]

    limits = replace(ServerLimits(), worker_threads=3)
    with serve_in_thread(slow, limits=limits) as server, ThreadPoolExecutor(24) as clients:
        answers = list(clients.map(lambda _: requests.get(server.base_url, timeout=10).text, range(48)))
    assert answers == ["done"] * 48
    assert len(seen) == 3
