"""Request bodies within the limits: 413 for too large (declared or streamed), any framing else."""

from __future__ import annotations

import socket
from dataclasses import replace

import requests

from harness.server import ServerLimits, serve_in_thread

from .conftest import QUICK, hello, open_socket, read_all

SMALL = replace(QUICK, max_body_bytes=1000)


def test_a_declared_huge_body_gets_413_at_once(sockets: list[socket.socket]) -> None:
    with serve_in_thread(hello) as server:
        client = open_socket(server.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
        sockets.append(client)
        answer = read_all(client, timeout=5)
        assert requests.get(server.base_url, timeout=2).text == "hello GET 0"  # still serving
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert answer.endswith(b"413 Request Entity Too Large: the request body is too large\n")
    assert ServerLimits().max_body_bytes < 100_000_000


def test_a_chunked_body_that_grows_too_large_gets_413(sockets: list[socket.socket]) -> None:
    with serve_in_thread(hello, limits=SMALL) as server:
        chunk = b"400\r\n" + b"x" * 0x400 + b"\r\n"
        head = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        client = open_socket(server.port, head + chunk * 2 + b"0\r\n\r\n")
        sockets.append(client)
        assert read_all(client, timeout=5).startswith(b"HTTP/1.1 413 ")


def test_bodies_up_to_the_limit_arrive_whole_in_any_framing(sockets: list[socket.socket]) -> None:
    with serve_in_thread(hello, limits=SMALL) as server:
        assert requests.post(server.base_url, data=b"x" * 1000, timeout=2).text == "hello POST 1000"
        assert requests.post(server.base_url, data=iter([b"x" * 600, b"y" * 400]), timeout=2).text == (
            "hello POST 1000"  # a generator body goes chunked
        )
        expecting = open_socket(
            server.port,
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
            b"Connection: close\r\n\r\n",
        )
        sockets.append(expecting)
        interim = b""
        while b"\r\n\r\n" not in interim:
            interim += expecting.recv(100)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"  # RFC 9110 §10.1.1: before the body
        expecting.sendall(b"12345")
        assert read_all(expecting).endswith(b"hello POST 5")
