"""``conformance serve reference-producer``: the reference producer on its own, until Ctrl-C.

With a TLS directory it serves https with its own function certificate (:data:`PRODUCER_CERTIFICATE`,
from the test CA in that directory: the file ``conformance pki init`` writes there) and requires a
client certificate issued by the same CA, as the VP calls a producer over mutual TLS.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from pathlib import Path

from harness.pki import IssuedCertificate, TestCa
from harness.reference_producer.certificate import PRODUCER_CERTIFICATE
from harness.reference_producer.config import ProducerConfig
from harness.reference_producer.launch import describe, start_reference_producer
from harness.reference_producer.publisher import EiSettings
from harness.server import server_tls_context

__all__ = ["mutual_tls_context", "producer_certificate", "serve_reference_producer", "tls_lines"]


def producer_certificate(tls_dir: Path) -> IssuedCertificate:
    """The producer's function certificate from the test CA in ``tls_dir`` (either made on first use)."""
    return PRODUCER_CERTIFICATE.issue_from(TestCa.load_or_create(tls_dir))


def mutual_tls_context(own: IssuedCertificate) -> ssl.SSLContext:
    """Server TLS with ``own`` that requires a client certificate issued by the same CA."""
    return server_tls_context(own.cert, own.key, client_ca=own.ca_cert, client_cert="required")


def tls_lines(own: IssuedCertificate) -> list[str]:
    """The files a caller needs: the CA to trust, and a client certificate that CA issued."""
    folder = own.ca_cert.parent
    return [
        f"server certificate: {own.cert} (subject serialNumber {PRODUCER_CERTIFICATE.hsa_id})",
        f"callers trust: {own.ca_cert}",
        f"callers present: a client certificate issued by {own.ca_cert} (mutual TLS), e.g. "
        f"{folder / 'vp.crt'} with {folder / 'vp.key'} from `conformance pki init --out {folder}`",
    ]


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
    own = producer_certificate(tls_dir) if tls_dir else None
    tls = mutual_tls_context(own) if own else None
    running = start_reference_producer(config, persons_dir, port=port, tls=tls)
    for line in [*describe(running), *(tls_lines(own) if own else ())]:
        out(line)
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
