"""How long and how much a server waits for and accepts from one client."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ServerLimits"]


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """Every server of the harness runs with these bounds, so no client can hold it up.

    A connection that has not completed its request headers within ``header_timeout_s`` (counted
    from the connect, or from the first byte of a request after a keep-alive pause) is closed; a
    body that has not fully arrived within ``body_timeout_s`` gets ``408``; a larger body than
    ``max_body_bytes`` gets ``413``; an idle keep-alive connection closes after
    ``keepalive_timeout_s``; the response, once built, must be taken by the client within
    ``body_timeout_s``. At most ``max_connections`` connections (TLS handshakes included) are
    served at once, further clients wait in the listen backlog; WSGI apps run on at most
    ``worker_threads`` threads.
    """

    handshake_timeout_s: float = 5.0  # TLS handshake, off the accept path
    header_timeout_s: float = 5.0  # connect (or keep-alive idle) until request headers complete
    body_timeout_s: float = 10.0  # whole request body
    keepalive_timeout_s: float = 15.0
    max_body_bytes: int = 2_000_000  # larger -> 413
    max_connections: int = 256  # bounded concurrency
    worker_threads: int = 16  # WSGI apps run on a bounded thread pool

    def __post_init__(self) -> None:
        timeouts = (self.handshake_timeout_s, self.header_timeout_s, self.body_timeout_s)
        if min(*timeouts, self.keepalive_timeout_s) <= 0:
            raise ValueError("every timeout of ServerLimits must be positive")
        if min(self.max_body_bytes, self.max_connections, self.worker_threads) < 1:
            raise ValueError("max_body_bytes, max_connections and worker_threads must be at least 1")
