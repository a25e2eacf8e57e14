"""The server layer's public names are pinned: the mocks, the reference apps and the platform code
against it."""

from __future__ import annotations

import harness.server


def test_the_server_layer_exports_exactly_its_interface() -> None:
    assert harness.server.__all__ == [
        "PEER_CERTIFICATE_ENVIRON_KEY",
        "PeerCertificate",
        "RunningServer",
        "ServerLimits",
        "StreamHandler",
        "peer_certificate_of",
        "serve_in_thread",
        "server_tls_context",
        "start_server",
        "start_stream_server",
    ]
    assert harness.server.PEER_CERTIFICATE_ENVIRON_KEY == "harness.peer_certificate"
    assert harness.server.ServerLimits() == harness.server.ServerLimits(
        handshake_timeout_s=5.0,
        header_timeout_s=5.0,
        body_timeout_s=10.0,
        keepalive_timeout_s=15.0,
        max_body_bytes=2_000_000,
        max_connections=256,
        worker_threads=16,
    )
