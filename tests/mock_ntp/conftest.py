"""Fixtures for the mock platform's tests: the official schema directory, Skatteverket's test numbers,
a running platform (real sockets, real TLS) and fake producers beside it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.mock_ntp.config import PlatformSettings
from harness.mock_ntp.platform import RunningPlatform, running_platform
from harness.mock_ntp.tak import Tak
from harness.pki import IssuedCertificate
from harness.server import ServerLimits, serve_in_thread, server_tls_context
from tests.support.data import test_numbers

from .fakes import FakeProducer

_ROOT = Path(__file__).resolve().parents[2]
RP00 = "TSTNMT2321000156-RP00"
ProducerStarter = Callable[..., str]


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    configured = os.environ.get("RIVTA_SCHEMAS")
    path = Path(configured) if configured else _ROOT.parent / "shared" / "rivta"
    if not path.is_dir():
        pytest.skip(f"no RIVTA schema directory at {path}")
    return path


@pytest.fixture(scope="session")
def personnummer() -> tuple[str, ...]:
    """Skatteverket's test personnummer (loaded, never copied in)."""
    return test_numbers().personnummer


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, schema_dir: Path) -> Iterator[RunningPlatform]:
    settings = PlatformSettings(
        state_dir=tmp_path_factory.mktemp("ntp"),
        vp_port=0,
        ei_port=0,
        agp_port=0,
        agp_producer_timeout_s=1.0,
        agp_aggregate_timeout_s=1.5,
    )
    limits = ServerLimits(header_timeout_s=1.0, body_timeout_s=2.0, max_body_bytes=16_000_000)
    with running_platform(settings, tak=Tak(), schema_dir=schema_dir, limits=limits) as running:
        yield running


@pytest.fixture
def producers(platform: RunningPlatform) -> Iterator[ProducerStarter]:
    """Start fake producers: https with mutual TLS (the platform's CA) by default, or plain http."""
    with contextlib.ExitStack() as stack:

        def start(fake: FakeProducer, *, https: bool = True) -> str:
            tls = None
            if https:
                cert = producer_certificate(platform)
                tls = server_tls_context(cert.cert, cert.key, client_ca=cert.ca_cert, client_cert="required")
            running = stack.enter_context(serve_in_thread(fake.app(), tls=tls))
            return f"{running.base_url}/producer/GetCareDocumentation/3/rivtabp21"

        yield start


def producer_certificate(platform: RunningPlatform) -> IssuedCertificate:
    """The fake producers' function certificate (server and client), from the platform's test CA."""
    ca = platform.certificates.test_ca
    return ca.issue("producer", common_name="fake producer", hsa_id=RP00, server=True, client=True)
