"""The recording proxy: every outbound call an SP makes through its HTTP(S)_PROXY, as evidence.

For SPs that honour ``HTTP_PROXY``/``HTTPS_PROXY`` (the target declares ``honours_proxy = true``),
the harness listens on loopback and the SP sends its outbound HTTP here. Each call is recorded as an
:class:`Exchange` (``Direction.INCOMING``, tag ``proxy``) before anything else happens: method,
``host:port``, the path, headers and body for plain HTTP, the peer and the time. ``https://`` calls
arrive as ``CONNECT host:port`` and are tunnelled without TLS interception, so only the host and
port are seen. The nothing-back-to-1177 scenario (SP-BACK-04) judges this record.

This machine has no network beyond loopback, and the harness must never reach anything else: a call
to any other host is recorded and answered ``502`` without a connection (and without a DNS look-up).
Malformed requests get ``400`` (or ``413``, ``414``, ``431``); the proxy keeps serving.

It holds up like the harness's other servers: it runs on the server layer's loop
(:func:`harness.server.start_stream_server`: bounded connections, no thread per client), reads each
request head and body within deadlines (:mod:`.proxy_http`), calls upstream on a bounded thread
pool, closes idle tunnels, and keeps a bounded record.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPConnection, HTTPException
from urllib.parse import urlsplit

from harness.core.exchange import Direction, Exchange
from harness.core.exchange_log import ExchangeLog
from harness.server import ServerLimits, start_stream_server
from harness.sp_suite.proxy_http import (
    Answer,
    ProxyHttpError,
    RequestHead,
    plain,
    read_body,
    read_head,
    relay,
    send,
)

__all__ = ["PROXY_LIMITS", "PROXY_TAG", "RecordingProxy", "is_loopback_host", "start_proxy"]

PROXY_TAG = "proxy"
MAX_BODY_BYTES = 2_000_000
PROXY_LIMITS = ServerLimits(
    header_timeout_s=10.0, body_timeout_s=10.0, max_body_bytes=MAX_BODY_BYTES, max_connections=128
)
_UPSTREAM_TIMEOUT_S = 10.0  # per socket operation upstream
_TUNNEL_IDLE_SECONDS = 30.0
# RFC 9110 §7.6.1: hop-by-hop fields are not forwarded; we also re-frame the body ourselves.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
    }
)
_NOT_FORWARDED = "not forwarded: the harness's proxy only reaches loopback (127.0.0.0/8, ::1, localhost)"


def is_loopback_host(host: str) -> bool:
    """True only for a literal loopback address or ``localhost``: names are never resolved."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _connect_host(host: str) -> str:
    """Where to connect for a loopback host: ``localhost`` is taken as 127.0.0.1, never looked up."""
    host = host.strip("[]")
    return "127.0.0.1" if host.lower() == "localhost" else host


@dataclass(frozen=True, slots=True)
class _Call:
    """One request to the proxy, as it arrived."""

    head: RequestHead
    peer: str
    started: datetime
    began: float


class RecordingProxy:
    """A running recording proxy on 127.0.0.1; ``url`` is what the SP's HTTP(S)_PROXY names."""

    def __init__(self, port: int = 0, *, limits: ServerLimits = PROXY_LIMITS) -> None:
        self._log = ExchangeLog("proxy-")
        self._limits = limits
        self._upstream = ThreadPoolExecutor(limits.worker_threads, thread_name_prefix="recording-proxy")
        self._server = start_stream_server(self._handle, port=port, limits=limits, name="recording-proxy")

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        """Every outbound call that reached the proxy, in order (forwarded or not)."""
        return self._log.exchanges

    def stop(self) -> None:
        self._server.stop()
        self._upstream.shutdown(wait=False, cancel_futures=True)

    def _record(self, call: _Call, url: str, body: bytes, answer: Answer) -> None:
        self._log.add(
            Exchange(
                id=self._log.next_id(),
                direction=Direction.INCOMING,
                method=call.head.method,
                url=url,
                request_headers=call.head.headers,
                request_body=body,
                status=answer.status,
                response_headers=answer.headers,
                response_body=answer.body,
                started=call.started,
                elapsed_ms=(time.perf_counter() - call.began) * 1000,
                peer=call.peer,
                tags=(PROXY_TAG,),
                note=answer.note,
            )
        )

    # -- one connection, one request ---------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        started, began = datetime.now(UTC), time.perf_counter()
        peer = writer.get_extra_info("peername")
        try:
            head = await read_head(reader, self._limits.header_timeout_s)
            call = _Call(head, f"{peer[0]}:{peer[1]}" if peer else "", started, began)
            if head.method == "CONNECT":
                await self._tunnel(call, reader, writer)
            else:
                await self._forward(call, reader, writer)
        except ProxyHttpError as exc:  # nothing is recorded: it was not a call to forward
            await send(writer, plain(exc.status, exc.message))
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            return  # a silent or vanished client: the connection just closes

    async def _answer(
        self, call: _Call, writer: asyncio.StreamWriter, url: str, body: bytes, answer: Answer
    ) -> None:
        self._record(call, url, body, answer)
        await send(writer, answer, with_body=call.head.method != "HEAD")

    async def _forward(self, call: _Call, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        target = urlsplit(call.head.target)
        try:
            port = target.port or 80
        except ValueError:
            port = 0
        if target.scheme != "http" or not target.hostname or not port:
            raise ProxyHttpError(400, "a proxy request names an absolute http:// URL (https goes by CONNECT)")
        body = await read_body(
            reader, call.head, limit=self._limits.max_body_bytes, timeout=self._limits.body_timeout_s
        )
        if not is_loopback_host(target.hostname):
            await self._answer(call, writer, call.head.target, body, _refused())
            return
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(self._upstream, _upstream, call.head, target.hostname, port, body)
        await self._answer(call, writer, call.head.target, body, answer)

    async def _tunnel(self, call: _Call, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, _, port_text = call.head.target.rpartition(":")
        if not host or not port_text.isdigit():
            raise ProxyHttpError(400, "CONNECT needs host:port")
        url = f"https://{host}:{port_text}"
        if not is_loopback_host(host):
            await self._answer(call, writer, url, b"", _refused())
            return
        loop = asyncio.get_running_loop()
        try:
            upstream = await loop.run_in_executor(self._upstream, _open_upstream, host, int(port_text))
        except OSError as exc:
            await self._answer(call, writer, url, b"", _bad_gateway(f"connection failed: {exc.strerror}"))
            return
        established = Answer(200, (), b"", "tunnelled without TLS interception: path and body not seen")
        self._record(call, url, b"", established)
        writer.write(b"HTTP/1.0 200 Connection established\r\n\r\n")
        await writer.drain()
        upstream_streams = await asyncio.open_connection(sock=upstream)
        await relay((reader, writer), upstream_streams, _TUNNEL_IDLE_SECONDS)


def _open_upstream(host: str, port: int) -> socket.socket:
    return socket.create_connection((_connect_host(host), port), _UPSTREAM_TIMEOUT_S)


def _upstream(head: RequestHead, host: str, port: int, body: bytes) -> Answer:
    """Forward to a loopback upstream (blocking, on the proxy's thread pool) and read its answer."""
    target = urlsplit(head.target)
    path = (target.path or "/") + (f"?{target.query}" if target.query else "")
    headers = {k: v for k, v in head.headers if k.lower() not in _HOP_BY_HOP}
    connection = HTTPConnection(_connect_host(host), port, timeout=_UPSTREAM_TIMEOUT_S)
    try:
        connection.request(head.method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        content = response.read(MAX_BODY_BYTES)
        kept = tuple((k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP)
        return Answer(response.status, kept, content)
    except (OSError, HTTPException) as exc:
        return _bad_gateway(f"upstream failed: {type(exc).__name__}")
    finally:
        connection.close()


def start_proxy(port: int = 0) -> RecordingProxy:
    """Start a recording proxy on 127.0.0.1 (port 0: a free one); call ``stop()`` when done."""
    return RecordingProxy(port)


def _refused() -> Answer:
    return plain(502, _NOT_FORWARDED, _NOT_FORWARDED)


def _bad_gateway(reason: str) -> Answer:
    return plain(502, reason, reason)
