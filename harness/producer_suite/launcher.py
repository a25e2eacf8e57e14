"""Starting the reference producer behind the mock platform (``[launch] app = "reference-producer"``).

The one place the producer suite reaches a reference app, imported late (as the SP suite launches the
reference SP): the suite otherwise judges the producer through HTTP only. The producer gets what a
vendor configures: a server certificate from the platform's test CA, mutual TLS that requires the
VP's client certificate (the producer checks its serialNumber), and an Update client that posts to
the engagement index through the VP (or straight to the mock EI) with its own function certificate.
Tests pass configuration overrides (its seams ``rules``, ``ei_rules``, ``consumer_policies``) to start
a deliberately flawed producer the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from harness.mock_ntp.platform import RunningPlatform

__all__ = [
    "UPDATE_PATH",
    "LaunchContext",
    "LaunchedProducer",
    "launch_reference_producer",
]

UPDATE_PATH = "itintegration/engagementindex/Update/1/rivtabp21"


@dataclass(frozen=True)
class LaunchContext:
    """What a launcher gets: the running platform, a folder for the producer's state, the test numbers."""

    platform: RunningPlatform
    state_dir: Path
    persons_dir: Path
    ei_updates: str  # "vp" or "direct"


@dataclass(frozen=True)
class LaunchedProducer:
    base_url: str
    ca_bundle: Path  # the CA of its server certificate
    stop: Callable[[], None]


def launch_reference_producer(context: LaunchContext, **overrides: Any) -> LaunchedProducer:
    """Seed and serve the reference producer on a free loopback port; it posts its engagements at start."""
    from harness.reference_producer import (
        PRODUCER_CERTIFICATE,
        EiSettings,
        ProducerConfig,
        start_reference_producer,
    )
    from harness.server import server_tls_context

    platform = context.platform
    ids, certificates = platform.settings.identities, platform.certificates
    # The file `conformance pki init` and `serve reference-producer` use: one definition, never reissued.
    wanted = replace(PRODUCER_CERTIFICATE, hsa_id=ids.reference_producer)
    own = wanted.issue_from(certificates.test_ca)
    ei_url = platform.vp_address(UPDATE_PATH) if context.ei_updates == "vp" else f"{platform.ei_url}/ei"
    ei = EiSettings(ei_url, ids.ei, own.cert, own.key, certificates.ca)
    sources = ids.reference_sources
    settings: dict[str, Any] = dict(
        db_path=context.state_dir / "journal.sqlite3",
        source_systems=(sources[0], sources[1]),
        allowed_callers=frozenset({ids.vp}),
        test_hooks=True,
        ei=ei,
    )
    config = ProducerConfig(**{**settings, **overrides})
    tls = server_tls_context(own.cert, own.key, client_ca=certificates.ca, client_cert="required")
    context.state_dir.mkdir(parents=True, exist_ok=True)
    running = start_reference_producer(config, context.persons_dir, tls=tls)
    return LaunchedProducer(running.base_url, certificates.ca, running.stop)
