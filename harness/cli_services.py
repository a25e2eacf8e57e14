"""What ``conformance idp ...`` and ``conformance serve ...`` do: start a mock or a reference app on its own.

Kept apart from :mod:`harness.cli` (which only parses and prints) and imported lazily, so that
``conformance run`` never loads the servers.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from harness.server import RunningServer

if TYPE_CHECKING:
    from harness.mock_1177_idp.persons import Person
    from harness.personnummer import TestNumbers

__all__ = ["ServiceError", "serve_idp", "serve_reference_sp", "write_idp_metadata"]


class ServiceError(ValueError):
    """A file or URL given to a serving command is unusable (exit status 2)."""


def write_idp_metadata(base_url: str, out: Path, state_dir: Path) -> str:
    """Write the mock IdP's metadata (current and next signing keys, SC §2.1.1.2); returns a summary line."""
    from harness.mock_1177_idp.keys import load_idp_keys
    from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, idp_metadata

    _check_loopback(base_url)
    keys = load_idp_keys(state_dir)  # created on first use, then reused: the SP keeps trusting them
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(idp_metadata(DEFAULT_IDP_ENTITY_ID, base_url.rstrip("/"), keys))
    return f"wrote {out} (entityID {DEFAULT_IDP_ENTITY_ID}, keys in {state_dir})"


def serve_idp(
    base_url: str,
    state_dir: Path,
    sp_metadata: Sequence[Path],
    personnummer: Sequence[str],
    persons_dir: Path,
) -> None:
    """Serve the mock 1177 IdP at ``base_url`` for the SPs whose metadata is given, until Ctrl-C."""
    from harness.mock_1177_idp.app import IdpConfig, default_persons
    from harness.mock_1177_idp.app import serve_idp as start
    from harness.mock_1177_idp.keys import load_idp_keys
    from harness.mock_1177_idp.metadata import SpMetadataError, parse_sp_metadata

    port = _check_loopback(base_url)
    numbers = _test_numbers(persons_dir)
    try:
        sps = tuple(parse_sp_metadata(path.read_bytes()) for path in sp_metadata)
    except (OSError, SpMetadataError) as exc:
        raise ServiceError(f"SP metadata: {exc}") from None
    config = IdpConfig(
        base_url=base_url.rstrip("/"),
        port=port,
        keys=load_idp_keys(state_dir),
        sps=sps,
        persons=_picker_persons(personnummer, numbers) or default_persons(numbers),
    )
    try:
        idp, server = start(config)
    except OSError as exc:
        raise ServiceError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    print(f"mock 1177 IdP at {server.base_url}")
    print(f"  entityID: {idp.identity.entity_id}")
    print(f"  metadata: {server.base_url}/metadata")
    for sp in sps:
        print(f"  SP:       {sp.entity_id} (ACS {sp.default_acs_url})")
    _block(server)


def _test_numbers(persons_dir: Path) -> TestNumbers:
    from harness.personnummer import load_test_numbers

    try:
        return load_test_numbers(persons_dir)
    except FileNotFoundError as exc:
        raise ServiceError(str(exc)) from None


def _picker_persons(personnummer: Sequence[str], numbers: TestNumbers) -> tuple[Person, ...]:
    """Persons for the picker: only Skatteverket's test numbers, never anyone else's."""
    from harness.mock_1177_idp.persons import make_persons

    unknown = [n for n in personnummer if not numbers.contains(n)]
    if unknown:
        raise ServiceError(f"--person: {len(unknown)} value(s) are not Skatteverket test personnummer")
    return make_persons(personnummer)


def serve_reference_sp(port: int, idp_metadata_file: Path, state_dir: Path, persons_dir: Path) -> None:
    """Serve the reference SP on 127.0.0.1:``port``, trusting the IdP in that metadata, until Ctrl-C."""
    from harness.reference_sp.idp_metadata import IdpMetadataError
    from harness.reference_sp.launch import reference_sp_ca_bundle, reference_sp_config, start_reference_sp

    try:
        metadata = idp_metadata_file.read_bytes()
        server = start_reference_sp(metadata, state_dir, _test_numbers(persons_dir), port)
    except (OSError, IdpMetadataError) as exc:
        raise ServiceError(f"{idp_metadata_file}: {exc}") from None
    config = reference_sp_config(metadata, state_dir, server.base_url)
    print(f"reference SP at {server.base_url}")
    print(f"  entityID: {config.entity_id}")
    print(f"  ACS:      {config.acs_url}")
    print(f"  metadata: {server.base_url}/metadata")
    print(f"  TLS CA:   {reference_sp_ca_bundle(state_dir)}")
    _block(server)


def _check_loopback(base_url: str) -> int:
    """The port of ``base_url``: the mock IdP serves plain HTTP on 127.0.0.1 (DESIGN.md, ground rules)."""
    parts = urlsplit(base_url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "http" or parts.hostname != "127.0.0.1" or not port:
        raise ServiceError(f"--base-url must be http://127.0.0.1:PORT, not {base_url!r}")
    return port


def _block(server: RunningServer) -> None:
    print("Ctrl-C stops it.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
