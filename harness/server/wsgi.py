"""Serve a WSGI application (PEP 3333) from aiohttp: the body is read first, within the limits,
then the application runs on a bounded thread pool and its whole response is sent.

The environ is built as a WSGI server builds it: ``PATH_INFO`` percent-decoded and carried as
latin-1, ``QUERY_STRING`` as sent, ``CONTENT_TYPE``/``CONTENT_LENGTH`` (the length of the body
actually read), every other header as ``HTTP_*``, ``wsgi.input`` over the body, the peer and the
server address, and the client certificate under ``PEER_CERTIFICATE_ENVIRON_KEY``.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError
from multidict import CIMultiDict

from harness.server.body import TooLarge, error_response, read_body
from harness.server.connection import request_started
from harness.server.limits import ServerLimits
from harness.server.tls import PEER_CERTIFICATE_ENVIRON_KEY, peer_certificate_of

__all__ = ["WsgiApp", "wsgi_environ", "wsgi_handler"]

log = logging.getLogger("harness.server")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Answer = tuple[str, list[tuple[str, str]], bytes]

# RFC 9110 §7.6.1: connection-specific fields are the server's business, not the application's.
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}
)


def _address(value: Any) -> tuple[str, int]:
    if isinstance(value, tuple | list) and len(value) >= 2:
        return str(value[0]), int(value[1])
    return "", 0


def _target(raw: str) -> tuple[str, str]:
    """(path, query) of a request target, origin-form or absolute-form (RFC 9112 §3.2)."""
    if not raw.startswith("/"):
        parts = urlsplit(raw)
        return parts.path or "/", parts.query
    path, _, query = raw.partition("?")
    return path.partition("#")[0], query.partition("#")[0]


def _headers(request: web.BaseRequest, environ: dict[str, Any]) -> None:
    for raw_name, raw_value in request.raw_headers:
        name, value = raw_name.decode("latin-1").upper(), raw_value.decode("latin-1")
        if "_" in name:  # "X_A" would masquerade as "X-A" in the environ: dropped, as gunicorn does
            continue
        key = {"CONTENT-TYPE": "CONTENT_TYPE", "CONTENT-LENGTH": ""}.get(
            name, "HTTP_" + name.replace("-", "_")
        )
        if not key:
            continue
        if key in environ:
            environ[key] += ("; " if key == "HTTP_COOKIE" else ", ") + value
        else:
            environ[key] = value


def wsgi_environ(request: web.BaseRequest, body: bytes, scheme: str) -> dict[str, Any]:
    """The PEP 3333 environ of ``request`` whose body (already read) is ``body``."""
    path, query = _target(request.raw_path)
    transport = request.transport
    server_host, server_port = _address(transport.get_extra_info("sockname") if transport else None)
    remote_host, remote_port = _address(transport.get_extra_info("peername") if transport else None)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "REQUEST_URI": request.raw_path,
        "RAW_URI": request.raw_path,
        "SERVER_NAME": server_host,
        "SERVER_PORT": str(server_port),
        "SERVER_PROTOCOL": f"HTTP/{request.version.major}.{request.version.minor}",
        "REMOTE_ADDR": remote_host,
        "REMOTE_PORT": str(remote_port),
        "CONTENT_LENGTH": str(len(body)) if body or request.body_exists else "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        PEER_CERTIFICATE_ENVIRON_KEY: peer_certificate_of(request),
    }
    _headers(request, environ)
    return environ


def _call(app: WsgiApp, environ: dict[str, Any]) -> Answer:
    """Run the application to the end of its response (on a worker thread)."""
    started: list[tuple[str, list[tuple[str, str]]]] = []
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if exc_info is not None and started and chunks:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [(status, headers)]
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    if not started:
        raise RuntimeError("the WSGI application returned without calling start_response")
    status, headers = started[0]
    return status, headers, b"".join(chunks)


def _response(method: str, answer: Answer) -> web.Response:
    status, headers, body = answer
    code, _, reason = status.partition(" ")
    kept = CIMultiDict((name, value) for name, value in headers if name.lower() not in _HOP_BY_HOP)
    response = web.Response(status=int(code), reason=reason or None, headers=kept)
    if method != "HEAD":
        response.body = body
    return response


def wsgi_handler(
    app: WsgiApp, *, limits: ServerLimits, executor: Executor, scheme: str
) -> Callable[[web.BaseRequest], Any]:
    """An aiohttp low-level request handler that serves ``app``."""

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        request_started(request)
        try:
            body = await read_body(request, limits)
        except TooLarge:
            return error_response(413)
        except TimeoutError:
            return error_response(408)
        except RequestPayloadError:  # e.g. broken chunked framing
            return error_response(400)
        environ = wsgi_environ(request, body, scheme)
        try:
            answer = await asyncio.get_running_loop().run_in_executor(executor, _call, app, environ)
            return _response(request.method, answer)
        except Exception as exc:  # no traceback: its text could carry personal data
            log.warning("the WSGI application failed (%s); answered 500", type(exc).__name__)
            return error_response(500)

    return handle
