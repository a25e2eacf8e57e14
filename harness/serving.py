"""Run a WSGI app on loopback in a background thread (tests, scenario runs, ``serve`` commands)."""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

__all__ = ["RunningServer", "serve_in_thread", "start_server", "tls_context"]

# Personal data must not reach logs: werkzeug's access log would print full query strings.
logging.getLogger("werkzeug").setLevel(logging.ERROR)


class _QuietHandler(WSGIRequestHandler):
    # Werkzeug writes headers and body in separate small sends; with Nagle's algorithm on, each
    # TLS response then waits for the client's delayed ACK (~10 ms per request on loopback).
    disable_nagle_algorithm = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class RunningServer:
    server: BaseWSGIServer
    thread: threading.Thread
    scheme: str

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert), str(key))
    return context


def start_server(app: Any, port: int = 0, ssl_context: ssl.SSLContext | None = None) -> RunningServer:
    """Start ``app`` on 127.0.0.1 (port 0: a free one) and return once it accepts connections."""
    server = make_server(
        "127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler, ssl_context=ssl_context
    )
    # A short poll interval: stop() waits for the serving loop to notice, which otherwise takes 0.5 s.
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"wsgi-{server.server_port}",
        daemon=True,
    )
    thread.start()
    return RunningServer(server=server, thread=thread, scheme="https" if ssl_context else "http")


@contextmanager
def serve_in_thread(
    app: Any, port: int = 0, ssl_context: ssl.SSLContext | None = None
) -> Iterator[RunningServer]:
    running = start_server(app, port, ssl_context)
    try:
        yield running
    finally:
        running.stop()
