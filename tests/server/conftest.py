"""Fixtures for the server layer's tests: test PKI, small limits, small apps, raw sockets."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from harness.server import ServerLimits, server_tls_context

from .certs import CONSUMER_HSA_ID, Ca, Issued

# Short deadlines, so that a test proves them in seconds.
QUICK = ServerLimits(
    handshake_timeout_s=1.0, header_timeout_s=1.0, body_timeout_s=1.0, keepalive_timeout_s=2.0
)


@dataclass(frozen=True)
class Pki:
    ca: Ca
    other_ca: Ca
    server: Issued
    consumer: Issued  # issued by ``ca``, subject serialNumber CONSUMER_HSA_ID
    stranger: Issued  # issued by ``other_ca``, same subject


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("server-pki")
    ca, other = Ca.create(folder / "ca", "Test CA"), Ca.create(folder / "other", "Other CA")
    return Pki(
        ca=ca,
        other_ca=other,
        server=ca.issue("server", common_name="localhost", server=True),
        consumer=ca.issue("consumer", common_name="consumer", hsa_id=CONSUMER_HSA_ID),
        stranger=other.issue("stranger", common_name="consumer", hsa_id=CONSUMER_HSA_ID),
    )


@pytest.fixture
def tls(pki: Pki) -> Callable[..., Any]:
    def context(client_cert: str = "none") -> Any:
        ca = pki.ca.cert if client_cert != "none" else None
        return server_tls_context(pki.server.cert, pki.server.key, client_ca=ca, client_cert=client_cert)  # type: ignore[arg-type]

    return context


def hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """A WSGI app that reads its body and says how long it was."""
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"hello {environ['REQUEST_METHOD']} {len(body)}".encode()]


def open_socket(port: int, data: bytes = b"") -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    if data:
        client.sendall(data)
    return client


def read_all(client: socket.socket, timeout: float = 10.0) -> bytes:
    """Everything until the server closes (or ``timeout``: then what came so far)."""
    client.settimeout(timeout)
    chunks = []
    try:
        while chunk := client.recv(65536):
            chunks.append(chunk)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


@pytest.fixture
def sockets() -> Iterator[list[socket.socket]]:
    """Sockets a test opens; all closed afterwards."""
    opened: list[socket.socket] = []
    yield opened
    for sock in opened:
        sock.close()


def thread_count() -> int:
    return threading.active_count()
