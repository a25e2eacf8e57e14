"""A small HTTP(S) test server on 127.0.0.1 (stdlib http.server, one thread per connection).

It records what really arrived (request line, headers in order, body, the client's certificate
subject, which connection carried it) and answers with a reply function. TLS handshakes run in
the connection's thread, so a failed handshake never stops the server.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    client_port: int  # the client's source port: one per TCP connection
    peer_subject: dict[str, str]  # the client certificate's subject (short names), if one was presented

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/plain"),)
    body: bytes = b"ok"
    delay_s: float = 0.0  # before the status line
    drip_s: float = 0.0  # between body bytes (a slow server)


Handler = Callable[[Seen], Reply]


@dataclass
class Loopback:
    server: ThreadingHTTPServer
    scheme: str
    seen: list[Seen] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.server.server_address[0]}:{self.port}"


def _subject(sock: Any) -> dict[str, str]:
    cert = sock.getpeercert() if isinstance(sock, ssl.SSLSocket) else None
    return {key: value for rdn in (cert or {}).get("subject", ()) for key, value in rdn}


def _handler_class(reply: Handler, loopback: Loopback) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive

        def log_message(self, format: str, *args: Any) -> None:
            return None

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(
                self.command,
                self.path,
                tuple(self.headers.items()),
                self.rfile.read(length),
                self.client_address[1],
                _subject(self.connection),
            )
            loopback.seen.append(seen)
            self._answer(reply(seen))

        def _answer(self, answer: Reply) -> None:
            stop = threading.Event()
            stop.wait(answer.delay_s)
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if not answer.drip_s:
                self.wfile.write(answer.body)
                return
            for index in range(len(answer.body)):
                self.wfile.write(answer.body[index : index + 1])
                self.wfile.flush()
                stop.wait(answer.drip_s)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _serve

    return _Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    tls: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is not None:
            request.settimeout(5)
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except OSError:  # ssl.SSLError included: the client's problem, not the server's
                request.close()
                return
        try:
            super().finish_request(request, client_address)
        finally:
            if self.tls is not None:  # the TLS socket took over the connection: close it here
                request.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None  # a client that went away mid-answer is expected in these tests


@contextmanager
def serve(
    reply: Handler, *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1"
) -> Iterator[Loopback]:
    """Serve ``reply`` on ``host`` (a free port) until the block ends."""
    server = _Server((host, 0), BaseHTTPRequestHandler)
    loopback = Loopback(server, "https" if tls else "http")
    server.RequestHandlerClass = _handler_class(reply, loopback)
    server.tls = tls
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield loopback
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def server_context(cert: Any, key: Any, *, client_ca: Any = None) -> ssl.SSLContext:
    """A server TLS context; with ``client_ca``, a client certificate from that CA is required."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert), str(key))
    if client_ca is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=str(client_ca))
    return context


@contextmanager
def silent_listener() -> Iterator[int]:
    """A port that accepts TCP connections and then never says anything (not even a TLS handshake)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])
