"""``conformance serve reference-producer``: the reference producer on its own, until Ctrl-C."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from pathlib import Path

from harness.pki import load_or_create_tls
from harness.reference_producer.config import ProducerConfig
from harness.reference_producer.launch import describe, start_reference_producer
from harness.reference_producer.publisher import EiSettings
from harness.server import server_tls_context

__all__ = ["mutual_tls_context", "serve_reference_producer"]


def mutual_tls_context(tls_dir: Path) -> ssl.SSLContext:
    """Server TLS from ``tls_dir`` that requires a client certificate issued by its CA."""
    material = load_or_create_tls(tls_dir)
    return server_tls_context(
        material.server_cert, material.server_key, client_ca=material.ca_cert, client_cert="required"
    )


def serve_reference_producer(
    port: int,
    state_dir: Path,
    persons_dir: Path,
    *,
    tls_dir: Path | None = None,
    test_hooks: bool = False,
    ei_url: str | None = None,
    out: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Seed the journal in ``state_dir``, serve it on 127.0.0.1:``port`` and print what it serves."""
    config = ProducerConfig(
        db_path=state_dir / "journal.sqlite3",
        # The HSA-id in the caller's certificate is checked by the server layer's peer certificate;
        # this standalone server verifies the client certificate against the CA at the TLS level only.
        allowed_callers=None,
        test_hooks=test_hooks,
        ei=EiSettings(ei_url) if ei_url else None,
    )
    running = start_reference_producer(
        config, persons_dir, port=port, tls=mutual_tls_context(tls_dir) if tls_dir else None
    )
    for line in describe(running):
        out(line)
    if tls_dir:
        out(f"mutual TLS: client certificates issued by {tls_dir / 'ca.crt'}")
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
