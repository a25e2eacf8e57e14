"""An aiohttp ``web.Application`` is served natively, under the same limits as a WSGI app."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
import requests
from aiohttp import web

from harness.server import RunningServer, serve_in_thread

from .conftest import QUICK, open_socket, read_all


async def size(request: web.Request) -> web.Response:
    body = await request.read()
    return web.Response(text=f"{request.method} {request.path} {len(body)}")


@pytest.fixture
def server() -> Iterator[RunningServer]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", size)
    with serve_in_thread(app, limits=replace(QUICK, max_body_bytes=1000)) as running:
        yield running


def test_an_aiohttp_app_is_served_with_its_routes(server: RunningServer) -> None:
    assert requests.post(f"{server.base_url}/soap", data=b"x" * 10, timeout=5).text == "POST /soap 10"


def test_an_aiohttp_app_gets_413_and_408_from_the_layer(
    server: RunningServer, sockets: list[socket.socket]
) -> None:
    too_large = open_socket(server.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n")
    stalled = open_socket(server.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
    sockets.extend((too_large, stalled))
    started = time.perf_counter()
    assert read_all(too_large, timeout=5).startswith(b"HTTP/1.1 413 ")
    assert read_all(stalled, timeout=5).startswith(b"HTTP/1.1 408 ")
    assert time.perf_counter() - started < QUICK.body_timeout_s + 1.5
    assert requests.get(f"{server.base_url}/after", timeout=5).text == "GET /after 0"
