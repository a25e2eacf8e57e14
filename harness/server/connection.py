"""One client connection: aiohttp's HTTP/1.1 protocol with the deadlines aiohttp itself lacks.

aiohttp (``web_protocol.RequestHandler``) closes a connection that stays idle, or has sent only
part of its request headers, once its keep-alive timer runs out; there is no separate limit on
how long the request headers may take, nor on how long a client may take to read the response.
This subclass keeps one deadline per connection, for the phase the connection is in:

- from the connect, and from the first byte of a request after a keep-alive pause, until the
  request headers are complete: ``header_timeout_s`` (then the connection is closed);
- the body: read by the request handler within ``body_timeout_s`` (``408``, :mod:`.body`);
- the application: its own time;
- sending the response: ``body_timeout_s``;
- idle between requests: aiohttp's keep-alive timer, ``keepalive_timeout_s``.

Errors the layer answers itself (a malformed request, an exception in the application) are short
plain text and logged by status and exception type only: no part of the request reaches a log.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from harness.server.body import error_response
from harness.server.limits import ServerLimits
from harness.server.tls import PeerCertificate, peer_certificate_from_transport

__all__ = ["GuardedConnection", "request_started"]

log = logging.getLogger("harness.server")

_MAX_LINE = 65536  # the request line (a SAML HTTP-Redirect URL can be long); http.server's limit
_MAX_FIELD = 16384  # one header field
_LINGER_S = 1.0  # after an early answer (413, 408), how long unread body bytes are drained


class GuardedConnection(RequestHandler):
    """aiohttp's request handler protocol with a per-phase deadline (see the module docstring)."""

    def __init__(self, manager: web.Server, *, loop: asyncio.AbstractEventLoop, limits: ServerLimits) -> None:
        super().__init__(
            manager,
            loop=loop,
            keepalive_timeout=limits.keepalive_timeout_s,
            # No access log (aiohttp accepts None though its annotation says Logger): a log line
            # would carry the query string, which may hold personal data.
            access_log=None,  # type: ignore[arg-type]
            max_line_size=_MAX_LINE,
            max_field_size=_MAX_FIELD,
            lingering_time=min(_LINGER_S, limits.body_timeout_s),
        )
        self.limits = limits
        self.closed: asyncio.Future[None] = loop.create_future()
        self.peer_certificate: PeerCertificate | None = None
        self._clock = loop
        self._deadline: asyncio.TimerHandle | None = None
        self._between_requests = True

    # -- the deadline ------------------------------------------------------------------------

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self._clock.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        self.force_close()

    # -- the phases --------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.peer_certificate = peer_certificate_from_transport(transport)
        super().connection_made(transport)
        self._arm(self.limits.header_timeout_s)

    def data_received(self, data: bytes) -> None:
        if data and self._between_requests and self._deadline is None:
            self._arm(self.limits.header_timeout_s)  # a new request began: its headers are due
        super().data_received(data)

    def request_started(self) -> None:
        """The request headers are complete (called by the request handler before anything else)."""
        self._between_requests = False
        self._disarm()

    async def finish_response(
        self, request: web.BaseRequest, resp: web.StreamResponse, start_time: float | None
    ) -> tuple[web.StreamResponse, bool]:
        self._arm(self.limits.body_timeout_s)  # the client must take the response in time
        try:
            return await super().finish_response(request, resp, start_time)
        finally:
            self._disarm()
            self._between_requests = True

    def connection_lost(self, exc: BaseException | None) -> None:
        self._disarm()
        super().connection_lost(exc)
        if not self.closed.done():
            self.closed.set_result(None)

    # -- errors without personal data ----------------------------------------------------------

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        log.warning("answered %d (%s)", status, type(exc).__name__ if exc is not None else "no exception")
        if request.writer is not None and request.writer.output_size > 0:
            raise ConnectionError("the response had begun; the connection is closed instead")
        return error_response(status)

    def log_exception(self, *args: Any, **kw: Any) -> None:
        exc = kw.get("exc_info")
        log.warning("connection error (%s)", type(exc).__name__ if isinstance(exc, BaseException) else "-")


def request_started(request: web.BaseRequest) -> None:
    """Tell the connection that ``request``'s headers are complete (ends the header deadline)."""
    if isinstance(request.protocol, GuardedConnection):
        request.protocol.request_started()
