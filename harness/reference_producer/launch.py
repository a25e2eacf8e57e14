"""Start the reference producer on loopback: seed the journal, serve it, post the EI at start.

``conformance serve reference-producer`` and the harness's tests call :func:`start_reference_producer`.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from harness.personnummer import load_test_numbers
from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.config import ProducerConfig
from harness.reference_producer.contracts import SERVED_CONTRACTS
from harness.reference_producer.publisher import EiPublisher, HttpEiSender
from harness.reference_producer.seed import seed_journal
from harness.reference_producer.store import JournalStore
from harness.server import RunningServer, start_server

__all__ = ["RunningProducer", "build_producer", "describe", "start_reference_producer"]


@dataclass
class RunningProducer:
    app: ReferenceProducer
    server: RunningServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def url(self, label: str) -> str:
        contract = next(c for c in SERVED_CONTRACTS if c.label == label)
        return f"{self.base_url}{contract.path}"

    def stop(self) -> None:
        self.server.stop()


def build_producer(config: ProducerConfig, persons_dir: Path, *, seed: bool = True) -> ReferenceProducer:
    """The seeded journal (``seed``: recreate it) and the WSGI app over it."""
    store = JournalStore(config.db_path)
    if seed:
        seed_journal(
            store, load_test_numbers(persons_dir), config.source_systems, reserve_oid=config.reserve_oid
        )
    publisher = EiPublisher(config.ei, HttpEiSender(config.ei), config.ei_rules) if config.ei else None
    return ReferenceProducer(config, store, publisher)


def start_reference_producer(
    config: ProducerConfig, persons_dir: Path, *, port: int = 0, tls: ssl.SSLContext | None = None
) -> RunningProducer:
    """Serve on 127.0.0.1 (port 0: a free one); then post every engagement to the EI, if configured."""
    app = build_producer(config, persons_dir)
    running = RunningProducer(app, start_server(app, port=port, tls=tls, name="reference-producer"))
    if app.publisher is not None:
        app.publisher.publish_all(app.store)
    return running


def describe(running: RunningProducer) -> list[str]:
    """What a VP/TAK administrator needs: the logical addresses, and one endpoint per contract version."""
    config = running.app.config
    lines = [f"reference journal producer at {running.base_url}"]
    lines += [f"logical address (source system): {address}" for address in config.source_systems]
    lines += [f"{c.label:<32} {c.namespace}  {running.base_url}{c.path}" for c in SERVED_CONTRACTS]
    if config.allowed_callers is not None:
        lines.append(
            f"callers (client certificate serialNumber): {', '.join(sorted(config.allowed_callers))}"
        )
    if config.test_hooks:
        lines.append(f"test hooks: {running.base_url}/test-hooks")
    if config.ei is not None:
        lines.append(
            f"engagement index: Update to {config.ei.url} (LogicalAddress {config.ei.logical_address})"
        )
    return lines
