"""The harness's former server layer, kept only so that ``benchmarks/servers.py`` can compare with it.

Werkzeug's development server, threaded (one thread per connection), TLS handshakes on the accept
thread: exactly how every server of the harness ran before ``harness.server``. Not for anything
else: it has none of the deadlines and bounds of the new layer.
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

__all__ = ["start_werkzeug"]

logging.getLogger("werkzeug").setLevel(logging.ERROR)


class _QuietHandler(WSGIRequestHandler):
    disable_nagle_algorithm = True  # as before: no delayed-ACK wait per TLS response

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def start_werkzeug(
    app: Any, port: int = 0, tls: ssl.SSLContext | None = None
) -> tuple[str, Callable[[], None]]:
    """Serve ``app`` on 127.0.0.1 in a background thread; returns its base URL and a stop function."""
    server: BaseWSGIServer = make_server(
        "127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler, ssl_context=tls
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return f"{'https' if tls else 'http'}://127.0.0.1:{server.server_port}", stop
