"""The IdP's traffic log: every request that reaches the IdP's host, recorded as evidence.

For the "nothing flows back to 1177" scenarios (uthopp sends no information back to 1177): a WSGI
middleware records each request (method, URL with query, headers, body, peer) and the IdP's answer
as an :class:`Exchange` with ``Direction.INCOMING``, before anything parses it.

Bounded, since the IdP may run for a long time (``conformance idp serve``): the newest
``max_exchanges`` are kept, and of each body its first ``max_body_bytes`` with the length and the
SHA-256 of the rest in the exchange's note (:class:`harness.core.exchange_log.ExchangeLog`).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from harness.core.exchange import Direction, Exchange
from harness.core.exchange_log import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EXCHANGES, ExchangeLog

__all__ = ["MAX_RECORDED_BODY", "TrafficLog"]

MAX_RECORDED_BODY = 2_000_000  # read at most this much (the server layer refuses larger bodies anyway)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _request_headers(environ: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append((key[5:].replace("_", "-").title(), str(value)))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers.append((key.replace("_", "-").title(), str(value)))
    return tuple(headers)


def _url(environ: dict[str, Any]) -> str:
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{path}" + (f"?{query}" if query else "")


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    if length > 0:
        body: bytes = stream.read(min(length, MAX_RECORDED_BODY))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read(MAX_RECORDED_BODY)
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)  # the app reads what was recorded
    return body


class TrafficLog:
    """Records every request to the wrapped WSGI app, with its response, in a bounded log."""

    def __init__(
        self, *, max_exchanges: int = DEFAULT_MAX_EXCHANGES, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    ) -> None:
        self.log = ExchangeLog("idp-", max_exchanges=max_exchanges, max_body_bytes=max_body_bytes)

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        """The requests kept, oldest first (``dropped`` older ones were let go)."""
        return self.log.exchanges

    @property
    def dropped(self) -> int:
        return self.log.dropped

    def wrap(self, app: WsgiApp) -> WsgiApp:
        """The WSGI middleware: ``app`` with every request and response recorded."""

        def recorded(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            started, began = datetime.now(UTC), time.perf_counter()
            body = _read_body(environ)
            answer: dict[str, Any] = {}

            def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                answer["status"], answer["headers"] = status, headers
                return (
                    start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
                )

            chunks = app(environ, capture)
            try:
                response_body = b"".join(chunks)
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
            self.log.add(
                Exchange(
                    id=self.log.next_id(),
                    direction=Direction.INCOMING,
                    method=str(environ.get("REQUEST_METHOD", "")),
                    url=_url(environ),
                    request_headers=_request_headers(environ),
                    request_body=body,
                    status=int(str(answer.get("status", "0")).split(" ", 1)[0]),
                    response_headers=tuple((str(k), str(v)) for k, v in answer.get("headers", [])),
                    response_body=response_body,
                    started=started,
                    elapsed_ms=(time.perf_counter() - began) * 1000,
                    peer=str(environ.get("REMOTE_ADDR", "")),
                    tags=("mock-1177-idp",),
                )
            )
            return [response_body]

        return recorded
