"""Start the reference SP on loopback, over HTTPS (SC Deployment Profile §6.1: the ACS is TLS).

``conformance demo`` and ``conformance serve reference-sp`` call :func:`start_reference_sp`. The
state directory keeps the SP's encryption key, its TLS material (``tls/``) and its database, so a
restarted SP keeps the metadata an IdP was configured with.
"""

from __future__ import annotations

import socket
from dataclasses import fields
from pathlib import Path
from typing import Any

from harness.personnummer import TestNumbers
from harness.pki import load_or_create_tls
from harness.reference_sp.app import create_app
from harness.reference_sp.config import ReferenceSpConfig
from harness.reference_sp.data import seed_contacts
from harness.server import RunningServer, server_tls_context, start_server

__all__ = ["reference_sp_ca_bundle", "reference_sp_config", "start_reference_sp"]

_DERIVED = {"base_url", "idp_metadata", "db_path", "state_dir"}


def reference_sp_ca_bundle(state_dir: Path) -> Path:
    """The CA a client (the harness's browser) must trust to reach the SP over TLS."""
    return load_or_create_tls(state_dir / "tls").ca_cert


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def reference_sp_config(
    idp_metadata: bytes, state_dir: Path, base_url: str, **overrides: Any
) -> ReferenceSpConfig:
    """The configuration ``start_reference_sp`` uses; ``overrides`` are ReferenceSpConfig fields."""
    allowed = {f.name for f in fields(ReferenceSpConfig)} - _DERIVED
    unknown = set(overrides) - allowed
    if unknown:
        raise TypeError(f"unknown reference SP settings: {sorted(unknown)}")
    return ReferenceSpConfig(
        base_url=base_url,
        idp_metadata=idp_metadata,
        db_path=state_dir / "reference-sp.sqlite3",
        state_dir=state_dir,
        **overrides,
    )


def start_reference_sp(
    idp_metadata: bytes,
    state_dir: Path,
    numbers: TestNumbers,
    port: int = 0,
    tls: bool = True,
    **overrides: Any,
) -> RunningServer:
    """Seed the contacts (Skatteverket test ``numbers``), then serve the SP on 127.0.0.1 (port 0: any).

    The base URL is part of the SP's identity (entityID, ACS), so the port is chosen before the app
    is built. ``overrides`` are ReferenceSpConfig fields (signature_policy, validators, clock, ...).
    """
    port = port or _free_port()
    scheme = "https" if tls else "http"
    config = reference_sp_config(idp_metadata, state_dir, f"{scheme}://127.0.0.1:{port}", **overrides)
    config.idp  # noqa: B018 - bad IdP metadata fails here, before anything listens
    seed_contacts(config.db_path, numbers)
    context = None
    if tls:
        material = load_or_create_tls(state_dir / "tls")
        context = server_tls_context(material.server_cert, material.server_key)
    return start_server(create_app(config), port=port, tls=context, name="reference-sp")
