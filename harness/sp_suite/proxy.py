"""The recording proxy: every outbound call an SP makes through its HTTP(S)_PROXY, as evidence.

For SPs that honour ``HTTP_PROXY``/``HTTPS_PROXY`` (the target declares ``honours_proxy = true``),
the harness listens on loopback and the SP sends its outbound HTTP here. Each call is recorded as an
:class:`Exchange` (``Direction.INCOMING``, tag ``proxy``) before anything else happens: method,
``host:port``, the path, headers and body for plain HTTP, the peer and the time. ``https://`` calls
arrive as ``CONNECT host:port`` and are tunnelled without TLS interception, so only the host and
port are seen. The nothing-back-to-1177 scenario (SP-BACK-04) judges this record.

This machine has no network beyond loopback, and the harness must never reach anything else: a call
to any other host is recorded and answered ``502`` without a connection (and without a DNS look-up).
Malformed requests get ``400``; the proxy keeps serving.
"""

from __future__ import annotations

import ipaddress
import selectors
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPConnection, HTTPException
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from harness.core.exchange import Direction, Exchange, Recorder

__all__ = ["PROXY_TAG", "RecordingProxy", "is_loopback_host", "start_proxy"]

PROXY_TAG = "proxy"
MAX_BODY_BYTES = 2_000_000
_TIMEOUT_SECONDS = 10.0  # per socket operation: a silent client or upstream never holds a thread for long
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
class _Answer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    note: str = ""


class RecordingProxy:
    """A running recording proxy on 127.0.0.1; ``url`` is what the SP's HTTP(S)_PROXY names."""

    def __init__(self, port: int = 0) -> None:
        self.recorder = Recorder(prefix="proxy-")
        self._server = _ProxyServer(("127.0.0.1", port), _ProxyHandler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"recording-proxy-{self.port}",
            daemon=True,
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        """Every outbound call that reached the proxy, in order (forwarded or not)."""
        return self.recorder.exchanges

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def record(self, handler: _ProxyHandler, url: str, body: bytes, answer: _Answer, began: float) -> None:
        peer_host, peer_port = handler.client_address[:2]
        self.recorder.add(
            Exchange(
                id=self.recorder.next_id(),
                direction=Direction.INCOMING,
                method=handler.command,
                url=url,
                request_headers=tuple((str(k), str(v)) for k, v in handler.headers.items()),
                request_body=body,
                status=answer.status,
                response_headers=answer.headers,
                response_body=answer.body,
                started=handler.started,
                elapsed_ms=(time.perf_counter() - began) * 1000,
                peer=f"{peer_host}:{peer_port}",
                tags=(PROXY_TAG,),
                note=answer.note,
            )
        )


def start_proxy(port: int = 0) -> RecordingProxy:
    """Start a recording proxy on 127.0.0.1 (port 0: a free one); call ``stop()`` when done."""
    return RecordingProxy(port)


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[_ProxyHandler], proxy: RecordingProxy) -> None:
        self.proxy = proxy
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A broken connection is the client's problem: no traceback (it could hold a query string)."""


class _ProxyHandler(BaseHTTPRequestHandler):
    """One connection, one request (HTTP/1.0 semantics: the connection closes after the answer)."""

    server: _ProxyServer
    started: datetime
    protocol_version = "HTTP/1.0"
    timeout = _TIMEOUT_SECONDS

    def log_message(self, format: str, *args: object) -> None:
        """Silent: a request line may carry personal data (STYLE.md: none in logs)."""

    def parse_request(self) -> bool:
        self.started = datetime.now(UTC)
        return super().parse_request()

    def do_CONNECT(self) -> None:
        began = time.perf_counter()
        host, _, port_text = self.path.rpartition(":")
        if not host or not port_text.isdigit():
            self.send_error(400, "CONNECT needs host:port")
            return
        url = f"https://{host}:{port_text}"
        if not is_loopback_host(host):
            self._answer_and_record(url, b"", _refused(), began)
            return
        try:
            upstream = socket.create_connection((_connect_host(host), int(port_text)), _TIMEOUT_SECONDS)
        except OSError as exc:
            self._answer_and_record(url, b"", _bad_gateway(f"connection failed: {exc.strerror}"), began)
            return
        established = _Answer(200, (), b"", "tunnelled without TLS interception: path and body not seen")
        self.server.proxy.record(self, url, b"", established, began)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        with upstream:
            _relay(self.connection, upstream)
        self.close_connection = True

    def _forward(self) -> None:
        began = time.perf_counter()
        target = urlsplit(self.path)
        try:
            port = target.port or 80
        except ValueError:
            port = 0
        if target.scheme != "http" or not target.hostname or not port:
            self.send_error(400, "A proxy request names an absolute http:// URL (https goes by CONNECT)")
            return
        body = self._read_body()
        if body is None:
            self.send_error(413, "Request body too large for the recording proxy")
            return
        if not is_loopback_host(target.hostname):
            self._answer_and_record(self.path, body, _refused(), began)
            return
        self._answer_and_record(self.path, body, self._upstream(target.hostname, port, body), began)

    # http.server dispatches on do_<METHOD>: every method but CONNECT is forwarded the same way.
    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _forward

    def _read_body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _upstream(self, host: str, port: int, body: bytes) -> _Answer:
        target = urlsplit(self.path)
        path = (target.path or "/") + (f"?{target.query}" if target.query else "")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        connection = HTTPConnection(_connect_host(host), port, timeout=_TIMEOUT_SECONDS)
        try:
            connection.request(self.command, path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read(MAX_BODY_BYTES)
            kept = tuple((k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP)
            return _Answer(response.status, kept, content)
        except (OSError, HTTPException) as exc:
            return _bad_gateway(f"upstream failed: {type(exc).__name__}")
        finally:
            connection.close()

    def _answer_and_record(self, url: str, body: bytes, answer: _Answer, began: float) -> None:
        self.server.proxy.record(self, url, body, answer, began)
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)


def _refused() -> _Answer:
    text = f"502 Bad Gateway: {_NOT_FORWARDED}\n".encode()
    return _Answer(502, (("Content-Type", "text/plain; charset=utf-8"),), text, _NOT_FORWARDED)


def _bad_gateway(reason: str) -> _Answer:
    text = f"502 Bad Gateway: {reason}\n".encode()
    return _Answer(502, (("Content-Type", "text/plain; charset=utf-8"),), text, reason)


def _relay(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes or the tunnel is idle too long."""
    peers = {client: upstream, upstream: client}
    with selectors.DefaultSelector() as selector:
        for sock in peers:
            selector.register(sock, selectors.EVENT_READ)
        while True:
            ready = selector.select(timeout=_TUNNEL_IDLE_SECONDS)
            if not ready:
                return
            for key, _ in ready:
                source = key.fileobj
                assert isinstance(source, socket.socket)
                try:
                    chunk = source.recv(65536)
                    if not chunk:
                        return
                    peers[source].sendall(chunk)
                except OSError:
                    return
