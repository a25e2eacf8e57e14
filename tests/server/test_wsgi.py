"""The WSGI adapter builds the environ as PEP 3333 says and sends the app's response as it gave it;
errors are short, plain and free of anything the request carried."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import requests

from harness.server import PEER_CERTIFICATE_ENVIRON_KEY, serve_in_thread

from .conftest import open_socket, read_all

PERSONNUMMER = "195006262546"  # a Skatteverket test personnummer (testpersonnummer.csv)
_KEYS = (
    "REQUEST_METHOD SCRIPT_NAME PATH_INFO QUERY_STRING CONTENT_TYPE CONTENT_LENGTH SERVER_NAME "
    "SERVER_PORT SERVER_PROTOCOL REMOTE_ADDR HTTP_HOST HTTP_X_TWICE HTTP_COOKIE wsgi.url_scheme"
).split()


def echo_environ(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    shown = {key: environ.get(key) for key in _KEYS}
    shown["body"] = environ["wsgi.input"].read().decode()
    shown["peer"] = environ[PEER_CERTIFICATE_ENVIRON_KEY]
    shown["underscored"] = [k for k in environ if "UNDER_SCORE" in k]
    headers = [("Content-Type", "application/json"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
    start_response("201 Made Here", headers)
    return [json.dumps(shown).encode()]


def failing(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    raise ValueError(f"no contact for {environ['QUERY_STRING']}")


def _server_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the server side logged (the test's own HTTP client logs its URLs at DEBUG)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("urllib3"))


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_in_thread(echo_environ) as server:
        yield server.base_url


def test_the_environ_carries_path_query_headers_body_and_addresses(base_url: str) -> None:
    answer = requests.post(
        f"{base_url}/v%C3%A5rd/a%2Fb?x=%20y&z=1",
        data={"pnr": "1"},
        headers={"X-Twice": "1", "Cookie": "c=3", "X-Under_Score": "spoof"},
        timeout=5,
    )
    seen = answer.json()
    port = base_url.rsplit(":", 1)[1]
    assert seen["PATH_INFO"] == "/vård/a/b".encode().decode("latin-1")  # PEP 3333: unquoted, latin-1
    assert seen["QUERY_STRING"] == "x=%20y&z=1"  # as sent
    assert seen["REQUEST_METHOD"] == "POST" and seen["SCRIPT_NAME"] == ""
    assert seen["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert seen["CONTENT_LENGTH"] == "5" and seen["body"] == "pnr=1"
    assert (seen["SERVER_NAME"], seen["SERVER_PORT"], seen["REMOTE_ADDR"]) == ("127.0.0.1", port, "127.0.0.1")
    assert seen["SERVER_PROTOCOL"] == "HTTP/1.1" and seen["HTTP_HOST"] == f"127.0.0.1:{port}"
    assert seen["HTTP_X_TWICE"] == "1" and seen["HTTP_COOKIE"] == "c=3"
    assert seen["wsgi.url_scheme"] == "http" and seen["peer"] is None
    assert seen["underscored"] == []  # "X-Under_Score" could pose as "X-Under-Score": dropped


def test_repeated_headers_are_joined_and_the_response_keeps_status_and_every_header(base_url: str) -> None:
    client = open_socket(
        int(base_url.rsplit(":", 1)[1]),
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Twice: 1\r\nX-Twice: 2\r\nCookie: a=1\r\nCookie: b=2\r\n"
        b"Connection: close\r\n\r\n",
    )
    with client:
        answer = read_all(client)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 201 Made Here\r\n")
    assert b"\r\nSet-Cookie: a=1\r\n" in head and b"\r\nSet-Cookie: b=2\r\n" in head
    seen = json.loads(body)
    assert seen["HTTP_X_TWICE"] == "1, 2" and seen["HTTP_COOKIE"] == "a=1; b=2"


def test_an_app_error_is_a_short_500_and_neither_page_nor_log_carries_the_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with serve_in_thread(failing) as server:
        answer = requests.get(f"{server.base_url}/?pnr={PERSONNUMMER}", timeout=5)
        assert requests.get(f"{server.base_url}/again", timeout=5).status_code == 500  # still serving
    assert answer.status_code == 500
    assert answer.text == "500 Internal Server Error: the server could not answer this request\n"
    logged = _server_log(caplog)
    assert PERSONNUMMER not in logged and "ValueError" in logged


def test_a_malformed_request_gets_a_400_that_echoes_nothing(
    base_url: str, sockets: list[socket.socket], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    port = int(base_url.rsplit(":", 1)[1])
    client = open_socket(
        port, f"GET /?pnr={PERSONNUMMER} HTTP/1.1\r\nBad Header{PERSONNUMMER}\r\n\r\n".encode()
    )
    sockets.append(client)
    answer = read_all(client, timeout=5)
    assert answer.startswith((b"HTTP/1.0 400 ", b"HTTP/1.1 400 "))  # (the version was not understood)
    assert answer.endswith(b"400 Bad Request: the request is not valid HTTP\n")
    assert PERSONNUMMER.encode() not in answer and PERSONNUMMER not in _server_log(caplog)
    assert requests.get(base_url, timeout=5).status_code == 201  # still serving
