"""The HTTP service: an aiohttp ``web.Application`` served natively, or a WSGI app through the adapter.

Each accepted connection becomes a :class:`GuardedConnection` (aiohttp's protocol with deadlines)
through ``loop.connect_accepted_socket``, which runs the TLS handshake in the loop with
``ssl_handshake_timeout``: aiohttp's ``TCPSite`` does not expose that timeout, and the accept loop
must count connections, so this module builds the connections itself from the runner's server.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from harness.server.body import read_body_for_app
from harness.server.connection import GuardedConnection, request_started
from harness.server.limits import ServerLimits
from harness.server.runtime import OpenTransports
from harness.server.wsgi import WsgiApp, wsgi_handler

__all__ = ["HttpService"]

_SHUTDOWN_TIMEOUT_S = 1.0  # requests still running when the server stops get this long
_TLS_SHUTDOWN_TIMEOUT_S = 2.0


def _guard(limits: ServerLimits) -> Middleware:
    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        request_started(request)
        early = await read_body_for_app(request, limits)
        return early if early is not None else await handler(request)

    return guard


class HttpService:
    """Serves ``app`` on accepted connections, over TLS when ``tls`` is given."""

    def __init__(
        self, app: WsgiApp | web.Application, *, tls: ssl.SSLContext | None, limits: ServerLimits, name: str
    ) -> None:
        self._app, self._tls, self._limits, self._name = app, tls, limits, name
        self._executor: ThreadPoolExecutor | None = None
        self._runner: web.BaseRunner | None = None
        self._manager: web.Server | None = None
        self._transports = OpenTransports()

    async def setup(self) -> None:
        app = self._app
        if isinstance(app, web.Application):
            app.middlewares.insert(0, _guard(self._limits))
            runner: web.BaseRunner = web.AppRunner(
                app, handle_signals=False, access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT_S
            )
        else:
            self._executor = ThreadPoolExecutor(
                self._limits.worker_threads, thread_name_prefix=f"{self._name}-wsgi"
            )
            scheme = "https" if self._tls is not None else "http"
            handler = wsgi_handler(app, limits=self._limits, executor=self._executor, scheme=scheme)
            runner = web.ServerRunner(web.Server(handler), shutdown_timeout=_SHUTDOWN_TIMEOUT_S)
        await runner.setup()
        self._runner, self._manager = runner, runner.server

    def _connection(self) -> GuardedConnection:
        assert self._manager is not None
        return GuardedConnection(self._manager, loop=asyncio.get_running_loop(), limits=self._limits)

    async def serve(self, conn: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        if self._tls is None:
            transport, protocol = await loop.connect_accepted_socket(self._connection, sock=conn)
        else:
            transport, protocol = await loop.connect_accepted_socket(
                self._connection,
                sock=conn,
                ssl=self._tls,
                ssl_handshake_timeout=self._limits.handshake_timeout_s,
                ssl_shutdown_timeout=_TLS_SHUTDOWN_TIMEOUT_S,
            )
        self._transports.add(transport)
        try:
            await protocol.closed
        finally:
            self._transports.discard(transport)

    async def close(self) -> None:
        self._transports.abort_all()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
