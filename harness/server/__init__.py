"""One server layer for every mock and reference app: aiohttp on its own asyncio loop per server.

TLS handshakes off the accept path with a timeout, a deadline for request headers, for the body
and for the response, a keep-alive timeout, bounded connections, WSGI apps on a bounded thread
pool, and the client certificate of a mutual-TLS connection handed to the application
(:class:`PeerCertificate`; in WSGI under ``PEER_CERTIFICATE_ENVIRON_KEY``). No access log: a
request line may carry personal data.

    server = start_server(app, tls=server_tls_context(cert, key))   # app: WSGI or aiohttp
    ... server.base_url ...
    server.stop()
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp import web

from harness.server.http import HttpService
from harness.server.limits import ServerLimits
from harness.server.runtime import RunningServer, StreamHandler, StreamService, listen
from harness.server.tls import (
    PEER_CERTIFICATE_ENVIRON_KEY,
    PeerCertificate,
    peer_certificate_of,
    server_tls_context,
)
from harness.server.wsgi import WsgiApp

__all__ = [
    "PEER_CERTIFICATE_ENVIRON_KEY",
    "PeerCertificate",
    "RunningServer",
    "ServerLimits",
    "StreamHandler",
    "peer_certificate_of",
    "serve_in_thread",
    "server_tls_context",
    "start_server",
    "start_stream_server",
]

_DEFAULT_LIMITS = ServerLimits()


def start_server(
    app: WsgiApp | web.Application,
    *,
    port: int = 0,
    host: str = "127.0.0.1",
    tls: ssl.SSLContext | None = None,
    limits: ServerLimits = _DEFAULT_LIMITS,
    name: str = "",
) -> RunningServer:
    """Serve ``app`` (a WSGI callable or an aiohttp ``web.Application``) on ``host``:``port`` (0: a
    free port), over TLS with ``tls``; returns once connections are accepted."""
    sock = listen(host, port)
    name = name or f"server-{sock.getsockname()[1]}"
    service = HttpService(app, tls=tls, limits=limits, name=name)
    scheme = "https" if tls is not None else "http"
    return RunningServer(sock, service, scheme=scheme, limits=limits, name=name).start()


@contextmanager
def serve_in_thread(
    app: WsgiApp | web.Application,
    *,
    port: int = 0,
    host: str = "127.0.0.1",
    tls: ssl.SSLContext | None = None,
    limits: ServerLimits = _DEFAULT_LIMITS,
    name: str = "",
) -> Iterator[RunningServer]:
    """:func:`start_server` for the length of a ``with`` block."""
    server = start_server(app, port=port, host=host, tls=tls, limits=limits, name=name)
    try:
        yield server
    finally:
        server.stop()


def start_stream_server(
    handler: StreamHandler,
    *,
    port: int = 0,
    host: str = "127.0.0.1",
    limits: ServerLimits = _DEFAULT_LIMITS,
    name: str = "",
    read_limit: int = 2**17,
) -> RunningServer:
    """Run ``handler(reader, writer)`` for each plain-TCP connection, at most ``max_connections`` at
    once, on the same kind of loop thread (for protocols that are not served by aiohttp, e.g. a
    forward proxy); the handler keeps its own deadlines (``limits`` gives them)."""
    sock = listen(host, port)
    name = name or f"stream-server-{sock.getsockname()[1]}"
    service = StreamService(handler, read_limit=read_limit)
    return RunningServer(sock, service, scheme="http", limits=limits, name=name).start()
